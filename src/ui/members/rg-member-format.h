/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rg-format.h"

G_BEGIN_DECLS

void        rg_format_set_shop_currency (const char *currency);
const char *rg_format_get_shop_currency (void);
char       *rg_format_date           (gint64      unix_time);
char       *rg_format_date_time      (gint64      unix_time);
char       *rg_format_member_count   (guint64     count,
                                      gboolean    searching);

G_END_DECLS
