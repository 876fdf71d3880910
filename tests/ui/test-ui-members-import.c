/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "members/rg-member-export-dialog.h"
#include "members/rg-member-import-dialog.h"
#include "rg-member-list.h"
#include "rg-member-store.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"

/* The import and export dialogs under Xvfb: a small CSV through the import dialog as a shop
 * owner would take it (preview, guessed columns, Import, the result), the members list
 * following, and the export dialog writing the file. */

#define SMALL_CSV \
  "會員編號,姓名,手機,電子郵件,點數餘額\n" \
  "M001,王小明,0912-345-678,ming@example.com,300\n" \
  "M002,陳怡君,(02) 2345-6789,yijun@example.com,80\n" \
  "M003,林志明,+852 9123 4567,,0\n"

#define BAD_CSV \
  "會員編號,姓名,手機\n" \
  "B001,張家豪,0922-111-222\n" \
  "B002,李美玲,12345\n"

typedef struct
{
  char          *dir;
  RgStore       *store;
  RgMemberStore *members;
  RgMemberList  *list;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "regulars.db", NULL);
  fixture->store = rg_store_open (path, &error);
  g_assert_no_error (error);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->list = rg_member_list_new (fixture->members);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->list);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_csv (Fixture    *fixture,
           const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The first widget of @type under @root that @match accepts (any, without @match). */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
combo_row_titled (GtkWidget     *widget,
                  gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
label_starting (GtkWidget     *widget,
                gconstpointer  prefix)
{
  return gtk_widget_get_mapped (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

static const char *
combo_selected_text (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return gtk_string_object_get_string (item);
}

static void
wait_for_import_page (RgMemberImportDialog *dialog,
                      const char           *page)
{
  while (g_strcmp0 (rg_member_import_dialog_get_page (dialog), page) != 0)
    g_main_context_iteration (NULL, TRUE);
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
}

typedef struct
{
  RgMemberImportDialog *dialog;
  gboolean              cancelled;
} CancelData;

/* At the first progress, while the worker still has most of the file ahead: the progress
 * page, then Cancel. */
static void
screenshot_and_cancel (RgMemberImporter *importer,
                       GParamSpec       *pspec,
                       CancelData       *cancel)
{
  if (cancel->cancelled || rg_member_importer_get_rows_done (importer) == 0)
    return;
  cancel->cancelled = TRUE;
  g_assert_cmpstr (rg_member_import_dialog_get_page (cancel->dialog), ==, "progress");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (cancel->dialog), "import-3-progress");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cancel->dialog), "import.cancel", NULL));
}

static void
test_import_dialog (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) csv = write_csv (fixture, "members.csv", SMALL_CSV);
  RgMemberImportDialog *dialog;
  RgCsvMapping *mapping;
  RgMemberImportResult *result;
  GtkColumnView *preview;
  GListModel *columns;
  GtkWidget *phone_row;
  GtkWidget *statement;
  g_autoptr(GtkColumnViewColumn) first_column = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);

  dialog = RG_MEMBER_IMPORT_DIALOG (rg_member_import_dialog_new (NULL, fixture->store));
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  g_assert_cmpstr (rg_member_import_dialog_get_page (dialog), ==, "choose");
  /* Nothing to import yet: the action is disabled and does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL);
  g_assert_cmpstr (rg_member_import_dialog_get_page (dialog), ==, "choose");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "import-1-choose");

  /* What choosing the file in the file chooser does. */
  rg_member_import_dialog_set_file (dialog, csv);
  /* The file is read on a worker thread. */
  wait_for_import_page (dialog, "setup");
  g_assert_cmpstr (rg_member_import_dialog_get_page (dialog), ==, "setup");

  /* The preview has the file's columns and first rows. */
  preview = GTK_COLUMN_VIEW (find_widget (GTK_WIDGET (dialog), GTK_TYPE_COLUMN_VIEW, NULL, NULL));
  g_assert_nonnull (preview);
  columns = gtk_column_view_get_columns (preview);
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  first_column = g_list_model_get_item (columns, 0);
  g_assert_cmpstr (gtk_column_view_column_get_title (first_column), ==, "會員編號");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (preview))),
                    ==, 3);
  g_assert_nonnull (find_widget (GTK_WIDGET (preview), GTK_TYPE_LABEL, label_starting, "陳怡君"));

  /* The guessed mapping, in the importer and on screen. */
  mapping = rg_member_importer_get_mapping (rg_member_import_dialog_get_importer (dialog));
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 0), ==, "member_number");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 1), ==, "name");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 2), ==, "phone");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 3), ==, "email");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 4), ==, "points_balance");
  phone_row = find_widget (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, combo_row_titled, "手機");
  g_assert_nonnull (phone_row);
  g_assert_cmpstr (combo_selected_text (ADW_COMBO_ROW (phone_row)), ==, "Phone");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (phone_row)), ==,
                   "For example “0912-345-678”");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "import-2-setup");

  /* A big file first, cancelled half way: nothing is imported, the settings stay. */
  {
    g_autoptr(GString) big = g_string_new ("會員編號,姓名,點數餘額\n");
    g_autoptr(GFile) big_csv = NULL;
    CancelData cancel = { dialog, FALSE };
    gulong handler;

    for (guint i = 0; i < 50000; i++)
      g_string_append_printf (big, "C%06u,會員%u,%u\n", i, i, i % 50);
    big_csv = write_csv (fixture, "big.csv", big->str);
    rg_member_import_dialog_set_file (dialog, big_csv);
    wait_for_import_page (dialog, "setup");

    handler = g_signal_connect (rg_member_import_dialog_get_importer (dialog), "notify::rows-done",
                                G_CALLBACK (screenshot_and_cancel), &cancel);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
    g_assert_cmpstr (rg_member_import_dialog_get_page (dialog), ==, "progress");
    wait_for_import_page (dialog, "setup");
    g_signal_handler_disconnect (rg_member_import_dialog_get_importer (dialog), handler);
    g_assert_true (cancel.cancelled);
    g_assert_null (rg_member_import_dialog_get_result (dialog));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  }

  rg_member_import_dialog_set_file (dialog, csv);
  wait_for_import_page (dialog, "setup");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
  wait_for_import_page (dialog, "result");
  result = rg_member_import_dialog_get_result (dialog);
  g_assert_nonnull (result);
  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting,
                                 "3 members were added or updated."));
  /* The members list on the window's connection follows the import. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 3);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "import-4-result");

  /* Rows with a problem: nothing is imported, and the dialog says why and where. */
  {
    g_autoptr(GFile) bad = write_csv (fixture, "bad.csv", BAD_CSV);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.back", NULL));
    rg_member_import_dialog_set_file (dialog, bad);
    wait_for_import_page (dialog, "setup");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
    wait_for_import_page (dialog, "result");
  }
  result = rg_member_import_dialog_get_result (dialog);
  g_assert_false (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 1);
  statement = find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting,
                           "Nothing was imported because");
  g_assert_nonnull (statement);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (statement)), ==,
                   "Nothing was imported because 1 row has a problem. "
                   "Fix it or turn on “Import the valid rows”.");
  /* Line, column and reason are listed. */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting,
                                 "Phone “12345”"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting, "手機"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting,
                                 "Once the Problems Are Fixed"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 3);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "import-5-rejected");

  /* Import the valid rows, from the settings page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.back", NULL));
  {
    GtkWidget *commit_switch = find_widget (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, NULL, NULL);

    gtk_switch_set_active (GTK_SWITCH (commit_switch), TRUE);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
  wait_for_import_page (dialog, "result");
  result = rg_member_import_dialog_get_result (dialog);
  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 4);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "import-6-valid-rows");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  rg_test_ui_iterate ();
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_export_dialog (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) csv = write_csv (fixture, "members.csv", SMALL_CSV);
  g_autoptr(RgMemberImporter) importer = rg_member_importer_new (fixture->store);
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autofree char *out_path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  RgMemberExportDialog *dialog;

  rg_member_importer_set_file (importer, csv);
  rg_member_importer_run_async (importer, NULL, store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = rg_member_importer_run_finish (importer, async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);

  dialog = RG_MEMBER_EXPORT_DIALOG (rg_member_export_dialog_new (NULL, fixture->store, "怡君"));
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  g_assert_cmpstr (rg_member_export_dialog_get_page (dialog), ==, "setup");
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_starting,
                                 "Members found by “怡君”"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "export-1-setup");

  /* What choosing the destination in the file chooser does. */
  rg_member_export_dialog_export_to (dialog, out);
  while (g_strcmp0 (rg_member_export_dialog_get_page (dialog), "done") != 0)
    {
      g_assert_cmpstr (rg_member_export_dialog_get_page (dialog), !=, "error");
      g_main_context_iteration (NULL, TRUE);
    }
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "export-2-done");

  /* The search's member only, for Excel (BOM), every column. */
  g_file_load_contents (out, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "Member number,Name,"));
  g_assert_nonnull (strstr (contents, "陳怡君"));
  g_assert_null (strstr (contents, "王小明"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  rg_test_ui_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  g_test_add ("/regulars/ui/members/import-dialog", Fixture, NULL,
              fixture_set_up, test_import_dialog, fixture_tear_down);
  g_test_add ("/regulars/ui/members/export-dialog", Fixture, NULL,
              fixture_set_up, test_export_dialog, fixture_tear_down);

  return g_test_run ();
}
