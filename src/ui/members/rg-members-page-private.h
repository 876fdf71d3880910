/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-editor.h"
#include "rg-members-page.h"

G_BEGIN_DECLS

/* The parts a UI test drives; the page itself needs none of these. */
GtkSearchEntry *_rg_members_page_get_search_entry (RgMembersPage *self);
GtkColumnView  *_rg_members_page_get_column_view  (RgMembersPage *self);
GtkLabel       *_rg_members_page_get_count_label  (RgMembersPage *self);
RgMemberEditor *_rg_members_page_get_editor       (RgMembersPage *self);
const char     *_rg_members_page_get_state        (RgMembersPage *self);
AdwToast       *_rg_members_page_get_undo_toast   (RgMembersPage *self);

G_END_DECLS
