/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-card-link.h"
#include "rg-card-store.h"
#include "rg-member-store.h"
#include "rg-server.h"
#include "rg-service.h"

G_BEGIN_DECLS

/**
 * RgMemberCenterLanguage:
 *
 * The languages the member-center pages speak, chosen per request from Accept-Language.
 */
typedef enum
{
  RG_MEMBER_CENTER_LANGUAGE_EN,
  RG_MEMBER_CENTER_LANGUAGE_ZH_TW,
  RG_MEMBER_CENTER_LANGUAGE_ZH_CN,
} RgMemberCenterLanguage;

#define RG_MEMBER_CENTER_N_LANGUAGES 3

#define RG_TYPE_MEMBER_CENTER (rg_member_center_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberCenter, rg_member_center, RG, MEMBER_CENTER, GObject)

RgMemberCenterLanguage rg_member_center_negotiate_language    (const char              *accept_language);
const char            *rg_member_center_language_to_string    (RgMemberCenterLanguage   language);
const char            *rg_member_center_language_to_tag       (RgMemberCenterLanguage   language);

RgMemberCenter        *rg_member_center_new                   (RgStore                 *store,
                                                               RgChannelSettings       *settings);
RgStore               *rg_member_center_get_store             (RgMemberCenter          *self);
RgChannelSettings     *rg_member_center_get_settings          (RgMemberCenter          *self);
RgCardLink            *rg_member_center_get_link              (RgMemberCenter          *self);
RgCardStore           *rg_member_center_get_card_store        (RgMemberCenter          *self);
RgMemberStore         *rg_member_center_get_member_store      (RgMemberCenter          *self);
const char            *rg_member_center_get_locale_dir        (RgMemberCenter          *self);
void                   rg_member_center_set_locale_dir        (RgMemberCenter          *self,
                                                               const char              *locale_dir);
void                   rg_member_center_attach                (RgMemberCenter          *self,
                                                               RgServer                *server);

void                   rg_member_center_add_to_service        (RgService               *service);

G_END_DECLS
