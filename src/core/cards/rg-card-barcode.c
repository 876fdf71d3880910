/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-barcode"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-card-barcode-private.h"

/* Code 39's whole alphabet, besides the start/stop character '*'. */
#define CODE39_ALPHABET "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -.$/+%"

/* Height of linear symbols in modules (X-dimensions); the renderer scales uniformly, so this
 * is the bars' height relative to their width. */
#define LINEAR_HEIGHT_MODULES 40.0f

/* Shows one character of a member number in a message: itself when printable, else U+XXXX. */
static char *
describe_char (gunichar c)
{
  char buf[8] = { 0 };

  if (!g_unichar_isprint (c))
    return g_strdup_printf ("U+%04X", c);
  g_unichar_to_utf8 (c, buf);
  return g_strdup (buf);
}

static void
set_barcode_error (GError        **error,
                   RgCardBarcode   type,
                   const char     *member_number,
                   const char     *reason)
{
  g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE,
               /* Translators: “M-001” cannot be encoded as Code 39: <the reason> */
               _("“%s” cannot be encoded as %s: %s"),
               member_number, rg_card_barcode_get_display_name (type), reason);
}

/**
 * rg_card_ean13_check_digit:
 * @twelve_digits: the first 12 digits of an EAN-13
 *
 * Returns: the check digit ('0'…'9') the 13th position must hold
 */
char
rg_card_ean13_check_digit (const char *twelve_digits)
{
  int sum = 0;

  g_return_val_if_fail (twelve_digits != NULL, '0');

  for (guint i = 0; i < 12; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (twelve_digits[i]), '0');
      /* Weights 1, 3, 1, 3 … from the left for the 12 data digits. */
      sum += (twelve_digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }
  return (char) ('0' + (10 - sum % 10) % 10);
}

static gboolean
check_ean13 (const char  *number,
             char       **encoded,
             GError     **error)
{
  glong n_chars = g_utf8_strlen (number, -1);
  char expected;

  for (const char *p = number; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_ascii_isdigit (*p))
        {
          g_autofree char *shown = describe_char (g_utf8_get_char (p));
          g_autofree char *reason = g_strdup_printf (_("“%s” is not a digit; EAN-13 carries "
                                                       "the digits 0–9 only"), shown);

          set_barcode_error (error, RG_CARD_BARCODE_EAN13, number, reason);
          return FALSE;
        }
    }

  /* zint would zero-pad 8–11 digits and turn 7 or fewer into an EAN-8: both scan as
   * something other than the member number, so the length is ours to refuse. */
  if (n_chars != 12 && n_chars != 13)
    {
      g_autofree char *reason = g_strdup_printf (_("it has %ld digits; EAN-13 needs 12 digits "
                                                   "(the check digit is added) or 13 with a "
                                                   "correct check digit"),
                                                 n_chars);

      set_barcode_error (error, RG_CARD_BARCODE_EAN13, number, reason);
      return FALSE;
    }

  expected = rg_card_ean13_check_digit (number);
  if (n_chars == 13 && number[12] != expected)
    {
      g_autofree char *reason = g_strdup_printf (_("its check digit is %c but the first 12 "
                                                   "digits need %c"),
                                                 number[12], expected);

      set_barcode_error (error, RG_CARD_BARCODE_EAN13, number, reason);
      return FALSE;
    }

  if (encoded != NULL)
    *encoded = n_chars == 13 ? g_strdup (number) : g_strdup_printf ("%s%c", number, expected);
  return TRUE;
}

/* Lowercase is refused rather than uppercased: a scanner would then type “M-00A” for the
 * member “m-00a”, and the shop's lookup would not find the member. */
static gboolean
check_code39 (const char  *number,
              GError     **error)
{
  for (const char *p = number; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *shown = NULL;
      g_autofree char *reason = NULL;

      if (c < 0x80 && c != 0 && strchr (CODE39_ALPHABET, (char) c) != NULL)
        continue;

      shown = describe_char (c);
      if (c < 0x80 && g_ascii_islower ((char) c))
        reason = g_strdup_printf (_("Code 39 has no lowercase letters, so “%s” would scan as "
                                    "“%c” and no longer match the member number; use Code 128 "
                                    "or QR for mixed case"),
                                  shown, g_ascii_toupper ((char) c));
      else
        reason = g_strdup_printf (_("“%s” is not in Code 39, which carries only digits, capital "
                                    "letters, space and - . $ / + %%"),
                                  shown);
      set_barcode_error (error, RG_CARD_BARCODE_CODE39, number, reason);
      return FALSE;
    }
  return TRUE;
}

/* Printable ASCII only: Code 128 could carry control characters, but a scanner that types
 * into a till cannot reproduce them. */
static gboolean
check_code128 (const char  *number,
               GError     **error)
{
  for (const char *p = number; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *shown = NULL;
      g_autofree char *reason = NULL;

      if (c >= 0x20 && c < 0x7f)
        continue;

      shown = describe_char (c);
      if (c >= 0x80)
        reason = g_strdup_printf (_("“%s” is not an ASCII character; Code 128 carries letters, "
                                    "digits and ASCII punctuation only (QR takes any text)"),
                                  shown);
      else
        reason = g_strdup_printf (_("it contains the control character %s, which a scanner "
                                    "cannot type"),
                                  shown);
      set_barcode_error (error, RG_CARD_BARCODE_CODE128, number, reason);
      return FALSE;
    }
  return TRUE;
}

static int
symbology_for (RgCardBarcode type)
{
  switch (type)
    {
    case RG_CARD_BARCODE_CODE128:
      return BARCODE_CODE128;
    case RG_CARD_BARCODE_CODE39:
      return BARCODE_CODE39;
    case RG_CARD_BARCODE_EAN13:
      /* zint 2.11 has no BARCODE_EAN13: EANX picks EAN-13 from a 13-digit input. */
      return BARCODE_EANX;
    case RG_CARD_BARCODE_QR:
      return BARCODE_QRCODE;
    default:
      g_assert_not_reached ();
    }
}

/**
 * _rg_card_barcode_encode:
 * @encoded: (out) (optional): the text the symbol carries
 *
 * Validates @member_number for @type and lets zint lay the symbol out as vectors, quiet zones
 * included.
 *
 * Returns: (transfer full): the symbol with its `vector` filled, or %NULL with @error set
 */
RgZintSymbol *
_rg_card_barcode_encode (RgCardBarcode   type,
                         const char     *member_number,
                         char          **encoded,
                         GError        **error)
{
  g_autoptr(RgZintSymbol) symbol = NULL;
  g_autofree char *text = NULL;
  int rc;

  g_return_val_if_fail ((guint) type < RG_CARD_BARCODE_COUNT, NULL);

  if (member_number == NULL || member_number[0] == '\0')
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE,
                   _("There is no member number to put in the barcode"));
      return NULL;
    }
  if (!g_utf8_validate (member_number, -1, NULL))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE,
                   _("The member number is not valid UTF-8 text"));
      return NULL;
    }

  switch (type)
    {
    case RG_CARD_BARCODE_EAN13:
      if (!check_ean13 (member_number, &text, error))
        return NULL;
      break;
    case RG_CARD_BARCODE_CODE39:
      if (!check_code39 (member_number, error))
        return NULL;
      break;
    case RG_CARD_BARCODE_CODE128:
      if (!check_code128 (member_number, error))
        return NULL;
      break;
    case RG_CARD_BARCODE_QR:
    default:
      break;
    }
  if (text == NULL)
    text = g_strdup (member_number);

  symbol = ZBarcode_Create ();
  if (symbol == NULL)
    g_error ("zint could not allocate a symbol");
  symbol->symbology = symbology_for (type);
  symbol->input_mode = UNICODE_MODE;
  symbol->output_options |= BARCODE_QUIET_ZONES;
  /* zint's vectors use two units per module by default; one makes the renderer's
   * whole-pixels-per-module rounding exact. */
  symbol->scale = 0.5f;
  if (type == RG_CARD_BARCODE_QR)
    {
      /* Level M: survives a scratched phone screen without growing the symbol much. */
      symbol->option_1 = 2;
      symbol->show_hrt = 0;
      /* Text outside Shift JIS would otherwise get ECI 26 automatically with a warning;
       * asking for it up front makes the UTF-8 explicit for every scanner. */
      if (!g_str_is_ascii (text))
        symbol->eci = 26;
    }
  else
    {
      symbol->height = LINEAR_HEIGHT_MODULES;
      symbol->show_hrt = 1;
    }

  rc = ZBarcode_Encode_and_Buffer_Vector (symbol, (const unsigned char *) text,
                                          (int) strlen (text), 0);
  if (rc >= ZINT_ERROR || symbol->vector == NULL)
    {
      set_barcode_error (error, type, member_number,
                         symbol->errtxt[0] != '\0' ? symbol->errtxt : _("the encoder refused it"));
      return NULL;
    }

  if (encoded != NULL)
    *encoded = g_steal_pointer (&text);
  return g_steal_pointer (&symbol);
}

/**
 * rg_card_barcode_check:
 * @type: the barcode type of the design
 * @member_number: (nullable): the number to encode
 * @encoded: (out) (optional) (transfer full): the text the barcode will carry — the member
 *   number itself, or for a 12-digit EAN-13 the number with its check digit appended
 * @error: why @type cannot carry @member_number, naming the number and the offending
 *   character, length or check digit
 *
 * Our rules run before zint's, because zint silently changes some inputs (it pads 8–11
 * digits for EAN and makes an EAN-8 from 7 or fewer).
 *
 * Returns: %TRUE if a scanner will read the barcode back as @encoded
 */
gboolean
rg_card_barcode_check (RgCardBarcode   type,
                       const char     *member_number,
                       char          **encoded,
                       GError        **error)
{
  g_autoptr(RgZintSymbol) symbol = NULL;

  g_return_val_if_fail ((guint) type < RG_CARD_BARCODE_COUNT, FALSE);

  symbol = _rg_card_barcode_encode (type, member_number, encoded, error);
  return symbol != NULL;
}
