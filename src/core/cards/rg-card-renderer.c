/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-renderer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "rg-card-barcode-private.h"
#include "rg-card-design-private.h"
#include "rg-card-field-private.h"
#include "rg-card-glyphs-private.h"
#include "rg-card-image-private.h"
#include "rg-card-renderer.h"

/* The one renderer: the designer's preview, PNG export, printing and the member center all
 * draw through rg_card_render(), so staff see offline what customers see. Geometry is in
 * logical pixels at scale 1; the height depends on the design only, never on the member,
 * so a preview does not jump while staff pick members. */

#define CARD_RADIUS     14.0
#define PAD             16.0
#define TITLE_HEIGHT    52.0
#define BODY_GAP        8.0
#define ROW_HEIGHT      40.0
#define ICON_SIZE       20.0
#define ICON_GAP        10.0
#define BARCODE_GAP     12.0
#define QR_BOX          176.0
#define LINEAR_BOX      112.0
#define MESSAGE_MIN     176.0
#define BOTTOM_PAD      16.0
#define BUTTON_HEIGHT   42.0

#define FONT_FAMILY     "Sans"

/* Pango 1.50 declares no cleanup for PangoContext. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PangoContext, g_object_unref)

typedef struct
{
  double header_height;
  double title_y;
  double body_y;
  double body_height;
  double barcode_x;
  double barcode_y;
  double barcode_width;
  double barcode_height;
  double height;
} Layout;

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb text_primary = { 0.11, 0.11, 0.12 };
static const Rgb text_secondary = { 0.42, 0.42, 0.45 };
static const Rgb separator = { 0.91, 0.91, 0.92 };
/* Letterbox bands: a neutral grey that frames any photo without competing with it. */
static const Rgb band = { 0.925, 0.925, 0.925 };
static const Rgb problem_fill = { 0.99, 0.92, 0.91 };
static const Rgb problem_text = { 0.65, 0.05, 0.08 };

static void
set_rgb (cairo_t   *cr,
         const Rgb *rgb)
{
  cairo_set_source_rgb (cr, rgb->r, rgb->g, rgb->b);
}

static void
compute_layout (RgCardDesign *design,
                Layout       *layout)
{
  double content;
  gboolean qr = rg_card_design_get_barcode_type (design) == RG_CARD_BARCODE_QR;

  layout->header_height = rg_card_design_get_header_image (design) != NULL
                          ? RG_CARD_WIDTH * (double) RG_CARD_HEADER_HEIGHT / RG_CARD_HEADER_WIDTH
                          : 0.0;
  layout->title_y = layout->header_height;
  layout->body_y = layout->title_y + TITLE_HEIGHT + BODY_GAP;

  layout->barcode_width = qr ? QR_BOX : RG_CARD_WIDTH - 2 * PAD;
  layout->barcode_height = qr ? QR_BOX : LINEAR_BOX;
  layout->barcode_x = (RG_CARD_WIDTH - layout->barcode_width) / 2;
  layout->barcode_y = layout->body_y + rg_card_design_get_n_fields (design) * ROW_HEIGHT +
                      BARCODE_GAP;

  content = layout->barcode_y + layout->barcode_height - layout->body_y;
  layout->body_height = MAX (content, MESSAGE_MIN);
  layout->height = layout->body_y + layout->body_height + BOTTOM_PAD;
}

static PangoLayout *
make_text (PangoContext       *context,
           const char         *text,
           double              size,
           PangoWeight         weight,
           double              width,
           PangoAlignment      alignment,
           gboolean            wrap)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  PangoLayout *layout = pango_layout_new (context);

  pango_font_description_set_family_static (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, alignment);
  if (wrap)
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  else
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static double
text_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static double
text_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_header (cairo_t       *cr,
             RgCardDesign  *design,
             const Layout  *layout,
             double         scale)
{
  cairo_surface_t *image;
  int box_width, box_height, width, height;
  double x, y;

  if (layout->header_height <= 0)
    return;

  set_rgb (cr, &band);
  cairo_rectangle (cr, 0, 0, RG_CARD_WIDTH, layout->header_height);
  cairo_fill (cr);

  box_width = (int) round (RG_CARD_WIDTH * scale);
  box_height = (int) round (layout->header_height * scale);
  image = _rg_card_design_get_header_surface (design, box_width, box_height);
  if (image == NULL)
    return;

  /* The image was scaled to device pixels once; drawn 1:1 here it stays sharp. */
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  x = floor ((box_width - width) / 2.0);
  y = floor ((box_height - height) / 2.0);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, RG_CARD_WIDTH, layout->header_height);
  cairo_clip (cr);
  cairo_scale (cr, 1 / scale, 1 / scale);
  cairo_set_source_surface (cr, image, x, y);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
draw_title (cairo_t       *cr,
            PangoContext  *context,
            RgCardDesign  *design,
            const Layout  *layout,
            const Rgb     *accent)
{
  g_autoptr(PangoLayout) title = NULL;

  set_rgb (cr, accent);
  cairo_rectangle (cr, 0, layout->title_y, RG_CARD_WIDTH, TITLE_HEIGHT);
  cairo_fill (cr);

  title = make_text (context, rg_card_design_get_title (design), 18, PANGO_WEIGHT_BOLD,
                     RG_CARD_WIDTH - 2 * PAD, PANGO_ALIGN_LEFT, FALSE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text (cr, title, PAD, layout->title_y + (TITLE_HEIGHT - text_height (title)) / 2);
}

static void
draw_icon (cairo_t      *cr,
           RgCardField  *field,
           double        x,
           double        y,
           const Rgb    *accent)
{
  cairo_surface_t *icon = _rg_card_field_get_icon_surface (field);
  double size;

  if (icon == NULL)
    {
      set_rgb (cr, accent);
      _rg_card_draw_glyph (cr, rg_card_field_get_id (field), x, y, ICON_SIZE);
      return;
    }

  size = cairo_image_surface_get_width (icon);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ICON_SIZE / size, ICON_SIZE / size);
  cairo_set_source_surface (cr, icon, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_rectangle (cr, 0, 0, size, size);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_fields (cairo_t       *cr,
             PangoContext  *context,
             RgCardDesign  *design,
             RgCardData    *data,
             const Layout  *layout,
             const Rgb     *accent)
{
  guint n = rg_card_design_get_n_fields (design);
  gboolean show_icons = rg_card_design_get_show_icons (design);
  double label_x = PAD + (show_icons ? ICON_SIZE + ICON_GAP : 0);
  double content_width = RG_CARD_WIDTH - PAD - label_x;

  for (guint i = 0; i < n; i++)
    {
      RgCardField *field = rg_card_design_get_field (design, i);
      const char *value = rg_card_data_get_value (data, rg_card_field_get_id (field));
      g_autoptr(PangoLayout) label = NULL;
      g_autoptr(PangoLayout) shown = NULL;
      double y = layout->body_y + i * ROW_HEIGHT;
      double label_width;

      if (show_icons)
        draw_icon (cr, field, PAD, y + (ROW_HEIGHT - ICON_SIZE) / 2, accent);

      label = make_text (context, rg_card_field_get_label (field), 13, PANGO_WEIGHT_NORMAL,
                         content_width * 0.45, PANGO_ALIGN_LEFT, FALSE);
      set_rgb (cr, &text_secondary);
      show_text (cr, label, label_x, y + (ROW_HEIGHT - text_height (label)) / 2);

      label_width = text_width (label);
      shown = make_text (context, value != NULL ? value : "-", 15, PANGO_WEIGHT_MEDIUM,
                         content_width - label_width - 12, PANGO_ALIGN_RIGHT, FALSE);
      set_rgb (cr, &text_primary);
      show_text (cr, shown, label_x + label_width + 12, y + (ROW_HEIGHT - text_height (shown)) / 2);

      if (i + 1 < n)
        {
          set_rgb (cr, &separator);
          cairo_rectangle (cr, label_x, y + ROW_HEIGHT - 0.5, RG_CARD_WIDTH - PAD - label_x, 1);
          cairo_fill (cr);
        }
    }
}

static void
draw_box_message (cairo_t       *cr,
                  PangoContext  *context,
                  const Layout  *layout,
                  const char    *message,
                  const Rgb     *fill,
                  const Rgb     *color)
{
  g_autoptr(PangoLayout) text = NULL;
  double inner = layout->barcode_width - 24;

  if (fill != NULL)
    {
      set_rgb (cr, fill);
      _rg_card_rounded_rect (cr, layout->barcode_x, layout->barcode_y,
                             layout->barcode_width, layout->barcode_height, 10);
      cairo_fill (cr);
    }

  text = make_text (context, message, 13, PANGO_WEIGHT_NORMAL, inner, PANGO_ALIGN_CENTER, TRUE);
  /* A long reason must not spill over the card's edge; it is clipped to its box. */
  cairo_save (cr);
  cairo_rectangle (cr, layout->barcode_x, layout->barcode_y,
                   layout->barcode_width, layout->barcode_height);
  cairo_clip (cr);
  set_rgb (cr, color);
  show_text (cr, text, layout->barcode_x + 12,
             layout->barcode_y + MAX (6, (layout->barcode_height - text_height (text)) / 2));
  cairo_restore (cr);
}

static gboolean
draw_barcode (cairo_t       *cr,
              PangoContext  *context,
              RgCardDesign  *design,
              RgCardData    *data,
              const Layout  *layout,
              double         scale,
              GError       **problem)
{
  g_autoptr(RgZintSymbol) symbol = NULL;
  g_autoptr(GError) local_error = NULL;
  RgCardBarcode type = rg_card_design_get_barcode_type (design);
  const char *number = rg_card_data_get_member_number (data);
  struct zint_vector *vector;
  double box_x, box_y, box_width, box_height, kx, ky, origin_x, origin_y;

  if (number == NULL)
    {
      draw_box_message (cr, context, layout, _("No member number yet"), NULL, &text_secondary);
      return TRUE;
    }

  symbol = _rg_card_barcode_encode (type, number, NULL, &local_error);
  if (symbol == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Barcode not shown. %s"),
                                                  local_error->message);

      draw_box_message (cr, context, layout, message, &problem_fill, &problem_text);
      g_propagate_error (problem, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Whole device pixels per module keep every bar the same width, which scanners need. */
  vector = symbol->vector;
  box_x = layout->barcode_x * scale;
  box_y = layout->barcode_y * scale;
  box_width = layout->barcode_width * scale;
  box_height = layout->barcode_height * scale;
  kx = box_width / vector->width;
  if (type == RG_CARD_BARCODE_QR)
    kx = MIN (kx, box_height / vector->height);
  if (kx >= 1)
    kx = floor (kx);
  /* A linear symbol's height is free: its bars fill the box's height. */
  ky = type == RG_CARD_BARCODE_QR ? kx : box_height / vector->height;
  origin_x = round (box_x + (box_width - vector->width * kx) / 2);
  origin_y = round (box_y + (box_height - vector->height * ky) / 2);

  cairo_save (cr);
  cairo_scale (cr, 1 / scale, 1 / scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, origin_x, origin_y, vector->width * kx, vector->height * ky);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (struct zint_vector_rect *rect = vector->rectangles; rect != NULL; rect = rect->next)
    cairo_rectangle (cr,
                     origin_x + rect->x * kx, round (origin_y + rect->y * ky),
                     rect->width * kx, round (rect->height * ky));
  cairo_fill (cr);
  cairo_restore (cr);

  /* Human-readable text where zint places it, in logical units. */
  for (struct zint_vector_string *string = vector->strings; string != NULL; string = string->next)
    {
      g_autoptr(PangoLayout) text = NULL;
      double size = CLAMP (string->fsize * ky / scale, 9, 16);
      double baseline = (origin_y + string->y * ky) / scale;
      double x = (origin_x + string->x * kx) / scale;
      double width;

      text = make_text (context, (const char *) string->text, size, PANGO_WEIGHT_NORMAL, -1,
                        PANGO_ALIGN_LEFT, FALSE);
      width = text_width (text);
      if (string->halign == 0)
        x -= width / 2;
      else if (string->halign == 2)
        x -= width;
      cairo_set_source_rgb (cr, 0, 0, 0);
      show_text (cr, text, x, baseline - pango_layout_get_baseline (text) / (double) PANGO_SCALE);
    }

  return TRUE;
}

static void
draw_message_and_button (cairo_t       *cr,
                         PangoContext  *context,
                         const Layout  *layout,
                         const char    *message,
                         const char    *button,
                         const Rgb     *accent)
{
  g_autoptr(PangoLayout) text = NULL;
  g_autoptr(PangoLayout) label = NULL;
  double group, top, button_width = 0;

  text = make_text (context, message, 15, PANGO_WEIGHT_NORMAL, RG_CARD_WIDTH - 2 * PAD - 16,
                    PANGO_ALIGN_CENTER, TRUE);
  group = text_height (text);
  if (button != NULL)
    {
      label = make_text (context, button, 15, PANGO_WEIGHT_BOLD, RG_CARD_WIDTH - 2 * PAD - 48,
                         PANGO_ALIGN_LEFT, FALSE);
      button_width = text_width (label) + 48;
      group += 20 + BUTTON_HEIGHT;
    }
  top = layout->body_y + (layout->body_height - group) / 2;

  set_rgb (cr, &text_secondary);
  show_text (cr, text, PAD + 8, top);

  if (button != NULL)
    {
      double bx = (RG_CARD_WIDTH - button_width) / 2;
      double by = top + text_height (text) + 20;

      set_rgb (cr, accent);
      _rg_card_rounded_rect (cr, bx, by, button_width, BUTTON_HEIGHT, BUTTON_HEIGHT / 2);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      show_text (cr, label, bx + 24, by + (BUTTON_HEIGHT - text_height (label)) / 2);
    }
}

/**
 * rg_card_get_size:
 * @scale: device pixels per logical pixel; 1 is the preview size (%RG_CARD_WIDTH wide)
 * @width: (out) (optional): device pixels
 * @height: (out) (optional): device pixels
 *
 * The size depends on the design only (header, number of fields, barcode type), not on the
 * member drawn.
 */
void
rg_card_get_size (RgCardDesign *design,
                  double        scale,
                  int          *width,
                  int          *height)
{
  Layout layout;

  g_return_if_fail (RG_IS_CARD_DESIGN (design));
  g_return_if_fail (scale > 0);

  compute_layout (design, &layout);
  if (width != NULL)
    *width = (int) ceil (RG_CARD_WIDTH * scale - 1e-6);
  if (height != NULL)
    *height = (int) ceil (layout.height * scale - 1e-6);
}

/**
 * rg_card_render:
 * @design: the card design
 * @data: the member (or sample) to show
 * @scale: device pixels per logical pixel
 * @cr: where to draw, with the card's top left at the origin of its current transformation;
 *   bars are pixel-aligned when that origin falls on a device pixel
 * @problem: (optional): why part of the card shows a problem instead of its content
 *
 * Draws the card in one of its states: disabled; the not-found message with the register
 * button (the design requires a member number and @data has none); or the fields and the
 * barcode. A barcode that cannot carry the member number is replaced on the card by the
 * reason, which is also returned in @problem.
 *
 * The design caches its scaled header image, so one design is drawn from one thread at a
 * time (like any GObject); a worker thread renders its own rg_card_design_copy().
 *
 * Returns: %TRUE if everything was drawn as designed; %FALSE with @problem set when the card
 *   shows a problem (it is drawn regardless)
 */
gboolean
rg_card_render (RgCardDesign  *design,
                RgCardData    *data,
                double         scale,
                cairo_t       *cr,
                GError       **problem)
{
  g_autoptr(PangoContext) context = NULL;
  Layout layout;
  Rgb accent;
  gboolean complete = TRUE;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (design), FALSE);
  g_return_val_if_fail (RG_IS_CARD_DATA (data), FALSE);
  g_return_val_if_fail (scale >= RG_CARD_MIN_SCALE && scale <= RG_CARD_MAX_SCALE, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  compute_layout (design, &layout);
  if (!rg_card_color_parse (rg_card_design_get_accent_color (design),
                            &accent.r, &accent.g, &accent.b))
    rg_card_color_parse ("#2e7d5b", &accent.r, &accent.g, &accent.b);

  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  _rg_card_rounded_rect (cr, 0, 0, RG_CARD_WIDTH, layout.height, CARD_RADIUS);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  context = pango_cairo_create_context (cr);

  draw_header (cr, design, &layout, scale);
  draw_title (cr, context, design, &layout, &accent);

  if (!rg_card_design_get_enabled (design))
    {
      /* A veil over the brand says “off” at a glance in the designer's preview. */
      cairo_set_source_rgba (cr, 1, 1, 1, 0.6);
      cairo_rectangle (cr, 0, 0, RG_CARD_WIDTH, layout.body_y);
      cairo_fill (cr);
      draw_message_and_button (cr, context, &layout,
                               _("This member card is currently disabled"), NULL, &accent);
    }
  else if (rg_card_design_get_require_member_number (design) &&
           rg_card_data_get_member_number (data) == NULL)
    {
      const char *button = rg_card_design_get_register_button_text (design);

      draw_message_and_button (cr, context, &layout,
                               rg_card_design_get_not_found_message (design),
                               button[0] != '\0' ? button : _("Register"), &accent);
    }
  else
    {
      draw_fields (cr, context, design, data, &layout, &accent);
      complete = draw_barcode (cr, context, design, data, &layout, scale, problem);
    }

  cairo_restore (cr);
  return complete;
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * rg_card_render_to_png_bytes:
 * @problem: (optional): as in rg_card_render(); the PNG is made regardless
 * @error: why no PNG could be made (a scale out of range, no memory)
 *
 * Returns: (transfer full): the card as a PNG with transparent rounded corners, or %NULL
 *   with @error set
 */
GBytes *
rg_card_render_to_png_bytes (RgCardDesign  *design,
                             RgCardData    *data,
                             double         scale,
                             GError       **problem,
                             GError       **error)
{
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  g_autoptr(GByteArray) png = NULL;
  cairo_status_t status;
  int width, height;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (design), NULL);
  g_return_val_if_fail (RG_IS_CARD_DATA (data), NULL);

  if (!(scale >= RG_CARD_MIN_SCALE && scale <= RG_CARD_MAX_SCALE))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_RENDER,
                   _("The scale %g is out of range; use %g to %g"),
                   scale, RG_CARD_MIN_SCALE, RG_CARD_MAX_SCALE);
      return NULL;
    }

  rg_card_get_size (design, scale, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  rg_card_render (design, data, scale, cr, problem);

  status = cairo_status (cr);
  png = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_flush (surface);
      status = cairo_surface_write_to_png_stream (surface, append_to_array, png);
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_RENDER,
                   _("Could not draw the card as a %d×%d PNG: %s"),
                   width, height, cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
