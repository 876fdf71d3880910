/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-notify-test-dialog.h"

G_BEGIN_DECLS

/* For UI tests. */
AdwEntryRow *_rg_notify_test_dialog_get_phone_row   (RgNotifyTestDialog *self);
AdwEntryRow *_rg_notify_test_dialog_get_value_row   (RgNotifyTestDialog *self,
                                                     const char         *variable);
const char  *_rg_notify_test_dialog_get_field_error (RgNotifyTestDialog *self,
                                                     const char         *field);

G_END_DECLS
