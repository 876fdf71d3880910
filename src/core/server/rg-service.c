/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-service"

#include "config.h"

#include "rg-member-center.h"
#include "rg-notify-api.h"
#include "rg-service.h"
#include "rg-service-lock.h"

/*
 * The service (DESIGN §1): the built-in server and the outbound work behind it, run by
 * exactly one process per database. Whichever of the GUI or `regulars-cli serve` starts it
 * first takes the lock; the other gets RG_SERVICE_LOCK_ERROR_HELD and says so. Both build
 * the same object, so a feature that adds a route or a background job adds it here once.
 */

struct _RgService
{
  GObject            parent_instance;

  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgServer          *server;
  RgNotifyDispatcher *dispatcher;
  RgServiceLock     *lock;
};

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgService, rg_service, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *address;
  int   port;
} StartData;

static void
start_data_free (StartData *data)
{
  g_free (data->address);
  g_free (data);
}

static void
credentials_reloaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgService *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint port;

  /* A missing secret is no reason not to listen: the webhook answers 503 until it is set.
   * A locked or missing keyring is reported, though, because nothing can verify webhooks. */
  if (!rg_server_reload_credentials_finish (RG_SERVER (object), result, &error))
    {
      g_clear_object (&self->lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  address = data->address ? g_strdup (data->address)
                          : rg_channel_settings_dup_server_address (self->settings);
  port = data->port >= 0 ? (guint) data->port
                         : rg_channel_settings_get_server_port (self->settings);

  if (!rg_server_listen (self->server, address, port, &error))
    {
      g_clear_object (&self->lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  rg_notify_dispatcher_start (self->dispatcher);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (task, TRUE);
}

static void
rg_service_dispose (GObject *object)
{
  RgService *self = (RgService *)object;

  rg_service_stop (self);

  G_OBJECT_CLASS (rg_service_parent_class)->dispose (object);
}

static void
rg_service_finalize (GObject *object)
{
  RgService *self = (RgService *)object;

  g_clear_object (&self->dispatcher);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_service_parent_class)->finalize (object);
}

static void
rg_service_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RgService *self = RG_SERVICE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, rg_service_get_running (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_service_class_init (RgServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_service_dispose;
  object_class->finalize = rg_service_finalize;
  object_class->get_property = rg_service_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_service_init (RgService *self)
{
}

RgService *
rg_service_new (RgStore *store)
{
  RgService *self;

  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  self = g_object_new (RG_TYPE_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->secrets = rg_secrets_new ();
  self->settings = rg_channel_settings_new (store, self->secrets);
  self->server = rg_server_new (store, self->settings);

  /* Features add their routes and background jobs here, so that the GUI and
   * `regulars-cli serve` run the same service. */
  self->dispatcher = rg_notify_dispatcher_new (store, self->settings);
  rg_notify_dispatcher_watch_server (self->dispatcher, self->server);
  rg_notify_api_register (self->server, self->dispatcher);
  rg_member_center_add_to_service (self);

  return self;
}

RgStore *
rg_service_get_store (RgService *self)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), NULL);

  return self->store;
}

RgChannelSettings *
rg_service_get_settings (RgService *self)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), NULL);

  return self->settings;
}

RgServer *
rg_service_get_server (RgService *self)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), NULL);

  return self->server;
}

/**
 * rg_service_get_dispatcher:
 *
 * Returns: (transfer none): the notification dispatcher; it sends while the service runs
 */
RgNotifyDispatcher *
rg_service_get_dispatcher (RgService *self)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), NULL);

  return self->dispatcher;
}

/**
 * rg_service_get_running:
 *
 * Returns: %TRUE while this process holds the service lock and listens
 */
gboolean
rg_service_get_running (RgService *self)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), FALSE);

  return self->lock != NULL && rg_server_get_port (self->server) != 0;
}

/**
 * rg_service_start_async:
 * @address: (nullable): where to listen; %NULL for the saved setting
 * @port: the port, 0 for any free one, or %RG_SERVICE_PORT_FROM_SETTINGS
 *
 * Takes the service lock, loads the credentials the server verifies webhooks with, and
 * listens. Fails with RG_SERVICE_LOCK_ERROR_HELD when another process runs the service.
 */
void
rg_service_start_async (RgService           *self,
                        const char          *address,
                        int                  port,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  StartData *data;

  g_return_if_fail (RG_IS_SERVICE (self));
  g_return_if_fail (port >= RG_SERVICE_PORT_FROM_SETTINGS && port <= G_MAXUINT16);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_service_start_async);

  if (self->lock != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!(self->lock = rg_service_lock_acquire (rg_store_get_path (self->store), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (StartData, 1);
  data->address = g_strdup (address);
  data->port = port;
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  rg_server_reload_credentials_async (self->server, cancellable, credentials_reloaded_cb,
                                      g_steal_pointer (&task));
}

gboolean
rg_service_start_finish (RgService     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (RG_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rg_service_stop:
 *
 * Stops listening and releases the lock, so another process may take over.
 */
void
rg_service_stop (RgService *self)
{
  gboolean was_running;

  g_return_if_fail (RG_IS_SERVICE (self));

  was_running = rg_service_get_running (self);
  if (self->dispatcher != NULL)
    rg_notify_dispatcher_stop (self->dispatcher);
  if (self->server != NULL)
    rg_server_disconnect (self->server);
  g_clear_object (&self->lock);

  if (was_running)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}
