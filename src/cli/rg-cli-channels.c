/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"
/* termios and isatty(), which strict C11 hides */
#define _DEFAULT_SOURCE

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rg-channel-kind.h"
#include "rg-channel-settings.h"
#include "rg-channel-tester.h"
#include "rg-cli.h"

/* `regulars-cli channels …`: what the Channels page does, for a shop's box without a
 * screen. Secrets come in on standard input only, never as arguments, which the shell
 * history and the process list would keep. */

#define MAX_SECRET_LINE 8192

static RgChannelSettings *
open_settings (RgCliContext  *ctx,
               GError       **error)
{
  g_autoptr(RgSecrets) secrets = NULL;
  RgStore *store;

  if (!(store = rg_cli_open_store (ctx, error)))
    return NULL;

  secrets = rg_secrets_new ();
  return rg_channel_settings_new (store, secrets);
}

static void
wipe (char *buffer,
      gsize size)
{
  volatile char *p = buffer;

  for (gsize i = 0; i < size; i++)
    p[i] = '\0';
}

/* One line of standard input without its line ending; typed without echo on a terminal. */
static char *
read_secret_line (const char  *prompt,
                  GError     **error)
{
  char buffer[MAX_SECRET_LINE + 2];
  struct termios saved;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  char *line;
  gsize len;

  if (tty)
    {
      struct termios quiet;

      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (line == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Standard input is empty; pipe the secret in, for example "
                     "“regulars-cli channels set line channel-secret < secret.txt”"));
      return NULL;
    }

  len = strlen (buffer);
  if (len > 0 && buffer[len - 1] == '\n')
    buffer[--len] = '\0';
  else if (!feof (stdin))
    {
      wipe (buffer, sizeof buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The secret on standard input is longer than %d bytes"), MAX_SECRET_LINE);
      return NULL;
    }
  if (len > 0 && buffer[len - 1] == '\r')
    buffer[--len] = '\0';

  /* More than one line is a mistake (a whole file piped in?) rather than a secret. */
  if (!tty)
    {
      int c;

      while ((c = fgetc (stdin)) == '\n' || c == '\r')
        ;
      if (c != EOF)
        {
          wipe (buffer, sizeof buffer);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Standard input holds more than one line; give the secret alone on "
                         "one line"));
          return NULL;
        }
    }

  line = g_strdup (buffer);
  wipe (buffer, sizeof buffer);
  return line;
}

static int
set_server_preference (RgChannelSettings  *settings,
                       const char         *field,
                       const char         *value)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (field, "address"))
    ok = rg_channel_settings_set_server_address (settings, value, &error);
  else if (g_str_equal (field, "port"))
    {
      guint64 port = 0;

      if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, &error))
        return rg_cli_error (_("server/port: “%s” is not a port; use 1 to 65535"), value);
      ok = rg_channel_settings_set_server_port (settings, (guint) port, &error);
    }
  else if (g_str_equal (field, "public-base-url"))
    ok = rg_channel_settings_set_public_base_url (settings, value, &error);
  else
    return rg_cli_error (_("The server has no setting “%s”; its settings are address, port and "
                           "public-base-url"),
                         field);

  if (!ok)
    return rg_cli_fail (error);

  if (value != NULL)
    g_print (_("Set server/%s.\n"), field);
  else
    g_print (_("Cleared server/%s.\n"), field);
  return EXIT_SUCCESS;
}

static int
channels_set (RgCliContext  *ctx,
              int            argc,
              char         **argv,
              gboolean       clear)
{
  g_autoptr(RgChannelSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const RgChannelFieldInfo *info;
  const RgChannelInfo *channel_info;
  const char *channel;
  const char *field;
  const char *value = NULL;

  if (argc < 3 || argc > (clear ? 3 : 4))
    {
      g_printerr ("regulars-cli: %s\n",
                  clear ? _("usage: channels clear CHANNEL FIELD")
                        : _("usage: channels set CHANNEL FIELD [VALUE]"));
      return EXIT_FAILURE;
    }
  channel = argv[1];
  field = argv[2];
  if (argc == 4)
    value = argv[3];

  if (!(settings = open_settings (ctx, &error)))
    return rg_cli_fail (error);

  if (g_str_equal (channel, "server"))
    {
      if (!clear && value == NULL)
        return rg_cli_error (_("server/%s needs a VALUE"), field);
      return set_server_preference (settings, field, value);
    }

  if (!(info = rg_channel_settings_lookup_field (channel, field, &error)))
    return rg_cli_fail (error);

  if (clear)
    {
      rg_channel_settings_clear_async (settings, channel, field, NULL, rg_cli_wait_cb, &result);
      if (!rg_channel_settings_clear_finish (settings, rg_cli_wait_for (&result), &error))
        return rg_cli_fail (error);
      g_print (_("Cleared %s/%s.\n"), channel, field);
      return EXIT_SUCCESS;
    }

  if (info->secret)
    {
      if (value != NULL)
        return rg_cli_error (_("%s/%s is a secret and is not accepted on the command line, "
                               "where the shell history and the process list would keep it. "
                               "Pipe it in on standard input instead, for example "
                               "“regulars-cli channels set %s %s < secret.txt”, or run the "
                               "command without VALUE and type it."),
                             channel, field, channel, field);
      channel_info = rg_channel_settings_lookup_channel (channel, NULL);
      /* Translators: the prompt for a secret typed on a terminal, e.g. “LINE Channel secret” */
      prompt = g_strdup_printf (_("%s %s (not shown): "), _(channel_info->label), _(info->label));
      if (!(secret = read_secret_line (prompt, &error)))
        return rg_cli_fail (error);
      value = secret;
    }
  else if (value == NULL)
    return rg_cli_error (_("%s/%s needs a VALUE"), channel, field);

  rg_channel_settings_set_async (settings, channel, field, value, NULL, rg_cli_wait_cb, &result);
  if (secret != NULL)
    wipe (secret, strlen (secret));
  if (!rg_channel_settings_set_finish (settings, rg_cli_wait_for (&result), &error))
    return rg_cli_fail (error);

  if (info->secret)
    g_print (_("Saved %s/%s in the keyring.\n"), channel, field);
  else
    g_print (_("Set %s/%s.\n"), channel, field);
  return EXIT_SUCCESS;
}

static int
channels_show (RgCliContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(RgChannelSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *public_base_url = NULL;
  const RgChannelInfo *channels;
  guint n_channels;

  if (argc != 1)
    return rg_cli_error ("%s", _("usage: channels show"));

  if (!(settings = open_settings (ctx, &error)))
    return rg_cli_fail (error);

  channels = rg_channel_settings_get_channels (&n_channels);
  for (guint i = 0; i < n_channels; i++)
    {
      const RgChannelInfo *channel = &channels[i];
      g_autoptr(GHashTable) config = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      rg_channel_settings_load_config_async (settings, channel->name, NULL, rg_cli_wait_cb,
                                             &result);
      config = rg_channel_settings_load_config_finish (settings, rg_cli_wait_for (&result),
                                                       &error);
      if (config == NULL)
        return rg_cli_fail (error);

      g_print ("%s (%s)\n", _(channel->label), channel->name);
      for (guint j = 0; j < channel->n_fields; j++)
        {
          const RgChannelFieldInfo *field = &channel->fields[j];
          const char *value = g_hash_table_lookup (config, field->name);
          g_autofree char *shown = NULL;

          if (field->secret)
            shown = g_strdup (value != NULL ? _("set") : _("not set"));
          else if (value == NULL)
            shown = g_strdup (_("not set"));
          else if (g_str_equal (field->name, "base-url") &&
                   g_strcmp0 (value, rg_channel_settings_get_default_base_url (
                                channel->name, g_hash_table_lookup (config, "provider"))) == 0)
            shown = g_strdup_printf (_("%s (default)"), value);
          else
            shown = g_strdup (value);

          g_print ("  %-22s %-24s %s\n", field->name, _(field->label), shown);
        }

      if (channel->webhook_path != NULL)
        {
          g_autofree char *webhook = rg_channel_settings_dup_webhook_url (settings, channel->name);

          if (webhook != NULL)
            g_print ("  %-22s %s\n", _("webhook URL"), webhook);
          else
            g_print ("  %-22s %s\n", _("webhook URL"),
                     _("not available: set server public-base-url first"));
        }
      g_print ("\n");
    }

  address = rg_channel_settings_dup_server_address (settings);
  public_base_url = rg_channel_settings_dup_public_base_url (settings);
  g_print ("%s (server)\n", _("Built-in server"));
  g_print ("  %-22s %s\n", "address", address);
  g_print ("  %-22s %u\n", "port", rg_channel_settings_get_server_port (settings));
  g_print ("  %-22s %s\n", "public-base-url",
           public_base_url != NULL ? public_base_url : _("not set"));
  return EXIT_SUCCESS;
}

static int
channels_test (RgCliContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(RgChannelSettings) settings = NULL;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  RgChannelKind kind;
  gboolean ok;

  if (argc != 2)
    return rg_cli_error ("%s", _("usage: channels test CHANNEL"));

  if (!rg_channel_settings_lookup_channel (argv[1], &error))
    return rg_cli_fail (error);
  if (!rg_channel_kind_from_string (argv[1], &kind))
    g_return_val_if_reached (EXIT_FAILURE);

  if (!(settings = open_settings (ctx, &error)))
    return rg_cli_fail (error);

  rg_channel_settings_load_config_async (settings, argv[1], NULL, rg_cli_wait_cb, &result);
  config = rg_channel_settings_load_config_finish (settings, rg_cli_wait_for (&result), &error);
  g_clear_object (&result);
  if (config == NULL)
    return rg_cli_fail (error);

  rg_channel_test_connection_async (kind, config, NULL, rg_cli_wait_cb, &result);
  ok = rg_channel_test_connection_finish (rg_cli_wait_for (&result), &summary, &error);

  if (!ok)
    {
      /* Translators: %s is a channel name, then the platform's own error message */
      return rg_cli_error (_("%s: the connection test failed: %s"),
                           rg_channel_kind_get_display_name (kind), error->message);
    }

  g_print ("%s: %s\n", rg_channel_kind_get_display_name (kind),
           summary != NULL ? summary : _("connected"));
  return EXIT_SUCCESS;
}

int
rg_cli_channels (RgCliContext  *ctx,
                 int            argc,
                 char         **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  const char *command;

  context = g_option_context_new (_("set CHANNEL FIELD [VALUE] | clear CHANNEL FIELD | show | "
                                    "test CHANNEL"));
  g_option_context_set_summary (context,
                                _("Configure LINE, WhatsApp, WeChat and the SMS gateway.\n\n"
                                  "Secret fields (tokens, secrets, passwords) are read from "
                                  "standard input and saved in the keyring only.\n"
                                  "CHANNEL “server” holds address, port and public-base-url "
                                  "of the built-in server."));
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return EXIT_FAILURE;
    }

  command = argv[1];
  if (g_str_equal (command, "set"))
    return channels_set (ctx, argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "clear"))
    return channels_set (ctx, argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "show"))
    return channels_show (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "test"))
    return channels_test (ctx, argc - 1, argv + 1);

  return rg_cli_error (_("Unknown channels command “%s”; use set, clear, show or test"), command);
}
