/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "members/rg-attribute-editor.h"
#include "rg-preferences-window.h"

G_BEGIN_DECLS

/* For UI tests. */
AdwComboRow       *_rg_preferences_window_get_region_row       (RgPreferencesWindow *self);
GListModel        *_rg_preferences_window_get_region_codes     (RgPreferencesWindow *self);
RgAttributeEditor *_rg_preferences_window_get_attribute_editor (RgPreferencesWindow *self);
guint              _rg_preferences_window_get_n_attribute_rows (RgPreferencesWindow *self);
void               _rg_preferences_window_edit_attribute       (RgPreferencesWindow *self,
                                                                guint                position);
void               _rg_preferences_window_remove_attribute     (RgPreferencesWindow *self,
                                                                guint                position);

G_END_DECLS
