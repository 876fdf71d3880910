/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean rg_test_ui_init              (int         *argc,
                                       char      ***argv);
void     rg_test_ui_iterate           (void);
void     rg_test_ui_wait_for_draw     (GtkWidget   *widget);
void     rg_test_ui_maybe_screenshot  (GtkWidget   *widget,
                                       const char  *name);

G_END_DECLS
