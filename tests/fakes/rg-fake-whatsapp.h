/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-fake-platform.h"

G_BEGIN_DECLS

#define RG_FAKE_WHATSAPP_ACCESS_TOKEN     "fake-whatsapp-access-token"
#define RG_FAKE_WHATSAPP_PHONE_NUMBER_ID  "109876543210987"
#define RG_FAKE_WHATSAPP_DISPLAY_NUMBER   "+886 2 2345 6789"
#define RG_FAKE_WHATSAPP_VERIFIED_NAME    "Regulars Test Shop"
/* The template every new WhatsApp Business account has. */
#define RG_FAKE_WHATSAPP_TEMPLATE         "hello_world"
#define RG_FAKE_WHATSAPP_TEMPLATE_LANG    "en_US"

#define RG_TYPE_FAKE_WHATSAPP (rg_fake_whatsapp_get_type ())

G_DECLARE_FINAL_TYPE (RgFakeWhatsApp, rg_fake_whatsapp, RG, FAKE_WHATSAPP, RgFakePlatform)

RgFakeWhatsApp *rg_fake_whatsapp_new          (void);
void            rg_fake_whatsapp_open_window  (RgFakeWhatsApp *self,
                                               const char     *wa_id);
void            rg_fake_whatsapp_add_template (RgFakeWhatsApp *self,
                                               const char     *name,
                                               const char     *language_code);
void            rg_fake_whatsapp_fail         (RgFakeWhatsApp *self,
                                               const char     *path,
                                               guint           count,
                                               guint           status,
                                               gint            code,
                                               gint            retry_after);

G_END_DECLS
