/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-member-importer-private.h"
#include "rg-member-store-private.h"
#include "rg-phone.h"

/*
 * The writing side of RgMemberImporter: the import's transaction on the worker thread. Each
 * row from the reading thread is looked up (by member number or phone) and then skipped,
 * updated through the RgMemberStore, or added. New members go in batches (see
 * rg-member-importer.c for why); the search index of batch-written members is built in one
 * statement before anything else writes and at the end.
 */

/* The statement sizes of a multi-row INSERT, largest first. */
static const guint chunk_sizes[RG_IMPORT_N_CHUNK_SIZES] = { RG_IMPORT_BATCH_ROWS, 16, 1 };

static gboolean flush_batch  (RunData     *run,
                              GError     **error);
static gboolean index_range  (RunData     *run,
                              GError     **error);
static gboolean skip_indexed (RunData     *run,
                              GError     **error);
static void     set_db_error (RunData     *run,
                              GError     **error,
                              const char  *doing);

static void
pending_row_free (gpointer data)
{
  PendingRow *pending = data;

  g_clear_object (&pending->member);
  g_clear_pointer (&pending->fields, g_ptr_array_unref);
  g_clear_pointer (&pending->tags_json, g_free);
  g_free (pending);
}

static void
pending_attribute_clear (gpointer data)
{
  PendingAttribute *attribute = data;

  g_clear_pointer (&attribute->key, g_free);
  g_clear_pointer (&attribute->value, g_free);
}

static void
bulk_insert_clear (BulkInsert *bulk)
{
  for (guint i = 0; i < RG_IMPORT_N_CHUNK_SIZES; i++)
    g_clear_pointer (&bulk->stmts[i], sqlite3_finalize);
}

/* The member that a row is, or 0. Phone matching normalizes the cell first, with the
 * message of the phone parser when it is not a phone number (@row_error). A key that a row
 * of the batch has sends the batch to the database first, so the lookup finds it. */
static gboolean
find_existing (RunData   *run,
               Prepared  *prepared,
               gint64    *id,
               GError   **row_error,
               GError   **error)
{
  GHashTable *pending_keys;
  const char *key;
  int rc;

  *id = 0;

  if (run->match == RG_MEMBER_IMPORT_MATCH_PHONE)
    {
      if (prepared->key_error != NULL)
        {
          g_propagate_error (row_error, g_steal_pointer (&prepared->key_error));
          return TRUE;
        }
      if ((key = prepared->key) == NULL)
        return TRUE;
      pending_keys = run->pending_phones;
    }
  else
    {
      key = prepared->row.cells[KIND_MEMBER_NUMBER];
      if (key[0] == '\0')
        return TRUE;
      pending_keys = run->pending_numbers;
    }

  if (g_hash_table_contains (pending_keys, key) && !flush_batch (run, error))
    return FALSE;

  sqlite3_bind_text (run->lookup, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (run->lookup);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (run->lookup, 0);
  sqlite3_reset (run->lookup);
  sqlite3_clear_bindings (run->lookup);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (run, error, _("look up members"));
      return FALSE;
    }
  return TRUE;
}

static void
set_db_error (RunData     *run,
              GError     **error,
              const char  *doing)
{
  sqlite3 *db = rg_store_get_db (run->worker_store);

  g_set_error (error, RG_STORE_ERROR,
               (sqlite3_errcode (db) & 0xff) == SQLITE_CONSTRAINT ? RG_STORE_ERROR_CONSTRAINT
                                                                  : RG_STORE_ERROR_SQL,
               /* Translators: “Could not write new members in “regulars.db”: disk I/O error” */
               _("Could not %s in “%s”: %s"), doing, run->db_path, sqlite3_errmsg (db));
}

static sqlite3_stmt *
bulk_insert_get (RunData     *run,
                 BulkInsert  *bulk,
                 guint        size_index,
                 GError     **error)
{
  g_autoptr(GString) sql = NULL;
  guint n_rows = chunk_sizes[size_index];

  if (bulk->stmts[size_index] != NULL)
    return bulk->stmts[size_index];

  sql = g_string_new (bulk->prefix);
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r > 0 ? ", (?" : " (?");
      for (guint c = 1; c < bulk->n_columns; c++)
        g_string_append (sql, ", ?");
      g_string_append_c (sql, ')');
    }

  bulk->stmts[size_index] = rg_store_prepare (run->worker_store, sql->str, error);
  return bulk->stmts[size_index];
}

typedef void (*BindRow) (RunData      *run,
                         sqlite3_stmt *stmt,
                         int           first_param,
                         guint         row);

/* Writes rows [@first, @first + @n) in as few statements as the chunk sizes allow. On a
 * failure, *@failed_first and *@failed_n (when given) say which chunk failed; the
 * statement's own changes are undone by SQLite. */
static gboolean
bulk_insert_run (RunData     *run,
                 BulkInsert  *bulk,
                 guint        first,
                 guint        n,
                 BindRow      bind,
                 guint       *failed_first,
                 guint       *failed_n,
                 GError     **error)
{
  guint row = first;
  guint end = first + n;

  while (row < end)
    {
      guint size_index = 0;
      sqlite3_stmt *stmt;
      int rc;

      while (chunk_sizes[size_index] > end - row)
        size_index++;
      if ((stmt = bulk_insert_get (run, bulk, size_index, error)) == NULL)
        return FALSE;

      for (guint r = 0; r < chunk_sizes[size_index]; r++)
        bind (run, stmt, r * bulk->n_columns + 1, row + r);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          set_db_error (run, error, _("write new members"));
          sqlite3_reset (stmt);
          if (failed_first != NULL)
            *failed_first = row;
          if (failed_n != NULL)
            *failed_n = chunk_sizes[size_index];
          return FALSE;
        }
      sqlite3_reset (stmt);
      row += chunk_sizes[size_index];
    }

  return TRUE;
}

/* id, member_number, name, phone, email, accumulated_points, points_balance, stored_value,
 * tags, note, created_at, updated_at; a NULL text binds NULL */
static void
bind_member (RunData      *run,
             sqlite3_stmt *stmt,
             int           p,
             guint         row)
{
  PendingRow *pending = g_ptr_array_index (run->pending, row);
  RgMember *member = pending->member;
  gint64 created_at = rg_member_get_created_at (member);

  sqlite3_bind_int64 (stmt, p, pending->id);
  sqlite3_bind_text (stmt, p + 1, rg_member_get_member_number (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 2, rg_member_get_name (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 3, rg_member_get_phone (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 4, rg_member_get_email (member), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, p + 5, rg_member_get_accumulated_points (member));
  sqlite3_bind_int64 (stmt, p + 6, rg_member_get_points_balance (member));
  sqlite3_bind_int64 (stmt, p + 7, rg_member_get_stored_value (member));
  sqlite3_bind_text (stmt, p + 8, pending->tags_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 9, rg_member_get_note (member), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, p + 10, created_at > 0 ? created_at : run->now);
  sqlite3_bind_int64 (stmt, p + 11, run->now);
}

/* The opening balances, as rg_member_store_insert() writes them: one ledger row per account
 * that is not zero, one operation per member whose id is its first row's. id, member_id,
 * operation_id, account, delta, balance_after, reason, source, created_at */

static void
bind_ledger (RunData      *run,
             sqlite3_stmt *stmt,
             int           p,
             guint         row)
{
  PendingLedger *entries = (PendingLedger *) run->pending_ledger->data;
  PendingLedger *entry = &entries[row];
  guint first = row;

  while (first > 0 && entries[first - 1].member_id == entry->member_id)
    first--;

  sqlite3_bind_int64 (stmt, p, run->ledger_first_id + row);
  sqlite3_bind_int64 (stmt, p + 1, entry->member_id);
  sqlite3_bind_int64 (stmt, p + 2, run->ledger_first_id + first);
  sqlite3_bind_text (stmt, p + 3, rg_ledger_account_to_string (entry->account), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, p + 4, entry->amount);
  sqlite3_bind_int64 (stmt, p + 5, entry->amount);
  sqlite3_bind_text (stmt, p + 6, run->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 7, RG_LEDGER_SOURCE_IMPORT, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, p + 8, run->now);
}

/* member_id, key, value */
static void
bind_attribute (RunData      *run,
                sqlite3_stmt *stmt,
                int           p,
                guint         row)
{
  PendingAttribute *attribute = &g_array_index (run->pending_attributes, PendingAttribute, row);

  sqlite3_bind_int64 (stmt, p, attribute->member_id);
  sqlite3_bind_text (stmt, p + 1, attribute->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, p + 2, attribute->value, -1, SQLITE_STATIC);
}

static gboolean
query_max_id (RunData       *run,
              sqlite3_stmt  *stmt,
              gint64        *max_id,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  *max_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (run, error, _("read member ids"));
      return FALSE;
    }
  return TRUE;
}

static void
reject_pending (RunData       *run,
                PendingRow    *pending,
                const GError  *row_error,
                GError       **error);

static gboolean
store_insert (RunData   *run,
              RgMember  *member,
              GError   **row_error);

/* The members of the batch go in; rows of a chunk that a constraint refused go again one by
 * one through the member store, which names the value that is taken. */
static gboolean
flush_members (RunData  *run,
               guint    *n_written,
               GError  **error)
{
  g_autoptr(GPtrArray) retry = g_ptr_array_new ();
  gint64 max_id;
  guint row = 0;
  guint n = run->pending->len;

  if (!query_max_id (run, run->max_member_id, &max_id, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    ((PendingRow *) g_ptr_array_index (run->pending, i))->id = max_id + 1 + i;

  *n_written = 0;
  while (row < n)
    {
      g_autoptr(GError) local_error = NULL;
      guint failed_first = 0;
      guint failed_n = 0;

      if (bulk_insert_run (run, &run->insert_members, row, n - row, bind_member,
                           &failed_first, &failed_n, &local_error))
        break;
      if (!g_error_matches (local_error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = failed_first; i < failed_first + failed_n; i++)
        {
          PendingRow *pending = g_ptr_array_index (run->pending, i);

          pending->id = 0;
          g_ptr_array_add (retry, pending);
        }
      row = failed_first + failed_n;
    }

  /* The member store indexes what it writes: index the batch's rows before. */
  if (retry->len > 0 && !index_range (run, error))
    return FALSE;

  for (guint i = 0; i < retry->len; i++)
    {
      PendingRow *pending = g_ptr_array_index (retry, i);
      g_autoptr(GError) row_error = NULL;

      if (store_insert (run, pending->member, &row_error))
        continue;
      if (row_error->domain != RG_MEMBER_ERROR &&
          !g_error_matches (row_error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT))
        {
          g_propagate_error (error, g_steal_pointer (&row_error));
          return FALSE;
        }
      reject_pending (run, pending, row_error, error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  *n_written = n - retry->len;
  return retry->len == 0 || skip_indexed (run, error);
}

static gboolean
flush_batch (RunData  *run,
             GError  **error)
{
  static const RgLedgerAccount accounts[] = {
    RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS,
    RG_LEDGER_ACCOUNT_POINTS_BALANCE,
    RG_LEDGER_ACCOUNT_STORED_VALUE,
  };
  guint n_written = 0;
  gint64 max_ledger_id;

  if (run->pending->len == 0)
    return TRUE;

  if (!flush_members (run, &n_written, error))
    return FALSE;
  run->n_added += n_written;

  g_array_set_size (run->pending_ledger, 0);
  g_array_set_size (run->pending_attributes, 0);
  g_ptr_array_set_size (run->written, 0);
  for (guint i = 0; i < run->pending->len; i++)
    {
      PendingRow *pending = g_ptr_array_index (run->pending, i);
      RgMember *member = pending->member;
      gint64 amounts[3];
      g_auto(GStrv) keys = NULL;

      /* Rows written again one by one got their index entry, ledger and attributes then. */
      if (pending->id == 0)
        continue;
      g_ptr_array_add (run->written, pending);

      amounts[0] = rg_member_get_accumulated_points (member);
      amounts[1] = rg_member_get_points_balance (member);
      amounts[2] = rg_member_get_stored_value (member);
      for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
        if (amounts[a] != 0)
          {
            PendingLedger entry = { pending->id, accounts[a], amounts[a] };

            g_array_append_val (run->pending_ledger, entry);
          }

      keys = rg_member_dup_attribute_keys (member);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          PendingAttribute attribute = {
            pending->id, g_strdup (keys[k]), g_strdup (rg_member_get_attribute (member, keys[k]))
          };

          g_array_append_val (run->pending_attributes, attribute);
        }
    }

  if (run->written->len > 0)
    {
      sqlite3_bind_int64 (run->count_inserted, 1, run->written->len);
      if (!rg_store_step_done (run->worker_store, run->count_inserted, error))
        return FALSE;
    }

  if (run->pending_ledger->len > 0)
    {
      if (!query_max_id (run, run->max_ledger_id, &max_ledger_id, error))
        return FALSE;
      run->ledger_first_id = max_ledger_id + 1;
      if (!bulk_insert_run (run, &run->insert_ledger, 0, run->pending_ledger->len, bind_ledger,
                            NULL, NULL, error))
        return FALSE;
    }

  if (run->pending_attributes->len > 0 &&
      !bulk_insert_run (run, &run->insert_attributes, 0, run->pending_attributes->len,
                        bind_attribute, NULL, NULL, error))
    return FALSE;

  g_ptr_array_set_size (run->pending, 0);
  g_hash_table_remove_all (run->pending_numbers);
  g_hash_table_remove_all (run->pending_phones);
  return TRUE;
}

/*
 * The search index of the members the batches wrote, in one statement. FTS5 keeps new terms
 * in memory and writes them out whenever a statement inside the transaction opens a
 * savepoint, which every multi-row INSERT does: indexing batch by batch wrote thousands of
 * small segments and merged them again. The members store writes its own index entries,
 * so this runs before it writes (and its update of a member must find the entry to
 * delete), and at the end.
 */
static gboolean
index_range (RunData  *run,
             GError  **error)
{
  gint64 max_id;

  if (!query_max_id (run, run->max_member_id, &max_id, error))
    return FALSE;
  if (max_id < run->unindexed_from)
    return TRUE;

  sqlite3_bind_int64 (run->index_search, 1, run->unindexed_from);
  if (!rg_store_step_done (run->worker_store, run->index_search, error))
    return FALSE;
  run->unindexed_from = max_id + 1;
  return TRUE;
}

static gboolean
index_written (RunData  *run,
               GError  **error)
{
  return flush_batch (run, error) && index_range (run, error);
}

/* After the member store wrote (and indexed) a member. */
static gboolean
skip_indexed (RunData  *run,
              GError  **error)
{
  gint64 max_id;

  if (!query_max_id (run, run->max_member_id, &max_id, error))
    return FALSE;
  run->unindexed_from = max_id + 1;
  return TRUE;
}

/* Through the member store, which writes the ledger and attributes and names a value that
 * is taken. */
static gboolean
store_insert (RunData   *run,
              RgMember  *member,
              GError   **row_error)
{
  gboolean has_totals = rg_member_get_accumulated_points (member) != 0 ||
                        rg_member_get_points_balance (member) != 0 ||
                        rg_member_get_stored_value (member) != 0;

  if (!rg_member_store_insert (run->members, member, RG_LEDGER_SOURCE_IMPORT, row_error))
    return FALSE;
  run->n_added++;
  run->store_opening_balances |= has_totals;
  return TRUE;
}

static gboolean
number_taken (RunData     *run,
              const char  *number,
              gboolean    *taken,
              GError     **error)
{
  int rc;

  sqlite3_bind_text (run->number_taken, 1, number, -1, SQLITE_STATIC);
  rc = sqlite3_step (run->number_taken);
  *taken = rc == SQLITE_ROW;
  sqlite3_reset (run->number_taken);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (run, error, _("look up member numbers"));
      return FALSE;
    }
  return TRUE;
}

/* A new member. FALSE with @error only when the import cannot go on; a row that is refused
 * sets @row_error and returns TRUE. */
static gboolean
insert_row (RunData   *run,
            Prepared  *prepared,
            GError   **row_error,
            GError   **error)
{
  g_autoptr(RgMember) member = g_steal_pointer (&prepared->member);
  Row *row = &prepared->row;
  PendingRow *pending;
  const char *number;
  gboolean taken = FALSE;

  /* Validated on the reading thread. */
  if (member == NULL)
    {
      g_propagate_error (row_error, g_steal_pointer (&prepared->member_error));
      return TRUE;
    }

  /* A member number is unique: matched by number it was looked up already, matched by
   * phone it is looked up now, in the batch and in the database. */
  number = rg_member_get_member_number (member);
  if (number != NULL && run->match == RG_MEMBER_IMPORT_MATCH_PHONE)
    {
      if (g_hash_table_contains (run->pending_numbers, number) && !flush_batch (run, error))
        return FALSE;
      if (!number_taken (run, number, &taken, error))
        return FALSE;
    }

  if (taken ||
      rg_member_get_line_user_id (member) != NULL ||
      rg_member_get_whatsapp_id (member) != NULL ||
      rg_member_get_wechat_openid (member) != NULL)
    {
      if (!index_written (run, error))
        return FALSE;
      store_insert (run, member, row_error);
      return skip_indexed (run, error);
    }

  pending = g_new0 (PendingRow, 1);
  pending->member = g_steal_pointer (&member);
  pending->fields = g_ptr_array_ref (row->fields);
  pending->line = row->line;
  pending->tags_json = _rg_member_tags_to_json (rg_member_get_tags (pending->member));
  g_ptr_array_add (run->pending, pending);

  number = rg_member_get_member_number (pending->member);
  if (number != NULL)
    g_hash_table_add (run->pending_numbers, (gpointer) number);
  if (rg_member_get_phone (pending->member) != NULL)
    g_hash_table_add (run->pending_phones, (gpointer) rg_member_get_phone (pending->member));

  if (run->pending->len >= RG_IMPORT_BATCH_ROWS)
    return flush_batch (run, error);
  return TRUE;
}

typedef struct
{
  RunData *run;
  Row     *row;
  gint64   id;
} UpdateData;

static gboolean
update_in_savepoint (RgStore   *store,
                     gpointer   user_data,
                     GError   **error)
{
  UpdateData *data = user_data;
  RunData *run = data->run;
  g_autoptr(RgMember) member = NULL;
  Totals totals;
  RgBalanceChange change = { 0, };

  if (!_rg_member_import_parse_totals (run, data->row, &totals, error) ||
      (member = rg_member_store_get (run->members, data->id, error)) == NULL ||
      !_rg_member_import_apply_row (run, data->row, member, error) ||
      !rg_member_store_update (run->members, member, error))
    return FALSE;

  /* The file's totals are the new totals; the ledger gets the difference. */
  if (totals.given[0])
    change.accumulated_points = totals.value[0] - rg_member_get_accumulated_points (member);
  if (totals.given[1])
    change.points_balance = totals.value[1] - rg_member_get_points_balance (member);
  if (totals.given[2])
    change.stored_value = totals.value[2] - rg_member_get_stored_value (member);
  if (rg_balance_change_is_empty (&change))
    return TRUE;

  change.reason = run->reason;
  change.source = RG_LEDGER_SOURCE_IMPORT;
  return rg_member_store_adjust (run->members, data->id, &change, error);
}

static gboolean
update_row (RunData  *run,
            Row      *row,
            gint64    id,
            GError  **error)
{
  UpdateData data = { run, row, id };

  /* The edit and the ledger rows stand or fall together. */
  return rg_store_transaction (run->worker_store, update_in_savepoint, &data, error);
}

/* The column a field error is about: the name may come from first and last name columns. */
static int
column_of_field (RunData    *run,
                 Row        *row,
                 const char *field)
{
  if (field == NULL)
    return -1;

  if (g_str_has_prefix (field, RG_MEMBER_FIELD_ATTRIBUTE_PREFIX))
    {
      const char *key = field + strlen (RG_MEMBER_FIELD_ATTRIBUTE_PREFIX);

      for (guint i = 0; i < run->attributes->len; i++)
        {
          AttributeColumn *attribute = &g_array_index (run->attributes, AttributeColumn, i);

          if (g_str_equal (attribute->key, key))
            return attribute->column;
        }
      return -1;
    }

  for (guint k = 0; k < N_KINDS; k++)
    {
      if (!g_str_equal (_rg_member_import_kind_fields[k], field))
        continue;
      if (k == KIND_NAME && run->columns[KIND_NAME] < 0)
        {
          if (row->cells[KIND_FIRST_NAME][0] != '\0' || run->columns[KIND_LAST_NAME] < 0)
            return run->columns[KIND_FIRST_NAME];
          return run->columns[KIND_LAST_NAME];
        }
      return run->columns[k];
    }
  return -1;
}

/* Errors about the row are reported and the import goes on; anything else (the disk, the
 * database) ends it. */
static gboolean
is_row_error (const GError *error)
{
  return error->domain == RG_MEMBER_ERROR ||
         error->domain == RG_PHONE_ERROR ||
         g_error_matches (error, RG_STORE_ERROR, RG_STORE_ERROR_CONSTRAINT);
}

static gboolean
reject_row (RunData       *run,
            Row           *row,
            const GError  *row_error,
            GError       **error)
{
  const char *field = rg_member_error_get_field (row_error);
  int column = column_of_field (run, row, field);
  g_autofree char *value = NULL;

  if (field != NULL && g_str_equal (field, RG_MEMBER_FIELD_NAME))
    value = _rg_member_import_row_name (row);
  else if (column >= 0)
    value = g_strdup (rg_csv_unguard (_rg_member_import_cell_of (row->fields, column)));

  return _rg_member_import_result_add_rejection (run->result, row->line,
                                                 (const char * const *) row->fields->pdata,
                                                 row->fields->len, column, field, value,
                                                 row_error->message, error);
}

/* A row of a batch that the member store refused when it was written again on its own. */
static void
reject_pending (RunData       *run,
                PendingRow    *pending,
                const GError  *row_error,
                GError       **error)
{
  Row row = { { NULL, }, pending->fields, pending->line };

  _rg_member_import_row_point_cells (run, &row);
  reject_row (run, &row, row_error, error);
}

static gboolean
import_row (RunData   *run,
            Prepared  *prepared,
            GError   **error)
{
  g_autoptr(GError) row_error = NULL;
  Row *row = &prepared->row;
  gint64 id = 0;

  if (!find_existing (run, prepared, &id, &row_error, error))
    return FALSE;

  if (row_error == NULL && id == 0)
    {
      if (!insert_row (run, prepared, &row_error, error))
        return FALSE;
    }
  else if (row_error == NULL && run->on_duplicate == RG_MEMBER_IMPORT_DUPLICATE_SKIP)
    run->n_skipped++;
  else if (row_error == NULL)
    {
      /* The member store writes now: the batch goes first, so ids, keys and the search
       * index are in place. */
      if (!index_written (run, error))
        return FALSE;
      if (update_row (run, row, id, &row_error))
        run->n_updated++;
      if (!skip_indexed (run, error))
        return FALSE;
    }

  if (row_error == NULL)
    return TRUE;
  if (!is_row_error (row_error))
    {
      g_propagate_error (error, g_steal_pointer (&row_error));
      return FALSE;
    }
  return reject_row (run, row, row_error, error);
}

static gboolean
query_max_ledger_id (RunData  *run,
                     gint64   *max_id,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rg_store_prepare (run->worker_store, "SELECT coalesce (max (id), 0) FROM ledger", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the ledger of “%s”: %s"),
                   run->db_path, sqlite3_errmsg (rg_store_get_db (run->worker_store)));
      return FALSE;
    }
  *max_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* rg_member_store_insert() records opening balances as such; an import says where they came
 * from. Every ledger row after @first_id is this transaction's (it holds the write lock). */
static gboolean
relabel_opening_balances (RunData  *run,
                          gint64    first_id,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rg_store_prepare (run->worker_store,
                           "UPDATE ledger SET reason = ?1"
                           " WHERE id > ?2 AND source = ?3 AND reason = ?4",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, run->reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first_id);
  sqlite3_bind_text (stmt, 3, RG_LEDGER_SOURCE_IMPORT, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, _("Opening balance"), -1, SQLITE_STATIC);
  return rg_store_step_done (run->worker_store, stmt, error);
}

gboolean
_rg_member_import_in_transaction (RgStore   *store,
                                  gpointer   user_data,
                                  GError   **error)
{
  RunData *run = user_data;
  gint64 ledger_before = 0;
  gboolean last = FALSE;

  if (!query_max_ledger_id (run, &ledger_before, error) ||
      !skip_indexed (run, error))
    return FALSE;

  _rg_member_import_start_reading (run);

  while (!last)
    {
      Chunk *chunk = g_async_queue_pop (run->chunks);
      gboolean ok = TRUE;

      run->bytes_read = chunk->bytes_read;
      run->bytes_total = chunk->bytes_total;
      for (guint i = 0; ok && i < chunk->rows->len; i++)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            ok = FALSE;
          else
            {
              run->n_rows++;
              ok = import_row (run, &g_array_index (chunk->rows, Prepared, i), error);
              _rg_member_import_maybe_post_progress (run);
            }
        }
      if (ok && chunk->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&chunk->error));
          ok = FALSE;
        }
      last = chunk->last;
      _rg_member_import_chunk_free (chunk);
      g_async_queue_push (run->credits, GINT_TO_POINTER (1));
      if (!ok)
        return FALSE;
    }

  if (!index_written (run, error))
    return FALSE;

  if (rg_member_import_result_get_n_rejected (run->result) > 0 && !run->commit_valid)
    {
      /* Roll back; the worker tells this apart from a failure. */
      run->rejected_rollback = TRUE;
      g_set_error_literal (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_EMPTY,
                           "rejected rows");
      return FALSE;
    }

  return !run->store_opening_balances || relabel_opening_balances (run, ledger_before, error);
}

/* The writing thread's statements and batch, on its connection. */
gboolean
_rg_member_import_prepare_writer (RunData  *run,
                                  GError  **error)
{
  const char *lookup_sql;

  /* The lookup of a duplicate is one index probe; the member is read in full only when it
   * is to be updated. */
  lookup_sql = run->match == RG_MEMBER_IMPORT_MATCH_PHONE
               ? "SELECT id FROM members WHERE phone = ?1 AND deleted_at IS NULL"
                 " ORDER BY id LIMIT 1"
               : "SELECT id FROM members WHERE member_number = ?1 AND deleted_at IS NULL";
  run->lookup = rg_store_prepare (run->worker_store, lookup_sql, error);
  run->number_taken = rg_store_prepare (run->worker_store,
                                        "SELECT 1 FROM members"
                                        " WHERE member_number = ?1 AND deleted_at IS NULL",
                                        error);
  run->max_member_id = rg_store_prepare (run->worker_store,
                                         "SELECT coalesce (max (id), 0) FROM members", error);
  run->max_ledger_id = rg_store_prepare (run->worker_store,
                                         "SELECT coalesce (max (id), 0) FROM ledger", error);
  run->count_inserted = rg_store_prepare (run->worker_store,
                                          "UPDATE member_count SET live = live + ?1 WHERE id = 1",
                                          error);
  run->index_search = rg_store_prepare (run->worker_store,
                                        "INSERT INTO members_fts (rowid, member_number, name,"
                                        "  phone, email)"
                                        " SELECT id, member_number, name, phone, email"
                                        " FROM members WHERE id >= ?1 ORDER BY id",
                                        error);
  if (run->lookup == NULL || run->number_taken == NULL || run->max_member_id == NULL ||
      run->max_ledger_id == NULL || run->count_inserted == NULL || run->index_search == NULL)
    return FALSE;

  run->pending = g_ptr_array_new_with_free_func (pending_row_free);
  run->pending_numbers = g_hash_table_new (g_str_hash, g_str_equal);
  run->pending_phones = g_hash_table_new (g_str_hash, g_str_equal);
  run->pending_ledger = g_array_new (FALSE, FALSE, sizeof (PendingLedger));
  run->pending_attributes = g_array_new (FALSE, FALSE, sizeof (PendingAttribute));
  g_array_set_clear_func (run->pending_attributes, pending_attribute_clear);
  run->insert_members = (BulkInsert) {
    "INSERT INTO members (id, member_number, name, phone, email, accumulated_points,"
    " points_balance, stored_value, tags, note, created_at, updated_at) VALUES", 12, { NULL, }
  };
  run->insert_ledger = (BulkInsert) {
    "INSERT INTO ledger (id, member_id, operation_id, account, delta, balance_after, reason,"
    " source, created_at) VALUES", 9, { NULL, }
  };
  run->written = g_ptr_array_new ();
  run->insert_attributes = (BulkInsert) {
    "INSERT INTO member_attributes (member_id, key, value) VALUES", 3, { NULL, }
  };
  run->now = g_get_real_time () / G_USEC_PER_SEC;
  return TRUE;
}

void
_rg_member_import_clear_writer (RunData *run)
{
  g_clear_pointer (&run->pending, g_ptr_array_unref);
  g_clear_pointer (&run->pending_numbers, g_hash_table_unref);
  g_clear_pointer (&run->pending_phones, g_hash_table_unref);
  g_clear_pointer (&run->pending_ledger, g_array_unref);
  g_clear_pointer (&run->pending_attributes, g_array_unref);
  g_clear_pointer (&run->written, g_ptr_array_unref);
  bulk_insert_clear (&run->insert_members);
  bulk_insert_clear (&run->insert_ledger);
  bulk_insert_clear (&run->insert_attributes);
  g_clear_pointer (&run->index_search, sqlite3_finalize);
  g_clear_pointer (&run->count_inserted, sqlite3_finalize);
  g_clear_pointer (&run->number_taken, sqlite3_finalize);
  g_clear_pointer (&run->max_member_id, sqlite3_finalize);
  g_clear_pointer (&run->max_ledger_id, sqlite3_finalize);
  g_clear_pointer (&run->lookup, sqlite3_finalize);
}
