/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-sms"

#include "config.h"

#include "rg-fake-platform-private.h"
#include "rg-fake-sms.h"

#define TWILIO_PREFIX "/2010-04-01/Accounts/"

/*
 * Mitake's shapes are unverified (PROTOCOLS.md): key=value lines, statuscode 0/1/2/4 accepted,
 * "e" = account or password wrong, an Error= line on failures. The other status codes used here
 * ("v" bad number, "u" empty text) only stand for "some other refusal".
 */
struct _RgFakeSms
{
  RgFakePlatform  parent_instance;

  gint64          mitake_points;
  guint           next_msgid;
  GHashTable     *mitake_clientids;
};

G_DEFINE_FINAL_TYPE (RgFakeSms, rg_fake_sms, RG_TYPE_FAKE_PLATFORM)

static void
reply_mitake (SoupServerMessage *message,
              const char        *text)
{
  _rg_fake_reply_text (message, SOUP_STATUS_OK, "text/plain; charset=utf-8", text);
}

static void
reply_mitake_error (SoupServerMessage *message,
                    const char        *statuscode,
                    const char        *error_text)
{
  g_autofree char *text = g_strdup_printf ("[1]\r\nstatuscode=%s\r\nError=%s\r\n",
                                           statuscode, error_text);

  reply_mitake (message, text);
}

/* Returns FALSE with the answer set when the request is not a UTF-8 form post with our account. */
static gboolean
check_mitake (SoupServerMessage  *message,
              RgFakeRequest      *request,
              GHashTable        **form)
{
  if (!g_str_equal (request->method, "POST") ||
      !_rg_fake_content_type_is (request, "application/x-www-form-urlencoded"))
    {
      _rg_fake_reply_text (message, SOUP_STATUS_BAD_REQUEST, "text/plain",
                           "expected a POST of application/x-www-form-urlencoded");
      return FALSE;
    }

  *form = rg_fake_request_dup_form (request);
  if (g_strcmp0 (g_hash_table_lookup (*form, "username"), RG_FAKE_SMS_MITAKE_USERNAME) != 0 ||
      g_strcmp0 (g_hash_table_lookup (*form, "password"), RG_FAKE_SMS_MITAKE_PASSWORD) != 0)
    {
      reply_mitake_error (message, "e", "帳號、密碼錯誤");
      return FALSE;
    }

  return TRUE;
}

static guint
count_parts (const char *text)
{
  glong length = g_utf8_strlen (text, -1);

  return length <= 70 ? 1 : (guint) ((length + 66) / 67);
}

static gboolean
is_destination (const char *value)
{
  gsize length = value != NULL ? strlen (value) : 0;

  if (length == 10 && g_str_has_prefix (value, "09"))
    return strspn (value, "0123456789") == length;
  if (length >= 8 && length <= 16 && value[0] == '+')
    return strspn (value + 1, "0123456789") == length - 1;
  return FALSE;
}

static void
handle_mitake_send (RgFakeSms         *self,
                    SoupServerMessage *message,
                    RgFakeRequest     *request)
{
  g_autoptr(GHashTable) query = rg_fake_request_dup_query (request);
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *msgid = NULL;
  const char *destination;
  const char *body;
  const char *clientid;
  const char *previous;

  if (!check_mitake (message, request, &form))
    return;

  /* Without it Mitake reads the text as Big5. */
  if (g_strcmp0 (g_hash_table_lookup (query, "CharsetURL"), "UTF-8") != 0)
    {
      _rg_fake_reply_text (message, SOUP_STATUS_BAD_REQUEST, "text/plain",
                           "fake: CharsetURL=UTF-8 is required");
      return;
    }

  destination = g_hash_table_lookup (form, "dstaddr");
  body = g_hash_table_lookup (form, "smbody");
  clientid = g_hash_table_lookup (form, "clientid");

  if (!is_destination (destination))
    {
      reply_mitake_error (message, "v", "無效的手機號碼");
      return;
    }
  if (body == NULL || body[0] == '\0')
    {
      reply_mitake_error (message, "u", "簡訊內容不得為空白");
      return;
    }

  /* The same clientid again: the first message's id, nothing sent twice. */
  if (clientid != NULL && (previous = g_hash_table_lookup (self->mitake_clientids, clientid)) != NULL)
    {
      reply = g_strdup_printf ("[1]\r\nmsgid=%s\r\nstatuscode=1\r\nAccountPoint=%" G_GINT64_FORMAT
                               "\r\nDuplicate=Y\r\n",
                               previous, self->mitake_points);
      reply_mitake (message, reply);
      return;
    }

  msgid = g_strdup_printf ("#%09u", ++self->next_msgid);
  if (clientid != NULL)
    g_hash_table_replace (self->mitake_clientids, g_strdup (clientid), g_strdup (msgid));
  self->mitake_points -= count_parts (body);
  _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), destination);

  reply = g_strdup_printf ("[1]\r\nmsgid=%s\r\nstatuscode=1\r\nAccountPoint=%" G_GINT64_FORMAT "\r\n",
                           msgid, self->mitake_points);
  reply_mitake (message, reply);
}

static void
handle_mitake_query (RgFakeSms         *self,
                     SoupServerMessage *message,
                     RgFakeRequest     *request)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *reply = NULL;

  if (!check_mitake (message, request, &form))
    return;

  reply = g_strdup_printf ("AccountPoint=%" G_GINT64_FORMAT "\r\n", self->mitake_points);
  reply_mitake (message, reply);
}

static void
reply_twilio_error (SoupServerMessage *message,
                    guint              status,
                    gint               code,
                    const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *more_info = g_strdup_printf ("https://www.twilio.com/docs/errors/%d", code);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "more_info");
  json_builder_add_string_value (builder, more_info);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, status, node);
}

static gboolean
check_twilio_auth (SoupServerMessage *message,
                   RgFakeRequest     *request,
                   const char        *sid)
{
  const char *authorization = rg_fake_request_get_header (request, "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *credentials = NULL;
  gsize length = 0;

  if (authorization != NULL && g_str_has_prefix (authorization, "Basic "))
    {
      decoded = g_base64_decode (authorization + strlen ("Basic "), &length);
      credentials = g_strndup ((const char *) decoded, length);
    }

  if (g_strcmp0 (credentials, RG_FAKE_SMS_TWILIO_SID ":" RG_FAKE_SMS_TWILIO_TOKEN) != 0 ||
      g_strcmp0 (sid, RG_FAKE_SMS_TWILIO_SID) != 0)
    {
      reply_twilio_error (message, SOUP_STATUS_UNAUTHORIZED, 20003, "Authenticate");
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_e164 (const char *value)
{
  gsize length = value != NULL ? strlen (value) : 0;

  return length >= 8 && length <= 16 && value[0] == '+' &&
         strspn (value + 1, "0123456789") == length - 1;
}

static void
handle_twilio_send (RgFakeSms         *self,
                    SoupServerMessage *message,
                    RgFakeRequest     *request)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *random = NULL;
  g_autofree char *sid = NULL;
  g_autofree char *segments = NULL;
  const char *to;
  const char *from;
  const char *body;

  if (!g_str_equal (request->method, "POST") ||
      !_rg_fake_content_type_is (request, "application/x-www-form-urlencoded"))
    {
      reply_twilio_error (message, SOUP_STATUS_BAD_REQUEST, 20001,
                          "Expected a POST of application/x-www-form-urlencoded");
      return;
    }

  form = rg_fake_request_dup_form (request);
  to = g_hash_table_lookup (form, "To");
  from = g_hash_table_lookup (form, "From");
  body = g_hash_table_lookup (form, "Body");

  if (to == NULL)
    {
      reply_twilio_error (message, SOUP_STATUS_BAD_REQUEST, 21604, "A 'To' phone number is required.");
      return;
    }
  if (!is_e164 (to))
    {
      g_autofree char *text = g_strdup_printf ("The 'To' number %s is not a valid phone number.", to);

      reply_twilio_error (message, SOUP_STATUS_BAD_REQUEST, 21211, text);
      return;
    }
  if (from == NULL || from[0] == '\0')
    {
      reply_twilio_error (message, SOUP_STATUS_BAD_REQUEST, 21603, "A 'From' phone number is required.");
      return;
    }
  if (body == NULL || body[0] == '\0')
    {
      reply_twilio_error (message, SOUP_STATUS_BAD_REQUEST, 21602, "Message body is required.");
      return;
    }

  random = _rg_fake_random_hex (32);
  sid = g_strconcat ("SM", random, NULL);
  segments = g_strdup_printf ("%u", count_parts (body));
  _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), to);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sid");
  json_builder_add_string_value (builder, sid);
  json_builder_set_member_name (builder, "account_sid");
  json_builder_add_string_value (builder, RG_FAKE_SMS_TWILIO_SID);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "queued");
  json_builder_set_member_name (builder, "num_segments");
  json_builder_add_string_value (builder, segments);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, SOUP_STATUS_CREATED, node);
}

static void
handle_twilio_account (RgFakeSms         *self,
                       SoupServerMessage *message,
                       RgFakeRequest     *request)
{
  if (!g_str_equal (request->method, "GET"))
    {
      reply_twilio_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, 20004, "Method not allowed");
      return;
    }

  _rg_fake_reply_json_text (message, SOUP_STATUS_OK,
                            "{\"sid\":\"" RG_FAKE_SMS_TWILIO_SID "\","
                            "\"friendly_name\":\"" RG_FAKE_SMS_TWILIO_NAME "\","
                            "\"status\":\"active\",\"type\":\"Full\"}");
}

static void
rg_fake_sms_handle (RgFakePlatform    *platform,
                    SoupServerMessage *message,
                    const char        *path,
                    RgFakeRequest     *request)
{
  RgFakeSms *self = RG_FAKE_SMS (platform);

  if (g_str_equal (path, RG_FAKE_SMS_MITAKE_SEND_PATH))
    handle_mitake_send (self, message, request);
  else if (g_str_equal (path, RG_FAKE_SMS_MITAKE_QUERY_PATH))
    handle_mitake_query (self, message, request);
  else if (g_str_has_prefix (path, TWILIO_PREFIX))
    {
      g_autofree char *random = _rg_fake_random_hex (32);
      g_autofree char *request_id = g_strconcat ("RQ", random, NULL);
      g_auto(GStrv) parts = g_strsplit (path + strlen (TWILIO_PREFIX), "/", -1);

      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Twilio-Request-Id", request_id);

      if (parts[0] != NULL && parts[1] == NULL && g_str_has_suffix (parts[0], ".json"))
        {
          parts[0][strlen (parts[0]) - strlen (".json")] = '\0';
          if (check_twilio_auth (message, request, parts[0]))
            handle_twilio_account (self, message, request);
        }
      else if (parts[0] != NULL && parts[1] != NULL && g_str_equal (parts[1], "Messages.json") &&
               parts[2] == NULL)
        {
          if (check_twilio_auth (message, request, parts[0]))
            handle_twilio_send (self, message, request);
        }
      else
        reply_twilio_error (message, SOUP_STATUS_NOT_FOUND, 20404,
                            "The requested resource was not found");
    }
  else
    _rg_fake_reply_text (message, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found");
}

static GBytes *
rg_fake_sms_failure_body (RgFakePlatform  *platform,
                          const char      *path,
                          guint            status,
                          char           **content_type)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *text;
  char *json;
  gint code;

  if (!g_str_has_prefix (path, TWILIO_PREFIX))
    {
      text = "Internal Server Error";
      *content_type = g_strdup ("text/plain");
      return g_bytes_new (text, strlen (text));
    }

  switch (status)
    {
    case 401:
      code = 20003;
      text = "Authenticate";
      break;
    case 404:
      code = 20404;
      text = "The requested resource was not found";
      break;
    case 429:
      code = 20429;
      text = "Too Many Requests";
      break;
    default:
      code = 20500;
      text = "Internal Server Error";
      break;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json = json_to_string (node, FALSE);

  *content_type = g_strdup ("application/json");
  return g_bytes_new_take (json, strlen (json));
}

static void
rg_fake_sms_reset (RgFakePlatform *platform)
{
  RgFakeSms *self = RG_FAKE_SMS (platform);

  self->mitake_points = RG_FAKE_SMS_MITAKE_POINTS;
  g_hash_table_remove_all (self->mitake_clientids);
}

static void
rg_fake_sms_finalize (GObject *object)
{
  RgFakeSms *self = (RgFakeSms *)object;

  g_clear_pointer (&self->mitake_clientids, g_hash_table_unref);

  G_OBJECT_CLASS (rg_fake_sms_parent_class)->finalize (object);
}

static void
rg_fake_sms_class_init (RgFakeSmsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RgFakePlatformClass *platform_class = RG_FAKE_PLATFORM_CLASS (klass);

  object_class->finalize = rg_fake_sms_finalize;

  platform_class->name = "sms";
  platform_class->handle = rg_fake_sms_handle;
  platform_class->failure_body = rg_fake_sms_failure_body;
  platform_class->reset = rg_fake_sms_reset;
}

static void
rg_fake_sms_init (RgFakeSms *self)
{
  self->mitake_points = RG_FAKE_SMS_MITAKE_POINTS;
  self->mitake_clientids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * rg_fake_sms_new:
 *
 * A fake of two SMS gateways on one server: Mitake (`/api/mtk/SmSend`, `/api/mtk/SmQuery`) and
 * Twilio (`/2010-04-01/Accounts/{Sid}/Messages.json`, `/2010-04-01/Accounts/{Sid}.json`).
 * Deliveries are counted per destination as sent (Mitake dstaddr, Twilio To).
 *
 * Returns: (transfer full): a new fake
 */
RgFakeSms *
rg_fake_sms_new (void)
{
  return g_object_new (RG_TYPE_FAKE_SMS, NULL);
}

/**
 * rg_fake_sms_fail_mitake:
 * @self: a fake
 * @count: how many of the next SmSend requests fail
 * @statuscode: Mitake's status code, e.g. "e"
 * @error_text: the Error= text
 */
void
rg_fake_sms_fail_mitake (RgFakeSms  *self,
                         guint       count,
                         const char *statuscode,
                         const char *error_text)
{
  g_autofree char *body = NULL;

  g_return_if_fail (RG_IS_FAKE_SMS (self));

  body = g_strdup_printf ("[1]\r\nstatuscode=%s\r\nError=%s\r\n", statuscode, error_text);
  rg_fake_platform_fail_with_body (RG_FAKE_PLATFORM (self), RG_FAKE_SMS_MITAKE_SEND_PATH, count,
                                   SOUP_STATUS_OK, "text/plain; charset=utf-8", body, -1);
}

/**
 * rg_fake_sms_fail_twilio:
 * @self: a fake
 * @count: how many of the next Messages.json requests fail
 * @status: the HTTP status
 * @code: Twilio's error code, e.g. 21211
 * @message: Twilio's message
 * @retry_after: seconds for a Retry-After header, or -1
 */
void
rg_fake_sms_fail_twilio (RgFakeSms  *self,
                         guint       count,
                         guint       status,
                         gint        code,
                         const char *message,
                         gint        retry_after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (RG_IS_FAKE_SMS (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);

  rg_fake_platform_fail_with_body (RG_FAKE_PLATFORM (self), RG_FAKE_SMS_TWILIO_SEND_PATH, count,
                                   status, "application/json", body, retry_after);
}
