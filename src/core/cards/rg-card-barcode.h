/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rg-card-enums.h"
#include "rg-card-error.h"

G_BEGIN_DECLS

gboolean rg_card_barcode_check     (RgCardBarcode   type,
                                    const char     *member_number,
                                    char          **encoded,
                                    GError        **error);
char     rg_card_ean13_check_digit (const char     *twelve_digits);

G_END_DECLS
