/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-csv-reader.h"
#include "rg-fake-wait.h"
#include "rg-member-exporter.h"
#include "rg-member-importer.h"
#include "rg-member-store.h"
#include "rg-test-util.h"

typedef struct
{
  char          *dir;
  RgStore       *store;
  RgMemberStore *members;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->members = rg_member_store_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
run_export (RgMemberExporter  *exporter,
            GFile             *destination,
            GCancellable      *cancellable,
            guint64           *n_rows,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_member_exporter_run_async (exporter, destination, cancellable, rg_fake_wait_cb, &result);
  return rg_member_exporter_run_finish (exporter, rg_fake_wait (&result), n_rows, error);
}

static GFile *
tmp_file (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return g_file_new_for_path (path);
}

static void
add_member (Fixture            *fixture,
            const char         *number,
            const char         *name,
            const char         *phone,
            const char         *email,
            gint64              points,
            gint64              stored_value,
            const char * const *tags,
            const char         *note)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, name);
  rg_member_set_phone (member, phone);
  rg_member_set_email (member, email);
  rg_member_set_accumulated_points (member, points * 2);
  rg_member_set_points_balance (member, points);
  rg_member_set_stored_value (member, stored_value);
  rg_member_set_tags (member, tags);
  rg_member_set_note (member, note);
  if (g_str_equal (number, "E1"))
    {
      rg_member_set_attribute (member, "birthday", "1990-05-04");
      rg_member_set_line_user_id (member, "U0123456789abcdef0123456789abcdef");
      rg_member_set_created_at (member, 1700000000);
    }
  rg_member_store_insert (fixture->members, member, NULL, &error);
  g_assert_no_error (error);
}

static void
populate (Fixture *fixture)
{
  g_autoptr(RgAttributeDefinition) birthday = rg_attribute_definition_new ("birthday", "Birthday",
                                                                           RG_ATTRIBUTE_TYPE_DATE);
  g_autoptr(GError) error = NULL;

  rg_member_store_add_attribute (fixture->members, birthday, &error);
  g_assert_no_error (error);

  add_member (fixture, "E1", "陳怡君", "0912-345-678", "yijun@example.com", 120, 150050,
              (const char * const[]) { "VIP", "台北", NULL }, "喜歡抹茶\n週末來店");
  add_member (fixture, "E2", "Amy Chen", "+852 9123 4567", NULL, 0, 0, NULL,
              "=HYPERLINK(\"http://evil\")");
  add_member (fixture, "E3", "王小明", "(02) 2345-6789", "ming@example.com", 7, 100, NULL,
              "說\"你好\", then left");
}

static char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_same_member (RgMember *a,
                    RgMember *b)
{
  const char * const *tags_a = rg_member_get_tags (a);
  const char * const *tags_b = rg_member_get_tags (b);
  const char * const empty[] = { NULL };
  g_auto(GStrv) keys_a = rg_member_dup_attribute_keys (a);
  g_auto(GStrv) keys_b = rg_member_dup_attribute_keys (b);

  g_assert_cmpstr (rg_member_get_member_number (a), ==, rg_member_get_member_number (b));
  g_assert_cmpstr (rg_member_get_name (a), ==, rg_member_get_name (b));
  g_assert_cmpstr (rg_member_get_phone (a), ==, rg_member_get_phone (b));
  g_assert_cmpstr (rg_member_get_email (a), ==, rg_member_get_email (b));
  g_assert_cmpint (rg_member_get_accumulated_points (a), ==, rg_member_get_accumulated_points (b));
  g_assert_cmpint (rg_member_get_points_balance (a), ==, rg_member_get_points_balance (b));
  g_assert_cmpint (rg_member_get_stored_value (a), ==, rg_member_get_stored_value (b));
  g_assert_true (g_strv_equal (tags_a != NULL ? tags_a : empty, tags_b != NULL ? tags_b : empty));
  g_assert_cmpstr (rg_member_get_note (a), ==, rg_member_get_note (b));
  g_assert_cmpstr (rg_member_get_line_user_id (a), ==, rg_member_get_line_user_id (b));
  g_assert_cmpint (rg_member_get_created_at (a), ==, rg_member_get_created_at (b));
  g_assert_true (g_strv_equal ((const char * const *) keys_a, (const char * const *) keys_b));
  for (guint i = 0; keys_a[i] != NULL; i++)
    g_assert_cmpstr (rg_member_get_attribute (a, keys_a[i]), ==,
                     rg_member_get_attribute (b, keys_a[i]));
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RgMemberExporter) exporter = rg_member_exporter_new (fixture->store);
  g_autoptr(GFile) csv = tmp_file (fixture, "members.csv");
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autoptr(RgStore) fresh = NULL;
  g_autoptr(RgMemberStore) fresh_members = NULL;
  g_autoptr(RgAttributeDefinition) birthday = rg_attribute_definition_new ("birthday", "Birthday",
                                                                           RG_ATTRIBUTE_TYPE_DATE);
  g_autoptr(RgMemberImporter) importer = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  guint64 n_rows = 0;
  guint64 count = 0;

  populate (fixture);

  g_assert_true (run_export (exporter, csv, NULL, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 3);
  g_assert_cmpfloat (rg_member_exporter_get_progress (exporter), ==, 1.0);
  g_assert_false (rg_member_exporter_get_running (exporter));

  contents = read_file (csv);
  /* Labels as headers, and every custom attribute; no BOM unless asked. */
  g_assert_true (g_str_has_prefix (contents, "Member number,Name,Phone,Email,Accumulated points,"
                                             "Points balance,Stored value,Tags,Note,LINE user ID,"
                                             "WhatsApp ID,WeChat OpenID,Created,Birthday\r\n"));
  /* Local numbers the local way, others with their country code (and the guard). */
  g_assert_nonnull (strstr (contents, ",0912 345 678,"));
  g_assert_nonnull (strstr (contents, ",'+852 9123 4567,"));
  g_assert_nonnull (strstr (contents, ",1500.50,"));
  g_assert_nonnull (strstr (contents, "\"VIP, 台北\""));
  /* A formula is disarmed with an apostrophe. */
  g_assert_nonnull (strstr (contents, "\"'=HYPERLINK(\"\"http://evil\"\")\""));

  fresh = rg_store_open (fresh_path, &error);
  g_assert_no_error (error);
  fresh_members = rg_member_store_new (fresh);
  rg_member_store_add_attribute (fresh_members, birthday, &error);
  g_assert_no_error (error);

  importer = rg_member_importer_new (fresh);
  rg_member_importer_set_file (importer, csv);
  rg_member_importer_run_async (importer, NULL, rg_fake_wait_cb, &async_result);
  result = rg_member_importer_run_finish (importer, rg_fake_wait (&async_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);

  rg_member_store_count (fresh_members, &count, &error);
  g_assert_cmpuint (count, ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      const char *numbers[] = { "E1", "E2", "E3" };
      g_autoptr(RgMember) original = rg_member_store_find_by_member_number (fixture->members,
                                                                             numbers[i], &error);
      g_autoptr(RgMember) copy = rg_member_store_find_by_member_number (fresh_members,
                                                                         numbers[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (original);
      g_assert_nonnull (copy);
      assert_same_member (original, copy);
    }
}

static void
test_export_search (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgMemberExporter) exporter = rg_member_exporter_new (fixture->store);
  g_autoptr(GFile) csv = tmp_file (fixture, "search.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  guint64 n_rows = 0;

  populate (fixture);

  /* The members list's search: a two-character given name. */
  rg_member_exporter_set_search (exporter, "怡君");
  g_assert_true (run_export (exporter, csv, NULL, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);
  contents = read_file (csv);
  g_assert_nonnull (strstr (contents, "陳怡君"));
  g_assert_null (strstr (contents, "王小明"));
  g_clear_pointer (&contents, g_free);

  /* A phone fragment typed the local way. */
  rg_member_exporter_set_search (exporter, "02-2345");
  g_assert_true (run_export (exporter, csv, NULL, &n_rows, &error));
  g_assert_cmpuint (n_rows, ==, 1);
  contents = read_file (csv);
  g_assert_nonnull (strstr (contents, "王小明"));
  g_clear_pointer (&contents, g_free);

  /* Nothing searchable finds nobody, as in the list; a blank search is everyone. */
  rg_member_exporter_set_search (exporter, "--");
  g_assert_true (run_export (exporter, csv, NULL, &n_rows, &error));
  g_assert_cmpuint (n_rows, ==, 0);
  rg_member_exporter_set_search (exporter, "  ");
  g_assert_true (run_export (exporter, csv, NULL, &n_rows, &error));
  g_assert_cmpuint (n_rows, ==, 3);
}

static void
test_export_columns_and_bom (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RgMemberExporter) exporter = rg_member_exporter_new (fixture->store);
  g_autoptr(GFile) csv = tmp_file (fixture, "columns.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) available = NULL;
  g_autofree char *label = NULL;
  const char * const columns[] = { "name", "attr:birthday", "points_balance", NULL };

  populate (fixture);

  available = rg_member_exporter_dup_available_columns (exporter, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) available, "member_number"));
  g_assert_true (g_strv_contains ((const char * const *) available, "attr:birthday"));
  label = rg_member_exporter_dup_column_label (exporter, "attr:birthday");
  g_assert_cmpstr (label, ==, "Birthday");

  g_assert_false (rg_member_exporter_set_columns (exporter,
                                                  (const char * const[]) { "name", "shoe", NULL },
                                                  &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "“shoe”"));
  g_clear_error (&error);

  g_assert_true (rg_member_exporter_set_columns (exporter, columns, &error));
  g_assert_no_error (error);
  rg_member_exporter_set_bom (exporter, TRUE);
  g_assert_true (run_export (exporter, csv, NULL, NULL, &error));
  g_assert_no_error (error);

  contents = read_file (csv);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "Name,Birthday,Points balance\r\n"
                                             "陳怡君,1990-05-04,120\r\n"));
  g_clear_pointer (&contents, g_free);

  rg_member_exporter_set_bom (exporter, FALSE);
  g_assert_true (run_export (exporter, csv, NULL, NULL, &error));
  contents = read_file (csv);
  g_assert_true (g_str_has_prefix (contents, "Name,Birthday"));
}

static void
test_export_cancel_leaves_no_file (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(RgMemberExporter) exporter = rg_member_exporter_new (fixture->store);
  g_autoptr(GFile) csv = tmp_file (fixture, "cancelled.csv");
  g_autoptr(GFile) kept = tmp_file (fixture, "kept.csv");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  const char *name;
  guint n_files = 0;

  populate (fixture);
  g_cancellable_cancel (cancellable);

  g_assert_false (run_export (exporter, csv, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_query_exists (csv, NULL));

  /* A file that was there stays as it was. */
  g_file_replace_contents (kept, "old", 3, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (run_export (exporter, kept, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  contents = read_file (kept);
  g_assert_cmpstr (contents, ==, "old");

  /* No partial file is left beside them. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_suffix (name, ".partial"));
      n_files++;
    }
  g_assert_cmpuint (n_files, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/members/export/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("round-trip", test_export_round_trip);
  ADD ("search", test_export_search);
  ADD ("columns-and-bom", test_export_columns_and_bom);
  ADD ("cancel", test_export_cancel_leaves_no_file);

#undef ADD

  return g_test_run ();
}
