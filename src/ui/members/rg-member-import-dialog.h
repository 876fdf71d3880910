/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-importer.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_MEMBER_IMPORT_DIALOG (rg_member_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgMemberImportDialog, rg_member_import_dialog, RG, MEMBER_IMPORT_DIALOG, AdwWindow)

GtkWindow            *rg_member_import_dialog_new          (GtkWindow            *parent,
                                                            RgStore              *store);
void                  rg_member_import_dialog_set_file     (RgMemberImportDialog *self,
                                                            GFile                *file);
RgMemberImporter     *rg_member_import_dialog_get_importer (RgMemberImportDialog *self);
RgMemberImportResult *rg_member_import_dialog_get_result   (RgMemberImportDialog *self);
const char           *rg_member_import_dialog_get_page     (RgMemberImportDialog *self);

G_END_DECLS
