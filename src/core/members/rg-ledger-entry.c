/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-ledger-entry.h"

/* One row of the ledger: a change of one account of one member. Entries are read-only
 * records; they are written by rg_member_store_adjust() only. */
struct _RgLedgerEntry
{
  GObject          parent_instance;

  gint64           id;
  gint64           member_id;
  gint64           operation_id;
  RgLedgerAccount  account;
  gint64           delta;
  gint64           balance_after;
  char            *reason;
  char            *source;
  gint64           created_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_MEMBER_ID,
  PROP_OPERATION_ID,
  PROP_ACCOUNT,
  PROP_DELTA,
  PROP_BALANCE_AFTER,
  PROP_REASON,
  PROP_SOURCE,
  PROP_CREATED_AT,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (RgLedgerAccount, rg_ledger_account,
  G_DEFINE_ENUM_VALUE (RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS, "accumulated-points"),
  G_DEFINE_ENUM_VALUE (RG_LEDGER_ACCOUNT_POINTS_BALANCE, "points-balance"),
  G_DEFINE_ENUM_VALUE (RG_LEDGER_ACCOUNT_STORED_VALUE, "stored-value"))

G_DEFINE_FINAL_TYPE (RgLedgerEntry, rg_ledger_entry, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *string;
  const char *label;
} account_names[] = {
  [RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS] = { "accumulated_points", N_("Accumulated points") },
  [RG_LEDGER_ACCOUNT_POINTS_BALANCE] = { "points_balance", N_("Points balance") },
  [RG_LEDGER_ACCOUNT_STORED_VALUE] = { "stored_value", N_("Stored value") },
};

/**
 * rg_ledger_account_to_string:
 *
 * Returns: the stored name, which is also the member field name ("points_balance", …)
 */
const char *
rg_ledger_account_to_string (RgLedgerAccount account)
{
  g_return_val_if_fail (account <= RG_LEDGER_ACCOUNT_STORED_VALUE, NULL);

  return account_names[account].string;
}

gboolean
rg_ledger_account_from_string (const char      *string,
                               RgLedgerAccount *account)
{
  g_return_val_if_fail (account != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (account_names); i++)
    {
      if (g_str_equal (string, account_names[i].string))
        {
          *account = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * rg_ledger_account_get_label:
 *
 * Returns: the translated name for display
 */
const char *
rg_ledger_account_get_label (RgLedgerAccount account)
{
  g_return_val_if_fail (account <= RG_LEDGER_ACCOUNT_STORED_VALUE, NULL);

  return _(account_names[account].label);
}

static void
rg_ledger_entry_finalize (GObject *object)
{
  RgLedgerEntry *self = (RgLedgerEntry *)object;

  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->source, g_free);

  G_OBJECT_CLASS (rg_ledger_entry_parent_class)->finalize (object);
}

static void
rg_ledger_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RgLedgerEntry *self = RG_LEDGER_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_MEMBER_ID:
      g_value_set_int64 (value, self->member_id);
      break;

    case PROP_OPERATION_ID:
      g_value_set_int64 (value, self->operation_id);
      break;

    case PROP_ACCOUNT:
      g_value_set_enum (value, self->account);
      break;

    case PROP_DELTA:
      g_value_set_int64 (value, self->delta);
      break;

    case PROP_BALANCE_AFTER:
      g_value_set_int64 (value, self->balance_after);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_ledger_entry_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RgLedgerEntry *self = RG_LEDGER_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_MEMBER_ID:
      self->member_id = g_value_get_int64 (value);
      break;

    case PROP_OPERATION_ID:
      self->operation_id = g_value_get_int64 (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_get_enum (value);
      break;

    case PROP_DELTA:
      self->delta = g_value_get_int64 (value);
      break;

    case PROP_BALANCE_AFTER:
      self->balance_after = g_value_get_int64 (value);
      break;

    case PROP_REASON:
      self->reason = g_value_dup_string (value);
      break;

    case PROP_SOURCE:
      self->source = g_value_dup_string (value);
      break;

    case PROP_CREATED_AT:
      self->created_at = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_ledger_entry_class_init (RgLedgerEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rg_ledger_entry_finalize;
  object_class->get_property = rg_ledger_entry_get_property;
  object_class->set_property = rg_ledger_entry_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MEMBER_ID] =
    g_param_spec_int64 ("member-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OPERATION_ID] =
    g_param_spec_int64 ("operation-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ACCOUNT] =
    g_param_spec_enum ("account", NULL, NULL,
                       RG_TYPE_LEDGER_ACCOUNT, RG_LEDGER_ACCOUNT_POINTS_BALANCE, flags);
  properties[PROP_DELTA] =
    g_param_spec_int64 ("delta", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_BALANCE_AFTER] =
    g_param_spec_int64 ("balance-after", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_ledger_entry_init (RgLedgerEntry *self)
{
}

gint64
rg_ledger_entry_get_id (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->id;
}

gint64
rg_ledger_entry_get_member_id (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->member_id;
}

/**
 * rg_ledger_entry_get_operation_id:
 *
 * Returns: the same number for every entry written by one rg_member_store_adjust() call
 */
gint64
rg_ledger_entry_get_operation_id (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->operation_id;
}

RgLedgerAccount
rg_ledger_entry_get_account (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), RG_LEDGER_ACCOUNT_POINTS_BALANCE);

  return self->account;
}

gint64
rg_ledger_entry_get_delta (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->delta;
}

gint64
rg_ledger_entry_get_balance_after (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->balance_after;
}

const char *
rg_ledger_entry_get_reason (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), NULL);

  return self->reason;
}

const char *
rg_ledger_entry_get_source (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), NULL);

  return self->source;
}

/**
 * rg_ledger_entry_get_created_at:
 *
 * Returns: Unix time in seconds
 */
gint64
rg_ledger_entry_get_created_at (RgLedgerEntry *self)
{
  g_return_val_if_fail (RG_IS_LEDGER_ENTRY (self), 0);

  return self->created_at;
}
