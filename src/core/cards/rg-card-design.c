/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-design"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-card-design-private.h"
#include "rg-card-image-private.h"

#define DEFAULT_ACCENT_COLOR "#2e7d5b"

struct _RgCardDesign
{
  GObject          parent_instance;

  RgCardChannel    channel;
  char            *not_found_message;
  char            *register_button_text;
  char            *register_url;
  char            *title;
  char            *accent_color;
  GBytes          *header_image;
  GListStore      *fields;
  RgCardBarcode    barcode_type;

  /* Decoded header image and its copy scaled for the last box drawn into. */
  cairo_surface_t *header_source;
  cairo_surface_t *header_scaled;
  int              header_box_width;
  int              header_box_height;

  /* While assigning, many changes make one "changed". */
  guint            block_changed;

  guint            enabled : 1;
  guint            require_member_number : 1;
  guint            member_center_enabled : 1;
  guint            show_icons : 1;
  guint            dirty : 1;
};

enum {
  PROP_0,
  PROP_CHANNEL,
  PROP_ENABLED,
  PROP_REQUIRE_MEMBER_NUMBER,
  PROP_NOT_FOUND_MESSAGE,
  PROP_REGISTER_BUTTON_TEXT,
  PROP_REGISTER_URL,
  PROP_MEMBER_CENTER_ENABLED,
  PROP_BARCODE_TYPE,
  PROP_SHOW_ICONS,
  PROP_TITLE,
  PROP_ACCENT_COLOR,
  PROP_HEADER_IMAGE,
  PROP_FIELDS,
  PROP_DIRTY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgCardDesign, rg_card_design, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_dirty (RgCardDesign *self,
           gboolean      dirty)
{
  if (self->dirty == !!dirty)
    return;
  self->dirty = !!dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

/* Every edit ends here: the editor's Save button follows "dirty", the preview "changed". */
static void
emit_changed (RgCardDesign *self)
{
  if (self->block_changed > 0)
    return;
  set_dirty (self, TRUE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
property_changed (RgCardDesign *self,
                  guint         prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  emit_changed (self);
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
field_notify_cb (RgCardDesign *self,
                 GParamSpec   *pspec,
                 RgCardField  *field)
{
  emit_changed (self);
}

static void
fields_items_changed_cb (RgCardDesign *self,
                         guint         position,
                         guint         removed,
                         guint         added,
                         GListModel   *model)
{
  emit_changed (self);
}

static void
watch_field (RgCardDesign *self,
             RgCardField  *field)
{
  g_signal_connect_object (field, "notify", G_CALLBACK (field_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
unwatch_field (RgCardDesign *self,
               RgCardField  *field)
{
  g_signal_handlers_disconnect_by_func (field, field_notify_cb, self);
}

static void
clear_header_cache (RgCardDesign *self)
{
  g_clear_pointer (&self->header_source, cairo_surface_destroy);
  g_clear_pointer (&self->header_scaled, cairo_surface_destroy);
  self->header_box_width = 0;
  self->header_box_height = 0;
}

static void
rg_card_design_dispose (GObject *object)
{
  RgCardDesign *self = (RgCardDesign *)object;

  if (self->fields != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RgCardField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

          unwatch_field (self, field);
        }
      g_signal_handlers_disconnect_by_func (self->fields, fields_items_changed_cb, self);
    }
  g_clear_object (&self->fields);

  G_OBJECT_CLASS (rg_card_design_parent_class)->dispose (object);
}

static void
rg_card_design_finalize (GObject *object)
{
  RgCardDesign *self = (RgCardDesign *)object;

  g_clear_pointer (&self->not_found_message, g_free);
  g_clear_pointer (&self->register_button_text, g_free);
  g_clear_pointer (&self->register_url, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->accent_color, g_free);
  g_clear_pointer (&self->header_image, g_bytes_unref);
  clear_header_cache (self);

  G_OBJECT_CLASS (rg_card_design_parent_class)->finalize (object);
}

static void
rg_card_design_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgCardDesign *self = RG_CARD_DESIGN (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_REQUIRE_MEMBER_NUMBER:
      g_value_set_boolean (value, self->require_member_number);
      break;

    case PROP_NOT_FOUND_MESSAGE:
      g_value_set_string (value, self->not_found_message);
      break;

    case PROP_REGISTER_BUTTON_TEXT:
      g_value_set_string (value, self->register_button_text);
      break;

    case PROP_REGISTER_URL:
      g_value_set_string (value, self->register_url);
      break;

    case PROP_MEMBER_CENTER_ENABLED:
      g_value_set_boolean (value, self->member_center_enabled);
      break;

    case PROP_BARCODE_TYPE:
      g_value_set_enum (value, self->barcode_type);
      break;

    case PROP_SHOW_ICONS:
      g_value_set_boolean (value, self->show_icons);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_ACCENT_COLOR:
      g_value_set_string (value, self->accent_color);
      break;

    case PROP_HEADER_IMAGE:
      g_value_set_boxed (value, self->header_image);
      break;

    case PROP_FIELDS:
      g_value_set_object (value, self->fields);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_design_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgCardDesign *self = RG_CARD_DESIGN (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      self->channel = g_value_get_enum (value);
      break;

    case PROP_ENABLED:
      rg_card_design_set_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_REQUIRE_MEMBER_NUMBER:
      rg_card_design_set_require_member_number (self, g_value_get_boolean (value));
      break;

    case PROP_NOT_FOUND_MESSAGE:
      rg_card_design_set_not_found_message (self, g_value_get_string (value));
      break;

    case PROP_REGISTER_BUTTON_TEXT:
      rg_card_design_set_register_button_text (self, g_value_get_string (value));
      break;

    case PROP_REGISTER_URL:
      rg_card_design_set_register_url (self, g_value_get_string (value));
      break;

    case PROP_MEMBER_CENTER_ENABLED:
      rg_card_design_set_member_center_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_BARCODE_TYPE:
      rg_card_design_set_barcode_type (self, g_value_get_enum (value));
      break;

    case PROP_SHOW_ICONS:
      rg_card_design_set_show_icons (self, g_value_get_boolean (value));
      break;

    case PROP_TITLE:
      rg_card_design_set_title (self, g_value_get_string (value));
      break;

    case PROP_ACCENT_COLOR:
      rg_card_design_set_accent_color (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_design_class_init (RgCardDesignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_card_design_dispose;
  object_class->finalize = rg_card_design_finalize;
  object_class->get_property = rg_card_design_get_property;
  object_class->set_property = rg_card_design_set_property;

  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL,
                       RG_TYPE_CARD_CHANNEL, RG_CARD_CHANNEL_LINE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REQUIRE_MEMBER_NUMBER] =
    g_param_spec_boolean ("require-member-number", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NOT_FOUND_MESSAGE] =
    g_param_spec_string ("not-found-message", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REGISTER_BUTTON_TEXT] =
    g_param_spec_string ("register-button-text", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Any text while typing; rg_card_design_validate() holds it to http(s). */
  properties[PROP_REGISTER_URL] =
    g_param_spec_string ("register-url", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MEMBER_CENTER_ENABLED] =
    g_param_spec_boolean ("member-center-enabled", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BARCODE_TYPE] =
    g_param_spec_enum ("barcode-type", NULL, NULL,
                       RG_TYPE_CARD_BARCODE, RG_CARD_BARCODE_QR,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_ICONS] =
    g_param_spec_boolean ("show-icons", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACCENT_COLOR] =
    g_param_spec_string ("accent-color", NULL, NULL,
                         DEFAULT_ACCENT_COLOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Read-only: an image goes through rg_card_design_set_header_image(), which checks it. */
  properties[PROP_HEADER_IMAGE] =
    g_param_spec_boxed ("header-image", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FIELDS] =
    g_param_spec_object ("fields", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgCardDesign::changed:
   *
   * Anything that shows on the card changed, including a field's label or icon and the
   * order of the fields; the preview redraws.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
rg_card_design_init (RgCardDesign *self)
{
  self->channel = RG_CARD_CHANNEL_LINE;
  self->enabled = FALSE;
  self->require_member_number = FALSE;
  self->member_center_enabled = TRUE;
  self->show_icons = TRUE;
  self->barcode_type = RG_CARD_BARCODE_QR;
  self->not_found_message = g_strdup (_("We could not find your membership. Register to "
                                        "get your member card."));
  self->register_button_text = g_strdup (_("Register"));
  self->register_url = g_strdup ("");
  self->title = g_strdup (_("Member Card"));
  self->accent_color = g_strdup (DEFAULT_ACCENT_COLOR);

  self->fields = g_list_store_new (RG_TYPE_CARD_FIELD);
  g_signal_connect_object (self->fields, "items-changed",
                           G_CALLBACK (fields_items_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * rg_card_register_url_check:
 * @url: the register button's target
 *
 * Returns: %TRUE if @url is an absolute http:// or https:// URL with a host
 */
gboolean
rg_card_register_url_check (const char  *url,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL,
                   _("The register button needs a URL, such as https://example.com/join"));
      return FALSE;
    }

  /* GUri lets spaces through; a phone's browser would not open such a link. */
  for (const char *p = url; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL,
                       _("The register button's URL “%s” is not a web address: it contains a "
                         "space or control character at position %d"),
                       url, (int) (p - url) + 1);
          return FALSE;
        }
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL,
                   _("The register button's URL “%s” is not a web address: %s"),
                   url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL,
                   _("The register button's URL “%s” starts with “%s:”; it must start with "
                     "http:// or https:// so that phones open it in a browser"),
                   url, scheme);
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL,
                   _("The register button's URL “%s” has no host name"), url);
      return FALSE;
    }

  return TRUE;
}

/**
 * rg_card_color_parse:
 * @color: “#rrggbb”
 * @red: (out) (optional):
 * @green: (out) (optional):
 * @blue: (out) (optional):
 *
 * Returns: %TRUE if @color is a “#rrggbb” colour; the channels are 0…1
 */
gboolean
rg_card_color_parse (const char *color,
                     double     *red,
                     double     *green,
                     double     *blue)
{
  guint v[3];

  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;

  for (guint i = 0; i < 3; i++)
    v[i] = g_ascii_xdigit_value (color[1 + 2 * i]) * 16 + g_ascii_xdigit_value (color[2 + 2 * i]);
  if (red != NULL)
    *red = v[0] / 255.0;
  if (green != NULL)
    *green = v[1] / 255.0;
  if (blue != NULL)
    *blue = v[2] / 255.0;
  return TRUE;
}

/**
 * rg_card_design_new:
 * @channel: the channel the design is for
 *
 * Returns: (transfer full): the design a channel has before anything was saved: disabled, a
 *   QR code, name, member number and points balance with icons
 */
RgCardDesign *
rg_card_design_new (RgCardChannel channel)
{
  RgCardDesign *self;
  const char * const defaults[] = {
    RG_CARD_FIELD_NAME, RG_CARD_FIELD_MEMBER_NUMBER, RG_CARD_FIELD_POINTS_BALANCE,
  };

  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  self = g_object_new (RG_TYPE_CARD_DESIGN, "channel", channel, NULL);
  self->block_changed++;
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      g_autoptr(RgCardField) field = rg_card_field_new (defaults[i], NULL);

      rg_card_design_add_field (self, field, NULL);
    }
  self->block_changed--;
  return self;
}

/* Copies every setting of @source into @self without emitting "changed". */
static void
copy_settings (RgCardDesign *self,
               RgCardDesign *source)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (source->fields));
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n;

  g_object_freeze_notify (G_OBJECT (self));
  self->block_changed++;

  rg_card_design_set_enabled (self, source->enabled);
  rg_card_design_set_require_member_number (self, source->require_member_number);
  rg_card_design_set_not_found_message (self, source->not_found_message);
  rg_card_design_set_register_button_text (self, source->register_button_text);
  rg_card_design_set_register_url (self, source->register_url);
  rg_card_design_set_member_center_enabled (self, source->member_center_enabled);
  rg_card_design_set_barcode_type (self, source->barcode_type);
  rg_card_design_set_show_icons (self, source->show_icons);
  rg_card_design_set_title (self, source->title);
  rg_card_design_set_accent_color (self, source->accent_color);
  /* The source's image was checked when it was set. */
  if (self->header_image != source->header_image)
    {
      g_clear_pointer (&self->header_image, g_bytes_unref);
      clear_header_cache (self);
      if (source->header_image != NULL)
        self->header_image = g_bytes_ref (source->header_image);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_IMAGE]);
    }

  old_n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < old_n; i++)
    {
      g_autoptr(RgCardField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      unwatch_field (self, field);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgCardField) field = g_list_model_get_item (G_LIST_MODEL (source->fields), i);
      RgCardField *copy = rg_card_field_copy (field);

      watch_field (self, copy);
      g_ptr_array_add (copies, copy);
    }
  g_list_store_splice (self->fields, 0, old_n, copies->pdata, copies->len);

  self->block_changed--;
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * rg_card_design_copy:
 *
 * Returns: (transfer full): an independent design with the same channel and settings (fields
 *   copied, not shared), not dirty — the editor keeps one as the saved state for Revert
 */
RgCardDesign *
rg_card_design_copy (RgCardDesign *self)
{
  RgCardDesign *copy;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  copy = g_object_new (RG_TYPE_CARD_DESIGN, "channel", self->channel, NULL);
  copy_settings (copy, self);
  /* Decoding the header again would cost more than sharing the immutable surface. */
  if (self->header_source != NULL && copy->header_source == NULL)
    copy->header_source = cairo_surface_reference (self->header_source);
  return copy;
}

/**
 * rg_card_design_assign:
 * @source: the design to take every setting from (its channel is not taken)
 *
 * Makes @self equal to @source in place, emitting "changed" once, and leaves it clean — this
 * is Revert, and it keeps widgets bound to @self.
 */
void
rg_card_design_assign (RgCardDesign *self,
                       RgCardDesign *source)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));
  g_return_if_fail (RG_IS_CARD_DESIGN (source));

  if (self == source)
    return;

  copy_settings (self, source);
  g_signal_emit (self, signals[CHANGED], 0);
  set_dirty (self, FALSE);
}

/**
 * rg_card_design_equal:
 *
 * Returns: %TRUE if both designs draw the same card: every setting, field, label, icon and
 *   image is equal (the channel and the dirty flag are not compared)
 */
gboolean
rg_card_design_equal (RgCardDesign *self,
                      RgCardDesign *other)
{
  guint n;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);
  g_return_val_if_fail (RG_IS_CARD_DESIGN (other), FALSE);

  if (self->enabled != other->enabled ||
      self->require_member_number != other->require_member_number ||
      self->member_center_enabled != other->member_center_enabled ||
      self->show_icons != other->show_icons ||
      self->barcode_type != other->barcode_type ||
      !g_str_equal (self->not_found_message, other->not_found_message) ||
      !g_str_equal (self->register_button_text, other->register_button_text) ||
      !g_str_equal (self->register_url, other->register_url) ||
      !g_str_equal (self->title, other->title) ||
      !g_str_equal (self->accent_color, other->accent_color))
    return FALSE;

  if (self->header_image == NULL || other->header_image == NULL)
    {
      if (self->header_image != other->header_image)
        return FALSE;
    }
  else if (!g_bytes_equal (self->header_image, other->header_image))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  if (n != g_list_model_get_n_items (G_LIST_MODEL (other->fields)))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgCardField) a = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      g_autoptr(RgCardField) b = g_list_model_get_item (G_LIST_MODEL (other->fields), i);

      if (!rg_card_field_equal (a, b))
        return FALSE;
    }
  return TRUE;
}

/**
 * rg_card_design_validate:
 *
 * Checks what the editor lets the merchant type freely: the register URL (required and
 * http(s) when the member number is required, http(s) whenever given) and the accent colour.
 * Fields, icons and the header image are checked as they are set.
 *
 * Returns: %TRUE if the design can be saved; otherwise @error's code names the setting
 */
gboolean
rg_card_design_validate (RgCardDesign  *self,
                         GError       **error)
{
  guint n;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  if ((self->require_member_number || self->register_url[0] != '\0') &&
      !rg_card_register_url_check (self->register_url, error))
    return FALSE;

  if (!rg_card_color_parse (self->accent_color, NULL, NULL, NULL))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_COLOR,
                   _("The accent colour “%s” is not a colour written as #rrggbb"),
                   self->accent_color);
      return FALSE;
    }

  /* The API refuses duplicates already; this keeps a design from another path honest. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgCardField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      guint first;

      rg_card_design_find_field (self, rg_card_field_get_id (field), &first);
      if (first != i)
        {
          g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_DUPLICATE_FIELD,
                       _("“%s” is already on the card; each field can appear once"),
                       rg_card_field_get_label (field));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * rg_card_design_get_dirty:
 *
 * Returns: %TRUE if the design changed since it was created, loaded, saved or reverted
 */
gboolean
rg_card_design_get_dirty (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  return self->dirty;
}

void
rg_card_design_clear_dirty (RgCardDesign *self)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  set_dirty (self, FALSE);
}

RgCardChannel
rg_card_design_get_channel (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), 0);

  return self->channel;
}

gboolean
rg_card_design_get_enabled (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  return self->enabled;
}

void
rg_card_design_set_enabled (RgCardDesign *self,
                            gboolean      enabled)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (self->enabled == !!enabled)
    return;
  self->enabled = !!enabled;
  property_changed (self, PROP_ENABLED);
}

gboolean
rg_card_design_get_require_member_number (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  return self->require_member_number;
}

void
rg_card_design_set_require_member_number (RgCardDesign *self,
                                          gboolean      require)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (self->require_member_number == !!require)
    return;
  self->require_member_number = !!require;
  property_changed (self, PROP_REQUIRE_MEMBER_NUMBER);
}

const char *
rg_card_design_get_not_found_message (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->not_found_message;
}

void
rg_card_design_set_not_found_message (RgCardDesign *self,
                                      const char   *message)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (replace_string (&self->not_found_message, message))
    property_changed (self, PROP_NOT_FOUND_MESSAGE);
}

const char *
rg_card_design_get_register_button_text (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->register_button_text;
}

void
rg_card_design_set_register_button_text (RgCardDesign *self,
                                         const char   *text)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (replace_string (&self->register_button_text, text))
    property_changed (self, PROP_REGISTER_BUTTON_TEXT);
}

const char *
rg_card_design_get_register_url (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->register_url;
}

/**
 * rg_card_design_set_register_url:
 *
 * Takes any text, so that an entry can be typed into; rg_card_register_url_check() and
 * rg_card_design_validate() say whether it is usable.
 */
void
rg_card_design_set_register_url (RgCardDesign *self,
                                 const char   *url)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (replace_string (&self->register_url, url))
    property_changed (self, PROP_REGISTER_URL);
}

gboolean
rg_card_design_get_member_center_enabled (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  return self->member_center_enabled;
}

void
rg_card_design_set_member_center_enabled (RgCardDesign *self,
                                          gboolean      enabled)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (self->member_center_enabled == !!enabled)
    return;
  self->member_center_enabled = !!enabled;
  property_changed (self, PROP_MEMBER_CENTER_ENABLED);
}

RgCardBarcode
rg_card_design_get_barcode_type (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), 0);

  return self->barcode_type;
}

void
rg_card_design_set_barcode_type (RgCardDesign  *self,
                                 RgCardBarcode  type)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));
  g_return_if_fail ((guint) type < RG_CARD_BARCODE_COUNT);

  if (self->barcode_type == type)
    return;
  self->barcode_type = type;
  property_changed (self, PROP_BARCODE_TYPE);
}

gboolean
rg_card_design_get_show_icons (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  return self->show_icons;
}

void
rg_card_design_set_show_icons (RgCardDesign *self,
                               gboolean      show_icons)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (self->show_icons == !!show_icons)
    return;
  self->show_icons = !!show_icons;
  property_changed (self, PROP_SHOW_ICONS);
}

const char *
rg_card_design_get_title (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->title;
}

void
rg_card_design_set_title (RgCardDesign *self,
                          const char   *title)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (replace_string (&self->title, title))
    property_changed (self, PROP_TITLE);
}

const char *
rg_card_design_get_accent_color (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->accent_color;
}

/**
 * rg_card_design_set_accent_color:
 * @color: “#rrggbb”; anything else is kept for the editor but drawn with the default colour
 *   and refused by rg_card_design_validate()
 */
void
rg_card_design_set_accent_color (RgCardDesign *self,
                                 const char   *color)
{
  g_return_if_fail (RG_IS_CARD_DESIGN (self));

  if (replace_string (&self->accent_color, color))
    property_changed (self, PROP_ACCENT_COLOR);
}

/**
 * rg_card_design_get_header_image:
 *
 * Returns: (transfer none) (nullable): the header PNG or JPEG, or %NULL for none
 */
GBytes *
rg_card_design_get_header_image (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return self->header_image;
}

/**
 * rg_card_design_set_header_image:
 * @image: (nullable): a PNG or JPEG of any size, or %NULL to remove the header
 *
 * Returns: %TRUE if the image was taken; an unreadable file is refused and the current image
 *   stays
 */
gboolean
rg_card_design_set_header_image (RgCardDesign  *self,
                                 GBytes        *image,
                                 GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);

  if (image != NULL && !rg_card_header_image_check (image, error))
    return FALSE;

  if (self->header_image == image ||
      (self->header_image != NULL && image != NULL && g_bytes_equal (self->header_image, image)))
    return TRUE;

  g_clear_pointer (&self->header_image, g_bytes_unref);
  clear_header_cache (self);
  if (image != NULL)
    self->header_image = g_bytes_ref (image);
  property_changed (self, PROP_HEADER_IMAGE);
  return TRUE;
}

/**
 * rg_card_design_get_fields:
 *
 * Returns: (transfer none): the displayed fields in card order, a #GListModel of
 *   #RgCardField; change it through the design's field functions
 */
GListModel *
rg_card_design_get_fields (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  return G_LIST_MODEL (self->fields);
}

guint
rg_card_design_get_n_fields (RgCardDesign *self)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->fields));
}

/**
 * rg_card_design_get_field:
 *
 * Returns: (transfer none) (nullable): the field at @position
 */
RgCardField *
rg_card_design_get_field (RgCardDesign *self,
                          guint         position)
{
  g_autoptr(RgCardField) field = NULL;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  /* The store keeps its own reference, so handing out a borrowed pointer is safe. */
  field = g_list_model_get_item (G_LIST_MODEL (self->fields), position);
  return field;
}

/**
 * rg_card_design_find_field:
 * @position: (out) (optional): where the field is
 *
 * Returns: (transfer none) (nullable): the field showing @field_id, if it is on the card
 */
RgCardField *
rg_card_design_find_field (RgCardDesign *self,
                           const char   *field_id,
                           guint        *position)
{
  guint n;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgCardField) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

      if (g_str_equal (rg_card_field_get_id (field), field_id))
        {
          if (position != NULL)
            *position = i;
          return field;
        }
    }
  if (position != NULL)
    *position = G_MAXUINT;
  return NULL;
}

/**
 * rg_card_design_insert_field:
 * @position: where to insert; past the end appends
 * @field: a field not on any other design
 *
 * Refuses a field whose id is already on the card, naming the label it has there. There is
 * no upper limit on the number of fields.
 *
 * Returns: %TRUE if @field was inserted
 */
gboolean
rg_card_design_insert_field (RgCardDesign  *self,
                             guint          position,
                             RgCardField   *field,
                             GError       **error)
{
  RgCardField *existing;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), FALSE);
  g_return_val_if_fail (RG_IS_CARD_FIELD (field), FALSE);

  existing = rg_card_design_find_field (self, rg_card_field_get_id (field), NULL);
  if (existing != NULL)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_DUPLICATE_FIELD,
                   _("“%s” is already on the card; each field can appear once"),
                   rg_card_field_get_label (existing));
      return FALSE;
    }

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->fields)));
  watch_field (self, field);
  g_list_store_insert (self->fields, position, field);
  return TRUE;
}

gboolean
rg_card_design_add_field (RgCardDesign  *self,
                          RgCardField   *field,
                          GError       **error)
{
  return rg_card_design_insert_field (self, G_MAXUINT, field, error);
}

void
rg_card_design_remove_field (RgCardDesign *self,
                             guint         position)
{
  g_autoptr(RgCardField) field = NULL;

  g_return_if_fail (RG_IS_CARD_DESIGN (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->fields)));

  field = g_list_model_get_item (G_LIST_MODEL (self->fields), position);
  unwatch_field (self, field);
  g_list_store_remove (self->fields, position);
}

/**
 * rg_card_design_move_field:
 * @from: the field's position
 * @to: its new position
 *
 * Moves one field (drag and drop, or up/down buttons) with a single items-changed.
 */
void
rg_card_design_move_field (RgCardDesign *self,
                           guint         from,
                           guint         to)
{
  guint n, first, count;
  g_autoptr(GPtrArray) items = NULL;
  gpointer moved;

  g_return_if_fail (RG_IS_CARD_DESIGN (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  g_return_if_fail (from < n);
  g_return_if_fail (to < n);

  if (from == to)
    return;

  first = MIN (from, to);
  count = MAX (from, to) - first + 1;
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = first; i < first + count; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->fields), i));

  moved = g_ptr_array_steal_index (items, from - first);
  g_ptr_array_insert (items, to - first, moved);
  g_list_store_splice (self->fields, first, count, items->pdata, items->len);
}

/**
 * _rg_card_design_get_header_surface:
 * @box_width: the header box in device pixels
 * @box_height:
 *
 * Returns: (transfer none) (nullable): the header image scaled proportionally to fit inside
 *   the box (the caller centres it and paints the bands), cached until the next change
 */
cairo_surface_t *
_rg_card_design_get_header_surface (RgCardDesign *self,
                                    int           box_width,
                                    int           box_height)
{
  g_autoptr(cairo_t) cr = NULL;
  int src_width, src_height, width, height;
  double ratio;

  g_assert (RG_IS_CARD_DESIGN (self));

  if (self->header_image == NULL || box_width <= 0 || box_height <= 0)
    return NULL;

  if (self->header_scaled != NULL &&
      self->header_box_width == box_width && self->header_box_height == box_height)
    return self->header_scaled;

  if (self->header_source == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->header_source = _rg_card_image_decode (self->header_image,
                                                   2 * RG_CARD_HEADER_WIDTH,
                                                   2 * RG_CARD_HEADER_HEIGHT,
                                                   &error);
      if (self->header_source == NULL)
        {
          g_warning ("The header image was checked but cannot be decoded: %s", error->message);
          return NULL;
        }
    }

  src_width = cairo_image_surface_get_width (self->header_source);
  src_height = cairo_image_surface_get_height (self->header_source);
  ratio = MIN ((double) box_width / src_width, (double) box_height / src_height);
  width = MAX (1, (int) (src_width * ratio + 0.5));
  height = MAX (1, (int) (src_height * ratio + 0.5));
  /* A band thinner than a pixel would only be a blurred edge from rounding the box. */
  if (ABS (width - box_width) <= 1)
    width = box_width;
  if (ABS (height - box_height) <= 1)
    height = box_height;

  g_clear_pointer (&self->header_scaled, cairo_surface_destroy);
  self->header_scaled = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (self->header_scaled);
  cairo_scale (cr, (double) width / src_width, (double) height / src_height);
  cairo_set_source_surface (cr, self->header_source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);

  self->header_box_width = box_width;
  self->header_box_height = box_height;
  return self->header_scaled;
}
