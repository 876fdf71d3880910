/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_CSV_ERROR (rg_csv_error_quark ())

typedef enum
{
  RG_CSV_ERROR_ENCODING,
  RG_CSV_ERROR_UNTERMINATED_QUOTE,
  RG_CSV_ERROR_RECORD_TOO_LONG,
  RG_CSV_ERROR_SPEC,
  RG_CSV_ERROR_UNKNOWN_COLUMN,
  RG_CSV_ERROR_UNKNOWN_FIELD,
  RG_CSV_ERROR_DUPLICATE_FIELD,
} RgCsvError;

GQuark rg_csv_error_quark (void);

G_END_DECLS
