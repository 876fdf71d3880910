/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-notify-setting-store.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_EDITOR (rg_notify_editor_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyEditor, rg_notify_editor, RG, NOTIFY_EDITOR, AdwWindow)

RgNotifyEditor  *rg_notify_editor_new         (GtkWindow            *parent,
                                               RgNotifySettingStore *settings,
                                               RgNotifySetting      *setting);
RgNotifySetting *rg_notify_editor_get_setting (RgNotifyEditor       *self);
RgNotifySetting *rg_notify_editor_get_draft   (RgNotifyEditor       *self);
gboolean         rg_notify_editor_get_dirty   (RgNotifyEditor       *self);
gboolean         rg_notify_editor_save        (RgNotifyEditor       *self);

G_END_DECLS
