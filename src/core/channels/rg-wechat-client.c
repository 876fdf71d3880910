/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-wechat-client"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-json-private.h"
#include "rg-http-private.h"
#include "rg-wechat-client.h"

/* Official Account global return codes (developers.weixin.qq.com). */
#define ERRCODE_BUSY               -1
#define ERRCODE_INVALID_CREDENTIAL 40001
#define ERRCODE_INVALID_APPID      40013
#define ERRCODE_INVALID_TOKEN      40014
#define ERRCODE_INVALID_CODE       40056
#define ERRCODE_INVALID_CARD_ID    40073
#define ERRCODE_INVALID_APPSECRET  40125
#define ERRCODE_IP_NOT_WHITELISTED 40164
#define ERRCODE_TOKEN_MISSING      41001
#define ERRCODE_TOKEN_EXPIRED      42001
#define ERRCODE_API_LIMIT          45009

struct _RgWeChatClient
{
  GObject       parent_instance;

  char         *app_id;
  char         *app_secret;
  char         *base_url;
  guint         timeout_ms;

  char         *token;
  /* Monotonic time after which the cached token is not used any more. */
  gint64        token_deadline;
  /* Tasks waiting for the token being fetched; one fetch serves them all. */
  GPtrArray    *waiters;
  /* Set while a token request is on the wire. */
  GCancellable *fetch_cancellable;
};

enum {
  PROP_0,
  PROP_APP_ID,
  PROP_APP_SECRET,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  N_PROPS
};

typedef struct
{
  GTask   *task;
  GSource *cancel_source;
} Waiter;

/* Answers @call from WeChat's reply (errcode 0). */
typedef void (*AnswerFunc) (GTask      *call,
                            JsonObject *reply);

typedef struct
{
  char       *path;
  JsonObject *body;
  AnswerFunc  answer_func;
  char       *used_token;
  gboolean    retried;
} PostCall;

typedef struct
{
  gint64  result_bonus;
  gint64  result_balance;
  char   *openid;
} UpdateResult;

G_DEFINE_FINAL_TYPE (RgWeChatClient, rg_wechat_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (RgWeChatMemberInfo, rg_wechat_member_info,
                     rg_wechat_member_info_copy, rg_wechat_member_info_free)

static GParamSpec *properties[N_PROPS];

RgWeChatMemberInfo *
rg_wechat_member_info_copy (const RgWeChatMemberInfo *info)
{
  RgWeChatMemberInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->openid = g_strdup (info->openid);
  copy->nickname = g_strdup (info->nickname);
  copy->membership_number = g_strdup (info->membership_number);
  copy->user_card_status = g_strdup (info->user_card_status);
  return copy;
}

void
rg_wechat_member_info_free (RgWeChatMemberInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->openid);
  g_free (info->nickname);
  g_free (info->membership_number);
  g_free (info->user_card_status);
  g_free (info);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
post_call_free (PostCall *call)
{
  g_free (call->path);
  g_clear_pointer (&call->body, json_object_unref);
  g_free (call->used_token);
  g_free (call);
}

static void
update_result_free (UpdateResult *result)
{
  g_free (result->openid);
  g_free (result);
}

static RgChannelError
code_for_errcode (gint64 errcode)
{
  switch (errcode)
    {
    case ERRCODE_BUSY:
      return RG_CHANNEL_ERROR_SERVER;
    case ERRCODE_INVALID_CREDENTIAL:
    case ERRCODE_INVALID_APPID:
    case ERRCODE_INVALID_TOKEN:
    case ERRCODE_INVALID_APPSECRET:
    case ERRCODE_TOKEN_MISSING:
    case ERRCODE_TOKEN_EXPIRED:
      return RG_CHANNEL_ERROR_AUTH;
    case ERRCODE_IP_NOT_WHITELISTED:
      return RG_CHANNEL_ERROR_FORBIDDEN;
    case ERRCODE_INVALID_CODE:
    case ERRCODE_INVALID_CARD_ID:
      return RG_CHANNEL_ERROR_NOT_FOUND;
    case ERRCODE_API_LIMIT:
      return RG_CHANNEL_ERROR_RATE_LIMITED;
    default:
      return RG_CHANNEL_ERROR_INVALID_REQUEST;
    }
}

static gboolean
is_token_errcode (gint64 errcode)
{
  return errcode == ERRCODE_INVALID_CREDENTIAL ||
         errcode == ERRCODE_INVALID_TOKEN ||
         errcode == ERRCODE_TOKEN_EXPIRED;
}

/*
 * WeChat answers errors with HTTP 200 and {"errcode":N,"errmsg":"…"}; 0 (or no errcode) is
 * success. Returns the object, or NULL with @error set and @errcode the platform's code.
 */
static JsonObject *
parse_reply (const RgHttpResponse  *response,
             gint64                *errcode,
             GError               **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  g_autofree char *platform_code = NULL;
  JsonObject *object;
  const char *errmsg;

  *errcode = 0;

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      g_autofree char *quoted = _rg_http_response_quote (response, FALSE);
      RgChannelError code;

      if (response->status == RG_HTTP_STATUS_TOO_MANY_REQUESTS)
        code = RG_CHANNEL_ERROR_RATE_LIMITED;
      else if (SOUP_STATUS_IS_SERVER_ERROR (response->status))
        code = RG_CHANNEL_ERROR_SERVER;
      else if (SOUP_STATUS_IS_CLIENT_ERROR (response->status))
        code = RG_CHANNEL_ERROR_INVALID_REQUEST;
      else
        code = RG_CHANNEL_ERROR_PROTOCOL;

      message = g_strdup_printf (_("WeChat answered HTTP %u: %s"), response->status, quoted);
      g_propagate_error (error,
                         _rg_channel_error_new (code, response->status, NULL,
                                                _rg_http_response_get_retry_after (response),
                                                NULL, message));
      return NULL;
    }

  if ((node = rg_http_response_parse_json (response, error)) == NULL)
    return NULL;

  if ((object = _rg_json_node_get_object (node)) == NULL)
    {
      g_propagate_error (error,
                         _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status, NULL,
                                                -1, NULL, _("WeChat answered with something other "
                                                            "than a JSON object")));
      return NULL;
    }

  if (!_rg_json_get_int (object, "errcode", errcode) || *errcode == 0)
    {
      *errcode = 0;
      return json_object_ref (object);
    }

  errmsg = _rg_json_get_string (object, "errmsg");
  platform_code = g_strdup_printf ("%" G_GINT64_FORMAT, *errcode);
  /* Translators: first %s is WeChat's errcode, second its errmsg */
  message = g_strdup_printf (_("WeChat error %s: %s"), platform_code,
                             errmsg != NULL ? errmsg : _("no message"));
  g_propagate_error (error, _rg_channel_error_new (code_for_errcode (*errcode), response->status,
                                                   platform_code, -1, NULL, message));
  return NULL;
}

static gboolean
token_is_fresh (RgWeChatClient *self)
{
  return self->token != NULL && g_get_monotonic_time () < self->token_deadline;
}

/* Forgets the cached token if it is still @used (or any token when @used is NULL). */
static void
invalidate_token (RgWeChatClient *self,
                  const char     *used)
{
  if (used == NULL || g_strcmp0 (self->token, used) == 0)
    {
      g_clear_pointer (&self->token, g_free);
      self->token_deadline = 0;
    }
}

static gboolean
check_credentials (RgWeChatClient  *self,
                   GError         **error)
{
  const char *message = NULL;

  if (self->app_id == NULL || self->app_id[0] == '\0')
    message = _("The WeChat AppID is not set");
  else if (self->app_secret == NULL || self->app_secret[0] == '\0')
    message = _("The WeChat AppSecret is not set");

  if (message == NULL)
    return TRUE;

  g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_CONFIGURATION,
                                                           message));
  return FALSE;
}

static void start_fetch (RgWeChatClient *self);

static void
answer_waiters (RgWeChatClient *self,
                const GError   *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  /* Answering may start new requests, which must find a fresh list. */
  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (waiter->cancel_source != NULL)
        {
          g_source_destroy (waiter->cancel_source);
          g_clear_pointer (&waiter->cancel_source, g_source_unref);
        }

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_strdup (self->token), g_free);
    }
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RgWeChatClient) self = user_data;
  g_autoptr(RgHttpResponse) response = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;
  gint64 expires_in = 0;
  gint64 errcode;

  g_clear_object (&self->fetch_cancellable);

  response = rg_http_send_finish (result, &error);
  if (response != NULL)
    reply = parse_reply (response, &errcode, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Every waiter left; a newcomer that arrived meanwhile needs a fetch of its own. */
      if (self->waiters->len > 0)
        start_fetch (self);
      return;
    }

  if (reply != NULL)
    {
      token = _rg_json_get_string (reply, "access_token");
      if (token == NULL || !_rg_json_get_int (reply, "expires_in", &expires_in) || expires_in <= 0)
        error = _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, response->status, NULL, -1, NULL,
                                       _("WeChat answered the token request without "
                                         "access_token and expires_in"));
      else
        {
          g_free (self->token);
          self->token = g_strdup (token);
          self->token_deadline = g_get_monotonic_time () +
                                 MAX (0, expires_in - RG_WECHAT_TOKEN_MARGIN_S) * G_TIME_SPAN_SECOND;
        }
    }

  answer_waiters (self, error);
}

static void
start_fetch (RgWeChatClient *self)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *path = NULL;

  g_assert (self->fetch_cancellable == NULL);

  app_id = g_uri_escape_string (self->app_id, NULL, FALSE);
  secret = g_uri_escape_string (self->app_secret, NULL, FALSE);
  path = g_strdup_printf ("/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
                          app_id, secret);

  if ((message = rg_http_message_new ("GET", self->base_url, path, &error)) == NULL)
    {
      answer_waiters (self, error);
      return;
    }

  self->fetch_cancellable = g_cancellable_new ();
  rg_http_send_async (message, self->timeout_ms, self->fetch_cancellable, token_cb,
                      g_object_ref (self));
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(RgWeChatClient) self = g_object_ref (g_task_get_source_object (waiter->task));

  g_task_return_error_if_cancelled (waiter->task);
  g_ptr_array_remove (self->waiters, waiter);

  if (self->waiters->len == 0 && self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);

  return G_SOURCE_REMOVE;
}

static void
post_got_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data);

static void
answer_post (GTask                *call,
             const RgHttpResponse *response)
{
  g_autoptr(JsonObject) reply = NULL;
  RgWeChatClient *self = g_task_get_source_object (call);
  PostCall *data = g_task_get_task_data (call);
  GError *error = NULL;
  gint64 errcode = 0;

  if ((reply = parse_reply (response, &errcode, &error)) == NULL)
    {
      /* The token was revoked or replaced elsewhere: fetch a new one and try once more. */
      if (is_token_errcode (errcode) && !data->retried)
        {
          g_clear_error (&error);
          data->retried = TRUE;
          invalidate_token (self, data->used_token);
          rg_wechat_client_get_access_token_async (self, FALSE, g_task_get_cancellable (call),
                                                   post_got_token_cb, g_object_ref (call));
          return;
        }

      g_task_return_error (call, error);
      return;
    }

  data->answer_func (call, reply);
}

static void
post_got_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) call = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  RgWeChatClient *self = RG_WECHAT_CLIENT (object);
  PostCall *data = g_task_get_task_data (call);
  GError *error = NULL;
  char *token;

  if ((token = rg_wechat_client_get_access_token_finish (self, result, NULL, &error)) == NULL)
    {
      g_task_return_error (call, error);
      return;
    }

  g_free (data->used_token);
  data->used_token = token;

  escaped = g_uri_escape_string (token, NULL, FALSE);
  path = g_strconcat (data->path, strchr (data->path, '?') != NULL ? "&" : "?",
                      "access_token=", escaped, NULL);
  if ((message = _rg_http_call_message_new (call, "POST", self->base_url, path)) == NULL)
    return;

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, data->body);
  rg_http_message_set_json (message, node);

  _rg_http_call_send (call, message, self->timeout_ms, NULL, answer_post);
}

/* The one way every call reaches WeChat: token, `?access_token=`, errcode, one retry. */
static void
call_api (RgWeChatClient *self,
          GTask          *call,
          const char     *path,
          JsonObject     *body,
          AnswerFunc      answer_func)
{
  PostCall *data = g_new0 (PostCall, 1);

  data->path = g_strdup (path);
  data->body = body != NULL ? json_object_ref (body) : json_object_new ();
  data->answer_func = answer_func;
  g_task_set_task_data (call, data, (GDestroyNotify) post_call_free);

  rg_wechat_client_get_access_token_async (self, FALSE, g_task_get_cancellable (call),
                                           post_got_token_cb, g_object_ref (call));
}

static gboolean
check_length (const char  *field,
              const char  *value,
              glong        max_length,
              gboolean     required,
              GError     **error)
{
  g_autofree char *message = NULL;
  glong length;

  if (value == NULL || value[0] == '\0')
    {
      if (!required)
        return TRUE;
      /* Translators: %s is a field name of WeChat's API, such as “brand_name” */
      message = g_strdup_printf (_("WeChat member card: “%s” is required"), field);
      g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                               message));
      return FALSE;
    }

  length = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : G_MAXLONG;
  if (max_length > 0 && length > max_length)
    {
      message = g_strdup_printf (_("WeChat member card: “%s” (“%s”) has %ld characters; WeChat "
                                   "accepts at most %ld"),
                                 field, value, length, max_length);
      g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                               message));
      return FALSE;
    }

  return TRUE;
}

static void
rg_wechat_client_dispose (GObject *object)
{
  RgWeChatClient *self = (RgWeChatClient *)object;

  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);

  G_OBJECT_CLASS (rg_wechat_client_parent_class)->dispose (object);
}

static void
rg_wechat_client_finalize (GObject *object)
{
  RgWeChatClient *self = (RgWeChatClient *)object;

  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->app_secret, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->fetch_cancellable);

  G_OBJECT_CLASS (rg_wechat_client_parent_class)->finalize (object);
}

static void
rg_wechat_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgWeChatClient *self = RG_WECHAT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
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
rg_wechat_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgWeChatClient *self = RG_WECHAT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      rg_wechat_client_set_credentials (self, g_value_get_string (value), self->app_secret);
      break;
    case PROP_APP_SECRET:
      rg_wechat_client_set_credentials (self, self->app_id, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      rg_wechat_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      rg_wechat_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_wechat_client_class_init (RgWeChatClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_wechat_client_dispose;
  object_class->finalize = rg_wechat_client_finalize;
  object_class->get_property = rg_wechat_client_get_property;
  object_class->set_property = rg_wechat_client_set_property;

  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgWeChatClient:app-secret:
   *
   * The AppSecret. Write-only: the caller reads it from the keyring.
   */
  properties[PROP_APP_SECRET] =
    g_param_spec_string ("app-secret", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         RG_WECHAT_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, RG_HTTP_DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_wechat_client_init (RgWeChatClient *self)
{
  self->base_url = g_strdup (RG_WECHAT_DEFAULT_BASE_URL);
  self->timeout_ms = RG_HTTP_DEFAULT_TIMEOUT_MS;
  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
}

/**
 * rg_wechat_client_new:
 * @app_id: (nullable): the Official Account's AppID
 * @app_secret: (nullable): its AppSecret (from the keyring)
 *
 * A client caches the access token, so keep one per account. Use it from one thread.
 *
 * Returns: (transfer full): a new client for the WeChat Official Account API
 */
RgWeChatClient *
rg_wechat_client_new (const char *app_id,
                      const char *app_secret)
{
  return g_object_new (RG_TYPE_WECHAT_CLIENT,
                       "app-id", app_id,
                       "app-secret", app_secret,
                       NULL);
}

const char *
rg_wechat_client_get_base_url (RgWeChatClient *self)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), NULL);

  return self->base_url;
}

void
rg_wechat_client_set_base_url (RgWeChatClient *self,
                               const char     *base_url)
{
  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));

  if (base_url == NULL || base_url[0] == '\0')
    base_url = RG_WECHAT_DEFAULT_BASE_URL;

  if (g_strcmp0 (self->base_url, base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_strdup (base_url);
      invalidate_token (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
}

guint
rg_wechat_client_get_timeout (RgWeChatClient *self)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), 0);

  return self->timeout_ms;
}

/**
 * rg_wechat_client_set_timeout:
 * @self: a client
 * @timeout_ms: the deadline of each request in milliseconds
 */
void
rg_wechat_client_set_timeout (RgWeChatClient *self,
                              guint           timeout_ms)
{
  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

const char *
rg_wechat_client_get_app_id (RgWeChatClient *self)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), NULL);

  return self->app_id;
}

/**
 * rg_wechat_client_set_credentials:
 * @self: a client
 * @app_id: (nullable): the AppID
 * @app_secret: (nullable): the AppSecret
 *
 * Replaces the credentials; a cached token of the old ones is dropped.
 */
void
rg_wechat_client_set_credentials (RgWeChatClient *self,
                                  const char     *app_id,
                                  const char     *app_secret)
{
  gboolean app_id_changed;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));

  app_id_changed = g_strcmp0 (self->app_id, app_id) != 0;
  if (!app_id_changed && g_strcmp0 (self->app_secret, app_secret) == 0)
    return;

  if (app_id != self->app_id)
    {
      char *copy = g_strdup (app_id);

      g_free (self->app_id);
      self->app_id = copy;
    }
  if (app_secret != self->app_secret)
    {
      char *copy = g_strdup (app_secret);

      g_free (self->app_secret);
      self->app_secret = copy;
    }
  invalidate_token (self, NULL);

  if (app_id_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP_ID]);
}

/**
 * rg_wechat_client_get_access_token_async:
 * @self: a client
 * @force_refresh: %TRUE to drop the cached token and ask WeChat for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the token
 * @user_data: data for @callback
 *
 * Gets an access token (`GET /cgi-bin/token`), from the cache while it has more than
 * %RG_WECHAT_TOKEN_MARGIN_S seconds left. Concurrent callers share one request. Every other call
 * of this client gets its token here, so you rarely need this except to test the credentials.
 */
void
rg_wechat_client_get_access_token_async (RgWeChatClient      *self,
                                         gboolean             force_refresh,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Waiter *waiter;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_wechat_client_get_access_token_async);

  if (force_refresh)
    invalidate_token (self, NULL);

  if (token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (self->token), g_free);
      return;
    }

  if (!check_credentials (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), waiter,
                             NULL);
      g_source_set_static_name (waiter->cancel_source, "[rg] wechat token waiter");
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_ptr_array_add (self->waiters, waiter);

  if (self->fetch_cancellable == NULL)
    start_fetch (self);
}

/**
 * rg_wechat_client_get_access_token_finish:
 * @self: a client
 * @result: the result given to the callback
 * @expires_in: (out) (optional): seconds until WeChat expires the token
 * @error: return location for an error
 *
 * Returns: (transfer full): the access token, or %NULL on error
 */
char *
rg_wechat_client_get_access_token_finish (RgWeChatClient  *self,
                                          GAsyncResult    *result,
                                          gint64          *expires_in,
                                          GError         **error)
{
  char *token;

  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), NULL);

  token = _rg_http_call_propagate_pointer (self, result, rg_wechat_client_get_access_token_async,
                                           error);
  if (expires_in != NULL)
    *expires_in = token != NULL && g_strcmp0 (token, self->token) == 0
                  ? MAX (0, (self->token_deadline - g_get_monotonic_time ()) / G_TIME_SPAN_SECOND) +
                    RG_WECHAT_TOKEN_MARGIN_S
                  : 0;
  return token;
}

static const char *
code_type_to_string (RgWeChatCodeType code_type)
{
  switch (code_type)
    {
    case RG_WECHAT_CODE_TYPE_BARCODE:
      return "CODE_TYPE_BARCODE";
    case RG_WECHAT_CODE_TYPE_TEXT:
      return "CODE_TYPE_TEXT";
    case RG_WECHAT_CODE_TYPE_QRCODE:
    default:
      return "CODE_TYPE_QRCODE";
    }
}

static void
answer_done (GTask      *task,
             JsonObject *reply)
{
  g_task_return_boolean (task, TRUE);
}

/* What card/create and card/update share: the fields that may change after creation. */
static JsonObject *
card_base_info (const RgWeChatCardDesign *design)
{
  JsonObject *base_info = json_object_new ();

  json_object_set_string_member (base_info, "logo_url", design->logo_url);
  json_object_set_string_member (base_info, "title", design->title);
  json_object_set_string_member (base_info, "color", design->color);
  json_object_set_string_member (base_info, "notice", design->notice);
  json_object_set_string_member (base_info, "description", design->description);
  json_object_set_string_member (base_info, "code_type", code_type_to_string (design->code_type));
  return base_info;
}

static void
answer_card_id (GTask      *task,
                JsonObject *reply)
{
  const char *card_id;

  if ((card_id = _rg_json_get_string (reply, "card_id")) == NULL)
    {
      g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, 0, NULL, -1, NULL,
                                                        _("WeChat created the card but sent no "
                                                          "card_id")));
      return;
    }

  g_task_return_pointer (task, g_strdup (card_id), g_free);
}

/**
 * rg_wechat_client_create_card_async:
 * @self: a client
 * @design: the member card
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WeChat has answered
 * @user_data: data for @callback
 *
 * Creates a member card (`POST /card/create`). Lengths and required fields are checked before
 * sending.
 */
void
rg_wechat_client_create_card_async (RgWeChatClient           *self,
                                    const RgWeChatCardDesign *design,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *card;
  JsonObject *member_card;
  JsonObject *base_info;
  JsonObject *date_info;
  JsonObject *sku;
  GError *error = NULL;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));
  g_return_if_fail (design != NULL);

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_wechat_client_create_card_async);

  if (!check_length ("logo_url", design->logo_url, 0, TRUE, &error) ||
      !check_length ("brand_name", design->brand_name, RG_WECHAT_MAX_BRAND_NAME, TRUE, &error) ||
      !check_length ("title", design->title, RG_WECHAT_MAX_TITLE, TRUE, &error) ||
      !check_length ("color", design->color, 0, TRUE, &error) ||
      !check_length ("notice", design->notice, RG_WECHAT_MAX_NOTICE, TRUE, &error) ||
      !check_length ("description", design->description, 0, TRUE, &error) ||
      !check_length ("prerogative", design->prerogative, 0, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  base_info = card_base_info (design);
  json_object_set_string_member (base_info, "brand_name", design->brand_name);
  date_info = json_object_new ();
  json_object_set_string_member (date_info, "type", "DATE_TYPE_PERMANENT");
  json_object_set_object_member (base_info, "date_info", date_info);
  sku = json_object_new ();
  json_object_set_int_member (sku, "quantity", design->quantity);
  json_object_set_object_member (base_info, "sku", sku);

  member_card = json_object_new ();
  json_object_set_object_member (member_card, "base_info", base_info);
  json_object_set_boolean_member (member_card, "supply_bonus", design->supply_bonus);
  json_object_set_boolean_member (member_card, "supply_balance", design->supply_balance);
  json_object_set_string_member (member_card, "prerogative", design->prerogative);
  json_object_set_boolean_member (member_card, "auto_activate", design->auto_activate);

  card = json_object_new ();
  json_object_set_string_member (card, "card_type", "MEMBER_CARD");
  json_object_set_object_member (card, "member_card", member_card);

  body = json_object_new ();
  json_object_set_object_member (body, "card", card);

  call_api (self, task, "/card/create", body, answer_card_id);
}

/**
 * rg_wechat_client_create_card_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the new card_id, or %NULL on error
 */
char *
rg_wechat_client_create_card_finish (RgWeChatClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_wechat_client_create_card_async, error);
}

/**
 * rg_wechat_client_update_card_async:
 * @self: a client
 * @card_id: the card made by rg_wechat_client_create_card_async()
 * @design: the member card
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WeChat has answered
 * @user_data: data for @callback
 *
 * Updates a member card (`POST /card/update`) with what may change after creation: not the
 * brand name, and neither supply_bonus nor supply_balance.
 */
void
rg_wechat_client_update_card_async (RgWeChatClient           *self,
                                    const char               *card_id,
                                    const RgWeChatCardDesign *design,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *member_card;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));
  g_return_if_fail (card_id != NULL);
  g_return_if_fail (design != NULL);

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_wechat_client_update_card_async);

  member_card = json_object_new ();
  json_object_set_object_member (member_card, "base_info", card_base_info (design));
  json_object_set_string_member (member_card, "prerogative", design->prerogative);
  body = json_object_new ();
  json_object_set_string_member (body, "card_id", card_id);
  json_object_set_object_member (body, "member_card", member_card);

  call_api (self, task, "/card/update", body, answer_done);
}

/**
 * rg_wechat_client_update_card_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE if the card was updated
 */
gboolean
rg_wechat_client_update_card_finish (RgWeChatClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), FALSE);

  return _rg_http_call_propagate_boolean (self, result, rg_wechat_client_update_card_async, error);
}

static gboolean
check_member (const char  *card_id,
              const char  *code,
              GError     **error)
{
  if (card_id != NULL && card_id[0] != '\0' && code != NULL && code[0] != '\0')
    return TRUE;

  g_propagate_error (error, _rg_channel_error_new_literal (RG_CHANNEL_ERROR_INVALID_REQUEST,
                                                           _("A WeChat member card call needs the "
                                                             "card_id and the member's code")));
  return FALSE;
}

/**
 * rg_wechat_client_activate_member_async:
 * @self: a client
 * @card_id: the card
 * @code: the member's card code
 * @membership_number: the member number to show
 * @init_bonus: the starting points
 * @init_balance: the starting stored value in fen
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WeChat has answered
 * @user_data: data for @callback
 *
 * Activates a member card (`POST /card/membercard/activate`).
 */
void
rg_wechat_client_activate_member_async (RgWeChatClient      *self,
                                        const char          *card_id,
                                        const char          *code,
                                        const char          *membership_number,
                                        gint64               init_bonus,
                                        gint64               init_balance,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_wechat_client_activate_member_async);

  if (!check_member (card_id, code, &error) ||
      !check_length ("membership_number", membership_number, 0, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "membership_number", membership_number);
  json_object_set_string_member (body, "code", code);
  json_object_set_string_member (body, "card_id", card_id);
  json_object_set_int_member (body, "init_bonus", init_bonus);
  json_object_set_int_member (body, "init_balance", init_balance);

  call_api (self, task, "/card/membercard/activate", body, answer_done);
}

/**
 * rg_wechat_client_activate_member_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE if the card was activated
 */
gboolean
rg_wechat_client_activate_member_finish (RgWeChatClient  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), FALSE);

  return _rg_http_call_propagate_boolean (self, result, rg_wechat_client_activate_member_async,
                                          error);
}

static void
answer_update (GTask      *task,
               JsonObject *reply)
{
  UpdateResult *update_result;

  update_result = g_new0 (UpdateResult, 1);
  if (!_rg_json_get_int (reply, "result_bonus", &update_result->result_bonus))
    update_result->result_bonus = -1;
  if (!_rg_json_get_int (reply, "result_balance", &update_result->result_balance))
    update_result->result_balance = -1;
  update_result->openid = g_strdup (_rg_json_get_string (reply, "openid"));

  g_task_return_pointer (task, update_result, (GDestroyNotify) update_result_free);
}

/**
 * rg_wechat_client_update_member_async:
 * @self: a client
 * @update: the change of points and stored value
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WeChat has answered
 * @user_data: data for @callback
 *
 * Updates a member's points and stored value in one call (`POST /card/membercard/updateuser`).
 */
void
rg_wechat_client_update_member_async (RgWeChatClient             *self,
                                      const RgWeChatMemberUpdate *update,
                                      GCancellable               *cancellable,
                                      GAsyncReadyCallback         callback,
                                      gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *notify;
  GError *error = NULL;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));
  g_return_if_fail (update != NULL);

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_wechat_client_update_member_async);

  if (!check_member (update->card_id, update->code, &error) ||
      !check_length ("record_bonus", update->record_bonus, RG_WECHAT_MAX_RECORD, FALSE, &error) ||
      !check_length ("record_balance", update->record_balance, RG_WECHAT_MAX_RECORD, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "code", update->code);
  json_object_set_string_member (body, "card_id", update->card_id);
  if (update->bonus >= 0)
    json_object_set_int_member (body, "bonus", update->bonus);
  if (update->add_bonus != 0)
    json_object_set_int_member (body, "add_bonus", update->add_bonus);
  if (update->record_bonus != NULL)
    json_object_set_string_member (body, "record_bonus", update->record_bonus);
  if (update->balance >= 0)
    json_object_set_int_member (body, "balance", update->balance);
  if (update->add_balance != 0)
    json_object_set_int_member (body, "add_balance", update->add_balance);
  if (update->record_balance != NULL)
    json_object_set_string_member (body, "record_balance", update->record_balance);
  notify = json_object_new ();
  json_object_set_boolean_member (notify, "is_notify_bonus", update->notify);
  json_object_set_boolean_member (notify, "is_notify_balance", update->notify);
  json_object_set_object_member (body, "notify_optional", notify);

  call_api (self, task, "/card/membercard/updateuser", body, answer_update);
}

/**
 * rg_wechat_client_update_member_finish:
 * @self: a client
 * @result: the result given to the callback
 * @result_bonus: (out) (optional): the points after the change, -1 if WeChat did not say
 * @result_balance: (out) (optional): the stored value after the change, -1 if not said
 * @openid: (out) (optional) (nullable) (transfer full): the member's openid
 * @error: return location for an error
 *
 * Returns: %TRUE if WeChat applied the change
 */
gboolean
rg_wechat_client_update_member_finish (RgWeChatClient  *self,
                                       GAsyncResult    *result,
                                       gint64          *result_bonus,
                                       gint64          *result_balance,
                                       char           **openid,
                                       GError         **error)
{
  UpdateResult *update_result;

  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), FALSE);

  update_result = _rg_http_call_propagate_pointer (self, result, rg_wechat_client_update_member_async,
                                                   error);
  if (result_bonus != NULL)
    *result_bonus = update_result != NULL ? update_result->result_bonus : -1;
  if (result_balance != NULL)
    *result_balance = update_result != NULL ? update_result->result_balance : -1;
  if (openid != NULL)
    *openid = update_result != NULL ? g_strdup (update_result->openid) : NULL;

  if (update_result == NULL)
    return FALSE;

  update_result_free (update_result);
  return TRUE;
}

static void
answer_member_info (GTask      *task,
                    JsonObject *reply)
{
  g_autoptr(RgWeChatMemberInfo) info = NULL;
  JsonNode *has_active;

  info = g_new0 (RgWeChatMemberInfo, 1);
  info->openid = g_strdup (_rg_json_get_string (reply, "openid"));
  info->nickname = g_strdup (_rg_json_get_string (reply, "nickname"));
  info->membership_number = g_strdup (_rg_json_get_string (reply, "membership_number"));
  info->user_card_status = g_strdup (_rg_json_get_string (reply, "user_card_status"));
  if (!_rg_json_get_int (reply, "bonus", &info->bonus))
    info->bonus = 0;
  if (!_rg_json_get_int (reply, "balance", &info->balance))
    info->balance = 0;
  has_active = json_object_get_member (reply, "has_active");
  info->has_active = has_active != NULL && JSON_NODE_HOLDS_VALUE (has_active) &&
                     json_node_get_value_type (has_active) == G_TYPE_BOOLEAN &&
                     json_node_get_boolean (has_active);

  if (info->openid == NULL)
    {
      g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_PROTOCOL, 0, NULL, -1, NULL,
                                                        _("WeChat answered without the member's "
                                                          "openid")));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) rg_wechat_member_info_free);
}

/**
 * rg_wechat_client_get_member_async:
 * @self: a client
 * @card_id: the card
 * @code: the member's card code
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when WeChat has answered
 * @user_data: data for @callback
 *
 * Reads a member's card (`POST /card/membercard/userinfo/get`).
 */
void
rg_wechat_client_get_member_async (RgWeChatClient      *self,
                                   const char          *card_id,
                                   const char          *code,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_WECHAT_CLIENT (self));

  task = _rg_http_call_new (self, cancellable, callback, user_data,
                            rg_wechat_client_get_member_async);

  if (!check_member (card_id, code, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "card_id", card_id);
  json_object_set_string_member (body, "code", code);

  call_api (self, task, "/card/membercard/userinfo/get", body, answer_member_info);
}

/**
 * rg_wechat_client_get_member_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the member's card, or %NULL on error
 */
RgWeChatMemberInfo *
rg_wechat_client_get_member_finish (RgWeChatClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (RG_IS_WECHAT_CLIENT (self), NULL);

  return _rg_http_call_propagate_pointer (self, result, rg_wechat_client_get_member_async, error);
}
