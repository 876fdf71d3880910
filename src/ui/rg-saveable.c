/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-saveable"

#include "config.h"

#include "rg-saveable.h"

G_DEFINE_INTERFACE (RgSaveable, rg_saveable, GTK_TYPE_WIDGET)

static gboolean
rg_saveable_real_save_finish (RgSaveable    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rg_saveable_default_init (RgSaveableInterface *iface)
{
  iface->save_finish = rg_saveable_real_save_finish;
}

/**
 * rg_saveable_dup_unsaved:
 *
 * Returns: (transfer full) (nullable): what is not saved yet, one phrase each; %NULL when
 *   nothing is
 */
char **
rg_saveable_dup_unsaved (RgSaveable *self)
{
  RgSaveableInterface *iface;
  char **unsaved;

  g_return_val_if_fail (RG_IS_SAVEABLE (self), NULL);

  iface = RG_SAVEABLE_GET_IFACE (self);
  if (iface->dup_unsaved == NULL)
    return NULL;

  unsaved = iface->dup_unsaved (self);
  if (unsaved != NULL && unsaved[0] == NULL)
    g_clear_pointer (&unsaved, g_strfreev);
  return unsaved;
}

/**
 * rg_saveable_save_async:
 *
 * Saves every unsaved edit of @self. When a save is refused, @self shows why in place
 * before it reports the error.
 */
void
rg_saveable_save_async (RgSaveable          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (RG_IS_SAVEABLE (self));
  g_return_if_fail (RG_SAVEABLE_GET_IFACE (self)->save_async != NULL);

  RG_SAVEABLE_GET_IFACE (self)->save_async (self, cancellable, callback, user_data);
}

/**
 * rg_saveable_save_finish:
 *
 * Returns: %TRUE if everything was saved
 */
gboolean
rg_saveable_save_finish (RgSaveable    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (RG_IS_SAVEABLE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return RG_SAVEABLE_GET_IFACE (self)->save_finish (self, result, error);
}
