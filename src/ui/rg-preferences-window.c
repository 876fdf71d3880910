/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-application.h"
#include "rg-member-store.h"
#include "rg-notify-api.h"
#include "rg-phone.h"
#include "rg-preferences-window-private.h"

/* The regions a shop in Regulars' markets is likely to pick, in the order shown. */
static const char * const region_codes[] = {
  "TW", "HK", "MO", "CN", "MY", "SG", "JP", "KR", "TH", "VN", "PH", "ID", "AU", "NZ",
  "GB", "US", "CA",
};

struct _RgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  RgStore              *store;
  RgMemberStore        *member_store;
  GListModel           *definitions;
  GtkStringList        *codes;
  GtkWidget            *attribute_editor;
  RgSecrets            *secrets;
  GCancellable         *cancellable;
  char                 *api_endpoint;

  AdwComboRow          *region_row;
  GtkListBox           *attributes_list;
  AdwActionRow         *api_endpoint_row;

  guint                 loading_region : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgPreferencesWindow, rg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
add_toast_for_error (RgPreferencesWindow *self,
                     const GError        *error)
{
  g_autofree char *title = g_markup_escape_text (error->message, -1);

  g_warning ("%s", error->message);
  /* The window takes the new toast's reference. */
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
}

static void
load_regions (RgPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = rg_store_dup_default_region (self->store);
  guint selected = 0;
  gboolean listed = FALSE;

  g_clear_object (&self->codes);
  self->codes = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (region_codes); i++)
    {
      const char *name = rg_phone_region_get_name (region_codes[i]);

      gtk_string_list_append (self->codes, region_codes[i]);
      gtk_string_list_append (names, name != NULL ? name : region_codes[i]);
      if (g_ascii_strcasecmp (region_codes[i], current) == 0)
        {
          selected = i;
          listed = TRUE;
        }
    }

  /* A region set elsewhere (the CLI) stays selectable. */
  if (!listed)
    {
      const char *name = rg_phone_region_get_name (current);

      selected = g_list_model_get_n_items (G_LIST_MODEL (self->codes));
      gtk_string_list_append (self->codes, current);
      gtk_string_list_append (names, name != NULL ? name : current);
    }

  self->loading_region = TRUE;
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->region_row, selected);
  self->loading_region = FALSE;
}

static void
on_region_selected (RgPreferencesWindow *self,
                    GParamSpec          *pspec,
                    AdwComboRow         *row)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (row);
  const char *code;

  if (self->loading_region || self->store == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  code = gtk_string_list_get_string (self->codes, selected);
  if (!rg_store_set_default_region (self->store, code, &error))
    add_toast_for_error (self, error);
}

static GtkWidget *
create_attribute_row (gpointer item,
                      gpointer user_data)
{
  RgAttributeDefinition *definition = item;
  const char *key = rg_attribute_definition_get_key (definition);
  const char *label = rg_attribute_definition_get_label (definition);
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *row;
  GtkWidget *remove;

  /* Translators: under a custom attribute's label, “birthday · Date” */
  subtitle = g_strdup_printf (_("%s · %s"), key,
                              rg_attribute_type_get_label (rg_attribute_definition_get_value_type (definition)));
  /* Translators: tooltip of the remove button, “Remove “Birthday”” */
  tooltip = g_strdup_printf (_("Remove “%s”"), label);

  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "title", label,
                      "subtitle", subtitle,
                      "activatable", TRUE,
                      "use-markup", FALSE,
                      NULL);
  gtk_widget_set_tooltip_text (row, _("Edit"));

  remove = g_object_new (GTK_TYPE_BUTTON,
                         "icon-name", "user-trash-symbolic",
                         "valign", GTK_ALIGN_CENTER,
                         "tooltip-text", tooltip,
                         "action-name", "preferences.remove-attribute",
                         NULL);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", key);
  gtk_widget_add_css_class (remove, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "rg-key", g_strdup (key), g_free);
  return row;
}

static void
load_attributes (RgPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->definitions);
  if ((self->definitions = rg_member_store_list_attributes (self->member_store, &error)) == NULL)
    {
      add_toast_for_error (self, error);
      self->definitions = G_LIST_MODEL (g_list_store_new (RG_TYPE_ATTRIBUTE_DEFINITION));
    }

  gtk_list_box_bind_model (self->attributes_list, self->definitions,
                           create_attribute_row, self, NULL);
}

static RgAttributeDefinition *
find_definition (RgPreferencesWindow *self,
                 const char          *key)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->definitions); i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (self->definitions, i);

      if (g_strcmp0 (rg_attribute_definition_get_key (definition), key) == 0)
        return g_steal_pointer (&definition);
    }
  return NULL;
}

static void
on_editor_done (RgPreferencesWindow *self,
                RgAttributeEditor   *editor)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  self->attribute_editor = NULL;
}

static void
open_editor (RgPreferencesWindow   *self,
             RgAttributeDefinition *definition)
{
  GtkWidget *editor = rg_attribute_editor_new (self->member_store, definition);

  g_signal_connect_object (editor, "done", G_CALLBACK (on_editor_done), self, G_CONNECT_SWAPPED);
  self->attribute_editor = editor;
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
}

static void
on_attribute_row_activated (RgPreferencesWindow *self,
                            GtkListBoxRow       *row,
                            GtkListBox          *list_box)
{
  const char *key = g_object_get_data (G_OBJECT (row), "rg-key");

  if (key != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "preferences.edit-attribute", "s", key);
}

static void
add_attribute_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_editor (RG_PREFERENCES_WINDOW (widget), NULL);
}

static void
edit_attribute_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (widget);
  g_autoptr(RgAttributeDefinition) definition = find_definition (self, g_variant_get_string (parameter, NULL));

  if (definition != NULL)
    open_editor (self, definition);
}

static void
on_remove_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    RgPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (dialog), "rg-key");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove") || self->member_store == NULL)
    return;

  if (!rg_member_store_remove_attribute (self->member_store, key, &error))
    add_toast_for_error (self, error);
}

static void
remove_attribute_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  g_autoptr(RgAttributeDefinition) definition = find_definition (self, key);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (definition == NULL)
    return;

  /* Translators: “Remove “Birthday”?” */
  heading = g_strdup_printf (_("Remove “%s”?"), rg_attribute_definition_get_label (definition));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Every member's value of this attribute "
                                                         "is removed with it. This cannot be "
                                                         "undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rg-key", g_strdup (key), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_attributes_changed (RgPreferencesWindow *self)
{
  load_attributes (self);
}

/* Where the shop's systems reach the Open API: through the public base URL when one is set,
 * else where this process's server listens, else where the settings say it will. */
static char *
dup_api_endpoint (RgPreferencesWindow *self)
{
  g_autoptr(RgChannelSettings) settings = rg_channel_settings_new (self->store, self->secrets);
  g_autofree char *base = rg_channel_settings_dup_public_base_url (settings);
  GApplication *app = g_application_get_default ();
  RgService *service = RG_IS_APPLICATION (app) ? rg_application_get_service (RG_APPLICATION (app)) : NULL;

  if (base == NULL && service != NULL && rg_service_get_running (service))
    base = rg_server_dup_url (rg_service_get_server (service));

  if (base == NULL)
    {
      g_autofree char *address = rg_channel_settings_dup_server_address (settings);

      return g_uri_join (G_URI_FLAGS_NONE, "http", NULL, address,
                         (int) rg_channel_settings_get_server_port (settings),
                         "/api/v1/notifications", NULL, NULL);
    }

  return g_strconcat (base, "/api/v1/notifications", NULL);
}

static void
load_api_endpoint (RgPreferencesWindow *self)
{
  g_autofree char *subtitle = NULL;

  g_free (self->api_endpoint);
  self->api_endpoint = dup_api_endpoint (self);
  /* Translators: the Open API endpoint with its HTTP method, “POST https://…” */
  subtitle = g_strdup_printf (_("POST %s"), self->api_endpoint);
  adw_action_row_set_subtitle (self->api_endpoint_row, subtitle);
}

static void
copy_api_endpoint_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->api_endpoint);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Endpoint copied")));
}

static void
on_copy_token_clicked (GtkButton *button,
                       GtkLabel  *token_label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_text (token_label));
  gtk_button_set_icon_name (button, "object-select-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
}

/* The token is shown here once; after this dialog only the keyring has it. */
static void
show_api_token (RgPreferencesWindow *self,
                const char          *token)
{
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *copy;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("New API Token"),
                                                       _("Copy the token into your system now: "
                                                         "it is not shown again. Send it with "
                                                         "every request as “Authorization: "
                                                         "Bearer” and the token.")));
  adw_message_dialog_add_response (dialog, "done", _("_Done"));

  label = g_object_new (GTK_TYPE_LABEL,
                        "label", token,
                        "selectable", TRUE,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_CHAR,
                        "xalign", 0.0f,
                        "hexpand", TRUE,
                        "margin-start", 12,
                        "margin-top", 12,
                        "margin-bottom", 12,
                        NULL);
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("API token"),
                                  -1);

  copy = g_object_new (GTK_TYPE_BUTTON,
                       "icon-name", "edit-copy-symbolic",
                       "tooltip-text", _("Copy Token"),
                       "valign", GTK_ALIGN_CENTER,
                       "margin-end", 6,
                       NULL);
  gtk_widget_add_css_class (copy, "flat");
  g_signal_connect_object (copy, "clicked", G_CALLBACK (on_copy_token_clicked), label, 0);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (box, "card");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (dialog, box);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
api_token_created_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(RgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = rg_notify_api_token_new_finish (RG_SECRETS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      add_toast_for_error (self, error);
      return;
    }

  show_api_token (self, token);
}

static void
on_generate_response (AdwMessageDialog    *dialog,
                      const char          *response,
                      RgPreferencesWindow *self)
{
  if (!g_str_equal (response, "generate"))
    return;

  rg_notify_api_token_new_async (self->secrets, self->cancellable, api_token_created_cb,
                                 g_object_ref (self));
}

static void
generate_api_token_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Generate a New API Token?"),
                                                       _("A token made before stops working at "
                                                         "once: systems that use it need the "
                                                         "new one.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "generate", _("_Generate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "generate", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "generate");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_generate_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rg_preferences_window_constructed (GObject *object)
{
  RgPreferencesWindow *self = (RgPreferencesWindow *)object;

  G_OBJECT_CLASS (rg_preferences_window_parent_class)->constructed (object);

  g_assert (RG_IS_STORE (self->store));

  self->member_store = rg_member_store_new (self->store);
  g_signal_connect_object (self->member_store, "attributes-changed",
                           G_CALLBACK (on_attributes_changed), self, G_CONNECT_SWAPPED);

  load_regions (self);
  load_attributes (self);
  load_api_endpoint (self);
}

static void
rg_preferences_window_dispose (GObject *object)
{
  RgPreferencesWindow *self = (RgPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_PREFERENCES_WINDOW);

  self->attribute_editor = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->api_endpoint, g_free);
  g_clear_object (&self->definitions);
  g_clear_object (&self->codes);
  g_clear_object (&self->member_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_preferences_window_parent_class)->dispose (object);
}

static void
rg_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RgPreferencesWindow *self = RG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_preferences_window_class_init (RgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_preferences_window_constructed;
  object_class->dispose = rg_preferences_window_dispose;
  object_class->get_property = rg_preferences_window_get_property;
  object_class->set_property = rg_preferences_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesWindow, attributes_list);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesWindow, api_endpoint_row);
  gtk_widget_class_bind_template_callback (widget_class, on_region_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_attribute_row_activated);

  gtk_widget_class_install_action (widget_class, "preferences.add-attribute", NULL,
                                   add_attribute_action);
  gtk_widget_class_install_action (widget_class, "preferences.edit-attribute", "s",
                                   edit_attribute_action);
  gtk_widget_class_install_action (widget_class, "preferences.remove-attribute", "s",
                                   remove_attribute_action);
  gtk_widget_class_install_action (widget_class, "preferences.copy-api-endpoint", NULL,
                                   copy_api_endpoint_action);
  gtk_widget_class_install_action (widget_class, "preferences.generate-api-token", NULL,
                                   generate_api_token_action);
}

static void
rg_preferences_window_init (RgPreferencesWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->secrets = rg_secrets_new ();
  self->cancellable = g_cancellable_new ();

  placeholder = g_object_new (GTK_TYPE_LABEL,
                              "label", _("No custom attributes yet"),
                              "margin-top", 18,
                              "margin-bottom", 18,
                              NULL);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->attributes_list, placeholder);
}

/**
 * rg_preferences_window_new:
 * @parent: (nullable): the main window
 *
 * Returns: (transfer none): the preferences of the shop in @store, not shown yet
 */
GtkWindow *
rg_preferences_window_new (GtkWindow *parent,
                           RgStore   *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

RgStore *
rg_preferences_window_get_store (RgPreferencesWindow *self)
{
  g_return_val_if_fail (RG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->store;
}

AdwComboRow *
_rg_preferences_window_get_region_row (RgPreferencesWindow *self)
{
  return self->region_row;
}

GListModel *
_rg_preferences_window_get_region_codes (RgPreferencesWindow *self)
{
  return G_LIST_MODEL (self->codes);
}

RgAttributeEditor *
_rg_preferences_window_get_attribute_editor (RgPreferencesWindow *self)
{
  return self->attribute_editor != NULL ? RG_ATTRIBUTE_EDITOR (self->attribute_editor) : NULL;
}

guint
_rg_preferences_window_get_n_attribute_rows (RgPreferencesWindow *self)
{
  return g_list_model_get_n_items (self->definitions);
}

void
_rg_preferences_window_edit_attribute (RgPreferencesWindow *self,
                                       guint                position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->attributes_list, position);

  g_return_if_fail (row != NULL);
  g_signal_emit_by_name (row, "activate");
}

void
_rg_preferences_window_remove_attribute (RgPreferencesWindow *self,
                                         guint                position)
{
  g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (self->definitions, position);

  g_return_if_fail (definition != NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "preferences.remove-attribute", "s",
                              rg_attribute_definition_get_key (definition));
}
