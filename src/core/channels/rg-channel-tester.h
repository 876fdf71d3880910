/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-channel-kind.h"

G_BEGIN_DECLS

void     rg_channel_test_connection_async  (RgChannelKind         kind,
                                            GHashTable           *config,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean rg_channel_test_connection_finish (GAsyncResult         *result,
                                            char                **summary,
                                            GError              **error);

G_END_DECLS
