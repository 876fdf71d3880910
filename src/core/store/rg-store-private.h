/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-store.h"

G_BEGIN_DECLS

/* One schema step. Migrations are numbered 1, 2, 3 … without gaps; each runs in its own
 * transaction together with the PRAGMA user_version that records it. */
typedef struct
{
  int         version;
  const char *sql;
} RgMigration;

const RgMigration *_rg_store_get_migrations     (guint              *n_migrations);
RgStore           *_rg_store_open_with_migrations (const char        *path,
                                                   const RgMigration *migrations,
                                                   guint              n_migrations,
                                                   GError           **error);
void               _rg_store_set_error_from_db   (RgStore           *self,
                                                  GError           **error,
                                                  const char        *doing);

G_END_DECLS
