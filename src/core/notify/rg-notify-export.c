/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-export"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-csv-writer.h"
#include "rg-notify-export.h"
#include "rg-notify-private.h"
#include "rg-notify-stats.h"
#include "rg-phone.h"

/*
 * Triggers to CSV, one row per trigger accepted in a range of time, in the columns of the
 * issue. Times are the shop's local time (“2024-01-31 13:45:10”); a step's time is when it
 * reached the state shown; phones are international (“+886 912 345 678”), which a
 * spreadsheet keeps as text. The file starts with a byte order mark so that Excel reads it
 * as UTF-8. The query is one statement, so the file is one consistent snapshot.
 */

enum {
  COLUMN_TRIGGER_ID,
  COLUMN_TRIGGER_TIME,
  COLUMN_NAME,
  COLUMN_SCENARIO,
  COLUMN_PHONE,
  COLUMN_SEND_STATUS,
  COLUMN_DELIVERED_TIME,
  COLUMN_DELIVERED_VIA,
  COLUMN_LINE_PUSH_STATUS,
  COLUMN_LINE_PUSH_TIME,
  COLUMN_PNP_STATUS,
  COLUMN_PNP_TIME,
  COLUMN_SMS_STATUS,
  COLUMN_SMS_TIME,
  COLUMN_LAST_UPDATED,
  N_COLUMNS
};

static const char * const headers[N_COLUMNS] = {
  N_("Trigger ID"),
  N_("Trigger time"),
  N_("Name"),
  N_("Scenario"),
  N_("Phone"),
  N_("Send status"),
  N_("Delivered time"),
  N_("Delivered via"),
  N_("LINE push status"),
  N_("LINE push time"),
  N_("Notification message status"),
  N_("Notification message time"),
  N_("SMS status"),
  N_("SMS time"),
  N_("Last updated"),
};

#define EXPORT_SQL \
  "SELECT t.id, t.created_at, s.name, s.scenario, t.phone, t.state, t.completed_at, " \
  "  t.delivered_via, " \
  "  max (t.updated_at, coalesce (p.updated_at, 0), coalesce (n.updated_at, 0), " \
  "       coalesce (m.updated_at, 0)), " \
  "  p.state, p.updated_at, n.state, n.updated_at, m.state, m.updated_at " \
  "FROM notify_triggers t " \
  "  JOIN notify_settings s ON s.id = t.setting_id " \
  "  LEFT JOIN notify_steps p ON p.trigger_id = t.id AND p.kind = 'line_push' " \
  "  LEFT JOIN notify_steps n ON n.trigger_id = t.id AND n.kind = 'line_pnp' " \
  "  LEFT JOIN notify_steps m ON m.trigger_id = t.id AND m.kind = 'sms' " \
  "WHERE t.created_at >= ?1 AND t.created_at < ?2 " \
  "ORDER BY t.created_at, t.id"

static const char *
send_status_label (const char *state)
{
  RgNotifyTriggerState value = RG_NOTIFY_TRIGGER_STATE_SENDING;

  rg_notify_trigger_state_from_string (state, &value);
  switch (value)
    {
    case RG_NOTIFY_TRIGGER_STATE_COMPLETED:
      return C_("send status", "sent");
    case RG_NOTIFY_TRIGGER_STATE_FAILED:
      return C_("send status", "failed");
    case RG_NOTIFY_TRIGGER_STATE_SENDING:
    default:
      return C_("send status", "sending");
    }
}

static const char *
channel_label (const char *kind)
{
  switch (_rg_notify_kind_from_string (kind))
    {
    case RG_NOTIFY_STEP_LINE_PUSH:
      return _("LINE push");
    case RG_NOTIFY_STEP_LINE_PNP:
      return _("LINE notification message");
    case RG_NOTIFY_STEP_SMS:
      return _("SMS");
    case RG_NOTIFY_STEP_NONE:
    default:
      return "";
    }
}

static const char *
step_status_label (const char    *state,
                   RgNotifySteps  kind)
{
  RgNotifyStepState value;

  if (state == NULL || !rg_notify_step_state_from_string (state, &value))
    return "";

  switch (value)
    {
    case RG_NOTIFY_STEP_STATE_PENDING:
      return C_("step status", "pending");
    case RG_NOTIFY_STEP_STATE_SENDING:
      return C_("step status", "sending");
    case RG_NOTIFY_STEP_STATE_ACCEPTED:
      /* The gateway took the SMS: for the shop it is sent. */
      return kind == RG_NOTIFY_STEP_SMS ? C_("step status", "sent")
                                        : C_("step status", "accepted");
    case RG_NOTIFY_STEP_STATE_DELIVERED:
      return C_("step status", "delivered");
    case RG_NOTIFY_STEP_STATE_FAILED:
      return C_("step status", "failed");
    case RG_NOTIFY_STEP_STATE_SKIPPED:
      return C_("step status", "skipped");
    case RG_NOTIFY_STEP_STATE_EXPIRED:
      return C_("step status", "expired");
    default:
      return "";
    }
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static char *
format_time (sqlite3_stmt *stmt,
             int           column,
             GTimeZone    *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column) / 1000);
  local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static gint64
to_ms (GDateTime *time,
       gint64     fallback)
{
  return time != NULL ? g_date_time_to_unix (time) * 1000 : fallback;
}

/**
 * rg_notify_export_csv:
 * @stream: where the CSV goes; it is closed at the end
 * @from: (nullable): the first trigger time exported, or %NULL for the beginning
 * @to: (nullable): the end of the range (not included), or %NULL for no end
 * @n_rows: (out) (optional): the triggers written
 *
 * Writes the triggers accepted in [@from, @to) as CSV with a header row.
 */
gboolean
rg_notify_export_csv (RgStore        *store,
                      GOutputStream  *stream,
                      GDateTime      *from,
                      GDateTime      *to,
                      guint64        *n_rows,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(RgCsvWriter) writer = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  const char *row[N_COLUMNS];
  guint64 rows = 0;
  int rc;

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  tz = rg_store_dup_timezone (store);
  writer = rg_csv_writer_new (stream, RG_CSV_WRITER_BOM);

  for (guint i = 0; i < N_COLUMNS; i++)
    row[i] = _(headers[i]);
  if (!rg_csv_writer_write_row (writer, row, N_COLUMNS, cancellable, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (store, EXPORT_SQL, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to_ms (from, 0));
  sqlite3_bind_int64 (stmt, 2, to_ms (to, G_MAXINT64));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *created = format_time (stmt, 1, tz);
      const char *e164 = (const char *) sqlite3_column_text (stmt, 4);
      g_autofree char *phone = rg_phone_format_international (e164);
      g_autofree char *delivered = NULL;
      g_autofree char *updated = format_time (stmt, 8, tz);
      g_autofree char *push_time = format_time (stmt, 10, tz);
      g_autofree char *pnp_time = format_time (stmt, 12, tz);
      g_autofree char *sms_time = format_time (stmt, 14, tz);
      const char *state = (const char *) sqlite3_column_text (stmt, 5);
      const char *scenario = (const char *) sqlite3_column_text (stmt, 3);

      /* Only a delivered notification has a delivered time; a failed one has an end time. */
      delivered = g_strcmp0 (state, "completed") == 0 ? format_time (stmt, 6, tz) : g_strdup ("");

      row[COLUMN_TRIGGER_ID] = (const char *) sqlite3_column_text (stmt, 0);
      row[COLUMN_TRIGGER_TIME] = created;
      row[COLUMN_NAME] = (const char *) sqlite3_column_text (stmt, 2);
      row[COLUMN_SCENARIO] = rg_notify_scenario_get_label (scenario) != NULL
                             ? rg_notify_scenario_get_label (scenario) : scenario;
      row[COLUMN_PHONE] = phone != NULL ? phone : e164;
      row[COLUMN_SEND_STATUS] = send_status_label (state);
      row[COLUMN_DELIVERED_TIME] = delivered;
      row[COLUMN_DELIVERED_VIA] = channel_label ((const char *) sqlite3_column_text (stmt, 7));
      row[COLUMN_LINE_PUSH_STATUS] = step_status_label (column_text (stmt, 9),
                                                        RG_NOTIFY_STEP_LINE_PUSH);
      row[COLUMN_LINE_PUSH_TIME] = push_time;
      row[COLUMN_PNP_STATUS] = step_status_label (column_text (stmt, 11),
                                                  RG_NOTIFY_STEP_LINE_PNP);
      row[COLUMN_PNP_TIME] = pnp_time;
      row[COLUMN_SMS_STATUS] = step_status_label (column_text (stmt, 13), RG_NOTIFY_STEP_SMS);
      row[COLUMN_SMS_TIME] = sms_time;
      row[COLUMN_LAST_UPDATED] = updated;

      if (!rg_csv_writer_write_row (writer, row, N_COLUMNS, cancellable, error))
        return FALSE;
      rows++;
    }

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the notifications to export: %s"),
                   sqlite3_errmsg (rg_store_get_db (store)));
      return FALSE;
    }

  if (!rg_csv_writer_close (writer, cancellable, error))
    return FALSE;

  if (n_rows != NULL)
    *n_rows = rows;
  return TRUE;
}

/**
 * rg_notify_export_to_file:
 * @file: the CSV file; replaced only when the export succeeds
 *
 * rg_notify_export_csv() into @file.
 */
gboolean
rg_notify_export_to_file (RgStore        *store,
                          GFile          *file,
                          GDateTime      *from,
                          GDateTime      *to,
                          guint64        *n_rows,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 cancellable, error)))
    return FALSE;

  if (rg_notify_export_csv (store, G_OUTPUT_STREAM (stream), from, to, n_rows, cancellable, error))
    return TRUE;

  /* Closing with a cancelled cancellable drops the temporary file: the old one stays. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
  return FALSE;
}

typedef struct
{
  char      *path;
  GFile     *file;
  GDateTime *from;
  GDateTime *to;
  guint64    n_rows;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
  g_clear_object (&data->file);
  g_clear_pointer (&data->from, g_date_time_unref);
  g_clear_pointer (&data->to, g_date_time_unref);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(RgStore) store = NULL;
  GError *error = NULL;

  /* A connection of its own: the caller's belongs to the caller's thread. */
  if (!(store = rg_store_open (data->path, &error)) ||
      !rg_notify_export_to_file (store, data->file, data->from, data->to, &data->n_rows,
                                 cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * rg_notify_export_async:
 *
 * rg_notify_export_to_file() on a worker thread with its own connection.
 */
void
rg_notify_export_async (RgStore             *store,
                        GFile               *file,
                        GDateTime           *from,
                        GDateTime           *to,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (RG_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->path = g_strdup (rg_store_get_path (store));
  data->file = g_object_ref (file);
  data->from = from != NULL ? g_date_time_ref (from) : NULL;
  data->to = to != NULL ? g_date_time_ref (to) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_notify_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * rg_notify_export_finish:
 * @n_rows: (out) (optional): the triggers written
 */
gboolean
rg_notify_export_finish (GAsyncResult  *result,
                         guint64       *n_rows,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (n_rows != NULL)
    *n_rows = ((ExportData *) g_task_get_task_data (G_TASK (result)))->n_rows;
  return TRUE;
}
