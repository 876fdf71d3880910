/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-csv-mapping.h"
#include "rg-member-import-result.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_MEMBER_IMPORT_ERROR (rg_member_import_error_quark ())

typedef enum
{
  RG_MEMBER_IMPORT_ERROR_EMPTY,
  RG_MEMBER_IMPORT_ERROR_NO_FIELDS,
  RG_MEMBER_IMPORT_ERROR_NO_FILE,
  RG_MEMBER_IMPORT_ERROR_CHANGED,
} RgMemberImportError;

/**
 * RgMemberImportMatch:
 * @RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER: a row is the member with its member number
 * @RG_MEMBER_IMPORT_MATCH_PHONE: a row is the (oldest) member with its phone number
 *
 * How a row is recognised as a member who exists already.
 */
typedef enum
{
  RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER,
  RG_MEMBER_IMPORT_MATCH_PHONE,
} RgMemberImportMatch;

/**
 * RgMemberImportDuplicateAction:
 * @RG_MEMBER_IMPORT_DUPLICATE_UPDATE: the row's non-empty cells overwrite the member's values
 * @RG_MEMBER_IMPORT_DUPLICATE_SKIP: the row is left out
 */
typedef enum
{
  RG_MEMBER_IMPORT_DUPLICATE_UPDATE,
  RG_MEMBER_IMPORT_DUPLICATE_SKIP,
} RgMemberImportDuplicateAction;

/**
 * RgMemberImportPreview:
 * @encoding: the encoding found: "UTF-8", "CP950" (Big5), "BIG5-HKSCS", "UTF-16LE" or "UTF-16BE"
 * @has_bom: whether the file starts with a byte order mark
 * @delimiter: the field delimiter found
 * @headers: the header row, %NULL-terminated
 * @n_columns: the number of @headers
 * @rows: the first records after the header, each a %NULL-terminated array of @n_columns
 *   strings (short records are padded with "")
 * @lines: (element-type guint): the line each of @rows starts on
 */
typedef struct
{
  char       *encoding;
  gboolean    has_bom;
  char        delimiter;
  char      **headers;
  guint       n_columns;
  GPtrArray  *rows;
  GArray     *lines;
} RgMemberImportPreview;

#define RG_TYPE_MEMBER_IMPORT_PREVIEW (rg_member_import_preview_get_type ())
#define RG_TYPE_MEMBER_IMPORT_MATCH (rg_member_import_match_get_type ())
#define RG_TYPE_MEMBER_IMPORT_DUPLICATE_ACTION (rg_member_import_duplicate_action_get_type ())
#define RG_TYPE_MEMBER_IMPORTER (rg_member_importer_get_type ())

GQuark                 rg_member_import_error_quark            (void);
GType                  rg_member_import_match_get_type         (void);
GType                  rg_member_import_duplicate_action_get_type (void);
GType                  rg_member_import_preview_get_type       (void) G_GNUC_CONST;
RgMemberImportPreview *rg_member_import_preview_copy           (const RgMemberImportPreview *preview);
void                   rg_member_import_preview_free           (RgMemberImportPreview       *preview);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMemberImportPreview, rg_member_import_preview_free)

G_DECLARE_FINAL_TYPE (RgMemberImporter, rg_member_importer, RG, MEMBER_IMPORTER, GObject)

RgMemberImporter              *rg_member_importer_new                (RgStore                        *store);
RgStore                       *rg_member_importer_get_store          (RgMemberImporter               *self);
GFile                         *rg_member_importer_get_file           (RgMemberImporter               *self);
void                           rg_member_importer_set_file           (RgMemberImporter               *self,
                                                                      GFile                          *file);
void                           rg_member_importer_set_path           (RgMemberImporter               *self,
                                                                      const char                     *path);
RgCsvMapping                  *rg_member_importer_get_mapping        (RgMemberImporter               *self);
void                           rg_member_importer_set_mapping        (RgMemberImporter               *self,
                                                                      RgCsvMapping                   *mapping);
RgMemberImportMatch            rg_member_importer_get_match          (RgMemberImporter               *self);
void                           rg_member_importer_set_match          (RgMemberImporter               *self,
                                                                      RgMemberImportMatch             match);
RgMemberImportDuplicateAction  rg_member_importer_get_on_duplicate   (RgMemberImporter               *self);
void                           rg_member_importer_set_on_duplicate   (RgMemberImporter               *self,
                                                                      RgMemberImportDuplicateAction   action);
gboolean                       rg_member_importer_get_commit_valid   (RgMemberImporter               *self);
void                           rg_member_importer_set_commit_valid   (RgMemberImporter               *self,
                                                                      gboolean                        commit_valid);
double                         rg_member_importer_get_progress       (RgMemberImporter               *self);
guint64                        rg_member_importer_get_rows_done      (RgMemberImporter               *self);
gboolean                       rg_member_importer_get_running        (RgMemberImporter               *self);
RgMemberImportPreview         *rg_member_importer_preview            (RgMemberImporter               *self,
                                                                      guint                           n_rows,
                                                                      GError                        **error);
void                           rg_member_importer_preview_async      (RgMemberImporter               *self,
                                                                      guint                           n_rows,
                                                                      GCancellable                   *cancellable,
                                                                      GAsyncReadyCallback             callback,
                                                                      gpointer                        user_data);
RgMemberImportPreview         *rg_member_importer_preview_finish     (RgMemberImporter               *self,
                                                                      GAsyncResult                   *result,
                                                                      GError                        **error);
void                           rg_member_importer_run_async          (RgMemberImporter               *self,
                                                                      GCancellable                   *cancellable,
                                                                      GAsyncReadyCallback             callback,
                                                                      gpointer                        user_data);
RgMemberImportResult          *rg_member_importer_run_finish         (RgMemberImporter               *self,
                                                                      GAsyncResult                   *result,
                                                                      GError                        **error);

G_END_DECLS
