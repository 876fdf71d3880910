/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-demo.h"
#include "rg-store-private.h"
#include "rg-test-util.h"

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
  fixture->path = g_build_filename (fixture->dir, "nested", "regulars.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static int
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
set_user_version_raw (const char *path,
                      int         version)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_store_fresh (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autofree char *journal = NULL;
  sqlite3 *db;

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (RG_IS_STORE (store));
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  db = rg_store_get_db (store);
  g_assert_true (rg_store_is_new (store));
  g_assert_cmpint (rg_store_get_schema_version (store), ==, rg_store_get_latest_schema_version ());
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, rg_store_get_latest_schema_version ());
  journal = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA busy_timeout"), >=, 1000);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM shop_profile"), ==, 1);
}

static void
test_store_reopen (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) first = NULL;
  g_autoptr(RgStore) second = NULL;
  g_autofree char *value = NULL;

  first = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  rg_store_set_meta (first, "greeting", "你好", &error);
  g_assert_no_error (error);
  g_clear_object (&first);

  second = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (rg_store_is_new (second));
  g_assert_cmpint (rg_store_get_schema_version (second), ==, rg_store_get_latest_schema_version ());
  rg_store_get_meta (second, "greeting", &value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "你好");
}

static void
test_store_refuses_newer (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  int newer = rg_store_get_latest_schema_version () + 1;
  sqlite3 *db = NULL;

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  set_user_version_raw (fixture->path, newer);

  store = rg_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, RG_STORE_ERROR, RG_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "newer version of Regulars"));

  /* Refused means untouched: no downgrade was attempted. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, newer);
  sqlite3_close (db);
}

static void
test_store_migrations_are_incremental_and_atomic (Fixture       *fixture,
                                                  gconstpointer  data)
{
  static const RgMigration v1[] = {
    { 1, "CREATE TABLE a (x INTEGER);" },
  };
  static const RgMigration v2_broken[] = {
    { 1, "CREATE TABLE a (x INTEGER);" },
    { 2, "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); CREATE TABLE a (z);" },
  };
  static const RgMigration v2_fixed[] = {
    { 1, "CREATE TABLE a (x INTEGER);" },
    { 2, "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (2);" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  sqlite3 *db;

  store = _rg_store_open_with_migrations (fixture->path, v1, G_N_ELEMENTS (v1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_store_get_schema_version (store), ==, 1);
  g_clear_object (&store);

  /* A failing step leaves the database exactly as it was before that step. */
  store = _rg_store_open_with_migrations (fixture->path, v2_broken, G_N_ELEMENTS (v2_broken), &error);
  g_assert_null (store);
  g_assert_error (error, RG_STORE_ERROR, RG_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "schema 2"));
  g_clear_error (&error);

  store = _rg_store_open_with_migrations (fixture->path, v1, G_N_ELEMENTS (v1), &error);
  g_assert_no_error (error);
  db = rg_store_get_db (store);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM a"), ==, 0);
  g_clear_object (&store);

  /* Only the missing step runs on an older database. */
  store = _rg_store_open_with_migrations (fixture->path, v2_fixed, G_N_ELEMENTS (v2_fixed), &error);
  g_assert_no_error (error);
  db = rg_store_get_db (store);
  g_assert_false (rg_store_is_new (store));
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM a"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT x FROM a"), ==, 2);
}

static gboolean
insert_then_maybe_fail (RgStore   *store,
                        gpointer   user_data,
                        GError   **error)
{
  const char *value = user_data;

  if (!rg_store_set_meta (store, value, value, error))
    return FALSE;

  if (g_str_has_prefix (value, "fail"))
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT, "refused %s", value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
outer_with_failing_inner (RgStore   *store,
                          gpointer   user_data,
                          GError   **error)
{
  g_autoptr(GError) inner_error = NULL;

  if (!rg_store_set_meta (store, "outer", "1", error))
    return FALSE;

  /* The inner failure is handled here; only its savepoint is undone. */
  g_assert_false (rg_store_transaction (store, insert_then_maybe_fail, (gpointer) "fail-inner",
                                        &inner_error));
  g_assert_error (inner_error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT);

  return rg_store_transaction (store, insert_then_maybe_fail, (gpointer) "ok-inner", error);
}

/* Migration 8 writes the search index again for the letter/digit split of the tokenizer:
 * every live member, and no deleted one. */
static void
test_store_reindexes_members (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  sqlite3 *db;

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  /* Rows written behind the index's back stand for an index made by the old tokenizer. */
  g_assert_true (rg_store_exec (store,
                                "INSERT INTO members (id, name, email, created_at, updated_at,"
                                "  deleted_at)"
                                " VALUES (1, 'Amy Lin', 'amy.chen85@example.com', 0, 0, NULL),"
                                "        (2, 'Gone Away', 'gone@example.com', 0, 0, 1)",
                                &error));
  g_assert_no_error (error);
  db = rg_store_get_db (store);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM members_fts WHERE members_fts MATCH 'amy'"),
                   ==, 0);
  g_clear_object (&store);

  set_user_version_raw (fixture->path, 7);
  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  db = rg_store_get_db (store);
  g_assert_cmpint (query_int (db, "SELECT rowid FROM members_fts WHERE members_fts MATCH"
                                  " '\"amy\" \"chen\" \"8\"*'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM members_fts WHERE members_fts MATCH"
                                  " 'gone'"), ==, 0);
}

static void
test_store_transactions (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  sqlite3 *db;

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  db = rg_store_get_db (store);

  g_assert_true (rg_store_transaction (store, insert_then_maybe_fail, (gpointer) "kept", &error));
  g_assert_no_error (error);

  g_assert_false (rg_store_transaction (store, insert_then_maybe_fail, (gpointer) "fail-all", &error));
  g_assert_error (error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (rg_store_transaction (store, outer_with_failing_inner, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'kept'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'fail-all'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'outer'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'fail-inner'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'ok-inner'"), ==, 1);
  g_assert_true (sqlite3_get_autocommit (db));
}

static void
test_store_open_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autofree char *not_a_db = g_build_filename (fixture->dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (not_a_db, "this is not a database, just some notes\n", -1,
                                      NULL));
  store = rg_store_open (not_a_db, &error);
  g_assert_null (store);
  g_assert_error (error, RG_STORE_ERROR, RG_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, not_a_db));
  g_clear_error (&error);

  /* A folder where the database should be. */
  store = rg_store_open (fixture->dir, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, fixture->dir));
}

static void
test_store_default_path (void)
{
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  g_setenv ("REGULARS_DATA_DIR", "/srv/shop", TRUE);
  path = rg_store_default_path ();
  g_assert_cmpstr (path, ==, "/srv/shop/regulars.db");
  g_clear_pointer (&path, g_free);

  g_unsetenv ("REGULARS_DATA_DIR");
  path = rg_store_default_path ();
  expected = g_build_filename (g_get_user_data_dir (), "regulars", "regulars.db", NULL);
  g_assert_cmpstr (path, ==, expected);
}

static void
test_store_demo (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autofree char *shop = NULL;

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (rg_demo_populate (store, &error));
  g_assert_no_error (error);
  shop = query_text (rg_store_get_db (store), "SELECT name FROM shop_profile");
  g_assert_cmpstr (shop, !=, "");
  g_clear_object (&store);

  /* Demo rows never go into a database that already exists. */
  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (rg_demo_populate (store, &error));
  g_assert_error (error, RG_STORE_ERROR, RG_STORE_ERROR_NOT_EMPTY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/regulars/store/fresh", Fixture, NULL,
              fixture_set_up, test_store_fresh, fixture_tear_down);
  g_test_add ("/regulars/store/reopen", Fixture, NULL,
              fixture_set_up, test_store_reopen, fixture_tear_down);
  g_test_add ("/regulars/store/refuses-newer", Fixture, NULL,
              fixture_set_up, test_store_refuses_newer, fixture_tear_down);
  g_test_add ("/regulars/store/migrations", Fixture, NULL,
              fixture_set_up, test_store_migrations_are_incremental_and_atomic, fixture_tear_down);
  g_test_add ("/regulars/store/reindexes-members", Fixture, NULL,
              fixture_set_up, test_store_reindexes_members, fixture_tear_down);
  g_test_add ("/regulars/store/transactions", Fixture, NULL,
              fixture_set_up, test_store_transactions, fixture_tear_down);
  g_test_add ("/regulars/store/open-errors", Fixture, NULL,
              fixture_set_up, test_store_open_errors, fixture_tear_down);
  g_test_add_func ("/regulars/store/default-path", test_store_default_path);
  g_test_add ("/regulars/store/demo", Fixture, NULL,
              fixture_set_up, test_store_demo, fixture_tear_down);

  return g_test_run ();
}
