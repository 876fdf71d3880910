/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-store.h"

G_BEGIN_DECLS

gboolean rg_notify_demo_populate (RgStore  *store,
                                  GError  **error);

G_END_DECLS
