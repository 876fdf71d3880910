/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RG_TYPE_RELOAD_SPLITTER (rg_reload_splitter_get_type ())

G_DECLARE_FINAL_TYPE (RgReloadSplitter, rg_reload_splitter, RG, RELOAD_SPLITTER, GObject)

RgReloadSplitter *rg_reload_splitter_new       (GListModel       *model);
GListModel       *rg_reload_splitter_get_model (RgReloadSplitter *self);
void              rg_reload_splitter_set_model (RgReloadSplitter *self,
                                                GListModel       *model);

G_END_DECLS
