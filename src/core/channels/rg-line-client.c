/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-line-client"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-json-private.h"
#include "rg-http-private.h"
#include "rg-line-client.h"

struct _RgLineClient
{
  GObject  parent_instance;

  char    *access_token;
  char    *base_url;
  guint    timeout_ms;
};

enum {
  PROP_0,
  PROP_ACCESS_TOKEN,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  N_PROPS
};

typedef struct
{
  guint has_retry_key : 1;
  guint already_accepted : 1;
} Call;

G_DEFINE_FINAL_TYPE (RgLineClient, rg_line_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (RgLineBotInfo, rg_line_bot_info, rg_line_bot_info_copy, rg_line_bot_info_free)
G_DEFINE_BOXED_TYPE (RgLineProfile, rg_line_profile, rg_line_profile_copy, rg_line_profile_free)

static GParamSpec *properties[N_PROPS];

RgLineBotInfo *
rg_line_bot_info_copy (const RgLineBotInfo *info)
{
  RgLineBotInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (RgLineBotInfo, 1);
  copy->user_id = g_strdup (info->user_id);
  copy->basic_id = g_strdup (info->basic_id);
  copy->display_name = g_strdup (info->display_name);
  copy->picture_url = g_strdup (info->picture_url);
  copy->chat_mode = g_strdup (info->chat_mode);
  copy->mark_as_read_mode = g_strdup (info->mark_as_read_mode);
  return copy;
}

void
rg_line_bot_info_free (RgLineBotInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->user_id);
  g_free (info->basic_id);
  g_free (info->display_name);
  g_free (info->picture_url);
  g_free (info->chat_mode);
  g_free (info->mark_as_read_mode);
  g_free (info);
}

RgLineProfile *
rg_line_profile_copy (const RgLineProfile *profile)
{
  RgLineProfile *copy;

  g_return_val_if_fail (profile != NULL, NULL);

  copy = g_new0 (RgLineProfile, 1);
  copy->user_id = g_strdup (profile->user_id);
  copy->display_name = g_strdup (profile->display_name);
  copy->picture_url = g_strdup (profile->picture_url);
  copy->status_message = g_strdup (profile->status_message);
  copy->language = g_strdup (profile->language);
  return copy;
}

void
rg_line_profile_free (RgLineProfile *profile)
{
  if (profile == NULL)
    return;

  g_free (profile->user_id);
  g_free (profile->display_name);
  g_free (profile->picture_url);
  g_free (profile->status_message);
  g_free (profile->language);
  g_free (profile);
}

static GError *
protocol_error (const RgHttpResponse *response,
                const char           *what)
{
  g_autofree char *message = NULL;

  /* Translators: %s names what is missing, e.g. “displayName” */
  message = g_strdup_printf (_("LINE answered without %s"), what);
  return _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status, NULL, -1,
                                soup_message_headers_get_one (response->headers,
                                                              "x-line-request-id"),
                                message);
}

static RgChannelError
code_for_status (guint       status,
                 const char *message)
{
  if (status == RG_HTTP_STATUS_TOO_MANY_REQUESTS)
    {
      /* LINE uses 429 for both; only the message tells the monthly quota from the rate limit. */
      if (message != NULL && strstr (message, "monthly limit") != NULL)
        return RG_CHANNEL_ERROR_MONTHLY_LIMIT;
      return RG_CHANNEL_ERROR_RATE_LIMITED;
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return RG_CHANNEL_ERROR_AUTH;
    case SOUP_STATUS_FORBIDDEN:
      return RG_CHANNEL_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND:
      return RG_CHANNEL_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
      return RG_CHANNEL_ERROR_CONFLICT;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return RG_CHANNEL_ERROR_TOO_LARGE;
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return RG_CHANNEL_ERROR_UNDELIVERABLE;
    default:
      break;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return RG_CHANNEL_ERROR_SERVER;
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return RG_CHANNEL_ERROR_INVALID_REQUEST;
  return RG_CHANNEL_ERROR_PROTOCOL;
}

/* LINE's error body: {"message":"…","details":[{"message":"…","property":"…"}]} */
static GError *
error_from_response (GTask                *call,
                     const RgHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *quoted = NULL;
  g_autofree char *message = NULL;
  g_autofree char *platform_code = NULL;
  JsonObject *object;
  Call *data = g_task_get_task_data (call);
  JsonArray *array;
  const char *text;

  /* A 409 to a request carrying our retry key means an earlier attempt was accepted. */
  if (response->status == SOUP_STATUS_CONFLICT && data->has_retry_key)
    {
      data->already_accepted = TRUE;
      return NULL;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return NULL;

  node = rg_http_response_parse_json (response, NULL);
  object = _rg_json_node_get_object (node);
  text = _rg_json_get_string (object, "message");
  if (text == NULL)
    text = quoted = _rg_http_response_quote (response, TRUE);

  array = _rg_json_get_array (object, "details");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *detail = _rg_json_node_get_object (json_array_get_element (array, i));
      const char *property = _rg_json_get_string (detail, "property");
      const char *detail_message = _rg_json_get_string (detail, "message");

      if (detail_message == NULL && property == NULL)
        continue;
      if (details->len > 0)
        g_string_append (details, "; ");
      if (property != NULL && property[0] != '\0')
        g_string_append_printf (details, "%s: ", property);
      g_string_append (details, detail_message != NULL ? detail_message : "?");
    }

  if (details->len > 0)
    /* Translators: %u is the HTTP status, the first %s LINE's message, the second the list of
     * “property: problem” pairs LINE sent */
    message = g_strdup_printf (_("LINE answered %u: %s (%s)"), response->status, text, details->str);
  else
    message = g_strdup_printf (_("LINE answered %u: %s"), response->status, text);

  platform_code = g_strdup_printf ("%u", response->status);

  return _rg_channel_error_new (code_for_status (response->status, text), response->status,
                                platform_code, _rg_http_response_get_retry_after (response),
                                soup_message_headers_get_one (response->headers,
                                                              "x-line-request-id"),
                                message);
}

/* An empty or odd body is still a success: the ids are informative only. */
static void
answer_sent_messages (GTask                *call,
                      const RgHttpResponse *response)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  if (g_bytes_get_size (response->body) > 0)
    node = rg_http_response_parse_json (response, NULL);

  array = _rg_json_get_array (_rg_json_node_get_object (node), "sentMessages");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *id = _rg_json_get_string (_rg_json_node_get_object (json_array_get_element (array, i)),
                                            "id");

      if (id != NULL)
        g_strv_builder_add (builder, id);
    }

  g_task_return_pointer (call, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

static void
answer_accepted (GTask                *call,
                 const RgHttpResponse *response)
{
  g_task_return_boolean (call, TRUE);
}

static void
answer_bot_info (GTask                *call,
                 const RgHttpResponse *response)
{
  g_autoptr(RgLineBotInfo) info = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  object = _rg_json_node_get_object (node);
  info = g_new0 (RgLineBotInfo, 1);
  info->user_id = g_strdup (_rg_json_get_string (object, "userId"));
  info->basic_id = g_strdup (_rg_json_get_string (object, "basicId"));
  info->display_name = g_strdup (_rg_json_get_string (object, "displayName"));
  info->picture_url = g_strdup (_rg_json_get_string (object, "pictureUrl"));
  info->chat_mode = g_strdup (_rg_json_get_string (object, "chatMode"));
  info->mark_as_read_mode = g_strdup (_rg_json_get_string (object, "markAsReadMode"));

  if (info->user_id == NULL || info->basic_id == NULL || info->display_name == NULL)
    {
      g_task_return_error (call, protocol_error (response, "userId, basicId or displayName"));
      return;
    }

  g_task_return_pointer (call, g_steal_pointer (&info), (GDestroyNotify) rg_line_bot_info_free);
}

static void
answer_profile (GTask                *call,
                const RgHttpResponse *response)
{
  g_autoptr(RgLineProfile) profile = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if ((node = _rg_http_call_parse_json (call, response)) == NULL)
    return;

  object = _rg_json_node_get_object (node);
  profile = g_new0 (RgLineProfile, 1);
  profile->user_id = g_strdup (_rg_json_get_string (object, "userId"));
  profile->display_name = g_strdup (_rg_json_get_string (object, "displayName"));
  profile->picture_url = g_strdup (_rg_json_get_string (object, "pictureUrl"));
  profile->status_message = g_strdup (_rg_json_get_string (object, "statusMessage"));
  profile->language = g_strdup (_rg_json_get_string (object, "language"));

  if (profile->user_id == NULL || profile->display_name == NULL)
    {
      g_task_return_error (call, protocol_error (response, "userId or displayName"));
      return;
    }

  g_task_return_pointer (call, g_steal_pointer (&profile), (GDestroyNotify) rg_line_profile_free);
}

static GTask *
call_new (RgLineClient        *self,
          gboolean             has_retry_key,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *call = _rg_http_call_new (self, cancellable, callback, user_data, source_tag);
  Call *data = g_new0 (Call, 1);

  data->has_retry_key = !!has_retry_key;
  g_task_set_task_data (call, data, g_free);
  return call;
}

/* The one way every public call reaches LINE. */
static void
call_api (RgLineClient     *self,
          GTask            *call,
          const char       *method,
          const char       *path,
          JsonNode         *body,
          const char       *retry_key,
          const char       *delivery_tag,
          RgHttpAnswerFunc  answer_func)
{
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  if (self->access_token == NULL || self->access_token[0] == '\0')
    {
      g_task_return_error (call,
                           _rg_channel_error_new_literal (RG_CHANNEL_ERROR_CONFIGURATION,
                                                          _("The LINE channel access token is not set")));
      return;
    }

  if ((message = _rg_http_call_message_new (call, method, self->base_url, path)) == NULL)
    return;

  _rg_http_message_set_bearer (message, self->access_token);
  headers = soup_message_get_request_headers (message);
  if (retry_key != NULL)
    {
      soup_message_headers_replace (headers, "X-Line-Retry-Key", retry_key);
      /* The key makes a resend harmless (LINE answers 409), so libsoup may reuse kept-alive
       * connections for it; without the flag every POST opens a new connection. */
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
    }
  if (delivery_tag != NULL)
    soup_message_headers_replace (headers, "X-Line-Delivery-Tag", delivery_tag);
  if (body != NULL)
    rg_http_message_set_json (message, body);

  _rg_http_call_send (call, message, self->timeout_ms, error_from_response, answer_func);
}

static gboolean
check_retry_key (const char  *retry_key,
                 GError     **error)
{
  g_autofree char *message = NULL;

  if (retry_key == NULL || g_uuid_string_is_valid (retry_key))
    return TRUE;

  message = g_strdup_printf (_("The LINE retry key “%s” is not a UUID"), retry_key);
  g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                           message));
  return FALSE;
}

static gboolean
check_present (const char  *value,
               const char  *message,
               GError     **error)
{
  if (value != NULL && value[0] != '\0')
    return TRUE;

  g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                           message));
  return FALSE;
}

static JsonNode *
messages_body (const char *to_member,
               const char *to,
               JsonArray  *messages,
               gboolean    notification_disabled)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (to_member != NULL)
    json_object_set_string_member (object, to_member, to);
  json_object_set_array_member (object, "messages", json_array_ref (messages));
  json_object_set_boolean_member (object, "notificationDisabled", notification_disabled);
  json_node_take_object (node, object);
  return node;
}

static void
rg_line_client_finalize (GObject *object)
{
  RgLineClient *self = (RgLineClient *)object;

  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (rg_line_client_parent_class)->finalize (object);
}

static void
rg_line_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgLineClient *self = RG_LINE_CLIENT (object);

  switch (prop_id)
    {
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
rg_line_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgLineClient *self = RG_LINE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCESS_TOKEN:
      rg_line_client_set_access_token (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      rg_line_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      rg_line_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_line_client_class_init (RgLineClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_line_client_finalize;
  object_class->get_property = rg_line_client_get_property;
  object_class->set_property = rg_line_client_set_property;

  /**
   * RgLineClient:access-token:
   *
   * The channel access token. Write-only: the caller reads it from the keyring.
   */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgLineClient:base-url:
   *
   * Where the Messaging API lives; %RG_LINE_DEFAULT_BASE_URL unless tests or a proxy say
   * otherwise. Setting %NULL restores the default.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         RG_LINE_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgLineClient:timeout:
   *
   * The deadline of each request in milliseconds.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, RG_HTTP_DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_line_client_init (RgLineClient *self)
{
  self->base_url = g_strdup (RG_LINE_DEFAULT_BASE_URL);
  self->timeout_ms = RG_HTTP_DEFAULT_TIMEOUT_MS;
}

/**
 * rg_line_client_new:
 * @access_token: (nullable): the channel access token (from the keyring; the client never reads
 *   secrets itself)
 *
 * Returns: (transfer full): a new client for the LINE Messaging API
 */
RgLineClient *
rg_line_client_new (const char *access_token)
{
  return g_object_new (RG_TYPE_LINE_CLIENT,
                       "access-token", access_token,
                       NULL);
}

const char *
rg_line_client_get_base_url (RgLineClient *self)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), NULL);

  return self->base_url;
}

void
rg_line_client_set_base_url (RgLineClient *self,
                             const char   *base_url)
{
  g_return_if_fail (RG_IS_LINE_CLIENT (self));

  if (base_url == NULL || base_url[0] == '\0')
    base_url = RG_LINE_DEFAULT_BASE_URL;

  if (g_strcmp0 (self->base_url, base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_strdup (base_url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
}

guint
rg_line_client_get_timeout (RgLineClient *self)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), 0);

  return self->timeout_ms;
}

void
rg_line_client_set_timeout (RgLineClient *self,
                            guint         timeout_ms)
{
  g_return_if_fail (RG_IS_LINE_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

/**
 * rg_line_client_set_access_token:
 * @self: a client
 * @access_token: (nullable): the new channel access token
 *
 * Replaces the token for the next requests (requests under way keep the old one).
 */
void
rg_line_client_set_access_token (RgLineClient *self,
                                 const char   *access_token)
{
  g_return_if_fail (RG_IS_LINE_CLIENT (self));

  if (g_strcmp0 (self->access_token, access_token) != 0)
    {
      g_free (self->access_token);
      self->access_token = g_strdup (access_token);
    }
}

/**
 * rg_line_client_push_async:
 * @self: a client
 * @to: a user, group or room ID
 * @messages: 1 to %RG_LINE_MAX_MESSAGES message objects (see rg-line-message.h)
 * @retry_key: (nullable): a UUID kept with the outgoing step and sent unchanged on every attempt
 *   (`X-Line-Retry-Key`), so a retry after an unknown outcome cannot send twice
 * @notification_disabled: %TRUE to deliver silently
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Sends a push message (`POST /v2/bot/message/push`). The messages are checked before sending.
 */
void
rg_line_client_push_async (RgLineClient        *self,
                           const char          *to,
                           JsonArray           *messages,
                           const char          *retry_key,
                           gboolean             notification_disabled,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));
  g_return_if_fail (messages != NULL);

  task = call_new (self, retry_key != NULL, cancellable, callback, user_data,
                   rg_line_client_push_async);

  if (!check_present (to, _("A LINE push message needs a recipient (“to”)"), &error) ||
      !rg_line_messages_validate (messages, &error) ||
      !check_retry_key (retry_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = messages_body ("to", to, messages, notification_disabled);
  call_api (self, task, "POST", "/v2/bot/message/push", body, retry_key, NULL,
            answer_sent_messages);
}

/**
 * rg_line_client_push_finish:
 * @self: a client
 * @result: the result given to the callback
 * @already_accepted: (out) (optional): set to %TRUE when LINE answered 409 to our retry key,
 *   i.e. an earlier attempt was sent; that is a success
 * @error: return location for an error
 *
 * Returns: (transfer full): the IDs of the sent messages (possibly empty), or %NULL on error
 */
char **
rg_line_client_push_finish (RgLineClient  *self,
                            GAsyncResult  *result,
                            gboolean      *already_accepted,
                            GError       **error)
{
  char **ids;

  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), NULL);

  ids = _rg_http_call_propagate_pointer (self, result, rg_line_client_push_async, error);
  if (already_accepted != NULL)
    *already_accepted = ids != NULL && ((Call *) g_task_get_task_data (G_TASK (result)))->already_accepted;
  return ids;
}

/**
 * rg_line_client_reply_async:
 * @self: a client
 * @reply_token: the token of a webhook event (valid once, for a short time)
 * @messages: 1 to %RG_LINE_MAX_MESSAGES message objects
 * @notification_disabled: %TRUE to deliver silently
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Sends a reply message (`POST /v2/bot/message/reply`); free of charge, no retry key.
 */
void
rg_line_client_reply_async (RgLineClient        *self,
                            const char          *reply_token,
                            JsonArray           *messages,
                            gboolean             notification_disabled,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));
  g_return_if_fail (messages != NULL);

  task = call_new (self, FALSE, cancellable, callback, user_data, rg_line_client_reply_async);

  if (!check_present (reply_token, _("A LINE reply needs the reply token of an event"), &error) ||
      !rg_line_messages_validate (messages, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = messages_body ("replyToken", reply_token, messages, notification_disabled);
  call_api (self, task, "POST", "/v2/bot/message/reply", body, NULL, NULL, answer_sent_messages);
}

/**
 * rg_line_client_reply_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the IDs of the sent messages (possibly empty), or %NULL on error
 */
char **
rg_line_client_reply_finish (RgLineClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_line_client_reply_async, error);
}

/**
 * rg_line_client_multicast_async:
 * @self: a client
 * @to: 1 to %RG_LINE_MAX_MULTICAST user IDs
 * @messages: 1 to %RG_LINE_MAX_MESSAGES message objects
 * @retry_key: (nullable): a UUID sent unchanged on every attempt
 * @notification_disabled: %TRUE to deliver silently
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Sends the same messages to several users (`POST /v2/bot/message/multicast`). The number of
 * recipients and the messages are checked before sending.
 */
void
rg_line_client_multicast_async (RgLineClient        *self,
                                const char * const  *to,
                                JsonArray           *messages,
                                const char          *retry_key,
                                gboolean             notification_disabled,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonArray *recipients;
  GError *error = NULL;
  guint n_to;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));
  g_return_if_fail (messages != NULL);

  task = call_new (self, retry_key != NULL, cancellable, callback, user_data,
                   rg_line_client_multicast_async);

  n_to = to != NULL ? g_strv_length ((char **) to) : 0;
  if (n_to < 1 || n_to > RG_LINE_MAX_MULTICAST)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("A LINE multicast goes to 1 to %d users, not %u"),
                                 RG_LINE_MAX_MULTICAST, n_to);
      g_task_return_error (task, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                                message));
      return;
    }

  for (guint i = 0; i < n_to; i++)
    {
      if (to[i][0] == '\0')
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Recipient %u of the LINE multicast is empty"), i + 1);
          g_task_return_error (task, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                                    message));
          return;
        }
    }

  if (!rg_line_messages_validate (messages, &error) ||
      !check_retry_key (retry_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = messages_body (NULL, NULL, messages, notification_disabled);
  recipients = json_array_sized_new (n_to);
  for (guint i = 0; i < n_to; i++)
    json_array_add_string_element (recipients, to[i]);
  json_object_set_array_member (json_node_get_object (body), "to", recipients);

  call_api (self, task, "POST", "/v2/bot/message/multicast", body, retry_key, NULL,
            answer_accepted);
}

/**
 * rg_line_client_multicast_finish:
 * @self: a client
 * @result: the result given to the callback
 * @already_accepted: (out) (optional): set to %TRUE when LINE answered 409 to our retry key
 * @error: return location for an error
 *
 * Returns: %TRUE if LINE accepted the multicast
 */
gboolean
rg_line_client_multicast_finish (RgLineClient  *self,
                                 GAsyncResult  *result,
                                 gboolean      *already_accepted,
                                 GError       **error)
{
  gboolean ret;

  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), FALSE);

  ret = _rg_http_call_propagate_boolean (self, result, rg_line_client_multicast_async, error);
  if (already_accepted != NULL)
    *already_accepted = ret && ((Call *) g_task_get_task_data (G_TASK (result)))->already_accepted;
  return ret;
}

/**
 * rg_line_client_push_by_phone_async:
 * @self: a client
 * @phone_e164: the recipient's phone number in E.164 form; only its SHA-256 is sent
 * @messages: 1 to %RG_LINE_MAX_MESSAGES message objects
 * @delivery_tag: (nullable): 16 to 100 characters that come back in the `delivery` webhook event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Sends a LINE notification message by phone number (`POST /bot/pnp/push`). Success means
 * accepted, not delivered: delivery is reported only by the webhook. There is no retry key, so
 * after an unknown outcome do not resend blindly. A recipient LINE cannot reach fails with
 * %RG_CHANNEL_ERROR_UNDELIVERABLE (HTTP 422).
 */
void
rg_line_client_push_by_phone_async (RgLineClient        *self,
                                    const char          *phone_e164,
                                    JsonArray           *messages,
                                    const char          *delivery_tag,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *hash = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));
  g_return_if_fail (messages != NULL);

  task = call_new (self, FALSE, cancellable, callback, user_data,
                   rg_line_client_push_by_phone_async);

  if ((hash = rg_line_hash_phone_number (phone_e164, &error)) == NULL ||
      !rg_line_messages_validate (messages, &error) ||
      (delivery_tag != NULL && !rg_line_delivery_tag_validate (delivery_tag, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  body = messages_body ("to", hash, messages, FALSE);
  call_api (self, task, "POST", "/bot/pnp/push", body, NULL, delivery_tag, answer_accepted);
}

/**
 * rg_line_client_push_by_phone_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE if LINE accepted the notification message
 */
gboolean
rg_line_client_push_by_phone_finish (RgLineClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), FALSE);

  return _rg_http_call_propagate_boolean (self, result, rg_line_client_push_by_phone_async, error);
}

/**
 * rg_line_client_get_bot_info_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Reads the Official Account's name and basic ID (`GET /v2/bot/info`): the cheap call that
 * proves the access token works.
 */
void
rg_line_client_get_bot_info_async (RgLineClient        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));

  task = call_new (self, FALSE, cancellable, callback, user_data,
                   rg_line_client_get_bot_info_async);
  call_api (self, task, "GET", "/v2/bot/info", NULL, NULL, NULL, answer_bot_info);
}

/**
 * rg_line_client_get_bot_info_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the bot's information, or %NULL on error
 */
RgLineBotInfo *
rg_line_client_get_bot_info_finish (RgLineClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_line_client_get_bot_info_async, error);
}

/**
 * rg_line_client_get_profile_async:
 * @self: a client
 * @user_id: a user ID from a webhook event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when LINE has answered
 * @user_data: data for @callback
 *
 * Reads a user's profile (`GET /v2/bot/profile/{userId}`). A user who is not a friend of the
 * account fails with %RG_CHANNEL_ERROR_NOT_FOUND.
 */
void
rg_line_client_get_profile_async (RgLineClient        *self,
                                  const char          *user_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_LINE_CLIENT (self));

  task = call_new (self, FALSE, cancellable, callback, user_data,
                   rg_line_client_get_profile_async);

  if (!check_present (user_id, _("Reading a LINE profile needs a user ID"), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  escaped = rg_http_escape_segment (user_id);
  path = g_strconcat ("/v2/bot/profile/", escaped, NULL);
  call_api (self, task, "GET", path, NULL, NULL, NULL, answer_profile);
}

/**
 * rg_line_client_get_profile_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the profile, or %NULL on error
 */
RgLineProfile *
rg_line_client_get_profile_finish (RgLineClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (RG_IS_LINE_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_line_client_get_profile_async, error);
}
