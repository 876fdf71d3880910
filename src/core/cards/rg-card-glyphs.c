/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-glyphs"

#include "config.h"

#include <math.h>

#include "rg-card-field.h"
#include "rg-card-glyphs-private.h"

/* The default field icons, drawn as strokes on a 20×20 grid so they stay sharp at every
 * scale and need no icon files in the core. */

/* A rectangle with round corners as a closed sub-path; @r is cut down to fit. */
void
_rg_card_rounded_rect (cairo_t *cr,
                       double   x,
                       double   y,
                       double   w,
                       double   h,
                       double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
glyph_person (cairo_t *cr)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, 10, 6.5, 3.5, 0, 2 * G_PI);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 10, 18.5, 7, G_PI, 2 * G_PI);
  cairo_close_path (cr);
  cairo_stroke (cr);
}

static void
glyph_card (cairo_t *cr)
{
  _rg_card_rounded_rect (cr, 2, 4.5, 16, 11, 2);
  cairo_move_to (cr, 5, 9);
  cairo_line_to (cr, 9, 9);
  cairo_move_to (cr, 5, 12);
  cairo_line_to (cr, 13, 12);
  cairo_stroke (cr);
}

static void
glyph_phone (cairo_t *cr)
{
  _rg_card_rounded_rect (cr, 5.5, 2, 9, 16, 2);
  cairo_move_to (cr, 8.5, 15);
  cairo_line_to (cr, 11.5, 15);
  cairo_stroke (cr);
}

static void
glyph_envelope (cairo_t *cr)
{
  _rg_card_rounded_rect (cr, 2, 4.5, 16, 11, 1.5);
  cairo_move_to (cr, 2.5, 5.5);
  cairo_line_to (cr, 10, 11);
  cairo_line_to (cr, 17.5, 5.5);
  cairo_stroke (cr);
}

static void
glyph_star (cairo_t *cr)
{
  for (guint i = 0; i < 10; i++)
    {
      double angle = -G_PI / 2 + i * G_PI / 5;
      double r = i % 2 == 0 ? 8 : 3.4;

      if (i == 0)
        cairo_move_to (cr, 10 + r * cos (angle), 10.5 + r * sin (angle));
      else
        cairo_line_to (cr, 10 + r * cos (angle), 10.5 + r * sin (angle));
    }
  cairo_close_path (cr);
  cairo_stroke (cr);
}

static void
glyph_coin (cairo_t *cr)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, 10, 10, 7.5, 0, 2 * G_PI);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 10, 10, 4, 0, 2 * G_PI);
  cairo_stroke (cr);
}

static void
glyph_wallet (cairo_t *cr)
{
  _rg_card_rounded_rect (cr, 2, 5, 16, 11, 2);
  cairo_move_to (cr, 18, 8.5);
  cairo_line_to (cr, 13.5, 8.5);
  cairo_arc_negative (cr, 13.5, 10.5, 2, 3 * G_PI / 2, G_PI / 2);
  cairo_line_to (cr, 18, 12.5);
  cairo_move_to (cr, 4, 5);
  cairo_line_to (cr, 14, 2.5);
  cairo_line_to (cr, 15, 5);
  cairo_stroke (cr);
}

static void
glyph_tag (cairo_t *cr)
{
  cairo_move_to (cr, 3, 3);
  cairo_line_to (cr, 10, 3);
  cairo_line_to (cr, 17.5, 10.5);
  cairo_line_to (cr, 10.5, 17.5);
  cairo_line_to (cr, 3, 10);
  cairo_close_path (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 7, 7, 1.3, 0, 2 * G_PI);
  cairo_stroke (cr);
}

/**
 * _rg_card_draw_glyph:
 * @field_id: the field whose default icon to draw
 * @x: left of the icon box
 * @y: top of the icon box
 * @size: the box's side
 *
 * Strokes with the current source.
 */
void
_rg_card_draw_glyph (cairo_t    *cr,
                     const char *field_id,
                     double      x,
                     double      y,
                     double      size)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, size / 20.0, size / 20.0);
  cairo_set_line_width (cr, 1.6);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_new_path (cr);

  if (g_str_equal (field_id, RG_CARD_FIELD_NAME))
    glyph_person (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_MEMBER_NUMBER))
    glyph_card (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_PHONE))
    glyph_phone (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_EMAIL))
    glyph_envelope (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_ACCUMULATED_POINTS))
    glyph_star (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_POINTS_BALANCE))
    glyph_coin (cr);
  else if (g_str_equal (field_id, RG_CARD_FIELD_STORED_VALUE))
    glyph_wallet (cr);
  else
    glyph_tag (cr);

  cairo_restore (cr);
}
