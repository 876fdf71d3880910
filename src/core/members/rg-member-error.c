/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include "rg-member-error.h"

typedef struct
{
  char *field;
} RgMemberErrorPrivate;

static void
rg_member_error_private_init (RgMemberErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
rg_member_error_private_copy (const RgMemberErrorPrivate *src,
                              RgMemberErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
rg_member_error_private_clear (RgMemberErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

/* An extended domain carries the failing field with the message, so the editor can put the
 * message next to the right entry and the importer can name the column. */
G_DEFINE_EXTENDED_ERROR (RgMemberError, rg_member_error)

/**
 * rg_member_error_get_field:
 * @error: any error
 *
 * Returns: (nullable): the field that failed validation ("phone", "attr:birthday", …; see the
 *   `RG_MEMBER_FIELD_` names), or %NULL when @error is not an %RG_MEMBER_ERROR or names no field
 */
const char *
rg_member_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != RG_MEMBER_ERROR)
    return NULL;

  return rg_member_error_get_private (error)->field;
}

/**
 * rg_member_error_set_field:
 * @error: an %RG_MEMBER_ERROR
 * @field: (nullable): the field to report
 */
void
rg_member_error_set_field (GError     *error,
                           const char *field)
{
  RgMemberErrorPrivate *priv;

  g_return_if_fail (error != NULL);
  g_return_if_fail (error->domain == RG_MEMBER_ERROR);

  priv = rg_member_error_get_private (error);
  if (priv->field != field)
    {
      g_free (priv->field);
      priv->field = g_strdup (field);
    }
}

/**
 * rg_member_set_error:
 * @field: (nullable): the failing field
 *
 * Like g_set_error() in %RG_MEMBER_ERROR, with the failing field attached.
 */
void
rg_member_set_error (GError        **error,
                     RgMemberError   code,
                     const char     *field,
                     const char     *format,
                     ...)
{
  g_autofree char *message = NULL;
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  new_error = g_error_new_literal (RG_MEMBER_ERROR, code, message);
  rg_member_error_set_field (new_error, field);
  g_propagate_error (error, new_error);
}
