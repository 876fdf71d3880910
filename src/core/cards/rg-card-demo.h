/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rg-store.h"

G_BEGIN_DECLS

GBytes  *rg_card_demo_draw_header (const char  *name,
                                   const char  *tagline,
                                   int          width,
                                   int          height);
gboolean rg_card_demo_populate    (RgStore     *store,
                                   GError     **error);

G_END_DECLS
