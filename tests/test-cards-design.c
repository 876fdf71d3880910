/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "rg-card-barcode.h"
#include "rg-card-demo.h"
#include "rg-card-design.h"
#include "rg-card-image.h"
#include "rg-card-store.h"
#include "rg-demo.h"
#include "rg-test-util.h"

/* Card designs: every validation rule, dirty tracking, JSON and SQLite round trips. */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_png (int    width,
          int    height,
          double red,
          double green,
          double blue)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, red, green, blue);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* Noise compresses badly, so half of this file cuts the image data itself. */
static GBytes *
make_noise_png (int width,
                int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  GByteArray *png = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint32 *pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface) / 4;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      pixels[y * stride + x] = g_rand_int (rand) & 0xffffff;
  cairo_surface_mark_dirty (surface);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static guint32
crc32_of (const guint8 *data,
          gsize         length,
          guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

/* A valid square PNG of exactly @size bytes: a tEXt chunk pads it before IEND. */
static GBytes *
make_png_of_size (gsize size)
{
  g_autoptr(GBytes) base = make_png (16, 16, 0.2, 0.4, 0.6);
  gsize base_size;
  const guint8 *data = g_bytes_get_data (base, &base_size);
  GByteArray *out = g_byte_array_new ();
  gsize text_length;
  guint8 header[8];
  guint8 *text;
  guint32 crc;

  /* 12 bytes of chunk framing around the text. */
  g_assert_cmpuint (size, >, base_size + 12 + 8);
  text_length = size - base_size - 12;

  g_byte_array_append (out, data, base_size - 12);
  header[0] = (text_length >> 24) & 0xff;
  header[1] = (text_length >> 16) & 0xff;
  header[2] = (text_length >> 8) & 0xff;
  header[3] = text_length & 0xff;
  memcpy (header + 4, "tEXt", 4);
  g_byte_array_append (out, header, 8);

  text = g_malloc (text_length);
  memcpy (text, "Comment", 8);
  memset (text + 8, 'x', text_length - 8);
  g_byte_array_append (out, text, text_length);
  crc = crc32_of ((const guint8 *) "tEXt", 4, 0);
  crc = crc32_of (text, text_length, crc);
  g_free (text);
  header[0] = (crc >> 24) & 0xff;
  header[1] = (crc >> 16) & 0xff;
  header[2] = (crc >> 8) & 0xff;
  header[3] = crc & 0xff;
  g_byte_array_append (out, header, 4);

  g_byte_array_append (out, data + base_size - 12, 12);
  g_assert_cmpuint (out->len, ==, size);
  return g_byte_array_free_to_bytes (out);
}

static void
assert_message_contains (const GError *error,
                         const char   *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” is not in the message “%s”", needle, error->message);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_enums (void)
{
  RgCardChannel channel;
  RgCardBarcode barcode;

  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    {
      g_assert_true (rg_card_channel_from_string (rg_card_channel_to_string (i), &channel));
      g_assert_cmpint (channel, ==, i);
      g_assert_nonnull (rg_card_channel_get_display_name (i));
    }
  for (guint i = 0; i < RG_CARD_BARCODE_COUNT; i++)
    {
      g_assert_true (rg_card_barcode_from_string (rg_card_barcode_to_string (i), &barcode));
      g_assert_cmpint (barcode, ==, i);
    }
  g_assert_cmpstr (rg_card_channel_to_string (RG_CARD_CHANNEL_WHATSAPP), ==, "whatsapp");
  g_assert_cmpstr (rg_card_channel_to_string (RG_CARD_CHANNEL_LINE), ==, "line");
  g_assert_cmpstr (rg_card_channel_to_string (RG_CARD_CHANNEL_WECHAT), ==, "wechat");
  g_assert_false (rg_card_channel_from_string ("LINE", NULL));
  g_assert_false (rg_card_channel_from_string ("sms", NULL));
  g_assert_false (rg_card_channel_from_string (NULL, NULL));
  g_assert_false (rg_card_barcode_from_string ("ean8", NULL));
}

static void
test_field_ids (void)
{
  static const struct {
    const char *id;
    gboolean    valid;
    const char *message;
  } cases[] = {
    { "name", TRUE, NULL },
    { "member_number", TRUE, NULL },
    { "phone", TRUE, NULL },
    { "email", TRUE, NULL },
    { "accumulated_points", TRUE, NULL },
    { "points_balance", TRUE, NULL },
    { "stored_value", TRUE, NULL },
    { "attr:birthday", TRUE, NULL },
    { "attr:tea_2nd_choice", TRUE, NULL },
    { "nickname", FALSE, "“nickname” is not a field" },
    { "Name", FALSE, "“Name” is not a field" },
    { "", FALSE, "“” is not a field" },
    { "attr:", FALSE, "“attr:” does not name an attribute" },
    { "attr:Birthday", FALSE, "“attr:Birthday” does not name an attribute" },
    { "attr:2nd", FALSE, "“attr:2nd” does not name an attribute" },
    { "attr:tea-type", FALSE, "“attr:tea-type” does not name an attribute" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = rg_card_field_id_check (cases[i].id, &error);

      g_test_message ("field id “%s”", cases[i].id);
      g_assert_cmpint (ok, ==, cases[i].valid);
      if (cases[i].valid)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_FIELD_ID);
          assert_message_contains (error, cases[i].message);
        }
    }

  for (const char * const *id = rg_card_field_get_builtin_ids (); *id != NULL; id++)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (*id, NULL);

      g_assert_nonnull (rg_card_field_id_get_default_label (*id));
      g_assert_cmpstr (rg_card_field_get_label (field), ==,
                       rg_card_field_id_get_default_label (*id));
    }
  g_assert_null (rg_card_field_id_get_default_label ("attr:birthday"));
}

static void
test_duplicate_fields (void)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_autoptr(RgCardField) phone = rg_card_field_new ("phone", "Phone");
  g_autoptr(RgCardField) phone_again = rg_card_field_new ("phone", "Mobile");
  g_autoptr(RgCardField) birthday = rg_card_field_new ("attr:birthday", "生日");
  g_autoptr(RgCardField) birthday_again = rg_card_field_new ("attr:birthday", NULL);
  g_autoptr(GError) error = NULL;
  guint n;

  n = rg_card_design_get_n_fields (design);
  g_assert_true (rg_card_design_add_field (design, phone, &error));
  g_assert_no_error (error);

  g_assert_false (rg_card_design_add_field (design, phone_again, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_DUPLICATE_FIELD);
  /* The message names the field by the label it already has on the card. */
  g_assert_cmpstr (error->message, ==,
                   "“Phone” is already on the card; each field can appear once");
  g_clear_error (&error);
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, n + 1);

  g_assert_true (rg_card_design_insert_field (design, 0, birthday, &error));
  g_assert_no_error (error);
  g_assert_false (rg_card_design_insert_field (design, 3, birthday_again, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_DUPLICATE_FIELD);
  assert_message_contains (error, "“生日” is already on the card");
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, n + 2);
  g_assert_true (rg_card_design_get_field (design, 0) == birthday);

  /* Removing a field makes room for it again. */
  {
    guint position;

    g_assert_true (rg_card_design_find_field (design, "phone", &position) == phone);
    rg_card_design_remove_field (design, position);
    g_assert_null (rg_card_design_find_field (design, "phone", &position));
    g_assert_cmpuint (position, ==, G_MAXUINT);
    g_clear_error (&error);
    g_assert_true (rg_card_design_add_field (design, phone_again, &error));
    g_assert_no_error (error);
  }
}

static void
test_no_field_limit (void)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_WECHAT);
  g_autoptr(GError) error = NULL;

  while (rg_card_design_get_n_fields (design) > 0)
    rg_card_design_remove_field (design, 0);

  for (const char * const *id = rg_card_field_get_builtin_ids (); *id != NULL; id++)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (*id, NULL);

      g_assert_true (rg_card_design_add_field (design, field, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("attr:extra_%u", i);
      g_autoptr(RgCardField) field = rg_card_field_new (id, NULL);

      g_assert_true (rg_card_design_add_field (design, field, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, 207);
  g_assert_true (rg_card_design_validate (design, &error));
  g_assert_no_error (error);
}

static void
test_icons (void)
{
  struct {
    const char *what;
    GBytes     *bytes;
    const char *message;
  } cases[] = {
    { "square PNG", make_png (64, 64, 0, 0, 1), NULL },
    { "1×1 PNG", make_png (1, 1, 0, 0, 1), NULL },
    { "PNG of 1,048,575 bytes", make_png_of_size (RG_CARD_ICON_MAX_BYTES - 1), NULL },
    { "PNG of exactly 1 MiB", make_png_of_size (RG_CARD_ICON_MAX_BYTES),
      "(1048576 bytes); an icon must be under 1 MB" },
    { "PNG of 1.5 MiB", make_png_of_size (RG_CARD_ICON_MAX_BYTES * 3 / 2),
      "(1572864 bytes); an icon must be under 1 MB" },
    { "wide PNG", make_png (64, 48, 0, 0, 1), "The icon is 64×48 pixels; icons must be square" },
    { "tall PNG", make_png (10, 11, 0, 0, 1), "The icon is 10×11 pixels" },
    { "JPEG", make_jpeg (32, 32), "The icon is a jpeg file; icons must be PNG files" },
    { "GIF", g_bytes_new_static ("GIF89a\x01\x00\x01\x00", 10), "The icon is a gif file" },
    { "text", g_bytes_new_static ("hello, world", 12), "The icon is not a PNG file" },
    { "empty", g_bytes_new_static ("", 0), "The icon is not a PNG file" },
  };
  g_autoptr(GBytes) valid = make_png (64, 64, 0, 0, 1);
  g_autoptr(GBytes) noise = make_noise_png (64, 64);
  gsize noise_size;
  const guint8 *noise_data = g_bytes_get_data (noise, &noise_size);
  g_autoptr(GBytes) truncated = g_bytes_new (noise_data, noise_size / 2);
  g_autoptr(RgCardField) field = rg_card_field_new ("name", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ok;

      g_test_message ("icon: %s", cases[i].what);
      ok = rg_card_icon_check (cases[i].bytes, &error);
      g_assert_cmpint (ok, ==, cases[i].message == NULL);
      if (cases[i].message == NULL)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON);
          assert_message_contains (error, cases[i].message);
          g_clear_error (&error);
        }
      /* The field refuses what the check refuses, and keeps its icon. */
      ok = rg_card_field_set_icon (field, cases[i].bytes, &error);
      g_assert_cmpint (ok, ==, cases[i].message == NULL);
      if (ok)
        g_assert_true (g_bytes_equal (rg_card_field_get_icon (field), cases[i].bytes));
      g_clear_error (&error);
    }

  /* Right signature and dimensions, but the image data is cut off. */
  g_assert_true (rg_card_icon_check (noise, &error));
  g_assert_no_error (error);
  g_assert_false (rg_card_icon_check (truncated, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON);
  assert_message_contains (error, "The icon PNG could not be read");
  g_clear_error (&error);

  g_assert_true (rg_card_field_set_icon (field, valid, &error));
  g_assert_true (g_bytes_equal (rg_card_field_get_icon (field), valid));
  rg_card_field_reset_icon (field);
  g_assert_null (rg_card_field_get_icon (field));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_bytes_unref (cases[i].bytes);
}

static void
test_header_image (void)
{
  struct {
    const char *what;
    GBytes     *bytes;
    const char *message;
  } cases[] = {
    { "1200×512 PNG", make_png (1200, 512, 1, 0, 0), NULL },
    { "1200×300 PNG", make_png (1200, 300, 1, 0, 0), NULL },
    { "tall 37×1000 PNG", make_png (37, 1000, 1, 0, 0), NULL },
    { "huge 5000×3000 PNG", make_png (5000, 3000, 1, 0, 0), NULL },
    { "JPEG", make_jpeg (640, 480), NULL },
    { "GIF", g_bytes_new_static ("GIF89a\x01\x00\x01\x00", 10),
      "The header image is a gif file; use a PNG or JPEG file" },
    { "text", g_bytes_new_static ("<html>", 6), "The header image is not a PNG or JPEG file" },
    { "broken JPEG", g_bytes_new_static ("\xff\xd8\xff\xe0\x00\x10JFIF", 10),
      "The header image could not be read" },
  };
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_autoptr(GBytes) kept = make_png (1200, 512, 0, 1, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (rg_card_design_set_header_image (design, kept, &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ok;

      g_test_message ("header: %s", cases[i].what);
      ok = rg_card_header_image_check (cases[i].bytes, &error);
      g_assert_cmpint (ok, ==, cases[i].message == NULL);
      if (cases[i].message != NULL)
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_HEADER_IMAGE);
          assert_message_contains (error, cases[i].message);
          g_clear_error (&error);

          g_assert_false (rg_card_design_set_header_image (design, cases[i].bytes, &error));
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_HEADER_IMAGE);
          g_clear_error (&error);
          g_assert_true (g_bytes_equal (rg_card_design_get_header_image (design), kept));
        }
      else
        g_assert_no_error (error);
    }

  g_assert_true (rg_card_design_set_header_image (design, NULL, &error));
  g_assert_null (rg_card_design_get_header_image (design));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_bytes_unref (cases[i].bytes);
}

static void
test_register_url (void)
{
  static const struct {
    const char *url;
    gboolean    required;
    const char *message;
  } cases[] = {
    { "https://morningleaf.example/join", TRUE, NULL },
    { "http://shop.example:8080/register?from=line", TRUE, NULL },
    { "HTTPS://SHOP.EXAMPLE", TRUE, NULL },
    { "", FALSE, NULL },
    { "", TRUE, "The register button needs a URL" },
    { "ftp://shop.example/join", TRUE,
      "starts with “ftp:”; it must start with http:// or https://" },
    { "javascript:alert(1)", TRUE, "starts with “javascript:”" },
    { "mailto:shop@example.com", FALSE, "starts with “mailto:”" },
    { "morningleaf.example/join", TRUE, "is not a web address" },
    { "https://", TRUE, "has no host name" },
    { "https://exa mple.com", TRUE, "is not a web address" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("register URL “%s”, required %d", cases[i].url, cases[i].required);
      rg_card_design_set_require_member_number (design, cases[i].required);
      rg_card_design_set_register_url (design, cases[i].url);
      g_assert_cmpstr (rg_card_design_get_register_url (design), ==, cases[i].url);
      ok = rg_card_design_validate (design, &error);
      g_assert_cmpint (ok, ==, cases[i].message == NULL);
      if (cases[i].message != NULL)
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL);
          assert_message_contains (error, cases[i].message);
          if (cases[i].url[0] != '\0')
            assert_message_contains (error, cases[i].url);
        }
    }
}

static void
test_accent_color (void)
{
  static const struct {
    const char *color;
    gboolean    valid;
  } cases[] = {
    { "#2e7d5b", TRUE },
    { "#FFFFFF", TRUE },
    { "green", FALSE },
    { "#12345", FALSE },
    { "#1234567", FALSE },
    { "#12345g", FALSE },
    { "", FALSE },
  };
  double r, g, b;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
      g_autoptr(GError) error = NULL;

      rg_card_design_set_accent_color (design, cases[i].color);
      g_assert_cmpint (rg_card_design_validate (design, &error), ==, cases[i].valid);
      if (!cases[i].valid)
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_COLOR);
          assert_message_contains (error, cases[i].color);
        }
    }

  g_assert_true (rg_card_color_parse ("#ff8000", &r, &g, &b));
  g_assert_cmpfloat_with_epsilon (r, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (g, 128 / 255.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (b, 0.0, 1e-9);
}

static void
test_barcode_check (void)
{
  g_autofree char *too_long = g_strnfill (8000, '7');
  const struct {
    RgCardBarcode  type;
    const char    *number;
    const char    *encoded;
    const char    *message;
  } cases[] = {
    /* EAN-13: 12 digits get their check digit, 13 must carry the right one. */
    { RG_CARD_BARCODE_EAN13, "200000001234", "2000000012346", NULL },
    { RG_CARD_BARCODE_EAN13, "2000000012346", "2000000012346", NULL },
    { RG_CARD_BARCODE_EAN13, "4711234567899", "4711234567899", NULL },
    { RG_CARD_BARCODE_EAN13, "2000000012345", NULL,
      "its check digit is 5 but the first 12 digits need 6" },
    { RG_CARD_BARCODE_EAN13, "12345678901", NULL, "it has 11 digits; EAN-13 needs 12 digits" },
    { RG_CARD_BARCODE_EAN13, "12345678", NULL, "it has 8 digits" },
    { RG_CARD_BARCODE_EAN13, "1234567", NULL, "it has 7 digits" },
    { RG_CARD_BARCODE_EAN13, "12345678901234", NULL, "it has 14 digits" },
    { RG_CARD_BARCODE_EAN13, "20000000123A", NULL, "“A” is not a digit" },
    { RG_CARD_BARCODE_EAN13, "200000001234 ", NULL, "“ ” is not a digit" },
    { RG_CARD_BARCODE_EAN13, "２００００００００１２３４", NULL, "“２” is not a digit" },
    /* Code 39: its alphabet only; lowercase is refused, not uppercased. */
    { RG_CARD_BARCODE_CODE39, "M-0001", "M-0001", NULL },
    { RG_CARD_BARCODE_CODE39, "AB 12.$/+%", "AB 12.$/+%", NULL },
    { RG_CARD_BARCODE_CODE39, "m-0001", NULL,
      "Code 39 has no lowercase letters, so “m” would scan as “M”" },
    { RG_CARD_BARCODE_CODE39, "A#1", NULL, "“#” is not in Code 39" },
    { RG_CARD_BARCODE_CODE39, "會員1", NULL, "“會” is not in Code 39" },
    /* Code 128: printable ASCII. */
    { RG_CARD_BARCODE_CODE128, "m-0001 Abc#~", "m-0001 Abc#~", NULL },
    { RG_CARD_BARCODE_CODE128, "會員1", NULL, "“會” is not an ASCII character" },
    { RG_CARD_BARCODE_CODE128, "Café", NULL, "“é” is not an ASCII character" },
    { RG_CARD_BARCODE_CODE128, "A\tB", NULL, "the control character U+0009" },
    /* QR: any UTF-8, up to the symbol's capacity. */
    { RG_CARD_BARCODE_QR, "會員001", "會員001", NULL },
    { RG_CARD_BARCODE_QR, "m-0001 ✓", "m-0001 ✓", NULL },
    { RG_CARD_BARCODE_QR, too_long, NULL, "cannot be encoded as QR code" },
    /* No number at all. */
    { RG_CARD_BARCODE_QR, "", NULL, "There is no member number" },
    { RG_CARD_BARCODE_CODE128, NULL, NULL, "There is no member number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = NULL;
      gboolean ok;

      g_test_message ("%s, case %u", rg_card_barcode_to_string (cases[i].type), i);
      ok = rg_card_barcode_check (cases[i].type, cases[i].number, &encoded, &error);
      g_assert_cmpint (ok, ==, cases[i].message == NULL);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (encoded, ==, cases[i].encoded);
        }
      else
        {
          g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE);
          assert_message_contains (error, cases[i].message);
          g_assert_null (encoded);
          /* The message names the number (short ones in full). */
          if (cases[i].number != NULL && cases[i].number[0] != '\0' &&
              strlen (cases[i].number) < 40)
            assert_message_contains (error, cases[i].number);
        }
    }

  g_assert_cmpint (rg_card_ean13_check_digit ("400638133393"), ==, '1');
  g_assert_cmpint (rg_card_ean13_check_digit ("000000000000"), ==, '0');
}

static void
count_cb (gpointer  object,
          guint    *count)
{
  (*count)++;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_dirty_and_copy (void)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_autoptr(RgCardDesign) saved = NULL;
  g_autoptr(RgCardField) email = rg_card_field_new ("email", NULL);
  g_autoptr(GBytes) icon = make_png (24, 24, 1, 0, 0);
  g_autoptr(GBytes) header = make_png (1200, 512, 0, 0, 1);
  g_autoptr(RgCardField) first = NULL;
  guint changed = 0, dirty_notify = 0;

  g_assert_false (rg_card_design_get_dirty (design));
  g_assert_false (rg_card_design_get_enabled (design));
  g_assert_cmpint (rg_card_design_get_barcode_type (design), ==, RG_CARD_BARCODE_QR);
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, 3);
  g_signal_connect (design, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (design, "notify::dirty", G_CALLBACK (notify_count_cb), &dirty_notify);

  saved = rg_card_design_copy (design);
  g_assert_true (rg_card_design_equal (design, saved));

  rg_card_design_set_title (design, "晨葉茶行");
  g_assert_true (rg_card_design_get_dirty (design));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (dirty_notify, ==, 1);
  rg_card_design_set_title (design, "晨葉茶行");
  g_assert_cmpuint (changed, ==, 1);

  rg_card_design_clear_dirty (design);
  g_assert_false (rg_card_design_get_dirty (design));
  /* Held, so that it outlives the design's reference after Revert. */
  first = g_object_ref (rg_card_design_get_field (design, 0));
  rg_card_field_set_label (first, "姓名");
  g_assert_true (rg_card_design_get_dirty (design));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (rg_card_field_set_icon (first, icon, NULL));
  g_assert_cmpuint (changed, ==, 3);

  rg_card_design_move_field (design, 0, 2);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_true (rg_card_design_get_field (design, 2) == first);
  g_assert_cmpstr (rg_card_field_get_id (rg_card_design_get_field (design, 0)), ==,
                   "member_number");
  rg_card_design_move_field (design, 2, 0);
  g_assert_true (rg_card_design_get_field (design, 0) == first);

  g_assert_true (rg_card_design_add_field (design, email, NULL));
  g_assert_true (rg_card_design_set_header_image (design, header, NULL));
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_EAN13);
  rg_card_design_set_enabled (design, TRUE);
  g_assert_false (rg_card_design_equal (design, saved));

  /* A copy is equal, clean and independent. */
  {
    g_autoptr(RgCardDesign) copy = rg_card_design_copy (design);

    g_assert_true (rg_card_design_equal (design, copy));
    g_assert_false (rg_card_design_get_dirty (copy));
    g_assert_true (rg_card_design_get_field (copy, 0) != first);
    rg_card_field_set_label (rg_card_design_get_field (copy, 0), "Name");
    g_assert_cmpstr (rg_card_field_get_label (first), ==, "姓名");
    g_assert_false (rg_card_design_equal (design, copy));
  }

  /* Revert: one "changed", clean again, and fields from the design no longer notify. */
  changed = 0;
  rg_card_design_assign (design, saved);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (rg_card_design_get_dirty (design));
  g_assert_true (rg_card_design_equal (design, saved));
  g_assert_null (rg_card_design_get_header_image (design));
  rg_card_field_set_label (first, "detached");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (rg_card_design_get_dirty (design));
  rg_card_field_set_label (rg_card_design_get_field (design, 0), "Full name");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (rg_card_design_get_dirty (design));
}

static RgCardDesign *
make_full_design (void)
{
  RgCardDesign *design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_autoptr(GBytes) header = make_png (1200, 300, 0.8, 0.3, 0.1);
  g_autoptr(GBytes) icon = make_png (48, 48, 0.1, 0.3, 0.8);
  g_autoptr(RgCardField) birthday = rg_card_field_new ("attr:birthday", "生日");
  g_autoptr(RgCardField) phone = rg_card_field_new ("phone", "手機");

  rg_card_design_set_enabled (design, TRUE);
  rg_card_design_set_title (design, "晨葉茶行 會員卡");
  rg_card_design_set_accent_color (design, "#1f6f4a");
  rg_card_design_set_require_member_number (design, TRUE);
  rg_card_design_set_not_found_message (design, "找不到您的會員資料");
  rg_card_design_set_register_button_text (design, "立即加入");
  rg_card_design_set_register_url (design, "https://morningleaf.example/join?from=line");
  rg_card_design_set_member_center_enabled (design, FALSE);
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_CODE39);
  rg_card_design_set_show_icons (design, FALSE);
  g_assert_true (rg_card_design_set_header_image (design, header, NULL));
  g_assert_true (rg_card_field_set_icon (birthday, icon, NULL));
  g_assert_true (rg_card_design_add_field (design, birthday, NULL));
  g_assert_true (rg_card_design_insert_field (design, 1, phone, NULL));
  return design;
}

static void
test_json_round_trip (void)
{
  g_autoptr(RgCardDesign) design = make_full_design ();
  g_autoptr(RgCardDesign) back = NULL;
  g_autoptr(RgCardDesign) elsewhere = NULL;
  g_autoptr(RgCardDesign) defaults = rg_card_design_new (RG_CARD_CHANNEL_WHATSAPP);
  g_autoptr(RgCardDesign) defaults_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = rg_card_design_to_json (design);
  g_autofree char *defaults_json = rg_card_design_to_json (defaults);

  g_assert_nonnull (strstr (json, "\"format\" : \"regulars-card-design\""));
  g_assert_nonnull (strstr (json, "\"barcode\" : \"code39\""));

  back = rg_card_design_from_json (RG_CARD_CHANNEL_LINE, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (design, back));
  g_assert_false (rg_card_design_get_dirty (back));
  g_assert_cmpuint (rg_card_design_get_n_fields (back), ==, 5);
  g_assert_cmpstr (rg_card_field_get_id (rg_card_design_get_field (back, 1)), ==, "phone");
  g_assert_nonnull (rg_card_field_get_icon (rg_card_design_get_field (back, 4)));

  /* A design moves to another channel: the argument decides, not the file. */
  elsewhere = rg_card_design_from_json (RG_CARD_CHANNEL_WECHAT, json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_card_design_get_channel (elsewhere), ==, RG_CARD_CHANNEL_WECHAT);
  g_assert_true (rg_card_design_equal (design, elsewhere));

  defaults_back = rg_card_design_from_json (RG_CARD_CHANNEL_WHATSAPP, defaults_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (defaults, defaults_back));
  g_assert_null (rg_card_design_get_header_image (defaults_back));
}

/* Applies one change to a valid exported design and returns it as text. */
static char *
mutate_json (const char *json,
             const char *path,
             JsonNode   *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      guint index;

      if (sscanf (parts[i], "fields[%u]", &index) == 1)
        object = json_array_get_object_element (json_object_get_array_member (object, "fields"),
                                                index);
      else
        object = json_object_get_object_member (object, parts[i]);
    }
  if (value == NULL)
    json_object_remove_member (object, parts[g_strv_length (parts) - 1]);
  else
    json_object_set_member (object, parts[g_strv_length (parts) - 1], value);

  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
base64_node (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *encoded = g_base64_encode (data, size);

  return string_node (encoded);
}

static void
test_json_import_errors (void)
{
  g_autoptr(RgCardDesign) design = make_full_design ();
  g_autofree char *json = rg_card_design_to_json (design);
  g_autoptr(GBytes) wide_icon = make_png (64, 48, 0, 0, 0);
  g_autoptr(GBytes) gif = g_bytes_new_static ("GIF89a\x01\x00\x01\x00", 10);
  JsonNode *boolean = json_node_new (JSON_NODE_VALUE);
  JsonNode *version = json_node_new (JSON_NODE_VALUE);
  struct {
    const char *path;
    JsonNode   *value;
    const char *message;
  } cases[] = {
    { "format", string_node ("regulars-member-list"), "format: is “regulars-member-list”" },
    { "version", version, "version: is 2; this Regulars reads version 1" },
    { "enabeld", json_node_ref (boolean), "enabeld: is not a setting of a card design" },
    { "enabled", string_node ("yes"), "enabled: expected true or false, found text" },
    { "show_icons", NULL, "show_icons: is missing" },
    { "title", json_node_ref (boolean), "title: expected text, found true or false" },
    { "channel", string_node ("telegram"), "channel: “telegram” is not a channel" },
    { "barcode", string_node ("ean8"), "barcode: “ean8” is not a barcode type" },
    { "accent_color", string_node ("green"), "accent_color: “green” is not a colour" },
    { "register_url", string_node ("ftp://morningleaf.example"),
      "register_url: The register button's URL" },
    { "register_url", string_node (""), "register_url: The register button needs a URL" },
    { "header_image", string_node ("!!not base64!!"), "header_image: is not base64-encoded data" },
    { "header_image", base64_node (gif), "header_image: The header image is a gif file" },
    { "header_image", string_node (""), "header_image: is empty; use null for no image" },
    { "fields", string_node ("name"), "fields: expected a list, found text" },
    { "fields[0].id", string_node ("nickname"), "fields[0].id: “nickname” is not a field" },
    { "fields[2].id", string_node ("name"),
      "fields[2].id: “Name” is already on the card; each field can appear once" },
    { "fields[4].icon", base64_node (wide_icon),
      "fields[4].icon: The icon is 64×48 pixels; icons must be square" },
    { "fields[1].label", NULL, "fields[1].label: is missing" },
    { "fields[1].color", string_node ("#000000"),
      "fields[1].color: is not a setting of a card design" },
  };
  g_autoptr(GError) error = NULL;

  json_node_set_boolean (boolean, TRUE);
  json_node_set_int (version, 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bad = mutate_json (json, cases[i].path, cases[i].value);
      g_autoptr(RgCardDesign) imported = NULL;

      g_test_message ("JSON with a bad %s", cases[i].path);
      imported = rg_card_design_from_json (RG_CARD_CHANNEL_LINE, bad, -1, &error);
      g_assert_null (imported);
      g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON);
      assert_message_contains (error, cases[i].message);
      g_clear_error (&error);
    }

  g_assert_null (rg_card_design_from_json (RG_CARD_CHANNEL_LINE, "{\"format\": ", -1, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON);
  assert_message_contains (error, "not valid JSON");
  g_clear_error (&error);
  g_assert_null (rg_card_design_from_json (RG_CARD_CHANNEL_LINE, "[1, 2]", -1, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON);
  assert_message_contains (error, "must be a JSON object");
  g_clear_error (&error);

  json_node_unref (boolean);
}

typedef struct
{
  char    *dir;
  RgStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = rg_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "regulars.db", NULL);
  fixture->store = rg_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
changed_cb (RgCardStore   *cards,
            RgCardChannel  channel,
            GArray        *seen)
{
  g_array_append_val (seen, channel);
}

static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RgCardStore) cards = rg_card_store_new (fixture->store);
  g_autoptr(RgCardDesign) design = make_full_design ();
  g_autoptr(RgCardDesign) loaded = NULL;
  g_autoptr(RgCardDesign) defaults = NULL;
  g_autoptr(RgCardDesign) fresh = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (RgCardChannel));
  g_autoptr(GError) error = NULL;
  gboolean saved = TRUE;

  g_signal_connect (cards, "changed", G_CALLBACK (changed_cb), seen);

  /* Never saved: the defaults, clean. */
  g_assert_true (rg_card_store_is_saved (cards, RG_CARD_CHANNEL_LINE, &saved, &error));
  g_assert_false (saved);
  defaults = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  fresh = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_assert_true (rg_card_design_equal (defaults, fresh));
  g_assert_false (rg_card_design_get_dirty (defaults));

  g_assert_true (rg_card_design_get_dirty (design));
  g_assert_true (rg_card_store_save (cards, design, &error));
  g_assert_no_error (error);
  g_assert_false (rg_card_design_get_dirty (design));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (g_array_index (seen, RgCardChannel, 0), ==, RG_CARD_CHANNEL_LINE);
  g_assert_true (rg_card_store_is_saved (cards, RG_CARD_CHANNEL_LINE, &saved, &error));
  g_assert_true (saved);

  loaded = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (design, loaded));
  g_assert_false (rg_card_design_get_dirty (loaded));
  g_clear_object (&loaded);

  /* Other channels keep their defaults. */
  loaded = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_card_design_get_channel (loaded), ==, RG_CARD_CHANNEL_WECHAT);
  g_assert_false (rg_card_design_get_enabled (loaded));
  g_clear_object (&loaded);

  /* Saving again replaces the fields and images; none linger. */
  rg_card_design_remove_field (design, 0);
  rg_card_design_remove_field (design, 0);
  rg_card_field_reset_icon (rg_card_design_get_field (design, 2));
  g_assert_true (rg_card_design_set_header_image (design, NULL, NULL));
  rg_card_design_move_field (design, 2, 0);
  g_assert_true (rg_card_store_save (cards, design, &error));
  g_assert_no_error (error);
  loaded = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (design, loaded));
  g_assert_cmpuint (rg_card_design_get_n_fields (loaded), ==, 3);
  g_clear_object (&loaded);

  /* An invalid design is refused and nothing is written. */
  rg_card_design_set_register_url (design, "ftp://example.com");
  rg_card_design_set_title (design, "never stored");
  g_assert_false (rg_card_store_save (cards, design, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL);
  g_clear_error (&error);
  g_assert_true (rg_card_design_get_dirty (design));
  g_assert_cmpuint (seen->len, ==, 2);
  loaded = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_card_design_get_title (loaded), ==, "晨葉茶行 會員卡");
}

static void
test_store_survives_reopen (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RgCardStore) cards = rg_card_store_new (fixture->store);
  g_autoptr(RgCardDesign) design = make_full_design ();
  g_autoptr(RgCardDesign) loaded = NULL;
  g_autoptr(RgStore) reopened = NULL;
  g_autoptr(RgCardStore) cards_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (rg_store_get_path (fixture->store));

  g_assert_true (rg_card_store_save (cards, design, &error));
  g_assert_no_error (error);
  g_clear_object (&cards);
  g_clear_object (&fixture->store);

  reopened = rg_store_open (path, &error);
  g_assert_no_error (error);
  cards_again = rg_card_store_new (reopened);
  loaded = rg_card_store_load (cards_again, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (design, loaded));
}

static void
test_demo_designs (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RgCardStore) cards = rg_card_store_new (fixture->store);
  g_autoptr(GError) error = NULL;
  static const RgCardBarcode expected[RG_CARD_CHANNEL_COUNT] = {
    [RG_CARD_CHANNEL_WHATSAPP] = RG_CARD_BARCODE_CODE128,
    [RG_CARD_CHANNEL_LINE] = RG_CARD_BARCODE_QR,
    [RG_CARD_CHANNEL_WECHAT] = RG_CARD_BARCODE_CODE39,
  };

  g_assert_true (rg_demo_populate (fixture->store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    {
      g_autoptr(RgCardDesign) design = NULL;
      gboolean saved = FALSE;

      g_assert_true (rg_card_store_is_saved (cards, i, &saved, &error));
      g_assert_true (saved);
      design = rg_card_store_load (cards, i, &error);
      g_assert_no_error (error);
      g_assert_true (rg_card_design_get_enabled (design));
      g_assert_cmpint (rg_card_design_get_barcode_type (design), ==, expected[i]);
      g_assert_cmpuint (rg_card_design_get_n_fields (design), >=, 4);
      g_assert_true (rg_card_design_validate (design, &error));
      g_assert_no_error (error);
    }

  {
    g_autoptr(RgCardDesign) line = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
    GBytes *header = rg_card_design_get_header_image (line);
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
    GdkPixbuf *pixbuf;

    g_assert_nonnull (header);
    g_assert_true (gdk_pixbuf_loader_write_bytes (loader, header, &error));
    g_assert_true (gdk_pixbuf_loader_close (loader, &error));
    pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, RG_CARD_HEADER_WIDTH);
    g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, RG_CARD_HEADER_HEIGHT);
    g_assert_true (rg_card_design_get_require_member_number (line));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/cards/design/enums", test_enums);
  g_test_add_func ("/regulars/cards/design/field-ids", test_field_ids);
  g_test_add_func ("/regulars/cards/design/duplicate-fields", test_duplicate_fields);
  g_test_add_func ("/regulars/cards/design/no-field-limit", test_no_field_limit);
  g_test_add_func ("/regulars/cards/design/icons", test_icons);
  g_test_add_func ("/regulars/cards/design/header-image", test_header_image);
  g_test_add_func ("/regulars/cards/design/register-url", test_register_url);
  g_test_add_func ("/regulars/cards/design/accent-color", test_accent_color);
  g_test_add_func ("/regulars/cards/design/barcode-check", test_barcode_check);
  g_test_add_func ("/regulars/cards/design/dirty-and-copy", test_dirty_and_copy);
  g_test_add_func ("/regulars/cards/design/json-round-trip", test_json_round_trip);
  g_test_add_func ("/regulars/cards/design/json-import-errors", test_json_import_errors);
  g_test_add ("/regulars/cards/design/store-round-trip", Fixture, NULL,
              fixture_set_up, test_store_round_trip, fixture_tear_down);
  g_test_add ("/regulars/cards/design/store-survives-reopen", Fixture, NULL,
              fixture_set_up, test_store_survives_reopen, fixture_tear_down);
  g_test_add ("/regulars/cards/design/demo", Fixture, NULL,
              fixture_set_up, test_demo_designs, fixture_tear_down);

  status = g_test_run ();

  /* Fontconfig keeps its caches until FcFini(); releasing them leaves valgrind's report to
   * our own leaks. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
