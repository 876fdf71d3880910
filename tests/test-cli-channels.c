/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "rg-channel-settings.h"
#include "rg-fake-wait.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* regulars-cli channels / serve, run as the shop's box would run them. */

#define LINE_BODY      "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[]}"
#define LINE_SIGNATURE "68T4hrXlCXQMCJqA3fGlBzTyBPmhsLT3g4xth3uGq7Y="

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "regulars.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
lookup_secret (const char *channel,
               const char *field)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  rg_secrets_lookup_async (secrets, channel, field, NULL, rg_fake_wait_cb, &result);
  value = rg_secrets_lookup_finish (secrets, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  return value;
}

static void
clear_secret (const char *channel,
              const char *field)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_secrets_clear_async (secrets, channel, field, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_secrets_clear_finish (secrets, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return g_strstr_len (contents, length, needle) != NULL;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
test_set_secret_from_stdin (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  clear_secret ("line", "channel-secret");

  g_assert_cmpint (rg_test_run_cli (fixture->path, "cli-secret-4f9a2\n", &out, &err,
                                    "channels", "set", "line", "channel-secret", NULL), ==, 0);
  assert_contains (out, "Saved line/channel-secret in the keyring.");
  g_assert_null (strstr (out, "cli-secret-4f9a2"));
  g_assert_null (strstr (err, "cli-secret-4f9a2"));

  /* Trailing newline stripped, and in the keyring only. */
  stored = lookup_secret ("line", "channel-secret");
  g_assert_cmpstr (stored, ==, "cli-secret-4f9a2");
  g_assert_false (file_contains (fixture->path, "cli-secret-4f9a2"));
  g_assert_false (file_contains (wal, "cli-secret-4f9a2"));
}

static void
test_set_secret_refusals (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *empty_err = NULL;
  g_autofree char *lines_err = NULL;
  g_autofree char *stored = NULL;

  clear_secret ("whatsapp", "access-token");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, &err, "channels", "set",
                                    "whatsapp", "access-token", "EAAG-on-argv", NULL), !=, 0);
  assert_contains (err, "whatsapp/access-token is a secret");
  assert_contains (err, "standard input");
  g_assert_null (strstr (err, "EAAG-on-argv"));

  g_assert_cmpint (rg_test_run_cli (fixture->path, "", NULL, &empty_err,
                                    "channels", "set", "whatsapp", "access-token", NULL), !=, 0);
  assert_contains (empty_err, "Standard input is empty");

  g_assert_cmpint (rg_test_run_cli (fixture->path, "first\nsecond\n", NULL, &lines_err,
                                    "channels", "set", "whatsapp", "access-token", NULL), !=, 0);
  assert_contains (lines_err, "more than one line");

  stored = lookup_secret ("whatsapp", "access-token");
  g_assert_null (stored);
}

static void
test_set_plain_values (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *no_value = NULL;

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "channels", "set",
                                    "line", "channel-id", "1656123456", NULL), ==, 0);
  assert_contains (out, "Set line/channel-id.");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &bad,
                                    "channels", "set", "line", "channel-id", "12ab", NULL), !=, 0);
  assert_contains (bad, "line/channel-id: “12ab” must be a number");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &unknown,
                                    "channels", "set", "telegram", "token", "x", NULL), !=, 0);
  assert_contains (unknown, "Unknown channel “telegram”");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &no_value,
                                    "channels", "set", "line", "channel-id", NULL), !=, 0);
  assert_contains (no_value, "line/channel-id needs a VALUE");
}

static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean saw_secret = FALSE;
  gboolean saw_token = FALSE;

  clear_secret ("line", "channel-access-token");
  g_assert_cmpint (rg_test_run_cli (fixture->path, "shown-never-7c1d\n", NULL, NULL,
                                    "channels", "set", "line", "channel-secret", NULL), ==, 0);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, NULL, "channels", "set",
                                    "line", "channel-id", "1656123456", NULL), ==, 0);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, NULL,
                                    "channels", "set", "server", "public-base-url",
                                    "https://shop.example.com/", NULL), ==, 0);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "channels", "show", NULL),
                   ==, 0);
  g_assert_null (strstr (out, "shown-never-7c1d"));
  assert_contains (out, "LINE (line)");
  assert_contains (out, "WhatsApp (whatsapp)");
  assert_contains (out, "WeChat (wechat)");
  assert_contains (out, "SMS gateway (sms)");
  assert_contains (out, "1656123456");
  assert_contains (out, "https://api.line.me (default)");
  assert_contains (out, "https://shop.example.com/webhook/line");
  assert_contains (out, "https://shop.example.com/webhook/whatsapp");

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (g_str_has_prefix (line, "channel-secret "))
        {
          g_assert_true (g_str_has_suffix (line, " set"));
          g_assert_false (g_str_has_suffix (line, "not set"));
          saw_secret = TRUE;
        }
      else if (g_str_has_prefix (line, "channel-access-token "))
        {
          g_assert_true (g_str_has_suffix (line, "not set"));
          saw_token = TRUE;
        }
    }
  g_assert_true (saw_secret);
  g_assert_true (saw_token);
}

typedef struct
{
  GDataInputStream *stdout_lines;
  GAsyncResult     *result;
} Reader;

static char *
read_line (Reader *reader)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (reader->stdout_lines, G_PRIORITY_DEFAULT, NULL,
                                       rg_fake_wait_cb, &reader->result);
  line = g_data_input_stream_read_line_finish_utf8 (reader->stdout_lines,
                                                    rg_fake_wait (&reader->result), NULL, &error);
  g_clear_object (&reader->result);
  g_assert_no_error (error);
  return line;
}

static guint
post_webhook (SoupSession *session,
              const char  *url,
              const char  *signature)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static (LINE_BODY, strlen (LINE_BODY));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg),
                               "x-line-signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, rg_fake_wait_cb,
                                    &result);
  response = soup_session_send_and_read_finish (session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_serve (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cli = rg_test_cli_path ();
  g_autofree char *listening = NULL;
  g_autofree char *webhook = NULL;
  g_autofree char *log_ok = NULL;
  g_autofree char *log_rejected = NULL;
  g_autofree char *second_err = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *expected = NULL;
  Reader reader = { NULL };
  guint64 port;

  g_assert_cmpint (rg_test_run_cli (fixture->path, "testsecret\n", NULL, NULL,
                                    "channels", "set", "line", "channel-secret", NULL), ==, 0);

  serve = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            cli, "--database", fixture->path, "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  reader.stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));

  listening = read_line (&reader);
  g_assert_nonnull (listening);
  g_assert_true (g_str_has_prefix (listening, "Listening on http://127.0.0.1:"));
  g_assert_true (g_ascii_string_to_unsigned (listening + strlen ("Listening on http://127.0.0.1:"),
                                             10, 1, G_MAXUINT16, &port, NULL));

  webhook = g_strdup_printf ("http://127.0.0.1:%u/webhook/line", (guint) port);
  g_assert_cmpuint (post_webhook (session, webhook, LINE_SIGNATURE), ==, 200);
  log_ok = read_line (&reader);
  assert_contains (log_ok, " POST /webhook/line 200 ");
  g_assert_true (g_str_has_suffix (log_ok, " ms"));

  g_assert_cmpuint (post_webhook (session, webhook, "AAAA"), ==, 401);
  log_rejected = read_line (&reader);
  assert_contains (log_rejected, " POST /webhook/line 401 ");

  /* The service runs once per database. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &second_err, "serve", "--port",
                                    "0", NULL), !=, 0);
  expected = g_strdup_printf ("Another Regulars (process %s) is already running the service "
                              "for “%s”",
                              g_subprocess_get_identifier (serve), fixture->path);
  assert_contains (second_err, expected);

  g_subprocess_send_signal (serve, SIGTERM);
  stopped = read_line (&reader);
  g_assert_cmpstr (stopped, ==, "Stopped.");
  g_subprocess_wait_async (serve, NULL, rg_fake_wait_cb, &result);
  g_assert_true (g_subprocess_wait_finish (serve, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (serve));
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 0);

  g_clear_object (&reader.stdout_lines);
}

static char *
fake_platforms_path (void)
{
  const char *root = g_getenv ("REGULARS_BUILD_ROOT");

  return g_build_filename (root != NULL ? root : BUILD_ROOT,
                           "tests", "fakes", "regulars-fake-platforms", NULL);
}

static void
test_connection (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *program = fake_platforms_path ();
  g_autoptr(GSubprocess) fakes = NULL;
  g_autoptr(GDataInputStream) fakes_out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *missing_err = NULL;
  g_autofree char *unknown_err = NULL;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("regulars-fake-platforms is not built");
      return;
    }

  fakes = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error, program, NULL);
  g_assert_no_error (error);
  fakes_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fakes));
  ready = g_data_input_stream_read_line_utf8 (fakes_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ready, "READY http://127.0.0.1:"));
  base_url = g_strconcat (ready + strlen ("READY "), "/line", NULL);

  clear_secret ("line", "channel-access-token");
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, NULL,
                                    "channels", "set", "line", "base-url", base_url, NULL), ==, 0);

  /* Nothing to authenticate with yet: the tester names the field. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &missing_err,
                                    "channels", "test", "line", NULL), !=, 0);
  assert_contains (missing_err, "channel-access-token");

  g_assert_cmpint (rg_test_run_cli (fixture->path, "fake-line-channel-access-token\n", NULL, NULL,
                                    "channels", "set", "line", "channel-access-token", NULL),
                   ==, 0);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "channels", "test", "line",
                                    NULL), ==, 0);
  assert_contains (out, "LINE: ");
  assert_contains (out, "Regulars Test Shop");

  /* A wrong token: the platform's own words, and a failing exit status. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, "revoked-token\n", NULL, NULL, "channels",
                                    "set", "line", "channel-access-token", NULL), ==, 0);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "channels", "test", "line",
                                    NULL), !=, 0);
  assert_contains (err, "Authentication failed");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &unknown_err,
                                    "channels", "test", "telegram", NULL), !=, 0);
  assert_contains (unknown_err, "Unknown channel “telegram”");

  /* The fakes stop when their stdin closes. */
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (fakes), NULL, &error));
  g_subprocess_wait_async (fakes, NULL, rg_fake_wait_cb, &result);
  g_assert_true (g_subprocess_wait_finish (fakes, rg_fake_wait (&result), &error));
  g_assert_no_error (error);

  clear_secret ("line", "channel-access-token");
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
      g_test_message ("Skipping the CLI tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/regulars/cli/channels/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("set-secret-from-stdin", test_set_secret_from_stdin);
  ADD ("set-secret-refusals", test_set_secret_refusals);
  ADD ("set-plain-values", test_set_plain_values);
  ADD ("show", test_show);
  ADD ("serve", test_serve);
  ADD ("test-connection", test_connection);

#undef ADD

  return g_test_run ();
}
