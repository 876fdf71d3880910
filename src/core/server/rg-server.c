/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-server-private.h"

/* The built-in HTTP server (DESIGN §7). One SoupServer handler receives every request and
 * dispatches over our own route table, so that unknown paths get a JSON 404 and later
 * features (/m/<token>, /api/v1/…) plug in with rg_server_add_handler(). The body limit is
 * enforced from the headers (Content-Length) or while the body streams in (chunked), before
 * any handler runs. Answers go out before slow work: webhook payloads are queued and
 * processed from an idle (rg-server-webhooks.c). Response messages are protocol text for
 * the platforms and integrators, not for the shop, and stay untranslated. */

typedef struct
{
  char                *path;
  gboolean             prefix;
  RgServerHandlerFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;
} Route;

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_BODY_LIMIT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgServer, rg_server, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
guint _rg_server_signals[RG_SERVER_N_SIGNALS];

static GQuark request_start_quark;
static GQuark request_bytes_quark;

static void
route_free (gpointer data)
{
  Route *route = data;

  if (route->destroy != NULL)
    route->destroy (route->user_data);
  g_free (route->path);
  g_free (route);
}

/**
 * _rg_server_constant_time_equal:
 *
 * Compares without an early exit, so that the time taken does not tell an attacker how
 * many leading bytes of a signature were right. Only the length may differ in time, and the
 * length of a signature is public.
 */
gboolean
_rg_server_constant_time_equal (const char *a,
                                gsize       a_len,
                                const char *b,
                                gsize       b_len)
{
  volatile guint8 diff = 0;

  if (a_len != b_len)
    return FALSE;
  for (gsize i = 0; i < a_len; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

/**
 * rg_server_respond_json:
 * @node: the body
 *
 * Sets @status and @node as an `application/json` answer on @msg.
 */
void
rg_server_respond_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  char *text;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (node != NULL);

  text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

/**
 * rg_server_respond_error:
 * @field: (nullable): the request field at fault, e.g. "events" or "to"
 *
 * Answers `{"error":{"message":"…","field":"…"}}` (field %null when there is none).
 */
void
rg_server_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *field,
                         const char        *format,
                         ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "field");
  if (field != NULL)
    json_builder_add_string_value (builder, field);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  rg_server_respond_json (msg, status, node);
}

static void
respond_too_large (RgServer          *self,
                   SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* What still arrives is read and dropped; the connection ends after the answer. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  rg_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                           "The request body is larger than the limit of %" G_GSIZE_FORMAT
                           " bytes",
                           self->body_limit);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RgServer          *self)
{
  gsize received = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), request_bytes_quark));

  received += g_bytes_get_size (chunk);
  g_object_set_qdata (G_OBJECT (msg), request_bytes_quark, GSIZE_TO_POINTER (received));

  if (received > self->body_limit && soup_server_message_get_status (msg) == 0)
    respond_too_large (self, msg);
}

static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RgServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  switch ((int) soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_NONE:
      break;

    case SOUP_ENCODING_CONTENT_LENGTH:
      if ((guint64) soup_message_headers_get_content_length (headers) > self->body_limit)
        respond_too_large (self, msg);
      break;

    default:
      /* Chunked: count while it streams. */
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
      break;
    }
}

static const Route *
find_route (RgServer   *self,
            const char *path)
{
  const Route *best = NULL;

  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (self->routes, i);

      if (route->prefix ? g_str_has_prefix (path, route->path) : g_str_equal (path, route->path))
        {
          if (best == NULL || strlen (route->path) > strlen (best->path))
            best = route;
        }
    }
  return best;
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RgServer *self = user_data;
  const Route *route;

  if (!(route = find_route (self, path)))
    {
      rg_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No route for %s %s",
                               soup_server_message_get_method (msg), path);
      return;
    }

  route->func (self, msg, path, query, route->user_data);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), request_start_quark, start, g_free);
}

static void
log_request (RgServer          *self,
             SoupServerMessage *msg)
{
  gint64 *start = g_object_get_qdata (G_OBJECT (msg), request_start_quark);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  double ms = 0;

  if (start != NULL)
    ms = (g_get_monotonic_time () - *start) / 1000.0;

  /* Only the path: a query may carry a verify token. */
  g_signal_emit (self, _rg_server_signals[RG_SERVER_SIGNAL_REQUEST_LOGGED], 0,
                 method != NULL ? method : "-",
                 uri != NULL ? g_uri_get_path (uri) : "-",
                 soup_server_message_get_status (msg),
                 ms);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     RgServer          *self)
{
  log_request (self, msg);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!rg_server_reload_credentials_finish (RG_SERVER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not reload the webhook credentials: %s", error->message);
}

static void
settings_changed_cb (RgServer   *self,
                     const char *channel,
                     const char *field)
{
  if ((g_str_equal (channel, "line") && g_str_equal (field, "channel-secret")) ||
      (g_str_equal (channel, "whatsapp") &&
       (g_str_equal (field, "app-secret") || g_str_equal (field, "verify-token"))) ||
      (g_str_equal (channel, "wechat") && g_str_equal (field, "token")))
    rg_server_reload_credentials_async (self, NULL, reload_done_cb, NULL);
}

static void
wipe_and_free (char **str)
{
  if (*str != NULL)
    {
      volatile char *p = *str;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (str, g_free);
    }
}

static void
rg_server_constructed (GObject *object)
{
  RgServer *self = (RgServer *)object;

  G_OBJECT_CLASS (rg_server_parent_class)->constructed (object);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
rg_server_dispose (GObject *object)
{
  RgServer *self = (RgServer *)object;

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  _rg_server_clear_pending (self);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_object (&self->members);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_server_parent_class)->dispose (object);
}

static void
rg_server_finalize (GObject *object)
{
  RgServer *self = (RgServer *)object;

  wipe_and_free (&self->line_channel_secret);
  wipe_and_free (&self->whatsapp_app_secret);
  wipe_and_free (&self->whatsapp_verify_token);
  wipe_and_free (&self->wechat_token);

  G_OBJECT_CLASS (rg_server_parent_class)->finalize (object);
}

static void
rg_server_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RgServer *self = RG_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_BODY_LIMIT:
      g_value_set_uint64 (value, self->body_limit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_server_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RgServer *self = RG_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_BODY_LIMIT:
      rg_server_set_body_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_server_class_init (RgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rg_server_constructed;
  object_class->dispose = rg_server_dispose;
  object_class->finalize = rg_server_finalize;
  object_class->get_property = rg_server_get_property;
  object_class->set_property = rg_server_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BODY_LIMIT] =
    g_param_spec_uint64 ("body-limit", NULL, NULL,
                         1, G_MAXSIZE, RG_SERVER_DEFAULT_BODY_LIMIT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgServer::line-event:
   * @event: one event of a verified LINE webhook, seen for the first time
   *
   * Emitted after the answer, once per event (redeliveries are dropped), after the follow
   * state of the member has been updated.
   */
  _rg_server_signals[RG_SERVER_SIGNAL_LINE_EVENT] =
    g_signal_new ("line-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  /**
   * RgServer::whatsapp-event:
   * @field: the change's `field`, e.g. "messages"
   * @value: the change's `value` (`messages[]`, `statuses[]`, `metadata` …)
   *
   * Emitted after the answer, once per `entry[].changes[]` item of a verified payload.
   */
  _rg_server_signals[RG_SERVER_SIGNAL_WHATSAPP_EVENT] =
    g_signal_new ("whatsapp-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  /**
   * RgServer::wechat-event:
   * @event: (element-type utf8 utf8): the children of the `<xml>` of a verified WeChat push
   *   (plaintext mode), element name to text: "FromUserName", "CreateTime", "MsgType",
   *   "Event", "CardId", "UserCardCode"… (an element with elements inside maps to "")
   *
   * Emitted after the answer, once per message or event (redeliveries are dropped).
   */
  _rg_server_signals[RG_SERVER_SIGNAL_WECHAT_EVENT] =
    g_signal_new ("wechat-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_HASH_TABLE);

  /**
   * RgServer::request-logged:
   * @method: "POST" …
   * @path: the path, without the query
   * @status: the answer's status code (0 when the client went away first)
   * @ms: from the first byte of the request to the last of the answer
   */
  _rg_server_signals[RG_SERVER_SIGNAL_REQUEST_LOGGED] =
    g_signal_new ("request-logged",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_DOUBLE);

  request_start_quark = g_quark_from_static_string ("rg-server-request-start");
  request_bytes_quark = g_quark_from_static_string ("rg-server-request-bytes");
}

static void
rg_server_init (RgServer *self)
{
  self->body_limit = RG_SERVER_DEFAULT_BODY_LIMIT;
  self->routes = g_ptr_array_new_with_free_func (route_free);
  g_queue_init (&self->pending);

  self->soup = soup_server_new ("server-header", "Regulars/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self);

  _rg_server_add_webhook_routes (self);
}

/**
 * rg_server_new:
 *
 * Creates the server with its webhook routes. Call rg_server_reload_credentials_async()
 * and rg_server_listen() next; until the credentials are loaded, webhooks answer 503.
 */
RgServer *
rg_server_new (RgStore           *store,
               RgChannelSettings *settings)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (settings), NULL);

  return g_object_new (RG_TYPE_SERVER,
                       "store", store,
                       "settings", settings,
                       NULL);
}

RgStore *
rg_server_get_store (RgServer *self)
{
  g_return_val_if_fail (RG_IS_SERVER (self), NULL);

  return self->store;
}

RgChannelSettings *
rg_server_get_settings (RgServer *self)
{
  g_return_val_if_fail (RG_IS_SERVER (self), NULL);

  return self->settings;
}

gsize
rg_server_get_body_limit (RgServer *self)
{
  g_return_val_if_fail (RG_IS_SERVER (self), 0);

  return self->body_limit;
}

/**
 * rg_server_set_body_limit:
 * @limit: the largest request body accepted, in bytes; larger ones get 413
 */
void
rg_server_set_body_limit (RgServer *self,
                          gsize     limit)
{
  g_return_if_fail (RG_IS_SERVER (self));
  g_return_if_fail (limit > 0);

  if (self->body_limit != limit)
    {
      self->body_limit = limit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY_LIMIT]);
    }
}

/**
 * rg_server_add_handler:
 * @path: an exact path such as "/webhook/line", or a prefix ending in "/" such as "/m/"
 * @func: answers the requests of @path
 *
 * Adds a route. The longest matching route wins; a path without any gets a JSON 404.
 */
void
rg_server_add_handler (RgServer            *self,
                       const char          *path,
                       RgServerHandlerFunc  func,
                       gpointer             user_data,
                       GDestroyNotify       destroy)
{
  Route *route;

  g_return_if_fail (RG_IS_SERVER (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (func != NULL);

  route = g_new0 (Route, 1);
  route->path = g_strdup (path);
  route->prefix = g_str_has_suffix (path, "/");
  route->func = func;
  route->user_data = user_data;
  route->destroy = destroy;
  g_ptr_array_add (self->routes, route);
}

/**
 * rg_server_listen:
 * @address: an IP address, e.g. "127.0.0.1"
 * @port: the TCP port, or 0 for any free one (see rg_server_get_port())
 */
gboolean
rg_server_listen (RgServer    *self,
                  const char  *address,
                  guint        port,
                  GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (RG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (port > G_MAXUINT16)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%u is not a port; use 0 to 65535"), port);
      return FALSE;
    }

  if (!(inet = g_inet_address_new_from_string (address)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address such as 127.0.0.1 or ::1"), address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    {
      g_prefix_error (error, _("Could not listen on %s port %u: "), address, port);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_server_disconnect:
 *
 * Stops listening and closes the open connections.
 */
void
rg_server_disconnect (RgServer *self)
{
  g_return_if_fail (RG_IS_SERVER (self));

  soup_server_disconnect (self->soup);
}

/**
 * rg_server_dup_url:
 *
 * Returns: (transfer full) (nullable): the bound address, e.g. "http://127.0.0.1:8765",
 *   or %NULL when not listening
 */
char *
rg_server_dup_url (RgServer *self)
{
  g_autoslist(GUri) uris = NULL;
  char *url;
  gsize len;

  g_return_val_if_fail (RG_IS_SERVER (self), NULL);

  if (!(uris = soup_server_get_uris (self->soup)))
    return NULL;

  url = g_uri_to_string (uris->data);
  len = strlen (url);
  if (len > 0 && url[len - 1] == '/')
    url[len - 1] = '\0';
  return url;
}

/**
 * rg_server_get_port:
 *
 * Returns: the bound port (the real one after listening on port 0), or 0
 */
guint
rg_server_get_port (RgServer *self)
{
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (RG_IS_SERVER (self), 0);

  if (!(uris = soup_server_get_uris (self->soup)))
    return 0;
  return (guint) MAX (g_uri_get_port (uris->data), 0);
}

/**
 * rg_server_get_pending:
 *
 * Returns: how many answered webhook payloads wait to be processed
 */
guint
rg_server_get_pending (RgServer *self)
{
  g_return_val_if_fail (RG_IS_SERVER (self), 0);

  return self->pending.length;
}

typedef struct
{
  const char *channel;
  const char *field;
} Credential;

static const Credential credentials[] = {
  { "line", "channel-secret" },
  { "whatsapp", "app-secret" },
  { "whatsapp", "verify-token" },
  { "wechat", "token" },
};

typedef struct
{
  char  *values[G_N_ELEMENTS (credentials)];
  guint  next;
} Reload;

static void
reload_free (gpointer data)
{
  Reload *reload = data;

  for (guint i = 0; i < G_N_ELEMENTS (credentials); i++)
    wipe_and_free (&reload->values[i]);
  g_free (reload);
}

static void reload_next (GTask *task);

static void
reload_got_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reload *reload = g_task_get_task_data (task);
  GError *error = NULL;

  reload->values[reload->next] =
    rg_channel_settings_get_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  reload->next++;
  reload_next (task);
}

static void
reload_next (GTask *task)
{
  RgServer *self = g_task_get_source_object (task);
  Reload *reload = g_task_get_task_data (task);

  if (reload->next < G_N_ELEMENTS (credentials))
    {
      rg_channel_settings_get_async (self->settings,
                                     credentials[reload->next].channel,
                                     credentials[reload->next].field,
                                     g_task_get_cancellable (task),
                                     reload_got_cb, g_object_ref (task));
      return;
    }

  /* All or nothing: a half-read keyring keeps the credentials in use. */
  wipe_and_free (&self->line_channel_secret);
  wipe_and_free (&self->whatsapp_app_secret);
  wipe_and_free (&self->whatsapp_verify_token);
  wipe_and_free (&self->wechat_token);
  self->line_channel_secret = g_steal_pointer (&reload->values[0]);
  self->whatsapp_app_secret = g_steal_pointer (&reload->values[1]);
  self->whatsapp_verify_token = g_steal_pointer (&reload->values[2]);
  self->wechat_token = g_steal_pointer (&reload->values[3]);

  g_debug ("Webhook credentials loaded: LINE %s, WhatsApp app secret %s, verify token %s, "
           "WeChat token %s",
           self->line_channel_secret ? "set" : "unset",
           self->whatsapp_app_secret ? "set" : "unset",
           self->whatsapp_verify_token ? "set" : "unset",
           self->wechat_token ? "set" : "unset");
  g_task_return_boolean (task, TRUE);
}

/**
 * rg_server_reload_credentials_async:
 *
 * Reads the LINE channel secret, the WhatsApp app secret and verify token and the WeChat
 * server token from the keyring. A change made through the server's own #RgChannelSettings reloads them by
 * itself; call this after changes made elsewhere (another process).
 */
void
rg_server_reload_credentials_async (RgServer            *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RG_IS_SERVER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_server_reload_credentials_async);
  g_task_set_task_data (task, g_new0 (Reload, 1), reload_free);

  reload_next (task);
}

gboolean
rg_server_reload_credentials_finish (RgServer      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (RG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
