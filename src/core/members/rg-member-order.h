/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _RgMemberOrder RgMemberOrder;

RgMemberOrder *rg_member_order_new        (sqlite3       *db,
                                           const char    *expression);
void           rg_member_order_free       (RgMemberOrder *self);
gboolean       rg_member_order_sort       (RgMemberOrder *self,
                                           GArray        *ids,
                                           gboolean       descending,
                                           guint         *queries);
void           rg_member_order_place      (RgMemberOrder *self,
                                           gint64         member_id,
                                           guint         *queries);
void           rg_member_order_forget     (RgMemberOrder *self,
                                           gint64         member_id);
void           rg_member_order_invalidate (RgMemberOrder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMemberOrder, rg_member_order_free)

G_END_DECLS
