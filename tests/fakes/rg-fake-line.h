/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-fake-platform.h"

G_BEGIN_DECLS

/* What the fake accepts unless told otherwise (also what regulars-fake-platforms uses). */
#define RG_FAKE_LINE_ACCESS_TOKEN  "fake-line-channel-access-token"
#define RG_FAKE_LINE_DISPLAY_NAME  "Regulars Test Shop"
#define RG_FAKE_LINE_BASIC_ID      "@123abcde"
#define RG_FAKE_LINE_BOT_USER_ID   "U00000000000000000000000000000b07"

/* LINE's own texts, which clients must tell apart. */
#define RG_FAKE_LINE_RATE_LIMIT_MESSAGE    "The API rate limit has been exceeded. Try again later."
#define RG_FAKE_LINE_MONTHLY_LIMIT_MESSAGE "You have reached your monthly limit."

typedef enum
{
  RG_FAKE_LINE_FAIL_SERVER_ERROR,
  RG_FAKE_LINE_FAIL_RATE_LIMIT,
  RG_FAKE_LINE_FAIL_MONTHLY_LIMIT,
  RG_FAKE_LINE_FAIL_UNAUTHORIZED,
  RG_FAKE_LINE_FAIL_FORBIDDEN,
  RG_FAKE_LINE_FAIL_BAD_REQUEST,
  RG_FAKE_LINE_FAIL_UNDELIVERABLE,
} RgFakeLineFailure;

#define RG_TYPE_FAKE_LINE (rg_fake_line_get_type ())

G_DECLARE_FINAL_TYPE (RgFakeLine, rg_fake_line, RG, FAKE_LINE, RgFakePlatform)

RgFakeLine *rg_fake_line_new                  (void);
void        rg_fake_line_set_access_token     (RgFakeLine        *self,
                                               const char        *access_token);
void        rg_fake_line_add_friend           (RgFakeLine        *self,
                                               const char        *user_id,
                                               const char        *display_name);
void        rg_fake_line_set_unreachable      (RgFakeLine        *self,
                                               const char        *phone_e164);
void        rg_fake_line_fail                 (RgFakeLine        *self,
                                               const char        *path,
                                               guint              count,
                                               RgFakeLineFailure  failure,
                                               gint               retry_after);

G_END_DECLS
