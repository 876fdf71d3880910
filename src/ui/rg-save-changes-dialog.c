/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-save-changes-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-save-changes-dialog.h"

/**
 * rg_save_changes_dialog_new:
 * @parent: (nullable): the window the edits are in
 * @body: what is not saved yet
 *
 * The question asked before unsaved edits would go away: its responses are "cancel" (also
 * when the dialog is closed), "discard" and "save", the default.
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
AdwMessageDialog *
rg_save_changes_dialog_new (GtkWindow  *parent,
                            const char *body)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (body != NULL, NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Save Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}
