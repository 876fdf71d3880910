/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-editor.h"

G_BEGIN_DECLS

/* For UI tests. */
AdwEntryRow   *_rg_notify_editor_get_name_row     (RgNotifyEditor *self);
GtkLabel      *_rg_notify_editor_get_name_count   (RgNotifyEditor *self);
AdwComboRow   *_rg_notify_editor_get_scenario_row (RgNotifyEditor *self);
GtkSwitch     *_rg_notify_editor_get_step_switch  (RgNotifyEditor *self,
                                                   RgNotifySteps   step);
AdwEntryRow   *_rg_notify_editor_get_footer_row   (RgNotifyEditor *self);
GtkSpinButton *_rg_notify_editor_get_wait_spin    (RgNotifyEditor *self);
GtkDropDown   *_rg_notify_editor_get_wait_unit    (RgNotifyEditor *self);
GtkTextBuffer *_rg_notify_editor_get_line_buffer  (RgNotifyEditor *self);
GtkTextBuffer *_rg_notify_editor_get_sms_buffer   (RgNotifyEditor *self);
GtkLabel      *_rg_notify_editor_get_sms_counter  (RgNotifyEditor *self);
const char    *_rg_notify_editor_get_field_error  (RgNotifyEditor *self,
                                                   const char     *field);
AdwEntryRow   *_rg_notify_editor_get_sample_row   (RgNotifyEditor *self,
                                                   const char     *variable);
const char    *_rg_notify_editor_get_preview      (RgNotifyEditor *self,
                                                   RgNotifySteps   step);

G_END_DECLS
