/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-import-result.h"

G_BEGIN_DECLS

/* Rejections listed in memory (the dialog's list, the command line's lines); every one,
 * with its original columns, goes to the file that rg_member_import_result_save_rejections()
 * copies. */
#define RG_MEMBER_IMPORT_MAX_LISTED_REJECTIONS 10000

RgMemberImportResult *_rg_member_import_result_new           (const char * const    *headers);
gboolean              _rg_member_import_result_add_rejection (RgMemberImportResult  *self,
                                                              guint                  line,
                                                              const char * const    *fields,
                                                              guint                  n_fields,
                                                              int                    column,
                                                              const char            *field,
                                                              const char            *value,
                                                              const char            *reason,
                                                              GError               **error);
gboolean              _rg_member_import_result_close         (RgMemberImportResult  *self,
                                                              GError               **error);
void                  _rg_member_import_result_set_counts    (RgMemberImportResult  *self,
                                                              guint64                n_rows,
                                                              guint64                n_added,
                                                              guint64                n_updated,
                                                              guint64                n_skipped,
                                                              gboolean               committed);

G_END_DECLS
