/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rg-store.h"

G_BEGIN_DECLS

/**
 * RgNotifyStats:
 * @triggers: triggers accepted in the range
 * @completed: of those, the ones a channel delivered
 * @failed: the ones every step failed or skipped
 * @line_push_attempted: LINE pushes sent at least once
 * @line_push_delivered: LINE pushes LINE accepted (2xx); push has no delivery receipt
 * @line_push_rate: @line_push_delivered / @line_push_attempted, 0 when nothing was attempted
 * @line_pnp_attempted: LINE notification messages sent at least once
 * @line_pnp_delivered: those whose `delivery` webhook came
 * @line_pnp_rate: @line_pnp_delivered / @line_pnp_attempted
 * @sms_attempted: SMS sent at least once
 * @sms_delivered: SMS the gateway accepted (sent)
 * @sms_rate: @sms_delivered / @sms_attempted
 * @friends_via_pnp: LINE follows by members within a week after a notification message
 *   reached them
 * @friends_via_sms: LINE follows by members within a week after an SMS reached them
 *
 * The overview of notifications over a range of trigger times.
 */
typedef struct
{
  guint64 triggers;
  guint64 completed;
  guint64 failed;
  guint64 line_push_attempted;
  guint64 line_push_delivered;
  double  line_push_rate;
  guint64 line_pnp_attempted;
  guint64 line_pnp_delivered;
  double  line_pnp_rate;
  guint64 sms_attempted;
  guint64 sms_delivered;
  double  sms_rate;
  guint64 friends_via_pnp;
  guint64 friends_via_sms;
} RgNotifyStats;

/**
 * RgNotifyDayStats:
 * @day: the day, in the shop's time zone
 * @triggers: triggers accepted that day
 * @line_push: deliveries by LINE push that day
 * @line_pnp: deliveries by LINE notification message that day
 * @sms: SMS sent that day
 *
 * One day of the chart.
 */
typedef struct
{
  GDate   day;
  guint   triggers;
  guint   line_push;
  guint   line_pnp;
  guint   sms;
} RgNotifyDayStats;

gboolean  rg_notify_stats_query       (RgStore        *store,
                                       const char     *setting_id,
                                       GDateTime      *from,
                                       GDateTime      *to,
                                       RgNotifyStats  *stats,
                                       GError        **error);
GArray   *rg_notify_stats_query_daily (RgStore        *store,
                                       const char     *setting_id,
                                       GDateTime      *last_day,
                                       guint           n_days,
                                       GError        **error);

G_END_DECLS
