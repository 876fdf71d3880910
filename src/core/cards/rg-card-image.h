/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "rg-card-error.h"

G_BEGIN_DECLS

/* An uploaded field icon must be strictly smaller than this many bytes. */
#define RG_CARD_ICON_MAX_BYTES (1024 * 1024)

/* The header box the merchant is told to design for; other sizes are letterboxed into it. */
#define RG_CARD_HEADER_WIDTH  1200
#define RG_CARD_HEADER_HEIGHT 512

gboolean rg_card_icon_check         (GBytes  *png,
                                     GError **error);
gboolean rg_card_header_image_check (GBytes  *image,
                                     GError **error);

G_END_DECLS
