/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-fake-wait.h"
#include "rg-fake-wechat.h"
#include "rg-member-store.h"
#include "rg-server.h"
#include "rg-service.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"
#include "rg-test-wechat.h"

/* WeChat's member-card events, end to end: the fake plays WeChat's servers (the URL check
 * and signed pushes to /webhook/wechat of our RgServer) and WeChat's API (activate,
 * updateuser). A card taken activates the member with that openid, or waits as pending
 * until `regulars-cli cards activate-wechat` uses it; a card removed stops its updates. */

#define TOKEN         "regulars-wechat-token"
#define ACTIVATE      "/card/membercard/activate"
#define UPDATEUSER    "/card/membercard/updateuser"
#define OPENID        "oWx1a2b3c4d5e6f7g8h9i0j"
#define NEW_OPENID    "oWx9z8y7x6w5v4u3t2s1r0q"
#define CREATE_TIME   G_GINT64_CONSTANT (1700000000)

/* Computed outside our code: sha1 ("1700000000" "271828" TOKEN), the three sorted. */
#define VECTOR_QUERY  "signature=349255cf97782a0bbc1461acbeeee1e3ebca5166" \
                      "&timestamp=1700000000&nonce=271828"

typedef struct
{
  char              *dir;
  char              *path;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgMemberStore     *members;
  RgCardWeChat      *wechat;
  RgServer          *server;
  char              *webhook;
  SoupServer        *soup;
  RgFakeWeChat      *fake;
  char              *card_id;
  gint64             member_id;
  gint64             other_id;
  guint              handled;
  gint64             handled_member_id;
  GError            *handled_error;
} Fixture;

static void
event_handled_cb (RgCardWeChat *wechat,
                  const char   *event,
                  const char   *openid,
                  gint64        member_id,
                  const GError *error,
                  Fixture      *fixture)
{
  g_assert_true (g_str_equal (event, "user_get_card") || g_str_equal (event, "user_del_card"));
  g_assert_nonnull (openid);
  fixture->handled++;
  fixture->handled_member_id = member_id;
  g_clear_error (&fixture->handled_error);
  if (error != NULL)
    fixture->handled_error = g_error_copy (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_WECHAT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->path);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->fake = rg_test_wechat_start_fake (fixture->settings, &fixture->soup);
  rg_test_channel_set (fixture->settings, "wechat", "token", TOKEN);

  cards = rg_card_store_new (fixture->store);
  rg_card_design_set_enabled (design, TRUE);
  rg_card_design_set_title (design, "晨葉會員卡");
  g_assert_true (rg_card_store_save (cards, design, &error));
  g_assert_no_error (error);

  fixture->member_id = rg_test_wechat_add_member (fixture->members, "TEA-0042", OPENID);
  fixture->other_id = rg_test_wechat_add_member (fixture->members, "TEA-0043", NULL);

  fixture->wechat = rg_test_wechat_new_card (fixture->store, fixture->settings);
  rg_card_wechat_push_design_async (fixture->wechat, NULL, rg_fake_wait_cb, &result);
  fixture->card_id = rg_card_wechat_push_design_finish (fixture->wechat, rg_fake_wait (&result),
                                                        NULL, &error);
  g_assert_no_error (error);

  /* Created after the settings, so that only this reload reads them. */
  fixture->server = rg_server_new (fixture->store, fixture->settings);
  rg_test_reload_credentials (fixture->server);
  url = rg_test_server_listen (fixture->server);
  fixture->webhook = g_strconcat (url, "/webhook/wechat", NULL);

  rg_card_wechat_attach (fixture->wechat, fixture->server);
  g_signal_connect (fixture->wechat, "event-handled", G_CALLBACK (event_handled_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->wechat);
  rg_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  soup_server_disconnect (fixture->soup);
  g_clear_object (&fixture->fake);
  g_clear_object (&fixture->soup);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  g_clear_error (&fixture->handled_error);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->webhook);
  g_free (fixture->card_id);
}

/* A push signed the way WeChat signs it, with @token. */
static guint
deliver (Fixture    *fixture,
         const char *token,
         const char *xml)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *response = NULL;
  guint status = 0;

  g_assert_true (rg_fake_wechat_deliver_event_full (fixture->fake, fixture->webhook, token, xml,
                                                    NULL, &status, &response, &error));
  g_assert_no_error (error);
  if (status == SOUP_STATUS_OK)
    g_assert_cmpstr (response, ==, "success");
  return status;
}

/* A request of our own, for what WeChat never sends. */
static guint
http_request (Fixture     *fixture,
              const char  *method,
              const char  *query,
              const char  *body,
              char       **response)
{
  g_autofree char *url = g_strdup_printf ("%s?%s", fixture->webhook, query);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/xml", request_body);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, rg_fake_wait_cb,
                                    &result);
  bytes = soup_session_send_and_read_finish (session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  if (response != NULL)
    *response = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

/* Until the server processed every push it answered. */
static void
drain (Fixture *fixture)
{
  while (rg_server_get_pending (fixture->server) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_handled (Fixture *fixture,
              guint    n)
{
  while (fixture->handled < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->handled, ==, n);
}

static guint
count (Fixture    *fixture,
       const char *path)
{
  return rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), path);
}

static gint64
count_rows (Fixture    *fixture,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (fixture->store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
assert_nothing_recorded (Fixture *fixture)
{
  drain (fixture);
  g_assert_cmpuint (fixture->handled, ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM webhook_events"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_members"), ==, 0);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 0);
}

static void
adjust (Fixture *fixture,
        gint64   points,
        gint64   stored_value)
{
  g_autoptr(GError) error = NULL;
  RgBalanceChange change = {
    .accumulated_points = MAX (points, 0),
    .points_balance = points,
    .stored_value = stored_value,
    .reason = "門市消費",
  };

  g_assert_true (rg_member_store_adjust (fixture->members, fixture->member_id, &change, &error));
  g_assert_no_error (error);
}

static char *
member_code (Fixture *fixture,
             gint64   member_id)
{
  g_autoptr(GError) error = NULL;
  char *code = rg_card_wechat_dup_member_code (fixture->wechat, member_id, &error);

  g_assert_no_error (error);
  return code;
}

static char *
pending_code (Fixture *fixture,
              gint64   member_id)
{
  g_autoptr(GError) error = NULL;
  char *code = rg_card_wechat_dup_pending_code (fixture->wechat, member_id, &error);

  g_assert_no_error (error);
  return code;
}

static gboolean
activate (Fixture     *fixture,
          gint64       member_id,
          const char  *code,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_card_wechat_activate_member_async (fixture->wechat, member_id, code, NULL, rg_fake_wait_cb,
                                        &result);
  return rg_card_wechat_activate_member_finish (fixture->wechat, rg_fake_wait (&result), error);
}

/* The customer takes the card in WeChat: WeChat makes its code and pushes user_get_card. */
static char *
take_card (Fixture    *fixture,
           const char *openid,
           char      **xml)
{
  char *code = rg_fake_wechat_give_card (fixture->fake, fixture->card_id, openid);

  *xml = rg_fake_wechat_build_card_event ("user_get_card", openid, fixture->card_id, code,
                                          CREATE_TIME);
  g_assert_cmpuint (deliver (fixture, TOKEN, *xml), ==, 200);
  return code;
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgChannelSettings) elsewhere = NULL;
  g_autofree char *echo = NULL;
  g_autofree char *vector = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *unset = NULL;
  guint status = 0;

  /* WeChat's check when the server configuration is saved: the echostr comes back. */
  g_assert_true (rg_fake_wechat_verify_server (fixture->fake, fixture->webhook, TOKEN,
                                               "5930406871234567890", &status, &echo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (echo, ==, "5930406871234567890");

  /* The same with a signature computed outside our code, in either case. */
  g_assert_cmpuint (http_request (fixture, "GET", VECTOR_QUERY "&echostr=hello", NULL, &vector),
                    ==, 200);
  g_assert_cmpstr (vector, ==, "hello");
  g_assert_cmpuint (http_request (fixture, "GET",
                                  "signature=349255CF97782A0BBC1461ACBEEEE1E3EBCA5166"
                                  "&timestamp=1700000000&nonce=271828&echostr=again",
                                  NULL, &upper), ==, 200);
  g_assert_cmpstr (upper, ==, "again");

  /* Signed with another token: refused, and the log says why. */
  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE,
                         "Refused a WeChat request (GET): its signature does not match the "
                         "WeChat server token (wechat/token)*");
  g_assert_true (rg_fake_wechat_verify_server (fixture->fake, fixture->webhook, "not-the-token",
                                               "5930406871234567890", &status, &refused,
                                               &error));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (status, ==, 403);
  g_assert_null (strstr (refused, "5930406871234567890"));

  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE,
                         "*signature, timestamp or nonce is missing*");
  g_assert_cmpuint (http_request (fixture, "GET", "echostr=1", NULL, NULL), ==, 403);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE, "*does not match*");
  g_assert_cmpuint (http_request (fixture, "GET",
                                  "signature=349255cf97782a0bbc1461acbeeee1e3ebca5166"
                                  "&timestamp=1700000001&nonce=271828&echostr=1",
                                  NULL, NULL), ==, 403);
  g_test_assert_expected_messages ();

  /* No token set (cleared by another process, then reloaded): nothing can be verified. */
  elsewhere = rg_channel_settings_new (fixture->store, fixture->secrets);
  rg_test_channel_set (elsewhere, "wechat", "token", NULL);
  rg_test_reload_credentials (fixture->server);
  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE,
                         "Refused a WeChat request (GET): the WeChat server token "
                         "(wechat/token) is not set*");
  g_assert_true (rg_fake_wechat_verify_server (fixture->fake, fixture->webhook, TOKEN, "1",
                                               &status, &unset, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (unset, "wechat/token"));

  assert_nothing_recorded (fixture);
}

static void
test_bad_signature (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *code = rg_fake_wechat_give_card (fixture->fake, fixture->card_id, OPENID);
  g_autofree char *xml = rg_fake_wechat_build_card_event ("user_get_card", OPENID,
                                                          fixture->card_id, code, CREATE_TIME);

  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE,
                         "Refused a WeChat request (POST): its signature does not match*");
  g_assert_cmpuint (deliver (fixture, "not-the-token", xml), ==, 403);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE, "*nonce is missing*");
  g_assert_cmpuint (http_request (fixture, "POST", "openid=" OPENID, xml, NULL), ==, 403);
  g_test_assert_expected_messages ();

  /* A signature is only good with its own timestamp and nonce. */
  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE, "*does not match*");
  g_assert_cmpuint (http_request (fixture, "POST",
                                  "signature=349255cf97782a0bbc1461acbeeee1e3ebca5166"
                                  "&timestamp=1700000000&nonce=271829",
                                  xml, NULL), ==, 403);
  g_test_assert_expected_messages ();

  assert_nothing_recorded (fixture);

  /* The known-good signature passes. */
  g_assert_cmpuint (http_request (fixture, "POST", VECTOR_QUERY, xml, NULL), ==, 200);
  wait_handled (fixture, 1);
}

static void
test_encrypted (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = rg_fake_wechat_give_card (fixture->fake, fixture->card_id, OPENID);
  g_autofree char *xml = rg_fake_wechat_build_card_event ("user_get_card", OPENID,
                                                          fixture->card_id, code, CREATE_TIME);
  g_autofree char *response = NULL;
  g_autofree char *raw = NULL;
  guint status = 0;

  g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE,
                         "Refused a WeChat push with encrypt_type=aes: only plaintext mode is "
                         "supported*");
  g_assert_true (rg_fake_wechat_deliver_event_full (fixture->fake, fixture->webhook, TOKEN, xml,
                                                    "encrypt_type=aes&msg_signature=0123abcd",
                                                    &status, &response, &error));
  g_assert_no_error (error);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (response, "plaintext"));
  assert_nothing_recorded (fixture);

  /* "raw" is WeChat's name for plaintext mode. */
  g_assert_true (rg_fake_wechat_deliver_event_full (fixture->fake, fixture->webhook, TOKEN, xml,
                                                    "encrypt_type=raw", &status, &raw, &error));
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (raw, ==, "success");
  wait_handled (fixture, 1);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  const struct {
    const char *xml;
    const char *logged;
    const char *answered;
  } cases[] = {
    { "", "*The request body is empty", "is empty" },
    { "not xml at all", "*The request body is not WeChat's XML: *", "not WeChat's XML" },
    { "<xml><ToUserName>gh</ToUserName>", "*not WeChat's XML: *", "not WeChat's XML" },
    { "<message><MsgType>text</MsgType></message>", "*the root element is <message>, not <xml>",
      "message" },
    { "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName>"
      "<CreateTime>1700000000</CreateTime></xml>", "*The <xml> has no <MsgType>", "MsgType" },
    { "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName>"
      "<CreateTime>soon</CreateTime><MsgType>event</MsgType></xml>",
      "*<CreateTime> “soon” is not a number of seconds", "CreateTime" },
    { "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName>"
      "<FromUserName>o2</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType></xml>",
      "*<FromUserName> appears twice", "FromUserName" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *response = NULL;
      guint status = 0;

      g_test_expect_message ("rg-server", G_LOG_LEVEL_MESSAGE, cases[i].logged);
      g_assert_true (rg_fake_wechat_deliver_event_full (fixture->fake, fixture->webhook, TOKEN,
                                                        cases[i].xml, NULL, &status, &response,
                                                        &error));
      g_assert_no_error (error);
      g_test_assert_expected_messages ();
      g_assert_cmpuint (status, ==, 400);
      g_assert_nonnull (strstr (response, cases[i].answered));
    }

  assert_nothing_recorded (fixture);
}

static void
test_get_card_activates (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) activate_root = NULL;
  g_autoptr(JsonNode) update_root = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *code = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *pending = NULL;
  JsonObject *body;

  code = take_card (fixture, OPENID, &xml);
  wait_handled (fixture, 1);
  g_assert_no_error (fixture->handled_error);
  g_assert_cmpint (fixture->handled_member_id, ==, fixture->member_id);

  /* Exactly one activation, with the member number the card then shows. */
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);
  body = rg_test_wechat_last_body (fixture->fake, ACTIVATE, &activate_root);
  g_assert_cmpstr (json_object_get_string_member (body, "card_id"), ==, fixture->card_id);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (body, "membership_number"), ==, "TEA-0042");
  g_assert_cmpint (json_object_get_int_member (body, "init_bonus"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (body, "init_balance"), ==, 10000);
  stored = member_code (fixture, fixture->member_id);
  g_assert_cmpstr (stored, ==, code);
  pending = pending_code (fixture, fixture->member_id);
  g_assert_null (pending);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 0);

  /* From then on the member's changes reach the card: one updateuser with that code. */
  rg_card_wechat_start (fixture->wechat);
  adjust (fixture, 50, 2000);
  while (count (fixture, UPDATEUSER) < 1 || rg_card_wechat_get_busy (fixture->wechat))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, 1);
  body = rg_test_wechat_last_body (fixture->fake, UPDATEUSER, &update_root);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, code);
  g_assert_cmpint (json_object_get_int_member (body, "bonus"), ==, 350);
  g_assert_cmpint (json_object_get_int_member (body, "balance"), ==, 12000);

  /* WeChat redelivers when our answer was late: processed once. */
  g_assert_cmpuint (deliver (fixture, TOKEN, xml), ==, 200);
  drain (fixture);
  g_assert_cmpuint (fixture->handled, ==, 1);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM webhook_events "
                                        "WHERE platform = 'wechat'"), ==, 1);
}

static void
test_get_card_pending (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RgMember) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *code = NULL;
  g_autofree char *none = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *used = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *expected = NULL;
  JsonObject *body;

  /* No member has this openid yet: the code is kept, nothing is activated. */
  code = take_card (fixture, NEW_OPENID, &xml);
  wait_handled (fixture, 1);
  g_assert_no_error (fixture->handled_error);
  g_assert_cmpint (fixture->handled_member_id, ==, 0);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 1);

  /* Not this member's card: activating without a code says what is missing. */
  g_assert_false (activate (fixture, fixture->member_id, NULL, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_MEMBER);
  g_assert_nonnull (strstr (error->message,
                            "Member “TEA-0042” has not received the WeChat card yet"));
  g_clear_error (&error);
  none = pending_code (fixture, fixture->member_id);
  g_assert_null (none);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, &err, "cards", "activate-wechat",
                                    "--member", "TEA-0043", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "Member “TEA-0043” has no WeChat openid"));

  /* The shop links the customer to member TEA-0043; the CLI needs no code. */
  other = rg_member_store_get (fixture->members, fixture->other_id, &error);
  g_assert_no_error (error);
  rg_member_set_wechat_openid (other, NEW_OPENID);
  g_assert_true (rg_member_store_update (fixture->members, other, &error));
  g_assert_no_error (error);
  pending = pending_code (fixture, fixture->other_id);
  g_assert_cmpstr (pending, ==, code);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out2, &err2, "cards", "activate-wechat",
                                    "--member", "TEA-0043", NULL), ==, 0);
  expected = g_strdup_printf ("Activated the WeChat member card %s of member “TEA-0043”.\n",
                              code);
  g_assert_cmpstr (out2, ==, expected);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);
  body = rg_test_wechat_last_body (fixture->fake, ACTIVATE, &root);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (body, "membership_number"), ==, "TEA-0043");

  stored = member_code (fixture, fixture->other_id);
  g_assert_cmpstr (stored, ==, code);
  used = pending_code (fixture, fixture->other_id);
  g_assert_null (used);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 0);
}

static void
test_get_card_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *code = NULL;
  g_autofree char *none = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *used = NULL;

  /* WeChat refuses the activation: logged with its message, the code stays pending. */
  rg_fake_wechat_fail_errcode (fixture->fake, ACTIVATE, 1, -1, "system error");
  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_WARNING,
                         "Could not activate the WeChat member card of member “TEA-0042”; its "
                         "code is kept for a later activation: WeChat error -1: system error");
  code = take_card (fixture, OPENID, &xml);
  wait_handled (fixture, 1);
  g_test_assert_expected_messages ();
  g_assert_nonnull (fixture->handled_error);
  g_assert_cmpint (fixture->handled_member_id, ==, fixture->member_id);
  none = member_code (fixture, fixture->member_id);
  g_assert_null (none);
  pending = pending_code (fixture, fixture->member_id);
  g_assert_cmpstr (pending, ==, code);

  /* Later (the GUI's button, the CLI): the pending code, no typing. */
  g_assert_true (activate (fixture, fixture->member_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 2);
  stored = member_code (fixture, fixture->member_id);
  g_assert_cmpstr (stored, ==, code);
  used = pending_code (fixture, fixture->member_id);
  g_assert_null (used);
}

static void
test_del_card (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *xml = NULL;
  g_autofree char *del = NULL;
  g_autofree char *code = NULL;
  g_autofree char *gone = NULL;

  code = take_card (fixture, OPENID, &xml);
  wait_handled (fixture, 1);
  g_assert_no_error (fixture->handled_error);

  /* A change WeChat could not take yet waits in the queue … */
  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), UPDATEUSER, 1, 500, -1);
  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_WARNING,
                         "WeChat card update of member * failed, retrying in 30 s: *");
  adjust (fixture, 10, 100);
  g_assert_cmpuint (rg_test_wechat_sync (fixture->wechat), ==, 0);
  g_test_assert_expected_messages ();
  rg_test_wechat_assert_pushes (fixture->wechat, 1, 0);

  /* … until the customer removes the card: forgotten, and nothing more is pushed. */
  del = rg_fake_wechat_build_card_event ("user_del_card", OPENID, fixture->card_id, code,
                                         CREATE_TIME + 60);
  g_assert_cmpuint (deliver (fixture, TOKEN, del), ==, 200);
  wait_handled (fixture, 2);
  g_assert_no_error (fixture->handled_error);
  g_assert_cmpint (fixture->handled_member_id, ==, fixture->member_id);
  gone = member_code (fixture, fixture->member_id);
  g_assert_null (gone);
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 0);

  adjust (fixture, 20, 0);
  g_assert_cmpuint (rg_test_wechat_sync (fixture->wechat), ==, 0);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, 1);
  rg_test_wechat_assert_pushes (fixture->wechat, 0, 0);
}

static void
test_foreign_card (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *foreign_code = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *code = NULL;
  g_autofree char *del = NULL;
  g_autofree char *kept = NULL;

  /* Another card of the same Official Account (a coupon, another member card): ignored. */
  foreign_code = rg_fake_wechat_give_card (fixture->fake, "pFOREIGN0000000000000000000", OPENID);
  foreign = rg_fake_wechat_build_card_event ("user_get_card", OPENID,
                                             "pFOREIGN0000000000000000000", foreign_code,
                                             CREATE_TIME);
  g_assert_cmpuint (deliver (fixture, TOKEN, foreign), ==, 200);
  drain (fixture);
  g_assert_cmpuint (fixture->handled, ==, 0);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 0);

  /* Its removal does not touch our card, even with the same code. */
  code = rg_fake_wechat_give_card (fixture->fake, fixture->card_id, OPENID);
  g_assert_true (activate (fixture, fixture->member_id, code, &error));
  g_assert_no_error (error);
  del = rg_fake_wechat_build_card_event ("user_del_card", OPENID, "pFOREIGN0000000000000000000",
                                         code, CREATE_TIME + 1);
  g_assert_cmpuint (deliver (fixture, TOKEN, del), ==, 200);
  drain (fixture);
  g_assert_cmpuint (fixture->handled, ==, 0);
  kept = member_code (fixture, fixture->member_id);
  g_assert_cmpstr (kept, ==, code);
}

static void
test_other_messages (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *text =
    "<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>"
    "<FromUserName><![CDATA[" OPENID "]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[會員卡]]></Content><MsgId>23999999999999999</MsgId></xml>";
  const char *subscribe =
    "<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>"
    "<FromUserName><![CDATA[" OPENID "]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[subscribe]]></Event></xml>";
  const char *location =
    "<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>"
    "<FromUserName><![CDATA[" OPENID "]]></FromUserName>"
    "<CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[location_select]]></Event><EventKey><![CDATA[6]]></EventKey>"
    "<SendLocationInfo><Location_X><![CDATA[23]]></Location_X>"
    "<Location_Y><![CDATA[113]]></Location_Y></SendLocationInfo></xml>";

  g_assert_cmpuint (deliver (fixture, TOKEN, text), ==, 200);
  g_assert_cmpuint (deliver (fixture, TOKEN, subscribe), ==, 200);
  g_assert_cmpuint (deliver (fixture, TOKEN, location), ==, 200);
  drain (fixture);
  g_assert_cmpuint (fixture->handled, ==, 0);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 0);
  g_assert_cmpuint (count (fixture, UPDATEUSER), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM wechat_card_pending"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count (*) FROM webhook_events "
                                        "WHERE platform = 'wechat'"), ==, 3);
}

/* The service the GUI and `regulars-cli serve` run: its server has the route and its WeChat
 * card follows the events and pushes. */
static void
test_service (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RgService) service = rg_service_new (fixture->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *code = NULL;
  g_autofree char *stored = NULL;
  JsonObject *body;
  guint status = 0;

  rg_service_start_async (service, "127.0.0.1", 0, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_service_start_finish (service, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
  url = rg_server_dup_url (rg_service_get_server (service));
  g_free (fixture->webhook);
  fixture->webhook = g_strconcat (url, "/webhook/wechat", NULL);

  code = rg_fake_wechat_give_card (fixture->fake, fixture->card_id, OPENID);
  xml = rg_fake_wechat_build_card_event ("user_get_card", OPENID, fixture->card_id, code,
                                         CREATE_TIME);
  g_assert_true (rg_fake_wechat_deliver_event (fixture->fake, fixture->webhook, TOKEN, xml,
                                               &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);

  while ((stored = member_code (fixture, fixture->member_id)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (stored, ==, code);
  g_assert_cmpuint (count (fixture, ACTIVATE), ==, 1);
  /* Not ours: the fixture's card object only watches the fixture's server. */
  g_assert_cmpuint (fixture->handled, ==, 0);

  adjust (fixture, 5, 0);
  while (count (fixture, UPDATEUSER) < 1)
    g_main_context_iteration (NULL, TRUE);
  body = rg_test_wechat_last_body (fixture->fake, UPDATEUSER, &root);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, code);
  g_assert_cmpint (json_object_get_int_member (body, "bonus"), ==, 305);

  rg_service_stop (service);
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
      g_test_message ("Skipping the WeChat card event tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/regulars/card-wechat-events/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("verify", test_verify);
  ADD ("bad-signature", test_bad_signature);
  ADD ("encrypted", test_encrypted);
  ADD ("malformed", test_malformed);
  ADD ("get-card/activates", test_get_card_activates);
  ADD ("get-card/pending", test_get_card_pending);
  ADD ("get-card/refused", test_get_card_refused);
  ADD ("del-card", test_del_card);
  ADD ("foreign-card", test_foreign_card);
  ADD ("other-messages", test_other_messages);
  ADD ("service", test_service);

#undef ADD

  return g_test_run ();
}
