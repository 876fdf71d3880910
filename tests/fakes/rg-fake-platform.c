/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-platform"

#include "config.h"

#include "rg-fake-platform-private.h"

#define CONTROL_PREFIX "/_fake/"

typedef struct
{
  char   *path;
  guint   remaining;
  guint   status;
  char   *content_type;
  GBytes *body;
  gint    retry_after;
} Fault;

typedef struct
{
  SoupServerMessage *message;
  char              *path;
  RgFakeRequest     *request;
} Held;

typedef struct
{
  /* Recursive: subclass handlers run under it and call back into the base. */
  GRecMutex     lock;

  SoupServer   *server;
  guint         owns_server : 1;
  char         *prefix;
  char         *base_url;
  GMainContext *context;

  GThread      *thread;
  GMainLoop    *loop;
  GMutex        start_mutex;
  GCond         start_cond;
  gboolean      start_done;
  GError       *start_error;

  GPtrArray    *requests;
  GQueue        faults;
  GPtrArray    *held;
  GHashTable   *deliveries;
} RgFakePlatformPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RgFakePlatform, rg_fake_platform, G_TYPE_OBJECT)


static void
fault_free (Fault *fault)
{
  g_free (fault->path);
  g_free (fault->content_type);
  g_clear_pointer (&fault->body, g_bytes_unref);
  g_free (fault);
}

static void
held_free (Held *held)
{
  g_clear_object (&held->message);
  g_free (held->path);
  g_clear_pointer (&held->request, rg_fake_request_unref);
  g_free (held);
}

void
_rg_fake_platform_lock (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_rec_mutex_lock (&priv->lock);
}

void
_rg_fake_platform_unlock (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_rec_mutex_unlock (&priv->lock);
}

void
_rg_fake_platform_count_delivery (RgFakePlatform *self,
                                  const char     *recipient)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  guint count;

  _rg_fake_platform_lock (self);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (priv->deliveries, recipient));
  g_hash_table_replace (priv->deliveries, g_strdup (recipient), GUINT_TO_POINTER (count + 1));
  _rg_fake_platform_unlock (self);
}

void
_rg_fake_reply_text (SoupServerMessage *message,
                     guint              status,
                     const char        *content_type,
                     const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  if (text != NULL)
    soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

void
_rg_fake_reply_json_text (SoupServerMessage *message,
                          guint              status,
                          const char        *json)
{
  _rg_fake_reply_text (message, status, "application/json", json);
}

void
_rg_fake_reply_json (SoupServerMessage *message,
                     guint              status,
                     JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  _rg_fake_reply_json_text (message, status, text);
}

char *
_rg_fake_random_hex (guint n_digits)
{
  GString *hex = g_string_sized_new (n_digits);

  for (guint i = 0; i < n_digits; i++)
    g_string_append_c (hex, "0123456789abcdef"[g_random_int_range (0, 16)]);
  return g_string_free (hex, FALSE);
}

const char *
_rg_fake_json_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
_rg_fake_content_type_is (RgFakeRequest *request,
                          const char    *mime_type)
{
  const char *content_type = soup_message_headers_get_content_type (request->headers, NULL);

  return content_type != NULL && g_ascii_strcasecmp (content_type, mime_type) == 0;
}

static gboolean
path_matches (const char *pattern,
              const char *path)
{
  return pattern == NULL || g_str_equal (pattern, path);
}

static GBytes *
flatten_body (SoupServerMessage *message)
{
  SoupMessageBody *body = soup_server_message_get_request_body (message);

  return soup_message_body_flatten (body);
}

/* Takes the first programmed fault for @path, if any. Called locked. */
static Fault *
take_fault (RgFakePlatform *self,
            const char     *path)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  for (GList *l = priv->faults.head; l != NULL; l = l->next)
    {
      Fault *fault = l->data;
      Fault *copy;

      if (!path_matches (fault->path, path))
        continue;

      copy = g_new0 (Fault, 1);
      copy->status = fault->status;
      copy->content_type = g_strdup (fault->content_type);
      copy->body = fault->body != NULL ? g_bytes_ref (fault->body) : NULL;
      copy->retry_after = fault->retry_after;

      if (--fault->remaining == 0)
        {
          g_queue_delete_link (&priv->faults, l);
          fault_free (fault);
        }
      return copy;
    }

  return NULL;
}

static void
answer_fault (RgFakePlatform    *self,
              SoupServerMessage *message,
              const char        *path,
              Fault             *fault)
{
  RgFakePlatformClass *klass = RG_FAKE_PLATFORM_GET_CLASS (self);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = NULL;

  if (fault->body != NULL)
    {
      body = g_bytes_ref (fault->body);
      content_type = g_strdup (fault->content_type != NULL ? fault->content_type : "application/json");
    }
  else if (klass->failure_body != NULL)
    body = klass->failure_body (self, path, fault->status, &content_type);

  soup_server_message_set_status (message, fault->status, NULL);
  if (fault->retry_after >= 0)
    {
      g_autofree char *value = g_strdup_printf ("%d", fault->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", value);
    }
  if (body != NULL)
    soup_server_message_set_response (message,
                                      content_type != NULL ? content_type : "application/json",
                                      SOUP_MEMORY_COPY,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
handle_normally (RgFakePlatform    *self,
                 SoupServerMessage *message,
                 const char        *path,
                 RgFakeRequest     *request)
{
  RgFakePlatformClass *klass = RG_FAKE_PLATFORM_GET_CLASS (self);

  klass->handle (self, message, path, request);
  request->status = soup_server_message_get_status (message);
}

static JsonNode *
requests_to_json (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < priv->requests->len; i++)
    {
      RgFakeRequest *request = g_ptr_array_index (priv->requests, i);
      g_autofree char *body = rg_fake_request_dup_body_text (request);
      SoupMessageHeadersIter iter;
      const char *name;
      const char *value;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, request->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, request->path);
      json_builder_set_member_name (builder, "query");
      json_builder_add_string_value (builder, request->query);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, request->status);
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_object (builder);
      soup_message_headers_iter_init (&iter, request->headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          json_builder_set_member_name (builder, name);
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, g_utf8_validate (body, -1, NULL) ? body : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/*
 * Control routes for tests that run the fakes in another process (regulars-fake-platforms):
 *   GET  /_fake/requests     the recorded requests as JSON
 *   GET  /_fake/deliveries   {"recipient": count}
 *   POST /_fake/fail         {"path"?, "count"?, "status", "retry_after"?, "body"?, "content_type"?}
 *   POST /_fake/hang         {"path"?, "count"?}
 *   POST /_fake/release      answer held requests
 *   POST /_fake/reset        forget everything
 */
static void
handle_control (RgFakePlatform    *self,
                SoupServerMessage *message,
                const char        *command)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = flatten_body (message);
  JsonObject *object = NULL;
  const char *path = NULL;
  gint64 count = 1;
  gint64 status = 500;
  gint64 retry_after = -1;

  if (g_bytes_get_size (body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      object = json_node_get_object (json_parser_get_root (parser));
      path = _rg_fake_json_string (object, "path");
      count = json_object_get_int_member_with_default (object, "count", 1);
      status = json_object_get_int_member_with_default (object, "status", 500);
      retry_after = json_object_get_int_member_with_default (object, "retry_after", -1);
    }

  if (g_str_equal (command, "requests"))
    {
      g_autoptr(JsonNode) node = NULL;

      _rg_fake_platform_lock (self);
      node = requests_to_json (self);
      _rg_fake_platform_unlock (self);
      _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (command, "deliveries"))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      GHashTableIter iter;
      gpointer key;
      gpointer value;

      _rg_fake_platform_lock (self);
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, priv->deliveries);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_int_value (builder, GPOINTER_TO_UINT (value));
        }
      json_builder_end_object (builder);
      _rg_fake_platform_unlock (self);
      node = json_builder_get_root (builder);
      _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (command, "fail") && object != NULL)
    {
      const char *fault_body = _rg_fake_json_string (object, "body");

      if (fault_body != NULL)
        rg_fake_platform_fail_with_body (self, path, count, status,
                                         _rg_fake_json_string (object, "content_type"),
                                         fault_body, retry_after);
      else
        rg_fake_platform_fail (self, path, count, status, retry_after);
      _rg_fake_reply_json_text (message, SOUP_STATUS_OK, "{\"ok\":true}");
    }
  else if (g_str_equal (command, "hang"))
    {
      rg_fake_platform_hang (self, path, count);
      _rg_fake_reply_json_text (message, SOUP_STATUS_OK, "{\"ok\":true}");
    }
  else if (g_str_equal (command, "release"))
    {
      rg_fake_platform_release (self);
      _rg_fake_reply_json_text (message, SOUP_STATUS_OK, "{\"ok\":true}");
    }
  else if (g_str_equal (command, "reset"))
    {
      rg_fake_platform_reset (self);
      _rg_fake_reply_json_text (message, SOUP_STATUS_OK, "{\"ok\":true}");
    }
  else
    _rg_fake_reply_json_text (message, SOUP_STATUS_NOT_FOUND, "{\"error\":\"unknown control route\"}");
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *full_path,
           GHashTable        *query,
           gpointer           user_data)
{
  RgFakePlatform *self = user_data;
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  RgFakePlatformClass *klass = RG_FAKE_PLATFORM_GET_CLASS (self);
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  Fault *fault;
  const char *path = full_path;

  if (priv->prefix[0] != '\0' && g_str_has_prefix (path, priv->prefix))
    path += strlen (priv->prefix);
  if (path[0] == '\0')
    path = "/";

  if (g_str_has_prefix (path, CONTROL_PREFIX))
    {
      handle_control (self, message, path + strlen (CONTROL_PREFIX));
      return;
    }

  body = flatten_body (message);
  request = rg_fake_request_new (soup_server_message_get_method (message), path,
                                 g_uri_get_query (soup_server_message_get_uri (message)),
                                 soup_server_message_get_request_headers (message), body);

  _rg_fake_platform_lock (self);
  g_ptr_array_add (priv->requests, rg_fake_request_ref (request));

  if (klass->decorate != NULL)
    klass->decorate (self, message);

  if ((fault = take_fault (self, path)) != NULL)
    {
      if (fault->status == 0)
        {
          Held *held = g_new0 (Held, 1);

          held->message = g_object_ref (message);
          held->path = g_strdup (path);
          held->request = rg_fake_request_ref (request);
          g_ptr_array_add (priv->held, held);
          soup_server_message_pause (message);
        }
      else
        {
          answer_fault (self, message, path, fault);
          request->status = fault->status;
        }
      fault_free (fault);
      _rg_fake_platform_unlock (self);
      return;
    }

  handle_normally (self, message, path, request);
  _rg_fake_platform_unlock (self);
}

static gboolean
release_held_cb (gpointer user_data)
{
  RgFakePlatform *self = user_data;
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  g_autoptr(GPtrArray) held = NULL;

  _rg_fake_platform_lock (self);
  held = g_steal_pointer (&priv->held);
  priv->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  for (guint i = 0; i < held->len; i++)
    {
      Held *entry = g_ptr_array_index (held, i);

      handle_normally (self, entry->message, entry->path, entry->request);
      soup_server_message_unpause (entry->message);
    }
  _rg_fake_platform_unlock (self);

  return G_SOURCE_REMOVE;
}

static void
compute_base_url (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  RgFakePlatformClass *klass = RG_FAKE_PLATFORM_GET_CLASS (self);
  GSList *uris;
  g_autofree char *root = NULL;

  if (priv->base_url != NULL || priv->server == NULL)
    return;

  uris = soup_server_get_uris (priv->server);
  if (uris == NULL)
    return;

  root = g_uri_to_string (uris->data);
  while (g_str_has_suffix (root, "/"))
    root[strlen (root) - 1] = '\0';
  priv->base_url = g_strconcat (root, priv->prefix, klass->base_path != NULL ? klass->base_path : "",
                                NULL);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static gboolean
listen_locally (RgFakePlatform  *self,
                GError         **error)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  priv->server = soup_server_new ("server-header", "rg-fake-platform ", NULL);
  priv->owns_server = TRUE;
  rg_fake_platform_attach (self, priv->server, "");
  if (!soup_server_listen_local (priv->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  _rg_fake_platform_lock (self);
  compute_base_url (self);
  _rg_fake_platform_unlock (self);
  return TRUE;
}

static void
stop_server (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  if (priv->server == NULL)
    return;

  soup_server_remove_handler (priv->server, priv->prefix[0] != '\0' ? priv->prefix : NULL);
  if (priv->owns_server)
    soup_server_disconnect (priv->server);

  /* Held messages belong to the server's connections, now closed. */
  _rg_fake_platform_lock (self);
  g_ptr_array_set_size (priv->held, 0);
  _rg_fake_platform_unlock (self);

  g_clear_object (&priv->server);
}

static gpointer
thread_func (gpointer data)
{
  RgFakePlatform *self = data;
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (priv->context);

  ok = listen_locally (self, &error);

  g_mutex_lock (&priv->start_mutex);
  priv->start_error = error;
  priv->start_done = TRUE;
  g_cond_signal (&priv->start_cond);
  g_mutex_unlock (&priv->start_mutex);

  if (ok)
    g_main_loop_run (priv->loop);

  stop_server (self);
  g_main_context_pop_thread_default (priv->context);
  return NULL;
}

static void
rg_fake_platform_dispose (GObject *object)
{
  RgFakePlatform *self = (RgFakePlatform *)object;
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  if (priv->thread != NULL)
    {
      g_main_loop_quit (priv->loop);
      g_thread_join (g_steal_pointer (&priv->thread));
    }
  else
    stop_server (self);

  G_OBJECT_CLASS (rg_fake_platform_parent_class)->dispose (object);
}

static void
rg_fake_platform_finalize (GObject *object)
{
  RgFakePlatform *self = (RgFakePlatform *)object;
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_clear_pointer (&priv->prefix, g_free);
  g_clear_pointer (&priv->base_url, g_free);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->loop, g_main_loop_unref);
  g_clear_error (&priv->start_error);
  g_clear_pointer (&priv->requests, g_ptr_array_unref);
  g_queue_clear_full (&priv->faults, (GDestroyNotify) fault_free);
  g_clear_pointer (&priv->held, g_ptr_array_unref);
  g_clear_pointer (&priv->deliveries, g_hash_table_unref);
  g_mutex_clear (&priv->start_mutex);
  g_cond_clear (&priv->start_cond);
  g_rec_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (rg_fake_platform_parent_class)->finalize (object);
}

static void
rg_fake_platform_class_init (RgFakePlatformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_fake_platform_dispose;
  object_class->finalize = rg_fake_platform_finalize;

  klass->name = "fake";
  klass->base_path = "";
}

static void
rg_fake_platform_init (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_rec_mutex_init (&priv->lock);
  g_mutex_init (&priv->start_mutex);
  g_cond_init (&priv->start_cond);
  priv->prefix = g_strdup ("");
  priv->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) rg_fake_request_unref);
  g_queue_init (&priv->faults);
  priv->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  priv->deliveries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rg_fake_platform_start:
 * @self: a fake
 * @error: return location for an error
 *
 * Listens on 127.0.0.1, on a free port, in the thread-default main context: the test's own
 * loop answers the requests, which suits async clients.
 *
 * Returns: %TRUE if listening
 */
gboolean
rg_fake_platform_start (RgFakePlatform  *self,
                        GError         **error)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), FALSE);
  g_return_val_if_fail (priv->server == NULL && priv->thread == NULL, FALSE);

  priv->context = g_main_context_ref_thread_default ();
  return listen_locally (self, error);
}

/**
 * rg_fake_platform_start_in_thread:
 * @self: a fake
 * @error: return location for an error
 *
 * Listens on 127.0.0.1, on a free port, in a thread of its own with its own main context, for
 * code under test that blocks. Every method of the fake may then be called from the test's
 * thread. Disposing the fake stops the thread.
 *
 * Returns: %TRUE if listening
 */
gboolean
rg_fake_platform_start_in_thread (RgFakePlatform  *self,
                                  GError         **error)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  g_autofree char *name = NULL;

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), FALSE);
  g_return_val_if_fail (priv->server == NULL && priv->thread == NULL, FALSE);

  priv->context = g_main_context_new ();
  priv->loop = g_main_loop_new (priv->context, FALSE);
  name = g_strdup_printf ("rg-fake-%s", RG_FAKE_PLATFORM_GET_CLASS (self)->name);
  priv->thread = g_thread_new (name, thread_func, self);

  g_mutex_lock (&priv->start_mutex);
  while (!priv->start_done)
    g_cond_wait (&priv->start_cond, &priv->start_mutex);
  g_mutex_unlock (&priv->start_mutex);

  if (priv->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->start_error));
      g_main_loop_quit (priv->loop);
      g_thread_join (g_steal_pointer (&priv->thread));
      return FALSE;
    }

  return TRUE;
}

/**
 * rg_fake_platform_attach:
 * @self: a fake
 * @server: a server, listening or about to listen
 * @prefix: the path the fake answers under, e.g. "/line"; "" for the whole server
 *
 * Shares one server between several fakes (regulars-fake-platforms serves all four on one
 * port). Requests are answered in the main context that is thread-default now.
 */
void
rg_fake_platform_attach (RgFakePlatform *self,
                         SoupServer     *server,
                         const char     *prefix)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (prefix != NULL);

  if (priv->server != server)
    {
      g_clear_object (&priv->server);
      priv->server = g_object_ref (server);
    }
  if (priv->context == NULL)
    priv->context = g_main_context_ref_thread_default ();

  g_free (priv->prefix);
  priv->prefix = g_strdup (prefix);
  soup_server_add_handler (server, prefix[0] != '\0' ? prefix : NULL, server_cb, self, NULL);
}

/**
 * rg_fake_platform_get_base_url:
 * @self: a started fake
 *
 * Returns: what a client's `base-url` must be, e.g. "http://127.0.0.1:41234" or, for
 *   WhatsApp, "http://127.0.0.1:41234/v19.0"
 */
const char *
rg_fake_platform_get_base_url (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  const char *base_url;

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), NULL);

  _rg_fake_platform_lock (self);
  compute_base_url (self);
  base_url = priv->base_url;
  _rg_fake_platform_unlock (self);

  return base_url;
}

/**
 * rg_fake_platform_dup_requests:
 * @self: a fake
 * @path: (nullable): only requests to this path, or %NULL for all
 *
 * Returns: (transfer container) (element-type RgFakeRequest): the recorded requests, oldest first
 */
GPtrArray *
rg_fake_platform_dup_requests (RgFakePlatform *self,
                               const char     *path)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  GPtrArray *requests;

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), NULL);

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) rg_fake_request_unref);
  _rg_fake_platform_lock (self);
  for (guint i = 0; i < priv->requests->len; i++)
    {
      RgFakeRequest *request = g_ptr_array_index (priv->requests, i);

      if (path_matches (path, request->path))
        g_ptr_array_add (requests, rg_fake_request_ref (request));
    }
  _rg_fake_platform_unlock (self);

  return requests;
}

/**
 * rg_fake_platform_count_requests:
 * @self: a fake
 * @path: (nullable): only requests to this path, or %NULL for all
 *
 * Returns: how many requests arrived
 */
guint
rg_fake_platform_count_requests (RgFakePlatform *self,
                                 const char     *path)
{
  g_autoptr(GPtrArray) requests = rg_fake_platform_dup_requests (self, path);

  return requests->len;
}

/**
 * rg_fake_platform_dup_last_request:
 * @self: a fake
 * @path: (nullable): only requests to this path, or %NULL for all
 *
 * Returns: (transfer full) (nullable): the newest matching request
 */
RgFakeRequest *
rg_fake_platform_dup_last_request (RgFakePlatform *self,
                                   const char     *path)
{
  g_autoptr(GPtrArray) requests = rg_fake_platform_dup_requests (self, path);

  if (requests->len == 0)
    return NULL;
  return rg_fake_request_ref (g_ptr_array_index (requests, requests->len - 1));
}

/**
 * rg_fake_platform_get_deliveries:
 * @self: a fake
 * @recipient: a user ID, a phone hash, a phone number…
 *
 * Returns: how many accepted requests were addressed to @recipient
 */
guint
rg_fake_platform_get_deliveries (RgFakePlatform *self,
                                 const char     *recipient)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  guint count;

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), 0);

  _rg_fake_platform_lock (self);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (priv->deliveries, recipient));
  _rg_fake_platform_unlock (self);

  return count;
}

/**
 * rg_fake_platform_reset:
 * @self: a fake
 *
 * Forgets recorded requests, deliveries, programmed failures and the platform's own state, and
 * answers held requests.
 */
void
rg_fake_platform_reset (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));

  rg_fake_platform_release (self);

  _rg_fake_platform_lock (self);
  g_ptr_array_set_size (priv->requests, 0);
  g_queue_clear_full (&priv->faults, (GDestroyNotify) fault_free);
  g_hash_table_remove_all (priv->deliveries);
  if (RG_FAKE_PLATFORM_GET_CLASS (self)->reset != NULL)
    RG_FAKE_PLATFORM_GET_CLASS (self)->reset (self);
  _rg_fake_platform_unlock (self);
}

static void
add_fault (RgFakePlatform *self,
           const char     *path,
           guint           count,
           guint           status,
           const char     *content_type,
           const char     *body,
           gint            retry_after)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  Fault *fault;

  if (count == 0)
    return;

  fault = g_new0 (Fault, 1);
  fault->path = g_strdup (path);
  fault->remaining = count;
  fault->status = status;
  fault->content_type = g_strdup (content_type);
  fault->body = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  fault->retry_after = retry_after;

  _rg_fake_platform_lock (self);
  g_queue_push_tail (&priv->faults, fault);
  _rg_fake_platform_unlock (self);
}

/**
 * rg_fake_platform_fail:
 * @self: a fake
 * @path: (nullable): the path to fail (below the prefix), or %NULL for any
 * @count: how many of the next matching requests fail
 * @status: the HTTP status to answer; the body is the platform's usual error for it
 * @retry_after: seconds for a Retry-After header, or -1 for none
 *
 * Programs failures. Failures are used in the order they were programmed.
 */
void
rg_fake_platform_fail (RgFakePlatform *self,
                       const char     *path,
                       guint           count,
                       guint           status,
                       gint            retry_after)
{
  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));
  g_return_if_fail (status >= 100);

  add_fault (self, path, count, status, NULL, NULL, retry_after);
}

/**
 * rg_fake_platform_fail_with_body:
 * @self: a fake
 * @path: (nullable): the path to fail, or %NULL for any
 * @count: how many of the next matching requests fail
 * @status: the HTTP status to answer (200 for WeChat's errcode answers)
 * @content_type: (nullable): the body's type, "application/json" if %NULL
 * @body: the body to answer
 * @retry_after: seconds for a Retry-After header, or -1 for none
 *
 * Like rg_fake_platform_fail() with an exact body.
 */
void
rg_fake_platform_fail_with_body (RgFakePlatform *self,
                                 const char     *path,
                                 guint           count,
                                 guint           status,
                                 const char     *content_type,
                                 const char     *body,
                                 gint            retry_after)
{
  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));
  g_return_if_fail (status >= 100);
  g_return_if_fail (body != NULL);

  add_fault (self, path, count, status, content_type, body, retry_after);
}

/**
 * rg_fake_platform_hang:
 * @self: a fake
 * @path: (nullable): the path to hold, or %NULL for any
 * @count: how many of the next matching requests are held
 *
 * Holds requests without answering until rg_fake_platform_release() (which answers them
 * normally) or until the client gives up.
 */
void
rg_fake_platform_hang (RgFakePlatform *self,
                       const char     *path,
                       guint           count)
{
  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));

  add_fault (self, path, count, 0, NULL, NULL, -1);
}

/**
 * rg_fake_platform_get_n_held:
 * @self: a fake
 *
 * Returns: how many requests are being held
 */
guint
rg_fake_platform_get_n_held (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);
  guint n_held;

  g_return_val_if_fail (RG_IS_FAKE_PLATFORM (self), 0);

  _rg_fake_platform_lock (self);
  n_held = priv->held->len;
  _rg_fake_platform_unlock (self);

  return n_held;
}

/**
 * rg_fake_platform_wait_held:
 * @self: a fake started with rg_fake_platform_start()
 * @n_held: how many held requests to wait for
 *
 * Iterates the thread-default main context (the fake's) until @n_held requests are held.
 */
void
rg_fake_platform_wait_held (RgFakePlatform *self,
                            guint           n_held)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));
  g_return_if_fail (priv->thread == NULL);

  while (rg_fake_platform_get_n_held (self) < n_held)
    g_main_context_iteration (priv->context, TRUE);
}

/**
 * rg_fake_platform_release:
 * @self: a fake
 *
 * Answers the held requests normally, in the fake's main context (immediately when that is
 * the caller's and it is free).
 */
void
rg_fake_platform_release (RgFakePlatform *self)
{
  RgFakePlatformPrivate *priv = rg_fake_platform_get_instance_private (self);

  g_return_if_fail (RG_IS_FAKE_PLATFORM (self));

  if (priv->context == NULL)
    return;

  g_main_context_invoke_full (priv->context, G_PRIORITY_DEFAULT, release_held_cb,
                              g_object_ref (self), g_object_unref);
}
