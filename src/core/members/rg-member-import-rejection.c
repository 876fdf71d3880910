/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-member-import-rejection.h"

/* One row of a CSV import that was not taken, and why: what the import dialog lists and the
 * command line prints. Immutable. */

struct _RgMemberImportRejection
{
  GObject  parent_instance;

  guint    line;
  int      column;
  char    *header;
  char    *field;
  char    *value;
  char    *reason;
};

enum {
  PROP_0,
  PROP_LINE,
  PROP_COLUMN,
  PROP_HEADER,
  PROP_FIELD,
  PROP_VALUE,
  PROP_REASON,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgMemberImportRejection, rg_member_import_rejection, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
rg_member_import_rejection_finalize (GObject *object)
{
  RgMemberImportRejection *self = (RgMemberImportRejection *)object;

  g_clear_pointer (&self->header, g_free);
  g_clear_pointer (&self->field, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (rg_member_import_rejection_parent_class)->finalize (object);
}

static void
rg_member_import_rejection_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  RgMemberImportRejection *self = RG_MEMBER_IMPORT_REJECTION (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;

    case PROP_COLUMN:
      g_value_set_int (value, self->column);
      break;

    case PROP_HEADER:
      g_value_set_string (value, self->header);
      break;

    case PROP_FIELD:
      g_value_set_string (value, self->field);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_import_rejection_class_init (RgMemberImportRejectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_member_import_rejection_finalize;
  object_class->get_property = rg_member_import_rejection_get_property;

  /**
   * RgMemberImportRejection:line:
   * The line of the file the rejected record starts on, counting from 1 (the header is 1).
   */
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberImportRejection:column:
   * The column (from 0) whose value was refused, or -1 when no one column is at fault.
   */
  properties[PROP_COLUMN] =
    g_param_spec_int ("column", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_HEADER] =
    g_param_spec_string ("header", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_FIELD] =
    g_param_spec_string ("field", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_import_rejection_init (RgMemberImportRejection *self)
{
  self->column = -1;
}

/**
 * rg_member_import_rejection_new:
 * @line: the line the record starts on
 * @column: the column at fault, or -1
 * @header: (nullable): its header
 * @field: (nullable): the member field it was mapped to (`RG_MEMBER_FIELD_*`)
 * @value: (nullable): the refused value
 * @reason: the message of the validation error
 *
 * Returns: (transfer full): a new rejection
 */
RgMemberImportRejection *
rg_member_import_rejection_new (guint       line,
                                int         column,
                                const char *header,
                                const char *field,
                                const char *value,
                                const char *reason)
{
  RgMemberImportRejection *self;

  g_return_val_if_fail (reason != NULL, NULL);

  self = g_object_new (RG_TYPE_MEMBER_IMPORT_REJECTION, NULL);
  self->line = line;
  self->column = column;
  self->header = g_strdup (header);
  self->field = g_strdup (field);
  self->value = g_strdup (value);
  self->reason = g_strdup (reason);
  return self;
}

guint
rg_member_import_rejection_get_line (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), 0);

  return self->line;
}

int
rg_member_import_rejection_get_column (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), -1);

  return self->column;
}

const char *
rg_member_import_rejection_get_header (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), NULL);

  return self->header;
}

const char *
rg_member_import_rejection_get_field (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), NULL);

  return self->field;
}

const char *
rg_member_import_rejection_get_value (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), NULL);

  return self->value;
}

const char *
rg_member_import_rejection_get_reason (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), NULL);

  return self->reason;
}

/**
 * rg_member_import_rejection_to_string:
 *
 * Returns: (transfer full): one line for people, such as
 *   “line 8, column “Phone”: Phone “12345” is not a valid number for Taiwan (TW)”
 */
char *
rg_member_import_rejection_to_string (RgMemberImportRejection *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_IMPORT_REJECTION (self), NULL);

  if (self->header != NULL)
    /* Translators: a line number, a column name and the reason the row was refused */
    return g_strdup_printf (_("line %u, column “%s”: %s"), self->line, self->header, self->reason);

  /* Translators: a line number and the reason the row was refused */
  return g_strdup_printf (_("line %u: %s"), self->line, self->reason);
}
