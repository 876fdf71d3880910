/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-stats"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-notify-private.h"
#include "rg-notify-stats.h"

/*
 * The overview of a notification setting. Counts are over triggers accepted in a range of
 * time; a channel's rate is its deliveries over the steps it was tried for (a push that was
 * not possible and skipped does not count against LINE push).
 *
 * “Delivered” is what each platform can tell us: LINE push has no receipt, so a push LINE
 * accepted (2xx) counts; a notification message counts when its `delivery` webhook came; an
 * SMS counts when the gateway accepted it.
 *
 * A friend gained is a LINE `follow` by a member (the follower's userId is a member's LINE
 * ID) whose phone a notification message or an SMS reached in the seven days before; it is
 * counted once, for the latest such trigger, and credited to the channel that reached them.
 * Regulars does not track link clicks, so “through SMS links” is this attribution, not a
 * click count.
 */

static gint64
to_ms (GDateTime *time,
       gint64     fallback)
{
  return time != NULL ? g_date_time_to_unix (time) * 1000 +
                        g_date_time_get_microsecond (time) / 1000
                      : fallback;
}

/* Prepares @sql with ?1 ?2 the range and, when @setting_id is given, ?3 the setting. */
static sqlite3_stmt *
prepare_range (RgStore     *store,
               const char  *sql,
               const char  *setting_filter,
               const char  *suffix,
               const char  *setting_id,
               gint64       from_ms,
               gint64       to_ms_,
               GError     **error)
{
  g_autofree char *full = NULL;
  sqlite3_stmt *stmt;

  full = g_strconcat (sql, setting_id != NULL ? setting_filter : "", suffix, NULL);
  if (!(stmt = rg_store_prepare (store, full, error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms_);
  if (setting_id != NULL)
    sqlite3_bind_text (stmt, 3, setting_id, -1, SQLITE_TRANSIENT);
  return stmt;
}

static gboolean
step_error (RgStore  *store,
            int       rc,
            GError  **error)
{
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
               _("Could not count the notifications: %s"),
               sqlite3_errmsg (rg_store_get_db (store)));
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static double
rate (guint64 part,
      guint64 whole)
{
  return whole > 0 ? (double) part / (double) whole : 0.0;
}

/**
 * rg_notify_stats_query:
 * @setting_id: (nullable): one setting, or %NULL for all
 * @from: (nullable): the first trigger time counted, or %NULL for the beginning
 * @to: (nullable): the end of the range (not included), or %NULL for now and later
 * @stats: (out caller-allocates): the overview
 *
 * Counts the triggers accepted in [@from, @to).
 */
gboolean
rg_notify_stats_query (RgStore        *store,
                       const char     *setting_id,
                       GDateTime      *from,
                       GDateTime      *to,
                       RgNotifyStats  *stats,
                       GError        **error)
{
  g_autoptr(sqlite3_stmt) triggers = NULL;
  g_autoptr(sqlite3_stmt) steps = NULL;
  g_autoptr(sqlite3_stmt) friends = NULL;
  gint64 from_ms = to_ms (from, 0);
  gint64 end_ms = to_ms (to, G_MAXINT64);
  int rc;

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);

  if (!(triggers = prepare_range (store,
                                  "SELECT count (*), coalesce (sum (state = 'completed'), 0), "
                                  "  coalesce (sum (state = 'failed'), 0) "
                                  "FROM notify_triggers t "
                                  "WHERE t.created_at >= ?1 AND t.created_at < ?2",
                                  " AND t.setting_id = ?3", "",
                                  setting_id, from_ms, end_ms, error)))
    return FALSE;
  rc = sqlite3_step (triggers);
  if (!step_error (store, rc, error))
    return FALSE;
  stats->triggers = sqlite3_column_int64 (triggers, 0);
  stats->completed = sqlite3_column_int64 (triggers, 1);
  stats->failed = sqlite3_column_int64 (triggers, 2);

  if (!(steps = prepare_range (store,
                               "SELECT s.kind, sum (s.attempts > 0), "
                               "  sum (s.state = 'delivered' OR "
                               "       (s.kind = 'sms' AND s.state = 'accepted')) "
                               "FROM notify_steps s JOIN notify_triggers t ON t.id = s.trigger_id "
                               "WHERE t.created_at >= ?1 AND t.created_at < ?2",
                               " AND t.setting_id = ?3", " GROUP BY s.kind",
                               setting_id, from_ms, end_ms, error)))
    return FALSE;
  while ((rc = sqlite3_step (steps)) == SQLITE_ROW)
    {
      RgNotifySteps kind = _rg_notify_kind_from_string (column_text (steps, 0));
      guint64 attempted = sqlite3_column_int64 (steps, 1);
      guint64 delivered = sqlite3_column_int64 (steps, 2);

      if (kind == RG_NOTIFY_STEP_LINE_PUSH)
        {
          stats->line_push_attempted = attempted;
          stats->line_push_delivered = delivered;
        }
      else if (kind == RG_NOTIFY_STEP_LINE_PNP)
        {
          stats->line_pnp_attempted = attempted;
          stats->line_pnp_delivered = delivered;
        }
      else if (kind == RG_NOTIFY_STEP_SMS)
        {
          stats->sms_attempted = attempted;
          stats->sms_delivered = delivered;
        }
    }
  if (!step_error (store, rc, error))
    return FALSE;

  stats->line_push_rate = rate (stats->line_push_delivered, stats->line_push_attempted);
  stats->line_pnp_rate = rate (stats->line_pnp_delivered, stats->line_pnp_attempted);
  stats->sms_rate = rate (stats->sms_delivered, stats->sms_attempted);

  if (!(friends = prepare_range (store,
                                 "SELECT g.via, count (*) FROM notify_friend_gains g "
                                 "  JOIN notify_triggers t ON t.id = g.trigger_id "
                                 "WHERE t.created_at >= ?1 AND t.created_at < ?2",
                                 " AND t.setting_id = ?3", " GROUP BY g.via",
                                 setting_id, from_ms, end_ms, error)))
    return FALSE;
  while ((rc = sqlite3_step (friends)) == SQLITE_ROW)
    {
      RgNotifySteps via = _rg_notify_kind_from_string (column_text (friends, 0));

      if (via == RG_NOTIFY_STEP_LINE_PNP)
        stats->friends_via_pnp = sqlite3_column_int64 (friends, 1);
      else if (via == RG_NOTIFY_STEP_SMS)
        stats->friends_via_sms = sqlite3_column_int64 (friends, 1);
    }

  return step_error (store, rc, error);
}

/* The day of @ms among @n_days days starting at @starts[0]; @starts has n_days + 1 entries. */
static gint
day_index (const gint64 *starts,
           guint         n_days,
           gint64        ms)
{
  guint lo = 0;
  guint hi = n_days;

  if (ms < starts[0] || ms >= starts[n_days])
    return -1;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (ms >= starts[mid])
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/**
 * rg_notify_stats_query_daily:
 * @setting_id: (nullable): one setting, or %NULL for all
 * @last_day: any time on the last day of the chart
 * @n_days: how many days, the last one included
 *
 * The chart of the overview: per day (in the shop's time zone), the triggers accepted and
 * the deliveries per channel.
 *
 * Returns: (transfer full) (element-type RgNotifyDayStats): @n_days days, oldest first, or
 *   %NULL with @error set
 */
GArray *
rg_notify_stats_query_daily (RgStore     *store,
                             const char  *setting_id,
                             GDateTime   *last_day,
                             guint        n_days,
                             GError     **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(sqlite3_stmt) triggers = NULL;
  g_autoptr(sqlite3_stmt) deliveries = NULL;
  g_autofree gint64 *starts = NULL;
  int rc;

  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (last_day != NULL, NULL);
  g_return_val_if_fail (n_days > 0, NULL);

  tz = rg_store_dup_timezone (store);
  local = g_date_time_to_timezone (last_day, tz);
  days = g_array_sized_new (FALSE, TRUE, sizeof (RgNotifyDayStats), n_days);
  g_array_set_size (days, n_days);
  starts = g_new (gint64, n_days + 1);

  /* Day by day from midnight, so that a day with a daylight-saving change is right too. */
  for (guint i = 0; i <= n_days; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (local, (gint) i - (gint) n_days + 1);
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (day),
                                                       g_date_time_get_month (day),
                                                       g_date_time_get_day_of_month (day),
                                                       0, 0, 0);

      starts[i] = to_ms (midnight, 0);
      if (i < n_days)
        g_date_set_dmy (&g_array_index (days, RgNotifyDayStats, i).day,
                        g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                        g_date_time_get_year (day));
    }

  if (!(triggers = prepare_range (store,
                                  "SELECT t.created_at FROM notify_triggers t "
                                  "WHERE t.created_at >= ?1 AND t.created_at < ?2",
                                  " AND t.setting_id = ?3", "",
                                  setting_id, starts[0], starts[n_days], error)))
    return NULL;
  while ((rc = sqlite3_step (triggers)) == SQLITE_ROW)
    {
      gint i = day_index (starts, n_days, sqlite3_column_int64 (triggers, 0));

      if (i >= 0)
        g_array_index (days, RgNotifyDayStats, i).triggers++;
    }
  if (!step_error (store, rc, error))
    return NULL;

  if (!(deliveries = prepare_range (store,
                                    "SELECT s.kind, s.delivered_at FROM notify_steps s "
                                    "  JOIN notify_triggers t ON t.id = s.trigger_id "
                                    "WHERE s.delivered_at >= ?1 AND s.delivered_at < ?2",
                                    " AND t.setting_id = ?3", "",
                                    setting_id, starts[0], starts[n_days], error)))
    return NULL;
  while ((rc = sqlite3_step (deliveries)) == SQLITE_ROW)
    {
      RgNotifySteps kind = _rg_notify_kind_from_string (column_text (deliveries, 0));
      gint i = day_index (starts, n_days, sqlite3_column_int64 (deliveries, 1));
      RgNotifyDayStats *day;

      if (i < 0)
        continue;
      day = &g_array_index (days, RgNotifyDayStats, i);
      if (kind == RG_NOTIFY_STEP_LINE_PUSH)
        day->line_push++;
      else if (kind == RG_NOTIFY_STEP_LINE_PNP)
        day->line_pnp++;
      else if (kind == RG_NOTIFY_STEP_SMS)
        day->sms++;
    }
  if (!step_error (store, rc, error))
    return NULL;

  return g_steal_pointer (&days);
}

/**
 * _rg_notify_record_follow:
 * @line_user_id: the new follower
 * @phone_e164: the phone of the member with that LINE ID
 * @followed_ms: when they followed
 *
 * Credits a friend gained to the latest trigger a notification message or an SMS delivered
 * to @phone_e164 in the week before @followed_ms, if there is one and it has none yet.
 */
gboolean
_rg_notify_record_follow (RgStore     *store,
                          const char  *line_user_id,
                          const char  *phone_e164,
                          gint64       followed_ms,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT OR IGNORE INTO notify_friend_gains "
                                 "  (trigger_id, via, line_user_id, followed_at) "
                                 "SELECT id, delivered_via, ?2, ?3 FROM notify_triggers "
                                 "WHERE phone = ?1 AND state = 'completed' "
                                 "  AND delivered_via IN ('line_pnp', 'sms') "
                                 "  AND completed_at BETWEEN ?3 - ?4 AND ?3 "
                                 "ORDER BY completed_at DESC LIMIT 1",
                                 error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, phone_e164, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, line_user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, followed_ms);
  sqlite3_bind_int64 (stmt, 4, RG_NOTIFY_FRIEND_WINDOW_MS);
  return rg_store_step_done (store, stmt, error);
}
