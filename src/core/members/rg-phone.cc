/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-phone"

#include "config.h"

#include <string.h>
#include <string>

#include <glib/gi18n.h>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include "rg-phone.h"

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/* Names for the regions our merchants are in; any other region is shown by its code. */
static const struct
{
  const char *code;
  const char *name;
} region_names[] = {
  { "AU", N_("Australia") },
  { "CA", N_("Canada") },
  { "CN", N_("China") },
  { "GB", N_("United Kingdom") },
  { "HK", N_("Hong Kong") },
  { "ID", N_("Indonesia") },
  { "JP", N_("Japan") },
  { "KR", N_("South Korea") },
  { "MO", N_("Macao") },
  { "MY", N_("Malaysia") },
  { "NZ", N_("New Zealand") },
  { "PH", N_("Philippines") },
  { "SG", N_("Singapore") },
  { "TH", N_("Thailand") },
  { "TW", N_("Taiwan") },
  { "US", N_("United States") },
  { "VN", N_("Vietnam") },
};

G_DEFINE_QUARK (rg-phone-error-quark, rg_phone_error)

static PhoneNumberUtil *
get_util (void)
{
  static PhoneNumberUtil *util = NULL;

  if (g_once_init_enter (&util))
    {
      PhoneNumberUtil *instance = PhoneNumberUtil::GetInstance ();

      /* As evolution-data-server does: the library would otherwise log every parse failure. */
      instance->SetLogger (new NullLogger ());
      g_once_init_leave (&util, instance);
    }

  return util;
}

/* Region codes are upper case to libphonenumber; settings and callers may say "tw". */
static std::string
canonical_region (const char *region)
{
  g_autofree char *upper = g_ascii_strup (region, -1);

  return std::string (upper);
}

/* "Taiwan (TW)", or just "XX" for a region without a name of ours. */
static char *
describe_region (const std::string &region)
{
  const char *name = rg_phone_region_get_name (region.c_str ());

  if (name == NULL)
    return g_strdup (region.c_str ());
  /* Translators: a region name and its two-letter code, e.g. “Taiwan (TW)” */
  return g_strdup_printf (_("%s (%s)"), name, region.c_str ());
}

static gboolean
parse_international (const char  *e164,
                     PhoneNumber *number)
{
  if (e164 == NULL || e164[0] != '+' || !g_utf8_validate (e164, -1, NULL))
    return FALSE;

  return get_util ()->Parse (e164, "ZZ", number) == PhoneNumberUtil::NO_PARSING_ERROR;
}

static char *
format_e164 (const char                          *e164,
             PhoneNumberUtil::PhoneNumberFormat   format)
{
  PhoneNumber number;
  std::string formatted;

  if (!parse_international (e164, &number))
    return NULL;

  get_util ()->Format (number, format, &formatted);
  return g_strdup (formatted.c_str ());
}

/**
 * rg_phone_normalize:
 * @input: a phone number as a person typed it: `0912-345-678`, `+886 912 345 678`,
 *   `(02) 2345-6789`, full-width digits…
 * @default_region: (nullable): the ISO 3166 region for numbers written without a country code,
 *   such as "TW"; %NULL accepts international numbers only
 * @error: return location for a #GError in the %RG_PHONE_ERROR domain
 *
 * Parses and validates @input with libphonenumber. An extension (`#123`, `ext. 12`) is
 * dropped, since E.164 has no room for one.
 *
 * Returns: (transfer full) (nullable): the number in E.164 form ("+886912345678"), or %NULL
 *   with @error set when the input is empty, not a phone number, or not a valid number
 */
char *
rg_phone_normalize (const char  *input,
                    const char  *default_region,
                    GError     **error)
{
  PhoneNumberUtil *util = get_util ();
  PhoneNumberUtil::ErrorType parse_error;
  PhoneNumber number;
  g_autofree char *shown = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *described = NULL;
  std::string region = "ZZ";
  std::string e164;
  std::string number_region;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    {
      g_set_error_literal (error, RG_PHONE_ERROR, RG_PHONE_ERROR_EMPTY,
                           _("The phone number is empty"));
      return NULL;
    }
  if (!g_utf8_validate (input, -1, NULL))
    {
      shown = g_utf8_make_valid (input, -1);
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_UNPARSABLE,
                   _("Phone “%s” is not a phone number: it is not valid text"), shown);
      return NULL;
    }

  /* Full-width digits, plus signs and spaces become their ASCII forms. */
  normalized = g_strstrip (g_utf8_normalize (input, -1, G_NORMALIZE_NFKC));
  shown = g_strstrip (g_strdup (input));
  if (normalized[0] == '\0')
    {
      g_set_error_literal (error, RG_PHONE_ERROR, RG_PHONE_ERROR_EMPTY,
                           _("The phone number is empty"));
      return NULL;
    }

  if (default_region != NULL)
    {
      region = canonical_region (default_region);
      if (!rg_phone_region_is_supported (region.c_str ()))
        {
          g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_REGION,
                       /* Translators: %s is what was given as a region code, e.g. “XX” */
                       _("“%s” is not a region code that phone numbers can be read for; "
                         "use a two-letter code such as TW or HK"),
                       default_region);
          return NULL;
        }
    }

  parse_error = util->Parse (normalized, region, &number);
  if (parse_error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR && default_region == NULL &&
      normalized[0] != '+')
    {
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_REGION,
                   _("Phone “%s” has no country code and no default region is set; "
                     "write it as +886…"),
                   shown);
      return NULL;
    }
  if (parse_error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR)
    {
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_UNPARSABLE,
                   _("Phone “%s” does not start with a known country code"), shown);
      return NULL;
    }
  if (parse_error != PhoneNumberUtil::NO_PARSING_ERROR && default_region == NULL)
    {
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_UNPARSABLE,
                   _("Phone “%s” is not a phone number"), shown);
      return NULL;
    }
  if (parse_error != PhoneNumberUtil::NO_PARSING_ERROR)
    {
      described = describe_region (region);
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_UNPARSABLE,
                   /* Translators: first %s is the input, second a region such as “Taiwan (TW)” */
                   _("Phone “%s” is not a phone number for %s"), shown, described);
      return NULL;
    }

  if (!util->IsValidNumber (number))
    {
      /* For "+852 123" name the region of the country code the person wrote, not ours. */
      util->GetRegionCodeForCountryCode (number.country_code (), &number_region);
      if (number_region == "ZZ" || number_region == "001")
        number_region = region;
      described = describe_region (number_region);
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_INVALID,
                   /* Translators: first %s is the input, second a region such as “Taiwan (TW)” */
                   _("Phone “%s” is not a valid number for %s"), shown, described);
      return NULL;
    }

  util->Format (number, PhoneNumberUtil::E164, &e164);
  return g_strdup (e164.c_str ());
}

/**
 * rg_phone_format_national:
 * @e164: a number as stored, "+886912345678"
 *
 * Returns: (transfer full) (nullable): the number the way it is written inside its own
 *   country ("0912 345 678"), or %NULL when @e164 is not an international number
 */
char *
rg_phone_format_national (const char *e164)
{
  return format_e164 (e164, PhoneNumberUtil::NATIONAL);
}

/**
 * rg_phone_format_international:
 * @e164: a number as stored, "+886912345678"
 *
 * Returns: (transfer full) (nullable): the number for readers abroad ("+886 912 345 678"),
 *   or %NULL when @e164 is not an international number
 */
char *
rg_phone_format_international (const char *e164)
{
  return format_e164 (e164, PhoneNumberUtil::INTERNATIONAL);
}

/**
 * rg_phone_national_digits:
 * @e164: a number as stored, "+886912345678"
 *
 * The national form with only its digits, as local SMS gateways (Mitake…) and search want it.
 *
 * Returns: (transfer full) (nullable): "0912345678", or %NULL when @e164 is not an
 *   international number
 */
char *
rg_phone_national_digits (const char *e164)
{
  g_autofree char *national = rg_phone_format_national (e164);
  GString *digits;

  if (national == NULL)
    return NULL;

  digits = g_string_sized_new (strlen (national));
  for (const char *p = national; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  return g_string_free (digits, FALSE);
}

/**
 * rg_phone_region_of:
 * @e164: a number as stored, "+85291234567"
 *
 * Returns: (transfer full) (nullable): the region the number belongs to ("HK"), or %NULL
 *   when it belongs to none (not a number, or a non-geographic one such as +800)
 */
char *
rg_phone_region_of (const char *e164)
{
  PhoneNumber number;
  std::string region;

  if (!parse_international (e164, &number))
    return NULL;

  get_util ()->GetRegionCodeForNumber (number, &region);
  if (region.size () != 2 || region == "ZZ")
    return NULL;
  return g_strdup (region.c_str ());
}

/**
 * rg_phone_region_is_supported:
 * @region: (nullable): a two-letter region code, either case
 *
 * Returns: whether numbers without a country code can be read for @region
 */
gboolean
rg_phone_region_is_supported (const char *region)
{
  PhoneNumberUtil *util = get_util ();
  std::string canonical;

  if (region == NULL || strlen (region) != 2)
    return FALSE;

  canonical = canonical_region (region);
  return util->GetCountryCodeForRegion (canonical) != 0;
}

/**
 * rg_phone_region_get_name:
 * @region: a two-letter region code, either case
 *
 * Returns: (nullable): the translated name of @region ("Taiwan"), or %NULL for a region
 *   Regulars has no name for
 */
const char *
rg_phone_region_get_name (const char *region)
{
  g_return_val_if_fail (region != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (region_names); i++)
    {
      if (g_ascii_strcasecmp (region_names[i].code, region) == 0)
        return _(region_names[i].name);
    }
  return NULL;
}
