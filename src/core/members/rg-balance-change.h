/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Ledger sources: where a change came from. */
#define RG_LEDGER_SOURCE_MANUAL "manual"
#define RG_LEDGER_SOURCE_IMPORT "import"
#define RG_LEDGER_SOURCE_API    "api"
#define RG_LEDGER_SOURCE_DEMO   "demo"

/**
 * RgBalanceChange:
 * @accumulated_points: change of the lifetime points total
 * @points_balance: change of the points that can still be spent
 * @stored_value: change of the prepaid money, in minor units (cents)
 * @reason: why, shown in the ledger; required
 * @source: where the change came from (`RG_LEDGER_SOURCE_*`); %NULL means "manual"
 *
 * One operation on a member's totals. Fill one on the stack for rg_member_store_adjust();
 * the copy that signals hand out owns its strings.
 */
typedef struct
{
  gint64      accumulated_points;
  gint64      points_balance;
  gint64      stored_value;
  const char *reason;
  const char *source;
} RgBalanceChange;

#define RG_TYPE_BALANCE_CHANGE (rg_balance_change_get_type ())

GType            rg_balance_change_get_type (void) G_GNUC_CONST;
RgBalanceChange *rg_balance_change_copy     (const RgBalanceChange *change);
void             rg_balance_change_free     (RgBalanceChange       *change);
gboolean         rg_balance_change_is_empty (const RgBalanceChange *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgBalanceChange, rg_balance_change_free)

G_END_DECLS
