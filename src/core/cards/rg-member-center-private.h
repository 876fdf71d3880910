/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-card-data.h"
#include "rg-card-design.h"
#include "rg-member-center.h"

G_BEGIN_DECLS

/* What the member-center route answers (rg-member-center-page.c). */
typedef enum
{
  RG_MEMBER_CENTER_PAGE_CARD,
  RG_MEMBER_CENTER_PAGE_NOT_FOUND,
  RG_MEMBER_CENTER_PAGE_DISABLED,
  RG_MEMBER_CENTER_PAGE_INVALID,
  RG_MEMBER_CENTER_PAGE_EXPIRED,
  RG_MEMBER_CENTER_PAGE_GONE,
  RG_MEMBER_CENTER_PAGE_UNAVAILABLE,
} RgMemberCenterPage;

/* The project's compiled catalogs (<locale dir>/<lang>/LC_MESSAGES/regulars.mo), read
 * directly so that one process can answer in several languages at once. Immutable after
 * creation except for the lazily mapped files, which a mutex guards: safe from any thread. */
typedef struct _RgMemberCenterCatalogs RgMemberCenterCatalogs;

RgMemberCenterCatalogs *_rg_member_center_catalogs_new   (const char              *locale_dir);
RgMemberCenterCatalogs *_rg_member_center_catalogs_ref   (RgMemberCenterCatalogs  *catalogs);
void                    _rg_member_center_catalogs_unref (RgMemberCenterCatalogs  *catalogs);
const char             *_rg_member_center_gettext        (RgMemberCenterCatalogs  *catalogs,
                                                          RgMemberCenterLanguage   language,
                                                          const char              *msgid);

guint                   _rg_member_center_page_status    (RgMemberCenterPage       page);
char                   *_rg_member_center_build_page     (RgMemberCenterCatalogs  *catalogs,
                                                          RgMemberCenterLanguage   language,
                                                          RgMemberCenterPage       page,
                                                          RgCardDesign            *design,
                                                          RgCardData              *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMemberCenterCatalogs, _rg_member_center_catalogs_unref)

G_END_DECLS
