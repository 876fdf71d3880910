/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rg-card-data.h"
#include "rg-card-design.h"

G_BEGIN_DECLS

/* The card's width in logical pixels at scale 1, the designer's preview size. */
#define RG_CARD_WIDTH 360

/* Scales the renderer accepts: a thumbnail up to print resolution. */
#define RG_CARD_MIN_SCALE 0.25
#define RG_CARD_MAX_SCALE 8.0

void     rg_card_get_size            (RgCardDesign  *design,
                                      double         scale,
                                      int           *width,
                                      int           *height);
gboolean rg_card_render              (RgCardDesign  *design,
                                      RgCardData    *data,
                                      double         scale,
                                      cairo_t       *cr,
                                      GError       **problem);
GBytes  *rg_card_render_to_png_bytes (RgCardDesign  *design,
                                      RgCardData    *data,
                                      double         scale,
                                      GError       **problem,
                                      GError       **error);

G_END_DECLS
