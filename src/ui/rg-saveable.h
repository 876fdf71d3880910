/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RG_TYPE_SAVEABLE (rg_saveable_get_type ())

G_DECLARE_INTERFACE (RgSaveable, rg_saveable, RG, SAVEABLE, GtkWidget)

/**
 * RgSaveableInterface:
 * @dup_unsaved: what holds edits not saved yet, as phrases that fit in a sentence (“the LINE
 *   card design”, “member “王小明””); %NULL or an empty array when everything is saved
 * @save_async: saves all of it; a failure is shown where it belongs (the message next to
 *   the field, the tab or editor with the problem in view) and then reported
 * @save_finish: the result of @save_async; the default one propagates a #GTask's boolean
 *
 * A page of the main window that can hold unsaved edits. The window asks its pages before
 * it closes and knows nothing else about them.
 */
struct _RgSaveableInterface
{
  GTypeInterface parent_iface;

  char     **(*dup_unsaved) (RgSaveable           *self);
  void       (*save_async)  (RgSaveable           *self,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data);
  gboolean   (*save_finish) (RgSaveable           *self,
                             GAsyncResult         *result,
                             GError              **error);
};

char     **rg_saveable_dup_unsaved (RgSaveable           *self);
void       rg_saveable_save_async  (RgSaveable           *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean   rg_saveable_save_finish (RgSaveable           *self,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
