/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "rg-cli.h"
#include "rg-notify-api.h"
#include "rg-notify-export.h"
#include "rg-notify-setting-store.h"
#include "rg-notify-stats.h"
#include "rg-notify-trigger.h"

/* `regulars-cli notify …` and `regulars-cli api-token new`: notification settings as JSON
 * (the shape of GET /api/v1/notification-settings), a trigger from the shell, the CSV
 * export, and the Open API token. Errors name the JSON field at fault. */

static int
fail_with_field (const GError *error)
{
  const char *field = rg_notify_error_get_field (error);

  if (field == NULL)
    return rg_cli_fail (error);

  g_printerr ("regulars-cli: %s: %s\n", field, error->message);
  return EXIT_FAILURE;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

static JsonNode *
read_json_stdin (GError **error)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  char chunk[4096];
  gsize n;

  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len (buffer, chunk, n);

  if (!json_parser_load_from_data (parser, buffer->str, buffer->len, &parse_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Standard input must hold a notification setting as JSON: %s"),
                   parse_error != NULL ? parse_error->message : _("it is empty"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

static int
settings_list (RgNotifySettingStore *settings)
{
  g_autoptr(GListModel) list = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (!(list = rg_notify_setting_store_list (settings, &error)))
    return rg_cli_fail (error);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(RgNotifySetting) setting = g_list_model_get_item (list, i);

      json_array_add_element (array, rg_notify_setting_to_json (setting));
    }
  node = json_node_init_array (json_node_alloc (), array);
  print_json (node);
  return EXIT_SUCCESS;
}

static int
settings_command (RgCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  g_autoptr(RgNotifySettingStore) settings = NULL;
  g_autoptr(RgNotifySetting) setting = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *command = argc > 1 ? argv[1] : NULL;
  const char *id = argc > 2 ? argv[2] : NULL;
  gboolean needs_id;
  RgStore *store;

  if (command == NULL || g_str_equal (command, "--help") || g_str_equal (command, "-h"))
    {
      FILE *stream = command == NULL ? stderr : stdout;

      fprintf (stream, "%s\n\n",
               _("Usage: regulars-cli notify settings list|create|edit ID|duplicate ID|"
                 "disable ID|enable ID"));
      fprintf (stream, "%s\n",
               _("Settings are JSON: create and edit read it on standard input (edit changes "
                 "the members given), every command writes the setting on standard output."));
      return command == NULL ? EXIT_FAILURE : EXIT_SUCCESS;
    }

  needs_id = !g_str_equal (command, "list") && !g_str_equal (command, "create");
  if (!g_strv_contains ((const char * const[]) { "list", "create", "edit", "duplicate",
                                                 "disable", "enable", NULL }, command))
    return rg_cli_error (_("Unknown settings command “%s”; use list, create, edit, duplicate, "
                           "disable or enable"), command);
  if (needs_id != (id != NULL) || argc > (needs_id ? 3 : 2))
    return rg_cli_error (needs_id ? _("usage: notify settings %s ID")
                                  : _("usage: notify settings %s"),
                         command);

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  settings = rg_notify_setting_store_new (store);

  if (g_str_equal (command, "list"))
    return settings_list (settings);

  if (g_str_equal (command, "create"))
    {
      if (!(input = read_json_stdin (&error)))
        return rg_cli_fail (error);
      if (!(setting = rg_notify_setting_new_from_json (input, &error)) ||
          !rg_notify_setting_store_create (settings, setting, &error))
        return fail_with_field (error);
    }
  else if (g_str_equal (command, "edit"))
    {
      if (!(setting = rg_notify_setting_store_get (settings, id, &error)))
        return fail_with_field (error);
      if (!(input = read_json_stdin (&error)))
        return rg_cli_fail (error);
      if (!rg_notify_setting_update_from_json (setting, input, &error) ||
          !rg_notify_setting_store_update (settings, setting, &error))
        return fail_with_field (error);
    }
  else if (g_str_equal (command, "duplicate"))
    {
      if (!(setting = rg_notify_setting_store_duplicate (settings, id, &error)))
        return fail_with_field (error);
    }
  else
    {
      if (!rg_notify_setting_store_set_enabled (settings, id, g_str_equal (command, "enable"),
                                                &error) ||
          !(setting = rg_notify_setting_store_get (settings, id, &error)))
        return fail_with_field (error);
    }

  output = rg_notify_setting_to_json (setting);
  print_json (output);
  return EXIT_SUCCESS;
}

static GDateTime *
parse_day (const char  *option,
           const char  *text,
           GTimeZone   *tz,
           gint         add_days,
           GError     **error)
{
  g_autoptr(GDateTime) day = NULL;
  int year, month, dom;
  char end;

  if (text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s YYYY-MM-DD is required"), option);
      return NULL;
    }
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &dom, &end) != 3 ||
      !g_date_valid_dmy (dom, month, year) ||
      !(day = g_date_time_new (tz, year, month, dom, 0, 0, 0)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s “%s” is not a date such as 2024-01-31"), option, text);
      return NULL;
    }

  return g_date_time_add_days (day, add_days);
}

static int
export_command (RgCliContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  guint64 n_rows = 0;
  RgStore *store;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("The first day whose notifications to export"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("The last day whose notifications to export"), N_("YYYY-MM-DD") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Write the notifications triggered in a range of days (the "
                                  "shop's time zone) as CSV; FILE “-” is standard output."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;
  if (argc != 2)
    return rg_cli_error ("%s", _("usage: notify export --from YYYY-MM-DD --to YYYY-MM-DD FILE"));

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  tz = rg_store_dup_timezone (store);
  if (!(from = parse_day ("--from", from_text, tz, 0, &error)) ||
      !(to = parse_day ("--to", to_text, tz, 1, &error)))
    return rg_cli_fail (error);
  if (g_date_time_compare (from, to) >= 0)
    return rg_cli_error ("%s", _("--to must not be before --from"));

  if (g_str_equal (argv[1], "-"))
    {
      g_autoptr(GOutputStream) stream = g_unix_output_stream_new (fileno (stdout), FALSE);

      fflush (stdout);
      if (!rg_notify_export_csv (store, stream, from, to, &n_rows, NULL, &error))
        return rg_cli_fail (error);
      return EXIT_SUCCESS;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      if (!rg_notify_export_to_file (store, file, from, to, &n_rows, NULL, &error))
        return rg_cli_fail (error);
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Exported %llu notification to “%s”.\n",
                        "Exported %llu notifications to “%s”.\n",
                        n_rows),
           (unsigned long long) n_rows, argv[1]);
  return EXIT_SUCCESS;
}

static int
send_command (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autofree char *setting_id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *key = NULL;
  g_autofree char *trigger_id = NULL;
  g_auto(GStrv) vars = NULL;
  RgStore *store;
  const GOptionEntry entries[] = {
    { "setting", 's', 0, G_OPTION_ARG_STRING, &setting_id,
      N_("The Setting ID of the notification"), N_("ID") },
    { "phone", 'p', 0, G_OPTION_ARG_STRING, &phone,
      N_("The recipient's phone number"), N_("PHONE") },
    { "var", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &vars,
      N_("A value for a {{NAME}} of the texts; repeat for each"), N_("NAME=VALUE") },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("Send only once for this key, however often the command runs"), N_("KEY") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Trigger a notification: it is stored at once and sent by the "
                                  "running service (regulars-cli serve or Regulars)."));
  g_option_context_set_description (context,
                                    _("Other commands:\n"
                                      "  notify settings list|create|edit|duplicate|disable|"
                                      "enable\n"
                                      "  notify export --from YYYY-MM-DD --to YYYY-MM-DD FILE\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;
  if (argc > 1)
    return rg_cli_error (_("Unknown notify command “%s”; use settings, export, or --setting ID "
                           "--phone PHONE"), argv[1]);
  if (setting_id == NULL || phone == NULL)
    return rg_cli_error ("%s",
                         _("usage: notify --setting ID --phone PHONE [--var NAME=VALUE…]"));

  variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      const char *equals = strchr (vars[i], '=');

      if (equals == NULL || equals == vars[i])
        return rg_cli_error (_("--var “%s” is not NAME=VALUE"), vars[i]);
      g_hash_table_replace (variables, g_strndup (vars[i], equals - vars[i]),
                            g_strdup (equals + 1));
    }

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  if (!rg_notify_trigger (store, setting_id, phone, variables, key, &trigger_id, &error))
    return fail_with_field (error);

  g_print ("%s\n", trigger_id);
  return EXIT_SUCCESS;
}

int
rg_cli_notify (RgCliContext  *ctx,
               int            argc,
               char         **argv)
{
  const char *command = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (command, "settings") == 0)
    {
      g_set_prgname ("regulars-cli notify settings");
      return settings_command (ctx, argc - 1, argv + 1);
    }
  if (g_strcmp0 (command, "export") == 0)
    {
      g_set_prgname ("regulars-cli notify export");
      return export_command (ctx, argc - 1, argv + 1);
    }
  return send_command (ctx, argc, argv);
}

int
rg_cli_api_token (RgCliContext  *ctx,
                  int            argc,
                  char         **argv)
{
  g_autoptr(RgSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (argc != 2 || !g_str_equal (argv[1], "new"))
    {
      gboolean help = argc == 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"));
      FILE *stream = help ? stdout : stderr;

      fprintf (stream, "%s\n", _("Usage: regulars-cli api-token new"));
      fprintf (stream, "%s\n", _("Makes a new Open API token, keeps it in the keyring and prints "
                                 "it once; the old token stops working."));
      return help ? EXIT_SUCCESS : EXIT_FAILURE;
    }

  secrets = rg_secrets_new ();
  rg_notify_api_token_new_async (secrets, NULL, rg_cli_wait_cb, &result);
  token = rg_notify_api_token_new_finish (secrets, rg_cli_wait_for (&result), &error);
  if (token == NULL)
    return rg_cli_fail (error);

  g_print ("%s\n", token);
  g_printerr ("%s\n", _("This is the only time the token is shown. Send it as "
                        "“Authorization: Bearer TOKEN”."));
  memset (token, 0, strlen (token));
  return EXIT_SUCCESS;
}
