/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-card-responder.h"
#include "rg-channel-error.h"
#include "rg-fake-line.h"
#include "rg-fake-wait.h"
#include "rg-fake-whatsapp.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* Keyword (LINE) and quick-reply (WhatsApp) requests for the member center, through signed
 * webhooks on a listening RgServer, answered to the platform fakes on 127.0.0.1; the links
 * they carry are checked with the member center's own key. */

#define LINE_SECRET     "testsecret"
#define WHATSAPP_SECRET "appsecret"
#define BASE_URL        "https://shop.example"
#define REGISTER_URL    "https://shop.example/join"
#define NOT_FOUND       "We could not find your membership."
#define REPLY           "/v2/bot/message/reply"
#define MESSAGES        "/v19.0/" RG_FAKE_WHATSAPP_PHONE_NUMBER_ID "/messages"

#define MEMBER_LINE_ID  "U4af4980629a1b2c3d4e5f60718293a4b"
#define STRANGER_ID     "U0000000000000000000000000000dead"
#define MEMBER_WA_ID    "886912345678"

typedef struct
{
  RgCardChannel   channel;
  char           *sender;
  RgCardResponse  response;
  char           *url;
  GError         *error;
} Response;

typedef struct
{
  char              *dir;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgMemberStore     *members;
  RgCardStore       *cards;
  RgMemberCenter    *center;
  RgCardResponder   *responder;
  RgServer          *server;
  char              *url;
  SoupSession       *session;
  RgFakeLine        *line;
  RgFakeWhatsApp    *whatsapp;
  GPtrArray         *responses;
  gint64             member_id;
  gint64             whatsapp_member_id;
  guint              event_serial;
} Fixture;

static void
response_free (Response *response)
{
  g_free (response->sender);
  g_free (response->url);
  g_clear_error (&response->error);
  g_free (response);
}

static void
responded_cb (RgCardResponder *responder,
              RgCardChannel    channel,
              const char      *sender,
              RgCardResponse   response,
              const char      *url,
              const GError    *error,
              Fixture         *fixture)
{
  Response *r = g_new0 (Response, 1);

  r->channel = channel;
  r->sender = g_strdup (sender);
  r->response = response;
  r->url = g_strdup (url);
  r->error = error != NULL ? g_error_copy (error) : NULL;
  g_ptr_array_add (fixture->responses, r);
}

static void
save_design (Fixture       *fixture,
             RgCardChannel  channel,
             gboolean       enabled,
             gboolean       member_center,
             gboolean       require_number)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (channel);
  g_autoptr(GError) error = NULL;

  rg_card_design_set_enabled (design, enabled);
  rg_card_design_set_member_center_enabled (design, member_center);
  rg_card_design_set_require_member_number (design, require_number);
  rg_card_design_set_not_found_message (design, NOT_FOUND);
  rg_card_design_set_register_button_text (design, "Join now");
  rg_card_design_set_register_url (design, REGISTER_URL);
  rg_card_design_set_title (design, "Morning Leaf");
  g_assert_true (rg_card_store_save (fixture->cards, design, &error));
  g_assert_no_error (error);
}

static gint64
add_member (Fixture    *fixture,
            const char *number,
            const char *line_user_id,
            const char *whatsapp_id)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, "陳怡君");
  rg_member_set_line_user_id (member, line_user_id);
  rg_member_set_whatsapp_id (member, whatsapp_id);
  g_assert_true (rg_member_store_insert (fixture->members, member, "test", &error));
  g_assert_no_error (error);
  return rg_member_get_id (member);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->cards = rg_card_store_new (fixture->store);
  fixture->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) response_free);

  fixture->line = rg_fake_line_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->line), &error));
  g_assert_no_error (error);
  fixture->whatsapp = rg_fake_whatsapp_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->whatsapp), &error));
  g_assert_no_error (error);
  rg_fake_whatsapp_open_window (fixture->whatsapp, MEMBER_WA_ID);

  rg_test_channel_set (fixture->settings, "line", "channel-secret", LINE_SECRET);
  rg_test_channel_set (fixture->settings, "line", "channel-access-token",
                       RG_FAKE_LINE_ACCESS_TOKEN);
  rg_test_channel_set (fixture->settings, "line", "base-url",
                       rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->line)));
  rg_test_channel_set (fixture->settings, "whatsapp", "phone-number-id",
                       RG_FAKE_WHATSAPP_PHONE_NUMBER_ID);
  rg_test_channel_set (fixture->settings, "whatsapp", "access-token",
                       RG_FAKE_WHATSAPP_ACCESS_TOKEN);
  rg_test_channel_set (fixture->settings, "whatsapp", "app-secret", WHATSAPP_SECRET);
  rg_test_channel_set (fixture->settings, "whatsapp", "base-url",
                       rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->whatsapp)));
  g_assert_true (rg_channel_settings_set_public_base_url (fixture->settings, BASE_URL, &error));
  g_assert_no_error (error);

  save_design (fixture, RG_CARD_CHANNEL_LINE, TRUE, TRUE, TRUE);
  save_design (fixture, RG_CARD_CHANNEL_WHATSAPP, TRUE, TRUE, TRUE);
  fixture->member_id = add_member (fixture, "TEA-0042", MEMBER_LINE_ID, NULL);
  fixture->whatsapp_member_id = add_member (fixture, "TEA-0043", NULL, MEMBER_WA_ID);

  fixture->center = rg_member_center_new (fixture->store, fixture->settings);
  fixture->responder = rg_card_responder_new (fixture->center);
  g_signal_connect (fixture->responder, "responded", G_CALLBACK (responded_cb), fixture);

  fixture->server = rg_server_new (fixture->store, fixture->settings);
  rg_member_center_attach (fixture->center, fixture->server);
  rg_card_responder_attach (fixture->responder, fixture->server);
  rg_test_reload_credentials (fixture->server);
  fixture->url = rg_test_server_listen (fixture->server);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  rg_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->responder);
  g_clear_object (&fixture->center);
  g_clear_object (&fixture->line);
  g_clear_object (&fixture->whatsapp);
  g_clear_object (&fixture->cards);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->responses, g_ptr_array_unref);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
}

static guint
post (Fixture    *fixture,
      const char *path,
      const char *header,
      const char *signature,
      const char *body)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), header, signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    rg_fake_wait_cb, &result);
  bytes = soup_session_send_and_read_finish (fixture->session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
post_line_text (Fixture    *fixture,
                const char *user_id,
                const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) LINE_SECRET,
                                      strlen (LINE_SECRET));
  g_autofree char *body = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *event_id = g_strdup_printf ("01HZZZZZZZZZZZZZZZZZZZZ%03u",
                                               ++fixture->event_serial);
  g_autofree char *reply_token = g_strdup_printf ("reply-token-%u", fixture->event_serial);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, "U0123456789abcdef0123456789abcdef");
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "message");
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "active");
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_int_value (builder, 1700000000000);
  json_builder_set_member_name (builder, "webhookEventId");
  json_builder_add_string_value (builder, event_id);
  json_builder_set_member_name (builder, "replyToken");
  json_builder_add_string_value (builder, reply_token);
  json_builder_set_member_name (builder, "source");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "userId");
  json_builder_add_string_value (builder, user_id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "468789577898262530");
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  g_hmac_update (hmac, (const guchar *) body, strlen (body));
  g_hmac_get_digest (hmac, digest, &digest_len);
  signature = g_base64_encode (digest, digest_len);

  g_assert_cmpuint (post (fixture, "/webhook/line", "x-line-signature", signature, body), ==, 200);
}

static void
post_whatsapp (Fixture    *fixture,
               const char *body)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) WHATSAPP_SECRET,
                                      strlen (WHATSAPP_SECRET));
  g_autofree char *signature = NULL;

  g_hmac_update (hmac, (const guchar *) body, strlen (body));
  signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
  g_assert_cmpuint (post (fixture, "/webhook/whatsapp", "X-Hub-Signature-256", signature, body),
                    ==, 200);
}

static Response *
wait_for_response (Fixture *fixture,
                   guint    n)
{
  while (fixture->responses->len < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->responses->len, ==, n);
  g_assert_cmpuint (rg_card_responder_get_busy (fixture->responder), ==, 0);
  return g_ptr_array_index (fixture->responses, n - 1);
}

static gint64
verify_url (Fixture       *fixture,
            const char    *url,
            RgCardChannel  expected_channel)
{
  g_autoptr(GError) error = NULL;
  RgCardChannel channel;
  gint64 member_id = -1;

  g_assert_true (g_str_has_prefix (url, BASE_URL "/m/"));
  g_assert_true (rg_card_link_verify (rg_member_center_get_link (fixture->center),
                                      url + strlen (BASE_URL "/m/"), &member_id, &channel, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (channel, ==, expected_channel);
  return member_id;
}

static JsonObject *
bubble_button (JsonNode *root)
{
  JsonObject *body = json_node_get_object (root);
  JsonArray *messages = json_object_get_array_member (body, "messages");
  JsonObject *message;
  JsonObject *contents;
  JsonObject *footer;

  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "flex");
  contents = json_object_get_object_member (message, "contents");
  g_assert_cmpstr (json_object_get_string_member (contents, "type"), ==, "bubble");
  footer = json_object_get_object_member (contents, "footer");
  return json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (footer, "contents"), 0),
    "action");
}

static void
test_keywords (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keywords = NULL;
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) reset = NULL;
  g_autofree char *long_keyword = NULL;
  const char * const custom[] = { "  會員卡 ", "card", NULL };
  const char * const empty[] = { NULL };

  keywords = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (keywords, ((const char * const[]) { "會員中心", NULL }));

  g_assert_true (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, custom,
                                                 &error));
  g_assert_no_error (error);
  saved = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_cmpstrv (saved, ((const char * const[]) { "會員卡", "card", NULL }));

  /* Per channel. */
  g_strfreev (keywords);
  keywords = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_WHATSAPP, &error);
  g_assert_cmpstrv (keywords, ((const char * const[]) { "會員中心", NULL }));

  /* Refused with the reason, and nothing saved. */
  g_assert_false (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                  (const char * const[]) { "a", " ", NULL },
                                                  &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_assert_nonnull (strstr (error->message, "Keyword 2 is empty"));
  g_clear_error (&error);
  g_assert_false (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                  (const char * const[]) { "card", " card",
                                                                           NULL },
                                                  &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_assert_nonnull (strstr (error->message, "“card” is in the list twice"));
  g_clear_error (&error);
  g_assert_false (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                  (const char * const[]) { "a\nb", NULL },
                                                  &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_clear_error (&error);
  long_keyword = g_strnfill (RG_CARD_MAX_KEYWORD_LENGTH + 1, 'x');
  g_assert_false (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                  (const char * const[]) { long_keyword, NULL },
                                                  &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_assert_nonnull (strstr (error->message, "has 101 characters; a keyword has at most 100"));
  g_clear_error (&error);

  g_strfreev (saved);
  saved = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_cmpstrv (saved, ((const char * const[]) { "會員卡", "card", NULL }));

  /* An empty list answers nothing; a reset answers the default again. */
  g_assert_true (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, empty,
                                                 &error));
  none = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_true (rg_card_responder_reset_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                   &error));
  reset = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (reset, ((const char * const[]) { "會員中心", NULL }));
}

static void
test_line_member (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *action;
  JsonObject *message;
  Response *response;

  /* Trimmed, exact. */
  post_line_text (fixture, MEMBER_LINE_ID, "  會員中心 \n");
  response = wait_for_response (fixture, 1);
  g_assert_no_error (response->error);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_LINK);
  g_assert_cmpint (response->channel, ==, RG_CARD_CHANNEL_LINE);
  g_assert_cmpstr (response->sender, ==, MEMBER_LINE_ID);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->line), NULL), ==,
                    1);
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->line), REPLY);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->status, ==, 200);
  root = rg_fake_request_dup_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "replyToken"), ==,
                   "reply-token-1");
  message = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "altText"), ==, "Open Member Center");

  /* The bubble's URI button carries a fresh, valid link for that member. */
  action = bubble_button (root);
  g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "uri");
  g_assert_cmpstr (json_object_get_string_member (action, "label"), ==, "Open Member Center");
  g_assert_cmpstr (json_object_get_string_member (action, "uri"), ==, response->url);
  g_assert_cmpint (verify_url (fixture, response->url, RG_CARD_CHANNEL_LINE), ==,
                   fixture->member_id);

  /* Each request gets its own link. */
  post_line_text (fixture, MEMBER_LINE_ID, "會員中心");
  response = wait_for_response (fixture, 2);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_LINK);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->line), REPLY), ==,
                    2);
  g_assert_cmpint (verify_url (fixture, response->url, RG_CARD_CHANNEL_LINE), ==,
                   fixture->member_id);
}

static void
test_line_custom_keyword (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Response *response;

  g_assert_true (rg_card_responder_set_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                 (const char * const[]) { "我的卡", NULL },
                                                 &error));
  g_assert_no_error (error);

  post_line_text (fixture, MEMBER_LINE_ID, "會員中心");
  post_line_text (fixture, MEMBER_LINE_ID, "我的卡");
  response = wait_for_response (fixture, 1);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_LINK);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->line), REPLY), ==,
                    1);
}

static void
test_line_stranger (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  JsonObject *action;
  Response *response;

  /* The condition is on: no link, the not-found message with the register button. */
  post_line_text (fixture, STRANGER_ID, "會員中心");
  response = wait_for_response (fixture, 1);
  g_assert_no_error (response->error);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_NOT_FOUND);
  g_assert_null (response->url);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->line), REPLY);
  g_assert_cmpuint (request->status, ==, 200);
  body = rg_fake_request_dup_body_text (request);
  g_assert_null (strstr (body, "/m/"));
  root = rg_fake_request_dup_json (request);
  action = bubble_button (root);
  g_assert_cmpstr (json_object_get_string_member (action, "uri"), ==, REGISTER_URL);
  g_assert_cmpstr (json_object_get_string_member (action, "label"), ==, "Join now");
  g_assert_nonnull (strstr (body, NOT_FOUND));
}

static void
test_line_stranger_condition_off (Fixture       *fixture,
                                  gconstpointer  data)
{
  Response *response;

  /* The condition is off: anyone gets a link, which opens the not-found page. */
  save_design (fixture, RG_CARD_CHANNEL_LINE, TRUE, TRUE, FALSE);
  post_line_text (fixture, STRANGER_ID, "會員中心");
  response = wait_for_response (fixture, 1);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_LINK);
  g_assert_cmpint (verify_url (fixture, response->url, RG_CARD_CHANNEL_LINE), ==, 0);
}

static void
test_line_ignored (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char * const events[] = {
    /* In a group: a personal link is not posted where others can open it. */
    "{\"type\":\"message\",\"mode\":\"active\",\"replyToken\":\"r\",\"source\":{\"type\":"
    "\"group\",\"groupId\":\"C1\",\"userId\":\"" MEMBER_LINE_ID "\"},\"message\":{\"id\":\"1\","
    "\"type\":\"text\",\"text\":\"會員中心\"}}",
    /* Standby: another bot answers this channel. */
    "{\"type\":\"message\",\"mode\":\"standby\",\"source\":{\"type\":\"user\",\"userId\":\""
    MEMBER_LINE_ID "\"},\"message\":{\"id\":\"1\",\"type\":\"text\",\"text\":\"會員中心\"}}",
    /* Not the keyword, nearly. */
    "{\"type\":\"message\",\"mode\":\"active\",\"replyToken\":\"r\",\"source\":{\"type\":\"user\","
    "\"userId\":\"" MEMBER_LINE_ID "\"},\"message\":{\"id\":\"1\",\"type\":\"text\","
    "\"text\":\"會員中心?\"}}",
    /* A sticker. */
    "{\"type\":\"message\",\"mode\":\"active\",\"replyToken\":\"r\",\"source\":{\"type\":\"user\","
    "\"userId\":\"" MEMBER_LINE_ID "\"},\"message\":{\"id\":\"1\",\"type\":\"sticker\"}}",
    "{\"type\":\"follow\",\"mode\":\"active\",\"replyToken\":\"r\",\"source\":{\"type\":\"user\","
    "\"userId\":\"" MEMBER_LINE_ID "\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, events[i], -1, &error));
      g_assert_no_error (error);
      g_assert_false (rg_card_responder_handle_line_event (
                        fixture->responder, json_node_get_object (json_parser_get_root (parser))));
    }
  g_assert_cmpuint (fixture->responses->len, ==, 0);
  g_assert_cmpuint (rg_card_responder_get_busy (fixture->responder), ==, 0);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->line), NULL), ==,
                    0);
}

static void
test_line_disabled (Fixture       *fixture,
                    gconstpointer  data)
{
  Response *response;

  save_design (fixture, RG_CARD_CHANNEL_LINE, TRUE, FALSE, TRUE);
  post_line_text (fixture, MEMBER_LINE_ID, "會員中心");
  response = wait_for_response (fixture, 1);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_DISABLED);

  save_design (fixture, RG_CARD_CHANNEL_LINE, FALSE, TRUE, TRUE);
  post_line_text (fixture, MEMBER_LINE_ID, "會員中心");
  response = wait_for_response (fixture, 2);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_DISABLED);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->line), NULL), ==,
                    0);
}

static void
test_line_failure (Fixture       *fixture,
                   gconstpointer  data)
{
  Response *response;

  rg_fake_line_fail (fixture->line, REPLY, 1, RG_FAKE_LINE_FAIL_SERVER_ERROR, -1);
  g_test_expect_message ("rg-card-responder", G_LOG_LEVEL_WARNING,
                         "Could not answer LINE user " MEMBER_LINE_ID "*");
  post_line_text (fixture, MEMBER_LINE_ID, "會員中心");
  response = wait_for_response (fixture, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_FAILED);
  g_assert_error (response->error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_null (response->url);
}

static void
test_whatsapp_quick_reply (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *text;
  Response *response;
  const char *payload =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
    "\"display_phone_number\":\"886223456789\",\"phone_number_id\":\""
    RG_FAKE_WHATSAPP_PHONE_NUMBER_ID "\"},\"contacts\":[{\"profile\":{\"name\":\"Yi-Chun\"},"
    "\"wa_id\":\"" MEMBER_WA_ID "\"}],\"messages\":["
    "{\"from\":\"" MEMBER_WA_ID "\",\"id\":\"wamid.1\",\"timestamp\":\"1700000000\","
    "\"type\":\"button\",\"button\":{\"payload\":\"member_center\",\"text\":\"Member Center\"}},"
    "{\"from\":\"" MEMBER_WA_ID "\",\"id\":\"wamid.2\",\"timestamp\":\"1700000001\","
    "\"type\":\"button\",\"button\":{\"payload\":\"unsubscribe\",\"text\":\"Stop\"}},"
    "{\"from\":\"" MEMBER_WA_ID "\",\"id\":\"wamid.3\",\"timestamp\":\"1700000002\","
    "\"type\":\"text\",\"text\":{\"body\":\"member_center\"}}"
    "]}}]}]}";

  post_whatsapp (fixture, payload);
  response = wait_for_response (fixture, 1);
  g_assert_no_error (response->error);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_LINK);
  g_assert_cmpint (response->channel, ==, RG_CARD_CHANNEL_WHATSAPP);
  g_assert_cmpstr (response->sender, ==, MEMBER_WA_ID);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->whatsapp), NULL),
                    ==, 1);
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->whatsapp), MESSAGES);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->status, ==, 200);
  root = rg_fake_request_dup_json (request);
  body = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (body, "to"), ==, MEMBER_WA_ID);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "text");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (body, "text"),
                                                  "preview_url"));
  text = json_object_get_string_member (json_object_get_object_member (body, "text"), "body");
  g_assert_nonnull (strstr (text, response->url));
  g_assert_cmpint (verify_url (fixture, response->url, RG_CARD_CHANNEL_WHATSAPP), ==,
                   fixture->whatsapp_member_id);
}

static void
test_whatsapp_stranger (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autofree char *body = NULL;
  Response *response;
  const char *payload =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"886900000000\","
    "\"id\":\"wamid.9\",\"type\":\"button\",\"button\":{\"payload\":\"member_center\","
    "\"text\":\"Member Center\"}}]}}]}]}";

  rg_fake_whatsapp_open_window (fixture->whatsapp, "886900000000");
  post_whatsapp (fixture, payload);
  response = wait_for_response (fixture, 1);
  g_assert_cmpint (response->response, ==, RG_CARD_RESPONSE_NOT_FOUND);
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->whatsapp), MESSAGES);
  body = rg_fake_request_dup_body_text (request);
  g_assert_nonnull (strstr (body, NOT_FOUND));
  g_assert_nonnull (strstr (body, REGISTER_URL));
  g_assert_null (strstr (body, "/m/"));
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
      g_test_message ("Skipping the card responder tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/regulars/card-responder/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("keywords", test_keywords);
  ADD ("line/member", test_line_member);
  ADD ("line/custom-keyword", test_line_custom_keyword);
  ADD ("line/stranger", test_line_stranger);
  ADD ("line/stranger-condition-off", test_line_stranger_condition_off);
  ADD ("line/ignored", test_line_ignored);
  ADD ("line/disabled", test_line_disabled);
  ADD ("line/failure", test_line_failure);
  ADD ("whatsapp/quick-reply", test_whatsapp_quick_reply);
  ADD ("whatsapp/stranger", test_whatsapp_stranger);

#undef ADD

  return g_test_run ();
}
