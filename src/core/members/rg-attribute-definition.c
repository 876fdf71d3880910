/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-attribute-definition.h"
#include "rg-member-error.h"
#include "rg-member-store-private.h"

#define MAX_TEXT_CHARS 1000

struct _RgAttributeDefinition
{
  GObject          parent_instance;

  char            *key;
  char            *label;
  RgAttributeType  type;
  int              position;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_LABEL,
  PROP_VALUE_TYPE,
  PROP_POSITION,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (RgAttributeType, rg_attribute_type,
  G_DEFINE_ENUM_VALUE (RG_ATTRIBUTE_TYPE_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (RG_ATTRIBUTE_TYPE_NUMBER, "number"),
  G_DEFINE_ENUM_VALUE (RG_ATTRIBUTE_TYPE_DATE, "date"),
  G_DEFINE_ENUM_VALUE (RG_ATTRIBUTE_TYPE_YES_NO, "yes-no"))

G_DEFINE_FINAL_TYPE (RgAttributeDefinition, rg_attribute_definition, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *string;
  const char *label;
} type_names[] = {
  [RG_ATTRIBUTE_TYPE_TEXT] = { "text", N_("Text") },
  [RG_ATTRIBUTE_TYPE_NUMBER] = { "number", N_("Number") },
  [RG_ATTRIBUTE_TYPE_DATE] = { "date", N_("Date") },
  [RG_ATTRIBUTE_TYPE_YES_NO] = { "yes-no", N_("Yes/No") },
};

static gboolean
normalize_text (const char  *input,
                char       **normalized,
                GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (input));

  if (g_utf8_strlen (text, -1) > MAX_TEXT_CHARS)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("“%.20s…” is longer than %d characters"), text, MAX_TEXT_CHARS);
      return FALSE;
    }
  if (_rg_member_has_control_chars (text, TRUE))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("“%s” contains a control character"), text);
      return FALSE;
    }

  *normalized = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
append_integer_part (GString    *out,
                     const char *start,
                     const char *end)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean grouped = FALSE;
  gsize group = 0;
  const char *p;

  if (start == end)
    return FALSE;

  for (p = start; p < end; p++)
    {
      if (*p == ',')
        {
          /* "1,234,567" as Excel writes it; any other comma is ambiguous (a decimal comma?). */
          if (group == 0 || group > 3 || (grouped && group != 3))
            return FALSE;
          grouped = TRUE;
          group = 0;
        }
      else if (g_ascii_isdigit (*p))
        {
          g_string_append_c (digits, *p);
          group++;
        }
      else
        return FALSE;
    }
  if (grouped && group != 3)
    return FALSE;

  /* Leading zeros say nothing about the number. */
  p = digits->str;
  while (p[0] == '0' && p[1] != '\0')
    p++;
  g_string_append (out, p);
  return TRUE;
}

static gboolean
normalize_number (const char  *input,
                  char       **normalized,
                  GError     **error)
{
  g_autofree char *folded = _rg_member_fold_full_width (input);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = g_strstrip (folded);
  const char *dot;
  const char *end = p + strlen (p);
  gboolean negative = FALSE;

  if (*p == '+' || *p == '-')
    {
      negative = *p == '-';
      p++;
    }

  dot = strchr (p, '.');
  if (negative)
    g_string_append_c (out, '-');
  if (!append_integer_part (out, p, dot != NULL ? dot : end))
    {
      /* ".5" is a number too. */
      if (dot == NULL || dot != p)
        goto invalid;
      g_string_append_c (out, '0');
    }

  if (dot != NULL)
    {
      const char *frac_end = end;

      if (dot + 1 == end)
        goto invalid;
      for (const char *q = dot + 1; q < end; q++)
        if (!g_ascii_isdigit (*q))
          goto invalid;
      while (frac_end > dot + 1 && frac_end[-1] == '0')
        frac_end--;
      if (frac_end > dot + 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, dot + 1, frac_end - (dot + 1));
        }
    }

  if (g_str_equal (out->str, "-0"))
    g_string_assign (out, "0");

  *normalized = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;

invalid:
  rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                       _("“%s” is not a number"), input);
  return FALSE;
}

static gboolean
parse_date_part (const char  *p,
                 const char **end,
                 guint        min_digits,
                 guint        max_digits,
                 guint       *value)
{
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (p[n]) && n < max_digits)
    {
      *value = *value * 10 + (p[n] - '0');
      n++;
    }
  *end = p + n;
  return n >= min_digits && !g_ascii_isdigit (p[n]);
}

static gboolean
normalize_date (const char  *input,
                char       **normalized,
                GError     **error)
{
  g_autofree char *folded = _rg_member_fold_full_width (input);
  const char *p = g_strstrip (folded);
  guint year, month, day;
  char separator;

  /* YYYY-MM-DD, and YYYY/MM/DD or YYYY/M/D as Taiwanese spreadsheets write dates. */
  if (!parse_date_part (p, &p, 4, 4, &year))
    goto invalid;
  separator = *p;
  if (separator != '-' && separator != '/')
    goto invalid;
  if (!parse_date_part (p + 1, &p, 1, 2, &month) || *p != separator)
    goto invalid;
  if (!parse_date_part (p + 1, &p, 1, 2, &day) || *p != '\0')
    goto invalid;
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    goto invalid;

  *normalized = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  return TRUE;

invalid:
  rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                       _("“%s” is not a date (use YYYY-MM-DD)"), input);
  return FALSE;
}

static gboolean
normalize_yes_no (const char  *input,
                  char       **normalized,
                  GError     **error)
{
  static const char * const yes[] = { "yes", "y", "true", "1", "是", NULL };
  static const char * const no[] = { "no", "n", "false", "0", "否", NULL };
  g_autofree char *folded = _rg_member_fold_full_width (input);
  g_autofree char *lower = g_ascii_strdown (g_strstrip (folded), -1);

  if (g_strv_contains (yes, lower))
    *normalized = g_strdup ("yes");
  else if (g_strv_contains (no, lower))
    *normalized = g_strdup ("no");
  else
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("“%s” is not yes or no"), input);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_attribute_type_normalize:
 * @input: what the user typed or the CSV held
 * @normalized: (out) (transfer full): the stored form: text trimmed, numbers without
 *   grouping or superfluous zeros ("1,250.50" → "1250.5"), dates as YYYY-MM-DD, yes/no as
 *   "yes" or "no"
 *
 * Returns: %FALSE with an %RG_MEMBER_ERROR_INVALID naming @input when it does not fit @type;
 *   an empty value is refused too (the caller decides whether empty means "unset").
 */
gboolean
rg_attribute_type_normalize (RgAttributeType   type,
                             const char       *input,
                             char            **normalized,
                             GError          **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (normalized != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *normalized = NULL;

  if (!g_utf8_validate (input, -1, NULL))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("The value is not valid UTF-8 text"));
      return FALSE;
    }

  trimmed = g_strstrip (g_strdup (input));
  if (trimmed[0] == '\0')
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL, _("A value is required"));
      return FALSE;
    }

  switch (type)
    {
    case RG_ATTRIBUTE_TYPE_TEXT:
      return normalize_text (input, normalized, error);
    case RG_ATTRIBUTE_TYPE_NUMBER:
      return normalize_number (input, normalized, error);
    case RG_ATTRIBUTE_TYPE_DATE:
      return normalize_date (input, normalized, error);
    case RG_ATTRIBUTE_TYPE_YES_NO:
      return normalize_yes_no (input, normalized, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * rg_attribute_type_to_string:
 *
 * Returns: the stored name: "text", "number", "date" or "yes-no"
 */
const char *
rg_attribute_type_to_string (RgAttributeType type)
{
  g_return_val_if_fail (type <= RG_ATTRIBUTE_TYPE_YES_NO, NULL);

  return type_names[type].string;
}

gboolean
rg_attribute_type_from_string (const char      *string,
                               RgAttributeType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_str_equal (string, type_names[i].string))
        {
          *type = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * rg_attribute_type_get_label:
 *
 * Returns: the translated name of @type for display
 */
const char *
rg_attribute_type_get_label (RgAttributeType type)
{
  g_return_val_if_fail (type <= RG_ATTRIBUTE_TYPE_YES_NO, NULL);

  return _(type_names[type].label);
}

/**
 * rg_attribute_key_is_valid:
 *
 * Returns: whether @key has the form `[a-z][a-z0-9_]*` (at most 64 characters)
 */
gboolean
rg_attribute_key_is_valid (const char *key)
{
  gsize len;

  if (key == NULL || !g_ascii_islower (key[0]))
    return FALSE;

  len = strlen (key);
  if (len > 64)
    return FALSE;

  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (key[i]) && !g_ascii_isdigit (key[i]) && key[i] != '_')
      return FALSE;

  return TRUE;
}

static void
rg_attribute_definition_finalize (GObject *object)
{
  RgAttributeDefinition *self = (RgAttributeDefinition *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (rg_attribute_definition_parent_class)->finalize (object);
}

static void
rg_attribute_definition_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgAttributeDefinition *self = RG_ATTRIBUTE_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_VALUE_TYPE:
      g_value_set_enum (value, self->type);
      break;

    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_attribute_definition_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgAttributeDefinition *self = RG_ATTRIBUTE_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_KEY:
      rg_attribute_definition_set_key (self, g_value_get_string (value));
      break;

    case PROP_LABEL:
      rg_attribute_definition_set_label (self, g_value_get_string (value));
      break;

    case PROP_VALUE_TYPE:
      rg_attribute_definition_set_value_type (self, g_value_get_enum (value));
      break;

    case PROP_POSITION:
      rg_attribute_definition_set_position (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_attribute_definition_class_init (RgAttributeDefinitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_attribute_definition_finalize;
  object_class->get_property = rg_attribute_definition_get_property;
  object_class->set_property = rg_attribute_definition_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE_TYPE] =
    g_param_spec_enum ("value-type", NULL, NULL,
                       RG_TYPE_ATTRIBUTE_TYPE,
                       RG_ATTRIBUTE_TYPE_TEXT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_attribute_definition_init (RgAttributeDefinition *self)
{
}

RgAttributeDefinition *
rg_attribute_definition_new (const char      *key,
                             const char      *label,
                             RgAttributeType  type)
{
  return g_object_new (RG_TYPE_ATTRIBUTE_DEFINITION,
                       "key", key,
                       "label", label,
                       "value-type", type,
                       NULL);
}

/**
 * rg_attribute_definition_copy:
 *
 * Returns: (transfer full): a new definition with the same values, for editing
 */
RgAttributeDefinition *
rg_attribute_definition_copy (RgAttributeDefinition *self)
{
  RgAttributeDefinition *copy;

  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self), NULL);

  copy = rg_attribute_definition_new (self->key, self->label, self->type);
  copy->position = self->position;
  return copy;
}

const char *
rg_attribute_definition_get_key (RgAttributeDefinition *self)
{
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self), NULL);

  return self->key;
}

void
rg_attribute_definition_set_key (RgAttributeDefinition *self,
                                 const char            *key)
{
  g_return_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self));

  if (g_strcmp0 (self->key, key) != 0)
    {
      g_free (self->key);
      self->key = g_strdup (key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
    }
}

const char *
rg_attribute_definition_get_label (RgAttributeDefinition *self)
{
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self), NULL);

  return self->label;
}

void
rg_attribute_definition_set_label (RgAttributeDefinition *self,
                                   const char            *label)
{
  g_return_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self));

  if (g_strcmp0 (self->label, label) != 0)
    {
      g_free (self->label);
      self->label = g_strdup (label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
    }
}

RgAttributeType
rg_attribute_definition_get_value_type (RgAttributeDefinition *self)
{
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self), RG_ATTRIBUTE_TYPE_TEXT);

  return self->type;
}

void
rg_attribute_definition_set_value_type (RgAttributeDefinition *self,
                                        RgAttributeType        type)
{
  g_return_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self));
  g_return_if_fail (type <= RG_ATTRIBUTE_TYPE_YES_NO);

  if (self->type != type)
    {
      self->type = type;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE_TYPE]);
    }
}

int
rg_attribute_definition_get_position (RgAttributeDefinition *self)
{
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self), 0);

  return self->position;
}

void
rg_attribute_definition_set_position (RgAttributeDefinition *self,
                                      int                    position)
{
  g_return_if_fail (RG_IS_ATTRIBUTE_DEFINITION (self));

  if (self->position != position)
    {
      self->position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
}
