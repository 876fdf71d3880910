/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-notify-setting.h"
#include "rg-sms-length.h"
#include "rg-template.h"

static void
test_template_parse (void)
{
  static const struct {
    const char *text;
    const char *variables;   /* joined by ',', or NULL when the text is an error */
    const char *message_has; /* part of the error message */
  } cases[] = {
    { "Hello", "", NULL },
    { "Order {{order_id}} shipped by {{carrier}}", "order_id,carrier", NULL },
    { "{{a}}{{b}}{{a}}", "a,b", NULL },
    { "單號 {{order_id}} 已出貨", "order_id", NULL },
    { "price {5} and {x}", "", NULL },
    { "Order {{order id}}", NULL, "character 7" },
    { "Order {{order-id}}", NULL, "letters, digits and underscores" },
    { "Hi {{}}", NULL, "character 4" },
    { "單號 {{單號}}", NULL, "character 4" },
    { "Hi {{name", NULL, "not closed" },
    { "Hi name}}", NULL, "character 8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) variables = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = rg_template_parse (cases[i].text, &variables, &error);

      g_test_message ("template “%s”", cases[i].text);
      if (cases[i].variables != NULL)
        {
          g_autofree char *joined = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          g_ptr_array_add (variables, NULL);
          joined = g_strjoinv (",", (char **) variables->pdata);
          g_assert_cmpstr (joined, ==, cases[i].variables);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_SYNTAX);
          g_assert_nonnull (strstr (error->message, cases[i].message_has));
        }
    }
}

static void
test_template_render (void)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *missing = NULL;

  g_hash_table_insert (values, (gpointer) "order_id", (gpointer) "A{{b}}123");
  g_hash_table_insert (values, (gpointer) "name", (gpointer) "陳怡君");

  text = rg_template_render ("{{name}} 您好，訂單 {{order_id}} 已出貨。{{name}}", values, &error);
  g_assert_no_error (error);
  /* A value is inserted as is, never expanded again. */
  g_assert_cmpstr (text, ==, "陳怡君 您好，訂單 A{{b}}123 已出貨。陳怡君");

  missing = rg_template_render ("Hi {{nickname}}", values, &error);
  g_assert_null (missing);
  g_assert_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "nickname"));
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_sms_length (void)
{
  static const struct {
    const char *unit;
    guint       times;
    const char *suffix;
    guint       characters;
    guint       parts;
  } cases[] = {
    { "a", 0, "", 0, 0 },
    { "a", 1, "", 1, 1 },
    { "a", 70, "", 70, 1 },
    { "a", 71, "", 71, 2 },
    { "a", 134, "", 134, 2 },
    { "a", 135, "", 135, 3 },
    { "訂", 70, "", 70, 1 },
    { "訂", 71, "", 71, 2 },
    { "訂", 134, "", 134, 2 },
    { "訂", 135, "", 135, 3 },
    /* GSM extension characters count two. */
    { "€", 35, "", 70, 1 },
    { "€", 35, "a", 71, 2 },
    { "{", 1, "}[]\\^~|", 16, 1 },
    /* An emoji is two UTF-16 units. */
    { "😀", 35, "", 70, 1 },
    { "😀", 35, "好", 71, 2 },
    /* A two-unit character never straddles parts: 66 + 2 does not fit into 67. */
    { "a", 66, "€a", 69, 1 },
    { "a", 66, "€aa", 70, 1 },
    { "a", 66, "€aaa", 71, 2 },
    { "a", 66, "😀aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 136, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = repeat (cases[i].unit, cases[i].times);
      g_autofree char *text = g_strconcat (body, cases[i].suffix, NULL);
      RgSmsLength length = rg_sms_length (text);

      g_test_message ("%u × “%s” + “%s”", cases[i].times, cases[i].unit, cases[i].suffix);
      g_assert_cmpuint (length.characters, ==, cases[i].characters);
      g_assert_cmpuint (length.parts, ==, cases[i].parts);
    }
}

static RgNotifySetting *
valid_setting (void)
{
  RgNotifySetting *setting = rg_notify_setting_new ();

  rg_notify_setting_set_name (setting, "出貨通知");
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_line_push_text (setting, "您的訂單 {{order_id}} 已出貨");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example.tw/orders");
  rg_notify_setting_set_sms_text (setting, "訂單{{order_id}}已出貨，查詢 {{tracking_url}}");
  return setting;
}

static void
test_setting_validation (void)
{
  static const struct {
    const char *property;
    const char *value;
    const char *field;
  } invalid[] = {
    { "name", "", "name" },
    { "name", "   ", "name" },
    { "name", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十X", "name" },
    { "scenario", "birthday", "scenario" },
    { "line-push-text", "", "line_push_text" },
    { "line-push-text", "Hi {{first name}}", "line_push_text" },
    { "pnp-footer-url", "", "pnp_footer_url" },
    { "pnp-footer-url", "ftp://shop.example.tw", "pnp_footer_url" },
    { "pnp-footer-url", "shop.example.tw", "pnp_footer_url" },
    { "sms-text", "", "sms_text" },
    { "sms-text", "{{x", "sms_text" },
  };
  g_autoptr(RgNotifySetting) ok = valid_setting ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variables = NULL;

  g_assert_true (rg_notify_setting_validate (ok, &error));
  g_assert_no_error (error);

  /* Exactly 50 characters is allowed. */
  rg_notify_setting_set_name (ok, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
  g_assert_true (rg_notify_setting_validate (ok, &error));

  variables = rg_notify_setting_dup_variables (ok);
  g_assert_cmpuint (variables->len, ==, 2);
  g_assert_cmpstr (variables->pdata[0], ==, "order_id");
  g_assert_cmpstr (variables->pdata[1], ==, "tracking_url");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(RgNotifySetting) setting = valid_setting ();

      g_object_set (setting, invalid[i].property, invalid[i].value, NULL);
      g_assert_false (rg_notify_setting_validate (setting, &error));
      g_assert_error (error, RG_NOTIFY_ERROR, RG_NOTIFY_ERROR_INVALID);
      g_test_message ("%s = “%s”: %s", invalid[i].property, invalid[i].value, error->message);
      g_assert_cmpstr (rg_notify_error_get_field (error), ==, invalid[i].field);
      g_clear_error (&error);
    }

  /* A footer link is only needed when notification messages are on; some step is needed. */
  {
    g_autoptr(RgNotifySetting) setting = valid_setting ();

    rg_notify_setting_set_pnp_footer_url (setting, "");
    rg_notify_setting_set_steps (setting, RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_SMS);
    g_assert_true (rg_notify_setting_validate (setting, &error));
    g_assert_no_error (error);

    rg_notify_setting_set_steps (setting, RG_NOTIFY_STEP_NONE);
    g_assert_false (rg_notify_setting_validate (setting, &error));
    g_assert_cmpstr (rg_notify_error_get_field (error), ==, "steps");
    g_clear_error (&error);
  }
}

static void
test_setting_json (void)
{
  g_autoptr(RgNotifySetting) setting = valid_setting ();
  g_autoptr(RgNotifySetting) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  rg_notify_setting_set_id (setting, "ns_0123");
  rg_notify_setting_set_steps (setting, RG_NOTIFY_STEP_LINE_PNP | RG_NOTIFY_STEP_SMS);
  rg_notify_setting_set_sms_wait_seconds (setting, 900);
  node = rg_notify_setting_to_json (setting);
  object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "ns_0123");
  g_assert_cmpstr (json_object_get_string_member (object, "scenario"), ==, "shipped");
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpint (json_object_get_int_member (object, "sms_wait_seconds"), ==, 900);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "steps")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "steps"), 0),
                   ==, "line_pnp");

  copy = rg_notify_setting_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (rg_notify_setting_get_id (copy));
  g_assert_cmpstr (rg_notify_setting_get_name (copy), ==, "出貨通知");
  g_assert_cmpuint (rg_notify_setting_get_steps (copy), ==, RG_NOTIFY_STEP_LINE_PNP | RG_NOTIFY_STEP_SMS);
  g_assert_cmpuint (rg_notify_setting_get_sms_wait_seconds (copy), ==, 900);

  bad = json_from_string ("{\"sms_wait_seconds\": 90000}", NULL);
  g_assert_false (rg_notify_setting_update_from_json (copy, bad, &error));
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, "sms_wait_seconds");
  g_clear_error (&error);
  /* A refused update leaves the setting as it was. */
  g_assert_cmpuint (rg_notify_setting_get_sms_wait_seconds (copy), ==, 900);

  g_clear_pointer (&bad, json_node_unref);
  bad = json_from_string ("{\"steps\": [\"line_push\", \"fax\"]}", NULL);
  g_assert_false (rg_notify_setting_update_from_json (copy, bad, &error));
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, "steps");
  g_assert_nonnull (strstr (error->message, "fax"));
  g_clear_error (&error);

  g_clear_pointer (&bad, json_node_unref);
  bad = json_from_string ("{\"name\": 5}", NULL);
  g_assert_false (rg_notify_setting_update_from_json (copy, bad, &error));
  g_assert_cmpstr (rg_notify_error_get_field (error), ==, "name");
  g_clear_error (&error);

  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"pnp_footer_url\""));
}

static void
test_scenarios (void)
{
  const char * const *keys = rg_notify_scenario_list ();

  g_assert_cmpuint (g_strv_length ((char **) keys), ==, 17);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_nonnull (rg_notify_scenario_get_label (keys[i]));
  g_assert_true (g_strv_contains (keys, "addon_expiring"));
  g_assert_null (rg_notify_scenario_get_label ("nope"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/notify/template/parse", test_template_parse);
  g_test_add_func ("/regulars/notify/template/render", test_template_render);
  g_test_add_func ("/regulars/notify/sms-length", test_sms_length);
  g_test_add_func ("/regulars/notify/setting/validation", test_setting_validation);
  g_test_add_func ("/regulars/notify/setting/json", test_setting_json);
  g_test_add_func ("/regulars/notify/scenarios", test_scenarios);

  return g_test_run ();
}
