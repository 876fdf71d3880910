/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-whatsapp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-json-private.h"
#include "rg-http-private.h"
#include "rg-whatsapp-client.h"

/* Graph API error codes the cascade acts on (developers.facebook.com, Cloud API error codes). */
#define CODE_TOO_MANY_CALLS        4
#define CODE_INVALID_PARAMETER     100
#define CODE_ACCESS_TOKEN          190
#define CODE_RATE_LIMIT_ISSUES     80007
#define CODE_THROUGHPUT            130429
#define CODE_UNDELIVERABLE         131026
#define CODE_REENGAGEMENT          131047
#define CODE_PAIR_RATE_LIMIT       131056
#define CODE_TEMPLATE_MISSING      132001
#define SUBCODE_OBJECT_NOT_FOUND   33

struct _RgWhatsAppClient
{
  GObject  parent_instance;

  char    *phone_number_id;
  char    *access_token;
  char    *base_url;
  guint    timeout_ms;
};

enum {
  PROP_0,
  PROP_PHONE_NUMBER_ID,
  PROP_ACCESS_TOKEN,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgWhatsAppClient, rg_whatsapp_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static RgChannelError
code_for_error (guint  status,
                gint64 code,
                gint64 subcode)
{
  switch (code)
    {
    case CODE_THROUGHPUT:
    case CODE_PAIR_RATE_LIMIT:
    case CODE_TOO_MANY_CALLS:
    case CODE_RATE_LIMIT_ISSUES:
      return RG_CHANNEL_ERROR_RATE_LIMITED;
    case CODE_REENGAGEMENT:
      return RG_CHANNEL_ERROR_OUTSIDE_WINDOW;
    case CODE_UNDELIVERABLE:
      return RG_CHANNEL_ERROR_UNDELIVERABLE;
    case CODE_TEMPLATE_MISSING:
      return RG_CHANNEL_ERROR_NOT_FOUND;
    case CODE_ACCESS_TOKEN:
      return RG_CHANNEL_ERROR_AUTH;
    case CODE_INVALID_PARAMETER:
      if (subcode == SUBCODE_OBJECT_NOT_FOUND)
        return RG_CHANNEL_ERROR_NOT_FOUND;
      break;
    default:
      break;
    }

  if (status == RG_HTTP_STATUS_TOO_MANY_REQUESTS)
    return RG_CHANNEL_ERROR_RATE_LIMITED;
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return RG_CHANNEL_ERROR_AUTH;
  if (status == SOUP_STATUS_FORBIDDEN)
    return RG_CHANNEL_ERROR_FORBIDDEN;
  if (status == SOUP_STATUS_NOT_FOUND)
    return RG_CHANNEL_ERROR_NOT_FOUND;
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    return RG_CHANNEL_ERROR_TOO_LARGE;
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return RG_CHANNEL_ERROR_SERVER;
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return RG_CHANNEL_ERROR_INVALID_REQUEST;
  return RG_CHANNEL_ERROR_PROTOCOL;
}

/* {"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}} */
static GError *
error_from_response (GTask                *call,
                     const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *platform_code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *quoted = NULL;
  JsonObject *error_object;
  const char *text;
  const char *details;
  gint64 code = -1;
  gint64 subcode = -1;

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return NULL;

  node = rg_http_response_parse_json (response, NULL);
  error_object = _rg_json_get_object (_rg_json_node_get_object (node), "error");
  text = _rg_json_get_string (error_object, "message");
  details = _rg_json_get_string (_rg_json_get_object (error_object, "error_data"), "details");
  if (!_rg_json_get_int (error_object, "code", &code))
    code = -1;
  if (!_rg_json_get_int (error_object, "error_subcode", &subcode))
    subcode = -1;

  if (code >= 0)
    platform_code = g_strdup_printf ("%" G_GINT64_FORMAT, code);

  if (text == NULL)
    text = quoted = _rg_http_response_quote (response, FALSE);

  if (details != NULL && details[0] != '\0' && g_strcmp0 (details, text) != 0)
    /* Translators: first %s is the platform's code, second its message, third its details */
    message = g_strdup_printf (_("WhatsApp error %s: %s (%s)"),
                               platform_code != NULL ? platform_code : "?", text, details);
  else
    message = g_strdup_printf (_("WhatsApp error %s: %s"),
                               platform_code != NULL ? platform_code : "?", text);

  return _rg_channel_error_new (code_for_error (response->status, code, subcode),
                                response->status, platform_code,
                                _rg_http_response_get_retry_after (response),
                                _rg_json_get_string (error_object, "fbtrace_id"),
                                message);
}

static void
answer_message_id (GTask                *call,
                   const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *messages;
  const char *id = NULL;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  object = _rg_json_node_get_object (node);

  messages = _rg_json_get_array (object, "messages");
  if (messages != NULL && json_array_get_length (messages) > 0)
    id = _rg_json_get_string (_rg_json_node_get_object (json_array_get_element (messages, 0)), "id");

  if (id == NULL)
    {
      g_task_return_error (call, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status,
                                                        NULL, -1, NULL,
                                                        _("WhatsApp answered without a message ID")));
      return;
    }

  g_task_return_pointer (call, g_strdup (id), g_free);
}

static void
answer_phone_number (GTask                *call,
                     const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *number;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  object = _rg_json_node_get_object (node);

  if ((number = _rg_json_get_string (object, "display_phone_number")) == NULL)
    {
      g_task_return_error (call,
                           _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status, NULL,
                                                  -1, NULL,
                                                  _("WhatsApp answered without the phone number")));
      return;
    }

  g_task_set_task_data (call, g_strdup (_rg_json_get_string (object, "verified_name")), g_free);
  g_task_return_pointer (call, g_strdup (number), g_free);
}

/* The one way every public call reaches WhatsApp. @suffix follows "/{phone-number-id}". */
static void
call_api (RgWhatsAppClient *self,
          GTask            *call,
          const char       *method,
          const char       *suffix,
          JsonNode         *body,
          RgHttpAnswerFunc  answer_func)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const char *missing = NULL;

  if (self->access_token == NULL || self->access_token[0] == '\0')
    missing = _("The WhatsApp access token is not set");
  else if (self->phone_number_id == NULL || self->phone_number_id[0] == '\0')
    missing = _("The WhatsApp phone number ID is not set");
  if (missing != NULL)
    {
      g_task_return_error (call, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_CONFIGURATION,
                                                                missing));
      return;
    }

  escaped = rg_http_escape_segment (self->phone_number_id);
  path = g_strconcat ("/", escaped, suffix, NULL);
  if ((message = _rg_http_call_message_new (call, method, self->base_url, path)) == NULL)
    return;

  _rg_http_message_set_bearer (message, self->access_token);
  if (body != NULL)
    rg_http_message_set_json (message, body);

  _rg_http_call_send (call, message, self->timeout_ms, error_from_response, answer_func);
}

/* WhatsApp wants the number with country code and without '+'. */
static char *
normalize_recipient (const char  *to,
                     GError     **error)
{
  const char *digits = to;
  gsize n_digits;

  if (digits != NULL && digits[0] == '+')
    digits++;

  n_digits = digits != NULL ? strlen (digits) : 0;
  if (n_digits < 7 || n_digits > 15 || strspn (digits, "0123456789") != n_digits)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“%s” is not a WhatsApp number (country code and number, "
                                   "such as +886912345678)"),
                                 to != NULL ? to : "");
      g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                               message));
      return NULL;
    }

  return g_strdup (digits);
}

/* Takes @content, the member named after @type ("text", "template"). */
static void
send_message (RgWhatsAppClient *self,
              GTask            *call,
              const char       *recipient,
              const char       *type,
              JsonObject       *content)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "messaging_product", "whatsapp");
  json_object_set_string_member (object, "recipient_type", "individual");
  json_object_set_string_member (object, "to", recipient);
  json_object_set_string_member (object, "type", type);
  json_object_set_object_member (object, type, content);
  json_node_take_object (node, object);

  call_api (self, call, "POST", "/messages", node, answer_message_id);
}

static void
rg_whatsapp_client_finalize (GObject *object)
{
  RgWhatsAppClient *self = (RgWhatsAppClient *)object;

  g_clear_pointer (&self->phone_number_id, g_free);
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (rg_whatsapp_client_parent_class)->finalize (object);
}

static void
rg_whatsapp_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RgWhatsAppClient *self = RG_WHATSAPP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PHONE_NUMBER_ID:
      g_value_set_string (value, self->phone_number_id);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_whatsapp_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RgWhatsAppClient *self = RG_WHATSAPP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PHONE_NUMBER_ID:
      rg_whatsapp_client_set_phone_number_id (self, g_value_get_string (value));
      break;
    case PROP_ACCESS_TOKEN:
      rg_whatsapp_client_set_access_token (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      rg_whatsapp_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      rg_whatsapp_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_whatsapp_client_class_init (RgWhatsAppClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_whatsapp_client_finalize;
  object_class->get_property = rg_whatsapp_client_get_property;
  object_class->set_property = rg_whatsapp_client_set_property;

  properties[PROP_PHONE_NUMBER_ID] =
    g_param_spec_string ("phone-number-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgWhatsAppClient:access-token:
   *
   * The system-user access token. Write-only: the caller reads it from the keyring.
   */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgWhatsAppClient:base-url:
   *
   * The Graph API root including its version; %NULL restores %RG_WHATSAPP_DEFAULT_BASE_URL.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         RG_WHATSAPP_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, RG_HTTP_DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_whatsapp_client_init (RgWhatsAppClient *self)
{
  self->base_url = g_strdup (RG_WHATSAPP_DEFAULT_BASE_URL);
  self->timeout_ms = RG_HTTP_DEFAULT_TIMEOUT_MS;
}

/**
 * rg_whatsapp_client_new:
 * @phone_number_id: (nullable): the business phone number's ID in the Cloud API
 * @access_token: (nullable): the access token (from the keyring)
 *
 * Returns: (transfer full): a new client for the WhatsApp Cloud API
 */
RgWhatsAppClient *
rg_whatsapp_client_new (const char *phone_number_id,
                        const char *access_token)
{
  return g_object_new (RG_TYPE_WHATSAPP_CLIENT,
                       "phone-number-id", phone_number_id,
                       "access-token", access_token,
                       NULL);
}

const char *
rg_whatsapp_client_get_base_url (RgWhatsAppClient *self)
{
  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), NULL);

  return self->base_url;
}

void
rg_whatsapp_client_set_base_url (RgWhatsAppClient *self,
                                 const char       *base_url)
{
  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  if (base_url == NULL || base_url[0] == '\0')
    base_url = RG_WHATSAPP_DEFAULT_BASE_URL;

  if (g_strcmp0 (self->base_url, base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_strdup (base_url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
}

guint
rg_whatsapp_client_get_timeout (RgWhatsAppClient *self)
{
  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), 0);

  return self->timeout_ms;
}

/**
 * rg_whatsapp_client_set_timeout:
 * @self: a client
 * @timeout_ms: the deadline of each request in milliseconds
 */
void
rg_whatsapp_client_set_timeout (RgWhatsAppClient *self,
                                guint             timeout_ms)
{
  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

const char *
rg_whatsapp_client_get_phone_number_id (RgWhatsAppClient *self)
{
  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), NULL);

  return self->phone_number_id;
}

void
rg_whatsapp_client_set_phone_number_id (RgWhatsAppClient *self,
                                        const char       *phone_number_id)
{
  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  if (g_strcmp0 (self->phone_number_id, phone_number_id) != 0)
    {
      g_free (self->phone_number_id);
      self->phone_number_id = g_strdup (phone_number_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_NUMBER_ID]);
    }
}

void
rg_whatsapp_client_set_access_token (RgWhatsAppClient *self,
                                     const char       *access_token)
{
  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  if (g_strcmp0 (self->access_token, access_token) != 0)
    {
      g_free (self->access_token);
      self->access_token = g_strdup (access_token);
    }
}

/**
 * rg_whatsapp_client_send_text_async:
 * @self: a client
 * @to: the recipient with country code, e.g. "+886912345678" or "886912345678"
 * @body: the text, 1 to %RG_WHATSAPP_MAX_TEXT_LENGTH characters
 * @preview_url: %TRUE to let WhatsApp show a preview of the first link
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WhatsApp has answered
 * @user_data: data for @callback
 *
 * Sends a free-form text (`POST /{phone-number-id}/messages`). Outside the 24-hour
 * customer-service window this fails with %RG_CHANNEL_ERROR_OUTSIDE_WINDOW; send a template then.
 */
void
rg_whatsapp_client_send_text_async (RgWhatsAppClient    *self,
                                    const char          *to,
                                    const char          *body,
                                    gboolean             preview_url,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *recipient = NULL;
  JsonObject *text;
  GError *error = NULL;
  glong length;

  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_whatsapp_client_send_text_async);

  if ((recipient = normalize_recipient (to, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  length = body != NULL && g_utf8_validate (body, -1, NULL) ? g_utf8_strlen (body, -1) : 0;
  if (length < 1 || length > RG_WHATSAPP_MAX_TEXT_LENGTH)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("A WhatsApp text needs 1 to %d characters, not %ld"),
                                 RG_WHATSAPP_MAX_TEXT_LENGTH, length);
      g_task_return_error (task, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                                message));
      return;
    }

  text = json_object_new ();
  json_object_set_boolean_member (text, "preview_url", preview_url);
  json_object_set_string_member (text, "body", body);
  send_message (self, task, recipient, "text", text);
}

/**
 * rg_whatsapp_client_send_text_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the message ID ("wamid.…"), or %NULL on error
 */
char *
rg_whatsapp_client_send_text_finish (RgWhatsAppClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_whatsapp_client_send_text_async, error);
}

/**
 * rg_whatsapp_client_send_template_async:
 * @self: a client
 * @to: the recipient with country code
 * @template_name: the name of an approved template
 * @language_code: the template's language, e.g. "zh_TW"
 * @components: (nullable): the template's `components` (body parameters, buttons)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WhatsApp has answered
 * @user_data: data for @callback
 *
 * Sends a template message, allowed at any time. An unknown template or language fails with
 * %RG_CHANNEL_ERROR_NOT_FOUND (132001).
 */
void
rg_whatsapp_client_send_template_async (RgWhatsAppClient    *self,
                                        const char          *to,
                                        const char          *template_name,
                                        const char          *language_code,
                                        JsonArray           *components,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *recipient = NULL;
  JsonObject *template;
  JsonObject *language;
  GError *error = NULL;

  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_whatsapp_client_send_template_async);

  if ((recipient = normalize_recipient (to, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (template_name == NULL || template_name[0] == '\0' ||
      language_code == NULL || language_code[0] == '\0')
    {
      g_task_return_error (task,
                           _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                          _("A WhatsApp template message needs a "
                                                            "template name and a language code")));
      return;
    }

  template = json_object_new ();
  json_object_set_string_member (template, "name", template_name);
  language = json_object_new ();
  json_object_set_string_member (language, "code", language_code);
  json_object_set_object_member (template, "language", language);
  if (components != NULL)
    json_object_set_array_member (template, "components", json_array_ref (components));
  send_message (self, task, recipient, "template", template);
}

/**
 * rg_whatsapp_client_send_template_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the message ID ("wamid.…"), or %NULL on error
 */
char *
rg_whatsapp_client_send_template_finish (RgWhatsAppClient  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_whatsapp_client_send_template_async,
                                          error);
}

/**
 * rg_whatsapp_client_get_phone_number_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WhatsApp has answered
 * @user_data: data for @callback
 *
 * Reads the business phone number (`GET /{phone-number-id}`): the cheap call that proves the
 * phone number ID and the token belong together.
 */
void
rg_whatsapp_client_get_phone_number_async (RgWhatsAppClient    *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RG_IS_WHATSAPP_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_whatsapp_client_get_phone_number_async);
  call_api (self, task, "GET", "", NULL, answer_phone_number);
}

/**
 * rg_whatsapp_client_get_phone_number_finish:
 * @self: a client
 * @result: the result given to the callback
 * @verified_name: (out) (optional) (nullable) (transfer full): the business's verified name
 * @error: return location for an error
 *
 * Returns: (transfer full): the display phone number, e.g. "+886 2 2345 6789", or %NULL on error
 */
char *
rg_whatsapp_client_get_phone_number_finish (RgWhatsAppClient  *self,
                                            GAsyncResult      *result,
                                            char             **verified_name,
                                            GError           **error)
{
  char *number;

  g_return_val_if_fail (RG_IS_WHATSAPP_CLIENT (self), NULL);

  number = _rg_http_call_propagate_pointer (self, result, rg_whatsapp_client_get_phone_number_async,
                                            error);
  if (verified_name != NULL)
    *verified_name = number != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;
  return number;
}
