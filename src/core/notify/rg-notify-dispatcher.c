/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-dispatcher"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error.h"
#include "rg-line-message.h"
#include "rg-member-store.h"
#include "rg-notify-dispatcher.h"
#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"
#include "rg-template.h"

/*
 * The dispatcher sends the steps of accepted triggers down the cascade (DESIGN §6): LINE
 * push when the phone belongs to a member who follows the account, else a LINE notification
 * message by phone number, confirmed only by its `delivery` webhook, else an SMS.
 *
 * Every decision is a committed row first. A step due now is picked in due order, committed
 * as `sending` (with one more attempt and no due time, so it is not picked again) and only
 * then sent, one request per step. The answer is committed with the step's new state, and in
 * the same transaction the trigger's: completed, or the next step of the cascade created due
 * now, or failed when there is none. A wait (a retry's backoff, a notification message's
 * SMS wait) is a due time in the future, so quitting loses nothing and no timer has to
 * survive a restart.
 *
 * A step found `sending` when the dispatcher starts was cut off by a crash: its request may
 * or may not have gone out. A LINE push or an SMS is sent again with the retry key or client
 * reference it was given when it was created (LINE answers 409 to a retry of an accepted
 * push, which is a success; the gateway drops a repeated reference). A notification message
 * has no such key, so it is never sent again: it waits for its delivery webhook until the
 * SMS wait runs out, then falls to SMS. A timeout or a broken connection leaves a
 * notification message in the same unknown state and is treated the same way.
 *
 * Only one dispatcher may run per database (the service lock, DESIGN §1): starting treats
 * every `sending` row as cut off. SQLite work is small single-row statements on the caller's
 * connection; HTTP is asynchronous on the shared session.
 */

#define POLL_INTERVAL_MS        1000
#define CONFIG_RETRY_SECONDS    10
#define BACKOFF_BASE_MS         1000
#define BACKOFF_MAX_MS          (5 * 60 * 1000)
#define ALT_TEXT_UNITS          (RG_LINE_MAX_ALT_TEXT_LENGTH - 1)

typedef enum
{
  STMT_SELECT_DUE,
  STMT_NEXT_DUE,
  STMT_LOAD_STEP,
  STMT_MARK_SENDING,
  STMT_UPDATE_STEP,
  STMT_FINISH_TRIGGER,
  STMT_FIND_TAG,
  STMT_SKIP_UNSENT_SMS,
  N_STMTS
} Stmt;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_SELECT_DUE] =
    "SELECT id FROM notify_steps WHERE due_at <= ?1 ORDER BY due_at, rowid LIMIT ?2",
  [STMT_NEXT_DUE] =
    "SELECT min (due_at) FROM notify_steps WHERE due_at IS NOT NULL",
  [STMT_LOAD_STEP] =
    "SELECT s.kind, s.state, s.attempts, s.expires_at, s.retry_key, s.delivery_tag, "
    "  s.client_ref, s.recipient, s.trigger_id, t.setting_id, t.phone, t.variables, t.state "
    "FROM notify_steps s JOIN notify_triggers t ON t.id = s.trigger_id WHERE s.id = ?1",
  [STMT_MARK_SENDING] =
    "UPDATE notify_steps SET state = 'sending', attempts = attempts + 1, due_at = NULL, "
    "  recipient = ?2, expires_at = ?3, updated_at = ?4 "
    "WHERE id = ?1 AND state IN ('pending', 'sending')",
  [STMT_UPDATE_STEP] =
    "UPDATE notify_steps SET state = ?2, due_at = ?3, "
    "  last_error = coalesce (?4, last_error), provider_id = coalesce (?5, provider_id), "
    "  sent_at = coalesce (?6, sent_at), delivered_at = coalesce (?7, delivered_at), "
    "  expires_at = coalesce (?8, expires_at), updated_at = ?9 "
    "WHERE id = ?1 AND state = ?10",
  [STMT_FINISH_TRIGGER] =
    "UPDATE notify_triggers SET state = ?2, delivered_via = ?3, completed_at = ?4, "
    "  updated_at = ?4 "
    "WHERE id = ?1 AND state = ?5",
  [STMT_FIND_TAG] =
    "SELECT s.id, s.state, s.trigger_id, t.state, t.setting_id FROM notify_steps s "
    "  JOIN notify_triggers t ON t.id = s.trigger_id "
    "WHERE s.delivery_tag = ?1 AND s.kind = 'line_pnp'",
  [STMT_SKIP_UNSENT_SMS] =
    "UPDATE notify_steps SET state = 'skipped', due_at = NULL, last_error = ?2, updated_at = ?3 "
    "WHERE trigger_id = ?1 AND kind = 'sms' AND state = 'pending' AND attempts = 0",
};

struct _RgNotifyDispatcher
{
  GObject               parent_instance;

  RgStore              *store;
  RgChannelSettings    *settings;
  RgNotifySettingStore *setting_store;
  RgMemberStore        *members;
  RgLineClient         *line;
  RgSmsClient          *sms;

  RgNotifyClockFunc     clock;
  gpointer              clock_data;

  sqlite3_stmt         *stmts[N_STMTS];
  GHashTable           *in_flight;
  GCancellable         *cancellable;
  guint                 timeout_id;
  guint                 wake_id;
  guint                 config_retry_id;
  guint                 loading;

  guint                 running : 1;
  guint                 dispatching : 1;
  guint                 config_failed : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_RUNNING,
  PROP_N_IN_FLIGHT,
  N_PROPS
};

enum {
  STEP_CHANGED,
  TRIGGER_FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgNotifyDispatcher, rg_notify_dispatcher, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One request out for one step. */
typedef struct
{
  RgNotifyDispatcher *self;
  GCancellable       *cancellable;
  char               *step_id;
  char               *trigger_id;
  RgNotifySteps       kind;
  RgNotifySteps       setting_steps;
  gint                attempts;
  gint64              wait_ms;
  gint64              expires_ms;
} Request;

/* One change of a step, committed together with what it means for its trigger. */
typedef struct
{
  RgNotifyDispatcher *self;
  const char        *step_id;
  const char        *trigger_id;
  RgNotifySteps      kind;
  RgNotifyStepState  from;
  RgNotifyStepState  to;
  gint64             due_ms;
  const char        *last_error;
  const char        *provider_id;
  gboolean           sent;
  gboolean           reached;
  gint64             expires_ms;
  /* The trigger is completed through this step's channel. */
  gboolean           completes;
  /* The cascade moves on: the next step that is on, or the trigger fails. */
  gboolean           advances;
  RgNotifySteps      setting_steps;

  /* Filled in. */
  gint64             now_ms;
  gboolean           applied;
  RgNotifySteps      next_kind;
  gboolean           trigger_finished;
  RgNotifyTriggerState trigger_state;
} Transition;

static void dispatch (RgNotifyDispatcher *self);
static void load_config (RgNotifyDispatcher *self,
                         const char         *channel);

static gint64
now_ms (RgNotifyDispatcher *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data) / 1000;
  return _rg_notify_now_ms ();
}

static sqlite3_stmt *
get_stmt (RgNotifyDispatcher  *self,
          Stmt                 which,
          GError             **error)
{
  if (self->stmts[which] == NULL)
    self->stmts[which] = rg_store_prepare (self->store, stmt_sql[which], error);
  else
    {
      sqlite3_reset (self->stmts[which]);
      sqlite3_clear_bindings (self->stmts[which]);
    }
  return self->stmts[which];
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request->step_id);
  g_free (request->trigger_id);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           column,
                   gint64        ms)
{
  if (ms > 0)
    sqlite3_bind_int64 (stmt, column, ms);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
finish_trigger (RgNotifyDispatcher    *self,
                const char            *trigger_id,
                RgNotifyTriggerState   from,
                RgNotifyTriggerState   state,
                RgNotifySteps          via,
                gint64                 now,
                gboolean              *changed,
                GError               **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_FINISH_TRIGGER, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, trigger_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rg_notify_trigger_state_to_string (state), -1, SQLITE_STATIC);
  /* A NULL text binds NULL. */
  sqlite3_bind_text (stmt, 3, via != RG_NOTIFY_STEP_NONE ? rg_notify_step_to_string (via) : NULL,
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, rg_notify_trigger_state_to_string (from), -1, SQLITE_STATIC);
  if (!rg_store_step_done (self->store, stmt, error))
    return FALSE;

  *changed = sqlite3_changes (rg_store_get_db (self->store)) > 0;
  return TRUE;
}

static gboolean
apply_transition_cb (RgStore   *store,
                     gpointer   user_data,
                     GError   **error)
{
  Transition *t = user_data;
  RgNotifyDispatcher *self = t->self;
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_UPDATE_STEP, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, t->step_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rg_notify_step_state_to_string (t->to), -1, SQLITE_STATIC);
  bind_time_or_null (stmt, 3, t->due_ms);
  sqlite3_bind_text (stmt, 4, t->last_error, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, t->provider_id, -1, SQLITE_TRANSIENT);
  bind_time_or_null (stmt, 6, t->sent ? t->now_ms : 0);
  bind_time_or_null (stmt, 7, t->reached ? t->now_ms : 0);
  bind_time_or_null (stmt, 8, t->expires_ms);
  sqlite3_bind_int64 (stmt, 9, t->now_ms);
  sqlite3_bind_text (stmt, 10, rg_notify_step_state_to_string (t->from), -1, SQLITE_STATIC);
  if (!rg_store_step_done (store, stmt, error))
    return FALSE;

  /* Someone else moved the step first (a delivery webhook overtook the answer): keep theirs. */
  t->applied = sqlite3_changes (rg_store_get_db (store)) > 0;
  if (!t->applied)
    return TRUE;

  if (t->completes)
    {
      t->trigger_state = RG_NOTIFY_TRIGGER_STATE_COMPLETED;
      return finish_trigger (self, t->trigger_id, RG_NOTIFY_TRIGGER_STATE_SENDING,
                             RG_NOTIFY_TRIGGER_STATE_COMPLETED, t->kind, t->now_ms,
                             &t->trigger_finished, error);
    }

  if (!t->advances)
    return TRUE;

  t->next_kind = _rg_notify_next_step (t->setting_steps, t->kind);
  if (t->next_kind != RG_NOTIFY_STEP_NONE)
    return _rg_notify_insert_step (store, t->trigger_id, t->next_kind, t->now_ms, t->now_ms,
                                   error);

  t->trigger_state = RG_NOTIFY_TRIGGER_STATE_FAILED;
  return finish_trigger (self, t->trigger_id, RG_NOTIFY_TRIGGER_STATE_SENDING,
                         RG_NOTIFY_TRIGGER_STATE_FAILED, RG_NOTIFY_STEP_NONE, t->now_ms,
                         &t->trigger_finished, error);
}

static void
emit_trigger_finished (RgNotifyDispatcher   *self,
                       const char           *trigger_id,
                       RgNotifyTriggerState  state,
                       RgNotifySteps         via)
{
  g_signal_emit (self, signals[TRIGGER_FINISHED], 0, trigger_id,
                 rg_notify_trigger_state_to_string (state),
                 via != RG_NOTIFY_STEP_NONE ? rg_notify_step_to_string (via) : NULL);
}

static gboolean
apply_transition (RgNotifyDispatcher  *self,
                  Transition          *t,
                  GError             **error)
{
  t->self = self;
  t->now_ms = now_ms (self);
  if (!rg_store_transaction (self->store, apply_transition_cb, t, error))
    return FALSE;

  if (t->applied)
    g_signal_emit (self, signals[STEP_CHANGED], 0, t->trigger_id, t->step_id,
                   rg_notify_step_to_string (t->kind), rg_notify_step_state_to_string (t->to));
  if (t->trigger_finished)
    emit_trigger_finished (self, t->trigger_id, t->trigger_state,
                           t->completes ? t->kind : RG_NOTIFY_STEP_NONE);
  return TRUE;
}

static void
warn_store_error (const char   *doing,
                  const GError *error)
{
  g_warning ("Notifications: could not %s: %s", doing, error->message);
}

/* A step that cannot be sent, or whose sending failed for good: it ends and the cascade
 * moves on. */
static gboolean
end_step (RgNotifyDispatcher  *self,
          const char          *step_id,
          const char          *trigger_id,
          RgNotifySteps        kind,
          RgNotifySteps        setting_steps,
          RgNotifyStepState    from,
          RgNotifyStepState    to,
          const char          *reason,
          GError             **error)
{
  Transition t = { 0 };

  g_debug ("%s step %s of %s: %s: %s", rg_notify_step_to_string (kind), step_id, trigger_id,
           rg_notify_step_state_to_string (to), reason);

  t.step_id = step_id;
  t.trigger_id = trigger_id;
  t.kind = kind;
  t.from = from;
  t.to = to;
  t.last_error = reason;
  t.advances = TRUE;
  t.setting_steps = setting_steps;
  return apply_transition (self, &t, error);
}

/* Backoff with jitter: 1, 2, 4 … seconds (capped), each cut to a random point of its upper
 * half, and never earlier than the platform's Retry-After. */
static gint64
retry_delay_ms (gint          attempts,
                const GError *error)
{
  gint64 backoff = BACKOFF_BASE_MS;
  gint64 retry_after = rg_channel_error_get_retry_after (error);

  for (gint i = 1; i < attempts && backoff < BACKOFF_MAX_MS; i++)
    backoff *= 2;
  backoff = MIN (backoff, BACKOFF_MAX_MS);
  backoff = backoff / 2 + g_random_int_range (0, (gint32) (backoff / 2) + 1);

  if (retry_after >= 0)
    return MAX (retry_after * 1000, backoff);
  return backoff;
}

static void
request_done (Request *request)
{
  RgNotifyDispatcher *self = request->self;

  if (g_hash_table_lookup (self->in_flight, request->step_id) == request)
    {
      g_hash_table_remove (self->in_flight, request->step_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
    }
}

/* Returns TRUE when the answer is to be dropped: the dispatcher was stopped. The step stays
 * `sending`, and the next start treats it as cut off. */
static gboolean
request_cancelled (Request      *request,
                   const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_cancellable_is_cancelled (request->cancellable);
}

static void
handle_failure (Request      *request,
                const GError *failure)
{
  RgNotifyDispatcher *self = request->self;
  g_autoptr(GError) error = NULL;
  Transition t = { 0 };

  t.step_id = request->step_id;
  t.trigger_id = request->trigger_id;
  t.kind = request->kind;
  t.from = RG_NOTIFY_STEP_STATE_SENDING;
  t.last_error = failure->message;
  t.setting_steps = request->setting_steps;

  if (request->kind == RG_NOTIFY_STEP_LINE_PNP &&
      (g_error_matches (failure, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_TIMEOUT) ||
       g_error_matches (failure, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NETWORK)))
    {
      /* It may have gone out, and it cannot be sent again safely: wait for its webhook. */
      t.to = RG_NOTIFY_STEP_STATE_SENDING;
      t.due_ms = request->expires_ms;
    }
  else if (rg_channel_error_is_retryable (failure) &&
           request->attempts < RG_NOTIFY_DISPATCHER_MAX_ATTEMPTS)
    {
      t.to = RG_NOTIFY_STEP_STATE_PENDING;
      t.due_ms = now_ms (self) + retry_delay_ms (request->attempts, failure);
    }
  else
    {
      t.to = RG_NOTIFY_STEP_STATE_FAILED;
      t.advances = TRUE;
    }

  g_debug ("%s step %s: %s → %s", rg_notify_step_to_string (request->kind), request->step_id,
           failure->message, rg_notify_step_state_to_string (t.to));

  if (!apply_transition (self, &t, &error))
    warn_store_error ("record a failed request", error);
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *provider_id = NULL;
  gboolean already_accepted = FALSE;
  Transition t = { 0 };

  ids = rg_line_client_push_finish (RG_LINE_CLIENT (object), result, &already_accepted, &error);
  if (request_cancelled (request, error))
    return;
  request_done (request);
  _rg_notify_fault_point ("after the LINE push answered");

  if (ids == NULL)
    handle_failure (request, error);
  else
    {
      /* 409 to our retry key: an earlier attempt was accepted. */
      provider_id = ids[0] != NULL ? g_strjoinv (",", ids) : NULL;
      t.step_id = request->step_id;
      t.trigger_id = request->trigger_id;
      t.kind = RG_NOTIFY_STEP_LINE_PUSH;
      t.from = RG_NOTIFY_STEP_STATE_SENDING;
      t.to = RG_NOTIFY_STEP_STATE_DELIVERED;
      t.provider_id = provider_id;
      t.last_error = already_accepted ? _("LINE had accepted an earlier attempt (409)") : NULL;
      t.sent = TRUE;
      t.reached = TRUE;
      t.completes = TRUE;
      if (!apply_transition (request->self, &t, &store_error))
        warn_store_error ("record a LINE push", store_error);
    }

  dispatch (request->self);
}

static void
pnp_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  Transition t = { 0 };
  gint64 now;

  rg_line_client_push_by_phone_finish (RG_LINE_CLIENT (object), result, &error);
  if (request_cancelled (request, error))
    return;
  request_done (request);
  _rg_notify_fault_point ("after the LINE notification message answered");

  if (error != NULL)
    handle_failure (request, error);
  else
    {
      /* Accepted is not delivered: the SMS wait counts from here. */
      now = now_ms (request->self);
      t.step_id = request->step_id;
      t.trigger_id = request->trigger_id;
      t.kind = RG_NOTIFY_STEP_LINE_PNP;
      t.from = RG_NOTIFY_STEP_STATE_SENDING;
      t.to = RG_NOTIFY_STEP_STATE_ACCEPTED;
      t.sent = TRUE;
      t.expires_ms = now + request->wait_ms;
      t.due_ms = t.expires_ms;
      if (!apply_transition (request->self, &t, &store_error))
        warn_store_error ("record a LINE notification message", store_error);
    }

  dispatch (request->self);
}

static void
sms_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *message_id = NULL;
  Transition t = { 0 };

  message_id = rg_sms_client_send_finish (RG_SMS_CLIENT (object), result, &error);
  if (request_cancelled (request, error))
    return;
  request_done (request);
  _rg_notify_fault_point ("after the SMS gateway answered");

  if (message_id == NULL)
    handle_failure (request, error);
  else
    {
      t.step_id = request->step_id;
      t.trigger_id = request->trigger_id;
      t.kind = RG_NOTIFY_STEP_SMS;
      t.from = RG_NOTIFY_STEP_STATE_SENDING;
      t.to = RG_NOTIFY_STEP_STATE_ACCEPTED;
      t.provider_id = message_id;
      t.sent = TRUE;
      t.reached = TRUE;
      t.completes = TRUE;
      if (!apply_transition (request->self, &t, &store_error))
        warn_store_error ("record an SMS", store_error);
    }

  dispatch (request->self);
}

static GHashTable *
parse_variables (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GHashTable *variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return variables;

  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (variables, g_strdup (name), g_strdup (json_node_get_string (value)));

  return variables;
}

/* LINE shows the alternative text in notifications; it must stay within 400 UTF-16 units. */
static char *
alt_text_for (const char *text)
{
  GString *alt = g_string_new (NULL);
  glong units = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      glong width = c > 0xFFFF ? 2 : 1;

      if (units + width > ALT_TEXT_UNITS)
        {
          g_string_append_unichar (alt, 0x2026);
          break;
        }
      g_string_append_unichar (alt, c);
      units += width;
    }

  return g_string_free (alt, FALSE);
}

static RgMember *
find_line_friend (RgNotifyDispatcher *self,
                  const char         *phone)
{
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) error = NULL;

  if (!(member = rg_member_store_find_by_phone (self->members, phone, &error)))
    {
      if (error != NULL)
        g_warning ("Notifications: could not look up the member with phone %s: %s",
                   phone, error->message);
      return NULL;
    }

  if (rg_member_get_line_user_id (member) == NULL || !rg_member_get_line_friend (member))
    return NULL;

  return g_steal_pointer (&member);
}

typedef struct
{
  RgNotifySteps      kind;
  RgNotifyStepState  state;
  gint               attempts;
  gint64             expires_ms;
  char              *retry_key;
  char              *delivery_tag;
  char              *client_ref;
  char              *recipient;
  char              *trigger_id;
  char              *setting_id;
  char              *phone;
  char              *variables;
  RgNotifyTriggerState trigger_state;
} StepRow;

static void
step_row_clear (StepRow *row)
{
  g_free (row->retry_key);
  g_free (row->delivery_tag);
  g_free (row->client_ref);
  g_free (row->recipient);
  g_free (row->trigger_id);
  g_free (row->setting_id);
  g_free (row->phone);
  g_free (row->variables);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StepRow, step_row_clear)

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
load_step (RgNotifyDispatcher  *self,
           const char          *step_id,
           StepRow             *row,
           GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = get_stmt (self, STMT_LOAD_STEP, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, step_id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   "Could not read the notification step “%s”: %s", step_id,
                   rc == SQLITE_DONE ? "no such step"
                                     : sqlite3_errmsg (rg_store_get_db (self->store)));
      sqlite3_reset (stmt);
      return FALSE;
    }

  row->kind = _rg_notify_kind_from_string ((const char *) sqlite3_column_text (stmt, 0));
  rg_notify_step_state_from_string ((const char *) sqlite3_column_text (stmt, 1), &row->state);
  row->attempts = sqlite3_column_int (stmt, 2);
  row->expires_ms = sqlite3_column_int64 (stmt, 3);
  row->retry_key = dup_column (stmt, 4);
  row->delivery_tag = dup_column (stmt, 5);
  row->client_ref = dup_column (stmt, 6);
  row->recipient = dup_column (stmt, 7);
  row->trigger_id = dup_column (stmt, 8);
  row->setting_id = dup_column (stmt, 9);
  row->phone = dup_column (stmt, 10);
  row->variables = dup_column (stmt, 11);
  rg_notify_trigger_state_from_string ((const char *) sqlite3_column_text (stmt, 12),
                                       &row->trigger_state);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
mark_sending (RgNotifyDispatcher  *self,
              const char          *step_id,
              const char          *recipient,
              gint64               expires_ms,
              GError             **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_MARK_SENDING, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, step_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, recipient, -1, SQLITE_TRANSIENT);
  bind_time_or_null (stmt, 3, expires_ms);
  sqlite3_bind_int64 (stmt, 4, now_ms (self));

  /* Autocommit: one statement is its own transaction. */
  return rg_store_step_done (self->store, stmt, error);
}

/* A notification message that is still not delivered when its wait is over. */
static gboolean
expire_pnp (RgNotifyDispatcher  *self,
            const char          *step_id,
            StepRow             *row,
            RgNotifySteps        setting_steps,
            guint                wait_seconds,
            GError             **error)
{
  g_autofree char *reason = NULL;

  if (row->state == RG_NOTIFY_STEP_STATE_SENDING)
    reason = g_strdup_printf (_("The request was cut off, and no delivery came within %u s"),
                              wait_seconds);
  else
    reason = g_strdup_printf (_("No delivery within %u s"), wait_seconds);
  return end_step (self, step_id, row->trigger_id, row->kind, setting_steps, row->state,
                   RG_NOTIFY_STEP_STATE_EXPIRED, reason, error);
}

static Request *
request_new (RgNotifyDispatcher *self,
             const char         *step_id,
             StepRow            *row,
             RgNotifySteps       setting_steps,
             gint64              wait_ms,
             gint64              expires_ms)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->cancellable);
  request->step_id = g_strdup (step_id);
  request->trigger_id = g_strdup (row->trigger_id);
  request->kind = row->kind;
  request->setting_steps = setting_steps;
  request->attempts = row->attempts + 1;
  request->wait_ms = wait_ms;
  request->expires_ms = expires_ms;

  g_hash_table_insert (self->in_flight, request->step_id, request);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
  return request;
}

/* Sends a step that is due: commits `sending`, then sends. Every way it cannot be sent ends
 * the step and moves the cascade on instead. Returns FALSE only for a database error. */
static gboolean
send_step (RgNotifyDispatcher  *self,
           const char          *step_id,
           StepRow             *row,
           RgNotifySetting     *setting,
           GError             **error)
{
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(GError) render_error = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autofree char *text = NULL;
  g_autofree char *alt_text = NULL;
  RgNotifySteps steps = rg_notify_setting_get_steps (setting);
  const char *template = NULL;
  const char *recipient = row->recipient;
  gint64 wait_ms = (gint64) rg_notify_setting_get_sms_wait_seconds (setting) * 1000;
  gint64 expires_ms = 0;
  Request *request;

  if ((steps & row->kind) == 0)
    return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                     RG_NOTIFY_STEP_STATE_SKIPPED, _("The step is turned off in the setting"),
                     error);

  switch (row->kind)
    {
    case RG_NOTIFY_STEP_LINE_PUSH:
    case RG_NOTIFY_STEP_LINE_PNP:
      if (self->line == NULL)
        return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                         RG_NOTIFY_STEP_STATE_SKIPPED, _("LINE is not set up"), error);
      template = rg_notify_setting_get_line_push_text (setting);
      break;

    case RG_NOTIFY_STEP_SMS:
      if (self->sms == NULL)
        return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                         RG_NOTIFY_STEP_STATE_SKIPPED, _("No SMS gateway is set up"), error);
      template = rg_notify_setting_get_sms_text (setting);
      break;

    case RG_NOTIFY_STEP_NONE:
    default:
      g_assert_not_reached ();
    }

  /* Reachability decides the push: LINE reports no delivery of it. */
  if (row->kind == RG_NOTIFY_STEP_LINE_PUSH && recipient == NULL)
    {
      if (!(member = find_line_friend (self, row->phone)))
        return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                         RG_NOTIFY_STEP_STATE_SKIPPED,
                         _("No member with this phone has a LINE account that follows the shop"),
                         error);
      recipient = rg_member_get_line_user_id (member);
    }

  variables = parse_variables (row->variables);
  if (!(text = rg_template_render (template, variables, &render_error)))
    return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                     RG_NOTIFY_STEP_STATE_FAILED, render_error->message, error);

  if (row->kind == RG_NOTIFY_STEP_LINE_PUSH)
    message = rg_line_message_new_text (text, &render_error);
  else if (row->kind == RG_NOTIFY_STEP_LINE_PNP)
    {
      alt_text = alt_text_for (text);
      message = rg_line_message_new_flex_bubble (alt_text, NULL, text, _("Details"),
                                                 rg_notify_setting_get_pnp_footer_url (setting),
                                                 &render_error);
    }
  if (row->kind != RG_NOTIFY_STEP_SMS && message == NULL)
    return end_step (self, step_id, row->trigger_id, row->kind, steps, row->state,
                     RG_NOTIFY_STEP_STATE_FAILED, render_error->message, error);

  if (row->kind == RG_NOTIFY_STEP_LINE_PNP)
    expires_ms = now_ms (self) + wait_ms;

  if (!mark_sending (self, step_id, recipient, expires_ms, error))
    return FALSE;
  _rg_notify_fault_point ("after a step was committed as sending");

  request = request_new (self, step_id, row, steps, wait_ms, expires_ms);
  if (message != NULL)
    {
      messages = json_array_new ();
      json_array_add_element (messages, g_steal_pointer (&message));
    }

  switch (row->kind)
    {
    case RG_NOTIFY_STEP_LINE_PUSH:
      rg_line_client_push_async (self->line, recipient, messages, row->retry_key, FALSE,
                                 request->cancellable, push_cb, request);
      break;

    case RG_NOTIFY_STEP_LINE_PNP:
      rg_line_client_push_by_phone_async (self->line, row->phone, messages, row->delivery_tag,
                                          request->cancellable, pnp_cb, request);
      break;

    case RG_NOTIFY_STEP_SMS:
      rg_sms_client_send_async (self->sms, row->phone, text, row->client_ref,
                                request->cancellable, sms_cb, request);
      break;

    case RG_NOTIFY_STEP_NONE:
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* Takes the step @step_id, which is due, one move further. */
static gboolean
process_step (RgNotifyDispatcher  *self,
              const char          *step_id,
              GError             **error)
{
  g_auto(StepRow) row = { 0 };
  g_autoptr(RgNotifySetting) setting = NULL;
  g_autoptr(GError) setting_error = NULL;

  if (!load_step (self, step_id, &row, error))
    return FALSE;

  if (row.trigger_state != RG_NOTIFY_TRIGGER_STATE_SENDING)
    {
      Transition t = { 0 };

      /* The trigger was decided meanwhile (a late delivery): this step has nothing to do. */
      t.step_id = step_id;
      t.trigger_id = row.trigger_id;
      t.kind = row.kind;
      t.from = row.state;
      t.to = RG_NOTIFY_STEP_STATE_SKIPPED;
      t.last_error = _("The notification was already delivered");
      return apply_transition (self, &t, error);
    }

  setting = rg_notify_setting_store_get (self->setting_store, row.setting_id, &setting_error);
  if (setting == NULL)
    {
      if (!g_error_matches (setting_error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&setting_error));
          return FALSE;
        }
      return end_step (self, step_id, row.trigger_id, row.kind, RG_NOTIFY_STEP_NONE, row.state,
                       RG_NOTIFY_STEP_STATE_FAILED, setting_error->message, error);
    }

  if (row.kind == RG_NOTIFY_STEP_LINE_PNP &&
      (row.state == RG_NOTIFY_STEP_STATE_ACCEPTED || row.state == RG_NOTIFY_STEP_STATE_SENDING))
    return expire_pnp (self, step_id, &row, rg_notify_setting_get_steps (setting),
                       rg_notify_setting_get_sms_wait_seconds (setting), error);

  return send_step (self, step_id, &row, setting, error);
}

static gboolean
select_due (RgNotifyDispatcher  *self,
            gint64               now,
            guint                limit,
            GPtrArray           *ids,
            GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = get_stmt (self, STMT_SELECT_DUE, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, dup_column (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   "Could not read the notification steps that are due: %s",
                   sqlite3_errmsg (rg_store_get_db (self->store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  RgNotifyDispatcher *self = user_data;

  self->timeout_id = 0;
  dispatch (self);
  return G_SOURCE_REMOVE;
}

/* Arms the timer for the next due step (or the poll that notices work another process
 * added). With an injected clock, the caller drives the dispatcher instead. */
static void
schedule (RgNotifyDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 delay = POLL_INTERVAL_MS;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!self->running || self->clock != NULL ||
      g_hash_table_size (self->in_flight) >= RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT)
    return;

  if ((stmt = get_stmt (self, STMT_NEXT_DUE, &error)) != NULL &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    delay = CLAMP (sqlite3_column_int64 (stmt, 0) - now_ms (self), 0, POLL_INTERVAL_MS);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  self->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, timeout_cb, self, NULL);
  g_source_set_name_by_id (self->timeout_id, "[rg-notify] next due step");
}

static void
dispatch (RgNotifyDispatcher *self)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stuck = FALSE;

  if (!self->running || self->dispatching || self->loading > 0 || self->config_failed)
    return;

  self->dispatching = TRUE;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (!stuck && g_hash_table_size (self->in_flight) < RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      guint free_slots = RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT - g_hash_table_size (self->in_flight);

      if (!select_due (self, now_ms (self), free_slots, ids, &error))
        {
          warn_store_error ("read the due steps", error);
          break;
        }
      if (ids->len == 0)
        break;

      for (guint i = 0; i < ids->len && self->running; i++)
        {
          const char *id = g_ptr_array_index (ids, i);

          /* A step still due after it was processed would make this loop spin. */
          if (!g_hash_table_add (seen, g_strdup (id)))
            {
              g_warning ("Notifications: step %s stayed due after it was processed", id);
              stuck = TRUE;
              break;
            }
          if (!process_step (self, id, &error))
            {
              warn_store_error ("process a step", error);
              g_clear_error (&error);
              stuck = TRUE;
              break;
            }
          if (g_hash_table_size (self->in_flight) >= RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT)
            break;
        }
    }

  self->dispatching = FALSE;
  schedule (self);
}

static gboolean
wake_cb (gpointer user_data)
{
  RgNotifyDispatcher *self = user_data;

  self->wake_id = 0;
  dispatch (self);
  return G_SOURCE_REMOVE;
}

static gboolean
recover_cb (RgStore   *store,
            gpointer   user_data,
            GError   **error)
{
  RgNotifyDispatcher *self = user_data;
  g_autoptr(sqlite3_stmt) resend = NULL;
  g_autoptr(sqlite3_stmt) wait = NULL;
  gint64 now = now_ms (self);

  /* Keyed requests go again with their key; a notification message waits for its webhook. */
  if (!(resend = rg_store_prepare (store,
                                   "UPDATE notify_steps SET due_at = ?1, updated_at = ?1 "
                                   "WHERE state = 'sending' AND due_at IS NULL "
                                   "  AND kind <> 'line_pnp'",
                                   error)) ||
      !(wait = rg_store_prepare (store,
                                 "UPDATE notify_steps SET due_at = coalesce (expires_at, ?1), "
                                 "  updated_at = ?1 "
                                 "WHERE state = 'sending' AND due_at IS NULL AND kind = 'line_pnp'",
                                 error)))
    return FALSE;

  sqlite3_bind_int64 (resend, 1, now);
  sqlite3_bind_int64 (wait, 1, now);
  if (!rg_store_step_done (store, resend, error) ||
      !rg_store_step_done (store, wait, error))
    return FALSE;

  if (sqlite3_changes (rg_store_get_db (store)) > 0)
    g_debug ("%d notification messages were cut off while sending; they wait for delivery",
             sqlite3_changes (rg_store_get_db (store)));
  return TRUE;
}

static RgLineClient *
line_client_from_config (GHashTable *config)
{
  const char *token = g_hash_table_lookup (config, "channel-access-token");
  RgLineClient *client;

  if (token == NULL || token[0] == '\0')
    return NULL;

  client = rg_line_client_new (token);
  rg_line_client_set_base_url (client, g_hash_table_lookup (config, "base-url"));
  return client;
}

static RgSmsClient *
sms_client_from_config (GHashTable *config)
{
  const char *account = g_hash_table_lookup (config, "account");
  const char *password = g_hash_table_lookup (config, "password");
  RgSmsProvider provider;
  RgSmsClient *client;

  if (!rg_sms_provider_from_string (g_hash_table_lookup (config, "provider"), &provider) ||
      account == NULL || password == NULL)
    return NULL;

  client = rg_sms_client_new (provider, account, password, g_hash_table_lookup (config, "sender"));
  rg_sms_client_set_base_url (client, g_hash_table_lookup (config, "base-url"));
  return client;
}

static gboolean
config_retry_cb (gpointer user_data)
{
  RgNotifyDispatcher *self = user_data;

  self->config_retry_id = 0;
  self->config_failed = FALSE;
  load_config (self, "line");
  load_config (self, "sms");
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RgNotifyDispatcher *self;
  const char         *channel;
} ConfigLoad;

static void
config_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ConfigLoad *load = user_data;
  g_autoptr(RgNotifyDispatcher) self = load->self;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *channel = load->channel;

  g_free (load);
  config = rg_channel_settings_load_config_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading--;
  if (config == NULL)
    {
      /* A locked keyring must not make every step look unconfigured: wait and retry. */
      g_warning ("Notifications wait for the %s settings: %s", channel, error->message);
      self->config_failed = TRUE;
      if (self->config_retry_id == 0 && self->running)
        self->config_retry_id = g_timeout_add_seconds (CONFIG_RETRY_SECONDS, config_retry_cb,
                                                       self);
      return;
    }

  if (g_str_equal (channel, "line"))
    {
      g_autoptr(RgLineClient) line = line_client_from_config (config);

      g_set_object (&self->line, line);
    }
  else
    {
      g_autoptr(RgSmsClient) sms = sms_client_from_config (config);

      g_set_object (&self->sms, sms);
    }

  dispatch (self);
}

static void
load_config (RgNotifyDispatcher *self,
             const char         *channel)
{
  ConfigLoad *load = g_new0 (ConfigLoad, 1);

  load->self = g_object_ref (self);
  load->channel = g_str_equal (channel, "line") ? "line" : "sms";
  self->loading++;
  rg_channel_settings_load_config_async (self->settings, channel, self->cancellable,
                                         config_loaded_cb, load);
}

static void
settings_changed_cb (RgNotifyDispatcher *self,
                     const char         *channel,
                     const char         *field)
{
  if (self->running && (g_str_equal (channel, "line") || g_str_equal (channel, "sms")))
    load_config (self, channel);
}

static void
rg_notify_dispatcher_dispose (GObject *object)
{
  RgNotifyDispatcher *self = (RgNotifyDispatcher *)object;

  rg_notify_dispatcher_stop (self);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_object (&self->line);
  g_clear_object (&self->sms);
  g_clear_object (&self->members);
  g_clear_object (&self->setting_store);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_notify_dispatcher_parent_class)->dispose (object);
}

static void
rg_notify_dispatcher_finalize (GObject *object)
{
  RgNotifyDispatcher *self = (RgNotifyDispatcher *)object;

  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (rg_notify_dispatcher_parent_class)->finalize (object);
}

static void
rg_notify_dispatcher_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RgNotifyDispatcher *self = RG_NOTIFY_DISPATCHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_N_IN_FLIGHT:
      g_value_set_uint (value, g_hash_table_size (self->in_flight));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_dispatcher_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RgNotifyDispatcher *self = RG_NOTIFY_DISPATCHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_dispatcher_constructed (GObject *object)
{
  RgNotifyDispatcher *self = (RgNotifyDispatcher *)object;

  G_OBJECT_CLASS (rg_notify_dispatcher_parent_class)->constructed (object);

  self->setting_store = rg_notify_setting_store_new (self->store);
  self->members = rg_member_store_new (self->store);

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
rg_notify_dispatcher_class_init (RgNotifyDispatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rg_notify_dispatcher_constructed;
  object_class->dispose = rg_notify_dispatcher_dispose;
  object_class->finalize = rg_notify_dispatcher_finalize;
  object_class->get_property = rg_notify_dispatcher_get_property;
  object_class->set_property = rg_notify_dispatcher_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_IN_FLIGHT] =
    g_param_spec_uint ("n-in-flight", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgNotifyDispatcher::step-changed:
   * @trigger_id: the trigger
   * @step_id: the step, also the delivery tag of a notification message
   * @kind: "line_push", "line_pnp" or "sms"
   * @state: the step's new state ("accepted", "delivered" …)
   *
   * Emitted after a step's new state was committed.
   */
  signals[STEP_CHANGED] =
    g_signal_new ("step-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * RgNotifyDispatcher::trigger-finished:
   * @trigger_id: the trigger
   * @state: "completed" or "failed"
   * @delivered_via: (nullable): "line_push", "line_pnp" or "sms" for a completed trigger
   *
   * Emitted after a trigger's final state was committed.
   */
  signals[TRIGGER_FINISHED] =
    g_signal_new ("trigger-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
rg_notify_dispatcher_init (RgNotifyDispatcher *self)
{
  self->in_flight = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * rg_notify_dispatcher_new:
 * @store: the database, used from the thread that calls the dispatcher
 * @settings: (nullable): where the LINE and SMS settings come from (reloaded when they
 *   change), or %NULL to give the clients with rg_notify_dispatcher_set_line_client() and
 *   rg_notify_dispatcher_set_sms_client()
 *
 * Creates the dispatcher of the service process. Only the process that holds the service
 * lock may start one.
 */
RgNotifyDispatcher *
rg_notify_dispatcher_new (RgStore           *store,
                          RgChannelSettings *settings)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || RG_IS_CHANNEL_SETTINGS (settings), NULL);

  return g_object_new (RG_TYPE_NOTIFY_DISPATCHER,
                       "store", store,
                       "settings", settings,
                       NULL);
}

RgStore *
rg_notify_dispatcher_get_store (RgNotifyDispatcher *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_DISPATCHER (self), NULL);

  return self->store;
}

/**
 * rg_notify_dispatcher_set_line_client:
 * @client: (nullable): the LINE client, or %NULL when LINE is not set up (LINE steps are
 *   skipped)
 */
void
rg_notify_dispatcher_set_line_client (RgNotifyDispatcher *self,
                                      RgLineClient       *client)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));
  g_return_if_fail (client == NULL || RG_IS_LINE_CLIENT (client));

  g_set_object (&self->line, client);
}

/**
 * rg_notify_dispatcher_set_sms_client:
 * @client: (nullable): the SMS client, or %NULL when no gateway is set up (SMS steps are
 *   skipped)
 */
void
rg_notify_dispatcher_set_sms_client (RgNotifyDispatcher *self,
                                     RgSmsClient        *client)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));
  g_return_if_fail (client == NULL || RG_IS_SMS_CLIENT (client));

  g_set_object (&self->sms, client);
}

/**
 * rg_notify_dispatcher_set_clock:
 * @func: (nullable): the clock, or %NULL for the real one
 * @user_data: data for @func
 *
 * Replaces the clock, for tests. With a clock of its own the dispatcher arms no timers:
 * call rg_notify_dispatcher_run_due() after moving the clock, and iterate the main context
 * until rg_notify_dispatcher_get_n_in_flight() is 0.
 */
void
rg_notify_dispatcher_set_clock (RgNotifyDispatcher *self,
                                RgNotifyClockFunc   func,
                                gpointer            user_data)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));

  self->clock = func;
  self->clock_data = user_data;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

/**
 * rg_notify_dispatcher_start:
 *
 * Starts sending. Steps left `sending` by an earlier process are taken up again first (see
 * the top of rg-notify-dispatcher.c).
 */
void
rg_notify_dispatcher_start (RgNotifyDispatcher *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));

  if (self->running)
    return;

  if (!rg_store_transaction (self->store, recover_cb, self, &error))
    warn_store_error ("take up the steps an earlier run left", error);

  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (self->settings != NULL)
    {
      load_config (self, "line");
      load_config (self, "sms");
    }
  else
    dispatch (self);
}

/**
 * rg_notify_dispatcher_stop:
 *
 * Stops sending and cancels the requests out. Their steps stay `sending` and are taken up
 * by the next start.
 */
void
rg_notify_dispatcher_stop (RgNotifyDispatcher *self)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));

  if (!self->running)
    return;

  self->running = FALSE;
  self->loading = 0;
  self->config_failed = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  g_clear_handle_id (&self->config_retry_id, g_source_remove);
  g_hash_table_remove_all (self->in_flight);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
rg_notify_dispatcher_get_running (RgNotifyDispatcher *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_DISPATCHER (self), FALSE);

  return self->running;
}

/**
 * rg_notify_dispatcher_wake:
 *
 * Tells a running dispatcher that new work may be due (a trigger was just accepted), so it
 * looks at once instead of at its next poll.
 */
void
rg_notify_dispatcher_wake (RgNotifyDispatcher *self)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));

  if (self->running && self->wake_id == 0)
    {
      self->wake_id = g_idle_add (wake_cb, self);
      g_source_set_name_by_id (self->wake_id, "[rg-notify] wake");
    }
}

/**
 * rg_notify_dispatcher_run_due:
 *
 * Takes every step that is due now one move further at once: the requests go out, waits
 * that are over end. For tests with their own clock.
 */
void
rg_notify_dispatcher_run_due (RgNotifyDispatcher *self)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));

  dispatch (self);
}

/**
 * rg_notify_dispatcher_get_n_in_flight:
 *
 * Returns: how many requests are out
 */
guint
rg_notify_dispatcher_get_n_in_flight (RgNotifyDispatcher *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_DISPATCHER (self), 0);

  return g_hash_table_size (self->in_flight);
}

static gboolean
deliver_cb (RgStore   *store,
            gpointer   user_data,
            GError   **error)
{
  Transition *t = user_data;
  sqlite3_stmt *stmt;
  gboolean sms_skipped;

  if (!apply_transition_cb (store, t, error))
    return FALSE;
  if (!t->applied)
    return TRUE;

  /* A late delivery: the SMS that was to replace it is not needed any more, unless it may
   * have gone out already. */
  if (!(stmt = get_stmt (t->self, STMT_SKIP_UNSENT_SMS, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, t->trigger_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, _("The notification message was delivered"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, t->now_ms);
  if (!rg_store_step_done (store, stmt, error))
    return FALSE;
  sms_skipped = sqlite3_changes (rg_store_get_db (store)) > 0;

  t->trigger_state = RG_NOTIFY_TRIGGER_STATE_COMPLETED;
  if (t->from != RG_NOTIFY_STEP_STATE_EXPIRED || sms_skipped)
    return finish_trigger (t->self, t->trigger_id, RG_NOTIFY_TRIGGER_STATE_SENDING,
                           RG_NOTIFY_TRIGGER_STATE_COMPLETED, RG_NOTIFY_STEP_LINE_PNP,
                           t->now_ms, &t->trigger_finished, error);

  /* Too late, and no SMS replaced it (SMS off, or it failed): delivered after all. */
  return finish_trigger (t->self, t->trigger_id, RG_NOTIFY_TRIGGER_STATE_FAILED,
                         RG_NOTIFY_TRIGGER_STATE_COMPLETED, RG_NOTIFY_STEP_LINE_PNP,
                         t->now_ms, &t->trigger_finished, error);
}

static void
handle_delivery (RgNotifyDispatcher *self,
                 const char         *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *step_id = NULL;
  g_autofree char *trigger_id = NULL;
  RgNotifyStepState state;
  Transition t = { 0 };
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, STMT_FIND_TAG, &error)))
    {
      warn_store_error ("look up a delivery tag", error);
      return;
    }
  sqlite3_bind_text (stmt, 1, tag, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_debug ("LINE delivery of %s, which is no notification message of ours", tag);
      return;
    }
  step_id = dup_column (stmt, 0);
  rg_notify_step_state_from_string ((const char *) sqlite3_column_text (stmt, 1), &state);
  trigger_id = dup_column (stmt, 2);
  sqlite3_reset (stmt);

  if (state != RG_NOTIFY_STEP_STATE_SENDING && state != RG_NOTIFY_STEP_STATE_ACCEPTED &&
      state != RG_NOTIFY_STEP_STATE_EXPIRED)
    {
      g_debug ("LINE delivery of %s, which is %s", tag, rg_notify_step_state_to_string (state));
      return;
    }

  /* The step may still be in flight (the webhook overtook the answer): the answer then finds
   * it delivered and changes nothing. */
  t.step_id = step_id;
  t.trigger_id = trigger_id;
  t.kind = RG_NOTIFY_STEP_LINE_PNP;
  t.from = state;
  t.to = RG_NOTIFY_STEP_STATE_DELIVERED;
  t.reached = TRUE;
  t.self = self;
  t.now_ms = now_ms (self);

  if (!rg_store_transaction (self->store, deliver_cb, &t, &error))
    {
      warn_store_error ("record a delivery", error);
      return;
    }

  if (t.applied)
    g_signal_emit (self, signals[STEP_CHANGED], 0, trigger_id, step_id, "line_pnp", "delivered");
  if (t.trigger_finished)
    emit_trigger_finished (self, trigger_id, RG_NOTIFY_TRIGGER_STATE_COMPLETED,
                           RG_NOTIFY_STEP_LINE_PNP);
}

static void
handle_follow (RgNotifyDispatcher *self,
               JsonObject         *event)
{
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *source;
  const char *user_id;

  if (!json_object_has_member (event, "source") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (event, "source")))
    return;
  source = json_object_get_object_member (event, "source");
  if (!(user_id = json_object_get_string_member_with_default (source, "userId", NULL)))
    return;

  if (!(member = rg_member_store_find_by_line_user_id (self->members, user_id, &error)) ||
      rg_member_get_phone (member) == NULL)
    return;

  if (!_rg_notify_record_follow (self->store, user_id, rg_member_get_phone (member),
                                 now_ms (self), &error))
    warn_store_error ("record a friend gained", error);
}

/**
 * rg_notify_dispatcher_handle_line_event:
 * @event: one event of a verified LINE webhook (RgServer::line-event)
 *
 * Takes the events the cascade cares about: `delivery` (a notification message carrying one
 * of our tags was delivered) and `follow` (a friend gained after a notification message or
 * an SMS).
 */
void
rg_notify_dispatcher_handle_line_event (RgNotifyDispatcher *self,
                                        JsonObject         *event)
{
  const char *type;

  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));
  g_return_if_fail (event != NULL);

  type = json_object_get_string_member_with_default (event, "type", "");
  if (g_str_equal (type, "delivery"))
    {
      JsonNode *delivery = json_object_get_member (event, "delivery");
      const char *tag = NULL;

      if (delivery != NULL && JSON_NODE_HOLDS_OBJECT (delivery))
        tag = json_object_get_string_member_with_default (json_node_get_object (delivery),
                                                          "data", NULL);
      if (tag != NULL)
        handle_delivery (self, tag);
    }
  else if (g_str_equal (type, "follow"))
    handle_follow (self, event);
}

/**
 * rg_notify_dispatcher_watch_server:
 * @server: the service's server
 *
 * Feeds the LINE webhook events @server receives to rg_notify_dispatcher_handle_line_event().
 */
void
rg_notify_dispatcher_watch_server (RgNotifyDispatcher *self,
                                   RgServer           *server)
{
  g_return_if_fail (RG_IS_NOTIFY_DISPATCHER (self));
  g_return_if_fail (RG_IS_SERVER (server));

  g_signal_connect_object (server, "line-event",
                           G_CALLBACK (rg_notify_dispatcher_handle_line_event), self,
                           G_CONNECT_SWAPPED);
}
