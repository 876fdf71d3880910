/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-wechat-errors"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error.h"
#include "rg-channel-settings.h"
#include "rg-secrets.h"
#include "rg-wechat-errors.h"

/**
 * rg_wechat_describe_credentials_error:
 * @error: why a request to WeChat failed
 * @request: what was asked, for what to do once the keyring is unlocked
 *
 * What the merchant can do when the WeChat AppID or AppSecret are the problem: the keyring
 * that holds the AppSecret is locked or unusable, a setting is missing, or WeChat refused
 * them. All but the locked keyring are fixed on the Channels page.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL when @error is about something
 *   else
 */
char *
rg_wechat_describe_credentials_error (const GError    *error,
                                      RgWeChatRequest  request)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED))
    {
      if (request == RG_WECHAT_REQUEST_PUSH)
        return g_strdup (_("The keyring is locked, so the WeChat AppSecret cannot be read. "
                           "Unlock it, then push again."));
      return g_strdup (_("The keyring is locked, so the WeChat AppSecret cannot be read. "
                         "Unlock it, then activate again."));
    }
  if (error->domain == RG_SECRETS_ERROR)
    /* Translators: %s says why the keyring could not be used */
    return g_strdup_printf (_("The WeChat AppSecret cannot be read from the keyring: %s. See "
                              "the Channels page."),
                            error->message);
  if (g_error_matches (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_MISSING) ||
      g_error_matches (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION))
    /* Translators: %s names the missing setting, e.g. “WeChat: AppSecret (wechat/app-secret)
     * is not set” */
    return g_strdup_printf (_("WeChat is not set up (%s). Enter the AppID and AppSecret on the "
                              "Channels page."),
                            error->message);
  if (g_error_matches (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH))
    /* Translators: %s is WeChat's answer with its error code */
    return g_strdup_printf (_("WeChat refused the AppID and AppSecret (%s). Check them on the "
                              "Channels page."),
                            error->message);
  return NULL;
}
