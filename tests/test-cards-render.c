/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "rg-attribute-definition.h"
#include "rg-card-barcode.h"
#include "rg-card-image-private.h"
#include "rg-card-renderer.h"
#include "rg-test-util.h"

/* The renderer's output compared structurally: size, letterbox bands, barcodes that an
 * independent decoder (zbarimg from zbar-tools) reads back, the problem and not-found
 * states. */

#define HEADER_BOX_HEIGHT (RG_CARD_WIDTH * 512.0 / 1200.0)

typedef struct
{
  guint8 r, g, b, a;
} Pixel;

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

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

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} Reader;

static cairo_status_t
read_from_bytes (void          *closure,
                 unsigned char *out,
                 unsigned int   length)
{
  Reader *reader = closure;

  if (reader->offset + length > reader->size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (out, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Decodes a PNG the renderer wrote, which also proves it is a valid PNG. */
static cairo_surface_t *
decode_png (GBytes *png)
{
  Reader reader = { 0 };
  cairo_surface_t *surface;

  reader.data = g_bytes_get_data (png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (read_from_bytes, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static Pixel
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 value;
  Pixel pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  cairo_surface_flush (surface);
  value = *(const guint32 *) (gconstpointer) (data + (gsize) y * stride + x * 4);
  pixel.a = value >> 24;
  pixel.r = (value >> 16) & 0xff;
  pixel.g = (value >> 8) & 0xff;
  pixel.b = value & 0xff;
  return pixel;
}

static gboolean
pixel_near (Pixel  pixel,
            guint8 r,
            guint8 g,
            guint8 b)
{
  return ABS ((int) pixel.r - r) <= 3 && ABS ((int) pixel.g - g) <= 3 &&
         ABS ((int) pixel.b - b) <= 3 && pixel.a == 0xff;
}

static void
assert_pixel (cairo_surface_t *surface,
              int              x,
              int              y,
              guint8           r,
              guint8           g,
              guint8           b)
{
  Pixel pixel = pixel_at (surface, x, y);

  if (!pixel_near (pixel, r, g, b))
    g_error ("pixel (%d, %d) is #%02x%02x%02x/%02x, expected #%02x%02x%02x",
             x, y, pixel.r, pixel.g, pixel.b, pixel.a, r, g, b);
}

static guint
count_pixels (cairo_surface_t *surface,
              int              top,
              int              bottom,
              guint8           r,
              guint8           g,
              guint8           b)
{
  int width = cairo_image_surface_get_width (surface);
  guint count = 0;

  for (int y = top; y < bottom; y++)
    for (int x = 0; x < width; x++)
      if (pixel_near (pixel_at (surface, x, y), r, g, b))
        count++;
  return count;
}

static RgCardDesign *
make_design (RgCardBarcode  type,
             GBytes        *header)
{
  RgCardDesign *design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  const char * const extra[] = { "phone", "email", "stored_value" };

  rg_card_design_set_enabled (design, TRUE);
  rg_card_design_set_title (design, "晨葉茶行 會員卡");
  rg_card_design_set_accent_color (design, "#2e7d5b");
  rg_card_design_set_barcode_type (design, type);
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (extra[i], NULL);

      g_assert_true (rg_card_design_add_field (design, field, NULL));
    }
  if (header != NULL)
    g_assert_true (rg_card_design_set_header_image (design, header, NULL));
  return design;
}

static RgCardData *
make_member (const char *number)
{
  RgCardData *data = rg_card_data_new (number);

  rg_card_data_set_value (data, "name", "林小美");
  rg_card_data_set_value (data, "phone", "0912-345-678");
  rg_card_data_set_value (data, "points_balance", "320");
  return data;
}

static GBytes *
render (RgCardDesign  *design,
        RgCardData    *data,
        double         scale,
        GError       **problem)
{
  g_autoptr(GError) error = NULL;
  GBytes *png = rg_card_render_to_png_bytes (design, data, scale, problem, &error);

  g_assert_no_error (error);
  g_assert_nonnull (png);
  return png;
}

/* Runs zbarimg with only @symbology enabled. Returns the decoded text, or NULL when it
 * found no barcode. A missing zbarimg fails the test: tools/dev installs zbar-tools. */
static char *
zbar_decode (const char *dir,
             GBytes     *png,
             const char *symbology)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *path = g_build_filename (dir, "card.png", NULL);
  g_autofree char *enable = g_strdup_printf ("-S%s.enable", symbology);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "-q", "--raw", "-Sdisable", enable, path, NULL };
  int status = 0;

  if (zbarimg == NULL)
    g_error ("zbarimg is not installed; install zbar-tools (tools/dev test does)");
  argv[0] = zbarimg;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL),
                                      g_bytes_get_size (png), &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  /* zbarimg exits 4 when the image holds no symbol. */
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_strchomp (out);
  return g_steal_pointer (&out);
}

static void
test_size (void)
{
  g_autoptr(GBytes) header = make_png (1200, 512, 1, 0, 0);
  g_autoptr(RgCardDesign) design = make_design (RG_CARD_BARCODE_QR, header);
  g_autoptr(RgCardData) member = make_member ("M0001");
  g_autoptr(RgCardData) nobody = rg_card_data_new (NULL);
  int width1, height1, width2, height2, height_linear, height_plain;

  rg_card_get_size (design, 1, &width1, &height1);
  rg_card_get_size (design, 2, &width2, &height2);
  g_assert_cmpint (width1, ==, RG_CARD_WIDTH);
  g_assert_cmpint (width2, ==, 2 * RG_CARD_WIDTH);
  g_assert_cmpint (height2, >=, 2 * height1 - 1);
  g_assert_cmpint (height2, <=, 2 * height1);

  for (guint i = 0; i < 2; i++)
    {
      double scale = i == 0 ? 1 : 2;
      g_autoptr(GBytes) png = render (design, member, scale, NULL);
      g_autoptr(cairo_surface_t) surface = decode_png (png);
      g_autoptr(GBytes) not_found_png = NULL;
      g_autoptr(cairo_surface_t) not_found = NULL;

      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, i == 0 ? width1 : width2);
      g_assert_cmpint (cairo_image_surface_get_height (surface), ==, i == 0 ? height1 : height2);

      /* The size is the design's, whatever the member: the preview does not jump. */
      rg_card_design_set_require_member_number (design, TRUE);
      not_found_png = render (design, nobody, scale, NULL);
      not_found = decode_png (not_found_png);
      rg_card_design_set_require_member_number (design, FALSE);
      g_assert_cmpint (cairo_image_surface_get_width (not_found), ==,
                       cairo_image_surface_get_width (surface));
      g_assert_cmpint (cairo_image_surface_get_height (not_found), ==,
                       cairo_image_surface_get_height (surface));

      /* Rounded corners are transparent, the middle is opaque white. */
      g_assert_cmpint (pixel_at (surface, 0, 0).a, ==, 0);
      assert_pixel (surface, (i == 0 ? width1 : width2) / 2,
                    (i == 0 ? height1 : height2) - 4, 0xff, 0xff, 0xff);
    }

  /* A header adds its box, one field a row, a linear barcode is lower than a QR code. */
  g_assert_true (rg_card_design_set_header_image (design, NULL, NULL));
  rg_card_get_size (design, 1, NULL, &height_plain);
  g_assert_cmpint (height1 - height_plain, >=, (int) HEADER_BOX_HEIGHT);
  g_assert_cmpint (height1 - height_plain, <=, (int) HEADER_BOX_HEIGHT + 1);
  rg_card_design_remove_field (design, 0);
  rg_card_get_size (design, 1, NULL, &height_linear);
  g_assert_cmpint (height_linear, ==, height_plain - 40);
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_CODE128);
  rg_card_get_size (design, 1, NULL, &height_linear);
  g_assert_cmpint (height_linear, <, height_plain - 40);
}

static void
test_letterbox (void)
{
  /* Pure red is not in the card's palette, so a red pixel is the image. */
  g_autoptr(GBytes) wide = make_png (1200, 300, 1, 0, 0);
  g_autoptr(GBytes) exact = make_png (1200, 512, 1, 0, 0);
  g_autoptr(GBytes) tall = make_png (300, 1200, 1, 0, 0);
  g_autoptr(RgCardData) member = make_member ("M0001");

  for (guint s = 1; s <= 2; s++)
    {
      g_autoptr(RgCardDesign) design = make_design (RG_CARD_BARCODE_QR, wide);
      g_autoptr(GBytes) png = NULL;
      g_autoptr(cairo_surface_t) surface = NULL;
      int box = (int) (HEADER_BOX_HEIGHT * s + 0.5);
      int middle = RG_CARD_WIDTH * s / 2;
      /* 1200×300 into 360×153.6: the image is 90 high, bands of 31.8 above and below. */
      int band = (int) ((HEADER_BOX_HEIGHT - 90) / 2 * s);

      png = render (design, member, s, NULL);
      surface = decode_png (png);
      assert_pixel (surface, middle, 2, 0xec, 0xec, 0xec);
      assert_pixel (surface, middle, band - 2, 0xec, 0xec, 0xec);
      assert_pixel (surface, middle, band + 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, box / 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, 1, box / 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, RG_CARD_WIDTH * s - 2, box / 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, box - band - 3, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, box - band + 1, 0xec, 0xec, 0xec);
      assert_pixel (surface, middle, box - 2, 0xec, 0xec, 0xec);
      /* Whole rows: no red in the top band, all red in the image's middle row. */
      g_assert_cmpuint (count_pixels (surface, 0, band - 1, 0xff, 0, 0), ==, 0);
      g_assert_cmpuint (count_pixels (surface, box / 2, box / 2 + 1, 0xff, 0, 0), ==,
                        (guint) RG_CARD_WIDTH * s);
      g_clear_pointer (&png, g_bytes_unref);
      g_clear_pointer (&surface, cairo_surface_destroy);

      /* The recommended size fills the box: no band anywhere. */
      g_assert_true (rg_card_design_set_header_image (design, exact, NULL));
      png = render (design, member, s, NULL);
      surface = decode_png (png);
      for (int y = 12 * s; y < box - 1; y += 5)
        assert_pixel (surface, middle, y, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, 0, 0xff, 0x00, 0x00);
      /* The title band starts at 153.6 logical pixels and covers the last row partly. */
      assert_pixel (surface, middle, box - 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, 1, box / 2, 0xff, 0x00, 0x00);
      g_assert_cmpuint (count_pixels (surface, 0, box, 0xec, 0xec, 0xec), ==, 0);
      g_clear_pointer (&png, g_bytes_unref);
      g_clear_pointer (&surface, cairo_surface_destroy);

      /* A portrait image gets bands left and right instead, never cropped. */
      g_assert_true (rg_card_design_set_header_image (design, tall, NULL));
      png = render (design, member, s, NULL);
      surface = decode_png (png);
      assert_pixel (surface, 3 * s, box / 2, 0xec, 0xec, 0xec);
      assert_pixel (surface, RG_CARD_WIDTH * s - 3 * s, box / 2, 0xec, 0xec, 0xec);
      assert_pixel (surface, middle, box / 2, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, 1, 0xff, 0x00, 0x00);
      assert_pixel (surface, middle, box - 2, 0xff, 0x00, 0x00);
      /* 300×1200 into the box: 38.4 wide. */
      g_assert_cmpuint (count_pixels (surface, box / 2, box / 2 + 1, 0xff, 0, 0), >=,
                        (guint) (38 * s - 1));
      g_assert_cmpuint (count_pixels (surface, box / 2, box / 2 + 1, 0xff, 0, 0), <=,
                        (guint) (39 * s + 1));
    }
}

static void
test_barcodes_decode (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    RgCardBarcode  type;
    const char    *number;
    const char    *decoded;
    const char    *symbology;
  } cases[] = {
    { RG_CARD_BARCODE_QR, "M0001234", "M0001234", "qrcode" },
    { RG_CARD_BARCODE_QR, "會員-001", "會員-001", "qrcode" },
    { RG_CARD_BARCODE_CODE128, "m-0001 Tea", "m-0001 Tea", "code128" },
    { RG_CARD_BARCODE_CODE128, "20240531007", "20240531007", "code128" },
    { RG_CARD_BARCODE_CODE39, "M-0001", "M-0001", "code39" },
    { RG_CARD_BARCODE_EAN13, "2000000012346", "2000000012346", "ean13" },
    /* Twelve digits: the card carries the check digit the scanner reads too. */
    { RG_CARD_BARCODE_EAN13, "471234567890", "4712345678900", "ean13" },
  };
  g_autoptr(GBytes) header = make_png (1200, 512, 0.2, 0.5, 0.3);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgCardDesign) design = make_design (cases[i].type, header);
      g_autoptr(RgCardData) member = make_member (cases[i].number);

      for (guint s = 1; s <= 2; s++)
        {
          g_autoptr(GError) problem = NULL;
          g_autoptr(GBytes) png = render (design, member, s, &problem);
          g_autofree char *decoded = NULL;

          g_test_message ("%s “%s” at scale %u", cases[i].symbology, cases[i].number, s);
          g_assert_no_error (problem);
          decoded = zbar_decode (fixture->dir, png, cases[i].symbology);
          g_assert_cmpstr (decoded, ==, cases[i].decoded);
        }
    }
}

static void
test_unencodable (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct {
    RgCardBarcode  type;
    const char    *number;
    const char    *message;
    const char    *symbology;
  } cases[] = {
    { RG_CARD_BARCODE_CODE39, "m-0001", "Code 39 has no lowercase letters", "code39" },
    { RG_CARD_BARCODE_EAN13, "M0001234", "“M” is not a digit", "ean13" },
    { RG_CARD_BARCODE_EAN13, "12345678", "it has 8 digits", "ean13" },
    { RG_CARD_BARCODE_CODE128, "會員01", "is not an ASCII character", "code128" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgCardDesign) design = make_design (cases[i].type, NULL);
      g_autoptr(RgCardData) member = make_member (cases[i].number);
      g_autoptr(GError) problem = NULL;
      g_autoptr(GError) direct = NULL;
      g_autoptr(GBytes) png = NULL;
      g_autoptr(cairo_surface_t) surface = NULL;
      g_autoptr(cairo_surface_t) target = NULL;
      g_autoptr(cairo_t) cr = NULL;
      g_autofree char *decoded = NULL;
      int width, height;

      png = render (design, member, 1, &problem);
      g_assert_error (problem, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE);
      g_assert_nonnull (strstr (problem->message, cases[i].message));
      g_assert_nonnull (strstr (problem->message, cases[i].number));

      /* The reason is drawn in a tinted box where the barcode would be, and nothing scans. */
      surface = decode_png (png);
      rg_card_get_size (design, 1, &width, &height);
      g_assert_cmpuint (count_pixels (surface, 0, height, 0xfc, 0xeb, 0xe8), >, 5000);
      g_assert_cmpuint (count_pixels (surface, 0, height, 0xa6, 0x0d, 0x14), >, 20);
      decoded = zbar_decode (fixture->dir, png, cases[i].symbology);
      g_assert_null (decoded);

      /* rg_card_render() itself says so too. */
      target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cr = cairo_create (target);
      g_assert_false (rg_card_render (design, member, 1, cr, &direct));
      g_assert_error (direct, RG_CARD_ERROR, RG_CARD_ERROR_BARCODE);
      g_assert_cmpstr (direct->message, ==, problem->message);
    }
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RgCardDesign) design = make_design (RG_CARD_BARCODE_QR, NULL);
  g_autoptr(RgCardData) nobody = make_member (NULL);
  g_autoptr(RgCardData) empty_number = make_member ("");
  g_autoptr(GError) problem = NULL;
  g_autoptr(GBytes) with_number = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_surface_t) plain = NULL;
  g_autoptr(RgCardData) member = make_member ("M0001");
  g_autofree char *decoded = NULL;
  int width, height;
  guint accent_in_body;

  g_assert_null (rg_card_data_get_member_number (empty_number));
  rg_card_design_set_require_member_number (design, TRUE);
  rg_card_design_set_register_url (design, "https://morningleaf.example/join");
  rg_card_get_size (design, 1, &width, &height);

  /* Condition on, no number: message and register button (accent colour), no barcode. */
  png = render (design, nobody, 1, &problem);
  g_assert_no_error (problem);
  g_assert_null (zbar_decode (fixture->dir, png, "qrcode"));
  surface = decode_png (png);
  accent_in_body = count_pixels (surface, 60, height, 0x2e, 0x7d, 0x5b);
  g_assert_cmpuint (accent_in_body, >, 3000);

  /* The same design with a member number shows the barcode, and no button. */
  with_number = render (design, member, 1, &problem);
  g_assert_no_error (problem);
  decoded = zbar_decode (fixture->dir, with_number, "qrcode");
  g_assert_cmpstr (decoded, ==, "M0001");
  plain = decode_png (with_number);
  g_assert_cmpuint (count_pixels (plain, 60, height, 0x2e, 0x7d, 0x5b), <, 1000);
  g_clear_pointer (&png, g_bytes_unref);

  /* Condition off: the card shows, with no barcode and no problem. */
  rg_card_design_set_require_member_number (design, FALSE);
  png = render (design, empty_number, 1, &problem);
  g_assert_no_error (problem);
  g_assert_null (zbar_decode (fixture->dir, png, "qrcode"));
  g_clear_pointer (&png, g_bytes_unref);

  /* Disabled: no barcode, whoever asks. */
  rg_card_design_set_enabled (design, FALSE);
  png = render (design, member, 1, &problem);
  g_assert_no_error (problem);
  g_assert_null (zbar_decode (fixture->dir, png, "qrcode"));
}

static void
test_custom_icon (void)
{
  g_autoptr(RgCardDesign) design = make_design (RG_CARD_BARCODE_QR, NULL);
  g_autoptr(RgCardData) member = make_member ("M0001");
  g_autoptr(GBytes) blue = make_png (64, 64, 0, 0, 1);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(cairo_surface_t) surface = NULL;
  int height;

  rg_card_get_size (design, 1, NULL, &height);
  png = render (design, member, 1, NULL);
  surface = decode_png (png);
  g_assert_cmpuint (count_pixels (surface, 0, height, 0, 0, 0xff), ==, 0);
  g_clear_pointer (&png, g_bytes_unref);
  g_clear_pointer (&surface, cairo_surface_destroy);

  /* An uploaded icon is drawn at the icon size (20×20 at scale 1)… */
  g_assert_true (rg_card_field_set_icon (rg_card_design_get_field (design, 1), blue, NULL));
  png = render (design, member, 1, NULL);
  surface = decode_png (png);
  g_assert_cmpuint (count_pixels (surface, 0, height, 0, 0, 0xff), >=, 18 * 18);
  g_assert_cmpuint (count_pixels (surface, 0, height, 0, 0, 0xff), <=, 20 * 20);
  g_clear_pointer (&png, g_bytes_unref);
  g_clear_pointer (&surface, cairo_surface_destroy);

  /* …and not at all when icons are off. */
  rg_card_design_set_show_icons (design, FALSE);
  png = render (design, member, 1, NULL);
  surface = decode_png (png);
  g_assert_cmpuint (count_pixels (surface, 0, height, 0, 0, 0xff), ==, 0);
}

static void
test_chinese_font (void)
{
  g_autoptr(cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  g_autoptr(cairo_t) cr = cairo_create (surface);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 15px");

  /* Without a CJK font (fonts-noto-cjk) names and labels would draw as boxes. */
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, "晨葉茶行 會員卡 林小美 积分余额", -1);
  g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
}

static void
test_scale_range (void)
{
  g_autoptr(RgCardDesign) design = make_design (RG_CARD_BARCODE_QR, NULL);
  g_autoptr(RgCardData) member = make_member ("M0001");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  png = rg_card_render_to_png_bytes (design, member, 100, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_RENDER);
  g_assert_nonnull (strstr (error->message, "100"));
  g_clear_error (&error);
  png = rg_card_render_to_png_bytes (design, member, 0, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_RENDER);
}

static void
test_sample_member (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgCardData) sample = rg_card_data_new_sample ();
  const char *number = rg_card_data_get_member_number (sample);
  static const char * const symbologies[] = { "code128", "code39", "ean13", "qrcode" };

  g_assert_true (rg_card_data_get_is_sample (sample));
  g_assert_nonnull (rg_card_data_get_value (sample, "name"));
  g_assert_nonnull (rg_card_data_get_value (sample, "attr:anything"));
  g_assert_cmpstr (rg_card_data_get_value (sample, "member_number"), ==, number);

  /* The designer's preview member fits every barcode type. */
  for (guint type = 0; type < RG_CARD_BARCODE_COUNT; type++)
    {
      g_autoptr(RgCardDesign) design = make_design (type, NULL);
      g_autoptr(GError) problem = NULL;
      g_autoptr(GBytes) png = render (design, sample, 1, &problem);
      g_autofree char *decoded = NULL;

      g_assert_no_error (problem);
      decoded = zbar_decode (fixture->dir, png, symbologies[type]);
      g_assert_cmpstr (decoded, ==, number);
    }

  {
    g_autoptr(RgCardData) nobody = rg_card_data_new (NULL);

    g_assert_null (rg_card_data_get_value (nobody, "name"));
    g_assert_null (rg_card_data_get_value (nobody, "attr:anything"));
    g_assert_null (rg_card_data_get_member_number (nobody));
  }
}

static void
test_member_data (void)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GListStore) definitions = g_list_store_new (RG_TYPE_ATTRIBUTE_DEFINITION);
  g_autoptr(RgAttributeDefinition) vip = NULL;
  g_autoptr(RgAttributeDefinition) tea = NULL;
  g_autoptr(RgCardData) data = NULL;
  g_autoptr(RgCardData) bare = NULL;
  g_autoptr(RgMember) nobody = rg_member_new ();

  vip = rg_attribute_definition_new ("vip", "VIP", RG_ATTRIBUTE_TYPE_YES_NO);
  tea = rg_attribute_definition_new ("tea", "Tea", RG_ATTRIBUTE_TYPE_TEXT);
  g_list_store_append (definitions, vip);
  g_list_store_append (definitions, tea);
  rg_member_set_member_number (member, "ML01001");
  rg_member_set_name (member, "陳怡君");
  rg_member_set_phone (member, "+886912345678");
  rg_member_set_email (member, "yijun.chen@example.com");
  rg_member_set_accumulated_points (member, 12480);
  rg_member_set_points_balance (member, 320);
  rg_member_set_stored_value (member, 288000);
  rg_member_set_attribute (member, "vip", "yes");
  rg_member_set_attribute (member, "tea", "凍頂烏龍");

  data = rg_card_data_new_for_member (member, G_LIST_MODEL (definitions), "TWD");
  g_assert_cmpstr (rg_card_data_get_member_number (data), ==, "ML01001");
  g_assert_cmpstr (rg_card_data_get_value (data, "member_number"), ==, "ML01001");
  g_assert_cmpstr (rg_card_data_get_value (data, "name"), ==, "陳怡君");
  g_assert_nonnull (rg_card_data_get_value (data, "phone"));
  g_assert_cmpstr (rg_card_data_get_value (data, "email"), ==, "yijun.chen@example.com");
  g_assert_cmpstr (rg_card_data_get_value (data, "accumulated_points"), ==, "12,480");
  g_assert_cmpstr (rg_card_data_get_value (data, "points_balance"), ==, "320");
  g_assert_cmpstr (rg_card_data_get_value (data, "stored_value"), ==, "NT$2,880");
  g_assert_cmpstr (rg_card_data_get_value (data, "attr:vip"), ==, "Yes");
  g_assert_cmpstr (rg_card_data_get_value (data, "attr:tea"), ==, "凍頂烏龍");
  g_assert_null (rg_card_data_get_value (data, "attr:birthday"));
  g_assert_false (rg_card_data_get_is_sample (data));

  /* Without definitions the stored form shows; a member without number or name has none. */
  bare = rg_card_data_new_for_member (nobody, NULL, NULL);
  g_assert_null (rg_card_data_get_member_number (bare));
  g_assert_null (rg_card_data_get_value (bare, "name"));
  g_assert_null (rg_card_data_get_value (bare, "email"));
  g_assert_cmpstr (rg_card_data_get_value (bare, "points_balance"), ==, "0");
  g_clear_object (&bare);
  bare = rg_card_data_new_for_member (member, NULL, NULL);
  g_assert_cmpstr (rg_card_data_get_value (bare, "attr:vip"), ==, "yes");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/cards/render/size", test_size);
  g_test_add_func ("/regulars/cards/render/letterbox", test_letterbox);
  g_test_add ("/regulars/cards/render/barcodes-decode", Fixture, NULL,
              fixture_set_up, test_barcodes_decode, fixture_tear_down);
  g_test_add ("/regulars/cards/render/unencodable", Fixture, NULL,
              fixture_set_up, test_unencodable, fixture_tear_down);
  g_test_add ("/regulars/cards/render/not-found", Fixture, NULL,
              fixture_set_up, test_not_found, fixture_tear_down);
  g_test_add_func ("/regulars/cards/render/custom-icon", test_custom_icon);
  g_test_add_func ("/regulars/cards/render/chinese-font", test_chinese_font);
  g_test_add_func ("/regulars/cards/render/scale-range", test_scale_range);
  g_test_add ("/regulars/cards/render/sample-member", Fixture, NULL,
              fixture_set_up, test_sample_member, fixture_tear_down);
  g_test_add_func ("/regulars/cards/render/member-data", test_member_data);

  status = g_test_run ();

  /* Fontconfig keeps its caches until FcFini(); releasing them leaves valgrind's report to
   * our own leaks. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
