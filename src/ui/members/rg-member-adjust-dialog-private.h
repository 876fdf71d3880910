/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-adjust-dialog.h"

G_BEGIN_DECLS

/* For UI tests: the inputs, the message under the row of @field (an account's field name or
 * "reason"; %NULL when none is shown) and the ledger shown. */
GtkSpinButton *_rg_member_adjust_dialog_get_spin_button (RgMemberAdjustDialog *self,
                                                         RgLedgerAccount       account);
GtkEditable   *_rg_member_adjust_dialog_get_reason      (RgMemberAdjustDialog *self);
const char    *_rg_member_adjust_dialog_get_error       (RgMemberAdjustDialog *self,
                                                         const char           *field);
GListModel    *_rg_member_adjust_dialog_get_ledger      (RgMemberAdjustDialog *self);

G_END_DECLS
