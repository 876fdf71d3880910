/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_SMS_SINGLE_LIMIT 70
#define RG_SMS_PART_LIMIT   67

typedef struct
{
  guint characters;
  guint parts;
} RgSmsLength;

RgSmsLength rg_sms_length (const char *text);

G_END_DECLS
