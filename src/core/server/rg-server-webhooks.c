/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-server"

#include "config.h"

#include <string.h>

#include "rg-server-private.h"

/* The webhook routes of RgServer (PROTOCOLS.md): a request is verified on its raw bytes
 * (LINE x-line-signature, WhatsApp X-Hub-Signature-256) before it is parsed, answered at
 * once, and its events processed from an idle of lower priority than the I/O that sends
 * the answer. LINE events are recorded by webhookEventId so that a redelivery is processed
 * once; the ids are kept for a week, longer than LINE keeps redelivering. */

#define WEBHOOK_EVENT_RETENTION_SECONDS (7 * 24 * 60 * 60)
#define PRUNE_INTERVAL_USEC             ((gint64) G_USEC_PER_SEC * 60 * 60)

typedef enum
{
  PLATFORM_LINE,
  PLATFORM_WHATSAPP,
} Platform;

typedef struct
{
  Platform  platform;
  JsonNode *root;
} Batch;

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  json_node_unref (batch->root);
  g_free (batch);
}

void
_rg_server_clear_pending (RgServer *self)
{
  g_clear_handle_id (&self->process_source, g_source_remove);
  g_queue_clear_full (&self->pending, batch_free);
}

static void
respond_ok (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *allowed)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) methods = g_strsplit (allowed, ", ", -1);

  if (g_strv_contains ((const char * const *) methods, method))
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Allow", allowed);
  rg_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
                           "%s is not allowed here; use %s", method, allowed);
  return FALSE;
}

/* Answers 400 and returns NULL unless the body is a JSON object. */
static JsonNode *
parse_json_object (SoupServerMessage *msg,
                   GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0)
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "The request body is empty");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, size, &error))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL,
                               "The request body is not valid JSON: %s", error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL,
                               "The request body must be a JSON object");
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* Answers 400 and returns NULL unless @member of @object is an array of objects. */
static JsonArray *
get_object_array (SoupServerMessage *msg,
                  JsonObject        *object,
                  const char        *member)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, member,
                               "“%s” must be an array", member);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
        {
          g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);

          rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, field,
                                   "“%s” must be an object", field);
          return NULL;
        }
    }
  return array;
}

static void
record_line_friend (RgServer   *self,
                    JsonObject *event,
                    gboolean    is_friend)
{
  g_autoptr(GError) error = NULL;
  JsonObject *source;
  const char *user_id;

  if (!json_object_has_member (event, "source") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (event, "source")))
    return;

  source = json_object_get_object_member (event, "source");
  user_id = json_object_get_string_member_with_default (source, "userId", NULL);
  if (user_id == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (source, "type", NULL), "user") != 0)
    return;

  if (self->members == NULL)
    self->members = rg_member_store_new (self->store);

  if (!rg_member_store_set_line_friend (self->members, user_id, is_friend, &error))
    {
      /* Most followers are not (yet) members; nothing to update then. */
      if (g_error_matches (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND))
        g_debug ("LINE user %s %s, no member has this LINE id",
                 user_id, is_friend ? "followed" : "unfollowed");
      else
        g_warning ("Could not record that LINE user %s %s: %s",
                   user_id, is_friend ? "followed" : "unfollowed", error->message);
    }
}

typedef struct
{
  RgServer  *self;
  JsonArray *events;
  GPtrArray *fresh;
} LineBatch;

static gboolean
prune_webhook_events (RgServer  *self,
                      GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_monotonic_time ();

  if (self->last_prune_usec != 0 && now - self->last_prune_usec < PRUNE_INTERVAL_USEC)
    return TRUE;

  if (!(stmt = rg_store_prepare (self->store,
                                 "DELETE FROM webhook_events WHERE received_at < unixepoch () - ?1",
                                 error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, WEBHOOK_EVENT_RETENTION_SECONDS);
  if (!rg_store_step_done (self->store, stmt, error))
    return FALSE;

  self->last_prune_usec = now;
  return TRUE;
}

static gboolean
record_line_events (RgStore   *store,
                    gpointer   user_data,
                    GError   **error)
{
  LineBatch *batch = user_data;
  RgServer *self = batch->self;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prune_webhook_events (self, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT INTO webhook_events (platform, event_id, received_at) "
                                 "VALUES ('line', ?1, unixepoch ()) ON CONFLICT DO NOTHING",
                                 error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (batch->events); i++)
    {
      JsonObject *event = json_array_get_object_element (batch->events, i);
      const char *id = json_object_get_string_member_with_default (event, "webhookEventId", NULL);
      const char *type = json_object_get_string_member_with_default (event, "type", "");

      if (id != NULL)
        {
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
          if (!rg_store_step_done (store, stmt, error))
            return FALSE;
          if (sqlite3_changes (rg_store_get_db (store)) == 0)
            {
              g_debug ("LINE event %s was already processed", id);
              continue;
            }
        }

      if (g_str_equal (type, "follow"))
        record_line_friend (self, event, TRUE);
      else if (g_str_equal (type, "unfollow"))
        record_line_friend (self, event, FALSE);

      g_ptr_array_add (batch->fresh, json_object_ref (event));
    }

  return TRUE;
}

static void
process_line (RgServer *self,
              JsonNode *root)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  LineBatch batch;

  batch.self = self;
  batch.events = json_object_get_array_member (json_node_get_object (root), "events");
  batch.fresh = fresh;

  if (!rg_store_transaction (self->store, record_line_events, &batch, &error))
    {
      g_warning ("Could not record LINE webhook events: %s", error->message);
      return;
    }

  /* After the commit, so that a handler sees the member's new follow state. */
  for (guint i = 0; i < fresh->len; i++)
    g_signal_emit (self, _rg_server_signals[RG_SERVER_SIGNAL_LINE_EVENT], 0,
                   g_ptr_array_index (fresh, i));
}

static void
process_whatsapp (RgServer *self,
                  JsonNode *root)
{
  JsonArray *entries = json_object_get_array_member (json_node_get_object (root), "entry");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonNode *changes = json_object_get_member (entry, "changes");

      if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
        continue;

      for (guint j = 0; j < json_array_get_length (json_node_get_array (changes)); j++)
        {
          JsonNode *change = json_array_get_element (json_node_get_array (changes), j);
          JsonObject *object;
          JsonNode *value;

          if (!JSON_NODE_HOLDS_OBJECT (change))
            continue;
          object = json_node_get_object (change);
          value = json_object_get_member (object, "value");
          if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
            continue;

          g_signal_emit (self, _rg_server_signals[RG_SERVER_SIGNAL_WHATSAPP_EVENT], 0,
                         json_object_get_string_member_with_default (object, "field", ""),
                         json_node_get_object (value));
        }
    }
}

static gboolean
process_pending_cb (gpointer user_data)
{
  g_autoptr(RgServer) self = g_object_ref (user_data);
  Batch *batch;

  /* One payload per dispatch, so that answers to new requests go out in between. */
  if ((batch = g_queue_pop_head (&self->pending)) != NULL)
    {
      if (batch->platform == PLATFORM_LINE)
        process_line (self, batch->root);
      else
        process_whatsapp (self, batch->root);
      batch_free (batch);
    }

  if (self->pending.length > 0)
    return G_SOURCE_CONTINUE;

  self->process_source = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_batch (RgServer *self,
             Platform  platform,
             JsonNode *root)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->platform = platform;
  batch->root = json_node_ref (root);
  g_queue_push_tail (&self->pending, batch);

  if (self->process_source == 0)
    {
      self->process_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, process_pending_cb,
                                              self, NULL);
      g_source_set_name_by_id (self->process_source, "[rg-server] process webhooks");
    }
}

static gboolean
line_signature_matches (const char *channel_secret,
                        GBytes     *body,
                        const char *signature)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                      (const guchar *) channel_secret, strlen (channel_secret));
  g_autofree char *expected = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_hmac_get_digest (hmac, digest, &digest_len);
  expected = g_base64_encode (digest, digest_len);

  return _rg_server_constant_time_equal (expected, strlen (expected),
                                         signature, strlen (signature));
}

static void
line_webhook_cb (RgServer          *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *events;
  const char *signature;

  if (!check_method (msg, "POST"))
    return;

  if (self->line_channel_secret == NULL)
    {
      rg_server_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                               "The LINE channel secret (line/channel-secret) is not set, so "
                               "webhooks cannot be verified");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  signature = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                            "x-line-signature");
  if (signature == NULL || !line_signature_matches (self->line_channel_secret, body, signature))
    {
      rg_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL,
                               signature == NULL
                                 ? "The x-line-signature header is missing"
                                 : "The x-line-signature header does not match the body");
      return;
    }

  if (!(root = parse_json_object (msg, body)) ||
      !(events = get_object_array (msg, json_node_get_object (root), "events")))
    return;

  respond_ok (msg);

  /* An empty list is LINE's "Verify" button: nothing to do. */
  if (json_array_get_length (events) > 0)
    queue_batch (self, PLATFORM_LINE, root);
}

static gboolean
hub_signature_matches (const char *app_secret,
                       GBytes     *body,
                       const char *header)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                      (const guchar *) app_secret, strlen (app_secret));
  g_autofree char *given = NULL;
  const char *expected;

  if (!g_str_has_prefix (header, "sha256="))
    return FALSE;
  given = g_ascii_strdown (header + strlen ("sha256="), -1);

  g_hmac_update (hmac, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  expected = g_hmac_get_string (hmac);

  return _rg_server_constant_time_equal (expected, strlen (expected), given, strlen (given));
}

/* Compared through their hashes, so that neither the content nor the length of the token
 * shows in the timing. */
static gboolean
tokens_match (const char *expected,
              const char *given)
{
  g_autofree char *a = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);
  g_autofree char *b = g_compute_checksum_for_string (G_CHECKSUM_SHA256, given, -1);

  return _rg_server_constant_time_equal (a, strlen (a), b, strlen (b));
}

static void
whatsapp_verify (RgServer          *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *mode = NULL;
  const char *token = NULL;
  const char *challenge = NULL;

  if (query != NULL)
    {
      mode = g_hash_table_lookup (query, "hub.mode");
      token = g_hash_table_lookup (query, "hub.verify_token");
      challenge = g_hash_table_lookup (query, "hub.challenge");
    }

  if (self->whatsapp_verify_token == NULL)
    {
      rg_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, NULL,
                               "The WhatsApp verify token (whatsapp/verify-token) is not set");
      return;
    }

  if (g_strcmp0 (mode, "subscribe") != 0 || token == NULL || challenge == NULL ||
      !tokens_match (self->whatsapp_verify_token, token))
    {
      rg_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hub.verify_token",
                               "hub.mode must be “subscribe” and hub.verify_token must match "
                               "the verify token");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
                                    challenge, strlen (challenge));
}

static void
whatsapp_webhook_cb (RgServer          *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *signature;

  if (!check_method (msg, "GET, POST"))
    return;

  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      whatsapp_verify (self, msg, query);
      return;
    }

  if (self->whatsapp_app_secret == NULL)
    {
      rg_server_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                               "The WhatsApp app secret (whatsapp/app-secret) is not set, so "
                               "webhooks cannot be verified");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  signature = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                            "X-Hub-Signature-256");
  if (signature == NULL || !hub_signature_matches (self->whatsapp_app_secret, body, signature))
    {
      rg_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL,
                               signature == NULL
                                 ? "The X-Hub-Signature-256 header is missing"
                                 : "The X-Hub-Signature-256 header does not match the body");
      return;
    }

  if (!(root = parse_json_object (msg, body)) ||
      !get_object_array (msg, json_node_get_object (root), "entry"))
    return;

  respond_ok (msg);
  queue_batch (self, PLATFORM_WHATSAPP, root);
}

void
_rg_server_add_webhook_routes (RgServer *self)
{
  rg_server_add_handler (self, "/webhook/line", line_webhook_cb, NULL, NULL);
  rg_server_add_handler (self, "/webhook/whatsapp", whatsapp_webhook_cb, NULL, NULL);
}
