/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "rg-csv-error.h"

G_BEGIN_DECLS

/* The field of a column that is not imported. Custom attributes are "attr:<key>". */
#define RG_CSV_FIELD_IGNORE      "ignore"
#define RG_CSV_FIELD_ATTR_PREFIX "attr:"

#define RG_TYPE_CSV_MAPPING (rg_csv_mapping_get_type ())

G_DECLARE_FINAL_TYPE (RgCsvMapping, rg_csv_mapping, RG, CSV_MAPPING, GObject)

RgCsvMapping        *rg_csv_mapping_new            (const char * const  *headers,
                                                    gssize               n_headers);
void                 rg_csv_mapping_add_attribute  (RgCsvMapping        *self,
                                                    const char          *key,
                                                    const char          *label);
void                 rg_csv_mapping_guess          (RgCsvMapping        *self);
gboolean             rg_csv_mapping_parse_spec     (RgCsvMapping        *self,
                                                    const char          *spec,
                                                    GError             **error);
char                *rg_csv_mapping_to_spec        (RgCsvMapping        *self);
guint                rg_csv_mapping_get_n_columns  (RgCsvMapping        *self);
const char          *rg_csv_mapping_get_header     (RgCsvMapping        *self,
                                                    guint                column);
const char          *rg_csv_mapping_get_field      (RgCsvMapping        *self,
                                                    guint                column);
gboolean             rg_csv_mapping_set_field      (RgCsvMapping        *self,
                                                    guint                column,
                                                    const char          *field,
                                                    GError             **error);
int                  rg_csv_mapping_find_field     (RgCsvMapping        *self,
                                                    const char          *field);
gboolean             rg_csv_mapping_is_valid_field (RgCsvMapping        *self,
                                                    const char          *field);
const char * const  *rg_csv_field_list             (void);
const char          *rg_csv_field_get_label        (const char          *field);
char                *rg_csv_combine_name           (const char          *first_name,
                                                    const char          *last_name);

G_END_DECLS
