/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-exporter.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_EXPORT_DIALOG (rg_member_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberExportDialog, rg_member_export_dialog, RG, MEMBER_EXPORT_DIALOG, AdwWindow)

GtkWindow        *rg_member_export_dialog_new          (GtkWindow            *parent,
                                                        RgStore              *store,
                                                        const char           *search);
void              rg_member_export_dialog_export_to    (RgMemberExportDialog *self,
                                                        GFile                *file);
RgMemberExporter *rg_member_export_dialog_get_exporter (RgMemberExportDialog *self);
const char       *rg_member_export_dialog_get_page     (RgMemberExportDialog *self);

G_END_DECLS
