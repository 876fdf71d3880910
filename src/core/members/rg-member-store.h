/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-attribute-definition.h"
#include "rg-balance-change.h"
#include "rg-ledger-entry.h"
#include "rg-member.h"
#include "rg-member-error.h"
#include "rg-store.h"

G_BEGIN_DECLS

/**
 * RgMemberChangeFlags:
 *
 * What an update changed, so that a list can tell whether a row may have moved.
 */
typedef enum
{
  RG_MEMBER_CHANGE_NONE          = 0,
  RG_MEMBER_CHANGE_MEMBER_NUMBER = 1 << 0,
  RG_MEMBER_CHANGE_NAME          = 1 << 1,
  RG_MEMBER_CHANGE_PHONE         = 1 << 2,
  RG_MEMBER_CHANGE_EMAIL         = 1 << 3,
  RG_MEMBER_CHANGE_CREATED_AT    = 1 << 4,
  RG_MEMBER_CHANGE_BALANCES      = 1 << 5,
  RG_MEMBER_CHANGE_CHANNELS      = 1 << 6,
  RG_MEMBER_CHANGE_DETAILS       = 1 << 7,
} RgMemberChangeFlags;

#define RG_TYPE_MEMBER_CHANGE_FLAGS (rg_member_change_flags_get_type ())
#define RG_TYPE_MEMBER_STORE (rg_member_store_get_type ())

GType rg_member_change_flags_get_type (void);

G_DECLARE_FINAL_TYPE (RgMemberStore, rg_member_store, RG, MEMBER_STORE, GObject)

RgMemberStore         *rg_member_store_new                    (RgStore                *store);
RgStore               *rg_member_store_get_store              (RgMemberStore          *self);
gboolean               rg_member_store_validate               (RgMemberStore          *self,
                                                               RgMember               *member,
                                                               GError                **error);
gboolean               rg_member_store_insert                 (RgMemberStore          *self,
                                                               RgMember               *member,
                                                               const char             *source,
                                                               GError                **error);
gboolean               rg_member_store_update                 (RgMemberStore          *self,
                                                               RgMember               *member,
                                                               GError                **error);
RgMember              *rg_member_store_get                    (RgMemberStore          *self,
                                                               gint64                  id,
                                                               GError                **error);
RgMember              *rg_member_store_find_by_member_number  (RgMemberStore          *self,
                                                               const char             *member_number,
                                                               GError                **error);
RgMember              *rg_member_store_find_by_phone          (RgMemberStore          *self,
                                                               const char             *phone,
                                                               GError                **error);
RgMember              *rg_member_store_find_by_line_user_id   (RgMemberStore          *self,
                                                               const char             *line_user_id,
                                                               GError                **error);
RgMember              *rg_member_store_find_by_whatsapp_id    (RgMemberStore          *self,
                                                               const char             *whatsapp_id,
                                                               GError                **error);
RgMember              *rg_member_store_find_by_wechat_openid  (RgMemberStore          *self,
                                                               const char             *openid,
                                                               GError                **error);
gboolean               rg_member_store_delete                 (RgMemberStore          *self,
                                                               gint64                  id,
                                                               GError                **error);
gboolean               rg_member_store_restore                (RgMemberStore          *self,
                                                               gint64                  id,
                                                               GError                **error);
gboolean               rg_member_store_count                  (RgMemberStore          *self,
                                                               guint64                *count,
                                                               GError                **error);
gboolean               rg_member_store_set_line_friend        (RgMemberStore          *self,
                                                               const char             *line_user_id,
                                                               gboolean                is_friend,
                                                               GError                **error);
gboolean               rg_member_store_adjust                 (RgMemberStore          *self,
                                                               gint64                  member_id,
                                                               const RgBalanceChange  *change,
                                                               GError                **error);
GListModel            *rg_member_store_list_ledger            (RgMemberStore          *self,
                                                               gint64                  member_id,
                                                               GError                **error);
GListModel            *rg_member_store_list_attributes        (RgMemberStore          *self,
                                                               GError                **error);
RgAttributeDefinition *rg_member_store_lookup_attribute       (RgMemberStore          *self,
                                                               const char             *key,
                                                               GError                **error);
gboolean               rg_member_store_add_attribute          (RgMemberStore          *self,
                                                               RgAttributeDefinition  *definition,
                                                               GError                **error);
gboolean               rg_member_store_update_attribute       (RgMemberStore          *self,
                                                               const char             *key,
                                                               RgAttributeDefinition  *definition,
                                                               GError                **error);
gboolean               rg_member_store_remove_attribute       (RgMemberStore          *self,
                                                               const char             *key,
                                                               GError                **error);
void                   rg_member_store_emit_changed           (RgMemberStore          *self);
void                   rg_member_store_emit_member_changed    (RgMemberStore          *self,
                                                               gint64                  member_id,
                                                               RgMemberChangeFlags     changes);

G_END_DECLS
