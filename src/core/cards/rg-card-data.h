/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-member.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_DATA (rg_card_data_get_type ())

G_DECLARE_FINAL_TYPE (RgCardData, rg_card_data, RG, CARD_DATA, GObject)

RgCardData *rg_card_data_new               (const char *member_number);
RgCardData *rg_card_data_new_sample        (void);
RgCardData *rg_card_data_new_for_member    (RgMember   *member,
                                            GListModel *attributes,
                                            const char *currency);
const char *rg_card_data_get_member_number (RgCardData *self);
void        rg_card_data_set_member_number (RgCardData *self,
                                            const char *member_number);
const char *rg_card_data_get_value         (RgCardData *self,
                                            const char *field_id);
void        rg_card_data_set_value         (RgCardData *self,
                                            const char *field_id,
                                            const char *value);
gboolean    rg_card_data_get_is_sample     (RgCardData *self);


G_END_DECLS
