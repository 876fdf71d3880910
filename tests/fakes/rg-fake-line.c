/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-line"

#include "config.h"

#include "rg-fake-line.h"
#include "rg-fake-platform-private.h"

#define MAX_BODY_SIZE (2 * 1024 * 1024)
#define MAX_MESSAGES 5
#define MAX_TEXT 5000
#define MAX_ALT_TEXT 400
#define MAX_MULTICAST 500
#define MIN_DELIVERY_TAG 16
#define MAX_DELIVERY_TAG 100

#define MISSING_AUTH_MESSAGE \
  "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"
#define BAD_TOKEN_MESSAGE \
  "Authentication failed. Confirm that the access token in the authorization header is valid."

typedef struct
{
  char     *request_id;
  JsonNode *sent_messages;
} AcceptedKey;

struct _RgFakeLine
{
  RgFakePlatform  parent_instance;

  char           *access_token;
  GHashTable     *friends;
  GHashTable     *unreachable;
  GHashTable     *accepted_keys;
  GHashTable     *used_reply_tokens;
  guint64         next_message_id;
};

G_DEFINE_FINAL_TYPE (RgFakeLine, rg_fake_line, RG_TYPE_FAKE_PLATFORM)

static void
accepted_key_free (AcceptedKey *key)
{
  g_free (key->request_id);
  g_clear_pointer (&key->sent_messages, json_node_unref);
  g_free (key);
}

static void
reply_message (SoupServerMessage *message,
               guint              status,
               const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, status, node);
}

/* @details holds property, message, property, message… */
static void
reply_details (SoupServerMessage *message,
               GPtrArray         *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *summary = NULL;

  summary = g_strdup_printf ("The request body has %u error(s)", details->len / 2);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, summary);
  json_builder_set_member_name (builder, "details");
  json_builder_begin_array (builder);
  for (guint i = 0; i + 1 < details->len; i += 2)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, g_ptr_array_index (details, i + 1));
      json_builder_set_member_name (builder, "property");
      json_builder_add_string_value (builder, g_ptr_array_index (details, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, SOUP_STATUS_BAD_REQUEST, node);
}

static void
add_detail (GPtrArray  *details,
            char       *property,
            const char *text)
{
  g_ptr_array_add (details, property);
  g_ptr_array_add (details, g_strdup (text));
}

static glong
utf16_length (const char *text)
{
  glong units = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    units += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return units;
}

static gboolean
is_id (const char *value,
       const char *first_chars)
{
  if (value == NULL || strlen (value) != 33 || strchr (first_chars, value[0]) == NULL)
    return FALSE;
  for (guint i = 1; i < 33; i++)
    if (!g_ascii_isxdigit (value[i]) || g_ascii_isupper (value[i]))
      return FALSE;
  return TRUE;
}

static void
check_text_member (GPtrArray  *details,
                   JsonObject *object,
                   guint       index,
                   const char *member,
                   glong       max_length)
{
  const char *text = _rg_fake_json_string (object, member);
  char *property = g_strdup_printf ("messages[%u].%s", index, member);

  if (text == NULL)
    add_detail (details, property, "must be specified");
  else if (text[0] == '\0')
    add_detail (details, property, "May not be empty");
  else if (utf16_length (text) > max_length)
    {
      g_autofree char *limit = g_strdup_printf ("Length must be between 0 and %ld", max_length);

      add_detail (details, property, limit);
    }
  else
    g_free (property);
}

/* The checks LINE applies to `messages`, as property/message details. */
static void
check_messages (GPtrArray  *details,
                JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "messages");
  JsonArray *messages;
  guint n_messages;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      add_detail (details, g_strdup ("messages"), "must be specified");
      return;
    }

  messages = json_node_get_array (node);
  n_messages = json_array_get_length (messages);
  if (n_messages < 1 || n_messages > MAX_MESSAGES)
    {
      add_detail (details, g_strdup ("messages"), "Size must be between 1 and 5");
      return;
    }

  for (guint i = 0; i < n_messages; i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *object;
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_detail (details, g_strdup_printf ("messages[%u]", i), "must be an object");
          continue;
        }

      object = json_node_get_object (element);
      type = _rg_fake_json_string (object, "type");
      if (type == NULL)
        add_detail (details, g_strdup_printf ("messages[%u].type", i), "must be specified");
      else if (g_str_equal (type, "text"))
        check_text_member (details, object, i, "text", MAX_TEXT);
      else if (g_str_equal (type, "flex"))
        {
          JsonNode *contents = json_object_get_member (object, "contents");
          const char *container;

          check_text_member (details, object, i, "altText", MAX_ALT_TEXT);
          if (contents == NULL || !JSON_NODE_HOLDS_OBJECT (contents))
            add_detail (details, g_strdup_printf ("messages[%u].contents", i), "must be specified");
          else
            {
              container = _rg_fake_json_string (json_node_get_object (contents), "type");
              if (g_strcmp0 (container, "bubble") != 0 && g_strcmp0 (container, "carousel") != 0)
                add_detail (details, g_strdup_printf ("messages[%u].contents.type", i),
                            "must be one of [bubble, carousel]");
            }
        }
      else if (!g_strv_contains ((const char * const[]) { "sticker", "image", "video", "audio",
                                                          "location", "imagemap", "template",
                                                          NULL }, type))
        add_detail (details, g_strdup_printf ("messages[%u].type", i), "Invalid message type");
    }
}

static JsonNode *
make_sent_messages (RgFakeLine *self,
                    JsonObject *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_messages = json_array_get_length (json_object_get_array_member (body, "messages"));

  json_builder_begin_array (builder);
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_message_id++);
      g_autofree char *quote_token = _rg_fake_random_hex (40);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "quoteToken");
      json_builder_add_string_value (builder, quote_token);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
reply_sent_messages (SoupServerMessage *message,
                     guint              status,
                     const char        *text,
                     JsonNode          *sent_messages)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (text != NULL)
    json_object_set_string_member (object, "message", text);
  if (sent_messages != NULL)
    json_object_set_member (object, "sentMessages", json_node_copy (sent_messages));
  json_node_take_object (node, object);
  _rg_fake_reply_json (message, status, node);
}

/* Returns FALSE with the answer set when the request does not reach the route's own checks. */
static gboolean
check_common (RgFakeLine        *self,
              SoupServerMessage *message,
              RgFakeRequest     *request,
              gboolean           is_post,
              JsonObject       **body,
              JsonNode         **root)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *authorization = rg_fake_request_get_header (request, "Authorization");
  g_autofree char *expected = g_strconcat ("Bearer ", self->access_token, NULL);

  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    {
      reply_message (message, SOUP_STATUS_UNAUTHORIZED, MISSING_AUTH_MESSAGE);
      return FALSE;
    }
  if (!g_str_equal (authorization, expected))
    {
      reply_message (message, SOUP_STATUS_UNAUTHORIZED, BAD_TOKEN_MESSAGE);
      return FALSE;
    }

  if (g_str_equal (request->method, is_post ? "POST" : "GET") == FALSE)
    {
      reply_message (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      return FALSE;
    }

  if (!is_post)
    return TRUE;

  if (!_rg_fake_content_type_is (request, "application/json"))
    {
      g_autofree char *text = NULL;
      const char *content_type = soup_message_headers_get_content_type (request->headers, NULL);

      text = g_strdup_printf ("The content type, '%s', is not supported",
                              content_type != NULL ? content_type : "");
      reply_message (message, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, text);
      return FALSE;
    }

  if (g_bytes_get_size (request->body) > MAX_BODY_SIZE)
    {
      reply_message (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request Entity Too Large");
      return FALSE;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                                   g_bytes_get_size (request->body), NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "The request body could not be parsed as JSON");
      return FALSE;
    }

  *root = json_node_ref (json_parser_get_root (parser));
  *body = json_node_get_object (*root);
  return TRUE;
}

/* Returns FALSE with the answer set when the retry key is malformed or was already used. */
static gboolean
check_retry_key (RgFakeLine        *self,
                 SoupServerMessage *message,
                 RgFakeRequest     *request,
                 gboolean           allowed)
{
  const char *retry_key = rg_fake_request_get_header (request, "X-Line-Retry-Key");
  AcceptedKey *accepted;

  if (retry_key == NULL)
    return TRUE;

  if (!allowed)
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST,
                     "The retry key is not supported for this endpoint");
      return FALSE;
    }

  if (!g_uuid_string_is_valid (retry_key))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "The retry key must be a UUID");
      return FALSE;
    }

  if ((accepted = g_hash_table_lookup (self->accepted_keys, retry_key)) != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "x-line-accepted-request-id", accepted->request_id);
      reply_sent_messages (message, SOUP_STATUS_CONFLICT, "The retry key is already accepted",
                           accepted->sent_messages);
      return FALSE;
    }

  return TRUE;
}

static void
remember_retry_key (RgFakeLine        *self,
                    SoupServerMessage *message,
                    RgFakeRequest     *request,
                    JsonNode          *sent_messages)
{
  const char *retry_key = rg_fake_request_get_header (request, "X-Line-Retry-Key");
  AcceptedKey *accepted;

  if (retry_key == NULL)
    return;

  accepted = g_new0 (AcceptedKey, 1);
  accepted->request_id = g_strdup (soup_message_headers_get_one (
                                     soup_server_message_get_response_headers (message),
                                     "x-line-request-id"));
  accepted->sent_messages = sent_messages != NULL ? json_node_ref (sent_messages) : NULL;
  g_hash_table_replace (self->accepted_keys, g_strdup (retry_key), accepted);
}

static void
handle_push (RgFakeLine        *self,
             SoupServerMessage *message,
             RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) sent_messages = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  JsonObject *body = NULL;
  const char *to;

  if (!check_common (self, message, request, TRUE, &body, &root) ||
      !check_retry_key (self, message, request, TRUE))
    return;

  to = _rg_fake_json_string (body, "to");
  if (to == NULL)
    add_detail (details, g_strdup ("to"), "must be specified");
  check_messages (details, body);
  if (details->len > 0)
    {
      reply_details (message, details);
      return;
    }

  if (!is_id (to, "UCR"))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST,
                     "The property, 'to', in the request body is invalid (line: -, column: -)");
      return;
    }

  sent_messages = make_sent_messages (self, body);
  remember_retry_key (self, message, request, sent_messages);
  _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), to);
  reply_sent_messages (message, SOUP_STATUS_OK, NULL, sent_messages);
}

static void
handle_reply (RgFakeLine        *self,
              SoupServerMessage *message,
              RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) sent_messages = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  JsonObject *body = NULL;
  const char *reply_token;

  if (!check_common (self, message, request, TRUE, &body, &root) ||
      !check_retry_key (self, message, request, FALSE))
    return;

  reply_token = _rg_fake_json_string (body, "replyToken");
  if (reply_token == NULL || reply_token[0] == '\0')
    add_detail (details, g_strdup ("replyToken"), "must be specified");
  check_messages (details, body);
  if (details->len > 0)
    {
      reply_details (message, details);
      return;
    }

  /* A reply token is good for one reply. */
  if (!g_hash_table_add (self->used_reply_tokens, g_strdup (reply_token)))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "Invalid reply token");
      return;
    }

  sent_messages = make_sent_messages (self, body);
  reply_sent_messages (message, SOUP_STATUS_OK, NULL, sent_messages);
}

static void
handle_multicast (RgFakeLine        *self,
                  SoupServerMessage *message,
                  RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  JsonObject *body = NULL;
  JsonNode *to;
  JsonArray *recipients = NULL;

  if (!check_common (self, message, request, TRUE, &body, &root) ||
      !check_retry_key (self, message, request, TRUE))
    return;

  to = json_object_get_member (body, "to");
  if (to == NULL || !JSON_NODE_HOLDS_ARRAY (to))
    add_detail (details, g_strdup ("to"), "must be specified");
  else
    {
      recipients = json_node_get_array (to);
      if (json_array_get_length (recipients) < 1 || json_array_get_length (recipients) > MAX_MULTICAST)
        add_detail (details, g_strdup ("to"), "Size must be between 1 and 500");
      else
        for (guint i = 0; i < json_array_get_length (recipients); i++)
          {
            JsonNode *element = json_array_get_element (recipients, i);

            if (!JSON_NODE_HOLDS_VALUE (element) ||
                json_node_get_value_type (element) != G_TYPE_STRING ||
                !is_id (json_node_get_string (element), "U"))
              add_detail (details, g_strdup_printf ("to[%u]", i), "Invalid user ID");
          }
    }
  check_messages (details, body);
  if (details->len > 0)
    {
      reply_details (message, details);
      return;
    }

  remember_retry_key (self, message, request, NULL);
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self),
                                      json_array_get_string_element (recipients, i));
  _rg_fake_reply_json_text (message, SOUP_STATUS_OK, "{}");
}

static gboolean
is_phone_hash (const char *value)
{
  if (value == NULL || strlen (value) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (value[i]) && (value[i] < 'a' || value[i] > 'f'))
      return FALSE;
  return TRUE;
}

static void
handle_pnp (RgFakeLine        *self,
            SoupServerMessage *message,
            RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  JsonObject *body = NULL;
  const char *to;
  const char *tag;

  if (!check_common (self, message, request, TRUE, &body, &root) ||
      !check_retry_key (self, message, request, FALSE))
    return;

  tag = rg_fake_request_get_header (request, "X-Line-Delivery-Tag");
  if (tag != NULL &&
      (g_utf8_strlen (tag, -1) < MIN_DELIVERY_TAG || g_utf8_strlen (tag, -1) > MAX_DELIVERY_TAG))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST,
                     "The value of the X-Line-Delivery-Tag header must be between 16 and 100 characters");
      return;
    }

  to = _rg_fake_json_string (body, "to");
  if (to == NULL)
    add_detail (details, g_strdup ("to"), "must be specified");
  check_messages (details, body);
  if (details->len > 0)
    {
      reply_details (message, details);
      return;
    }

  if (!is_phone_hash (to))
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST,
                     "The property, 'to', in the request body is invalid (line: -, column: -)");
      return;
    }

  if (g_hash_table_contains (self->unreachable, to))
    {
      reply_message (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Failed to send messages");
      return;
    }

  _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), to);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
}

static void
handle_bot_info (RgFakeLine        *self,
                 SoupServerMessage *message,
                 RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = NULL;

  if (!check_common (self, message, request, FALSE, &body, &root))
    return;

  _rg_fake_reply_json_text (message, SOUP_STATUS_OK,
                            "{\"userId\":\"" RG_FAKE_LINE_BOT_USER_ID "\","
                            "\"basicId\":\"" RG_FAKE_LINE_BASIC_ID "\","
                            "\"displayName\":\"" RG_FAKE_LINE_DISPLAY_NAME "\","
                            "\"chatMode\":\"chat\",\"markAsReadMode\":\"manual\"}");
}

static void
handle_profile (RgFakeLine        *self,
                SoupServerMessage *message,
                RgFakeRequest     *request,
                const char        *user_id)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = NULL;
  const char *display_name;

  if (!check_common (self, message, request, FALSE, &body, &root))
    return;

  if ((display_name = g_hash_table_lookup (self->friends, user_id)) == NULL)
    {
      reply_message (message, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, display_name);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, "zh-TW");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
}

static void
rg_fake_line_handle (RgFakePlatform    *platform,
                     SoupServerMessage *message,
                     const char        *path,
                     RgFakeRequest     *request)
{
  RgFakeLine *self = RG_FAKE_LINE (platform);

  if (g_str_equal (path, "/v2/bot/message/push"))
    handle_push (self, message, request);
  else if (g_str_equal (path, "/v2/bot/message/reply"))
    handle_reply (self, message, request);
  else if (g_str_equal (path, "/v2/bot/message/multicast"))
    handle_multicast (self, message, request);
  else if (g_str_equal (path, "/bot/pnp/push"))
    handle_pnp (self, message, request);
  else if (g_str_equal (path, "/v2/bot/info"))
    handle_bot_info (self, message, request);
  else if (g_str_has_prefix (path, "/v2/bot/profile/") && strchr (path + 16, '/') == NULL)
    handle_profile (self, message, request, path + strlen ("/v2/bot/profile/"));
  else
    reply_message (message, SOUP_STATUS_NOT_FOUND, "Not found");
}

static GBytes *
rg_fake_line_failure_body (RgFakePlatform  *platform,
                           const char      *path,
                           guint            status,
                           char           **content_type)
{
  const char *text;

  *content_type = g_strdup ("application/json");
  switch (status)
    {
    case 400:
      text = "{\"message\":\"The request body has 1 error(s)\",\"details\":"
             "[{\"message\":\"May not be empty\",\"property\":\"messages[0].text\"}]}";
      break;
    case 401:
      text = "{\"message\":\"" BAD_TOKEN_MESSAGE "\"}";
      break;
    case 403:
      text = "{\"message\":\"Access to this API is not available for your account\"}";
      break;
    case 422:
      text = "{\"message\":\"Failed to send messages\"}";
      break;
    case 429:
      text = "{\"message\":\"" RG_FAKE_LINE_RATE_LIMIT_MESSAGE "\"}";
      break;
    default:
      text = "{\"message\":\"An error occurred in the server\"}";
      break;
    }

  return g_bytes_new (text, strlen (text));
}

static void
rg_fake_line_decorate (RgFakePlatform    *platform,
                       SoupServerMessage *message)
{
  g_autofree char *request_id = g_uuid_string_random ();

  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "x-line-request-id", request_id);
}

static void
rg_fake_line_reset (RgFakePlatform *platform)
{
  RgFakeLine *self = RG_FAKE_LINE (platform);

  g_hash_table_remove_all (self->accepted_keys);
  g_hash_table_remove_all (self->used_reply_tokens);
}

static void
rg_fake_line_finalize (GObject *object)
{
  RgFakeLine *self = (RgFakeLine *)object;

  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->friends, g_hash_table_unref);
  g_clear_pointer (&self->unreachable, g_hash_table_unref);
  g_clear_pointer (&self->accepted_keys, g_hash_table_unref);
  g_clear_pointer (&self->used_reply_tokens, g_hash_table_unref);

  G_OBJECT_CLASS (rg_fake_line_parent_class)->finalize (object);
}

static void
rg_fake_line_class_init (RgFakeLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RgFakePlatformClass *platform_class = RG_FAKE_PLATFORM_CLASS (klass);

  object_class->finalize = rg_fake_line_finalize;

  platform_class->name = "line";
  platform_class->handle = rg_fake_line_handle;
  platform_class->failure_body = rg_fake_line_failure_body;
  platform_class->decorate = rg_fake_line_decorate;
  platform_class->reset = rg_fake_line_reset;
}

static void
rg_fake_line_init (RgFakeLine *self)
{
  self->access_token = g_strdup (RG_FAKE_LINE_ACCESS_TOKEN);
  self->friends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unreachable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->accepted_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) accepted_key_free);
  self->used_reply_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_message_id = G_GUINT64_CONSTANT (481100000000000000);
}

/**
 * rg_fake_line_new:
 *
 * A fake of the LINE Messaging API: push, reply, multicast, notification messages (PNP), bot
 * info and profiles, with LINE's checks and answers. Start it with rg_fake_platform_start().
 *
 * Returns: (transfer full): a new fake
 */
RgFakeLine *
rg_fake_line_new (void)
{
  return g_object_new (RG_TYPE_FAKE_LINE, NULL);
}

/**
 * rg_fake_line_set_access_token:
 * @self: a fake
 * @access_token: the only token the fake accepts
 */
void
rg_fake_line_set_access_token (RgFakeLine *self,
                               const char *access_token)
{
  g_return_if_fail (RG_IS_FAKE_LINE (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_free (self->access_token);
  self->access_token = g_strdup (access_token);
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_line_add_friend:
 * @self: a fake
 * @user_id: a user ID ("U" and 32 hex digits)
 * @display_name: the name the profile shows
 *
 * Makes the user a friend of the account: GET /v2/bot/profile/{userId} answers instead of 404.
 */
void
rg_fake_line_add_friend (RgFakeLine *self,
                         const char *user_id,
                         const char *display_name)
{
  g_return_if_fail (RG_IS_FAKE_LINE (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_replace (self->friends, g_strdup (user_id), g_strdup (display_name));
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_line_set_unreachable:
 * @self: a fake
 * @phone_e164: a phone number in E.164 form
 *
 * Notification messages to this number are answered 422, as for someone who is not a LINE user
 * or has not consented.
 */
void
rg_fake_line_set_unreachable (RgFakeLine *self,
                              const char *phone_e164)
{
  g_return_if_fail (RG_IS_FAKE_LINE (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_add (self->unreachable,
                    g_compute_checksum_for_string (G_CHECKSUM_SHA256, phone_e164, -1));
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_line_fail:
 * @self: a fake
 * @path: (nullable): the path to fail, or %NULL for any
 * @count: how many of the next matching requests fail
 * @failure: what LINE answers
 * @retry_after: seconds for a Retry-After header (LINE documents none), or -1
 *
 * Programs LINE's failures with LINE's own bodies: 500, 429 rate limit, 429 monthly limit
 * (the same status, told apart only by the message), 401, 403, 400 with details, 422.
 */
void
rg_fake_line_fail (RgFakeLine        *self,
                   const char        *path,
                   guint              count,
                   RgFakeLineFailure  failure,
                   gint               retry_after)
{
  RgFakePlatform *platform = RG_FAKE_PLATFORM (self);

  g_return_if_fail (RG_IS_FAKE_LINE (self));

  switch (failure)
    {
    case RG_FAKE_LINE_FAIL_SERVER_ERROR:
      rg_fake_platform_fail (platform, path, count, 500, retry_after);
      break;
    case RG_FAKE_LINE_FAIL_RATE_LIMIT:
      rg_fake_platform_fail (platform, path, count, 429, retry_after);
      break;
    case RG_FAKE_LINE_FAIL_MONTHLY_LIMIT:
      rg_fake_platform_fail_with_body (platform, path, count, 429, NULL,
                                       "{\"message\":\"" RG_FAKE_LINE_MONTHLY_LIMIT_MESSAGE "\"}",
                                       retry_after);
      break;
    case RG_FAKE_LINE_FAIL_UNAUTHORIZED:
      rg_fake_platform_fail (platform, path, count, 401, retry_after);
      break;
    case RG_FAKE_LINE_FAIL_FORBIDDEN:
      rg_fake_platform_fail (platform, path, count, 403, retry_after);
      break;
    case RG_FAKE_LINE_FAIL_BAD_REQUEST:
      rg_fake_platform_fail (platform, path, count, 400, retry_after);
      break;
    case RG_FAKE_LINE_FAIL_UNDELIVERABLE:
      rg_fake_platform_fail (platform, path, count, 422, retry_after);
      break;
    default:
      g_return_if_reached ();
    }
}
