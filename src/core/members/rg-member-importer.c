/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-format.h"
#include "rg-member-importer-private.h"
#include "rg-progress-relay.h"

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
 * by the RgMemberStore. Plain new members are written in batches: a row-by-row INSERT
 * inside a big transaction opens a statement journal each time and copies every page it
 * touches (the table, eight indexes, the FTS index, the count), which costs more than the
 * row. A batch is one multi-row INSERT for the members, one for their opening balances in
 * the ledger and one for their custom attributes, with statements prepared once. Their ids
 * are given here, after max(id), while the transaction holds the write lock. A batch that a
 * constraint refuses is written again row by row through the RgMemberStore, whose error
 * names the value.
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
 *
 * This file has the object, the worker thread and progress; rg-member-import-reader.c the
 * reading thread, rg-member-import-writer.c the transaction.
 */

/* Progress reaches the caller at most this often. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)
/* Rows between looks at the clock. */
#define PROGRESS_ROWS 256
/* The worker's page cache, in KiB: the indexes of a million members stay in memory while
 * they are built instead of going back and forth to the WAL. */
#define BULK_CACHE_KIB 65536

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
  RgProgressRelay                progress_relay;
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
run_data_free (gpointer data)
{
  RunData *run = data;

  _rg_member_import_clear_writer (run);
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

static void
post_progress (RunData *run,
               double   progress,
               guint64  rows)
{
  rg_progress_relay_post (&run->self->progress_relay, G_OBJECT (run->self), run->context,
                          progress, rows);
}

void
_rg_member_import_maybe_post_progress (RunData *run)
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

  rg_progress_relay_set (&self->progress_relay, done->finished ? 1.0 : self->progress,
                         done->rows);

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
        if (g_str_equal (_rg_member_import_kind_fields[k], field) && run->columns[k] < 0)
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

  return _rg_member_import_prepare_writer (run, error);
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

  ok = rg_store_transaction (run->worker_store, _rg_member_import_in_transaction, run, &error);
  _rg_member_import_stop_reading (run);
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
  _rg_member_import_clear_writer (run);
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

  rg_progress_relay_clear (&self->progress_relay);

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
  rg_progress_relay_init (&self->progress_relay, (RgProgressRelayFunc) set_progress);
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

/* The first @n_rows records of @file, with the header, encoding and delimiter; no database
 * work, so it runs on any thread. */
static RgMemberImportPreview *
read_preview (GFile   *file,
              guint    n_rows,
              GError **error)
{
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  GError *local_error = NULL;

  if ((reader = rg_csv_reader_new_for_file (file, error)) == NULL)
    return NULL;

  if (!rg_csv_reader_next (reader, &headers, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

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
        row[i] = g_strdup (_rg_member_import_cell_of (fields, i));
      g_ptr_array_add (preview->rows, row);
      g_array_append_val (preview->lines, line);
    }

  return g_steal_pointer (&preview);
}

/* A mapping made for other headers is guessed again for these; reads the store. */
static gboolean
fit_mapping (RgMemberImporter       *self,
             RgMemberImportPreview  *preview,
             GError                **error)
{
  g_autoptr(RgCsvMapping) mapping = NULL;

  if (self->mapping != NULL && mapping_fits (self->mapping, preview->headers))
    return TRUE;

  if ((mapping = guess_mapping (self, preview->headers, error)) == NULL)
    return FALSE;
  rg_member_importer_set_mapping (self, mapping);
  return TRUE;
}

static gboolean
check_file_chosen (RgMemberImporter  *self,
                   GError           **error)
{
  if (self->file != NULL)
    return TRUE;

  g_set_error_literal (error, RG_MEMBER_IMPORT_ERROR, RG_MEMBER_IMPORT_ERROR_NO_FILE,
                       _("No file was chosen to import"));
  return FALSE;
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
  g_autoptr(RgMemberImportPreview) preview = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_file_chosen (self, error) ||
      (preview = read_preview (self->file, n_rows, error)) == NULL ||
      !fit_mapping (self, preview, error))
    return NULL;

  return g_steal_pointer (&preview);
}

typedef struct
{
  GFile *file;
  guint  n_rows;
} PreviewData;

static void
preview_data_free (gpointer data)
{
  PreviewData *preview_data = data;

  g_clear_object (&preview_data->file);
  g_free (preview_data);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewData *data = task_data;
  GError *error = NULL;
  RgMemberImportPreview *preview;

  /* A big file with no byte outside ASCII is read to its end to tell its encoding. */
  if ((preview = read_preview (data->file, data->n_rows, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) rg_member_import_preview_free);
}

/**
 * rg_member_importer_preview_async:
 *
 * rg_member_importer_preview() with the file read on a worker thread, for the UI.
 */
void
rg_member_importer_preview_async (RgMemberImporter    *self,
                                  guint                n_rows,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PreviewData *data;

  g_return_if_fail (RG_IS_MEMBER_IMPORTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_member_importer_preview_async);

  if (!check_file_chosen (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (PreviewData, 1);
  data->file = g_object_ref (self->file);
  data->n_rows = n_rows;
  g_task_set_task_data (task, data, preview_data_free);

  g_task_run_in_thread (task, preview_thread);
}

RgMemberImportPreview *
rg_member_importer_preview_finish (RgMemberImporter  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_autoptr(RgMemberImportPreview) preview = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_IMPORTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if ((preview = g_task_propagate_pointer (G_TASK (result), error)) == NULL ||
      !fit_mapping (self, preview, error))
    return NULL;

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

  rg_progress_relay_set (&self->progress_relay, 0.0, 0);

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
