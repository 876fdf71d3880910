/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "rg-card-field.h"

G_BEGIN_DECLS

cairo_surface_t *_rg_card_field_get_icon_surface (RgCardField *self);

G_END_DECLS
