/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channels-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channels-page.h"
#include "rg-channels-private.h"
#include "rg-secrets.h"

struct _RgChannelsPage
{
  AdwBin              parent_instance;

  RgStore            *store;
  RgSecrets          *secrets;
  RgChannelSettings  *settings;
  GPtrArray          *groups;
  RgServerGroup      *server_group;
  char               *keyring_message;
  guint               pending_loads;

  AdwPreferencesPage *preferences_page;
  GtkRevealer        *keyring_revealer;
  GtkLabel           *keyring_label;
  GtkSpinner         *retry_spinner;

  guint               keyring_available : 1;
  guint               checking : 1;
  guint               round_failed : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_KEYRING_AVAILABLE,
  PROP_CHECKING_KEYRING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgChannelsPage, rg_channels_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
set_keyring_available (RgChannelsPage *self,
                       gboolean        available)
{
  available = !!available;
  if (self->keyring_available == available)
    return;

  self->keyring_available = available;
  gtk_revealer_set_reveal_child (self->keyring_revealer, !available);
  for (guint i = 0; i < self->groups->len; i++)
    rg_channel_group_set_keyring_available (g_ptr_array_index (self->groups, i), available);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_AVAILABLE]);
}

static void
set_checking (RgChannelsPage *self,
              gboolean        checking)
{
  checking = !!checking;
  if (self->checking == checking)
    return;

  self->checking = checking;
  gtk_spinner_set_spinning (self->retry_spinner, checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channels.retry-keyring", !checking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING_KEYRING]);
}

/* A locked or missing keyring stays on screen, with what to do about it, until a check of
 * every channel succeeds; meanwhile nothing secret can be typed, let alone stored elsewhere. */
static void
show_keyring_error (RgChannelsPage *self,
                    const GError   *error)
{
  const char *message = _rg_channels_strip_prefix (error->message);

  if (g_strcmp0 (self->keyring_message, message) != 0)
    {
      g_warning ("%s", message);
      g_free (self->keyring_message);
      self->keyring_message = g_strdup (message);
      gtk_label_set_text (self->keyring_label, message);
    }

  set_keyring_available (self, FALSE);
}

static void
on_secrets_loaded (RgChannelsPage *self,
                   const GError   *error,
                   RgChannelGroup *group)
{
  if (error != NULL)
    {
      self->round_failed = TRUE;
      show_keyring_error (self, error);
    }

  if (!self->checking || self->pending_loads == 0)
    return;

  if (--self->pending_loads == 0)
    {
      if (!self->round_failed)
        set_keyring_available (self, TRUE);
      set_checking (self, FALSE);
    }
}

static void
on_keyring_error (RgChannelsPage *self,
                  const GError   *error,
                  RgChannelGroup *group)
{
  show_keyring_error (self, error);
}

/* Every group asks the keyring which of its secrets are stored; the answers decide whether
 * the keyring message shows. */
static void
check_keyring (RgChannelsPage *self)
{
  if (self->settings == NULL || self->checking)
    return;

  self->round_failed = FALSE;
  self->pending_loads = self->groups->len;
  set_checking (self, TRUE);

  for (guint i = 0; i < self->groups->len; i++)
    {
      RgChannelGroup *group = g_ptr_array_index (self->groups, i);

      if (rg_channel_group_get_settings (group) != self->settings)
        rg_channel_group_set_settings (group, self->settings);
      else
        rg_channel_group_reload (group);
    }
}

static void
rg_channels_page_retry_keyring (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  check_keyring (RG_CHANNELS_PAGE (widget));
}

static void
rg_channels_page_show_server_settings (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  RgChannelsPage *self = RG_CHANNELS_PAGE (widget);

  rg_server_group_focus_public_base_url (self->server_group);
}

/* One group per channel of the catalogue, in its order, then the server they share. */
static void
build_groups (RgChannelsPage *self)
{
  const RgChannelInfo *channels;
  guint n_channels;

  channels = rg_channel_settings_get_channels (&n_channels);
  for (guint i = 0; i < n_channels; i++)
    {
      GtkWidget *group = rg_channel_group_new (channels[i].name);

      g_signal_connect_object (group, "secrets-loaded", G_CALLBACK (on_secrets_loaded), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (group, "keyring-error", G_CALLBACK (on_keyring_error), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_page_add (self->preferences_page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }

  self->server_group = RG_SERVER_GROUP (rg_server_group_new ());
  adw_preferences_page_add (self->preferences_page, ADW_PREFERENCES_GROUP (self->server_group));
}

/* The groups stop asking the keyring when they leave the window; so does the page. */
static void
rg_channels_page_unroot (GtkWidget *widget)
{
  set_checking (RG_CHANNELS_PAGE (widget), FALSE);

  GTK_WIDGET_CLASS (rg_channels_page_parent_class)->unroot (widget);
}

static void
rg_channels_page_dispose (GObject *object)
{
  RgChannelsPage *self = (RgChannelsPage *)object;

  g_ptr_array_set_size (self->groups, 0);
  self->server_group = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CHANNELS_PAGE);

  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_channels_page_parent_class)->dispose (object);
}

static void
rg_channels_page_finalize (GObject *object)
{
  RgChannelsPage *self = (RgChannelsPage *)object;

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->keyring_message, g_free);

  G_OBJECT_CLASS (rg_channels_page_parent_class)->finalize (object);
}

static void
rg_channels_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgChannelsPage *self = RG_CHANNELS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_KEYRING_AVAILABLE:
      g_value_set_boolean (value, self->keyring_available);
      break;

    case PROP_CHECKING_KEYRING:
      g_value_set_boolean (value, self->checking);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channels_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgChannelsPage *self = RG_CHANNELS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rg_channels_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channels_page_class_init (RgChannelsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_channels_page_dispose;
  object_class->finalize = rg_channels_page_finalize;
  object_class->get_property = rg_channels_page_get_property;
  object_class->set_property = rg_channels_page_set_property;

  widget_class->unroot = rg_channels_page_unroot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEYRING_AVAILABLE] =
    g_param_spec_boolean ("keyring-available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CHECKING_KEYRING] =
    g_param_spec_boolean ("checking-keyring", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_CHANNEL_GROUP);
  g_type_ensure (RG_TYPE_SERVER_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-channels-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RgChannelsPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, RgChannelsPage, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, RgChannelsPage, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, RgChannelsPage, retry_spinner);

  gtk_widget_class_install_action (widget_class, "channels.retry-keyring", NULL,
                                   rg_channels_page_retry_keyring);
  gtk_widget_class_install_action (widget_class, "channels.show-server-settings", NULL,
                                   rg_channels_page_show_server_settings);
}

static void
rg_channels_page_init (RgChannelsPage *self)
{
  self->keyring_available = TRUE;
  self->groups = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  build_groups (self);
}

GtkWidget *
rg_channels_page_new (void)
{
  return g_object_new (RG_TYPE_CHANNELS_PAGE, NULL);
}

RgStore *
rg_channels_page_get_store (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), NULL);

  return self->store;
}

/**
 * rg_channels_page_set_store:
 * @store: (nullable): the database whose channel settings the page edits
 *
 * Secrets go to the desktop keyring, everything else to @store.
 */
void
rg_channels_page_set_store (RgChannelsPage *self,
                            RgStore        *store)
{
  g_return_if_fail (RG_IS_CHANNELS_PAGE (self));
  g_return_if_fail (!store || RG_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_clear_object (&self->settings);
  if (store != NULL)
    {
      if (self->secrets == NULL)
        self->secrets = rg_secrets_new ();
      self->settings = rg_channel_settings_new (store, self->secrets);
    }

  rg_server_group_set_settings (self->server_group, self->settings);
  if (self->settings != NULL)
    {
      set_checking (self, FALSE);
      check_keyring (self);
    }
  else
    {
      for (guint i = 0; i < self->groups->len; i++)
        rg_channel_group_set_settings (g_ptr_array_index (self->groups, i), NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

/**
 * rg_channels_page_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings the page edits, once it has a store
 */
RgChannelSettings *
rg_channels_page_get_settings (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), NULL);

  return self->settings;
}

/**
 * rg_channels_page_get_group:
 * @channel: "line", "whatsapp", "wechat" or "sms"
 *
 * Returns: (transfer none) (nullable): the group editing @channel
 */
RgChannelGroup *
rg_channels_page_get_group (RgChannelsPage *self,
                            const char     *channel)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      RgChannelGroup *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (rg_channel_group_get_channel (group), channel) == 0)
        return group;
    }
  return NULL;
}

RgServerGroup *
rg_channels_page_get_server_group (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), NULL);

  return self->server_group;
}

gboolean
rg_channels_page_get_keyring_available (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), FALSE);

  return self->keyring_available;
}

gboolean
rg_channels_page_get_checking_keyring (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), FALSE);

  return self->checking;
}

/**
 * rg_channels_page_get_keyring_message:
 *
 * Returns: (nullable): what the page says about the keyring while it is unavailable
 */
const char *
rg_channels_page_get_keyring_message (RgChannelsPage *self)
{
  g_return_val_if_fail (RG_IS_CHANNELS_PAGE (self), NULL);

  return self->keyring_available ? NULL : self->keyring_message;
}
