/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-fts.h"
#include "rg-store.h"
#include "rg-test-util.h"

typedef struct
{
  sqlite3 *db;
} Fixture;

static const struct {
  const char *number;
  const char *name;
  const char *phone;
  const char *email;
} people[] = {
  { "M0001", "陳怡君", "+886912345678", "yichun.chen@example.com" },
  { "M0002", "林怡君", "+886922111333", "lin.yc@example.tw" },
  { "M0003", "陳志明", "+886223456789", "zhiming@example.com" },
  { "M0004", "王小美", "+85261234567", "mei.wong@example.hk" },
  { "M0005", "Alice Chen", "+6581234567", "alice.chen@gmail.com" },
  { "A-778812", "Bob O\"Brien", "+8613800138000", "bob@obrien.cn" },
  { "M0007", "歐陽怡", "+60123456789", "ouyang@example.my" },
  { "M0008", "Amy Lin", "+886933000111", "amy.chen85@gmail.com" },
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &fixture->db), ==, SQLITE_OK);
  g_assert_true (rg_fts_register (fixture->db, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_exec (fixture->db,
                                 "CREATE VIRTUAL TABLE idx USING fts5 "
                                 "(member_number, name, phone, email, tokenize = 'regulars')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT INTO idx (rowid, member_number, name, phone, email) "
                                       "VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      sqlite3_bind_int (stmt, 1, i + 1);
      sqlite3_bind_text (stmt, 2, people[i].number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, people[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, people[i].phone, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, people[i].email, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3_close (fixture->db);
}

/* Returns the member numbers found for @text, sorted, joined by spaces. */
static char *
search (Fixture    *fixture,
        const char *text)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *query = rg_fts_build_query (text);

  if (query == NULL)
    return g_strdup ("<none>");

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "SELECT member_number FROM idx WHERE idx MATCH ? "
                                       "ORDER BY member_number", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (sqlite3_errcode (fixture->db), ==, SQLITE_DONE);
  g_ptr_array_add (found, NULL);

  return g_strjoinv (" ", (char **) found->pdata);
}

static void
test_fts_search (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    /* Two-character given names, whole names and single surnames. */
    { "怡君", "M0001 M0002" },
    { "陳怡君", "M0001" },
    { "陳", "M0001 M0003" },
    { "怡", "M0001 M0002 M0007" },
    { "歐陽", "M0007" },
    { "君怡", "" },
    /* Phone fragments typed the local way, with or without separators. */
    { "0912-345", "M0001" },
    { "0912345678", "M0001" },
    { "(02) 2345", "M0003" },
    { "+886 912", "M0001" },
    { "912345678", "M0001" },
    { "3456789", "M0003 M0007" },
    { "6123 4567", "M0004" },
    { "０９１２", "M0001" },
    /* Email prefixes and member numbers. */
    { "alice.ch", "M0005" },
    { "yichun", "M0001" },
    { "mei.wong@example", "M0004" },
    { "m000", "M0001 M0002 M0003 M0004 M0005 M0007 M0008" },
    { "m0008", "M0008" },
    /* Letters and digits in one word are found from either. */
    { "amy.chen", "M0008" },
    { "amy.chen8", "M0008" },
    { "chen85@gmail", "M0008" },
    { "85", "M0004 M0008" },
    { "chen", "M0001 M0005 M0008" },
    { "778812", "A-778812" },
    { "8812", "A-778812" },
    /* English names, case and width folded, several words ANDed. */
    { "alice", "M0005" },
    { "ALICE chen", "M0005" },
    { "Ａｌｉｃｅ", "M0005" },
    { "chen 怡君", "M0001" },
    /* FTS5 syntax in user text is literal, never an error. */
    { "bob o\"brien", "A-778812" },
    { "NOT AND OR", "" },
    { "(陳", "M0001 M0003" },
    { "   ", "<none>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = search (fixture, cases[i].text);

      g_test_message ("search “%s” → “%s”", cases[i].text, found);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

static void
test_fts_query_syntax (void)
{
  g_autofree char *q1 = rg_fts_build_query ("0912-345");
  g_autofree char *q2 = rg_fts_build_query ("say \"hi\"");
  g_autofree char *q3 = rg_fts_build_query ("");
  g_autofree char *q4 = rg_fts_build_query ("陳 怡君 amy 陳a");

  g_assert_cmpstr (q1, ==, "\"912345\"*");
  g_assert_cmpstr (q2, ==, "\"say\"* \"\"\"hi\"\"\"*");
  g_assert_null (q3);
  /* Han needs no prefix: single characters and pairs are whole tokens. */
  g_assert_cmpstr (q4, ==, "\"陳\" \"怡君\" \"amy\"* \"陳a\"*");
  g_assert_null (rg_fts_build_query (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/regulars/fts/search", Fixture, NULL,
              fixture_set_up, test_fts_search, fixture_tear_down);
  g_test_add_func ("/regulars/fts/query-syntax", test_fts_query_syntax);

  return g_test_run ();
}
