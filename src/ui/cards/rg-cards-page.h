/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-card-editor.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_CARDS_PAGE (rg_cards_page_get_type ())

G_DECLARE_FINAL_TYPE (RgCardsPage, rg_cards_page, RG, CARDS_PAGE, GtkWidget)

GtkWidget     *rg_cards_page_new                 (void);
RgStore       *rg_cards_page_get_store           (RgCardsPage   *self);
void           rg_cards_page_set_store           (RgCardsPage   *self,
                                                  RgStore       *store);
RgCardEditor  *rg_cards_page_get_editor          (RgCardsPage   *self,
                                                  RgCardChannel  channel);
RgCardChannel  rg_cards_page_get_visible_channel (RgCardsPage   *self);
void           rg_cards_page_set_visible_channel (RgCardsPage   *self,
                                                  RgCardChannel  channel);

G_END_DECLS
