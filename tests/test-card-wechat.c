/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-fake-wait.h"
#include "rg-fake-wechat.h"
#include "rg-member-store.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"
#include "rg-test-wechat.h"

/* The WeChat member card: the design mapped to card/create (limits are errors, never cut
 * short), create then update, member activation, and balance changes pushed as ONE
 * updateuser call carrying points and stored value, queued so that a failure is retried.
 * Against the WeChat fake on 127.0.0.1, attached to a server of the test's own. WeChat's card
 * events (user_get_card …) are in test-card-wechat-events.c. */

#define CREATE     "/card/create"
#define UPDATE     "/card/update"
#define ACTIVATE   "/card/membercard/activate"
#define UPDATEUSER "/card/membercard/updateuser"
#define LOGO_URL   RG_TEST_WECHAT_LOGO_URL
#define CODE       "110201201245"

typedef struct
{
  char              *dir;
  char              *path;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgMemberStore     *members;
  RgCardStore       *cards;
  RgCardWeChat      *wechat;
  SoupServer        *soup;
  RgFakeWeChat      *fake;
  gint64             member_id;
  gint64             other_id;
} Fixture;

static void
save_design (Fixture    *fixture,
             gboolean    enabled,
             const char *title)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_WECHAT);
  g_autoptr(GError) error = NULL;

  rg_card_design_set_enabled (design, enabled);
  rg_card_design_set_title (design, title);
  rg_card_design_set_accent_color (design, "#2c9f67");
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_QR);
  g_assert_true (rg_card_store_save (fixture->cards, design, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->path);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->cards = rg_card_store_new (fixture->store);
  fixture->fake = rg_test_wechat_start_fake (fixture->settings, &fixture->soup);

  save_design (fixture, TRUE, "晨葉會員卡");
  fixture->member_id = rg_test_wechat_add_member (fixture->members, "TEA-0042",
                                                  "oWx1a2b3c4d5e6f7g8h9i0j");
  fixture->other_id = rg_test_wechat_add_member (fixture->members, "TEA-0043",
                                                 "oWx0000000000000000000k");
  fixture->wechat = rg_test_wechat_new_card (fixture->store, fixture->settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->wechat);
  soup_server_disconnect (fixture->soup);
  g_clear_object (&fixture->fake);
  g_clear_object (&fixture->soup);
  g_clear_object (&fixture->cards);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
push_design (Fixture   *fixture,
             gboolean  *created,
             GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_card_wechat_push_design_async (fixture->wechat, NULL, rg_fake_wait_cb, &result);
  return rg_card_wechat_push_design_finish (fixture->wechat, rg_fake_wait (&result), created,
                                            error);
}

static void
activate (Fixture    *fixture,
          gint64      member_id,
          const char *code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_card_wechat_activate_member_async (fixture->wechat, member_id, code, NULL, rg_fake_wait_cb,
                                        &result);
  g_assert_true (rg_card_wechat_activate_member_finish (fixture->wechat, rg_fake_wait (&result),
                                                        &error));
  g_assert_no_error (error);
}

static guint
count (Fixture    *fixture,
       const char *path)
{
  return rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), path);
}

/* Until the fake has seen @n updateuser calls and the pusher is idle. */
static void
wait_for_updates (Fixture *fixture,
                  guint    n)
{
  while (count (fixture, UPDATEUSER) < n || rg_card_wechat_get_busy (fixture->wechat))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, n);
}

static void
adjust (RgMemberStore *members,
        gint64         member_id,
        gint64         points,
        gint64         stored_value,
        const char    *reason)
{
  g_autoptr(GError) error = NULL;
  RgBalanceChange change = {
    .accumulated_points = MAX (points, 0),
    .points_balance = points,
    .stored_value = stored_value,
    .reason = reason,
  };

  g_assert_true (rg_member_store_adjust (members, member_id, &change, &error));
  g_assert_no_error (error);
}

static void
test_map (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_WECHAT);
  g_autoptr(RgCardWeChatDesign) mapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *short_reason = NULL;
  g_autofree char *long_reason = NULL;

  rg_card_design_set_title (design, "晨葉茶行會員卡");
  rg_card_design_set_accent_color (design, "#d09a46");
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_CODE128);
  mapped = rg_card_wechat_map_design (design, " 晨葉茶行 ", LOGO_URL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mapped->card.brand_name, ==, "晨葉茶行");
  g_assert_cmpstr (mapped->card.title, ==, "晨葉茶行會員卡");
  g_assert_cmpstr (mapped->card.logo_url, ==, LOGO_URL);
  g_assert_cmpstr (mapped->card.color, ==, "Color060");
  g_assert_cmpint (mapped->card.code_type, ==, RG_WECHAT_CODE_TYPE_BARCODE);
  g_assert_cmpuint (g_utf8_strlen (mapped->card.notice, -1), <=, RG_WECHAT_MAX_NOTICE);
  g_assert_true (mapped->card.supply_bonus);
  g_assert_true (mapped->card.supply_balance);
  g_clear_pointer (&mapped, rg_card_wechat_design_free);

  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_QR);
  mapped = rg_card_wechat_map_design (design, "晨葉茶行", LOGO_URL, &error);
  g_assert_cmpint (mapped->card.code_type, ==, RG_WECHAT_CODE_TYPE_QRCODE);
  g_clear_pointer (&mapped, rg_card_wechat_design_free);

  /* Ten characters: one over WeChat's 9, an error naming the field and the limit. */
  rg_card_design_set_title (design, "晨葉茶行黃金會員卡片");
  g_assert_null (rg_card_wechat_map_design (design, "晨葉茶行", LOGO_URL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“title”"));
  g_assert_nonnull (strstr (error->message, "has 10 characters"));
  g_assert_nonnull (strstr (error->message, "at most 9"));
  g_clear_error (&error);

  rg_card_design_set_title (design, "會員卡");
  g_assert_null (rg_card_wechat_map_design (design, "晨葉茶行 Morning Leaf Tea House", LOGO_URL,
                                            &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“brand_name”"));
  g_assert_nonnull (strstr (error->message, "at most 12"));
  g_clear_error (&error);

  g_assert_null (rg_card_wechat_map_design (design, "晨葉茶行", NULL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“logo_url”"));
  g_clear_error (&error);

  g_assert_null (rg_card_wechat_map_design (design, "", LOGO_URL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_clear_error (&error);

  g_assert_cmpstr (rg_card_wechat_color_for_accent ("#63b359"), ==, "Color010");
  g_assert_cmpstr (rg_card_wechat_color_for_accent ("#cc463c"), ==, "Color100");
  g_assert_cmpstr (rg_card_wechat_color_for_accent ("not a colour"), ==, "Color010");

  short_reason = rg_card_wechat_record_from_reason ("  門市消費 ");
  g_assert_cmpstr (short_reason, ==, "門市消費");
  long_reason = rg_card_wechat_record_from_reason ("購買烏龍茶兩盒與茶具一組（門市）");
  g_assert_cmpuint (g_utf8_strlen (long_reason, -1), ==, RG_WECHAT_MAX_RECORD);
  g_assert_cmpstr (long_reason, ==, "購買烏龍茶兩盒與茶具一組（…");
  g_assert_null (rg_card_wechat_record_from_reason ("   "));
}

static void
test_push_design (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) update_root = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *again = NULL;
  JsonObject *card;
  JsonObject *base_info;
  JsonObject *update;
  gboolean created = FALSE;

  card_id = push_design (fixture, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (g_str_has_prefix (card_id, "p"));
  stored = rg_card_wechat_dup_card_id (fixture->wechat);
  g_assert_cmpstr (stored, ==, card_id);

  g_assert_cmpuint (count (fixture, CREATE), ==, 1);
  card = json_object_get_object_member (rg_test_wechat_last_body (fixture->fake, CREATE, &root),
                                        "card");
  g_assert_cmpstr (json_object_get_string_member (card, "card_type"), ==, "MEMBER_CARD");
  base_info = json_object_get_object_member (json_object_get_object_member (card, "member_card"),
                                             "base_info");
  g_assert_cmpstr (json_object_get_string_member (base_info, "brand_name"), ==, "晨葉茶行");
  g_assert_cmpstr (json_object_get_string_member (base_info, "title"), ==, "晨葉會員卡");
  g_assert_cmpstr (json_object_get_string_member (base_info, "color"), ==, "Color020");
  g_assert_cmpstr (json_object_get_string_member (base_info, "code_type"), ==, "CODE_TYPE_QRCODE");
  g_assert_cmpstr (json_object_get_string_member (base_info, "logo_url"), ==, LOGO_URL);

  /* With a card_id stored, a push updates the card instead. */
  save_design (fixture, TRUE, "晨葉金卡");
  again = push_design (fixture, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpstr (again, ==, card_id);
  g_assert_cmpuint (count (fixture, CREATE), ==, 1);
  g_assert_cmpuint (count (fixture, UPDATE), ==, 1);
  update = rg_test_wechat_last_body (fixture->fake, UPDATE, &update_root);
  g_assert_cmpstr (json_object_get_string_member (update, "card_id"), ==, card_id);
  base_info = json_object_get_object_member (json_object_get_object_member (update,
                                                                            "member_card"),
                                             "base_info");
  g_assert_cmpstr (json_object_get_string_member (base_info, "title"), ==, "晨葉金卡");
  /* The brand name cannot change after creation: not sent. */
  g_assert_false (json_object_has_member (base_info, "brand_name"));
}

static void
test_push_design_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *stored = NULL;

  save_design (fixture, TRUE, "Member Card");
  g_assert_null (push_design (fixture, NULL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“Member Card” has 11 characters"));
  g_clear_error (&error);

  save_design (fixture, FALSE, "會員卡");
  g_assert_null (push_design (fixture, NULL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_DISABLED);
  g_clear_error (&error);

  /* Nothing reached WeChat, and no card_id was stored. */
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
  stored = rg_card_wechat_dup_card_id (fixture->wechat);
  g_assert_null (stored);

  /* Activation needs the card first. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    rg_card_wechat_activate_member_async (fixture->wechat, fixture->member_id, CODE, NULL,
                                          rg_fake_wait_cb, &result);
    g_assert_false (rg_card_wechat_activate_member_finish (fixture->wechat,
                                                           rg_fake_wait (&result), &error));
    g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_NO_CARD);
  }
}

/* An activation cancelled after it went out is recorded all the same once WeChat accepts it:
 * WeChat activates the card whether or not anybody waits for its answer. */
static void
test_activate_cancelled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *code = NULL;
  RgFakePlatform *fake = RG_FAKE_PLATFORM (fixture->fake);

  card_id = push_design (fixture, NULL, &error);
  g_assert_no_error (error);

  rg_fake_platform_hang (fake, ACTIVATE, 1);
  rg_card_wechat_activate_member_async (fixture->wechat, fixture->member_id, CODE, cancellable,
                                        rg_fake_wait_cb, &result);
  rg_fake_platform_wait_held (fake, 1);
  g_cancellable_cancel (cancellable);

  /* The caller hears at once, while WeChat still holds the request. */
  g_assert_false (rg_card_wechat_activate_member_finish (fixture->wechat, rg_fake_wait (&result),
                                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (rg_fake_platform_get_n_held (fake), ==, 1);
  g_assert_null (rg_card_wechat_dup_member_code (fixture->wechat, fixture->member_id, &error));
  g_assert_no_error (error);

  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_MESSAGE,
                         "WeChat activated the card of member * after the request was "
                         "cancelled; it is recorded");
  rg_fake_platform_release (fake);
  while ((code = rg_card_wechat_dup_member_code (fixture->wechat, fixture->member_id,
                                                 &error)) == NULL)
    {
      g_assert_no_error (error);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_assert_expected_messages ();
  g_assert_cmpstr (code, ==, CODE);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);

  /* Cancelled before anything went out: nothing is sent. */
  g_clear_object (&result);
  g_cancellable_cancel (cancellable);
  rg_card_wechat_activate_member_async (fixture->wechat, fixture->member_id, CODE "9",
                                        cancellable, rg_fake_wait_cb, &result);
  g_assert_false (rg_card_wechat_activate_member_finish (fixture->wechat, rg_fake_wait (&result),
                                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);
}

static void
test_balance_push (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) activate_root = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RgStore) other_store = NULL;
  g_autoptr(RgMemberStore) other_members = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *code = NULL;
  JsonObject *body;
  JsonObject *notify;

  card_id = push_design (fixture, NULL, &error);
  g_assert_no_error (error);
  activate (fixture, fixture->member_id, CODE);
  code = rg_card_wechat_dup_member_code (fixture->wechat, fixture->member_id, &error);
  g_assert_cmpstr (code, ==, CODE);

  body = rg_test_wechat_last_body (fixture->fake, ACTIVATE, &activate_root);
  g_assert_cmpstr (json_object_get_string_member (body, "membership_number"), ==, "TEA-0042");
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, CODE);
  g_assert_cmpint (json_object_get_int_member (body, "init_bonus"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (body, "init_balance"), ==, 10000);

  rg_card_wechat_start (fixture->wechat);
  g_assert_true (rg_card_wechat_get_running (fixture->wechat));

  /* A change through another member store on another connection to the same file, as the
   * GUI's members page or an import would make it. */
  other_store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  other_members = rg_member_store_new (other_store);
  adjust (other_members, fixture->member_id, 120, 5000, "購買烏龍茶兩盒與茶具一組（門市）");

  wait_for_updates (fixture, 1);
  body = rg_test_wechat_last_body (fixture->fake, UPDATEUSER, &root);
  g_assert_cmpstr (json_object_get_string_member (body, "card_id"), ==, card_id);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, CODE);
  g_assert_cmpint (json_object_get_int_member (body, "bonus"), ==, 420);
  g_assert_cmpint (json_object_get_int_member (body, "add_bonus"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (body, "balance"), ==, 15000);
  g_assert_cmpint (json_object_get_int_member (body, "add_balance"), ==, 5000);
  g_assert_cmpstr (json_object_get_string_member (body, "record_bonus"), ==,
                   "購買烏龍茶兩盒與茶具一組（…");
  g_assert_cmpstr (json_object_get_string_member (body, "record_balance"), ==,
                   "購買烏龍茶兩盒與茶具一組（…");
  notify = json_object_get_object_member (body, "notify_optional");
  g_assert_true (json_object_get_boolean_member (notify, "is_notify_bonus"));
  g_assert_true (json_object_get_boolean_member (notify, "is_notify_balance"));
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 0);

  /* Points only: one call with the bonus and without a balance. */
  adjust (fixture->members, fixture->member_id, -20, 0, "兌換");
  wait_for_updates (fixture, 2);
  g_clear_pointer (&root, json_node_unref);
  body = rg_test_wechat_last_body (fixture->fake, UPDATEUSER, &root);
  g_assert_cmpint (json_object_get_int_member (body, "bonus"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (body, "add_bonus"), ==, -20);
  g_assert_cmpstr (json_object_get_string_member (body, "record_bonus"), ==, "兌換");
  g_assert_false (json_object_has_member (body, "balance"));
  g_assert_false (json_object_has_member (body, "add_balance"));

  /* Not pushed: a member without an activated card, and accumulated points alone (WeChat
   * shows the points balance). */
  {
    RgBalanceChange lifetime = { .accumulated_points = 50, .reason = "補登" };

    adjust (fixture->members, fixture->other_id, 10, 100, "門市");
    g_assert_true (rg_member_store_adjust (fixture->members, fixture->member_id, &lifetime,
                                           &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (rg_test_wechat_sync (fixture->wechat), ==, 0);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, 2);
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 0);

  rg_card_wechat_stop (fixture->wechat);
  g_assert_false (rg_card_wechat_get_running (fixture->wechat));
}

static void
test_balance_retry (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *card_id = NULL;
  JsonObject *body;

  card_id = push_design (fixture, NULL, &error);
  g_assert_no_error (error);
  activate (fixture, fixture->member_id, CODE);
  rg_card_wechat_start (fixture->wechat);

  /* WeChat fails: the change stays queued, nothing is lost. */
  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), UPDATEUSER, 1, 500, -1);
  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_WARNING,
                         "WeChat card update of member * failed, retrying in 30 s: *");
  adjust (fixture->members, fixture->member_id, 80, 2500, "門市消費");
  wait_for_updates (fixture, 1);
  g_test_assert_expected_messages ();
  rg_test_wechat_assert_pushes (fixture->wechat, 1, 0);

  /* Changes made while the service is stopped are caught up on start; a restart retries
   * what failed for a passing reason at once, in order. */
  rg_card_wechat_stop (fixture->wechat);
  adjust (fixture->members, fixture->member_id, 20, 0, "門市消費");
  rg_test_wechat_assert_pushes (fixture->wechat, 1, 0);
  rg_card_wechat_start (fixture->wechat);
  wait_for_updates (fixture, 3);
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 0);
  body = rg_test_wechat_last_body (fixture->fake, UPDATEUSER, &root);
  g_assert_cmpint (json_object_get_int_member (body, "bonus"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (body, "add_bonus"), ==, 20);

  {
    g_autoptr(GPtrArray) requests = rg_fake_platform_dup_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                                   UPDATEUSER);
    g_autoptr(JsonNode) second = rg_fake_request_dup_json (g_ptr_array_index (requests, 1));
    JsonObject *retried = json_node_get_object (second);

    /* The retry carries the same change and totals as the failed call. */
    g_assert_cmpuint (((RgFakeRequest *) g_ptr_array_index (requests, 0))->status, ==, 500);
    g_assert_cmpint (json_object_get_int_member (retried, "bonus"), ==, 380);
    g_assert_cmpint (json_object_get_int_member (retried, "add_bonus"), ==, 80);
    g_assert_cmpint (json_object_get_int_member (retried, "balance"), ==, 12500);
    g_assert_cmpint (json_object_get_int_member (retried, "add_balance"), ==, 2500);
  }
}

static void
test_balance_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;

  card_id = push_design (fixture, NULL, &error);
  g_assert_no_error (error);
  activate (fixture, fixture->member_id, CODE);

  /* WeChat refuses for good (the code is not valid any more): kept as failed, logged, and
   * the next change still goes out. */
  rg_fake_wechat_fail_errcode (fixture->fake, UPDATEUSER, 1, 40056, "invalid serial code");
  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_WARNING,
                         "WeChat refused the card update of member *40056*");
  adjust (fixture->members, fixture->member_id, 10, 0, "門市");
  g_assert_cmpuint (rg_test_wechat_sync (fixture->wechat), ==, 0);
  g_test_assert_expected_messages ();
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 1);

  adjust (fixture->members, fixture->member_id, 10, 0, "門市");
  g_assert_cmpuint (rg_test_wechat_sync (fixture->wechat), ==, 1);
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 1);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, 2);
}

static void
test_cli_push (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *err3 = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *expected = NULL;

  /* Too long a brand name: refused before anything is sent, saying the limit. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, &err, "cards", "push-wechat",
                                    "--brand-name", "晨葉茶行 Morning Leaf", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“brand_name” takes at most 12"));
  g_assert_cmpuint (count (fixture, NULL), ==, 0);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out2, &err2, "cards", "push-wechat",
                                    "--logo-url", LOGO_URL, NULL), ==, 0);
  card_id = rg_card_wechat_dup_card_id (fixture->wechat);
  g_assert_nonnull (card_id);
  expected = g_strdup_printf ("Created the WeChat member card %s.\n", card_id);
  g_assert_cmpstr (out2, ==, expected);
  g_assert_cmpuint (count (fixture, CREATE), ==, 1);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out3, &err3, "cards", "push-wechat",
                                    NULL), ==, 0);
  g_assert_nonnull (strstr (out3, "Updated the WeChat member card"));
  g_assert_cmpuint (count (fixture, UPDATE), ==, 1);
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
      g_test_message ("Skipping the WeChat card tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/regulars/card-wechat/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("map", test_map);
  ADD ("push-design", test_push_design);
  ADD ("push-design-refused", test_push_design_refused);
  ADD ("activate-cancelled", test_activate_cancelled);
  ADD ("balance/push", test_balance_push);
  ADD ("balance/retry", test_balance_retry);
  ADD ("balance/refused", test_balance_refused);
  ADD ("cli/push-wechat", test_cli_push);

#undef ADD

  return g_test_run ();
}
