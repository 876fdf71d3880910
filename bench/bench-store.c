/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "rg-store.h"

/* How long the store takes to create a database, to reopen one, and to commit small
 * transactions, against the sqlite3 library doing the same writes with no store around it. */

#define N_TRANSACTIONS 2000

static gboolean
write_one (RgStore   *store,
           gpointer   user_data,
           GError   **error)
{
  g_autofree char *key = g_strdup_printf ("bench-%u", GPOINTER_TO_UINT (user_data));

  return rg_store_set_meta (store, key, "value", error);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regulars-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
  sqlite3 *raw = NULL;
  gint64 start;
  double create_ms, reopen_ms, store_tx_ms, raw_tx_ms;

  start = g_get_monotonic_time ();
  store = rg_store_open (path, &error);
  g_assert_no_error (error);
  create_ms = ms_since (start);
  g_clear_object (&store);

  start = g_get_monotonic_time ();
  store = rg_store_open (path, &error);
  g_assert_no_error (error);
  reopen_ms = ms_since (start);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_TRANSACTIONS; i++)
    if (!rg_store_transaction (store, write_one, GUINT_TO_POINTER (i), &error))
      g_error ("%s", error->message);
  store_tx_ms = ms_since (start);

  /* Baseline: the same commits through bare SQLite with the same pragmas. */
  g_assert_cmpint (sqlite3_open (raw_path, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) STRICT", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_TRANSACTIONS; i++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; INSERT OR REPLACE INTO meta "
                                              "VALUES ('bench-%u', 'value'); COMMIT", i);
      sqlite3_exec (raw, sql, NULL, NULL, NULL);
    }
  raw_tx_ms = ms_since (start);
  sqlite3_close (raw);

  g_print ("store: create database with %d migrations: %.2f ms\n",
           rg_store_get_latest_schema_version (), create_ms);
  g_print ("store: reopen database: %.2f ms\n", reopen_ms);
  g_print ("store: %d small transactions: %.0f tx/s (bare sqlite3: %.0f tx/s, ratio %.2f)\n",
           N_TRANSACTIONS, N_TRANSACTIONS / (store_tx_ms / 1000.0),
           N_TRANSACTIONS / (raw_tx_ms / 1000.0), store_tx_ms / raw_tx_ms);

  g_clear_object (&store);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *a = g_strconcat (path, *suffix, NULL);
      g_autofree char *b = g_strconcat (raw_path, *suffix, NULL);
      g_remove (a);
      g_remove (b);
    }
  g_rmdir (dir);
  return 0;
}
