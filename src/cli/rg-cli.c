/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-cli.h"
#include "rg-demo.h"

RgStore *
rg_cli_open_store (RgCliContext  *ctx,
                   GError       **error)
{
  g_autofree char *default_path = NULL;

  if (ctx->store != NULL)
    return ctx->store;

  if (ctx->database_path == NULL)
    ctx->database_path = rg_store_default_path ();

  ctx->store = rg_store_open (ctx->database_path, error);
  return ctx->store;
}

gboolean
rg_cli_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("regulars-cli: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Says what went wrong on standard error, after the program's name. */
int
rg_cli_error (const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("regulars-cli: %s\n", message);
  return EXIT_FAILURE;
}

int
rg_cli_fail (const GError *error)
{
  return rg_cli_error ("%s", error->message);
}

/* The callback of an async call the CLI waits for: @user_data is a `GAsyncResult **`. */
void
rg_cli_wait_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main context until rg_cli_wait_cb() has filled *@result. */
GAsyncResult *
rg_cli_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

int
rg_cli_demo (RgCliContext  *ctx,
             int            argc,
             char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  RgStore *store;

  g_option_context_set_summary (context,
                                _("Create a new database filled with sample data."));
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (ctx->database_path == NULL)
    {
      g_printerr ("regulars-cli: %s\n",
                  _("demo needs --database PATH, the new database to create"));
      return EXIT_FAILURE;
    }

  if (!(store = rg_cli_open_store (ctx, &error)) ||
      !rg_demo_populate (store, &error))
    return rg_cli_fail (error);

  g_print (_("Created the demo database “%s”.\n"), rg_store_get_path (store));
  return EXIT_SUCCESS;
}

int
rg_cli_info (RgCliContext  *ctx,
             int            argc,
             char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  RgStore *store;

  g_option_context_set_summary (context, _("Show the database in use and its schema version."));
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);

  g_print (_("Database: %s\n"), rg_store_get_path (store));
  g_print (_("Schema version: %d\n"), rg_store_get_schema_version (store));
  g_print (_("Regulars version: %s\n"), PACKAGE_VERSION);
  return EXIT_SUCCESS;
}
