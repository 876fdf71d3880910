/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *rg_format_integer        (gint64      value);
char       *rg_format_signed_integer (gint64      value);
char       *rg_format_money          (gint64      minor_units,
                                      const char *currency);
char       *rg_format_signed_money   (gint64      minor_units,
                                      const char *currency);
guint       rg_currency_get_digits   (const char *currency);
const char *rg_currency_get_symbol   (const char *currency);

G_END_DECLS
