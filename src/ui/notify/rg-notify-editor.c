/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-notify-editor-private.h"
#include "rg-sms-length.h"
#include "rg-template.h"

/*
 * Creates or edits a notification setting. Every change goes to a draft; Save hands it to
 * the store, which validates it, and the error names the field that gets the message right
 * where it is typed. The right side renders the texts with sample values as customers
 * will read them.
 */

typedef struct
{
  const char *field;
  GtkWidget  *widget;
  GtkWidget  *message;
  GtkLabel   *label;
} Field;

enum {
  FIELD_NAME,
  FIELD_SCENARIO,
  FIELD_STEPS,
  FIELD_LINE_PUSH_TEXT,
  FIELD_PNP_FOOTER_URL,
  FIELD_SMS_TEXT,
  FIELD_SMS_WAIT_SECONDS,
  N_FIELDS
};

struct _RgNotifyEditor
{
  AdwWindow             parent_instance;

  RgNotifySettingStore *settings;
  RgNotifySetting      *setting;
  RgNotifySetting      *draft;
  JsonNode             *baseline;

  /* Sample values by variable name, kept while a variable comes and goes as one types. */
  GHashTable           *samples;
  GHashTable           *sample_rows;
  GPtrArray            *shown_variables;
  GPtrArray            *line_variables;
  GPtrArray            *sms_variables;

  Field                 fields[N_FIELDS];

  AdwWindowTitle       *window_title;
  GtkRevealer          *general_error_revealer;
  GtkLabel             *general_error_label;
  AdwEntryRow          *name_row;
  GtkLabel             *name_count_label;
  GtkWidget            *name_error_row;
  GtkLabel             *name_error_label;
  AdwComboRow          *scenario_row;
  GtkWidget            *scenario_error_row;
  GtkLabel             *scenario_error_label;
  GtkWidget            *id_row;
  GtkLabel             *id_label;
  GtkSwitch            *push_switch;
  GtkSwitch            *pnp_switch;
  GtkSwitch            *sms_switch;
  AdwEntryRow          *footer_row;
  GtkWidget            *footer_error_row;
  GtkLabel             *footer_error_label;
  GtkWidget            *wait_row;
  GtkSpinButton        *wait_spin;
  GtkAdjustment        *wait_adjustment;
  GtkDropDown          *wait_unit_dropdown;
  GtkWidget            *wait_error_row;
  GtkLabel             *wait_error_label;
  GtkWidget            *steps_error_row;
  GtkLabel             *steps_error_label;
  GtkWidget            *line_group;
  GtkWidget            *line_view;
  GtkTextBuffer        *line_buffer;
  GtkLabel             *line_error_label;
  GtkWidget            *sms_group;
  GtkWidget            *sms_view;
  GtkTextBuffer        *sms_buffer;
  GtkLabel             *sms_error_label;
  GtkLabel             *sms_counter_label;
  AdwPreferencesGroup  *samples_group;
  GtkWidget            *line_preview_box;
  GtkLabel             *line_preview_label;
  GtkWidget            *footer_preview_separator;
  GtkLabel             *footer_preview_label;
  GtkWidget            *sms_preview_box;
  GtkLabel             *sms_preview_label;

  guint                 loading : 1;
  guint                 dirty : 1;
  guint                 discard_confirmed : 1;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_SETTING,
  PROP_DIRTY,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgNotifyEditor, rg_notify_editor, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define SECONDS_PER_UNIT(hours) ((hours) ? 3600 : 60)

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
wait_in_hours (RgNotifyEditor *self)
{
  return gtk_drop_down_get_selected (self->wait_unit_dropdown) == 1;
}

static Field *
find_field (RgNotifyEditor *self,
            const char     *name)
{
  for (guint i = 0; name != NULL && i < N_FIELDS; i++)
    if (g_str_equal (self->fields[i].field, name))
      return &self->fields[i];
  return NULL;
}

static void
clear_field_error (Field *field)
{
  gtk_widget_remove_css_class (field->widget, "error");
  gtk_widget_set_visible (field->message, FALSE);
  gtk_label_set_text (field->label, "");
}

static void
clear_errors (RgNotifyEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    clear_field_error (&self->fields[i]);

  gtk_revealer_set_reveal_child (self->general_error_revealer, FALSE);
  gtk_label_set_text (self->general_error_label, "");
}

/* Scrolls the form so that @message, shown a moment ago, is in view: it sits under its
 * field, which the focus alone brings into view. It waits for the frame that allocates it. */
static gboolean
scroll_to_message (GtkWidget     *message,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  guint *ticks = user_data;
  GtkWidget *scroller = gtk_widget_get_ancestor (message, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = NULL;
  GtkWidget *content = NULL;
  graphene_rect_t bounds;

  if (scroller != NULL)
    viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (viewport))
    content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  if (content == NULL || ++(*ticks) > 10)
    return G_SOURCE_REMOVE;

  if (!gtk_widget_compute_bounds (message, content, &bounds) || bounds.size.height <= 0)
    return G_SOURCE_CONTINUE;

  gtk_adjustment_clamp_page (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                             bounds.origin.y - 12, bounds.origin.y + bounds.size.height + 12);
  return G_SOURCE_REMOVE;
}

static void
show_error (RgNotifyEditor *self,
            const GError   *error)
{
  Field *field = find_field (self, rg_notify_error_get_field (error));

  /* A field that is hidden (its step is off) cannot show its message; the top can. */
  if (field == NULL || !gtk_widget_is_visible (field->widget))
    {
      if (error->domain != RG_NOTIFY_ERROR)
        g_warning ("Could not save the notification: %s", error->message);
      gtk_label_set_text (self->general_error_label, error->message);
      gtk_revealer_set_reveal_child (self->general_error_revealer, TRUE);
      return;
    }

  gtk_widget_add_css_class (field->widget, "error");
  gtk_label_set_text (field->label, error->message);
  gtk_widget_set_visible (field->message, TRUE);
  gtk_widget_grab_focus (field->widget);
  gtk_widget_add_tick_callback (field->message, scroll_to_message, g_new0 (guint, 1), g_free);
}

static void
update_dirty (RgNotifyEditor *self)
{
  g_autoptr(JsonNode) current = NULL;
  gboolean dirty;

  if (self->loading)
    return;

  current = rg_notify_setting_to_json (self->draft);
  dirty = !json_node_equal (current, self->baseline);

  adw_window_title_set_subtitle (self->window_title, dirty ? _("Unsaved changes") : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", dirty || self->setting == NULL);

  if (dirty != self->dirty)
    {
      self->dirty = dirty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
}

static void
update_name_count (RgNotifyEditor *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  glong length = g_utf8_strlen (name, -1);
  g_autofree char *count = NULL;
  gboolean too_long = length > RG_NOTIFY_NAME_MAX;

  /* Translators: characters used of those allowed in a name, “12/50” */
  count = g_strdup_printf (_("%ld/%d"), length, RG_NOTIFY_NAME_MAX);
  gtk_label_set_text (self->name_count_label, count);

  if (too_long)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_count_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_count_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_count_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_count_label), "dim-label");
    }
}

static GHashTable *
dup_sample_values (RgNotifyEditor *self)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->shown_variables->len; i++)
    {
      const char *name = g_ptr_array_index (self->shown_variables, i);
      const char *value = g_hash_table_lookup (self->samples, name);

      g_hash_table_insert (values, (gpointer) name, (gpointer) (value != NULL ? value : name));
    }
  return values;
}

static void
set_preview (GtkLabel   *label,
             const char *template_text,
             GHashTable *values)
{
  g_autofree char *rendered = NULL;

  if (template_text[0] == '\0')
    {
      gtk_label_set_text (label, _("No text yet"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  if (!(rendered = rg_template_render (template_text, values, NULL)))
    {
      gtk_label_set_text (label,
                          _("The preview shows once every placeholder is written as {{name}}."));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  gtk_label_set_text (label, rendered);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
}

static void
update_sms_counter (RgNotifyEditor *self,
                    GHashTable     *values)
{
  const char *text = rg_notify_setting_get_sms_text (self->draft);
  g_autofree char *rendered = rg_template_render (text, values, NULL);
  g_autofree char *characters = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *counter = NULL;
  RgSmsLength length;

  /* What goes out is the rendered text; while a placeholder is half typed, the text as is. */
  length = rg_sms_length (rendered != NULL ? rendered : text);

  characters = g_strdup_printf (ngettext ("%u character", "%u characters", length.characters),
                                length.characters);
  messages = g_strdup_printf (ngettext ("%u message", "%u messages", length.parts), length.parts);
  /* Translators: the SMS counter, “38 characters · 1 message” */
  counter = g_strdup_printf (_("%s · %s"), characters, messages);
  gtk_label_set_text (self->sms_counter_label, counter);

  if (length.parts > 1)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sms_counter_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->sms_counter_label), "warning");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sms_counter_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->sms_counter_label), "dim-label");
    }
}

static void
update_preview (RgNotifyEditor *self)
{
  g_autoptr(GHashTable) values = dup_sample_values (self);
  RgNotifySteps steps = rg_notify_setting_get_steps (self->draft);
  gboolean line = (steps & (RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP)) != 0;
  gboolean pnp = (steps & RG_NOTIFY_STEP_LINE_PNP) != 0;
  gboolean sms = (steps & RG_NOTIFY_STEP_SMS) != 0;
  const char *footer = rg_notify_setting_get_pnp_footer_url (self->draft);

  gtk_widget_set_visible (self->line_preview_box, line);
  gtk_widget_set_visible (self->sms_preview_box, sms);
  gtk_widget_set_visible (self->footer_preview_separator, pnp);
  gtk_widget_set_visible (GTK_WIDGET (self->footer_preview_label), pnp);

  set_preview (self->line_preview_label, rg_notify_setting_get_line_push_text (self->draft),
               values);
  set_preview (self->sms_preview_label, rg_notify_setting_get_sms_text (self->draft), values);
  gtk_label_set_text (self->footer_preview_label,
                      footer[0] != '\0' ? footer : _("The footer link goes here"));

  update_sms_counter (self, values);
}

static void
on_sample_changed (RgNotifyEditor *self,
                   AdwEntryRow    *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "rg-variable");

  g_hash_table_replace (self->samples, g_strdup (name),
                        g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  update_preview (self);
}

static gboolean
same_names (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* The variables of @text, or those it had while the placeholder now being typed is half done. */
static void
parse_variables (const char  *text,
                 GPtrArray  **variables)
{
  g_autoptr(GPtrArray) parsed = NULL;

  if (rg_template_parse (text, &parsed, NULL))
    {
      g_clear_pointer (variables, g_ptr_array_unref);
      *variables = g_steal_pointer (&parsed);
    }
}

static void
add_names (GPtrArray *all,
           GPtrArray *names)
{
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (!g_ptr_array_find_with_equal_func (all, names->pdata[i], g_str_equal, NULL))
      g_ptr_array_add (all, g_strdup (names->pdata[i]));
}

static void
update_variables (RgNotifyEditor *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  RgNotifySteps steps = rg_notify_setting_get_steps (self->draft);
  GHashTableIter iter;
  gpointer row;

  parse_variables (rg_notify_setting_get_line_push_text (self->draft), &self->line_variables);
  parse_variables (rg_notify_setting_get_sms_text (self->draft), &self->sms_variables);

  if ((steps & (RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP)) != 0)
    add_names (all, self->line_variables);
  if ((steps & RG_NOTIFY_STEP_SMS) != 0)
    add_names (all, self->sms_variables);

  if (same_names (all, self->shown_variables))
    return;

  g_hash_table_iter_init (&iter, self->sample_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    adw_preferences_group_remove (self->samples_group, row);
  g_hash_table_remove_all (self->sample_rows);

  for (guint i = 0; i < all->len; i++)
    {
      const char *name = g_ptr_array_index (all, i);
      const char *value = g_hash_table_lookup (self->samples, name);
      GtkWidget *sample_row;

      sample_row = g_object_new (ADW_TYPE_ENTRY_ROW,
                                 "title", name,
                                 "use-underline", FALSE,
                                 NULL);
      gtk_editable_set_text (GTK_EDITABLE (sample_row), value != NULL ? value : name);
      g_object_set_data_full (G_OBJECT (sample_row), "rg-variable", g_strdup (name), g_free);
      g_signal_connect_object (sample_row, "changed", G_CALLBACK (on_sample_changed), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->samples_group, sample_row);
      g_hash_table_insert (self->sample_rows, g_strdup (name), sample_row);
    }

  g_ptr_array_unref (self->shown_variables);
  self->shown_variables = g_steal_pointer (&all);
  gtk_widget_set_visible (GTK_WIDGET (self->samples_group), self->shown_variables->len > 0);
}

static void
update_step_rows (RgNotifyEditor *self)
{
  RgNotifySteps steps = rg_notify_setting_get_steps (self->draft);
  gboolean pnp = (steps & RG_NOTIFY_STEP_LINE_PNP) != 0;
  gboolean sms = (steps & RG_NOTIFY_STEP_SMS) != 0;

  gtk_widget_set_visible (GTK_WIDGET (self->footer_row), pnp);
  if (!pnp)
    clear_field_error (&self->fields[FIELD_PNP_FOOTER_URL]);

  /* The wait is for the notification message's delivery; without both steps it means nothing. */
  gtk_widget_set_visible (self->wait_row, pnp && sms);
  if (!(pnp && sms))
    clear_field_error (&self->fields[FIELD_SMS_WAIT_SECONDS]);

  gtk_widget_set_visible (self->line_group,
                          (steps & (RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP)) != 0);
  gtk_widget_set_visible (self->sms_group, sms);
}

static void
on_name_changed (RgNotifyEditor *self,
                 AdwEntryRow    *row)
{
  update_name_count (self);
  if (self->loading)
    return;

  rg_notify_setting_set_name (self->draft, gtk_editable_get_text (GTK_EDITABLE (row)));
  clear_field_error (&self->fields[FIELD_NAME]);
  update_dirty (self);
}

static void
on_scenario_selected (RgNotifyEditor *self,
                      GParamSpec     *pspec,
                      AdwComboRow    *row)
{
  const char * const *keys = rg_notify_scenario_list ();
  guint selected = adw_combo_row_get_selected (row);

  if (self->loading || selected >= g_strv_length ((char **) keys))
    return;

  rg_notify_setting_set_scenario (self->draft, keys[selected]);
  clear_field_error (&self->fields[FIELD_SCENARIO]);
  update_dirty (self);
}

static void
on_steps_changed (RgNotifyEditor *self)
{
  RgNotifySteps steps = RG_NOTIFY_STEP_NONE;

  if (self->loading)
    return;

  if (gtk_switch_get_active (self->push_switch))
    steps |= RG_NOTIFY_STEP_LINE_PUSH;
  if (gtk_switch_get_active (self->pnp_switch))
    steps |= RG_NOTIFY_STEP_LINE_PNP;
  if (gtk_switch_get_active (self->sms_switch))
    steps |= RG_NOTIFY_STEP_SMS;

  rg_notify_setting_set_steps (self->draft, steps);
  clear_field_error (&self->fields[FIELD_STEPS]);
  update_step_rows (self);
  update_variables (self);
  update_preview (self);
  update_dirty (self);
}

static void
on_footer_changed (RgNotifyEditor *self,
                   AdwEntryRow    *row)
{
  if (self->loading)
    return;

  rg_notify_setting_set_pnp_footer_url (self->draft, gtk_editable_get_text (GTK_EDITABLE (row)));
  clear_field_error (&self->fields[FIELD_PNP_FOOTER_URL]);
  update_preview (self);
  update_dirty (self);
}

static void
on_wait_changed (RgNotifyEditor *self)
{
  guint value;

  if (self->loading)
    return;

  value = (guint) gtk_spin_button_get_value_as_int (self->wait_spin);
  rg_notify_setting_set_sms_wait_seconds (self->draft,
                                          value * SECONDS_PER_UNIT (wait_in_hours (self)));
  clear_field_error (&self->fields[FIELD_SMS_WAIT_SECONDS]);
  update_dirty (self);
}

static void
configure_wait_range (RgNotifyEditor *self,
                      double          value)
{
  double upper = RG_NOTIFY_SMS_WAIT_MAX / (double) SECONDS_PER_UNIT (wait_in_hours (self));

  gtk_adjustment_configure (self->wait_adjustment, CLAMP (value, 0, upper), 0, upper,
                            1, wait_in_hours (self) ? 1 : 10, 0);
}

static void
on_wait_unit_changed (RgNotifyEditor *self)
{
  /* The number stays and now counts the other unit, as one expects from such a pair. */
  configure_wait_range (self, gtk_spin_button_get_value (self->wait_spin));
  on_wait_changed (self);
}

static void
on_line_text_changed (RgNotifyEditor *self,
                      GtkTextBuffer  *buffer)
{
  g_autofree char *text = NULL;

  if (self->loading)
    return;

  text = dup_buffer_text (buffer);
  rg_notify_setting_set_line_push_text (self->draft, text);
  clear_field_error (&self->fields[FIELD_LINE_PUSH_TEXT]);
  update_variables (self);
  update_preview (self);
  update_dirty (self);
}

static void
on_sms_text_changed (RgNotifyEditor *self,
                     GtkTextBuffer  *buffer)
{
  g_autofree char *text = NULL;

  if (self->loading)
    return;

  text = dup_buffer_text (buffer);
  rg_notify_setting_set_sms_text (self->draft, text);
  clear_field_error (&self->fields[FIELD_SMS_TEXT]);
  update_variables (self);
  update_preview (self);
  update_dirty (self);
}

static void
load_draft (RgNotifyEditor *self)
{
  const char * const *keys = rg_notify_scenario_list ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  RgNotifySteps steps = rg_notify_setting_get_steps (self->draft);
  guint wait = rg_notify_setting_get_sms_wait_seconds (self->draft);
  gboolean hours = wait >= 3600 && wait % 3600 == 0;
  const char *id = rg_notify_setting_get_id (self->draft);
  guint selected = 0;

  self->loading = TRUE;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gtk_string_list_append (labels, rg_notify_scenario_get_label (keys[i]));
      if (g_strcmp0 (keys[i], rg_notify_setting_get_scenario (self->draft)) == 0)
        selected = i;
    }
  adw_combo_row_set_model (self->scenario_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->scenario_row, selected);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), rg_notify_setting_get_name (self->draft));
  gtk_switch_set_active (self->push_switch, (steps & RG_NOTIFY_STEP_LINE_PUSH) != 0);
  gtk_switch_set_active (self->pnp_switch, (steps & RG_NOTIFY_STEP_LINE_PNP) != 0);
  gtk_switch_set_active (self->sms_switch, (steps & RG_NOTIFY_STEP_SMS) != 0);
  gtk_editable_set_text (GTK_EDITABLE (self->footer_row),
                         rg_notify_setting_get_pnp_footer_url (self->draft));
  gtk_text_buffer_set_text (self->line_buffer,
                            rg_notify_setting_get_line_push_text (self->draft), -1);
  gtk_text_buffer_set_text (self->sms_buffer, rg_notify_setting_get_sms_text (self->draft), -1);

  gtk_drop_down_set_selected (self->wait_unit_dropdown, hours ? 1 : 0);
  configure_wait_range (self, hours ? wait / 3600 : (wait + 59) / 60);

  gtk_widget_set_visible (self->id_row, id != NULL);
  gtk_label_set_text (self->id_label, id != NULL ? id : "");

  if (self->setting != NULL)
    adw_window_title_set_title (self->window_title, rg_notify_setting_get_name (self->setting));
  else
    adw_window_title_set_title (self->window_title, _("New Notification"));
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));

  self->loading = FALSE;

  g_clear_pointer (&self->baseline, json_node_unref);
  self->baseline = rg_notify_setting_to_json (self->draft);

  update_name_count (self);
  update_step_rows (self);
  update_variables (self);
  update_preview (self);
  update_dirty (self);
}

/**
 * rg_notify_editor_save:
 *
 * Validates and stores the draft; on success emits #RgNotifyEditor::saved and closes.
 *
 * Returns: %TRUE when saved; otherwise the failing field shows why
 */
gboolean
rg_notify_editor_save (RgNotifyEditor *self)
{
  g_autoptr(RgNotifySetting) candidate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean was_new;
  gboolean saved;

  g_return_val_if_fail (RG_IS_NOTIFY_EDITOR (self), FALSE);

  clear_errors (self);

  /* A copy, so that a refused create leaves the draft as it was. */
  candidate = rg_notify_setting_copy (self->draft);
  name = g_strstrip (g_strdup (rg_notify_setting_get_name (candidate)));
  rg_notify_setting_set_name (candidate, name);

  was_new = self->setting == NULL;
  if (was_new)
    saved = rg_notify_setting_store_create (self->settings, candidate, &error);
  else
    saved = rg_notify_setting_store_update (self->settings, candidate, &error);

  if (!saved)
    {
      show_error (self, error);
      return FALSE;
    }

  g_set_object (&self->draft, candidate);
  g_clear_pointer (&self->baseline, json_node_unref);
  self->baseline = rg_notify_setting_to_json (self->draft);
  update_dirty (self);

  g_signal_emit (self, signals[SAVED], 0, candidate, was_new);

  self->discard_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rg_notify_editor_save (RG_NOTIFY_EDITOR (widget));
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RgNotifyEditor *self = RG_NOTIFY_EDITOR (widget);
  const char *id = rg_notify_setting_get_id (self->draft);

  if (id != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), id);
}

static gboolean
close_discarded (gpointer user_data)
{
  RgNotifyEditor *self = user_data;

  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_discard_response (RgNotifyEditor   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  if (!g_str_equal (response, "discard"))
    return;

  /* Not while the dialog, which is transient for this window, is still answering. */
  self->discard_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_discarded, g_object_ref (self), g_object_unref);
}

static gboolean
rg_notify_editor_close_request (GtkWindow *window)
{
  RgNotifyEditor *self = RG_NOTIFY_EDITOR (window);
  AdwMessageDialog *dialog;

  if (!self->dirty || self->discard_confirmed)
    return GTK_WINDOW_CLASS (rg_notify_editor_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Discard Changes?"),
                                                       _("The changes to this notification are "
                                                         "not saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
rg_notify_editor_constructed (GObject *object)
{
  RgNotifyEditor *self = (RgNotifyEditor *)object;

  G_OBJECT_CLASS (rg_notify_editor_parent_class)->constructed (object);

  g_assert (RG_IS_NOTIFY_SETTING_STORE (self->settings));

  self->draft = self->setting != NULL ? rg_notify_setting_copy (self->setting)
                                      : rg_notify_setting_new ();
  load_draft (self);
}

static void
rg_notify_editor_dispose (GObject *object)
{
  RgNotifyEditor *self = (RgNotifyEditor *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_NOTIFY_EDITOR);

  g_clear_object (&self->settings);
  g_clear_object (&self->setting);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->baseline, json_node_unref);
  g_clear_pointer (&self->samples, g_hash_table_unref);
  g_clear_pointer (&self->sample_rows, g_hash_table_unref);
  g_clear_pointer (&self->shown_variables, g_ptr_array_unref);
  g_clear_pointer (&self->line_variables, g_ptr_array_unref);
  g_clear_pointer (&self->sms_variables, g_ptr_array_unref);

  G_OBJECT_CLASS (rg_notify_editor_parent_class)->dispose (object);
}

static void
rg_notify_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgNotifyEditor *self = RG_NOTIFY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SETTING:
      g_value_set_object (value, self->setting);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgNotifyEditor *self = RG_NOTIFY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SETTING:
      self->setting = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_editor_class_init (RgNotifyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rg_notify_editor_constructed;
  object_class->dispose = rg_notify_editor_dispose;
  object_class->get_property = rg_notify_editor_get_property;
  object_class->set_property = rg_notify_editor_set_property;

  window_class->close_request = rg_notify_editor_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_NOTIFY_SETTING_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgNotifyEditor:setting:
   * The stored setting being edited, or %NULL for a new one. It is not changed; Save
   * stores a copy.
   */
  properties[PROP_SETTING] =
    g_param_spec_object ("setting", NULL, NULL,
                         RG_TYPE_NOTIFY_SETTING,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgNotifyEditor::saved:
   * @setting: the setting as stored, with its Setting ID
   * @was_new: whether it was created
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, RG_TYPE_NOTIFY_SETTING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-notify-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, general_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, name_count_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, name_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, scenario_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, scenario_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, id_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, id_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, push_switch);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, pnp_switch);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_switch);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, footer_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, footer_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, footer_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_spin);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, wait_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, steps_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, steps_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_group);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_view);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_buffer);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_group);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_view);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_buffer);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_counter_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, samples_group);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_preview_box);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, line_preview_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, footer_preview_separator);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, footer_preview_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_preview_box);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyEditor, sms_preview_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scenario_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_steps_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_footer_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_wait_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_wait_unit_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_line_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sms_text_changed);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-id", NULL, copy_id_action);
}

static void
rg_notify_editor_init (RgNotifyEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->samples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sample_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shown_variables = g_ptr_array_new_with_free_func (g_free);

  self->fields[FIELD_NAME] = (Field) {
    "name", GTK_WIDGET (self->name_row),
    self->name_error_row, self->name_error_label };
  self->fields[FIELD_SCENARIO] = (Field) {
    "scenario", GTK_WIDGET (self->scenario_row),
    self->scenario_error_row, self->scenario_error_label };
  self->fields[FIELD_STEPS] = (Field) {
    "steps", GTK_WIDGET (self->push_switch),
    self->steps_error_row, self->steps_error_label };
  self->fields[FIELD_LINE_PUSH_TEXT] = (Field) {
    "line_push_text", self->line_view,
    GTK_WIDGET (self->line_error_label), self->line_error_label };
  self->fields[FIELD_PNP_FOOTER_URL] = (Field) {
    "pnp_footer_url", GTK_WIDGET (self->footer_row),
    self->footer_error_row, self->footer_error_label };
  self->fields[FIELD_SMS_TEXT] = (Field) {
    "sms_text", self->sms_view,
    GTK_WIDGET (self->sms_error_label), self->sms_error_label };
  self->fields[FIELD_SMS_WAIT_SECONDS] = (Field) {
    "sms_wait_seconds", GTK_WIDGET (self->wait_spin),
    self->wait_error_row, self->wait_error_label };
}

/**
 * rg_notify_editor_new:
 * @parent: (nullable): the main window
 * @settings: where the setting is stored
 * @setting: (nullable): the stored setting to edit, or %NULL to create one
 *
 * Returns: (transfer none): the editor, not shown yet
 */
RgNotifyEditor *
rg_notify_editor_new (GtkWindow            *parent,
                      RgNotifySettingStore *settings,
                      RgNotifySetting      *setting)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (settings), NULL);
  g_return_val_if_fail (setting == NULL || RG_IS_NOTIFY_SETTING (setting), NULL);

  return g_object_new (RG_TYPE_NOTIFY_EDITOR,
                       "transient-for", parent,
                       "settings", settings,
                       "setting", setting,
                       NULL);
}

/**
 * rg_notify_editor_get_setting:
 *
 * Returns: (transfer none) (nullable): the stored setting being edited, %NULL for a new one
 */
RgNotifySetting *
rg_notify_editor_get_setting (RgNotifyEditor *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_EDITOR (self), NULL);

  return self->setting;
}

/**
 * rg_notify_editor_get_draft:
 *
 * Returns: (transfer none): the setting as edited so far
 */
RgNotifySetting *
rg_notify_editor_get_draft (RgNotifyEditor *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_EDITOR (self), NULL);

  return self->draft;
}

gboolean
rg_notify_editor_get_dirty (RgNotifyEditor *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_EDITOR (self), FALSE);

  return self->dirty;
}

AdwEntryRow *
_rg_notify_editor_get_name_row (RgNotifyEditor *self)
{
  return self->name_row;
}

GtkLabel *
_rg_notify_editor_get_name_count (RgNotifyEditor *self)
{
  return self->name_count_label;
}

AdwComboRow *
_rg_notify_editor_get_scenario_row (RgNotifyEditor *self)
{
  return self->scenario_row;
}

GtkSwitch *
_rg_notify_editor_get_step_switch (RgNotifyEditor *self,
                                   RgNotifySteps   step)
{
  switch (step)
    {
    case RG_NOTIFY_STEP_LINE_PUSH:
      return self->push_switch;
    case RG_NOTIFY_STEP_LINE_PNP:
      return self->pnp_switch;
    case RG_NOTIFY_STEP_SMS:
      return self->sms_switch;
    case RG_NOTIFY_STEP_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

AdwEntryRow *
_rg_notify_editor_get_footer_row (RgNotifyEditor *self)
{
  return self->footer_row;
}

GtkSpinButton *
_rg_notify_editor_get_wait_spin (RgNotifyEditor *self)
{
  return self->wait_spin;
}

GtkDropDown *
_rg_notify_editor_get_wait_unit (RgNotifyEditor *self)
{
  return self->wait_unit_dropdown;
}

GtkTextBuffer *
_rg_notify_editor_get_line_buffer (RgNotifyEditor *self)
{
  return self->line_buffer;
}

GtkTextBuffer *
_rg_notify_editor_get_sms_buffer (RgNotifyEditor *self)
{
  return self->sms_buffer;
}

GtkLabel *
_rg_notify_editor_get_sms_counter (RgNotifyEditor *self)
{
  return self->sms_counter_label;
}

/**
 * _rg_notify_editor_get_field_error:
 * @field: "name", "general" (the message at the top) …
 *
 * Returns: (nullable): the message shown at @field, or %NULL when it shows none
 */
const char *
_rg_notify_editor_get_field_error (RgNotifyEditor *self,
                                   const char     *field)
{
  Field *info;

  if (g_str_equal (field, "general"))
    return gtk_revealer_get_reveal_child (self->general_error_revealer)
           ? gtk_label_get_text (self->general_error_label) : NULL;

  info = find_field (self, field);
  g_return_val_if_fail (info != NULL, NULL);

  if (!gtk_widget_get_visible (info->message))
    return NULL;
  return gtk_label_get_text (info->label);
}

AdwEntryRow *
_rg_notify_editor_get_sample_row (RgNotifyEditor *self,
                                  const char     *variable)
{
  return g_hash_table_lookup (self->sample_rows, variable);
}

const char *
_rg_notify_editor_get_preview (RgNotifyEditor *self,
                               RgNotifySteps   step)
{
  if (step == RG_NOTIFY_STEP_SMS)
    return gtk_label_get_text (self->sms_preview_label);
  if (step == RG_NOTIFY_STEP_LINE_PNP)
    return gtk_label_get_text (self->footer_preview_label);
  return gtk_label_get_text (self->line_preview_label);
}
