/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

gboolean  rg_fts_register    (sqlite3     *db,
                              GError     **error);
char     *rg_fts_build_query (const char  *user_text);

G_END_DECLS
