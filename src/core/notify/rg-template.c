/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-template"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-template.h"

/* Message templates with {{variable}} placeholders. A name is letters, digits and
 * underscores; anything else between braces is an error that points at the character where
 * the placeholder starts, counted in characters as the editor shows them. */

G_DEFINE_QUARK (rg-template-error-quark, rg_template_error)

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

typedef gboolean (*VariableFunc) (const char  *name,
                                  gpointer     user_data,
                                  GError     **error);

static gboolean
scan (const char    *text,
      GString       *out,
      VariableFunc   func,
      gpointer       user_data,
      GError       **error)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close;
      const char *stray = strstr (p, "}}");
      glong position;

      if (stray != NULL && (open == NULL || stray < open))
        {
          position = g_utf8_pointer_to_offset (text, stray) + 1;
          g_set_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_SYNTAX,
                       _("“}}” at character %ld closes no placeholder; write "
                         "placeholders as {{name}}"), position);
          return FALSE;
        }

      if (open == NULL)
        {
          if (out != NULL)
            g_string_append (out, p);
          break;
        }

      if (out != NULL)
        g_string_append_len (out, p, open - p);

      position = g_utf8_pointer_to_offset (text, open) + 1;
      close = strstr (open + 2, "}}");
      if (close == NULL)
        {
          g_set_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_SYNTAX,
                       _("The placeholder at character %ld is not closed with “}}”"),
                       position);
          return FALSE;
        }

      {
        g_autofree char *name = g_strndup (open + 2, close - open - 2);
        gboolean valid = name[0] != '\0';

        for (const char *c = name; *c != '\0' && valid; c++)
          valid = is_name_char (*c);

        if (!valid)
          {
            g_set_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_SYNTAX,
                         _("“{{%s}}” at character %ld is not a valid placeholder: a variable "
                           "name uses only letters, digits and underscores"),
                         name, position);
            return FALSE;
          }

        if (!func (name, user_data, error))
          return FALSE;
      }

      p = close + 2;
    }

  return TRUE;
}

static gboolean
collect_variable (const char  *name,
                  gpointer     user_data,
                  GError     **error)
{
  GPtrArray *variables = user_data;

  for (guint i = 0; i < variables->len; i++)
    if (g_str_equal (g_ptr_array_index (variables, i), name))
      return TRUE;

  g_ptr_array_add (variables, g_strdup (name));
  return TRUE;
}

/**
 * rg_template_parse:
 * @variables: (out) (optional): the names used, each once, in order of appearance
 *
 * Checks the placeholders of @text.
 */
gboolean
rg_template_parse (const char  *text,
                   GPtrArray  **variables,
                   GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (text != NULL, FALSE);

  if (!scan (text, NULL, collect_variable, names, error))
    return FALSE;

  if (variables != NULL)
    *variables = g_steal_pointer (&names);
  return TRUE;
}

typedef struct
{
  GHashTable *values;
  GString    *out;
} RenderState;

static gboolean
render_variable (const char  *name,
                 gpointer     user_data,
                 GError     **error)
{
  RenderState *state = user_data;
  const char *value = state->values ? g_hash_table_lookup (state->values, name) : NULL;

  if (value == NULL)
    {
      g_set_error (error, RG_TEMPLATE_ERROR, RG_TEMPLATE_ERROR_MISSING_VARIABLE,
                   _("The template uses “{{%s}}” but no value for “%s” was given"),
                   name, name);
      return FALSE;
    }

  g_string_append (state->out, value);
  return TRUE;
}

/**
 * rg_template_render:
 * @values: (element-type utf8 utf8) (nullable): variable name → text
 *
 * Returns: (transfer full): @text with every placeholder replaced, or %NULL when a value is
 *   missing or the template is malformed
 */
char *
rg_template_render (const char  *text,
                    GHashTable  *values,
                    GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  RenderState state = { values, out };

  g_return_val_if_fail (text != NULL, NULL);

  /* Text gets copied between placeholders by scan(); values go in through the callback. */
  if (!scan (text, out, render_variable, &state, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}
