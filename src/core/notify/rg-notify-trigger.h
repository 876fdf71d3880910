/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-setting.h"
#include "rg-types.h"

G_BEGIN_DECLS

/* The longest Idempotency-Key kept; longer ones are refused. */
#define RG_NOTIFY_IDEMPOTENCY_KEY_MAX 255

/**
 * RgNotifyTriggerState:
 * @RG_NOTIFY_TRIGGER_STATE_SENDING: a step is waiting, sending or waiting for delivery
 * @RG_NOTIFY_TRIGGER_STATE_COMPLETED: one channel reached the customer
 * @RG_NOTIFY_TRIGGER_STATE_FAILED: every step that was on failed or was skipped
 */
typedef enum
{
  RG_NOTIFY_TRIGGER_STATE_SENDING,
  RG_NOTIFY_TRIGGER_STATE_COMPLETED,
  RG_NOTIFY_TRIGGER_STATE_FAILED,
} RgNotifyTriggerState;

/**
 * RgNotifyStepState:
 * @RG_NOTIFY_STEP_STATE_PENDING: due at its `due_at`, not sent yet (or waiting to be retried)
 * @RG_NOTIFY_STEP_STATE_SENDING: committed before its request went out; the outcome is not
 *   known yet
 * @RG_NOTIFY_STEP_STATE_ACCEPTED: the platform took it: a notification message waits for its
 *   delivery webhook, an SMS is sent (the gateway's own delivery report is not followed)
 * @RG_NOTIFY_STEP_STATE_DELIVERED: a LINE push answered 2xx, or the notification message's
 *   delivery webhook came
 * @RG_NOTIFY_STEP_STATE_FAILED: the platform refused it, or retries ran out
 * @RG_NOTIFY_STEP_STATE_SKIPPED: not possible (no LINE friend, channel not set up, step turned
 *   off)
 * @RG_NOTIFY_STEP_STATE_EXPIRED: a notification message not delivered within the SMS wait time
 */
typedef enum
{
  RG_NOTIFY_STEP_STATE_PENDING,
  RG_NOTIFY_STEP_STATE_SENDING,
  RG_NOTIFY_STEP_STATE_ACCEPTED,
  RG_NOTIFY_STEP_STATE_DELIVERED,
  RG_NOTIFY_STEP_STATE_FAILED,
  RG_NOTIFY_STEP_STATE_SKIPPED,
  RG_NOTIFY_STEP_STATE_EXPIRED,
} RgNotifyStepState;

const char *rg_notify_trigger_state_to_string (RgNotifyTriggerState   state);
gboolean    rg_notify_trigger_state_from_string (const char          *text,
                                                 RgNotifyTriggerState *state);
const char *rg_notify_step_state_to_string    (RgNotifyStepState      state);
gboolean    rg_notify_step_state_from_string  (const char            *text,
                                               RgNotifyStepState     *state);

gboolean    rg_notify_trigger                 (RgStore                *store,
                                               const char             *setting_id,
                                               const char             *phone,
                                               GHashTable             *variables,
                                               const char             *idempotency_key,
                                               char                  **trigger_id,
                                               GError                **error);

G_END_DECLS
