/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-application.h"

G_BEGIN_DECLS

#define RG_TYPE_WINDOW (rg_window_get_type ())

G_DECLARE_FINAL_TYPE (RgWindow, rg_window, RG, WINDOW, AdwApplicationWindow)

RgWindow   *rg_window_new              (RgApplication *application);
const char *rg_window_get_visible_page (RgWindow      *self);
void        rg_window_add_toast        (RgWindow      *self,
                                        AdwToast      *toast);

G_END_DECLS
