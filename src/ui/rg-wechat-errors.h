/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What was asked of WeChat; the advice after a failure says to ask again. */
typedef enum
{
  RG_WECHAT_REQUEST_PUSH,
  RG_WECHAT_REQUEST_ACTIVATE,
} RgWeChatRequest;

char *rg_wechat_describe_credentials_error (const GError    *error,
                                            RgWeChatRequest  request);

G_END_DECLS
