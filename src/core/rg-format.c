/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-format"

#include "config.h"

#include "rg-format.h"

/* Numbers and money the way the shop reads them, shared by the pages, the card renderer and
 * the member center so a balance looks the same everywhere. */

/* U+2212 MINUS SIGN: as wide as the plus, so signed columns line up. */
#define MINUS "\u2212"

typedef struct
{
  const char *code;
  const char *symbol;
  guint       digits;
} Currency;

/* The currencies of the regions a shop can choose; the amount is stored in minor units
 * (ISO 4217 exponent), shown with its decimals only when it has some. */
static const Currency currencies[] = {
  { "TWD", "NT$", 2 },
  { "HKD", "HK$", 2 },
  { "MOP", "MOP$", 2 },
  { "CNY", "¥", 2 },
  { "MYR", "RM", 2 },
  { "SGD", "S$", 2 },
  { "JPY", "¥", 0 },
  { "KRW", "₩", 0 },
  { "USD", "US$", 2 },
};

static const Currency *
lookup_currency (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      if (g_strcmp0 (currencies[i].code, code) == 0)
        return &currencies[i];
    }
  return &currencies[0];
}

static void
append_grouped (GString *out,
                guint64  magnitude)
{
  char digits[32];
  int len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
}

static guint64
magnitude_of (gint64 value)
{
  return value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
}

/**
 * rg_format_integer:
 *
 * Returns: (transfer full): @value with thousands grouped: "12,345", "−50"
 */
char *
rg_format_integer (gint64 value)
{
  GString *out = g_string_new (NULL);

  if (value < 0)
    g_string_append (out, MINUS);
  append_grouped (out, magnitude_of (value));
  return g_string_free (out, FALSE);
}

/**
 * rg_format_signed_integer:
 *
 * Returns: (transfer full): a change: "+1,000", "−50", "0"
 */
char *
rg_format_signed_integer (gint64 value)
{
  g_autofree char *plain = rg_format_integer (value);

  if (value > 0)
    return g_strconcat ("+", plain, NULL);
  return g_steal_pointer (&plain);
}

guint
rg_currency_get_digits (const char *currency)
{
  return lookup_currency (currency)->digits;
}

/**
 * rg_currency_get_symbol:
 *
 * Returns: the sign written before amounts of @currency, "NT$"
 */
const char *
rg_currency_get_symbol (const char *currency)
{
  return lookup_currency (currency)->symbol;
}

static char *
format_money (gint64      minor_units,
              const char *currency,
              gboolean    signed_)
{
  const Currency *info = lookup_currency (currency);
  guint64 magnitude = magnitude_of (minor_units);
  guint64 scale = 1;
  guint64 fraction;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < info->digits; i++)
    scale *= 10;
  fraction = magnitude % scale;

  if (minor_units < 0)
    g_string_append (out, MINUS);
  else if (signed_ && minor_units > 0)
    g_string_append_c (out, '+');

  g_string_append (out, info->symbol);
  append_grouped (out, magnitude / scale);
  if (fraction != 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int) info->digits, fraction);

  return g_string_free (out, FALSE);
}

/**
 * rg_format_money:
 * @minor_units: the amount in the currency's minor units (cents)
 * @currency: an ISO 4217 code such as "TWD"
 *
 * Returns: (transfer full): "NT$1,234", "NT$1,234.50", "−NT$50"
 */
char *
rg_format_money (gint64      minor_units,
                 const char *currency)
{
  return format_money (minor_units, currency, FALSE);
}

/**
 * rg_format_signed_money:
 *
 * Returns: (transfer full): a change of money: "+NT$100", "−NT$50"
 */
char *
rg_format_signed_money (gint64      minor_units,
                        const char *currency)
{
  return format_money (minor_units, currency, TRUE);
}

