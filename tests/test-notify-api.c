/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-fake-line.h"
#include "rg-fake-sms.h"
#include "rg-fake-wait.h"
#include "rg-notify-api.h"
#include "rg-notify-setting-store.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* The Open API through real HTTP requests to the built-in server, the token in a private
 * keyring; and a delivery webhook that goes all the way to the dispatcher. */

#define TOKEN       "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
#define LINE_SECRET "api-test-channel-secret"
#define STRANGER    "0935246810"

typedef struct
{
  char                 *dir;
  RgStore              *store;
  RgSecrets            *secrets;
  RgChannelSettings    *channel_settings;
  RgServer             *server;
  RgNotifyDispatcher   *dispatcher;
  RgNotifySettingStore *settings;
  RgFakeLine           *line;
  SoupSession          *session;
  char                 *url;
  char                 *setting_id;
  char                 *disabled_id;
  GPtrArray            *steps;
} Fixture;

static void
store_secret (RgSecrets  *secrets,
              const char *channel,
              const char *field,
              const char *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (value != NULL)
    {
      rg_secrets_store_async (secrets, channel, field, "Regulars test", value, NULL,
                              rg_fake_wait_cb, &result);
      g_assert_true (rg_secrets_store_finish (secrets, rg_fake_wait (&result), &error));
    }
  else
    {
      rg_secrets_clear_async (secrets, channel, field, NULL, rg_fake_wait_cb, &result);
      g_assert_true (rg_secrets_clear_finish (secrets, rg_fake_wait (&result), &error));
    }
  g_assert_no_error (error);
}

static char *
create_setting (Fixture  *fixture,
                gboolean  enabled)
{
  g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();
  g_autoptr(GError) error = NULL;

  rg_notify_setting_set_name (setting, enabled ? "Shipped" : "Old");
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_line_push_text (setting, "Order {{order}} is on its way");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example/orders");
  rg_notify_setting_set_sms_text (setting, "Order {{order}} shipped");
  rg_notify_setting_set_enabled (setting, enabled);
  g_assert_true (rg_notify_setting_store_create (fixture->settings, setting, &error));
  g_assert_no_error (error);
  return g_strdup (rg_notify_setting_get_id (setting));
}

static void
step_changed_cb (RgNotifyDispatcher *dispatcher,
                 const char         *trigger_id,
                 const char         *step_id,
                 const char         *kind,
                 const char         *state,
                 Fixture            *fixture)
{
  g_ptr_array_add (fixture->steps, g_strdup_printf ("%s %s %s", kind, state, step_id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgLineClient) line = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "regulars.db", NULL);
  fixture->store = rg_store_open (path, &error);
  g_assert_no_error (error);
  fixture->secrets = rg_secrets_new ();
  fixture->channel_settings = rg_channel_settings_new (fixture->store, fixture->secrets);
  fixture->settings = rg_notify_setting_store_new (fixture->store);
  fixture->steps = g_ptr_array_new_with_free_func (g_free);
  store_secret (fixture->secrets, "api", "token", TOKEN);
  store_secret (fixture->secrets, "line", "channel-secret", LINE_SECRET);

  fixture->line = rg_fake_line_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->line), &error));
  line = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  rg_line_client_set_base_url (line,
                               rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->line)));

  fixture->server = rg_server_new (fixture->store, fixture->channel_settings);
  rg_test_reload_credentials (fixture->server);

  /* The service's wiring: the dispatcher is woken by the API and hears the webhooks. */
  fixture->dispatcher = rg_notify_dispatcher_new (fixture->store, NULL);
  rg_notify_dispatcher_set_line_client (fixture->dispatcher, line);
  rg_notify_dispatcher_watch_server (fixture->dispatcher, fixture->server);
  rg_notify_api_register (fixture->server, fixture->dispatcher);
  g_signal_connect (fixture->dispatcher, "step-changed", G_CALLBACK (step_changed_cb), fixture);

  fixture->url = rg_test_server_listen (fixture->server);
  fixture->session = soup_session_new ();

  fixture->setting_id = create_setting (fixture, TRUE);
  fixture->disabled_id = create_setting (fixture, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  rg_notify_dispatcher_stop (fixture->dispatcher);
  rg_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->dispatcher);
  g_clear_object (&fixture->line);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->channel_settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->steps, g_ptr_array_unref);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
  g_free (fixture->setting_id);
  g_free (fixture->disabled_id);
}

/* Sends a request; @headers alternates names and values and ends with NULL. */
static guint
request (Fixture            *fixture,
         const char         *method,
         const char         *path,
         const char * const *headers,
         const char         *body,
         JsonNode          **json)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    rg_fake_wait_cb, &result);
  bytes = soup_session_send_and_read_finish (fixture->session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  if (json != NULL)
    *json = json_parser_steal_root (parser);
  return soup_message_get_status (msg);
}

static guint
post (Fixture    *fixture,
      const char *body,
      const char *key,
      JsonNode  **json)
{
  const char *headers[] = {
    "Authorization", "Bearer " TOKEN, key != NULL ? "Idempotency-Key" : NULL, key, NULL
  };

  return request (fixture, "POST", "/api/v1/notifications", headers, body, json);
}

/* Asserts {"error":{"message":…,"field":@field}} with @status. */
static void
assert_error (guint       status,
              JsonNode   *json,
              guint       expected_status,
              const char *field)
{
  JsonObject *error;

  g_assert_cmpuint (status, ==, expected_status);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json));
  error = json_object_get_object_member (json_node_get_object (json), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_test_message ("%u %s: %s", status, field ? field : "(none)",
                  json_object_get_string_member (error, "message"));
  if (field == NULL)
    g_assert_true (json_object_get_null_member (error, "field"));
  else
    g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, field);
}

static gint64
count_triggers (Fixture *fixture)
{
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (fixture->store,
                                                   "SELECT count (*) FROM notify_triggers", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_auth (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"" STRANGER "\","
                                           "\"variables\":{\"order\":\"A1\"}}",
                                           fixture->setting_id);
  const char *wrong[] = { "Authorization", "Bearer not-the-token", NULL };
  const char *basic[] = { "Authorization", "Basic " TOKEN, NULL };
  const char *prefix[] = { "Authorization", "Bearer " TOKEN "X", NULL };
  guint status;

  status = request (fixture, "POST", "/api/v1/notifications", NULL, body, &json);
  assert_error (status, json, 401, NULL);
  g_clear_pointer (&json, json_node_unref);
  status = request (fixture, "POST", "/api/v1/notifications", wrong, body, &json);
  assert_error (status, json, 401, NULL);
  g_clear_pointer (&json, json_node_unref);
  status = request (fixture, "POST", "/api/v1/notifications", basic, body, &json);
  assert_error (status, json, 401, NULL);
  g_clear_pointer (&json, json_node_unref);
  status = request (fixture, "POST", "/api/v1/notifications", prefix, body, &json);
  assert_error (status, json, 401, NULL);
  g_clear_pointer (&json, json_node_unref);
  status = request (fixture, "GET", "/api/v1/notification-settings", wrong, NULL, &json);
  assert_error (status, json, 401, NULL);
  g_clear_pointer (&json, json_node_unref);

  /* No token made yet: nobody gets in, and the answer says how to make one. */
  store_secret (fixture->secrets, "api", "token", NULL);
  status = post (fixture, body, NULL, &json);
  assert_error (status, json, 401, NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (
                              json_node_get_object (json), "error"), "message"),
                            "api-token new"));
  g_assert_cmpint (count_triggers (fixture), ==, 0);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *body;     /* %1$s stands for the setting, %2$s for the disabled one */
    guint       status;
    const char *field;
  } cases[] = {
    { "{\"setting_id\": ", 400, NULL },
    { "[1, 2]", 400, NULL },
    { "", 400, NULL },
    { "{\"phone\":\"" STRANGER "\"}", 400, "setting_id" },
    { "{\"setting_id\":12,\"phone\":\"" STRANGER "\"}", 400, "setting_id" },
    { "{\"setting_id\":\"%1$s\"}", 400, "phone" },
    { "{\"setting_id\":\"%1$s\",\"phone\":912345678}", 400, "phone" },
    { "{\"setting_id\":\"%1$s\",\"phone\":\"" STRANGER "\",\"variables\":[]}", 400, "variables" },
    { "{\"setting_id\":\"%1$s\",\"phone\":\"" STRANGER "\",\"variables\":{\"order\":true}}",
      400, "variables.order" },
    { "{\"setting_id\":\"ns_unknown\",\"phone\":\"" STRANGER "\",\"variables\":{\"order\":\"A1\"}}",
      404, "setting_id" },
    { "{\"setting_id\":\"%2$s\",\"phone\":\"" STRANGER "\",\"variables\":{\"order\":\"A1\"}}",
      409, "setting_id" },
    { "{\"setting_id\":\"%1$s\",\"phone\":\"12345\",\"variables\":{\"order\":\"A1\"}}",
      422, "phone" },
    { "{\"setting_id\":\"%1$s\",\"phone\":\"" STRANGER "\",\"variables\":{\"name\":\"Amy\"}}",
      422, "variables.order" },
    { "{\"setting_id\":\"%1$s\",\"phone\":\"" STRANGER "\"}", 422, "variables.order" },
  };
  g_autoptr(JsonNode) json = NULL;
  const char *headers[] = { "Authorization", "Bearer " TOKEN, NULL };
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GString) body = g_string_new (cases[i].body);

      g_string_replace (body, "%1$s", fixture->setting_id, 0);
      g_string_replace (body, "%2$s", fixture->disabled_id, 0);
      g_test_message ("body %s", body->str);
      status = post (fixture, body->str, NULL, &answer);
      assert_error (status, answer, cases[i].status, cases[i].field);
    }
  g_assert_cmpint (count_triggers (fixture), ==, 0);

  status = request (fixture, "GET", "/api/v1/notifications", headers, NULL, &json);
  assert_error (status, json, 405, NULL);
  g_clear_pointer (&json, json_node_unref);
  status = request (fixture, "DELETE", "/api/v1/notification-settings", headers, NULL, &json);
  assert_error (status, json, 405, NULL);
}

static void
test_accepted (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) number = NULL;
  g_autofree char *body = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"" STRANGER "\","
                                           "\"variables\":{\"order\":\"A1\"}}",
                                           fixture->setting_id);
  g_autofree char *other_phone = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"0912345678\","
                                                  "\"variables\":{\"order\":\"A1\"}}",
                                                  fixture->setting_id);
  g_autofree char *numeric = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"0912345678\","
                                              "\"variables\":{\"order\":1024}}",
                                              fixture->setting_id);
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  JsonObject *object;
  guint status;

  g_assert_cmpuint (post (fixture, body, "order-A1-shipped", &first), ==, 202);
  object = json_node_get_object (first);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "id"), "tr_"));
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "accepted");
  /* Written before the answer. */
  g_assert_cmpint (count_triggers (fixture), ==, 1);

  /* The same key: the same answer, nothing new. */
  g_assert_cmpuint (post (fixture, body, "order-A1-shipped", &second), ==, 202);
  first_text = json_to_string (first, FALSE);
  second_text = json_to_string (second, FALSE);
  g_assert_cmpstr (first_text, ==, second_text);
  g_assert_cmpint (count_triggers (fixture), ==, 1);

  /* The key of another request: refused, naming the header. */
  status = post (fixture, other_phone, "order-A1-shipped", &other);
  assert_error (status, other, 422, "Idempotency-Key");
  g_assert_cmpint (count_triggers (fixture), ==, 1);

  /* Numbers are fine as values. */
  g_assert_cmpuint (post (fixture, numeric, NULL, &number), ==, 202);
  g_assert_cmpint (count_triggers (fixture), ==, 2);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(RgNotifySetting) setting = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *path = g_strconcat ("/api/v1/notification-settings/", fixture->setting_id, NULL);
  g_autofree char *one_text = NULL;
  g_autofree char *expected_text = NULL;
  const char *headers[] = { "Authorization", "Bearer " TOKEN, NULL };
  JsonArray *array;
  guint status;

  g_assert_cmpuint (request (fixture, "GET", "/api/v1/notification-settings", headers, NULL, &list),
                    ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"),
                   ==, fixture->setting_id);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (array, 1),
                                                  "enabled"));

  g_assert_cmpuint (request (fixture, "GET", path, headers, NULL, &one), ==, 200);
  setting = rg_notify_setting_store_get (fixture->settings, fixture->setting_id, NULL);
  expected = rg_notify_setting_to_json (setting);
  one_text = json_to_string (one, FALSE);
  expected_text = json_to_string (expected, FALSE);
  g_assert_cmpstr (one_text, ==, expected_text);

  status = request (fixture, "GET", "/api/v1/notification-settings/ns_unknown", headers, NULL,
                    &missing);
  assert_error (status, missing, 404, "id");
}

static char *
line_signature (const char *body)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) LINE_SECRET,
                                      strlen (LINE_SECRET));
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) body, strlen (body));
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

static const char *
wait_for_step (Fixture    *fixture,
               const char *kind_state)
{
  for (;;)
    {
      for (guint i = 0; i < fixture->steps->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (fixture->steps, i), kind_state))
          return (const char *) g_ptr_array_index (fixture->steps, i) + strlen (kind_state) + 1;
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_delivery_webhook (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) accepted = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"" STRANGER "\","
                                           "\"variables\":{\"order\":\"A1\"}}",
                                           fixture->setting_id);
  g_autofree char *event = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *tag = NULL;
  const char *headers[3] = { "x-line-signature", NULL, NULL };

  rg_notify_dispatcher_start (fixture->dispatcher);

  /* The API wakes the dispatcher: no LINE friend, so a notification message goes out. */
  g_assert_cmpuint (post (fixture, body, NULL, &accepted), ==, 202);
  tag = g_strdup (wait_for_step (fixture, "line_pnp accepted"));

  event = g_strdup_printf ("{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":"
                           "[{\"type\":\"delivery\",\"delivery\":{\"data\":\"%s\"},"
                           "\"mode\":\"active\",\"timestamp\":1700000000000,"
                           "\"source\":{\"type\":\"user\","
                           "\"userId\":\"U0123456789abcdef0123456789abcdef\"},"
                           "\"webhookEventId\":\"01HWEBHOOKDELIVERY0000000\","
                           "\"deliveryContext\":{\"isRedelivery\":false}}]}", tag);
  signature = line_signature (event);
  headers[1] = signature;
  g_assert_cmpuint (request (fixture, "POST", "/webhook/line", headers, event, &answer), ==, 200);

  g_assert_cmpstr (wait_for_step (fixture, "line_pnp delivered"), ==, tag);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  keyring = rg_test_keyring_start (&error);
  if (keyring == NULL)
    {
      g_test_message ("Skipping the Open API tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/regulars/notify/api/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("auth", test_auth);
  ADD ("errors", test_errors);
  ADD ("accepted", test_accepted);
  ADD ("settings", test_settings);
  ADD ("delivery-webhook", test_delivery_webhook);

  return g_test_run ();
}
