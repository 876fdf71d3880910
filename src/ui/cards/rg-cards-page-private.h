/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-cards-page.h"

G_BEGIN_DECLS

/* The parts a UI test drives; the page itself needs none of these. */
GtkStack  *_rg_cards_page_get_stack          (RgCardsPage *self);
GtkWidget *_rg_cards_page_get_unsaved_label  (RgCardsPage *self);
GtkWidget *_rg_cards_page_get_preview_button (RgCardsPage *self);
GtkWidget *_rg_cards_page_get_save_button    (RgCardsPage *self);
GtkWidget *_rg_cards_page_get_revert_button  (RgCardsPage *self);

G_END_DECLS
