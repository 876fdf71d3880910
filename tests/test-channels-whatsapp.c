/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-channel-error.h"
#include "rg-channel-tester.h"
#include "rg-fake-wait.h"
#include "rg-fake-whatsapp.h"
#include "rg-whatsapp-client.h"

#define MESSAGES "/v19.0/" RG_FAKE_WHATSAPP_PHONE_NUMBER_ID "/messages"
#define CUSTOMER "886912345678"

typedef struct
{
  RgFakeWhatsApp   *fake;
  RgWhatsAppClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = rg_fake_whatsapp_new ();
  rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error);
  g_assert_no_error (error);

  fixture->client = rg_whatsapp_client_new (RG_FAKE_WHATSAPP_PHONE_NUMBER_ID,
                                            RG_FAKE_WHATSAPP_ACCESS_TOKEN);
  rg_whatsapp_client_set_base_url (fixture->client,
                                   rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static char *
send_text (Fixture     *fixture,
           const char  *to,
           const char  *body,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_whatsapp_client_send_text_async (fixture->client, to, body, FALSE, NULL,
                                      rg_fake_wait_cb, &result);
  return rg_whatsapp_client_send_text_finish (fixture->client, rg_fake_wait (&result), error);
}

static char *
send_template (Fixture     *fixture,
               const char  *name,
               const char  *language,
               JsonArray   *components,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_whatsapp_client_send_template_async (fixture->client, "+" CUSTOMER, name, language,
                                          components, NULL, rg_fake_wait_cb, &result);
  return rg_whatsapp_client_send_template_finish (fixture->client, rg_fake_wait (&result), error);
}

static void
test_text_success (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;
  JsonObject *object;

  rg_fake_whatsapp_open_window (fixture->fake, CUSTOMER);
  wamid = send_text (fixture, "+" CUSTOMER, "Your order is ready", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wamid, "wamid."));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), CUSTOMER), ==, 1);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), MESSAGES);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (rg_fake_request_get_header (request, "Authorization"), ==,
                   "Bearer " RG_FAKE_WHATSAPP_ACCESS_TOKEN);
  g_assert_cmpstr (rg_fake_request_get_header (request, "Content-Type"), ==, "application/json");
  body = rg_fake_request_dup_json (request);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "messaging_product"), ==, "whatsapp");
  g_assert_cmpstr (json_object_get_string_member (object, "recipient_type"), ==, "individual");
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, CUSTOMER);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "text"), "body"),
                   ==, "Your order is ready");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (object, "text"),
                                                  "preview_url"));
}

static void
test_text_outside_window (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;

  wamid = send_text (fixture, CUSTOMER, "Hello again", &error);
  g_assert_null (wamid);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_OUTSIDE_WINDOW);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "131047");
  g_assert_nonnull (strstr (error->message, "24 hours"));
  g_assert_nonnull (rg_channel_error_get_request_id (error));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), CUSTOMER), ==, 0);
}

static void
test_template (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;
  g_autofree char *missing = NULL;
  JsonObject *template;

  g_assert_true (json_parser_load_from_data (parser,
                                             "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"120\"}]},"
                                             "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"0\","
                                             "\"parameters\":[{\"type\":\"payload\",\"payload\":\"member_center\"}]}]",
                                             -1, NULL));
  rg_fake_whatsapp_add_template (fixture->fake, "points_update", "zh_TW");

  wamid = send_template (fixture, "points_update", "zh_TW",
                         json_node_get_array (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wamid, "wamid."));

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), MESSAGES);
  body = rg_fake_request_dup_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "type"), ==, "template");
  template = json_object_get_object_member (json_node_get_object (body), "template");
  g_assert_cmpstr (json_object_get_string_member (template, "name"), ==, "points_update");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (template, "language"),
                                                  "code"), ==, "zh_TW");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (template, "components")), ==, 2);

  /* An unknown template or language: 132001. */
  missing = send_template (fixture, "points_update", "en_US", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NOT_FOUND);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "132001");
  g_assert_nonnull (strstr (error->message, "does not exist in en_US"));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  struct {
    guint          status;
    gint           code;
    gint           retry_after;
    RgChannelError expected;
    gboolean       retryable;
  } cases[] = {
    { 429, 130429, 12, RG_CHANNEL_ERROR_RATE_LIMITED, TRUE },
    { 400, 131056, -1, RG_CHANNEL_ERROR_RATE_LIMITED, TRUE },
    { 400, 131047, -1, RG_CHANNEL_ERROR_OUTSIDE_WINDOW, FALSE },
    { 400, 131026, -1, RG_CHANNEL_ERROR_UNDELIVERABLE, FALSE },
    { 404, 132001, -1, RG_CHANNEL_ERROR_NOT_FOUND, FALSE },
    { 401, 190, -1, RG_CHANNEL_ERROR_AUTH, FALSE },
    { 400, 100, -1, RG_CHANNEL_ERROR_INVALID_REQUEST, FALSE },
    { 500, 131000, -1, RG_CHANNEL_ERROR_SERVER, TRUE },
    { 503, 131000, 3, RG_CHANNEL_ERROR_SERVER, TRUE },
  };

  rg_fake_whatsapp_open_window (fixture->fake, CUSTOMER);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *wamid = NULL;
      g_autofree char *code = g_strdup_printf ("%d", cases[i].code);

      rg_fake_whatsapp_fail (fixture->fake, MESSAGES, 1, cases[i].status, cases[i].code,
                             cases[i].retry_after);
      wamid = send_text (fixture, CUSTOMER, "Hello", &error);
      g_assert_null (wamid);
      g_assert_error (error, RG_CHANNEL_ERROR, cases[i].expected);
      g_assert_cmpint (rg_channel_error_is_retryable (error), ==, cases[i].retryable);
      g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, cases[i].retry_after);
      g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, code);
      g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, cases[i].status);
      g_assert_nonnull (strstr (error->message, code));
    }

  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), CUSTOMER), ==, 0);
}

static void
test_auth (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;

  rg_whatsapp_client_set_access_token (fixture->client, "expired");
  wamid = send_text (fixture, CUSTOMER, "Hello", &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "190");
  g_assert_nonnull (strstr (error->message, "Invalid OAuth access token"));
}

static void
test_checked_before_sending (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;

  wamid = send_text (fixture, "0912-345-678", "Hello", &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "0912-345-678"));
  g_clear_error (&error);

  for (guint i = 0; i <= RG_WHATSAPP_MAX_TEXT_LENGTH; i++)
    g_string_append (long_text, "字");
  wamid = send_text (fixture, CUSTOMER, long_text->str, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  rg_whatsapp_client_set_phone_number_id (fixture->client, NULL);
  wamid = send_text (fixture, CUSTOMER, "Hello", &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), NULL), ==, 0);
}

static void
test_phone_number (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) wrong_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *verified_name = NULL;
  g_autofree char *wrong = NULL;

  rg_whatsapp_client_get_phone_number_async (fixture->client, NULL, rg_fake_wait_cb, &result);
  number = rg_whatsapp_client_get_phone_number_finish (fixture->client, rg_fake_wait (&result),
                                                       &verified_name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, RG_FAKE_WHATSAPP_DISPLAY_NUMBER);
  g_assert_cmpstr (verified_name, ==, RG_FAKE_WHATSAPP_VERIFIED_NAME);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                     "/v19.0/" RG_FAKE_WHATSAPP_PHONE_NUMBER_ID), ==, 1);

  rg_whatsapp_client_set_phone_number_id (fixture->client, "111111111111111");
  rg_whatsapp_client_get_phone_number_async (fixture->client, NULL, rg_fake_wait_cb, &wrong_result);
  wrong = rg_whatsapp_client_get_phone_number_finish (fixture->client, rg_fake_wait (&wrong_result),
                                                      NULL, &error);
  g_assert_null (wrong);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "111111111111111"));
}

static void
test_hang_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;

  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), MESSAGES, 1);
  rg_whatsapp_client_send_template_async (fixture->client, CUSTOMER, RG_FAKE_WHATSAPP_TEMPLATE,
                                          RG_FAKE_WHATSAPP_TEMPLATE_LANG, NULL, cancellable,
                                          rg_fake_wait_cb, &result);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->fake), 1);
  g_cancellable_cancel (cancellable);

  wamid = rg_whatsapp_client_send_template_finish (fixture->client, rg_fake_wait (&result), &error);
  g_assert_null (wamid);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_hang_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wamid = NULL;

  rg_whatsapp_client_set_timeout (fixture->client, 250);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), MESSAGES, 1);
  wamid = send_template (fixture, RG_FAKE_WHATSAPP_TEMPLATE, RG_FAKE_WHATSAPP_TEMPLATE_LANG, NULL,
                         &error);
  g_assert_null (wamid);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_TIMEOUT);
  g_assert_true (rg_channel_error_is_retryable (error));

  /* The held request answered late does not reach the finished call. */
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->fake));
  g_assert_cmpuint (rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->fake)), ==, 0);
}

static void
test_tester (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) config = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) ok_result = NULL;
  g_autoptr(GAsyncResult) missing_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  g_hash_table_insert (config, (char *) "base-url",
                       (char *) rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  g_hash_table_insert (config, (char *) "phone-number-id", (char *) RG_FAKE_WHATSAPP_PHONE_NUMBER_ID);
  g_hash_table_insert (config, (char *) "business-account-id", (char *) "102290129340398");
  g_hash_table_insert (config, (char *) "access-token", (char *) RG_FAKE_WHATSAPP_ACCESS_TOKEN);

  rg_channel_test_connection_async (RG_CHANNEL_KIND_WHATSAPP, config, NULL, rg_fake_wait_cb, &ok_result);
  g_assert_true (rg_channel_test_connection_finish (rg_fake_wait (&ok_result), &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (summary, ==, "Connected to " RG_FAKE_WHATSAPP_DISPLAY_NUMBER
                                " (“" RG_FAKE_WHATSAPP_VERIFIED_NAME "”)");

  g_hash_table_remove (config, "phone-number-id");
  rg_channel_test_connection_async (RG_CHANNEL_KIND_WHATSAPP, config, NULL, rg_fake_wait_cb,
                                    &missing_result);
  g_assert_false (rg_channel_test_connection_finish (rg_fake_wait (&missing_result), NULL, &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "phone-number-id"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/channels/whatsapp/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("text/success", test_text_success);
  ADD ("text/outside-window", test_text_outside_window);
  ADD ("template", test_template);
  ADD ("errors/codes", test_errors);
  ADD ("errors/auth", test_auth);
  ADD ("errors/before-sending", test_checked_before_sending);
  ADD ("phone-number", test_phone_number);
  ADD ("hang/cancelled", test_hang_cancelled);
  ADD ("hang/timeout", test_hang_timeout);
  ADD ("tester", test_tester);

#undef ADD

  return g_test_run ();
}
