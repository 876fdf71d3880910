/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-wechat-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error.h"
#include "rg-member-wechat-dialog-private.h"
#include "rg-secrets.h"
#include "rg-wechat-errors.h"

/*
 * RgMemberWeChatDialog: activates a member's WeChat card with the code of the card they
 * received, the code WeChat sent prefilled. WeChat answers while the dialog waits with a
 * spinner; Cancel stops the request and closes. A refusal is said under the code, with a
 * way to the page where it can be fixed.
 */

struct _RgMemberWeChatDialog
{
  AdwWindow             parent_instance;

  RgCardWeChat         *wechat;
  RgMember             *member;
  char                 *pending_code;
  GCancellable         *cancellable;

  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *code_group;
  AdwEntryRow          *code_row;
  GtkSpinner           *spinner;
  GtkWidget            *message_box;
  GtkLabel             *message_label;
  GtkWidget            *page_button;
};

enum {
  PROP_0,
  PROP_WECHAT,
  PROP_MEMBER,
  PROP_PENDING_CODE,
  PROP_BUSY,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgMemberWeChatDialog, rg_member_wechat_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Codes are often read out or typed in groups: spaces are no part of them. */
static char *
normalize_code (const char *text)
{
  GString *code = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (code, c);
    }
  return g_string_free (code, FALSE);
}

/* @page: the main window's page where the problem is fixed, %NULL for none */
static void
show_message (RgMemberWeChatDialog *self,
              const char           *message,
              const char           *page)
{
  gtk_widget_set_visible (self->message_box, message != NULL);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->page_button, page != NULL);
  if (page == NULL)
    return;

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->page_button), "s", page);
  if (g_str_equal (page, "cards"))
    {
      gtk_button_set_label (GTK_BUTTON (self->page_button), _("Member _Cards"));
      gtk_widget_set_tooltip_text (self->page_button, _("Open the Member Cards page"));
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (self->page_button), _("C_hannels"));
      gtk_widget_set_tooltip_text (self->page_button, _("Open the Channels page"));
    }
}

/* What the merchant can do about a refusal, and on which page; WeChat's own words otherwise. */
static char *
describe_error (const GError  *error,
                const char   **page)
{
  char *message;

  if (g_error_matches (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_NO_CARD))
    {
      *page = "cards";
      return g_strdup (_("There is no WeChat member card yet. Push the WeChat design on the "
                         "Member Cards page first, then activate again."));
    }

  message = rg_wechat_describe_credentials_error (error, RG_WECHAT_REQUEST_ACTIVATE);
  if (message != NULL)
    {
      /* A locked keyring is unlocked where it is; the rest is fixed on the Channels page. */
      if (g_error_matches (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED))
        *page = NULL;
      else
        *page = "channels";
      return message;
    }

  *page = NULL;
  if (error->domain == RG_CHANNEL_ERROR)
    /* Translators: %s is WeChat's answer, e.g. “WeChat error 40056: invalid serial code” */
    return g_strdup_printf (_("WeChat did not activate the card: %s"), error->message);
  return g_strdup (error->message);
}

static void
set_busy (RgMemberWeChatDialog *self,
          gboolean              busy)
{
  if (busy == (self->cancellable != NULL))
    return;

  if (busy)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      /* GTK 4.8 loses the focus-out of an entry made insensitive while focused. */
      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->code_group)))
        gtk_root_set_focus (GTK_ROOT (self), NULL);
      self->cancellable = g_cancellable_new ();
    }
  else
    g_clear_object (&self->cancellable);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wechat.activate", !busy);
  adw_window_title_set_subtitle (self->window_title,
                                 busy ? _("Waiting for WeChat…") : rg_member_get_name (self->member));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
activated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RgMemberWeChatDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  const char *page = NULL;

  /* Cancelled: the dialog is closing. */
  if (!rg_card_wechat_activate_member_finish (RG_CARD_WECHAT (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (error != NULL)
    {
      g_message ("Activating the WeChat card of member %" G_GINT64_FORMAT " failed: %s",
                 rg_member_get_id (self->member), error->message);
      message = describe_error (error, &page);
      show_message (self, message, page);
      gtk_widget_add_css_class (GTK_WIDGET (self->code_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  code = normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  g_signal_emit (self, signals[ACTIVATED], 0, code);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RgMemberWeChatDialog *self = RG_MEMBER_WECHAT_DIALOG (widget);
  g_autofree char *code = NULL;

  if (self->cancellable != NULL)
    return;

  code = normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  if (code[0] == '\0')
    {
      show_message (self, _("Enter the code of the member’s WeChat card."), NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->code_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  show_message (self, NULL, NULL);
  set_busy (self, TRUE);
  rg_card_wechat_activate_member_async (self->wechat, rg_member_get_id (self->member), code,
                                        self->cancellable, activated_cb, g_object_ref (self));
}

/* The page is in the main window, which this dialog is over. */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-page", "s",
                                g_variant_get_string (parameter, NULL));
  gtk_window_close (GTK_WINDOW (widget));
}

static void
on_code_changed (RgMemberWeChatDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->code_row), "error");
}

static void
on_code_activated (RgMemberWeChatDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wechat.activate", NULL);
}

static gboolean
rg_member_wechat_dialog_close_request (GtkWindow *window)
{
  RgMemberWeChatDialog *self = RG_MEMBER_WECHAT_DIALOG (window);

  /* WeChat may still activate a request that reached it; the card then shows as received,
   * and activating again with the same code is what fixes it. */
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (rg_member_wechat_dialog_parent_class)->close_request (window);
}

static void
rg_member_wechat_dialog_constructed (GObject *object)
{
  RgMemberWeChatDialog *self = (RgMemberWeChatDialog *)object;
  const char *description;

  G_OBJECT_CLASS (rg_member_wechat_dialog_parent_class)->constructed (object);

  g_assert (RG_IS_CARD_WECHAT (self->wechat));
  g_assert (RG_IS_MEMBER (self->member));

  adw_window_title_set_subtitle (self->window_title, rg_member_get_name (self->member));

  if (self->pending_code != NULL)
    description = _("WeChat sent this code when the member took the card. Once the card is "
                    "activated, changes to points and stored value are sent to it.");
  else
    description = _("Ask the member for the number under the barcode of the card in their "
                    "WeChat. Once the card is activated, changes to points and stored value are "
                    "sent to it.");
  adw_preferences_group_set_description (self->code_group, description);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row),
                         self->pending_code != NULL ? self->pending_code : "");
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
rg_member_wechat_dialog_dispose (GObject *object)
{
  RgMemberWeChatDialog *self = (RgMemberWeChatDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBER_WECHAT_DIALOG);

  G_OBJECT_CLASS (rg_member_wechat_dialog_parent_class)->dispose (object);
}

static void
rg_member_wechat_dialog_finalize (GObject *object)
{
  RgMemberWeChatDialog *self = (RgMemberWeChatDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->wechat);
  g_clear_object (&self->member);
  g_clear_pointer (&self->pending_code, g_free);

  G_OBJECT_CLASS (rg_member_wechat_dialog_parent_class)->finalize (object);
}

static void
rg_member_wechat_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgMemberWeChatDialog *self = RG_MEMBER_WECHAT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WECHAT:
      g_value_set_object (value, self->wechat);
      break;

    case PROP_MEMBER:
      g_value_set_object (value, self->member);
      break;

    case PROP_PENDING_CODE:
      g_value_set_string (value, self->pending_code);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, rg_member_wechat_dialog_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_wechat_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgMemberWeChatDialog *self = RG_MEMBER_WECHAT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WECHAT:
      self->wechat = g_value_dup_object (value);
      break;

    case PROP_MEMBER:
      /* A copy: the pane's member changes under an open dialog. */
      self->member = rg_member_copy (g_value_get_object (value));
      break;

    case PROP_PENDING_CODE:
      self->pending_code = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_wechat_dialog_class_init (RgMemberWeChatDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rg_member_wechat_dialog_constructed;
  object_class->dispose = rg_member_wechat_dialog_dispose;
  object_class->finalize = rg_member_wechat_dialog_finalize;
  object_class->get_property = rg_member_wechat_dialog_get_property;
  object_class->set_property = rg_member_wechat_dialog_set_property;

  window_class->close_request = rg_member_wechat_dialog_close_request;

  properties[PROP_WECHAT] =
    g_param_spec_object ("wechat", NULL, NULL,
                         RG_TYPE_CARD_WECHAT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MEMBER] =
    g_param_spec_object ("member", NULL, NULL,
                         RG_TYPE_MEMBER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberWeChatDialog:pending-code:
   *
   * The code WeChat sent for the member's card, not activated yet; the entry starts with it.
   */
  properties[PROP_PENDING_CODE] =
    g_param_spec_string ("pending-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberWeChatDialog:busy:
   *
   * Whether WeChat is being asked to activate the card.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgMemberWeChatDialog::activated:
   * @code: the card code, as WeChat accepted it
   *
   * The card is activated and its code recorded; the dialog closes.
   */
  signals[ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-member-wechat-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, code_group);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, message_box);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, RgMemberWeChatDialog, page_button);
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);

  gtk_widget_class_install_action (widget_class, "wechat.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "wechat.show-page", "s", show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rg_member_wechat_dialog_init (RgMemberWeChatDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rg_member_wechat_dialog_new:
 * @parent: the main window
 * @wechat: the WeChat card to activate with
 * @member: a stored member with a member number and a WeChat openid
 * @pending_code: (nullable): the code WeChat sent for the member, to start with
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
GtkWindow *
rg_member_wechat_dialog_new (GtkWindow    *parent,
                             RgCardWeChat *wechat,
                             RgMember     *member,
                             const char   *pending_code)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RG_IS_CARD_WECHAT (wechat), NULL);
  g_return_val_if_fail (RG_IS_MEMBER (member), NULL);

  return g_object_new (RG_TYPE_MEMBER_WECHAT_DIALOG,
                       "transient-for", parent,
                       "wechat", wechat,
                       "member", member,
                       "pending-code", pending_code,
                       NULL);
}

/**
 * rg_member_wechat_dialog_get_member:
 *
 * Returns: (transfer none): the member whose card is activated
 */
RgMember *
rg_member_wechat_dialog_get_member (RgMemberWeChatDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_WECHAT_DIALOG (self), NULL);

  return self->member;
}

gboolean
rg_member_wechat_dialog_get_busy (RgMemberWeChatDialog *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_WECHAT_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

GtkEditable *
_rg_member_wechat_dialog_get_code_editable (RgMemberWeChatDialog *self)
{
  return GTK_EDITABLE (self->code_row);
}

const char *
_rg_member_wechat_dialog_get_message (RgMemberWeChatDialog *self)
{
  return gtk_widget_get_visible (self->message_box) ? gtk_label_get_text (self->message_label)
                                                    : NULL;
}

GtkWidget *
_rg_member_wechat_dialog_get_page_button (RgMemberWeChatDialog *self)
{
  return self->page_button;
}
