/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include "rg-member-order.h"
#include "rg-store.h"

/*
 * RgMemberOrder: where every live member stands in one sort order of the members list, kept
 * in memory, so that a search's matches (member ids, straight from the FTS index) are put in
 * list order without reading a member row.
 *
 * Why: ordering the matches in SQL looks every match up in the members table for its sort
 * key, about 2 µs a match: 60 ms for a word that a million members' list matches 30,000
 * times. Here each live member has a 64-bit key, indexed by member id, that grows with the
 * list order; sorting matches is a radix sort of their keys, about 20 ns a match.
 *
 * The keys are the ranks spread GAP apart, read in one scan of the sort index the first time
 * a search needs them (a million members: about 100 ms, 8 MB). A member added, restored or
 * moved later takes the midpoint between its new neighbours' keys, found with two seeks on the
 * same index; only when two neighbours have no room left between them, or a change cannot be
 * followed member by member, are the keys read again, at the next search.
 */

#define GAP_BITS 20
#define GAP      (G_GUINT64_CONSTANT (1) << GAP_BITS)
/* Member ids are dense (SQLite hands out max + 1); past this the list sorts in SQL. */
#define MAX_ID   (G_GINT64_CONSTANT (1) << 28)

#define RADIX_BITS 11
#define RADIX      (1u << RADIX_BITS)

typedef struct
{
  guint64 key;
  gint64  id;
} Entry;

struct _RgMemberOrder
{
  sqlite3      *db;
  char         *expression;

  /* By member id; 0 = not a live member (or not known yet). */
  guint64      *keys;
  gsize         n_keys;
  gboolean      valid;

  sqlite3_stmt *value;
  sqlite3_stmt *previous;
  sqlite3_stmt *next;
};

/**
 * rg_member_order_new:
 * @db: the database
 * @expression: the ascending sort expression over `members m`, as in the list's partial
 *   indexes (e.g. "m.name COLLATE NOCASE"); ties are broken by member id
 *
 * Nothing is read until the first rg_member_order_sort().
 */
RgMemberOrder *
rg_member_order_new (sqlite3    *db,
                     const char *expression)
{
  RgMemberOrder *self = g_new0 (RgMemberOrder, 1);

  self->db = db;
  self->expression = g_strdup (expression);
  return self;
}

void
rg_member_order_free (RgMemberOrder *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->value, sqlite3_finalize);
  g_clear_pointer (&self->previous, sqlite3_finalize);
  g_clear_pointer (&self->next, sqlite3_finalize);
  g_free (self->keys);
  g_free (self->expression);
  g_free (self);
}

/**
 * rg_member_order_invalidate:
 *
 * Members changed in ways that cannot be followed one by one (a bulk import, a change on
 * another connection): the keys are read again at the next sort.
 */
void
rg_member_order_invalidate (RgMemberOrder *self)
{
  self->valid = FALSE;
}

static gboolean
ensure_capacity (RgMemberOrder *self,
                 gint64         member_id)
{
  gsize wanted;

  if (member_id < 0 || member_id >= MAX_ID)
    return FALSE;
  if ((gsize) member_id < self->n_keys)
    return TRUE;

  wanted = MAX ((gsize) member_id + 1, self->n_keys * 2);
  self->keys = g_renew (guint64, self->keys, wanted);
  memset (self->keys + self->n_keys, 0, (wanted - self->n_keys) * sizeof (guint64));
  self->n_keys = wanted;
  return TRUE;
}

static guint64
lookup_key (RgMemberOrder *self,
            gint64         member_id)
{
  if (member_id < 0 || (guint64) member_id >= self->n_keys)
    return 0;
  return self->keys[member_id];
}

static gboolean
build (RgMemberOrder *self)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint64 rank = 0;
  int rc;

  sql = g_strdup_printf ("SELECT m.id FROM members m WHERE m.deleted_at IS NULL"
                         " ORDER BY %s, m.id", self->expression);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Members order: preparing the scan failed: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }

  if (self->keys != NULL)
    memset (self->keys, 0, self->n_keys * sizeof (guint64));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!ensure_capacity (self, id))
        {
          g_debug ("Members order: member id %" G_GINT64_FORMAT " is too large to keep; "
                   "sorting in SQL", id);
          return FALSE;
        }
      self->keys[id] = ++rank << GAP_BITS;
    }
  if (rc != SQLITE_DONE)
    {
      g_warning ("Members order: reading the order failed: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }

  self->valid = TRUE;
  return TRUE;
}

/* LSD radix sort on the keys; as many passes as the largest key has digits. */
static void
radix_sort (Entry *entries,
            guint  n)
{
  g_autofree Entry *scratch = NULL;
  g_autofree guint *counts = NULL;
  guint64 largest = 0;
  Entry *from = entries;
  Entry *to;

  if (n < 2)
    return;

  for (guint i = 0; i < n; i++)
    largest = MAX (largest, entries[i].key);

  scratch = g_new (Entry, n);
  counts = g_new (guint, RADIX);
  to = scratch;

  for (guint shift = 0; shift < 64 && (largest >> shift) != 0; shift += RADIX_BITS)
    {
      guint total = 0;
      Entry *swap;

      memset (counts, 0, RADIX * sizeof (guint));
      for (guint i = 0; i < n; i++)
        counts[(from[i].key >> shift) & (RADIX - 1)]++;
      for (guint d = 0; d < RADIX; d++)
        {
          guint count = counts[d];

          counts[d] = total;
          total += count;
        }
      for (guint i = 0; i < n; i++)
        to[counts[(from[i].key >> shift) & (RADIX - 1)]++] = from[i];

      swap = from;
      from = to;
      to = swap;
    }

  if (from != entries)
    memcpy (entries, from, n * sizeof (Entry));
}

/* The keys of @ids that have one; FALSE if some have none. */
static gboolean
collect_keys (RgMemberOrder *self,
              GArray        *ids,
              Entry         *entries,
              guint         *n)
{
  gboolean all_known = TRUE;

  *n = 0;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      guint64 key = lookup_key (self, id);

      if (key != 0)
        entries[(*n)++] = (Entry) { key, id };
      else
        all_known = FALSE;
    }
  return all_known;
}

/**
 * rg_member_order_sort:
 * @ids: (element-type gint64): member ids, each once
 * @descending: whether the list runs in descending order
 * @queries: (inout): counts the queries run
 *
 * Puts @ids in list order, reading the keys first if they are not known. An id that is not a
 * live member is dropped.
 *
 * Returns: %FALSE if the order cannot be kept in memory (the caller sorts in SQL); @ids is
 *   then untouched
 */
gboolean
rg_member_order_sort (RgMemberOrder *self,
                      GArray        *ids,
                      gboolean       descending,
                      guint         *queries)
{
  g_autofree Entry *entries = NULL;
  gboolean rebuilt = FALSE;
  guint n = 0;

  g_return_val_if_fail (g_array_get_element_size (ids) == sizeof (gint64), FALSE);

  if (!self->valid)
    {
      (*queries)++;
      if (!build (self))
        return FALSE;
      rebuilt = TRUE;
    }

  entries = g_new (Entry, MAX (ids->len, 1));
  /* An id without a key is a member the search index knows and we do not: added on
   * another connection. Read the keys again, once; then it is not a live member. */
  if (!collect_keys (self, ids, entries, &n) && !rebuilt)
    {
      (*queries)++;
      if (!build (self))
        return FALSE;
      collect_keys (self, ids, entries, &n);
    }

  radix_sort (entries, n);

  g_array_set_size (ids, n);
  for (guint i = 0; i < n; i++)
    g_array_index (ids, gint64, i) = entries[descending ? n - 1 - i : i].id;

  return TRUE;
}

/* The three statements that follow one member, prepared once. */
static gboolean
ensure_statements (RgMemberOrder *self)
{
  const char *key = self->expression;
  g_autofree char *value = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *next = NULL;

  if (self->value != NULL)
    return TRUE;

  value = g_strdup_printf ("SELECT %s FROM members m WHERE m.id = ?1 AND m.deleted_at IS NULL",
                           key);
  /* "k >= :key AND (k > :key OR id > :id)" is a range on the sort index. */
  previous = g_strdup_printf ("SELECT m.id FROM members m WHERE m.deleted_at IS NULL"
                              " AND %s <= ?1 AND (%s < ?1 OR m.id < ?2)"
                              " ORDER BY %s DESC, m.id DESC LIMIT 1", key, key, key);
  next = g_strdup_printf ("SELECT m.id FROM members m WHERE m.deleted_at IS NULL"
                          " AND %s >= ?1 AND (%s > ?1 OR m.id > ?2)"
                          " ORDER BY %s ASC, m.id ASC LIMIT 1", key, key, key);

  if (sqlite3_prepare_v2 (self->db, value, -1, &self->value, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, previous, -1, &self->previous, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, next, -1, &self->next, NULL) != SQLITE_OK)
    {
      g_warning ("Members order: preparing a query failed: %s", sqlite3_errmsg (self->db));
      g_clear_pointer (&self->value, sqlite3_finalize);
      g_clear_pointer (&self->previous, sqlite3_finalize);
      g_clear_pointer (&self->next, sqlite3_finalize);
      return FALSE;
    }
  return TRUE;
}

/* The live neighbour of @member_id on one side, which has sort value @value: 0 for none,
 * -1 on error. */
static gint64
find_neighbour (sqlite3_stmt  *stmt,
                sqlite3_value *value,
                gint64         member_id)
{
  gint64 id = 0;
  int rc;

  sqlite3_bind_value (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, member_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    id = -1;
  sqlite3_reset (stmt);
  return id;
}

/**
 * rg_member_order_place:
 * @queries: (inout): counts the queries run
 *
 * Follows a member who was added or restored, or whose sort value changed.
 */
void
rg_member_order_place (RgMemberOrder *self,
                       gint64         member_id,
                       guint         *queries)
{
  sqlite3_stmt *stmt;
  gint64 previous;
  gint64 next;
  guint64 lower;
  guint64 upper;

  if (!self->valid)
    return;

  if (!ensure_statements (self))
    {
      self->valid = FALSE;
      return;
    }
  stmt = self->value;
  sqlite3_bind_int64 (stmt, 1, member_id);
  *queries += 3;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      rg_member_order_forget (self, member_id);
      return;
    }

  previous = find_neighbour (self->previous, sqlite3_column_value (stmt, 0), member_id);
  next = find_neighbour (self->next, sqlite3_column_value (stmt, 0), member_id);
  sqlite3_reset (stmt);

  lower = previous > 0 ? lookup_key (self, previous) : 0;
  upper = next > 0 ? lookup_key (self, next) : lower + 2 * GAP;

  /* A neighbour we do not know, or no room between the two: read the keys again. */
  if (previous < 0 || next < 0 || (previous > 0 && lower == 0) || (next > 0 && upper == 0) ||
      upper <= lower + 1 || !ensure_capacity (self, member_id))
    {
      self->valid = FALSE;
      return;
    }

  self->keys[member_id] = lower + (upper - lower) / 2;
}

/**
 * rg_member_order_forget:
 *
 * Follows a member who was deleted.
 */
void
rg_member_order_forget (RgMemberOrder *self,
                        gint64         member_id)
{
  if (member_id >= 0 && (guint64) member_id < self->n_keys)
    self->keys[member_id] = 0;
}
