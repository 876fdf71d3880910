/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-sms-length"

#include "config.h"

#include "rg-sms-length.h"

/* How the shop's gateway bills (DESIGN §6): up to 70 characters is one message, longer text
 * goes out in parts of 67. Characters are counted the way the gateway transmits them, in
 * UCS-2/UTF-16 code units, so an emoji outside the Basic Multilingual Plane counts two. The
 * GSM extension characters are sent as an escape plus the character and count two as well.
 * Parts are filled the way the gateway cuts them: a two-unit character never straddles two
 * parts, so it may push the count up by one where a plain division would not. */

static guint
units_of (gunichar c)
{
  switch (c)
    {
    case '^': case '{': case '}': case '\\': case '[': case ']': case '~': case '|':
    case 0x20AC: /* € */
      return 2;

    default:
      return c > 0xFFFF ? 2 : 1;
    }
}

/**
 * rg_sms_length:
 * @text: UTF-8 text as it will be sent
 *
 * Returns: the billed length of @text and the number of messages it takes
 */
RgSmsLength
rg_sms_length (const char *text)
{
  RgSmsLength length = { 0, 0 };
  guint in_part = 0;
  guint parts = 1;

  g_return_val_if_fail (text != NULL, length);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint units = units_of (g_utf8_get_char (p));

      length.characters += units;
      if (in_part + units > RG_SMS_PART_LIMIT)
        {
          parts++;
          in_part = 0;
        }
      in_part += units;
    }

  if (length.characters == 0)
    length.parts = 0;
  else if (length.characters <= RG_SMS_SINGLE_LIMIT)
    length.parts = 1;
  else
    length.parts = parts;

  return length;
}
