/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-notify-setting.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_SETTING_STORE (rg_notify_setting_store_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifySettingStore, rg_notify_setting_store,
                      RG, NOTIFY_SETTING_STORE, GObject)

RgNotifySettingStore *rg_notify_setting_store_new         (RgStore               *store);
RgStore              *rg_notify_setting_store_get_store   (RgNotifySettingStore  *self);
GListModel           *rg_notify_setting_store_list        (RgNotifySettingStore  *self,
                                                           GError               **error);
RgNotifySetting      *rg_notify_setting_store_get         (RgNotifySettingStore  *self,
                                                           const char            *id,
                                                           GError               **error);
gboolean              rg_notify_setting_store_create      (RgNotifySettingStore  *self,
                                                           RgNotifySetting       *setting,
                                                           GError               **error);
gboolean              rg_notify_setting_store_update      (RgNotifySettingStore  *self,
                                                           RgNotifySetting       *setting,
                                                           GError               **error);
RgNotifySetting      *rg_notify_setting_store_duplicate   (RgNotifySettingStore  *self,
                                                           const char            *id,
                                                           GError               **error);
gboolean              rg_notify_setting_store_set_enabled (RgNotifySettingStore  *self,
                                                           const char            *id,
                                                           gboolean               enabled,
                                                           GError               **error);

G_END_DECLS
