/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channel-kind"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-kind.h"

G_DEFINE_ENUM_TYPE (RgChannelKind, rg_channel_kind,
                    G_DEFINE_ENUM_VALUE (RG_CHANNEL_KIND_LINE, "line"),
                    G_DEFINE_ENUM_VALUE (RG_CHANNEL_KIND_WHATSAPP, "whatsapp"),
                    G_DEFINE_ENUM_VALUE (RG_CHANNEL_KIND_WECHAT, "wechat"),
                    G_DEFINE_ENUM_VALUE (RG_CHANNEL_KIND_SMS, "sms"))

static const char * const kind_names[RG_CHANNEL_KIND_COUNT] = {
  [RG_CHANNEL_KIND_LINE] = "line",
  [RG_CHANNEL_KIND_WHATSAPP] = "whatsapp",
  [RG_CHANNEL_KIND_WECHAT] = "wechat",
  [RG_CHANNEL_KIND_SMS] = "sms",
};

/**
 * rg_channel_kind_to_string:
 * @kind: a channel kind
 *
 * Returns: the stable lowercase name ("line", "whatsapp", "wechat" or "sms")
 */
const char *
rg_channel_kind_to_string (RgChannelKind kind)
{
  g_return_val_if_fail ((guint) kind < RG_CHANNEL_KIND_COUNT, NULL);

  return kind_names[kind];
}

/**
 * rg_channel_kind_from_string:
 * @name: a channel name such as "line"
 * @kind: (out) (optional): where to store the kind
 *
 * Parses the stable lowercase name exactly (no aliases, no case folding).
 *
 * Returns: %TRUE if @name names a channel
 */
gboolean
rg_channel_kind_from_string (const char    *name,
                             RgChannelKind *kind)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < RG_CHANNEL_KIND_COUNT; i++)
    {
      if (g_str_equal (name, kind_names[i]))
        {
          if (kind != NULL)
            *kind = (RgChannelKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * rg_channel_kind_get_display_name:
 * @kind: a channel kind
 *
 * Returns: the translated name to show to people, e.g. “WeChat”
 */
const char *
rg_channel_kind_get_display_name (RgChannelKind kind)
{
  switch (kind)
    {
    case RG_CHANNEL_KIND_LINE:
      /* Translators: the messaging platform; keep the brand name unless your market writes it otherwise */
      return _("LINE");
    case RG_CHANNEL_KIND_WHATSAPP:
      return _("WhatsApp");
    case RG_CHANNEL_KIND_WECHAT:
      return _("WeChat");
    case RG_CHANNEL_KIND_SMS:
      return _("SMS");
    default:
      g_return_val_if_reached (NULL);
    }
}
