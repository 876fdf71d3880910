/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "rg-types.h"

G_BEGIN_DECLS

#define RG_STORE_ERROR (rg_store_error_quark ())

typedef enum
{
  RG_STORE_ERROR_OPEN,
  RG_STORE_ERROR_TOO_NEW,
  RG_STORE_ERROR_MIGRATION,
  RG_STORE_ERROR_SQL,
  RG_STORE_ERROR_CONSTRAINT,
  RG_STORE_ERROR_BUSY,
  RG_STORE_ERROR_NOT_EMPTY,
} RgStoreError;

/**
 * RgStoreTransactionFunc:
 * Body of a transaction. Return %FALSE with @error set to roll everything back.
 */
typedef gboolean (*RgStoreTransactionFunc) (RgStore   *store,
                                            gpointer   user_data,
                                            GError   **error);

#define RG_TYPE_STORE (rg_store_get_type ())

G_DECLARE_FINAL_TYPE (RgStore, rg_store, RG, STORE, GObject)

GQuark       rg_store_error_quark               (void);
char        *rg_store_default_path              (void);
RgStore     *rg_store_open                      (const char              *path,
                                                 GError                 **error);
const char  *rg_store_get_path                  (RgStore                 *self);
sqlite3     *rg_store_get_db                    (RgStore                 *self);
int          rg_store_get_schema_version        (RgStore                 *self);
int          rg_store_get_latest_schema_version (void);
gboolean     rg_store_is_new                    (RgStore                 *self);
gboolean     rg_store_exec                      (RgStore                 *self,
                                                 const char              *sql,
                                                 GError                 **error);
sqlite3_stmt *rg_store_prepare                  (RgStore                 *self,
                                                 const char              *sql,
                                                 GError                 **error);
gboolean     rg_store_step_done                 (RgStore                 *self,
                                                 sqlite3_stmt            *stmt,
                                                 GError                 **error);
gboolean     rg_store_transaction               (RgStore                 *self,
                                                 RgStoreTransactionFunc   func,
                                                 gpointer                 user_data,
                                                 GError                 **error);
gboolean     rg_store_get_meta                  (RgStore                 *self,
                                                 const char              *key,
                                                 char                   **value,
                                                 GError                 **error);
gboolean     rg_store_set_meta                  (RgStore                 *self,
                                                 const char              *key,
                                                 const char              *value,
                                                 GError                 **error);
char        *rg_store_dup_default_region        (RgStore                 *self);
char        *rg_store_dup_currency              (RgStore                 *self);
GTimeZone   *rg_store_dup_timezone              (RgStore                 *self);
gboolean     rg_store_set_default_region        (RgStore                 *self,
                                                 const char              *region,
                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
