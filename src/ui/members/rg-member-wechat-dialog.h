/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-card-wechat.h"
#include "rg-member.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_WECHAT_DIALOG (rg_member_wechat_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberWeChatDialog, rg_member_wechat_dialog, RG, MEMBER_WECHAT_DIALOG, AdwWindow)

GtkWindow *rg_member_wechat_dialog_new        (GtkWindow            *parent,
                                               RgCardWeChat         *wechat,
                                               RgMember             *member,
                                               const char           *pending_code);
RgMember  *rg_member_wechat_dialog_get_member (RgMemberWeChatDialog *self);
gboolean   rg_member_wechat_dialog_get_busy   (RgMemberWeChatDialog *self);

G_END_DECLS
