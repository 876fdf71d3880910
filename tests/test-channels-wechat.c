/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-channel-error.h"
#include "rg-channel-tester.h"
#include "rg-fake-wait.h"
#include "rg-fake-wechat.h"
#include "rg-wechat-client.h"

#define TOKEN "/cgi-bin/token"
#define UPDATE "/card/membercard/updateuser"
#define USERINFO "/card/membercard/userinfo/get"
#define CODE "118000000001"

typedef struct
{
  RgFakeWeChat   *fake;
  RgWeChatClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = rg_fake_wechat_new ();
  rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error);
  g_assert_no_error (error);

  fixture->client = rg_wechat_client_new (RG_FAKE_WECHAT_APP_ID, RG_FAKE_WECHAT_APP_SECRET);
  rg_wechat_client_set_base_url (fixture->client,
                                 rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static guint
count (Fixture    *fixture,
       const char *path)
{
  return rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), path);
}

static RgWeChatCardDesign
card_design (void)
{
  return (RgWeChatCardDesign) {
    .logo_url = "https://mmbiz.qpic.cn/mmbiz/fake/0",
    .brand_name = "常客咖啡",
    .code_type = RG_WECHAT_CODE_TYPE_QRCODE,
    .title = "會員卡",
    .color = "Color010",
    .notice = "結帳時出示會員卡",
    .description = "會員權益依店內公告",
    .prerogative = "消費累積點數",
    .supply_bonus = TRUE,
    .supply_balance = TRUE,
    .auto_activate = TRUE,
    .quantity = 100000,
  };
}

static char *
create_card (Fixture  *fixture,
             GError  **error)
{
  RgWeChatCardDesign design = card_design ();
  g_autoptr(GAsyncResult) result = NULL;

  rg_wechat_client_create_card_async (fixture->client, &design, NULL, rg_fake_wait_cb, &result);
  return rg_wechat_client_create_card_finish (fixture->client, rg_fake_wait (&result), error);
}

static void
activate (Fixture    *fixture,
          const char *card_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_wechat_client_activate_member_async (fixture->client, card_id, CODE, "M0001", 100, 5000, NULL,
                                          rg_fake_wait_cb, &result);
  g_assert_true (rg_wechat_client_activate_member_finish (fixture->client, rg_fake_wait (&result),
                                                          &error));
  g_assert_no_error (error);
}

static gboolean
update (Fixture     *fixture,
        const char  *card_id,
        gint64      *bonus,
        gint64      *balance,
        GError     **error)
{
  RgWeChatMemberUpdate change = {
    .card_id = card_id,
    .code = CODE,
    .bonus = -1,
    .add_bonus = 20,
    .record_bonus = "消費贈點",
    .balance = -1,
    .add_balance = -1500,
    .record_balance = "儲值扣款",
    .notify = TRUE,
  };
  g_autoptr(GAsyncResult) result = NULL;

  rg_wechat_client_update_member_async (fixture->client, &change, NULL, rg_fake_wait_cb, &result);
  return rg_wechat_client_update_member_finish (fixture->client, rg_fake_wait (&result), bonus,
                                                balance, NULL, error);
}

static void
test_token_cached (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(RgFakeRequest) token_request = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) token_query = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  gint64 bonus = 0;
  gint64 balance = 0;
  JsonObject *object;

  card_id = create_card (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (card_id, "p"));
  activate (fixture, card_id);
  g_assert_true (update (fixture, card_id, &bonus, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bonus, ==, 120);
  g_assert_cmpint (balance, ==, 3500);

  /* Three calls, one token. */
  g_assert_cmpuint (count (fixture, TOKEN), ==, 1);

  token_request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), TOKEN);
  token_query = rg_fake_request_dup_query (token_request);
  g_assert_cmpstr (token_request->method, ==, "GET");
  g_assert_cmpstr (g_hash_table_lookup (token_query, "grant_type"), ==, "client_credential");
  g_assert_cmpstr (g_hash_table_lookup (token_query, "appid"), ==, RG_FAKE_WECHAT_APP_ID);
  g_assert_cmpstr (g_hash_table_lookup (token_query, "secret"), ==, RG_FAKE_WECHAT_APP_SECRET);

  /* One updateuser call carries points and stored value together. */
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), UPDATE);
  query = rg_fake_request_dup_query (request);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (query, "access_token"), "FAKE_"));
  body = rg_fake_request_dup_json (request);
  object = json_node_get_object (body);
  g_assert_cmpint (json_object_get_int_member (object, "add_bonus"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (object, "add_balance"), ==, -1500);
  g_assert_cmpstr (json_object_get_string_member (object, "record_bonus"), ==, "消費贈點");
  g_assert_false (json_object_has_member (object, "bonus"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object, "notify_optional"),
                                                 "is_notify_balance"));
}

static void
test_token_shared_by_concurrent_calls (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *token_c = NULL;

  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &first);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &second);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &third);
  token_a = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&first), NULL, &error);
  g_assert_no_error (error);
  token_b = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&second), NULL, &error);
  g_assert_no_error (error);
  token_c = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&third), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (token_a, ==, token_b);
  g_assert_cmpstr (token_b, ==, token_c);
  g_assert_cmpuint (count (fixture, TOKEN), ==, 1);
}

static void
test_token_margin (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *token_c = NULL;
  gint64 expires_in = 0;

  /* A token with 300 s left is already due for replacement. */
  rg_fake_wechat_set_expires_in (fixture->fake, RG_WECHAT_TOKEN_MARGIN_S);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &first);
  token_a = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&first), NULL, &error);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &second);
  token_b = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&second), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token_a, !=, token_b);
  g_assert_cmpuint (count (fixture, TOKEN), ==, 2);

  rg_fake_wechat_set_expires_in (fixture->fake, 7200);
  rg_wechat_client_get_access_token_async (fixture->client, TRUE, NULL, rg_fake_wait_cb, &third);
  token_c = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&third),
                                                      &expires_in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expires_in, >, 7000);
  g_assert_cmpint (expires_in, <=, 7200);
  g_assert_cmpuint (count (fixture, TOKEN), ==, 3);
}

static void
test_refresh_on_expired (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GHashTable) first_query = NULL;
  g_autoptr(GHashTable) second_query = NULL;

  card_id = create_card (fixture, &error);
  g_assert_no_error (error);
  activate (fixture, card_id);

  /* Another program fetched a new token long enough ago, or WeChat revoked ours: 42001. */
  rg_fake_wechat_expire_tokens (fixture->fake);
  g_assert_true (update (fixture, card_id, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count (fixture, TOKEN), ==, 2);
  updates = rg_fake_platform_dup_requests (RG_FAKE_PLATFORM (fixture->fake), UPDATE);
  g_assert_cmpuint (updates->len, ==, 2);
  first_query = rg_fake_request_dup_query (g_ptr_array_index (updates, 0));
  second_query = rg_fake_request_dup_query (g_ptr_array_index (updates, 1));
  g_assert_cmpstr (g_hash_table_lookup (first_query, "access_token"), !=,
                   g_hash_table_lookup (second_query, "access_token"));
}

static void
test_retry_only_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgWeChatMemberInfo) info = NULL;

  rg_fake_wechat_fail_errcode (fixture->fake, USERINFO, 2, 40001,
                               "invalid credential, access_token is invalid or not latest");
  rg_wechat_client_get_member_async (fixture->client, "pFakeCard", CODE, NULL, rg_fake_wait_cb, &result);
  info = rg_wechat_client_get_member_finish (fixture->client, rg_fake_wait (&result), &error);
  g_assert_null (info);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "40001");
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 200);
  g_assert_nonnull (strstr (error->message, "invalid credential"));

  g_assert_cmpuint (count (fixture, TOKEN), ==, 2);
  g_assert_cmpuint (count (fixture, USERINFO), ==, 2);
}

static void
test_busy_is_retryable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;

  rg_fake_wechat_fail_errcode (fixture->fake, "/card/create", 1, -1, "system error");
  card_id = create_card (fixture, &error);
  g_assert_null (card_id);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "-1");
  g_clear_error (&error);

  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), "/card/create", 1, 502, -1);
  card_id = create_card (fixture, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 502);
  g_clear_error (&error);

  card_id = create_card (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card_id);
}

static void
test_bad_credentials (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) secret_result = NULL;
  g_autoptr(GAsyncResult) appid_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  rg_wechat_client_set_credentials (fixture->client, RG_FAKE_WECHAT_APP_ID, "wrong-secret");
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &secret_result);
  token = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&secret_result),
                                                    NULL, &error);
  g_assert_null (token);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "40001");
  g_clear_error (&error);

  rg_wechat_client_set_credentials (fixture->client, "wxnotmine", RG_FAKE_WECHAT_APP_SECRET);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, NULL, rg_fake_wait_cb, &appid_result);
  token = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&appid_result),
                                                    NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "40013");
  g_assert_nonnull (strstr (error->message, "invalid appid"));
}

static void
test_member_info (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) unknown_result = NULL;
  g_autoptr(RgWeChatMemberInfo) info = NULL;
  g_autoptr(RgWeChatMemberInfo) unknown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;

  card_id = create_card (fixture, &error);
  g_assert_no_error (error);
  activate (fixture, card_id);

  rg_wechat_client_get_member_async (fixture->client, card_id, CODE, NULL, rg_fake_wait_cb, &result);
  info = rg_wechat_client_get_member_finish (fixture->client, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->membership_number, ==, "M0001");
  g_assert_cmpint (info->bonus, ==, 100);
  g_assert_cmpint (info->balance, ==, 5000);
  g_assert_cmpstr (info->user_card_status, ==, "NORMAL");
  g_assert_true (info->has_active);
  g_assert_true (g_str_has_prefix (info->openid, "o"));

  rg_wechat_client_get_member_async (fixture->client, card_id, "999", NULL, rg_fake_wait_cb, &unknown_result);
  unknown = rg_wechat_client_get_member_finish (fixture->client, rg_fake_wait (&unknown_result), &error);
  g_assert_null (unknown);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NOT_FOUND);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "40056");
}

static void
test_card_checked_before_sending (Fixture       *fixture,
                                  gconstpointer  data)
{
  RgWeChatCardDesign design = card_design ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;

  design.brand_name = "常客咖啡常客咖啡常客咖啡常";
  rg_wechat_client_create_card_async (fixture->client, &design, NULL, rg_fake_wait_cb, &result);
  card_id = rg_wechat_client_create_card_finish (fixture->client, rg_fake_wait (&result), &error);
  g_assert_null (card_id);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "brand_name"));
  g_assert_nonnull (strstr (error->message, "13"));
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
}

static void
test_hang_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *card_id = NULL;

  /* The token request hangs; the caller gives up. */
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), TOKEN, 1);
  rg_wechat_client_get_access_token_async (fixture->client, FALSE, cancellable, rg_fake_wait_cb, &result);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->fake), 1);
  g_cancellable_cancel (cancellable);
  token = rg_wechat_client_get_access_token_finish (fixture->client, rg_fake_wait (&result), NULL, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The next call is not stuck behind the abandoned fetch. */
  card_id = create_card (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card_id);
  g_assert_cmpuint (count (fixture, TOKEN), ==, 2);
}

static void
test_hang_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;

  rg_wechat_client_set_timeout (fixture->client, 250);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), "/card/create", 1);
  card_id = create_card (fixture, &error);
  g_assert_null (card_id);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_TIMEOUT);
  g_assert_true (rg_channel_error_is_retryable (error));
}

static void
test_tester (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) config = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) ok_result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  g_hash_table_insert (config, (char *) "base-url",
                       (char *) rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  g_hash_table_insert (config, (char *) "app-id", (char *) RG_FAKE_WECHAT_APP_ID);
  g_hash_table_insert (config, (char *) "app-secret", (char *) RG_FAKE_WECHAT_APP_SECRET);

  rg_channel_test_connection_async (RG_CHANNEL_KIND_WECHAT, config, NULL, rg_fake_wait_cb, &ok_result);
  g_assert_true (rg_channel_test_connection_finish (rg_fake_wait (&ok_result), &summary, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (summary, RG_FAKE_WECHAT_APP_ID));

  g_hash_table_insert (config, (char *) "app-secret", (char *) "wrong");
  rg_channel_test_connection_async (RG_CHANNEL_KIND_WECHAT, config, NULL, rg_fake_wait_cb, &bad_result);
  g_assert_false (rg_channel_test_connection_finish (rg_fake_wait (&bad_result), NULL, &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "40001"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/channels/wechat/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("token/cached", test_token_cached);
  ADD ("token/shared-by-concurrent-calls", test_token_shared_by_concurrent_calls);
  ADD ("token/margin", test_token_margin);
  ADD ("token/refresh-on-expired", test_refresh_on_expired);
  ADD ("token/retry-only-once", test_retry_only_once);
  ADD ("errors/busy", test_busy_is_retryable);
  ADD ("errors/bad-credentials", test_bad_credentials);
  ADD ("errors/before-sending", test_card_checked_before_sending);
  ADD ("member-info", test_member_info);
  ADD ("hang/cancelled", test_hang_cancelled);
  ADD ("hang/timeout", test_hang_timeout);
  ADD ("tester", test_tester);

#undef ADD

  return g_test_run ();
}
