/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef void (*RgFileFlowFunc)   (gpointer  owner);
typedef void (*RgFileChosenFunc) (gpointer  owner,
                                  GFile    *file);

/* The steps shared by the import and export dialogs: a file chooser, then a worker on a
 * "progress" page with a bar and Cancel, then a page with the outcome. Embedded in the
 * dialog's instance; the widgets are the template's and are not owned. */
typedef struct
{
  GtkWindow            *window;
  GtkStack             *stack;
  GtkWidget            *default_widget;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  RgFileFlowFunc        update;
  GtkFileChooserNative *chooser;
  RgFileChosenFunc      chosen;
  GCancellable         *cancellable;
  gboolean              close_when_done;
} RgFileFlow;

void          rg_file_flow_init           (RgFileFlow           *flow,
                                           GtkWindow            *window,
                                           GtkStack             *stack,
                                           GtkWidget            *default_widget,
                                           GtkProgressBar       *progress_bar,
                                           GtkLabel             *progress_label,
                                           RgFileFlowFunc        update);
void          rg_file_flow_clear          (RgFileFlow           *flow);
gboolean      rg_file_flow_is_running     (RgFileFlow           *flow);
void          rg_file_flow_show_page      (RgFileFlow           *flow,
                                           const char           *name);
void          rg_file_flow_show_error     (RgFileFlow           *flow,
                                           AdwStatusPage        *error_page,
                                           const char           *title,
                                           const char           *message);
void          rg_file_flow_choose         (RgFileFlow           *flow,
                                           GtkFileChooserAction  action,
                                           const char           *title,
                                           const char           *accept_label,
                                           const char           *current_name,
                                           RgFileChosenFunc      chosen,
                                           ...) G_GNUC_NULL_TERMINATED;
GCancellable *rg_file_flow_start          (RgFileFlow           *flow);
void          rg_file_flow_set_progress   (RgFileFlow           *flow,
                                           double                fraction,
                                           const char           *text);
gboolean      rg_file_flow_finish         (RgFileFlow           *flow);
gboolean      rg_file_flow_close_request  (RgFileFlow           *flow);
void          rg_file_flow_cancel_action  (GtkWidget            *widget,
                                           const char           *action_name,
                                           GVariant             *parameter);
void          rg_file_flow_back_action    (GtkWidget            *widget,
                                           const char           *action_name,
                                           GVariant             *parameter);
char         *rg_file_flow_format_count   (guint64               count);

G_END_DECLS
