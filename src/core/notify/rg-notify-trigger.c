/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-trigger"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"
#include "rg-notify-trigger.h"
#include "rg-phone.h"

/* A trigger (setting + phone + variables) becomes rows before anything is sent: the trigger
 * and its first step, committed together, so that the dispatcher finds the work even after a
 * crash right after the Open API answered. The first step is the first one the setting has
 * on; whether a LINE push is possible is decided when it is sent, with the member's follow
 * state of that moment. */

static const char * const trigger_states[] = { "sending", "completed", "failed" };
static const char * const step_states[] = {
  "pending", "sending", "accepted", "delivered", "failed", "skipped", "expired",
};

const char *
rg_notify_trigger_state_to_string (RgNotifyTriggerState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (trigger_states), NULL);

  return trigger_states[state];
}

gboolean
rg_notify_trigger_state_from_string (const char           *text,
                                     RgNotifyTriggerState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (trigger_states); i++)
    if (g_strcmp0 (trigger_states[i], text) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
rg_notify_step_state_to_string (RgNotifyStepState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (step_states), NULL);

  return step_states[state];
}

gboolean
rg_notify_step_state_from_string (const char        *text,
                                  RgNotifyStepState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_states); i++)
    if (g_strcmp0 (step_states[i], text) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * _rg_notify_insert_step:
 * @due_ms: when the dispatcher should send it
 *
 * Adds a pending step to a trigger, with the key that makes its retries harmless already in
 * place: a UUID retry key for a LINE push, the step's own ID as the delivery tag of a
 * notification message and as the SMS gateway's client reference.
 */
gboolean
_rg_notify_insert_step (RgStore        *store,
                        const char     *trigger_id,
                        RgNotifySteps   kind,
                        gint64          due_ms,
                        gint64          now_ms,
                        GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = _rg_notify_new_id ("st_");
  g_autofree char *retry_key = NULL;

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT INTO notify_steps (id, trigger_id, kind, state, due_at, "
                                 "  retry_key, delivery_tag, client_ref, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?8, ?8)",
                                 error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, trigger_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rg_notify_step_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, due_ms);
  if (kind == RG_NOTIFY_STEP_LINE_PUSH)
    {
      retry_key = g_uuid_string_random ();
      sqlite3_bind_text (stmt, 5, retry_key, -1, SQLITE_STATIC);
    }
  /* "st_" and 20 characters: within the 16 to 100 characters LINE wants for a tag. */
  if (kind == RG_NOTIFY_STEP_LINE_PNP)
    sqlite3_bind_text (stmt, 6, id, -1, SQLITE_STATIC);
  if (kind == RG_NOTIFY_STEP_SMS)
    sqlite3_bind_text (stmt, 7, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now_ms);

  return rg_store_step_done (store, stmt, error);
}

/**
 * _rg_notify_next_step:
 * @steps: the steps that are on
 * @after: a step, or %RG_NOTIFY_STEP_NONE for the first
 *
 * Returns: the first of @steps in cascade order (push, notification message, SMS) after
 *   @after, or %RG_NOTIFY_STEP_NONE
 */
RgNotifySteps
_rg_notify_next_step (RgNotifySteps steps,
                      RgNotifySteps after)
{
  static const RgNotifySteps order[] = {
    RG_NOTIFY_STEP_LINE_PUSH, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_SMS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (order[i] > after && (steps & order[i]) != 0)
      return order[i];

  return RG_NOTIFY_STEP_NONE;
}

typedef struct
{
  const char *setting_id;
  const char *phone;
  GHashTable *variables;
  const char *idempotency_key;
  char       *trigger_id;
} Trigger;

static char *
variables_to_json (GHashTable *variables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  /* Sorted, so that the same variables always make the same text. */
  if (variables != NULL)
    keys = g_list_sort (g_hash_table_get_keys (variables), (GCompareFunc) g_strcmp0);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (variables, l->data));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Returns TRUE with *found set when the key was used before, for the same setting and phone. */
static gboolean
find_by_key (RgStore     *store,
             Trigger     *trigger,
             const char  *phone_e164,
             gboolean    *found,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *found = FALSE;
  if (trigger->idempotency_key == NULL)
    return TRUE;

  if (!(stmt = rg_store_prepare (store,
                                 "SELECT id, setting_id, phone FROM notify_triggers "
                                 "WHERE idempotency_key = ?1",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, trigger->idempotency_key, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not look up the Idempotency-Key “%s”: %s"),
                   trigger->idempotency_key, sqlite3_errmsg (rg_store_get_db (store)));
      return FALSE;
    }

  /* A key names one request; reusing it for another one is a mistake worth reporting. */
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), trigger->setting_id) != 0 ||
      (phone_e164 != NULL &&
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), phone_e164) != 0))
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "idempotency_key",
                            _("The Idempotency-Key “%s” was already used for another "
                              "notification (%s)"),
                            trigger->idempotency_key, (const char *) sqlite3_column_text (stmt, 0));
      return FALSE;
    }

  trigger->trigger_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *found = TRUE;
  return TRUE;
}

static gboolean
check_variables (RgNotifySetting  *setting,
                 GHashTable       *variables,
                 GError          **error)
{
  g_autoptr(GPtrArray) names = rg_notify_setting_dup_variables (setting);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *field = NULL;

      if (variables != NULL && g_hash_table_lookup (variables, name) != NULL)
        continue;

      field = g_strconcat ("variables.", name, NULL);
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, field,
                            _("The setting “%s” uses “{{%s}}” but no value for “%s” was "
                              "given"),
                            rg_notify_setting_get_name (setting), name, name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
insert_trigger (RgStore   *store,
                gpointer   user_data,
                GError   **error)
{
  Trigger *trigger = user_data;
  g_autoptr(RgNotifySettingStore) settings = rg_notify_setting_store_new (store);
  g_autoptr(RgNotifySetting) setting = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) phone_error = NULL;
  g_autofree char *region = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *variables = NULL;
  g_autofree char *id = NULL;
  gboolean found;
  gint64 now = _rg_notify_now_ms ();

  region = rg_store_dup_default_region (store);
  phone = rg_phone_normalize (trigger->phone, region, &phone_error);

  /* The same request again: the same answer, whatever changed since. */
  if (!find_by_key (store, trigger, phone, &found, error))
    return FALSE;
  if (found)
    return TRUE;

  if (!(setting = rg_notify_setting_store_get (settings, trigger->setting_id, error)))
    return FALSE;
  if (!rg_notify_setting_get_enabled (setting))
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_DISABLED, "setting_id",
                            _("The notification setting “%s” (%s) is disabled"),
                            rg_notify_setting_get_name (setting), trigger->setting_id);
      return FALSE;
    }
  if (phone == NULL)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "phone", "%s", phone_error->message);
      return FALSE;
    }
  if (!check_variables (setting, trigger->variables, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT INTO notify_triggers (id, setting_id, phone, variables, "
                                 "  idempotency_key, state, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, 'sending', ?6, ?6)",
                                 error)))
    return FALSE;

  id = _rg_notify_new_id ("tr_");
  variables = variables_to_json (trigger->variables);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, trigger->setting_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, variables, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, trigger->idempotency_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!rg_store_step_done (store, stmt, error) ||
      !_rg_notify_insert_step (store, id,
                               _rg_notify_next_step (rg_notify_setting_get_steps (setting),
                                                     RG_NOTIFY_STEP_NONE),
                               now, now, error))
    return FALSE;

  trigger->trigger_id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * rg_notify_trigger:
 * @store: the database
 * @setting_id: the Setting ID
 * @phone: the recipient's phone in any format; read with the shop's default region
 * @variables: (nullable) (element-type utf8 utf8): values for the templates' `{{name}}`s
 * @idempotency_key: (nullable): the caller's key for this request: the same key again gives
 *   the same trigger and adds nothing (up to %RG_NOTIFY_IDEMPOTENCY_KEY_MAX characters)
 * @trigger_id: (out) (optional): the trigger's ID ("tr_…")
 * @error: %RG_NOTIFY_ERROR naming the field (rg_notify_error_get_field()): unknown setting
 *   (%RG_NOTIFY_ERROR_NOT_FOUND, "setting_id"), disabled setting (%RG_NOTIFY_ERROR_DISABLED,
 *   "setting_id"), bad phone ("phone"), a variable a template of a step that is on uses
 *   but that has no value ("variables.NAME"), or a key reused for another request
 *   ("idempotency_key")
 *
 * Accepts a notification: the trigger and its first step are committed when this returns
 * %TRUE. The dispatcher of the service process sends it.
 */
gboolean
rg_notify_trigger (RgStore     *store,
                   const char  *setting_id,
                   const char  *phone,
                   GHashTable  *variables,
                   const char  *idempotency_key,
                   char       **trigger_id,
                   GError     **error)
{
  Trigger trigger = { setting_id, phone, variables, idempotency_key, NULL };

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (setting_id == NULL || setting_id[0] == '\0')
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "setting_id",
                            _("A Setting ID is required"));
      return FALSE;
    }
  if (phone == NULL || phone[0] == '\0')
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "phone",
                            _("A phone number is required"));
      return FALSE;
    }
  if (idempotency_key != NULL &&
      (idempotency_key[0] == '\0' ||
       g_utf8_strlen (idempotency_key, -1) > RG_NOTIFY_IDEMPOTENCY_KEY_MAX))
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "idempotency_key",
                            _("An Idempotency-Key has 1 to %d characters"),
                            RG_NOTIFY_IDEMPOTENCY_KEY_MAX);
      return FALSE;
    }

  if (!rg_store_transaction (store, insert_trigger, &trigger, error))
    {
      g_free (trigger.trigger_id);
      return FALSE;
    }

  if (trigger_id != NULL)
    *trigger_id = g_steal_pointer (&trigger.trigger_id);
  g_free (trigger.trigger_id);
  return TRUE;
}

typedef struct
{
  const char               *setting_id;
  const char               *phone;
  const char               *variables;
  gint64                    created_ms;
  const RgNotifyStepRecord *steps;
  guint                     n_steps;
  char                     *trigger_id;
} Record;

static gboolean
insert_record (RgStore   *store,
               gpointer   user_data,
               GError   **error)
{
  Record *record = user_data;
  g_autoptr(sqlite3_stmt) trigger_stmt = NULL;
  g_autoptr(sqlite3_stmt) step_stmt = NULL;
  g_autofree char *id = _rg_notify_new_id ("tr_");
  RgNotifyTriggerState state;
  RgNotifySteps via = RG_NOTIFY_STEP_NONE;
  gboolean open = FALSE;
  gint64 last_ms = record->created_ms;

  for (guint i = 0; i < record->n_steps; i++)
    {
      const RgNotifyStepRecord *step = &record->steps[i];

      last_ms = MAX (last_ms, step->at_ms);
      if (step->state == RG_NOTIFY_STEP_STATE_DELIVERED ||
          (step->kind == RG_NOTIFY_STEP_SMS && step->state == RG_NOTIFY_STEP_STATE_ACCEPTED))
        via = step->kind;
      else if (step->state == RG_NOTIFY_STEP_STATE_PENDING ||
               step->state == RG_NOTIFY_STEP_STATE_SENDING ||
               step->state == RG_NOTIFY_STEP_STATE_ACCEPTED)
        open = TRUE;
    }
  if (via != RG_NOTIFY_STEP_NONE)
    state = RG_NOTIFY_TRIGGER_STATE_COMPLETED;
  else
    state = open ? RG_NOTIFY_TRIGGER_STATE_SENDING : RG_NOTIFY_TRIGGER_STATE_FAILED;

  if (!(trigger_stmt = rg_store_prepare (store,
                                         "INSERT INTO notify_triggers (id, setting_id, phone, "
                                         "  variables, state, delivered_via, created_at, "
                                         "  completed_at, updated_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (trigger_stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (trigger_stmt, 2, record->setting_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (trigger_stmt, 3, record->phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (trigger_stmt, 4, record->variables, -1, SQLITE_STATIC);
  sqlite3_bind_text (trigger_stmt, 5, rg_notify_trigger_state_to_string (state), -1, SQLITE_STATIC);
  if (via != RG_NOTIFY_STEP_NONE)
    sqlite3_bind_text (trigger_stmt, 6, rg_notify_step_to_string (via), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (trigger_stmt, 7, record->created_ms);
  if (state != RG_NOTIFY_TRIGGER_STATE_SENDING)
    sqlite3_bind_int64 (trigger_stmt, 8, last_ms);
  sqlite3_bind_int64 (trigger_stmt, 9, last_ms);
  if (!rg_store_step_done (store, trigger_stmt, error))
    return FALSE;

  if (!(step_stmt = rg_store_prepare (store,
                                      "INSERT INTO notify_steps (id, trigger_id, kind, state, "
                                      "  attempts, retry_key, delivery_tag, client_ref, "
                                      "  created_at, sent_at, delivered_at, updated_at) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                      error)))
    return FALSE;

  for (guint i = 0; i < record->n_steps; i++)
    {
      const RgNotifyStepRecord *step = &record->steps[i];
      g_autofree char *step_id = _rg_notify_new_id ("st_");
      g_autofree char *retry_key = NULL;
      gboolean attempted = step->state != RG_NOTIFY_STEP_STATE_SKIPPED &&
                           step->state != RG_NOTIFY_STEP_STATE_PENDING;
      gboolean reached = step->state == RG_NOTIFY_STEP_STATE_DELIVERED ||
                         (step->kind == RG_NOTIFY_STEP_SMS &&
                          step->state == RG_NOTIFY_STEP_STATE_ACCEPTED);

      sqlite3_reset (step_stmt);
      sqlite3_clear_bindings (step_stmt);
      sqlite3_bind_text (step_stmt, 1, step_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (step_stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (step_stmt, 3, rg_notify_step_to_string (step->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (step_stmt, 4, rg_notify_step_state_to_string (step->state), -1,
                         SQLITE_STATIC);
      sqlite3_bind_int (step_stmt, 5, attempted ? 1 : 0);
      if (step->kind == RG_NOTIFY_STEP_LINE_PUSH)
        {
          retry_key = g_uuid_string_random ();
          sqlite3_bind_text (step_stmt, 6, retry_key, -1, SQLITE_STATIC);
        }
      if (step->kind == RG_NOTIFY_STEP_LINE_PNP)
        sqlite3_bind_text (step_stmt, 7, step_id, -1, SQLITE_STATIC);
      if (step->kind == RG_NOTIFY_STEP_SMS)
        sqlite3_bind_text (step_stmt, 8, step_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (step_stmt, 9, i == 0 ? record->created_ms : record->steps[i - 1].at_ms);
      if (attempted)
        sqlite3_bind_int64 (step_stmt, 10, step->at_ms);
      if (reached)
        sqlite3_bind_int64 (step_stmt, 11, step->at_ms);
      sqlite3_bind_int64 (step_stmt, 12, step->at_ms);
      if (!rg_store_step_done (store, step_stmt, error))
        return FALSE;
    }

  record->trigger_id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * _rg_notify_record_trigger:
 * @phone_e164: the recipient, already normalized
 * @variables_json: a JSON object of the variables
 * @steps: (array length=n_steps): the steps in cascade order, with their final states
 * @trigger_id: (out) (optional): the new trigger's ID
 *
 * Writes a trigger that happened in the past, with its steps as given and the trigger's own
 * state derived from them, for sample data. Nothing is sent.
 */
gboolean
_rg_notify_record_trigger (RgStore                   *store,
                           const char                *setting_id,
                           const char                *phone_e164,
                           const char                *variables_json,
                           gint64                     created_ms,
                           const RgNotifyStepRecord  *steps,
                           guint                      n_steps,
                           char                     **trigger_id,
                           GError                   **error)
{
  Record record = { setting_id, phone_e164, variables_json, created_ms, steps, n_steps, NULL };

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_steps > 0, FALSE);

  if (!rg_store_transaction (store, insert_record, &record, error))
    return FALSE;

  if (trigger_id != NULL)
    *trigger_id = g_steal_pointer (&record.trigger_id);
  g_free (record.trigger_id);
  return TRUE;
}
