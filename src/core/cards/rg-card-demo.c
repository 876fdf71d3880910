/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-demo"

#include "config.h"

#include <pango/pangocairo.h>

#include "rg-card-demo.h"
#include "rg-card-image-private.h"
#include "rg-card-store.h"

/* The demo tea shop's three card designs, with a header drawn here rather than shipped as a
 * file, so the demo needs nothing but the code. */

#define DEMO_NAME    "晨葉茶行"
#define DEMO_TAGLINE "Morning Leaf Tea House"

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
draw_leaf (cairo_t *cr,
           double   x,
           double   y,
           double   length,
           double   angle,
           double   alpha)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, 0, 0);
  cairo_curve_to (cr, length * 0.3, -length * 0.35, length * 0.7, -length * 0.35, length, 0);
  cairo_curve_to (cr, length * 0.7, length * 0.35, length * 0.3, length * 0.35, 0, 0);
  cairo_set_source_rgba (cr, 0.85, 0.95, 0.78, alpha);
  cairo_fill (cr);
  cairo_restore (cr);
}

/**
 * rg_card_demo_draw_header:
 * @name: the large line, e.g. the shop's name
 * @tagline: (nullable): a smaller line under it
 * @width: pixels; 1200 fills the card's header box exactly
 * @height: pixels; 512 fills it exactly, other sizes are letterboxed
 *
 * Returns: (transfer full): a PNG: a tea-green gradient with leaves and the text
 */
GBytes *
rg_card_demo_draw_header (const char *name,
                          const char *tagline,
                          int         width,
                          int         height)
{
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) subtitle = NULL;
  PangoFontDescription *font;
  cairo_pattern_t *gradient;
  int title_height = 0, subtitle_height = 0;
  double unit;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  unit = MIN (width / 1200.0, height / 512.0);

  gradient = cairo_pattern_create_linear (0, 0, width, height);
  cairo_pattern_add_color_stop_rgb (gradient, 0, 0.10, 0.30, 0.20);
  cairo_pattern_add_color_stop_rgb (gradient, 1, 0.42, 0.63, 0.38);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_pattern_destroy (gradient);

  draw_leaf (cr, width * 0.78, height * 0.30, 260 * unit, -0.5, 0.35);
  draw_leaf (cr, width * 0.86, height * 0.62, 200 * unit, 0.35, 0.25);
  draw_leaf (cr, width * 0.70, height * 0.78, 150 * unit, -1.1, 0.2);

  title = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Serif Bold");
  pango_font_description_set_absolute_size (font, 132 * unit * PANGO_SCALE);
  pango_layout_set_font_description (title, font);
  pango_font_description_free (font);
  pango_layout_set_text (title, name, -1);
  pango_layout_get_pixel_size (title, NULL, &title_height);

  if (tagline != NULL)
    {
      subtitle = pango_cairo_create_layout (cr);
      font = pango_font_description_from_string ("Sans");
      pango_font_description_set_absolute_size (font, 46 * unit * PANGO_SCALE);
      pango_layout_set_font_description (subtitle, font);
      pango_font_description_free (font);
      pango_layout_set_text (subtitle, tagline, -1);
      pango_layout_get_pixel_size (subtitle, NULL, &subtitle_height);
    }

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, 80 * unit, (height - title_height - subtitle_height) / 2.0);
  pango_cairo_show_layout (cr, title);
  if (subtitle != NULL)
    {
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_move_to (cr, 86 * unit, (height - title_height - subtitle_height) / 2.0 + title_height);
      pango_cairo_show_layout (cr, subtitle);
    }

  cairo_surface_flush (surface);
  if (cairo_surface_write_to_png_stream (surface, append_to_array, png) != CAIRO_STATUS_SUCCESS)
    g_error ("Could not encode the demo header as PNG");
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static gboolean
add_fields (RgCardDesign        *design,
            const char * const  *pairs,
            GError             **error)
{
  /* Replace the defaults with the shop's own labels. */
  while (rg_card_design_get_n_fields (design) > 0)
    rg_card_design_remove_field (design, 0);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (pairs[i], pairs[i + 1]);

      if (!rg_card_design_add_field (design, field, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * rg_card_demo_populate:
 *
 * Saves a believable design for each channel: LINE with a QR code and the register button
 * for customers without a number, WhatsApp with Code 128, WeChat with Code 39 and Simplified
 * Chinese labels. Code 39 rather than EAN-13 for WeChat because the demo's member numbers
 * (“ML01001”) carry letters, which EAN-13 cannot.
 *
 * Returns: %TRUE on success
 */
gboolean
rg_card_demo_populate (RgStore  *store,
                       GError  **error)
{
  static const char * const line_fields[] = {
    "name", "姓名",
    "member_number", "會員編號",
    "points_balance", "點數餘額",
    "stored_value", "儲值金",
    NULL
  };
  static const char * const whatsapp_fields[] = {
    "name", "Name",
    "member_number", "Member no.",
    "phone", "Phone",
    "points_balance", "Points",
    NULL
  };
  static const char * const wechat_fields[] = {
    "name", "姓名",
    "member_number", "会员号",
    "accumulated_points", "累计积分",
    "points_balance", "积分余额",
    "stored_value", "储值余额",
    NULL
  };
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) line = NULL;
  g_autoptr(RgCardDesign) whatsapp = NULL;
  g_autoptr(RgCardDesign) wechat = NULL;
  g_autoptr(GBytes) header = NULL;

  g_return_val_if_fail (RG_IS_STORE (store), FALSE);

  cards = rg_card_store_new (store);
  header = rg_card_demo_draw_header (DEMO_NAME, DEMO_TAGLINE, 1200, 512);

  line = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  rg_card_design_set_enabled (line, TRUE);
  rg_card_design_set_title (line, "晨葉茶行 會員卡");
  rg_card_design_set_accent_color (line, "#2e7d5b");
  rg_card_design_set_barcode_type (line, RG_CARD_BARCODE_QR);
  rg_card_design_set_require_member_number (line, TRUE);
  rg_card_design_set_not_found_message (line, "找不到您的會員資料。加入會員即可累積點數、使用儲值金。");
  rg_card_design_set_register_button_text (line, "立即加入會員");
  rg_card_design_set_register_url (line, "https://morningleaf.example/join");
  if (!rg_card_design_set_header_image (line, header, error) ||
      !add_fields (line, line_fields, error) ||
      !rg_card_store_save (cards, line, error))
    return FALSE;

  whatsapp = rg_card_design_new (RG_CARD_CHANNEL_WHATSAPP);
  rg_card_design_set_enabled (whatsapp, TRUE);
  rg_card_design_set_title (whatsapp, DEMO_TAGLINE);
  rg_card_design_set_accent_color (whatsapp, "#1f6f4a");
  rg_card_design_set_barcode_type (whatsapp, RG_CARD_BARCODE_CODE128);
  rg_card_design_set_not_found_message (whatsapp, "We could not find your membership yet.");
  rg_card_design_set_register_button_text (whatsapp, "Join now");
  rg_card_design_set_register_url (whatsapp, "https://morningleaf.example/join");
  if (!rg_card_design_set_header_image (whatsapp, header, error) ||
      !add_fields (whatsapp, whatsapp_fields, error) ||
      !rg_card_store_save (cards, whatsapp, error))
    return FALSE;

  wechat = rg_card_design_new (RG_CARD_CHANNEL_WECHAT);
  rg_card_design_set_enabled (wechat, TRUE);
  rg_card_design_set_title (wechat, "晨叶茶行 会员卡");
  rg_card_design_set_accent_color (wechat, "#3b6b35");
  rg_card_design_set_barcode_type (wechat, RG_CARD_BARCODE_CODE39);
  rg_card_design_set_show_icons (wechat, FALSE);
  rg_card_design_set_require_member_number (wechat, TRUE);
  rg_card_design_set_not_found_message (wechat, "未找到您的会员信息，请先注册。");
  rg_card_design_set_register_button_text (wechat, "注册会员");
  rg_card_design_set_register_url (wechat, "https://morningleaf.example/join?from=wechat");
  if (!add_fields (wechat, wechat_fields, error) ||
      !rg_card_store_save (cards, wechat, error))
    return FALSE;

  return TRUE;
}
