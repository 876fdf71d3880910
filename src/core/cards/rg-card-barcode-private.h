/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <zint.h>

#include "rg-card-barcode.h"

G_BEGIN_DECLS

typedef struct zint_symbol RgZintSymbol;

RgZintSymbol *_rg_card_barcode_encode (RgCardBarcode   type,
                                       const char     *member_number,
                                       char          **encoded,
                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgZintSymbol, ZBarcode_Delete)

G_END_DECLS
