/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-csv-reader.h"
#include "rg-member-import-result-private.h"
#include "rg-member-importer.h"
#include "rg-member-store.h"

G_BEGIN_DECLS

/*
 * The insides of RgMemberImporter, shared by its three files:
 *  rg-member-importer.c        the object, the worker thread, progress
 *  rg-member-import-reader.c   the reading thread: the file into validated members
 *  rg-member-import-writer.c   the writing thread's transaction: lookups and batches
 */

/* Rows handed from the reading to the writing thread at a time, and chunks in flight. */
#define RG_IMPORT_CHUNK_ROWS 128
#define RG_IMPORT_CHUNKS_IN_FLIGHT 16
/* The sizes of a multi-row INSERT's statements: a full batch, then smaller ones for the
 * rest of a batch that was written early. */
#define RG_IMPORT_BATCH_ROWS 256
#define RG_IMPORT_N_CHUNK_SIZES 3

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
extern const char * const _rg_member_import_kind_fields[N_KINDS];

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
  sqlite3_stmt *stmts[RG_IMPORT_N_CHUNK_SIZES];
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

typedef struct
{
  gboolean given[3];
  gint64   value[3];
} Totals;

/* rg-member-importer.c */
void         _rg_member_import_maybe_post_progress (RunData    *run);

/* rg-member-import-reader.c */
const char  *_rg_member_import_cell_of             (GPtrArray  *fields,
                                                     int         column);
void         _rg_member_import_row_point_cells     (RunData    *run,
                                                     Row        *row);
char        *_rg_member_import_row_name            (Row        *row);
gboolean     _rg_member_import_parse_totals        (RunData    *run,
                                                     Row        *row,
                                                     Totals     *totals,
                                                     GError    **error);
gboolean     _rg_member_import_apply_row           (RunData    *run,
                                                     Row        *row,
                                                     RgMember   *member,
                                                     GError    **error);
void         _rg_member_import_start_reading       (RunData    *run);
void         _rg_member_import_stop_reading        (RunData    *run);
void         _rg_member_import_chunk_free          (Chunk      *chunk);

/* rg-member-import-writer.c */
gboolean     _rg_member_import_prepare_writer      (RunData    *run,
                                                     GError    **error);
void         _rg_member_import_clear_writer        (RunData    *run);
gboolean     _rg_member_import_in_transaction      (RgStore    *store,
                                                     gpointer    user_data,
                                                     GError    **error);

G_END_DECLS
