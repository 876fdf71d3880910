/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-fake-platform.h"

G_BEGIN_DECLS

#define RG_FAKE_WECHAT_APP_ID     "wx0123456789abcdef"
#define RG_FAKE_WECHAT_APP_SECRET "fake-wechat-app-secret"

#define RG_TYPE_FAKE_WECHAT (rg_fake_wechat_get_type ())

G_DECLARE_FINAL_TYPE (RgFakeWeChat, rg_fake_wechat, RG, FAKE_WECHAT, RgFakePlatform)

RgFakeWeChat *rg_fake_wechat_new            (void);
void          rg_fake_wechat_set_expires_in (RgFakeWeChat *self,
                                             gint64        expires_in);
void          rg_fake_wechat_expire_tokens  (RgFakeWeChat *self);
void          rg_fake_wechat_fail_errcode   (RgFakeWeChat *self,
                                             const char   *path,
                                             guint         count,
                                             gint          errcode,
                                             const char   *errmsg);

char         *rg_fake_wechat_give_card      (RgFakeWeChat *self,
                                             const char   *card_id,
                                             const char   *openid);
char         *rg_fake_wechat_build_card_event (const char *event,
                                               const char *openid,
                                               const char *card_id,
                                               const char *code,
                                               gint64      create_time);
gboolean      rg_fake_wechat_verify_server  (RgFakeWeChat  *self,
                                             const char    *webhook_url,
                                             const char    *token,
                                             const char    *echostr,
                                             guint         *status,
                                             char         **response,
                                             GError       **error);
gboolean      rg_fake_wechat_deliver_event  (RgFakeWeChat  *self,
                                             const char    *webhook_url,
                                             const char    *token,
                                             const char    *xml,
                                             guint         *status,
                                             GError       **error);
gboolean      rg_fake_wechat_deliver_event_full (RgFakeWeChat  *self,
                                                 const char    *webhook_url,
                                                 const char    *token,
                                                 const char    *xml,
                                                 const char    *extra_query,
                                                 guint         *status,
                                                 char         **response,
                                                 GError       **error);

G_END_DECLS
