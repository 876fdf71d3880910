/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The currency of shop_profile; the core has no accessor for it yet and every shop so far
 * is in Taiwan. */
#define RG_SHOP_CURRENCY "TWD"

char       *rg_format_integer        (gint64      value);
char       *rg_format_signed_integer (gint64      value);
char       *rg_format_money          (gint64      minor_units,
                                      const char *currency);
char       *rg_format_signed_money   (gint64      minor_units,
                                      const char *currency);
guint       rg_currency_get_digits   (const char *currency);
const char *rg_currency_get_symbol   (const char *currency);
char       *rg_format_date           (gint64      unix_time);
char       *rg_format_date_time      (gint64      unix_time);
char       *rg_format_member_count   (guint64     count,
                                      gboolean    searching);

G_END_DECLS
