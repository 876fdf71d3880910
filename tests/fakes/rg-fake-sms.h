/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-fake-platform.h"

G_BEGIN_DECLS

#define RG_FAKE_SMS_MITAKE_USERNAME "fakeshop"
#define RG_FAKE_SMS_MITAKE_PASSWORD "fake-mitake-password"
#define RG_FAKE_SMS_MITAKE_POINTS   100
#define RG_FAKE_SMS_TWILIO_SID      "AC0123456789abcdef0123456789abcdef"
#define RG_FAKE_SMS_TWILIO_TOKEN    "fake-twilio-auth-token"
#define RG_FAKE_SMS_TWILIO_NAME     "Regulars Test"

#define RG_FAKE_SMS_MITAKE_SEND_PATH  "/api/mtk/SmSend"
#define RG_FAKE_SMS_MITAKE_QUERY_PATH "/api/mtk/SmQuery"
#define RG_FAKE_SMS_TWILIO_SEND_PATH  "/2010-04-01/Accounts/" RG_FAKE_SMS_TWILIO_SID "/Messages.json"

#define RG_TYPE_FAKE_SMS (rg_fake_sms_get_type ())

G_DECLARE_FINAL_TYPE (RgFakeSms, rg_fake_sms, RG, FAKE_SMS, RgFakePlatform)

RgFakeSms *rg_fake_sms_new         (void);
void       rg_fake_sms_fail_mitake (RgFakeSms  *self,
                                    guint       count,
                                    const char *statuscode,
                                    const char *error_text);
void       rg_fake_sms_fail_twilio (RgFakeSms  *self,
                                    guint       count,
                                    guint       status,
                                    gint        code,
                                    const char *message,
                                    gint        retry_after);

G_END_DECLS
