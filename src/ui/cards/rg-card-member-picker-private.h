/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-card-member-picker.h"

G_BEGIN_DECLS

/* The parts a UI test drives; the picker itself needs none of these. */
GtkMenuButton  *_rg_card_member_picker_get_button       (RgCardMemberPicker *self);
GtkSearchEntry *_rg_card_member_picker_get_search_entry (RgCardMemberPicker *self);
GtkListView    *_rg_card_member_picker_get_list_view    (RgCardMemberPicker *self);
GListModel     *_rg_card_member_picker_get_members      (RgCardMemberPicker *self);

G_END_DECLS
