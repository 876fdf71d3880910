/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rg-server-private.h"

/* The webhook routes of RgServer (PROTOCOLS.md): a request is verified on its raw bytes
 * (LINE x-line-signature, WhatsApp X-Hub-Signature-256) or its query (WeChat's signature of
 * token, timestamp and nonce) before it is parsed, answered at once, and its events
 * processed from an idle of lower priority than the I/O that sends the answer. LINE events
 * are recorded by webhookEventId, WeChat's by MsgId or, for events, by sender, time and
 * event (WeChat's own advice), so that a redelivery is processed once; the keys are kept
 * for a week, longer than either platform keeps redelivering. */

#define WEBHOOK_EVENT_RETENTION_SECONDS (7 * 24 * 60 * 60)
#define PRUNE_INTERVAL_USEC             ((gint64) G_USEC_PER_SEC * 60 * 60)

typedef enum
{
  PLATFORM_LINE,
  PLATFORM_WHATSAPP,
  PLATFORM_WECHAT,
} Platform;

typedef struct
{
  Platform    platform;
  JsonNode   *root;
  GHashTable *fields;
} Batch;

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  g_clear_pointer (&batch->root, json_node_unref);
  g_clear_pointer (&batch->fields, g_hash_table_unref);
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

static void
respond_text (SoupServerMessage *msg,
              const char        *text)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* @query is %NULL when the URL has none. */
static const char *
query_get (GHashTable *query,
           const char *name)
{
  return query != NULL ? g_hash_table_lookup (query, name) : NULL;
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

typedef struct
{
  RgServer   *self;
  const char *key;
  gboolean    fresh;
} WeChatRecord;

static gboolean
record_wechat_event (RgStore   *store,
                     gpointer   user_data,
                     GError   **error)
{
  WeChatRecord *record = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prune_webhook_events (record->self, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT INTO webhook_events (platform, event_id, received_at) "
                                 "VALUES ('wechat', ?1, unixepoch ()) ON CONFLICT DO NOTHING",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->key, -1, SQLITE_STATIC);
  if (!rg_store_step_done (store, stmt, error))
    return FALSE;

  record->fresh = sqlite3_changes (rg_store_get_db (store)) > 0;
  return TRUE;
}

static const char *
wechat_field (GHashTable *fields,
              const char *name)
{
  const char *value = g_hash_table_lookup (fields, name);

  return value != NULL ? value : "";
}

/* Messages carry a MsgId; events are told apart by sender, time and event, and a card
 * event also by its code (two cards taken in one second are two events). */
static char *
wechat_event_key (GHashTable *fields)
{
  const char *msg_id = wechat_field (fields, "MsgId");

  if (msg_id[0] != '\0')
    return g_strconcat ("msg:", msg_id, NULL);
  return g_strjoin (":", "event",
                    wechat_field (fields, "FromUserName"),
                    wechat_field (fields, "CreateTime"),
                    wechat_field (fields, "Event"),
                    wechat_field (fields, "UserCardCode"),
                    NULL);
}

static void
process_wechat (RgServer   *self,
                GHashTable *fields)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = wechat_event_key (fields);
  WeChatRecord record = { self, key, FALSE };

  if (!rg_store_transaction (self->store, record_wechat_event, &record, &error))
    {
      g_warning ("Could not record a WeChat event: %s", error->message);
      return;
    }
  if (!record.fresh)
    {
      g_debug ("WeChat %s was already processed", key);
      return;
    }

  g_signal_emit (self, _rg_server_signals[RG_SERVER_SIGNAL_WECHAT_EVENT], 0, fields);
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
      else if (batch->platform == PLATFORM_WHATSAPP)
        process_whatsapp (self, batch->root);
      else
        process_wechat (self, batch->fields);
      batch_free (batch);
    }

  if (self->pending.length > 0)
    return G_SOURCE_CONTINUE;

  self->process_source = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_batch (RgServer   *self,
             Platform    platform,
             JsonNode   *root,
             GHashTable *fields)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->platform = platform;
  batch->root = root != NULL ? json_node_ref (root) : NULL;
  batch->fields = fields != NULL ? g_hash_table_ref (fields) : NULL;
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
    queue_batch (self, PLATFORM_LINE, root, NULL);
}

/* @expected in lowercase hex; @given in either case. */
static gboolean
hex_digest_matches (const char *expected,
                    const char *given)
{
  g_autofree char *lower = g_ascii_strdown (given, -1);

  return _rg_server_constant_time_equal (expected, strlen (expected), lower, strlen (lower));
}

static gboolean
hub_signature_matches (const char *app_secret,
                       GBytes     *body,
                       const char *header)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                      (const guchar *) app_secret, strlen (app_secret));

  if (!g_str_has_prefix (header, "sha256="))
    return FALSE;

  g_hmac_update (hmac, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return hex_digest_matches (g_hmac_get_string (hmac), header + strlen ("sha256="));
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
  const char *mode = query_get (query, "hub.mode");
  const char *token = query_get (query, "hub.verify_token");
  const char *challenge = query_get (query, "hub.challenge");

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

  respond_text (msg, challenge);
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
  queue_batch (self, PLATFORM_WHATSAPP, root, NULL);
}

/* WeChat's server check (plaintext mode): the lowercase hex SHA-1 of token, timestamp and
 * nonce, sorted and joined. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
wechat_signature (const char *token,
                  const char *timestamp,
                  const char *nonce)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  const char *parts[] = { token, timestamp, nonce };

  qsort (parts, G_N_ELEMENTS (parts), sizeof parts[0], compare_strings);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (sha1, (const guchar *) parts[i], -1);
  return g_strdup (g_checksum_get_string (sha1));
}

/* Answers 403 and logs why unless the query is signed with our token. */
static gboolean
wechat_signature_ok (RgServer          *self,
                     SoupServerMessage *msg,
                     GHashTable        *query)
{
  g_autofree char *expected = NULL;
  const char *signature = query_get (query, "signature");
  const char *timestamp = query_get (query, "timestamp");
  const char *nonce = query_get (query, "nonce");

  if (self->wechat_token == NULL)
    {
      g_message ("Refused a WeChat request (%s): the WeChat server token (wechat/token) is not "
                 "set; set it to the Token of the Official Account's server configuration",
                 soup_server_message_get_method (msg));
      rg_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, NULL,
                               "The WeChat server token (wechat/token) is not set, so requests "
                               "cannot be verified");
      return FALSE;
    }

  if (signature == NULL || timestamp == NULL || nonce == NULL)
    {
      g_message ("Refused a WeChat request (%s): signature, timestamp or nonce is missing from "
                 "the query", soup_server_message_get_method (msg));
      rg_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "signature",
                               "signature, timestamp and nonce are required in the query");
      return FALSE;
    }

  expected = wechat_signature (self->wechat_token, timestamp, nonce);
  if (!hex_digest_matches (expected, signature))
    {
      g_message ("Refused a WeChat request (%s): its signature does not match the WeChat "
                 "server token (wechat/token); it must be the Token of the Official Account's "
                 "server configuration", soup_server_message_get_method (msg));
      rg_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "signature",
                               "The signature does not match the server token");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GHashTable *fields;
  GString    *text;
  char       *child;
  gboolean    nested;
  guint       depth;
} WeChatXml;

static void
wechat_xml_start (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  WeChatXml *xml = user_data;

  if (xml->depth == 0 && !g_str_equal (element_name, "xml"))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "the root element is <%s>, not <xml>", element_name);
      return;
    }
  if (xml->depth == 1)
    {
      if (g_hash_table_contains (xml->fields, element_name))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "<%s> appears twice", element_name);
          return;
        }
      g_free (xml->child);
      xml->child = g_strdup (element_name);
      xml->nested = FALSE;
      g_string_truncate (xml->text, 0);
    }
  else if (xml->depth == 2)
    xml->nested = TRUE;
  xml->depth++;
}

static void
wechat_xml_end (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  WeChatXml *xml = user_data;

  xml->depth--;
  if (xml->depth == 1)
    g_hash_table_insert (xml->fields, g_steal_pointer (&xml->child),
                         g_strdup (xml->nested ? "" : xml->text->str));
}

static void
wechat_xml_text (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 text_len,
                 gpointer              user_data,
                 GError              **error)
{
  WeChatXml *xml = user_data;

  if (xml->depth == 2)
    g_string_append_len (xml->text, text, text_len);
}

static const GMarkupParser wechat_xml_parser = {
  wechat_xml_start,
  wechat_xml_end,
  wechat_xml_text,
  NULL,
  NULL,
};

/* WeChat's push: one <xml> whose children are the fields, their text in CDATA or plain. */
static GHashTable *
parse_wechat_xml (GBytes  *body,
                  GError **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  const char * const required[] = { "ToUserName", "FromUserName", "CreateTime", "MsgType" };
  WeChatXml xml = { fields, text, NULL, FALSE, 0 };
  const char *create_time;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                           "The request body is empty");
      return NULL;
    }

  context = g_markup_parse_context_new (&wechat_xml_parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                        &xml, NULL);
  if (!g_markup_parse_context_parse (context, data, size, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      g_free (xml.child);
      g_set_error (error, G_MARKUP_ERROR, local_error->code,
                   "The request body is not WeChat's XML: %s", local_error->message);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      const char *value = g_hash_table_lookup (fields, required[i]);

      if (value == NULL || value[0] == '\0')
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE,
                       "The <xml> has no <%s>", required[i]);
          return NULL;
        }
    }

  create_time = g_hash_table_lookup (fields, "CreateTime");
  for (const char *p = create_time; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "<CreateTime> “%s” is not a number of seconds", create_time);
          return NULL;
        }
    }

  return g_steal_pointer (&fields);
}

static void
wechat_webhook_cb (RgServer          *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *encrypt_type;

  if (!check_method (msg, "GET, POST") ||
      !wechat_signature_ok (self, msg, query))
    return;

  /* The check WeChat makes when the server URL is saved: echo echostr. */
  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      const char *echostr = query_get (query, "echostr");

      if (echostr == NULL)
        {
          rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "echostr",
                                   "echostr is missing from the query");
          return;
        }
      respond_text (msg, echostr);
      return;
    }

  encrypt_type = query_get (query, "encrypt_type");
  if (encrypt_type != NULL && !g_str_equal (encrypt_type, "raw"))
    {
      g_message ("Refused a WeChat push with encrypt_type=%s: only plaintext mode is "
                 "supported; choose plaintext mode (明文模式) in the Official Account's server "
                 "configuration", encrypt_type);
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "encrypt_type",
                               "Only plaintext mode is supported, not encrypt_type=%s",
                               encrypt_type);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (!(fields = parse_wechat_xml (body, &error)))
    {
      g_message ("Refused a WeChat push: %s", error->message);
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "%s", error->message);
      return;
    }

  /* WeChat wants "success" (or an empty body) within 5 seconds, else it retries. */
  respond_text (msg, "success");
  queue_batch (self, PLATFORM_WECHAT, NULL, fields);
}

void
_rg_server_add_webhook_routes (RgServer *self)
{
  rg_server_add_handler (self, "/webhook/line", line_webhook_cb, NULL, NULL);
  rg_server_add_handler (self, "/webhook/whatsapp", whatsapp_webhook_cb, NULL, NULL);
  rg_server_add_handler (self, "/webhook/wechat", wechat_webhook_cb, NULL, NULL);
}
