/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-adjust-dialog"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "rg-member-adjust-dialog-private.h"
#include "rg-member-format.h"

/*
 * RgMemberAdjustDialog: adds or takes points and stored value with a reason, shows the
 * balances that would result before anything is written, and the member's ledger below.
 */

#define N_ACCOUNTS 3

typedef struct
{
  AdwActionRow  *row;
  GtkSpinButton *spin;
  GtkWidget     *error_row;
  GtkLabel      *error_label;
} AccountRow;

struct _RgMemberAdjustDialog
{
  AdwWindow           parent_instance;

  RgMemberStore      *member_store;
  RgMember           *member;
  GListModel         *ledger;
  gint64              member_id;

  AccountRow          accounts[N_ACCOUNTS];
  GtkWidget          *reason_error_row;
  GtkLabel           *reason_error_label;

  AdwWindowTitle     *window_title;
  GtkRevealer        *general_error_revealer;
  GtkLabel           *general_error_label;
  AdwActionRow       *points_balance_row;
  GtkSpinButton      *points_balance_spin;
  AdwActionRow       *accumulated_points_row;
  GtkSpinButton      *accumulated_points_spin;
  AdwActionRow       *stored_value_row;
  GtkSpinButton      *stored_value_spin;
  AdwEntryRow        *reason_row;
  GtkStack           *history_stack;
  GtkNoSelection     *ledger_selection;
};

enum {
  PROP_0,
  PROP_MEMBER_STORE,
  PROP_MEMBER_ID,
  N_PROPS
};

enum {
  APPLIED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgMemberAdjustDialog, rg_member_adjust_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
format_amount (RgLedgerAccount account,
               gint64          amount)
{
  if (account == RG_LEDGER_ACCOUNT_STORED_VALUE)
    return rg_format_money (amount, rg_format_get_shop_currency ());
  return rg_format_integer (amount);
}

static char *
format_time (GtkListItem *item,
             gint64       created_at)
{
  return rg_format_date_time (created_at);
}

static char *
account_label (GtkListItem     *item,
               RgLedgerAccount  account)
{
  return g_strdup (rg_ledger_account_get_label (account));
}

static char *
format_delta (GtkListItem     *item,
              RgLedgerAccount  account,
              gint64           delta)
{
  if (account == RG_LEDGER_ACCOUNT_STORED_VALUE)
    return rg_format_signed_money (delta, rg_format_get_shop_currency ());
  return rg_format_signed_integer (delta);
}

static char *
format_balance (GtkListItem     *item,
                RgLedgerAccount  account,
                gint64           balance)
{
  return format_amount (account, balance);
}

static char *
source_label (GtkListItem *item,
              const char  *source)
{
  if (g_strcmp0 (source, RG_LEDGER_SOURCE_MANUAL) == 0)
    return g_strdup (C_("ledger source", "Manual"));
  if (g_strcmp0 (source, RG_LEDGER_SOURCE_IMPORT) == 0)
    return g_strdup (C_("ledger source", "Import"));
  if (g_strcmp0 (source, RG_LEDGER_SOURCE_API) == 0)
    return g_strdup (C_("ledger source", "Open API"));
  if (g_strcmp0 (source, RG_LEDGER_SOURCE_DEMO) == 0)
    return g_strdup (C_("ledger source", "Sample data"));
  return g_strdup (source);
}

static gint64
get_balance (RgMember        *member,
             RgLedgerAccount  account)
{
  switch (account)
    {
    case RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS:
      return rg_member_get_accumulated_points (member);
    case RG_LEDGER_ACCOUNT_POINTS_BALANCE:
      return rg_member_get_points_balance (member);
    case RG_LEDGER_ACCOUNT_STORED_VALUE:
      return rg_member_get_stored_value (member);
    default:
      g_return_val_if_reached (0);
    }
}

/* The spin buttons show major units (NT$); the store counts minor ones (cents). */
static gint64
get_delta (RgMemberAdjustDialog *self,
           RgLedgerAccount       account)
{
  double value = gtk_spin_button_get_value (self->accounts[account].spin);

  if (account == RG_LEDGER_ACCOUNT_STORED_VALUE)
    value *= pow (10, rg_currency_get_digits (rg_format_get_shop_currency ()));
  return (gint64) llround (value);
}

static void
show_row_error (GtkWidget  *row,
                GtkWidget  *error_row,
                GtkLabel   *error_label,
                const char *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_label_set_text (error_label, message != NULL ? message : "");
  gtk_widget_set_visible (error_row, message != NULL);
}

static void
update_preview (RgMemberAdjustDialog *self)
{
  gboolean any_change = FALSE;
  gboolean refused = FALSE;

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      AccountRow *account = &self->accounts[i];
      gint64 before = self->member != NULL ? get_balance (self->member, i) : 0;
      gint64 delta = get_delta (self, i);
      gint64 after = before + delta;
      g_autofree char *before_text = format_amount (i, before);
      g_autofree char *after_text = format_amount (i, after);
      g_autofree char *subtitle = NULL;
      g_autofree char *message = NULL;

      if (delta == 0)
        /* Translators: the balance before a change, “Now 1,200” */
        subtitle = g_strdup_printf (_("Now %s"), before_text);
      else
        /* Translators: the balance before and after a change, “1,200 → 1,000” */
        subtitle = g_strdup_printf (_("%s → %s"), before_text, after_text);
      adw_action_row_set_subtitle (account->row, subtitle);

      if (after < 0)
        {
          /* Translators: %s is what is left, “Only 1,200 left: …” */
          message = g_strdup_printf (_("Only %s left: a balance cannot go below zero"),
                                     before_text);
          refused = TRUE;
        }
      show_row_error (GTK_WIDGET (account->row), account->error_row, account->error_label,
                      message);

      any_change |= delta != 0;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjust.apply", any_change && !refused);
}

static void
on_reason_changed (RgMemberAdjustDialog *self,
                   GtkEditable          *editable)
{
  show_row_error (GTK_WIDGET (self->reason_row), self->reason_error_row,
                  self->reason_error_label, NULL);
}

static void
on_reason_activated (RgMemberAdjustDialog *self,
                     AdwEntryRow          *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "adjust.apply", NULL);
}

static void
reload (RgMemberAdjustDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GListModel) ledger = NULL;

  if ((member = rg_member_store_get (self->member_store, self->member_id, &error)) == NULL ||
      (ledger = rg_member_store_list_ledger (self->member_store, self->member_id, &error)) == NULL)
    {
      g_warning ("Could not read member %" G_GINT64_FORMAT ": %s", self->member_id, error->message);
      gtk_label_set_text (self->general_error_label, error->message);
      gtk_revealer_set_reveal_child (self->general_error_revealer, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjust.apply", FALSE);
      return;
    }

  g_set_object (&self->member, member);
  g_set_object (&self->ledger, ledger);
  adw_window_title_set_subtitle (self->window_title, rg_member_get_name (member));
  gtk_no_selection_set_model (self->ledger_selection, ledger);
  gtk_stack_set_visible_child_name (self->history_stack,
                                    g_list_model_get_n_items (ledger) > 0 ? "ledger" : "empty");
  update_preview (self);
}

static void
on_member_changed (RgMemberAdjustDialog *self,
                   gint64                member_id,
                   RgMemberChangeFlags   changes,
                   RgMemberStore        *member_store)
{
  if (member_id == self->member_id && (changes & RG_MEMBER_CHANGE_BALANCES) != 0)
    reload (self);
}

static void
on_member_removed (RgMemberAdjustDialog *self,
                   gint64                member_id,
                   RgMemberStore        *member_store)
{
  if (member_id == self->member_id)
    gtk_window_close (GTK_WINDOW (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  rg_member_adjust_dialog_apply (RG_MEMBER_ADJUST_DIALOG (widget));
}

static void
rg_member_adjust_dialog_constructed (GObject *object)
{
  RgMemberAdjustDialog *self = (RgMemberAdjustDialog *)object;

  G_OBJECT_CLASS (rg_member_adjust_dialog_parent_class)->constructed (object);

  g_assert (RG_IS_MEMBER_STORE (self->member_store));

  g_signal_connect_object (self->member_store, "member-changed",
                           G_CALLBACK (on_member_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->member_store, "member-removed",
                           G_CALLBACK (on_member_removed), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
rg_member_adjust_dialog_dispose (GObject *object)
{
  RgMemberAdjustDialog *self = (RgMemberAdjustDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBER_ADJUST_DIALOG);

  g_clear_object (&self->ledger);
  g_clear_object (&self->member);
  g_clear_object (&self->member_store);

  G_OBJECT_CLASS (rg_member_adjust_dialog_parent_class)->dispose (object);
}

static void
rg_member_adjust_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgMemberAdjustDialog *self = RG_MEMBER_ADJUST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      g_value_set_object (value, self->member_store);
      break;

    case PROP_MEMBER_ID:
      g_value_set_int64 (value, self->member_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_adjust_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgMemberAdjustDialog *self = RG_MEMBER_ADJUST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      self->member_store = g_value_dup_object (value);
      break;

    case PROP_MEMBER_ID:
      self->member_id = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_adjust_dialog_class_init (RgMemberAdjustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_member_adjust_dialog_constructed;
  object_class->dispose = rg_member_adjust_dialog_dispose;
  object_class->get_property = rg_member_adjust_dialog_get_property;
  object_class->set_property = rg_member_adjust_dialog_set_property;

  properties[PROP_MEMBER_STORE] =
    g_param_spec_object ("member-store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MEMBER_ID] =
    g_param_spec_int64 ("member-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgMemberAdjustDialog::applied:
   *
   * The change was written; the dialog closes.
   */
  signals[APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (RG_TYPE_LEDGER_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-member-adjust-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, general_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, points_balance_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, points_balance_spin);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, accumulated_points_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, accumulated_points_spin);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, stored_value_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, stored_value_spin);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, history_stack);
  gtk_widget_class_bind_template_child (widget_class, RgMemberAdjustDialog, ledger_selection);
  gtk_widget_class_bind_template_callback (widget_class, update_preview);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_activated);
  gtk_widget_class_bind_template_callback (widget_class, format_time);
  gtk_widget_class_bind_template_callback (widget_class, account_label);
  gtk_widget_class_bind_template_callback (widget_class, format_delta);
  gtk_widget_class_bind_template_callback (widget_class, format_balance);
  gtk_widget_class_bind_template_callback (widget_class, source_label);

  gtk_widget_class_install_action (widget_class, "adjust.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* Like the member editor: the message goes in a row right under the row it is about. */
static GtkWidget *
add_error_row (GtkWidget  *row,
               GtkLabel  **label_out)
{
  GtkWidget *list_box = gtk_widget_get_parent (row);
  GtkWidget *label;
  GtkWidget *error_row;

  g_assert (GTK_IS_LIST_BOX (list_box));

  label = g_object_new (GTK_TYPE_LABEL,
                        "wrap", TRUE,
                        "xalign", 0.0f,
                        "margin-start", 12,
                        "margin-end", 12,
                        "margin-top", 8,
                        "margin-bottom", 8,
                        NULL);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  error_row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                            "activatable", FALSE,
                            "selectable", FALSE,
                            "focusable", FALSE,
                            "visible", FALSE,
                            "child", label,
                            NULL);
  gtk_list_box_insert (GTK_LIST_BOX (list_box), error_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);

  *label_out = GTK_LABEL (label);
  return error_row;
}

static void
rg_member_adjust_dialog_init (RgMemberAdjustDialog *self)
{
  g_autofree char *stored_title = NULL;
  guint digits = rg_currency_get_digits (rg_format_get_shop_currency ());

  gtk_widget_init_template (GTK_WIDGET (self));

  self->accounts[RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS].row = self->accumulated_points_row;
  self->accounts[RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS].spin = self->accumulated_points_spin;
  self->accounts[RG_LEDGER_ACCOUNT_POINTS_BALANCE].row = self->points_balance_row;
  self->accounts[RG_LEDGER_ACCOUNT_POINTS_BALANCE].spin = self->points_balance_spin;
  self->accounts[RG_LEDGER_ACCOUNT_STORED_VALUE].row = self->stored_value_row;
  self->accounts[RG_LEDGER_ACCOUNT_STORED_VALUE].spin = self->stored_value_spin;

  for (guint i = 0; i < N_ACCOUNTS; i++)
    self->accounts[i].error_row = add_error_row (GTK_WIDGET (self->accounts[i].row),
                                                 &self->accounts[i].error_label);
  self->reason_error_row = add_error_row (GTK_WIDGET (self->reason_row), &self->reason_error_label);

  /* Whole dollars in Taiwan, but the cents of other currencies must be reachable. */
  gtk_spin_button_set_digits (self->stored_value_spin, digits);
  gtk_spin_button_set_increments (self->stored_value_spin, 1, 100);

  /* Translators: the stored value row of the adjust dialog, “_Stored value (NT$)” */
  stored_title = g_strdup_printf (_("_Stored value (%s)"), rg_currency_get_symbol (rg_format_get_shop_currency ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->stored_value_row), stored_title);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjust.apply", FALSE);
}

/**
 * rg_member_adjust_dialog_new:
 * @parent: (nullable): the window to stay on top of
 *
 * Returns: (transfer none): a new dialog for the member, not shown yet
 */
GtkWindow *
rg_member_adjust_dialog_new (GtkWindow     *parent,
                             RgMemberStore *member_store,
                             gint64         member_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_MEMBER_STORE (member_store), NULL);

  return g_object_new (RG_TYPE_MEMBER_ADJUST_DIALOG,
                       "transient-for", parent,
                       "member-store", member_store,
                       "member-id", member_id,
                       NULL);
}

gint64
rg_member_adjust_dialog_get_member_id (RgMemberAdjustDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_ADJUST_DIALOG (self), 0);

  return self->member_id;
}

/**
 * rg_member_adjust_dialog_apply:
 *
 * Writes the change through rg_member_store_adjust(). A refusal (no reason, a balance
 * that would go negative meanwhile) is shown under the row it is about and nothing is
 * written. Emits #RgMemberAdjustDialog::applied and closes on success.
 *
 * Returns: whether the change was written
 */
gboolean
rg_member_adjust_dialog_apply (RgMemberAdjustDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *field;
  RgBalanceChange change = { 0, };

  g_return_val_if_fail (RG_IS_MEMBER_ADJUST_DIALOG (self), FALSE);

  change.accumulated_points = get_delta (self, RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS);
  change.points_balance = get_delta (self, RG_LEDGER_ACCOUNT_POINTS_BALANCE);
  change.stored_value = get_delta (self, RG_LEDGER_ACCOUNT_STORED_VALUE);
  change.reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));
  change.source = RG_LEDGER_SOURCE_MANUAL;

  gtk_revealer_set_reveal_child (self->general_error_revealer, FALSE);

  if (rg_member_store_adjust (self->member_store, self->member_id, &change, &error))
    {
      g_signal_emit (self, signals[APPLIED], 0);
      gtk_window_close (GTK_WINDOW (self));
      return TRUE;
    }

  field = error->domain == RG_MEMBER_ERROR ? rg_member_error_get_field (error) : NULL;
  if (g_strcmp0 (field, RG_MEMBER_FIELD_REASON) == 0)
    {
      show_row_error (GTK_WIDGET (self->reason_row), self->reason_error_row,
                      self->reason_error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
      return FALSE;
    }

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      if (g_strcmp0 (field, rg_ledger_account_to_string (i)) == 0)
        {
          show_row_error (GTK_WIDGET (self->accounts[i].row), self->accounts[i].error_row,
                          self->accounts[i].error_label, error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->accounts[i].spin));
          return FALSE;
        }
    }

  if (error->domain != RG_MEMBER_ERROR)
    g_warning ("Could not adjust member %" G_GINT64_FORMAT ": %s", self->member_id, error->message);
  gtk_label_set_text (self->general_error_label, error->message);
  gtk_revealer_set_reveal_child (self->general_error_revealer, TRUE);
  return FALSE;
}

GtkSpinButton *
_rg_member_adjust_dialog_get_spin_button (RgMemberAdjustDialog *self,
                                          RgLedgerAccount       account)
{
  g_return_val_if_fail (account < N_ACCOUNTS, NULL);

  return self->accounts[account].spin;
}

GtkEditable *
_rg_member_adjust_dialog_get_reason (RgMemberAdjustDialog *self)
{
  return GTK_EDITABLE (self->reason_row);
}

const char *
_rg_member_adjust_dialog_get_error (RgMemberAdjustDialog *self,
                                    const char           *field)
{
  GtkWidget *error_row = NULL;
  GtkLabel *label = NULL;

  if (g_strcmp0 (field, RG_MEMBER_FIELD_REASON) == 0)
    {
      error_row = self->reason_error_row;
      label = self->reason_error_label;
    }
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      if (g_strcmp0 (field, rg_ledger_account_to_string (i)) == 0)
        {
          error_row = self->accounts[i].error_row;
          label = self->accounts[i].error_label;
        }
    }

  if (error_row == NULL || !gtk_widget_get_visible (error_row))
    return NULL;
  return gtk_label_get_text (label);
}

GListModel *
_rg_member_adjust_dialog_get_ledger (RgMemberAdjustDialog *self)
{
  return self->ledger;
}
