/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RgTestKeyring RgTestKeyring;

RgTestKeyring *rg_test_keyring_start                 (GError        **error);
RgTestKeyring *rg_test_keyring_start_without_service (GError        **error);
void           rg_test_keyring_stop                  (RgTestKeyring  *keyring);
void           rg_test_keyring_lock                  (RgTestKeyring  *keyring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgTestKeyring, rg_test_keyring_stop)

G_END_DECLS
