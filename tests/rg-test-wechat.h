/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rg-card-wechat.h"
#include "rg-fake-wechat.h"
#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TEST_WECHAT_LOGO_URL "https://mmbiz.qpic.cn/mmbiz/regulars-logo/0"

RgFakeWeChat *rg_test_wechat_start_fake    (RgChannelSettings  *settings,
                                            SoupServer        **soup);
gint64        rg_test_wechat_add_member    (RgMemberStore      *members,
                                            const char         *number,
                                            const char         *openid);
RgCardWeChat *rg_test_wechat_new_card      (RgStore            *store,
                                            RgChannelSettings  *settings);
guint         rg_test_wechat_sync          (RgCardWeChat       *wechat);
void          rg_test_wechat_assert_pushes (RgCardWeChat       *wechat,
                                            guint               pending,
                                            guint               failed);
JsonObject   *rg_test_wechat_last_body     (RgFakeWeChat       *fake,
                                            const char         *path,
                                            JsonNode          **root);

G_END_DECLS
