/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"
/* isatty(), which strict C11 hides */
#define _DEFAULT_SOURCE

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rg-cli.h"
#include "rg-format.h"
#include "rg-member-exporter.h"
#include "rg-member-importer.h"
#include "rg-member-list.h"
#include "rg-member-store.h"

/* `regulars-cli members …`: CSV import and export, and a look at the members, for a shop's
 * box without a screen and for scripts. An import with rejected rows exits with 1. */

#define BAR_WIDTH 30
#define DEFAULT_LIST_LIMIT 50

typedef struct
{
  GAsyncResult *result;
  gboolean      tty;
  int           last_tenth;
} Wait;

/* A bar redrawn in place on a terminal; a line every tenth otherwise (a log, a pipe). */
static void
show_progress (Wait    *wait,
               double   fraction,
               guint64  rows)
{
  if (wait->tty)
    {
      int filled = (int) (fraction * BAR_WIDTH + 0.5);
      char bar[BAR_WIDTH + 1];

      memset (bar, '#', filled);
      memset (bar + filled, '-', BAR_WIDTH - filled);
      bar[BAR_WIDTH] = '\0';
      g_printerr ("\r[%s] %3d%%  ", bar, (int) (fraction * 100));
      /* Translators: after a progress bar and a percentage, the rows read so far */
      g_printerr (ngettext ("%llu row", "%llu rows", rows), (unsigned long long) rows);
      g_printerr ("\033[K");
    }
  else if ((int) (fraction * 10) > wait->last_tenth)
    {
      wait->last_tenth = (int) (fraction * 10);
      g_printerr (ngettext ("%d%% done, %llu row\n", "%d%% done, %llu rows\n", rows),
                  (int) (fraction * 100), (unsigned long long) rows);
    }
}

static void
end_progress (Wait *wait)
{
  if (wait->tty)
    g_printerr ("\r\033[K");
}

static void
import_progress_cb (RgMemberImporter *importer,
                    GParamSpec       *pspec,
                    Wait             *wait)
{
  show_progress (wait, rg_member_importer_get_progress (importer),
                 rg_member_importer_get_rows_done (importer));
}

static void
export_progress_cb (RgMemberExporter *exporter,
                    GParamSpec       *pspec,
                    Wait             *wait)
{
  show_progress (wait, rg_member_exporter_get_progress (exporter),
                 rg_member_exporter_get_rows_done (exporter));
}

static gboolean
parse_choice (const char  *option,
              const char  *value,
              const char  *first,
              const char  *second,
              int         *choice)
{
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, first))
    *choice = 0;
  else if (g_str_equal (value, second))
    *choice = 1;
  else
    {
      /* Translators: “--match takes “number” or “phone”, not “email”” */
      rg_cli_error (_("%s takes “%s” or “%s”, not “%s”"), option, first, second, value);
      return FALSE;
    }
  return TRUE;
}

static const char *
describe_delimiter (char delimiter)
{
  switch (delimiter)
    {
    case '\t':
      return _("tab");
    case ';':
      return _("semicolon");
    case '|':
      return _("vertical bar");
    default:
      return _("comma");
    }
}

static void
print_rejections (RgMemberImportResult *result,
                  const char           *rejected_path)
{
  GListModel *rejections = rg_member_import_result_get_rejections (result);
  guint n_listed = g_list_model_get_n_items (rejections);
  guint64 n_rejected = rg_member_import_result_get_n_rejected (result);

  for (guint i = 0; i < n_listed; i++)
    {
      g_autoptr(RgMemberImportRejection) rejection = g_list_model_get_item (rejections, i);
      g_autofree char *line = rg_member_import_rejection_to_string (rejection);

      g_printerr ("%s\n", line);
    }

  if (n_rejected > n_listed && rejected_path == NULL)
    {
      g_printerr (ngettext ("… and %llu more rejected row; --rejected FILE saves them all\n",
                            "… and %llu more rejected rows; --rejected FILE saves them all\n",
                            n_rejected - n_listed),
                  (unsigned long long) (n_rejected - n_listed));
    }
}

static void
print_import_summary (const char           *file,
                      RgMemberImportResult *result)
{
  guint64 n_rejected = rg_member_import_result_get_n_rejected (result);

  if (!rg_member_import_result_get_committed (result))
    {
      g_print (ngettext ("Nothing was imported because %llu row has problems. "
                         "Fix it, or use --commit-valid to import the valid rows.\n",
                         "Nothing was imported because %llu rows have problems. "
                         "Fix them, or use --commit-valid to import the valid rows.\n",
                         n_rejected),
               (unsigned long long) n_rejected);
      return;
    }

  /* Translators: the file name, then counts of members */
  g_print (_("Imported “%s”: %llu added, %llu updated, %llu duplicates skipped, "
             "%llu rejected.\n"),
           file,
           (unsigned long long) rg_member_import_result_get_n_added (result),
           (unsigned long long) rg_member_import_result_get_n_updated (result),
           (unsigned long long) rg_member_import_result_get_n_skipped (result),
           (unsigned long long) n_rejected);
}

static int
members_import (RgCliContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberImporter) importer = NULL;
  g_autoptr(RgMemberImportPreview) preview = NULL;
  g_autoptr(RgMemberImportResult) result = NULL;
  g_autofree char *map = NULL;
  g_autofree char *on_duplicate = NULL;
  g_autofree char *match = NULL;
  g_autofree char *rejected_path = NULL;
  g_autofree char *spec = NULL;
  gboolean commit_valid = FALSE;
  int duplicate_choice = RG_MEMBER_IMPORT_DUPLICATE_UPDATE;
  int match_choice = RG_MEMBER_IMPORT_MATCH_MEMBER_NUMBER;
  Wait wait = { NULL, isatty (STDERR_FILENO), -1 };
  RgStore *store;
  gulong handler;
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING, &map,
      N_("Which field each column holds, on top of the guess: "
         "“Column=field,Other column=field” (fields: member_number, name, first_name, "
         "last_name, phone, email, accumulated_points, points_balance, stored_value, tags, "
         "note, line_user_id, whatsapp_id, wechat_openid, created_at, attr:KEY, ignore)"),
      N_("SPEC") },
    { "on-duplicate", 0, 0, G_OPTION_ARG_STRING, &on_duplicate,
      N_("What to do with a row for a member who exists: update (the default) or skip"),
      N_("ACTION") },
    { "match", 0, 0, G_OPTION_ARG_STRING, &match,
      N_("How a row finds its member: by member number (the default) or by phone"),
      N_("KEY") },
    { "commit-valid", 0, 0, G_OPTION_ARG_NONE, &commit_valid,
      N_("Import the valid rows even when others are rejected (else nothing is imported)"),
      NULL },
    { "rejected", 0, 0, G_OPTION_ARG_FILENAME, &rejected_path,
      N_("Save the rejected rows, with line, column and reason, as CSV"), N_("OUT.csv") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Import members from a CSV file (UTF-8 or Big5, any common "
                                  "delimiter). Either every row is imported or none, unless "
                                  "--commit-valid is given; the exit status is 1 when a row "
                                  "was rejected."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (argc != 2)
    return rg_cli_error ("%s", _("members import needs one FILE"));
  if (!parse_choice ("--on-duplicate", on_duplicate, "update", "skip", &duplicate_choice) ||
      !parse_choice ("--match", match, "number", "phone", &match_choice))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);

  importer = rg_member_importer_new (store);
  rg_member_importer_set_path (importer, argv[1]);
  rg_member_importer_set_on_duplicate (importer, duplicate_choice);
  rg_member_importer_set_match (importer, match_choice);
  rg_member_importer_set_commit_valid (importer, commit_valid);

  if (!(preview = rg_member_importer_preview (importer, 0, &error)))
    return rg_cli_fail (error);
  if (map != NULL &&
      !rg_csv_mapping_parse_spec (rg_member_importer_get_mapping (importer), map, &error))
    return rg_cli_fail (error);

  spec = rg_csv_mapping_to_spec (rg_member_importer_get_mapping (importer));
  /* Translators: a file name, an encoding such as “UTF-8”, a delimiter such as “comma” */
  g_printerr (_("Reading “%s” (%s, %s)\n"), argv[1], preview->encoding,
              describe_delimiter (preview->delimiter));
  /* Translators: the column mapping in the form --map takes */
  g_printerr (_("Columns: %s\n"), spec[0] != '\0' ? spec : _("none"));

  handler = g_signal_connect (importer, "notify::progress", G_CALLBACK (import_progress_cb), &wait);
  rg_member_importer_run_async (importer, NULL, rg_cli_wait_cb, &wait.result);
  result = rg_member_importer_run_finish (importer, rg_cli_wait_for (&wait.result), &error);
  g_signal_handler_disconnect (importer, handler);
  g_clear_object (&wait.result);
  end_progress (&wait);

  if (result == NULL)
    return rg_cli_fail (error);

  print_rejections (result, rejected_path);
  if (rejected_path != NULL && rg_member_import_result_get_n_rejected (result) > 0)
    {
      g_autoptr(GFile) out = g_file_new_for_commandline_arg (rejected_path);

      if (!rg_member_import_result_save_rejections (result, out, NULL, &error))
        return rg_cli_fail (error);
      g_printerr (_("The rejected rows are in “%s”.\n"), rejected_path);
    }
  print_import_summary (argv[1], result);

  return rg_member_import_result_get_n_rejected (result) > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int
members_export (RgCliContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberExporter) exporter = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autofree char *search = NULL;
  g_autofree char *columns = NULL;
  gboolean bom = FALSE;
  Wait wait = { NULL, isatty (STDERR_FILENO), -1 };
  guint64 n_rows = 0;
  RgStore *store;
  gulong handler;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Export the members this search finds, as in the members list"), N_("TEXT") },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &columns,
      N_("The columns, in order (member_number, name, phone, email, accumulated_points, "
         "points_balance, stored_value, tags, note, line_user_id, whatsapp_id, "
         "wechat_openid, created_at, attr:KEY); all by default"),
      N_("A,B,C") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_("Start the file with a byte order mark, for Excel"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Export members to a CSV file in UTF-8."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (argc != 2)
    return rg_cli_error ("%s", _("members export needs one FILE"));

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);

  exporter = rg_member_exporter_new (store);
  rg_member_exporter_set_search (exporter, search);
  rg_member_exporter_set_bom (exporter, bom);
  if (columns != NULL)
    {
      g_auto(GStrv) list = g_strsplit (columns, ",", -1);

      for (guint i = 0; list[i] != NULL; i++)
        g_strstrip (list[i]);
      if (!rg_member_exporter_set_columns (exporter, (const char * const *) list, &error))
        return rg_cli_fail (error);
    }

  destination = g_file_new_for_commandline_arg (argv[1]);
  handler = g_signal_connect (exporter, "notify::progress", G_CALLBACK (export_progress_cb), &wait);
  rg_member_exporter_run_async (exporter, destination, NULL, rg_cli_wait_cb, &wait.result);
  ok = rg_member_exporter_run_finish (exporter, rg_cli_wait_for (&wait.result), &n_rows,
                                      &error);
  g_signal_handler_disconnect (exporter, handler);
  g_clear_object (&wait.result);
  end_progress (&wait);

  if (!ok)
    return rg_cli_fail (error);

  g_print (ngettext ("Exported %llu member to “%s”.\n", "Exported %llu members to “%s”.\n",
                     n_rows),
           (unsigned long long) n_rows, argv[1]);
  return EXIT_SUCCESS;
}

static int
members_list (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMemberList) list = NULL;
  g_autofree char *search = NULL;
  int limit = DEFAULT_LIST_LIMIT;
  guint n_items;
  RgStore *store;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only the members this search finds"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N members (50 by default)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("List members by name, tab-separated: member number, name, "
                                  "phone, email, points balance."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;
  if (argc != 1 || limit < 0)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return EXIT_FAILURE;
    }

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);

  members = rg_member_store_new (store);
  list = rg_member_list_new (members);
  rg_member_list_set_search (list, search);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n_items && i < (guint) limit; i++)
    {
      g_autoptr(RgMember) member = g_list_model_get_item (G_LIST_MODEL (list), i);
      const char *number = rg_member_get_member_number (member);
      const char *phone = rg_member_get_phone_display (member);
      const char *email = rg_member_get_email (member);

      g_print ("%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\n",
               number != NULL ? number : "", rg_member_get_name (member),
               phone != NULL ? phone : "", email != NULL ? email : "",
               rg_member_get_points_balance (member));
    }

  if (n_items > (guint) limit)
    g_printerr (ngettext ("%u member, %d shown; --limit shows more\n",
                          "%u members, %d shown; --limit shows more\n", n_items),
                n_items, limit);
  else
    g_printerr (ngettext ("%u member\n", "%u members\n", n_items), n_items);
  return EXIT_SUCCESS;
}

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL && value[0] != '\0')
    g_print ("%s: %s\n", label, value);
}

static int
members_show (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MEMBER-NUMBER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GListModel) definitions = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *stored_value = NULL;
  g_autofree char *currency = NULL;
  const char * const *tag_list;
  RgStore *store;

  g_option_context_set_summary (context, _("Show one member."));
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;
  if (argc != 2)
    return rg_cli_error ("%s", _("members show needs one MEMBER-NUMBER"));

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  members = rg_member_store_new (store);

  if (!(member = rg_member_store_find_by_member_number (members, argv[1], &error)))
    {
      if (error != NULL)
        return rg_cli_fail (error);
      return rg_cli_error (_("No member has the member number “%s”"), argv[1]);
    }

  tag_list = rg_member_get_tags (member);
  tags = tag_list != NULL ? g_strjoinv (", ", (char **) tag_list) : NULL;
  currency = rg_store_dup_currency (store);
  stored_value = rg_format_money (rg_member_get_stored_value (member), currency);
  created = g_date_time_new_from_unix_local (rg_member_get_created_at (member));
  created_text = created != NULL ? g_date_time_format (created, "%Y-%m-%d %H:%M") : NULL;

  print_field (_("Member number"), rg_member_get_member_number (member));
  print_field (_("Name"), rg_member_get_name (member));
  print_field (_("Phone"), rg_member_get_phone_display (member));
  print_field (_("Email"), rg_member_get_email (member));
  g_print ("%s: %" G_GINT64_FORMAT "\n", _("Accumulated points"),
           rg_member_get_accumulated_points (member));
  g_print ("%s: %" G_GINT64_FORMAT "\n", _("Points balance"),
           rg_member_get_points_balance (member));
  print_field (_("Stored value"), stored_value);
  print_field (_("Tags"), tags);
  print_field (_("Note"), rg_member_get_note (member));
  print_field (_("LINE user ID"), rg_member_get_line_user_id (member));
  print_field (_("WhatsApp ID"), rg_member_get_whatsapp_id (member));
  print_field (_("WeChat OpenID"), rg_member_get_wechat_openid (member));
  print_field (_("Created"), created_text);

  if ((definitions = rg_member_store_list_attributes (members, &error)) == NULL)
    return rg_cli_fail (error);
  for (guint i = 0; i < g_list_model_get_n_items (definitions); i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);

      print_field (rg_attribute_definition_get_label (definition),
                   rg_member_get_attribute (member, rg_attribute_definition_get_key (definition)));
    }

  return EXIT_SUCCESS;
}

int
rg_cli_members (RgCliContext  *ctx,
                int            argc,
                char         **argv)
{
  const char *command = argc >= 2 ? argv[1] : NULL;

  /* Each command parses its own options. */
  if (command == NULL || g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      FILE *out = command == NULL ? stderr : stdout;

      fprintf (out, "%s\n\n", _("Usage: regulars-cli members COMMAND [OPTION…]"));
      fprintf (out, "  %-8s %s\n", "import", _("Import members from a CSV file"));
      fprintf (out, "  %-8s %s\n", "export", _("Export members to a CSV file"));
      fprintf (out, "  %-8s %s\n", "list", _("List members, or those a search finds"));
      fprintf (out, "  %-8s %s\n", "show", _("Show one member by member number"));
      fprintf (out, "\n%s\n", _("Run “regulars-cli members COMMAND --help” for its options."));
      return command == NULL ? EXIT_FAILURE : EXIT_SUCCESS;
    }

  if (g_str_equal (command, "import"))
    return members_import (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "export"))
    return members_export (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "list"))
    return members_list (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "show"))
    return members_show (ctx, argc - 1, argv + 1);

  return rg_cli_error (_("Unknown members command “%s”; use import, export, list or show"),
                       command);
}
