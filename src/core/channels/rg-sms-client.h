/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RG_SMS_MITAKE_DEFAULT_BASE_URL "https://smsapi.mitake.com.tw"
#define RG_SMS_TWILIO_DEFAULT_BASE_URL "https://api.twilio.com"

/**
 * RgSmsProvider:
 * @RG_SMS_PROVIDER_MITAKE: Mitake (三竹), Taiwan: account = username, password = password
 * @RG_SMS_PROVIDER_TWILIO: Twilio: account = Account SID, password = Auth Token,
 *   sender = the From number
 *
 * The SMS gateways Regulars speaks. The string forms ("mitake", "twilio") are the values of the
 * channel field `provider`.
 */
typedef enum
{
  RG_SMS_PROVIDER_MITAKE,
  RG_SMS_PROVIDER_TWILIO,
} RgSmsProvider;

#define RG_TYPE_SMS_PROVIDER (rg_sms_provider_get_type ())
#define RG_TYPE_SMS_CLIENT (rg_sms_client_get_type ())

GType          rg_sms_provider_get_type            (void) G_GNUC_CONST;
const char    *rg_sms_provider_to_string           (RgSmsProvider         provider);
gboolean       rg_sms_provider_from_string         (const char           *name,
                                                    RgSmsProvider        *provider);

G_DECLARE_FINAL_TYPE (RgSmsClient, rg_sms_client, RG, SMS_CLIENT, GObject)

RgSmsClient   *rg_sms_client_new                   (RgSmsProvider         provider,
                                                    const char           *account,
                                                    const char           *password,
                                                    const char           *sender);
RgSmsProvider  rg_sms_client_get_provider          (RgSmsClient          *self);
const char    *rg_sms_client_get_base_url          (RgSmsClient          *self);
void           rg_sms_client_set_base_url          (RgSmsClient          *self,
                                                    const char           *base_url);
guint          rg_sms_client_get_timeout           (RgSmsClient          *self);
void           rg_sms_client_set_timeout           (RgSmsClient          *self,
                                                    guint                 timeout_ms);
const char    *rg_sms_client_get_callback_url      (RgSmsClient          *self);
void           rg_sms_client_set_callback_url      (RgSmsClient          *self,
                                                    const char           *callback_url);

void           rg_sms_client_send_async            (RgSmsClient          *self,
                                                    const char           *to_e164,
                                                    const char           *body,
                                                    const char           *client_ref,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char          *rg_sms_client_send_finish           (RgSmsClient          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void           rg_sms_client_check_account_async   (RgSmsClient          *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char          *rg_sms_client_check_account_finish  (RgSmsClient          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
