/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-channel-settings.h"
#include "rg-notify-dispatcher.h"
#include "rg-server.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_SERVICE_PORT_FROM_SETTINGS (-1)

#define RG_TYPE_SERVICE (rg_service_get_type ())

G_DECLARE_FINAL_TYPE (RgService, rg_service, RG, SERVICE, GObject)

RgService         *rg_service_new           (RgStore              *store);
RgStore           *rg_service_get_store     (RgService            *self);
RgChannelSettings *rg_service_get_settings  (RgService            *self);
RgServer          *rg_service_get_server    (RgService            *self);
RgNotifyDispatcher *rg_service_get_dispatcher (RgService          *self);
gboolean           rg_service_get_running   (RgService            *self);
void               rg_service_start_async   (RgService            *self,
                                             const char           *address,
                                             int                   port,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean           rg_service_start_finish  (RgService            *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void               rg_service_stop          (RgService            *self);

G_END_DECLS
