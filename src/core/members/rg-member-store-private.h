/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-store.h"

G_BEGIN_DECLS

/* The columns every member query selects, in the order _rg_member_store_member_from_row()
 * reads them; the members table is aliased `m`. The attributes come along as one JSON object
 * so that a page of members is one query. */
#define RG_MEMBER_SELECT_COLUMNS \
  "m.id, m.member_number, m.name, m.phone, m.email, m.accumulated_points, " \
  "m.points_balance, m.stored_value, m.tags, m.note, m.line_user_id, m.line_friend, " \
  "m.whatsapp_id, m.whatsapp_opted_in, m.wechat_openid, m.wechat_follower, m.created_at, " \
  "m.updated_at, " \
  "(SELECT json_group_object (a.key, a.value) FROM member_attributes a " \
  "  WHERE a.member_id = m.id)"

#define RG_MEMBER_N_SELECT_COLUMNS 19

RgMember *_rg_member_store_member_from_row (sqlite3_stmt *stmt);

G_END_DECLS
