/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rg-card-preview.h"
#include "rg-card-renderer.h"

/* The renderer's corner radius, so the drop shadow follows the card's outline. */
#define CARD_RADIUS 14.0

/* The designer's live preview: the core renderer draws the card at the widget's scale
 * factor into a texture, once per change of the design or the member, never per frame. */
struct _RgCardPreview
{
  GtkWidget     parent_instance;

  RgCardDesign *design;
  RgCardData   *data;
  GdkTexture   *texture;
  char         *problem;

  /* The card's size in logical pixels. */
  double        width;
  double        height;

  guint         n_renders;
  gint64        last_render_usec;
};

enum {
  PROP_0,
  PROP_DESIGN,
  PROP_DATA,
  PROP_PROBLEM,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgCardPreview, rg_card_preview, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
set_problem (RgCardPreview *self,
             const char    *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem != NULL ? problem : "",
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
render (RgCardPreview *self)
{
  g_autoptr(GError) problem = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double old_width = self->width;
  double old_height = self->height;
  gboolean complete;
  gint64 start;
  int scale, width, height, stride;

  g_clear_object (&self->texture);

  if (self->design == NULL || self->data == NULL)
    {
      self->width = self->height = 0;
      set_problem (self, NULL);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      return;
    }

  scale = CLAMP (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1, (int) RG_CARD_MAX_SCALE);
  start = g_get_monotonic_time ();

  rg_card_get_size (self->design, scale, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  complete = rg_card_render (self->design, self->data, scale, cr, &problem);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Cairo's ARGB32 is GDK_MEMORY_DEFAULT: the texture takes the pixels without a copy. */
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);

  self->last_render_usec = g_get_monotonic_time () - start;
  self->n_renders++;
  self->width = (double) width / scale;
  self->height = (double) height / scale;

  set_problem (self, complete || problem == NULL ? NULL : problem->message);

  if (self->width != old_width || self->height != old_height)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_scale_factor_changed (RgCardPreview *self,
                         GParamSpec    *pspec,
                         gpointer       user_data)
{
  render (self);
}

static void
rg_card_preview_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  RgCardPreview *self = RG_CARD_PREVIEW (widget);
  double size = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : self->height;

  *minimum = *natural = (int) ceil (size);
}

static void
rg_card_preview_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  RgCardPreview *self = RG_CARD_PREVIEW (widget);
  GskRoundedRect outline;
  graphene_rect_t bounds;
  double x;

  if (self->texture == NULL)
    return;

  x = floor ((gtk_widget_get_width (widget) - self->width) / 2);
  bounds = GRAPHENE_RECT_INIT (x, 0, self->width, self->height);
  gsk_rounded_rect_init_from_rect (&outline, &bounds, CARD_RADIUS);

  /* A hairline and a soft shadow lift the white card off a light window. */
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &(GdkRGBA) { 0, 0, 0, 0.10 },
                                     0, 3, 0, 12);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &(GdkRGBA) { 0, 0, 0, 0.14 },
                                     0, 0, 1, 0);
  gtk_snapshot_append_texture (snapshot, self->texture, &bounds);
}

static void
rg_card_preview_dispose (GObject *object)
{
  RgCardPreview *self = (RgCardPreview *)object;

  if (self->design != NULL)
    g_signal_handlers_disconnect_by_data (self->design, self);
  g_clear_object (&self->design);
  g_clear_object (&self->data);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (rg_card_preview_parent_class)->dispose (object);
}

static void
rg_card_preview_finalize (GObject *object)
{
  RgCardPreview *self = (RgCardPreview *)object;

  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (rg_card_preview_parent_class)->finalize (object);
}

static void
rg_card_preview_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RgCardPreview *self = RG_CARD_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;

    case PROP_DATA:
      g_value_set_object (value, self->data);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_preview_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RgCardPreview *self = RG_CARD_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      rg_card_preview_set_design (self, g_value_get_object (value));
      break;

    case PROP_DATA:
      rg_card_preview_set_data (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_preview_class_init (RgCardPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_card_preview_dispose;
  object_class->finalize = rg_card_preview_finalize;
  object_class->get_property = rg_card_preview_get_property;
  object_class->set_property = rg_card_preview_set_property;

  widget_class->measure = rg_card_preview_measure;
  widget_class->snapshot = rg_card_preview_snapshot;

  properties[PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL,
                         RG_TYPE_CARD_DESIGN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DATA] =
    g_param_spec_object ("data", NULL, NULL,
                         RG_TYPE_CARD_DATA,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardPreview:problem:
   *
   * Why part of the card could not be drawn (the renderer draws the reason on the card
   * too), or %NULL.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "cardpreview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rg_card_preview_init (RgCardPreview *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Card preview"),
                                  -1);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);
}

GtkWidget *
rg_card_preview_new (void)
{
  return g_object_new (RG_TYPE_CARD_PREVIEW, NULL);
}

RgCardDesign *
rg_card_preview_get_design (RgCardPreview *self)
{
  g_return_val_if_fail (RG_IS_CARD_PREVIEW (self), NULL);

  return self->design;
}

/**
 * rg_card_preview_set_design:
 * @design: (nullable): the design to show; the preview redraws on each of its changes
 */
void
rg_card_preview_set_design (RgCardPreview *self,
                            RgCardDesign  *design)
{
  g_return_if_fail (RG_IS_CARD_PREVIEW (self));
  g_return_if_fail (design == NULL || RG_IS_CARD_DESIGN (design));

  if (self->design == design)
    return;

  if (self->design != NULL)
    g_signal_handlers_disconnect_by_data (self->design, self);
  g_set_object (&self->design, design);
  if (design != NULL)
    g_signal_connect_object (design, "changed", G_CALLBACK (render), self, G_CONNECT_SWAPPED);

  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESIGN]);
}

RgCardData *
rg_card_preview_get_data (RgCardPreview *self)
{
  g_return_val_if_fail (RG_IS_CARD_PREVIEW (self), NULL);

  return self->data;
}

/**
 * rg_card_preview_set_data:
 * @data: (nullable): the member to show the card for
 */
void
rg_card_preview_set_data (RgCardPreview *self,
                          RgCardData    *data)
{
  g_return_if_fail (RG_IS_CARD_PREVIEW (self));
  g_return_if_fail (data == NULL || RG_IS_CARD_DATA (data));

  if (!g_set_object (&self->data, data))
    return;

  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

/**
 * rg_card_preview_get_problem:
 *
 * Returns: (nullable): why the renderer could not draw part of the card, as it says on the
 *   card
 */
const char *
rg_card_preview_get_problem (RgCardPreview *self)
{
  g_return_val_if_fail (RG_IS_CARD_PREVIEW (self), NULL);

  return self->problem;
}

/**
 * rg_card_preview_get_n_renders:
 *
 * Returns: how many times the card was drawn, to tell that an edit reached the preview
 */
guint
rg_card_preview_get_n_renders (RgCardPreview *self)
{
  g_return_val_if_fail (RG_IS_CARD_PREVIEW (self), 0);

  return self->n_renders;
}

/**
 * rg_card_preview_get_last_render_usec:
 *
 * Returns: how long the last drawing took, in microseconds
 */
gint64
rg_card_preview_get_last_render_usec (RgCardPreview *self)
{
  g_return_val_if_fail (RG_IS_CARD_PREVIEW (self), 0);

  return self->last_render_usec;
}
