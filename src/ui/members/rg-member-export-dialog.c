/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-file-flow.h"
#include "rg-member-export-dialog.h"
#include "rg-member-format.h"
#include "rg-member-list.h"
#include "rg-member-store.h"

/*
 * RgMemberExportDialog: which members (all, or the members page's current search), which
 * columns, and whether Excel will open the file; then a destination, a progress bar with
 * Cancel, and a summary. The exporter works on a worker thread with its own connection and
 * replaces the destination only when the file is complete.
 */

struct _RgMemberExportDialog
{
  AdwWindow             parent_instance;

  RgStore              *store;
  char                 *search;
  RgMemberExporter     *exporter;
  RgFileFlow            flow;
  GFile                *destination;
  GPtrArray            *column_checks;
  GPtrArray            *column_ids;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *close_button;
  GtkButton            *export_button;
  GtkStack             *stack;
  AdwPreferencesGroup  *scope_group;
  AdwActionRow         *all_row;
  GtkCheckButton       *all_check;
  AdwActionRow         *search_row;
  GtkCheckButton       *search_check;
  AdwPreferencesGroup  *columns_group;
  GtkSwitch            *bom_switch;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  AdwStatusPage        *done_page;
  AdwStatusPage        *error_page;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgMemberExportDialog, rg_member_export_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static gboolean
has_search (RgMemberExportDialog *self)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (self->search != NULL ? self->search : ""));

  return trimmed[0] != '\0';
}

static GPtrArray *
checked_columns (RgMemberExportDialog *self)
{
  GPtrArray *columns = g_ptr_array_new_null_terminated (self->column_ids->len, NULL, TRUE);

  for (guint i = 0; i < self->column_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->column_checks, i)))
      g_ptr_array_add (columns, g_ptr_array_index (self->column_ids, i));
  return columns;
}

static void
update_actions (RgMemberExportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean on_setup = g_strcmp0 (page, "setup") == 0;
  gboolean running = rg_file_flow_is_running (&self->flow);
  g_autoptr(GPtrArray) columns = checked_columns (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-file",
                                 on_setup && !running && columns->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.back", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.open", self->destination != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button), on_setup);
  gtk_button_set_label (self->close_button, on_setup || running ? _("_Cancel") : _("_Close"));
}

static void
show_error (RgMemberExportDialog *self,
            const char           *message)
{
  g_warning ("Export failed: %s", message);
  rg_file_flow_show_error (&self->flow, self->error_page, NULL, message);
}

/* How many members each choice exports: the count is kept by the store, the search's is
 * one query of the members list, both on this thread and short. */
static void
update_scope (RgMemberExportDialog *self)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (self->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *all_text = NULL;
  guint64 count = 0;

  if (!rg_member_store_count (members, &count, &error))
    g_warning ("Could not count the members: %s", error->message);
  all_text = rg_file_flow_format_count (count);
  {
    g_autofree char *subtitle = g_strdup_printf (ngettext ("%s member", "%s members", count),
                                                 all_text);

    adw_action_row_set_subtitle (self->all_row, subtitle);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->search_row), has_search (self));
  if (has_search (self))
    {
      g_autoptr(RgMemberList) list = rg_member_list_new (members);
      g_autofree char *title = NULL;
      g_autofree char *found = NULL;
      g_autofree char *subtitle = NULL;
      guint n_found;

      rg_member_list_set_search (list, self->search);
      n_found = g_list_model_get_n_items (G_LIST_MODEL (list));
      found = rg_file_flow_format_count (n_found);
      /* Translators: %s is what was typed into the members page's search */
      title = g_strdup_printf (_("Members found by “%s”"), self->search);
      subtitle = g_strdup_printf (ngettext ("%s member", "%s members", n_found), found);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->search_row), title);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->search_row), FALSE);
      adw_action_row_set_subtitle (self->search_row, subtitle);
      gtk_check_button_set_active (self->search_check, TRUE);
    }
  else
    gtk_check_button_set_active (self->all_check, TRUE);
}

static void
build_columns (RgMemberExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) available = rg_member_exporter_dup_available_columns (self->exporter, &error);

  if (available == NULL)
    {
      g_warning ("Could not list the columns: %s", error->message);
      available = g_strdupv ((char **) rg_member_export_standard_columns ());
    }

  for (guint i = 0; available[i] != NULL; i++)
    {
      g_autofree char *label = rg_member_exporter_dup_column_label (self->exporter, available[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      g_signal_connect_object (check, "notify::active", G_CALLBACK (update_actions), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->columns_group, row);

      g_ptr_array_add (self->column_checks, check);
      g_ptr_array_add (self->column_ids, g_strdup (available[i]));
    }
}

static void
on_progress (RgMemberExportDialog *self)
{
  guint64 rows = rg_member_exporter_get_rows_done (self->exporter);
  g_autofree char *count = rg_file_flow_format_count (rows);
  g_autofree char *text = g_strdup_printf (ngettext ("%s member written",
                                                     "%s members written", rows), count);

  rg_file_flow_set_progress (&self->flow, rg_member_exporter_get_progress (self->exporter),
                             text);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(RgMemberExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 n_rows = 0;
  gboolean ok;

  ok = rg_member_exporter_run_finish (RG_MEMBER_EXPORTER (object), result, &n_rows, &error);
  if (!rg_file_flow_finish (&self->flow))
    return;

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->destination);
      rg_file_flow_show_page (&self->flow, "setup");
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Export cancelled; no file was written")));
      return;
    }
  if (!ok)
    {
      g_clear_object (&self->destination);
      show_error (self, error->message);
      return;
    }

  {
    g_autofree char *name = g_file_get_basename (self->destination);
    g_autofree char *count = rg_file_flow_format_count (n_rows);
    /* Translators: a number of members and a file name */
    g_autofree char *text = g_strdup_printf (ngettext ("%s member was saved to “%s”.",
                                                       "%s members were saved to “%s”.", n_rows),
                                             count, name);
    g_autofree char *escaped = g_markup_escape_text (text, -1);

    adw_status_page_set_description (self->done_page, escaped);
  }
  rg_file_flow_show_page (&self->flow, "done");
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RgMemberExportDialog *self = RG_MEMBER_EXPORT_DIALOG (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (rg_file_flow_is_running (&self->flow))
    return;

  /* Translators: the file name offered for an export; %s is today's date */
  name = g_strdup_printf (_("members-%s.csv"), date);
  rg_file_flow_choose (&self->flow, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export Members"),
                       _("_Export"), name, (RgFileChosenFunc) rg_member_export_dialog_export_to,
                       NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgMemberExportDialog *self = RG_MEMBER_EXPORT_DIALOG (widget);
  g_autofree char *uri = NULL;

  if (self->destination == NULL)
    return;

  uri = g_file_get_uri (self->destination);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
}

static gboolean
rg_member_export_dialog_close_request (GtkWindow *window)
{
  RgMemberExportDialog *self = RG_MEMBER_EXPORT_DIALOG (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (rg_member_export_dialog_parent_class);

  /* Cancelled, the export leaves no file; the window goes when the worker has stopped. */
  if (rg_file_flow_close_request (&self->flow))
    return TRUE;
  return parent_class->close_request != NULL && parent_class->close_request (window);
}

static void
rg_member_export_dialog_constructed (GObject *object)
{
  RgMemberExportDialog *self = (RgMemberExportDialog *)object;

  G_OBJECT_CLASS (rg_member_export_dialog_parent_class)->constructed (object);

  g_assert (RG_IS_STORE (self->store));
  self->exporter = rg_member_exporter_new (self->store);
  g_signal_connect_object (self->exporter, "notify::progress", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->exporter, "notify::rows-done", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);

  rg_file_flow_init (&self->flow, GTK_WINDOW (self), self->stack,
                     GTK_WIDGET (self->export_button), self->progress_bar, self->progress_label,
                     (RgFileFlowFunc) update_actions);
  update_scope (self);
  build_columns (self);
  rg_file_flow_show_page (&self->flow, "setup");
}

static void
rg_member_export_dialog_dispose (GObject *object)
{
  RgMemberExportDialog *self = (RgMemberExportDialog *)object;

  rg_file_flow_clear (&self->flow);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBER_EXPORT_DIALOG);

  g_clear_object (&self->destination);
  g_clear_object (&self->exporter);
  g_clear_object (&self->store);
  g_clear_pointer (&self->column_checks, g_ptr_array_unref);
  g_clear_pointer (&self->column_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (rg_member_export_dialog_parent_class)->dispose (object);
}

static void
rg_member_export_dialog_finalize (GObject *object)
{
  RgMemberExportDialog *self = (RgMemberExportDialog *)object;

  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (rg_member_export_dialog_parent_class)->finalize (object);
}

static void
rg_member_export_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgMemberExportDialog *self = RG_MEMBER_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_export_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgMemberExportDialog *self = RG_MEMBER_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SEARCH:
      self->search = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_export_dialog_class_init (RgMemberExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rg_member_export_dialog_constructed;
  object_class->dispose = rg_member_export_dialog_dispose;
  object_class->finalize = rg_member_export_dialog_finalize;
  object_class->get_property = rg_member_export_dialog_get_property;
  object_class->set_property = rg_member_export_dialog_set_property;

  window_class->close_request = rg_member_export_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberExportDialog:search:
   * The members page's search, offered as the alternative to all members; %NULL for none.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-member-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, scope_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, all_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, all_check);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, search_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, search_check);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, bom_switch);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, RgMemberExportDialog, error_page);

  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL,
                                   rg_file_flow_cancel_action);
  gtk_widget_class_install_action (widget_class, "export.back", NULL, rg_file_flow_back_action);
  gtk_widget_class_install_action (widget_class, "export.open", NULL, open_action);
}

static void
rg_member_export_dialog_init (RgMemberExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->column_checks = g_ptr_array_new ();
  self->column_ids = g_ptr_array_new_with_free_func (g_free);
}

/**
 * rg_member_export_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @store: the database to export from
 * @search: (nullable): the members page's search, or %NULL to offer all members only
 *
 * Returns: (transfer none): the dialog, not shown yet; it destroys itself when closed
 */
GtkWindow *
rg_member_export_dialog_new (GtkWindow  *parent,
                             RgStore    *store,
                             const char *search)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_MEMBER_EXPORT_DIALOG,
                       "store", store,
                       "search", search,
                       "transient-for", parent,
                       NULL);
}

/**
 * rg_member_export_dialog_export_to:
 * @file: the destination, as the file chooser gives it
 *
 * Exports the chosen members and columns to @file.
 */
void
rg_member_export_dialog_export_to (RgMemberExportDialog *self,
                                   GFile                *file)
{
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GError) error = NULL;
  gboolean searching;

  g_return_if_fail (RG_IS_MEMBER_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (rg_file_flow_is_running (&self->flow))
    return;

  searching = has_search (self) && gtk_check_button_get_active (self->search_check);
  rg_member_exporter_set_search (self->exporter, searching ? self->search : NULL);
  rg_member_exporter_set_bom (self->exporter, gtk_switch_get_active (self->bom_switch));
  columns = checked_columns (self);
  if (!rg_member_exporter_set_columns (self->exporter, (const char * const *) columns->pdata,
                                       &error))
    {
      show_error (self, error->message);
      return;
    }

  g_set_object (&self->destination, file);
  rg_member_exporter_run_async (self->exporter, file, rg_file_flow_start (&self->flow), run_cb,
                                g_object_ref (self));
}

/**
 * rg_member_export_dialog_get_exporter:
 *
 * Returns: (transfer none): the exporter
 */
RgMemberExporter *
rg_member_export_dialog_get_exporter (RgMemberExportDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORT_DIALOG (self), NULL);

  return self->exporter;
}

/**
 * rg_member_export_dialog_get_page:
 *
 * Returns: the step shown: "setup", "progress", "done" or "error"
 */
const char *
rg_member_export_dialog_get_page (RgMemberExportDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
