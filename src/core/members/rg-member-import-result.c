/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-csv-writer.h"
#include "rg-member-import-result-private.h"

/*
 * RgMemberImportResult: what a CSV import did. Filled on the importer's worker thread and
 * handed over whole when the import finishes.
 *
 * Rejected rows go, as they come, to a temporary CSV file: the original columns, then
 * "line", "column" and "reason". Saving the rejected rows copies that file, so a million
 * rejected rows cost disk, not memory; the first RG_MEMBER_IMPORT_MAX_LISTED_REJECTIONS are
 * also kept as objects for lists.
 */

struct _RgMemberImportResult
{
  GObject          parent_instance;

  char           **headers;
  guint            n_headers;

  guint64          n_rows;
  guint64          n_added;
  guint64          n_updated;
  guint64          n_skipped;
  guint64          n_rejected;
  gboolean         committed;

  GListStore      *rejections;

  GFile           *spill;
  GFileIOStream   *spill_stream;
  RgCsvWriter     *spill_writer;
};

enum {
  PROP_0,
  PROP_N_ROWS,
  PROP_N_ADDED,
  PROP_N_UPDATED,
  PROP_N_SKIPPED,
  PROP_N_REJECTED,
  PROP_COMMITTED,
  PROP_REJECTIONS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgMemberImportResult, rg_member_import_result, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* The header row of the rejected-rows file. The three added names stay English so that the
 * file reads the same everywhere and a fixed copy imports again (they map to no field). */
static GPtrArray *
spill_header (RgMemberImportResult *self)
{
  GPtrArray *row = g_ptr_array_new ();

  for (guint i = 0; i < self->n_headers; i++)
    g_ptr_array_add (row, self->headers[i]);
  g_ptr_array_add (row, (gpointer) "line");
  g_ptr_array_add (row, (gpointer) "column");
  g_ptr_array_add (row, (gpointer) "reason");
  return row;
}

static gboolean
ensure_spill (RgMemberImportResult  *self,
              GError               **error)
{
  g_autoptr(GPtrArray) header = NULL;
  GOutputStream *output;

  if (self->spill_writer != NULL)
    return TRUE;

  self->spill = g_file_new_tmp ("regulars-rejected-XXXXXX.csv", &self->spill_stream, error);
  if (self->spill == NULL)
    return FALSE;

  output = g_io_stream_get_output_stream (G_IO_STREAM (self->spill_stream));
  /* The file is for fixing in a spreadsheet: Excel reads UTF-8 only with a BOM. */
  self->spill_writer = rg_csv_writer_new (output, RG_CSV_WRITER_BOM);

  header = spill_header (self);
  return rg_csv_writer_write_row (self->spill_writer, (const char * const *) header->pdata,
                                  header->len, NULL, error);
}

static void
rg_member_import_result_finalize (GObject *object)
{
  RgMemberImportResult *self = (RgMemberImportResult *)object;

  if (self->spill_writer != NULL)
    rg_csv_writer_close (self->spill_writer, NULL, NULL);
  g_clear_object (&self->spill_writer);
  g_clear_object (&self->spill_stream);
  if (self->spill != NULL)
    g_file_delete (self->spill, NULL, NULL);
  g_clear_object (&self->spill);
  g_clear_object (&self->rejections);
  g_clear_pointer (&self->headers, g_strfreev);

  G_OBJECT_CLASS (rg_member_import_result_parent_class)->finalize (object);
}

static void
rg_member_import_result_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgMemberImportResult *self = RG_MEMBER_IMPORT_RESULT (object);

  switch (prop_id)
    {
    case PROP_N_ROWS:
      g_value_set_uint64 (value, self->n_rows);
      break;

    case PROP_N_ADDED:
      g_value_set_uint64 (value, self->n_added);
      break;

    case PROP_N_UPDATED:
      g_value_set_uint64 (value, self->n_updated);
      break;

    case PROP_N_SKIPPED:
      g_value_set_uint64 (value, self->n_skipped);
      break;

    case PROP_N_REJECTED:
      g_value_set_uint64 (value, self->n_rejected);
      break;

    case PROP_COMMITTED:
      g_value_set_boolean (value, self->committed);
      break;

    case PROP_REJECTIONS:
      g_value_set_object (value, self->rejections);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_import_result_class_init (RgMemberImportResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_member_import_result_finalize;
  object_class->get_property = rg_member_import_result_get_property;

  /**
   * RgMemberImportResult:n-rows:
   * Records read after the header, blank ones not counted.
   */
  properties[PROP_N_ROWS] =
    g_param_spec_uint64 ("n-rows", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImportResult:n-added:
   * New members. When #RgMemberImportResult:committed is %FALSE, the members that would
   * have been added: nothing was written.
   */
  properties[PROP_N_ADDED] =
    g_param_spec_uint64 ("n-added", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_UPDATED] =
    g_param_spec_uint64 ("n-updated", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImportResult:n-skipped:
   * Rows left alone because they match a member and the duplicate action is "skip".
   */
  properties[PROP_N_SKIPPED] =
    g_param_spec_uint64 ("n-skipped", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_REJECTED] =
    g_param_spec_uint64 ("n-rejected", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImportResult:committed:
   * Whether the import was written. An all-or-nothing import with rejected rows is not.
   */
  properties[PROP_COMMITTED] =
    g_param_spec_boolean ("committed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImportResult:rejections:
   * The first rejected rows, #RgMemberImportRejection in file order.
   */
  properties[PROP_REJECTIONS] =
    g_param_spec_object ("rejections", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_import_result_init (RgMemberImportResult *self)
{
  self->rejections = g_list_store_new (RG_TYPE_MEMBER_IMPORT_REJECTION);
}

RgMemberImportResult *
_rg_member_import_result_new (const char * const *headers)
{
  RgMemberImportResult *self = g_object_new (RG_TYPE_MEMBER_IMPORT_RESULT, NULL);

  self->headers = g_strdupv ((char **) headers);
  self->n_headers = self->headers != NULL ? g_strv_length (self->headers) : 0;
  return self;
}

/*
 * @fields: the record as read (before any unguarding), @n_fields of them
 * @column: the column at fault or -1; @field, @value: what it held
 *
 * Returns: FALSE when the rejected-rows file cannot be written
 */
gboolean
_rg_member_import_result_add_rejection (RgMemberImportResult  *self,
                                        guint                  line,
                                        const char * const    *fields,
                                        guint                  n_fields,
                                        int                    column,
                                        const char            *field,
                                        const char            *value,
                                        const char            *reason,
                                        GError               **error)
{
  g_autofree const char **row = NULL;
  g_autofree char *line_text = NULL;
  const char *header = NULL;

  g_assert (RG_IS_MEMBER_IMPORT_RESULT (self));
  g_assert (reason != NULL);

  if (column >= 0 && (guint) column < self->n_headers)
    header = self->headers[column];

  self->n_rejected++;
  if (self->n_rejected <= RG_MEMBER_IMPORT_MAX_LISTED_REJECTIONS)
    {
      g_autoptr(RgMemberImportRejection) rejection = NULL;

      rejection = rg_member_import_rejection_new (line, column, header, field, value, reason);
      g_list_store_append (self->rejections, rejection);
    }

  if (!ensure_spill (self, error))
    return FALSE;

  /* Short rows are padded so that line, column and reason stay under their headers. */
  row = g_new0 (const char *, self->n_headers + 3);
  for (guint i = 0; i < self->n_headers; i++)
    row[i] = i < n_fields ? fields[i] : "";
  line_text = g_strdup_printf ("%u", line);
  row[self->n_headers] = line_text;
  row[self->n_headers + 1] = header != NULL ? header : "";
  row[self->n_headers + 2] = reason;

  return rg_csv_writer_write_row (self->spill_writer, row, self->n_headers + 3, NULL, error);
}

gboolean
_rg_member_import_result_close (RgMemberImportResult  *self,
                                GError               **error)
{
  gboolean ok;

  g_assert (RG_IS_MEMBER_IMPORT_RESULT (self));

  if (self->spill_writer == NULL)
    return TRUE;

  ok = rg_csv_writer_close (self->spill_writer, NULL, error);
  g_clear_object (&self->spill_writer);
  if (ok)
    ok = g_io_stream_close (G_IO_STREAM (self->spill_stream), NULL, error);
  g_clear_object (&self->spill_stream);
  return ok;
}

void
_rg_member_import_result_set_counts (RgMemberImportResult *self,
                                     guint64               n_rows,
                                     guint64               n_added,
                                     guint64               n_updated,
                                     guint64               n_skipped,
                                     gboolean              committed)
{
  g_assert (RG_IS_MEMBER_IMPORT_RESULT (self));

  self->n_rows = n_rows;
  self->n_added = n_added;
  self->n_updated = n_updated;
  self->n_skipped = n_skipped;
  self->committed = !!committed;
}

guint64
rg_member_import_result_get_n_rows (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), 0);

  return self->n_rows;
}

guint64
rg_member_import_result_get_n_added (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), 0);

  return self->n_added;
}

guint64
rg_member_import_result_get_n_updated (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), 0);

  return self->n_updated;
}

guint64
rg_member_import_result_get_n_skipped (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), 0);

  return self->n_skipped;
}

guint64
rg_member_import_result_get_n_rejected (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), 0);

  return self->n_rejected;
}

gboolean
rg_member_import_result_get_committed (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), FALSE);

  return self->committed;
}

/**
 * rg_member_import_result_get_rejections:
 *
 * Returns: (transfer none): the first rejected rows (at most
 *   %RG_MEMBER_IMPORT_MAX_LISTED_REJECTIONS), #RgMemberImportRejection in file order;
 *   rg_member_import_result_get_n_rejected() counts them all
 */
GListModel *
rg_member_import_result_get_rejections (RgMemberImportResult *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), NULL);

  return G_LIST_MODEL (self->rejections);
}

/**
 * rg_member_import_result_save_rejections:
 * @file: where to write; replaced when it exists
 *
 * Writes every rejected row as CSV (UTF-8 with a BOM, for Excel): the file's own columns
 * as read, then “line”, “column” (the header of the column at fault) and “reason”. With no
 * rejected rows the file has the header row only. Fix the rows and import the file again:
 * the three added columns are not imported.
 *
 * Returns: %FALSE with @error set when the file cannot be written
 */
gboolean
rg_member_import_result_save_rejections (RgMemberImportResult  *self,
                                         GFile                 *file,
                                         GCancellable          *cancellable,
                                         GError               **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(RgCsvWriter) writer = NULL;
  g_autoptr(GPtrArray) header = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  /* The worker closes the file before the result is handed out. */
  g_return_val_if_fail (self->spill_writer == NULL, FALSE);

  if (self->spill != NULL)
    return g_file_copy (self->spill, file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                           error);
  if (stream == NULL)
    return FALSE;

  writer = rg_csv_writer_new (G_OUTPUT_STREAM (stream), RG_CSV_WRITER_BOM);
  header = spill_header (self);
  return rg_csv_writer_write_row (writer, (const char * const *) header->pdata, header->len,
                                  cancellable, error) &&
         rg_csv_writer_close (writer, cancellable, error);
}

/* The result does not change once handed out, so a worker may read it. */
static void
save_rejections_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (rg_member_import_result_save_rejections (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * rg_member_import_result_save_rejections_async:
 * @file: where to write; replaced when it exists
 *
 * rg_member_import_result_save_rejections() on a worker thread, for a caller that must not
 * wait on the disk.
 */
void
rg_member_import_result_save_rejections_async (RgMemberImportResult *self,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RG_IS_MEMBER_IMPORT_RESULT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_member_import_result_save_rejections_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_rejections_thread);
}

gboolean
rg_member_import_result_save_rejections_finish (RgMemberImportResult  *self,
                                                GAsyncResult          *result,
                                                GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        rg_member_import_result_save_rejections_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
