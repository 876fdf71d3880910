/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rg-card-data.h"
#include "rg-card-link.h"
#include "rg-card-renderer.h"
#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-cli.h"
#include "rg-member-store.h"

/* `regulars-cli cards …`: the Member Cards page without a screen. `render` draws through the
 * same renderer as the designer's preview, so its PNG is what the preview shows. */

static gboolean
parse_channel (const char     *name,
               RgCardChannel  *channel,
               GError        **error)
{
  if (name == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--channel is required (whatsapp, line or wechat)"));
      return FALSE;
    }
  if (!rg_card_channel_from_string (name, channel))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--channel “%s” is not a card channel; use whatsapp, line or wechat"),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* Says what is missing when @value, a required option's, is %NULL. */
static gboolean
require_option (const char *value,
                const char *missing)
{
  if (value != NULL)
    return TRUE;

  g_printerr ("regulars-cli: %s\n", missing);
  return FALSE;
}

/* Not finding the member is an error too. */
static RgMember *
find_member (RgMemberStore  *members,
             const char     *number,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  RgMember *member;

  if ((member = rg_member_store_find_by_member_number (members, number, &local_error)) != NULL)
    return member;

  if (local_error == NULL)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No member has the member number “%s”"), number);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* The channel settings of @store, with the keyring that holds their secrets. */
static RgChannelSettings *
new_channel_settings (RgStore *store)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();

  return rg_channel_settings_new (store, secrets);
}

static RgCardWeChat *
new_card_wechat (RgStore *store)
{
  g_autoptr(RgChannelSettings) settings = new_channel_settings (store);

  return rg_card_wechat_new (store, settings);
}

static RgCardData *
load_member_data (RgCardStore  *cards,
                  const char   *number,
                  GError      **error)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (rg_card_store_get_store (cards));
  g_autofree char *currency = rg_card_store_dup_currency (cards);
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GListModel) attributes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(member = find_member (members, number, error)))
    return NULL;

  /* Without the definitions yes/no attributes read "yes"/"no"; still worth a card. */
  attributes = rg_member_store_list_attributes (members, &local_error);
  if (attributes == NULL)
    g_warning ("Attribute definitions unavailable: %s", local_error->message);
  return rg_card_data_new_for_member (member, attributes, currency);
}

static int
cards_render (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autofree char *channel_name = NULL;
  g_autofree char *number = NULL;
  g_autofree char *output = NULL;
  gboolean sample = FALSE;
  double scale = 1.0;
  const GOptionEntry entries[] = {
    { "channel", 'c', 0, G_OPTION_ARG_STRING, &channel_name,
      N_("The channel whose design to draw: whatsapp, line or wechat"), N_("CHANNEL") },
    { "member", 'm', 0, G_OPTION_ARG_STRING, &number,
      N_("The member number of the member to draw"), N_("NUMBER") },
    { "sample", 0, 0, G_OPTION_ARG_NONE, &sample,
      N_("Draw the designer's sample member instead"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The PNG file to write"), N_("FILE") },
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &scale,
      N_("Pixels per preview pixel (1 = 360 pixels wide, 2 for print)"), N_("S") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) problem = NULL;
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(RgCardData) data = NULL;
  g_autoptr(GBytes) png = NULL;
  RgCardChannel channel;
  RgStore *store;
  int width, height;

  g_option_context_set_summary (context,
                                _("Draw a member's card as the designer's preview shows it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!parse_channel (channel_name, &channel, &error))
    return rg_cli_fail (error);
  if ((number == NULL) == !sample)
    return rg_cli_error ("%s", _("give either --member NUMBER or --sample"));
  if (!require_option (output, _("--output FILE is required")))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  cards = rg_card_store_new (store);
  if (!(design = rg_card_store_load (cards, channel, &error)))
    return rg_cli_fail (error);

  data = sample ? rg_card_data_new_sample () : load_member_data (cards, number, &error);
  if (data == NULL)
    return rg_cli_fail (error);

  if (!(png = rg_card_render_to_png_bytes (design, data, scale, &problem, &error)) ||
      !g_file_set_contents (output, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
    return rg_cli_fail (error);

  rg_card_get_size (design, scale, &width, &height);
  g_print (_("Wrote “%s” (%d×%d pixels).\n"), output, width, height);

  /* The PNG is written either way; a script still learns that the card shows a problem. */
  if (problem != NULL)
    return rg_cli_error (_("The card shows a problem instead of the barcode: %s"),
                         problem->message);
  return EXIT_SUCCESS;
}

static int
cards_export_import (RgCliContext  *ctx,
                     int            argc,
                     char         **argv,
                     gboolean       import)
{
  g_autofree char *channel_name = NULL;
  const GOptionEntry entries[] = {
    { "channel", 'c', 0, G_OPTION_ARG_STRING, &channel_name,
      N_("The channel whose design to move: whatsapp, line or wechat"), N_("CHANNEL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  RgCardChannel channel;
  RgStore *store;
  const char *file;

  g_option_context_set_summary (context,
                                import ? _("Replace a channel's card design with one from a JSON "
                                           "file (images embedded). “-” reads standard input.")
                                       : _("Write a channel's card design as JSON, images "
                                           "embedded. “-” writes to standard output."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!parse_channel (channel_name, &channel, &error))
    return rg_cli_fail (error);
  if (argc != 2)
    {
      g_printerr ("regulars-cli: %s\n",
                  import ? _("usage: cards import --channel CHANNEL FILE")
                         : _("usage: cards export --channel CHANNEL FILE"));
      return EXIT_FAILURE;
    }
  file = argv[1];

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  cards = rg_card_store_new (store);

  if (import)
    {
      g_autofree char *json = NULL;
      gsize length;

      if (g_str_equal (file, "-"))
        {
          GString *buffer = g_string_new (NULL);
          char chunk[4096];
          gsize n;

          while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
            g_string_append_len (buffer, chunk, n);
          length = buffer->len;
          json = g_string_free (buffer, FALSE);
        }
      else if (!g_file_get_contents (file, &json, &length, &error))
        return rg_cli_fail (error);

      if (!(design = rg_card_design_from_json (channel, json, length, &error)))
        {
          g_printerr ("regulars-cli: %s: %s\n", file, error->message);
          return EXIT_FAILURE;
        }
      if (!rg_card_store_save (cards, design, &error))
        return rg_cli_fail (error);
      g_print (_("Imported the %s card design from “%s”.\n"),
               rg_card_channel_get_display_name (channel), file);
    }
  else
    {
      g_autofree char *json = NULL;

      if (!(design = rg_card_store_load (cards, channel, &error)))
        return rg_cli_fail (error);
      json = rg_card_design_to_json (design);
      if (g_str_equal (file, "-"))
        {
          fputs (json, stdout);
          fputc ('\n', stdout);
        }
      else
        {
          if (!g_file_set_contents (file, json, -1, &error))
            return rg_cli_fail (error);
          g_print (_("Exported the %s card design to “%s”.\n"),
                   rg_card_channel_get_display_name (channel), file);
        }
    }
  return EXIT_SUCCESS;
}

static int
cards_link (RgCliContext  *ctx,
            int            argc,
            char         **argv)
{
  g_autofree char *channel_name = NULL;
  g_autofree char *number = NULL;
  const GOptionEntry entries[] = {
    { "channel", 'c', 0, G_OPTION_ARG_STRING, &channel_name,
      N_("The channel whose card the page shows: whatsapp, line or wechat"), N_("CHANNEL") },
    { "member", 'm', 0, G_OPTION_ARG_STRING, &number,
      N_("The member number of the member"), N_("NUMBER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgChannelSettings) settings = NULL;
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(RgCardLink) link = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  RgCardChannel channel;
  RgStore *store;

  g_option_context_set_summary (context,
                                _("Print a fresh member-center link (valid for 30 minutes) on "
                                  "the public base URL."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!parse_channel (channel_name, &channel, &error))
    return rg_cli_fail (error);
  if (!require_option (number, _("--member NUMBER is required")))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  settings = new_channel_settings (store);
  link = rg_card_link_new (settings);

  /* Before the keyring is asked for (or given) a key; the message says how to set it. */
  base = rg_channel_settings_dup_public_base_url (settings);
  if (base == NULL)
    {
      g_autofree char *unused = rg_card_link_build_url (link, "", &error);

      return rg_cli_fail (error);
    }

  members = rg_member_store_new (store);
  if (!(member = find_member (members, number, &error)))
    return rg_cli_fail (error);

  cards = rg_card_store_new (store);
  if (!(design = rg_card_store_load (cards, channel, &error)))
    return rg_cli_fail (error);
  if (!rg_card_design_get_enabled (design) || !rg_card_design_get_member_center_enabled (design))
    {
      g_printerr ("regulars-cli: ");
      g_printerr (_("Note: the %s card or its member center is switched off, so the link shows "
                    "that the member card is disabled."),
                  rg_card_channel_get_display_name (channel));
      g_printerr ("\n");
    }

  rg_card_link_issue_async (link, rg_member_get_id (member), channel, NULL, rg_cli_wait_cb,
                            &result);
  if (!(url = rg_card_link_issue_finish (link, rg_cli_wait_for (&result), &error)))
    return rg_cli_fail (error);

  g_print ("%s\n", url);
  return EXIT_SUCCESS;
}

static int
cards_push_wechat (RgCliContext  *ctx,
                   int            argc,
                   char         **argv)
{
  g_autofree char *logo_url = NULL;
  g_autofree char *brand_name = NULL;
  const GOptionEntry entries[] = {
    { "logo-url", 0, 0, G_OPTION_ARG_STRING, &logo_url,
      N_("Save the logo's URL, as WeChat's media/uploadimg gave it"), N_("URL") },
    { "brand-name", 0, 0, G_OPTION_ARG_STRING, &brand_name,
      N_("Save the name on the card (at most 12 characters; default: the shop's name)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCardWeChat) wechat = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *card_id = NULL;
  gboolean created = FALSE;
  RgStore *store;

  g_option_context_set_summary (context,
                                _("Create the WeChat member card from the WeChat design, or "
                                  "update it when it exists."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  wechat = new_card_wechat (store);

  if ((logo_url != NULL && !rg_card_wechat_set_logo_url (wechat, logo_url, &error)) ||
      (brand_name != NULL && !rg_card_wechat_set_brand_name (wechat, brand_name, &error)))
    return rg_cli_fail (error);

  rg_card_wechat_push_design_async (wechat, NULL, rg_cli_wait_cb, &result);
  if (!(card_id = rg_card_wechat_push_design_finish (wechat, rg_cli_wait_for (&result),
                                                     &created, &error)))
    return rg_cli_fail (error);

  if (created)
    g_print (_("Created the WeChat member card %s.\n"), card_id);
  else
    g_print (_("Updated the WeChat member card %s.\n"), card_id);
  return EXIT_SUCCESS;
}

static int
cards_activate_wechat (RgCliContext  *ctx,
                       int            argc,
                       char         **argv)
{
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;
  const GOptionEntry entries[] = {
    { "member", 'm', 0, G_OPTION_ARG_STRING, &number,
      N_("The member number of the member"), N_("NUMBER") },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code,
      N_("The code of the member's card in WeChat (default: the one WeChat sent when the "
         "customer took the card)"), N_("CODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCardWeChat) wechat = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *activated = NULL;
  RgStore *store;

  g_option_context_set_summary (context,
                                _("Activate a member's WeChat member card with their member "
                                  "number, points and stored value; from then on their balance "
                                  "changes are pushed to the card."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rg_cli_parse (context, &argc, &argv))
    return EXIT_FAILURE;

  if (!require_option (number, _("--member NUMBER is required")))
    return EXIT_FAILURE;

  if (!(store = rg_cli_open_store (ctx, &error)))
    return rg_cli_fail (error);
  members = rg_member_store_new (store);
  if (!(member = find_member (members, number, &error)))
    return rg_cli_fail (error);

  wechat = new_card_wechat (store);

  rg_card_wechat_activate_member_async (wechat, rg_member_get_id (member), code, NULL,
                                        rg_cli_wait_cb, &result);
  if (!rg_card_wechat_activate_member_finish (wechat, rg_cli_wait_for (&result), &error))
    return rg_cli_fail (error);

  activated = rg_card_wechat_dup_member_code (wechat, rg_member_get_id (member), &error);
  if (activated == NULL)
    return rg_cli_fail (error);
  g_print (_("Activated the WeChat member card %s of member “%s”.\n"), activated,
           rg_member_get_member_number (member));
  return EXIT_SUCCESS;
}

int
rg_cli_cards (RgCliContext  *ctx,
              int            argc,
              char         **argv)
{
  const char *command;

  /* Options belong to the subcommands, so dispatch before any parsing. */
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *stream = argc < 2 ? stderr : stdout;

      fprintf (stream, "%s\n\n",
               _("Usage: regulars-cli cards render|export|import|link|push-wechat|"
                 "activate-wechat [OPTION…]"));
      fprintf (stream, "  %-15s %s\n", "render", _("Draw a member's card as PNG"));
      fprintf (stream, "  %-15s %s\n", "export", _("Write a channel's card design as JSON"));
      fprintf (stream, "  %-15s %s\n", "import", _("Replace a channel's card design from JSON"));
      fprintf (stream, "  %-15s %s\n", "link", _("Print a fresh member-center link"));
      fprintf (stream, "  %-15s %s\n", "push-wechat",
               _("Create or update the WeChat member card"));
      fprintf (stream, "  %-15s %s\n", "activate-wechat",
               _("Activate a member's WeChat member card"));
      return argc < 2 ? EXIT_FAILURE : EXIT_SUCCESS;
    }

  command = argv[1];
  if (g_str_equal (command, "render") || g_str_equal (command, "export") ||
      g_str_equal (command, "import") || g_str_equal (command, "link") ||
      g_str_equal (command, "push-wechat") || g_str_equal (command, "activate-wechat"))
    {
      g_autofree char *prgname = g_strdup_printf ("regulars-cli cards %s", command);

      g_set_prgname (prgname);
    }
  if (g_str_equal (command, "render"))
    return cards_render (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "export"))
    return cards_export_import (ctx, argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "import"))
    return cards_export_import (ctx, argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "link"))
    return cards_link (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "push-wechat"))
    return cards_push_wechat (ctx, argc - 1, argv + 1);
  if (g_str_equal (command, "activate-wechat"))
    return cards_activate_wechat (ctx, argc - 1, argv + 1);

  return rg_cli_error (_("Unknown cards command “%s”; use render, export, import, link, "
                         "push-wechat or activate-wechat"),
                       command);
}
