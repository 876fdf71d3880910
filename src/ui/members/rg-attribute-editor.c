/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-attribute-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-attribute-editor-private.h"

/*
 * RgAttributeEditor: adds a custom member attribute or changes one, as a subpage of the
 * preferences window. Refusals of the store are shown under the row they are about.
 */

typedef struct
{
  GtkWidget *row;
  GtkWidget *error_row;
  GtkLabel  *error_label;
} FieldError;

enum {
  FIELD_LABEL,
  FIELD_KEY,
  FIELD_TYPE,
  N_FIELDS
};

static const char * const field_names[N_FIELDS] = {
  [FIELD_LABEL] = RG_MEMBER_FIELD_ATTRIBUTE_LABEL,
  [FIELD_KEY] = RG_MEMBER_FIELD_ATTRIBUTE_KEY,
  [FIELD_TYPE] = RG_MEMBER_FIELD_ATTRIBUTE_TYPE,
};

struct _RgAttributeEditor
{
  GtkWidget              parent_instance;

  RgMemberStore         *member_store;
  /* The attribute changed; NULL when adding one. */
  RgAttributeDefinition *definition;
  FieldError             errors[N_FIELDS];

  AdwWindowTitle        *window_title;
  GtkButton             *save_button;
  AdwEntryRow           *label_row;
  AdwEntryRow           *key_row;
  AdwComboRow           *type_row;

  /* The key follows the label until the user types one. */
  guint                  key_edited : 1;
  guint                  setting_key : 1;
};

enum {
  PROP_0,
  PROP_MEMBER_STORE,
  PROP_DEFINITION,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgAttributeEditor, rg_attribute_editor, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_error (RgAttributeEditor *self,
            guint              field,
            const char        *message)
{
  FieldError *error = &self->errors[field];

  if (message != NULL)
    gtk_widget_add_css_class (error->row, "error");
  else
    gtk_widget_remove_css_class (error->row, "error");
  gtk_label_set_text (error->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (error->error_row, message != NULL);
}

/* "Favourite Tea" → "favourite_tea"; a label with no ASCII letters suggests nothing. */
static char *
suggest_key (const char *label)
{
  GString *key = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (key->len > 0 && key->str[key->len - 1] != '_')
        g_string_append_c (key, '_');
    }
  while (key->len > 0 && key->str[key->len - 1] == '_')
    g_string_truncate (key, key->len - 1);

  if (!rg_attribute_key_is_valid (key->str))
    g_string_truncate (key, 0);
  return g_string_free (key, FALSE);
}

static void
on_label_changed (RgAttributeEditor *self,
                  AdwEntryRow       *row)
{
  show_error (self, FIELD_LABEL, NULL);

  if (self->definition == NULL && !self->key_edited)
    {
      g_autofree char *key = suggest_key (gtk_editable_get_text (GTK_EDITABLE (row)));

      self->setting_key = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), key);
      self->setting_key = FALSE;
    }
}

static void
on_key_changed (RgAttributeEditor *self,
                AdwEntryRow       *row)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (row));

  if (!self->setting_key)
    self->key_edited = TRUE;

  show_error (self, FIELD_KEY, NULL);
  /* Say at once that a key cannot be like that; the message comes with saving. */
  if (key[0] != '\0' && !rg_attribute_key_is_valid (key))
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
on_type_changed (RgAttributeEditor *self,
                 GParamSpec        *pspec,
                 AdwComboRow       *row)
{
  show_error (self, FIELD_TYPE, NULL);
}

static void
on_entry_activated (RgAttributeEditor *self,
                    AdwEntryRow       *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "attribute.save", NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rg_attribute_editor_save (RG_ATTRIBUTE_EDITOR (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

static void
rg_attribute_editor_constructed (GObject *object)
{
  RgAttributeEditor *self = (RgAttributeEditor *)object;

  G_OBJECT_CLASS (rg_attribute_editor_parent_class)->constructed (object);

  if (self->definition != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Edit Attribute"));
      gtk_button_set_label (self->save_button, _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->label_row),
                             rg_attribute_definition_get_label (self->definition));
      gtk_editable_set_text (GTK_EDITABLE (self->key_row),
                             rg_attribute_definition_get_key (self->definition));
      adw_combo_row_set_selected (self->type_row,
                                  rg_attribute_definition_get_value_type (self->definition));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->type_row),
                                   _("A new type converts every member's value, and is refused "
                                     "when a value does not fit"));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Attribute"));
      gtk_button_set_label (self->save_button, _("_Add"));
    }
}

static void
rg_attribute_editor_dispose (GObject *object)
{
  RgAttributeEditor *self = (RgAttributeEditor *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_ATTRIBUTE_EDITOR);
  /* dispose_template() leaves the unnamed top box of the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->definition);
  g_clear_object (&self->member_store);

  G_OBJECT_CLASS (rg_attribute_editor_parent_class)->dispose (object);
}

static void
rg_attribute_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RgAttributeEditor *self = RG_ATTRIBUTE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      g_value_set_object (value, self->member_store);
      break;

    case PROP_DEFINITION:
      g_value_set_object (value, self->definition);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_attribute_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RgAttributeEditor *self = RG_ATTRIBUTE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      self->member_store = g_value_dup_object (value);
      break;

    case PROP_DEFINITION:
      self->definition = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_attribute_editor_class_init (RgAttributeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_attribute_editor_constructed;
  object_class->dispose = rg_attribute_editor_dispose;
  object_class->get_property = rg_attribute_editor_get_property;
  object_class->set_property = rg_attribute_editor_set_property;

  properties[PROP_MEMBER_STORE] =
    g_param_spec_object ("member-store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgAttributeEditor:definition:
   * The attribute to change (the editor changes a copy); %NULL to add one.
   */
  properties[PROP_DEFINITION] =
    g_param_spec_object ("definition", NULL, NULL,
                         RG_TYPE_ATTRIBUTE_DEFINITION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgAttributeEditor::done:
   *
   * The attribute was saved, or the user went back; the editor can go.
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-attribute-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RgAttributeEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgAttributeEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RgAttributeEditor, label_row);
  gtk_widget_class_bind_template_child (widget_class, RgAttributeEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, RgAttributeEditor, type_row);
  gtk_widget_class_bind_template_callback (widget_class, on_label_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_type_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "attribute.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "attribute.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "attribute.cancel", NULL);
}

static void
rg_attribute_editor_init (RgAttributeEditor *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkWidget *rows[N_FIELDS];

  gtk_widget_init_template (GTK_WIDGET (self));

  rows[FIELD_LABEL] = GTK_WIDGET (self->label_row);
  rows[FIELD_KEY] = GTK_WIDGET (self->key_row);
  rows[FIELD_TYPE] = GTK_WIDGET (self->type_row);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *list_box = gtk_widget_get_parent (rows[i]);
      GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                       "wrap", TRUE,
                                       "xalign", 0.0f,
                                       "margin-start", 12,
                                       "margin-end", 12,
                                       "margin-top", 8,
                                       "margin-bottom", 8,
                                       NULL);
      GtkWidget *error_row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                                           "activatable", FALSE,
                                           "selectable", FALSE,
                                           "focusable", FALSE,
                                           "visible", FALSE,
                                           "child", label,
                                           NULL);

      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (label, "caption");
      gtk_list_box_insert (GTK_LIST_BOX (list_box), error_row,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (rows[i])) + 1);

      self->errors[i].row = rows[i];
      self->errors[i].error_row = error_row;
      self->errors[i].error_label = GTK_LABEL (label);
    }

  for (RgAttributeType type = RG_ATTRIBUTE_TYPE_TEXT; type <= RG_ATTRIBUTE_TYPE_YES_NO; type++)
    gtk_string_list_append (types, rg_attribute_type_get_label (type));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));
}

/**
 * rg_attribute_editor_new:
 * @definition: (nullable): the attribute to change; %NULL to add one
 */
GtkWidget *
rg_attribute_editor_new (RgMemberStore         *member_store,
                         RgAttributeDefinition *definition)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (member_store), NULL);
  g_return_val_if_fail (definition == NULL || RG_IS_ATTRIBUTE_DEFINITION (definition), NULL);

  return g_object_new (RG_TYPE_ATTRIBUTE_EDITOR,
                       "member-store", member_store,
                       "definition", definition,
                       NULL);
}

/**
 * rg_attribute_editor_save:
 *
 * Adds or changes the attribute. Emits #RgAttributeEditor::done on success.
 *
 * Returns: %FALSE with the store's message under the row it is about
 */
gboolean
rg_attribute_editor_save (RgAttributeEditor *self)
{
  g_autoptr(RgAttributeDefinition) definition = NULL;
  g_autoptr(GError) error = NULL;
  const char *field;
  gboolean saved;

  g_return_val_if_fail (RG_IS_ATTRIBUTE_EDITOR (self), FALSE);

  for (guint i = 0; i < N_FIELDS; i++)
    show_error (self, i, NULL);

  if (self->definition != NULL)
    {
      definition = rg_attribute_definition_copy (self->definition);
      rg_attribute_definition_set_key (definition, gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
      rg_attribute_definition_set_label (definition,
                                         gtk_editable_get_text (GTK_EDITABLE (self->label_row)));
      rg_attribute_definition_set_value_type (definition, adw_combo_row_get_selected (self->type_row));
      saved = rg_member_store_update_attribute (self->member_store,
                                                rg_attribute_definition_get_key (self->definition),
                                                definition, &error);
    }
  else
    {
      definition = rg_attribute_definition_new (gtk_editable_get_text (GTK_EDITABLE (self->key_row)),
                                                gtk_editable_get_text (GTK_EDITABLE (self->label_row)),
                                                adw_combo_row_get_selected (self->type_row));
      saved = rg_member_store_add_attribute (self->member_store, definition, &error);
    }

  if (saved)
    {
      g_signal_emit (self, signals[DONE], 0);
      return TRUE;
    }

  field = error->domain == RG_MEMBER_ERROR ? rg_member_error_get_field (error) : NULL;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (g_strcmp0 (field, field_names[i]) == 0)
        {
          show_error (self, i, error->message);
          gtk_widget_grab_focus (self->errors[i].row);
          return FALSE;
        }
    }

  /* Not about one field: under the label, where the eye starts. */
  g_warning ("Could not save the custom attribute: %s", error->message);
  show_error (self, FIELD_LABEL, error->message);
  return FALSE;
}

GtkEditable *
_rg_attribute_editor_get_label_row (RgAttributeEditor *self)
{
  return GTK_EDITABLE (self->label_row);
}

GtkEditable *
_rg_attribute_editor_get_key_row (RgAttributeEditor *self)
{
  return GTK_EDITABLE (self->key_row);
}

AdwComboRow *
_rg_attribute_editor_get_type_row (RgAttributeEditor *self)
{
  return self->type_row;
}

const char *
_rg_attribute_editor_get_error (RgAttributeEditor *self,
                                const char        *field)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (g_strcmp0 (field, field_names[i]) == 0 &&
          gtk_widget_get_visible (self->errors[i].error_row))
        return gtk_label_get_text (self->errors[i].error_label);
    }
  return NULL;
}
