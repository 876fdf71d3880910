/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-http.h"

G_BEGIN_DECLS

/* The longest piece of a non-JSON answer (an HTML page from a proxy) quoted in a message. */
#define RG_HTTP_MAX_QUOTED_BODY 200

/*
 * The platform's error mapper: the %RG_CHANNEL_ERROR that @response stands for, or %NULL when
 * @response is a success. @call is the task of the client call.
 */
typedef GError *(*RgHttpErrorFunc)  (GTask                *call,
                                     const RgHttpResponse *response);

/* The call's own parser: answers @call from a response the error mapper let through. */
typedef void    (*RgHttpAnswerFunc) (GTask                *call,
                                     const RgHttpResponse *response);

GTask       *_rg_http_call_new                 (gpointer               client,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data,
                                                gpointer               source_tag);
SoupMessage *_rg_http_call_message_new         (GTask                 *call,
                                                const char            *method,
                                                const char            *base_url,
                                                const char            *path);
void         _rg_http_call_send                (GTask                 *call,
                                                SoupMessage           *message,
                                                guint                  timeout_ms,
                                                RgHttpErrorFunc        error_func,
                                                RgHttpAnswerFunc       answer_func);
JsonNode    *_rg_http_call_parse_json          (GTask                 *call,
                                                const RgHttpResponse  *response);
gpointer     _rg_http_call_propagate_pointer   (gpointer               client,
                                                GAsyncResult          *result,
                                                gpointer               source_tag,
                                                GError               **error);
gboolean     _rg_http_call_propagate_boolean   (gpointer               client,
                                                GAsyncResult          *result,
                                                gpointer               source_tag,
                                                GError               **error);

void         _rg_http_message_set_bearer       (SoupMessage           *message,
                                                const char            *token);

char        *_rg_http_response_quote           (const RgHttpResponse  *response,
                                                gboolean               mark_cut);
gint64       _rg_http_response_get_retry_after (const RgHttpResponse  *response);

G_END_DECLS
