/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-wechat-dialog.h"

G_BEGIN_DECLS

/* For UI tests: the code entry, the message shown under it (%NULL when none) and the
 * button next to the message that leads to the page where it can be fixed. */
GtkEditable *_rg_member_wechat_dialog_get_code_editable (RgMemberWeChatDialog *self);
const char  *_rg_member_wechat_dialog_get_message       (RgMemberWeChatDialog *self);
GtkWidget   *_rg_member_wechat_dialog_get_page_button   (RgMemberWeChatDialog *self);

G_END_DECLS
