/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock_gettime() and CLOCK_THREAD_CPUTIME_ID, which strict C11 hides */
#define _POSIX_C_SOURCE 200809L

#include "config.h"

#include <cairo.h>
#include <string.h>
#include <time.h>
#include <zint.h>

#include "rg-card-demo.h"
#include "rg-card-renderer.h"

/* How long one card takes to draw at preview size (the designer redraws on every edit;
 * the budget is 8 ms) and to export as PNG, for a typical design: header image, six fields
 * with icons, a QR code. Baseline from the same run: zint encoding the same QR code alone.
 * Wall time counts the moments other processes hold the CPU; the thread's CPU time does not,
 * so both are printed. */

#define N_RENDERS 500
#define N_EXPORTS 100

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
percentiles (GArray *samples,
             double *p50,
             double *p95)
{
  g_array_sort (samples, compare_doubles);
  *p50 = g_array_index (samples, double, samples->len / 2);
  *p95 = g_array_index (samples, double, (samples->len * 95) / 100);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static RgCardDesign *
make_typical_design (void)
{
  RgCardDesign *design = rg_card_design_new (RG_CARD_CHANNEL_LINE);
  g_autoptr(GBytes) header = rg_card_demo_draw_header ("晨葉茶行", "Morning Leaf Tea House",
                                                       1200, 512);
  const char * const extra[] = { "phone", "accumulated_points", "stored_value" };

  rg_card_design_set_enabled (design, TRUE);
  rg_card_design_set_title (design, "晨葉茶行 會員卡");
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_QR);
  if (!rg_card_design_set_header_image (design, header, NULL))
    g_error ("the demo header was refused");
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (extra[i], NULL);

      rg_card_design_add_field (design, field, NULL);
    }
  g_assert (rg_card_design_get_n_fields (design) == 6);
  return design;
}

static void
bench_render (RgCardDesign *design,
              RgCardData   *data,
              double        scale)
{
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (double), N_RENDERS);
  g_autoptr(GArray) cpu_samples = g_array_sized_new (FALSE, FALSE, sizeof (double), N_RENDERS);
  cairo_surface_t *surface;
  cairo_t *cr;
  double p50, p95, cpu_p50, cpu_p95, first;
  int width, height;
  gint64 start;

  rg_card_get_size (design, scale, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);

  /* The first draw loads fonts and scales the header; it is reported apart. */
  start = g_get_monotonic_time ();
  rg_card_render (design, data, scale, cr, NULL);
  first = ms_since (start);

  for (guint i = 0; i < N_RENDERS; i++)
    {
      double ms, cpu_start, cpu;

      cairo_save (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_restore (cr);
      cpu_start = cpu_ms ();
      start = g_get_monotonic_time ();
      rg_card_render (design, data, scale, cr, NULL);
      cairo_surface_flush (surface);
      ms = ms_since (start);
      cpu = cpu_ms () - cpu_start;
      g_array_append_val (samples, ms);
      g_array_append_val (cpu_samples, cpu);
    }
  percentiles (samples, &p50, &p95);
  percentiles (cpu_samples, &cpu_p50, &cpu_p95);
  g_print ("cards: render %dx%d (scale %g), %d times: wall p50 %.2f ms, p95 %.2f ms; "
           "CPU p50 %.2f ms, p95 %.2f ms (first %.1f ms)%s\n",
           width, height, scale, N_RENDERS, p50, p95, cpu_p50, cpu_p95, first,
           scale == 1 && cpu_p95 >= 8.0 ? "  OVER THE 8 ms BUDGET" : "");

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
bench_export (RgCardDesign *design,
              RgCardData   *data,
              double        scale)
{
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (double), N_EXPORTS);
  g_autoptr(GArray) cpu_samples = g_array_sized_new (FALSE, FALSE, sizeof (double), N_EXPORTS);
  double p50, p95, cpu_p50, cpu_p95;
  gsize size = 0;

  for (guint i = 0; i < N_EXPORTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) png = NULL;
      double cpu_start = cpu_ms ();
      gint64 start = g_get_monotonic_time ();
      double ms, cpu;

      png = rg_card_render_to_png_bytes (design, data, scale, NULL, &error);
      ms = ms_since (start);
      cpu = cpu_ms () - cpu_start;
      if (png == NULL)
        g_error ("%s", error->message);
      size = g_bytes_get_size (png);
      g_array_append_val (samples, ms);
      g_array_append_val (cpu_samples, cpu);
    }
  percentiles (samples, &p50, &p95);
  percentiles (cpu_samples, &cpu_p50, &cpu_p95);
  g_print ("cards: PNG export at scale %g, %d times: wall p50 %.2f ms, p95 %.2f ms; "
           "CPU p50 %.2f ms, p95 %.2f ms (%.0f KiB)\n",
           scale, N_EXPORTS, p50, p95, cpu_p50, cpu_p95, size / 1024.0);
}

static void
bench_zint_baseline (const char *number)
{
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (double), N_RENDERS);
  double p50, p95;

  for (guint i = 0; i < N_RENDERS; i++)
    {
      struct zint_symbol *symbol = ZBarcode_Create ();
      gint64 start = g_get_monotonic_time ();
      double ms;

      symbol->symbology = BARCODE_QRCODE;
      symbol->input_mode = UNICODE_MODE;
      symbol->output_options |= BARCODE_QUIET_ZONES;
      symbol->option_1 = 2;
      ZBarcode_Encode_and_Buffer_Vector (symbol, (const unsigned char *) number,
                                         (int) strlen (number), 0);
      ms = ms_since (start);
      ZBarcode_Delete (symbol);
      g_array_append_val (samples, ms);
    }
  percentiles (samples, &p50, &p95);
  g_print ("cards: baseline, zint encoding the same QR code alone: p50 %.3f ms, p95 %.3f ms\n",
           p50, p95);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgCardDesign) design = make_typical_design ();
  g_autoptr(RgCardData) data = rg_card_data_new_sample ();

  bench_zint_baseline (rg_card_data_get_member_number (data));
  bench_render (design, data, 1);
  bench_render (design, data, 2);
  bench_export (design, data, 1);
  bench_export (design, data, 2);
  return 0;
}
