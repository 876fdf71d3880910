/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-chart.h"
#include "rg-notify-editor.h"
#include "rg-notify-export-dialog.h"
#include "rg-notify-page.h"
#include "rg-notify-test-dialog.h"

G_BEGIN_DECLS

/* The parts a UI test drives; the page itself needs none of these. */
const char           *_rg_notify_page_get_state         (RgNotifyPage *self);
GListModel           *_rg_notify_page_get_model         (RgNotifyPage *self);
GtkColumnView        *_rg_notify_page_get_column_view   (RgNotifyPage *self);
RgNotifyChart        *_rg_notify_page_get_chart         (RgNotifyPage *self);
GtkLabel             *_rg_notify_page_get_chart_title   (RgNotifyPage *self);
RgNotifyEditor       *_rg_notify_page_get_editor        (RgNotifyPage *self);
RgNotifyTestDialog   *_rg_notify_page_get_test_dialog   (RgNotifyPage *self);
RgNotifyExportDialog *_rg_notify_page_get_export_dialog (RgNotifyPage *self);

G_END_DECLS
