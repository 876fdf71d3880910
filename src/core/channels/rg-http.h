/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* How long a channel request may take, unless the client says otherwise. */
#define RG_HTTP_DEFAULT_TIMEOUT_MS 30000

/* libsoup 3.2 has no name for it. */
#define RG_HTTP_STATUS_TOO_MANY_REQUESTS 429

/**
 * RgHttpResponse:
 * @status: the HTTP status code
 * @headers: the response headers
 * @body: the whole response body (possibly empty, never %NULL)
 *
 * What came back. An HTTP error status is a response, not a #GError: each client maps it to
 * %RG_CHANNEL_ERROR with the platform's own code and message.
 */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} RgHttpResponse;

#define RG_TYPE_HTTP_RESPONSE (rg_http_response_get_type ())

GType           rg_http_response_get_type   (void) G_GNUC_CONST;
RgHttpResponse *rg_http_response_copy       (const RgHttpResponse  *response);
void            rg_http_response_free       (RgHttpResponse        *response);
JsonNode       *rg_http_response_parse_json (const RgHttpResponse  *response,
                                             GError               **error);
char           *rg_http_response_dup_text   (const RgHttpResponse  *response);

SoupSession    *rg_http_get_session         (void);
SoupMessage    *rg_http_message_new         (const char            *method,
                                             const char            *base_url,
                                             const char            *path,
                                             GError               **error);
void            rg_http_message_set_json    (SoupMessage           *message,
                                             JsonNode              *body);
void            rg_http_message_set_form    (SoupMessage           *message,
                                             const char            *encoded_form);
void            rg_http_form_add            (GString               *form,
                                             const char            *name,
                                             const char            *value);
char           *rg_http_escape_segment      (const char            *segment);
void            rg_http_send_async          (SoupMessage           *message,
                                             guint                  timeout_ms,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
RgHttpResponse *rg_http_send_finish         (GAsyncResult          *result,
                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgHttpResponse, rg_http_response_free)

G_END_DECLS
