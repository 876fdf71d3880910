/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-card-field.h"
#include "rg-member-store.h"

G_BEGIN_DECLS

void        _rg_cards_add_toast           (GtkWidget   *widget,
                                           const char  *message);
const char *_rg_cards_field_icon_name     (const char  *field_id);
char       *_rg_cards_dup_field_name      (const char  *field_id,
                                           GListModel  *attributes);
void        _rg_cards_show_message        (GtkWidget   *widget,
                                           GtkLabel    *label,
                                           const char  *message);

G_END_DECLS
