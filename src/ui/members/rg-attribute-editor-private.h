/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-attribute-editor.h"

G_BEGIN_DECLS

/* For UI tests: the inputs and the message under the row of @field ("key", "label" or
 * "type"; %NULL when none is shown). */
GtkEditable *_rg_attribute_editor_get_label_row (RgAttributeEditor *self);
GtkEditable *_rg_attribute_editor_get_key_row   (RgAttributeEditor *self);
AdwComboRow *_rg_attribute_editor_get_type_row  (RgAttributeEditor *self);
const char  *_rg_attribute_editor_get_error     (RgAttributeEditor *self,
                                                 const char        *field);

G_END_DECLS
