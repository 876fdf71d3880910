/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_PHONE_ERROR (rg_phone_error_quark ())

typedef enum
{
  RG_PHONE_ERROR_EMPTY,
  RG_PHONE_ERROR_UNPARSABLE,
  RG_PHONE_ERROR_INVALID,
  RG_PHONE_ERROR_REGION,
} RgPhoneError;

GQuark       rg_phone_error_quark           (void);
char        *rg_phone_normalize             (const char  *input,
                                             const char  *default_region,
                                             GError     **error);
char        *rg_phone_format_national       (const char  *e164);
char        *rg_phone_format_international  (const char  *e164);
char        *rg_phone_national_digits       (const char  *e164);
char        *rg_phone_region_of             (const char  *e164);
gboolean     rg_phone_region_is_supported   (const char  *region);
const char  *rg_phone_region_get_name       (const char  *region);

G_END_DECLS
