/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RG_ATTRIBUTE_TYPE_TEXT,
  RG_ATTRIBUTE_TYPE_NUMBER,
  RG_ATTRIBUTE_TYPE_DATE,
  RG_ATTRIBUTE_TYPE_YES_NO,
} RgAttributeType;

#define RG_TYPE_ATTRIBUTE_TYPE (rg_attribute_type_get_type ())
#define RG_TYPE_ATTRIBUTE_DEFINITION (rg_attribute_definition_get_type ())

GType rg_attribute_type_get_type (void);

G_DECLARE_FINAL_TYPE (RgAttributeDefinition, rg_attribute_definition, RG, ATTRIBUTE_DEFINITION, GObject)

const char            *rg_attribute_type_to_string          (RgAttributeType         type);
gboolean               rg_attribute_type_from_string        (const char             *string,
                                                             RgAttributeType        *type);
const char            *rg_attribute_type_get_label          (RgAttributeType         type);
gboolean               rg_attribute_type_normalize          (RgAttributeType         type,
                                                             const char             *input,
                                                             char                  **normalized,
                                                             GError                **error);

gboolean               rg_attribute_key_is_valid            (const char             *key);

RgAttributeDefinition *rg_attribute_definition_new          (const char             *key,
                                                             const char             *label,
                                                             RgAttributeType         type);
RgAttributeDefinition *rg_attribute_definition_copy         (RgAttributeDefinition  *self);
const char            *rg_attribute_definition_get_key      (RgAttributeDefinition  *self);
void                   rg_attribute_definition_set_key      (RgAttributeDefinition  *self,
                                                             const char             *key);
const char            *rg_attribute_definition_get_label    (RgAttributeDefinition  *self);
void                   rg_attribute_definition_set_label    (RgAttributeDefinition  *self,
                                                             const char             *label);
RgAttributeType        rg_attribute_definition_get_value_type (RgAttributeDefinition *self);
void                   rg_attribute_definition_set_value_type (RgAttributeDefinition *self,
                                                             RgAttributeType         type);
int                    rg_attribute_definition_get_position (RgAttributeDefinition  *self);
void                   rg_attribute_definition_set_position (RgAttributeDefinition  *self,
                                                             int                     position);

G_END_DECLS
