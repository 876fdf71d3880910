/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-demo.h"

/* Sample data for a newcomer: a tea shop in Taipei whose regulars talk to it on LINE. Every
 * feature that adds tables adds its sample rows here, so the demo shows a living app. */

static gboolean
populate_shop (RgStore  *store,
               GError  **error)
{
  return rg_store_exec (store,
                        "UPDATE shop_profile SET name = '晨葉茶行 Morning Leaf Tea House', "
                        "default_region = 'TW', currency = 'TWD', timezone = 'Asia/Taipei' "
                        "WHERE id = 1",
                        error) &&
         rg_store_set_meta (store, "demo", "1", error);
}

static gboolean
populate_all (RgStore   *store,
              gpointer   user_data,
              GError   **error)
{
  return populate_shop (store, error);
}

/**
 * rg_demo_populate:
 *
 * Fills a database that was just created with believable sample data, in one transaction.
 * A database that already holds data is refused, so a typo in `--database` cannot mix demo
 * rows into a shop's real records.
 */
gboolean
rg_demo_populate (RgStore  *store,
                  GError  **error)
{
  g_return_val_if_fail (RG_IS_STORE (store), FALSE);

  if (!rg_store_is_new (store))
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_NOT_EMPTY,
                   _("“%s” already exists; demo data goes only into a new database"),
                   rg_store_get_path (store));
      return FALSE;
    }

  return rg_store_transaction (store, populate_all, NULL, error);
}
