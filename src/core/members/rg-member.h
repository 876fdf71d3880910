/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RG_TYPE_MEMBER (rg_member_get_type ())

G_DECLARE_FINAL_TYPE (RgMember, rg_member, RG, MEMBER, GObject)

RgMember           *rg_member_new                   (void);
RgMember           *rg_member_copy                  (RgMember           *self);
void                rg_member_assign                (RgMember           *self,
                                                     RgMember           *source);
gint64              rg_member_get_id                (RgMember           *self);
void                rg_member_set_id                (RgMember           *self,
                                                     gint64              id);
const char         *rg_member_get_member_number     (RgMember           *self);
void                rg_member_set_member_number     (RgMember           *self,
                                                     const char         *member_number);
const char         *rg_member_get_name              (RgMember           *self);
void                rg_member_set_name              (RgMember           *self,
                                                     const char         *name);
const char         *rg_member_get_phone             (RgMember           *self);
void                rg_member_set_phone             (RgMember           *self,
                                                     const char         *phone);
const char         *rg_member_get_phone_display     (RgMember           *self);
void                rg_member_set_home_region       (RgMember           *self,
                                                     const char         *region);
const char         *rg_member_get_email             (RgMember           *self);
void                rg_member_set_email             (RgMember           *self,
                                                     const char         *email);
gint64              rg_member_get_accumulated_points (RgMember          *self);
void                rg_member_set_accumulated_points (RgMember          *self,
                                                     gint64              points);
gint64              rg_member_get_points_balance    (RgMember           *self);
void                rg_member_set_points_balance    (RgMember           *self,
                                                     gint64              points);
gint64              rg_member_get_stored_value      (RgMember           *self);
void                rg_member_set_stored_value      (RgMember           *self,
                                                     gint64              stored_value);
const char * const *rg_member_get_tags              (RgMember           *self);
void                rg_member_set_tags              (RgMember           *self,
                                                     const char * const *tags);
const char         *rg_member_get_note              (RgMember           *self);
void                rg_member_set_note              (RgMember           *self,
                                                     const char         *note);
const char         *rg_member_get_line_user_id      (RgMember           *self);
void                rg_member_set_line_user_id      (RgMember           *self,
                                                     const char         *line_user_id);
gboolean            rg_member_get_line_friend       (RgMember           *self);
void                rg_member_set_line_friend       (RgMember           *self,
                                                     gboolean            line_friend);
const char         *rg_member_get_whatsapp_id       (RgMember           *self);
void                rg_member_set_whatsapp_id       (RgMember           *self,
                                                     const char         *whatsapp_id);
gboolean            rg_member_get_whatsapp_opted_in (RgMember           *self);
void                rg_member_set_whatsapp_opted_in (RgMember           *self,
                                                     gboolean            opted_in);
const char         *rg_member_get_wechat_openid     (RgMember           *self);
void                rg_member_set_wechat_openid     (RgMember           *self,
                                                     const char         *openid);
gboolean            rg_member_get_wechat_follower   (RgMember           *self);
void                rg_member_set_wechat_follower   (RgMember           *self,
                                                     gboolean            follower);
gint64              rg_member_get_created_at        (RgMember           *self);
void                rg_member_set_created_at        (RgMember           *self,
                                                     gint64              created_at);
gint64              rg_member_get_updated_at        (RgMember           *self);
void                rg_member_set_updated_at        (RgMember           *self,
                                                     gint64              updated_at);
const char         *rg_member_get_attribute         (RgMember           *self,
                                                     const char         *key);
void                rg_member_set_attribute         (RgMember           *self,
                                                     const char         *key,
                                                     const char         *value);
char              **rg_member_dup_attribute_keys    (RgMember           *self);
void                rg_member_clear_attributes      (RgMember           *self);

G_END_DECLS
