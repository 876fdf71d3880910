/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-notify-setting.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_TEST_DIALOG (rg_notify_test_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyTestDialog, rg_notify_test_dialog, RG, NOTIFY_TEST_DIALOG, AdwWindow)

RgNotifyTestDialog *rg_notify_test_dialog_new         (GtkWindow          *parent,
                                                       RgStore            *store,
                                                       RgNotifySetting    *setting);
RgNotifySetting    *rg_notify_test_dialog_get_setting (RgNotifyTestDialog *self);
gboolean            rg_notify_test_dialog_send        (RgNotifyTestDialog *self);

G_END_DECLS
