/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-store.h"
#include "rg-server.h"

G_BEGIN_DECLS

struct _RgServer
{
  GObject            parent_instance;

  RgStore           *store;
  RgChannelSettings *settings;
  RgMemberStore     *members;
  SoupServer        *soup;
  GPtrArray         *routes;
  gsize              body_limit;

  /* Loaded from the keyring by rg_server_reload_credentials_async(). */
  char              *line_channel_secret;
  char              *whatsapp_app_secret;
  char              *whatsapp_verify_token;
  char              *wechat_token;

  /* Webhook payloads answered but not processed yet (rg-server-webhooks.c). */
  GQueue             pending;
  guint              process_source;
  gint64             last_prune_usec;
};

enum {
  RG_SERVER_SIGNAL_LINE_EVENT,
  RG_SERVER_SIGNAL_WHATSAPP_EVENT,
  RG_SERVER_SIGNAL_WECHAT_EVENT,
  RG_SERVER_SIGNAL_REQUEST_LOGGED,
  RG_SERVER_N_SIGNALS
};

extern guint _rg_server_signals[RG_SERVER_N_SIGNALS];

void      _rg_server_add_webhook_routes  (RgServer     *self);
void      _rg_server_clear_pending       (RgServer     *self);
gboolean  _rg_server_constant_time_equal (const char   *a,
                                          gsize         a_len,
                                          const char   *b,
                                          gsize         b_len);

G_END_DECLS
