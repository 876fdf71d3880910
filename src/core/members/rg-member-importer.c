/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rg-csv-reader.h"
#include "rg-format.h"
#include "rg-member-import-result-private.h"
#include "rg-member-importer.h"
#include "rg-member-store.h"
#include "rg-phone.h"

/*
 * RgMemberImporter: members from a CSV file.
 *
 * The import runs on a worker thread with its own connection to the same database (the
 * caller's connection belongs to the caller's thread), inside one transaction:
 *  - all-or-nothing (the default): one rejected row rolls everything back, but every row is
 *    still read and checked, so the report lists all the problems at once;
 *  - commit-valid: the rows that pass are committed, the others reported;
 *  - cancel: rolled back, nothing committed.
 * Two threads share the work, so that a second core takes the parsing off the writer: a
 * reading thread reads the file and turns each row into a member validated by
 * rg_member_store_validate() on a read-only connection of its own (the rules of the member
 * editor; the phone number parser is the most expensive part of an import), and hands them
 * over in file order, in chunks; the writing thread looks each row up and writes it.
 * Updates, and new members with channel ids or a member number that is taken, are written
 * by the RgMemberStore. Plain new members are written here in batches: a row-by-row INSERT inside a big transaction opens a
 * statement journal each time and copies every page it touches (the table, eight indexes,
 * the FTS index, the count), which costs more than the row. A batch is one multi-row
 * INSERT for the members, one for their opening balances in the ledger and one for their
 * custom attributes, with statements prepared once. Their ids are given here, after
 * max(id), while the transaction holds the write lock. A batch that a constraint refuses is
 * written again row by row through the RgMemberStore, whose error names the value.
 *
 * A row matches an existing member by member number or by phone. The lookup runs against
 * the open transaction, so a member number that comes twice in the file is a duplicate the
 * second time: it updates or is skipped, as the first row's member would be.
 *
 * Updating an existing member: a non-empty cell replaces the stored value, an empty cell
 * leaves it. Points, points balance and stored value are set to the file's values: the
 * difference goes through the ledger (source "import", reason "CSV import"), so the history
 * says what the import changed. New members get their totals as opening balances, also
 * with source "import" and reason "CSV import".
 *
 * Money: the stored value column is in major units ("1200", "1,200.50"), stored in the
 * minor units of the shop's currency.
 */

/* Progress reaches the caller at most this often. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)
/* Rows between looks at the clock. */
#define PROGRESS_ROWS 256
/* The worker's page cache, in KiB: the indexes of a million members stay in memory while
 * they are built instead of going back and forth to the WAL. */
#define BULK_CACHE_KIB 65536
/* Rows handed from the reading to the writing thread at a time, and chunks in flight. */
#define CHUNK_ROWS 128
#define CHUNKS_IN_FLIGHT 16
/* New members written in one statement, and the smaller statements for what is left. */
#define BATCH_ROWS 256
static const guint chunk_sizes[] = { BATCH_ROWS, 16, 1 };
#define N_CHUNK_SIZES G_N_ELEMENTS (chunk_sizes)

typedef enum
{
  KIND_MEMBER_NUMBER,
  KIND_NAME,
  KIND_FIRST_NAME,
  KIND_LAST_NAME,
  KIND_PHONE,
  KIND_EMAIL,
  KIND_ACCUMULATED_POINTS,
  KIND_POINTS_BALANCE,
  KIND_STORED_VALUE,
  KIND_TAGS,
  KIND_NOTE,
  KIND_LINE_USER_ID,
  KIND_WHATSAPP_ID,
  KIND_WECHAT_OPENID,
  KIND_CREATED_AT,
  N_KINDS
} FieldKind;

/* CSV mapping field ids, in FieldKind order. */
static const char * const kind_fields[N_KINDS] = {
  [KIND_MEMBER_NUMBER] = "member_number",
  [KIND_NAME] = "name",
  [KIND_FIRST_NAME] = "first_name",
  [KIND_LAST_NAME] = "last_name",
  [KIND_PHONE] = "phone",
  [KIND_EMAIL] = "email",
  [KIND_ACCUMULATED_POINTS] = "accumulated_points",
  [KIND_POINTS_BALANCE] = "points_balance",
  [KIND_STORED_VALUE] = "stored_value",
  [KIND_TAGS] = "tags",
  [KIND_NOTE] = "note",
  [KIND_LINE_USER_ID] = "line_user_id",
  [KIND_WHATSAPP_ID] = "whatsapp_id",
  [KIND_WECHAT_OPENID] = "wechat_openid",
  [KIND_CREATED_AT] = "created_at",
};

struct _RgMemberImporter
{
  GObject                        parent_instance;

  RgStore                       *store;
  GFile                         *file;
  RgCsvMapping                  *mapping;
  RgMemberImportMatch            match;
  RgMemberImportDuplicateAction  on_duplicate;
  gboolean                       commit_valid;

  double                         progress;
  guint64                        rows_done;
  gboolean                       running;

  /* Handed from the worker to the caller's thread. */
  GMutex                         progress_mutex;
  double                         pending_progress;
  guint64                        pending_rows;
  gboolean                       update_queued;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_FILE,
  PROP_MAPPING,
  PROP_MATCH,
  PROP_ON_DUPLICATE,
  PROP_COMMIT_VALID,
  PROP_PROGRESS,
  PROP_ROWS_DONE,
  PROP_RUNNING,
  N_PROPS
};

typedef struct
{
  int   column;
  char *key;
} AttributeColumn;

/* A row's cells by kind: trimmed, apostrophe guard removed, "" when absent. */
typedef struct
{
  const char  *cells[N_KINDS];
  GPtrArray   *fields;
  guint        line;
} Row;

/* A row as the reading thread hands it over: checked as a new member (@member, else
 * @member_error), and with its phone number normalized when rows are matched by phone
 * (@key, else @key_error). */
typedef struct
{
  Row       row;
  RgMember *member;
  GError   *member_error;
  char     *key;
  GError   *key_error;
} Prepared;

typedef struct
{
  GArray   *rows;
  guint64   bytes_read;
  guint64   bytes_total;
  GError   *error;
  gboolean  last;
} Chunk;

/* A validated new member waiting for its batch. */
typedef struct
{
  RgMember  *member;
  GPtrArray *fields;
  guint      line;
  char      *tags_json;
  gint64     id;
} PendingRow;

/* A multi-row INSERT in the chunk sizes above: "prefix (?, …), (?, …) …". */
typedef struct
{
  const char   *prefix;
  guint         n_columns;
  sqlite3_stmt *stmts[N_CHUNK_SIZES];
} BulkInsert;

typedef struct
{
  gint64           member_id;
  RgLedgerAccount  account;
  gint64           amount;
} PendingLedger;

typedef struct
{
  gint64  member_id;
  char   *key;
  char   *value;
} PendingAttribute;

/* Everything the worker needs, copied when the import starts so that the caller may go on
 * using the importer. */
typedef struct
{
  RgMemberImporter              *self;
  GMainContext                  *context;
  char                          *db_path;
  GFile                         *file;
  char                         **headers;
  char                         **fields;
  RgMemberImportMatch            match;
  RgMemberImportDuplicateAction  on_duplicate;
  gboolean                       commit_valid;
  char                          *reason;

  /* Worker state. */
  GCancellable                  *cancellable;
  RgStore                       *worker_store;
  RgMemberStore                 *members;

  /* The reading thread's: the file and a connection that only reads. */
  RgCsvReader                   *reader;
  RgStore                       *reader_store;
  RgMemberStore                 *reader_members;
  GThread                       *reading_thread;
  GAsyncQueue                   *chunks;
  GAsyncQueue                   *credits;
  gint                           stop_reading;
  guint64                        bytes_read;
  guint64                        bytes_total;

  RgMemberImportResult          *result;
  int                            columns[N_KINDS];
  GArray                        *attributes;
  guint                          n_columns;
  char                          *region;
  GTimeZone                     *timezone;
  guint                          money_digits;
  sqlite3_stmt                  *lookup;
  guint64                        n_rows;
  guint64                        n_added;
  guint64                        n_updated;
  guint64                        n_skipped;
  gint64                         last_progress;
  gint64                         now;
  gboolean                       rejected_rollback;
  gboolean                       committed;
  /* A new member with totals went through rg_member_store_insert(). */
  gboolean                       store_opening_balances;

  /* The batch of new members, and the keys a later row of the file may match. */
  GPtrArray                     *pending;
  GHashTable                    *pending_numbers;
  GHashTable                    *pending_phones;
  GArray                        *pending_ledger;
  GArray                        *pending_attributes;
  /* The rows of the batch that the multi-row INSERT wrote. */
  GPtrArray                     *written;
  BulkInsert                     insert_members;
  BulkInsert                     insert_ledger;
  BulkInsert                     insert_attributes;
  sqlite3_stmt                  *count_inserted;
  /* Members from @unindexed_from on were written by batches and are not in the search index
   * yet. */
  sqlite3_stmt                  *index_search;
  gint64                         unindexed_from;
  sqlite3_stmt                  *number_taken;
  sqlite3_stmt                  *max_member_id;
  sqlite3_stmt                  *max_ledger_id;
  gint64                         ledger_first_id;
} RunData;

static gboolean flush_batch  (RunData     *run,
                              GError     **error);
static gboolean index_range  (RunData     *run,
                              GError     **error);
static gboolean skip_indexed (RunData     *run,
                              GError     **error);
static void     set_db_error (RunData     *run,
                              GError     **error,
                              const char  *doing);

G_DEFINE_QUARK (rg-member-import-error-quark, rg_member_import_error)

G_DEFINE_ENUM_TYPE (RgMemberImportMatch, rg_member_import_match,
  G_DEFINE_ENUM_VALUE (RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER, "member-number"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_IMPORT_MATCH_PHONE, "phone"))

G_DEFINE_ENUM_TYPE (RgMemberImportDuplicateAction, rg_member_import_duplicate_action,
  G_DEFINE_ENUM_VALUE (RG_MEMBER_IMPORT_DUPLICATE_UPDATE, "update"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_IMPORT_DUPLICATE_SKIP, "skip"))

G_DEFINE_BOXED_TYPE (RgMemberImportPreview, rg_member_import_preview,
                     rg_member_import_preview_copy, rg_member_import_preview_free)

G_DEFINE_FINAL_TYPE (RgMemberImporter, rg_member_importer, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
attribute_column_clear (gpointer data)
{
  AttributeColumn *attribute = data;

  g_clear_pointer (&attribute->key, g_free);
}

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
  for (guint i = 0; i < N_CHUNK_SIZES; i++)
    g_clear_pointer (&bulk->stmts[i], sqlite3_finalize);
}

static void
run_data_free (gpointer data)
{
  RunData *run = data;

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
  g_clear_pointer (&run->chunks, g_async_queue_unref);
  g_clear_pointer (&run->credits, g_async_queue_unref);
  g_clear_object (&run->reader_members);
  g_clear_object (&run->reader_store);
  g_clear_object (&run->reader);
  g_clear_object (&run->members);
  g_clear_object (&run->worker_store);
  g_clear_object (&run->result);
  g_clear_pointer (&run->attributes, g_array_unref);
  g_clear_pointer (&run->timezone, g_time_zone_unref);
  g_clear_pointer (&run->region, g_free);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->db_path, g_free);
  g_clear_object (&run->file);
  g_clear_pointer (&run->headers, g_strfreev);
  g_clear_pointer (&run->fields, g_strfreev);
  g_clear_pointer (&run->reason, g_free);
  g_free (run);
}

/* Progress, on the caller's thread. */

static void
set_progress (RgMemberImporter *self,
              double            progress,
              guint64           rows_done)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (self->rows_done != rows_done)
    {
      self->rows_done = rows_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_DONE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
deliver_progress (gpointer user_data)
{
  RgMemberImporter *self = user_data;
  double progress;
  guint64 rows;

  g_mutex_lock (&self->progress_mutex);
  progress = self->pending_progress;
  rows = self->pending_rows;
  self->update_queued = FALSE;
  g_mutex_unlock (&self->progress_mutex);

  set_progress (self, progress, rows);
  return G_SOURCE_REMOVE;
}

/* On the worker: one update in flight at most, carrying the latest numbers when it lands,
 * so a caller that does not iterate its main loop for a while is not flooded. */
static void
post_progress (RunData *run,
               double   progress,
               guint64  rows)
{
  RgMemberImporter *self = run->self;
  gboolean queue;

  g_mutex_lock (&self->progress_mutex);
  self->pending_progress = progress;
  self->pending_rows = rows;
  queue = !self->update_queued;
  self->update_queued = TRUE;
  g_mutex_unlock (&self->progress_mutex);

  if (queue)
    g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, deliver_progress,
                                g_object_ref (self), g_object_unref);
}

static void
maybe_post_progress (RunData *run)
{
  gint64 now;
  guint64 total;

  if (run->n_rows % PROGRESS_ROWS != 0)
    return;

  now = g_get_monotonic_time ();
  if (now - run->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  run->last_progress = now;

  total = run->bytes_total;
  /* Bytes are read a chunk ahead of the rows: never claim to be done before the end. */
  post_progress (run, total > 0 ? MIN (0.99, (double) run->bytes_read / total) : 0.0,
                 run->n_rows);
}

typedef struct
{
  RgMemberImporter *self;
  gboolean          committed;
  gboolean          finished;
  guint64           rows;
} DoneData;

static gboolean
deliver_done (gpointer user_data)
{
  DoneData *done = user_data;
  RgMemberImporter *self = done->self;

  g_mutex_lock (&self->progress_mutex);
  self->pending_progress = done->finished ? 1.0 : self->pending_progress;
  self->pending_rows = done->rows;
  g_mutex_unlock (&self->progress_mutex);

  self->running = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, done->finished ? 1.0 : self->progress, done->rows);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  /* Lists on the caller's connection cannot follow a bulk change row by row: reload. */
  if (done->committed)
    {
      g_autoptr(RgMemberStore) members = rg_member_store_new (self->store);

      rg_member_store_emit_changed (members);
    }

  return G_SOURCE_REMOVE;
}

static void
done_data_free (gpointer data)
{
  DoneData *done = data;

  g_clear_object (&done->self);
  g_free (done);
}

/* Before the task's own callback: a higher priority than the task's return, so that the
 * caller's lists have reloaded when its callback runs. */
static void
post_done (RunData  *run,
           gboolean  committed,
           gboolean  finished)
{
  DoneData *done = g_new0 (DoneData, 1);

  done->self = g_object_ref (run->self);
  done->committed = committed;
  done->finished = finished;
  done->rows = run->n_rows;
  g_main_context_invoke_full (run->context, G_PRIORITY_HIGH, deliver_done, done,
                              done_data_free);
}

/* Cells. */

static const char *
cell_of (GPtrArray *fields,
         int        column)
{
  char *value;

  if (column < 0 || (guint) column >= fields->len)
    return "";
  value = g_ptr_array_index (fields, column);
  return value != NULL ? value : "";
}

static void
row_point_cells (RunData *run,
                 Row     *row)
{
  for (guint k = 0; k < N_KINDS; k++)
    row->cells[k] = rg_csv_unguard (cell_of (row->fields, run->columns[k]));
}

/* Trims the row's cells in place (the rejected-rows file keeps them trimmed) and points the
 * kinds at their cells without the apostrophe that spreadsheet exports put in front of
 * numbers. */
static gboolean
row_prepare (RunData   *run,
             Row       *row)
{
  gboolean blank = TRUE;

  for (guint i = 0; i < row->fields->len; i++)
    {
      char *value = g_ptr_array_index (row->fields, i);

      if (value == NULL)
        continue;
      g_strstrip (value);
      if (value[0] != '\0')
        blank = FALSE;
    }

  row_point_cells (run, row);
  return !blank;
}

static const char *
field_label (const char *field)
{
  const char *label = rg_csv_field_get_label (field);

  return label != NULL ? label : field;
}

static void
set_field_error (GError     **error,
                 FieldKind    kind,
                 const char  *format,
                 const char  *value)
{
  /* The formats below take the field's label, then the value. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, kind_fields[kind], format,
                       field_label (kind_fields[kind]), value);
#pragma GCC diagnostic pop
}

/* Digits with optional thousands separators ("1,200"), an optional "+", and an optional
 * fraction when @max_decimals allows one; the result is scaled by 10^max_decimals. */
static gboolean
parse_amount (const char *text,
              guint       max_decimals,
              gint64     *value,
              gboolean   *negative)
{
  const char *p = text;
  guint64 number = 0;
  guint decimals = 0;
  gboolean digits = FALSE;
  gboolean fraction = FALSE;

  *negative = FALSE;
  if (*p == '+')
    p++;
  else if (*p == '-')
    {
      *negative = TRUE;
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          guint digit = *p - '0';

          if (fraction && decimals == max_decimals)
            {
              /* "1200.00" is a whole number too; "1200.5" is not one. */
              if (digit != 0)
                return FALSE;
              continue;
            }
          if (number > (G_MAXINT64 - digit) / 10)
            return FALSE;
          number = number * 10 + digit;
          digits = TRUE;
          if (fraction)
            decimals++;
        }
      else if (*p == ',' && !fraction && digits && g_ascii_isdigit (p[1]))
        continue;
      else if (*p == '.' && !fraction && digits)
        fraction = TRUE;
      else
        return FALSE;
    }

  if (!digits)
    return FALSE;

  for (; decimals < max_decimals; decimals++)
    {
      if (number > G_MAXINT64 / 10)
        return FALSE;
      number *= 10;
    }

  *value = (gint64) number;
  return TRUE;
}

static gboolean
parse_total (RunData     *run,
             FieldKind    kind,
             const char  *text,
             gint64      *value,
             GError     **error)
{
  gboolean negative;
  guint decimals = kind == KIND_STORED_VALUE ? run->money_digits : 0;
  const char *number = text;

  /* Money is often written with its currency. */
  if (kind == KIND_STORED_VALUE)
    {
      static const char * const prefixes[] = { "NT$", "HK$", "US$", "S$", "RM", "$", "¥", "￥" };

      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        if (g_str_has_prefix (number, prefixes[i]))
          {
            number += strlen (prefixes[i]);
            break;
          }
    }

  if (!parse_amount (number, decimals, value, &negative))
    {
      if (kind == KIND_STORED_VALUE)
        set_field_error (error, kind,
                         /* Translators: “Stored value “12,5a” is not an amount …” */
                         _("%s “%s” is not an amount such as 1200 or 1,200.50"), text);
      else
        set_field_error (error, kind,
                         /* Translators: “Points balance “abc” is not a whole number” */
                         _("%s “%s” is not a whole number"), text);
      return FALSE;
    }
  if (negative && *value != 0)
    {
      set_field_error (error, kind, _("%s “%s” cannot be negative"), text);
      return FALSE;
    }
  return TRUE;
}

/* "2024-01-31", "2024/1/31", "2024.01.31", each optionally with " 13:45" or " 13:45:10", in
 * the shop's time zone; or ISO 8601 with a zone ("2024-01-31T13:45:10Z"). */
static gboolean
parse_date (RunData     *run,
            const char  *text,
            gint64      *seconds,
            GError     **error)
{
  g_autoptr(GDateTime) date = NULL;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  char sep1 = 0, sep2 = 0;
  int consumed = 0;

  if (sscanf (text, "%4d%c%2d%c%2d%n", &year, &sep1, &month, &sep2, &day, &consumed) == 5 &&
      sep1 == sep2 && (sep1 == '-' || sep1 == '/' || sep1 == '.'))
    {
      const char *rest = text + consumed;

      if (*rest == '\0')
        date = g_date_time_new (run->timezone, year, month, day, 0, 0, 0);
      else if (*rest == ' ' || *rest == 'T')
        {
          int second_int = 0;
          int time_consumed = 0;
          int n = sscanf (rest + 1, "%2d:%2d%n:%2d%n", &hour, &minute, &time_consumed,
                          &second_int, &time_consumed);

          second = second_int;
          if (n >= 2 && rest[1 + time_consumed] == '\0')
            date = g_date_time_new (run->timezone, year, month, day, hour, minute, second);
        }
    }

  if (date == NULL)
    date = g_date_time_new_from_iso8601 (text, run->timezone);

  if (date == NULL)
    {
      set_field_error (error, KIND_CREATED_AT,
                       /* Translators: “Created “31/01/2024” is not a date such as …” */
                       _("%s “%s” is not a date such as 2024-01-31 or 2024/1/31 13:45"), text);
      return FALSE;
    }

  *seconds = g_date_time_to_unix (date);
  return TRUE;
}

static char **
split_tags (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *start = text;
  const char *p = text;

  /* ASCII and full-width commas and semicolons, and the enumeration comma 、. */
  for (;;)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\0' || c == ',' || c == ';' || c == 0xFF0C || c == 0xFF1B || c == 0x3001)
        {
          g_autofree char *tag = g_strstrip (g_strndup (start, p - start));

          if (tag[0] != '\0')
            g_strv_builder_add (builder, tag);
          if (c == '\0')
            break;
          p = g_utf8_next_char (p);
          start = p;
          continue;
        }
      p = g_utf8_next_char (p);
    }

  return g_strv_builder_end (builder);
}

static char *
row_name (Row *row)
{
  if (row->cells[KIND_NAME][0] != '\0')
    return g_strdup (row->cells[KIND_NAME]);
  return rg_csv_combine_name (row->cells[KIND_FIRST_NAME], row->cells[KIND_LAST_NAME]);
}

/* Copies the row's non-empty cells onto @member (all but the totals). */
static gboolean
apply_row (RunData    *run,
           Row        *row,
           RgMember   *member,
           GError    **error)
{
  g_autofree char *name = row_name (row);
  const char * const *cells = row->cells;

  if (cells[KIND_MEMBER_NUMBER][0] != '\0')
    rg_member_set_member_number (member, cells[KIND_MEMBER_NUMBER]);
  if (name[0] != '\0')
    rg_member_set_name (member, name);
  if (cells[KIND_PHONE][0] != '\0')
    rg_member_set_phone (member, cells[KIND_PHONE]);
  if (cells[KIND_EMAIL][0] != '\0')
    rg_member_set_email (member, cells[KIND_EMAIL]);
  if (cells[KIND_NOTE][0] != '\0')
    rg_member_set_note (member, cells[KIND_NOTE]);
  if (cells[KIND_LINE_USER_ID][0] != '\0')
    rg_member_set_line_user_id (member, cells[KIND_LINE_USER_ID]);
  if (cells[KIND_WHATSAPP_ID][0] != '\0')
    rg_member_set_whatsapp_id (member, cells[KIND_WHATSAPP_ID]);
  if (cells[KIND_WECHAT_OPENID][0] != '\0')
    rg_member_set_wechat_openid (member, cells[KIND_WECHAT_OPENID]);

  if (cells[KIND_TAGS][0] != '\0')
    {
      g_auto(GStrv) tags = split_tags (cells[KIND_TAGS]);

      rg_member_set_tags (member, (const char * const *) tags);
    }

  if (cells[KIND_CREATED_AT][0] != '\0')
    {
      gint64 created_at;

      if (!parse_date (run, cells[KIND_CREATED_AT], &created_at, error))
        return FALSE;
      rg_member_set_created_at (member, created_at);
    }

  for (guint i = 0; i < run->attributes->len; i++)
    {
      AttributeColumn *attribute = &g_array_index (run->attributes, AttributeColumn, i);
      const char *value = rg_csv_unguard (cell_of (row->fields, attribute->column));

      if (value[0] != '\0')
        rg_member_set_attribute (member, attribute->key, value);
    }

  return TRUE;
}

typedef struct
{
  gboolean given[3];
  gint64   value[3];
} Totals;

static gboolean
parse_totals (RunData  *run,
              Row      *row,
              Totals   *totals,
              GError  **error)
{
  static const FieldKind kinds[3] = {
    KIND_ACCUMULATED_POINTS, KIND_POINTS_BALANCE, KIND_STORED_VALUE,
  };

  for (guint i = 0; i < 3; i++)
    {
      totals->given[i] = row->cells[kinds[i]][0] != '\0';
      totals->value[i] = 0;
      if (totals->given[i] &&
          !parse_total (run, kinds[i], row->cells[kinds[i]], &totals->value[i], error))
        return FALSE;
    }
  return TRUE;
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

/* As rg-member-store.c stores tags. */
static char *
tags_to_json (const char * const *tags)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '"');
      for (const char *p = tags[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            {
              g_string_append_c (json, '\\');
              g_string_append_c (json, *p);
            }
          else if ((guchar) *p < 0x20)
            g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (json, *p);
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
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

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* id, member_number, name, phone, email, accumulated_points, points_balance, stored_value,
 * tags, note, created_at, updated_at */
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
  bind_text_or_null (stmt, p + 1, rg_member_get_member_number (member));
  sqlite3_bind_text (stmt, p + 2, rg_member_get_name (member), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, p + 3, rg_member_get_phone (member));
  bind_text_or_null (stmt, p + 4, rg_member_get_email (member));
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
reject_pending (RunData      *run,
                PendingRow   *pending,
                const GError *row_error,
                GError      **error);

static gboolean
store_insert (RunData     *run,
              RgMember    *member,
              GError     **row_error);

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
  pending->tags_json = tags_to_json (rg_member_get_tags (pending->member));
  g_ptr_array_add (run->pending, pending);

  number = rg_member_get_member_number (pending->member);
  if (number != NULL)
    g_hash_table_add (run->pending_numbers, (gpointer) number);
  if (rg_member_get_phone (pending->member) != NULL)
    g_hash_table_add (run->pending_phones, (gpointer) rg_member_get_phone (pending->member));

  if (run->pending->len >= BATCH_ROWS)
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

  if (!parse_totals (run, data->row, &totals, error) ||
      (member = rg_member_store_get (run->members, data->id, error)) == NULL ||
      !apply_row (run, data->row, member, error) ||
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
      if (!g_str_equal (kind_fields[k], field))
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
    value = row_name (row);
  else if (column >= 0)
    value = g_strdup (rg_csv_unguard (cell_of (row->fields, column)));

  return _rg_member_import_result_add_rejection (run->result, row->line,
                                                 (const char * const *) row->fields->pdata,
                                                 row->fields->len, column, field, value,
                                                 row_error->message, error);
}

/* A row of a batch that the member store refused when it was written again on its own. */
static void
reject_pending (RunData      *run,
                PendingRow   *pending,
                const GError *row_error,
                GError      **error)
{
  Row row = { { NULL, }, pending->fields, pending->line };

  row_point_cells (run, &row);
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

static void
prepared_clear (gpointer data)
{
  Prepared *prepared = data;

  g_clear_pointer (&prepared->row.fields, g_ptr_array_unref);
  g_clear_object (&prepared->member);
  g_clear_error (&prepared->member_error);
  g_clear_pointer (&prepared->key, g_free);
  g_clear_error (&prepared->key_error);
}

static void
chunk_free (Chunk *chunk)
{
  g_clear_pointer (&chunk->rows, g_array_unref);
  g_clear_error (&chunk->error);
  g_free (chunk);
}

/* On the reading thread: the row as a new member, validated on the reading connection
 * (which the rules only read from), and its phone key. */
static void
prepare_row (RunData  *run,
             Prepared *prepared)
{
  g_autoptr(RgMember) member = rg_member_new ();
  Row *row = &prepared->row;
  Totals totals;

  if (parse_totals (run, row, &totals, &prepared->member_error) &&
      apply_row (run, row, member, &prepared->member_error))
    {
      rg_member_set_accumulated_points (member, totals.value[0]);
      rg_member_set_points_balance (member, totals.value[1]);
      rg_member_set_stored_value (member, totals.value[2]);
      if (rg_member_store_validate (run->reader_members, member, &prepared->member_error))
        prepared->member = g_steal_pointer (&member);
    }

  if (run->match != RG_MEMBER_IMPORT_MATCH_PHONE || row->cells[KIND_PHONE][0] == '\0')
    return;

  /* Validation normalized the phone already, unless the row is no new member. */
  if (prepared->member != NULL)
    prepared->key = g_strdup (rg_member_get_phone (prepared->member));
  else
    {
      g_autoptr(GError) local_error = NULL;

      prepared->key = rg_phone_normalize (row->cells[KIND_PHONE], run->region, &local_error);
      if (prepared->key == NULL)
        rg_member_set_error (&prepared->key_error, RG_MEMBER_ERROR_INVALID,
                             RG_MEMBER_FIELD_PHONE, "%s", local_error->message);
    }
}

static gboolean
wait_for_credit (RunData *run)
{
  while (g_async_queue_timeout_pop (run->credits, 100 * 1000) == NULL)
    if (g_atomic_int_get (&run->stop_reading))
      return FALSE;
  return !g_atomic_int_get (&run->stop_reading);
}

static gpointer
reading_thread (gpointer data)
{
  RunData *run = data;
  gboolean last = FALSE;

  while (!last && wait_for_credit (run))
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->rows = g_array_sized_new (FALSE, TRUE, sizeof (Prepared), CHUNK_ROWS);
      g_array_set_clear_func (chunk->rows, prepared_clear);

      while (chunk->rows->len < CHUNK_ROWS && !last)
        {
          Prepared prepared = { { { NULL, }, NULL, 0 }, };

          if (!rg_csv_reader_next (run->reader, &prepared.row.fields, &prepared.row.line,
                                   &chunk->error))
            {
              last = TRUE;
              break;
            }
          if (!row_prepare (run, &prepared.row))
            {
              prepared_clear (&prepared);
              continue;
            }
          prepare_row (run, &prepared);
          g_array_append_val (chunk->rows, prepared);
        }

      chunk->last = last;
      chunk->bytes_read = rg_csv_reader_get_bytes_read (run->reader);
      chunk->bytes_total = rg_csv_reader_get_bytes_total (run->reader);
      g_async_queue_push (run->chunks, chunk);
    }

  return NULL;
}

static void
start_reading (RunData *run)
{
  run->chunks = g_async_queue_new_full ((GDestroyNotify) chunk_free);
  run->credits = g_async_queue_new ();
  for (guint i = 0; i < CHUNKS_IN_FLIGHT; i++)
    g_async_queue_push (run->credits, GINT_TO_POINTER (1));
  run->reading_thread = g_thread_new ("rg-import-read", reading_thread, run);
}

/* The reading thread stops at its next chunk; what it handed over and was not imported
 * is dropped. */
static void
stop_reading (RunData *run)
{
  Chunk *chunk;

  if (run->reading_thread == NULL)
    return;

  g_atomic_int_set (&run->stop_reading, TRUE);
  g_thread_join (g_steal_pointer (&run->reading_thread));
  while ((chunk = g_async_queue_try_pop (run->chunks)) != NULL)
    chunk_free (chunk);
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

static gboolean
import_in_transaction (RgStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  RunData *run = user_data;
  gint64 ledger_before = 0;
  gboolean last = FALSE;

  if (!query_max_ledger_id (run, &ledger_before, error) ||
      !skip_indexed (run, error))
    return FALSE;

  start_reading (run);

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
              maybe_post_progress (run);
            }
        }
      if (ok && chunk->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&chunk->error));
          ok = FALSE;
        }
      last = chunk->last;
      chunk_free (chunk);
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

static void
read_shop_settings (RunData *run)
{
  g_autofree char *currency = rg_store_dup_currency (run->worker_store);

  run->region = rg_store_dup_default_region (run->worker_store);
  run->timezone = rg_store_dup_timezone (run->worker_store);
  run->money_digits = rg_currency_get_digits (currency);
}

static gboolean
headers_equal (char       **expected,
               GPtrArray   *headers)
{
  if (g_strv_length (expected) != headers->len)
    return FALSE;
  for (guint i = 0; i < headers->len; i++)
    if (g_strcmp0 (expected[i], g_ptr_array_index (headers, i)) != 0)
      return FALSE;
  return TRUE;
}

/* The columns of each field, from the caller's mapping or guessed from the header. */
static gboolean
plan_columns (RunData    *run,
              GPtrArray  *headers,
              GError    **error)
{
  g_autoptr(RgCsvMapping) guessed = NULL;
  g_auto(GStrv) fields = NULL;
  guint n_mapped = 0;

  if (run->fields != NULL)
    {
      if (!headers_equal (run->headers, headers))
        {
          g_autofree char *name = g_file_get_parse_name (run->file);

          g_set_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_CHANGED,
                       _("The columns of “%s” changed after the column mapping was made; "
                         "open the file again"), name);
          return FALSE;
        }
      fields = g_strdupv (run->fields);
    }
  else
    {
      g_autoptr(GListModel) definitions = NULL;

      guessed = rg_csv_mapping_new ((const char * const *) headers->pdata, headers->len);
      if ((definitions = rg_member_store_list_attributes (run->members, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < g_list_model_get_n_items (definitions); i++)
        {
          g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);

          rg_csv_mapping_add_attribute (guessed, rg_attribute_definition_get_key (definition),
                                        rg_attribute_definition_get_label (definition));
        }
      rg_csv_mapping_guess (guessed);

      fields = g_new0 (char *, headers->len + 1);
      for (guint i = 0; i < headers->len; i++)
        fields[i] = g_strdup (rg_csv_mapping_get_field (guessed, i));
    }

  for (guint k = 0; k < N_KINDS; k++)
    run->columns[k] = -1;
  run->n_columns = headers->len;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *field = fields[i];

      if (g_str_equal (field, RG_CSV_FIELD_IGNORE))
        continue;
      n_mapped++;

      if (g_str_has_prefix (field, RG_CSV_FIELD_ATTR_PREFIX))
        {
          AttributeColumn attribute = { i, g_strdup (field + strlen (RG_CSV_FIELD_ATTR_PREFIX)) };

          g_array_append_val (run->attributes, attribute);
          continue;
        }

      for (guint k = 0; k < N_KINDS; k++)
        if (g_str_equal (kind_fields[k], field) && run->columns[k] < 0)
          run->columns[k] = i;
    }

  if (n_mapped == 0)
    {
      g_autofree char *name = g_file_get_parse_name (run->file);

      g_set_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_NO_FIELDS,
                   _("No column of “%s” is mapped to a member field; choose what the columns "
                     "hold"), name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
prepare_worker (RunData  *run,
                GError  **error)
{
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *pragma = NULL;
  GError *local_error = NULL;
  const char *lookup_sql;

  if ((run->worker_store = rg_store_open (run->db_path, error)) == NULL)
    return FALSE;
  run->members = rg_member_store_new (run->worker_store);

  pragma = g_strdup_printf ("PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY",
                            BULK_CACHE_KIB);
  if (!rg_store_exec (run->worker_store, pragma, error))
    return FALSE;
  read_shop_settings (run);

  if ((run->reader = rg_csv_reader_new_for_file (run->file, error)) == NULL)
    return FALSE;

  /* Opened here, before the write transaction begins; the reading thread uses it alone. */
  if ((run->reader_store = rg_store_open (run->db_path, error)) == NULL)
    return FALSE;
  run->reader_members = rg_member_store_new (run->reader_store);

  if (!rg_csv_reader_next (run->reader, &headers, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (run->file);

      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_EMPTY,
                     _("“%s” is empty: there is not even a header row"), name);
      return FALSE;
    }

  if (!plan_columns (run, headers, error))
    return FALSE;

  run->result = _rg_member_import_result_new ((const char * const *) headers->pdata);

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

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  run->cancellable = cancellable;

  if (!prepare_worker (run, &error))
    {
      post_done (run, FALSE, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ok = rg_store_transaction (run->worker_store, import_in_transaction, run, &error);
  stop_reading (run);
  g_clear_object (&run->reader_members);
  g_clear_object (&run->reader_store);
  if (!ok && run->rejected_rollback)
    g_clear_error (&error);
  run->committed = ok;

  if (error == NULL && !_rg_member_import_result_close (run->result, &error))
    {
      /* The members are in; only the report of rejected rows is lost. */
      g_warning ("Could not keep the rejected rows of an import: %s", error->message);
      g_clear_error (&error);
    }

  if (error != NULL)
    {
      post_done (run, FALSE, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _rg_member_import_result_set_counts (run->result, run->n_rows, run->n_added, run->n_updated,
                                       run->n_skipped, run->committed);

  /* The connection goes before the caller hears of the result, so the caller is free to
   * write at once. */
  g_clear_pointer (&run->lookup, sqlite3_finalize);
  g_clear_object (&run->members);
  g_clear_object (&run->worker_store);

  post_done (run, run->committed, TRUE);
  g_task_return_pointer (task, g_steal_pointer (&run->result), g_object_unref);
}

static void
rg_member_importer_dispose (GObject *object)
{
  RgMemberImporter *self = (RgMemberImporter *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (rg_member_importer_parent_class)->dispose (object);
}

static void
rg_member_importer_finalize (GObject *object)
{
  RgMemberImporter *self = (RgMemberImporter *)object;

  g_mutex_clear (&self->progress_mutex);

  G_OBJECT_CLASS (rg_member_importer_parent_class)->finalize (object);
}

static void
rg_member_importer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RgMemberImporter *self = RG_MEMBER_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_MAPPING:
      g_value_set_object (value, self->mapping);
      break;

    case PROP_MATCH:
      g_value_set_enum (value, self->match);
      break;

    case PROP_ON_DUPLICATE:
      g_value_set_enum (value, self->on_duplicate);
      break;

    case PROP_COMMIT_VALID:
      g_value_set_boolean (value, self->commit_valid);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_ROWS_DONE:
      g_value_set_uint64 (value, self->rows_done);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_importer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RgMemberImporter *self = RG_MEMBER_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_FILE:
      rg_member_importer_set_file (self, g_value_get_object (value));
      break;

    case PROP_MAPPING:
      rg_member_importer_set_mapping (self, g_value_get_object (value));
      break;

    case PROP_MATCH:
      rg_member_importer_set_match (self, g_value_get_enum (value));
      break;

    case PROP_ON_DUPLICATE:
      rg_member_importer_set_on_duplicate (self, g_value_get_enum (value));
      break;

    case PROP_COMMIT_VALID:
      rg_member_importer_set_commit_valid (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_importer_class_init (RgMemberImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_member_importer_dispose;
  object_class->finalize = rg_member_importer_finalize;
  object_class->get_property = rg_member_importer_get_property;
  object_class->set_property = rg_member_importer_set_property;

  /**
   * RgMemberImporter:store:
   * The caller's connection: the worker opens its own on the same file, and the caller's
   * #RgMemberStore announces the change when the import is committed.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImporter:mapping:
   * Which member field each column holds; guessed from the header by
   * rg_member_importer_preview() (or by the import itself when it is %NULL).
   */
  properties[PROP_MAPPING] =
    g_param_spec_object ("mapping", NULL, NULL,
                         RG_TYPE_CSV_MAPPING,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MATCH] =
    g_param_spec_enum ("match", NULL, NULL,
                       RG_TYPE_MEMBER_IMPORT_MATCH,
                       RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ON_DUPLICATE] =
    g_param_spec_enum ("on-duplicate", NULL, NULL,
                       RG_TYPE_MEMBER_IMPORT_DUPLICATE_ACTION,
                       RG_MEMBER_IMPORT_DUPLICATE_UPDATE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImporter:commit-valid:
   * Whether the rows that pass are committed when others are rejected. %FALSE (the default)
   * commits nothing unless every row passes.
   */
  properties[PROP_COMMIT_VALID] =
    g_param_spec_boolean ("commit-valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImporter:progress:
   * How far the running import has read the file, 0 to 1; notified on the thread that
   * started it, at most ten times a second.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ROWS_DONE] =
    g_param_spec_uint64 ("rows-done", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_importer_init (RgMemberImporter *self)
{
  g_mutex_init (&self->progress_mutex);
  self->match = RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER;
  self->on_duplicate = RG_MEMBER_IMPORT_DUPLICATE_UPDATE;
}

/**
 * rg_member_importer_new:
 * @store: the database to import into
 *
 * Returns: (transfer full): a new importer
 */
RgMemberImporter *
rg_member_importer_new (RgStore *store)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_MEMBER_IMPORTER, "store", store, NULL);
}

RgStore *
rg_member_importer_get_store (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);

  return self->store;
}

GFile *
rg_member_importer_get_file (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);

  return self->file;
}

/**
 * rg_member_importer_set_file:
 * @file: (nullable): the CSV file
 *
 * A new file drops the mapping; rg_member_importer_preview() guesses one for it.
 */
void
rg_member_importer_set_file (RgMemberImporter *self,
                             GFile            *file)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  rg_member_importer_set_mapping (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

void
rg_member_importer_set_path (RgMemberImporter *self,
                             const char       *path)
{
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));

  if (path != NULL)
    file = g_file_new_for_path (path);
  rg_member_importer_set_file (self, file);
}

/**
 * rg_member_importer_get_mapping:
 *
 * Returns: (transfer none) (nullable): the column mapping; changes to it apply to the next
 *   import
 */
RgCsvMapping *
rg_member_importer_get_mapping (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);

  return self->mapping;
}

/**
 * rg_member_importer_set_mapping:
 * @mapping: (nullable): the columns' fields for the file's header row; %NULL guesses them
 */
void
rg_member_importer_set_mapping (RgMemberImporter *self,
                                RgCsvMapping     *mapping)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));
  g_return_if_fail (mapping == NULL || RG_IS_CSV_MAPPING (mapping));

  if (g_set_object (&self->mapping, mapping))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPPING]);
}

RgMemberImportMatch
rg_member_importer_get_match (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER);

  return self->match;
}

void
rg_member_importer_set_match (RgMemberImporter    *self,
                              RgMemberImportMatch  match)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));
  g_return_if_fail (match <= RG_MEMBER_IMPORT_MATCH_PHONE);

  if (self->match == match)
    return;
  self->match = match;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH]);
}

RgMemberImportDuplicateAction
rg_member_importer_get_on_duplicate (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), RG_MEMBER_IMPORT_DUPLICATE_UPDATE);

  return self->on_duplicate;
}

void
rg_member_importer_set_on_duplicate (RgMemberImporter              *self,
                                     RgMemberImportDuplicateAction  action)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));
  g_return_if_fail (action <= RG_MEMBER_IMPORT_DUPLICATE_SKIP);

  if (self->on_duplicate == action)
    return;
  self->on_duplicate = action;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_DUPLICATE]);
}

gboolean
rg_member_importer_get_commit_valid (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), FALSE);

  return self->commit_valid;
}

void
rg_member_importer_set_commit_valid (RgMemberImporter *self,
                                     gboolean          commit_valid)
{
  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));

  commit_valid = !!commit_valid;
  if (self->commit_valid == commit_valid)
    return;
  self->commit_valid = commit_valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMIT_VALID]);
}

double
rg_member_importer_get_progress (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), 0.0);

  return self->progress;
}

guint64
rg_member_importer_get_rows_done (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), 0);

  return self->rows_done;
}

gboolean
rg_member_importer_get_running (RgMemberImporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), FALSE);

  return self->running;
}

RgMemberImportPreview *
rg_member_import_preview_copy (const RgMemberImportPreview *preview)
{
  RgMemberImportPreview *copy;

  g_return_val_if_fail (preview != NULL, NULL);

  copy = g_new0 (RgMemberImportPreview, 1);
  copy->encoding = g_strdup (preview->encoding);
  copy->has_bom = preview->has_bom;
  copy->delimiter = preview->delimiter;
  copy->headers = g_strdupv (preview->headers);
  copy->n_columns = preview->n_columns;
  copy->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < preview->rows->len; i++)
    g_ptr_array_add (copy->rows, g_strdupv (g_ptr_array_index (preview->rows, i)));
  copy->lines = g_array_copy (preview->lines);
  return copy;
}

void
rg_member_import_preview_free (RgMemberImportPreview *preview)
{
  if (preview == NULL)
    return;

  g_free (preview->encoding);
  g_strfreev (preview->headers);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->lines, g_array_unref);
  g_free (preview);
}

static gboolean
mapping_fits (RgCsvMapping *mapping,
              char        **headers)
{
  guint n = g_strv_length (headers);

  if (rg_csv_mapping_get_n_columns (mapping) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (rg_csv_mapping_get_header (mapping, i), headers[i]) != 0)
      return FALSE;
  return TRUE;
}

static RgCsvMapping *
guess_mapping (RgMemberImporter  *self,
               char             **headers,
               GError           **error)
{
  g_autoptr(RgCsvMapping) mapping = NULL;
  g_autoptr(RgMemberStore) members = rg_member_store_new (self->store);
  g_autoptr(GListModel) definitions = NULL;

  if ((definitions = rg_member_store_list_attributes (members, error)) == NULL)
    return NULL;

  mapping = rg_csv_mapping_new ((const char * const *) headers, -1);
  for (guint i = 0; i < g_list_model_get_n_items (definitions); i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);

      rg_csv_mapping_add_attribute (mapping, rg_attribute_definition_get_key (definition),
                                    rg_attribute_definition_get_label (definition));
    }
  rg_csv_mapping_guess (mapping);
  return g_steal_pointer (&mapping);
}

/**
 * rg_member_importer_preview:
 * @n_rows: how many records after the header to return
 *
 * Reads the header and the first @n_rows records of the file, on the calling thread (the
 * file only; the database is not touched beyond the list of custom attributes). When the
 * importer has no mapping for this header yet, it guesses one (#RgMemberImporter:mapping).
 *
 * Returns: (transfer full): the preview, or %NULL with @error set: the file cannot be read,
 *   is in no known encoding (%RG_CSV_ERROR, naming the line), or is empty
 *   (%RG_MEMBER_IMPORT_ERROR_EMPTY)
 */
RgMemberImportPreview *
rg_member_importer_preview (RgMemberImporter  *self,
                            guint              n_rows,
                            GError           **error)
{
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->file == NULL)
    {
      g_set_error_literal (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_NO_FILE,
                           _("No file was chosen to import"));
      return NULL;
    }

  if ((reader = rg_csv_reader_new_for_file (self->file, error)) == NULL)
    return NULL;

  if (!rg_csv_reader_next (reader, &headers, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (self->file);

      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_EMPTY,
                     _("“%s” is empty: there is not even a header row"), name);
      return NULL;
    }

  preview = g_new0 (RgMemberImportPreview, 1);
  preview->encoding = g_strdup (rg_csv_reader_get_encoding (reader));
  preview->has_bom = rg_csv_reader_get_has_bom (reader);
  preview->delimiter = rg_csv_reader_get_delimiter (reader);
  preview->n_columns = headers->len;
  preview->headers = g_new0 (char *, headers->len + 1);
  for (guint i = 0; i < headers->len; i++)
    preview->headers[i] = g_strdup (g_ptr_array_index (headers, i));
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  preview->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (preview->rows->len < n_rows)
    {
      g_autoptr(GPtrArray) fields = NULL;
      char **row;
      guint line = 0;

      if (!rg_csv_reader_next (reader, &fields, &line, &local_error))
        {
          /* A broken record further down is the import's to report, with its line. */
          g_clear_error (&local_error);
          break;
        }

      row = g_new0 (char *, preview->n_columns + 1);
      for (guint i = 0; i < preview->n_columns; i++)
        row[i] = g_strdup (cell_of (fields, i));
      g_ptr_array_add (preview->rows, row);
      g_array_append_val (preview->lines, line);
    }

  if (self->mapping == NULL || !mapping_fits (self->mapping, preview->headers))
    {
      g_autoptr(RgCsvMapping) mapping = guess_mapping (self, preview->headers, error);

      if (mapping == NULL)
        return NULL;
      rg_member_importer_set_mapping (self, mapping);
    }

  return g_steal_pointer (&preview);
}

/**
 * rg_member_importer_run_async:
 * @cancellable: (nullable): cancels the import; nothing is committed then
 *
 * Imports the file on a worker thread with its own connection, in one transaction (see the
 * top of this file for what is committed when). #RgMemberImporter:progress and
 * #RgMemberImporter:rows-done are notified on the thread-default main context of the
 * caller. When the import is committed, the caller's #RgMemberStore emits
 * #RgMemberStore::members-changed before @callback runs.
 */
void
rg_member_importer_run_async (RgMemberImporter    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_member_importer_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("An import is running already"));
      return;
    }
  if (self->file == NULL)
    {
      g_task_return_new_error (task, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_NO_FILE,
                               _("No file was chosen to import"));
      return;
    }

  run = g_new0 (RunData, 1);
  run->self = self;
  run->context = g_main_context_ref_thread_default ();
  run->db_path = g_strdup (rg_store_get_path (self->store));
  run->file = g_file_dup (self->file);
  run->match = self->match;
  run->on_duplicate = self->on_duplicate;
  run->commit_valid = self->commit_valid;
  run->reason = g_strdup (_("CSV import"));
  run->attributes = g_array_new (FALSE, TRUE, sizeof (AttributeColumn));
  g_array_set_clear_func (run->attributes, attribute_column_clear);

  if (self->mapping != NULL)
    {
      guint n = rg_csv_mapping_get_n_columns (self->mapping);

      run->headers = g_new0 (char *, n + 1);
      run->fields = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          run->headers[i] = g_strdup (rg_csv_mapping_get_header (self->mapping, i));
          run->fields[i] = g_strdup (rg_csv_mapping_get_field (self->mapping, i));
        }
    }

  g_task_set_task_data (task, run, run_data_free);

  g_mutex_lock (&self->progress_mutex);
  self->pending_progress = 0.0;
  self->pending_rows = 0;
  g_mutex_unlock (&self->progress_mutex);

  self->running = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, 0.0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_run_in_thread (task, run_thread);
}

/**
 * rg_member_importer_run_finish:
 *
 * Returns: (transfer full): the result: the counts and the rejected rows, also when rejected
 *   rows kept an all-or-nothing import from being committed
 *   (rg_member_import_result_get_committed() says so); %NULL with @error set when the import
 *   could not run to its end: %G_IO_ERROR_CANCELLED, the file is unreadable (%RG_CSV_ERROR
 *   with the line) or empty, a database error. Nothing is committed then.
 */
RgMemberImportResult *
rg_member_importer_run_finish (RgMemberImporter  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_member_importer_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
