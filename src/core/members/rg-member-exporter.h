/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_EXPORTER (rg_member_exporter_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberExporter, rg_member_exporter, RG, MEMBER_EXPORTER, GObject)

const char * const *rg_member_export_standard_columns   (void);

RgMemberExporter   *rg_member_exporter_new              (RgStore              *store);
RgStore            *rg_member_exporter_get_store        (RgMemberExporter     *self);
const char         *rg_member_exporter_get_search       (RgMemberExporter     *self);
void                rg_member_exporter_set_search       (RgMemberExporter     *self,
                                                         const char           *search);
char              **rg_member_exporter_dup_available_columns (RgMemberExporter *self,
                                                         GError              **error);
char               *rg_member_exporter_dup_column_label (RgMemberExporter     *self,
                                                         const char           *column);
const char * const *rg_member_exporter_get_columns      (RgMemberExporter     *self);
gboolean            rg_member_exporter_set_columns      (RgMemberExporter     *self,
                                                         const char * const   *columns,
                                                         GError              **error);
gboolean            rg_member_exporter_get_bom          (RgMemberExporter     *self);
void                rg_member_exporter_set_bom          (RgMemberExporter     *self,
                                                         gboolean              bom);
double              rg_member_exporter_get_progress     (RgMemberExporter     *self);
guint64             rg_member_exporter_get_rows_done    (RgMemberExporter     *self);
gboolean            rg_member_exporter_get_running      (RgMemberExporter     *self);
void                rg_member_exporter_run_async        (RgMemberExporter     *self,
                                                         GFile                *destination,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            rg_member_exporter_run_finish       (RgMemberExporter     *self,
                                                         GAsyncResult         *result,
                                                         guint64              *n_rows,
                                                         GError              **error);

G_END_DECLS
