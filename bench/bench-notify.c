/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RUSAGE_THREAD, which strict C11 hides */
#define _GNU_SOURCE

#include "config.h"

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "../tests/fakes/rg-fake-line.h"
#include "../tests/fakes/rg-fake-sms.h"
#include "rg-member-store.h"
#include "rg-notify-dispatcher.h"
#include "rg-notify-setting-store.h"
#include "rg-notify-trigger.h"

/*
 * 10,000 triggers through the whole cascade to the platform fakes, which run in this process
 * on a thread of their own: 40 % reach a LINE friend by push, 30 % get a notification
 * message whose delivery webhook comes back, 20 % a notification message LINE refuses (422)
 * and then an SMS, 10 % a notification message that is never delivered and then an SMS (no
 * SMS wait). Prints triggers/s, the CPU time per trigger of the dispatcher's thread and of
 * the whole process (which includes the fakes), and, measured in the same run, the ceiling of
 * the fake: LINE pushes per second from a bare client loop with the same concurrency.
 */

#define N_TRIGGERS 10000
#define N_CEILING  5000

typedef enum
{
  PATH_PUSH,
  PATH_PNP_DELIVERED,
  PATH_PNP_REFUSED,
  PATH_PNP_EXPIRED,
} Path;

typedef struct
{
  RgNotifyDispatcher *dispatcher;
  GHashTable         *paths;
  guint               finished;
  guint               completed;
  guint               via[3];
} Bench;

static Path
path_of (guint i)
{
  switch (i % 10)
    {
    case 0: case 1: case 2: case 3:
      return PATH_PUSH;
    case 4: case 5: case 6:
      return PATH_PNP_DELIVERED;
    case 7: case 8:
      return PATH_PNP_REFUSED;
    default:
      return PATH_PNP_EXPIRED;
    }
}

static char *
phone_of (guint i)
{
  return g_strdup_printf ("+88691%07u", 2000000 + i);
}

static double
cpu_ms (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
         usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
deliver_cb (gpointer user_data)
{
  Bench *bench = g_object_get_data (G_OBJECT (user_data), "bench");
  g_autoptr(JsonObject) event = json_object_new ();
  JsonObject *delivery = json_object_new ();

  /* The webhook event as RgServer hands it over. */
  json_object_set_string_member (event, "type", "delivery");
  json_object_set_string_member (delivery, "data", g_object_get_data (G_OBJECT (user_data), "tag"));
  json_object_set_object_member (event, "delivery", delivery);
  rg_notify_dispatcher_handle_line_event (bench->dispatcher, event);
  return G_SOURCE_REMOVE;
}

static void
step_changed_cb (RgNotifyDispatcher *dispatcher,
                 const char         *trigger_id,
                 const char         *step_id,
                 const char         *kind,
                 const char         *state,
                 Bench              *bench)
{
  GObject *carrier;

  if (!g_str_equal (kind, "line_pnp") || !g_str_equal (state, "accepted") ||
      GPOINTER_TO_UINT (g_hash_table_lookup (bench->paths, trigger_id)) != PATH_PNP_DELIVERED + 1)
    return;

  /* The webhook comes a moment after the answer. */
  carrier = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_set_data (carrier, "bench", bench);
  g_object_set_data_full (carrier, "tag", g_strdup (step_id), g_free);
  g_idle_add_full (G_PRIORITY_DEFAULT, deliver_cb, carrier, g_object_unref);
}

static void
trigger_finished_cb (RgNotifyDispatcher *dispatcher,
                     const char         *trigger_id,
                     const char         *state,
                     const char         *via,
                     Bench              *bench)
{
  bench->finished++;
  if (g_str_equal (state, "completed"))
    {
      bench->completed++;
      if (g_str_equal (via, "line_push"))
        bench->via[0]++;
      else if (g_str_equal (via, "line_pnp"))
        bench->via[1]++;
      else
        bench->via[2]++;
    }
}

static char *
create_setting (RgNotifySettingStore *settings,
                guint                 wait_seconds)
{
  g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();
  g_autoptr(GError) error = NULL;

  rg_notify_setting_set_name (setting, "Shipped");
  rg_notify_setting_set_scenario (setting, "shipped");
  rg_notify_setting_set_line_push_text (setting, "{{name}} 您好，訂單 {{order}} 已出貨。");
  rg_notify_setting_set_pnp_footer_url (setting, "https://shop.example/orders");
  rg_notify_setting_set_sms_text (setting, "訂單 {{order}} 已出貨");
  rg_notify_setting_set_sms_wait_seconds (setting, wait_seconds);
  if (!rg_notify_setting_store_create (settings, setting, &error))
    g_error ("%s", error->message);
  return g_strdup (rg_notify_setting_get_id (setting));
}

static gboolean
add_members (RgStore   *store,
             gpointer   user_data,
             GError   **error)
{
  RgFakeLine *line = user_data;
  g_autoptr(RgMemberStore) members = rg_member_store_new (store);

  for (guint i = 0; i < N_TRIGGERS; i++)
    {
      g_autofree char *phone = phone_of (i);

      if (path_of (i) == PATH_PUSH)
        {
          g_autoptr(RgMember) member = rg_member_new ();
          g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, phone, -1);
          g_autofree char *user_id = g_strconcat ("U", digest, NULL);

          rg_member_set_name (member, phone);
          rg_member_set_phone (member, phone);
          rg_member_set_line_user_id (member, user_id);
          rg_member_set_line_friend (member, TRUE);
          if (!rg_member_store_insert (members, member, NULL, error))
            return FALSE;
        }
      else if (path_of (i) == PATH_PNP_REFUSED)
        rg_fake_line_set_unreachable (line, phone);
    }
  return TRUE;
}

typedef struct
{
  guint answered;
  guint failed;
} Ceiling;

static void
ceiling_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Ceiling *ceiling = user_data;
  g_auto(GStrv) ids = rg_line_client_push_finish (RG_LINE_CLIENT (object), result, NULL, NULL);

  ceiling->answered++;
  if (ids == NULL)
    ceiling->failed++;
}

/* The fake's own ceiling: pushes from a bare loop, as many out at once as the dispatcher.
 * @cpu_per_request: the process's CPU time per push, client and fake together */
static double
measure_ceiling (RgFakeLine *line,
                 double     *cpu_per_request)
{
  g_autoptr(RgLineClient) client = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  g_autoptr(JsonArray) messages = json_array_new ();
  Ceiling ceiling = { 0 };
  guint sent = 0;
  gint64 start;

  rg_line_client_set_base_url (client, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (line)));
  json_array_add_element (messages, rg_line_message_new_text ("您好，訂單 A-1024 已出貨。",
                                                              NULL));

  *cpu_per_request = cpu_ms (RUSAGE_SELF);
  start = g_get_monotonic_time ();
  while (ceiling.answered < N_CEILING)
    {
      while (sent < N_CEILING && sent - ceiling.answered < RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT)
        {
          rg_line_client_push_async (client, "U0123456789abcdef0123456789abcdef", messages, NULL,
                                     FALSE, NULL, ceiling_cb, &ceiling);
          sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (ceiling.failed, ==, 0);
  *cpu_per_request = (cpu_ms (RUSAGE_SELF) - *cpu_per_request) / N_CEILING;

  return N_CEILING / (ms_since (start) / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgNotifySettingStore) settings = NULL;
  g_autoptr(RgFakeLine) line = rg_fake_line_new ();
  g_autoptr(RgFakeSms) sms = rg_fake_sms_new ();
  g_autoptr(RgLineClient) line_client = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  g_autoptr(RgSmsClient) sms_client = NULL;
  g_autoptr(RgNotifyDispatcher) dispatcher = NULL;
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *dir = g_dir_make_tmp ("regulars-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *waiting = NULL;
  g_autofree char *no_wait = NULL;
  Bench bench = { 0 };
  double accept_ms, dispatch_ms, thread_cpu, process_cpu, ceiling, ceiling_cpu;
  guint requests;
  gint64 start;

  if (!(store = rg_store_open (path, &error)) ||
      !rg_fake_platform_start_in_thread (RG_FAKE_PLATFORM (line), &error) ||
      !rg_fake_platform_start_in_thread (RG_FAKE_PLATFORM (sms), &error) ||
      !rg_store_transaction (store, add_members, line, &error))
    g_error ("%s", error->message);

  settings = rg_notify_setting_store_new (store);
  waiting = create_setting (settings, 600);
  no_wait = create_setting (settings, 0);

  rg_line_client_set_base_url (line_client,
                               rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (line)));
  sms_client = rg_sms_client_new (RG_SMS_PROVIDER_MITAKE, RG_FAKE_SMS_MITAKE_USERNAME,
                                  RG_FAKE_SMS_MITAKE_PASSWORD, NULL);
  rg_sms_client_set_base_url (sms_client, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (sms)));

  /* Accepting: each trigger is its own committed transaction, as through the Open API. */
  bench.paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (variables, (gpointer) "name", (gpointer) "陳怡君");
  g_hash_table_insert (variables, (gpointer) "order", (gpointer) "A-1024");
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_TRIGGERS; i++)
    {
      g_autofree char *phone = phone_of (i);
      char *id = NULL;

      if (!rg_notify_trigger (store, path_of (i) == PATH_PNP_EXPIRED ? no_wait : waiting, phone,
                              variables, NULL, &id, &error))
        g_error ("%s", error->message);
      g_hash_table_insert (bench.paths, id, GUINT_TO_POINTER (path_of (i) + 1));
    }
  accept_ms = ms_since (start);

  dispatcher = rg_notify_dispatcher_new (store, NULL);
  bench.dispatcher = dispatcher;
  rg_notify_dispatcher_set_line_client (dispatcher, line_client);
  rg_notify_dispatcher_set_sms_client (dispatcher, sms_client);
  g_signal_connect (dispatcher, "step-changed", G_CALLBACK (step_changed_cb), &bench);
  g_signal_connect (dispatcher, "trigger-finished", G_CALLBACK (trigger_finished_cb), &bench);

  thread_cpu = cpu_ms (RUSAGE_THREAD);
  process_cpu = cpu_ms (RUSAGE_SELF);
  start = g_get_monotonic_time ();
  rg_notify_dispatcher_start (dispatcher);
  while (bench.finished < N_TRIGGERS)
    g_main_context_iteration (NULL, TRUE);
  dispatch_ms = ms_since (start);
  thread_cpu = cpu_ms (RUSAGE_THREAD) - thread_cpu;
  process_cpu = cpu_ms (RUSAGE_SELF) - process_cpu;
  rg_notify_dispatcher_stop (dispatcher);

  requests = rg_fake_platform_count_requests (RG_FAKE_PLATFORM (line), NULL) +
             rg_fake_platform_count_requests (RG_FAKE_PLATFORM (sms), NULL);
  ceiling = measure_ceiling (line, &ceiling_cpu);

  g_print ("notify: accept %d triggers: %.0f triggers/s (%.3f ms each)\n",
           N_TRIGGERS, N_TRIGGERS / (accept_ms / 1000.0), accept_ms / N_TRIGGERS);
  g_print ("notify: cascade of %d triggers: %.0f triggers/s, %.1f s; %u completed "
           "(%u LINE push, %u notification message, %u SMS)\n",
           N_TRIGGERS, N_TRIGGERS / (dispatch_ms / 1000.0), dispatch_ms / 1000.0,
           bench.completed, bench.via[0], bench.via[1], bench.via[2]);
  g_print ("notify: %u requests to the fakes, %.0f requests/s\n",
           requests, requests / (dispatch_ms / 1000.0));
  g_print ("notify: CPU per trigger: %.3f ms on the dispatcher's thread, %.3f ms for the "
           "process with the fakes\n",
           thread_cpu / N_TRIGGERS, process_cpu / N_TRIGGERS);
  g_print ("notify: the fake's ceiling: %.0f LINE pushes/s from a bare client loop "
           "(%d at a time), %.3f ms CPU per push for client and fake\n",
           ceiling, RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT, ceiling_cpu);

  g_clear_object (&dispatcher);
  g_clear_object (&settings);
  g_clear_object (&store);
  g_hash_table_unref (bench.paths);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return bench.completed == N_TRIGGERS ? 0 : 1;
}
