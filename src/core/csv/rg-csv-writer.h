/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RgCsvWriterFlags:
 * @RG_CSV_WRITER_FLAGS_NONE: UTF-8 without BOM, formula guard on
 * @RG_CSV_WRITER_BOM: start with a UTF-8 byte order mark, so Excel reads the file as UTF-8
 * @RG_CSV_WRITER_NO_FORMULA_GUARD: write cells that start with = + - @ as they are
 */
typedef enum
{
  RG_CSV_WRITER_FLAGS_NONE       = 0,
  RG_CSV_WRITER_BOM              = 1 << 0,
  RG_CSV_WRITER_NO_FORMULA_GUARD = 1 << 1,
} RgCsvWriterFlags;

#define RG_TYPE_CSV_WRITER (rg_csv_writer_get_type ())

G_DECLARE_FINAL_TYPE (RgCsvWriter, rg_csv_writer, RG, CSV_WRITER, GObject)

RgCsvWriter *rg_csv_writer_new              (GOutputStream       *stream,
                                             RgCsvWriterFlags     flags);
gboolean     rg_csv_writer_write_row        (RgCsvWriter         *self,
                                             const char * const  *fields,
                                             gssize               n_fields,
                                             GCancellable        *cancellable,
                                             GError             **error);
gboolean     rg_csv_writer_flush            (RgCsvWriter         *self,
                                             GCancellable        *cancellable,
                                             GError             **error);
gboolean     rg_csv_writer_close            (RgCsvWriter         *self,
                                             GCancellable        *cancellable,
                                             GError             **error);
guint64      rg_csv_writer_get_rows_written (RgCsvWriter         *self);
gboolean     rg_csv_needs_formula_guard     (const char          *value);

G_END_DECLS
