/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RgCardChannel:
 *
 * The chat platforms a member card is designed for, one design each. The string forms
 * ("whatsapp", "line", "wechat") are the CLI's channel names, the JSON's "channel" and the
 * primary key of the card_designs table.
 */
typedef enum
{
  RG_CARD_CHANNEL_WHATSAPP,
  RG_CARD_CHANNEL_LINE,
  RG_CARD_CHANNEL_WECHAT,
} RgCardChannel;

#define RG_CARD_CHANNEL_COUNT 3

/**
 * RgCardBarcode:
 *
 * The symbology that carries the member number. String forms: "code128", "code39", "ean13",
 * "qr".
 */
typedef enum
{
  RG_CARD_BARCODE_CODE128,
  RG_CARD_BARCODE_CODE39,
  RG_CARD_BARCODE_EAN13,
  RG_CARD_BARCODE_QR,
} RgCardBarcode;

#define RG_CARD_BARCODE_COUNT 4

#define RG_TYPE_CARD_CHANNEL (rg_card_channel_get_type ())
#define RG_TYPE_CARD_BARCODE (rg_card_barcode_get_type ())

GType       rg_card_channel_get_type         (void) G_GNUC_CONST;
const char *rg_card_channel_to_string        (RgCardChannel  channel);
gboolean    rg_card_channel_from_string      (const char    *name,
                                              RgCardChannel *channel);
const char *rg_card_channel_get_display_name (RgCardChannel  channel);

GType       rg_card_barcode_get_type         (void) G_GNUC_CONST;
const char *rg_card_barcode_to_string        (RgCardBarcode  barcode);
gboolean    rg_card_barcode_from_string      (const char    *name,
                                              RgCardBarcode *barcode);
const char *rg_card_barcode_get_display_name (RgCardBarcode  barcode);

G_END_DECLS
