/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-format.h"

static void
test_format_integer (void)
{
  static const struct {
    gint64      value;
    const char *plain;
    const char *signed_;
  } cases[] = {
    { 0, "0", "0" },
    { 999, "999", "+999" },
    { 1000, "1,000", "+1,000" },
    { 1234567, "1,234,567", "+1,234,567" },
    { -2500, "\u22122,500", "\u22122,500" },
    { G_MININT64, "\u22129,223,372,036,854,775,808", "\u22129,223,372,036,854,775,808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = rg_format_integer (cases[i].value);
      g_autofree char *signed_ = rg_format_signed_integer (cases[i].value);

      g_assert_cmpstr (plain, ==, cases[i].plain);
      g_assert_cmpstr (signed_, ==, cases[i].signed_);
    }
}

static void
test_format_money (void)
{
  static const struct {
    gint64      minor_units;
    const char *currency;
    const char *shown;
    const char *change;
  } cases[] = {
    { 288000, "TWD", "NT$2,880", "+NT$2,880" },
    { 150050, "TWD", "NT$1,500.50", "+NT$1,500.50" },
    { 5, "HKD", "HK$0.05", "+HK$0.05" },
    { 1500, "JPY", "¥1,500", "+¥1,500" },
    { 1500, NULL, "NT$15", "+NT$15" },
    { 1500, "XXX", "NT$15", "+NT$15" },
    { -2500, "USD", "\u2212US$25", "\u2212US$25" },
    { 0, "SGD", "S$0", "S$0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = rg_format_money (cases[i].minor_units, cases[i].currency);
      g_autofree char *change = rg_format_signed_money (cases[i].minor_units, cases[i].currency);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpstr (change, ==, cases[i].change);
    }

  g_assert_cmpuint (rg_currency_get_digits ("JPY"), ==, 0);
  g_assert_cmpuint (rg_currency_get_digits ("TWD"), ==, 2);
  g_assert_cmpstr (rg_currency_get_symbol ("MYR"), ==, "RM");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/format/integer", test_format_integer);
  g_test_add_func ("/regulars/format/money", test_format_money);

  return g_test_run ();
}
