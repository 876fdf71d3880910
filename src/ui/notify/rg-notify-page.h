/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-notify-setting-store.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_PAGE (rg_notify_page_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyPage, rg_notify_page, RG, NOTIFY_PAGE, GtkWidget)

GtkWidget            *rg_notify_page_new             (void);
RgStore              *rg_notify_page_get_store       (RgNotifyPage *self);
void                  rg_notify_page_set_store       (RgNotifyPage *self,
                                                      RgStore      *store);
RgNotifySettingStore *rg_notify_page_get_settings    (RgNotifyPage *self);
guint                 rg_notify_page_get_period_days (RgNotifyPage *self);
void                  rg_notify_page_set_period_days (RgNotifyPage *self,
                                                      guint         days);
void                  rg_notify_page_reload          (RgNotifyPage *self);
gboolean              rg_notify_page_select_setting  (RgNotifyPage *self,
                                                      const char   *setting_id);

G_END_DECLS
