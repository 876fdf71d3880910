/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-http"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-http-private.h"

/* libsoup's own I/O timeout; each request also has the caller's (shorter) deadline. */
#define SESSION_IO_TIMEOUT_S 60
#define SESSION_IDLE_TIMEOUT_S 60
#define SESSION_MAX_CONNS 64
#define SESSION_MAX_CONNS_PER_HOST 16

typedef struct
{
  SoupMessage  *message;
  GCancellable *inner;
  GCancellable *outer;
  gulong        outer_handler;
  GSource      *deadline;
  char         *host;
  guint         timeout_ms;
  guint         timed_out : 1;
} SendData;

typedef struct
{
  GTask            *call;
  RgHttpErrorFunc   error_func;
  RgHttpAnswerFunc  answer_func;
} CallData;

G_DEFINE_BOXED_TYPE (RgHttpResponse, rg_http_response, rg_http_response_copy, rg_http_response_free)

/**
 * rg_http_response_copy:
 * @response: a response
 *
 * Returns: (transfer full): a copy sharing the headers and body
 */
RgHttpResponse *
rg_http_response_copy (const RgHttpResponse *response)
{
  RgHttpResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = g_new0 (RgHttpResponse, 1);
  copy->status = response->status;
  copy->headers = response->headers != NULL ? soup_message_headers_ref (response->headers) : NULL;
  copy->body = response->body != NULL ? g_bytes_ref (response->body) : NULL;
  return copy;
}

void
rg_http_response_free (RgHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

/**
 * rg_http_response_dup_text:
 * @response: a response
 *
 * Returns: (transfer full): the body as a NUL-terminated string (invalid UTF-8 replaced)
 */
char *
rg_http_response_dup_text (const RgHttpResponse *response)
{
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  data = g_bytes_get_data (response->body, &size);
  return g_utf8_make_valid (data != NULL ? data : "", size);
}

/**
 * rg_http_response_parse_json:
 * @response: a response
 * @error: return location for a %RG_CHANNEL_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the root node of the JSON body, or %NULL with @error set
 */
JsonNode *
rg_http_response_parse_json (const RgHttpResponse  *response,
                             GError               **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  data = g_bytes_get_data (response->body, &size);
  parser = json_parser_new_immutable ();
  if (size == 0 || !json_parser_load_from_data (parser, data, size, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The answer (HTTP %u) is not valid JSON: %s"),
                                 response->status,
                                 local_error != NULL ? local_error->message : _("the body is empty"));
      g_propagate_error (error, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status,
                                                       NULL, -1, NULL, message));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static gpointer
create_session (gpointer data)
{
  /* The default proxy resolver is left in place on purpose: it honours GIO_USE_PROXY_RESOLVER
   * (tests set "dummy" so an http_proxy in the environment cannot capture 127.0.0.1). */
  return soup_session_new_with_options ("user-agent", "Regulars/" PACKAGE_VERSION,
                                        "timeout", SESSION_IO_TIMEOUT_S,
                                        "idle-timeout", SESSION_IDLE_TIMEOUT_S,
                                        "max-conns", SESSION_MAX_CONNS,
                                        "max-conns-per-host", SESSION_MAX_CONNS_PER_HOST,
                                        NULL);
}

/**
 * rg_http_get_session:
 *
 * The one #SoupSession of the process. Since libsoup 3.2 messages may be sent on it from any
 * thread that has a thread-default #GMainContext; only send on it, never reconfigure it.
 *
 * Returns: (transfer none): the shared session
 */
SoupSession *
rg_http_get_session (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, create_session, NULL);
  return once.retval;
}

/**
 * rg_http_escape_segment:
 * @segment: a value to put into a URL path, such as a user ID
 *
 * Returns: (transfer full): @segment with everything but unreserved characters percent-encoded
 */
char *
rg_http_escape_segment (const char *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  return g_uri_escape_string (segment, NULL, FALSE);
}

/**
 * rg_http_message_new:
 * @method: "GET" or "POST"
 * @base_url: the platform's base URL, e.g. "https://api.line.me" (a trailing '/' is ignored)
 * @path: the path and query to append, starting with '/'; escape values with
 *   rg_http_escape_segment() or g_uri_escape_string()
 * @error: return location for a %RG_CHANNEL_ERROR_CONFIGURATION error naming the base URL
 *
 * Returns: (transfer full): a new message, or %NULL if @base_url is not an http(s) URL
 */
SoupMessage *
rg_http_message_new (const char  *method,
                     const char  *base_url,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  g_autofree char *full = NULL;
  const char *scheme;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  base = g_strdup (base_url != NULL ? base_url : "");
  g_strstrip (base);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  full = g_strconcat (base, path, NULL);
  uri = g_uri_parse (full, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The base URL “%s” is not an http:// or https:// address"),
                                 base_url != NULL ? base_url : "");
      g_propagate_error (error, _rg_channel_error_new (RG_CHANNEL_ERROR_CONFIGURATION, 0, NULL,
                                                       -1, NULL, message));
      return NULL;
    }

  return soup_message_new_from_uri (method, uri);
}

/**
 * rg_http_message_set_json:
 * @message: a message
 * @body: the JSON to send as `application/json`
 */
void
rg_http_message_set_json (SoupMessage *message,
                          JsonNode    *body)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (body != NULL);

  text = json_to_string (body, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
}

/**
 * rg_http_form_add:
 * @form: the form being built
 * @name: a field name
 * @value: (nullable): its value; a %NULL value leaves the field out
 *
 * Appends `name=value` in application/x-www-form-urlencoded form.
 */
void
rg_http_form_add (GString    *form,
                  const char *name,
                  const char *value)
{
  g_autofree char *escaped_name = NULL;
  g_autofree char *escaped_value = NULL;

  g_return_if_fail (form != NULL);
  g_return_if_fail (name != NULL);

  if (value == NULL)
    return;

  escaped_name = g_uri_escape_string (name, NULL, FALSE);
  escaped_value = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", escaped_name, escaped_value);
}

/**
 * rg_http_message_set_form:
 * @message: a message
 * @encoded_form: the body built with rg_http_form_add()
 */
void
rg_http_message_set_form (SoupMessage *message,
                          const char  *encoded_form)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (encoded_form != NULL);

  bytes = g_bytes_new (encoded_form, strlen (encoded_form));
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
}

static void
send_data_free (SendData *data)
{
  if (data->deadline != NULL)
    {
      g_source_destroy (data->deadline);
      g_clear_pointer (&data->deadline, g_source_unref);
    }
  if (data->outer_handler != 0)
    g_cancellable_disconnect (data->outer, data->outer_handler);
  g_clear_object (&data->outer);
  g_clear_object (&data->inner);
  g_clear_object (&data->message);
  g_clear_pointer (&data->host, g_free);
  g_free (data);
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

static gboolean
deadline_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->inner);
  return G_SOURCE_REMOVE;
}

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SendData *data = g_task_get_task_data (task);
  RgHttpResponse *response;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body == NULL)
    {
      g_autofree char *message = NULL;

      if (g_cancellable_is_cancelled (data->outer))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The request to %s was cancelled"), data->host);
          return;
        }

      if (data->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          guint seconds = data->timeout_ms / 1000;

          if (data->timed_out && data->timeout_ms % 1000 == 0)
            message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%s did not answer within %u second",
                                                    "%s did not answer within %u seconds",
                                                    seconds),
                                       data->host, seconds);
          else
            message = g_strdup_printf (_("%s did not answer in time"), data->host);
          g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_TIMEOUT, 0, NULL,
                                                            -1, NULL, message));
          return;
        }

      message = g_strdup_printf (_("Could not reach %s: %s"), data->host, error->message);
      g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_NETWORK, 0, NULL, -1,
                                                        NULL, message));
      return;
    }

  response = g_new0 (RgHttpResponse, 1);
  response->status = soup_message_get_status (data->message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (data->message));
  response->body = g_steal_pointer (&body);

  /* Only the path: WeChat puts its access token into the query string. */
  g_debug ("%s %s%s: HTTP %u",
           soup_message_get_method (data->message), data->host,
           g_uri_get_path (soup_message_get_uri (data->message)), response->status);

  g_task_return_pointer (task, response, (GDestroyNotify) rg_http_response_free);
}

/**
 * rg_http_send_async:
 * @message: the request, from rg_http_message_new()
 * @timeout_ms: the deadline for the whole exchange, counted from this call (time spent queued
 *   behind other requests to the same host included), or 0 for %RG_HTTP_DEFAULT_TIMEOUT_MS
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Sends @message on the shared session and reads the whole answer. Never blocks.
 *
 * libsoup sends a POST on a fresh connection unless the message carries
 * %SOUP_MESSAGE_IDEMPOTENT; set that flag only where a silent resend is harmless (a LINE
 * push with a retry key), never for calls that add points or send an SMS.
 */
void
rg_http_send_async (SoupMessage         *message,
                    guint                timeout_ms,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_http_send_async);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->inner = g_cancellable_new ();
  data->outer = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  data->host = g_strdup (g_uri_get_host (soup_message_get_uri (message)));
  data->timeout_ms = timeout_ms > 0 ? timeout_ms : RG_HTTP_DEFAULT_TIMEOUT_MS;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  data->outer_handler = g_cancellable_connect (data->outer, G_CALLBACK (outer_cancelled_cb),
                                               g_object_ref (data->inner), g_object_unref);

  data->deadline = g_timeout_source_new (data->timeout_ms);
  g_source_set_callback (data->deadline, deadline_cb, data, NULL);
  g_source_set_static_name (data->deadline, "[rg] http deadline");
  g_source_attach (data->deadline, g_task_get_context (task));

  soup_session_send_and_read_async (rg_http_get_session (), message, G_PRIORITY_DEFAULT,
                                    data->inner, send_and_read_cb, g_steal_pointer (&task));
}

/**
 * rg_http_send_finish:
 * @result: the result given to the callback
 * @error: return location for an error: %RG_CHANNEL_ERROR_NETWORK, %RG_CHANNEL_ERROR_TIMEOUT, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the response (any HTTP status), or %NULL with @error set
 */
RgHttpResponse *
rg_http_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Quoted in error messages when the platform's own text is missing. */
char *
_rg_http_response_quote (const RgHttpResponse *response,
                         gboolean              mark_cut)
{
  g_autofree char *text = rg_http_response_dup_text (response);

  g_strstrip (text);
  if (text[0] == '\0')
    return g_strdup (soup_status_get_phrase (response->status));
  if (g_utf8_strlen (text, -1) > RG_HTTP_MAX_QUOTED_BODY)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, RG_HTTP_MAX_QUOTED_BODY);

      return mark_cut ? g_strconcat (cut, "…", NULL) : g_steal_pointer (&cut);
    }
  return g_steal_pointer (&text);
}

gint64
_rg_http_response_get_retry_after (const RgHttpResponse *response)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return _rg_channel_error_parse_retry_after (soup_message_headers_get_one (response->headers,
                                                                            "Retry-After"),
                                              now);
}

void
_rg_http_message_set_bearer (SoupMessage *message,
                             const char  *token)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
}

GTask *
_rg_http_call_new (gpointer             client,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             source_tag)
{
  GTask *call = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (call, source_tag);
  return call;
}

/* Returns %NULL after answering @call with the error when @base_url is unusable. */
SoupMessage *
_rg_http_call_message_new (GTask      *call,
                           const char *method,
                           const char *base_url,
                           const char *path)
{
  GError *error = NULL;
  SoupMessage *message;

  if ((message = rg_http_message_new (method, base_url, path, &error)) == NULL)
    g_task_return_error (call, error);
  return message;
}

static void
call_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallData *data = user_data;
  g_autoptr(GTask) call = g_steal_pointer (&data->call);
  g_autoptr(RgHttpResponse) response = NULL;
  RgHttpErrorFunc error_func = data->error_func;
  RgHttpAnswerFunc answer_func = data->answer_func;
  GError *error = NULL;

  g_free (data);

  if ((response = rg_http_send_finish (result, &error)) == NULL ||
      (error_func != NULL && (error = error_func (call, response)) != NULL))
    {
      g_task_return_error (call, error);
      return;
    }

  answer_func (call, response);
}

/*
 * The one flow of every client call: sends @message on the shared session, then answers @call
 * with the transport error, with what @error_func makes of the response, or through
 * @answer_func. @error_func may be %NULL when @answer_func maps errors itself.
 */
void
_rg_http_call_send (GTask            *call,
                    SoupMessage      *message,
                    guint             timeout_ms,
                    RgHttpErrorFunc   error_func,
                    RgHttpAnswerFunc  answer_func)
{
  CallData *data;

  g_assert (G_IS_TASK (call));
  g_assert (answer_func != NULL);

  data = g_new0 (CallData, 1);
  data->call = g_object_ref (call);
  data->error_func = error_func;
  data->answer_func = answer_func;
  rg_http_send_async (message, timeout_ms, g_task_get_cancellable (call), call_send_cb, data);
}

/* Returns the root of the JSON body, or %NULL after answering @call with the error. */
JsonNode *
_rg_http_call_parse_json (GTask                *call,
                          const RgHttpResponse *response)
{
  GError *error = NULL;
  JsonNode *node;

  if ((node = rg_http_response_parse_json (response, &error)) == NULL)
    g_task_return_error (call, error);
  return node;
}

gpointer
_rg_http_call_propagate_pointer (gpointer       client,
                                 GAsyncResult  *result,
                                 gpointer       source_tag,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_rg_http_call_propagate_boolean (gpointer       client,
                                 GAsyncResult  *result,
                                 gpointer       source_tag,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
