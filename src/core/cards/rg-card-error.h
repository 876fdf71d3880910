/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_CARD_ERROR (rg_card_error_quark ())

/**
 * RgCardError:
 * @RG_CARD_ERROR_FIELD_ID: a displayed field's id is not one of the known fields
 * @RG_CARD_ERROR_DUPLICATE_FIELD: the field is already on the card
 * @RG_CARD_ERROR_REGISTER_URL: the register button's URL is not an http(s) URL
 * @RG_CARD_ERROR_ICON: a field icon is not a square PNG under 1 MB
 * @RG_CARD_ERROR_HEADER_IMAGE: the header image is not a readable PNG or JPEG
 * @RG_CARD_ERROR_COLOR: the accent colour is not “#rrggbb”
 * @RG_CARD_ERROR_BARCODE: the barcode type cannot encode the member number
 * @RG_CARD_ERROR_JSON: an imported design is not valid JSON or has a bad member
 * @RG_CARD_ERROR_RENDER: the card could not be drawn or written as PNG
 *
 * The code says which setting of the editor the message belongs to.
 */
typedef enum
{
  RG_CARD_ERROR_FIELD_ID,
  RG_CARD_ERROR_DUPLICATE_FIELD,
  RG_CARD_ERROR_REGISTER_URL,
  RG_CARD_ERROR_ICON,
  RG_CARD_ERROR_HEADER_IMAGE,
  RG_CARD_ERROR_COLOR,
  RG_CARD_ERROR_BARCODE,
  RG_CARD_ERROR_JSON,
  RG_CARD_ERROR_RENDER,
} RgCardError;

GQuark rg_card_error_quark (void);

G_END_DECLS
