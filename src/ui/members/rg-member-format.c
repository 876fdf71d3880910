/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-members-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-member-format.h"

/* One process shows one shop: the window sets its currency when it opens the database. */
static char *shop_currency;

void
rg_format_set_shop_currency (const char *currency)
{
  g_free (shop_currency);
  shop_currency = g_strdup (currency);
}

/**
 * rg_format_get_shop_currency:
 *
 * Returns: the currency amounts on screen are in (ISO 4217), "TWD" before a database is open
 */
const char *
rg_format_get_shop_currency (void)
{
  return shop_currency != NULL ? shop_currency : "TWD";
}

/**
 * rg_format_date:
 *
 * Returns: (transfer full): the local date of @unix_time, "2024-05-01"; "" for 0
 */
char *
rg_format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0 || (time = g_date_time_new_from_unix_local (unix_time)) == NULL)
    return g_strdup ("");

  return g_date_time_format (time, "%Y-%m-%d");
}

/**
 * rg_format_date_time:
 *
 * Returns: (transfer full): the local time of @unix_time, "2024-05-01 14:03"; "" for 0
 */
char *
rg_format_date_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0 || (time = g_date_time_new_from_unix_local (unix_time)) == NULL)
    return g_strdup ("");

  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

/**
 * rg_format_member_count:
 * @searching: whether @count is the result of a search
 *
 * Returns: (transfer full): "12,345 members", or "3 found" for a search
 */
char *
rg_format_member_count (guint64  count,
                        gboolean searching)
{
  g_autofree char *number = rg_format_integer ((gint64) MIN (count, G_MAXINT64));
  gulong n = (gulong) MIN (count, G_MAXULONG);

  if (searching)
    /* Translators: the number of members a search found, "3 found" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s found", "%s found", n), number);

  /* Translators: the number of members in the database, "12,345 members" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s member", "%s members", n), number);
}
