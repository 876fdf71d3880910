/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import-dialog"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rg-file-flow.h"
#include "rg-member-format.h"
#include "rg-member-import-dialog.h"
#include "rg-member-store.h"

/*
 * RgMemberImportDialog: a CSV file into members, in four steps on one stack: choose the
 * file; check its preview and say what each column holds; watch the import (Cancel rolls it
 * back); read what happened, with the rejected rows and a way to save them.
 *
 * The importer reads the file and writes on a worker thread with its own connection, and
 * the rejected rows are saved on a worker too (through the core); this window reads only the list of custom
 * attributes (through the core) on its thread.
 */

#define PREVIEW_ROWS 8

struct _RgMemberImportDialog
{
  AdwWindow              parent_instance;

  RgStore               *store;
  RgMemberImporter      *importer;
  RgMemberImportPreview *preview;
  RgMemberImportResult  *result;
  RgFileFlow             flow;
  GCancellable          *preview_cancellable;

  /* The fields a column can hold, and their labels as the combo rows' model. */
  GPtrArray             *field_ids;
  GtkStringList         *field_labels;
  GPtrArray             *mapping_rows;
  gboolean               updating_mapping;

  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkButton             *close_button;
  GtkButton             *import_button;
  GtkStack              *stack;
  AdwActionRow          *file_row;
  GtkLabel              *encoding_label;
  GtkLabel              *delimiter_label;
  GtkColumnView         *preview_view;
  AdwPreferencesGroup   *mapping_group;
  AdwComboRow           *match_row;
  AdwComboRow           *duplicate_row;
  GtkSwitch             *commit_valid_switch;
  GtkProgressBar        *progress_bar;
  GtkLabel              *progress_label;
  GtkImage              *result_icon;
  GtkLabel              *result_title;
  GtkLabel              *result_statement;
  AdwPreferencesGroup   *counts_group;
  AdwActionRow          *added_row;
  AdwActionRow          *updated_row;
  AdwActionRow          *skipped_row;
  AdwActionRow          *rejected_row;
  GtkLabel              *added_label;
  GtkLabel              *updated_label;
  GtkLabel              *skipped_label;
  GtkLabel              *rejected_label;
  AdwPreferencesGroup   *rejections_group;
  GtkNoSelection        *rejections_selection;
  AdwStatusPage         *error_page;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgMemberImportDialog, rg_member_import_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
add_toast (RgMemberImportDialog *self,
           const char           *title)
{
  /* libadwaita 1.2 reads toast titles as Pango markup; file names may hold “&” or “<”. */
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static gboolean
mapping_has_fields (RgMemberImportDialog *self)
{
  RgCsvMapping *mapping = rg_member_importer_get_mapping (self->importer);

  if (mapping == NULL)
    return FALSE;
  for (guint i = 0; i < rg_csv_mapping_get_n_columns (mapping); i++)
    if (!g_str_equal (rg_csv_mapping_get_field (mapping, i), RG_CSV_FIELD_IGNORE))
      return TRUE;
  return FALSE;
}

static void
update_actions (RgMemberImportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean running = rg_file_flow_is_running (&self->flow);
  gboolean loading = self->preview_cancellable != NULL;
  gboolean on_setup = g_strcmp0 (page, "setup") == 0;
  gboolean on_result = g_strcmp0 (page, "result") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start",
                                 on_setup && !running && !loading && mapping_has_fields (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose-file", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.back", on_result && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-rejected",
                                 on_result && self->result != NULL &&
                                 rg_member_import_result_get_n_rejected (self->result) > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->import_button), on_setup);
  gtk_button_set_label (self->close_button, on_result ? _("_Close") : _("_Cancel"));
}

static void
show_error (RgMemberImportDialog *self,
            const char           *title,
            const char           *message)
{
  g_warning ("%s: %s", title, message);
  rg_file_flow_show_error (&self->flow, self->error_page, title, message);
}

static const char *
describe_encoding (RgMemberImportPreview *preview)
{
  if (g_str_equal (preview->encoding, "CP950"))
    return _("Big5 (Traditional Chinese)");
  if (g_str_equal (preview->encoding, "BIG5-HKSCS"))
    return _("Big5 with Hong Kong characters");
  if (g_str_has_prefix (preview->encoding, "UTF-16"))
    return _("UTF-16");
  if (preview->has_bom)
    return _("UTF-8 with byte order mark");
  return _("UTF-8");
}

static const char *
describe_delimiter (char delimiter)
{
  switch (delimiter)
    {
    case '\t':
      return _("Tab");
    case ';':
      return _("Semicolon");
    case '|':
      return _("Vertical bar");
    default:
      return _("Comma");
    }
}

/* A cell on one line: the preview shows where a value breaks, not the break. */
static char *
one_line (const char *text)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        g_string_append (line, " ⏎ ");
      else
        g_string_append_c (line, *p);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
preview_cell_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    RgMemberImportDialog     *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_list_item_set_child (item, label);
}

static void
preview_cell_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   RgMemberImportDialog     *self)
{
  GtkStringObject *row_object = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint row = (guint) strtoul (gtk_string_object_get_string (row_object), NULL, 10);
  g_autofree char *text = NULL;
  char **cells;

  if (self->preview == NULL || row >= self->preview->rows->len)
    return;
  cells = g_ptr_array_index (self->preview->rows, row);
  if (column >= self->preview->n_columns)
    return;
  text = one_line (cells[column]);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), cells[column]);
}

static void
rebuild_preview (RgMemberImportDialog *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview_view, column);
    }

  for (guint i = 0; i < self->preview->rows->len; i++)
    {
      char index[16];

      g_snprintf (index, sizeof index, "%u", i);
      gtk_string_list_append (rows, index);
    }

  for (guint c = 0; c < self->preview->n_columns; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect_object (factory, "setup", G_CALLBACK (preview_cell_setup), self, 0);
      g_signal_connect_object (factory, "bind", G_CALLBACK (preview_cell_bind), self, 0);
      column = gtk_column_view_column_new (self->preview->headers[c], g_object_ref (factory));
      /* The table fills its card. */
      gtk_column_view_column_set_expand (column, c + 1 == self->preview->n_columns);
      gtk_column_view_append_column (self->preview_view, column);
    }

  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));
}

/* The fields in the order of the mapping's own list, custom attributes before “Do not
 * import”. */
static void
build_fields (RgMemberImportDialog *self)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (self->store);
  g_autoptr(GListModel) definitions = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *builtin = rg_csv_field_list ();

  g_clear_pointer (&self->field_ids, g_ptr_array_unref);
  g_clear_object (&self->field_labels);
  self->field_ids = g_ptr_array_new_with_free_func (g_free);
  self->field_labels = gtk_string_list_new (NULL);

  for (guint i = 0; builtin[i] != NULL; i++)
    {
      if (g_str_equal (builtin[i], RG_CSV_FIELD_IGNORE))
        continue;
      g_ptr_array_add (self->field_ids, g_strdup (builtin[i]));
      gtk_string_list_append (self->field_labels, rg_csv_field_get_label (builtin[i]));
    }

  if ((definitions = rg_member_store_list_attributes (members, &error)) == NULL)
    g_warning ("Custom attributes cannot be imported: %s", error->message);

  for (guint i = 0; definitions != NULL && i < g_list_model_get_n_items (definitions); i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);

      g_ptr_array_add (self->field_ids,
                       g_strconcat (RG_CSV_FIELD_ATTR_PREFIX,
                                    rg_attribute_definition_get_key (definition), NULL));
      gtk_string_list_append (self->field_labels, rg_attribute_definition_get_label (definition));
    }

  g_ptr_array_add (self->field_ids, g_strdup (RG_CSV_FIELD_IGNORE));
  gtk_string_list_append (self->field_labels, rg_csv_field_get_label (RG_CSV_FIELD_IGNORE));
}

static guint
field_position (RgMemberImportDialog *self,
                const char           *field)
{
  for (guint i = 0; i < self->field_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->field_ids, i), field))
      return i;
  return self->field_ids->len - 1;
}

/* Setting a field takes it from the column that had it: every row follows the mapping. */
static void
sync_mapping_rows (RgMemberImportDialog *self)
{
  RgCsvMapping *mapping = rg_member_importer_get_mapping (self->importer);

  self->updating_mapping = TRUE;
  for (guint i = 0; i < self->mapping_rows->len; i++)
    adw_combo_row_set_selected (g_ptr_array_index (self->mapping_rows, i),
                                field_position (self, rg_csv_mapping_get_field (mapping, i)));
  self->updating_mapping = FALSE;
  update_actions (self);
}

static void
on_mapping_selected (RgMemberImportDialog *self,
                     GParamSpec           *pspec,
                     AdwComboRow          *row)
{
  RgCsvMapping *mapping = rg_member_importer_get_mapping (self->importer);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;

  if (self->updating_mapping || mapping == NULL || selected >= self->field_ids->len)
    return;

  if (!rg_csv_mapping_set_field (mapping, column, g_ptr_array_index (self->field_ids, selected),
                                 &error))
    g_warning ("%s", error->message);
  sync_mapping_rows (self);
}

static void
rebuild_mapping (RgMemberImportDialog *self)
{
  for (guint i = 0; i < self->mapping_rows->len; i++)
    adw_preferences_group_remove (self->mapping_group, g_ptr_array_index (self->mapping_rows, i));
  g_ptr_array_set_size (self->mapping_rows, 0);

  build_fields (self);

  for (guint c = 0; c < self->preview->n_columns; c++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      const char *header = self->preview->headers[c];

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     header[0] != '\0' ? header : _("(no header)"));
      if (self->preview->rows->len > 0)
        {
          char **first = g_ptr_array_index (self->preview->rows, 0);
          g_autofree char *sample = one_line (first[c]);

          if (sample[0] != '\0')
            {
              /* Translators: the value of a column in the file's first row */
              g_autofree char *subtitle = g_strdup_printf (_("For example “%s”"), sample);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
            }
        }
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_combo_row_set_model (row, G_LIST_MODEL (self->field_labels));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (c));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_mapping_selected), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->mapping_group, GTK_WIDGET (row));
      g_ptr_array_add (self->mapping_rows, row);
    }

  sync_mapping_rows (self);
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RgMemberImportDialog) self = user_data;
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *folder = NULL;
  GFile *file;

  preview = rg_member_importer_preview_finish (RG_MEMBER_IMPORTER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->preview_cancellable);
  update_actions (self);

  if (preview == NULL)
    {
      show_error (self, _("The File Cannot Be Read"), error->message);
      return;
    }

  g_clear_pointer (&self->preview, rg_member_import_preview_free);
  self->preview = g_steal_pointer (&preview);

  file = rg_member_importer_get_file (self->importer);
  parent = g_file_get_parent (file);
  basename = g_file_get_basename (file);
  folder = parent != NULL ? g_file_get_parse_name (parent) : NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), basename);
  adw_action_row_set_subtitle (self->file_row, folder);
  gtk_label_set_text (self->encoding_label, describe_encoding (self->preview));
  gtk_label_set_text (self->delimiter_label, describe_delimiter (self->preview->delimiter));

  rebuild_preview (self);
  rebuild_mapping (self);
  rg_file_flow_show_page (&self->flow, "setup");
}

/* The file is read on a worker thread: telling the encoding of a big file may read it all. */
static void
load_file (RgMemberImportDialog *self,
           GFile                *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  g_clear_object (&self->result);
  rg_member_importer_set_file (self->importer, file);
  adw_window_title_set_subtitle (self->window_title, basename);

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  update_actions (self);
  rg_member_importer_preview_async (self->importer, PREVIEW_ROWS, self->preview_cancellable,
                                    preview_cb, g_object_ref (self));
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");

  rg_file_flow_choose (&self->flow, GTK_FILE_CHOOSER_ACTION_OPEN, _("Import Members"), _("_Open"),
                       NULL, (RgFileChosenFunc) load_file, csv, all, NULL);
}

static void
on_progress (RgMemberImportDialog *self)
{
  guint64 rows = rg_member_importer_get_rows_done (self->importer);
  g_autofree char *count = rg_file_flow_format_count (rows);
  g_autofree char *text = NULL;

  /* Translators: %s is a number of rows, “12,000” */
  text = g_strdup_printf (ngettext ("%s row read", "%s rows read", rows), count);
  rg_file_flow_set_progress (&self->flow, rg_member_importer_get_progress (self->importer), text);
}

static void
set_count (GtkLabel *label,
           guint64   count)
{
  g_autofree char *text = rg_file_flow_format_count (count);

  gtk_label_set_text (label, text);
}

static void
show_result (RgMemberImportDialog *self)
{
  RgMemberImportResult *result = self->result;
  GListModel *rejections = rg_member_import_result_get_rejections (result);
  guint64 n_rejected = rg_member_import_result_get_n_rejected (result);
  guint64 n_added = rg_member_import_result_get_n_added (result);
  guint64 n_updated = rg_member_import_result_get_n_updated (result);
  g_autofree char *rejected = rg_file_flow_format_count (n_rejected);
  g_autofree char *statement = NULL;
  g_autofree char *more = NULL;

  if (!rg_member_import_result_get_committed (result))
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-warning-symbolic");
      gtk_label_set_text (self->result_title, _("Nothing Was Imported"));
      statement = g_strdup_printf (ngettext ("Nothing was imported because %s row has a problem. "
                                             "Fix it or turn on “Import the valid rows”.",
                                             "Nothing was imported because %s rows have problems. "
                                             "Fix them or turn on “Import the valid rows”.",
                                             n_rejected),
                                   rejected);
    }
  else if (n_rejected > 0)
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-warning-symbolic");
      gtk_label_set_text (self->result_title, _("Imported, Except Rejected Rows"));
      statement = g_strdup_printf (ngettext ("%s row was not imported because of a problem; "
                                             "the other rows were.",
                                             "%s rows were not imported because of problems; "
                                             "the other rows were.",
                                             n_rejected),
                                   rejected);
    }
  else
    {
      g_autofree char *members = rg_file_flow_format_count (n_added + n_updated);

      gtk_image_set_from_icon_name (self->result_icon, "object-select-symbolic");
      gtk_label_set_text (self->result_title, _("Import Finished"));
      statement = g_strdup_printf (ngettext ("%s member was added or updated.",
                                             "%s members were added or updated.",
                                             n_added + n_updated),
                                   members);
    }

  if (n_rejected > g_list_model_get_n_items (rejections))
    {
      g_autofree char *listed = rg_format_integer (g_list_model_get_n_items (rejections));
      g_autofree char *joined = NULL;

      /* Translators: %s is a number; the list shows only so many rejected rows */
      more = g_strdup_printf (_("The first %s are listed; save the rejected rows to see them all."),
                              listed);
      joined = g_strconcat (statement, " ", more, NULL);
      g_free (statement);
      statement = g_steal_pointer (&joined);
    }

  gtk_label_set_text (self->result_statement, statement);

  /* Rolled back, the counts say what the file would do once its problems are fixed. */
  if (rg_member_import_result_get_committed (result))
    {
      adw_preferences_group_set_title (self->counts_group, _("Rows"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->added_row), _("Added"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->updated_row), _("Updated"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->skipped_row),
                                     _("Skipped as duplicates"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rejected_row), _("Rejected"));
    }
  else
    {
      adw_preferences_group_set_title (self->counts_group, _("Once the Problems Are Fixed"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->added_row), _("Would be added"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->updated_row),
                                     _("Would be updated"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->skipped_row),
                                     _("Would be skipped as duplicates"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rejected_row),
                                     _("Rows with problems"));
    }

  set_count (self->added_label, n_added);
  set_count (self->updated_label, n_updated);
  set_count (self->skipped_label, rg_member_import_result_get_n_skipped (result));
  set_count (self->rejected_label, n_rejected);
  gtk_no_selection_set_model (self->rejections_selection, rejections);
  gtk_widget_set_visible (GTK_WIDGET (self->rejections_group), n_rejected > 0);

  rg_file_flow_show_page (&self->flow, "result");
}

static void
run_cb (GObject      *object,
        GAsyncResult *async_result,
        gpointer      user_data)
{
  g_autoptr(RgMemberImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;

  result = rg_member_importer_run_finish (RG_MEMBER_IMPORTER (object), async_result, &error);
  if (!rg_file_flow_finish (&self->flow))
    return;

  if (result == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      rg_file_flow_show_page (&self->flow, "setup");
      add_toast (self, _("Import cancelled; no member was changed"));
      return;
    }
  if (result == NULL)
    {
      show_error (self, _("The Import Failed"), error->message);
      return;
    }

  g_set_object (&self->result, result);
  show_result (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (widget);

  if (rg_file_flow_is_running (&self->flow) || self->preview_cancellable != NULL ||
      !mapping_has_fields (self))
    return;

  rg_member_importer_set_match (self->importer, adw_combo_row_get_selected (self->match_row));
  rg_member_importer_set_on_duplicate (self->importer,
                                       adw_combo_row_get_selected (self->duplicate_row));
  rg_member_importer_set_commit_valid (self->importer,
                                       gtk_switch_get_active (self->commit_valid_switch));

  g_clear_object (&self->result);
  rg_member_importer_run_async (self->importer, rg_file_flow_start (&self->flow), run_cb,
                                g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (widget);

  if (self->preview != NULL)
    rg_file_flow_show_page (&self->flow, "setup");
}

typedef struct
{
  RgMemberImportDialog *self;
  GFile                *file;
} SaveRejected;

static void
save_rejected_free (SaveRejected *save)
{
  g_object_unref (save->self);
  g_object_unref (save->file);
  g_free (save);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRejected, save_rejected_free)

static void
rejected_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SaveRejected) save = user_data;
  RgMemberImportDialog *self = save->self;
  g_autoptr(GError) error = NULL;

  if (!rg_member_import_result_save_rejections_finish (RG_MEMBER_IMPORT_RESULT (object), result,
                                                       &error))
    g_warning ("Could not save the rejected rows: %s", error->message);
  /* Closed while the file was written. */
  if (self->toast_overlay == NULL)
    return;

  if (error != NULL)
    add_toast (self, error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (save->file);
      /* Translators: %s is a file name */
      g_autofree char *title = g_strdup_printf (_("Rejected rows saved to “%s”"), name);

      add_toast (self, title);
    }
}

static void
save_rejected (RgMemberImportDialog *self,
               GFile                *file)
{
  SaveRejected *save;

  if (self->result == NULL)
    return;

  save = g_new0 (SaveRejected, 1);
  save->self = g_object_ref (self);
  save->file = g_object_ref (file);
  rg_member_import_result_save_rejections_async (self->result, file, NULL, rejected_saved_cb,
                                                 save);
}

static void
save_rejected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (widget);
  GFile *source = rg_member_importer_get_file (self->importer);
  g_autofree char *basename = source != NULL ? g_file_get_basename (source) : g_strdup ("members");
  g_autofree char *name = NULL;
  char *dot;

  if (self->result == NULL)
    return;

  if ((dot = strrchr (basename, '.')) != NULL)
    *dot = '\0';
  /* Translators: the name offered for the rejected rows of “members.csv” */
  name = g_strdup_printf (_("%s-rejected.csv"), basename);

  rg_file_flow_choose (&self->flow, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save Rejected Rows"),
                       _("_Save"), name, (RgFileChosenFunc) save_rejected, NULL);
}

/* Closing while the import runs cancels it (nothing is committed); the window goes when
 * the worker has let go. */
static gboolean
rg_member_import_dialog_close_request (GtkWindow *window)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (rg_member_import_dialog_parent_class);

  if (rg_file_flow_close_request (&self->flow))
    return TRUE;
  return parent_class->close_request != NULL && parent_class->close_request (window);
}

static void
rg_member_import_dialog_constructed (GObject *object)
{
  RgMemberImportDialog *self = (RgMemberImportDialog *)object;

  G_OBJECT_CLASS (rg_member_import_dialog_parent_class)->constructed (object);

  g_assert (RG_IS_STORE (self->store));
  self->importer = rg_member_importer_new (self->store);
  g_signal_connect_object (self->importer, "notify::progress", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->importer, "notify::rows-done", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
  rg_file_flow_init (&self->flow, GTK_WINDOW (self), self->stack,
                     GTK_WIDGET (self->import_button), self->progress_bar, self->progress_label,
                     (RgFileFlowFunc) update_actions);
  rg_file_flow_show_page (&self->flow, "choose");
}

static void
rg_member_import_dialog_dispose (GObject *object)
{
  RgMemberImportDialog *self = (RgMemberImportDialog *)object;

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  rg_file_flow_clear (&self->flow);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBER_IMPORT_DIALOG);

  g_clear_object (&self->result);
  g_clear_object (&self->importer);
  g_clear_object (&self->store);
  g_clear_object (&self->field_labels);
  g_clear_pointer (&self->field_ids, g_ptr_array_unref);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_clear_pointer (&self->preview, rg_member_import_preview_free);

  G_OBJECT_CLASS (rg_member_import_dialog_parent_class)->dispose (object);
}

static void
rg_member_import_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (object);

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
rg_member_import_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgMemberImportDialog *self = RG_MEMBER_IMPORT_DIALOG (object);

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
rg_member_import_dialog_class_init (RgMemberImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rg_member_import_dialog_constructed;
  object_class->dispose = rg_member_import_dialog_dispose;
  object_class->get_property = rg_member_import_dialog_get_property;
  object_class->set_property = rg_member_import_dialog_set_property;

  window_class->close_request = rg_member_import_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_MEMBER_IMPORT_REJECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-member-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, encoding_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, delimiter_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, match_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, duplicate_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, commit_valid_switch);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, result_title);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, result_statement);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, counts_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, added_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, updated_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, skipped_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, rejected_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, added_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, updated_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, rejected_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, rejections_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, rejections_selection);
  gtk_widget_class_bind_template_child (widget_class, RgMemberImportDialog, error_page);

  gtk_widget_class_install_action (widget_class, "import.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "import.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL,
                                   rg_file_flow_cancel_action);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "import.save-rejected", NULL,
                                   save_rejected_action);
}

static void
rg_member_import_dialog_init (RgMemberImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->mapping_rows = g_ptr_array_new ();
}

/**
 * rg_member_import_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @store: the database to import into
 *
 * Returns: (transfer none): the dialog, not shown yet; it destroys itself when closed
 */
GtkWindow *
rg_member_import_dialog_new (GtkWindow *parent,
                             RgStore   *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_MEMBER_IMPORT_DIALOG,
                       "store", store,
                       "transient-for", parent,
                       NULL);
}

/**
 * rg_member_import_dialog_set_file:
 * @file: a CSV file, e.g. dropped on the members page
 *
 * Reads its first rows and shows the preview and the guessed columns, as choosing it does.
 */
void
rg_member_import_dialog_set_file (RgMemberImportDialog *self,
                                  GFile                *file)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!rg_file_flow_is_running (&self->flow));

  load_file (self, file);
}

/**
 * rg_member_import_dialog_get_importer:
 *
 * Returns: (transfer none): the importer, with the file, mapping and choices on screen
 */
RgMemberImporter *
rg_member_import_dialog_get_importer (RgMemberImportDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_DIALOG (self), NULL);

  return self->importer;
}

/**
 * rg_member_import_dialog_get_result:
 *
 * Returns: (transfer none) (nullable): what the last import did
 */
RgMemberImportResult *
rg_member_import_dialog_get_result (RgMemberImportDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_DIALOG (self), NULL);

  return self->result;
}

/**
 * rg_member_import_dialog_get_page:
 *
 * Returns: the step shown: "choose", "setup", "progress", "result" or "error", or
 *   "loading" while a chosen file is read
 */
const char *
rg_member_import_dialog_get_page (RgMemberImportDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_DIALOG (self), NULL);

  /* While a chosen file is being read, the page shown is not its page yet. */
  if (self->preview_cancellable != NULL)
    return "loading";
  return gtk_stack_get_visible_child_name (self->stack);
}
