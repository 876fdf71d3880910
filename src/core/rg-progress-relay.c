/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-progress-relay"

#include "config.h"

#include "rg-progress-relay.h"

typedef struct
{
  RgProgressRelay *relay;
  GObject         *owner;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->owner);
  g_free (delivery);
}

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;
  RgProgressRelay *relay = delivery->relay;
  double fraction;
  guint64 rows;

  g_mutex_lock (&relay->mutex);
  fraction = relay->fraction;
  rows = relay->rows;
  relay->queued = FALSE;
  g_mutex_unlock (&relay->mutex);

  relay->func (delivery->owner, fraction, rows);
  return G_SOURCE_REMOVE;
}

void
rg_progress_relay_init (RgProgressRelay     *relay,
                        RgProgressRelayFunc  func)
{
  g_mutex_init (&relay->mutex);
  relay->fraction = 0.0;
  relay->rows = 0;
  relay->queued = FALSE;
  relay->func = func;
}

void
rg_progress_relay_clear (RgProgressRelay *relay)
{
  g_mutex_clear (&relay->mutex);
}

/**
 * rg_progress_relay_set:
 *
 * Replaces the numbers an update still in flight will carry, e.g. when a run starts or ends
 * on the owner's thread.
 */
void
rg_progress_relay_set (RgProgressRelay *relay,
                       double           fraction,
                       guint64          rows)
{
  g_mutex_lock (&relay->mutex);
  relay->fraction = fraction;
  relay->rows = rows;
  g_mutex_unlock (&relay->mutex);
}

/**
 * rg_progress_relay_post:
 * @relay: the relay embedded in @owner
 * @context: the context of the thread that started the work
 *
 * From the worker: at most one update is in flight, and it carries the latest numbers when
 * it lands, so a caller that does not iterate its main loop for a while is not flooded.
 */
void
rg_progress_relay_post (RgProgressRelay *relay,
                        GObject         *owner,
                        GMainContext    *context,
                        double           fraction,
                        guint64          rows)
{
  gboolean queue;

  g_mutex_lock (&relay->mutex);
  relay->fraction = fraction;
  relay->rows = rows;
  queue = !relay->queued;
  relay->queued = TRUE;
  g_mutex_unlock (&relay->mutex);

  if (queue)
    {
      Delivery *delivery = g_new (Delivery, 1);

      delivery->relay = relay;
      delivery->owner = g_object_ref (owner);
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, deliver, delivery, delivery_free);
    }
}
