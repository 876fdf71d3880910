/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rg-cli.h"

static const RgCliCommand commands[] = {
  { "demo", N_("Create a new database filled with sample data"), rg_cli_demo },
  { "info", N_("Show the database in use and its schema version"), rg_cli_info },
  { "cards", N_("Draw member cards, export and import card designs"), rg_cli_cards },
  { "channels", N_("Configure and test LINE, WhatsApp, WeChat and SMS"), rg_cli_channels },
  { "members", N_("Import, export, list and show members"), rg_cli_members },
  { "serve", N_("Run the built-in server for webhooks until interrupted"), rg_cli_serve },
  { "notify", N_("Send notifications, edit their settings, export them as CSV"), rg_cli_notify },
  { "api-token", N_("Make a new token for the Open API"), rg_cli_api_token },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: regulars-cli [--database PATH] COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “regulars-cli COMMAND --help” for the options of a command. "
                               "REGULARS_DATA_DIR overrides the default database folder."));
}

/* --database is accepted anywhere on the line, before or after the command, and removed. */
static gboolean
take_database_option (int     *argc,
                      char   **argv,
                      char   **path)
{
  int out = 1;

  for (int i = 1; i < *argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        {
          while (i < *argc)
            argv[out++] = argv[i++];
          break;
        }
      else if (g_str_equal (arg, "--database") || g_str_equal (arg, "-d"))
        {
          if (i + 1 >= *argc)
            {
              g_printerr ("regulars-cli: %s\n", _("--database needs a PATH"));
              return FALSE;
            }
          g_free (*path);
          *path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (arg, "--database="))
        {
          g_free (*path);
          *path = g_strdup (arg + strlen ("--database="));
        }
      else
        argv[out++] = argv[i];
    }

  *argc = out;
  argv[out] = NULL;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  RgCliContext ctx = { 0 };
  const char *name;
  int status = EXIT_FAILURE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!take_database_option (&argc, argv, &ctx.database_path))
    return EXIT_FAILURE;

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_FAILURE;
    }

  name = argv[1];
  if (g_str_equal (name, "help") || g_str_equal (name, "--help") || g_str_equal (name, "-h"))
    {
      print_usage (stdout);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        {
          g_autofree char *prgname = g_strdup_printf ("regulars-cli %s", name);

          g_set_prgname (prgname);
          status = commands[i].run (&ctx, argc - 1, argv + 1);
          goto out;
        }
    }

  g_printerr (_("regulars-cli: unknown command “%s”\n\n"), name);
  print_usage (stderr);

out:
  g_clear_object (&ctx.store);
  g_free (ctx.database_path);
  return status;
}
