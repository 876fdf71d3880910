/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "rg-notify-private.h"

/* Small pieces the notification files share: IDs, the wall clock and the fault injection
 * of the kill test. */

/**
 * _rg_notify_new_id:
 * @prefix: "ns_", "tr_" or "st_"
 *
 * Returns: (transfer full): @prefix and %RG_NOTIFY_ID_RANDOM_CHARS characters of lowercase
 *   base32: unguessable enough to hand out, short enough to read out on the phone
 */
char *
_rg_notify_new_id (const char *prefix)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  GString *id = g_string_new (prefix);

  for (guint i = 0; i < RG_NOTIFY_ID_RANDOM_CHARS; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, 32)]);

  return g_string_free (id, FALSE);
}

/* Times in the notify tables are Unix milliseconds: a retry may be due in less than a second. */
gint64
_rg_notify_now_ms (void)
{
  return g_get_real_time () / 1000;
}

RgNotifySteps
_rg_notify_kind_from_string (const char *kind)
{
  static const RgNotifySteps kinds[] = {
    RG_NOTIFY_STEP_LINE_PUSH, RG_NOTIFY_STEP_LINE_PNP, RG_NOTIFY_STEP_SMS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (rg_notify_step_to_string (kinds[i]), kind) == 0)
      return kinds[i];

  return RG_NOTIFY_STEP_NONE;
}

/**
 * _rg_notify_fault_point:
 * @where: what just happened, for the log
 *
 * Fault injection for the kill test: with `REGULARS_FAULT_KILL_AFTER=N` in the environment the
 * process ends with status 137, as if killed, at the Nth point it passes. The points are the
 * moments a crash hurts most: right after a step was committed as `sending` and before its
 * request goes out, right after a platform answered and before the answer is committed, and
 * right after a trigger was committed and before the Open API answers 202.
 */
void
_rg_notify_fault_point (const char *where)
{
  static gint64 remaining = -2;

  if (remaining == -2)
    {
      const char *value = g_getenv ("REGULARS_FAULT_KILL_AFTER");
      guint64 n = 0;

      remaining = -1;
      if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT, &n, NULL))
        remaining = (gint64) n;
    }

  if (remaining < 0)
    return;

  if (--remaining == 0)
    {
      g_printerr ("REGULARS_FAULT_KILL_AFTER: exiting %s\n", where);
      _exit (137);
    }
}
