/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-wechat"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rg-fake-platform-private.h"
#include "rg-fake-wait.h"
#include "rg-fake-wechat.h"

typedef struct
{
  char   *card_id;
  char   *membership_number;
  char   *openid;
  gint64  bonus;
  gint64  balance;
} Member;

struct _RgFakeWeChat
{
  RgFakePlatform  parent_instance;

  gint64          expires_in;
  GHashTable     *tokens;
  GHashTable     *expired_tokens;
  GHashTable     *cards;
  GHashTable     *members;
  GHashTable     *given;
};

G_DEFINE_FINAL_TYPE (RgFakeWeChat, rg_fake_wechat, RG_TYPE_FAKE_PLATFORM)

static void
member_free (Member *member)
{
  g_free (member->card_id);
  g_free (member->membership_number);
  g_free (member->openid);
  g_free (member);
}

static void
reply_errcode (SoupServerMessage *message,
               gint               errcode,
               const char        *errmsg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errcode");
  json_builder_add_int_value (builder, errcode);
  json_builder_set_member_name (builder, "errmsg");
  json_builder_add_string_value (builder, errmsg);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
}

static void
reply_object (SoupServerMessage *message,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "errcode", 0);
  json_object_set_string_member (object, "errmsg", "ok");
  json_node_set_object (node, object);
  _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
}

static void
handle_token (RgFakeWeChat      *self,
              SoupServerMessage *message,
              RgFakeRequest     *request)
{
  g_autoptr(GHashTable) query = rg_fake_request_dup_query (request);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *random = NULL;
  g_autofree char *token = NULL;
  JsonObject *object;

  if (!g_str_equal (request->method, "GET"))
    {
      soup_server_message_set_status (message, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (g_strcmp0 (g_hash_table_lookup (query, "grant_type"), "client_credential") != 0)
    {
      reply_errcode (message, 40002, "invalid grant_type");
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (query, "appid"), RG_FAKE_WECHAT_APP_ID) != 0)
    {
      reply_errcode (message, 40013, "invalid appid");
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (query, "secret"), RG_FAKE_WECHAT_APP_SECRET) != 0)
    {
      reply_errcode (message, 40001, "invalid credential, access_token is invalid or not latest");
      return;
    }

  random = _rg_fake_random_hex (48);
  token = g_strconcat ("FAKE_", random, NULL);
  g_hash_table_add (self->tokens, g_strdup (token));

  object = json_object_new ();
  json_object_set_string_member (object, "access_token", token);
  json_object_set_int_member (object, "expires_in", self->expires_in);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
}

static const char *
check_length (JsonObject *object,
              const char *member,
              glong       max_length)
{
  const char *value = _rg_fake_json_string (object, member);

  if (value == NULL || value[0] == '\0' || (max_length > 0 && g_utf8_strlen (value, -1) > max_length))
    return member;
  return NULL;
}

static void
handle_card_create (RgFakeWeChat      *self,
                    SoupServerMessage *message,
                    JsonObject        *body)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *random = NULL;
  g_autofree char *card_id = NULL;
  JsonObject *card = NULL;
  JsonObject *member_card = NULL;
  JsonObject *base_info = NULL;
  const char *bad = NULL;

  if (json_object_has_member (body, "card"))
    card = json_object_get_object_member (body, "card");
  if (card != NULL && json_object_has_member (card, "member_card"))
    member_card = json_object_get_object_member (card, "member_card");
  if (member_card != NULL && json_object_has_member (member_card, "base_info"))
    base_info = json_object_get_object_member (member_card, "base_info");

  if (card == NULL || g_strcmp0 (_rg_fake_json_string (card, "card_type"), "MEMBER_CARD") != 0)
    bad = "card_type";
  else if (member_card == NULL || base_info == NULL)
    bad = "base_info";
  if (bad == NULL)
    {
      const char *code_type = _rg_fake_json_string (base_info, "code_type");

      if ((bad = check_length (base_info, "logo_url", 0)) == NULL &&
          (bad = check_length (base_info, "brand_name", 12)) == NULL &&
          (bad = check_length (base_info, "title", 9)) == NULL &&
          (bad = check_length (base_info, "color", 0)) == NULL &&
          (bad = check_length (base_info, "notice", 16)) == NULL &&
          (bad = check_length (base_info, "description", 0)) == NULL &&
          (bad = check_length (member_card, "prerogative", 0)) == NULL &&
          !g_strv_contains ((const char * const[]) { "CODE_TYPE_QRCODE", "CODE_TYPE_BARCODE",
                                                     "CODE_TYPE_TEXT", NULL },
                            code_type != NULL ? code_type : ""))
        bad = "code_type";
      if (bad == NULL && !json_object_has_member (base_info, "date_info"))
        bad = "date_info";
      if (bad == NULL && !json_object_has_member (base_info, "sku"))
        bad = "sku";
    }

  if (bad != NULL)
    {
      g_autofree char *errmsg = g_strdup_printf ("invalid args hint: [%s]", bad);

      reply_errcode (message, 40009, errmsg);
      return;
    }

  random = _rg_fake_random_hex (27);
  card_id = g_strconcat ("p", random, NULL);
  g_hash_table_add (self->cards, g_strdup (card_id));

  reply = json_object_new ();
  json_object_set_string_member (reply, "card_id", card_id);
  reply_object (message, reply);
}

static char *
member_key (JsonObject *body)
{
  return g_strconcat (_rg_fake_json_string (body, "card_id"), "|",
                      _rg_fake_json_string (body, "code"), NULL);
}

static gboolean
check_card_and_code (RgFakeWeChat      *self,
                     SoupServerMessage *message,
                     JsonObject        *body)
{
  const char *card_id = _rg_fake_json_string (body, "card_id");

  if (card_id == NULL || !g_hash_table_contains (self->cards, card_id))
    {
      reply_errcode (message, 40073, "invalid card id");
      return FALSE;
    }
  if (_rg_fake_json_string (body, "code") == NULL)
    {
      reply_errcode (message, 40056, "invalid serial code");
      return FALSE;
    }
  return TRUE;
}

static void
handle_activate (RgFakeWeChat      *self,
                 SoupServerMessage *message,
                 JsonObject        *body)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *random = NULL;
  Member *given;
  Member *member;

  if (!check_card_and_code (self, message, body))
    return;
  if (_rg_fake_json_string (body, "membership_number") == NULL)
    {
      reply_errcode (message, 40009, "invalid args hint: [membership_number]");
      return;
    }

  /* A code from rg_fake_wechat_give_card() belongs to its customer; any other code is taken
   * as one the shop handed out itself, for a customer of its own. */
  if ((given = g_hash_table_lookup (self->given, _rg_fake_json_string (body, "code"))) != NULL &&
      g_strcmp0 (given->card_id, _rg_fake_json_string (body, "card_id")) != 0)
    {
      reply_errcode (message, 40056, "invalid serial code");
      return;
    }

  random = _rg_fake_random_hex (24);
  member = g_new0 (Member, 1);
  member->card_id = g_strdup (_rg_fake_json_string (body, "card_id"));
  member->membership_number = g_strdup (_rg_fake_json_string (body, "membership_number"));
  member->openid = given != NULL ? g_strdup (given->openid) : g_strconcat ("o", random, NULL);
  member->bonus = json_object_get_int_member_with_default (body, "init_bonus", 0);
  member->balance = json_object_get_int_member_with_default (body, "init_balance", 0);
  g_hash_table_replace (self->members, member_key (body), member);

  reply = json_object_new ();
  reply_object (message, reply);
}

/* card/update: base_info holds only what may change after creation (not brand_name). */
static void
handle_card_update (RgFakeWeChat      *self,
                    SoupServerMessage *message,
                    JsonObject        *body)
{
  g_autoptr(JsonObject) reply = NULL;
  const char *card_id = _rg_fake_json_string (body, "card_id");
  JsonObject *member_card = NULL;
  JsonObject *base_info = NULL;
  const char *bad = NULL;

  if (card_id == NULL || !g_hash_table_contains (self->cards, card_id))
    {
      reply_errcode (message, 40073, "invalid card id");
      return;
    }

  if (json_object_has_member (body, "member_card") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "member_card")))
    member_card = json_object_get_object_member (body, "member_card");
  if (member_card != NULL && json_object_has_member (member_card, "base_info") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (member_card, "base_info")))
    base_info = json_object_get_object_member (member_card, "base_info");

  if (base_info == NULL)
    bad = "base_info";
  else if (json_object_has_member (base_info, "brand_name"))
    bad = "brand_name";
  else if (json_object_has_member (base_info, "title"))
    bad = check_length (base_info, "title", 9);
  if (bad == NULL && base_info != NULL && json_object_has_member (base_info, "notice"))
    bad = check_length (base_info, "notice", 16);

  if (bad != NULL)
    {
      g_autofree char *errmsg = g_strdup_printf ("invalid args hint: [%s]", bad);

      reply_errcode (message, 40009, errmsg);
      return;
    }

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "send_check", FALSE);
  reply_object (message, reply);
}

static void
handle_update (RgFakeWeChat      *self,
               SoupServerMessage *message,
               JsonObject        *body)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *key = NULL;
  Member *member;

  if (!check_card_and_code (self, message, body))
    return;

  key = member_key (body);
  if ((member = g_hash_table_lookup (self->members, key)) == NULL)
    {
      reply_errcode (message, 40056, "invalid serial code");
      return;
    }

  if (json_object_has_member (body, "bonus"))
    member->bonus = json_object_get_int_member (body, "bonus");
  else
    member->bonus += json_object_get_int_member_with_default (body, "add_bonus", 0);
  if (json_object_has_member (body, "balance"))
    member->balance = json_object_get_int_member (body, "balance");
  else
    member->balance += json_object_get_int_member_with_default (body, "add_balance", 0);

  reply = json_object_new ();
  json_object_set_int_member (reply, "result_bonus", member->bonus);
  json_object_set_int_member (reply, "result_balance", member->balance);
  json_object_set_string_member (reply, "openid", member->openid);
  reply_object (message, reply);
}

static void
handle_userinfo (RgFakeWeChat      *self,
                 SoupServerMessage *message,
                 JsonObject        *body)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *key = NULL;
  Member *member;

  if (!check_card_and_code (self, message, body))
    return;

  key = member_key (body);
  if ((member = g_hash_table_lookup (self->members, key)) == NULL)
    {
      reply_errcode (message, 40056, "invalid serial code");
      return;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "openid", member->openid);
  json_object_set_string_member (reply, "nickname", "Fake Member");
  json_object_set_string_member (reply, "membership_number", member->membership_number);
  json_object_set_int_member (reply, "bonus", member->bonus);
  json_object_set_int_member (reply, "balance", member->balance);
  json_object_set_string_member (reply, "user_card_status", "NORMAL");
  json_object_set_boolean_member (reply, "has_active", TRUE);
  reply_object (message, reply);
}

static void
rg_fake_wechat_handle (RgFakePlatform    *platform,
                       SoupServerMessage *message,
                       const char        *path,
                       RgFakeRequest     *request)
{
  RgFakeWeChat *self = RG_FAKE_WECHAT (platform);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *token;
  JsonObject *body;

  if (g_str_equal (path, "/cgi-bin/token"))
    {
      handle_token (self, message, request);
      return;
    }

  if (!g_str_equal (path, "/card/create") &&
      !g_str_equal (path, "/card/update") &&
      !g_str_equal (path, "/card/membercard/activate") &&
      !g_str_equal (path, "/card/membercard/updateuser") &&
      !g_str_equal (path, "/card/membercard/userinfo/get"))
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (!g_str_equal (request->method, "POST"))
    {
      reply_errcode (message, 43002, "require POST method");
      return;
    }

  query = rg_fake_request_dup_query (request);
  token = g_hash_table_lookup (query, "access_token");
  if (token == NULL || token[0] == '\0')
    {
      reply_errcode (message, 41001, "access_token missing");
      return;
    }
  if (g_hash_table_contains (self->expired_tokens, token))
    {
      reply_errcode (message, 42001, "access_token expired");
      return;
    }
  if (!g_hash_table_contains (self->tokens, token))
    {
      reply_errcode (message, 40001, "invalid credential, access_token is invalid or not latest");
      return;
    }

  root = rg_fake_request_dup_json (request);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_errcode (message, 47001, "data format error");
      return;
    }
  body = json_node_get_object (root);

  if (g_str_equal (path, "/card/create"))
    handle_card_create (self, message, body);
  else if (g_str_equal (path, "/card/update"))
    handle_card_update (self, message, body);
  else if (g_str_equal (path, "/card/membercard/activate"))
    handle_activate (self, message, body);
  else if (g_str_equal (path, "/card/membercard/updateuser"))
    handle_update (self, message, body);
  else
    handle_userinfo (self, message, body);
}

static GBytes *
rg_fake_wechat_failure_body (RgFakePlatform  *platform,
                             const char      *path,
                             guint            status,
                             char           **content_type)
{
  const char *text = "<html><body><h1>502 Bad Gateway</h1></body></html>";

  *content_type = g_strdup ("text/html");
  return g_bytes_new (text, strlen (text));
}

static void
rg_fake_wechat_reset (RgFakePlatform *platform)
{
  RgFakeWeChat *self = RG_FAKE_WECHAT (platform);

  g_hash_table_remove_all (self->tokens);
  g_hash_table_remove_all (self->expired_tokens);
  g_hash_table_remove_all (self->cards);
  g_hash_table_remove_all (self->members);
  g_hash_table_remove_all (self->given);
}

static void
rg_fake_wechat_finalize (GObject *object)
{
  RgFakeWeChat *self = (RgFakeWeChat *)object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->expired_tokens, g_hash_table_unref);
  g_clear_pointer (&self->cards, g_hash_table_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->given, g_hash_table_unref);

  G_OBJECT_CLASS (rg_fake_wechat_parent_class)->finalize (object);
}

static void
rg_fake_wechat_class_init (RgFakeWeChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RgFakePlatformClass *platform_class = RG_FAKE_PLATFORM_CLASS (klass);

  object_class->finalize = rg_fake_wechat_finalize;

  platform_class->name = "wechat";
  platform_class->handle = rg_fake_wechat_handle;
  platform_class->failure_body = rg_fake_wechat_failure_body;
  platform_class->reset = rg_fake_wechat_reset;
}

static void
rg_fake_wechat_init (RgFakeWeChat *self)
{
  self->expires_in = 7200;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->expired_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) member_free);
  self->given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) member_free);
}

/**
 * rg_fake_wechat_new:
 *
 * A fake of the WeChat Official Account API: access tokens and the member card calls
 * (card/create, card/update, membercard activate, updateuser and userinfo), with errors as
 * HTTP 200 + errcode; and WeChat's side of the server configuration: the URL check and
 * signed event pushes to a server (rg_fake_wechat_verify_server(),
 * rg_fake_wechat_deliver_event()).
 *
 * Returns: (transfer full): a new fake
 */
RgFakeWeChat *
rg_fake_wechat_new (void)
{
  return g_object_new (RG_TYPE_FAKE_WECHAT, NULL);
}

/**
 * rg_fake_wechat_set_expires_in:
 * @self: a fake
 * @expires_in: the lifetime new tokens announce, in seconds (WeChat: 7200)
 */
void
rg_fake_wechat_set_expires_in (RgFakeWeChat *self,
                               gint64        expires_in)
{
  g_return_if_fail (RG_IS_FAKE_WECHAT (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  self->expires_in = expires_in;
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_wechat_expire_tokens:
 * @self: a fake
 *
 * Every token issued so far now gets errcode 42001 “access_token expired”.
 */
void
rg_fake_wechat_expire_tokens (RgFakeWeChat *self)
{
  GHashTableIter iter;
  gpointer token;

  g_return_if_fail (RG_IS_FAKE_WECHAT (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, &token, NULL))
    {
      g_hash_table_add (self->expired_tokens, g_strdup (token));
      g_hash_table_iter_remove (&iter);
    }
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_wechat_fail_errcode:
 * @self: a fake
 * @path: (nullable): the path to fail, or %NULL for any
 * @count: how many of the next matching requests fail
 * @errcode: WeChat's errcode (-1 busy, 40001, 42001, 45009…)
 * @errmsg: WeChat's errmsg
 *
 * Programs WeChat-style failures: HTTP 200 with `{"errcode":…,"errmsg":…}`.
 */
void
rg_fake_wechat_fail_errcode (RgFakeWeChat *self,
                             const char   *path,
                             guint         count,
                             gint          errcode,
                             const char   *errmsg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (RG_IS_FAKE_WECHAT (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errcode");
  json_builder_add_int_value (builder, errcode);
  json_builder_set_member_name (builder, "errmsg");
  json_builder_add_string_value (builder, errmsg);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);

  rg_fake_platform_fail_with_body (RG_FAKE_PLATFORM (self), path, count, SOUP_STATUS_OK,
                                   "application/json", body, -1);
}

/**
 * rg_fake_wechat_give_card:
 * @self: a fake
 * @card_id: a card made by card/create
 * @openid: the customer who takes it
 *
 * A customer takes the member card in WeChat: WeChat makes the card's code, which comes in
 * the user_get_card event (rg_fake_wechat_build_card_event()) and which card/membercard/
 * activate then ties to @openid.
 *
 * Returns: (transfer full): the card's code, 12 digits
 */
char *
rg_fake_wechat_give_card (RgFakeWeChat *self,
                          const char   *card_id,
                          const char   *openid)
{
  GString *code = g_string_new (NULL);
  Member *given;

  g_return_val_if_fail (RG_IS_FAKE_WECHAT (self), NULL);
  g_return_val_if_fail (card_id != NULL && openid != NULL, NULL);

  g_string_append_printf (code, "%u", (guint) g_random_int_range (1, 10));
  for (guint i = 1; i < 12; i++)
    g_string_append_printf (code, "%u", (guint) g_random_int_range (0, 10));

  given = g_new0 (Member, 1);
  given->card_id = g_strdup (card_id);
  given->openid = g_strdup (openid);
  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_replace (self->given, g_strdup (code->str), given);
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));

  return g_string_free (code, FALSE);
}

/**
 * rg_fake_wechat_build_card_event:
 * @event: "user_get_card" or "user_del_card"
 * @openid: the customer (FromUserName)
 * @card_id: the card
 * @code: the card's code (UserCardCode)
 * @create_time: the event's time, in seconds
 *
 * Returns: (transfer full): the XML WeChat pushes for a member card event
 */
char *
rg_fake_wechat_build_card_event (const char *event,
                                 const char *openid,
                                 const char *card_id,
                                 const char *code,
                                 gint64      create_time)
{
  g_return_val_if_fail (event != NULL && openid != NULL && card_id != NULL && code != NULL,
                        NULL);

  if (g_str_equal (event, "user_get_card"))
    return g_strdup_printf ("<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>"
                            "<FromUserName><![CDATA[%s]]></FromUserName>"
                            "<CreateTime>%" G_GINT64_FORMAT "</CreateTime>"
                            "<MsgType><![CDATA[event]]></MsgType>"
                            "<Event><![CDATA[user_get_card]]></Event>"
                            "<CardId><![CDATA[%s]]></CardId>"
                            "<IsGiveByFriend>0</IsGiveByFriend>"
                            "<UserCardCode><![CDATA[%s]]></UserCardCode>"
                            "<FriendUserName><![CDATA[]]></FriendUserName>"
                            "<OuterId>0</OuterId>"
                            "<OldUserCardCode><![CDATA[]]></OldUserCardCode>"
                            "<OuterStr><![CDATA[regulars]]></OuterStr>"
                            "<IsRestoreMemberCard>0</IsRestoreMemberCard>"
                            "<UnionId><![CDATA[]]></UnionId></xml>",
                            openid, create_time, card_id, code);
  return g_strdup_printf ("<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>"
                          "<FromUserName><![CDATA[%s]]></FromUserName>"
                          "<CreateTime>%" G_GINT64_FORMAT "</CreateTime>"
                          "<MsgType><![CDATA[event]]></MsgType>"
                          "<Event><![CDATA[%s]]></Event>"
                          "<CardId><![CDATA[%s]]></CardId>"
                          "<UserCardCode><![CDATA[%s]]></UserCardCode></xml>",
                          openid, create_time, event, card_id, code);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* What WeChat appends to the server URL: timestamp, nonce and their signature with the
 * token (SHA-1 of the three, sorted and joined). */
static char *
signed_query (const char *token)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *nonce = g_strdup_printf ("%u", g_random_int_range (100000000, G_MAXINT32));
  const char *parts[] = { token, timestamp, nonce };

  qsort (parts, G_N_ELEMENTS (parts), sizeof parts[0], compare_strings);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (sha1, (const guchar *) parts[i], -1);

  return g_strdup_printf ("signature=%s&timestamp=%s&nonce=%s", g_checksum_get_string (sha1),
                          timestamp, nonce);
}

/* The text of <FromUserName>, which WeChat repeats as openid= in the query. */
static char *
find_openid (const char *xml)
{
  const char *start = strstr (xml, "<FromUserName><![CDATA[");
  g_autofree char *openid = NULL;
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("<FromUserName><![CDATA[");
  if ((end = strstr (start, "]]>")) == NULL)
    return NULL;
  openid = g_strndup (start, end - start);
  return g_uri_escape_string (openid, NULL, FALSE);
}

static gboolean
send_to_server (SoupMessage  *message,
                guint        *status,
                char        **response,
                GError      **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, rg_fake_wait_cb,
                                    &result);
  if (!(bytes = soup_session_send_and_read_finish (session, rg_fake_wait (&result), error)))
    return FALSE;

  if (status != NULL)
    *status = soup_message_get_status (message);
  if (response != NULL)
    *response = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}

/**
 * rg_fake_wechat_verify_server:
 * @self: a fake
 * @webhook_url: the server URL, e.g. "http://127.0.0.1:PORT/webhook/wechat"
 * @token: the Token of the server configuration, used for the signature
 * @echostr: what the server must echo
 * @status: (out) (optional): the HTTP status the server answered
 * @response: (out) (optional) (transfer full): the body it answered
 *
 * The check WeChat makes when the server configuration is saved: a signed GET with
 * echostr. Iterates the thread-default main context until answered, so a server attached to
 * the same context answers.
 *
 * Returns: %FALSE with @error when no HTTP answer came
 */
gboolean
rg_fake_wechat_verify_server (RgFakeWeChat  *self,
                              const char    *webhook_url,
                              const char    *token,
                              const char    *echostr,
                              guint         *status,
                              char         **response,
                              GError       **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (RG_IS_FAKE_WECHAT (self), FALSE);
  g_return_val_if_fail (webhook_url != NULL && token != NULL && echostr != NULL, FALSE);

  query = signed_query (token);
  escaped = g_uri_escape_string (echostr, NULL, FALSE);
  url = g_strdup_printf ("%s?%s&echostr=%s", webhook_url, query, escaped);
  message = soup_message_new ("GET", url);
  return send_to_server (message, status, response, error);
}

/**
 * rg_fake_wechat_deliver_event_full:
 * @self: a fake
 * @webhook_url: the server URL, e.g. "http://127.0.0.1:PORT/webhook/wechat"
 * @token: the Token the push is signed with
 * @xml: the message or event, e.g. from rg_fake_wechat_build_card_event()
 * @extra_query: (nullable): more query parameters, e.g. "encrypt_type=aes&msg_signature=…"
 * @status: (out) (optional): the HTTP status the server answered
 * @response: (out) (optional) (transfer full): the body it answered
 *
 * Pushes @xml the way WeChat's servers do in plaintext mode: POST text/xml to the server
 * URL with signature, timestamp, nonce and openid in the query. Iterates the thread-default
 * main context until answered.
 *
 * Returns: %FALSE with @error when no HTTP answer came
 */
gboolean
rg_fake_wechat_deliver_event_full (RgFakeWeChat  *self,
                                   const char    *webhook_url,
                                   const char    *token,
                                   const char    *xml,
                                   const char    *extra_query,
                                   guint         *status,
                                   char         **response,
                                   GError       **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) url = g_string_new (webhook_url);
  g_autofree char *query = NULL;
  g_autofree char *openid = NULL;

  g_return_val_if_fail (RG_IS_FAKE_WECHAT (self), FALSE);
  g_return_val_if_fail (webhook_url != NULL && token != NULL && xml != NULL, FALSE);

  query = signed_query (token);
  g_string_append_printf (url, "?%s", query);
  if ((openid = find_openid (xml)) != NULL)
    g_string_append_printf (url, "&openid=%s", openid);
  if (extra_query != NULL)
    g_string_append_printf (url, "&%s", extra_query);

  message = soup_message_new ("POST", url->str);
  body = g_bytes_new (xml, strlen (xml));
  soup_message_set_request_body_from_bytes (message, "text/xml", body);
  return send_to_server (message, status, response, error);
}

/**
 * rg_fake_wechat_deliver_event:
 *
 * rg_fake_wechat_deliver_event_full() without extra query parameters or the answer's body.
 */
gboolean
rg_fake_wechat_deliver_event (RgFakeWeChat  *self,
                              const char    *webhook_url,
                              const char    *token,
                              const char    *xml,
                              guint         *status,
                              GError       **error)
{
  return rg_fake_wechat_deliver_event_full (self, webhook_url, token, xml, NULL, status, NULL,
                                            error);
}
