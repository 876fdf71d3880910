/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include "rg-fts.h"
#include "rg-member-list.h"
#include "rg-member-order.h"
#include "rg-member-store-private.h"

/*
 * RgMemberList: the members (not deleted) as a GListModel that never loads them all.
 *
 * Rows come in pages of PAGE_SIZE. A page next to a cached one is read by key from its
 * neighbour's edge row ("the 100 rows after (name, id)"), which is an index range; only a
 * jump into the unknown (a dragged scrollbar) uses OFFSET, which walks a narrow partial
 * index and never the table. At most MAX_PAGES pages stay cached (least recently used go
 * first), and a cached position always gives the same RgMember object.
 *
 * A search is different: it reads the ids of all matching members once from the search
 * index (a count and a sorted page need every match anyway) and puts them in list order with
 * RgMemberOrder, which knows every member's place in memory; pages are then read by id.
 * Scrolling through results costs a page, not another search.
 *
 * Store signals are followed position by position where that is knowable (an insertion, a
 * deletion, an edit of a visible row; for a search, the difference between the old and the
 * new matches), so a view keeps its scroll position and selection; anything else reloads.
 */

#define PAGE_SIZE 100
#define MAX_PAGES 20

typedef enum
{
  QUERY_OFFSET,
  QUERY_AFTER,
  QUERY_BEFORE,
  QUERY_COUNT_BEFORE,
  QUERY_BY_IDS,
  N_PAGE_QUERIES
} QueryKind;

typedef struct
{
  guint      index;
  GPtrArray *items;
  GList      lru_link;
} Page;

struct _RgMemberList
{
  GObject          parent_instance;

  RgMemberStore   *store;
  char            *search;
  /* The FTS5 expression of the search; NULL for no filter. */
  char            *match;
  RgMemberSortKey  sort_key;
  guint            descending : 1;
  /* A search with nothing searchable in it ("--") matches no member. */
  guint            match_nothing : 1;
  guint            n_items_valid : 1;

  guint            n_items;
  /* While searching: the ids of the matching members, in list order. */
  GArray          *hits;
  /* Every member's place in the current sort order, for sorting the hits; NULL until a
   * search needs it. */
  RgMemberOrder   *order;
  GHashTable      *pages;
  GQueue           lru;
  sqlite3_stmt    *queries[N_PAGE_QUERIES];
  guint            fetch_count;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_SORT_KEY,
  PROP_SORT_DESCENDING,
  PROP_N_ITEMS,
  N_PROPS
};

static const struct {
  const char          *expression;
  RgMemberChangeFlags  changes;
  gboolean             is_text;
} sort_keys[] = {
  /* The expressions are those of the partial indexes in migration 2. */
  [RG_MEMBER_SORT_NAME] = { "m.name COLLATE NOCASE", RG_MEMBER_CHANGE_NAME, TRUE },
  [RG_MEMBER_SORT_MEMBER_NUMBER] = { "coalesce (m.member_number, '')",
                                     RG_MEMBER_CHANGE_MEMBER_NUMBER, TRUE },
  [RG_MEMBER_SORT_CREATED] = { "m.created_at", RG_MEMBER_CHANGE_CREATED_AT, FALSE },
  [RG_MEMBER_SORT_POINTS_BALANCE] = { "m.points_balance", RG_MEMBER_CHANGE_BALANCES, FALSE },
  [RG_MEMBER_SORT_STORED_VALUE] = { "m.stored_value", RG_MEMBER_CHANGE_BALANCES, FALSE },
};

#define SEARCHED_CHANGES (RG_MEMBER_CHANGE_MEMBER_NUMBER | RG_MEMBER_CHANGE_NAME | \
                          RG_MEMBER_CHANGE_PHONE | RG_MEMBER_CHANGE_EMAIL)

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_ENUM_TYPE (RgMemberSortKey, rg_member_sort_key,
  G_DEFINE_ENUM_VALUE (RG_MEMBER_SORT_NAME, "name"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_SORT_MEMBER_NUMBER, "member-number"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_SORT_CREATED, "created"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_SORT_POINTS_BALANCE, "points-balance"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_SORT_STORED_VALUE, "stored-value"))

G_DEFINE_FINAL_TYPE_WITH_CODE (RgMemberList, rg_member_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static sqlite3 *
get_db (RgMemberList *self)
{
  return rg_store_get_db (rg_member_store_get_store (self->store));
}

static void
warn_db (RgMemberList *self,
         const char   *doing)
{
  g_warning ("Members list: %s failed: %s", doing, sqlite3_errmsg (get_db (self)));
}

static gboolean
is_searching (RgMemberList *self)
{
  return self->match != NULL || self->match_nothing;
}

static void
clear_queries (RgMemberList *self)
{
  for (guint i = 0; i < N_PAGE_QUERIES; i++)
    g_clear_pointer (&self->queries[i], sqlite3_finalize);
}

static void
clear_pages (RgMemberList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_init (&self->lru);
}

static void
drop_page (RgMemberList *self,
           Page         *page)
{
  g_queue_unlink (&self->lru, &page->lru_link);
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

/* After an insertion or removal at @position every later row moved: forget those pages. */
static void
drop_pages_from (RgMemberList *self,
                 guint         position)
{
  guint first = position / PAGE_SIZE;
  GList *link = self->lru.head;

  while (link != NULL)
    {
      Page *page = link->data;

      link = link->next;
      if (page->index >= first)
        drop_page (self, page);
    }
}

static sqlite3_stmt *
get_query (RgMemberList *self,
           QueryKind     kind)
{
  g_autoptr(GString) sql = NULL;
  const char *key = sort_keys[self->sort_key].expression;
  gboolean greater;
  gboolean ascending;

  if (self->queries[kind] != NULL)
    return self->queries[kind];

  sql = g_string_new (NULL);
  if (kind == QUERY_BY_IDS)
    g_string_append (sql, "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
                          " WHERE m.id IN (SELECT value FROM json_each (:ids))");
  else if (kind == QUERY_COUNT_BEFORE)
    g_string_append (sql, "SELECT count(*) FROM members m WHERE m.deleted_at IS NULL");
  else
    g_string_append (sql, "SELECT " RG_MEMBER_SELECT_COLUMNS
                          " FROM members m WHERE m.deleted_at IS NULL");

  /* Rows after the cursor in list order are greater in an ascending list; the form
   * "k >= :k AND (k > :k OR id > :id)" is a range on the sort index, a row value
   * comparison with a collation or an expression is not. */
  if (kind != QUERY_OFFSET && kind != QUERY_BY_IDS)
    {
      greater = (kind == QUERY_AFTER) != self->descending;
      g_string_append_printf (sql, " AND %s %s= :key AND (%s %s :key OR m.id %s :id)",
                              key, greater ? ">" : "<",
                              key, greater ? ">" : "<",
                              greater ? ">" : "<");
    }

  if (kind != QUERY_COUNT_BEFORE && kind != QUERY_BY_IDS)
    {
      ascending = (kind == QUERY_BEFORE) == self->descending;
      g_string_append_printf (sql, " ORDER BY %s %s, m.id %s LIMIT :limit",
                              key, ascending ? "ASC" : "DESC", ascending ? "ASC" : "DESC");
      if (kind == QUERY_OFFSET)
        g_string_append (sql, " OFFSET :offset");
    }

  if (sqlite3_prepare_v2 (get_db (self), sql->str, -1, &self->queries[kind], NULL) != SQLITE_OK)
    {
      warn_db (self, "preparing a page query");
      return NULL;
    }

  return self->queries[kind];
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_named_int64 (sqlite3_stmt *stmt,
                  const char   *name,
                  gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_cursor (RgMemberList *self,
             sqlite3_stmt *stmt,
             RgMember     *member)
{
  switch (self->sort_key)
    {
    case RG_MEMBER_SORT_NAME:
      bind_named_text (stmt, ":key", rg_member_get_name (member));
      break;

    case RG_MEMBER_SORT_MEMBER_NUMBER:
      {
        const char *number = rg_member_get_member_number (member);
        bind_named_text (stmt, ":key", number != NULL ? number : "");
      }
      break;

    case RG_MEMBER_SORT_CREATED:
      bind_named_int64 (stmt, ":key", rg_member_get_created_at (member));
      break;

    case RG_MEMBER_SORT_POINTS_BALANCE:
      bind_named_int64 (stmt, ":key", rg_member_get_points_balance (member));
      break;

    case RG_MEMBER_SORT_STORED_VALUE:
      bind_named_int64 (stmt, ":key", rg_member_get_stored_value (member));
      break;

    default:
      g_assert_not_reached ();
    }

  bind_named_int64 (stmt, ":id", rg_member_get_id (member));
}

static void
prepare_run (RgMemberList *self,
             sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (self->match != NULL)
    bind_named_text (stmt, ":match", self->match);
  bind_named_int64 (stmt, ":limit", PAGE_SIZE);
  self->fetch_count++;
}

static GPtrArray *
run_page_query (RgMemberList *self,
                sqlite3_stmt *stmt)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (PAGE_SIZE, g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, _rg_member_store_member_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      warn_db (self, "reading a page of members");
      sqlite3_reset (stmt);
      return NULL;
    }

  sqlite3_reset (stmt);
  return g_steal_pointer (&items);
}

static Page *
lookup_page (RgMemberList *self,
             guint         index)
{
  return g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
}

static GArray *
run_hits_query (RgMemberList *self,
                const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (sqlite3_prepare_v2 (get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      warn_db (self, "preparing a search");
      return hits;
    }
  prepare_run (self, stmt);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (hits, id);
    }
  if (rc != SQLITE_DONE)
    warn_db (self, "searching members");

  return hits;
}

/* The ids of every listed member while searching, in list order. */
static GArray *
load_hits (RgMemberList *self)
{
  g_autoptr(GString) sql = NULL;
  g_autoptr(GArray) hits = NULL;
  const char *direction = self->descending ? "DESC" : "ASC";

  if (self->match_nothing)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Deleted members are not in the search index (migration 2's triggers). */
  hits = run_hits_query (self, "SELECT rowid FROM members_fts WHERE members_fts MATCH :match");

  if (self->order == NULL)
    self->order = rg_member_order_new (get_db (self), sort_keys[self->sort_key].expression);
  if (rg_member_order_sort (self->order, hits, self->descending, &self->fetch_count))
    return g_steal_pointer (&hits);

  sql = g_string_new ("SELECT m.id FROM members m WHERE m.deleted_at IS NULL AND m.id IN"
                      " (SELECT rowid FROM members_fts WHERE members_fts MATCH :match)");
  g_string_append_printf (sql, " ORDER BY %s %s, m.id %s",
                          sort_keys[self->sort_key].expression, direction, direction);
  return run_hits_query (self, sql->str);
}

static GPtrArray *
read_hits_page (RgMemberList *self,
                guint         index)
{
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) ids = g_string_new ("[");
  guint start = index * PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->hits->len);
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = start; i < end; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > start ? "," : "",
                            g_array_index (self->hits, gint64, i));
  g_string_append_c (ids, ']');

  if ((stmt = get_query (self, QUERY_BY_IDS)) == NULL)
    return NULL;
  prepare_run (self, stmt);
  bind_named_text (stmt, ":ids", ids->str);

  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RgMember *member = _rg_member_store_member_from_row (stmt);
      gint64 *key = g_new (gint64, 1);

      *key = rg_member_get_id (member);
      g_hash_table_insert (by_id, key, member);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      warn_db (self, "reading a page of search results");
      return NULL;
    }

  items = g_ptr_array_new_full (end - start, g_object_unref);
  for (guint i = start; i < end; i++)
    {
      RgMember *member = g_hash_table_lookup (by_id, &g_array_index (self->hits, gint64, i));

      /* Deleted by another connection meanwhile: the page ends here until a reload. */
      if (member == NULL)
        break;
      g_ptr_array_add (items, g_object_ref (member));
    }

  return g_steal_pointer (&items);
}

static Page *
load_page (RgMemberList *self,
           guint         index)
{
  Page *previous = index > 0 ? lookup_page (self, index - 1) : NULL;
  Page *next = lookup_page (self, index + 1);
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  Page *page;

  if (is_searching (self))
    items = read_hits_page (self, index);
  else if (previous != NULL && previous->items->len == PAGE_SIZE)
    {
      if ((stmt = get_query (self, QUERY_AFTER)) == NULL)
        return NULL;
      prepare_run (self, stmt);
      bind_cursor (self, stmt, g_ptr_array_index (previous->items, PAGE_SIZE - 1));
      items = run_page_query (self, stmt);
    }
  else if (next != NULL && next->items->len > 0)
    {
      if ((stmt = get_query (self, QUERY_BEFORE)) == NULL)
        return NULL;
      prepare_run (self, stmt);
      bind_cursor (self, stmt, g_ptr_array_index (next->items, 0));
      if ((items = run_page_query (self, stmt)) != NULL)
        {
          /* Read backwards from the next page's first row. */
          for (guint i = 0; i < items->len / 2; i++)
            {
              gpointer swap = items->pdata[i];
              items->pdata[i] = items->pdata[items->len - 1 - i];
              items->pdata[items->len - 1 - i] = swap;
            }
        }
    }
  else
    {
      if ((stmt = get_query (self, QUERY_OFFSET)) == NULL)
        return NULL;
      prepare_run (self, stmt);
      bind_named_int64 (stmt, ":offset", (gint64) index * PAGE_SIZE);
      items = run_page_query (self, stmt);
    }

  if (items == NULL)
    return NULL;

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_steal_pointer (&items);
  page->lru_link.data = page;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  g_queue_push_head_link (&self->lru, &page->lru_link);

  while (self->lru.length > MAX_PAGES)
    drop_page (self, g_queue_peek_tail (&self->lru));

  return page;
}

static gboolean
count_items (RgMemberList *self,
             guint        *n_items)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *sql;

  *n_items = 0;
  if (is_searching (self))
    {
      g_clear_pointer (&self->hits, g_array_unref);
      self->hits = load_hits (self);
      *n_items = self->hits->len;
      return TRUE;
    }

  g_clear_pointer (&self->hits, g_array_unref);
  sql = "SELECT live FROM member_count WHERE id = 1";

  if (sqlite3_prepare_v2 (get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      warn_db (self, "preparing the count");
      return FALSE;
    }
  prepare_run (self, stmt);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      warn_db (self, "counting members");
      return FALSE;
    }

  *n_items = CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  return TRUE;
}

static guint
ensure_n_items (RgMemberList *self)
{
  if (!self->n_items_valid && count_items (self, &self->n_items))
    self->n_items_valid = TRUE;
  return self->n_items;
}

static GType
rg_member_list_get_item_type (GListModel *model)
{
  return RG_TYPE_MEMBER;
}

static guint
rg_member_list_get_n_items (GListModel *model)
{
  return ensure_n_items (RG_MEMBER_LIST (model));
}

static gpointer
rg_member_list_get_item (GListModel *model,
                         guint       position)
{
  RgMemberList *self = RG_MEMBER_LIST (model);
  guint index = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  Page *page;

  if (position >= ensure_n_items (self))
    return NULL;

  if ((page = lookup_page (self, index)) != NULL)
    {
      g_queue_unlink (&self->lru, &page->lru_link);
      g_queue_push_head_link (&self->lru, &page->lru_link);
    }
  else if ((page = load_page (self, index)) == NULL)
    return NULL;

  if (offset >= page->items->len)
    {
      /* Another connection removed rows without telling us; the next reload fixes it. */
      g_debug ("Members list: position %u is past the rows the database has now", position);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rg_member_list_get_item_type;
  iface->get_n_items = rg_member_list_get_n_items;
  iface->get_item = rg_member_list_get_item;
}

static void
set_n_items (RgMemberList *self,
             guint         n_items)
{
  gboolean changed = self->n_items != n_items;

  self->n_items = n_items;
  self->n_items_valid = TRUE;
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
reload (RgMemberList *self,
        gboolean      recount)
{
  guint old_n_items = self->n_items;
  guint new_n_items = self->n_items;

  clear_pages (self);

  /* Nobody has seen a count yet: the first get_n_items() reads the new one. */
  if (!self->n_items_valid)
    {
      g_clear_pointer (&self->hits, g_array_unref);
      return;
    }

  /* A search's matches are kept in list order: a new order reads them again. */
  if ((recount || is_searching (self)) && !count_items (self, &new_n_items))
    new_n_items = 0;
  set_n_items (self, new_n_items);

  if (old_n_items > 0 || new_n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, new_n_items);
}

/* Reads a search's matches again and reports only the stretch that differs. */
static void
refresh_hits (RgMemberList *self)
{
  g_autoptr(GArray) old = g_steal_pointer (&self->hits);
  GArray *fresh = load_hits (self);
  guint prefix = 0;
  guint suffix = 0;
  guint removed;
  guint added;

  self->hits = fresh;
  if (old == NULL)
    return;

  while (prefix < old->len && prefix < fresh->len &&
         g_array_index (old, gint64, prefix) == g_array_index (fresh, gint64, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < fresh->len - prefix &&
         g_array_index (old, gint64, old->len - 1 - suffix) ==
         g_array_index (fresh, gint64, fresh->len - 1 - suffix))
    suffix++;

  removed = old->len - prefix - suffix;
  added = fresh->len - prefix - suffix;
  if (removed == 0 && added == 0)
    return;

  drop_pages_from (self, prefix);
  set_n_items (self, fresh->len);
  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}

static gboolean
find_cached (RgMemberList  *self,
             gint64         member_id,
             guint         *position,
             RgMember     **member)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          RgMember *item = g_ptr_array_index (page->items, i);

          if (rg_member_get_id (item) == member_id)
            {
              *position = page->index * PAGE_SIZE + i;
              *member = item;
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* The member's row, deleted or not. */
static RgMember *
load_member (RgMemberList *self,
             gint64        member_id,
             gboolean     *deleted)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (get_db (self),
                          "SELECT " RG_MEMBER_SELECT_COLUMNS ", m.deleted_at IS NOT NULL"
                          " FROM members m WHERE m.id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      warn_db (self, "preparing a member query");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, member_id);
  self->fetch_count++;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  if (deleted != NULL)
    *deleted = sqlite3_column_int (stmt, RG_MEMBER_N_SELECT_COLUMNS) != 0;
  return _rg_member_store_member_from_row (stmt);
}

/* Where @member is (or would be) in the list: the number of listed rows before it. */
static gboolean
position_of (RgMemberList *self,
             RgMember     *member,
             guint        *position)
{
  sqlite3_stmt *stmt = get_query (self, QUERY_COUNT_BEFORE);

  if (stmt == NULL)
    return FALSE;

  prepare_run (self, stmt);
  bind_cursor (self, stmt, member);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      warn_db (self, "finding a member's position");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static void
insert_at (RgMemberList *self,
           guint         position)
{
  drop_pages_from (self, position);
  set_n_items (self, self->n_items + 1);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
remove_at (RgMemberList *self,
           guint         position)
{
  drop_pages_from (self, position);
  set_n_items (self, self->n_items - 1);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
on_member_added (RgMemberList  *self,
                 gint64         member_id,
                 RgMemberStore *store)
{
  g_autoptr(RgMember) member = NULL;
  guint position;

  if (self->order != NULL)
    rg_member_order_place (self->order, member_id, &self->fetch_count);

  if (!self->n_items_valid)
    return;

  if (is_searching (self))
    {
      refresh_hits (self);
      return;
    }

  if ((member = load_member (self, member_id, NULL)) == NULL || !position_of (self, member, &position))
    {
      reload (self, TRUE);
      return;
    }

  insert_at (self, MIN (position, self->n_items));
}

static void
on_member_removed (RgMemberList  *self,
                   gint64         member_id,
                   RgMemberStore *store)
{
  g_autoptr(RgMember) member = NULL;
  RgMember *cached;
  guint position;

  if (self->order != NULL)
    rg_member_order_forget (self->order, member_id);

  if (!self->n_items_valid)
    return;

  if (is_searching (self))
    {
      refresh_hits (self);
      return;
    }

  if (!find_cached (self, member_id, &position, &cached))
    {
      /* The row is still there, deleted: the live rows before it are its old position. */
      if ((member = load_member (self, member_id, NULL)) == NULL || !position_of (self, member, &position))
        {
          reload (self, TRUE);
          return;
        }
    }

  if (position < self->n_items)
    remove_at (self, position);
}

static void
on_member_changed (RgMemberList        *self,
                   gint64               member_id,
                   RgMemberChangeFlags  changes,
                   RgMemberStore       *store)
{
  g_autoptr(RgMember) fresh = NULL;
  RgMember *cached = NULL;
  guint old_position;
  guint new_position;
  gboolean may_move;

  if (self->order != NULL && (changes & sort_keys[self->sort_key].changes) != 0)
    rg_member_order_place (self->order, member_id, &self->fetch_count);

  if (!self->n_items_valid)
    return;

  may_move = (changes & sort_keys[self->sort_key].changes) != 0 ||
             (is_searching (self) && (changes & SEARCHED_CHANGES) != 0);

  if (is_searching (self))
    {
      if (may_move)
        refresh_hits (self);
      /* A row that kept its place is refreshed where it is. */
      if (find_cached (self, member_id, &old_position, &cached) &&
          (fresh = load_member (self, member_id, NULL)) != NULL)
        rg_member_assign (cached, fresh);
      return;
    }

  if (!find_cached (self, member_id, &old_position, &cached))
    {
      /* Not on a cached page: nothing to refresh unless rows may have shifted, and then we
       * cannot know from where. */
      if (may_move)
        reload (self, TRUE);
      return;
    }

  if ((fresh = load_member (self, member_id, NULL)) == NULL)
    {
      reload (self, TRUE);
      return;
    }

  if (!may_move)
    {
      rg_member_assign (cached, fresh);
      return;
    }

  if (!position_of (self, fresh, &new_position))
    {
      reload (self, TRUE);
      return;
    }

  if (new_position == old_position)
    {
      rg_member_assign (cached, fresh);
      return;
    }

  remove_at (self, old_position);
  insert_at (self, MIN (new_position, self->n_items));
}

static void
on_members_changed (RgMemberList  *self,
                    RgMemberStore *store)
{
  if (self->order != NULL)
    rg_member_order_invalidate (self->order);
  reload (self, TRUE);
}

static void
set_store (RgMemberList  *self,
           RgMemberStore *store)
{
  g_assert (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "member-added",
                           G_CALLBACK (on_member_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "member-removed",
                           G_CALLBACK (on_member_removed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "member-changed",
                           G_CALLBACK (on_member_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "members-changed",
                           G_CALLBACK (on_members_changed), self, G_CONNECT_SWAPPED);
}

static void
rg_member_list_dispose (GObject *object)
{
  RgMemberList *self = (RgMemberList *)object;

  clear_queries (self);
  clear_pages (self);
  g_clear_pointer (&self->order, rg_member_order_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_member_list_parent_class)->dispose (object);
}

static void
rg_member_list_finalize (GObject *object)
{
  RgMemberList *self = (RgMemberList *)object;

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->match, g_free);

  G_OBJECT_CLASS (rg_member_list_parent_class)->finalize (object);
}

static void
rg_member_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgMemberList *self = RG_MEMBER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_SORT_KEY:
      g_value_set_enum (value, self->sort_key);
      break;

    case PROP_SORT_DESCENDING:
      g_value_set_boolean (value, self->descending);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, ensure_n_items (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgMemberList *self = RG_MEMBER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;

    case PROP_SEARCH:
      rg_member_list_set_search (self, g_value_get_string (value));
      break;

    case PROP_SORT_KEY:
      rg_member_list_set_sort_key (self, g_value_get_enum (value));
      break;

    case PROP_SORT_DESCENDING:
      rg_member_list_set_sort_descending (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_list_class_init (RgMemberListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_member_list_dispose;
  object_class->finalize = rg_member_list_finalize;
  object_class->get_property = rg_member_list_get_property;
  object_class->set_property = rg_member_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberList:search:
   * What the user typed into the search entry; members whose name, phone, email or member
   * number match every word are listed.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SORT_KEY] =
    g_param_spec_enum ("sort-key", NULL, NULL,
                       RG_TYPE_MEMBER_SORT_KEY,
                       RG_MEMBER_SORT_NAME,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SORT_DESCENDING] =
    g_param_spec_boolean ("sort-descending", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberList:n-items:
   * The number of listed members, for a count next to the search entry.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_list_init (RgMemberList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  g_queue_init (&self->lru);
}

RgMemberList *
rg_member_list_new (RgMemberStore *store)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (store), NULL);

  return g_object_new (RG_TYPE_MEMBER_LIST, "store", store, NULL);
}

RgMemberStore *
rg_member_list_get_store (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), NULL);

  return self->store;
}

const char *
rg_member_list_get_search (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), NULL);

  return self->search;
}

/**
 * rg_member_list_set_search:
 * @search: (nullable): free text; %NULL or blank lists every member
 *
 * Emits #GListModel::items-changed for the whole list.
 */
void
rg_member_list_set_search (RgMemberList *self,
                           const char   *search)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *match = NULL;

  g_return_if_fail (RG_IS_MEMBER_LIST (self));

  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);

  trimmed = g_strstrip (g_strdup (search != NULL ? search : ""));
  if (trimmed[0] != '\0')
    match = rg_fts_build_query (trimmed);

  g_clear_pointer (&self->match, g_free);
  self->match = g_steal_pointer (&match);
  self->match_nothing = trimmed[0] != '\0' && self->match == NULL;

  clear_queries (self);
  if (self->store != NULL)
    reload (self, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

RgMemberSortKey
rg_member_list_get_sort_key (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), RG_MEMBER_SORT_NAME);

  return self->sort_key;
}

/**
 * rg_member_list_set_sort_key:
 *
 * Emits #GListModel::items-changed for the whole list; the count is not read again.
 */
void
rg_member_list_set_sort_key (RgMemberList    *self,
                             RgMemberSortKey  sort_key)
{
  g_return_if_fail (RG_IS_MEMBER_LIST (self));
  g_return_if_fail (sort_key < G_N_ELEMENTS (sort_keys));

  if (self->sort_key == sort_key)
    return;

  self->sort_key = sort_key;
  clear_queries (self);
  g_clear_pointer (&self->order, rg_member_order_free);
  if (self->store != NULL)
    reload (self, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_KEY]);
}

gboolean
rg_member_list_get_sort_descending (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), FALSE);

  return self->descending;
}

void
rg_member_list_set_sort_descending (RgMemberList *self,
                                    gboolean      descending)
{
  g_return_if_fail (RG_IS_MEMBER_LIST (self));

  descending = !!descending;
  if (self->descending == descending)
    return;

  self->descending = descending;
  clear_queries (self);
  if (self->store != NULL)
    reload (self, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_DESCENDING]);
}

/**
 * rg_member_list_find_position:
 * @position: (out): where the member is listed
 *
 * For selecting a member that was just added or found by other means.
 *
 * Returns: %FALSE when the member is not listed (deleted, or not matching the search)
 */
gboolean
rg_member_list_find_position (RgMemberList *self,
                              gint64        member_id,
                              guint        *position)
{
  g_autoptr(RgMember) member = NULL;
  RgMember *cached;
  gboolean deleted = FALSE;

  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  if (find_cached (self, member_id, position, &cached))
    return TRUE;

  if (is_searching (self))
    {
      ensure_n_items (self);
      for (guint i = 0; self->hits != NULL && i < self->hits->len; i++)
        {
          if (g_array_index (self->hits, gint64, i) == member_id)
            {
              *position = i;
              return TRUE;
            }
        }
      return FALSE;
    }

  if ((member = load_member (self, member_id, &deleted)) == NULL || deleted)
    return FALSE;

  return position_of (self, member, position) && *position < ensure_n_items (self);
}

/**
 * rg_member_list_reload:
 *
 * Forgets every cached row and reads the count again; for changes the store did not
 * report (another process wrote the database).
 */
void
rg_member_list_reload (RgMemberList *self)
{
  g_return_if_fail (RG_IS_MEMBER_LIST (self));

  reload (self, TRUE);
}

/**
 * rg_member_list_get_fetch_count:
 *
 * Returns: how many queries the list has run so far, so tests can prove it is lazy
 */
guint
rg_member_list_get_fetch_count (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), 0);

  return self->fetch_count;
}

/**
 * rg_member_list_get_n_cached_pages:
 *
 * Returns: how many pages of rows the list holds now (at most 20 of 100 rows)
 */
guint
rg_member_list_get_n_cached_pages (RgMemberList *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_LIST (self), 0);

  return g_hash_table_size (self->pages);
}
