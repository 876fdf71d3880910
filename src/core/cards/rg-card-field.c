/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-field"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-card-field-private.h"
#include "rg-card-image-private.h"

/* Uploaded icons are decoded once, no larger than needed for a 20 px icon at scale 4. */
#define ICON_DECODE_SIZE 96

struct _RgCardField
{
  GObject          parent_instance;

  char            *id;
  char            *label;
  GBytes          *icon;
  cairo_surface_t *icon_surface;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_ICON,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgCardField, rg_card_field, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *id;
  const char *label;
} builtin_fields[] = {
  { RG_CARD_FIELD_NAME, N_("Name") },
  { RG_CARD_FIELD_MEMBER_NUMBER, N_("Member number") },
  { RG_CARD_FIELD_PHONE, N_("Phone") },
  { RG_CARD_FIELD_EMAIL, N_("Email") },
  { RG_CARD_FIELD_ACCUMULATED_POINTS, N_("Accumulated points") },
  { RG_CARD_FIELD_POINTS_BALANCE, N_("Points balance") },
  { RG_CARD_FIELD_STORED_VALUE, N_("Stored value") },
};

static const char * const builtin_ids[] = {
  RG_CARD_FIELD_NAME,
  RG_CARD_FIELD_MEMBER_NUMBER,
  RG_CARD_FIELD_PHONE,
  RG_CARD_FIELD_EMAIL,
  RG_CARD_FIELD_ACCUMULATED_POINTS,
  RG_CARD_FIELD_POINTS_BALANCE,
  RG_CARD_FIELD_STORED_VALUE,
  NULL
};

/* The members' attribute key rule (migration 2): [a-z][a-z0-9_]*. */
static gboolean
attribute_key_is_valid (const char *key)
{
  if (key == NULL || !g_ascii_islower (key[0]))
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * rg_card_field_get_builtin_ids:
 *
 * Returns: (transfer none): the member's own fields a card can show, in the editor's order
 */
const char * const *
rg_card_field_get_builtin_ids (void)
{
  return builtin_ids;
}

/**
 * rg_card_field_id_check:
 * @field_id: "name", "member_number", "phone", "email", "accumulated_points",
 *   "points_balance", "stored_value" or "attr:<key>"
 *
 * Returns: %TRUE if a card can show @field_id
 */
gboolean
rg_card_field_id_check (const char  *field_id,
                        GError     **error)
{
  if (field_id != NULL)
    {
      if (g_str_has_prefix (field_id, RG_CARD_FIELD_ATTRIBUTE_PREFIX))
        {
          if (attribute_key_is_valid (field_id + strlen (RG_CARD_FIELD_ATTRIBUTE_PREFIX)))
            return TRUE;
          g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_FIELD_ID,
                       _("“%s” does not name an attribute: after “attr:” comes a key of "
                         "lowercase letters, digits and underscores that starts with a letter"),
                       field_id);
          return FALSE;
        }
      if (g_strv_contains (builtin_ids, field_id))
        return TRUE;
    }

  g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_FIELD_ID,
               _("“%s” is not a field a card can show (name, member_number, phone, email, "
                 "accumulated_points, points_balance, stored_value or attr:<key>)"),
               field_id ? field_id : "");
  return FALSE;
}

/**
 * rg_card_field_id_get_default_label:
 *
 * Returns: (nullable): the translated label of a built-in field, %NULL for attributes
 */
const char *
rg_card_field_id_get_default_label (const char *field_id)
{
  g_return_val_if_fail (field_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtin_fields); i++)
    if (g_str_equal (builtin_fields[i].id, field_id))
      return _(builtin_fields[i].label);
  return NULL;
}

static void
rg_card_field_finalize (GObject *object)
{
  RgCardField *self = (RgCardField *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->icon, g_bytes_unref);
  g_clear_pointer (&self->icon_surface, cairo_surface_destroy);

  G_OBJECT_CLASS (rg_card_field_parent_class)->finalize (object);
}

static void
rg_card_field_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RgCardField *self = RG_CARD_FIELD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_ICON:
      g_value_set_boxed (value, self->icon);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_field_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RgCardField *self = RG_CARD_FIELD (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      rg_card_field_set_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_field_class_init (RgCardFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_card_field_finalize;
  object_class->get_property = rg_card_field_get_property;
  object_class->set_property = rg_card_field_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Read-only: an icon goes through rg_card_field_set_icon(), which checks it. */
  properties[PROP_ICON] =
    g_param_spec_boxed ("icon", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_card_field_init (RgCardField *self)
{
  self->label = g_strdup ("");
}

/**
 * rg_card_field_new:
 * @field_id: a valid field id (see rg_card_field_id_check())
 * @label: (nullable): the label on the card; %NULL for the field's default label (the
 *   attribute key for attributes)
 *
 * Returns: (transfer full): a field with the default icon
 */
RgCardField *
rg_card_field_new (const char *field_id,
                   const char *label)
{
  g_return_val_if_fail (rg_card_field_id_check (field_id, NULL), NULL);

  if (label == NULL)
    {
      label = rg_card_field_id_get_default_label (field_id);
      if (label == NULL)
        label = field_id + strlen (RG_CARD_FIELD_ATTRIBUTE_PREFIX);
    }

  return g_object_new (RG_TYPE_CARD_FIELD,
                       "id", field_id,
                       "label", label,
                       NULL);
}

/**
 * rg_card_field_copy:
 *
 * Returns: (transfer full): a new field with the same id, label and icon
 */
RgCardField *
rg_card_field_copy (RgCardField *self)
{
  RgCardField *copy;

  g_return_val_if_fail (RG_IS_CARD_FIELD (self), NULL);

  copy = rg_card_field_new (self->id, self->label);
  if (self->icon != NULL)
    copy->icon = g_bytes_ref (self->icon);
  return copy;
}

gboolean
rg_card_field_equal (RgCardField *self,
                     RgCardField *other)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD (self), FALSE);
  g_return_val_if_fail (RG_IS_CARD_FIELD (other), FALSE);

  if (!g_str_equal (self->id, other->id) || !g_str_equal (self->label, other->label))
    return FALSE;
  if (self->icon == NULL || other->icon == NULL)
    return self->icon == other->icon;
  return g_bytes_equal (self->icon, other->icon);
}

const char *
rg_card_field_get_id (RgCardField *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD (self), NULL);

  return self->id;
}

const char *
rg_card_field_get_label (RgCardField *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD (self), NULL);

  return self->label;
}

void
rg_card_field_set_label (RgCardField *self,
                         const char  *label)
{
  g_return_if_fail (RG_IS_CARD_FIELD (self));

  if (label == NULL)
    label = "";
  if (g_strcmp0 (self->label, label) == 0)
    return;

  g_free (self->label);
  self->label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/**
 * rg_card_field_get_icon:
 *
 * Returns: (transfer none) (nullable): the uploaded PNG, or %NULL for the default icon
 */
GBytes *
rg_card_field_get_icon (RgCardField *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD (self), NULL);

  return self->icon;
}

/**
 * rg_card_field_set_icon:
 * @png: (nullable): a square PNG under 1 MB, or %NULL for the default icon
 *
 * Refuses anything rg_card_icon_check() refuses, leaving the current icon in place.
 *
 * Returns: %TRUE if the icon was taken
 */
gboolean
rg_card_field_set_icon (RgCardField  *self,
                        GBytes       *png,
                        GError      **error)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD (self), FALSE);

  if (png != NULL && !rg_card_icon_check (png, error))
    return FALSE;

  if (self->icon == png || (self->icon != NULL && png != NULL && g_bytes_equal (self->icon, png)))
    return TRUE;

  g_clear_pointer (&self->icon, g_bytes_unref);
  g_clear_pointer (&self->icon_surface, cairo_surface_destroy);
  if (png != NULL)
    self->icon = g_bytes_ref (png);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON]);
  return TRUE;
}

void
rg_card_field_reset_icon (RgCardField *self)
{
  g_return_if_fail (RG_IS_CARD_FIELD (self));

  rg_card_field_set_icon (self, NULL, NULL);
}

/**
 * _rg_card_field_get_icon_surface:
 *
 * Returns: (transfer none) (nullable): the decoded uploaded icon, %NULL for the default
 */
cairo_surface_t *
_rg_card_field_get_icon_surface (RgCardField *self)
{
  g_assert (RG_IS_CARD_FIELD (self));

  if (self->icon == NULL)
    return NULL;
  if (self->icon_surface == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->icon_surface = _rg_card_image_decode (self->icon, ICON_DECODE_SIZE, ICON_DECODE_SIZE,
                                                  &error);
      if (self->icon_surface == NULL)
        g_warning ("Field “%s”: the icon was checked but cannot be decoded: %s",
                   self->id, error->message);
    }
  return self->icon_surface;
}
