/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channel-tester"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-tester.h"
#include "rg-line-client.h"
#include "rg-sms-client.h"
#include "rg-wechat-client.h"
#include "rg-whatsapp-client.h"

static const char *
lookup (GHashTable *config,
        const char *field)
{
  const char *value = config != NULL ? g_hash_table_lookup (config, field) : NULL;

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Returns FALSE, with the task answered, when a required field is empty. */
static gboolean
require (GTask         *task,
         RgChannelKind  kind,
         GHashTable    *config,
         const char    *field)
{
  g_autofree char *message = NULL;

  if (lookup (config, field) != NULL)
    return TRUE;

  /* Translators: first %s is a field name such as “channel-access-token”, second a platform */
  message = g_strdup_printf (_("The field “%s” is required to test the %s channel"),
                             field, rg_channel_kind_get_display_name (kind));
  g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_CONFIGURATION, 0, NULL, -1,
                                                    NULL, message));
  return FALSE;
}

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RgLineBotInfo) info = NULL;
  g_autofree char *basic_id = NULL;
  GError *error = NULL;

  if ((info = rg_line_client_get_bot_info_finish (RG_LINE_CLIENT (object), result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* LINE's basicId already carries its '@'. */
  basic_id = info->basic_id[0] == '@' ? g_strdup (info->basic_id)
                                      : g_strconcat ("@", info->basic_id, NULL);
  /* Translators: first %s is the LINE Official Account's name, second its ID such as “@123abcde” */
  g_task_return_pointer (task, g_strdup_printf (_("Connected to “%s” (%s)"), info->display_name, basic_id),
                         g_free);
}

static void
whatsapp_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *number = NULL;
  g_autofree char *verified_name = NULL;
  GError *error = NULL;

  number = rg_whatsapp_client_get_phone_number_finish (RG_WHATSAPP_CLIENT (object), result,
                                                       &verified_name, &error);
  if (number == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (verified_name != NULL)
    /* Translators: first %s is a phone number, second the business's verified name */
    g_task_return_pointer (task, g_strdup_printf (_("Connected to %s (“%s”)"), number, verified_name),
                           g_free);
  else
    g_task_return_pointer (task, g_strdup_printf (_("Connected to %s"), number), g_free);
}

static void
wechat_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *token = NULL;
  GError *error = NULL;

  token = rg_wechat_client_get_access_token_finish (RG_WECHAT_CLIENT (object), result, NULL, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task,
                         g_strdup_printf (_("Connected: WeChat issued an access token for AppID “%s”"),
                                          rg_wechat_client_get_app_id (RG_WECHAT_CLIENT (object))),
                         g_free);
}

static void
sms_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *account = NULL;
  GError *error = NULL;

  if ((account = rg_sms_client_check_account_finish (RG_SMS_CLIENT (object), result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Translators: %s describes the SMS account, e.g. “Mitake account “shop”: 292 points left” */
  g_task_return_pointer (task, g_strdup_printf (_("Connected: %s"), account), g_free);
}

/**
 * rg_channel_test_connection_async:
 * @kind: the channel
 * @config: field name → value, with the names of `regulars-cli channels set`: `channel-id`,
 *   `channel-secret`, `channel-access-token`, `base-url`, `phone-number-id`,
 *   `business-account-id`, `access-token`, `app-secret`, `verify-token`, `app-id`, `provider`,
 *   `account`, `password`, `sender`. Secrets are read from the keyring by the caller.
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the outcome
 * @user_data: data for @callback
 *
 * Calls a cheap real endpoint with the settings: LINE bot info, WhatsApp `GET /{phone-number-id}`,
 * a WeChat access token, the Mitake balance or the Twilio account. Nothing is sent to customers.
 * A missing required field fails with %RG_CHANNEL_ERROR_CONFIGURATION naming it; a platform's
 * refusal carries its own message.
 */
void
rg_channel_test_connection_async (RgChannelKind        kind,
                                  GHashTable          *config,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *base_url;

  g_return_if_fail ((guint) kind < RG_CHANNEL_KIND_COUNT);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_channel_test_connection_async);
  base_url = lookup (config, "base-url");

  switch (kind)
    {
    case RG_CHANNEL_KIND_LINE:
      {
        g_autoptr(RgLineClient) client = NULL;

        if (!require (task, kind, config, "channel-access-token"))
          return;

        client = rg_line_client_new (lookup (config, "channel-access-token"));
        rg_line_client_set_base_url (client, base_url);
        rg_line_client_get_bot_info_async (client, cancellable, line_cb, g_steal_pointer (&task));
      }
      break;

    case RG_CHANNEL_KIND_WHATSAPP:
      {
        g_autoptr(RgWhatsAppClient) client = NULL;

        if (!require (task, kind, config, "phone-number-id") ||
            !require (task, kind, config, "access-token"))
          return;

        client = rg_whatsapp_client_new (lookup (config, "phone-number-id"),
                                         lookup (config, "access-token"));
        rg_whatsapp_client_set_base_url (client, base_url);
        rg_whatsapp_client_get_phone_number_async (client, cancellable, whatsapp_cb,
                                                   g_steal_pointer (&task));
      }
      break;

    case RG_CHANNEL_KIND_WECHAT:
      {
        g_autoptr(RgWeChatClient) client = NULL;

        if (!require (task, kind, config, "app-id") ||
            !require (task, kind, config, "app-secret"))
          return;

        client = rg_wechat_client_new (lookup (config, "app-id"), lookup (config, "app-secret"));
        rg_wechat_client_set_base_url (client, base_url);
        rg_wechat_client_get_access_token_async (client, TRUE, cancellable, wechat_cb,
                                                 g_steal_pointer (&task));
      }
      break;

    case RG_CHANNEL_KIND_SMS:
      {
        g_autoptr(RgSmsClient) client = NULL;
        RgSmsProvider provider;

        if (!require (task, kind, config, "provider"))
          return;

        if (!rg_sms_provider_from_string (lookup (config, "provider"), &provider))
          {
            g_autofree char *message = NULL;

            message = g_strdup_printf (_("“%s” is not an SMS provider; use “mitake” or “twilio”"),
                                       lookup (config, "provider"));
            g_task_return_error (task, _rg_channel_error_new (RG_CHANNEL_ERROR_CONFIGURATION, 0,
                                                              NULL, -1, NULL, message));
            return;
          }

        if (!require (task, kind, config, "account") ||
            !require (task, kind, config, "password"))
          return;

        client = rg_sms_client_new (provider, lookup (config, "account"),
                                    lookup (config, "password"), lookup (config, "sender"));
        rg_sms_client_set_base_url (client, base_url);
        rg_sms_client_check_account_async (client, cancellable, sms_cb, g_steal_pointer (&task));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * rg_channel_test_connection_finish:
 * @result: the result given to the callback
 * @summary: (out) (optional) (transfer full): on success, a sentence for people such as
 *   “Connected to “Regulars Café” (@123abcde)”
 * @error: return location for an error
 *
 * Returns: %TRUE if the platform accepted the settings
 */
gboolean
rg_channel_test_connection_finish (GAsyncResult  *result,
                                   char         **summary,
                                   GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_channel_test_connection_async,
                        FALSE);

  text = g_task_propagate_pointer (G_TASK (result), error);
  if (summary != NULL)
    *summary = text != NULL ? g_strdup (text) : NULL;
  return text != NULL;
}
