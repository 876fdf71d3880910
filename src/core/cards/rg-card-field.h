/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "rg-card-error.h"

G_BEGIN_DECLS

/* Field ids: the member's own columns, or "attr:<key>" for a merchant-defined attribute. */
#define RG_CARD_FIELD_NAME               "name"
#define RG_CARD_FIELD_MEMBER_NUMBER      "member_number"
#define RG_CARD_FIELD_PHONE              "phone"
#define RG_CARD_FIELD_EMAIL              "email"
#define RG_CARD_FIELD_ACCUMULATED_POINTS "accumulated_points"
#define RG_CARD_FIELD_POINTS_BALANCE     "points_balance"
#define RG_CARD_FIELD_STORED_VALUE       "stored_value"
#define RG_CARD_FIELD_ATTRIBUTE_PREFIX   "attr:"

#define RG_TYPE_CARD_FIELD (rg_card_field_get_type ())

G_DECLARE_FINAL_TYPE (RgCardField, rg_card_field, RG, CARD_FIELD, GObject)

const char * const *rg_card_field_get_builtin_ids      (void);
gboolean            rg_card_field_id_check             (const char   *field_id,
                                                        GError      **error);
const char         *rg_card_field_id_get_default_label (const char   *field_id);

RgCardField        *rg_card_field_new                  (const char   *field_id,
                                                        const char   *label);
RgCardField        *rg_card_field_copy                 (RgCardField  *self);
gboolean            rg_card_field_equal                (RgCardField  *self,
                                                        RgCardField  *other);
const char         *rg_card_field_get_id               (RgCardField  *self);
const char         *rg_card_field_get_label            (RgCardField  *self);
void                rg_card_field_set_label            (RgCardField  *self,
                                                        const char   *label);
GBytes             *rg_card_field_get_icon             (RgCardField  *self);
gboolean            rg_card_field_set_icon             (RgCardField  *self,
                                                        GBytes       *png,
                                                        GError      **error);
void                rg_card_field_reset_icon           (RgCardField  *self);

G_END_DECLS
