/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-enums.h"

G_DEFINE_ENUM_TYPE (RgCardChannel, rg_card_channel,
                    G_DEFINE_ENUM_VALUE (RG_CARD_CHANNEL_WHATSAPP, "whatsapp"),
                    G_DEFINE_ENUM_VALUE (RG_CARD_CHANNEL_LINE, "line"),
                    G_DEFINE_ENUM_VALUE (RG_CARD_CHANNEL_WECHAT, "wechat"))

G_DEFINE_ENUM_TYPE (RgCardBarcode, rg_card_barcode,
                    G_DEFINE_ENUM_VALUE (RG_CARD_BARCODE_CODE128, "code128"),
                    G_DEFINE_ENUM_VALUE (RG_CARD_BARCODE_CODE39, "code39"),
                    G_DEFINE_ENUM_VALUE (RG_CARD_BARCODE_EAN13, "ean13"),
                    G_DEFINE_ENUM_VALUE (RG_CARD_BARCODE_QR, "qr"))

static const char * const channel_names[RG_CARD_CHANNEL_COUNT] = {
  [RG_CARD_CHANNEL_WHATSAPP] = "whatsapp",
  [RG_CARD_CHANNEL_LINE] = "line",
  [RG_CARD_CHANNEL_WECHAT] = "wechat",
};

static const char * const barcode_names[RG_CARD_BARCODE_COUNT] = {
  [RG_CARD_BARCODE_CODE128] = "code128",
  [RG_CARD_BARCODE_CODE39] = "code39",
  [RG_CARD_BARCODE_EAN13] = "ean13",
  [RG_CARD_BARCODE_QR] = "qr",
};

/**
 * rg_card_channel_to_string:
 *
 * Returns: the stable lowercase name ("whatsapp", "line" or "wechat")
 */
const char *
rg_card_channel_to_string (RgCardChannel channel)
{
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  return channel_names[channel];
}

/**
 * rg_card_channel_from_string:
 * @name: a channel name such as "line"
 * @channel: (out) (optional): where to store the channel
 *
 * Parses the stable lowercase name exactly.
 *
 * Returns: %TRUE if @name names a card channel
 */
gboolean
rg_card_channel_from_string (const char    *name,
                             RgCardChannel *channel)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    {
      if (g_str_equal (name, channel_names[i]))
        {
          if (channel != NULL)
            *channel = (RgCardChannel) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
rg_card_channel_get_display_name (RgCardChannel channel)
{
  switch (channel)
    {
    case RG_CARD_CHANNEL_WHATSAPP:
      return _("WhatsApp");
    case RG_CARD_CHANNEL_LINE:
      /* Translators: the messaging platform; keep the brand name unless your market
       * writes it otherwise */
      return _("LINE");
    case RG_CARD_CHANNEL_WECHAT:
      return _("WeChat");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * rg_card_barcode_to_string:
 *
 * Returns: the stable lowercase name ("code128", "code39", "ean13" or "qr")
 */
const char *
rg_card_barcode_to_string (RgCardBarcode barcode)
{
  g_return_val_if_fail ((guint) barcode < RG_CARD_BARCODE_COUNT, NULL);

  return barcode_names[barcode];
}

gboolean
rg_card_barcode_from_string (const char    *name,
                             RgCardBarcode *barcode)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < RG_CARD_BARCODE_COUNT; i++)
    {
      if (g_str_equal (name, barcode_names[i]))
        {
          if (barcode != NULL)
            *barcode = (RgCardBarcode) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
rg_card_barcode_get_display_name (RgCardBarcode barcode)
{
  switch (barcode)
    {
    case RG_CARD_BARCODE_CODE128:
      return _("Code 128");
    case RG_CARD_BARCODE_CODE39:
      return _("Code 39");
    case RG_CARD_BARCODE_EAN13:
      return _("EAN-13");
    case RG_CARD_BARCODE_QR:
      return _("QR code");
    default:
      g_return_val_if_reached (NULL);
    }
}
