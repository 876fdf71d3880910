/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channels"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-channels-private.h"
#include "rg-window.h"

static const char * const status_names[] = {
  [RG_FIELD_STATUS_NONE] = "none",
  [RG_FIELD_STATUS_SAVING] = "saving",
  [RG_FIELD_STATUS_SAVED] = "saved",
  [RG_FIELD_STATUS_ERROR] = "error",
};

/**
 * _rg_channels_strip_prefix:
 *
 * The core prefixes its messages with the setting they are about (“line/channel-id: …”)
 * for the command line; on the page the row already says which setting it is.
 *
 * Returns: @message without a leading “channel/field: ”
 */
const char *
_rg_channels_strip_prefix (const char *message)
{
  const char *colon;
  const char *slash;

  g_return_val_if_fail (message != NULL, NULL);

  if (!(colon = strstr (message, ": ")) ||
      !(slash = memchr (message, '/', colon - message)))
    return message;

  for (const char *p = message; p < colon; p++)
    {
      if (p != slash && !g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return message;
    }

  return colon + 2;
}

static GtkWidget *
saved_box_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  GtkWidget *label = gtk_label_new (_("Saved"));

  gtk_widget_add_css_class (image, "success");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/**
 * _rg_field_feedback_init:
 * @row: an #AdwEntryRow or #AdwActionRow
 *
 * Adds a status suffix to @row and creates the (hidden) message row, which the caller puts
 * right after @row in the same list.
 */
void
_rg_field_feedback_init (RgFieldFeedback *feedback,
                         GtkWidget       *row)
{
  GtkWidget *spinner;
  GtkWidget *error_image;
  GtkWidget *box;
  GtkWidget *icon;

  g_return_if_fail (feedback != NULL);
  g_return_if_fail (ADW_IS_ENTRY_ROW (row) || ADW_IS_ACTION_ROW (row));

  feedback->row = row;

  feedback->status = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_hhomogeneous (feedback->status, FALSE);
  gtk_widget_set_valign (GTK_WIDGET (feedback->status), GTK_ALIGN_CENTER);
  gtk_stack_add_named (feedback->status, gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0), "none");
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_tooltip_text (spinner, _("Saving…"));
  gtk_stack_add_named (feedback->status, spinner, "saving");
  gtk_stack_add_named (feedback->status, saved_box_new (), "saved");
  error_image = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (error_image, "error");
  gtk_stack_add_named (feedback->status, error_image, "error");
  gtk_widget_set_visible (GTK_WIDGET (feedback->status), FALSE);

  if (ADW_IS_ENTRY_ROW (row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (feedback->status));
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (feedback->status));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "error");
  gtk_box_append (GTK_BOX (box), icon);
  feedback->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (feedback->message_label, TRUE);
  gtk_label_set_wrap_mode (feedback->message_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (feedback->message_label, 0.0f);
  gtk_label_set_selectable (feedback->message_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (feedback->message_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (feedback->message_label), "error");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (feedback->message_label));

  feedback->message_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (feedback->message_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (feedback->message_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (feedback->message_row), box);
  gtk_widget_set_visible (feedback->message_row, FALSE);
}

/**
 * _rg_field_feedback_set:
 * @message: (nullable): for %RG_FIELD_STATUS_ERROR, what is wrong
 */
void
_rg_field_feedback_set (RgFieldFeedback *feedback,
                        RgFieldStatus    status,
                        const char      *message)
{
  gboolean error = status == RG_FIELD_STATUS_ERROR;

  g_return_if_fail (feedback != NULL);
  g_return_if_fail (status < G_N_ELEMENTS (status_names));

  gtk_stack_set_visible_child_name (feedback->status, status_names[status]);
  /* With a message under the row, one warning sign is enough. */
  gtk_widget_set_visible (GTK_WIDGET (feedback->status),
                          status != RG_FIELD_STATUS_NONE && !(error && message != NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (feedback->status), error ? message : NULL);

  if (error)
    gtk_widget_add_css_class (feedback->row, "error");
  else
    gtk_widget_remove_css_class (feedback->row, "error");

  gtk_label_set_text (feedback->message_label, error && message != NULL ? message : "");
  gtk_widget_set_visible (feedback->message_row, error && message != NULL);
}

RgFieldStatus
_rg_field_feedback_get (RgFieldFeedback *feedback)
{
  const char *name;

  g_return_val_if_fail (feedback != NULL, RG_FIELD_STATUS_NONE);

  name = gtk_stack_get_visible_child_name (feedback->status);
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (name, status_names[i]) == 0)
        return (RgFieldStatus) i;
    }
  return RG_FIELD_STATUS_NONE;
}

void
_rg_channels_add_toast (GtkWidget  *widget,
                        const char *title)
{
  rg_widget_add_toast (widget, adw_toast_new (title));
}
