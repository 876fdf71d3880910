/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-channel-error.h"
#include "rg-channel-tester.h"
#include "rg-fake-sms.h"
#include "rg-fake-wait.h"
#include "rg-sms-client.h"

#define PHONE "+886912345678"

typedef struct
{
  RgFakeSms   *fake;
  RgSmsClient *mitake;
  RgSmsClient *twilio;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *base_url;

  fixture->fake = rg_fake_sms_new ();
  rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error);
  g_assert_no_error (error);
  base_url = rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake));

  fixture->mitake = rg_sms_client_new (RG_SMS_PROVIDER_MITAKE, RG_FAKE_SMS_MITAKE_USERNAME,
                                       RG_FAKE_SMS_MITAKE_PASSWORD, NULL);
  rg_sms_client_set_base_url (fixture->mitake, base_url);
  fixture->twilio = rg_sms_client_new (RG_SMS_PROVIDER_TWILIO, RG_FAKE_SMS_TWILIO_SID,
                                       RG_FAKE_SMS_TWILIO_TOKEN, "+15005550006");
  rg_sms_client_set_base_url (fixture->twilio, base_url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->mitake);
  g_clear_object (&fixture->twilio);
  g_clear_object (&fixture->fake);
}

static char *
send (RgSmsClient  *client,
      const char   *to,
      const char   *body,
      const char   *client_ref,
      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_sms_client_send_async (client, to, body, client_ref, NULL, rg_fake_wait_cb, &result);
  return rg_sms_client_send_finish (client, rg_fake_wait (&result), error);
}

static char *
check_account (RgSmsClient  *client,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_sms_client_check_account_async (client, NULL, rg_fake_wait_cb, &result);
  return rg_sms_client_check_account_finish (client, rg_fake_wait (&result), error);
}

static void
test_mitake_send (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *client_ref = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autofree char *msgid = NULL;
  g_autofree char *again = NULL;
  g_autofree char *balance = NULL;

  msgid = send (fixture->mitake, PHONE, "您的點數：120 點", client_ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (msgid, ==, "#000000001");

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake),
                                               RG_FAKE_SMS_MITAKE_SEND_PATH);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->query, ==, "CharsetURL=UTF-8");
  g_assert_cmpstr (rg_fake_request_get_header (request, "Content-Type"), ==,
                   "application/x-www-form-urlencoded");
  form = rg_fake_request_dup_form (request);
  g_assert_cmpstr (g_hash_table_lookup (form, "username"), ==, RG_FAKE_SMS_MITAKE_USERNAME);
  g_assert_cmpstr (g_hash_table_lookup (form, "password"), ==, RG_FAKE_SMS_MITAKE_PASSWORD);
  g_assert_cmpstr (g_hash_table_lookup (form, "dstaddr"), ==, "0912345678");
  g_assert_cmpstr (g_hash_table_lookup (form, "smbody"), ==, "您的點數：120 點");
  g_assert_cmpstr (g_hash_table_lookup (form, "clientid"), ==, client_ref);
  g_assert_false (g_hash_table_contains (form, "response"));
  query = rg_fake_request_dup_query (request);
  g_assert_cmpstr (g_hash_table_lookup (query, "CharsetURL"), ==, "UTF-8");

  /* A retry with the same clientid is answered with the first message: nothing sent twice. */
  again = send (fixture->mitake, PHONE, "您的點數：120 點", client_ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, msgid);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), "0912345678"), ==, 1);

  balance = check_account (fixture->mitake, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (balance, ==, "Mitake account “" RG_FAKE_SMS_MITAKE_USERNAME "”: 99 points left");
}

static void
test_mitake_callback_url (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *msgid = NULL;

  rg_sms_client_set_callback_url (fixture->mitake, "https://shop.example/webhook/sms?a=1&b=2");
  msgid = send (fixture->mitake, "+85291234567", "Hello", NULL, &error);
  g_assert_no_error (error);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), NULL);
  form = rg_fake_request_dup_form (request);
  g_assert_cmpstr (g_hash_table_lookup (form, "response"), ==, "https://shop.example/webhook/sms?a=1&b=2");
  g_assert_cmpstr (g_hash_table_lookup (form, "dstaddr"), ==, "+85291234567");
  g_assert_false (g_hash_table_contains (form, "clientid"));
}

static void
test_mitake_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgSmsClient) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *msgid = NULL;
  g_autofree char *balance = NULL;

  wrong = rg_sms_client_new (RG_SMS_PROVIDER_MITAKE, RG_FAKE_SMS_MITAKE_USERNAME, "wrong", NULL);
  rg_sms_client_set_base_url (wrong, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  msgid = send (wrong, PHONE, "Hello", NULL, &error);
  g_assert_null (msgid);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "e");
  g_assert_nonnull (strstr (error->message, "帳號、密碼錯誤"));
  g_clear_error (&error);

  balance = check_account (wrong, &error);
  g_assert_null (balance);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_clear_error (&error);

  rg_fake_sms_fail_mitake (fixture->fake, 1, "k", "無效的連線位址");
  msgid = send (fixture->mitake, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "k");
  g_clear_error (&error);

  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), RG_FAKE_SMS_MITAKE_SEND_PATH, 1, 500, -1);
  msgid = send (fixture->mitake, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_clear_error (&error);

  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), RG_FAKE_SMS_MITAKE_SEND_PATH, 1, 429, 60);
  msgid = send (fixture->mitake, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_RATE_LIMITED);
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 60);
  g_clear_error (&error);

  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), "0912345678"), ==, 0);
}

static void
test_twilio_send (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;
  g_autofree char *expected_auth = NULL;
  g_autofree char *credentials = NULL;

  rg_sms_client_set_callback_url (fixture->twilio, "https://shop.example/webhook/twilio");
  sid = send (fixture->twilio, PHONE, "Your points: 120", "ignored-by-twilio", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sid, "SM"));
  g_assert_cmpuint (strlen (sid), ==, 34);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake),
                                               RG_FAKE_SMS_TWILIO_SEND_PATH);
  g_assert_cmpuint (request->status, ==, 201);
  credentials = g_base64_encode ((const guchar *) RG_FAKE_SMS_TWILIO_SID ":" RG_FAKE_SMS_TWILIO_TOKEN,
                                 strlen (RG_FAKE_SMS_TWILIO_SID ":" RG_FAKE_SMS_TWILIO_TOKEN));
  expected_auth = g_strconcat ("Basic ", credentials, NULL);
  g_assert_cmpstr (rg_fake_request_get_header (request, "Authorization"), ==, expected_auth);
  form = rg_fake_request_dup_form (request);
  g_assert_cmpstr (g_hash_table_lookup (form, "To"), ==, PHONE);
  g_assert_cmpstr (g_hash_table_lookup (form, "From"), ==, "+15005550006");
  g_assert_cmpstr (g_hash_table_lookup (form, "Body"), ==, "Your points: 120");
  g_assert_cmpstr (g_hash_table_lookup (form, "StatusCallback"), ==, "https://shop.example/webhook/twilio");
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), PHONE), ==, 1);
}

static void
test_twilio_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgSmsClient) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;

  wrong = rg_sms_client_new (RG_SMS_PROVIDER_TWILIO, RG_FAKE_SMS_TWILIO_SID, "wrong", "+15005550006");
  rg_sms_client_set_base_url (wrong, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  sid = send (wrong, PHONE, "Hello", NULL, &error);
  g_assert_null (sid);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "20003");
  g_assert_nonnull (rg_channel_error_get_request_id (error));
  g_assert_true (g_str_has_prefix (rg_channel_error_get_request_id (error), "RQ"));
  g_clear_error (&error);

  rg_fake_sms_fail_twilio (fixture->fake, 1, 400, 21211,
                           "The 'To' number +886912345678 is not a valid phone number.", -1);
  sid = send (fixture->twilio, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_UNDELIVERABLE);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "21211");
  g_assert_nonnull (strstr (error->message, "is not a valid phone number"));
  g_clear_error (&error);

  rg_fake_sms_fail_twilio (fixture->fake, 1, 429, 20429, "Too Many Requests", 2);
  sid = send (fixture->twilio, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_RATE_LIMITED);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 2);
  g_clear_error (&error);

  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), RG_FAKE_SMS_TWILIO_SEND_PATH, 1, 503, -1);
  sid = send (fixture->twilio, PHONE, "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_clear_error (&error);

  /* Checked before sending. */
  sid = send (fixture->twilio, "0912345678", "Hello", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "0912345678"));
  g_clear_error (&error);
  sid = send (fixture->twilio, PHONE, "", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), PHONE), ==, 0);
}

static void
test_twilio_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  summary = check_account (fixture->twilio, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary, ==, "Twilio account “" RG_FAKE_SMS_TWILIO_NAME "” (active)");
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                     "/2010-04-01/Accounts/" RG_FAKE_SMS_TWILIO_SID ".json"),
                    ==, 1);
}

static void
test_hang (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *msgid = NULL;

  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), RG_FAKE_SMS_MITAKE_SEND_PATH, 1);
  rg_sms_client_send_async (fixture->mitake, PHONE, "Hello", NULL, cancellable, rg_fake_wait_cb, &result);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->fake), 1);
  g_cancellable_cancel (cancellable);
  msgid = rg_sms_client_send_finish (fixture->mitake, rg_fake_wait (&result), &error);
  g_assert_null (msgid);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  rg_sms_client_set_timeout (fixture->twilio, 250);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), RG_FAKE_SMS_TWILIO_SEND_PATH, 1);
  msgid = send (fixture->twilio, PHONE, "Hello", NULL, &error);
  g_assert_null (msgid);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_TIMEOUT);
  g_assert_true (rg_channel_error_is_retryable (error));
}

static char *
test_connection (GHashTable  *config,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *summary = NULL;

  rg_channel_test_connection_async (RG_CHANNEL_KIND_SMS, config, NULL, rg_fake_wait_cb, &result);
  rg_channel_test_connection_finish (rg_fake_wait (&result), &summary, error);
  return summary;
}

static void
test_tester (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) config = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *mitake = NULL;
  g_autofree char *twilio = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *missing = NULL;

  g_hash_table_insert (config, (char *) "base-url",
                       (char *) rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  g_hash_table_insert (config, (char *) "provider", (char *) "mitake");
  g_hash_table_insert (config, (char *) "account", (char *) RG_FAKE_SMS_MITAKE_USERNAME);
  g_hash_table_insert (config, (char *) "password", (char *) RG_FAKE_SMS_MITAKE_PASSWORD);
  mitake = test_connection (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mitake, ==, "Connected: Mitake account “" RG_FAKE_SMS_MITAKE_USERNAME "”: 100 points left");
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                     RG_FAKE_SMS_MITAKE_QUERY_PATH), ==, 1);

  g_hash_table_insert (config, (char *) "provider", (char *) "twilio");
  g_hash_table_insert (config, (char *) "account", (char *) RG_FAKE_SMS_TWILIO_SID);
  g_hash_table_insert (config, (char *) "password", (char *) RG_FAKE_SMS_TWILIO_TOKEN);
  g_hash_table_insert (config, (char *) "sender", (char *) "+15005550006");
  twilio = test_connection (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (twilio, ==, "Connected: Twilio account “" RG_FAKE_SMS_TWILIO_NAME "” (active)");

  g_hash_table_insert (config, (char *) "provider", (char *) "every8d");
  unknown = test_connection (config, &error);
  g_assert_null (unknown);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "every8d"));
  g_clear_error (&error);

  g_hash_table_insert (config, (char *) "provider", (char *) "twilio");
  g_hash_table_remove (config, "password");
  missing = test_connection (config, &error);
  g_assert_null (missing);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "“password”"));
}

static void
test_provider_names (void)
{
  RgSmsProvider provider = RG_SMS_PROVIDER_MITAKE;

  g_assert_true (rg_sms_provider_from_string ("twilio", &provider));
  g_assert_cmpint (provider, ==, RG_SMS_PROVIDER_TWILIO);
  g_assert_cmpstr (rg_sms_provider_to_string (RG_SMS_PROVIDER_MITAKE), ==, "mitake");
  g_assert_false (rg_sms_provider_from_string ("Mitake", NULL));
  g_assert_false (rg_sms_provider_from_string (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/channels/sms/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("mitake/send", test_mitake_send);
  ADD ("mitake/callback-url", test_mitake_callback_url);
  ADD ("mitake/errors", test_mitake_errors);
  ADD ("twilio/send", test_twilio_send);
  ADD ("twilio/errors", test_twilio_errors);
  ADD ("twilio/account", test_twilio_account);
  ADD ("hang", test_hang);
  ADD ("tester", test_tester);
  g_test_add_func ("/regulars/channels/sms/provider-names", test_provider_names);

#undef ADD

  return g_test_run ();
}
