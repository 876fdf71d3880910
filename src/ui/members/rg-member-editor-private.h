/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-editor.h"

G_BEGIN_DECLS

/* For UI tests: the widget that edits @field (an RG_MEMBER_FIELD_* name or "attr:KEY") and
 * the message shown under it, %NULL when it shows none. */
GtkWidget  *_rg_member_editor_get_field_widget (RgMemberEditor *self,
                                                const char     *field);
const char *_rg_member_editor_get_field_error  (RgMemberEditor *self,
                                                const char     *field);

/* The row that says where the member's WeChat card stands, with its Activate button. */
AdwActionRow *_rg_member_editor_get_wechat_card_row (RgMemberEditor *self);

G_END_DECLS
