/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rg-card-data.h"
#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_MEMBER_PICKER (rg_card_member_picker_get_type ())

G_DECLARE_FINAL_TYPE (RgCardMemberPicker, rg_card_member_picker, RG, CARD_MEMBER_PICKER, GtkWidget)

GtkWidget     *rg_card_member_picker_new              (void);
RgMemberStore *rg_card_member_picker_get_member_store (RgCardMemberPicker *self);
void           rg_card_member_picker_set_member_store (RgCardMemberPicker *self,
                                                       RgMemberStore      *member_store);
const char    *rg_card_member_picker_get_currency     (RgCardMemberPicker *self);
void           rg_card_member_picker_set_currency     (RgCardMemberPicker *self,
                                                       const char         *currency);
RgCardData    *rg_card_member_picker_get_data         (RgCardMemberPicker *self);
void           rg_card_member_picker_set_data         (RgCardMemberPicker *self,
                                                       RgCardData         *data);
void           rg_card_member_picker_pick_sample      (RgCardMemberPicker *self);
gboolean       rg_card_member_picker_pick_member      (RgCardMemberPicker *self,
                                                       gint64              member_id,
                                                       GError            **error);

G_END_DECLS
