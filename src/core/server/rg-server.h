/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rg-channel-settings.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_SERVER_DEFAULT_BODY_LIMIT (1024 * 1024)

#define RG_TYPE_SERVER (rg_server_get_type ())

G_DECLARE_FINAL_TYPE (RgServer, rg_server, RG, SERVER, GObject)

/**
 * RgServerHandlerFunc:
 * @server: the server
 * @msg: the request, with its whole body read
 * @path: the request path
 * @query: (nullable) (element-type utf8 utf8): the decoded query string
 *
 * Answers a request synchronously (set a status and a body on @msg), or pauses @msg and
 * answers later. Slow work belongs after the answer.
 */
typedef void (*RgServerHandlerFunc) (RgServer          *server,
                                     SoupServerMessage *msg,
                                     const char        *path,
                                     GHashTable        *query,
                                     gpointer           user_data);

RgServer          *rg_server_new                       (RgStore              *store,
                                                        RgChannelSettings    *settings);
RgStore           *rg_server_get_store                 (RgServer             *self);
RgChannelSettings *rg_server_get_settings              (RgServer             *self);
gsize              rg_server_get_body_limit            (RgServer             *self);
void               rg_server_set_body_limit            (RgServer             *self,
                                                        gsize                 limit);
void               rg_server_add_handler               (RgServer             *self,
                                                        const char           *path,
                                                        RgServerHandlerFunc   func,
                                                        gpointer              user_data,
                                                        GDestroyNotify        destroy);
gboolean           rg_server_listen                    (RgServer             *self,
                                                        const char           *address,
                                                        guint                 port,
                                                        GError              **error);
void               rg_server_disconnect                (RgServer             *self);
char              *rg_server_dup_url                   (RgServer             *self);
guint              rg_server_get_port                  (RgServer             *self);
void               rg_server_reload_credentials_async  (RgServer             *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           rg_server_reload_credentials_finish (RgServer             *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
guint              rg_server_get_pending               (RgServer             *self);

void               rg_server_respond_json              (SoupServerMessage    *msg,
                                                        guint                 status,
                                                        JsonNode             *node);
void               rg_server_respond_error             (SoupServerMessage    *msg,
                                                        guint                 status,
                                                        const char           *field,
                                                        const char           *format,
                                                        ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
