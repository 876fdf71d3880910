/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-csv-error.h"

G_DEFINE_QUARK (rg-csv-error-quark, rg_csv_error)
