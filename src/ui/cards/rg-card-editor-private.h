/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-card-editor.h"
#include "rg-card-member-picker.h"
#include "rg-card-preview.h"

G_BEGIN_DECLS

/* The parts a UI test drives; the editor itself needs none of these. */
RgCardPreview      *_rg_card_editor_get_preview               (RgCardEditor *self);
RgCardMemberPicker *_rg_card_editor_get_member_picker         (RgCardEditor *self);
GtkListBox         *_rg_card_editor_get_fields_list           (RgCardEditor *self);
GtkMenuButton      *_rg_card_editor_get_add_field_button      (RgCardEditor *self);
AdwComboRow        *_rg_card_editor_get_barcode_row           (RgCardEditor *self);
GtkWidget          *_rg_card_editor_get_header_row            (RgCardEditor *self);
GtkSwitch          *_rg_card_editor_get_show_icons_switch     (RgCardEditor *self);
GtkEditable        *_rg_card_editor_get_title_editable        (RgCardEditor *self);
GtkEditable        *_rg_card_editor_get_register_url_editable (RgCardEditor *self);
const char         *_rg_card_editor_get_barcode_status        (RgCardEditor *self);
const char         *_rg_card_editor_get_url_message           (RgCardEditor *self);
const char         *_rg_card_editor_get_fields_message        (RgCardEditor *self);
const char         *_rg_card_editor_get_header_message        (RgCardEditor *self);
const char         *_rg_card_editor_get_problem_text          (RgCardEditor *self);

G_END_DECLS
