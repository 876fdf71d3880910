/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-center"

#include "config.h"

#include "rg-card-responder.h"
#include "rg-card-wechat.h"
#include "rg-member-center.h"

/* What member cards add to the service (RgService, which the GUI and `regulars-cli serve`
 * share): the /m/<token> route, the keyword and quick-reply answers on the webhooks, WeChat's
 * card events (a card taken activates the member) and the WeChat card updates. The route and the signal handlers belong to the server, the WeChat
 * pusher to a handler of the service's "running", so everything lives exactly as long as
 * the service and needs no field of its own there. The link key is read (or made) from the
 * keyring on first use, by the first page or link. */

static void
wechat_running_cb (RgService    *service,
                   GParamSpec   *pspec,
                   RgCardWeChat *wechat)
{
  /* Only the process that holds the service lock pushes, so no change goes out twice. */
  if (rg_service_get_running (service))
    rg_card_wechat_start (wechat);
  else
    rg_card_wechat_stop (wechat);
}

/**
 * rg_member_center_add_to_service:
 * @service: a new service
 *
 * Adds the member cards' route, webhook answers and background work to @service.
 */
void
rg_member_center_add_to_service (RgService *service)
{
  g_autoptr(RgMemberCenter) center = NULL;
  g_autoptr(RgCardResponder) responder = NULL;
  g_autoptr(RgCardWeChat) wechat = NULL;
  RgServer *server;

  g_return_if_fail (RG_IS_SERVICE (service));

  server = rg_service_get_server (service);
  center = rg_member_center_new (rg_service_get_store (service),
                                 rg_service_get_settings (service));
  rg_member_center_attach (center, server);

  responder = rg_card_responder_new (center);
  rg_card_responder_attach (responder, server);

  wechat = rg_card_wechat_new (rg_service_get_store (service), rg_service_get_settings (service));
  rg_card_wechat_attach (wechat, server);
  g_signal_connect_data (service, "notify::running", G_CALLBACK (wechat_running_cb),
                         g_object_ref (wechat), (GClosureNotify) g_object_unref, 0);
}
