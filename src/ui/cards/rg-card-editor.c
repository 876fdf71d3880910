/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-barcode.h"
#include "rg-card-editor-private.h"
#include "rg-card-field-row.h"
#include "rg-card-image.h"
#include "rg-card-renderer.h"
#include "rg-card-responder.h"
#include "rg-card-wechat.h"
#include "rg-cards-private.h"
#include "rg-channel-settings.h"
#include "rg-secrets.h"
#include "rg-wechat-errors.h"
#include "rg-window.h"

/* Exported PNGs are drawn at twice the preview's size: sharp on phones and in print. */
#define EXPORT_SCALE 2.0

/* Printed, the card is as wide as a bank card (ISO/IEC 7810 ID-1). */
#define PRINT_WIDTH_MM 85.6
#define PRINT_TOP_MARGIN_MM 10.0

/* One channel's card: the settings on the left edit a working copy of the saved design, the
 * preview on the right redraws on each of its changes. Save writes the working copy, Revert
 * copies the saved one back into it, so every widget stays bound to the same object. */
struct _RgCardEditor
{
  GtkWidget             parent_instance;

  RgCardChannel         channel;
  RgCardStore          *card_store;
  RgMemberStore        *member_store;
  RgCardDesign         *design;
  RgCardDesign         *saved;
  RgCardData           *preview_data;
  GListModel           *attributes;
  GBytes               *shown_header;
  cairo_surface_t      *header_surface;
  GBindingGroup        *bindings;
  GSignalGroup         *design_signals;
  GSignalGroup         *fields_signals;
  GSignalGroup         *member_signals;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;

  /* What Save writes besides the design: LINE's keywords, the WeChat card's brand and logo. */
  char                **saved_keywords;
  char                 *saved_brand;
  char                 *saved_logo;
  RgChannelSettings    *channel_settings;
  RgCardWeChat         *wechat;

  AdwFlap              *flap;
  AdwActionRow         *enabled_row;
  GtkSwitch            *enabled_switch;
  AdwEntryRow          *title_row;
  GtkColorButton       *color_button;
  GtkSwitch            *member_center_switch;
  AdwExpanderRow       *require_row;
  GtkSwitch            *require_switch;
  AdwEntryRow          *not_found_row;
  AdwEntryRow          *register_text_row;
  AdwEntryRow          *register_url_row;
  GtkWidget            *url_message_row;
  GtkLabel             *url_message_label;
  AdwComboRow          *barcode_row;
  GtkStringList        *barcode_types;
  GtkImage             *barcode_status_icon;
  GtkLabel             *barcode_status_label;
  GtkMenuButton        *add_field_button;
  GtkSwitch            *show_icons_switch;
  GtkListBox           *fields_list;
  GtkWidget            *fields_message;
  GtkLabel             *fields_message_label;
  AdwActionRow         *header_row;
  GtkDrawingArea       *header_thumbnail;
  GtkWidget            *header_message;
  GtkLabel             *header_message_label;
  RgCardMemberPicker   *member_picker;
  RgCardPreview        *preview;
  GtkWidget            *problem_box;
  GtkLabel             *problem_label;
  GtkWidget            *keywords_group;
  AdwEntryRow          *keywords_row;
  GtkWidget            *keywords_message;
  GtkLabel             *keywords_message_label;
  GtkWidget            *wechat_group;
  AdwEntryRow          *brand_row;
  AdwEntryRow          *logo_row;
  AdwActionRow         *push_row;
  GtkSpinner           *push_spinner;
  GtkWidget            *push_button;
  GtkWidget            *wechat_message;
  GtkImage             *wechat_message_icon;
  GtkLabel             *wechat_message_label;
  GtkWidget            *channels_button;

  guint                 dirty : 1;
  guint                 pushing : 1;
  /* Widgets follow a loaded or reverted design, not the merchant's hand. */
  guint                 syncing : 1;
};

enum {
  PROP_0,
  PROP_CHANNEL,
  PROP_CARD_STORE,
  PROP_MEMBER_STORE,
  PROP_DESIGN,
  PROP_DIRTY,
  PROP_PREVIEW_DATA,
  PROP_FOLDED,
  PROP_PREVIEW_REVEALED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgCardEditor, rg_card_editor, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  RgCardDesign *design;
  RgCardData   *data;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->design);
  g_clear_object (&job->data);
  g_free (job);
}

static gboolean
barcode_to_selected (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_barcode (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= RG_CARD_BARCODE_COUNT)
    return FALSE;
  g_value_set_enum (to, (int) selected);
  return TRUE;
}

static gboolean
color_to_rgba (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  GdkRGBA rgba = { 0, 0, 0, 1 };
  double red, green, blue;

  /* A colour the core would not draw is left out of the button rather than shown wrong. */
  if (!rg_card_color_parse (g_value_get_string (from), &red, &green, &blue))
    return FALSE;
  rgba.red = red;
  rgba.green = green;
  rgba.blue = blue;
  g_value_set_boxed (to, &rgba);
  return TRUE;
}

static gboolean
rgba_to_color (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  const GdkRGBA *rgba = g_value_get_boxed (from);

  if (rgba == NULL)
    return FALSE;
  g_value_take_string (to, g_strdup_printf ("#%02x%02x%02x",
                                            (guint) (CLAMP (rgba->red, 0, 1) * 255 + 0.5),
                                            (guint) (CLAMP (rgba->green, 0, 1) * 255 + 0.5),
                                            (guint) (CLAMP (rgba->blue, 0, 1) * 255 + 0.5)));
  return TRUE;
}

static void
show_fields_message (RgCardEditor *self,
                     const char   *message)
{
  _rg_cards_show_message (self->fields_message, self->fields_message_label, message);
}

static void
show_header_message (RgCardEditor *self,
                     const char   *message)
{
  _rg_cards_show_message (self->header_message, self->header_message_label, message);
}

/* Keywords as typed: split at ASCII and full-width commas and at “、”, each trimmed. Empty
 * pieces are kept so that Save can say which one is empty; blank text is no keyword at all. */
static char **
split_keywords (const char *text)
{
  g_autoptr(GString) normalized = g_string_new (NULL);
  char **keywords;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ',' || c == 0xFF0C || c == 0x3001)
        g_string_append_c (normalized, ',');
      else
        g_string_append_unichar (normalized, c);
    }
  g_strstrip (normalized->str);
  if (normalized->str[0] == '\0')
    return g_new0 (char *, 1);

  keywords = g_strsplit (normalized->str, ",", -1);
  for (guint i = 0; keywords[i] != NULL; i++)
    g_strstrip (keywords[i]);
  return keywords;
}

static gboolean
keywords_dirty (RgCardEditor *self)
{
  static const char * const defaults[] = { RG_CARD_DEFAULT_KEYWORD, NULL };
  g_auto(GStrv) typed = NULL;

  if (self->channel != RG_CARD_CHANNEL_LINE || self->saved_keywords == NULL)
    return FALSE;

  typed = split_keywords (gtk_editable_get_text (GTK_EDITABLE (self->keywords_row)));
  /* Blank goes back to the default: clean when the default is what is saved. */
  return !g_strv_equal (typed[0] != NULL ? (const char * const *) typed : defaults,
                        (const char * const *) self->saved_keywords);
}

static gboolean
wechat_dirty (RgCardEditor *self)
{
  g_autofree char *brand = NULL;
  g_autofree char *logo = NULL;

  if (self->wechat == NULL)
    return FALSE;

  brand = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->brand_row))));
  logo = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->logo_row))));
  return g_strcmp0 (brand, self->saved_brand) != 0 || g_strcmp0 (logo, self->saved_logo) != 0;
}

static void
update_push_state (RgCardEditor *self)
{
  gboolean ready = self->wechat != NULL && self->design != NULL && !self->dirty;
  const char *subtitle;

  if (self->pushing)
    subtitle = _("Sending the design to WeChat…");
  else if (self->dirty)
    subtitle = _("Save the design first");
  else
    subtitle = _("Creates the card the first time, updates it afterwards");

  adw_action_row_set_subtitle (self->push_row, subtitle);
  gtk_widget_set_tooltip_text (self->push_button, self->dirty ? _("Save the design first") : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.push-wechat",
                                 ready && !self->pushing);
}

static void
update_dirty (RgCardEditor *self)
{
  gboolean dirty = self->design != NULL && self->saved != NULL &&
                   (!rg_card_design_equal (self->design, self->saved) ||
                    keywords_dirty (self) || wechat_dirty (self));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->keywords_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reset-keywords",
                                 self->design != NULL &&
                                 g_strcmp0 (text, RG_CARD_DEFAULT_KEYWORD) != 0);

  if (self->dirty != dirty)
    {
      self->dirty = dirty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
  update_push_state (self);
}

static void
show_keywords_message (RgCardEditor *self,
                       const char   *message)
{
  _rg_cards_show_message (self->keywords_message, self->keywords_message_label, message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->keywords_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->keywords_row), "error");
}

static void
show_wechat_message (RgCardEditor *self,
                     gboolean      failed,
                     const char   *message)
{
  _rg_cards_show_message (self->wechat_message, self->wechat_message_label, message);
  gtk_image_set_from_icon_name (self->wechat_message_icon,
                                failed ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
  if (failed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->wechat_message_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->wechat_message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->wechat_message_icon), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->wechat_message_icon), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->wechat_message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->wechat_message_icon), "success");
    }
  gtk_widget_set_visible (self->channels_button, FALSE);
}

/* The saved keywords, brand and logo into the rows; the rows follow, not the merchant. */
static void
load_extras (RgCardEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;

  g_clear_pointer (&self->saved_keywords, g_strfreev);
  g_clear_pointer (&self->saved_brand, g_free);
  g_clear_pointer (&self->saved_logo, g_free);

  if (self->channel == RG_CARD_CHANNEL_LINE && self->card_store != NULL)
    {
      self->saved_keywords = rg_card_responder_dup_keywords (self->card_store, self->channel,
                                                             &error);
      if (self->saved_keywords == NULL)
        g_warning ("Could not read the LINE member-center keywords: %s", error->message);
      else
        /* Translators: what separates keywords when they are shown in one line */
        joined = g_strjoinv (C_("keywords", ", "), self->saved_keywords);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->keywords_row), joined != NULL ? joined : "");
  show_keywords_message (self, error != NULL ? error->message : NULL);

  if (self->wechat != NULL)
    {
      self->saved_brand = rg_card_wechat_dup_brand_name (self->wechat);
      self->saved_logo = rg_card_wechat_dup_logo_url (self->wechat);
      if (self->saved_brand == NULL)
        self->saved_brand = g_strdup ("");
      if (self->saved_logo == NULL)
        self->saved_logo = g_strdup ("");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->brand_row),
                         self->saved_brand != NULL ? self->saved_brand : "");
  gtk_editable_set_text (GTK_EDITABLE (self->logo_row),
                         self->saved_logo != NULL ? self->saved_logo : "");
}

static void
update_url_message (RgCardEditor *self)
{
  g_autoptr(GError) error = NULL;
  const char *url;
  gboolean ok = TRUE;

  if (self->design != NULL)
    {
      url = rg_card_design_get_register_url (self->design);
      /* Empty is fine while no one is sent there; anything typed must be a web address. */
      if (url[0] != '\0' || rg_card_design_get_require_member_number (self->design))
        ok = rg_card_register_url_check (url, &error);
    }

  _rg_cards_show_message (self->url_message_row, self->url_message_label,
                          ok ? NULL : error->message);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->register_url_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->register_url_row), "error");
}

/* Scrolls the settings so that the register URL and the message under it are in view: the
 * row was in a closed expander a moment ago, so it waits for the frame that allocates it. */
static gboolean
scroll_to_url_message (GtkWidget     *widget,
                       GdkFrameClock *frame_clock,
                       gpointer       user_data)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);
  guint *ticks = user_data;
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->register_url_row),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = NULL;
  GtkWidget *content = NULL;
  graphene_rect_t row, message;
  int min_height;

  if (scroller != NULL)
    viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (viewport))
    content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  if (content == NULL || ++(*ticks) > 60)
    return G_SOURCE_REMOVE;

  /* Until the expander has opened all the way. */
  gtk_widget_measure (GTK_WIDGET (self->register_url_row), GTK_ORIENTATION_VERTICAL, -1,
                      &min_height, NULL, NULL, NULL);
  if (!gtk_widget_compute_bounds (GTK_WIDGET (self->register_url_row), content, &row) ||
      !gtk_widget_compute_bounds (self->url_message_row, content, &message) ||
      row.size.height < min_height || message.size.height <= 0)
    return G_SOURCE_CONTINUE;

  /* Room below for the toast that says it too, at the bottom of the window. */
  gtk_adjustment_clamp_page (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                             row.origin.y - 12, message.origin.y + message.size.height + 84);
  return G_SOURCE_REMOVE;
}

static void
set_barcode_status (RgCardEditor *self,
                    const char   *icon_name,
                    const char   *style,
                    const char   *text)
{
  static const char * const styles[] = { "success", "error", "dim-label" };

  gtk_image_set_from_icon_name (self->barcode_status_icon, icon_name);
  gtk_label_set_text (self->barcode_status_label, text);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      if (g_strcmp0 (styles[i], style) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->barcode_status_icon), styles[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->barcode_status_icon), styles[i]);
    }
  if (g_strcmp0 (style, "error") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->barcode_status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->barcode_status_label), "error");
}

/* Whether the chosen barcode can carry the previewed member's number, said next to the
 * setting that decides it. */
static void
update_barcode_status (RgCardEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *text = NULL;
  const char *number;
  RgCardBarcode type;

  if (self->design == NULL || self->preview_data == NULL)
    {
      set_barcode_status (self, NULL, NULL, "");
      return;
    }

  type = rg_card_design_get_barcode_type (self->design);
  number = rg_card_data_get_member_number (self->preview_data);

  if (number == NULL)
    set_barcode_status (self, "dialog-information-symbolic", "dim-label",
                        rg_card_design_get_require_member_number (self->design)
                        ? _("This member has no member number: the card shows the not-found "
                            "message and the register button instead")
                        : _("This member has no member number, so the card shows no barcode"));
  else if (!rg_card_barcode_check (type, number, &encoded, &error))
    set_barcode_status (self, "dialog-warning-symbolic", "error", error->message);
  else
    {
      if (g_str_equal (encoded, number))
        /* Translators: %s is the member number, e.g. “ML01001” */
        text = g_strdup_printf (_("A scanner reads “%s” from this barcode"), encoded);
      else
        /* Translators: the first %s is what a scanner reads, the second the member number */
        text = g_strdup_printf (_("A scanner reads “%s” from this barcode: “%s” with its check "
                                  "digit"),
                                encoded, number);
      set_barcode_status (self, "emblem-ok-symbolic", "success", text);
    }
}

static void
draw_header_thumbnail (GtkDrawingArea *area,
                       cairo_t        *cr,
                       int             width,
                       int             height,
                       gpointer        user_data)
{
  RgCardEditor *self = user_data;
  double image_width, image_height, ratio;

  if (self->header_surface == NULL)
    return;

  /* The renderer's band grey around an image that does not fill the box. */
  cairo_set_source_rgb (cr, 0.925, 0.925, 0.925);
  cairo_paint (cr);

  image_width = cairo_image_surface_get_width (self->header_surface);
  image_height = cairo_image_surface_get_height (self->header_surface);
  ratio = MIN (width / image_width, height / image_height);
  cairo_translate (cr, (width - image_width * ratio) / 2, (height - image_height * ratio) / 2);
  cairo_scale (cr, ratio, ratio);
  cairo_set_source_surface (cr, self->header_surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
}

/* A cairo copy of @texture, small enough for the thumbnail at scale 2. */
static cairo_surface_t *
thumbnail_surface (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  double ratio = MIN (1.0, MIN (192.0 / width, 82.0 / height));
  cairo_surface_t *full;
  cairo_surface_t *small;
  cairo_t *cr;

  full = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  gdk_texture_download (texture, cairo_image_surface_get_data (full),
                        cairo_image_surface_get_stride (full));
  cairo_surface_mark_dirty (full);

  small = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                      MAX (1, (int) (width * ratio + 0.5)),
                                      MAX (1, (int) (height * ratio + 0.5)));
  cr = cairo_create (small);
  cairo_scale (cr, (double) cairo_image_surface_get_width (small) / width,
               (double) cairo_image_surface_get_height (small) / height);
  cairo_set_source_surface (cr, full, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (full);
  return small;
}

static void
update_header (RgCardEditor *self)
{
  GBytes *image = self->design != NULL ? rg_card_design_get_header_image (self->design) : NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *subtitle;

  if (image == self->shown_header && self->shown_header != NULL)
    return;
  g_clear_pointer (&self->shown_header, g_bytes_unref);
  if (image != NULL)
    self->shown_header = g_bytes_ref (image);

  g_clear_pointer (&self->header_surface, cairo_surface_destroy);

  if (image == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->header_thumbnail), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row), _("No header image"));
      adw_action_row_set_subtitle (self->header_row, _("The card starts with its title band"));
    }
  else if ((texture = gdk_texture_new_from_bytes (image, &error)) == NULL)
    {
      g_warning ("The header image was accepted but cannot be shown here: %s", error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->header_thumbnail), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row), _("Header image"));
      adw_action_row_set_subtitle (self->header_row, "");
    }
  else
    {
      int width = gdk_texture_get_width (texture);
      int height = gdk_texture_get_height (texture);
      gint64 box = (gint64) width * RG_CARD_HEADER_HEIGHT;
      gint64 image_box = (gint64) height * RG_CARD_HEADER_WIDTH;

      if (width == RG_CARD_HEADER_WIDTH && height == RG_CARD_HEADER_HEIGHT)
        subtitle = _("The recommended size");
      else if (box == image_box)
        subtitle = _("Scaled to fit");
      else if (box > image_box)
        subtitle = _("Letterboxed, bands above and below");
      else
        subtitle = _("Letterboxed, bands at the sides");

      /* Translators: an image's size, e.g. “1200 × 512 pixels” */
      title = g_strdup_printf (_("%d × %d pixels"), width, height);
      self->header_surface = thumbnail_surface (texture);
      gtk_widget_set_visible (GTK_WIDGET (self->header_thumbnail), TRUE);
      gtk_widget_queue_draw (GTK_WIDGET (self->header_thumbnail));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row), title);
      adw_action_row_set_subtitle (self->header_row, subtitle);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.remove-header", image != NULL);
}

static char *
escape_mnemonic (const char *label)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (escaped, '_');
      g_string_append_c (escaped, *p);
    }
  return g_string_free (escaped, FALSE);
}

static void
append_field_item (GMenu      *menu,
                   const char *label,
                   const char *field_id)
{
  g_autoptr(GMenuItem) item = NULL;
  g_autofree char *escaped = escape_mnemonic (label);

  item = g_menu_item_new (escaped, NULL);
  g_menu_item_set_action_and_target_value (item, "editor.add-field",
                                           g_variant_new_string (field_id));
  g_menu_append_item (menu, item);
}

/* The Add Field menu lists what is not on the card yet: the member's own fields, then the
 * shop's custom attributes. */
static void
update_add_field_menu (RgCardEditor *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) builtins = g_menu_new ();
  g_autoptr(GMenu) custom = g_menu_new ();
  const char * const *ids = rg_card_field_get_builtin_ids ();
  guint n_attributes;
  gboolean any;

  if (self->design != NULL)
    {
      for (guint i = 0; ids[i] != NULL; i++)
        if (rg_card_design_find_field (self->design, ids[i], NULL) == NULL)
          append_field_item (builtins, rg_card_field_id_get_default_label (ids[i]), ids[i]);

      n_attributes = self->attributes != NULL ? g_list_model_get_n_items (self->attributes) : 0;
      for (guint i = 0; i < n_attributes; i++)
        {
          g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (self->attributes, i);
          g_autofree char *field_id = g_strconcat (RG_CARD_FIELD_ATTRIBUTE_PREFIX,
                                                   rg_attribute_definition_get_key (definition),
                                                   NULL);

          if (rg_card_field_id_check (field_id, NULL) &&
              rg_card_design_find_field (self->design, field_id, NULL) == NULL)
            append_field_item (custom, rg_attribute_definition_get_label (definition), field_id);
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (builtins)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (builtins));
  if (g_menu_model_get_n_items (G_MENU_MODEL (custom)) > 0)
    g_menu_append_section (menu, _("Custom Attributes"), G_MENU_MODEL (custom));

  any = g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0;
  gtk_menu_button_set_menu_model (self->add_field_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_field_button), any);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_field_button),
                               any ? _("Add a field to the card")
                                   : _("Every field is on the card already"));
}

static void
update_row_positions (RgCardEditor *self)
{
  guint n = self->design != NULL ? rg_card_design_get_n_fields (self->design) : 0;
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->fields_list, i)) != NULL; i++)
    if (RG_IS_CARD_FIELD_ROW (row))
      rg_card_field_row_set_position (RG_CARD_FIELD_ROW (row), i, n);
}

static void
load_attributes (RgCardEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->attributes);
  if (self->member_store != NULL &&
      (self->attributes = rg_member_store_list_attributes (self->member_store, &error)) == NULL)
    g_warning ("Custom attribute definitions unavailable: %s", error->message);
  update_add_field_menu (self);
}

static void
on_design_changed (RgCardEditor *self)
{
  update_dirty (self);
  update_url_message (self);
  update_barcode_status (self);
  update_header (self);
}

static void
on_fields_changed (RgCardEditor *self,
                   guint         position,
                   guint         removed,
                   guint         added,
                   GListModel   *fields)
{
  update_row_positions (self);
  update_add_field_menu (self);
}

static void
on_require_active (RgCardEditor *self,
                   GParamSpec   *pspec,
                   GtkSwitch    *require_switch)
{
  /* Turned on by hand: show the message, button and URL it needs. */
  if (!self->syncing && gtk_switch_get_active (require_switch))
    adw_expander_row_set_expanded (self->require_row, TRUE);
}

static void
on_preview_problem (RgCardEditor  *self,
                    GParamSpec    *pspec,
                    RgCardPreview *preview)
{
  const char *problem = rg_card_preview_get_problem (preview);

  _rg_cards_show_message (self->problem_box, self->problem_label, problem);
}

static GtkWidget *
create_field_row (gpointer item,
                  gpointer user_data)
{
  RgCardEditor *self = user_data;
  RgCardField *field = item;
  g_autofree char *name = _rg_cards_dup_field_name (rg_card_field_get_id (field),
                                                    self->attributes);

  return rg_card_field_row_new (self->design, field, name);
}

static void
add_field_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);
  const char *field_id = g_variant_get_string (parameter, NULL);
  g_autoptr(RgCardField) field = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  GtkListBoxRow *row;

  if (self->design == NULL)
    return;

  if (rg_card_field_id_check (field_id, &error))
    {
      label = _rg_cards_dup_field_name (field_id, self->attributes);
      field = rg_card_field_new (field_id, label);
      rg_card_design_add_field (self->design, field, &error);
    }

  if (error != NULL)
    {
      show_fields_message (self, error->message);
      _rg_cards_add_toast (widget, error->message);
      return;
    }

  show_fields_message (self, NULL);
  row = gtk_list_box_get_row_at_index (self->fields_list,
                                       rg_card_design_get_n_fields (self->design) - 1);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
header_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RgCardEditor) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *message = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->design == NULL)
    return;

  if (bytes == NULL)
    message = g_strdup_printf (_("“%s” could not be read: %s"), name, error->message);
  else if (!rg_card_design_set_header_image (self->design, bytes, &error))
    /* Translators: “photo.gif”: The header image is a gif file; use a PNG or JPEG file */
    message = g_strdup_printf (_("“%s”: %s"), name, error->message);

  show_header_message (self, message);
  if (message != NULL)
    {
      g_message ("Header image refused: %s", message);
      _rg_cards_add_toast (GTK_WIDGET (self), message);
    }
}

static void
on_header_chosen (RgCardEditor         *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        rg_card_editor_load_header_image (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_header_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PNG and JPEG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose Header Image"),
                                               rg_widget_get_parent_window (widget),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_header_chosen), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_header_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);

  if (self->design == NULL)
    return;

  rg_card_design_set_header_image (self->design, NULL, NULL);
  show_header_message (self, NULL);
}

static void
on_keywords_changed (RgCardEditor *self)
{
  show_keywords_message (self, NULL);
  update_dirty (self);
}

static void
on_wechat_text_changed (RgCardEditor *self)
{
  if (!self->pushing)
    show_wechat_message (self, FALSE, NULL);
  update_dirty (self);
}

static void
reset_keywords_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->keywords_row), RG_CARD_DEFAULT_KEYWORD);
}

static void
push_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RgCardEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *message = NULL;
  gboolean created = FALSE;

  card_id = rg_card_wechat_push_design_finish (RG_CARD_WECHAT (object), result, &created, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pushing = FALSE;
  gtk_spinner_stop (self->push_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->push_spinner), FALSE);

  if (card_id != NULL)
    {
      g_debug ("WeChat card %s %s", card_id, created ? "created" : "updated");
      message = g_strdup (created ? _("Card created in WeChat") : _("Card updated in WeChat"));
      show_wechat_message (self, FALSE, message);
      _rg_cards_add_toast (GTK_WIDGET (self), message);
    }
  else
    {
      /* What the merchant can do about it, and where; the platform's own text otherwise. */
      message = rg_wechat_describe_credentials_error (error, RG_WECHAT_REQUEST_PUSH);
      g_warning ("Pushing the WeChat card failed: %s", error->message);
      show_wechat_message (self, TRUE, message != NULL ? message : error->message);
      gtk_widget_set_visible (self->channels_button, message != NULL);
    }
  update_push_state (self);
}

static void
push_wechat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);
  g_autoptr(RgCardWeChat) wechat = NULL;

  if (self->wechat == NULL || self->dirty || self->pushing)
    return;

  /* A client of its own each time: credentials fixed on the Channels page apply at once. */
  wechat = rg_card_wechat_new (rg_card_store_get_store (self->card_store),
                               self->channel_settings);
  self->pushing = TRUE;
  show_wechat_message (self, FALSE, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->push_spinner), TRUE);
  gtk_spinner_start (self->push_spinner);
  update_push_state (self);
  rg_card_wechat_push_design_async (wechat, self->cancellable, push_done_cb,
                                    g_object_ref (self));
}

static void
load_design (RgCardEditor *self)
{
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  if (self->card_store != NULL &&
      (design = rg_card_store_load (self->card_store, self->channel, &error)) == NULL)
    g_warning ("Could not read the %s card design: %s",
               rg_card_channel_to_string (self->channel), error->message);

  self->syncing = TRUE;
  g_signal_group_set_target (self->fields_signals, NULL);
  gtk_list_box_bind_model (self->fields_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->saved);
  g_set_object (&self->design, design);
  load_extras (self);

  if (design != NULL)
    {
      self->saved = rg_card_design_copy (design);
      /* The rows first, then the editor's own handler: it reaches rows that exist. */
      gtk_list_box_bind_model (self->fields_list, rg_card_design_get_fields (design),
                               create_field_row, self, NULL);
      g_signal_group_set_target (self->fields_signals, rg_card_design_get_fields (design));
    }
  g_binding_group_set_source (self->bindings, design);
  g_signal_group_set_target (self->design_signals, design);
  rg_card_preview_set_design (self->preview, design);
  self->syncing = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self), design != NULL);
  show_fields_message (self, NULL);
  show_header_message (self, NULL);
  on_design_changed (self);
  on_fields_changed (self, 0, 0, 0, NULL);
  /* Where the card would be: why there is none. */
  if (error != NULL)
    _rg_cards_show_message (self->problem_box, self->problem_label, error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESIGN]);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double page_width = gtk_print_context_get_width (context);
  double page_height = gtk_print_context_get_height (context);
  double dpi = gtk_print_context_get_dpi_x (context);
  double width = PRINT_WIDTH_MM / 25.4 * 72.0;
  double top = PRINT_TOP_MARGIN_MM / 25.4 * 72.0;
  double dots, scale, rest;
  int card_width, card_height;

  if (dpi <= 0)
    dpi = 72.0;

  /* Points per card pixel; a tall card is shrunk to fit the page. */
  rg_card_get_size (job->design, 1.0, &card_width, &card_height);
  width = MIN (width, page_width);
  if (card_height * width / card_width > page_height - top)
    width = MAX (1.0, (page_height - top) * card_width / card_height);

  /* The renderer snaps bars to whole device pixels: hand it the printer's dots. */
  dots = width * dpi / 72.0;
  scale = CLAMP (dots / RG_CARD_WIDTH, RG_CARD_MIN_SCALE, RG_CARD_MAX_SCALE);
  rest = dots / (RG_CARD_WIDTH * scale);

  cairo_save (cr);
  cairo_translate (cr, (page_width - width) / 2, MIN (top, page_height / 10));
  cairo_scale (cr, 72.0 / dpi * rest, 72.0 / dpi * rest);
  rg_card_render (job->design, job->data, scale, cr, NULL);
  cairo_restore (cr);
}

static void
on_flap_folded (RgCardEditor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
on_flap_revealed (RgCardEditor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_REVEALED]);
}

static void
rg_card_editor_map (GtkWidget *widget)
{
  RgCardEditor *self = RG_CARD_EDITOR (widget);

  GTK_WIDGET_CLASS (rg_card_editor_parent_class)->map (widget);

  /* The members page keeps its own store object: attributes it added show up here now. */
  load_attributes (self);
}

static void
rg_card_editor_dispose (GObject *object)
{
  RgCardEditor *self = (RgCardEditor *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->fields_list != NULL)
    gtk_list_box_bind_model (self->fields_list, NULL, NULL, NULL, NULL);
  g_binding_group_set_source (self->bindings, NULL);
  g_signal_group_set_target (self->design_signals, NULL);
  g_signal_group_set_target (self->fields_signals, NULL);
  g_signal_group_set_target (self->member_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CARD_EDITOR);

  g_clear_object (&self->design);
  g_clear_object (&self->saved);
  g_clear_object (&self->card_store);
  g_clear_object (&self->member_store);
  g_clear_object (&self->preview_data);
  g_clear_object (&self->attributes);
  g_clear_object (&self->wechat);
  g_clear_object (&self->channel_settings);
  g_clear_pointer (&self->shown_header, g_bytes_unref);
  g_clear_pointer (&self->header_surface, cairo_surface_destroy);

  G_OBJECT_CLASS (rg_card_editor_parent_class)->dispose (object);
}

static void
rg_card_editor_finalize (GObject *object)
{
  RgCardEditor *self = (RgCardEditor *)object;

  g_clear_object (&self->bindings);
  g_clear_object (&self->design_signals);
  g_clear_object (&self->fields_signals);
  g_clear_object (&self->member_signals);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->saved_keywords, g_strfreev);
  g_clear_pointer (&self->saved_brand, g_free);
  g_clear_pointer (&self->saved_logo, g_free);

  G_OBJECT_CLASS (rg_card_editor_parent_class)->finalize (object);
}

static void
rg_card_editor_constructed (GObject *object)
{
  RgCardEditor *self = (RgCardEditor *)object;
  g_autofree char *subtitle = NULL;

  G_OBJECT_CLASS (rg_card_editor_parent_class)->constructed (object);

  /* Translators: %s is a chat platform such as “LINE” */
  subtitle = g_strdup_printf (_("Customers can open this card in %s"),
                              rg_card_channel_get_display_name (self->channel));
  adw_action_row_set_subtitle (self->enabled_row, subtitle);

  /* Keywords are matched in LINE text messages only; WhatsApp asks with a quick-reply button. */
  gtk_widget_set_visible (self->keywords_group, self->channel == RG_CARD_CHANNEL_LINE);
  gtk_widget_set_visible (self->wechat_group, self->channel == RG_CARD_CHANNEL_WECHAT);
}

static void
rg_card_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgCardEditor *self = RG_CARD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;

    case PROP_CARD_STORE:
      g_value_set_object (value, self->card_store);
      break;

    case PROP_MEMBER_STORE:
      g_value_set_object (value, self->member_store);
      break;

    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    case PROP_PREVIEW_DATA:
      g_value_set_object (value, self->preview_data);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, rg_card_editor_get_folded (self));
      break;

    case PROP_PREVIEW_REVEALED:
      g_value_set_boolean (value, rg_card_editor_get_preview_revealed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgCardEditor *self = RG_CARD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      self->channel = g_value_get_enum (value);
      break;

    case PROP_CARD_STORE:
      rg_card_editor_set_card_store (self, g_value_get_object (value));
      break;

    case PROP_MEMBER_STORE:
      rg_card_editor_set_member_store (self, g_value_get_object (value));
      break;

    case PROP_PREVIEW_DATA:
      rg_card_editor_set_preview_data (self, g_value_get_object (value));
      break;

    case PROP_PREVIEW_REVEALED:
      rg_card_editor_set_preview_revealed (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_editor_class_init (RgCardEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_card_editor_constructed;
  object_class->dispose = rg_card_editor_dispose;
  object_class->finalize = rg_card_editor_finalize;
  object_class->get_property = rg_card_editor_get_property;
  object_class->set_property = rg_card_editor_set_property;

  widget_class->map = rg_card_editor_map;

  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL,
                       RG_TYPE_CARD_CHANNEL, RG_CARD_CHANNEL_LINE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardEditor:card-store:
   *
   * Where the design is loaded from and saved to; setting it loads the channel's design.
   */
  properties[PROP_CARD_STORE] =
    g_param_spec_object ("card-store", NULL, NULL,
                         RG_TYPE_CARD_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MEMBER_STORE] =
    g_param_spec_object ("member-store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardEditor:design:
   *
   * The design being edited; the same object from load to save and revert.
   */
  properties[PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL,
                         RG_TYPE_CARD_DESIGN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardEditor:dirty:
   *
   * Whether the design, LINE's keywords or the WeChat brand and logo differ from the saved
   * ones (an edit undone by hand is clean again).
   */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PREVIEW_DATA] =
    g_param_spec_object ("preview-data", NULL, NULL,
                         RG_TYPE_CARD_DATA,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardEditor:folded:
   *
   * Whether the window is too narrow for the preview next to the settings; it then slides
   * in over them when revealed.
   */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PREVIEW_REVEALED] =
    g_param_spec_boolean ("preview-revealed", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_CARD_MEMBER_PICKER);
  g_type_ensure (RG_TYPE_CARD_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-card-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, flap);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, color_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, member_center_switch);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, require_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, require_switch);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, not_found_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, register_text_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, register_url_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, url_message_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, url_message_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, barcode_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, barcode_types);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, barcode_status_icon);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, barcode_status_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, add_field_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, show_icons_switch);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, fields_list);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, fields_message);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, fields_message_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, header_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, header_thumbnail);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, header_message);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, header_message_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, member_picker);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, preview);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, problem_box);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, problem_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, keywords_group);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, keywords_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, keywords_message);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, keywords_message_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, wechat_group);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, brand_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, logo_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, push_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, push_spinner);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, push_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, wechat_message);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, wechat_message_icon);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, wechat_message_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardEditor, channels_button);

  gtk_widget_class_install_action (widget_class, "editor.add-field", "s", add_field_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-header", NULL,
                                   choose_header_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-header", NULL,
                                   remove_header_action);
  gtk_widget_class_install_action (widget_class, "editor.reset-keywords", NULL,
                                   reset_keywords_action);
  gtk_widget_class_install_action (widget_class, "editor.push-wechat", NULL,
                                   push_wechat_action);
}

static void
rg_card_editor_init (RgCardEditor *self)
{
  g_autoptr(RgCardData) sample = rg_card_data_new_sample ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  gtk_drawing_area_set_draw_func (self->header_thumbnail, draw_header_thumbnail, self, NULL);
  for (guint i = 0; i < RG_CARD_BARCODE_COUNT; i++)
    gtk_string_list_append (self->barcode_types, rg_card_barcode_get_display_name (i));

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "enabled", self->enabled_switch, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "title", self->title_row, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->bindings, "accent-color", self->color_button, "rgba",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             color_to_rgba, rgba_to_color, NULL, NULL);
  g_binding_group_bind (self->bindings, "member-center-enabled", self->member_center_switch,
                        "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "require-member-number", self->require_switch, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "not-found-message", self->not_found_row, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "register-button-text", self->register_text_row, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "register-url", self->register_url_row, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->bindings, "barcode-type", self->barcode_row, "selected",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             barcode_to_selected, selected_to_barcode, NULL, NULL);
  g_binding_group_bind (self->bindings, "show-icons", self->show_icons_switch, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->design_signals = g_signal_group_new (RG_TYPE_CARD_DESIGN);
  g_signal_group_connect_swapped (self->design_signals, "changed",
                                  G_CALLBACK (on_design_changed), self);

  self->fields_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->fields_signals, "items-changed",
                                  G_CALLBACK (on_fields_changed), self);

  self->member_signals = g_signal_group_new (RG_TYPE_MEMBER_STORE);
  g_signal_group_connect_swapped (self->member_signals, "attributes-changed",
                                  G_CALLBACK (load_attributes), self);

  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (on_flap_folded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (on_flap_revealed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->require_switch, "notify::active",
                           G_CALLBACK (on_require_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::problem",
                           G_CALLBACK (on_preview_problem), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keywords_row, "changed",
                           G_CALLBACK (on_keywords_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->brand_row, "changed",
                           G_CALLBACK (on_wechat_text_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->logo_row, "changed",
                           G_CALLBACK (on_wechat_text_changed), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self, "preview-data", self->member_picker, "data",
                          G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self, "member-store", self->member_picker, "member-store",
                          G_BINDING_SYNC_CREATE);
  rg_card_editor_set_preview_data (self, sample);

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  update_header (self);
  update_add_field_menu (self);
}

GtkWidget *
rg_card_editor_new (RgCardChannel channel)
{
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  return g_object_new (RG_TYPE_CARD_EDITOR, "channel", channel, NULL);
}

RgCardChannel
rg_card_editor_get_channel (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), 0);

  return self->channel;
}

RgCardStore *
rg_card_editor_get_card_store (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);

  return self->card_store;
}

/**
 * rg_card_editor_set_card_store:
 * @card_store: (nullable): the designs' storage
 *
 * Loads the channel's design from @card_store (the default design if it was never saved);
 * edits not saved to the previous store are dropped.
 */
void
rg_card_editor_set_card_store (RgCardEditor *self,
                               RgCardStore  *card_store)
{
  g_autofree char *currency = NULL;

  g_return_if_fail (RG_IS_CARD_EDITOR (self));
  g_return_if_fail (card_store == NULL || RG_IS_CARD_STORE (card_store));

  if (!g_set_object (&self->card_store, card_store))
    return;

  if (card_store != NULL)
    currency = rg_card_store_dup_currency (card_store);
  rg_card_member_picker_set_currency (self->member_picker, currency);

  g_clear_object (&self->wechat);
  g_clear_object (&self->channel_settings);
  if (card_store != NULL && self->channel == RG_CARD_CHANNEL_WECHAT)
    {
      g_autoptr(RgSecrets) secrets = rg_secrets_new ();

      self->channel_settings = rg_channel_settings_new (rg_card_store_get_store (card_store),
                                                        secrets);
      self->wechat = rg_card_wechat_new (rg_card_store_get_store (card_store),
                                         self->channel_settings);
    }

  load_design (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_STORE]);
}

RgMemberStore *
rg_card_editor_get_member_store (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);

  return self->member_store;
}

/**
 * rg_card_editor_set_member_store:
 * @member_store: (nullable): the members to preview and the custom attributes to offer
 */
void
rg_card_editor_set_member_store (RgCardEditor  *self,
                                 RgMemberStore *member_store)
{
  g_return_if_fail (RG_IS_CARD_EDITOR (self));
  g_return_if_fail (member_store == NULL || RG_IS_MEMBER_STORE (member_store));

  if (!g_set_object (&self->member_store, member_store))
    return;

  g_signal_group_set_target (self->member_signals, member_store);
  load_attributes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_STORE]);
}

/**
 * rg_card_editor_get_design:
 *
 * Returns: (transfer none) (nullable): the design being edited, %NULL before a store is set
 */
RgCardDesign *
rg_card_editor_get_design (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);

  return self->design;
}

gboolean
rg_card_editor_get_dirty (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), FALSE);

  return self->dirty;
}

/**
 * rg_card_editor_get_preview_data:
 *
 * Returns: (transfer none): whose card the preview shows
 */
RgCardData *
rg_card_editor_get_preview_data (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);

  return self->preview_data;
}

void
rg_card_editor_set_preview_data (RgCardEditor *self,
                                 RgCardData   *data)
{
  g_return_if_fail (RG_IS_CARD_EDITOR (self));
  g_return_if_fail (RG_IS_CARD_DATA (data));

  if (!g_set_object (&self->preview_data, data))
    return;

  rg_card_preview_set_data (self->preview, data);
  update_barcode_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_DATA]);
}

gboolean
rg_card_editor_get_folded (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), FALSE);

  return adw_flap_get_folded (self->flap);
}

gboolean
rg_card_editor_get_preview_revealed (RgCardEditor *self)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), FALSE);

  return adw_flap_get_reveal_flap (self->flap);
}

/**
 * rg_card_editor_set_preview_revealed:
 *
 * Shows or hides the preview when the editor is folded; unfolded it always shows.
 */
void
rg_card_editor_set_preview_revealed (RgCardEditor *self,
                                     gboolean      revealed)
{
  g_return_if_fail (RG_IS_CARD_EDITOR (self));

  adw_flap_set_reveal_flap (self->flap, revealed);
}

/* The design, the keywords and the WeChat card's brand and logo: all saved or none. */
static gboolean
save_in_transaction (RgStore   *store,
                     gpointer   user_data,
                     GError   **error)
{
  RgCardEditor *self = user_data;

  if (self->channel == RG_CARD_CHANNEL_LINE)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->keywords_row));
      g_auto(GStrv) keywords = split_keywords (text);

      if (keywords[0] == NULL
          ? !rg_card_responder_reset_keywords (self->card_store, self->channel, error)
          : !rg_card_responder_set_keywords (self->card_store, self->channel,
                                             (const char * const *) keywords, error))
        return FALSE;
    }

  if (self->wechat != NULL)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->logo_row));
      g_autofree char *logo = g_strstrip (g_strdup (text));

      if (!rg_card_wechat_set_brand_name (self->wechat,
                                          gtk_editable_get_text (GTK_EDITABLE (self->brand_row)),
                                          error) ||
          !rg_card_wechat_set_logo_url (self->wechat, logo[0] != '\0' ? logo : NULL, error))
        return FALSE;
    }

  return rg_card_store_save (self->card_store, self->design, error);
}

/**
 * rg_card_editor_save:
 *
 * Checks the design (the register URL, the accent colour) and writes it, in one transaction
 * with LINE's member-center keywords (blank: back to the default) or the WeChat card's brand
 * name and logo URL. A URL, keyword, brand or logo the core refuses is also shown in place.
 *
 * Returns: %TRUE if the design was saved and the editor is clean
 */
gboolean
rg_card_editor_save (RgCardEditor  *self,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), FALSE);

  if (self->design == NULL || self->card_store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no database to save the %s card to"),
                   rg_card_channel_get_display_name (self->channel));
      return FALSE;
    }

  if (!rg_card_design_validate (self->design, &local_error))
    {
      if (g_error_matches (local_error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL))
        {
          update_url_message (self);
          adw_expander_row_set_expanded (self->require_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->register_url_row));
          gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_url_message,
                                        g_new0 (guint, 1), g_free);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!rg_store_transaction (rg_card_store_get_store (self->card_store), save_in_transaction,
                             self, &local_error))
    {
      if (local_error->domain == RG_CARD_RESPONDER_ERROR)
        show_keywords_message (self, local_error->message);
      else if (local_error->domain == RG_CARD_WECHAT_ERROR)
        show_wechat_message (self, TRUE, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_object (&self->saved);
  self->saved = rg_card_design_copy (self->design);
  load_extras (self);
  update_dirty (self);
  return TRUE;
}

/**
 * rg_card_editor_revert:
 *
 * Puts the saved design back, in place: every widget and the preview follow.
 */
void
rg_card_editor_revert (RgCardEditor *self)
{
  g_return_if_fail (RG_IS_CARD_EDITOR (self));

  if (self->design == NULL || self->saved == NULL)
    return;

  self->syncing = TRUE;
  rg_card_design_assign (self->design, self->saved);
  load_extras (self);
  self->syncing = FALSE;
  show_fields_message (self, NULL);
  show_header_message (self, NULL);
  update_dirty (self);
}

/**
 * rg_card_editor_load_header_image:
 * @file: a PNG or JPEG file
 *
 * Reads @file and makes it the header image; a file the core refuses leaves the header as
 * it was and says why under the header row and in a toast.
 */
void
rg_card_editor_load_header_image (RgCardEditor *self,
                                  GFile        *file)
{
  g_return_if_fail (RG_IS_CARD_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_bytes_async (file, self->cancellable, header_loaded_cb, g_object_ref (self));
}

/**
 * rg_card_editor_dup_export_name:
 *
 * Returns: (transfer full): a file name for the exported card: channel and member number
 */
char *
rg_card_editor_dup_export_name (RgCardEditor *self)
{
  g_autofree char *number = NULL;
  const char *member_number;

  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);

  member_number = self->preview_data != NULL
                  ? rg_card_data_get_member_number (self->preview_data) : NULL;
  if (member_number == NULL || rg_card_data_get_is_sample (self->preview_data))
    /* Translators: part of a file name, “line-card-sample.png” */
    number = g_strdup (C_("file name", "sample"));
  else
    number = g_strcanon (g_strdup (member_number),
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.",
                         '-');
  return g_strdup_printf ("%s-card-%s.png", rg_card_channel_to_string (self->channel), number);
}

/**
 * rg_card_editor_export_png_async:
 * @file: where to write the PNG
 *
 * Draws the previewed card, as edited, at twice the preview's size with the same renderer
 * and writes it to @file.
 */
void
rg_card_editor_export_png_async (RgCardEditor        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) problem = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CARD_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_editor_export_png_async);

  if (self->design == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no card to export yet"));
      return;
    }

  png = rg_card_render_to_png_bytes (self->design, self->preview_data, EXPORT_SCALE,
                                     &problem, &error);
  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (problem != NULL)
    g_task_set_task_data (task, g_strdup (problem->message), g_free);

  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb, g_steal_pointer (&task));
}

/**
 * rg_card_editor_export_png_finish:
 * @problem: (out) (optional) (transfer full) (nullable): what the card shows instead of a
 *   part it could not draw (a barcode that cannot carry the number), written all the same
 *
 * Returns: %TRUE if the PNG was written
 */
gboolean
rg_card_editor_export_png_finish (RgCardEditor  *self,
                                  GAsyncResult  *result,
                                  char         **problem,
                                  GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_card_editor_export_png_async,
                        FALSE);

  if (problem != NULL)
    *problem = g_strdup (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rg_card_editor_new_print_operation:
 *
 * The card as edited and previewed, one page, bank-card wide (85.6 mm), drawn by the same
 * renderer into the printer's cairo context at the printer's resolution. Later edits do not
 * change a print in progress.
 *
 * Returns: (transfer full): a print operation to run
 */
GtkPrintOperation *
rg_card_editor_new_print_operation (RgCardEditor *self)
{
  GtkPrintOperation *operation;
  g_autofree char *job_name = NULL;
  PrintJob *job;

  g_return_val_if_fail (RG_IS_CARD_EDITOR (self), NULL);
  g_return_val_if_fail (self->design != NULL, NULL);

  job = g_new0 (PrintJob, 1);
  job->design = rg_card_design_copy (self->design);
  job->data = g_object_ref (self->preview_data);

  /* Translators: a print job's name, e.g. “LINE member card” */
  job_name = g_strdup_printf (_("%s member card"), rg_card_channel_get_display_name (self->channel));

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb),
                         job, (GClosureNotify) print_job_free, 0);
  return operation;
}

RgCardPreview *
_rg_card_editor_get_preview (RgCardEditor *self)
{
  return self->preview;
}

RgCardMemberPicker *
_rg_card_editor_get_member_picker (RgCardEditor *self)
{
  return self->member_picker;
}

GtkListBox *
_rg_card_editor_get_fields_list (RgCardEditor *self)
{
  return self->fields_list;
}

GtkMenuButton *
_rg_card_editor_get_add_field_button (RgCardEditor *self)
{
  return self->add_field_button;
}

GtkWidget *
_rg_card_editor_get_header_row (RgCardEditor *self)
{
  return GTK_WIDGET (self->header_row);
}

AdwComboRow *
_rg_card_editor_get_barcode_row (RgCardEditor *self)
{
  return self->barcode_row;
}

GtkSwitch *
_rg_card_editor_get_show_icons_switch (RgCardEditor *self)
{
  return self->show_icons_switch;
}

GtkEditable *
_rg_card_editor_get_title_editable (RgCardEditor *self)
{
  return GTK_EDITABLE (self->title_row);
}

GtkEditable *
_rg_card_editor_get_register_url_editable (RgCardEditor *self)
{
  return GTK_EDITABLE (self->register_url_row);
}

const char *
_rg_card_editor_get_barcode_status (RgCardEditor *self)
{
  return gtk_label_get_text (self->barcode_status_label);
}

static const char *
visible_text (GtkWidget *widget,
              GtkLabel  *label)
{
  return gtk_widget_get_visible (widget) ? gtk_label_get_text (label) : NULL;
}

const char *
_rg_card_editor_get_url_message (RgCardEditor *self)
{
  return visible_text (self->url_message_row, self->url_message_label);
}

const char *
_rg_card_editor_get_fields_message (RgCardEditor *self)
{
  return visible_text (self->fields_message, self->fields_message_label);
}

const char *
_rg_card_editor_get_header_message (RgCardEditor *self)
{
  return visible_text (self->header_message, self->header_message_label);
}

const char *
_rg_card_editor_get_problem_text (RgCardEditor *self)
{
  return visible_text (self->problem_box, self->problem_label);
}
