/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-member-list.h"
#include "rg-test-util.h"

#define N_MEMBERS 10000
#define PAGE_SIZE 100

typedef struct
{
  char          *dir;
  RgStore       *store;
  RgMemberStore *members;
} Fixture;

typedef struct
{
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static const char * const surnames[] = { "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊" };
static const char * const given[] = { "志明", "淑芬", "家豪", "雅婷", "俊傑", "美玲", "建宏", "小美" };
static const char * const english[] = { "alice", "Bob", "Charlie", "david", "Eve", "Mallory" };

typedef struct
{
  RgMemberStore *members;
  guint          n;
} PopulateData;

static gboolean
populate (RgStore   *store,
          gpointer   user_data,
          GError   **error)
{
  PopulateData *data = user_data;
  GRand *rand = g_rand_new_with_seed (20240501);

  for (guint i = 0; i < data->n; i++)
    {
      g_autoptr(RgMember) member = rg_member_new ();
      g_autofree char *number = NULL;
      g_autofree char *name = NULL;
      g_autofree char *phone = g_strdup_printf ("0922%06u", i);

      /* Some members have no number; the others are not in id order. */
      if (i % 7 != 0)
        number = g_strdup_printf ("M%05u", (i * 7919) % 100000);
      if (i % 5 == 0)
        name = g_strdup_printf ("%s %s", english[g_rand_int_range (rand, 0, G_N_ELEMENTS (english))],
                                surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))]);
      else
        name = g_strconcat (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                            given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))], NULL);

      rg_member_set_member_number (member, number);
      rg_member_set_name (member, name);
      rg_member_set_phone (member, phone);
      rg_member_set_points_balance (member, g_rand_int_range (rand, 0, 500));
      rg_member_set_stored_value (member, g_rand_int_range (rand, 0, 3) * 10000);
      rg_member_set_created_at (member, 1600000000 + g_rand_int_range (rand, 0, 1000000));
      if (!rg_member_store_insert (data->members, member, RG_LEDGER_SOURCE_IMPORT, error))
        {
          g_rand_free (rand);
          return FALSE;
        }
    }

  g_rand_free (rand);
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PopulateData populate_data;

  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->members = rg_member_store_new (fixture->store);

  populate_data.members = fixture->members;
  populate_data.n = GPOINTER_TO_UINT (data);
  rg_store_transaction (fixture->store, populate, &populate_data, &error);
  g_assert_no_error (error);
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

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *log)
{
  ItemsChanged change = { position, removed, added };

  g_array_append_val (log, change);
}

static GArray *
watch_items (RgMemberList *list)
{
  GArray *log = g_array_new (FALSE, FALSE, sizeof (ItemsChanged));

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), log);
  return log;
}

static void
assert_change (GArray *log,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  ItemsChanged *change;

  g_assert_cmpuint (log->len, >, index);
  change = &g_array_index (log, ItemsChanged, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static RgMember *
item (RgMemberList *list,
      guint         position)
{
  RgMember *member = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (member);
  /* The list keeps its own reference while the page is cached. */
  g_object_unref (member);
  return member;
}

/* The order the database promises: the sort value (text compared without ASCII case, as
 * COLLATE NOCASE does), then the id. */
static int
compare (RgMemberSortKey  key,
         RgMember        *a,
         RgMember        *b)
{
  gint64 va = 0, vb = 0;
  int cmp = 0;

  switch (key)
    {
    case RG_MEMBER_SORT_NAME:
      cmp = g_ascii_strcasecmp (rg_member_get_name (a), rg_member_get_name (b));
      break;
    case RG_MEMBER_SORT_MEMBER_NUMBER:
      cmp = strcmp (rg_member_get_member_number (a) ? rg_member_get_member_number (a) : "",
                    rg_member_get_member_number (b) ? rg_member_get_member_number (b) : "");
      break;
    case RG_MEMBER_SORT_CREATED:
      va = rg_member_get_created_at (a);
      vb = rg_member_get_created_at (b);
      break;
    case RG_MEMBER_SORT_POINTS_BALANCE:
      va = rg_member_get_points_balance (a);
      vb = rg_member_get_points_balance (b);
      break;
    case RG_MEMBER_SORT_STORED_VALUE:
      va = rg_member_get_stored_value (a);
      vb = rg_member_get_stored_value (b);
      break;
    default:
      g_assert_not_reached ();
    }

  if (cmp == 0 && va != vb)
    cmp = va < vb ? -1 : 1;
  if (cmp == 0)
    cmp = rg_member_get_id (a) < rg_member_get_id (b) ? -1 : 1;
  return cmp;
}

static void
test_lazy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  RgMember *first;
  RgMember *at_5000;

  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 0);

  /* Opening the list: a count and the first page, nothing more. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_MEMBERS);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 1);
  first = item (list, 0);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 2);
  item (list, 99);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 2);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), ==, 1);

  /* A cold jump is one query; its neighbours on the same page are free. */
  at_5000 = item (list, 5000);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 3);
  item (list, 5001);
  item (list, 5099);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 3);

  /* The next and the previous page are read by key from the cached one. */
  g_assert_cmpint (compare (RG_MEMBER_SORT_NAME, item (list, 5099), item (list, 5100)), <, 0);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 4);
  g_assert_cmpint (compare (RG_MEMBER_SORT_NAME, item (list, 4999), at_5000), <, 0);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 5);

  /* Same position, same object, while cached. */
  g_assert_true (item (list, 5000) == at_5000);
  g_assert_true (item (list, 0) == first);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_MEMBERS));

  /* Scrolling through 3,000 rows: one query per page, at most 20 pages kept. */
  for (guint i = 0; i < 3000; i++)
    item (list, i);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 5 + 29);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 20);
}

static void
check_order (Fixture         *fixture,
             RgMemberSortKey  key,
             gboolean         descending)
{
  g_autoptr(RgMemberList) forward = rg_member_list_new (fixture->members);
  g_autoptr(RgMemberList) backward = rg_member_list_new (fixture->members);
  g_autoptr(RgMemberList) jump = rg_member_list_new (fixture->members);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  RgMember *previous = NULL;
  guint n;

  g_test_message ("sort %d %s", key, descending ? "descending" : "ascending");
  rg_member_list_set_sort_key (forward, key);
  rg_member_list_set_sort_descending (forward, descending);
  n = g_list_model_get_n_items (G_LIST_MODEL (forward));
  g_assert_cmpuint (n, ==, N_MEMBERS);

  for (guint i = 0; i < n; i++)
    {
      RgMember *member = item (forward, i);
      gint64 id = rg_member_get_id (member);

      if (previous != NULL)
        {
          int cmp = compare (key, previous, member);
          g_assert_cmpint (descending ? -cmp : cmp, <, 0);
        }
      g_assert_false (g_hash_table_contains (seen, &id));
      g_array_append_val (ids, id);
      /* The array's storage moves as it grows: the set keeps copies. */
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      previous = member;
    }
  /* The count, then every page by key from the one before. */
  g_assert_cmpuint (rg_member_list_get_fetch_count (forward), ==, 1 + n / PAGE_SIZE);

  /* Reading backwards from a jump to the end gives the same rows. */
  rg_member_list_set_sort_key (backward, key);
  rg_member_list_set_sort_descending (backward, descending);
  for (guint i = n; i > 0; i--)
    g_assert_cmpint (rg_member_get_id (item (backward, i - 1)), ==,
                     g_array_index (ids, gint64, i - 1));
  g_assert_cmpuint (rg_member_list_get_fetch_count (backward), ==, 1 + n / PAGE_SIZE);

  /* So does a cold jump into the middle. */
  rg_member_list_set_sort_key (jump, key);
  rg_member_list_set_sort_descending (jump, descending);
  g_assert_cmpint (rg_member_get_id (item (jump, 7777)), ==, g_array_index (ids, gint64, 7777));
}

static void
test_sort_orders (Fixture       *fixture,
                  gconstpointer  data)
{
  for (RgMemberSortKey key = RG_MEMBER_SORT_NAME; key <= RG_MEMBER_SORT_STORED_VALUE; key++)
    {
      check_order (fixture, key, FALSE);
      check_order (fixture, key, TRUE);
    }
}

static void
test_sort_change (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  g_autoptr(GArray) log = watch_items (list);
  guint fetches;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_MEMBERS);
  item (list, 0);
  fetches = rg_member_list_get_fetch_count (list);

  rg_member_list_set_sort_key (list, RG_MEMBER_SORT_POINTS_BALANCE);
  assert_change (log, 0, 0, N_MEMBERS, N_MEMBERS);
  rg_member_list_set_sort_descending (list, TRUE);
  assert_change (log, 1, 0, N_MEMBERS, N_MEMBERS);
  g_assert_cmpuint (log->len, ==, 2);
  /* A new order needs no new count. */
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, fetches);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), ==, 0);
  g_assert_cmpint (rg_member_get_points_balance (item (list, 0)), >=,
                   rg_member_get_points_balance (item (list, 1)));

  /* Setting the same order again changes nothing. */
  rg_member_list_set_sort_descending (list, TRUE);
  g_assert_cmpuint (log->len, ==, 2);
}

static RgMember *
add_member (Fixture    *fixture,
            const char *number,
            const char *name,
            const char *phone,
            const char *email)
{
  g_autoptr(GError) error = NULL;
  RgMember *member = rg_member_new ();

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, name);
  rg_member_set_phone (member, phone);
  rg_member_set_email (member, email);
  rg_member_store_insert (fixture->members, member, NULL, &error);
  g_assert_no_error (error);
  return member;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
names_of (RgMemberList *list)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, g_strdup (rg_member_get_name (item (list, i))));
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static void
assert_names (RgMemberList *list,
              const char   *search,
              const char   *expected)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *joined = NULL;

  rg_member_list_set_search (list, search);
  names = names_of (list);
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (",", (char **) names->pdata);
  g_test_message ("search “%s” → %s", search, joined);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  g_autoptr(GArray) log = watch_items (list);
  g_autoptr(RgMember) m1 = add_member (fixture, "A001", "陳怡君", "0912-345-678", "yijun@example.com");
  g_autoptr(RgMember) m2 = add_member (fixture, "A002", "林怡君", "0912-345-999", "alice.lin@example.com");
  g_autoptr(RgMember) m3 = add_member (fixture, "A003", "陳志明", "0933-111-222", "zhiming@example.com");
  g_autoptr(RgMember) m4 = add_member (fixture, "A004", "王小美", "(02) 2345-6789", "xiaomei@tea.example.tw");
  g_autoptr(RgMember) m5 = add_member (fixture, "A005", "陳大文", "+852 6188 0000", "alan.chan@example.hk");
  g_autoptr(RgMember) m6 = add_member (fixture, "VIP-0042", "Alice Wang", NULL, "alice.wang@example.com");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6);

  assert_names (list, "怡君", "林怡君,陳怡君");
  assert_names (list, "陳", "陳大文,陳志明,陳怡君");
  assert_names (list, "0912-345", "林怡君,陳怡君");
  assert_names (list, "0912345678", "陳怡君");
  assert_names (list, "2345-6789", "王小美");
  assert_names (list, "ali", "Alice Wang,林怡君");
  assert_names (list, "alice.w", "Alice Wang");
  assert_names (list, "VIP-0042", "Alice Wang");
  assert_names (list, "陳 明", "陳志明");
  assert_names (list, "nobody", "");
  assert_names (list, "  ", "Alice Wang,林怡君,王小美,陳大文,陳志明,陳怡君");

  /* Every search change replaces the whole list: (0, old, new). */
  g_array_set_size (log, 0);
  rg_member_list_set_search (list, "陳");
  assert_change (log, 0, 0, 6, 3);
  rg_member_list_set_search (list, "怡君");
  assert_change (log, 1, 0, 3, 2);
  rg_member_list_set_search (list, NULL);
  assert_change (log, 2, 0, 2, 6);
  g_assert_cmpuint (log->len, ==, 3);

  /* Nothing searchable in the text lists nobody rather than everybody. */
  rg_member_list_set_search (list, "--");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  assert_change (log, 3, 0, 6, 0);

  /* A search follows edits: a renamed member leaves and joins the results. */
  {
    g_autoptr(GError) error = NULL;

    rg_member_list_set_search (list, "怡君");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    item (list, 0);
    item (list, 1);
    rg_member_set_name (m3, "陳怡君");
    rg_member_store_update (fixture->members, m3, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
    rg_member_set_name (m1, "陳怡");
    rg_member_store_update (fixture->members, m1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    g_assert_cmpint (rg_member_get_id (item (list, 0)), !=, rg_member_get_id (m1));
    g_assert_cmpint (rg_member_get_id (item (list, 1)), !=, rg_member_get_id (m1));
  }
}

static void
test_search_lazy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  g_autoptr(GArray) log = NULL;
  g_autoptr(RgMember) first = NULL;
  RgMember *previous = NULL;
  guint position = 0;
  guint base;
  guint n;

  /* The first search reads every member's place in the list order once; a search is then
   * one query for the matches, and one per page shown. */
  rg_member_list_set_search (list, "林");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 500);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 2);
  base = rg_member_list_get_fetch_count (list);

  rg_member_list_set_search (list, "陳");
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, base + 1);
  g_assert_cmpuint (n, >, 500);
  g_assert_cmpuint (n, <, 2000);
  for (guint i = 0; i < n; i++)
    {
      RgMember *member = item (list, i);

      g_assert_nonnull (strstr (rg_member_get_name (member), "陳"));
      if (previous != NULL)
        g_assert_cmpint (compare (RG_MEMBER_SORT_NAME, previous, member), <, 0);
      previous = member;
    }
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==,
                    base + 1 + (n + PAGE_SIZE - 1) / PAGE_SIZE);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 20);

  /* A new match lands at its place among the results; its deletion leaves from there. */
  log = watch_items (list);
  item (list, 0);
  first = add_member (fixture, NULL, "陳一", NULL, NULL);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_true (rg_member_list_find_position (list, rg_member_get_id (first), &position));
  /* English names ("Eve 陳") sort before Chinese ones; 一 is the first Han character. */
  g_assert_cmpint (compare (RG_MEMBER_SORT_NAME, item (list, position - 1), first), <, 0);
  g_assert_cmpstr (rg_member_get_name (item (list, position - 1)), <, "陳");
  assert_change (log, 0, position, 0, 1);
  g_assert_cmpint (rg_member_get_id (item (list, position)), ==, rg_member_get_id (first));
  rg_member_store_delete (fixture->members, rg_member_get_id (first), &error);
  g_assert_no_error (error);
  assert_change (log, 1, position, 1, 0);

  /* A member who does not match changes nothing. */
  g_clear_object (&first);
  first = add_member (fixture, NULL, "王一", NULL, NULL);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  /* A new order reads the matches again, in that order. */
  rg_member_list_set_sort_key (list, RG_MEMBER_SORT_POINTS_BALANCE);
  assert_change (log, 2, 0, n, n);
  g_assert_cmpint (rg_member_get_points_balance (item (list, 0)), <=,
                   rg_member_get_points_balance (item (list, n - 1)));
}

static void
test_follows_store (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  g_autoptr(GArray) log = watch_items (list);
  g_autoptr(RgMember) aaron = NULL;
  g_autoptr(RgMember) edited = NULL;
  RgMember *cached;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint position = 0;
  gint64 id;
  const RgBalanceChange bonus = { .points_balance = 100000, .reason = "Birthday bonus" };

  for (guint i = 0; i < 1000; i++)
    item (list, i);

  /* An insertion lands where the order puts it, alone. */
  aaron = add_member (fixture, "Z001", "Aaron Aardvark", NULL, NULL);
  g_assert_cmpuint (log->len, ==, 1);
  assert_change (log, 0, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + 1);
  g_assert_cmpint (rg_member_get_id (item (list, 0)), ==, rg_member_get_id (aaron));
  g_assert_true (rg_member_list_find_position (list, rg_member_get_id (aaron), &position));
  g_assert_cmpuint (position, ==, 0);

  /* An edit that keeps the order updates the cached object in place. */
  cached = item (list, 500);
  id = rg_member_get_id (cached);
  edited = rg_member_copy (cached);
  rg_member_set_note (edited, "Moved to Tainan");
  rg_member_store_update (fixture->members, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_true (item (list, 500) == cached);
  g_assert_cmpstr (rg_member_get_note (cached), ==, "Moved to Tainan");

  /* An edit of the sort key moves the row: out at the old place, in at the new. */
  rg_member_set_name (edited, "Aaron Aardvark 2");
  rg_member_store_update (fixture->members, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 3);
  assert_change (log, 1, 500, 1, 0);
  assert_change (log, 2, 1, 0, 1);
  g_assert_cmpint (rg_member_get_id (item (list, 1)), ==, id);
  g_assert_cmpstr (rg_member_get_name (item (list, 1)), ==, "Aaron Aardvark 2");

  /* Deletion and its undo. */
  rg_member_store_delete (fixture->members, rg_member_get_id (aaron), &error);
  g_assert_no_error (error);
  assert_change (log, 3, 0, 1, 0);
  g_assert_false (rg_member_list_find_position (list, rg_member_get_id (aaron), &position));
  rg_member_store_restore (fixture->members, rg_member_get_id (aaron), &error);
  g_assert_no_error (error);
  assert_change (log, 4, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + 1);

  /* A deletion far from the cached pages still lands at the right position. */
  rg_member_list_set_sort_key (list, RG_MEMBER_SORT_CREATED);
  g_array_set_size (log, 0);
  {
    RgMember *far = item (list, 9000);
    gint64 far_id = rg_member_get_id (far);

    item (list, 0);
    rg_member_list_reload (list);
    g_array_set_size (log, 0);
    item (list, 0);
    rg_member_store_delete (fixture->members, far_id, &error);
    g_assert_no_error (error);
    assert_change (log, 0, 9000, 1, 0);
    g_assert_cmpint (rg_member_get_id (item (list, 9000)), !=, far_id);
  }

  /* A balance change moves a row in a list sorted by points. */
  rg_member_list_set_sort_key (list, RG_MEMBER_SORT_POINTS_BALANCE);
  rg_member_list_set_sort_descending (list, TRUE);
  g_array_set_size (log, 0);
  cached = item (list, 50);
  id = rg_member_get_id (cached);
  rg_member_store_adjust (fixture->members, id, &bonus, &error);
  g_assert_no_error (error);
  assert_change (log, 0, 50, 1, 0);
  assert_change (log, 1, 0, 0, 1);
  g_assert_cmpint (rg_member_get_id (item (list, 0)), ==, id);
  g_assert_cmpint (rg_member_get_points_balance (item (list, 0)), >=, 100000);

  /* Changes the list cannot follow one by one reload it. */
  g_array_set_size (log, 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  rg_member_store_emit_changed (fixture->members);
  assert_change (log, 0, 0, n, n);
}

/* The matches are the same, in the same order, as a list that reads everything afresh. */
static void
assert_same_as_fresh (Fixture        *fixture,
                      RgMemberList   *list,
                      const char     *search,
                      RgMemberSortKey key,
                      gboolean        descending)
{
  g_autoptr(RgMemberList) fresh = rg_member_list_new (fixture->members);
  guint n;

  rg_member_list_set_sort_key (fresh, key);
  rg_member_list_set_sort_descending (fresh, descending);
  rg_member_list_set_search (fresh, search);
  n = g_list_model_get_n_items (G_LIST_MODEL (fresh));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (rg_member_get_id (item (list, i)), ==, rg_member_get_id (item (fresh, i)));
      if (i > 0)
        g_assert_cmpint (compare (key, item (list, i - 1), item (list, i)) > 0, ==, descending);
    }
}

static void
test_search_order_follows_edits (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  const RgBalanceChange bonus = { .points_balance = 250, .reason = "Birthday bonus" };

  rg_member_list_set_search (list, "陳");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);

  /* Forty members at one spot of the order (same name: by id) use up the room between two
   * neighbours many times over; the list must stay in order all the same. */
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (added, add_member (fixture, NULL, "陳同名", NULL, NULL));
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_NAME, FALSE);

  /* Renamed to the other end of the order, and out of the search. */
  for (guint i = 0; i < added->len; i += 3)
    {
      RgMember *member = g_ptr_array_index (added, i);

      rg_member_set_name (member, i % 2 ? "陳 Aaron" : "Zed 陳");
      rg_member_store_update (fixture->members, member, &error);
      g_assert_no_error (error);
    }
  rg_member_set_name (g_ptr_array_index (added, 1), "王同名");
  rg_member_store_update (fixture->members, g_ptr_array_index (added, 1), &error);
  g_assert_no_error (error);
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_NAME, FALSE);

  /* Deleted and restored. */
  rg_member_store_delete (fixture->members, rg_member_get_id (g_ptr_array_index (added, 2)),
                          &error);
  g_assert_no_error (error);
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_NAME, FALSE);
  rg_member_store_restore (fixture->members, rg_member_get_id (g_ptr_array_index (added, 2)),
                           &error);
  g_assert_no_error (error);
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_NAME, FALSE);

  /* Another order; balances move members in it. */
  rg_member_list_set_sort_key (list, RG_MEMBER_SORT_POINTS_BALANCE);
  rg_member_list_set_sort_descending (list, TRUE);
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_POINTS_BALANCE, TRUE);
  for (guint i = 0; i < 10; i++)
    {
      rg_member_store_adjust (fixture->members,
                              rg_member_get_id (g_ptr_array_index (added, i * 3 + 2)), &bonus,
                              &error);
      g_assert_no_error (error);
    }
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_POINTS_BALANCE, TRUE);

  /* Changes it cannot follow one by one. */
  rg_member_store_emit_changed (fixture->members);
  assert_same_as_fresh (fixture, list, "陳", RG_MEMBER_SORT_POINTS_BALANCE, TRUE);
}

static void
test_first_page_of_many (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RgMemberList) list = rg_member_list_new (fixture->members);
  gint64 start = g_get_monotonic_time ();
  double ms;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100000);
  item (list, 0);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("count and first page of 100,000 members: %.2f ms", ms);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), ==, 2);

  start = g_get_monotonic_time ();
  item (list, 73456);
  g_test_message ("cold jump to row 73,456: %.2f ms", (g_get_monotonic_time () - start) / 1000.0);

  start = g_get_monotonic_time ();
  rg_member_list_set_search (list, "陳");
  g_test_message ("search “陳”: %u members, %.2f ms", g_list_model_get_n_items (G_LIST_MODEL (list)),
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, n, func) \
  g_test_add ("/regulars/members/list/" path, Fixture, GUINT_TO_POINTER (n), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("lazy", N_MEMBERS, test_lazy);
  ADD ("sort-orders", N_MEMBERS, test_sort_orders);
  ADD ("sort-change", N_MEMBERS, test_sort_change);
  ADD ("search", 0, test_search);
  ADD ("search-lazy", N_MEMBERS, test_search_lazy);
  ADD ("follows-store", N_MEMBERS, test_follows_store);
  ADD ("search-order-follows-edits", 2000, test_search_order_follows_edits);
  if (g_test_slow ())
    ADD ("first-page-of-many", 100000, test_first_page_of_many);

#undef ADD

  return g_test_run ();
}
