/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Called on the owner's thread with the latest numbers. */
typedef void (*RgProgressRelayFunc) (gpointer owner,
                                     double   fraction,
                                     guint64  rows);

/* Carries a worker thread's progress to the thread that started the work. Embedded in the
 * object that reports progress; the fields are private. */
typedef struct
{
  GMutex              mutex;
  double              fraction;
  guint64             rows;
  gboolean            queued;
  RgProgressRelayFunc func;
} RgProgressRelay;

void rg_progress_relay_init  (RgProgressRelay     *relay,
                              RgProgressRelayFunc  func);
void rg_progress_relay_clear (RgProgressRelay     *relay);
void rg_progress_relay_set   (RgProgressRelay     *relay,
                              double               fraction,
                              guint64              rows);
void rg_progress_relay_post  (RgProgressRelay     *relay,
                              GObject             *owner,
                              GMainContext        *context,
                              double               fraction,
                              guint64              rows);

G_END_DECLS
