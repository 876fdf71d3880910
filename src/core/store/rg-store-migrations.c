/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-store"

#include "config.h"

#include "rg-store-private.h"

/* Append new steps at the end; never edit a step that has shipped, because databases in the
 * field have already run it. */
static const RgMigration migrations[] = {
  {
    1,
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE shop_profile ("
    "  id             INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name           TEXT NOT NULL DEFAULT '',"
    "  default_region TEXT NOT NULL DEFAULT 'TW' CHECK (length (default_region) = 2),"
    "  currency       TEXT NOT NULL DEFAULT 'TWD' CHECK (length (currency) = 3),"
    "  timezone       TEXT NOT NULL DEFAULT 'Asia/Taipei',"
    "  created_at     INTEGER NOT NULL DEFAULT (unixepoch ())"
    ") STRICT;"
    "INSERT INTO shop_profile (id) VALUES (1);"
  },
};

const RgMigration *
_rg_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
