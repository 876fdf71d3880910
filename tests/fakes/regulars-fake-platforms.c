/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * regulars-fake-platforms: the four platform fakes on one 127.0.0.1 port, for tests that spawn
 * a process (CLI, UI). Prints "READY http://127.0.0.1:PORT" and serves until stdin closes.
 *
 *   LINE      base URL  http://127.0.0.1:PORT/line
 *   WhatsApp  base URL  http://127.0.0.1:PORT/whatsapp/v19.0
 *   WeChat    base URL  http://127.0.0.1:PORT/wechat
 *   SMS       base URL  http://127.0.0.1:PORT/sms   (Mitake and Twilio routes)
 *
 * Credentials are the RG_FAKE_*_ defaults of the fakes' headers. Each fake also answers its
 * control routes under its prefix (GET /line/_fake/requests, POST /line/_fake/fail …).
 */
#define G_LOG_DOMAIN "regulars-fake-platforms"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>

#include "rg-fake-line.h"
#include "rg-fake-sms.h"
#include "rg-fake-wechat.h"
#include "rg-fake-whatsapp.h"

static gboolean
stdin_cb (gint         fd,
          GIOCondition condition,
          gpointer     user_data)
{
  GMainLoop *loop = user_data;
  char buffer[256];
  gssize n_read;

  n_read = read (fd, buffer, sizeof buffer);
  if (n_read > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(RgFakeLine) line = NULL;
  g_autoptr(RgFakeWhatsApp) whatsapp = NULL;
  g_autoptr(RgFakeWeChat) wechat = NULL;
  g_autoptr(RgFakeSms) sms = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *root = NULL;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Serves fake LINE, WhatsApp, WeChat and SMS APIs on 127.0.0.1 until "
                                "stdin closes.\n\nBase URLs: PORT/line, PORT/whatsapp/v19.0, "
                                "PORT/wechat, PORT/sms.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  server = soup_server_new ("server-header", "regulars-fake-platforms ", NULL);

  line = rg_fake_line_new ();
  whatsapp = rg_fake_whatsapp_new ();
  wechat = rg_fake_wechat_new ();
  sms = rg_fake_sms_new ();
  rg_fake_platform_attach (RG_FAKE_PLATFORM (line), server, "/line");
  rg_fake_platform_attach (RG_FAKE_PLATFORM (whatsapp), server, "/whatsapp");
  rg_fake_platform_attach (RG_FAKE_PLATFORM (wechat), server, "/wechat");
  rg_fake_platform_attach (RG_FAKE_PLATFORM (sms), server, "/sms");

  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("Could not listen on 127.0.0.1: %s\n", error->message);
      return 1;
    }

  uris = soup_server_get_uris (server);
  root = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (root, "/"))
    root[strlen (root) - 1] = '\0';

  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);

  printf ("READY %s\n", root);
  fflush (stdout);

  g_main_loop_run (loop);

  soup_server_disconnect (server);
  return 0;
}
