/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-api"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>

#include "rg-notify-api.h"
#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"
#include "rg-server-private.h"

/*
 * The Open API on the built-in server (DESIGN §7):
 *
 *   POST /api/v1/notifications                 {"setting_id","phone","variables":{…}}
 *        → 202 {"id":"tr_…","status":"accepted"} once the trigger is committed
 *   GET  /api/v1/notification-settings         → [setting, …]
 *   GET  /api/v1/notification-settings/ID      → setting
 *
 * Every call needs `Authorization: Bearer <token>`; the token lives only in the keyring
 * (channel "api", field "token") and is read for each request, so a new token made by
 * another process counts at once; it is compared in constant time. An `Idempotency-Key`
 * header makes a repeated POST return the first answer. Errors are
 * `{"error":{"message","field"}}` (rg_server_respond_error()): 400 for a body that is not
 * the JSON asked for, 401 without the right token, 404 for an unknown setting, 409 for a
 * disabled one, 422 for a bad phone or a missing variable.
 */

typedef struct
{
  RgSecrets            *secrets;
  RgNotifySettingStore *settings;
  RgNotifyDispatcher   *dispatcher;
} Api;

typedef void (*AuthorizedFunc) (Api               *api,
                                RgServer          *server,
                                SoupServerMessage *msg,
                                const char        *path);

typedef struct
{
  Api               *api;
  RgServer          *server;
  SoupServerMessage *msg;
  char              *path;
  AuthorizedFunc     func;
} Pending;

static void
api_clear (Api *api)
{
  g_clear_object (&api->secrets);
  g_clear_object (&api->settings);
  g_clear_object (&api->dispatcher);
}

static void
api_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) api_clear);
}

static void
pending_free (Pending *pending)
{
  api_release (pending->api);
  g_clear_object (&pending->server);
  g_clear_object (&pending->msg);
  g_free (pending->path);
  g_free (pending);
}

static gboolean
bearer_matches (SoupServerMessage *msg,
                const char        *token)
{
  const char *header;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  header += 7;

  return _rg_server_constant_time_equal (header, strlen (header), token, strlen (token));
}

static void
respond_unauthorized (SoupServerMessage *msg,
                      const char        *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"Regulars\"");
  rg_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, "%s", message);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = rg_secrets_lookup_finish (RG_SECRETS (object), result, &error);
  if (error != NULL)
    rg_server_respond_error (pending->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                             "The API token could not be read from the keyring: %s",
                             error->message);
  else if (token == NULL)
    respond_unauthorized (pending->msg,
                          "No API token has been made yet; make one in Preferences or with "
                          "“regulars-cli api-token new”");
  else if (!bearer_matches (pending->msg, token))
    respond_unauthorized (pending->msg,
                          "The Authorization header must be “Bearer <API token>” with the "
                          "shop's current token");
  else
    pending->func (pending->api, pending->server, pending->msg, pending->path);

  if (token != NULL)
    memset (token, 0, strlen (token));
  soup_server_message_unpause (pending->msg);
  pending_free (pending);
}

/* Checks the bearer token (from the keyring, asynchronously), then runs @func. */
static void
authorize (Api               *api,
           RgServer          *server,
           SoupServerMessage *msg,
           const char        *path,
           AuthorizedFunc     func)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->api = g_rc_box_acquire (api);
  pending->server = g_object_ref (server);
  pending->msg = g_object_ref (msg);
  pending->path = g_strdup (path);
  pending->func = func;

  soup_server_message_pause (msg);
  rg_secrets_lookup_async (api->secrets, RG_NOTIFY_API_TOKEN_CHANNEL, RG_NOTIFY_API_TOKEN_FIELD,
                           NULL, token_cb, pending);
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *allowed)
{
  if (g_strcmp0 (soup_server_message_get_method (msg), allowed) == 0)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  rg_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
                           "%s is not allowed here; use %s",
                           soup_server_message_get_method (msg), allowed);
  return FALSE;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Returns NULL with a 400 answered unless "variables" is absent or an object of strings or
 * numbers. */
static GHashTable *
read_variables (SoupServerMessage *msg,
                JsonObject        *body)
{
  g_autoptr(GHashTable) variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *node = json_object_get_member (body, "variables");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&variables);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "variables",
                               "“variables” must be an object of names and texts");
      return NULL;
    }

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      GType type = G_TYPE_INVALID;
      char *text;

      if (JSON_NODE_HOLDS_VALUE (value))
        type = json_node_get_value_type (value);
      if (type == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else if (type == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      else if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          text = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value)));
        }
      else
        {
          g_autofree char *field = g_strconcat ("variables.", name, NULL);

          rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, field,
                                   "“%s” must be a text or a number", field);
          return NULL;
        }
      g_hash_table_insert (variables, g_strdup (name), text);
    }

  return g_steal_pointer (&variables);
}

static guint
status_for_error (const GError *error)
{
  if (error->domain != RG_NOTIFY_ERROR)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;

  switch ((RgNotifyError) error->code)
    {
    case RG_NOTIFY_ERROR_NOT_FOUND:
      return SOUP_STATUS_NOT_FOUND;
    case RG_NOTIFY_ERROR_DISABLED:
      return SOUP_STATUS_CONFLICT;
    case RG_NOTIFY_ERROR_INVALID:
    default:
      return SOUP_STATUS_UNPROCESSABLE_ENTITY;
    }
}

static void
post_notification (Api               *api,
                   RgServer          *server,
                   SoupServerMessage *msg,
                   const char        *path)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *trigger_id = NULL;
  const char *key;
  const char *setting_id;
  const char *phone;
  JsonObject *body;
  gsize size;
  const char *data;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL,
                               "The body must be a JSON object such as "
                               "{\"setting_id\": \"ns_…\", \"phone\": \"0912345678\", "
                               "\"variables\": {}}%s%s",
                               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return;
    }
  body = json_node_get_object (json_parser_get_root (parser));

  if (!(setting_id = string_member (body, "setting_id")))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "setting_id",
                               "“setting_id” is required and must be a text");
      return;
    }
  if (!(phone = string_member (body, "phone")))
    {
      rg_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "phone",
                               "“phone” is required and must be a text");
      return;
    }
  if (!(variables = read_variables (msg, body)))
    return;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                      "Idempotency-Key");
  if (!rg_notify_trigger (rg_server_get_store (server), setting_id, phone, variables, key,
                          &trigger_id, &error))
    {
      const char *field = rg_notify_error_get_field (error);

      /* The header, not a body member, names a bad key. */
      if (g_strcmp0 (field, "idempotency_key") == 0)
        field = "Idempotency-Key";
      rg_server_respond_error (msg, status_for_error (error), field, "%s", error->message);
      return;
    }
  _rg_notify_fault_point ("after a trigger was committed");

  if (api->dispatcher != NULL)
    rg_notify_dispatcher_wake (api->dispatcher);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, trigger_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "accepted");
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  rg_server_respond_json (msg, SOUP_STATUS_ACCEPTED, answer);
}

static void
get_settings (Api               *api,
              RgServer          *server,
              SoupServerMessage *msg,
              const char        *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *id = NULL;

  if (g_str_has_prefix (path, "/api/v1/notification-settings/"))
    id = path + strlen ("/api/v1/notification-settings/");

  if (id != NULL && id[0] != '\0')
    {
      g_autoptr(RgNotifySetting) setting = NULL;

      if (!(setting = rg_notify_setting_store_get (api->settings, id, &error)))
        {
          rg_server_respond_error (msg, status_for_error (error), "id", "%s", error->message);
          return;
        }
      node = rg_notify_setting_to_json (setting);
    }
  else
    {
      g_autoptr(GListModel) list = NULL;
      g_autoptr(JsonArray) array = NULL;

      if (!(list = rg_notify_setting_store_list (api->settings, &error)))
        {
          rg_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "%s",
                                   error->message);
          return;
        }
      array = json_array_new ();
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(RgNotifySetting) setting = g_list_model_get_item (list, i);

          json_array_add_element (array, rg_notify_setting_to_json (setting));
        }
      node = json_node_init_array (json_node_alloc (), array);
    }

  rg_server_respond_json (msg, SOUP_STATUS_OK, node);
}

static void
notifications_cb (RgServer          *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  if (check_method (msg, "POST"))
    authorize (user_data, server, msg, path, post_notification);
}

static void
settings_cb (RgServer          *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  if (check_method (msg, "GET"))
    authorize (user_data, server, msg, path, get_settings);
}

/**
 * rg_notify_api_register:
 * @server: the service's server
 * @dispatcher: (nullable): the service's dispatcher, woken when a trigger comes in
 *
 * Adds the Open API routes to @server. The token is read through the keyring of @server's
 * channel settings.
 */
void
rg_notify_api_register (RgServer           *server,
                        RgNotifyDispatcher *dispatcher)
{
  Api *api;

  g_return_if_fail (RG_IS_SERVER (server));
  g_return_if_fail (dispatcher == NULL || RG_IS_NOTIFY_DISPATCHER (dispatcher));

  api = g_rc_box_new0 (Api);
  api->secrets = g_object_ref (rg_channel_settings_get_secrets (rg_server_get_settings (server)));
  api->settings = rg_notify_setting_store_new (rg_server_get_store (server));
  api->dispatcher = dispatcher != NULL ? g_object_ref (dispatcher) : NULL;

  rg_server_add_handler (server, "/api/v1/notifications", notifications_cb,
                         g_rc_box_acquire (api), api_release);
  rg_server_add_handler (server, "/api/v1/notification-settings", settings_cb,
                         g_rc_box_acquire (api), api_release);
  rg_server_add_handler (server, "/api/v1/notification-settings/", settings_cb,
                         api, api_release);
}

/**
 * rg_notify_api_token_generate:
 *
 * Returns: (transfer full): %RG_NOTIFY_API_TOKEN_BYTES bytes from the kernel's random
 *   source, base64url without padding (43 characters), or %NULL with @error set
 */
char *
rg_notify_api_token_generate (GError **error)
{
  guint8 bytes[RG_NOTIFY_API_TOKEN_BYTES];
  gsize filled = 0;
  char *padding;
  char *token;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not read random bytes for the API token: %s"),
                       g_strerror (errsv));
          return NULL;
        }
      filled += n;
    }

  token = g_base64_encode (bytes, sizeof bytes);
  memset (bytes, 0, sizeof bytes);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  if ((padding = strchr (token, '=')) != NULL)
    *padding = '\0';
  return token;
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!rg_secrets_store_finish (RG_SECRETS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)), g_free);
}

static void
wipe_string (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

/**
 * rg_notify_api_token_new_async:
 *
 * Makes a new Open API token and stores it in the keyring in place of the old one, which
 * stops working at once.
 */
void
rg_notify_api_token_new_async (RgSecrets           *secrets,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  char *token;

  g_return_if_fail (RG_IS_SECRETS (secrets));

  task = g_task_new (secrets, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_notify_api_token_new_async);

  if (!(token = rg_notify_api_token_generate (&error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, token, wipe_string);

  rg_secrets_store_async (secrets, RG_NOTIFY_API_TOKEN_CHANNEL, RG_NOTIFY_API_TOKEN_FIELD,
                          _("Regulars: Open API token"), token, cancellable,
                          token_stored_cb, g_steal_pointer (&task));
}

/**
 * rg_notify_api_token_new_finish:
 *
 * Returns: (transfer full): the new token, to show once, or %NULL with @error set
 */
char *
rg_notify_api_token_new_finish (RgSecrets     *secrets,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (RG_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (g_task_is_valid (result, secrets), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
