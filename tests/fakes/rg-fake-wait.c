/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-fake-wait"

#include "config.h"

#include "rg-fake-wait.h"

/**
 * rg_fake_wait_cb:
 * @source_object: the source of the operation
 * @result: its result
 * @user_data: a `GAsyncResult **`, %NULL before
 *
 * A #GAsyncReadyCallback that keeps the result for rg_fake_wait().
 */
void
rg_fake_wait_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);
  *slot = g_object_ref (result);
}

/**
 * rg_fake_wait:
 * @result: the slot given to rg_fake_wait_cb()
 *
 * Iterates the thread-default main context until the operation finished.
 *
 * Returns: (transfer none): *@result, which the caller still owns
 */
GAsyncResult *
rg_fake_wait (GAsyncResult **result)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (*result == NULL)
    g_main_context_iteration (context, TRUE);

  return *result;
}
