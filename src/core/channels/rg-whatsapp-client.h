/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RG_WHATSAPP_DEFAULT_BASE_URL "https://graph.facebook.com/v19.0"

/* The Cloud API's limit on the body of a text message. */
#define RG_WHATSAPP_MAX_TEXT_LENGTH 4096

#define RG_TYPE_WHATSAPP_CLIENT (rg_whatsapp_client_get_type ())

G_DECLARE_FINAL_TYPE (RgWhatsAppClient, rg_whatsapp_client, RG, WHATSAPP_CLIENT, GObject)

RgWhatsAppClient *rg_whatsapp_client_new                     (const char           *phone_number_id,
                                                              const char           *access_token);
const char       *rg_whatsapp_client_get_base_url            (RgWhatsAppClient     *self);
void              rg_whatsapp_client_set_base_url            (RgWhatsAppClient     *self,
                                                              const char           *base_url);
guint             rg_whatsapp_client_get_timeout             (RgWhatsAppClient     *self);
void              rg_whatsapp_client_set_timeout             (RgWhatsAppClient     *self,
                                                              guint                 timeout_ms);
const char       *rg_whatsapp_client_get_phone_number_id     (RgWhatsAppClient     *self);
void              rg_whatsapp_client_set_phone_number_id     (RgWhatsAppClient     *self,
                                                              const char           *phone_number_id);
void              rg_whatsapp_client_set_access_token        (RgWhatsAppClient     *self,
                                                              const char           *access_token);

void              rg_whatsapp_client_send_text_async         (RgWhatsAppClient     *self,
                                                              const char           *to,
                                                              const char           *body,
                                                              gboolean              preview_url,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
char             *rg_whatsapp_client_send_text_finish        (RgWhatsAppClient     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void              rg_whatsapp_client_send_template_async     (RgWhatsAppClient     *self,
                                                              const char           *to,
                                                              const char           *template_name,
                                                              const char           *language_code,
                                                              JsonArray            *components,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
char             *rg_whatsapp_client_send_template_finish    (RgWhatsAppClient     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void              rg_whatsapp_client_get_phone_number_async  (RgWhatsAppClient     *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
char             *rg_whatsapp_client_get_phone_number_finish (RgWhatsAppClient     *self,
                                                              GAsyncResult         *result,
                                                              char                **verified_name,
                                                              GError              **error);

G_END_DECLS
