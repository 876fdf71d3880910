/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_TEMPLATE_ERROR (rg_template_error_quark ())

typedef enum
{
  RG_TEMPLATE_ERROR_SYNTAX,
  RG_TEMPLATE_ERROR_MISSING_VARIABLE,
} RgTemplateError;

GQuark      rg_template_error_quark (void);
gboolean    rg_template_parse       (const char  *text,
                                     GPtrArray  **variables,
                                     GError     **error);
char       *rg_template_render      (const char  *text,
                                     GHashTable  *values,
                                     GError     **error);

G_END_DECLS
