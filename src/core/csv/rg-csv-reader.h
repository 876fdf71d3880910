/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-csv-error.h"

G_BEGIN_DECLS

#define RG_TYPE_CSV_READER (rg_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (RgCsvReader, rg_csv_reader, RG, CSV_READER, GObject)

RgCsvReader *rg_csv_reader_new_for_path      (const char    *path,
                                              GError       **error);
RgCsvReader *rg_csv_reader_new_for_file      (GFile         *file,
                                              GError       **error);
RgCsvReader *rg_csv_reader_new_for_bytes     (GBytes        *bytes,
                                              GError       **error);
gboolean     rg_csv_reader_next              (RgCsvReader   *self,
                                              GPtrArray    **fields,
                                              guint         *line,
                                              GError       **error);
const char  *rg_csv_reader_get_encoding      (RgCsvReader   *self);
gboolean     rg_csv_reader_get_has_bom       (RgCsvReader   *self);
char         rg_csv_reader_get_delimiter     (RgCsvReader   *self);
void         rg_csv_reader_set_delimiter     (RgCsvReader   *self,
                                              char           delimiter);
guint64      rg_csv_reader_get_bytes_read    (RgCsvReader   *self);
guint64      rg_csv_reader_get_bytes_total   (RgCsvReader   *self);
const char  *rg_csv_unguard                  (const char    *value);

G_END_DECLS
