/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#define RG_MEMBER_STORE_COMPILATION
#include "rg-member-store-private.h"
#include "rg-phone.h"

/* The rules a stored member satisfies (rg_member_store_validate()), and the text helpers the
 * other parts of RgMemberStore use for their messages. */

#define MAX_MEMBER_NUMBER_CHARS 64
#define MAX_NAME_CHARS          100
#define MAX_EMAIL_CHARS         254
#define MAX_TAG_CHARS           50
#define MAX_TAGS                100
#define MAX_NOTE_CHARS          5000
#define MAX_KNOWN_PHONES        4096

/* Printable form of user input for messages: control characters become \xNN. */
char *
_rg_member_printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
_rg_member_has_control_chars (const char *text,
                              gboolean    allow_newlines)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (allow_newlines && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

/* Full-width ASCII (from Chinese input methods) to ASCII, and ideographic space to space. */
char *
_rg_member_fold_full_width (const char *input)
{
  GString *out = g_string_sized_new (strlen (input));

  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF01 && c <= 0xFF5E)
        g_string_append_c (out, (char) (c - 0xFF01 + 0x21));
      else if (c == 0x3000)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Trimmed copy, or NULL for NULL or blank input (absent optional fields are NULL). */
char *
_rg_member_trim_or_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

static gboolean
check_utf8 (const char  *text,
            const char  *field,
            const char  *label,
            GError     **error)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, field,
                           /* Translators: %s is a field name such as “Name” */
                           _("%s is not valid UTF-8 text"), label);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_atext (gunichar c)
{
  return g_ascii_isalnum (c) || c >= 0x80 || strchr ("!#$%&'*+/=?^_`{|}~-", (int) c) != NULL;
}

/* A sane subset of RFC 5322 (and RFC 6531 for non-ASCII): dot-atom local part, a domain of
 * at least two labels of letters, digits and hyphens, a non-numeric top-level domain. */
static gboolean
email_is_valid (const char *email)
{
  const char *at = strrchr (email, '@');
  const char *domain;
  g_auto(GStrv) labels = NULL;
  guint n_labels;
  gboolean tld_has_letter = FALSE;

  if (at == NULL || at == email || strlen (email) > MAX_EMAIL_CHARS || at - email > 64)
    return FALSE;

  if (email[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = email; p < at; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '.' && p[1] == '.')
        return FALSE;
      if (c != '.' && !is_atext (c))
        return FALSE;
    }

  domain = at + 1;
  labels = g_strsplit (domain, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    return FALSE;

  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
        return FALSE;
      for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (!(g_ascii_isalnum (c) || c == '-' || (c >= 0x80 && g_unichar_isalnum (c))))
            return FALSE;
          if (i == n_labels - 1 && !g_ascii_isdigit (c))
            tld_has_letter = TRUE;
        }
    }

  return tld_has_letter && strlen (labels[n_labels - 1]) >= 2;
}

static char *
normalize_email (const char *email)
{
  const char *at = strrchr (email, '@');
  g_autofree char *domain = g_ascii_strdown (at + 1, -1);

  return g_strdup_printf ("%.*s@%s", (int) (at - email), email, domain);
}

static gboolean
line_user_id_is_valid (const char *id)
{
  if (strlen (id) != 33 || id[0] != 'U')
    return FALSE;
  for (guint i = 1; i < 33; i++)
    if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
      return FALSE;
  return TRUE;
}

static gboolean
whatsapp_id_is_valid (const char *id)
{
  gsize len = strlen (id);

  if (len < 6 || len > 15)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (id[i]))
      return FALSE;
  return TRUE;
}

static gboolean
wechat_openid_is_valid (const char *id)
{
  gsize len = strlen (id);

  if (len < 6 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '_' && id[i] != '-')
      return FALSE;
  return TRUE;
}

/* rg_store_dup_default_region() with the store's cached statement: validation runs once per
 * row of a bulk import, where preparing the query each time would cost more than reading it. */
char *
_rg_member_store_dup_default_region (RgMemberStore *self)
{
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_DEFAULT_REGION, NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && _rg_member_column_text (stmt, 0) != NULL)
    return g_strdup (_rg_member_column_text (stmt, 0));
  return g_strdup ("TW");
}

static gboolean
validate_member_number (RgMember  *member,
                        GError   **error)
{
  g_autofree char *number = _rg_member_trim_or_null (rg_member_get_member_number (member));

  if (!check_utf8 (number, RG_MEMBER_FIELD_MEMBER_NUMBER, _("Member number"), error))
    return FALSE;

  if (number != NULL && _rg_member_has_control_chars (number, FALSE))
    {
      g_autofree char *shown = _rg_member_printable (number);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_MEMBER_NUMBER,
                           _("Member number “%s” contains a control character"), shown);
      return FALSE;
    }
  if (number != NULL && g_utf8_strlen (number, -1) > MAX_MEMBER_NUMBER_CHARS)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_MEMBER_NUMBER,
                           _("Member number “%s” is longer than %d characters"),
                           number, MAX_MEMBER_NUMBER_CHARS);
      return FALSE;
    }

  rg_member_set_member_number (member, number);
  return TRUE;
}

static gboolean
validate_name (RgMember  *member,
               GError   **error)
{
  g_autofree char *name = _rg_member_trim_or_null (rg_member_get_name (member));

  if (!check_utf8 (name, RG_MEMBER_FIELD_NAME, _("Name"), error))
    return FALSE;

  if (name == NULL)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_NAME,
                           _("Name is required"));
      return FALSE;
    }
  if (_rg_member_has_control_chars (name, FALSE))
    {
      g_autofree char *shown = _rg_member_printable (name);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_NAME,
                           _("Name “%s” contains a control character"), shown);
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_NAME,
                           _("Name “%s” is longer than %d characters"), name, MAX_NAME_CHARS);
      return FALSE;
    }

  rg_member_set_name (member, name);
  return TRUE;
}

static gboolean
validate_phone (RgMemberStore  *self,
                RgMember       *member,
                GError        **error)
{
  g_autofree char *phone = _rg_member_trim_or_null (rg_member_get_phone (member));
  g_autofree char *region = NULL;
  g_autofree char *e164 = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!check_utf8 (phone, RG_MEMBER_FIELD_PHONE, _("Phone"), error))
    return FALSE;

  if (phone == NULL)
    {
      rg_member_set_phone (member, NULL);
      return TRUE;
    }

  if (g_hash_table_contains (self->known_phones, phone))
    {
      rg_member_set_phone (member, phone);
      return TRUE;
    }

  region = _rg_member_store_dup_default_region (self);
  if ((e164 = rg_phone_normalize (phone, region, &local_error)) == NULL)
    {
      /* rg-phone's message names the input and the region already. */
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_PHONE,
                           "%s", local_error->message);
      return FALSE;
    }

  if (g_hash_table_size (self->known_phones) >= MAX_KNOWN_PHONES)
    g_hash_table_remove_all (self->known_phones);
  g_hash_table_add (self->known_phones, g_strdup (e164));

  rg_member_set_phone (member, e164);
  return TRUE;
}

static gboolean
validate_email (RgMember  *member,
                GError   **error)
{
  g_autofree char *trimmed = _rg_member_trim_or_null (rg_member_get_email (member));
  g_autofree char *email = NULL;

  if (!check_utf8 (trimmed, RG_MEMBER_FIELD_EMAIL, _("Email"), error))
    return FALSE;

  if (trimmed == NULL)
    {
      rg_member_set_email (member, NULL);
      return TRUE;
    }

  email = _rg_member_fold_full_width (trimmed);
  if (!email_is_valid (email))
    {
      g_autofree char *shown = _rg_member_printable (trimmed);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_EMAIL,
                           _("Email “%s” is not a valid email address"), shown);
      return FALSE;
    }

  g_free (trimmed);
  trimmed = normalize_email (email);
  rg_member_set_email (member, trimmed);
  return TRUE;
}

static gboolean
validate_tags (RgMember  *member,
               GError   **error)
{
  const char * const *tags = rg_member_get_tags (member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) clean = NULL;

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *tag = _rg_member_trim_or_null (tags[i]);

      if (!check_utf8 (tag, RG_MEMBER_FIELD_TAGS, _("Tags"), error))
        return FALSE;
      if (tag == NULL || g_hash_table_contains (seen, tag))
        continue;
      if (_rg_member_has_control_chars (tag, FALSE))
        {
          g_autofree char *shown = _rg_member_printable (tag);
          rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_TAGS,
                               _("Tag “%s” contains a control character"), shown);
          return FALSE;
        }
      if (g_utf8_strlen (tag, -1) > MAX_TAG_CHARS)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_TAGS,
                               _("Tag “%s” is longer than %d characters"), tag, MAX_TAG_CHARS);
          return FALSE;
        }
      if (g_hash_table_size (seen) >= MAX_TAGS)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_TAGS,
                               _("A member can have at most %d tags"), MAX_TAGS);
          return FALSE;
        }
      g_strv_builder_add (builder, tag);
      g_hash_table_add (seen, g_steal_pointer (&tag));
    }

  clean = g_strv_builder_end (builder);
  rg_member_set_tags (member, (const char * const *) clean);
  return TRUE;
}

static gboolean
validate_note (RgMember  *member,
               GError   **error)
{
  g_autofree char *note = g_strdup (rg_member_get_note (member));

  if (!check_utf8 (note, RG_MEMBER_FIELD_NOTE, _("Note"), error))
    return FALSE;

  g_strstrip (note);
  if (g_utf8_strlen (note, -1) > MAX_NOTE_CHARS)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_NOTE,
                           _("The note is longer than %d characters"), MAX_NOTE_CHARS);
      return FALSE;
    }

  rg_member_set_note (member, note);
  return TRUE;
}

static gboolean
validate_channels (RgMember  *member,
                   GError   **error)
{
  g_autofree char *line = _rg_member_trim_or_null (rg_member_get_line_user_id (member));
  g_autofree char *whatsapp = _rg_member_trim_or_null (rg_member_get_whatsapp_id (member));
  g_autofree char *wechat = _rg_member_trim_or_null (rg_member_get_wechat_openid (member));

  if (!check_utf8 (line, RG_MEMBER_FIELD_LINE_USER_ID, _("LINE user ID"), error) ||
      !check_utf8 (whatsapp, RG_MEMBER_FIELD_WHATSAPP_ID, _("WhatsApp ID"), error) ||
      !check_utf8 (wechat, RG_MEMBER_FIELD_WECHAT_OPENID, _("WeChat OpenID"), error))
    return FALSE;

  if (line != NULL && !line_user_id_is_valid (line))
    {
      g_autofree char *shown = _rg_member_printable (line);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_LINE_USER_ID,
                           _("LINE user ID “%s” is not valid: it is “U” followed by 32 "
                             "lowercase hexadecimal digits"), shown);
      return FALSE;
    }

  /* wa_id is the phone number's digits; people paste it with the plus. */
  if (whatsapp != NULL && whatsapp[0] == '+')
    memmove (whatsapp, whatsapp + 1, strlen (whatsapp));
  if (whatsapp != NULL && !whatsapp_id_is_valid (whatsapp))
    {
      g_autofree char *shown = _rg_member_printable (whatsapp);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_WHATSAPP_ID,
                           _("WhatsApp ID “%s” is not valid: it is the phone number's 6 to 15 "
                             "digits with the country code"), shown);
      return FALSE;
    }

  if (wechat != NULL && !wechat_openid_is_valid (wechat))
    {
      g_autofree char *shown = _rg_member_printable (wechat);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_WECHAT_OPENID,
                           _("WeChat OpenID “%s” is not valid: it has 6 to 64 letters, digits, "
                             "“_” or “-”"), shown);
      return FALSE;
    }

  rg_member_set_line_user_id (member, line);
  rg_member_set_whatsapp_id (member, whatsapp);
  rg_member_set_wechat_openid (member, wechat);
  return TRUE;
}

static gboolean
validate_totals (RgMember  *member,
                 GError   **error)
{
  static const struct {
    const char *field;
    const char *label;
    gint64 (*get) (RgMember *member);
  } totals[] = {
    { RG_MEMBER_FIELD_ACCUMULATED_POINTS, N_("Accumulated points"),
      rg_member_get_accumulated_points },
    { RG_MEMBER_FIELD_POINTS_BALANCE, N_("Points balance"), rg_member_get_points_balance },
    { RG_MEMBER_FIELD_STORED_VALUE, N_("Stored value"), rg_member_get_stored_value },
  };

  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      gint64 value = totals[i].get (member);

      if (value < 0)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_NEGATIVE_BALANCE, totals[i].field,
                               /* Translators: %s is “Points balance” or similar */
                               _("%s cannot be negative (%lld)"),
                               _(totals[i].label), (long long) value);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_attributes (RgMemberStore  *self,
                     RgMember       *member,
                     GError        **error)
{
  g_auto(GStrv) keys = rg_member_dup_attribute_keys (member);
  GHashTable *definitions;

  if (keys[0] == NULL)
    return TRUE;

  if ((definitions = _rg_member_store_ensure_definitions (self, error)) == NULL)
    return FALSE;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      RgAttributeDefinition *definition = g_hash_table_lookup (definitions, keys[i]);
      g_autofree char *field = g_strconcat (RG_MEMBER_FIELD_ATTRIBUTE_PREFIX, keys[i], NULL);
      g_autofree char *normalized = NULL;
      g_autoptr(GError) local_error = NULL;

      if (definition == NULL)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_UNKNOWN_ATTRIBUTE, field,
                               _("There is no custom attribute “%s”"), keys[i]);
          return FALSE;
        }

      if (!rg_attribute_type_normalize (rg_attribute_definition_get_value_type (definition),
                                        rg_member_get_attribute (member, keys[i]),
                                        &normalized, &local_error))
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, field,
                               /* Translators: “Birthday: “abc” is not a date” */
                               _("%s: %s"),
                               rg_attribute_definition_get_label (definition),
                               local_error->message);
          return FALSE;
        }

      rg_member_set_attribute (member, keys[i], normalized);
    }

  return TRUE;
}

/**
 * rg_member_store_validate:
 * @member: the member to check; its values are normalized in place (trimmed, phone as
 *   E.164, email domain in lower case, attribute values in their stored form)
 *
 * Checks every rule a stored member satisfies, in the order of the editor's fields.
 *
 * Returns: %FALSE with an %RG_MEMBER_ERROR whose message names the value and whose field
 *   (rg_member_error_get_field()) says which entry is wrong
 */
gboolean
rg_member_store_validate (RgMemberStore  *self,
                          RgMember       *member,
                          GError        **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_MEMBER (member), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate_member_number (member, error) &&
         validate_name (member, error) &&
         validate_phone (self, member, error) &&
         validate_email (member, error) &&
         validate_totals (member, error) &&
         validate_tags (member, error) &&
         validate_note (member, error) &&
         validate_channels (member, error) &&
         validate_attributes (self, member, error);
}
