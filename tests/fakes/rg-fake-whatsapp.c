/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-whatsapp"

#include "config.h"

#include "rg-fake-platform-private.h"
#include "rg-fake-whatsapp.h"

#define MAX_TEXT 4096

struct _RgFakeWhatsApp
{
  RgFakePlatform  parent_instance;

  GHashTable     *open_windows;
  GHashTable     *templates;
};

G_DEFINE_FINAL_TYPE (RgFakeWhatsApp, rg_fake_whatsapp, RG_TYPE_FAKE_PLATFORM)

static const char *
message_for_code (gint code)
{
  switch (code)
    {
    case 100:
      return "(#100) Invalid parameter";
    case 190:
      return "Invalid OAuth access token - Cannot parse access token";
    case 130429:
      return "(#130429) Rate limit hit";
    case 131000:
      return "(#131000) Something went wrong";
    case 131026:
      return "(#131026) Message Undeliverable";
    case 131047:
      return "(#131047) Re-engagement message";
    case 131056:
      return "(#131056) (Business Account, Consumer Account) pair rate limit hit";
    case 132001:
      return "(#132001) Template name does not exist in the translation";
    default:
      return "(#1) An unknown error occurred";
    }
}

static char *
error_body (gint        code,
            gint        subcode,
            const char *message,
            const char *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *trace = _rg_fake_random_hex (11);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message != NULL ? message : message_for_code (code));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "OAuthException");
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  if (subcode >= 0)
    {
      json_builder_set_member_name (builder, "error_subcode");
      json_builder_add_int_value (builder, subcode);
    }
  if (details != NULL)
    {
      json_builder_set_member_name (builder, "error_data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "messaging_product");
      json_builder_add_string_value (builder, "whatsapp");
      json_builder_set_member_name (builder, "details");
      json_builder_add_string_value (builder, details);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, trace);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

static void
reply_error (SoupServerMessage *message,
             guint              status,
             gint               code,
             gint               subcode,
             const char        *text,
             const char        *details)
{
  g_autofree char *body = error_body (code, subcode, text, details);

  _rg_fake_reply_json_text (message, status, body);
}

static gboolean
check_auth (SoupServerMessage *message,
            RgFakeRequest     *request)
{
  const char *authorization = rg_fake_request_get_header (request, "Authorization");

  if (g_strcmp0 (authorization, "Bearer " RG_FAKE_WHATSAPP_ACCESS_TOKEN) == 0)
    return TRUE;

  reply_error (message, SOUP_STATUS_UNAUTHORIZED, 190, -1, NULL, NULL);
  return FALSE;
}

static void
handle_phone_number (RgFakeWhatsApp    *self,
                     SoupServerMessage *message,
                     RgFakeRequest     *request)
{
  if (!g_str_equal (request->method, "GET"))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                   "Unsupported post request. Please read the Graph API documentation", NULL);
      return;
    }

  _rg_fake_reply_json_text (message, SOUP_STATUS_OK,
                            "{\"verified_name\":\"" RG_FAKE_WHATSAPP_VERIFIED_NAME "\","
                            "\"code_verification_status\":\"VERIFIED\","
                            "\"display_phone_number\":\"" RG_FAKE_WHATSAPP_DISPLAY_NUMBER "\","
                            "\"quality_rating\":\"GREEN\","
                            "\"id\":\"" RG_FAKE_WHATSAPP_PHONE_NUMBER_ID "\"}");
}

static void
reply_sent (SoupServerMessage *message,
            const char        *to,
            gboolean           is_template)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *random = _rg_fake_random_hex (48);
  g_autofree char *wamid = g_strconcat ("wamid.HBgM", random, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "wa_id");
  json_builder_add_string_value (builder, to);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wamid);
  if (is_template)
    {
      json_builder_set_member_name (builder, "message_status");
      json_builder_add_string_value (builder, "accepted");
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  _rg_fake_reply_json (message, SOUP_STATUS_OK, node);
}

static gboolean
is_number (const char *value)
{
  gsize length = value != NULL ? strlen (value) : 0;

  return length >= 7 && length <= 15 && strspn (value, "0123456789") == length;
}

static void
handle_messages (RgFakeWhatsApp    *self,
                 SoupServerMessage *message,
                 RgFakeRequest     *request)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  JsonObject *part;
  const char *to;
  const char *type;

  if (!g_str_equal (request->method, "POST"))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1, NULL, NULL);
      return;
    }

  root = rg_fake_request_dup_json (request);
  if (!_rg_fake_content_type_is (request, "application/json") ||
      root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                   "(#100) The request body must be a JSON object", NULL);
      return;
    }

  body = json_node_get_object (root);
  if (g_strcmp0 (_rg_fake_json_string (body, "messaging_product"), "whatsapp") != 0)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                   "(#100) The parameter messaging_product is required.", NULL);
      return;
    }

  to = _rg_fake_json_string (body, "to");
  if (!is_number (to))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                   "(#100) Invalid parameter", "to must be a phone number with country code");
      return;
    }

  type = _rg_fake_json_string (body, "type");
  if (g_strcmp0 (type, "text") == 0)
    {
      const char *text;

      part = json_object_has_member (body, "text") ? json_object_get_object_member (body, "text") : NULL;
      text = _rg_fake_json_string (part, "body");
      if (text == NULL || text[0] == '\0' || g_utf8_strlen (text, -1) > MAX_TEXT)
        {
          reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                       "(#100) Invalid parameter", "text.body must have 1 to 4096 characters");
          return;
        }
      if (!g_hash_table_contains (self->open_windows, to))
        {
          reply_error (message, SOUP_STATUS_BAD_REQUEST, 131047, -1, NULL,
                       "Message failed to send because more than 24 hours have passed since the "
                       "customer last replied to this number.");
          return;
        }
      _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), to);
      reply_sent (message, to, FALSE);
    }
  else if (g_strcmp0 (type, "template") == 0)
    {
      g_autofree char *key = NULL;
      const char *name;
      const char *language = NULL;
      JsonObject *language_object;

      part = json_object_has_member (body, "template")
             ? json_object_get_object_member (body, "template") : NULL;
      name = _rg_fake_json_string (part, "name");
      language_object = part != NULL && json_object_has_member (part, "language")
                        ? json_object_get_object_member (part, "language") : NULL;
      language = _rg_fake_json_string (language_object, "code");
      if (name == NULL || language == NULL)
        {
          reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                       "(#100) Invalid parameter", "template.name and template.language.code are required");
          return;
        }

      key = g_strconcat (name, "|", language, NULL);
      if (!g_hash_table_contains (self->templates, key))
        {
          g_autofree char *details = g_strdup_printf ("template name (%s) does not exist in %s",
                                                      name, language);

          reply_error (message, SOUP_STATUS_NOT_FOUND, 132001, -1, NULL, details);
          return;
        }
      _rg_fake_platform_count_delivery (RG_FAKE_PLATFORM (self), to);
      reply_sent (message, to, TRUE);
    }
  else
    reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, -1,
                 "(#100) Param type must be one of {text, template, …}", NULL);
}

static void
rg_fake_whatsapp_handle (RgFakePlatform    *platform,
                         SoupServerMessage *message,
                         const char        *path,
                         RgFakeRequest     *request)
{
  RgFakeWhatsApp *self = RG_FAKE_WHATSAPP (platform);
  g_auto(GStrv) parts = NULL;

  /* "/v19.0/{phone-number-id}[/messages]": any Graph API version is accepted. */
  parts = g_strsplit (path, "/", -1);
  if (g_strv_length (parts) < 3 || parts[1][0] != 'v' || !g_ascii_isdigit (parts[1][1]))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 2500, -1,
                   "Unknown path components", NULL);
      return;
    }

  if (!check_auth (message, request))
    return;

  if (!g_str_equal (parts[2], RG_FAKE_WHATSAPP_PHONE_NUMBER_ID))
    {
      g_autofree char *text = g_strdup_printf ("Unsupported get request. Object with ID '%s' does "
                                               "not exist, cannot be loaded due to missing "
                                               "permissions, or does not support this operation.",
                                               parts[2]);

      reply_error (message, SOUP_STATUS_BAD_REQUEST, 100, 33, text, NULL);
      return;
    }

  if (parts[3] == NULL)
    handle_phone_number (self, message, request);
  else if (g_str_equal (parts[3], "messages") && parts[4] == NULL)
    handle_messages (self, message, request);
  else
    reply_error (message, SOUP_STATUS_BAD_REQUEST, 2500, -1, "Unknown path components", NULL);
}

static GBytes *
rg_fake_whatsapp_failure_body (RgFakePlatform  *platform,
                               const char      *path,
                               guint            status,
                               char           **content_type)
{
  g_autofree char *body = NULL;
  gint code;

  switch (status)
    {
    case 400:
      code = 100;
      break;
    case 401:
      code = 190;
      break;
    case 429:
      code = 130429;
      break;
    default:
      code = 131000;
      break;
    }

  *content_type = g_strdup ("application/json");
  body = error_body (code, -1, NULL, NULL);
  return g_bytes_new_take (g_steal_pointer (&body), strlen (body));
}

static void
rg_fake_whatsapp_reset (RgFakePlatform *platform)
{
  RgFakeWhatsApp *self = RG_FAKE_WHATSAPP (platform);

  g_hash_table_remove_all (self->open_windows);
}

static void
rg_fake_whatsapp_finalize (GObject *object)
{
  RgFakeWhatsApp *self = (RgFakeWhatsApp *)object;

  g_clear_pointer (&self->open_windows, g_hash_table_unref);
  g_clear_pointer (&self->templates, g_hash_table_unref);

  G_OBJECT_CLASS (rg_fake_whatsapp_parent_class)->finalize (object);
}

static void
rg_fake_whatsapp_class_init (RgFakeWhatsAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RgFakePlatformClass *platform_class = RG_FAKE_PLATFORM_CLASS (klass);

  object_class->finalize = rg_fake_whatsapp_finalize;

  platform_class->name = "whatsapp";
  platform_class->base_path = "/v19.0";
  platform_class->handle = rg_fake_whatsapp_handle;
  platform_class->failure_body = rg_fake_whatsapp_failure_body;
  platform_class->reset = rg_fake_whatsapp_reset;
}

static void
rg_fake_whatsapp_init (RgFakeWhatsApp *self)
{
  self->open_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->templates,
                    g_strdup (RG_FAKE_WHATSAPP_TEMPLATE "|" RG_FAKE_WHATSAPP_TEMPLATE_LANG));
}

/**
 * rg_fake_whatsapp_new:
 *
 * A fake of the WhatsApp Cloud API: `GET /{phone-number-id}` and `POST
 * /{phone-number-id}/messages` with the 24-hour window and approved templates.
 *
 * Returns: (transfer full): a new fake
 */
RgFakeWhatsApp *
rg_fake_whatsapp_new (void)
{
  return g_object_new (RG_TYPE_FAKE_WHATSAPP, NULL);
}

/**
 * rg_fake_whatsapp_open_window:
 * @self: a fake
 * @wa_id: a WhatsApp number (digits with country code)
 *
 * Opens the 24-hour customer-service window: free-form text to @wa_id is accepted.
 */
void
rg_fake_whatsapp_open_window (RgFakeWhatsApp *self,
                              const char     *wa_id)
{
  g_return_if_fail (RG_IS_FAKE_WHATSAPP (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_add (self->open_windows, g_strdup (wa_id));
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_whatsapp_add_template:
 * @self: a fake
 * @name: a template name
 * @language_code: its language, e.g. "zh_TW"
 *
 * Approves a template ("hello_world" in "en_US" exists from the start).
 */
void
rg_fake_whatsapp_add_template (RgFakeWhatsApp *self,
                               const char     *name,
                               const char     *language_code)
{
  g_return_if_fail (RG_IS_FAKE_WHATSAPP (self));

  _rg_fake_platform_lock (RG_FAKE_PLATFORM (self));
  g_hash_table_add (self->templates, g_strconcat (name, "|", language_code, NULL));
  _rg_fake_platform_unlock (RG_FAKE_PLATFORM (self));
}

/**
 * rg_fake_whatsapp_fail:
 * @self: a fake
 * @path: (nullable): the path to fail (e.g. "/v19.0/109876543210987/messages"), or %NULL for any
 * @count: how many of the next matching requests fail
 * @status: the HTTP status
 * @code: the Graph API error code (130429, 131056, 131047, 131026, 132001, 190…)
 * @retry_after: seconds for a Retry-After header, or -1
 */
void
rg_fake_whatsapp_fail (RgFakeWhatsApp *self,
                       const char     *path,
                       guint           count,
                       guint           status,
                       gint            code,
                       gint            retry_after)
{
  g_autofree char *body = NULL;

  g_return_if_fail (RG_IS_FAKE_WHATSAPP (self));

  body = error_body (code, -1, NULL, NULL);
  rg_fake_platform_fail_with_body (RG_FAKE_PLATFORM (self), path, count, status,
                                   "application/json", body, retry_after);
}
