/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-fake-line.h"
#include "rg-fake-sms.h"
#include "rg-member-store.h"
#include "rg-notify-dispatcher.h"
#include "rg-notify-setting-store.h"
#include "rg-notify-stats.h"
#include "rg-notify-trigger.h"
#include "rg-test-util.h"

/* The cascade against the in-process fakes, with a clock of the test's own: no test waits
 * for real time. */

#define PUSH_PATH "/v2/bot/message/push"
#define PNP_PATH  "/bot/pnp/push"
#define SMS_PATH  RG_FAKE_SMS_MITAKE_SEND_PATH

#define FRIEND_PHONE     "0912345678"
#define FRIEND_E164      "+886912345678"
#define FRIEND_ID        "U4af4980629a1b2c3d4e5f60718293a4b"
#define BLOCKED_PHONE    "0928111520"
#define BLOCKED_ID       "U0000000000000000000000000000b10c"
#define STRANGER_PHONE   "0935246810"
#define STRANGER_E164    "+886935246810"
#define STRANGER_MITAKE  "0935246810"

#define WAIT_SECONDS 600

typedef struct
{
  char                 *dir;
  RgStore              *store;
  RgMemberStore        *members;
  RgNotifySettingStore *settings;
  RgFakeLine           *line;
  RgFakeSms            *sms;
  RgNotifyDispatcher   *dispatcher;
  gint64                now_us;
  char                 *setting_id;
  GPtrArray            *finished;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now_us;
}

static void
trigger_finished_cb (RgNotifyDispatcher *dispatcher,
                     const char         *trigger_id,
                     const char         *state,
                     const char         *via,
                     Fixture            *fixture)
{
  g_ptr_array_add (fixture->finished, g_strdup_printf ("%s %s %s", trigger_id, state,
                                                       via != NULL ? via : "-"));
}

static void
add_member (Fixture    *fixture,
            const char *phone,
            const char *line_user_id,
            gboolean    line_friend)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;

  rg_member_set_name (member, phone);
  rg_member_set_phone (member, phone);
  rg_member_set_line_user_id (member, line_user_id);
  rg_member_set_line_friend (member, line_friend);
  g_assert_true (rg_member_store_insert (fixture->members, member, NULL, &error));
  g_assert_no_error (error);
}

static char *
create_setting (Fixture       *fixture,
                RgNotifySteps  steps)
{
  g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();
  g_autoptr(GError) error = NULL;

  rg_notify_setting_set_name (setting, "Shipped");
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_steps (setting, steps);
  rg_notify_setting_set_line_push_text (setting, "{{name}}, order {{order}} is on its way");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example/orders");
  rg_notify_setting_set_sms_text (setting, "Order {{order}} shipped");
  rg_notify_setting_set_sms_wait_seconds (setting, WAIT_SECONDS);
  g_assert_true (rg_notify_setting_store_create (fixture->settings, setting, &error));
  g_assert_no_error (error);

  return g_strdup (rg_notify_setting_get_id (setting));
}

static RgNotifyDispatcher *
new_dispatcher (Fixture *fixture)
{
  RgNotifyDispatcher *dispatcher = rg_notify_dispatcher_new (fixture->store, NULL);
  g_autoptr(RgLineClient) line = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  g_autoptr(RgSmsClient) sms = NULL;

  rg_line_client_set_base_url (line,
                               rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->line)));
  sms = rg_sms_client_new (RG_SMS_PROVIDER_MITAKE, RG_FAKE_SMS_MITAKE_USERNAME,
                           RG_FAKE_SMS_MITAKE_PASSWORD, NULL);
  rg_sms_client_set_base_url (sms, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->sms)));

  rg_notify_dispatcher_set_line_client (dispatcher, line);
  rg_notify_dispatcher_set_sms_client (dispatcher, sms);
  rg_notify_dispatcher_set_clock (dispatcher, fake_clock, fixture);
  g_signal_connect (dispatcher, "trigger-finished", G_CALLBACK (trigger_finished_cb), fixture);
  return dispatcher;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->settings = rg_notify_setting_store_new (fixture->store);
  fixture->finished = g_ptr_array_new_with_free_func (g_free);

  fixture->line = rg_fake_line_new ();
  fixture->sms = rg_fake_sms_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->line), &error));
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->sms), &error));
  g_assert_no_error (error);

  add_member (fixture, FRIEND_PHONE, FRIEND_ID, TRUE);
  add_member (fixture, BLOCKED_PHONE, BLOCKED_ID, FALSE);

  /* Triggers are stamped with the real clock; the dispatcher's starts a minute later. */
  fixture->now_us = g_get_real_time () + 60 * G_USEC_PER_SEC;
  fixture->setting_id = create_setting (fixture, RG_NOTIFY_STEP_LINE_PUSH |
                                                 RG_NOTIFY_STEP_LINE_PNP |
                                                 RG_NOTIFY_STEP_SMS);
  fixture->dispatcher = new_dispatcher (fixture);
  rg_notify_dispatcher_start (fixture->dispatcher);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->dispatcher);
  g_clear_object (&fixture->line);
  g_clear_object (&fixture->sms);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->finished, g_ptr_array_unref);
  g_clear_pointer (&fixture->setting_id, g_free);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Everything due now goes one move further, and every request out is answered. */
static void
settle (Fixture *fixture)
{
  rg_notify_dispatcher_run_due (fixture->dispatcher);
  while (rg_notify_dispatcher_get_n_in_flight (fixture->dispatcher) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
advance (Fixture *fixture,
         gint64   ms)
{
  fixture->now_us += ms * 1000;
  settle (fixture);
}

static char *
trigger (Fixture    *fixture,
         const char *phone,
         const char *key)
{
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_hash_table_insert (variables, (gpointer) "name", (gpointer) "陳怡君");
  g_hash_table_insert (variables, (gpointer) "order", (gpointer) "A-1024");
  g_assert_true (rg_notify_trigger (fixture->store, fixture->setting_id, phone, variables, key,
                                    &id, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "tr_"));
  return id;
}

/* A column of the step @kind of @trigger_id, as text; NULL when there is no such step. */
static char *
step_text (Fixture    *fixture,
           const char *trigger_id,
           const char *kind,
           const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM notify_steps "
                                          "WHERE trigger_id = ?1 AND kind = ?2", column);
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (fixture->store, sql, NULL);

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, trigger_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
step_int (Fixture    *fixture,
          const char *trigger_id,
          const char *kind,
          const char *column)
{
  g_autofree char *text = step_text (fixture, trigger_id, kind, column);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static void
assert_step (Fixture    *fixture,
             const char *trigger_id,
             const char *kind,
             const char *state)
{
  g_autofree char *actual = step_text (fixture, trigger_id, kind, "state");

  g_assert_cmpstr (actual, ==, state);
}

/* "completed line_push", "failed -", "sending -" */
static char *
trigger_summary (Fixture    *fixture,
                 const char *trigger_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    rg_store_prepare (fixture->store,
                      "SELECT state, coalesce (delivered_via, '-') FROM notify_triggers "
                      "WHERE id = ?1", NULL);

  sqlite3_bind_text (stmt, 1, trigger_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup_printf ("%s %s", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
}

static void
assert_trigger (Fixture    *fixture,
                const char *trigger_id,
                const char *summary)
{
  g_autofree char *actual = trigger_summary (fixture, trigger_id);

  g_assert_cmpstr (actual, ==, summary);
}

static guint
requests (Fixture    *fixture,
          gpointer    fake,
          const char *path)
{
  return rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fake), path);
}

static guint
phone_deliveries (Fixture    *fixture,
                  const char *e164)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, e164, -1);

  return rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->line), hash);
}

static void
deliver (Fixture    *fixture,
         const char *tag)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"type\":\"delivery\",\"delivery\":{\"data\":\"%s\"},"
                          "\"mode\":\"active\","
                          "\"timestamp\":1700000000000,\"source\":{\"type\":\"user\","
                          "\"userId\":\"" BLOCKED_ID "\"},\"webhookEventId\":\"01HXYZ\","
                          "\"deliveryContext\":{\"isRedelivery\":false}}", tag);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  rg_notify_dispatcher_handle_line_event (fixture->dispatcher,
                                          json_node_get_object (json_parser_get_root (parser)));
}

static void
test_push_ok (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = trigger (fixture, FRIEND_PHONE, NULL);
  g_autofree char *retry_key = step_text (fixture, id, "line_push", "retry_key");
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  JsonObject *message;

  /* The key is there before the first attempt. */
  g_assert_true (g_uuid_string_is_valid (retry_key));
  assert_step (fixture, id, "line_push", "pending");

  settle (fixture);

  assert_step (fixture, id, "line_push", "delivered");
  assert_trigger (fixture, id, "completed line_push");
  g_assert_null (step_text (fixture, id, "line_pnp", "state"));
  g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, 1);
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 0);
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 0);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->line), PUSH_PATH);
  g_assert_cmpstr (rg_fake_request_get_header (request, "X-Line-Retry-Key"), ==, retry_key);
  body = rg_fake_request_dup_json (request);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, FRIEND_ID);
  message = json_array_get_object_element (json_object_get_array_member (object, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "text"), ==,
                   "陳怡君, order A-1024 is on its way");

  g_assert_cmpuint (fixture->finished->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (fixture->finished, 0),
                                   " completed line_push"));
}

static void
check_pnp_delivered (Fixture    *fixture,
                     const char *phone,
                     const char *e164)
{
  g_autofree char *id = trigger (fixture, phone, NULL);
  g_autofree char *tag = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, e164, -1);
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;

  settle (fixture);

  /* No reachable friend: the push is skipped, not tried. */
  assert_step (fixture, id, "line_push", "skipped");
  g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, 0);
  assert_step (fixture, id, "line_pnp", "accepted");
  assert_trigger (fixture, id, "sending -");

  tag = step_text (fixture, id, "line_pnp", "id");
  g_assert_cmpuint (strlen (tag), >=, 16);
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->line), PNP_PATH);
  g_assert_cmpstr (rg_fake_request_get_header (request, "X-Line-Delivery-Tag"), ==, tag);
  body = rg_fake_request_dup_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "to"), ==, hash);

  /* Accepted is not delivered: nothing moves until the webhook or the wait's end. */
  advance (fixture, (WAIT_SECONDS - 1) * 1000);
  assert_step (fixture, id, "line_pnp", "accepted");

  deliver (fixture, tag);
  assert_step (fixture, id, "line_pnp", "delivered");
  assert_trigger (fixture, id, "completed line_pnp");

  advance (fixture, 10 * 1000);
  g_assert_null (step_text (fixture, id, "sms", "state"));
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 0);
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 1);
}

static void
test_no_line_id (Fixture       *fixture,
                 gconstpointer  data)
{
  check_pnp_delivered (fixture, STRANGER_PHONE, STRANGER_E164);
}

static void
test_not_a_friend (Fixture       *fixture,
                   gconstpointer  data)
{
  check_pnp_delivered (fixture, BLOCKED_PHONE, "+886928111520");
}

static void
test_pnp_undeliverable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *client_ref = NULL;
  g_autofree char *last_error = NULL;
  g_autofree char *provider_id = NULL;
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(GHashTable) form = NULL;

  rg_fake_line_set_unreachable (fixture->line, STRANGER_E164);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  client_ref = step_text (fixture, id, "sms", "client_ref");
  g_assert_null (client_ref);

  settle (fixture);

  assert_step (fixture, id, "line_pnp", "failed");
  last_error = step_text (fixture, id, "line_pnp", "last_error");
  g_assert_nonnull (last_error);
  assert_step (fixture, id, "sms", "accepted");
  assert_trigger (fixture, id, "completed sms");

  client_ref = step_text (fixture, id, "sms", "client_ref");
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->sms), SMS_PATH);
  form = rg_fake_request_dup_form (request);
  g_assert_cmpstr (g_hash_table_lookup (form, "clientid"), ==, client_ref);
  g_assert_cmpstr (g_hash_table_lookup (form, "smbody"), ==, "Order A-1024 shipped");
  g_assert_cmpstr (g_hash_table_lookup (form, "dstaddr"), ==, STRANGER_MITAKE);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->sms),
                                                     STRANGER_MITAKE), ==, 1);
  provider_id = step_text (fixture, id, "sms", "provider_id");
  g_assert_nonnull (provider_id);
}

static void
test_pnp_expired (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = trigger (fixture, STRANGER_PHONE, NULL);
  g_autofree char *tag = NULL;
  g_autofree char *late = NULL;

  settle (fixture);
  assert_step (fixture, id, "line_pnp", "accepted");
  g_assert_cmpint (step_int (fixture, id, "line_pnp", "due_at"), ==,
                   fixture->now_us / 1000 + WAIT_SECONDS * 1000);

  advance (fixture, WAIT_SECONDS * 1000 - 1);
  assert_step (fixture, id, "line_pnp", "accepted");
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 0);

  advance (fixture, 1);
  assert_step (fixture, id, "line_pnp", "expired");
  assert_step (fixture, id, "sms", "accepted");
  assert_trigger (fixture, id, "completed sms");
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 1);

  /* A delivery that comes too late is recorded, but the SMS has gone: still one of each. */
  tag = step_text (fixture, id, "line_pnp", "delivery_tag");
  deliver (fixture, tag);
  assert_step (fixture, id, "line_pnp", "delivered");
  assert_trigger (fixture, id, "completed sms");
  g_assert_cmpuint (phone_deliveries (fixture, STRANGER_E164), ==, 1);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *last_error = NULL;
  g_autoptr(GPtrArray) pushes = NULL;
  gint64 due;

  rg_fake_line_fail (fixture->line, PUSH_PATH, 1, RG_FAKE_LINE_FAIL_RATE_LIMIT, 30);
  id = trigger (fixture, FRIEND_PHONE, NULL);
  settle (fixture);

  /* Retried later, when LINE said, with the same key. */
  assert_step (fixture, id, "line_push", "pending");
  g_assert_cmpint (step_int (fixture, id, "line_push", "attempts"), ==, 1);
  due = step_int (fixture, id, "line_push", "due_at");
  g_assert_cmpint (due, ==, fixture->now_us / 1000 + 30 * 1000);
  last_error = step_text (fixture, id, "line_push", "last_error");
  g_assert_nonnull (strstr (last_error, "rate limit"));

  advance (fixture, 29 * 1000);
  g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, 1);
  assert_step (fixture, id, "line_push", "pending");

  advance (fixture, 1000);
  assert_step (fixture, id, "line_push", "delivered");
  assert_trigger (fixture, id, "completed line_push");
  g_assert_cmpint (step_int (fixture, id, "line_push", "attempts"), ==, 2);

  pushes = rg_fake_platform_dup_requests (RG_FAKE_PLATFORM (fixture->line), PUSH_PATH);
  g_assert_cmpuint (pushes->len, ==, 2);
  g_assert_cmpstr (rg_fake_request_get_header (g_ptr_array_index (pushes, 0), "X-Line-Retry-Key"),
                   ==,
                   rg_fake_request_get_header (g_ptr_array_index (pushes, 1), "X-Line-Retry-Key"));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->line), FRIEND_ID),
                    ==, 1);
}

static void
test_server_error_backoff (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;

  /* Every attempt fails: the delays grow, and after the last one the cascade moves on. */
  rg_fake_line_fail (fixture->line, PUSH_PATH, RG_NOTIFY_DISPATCHER_MAX_ATTEMPTS,
                     RG_FAKE_LINE_FAIL_SERVER_ERROR, -1);
  id = trigger (fixture, FRIEND_PHONE, NULL);
  settle (fixture);

  for (gint attempt = 1; attempt < RG_NOTIFY_DISPATCHER_MAX_ATTEMPTS; attempt++)
    {
      gint64 full = (gint64) 1000 << (attempt - 1);
      gint64 delay;

      assert_step (fixture, id, "line_push", "pending");
      delay = step_int (fixture, id, "line_push", "due_at") - fixture->now_us / 1000;
      g_test_message ("attempt %d: retry in %" G_GINT64_FORMAT " ms", attempt, delay);
      g_assert_cmpint (delay, >=, full / 2);
      g_assert_cmpint (delay, <=, full);

      advance (fixture, delay);
      g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, attempt + 1);
    }

  assert_step (fixture, id, "line_push", "failed");
  assert_step (fixture, id, "line_pnp", "accepted");
  g_assert_cmpint (step_int (fixture, id, "line_push", "attempts"), ==,
                   RG_NOTIFY_DISPATCHER_MAX_ATTEMPTS);
}

static void
test_bad_request_falls_through (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *id = NULL;

  rg_fake_line_fail (fixture->line, PUSH_PATH, 1, RG_FAKE_LINE_FAIL_BAD_REQUEST, -1);
  id = trigger (fixture, FRIEND_PHONE, NULL);
  settle (fixture);

  /* No retry of a 400: straight to the notification message. */
  assert_step (fixture, id, "line_push", "failed");
  g_assert_cmpint (step_int (fixture, id, "line_push", "attempts"), ==, 1);
  assert_step (fixture, id, "line_pnp", "accepted");
  g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, 1);
  g_assert_cmpuint (phone_deliveries (fixture, FRIEND_E164), ==, 1);
}

static void
test_steps_turned_off (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(RgNotifySetting) setting = NULL;
  g_autoptr(GError) error = NULL;

  g_free (fixture->setting_id);
  fixture->setting_id = create_setting (fixture, RG_NOTIFY_STEP_SMS);
  id = trigger (fixture, FRIEND_PHONE, NULL);
  settle (fixture);

  /* A friend, but only SMS is on. */
  g_assert_null (step_text (fixture, id, "line_push", "state"));
  assert_step (fixture, id, "sms", "accepted");
  assert_trigger (fixture, id, "completed sms");

  /* A step turned off after the trigger came is skipped when its turn comes. */
  g_free (fixture->setting_id);
  fixture->setting_id = create_setting (fixture, RG_NOTIFY_STEP_LINE_PNP | RG_NOTIFY_STEP_SMS);
  g_free (id);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  setting = rg_notify_setting_store_get (fixture->settings, fixture->setting_id, &error);
  g_assert_no_error (error);
  rg_notify_setting_set_steps (setting, RG_NOTIFY_STEP_SMS);
  g_assert_true (rg_notify_setting_store_update (fixture->settings, setting, &error));
  g_assert_no_error (error);
  settle (fixture);
  assert_step (fixture, id, "line_pnp", "skipped");
  assert_step (fixture, id, "sms", "accepted");
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 0);
}

static void
test_no_channel_left (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;

  /* No SMS gateway set up, and LINE cannot reach the number. */
  rg_notify_dispatcher_set_sms_client (fixture->dispatcher, NULL);
  rg_fake_line_set_unreachable (fixture->line, STRANGER_E164);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  settle (fixture);

  assert_step (fixture, id, "line_pnp", "failed");
  assert_step (fixture, id, "sms", "skipped");
  assert_trigger (fixture, id, "failed -");
  g_assert_cmpuint (fixture->finished->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (fixture->finished, 0), " failed -"));
}

static void
restart (Fixture *fixture)
{
  rg_notify_dispatcher_stop (fixture->dispatcher);
  g_clear_object (&fixture->dispatcher);
  fixture->dispatcher = new_dispatcher (fixture);
  rg_notify_dispatcher_start (fixture->dispatcher);
  settle (fixture);
}

static void
test_restart_mid_wait (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = trigger (fixture, STRANGER_PHONE, NULL);

  settle (fixture);
  assert_step (fixture, id, "line_pnp", "accepted");

  /* A new process on the same database keeps the wait it finds there. */
  advance (fixture, 300 * 1000);
  restart (fixture);
  assert_step (fixture, id, "line_pnp", "accepted");
  advance (fixture, (WAIT_SECONDS - 300) * 1000 - 1);
  assert_step (fixture, id, "line_pnp", "accepted");
  advance (fixture, 1);
  assert_step (fixture, id, "line_pnp", "expired");
  assert_step (fixture, id, "sms", "accepted");
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 1);
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 1);
}

static void
test_restart_sending_pnp (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *tag = NULL;

  /* The process dies while the notification message is out: its fate is unknown. */
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->line), PNP_PATH, 1);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  rg_notify_dispatcher_run_due (fixture->dispatcher);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->line), 1);
  assert_step (fixture, id, "line_pnp", "sending");
  rg_notify_dispatcher_stop (fixture->dispatcher);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->line));

  restart (fixture);

  /* Never sent again; it waits for its webhook … */
  assert_step (fixture, id, "line_pnp", "sending");
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 1);
  advance (fixture, (WAIT_SECONDS - 1) * 1000);
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 1);
  g_assert_null (step_text (fixture, id, "sms", "state"));

  /* … which came. */
  tag = step_text (fixture, id, "line_pnp", "delivery_tag");
  deliver (fixture, tag);
  assert_step (fixture, id, "line_pnp", "delivered");
  assert_trigger (fixture, id, "completed line_pnp");
  advance (fixture, 10 * 1000);
  g_assert_null (step_text (fixture, id, "sms", "state"));
  g_assert_cmpuint (phone_deliveries (fixture, STRANGER_E164), ==, 1);
}

static void
test_restart_sending_pnp_expires (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *id = NULL;

  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->line), PNP_PATH, 1);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  rg_notify_dispatcher_run_due (fixture->dispatcher);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->line), 1);
  rg_notify_dispatcher_stop (fixture->dispatcher);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->line));
  restart (fixture);

  /* No webhook within the wait: SMS, and still one notification message. */
  advance (fixture, WAIT_SECONDS * 1000);
  assert_step (fixture, id, "line_pnp", "expired");
  assert_step (fixture, id, "sms", "accepted");
  assert_trigger (fixture, id, "completed sms");
  g_assert_cmpuint (requests (fixture, fixture->line, PNP_PATH), ==, 1);
}

static void
test_restart_sending_push (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) pushes = NULL;
  g_autofree char *last_error = NULL;

  /* The push reaches LINE, but the process dies before it hears the answer. */
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->line), PUSH_PATH, 1);
  id = trigger (fixture, FRIEND_PHONE, NULL);
  rg_notify_dispatcher_run_due (fixture->dispatcher);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->line), 1);
  rg_notify_dispatcher_stop (fixture->dispatcher);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->line));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->line), FRIEND_ID),
                    ==, 1);
  assert_step (fixture, id, "line_push", "sending");

  /* Sent again with the same key: LINE says 409, which is a success. */
  restart (fixture);
  assert_step (fixture, id, "line_push", "delivered");
  assert_trigger (fixture, id, "completed line_push");
  last_error = step_text (fixture, id, "line_push", "last_error");
  g_assert_nonnull (strstr (last_error, "409"));
  pushes = rg_fake_platform_dup_requests (RG_FAKE_PLATFORM (fixture->line), PUSH_PATH);
  g_assert_cmpuint (pushes->len, ==, 2);
  g_assert_cmpuint (((RgFakeRequest *) g_ptr_array_index (pushes, 1))->status, ==, 409);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->line), FRIEND_ID),
                    ==, 1);
  g_assert_null (step_text (fixture, id, "line_pnp", "state"));
}

static void
test_restart_sending_sms (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;

  rg_fake_line_set_unreachable (fixture->line, STRANGER_E164);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->sms), SMS_PATH, 1);
  id = trigger (fixture, STRANGER_PHONE, NULL);
  rg_notify_dispatcher_run_due (fixture->dispatcher);
  while (requests (fixture, fixture->line, PNP_PATH) == 0 ||
         rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->sms)) == 0)
    g_main_context_iteration (NULL, TRUE);
  rg_notify_dispatcher_stop (fixture->dispatcher);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->sms));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_step (fixture, id, "sms", "sending");

  /* The gateway drops the repeat of a client reference it knows. */
  restart (fixture);
  assert_step (fixture, id, "sms", "accepted");
  assert_trigger (fixture, id, "completed sms");
  g_assert_cmpuint (requests (fixture, fixture->sms, SMS_PATH), ==, 2);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->sms),
                                                     STRANGER_MITAKE), ==, 1);
}

static void
test_idempotency_key (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *first = trigger (fixture, FRIEND_PHONE, "order-A-1024-shipped");
  g_autofree char *second = trigger (fixture, "0912-345-678", "order-A-1024-shipped");

  g_assert_cmpstr (first, ==, second);
  settle (fixture);
  g_assert_cmpuint (requests (fixture, fixture->line, PUSH_PATH), ==, 1);
}

static void
test_friend_gained (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *id = trigger (fixture, BLOCKED_PHONE, NULL);
  g_autofree char *tag = NULL;
  RgNotifyStats stats;
  g_autoptr(GError) error = NULL;

  settle (fixture);
  tag = step_text (fixture, id, "line_pnp", "delivery_tag");
  deliver (fixture, tag);

  /* The member who had blocked the shop follows it again an hour later. */
  advance (fixture, 3600 * 1000);
  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"type\":\"follow\","
                                             "\"follow\":{\"isUnblocked\":true},"
                                             "\"source\":{\"type\":\"user\","
                                             "\"userId\":\"" BLOCKED_ID "\"},"
                                             "\"timestamp\":1,\"mode\":\"active\","
                                             "\"webhookEventId\":\"01HFOLLOW\"}", -1, NULL));
  rg_notify_dispatcher_handle_line_event (fixture->dispatcher,
                                          json_node_get_object (json_parser_get_root (parser)));

  g_assert_true (rg_notify_stats_query (fixture->store, fixture->setting_id, NULL, NULL, &stats,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.triggers, ==, 1);
  g_assert_cmpuint (stats.completed, ==, 1);
  g_assert_cmpuint (stats.line_pnp_attempted, ==, 1);
  g_assert_cmpuint (stats.line_pnp_delivered, ==, 1);
  g_assert_cmpuint (stats.line_push_attempted, ==, 0);
  g_assert_cmpuint (stats.friends_via_pnp, ==, 1);
  g_assert_cmpuint (stats.friends_via_sms, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/regulars/notify/cascade/" name, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("push-ok", test_push_ok);
  ADD ("no-line-id-pnp-delivered", test_no_line_id);
  ADD ("not-a-friend-pnp-delivered", test_not_a_friend);
  ADD ("pnp-undeliverable-sms", test_pnp_undeliverable);
  ADD ("pnp-expired-sms", test_pnp_expired);
  ADD ("rate-limited-retry-after", test_rate_limited);
  ADD ("server-error-backoff", test_server_error_backoff);
  ADD ("bad-request-falls-through", test_bad_request_falls_through);
  ADD ("steps-turned-off", test_steps_turned_off);
  ADD ("no-channel-left", test_no_channel_left);
  ADD ("restart/mid-wait", test_restart_mid_wait);
  ADD ("restart/sending-pnp-not-resent", test_restart_sending_pnp);
  ADD ("restart/sending-pnp-expires", test_restart_sending_pnp_expires);
  ADD ("restart/sending-push-409", test_restart_sending_push);
  ADD ("restart/sending-sms-client-ref", test_restart_sending_sms);
  ADD ("idempotency-key", test_idempotency_key);
  ADD ("friend-gained", test_friend_gained);

  return g_test_run ();
}
