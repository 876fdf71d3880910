/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-csv-reader.h"
#include "rg-fake-wait.h"
#include "rg-member-importer.h"
#include "rg-member-store.h"
#include "rg-test-util.h"

typedef struct
{
  char             *dir;
  char             *db_path;
  RgStore          *store;
  RgMemberStore    *members;
  RgMemberImporter *importer;
  guint             members_changed;
} Fixture;

static void
on_members_changed (Fixture *fixture)
{
  fixture->members_changed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->db_path);
  fixture->members = rg_member_store_new (fixture->store);
  g_signal_connect_swapped (fixture->members, "members-changed",
                            G_CALLBACK (on_members_changed), fixture);
  fixture->importer = rg_member_importer_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->importer);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
write_csv (Fixture    *fixture,
           const char *name,
           const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static RgMemberImportResult *
run_import (Fixture  *fixture,
            GError  **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;

  rg_member_importer_run_async (fixture->importer, NULL, rg_fake_wait_cb, &async_result);
  return rg_member_importer_run_finish (fixture->importer, rg_fake_wait (&async_result), error);
}

static RgMemberImportResult *
import_path (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  RgMemberImportResult *result;

  rg_member_importer_set_path (fixture->importer, path);
  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static guint64
count_members (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  rg_member_store_count (fixture->members, &count, &error);
  g_assert_no_error (error);
  return count;
}

static RgMember *
find_member (Fixture    *fixture,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  RgMember *member = rg_member_store_find_by_member_number (fixture->members, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (member);
  return member;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (fixture->store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static RgMemberImportRejection *
get_rejection (RgMemberImportResult *result,
               guint                 position)
{
  GListModel *rejections = rg_member_import_result_get_rejections (result);

  g_assert_cmpuint (position, <, g_list_model_get_n_items (rejections));
  return g_list_model_get_item (rejections, position);
}

#define THREE_MEMBERS \
  "會員編號,姓名,手機,電子郵件,累積點數,點數餘額,儲值金,標籤,備註\r\n" \
  "M001,王小明,0912-345-678,ming@example.com,1200,300,\"1,500\",VIP,\r\n" \
  "M002,陳怡君,(02) 2345-6789,yijun@example.com,80,80,0,\"新客,台北\",\"喜歡抹茶\r\n週末來店\"\r\n" \
  "M003,林志明,+852 9123 4567,,0,0,12.50,,\r\n"

static void
test_import_basic (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "members.csv", THREE_MEMBERS);
  g_autoptr(RgMemberImportResult) result = import_path (fixture, path);
  g_autoptr(RgMember) ming = NULL;
  g_autoptr(RgMember) yijun = NULL;
  g_autoptr(RgMember) lin = NULL;
  g_autoptr(GListModel) ledger = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *tags;

  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_rows (result), ==, 3);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);
  g_assert_cmpuint (rg_member_import_result_get_n_updated (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 0);
  g_assert_cmpuint (count_members (fixture), ==, 3);

  ming = find_member (fixture, "M001");
  g_assert_cmpstr (rg_member_get_name (ming), ==, "王小明");
  g_assert_cmpstr (rg_member_get_phone (ming), ==, "+886912345678");
  g_assert_cmpstr (rg_member_get_email (ming), ==, "ming@example.com");
  g_assert_cmpint (rg_member_get_accumulated_points (ming), ==, 1200);
  g_assert_cmpint (rg_member_get_points_balance (ming), ==, 300);
  /* Money is read in major units and stored in cents. */
  g_assert_cmpint (rg_member_get_stored_value (ming), ==, 150000);

  yijun = find_member (fixture, "M002");
  g_assert_cmpstr (rg_member_get_phone (yijun), ==, "+886223456789");
  g_assert_cmpstr (rg_member_get_note (yijun), ==, "喜歡抹茶\r\n週末來店");
  tags = rg_member_get_tags (yijun);
  g_assert_nonnull (tags);
  g_assert_cmpstr (tags[0], ==, "新客");
  g_assert_cmpstr (tags[1], ==, "台北");
  g_assert_null (tags[2]);

  lin = find_member (fixture, "M003");
  g_assert_cmpstr (rg_member_get_phone (lin), ==, "+85291234567");
  g_assert_null (rg_member_get_email (lin));
  g_assert_cmpint (rg_member_get_stored_value (lin), ==, 1250);

  /* Opening balances go through the ledger, labelled as the import's. */
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (ming), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RgLedgerEntry) entry = g_list_model_get_item (ledger, i);

      g_assert_cmpstr (rg_ledger_entry_get_source (entry), ==, "import");
      g_assert_cmpstr (rg_ledger_entry_get_reason (entry), ==, "CSV import");
    }
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, 3 + 2 + 1);

  /* The caller's lists were told to reload, and progress ended at the end. */
  g_assert_cmpuint (fixture->members_changed, ==, 1);
  g_assert_cmpfloat (rg_member_importer_get_progress (fixture->importer), ==, 1.0);
  g_assert_cmpuint (rg_member_importer_get_rows_done (fixture->importer), ==, 3);
  g_assert_false (rg_member_importer_get_running (fixture->importer));
}

static void
test_import_preview (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "members.csv", THREE_MEMBERS);
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  RgCsvMapping *mapping;
  char **row;

  rg_member_importer_set_path (fixture->importer, path);
  g_assert_null (rg_member_importer_get_mapping (fixture->importer));

  preview = rg_member_importer_preview (fixture->importer, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview->encoding, ==, "UTF-8");
  g_assert_false (preview->has_bom);
  g_assert_cmpint (preview->delimiter, ==, ',');
  g_assert_cmpuint (preview->n_columns, ==, 9);
  g_assert_cmpstr (preview->headers[0], ==, "會員編號");
  g_assert_cmpstr (preview->headers[8], ==, "備註");
  g_assert_cmpuint (preview->rows->len, ==, 2);
  row = g_ptr_array_index (preview->rows, 1);
  g_assert_cmpstr (row[1], ==, "陳怡君");
  g_assert_cmpuint (g_array_index (preview->lines, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (preview->lines, guint, 1), ==, 3);

  mapping = rg_member_importer_get_mapping (fixture->importer);
  g_assert_nonnull (mapping);
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 0), ==, "member_number");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 1), ==, "name");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 2), ==, "phone");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 6), ==, "stored_value");
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 8), ==, "note");

  /* The mapping the caller edits is the one the import uses. */
  g_assert_true (rg_csv_mapping_set_field (mapping, 8, RG_CSV_FIELD_IGNORE, &error));
  g_assert_no_error (error);
  {
    g_autoptr(RgMemberImportResult) result = run_import (fixture, &error);
    g_autoptr(RgMember) yijun = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);
    yijun = find_member (fixture, "M002");
    g_assert_cmpstr (rg_member_get_note (yijun), ==, "");
  }
}

#define ONE_BAD_ROW \
  "會員編號,姓名,手機,點數餘額\n" \
  "M001,王小明,0912-345-678,10\n" \
  "M002,陳怡君,0922-333-444,20\n" \
  "M003,林志明,12345,30\n" \
  "M004,張家豪,0933 444 555,40\n"

static void
test_import_atomic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "bad.csv", ONE_BAD_ROW);
  g_autoptr(RgMemberImportResult) result = import_path (fixture, path);
  g_autoptr(RgMemberImportRejection) rejection = NULL;
  g_autofree char *line = NULL;

  g_assert_false (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_rows (result), ==, 4);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 1);
  g_assert_cmpuint (count_members (fixture), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, 0);
  g_assert_cmpuint (fixture->members_changed, ==, 0);

  rejection = get_rejection (result, 0);
  g_assert_cmpuint (rg_member_import_rejection_get_line (rejection), ==, 4);
  g_assert_cmpint (rg_member_import_rejection_get_column (rejection), ==, 2);
  g_assert_cmpstr (rg_member_import_rejection_get_header (rejection), ==, "手機");
  g_assert_cmpstr (rg_member_import_rejection_get_field (rejection), ==, "phone");
  g_assert_cmpstr (rg_member_import_rejection_get_value (rejection), ==, "12345");
  g_assert_nonnull (strstr (rg_member_import_rejection_get_reason (rejection), "“12345”"));

  line = rg_member_import_rejection_to_string (rejection);
  g_assert_true (g_str_has_prefix (line, "line 4, column “手機”: "));
}

static void
test_import_commit_valid (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "bad.csv", ONE_BAD_ROW);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMemberImportRejection) rejection = NULL;
  g_autoptr(RgMember) zhang = NULL;

  rg_member_importer_set_commit_valid (fixture->importer, TRUE);
  result = import_path (fixture, path);

  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 1);
  g_assert_cmpuint (count_members (fixture), ==, 3);
  g_assert_null (rg_member_store_find_by_member_number (fixture->members, "M003", NULL));
  zhang = find_member (fixture, "M004");
  g_assert_cmpint (rg_member_get_points_balance (zhang), ==, 40);
  g_assert_cmpuint (fixture->members_changed, ==, 1);

  rejection = get_rejection (result, 0);
  g_assert_cmpuint (rg_member_import_rejection_get_line (rejection), ==, 4);
}

static void
test_import_rejected_saved (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture,
                                     "bad.csv",
                                     "Member number,Name,Phone,Points balance,Email\n"
                                     "A1,Amy,0912-345-678,10,amy@example.com\n"
                                     "A2,,0922-333-444,20\n"
                                     "A3,Ben,0933-444-555,many,ben@example.com\n"
                                     "A4,Cat,0944-555-666,5,cat@@example\n");
  g_autofree char *saved_path = g_build_filename (fixture->dir, "rejected.csv", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(RgMemberImportResult) result = import_path (fixture, path);
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *number;
    const char *line;
    const char *column;
  } expected[] = {
    { "A2", "3", "Name" },
    { "A3", "4", "Points balance" },
    { "A4", "5", "Email" },
  };

  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 3);
  g_assert_true (rg_member_import_result_save_rejections (result, saved, NULL, &error));
  g_assert_no_error (error);

  reader = rg_csv_reader_new_for_path (saved_path, &error);
  g_assert_no_error (error);
  /* For Excel. */
  g_assert_true (rg_csv_reader_get_has_bom (reader));

  g_assert_true (rg_csv_reader_next (reader, &header, NULL, &error));
  g_assert_cmpuint (header->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "Member number");
  g_assert_cmpstr (g_ptr_array_index (header, 4), ==, "Email");
  g_assert_cmpstr (g_ptr_array_index (header, 5), ==, "line");
  g_assert_cmpstr (g_ptr_array_index (header, 6), ==, "column");
  g_assert_cmpstr (g_ptr_array_index (header, 7), ==, "reason");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GPtrArray) row = NULL;

      g_assert_true (rg_csv_reader_next (reader, &row, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (row->len, ==, 8);
      g_assert_cmpstr (g_ptr_array_index (row, 0), ==, expected[i].number);
      g_assert_cmpstr (g_ptr_array_index (row, 5), ==, expected[i].line);
      g_assert_cmpstr (g_ptr_array_index (row, 6), ==, expected[i].column);
      g_assert_cmpstr (g_ptr_array_index (row, 7), !=, "");
    }

  {
    g_autoptr(GPtrArray) row = NULL;

    g_assert_false (rg_csv_reader_next (reader, &row, NULL, &error));
    g_assert_no_error (error);
  }

  /* The same file from a worker, for callers that must not wait on the disk. */
  {
    g_autofree char *async_path = g_build_filename (fixture->dir, "rejected-async.csv", NULL);
    g_autoptr(GFile) async_file = g_file_new_for_path (async_path);
    g_autoptr(GAsyncResult) async_result = NULL;
    g_autofree char *in_place = NULL;
    g_autofree char *from_worker = NULL;

    rg_member_import_result_save_rejections_async (result, async_file, NULL, rg_fake_wait_cb,
                                                   &async_result);
    g_assert_true (rg_member_import_result_save_rejections_finish (result,
                                                                   rg_fake_wait (&async_result),
                                                                   &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (saved_path, &in_place, NULL, NULL));
    g_assert_true (g_file_get_contents (async_path, &from_worker, NULL, NULL));
    g_assert_cmpstr (from_worker, ==, in_place);
  }

  /* Points that are no number are named with their value. */
  {
    g_autoptr(RgMemberImportRejection) rejection = get_rejection (result, 1);

    g_assert_cmpstr (rg_member_import_rejection_get_field (rejection), ==, "points_balance");
    g_assert_cmpstr (rg_member_import_rejection_get_value (rejection), ==, "many");
    g_assert_nonnull (strstr (rg_member_import_rejection_get_reason (rejection), "“many”"));
  }
}

#define EXISTING \
  "Member number,Name,Phone,Email,Points balance,Stored value\n" \
  "D1,Amy Chen,0912-345-678,amy@example.com,100,50\n" \
  "D2,Ben Lin,0922-333-444,ben@example.com,200,0\n"

#define INCOMING \
  "Member number,Name,Phone,Email,Points balance,Stored value\n" \
  "D1,Amy Chen-Wang,0912 345 678,,150,\n" \
  "D3,Cat Wu,0922-333-444,cat@example.com,5,1\n"

static void
import_existing (Fixture *fixture)
{
  g_autofree char *path = write_csv (fixture, "existing.csv", EXISTING);
  g_autoptr(RgMemberImportResult) result = import_path (fixture, path);

  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 2);
}

static void
test_import_dedupe_number_update (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "incoming.csv", INCOMING);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) amy = NULL;
  g_autoptr(GListModel) ledger = NULL;
  g_autoptr(RgLedgerEntry) latest = NULL;
  g_autoptr(GError) error = NULL;

  import_existing (fixture);
  rg_member_importer_set_match (fixture->importer, RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER);
  rg_member_importer_set_on_duplicate (fixture->importer, RG_MEMBER_IMPORT_DUPLICATE_UPDATE);
  result = import_path (fixture, path);

  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 1);
  g_assert_cmpuint (rg_member_import_result_get_n_updated (result), ==, 1);
  g_assert_cmpuint (rg_member_import_result_get_n_skipped (result), ==, 0);
  g_assert_cmpuint (count_members (fixture), ==, 3);

  amy = find_member (fixture, "D1");
  g_assert_cmpstr (rg_member_get_name (amy), ==, "Amy Chen-Wang");
  /* An empty cell leaves the stored value. */
  g_assert_cmpstr (rg_member_get_email (amy), ==, "amy@example.com");
  g_assert_cmpint (rg_member_get_stored_value (amy), ==, 5000);
  /* The file's total is the new total; the ledger has the difference. */
  g_assert_cmpint (rg_member_get_points_balance (amy), ==, 150);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (amy), &error);
  g_assert_no_error (error);
  latest = g_list_model_get_item (ledger, 0);
  g_assert_cmpint (rg_ledger_entry_get_delta (latest), ==, 50);
  g_assert_cmpint (rg_ledger_entry_get_balance_after (latest), ==, 150);
  g_assert_cmpstr (rg_ledger_entry_get_reason (latest), ==, "CSV import");
  g_assert_cmpstr (rg_ledger_entry_get_source (latest), ==, "import");
}

static void
test_import_dedupe_number_skip (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "incoming.csv", INCOMING);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) amy = NULL;

  import_existing (fixture);
  rg_member_importer_set_on_duplicate (fixture->importer, RG_MEMBER_IMPORT_DUPLICATE_SKIP);
  result = import_path (fixture, path);

  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 1);
  g_assert_cmpuint (rg_member_import_result_get_n_updated (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_skipped (result), ==, 1);
  amy = find_member (fixture, "D1");
  g_assert_cmpstr (rg_member_get_name (amy), ==, "Amy Chen");
  g_assert_cmpint (rg_member_get_points_balance (amy), ==, 100);
}

static void
test_import_dedupe_phone_update (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "incoming.csv", INCOMING);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) amy = NULL;
  g_autoptr(RgMember) ben = NULL;

  import_existing (fixture);
  rg_member_importer_set_match (fixture->importer, RG_MEMBER_IMPORT_MATCH_PHONE);
  result = import_path (fixture, path);

  /* Both rows have a known phone, written differently: D1's own, and D2's under D3. */
  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_updated (result), ==, 2);
  g_assert_cmpuint (count_members (fixture), ==, 2);

  amy = find_member (fixture, "D1");
  g_assert_cmpstr (rg_member_get_name (amy), ==, "Amy Chen-Wang");
  g_assert_cmpint (rg_member_get_points_balance (amy), ==, 150);
  /* Matched by phone, the member takes the file's member number. */
  ben = find_member (fixture, "D3");
  g_assert_cmpstr (rg_member_get_name (ben), ==, "Cat Wu");
  g_assert_cmpstr (rg_member_get_phone (ben), ==, "+886922333444");
  g_assert_cmpint (rg_member_get_stored_value (ben), ==, 100);
  g_assert_null (rg_member_store_find_by_member_number (fixture->members, "D2", NULL));
}

static void
test_import_dedupe_phone_skip (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "incoming.csv", INCOMING);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) ben = NULL;

  import_existing (fixture);
  rg_member_importer_set_match (fixture->importer, RG_MEMBER_IMPORT_MATCH_PHONE);
  rg_member_importer_set_on_duplicate (fixture->importer, RG_MEMBER_IMPORT_DUPLICATE_SKIP);
  result = import_path (fixture, path);

  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_skipped (result), ==, 2);
  g_assert_cmpuint (count_members (fixture), ==, 2);
  ben = find_member (fixture, "D2");
  g_assert_cmpstr (rg_member_get_name (ben), ==, "Ben Lin");
}

#define TWICE_IN_FILE \
  "Member number,Name,Points balance\n" \
  "T1,First Version,10\n" \
  "T2,Other,1\n" \
  "T1,Second Version,25\n"

static void
test_import_within_file_update (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "twice.csv", TWICE_IN_FILE);
  g_autoptr(RgMemberImportResult) result = import_path (fixture, path);
  g_autoptr(RgMember) member = NULL;

  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 2);
  g_assert_cmpuint (rg_member_import_result_get_n_updated (result), ==, 1);
  g_assert_cmpuint (count_members (fixture), ==, 2);
  member = find_member (fixture, "T1");
  g_assert_cmpstr (rg_member_get_name (member), ==, "Second Version");
  g_assert_cmpint (rg_member_get_points_balance (member), ==, 25);
}

static void
test_import_within_file_skip (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "twice.csv", TWICE_IN_FILE);
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) member = NULL;

  rg_member_importer_set_on_duplicate (fixture->importer, RG_MEMBER_IMPORT_DUPLICATE_SKIP);
  result = import_path (fixture, path);

  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 2);
  g_assert_cmpuint (rg_member_import_result_get_n_skipped (result), ==, 1);
  member = find_member (fixture, "T1");
  g_assert_cmpstr (rg_member_get_name (member), ==, "First Version");
  g_assert_cmpint (rg_member_get_points_balance (member), ==, 10);
}

static void
test_import_big5 (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = data_path ("members-big5.csv");
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) ming = NULL;
  g_autoptr(RgMember) yijun = NULL;
  g_autoptr(GError) error = NULL;

  rg_member_importer_set_path (fixture->importer, path);
  preview = rg_member_importer_preview (fixture->importer, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview->encoding, ==, "CP950");
  g_assert_cmpstr (preview->headers[1], ==, "姓名");
  g_assert_cmpuint (preview->rows->len, ==, 3);

  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 0);

  ming = find_member (fixture, "M001");
  g_assert_cmpstr (rg_member_get_name (ming), ==, "王小明");
  g_assert_cmpint (rg_member_get_stored_value (ming), ==, 150000);
  yijun = find_member (fixture, "M002");
  g_assert_cmpstr (rg_member_get_note (yijun), ==, "喜歡抹茶\r\n週末來店");
}

static void
test_import_utf8_bom (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = data_path ("members-bom.csv");
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) hao = NULL;
  g_autoptr(RgMember) mary = NULL;
  g_autoptr(GError) error = NULL;

  rg_member_importer_set_path (fixture->importer, path);
  preview = rg_member_importer_preview (fixture->importer, 5, &error);
  g_assert_no_error (error);
  g_assert_true (preview->has_bom);
  g_assert_cmpint (preview->delimiter, ==, ';');
  /* The BOM is not part of the first header. */
  g_assert_cmpstr (preview->headers[0], ==, "Member number");
  g_assert_cmpstr (rg_csv_mapping_get_field (rg_member_importer_get_mapping (fixture->importer), 0),
                   ==, "member_number");

  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 2);

  hao = find_member (fixture, "B001");
  g_assert_cmpstr (rg_member_get_name (hao), ==, "張家豪");
  g_assert_cmpstr (rg_member_get_email (hao), ==, "Hao@example.com");
  mary = find_member (fixture, "B002");
  g_assert_cmpstr (rg_member_get_phone (mary), ==, "+85251234567");
  g_assert_cmpstr (rg_member_get_note (mary), ==, "likes; semicolons");
}

static void
test_import_shopify (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = data_path ("shopify-customers.csv");
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) amy = NULL;
  g_autoptr(RgMember) ming = NULL;
  g_autoptr(RgMember) kayan = NULL;
  g_autoptr(GError) error = NULL;
  RgCsvMapping *mapping;
  const char * const *tags;

  rg_member_importer_set_path (fixture->importer, path);
  preview = rg_member_importer_preview (fixture->importer, 5, &error);
  g_assert_no_error (error);
  mapping = rg_member_importer_get_mapping (fixture->importer);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "first_name"), ==, 1);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "last_name"), ==, 2);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "email"), ==, 3);
  /* "Phone", not "Default Address Phone". */
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "phone"), ==, 13);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "note"), ==, 17);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "tags"), ==, 19);

  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 3);

  /* Shopify's apostrophes in front of numbers are gone. */
  amy = rg_member_store_find_by_phone (fixture->members, "0912-345-678", &error);
  g_assert_no_error (error);
  g_assert_nonnull (amy);
  g_assert_cmpstr (rg_member_get_name (amy), ==, "Amy Chen");
  g_assert_cmpstr (rg_member_get_note (amy), ==, "VIP since 2021");
  tags = rg_member_get_tags (amy);
  g_assert_cmpstr (tags[0], ==, "vip");
  g_assert_cmpstr (tags[1], ==, "taipei");
  if (rg_csv_mapping_find_field (mapping, "member_number") == 0)
    g_assert_cmpstr (rg_member_get_member_number (amy), ==, "7265539522837");

  /* Chinese first and last names are joined family name first. */
  ming = rg_member_store_find_by_phone (fixture->members, "+886933444555", &error);
  g_assert_nonnull (ming);
  g_assert_cmpstr (rg_member_get_name (ming), ==, "王小明");

  kayan = rg_member_store_find_by_phone (fixture->members, "+852 9123 4567", &error);
  g_assert_nonnull (kayan);
  g_assert_cmpstr (rg_member_get_name (kayan), ==, "Ka Yan Wong");
  g_assert_cmpstr (rg_member_get_note (kayan), ==, "Prefers \"oolong\"");
}

static void
test_import_woocommerce (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = data_path ("woocommerce-customers.csv");
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMember) amy = NULL;
  g_autoptr(RgMember) yijun = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GError) error = NULL;
  RgCsvMapping *mapping;

  rg_member_importer_set_path (fixture->importer, path);
  preview = rg_member_importer_preview (fixture->importer, 5, &error);
  g_assert_no_error (error);
  mapping = rg_member_importer_get_mapping (fixture->importer);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "first_name"), ==, 1);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "last_name"), ==, 2);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "email"), ==, 4);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "created_at"), ==, 6);
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "phone"), ==, 11);

  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 0);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 2);

  amy = rg_member_store_find_by_phone (fixture->members, "0912345678", &error);
  g_assert_nonnull (amy);
  g_assert_cmpstr (rg_member_get_name (amy), ==, "Amy Chen");
  g_assert_cmpstr (rg_member_get_email (amy), ==, "amy@example.com");
  /* The shop's time zone, Asia/Taipei by default. */
  created = g_date_time_new_from_unix_utc (rg_member_get_created_at (amy));
  g_assert_cmpint (g_date_time_get_year (created), ==, 2023);
  g_assert_cmpint (g_date_time_get_month (created), ==, 4);
  g_assert_cmpint (g_date_time_get_day_of_month (created), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (created), ==, 2);
  g_assert_cmpint (g_date_time_get_minute (created), ==, 20);

  yijun = rg_member_store_find_by_phone (fixture->members, "0922-333-444", &error);
  g_assert_nonnull (yijun);
  g_assert_cmpstr (rg_member_get_name (yijun), ==, "陳怡君");
}

static void
test_import_attributes_and_mapping_spec (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autofree char *path = write_csv (fixture, "attrs.csv",
                                     "No,Who,生日,Favourite\n"
                                     "1,Amy,1990/5/4,oolong\n"
                                     "2,Ben,not a date,green\n");
  g_autoptr(RgAttributeDefinition) birthday = rg_attribute_definition_new ("birthday", "生日",
                                                                           RG_ATTRIBUTE_TYPE_DATE);
  g_autoptr(RgAttributeDefinition) tea = rg_attribute_definition_new ("tea", "Tea",
                                                                      RG_ATTRIBUTE_TYPE_TEXT);
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autoptr(RgMemberImportRejection) rejection = NULL;
  g_autoptr(RgMember) amy = NULL;
  g_autoptr(GError) error = NULL;
  RgCsvMapping *mapping;

  rg_member_store_add_attribute (fixture->members, birthday, &error);
  g_assert_no_error (error);
  rg_member_store_add_attribute (fixture->members, tea, &error);
  g_assert_no_error (error);

  rg_member_importer_set_path (fixture->importer, path);
  rg_member_importer_set_commit_valid (fixture->importer, TRUE);
  preview = rg_member_importer_preview (fixture->importer, 5, &error);
  g_assert_no_error (error);
  mapping = rg_member_importer_get_mapping (fixture->importer);
  /* A custom attribute is guessed by its label. */
  g_assert_cmpstr (rg_csv_mapping_get_field (mapping, 2), ==, "attr:birthday");
  rg_csv_mapping_parse_spec (mapping, "No=member_number,Who=name,Favourite=attr:tea", &error);
  g_assert_no_error (error);

  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 1);
  g_assert_cmpuint (rg_member_import_result_get_n_rejected (result), ==, 1);

  amy = find_member (fixture, "1");
  g_assert_cmpstr (rg_member_get_attribute (amy, "birthday"), ==, "1990-05-04");
  g_assert_cmpstr (rg_member_get_attribute (amy, "tea"), ==, "oolong");

  rejection = get_rejection (result, 0);
  g_assert_cmpuint (rg_member_import_rejection_get_line (rejection), ==, 3);
  g_assert_cmpstr (rg_member_import_rejection_get_header (rejection), ==, "生日");
  g_assert_cmpstr (rg_member_import_rejection_get_field (rejection), ==, "attr:birthday");
}

static void
test_import_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *empty = write_csv (fixture, "empty.csv", "");
  g_autofree char *unknown = write_csv (fixture, "unknown.csv", "Colour,Size\nred,XL\n");
  g_autofree char *broken = write_csv (fixture, "broken.csv",
                                       "Member number,Name\nA1,Amy\nA2,\"Ben\n");
  g_autoptr(GError) error = NULL;
  RgMemberImportResult *result;

  rg_member_importer_set_path (fixture->importer, empty);
  result = run_import (fixture, &error);
  g_assert_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_EMPTY);
  g_assert_null (result);
  g_clear_error (&error);

  rg_member_importer_set_path (fixture->importer, unknown);
  result = run_import (fixture, &error);
  g_assert_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_NO_FIELDS);
  g_assert_null (result);
  g_clear_error (&error);

  /* A broken file ends the import, naming the line; nothing is kept, even commit-valid. */
  rg_member_importer_set_path (fixture->importer, broken);
  rg_member_importer_set_commit_valid (fixture->importer, TRUE);
  result = run_import (fixture, &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_null (result);
  g_assert_cmpuint (count_members (fixture), ==, 0);
  g_assert_cmpuint (fixture->members_changed, ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  guint64       rows_at_cancel;
} CancelData;

static void
cancel_on_progress (RgMemberImporter *importer,
                    GParamSpec       *pspec,
                    CancelData       *cancel)
{
  guint64 rows = rg_member_importer_get_rows_done (importer);

  if (rows > 0 && cancel->rows_at_cancel == 0)
    {
      cancel->rows_at_cancel = rows;
      g_cancellable_cancel (cancel->cancellable);
    }
}

static void
test_import_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("Member number,Name,Points balance\n");
  g_autofree char *path = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  CancelData cancel = { cancellable, 0 };
  gulong handler;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (csv, "C%06u,Member %u,%u\n", i, i, i % 100);
  path = write_csv (fixture, "big.csv", csv->str);

  rg_member_importer_set_path (fixture->importer, path);
  handler = g_signal_connect (fixture->importer, "notify::rows-done",
                              G_CALLBACK (cancel_on_progress), &cancel);
  rg_member_importer_run_async (fixture->importer, cancellable, rg_fake_wait_cb, &async_result);
  rg_fake_wait (&async_result);
  g_signal_handler_disconnect (fixture->importer, handler);

  result = rg_member_importer_run_finish (fixture->importer, async_result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  /* It was cancelled half way, and nothing of the first half stayed. */
  g_assert_cmpuint (cancel.rows_at_cancel, >, 0);
  g_assert_cmpuint (cancel.rows_at_cancel, <, 50000);
  g_assert_cmpuint (count_members (fixture), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, 0);
  g_assert_cmpuint (fixture->members_changed, ==, 0);
  g_assert_false (rg_member_importer_get_running (fixture->importer));

  /* The importer can run again. */
  g_clear_error (&error);
  result = run_import (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, 50000);
  g_assert_cmpuint (count_members (fixture), ==, 50000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/members/import/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("basic", test_import_basic);
  ADD ("preview", test_import_preview);
  ADD ("atomic", test_import_atomic);
  ADD ("commit-valid", test_import_commit_valid);
  ADD ("rejected-saved", test_import_rejected_saved);
  ADD ("dedupe/number-update", test_import_dedupe_number_update);
  ADD ("dedupe/number-skip", test_import_dedupe_number_skip);
  ADD ("dedupe/phone-update", test_import_dedupe_phone_update);
  ADD ("dedupe/phone-skip", test_import_dedupe_phone_skip);
  ADD ("within-file/update", test_import_within_file_update);
  ADD ("within-file/skip", test_import_within_file_skip);
  ADD ("big5", test_import_big5);
  ADD ("utf8-bom", test_import_utf8_bom);
  ADD ("shopify", test_import_shopify);
  ADD ("woocommerce", test_import_woocommerce);
  ADD ("attributes", test_import_attributes_and_mapping_spec);
  ADD ("errors", test_import_errors);
  ADD ("cancel", test_import_cancel);

#undef ADD

  return g_test_run ();
}
