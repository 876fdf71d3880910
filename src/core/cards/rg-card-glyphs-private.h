/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

void _rg_card_rounded_rect (cairo_t    *cr,
                            double      x,
                            double      y,
                            double      w,
                            double      h,
                            double      r);
void _rg_card_draw_glyph   (cairo_t    *cr,
                            const char *field_id,
                            double      x,
                            double      y,
                            double      size);

G_END_DECLS
