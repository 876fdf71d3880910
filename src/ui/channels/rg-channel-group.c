/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channel-group"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error.h"
#include "rg-channel-group.h"
#include "rg-channel-kind.h"
#include "rg-channel-tester.h"
#include "rg-channels-private.h"
#include "rg-secrets.h"

/* One settings row of the catalogue. */
typedef struct
{
  const RgChannelFieldInfo *info;
  RgFieldFeedback           feedback;
  GtkLabel                 *state_label;
  GtkWidget                *clear_button;
  guint                     stored : 1;
  guint                     known : 1;
  guint                     dirty : 1;
} Field;

struct _RgChannelGroup
{
  AdwPreferencesGroup  parent_instance;

  char                *channel;
  const RgChannelInfo *info;
  RgChannelSettings   *settings;
  Field               *fields;
  guint                n_fields;
  char                *webhook_url;

  GCancellable        *cancellable;
  guint                generation;
  guint                pending_secrets;
  GError              *secrets_error;
  guint                n_busy;

  GtkListBox          *fields_list;
  AdwExpanderRow      *advanced_row;
  AdwActionRow        *test_row;
  GtkStack            *test_status;
  GtkSpinner          *test_spinner;
  GtkListBox          *webhook_list;
  AdwActionRow        *webhook_row;
  GtkWidget           *copy_button;
  GtkWidget           *server_button;
  AdwExpanderRow      *steps_row;
  GtkLabel            *steps_label;

  guint                keyring_available : 1;
  guint                testing : 1;
  guint                updating : 1;
  guint                disposed : 1;
};

enum {
  PROP_0,
  PROP_CHANNEL,
  PROP_SETTINGS,
  PROP_KEYRING_AVAILABLE,
  PROP_TESTING,
  N_PROPS
};

enum {
  SECRETS_LOADED,
  KEYRING_ERROR,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgChannelGroup, rg_channel_group, ADW_TYPE_PREFERENCES_GROUP)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const line_steps[] = {
  N_("Open the <a href=\"https://developers.line.biz/console/\">LINE Developers console</a> and sign in."),
  N_("Choose your provider, then your Messaging API channel."),
  N_("Open the “Messaging API” tab."),
  N_("Under “Webhook settings”, click “Edit”, paste the webhook URL above and click “Update”."),
  N_("Click “Verify”. LINE should answer “Success”; Regulars must be running and reachable at the public base URL."),
  N_("Turn on “Use webhook”."),
  NULL
};

static const char * const whatsapp_steps[] = {
  N_("Open your app in <a href=\"https://developers.facebook.com/apps/\">Meta for Developers</a>."),
  N_("Go to “WhatsApp” → “Configuration” and click “Edit” under “Webhook”."),
  N_("Paste the webhook URL above as the “Callback URL”."),
  N_("Enter the same verify token as above: Regulars answers Meta's check only when the two match."),
  N_("Click “Verify and save”, then subscribe to the “messages” field."),
  NULL
};

static const char * const wechat_steps[] = {
  N_("Open the <a href=\"https://mp.weixin.qq.com/\">WeChat Official Accounts Platform</a> and sign in."),
  N_("Go to “Settings and Development” → “Basic Configuration” and click “Modify configuration” under “Server configuration”."),
  N_("Paste the webhook URL above as the “URL” and enter the same server token as above as the “Token”."),
  N_("Choose “Plaintext mode” for message encryption: Regulars does not read encrypted messages. Any EncodingAESKey will do."),
  N_("Click “Submit”: WeChat checks the URL and the token, so Regulars must be running and reachable at the public base URL. Then click “Enable”."),
  NULL
};

typedef struct
{
  const char         *channel;
  const char         *description;
  const char         *steps_title;
  const char         *steps_subtitle;
  const char * const *steps;
} ChannelText;

static const ChannelText channel_texts[] = {
  { "line",
    N_("The Messaging API channel of your LINE Official Account: messages to friends, notification messages by phone number and member cards."),
    N_("Turn On “Use webhook”"),
    N_("In the LINE Developers console"),
    line_steps },
  { "whatsapp",
    N_("The WhatsApp Cloud API number of your Meta business account."),
    N_("Connect the Webhook"),
    N_("In Meta for Developers; the verify token must match"),
    whatsapp_steps },
  { "wechat",
    N_("Your WeChat Official Account, for member cards and points messages."),
    N_("Set Up the Server Configuration"),
    N_("On the WeChat Official Accounts Platform; the server token must match"),
    wechat_steps },
  { "sms",
    N_("The gateway that sends a text message when LINE cannot reach a customer."),
    NULL, NULL, NULL },
};

typedef struct
{
  RgChannelGroup *self;
  Field          *field;
  guint           generation;
} FieldOp;

static FieldOp *
field_op_new (RgChannelGroup *self,
              Field          *field)
{
  FieldOp *op = g_new0 (FieldOp, 1);

  op->self = g_object_ref (self);
  op->field = field;
  op->generation = self->generation;
  return op;
}

static void
field_op_free (FieldOp *op)
{
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FieldOp, field_op_free)

static void
wipe_string (char *str)
{
  volatile char *p = str;

  if (str == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (str);
}

/* The table holds secrets read from the keyring; they should not linger in freed memory. */
static void
wipe_config (GHashTable *config)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, config);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      for (volatile char *p = value; *p != '\0'; p++)
        *p = '\0';
    }
}

static const ChannelText *
find_channel_text (const char *channel)
{
  for (guint i = 0; i < G_N_ELEMENTS (channel_texts); i++)
    {
      if (g_str_equal (channel_texts[i].channel, channel))
        return &channel_texts[i];
    }
  return NULL;
}

static const char *
choice_display_name (const char *choice)
{
  if (g_str_equal (choice, "mitake"))
    /* Translators: the Taiwanese SMS gateway 三竹資訊 */
    return _("Mitake");
  if (g_str_equal (choice, "twilio"))
    return _("Twilio");
  return choice;
}

static Field *
find_field (RgChannelGroup *self,
            const char     *name)
{
  for (guint i = 0; i < self->n_fields; i++)
    {
      if (g_str_equal (self->fields[i].info->name, name))
        return &self->fields[i];
    }
  return NULL;
}

static gboolean
is_disposed (RgChannelGroup *self)
{
  return self->disposed;
}

static void
update_actions (RgChannelGroup *self)
{
  gboolean ready = self->settings != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.test", ready && !self->testing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.save-field", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.clear-field",
                                 ready && self->keyring_available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.copy-webhook",
                                 self->webhook_url != NULL);
}

static void
update_secret_state (RgChannelGroup *self,
                     Field          *field)
{
  const char *state;

  g_assert (field->info->secret);

  if (!self->keyring_available)
    state = _("Keyring unavailable");
  else if (!field->known)
    state = _("Checking the keyring…");
  else if (field->stored)
    state = _("Stored in the keyring");
  else
    state = _("Not set");

  gtk_label_set_text (field->state_label, state);
  gtk_widget_set_visible (field->clear_button,
                          self->keyring_available && field->known && field->stored);
  gtk_widget_set_sensitive (field->feedback.row, self->keyring_available);
}

static void
set_row_text (RgChannelGroup *self,
              Field          *field,
              const char     *text)
{
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (field->feedback.row), text != NULL ? text : "");
  self->updating = FALSE;
}

/* Shows what the database holds for a field that is not secret. */
static void
load_plain_field (RgChannelGroup *self,
                  Field          *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert (!field->info->secret);

  value = rg_channel_settings_get_value (self->settings, self->channel, field->info->name, &error);
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_ERROR,
                              _rg_channels_strip_prefix (error->message));
      return;
    }

  if (field->info->type == RG_CHANNEL_FIELD_CHOICE)
    {
      guint selected = 0;

      for (guint i = 0; value != NULL && field->info->choices[i] != NULL; i++)
        {
          if (g_str_equal (field->info->choices[i], value))
            selected = i + 1;
        }
      self->updating = TRUE;
      adw_combo_row_set_selected (ADW_COMBO_ROW (field->feedback.row), selected);
      self->updating = FALSE;
    }
  else
    set_row_text (self, field, value);

  if (g_str_equal (field->info->name, "base-url"))
    adw_expander_row_set_subtitle (self->advanced_row, value != NULL ? value : "");

  field->dirty = FALSE;
}

static void
secret_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FieldOp) op = user_data;
  RgChannelGroup *self = op->self;
  g_autoptr(GError) error = NULL;
  char *value;
  gboolean stored;

  value = rg_channel_settings_get_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  /* Only whether a secret is set is shown; the value itself never reaches a widget. */
  stored = value != NULL && value[0] != '\0';
  wipe_string (value);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      is_disposed (self) || op->generation != self->generation)
    return;

  if (error != NULL)
    {
      op->field->known = FALSE;
      if (self->secrets_error == NULL)
        self->secrets_error = g_steal_pointer (&error);
    }
  else
    {
      op->field->known = TRUE;
      op->field->stored = stored;
    }
  update_secret_state (self, op->field);

  g_assert (self->pending_secrets > 0);
  if (--self->pending_secrets == 0)
    {
      g_autoptr(GError) first_error = g_steal_pointer (&self->secrets_error);

      g_signal_emit (self, signals[SECRETS_LOADED], 0, first_error);
    }
}

static void
update_webhook (RgChannelGroup *self)
{
  gboolean has_url;

  if (self->info == NULL || self->info->webhook_path == NULL)
    return;

  g_clear_pointer (&self->webhook_url, g_free);
  if (self->settings != NULL)
    self->webhook_url = rg_channel_settings_dup_webhook_url (self->settings, self->channel);
  has_url = self->webhook_url != NULL;

  if (has_url)
    adw_action_row_set_subtitle (self->webhook_row, self->webhook_url);
  else
    adw_action_row_set_subtitle (self->webhook_row,
                                 _("No public base URL is set yet. Enter the address at which "
                                   "your reverse proxy or tunnel reaches Regulars under "
                                   "“Built-in Server”."));
  gtk_widget_set_visible (self->copy_button, has_url);
  gtk_widget_set_visible (self->server_button, !has_url);
  update_actions (self);
}

static void
on_settings_changed (RgChannelGroup    *self,
                     const char        *channel,
                     const char        *field_name)
{
  Field *field;

  if (g_strcmp0 (channel, "server") == 0)
    {
      if (g_strcmp0 (field_name, "public-base-url") == 0)
        update_webhook (self);
      return;
    }

  if (g_strcmp0 (channel, self->channel) != 0 || !(field = find_field (self, field_name)))
    return;

  if (!field->info->secret && !field->dirty)
    load_plain_field (self, field);

  /* The default API address follows the SMS provider. */
  if (g_str_equal (field_name, "provider") && (field = find_field (self, "base-url")) && !field->dirty)
    load_plain_field (self, field);
}

/**
 * rg_channel_group_reload:
 *
 * Shows the saved values again and asks the keyring which secrets it holds. Emits
 * #RgChannelGroup::secrets-loaded when the keyring has answered.
 */
void
rg_channel_group_reload (RgChannelGroup *self)
{
  g_return_if_fail (RG_IS_CHANNEL_GROUP (self));

  if (self->settings == NULL || self->info == NULL)
    return;

  self->generation++;
  self->pending_secrets = 0;
  g_clear_error (&self->secrets_error);

  for (guint i = 0; i < self->n_fields; i++)
    {
      Field *field = &self->fields[i];

      if (!field->info->secret)
        {
          load_plain_field (self, field);
          continue;
        }

      field->known = FALSE;
      update_secret_state (self, field);
      self->pending_secrets++;
      rg_channel_settings_get_async (self->settings, self->channel, field->info->name,
                                     self->cancellable, secret_loaded_cb,
                                     field_op_new (self, field));
    }

  update_webhook (self);

  if (self->pending_secrets == 0)
    g_signal_emit (self, signals[SECRETS_LOADED], 0, NULL);
}

static void
report_keyring_error (RgChannelGroup *self,
                      const GError   *error)
{
  if (error != NULL && error->domain == RG_SECRETS_ERROR)
    g_signal_emit (self, signals[KEYRING_ERROR], 0, error);
}

/* What a save and a removal share once the keyring or the database has answered: shows a
 * failure under the field. Returns %TRUE when the operation succeeded. */
static gboolean
field_op_succeeded (RgChannelGroup *self,
                    Field          *field,
                    const GError   *error)
{
  self->n_busy--;
  if (is_disposed (self))
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_NONE, NULL);
      return FALSE;
    }

  if (error != NULL)
    {
      if (error->domain != RG_CHANNEL_SETTINGS_ERROR)
        g_warning ("%s", error->message);
      _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_ERROR,
                              _rg_channels_strip_prefix (error->message));
      if (g_str_equal (field->info->name, "base-url"))
        adw_expander_row_set_expanded (self->advanced_row, TRUE);
      report_keyring_error (self, error);
      return FALSE;
    }

  return TRUE;
}

static void
field_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FieldOp) op = user_data;
  RgChannelGroup *self = op->self;
  Field *field = op->field;
  g_autoptr(GError) error = NULL;

  rg_channel_settings_set_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (!field_op_succeeded (self, field, error))
    return;

  if (field->info->secret)
    {
      /* The secret went to the keyring; the row shows that, never the value. */
      set_row_text (self, field, NULL);
      field->known = TRUE;
      field->stored = TRUE;
      field->dirty = FALSE;
      update_secret_state (self, field);
    }
  else
    load_plain_field (self, field);

  _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_SAVED, NULL);
}

static void
rg_channel_group_save_field (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *value = NULL;
  Field *field;

  if (self->settings == NULL)
    return;

  if (!(field = find_field (self, name)))
    {
      g_warning ("Channel “%s” has no field “%s”", self->channel, name);
      return;
    }

  if (field->info->type == RG_CHANNEL_FIELD_CHOICE)
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->feedback.row));

      if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
        value = g_strdup (field->info->choices[selected - 1]);
    }
  else if (field->info->secret)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (field->feedback.row));

      /* An empty secret row means “keep the stored one”; removing it is its own button. */
      if (text[0] == '\0')
        return;
      value = g_strdup (text);
    }
  else
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (field->feedback.row));
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      /* Saving an empty row clears the setting (the API address returns to its default). */
      if (stripped[0] != '\0')
        value = g_strdup (text);
    }

  _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_SAVING, NULL);
  self->n_busy++;
  rg_channel_settings_set_async (self->settings, self->channel, name, value, self->cancellable,
                                 field_saved_cb, field_op_new (self, field));
  wipe_string (g_steal_pointer (&value));
}

static void
field_cleared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FieldOp) op = user_data;
  RgChannelGroup *self = op->self;
  Field *field = op->field;
  g_autoptr(GError) error = NULL;

  rg_channel_settings_clear_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (!field_op_succeeded (self, field, error))
    return;

  field->known = TRUE;
  field->stored = FALSE;
  update_secret_state (self, field);
  _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_SAVED, NULL);
}

static void
rg_channel_group_clear_field (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  Field *field;

  if (self->settings == NULL || !(field = find_field (self, name)))
    return;

  _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_SAVING, NULL);
  self->n_busy++;
  rg_channel_settings_clear_async (self->settings, self->channel, name, self->cancellable,
                                   field_cleared_cb, field_op_new (self, field));
}

static void
set_testing (RgChannelGroup *self,
             gboolean        testing)
{
  if (self->testing == !!testing)
    return;

  self->testing = !!testing;
  if (testing)
    gtk_spinner_start (self->test_spinner);
  else
    gtk_spinner_stop (self->test_spinner);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTING]);
}

static void
show_test_result (RgChannelGroup *self,
                  const char     *state,
                  const char     *title,
                  const char     *subtitle)
{
  gtk_stack_set_visible_child_name (self->test_status, state);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), title);
  adw_action_row_set_subtitle (self->test_row, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->test_row), TRUE);
}

static void
test_failed (RgChannelGroup *self,
             const GError   *error)
{
  const char *title;

  if (g_error_matches (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_MISSING) ||
      g_error_matches (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION))
    title = _("Settings Missing");
  else if (error->domain == RG_SECRETS_ERROR)
    title = _("Keyring Unavailable");
  else
    title = _("Connection Failed");

  g_message ("Testing %s failed: %s", self->channel, error->message);
  show_test_result (self, "failure", title, _rg_channels_strip_prefix (error->message));
  report_keyring_error (self, error);
  set_testing (self, FALSE);
}

static void
test_cancelled (RgChannelGroup *self)
{
  if (is_disposed (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->test_row), FALSE);
  set_testing (self, FALSE);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RgChannelGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  g_autofree char *subtitle = NULL;

  if (!rg_channel_test_connection_finish (result, &summary, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        test_cancelled (self);
      else if (!is_disposed (self))
        test_failed (self, error);
      return;
    }

  if (is_disposed (self))
    return;

  now = g_date_time_new_now_local ();
  at = g_date_time_format (now, "%X");
  /* Translators: %s is a time of day */
  subtitle = g_strdup_printf (_("The platform accepted the saved settings at %s"), at);
  show_test_result (self, "success", summary, subtitle);
  set_testing (self, FALSE);
}

static void
config_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RgChannelGroup) self = user_data;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GError) error = NULL;
  RgChannelKind kind;

  config = rg_channel_settings_load_config_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_disposed (self))
    {
      if (config != NULL)
        wipe_config (config);
      test_cancelled (self);
      return;
    }

  if (config == NULL || !rg_channel_settings_check_required (self->channel, config, &error))
    {
      if (config != NULL)
        wipe_config (config);
      test_failed (self, error);
      return;
    }

  if (!rg_channel_kind_from_string (self->channel, &kind))
    g_assert_not_reached ();

  rg_channel_test_connection_async (kind, config, self->cancellable, tested_cb,
                                    g_object_ref (self));
  wipe_config (config);
}

static void
rg_channel_group_test (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (widget);

  if (self->settings == NULL || self->testing)
    return;

  set_testing (self, TRUE);
  show_test_result (self, "running", _("Testing the connection…"),
                    _("Calling the platform with the saved settings"));
  rg_channel_settings_load_config_async (self->settings, self->channel, self->cancellable,
                                         config_loaded_cb, g_object_ref (self));
}

static void
rg_channel_group_copy_webhook (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (widget);

  if (self->webhook_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->webhook_url);
  _rg_channels_add_toast (widget, _("Copied"));
}

static void
on_row_apply (RgChannelGroup *self,
              GtkWidget      *row)
{
  Field *field = g_object_get_data (G_OBJECT (row), "rg-field");

  gtk_widget_activate_action (GTK_WIDGET (self), "channel.save-field", "s", field->info->name);
}

static void
on_row_changed (RgChannelGroup *self,
                GtkWidget      *row)
{
  Field *field = g_object_get_data (G_OBJECT (row), "rg-field");

  if (self->updating)
    return;

  field->dirty = TRUE;
  if (_rg_field_feedback_get (&field->feedback) != RG_FIELD_STATUS_SAVING)
    _rg_field_feedback_set (&field->feedback, RG_FIELD_STATUS_NONE, NULL);
}

static void
on_combo_selected (RgChannelGroup *self,
                   GParamSpec     *pspec,
                   GtkWidget      *row)
{
  Field *field = g_object_get_data (G_OBJECT (row), "rg-field");

  if (self->updating)
    return;

  /* A choice has no half-typed state: picking it is saving it. */
  gtk_widget_activate_action (GTK_WIDGET (self), "channel.save-field", "s", field->info->name);
}

static GtkWidget *
create_secret_row (RgChannelGroup *self,
                   Field          *field)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);

  field->state_label = GTK_LABEL (gtk_label_new (NULL));
  /* On a narrow window the setting's name matters more than the state. */
  gtk_label_set_ellipsize (field->state_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (field->state_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (field->state_label), "caption");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (field->state_label));

  return row;
}

static void
add_clear_button (RgChannelGroup *self,
                  Field          *field)
{
  g_autofree char *tooltip = NULL;

  field->clear_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (field->clear_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (field->clear_button, "flat");
  /* Translators: %s is a setting such as “Channel secret” */
  tooltip = g_strdup_printf (_("Remove the %s from the keyring"), _(field->info->label));
  gtk_widget_set_tooltip_text (field->clear_button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (field->clear_button), "channel.clear-field");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (field->clear_button), "s", field->info->name);
  gtk_widget_set_visible (field->clear_button, FALSE);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->feedback.row), field->clear_button);
}

static GtkWidget *
create_choice_row (RgChannelGroup *self,
                   Field          *field)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  gtk_string_list_append (choices, _("Not set"));
  for (guint i = 0; field->info->choices[i] != NULL; i++)
    gtk_string_list_append (choices, choice_display_name (field->info->choices[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));

  return row;
}

static GtkWidget *
create_entry_row (RgChannelGroup *self,
                  Field          *field)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);

  switch (field->info->type)
    {
    case RG_CHANNEL_FIELD_DIGITS:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      break;

    case RG_CHANNEL_FIELD_URL:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
      adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row), GTK_INPUT_HINT_NO_SPELLCHECK);
      break;

    case RG_CHANNEL_FIELD_TOKEN:
      adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row), GTK_INPUT_HINT_NO_SPELLCHECK);
      break;

    case RG_CHANNEL_FIELD_TEXT:
    case RG_CHANNEL_FIELD_CHOICE:
    default:
      break;
    }

  return row;
}

static void
build_rows (RgChannelGroup *self)
{
  const ChannelText *text = find_channel_text (self->channel);
  gboolean has_advanced = FALSE;
  int position = 0;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _(self->info->label));
  if (text != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), _(text->description));

  self->n_fields = self->info->n_fields;
  self->fields = g_new0 (Field, self->n_fields);

  for (guint i = 0; i < self->n_fields; i++)
    {
      Field *field = &self->fields[i];
      GtkWidget *row;

      field->info = &self->info->fields[i];

      if (field->info->secret)
        row = create_secret_row (self, field);
      else if (field->info->type == RG_CHANNEL_FIELD_CHOICE)
        row = create_choice_row (self, field);
      else
        row = create_entry_row (self, field);

      gtk_widget_set_name (row, field->info->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->info->label));
      g_object_set_data (G_OBJECT (row), "rg-field", field);
      _rg_field_feedback_init (&field->feedback, row);

      if (field->info->secret)
        {
          add_clear_button (self, field);
          update_secret_state (self, field);
        }

      if (ADW_IS_ENTRY_ROW (row))
        {
          g_signal_connect_object (row, "apply", G_CALLBACK (on_row_apply), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed), self,
                                   G_CONNECT_SWAPPED);
        }
      else
        g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_combo_selected), self,
                                 G_CONNECT_SWAPPED);

      /* The API address only changes for tests and special deployments. */
      if (g_str_equal (field->info->name, "base-url"))
        {
          adw_expander_row_add_row (self->advanced_row, row);
          adw_expander_row_add_row (self->advanced_row, field->feedback.message_row);
          has_advanced = TRUE;
        }
      else
        {
          gtk_list_box_insert (self->fields_list, row, position++);
          gtk_list_box_insert (self->fields_list, field->feedback.message_row, position++);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->advanced_row), has_advanced);

  if (self->info->webhook_path != NULL && text != NULL && text->steps != NULL)
    {
      g_autoptr(GString) steps = g_string_new (NULL);

      for (guint i = 0; text->steps[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (steps, '\n');
          /* Translators: one numbered step of a list, e.g. “1. Open the console” */
          g_string_append_printf (steps, _("%u. %s"), i + 1, _(text->steps[i]));
        }
      gtk_label_set_markup (self->steps_label, steps->str);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->steps_row), _(text->steps_title));
      adw_expander_row_set_subtitle (self->steps_row, _(text->steps_subtitle));
      gtk_widget_set_visible (GTK_WIDGET (self->webhook_list), TRUE);
      update_webhook (self);
    }
}

static void
rg_channel_group_constructed (GObject *object)
{
  RgChannelGroup *self = (RgChannelGroup *)object;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (rg_channel_group_parent_class)->constructed (object);

  if (!(self->info = rg_channel_settings_lookup_channel (self->channel != NULL ? self->channel : "",
                                                         &error)))
    {
      g_critical ("%s", error->message);
      return;
    }

  build_rows (self);
  update_actions (self);
}

/* Out of the window nobody sees the answers: stop waiting for them. The callbacks hold a
 * reference on the group, so without this it would live (and wait) until the platform or
 * the keyring answers. */
static void
rg_channel_group_unroot (GtkWidget *widget)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  GTK_WIDGET_CLASS (rg_channel_group_parent_class)->unroot (widget);
}

static void
rg_channel_group_dispose (GObject *object)
{
  RgChannelGroup *self = (RgChannelGroup *)object;

  /* Answers still on their way find the rows gone. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CHANNEL_GROUP);

  G_OBJECT_CLASS (rg_channel_group_parent_class)->dispose (object);
}

static void
rg_channel_group_finalize (GObject *object)
{
  RgChannelGroup *self = (RgChannelGroup *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->secrets_error);
  g_clear_pointer (&self->fields, g_free);
  g_clear_pointer (&self->webhook_url, g_free);
  g_clear_pointer (&self->channel, g_free);

  G_OBJECT_CLASS (rg_channel_group_parent_class)->finalize (object);
}

static void
rg_channel_group_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_KEYRING_AVAILABLE:
      g_value_set_boolean (value, self->keyring_available);
      break;

    case PROP_TESTING:
      g_value_set_boolean (value, self->testing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channel_group_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgChannelGroup *self = RG_CHANNEL_GROUP (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      self->channel = g_value_dup_string (value);
      break;

    case PROP_SETTINGS:
      rg_channel_group_set_settings (self, g_value_get_object (value));
      break;

    case PROP_KEYRING_AVAILABLE:
      rg_channel_group_set_keyring_available (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channel_group_class_init (RgChannelGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_channel_group_constructed;
  object_class->dispose = rg_channel_group_dispose;
  object_class->finalize = rg_channel_group_finalize;
  object_class->get_property = rg_channel_group_get_property;
  object_class->set_property = rg_channel_group_set_property;

  widget_class->unroot = rg_channel_group_unroot;

  properties[PROP_CHANNEL] =
    g_param_spec_string ("channel", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEYRING_AVAILABLE] =
    g_param_spec_boolean ("keyring-available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TESTING] =
    g_param_spec_boolean ("testing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgChannelGroup::secrets-loaded:
   * @error: (nullable): why the keyring could not say which secrets it holds
   *
   * The keyring answered the questions of rg_channel_group_reload().
   */
  signals[SECRETS_LOADED] =
    g_signal_new ("secrets-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * RgChannelGroup::keyring-error:
   * @error: an %RG_SECRETS_ERROR
   *
   * Saving, removing or reading a secret failed because of the keyring.
   */
  signals[KEYRING_ERROR] =
    g_signal_new ("keyring-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-channel-group.ui");
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, fields_list);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, test_row);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, test_status);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, webhook_list);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, webhook_row);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, server_button);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, steps_row);
  gtk_widget_class_bind_template_child (widget_class, RgChannelGroup, steps_label);

  gtk_widget_class_install_action (widget_class, "channel.save-field", "s",
                                   rg_channel_group_save_field);
  gtk_widget_class_install_action (widget_class, "channel.clear-field", "s",
                                   rg_channel_group_clear_field);
  gtk_widget_class_install_action (widget_class, "channel.test", NULL, rg_channel_group_test);
  gtk_widget_class_install_action (widget_class, "channel.copy-webhook", NULL,
                                   rg_channel_group_copy_webhook);
}

static void
rg_channel_group_init (RgChannelGroup *self)
{
  self->keyring_available = TRUE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rg_channel_group_new:
 * @channel: a channel of the catalogue: "line", "whatsapp", "wechat" or "sms"
 */
GtkWidget *
rg_channel_group_new (const char *channel)
{
  g_return_val_if_fail (channel != NULL, NULL);

  return g_object_new (RG_TYPE_CHANNEL_GROUP,
                       "channel", channel,
                       NULL);
}

const char *
rg_channel_group_get_channel (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);

  return self->channel;
}

RgChannelSettings *
rg_channel_group_get_settings (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);

  return self->settings;
}

/**
 * rg_channel_group_set_settings:
 * @settings: (nullable): where the channel's settings live
 *
 * Shows the settings and starts asking the keyring which secrets are stored.
 */
void
rg_channel_group_set_settings (RgChannelGroup    *self,
                               RgChannelSettings *settings)
{
  g_return_if_fail (RG_IS_CHANNEL_GROUP (self));
  g_return_if_fail (!settings || RG_IS_CHANNEL_SETTINGS (settings));

  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed", G_CALLBACK (on_settings_changed), self,
                             G_CONNECT_SWAPPED);

  update_actions (self);
  rg_channel_group_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

gboolean
rg_channel_group_get_keyring_available (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), FALSE);

  return self->keyring_available;
}

/**
 * rg_channel_group_set_keyring_available:
 *
 * While the keyring is locked or missing, secret rows cannot be edited: there is nowhere
 * safe to put what would be typed.
 */
void
rg_channel_group_set_keyring_available (RgChannelGroup *self,
                                        gboolean        keyring_available)
{
  g_return_if_fail (RG_IS_CHANNEL_GROUP (self));

  keyring_available = !!keyring_available;
  if (self->keyring_available == keyring_available)
    return;

  self->keyring_available = keyring_available;
  for (guint i = 0; i < self->n_fields; i++)
    {
      if (self->fields[i].info->secret)
        update_secret_state (self, &self->fields[i]);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_AVAILABLE]);
}

gboolean
rg_channel_group_get_testing (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), FALSE);

  return self->testing;
}

/**
 * rg_channel_group_get_busy:
 *
 * Returns: whether a value is being saved or removed
 */
gboolean
rg_channel_group_get_busy (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), FALSE);

  return self->n_busy > 0;
}

/**
 * rg_channel_group_get_field_row:
 *
 * Returns: (transfer none) (nullable): the row that edits @field
 */
GtkWidget *
rg_channel_group_get_field_row (RgChannelGroup *self,
                                const char     *field)
{
  Field *found;

  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  found = find_field (self, field);
  return found != NULL ? found->feedback.row : NULL;
}

/**
 * rg_channel_group_get_field_error:
 *
 * Returns: (nullable): the message shown under the row of @field, if any
 */
const char *
rg_channel_group_get_field_error (RgChannelGroup *self,
                                  const char     *field)
{
  Field *found;

  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (!(found = find_field (self, field)) ||
      _rg_field_feedback_get (&found->feedback) != RG_FIELD_STATUS_ERROR)
    return NULL;

  return gtk_label_get_text (found->feedback.message_label);
}

/**
 * rg_channel_group_get_field_stored:
 *
 * Returns: whether the keyring is known to hold the secret @field
 */
gboolean
rg_channel_group_get_field_stored (RgChannelGroup *self,
                                   const char     *field)
{
  Field *found;

  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  found = find_field (self, field);
  return found != NULL && found->known && found->stored;
}

/**
 * rg_channel_group_get_test_row:
 *
 * Returns: (transfer none): the row showing the outcome of the last connection test
 */
AdwActionRow *
rg_channel_group_get_test_row (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);

  return self->test_row;
}

/**
 * rg_channel_group_get_webhook_row:
 *
 * Returns: (transfer none): the row showing the webhook URL (hidden for channels without one)
 */
AdwActionRow *
rg_channel_group_get_webhook_row (RgChannelGroup *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_GROUP (self), NULL);

  return self->webhook_row;
}
