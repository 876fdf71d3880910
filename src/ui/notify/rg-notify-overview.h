/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "rg-notify-setting.h"
#include "rg-notify-stats.h"

G_BEGIN_DECLS

#define RG_TYPE_NOTIFY_OVERVIEW (rg_notify_overview_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyOverview, rg_notify_overview, RG, NOTIFY_OVERVIEW, GObject)

RgNotifyOverview    *rg_notify_overview_new         (RgNotifySetting     *setting,
                                                     const RgNotifyStats *stats);
RgNotifySetting     *rg_notify_overview_get_setting (RgNotifyOverview    *self);
const char          *rg_notify_overview_get_id      (RgNotifyOverview    *self);
const RgNotifyStats *rg_notify_overview_get_stats   (RgNotifyOverview    *self);

G_END_DECLS
