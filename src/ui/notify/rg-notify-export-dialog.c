/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-file-flow.h"
#include "rg-format.h"
#include "rg-notify-export-dialog.h"
#include "rg-notify-export.h"
#include "rg-notify-stats.h"

/* Export CSV…: a range of days, a file, then rg_notify_export_async() on a worker thread
 * with a progress bar and Cancel. The core gives no row count while it writes, so the bar
 * pulses. */

#define PULSE_INTERVAL_MS 100

struct _RgNotifyExportDialog
{
  AdwWindow             parent_instance;

  RgStore              *store;
  RgFileFlow            flow;
  GFile                *file;
  guint64               n_rows;
  guint                 pulse_id;

  GtkStack             *stack;
  GtkWidget            *close_button;
  GtkWidget            *export_button;
  GtkMenuButton        *from_button;
  GtkMenuButton        *to_button;
  GtkCalendar          *from_calendar;
  GtkCalendar          *to_calendar;
  GtkWidget            *range_error_row;
  GtkLabel             *range_error_label;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *done_page;
  AdwStatusPage        *error_page;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgNotifyExportDialog, rg_notify_export_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static char *
format_day (GDateTime *day)
{
  /* Translators: a day of the export range, in strftime() format: “5 Jan 2026” */
  return g_date_time_format (day, _("%-d %b %Y"));
}

static int
compare_days (GDateTime *a,
              GDateTime *b)
{
  int ya = g_date_time_get_year (a), yb = g_date_time_get_year (b);
  int da = g_date_time_get_day_of_year (a), db = g_date_time_get_day_of_year (b);

  return ya != yb ? ya - yb : da - db;
}

/* Midnight at the start of @day's date in the shop's time zone, @offset days later. */
static GDateTime *
shop_midnight (RgNotifyExportDialog *self,
               GDateTime            *day,
               int                   offset)
{
  g_autoptr(GTimeZone) tz = rg_store_dup_timezone (self->store);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (day),
                                                   g_date_time_get_month (day),
                                                   g_date_time_get_day_of_month (day), 0, 0, 0);

  return g_date_time_add_days (midnight, offset);
}

static void
update_actions (RgNotifyExportDialog *self)
{
  const char *state = gtk_stack_get_visible_child_name (self->stack);
  gboolean setup = g_str_equal (state, "setup");
  gboolean done = g_str_equal (state, "done");

  gtk_widget_set_visible (self->export_button, setup);
  gtk_button_set_label (GTK_BUTTON (self->close_button), done ? _("_Close") : _("_Cancel"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel",
                                 g_str_equal (state, "progress"));
}

static gboolean
update_range (RgNotifyExportDialog *self)
{
  g_autoptr(GDateTime) from = gtk_calendar_get_date (self->from_calendar);
  g_autoptr(GDateTime) to = gtk_calendar_get_date (self->to_calendar);
  g_autofree char *from_label = format_day (from);
  g_autofree char *to_label = format_day (to);
  gboolean valid = compare_days (from, to) <= 0;

  gtk_menu_button_set_label (self->from_button, from_label);
  gtk_menu_button_set_label (self->to_button, to_label);

  gtk_label_set_text (self->range_error_label,
                      valid ? "" : _("The first day is after the last day"));
  gtk_widget_set_visible (self->range_error_row, !valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-file", valid);
  return valid;
}

static void
on_day_selected (RgNotifyExportDialog *self,
                 GtkCalendar          *calendar)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  update_range (self);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static gboolean
pulse_cb (gpointer user_data)
{
  RgNotifyExportDialog *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RgNotifyExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *count = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  guint64 n_rows = 0;

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (!rg_file_flow_finish (&self->flow))
    return;

  if (!rg_notify_export_finish (result, &n_rows, &error))
    {
      /* Cancel was pressed: back to where it was. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          rg_file_flow_show_page (&self->flow, "setup");
          return;
        }

      g_warning ("Could not export the notifications: %s", error->message);
      rg_file_flow_show_error (&self->flow, self->error_page, NULL, error->message);
      return;
    }

  self->n_rows = n_rows;
  basename = g_file_get_basename (self->file);
  count = rg_format_integer (n_rows);
  description = g_strdup_printf (ngettext ("%s notification was saved to “%s”.",
                                           "%s notifications were saved to “%s”.", n_rows),
                                 count, basename);
  /* The description is markup; a file name may hold “&” or “<”. */
  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->done_page, escaped);
  rg_file_flow_show_page (&self->flow, "done");
}

/**
 * rg_notify_export_dialog_export_to:
 * @file: the CSV file to write (replaced if it exists)
 *
 * Exports the range to @file: what choosing the file does. The dialog shows the progress
 * and then the outcome (rg_notify_export_dialog_get_state()).
 */
void
rg_notify_export_dialog_export_to (RgNotifyExportDialog *self,
                                   GFile                *file)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  GCancellable *cancellable;

  g_return_if_fail (RG_IS_NOTIFY_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!rg_file_flow_is_running (&self->flow));

  if (!update_range (self))
    return;

  first = gtk_calendar_get_date (self->from_calendar);
  last = gtk_calendar_get_date (self->to_calendar);
  from = shop_midnight (self, first, 0);
  to = shop_midnight (self, last, 1);

  g_set_object (&self->file, file);
  self->n_rows = 0;
  cancellable = rg_file_flow_start (&self->flow);
  self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);

  rg_notify_export_async (self->store, file, from, to, cancellable, export_cb,
                          g_object_ref (self));
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RgNotifyExportDialog *self = RG_NOTIFY_EXPORT_DIALOG (widget);
  g_autoptr(GDateTime) from = gtk_calendar_get_date (self->from_calendar);
  g_autoptr(GDateTime) to = gtk_calendar_get_date (self->to_calendar);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%d");
  g_autofree char *to_text = g_date_time_format (to, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (!update_range (self))
    return;

  /* Translators: the suggested file name; %s are the first and last day, 2026-01-31 */
  name = g_strdup_printf (_("notifications-%s-to-%s.csv"), from_text, to_text);

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  rg_file_flow_choose (&self->flow, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export Notifications"),
                       _("_Export"), name, (RgFileChosenFunc) rg_notify_export_dialog_export_to,
                       filter, NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgNotifyExportDialog *self = RG_NOTIFY_EXPORT_DIALOG (widget);
  g_autofree char *uri = NULL;

  if (self->file == NULL)
    return;

  uri = g_file_get_uri (self->file);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static gboolean
rg_notify_export_dialog_close_request (GtkWindow *window)
{
  RgNotifyExportDialog *self = RG_NOTIFY_EXPORT_DIALOG (window);

  /* Closing while it writes means stop writing. */
  g_cancellable_cancel (self->flow.cancellable);

  return GTK_WINDOW_CLASS (rg_notify_export_dialog_parent_class)->close_request (window);
}

static void
rg_notify_export_dialog_dispose (GObject *object)
{
  RgNotifyExportDialog *self = (RgNotifyExportDialog *)object;

  rg_file_flow_clear (&self->flow);
  g_clear_handle_id (&self->pulse_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_NOTIFY_EXPORT_DIALOG);

  g_clear_object (&self->file);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_notify_export_dialog_parent_class)->dispose (object);
}

static void
rg_notify_export_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgNotifyExportDialog *self = RG_NOTIFY_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_export_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgNotifyExportDialog *self = RG_NOTIFY_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_export_dialog_class_init (RgNotifyExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rg_notify_export_dialog_dispose;
  object_class->get_property = rg_notify_export_dialog_get_property;
  object_class->set_property = rg_notify_export_dialog_set_property;

  window_class->close_request = rg_notify_export_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-notify-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, from_button);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, to_button);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, range_error_row);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, range_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyExportDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);

  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL,
                                   rg_file_flow_cancel_action);
  gtk_widget_class_install_action (widget_class, "export.back", NULL, rg_file_flow_back_action);
  gtk_widget_class_install_action (widget_class, "export.open", NULL, open_action);
}

static void
rg_notify_export_dialog_init (RgNotifyExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  rg_file_flow_init (&self->flow, GTK_WINDOW (self), self->stack, NULL, self->progress_bar, NULL,
                     (RgFileFlowFunc) update_actions);
  rg_file_flow_show_page (&self->flow, "setup");
  update_range (self);
}

/**
 * rg_notify_export_dialog_new:
 * @parent: (nullable): the main window
 * @store: the database to export from
 * @first_day: the first day of the range (its date counts, in the shop's time zone)
 * @last_day: the last day, included
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
RgNotifyExportDialog *
rg_notify_export_dialog_new (GtkWindow *parent,
                             RgStore   *store,
                             GDateTime *first_day,
                             GDateTime *last_day)
{
  RgNotifyExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (first_day != NULL && last_day != NULL, NULL);

  self = g_object_new (RG_TYPE_NOTIFY_EXPORT_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
  rg_notify_export_dialog_set_range (self, first_day, last_day);
  return self;
}

/**
 * rg_notify_export_dialog_set_range:
 * @first_day: the first day exported
 * @last_day: the last day exported, included
 */
void
rg_notify_export_dialog_set_range (RgNotifyExportDialog *self,
                                   GDateTime            *first_day,
                                   GDateTime            *last_day)
{
  g_return_if_fail (RG_IS_NOTIFY_EXPORT_DIALOG (self));
  g_return_if_fail (first_day != NULL && last_day != NULL);

  gtk_calendar_select_day (self->from_calendar, first_day);
  gtk_calendar_select_day (self->to_calendar, last_day);
  update_range (self);
}

/**
 * rg_notify_export_dialog_get_state:
 *
 * Returns: "setup", "progress", "done" or "error"
 */
const char *
rg_notify_export_dialog_get_state (RgNotifyExportDialog *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_EXPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * rg_notify_export_dialog_get_n_rows:
 *
 * Returns: the notifications written by the last export that finished
 */
guint64
rg_notify_export_dialog_get_n_rows (RgNotifyExportDialog *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_EXPORT_DIALOG (self), 0);

  return self->n_rows;
}
