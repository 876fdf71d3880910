/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Forward declarations, so headers of the core need not include each other in circles. */
typedef struct _RgStore RgStore;

G_END_DECLS
