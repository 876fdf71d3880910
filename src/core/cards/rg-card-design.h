/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-card-enums.h"
#include "rg-card-error.h"
#include "rg-card-field.h"

G_BEGIN_DECLS

#define RG_TYPE_CARD_DESIGN (rg_card_design_get_type ())

G_DECLARE_FINAL_TYPE (RgCardDesign, rg_card_design, RG, CARD_DESIGN, GObject)

gboolean      rg_card_register_url_check               (const char     *url,
                                                        GError        **error);
gboolean      rg_card_color_parse                      (const char     *color,
                                                        double         *red,
                                                        double         *green,
                                                        double         *blue);

RgCardDesign *rg_card_design_new                       (RgCardChannel   channel);
RgCardDesign *rg_card_design_copy                      (RgCardDesign   *self);
void          rg_card_design_assign                    (RgCardDesign   *self,
                                                        RgCardDesign   *source);
gboolean      rg_card_design_equal                     (RgCardDesign   *self,
                                                        RgCardDesign   *other);
gboolean      rg_card_design_validate                  (RgCardDesign   *self,
                                                        GError        **error);

gboolean      rg_card_design_get_dirty                 (RgCardDesign   *self);
void          rg_card_design_clear_dirty               (RgCardDesign   *self);

RgCardChannel rg_card_design_get_channel               (RgCardDesign   *self);
gboolean      rg_card_design_get_enabled               (RgCardDesign   *self);
void          rg_card_design_set_enabled               (RgCardDesign   *self,
                                                        gboolean        enabled);
gboolean      rg_card_design_get_require_member_number (RgCardDesign   *self);
void          rg_card_design_set_require_member_number (RgCardDesign   *self,
                                                        gboolean        require);
const char   *rg_card_design_get_not_found_message     (RgCardDesign   *self);
void          rg_card_design_set_not_found_message     (RgCardDesign   *self,
                                                        const char     *message);
const char   *rg_card_design_get_register_button_text  (RgCardDesign   *self);
void          rg_card_design_set_register_button_text  (RgCardDesign   *self,
                                                        const char     *text);
const char   *rg_card_design_get_register_url          (RgCardDesign   *self);
void          rg_card_design_set_register_url          (RgCardDesign   *self,
                                                        const char     *url);
gboolean      rg_card_design_get_member_center_enabled (RgCardDesign   *self);
void          rg_card_design_set_member_center_enabled (RgCardDesign   *self,
                                                        gboolean        enabled);
RgCardBarcode rg_card_design_get_barcode_type          (RgCardDesign   *self);
void          rg_card_design_set_barcode_type          (RgCardDesign   *self,
                                                        RgCardBarcode   type);
gboolean      rg_card_design_get_show_icons            (RgCardDesign   *self);
void          rg_card_design_set_show_icons            (RgCardDesign   *self,
                                                        gboolean        show_icons);
const char   *rg_card_design_get_title                 (RgCardDesign   *self);
void          rg_card_design_set_title                 (RgCardDesign   *self,
                                                        const char     *title);
const char   *rg_card_design_get_accent_color          (RgCardDesign   *self);
void          rg_card_design_set_accent_color          (RgCardDesign   *self,
                                                        const char     *color);
GBytes       *rg_card_design_get_header_image          (RgCardDesign   *self);
gboolean      rg_card_design_set_header_image          (RgCardDesign   *self,
                                                        GBytes         *image,
                                                        GError        **error);

GListModel   *rg_card_design_get_fields                (RgCardDesign   *self);
guint         rg_card_design_get_n_fields              (RgCardDesign   *self);
RgCardField  *rg_card_design_get_field                 (RgCardDesign   *self,
                                                        guint           position);
RgCardField  *rg_card_design_find_field                (RgCardDesign   *self,
                                                        const char     *field_id,
                                                        guint          *position);
gboolean      rg_card_design_add_field                 (RgCardDesign   *self,
                                                        RgCardField    *field,
                                                        GError        **error);
gboolean      rg_card_design_insert_field              (RgCardDesign   *self,
                                                        guint           position,
                                                        RgCardField    *field,
                                                        GError        **error);
void          rg_card_design_remove_field              (RgCardDesign   *self,
                                                        guint           position);
void          rg_card_design_move_field                (RgCardDesign   *self,
                                                        guint           from,
                                                        guint           to);

char         *rg_card_design_to_json                   (RgCardDesign   *self);
RgCardDesign *rg_card_design_from_json                 (RgCardChannel   channel,
                                                        const char     *json,
                                                        gssize          length,
                                                        GError        **error);

G_END_DECLS
