/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-phone.h"

typedef struct
{
  const char *input;
  const char *region;
  const char *e164;
  int         error_code;
  /* For errors: text the message must contain besides the input. */
  const char *message_part;
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  { "0912-345-678", "TW", "+886912345678", -1, NULL },
  { "+886 912 345 678", "TW", "+886912345678", -1, NULL },
  { "(02) 2345-6789", "TW", "+886223456789", -1, NULL },
  { "0912345678", "TW", "+886912345678", -1, NULL },
  { "886912345678", "TW", "+886912345678", -1, NULL },
  { "  0912 345 678  ", "TW", "+886912345678", -1, NULL },
  { "0912345678", "tw", "+886912345678", -1, NULL },
  { "０９１２３４５６７８", "TW", "+886912345678", -1, NULL },
  { "＋８８６　９１２－３４５－６７８", "TW", "+886912345678", -1, NULL },
  { "'+886912345678", "TW", "+886912345678", -1, NULL },
  { "02-2345-6789#123", "TW", "+886223456789", -1, NULL },
  { "+852 9123 4567", "TW", "+85291234567", -1, NULL },
  { "9123 4567", "HK", "+85291234567", -1, NULL },
  { "+86 138 0013 8000", "TW", "+8613800138000", -1, NULL },
  { "138 0013 8000", "CN", "+8613800138000", -1, NULL },
  { "+60 12-345 6789", "TW", "+60123456789", -1, NULL },
  { "012-345 6789", "MY", "+60123456789", -1, NULL },
  { "+65 8123 4567", "TW", "+6581234567", -1, NULL },
  { "+85291234567", NULL, "+85291234567", -1, NULL },

  { "12345", "TW", NULL, RG_PHONE_ERROR_INVALID, "Taiwan (TW)" },
  { "091234567", "TW", NULL, RG_PHONE_ERROR_INVALID, "Taiwan (TW)" },
  { "+886 9123456789", "HK", NULL, RG_PHONE_ERROR_INVALID, "Taiwan (TW)" },
  { "+852 123", "TW", NULL, RG_PHONE_ERROR_INVALID, "Hong Kong (HK)" },
  { "abc", "TW", NULL, RG_PHONE_ERROR_UNPARSABLE, "Taiwan (TW)" },
  { "abc", NULL, NULL, RG_PHONE_ERROR_UNPARSABLE, NULL },
  { "+999 1234", "TW", NULL, RG_PHONE_ERROR_UNPARSABLE, "country code" },
  { "0912345678", NULL, NULL, RG_PHONE_ERROR_REGION, "no default region" },
  { "0912345678", "XX", NULL, RG_PHONE_ERROR_REGION, "“XX”" },
  { "0912345678", "TWN", NULL, RG_PHONE_ERROR_REGION, "“TWN”" },
  { "", "TW", NULL, RG_PHONE_ERROR_EMPTY, NULL },
  { "   ", "TW", NULL, RG_PHONE_ERROR_EMPTY, NULL },
  { "\u3000", "TW", NULL, RG_PHONE_ERROR_EMPTY, NULL },
  { NULL, "TW", NULL, RG_PHONE_ERROR_EMPTY, NULL },
};

static void
test_phone_normalize (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
    {
      const NormalizeCase *c = &normalize_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;

      g_test_message ("“%s” in %s", c->input, c->region);
      e164 = rg_phone_normalize (c->input, c->region, &error);

      if (c->e164 != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (e164, ==, c->e164);
          continue;
        }

      g_assert_null (e164);
      g_assert_error (error, RG_PHONE_ERROR, c->error_code);
      if (c->error_code != RG_PHONE_ERROR_EMPTY && c->error_code != RG_PHONE_ERROR_REGION)
        {
          g_autofree char *quoted = g_strdup_printf ("“%s”", c->input);

          g_assert_nonnull (strstr (error->message, quoted));
        }
      if (c->message_part != NULL)
        g_assert_nonnull (strstr (error->message, c->message_part));
    }
}

static void
test_phone_invalid_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = rg_phone_normalize ("12345", "TW", &error);

  g_assert_null (e164);
  g_assert_cmpstr (error->message, ==, "Phone “12345” is not a valid number for Taiwan (TW)");
}

static void
test_phone_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = rg_phone_normalize ("0912\xff", "TW", &error);

  g_assert_null (e164);
  g_assert_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_UNPARSABLE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

typedef struct
{
  const char *e164;
  const char *national;
  const char *international;
  const char *digits;
  const char *region;
} FormatCase;

static const FormatCase format_cases[] = {
  { "+886912345678", "0912 345 678", "+886 912 345 678", "0912345678", "TW" },
  { "+886223456789", "02 2345 6789", "+886 2 2345 6789", "0223456789", "TW" },
  { "+85291234567", "9123 4567", "+852 9123 4567", "91234567", "HK" },
  { "+8613800138000", "138 0013 8000", "+86 138 0013 8000", "13800138000", "CN" },
  { "+60123456789", "012-345 6789", "+60 12-345 6789", "0123456789", "MY" },
  { "+6581234567", "8123 4567", "+65 8123 4567", "81234567", "SG" },
  /* Not international: nothing to format. */
  { "0912345678", NULL, NULL, NULL, NULL },
  { "garbage", NULL, NULL, NULL, NULL },
  { "", NULL, NULL, NULL, NULL },
  { NULL, NULL, NULL, NULL, NULL },
};

static void
test_phone_format (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autofree char *national = rg_phone_format_national (c->e164);
      g_autofree char *international = rg_phone_format_international (c->e164);
      g_autofree char *digits = rg_phone_national_digits (c->e164);
      g_autofree char *region = rg_phone_region_of (c->e164);

      g_test_message ("%s", c->e164);
      g_assert_cmpstr (national, ==, c->national);
      g_assert_cmpstr (international, ==, c->international);
      g_assert_cmpstr (digits, ==, c->digits);
      g_assert_cmpstr (region, ==, c->region);
    }
}

static void
test_phone_round_trip (void)
{
  /* What we store and what we show parse back to the same number. */
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *from_national = NULL;
      g_autofree char *from_international = NULL;

      if (c->national == NULL)
        continue;

      from_national = rg_phone_normalize (c->national, c->region, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (from_national, ==, c->e164);
      from_international = rg_phone_normalize (c->international, "TW", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (from_international, ==, c->e164);
    }
}

static void
test_phone_regions (void)
{
  const char * const supported[] = { "TW", "tw", "HK", "MO", "CN", "MY", "SG", "JP", "US" };
  const char * const unsupported[] = { "XX", "ZZ", "", "T", "TWN", "001" };

  for (guint i = 0; i < G_N_ELEMENTS (supported); i++)
    g_assert_true (rg_phone_region_is_supported (supported[i]));
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    g_assert_false (rg_phone_region_is_supported (unsupported[i]));
  g_assert_false (rg_phone_region_is_supported (NULL));

  g_assert_cmpstr (rg_phone_region_get_name ("TW"), ==, "Taiwan");
  g_assert_cmpstr (rg_phone_region_get_name ("hk"), ==, "Hong Kong");
  g_assert_null (rg_phone_region_get_name ("FR"));
}

static gpointer
normalize_many (gpointer data)
{
  const char *region = data;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *input = g_strdup_printf ("0912-%03u-%03u", i % 1000, (i * 7) % 1000);
      g_autofree char *expected = g_strdup_printf ("+886912%03u%03u", i % 1000, (i * 7) % 1000);
      g_autofree char *e164 = rg_phone_normalize (input, region, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, expected);
    }
  return NULL;
}

static void
test_phone_threads (void)
{
  GThread *threads[4];

  /* Imports normalize on a worker thread while the UI validates an edit. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("normalize", normalize_many, (gpointer) "TW");
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/members/phone/normalize", test_phone_normalize);
  g_test_add_func ("/regulars/members/phone/invalid-message", test_phone_invalid_message);
  g_test_add_func ("/regulars/members/phone/invalid-utf8", test_phone_invalid_utf8);
  g_test_add_func ("/regulars/members/phone/format", test_phone_format);
  g_test_add_func ("/regulars/members/phone/round-trip", test_phone_round_trip);
  g_test_add_func ("/regulars/members/phone/regions", test_phone_regions);
  g_test_add_func ("/regulars/members/phone/threads", test_phone_threads);

  return g_test_run ();
}
