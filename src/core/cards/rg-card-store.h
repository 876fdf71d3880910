/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-card-design.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_STORE (rg_card_store_get_type ())

G_DECLARE_FINAL_TYPE (RgCardStore, rg_card_store, RG, CARD_STORE, GObject)

RgCardStore  *rg_card_store_new          (RgStore        *store);
RgStore      *rg_card_store_get_store    (RgCardStore    *self);
RgCardDesign *rg_card_store_load         (RgCardStore    *self,
                                          RgCardChannel   channel,
                                          GError        **error);
gboolean      rg_card_store_is_saved     (RgCardStore    *self,
                                          RgCardChannel   channel,
                                          gboolean       *saved,
                                          GError        **error);
gboolean      rg_card_store_save         (RgCardStore    *self,
                                          RgCardDesign   *design,
                                          GError        **error);
char         *rg_card_store_dup_currency (RgCardStore    *self);

G_END_DECLS
