/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-demo"

#include "config.h"

#include "rg-notify-demo.h"
#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"

/* The tea shop's notifications for the demo: four settings and a month of triggers to the
 * demo members, gone down the cascade the way real ones go (friends by LINE push, other
 * Taiwanese numbers by notification message, visitors from abroad by SMS), so that the
 * overview, its chart and the export have something to show. Nothing is sent. */

#define N_TRIGGERS       200
#define DAY_MS           ((gint64) 24 * 60 * 60 * 1000)
#define DEMO_WAIT_SECONDS 600

typedef struct
{
  const char    *name;
  const char    *scenario;
  RgNotifySteps  steps;
  gboolean       enabled;
  const char    *line_push_text;
  const char    *sms_text;
  guint          weight;
} DemoSetting;

static const DemoSetting demo_settings[] = {
  { "購買完成通知", "purchase_complete", 7, TRUE,
    "{{name}} 您好，感謝您在晨葉茶行購買 {{item}}，訂單 {{order_id}} 已成立。",
    "晨葉茶行：訂單 {{order_id}} 已成立，感謝您的購買！", 5 },
  { "出貨通知", "shipped", 7, TRUE,
    "{{name}} 您好，訂單 {{order_id}} 已交由 {{carrier}} 寄出，請留意收件。",
    "晨葉茶行：訂單 {{order_id}} 已由 {{carrier}} 寄出。", 4 },
  { "茶會預約提醒", "booking_reminder",
    RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_SMS, TRUE,
    "{{name}} 您好，提醒您 {{time}} 的品茶會，我們備好熱茶等您。",
    "晨葉茶行提醒：{{time}} 品茶會，期待您的光臨。", 2 },
  { "帳單到期通知", "bill_due",
    RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP, FALSE,
    "{{name}} 您好，您的茶葉訂閱費用將於 {{date}} 到期。", "", 1 },
};

static const char * const demo_items[] = { "凍頂烏龍 150g", "東方美人 75g", "蜜香紅茶 茶包", };
static const char * const demo_carriers[] = { "黑貓宅急便", "新竹物流", "7-ELEVEN 交貨便", };

typedef struct
{
  char     *phone;
  char     *name;
  char     *line_user_id;
  gboolean  line_friend;
} DemoMember;

static void
demo_member_free (DemoMember *member)
{
  g_free (member->phone);
  g_free (member->name);
  g_free (member->line_user_id);
  g_free (member);
}

static GPtrArray *
read_members (RgStore  *store,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_member_free);

  if (!(stmt = rg_store_prepare (store,
                                 "SELECT phone, name, line_user_id, line_friend FROM members "
                                 "WHERE deleted_at IS NULL AND phone IS NOT NULL ORDER BY id",
                                 error)))
    return NULL;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      DemoMember *member = g_new0 (DemoMember, 1);

      member->phone = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      member->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      member->line_user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      member->line_friend = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (members, member);
    }

  return g_steal_pointer (&members);
}

static char *
demo_variables (const DemoSetting *setting,
                DemoMember        *member,
                guint              index,
                gint64             created_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (created_ms / 1000 + 2 * 24 * 3600);
  g_autofree char *order_id = g_strdup_printf ("ML%06u", 240000 + index * 37);
  g_autofree char *time = g_date_time_format (when, "%m/%d 15:00");
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, member->name);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_string_value (builder, order_id);
  if (g_str_equal (setting->scenario, "purchase_complete"))
    {
      json_builder_set_member_name (builder, "item");
      json_builder_add_string_value (builder, demo_items[index % G_N_ELEMENTS (demo_items)]);
    }
  else if (g_str_equal (setting->scenario, "shipped"))
    {
      json_builder_set_member_name (builder, "carrier");
      json_builder_add_string_value (builder, demo_carriers[index % G_N_ELEMENTS (demo_carriers)]);
    }
  else if (g_str_equal (setting->scenario, "booking_reminder"))
    {
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
    }
  else
    {
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
add_step (RgNotifyStepRecord *steps,
          guint              *n_steps,
          RgNotifySteps       kind,
          RgNotifyStepState   state,
          gint64              at_ms)
{
  steps[*n_steps].kind = kind;
  steps[*n_steps].state = state;
  steps[*n_steps].at_ms = at_ms;
  (*n_steps)++;
}

/* The cascade as it would have gone for @member, in @steps; returns the time of the end.
 * Every demo setting has LINE push on. */
static gint64
demo_cascade (const DemoSetting  *setting,
              DemoMember         *member,
              GRand              *rand,
              gint64              created_ms,
              gint64              now_ms,
              RgNotifyStepRecord *steps,
              guint              *n_steps)
{
  gint64 at = created_ms + g_rand_int_range (rand, 300, 2000);
  gboolean taiwan = g_str_has_prefix (member->phone, "+886");
  double roll = g_rand_double (rand);

  *n_steps = 0;

  if (member->line_user_id != NULL && member->line_friend)
    {
      /* One in twenty friends blocked the shop since; LINE refuses the push then. */
      if (roll >= 0.05)
        {
          add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PUSH, RG_NOTIFY_STEP_STATE_DELIVERED, at);
          return at;
        }
      add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PUSH, RG_NOTIFY_STEP_STATE_FAILED, at);
      roll = 0.5;
    }
  else
    add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PUSH, RG_NOTIFY_STEP_STATE_SKIPPED, at);

  if (setting->steps & RG_NOTIFY_STEP_LINE_PNP)
    {
      at += g_rand_int_range (rand, 200, 1500);
      if (!taiwan || roll >= 0.9)
        add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_STATE_FAILED, at);
      else if (at + DEMO_WAIT_SECONDS * 1000 > now_ms)
        {
          /* Sent minutes ago: still waiting for its delivery webhook. */
          add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_STATE_ACCEPTED, at);
          return at;
        }
      else if (roll < 0.72)
        {
          at += g_rand_int_range (rand, 5000, 240000);
          add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_STATE_DELIVERED, at);
          return at;
        }
      else
        {
          at += DEMO_WAIT_SECONDS * 1000;
          add_step (steps, n_steps, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_STATE_EXPIRED, at);
        }
    }

  if (setting->steps & RG_NOTIFY_STEP_SMS)
    {
      at += g_rand_int_range (rand, 300, 3000);
      add_step (steps, n_steps, RG_NOTIFY_STEP_SMS,
                g_rand_double (rand) < 0.96 ? RG_NOTIFY_STEP_STATE_ACCEPTED
                                            : RG_NOTIFY_STEP_STATE_FAILED,
                at);
    }

  return at;
}

/**
 * rg_notify_demo_populate:
 *
 * Adds the demo's notification settings and a month of triggers. The demo members must be
 * in the database already.
 */
gboolean
rg_notify_demo_populate (RgStore  *store,
                         GError  **error)
{
  g_autoptr(RgNotifySettingStore) settings = rg_notify_setting_store_new (store);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_auto(GStrv) ids = g_new0 (char *, G_N_ELEMENTS (demo_settings) + 1);
  guint total_weight = 0;
  gint64 now = _rg_notify_now_ms ();

  if (!(members = read_members (store, error)))
    return FALSE;
  if (members->len == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_settings); i++)
    {
      g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();

      rg_notify_setting_set_name (setting, demo_settings[i].name);
      rg_notify_setting_set_scenario (setting, demo_settings[i].scenario);
      rg_notify_setting_set_steps (setting, demo_settings[i].steps);
      rg_notify_setting_set_line_push_text (setting, demo_settings[i].line_push_text);
      rg_notify_setting_set_pnp_footer_url (setting, "https://morningleaf.example.tw/orders");
      rg_notify_setting_set_sms_text (setting, demo_settings[i].sms_text);
      rg_notify_setting_set_sms_wait_seconds (setting, DEMO_WAIT_SECONDS);
      rg_notify_setting_set_enabled (setting, demo_settings[i].enabled);
      if (!rg_notify_setting_store_create (settings, setting, error))
        return FALSE;
      ids[i] = g_strdup (rg_notify_setting_get_id (setting));
      total_weight += demo_settings[i].weight;
    }

  for (guint i = 0; i < N_TRIGGERS; i++)
    {
      RgNotifyStepRecord steps[3];
      guint n_steps;
      g_autofree char *variables = NULL;
      g_autofree char *trigger_id = NULL;
      DemoMember *member = g_ptr_array_index (members, g_rand_int_range (rand, 0, members->len));
      guint pick = g_rand_int_range (rand, 0, total_weight);
      guint s = 0;
      gint64 created;
      gint64 ended;

      while (pick >= demo_settings[s].weight)
        pick -= demo_settings[s++].weight;

      /* Spread over the month, the last two minutes ago; the disabled setting only before it
       * was turned off. */
      if (i + 2 >= N_TRIGGERS)
        created = now - g_rand_int_range (rand, 60 * 1000, 5 * 60 * 1000);
      else
        created = now - (gint64) ((N_TRIGGERS - i) * (30.0 * DAY_MS / N_TRIGGERS)) +
                  g_rand_int_range (rand, 0, 3 * 60 * 60 * 1000);
      if (!demo_settings[s].enabled && created > now - 12 * DAY_MS)
        s = 0;

      variables = demo_variables (&demo_settings[s], member, i, created);
      ended = demo_cascade (&demo_settings[s], member, rand, created, now, steps, &n_steps);
      if (!_rg_notify_record_trigger (store, ids[s], member->phone, variables, created, steps,
                                      n_steps, &trigger_id, error))
        return FALSE;

      /* Some who had blocked the shop follow it again after a message reached them. */
      if (member->line_user_id != NULL && !member->line_friend &&
          steps[n_steps - 1].kind != RG_NOTIFY_STEP_LINE_PUSH && g_rand_boolean (rand) &&
          !_rg_notify_record_follow (store, member->line_user_id, member->phone,
                                     MIN (ended + g_rand_int_range (rand, 600000, 2 * DAY_MS), now),
                                     error))
        return FALSE;
    }

  return TRUE;
}
