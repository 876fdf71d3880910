/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-dispatcher.h"
#include "rg-server.h"

G_BEGIN_DECLS

#define RG_NOTIFY_API_TOKEN_CHANNEL "api"
#define RG_NOTIFY_API_TOKEN_FIELD   "token"
/* Random bytes in a new API token, which is their base64url. */
#define RG_NOTIFY_API_TOKEN_BYTES   32

void      rg_notify_api_register         (RgServer            *server,
                                          RgNotifyDispatcher  *dispatcher);
char     *rg_notify_api_token_generate   (GError             **error);
void      rg_notify_api_token_new_async  (RgSecrets           *secrets,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char     *rg_notify_api_token_new_finish (RgSecrets           *secrets,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
