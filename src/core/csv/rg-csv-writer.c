/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-csv-writer"

#include "config.h"

#include <string.h>

#include "rg-csv-writer.h"

#define FLUSH_SIZE (64 * 1024)

struct _RgCsvWriter
{
  GObject           parent_instance;

  GOutputStream    *stream;
  GString          *buffer;
  guint64           rows_written;
  RgCsvWriterFlags  flags;
  guint             closed : 1;
};

G_DEFINE_FINAL_TYPE (RgCsvWriter, rg_csv_writer, G_TYPE_OBJECT)

static gboolean
is_plain_number (const char *value)
{
  const char *p = value;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (digits && *p == '.')
    {
      p++;
      digits = FALSE;
      while (g_ascii_isdigit (*p))
        {
          p++;
          digits = TRUE;
        }
    }
  return digits && *p == '\0';
}

static void
append_field (RgCsvWriter *self,
              const char  *value)
{
  gboolean guard;

  if (value == NULL)
    value = "";

  guard = !(self->flags & RG_CSV_WRITER_NO_FORMULA_GUARD) && rg_csv_needs_formula_guard (value);

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      if (guard)
        g_string_append_c (self->buffer, '\'');
      g_string_append (self->buffer, value);
      return;
    }

  g_string_append_c (self->buffer, '"');
  if (guard)
    g_string_append_c (self->buffer, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (self->buffer, '"');
      g_string_append_c (self->buffer, *p);
    }
  g_string_append_c (self->buffer, '"');
}

static void
rg_csv_writer_finalize (GObject *object)
{
  RgCsvWriter *self = (RgCsvWriter *)object;

  /* A cancelled export drops its writer unclosed; that is no error. */
  if (self->buffer->len > 0)
    g_debug ("CSV writer finalized with %" G_GSIZE_FORMAT " bytes not written",
             self->buffer->len);

  g_clear_object (&self->stream);
  g_string_free (self->buffer, TRUE);

  G_OBJECT_CLASS (rg_csv_writer_parent_class)->finalize (object);
}

static void
rg_csv_writer_class_init (RgCsvWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_csv_writer_finalize;
}

static void
rg_csv_writer_init (RgCsvWriter *self)
{
  self->buffer = g_string_sized_new (FLUSH_SIZE + 4096);
}

/**
 * rg_csv_needs_formula_guard:
 * @value: a cell
 *
 * Whether a spreadsheet would take @value for a formula: it starts with = + - @ (or a tab or
 * CR, which some spreadsheets strip first) and is not a plain number such as "-12" or
 * "+886912345678".
 *
 * Returns: %TRUE when the writer prefixes @value with an apostrophe
 */
gboolean
rg_csv_needs_formula_guard (const char *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (strchr ("=+-@\t\r", value[0]) == NULL || value[0] == '\0')
    return FALSE;
  return !is_plain_number (value);
}

/**
 * rg_csv_writer_new:
 * @stream: where the CSV goes
 * @flags: #RgCsvWriterFlags
 *
 * Writes RFC 4180 CSV in UTF-8: fields quoted only where needed, CRLF line ends, as Excel
 * expects. Cells a spreadsheet would run as formulas get an apostrophe in front unless
 * @flags has %RG_CSV_WRITER_NO_FORMULA_GUARD.
 *
 * Returns: (transfer full): a new writer
 */
RgCsvWriter *
rg_csv_writer_new (GOutputStream    *stream,
                   RgCsvWriterFlags  flags)
{
  RgCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_object_new (RG_TYPE_CSV_WRITER, NULL);
  self->stream = g_object_ref (stream);
  self->flags = flags;
  if (flags & RG_CSV_WRITER_BOM)
    g_string_append (self->buffer, "\xEF\xBB\xBF");
  return self;
}

/**
 * rg_csv_writer_write_row:
 * @self: a #RgCsvWriter
 * @fields: (array length=n_fields) (element-type utf8) (nullable): the cells; a %NULL cell is
 *   written empty
 * @n_fields: the number of @fields, or -1 when @fields is %NULL-terminated
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds one row. Output is buffered; it reaches the stream in blocks and on
 * rg_csv_writer_flush() or rg_csv_writer_close().
 *
 * Returns: %TRUE, or %FALSE with @error set when writing a block failed
 */
gboolean
rg_csv_writer_write_row (RgCsvWriter         *self,
                         const char * const  *fields,
                         gssize               n_fields,
                         GCancellable        *cancellable,
                         GError             **error)
{
  gsize n;

  g_return_val_if_fail (RG_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (!self->closed, FALSE);
  g_return_val_if_fail (fields != NULL || n_fields <= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = n_fields >= 0 ? (gsize) n_fields : g_strv_length ((char **) fields);

  /* A lone empty cell would make an empty line, which readers skip. */
  if (n == 1 && (fields[0] == NULL || fields[0][0] == '\0'))
    {
      g_string_append (self->buffer, "\"\"");
    }
  else
    {
      for (gsize i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (self->buffer, ',');
          append_field (self, fields[i]);
        }
    }
  g_string_append (self->buffer, "\r\n");
  self->rows_written++;

  if (self->buffer->len >= FLUSH_SIZE)
    return rg_csv_writer_flush (self, cancellable, error);
  return TRUE;
}

/**
 * rg_csv_writer_flush:
 * @self: a #RgCsvWriter
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes buffered rows to the stream.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
rg_csv_writer_flush (RgCsvWriter   *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gboolean written;

  g_return_val_if_fail (RG_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->buffer->len == 0)
    return TRUE;

  written = g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len, NULL,
                                       cancellable, error);
  /* What failed to go out is dropped: the stream is broken and the caller told. */
  g_string_truncate (self->buffer, 0);
  return written;
}

/**
 * rg_csv_writer_close:
 * @self: a #RgCsvWriter
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flushes and closes the stream. Nothing may be written afterwards.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
rg_csv_writer_close (RgCsvWriter   *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gboolean flushed;

  g_return_val_if_fail (RG_IS_CSV_WRITER (self), FALSE);
  g_return_val_if_fail (!self->closed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->closed = TRUE;
  flushed = rg_csv_writer_flush (self, cancellable, error);
  if (!flushed)
    {
      g_output_stream_close (self->stream, cancellable, NULL);
      return FALSE;
    }
  return g_output_stream_close (self->stream, cancellable, error);
}

/**
 * rg_csv_writer_get_rows_written:
 * @self: a #RgCsvWriter
 *
 * Returns: the rows written so far
 */
guint64
rg_csv_writer_get_rows_written (RgCsvWriter *self)
{
  g_return_val_if_fail (RG_IS_CSV_WRITER (self), 0);

  return self->rows_written;
}
