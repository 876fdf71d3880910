/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS,
  RG_LEDGER_ACCOUNT_POINTS_BALANCE,
  RG_LEDGER_ACCOUNT_STORED_VALUE,
} RgLedgerAccount;

#define RG_TYPE_LEDGER_ACCOUNT (rg_ledger_account_get_type ())
#define RG_TYPE_LEDGER_ENTRY (rg_ledger_entry_get_type ())

GType rg_ledger_account_get_type (void);

G_DECLARE_FINAL_TYPE (RgLedgerEntry, rg_ledger_entry, RG, LEDGER_ENTRY, GObject)

const char      *rg_ledger_account_to_string        (RgLedgerAccount  account);
gboolean         rg_ledger_account_from_string      (const char      *string,
                                                     RgLedgerAccount *account);
const char      *rg_ledger_account_get_label        (RgLedgerAccount  account);

gint64           rg_ledger_entry_get_id             (RgLedgerEntry   *self);
gint64           rg_ledger_entry_get_member_id      (RgLedgerEntry   *self);
gint64           rg_ledger_entry_get_operation_id   (RgLedgerEntry   *self);
RgLedgerAccount  rg_ledger_entry_get_account        (RgLedgerEntry   *self);
gint64           rg_ledger_entry_get_delta          (RgLedgerEntry   *self);
gint64           rg_ledger_entry_get_balance_after  (RgLedgerEntry   *self);
const char      *rg_ledger_entry_get_reason         (RgLedgerEntry   *self);
const char      *rg_ledger_entry_get_source         (RgLedgerEntry   *self);
gint64           rg_ledger_entry_get_created_at     (RgLedgerEntry   *self);

G_END_DECLS
