/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-wechat.h"
#include "rg-channel-settings.h"
#include "rg-member-editor-private.h"
#include "rg-member-format.h"
#include "rg-member-wechat-dialog.h"
#include "rg-phone.h"
#include "rg-secrets.h"
#include "rg-window.h"

/*
 * RgMemberEditor: the pane that shows one member and edits it, or a new one.
 *
 * Edits go to a copy that the store validates on save; the store's error names the field,
 * which gets the "error" style and its message right under it.
 */

typedef struct
{
  char                  *field;
  GtkWidget             *widget;
  /* A row under the field's row holding the message, or a label under a non-row widget. */
  GtkWidget             *error_widget;
  GtkLabel              *error_label;
  /* Custom attributes only. */
  RgAttributeDefinition *definition;
  /* A yes/no switch the user flipped: off then means "no", not "no value". */
  gboolean               touched;
} Field;

struct _RgMemberEditor
{
  GtkWidget             parent_instance;

  RgMemberStore        *member_store;
  RgMember             *member;
  /* field name → Field */
  GHashTable           *fields;
  /* The attribute rows, in the order of the definitions. */
  GPtrArray            *attribute_fields;
  /* Where the member's WeChat card stands. */
  RgChannelSettings    *channel_settings;
  RgCardWeChat         *wechat;

  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GtkWidget            *delete_button;
  GtkRevealer          *general_error_revealer;
  GtkLabel             *general_error_label;
  AdwPreferencesPage   *page;
  AdwEntryRow          *name_row;
  AdwEntryRow          *member_number_row;
  AdwEntryRow          *phone_row;
  AdwEntryRow          *email_row;
  AdwEntryRow          *tags_row;
  AdwPreferencesGroup  *balances_group;
  GtkLabel             *points_balance_label;
  GtkLabel             *accumulated_points_label;
  GtkLabel             *stored_value_label;
  AdwPreferencesGroup  *attributes_group;
  AdwEntryRow          *line_row;
  GtkLabel             *line_state_label;
  AdwEntryRow          *whatsapp_row;
  GtkLabel             *whatsapp_state_label;
  AdwEntryRow          *wechat_row;
  GtkLabel             *wechat_state_label;
  AdwActionRow         *wechat_card_row;
  GtkWidget            *wechat_activate_button;
  GtkWidget            *note_frame;
  GtkTextView          *note_view;
  GtkLabel             *note_error_label;
  AdwPreferencesGroup  *record_group;
  GtkLabel             *created_label;
  GtkLabel             *updated_label;
  GtkButton            *revert_button;

  guint                 is_new : 1;
  guint                 dirty : 1;
  guint                 loading : 1;
  guint                 saving : 1;
};

enum {
  PROP_0,
  PROP_MEMBER_STORE,
  PROP_MEMBER,
  PROP_IS_NEW,
  PROP_DIRTY,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgMemberEditor, rg_member_editor, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
field_free (Field *field)
{
  g_clear_pointer (&field->field, g_free);
  g_clear_object (&field->definition);
  g_free (field);
}

static void
set_dirty (RgMemberEditor *self,
           gboolean        dirty)
{
  dirty = !!dirty;
  if (self->dirty == dirty)
    return;

  self->dirty = dirty;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.revert", dirty && !self->is_new);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
clear_field_error (Field *field)
{
  gtk_widget_remove_css_class (field->widget, "error");
  gtk_widget_set_visible (field->error_widget, FALSE);
  gtk_label_set_text (field->error_label, "");
}

static void
clear_errors (RgMemberEditor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    clear_field_error (value);

  gtk_revealer_set_reveal_child (self->general_error_revealer, FALSE);
  gtk_label_set_text (self->general_error_label, "");
}

static void
show_field_error (Field      *field,
                  const char *message)
{
  gtk_widget_add_css_class (field->widget, "error");
  gtk_label_set_text (field->error_label, message);
  gtk_widget_set_visible (field->error_widget, TRUE);
}

static void
on_field_changed (RgMemberEditor *self,
                  GtkWidget      *widget)
{
  Field *field = g_object_get_data (G_OBJECT (widget), "rg-field");

  if (self->loading)
    return;

  /* The message was about the old value. */
  if (field != NULL)
    clear_field_error (field);
  set_dirty (self, TRUE);
}

static void
on_note_changed (RgMemberEditor *self,
                 GtkTextBuffer  *buffer)
{
  on_field_changed (self, self->note_frame);
}

/* A row of a boxed list gets its message in a row right under it. */
static Field *
add_field (RgMemberEditor *self,
           const char     *name,
           GtkWidget      *widget)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *list_box = gtk_widget_get_parent (widget);
  GtkWidget *label;
  GtkWidget *row;

  g_assert (GTK_IS_LIST_BOX (list_box));

  label = g_object_new (GTK_TYPE_LABEL,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "xalign", 0.0f,
                        "margin-start", 12,
                        "margin-end", 12,
                        "margin-top", 8,
                        "margin-bottom", 8,
                        NULL);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");

  row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                      "activatable", FALSE,
                      "selectable", FALSE,
                      "focusable", FALSE,
                      "visible", FALSE,
                      "child", label,
                      NULL);
  gtk_list_box_insert (GTK_LIST_BOX (list_box), row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (widget)) + 1);

  field->field = g_strdup (name);
  field->widget = widget;
  field->error_widget = row;
  field->error_label = GTK_LABEL (label);
  g_object_set_data (G_OBJECT (widget), "rg-field", field);
  g_hash_table_replace (self->fields, field->field, field);

  if (GTK_IS_EDITABLE (widget))
    g_signal_connect_object (widget, "changed", G_CALLBACK (on_field_changed), self,
                             G_CONNECT_SWAPPED);
  return field;
}

static const char *
get_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* A number of the default region is shown the local way; any other keeps its country code,
 * so that saving it again reads it the same. */
static char *
phone_for_editing (RgMemberEditor *self,
                   const char     *e164)
{
  g_autofree char *region = NULL;
  g_autofree char *default_region = NULL;
  char *formatted = NULL;

  if (e164 == NULL)
    return NULL;

  region = rg_phone_region_of (e164);
  default_region = rg_store_dup_default_region (rg_member_store_get_store (self->member_store));
  if (region != NULL && g_ascii_strcasecmp (region, default_region) == 0)
    formatted = rg_phone_format_national (e164);
  else
    formatted = rg_phone_format_international (e164);

  return formatted != NULL ? formatted : g_strdup (e164);
}

static char *
join_tags (const char * const *tags)
{
  if (tags == NULL)
    return g_strdup ("");
  return g_strjoinv (", ", (char **) tags);
}

/* Commas as typed on any keyboard: ASCII, full-width and the ideographic one. */
static char **
split_tags (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) current = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || c == ',' || c == 0xFF0C || c == 0x3001)
        {
          g_autofree char *tag = g_strstrip (g_strdup (current->str));

          if (tag[0] != '\0')
            g_strv_builder_add (builder, tag);
          g_string_truncate (current, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (current, c);
    }

  return g_strv_builder_end (builder);
}

static void
set_channel_state (GtkLabel   *label,
                   const char *id,
                   gboolean    active,
                   const char *active_text,
                   const char *inactive_text)
{
  gtk_widget_set_visible (GTK_WIDGET (label), id != NULL);
  gtk_label_set_text (GTK_LABEL (label), active ? active_text : inactive_text);
  if (active)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

/* “1234 5678 9012”: the way the card shows its code, easier to read out. */
static char *
group_code (const char *code)
{
  GString *grouped = g_string_new (NULL);
  guint n = 0;

  for (const char *p = code; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n > 0 && n % 4 == 0)
        g_string_append_c (grouped, ' ');
      g_string_append_unichar (grouped, g_utf8_get_char (p));
    }
  return g_string_free (grouped, FALSE);
}

/* The WeChat card row: for a stored member with an openid, activated, received or not. */
static void
update_wechat_card (RgMemberEditor *self)
{
  RgMember *member = self->is_new ? NULL : self->member;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *subtitle = NULL;
  gint64 member_id;

  if (member == NULL || rg_member_get_wechat_openid (member) == NULL || self->wechat == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->wechat_card_row), FALSE);
      return;
    }

  member_id = rg_member_get_id (member);
  if ((code = rg_card_wechat_dup_member_code (self->wechat, member_id, &error)) != NULL)
    {
      g_autofree char *grouped = group_code (code);

      /* Translators: the state of a member's WeChat card, “Activated — code 1234 5678 9012” */
      subtitle = g_strdup_printf (_("Activated — code %s"), grouped);
    }
  else if (error == NULL &&
           (pending = rg_card_wechat_dup_pending_code (self->wechat, member_id, &error)) != NULL)
    subtitle = g_strdup (_("Received, not activated"));
  else if (error == NULL)
    subtitle = g_strdup (_("Not received"));
  else
    {
      g_warning ("Could not read the WeChat card of member %" G_GINT64_FORMAT ": %s",
                 member_id, error->message);
      subtitle = g_strdup (error->message);
    }

  adw_action_row_set_subtitle (self->wechat_card_row, subtitle);
  gtk_widget_set_visible (self->wechat_activate_button, code == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->wechat_card_row), TRUE);
}

static void
on_wechat_activated (RgMemberEditor *self,
                     const char     *code,
                     GtkWindow      *dialog)
{
  RgMember *member = rg_member_wechat_dialog_get_member (RG_MEMBER_WECHAT_DIALOG (dialog));
  g_autofree char *name = g_markup_escape_text (rg_member_get_name (member), -1);
  AdwToast *toast;

  update_wechat_card (self);
  /* Translators: a toast, “WeChat card of “王小明” activated” */
  toast = adw_toast_new_format (_("WeChat card of “%s” activated"), name);
  rg_widget_add_toast (GTK_WIDGET (self), toast);
}

static void
activate_wechat_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RgMemberEditor *self = RG_MEMBER_EDITOR (widget);
  g_autoptr(RgCardWeChat) wechat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pending = NULL;
  GtkWindow *dialog;

  if (self->is_new || self->member == NULL || self->channel_settings == NULL)
    return;

  pending = rg_card_wechat_dup_pending_code (self->wechat, rg_member_get_id (self->member),
                                             &error);
  if (error != NULL)
    g_warning ("Could not read the WeChat card code sent for member %" G_GINT64_FORMAT ": %s",
               rg_member_get_id (self->member), error->message);

  /* A client of its own: credentials fixed on the Channels page apply at once. */
  wechat = rg_card_wechat_new (rg_member_store_get_store (self->member_store),
                               self->channel_settings);
  dialog = rg_member_wechat_dialog_new (rg_widget_get_parent_window (widget), wechat,
                                        self->member, pending);
  g_signal_connect_object (dialog, "activated", G_CALLBACK (on_wechat_activated), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static void
load_totals (RgMemberEditor *self,
             RgMember       *member)
{
  g_autofree char *points = rg_format_integer (rg_member_get_points_balance (member));
  g_autofree char *accumulated = rg_format_integer (rg_member_get_accumulated_points (member));
  g_autofree char *stored = rg_format_money (rg_member_get_stored_value (member), rg_format_get_shop_currency ());
  g_autofree char *created = rg_format_date (rg_member_get_created_at (member));
  g_autofree char *updated = rg_format_date_time (rg_member_get_updated_at (member));

  gtk_label_set_text (self->points_balance_label, points);
  gtk_label_set_text (self->accumulated_points_label, accumulated);
  gtk_label_set_text (self->stored_value_label, stored);
  gtk_label_set_text (self->created_label, created);
  gtk_label_set_text (self->updated_label, updated);
}

static void
load_attribute (Field    *field,
                RgMember *member)
{
  const char *key = rg_attribute_definition_get_key (field->definition);
  const char *value = member != NULL ? rg_member_get_attribute (member, key) : NULL;

  field->touched = FALSE;
  if (ADW_IS_ENTRY_ROW (field->widget))
    set_text (ADW_ENTRY_ROW (field->widget), value);
  else
    {
      GtkSwitch *toggle = g_object_get_data (G_OBJECT (field->widget), "rg-switch");
      gtk_switch_set_active (toggle, g_strcmp0 (value, "yes") == 0);
    }
}

static void
update_header (RgMemberEditor *self)
{
  RgMember *member = self->member;

  if (self->is_new || member == NULL)
    {
      gtk_label_set_text (self->title_label, self->is_new ? _("New Member") : "");
      gtk_label_set_text (self->subtitle_label,
                          self->is_new ? _("Fill in at least a name, then save") : "");
      return;
    }

  gtk_label_set_text (self->title_label, rg_member_get_name (member));
  if (rg_member_get_member_number (member) != NULL)
    {
      /* Translators: under the member's name in the pane, “Member No. M0001” */
      g_autofree char *subtitle = g_strdup_printf (_("Member No. %s"),
                                                   rg_member_get_member_number (member));
      gtk_label_set_text (self->subtitle_label, subtitle);
    }
  else
    gtk_label_set_text (self->subtitle_label, _("No member number"));
}

static void
load_fields (RgMemberEditor *self)
{
  RgMember *member = self->member;
  g_autofree char *phone = NULL;
  g_autofree char *tags = NULL;
  gboolean stored = member != NULL && !self->is_new;

  self->loading = TRUE;

  clear_errors (self);
  update_header (self);

  if (member != NULL && self->member_store != NULL)
    phone = phone_for_editing (self, rg_member_get_phone (member));
  tags = join_tags (member != NULL ? rg_member_get_tags (member) : NULL);

  set_text (self->name_row, member != NULL ? rg_member_get_name (member) : NULL);
  set_text (self->member_number_row, member != NULL ? rg_member_get_member_number (member) : NULL);
  set_text (self->phone_row, phone);
  set_text (self->email_row, member != NULL ? rg_member_get_email (member) : NULL);
  set_text (self->tags_row, tags);
  set_text (self->line_row, member != NULL ? rg_member_get_line_user_id (member) : NULL);
  set_text (self->whatsapp_row, member != NULL ? rg_member_get_whatsapp_id (member) : NULL);
  set_text (self->wechat_row, member != NULL ? rg_member_get_wechat_openid (member) : NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view),
                            member != NULL ? rg_member_get_note (member) : "", -1);

  set_channel_state (self->line_state_label,
                     stored ? rg_member_get_line_user_id (member) : NULL,
                     stored && rg_member_get_line_friend (member),
                     _("Friend"), _("Not a friend"));
  set_channel_state (self->whatsapp_state_label,
                     stored ? rg_member_get_whatsapp_id (member) : NULL,
                     stored && rg_member_get_whatsapp_opted_in (member),
                     _("Opted in"), _("Not opted in"));
  set_channel_state (self->wechat_state_label,
                     stored ? rg_member_get_wechat_openid (member) : NULL,
                     stored && rg_member_get_wechat_follower (member),
                     _("Follower"), _("Not a follower"));
  update_wechat_card (self);

  for (guint i = 0; i < self->attribute_fields->len; i++)
    load_attribute (g_ptr_array_index (self->attribute_fields, i), member);

  gtk_widget_set_visible (GTK_WIDGET (self->balances_group), stored);
  gtk_widget_set_visible (GTK_WIDGET (self->record_group), stored);
  gtk_widget_set_visible (self->delete_button, stored);
  if (stored)
    load_totals (self, member);

  if (self->is_new)
    {
      gtk_button_set_label (self->revert_button, _("_Cancel"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->revert_button), "members.close");
    }
  else
    {
      gtk_button_set_label (self->revert_button, _("_Revert"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->revert_button), "editor.revert");
    }

  self->loading = FALSE;
  set_dirty (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.revert", FALSE);
}

static void
read_attribute (RgMemberEditor *self,
                Field          *field,
                RgMember       *draft)
{
  const char *key = rg_attribute_definition_get_key (field->definition);

  if (ADW_IS_ENTRY_ROW (field->widget))
    rg_member_set_attribute (draft, key, get_text (ADW_ENTRY_ROW (field->widget)));
  else
    {
      GtkSwitch *toggle = g_object_get_data (G_OBJECT (field->widget), "rg-switch");
      gboolean had_value = self->member != NULL && !self->is_new &&
                           rg_member_get_attribute (self->member, key) != NULL;

      /* A switch cannot say "no value": it writes one only when it had one or was flipped. */
      if (field->touched || had_value)
        rg_member_set_attribute (draft, key, gtk_switch_get_active (toggle) ? "yes" : "no");
      else
        rg_member_set_attribute (draft, key, NULL);
    }
}

static void
read_fields (RgMemberEditor *self,
             RgMember       *draft)
{
  g_auto(GStrv) tags = split_tags (get_text (self->tags_row));
  g_autofree char *note = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  g_object_freeze_notify (G_OBJECT (draft));
  rg_member_set_name (draft, get_text (self->name_row));
  rg_member_set_member_number (draft, get_text (self->member_number_row));
  rg_member_set_phone (draft, get_text (self->phone_row));
  rg_member_set_email (draft, get_text (self->email_row));
  rg_member_set_tags (draft, (const char * const *) tags);
  rg_member_set_note (draft, note);
  rg_member_set_line_user_id (draft, get_text (self->line_row));
  rg_member_set_whatsapp_id (draft, get_text (self->whatsapp_row));
  rg_member_set_wechat_openid (draft, get_text (self->wechat_row));

  /* Only attributes the shop still defines; one removed in the meantime would be refused. */
  rg_member_clear_attributes (draft);
  for (guint i = 0; i < self->attribute_fields->len; i++)
    read_attribute (self, g_ptr_array_index (self->attribute_fields, i), draft);
  g_object_thaw_notify (G_OBJECT (draft));
}

static void
show_error (RgMemberEditor *self,
            const GError   *error)
{
  const char *name = error->domain == RG_MEMBER_ERROR ? rg_member_error_get_field (error) : NULL;
  Field *field = name != NULL ? g_hash_table_lookup (self->fields, name) : NULL;

  if (field == NULL)
    {
      if (error->domain != RG_MEMBER_ERROR)
        g_warning ("Could not save the member: %s", error->message);
      gtk_label_set_text (self->general_error_label, error->message);
      gtk_revealer_set_reveal_child (self->general_error_revealer, TRUE);
      return;
    }

  show_field_error (field, error->message);
  if (field->widget == self->note_frame)
    gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
  else
    gtk_widget_grab_focus (field->widget);
}

/* Numbers and dates say at once when they cannot be read; the message comes with Save. */
static void
on_attribute_changed (RgMemberEditor *self,
                      GtkEditable    *editable)
{
  Field *field = g_object_get_data (G_OBJECT (editable), "rg-field");
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *normalized = NULL;

  if (self->loading || field == NULL || field->definition == NULL)
    return;

  if (text[0] != '\0' &&
      !rg_attribute_type_normalize (rg_attribute_definition_get_value_type (field->definition),
                                    text, &normalized, NULL))
    gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
on_switch_changed (RgMemberEditor *self,
                   GParamSpec     *pspec,
                   GtkSwitch      *toggle)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (toggle), "rg-row");
  Field *field = g_object_get_data (G_OBJECT (row), "rg-field");

  if (self->loading || field == NULL)
    return;

  field->touched = TRUE;
  on_field_changed (self, row);
}

static void
on_day_selected (GtkCalendar *calendar,
                 AdwEntryRow *row)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  set_text (row, text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static GtkWidget *
create_date_button (AdwEntryRow *row)
{
  GtkWidget *calendar = gtk_calendar_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *button;

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_day_selected), row, 0);

  button = g_object_new (GTK_TYPE_MENU_BUTTON,
                         "icon-name", "x-office-calendar-symbolic",
                         "valign", GTK_ALIGN_CENTER,
                         "tooltip-text", _("Choose a Date"),
                         "popover", popover,
                         NULL);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
create_attribute_row (RgMemberEditor        *self,
                      RgAttributeDefinition *definition)
{
  const char *label = rg_attribute_definition_get_label (definition);
  RgAttributeType type = rg_attribute_definition_get_value_type (definition);
  GtkWidget *row;

  if (type == RG_ATTRIBUTE_TYPE_YES_NO)
    {
      GtkWidget *toggle = g_object_new (GTK_TYPE_SWITCH, "valign", GTK_ALIGN_CENTER, NULL);

      row = g_object_new (ADW_TYPE_ACTION_ROW,
                          "title", label,
                          "use-markup", FALSE,
                          "activatable-widget", toggle,
                          NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "rg-switch", toggle);
      g_object_set_data (G_OBJECT (toggle), "rg-row", row);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_switch_changed), self,
                               G_CONNECT_SWAPPED);
      return row;
    }

  row = g_object_new (ADW_TYPE_ENTRY_ROW,
                      "title", label,
                      "use-markup", FALSE,
                      "input-purpose", type == RG_ATTRIBUTE_TYPE_NUMBER ? GTK_INPUT_PURPOSE_NUMBER
                                                                        : GTK_INPUT_PURPOSE_FREE_FORM,
                      NULL);
  if (type == RG_ATTRIBUTE_TYPE_DATE)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), create_date_button (ADW_ENTRY_ROW (row)));
  return row;
}

static void
remove_attribute_rows (RgMemberEditor *self)
{
  for (guint i = 0; i < self->attribute_fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->attribute_fields, i);
      GtkWidget *list_box = gtk_widget_get_parent (field->error_widget);

      gtk_list_box_remove (GTK_LIST_BOX (list_box), field->error_widget);
      adw_preferences_group_remove (self->attributes_group, field->widget);
      g_hash_table_remove (self->fields, field->field);
    }
  g_ptr_array_set_size (self->attribute_fields, 0);
}

static void
rebuild_attribute_rows (RgMemberEditor *self)
{
  g_autoptr(GListModel) definitions = NULL;
  g_autoptr(GError) error = NULL;
  guint n_definitions = 0;

  remove_attribute_rows (self);

  if (self->member_store != NULL &&
      (definitions = rg_member_store_list_attributes (self->member_store, &error)) == NULL)
    g_warning ("Could not read the custom attributes: %s", error->message);
  if (definitions != NULL)
    n_definitions = g_list_model_get_n_items (definitions);

  for (guint i = 0; i < n_definitions; i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);
      g_autofree char *name = g_strconcat (RG_MEMBER_FIELD_ATTRIBUTE_PREFIX,
                                           rg_attribute_definition_get_key (definition), NULL);
      GtkWidget *row = create_attribute_row (self, definition);
      Field *field;

      adw_preferences_group_add (self->attributes_group, row);
      field = add_field (self, name, row);
      field->definition = g_object_ref (definition);
      g_ptr_array_add (self->attribute_fields, field);

      if (GTK_IS_EDITABLE (row))
        g_signal_connect_object (row, "changed", G_CALLBACK (on_attribute_changed), self,
                                 G_CONNECT_SWAPPED);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->attributes_group), n_definitions > 0);
}

static void
on_attributes_changed (RgMemberEditor *self,
                       RgMemberStore  *member_store)
{
  gboolean dirty = self->dirty;
  g_autoptr(RgMember) edited = NULL;

  /* Keep what was typed into the fields that stay. */
  if (dirty && (self->member != NULL || self->is_new))
    {
      edited = self->is_new ? rg_member_new () : rg_member_copy (self->member);
      read_fields (self, edited);
    }

  rebuild_attribute_rows (self);

  self->loading = TRUE;
  for (guint i = 0; i < self->attribute_fields->len; i++)
    load_attribute (g_ptr_array_index (self->attribute_fields, i),
                    edited != NULL ? edited : self->member);
  self->loading = FALSE;
}

static void
on_member_changed (RgMemberEditor      *self,
                   gint64               member_id,
                   RgMemberChangeFlags  changes,
                   RgMemberStore       *member_store)
{
  g_autoptr(RgMember) fresh = NULL;

  if (self->saving || self->is_new || self->member == NULL ||
      rg_member_get_id (self->member) != member_id)
    return;

  if ((fresh = rg_member_store_get (member_store, member_id, NULL)) == NULL)
    return;

  g_set_object (&self->member, fresh);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);

  /* Balances move under an open editor (the adjust dialog, a webhook); typing stays. */
  if (self->dirty)
    {
      load_totals (self, self->member);
      update_header (self);
      /* The WeChat card is activated or removed by WeChat's events, not by typing. */
      update_wechat_card (self);
    }
  else
    load_fields (self);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMemberEditor *self = RG_MEMBER_EDITOR (widget);

  load_fields (self);
}

static void
rg_member_editor_dispose (GObject *object)
{
  RgMemberEditor *self = (RgMemberEditor *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBER_EDITOR);
  /* dispose_template() leaves the unnamed top box of the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->member_store);
  g_clear_object (&self->member);
  g_clear_object (&self->wechat);
  g_clear_object (&self->channel_settings);

  G_OBJECT_CLASS (rg_member_editor_parent_class)->dispose (object);
}

static void
rg_member_editor_finalize (GObject *object)
{
  RgMemberEditor *self = (RgMemberEditor *)object;

  g_clear_pointer (&self->attribute_fields, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);

  G_OBJECT_CLASS (rg_member_editor_parent_class)->finalize (object);
}

static void
rg_member_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgMemberEditor *self = RG_MEMBER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      g_value_set_object (value, self->member_store);
      break;

    case PROP_MEMBER:
      g_value_set_object (value, rg_member_editor_get_member (self));
      break;

    case PROP_IS_NEW:
      g_value_set_boolean (value, self->is_new);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgMemberEditor *self = RG_MEMBER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      rg_member_editor_set_member_store (self, g_value_get_object (value));
      break;

    case PROP_MEMBER:
      rg_member_editor_set_member (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_editor_class_init (RgMemberEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_member_editor_dispose;
  object_class->finalize = rg_member_editor_finalize;
  object_class->get_property = rg_member_editor_get_property;
  object_class->set_property = rg_member_editor_set_property;

  properties[PROP_MEMBER_STORE] =
    g_param_spec_object ("member-store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberEditor:member:
   * The stored member shown (the editor's own copy); %NULL when empty or for a new member.
   */
  properties[PROP_MEMBER] =
    g_param_spec_object ("member", NULL, NULL,
                         RG_TYPE_MEMBER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_NEW] =
    g_param_spec_boolean ("is-new", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberEditor:dirty:
   * Whether a field was edited since the member was loaded or saved.
   */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgMemberEditor::saved:
   * @member_id: the member written
   * @was_new: whether it was added rather than changed
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-member-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, delete_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, general_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, page);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, member_number_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, balances_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, points_balance_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, accumulated_points_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, stored_value_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, attributes_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, line_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, line_state_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, whatsapp_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, whatsapp_state_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, wechat_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, wechat_state_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, wechat_card_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, wechat_activate_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, note_frame);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, note_view);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, note_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, record_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, created_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, updated_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberEditor, revert_button);

  gtk_widget_class_install_action (widget_class, "editor.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "editor.activate-wechat", NULL,
                                   activate_wechat_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "members.close", NULL);
}

static void
rg_member_editor_init (RgMemberEditor *self)
{
  Field *note;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) field_free);
  self->attribute_fields = g_ptr_array_new ();

  add_field (self, RG_MEMBER_FIELD_NAME, GTK_WIDGET (self->name_row));
  add_field (self, RG_MEMBER_FIELD_MEMBER_NUMBER, GTK_WIDGET (self->member_number_row));
  add_field (self, RG_MEMBER_FIELD_PHONE, GTK_WIDGET (self->phone_row));
  add_field (self, RG_MEMBER_FIELD_EMAIL, GTK_WIDGET (self->email_row));
  add_field (self, RG_MEMBER_FIELD_TAGS, GTK_WIDGET (self->tags_row));
  add_field (self, RG_MEMBER_FIELD_LINE_USER_ID, GTK_WIDGET (self->line_row));
  add_field (self, RG_MEMBER_FIELD_WHATSAPP_ID, GTK_WIDGET (self->whatsapp_row));
  add_field (self, RG_MEMBER_FIELD_WECHAT_OPENID, GTK_WIDGET (self->wechat_row));

  /* The note is no row: its message is the label under the frame. */
  note = g_new0 (Field, 1);
  note->field = g_strdup (RG_MEMBER_FIELD_NOTE);
  note->widget = self->note_frame;
  note->error_widget = GTK_WIDGET (self->note_error_label);
  note->error_label = self->note_error_label;
  g_object_set_data (G_OBJECT (self->note_frame), "rg-field", note);
  g_hash_table_replace (self->fields, note->field, note);
  g_signal_connect_object (gtk_text_view_get_buffer (self->note_view), "changed",
                           G_CALLBACK (on_note_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.revert", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->attributes_group), FALSE);
  load_fields (self);
}

GtkWidget *
rg_member_editor_new (void)
{
  return g_object_new (RG_TYPE_MEMBER_EDITOR, NULL);
}

RgMemberStore *
rg_member_editor_get_member_store (RgMemberEditor *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EDITOR (self), NULL);

  return self->member_store;
}

void
rg_member_editor_set_member_store (RgMemberEditor *self,
                                   RgMemberStore  *member_store)
{
  g_return_if_fail (RG_IS_MEMBER_EDITOR (self));
  g_return_if_fail (member_store == NULL || RG_IS_MEMBER_STORE (member_store));

  if (self->member_store == member_store)
    return;

  rg_member_editor_set_member (self, NULL);
  if (self->member_store != NULL)
    g_signal_handlers_disconnect_by_data (self->member_store, self);
  g_set_object (&self->member_store, member_store);
  g_clear_object (&self->wechat);
  g_clear_object (&self->channel_settings);

  if (member_store != NULL)
    {
      RgStore *store = rg_member_store_get_store (member_store);
      g_autoptr(RgSecrets) secrets = rg_secrets_new ();

      self->channel_settings = rg_channel_settings_new (store, secrets);
      self->wechat = rg_card_wechat_new (store, self->channel_settings);
      g_signal_connect_object (member_store, "attributes-changed",
                               G_CALLBACK (on_attributes_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (member_store, "member-changed",
                               G_CALLBACK (on_member_changed), self, G_CONNECT_SWAPPED);
    }

  rebuild_attribute_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_STORE]);
}

/**
 * rg_member_editor_get_member:
 *
 * Returns: (transfer none) (nullable): the stored member shown, as last loaded or saved;
 *   %NULL when the editor is empty or shows a new member
 */
RgMember *
rg_member_editor_get_member (RgMemberEditor *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EDITOR (self), NULL);

  return self->is_new ? NULL : self->member;
}

/**
 * rg_member_editor_set_member:
 * @member: (nullable): a stored member; the editor works on a copy. %NULL empties it.
 *
 * Shows @member, dropping edits not saved.
 */
void
rg_member_editor_set_member (RgMemberEditor *self,
                             RgMember       *member)
{
  g_return_if_fail (RG_IS_MEMBER_EDITOR (self));
  g_return_if_fail (member == NULL || RG_IS_MEMBER (member));

  g_clear_object (&self->member);
  if (member != NULL)
    self->member = rg_member_copy (member);

  if (self->is_new)
    {
      self->is_new = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_NEW]);
    }

  load_fields (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
}

/**
 * rg_member_editor_new_member:
 *
 * Empties the fields for a member to add; rg_member_editor_save() inserts it.
 */
void
rg_member_editor_new_member (RgMemberEditor *self)
{
  g_return_if_fail (RG_IS_MEMBER_EDITOR (self));

  g_clear_object (&self->member);
  if (!self->is_new)
    {
      self->is_new = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_NEW]);
    }

  load_fields (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
}

gboolean
rg_member_editor_get_is_new (RgMemberEditor *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EDITOR (self), FALSE);

  return self->is_new;
}

gboolean
rg_member_editor_get_dirty (RgMemberEditor *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EDITOR (self), FALSE);

  return self->dirty;
}

/**
 * rg_member_editor_save:
 *
 * Validates the fields through the store and writes them: an update of the member shown,
 * or an insertion in "new" mode. A refusal is shown next to the field it names, which
 * gets the focus. Emits #RgMemberEditor::saved.
 *
 * Returns: whether the member was written
 */
gboolean
rg_member_editor_save (RgMemberEditor *self)
{
  g_autoptr(RgMember) draft = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_new;
  gboolean saved;

  g_return_val_if_fail (RG_IS_MEMBER_EDITOR (self), FALSE);

  if (self->member_store == NULL || (!self->is_new && self->member == NULL))
    return FALSE;

  was_new = self->is_new;
  draft = was_new ? rg_member_new () : rg_member_copy (self->member);
  read_fields (self, draft);
  clear_errors (self);

  self->saving = TRUE;
  if (was_new)
    saved = rg_member_store_insert (self->member_store, draft, RG_LEDGER_SOURCE_MANUAL, &error);
  else
    saved = rg_member_store_update (self->member_store, draft, &error);
  self->saving = FALSE;

  if (!saved)
    {
      show_error (self, error);
      return FALSE;
    }

  g_set_object (&self->member, draft);
  self->is_new = FALSE;
  load_fields (self);
  if (was_new)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_NEW]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);

  g_signal_emit (self, signals[SAVED], 0, rg_member_get_id (draft), was_new);
  return TRUE;
}

/**
 * rg_member_editor_focus_first:
 *
 * Puts the keyboard focus on the name, for typing right after opening the member.
 */
void
rg_member_editor_focus_first (RgMemberEditor *self)
{
  g_return_if_fail (RG_IS_MEMBER_EDITOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

GtkWidget *
_rg_member_editor_get_field_widget (RgMemberEditor *self,
                                    const char     *field)
{
  Field *info = g_hash_table_lookup (self->fields, field);

  if (info == NULL)
    return NULL;
  if (info->widget == self->note_frame)
    return GTK_WIDGET (self->note_view);
  if (ADW_IS_ACTION_ROW (info->widget) && !ADW_IS_ENTRY_ROW (info->widget))
    return g_object_get_data (G_OBJECT (info->widget), "rg-switch");
  return info->widget;
}

const char *
_rg_member_editor_get_field_error (RgMemberEditor *self,
                                   const char     *field)
{
  Field *info = g_hash_table_lookup (self->fields, field);

  if (info == NULL || !gtk_widget_get_visible (info->error_widget) ||
      !gtk_widget_has_css_class (info->widget, "error"))
    return NULL;
  return gtk_label_get_text (info->error_label);
}

AdwActionRow *
_rg_member_editor_get_wechat_card_row (RgMemberEditor *self)
{
  return self->wechat_card_row;
}
