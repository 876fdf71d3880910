/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rg-format.h"
#include "rg-notify-chart.h"

/* The deliveries of the last days per channel, as stacked bars: LINE message at the bottom,
 * then notification message, then SMS, the order of the cascade. Colours are libadwaita's
 * palette, so they sit well in light and dark styles alike. */

#define BAR_MAX_WIDTH   18.0
#define BAR_RADIUS       3.0
#define LEGEND_SWATCH   10.0
#define LEGEND_SPACING  18.0
#define MAX_TICKS        4

struct _RgNotifyChart
{
  GtkDrawingArea  parent_instance;

  GArray         *days;

  /* Where the bars were last drawn, for the tooltips. */
  double          plot_x;
  double          plot_width;
};

G_DEFINE_FINAL_TYPE (RgNotifyChart, rg_notify_chart, GTK_TYPE_DRAWING_AREA)

typedef struct
{
  const char *palette_name;
  const char *fallback;
  const char *label;
} Series;

static const Series series[] = {
  { "green_4", "#2ec27e", N_("LINE message") },
  { "blue_3", "#3584e4", N_("Notification message") },
  { "orange_3", "#ff7800", N_("SMS") },
};

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} Plot;

static guint
day_value (const RgNotifyDayStats *day,
           guint                   index)
{
  switch (index)
    {
    case 0:
      return day->line_push;
    case 1:
      return day->line_pnp;
    default:
      return day->sms;
    }
}

static guint
series_total (RgNotifyChart *self,
              guint          index)
{
  guint total = 0;

  for (guint i = 0; self->days != NULL && i < self->days->len; i++)
    total += day_value (&g_array_index (self->days, RgNotifyDayStats, i), index);
  return total;
}

static guint
day_total (const RgNotifyDayStats *day)
{
  return day->line_push + day->line_pnp + day->sms;
}

/* 1, 2, 5, 10, 20 … : the smallest step that covers @max in MAX_TICKS lines. */
static guint
nice_step (guint max)
{
  static const guint multipliers[] = { 1, 2, 5 };

  for (guint magnitude = 1; magnitude <= G_MAXUINT / 10; magnitude *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
      {
        guint step = multipliers[i] * magnitude;

        if ((guint64) step * MAX_TICKS >= max)
          return step;
      }
  return G_MAXUINT / MAX_TICKS;
}

/* gtk_style_context_* is what GTK 4.8 offers for reading the theme from drawing code. */
static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

static void
get_series_color (GtkWidget *widget,
                  guint      index,
                  GdkRGBA   *color)
{
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                       series[index].palette_name, color))
    gdk_rgba_parse (color, series[index].fallback);
}

static PangoLayout *
create_layout (GtkWidget  *widget,
               const char *text,
               double      scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static char *
format_day (const GDate *date,
            const char  *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                                                   g_date_get_day (date), 12, 0, 0);

  return g_date_time_format (time, format);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
draw_legend (RgNotifyChart *self,
             cairo_t       *cr,
             const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double x = 0;
  double height = 0;

  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    {
      g_autofree char *count = rg_format_integer (series_total (self, i));
      g_autofree char *escaped = g_markup_escape_text (_(series[i].label), -1);
      g_autofree char *markup = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      GdkRGBA color;
      int w, h;

      /* Translators: a legend entry of the chart, “LINE message  120”; keep the markup */
      markup = g_strdup_printf (_("%s  <span fgalpha=\"60%%\">%s</span>"), escaped, count);
      layout = create_layout (widget, NULL, 0.9);
      pango_layout_set_markup (layout, markup, -1);
      pango_layout_get_pixel_size (layout, &w, &h);

      get_series_color (widget, i, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_arc (cr, x + LEGEND_SWATCH / 2, h / 2.0, LEGEND_SWATCH / 2, 0, 2 * G_PI);
      cairo_fill (cr);

      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, layout, x + LEGEND_SWATCH + 6, 0);

      x += LEGEND_SWATCH + 6 + w + LEGEND_SPACING;
      height = MAX (height, h);
    }

  return height;
}

static void
rounded_top_rectangle (cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   height,
                       double   radius)
{
  radius = MIN (radius, MIN (width / 2, height));
  cairo_new_sub_path (cr);
  cairo_move_to (cr, x, y + height);
  cairo_line_to (cr, x, y + radius);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 1.5 * G_PI);
  cairo_arc (cr, x + width - radius, y + radius, radius, 1.5 * G_PI, 2 * G_PI);
  cairo_line_to (cr, x + width, y + height);
  cairo_close_path (cr);
}

static void
draw_empty (RgNotifyChart *self,
            cairo_t       *cr,
            int            width,
            int            height,
            const GdkRGBA *fg)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *text = NULL;
  guint n_days = self->days != NULL ? self->days->len : 30;
  GdkRGBA dim = *fg;
  int w, h;

  text = g_strdup_printf (ngettext ("No notifications in the last %u day",
                                    "No notifications in the last %u days", n_days),
                          n_days);
  layout = create_layout (GTK_WIDGET (self), text, 1.0);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &w, &h);

  dim.alpha *= 0.55;
  gdk_cairo_set_source_rgba (cr, &dim);
  draw_text (cr, layout, 0, (height - h) / 2.0);
}

static void
plot_geometry (RgNotifyChart *self,
               int            width,
               int            height,
               double         legend_height,
               guint          top,
               Plot          *plot)
{
  g_autofree char *top_label = rg_format_integer (top);
  g_autoptr(PangoLayout) y_layout = create_layout (GTK_WIDGET (self), top_label, 0.8);
  g_autoptr(PangoLayout) x_layout = create_layout (GTK_WIDGET (self), "0", 0.8);
  int y_w, y_h, x_h;

  pango_layout_get_pixel_size (y_layout, &y_w, &y_h);
  pango_layout_get_pixel_size (x_layout, NULL, &x_h);

  plot->x = y_w + 10;
  plot->y = legend_height + 14 + y_h / 2.0;
  plot->width = MAX (1, width - plot->x - 4);
  plot->height = MAX (1, height - plot->y - x_h - 8);
}

static void
draw_grid (RgNotifyChart *self,
           cairo_t       *cr,
           const Plot    *plot,
           guint          step,
           guint          top,
           const GdkRGBA *fg)
{
  GdkRGBA line = *fg;
  GdkRGBA dim = *fg;

  line.alpha *= 0.12;
  dim.alpha *= 0.55;

  for (guint value = 0; value <= top; value += step)
    {
      g_autofree char *label = rg_format_integer (value);
      g_autoptr(PangoLayout) layout = create_layout (GTK_WIDGET (self), label, 0.8);
      double y = round (plot->y + plot->height - plot->height * value / (double) top) + 0.5;
      int w, h;

      gdk_cairo_set_source_rgba (cr, &line);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->width, y);
      cairo_stroke (cr);

      pango_layout_get_pixel_size (layout, &w, &h);
      gdk_cairo_set_source_rgba (cr, &dim);
      draw_text (cr, layout, plot->x - 8 - w, y - h / 2.0);
    }
}

static void
draw_bars (RgNotifyChart *self,
           cairo_t       *cr,
           const Plot    *plot,
           guint          top,
           const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = self->days->len;
  double slot = plot->width / n;
  double bar = MIN (BAR_MAX_WIDTH, MAX (2.0, slot * 0.62));
  double baseline = plot->y + plot->height;
  GdkRGBA colors[G_N_ELEMENTS (series)];
  GdkRGBA dim = *fg;
  double last_label_end = -G_MAXDOUBLE;

  dim.alpha *= 0.55;
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    get_series_color (widget, s, &colors[s]);

  for (guint i = 0; i < n; i++)
    {
      const RgNotifyDayStats *day = &g_array_index (self->days, RgNotifyDayStats, i);
      double x = plot->x + slot * i + (slot - bar) / 2;
      double total_height = plot->height * day_total (day) / (double) top;
      double y = baseline;

      if (day_total (day) > 0)
        {
          cairo_save (cr);
          rounded_top_rectangle (cr, x, baseline - total_height, bar, total_height, BAR_RADIUS);
          cairo_clip (cr);
          for (guint s = 0; s < G_N_ELEMENTS (series); s++)
            {
              double h = plot->height * day_value (day, s) / (double) top;

              if (h <= 0)
                continue;
              gdk_cairo_set_source_rgba (cr, &colors[s]);
              cairo_rectangle (cr, x, y - h, bar, h);
              cairo_fill (cr);
              y -= h;
            }
          cairo_restore (cr);
        }

      /* A date every week, counted back from the last day so that it is always labelled. */
      if ((n - 1 - i) % 7 == 0)
        {
          /* Translators: a day under the chart, in strftime() format: “Jan 5” */
          g_autofree char *label = format_day (&day->day, _("%b %-d"));
          g_autoptr(PangoLayout) layout = create_layout (widget, label, 0.8);
          double label_x;
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          label_x = CLAMP (x + bar / 2 - w / 2.0, plot->x, plot->x + plot->width - w);
          if (label_x > last_label_end + 6)
            {
              gdk_cairo_set_source_rgba (cr, &dim);
              draw_text (cr, layout, label_x, baseline + 6);
              last_label_end = label_x + w;
            }
        }
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  RgNotifyChart *self = RG_NOTIFY_CHART (area);
  GdkRGBA fg;
  double legend_height;
  guint max = 0;
  guint step;
  guint top;
  Plot plot;

  get_foreground (GTK_WIDGET (self), &fg);

  if (rg_notify_chart_get_total (self) == 0)
    {
      draw_empty (self, cr, width, height, &fg);
      return;
    }

  for (guint i = 0; i < self->days->len; i++)
    max = MAX (max, day_total (&g_array_index (self->days, RgNotifyDayStats, i)));
  step = nice_step (max);
  top = step * ((max + step - 1) / step);

  legend_height = draw_legend (self, cr, &fg);
  plot_geometry (self, width, height, legend_height, top, &plot);
  self->plot_x = plot.x;
  self->plot_width = plot.width;
  draw_grid (self, cr, &plot, step, top, &fg);
  draw_bars (self, cr, &plot, top, &fg);
}

static gboolean
on_query_tooltip (RgNotifyChart *self,
                  int            x,
                  int            y,
                  gboolean       keyboard_mode,
                  GtkTooltip    *tooltip)
{
  const RgNotifyDayStats *day;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;
  guint index;

  if (keyboard_mode || rg_notify_chart_get_total (self) == 0 || self->plot_width <= 0 ||
      x < self->plot_x || x >= self->plot_x + self->plot_width)
    return FALSE;

  index = MIN (self->days->len - 1,
               (guint) ((x - self->plot_x) / (self->plot_width / self->days->len)));
  day = &g_array_index (self->days, RgNotifyDayStats, index);
  /* Translators: the day in a chart tooltip, in strftime() format */
  date = format_day (&day->day, _("%A, %B %-d"));
  /* Translators: a chart tooltip: the day, then deliveries per channel and triggers */
  text = g_strdup_printf (_("%s\nLINE message: %u\nNotification message: %u\nSMS: %u\n"
                            "Triggers: %u"),
                          date, day->line_push, day->line_pnp, day->sms, day->triggers);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_accessible (RgNotifyChart *self)
{
  g_autofree char *summary = rg_notify_chart_dup_summary (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

static void
rg_notify_chart_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rg_notify_chart_parent_class)->css_changed (widget, change);

  /* Dark style and high contrast change the colours drawn. */
  gtk_widget_queue_draw (widget);
}

static void
rg_notify_chart_finalize (GObject *object)
{
  RgNotifyChart *self = (RgNotifyChart *)object;

  g_clear_pointer (&self->days, g_array_unref);

  G_OBJECT_CLASS (rg_notify_chart_parent_class)->finalize (object);
}

static void
rg_notify_chart_class_init (RgNotifyChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rg_notify_chart_finalize;

  widget_class->css_changed = rg_notify_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rg_notify_chart_init (RgNotifyChart *self)
{
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw_chart, NULL, NULL);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 180);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  update_accessible (self);
}

GtkWidget *
rg_notify_chart_new (void)
{
  return g_object_new (RG_TYPE_NOTIFY_CHART, NULL);
}

/**
 * rg_notify_chart_set_days:
 * @days: (nullable) (element-type RgNotifyDayStats): the days to show, oldest first, as
 *   rg_notify_stats_query_daily() returns them
 */
void
rg_notify_chart_set_days (RgNotifyChart *self,
                          GArray        *days)
{
  g_return_if_fail (RG_IS_NOTIFY_CHART (self));
  g_return_if_fail (days == NULL || g_array_get_element_size (days) == sizeof (RgNotifyDayStats));

  if (days == self->days)
    return;

  g_clear_pointer (&self->days, g_array_unref);
  if (days != NULL && days->len > 0)
    self->days = g_array_ref (days);

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * rg_notify_chart_get_days:
 *
 * Returns: (transfer none) (nullable) (element-type RgNotifyDayStats): the days shown
 */
GArray *
rg_notify_chart_get_days (RgNotifyChart *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_CHART (self), NULL);

  return self->days;
}

/**
 * rg_notify_chart_get_total:
 *
 * Returns: the deliveries shown, all channels together
 */
guint
rg_notify_chart_get_total (RgNotifyChart *self)
{
  guint total = 0;

  g_return_val_if_fail (RG_IS_NOTIFY_CHART (self), 0);

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    total += series_total (self, s);
  return total;
}

/**
 * rg_notify_chart_dup_summary:
 *
 * Returns: (transfer full): what the chart shows, in words, for screen readers
 */
char *
rg_notify_chart_dup_summary (RgNotifyChart *self)
{
  guint n_days;
  g_autofree char *push = NULL;
  g_autofree char *pnp = NULL;
  g_autofree char *sms = NULL;

  g_return_val_if_fail (RG_IS_NOTIFY_CHART (self), NULL);

  n_days = self->days != NULL ? self->days->len : 30;
  if (rg_notify_chart_get_total (self) == 0)
    return g_strdup_printf (ngettext ("No notifications in the last %u day",
                                      "No notifications in the last %u days", n_days),
                            n_days);

  push = rg_format_integer (series_total (self, 0));
  pnp = rg_format_integer (series_total (self, 1));
  sms = rg_format_integer (series_total (self, 2));
  /* Translators: the chart in words; %u days, then deliveries per channel */
  return g_strdup_printf (ngettext ("Deliveries in the last %u day: %s by LINE message, %s by "
                                    "notification message, %s by SMS",
                                    "Deliveries in the last %u days: %s by LINE message, %s by "
                                    "notification message, %s by SMS", n_days),
                          n_days, push, pnp, sms);
}
