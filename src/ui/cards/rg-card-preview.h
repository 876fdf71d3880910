/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rg-card-data.h"
#include "rg-card-design.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_PREVIEW (rg_card_preview_get_type ())

G_DECLARE_FINAL_TYPE (RgCardPreview, rg_card_preview, RG, CARD_PREVIEW, GtkWidget)

GtkWidget    *rg_card_preview_new                  (void);
RgCardDesign *rg_card_preview_get_design           (RgCardPreview *self);
void          rg_card_preview_set_design           (RgCardPreview *self,
                                                    RgCardDesign  *design);
RgCardData   *rg_card_preview_get_data             (RgCardPreview *self);
void          rg_card_preview_set_data             (RgCardPreview *self,
                                                    RgCardData    *data);
const char   *rg_card_preview_get_problem          (RgCardPreview *self);
guint         rg_card_preview_get_n_renders        (RgCardPreview *self);
gint64        rg_card_preview_get_last_render_usec (RgCardPreview *self);

G_END_DECLS
