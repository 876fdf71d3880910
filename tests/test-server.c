/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rg-fake-wait.h"
#include "rg-member-store.h"
#include "rg-server.h"
#include "rg-service-lock.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* LINE's published example (PROTOCOLS.md) and WhatsApp's. */
#define LINE_SECRET        "testsecret"
#define LINE_BODY          "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[]}"
#define LINE_SIGNATURE     "68T4hrXlCXQMCJqA3fGlBzTyBPmhsLT3g4xth3uGq7Y="
#define WHATSAPP_SECRET    "appsecret"
#define WHATSAPP_BODY      "{\"object\":\"whatsapp_business_account\",\"entry\":[]}"
#define WHATSAPP_SIGNATURE "sha256=09eceea024af6e6343b760cc9bd3ae7c056938dd636e24e92109eb8219500384"
#define VERIFY_TOKEN       "verify-me-31337"

#define FRIEND_USER_ID     "U4af4980629a1b2c3d4e5f60718293a4b"

typedef struct
{
  char              *dir;
  char              *path;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgServer          *server;
  char              *url;
  SoupSession       *session;
  GPtrArray         *line_events;
  GPtrArray         *whatsapp_events;
  GPtrArray         *log;
} Fixture;

static void
line_event_cb (RgServer   *server,
               JsonObject *event,
               Fixture    *fixture)
{
  g_ptr_array_add (fixture->line_events, json_object_ref (event));
}

static void
whatsapp_event_cb (RgServer   *server,
                   const char *field,
                   JsonObject *value,
                   Fixture    *fixture)
{
  g_assert_cmpstr (field, ==, "messages");
  g_ptr_array_add (fixture->whatsapp_events, json_object_ref (value));
}

static void
request_logged_cb (RgServer   *server,
                   const char *method,
                   const char *path,
                   guint       status,
                   double      ms,
                   Fixture    *fixture)
{
  g_assert_cmpfloat (ms, >=, 0);
  g_ptr_array_add (fixture->log, g_strdup_printf ("%s %s %u", method, path, status));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean with_credentials = data == NULL;

  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->path);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);

  if (with_credentials)
    {
      rg_test_channel_set (fixture->settings, "line", "channel-secret", LINE_SECRET);
      rg_test_channel_set (fixture->settings, "whatsapp", "app-secret", WHATSAPP_SECRET);
      rg_test_channel_set (fixture->settings, "whatsapp", "verify-token", VERIFY_TOKEN);
    }
  else
    {
      rg_test_channel_set (fixture->settings, "line", "channel-secret", NULL);
      rg_test_channel_set (fixture->settings, "whatsapp", "app-secret", NULL);
      rg_test_channel_set (fixture->settings, "whatsapp", "verify-token", NULL);
    }

  fixture->server = rg_server_new (fixture->store, fixture->settings);
  rg_test_reload_credentials (fixture->server);
  fixture->url = rg_test_server_listen (fixture->server);
  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));
  g_assert_cmpuint (rg_server_get_port (fixture->server), >, 0);

  fixture->session = soup_session_new ();
  fixture->line_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fixture->whatsapp_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->server, "line-event", G_CALLBACK (line_event_cb), fixture);
  g_signal_connect (fixture->server, "whatsapp-event", G_CALLBACK (whatsapp_event_cb), fixture);
  g_signal_connect (fixture->server, "request-logged", G_CALLBACK (request_logged_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  rg_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->line_events, g_ptr_array_unref);
  g_clear_pointer (&fixture->whatsapp_events, g_ptr_array_unref);
  g_clear_pointer (&fixture->log, g_ptr_array_unref);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->url);
}

/* Sends a request; @headers alternates names and values and ends with NULL. */
static guint
request_full (Fixture            *fixture,
              const char         *method,
              const char         *path,
              const char * const *headers,
              GInputStream       *stream,
              const char         *body,
              GBytes            **response)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (msg);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 headers[i], headers[i + 1]);
  if (stream != NULL)
    soup_message_set_request_body (msg, "application/json", stream, -1);
  else if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    rg_fake_wait_cb, &result);
  bytes = soup_session_send_and_read_finish (fixture->session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);

  if (response != NULL)
    *response = g_steal_pointer (&bytes);
  return soup_message_get_status (msg);
}

static guint
request (Fixture            *fixture,
         const char         *method,
         const char         *path,
         const char * const *headers,
         const char         *body,
         GBytes            **response)
{
  return request_full (fixture, method, path, headers, NULL, body, response);
}

static char *
line_signature (const char *secret,
                const char *body)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) body, strlen (body));
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

static guint
post_line (Fixture    *fixture,
           const char *body,
           GBytes    **response)
{
  g_autofree char *signature = line_signature (LINE_SECRET, body);
  const char *headers[] = { "x-line-signature", signature, NULL };

  return request (fixture, "POST", "/webhook/line", headers, body, response);
}

static void
wait_until_processed (Fixture *fixture)
{
  while (rg_server_get_pending (fixture->server) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* {"error":{"message":"…","field":…}} */
static void
assert_json_error (GBytes     *body,
                   const char *field,
                   const char *message_part)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *field_node;
  const char *message;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  object = json_object_get_object_member (object, "error");
  g_assert_nonnull (object);

  message = json_object_get_string_member (object, "message");
  if (strstr (message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", message, message_part);

  field_node = json_object_get_member (object, "field");
  g_assert_nonnull (field_node);
  if (field == NULL)
    g_assert_true (JSON_NODE_HOLDS_NULL (field_node));
  else
    g_assert_cmpstr (json_node_get_string (field_node), ==, field);
}

static void
test_line_signature (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *good[] = { "x-line-signature", LINE_SIGNATURE, NULL };
  const char *bad[] = { "x-line-signature", "68T4hrXlCXQMCJqA3fGlBzTyBPmhsLT3g4xth3uGq7Z=", NULL };
  const char *shorter[] = { "x-line-signature", "68T4hrXlCXQMCJqA3fGlBz", NULL };
  g_autofree char *computed = line_signature (LINE_SECRET, LINE_BODY);
  g_autoptr(GBytes) ok = NULL;
  g_autoptr(GBytes) rejected = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GBytes) tampered = NULL;

  /* The test's own HMAC agrees with LINE's vector, so later bodies are signed alike. */
  g_assert_cmpstr (computed, ==, LINE_SIGNATURE);

  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", good, LINE_BODY, &ok), ==, 200);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", bad, LINE_BODY, &rejected), ==,
                    401);
  assert_json_error (rejected, NULL, "does not match");
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", shorter, LINE_BODY, NULL), ==,
                    401);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", NULL, LINE_BODY, &missing), ==,
                    401);
  assert_json_error (missing, NULL, "missing");
  /* The right signature over other bytes (one space added) fails too. */
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", good,
                             "{\"destination\": \"U0123456789abcdef0123456789abcdef\","
                             "\"events\":[]}",
                             &tampered), ==, 401);

  /* An empty event list is the console's "Verify": nothing to process. */
  g_assert_cmpuint (rg_server_get_pending (fixture->server), ==, 0);

  g_assert_cmpuint (fixture->log->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, "POST /webhook/line 200");
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 1), ==, "POST /webhook/line 401");
}

static void
test_whatsapp_signature (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *good[] = { "X-Hub-Signature-256", WHATSAPP_SIGNATURE, NULL };
  const char *bad[] = {
    "X-Hub-Signature-256",
    "sha256=09eceea024af6e6343b760cc9bd3ae7c056938dd636e24e92109eb8219500385", NULL
  };
  const char *no_prefix[] = {
    "X-Hub-Signature-256",
    "09eceea024af6e6343b760cc9bd3ae7c056938dd636e24e92109eb8219500384", NULL
  };
  g_autoptr(GBytes) rejected = NULL;
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *message_body = NULL;
  g_autofree char *message_signature = NULL;
  const char *message_headers[3] = { "X-Hub-Signature-256", NULL, NULL };
  JsonObject *value;

  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", good, WHATSAPP_BODY, NULL),
                    ==, 200);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", bad, WHATSAPP_BODY, &rejected),
                    ==, 401);
  assert_json_error (rejected, NULL, "does not match");
  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", no_prefix, WHATSAPP_BODY,
                             NULL), ==, 401);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", NULL, WHATSAPP_BODY, NULL),
                    ==, 401);

  /* A signed message reaches the whatsapp-event signal after the answer. */
  message_body = g_strdup ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                           "\"changes\":[{\"field\":\"messages\",\"value\":{"
                           "\"messaging_product\":\"whatsapp\",\"messages\":[{"
                           "\"from\":\"886912345678\",\"id\":\"wamid.A\",\"type\":\"button\","
                           "\"button\":{\"payload\":\"member_center\",\"text\":\"Card\"}}]}}]}]}");
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) WHATSAPP_SECRET, strlen (WHATSAPP_SECRET));
  g_hmac_update (hmac, (const guchar *) message_body, strlen (message_body));
  message_signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
  message_headers[1] = message_signature;

  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", message_headers, message_body,
                             NULL), ==, 200);
  g_assert_cmpuint (fixture->whatsapp_events->len, ==, 0);
  wait_until_processed (fixture);
  g_assert_cmpuint (fixture->whatsapp_events->len, ==, 1);
  value = g_ptr_array_index (fixture->whatsapp_events, 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (value, "messages"), 0),
                     "id"), ==, "wamid.A");
}

static void
test_whatsapp_challenge (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) challenge = NULL;
  g_autoptr(GBytes) refused = NULL;

  g_assert_cmpuint (request (fixture, "GET",
                             "/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444"
                             "&hub.verify_token=" VERIFY_TOKEN,
                             NULL, NULL, &challenge), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (challenge, NULL), g_bytes_get_size (challenge),
                   "1158201444", 10);

  g_assert_cmpuint (request (fixture, "GET",
                             "/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444"
                             "&hub.verify_token=wrong",
                             NULL, NULL, &refused), ==, 403);
  assert_json_error (refused, "hub.verify_token", "verify token");
  g_assert_cmpuint (request (fixture, "GET",
                             "/webhook/whatsapp?hub.mode=unsubscribe&hub.challenge=1"
                             "&hub.verify_token=" VERIFY_TOKEN,
                             NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (request (fixture, "GET", "/webhook/whatsapp", NULL, NULL, NULL), ==, 403);

  /* The token is in the query; the log line shows the path only. */
  for (guint i = 0; i < fixture->log->len; i++)
    g_assert_null (strstr (g_ptr_array_index (fixture->log, i), VERIFY_TOKEN));
}

static const char *
line_event (const char *type,
            const char *id,
            gboolean    redelivery)
{
  static char buffer[1024];

  g_snprintf (buffer, sizeof buffer,
              "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{"
              "\"type\":\"%s\",\"mode\":\"active\",\"timestamp\":1700000000000,"
              "\"source\":{\"type\":\"user\",\"userId\":\"" FRIEND_USER_ID "\"},"
              "\"webhookEventId\":\"%s\",\"deliveryContext\":{\"isRedelivery\":%s},"
              "\"replyToken\":\"b60d1a6\",\"follow\":{\"isUnblocked\":false}}]}",
              type, id, redelivery ? "true" : "false");
  return buffer;
}

static int
count_rows (RgStore    *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rg_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static void
test_line_redelivery (Fixture       *fixture,
                      gconstpointer  data)
{
  JsonObject *event;

  g_assert_cmpuint (post_line (fixture, line_event ("message", "01HF4V8S5Y0CZ8Q9XKJ7M2N3P4", FALSE),
                               NULL), ==, 200);
  /* Answered before processing. */
  g_assert_cmpuint (fixture->line_events->len, ==, 0);
  g_assert_cmpuint (rg_server_get_pending (fixture->server), ==, 1);
  wait_until_processed (fixture);
  g_assert_cmpuint (fixture->line_events->len, ==, 1);

  g_assert_cmpuint (post_line (fixture, line_event ("message", "01HF4V8S5Y0CZ8Q9XKJ7M2N3P4", TRUE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_cmpuint (fixture->line_events->len, ==, 1);

  g_assert_cmpuint (post_line (fixture, line_event ("message", "01HF4V8S5Y0CZ8Q9XKJ7M2N3P5", FALSE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_cmpuint (fixture->line_events->len, ==, 2);

  event = g_ptr_array_index (fixture->line_events, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "webhookEventId"), ==,
                   "01HF4V8S5Y0CZ8Q9XKJ7M2N3P4");
  g_assert_cmpint (count_rows (fixture->store,
                               "SELECT count(*) FROM webhook_events WHERE platform = 'line'"),
                   ==, 2);
}

static void
test_line_prune (Fixture       *fixture,
                 gconstpointer  data)
{
  g_assert_cmpint (sqlite3_exec (rg_store_get_db (fixture->store),
                                 "INSERT INTO webhook_events (platform, event_id, received_at) "
                                 "VALUES ('line', 'old', unixepoch () - 8 * 86400), "
                                 "       ('line', 'recent', unixepoch () - 6 * 86400)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpuint (post_line (fixture, line_event ("message", "01HF4V8S5Y0CZ8Q9XKJ7M2N3P6", FALSE),
                               NULL), ==, 200);
  wait_until_processed (fixture);

  g_assert_cmpint (count_rows (fixture->store,
                               "SELECT count(*) FROM webhook_events WHERE event_id = 'old'"),
                   ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM webhook_events"), ==, 2);
}

static gboolean
member_is_friend (RgMemberStore *members)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = NULL;

  member = rg_member_store_find_by_line_user_id (members, FRIEND_USER_ID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (member);
  return rg_member_get_line_friend (member);
}

static void
test_line_follow (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (fixture->store);
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *event;

  rg_member_set_member_number (member, "M0001");
  rg_member_set_name (member, "林小美");
  rg_member_set_line_user_id (member, FRIEND_USER_ID);
  g_assert_true (rg_member_store_insert (members, member, "test", &error));
  g_assert_no_error (error);
  g_assert_false (member_is_friend (members));

  g_assert_cmpuint (post_line (fixture, line_event ("follow", "01HF4V8S5Y0CZ8Q9XKJ7M2N3Q1", FALSE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_true (member_is_friend (members));
  event = g_ptr_array_index (fixture->line_events, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "follow");

  g_assert_cmpuint (post_line (fixture,
                               line_event ("unfollow", "01HF4V8S5Y0CZ8Q9XKJ7M2N3Q2", FALSE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_false (member_is_friend (members));

  /* A redelivered follow does not flip the flag back. */
  g_assert_cmpuint (post_line (fixture, line_event ("follow", "01HF4V8S5Y0CZ8Q9XKJ7M2N3Q1", TRUE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_false (member_is_friend (members));
  g_assert_cmpuint (fixture->line_events->len, ==, 2);
}

static void
test_line_follow_stranger (Fixture       *fixture,
                           gconstpointer  data)
{
  /* A follower who is no member: answered, signalled, nothing else. */
  g_assert_cmpuint (post_line (fixture, line_event ("follow", "01HF4V8S5Y0CZ8Q9XKJ7M2N3R1", FALSE),
                               NULL), ==, 200);
  wait_until_processed (fixture);
  g_assert_cmpuint (fixture->line_events->len, ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM members"), ==, 0);
}

static void
test_body_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *big = NULL;
  g_autoptr(GBytes) too_large = NULL;
  g_autoptr(GBytes) chunked = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *signature = NULL;
  const char *headers[3] = { "x-line-signature", NULL, NULL };
  GString *json;

  rg_server_set_body_limit (fixture->server, 256);
  g_assert_cmpuint (rg_server_get_body_limit (fixture->server), ==, 256);

  json = g_string_new ("{\"destination\":\"U0\",\"events\":[],\"padding\":\"");
  while (json->len < 300)
    g_string_append_c (json, 'x');
  g_string_append (json, "\"}");
  big = g_string_free (json, FALSE);
  signature = line_signature (LINE_SECRET, big);
  headers[1] = signature;

  /* Declared length over the limit. */
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", headers, big, &too_large), ==, 413);
  assert_json_error (too_large, NULL, "larger than the limit of 256 bytes");

  /* Chunked, without a declared length. */
  stream = g_memory_input_stream_new_from_data (g_strdup (big), strlen (big), g_free);
  g_assert_cmpuint (request_full (fixture, "POST", "/webhook/line", headers, stream, NULL,
                                  &chunked), ==, 413);
  assert_json_error (chunked, NULL, "larger than the limit");

  /* The limit is exact: the published example (65 bytes) passes. */
  g_assert_cmpuint (post_line (fixture, LINE_BODY, NULL), ==, 200);
  g_assert_cmpuint (rg_server_get_pending (fixture->server), ==, 0);
}

static void
test_bad_json (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) malformed = NULL;
  g_autoptr(GBytes) not_object = NULL;
  g_autoptr(GBytes) no_events = NULL;
  g_autoptr(GBytes) bad_event = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) no_entry = NULL;
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *hub = NULL;
  const char *hub_headers[3] = { "X-Hub-Signature-256", NULL, NULL };

  /* Signed correctly, so that the parser is what refuses them. */
  g_assert_cmpuint (post_line (fixture, "{\"events\":[", &malformed), ==, 400);
  assert_json_error (malformed, NULL, "not valid JSON");
  g_assert_cmpuint (post_line (fixture, "[1,2]", &not_object), ==, 400);
  assert_json_error (not_object, NULL, "must be a JSON object");
  g_assert_cmpuint (post_line (fixture, "{\"destination\":\"U0\"}", &no_events), ==, 400);
  assert_json_error (no_events, "events", "must be an array");
  g_assert_cmpuint (post_line (fixture, "{\"events\":[{\"type\":\"follow\"},7]}", &bad_event), ==,
                    400);
  assert_json_error (bad_event, "events[1]", "must be an object");
  g_assert_cmpuint (post_line (fixture, "", &empty), ==, 400);
  assert_json_error (empty, NULL, "empty");

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) WHATSAPP_SECRET, strlen (WHATSAPP_SECRET));
  g_hmac_update (hmac, (const guchar *) "{\"object\":\"x\"}", strlen ("{\"object\":\"x\"}"));
  hub = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
  hub_headers[1] = hub;
  g_assert_cmpuint (request (fixture, "POST", "/webhook/whatsapp", hub_headers,
                             "{\"object\":\"x\"}", &no_entry), ==, 400);
  assert_json_error (no_entry, "entry", "must be an array");

  g_assert_cmpuint (rg_server_get_pending (fixture->server), ==, 0);
}

static void
test_routes (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) not_found = NULL;
  g_autoptr(GBytes) not_allowed = NULL;

  g_assert_cmpuint (request (fixture, "GET", "/nothing/here", NULL, NULL, &not_found), ==, 404);
  assert_json_error (not_found, NULL, "No route for GET /nothing/here");
  g_assert_cmpuint (request (fixture, "GET", "/webhook/line", NULL, NULL, &not_allowed), ==, 405);
  assert_json_error (not_allowed, NULL, "use POST");
  g_assert_cmpuint (request (fixture, "GET", "/webhook/line/extra", NULL, NULL, NULL), ==, 404);
}

static void
member_page_cb (RgServer          *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autofree char *text = g_strdup_printf ("%s:%s", (const char *) user_data, path);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
test_add_handler (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) deeper = NULL;
  g_autoptr(GBytes) exact = NULL;

  rg_server_add_handler (fixture->server, "/m/", member_page_cb, g_strdup ("m"), g_free);
  rg_server_add_handler (fixture->server, "/m/special", member_page_cb, g_strdup ("special"),
                         g_free);

  g_assert_cmpuint (request (fixture, "GET", "/m/tok.en", NULL, NULL, &page), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (page, NULL), g_bytes_get_size (page), "m:/m/tok.en", 11);
  g_assert_cmpuint (request (fixture, "GET", "/m/special", NULL, NULL, &exact), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (exact, NULL), g_bytes_get_size (exact),
                   "special:/m/special", 18);
  g_assert_cmpuint (request (fixture, "GET", "/m/special/x", NULL, NULL, &deeper), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (deeper, NULL), g_bytes_get_size (deeper),
                   "m:/m/special/x", 14);
  g_assert_cmpuint (request (fixture, "GET", "/m", NULL, NULL, NULL), ==, 404);
}

static void
test_no_credentials (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *good[] = { "x-line-signature", LINE_SIGNATURE, NULL };
  g_autoptr(GBytes) unavailable = NULL;

  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", good, LINE_BODY, &unavailable), ==,
                    503);
  assert_json_error (unavailable, NULL, "line/channel-secret");
  g_assert_cmpuint (request (fixture, "GET",
                             "/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1"
                             "&hub.verify_token=anything",
                             NULL, NULL, NULL), ==, 403);
}

static void
test_reload_credentials (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *old[] = { "x-line-signature", LINE_SIGNATURE, NULL };
  g_autoptr(RgChannelSettings) elsewhere = NULL;
  g_autofree char *body = NULL;
  g_autofree char *signature = NULL;
  const char *rotated[3] = { "x-line-signature", NULL, NULL };

  /* Another process (its own settings object) rotates the secret. */
  elsewhere = rg_channel_settings_new (fixture->store, fixture->secrets);
  rg_test_channel_set (elsewhere, "line", "channel-secret", "rotated-secret");

  body = g_strdup (LINE_BODY);
  signature = line_signature ("rotated-secret", body);
  rotated[1] = signature;

  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", old, LINE_BODY, NULL), ==, 200);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", rotated, body, NULL), ==, 401);

  rg_test_reload_credentials (fixture->server);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", old, LINE_BODY, NULL), ==, 401);
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", rotated, body, NULL), ==, 200);
}

static void
test_service_lock (void)
{
  g_autofree char *dir = rg_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "regulars.db", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(RgServiceLock) first = NULL;
  g_autoptr(RgServiceLock) second = NULL;
  g_autoptr(RgServiceLock) third = NULL;
  g_autoptr(GError) error = NULL;

  first = rg_service_lock_acquire (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (g_str_has_suffix (rg_service_lock_get_path (first), "regulars.db.lock"));
  g_assert_true (g_file_get_contents (rg_service_lock_get_path (first), &contents, NULL, NULL));
  g_assert_cmpint (atoi (contents), ==, getpid ());

  second = rg_service_lock_acquire (path, &error);
  g_assert_null (second);
  g_assert_error (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_HELD);
  expected = g_strdup_printf ("Another Regulars (process %d) is already running the service "
                              "for “%s”", (int) getpid (), path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Released with the object. */
  g_clear_object (&first);
  third = rg_service_lock_acquire (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);

  g_clear_object (&third);
  rg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/server/service-lock", test_service_lock);

  keyring = rg_test_keyring_start (&error);
  if (keyring == NULL)
    {
      g_test_message ("Skipping the server tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func, data) \
  g_test_add ("/regulars/server/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("line/signature", test_line_signature, NULL);
  ADD ("line/redelivery", test_line_redelivery, NULL);
  ADD ("line/prune", test_line_prune, NULL);
  ADD ("line/follow", test_line_follow, NULL);
  ADD ("line/follow-stranger", test_line_follow_stranger, NULL);
  ADD ("whatsapp/signature", test_whatsapp_signature, NULL);
  ADD ("whatsapp/challenge", test_whatsapp_challenge, NULL);
  ADD ("body-limit", test_body_limit, NULL);
  ADD ("bad-json", test_bad_json, NULL);
  ADD ("routes", test_routes, NULL);
  ADD ("add-handler", test_add_handler, NULL);
  ADD ("no-credentials", test_no_credentials, GINT_TO_POINTER (1));
  ADD ("reload-credentials", test_reload_credentials, NULL);

#undef ADD

  return g_test_run ();
}
