/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-sms-client"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-json-private.h"
#include "rg-http-private.h"
#include "rg-sms-client.h"

/* Twilio error codes (twilio.com/docs/api/errors). */
#define TWILIO_AUTHENTICATE        20003
#define TWILIO_NOT_FOUND           20404
#define TWILIO_TOO_MANY_REQUESTS   20429
#define TWILIO_INVALID_TO          21211
#define TWILIO_NO_PERMISSION_TO    21408
#define TWILIO_UNSUBSCRIBED        21610
#define TWILIO_CANNOT_ROUTE        21612
#define TWILIO_NOT_MOBILE          21614

struct _RgSmsClient
{
  GObject        parent_instance;

  RgSmsProvider  provider;
  char          *account;
  char          *password;
  char          *sender;
  char          *base_url;
  char          *callback_url;
  guint          timeout_ms;
};

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_ACCOUNT,
  PROP_PASSWORD,
  PROP_SENDER,
  PROP_BASE_URL,
  PROP_CALLBACK_URL,
  PROP_TIMEOUT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgSmsClient, rg_sms_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (RgSmsProvider, rg_sms_provider,
                    G_DEFINE_ENUM_VALUE (RG_SMS_PROVIDER_MITAKE, "mitake"),
                    G_DEFINE_ENUM_VALUE (RG_SMS_PROVIDER_TWILIO, "twilio"))

static GParamSpec *properties[N_PROPS];

/**
 * rg_sms_provider_to_string:
 * @provider: a provider
 *
 * Returns: "mitake" or "twilio"
 */
const char *
rg_sms_provider_to_string (RgSmsProvider provider)
{
  switch (provider)
    {
    case RG_SMS_PROVIDER_MITAKE:
      return "mitake";
    case RG_SMS_PROVIDER_TWILIO:
      return "twilio";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * rg_sms_provider_from_string:
 * @name: "mitake" or "twilio"
 * @provider: (out) (optional): where to store the provider
 *
 * Returns: %TRUE if @name names a provider
 */
gboolean
rg_sms_provider_from_string (const char    *name,
                             RgSmsProvider *provider)
{
  RgSmsProvider value;

  if (g_strcmp0 (name, "mitake") == 0)
    value = RG_SMS_PROVIDER_MITAKE;
  else if (g_strcmp0 (name, "twilio") == 0)
    value = RG_SMS_PROVIDER_TWILIO;
  else
    return FALSE;

  if (provider != NULL)
    *provider = value;
  return TRUE;
}

static const char *
default_base_url (RgSmsProvider provider)
{
  return provider == RG_SMS_PROVIDER_TWILIO ? RG_SMS_TWILIO_DEFAULT_BASE_URL
                                            : RG_SMS_MITAKE_DEFAULT_BASE_URL;
}

static RgChannelError
code_for_status (guint status)
{
  if (status == RG_HTTP_STATUS_TOO_MANY_REQUESTS)
    return RG_CHANNEL_ERROR_RATE_LIMITED;
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return RG_CHANNEL_ERROR_AUTH;
  if (status == SOUP_STATUS_FORBIDDEN)
    return RG_CHANNEL_ERROR_FORBIDDEN;
  if (status == SOUP_STATUS_NOT_FOUND)
    return RG_CHANNEL_ERROR_NOT_FOUND;
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return RG_CHANNEL_ERROR_SERVER;
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return RG_CHANNEL_ERROR_INVALID_REQUEST;
  return RG_CHANNEL_ERROR_PROTOCOL;
}

/*
 * Mitake (unverified shapes, see PROTOCOLS.md): text/plain "key=value" lines, possibly under a
 * "[1]" section header per message.
 */
static GHashTable *
mitake_parse (const RgHttpResponse *response)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = rg_http_response_dup_text (response);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *equals;

      if (line[0] == '\0' || line[0] == '[' || (equals = strchr (line, '=')) == NULL)
        continue;

      *equals = '\0';
      if (!g_hash_table_contains (values, line))
        g_hash_table_insert (values, g_strdup (line), g_strdup (equals + 1));
    }

  return g_steal_pointer (&values);
}

static gboolean
mitake_status_accepted (const char *statuscode)
{
  return g_strcmp0 (statuscode, "0") == 0 || g_strcmp0 (statuscode, "1") == 0 ||
         g_strcmp0 (statuscode, "2") == 0 || g_strcmp0 (statuscode, "4") == 0;
}

/* The one mapping of Mitake status codes; only "e" (account or password wrong) is known. */
static RgChannelError
mitake_code_for_statuscode (const char *statuscode)
{
  if (g_strcmp0 (statuscode, "e") == 0)
    return RG_CHANNEL_ERROR_AUTH;
  return RG_CHANNEL_ERROR_INVALID_REQUEST;
}

static GError *
mitake_error (const RgHttpResponse *response,
              GHashTable           *values)
{
  g_autofree char *message = NULL;
  g_autofree char *quoted = NULL;
  const char *statuscode = g_hash_table_lookup (values, "statuscode");
  const char *text = g_hash_table_lookup (values, "Error");

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      quoted = _rg_http_response_quote (response, FALSE);
      message = g_strdup_printf (_("Mitake answered HTTP %u: %s"), response->status, quoted);
      return _rg_channel_error_new (code_for_status (response->status), response->status,
                                    statuscode, _rg_http_response_get_retry_after (response),
                                    NULL, message);
    }

  if (statuscode == NULL)
    {
      quoted = _rg_http_response_quote (response, FALSE);
      message = g_strdup_printf (_("Mitake answered without a statuscode: %s"), quoted);
      return _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status, NULL, -1, NULL,
                                    message);
    }

  /* Translators: first %s is Mitake's status code, second its Error= text */
  message = g_strdup_printf (_("Mitake error “%s”: %s"), statuscode,
                             text != NULL ? text : _("no message"));
  return _rg_channel_error_new (mitake_code_for_statuscode (statuscode), response->status,
                                statuscode, -1, NULL, message);
}

static RgChannelError
twilio_code_for_error (guint  status,
                       gint64 code)
{
  switch (code)
    {
    case TWILIO_AUTHENTICATE:
      return RG_CHANNEL_ERROR_AUTH;
    case TWILIO_NOT_FOUND:
      return RG_CHANNEL_ERROR_NOT_FOUND;
    case TWILIO_TOO_MANY_REQUESTS:
      return RG_CHANNEL_ERROR_RATE_LIMITED;
    case TWILIO_INVALID_TO:
    case TWILIO_NO_PERMISSION_TO:
    case TWILIO_UNSUBSCRIBED:
    case TWILIO_CANNOT_ROUTE:
    case TWILIO_NOT_MOBILE:
      return RG_CHANNEL_ERROR_UNDELIVERABLE;
    default:
      return code_for_status (status);
    }
}

/* {"code":21211,"message":"…","more_info":"…","status":400} */
static GError *
twilio_error (GTask                *call,
              const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *platform_code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *quoted = NULL;
  JsonObject *object;
  const char *text;
  gint64 code = -1;

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return NULL;

  node = rg_http_response_parse_json (response, NULL);
  object = _rg_json_node_get_object (node);
  text = _rg_json_get_string (object, "message");
  if (!_rg_json_get_int (object, "code", &code))
    code = -1;
  if (text == NULL)
    text = quoted = _rg_http_response_quote (response, FALSE);

  if (code >= 0)
    {
      platform_code = g_strdup_printf ("%" G_GINT64_FORMAT, code);
      /* Translators: first %s is Twilio's error code, second its message */
      message = g_strdup_printf (_("Twilio error %s: %s"), platform_code, text);
    }
  else
    message = g_strdup_printf (_("Twilio answered HTTP %u: %s"), response->status, text);

  return _rg_channel_error_new (twilio_code_for_error (response->status, code), response->status,
                                platform_code, _rg_http_response_get_retry_after (response),
                                soup_message_headers_get_one (response->headers,
                                                              "Twilio-Request-Id"),
                                message);
}

static void
mitake_answer_send (GTask                *call,
                    const RgHttpResponse *response)
{
  g_autoptr(GHashTable) values = mitake_parse (response);
  const char *msgid = g_hash_table_lookup (values, "msgid");

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status) ||
      !mitake_status_accepted (g_hash_table_lookup (values, "statuscode")))
    {
      g_task_return_error (call, mitake_error (response, values));
      return;
    }
  if (msgid == NULL || msgid[0] == '\0')
    {
      g_task_return_error (call, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL,
                                                        response->status, NULL, -1, NULL,
                                                        _("Mitake accepted the message but "
                                                          "sent no msgid")));
      return;
    }
  g_task_return_pointer (call, g_strdup (msgid), g_free);
}

static void
mitake_answer_balance (GTask                *call,
                       const RgHttpResponse *response)
{
  RgSmsClient *self = g_task_get_source_object (call);
  g_autoptr(GHashTable) values = mitake_parse (response);
  const char *statuscode = g_hash_table_lookup (values, "statuscode");
  const char *points = g_hash_table_lookup (values, "AccountPoint");

  /* A balance query answers AccountPoint alone; an error comes as statuscode + Error. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status) || points == NULL ||
      (statuscode != NULL && !mitake_status_accepted (statuscode)))
    {
      g_task_return_error (call, mitake_error (response, values));
      return;
    }

  /* Translators: first %s is the Mitake user name, second the remaining points */
  g_task_return_pointer (call, g_strdup_printf (_("Mitake account “%s”: %s points left"),
                                                self->account, points),
                         g_free);
}

static void
twilio_answer_send (GTask                *call,
                    const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  const char *sid;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  if ((sid = _rg_json_get_string (_rg_json_node_get_object (node), "sid")) == NULL)
    {
      g_task_return_error (call, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL,
                                                        response->status, NULL, -1, NULL,
                                                        _("Twilio accepted the message but "
                                                          "sent no sid")));
      return;
    }
  g_task_return_pointer (call, g_strdup (sid), g_free);
}

static void
twilio_answer_account (GTask                *call,
                       const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *name;
  const char *status;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  object = _rg_json_node_get_object (node);
  name = _rg_json_get_string (object, "friendly_name");
  status = _rg_json_get_string (object, "status");
  /* Translators: first %s is the Twilio account's name, second its status such as “active” */
  g_task_return_pointer (call, g_strdup_printf (_("Twilio account “%s” (%s)"),
                                                name != NULL ? name : "?",
                                                status != NULL ? status : "?"),
                         g_free);
}

static gboolean
check_configuration (RgSmsClient  *self,
                     GError      **error)
{
  const char *message = NULL;

  if (self->account == NULL || self->account[0] == '\0')
    message = self->provider == RG_SMS_PROVIDER_TWILIO ? _("The Twilio Account SID is not set")
                                                       : _("The Mitake account is not set");
  else if (self->password == NULL || self->password[0] == '\0')
    message = self->provider == RG_SMS_PROVIDER_TWILIO ? _("The Twilio Auth Token is not set")
                                                       : _("The Mitake password is not set");

  if (message == NULL)
    return TRUE;

  g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_CONFIGURATION,
                                                           message));
  return FALSE;
}

/* The one way every public call reaches the gateway; @form is sent when not %NULL. */
static void
call_api (RgSmsClient      *self,
          GTask            *call,
          const char       *method,
          const char       *path,
          const char       *form,
          RgHttpAnswerFunc  answer_func)
{
  g_autoptr(SoupMessage) message = NULL;
  RgHttpErrorFunc error_func = NULL;

  message = _rg_http_call_message_new (call, method, rg_sms_client_get_base_url (self), path);
  if (message == NULL)
    return;

  /* Mitake reports errors in its text body, which each answer function reads itself. */
  if (self->provider == RG_SMS_PROVIDER_TWILIO)
    {
      g_autofree char *credentials = g_strconcat (self->account, ":", self->password, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
      g_autofree char *authorization = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    authorization);
      error_func = twilio_error;
    }

  if (form != NULL)
    rg_http_message_set_form (message, form);

  _rg_http_call_send (call, message, self->timeout_ms, error_func, answer_func);
}

static char *
twilio_account_path (RgSmsClient *self,
                     const char  *suffix)
{
  g_autofree char *sid = rg_http_escape_segment (self->account);

  return g_strconcat ("/2010-04-01/Accounts/", sid, suffix, NULL);
}

/* Mitake's dstaddr is the local number for Taiwan (09…); other numbers stay in E.164. */
static char *
mitake_destination (const char *e164)
{
  if (g_str_has_prefix (e164, "+886"))
    return g_strconcat ("0", e164 + strlen ("+886"), NULL);
  return g_strdup (e164);
}

static void
rg_sms_client_finalize (GObject *object)
{
  RgSmsClient *self = (RgSmsClient *)object;

  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->sender, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->callback_url, g_free);

  G_OBJECT_CLASS (rg_sms_client_parent_class)->finalize (object);
}

static void
rg_sms_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RgSmsClient *self = RG_SMS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_enum (value, self->provider);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_SENDER:
      g_value_set_string (value, self->sender);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, rg_sms_client_get_base_url (self));
      break;
    case PROP_CALLBACK_URL:
      g_value_set_string (value, self->callback_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (RgSmsClient *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      if (prop_id != PROP_PASSWORD)
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
rg_sms_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RgSmsClient *self = RG_SMS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_get_enum (value);
      break;
    case PROP_ACCOUNT:
      set_string (self, &self->account, g_value_get_string (value), prop_id);
      break;
    case PROP_PASSWORD:
      set_string (self, &self->password, g_value_get_string (value), prop_id);
      break;
    case PROP_SENDER:
      set_string (self, &self->sender, g_value_get_string (value), prop_id);
      break;
    case PROP_BASE_URL:
      rg_sms_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_CALLBACK_URL:
      rg_sms_client_set_callback_url (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      rg_sms_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_sms_client_class_init (RgSmsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_sms_client_finalize;
  object_class->get_property = rg_sms_client_get_property;
  object_class->set_property = rg_sms_client_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_enum ("provider", NULL, NULL,
                       RG_TYPE_SMS_PROVIDER, RG_SMS_PROVIDER_MITAKE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgSmsClient:password:
   *
   * The Mitake password or the Twilio Auth Token. Write-only: the caller reads it from the
   * keyring.
   */
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SENDER] =
    g_param_spec_string ("sender", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgSmsClient:base-url:
   *
   * The gateway's root; %NULL means the provider's default.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgSmsClient:callback-url:
   *
   * Where the gateway reports delivery (Mitake `response`, Twilio `StatusCallback`), or %NULL.
   */
  properties[PROP_CALLBACK_URL] =
    g_param_spec_string ("callback-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, RG_HTTP_DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_sms_client_init (RgSmsClient *self)
{
  self->timeout_ms = RG_HTTP_DEFAULT_TIMEOUT_MS;
}

/**
 * rg_sms_client_new:
 * @provider: the gateway
 * @account: (nullable): the Mitake user name or the Twilio Account SID
 * @password: (nullable): the Mitake password or the Twilio Auth Token (from the keyring)
 * @sender: (nullable): the Twilio From number (unused by Mitake)
 *
 * Returns: (transfer full): a new SMS client
 */
RgSmsClient *
rg_sms_client_new (RgSmsProvider  provider,
                   const char    *account,
                   const char    *password,
                   const char    *sender)
{
  return g_object_new (RG_TYPE_SMS_CLIENT,
                       "provider", provider,
                       "account", account,
                       "password", password,
                       "sender", sender,
                       NULL);
}

RgSmsProvider
rg_sms_client_get_provider (RgSmsClient *self)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), RG_SMS_PROVIDER_MITAKE);

  return self->provider;
}

/**
 * rg_sms_client_get_base_url:
 * @self: a client
 *
 * Returns: the base URL in use: the one set, or the provider's default
 */
const char *
rg_sms_client_get_base_url (RgSmsClient *self)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), NULL);

  return self->base_url != NULL ? self->base_url : default_base_url (self->provider);
}

void
rg_sms_client_set_base_url (RgSmsClient *self,
                            const char  *base_url)
{
  g_return_if_fail (RG_IS_SMS_CLIENT (self));

  if (base_url != NULL && base_url[0] == '\0')
    base_url = NULL;
  set_string (self, &self->base_url, base_url, PROP_BASE_URL);
}

guint
rg_sms_client_get_timeout (RgSmsClient *self)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), 0);

  return self->timeout_ms;
}

/**
 * rg_sms_client_set_timeout:
 * @self: a client
 * @timeout_ms: the deadline of each request in milliseconds
 */
void
rg_sms_client_set_timeout (RgSmsClient *self,
                           guint        timeout_ms)
{
  g_return_if_fail (RG_IS_SMS_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

const char *
rg_sms_client_get_callback_url (RgSmsClient *self)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), NULL);

  return self->callback_url;
}

void
rg_sms_client_set_callback_url (RgSmsClient *self,
                                const char  *callback_url)
{
  g_return_if_fail (RG_IS_SMS_CLIENT (self));

  if (callback_url != NULL && callback_url[0] == '\0')
    callback_url = NULL;
  set_string (self, &self->callback_url, callback_url, PROP_CALLBACK_URL);
}

/**
 * rg_sms_client_send_async:
 * @self: a client
 * @to_e164: the recipient in E.164 form, e.g. "+886912345678"
 * @body: the text (split into parts by the gateway)
 * @client_ref: (nullable): our dedupe key, kept with the outgoing step before the first attempt;
 *   Mitake's `clientid` makes a retry with the same key harmless. Twilio has no such key and
 *   ignores it.
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the gateway has answered
 * @user_data: data for @callback
 *
 * Sends one SMS: Mitake `POST /api/mtk/SmSend?CharsetURL=UTF-8` or Twilio
 * `POST /2010-04-01/Accounts/{Sid}/Messages.json`.
 */
void
rg_sms_client_send_async (RgSmsClient         *self,
                          const char          *to_e164,
                          const char          *body,
                          const char          *client_ref,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *destination = NULL;
  RgHttpAnswerFunc answer_func;
  GError *error = NULL;
  gsize n_digits;

  g_return_if_fail (RG_IS_SMS_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data, rg_sms_client_send_async);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  n_digits = to_e164 != NULL && to_e164[0] == '+' ? strlen (to_e164 + 1) : 0;
  if (n_digits < 7 || n_digits > 15 || strspn (to_e164 + 1, "0123456789") != n_digits)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“%s” is not a phone number in international form (E.164, "
                                   "such as +886912345678)"),
                                 to_e164 != NULL ? to_e164 : "");
      g_task_return_error (task, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                                message));
      return;
    }

  if (body == NULL || body[0] == '\0' || !g_utf8_validate (body, -1, NULL))
    {
      g_task_return_error (task, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                                _("The SMS text is empty")));
      return;
    }

  if (self->provider == RG_SMS_PROVIDER_TWILIO)
    {
      if (self->sender == NULL || self->sender[0] == '\0')
        {
          g_task_return_error (task,
                               _rg_channel_error_new_literal (RG_CHANNEL_ERROR_CONFIGURATION,
                                                              _("The Twilio sender (From number) "
                                                                "is not set")));
          return;
        }
      rg_http_form_add (form, "To", to_e164);
      rg_http_form_add (form, "From", self->sender);
      rg_http_form_add (form, "Body", body);
      rg_http_form_add (form, "StatusCallback", self->callback_url);
      path = twilio_account_path (self, "/Messages.json");
      answer_func = twilio_answer_send;
    }
  else
    {
      destination = mitake_destination (to_e164);
      rg_http_form_add (form, "username", self->account);
      rg_http_form_add (form, "password", self->password);
      rg_http_form_add (form, "dstaddr", destination);
      rg_http_form_add (form, "smbody", body);
      rg_http_form_add (form, "clientid", client_ref);
      rg_http_form_add (form, "response", self->callback_url);
      path = g_strdup ("/api/mtk/SmSend?CharsetURL=UTF-8");
      answer_func = mitake_answer_send;
    }

  call_api (self, task, "POST", path, form->str, answer_func);
}

/**
 * rg_sms_client_send_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the gateway's message ID (Mitake msgid, Twilio sid), or %NULL
 */
char *
rg_sms_client_send_finish (RgSmsClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_sms_client_send_async, error);
}

/**
 * rg_sms_client_check_account_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the gateway has answered
 * @user_data: data for @callback
 *
 * Proves the credentials without sending: Mitake's balance (`POST /api/mtk/SmQuery`) or the
 * Twilio account (`GET /2010-04-01/Accounts/{Sid}.json`).
 */
void
rg_sms_client_check_account_async (RgSmsClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) form = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_SMS_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_sms_client_check_account_async);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->provider == RG_SMS_PROVIDER_TWILIO)
    {
      path = twilio_account_path (self, ".json");
      call_api (self, task, "GET", path, NULL, twilio_answer_account);
      return;
    }

  form = g_string_new (NULL);
  rg_http_form_add (form, "username", self->account);
  rg_http_form_add (form, "password", self->password);
  call_api (self, task, "POST", "/api/mtk/SmQuery", form->str, mitake_answer_balance);
}

/**
 * rg_sms_client_check_account_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): a sentence for people, such as “Mitake account “shop”: 292 points
 *   left”, or %NULL on error
 */
char *
rg_sms_client_check_account_finish (RgSmsClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (RG_IS_SMS_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_sms_client_check_account_async, error);
}
