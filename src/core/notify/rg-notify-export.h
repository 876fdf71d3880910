/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-store.h"

G_BEGIN_DECLS

gboolean  rg_notify_export_csv          (RgStore              *store,
                                         GOutputStream        *stream,
                                         GDateTime            *from,
                                         GDateTime            *to,
                                         guint64              *n_rows,
                                         GCancellable         *cancellable,
                                         GError              **error);
gboolean  rg_notify_export_to_file      (RgStore              *store,
                                         GFile                *file,
                                         GDateTime            *from,
                                         GDateTime            *to,
                                         guint64              *n_rows,
                                         GCancellable         *cancellable,
                                         GError              **error);
void      rg_notify_export_async        (RgStore              *store,
                                         GFile                *file,
                                         GDateTime            *from,
                                         GDateTime            *to,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  rg_notify_export_finish       (GAsyncResult         *result,
                                         guint64              *n_rows,
                                         GError              **error);

G_END_DECLS
