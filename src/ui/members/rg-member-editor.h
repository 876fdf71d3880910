/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_EDITOR (rg_member_editor_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberEditor, rg_member_editor, RG, MEMBER_EDITOR, GtkWidget)

GtkWidget     *rg_member_editor_new               (void);
RgMemberStore *rg_member_editor_get_member_store  (RgMemberEditor *self);
void           rg_member_editor_set_member_store  (RgMemberEditor *self,
                                                   RgMemberStore  *member_store);
RgMember      *rg_member_editor_get_member        (RgMemberEditor *self);
void           rg_member_editor_set_member        (RgMemberEditor *self,
                                                   RgMember       *member);
void           rg_member_editor_new_member        (RgMemberEditor *self);
gboolean       rg_member_editor_get_is_new        (RgMemberEditor *self);
gboolean       rg_member_editor_get_dirty         (RgMemberEditor *self);
gboolean       rg_member_editor_save              (RgMemberEditor *self);
void           rg_member_editor_focus_first       (RgMemberEditor *self);

G_END_DECLS
