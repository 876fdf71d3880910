/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-request"

#include "config.h"

#include "rg-fake-request.h"

G_DEFINE_BOXED_TYPE (RgFakeRequest, rg_fake_request, rg_fake_request_ref, rg_fake_request_unref)

/**
 * rg_fake_request_new:
 * @method: the method
 * @path: the path below the fake's prefix
 * @query: (nullable): the raw query
 * @headers: the headers (a reference is taken)
 * @body: (nullable): the body (a reference is taken)
 *
 * Returns: (transfer full): a new record
 */
RgFakeRequest *
rg_fake_request_new (const char         *method,
                     const char         *path,
                     const char         *query,
                     SoupMessageHeaders *headers,
                     GBytes             *body)
{
  RgFakeRequest *request = g_new0 (RgFakeRequest, 1);

  g_atomic_ref_count_init (&request->ref_count);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (query);
  request->headers = soup_message_headers_ref (headers);
  request->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  return request;
}

RgFakeRequest *
rg_fake_request_ref (RgFakeRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  g_atomic_ref_count_inc (&request->ref_count);
  return request;
}

void
rg_fake_request_unref (RgFakeRequest *request)
{
  g_return_if_fail (request != NULL);

  if (!g_atomic_ref_count_dec (&request->ref_count))
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

/**
 * rg_fake_request_get_header:
 * @request: a request
 * @name: a header name (case-insensitive)
 *
 * Returns: (nullable): the header's value
 */
const char *
rg_fake_request_get_header (RgFakeRequest *request,
                            const char    *name)
{
  g_return_val_if_fail (request != NULL, NULL);

  return soup_message_headers_get_one (request->headers, name);
}

/**
 * rg_fake_request_dup_body_text:
 * @request: a request
 *
 * Returns: (transfer full): the body as a string
 */
char *
rg_fake_request_dup_body_text (RgFakeRequest *request)
{
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (request != NULL, NULL);

  data = g_bytes_get_data (request->body, &size);
  return g_strndup (data != NULL ? data : "", size);
}

/**
 * rg_fake_request_dup_json:
 * @request: a request
 *
 * Returns: (transfer full) (nullable): the body parsed as JSON, or %NULL if it is not JSON
 */
JsonNode *
rg_fake_request_dup_json (RgFakeRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (request != NULL, NULL);

  data = g_bytes_get_data (request->body, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * rg_fake_request_dup_form:
 * @request: a request
 *
 * Returns: (transfer full): the body decoded as application/x-www-form-urlencoded
 */
GHashTable *
rg_fake_request_dup_form (RgFakeRequest *request)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (request != NULL, NULL);

  text = rg_fake_request_dup_body_text (request);
  return soup_form_decode (text);
}

/**
 * rg_fake_request_dup_query:
 * @request: a request
 *
 * Returns: (transfer full): the decoded query (empty if there was none)
 */
GHashTable *
rg_fake_request_dup_query (RgFakeRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  return soup_form_decode (request->query != NULL ? request->query : "");
}
