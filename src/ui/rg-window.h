/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-application.h"

G_BEGIN_DECLS

#define RG_TYPE_WINDOW (rg_window_get_type ())

G_DECLARE_FINAL_TYPE (RgWindow, rg_window, RG, WINDOW, AdwApplicationWindow)

RgWindow   *rg_window_new              (RgApplication *application);
const char *rg_window_get_visible_page (RgWindow      *self);
void        rg_window_add_toast        (RgWindow      *self,
                                        AdwToast      *toast);

GtkWindow  *rg_widget_get_parent_window (GtkWidget    *widget);
void        rg_widget_add_toast         (GtkWidget    *widget,
                                         AdwToast     *toast);
void        rg_widget_show_error        (GtkWidget    *widget,
                                         const char   *heading,
                                         const GError *error);

G_END_DECLS
