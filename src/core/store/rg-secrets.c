/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-secrets"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-secrets.h"

#define SECRET_SERVICE_NAME "org.freedesktop.secrets"
#define SECRET_SERVICE_PATH "/org/freedesktop/secrets"

/* Every credential of Regulars lives in the Secret Service under one schema, told apart by
 * the pair (channel, field): ("line", "channel-secret"), ("api", "token"),
 * ("member-center", "link-key") …  The keyring is checked before each operation, because
 * libsecret answers a locked collection with an unlock prompt, which nobody can answer on a
 * headless box; we report the locked keyring instead and never fall back to a file. */

struct _RgSecrets
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (RgSecrets, rg_secrets, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-secrets-error-quark, rg_secrets_error)

typedef enum
{
  OPERATION_STORE,
  OPERATION_LOOKUP,
  OPERATION_CLEAR,
} Operation;

typedef struct
{
  Operation        operation;
  char            *channel;
  char            *field;
  char            *label;
  char            *value;
  GDBusConnection *bus;
} Request;

static void
wipe_string (char *str)
{
  volatile char *p = str;

  if (str == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (str);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->channel);
  g_free (request->field);
  g_free (request->label);
  wipe_string (request->value);
  g_clear_object (&request->bus);
  g_free (request);
}

const SecretSchema *
rg_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.regulars.Secret",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { .name = "channel", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "field", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL, .type = 0 },
    },
  };

  return &schema;
}

static gboolean
is_missing_service_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_NO_REPLY:
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
return_no_service (GTask        *task,
                   const GError *cause)
{
  g_autoptr(GError) copy = g_error_copy (cause);
  const char *detail;

  if (g_dbus_error_is_remote_error (copy))
    g_dbus_error_strip_remote_error (copy);
  detail = copy->message;

  g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_NO_SERVICE,
                           /* Translators: %s is the system's own message */
                           _("No keyring service is running (%s). Start GNOME Keyring or "
                             "another Secret Service and try again; Regulars never stores "
                             "credentials in plain text."),
                           detail);
}

static void
return_locked (GTask *task)
{
  g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED,
                           _("The keyring is locked. Unlock it (for example in Passwords and "
                             "Keys) and try again; Regulars never stores credentials in plain "
                             "text."));
}

static void
return_no_keyring (GTask *task)
{
  g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_NO_KEYRING,
                           _("The keyring has no default collection to save into. Create one "
                             "(for example in Passwords and Keys) and try again; Regulars never "
                             "stores credentials in plain text."));
}

/* Turns whatever the bus or libsecret said into an RG_SECRETS_ERROR, except cancellation,
 * which callers recognise by its own domain. */
static void
return_mapped_error (GTask  *task,
                     GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return_locked (task);
  else if (request->operation == OPERATION_STORE &&
           g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    return_no_keyring (task);
  else if (is_missing_service_error (error))
    return_no_service (task, error);
  else
    {
      if (g_dbus_error_is_remote_error (error))
        g_dbus_error_strip_remote_error (error);

      switch (request->operation)
        {
        case OPERATION_STORE:
          g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_FAILED,
                                   /* Translators: %s/%s name the credential, e.g.
                                    * “line/channel-secret”; the last %s is the keyring's
                                    * own message */
                                   _("Could not save “%s/%s” in the keyring: %s"),
                                   request->channel, request->field, error->message);
          break;
        case OPERATION_LOOKUP:
          g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_FAILED,
                                   _("Could not read “%s/%s” from the keyring: %s"),
                                   request->channel, request->field, error->message);
          break;
        case OPERATION_CLEAR:
        default:
          g_task_return_new_error (task, RG_SECRETS_ERROR, RG_SECRETS_ERROR_FAILED,
                                   _("Could not remove “%s/%s” from the keyring: %s"),
                                   request->channel, request->field, error->message);
          break;
        }
    }

  g_error_free (error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_mapped_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, error);
      return;
    }

  /* libsecret hands out non-pageable memory that only secret_password_free() may release;
   * callers get an ordinary string. */
  g_task_return_pointer (task, g_strdup (password), (GDestroyNotify) wipe_string);
  secret_password_free (password);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_mapped_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_operation (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (request->operation)
    {
    case OPERATION_STORE:
      secret_password_store (rg_secrets_get_schema (), SECRET_COLLECTION_DEFAULT,
                             request->label, request->value,
                             cancellable, store_cb, g_object_ref (task),
                             "channel", request->channel,
                             "field", request->field,
                             NULL);
      break;

    case OPERATION_LOOKUP:
      secret_password_lookup (rg_secrets_get_schema (), cancellable, lookup_cb,
                              g_object_ref (task),
                              "channel", request->channel,
                              "field", request->field,
                              NULL);
      break;

    case OPERATION_CLEAR:
      secret_password_clear (rg_secrets_get_schema (), cancellable, clear_cb,
                             g_object_ref (task),
                             "channel", request->channel,
                             "field", request->field,
                             NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
get_locked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      return_mapped_error (task, error);
      return;
    }

  g_variant_get (reply, "(v)", &locked);
  if (g_variant_is_of_type (locked, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (locked))
    {
      return_locked (task);
      return;
    }

  run_operation (task);
}

static void
read_alias_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  Request *request = g_task_get_task_data (task);
  const char *path = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      return_mapped_error (task, error);
      return;
    }

  g_variant_get (reply, "(&o)", &path);
  if (g_str_equal (path, "/"))
    {
      /* Nothing of ours can be in a default collection that does not exist; saving would
       * raise a "create a keyring" prompt instead. */
      if (request->operation == OPERATION_STORE)
        return_no_keyring (task);
      else
        run_operation (task);
      return;
    }

  g_dbus_connection_call (request->bus, SECRET_SERVICE_NAME, path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                          G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task),
                          get_locked_cb, g_object_ref (task));
}

static void
bus_get_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  request->bus = g_bus_get_finish (result, &error);
  if (request->bus == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        return_no_service (task, error);
      return;
    }

  /* Asked fresh every time: a cached proxy property could miss a lock made a moment ago. */
  g_dbus_connection_call (request->bus, SECRET_SERVICE_NAME, SECRET_SERVICE_PATH,
                          "org.freedesktop.Secret.Service", "ReadAlias",
                          g_variant_new ("(s)", "default"),
                          G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task),
                          read_alias_cb, g_object_ref (task));
}

static void
start_request (RgSecrets           *self,
               Operation            operation,
               const char          *channel,
               const char          *field,
               const char          *label,
               const char          *value,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->operation = operation;
  request->channel = g_strdup (channel);
  request->field = g_strdup (field);
  request->label = g_strdup (label);
  request->value = g_strdup (value);
  g_task_set_task_data (task, request, request_free);

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_get_cb, g_steal_pointer (&task));
}

static void
rg_secrets_class_init (RgSecretsClass *klass)
{
}

static void
rg_secrets_init (RgSecrets *self)
{
}

RgSecrets *
rg_secrets_new (void)
{
  return g_object_new (RG_TYPE_SECRETS, NULL);
}

/**
 * rg_secrets_store_async:
 * @channel: "line", "whatsapp", "api", "member-center" …
 * @field: "channel-secret", "token", "link-key" …
 * @label: what keyring managers show, e.g. "Regulars: LINE channel secret"
 * @value: the secret, UTF-8
 *
 * Saves (or replaces) a secret in the default collection of the Secret Service. A locked
 * keyring gives %RG_SECRETS_ERROR_LOCKED, a missing service %RG_SECRETS_ERROR_NO_SERVICE;
 * nothing is ever written anywhere else.
 */
void
rg_secrets_store_async (RgSecrets           *self,
                        const char          *channel,
                        const char          *field,
                        const char          *label,
                        const char          *value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (RG_IS_SECRETS (self));
  g_return_if_fail (channel != NULL && *channel != '\0');
  g_return_if_fail (field != NULL && *field != '\0');
  g_return_if_fail (label != NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, OPERATION_STORE, channel, field, label, value,
                 rg_secrets_store_async, cancellable, callback, user_data);
}

gboolean
rg_secrets_store_finish (RgSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (RG_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
rg_secrets_lookup_async (RgSecrets           *self,
                         const char          *channel,
                         const char          *field,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (RG_IS_SECRETS (self));
  g_return_if_fail (channel != NULL && *channel != '\0');
  g_return_if_fail (field != NULL && *field != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, OPERATION_LOOKUP, channel, field, NULL, NULL,
                 rg_secrets_lookup_async, cancellable, callback, user_data);
}

/**
 * rg_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL without an error when none is
 *   stored, or %NULL with @error set
 */
char *
rg_secrets_lookup_finish (RgSecrets     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (RG_IS_SECRETS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rg_secrets_clear_async:
 *
 * Removes the secret; removing one that is not there succeeds.
 */
void
rg_secrets_clear_async (RgSecrets           *self,
                        const char          *channel,
                        const char          *field,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (RG_IS_SECRETS (self));
  g_return_if_fail (channel != NULL && *channel != '\0');
  g_return_if_fail (field != NULL && *field != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, OPERATION_CLEAR, channel, field, NULL, NULL,
                 rg_secrets_clear_async, cancellable, callback, user_data);
}

gboolean
rg_secrets_clear_finish (RgSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (RG_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
