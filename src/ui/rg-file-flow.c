/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-file-flow"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-file-flow.h"
#include "rg-format.h"

/* The window's flow, for the actions installed on its class. */
G_DEFINE_QUARK (rg-file-flow, rg_file_flow)

static RgFileFlow *
flow_of (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), rg_file_flow_quark ());
}

/**
 * rg_file_flow_init:
 * @window: the dialog that embeds @flow
 * @stack: its pages; "setup" and "progress" are the flow's, the others the dialog's
 * @default_widget: (nullable): the window's default on the "setup" page, or %NULL to leave
 *   the default alone
 * @progress_bar: the bar on the "progress" page
 * @progress_label: (nullable): the line under it
 * @update: called with @window whenever the page or the running state changes
 */
void
rg_file_flow_init (RgFileFlow     *flow,
                   GtkWindow      *window,
                   GtkStack       *stack,
                   GtkWidget      *default_widget,
                   GtkProgressBar *progress_bar,
                   GtkLabel       *progress_label,
                   RgFileFlowFunc  update)
{
  g_return_if_fail (flow != NULL);
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_STACK (stack));
  g_return_if_fail (GTK_IS_PROGRESS_BAR (progress_bar));
  g_return_if_fail (update != NULL);

  *flow = (RgFileFlow) {
    .window = window,
    .stack = stack,
    .default_widget = default_widget,
    .progress_bar = progress_bar,
    .progress_label = progress_label,
    .update = update,
  };
  g_object_set_qdata (G_OBJECT (window), rg_file_flow_quark (), flow);
}

/**
 * rg_file_flow_clear:
 *
 * For the dialog's dispose: stops the worker and the file chooser. A worker that returns
 * afterwards finds rg_file_flow_finish() %FALSE.
 */
void
rg_file_flow_clear (RgFileFlow *flow)
{
  g_return_if_fail (flow != NULL);

  if (flow->cancellable != NULL)
    g_cancellable_cancel (flow->cancellable);
  if (flow->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (flow->chooser, flow);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (flow->chooser));
    }
  g_clear_object (&flow->chooser);
  g_clear_object (&flow->cancellable);

  if (flow->window != NULL)
    g_object_set_qdata (G_OBJECT (flow->window), rg_file_flow_quark (), NULL);
  flow->window = NULL;
  flow->stack = NULL;
  flow->default_widget = NULL;
  flow->progress_bar = NULL;
  flow->progress_label = NULL;
}

/**
 * rg_file_flow_is_running:
 *
 * Returns: whether the worker started by rg_file_flow_start() has not returned yet
 */
gboolean
rg_file_flow_is_running (RgFileFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  return flow->cancellable != NULL;
}

/**
 * rg_file_flow_show_page:
 * @name: the stack page to show
 */
void
rg_file_flow_show_page (RgFileFlow *flow,
                        const char *name)
{
  g_return_if_fail (flow != NULL);
  g_return_if_fail (name != NULL);

  if (flow->stack == NULL)
    return;

  gtk_stack_set_visible_child_name (flow->stack, name);
  flow->update (flow->window);

  if (flow->default_widget != NULL)
    gtk_window_set_default_widget (flow->window,
                                   g_str_equal (name, "setup") ? flow->default_widget : NULL);
}

/**
 * rg_file_flow_show_error:
 * @error_page: the status page of the "error" page
 * @title: (nullable): its new title, or %NULL to keep the template's
 * @message: what went wrong, as plain text
 */
void
rg_file_flow_show_error (RgFileFlow    *flow,
                         AdwStatusPage *error_page,
                         const char    *title,
                         const char    *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (flow != NULL);
  g_return_if_fail (ADW_IS_STATUS_PAGE (error_page));
  g_return_if_fail (message != NULL);

  /* The description is markup. */
  escaped = g_markup_escape_text (message, -1);
  if (title != NULL)
    adw_status_page_set_title (error_page, title);
  adw_status_page_set_description (error_page, escaped);
  rg_file_flow_show_page (flow, "error");
}

static void
on_chooser_response (RgFileFlow      *flow,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&flow->chooser);

  if (file != NULL)
    flow->chosen (flow->window, file);
}

/**
 * rg_file_flow_choose:
 * @action: open or save
 * @title: the chooser's title
 * @accept_label: its accept button
 * @current_name: (nullable): the name offered when saving
 * @chosen: called with the window and the file once one is chosen
 * @...: the chooser's #GtkFileFilter s, then %NULL
 *
 * Shows a modal file chooser, unless one is shown already.
 */
void
rg_file_flow_choose (RgFileFlow           *flow,
                     GtkFileChooserAction  action,
                     const char           *title,
                     const char           *accept_label,
                     const char           *current_name,
                     RgFileChosenFunc      chosen,
                     ...)
{
  GtkFileFilter *filter;
  va_list args;

  g_return_if_fail (flow != NULL);
  g_return_if_fail (chosen != NULL);

  if (flow->chooser != NULL || flow->window == NULL)
    return;

  flow->chosen = chosen;
  flow->chooser = gtk_file_chooser_native_new (title, flow->window, action,
                                               accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (flow->chooser), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (flow->chooser), current_name);

  va_start (args, chosen);
  while ((filter = va_arg (args, GtkFileFilter *)) != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (flow->chooser), filter);
  va_end (args);

  g_signal_connect_swapped (flow->chooser, "response", G_CALLBACK (on_chooser_response), flow);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (flow->chooser));
}

/**
 * rg_file_flow_start:
 *
 * Shows the "progress" page with an empty bar, for a worker about to start.
 *
 * Returns: (transfer none): the worker's cancellable, until rg_file_flow_finish()
 */
GCancellable *
rg_file_flow_start (RgFileFlow *flow)
{
  g_return_val_if_fail (flow != NULL, NULL);
  g_return_val_if_fail (flow->cancellable == NULL, NULL);

  flow->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (flow->progress_bar, 0.0);
  if (flow->progress_label != NULL)
    gtk_label_set_text (flow->progress_label, "");
  rg_file_flow_show_page (flow, "progress");
  return flow->cancellable;
}

/**
 * rg_file_flow_set_progress:
 * @fraction: how much is done, from 0 to 1
 * @text: what is done, for the line under the bar
 */
void
rg_file_flow_set_progress (RgFileFlow *flow,
                           double      fraction,
                           const char *text)
{
  g_return_if_fail (flow != NULL);

  if (flow->progress_bar == NULL)
    return;

  gtk_progress_bar_set_fraction (flow->progress_bar, fraction);
  if (flow->progress_label != NULL)
    gtk_label_set_text (flow->progress_label, text);
}

/**
 * rg_file_flow_finish:
 *
 * For the worker's callback, when it has returned. A window closed while the worker ran
 * is destroyed now.
 *
 * Returns: %TRUE when the window is still there to show the outcome
 */
gboolean
rg_file_flow_finish (RgFileFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  g_clear_object (&flow->cancellable);

  /* Destroyed meanwhile: nothing left to show it in. */
  if (flow->stack == NULL)
    return FALSE;

  if (flow->close_when_done)
    {
      gtk_window_destroy (flow->window);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_file_flow_close_request:
 *
 * For the window's close-request: closing while the worker runs cancels it, and the window
 * goes when the worker has let go (rg_file_flow_finish()).
 *
 * Returns: %TRUE when the window stays for now, %FALSE when it may close
 */
gboolean
rg_file_flow_close_request (RgFileFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  if (!rg_file_flow_is_running (flow))
    return FALSE;

  flow->close_when_done = TRUE;
  g_cancellable_cancel (flow->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (flow->window), FALSE);
  return TRUE;
}

/**
 * rg_file_flow_cancel_action:
 *
 * An action for the dialog's class: cancels the worker.
 */
void
rg_file_flow_cancel_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RgFileFlow *flow = flow_of (widget);

  if (flow != NULL && flow->cancellable != NULL)
    g_cancellable_cancel (flow->cancellable);
}

/**
 * rg_file_flow_back_action:
 *
 * An action for the dialog's class: back to the "setup" page.
 */
void
rg_file_flow_back_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RgFileFlow *flow = flow_of (widget);

  if (flow != NULL)
    rg_file_flow_show_page (flow, "setup");
}

/**
 * rg_file_flow_format_count:
 *
 * Returns: (transfer full): @count with the locale's grouping, “12,000”
 */
char *
rg_file_flow_format_count (guint64 count)
{
  return rg_format_integer ((gint64) MIN (count, (guint64) G_MAXINT64));
}
