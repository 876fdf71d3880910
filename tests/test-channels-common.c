/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-channel-error-private.h"
#include "rg-channel-kind.h"
#include "rg-channel-tester.h"
#include "rg-fake-line.h"
#include "rg-fake-sms.h"
#include "rg-fake-wait.h"
#include "rg-fake-wechat.h"
#include "rg-fake-whatsapp.h"
#include "rg-http.h"

static void
test_kind_names (void)
{
  RgChannelKind kind = RG_CHANNEL_KIND_LINE;
  const char *names[] = { "line", "whatsapp", "wechat", "sms" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (rg_channel_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpstr (rg_channel_kind_to_string (kind), ==, names[i]);
      g_assert_nonnull (rg_channel_kind_get_display_name (kind));
    }

  g_assert_false (rg_channel_kind_from_string ("LINE", NULL));
  g_assert_false (rg_channel_kind_from_string ("", NULL));
  g_assert_false (rg_channel_kind_from_string (NULL, NULL));
  g_assert_true (G_TYPE_IS_ENUM (RG_TYPE_CHANNEL_KIND));
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2015, 10, 21, 7, 27, 30);

  g_assert_cmpint (_rg_channel_error_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (_rg_channel_error_parse_retry_after (" 0 ", now), ==, 0);
  g_assert_cmpint (_rg_channel_error_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT", now), ==, 30);
  g_assert_cmpint (_rg_channel_error_parse_retry_after ("Wed, 21 Oct 2015 07:00:00 GMT", now), ==, 0);
  g_assert_cmpint (_rg_channel_error_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (_rg_channel_error_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (_rg_channel_error_parse_retry_after (NULL, now), ==, -1);
}

static void
test_error_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "elsewhere");
  GError *propagated = NULL;

  error = _rg_channel_error_new (RG_CHANNEL_ERROR_RATE_LIMITED, 429, "130429", 17, "trace", "slow down");
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 17);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "130429");
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 429);
  g_assert_cmpstr (rg_channel_error_get_request_id (error), ==, "trace");

  copy = g_error_copy (error);
  g_propagate_prefixed_error (&propagated, g_steal_pointer (&copy), "%s: ", "Step 3");
  g_assert_cmpstr (propagated->message, ==, "Step 3: slow down");
  g_assert_cmpint (rg_channel_error_get_retry_after (propagated), ==, 17);
  g_assert_cmpstr (rg_channel_error_get_platform_code (propagated), ==, "130429");
  g_clear_error (&propagated);

  /* Errors of other domains carry none of it. */
  g_assert_false (rg_channel_error_is_retryable (other));
  g_assert_cmpint (rg_channel_error_get_retry_after (other), ==, -1);
  g_assert_null (rg_channel_error_get_platform_code (other));
  g_assert_cmpuint (rg_channel_error_get_http_status (other), ==, 0);
  g_assert_false (rg_channel_error_is_retryable (NULL));

  g_clear_error (&error);
  error = _rg_channel_error_new (RG_CHANNEL_ERROR_MONTHLY_LIMIT, 429, "429", 60, NULL, "quota");
  g_assert_false (rg_channel_error_is_retryable (error));
}

static void
test_message_urls (void)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SoupMessage) bad = NULL;
  g_autoptr(SoupMessage) no_host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GString) form = g_string_new (NULL);

  message = rg_http_message_new ("GET", "http://127.0.0.1:8080/line/", "/v2/bot/info", &error);
  g_assert_no_error (error);
  uri = g_uri_to_string (soup_message_get_uri (message));
  g_assert_cmpstr (uri, ==, "http://127.0.0.1:8080/line/v2/bot/info");

  bad = rg_http_message_new ("GET", "api.line.me", "/v2/bot/info", &error);
  g_assert_null (bad);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "“api.line.me”"));
  g_clear_error (&error);

  no_host = rg_http_message_new ("GET", "https://", "/v2/bot/info", &error);
  g_assert_null (no_host);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);

  escaped = rg_http_escape_segment ("U1/../x y");
  g_assert_cmpstr (escaped, ==, "U1%2F..%2Fx%20y");

  rg_http_form_add (form, "smbody", "點數 & more=1");
  rg_http_form_add (form, "skipped", NULL);
  rg_http_form_add (form, "clientid", "abc");
  g_assert_cmpstr (form->str, ==, "smbody=%E9%BB%9E%E6%95%B8%20%26%20more%3D1&clientid=abc");
}

static void
test_session (void)
{
  SoupSession *session = rg_http_get_session ();

  g_assert_true (session == rg_http_get_session ());
  g_assert_cmpstr (soup_session_get_user_agent (session), ==, "Regulars/" PACKAGE_VERSION);
  g_assert_cmpuint (soup_session_get_timeout (session), >, 0);
  /* Left to GIO's default resolver, which honours GIO_USE_PROXY_RESOLVER. */
  g_assert_true (soup_session_get_proxy_resolver (session) == g_proxy_resolver_get_default ());
}

static void
test_network_error (void)
{
  g_autoptr(RgFakeLine) fake = rg_fake_line_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RgHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  /* A port that was just free: nobody listens there any more. */
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fake), &error));
  base_url = g_strdup (rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fake)));
  g_clear_object (&fake);

  message = rg_http_message_new ("GET", base_url, "/v2/bot/info", &error);
  g_assert_no_error (error);
  rg_http_send_async (message, 5000, NULL, rg_fake_wait_cb, &result);
  response = rg_http_send_finish (rg_fake_wait (&result), &error);
  g_assert_null (response);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NETWORK);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

typedef struct
{
  GSubprocess *process;
  char        *root;
} Platforms;

static void
platforms_start (Platforms *platforms)
{
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  platforms->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                         &error,
                                         BUILD_ROOT "/tests/fakes/regulars-fake-platforms", NULL);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (platforms->process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "READY http://127.0.0.1:"));
  platforms->root = g_strdup (line + strlen ("READY "));
}

static char *
platforms_test (Platforms      *platforms,
                RgChannelKind   kind,
                GError        **error,
                ...)
{
  g_autoptr(GHashTable) config = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GAsyncResult) result = NULL;
  char *summary = NULL;
  const char *prefix[] = { "/line", "/whatsapp/v19.0", "/wechat", "/sms" };
  const char *field;
  va_list args;

  g_hash_table_insert (config, (char *) "base-url", g_strconcat (platforms->root, prefix[kind], NULL));
  va_start (args, error);
  while ((field = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (config, (char *) field, g_strdup (va_arg (args, const char *)));
  va_end (args);

  rg_channel_test_connection_async (kind, config, NULL, rg_fake_wait_cb, &result);
  rg_channel_test_connection_finish (rg_fake_wait (&result), &summary, error);
  return summary;
}

static JsonNode *
platforms_control (Platforms  *platforms,
                   const char *method,
                   const char *path,
                   const char *json)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RgHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  message = rg_http_message_new (method, platforms->root, path, &error);
  g_assert_no_error (error);
  if (json != NULL)
    {
      g_autoptr(JsonNode) body = json_from_string (json, &error);

      g_assert_no_error (error);
      rg_http_message_set_json (message, body);
    }
  rg_http_send_async (message, 5000, NULL, rg_fake_wait_cb, &result);
  response = rg_http_send_finish (rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  node = rg_http_response_parse_json (response, &error);
  g_assert_no_error (error);
  return node;
}

static void
test_standalone_platforms (void)
{
  Platforms platforms = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) requests = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autofree char *line = NULL;
  g_autofree char *whatsapp = NULL;
  g_autofree char *wechat = NULL;
  g_autofree char *mitake = NULL;
  g_autofree char *twilio = NULL;
  g_autofree char *limited = NULL;
  JsonObject *first;

  platforms_start (&platforms);

  line = platforms_test (&platforms, RG_CHANNEL_KIND_LINE, &error,
                         "channel-access-token", RG_FAKE_LINE_ACCESS_TOKEN, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (line, RG_FAKE_LINE_DISPLAY_NAME));

  whatsapp = platforms_test (&platforms, RG_CHANNEL_KIND_WHATSAPP, &error,
                             "phone-number-id", RG_FAKE_WHATSAPP_PHONE_NUMBER_ID,
                             "access-token", RG_FAKE_WHATSAPP_ACCESS_TOKEN, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (whatsapp, RG_FAKE_WHATSAPP_DISPLAY_NUMBER));

  wechat = platforms_test (&platforms, RG_CHANNEL_KIND_WECHAT, &error,
                           "app-id", RG_FAKE_WECHAT_APP_ID,
                           "app-secret", RG_FAKE_WECHAT_APP_SECRET, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (wechat);

  mitake = platforms_test (&platforms, RG_CHANNEL_KIND_SMS, &error,
                           "provider", "mitake", "account", RG_FAKE_SMS_MITAKE_USERNAME,
                           "password", RG_FAKE_SMS_MITAKE_PASSWORD, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (mitake);

  twilio = platforms_test (&platforms, RG_CHANNEL_KIND_SMS, &error,
                           "provider", "twilio", "account", RG_FAKE_SMS_TWILIO_SID,
                           "password", RG_FAKE_SMS_TWILIO_TOKEN, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (twilio);

  /* What a spawning test reads back and programs over HTTP. */
  requests = platforms_control (&platforms, "GET", "/line/_fake/requests", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (requests)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (requests), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==, "/v2/bot/info");
  g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "headers"),
                                                  "Authorization"), ==,
                   "Bearer " RG_FAKE_LINE_ACCESS_TOKEN);

  ok = platforms_control (&platforms, "POST", "/line/_fake/fail",
                          "{\"path\":\"/v2/bot/info\",\"status\":429,\"retry_after\":7}");
  limited = platforms_test (&platforms, RG_CHANNEL_KIND_LINE, &error,
                            "channel-access-token", RG_FAKE_LINE_ACCESS_TOKEN, NULL);
  g_assert_null (limited);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_RATE_LIMITED);
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 7);
  g_clear_error (&error);

  /* Closing stdin stops it. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (platforms.process), NULL, NULL);
  g_subprocess_wait_check (platforms.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (platforms.process));
  g_assert_cmpint (g_subprocess_get_exit_status (platforms.process), ==, 0);

  g_clear_object (&platforms.process);
  g_free (platforms.root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/channels/common/kind-names", test_kind_names);
  g_test_add_func ("/regulars/channels/common/retry-after", test_retry_after);
  g_test_add_func ("/regulars/channels/common/error-data", test_error_data);
  g_test_add_func ("/regulars/channels/common/message-urls", test_message_urls);
  g_test_add_func ("/regulars/channels/common/session", test_session);
  g_test_add_func ("/regulars/channels/common/network-error", test_network_error);
  g_test_add_func ("/regulars/channels/common/standalone-platforms", test_standalone_platforms);

  return g_test_run ();
}
