/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_ADJUST_DIALOG (rg_member_adjust_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberAdjustDialog, rg_member_adjust_dialog, RG, MEMBER_ADJUST_DIALOG, AdwWindow)

GtkWindow *rg_member_adjust_dialog_new           (GtkWindow            *parent,
                                                  RgMemberStore        *member_store,
                                                  gint64                member_id);
gint64     rg_member_adjust_dialog_get_member_id (RgMemberAdjustDialog *self);
gboolean   rg_member_adjust_dialog_apply         (RgMemberAdjustDialog *self);

G_END_DECLS
