/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-card-design.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_FIELD_ROW (rg_card_field_row_get_type ())

G_DECLARE_FINAL_TYPE (RgCardFieldRow, rg_card_field_row, RG, CARD_FIELD_ROW, AdwExpanderRow)

GtkWidget    *rg_card_field_row_new                (RgCardDesign   *design,
                                                    RgCardField    *field,
                                                    const char     *field_name);
RgCardDesign *rg_card_field_row_get_design         (RgCardFieldRow *self);
RgCardField  *rg_card_field_row_get_field          (RgCardFieldRow *self);
const char   *rg_card_field_row_get_field_name     (RgCardFieldRow *self);
void          rg_card_field_row_set_position       (RgCardFieldRow *self,
                                                    guint           position,
                                                    guint           n_fields);
GtkEditable  *rg_card_field_row_get_label_editable (RgCardFieldRow *self);
void          rg_card_field_row_load_icon          (RgCardFieldRow *self,
                                                    GFile          *file);
const char   *rg_card_field_row_get_message        (RgCardFieldRow *self);

G_END_DECLS
