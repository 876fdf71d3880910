/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-setting.h"
#include "rg-notify-trigger.h"
#include "rg-store.h"

G_BEGIN_DECLS

/* IDs are a prefix ("ns_", "tr_", "st_") and this many base32 characters (100 bits). */
#define RG_NOTIFY_ID_RANDOM_CHARS 20

/* How long after a notification message or SMS reached someone a new LINE follow of theirs
 * still counts as a friend gained through it (rg-notify-stats.c). */
#define RG_NOTIFY_FRIEND_WINDOW_MS ((gint64) 7 * 24 * 60 * 60 * 1000)

/**
 * RgNotifyStepRecord:
 * @kind: the channel of the step
 * @state: its final state
 * @at_ms: when it reached that state
 *
 * One step of a finished trigger, for sample data (rg-demo.c).
 */
typedef struct
{
  RgNotifySteps        kind;
  RgNotifyStepState    state;
  gint64               at_ms;
} RgNotifyStepRecord;

void      _rg_notify_set_error          (GError                   **error,
                                         RgNotifyError              code,
                                         const char                *field,
                                         const char                *format,
                                         ...) G_GNUC_PRINTF (4, 5);
char     *_rg_notify_new_id             (const char                *prefix);
gint64    _rg_notify_now_ms             (void);
void      _rg_notify_fault_point        (const char                *where);
RgNotifySteps _rg_notify_kind_from_string (const char              *kind);
RgNotifySteps _rg_notify_next_step      (RgNotifySteps              steps,
                                         RgNotifySteps              after);
gboolean  _rg_notify_insert_step        (RgStore                   *store,
                                         const char                *trigger_id,
                                         RgNotifySteps              kind,
                                         gint64                     due_ms,
                                         gint64                     now_ms,
                                         GError                   **error);

gboolean  _rg_notify_record_trigger     (RgStore                   *store,
                                         const char                *setting_id,
                                         const char                *phone_e164,
                                         const char                *variables_json,
                                         gint64                     created_ms,
                                         const RgNotifyStepRecord  *steps,
                                         guint                      n_steps,
                                         char                     **trigger_id,
                                         GError                   **error);
gboolean  _rg_notify_record_follow      (RgStore                   *store,
                                         const char                *line_user_id,
                                         const char                *phone_e164,
                                         gint64                     followed_ms,
                                         GError                   **error);

G_END_DECLS
