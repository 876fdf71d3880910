/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "rg-card-image.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)

const char      *_rg_card_image_sniff  (GBytes  *bytes);
cairo_surface_t *_rg_card_image_decode (GBytes  *bytes,
                                        int      max_width,
                                        int      max_height,
                                        GError **error);

G_END_DECLS
