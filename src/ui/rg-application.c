/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rg-application.h"
#include "rg-demo.h"
#include "rg-preferences-window.h"
#include "rg-service.h"
#include "rg-service-lock.h"
#include "rg-window.h"

struct _RgApplication
{
  AdwApplication  parent_instance;

  RgStore        *store;
  RgService      *service;
  char           *database_path;
  gboolean        demo;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVICE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgApplication, rg_application, ADW_TYPE_APPLICATION)

static GParamSpec *properties[N_PROPS];

static const GOptionEntry main_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database at PATH instead of the default one"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open a fresh database filled with sample data"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static char *
default_demo_path (void)
{
  g_autofree char *regular = rg_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (regular);

  return g_build_filename (dir, "demo.db", NULL);
}

static void
remove_database_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

static RgStore *
open_store (RgApplication  *self,
            GError        **error)
{
  g_autoptr(RgStore) store = NULL;
  g_autofree char *path = NULL;

  if (self->database_path != NULL)
    path = g_strdup (self->database_path);
  else if (self->demo)
    {
      /* The default demo database is ours alone: start it afresh each time so it always shows
       * the same tour. A demo at a path the user named is never deleted. */
      path = default_demo_path ();
      remove_database_files (path);
    }
  else
    path = rg_store_default_path ();

  if (!(store = rg_store_open (path, error)))
    return NULL;

  if (self->demo && !rg_demo_populate (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

static void
show_fatal_error (RgApplication *self,
                  const GError  *error)
{
  AdwMessageDialog *dialog;

  g_warning ("%s", error->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL,
                                                       _("Could Not Open the Database"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (gtk_window_destroy), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static int
service_port (void)
{
  const char *port = g_getenv ("REGULARS_SERVICE_PORT");
  guint64 value;

  /* Tests and a second developer instance ask for any free port (0). */
  if (port != NULL && g_ascii_string_to_unsigned (port, 10, 0, G_MAXUINT16, &value, NULL))
    return (int) value;
  return RG_SERVICE_PORT_FROM_SETTINGS;
}

static void
service_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  AdwToast *toast;

  if (rg_service_start_finish (RG_SERVICE (object), result, &error))
    {
      g_autofree char *url = rg_server_dup_url (rg_service_get_server (RG_SERVICE (object)));

      g_debug ("Service listening on %s", url);
      return;
    }

  /* Webhooks and notifications keep working in the process that has the service; this
   * window still edits the same database. */
  if (g_error_matches (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_HELD))
    g_message ("%s", error->message);
  else
    g_warning ("Could not start the service: %s", error->message);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (RG_IS_WINDOW (window))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      /* Toast titles are Pango markup in libadwaita 1.2. */
      toast = adw_toast_new (escaped);
      adw_toast_set_timeout (toast, 0);
      rg_window_add_toast (RG_WINDOW (window), toast);
    }
}

static void
rg_application_activate (GApplication *app)
{
  RgApplication *self = RG_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!(self->store = open_store (self, &error)))
        {
          show_fatal_error (self, error);
          return;
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }

  window = GTK_WINDOW (rg_window_new (self));
  gtk_window_present (window);

  if (self->service == NULL)
    {
      self->service = rg_service_new (self->store);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
      rg_service_start_async (self->service, NULL, service_port (), NULL,
                              service_started_cb, g_object_ref (self));
    }
}

static int
rg_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  RgApplication *self = RG_APPLICATION (app);
  g_autofree char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* Options take effect in the first instance only; a second launch just raises its window. */
  if (g_variant_dict_lookup (options, "database", "^ay", &path))
    rg_application_set_database (self, path, g_variant_dict_contains (options, "demo"));
  else
    rg_application_set_database (self, NULL, g_variant_dict_contains (options, "demo"));

  return -1;
}

static void
rg_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  RgApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows (so they save their state and ask about unsaved edits, as Ctrl+W does)
   * rather than stopping the main loop under them. Dialogs are no application windows. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
}

static void
rg_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RgApplication *self = user_data;
  static const char *developers[] = { "The Regulars developers", NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Regulars"),
                        "developer-name", _("The Regulars developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/regulars/regulars",
                        "issue-url", "https://github.com/regulars/regulars/issues",
                        "comments", _("Keep your regular customers close through LINE, WhatsApp, "
                                      "WeChat and SMS: members, member cards, notifications, "
                                      "coupons and campaigns in one back office."),
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Regulars developers",
                        NULL);
  gtk_window_present (about);
}

static void
rg_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* Without a database (it failed to open) there is nothing to set. */
  if (self->store == NULL)
    return;

  gtk_window_present (rg_preferences_window_new (parent, self->store));
}

static const GActionEntry app_actions[] = {
  { "quit", rg_application_quit_action },
  { "about", rg_application_about_action },
  { "preferences", rg_application_preferences_action },
};

static void
rg_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", "F1", NULL } },
    { "win.show-page::members", { "<Alt>1", NULL } },
    { "win.show-page::cards", { "<Alt>2", NULL } },
    { "win.show-page::notifications", { "<Alt>3", NULL } },
    { "win.show-page::coupons", { "<Alt>4", NULL } },
    { "win.show-page::upstream", { "<Alt>5", NULL } },
    { "win.show-page::groups", { "<Alt>6", NULL } },
    { "win.show-page::channels", { "<Alt>7", NULL } },
  };
  RgApplication *self = RG_APPLICATION (app);

  G_APPLICATION_CLASS (rg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);
}

static void
rg_application_finalize (GObject *object)
{
  RgApplication *self = (RgApplication *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->store);
  g_clear_pointer (&self->database_path, g_free);

  G_OBJECT_CLASS (rg_application_parent_class)->finalize (object);
}

static void
rg_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgApplication *self = RG_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_application_class_init (RgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rg_application_finalize;
  object_class->get_property = rg_application_get_property;

  app_class->activate = rg_application_activate;
  app_class->startup = rg_application_startup;
  app_class->handle_local_options = rg_application_handle_local_options;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         RG_TYPE_SERVICE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_application_init (RgApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}

RgApplication *
rg_application_new (GApplicationFlags flags)
{
  return g_object_new (RG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/**
 * rg_application_get_store:
 *
 * Returns: (transfer none) (nullable): the open database, once the application is active
 */
RgStore *
rg_application_get_store (RgApplication *self)
{
  g_return_val_if_fail (RG_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * rg_application_get_service:
 *
 * Returns: (transfer none) (nullable): the service this process runs or tried to run; see
 *   rg_service_get_running()
 */
RgService *
rg_application_get_service (RgApplication *self)
{
  g_return_val_if_fail (RG_IS_APPLICATION (self), NULL);

  return self->service;
}

/**
 * rg_application_set_database:
 * @path: (nullable): the database to open; %NULL for the default (or the default demo)
 * @demo: fill a new database with sample data
 *
 * Chooses the database the first window opens.
 */
void
rg_application_set_database (RgApplication *self,
                             const char    *path,
                             gboolean       demo)
{
  g_return_if_fail (RG_IS_APPLICATION (self));
  g_return_if_fail (self->store == NULL);

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  self->demo = demo;
}
