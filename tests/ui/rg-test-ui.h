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

GtkWidget *rg_test_ui_find_descendant (GtkWidget  *widget,
                                       GType       type);
GtkWidget *rg_test_ui_find_button     (GtkWidget  *widget,
                                       const char *action_name);
GtkWindow *rg_test_ui_find_toplevel   (GType       type);
gboolean   rg_test_ui_fail_on_timeout (gpointer    what);

#define RG_TEST_UI_WAIT_SECONDS 30

/* Iterates the main context until @condition holds; a timeout source fails the test. */
#define RG_TEST_UI_WAIT_UNTIL(condition)                                                \
  G_STMT_START {                                                                        \
    guint _timeout_id = g_timeout_add_seconds (RG_TEST_UI_WAIT_SECONDS,                 \
                                               rg_test_ui_fail_on_timeout,              \
                                               (gpointer) #condition);                  \
    while (!(condition))                                                                \
      g_main_context_iteration (NULL, TRUE);                                            \
    g_source_remove (_timeout_id);                                                      \
  } G_STMT_END

G_END_DECLS
