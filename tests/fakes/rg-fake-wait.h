/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void          rg_fake_wait_cb (GObject       *source_object,
                               GAsyncResult  *result,
                               gpointer       user_data);
GAsyncResult *rg_fake_wait    (GAsyncResult **result);

G_END_DECLS
