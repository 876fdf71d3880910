/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "rg-channel-settings.h"
#include "rg-fake-line.h"
#include "rg-fake-sms.h"
#include "rg-fake-wait.h"
#include "rg-member-store.h"
#include "rg-notify-setting-store.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/*
 * The kill test: `regulars-cli serve` against the fake platforms process, killed at random
 * points (REGULARS_FAULT_KILL_AFTER: right after a step is committed as sending, right after
 * a platform answered, right after a trigger is committed) while 50 triggers come in through
 * the Open API, and restarted until every trigger is final. The client re-sends what got no
 * answer with the same Idempotency-Key, as an integrator would. Afterwards every trigger must
 * be final and no platform may have received any trigger twice: the fakes count deliveries
 * per recipient, and every trigger has a recipient of its own.
 */

#define N_TRIGGERS  50
#define MAX_KILLS   6
#define MAX_FAULT   40
#define TOKEN       "kill-test-token-0123456789abcdefghijklmnopq"

typedef struct
{
  guint32          seed;
  GRand           *rand;
  char            *dir;
  char            *path;
  RgStore         *store;
  SoupSession     *session;
  GSubprocess     *fakes;
  char            *fakes_url;
  GSubprocess     *serve;
  GDataInputStream *serve_out;
  char            *api_url;
  char            *setting_id;
  guint            kills;
} Kill;

static char *
build_path (const char *first,
            ...)
{
  const char *root = g_getenv ("REGULARS_BUILD_ROOT");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list ap;

  g_ptr_array_add (parts, (gpointer) (root != NULL ? root : BUILD_ROOT));
  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static char *
read_line (GDataInputStream *stream)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, rg_fake_wait_cb, &result);
  return g_data_input_stream_read_line_finish_utf8 (stream, rg_fake_wait (&result), NULL, NULL);
}

/* Returns the HTTP status, or 0 when the connection broke (the server died). */
static guint
http (Kill        *kill,
      const char  *method,
      const char  *url,
      const char  *key,
      const char  *body,
      char       **response)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               "Bearer " TOKEN);
  if (key != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  soup_session_send_and_read_async (kill->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    rg_fake_wait_cb, &result);
  bytes = soup_session_send_and_read_finish (kill->session, rg_fake_wait (&result), &error);
  if (bytes == NULL)
    {
      g_test_message ("%s %s: %s", method, url, error->message);
      return 0;
    }
  if (response != NULL)
    *response = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static void
fake_control (Kill       *kill,
              const char *prefix,
              const char *command,
              const char *body)
{
  g_autofree char *url = g_strconcat (kill->fakes_url, prefix, "/_fake/", command, NULL);

  g_assert_cmpuint (http (kill, "POST", url, NULL, body, NULL), ==, 200);
}

static char *
phone_of (guint i)
{
  return g_strdup_printf ("0912%06u", 100000 + i * 37);
}

static char *
line_id_of (guint i)
{
  g_autofree char *phone = phone_of (i);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, phone, -1);

  return g_strconcat ("U", digest, NULL);
}

/* Members: a third follow the shop on LINE, a third are members without LINE, a third are
 * no members at all. One setting with every step, no SMS wait. */
static void
prepare_database (Kill *kill)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (kill->store);
  g_autoptr(RgNotifySettingStore) settings = rg_notify_setting_store_new (kill->store);
  g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(RgChannelSettings) channels = rg_channel_settings_new (kill->store, secrets);
  g_autofree char *line_url = g_strconcat (kill->fakes_url, "/line", NULL);
  g_autofree char *sms_url = g_strconcat (kill->fakes_url, "/sms", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_TRIGGERS; i++)
    {
      g_autoptr(RgMember) member = NULL;
      g_autofree char *phone = phone_of (i);
      g_autofree char *line_id = line_id_of (i);

      if (i % 3 == 2)
        continue;
      member = rg_member_new ();
      rg_member_set_name (member, phone);
      rg_member_set_phone (member, phone);
      if (i % 3 == 0)
        {
          rg_member_set_line_user_id (member, line_id);
          rg_member_set_line_friend (member, TRUE);
        }
      g_assert_true (rg_member_store_insert (members, member, NULL, &error));
      g_assert_no_error (error);
    }

  rg_notify_setting_set_name (setting, "Shipped");
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_line_push_text (setting, "Order {{order}} is on its way");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example/orders");
  rg_notify_setting_set_sms_text (setting, "Order {{order}} shipped");
  rg_notify_setting_set_sms_wait_seconds (setting, 0);
  g_assert_true (rg_notify_setting_store_create (settings, setting, &error));
  g_assert_no_error (error);
  kill->setting_id = g_strdup (rg_notify_setting_get_id (setting));

  rg_test_channel_set (channels, "line", "channel-access-token", RG_FAKE_LINE_ACCESS_TOKEN);
  rg_test_channel_set (channels, "line", "base-url", line_url);
  rg_test_channel_set (channels, "sms", "provider", "mitake");
  rg_test_channel_set (channels, "sms", "account", RG_FAKE_SMS_MITAKE_USERNAME);
  rg_test_channel_set (channels, "sms", "password", RG_FAKE_SMS_MITAKE_PASSWORD);
  rg_test_channel_set (channels, "sms", "base-url", sms_url);

  rg_secrets_store_async (secrets, "api", "token", "Regulars test", TOKEN, NULL,
                          rg_fake_wait_cb, &result);
  g_assert_true (rg_secrets_store_finish (secrets, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
}

static void
start_fakes (Kill *kill)
{
  g_autofree char *program = build_path ("tests", "fakes", "regulars-fake-platforms", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;

  kill->fakes = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                  &error, program, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (kill->fakes));
  ready = read_line (out);
  g_assert_nonnull (ready);
  g_assert_true (g_str_has_prefix (ready, "READY http://127.0.0.1:"));
  kill->fakes_url = g_strdup (ready + strlen ("READY "));

  /* Failures on the way: notification messages nobody can get, and server errors. */
  fake_control (kill, "/line", "fail", "{\"path\":\"/bot/pnp/push\",\"status\":422,\"count\":8}");
  fake_control (kill, "/line", "fail",
                "{\"path\":\"/v2/bot/message/push\",\"status\":500,\"count\":2}");
  fake_control (kill, "/sms", "fail", "{\"path\":\"" RG_FAKE_SMS_MITAKE_SEND_PATH "\","
                                      "\"status\":500,\"count\":2}");
}

/* Starts serve, killed after @fault points (0: never). FALSE when it died before listening. */
static gboolean
start_serve (Kill  *kill,
             guint  fault)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *cli = build_path ("src", "regulars-cli", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *fault_text = g_strdup_printf ("%u", fault);
  char *line;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (fault > 0)
    g_subprocess_launcher_setenv (launcher, "REGULARS_FAULT_KILL_AFTER", fault_text, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "REGULARS_FAULT_KILL_AFTER");
  kill->serve = g_subprocess_launcher_spawn (launcher, &error, cli, "--database", kill->path,
                                             "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  kill->serve_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (kill->serve));
  g_test_message ("seed %u: serve started, fault after %u points", kill->seed, fault);

  while ((line = read_line (kill->serve_out)) != NULL)
    {
      gboolean listening = g_str_has_prefix (line, "Listening on ");

      if (listening)
        kill->api_url = g_strconcat (line + strlen ("Listening on "), "/api/v1/notifications",
                                     NULL);
      g_free (line);
      if (listening)
        return TRUE;
    }
  return FALSE;
}

/* Waits for serve to end; it must have been killed by the fault injection. */
static void
reap_serve (Kill     *kill,
            gboolean  expect_fault)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (kill->serve, NULL, rg_fake_wait_cb, &result);
  g_assert_true (g_subprocess_wait_finish (kill->serve, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (kill->serve));
  g_assert_cmpint (g_subprocess_get_exit_status (kill->serve), ==, expect_fault ? 137 : 0);
  if (expect_fault)
    kill->kills++;

  g_clear_object (&kill->serve_out);
  g_clear_object (&kill->serve);
  g_clear_pointer (&kill->api_url, g_free);
}

static gint64
count (Kill       *kill,
       const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (kill->store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
all_final (Kill *kill)
{
  return count (kill, "SELECT count (*) FROM notify_triggers WHERE state <> 'sending'") ==
         N_TRIGGERS;
}

static JsonObject *
get_deliveries (Kill       *kill,
                const char *prefix)
{
  g_autofree char *url = g_strconcat (kill->fakes_url, prefix, "/_fake/deliveries", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (http (kill, "GET", url, NULL, NULL, &body), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
check_outcome (Kill *kill)
{
  g_autoptr(JsonObject) line = get_deliveries (kill, "/line");
  g_autoptr(JsonObject) sms = get_deliveries (kill, "/sms");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObjectIter iter;
  const char *recipient;
  JsonNode *value;
  guint reached = 0;

  g_assert_cmpint (count (kill, "SELECT count (*) FROM notify_triggers"), ==, N_TRIGGERS);
  g_assert_cmpint (count (kill, "SELECT count (DISTINCT idempotency_key) FROM notify_triggers"),
                   ==, N_TRIGGERS);
  g_assert_cmpint (count (kill, "SELECT count (*) FROM notify_steps "
                                "WHERE state IN ('pending', 'sending') OR due_at IS NOT NULL"),
                   ==, 0);

  /* Nothing twice on any channel. */
  json_object_iter_init (&iter, line);
  while (json_object_iter_next (&iter, &recipient, &value))
    {
      if (json_node_get_int (value) != 1)
        g_error ("seed %u: LINE got %" G_GINT64_FORMAT " messages for %s", kill->seed,
                 json_node_get_int (value), recipient);
    }
  json_object_iter_init (&iter, sms);
  while (json_object_iter_next (&iter, &recipient, &value))
    {
      if (json_node_get_int (value) != 1)
        g_error ("seed %u: the SMS gateway got %" G_GINT64_FORMAT " messages for %s", kill->seed,
                 json_node_get_int (value), recipient);
    }

  /* Every trigger is final; a completed one reached its recipient on the channel it names. */
  stmt = rg_store_prepare (kill->store,
                           "SELECT t.idempotency_key, t.phone, t.state, t.delivered_via "
                           "FROM notify_triggers t", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      guint i = (guint) g_ascii_strtoull (key + strlen ("k-"), NULL, 10);
      const char *state = (const char *) sqlite3_column_text (stmt, 2);
      const char *via = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *phone = phone_of (i);
      g_autofree char *line_id = line_id_of (i);
      g_autofree char *hash = NULL;

      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                            (const char *) sqlite3_column_text (stmt, 1), -1);
      g_assert_cmpstr (state, ==, "completed");
      reached++;
      if (g_str_equal (via, "line_push"))
        g_assert_cmpint (json_object_get_int_member_with_default (line, line_id, 0), ==, 1);
      else if (g_str_equal (via, "line_pnp"))
        g_assert_cmpint (json_object_get_int_member_with_default (line, hash, 0), ==, 1);
      else
        g_assert_cmpint (json_object_get_int_member_with_default (sms, phone, 0), ==, 1);
    }
  g_assert_cmpuint (reached, ==, N_TRIGGERS);
}

static void
test_kill (gconstpointer data)
{
  Kill kill_data = { 0 };
  Kill *kill = &kill_data;
  g_autofree char *cli = build_path ("src", "regulars-cli", NULL);
  g_autofree char *fakes = build_path ("tests", "fakes", "regulars-fake-platforms", NULL);
  g_autoptr(GError) error = NULL;
  guint next = 0;

  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (fakes, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("regulars-cli or regulars-fake-platforms is not built");
      return;
    }

  kill->seed = GPOINTER_TO_UINT (data);
  kill->rand = g_rand_new_with_seed (kill->seed);
  kill->dir = rg_test_make_tmpdir ();
  kill->path = g_build_filename (kill->dir, "regulars.db", NULL);
  kill->store = rg_store_open (kill->path, &error);
  g_assert_no_error (error);
  kill->session = soup_session_new ();

  start_fakes (kill);
  prepare_database (kill);

  for (;;)
    {
      guint fault = 0;
      gboolean alive;
      char *line;

      if (kill->kills < MAX_KILLS)
        fault = (guint) g_rand_int_range (kill->rand, 1, MAX_FAULT + 1);
      alive = start_serve (kill, fault);

      /* Send what is not acknowledged yet; a broken connection means serve died. */
      while (alive && next < N_TRIGGERS)
        {
          g_autofree char *phone = phone_of (next);
          g_autofree char *key = g_strdup_printf ("k-%u", next);
          g_autofree char *body = NULL;
          guint status;

          body = g_strdup_printf ("{\"setting_id\":\"%s\",\"phone\":\"%s\","
                                  "\"variables\":{\"order\":\"A-%u\"}}",
                                  kill->setting_id, phone, next);
          status = http (kill, "POST", kill->api_url, key, body, NULL);
          if (status == 0)
            alive = FALSE;
          else
            {
              g_assert_cmpuint (status, ==, 202);
              next++;
            }
        }

      /* Each log line (requests, finished notifications) is a moment to look. */
      while (alive && !all_final (kill))
        {
          if ((line = read_line (kill->serve_out)) == NULL)
            alive = FALSE;
          g_free (line);
        }

      if (!alive)
        {
          g_assert_cmpuint (fault, >, 0);
          reap_serve (kill, TRUE);
          continue;
        }

      if (next == N_TRIGGERS && all_final (kill))
        {
          g_subprocess_send_signal (kill->serve, SIGTERM);
          while ((line = read_line (kill->serve_out)) != NULL)
            g_free (line);
          reap_serve (kill, FALSE);
          break;
        }
    }

  g_test_message ("seed %u: %u kills", kill->seed, kill->kills);
  g_assert_cmpuint (kill->kills, >=, 1);
  check_outcome (kill);

  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (kill->fakes), NULL, NULL));
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_wait_async (kill->fakes, NULL, rg_fake_wait_cb, &result);
    g_assert_true (g_subprocess_wait_finish (kill->fakes, rg_fake_wait (&result), NULL));
  }

  g_clear_object (&kill->fakes);
  g_clear_object (&kill->session);
  g_clear_object (&kill->store);
  g_clear_pointer (&kill->rand, g_rand_free);
  rg_test_remove_tree (kill->dir);
  g_free (kill->dir);
  g_free (kill->path);
  g_free (kill->fakes_url);
  g_free (kill->setting_id);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  static const guint32 seeds[] = { 1, 7, 42 };

  g_test_init (&argc, &argv, NULL);

  keyring = rg_test_keyring_start (&error);
  if (keyring == NULL)
    {
      g_test_message ("Skipping the kill test: %s", error->message);
      return g_test_run ();
    }

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *name = g_strdup_printf ("/regulars/notify/kill/seed-%u", seeds[i]);

      g_test_add_data_func (name, GUINT_TO_POINTER (seeds[i]), test_kill);
    }

  return g_test_run ();
}
