/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-csv-reader.h"
#include "rg-member-store.h"
#include "rg-test-util.h"

/* regulars-cli members import / export / list / show, run as a script would: exit statuses,
 * what is printed, and what the database holds afterwards. */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "regulars.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Runs regulars-cli --database PATH ARGS…; returns the exit status. */
#define run_cli(fixture, out, err, ...) \
  rg_test_run_cli ((fixture)->path, NULL, (out), (err), __VA_ARGS__)

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

static guint64
count_members (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = rg_store_open (fixture->path, &error);
  g_autoptr(RgMemberStore) members = NULL;
  guint64 count = 0;

  g_assert_no_error (error);
  members = rg_member_store_new (store);
  rg_member_store_count (members, &count, &error);
  g_assert_no_error (error);
  return count;
}

static RgMember *
find_member (Fixture    *fixture,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = rg_store_open (fixture->path, &error);
  g_autoptr(RgMemberStore) members = NULL;

  g_assert_no_error (error);
  members = rg_member_store_new (store);
  return rg_member_store_find_by_member_number (members, number, NULL);
}

#define GOOD \
  "會員編號,姓名,手機,點數餘額\n" \
  "A1,王小明,0912-345-678,10\n" \
  "A2,陳怡君,0922-333-444,20\n"

#define BAD \
  "Member number,Name,Phone,Points balance\n" \
  "B1,Amy,0912-345-678,10\n" \
  "B2,Ben,12345,5\n" \
  "B3,Cat,0933-444-555,7\n"

static void
test_cli_import_good (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csv = write_csv (fixture, "good.csv", GOOD);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(RgMember) ming = NULL;

  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "import", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2 added"));
  /* The mapping used, repeatable with --map, and the file's encoding. */
  g_assert_nonnull (strstr (err, "會員編號=member_number"));
  g_assert_nonnull (strstr (err, "UTF-8"));
  /* Not a terminal: plain progress lines, no bar. */
  g_assert_nonnull (strstr (err, "100% done"));
  g_assert_null (strstr (err, "\r"));
  g_assert_cmpuint (count_members (fixture), ==, 2);

  ming = find_member (fixture, "A1");
  g_assert_nonnull (ming);
  g_assert_cmpstr (rg_member_get_phone (ming), ==, "+886912345678");
  g_assert_cmpint (rg_member_get_points_balance (ming), ==, 10);
}

static void
test_cli_import_rejected (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *csv = write_csv (fixture, "bad.csv", BAD);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "import", csv, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "line 3, column “Phone”: Phone “12345” is not a valid"));
  g_assert_nonnull (strstr (out, "Nothing was imported because 1 row has problems"));
  g_assert_cmpuint (count_members (fixture), ==, 0);
}

static void
test_cli_import_commit_valid (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *csv = write_csv (fixture, "bad.csv", BAD);
  g_autofree char *rejected = g_build_filename (fixture->dir, "rejected.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GError) error = NULL;

  /* Still not 0: a row was rejected. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "import", csv, "--commit-valid",
                            "--rejected", rejected, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "2 added"));
  g_assert_nonnull (strstr (out, "1 rejected"));
  g_assert_cmpuint (count_members (fixture), ==, 2);

  reader = rg_csv_reader_new_for_path (rejected, &error);
  g_assert_no_error (error);
  g_assert_true (rg_csv_reader_next (reader, &header, NULL, &error));
  g_assert_cmpstr (g_ptr_array_index (header, 4), ==, "line");
  g_assert_true (rg_csv_reader_next (reader, &row, NULL, &error));
  g_assert_cmpstr (g_ptr_array_index (row, 0), ==, "B2");
  g_assert_cmpstr (g_ptr_array_index (row, 4), ==, "3");
  g_assert_cmpstr (g_ptr_array_index (row, 5), ==, "Phone");
}

static void
test_cli_import_options (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *good = write_csv (fixture, "good.csv", GOOD);
  g_autofree char *again = write_csv (fixture, "again.csv",
                                      "Card,Who,Tel\n"
                                      "Z9,王大明,0912 345 678\n"
                                      "A3,林志明,0955-666-777\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(RgMember) ming = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "import", good, NULL), ==, 0);

  /* Headers nobody guesses, mapped by hand; matched by phone and skipped. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "import", again,
                            "--map", "Card=member_number,Who=name,Tel=phone",
                            "--match", "phone", "--on-duplicate", "skip", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 added, 0 updated, 1 duplicates skipped"));
  g_assert_cmpuint (count_members (fixture), ==, 3);
  ming = find_member (fixture, "A1");
  g_assert_cmpstr (rg_member_get_name (ming), ==, "王小明");

  /* Wrong option values and a missing file name are usage errors. */
  g_assert_cmpint (run_cli (fixture, NULL, &err, "members", "import", again,
                            "--on-duplicate", "merge", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“merge”"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, &err, "members", "import", again,
                            "--map", "Shoe=name", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“Shoe”"));
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "import", NULL), ==, 1);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "frobnicate", NULL), ==, 1);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", NULL), ==, 1);
}

static void
test_cli_export (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *good = write_csv (fixture, "good.csv", GOOD);
  g_autofree char *exported = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "import", good, NULL), ==, 0);

  g_assert_cmpint (run_cli (fixture, &out, NULL, "members", "export", exported, "--bom",
                            "--columns", "member_number, name", "--search", "怡君", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Exported 1 member"));
  g_file_get_contents (exported, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "\xEF\xBB\xBF" "Member number,Name\r\nA2,陳怡君\r\n");

  g_assert_cmpint (run_cli (fixture, NULL, &err, "members", "export", exported,
                            "--columns", "name,shoe", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“shoe”"));
}

static void
test_cli_list_and_show (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *good = write_csv (fixture, "good.csv", GOOD);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "import", good, NULL), ==, 0);

  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "list", "--search", "0922", NULL),
                   ==, 0);
  g_assert_cmpstr (out, ==, "A2\t陳怡君\t0922 333 444\t\t20\n");
  g_assert_nonnull (strstr (err, "1 member"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "members", "list", "--limit", "1", NULL), ==, 0);
  /* One line, one member. */
  g_assert_nonnull (strchr (out, '\n'));
  g_assert_cmpstr (strchr (out, '\n') + 1, ==, "");
  g_assert_nonnull (strstr (err, "2 members, 1 shown"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (fixture, &out, NULL, "members", "show", "A1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Name: 王小明\n"));
  g_assert_nonnull (strstr (out, "Phone: 0912 345 678\n"));
  g_assert_nonnull (strstr (out, "Points balance: 10\n"));

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "members", "show", "NOPE", NULL), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/cli/members/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("import", test_cli_import_good);
  ADD ("import-rejected", test_cli_import_rejected);
  ADD ("import-commit-valid", test_cli_import_commit_valid);
  ADD ("import-options", test_cli_import_options);
  ADD ("export", test_cli_export);
  ADD ("list-and-show", test_cli_list_and_show);

#undef ADD

  return g_test_run ();
}
