/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-card-error.h"

G_DEFINE_QUARK (rg-card-error-quark, rg_card_error)
