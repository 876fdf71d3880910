/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-test-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-notify-test-dialog-private.h"
#include "rg-notify-trigger.h"
#include "rg-phone.h"

/* “Send Test…”: a real trigger of one setting, to a phone and with values typed here. It
 * goes through rg_notify_trigger() like one from the Open API, so the service sends it and
 * the overview counts it; the core's errors name the field, which shows them in place. */

typedef struct
{
  GtkWidget *row;
  GtkWidget *error_row;
  GtkLabel  *error_label;
} Field;

struct _RgNotifyTestDialog
{
  AdwWindow            parent_instance;

  RgStore             *store;
  RgNotifySetting     *setting;

  /* "phone" and "variables.NAME" → Field */
  GHashTable          *fields;
  GPtrArray           *variables;

  AdwWindowTitle      *window_title;
  GtkRevealer         *general_error_revealer;
  GtkLabel            *general_error_label;
  AdwEntryRow         *phone_row;
  GtkWidget           *phone_error_row;
  GtkLabel            *phone_error_label;
  GtkLabel            *phone_hint_label;
  AdwPreferencesGroup *values_group;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTING,
  N_PROPS
};

enum {
  SENT,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgNotifyTestDialog, rg_notify_test_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static Field *
field_new (GtkWidget *row,
           GtkWidget *error_row,
           GtkLabel  *error_label)
{
  Field *field = g_new0 (Field, 1);

  field->row = row;
  field->error_row = error_row;
  field->error_label = error_label;
  return field;
}

static void
clear_field_error (Field *field)
{
  gtk_widget_remove_css_class (field->row, "error");
  gtk_widget_set_visible (field->error_row, FALSE);
  gtk_label_set_text (field->error_label, "");
}

static void
clear_errors (RgNotifyTestDialog *self)
{
  GHashTableIter iter;
  gpointer field;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &field))
    clear_field_error (field);

  gtk_revealer_set_reveal_child (self->general_error_revealer, FALSE);
}

static void
show_error (RgNotifyTestDialog *self,
            const char         *field_name,
            const char         *message)
{
  Field *field = field_name != NULL ? g_hash_table_lookup (self->fields, field_name) : NULL;

  if (field == NULL)
    {
      gtk_label_set_text (self->general_error_label, message);
      gtk_revealer_set_reveal_child (self->general_error_revealer, TRUE);
      return;
    }

  gtk_widget_add_css_class (field->row, "error");
  gtk_label_set_text (field->error_label, message);
  gtk_widget_set_visible (field->error_row, TRUE);
  gtk_widget_grab_focus (field->row);
}

static char *
dup_region (RgNotifyTestDialog *self)
{
  return rg_store_dup_default_region (self->store);
}

static void
on_phone_changed (RgNotifyTestDialog *self,
                  AdwEntryRow        *row)
{
  g_autofree char *region = dup_region (self);
  g_autofree char *e164 = NULL;
  g_autofree char *display = NULL;

  clear_field_error (g_hash_table_lookup (self->fields, "phone"));

  /* The number as the service will dial it, once it is one. */
  if ((e164 = rg_phone_normalize (gtk_editable_get_text (GTK_EDITABLE (row)), region, NULL)))
    display = rg_phone_format_international (e164);
  gtk_label_set_text (self->phone_hint_label, display != NULL ? display : "");
}

static void
on_value_changed (RgNotifyTestDialog *self,
                  AdwEntryRow        *row)
{
  clear_field_error (g_object_get_data (G_OBJECT (row), "rg-field"));
}

static void
on_entry_activated (RgNotifyTestDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "test.send", NULL);
}

static void
add_value_row (RgNotifyTestDialog *self,
               const char         *name)
{
  GtkWidget *row;
  GtkWidget *error_row;
  GtkWidget *error_label;
  Field *field;

  row = g_object_new (ADW_TYPE_ENTRY_ROW,
                      "title", name,
                      "use-underline", FALSE,
                      NULL);
  error_label = g_object_new (GTK_TYPE_LABEL,
                              "wrap", TRUE,
                              "xalign", 0.0f,
                              "margin-start", 12,
                              "margin-end", 12,
                              "margin-top", 8,
                              "margin-bottom", 8,
                              NULL);
  gtk_widget_add_css_class (error_label, "error");
  error_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                            "child", error_label,
                            "visible", FALSE,
                            "activatable", FALSE,
                            "focusable", FALSE,
                            NULL);

  field = field_new (row, error_row, GTK_LABEL (error_label));
  g_hash_table_insert (self->fields, g_strconcat ("variables.", name, NULL), field);
  g_object_set_data (G_OBJECT (row), "rg-field", field);
  g_object_set_data_full (G_OBJECT (row), "rg-variable", g_strdup (name), g_free);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_value_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated), self,
                           G_CONNECT_SWAPPED);

  adw_preferences_group_add (self->values_group, row);
  adw_preferences_group_add (self->values_group, error_row);
}

/**
 * rg_notify_test_dialog_send:
 *
 * Triggers the setting with the phone and values typed; on success emits
 * #RgNotifyTestDialog::sent and closes.
 *
 * Returns: %TRUE when the trigger was accepted; otherwise the failing field says why
 */
gboolean
rg_notify_test_dialog_send (RgNotifyTestDialog *self)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *trigger_id = NULL;

  g_return_val_if_fail (RG_IS_NOTIFY_TEST_DIALOG (self), FALSE);

  clear_errors (self);

  region = dup_region (self);
  if (!(phone = rg_phone_normalize (gtk_editable_get_text (GTK_EDITABLE (self->phone_row)),
                                    region, &error)))
    {
      show_error (self, "phone", error->message);
      return FALSE;
    }

  /* An empty value is no value: the core then names the variable that lacks one. */
  values = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->variables->len; i++)
    {
      const char *name = g_ptr_array_index (self->variables, i);
      g_autofree char *key = g_strconcat ("variables.", name, NULL);
      Field *field = g_hash_table_lookup (self->fields, key);
      const char *value = gtk_editable_get_text (GTK_EDITABLE (field->row));

      if (value[0] != '\0')
        g_hash_table_insert (values, (gpointer) name, (gpointer) value);
    }

  if (!rg_notify_trigger (self->store, rg_notify_setting_get_id (self->setting), phone, values,
                          NULL, &trigger_id, &error))
    {
      if (error->domain != RG_NOTIFY_ERROR)
        g_warning ("Could not send a test of %s: %s",
                   rg_notify_setting_get_id (self->setting), error->message);
      show_error (self, rg_notify_error_get_field (error), error->message);
      return FALSE;
    }

  g_signal_emit (self, signals[SENT], 0, trigger_id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rg_notify_test_dialog_send (RG_NOTIFY_TEST_DIALOG (widget));
}

static void
rg_notify_test_dialog_constructed (GObject *object)
{
  RgNotifyTestDialog *self = (RgNotifyTestDialog *)object;

  G_OBJECT_CLASS (rg_notify_test_dialog_parent_class)->constructed (object);

  g_assert (RG_IS_STORE (self->store));
  g_assert (RG_IS_NOTIFY_SETTING (self->setting));

  adw_window_title_set_subtitle (self->window_title, rg_notify_setting_get_name (self->setting));

  self->variables = rg_notify_setting_dup_variables (self->setting);
  for (guint i = 0; i < self->variables->len; i++)
    add_value_row (self, g_ptr_array_index (self->variables, i));
  gtk_widget_set_visible (GTK_WIDGET (self->values_group), self->variables->len > 0);
}

static void
rg_notify_test_dialog_dispose (GObject *object)
{
  RgNotifyTestDialog *self = (RgNotifyTestDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_NOTIFY_TEST_DIALOG);

  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_clear_object (&self->setting);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_notify_test_dialog_parent_class)->dispose (object);
}

static void
rg_notify_test_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RgNotifyTestDialog *self = RG_NOTIFY_TEST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTING:
      g_value_set_object (value, self->setting);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_test_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RgNotifyTestDialog *self = RG_NOTIFY_TEST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTING:
      self->setting = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_test_dialog_class_init (RgNotifyTestDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_notify_test_dialog_constructed;
  object_class->dispose = rg_notify_test_dialog_dispose;
  object_class->get_property = rg_notify_test_dialog_get_property;
  object_class->set_property = rg_notify_test_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTING] =
    g_param_spec_object ("setting", NULL, NULL,
                         RG_TYPE_NOTIFY_SETTING,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgNotifyTestDialog::sent:
   * @trigger_id: the new trigger's ID, “tr_…”
   */
  signals[SENT] =
    g_signal_new ("sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-notify-test-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, general_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, phone_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, phone_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyTestDialog, values_group);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "test.send", NULL, send_action);
}

static void
rg_notify_test_dialog_init (RgNotifyTestDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (self->fields, g_strdup ("phone"),
                       field_new (GTK_WIDGET (self->phone_row), self->phone_error_row,
                                  self->phone_error_label));

  self->phone_hint_label = g_object_new (GTK_TYPE_LABEL, "valign", GTK_ALIGN_CENTER, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->phone_hint_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->phone_hint_label), "numeric");
  adw_entry_row_add_suffix (self->phone_row, GTK_WIDGET (self->phone_hint_label));
}

/**
 * rg_notify_test_dialog_new:
 * @parent: (nullable): the main window
 * @store: the database the trigger is written to
 * @setting: the stored setting to test
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
RgNotifyTestDialog *
rg_notify_test_dialog_new (GtkWindow       *parent,
                           RgStore         *store,
                           RgNotifySetting *setting)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (setting), NULL);

  return g_object_new (RG_TYPE_NOTIFY_TEST_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "setting", setting,
                       NULL);
}

RgNotifySetting *
rg_notify_test_dialog_get_setting (RgNotifyTestDialog *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_TEST_DIALOG (self), NULL);

  return self->setting;
}

AdwEntryRow *
_rg_notify_test_dialog_get_phone_row (RgNotifyTestDialog *self)
{
  return self->phone_row;
}

AdwEntryRow *
_rg_notify_test_dialog_get_value_row (RgNotifyTestDialog *self,
                                      const char         *variable)
{
  g_autofree char *key = g_strconcat ("variables.", variable, NULL);
  Field *field = g_hash_table_lookup (self->fields, key);

  return field != NULL ? ADW_ENTRY_ROW (field->row) : NULL;
}

/**
 * _rg_notify_test_dialog_get_field_error:
 * @field: "phone", "variables.NAME" or "general"
 *
 * Returns: (nullable): the message shown there
 */
const char *
_rg_notify_test_dialog_get_field_error (RgNotifyTestDialog *self,
                                        const char         *field)
{
  Field *info;

  if (g_str_equal (field, "general"))
    return gtk_revealer_get_reveal_child (self->general_error_revealer)
           ? gtk_label_get_text (self->general_error_label) : NULL;

  info = g_hash_table_lookup (self->fields, field);
  if (info == NULL || !gtk_widget_get_visible (info->error_row))
    return NULL;
  return gtk_label_get_text (info->error_label);
}
