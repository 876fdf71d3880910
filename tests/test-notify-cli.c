/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-fake-wait.h"
#include "rg-notify-api.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* regulars-cli notify … and api-token new, as a shop's script runs them. */

#define SETTING_JSON \
  "{\"name\":\"Shipped\",\"scenario\":\"shipped\",\"steps\":[\"line_pnp\",\"sms\"]," \
  "\"line_push_text\":\"Order {{order}} is on its way\"," \
  "\"pnp_footer_url\":\"https://shop.example/orders\",\"sms_text\":\"Order {{order}} shipped\"," \
  "\"sms_wait_seconds\":300}"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "regulars.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Runs regulars-cli --database PATH ARGS… with @input on stdin; returns the exit status. */

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", part);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *disabled = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) after_edit = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) after_disable = NULL;
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *object;
  JsonArray *steps;

  g_assert_cmpint (rg_test_run_cli (fixture->path, SETTING_JSON, &out, NULL,
                            "notify", "settings", "create", NULL), ==, 0);
  created = parse (out);
  object = json_node_get_object (created);
  id = g_strdup (json_object_get_string_member (object, "id"));
  g_assert_true (g_str_has_prefix (id, "ns_"));
  g_assert_cmpstr (json_object_get_string_member (object, "scenario"), ==, "shipped");
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpint (json_object_get_int_member (object, "sms_wait_seconds"), ==, 300);
  steps = json_object_get_array_member (object, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (steps, 0), ==, "line_pnp");

  /* Edit changes the members given and keeps the ID. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, "{\"name\":\"Order shipped\",\"sms_wait_seconds\":60}",
                            &edited, NULL, "notify", "settings", "edit", id, NULL), ==, 0);
  after_edit = parse (edited);
  object = json_node_get_object (after_edit);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Order shipped");
  g_assert_cmpint (json_object_get_int_member (object, "sms_wait_seconds"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (object, "sms_text"), ==,
                   "Order {{order}} shipped");

  /* Errors name the field. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, "{\"sms_text\":\"Order {{order id}}\"}", NULL, &err,
                            "notify", "settings", "edit", id, NULL), !=, 0);
  assert_contains (err, "regulars-cli: sms_text: ");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, "{\"name\":\"\",\"scenario\":\"shipped\",\"steps\":[\"sms\"],"
                                     "\"sms_text\":\"x\"}", NULL, &err,
                            "notify", "settings", "create", NULL), !=, 0);
  assert_contains (err, "regulars-cli: name: ");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, "{\"scenario\":\"party\"}", NULL, &err,
                            "notify", "settings", "edit", id, NULL), !=, 0);
  assert_contains (err, "regulars-cli: scenario: ");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, "not json", NULL, &err,
                            "notify", "settings", "create", NULL), !=, 0);
  assert_contains (err, "JSON");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "notify", "settings", "disable",
                            "ns_unknown", NULL), !=, 0);
  assert_contains (err, "regulars-cli: setting_id: ");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &copied, NULL, "notify", "settings", "duplicate", id,
                            NULL), ==, 0);
  copy = parse (copied);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (copy), "name"), ==,
                   "Order shipped (copy)");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &disabled, NULL, "notify", "settings", "disable", id,
                            NULL), ==, 0);
  after_disable = parse (disabled);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (after_disable), "enabled"));

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &listed, NULL, "notify", "settings", "list", NULL),
                   ==, 0);
  list = parse (listed);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (list), 0), "id"), ==, id);
}

static void
test_send_and_export (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *err = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *today = NULL;
  g_autoptr(GTimeZone) taipei = g_time_zone_new_identifier ("Asia/Taipei");
  g_autoptr(GDateTime) now = g_date_time_new_now (taipei);
  g_autoptr(JsonNode) created = NULL;
  g_auto(GStrv) lines = NULL;
  const char *id;

  g_assert_cmpint (rg_test_run_cli (fixture->path, SETTING_JSON, &out, NULL,
                            "notify", "settings", "create", NULL), ==, 0);
  created = parse (out);
  id = json_object_get_string_member (json_node_get_object (created), "id");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &first, NULL, "notify", "--setting", id,
                            "--phone", "0912-345-678", "--var", "order=A-1024",
                            "--idempotency-key", "A-1024", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (first, "tr_"));
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &again, NULL, "notify", "--setting", id,
                            "--phone", "0912345678", "--var", "order=A-1024",
                            "--idempotency-key", "A-1024", NULL), ==, 0);
  g_assert_cmpstr (again, ==, first);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "notify", "--setting", id,
                            "--phone", "0912345678", NULL), !=, 0);
  assert_contains (err, "regulars-cli: variables.order: ");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "notify", "--setting", id,
                            "--phone", "12345", "--var", "order=1", NULL), !=, 0);
  assert_contains (err, "regulars-cli: phone: ");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "notify", "--setting", id,
                            "--phone", "0912345678", "--var", "order", NULL), !=, 0);
  assert_contains (err, "NAME=VALUE");
  g_clear_pointer (&err, g_free);

  /* The export of today (the shop's day) holds the one trigger, under the columns. */
  today = g_date_time_format (now, "%Y-%m-%d");
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &exported, NULL, "notify", "export", "--from", today,
                            "--to", today, csv_path, NULL), ==, 0);
  assert_contains (exported, "Exported 1 notification");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "\xEF\xBB\xBF" "Trigger ID,Trigger time,Name,Scenario,Phone,Send status,"
                   "Delivered time,Delivered via,LINE push status,LINE push time,"
                   "Notification message status,Notification message time,SMS status,SMS time,"
                   "Last updated");
  g_assert_true (g_str_has_prefix (lines[1], g_strstrip (first)));
  assert_contains (lines[1], ",Shipped,Shipped,'+886 912 345 678,sending,,,,,pending,");
  g_assert_cmpstr (lines[2], ==, "");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "notify", "export", "--from", "2024-02-30",
                            "--to", today, csv_path, NULL), !=, 0);
  assert_contains (err, "2024-02-30");
}

static void
test_api_token (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stored = NULL;

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &first, &err, "api-token", "new", NULL), ==, 0);
  g_strstrip (first);
  g_assert_cmpuint (strlen (first), ==, 43);
  g_assert_cmpuint (strspn (first, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-_"), ==, 43);
  assert_contains (err, "only time");

  /* Kept in the keyring, never in the database. */
  rg_secrets_lookup_async (secrets, RG_NOTIFY_API_TOKEN_CHANNEL, RG_NOTIFY_API_TOKEN_FIELD, NULL,
                           rg_fake_wait_cb, &result);
  stored = rg_secrets_lookup_finish (secrets, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, first);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &second, NULL, "api-token", "new", NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (second), !=, first);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/regulars/notify/cli/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("settings", test_settings);
  ADD ("send-and-export", test_send_and_export);

  keyring = rg_test_keyring_start (&error);
  if (keyring != NULL)
    ADD ("api-token", test_api_token);
  else
    g_test_message ("Skipping the API token test: %s", error->message);

#undef ADD

  return g_test_run ();
}
