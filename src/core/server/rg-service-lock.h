/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RG_SERVICE_LOCK_ERROR (rg_service_lock_error_quark ())

typedef enum
{
  RG_SERVICE_LOCK_ERROR_HELD,
  RG_SERVICE_LOCK_ERROR_FAILED,
} RgServiceLockError;

#define RG_TYPE_SERVICE_LOCK (rg_service_lock_get_type ())

G_DECLARE_FINAL_TYPE (RgServiceLock, rg_service_lock, RG, SERVICE_LOCK, GObject)

GQuark         rg_service_lock_error_quark (void);
RgServiceLock *rg_service_lock_acquire     (const char     *database_path,
                                            GError        **error);
const char    *rg_service_lock_get_path    (RgServiceLock  *self);

G_END_DECLS
