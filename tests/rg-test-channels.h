/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-channel-settings.h"
#include "rg-server.h"

G_BEGIN_DECLS

void  rg_test_channel_set        (RgChannelSettings *settings,
                                  const char        *channel,
                                  const char        *field,
                                  const char        *value);
void  rg_test_reload_credentials (RgServer          *server);
char *rg_test_server_listen      (RgServer          *server);

G_END_DECLS
