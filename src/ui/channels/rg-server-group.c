/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-server-group"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channels-private.h"
#include "rg-server-group.h"

enum {
  ROW_ADDRESS,
  ROW_PORT,
  ROW_PUBLIC_BASE_URL,
  N_ROWS
};

static const char * const row_names[N_ROWS] = {
  [ROW_ADDRESS] = "address",
  [ROW_PORT] = "port",
  [ROW_PUBLIC_BASE_URL] = "public-base-url",
};

struct _RgServerGroup
{
  AdwPreferencesGroup  parent_instance;

  RgChannelSettings   *settings;
  RgFieldFeedback      feedback[N_ROWS];

  GtkListBox          *list;
  AdwEntryRow         *address_row;
  AdwEntryRow         *port_row;
  AdwEntryRow         *public_url_row;

  guint                updating : 1;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgServerGroup, rg_server_group, ADW_TYPE_PREFERENCES_GROUP)

static GParamSpec *properties[N_PROPS];

static int
find_row (const char *name)
{
  for (guint i = 0; i < N_ROWS; i++)
    {
      if (g_strcmp0 (row_names[i], name) == 0)
        return (int) i;
    }
  return -1;
}

static void
set_row_text (RgServerGroup *self,
              int            row,
              const char    *text)
{
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->feedback[row].row), text != NULL ? text : "");
  self->updating = FALSE;
}

static void
load_row (RgServerGroup *self,
          int            row)
{
  g_autofree char *value = NULL;

  if (self->settings == NULL)
    {
      set_row_text (self, row, NULL);
      return;
    }

  switch (row)
    {
    case ROW_ADDRESS:
      value = rg_channel_settings_dup_server_address (self->settings);
      break;

    case ROW_PORT:
      value = g_strdup_printf ("%u", rg_channel_settings_get_server_port (self->settings));
      break;

    case ROW_PUBLIC_BASE_URL:
      value = rg_channel_settings_dup_public_base_url (self->settings);
      break;

    default:
      g_assert_not_reached ();
    }

  set_row_text (self, row, value);
}

static gboolean
save_row (RgServerGroup  *self,
          int             row,
          const char     *text,
          GError        **error)
{
  guint64 port = 0;

  switch (row)
    {
    case ROW_ADDRESS:
      return rg_channel_settings_set_server_address (self->settings,
                                                     text[0] != '\0' ? text : NULL, error);

    case ROW_PORT:
      if (text[0] != '\0' &&
          !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
        {
          g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                       _("“%s” is not a port; use a number from 1 to 65535, or leave it empty "
                         "for %d"),
                       text, RG_SERVER_DEFAULT_PORT);
          return FALSE;
        }
      return rg_channel_settings_set_server_port (self->settings, (guint) port, error);

    case ROW_PUBLIC_BASE_URL:
      return rg_channel_settings_set_public_base_url (self->settings,
                                                      text[0] != '\0' ? text : NULL, error);

    default:
      g_assert_not_reached ();
    }
}

/* The preferences live in the database's small meta table: one quick write, no thread. */
static void
rg_server_group_save (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RgServerGroup *self = RG_SERVER_GROUP (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int row;

  if (self->settings == NULL)
    return;

  if ((row = find_row (name)) < 0)
    {
      g_warning ("The built-in server has no setting “%s”", name);
      return;
    }

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->feedback[row].row))));
  if (!save_row (self, row, text, &error))
    {
      _rg_field_feedback_set (&self->feedback[row], RG_FIELD_STATUS_ERROR,
                              _rg_channels_strip_prefix (error->message));
      return;
    }

  load_row (self, row);
  _rg_field_feedback_set (&self->feedback[row], RG_FIELD_STATUS_SAVED, NULL);
}

static void
on_row_apply (RgServerGroup *self,
              AdwEntryRow   *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "server.save", "s",
                              gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_row_changed (RgServerGroup *self,
                AdwEntryRow   *row)
{
  int index = find_row (gtk_widget_get_name (GTK_WIDGET (row)));

  if (self->updating || index < 0)
    return;

  _rg_field_feedback_set (&self->feedback[index], RG_FIELD_STATUS_NONE, NULL);
}

static void
rg_server_group_dispose (GObject *object)
{
  RgServerGroup *self = (RgServerGroup *)object;

  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_SERVER_GROUP);

  G_OBJECT_CLASS (rg_server_group_parent_class)->dispose (object);
}

static void
rg_server_group_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RgServerGroup *self = RG_SERVER_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_server_group_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RgServerGroup *self = RG_SERVER_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      rg_server_group_set_settings (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_server_group_class_init (RgServerGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_server_group_dispose;
  object_class->get_property = rg_server_group_get_property;
  object_class->set_property = rg_server_group_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-server-group.ui");
  gtk_widget_class_bind_template_child (widget_class, RgServerGroup, list);
  gtk_widget_class_bind_template_child (widget_class, RgServerGroup, address_row);
  gtk_widget_class_bind_template_child (widget_class, RgServerGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, RgServerGroup, public_url_row);
  gtk_widget_class_bind_template_callback (widget_class, on_row_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed);

  gtk_widget_class_install_action (widget_class, "server.save", "s", rg_server_group_save);
}

static void
rg_server_group_init (RgServerGroup *self)
{
  AdwEntryRow *rows[N_ROWS];

  gtk_widget_init_template (GTK_WIDGET (self));

  rows[ROW_ADDRESS] = self->address_row;
  rows[ROW_PORT] = self->port_row;
  rows[ROW_PUBLIC_BASE_URL] = self->public_url_row;

  for (guint i = 0; i < N_ROWS; i++)
    {
      _rg_field_feedback_init (&self->feedback[i], GTK_WIDGET (rows[i]));
      gtk_list_box_insert (self->list, self->feedback[i].message_row,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (rows[i])) + 1);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.save", FALSE);
}

GtkWidget *
rg_server_group_new (void)
{
  return g_object_new (RG_TYPE_SERVER_GROUP, NULL);
}

RgChannelSettings *
rg_server_group_get_settings (RgServerGroup *self)
{
  g_return_val_if_fail (RG_IS_SERVER_GROUP (self), NULL);

  return self->settings;
}

void
rg_server_group_set_settings (RgServerGroup     *self,
                              RgChannelSettings *settings)
{
  g_return_if_fail (RG_IS_SERVER_GROUP (self));
  g_return_if_fail (!settings || RG_IS_CHANNEL_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.save", settings != NULL);
  rg_server_group_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

void
rg_server_group_reload (RgServerGroup *self)
{
  g_return_if_fail (RG_IS_SERVER_GROUP (self));

  for (int i = 0; i < N_ROWS; i++)
    {
      load_row (self, i);
      _rg_field_feedback_set (&self->feedback[i], RG_FIELD_STATUS_NONE, NULL);
    }
}

/**
 * rg_server_group_get_row:
 * @name: "address", "port" or "public-base-url"
 *
 * Returns: (transfer none) (nullable): the row editing @name
 */
GtkWidget *
rg_server_group_get_row (RgServerGroup *self,
                         const char    *name)
{
  int row;

  g_return_val_if_fail (RG_IS_SERVER_GROUP (self), NULL);

  row = find_row (name);
  return row >= 0 ? self->feedback[row].row : NULL;
}

/**
 * rg_server_group_get_error:
 *
 * Returns: (nullable): the message shown under the row of @name, if any
 */
const char *
rg_server_group_get_error (RgServerGroup *self,
                           const char    *name)
{
  int row;

  g_return_val_if_fail (RG_IS_SERVER_GROUP (self), NULL);

  if ((row = find_row (name)) < 0 ||
      _rg_field_feedback_get (&self->feedback[row]) != RG_FIELD_STATUS_ERROR)
    return NULL;

  return gtk_label_get_text (self->feedback[row].message_label);
}

/**
 * rg_server_group_focus_public_base_url:
 *
 * Moves the keyboard focus to the public base URL, which scrolls the page to it.
 */
void
rg_server_group_focus_public_base_url (RgServerGroup *self)
{
  g_return_if_fail (RG_IS_SERVER_GROUP (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->public_url_row));
}
