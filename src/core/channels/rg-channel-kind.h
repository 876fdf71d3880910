/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RgChannelKind:
 * @RG_CHANNEL_KIND_LINE: LINE Messaging API (push, reply, notification messages)
 * @RG_CHANNEL_KIND_WHATSAPP: WhatsApp Cloud API
 * @RG_CHANNEL_KIND_WECHAT: WeChat Official Account (member cards)
 * @RG_CHANNEL_KIND_SMS: an SMS gateway (Mitake or Twilio)
 *
 * The platforms Regulars talks to. The string forms ("line", "whatsapp", "wechat", "sms")
 * are the channel names of the CLI, the settings table and the keyring attribute `channel`.
 */
typedef enum
{
  RG_CHANNEL_KIND_LINE,
  RG_CHANNEL_KIND_WHATSAPP,
  RG_CHANNEL_KIND_WECHAT,
  RG_CHANNEL_KIND_SMS,
} RgChannelKind;

#define RG_CHANNEL_KIND_COUNT 4

#define RG_TYPE_CHANNEL_KIND (rg_channel_kind_get_type ())

GType        rg_channel_kind_get_type         (void) G_GNUC_CONST;
const char  *rg_channel_kind_to_string        (RgChannelKind  kind);
gboolean     rg_channel_kind_from_string      (const char    *name,
                                               RgChannelKind *kind);
const char  *rg_channel_kind_get_display_name (RgChannelKind  kind);

G_END_DECLS
