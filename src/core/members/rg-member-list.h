/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-member-store.h"

G_BEGIN_DECLS

typedef enum
{
  RG_MEMBER_SORT_NAME,
  RG_MEMBER_SORT_MEMBER_NUMBER,
  RG_MEMBER_SORT_CREATED,
  RG_MEMBER_SORT_POINTS_BALANCE,
  RG_MEMBER_SORT_STORED_VALUE,
} RgMemberSortKey;

#define RG_TYPE_MEMBER_SORT_KEY (rg_member_sort_key_get_type ())
#define RG_TYPE_MEMBER_LIST (rg_member_list_get_type ())

GType rg_member_sort_key_get_type (void);

G_DECLARE_FINAL_TYPE (RgMemberList, rg_member_list, RG, MEMBER_LIST, GObject)

RgMemberList    *rg_member_list_new                 (RgMemberStore   *store);
RgMemberStore   *rg_member_list_get_store           (RgMemberList    *self);
const char      *rg_member_list_get_search          (RgMemberList    *self);
void             rg_member_list_set_search          (RgMemberList    *self,
                                                     const char      *search);
RgMemberSortKey  rg_member_list_get_sort_key        (RgMemberList    *self);
void             rg_member_list_set_sort_key        (RgMemberList    *self,
                                                     RgMemberSortKey  sort_key);
gboolean         rg_member_list_get_sort_descending (RgMemberList    *self);
void             rg_member_list_set_sort_descending (RgMemberList    *self,
                                                     gboolean         descending);
gboolean         rg_member_list_find_position       (RgMemberList    *self,
                                                     gint64           member_id,
                                                     guint           *position);
void             rg_member_list_reload              (RgMemberList    *self);
guint            rg_member_list_get_fetch_count     (RgMemberList    *self);
guint            rg_member_list_get_n_cached_pages  (RgMemberList    *self);

G_END_DECLS
