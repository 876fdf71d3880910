/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "rg-cli.h"
#include "rg-service.h"

/* `regulars-cli serve`: the service on a box without a screen. It takes the service lock
 * first (DESIGN §1), so that it never runs beside the GUI's service on the same database. */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Serve;

static gboolean
quit_cb (gpointer user_data)
{
  Serve *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Serve *serve = user_data;

  serve->result = g_object_ref (result);
  g_main_loop_quit (serve->loop);
}

static void
request_logged_cb (RgServer   *server,
                   const char *method,
                   const char *path,
                   guint       status,
                   double      ms,
                   gpointer    user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%FT%T%z");

  g_print ("%s %s %s %u %.1f ms\n", stamp, method, path, status, ms);
}

/* "… notification tr_… completed line_push", in the log beside the requests. */
static void
trigger_finished_cb (RgNotifyDispatcher *dispatcher,
                     const char         *trigger_id,
                     const char         *state,
                     const char         *delivered_via,
                     gpointer            user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%FT%T%z");

  g_print ("%s notification %s %s %s\n", stamp, trigger_id, state,
           delivered_via != NULL ? delivered_via : "-");
}

int
rg_cli_serve (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgService) service = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  int port = -1;
  guint sigint_id;
  guint sigterm_id;
  Serve serve = { NULL };
  RgStore *store;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address,
      N_("Listen on ADDRESS (default: the saved setting, else 127.0.0.1)"), N_("ADDRESS") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Listen on PORT; 0 picks a free one (default: the saved setting, else 8765)"),
      N_("PORT") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Run the built-in server (webhooks) until interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (argc > 1)
    return rg_cli_error (_("serve takes no arguments besides its options, not “%s”"), argv[1]);
  if (port > G_MAXUINT16)
    return rg_cli_error (_("--port %d is not a port; use 0 to 65535"), port);

  /* Each request is logged as it finishes, also when stdout is a pipe or a journal. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);

  service = rg_service_new (store);
  g_signal_connect (rg_service_get_dispatcher (service), "trigger-finished",
                    G_CALLBACK (trigger_finished_cb), NULL);
  loop = g_main_loop_new (NULL, FALSE);
  serve.loop = loop;

  rg_service_start_async (service, address, port < 0 ? RG_SERVICE_PORT_FROM_SETTINGS : port,
                          NULL, started_cb, &serve);
  g_main_loop_run (loop);
  if (!rg_service_start_finish (service, serve.result, &error))
    {
      g_clear_object (&serve.result);
      return rg_cli_fail (error);
    }
  g_clear_object (&serve.result);

  g_signal_connect (rg_service_get_server (service), "request-logged",
                    G_CALLBACK (request_logged_cb), NULL);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &serve);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &serve);

  url = rg_server_dup_url (rg_service_get_server (service));
  g_print (_("Listening on %s\n"), url);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  rg_service_stop (service);
  g_print ("%s\n", _("Stopped."));
  return EXIT_SUCCESS;
}
