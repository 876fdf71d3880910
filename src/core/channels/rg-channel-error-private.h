/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-channel-error.h"

G_BEGIN_DECLS

GError *_rg_channel_error_new                (RgChannelError  code,
                                              guint           http_status,
                                              const char     *platform_code,
                                              gint64          retry_after,
                                              const char     *request_id,
                                              const char     *message);
GError *_rg_channel_error_new_literal        (RgChannelError  code,
                                              const char     *message);
gint64  _rg_channel_error_parse_retry_after  (const char     *value,
                                              GDateTime      *now);

G_END_DECLS
