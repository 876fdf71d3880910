/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-member-import-rejection.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_IMPORT_RESULT (rg_member_import_result_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberImportResult, rg_member_import_result, RG, MEMBER_IMPORT_RESULT, GObject)

guint64     rg_member_import_result_get_n_rows           (RgMemberImportResult  *self);
guint64     rg_member_import_result_get_n_added          (RgMemberImportResult  *self);
guint64     rg_member_import_result_get_n_updated        (RgMemberImportResult  *self);
guint64     rg_member_import_result_get_n_skipped        (RgMemberImportResult  *self);
guint64     rg_member_import_result_get_n_rejected       (RgMemberImportResult  *self);
gboolean    rg_member_import_result_get_committed        (RgMemberImportResult  *self);
GListModel *rg_member_import_result_get_rejections       (RgMemberImportResult  *self);
gboolean    rg_member_import_result_save_rejections      (RgMemberImportResult  *self,
                                                          GFile                 *file,
                                                          GCancellable          *cancellable,
                                                          GError               **error);
void        rg_member_import_result_save_rejections_async  (RgMemberImportResult  *self,
                                                            GFile                 *file,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean    rg_member_import_result_save_rejections_finish (RgMemberImportResult  *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

G_END_DECLS
