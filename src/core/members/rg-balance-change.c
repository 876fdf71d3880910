/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include "rg-balance-change.h"

G_DEFINE_BOXED_TYPE (RgBalanceChange, rg_balance_change,
                     rg_balance_change_copy, rg_balance_change_free)

/**
 * rg_balance_change_copy:
 *
 * Returns: (transfer full): a copy whose strings live in the same allocation, so that a
 *   stack-built change with literal strings can be copied and freed with one call
 */
RgBalanceChange *
rg_balance_change_copy (const RgBalanceChange *change)
{
  RgBalanceChange *copy;
  gsize reason_len;
  gsize source_len;
  char *strings;

  g_return_val_if_fail (change != NULL, NULL);

  reason_len = change->reason != NULL ? strlen (change->reason) + 1 : 0;
  source_len = change->source != NULL ? strlen (change->source) + 1 : 0;

  copy = g_malloc (sizeof *copy + reason_len + source_len);
  *copy = *change;
  strings = (char *) (copy + 1);

  if (change->reason != NULL)
    {
      memcpy (strings, change->reason, reason_len);
      copy->reason = strings;
    }
  if (change->source != NULL)
    {
      memcpy (strings + reason_len, change->source, source_len);
      copy->source = strings + reason_len;
    }

  return copy;
}

void
rg_balance_change_free (RgBalanceChange *change)
{
  g_free (change);
}

gboolean
rg_balance_change_is_empty (const RgBalanceChange *change)
{
  g_return_val_if_fail (change != NULL, TRUE);

  return change->accumulated_points == 0 &&
         change->points_balance == 0 &&
         change->stored_value == 0;
}
