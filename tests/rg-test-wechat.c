/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-fake-wait.h"
#include "rg-test-channels.h"
#include "rg-test-wechat.h"

/* What test-card-wechat.c and test-card-wechat-events.c both set up: the WeChat fake, a
 * member with WeChat's view of the balances, the card object, and what they check after. */

/**
 * rg_test_wechat_start_fake:
 * @settings: the channel settings to point at the fake
 * @soup: (out): the fake's server, of the test's own, on 127.0.0.1; disconnect and unref it
 *
 * Returns: (transfer full): the WeChat fake below /wechat of @soup, whose app id, secret and
 *   URL are saved in @settings
 */
RgFakeWeChat *
rg_test_wechat_start_fake (RgChannelSettings  *settings,
                           SoupServer        **soup)
{
  g_autoptr(GError) error = NULL;
  RgFakeWeChat *fake;

  *soup = soup_server_new (NULL, NULL);
  g_assert_true (soup_server_listen_local (*soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  fake = rg_fake_wechat_new ();
  rg_fake_platform_attach (RG_FAKE_PLATFORM (fake), *soup, "/wechat");

  rg_test_channel_set (settings, "wechat", "app-id", RG_FAKE_WECHAT_APP_ID);
  rg_test_channel_set (settings, "wechat", "app-secret", RG_FAKE_WECHAT_APP_SECRET);
  rg_test_channel_set (settings, "wechat", "base-url",
                       rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fake)));
  return fake;
}

/**
 * rg_test_wechat_add_member:
 * @members: the member store
 * @number: the member number
 * @openid: (nullable): the member's WeChat openid
 *
 * Returns: the id of a new member named 王小明 with 300 points (balance and accumulated)
 *   and 10000 cents of stored value
 */
gint64
rg_test_wechat_add_member (RgMemberStore *members,
                           const char    *number,
                           const char    *openid)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, "王小明");
  rg_member_set_wechat_openid (member, openid);
  rg_member_set_points_balance (member, 300);
  rg_member_set_accumulated_points (member, 300);
  rg_member_set_stored_value (member, 10000);
  g_assert_true (rg_member_store_insert (members, member, "test", &error));
  g_assert_no_error (error);
  return rg_member_get_id (member);
}

/**
 * rg_test_wechat_new_card:
 * @store: the store
 * @settings: the channel settings, pointing at the fake
 *
 * Returns: (transfer full): the shop's WeChat member card, with the brand name and
 *   %RG_TEST_WECHAT_LOGO_URL set
 */
RgCardWeChat *
rg_test_wechat_new_card (RgStore           *store,
                         RgChannelSettings *settings)
{
  g_autoptr(GError) error = NULL;
  RgCardWeChat *wechat = rg_card_wechat_new (store, settings);

  g_assert_true (rg_card_wechat_set_logo_url (wechat, RG_TEST_WECHAT_LOGO_URL, &error));
  g_assert_true (rg_card_wechat_set_brand_name (wechat, "晨葉茶行", &error));
  g_assert_no_error (error);
  return wechat;
}

/**
 * rg_test_wechat_sync:
 * @wechat: the card
 *
 * Returns: how many balance changes the sync pushed
 */
guint
rg_test_wechat_sync (RgCardWeChat *wechat)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint pushed = 0;

  rg_card_wechat_sync_async (wechat, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_card_wechat_sync_finish (wechat, rg_fake_wait (&result), &pushed, &error));
  g_assert_no_error (error);
  return pushed;
}

void
rg_test_wechat_assert_pushes (RgCardWeChat *wechat,
                              guint         pending,
                              guint         failed)
{
  g_autoptr(GError) error = NULL;
  guint n_pending = G_MAXUINT, n_failed = G_MAXUINT;

  g_assert_true (rg_card_wechat_count_pushes (wechat, &n_pending, &n_failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_pending, ==, pending);
  g_assert_cmpuint (n_failed, ==, failed);
}

/**
 * rg_test_wechat_last_body:
 * @fake: the WeChat fake
 * @path: the API path, e.g. "/card/membercard/updateuser"
 * @root: (out): the parsed body, for the caller to free
 *
 * Returns: (transfer none): the JSON body of the last request to @path, which the fake
 *   answered with 200
 */
JsonObject *
rg_test_wechat_last_body (RgFakeWeChat  *fake,
                          const char    *path,
                          JsonNode     **root)
{
  g_autoptr(RgFakeRequest) request = NULL;

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fake), path);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->status, ==, 200);
  *root = rg_fake_request_dup_json (request);
  return json_node_get_object (*root);
}
