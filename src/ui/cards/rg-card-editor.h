/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-card-data.h"
#include "rg-card-design.h"
#include "rg-card-store.h"
#include "rg-member-store.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_EDITOR (rg_card_editor_get_type ())

G_DECLARE_FINAL_TYPE (RgCardEditor, rg_card_editor, RG, CARD_EDITOR, GtkWidget)

GtkWidget         *rg_card_editor_new                  (RgCardChannel         channel);
RgCardChannel      rg_card_editor_get_channel          (RgCardEditor         *self);
RgCardStore       *rg_card_editor_get_card_store       (RgCardEditor         *self);
void               rg_card_editor_set_card_store       (RgCardEditor         *self,
                                                        RgCardStore          *card_store);
RgMemberStore     *rg_card_editor_get_member_store     (RgCardEditor         *self);
void               rg_card_editor_set_member_store     (RgCardEditor         *self,
                                                        RgMemberStore        *member_store);
RgCardDesign      *rg_card_editor_get_design           (RgCardEditor         *self);
gboolean           rg_card_editor_get_dirty            (RgCardEditor         *self);
RgCardData        *rg_card_editor_get_preview_data     (RgCardEditor         *self);
void               rg_card_editor_set_preview_data     (RgCardEditor         *self,
                                                        RgCardData           *data);
gboolean           rg_card_editor_get_folded           (RgCardEditor         *self);
gboolean           rg_card_editor_get_preview_revealed (RgCardEditor         *self);
void               rg_card_editor_set_preview_revealed (RgCardEditor         *self,
                                                        gboolean              revealed);
gboolean           rg_card_editor_save                 (RgCardEditor         *self,
                                                        GError              **error);
void               rg_card_editor_revert               (RgCardEditor         *self);
void               rg_card_editor_load_header_image    (RgCardEditor         *self,
                                                        GFile                *file);
char              *rg_card_editor_dup_export_name      (RgCardEditor         *self);
void               rg_card_editor_export_png_async     (RgCardEditor         *self,
                                                        GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           rg_card_editor_export_png_finish    (RgCardEditor         *self,
                                                        GAsyncResult         *result,
                                                        char                **problem,
                                                        GError              **error);
GtkPrintOperation *rg_card_editor_new_print_operation  (RgCardEditor         *self);

G_END_DECLS
