/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rg-channel-settings.h"
#include "rg-line-client.h"
#include "rg-server.h"
#include "rg-sms-client.h"
#include "rg-store.h"

G_BEGIN_DECLS

/* How many requests are out at once, over all steps (one per step). */
#define RG_NOTIFY_DISPATCHER_MAX_IN_FLIGHT 16
/* Attempts of one step before a retryable error (429, 5xx, network) counts as a failure. */
#define RG_NOTIFY_DISPATCHER_MAX_ATTEMPTS  6

/**
 * RgNotifyClockFunc:
 * @user_data: the data given to rg_notify_dispatcher_set_clock()
 *
 * Returns: the time now, in microseconds since the Unix epoch (as g_get_real_time())
 */
typedef gint64 (*RgNotifyClockFunc) (gpointer user_data);

#define RG_TYPE_NOTIFY_DISPATCHER (rg_notify_dispatcher_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifyDispatcher, rg_notify_dispatcher, RG, NOTIFY_DISPATCHER, GObject)

RgNotifyDispatcher *rg_notify_dispatcher_new               (RgStore            *store,
                                                            RgChannelSettings  *settings);
RgStore            *rg_notify_dispatcher_get_store         (RgNotifyDispatcher *self);
void                rg_notify_dispatcher_set_line_client   (RgNotifyDispatcher *self,
                                                            RgLineClient       *client);
void                rg_notify_dispatcher_set_sms_client    (RgNotifyDispatcher *self,
                                                            RgSmsClient        *client);
void                rg_notify_dispatcher_set_clock         (RgNotifyDispatcher *self,
                                                            RgNotifyClockFunc   func,
                                                            gpointer            user_data);
void                rg_notify_dispatcher_start             (RgNotifyDispatcher *self);
void                rg_notify_dispatcher_stop              (RgNotifyDispatcher *self);
gboolean            rg_notify_dispatcher_get_running       (RgNotifyDispatcher *self);
void                rg_notify_dispatcher_wake              (RgNotifyDispatcher *self);
void                rg_notify_dispatcher_run_due           (RgNotifyDispatcher *self);
guint               rg_notify_dispatcher_get_n_in_flight   (RgNotifyDispatcher *self);
void                rg_notify_dispatcher_handle_line_event (RgNotifyDispatcher *self,
                                                            JsonObject         *event);
void                rg_notify_dispatcher_watch_server      (RgNotifyDispatcher *self,
                                                            RgServer           *server);

G_END_DECLS
