/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "rg-card-design.h"

G_BEGIN_DECLS

cairo_surface_t *_rg_card_design_get_header_surface (RgCardDesign *self,
                                                     int           box_width,
                                                     int           box_height);

G_END_DECLS
