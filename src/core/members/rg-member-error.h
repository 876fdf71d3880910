/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_MEMBER_ERROR (rg_member_error_quark ())

typedef enum
{
  RG_MEMBER_ERROR_INVALID,
  RG_MEMBER_ERROR_DUPLICATE,
  RG_MEMBER_ERROR_NOT_FOUND,
  RG_MEMBER_ERROR_NEGATIVE_BALANCE,
  RG_MEMBER_ERROR_UNKNOWN_ATTRIBUTE,
  RG_MEMBER_ERROR_ATTRIBUTE_CONFLICT,
} RgMemberError;

/* Field names used by rg_member_error_get_field(); they match the CSV mapping's field ids,
 * attributes are "attr:<key>". */
#define RG_MEMBER_FIELD_MEMBER_NUMBER      "member_number"
#define RG_MEMBER_FIELD_NAME               "name"
#define RG_MEMBER_FIELD_PHONE              "phone"
#define RG_MEMBER_FIELD_EMAIL              "email"
#define RG_MEMBER_FIELD_ACCUMULATED_POINTS "accumulated_points"
#define RG_MEMBER_FIELD_POINTS_BALANCE     "points_balance"
#define RG_MEMBER_FIELD_STORED_VALUE       "stored_value"
#define RG_MEMBER_FIELD_TAGS               "tags"
#define RG_MEMBER_FIELD_NOTE               "note"
#define RG_MEMBER_FIELD_LINE_USER_ID       "line_user_id"
#define RG_MEMBER_FIELD_WHATSAPP_ID        "whatsapp_id"
#define RG_MEMBER_FIELD_WECHAT_OPENID      "wechat_openid"
#define RG_MEMBER_FIELD_REASON             "reason"
#define RG_MEMBER_FIELD_SOURCE             "source"
#define RG_MEMBER_FIELD_ATTRIBUTE_PREFIX   "attr:"
#define RG_MEMBER_FIELD_ATTRIBUTE_KEY      "key"
#define RG_MEMBER_FIELD_ATTRIBUTE_LABEL    "label"
#define RG_MEMBER_FIELD_ATTRIBUTE_TYPE     "type"

GQuark       rg_member_error_quark     (void);
const char  *rg_member_error_get_field (const GError *error);
void         rg_member_error_set_field (GError       *error,
                                        const char   *field);
void         rg_member_set_error       (GError      **error,
                                        RgMemberError code,
                                        const char   *field,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
