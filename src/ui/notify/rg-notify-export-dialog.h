/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_EXPORT_DIALOG (rg_notify_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyExportDialog, rg_notify_export_dialog,
                      RG, NOTIFY_EXPORT_DIALOG, AdwWindow)

RgNotifyExportDialog *rg_notify_export_dialog_new        (GtkWindow            *parent,
                                                          RgStore              *store,
                                                          GDateTime            *first_day,
                                                          GDateTime            *last_day);
void                  rg_notify_export_dialog_set_range  (RgNotifyExportDialog *self,
                                                          GDateTime            *first_day,
                                                          GDateTime            *last_day);
void                  rg_notify_export_dialog_export_to  (RgNotifyExportDialog *self,
                                                          GFile                *file);
const char           *rg_notify_export_dialog_get_state  (RgNotifyExportDialog *self);
guint64               rg_notify_export_dialog_get_n_rows (RgNotifyExportDialog *self);

G_END_DECLS
