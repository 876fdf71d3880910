/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-service.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_APPLICATION (rg_application_get_type ())

G_DECLARE_FINAL_TYPE (RgApplication, rg_application, RG, APPLICATION, AdwApplication)

RgApplication *rg_application_new               (GApplicationFlags  flags);
RgStore       *rg_application_get_store         (RgApplication     *self);
RgService     *rg_application_get_service       (RgApplication     *self);
void           rg_application_set_database      (RgApplication     *self,
                                                 const char        *path,
                                                 gboolean           demo);

G_END_DECLS
