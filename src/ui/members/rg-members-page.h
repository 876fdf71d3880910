/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-list.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBERS_PAGE (rg_members_page_get_type ())

G_DECLARE_FINAL_TYPE (RgMembersPage, rg_members_page, RG, MEMBERS_PAGE, GtkWidget)

GtkWidget     *rg_members_page_new        (void);
RgStore       *rg_members_page_get_store  (RgMembersPage *self);
void           rg_members_page_set_store  (RgMembersPage *self,
                                           RgStore       *store);
RgMemberList  *rg_members_page_get_list   (RgMembersPage *self);
void           rg_members_page_show_member (RgMembersPage *self,
                                           gint64         member_id);

G_END_DECLS
