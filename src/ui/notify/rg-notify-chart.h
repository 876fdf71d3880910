/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rg-notify-stats.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_CHART (rg_notify_chart_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyChart, rg_notify_chart, RG, NOTIFY_CHART, GtkDrawingArea)

GtkWidget *rg_notify_chart_new         (void);
void       rg_notify_chart_set_days    (RgNotifyChart *self,
                                        GArray        *days);
GArray    *rg_notify_chart_get_days    (RgNotifyChart *self);
guint      rg_notify_chart_get_total   (RgNotifyChart *self);
char      *rg_notify_chart_dup_summary (RgNotifyChart *self);

G_END_DECLS
