/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "rg-csv-reader.h"
#include "rg-demo.h"
#include "rg-fake-wait.h"
#include "rg-notify-export.h"
#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"
#include "rg-notify-stats.h"
#include "rg-notify-trigger.h"
#include "rg-test-util.h"

/* Settings in the database, accepting triggers, the overview and the CSV export. */

#define HOUR_MS ((gint64) 60 * 60 * 1000)
#define DAY_MS  (24 * HOUR_MS)

typedef struct
{
  char                 *dir;
  RgStore              *store;
  RgNotifySettingStore *settings;
  GPtrArray            *changed;
} Fixture;

static void
changed_cb (RgNotifySettingStore *settings,
            const char           *id,
            Fixture              *fixture)
{
  g_ptr_array_add (fixture->changed, g_strdup (id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->settings = rg_notify_setting_store_new (fixture->store);
  fixture->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->settings, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->changed, g_ptr_array_unref);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static RgNotifySetting *
new_setting (const char    *name,
             RgNotifySteps  steps)
{
  RgNotifySetting *setting = rg_notify_setting_new ();

  rg_notify_setting_set_name (setting, name);
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_steps (setting, steps);
  rg_notify_setting_set_line_push_text (setting, "{{name}}, order {{order}} shipped");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example/orders");
  rg_notify_setting_set_sms_text (setting, "Order {{order}} shipped");
  return setting;
}

static char *
create (Fixture       *fixture,
        const char    *name,
        RgNotifySteps  steps)
{
  g_autoptr(RgNotifySetting) setting = new_setting (name, steps);
  g_autoptr(GError) error = NULL;

  g_assert_true (rg_notify_setting_store_create (fixture->settings, setting, &error));
  g_assert_no_error (error);
  return g_strdup (rg_notify_setting_get_id (setting));
}

static char *
setting_json (RgNotifySetting *setting)
{
  g_autoptr(JsonNode) node = rg_notify_setting_to_json (setting);

  return json_to_string (node, FALSE);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RgNotifySetting) setting = new_setting ("Shipped", 7);
  g_autoptr(RgNotifySetting) read = NULL;
  g_autoptr(RgNotifySetting) copy = NULL;
  g_autoptr(RgNotifySetting) long_copy = NULL;
  g_autoptr(RgNotifySetting) disabled = NULL;
  g_autoptr(RgNotifySetting) missing = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  g_autofree char *read_json = NULL;
  g_autofree char *long_id = NULL;
  g_autofree char *long_name = NULL;
  const char *id_chars;

  g_assert_null (rg_notify_setting_get_id (setting));
  g_assert_true (rg_notify_setting_store_create (fixture->settings, setting, &error));
  g_assert_no_error (error);
  id = g_strdup (rg_notify_setting_get_id (setting));
  g_assert_true (g_str_has_prefix (id, "ns_"));
  g_assert_cmpuint (strlen (id), ==, 3 + 20);
  id_chars = id + 3;
  g_assert_cmpuint (strspn (id_chars, "abcdefghijklmnopqrstuvwxyz234567"), ==, 20);
  g_assert_cmpuint (fixture->changed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->changed, 0), ==, id);

  /* What is read back is what was saved, in the JSON shape. */
  read = rg_notify_setting_store_get (fixture->settings, id, &error);
  g_assert_no_error (error);
  json = setting_json (setting);
  read_json = setting_json (read);
  g_assert_cmpstr (read_json, ==, json);

  /* An edit keeps the ID; an invalid edit changes nothing and names the field. */
  rg_notify_setting_set_sms_wait_seconds (read, 120);
  g_assert_true (rg_notify_setting_store_update (fixture->settings, read, &error));
  g_assert_no_error (error);
  g_clear_object (&read);
  read = rg_notify_setting_store_get (fixture->settings, id, &error);
  g_assert_cmpuint (rg_notify_setting_get_sms_wait_seconds (read), ==, 120);
  rg_notify_setting_set_sms_text (read, "Order {{order id}}");
  g_assert_false (rg_notify_setting_store_update (fixture->settings, read, &error));
  g_assert_error (error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_INVALID);
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, "sms_text");
  g_clear_error (&error);
  g_clear_object (&read);
  read = rg_notify_setting_store_get (fixture->settings, id, &error);
  g_assert_cmpstr (rg_notify_setting_get_sms_text (read), ==, "Order {{order}} shipped");

  /* Unknown IDs */
  missing = rg_notify_setting_store_get (fixture->settings, "ns_nope", &error);
  g_assert_null (missing);
  g_assert_error (error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_NOT_FOUND);
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, "setting_id");
  g_clear_error (&error);
  rg_notify_setting_set_id (read, "ns_nope");
  g_assert_false (rg_notify_setting_store_update (fixture->settings, read, &error));
  g_assert_error (error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rg_notify_setting_store_set_enabled (fixture->settings, "ns_nope", FALSE,
                                                       &error));
  g_assert_error (error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Duplicates get a new ID and a name that still fits. */
  copy = rg_notify_setting_store_duplicate (fixture->settings, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_notify_setting_get_name (copy), ==, "Shipped (copy)");
  g_assert_cmpstr (rg_notify_setting_get_id (copy), !=, id);
  g_assert_cmpstr (rg_notify_setting_get_sms_text (copy), ==, "Order {{order}} shipped");

  long_name = g_strnfill (50, 'x');
  long_id = create (fixture, long_name, 7);
  long_copy = rg_notify_setting_store_duplicate (fixture->settings, long_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (rg_notify_setting_get_name (long_copy), -1), ==, 50);
  g_assert_true (g_str_has_suffix (rg_notify_setting_get_name (long_copy), "x (copy)"));

  /* Disable */
  g_assert_true (rg_notify_setting_store_set_enabled (fixture->settings, id, FALSE, &error));
  g_assert_no_error (error);
  disabled = rg_notify_setting_store_get (fixture->settings, id, &error);
  g_assert_false (rg_notify_setting_get_enabled (disabled));

  list = rg_notify_setting_store_list (fixture->settings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_assert_cmpuint (fixture->changed->len, ==, 6);
}

static char *
trigger (Fixture     *fixture,
         const char  *setting_id,
         const char  *phone,
         const char  *order,
         const char  *key,
         GError     **error)
{
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  char *id = NULL;

  g_hash_table_insert (variables, (gpointer) "name", (gpointer) "Amy");
  if (order != NULL)
    g_hash_table_insert (variables, (gpointer) "order", (gpointer) order);
  if (!rg_notify_trigger (fixture->store, setting_id, phone, variables, key, &id, error))
    return NULL;
  return id;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = rg_store_prepare (fixture->store, sql, NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
assert_refused (Fixture       *fixture,
                const char    *setting_id,
                const char    *phone,
                const char    *order,
                const char    *key,
                RgNotifyError  code,
                const char    *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = trigger (fixture, setting_id, phone, order, key, &error);

  g_assert_null (id);
  g_assert_error (error, RG_NOTIFY_ERROR, code);
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, field);
  g_test_message ("%s: %s", field, error->message);
}

static void
test_trigger (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *setting_id = create (fixture, "Shipped", 7);
  g_autofree char *sms_only = create (fixture, "SMS only", RG_NOTIFY_STEP_SMS);
  g_autofree char *disabled = create (fixture, "Old", 7);
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *long_key = g_strnfill (RG_NOTIFY_IDEMPOTENCY_KEY_MAX + 1, 'k');
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rg_notify_setting_store_set_enabled (fixture->settings, disabled, FALSE, NULL));

  assert_refused (fixture, "ns_unknown", "0912345678", "A1", NULL,
                  RG_NOTIFY_ERROR_NOT_FOUND, "setting_id");
  assert_refused (fixture, "", "0912345678", "A1", NULL, RG_NOTIFY_ERROR_INVALID, "setting_id");
  assert_refused (fixture, disabled, "0912345678", "A1", NULL,
                  RG_NOTIFY_ERROR_DISABLED, "setting_id");
  assert_refused (fixture, setting_id, "12345", "A1", NULL, RG_NOTIFY_ERROR_INVALID, "phone");
  assert_refused (fixture, setting_id, "", "A1", NULL, RG_NOTIFY_ERROR_INVALID, "phone");
  assert_refused (fixture, setting_id, "0912345678", NULL, NULL,
                  RG_NOTIFY_ERROR_INVALID, "variables.order");
  assert_refused (fixture, setting_id, "0912345678", "A1", long_key,
                  RG_NOTIFY_ERROR_INVALID, "idempotency_key");
  g_assert_cmpint (count (fixture, "SELECT count (*) FROM notify_triggers"), ==, 0);

  /* Only the texts of the steps that are on need their variables: {{name}} is LINE's. */
  id = trigger (fixture, sms_only, "0912-345-678", "A1", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);

  id = trigger (fixture, setting_id, "0912-345-678", "A1", "key-1", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "tr_"));

  /* Committed: the trigger with its phone in E.164 and its first step, pending now. */
  stmt = rg_store_prepare (fixture->store,
                           "SELECT t.phone, t.state, t.variables, s.kind, s.state, s.due_at <= ?2, "
                           "  s.retry_key IS NOT NULL "
                           "FROM notify_triggers t JOIN notify_steps s ON s.trigger_id = t.id "
                           "WHERE t.id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "+886912345678");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "sending");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==,
                   "{\"name\":\"Amy\",\"order\":\"A1\"}");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, "line_push");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, "pending");
  g_assert_cmpint (sqlite3_column_int (stmt, 5), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 6), ==, 1);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  /* The same key again: the same trigger, nothing new, even after the setting changed. */
  g_assert_true (rg_notify_setting_store_set_enabled (fixture->settings, setting_id, FALSE, NULL));
  again = trigger (fixture, setting_id, "+886 912 345 678", "A1", "key-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, id);
  g_assert_cmpint (count (fixture, "SELECT count (*) FROM notify_triggers"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count (*) FROM notify_steps"), ==, 2);

  /* … but not for another notification. */
  assert_refused (fixture, setting_id, "0928111520", "A1", "key-1",
                  RG_NOTIFY_ERROR_INVALID, "idempotency_key");
}

/* Writes a finished trigger @hours_ago hours before @now with the given steps. */
static char *
record (Fixture            *fixture,
        const char         *setting_id,
        const char         *phone,
        gint64              created_ms,
        RgNotifyStepRecord *steps,
        guint               n_steps)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  for (guint i = 0; i < n_steps; i++)
    steps[i].at_ms = created_ms + (i + 1) * 1000;
  g_assert_true (_rg_notify_record_trigger (fixture->store, setting_id, phone,
                                            "{\"name\":\"Amy\",\"order\":\"A1\"}", created_ms,
                                            steps, n_steps, &id, &error));
  g_assert_no_error (error);
  return id;
}

#define STEP(kind, state) { RG_NOTIFY_STEP_##kind, RG_NOTIFY_STEP_STATE_##state, 0 }

static gint64
taipei_ms (int year,
           int month,
           int day,
           int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Taipei");
  g_autoptr(GDateTime) time = g_date_time_new (tz, year, month, day, hour, 0, 0);

  return g_date_time_to_unix (time) * 1000;
}

/* Eight triggers in Taipei time on 2024-03-01 … 03-03, one on another setting. */
static void
record_history (Fixture    *fixture,
                const char *setting_id,
                const char *other_id)
{
  RgNotifyStepRecord push_ok[] = { STEP (LINE_PUSH, DELIVERED) };
  RgNotifyStepRecord pnp_ok[] = { STEP (LINE_PUSH, SKIPPED), STEP (LINE_PNP, DELIVERED) };
  RgNotifyStepRecord pnp_ok2[] = { STEP (LINE_PUSH, SKIPPED), STEP (LINE_PNP, DELIVERED) };
  RgNotifyStepRecord push_failed[] = { STEP (LINE_PUSH, FAILED), STEP (LINE_PNP, EXPIRED),
                                       STEP (SMS, ACCEPTED) };
  RgNotifyStepRecord sms_after_422[] = { STEP (LINE_PUSH, SKIPPED), STEP (LINE_PNP, FAILED),
                                         STEP (SMS, ACCEPTED) };
  RgNotifyStepRecord all_failed[] = { STEP (LINE_PUSH, SKIPPED), STEP (LINE_PNP, FAILED),
                                      STEP (SMS, FAILED) };
  RgNotifyStepRecord waiting[] = { STEP (LINE_PUSH, SKIPPED), STEP (LINE_PNP, ACCEPTED) };
  RgNotifyStepRecord other[] = { STEP (LINE_PUSH, DELIVERED) };
  g_autofree char *a = record (fixture, setting_id, "+886912345678", taipei_ms (2024, 3, 1, 9),
                               push_ok, G_N_ELEMENTS (push_ok));
  g_autofree char *b = record (fixture, setting_id, "+886928111520", taipei_ms (2024, 3, 1, 23),
                               pnp_ok, G_N_ELEMENTS (pnp_ok));
  g_autofree char *c = record (fixture, setting_id, "+886935246810", taipei_ms (2024, 3, 2, 0),
                               pnp_ok2, G_N_ELEMENTS (pnp_ok2));
  g_autofree char *d = record (fixture, setting_id, "+886910777321", taipei_ms (2024, 3, 2, 12),
                               push_failed, G_N_ELEMENTS (push_failed));
  g_autofree char *e = record (fixture, setting_id, "+85291234567", taipei_ms (2024, 3, 3, 8),
                               sms_after_422, G_N_ELEMENTS (sms_after_422));
  g_autofree char *f = record (fixture, setting_id, "+85262345678", taipei_ms (2024, 3, 3, 9),
                               all_failed, G_N_ELEMENTS (all_failed));
  g_autofree char *g = record (fixture, setting_id, "+886966302118", taipei_ms (2024, 3, 3, 10),
                               waiting, G_N_ELEMENTS (waiting));
  g_autofree char *h = record (fixture, other_id, "+886912345678", taipei_ms (2024, 3, 3, 11),
                               other, G_N_ELEMENTS (other));
}

static void
test_stats (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *setting_id = create (fixture, "Shipped", 7);
  g_autofree char *other_id = create (fixture, "Other", 7);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Taipei");
  g_autoptr(GDateTime) day2 = g_date_time_new (tz, 2024, 3, 2, 0, 0, 0);
  g_autoptr(GDateTime) day3 = g_date_time_new (tz, 2024, 3, 3, 0, 0, 0);
  g_autoptr(GDateTime) last = g_date_time_new (tz, 2024, 3, 3, 18, 0, 0);
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  RgNotifyStats stats;
  RgNotifyDayStats *day;

  record_history (fixture, setting_id, other_id);

  /* A follow 2 days after the SMS reached +886910777321, and one 8 days after. */
  g_assert_true (_rg_notify_record_follow (fixture->store, "Ufollower1", "+886910777321",
                                           taipei_ms (2024, 3, 4, 12), &error));
  g_assert_true (_rg_notify_record_follow (fixture->store, "Ufollower2", "+886928111520",
                                           taipei_ms (2024, 3, 9, 23) + 1000, &error));
  g_assert_true (_rg_notify_record_follow (fixture->store, "Ufollower3", "+886935246810",
                                           taipei_ms (2024, 3, 3, 0), &error));
  /* Reached by LINE push: that is no friend gained. */
  g_assert_true (_rg_notify_record_follow (fixture->store, "Ufollower4", "+886912345678",
                                           taipei_ms (2024, 3, 1, 10), &error));
  g_assert_no_error (error);

  g_assert_true (rg_notify_stats_query (fixture->store, setting_id, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.triggers, ==, 7);
  g_assert_cmpuint (stats.completed, ==, 5);
  g_assert_cmpuint (stats.failed, ==, 1);
  g_assert_cmpuint (stats.line_push_attempted, ==, 2);
  g_assert_cmpuint (stats.line_push_delivered, ==, 1);
  g_assert_cmpfloat_with_epsilon (stats.line_push_rate, 0.5, 1e-9);
  g_assert_cmpuint (stats.line_pnp_attempted, ==, 6);
  g_assert_cmpuint (stats.line_pnp_delivered, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats.line_pnp_rate, 2.0 / 6.0, 1e-9);
  g_assert_cmpuint (stats.sms_attempted, ==, 3);
  g_assert_cmpuint (stats.sms_delivered, ==, 2);
  g_assert_cmpfloat_with_epsilon (stats.sms_rate, 2.0 / 3.0, 1e-9);
  g_assert_cmpuint (stats.friends_via_pnp, ==, 1);
  g_assert_cmpuint (stats.friends_via_sms, ==, 1);

  /* The range is of trigger times, [from, to). */
  g_assert_true (rg_notify_stats_query (fixture->store, setting_id, day2, day3, &stats, &error));
  g_assert_cmpuint (stats.triggers, ==, 2);
  g_assert_cmpuint (stats.line_pnp_delivered, ==, 1);
  g_assert_true (rg_notify_stats_query (fixture->store, NULL, day3, NULL, &stats, &error));
  g_assert_cmpuint (stats.triggers, ==, 4);
  g_assert_cmpuint (stats.line_push_delivered, ==, 1);

  /* Per day in the shop's time zone: 23:00 on the 1st is the 1st, 00:00 the 2nd. */
  g_assert_true (rg_store_exec (fixture->store, "UPDATE shop_profile SET timezone = 'Asia/Taipei'",
                                &error));
  days = rg_notify_stats_query_daily (fixture->store, setting_id, last, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 4);
  day = &g_array_index (days, RgNotifyDayStats, 0);
  g_assert_cmpint (g_date_get_day (&day->day), ==, 29);
  g_assert_cmpuint (day->triggers, ==, 0);
  day = &g_array_index (days, RgNotifyDayStats, 1);
  g_assert_cmpint (g_date_get_day (&day->day), ==, 1);
  g_assert_cmpuint (day->triggers, ==, 2);
  g_assert_cmpuint (day->line_push, ==, 1);
  g_assert_cmpuint (day->line_pnp, ==, 1);
  day = &g_array_index (days, RgNotifyDayStats, 2);
  g_assert_cmpuint (day->triggers, ==, 2);
  g_assert_cmpuint (day->line_pnp, ==, 1);
  g_assert_cmpuint (day->sms, ==, 1);
  day = &g_array_index (days, RgNotifyDayStats, 3);
  g_assert_cmpint (g_date_get_month (&day->day), ==, 3);
  g_assert_cmpint (g_date_get_day (&day->day), ==, 3);
  g_assert_cmpuint (day->triggers, ==, 3);
  g_assert_cmpuint (day->line_push + day->line_pnp, ==, 0);
  g_assert_cmpuint (day->sms, ==, 1);
}

static GPtrArray *
read_csv (const char *path)
{
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = NULL;

  reader = rg_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  while (rg_csv_reader_next (reader, &fields, NULL, &error))
    g_ptr_array_add (rows, fields);
  g_assert_no_error (error);
  g_assert_true (rg_csv_reader_get_has_bom (reader));
  return g_steal_pointer (&rows);
}

static const char *
cell (GPtrArray *rows,
      guint      row,
      guint      column)
{
  return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, row), column);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *setting_id = create (fixture, "Shipped", 7);
  g_autofree char *other_id = create (fixture, "Other", 7);
  g_autofree char *path = g_build_filename (fixture->dir, "notifications.csv", NULL);
  g_autofree char *header = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Taipei");
  g_autoptr(GDateTime) from = g_date_time_new (tz, 2024, 3, 2, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new (tz, 2024, 3, 4, 0, 0, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_rows = 0;
  gsize length;

  g_assert_true (rg_store_exec (fixture->store, "UPDATE shop_profile SET timezone = 'Asia/Taipei'",
                                &error));
  record_history (fixture, setting_id, other_id);

  g_assert_true (rg_notify_export_to_file (fixture->store, file, from, to, &n_rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 6);

  /* The header row, exactly, after the byte order mark Excel needs. */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  header = g_strndup (contents, strcspn (contents, "\r\n"));
  g_assert_cmpstr (header, ==,
                   "\xEF\xBB\xBF" "Trigger ID,Trigger time,Name,Scenario,Phone,Send status,"
                   "Delivered time,Delivered via,LINE push status,LINE push time,"
                   "Notification message status,Notification message time,SMS status,SMS time,"
                   "Last updated");

  rows = read_csv (path);
  g_assert_cmpuint (rows->len, ==, 7);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, i))->len, ==, 15);

  /* 2024-03-02 00:00 Taipei: skipped push, delivered notification message. */
  g_assert_true (g_str_has_prefix (cell (rows, 1, 0), "tr_"));
  g_assert_cmpstr (cell (rows, 1, 1), ==, "2024-03-02 00:00:00");
  g_assert_cmpstr (cell (rows, 1, 2), ==, "Shipped");
  g_assert_cmpstr (cell (rows, 1, 3), ==, "Shipped");
  g_assert_cmpstr (rg_csv_unguard (cell (rows, 1, 4)), ==, "+886 935 246 810");
  g_assert_cmpstr (cell (rows, 1, 5), ==, "sent");
  g_assert_cmpstr (cell (rows, 1, 6), ==, "2024-03-02 00:00:02");
  g_assert_cmpstr (cell (rows, 1, 7), ==, "LINE notification message");
  g_assert_cmpstr (cell (rows, 1, 8), ==, "skipped");
  g_assert_cmpstr (cell (rows, 1, 9), ==, "2024-03-02 00:00:01");
  g_assert_cmpstr (cell (rows, 1, 10), ==, "delivered");
  g_assert_cmpstr (cell (rows, 1, 11), ==, "2024-03-02 00:00:02");
  g_assert_cmpstr (cell (rows, 1, 12), ==, "");
  g_assert_cmpstr (cell (rows, 1, 13), ==, "");
  g_assert_cmpstr (cell (rows, 1, 14), ==, "2024-03-02 00:00:02");

  /* Push failed, the notification message expired, the SMS went out. */
  g_assert_cmpstr (cell (rows, 2, 7), ==, "SMS");
  g_assert_cmpstr (cell (rows, 2, 8), ==, "failed");
  g_assert_cmpstr (cell (rows, 2, 10), ==, "expired");
  g_assert_cmpstr (cell (rows, 2, 12), ==, "sent");
  g_assert_cmpstr (cell (rows, 2, 13), ==, "2024-03-02 12:00:03");

  /* Everything failed; and one still waiting for its delivery. */
  g_assert_cmpstr (cell (rows, 4, 5), ==, "failed");
  g_assert_cmpstr (cell (rows, 4, 6), ==, "");
  g_assert_cmpstr (cell (rows, 4, 7), ==, "");
  g_assert_cmpstr (cell (rows, 5, 5), ==, "sending");
  g_assert_cmpstr (cell (rows, 5, 10), ==, "accepted");

  g_assert_cmpstr (cell (rows, 6, 2), ==, "Other");
  g_assert_cmpstr (cell (rows, 6, 7), ==, "LINE push");

  /* The same from a worker thread. */
  g_assert_no_errno (g_unlink (path));
  rg_notify_export_async (fixture->store, file, NULL, NULL, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_notify_export_finish (rg_fake_wait (&result), &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 8);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RgNotifyStats stats;

  g_assert_true (rg_demo_populate (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (count (fixture, "SELECT count (*) FROM notify_settings"), >=, 3);
  g_assert_cmpint (count (fixture, "SELECT count (*) FROM notify_triggers"), >=, 150);
  /* Every completed trigger has the step that reached the customer. */
  g_assert_cmpint (count (fixture,
                          "SELECT count (*) FROM notify_triggers t WHERE t.state = 'completed' "
                          "AND NOT EXISTS (SELECT 1 FROM notify_steps s WHERE s.trigger_id = t.id "
                          "  AND s.kind = t.delivered_via AND s.delivered_at IS NOT NULL)"),
                   ==, 0);
  g_assert_true (rg_notify_stats_query (fixture->store, NULL, NULL, NULL, &stats, &error));
  g_assert_cmpuint (stats.line_push_delivered, >, 0);
  g_assert_cmpuint (stats.line_pnp_delivered, >, 0);
  g_assert_cmpuint (stats.sms_delivered, >, 0);
  g_assert_cmpuint (stats.failed, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/regulars/notify/store/" name, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("settings", test_settings);
  ADD ("trigger", test_trigger);
  ADD ("stats", test_stats);
  ADD ("export", test_export);
  ADD ("demo", test_demo);

  return g_test_run ();
}
