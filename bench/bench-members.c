/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "rg-member-importer.h"
#include "rg-member-list.h"
#include "rg-member-store.h"

/*
 * bench-members [N] [--quick]
 * bench-members --search-only DATABASE [N]
 *
 * Generates N members as CSV (default 1,000,000; --quick: 20,000), imports them with
 * RgMemberImporter into a fresh database, and measures in the same run, on the same file:
 *
 *  floor (a)  the sqlite3 shell: `.import` into a plain table of a fresh database (raw
 *             parsing and writing, no indexes);
 *  floor (b)  the indexing floor: a fresh database with our schema (rg_store_open(): members
 *             with its indexes, triggers and the FTS5 index with our tokenizer, the ledger);
 *             the sqlite3 shell `.import`s the file into a staging table of that database
 *             (timed). Untimed, the staging table's phones are replaced by the E.164 numbers
 *             our import stored for the same member numbers (ATTACH of our database): the
 *             search index is built over digit-run suffixes, so "+886912345678" makes more
 *             index entries than "0912-345-678", and the floor indexes what we index. Then our
 *             own connection (the shell cannot load the `regulars` tokenizer), with the
 *             importer's PRAGMAs, runs in one transaction INSERT INTO members … SELECT … FROM
 *             staging, the search index and count (which the writer keeps, not triggers), and
 *             the INSERT INTO ledger … SELECT of the opening balances that the import writes
 *             too (timed). Floor (b) is the sum of the timed parts. No validation, no
 *             parsing: what SQLite alone needs to store and index the rows.
 *
 * Then search latency over 1,000 mixed queries on the imported database (RgMemberList:
 * set_search, n_items, the first page), the time to open the members list and fetch its
 * first page, and the peak RSS of this process.
 *
 * --search-only measures the search alone, on a database kept from an earlier run
 * (BENCH_KEEP=1 keeps it); N must be the number of members it was made with.
 */

#define QUICK_N 20000
#define DEFAULT_N 1000000
#define N_QUERIES 1000
#define FIRST_PAGE 100

static const char * const surnames[] = {
  "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "洪", "郭",
  "邱", "曾", "廖", "賴", "徐", "周", "葉", "蘇", "莊", "呂", "江", "何", "蕭", "羅", "高",
  "潘", "簡", "朱", "鍾", "游", "彭", "詹", "胡", "施", "沈", "余", "盧", "梁", "趙", "顏",
  "柯", "翁", "魏", "孫", "戴", "范", "方", "宋", "鄧", "杜", "傅", "侯", "曹", "薛", "丁",
};

static const char * const given_chars[] = {
  "怡", "君", "雅", "婷", "淑", "芬", "美", "玲", "惠", "如", "佳", "慧", "欣", "宜", "靜",
  "家", "豪", "志", "明", "俊", "宏", "建", "偉", "冠", "宇", "承", "翰", "柏", "彥", "哲",
  "文", "華", "國", "強", "嘉", "瑋", "詩", "涵", "思", "妤", "子", "晴", "心", "怡", "琪",
  "庭", "瑜", "書", "安", "品", "睿", "恩", "辰", "宥", "廷", "佩", "珊", "秀", "英", "麗",
};

static const char * const english_first[] = {
  "Amy", "Ben", "Cathy", "David", "Emily", "Frank", "Grace", "Henry", "Iris", "Jack",
  "Kelly", "Leo", "Mandy", "Nick", "Olivia", "Peter", "Queenie", "Ryan", "Sandy", "Tom",
  "Una", "Vincent", "Wendy", "Kevin", "Yvonne", "Zoe", "Eric", "Joyce", "Alan", "Vivian",
};

static const char * const english_last[] = {
  "Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu",
  "Cheng", "Wong", "Chan", "Leung", "Ho", "Lau", "Cheung", "Tang", "Ng", "Smith", "Brown",
};

static const char * const domains[] = {
  "gmail.com", "yahoo.com.tw", "hotmail.com", "outlook.com", "msa.hinet.net", "example.com.hk",
};

typedef struct
{
  char  *dir;
  char  *csv;
  guint  n;
} Bench;

typedef struct
{
  double wall;
  double cpu;
} Timing;

typedef struct
{
  gint64 wall_start;
  double cpu_start;
  int    who;
} Clock;

/* Bytes this process wrote to storage so far (/proc/self/io), to tell I/O from CPU. */
static guint64
written_bytes (void)
{
  g_autofree char *io = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/io", &io, NULL, NULL) ||
      (line = strstr (io, "\nwrite_bytes: ")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("\nwrite_bytes: "), NULL, 10);
}

static Clock
clock_start (int who);
static Timing
clock_stop (Clock *clock);

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* CPU seconds of this process (who = RUSAGE_SELF) or of its finished children. The machine
 * may be shared: CPU time says what a step costs when wall time says what it took. */
static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static Clock
clock_start (int who)
{
  return (Clock) { g_get_monotonic_time (), cpu_seconds (who), who };
}

static Timing
clock_stop (Clock *clock)
{
  return (Timing) {
    seconds_since (clock->wall_start),
    cpu_seconds (clock->who) - clock->cpu_start,
  };
}

static const char *
pick (GRand              *rand,
      const char * const *table,
      guint               n)
{
  return table[g_rand_int_range (rand, 0, n)];
}

#define PICK(rand, table) pick ((rand), (table), G_N_ELEMENTS (table))

static void
append_phone (GString *row,
              GRand   *rand)
{
  int kind = g_rand_int_range (rand, 0, 100);

  if (kind < 70)
    /* Taiwanese mobiles, written the usual ways. */
    g_string_append_printf (row, kind % 2 ? "09%02d-%03d-%03d" : "09%02d%03d%03d",
                            g_rand_int_range (rand, 10, 90), g_rand_int_range (rand, 0, 1000),
                            g_rand_int_range (rand, 0, 1000));
  else if (kind < 85)
    g_string_append_printf (row, "(02) 2%03d-%04d", g_rand_int_range (rand, 0, 1000),
                            g_rand_int_range (rand, 0, 10000));
  else
    {
      /* Hong Kong mobiles, from blocks that are allocated. */
      static const char * const blocks[] = { "94", "96", "97", "61", "63", "64", "65" };

      g_string_append_printf (row, "+852 %s%02d %04d", PICK (rand, blocks),
                              g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 10000));
    }
}

static void
generate_csv (Bench *bench)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240131);
  g_autoptr(GString) chunk = g_string_sized_new (1 << 20);
  FILE *out = fopen (bench->csv, "wb");

  g_assert_nonnull (out);
  g_string_append (chunk, "會員編號,姓名,手機,電子郵件,累積點數,點數餘額,儲值金,標籤\r\n");

  for (guint i = 0; i < bench->n; i++)
    {
      gboolean chinese = g_rand_int_range (rand, 0, 100) < 75;
      const char *first = PICK (rand, english_first);
      const char *last = PICK (rand, english_last);
      int accumulated = g_rand_int_range (rand, 0, 5000);
      int balance = accumulated > 0 ? g_rand_int_range (rand, 0, accumulated + 1) : 0;

      g_string_append_printf (chunk, "M%07u,", i + 1);
      if (chinese)
        {
          g_string_append (chunk, PICK (rand, surnames));
          g_string_append (chunk, PICK (rand, given_chars));
          if (g_rand_int_range (rand, 0, 10) > 0)
            g_string_append (chunk, PICK (rand, given_chars));
        }
      else
        g_string_append_printf (chunk, "%s %s", first, last);
      g_string_append_c (chunk, ',');
      append_phone (chunk, rand);
      g_string_append_c (chunk, ',');
      if (g_rand_int_range (rand, 0, 100) < 80)
        {
          g_autofree char *user = g_ascii_strdown (first, -1);
          g_autofree char *family = g_ascii_strdown (last, -1);

          g_string_append_printf (chunk, "%s.%s%u@%s", user, family, i % 997,
                                  PICK (rand, domains));
        }
      g_string_append_printf (chunk, ",%d,%d,", accumulated, balance);
      if (g_rand_int_range (rand, 0, 100) < 30)
        g_string_append_printf (chunk, "%d", g_rand_int_range (rand, 1, 50) * 100);
      else
        g_string_append_c (chunk, '0');
      g_string_append_c (chunk, ',');
      if (g_rand_int_range (rand, 0, 100) < 10)
        g_string_append (chunk, "VIP");
      g_string_append (chunk, "\r\n");

      if (chunk->len > (1 << 20) - 512)
        {
          fwrite (chunk->str, 1, chunk->len, out);
          g_string_truncate (chunk, 0);
        }
    }

  fwrite (chunk->str, 1, chunk->len, out);
  fclose (out);
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static Timing
run_our_import (Bench      *bench,
                const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = rg_store_open (db_path, &error);
  g_autoptr(RgMemberImporter) importer = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  Clock clock;
  Timing timing;

  g_assert_no_error (error);
  importer = rg_member_importer_new (store);
  rg_member_importer_set_path (importer, bench->csv);

  clock = clock_start (RUSAGE_SELF);
  rg_member_importer_run_async (importer, NULL, store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = rg_member_importer_run_finish (importer, async_result, &error);
  timing = clock_stop (&clock);

  g_assert_no_error (error);
  if (rg_member_import_result_get_n_rejected (result) > 0)
    {
      g_autoptr(RgMemberImportRejection) first =
        g_list_model_get_item (rg_member_import_result_get_rejections (result), 0);
      g_autofree char *text = rg_member_import_rejection_to_string (first);

      g_error ("%" G_GUINT64_FORMAT " rows rejected, the first: %s",
               rg_member_import_result_get_n_rejected (result), text);
    }
  g_assert_true (rg_member_import_result_get_committed (result));
  g_assert_cmpuint (rg_member_import_result_get_n_added (result), ==, bench->n);
  return timing;
}

static Timing
run_shell (const char *db_path,
           const char *commands)
{
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = g_bytes_new (commands, strlen (commands));
  g_autoptr(GBytes) err = NULL;
  Clock clock = clock_start (RUSAGE_CHILDREN);
  Timing timing;

  shell = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error, "sqlite3", "-batch", "-bail", db_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (shell, input, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  timing = clock_stop (&clock);
  if (!g_subprocess_get_successful (shell))
    g_error ("sqlite3 failed: %.*s", (int) g_bytes_get_size (err),
             (const char *) g_bytes_get_data (err, NULL));
  return timing;
}

static Timing
floor_plain (Bench *bench)
{
  g_autofree char *db_path = g_build_filename (bench->dir, "floor-a.db", NULL);
  g_autofree char *commands = g_strdup_printf (".mode csv\n.import '%s' members\n", bench->csv);

  return run_shell (db_path, commands);
}

/* The statements of floor (b), on our connection: the member rows (which fire the count and
 * FTS triggers) and their opening balances in the ledger, as the importer writes them. */
static const char floor_insert_sql[] =
  "INSERT INTO members (member_number, name, phone, email, accumulated_points,"
  "  points_balance, stored_value, tags, created_at, updated_at)"
  " SELECT \"會員編號\", \"姓名\", \"手機\", nullif (\"電子郵件\", ''),"
  "  CAST(\"累積點數\" AS INTEGER), CAST(\"點數餘額\" AS INTEGER), CAST(\"儲值金\" AS INTEGER) * 100,"
  "  CASE \"標籤\" WHEN '' THEN '[]' ELSE json_array (\"標籤\") END, unixepoch (), unixepoch ()"
  " FROM staging ORDER BY rowid;"
  /* The search index and the count are kept by the writer, not by triggers (migration 2). */
  "INSERT INTO members_fts (rowid, member_number, name, phone, email)"
  " SELECT id, member_number, name, phone, email FROM members ORDER BY id;"
  "UPDATE member_count SET live = (SELECT count(*) FROM members) WHERE id = 1;";

static const char floor_ledger_sql[] =
  "INSERT INTO ledger (member_id, operation_id, account, delta, balance_after, reason, source,"
  "  created_at)"
  " SELECT id, id, 'accumulated_points', accumulated_points, accumulated_points, 'CSV import',"
  "  'import', created_at FROM members WHERE accumulated_points <> 0;"
  "INSERT INTO ledger (member_id, operation_id, account, delta, balance_after, reason, source,"
  "  created_at)"
  " SELECT id, id, 'points_balance', points_balance, points_balance, 'CSV import',"
  "  'import', created_at FROM members WHERE points_balance <> 0;"
  "INSERT INTO ledger (member_id, operation_id, account, delta, balance_after, reason, source,"
  "  created_at)"
  " SELECT id, id, 'stored_value', stored_value, stored_value, 'CSV import',"
  "  'import', created_at FROM members WHERE stored_value <> 0;";

/* Untimed: the phones as our import stored them, so both index the same values. */
static void
stage_stored_phones (RgStore    *store,
                     const char *ours_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *attach = NULL;
  g_autofree char *quoted = g_strdup (ours_path);
  char *sql;

  sql = sqlite3_mprintf ("ATTACH %Q AS ours", quoted);
  attach = g_strdup (sql);
  sqlite3_free (sql);
  rg_store_exec (store, attach, &error);
  g_assert_no_error (error);
  rg_store_exec (store,
                 "UPDATE staging SET \"手機\" = (SELECT phone FROM ours.members o"
                 " WHERE o.member_number = staging.\"會員編號\" AND o.deleted_at IS NULL);"
                 "DETACH ours",
                 &error);
  g_assert_no_error (error);
}

static void
floor_indexing (Bench      *bench,
                const char *ours_path,
                Timing     *shell,
                Timing     *members,
                Timing     *ledger,
                guint64    *written)
{
  g_autofree char *db_path = g_build_filename (bench->dir, "floor-b.db", NULL);
  g_autofree char *commands = g_strdup_printf (".mode csv\n.import '%s' staging\n", bench->csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  Clock clock;

  /* Our schema, made by us; then the shell stages the file next to it. */
  store = rg_store_open (db_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  *shell = run_shell (db_path, commands);

  store = rg_store_open (db_path, &error);
  g_assert_no_error (error);
  stage_stored_phones (store, ours_path);
  rg_store_exec (store, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", &error);
  g_assert_no_error (error);

  *written = written_bytes ();
  clock = clock_start (RUSAGE_SELF);
  rg_store_exec (store, "BEGIN IMMEDIATE", &error);
  g_assert_no_error (error);
  rg_store_exec (store, floor_insert_sql, &error);
  g_assert_no_error (error);
  *members = clock_stop (&clock);
  clock = clock_start (RUSAGE_SELF);
  rg_store_exec (store, floor_ledger_sql, &error);
  g_assert_no_error (error);
  rg_store_exec (store, "COMMIT", &error);
  g_assert_no_error (error);
  *ledger = clock_stop (&clock);
  *written = written_bytes () - *written;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, index);
}

/* Queries people type: surnames, given names, full names, phone fragments typed the local
 * way, member numbers, email prefixes. */
static GPtrArray *
make_queries (Bench *bench)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_QUERIES; i++)
    {
      switch (i % 8)
        {
        case 0:
          g_ptr_array_add (queries, g_strdup (PICK (rand, surnames)));
          break;

        case 1:
          g_ptr_array_add (queries, g_strconcat (PICK (rand, given_chars),
                                                 PICK (rand, given_chars), NULL));
          break;

        case 2:
          g_ptr_array_add (queries, g_strconcat (PICK (rand, surnames), PICK (rand, given_chars),
                                                 PICK (rand, given_chars), NULL));
          break;

        case 3:
          g_ptr_array_add (queries, g_strdup_printf ("09%02d-%03d", g_rand_int_range (rand, 10, 90),
                                                     g_rand_int_range (rand, 0, 1000)));
          break;

        case 4:
          g_ptr_array_add (queries, g_strdup_printf ("%04d", g_rand_int_range (rand, 0, 10000)));
          break;

        case 5:
          g_ptr_array_add (queries, g_strdup_printf ("M%07u",
                                                     g_rand_int_range (rand, 1, bench->n + 1)));
          break;

        case 6:
          {
            g_autofree char *user = g_ascii_strdown (PICK (rand, english_first), -1);

            g_ptr_array_add (queries, g_strndup (user, MAX (2, strlen (user) - 1)));
          }
          break;

        default:
          {
            g_autofree char *user = g_ascii_strdown (PICK (rand, english_first), -1);
            g_autofree char *family = g_ascii_strdown (PICK (rand, english_last), -1);

            g_ptr_array_add (queries, g_strdup_printf ("%s.%s", user, family));
          }
          break;
        }
    }
  return queries;
}

static void
fetch_first_page (GListModel *list)
{
  guint n = MIN (g_list_model_get_n_items (list), FIRST_PAGE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      g_assert_nonnull (item);
    }
}

static const char * const query_kinds[] = {
  "surname", "given name", "full name", "mobile fragment", "4 digits", "member number",
  "email prefix", "email name",
};

static void
measure_search (Bench      *bench,
                const char *db_path,
                double     *open_ms,
                double     *p50,
                double     *p95,
                double     *max_ms,
                guint64    *hits)
{
  GArray *by_kind[G_N_ELEMENTS (query_kinds)];
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMemberList) list = NULL;
  g_autoptr(GPtrArray) queries = make_queries (bench);
  g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (double), N_QUERIES);
  gint64 start;

  start = g_get_monotonic_time ();
  store = rg_store_open (db_path, &error);
  g_assert_no_error (error);
  members = rg_member_store_new (store);
  list = rg_member_list_new (members);
  fetch_first_page (G_LIST_MODEL (list));
  *open_ms = seconds_since (start) * 1000;

  for (guint k = 0; k < G_N_ELEMENTS (query_kinds); k++)
    by_kind[k] = g_array_new (FALSE, FALSE, sizeof (double));

  *hits = 0;
  for (guint i = 0; i < queries->len; i++)
    {
      double ms;

      start = g_get_monotonic_time ();
      rg_member_list_set_search (list, g_ptr_array_index (queries, i));
      fetch_first_page (G_LIST_MODEL (list));
      ms = seconds_since (start) * 1000;
      if (i == 0)
        g_print ("members: first search (reads every member's place in the list order "
                 "once): %.1f ms\n", ms);
      g_array_append_val (times, ms);
      g_array_append_val (by_kind[i % G_N_ELEMENTS (query_kinds)], ms);
      *hits += g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
    }

  /* Which kind of query is slow, for whoever looks into a missed target. */
  for (guint k = 0; k < G_N_ELEMENTS (query_kinds); k++)
    {
      g_array_sort (by_kind[k], compare_doubles);
      g_print ("members:   %-16s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", query_kinds[k],
               percentile (by_kind[k], 0.50), percentile (by_kind[k], 0.95),
               g_array_index (by_kind[k], double, by_kind[k]->len - 1));
      g_array_unref (by_kind[k]);
    }

  g_array_sort (times, compare_doubles);
  *p50 = percentile (times, 0.50);
  *p95 = percentile (times, 0.95);
  *max_ms = g_array_index (times, double, times->len - 1);
}

static void
report_search (Bench      *bench,
               const char *db_path)
{
  double open_ms, p50, p95, max_ms;
  guint64 hits;

  measure_search (bench, db_path, &open_ms, &p50, &p95, &max_ms, &hits);
  g_print ("members: open the list and fetch the first page: %.1f ms (target ≤ 100 ms)\n",
           open_ms);
  g_print ("members: search over %d mixed queries (set_search + n_items + first %d rows): "
           "p50 %.2f ms, p95 %.2f ms (target ≤ 10 ms), max %.1f ms; %" G_GUINT64_FORMAT
           " found someone\n",
           N_QUERIES, FIRST_PAGE, p50, p95, max_ms, hits);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ours_path = NULL;
  Bench bench = { 0, };
  struct rusage usage;
  Timing ours, floor_a, shell_b, members_b, ledger_b, floor_b, floor_b_members;
  const char *search_only = NULL;
  double generate_s;
  guint64 written;
  gint64 start;
  GStatBuf st;

  bench.n = DEFAULT_N;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--quick"))
        bench.n = QUICK_N;
      else if (g_str_equal (argv[i], "--search-only") && i + 1 < argc)
        search_only = argv[++i];
      else if (g_ascii_isdigit (argv[i][0]))
        bench.n = (guint) g_ascii_strtoull (argv[i], NULL, 10);
      else
        {
          g_printerr ("usage: bench-members [N] [--quick]\n"
                      "       bench-members --search-only DATABASE [N]\n");
          return EXIT_FAILURE;
        }
    }

  if (search_only != NULL)
    {
      report_search (&bench, search_only);
      return EXIT_SUCCESS;
    }

  bench.dir = g_dir_make_tmp ("regulars-bench-members-XXXXXX", &error);
  g_assert_no_error (error);
  bench.csv = g_build_filename (bench.dir, "members.csv", NULL);
  ours_path = g_build_filename (bench.dir, "ours.db", NULL);

  start = g_get_monotonic_time ();
  generate_csv (&bench);
  generate_s = seconds_since (start);
  g_stat (bench.csv, &st);
  g_print ("members: generated %u members, %.1f MB of CSV in %.1f s\n",
           bench.n, st.st_size / 1e6, generate_s);

  written = written_bytes ();
  ours = run_our_import (&bench, ours_path);
  written = written_bytes () - written;
  g_print ("members: our import: %.2f s, %.0f rows/s (CPU %.2f s, %.0f MB written)\n",
           ours.wall, bench.n / ours.wall, ours.cpu, written / 1e6);

  report_search (&bench, ours_path);

  /* Before the floors, which run in this process too. */
  getrusage (RUSAGE_SELF, &usage);
  g_print ("members: peak RSS %.1f MB (import, list and search; target ≤ 200 MB)\n",
           usage.ru_maxrss / 1024.0);

  floor_a = floor_plain (&bench);
  g_print ("members: floor (a) sqlite3 .import into a plain table: %.2f s, %.0f rows/s "
           "(CPU %.2f s)\n", floor_a.wall, bench.n / floor_a.wall, floor_a.cpu);

  floor_indexing (&bench, ours_path, &shell_b, &members_b, &ledger_b, &written);
  floor_b_members = (Timing) { shell_b.wall + members_b.wall, shell_b.cpu + members_b.cpu };
  floor_b = (Timing) { floor_b_members.wall + ledger_b.wall, floor_b_members.cpu + ledger_b.cpu };
  g_print ("members: floor (b) indexing: %.2f s, %.0f rows/s (CPU %.2f s) = "
           "sqlite3 .import into staging %.2f s + INSERT…SELECT into members %.2f s "
           "+ INSERT…SELECT into ledger %.2f s; the INSERT…SELECTs wrote %.0f MB\n",
           floor_b.wall, bench.n / floor_b.wall, floor_b.cpu, shell_b.wall, members_b.wall,
           ledger_b.wall, written / 1e6);
  g_print ("members: ours ÷ floor (a) = %.2f; ours ÷ floor (b) = %.2f (target ≤ 1.5); "
           "without the ledger rows %.2f; in CPU time %.2f and %.2f\n",
           ours.wall / floor_a.wall, ours.wall / floor_b.wall, ours.wall / floor_b_members.wall,
           ours.cpu / floor_a.cpu, ours.cpu / floor_b.cpu);


  if (g_getenv ("BENCH_KEEP") == NULL)
    remove_dir (bench.dir);
  else
    g_print ("members: kept %s\n", bench.dir);
  g_free (bench.dir);
  g_free (bench.csv);
  return EXIT_SUCCESS;
}
