/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *rg_save_changes_dialog_new (GtkWindow  *parent,
                                              const char *body);

G_END_DECLS
