/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TYPE_ATTRIBUTE_EDITOR (rg_attribute_editor_get_type ())

G_DECLARE_FINAL_TYPE (RgAttributeEditor, rg_attribute_editor, RG, ATTRIBUTE_EDITOR, GtkWidget)

GtkWidget *rg_attribute_editor_new  (RgMemberStore         *member_store,
                                     RgAttributeDefinition *definition);
gboolean   rg_attribute_editor_save (RgAttributeEditor     *self);

G_END_DECLS
