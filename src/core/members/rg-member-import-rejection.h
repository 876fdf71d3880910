/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_IMPORT_REJECTION (rg_member_import_rejection_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberImportRejection, rg_member_import_rejection, RG, MEMBER_IMPORT_REJECTION, GObject)

RgMemberImportRejection *rg_member_import_rejection_new        (guint                     line,
                                                                int                       column,
                                                                const char               *header,
                                                                const char               *field,
                                                                const char               *value,
                                                                const char               *reason);
guint                    rg_member_import_rejection_get_line   (RgMemberImportRejection  *self);
int                      rg_member_import_rejection_get_column (RgMemberImportRejection  *self);
const char              *rg_member_import_rejection_get_header (RgMemberImportRejection  *self);
const char              *rg_member_import_rejection_get_field  (RgMemberImportRejection  *self);
const char              *rg_member_import_rejection_get_value  (RgMemberImportRejection  *self);
const char              *rg_member_import_rejection_get_reason (RgMemberImportRejection  *self);
char                    *rg_member_import_rejection_to_string  (RgMemberImportRejection  *self);

G_END_DECLS
