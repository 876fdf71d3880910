/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-member-store-private.h"
#include "rg-phone.h"
#include "rg-store-private.h"

#define MAX_MEMBER_NUMBER_CHARS 64
#define MAX_NAME_CHARS          100
#define MAX_EMAIL_CHARS         254
#define MAX_TAG_CHARS           50
#define MAX_TAGS                100
#define MAX_NOTE_CHARS          5000
#define MAX_REASON_CHARS        200
#define MAX_SOURCE_CHARS        32
#define MAX_LABEL_CHARS         50
#define MAX_KNOWN_PHONES        4096

/*
 * RgMemberStore: members, their custom attributes and the ledger, on one RgStore connection.
 *
 * Writes go through statements prepared once per connection, so a bulk import on a worker
 * thread (its own RgStore, its own RgMemberStore, one outer rg_store_transaction()) pays for
 * binding and stepping only. There is one RgMemberStore per RgStore: everyone who works on a
 * connection (the members page, the webhook server) shares it and hears its signals.
 */

typedef enum
{
  STMT_DATA_VERSION,
  STMT_DEFAULT_REGION,
  STMT_LIST_DEFINITIONS,
  STMT_INSERT_MEMBER,
  STMT_UPDATE_MEMBER,
  STMT_DELETE_ATTRIBUTES,
  STMT_INSERT_ATTRIBUTE,
  STMT_NEXT_OPERATION,
  STMT_INSERT_LEDGER,
  STMT_SELECT_TOTALS,
  STMT_UPDATE_TOTALS,
  STMT_SELECT_BY_ID,
  STMT_SELECT_BY_NUMBER,
  STMT_SELECT_BY_PHONE,
  STMT_SELECT_BY_LINE,
  STMT_SELECT_BY_WHATSAPP,
  STMT_SELECT_BY_WECHAT,
  STMT_SOFT_DELETE,
  STMT_RESTORE,
  STMT_COUNT,
  STMT_SELECT_LINE_FRIEND,
  STMT_SET_LINE_FRIEND,
  STMT_FTS_INSERT,
  STMT_FTS_DELETE,
  STMT_COUNT_INSERTED,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_DATA_VERSION] = "PRAGMA data_version",
  [STMT_DEFAULT_REGION] = "SELECT default_region FROM shop_profile WHERE id = 1",
  [STMT_LIST_DEFINITIONS] =
    "SELECT key, label, type, position FROM attribute_definitions ORDER BY position, key",
  [STMT_INSERT_MEMBER] =
    "INSERT INTO members (member_number, name, phone, email, accumulated_points,"
    "  points_balance, stored_value, tags, note, line_user_id, line_friend, whatsapp_id,"
    "  whatsapp_opted_in, wechat_openid, wechat_follower, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
  [STMT_UPDATE_MEMBER] =
    "UPDATE members SET member_number = ?1, name = ?2, phone = ?3, email = ?4, tags = ?8,"
    "  note = ?9, line_user_id = ?10, line_friend = ?11, whatsapp_id = ?12,"
    "  whatsapp_opted_in = ?13, wechat_openid = ?14, wechat_follower = ?15,"
    "  created_at = ?16, updated_at = ?17"
    " WHERE id = ?18 AND deleted_at IS NULL",
  [STMT_DELETE_ATTRIBUTES] = "DELETE FROM member_attributes WHERE member_id = ?1",
  [STMT_INSERT_ATTRIBUTE] =
    "INSERT INTO member_attributes (member_id, key, value) VALUES (?1, ?2, ?3)",
  [STMT_NEXT_OPERATION] = "SELECT coalesce (max (id), 0) + 1 FROM ledger",
  [STMT_INSERT_LEDGER] =
    "INSERT INTO ledger (member_id, operation_id, account, delta, balance_after, reason,"
    "  source, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_SELECT_TOTALS] =
    "SELECT accumulated_points, points_balance, stored_value FROM members"
    " WHERE id = ?1 AND deleted_at IS NULL",
  [STMT_UPDATE_TOTALS] =
    "UPDATE members SET accumulated_points = ?1, points_balance = ?2, stored_value = ?3,"
    "  updated_at = ?4 WHERE id = ?5",
  [STMT_SELECT_BY_ID] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m WHERE m.id = ?1 AND m.deleted_at IS NULL",
  [STMT_SELECT_BY_NUMBER] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
    " WHERE m.member_number = ?1 AND m.deleted_at IS NULL",
  [STMT_SELECT_BY_PHONE] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
    " WHERE m.phone = ?1 AND m.deleted_at IS NULL ORDER BY m.id LIMIT 1",
  [STMT_SELECT_BY_LINE] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
    " WHERE m.line_user_id = ?1 AND m.deleted_at IS NULL",
  [STMT_SELECT_BY_WHATSAPP] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
    " WHERE m.whatsapp_id = ?1 AND m.deleted_at IS NULL",
  [STMT_SELECT_BY_WECHAT] =
    "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
    " WHERE m.wechat_openid = ?1 AND m.deleted_at IS NULL",
  [STMT_SOFT_DELETE] =
    "UPDATE members SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
  [STMT_RESTORE] =
    "UPDATE members SET deleted_at = NULL, updated_at = ?2"
    " WHERE id = ?1 AND deleted_at IS NOT NULL",
  [STMT_COUNT] = "SELECT live FROM member_count WHERE id = 1",
  [STMT_SELECT_LINE_FRIEND] =
    "SELECT id, line_friend FROM members WHERE line_user_id = ?1 AND deleted_at IS NULL",
  [STMT_SET_LINE_FRIEND] =
    "UPDATE members SET line_friend = ?2, updated_at = ?3 WHERE id = ?1",
  /* members_fts and member_count follow inserts and updates here, not in triggers; see
   * migration 2 for why. */
  [STMT_FTS_INSERT] =
    "INSERT INTO members_fts (rowid, member_number, name, phone, email)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_FTS_DELETE] =
    "INSERT INTO members_fts (members_fts, rowid, member_number, name, phone, email)"
    " VALUES ('delete', ?1, ?2, ?3, ?4, ?5)",
  [STMT_COUNT_INSERTED] = "UPDATE member_count SET live = live + 1 WHERE id = 1",
};

/* A statement borrowed from the cache; the cleanup readies it for the next use. */
typedef sqlite3_stmt *CachedStmt;

static void
cached_stmt_release (CachedStmt stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CachedStmt, cached_stmt_release, NULL)

struct _RgMemberStore
{
  GObject        parent_instance;

  RgStore       *store;
  sqlite3_stmt  *stmts[N_STMTS];

  /* key → RgAttributeDefinition; NULL until needed, dropped when another connection
   * commits (PRAGMA data_version) or we change a definition. */
  GHashTable    *definitions;
  gint64         definitions_version;

  /* E.164 numbers libphonenumber accepted lately: an importer validates a row, then inserts
   * it, and the second look at the phone should not cost another parse. */
  GHashTable    *known_phones;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  MEMBER_ADDED,
  MEMBER_CHANGED,
  MEMBER_REMOVED,
  BALANCE_CHANGED,
  MEMBERS_CHANGED,
  ATTRIBUTES_CHANGED,
  N_SIGNALS
};

G_DEFINE_FLAGS_TYPE (RgMemberChangeFlags, rg_member_change_flags,
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_MEMBER_NUMBER, "member-number"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_NAME, "name"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_PHONE, "phone"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_EMAIL, "email"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_CREATED_AT, "created-at"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_BALANCES, "balances"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_CHANNELS, "channels"),
  G_DEFINE_ENUM_VALUE (RG_MEMBER_CHANGE_DETAILS, "details"))

G_DEFINE_FINAL_TYPE (RgMemberStore, rg_member_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (rg-member-store-for-connection, member_store_for_connection)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static sqlite3_stmt *
get_stmt (RgMemberStore  *self,
          StmtId          id,
          GError        **error)
{
  g_assert (id < N_STMTS);

  if (self->stmts[id] == NULL)
    self->stmts[id] = rg_store_prepare (self->store, stmt_sql[id], error);

  return self->stmts[id];
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
set_db_error (RgMemberStore  *self,
              GError        **error,
              const char     *doing)
{
  _rg_store_set_error_from_db (self->store, error, doing);
}

/* Steps a statement that yields at most one row. */
static gboolean
step_row (RgMemberStore  *self,
          sqlite3_stmt   *stmt,
          gboolean       *has_row,
          GError        **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;

  set_db_error (self, error, _("reading members"));
  return FALSE;
}

/* Printable form of user input for messages: control characters become \xNN. */
static char *
printable (const char *text)
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

static gboolean
has_control_chars (const char *text,
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
static char *
fold_full_width (const char *input)
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
static char *
trim_or_null (const char *text)
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

static char *
tags_to_json (const char * const *tags)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '"');
      for (const char *p = tags[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            {
              g_string_append_c (json, '\\');
              g_string_append_c (json, *p);
            }
          else if ((guchar) *p < 0x20)
            g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (json, *p);
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
}

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static char **
tags_from_json (const char *json)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (json == NULL || g_str_equal (json, "[]"))
    return NULL;
  if ((root = parse_json (json)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static void
attributes_from_json (RgMember   *member,
                      const char *json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (json == NULL || g_str_equal (json, "{}"))
    return;
  if ((root = parse_json (json)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      rg_member_set_attribute (member, key, json_node_get_string (value));
}

/**
 * _rg_member_store_member_from_row:
 * @stmt: a statement positioned on a row that selects %RG_MEMBER_SELECT_COLUMNS first
 *
 * Returns: (transfer full): the member of the row
 */
RgMember *
_rg_member_store_member_from_row (sqlite3_stmt *stmt)
{
  RgMember *member = rg_member_new ();
  g_auto(GStrv) tags = tags_from_json (column_text (stmt, 8));

  rg_member_set_id (member, sqlite3_column_int64 (stmt, 0));
  rg_member_set_member_number (member, column_text (stmt, 1));
  rg_member_set_name (member, column_text (stmt, 2));
  rg_member_set_phone (member, column_text (stmt, 3));
  rg_member_set_email (member, column_text (stmt, 4));
  rg_member_set_accumulated_points (member, sqlite3_column_int64 (stmt, 5));
  rg_member_set_points_balance (member, sqlite3_column_int64 (stmt, 6));
  rg_member_set_stored_value (member, sqlite3_column_int64 (stmt, 7));
  rg_member_set_tags (member, (const char * const *) tags);
  rg_member_set_note (member, column_text (stmt, 9));
  rg_member_set_line_user_id (member, column_text (stmt, 10));
  rg_member_set_line_friend (member, sqlite3_column_int (stmt, 11));
  rg_member_set_whatsapp_id (member, column_text (stmt, 12));
  rg_member_set_whatsapp_opted_in (member, sqlite3_column_int (stmt, 13));
  rg_member_set_wechat_openid (member, column_text (stmt, 14));
  rg_member_set_wechat_follower (member, sqlite3_column_int (stmt, 15));
  rg_member_set_created_at (member, sqlite3_column_int64 (stmt, 16));
  rg_member_set_updated_at (member, sqlite3_column_int64 (stmt, 17));
  attributes_from_json (member, column_text (stmt, 18));

  return member;
}

static gint64
data_version (RgMemberStore *self)
{
  g_auto(CachedStmt) stmt = get_stmt (self, STMT_DATA_VERSION, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static void
invalidate_definitions (RgMemberStore *self)
{
  g_clear_pointer (&self->definitions, g_hash_table_unref);
}

static GHashTable *
ensure_definitions (RgMemberStore  *self,
                    GError        **error)
{
  g_autoptr(GHashTable) definitions = NULL;
  gint64 version = data_version (self);
  int rc;

  if (self->definitions != NULL && version == self->definitions_version)
    return self->definitions;

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_LIST_DEFINITIONS, error);

    if (stmt == NULL)
      return NULL;

    definitions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        RgAttributeDefinition *definition;
        RgAttributeType type = RG_ATTRIBUTE_TYPE_TEXT;

        if (!rg_attribute_type_from_string (column_text (stmt, 2), &type))
          g_warning ("Custom attribute “%s” has the unknown type “%s”; treating it as text",
                     column_text (stmt, 0), column_text (stmt, 2));
        definition = rg_attribute_definition_new (column_text (stmt, 0),
                                                  column_text (stmt, 1),
                                                  type);
        rg_attribute_definition_set_position (definition, sqlite3_column_int (stmt, 3));
        g_hash_table_insert (definitions,
                             (gpointer) rg_attribute_definition_get_key (definition),
                             definition);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (self, error, _("reading custom attributes"));
        return NULL;
      }
  }

  g_clear_pointer (&self->definitions, g_hash_table_unref);
  self->definitions = g_steal_pointer (&definitions);
  self->definitions_version = version;
  return self->definitions;
}

static char *
dup_default_region (RgMemberStore *self)
{
  g_auto(CachedStmt) stmt = get_stmt (self, STMT_DEFAULT_REGION, NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && column_text (stmt, 0) != NULL)
    return g_strdup (column_text (stmt, 0));
  return g_strdup ("TW");
}

static RgMember *
select_one (RgMemberStore  *self,
            StmtId          id,
            const char     *text_key,
            gint64          int_key,
            GError        **error)
{
  g_auto(CachedStmt) stmt = get_stmt (self, id, error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;

  if (text_key != NULL)
    sqlite3_bind_text (stmt, 1, text_key, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_key);

  if (!step_row (self, stmt, &has_row, error) || !has_row)
    return NULL;

  return _rg_member_store_member_from_row (stmt);
}

static gboolean
validate_member_number (RgMember  *member,
                        GError   **error)
{
  g_autofree char *number = trim_or_null (rg_member_get_member_number (member));

  if (!check_utf8 (number, RG_MEMBER_FIELD_MEMBER_NUMBER, _("Member number"), error))
    return FALSE;

  if (number != NULL && has_control_chars (number, FALSE))
    {
      g_autofree char *shown = printable (number);
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
  g_autofree char *name = trim_or_null (rg_member_get_name (member));

  if (!check_utf8 (name, RG_MEMBER_FIELD_NAME, _("Name"), error))
    return FALSE;

  if (name == NULL)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_NAME,
                           _("Name is required"));
      return FALSE;
    }
  if (has_control_chars (name, FALSE))
    {
      g_autofree char *shown = printable (name);
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
  g_autofree char *phone = trim_or_null (rg_member_get_phone (member));
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

  region = dup_default_region (self);
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
  g_autofree char *trimmed = trim_or_null (rg_member_get_email (member));
  g_autofree char *email = NULL;

  if (!check_utf8 (trimmed, RG_MEMBER_FIELD_EMAIL, _("Email"), error))
    return FALSE;

  if (trimmed == NULL)
    {
      rg_member_set_email (member, NULL);
      return TRUE;
    }

  email = fold_full_width (trimmed);
  if (!email_is_valid (email))
    {
      g_autofree char *shown = printable (trimmed);
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
      g_autofree char *tag = trim_or_null (tags[i]);

      if (!check_utf8 (tag, RG_MEMBER_FIELD_TAGS, _("Tags"), error))
        return FALSE;
      if (tag == NULL || g_hash_table_contains (seen, tag))
        continue;
      if (has_control_chars (tag, FALSE))
        {
          g_autofree char *shown = printable (tag);
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
  g_autofree char *line = trim_or_null (rg_member_get_line_user_id (member));
  g_autofree char *whatsapp = trim_or_null (rg_member_get_whatsapp_id (member));
  g_autofree char *wechat = trim_or_null (rg_member_get_wechat_openid (member));

  if (!check_utf8 (line, RG_MEMBER_FIELD_LINE_USER_ID, _("LINE user ID"), error) ||
      !check_utf8 (whatsapp, RG_MEMBER_FIELD_WHATSAPP_ID, _("WhatsApp ID"), error) ||
      !check_utf8 (wechat, RG_MEMBER_FIELD_WECHAT_OPENID, _("WeChat OpenID"), error))
    return FALSE;

  if (line != NULL && !line_user_id_is_valid (line))
    {
      g_autofree char *shown = printable (line);
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
      g_autofree char *shown = printable (whatsapp);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_WHATSAPP_ID,
                           _("WhatsApp ID “%s” is not valid: it is the phone number's 6 to 15 "
                             "digits with the country code"), shown);
      return FALSE;
    }

  if (wechat != NULL && !wechat_openid_is_valid (wechat))
    {
      g_autofree char *shown = printable (wechat);
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
                               _("%s cannot be negative (%" G_GINT64_FORMAT ")"),
                               _(totals[i].label), value);
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

  if ((definitions = ensure_definitions (self, error)) == NULL)
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

static const char *
unique_field_from_message (const char *message)
{
  static const char * const fields[] = {
    RG_MEMBER_FIELD_MEMBER_NUMBER,
    RG_MEMBER_FIELD_LINE_USER_ID,
    RG_MEMBER_FIELD_WHATSAPP_ID,
    RG_MEMBER_FIELD_WECHAT_OPENID,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *column = g_strconcat ("members.", fields[i], NULL);

      if (strstr (message, column) != NULL)
        return fields[i];
    }
  return NULL;
}

/* Turns a failed write into an error for the user: a unique index that refused the row
 * becomes DUPLICATE naming the value and the member who has it. @errcode and @message are
 * SQLite's, taken before any other statement ran. */
static void
set_write_error_full (RgMemberStore  *self,
                      RgMember       *member,
                      int             errcode,
                      const char     *message,
                      GError        **error)
{
  const char *field = NULL;
  const char *value = NULL;
  const char *label = NULL;
  g_autoptr(RgMember) owner = NULL;
  StmtId lookup = STMT_SELECT_BY_NUMBER;

  if (errcode == SQLITE_CONSTRAINT_UNIQUE && member != NULL)
    field = unique_field_from_message (message);

  if (field == NULL)
    {
      g_set_error (error, RG_STORE_ERROR,
                   (errcode & 0xff) == SQLITE_CONSTRAINT ? RG_STORE_ERROR_CONSTRAINT
                                                        : RG_STORE_ERROR_SQL,
                   _("Could not save the member in “%s”: %s"),
                   rg_store_get_path (self->store), message);
      return;
    }

  if (g_str_equal (field, RG_MEMBER_FIELD_MEMBER_NUMBER))
    {
      value = rg_member_get_member_number (member);
      label = _("Member number");
      lookup = STMT_SELECT_BY_NUMBER;
    }
  else if (g_str_equal (field, RG_MEMBER_FIELD_LINE_USER_ID))
    {
      value = rg_member_get_line_user_id (member);
      label = _("LINE user ID");
      lookup = STMT_SELECT_BY_LINE;
    }
  else if (g_str_equal (field, RG_MEMBER_FIELD_WHATSAPP_ID))
    {
      value = rg_member_get_whatsapp_id (member);
      label = _("WhatsApp ID");
      lookup = STMT_SELECT_BY_WHATSAPP;
    }
  else
    {
      value = rg_member_get_wechat_openid (member);
      label = _("WeChat OpenID");
      lookup = STMT_SELECT_BY_WECHAT;
    }

  owner = select_one (self, lookup, value, 0, NULL);
  if (owner != NULL)
    rg_member_set_error (error, RG_MEMBER_ERROR_DUPLICATE, field,
                         /* Translators: “Member number “M001” already belongs to 陳怡君” */
                         _("%s “%s” already belongs to %s"),
                         label, value, rg_member_get_name (owner));
  else
    rg_member_set_error (error, RG_MEMBER_ERROR_DUPLICATE, field,
                         _("%s “%s” already belongs to another member"), label, value);
}

static void
set_write_error (RgMemberStore  *self,
                 RgMember       *member,
                 GError        **error)
{
  sqlite3 *db = rg_store_get_db (self->store);
  g_autofree char *message = g_strdup (sqlite3_errmsg (db));

  set_write_error_full (self, member, sqlite3_extended_errcode (db), message, error);
}

static gboolean
step_write (RgMemberStore  *self,
            sqlite3_stmt   *stmt,
            RgMember       *member,
            GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  set_write_error (self, member, error);
  return FALSE;
}

/* Runs @func in its own transaction, or as part of the caller's. Not as a savepoint: FTS5
 * flushes its pending terms at every savepoint, which costs a bulk import more than the
 * rows themselves. Every validation and constraint failure happens before the first
 * write, so only a store failure can leave a half-written member, and that fails the
 * caller's whole transaction anyway. */
static gboolean
run_atomically (RgMemberStore           *self,
                RgStoreTransactionFunc   func,
                gpointer                 data,
                GError                 **error)
{
  if (!sqlite3_get_autocommit (rg_store_get_db (self->store)))
    return func (self->store, data, error);

  return rg_store_transaction (self->store, func, data, error);
}

static gboolean
write_search_entry (RgMemberStore  *self,
                    StmtId          id,
                    gint64          member_id,
                    RgMember       *member,
                    GError        **error)
{
  g_auto(CachedStmt) stmt = get_stmt (self, id, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, member_id);
  bind_text_or_null (stmt, 2, rg_member_get_member_number (member));
  sqlite3_bind_text (stmt, 3, rg_member_get_name (member), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, rg_member_get_phone (member));
  bind_text_or_null (stmt, 5, rg_member_get_email (member));

  return step_write (self, stmt, NULL, error);
}

static gboolean
count_inserted (RgMemberStore  *self,
                GError        **error)
{
  g_auto(CachedStmt) stmt = get_stmt (self, STMT_COUNT_INSERTED, error);

  return stmt != NULL && step_write (self, stmt, NULL, error);
}

static void
bind_member (sqlite3_stmt *stmt,
             RgMember     *member,
             const char   *tags_json,
             gint64        created_at,
             gint64        updated_at)
{
  bind_text_or_null (stmt, 1, rg_member_get_member_number (member));
  sqlite3_bind_text (stmt, 2, rg_member_get_name (member), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 3, rg_member_get_phone (member));
  bind_text_or_null (stmt, 4, rg_member_get_email (member));
  sqlite3_bind_text (stmt, 8, tags_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, rg_member_get_note (member), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 10, rg_member_get_line_user_id (member));
  sqlite3_bind_int (stmt, 11, rg_member_get_line_friend (member));
  bind_text_or_null (stmt, 12, rg_member_get_whatsapp_id (member));
  sqlite3_bind_int (stmt, 13, rg_member_get_whatsapp_opted_in (member));
  bind_text_or_null (stmt, 14, rg_member_get_wechat_openid (member));
  sqlite3_bind_int (stmt, 15, rg_member_get_wechat_follower (member));
  sqlite3_bind_int64 (stmt, 16, created_at);
  sqlite3_bind_int64 (stmt, 17, updated_at);
}

static gboolean
write_attributes (RgMemberStore  *self,
                  gint64          member_id,
                  RgMember       *member,
                  gboolean        replace,
                  GError        **error)
{
  g_auto(GStrv) keys = rg_member_dup_attribute_keys (member);

  if (replace)
    {
      g_auto(CachedStmt) stmt = get_stmt (self, STMT_DELETE_ATTRIBUTES, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, member_id);
      if (!step_write (self, stmt, NULL, error))
        return FALSE;
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_auto(CachedStmt) stmt = get_stmt (self, STMT_INSERT_ATTRIBUTE, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, member_id);
      sqlite3_bind_text (stmt, 2, keys[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, rg_member_get_attribute (member, keys[i]), -1, SQLITE_STATIC);
      if (!step_write (self, stmt, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
next_operation_id (RgMemberStore  *self,
                   gint64         *operation_id,
                   GError        **error)
{
  g_auto(CachedStmt) stmt = get_stmt (self, STMT_NEXT_OPERATION, error);
  gboolean has_row;

  if (stmt == NULL || !step_row (self, stmt, &has_row, error))
    return FALSE;

  /* The operation id is the id its first ledger row will get: unique while we hold the
   * write lock, and no extra table or index. */
  *operation_id = has_row ? sqlite3_column_int64 (stmt, 0) : 1;
  return TRUE;
}

static gboolean
write_ledger_row (RgMemberStore    *self,
                  gint64            member_id,
                  gint64            operation_id,
                  RgLedgerAccount   account,
                  gint64            delta,
                  gint64            balance_after,
                  const char       *reason,
                  const char       *source,
                  gint64            now,
                  GError          **error)
{
  g_auto(CachedStmt) stmt = NULL;

  if (delta == 0)
    return TRUE;

  if ((stmt = get_stmt (self, STMT_INSERT_LEDGER, error)) == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_int64 (stmt, 2, operation_id);
  sqlite3_bind_text (stmt, 3, rg_ledger_account_to_string (account), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, delta);
  sqlite3_bind_int64 (stmt, 5, balance_after);
  sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now);

  return step_write (self, stmt, NULL, error);
}

typedef struct
{
  RgMemberStore *self;
  RgMember      *member;
  const char    *source;
  gint64         created_at;
  gint64         now;
  gint64         id;
} InsertData;

static gboolean
insert_member_row (InsertData  *data,
                   GError     **error)
{
  g_autofree char *tags_json = tags_to_json (rg_member_get_tags (data->member));
  g_auto(CachedStmt) stmt = get_stmt (data->self, STMT_INSERT_MEMBER, error);

  if (stmt == NULL)
    return FALSE;

  bind_member (stmt, data->member, tags_json, data->created_at, data->now);
  sqlite3_bind_int64 (stmt, 5, rg_member_get_accumulated_points (data->member));
  sqlite3_bind_int64 (stmt, 6, rg_member_get_points_balance (data->member));
  sqlite3_bind_int64 (stmt, 7, rg_member_get_stored_value (data->member));

  if (!step_write (data->self, stmt, data->member, error))
    return FALSE;

  data->id = sqlite3_last_insert_rowid (rg_store_get_db (data->self->store));

  return write_search_entry (data->self, STMT_FTS_INSERT, data->id, data->member, error) &&
         count_inserted (data->self, error);
}

static gboolean
has_opening_balance (RgMember *member)
{
  return rg_member_get_accumulated_points (member) != 0 ||
         rg_member_get_points_balance (member) != 0 ||
         rg_member_get_stored_value (member) != 0;
}

static gboolean
insert_in_transaction (RgStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  InsertData *data = user_data;
  RgMember *member = data->member;
  const char *reason = _("Opening balance");
  gint64 operation_id = 0;

  if (!insert_member_row (data, error) ||
      !write_attributes (data->self, data->id, member, FALSE, error))
    return FALSE;

  if (!has_opening_balance (member))
    return TRUE;

  return next_operation_id (data->self, &operation_id, error) &&
         write_ledger_row (data->self, data->id, operation_id,
                           RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS,
                           rg_member_get_accumulated_points (member),
                           rg_member_get_accumulated_points (member),
                           reason, data->source, data->now, error) &&
         write_ledger_row (data->self, data->id, operation_id,
                           RG_LEDGER_ACCOUNT_POINTS_BALANCE,
                           rg_member_get_points_balance (member),
                           rg_member_get_points_balance (member),
                           reason, data->source, data->now, error) &&
         write_ledger_row (data->self, data->id, operation_id,
                           RG_LEDGER_ACCOUNT_STORED_VALUE,
                           rg_member_get_stored_value (member),
                           rg_member_get_stored_value (member),
                           reason, data->source, data->now, error);
}

static gboolean
source_is_valid (const char  *source,
                 GError     **error)
{
  gsize len = strlen (source);

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_islower (source[i]) && !g_ascii_isdigit (source[i]) &&
          source[i] != '-' && source[i] != '_')
        len = 0;
    }
  if (len == 0 || len > MAX_SOURCE_CHARS)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_SOURCE,
                           _("Source “%s” is not valid: use lowercase letters such as "
                             "“manual” or “import”"), source);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_member_store_insert:
 * @member: a new member (id 0); validated and normalized first. Its totals, when not zero,
 *   are opening balances and get ledger rows (reason “Opening balance”).
 * @source: (nullable): the ledger source of the opening balances (`RG_LEDGER_SOURCE_*`);
 *   %NULL is "manual"
 *
 * Inserts the member with its custom attributes, atomically. Inside an outer
 * rg_store_transaction() (how an importer calls it, on its own connection) it becomes part
 * of that transaction: a refused member (invalid, duplicate) writes nothing, and a store
 * error means the caller rolls back. Emits #RgMemberStore::member-added.
 *
 * Returns: %TRUE with the member's id, created-at and updated-at set; %FALSE with an
 *   %RG_MEMBER_ERROR (%RG_MEMBER_ERROR_DUPLICATE names a taken member number) or a store
 *   error, and nothing written
 */
gboolean
rg_member_store_insert (RgMemberStore  *self,
                        RgMember       *member,
                        const char     *source,
                        GError        **error)
{
  InsertData data = { 0, };

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_MEMBER (member), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (source == NULL)
    source = RG_LEDGER_SOURCE_MANUAL;

  if (rg_member_get_id (member) != 0)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("Member %" G_GINT64_FORMAT " is already stored"),
                           rg_member_get_id (member));
      return FALSE;
    }

  if (!source_is_valid (source, error) || !rg_member_store_validate (self, member, error))
    return FALSE;

  data.self = self;
  data.member = member;
  data.source = source;
  data.now = now_seconds ();
  data.created_at = rg_member_get_created_at (member) > 0 ? rg_member_get_created_at (member)
                                                         : data.now;

  if (!run_atomically (self, insert_in_transaction, &data, error))
    return FALSE;

  rg_member_set_id (member, data.id);
  rg_member_set_created_at (member, data.created_at);
  rg_member_set_updated_at (member, data.now);

  g_signal_emit (self, signals[MEMBER_ADDED], 0, data.id);
  return TRUE;
}

static gboolean
attributes_equal (RgMember *a,
                  RgMember *b)
{
  g_auto(GStrv) keys_a = rg_member_dup_attribute_keys (a);
  g_auto(GStrv) keys_b = rg_member_dup_attribute_keys (b);

  if (!g_strv_equal ((const char * const *) keys_a, (const char * const *) keys_b))
    return FALSE;
  for (guint i = 0; keys_a[i] != NULL; i++)
    if (g_strcmp0 (rg_member_get_attribute (a, keys_a[i]),
                   rg_member_get_attribute (b, keys_a[i])) != 0)
      return FALSE;
  return TRUE;
}

static RgMemberChangeFlags
compare_members (RgMember *old,
                 RgMember *edited)
{
  RgMemberChangeFlags flags = RG_MEMBER_CHANGE_NONE;
  const char * const empty[] = { NULL };
  const char * const *old_tags = rg_member_get_tags (old);
  const char * const *new_tags = rg_member_get_tags (edited);

  if (g_strcmp0 (rg_member_get_member_number (old), rg_member_get_member_number (edited)) != 0)
    flags |= RG_MEMBER_CHANGE_MEMBER_NUMBER;
  if (g_strcmp0 (rg_member_get_name (old), rg_member_get_name (edited)) != 0)
    flags |= RG_MEMBER_CHANGE_NAME;
  if (g_strcmp0 (rg_member_get_phone (old), rg_member_get_phone (edited)) != 0)
    flags |= RG_MEMBER_CHANGE_PHONE;
  if (g_strcmp0 (rg_member_get_email (old), rg_member_get_email (edited)) != 0)
    flags |= RG_MEMBER_CHANGE_EMAIL;
  if (rg_member_get_created_at (old) != rg_member_get_created_at (edited))
    flags |= RG_MEMBER_CHANGE_CREATED_AT;
  if (g_strcmp0 (rg_member_get_line_user_id (old), rg_member_get_line_user_id (edited)) != 0 ||
      rg_member_get_line_friend (old) != rg_member_get_line_friend (edited) ||
      g_strcmp0 (rg_member_get_whatsapp_id (old), rg_member_get_whatsapp_id (edited)) != 0 ||
      rg_member_get_whatsapp_opted_in (old) != rg_member_get_whatsapp_opted_in (edited) ||
      g_strcmp0 (rg_member_get_wechat_openid (old), rg_member_get_wechat_openid (edited)) != 0 ||
      rg_member_get_wechat_follower (old) != rg_member_get_wechat_follower (edited))
    flags |= RG_MEMBER_CHANGE_CHANNELS;
  if (!g_strv_equal (old_tags != NULL ? old_tags : empty, new_tags != NULL ? new_tags : empty) ||
      g_strcmp0 (rg_member_get_note (old), rg_member_get_note (edited)) != 0 ||
      !attributes_equal (old, edited))
    flags |= RG_MEMBER_CHANGE_DETAILS;

  return flags;
}

typedef struct
{
  RgMemberStore       *self;
  RgMember            *old;
  RgMember            *member;
  RgMemberChangeFlags  flags;
  gboolean             attributes_changed;
  gint64               now;
} UpdateData;

static gboolean
update_in_transaction (RgStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  UpdateData *data = user_data;
  gint64 id = rg_member_get_id (data->member);
  g_autofree char *tags_json = tags_to_json (rg_member_get_tags (data->member));

  {
    g_auto(CachedStmt) stmt = get_stmt (data->self, STMT_UPDATE_MEMBER, error);

    if (stmt == NULL)
      return FALSE;
    bind_member (stmt, data->member, tags_json, rg_member_get_created_at (data->member),
                 data->now);
    sqlite3_bind_int64 (stmt, 18, id);
    if (!step_write (data->self, stmt, data->member, error))
      return FALSE;
  }

  if ((data->flags & (RG_MEMBER_CHANGE_MEMBER_NUMBER | RG_MEMBER_CHANGE_NAME |
                      RG_MEMBER_CHANGE_PHONE | RG_MEMBER_CHANGE_EMAIL)) != 0 &&
      (!write_search_entry (data->self, STMT_FTS_DELETE, id, data->old, error) ||
       !write_search_entry (data->self, STMT_FTS_INSERT, id, data->member, error)))
    return FALSE;

  return !data->attributes_changed ||
         write_attributes (data->self, id, data->member, TRUE, error);
}

/**
 * rg_member_store_update:
 * @member: a stored member with changed values; validated and normalized first
 *
 * Writes everything but the totals (those move only through rg_member_store_adjust(); the
 * member's totals are refreshed from the database). Nothing is written when nothing
 * changed. Emits #RgMemberStore::member-changed with what changed.
 *
 * Returns: %FALSE with an %RG_MEMBER_ERROR (%RG_MEMBER_ERROR_NOT_FOUND for a missing or
 *   deleted member) or a store error
 */
gboolean
rg_member_store_update (RgMemberStore  *self,
                        RgMember       *member,
                        GError        **error)
{
  g_autoptr(RgMember) old = NULL;
  g_autoptr(GError) local_error = NULL;
  UpdateData data = { 0, };
  gint64 id;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_MEMBER (member), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = rg_member_get_id (member);
  if (!rg_member_store_validate (self, member, error))
    return FALSE;

  if ((old = select_one (self, STMT_SELECT_BY_ID, NULL, id, &local_error)) == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                             _("Member %" G_GINT64_FORMAT " does not exist or was deleted"), id);
      return FALSE;
    }

  if (rg_member_get_created_at (member) == 0)
    rg_member_set_created_at (member, rg_member_get_created_at (old));

  data.self = self;
  data.old = old;
  data.member = member;
  data.flags = compare_members (old, member);
  data.attributes_changed = !attributes_equal (old, member);
  data.now = now_seconds ();

  if (data.flags != RG_MEMBER_CHANGE_NONE &&
      !run_atomically (self, update_in_transaction, &data, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (member));
  rg_member_set_accumulated_points (member, rg_member_get_accumulated_points (old));
  rg_member_set_points_balance (member, rg_member_get_points_balance (old));
  rg_member_set_stored_value (member, rg_member_get_stored_value (old));
  rg_member_set_updated_at (member, data.flags != RG_MEMBER_CHANGE_NONE
                                    ? data.now : rg_member_get_updated_at (old));
  g_object_thaw_notify (G_OBJECT (member));

  if (data.flags != RG_MEMBER_CHANGE_NONE)
    g_signal_emit (self, signals[MEMBER_CHANGED], 0, id, data.flags);

  return TRUE;
}

/**
 * rg_member_store_get:
 *
 * Returns: (transfer full): the member, or %NULL with %RG_MEMBER_ERROR_NOT_FOUND when there
 *   is no such member or it was deleted
 */
RgMember *
rg_member_store_get (RgMemberStore  *self,
                     gint64          id,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  RgMember *member;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((member = select_one (self, STMT_SELECT_BY_ID, NULL, id, &local_error)) != NULL)
    return member;

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                         _("Member %" G_GINT64_FORMAT " does not exist or was deleted"), id);
  return NULL;
}

static RgMember *
find_by (RgMemberStore  *self,
         StmtId          stmt,
         const char     *value,
         GError        **error)
{
  g_autofree char *trimmed = trim_or_null (value);

  if (trimmed == NULL)
    return NULL;
  return select_one (self, stmt, trimmed, 0, error);
}

/**
 * rg_member_store_find_by_member_number:
 *
 * Returns: (transfer full) (nullable): the member (not deleted) with this number; %NULL
 *   without an error when there is none
 */
RgMember *
rg_member_store_find_by_member_number (RgMemberStore  *self,
                                       const char     *member_number,
                                       GError        **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  return find_by (self, STMT_SELECT_BY_NUMBER, member_number, error);
}

/**
 * rg_member_store_find_by_phone:
 * @phone: a phone number in any format; read with the shop's default region
 *
 * Several members may share a phone (a family); this returns the oldest.
 *
 * Returns: (transfer full) (nullable): the member, %NULL without an error when there is
 *   none, or %NULL with %RG_MEMBER_ERROR_INVALID when @phone is not a phone number
 */
RgMember *
rg_member_store_find_by_phone (RgMemberStore  *self,
                               const char     *phone,
                               GError        **error)
{
  g_autofree char *region = NULL;
  g_autofree char *e164 = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  if (phone == NULL)
    return NULL;

  region = dup_default_region (self);
  if ((e164 = rg_phone_normalize (phone, region, &local_error)) == NULL)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_PHONE,
                           "%s", local_error->message);
      return NULL;
    }

  return select_one (self, STMT_SELECT_BY_PHONE, e164, 0, error);
}

/**
 * rg_member_store_find_by_line_user_id:
 *
 * Returns: (transfer full) (nullable): the member, %NULL without an error when there is none
 */
RgMember *
rg_member_store_find_by_line_user_id (RgMemberStore  *self,
                                      const char     *line_user_id,
                                      GError        **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  return find_by (self, STMT_SELECT_BY_LINE, line_user_id, error);
}

/**
 * rg_member_store_find_by_whatsapp_id:
 *
 * Returns: (transfer full) (nullable): the member, %NULL without an error when there is none
 */
RgMember *
rg_member_store_find_by_whatsapp_id (RgMemberStore  *self,
                                     const char     *whatsapp_id,
                                     GError        **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  if (whatsapp_id != NULL && whatsapp_id[0] == '+')
    whatsapp_id++;
  return find_by (self, STMT_SELECT_BY_WHATSAPP, whatsapp_id, error);
}

/**
 * rg_member_store_find_by_wechat_openid:
 *
 * Returns: (transfer full) (nullable): the member, %NULL without an error when there is none
 */
RgMember *
rg_member_store_find_by_wechat_openid (RgMemberStore  *self,
                                       const char     *openid,
                                       GError        **error)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  return find_by (self, STMT_SELECT_BY_WECHAT, openid, error);
}

/**
 * rg_member_store_delete:
 *
 * Soft-deletes a member: it leaves every list and lookup, its member number and channel
 * ids become free, and rg_member_store_restore() brings it back (the Undo of the toast).
 * Emits #RgMemberStore::member-removed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_NOT_FOUND when there is no such member (or it is
 *   deleted already)
 */
gboolean
rg_member_store_delete (RgMemberStore  *self,
                        gint64          id,
                        GError        **error)
{
  g_auto(CachedStmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((stmt = get_stmt (self, STMT_SOFT_DELETE, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  if (!step_write (self, stmt, NULL, error))
    return FALSE;

  if (sqlite3_changes (rg_store_get_db (self->store)) == 0)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                           _("Member %" G_GINT64_FORMAT " does not exist or was deleted"), id);
      return FALSE;
    }

  g_signal_emit (self, signals[MEMBER_REMOVED], 0, id);
  return TRUE;
}

/**
 * rg_member_store_restore:
 *
 * Undoes rg_member_store_delete(). Emits #RgMemberStore::member-added.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_DUPLICATE when another member took the member
 *   number or a channel id in the meantime, %RG_MEMBER_ERROR_NOT_FOUND when @id is not a
 *   deleted member
 */
gboolean
rg_member_store_restore (RgMemberStore  *self,
                         gint64          id,
                         GError        **error)
{
  sqlite3 *db;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = rg_store_get_db (self->store);

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_RESTORE, error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, now_seconds ());

    if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
      {
        g_autofree char *message = g_strdup (sqlite3_errmsg (db));
        int errcode = sqlite3_extended_errcode (db);
        g_autoptr(RgMember) deleted = NULL;
        g_autoptr(sqlite3_stmt) query = NULL;

        /* Name the value that is taken: read the deleted row the unique index refused. */
        query = rg_store_prepare (self->store,
                                  "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
                                  " WHERE m.id = ?1",
                                  NULL);
        if (query != NULL)
          {
            sqlite3_bind_int64 (query, 1, id);
            if (sqlite3_step (query) == SQLITE_ROW)
              deleted = _rg_member_store_member_from_row (query);
          }
        set_write_error_full (self, deleted, errcode, message, error);
        return FALSE;
      }
  }

  if (sqlite3_changes (db) == 0)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                           _("Member %" G_GINT64_FORMAT " is not a deleted member"), id);
      return FALSE;
    }

  g_signal_emit (self, signals[MEMBER_ADDED], 0, id);
  return TRUE;
}

/**
 * rg_member_store_count:
 * @count: (out): the number of members that are not deleted
 */
gboolean
rg_member_store_count (RgMemberStore  *self,
                       guint64        *count,
                       GError        **error)
{
  g_auto(CachedStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  *count = 0;
  if ((stmt = get_stmt (self, STMT_COUNT, error)) == NULL ||
      !step_row (self, stmt, &has_row, error))
    return FALSE;

  if (has_row)
    *count = MAX (0, sqlite3_column_int64 (stmt, 0));
  return TRUE;
}

/**
 * rg_member_store_set_line_friend:
 * @line_user_id: the LINE userId from a follow or unfollow event
 * @is_friend: whether the user follows the shop's official account now
 *
 * Records a follow or unfollow. Emits #RgMemberStore::member-changed when the flag changed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_NOT_FOUND when no member has this userId (someone
 *   who is not a member yet followed the account; not a failure of the webhook)
 */
gboolean
rg_member_store_set_line_friend (RgMemberStore  *self,
                                 const char     *line_user_id,
                                 gboolean        is_friend,
                                 GError        **error)
{
  gint64 id;
  gboolean was_friend;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (line_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  is_friend = !!is_friend;

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_SELECT_LINE_FRIEND, error);
    gboolean has_row;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, line_user_id, -1, SQLITE_STATIC);
    if (!step_row (self, stmt, &has_row, error))
      return FALSE;
    if (!has_row)
      {
        rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, RG_MEMBER_FIELD_LINE_USER_ID,
                             _("No member has the LINE user ID “%s”"), line_user_id);
        return FALSE;
      }
    id = sqlite3_column_int64 (stmt, 0);
    was_friend = !!sqlite3_column_int (stmt, 1);
  }

  if (was_friend == is_friend)
    return TRUE;

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_SET_LINE_FRIEND, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int (stmt, 2, is_friend);
    sqlite3_bind_int64 (stmt, 3, now_seconds ());
    if (!step_write (self, stmt, NULL, error))
      return FALSE;
  }

  g_signal_emit (self, signals[MEMBER_CHANGED], 0, id, RG_MEMBER_CHANGE_CHANNELS);
  return TRUE;
}

static gboolean
add_checked (gint64  a,
             gint64  b,
             gint64 *sum)
{
  if ((b > 0 && a > G_MAXINT64 - b) || (b < 0 && a < G_MININT64 - b))
    return FALSE;
  *sum = a + b;
  return TRUE;
}

typedef struct
{
  RgMemberStore         *self;
  gint64                 member_id;
  const RgBalanceChange *change;
  const char            *reason;
  const char            *source;
} AdjustData;

static gboolean
adjust_in_transaction (RgStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  AdjustData *data = user_data;
  RgMemberStore *self = data->self;
  const gint64 deltas[] = {
    [RG_LEDGER_ACCOUNT_ACCUMULATED_POINTS] = data->change->accumulated_points,
    [RG_LEDGER_ACCOUNT_POINTS_BALANCE] = data->change->points_balance,
    [RG_LEDGER_ACCOUNT_STORED_VALUE] = data->change->stored_value,
  };
  gint64 before[G_N_ELEMENTS (deltas)];
  gint64 after[G_N_ELEMENTS (deltas)];
  gint64 operation_id;
  gint64 now = now_seconds ();

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_SELECT_TOTALS, error);
    gboolean has_row;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, data->member_id);
    if (!step_row (self, stmt, &has_row, error))
      return FALSE;
    if (!has_row)
      {
        rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                             _("Member %" G_GINT64_FORMAT " does not exist or was deleted"),
                             data->member_id);
        return FALSE;
      }
    for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
      before[i] = sqlite3_column_int64 (stmt, i);
  }

  /* Every account is checked before anything is written. */
  for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
    {
      if (!add_checked (before[i], deltas[i], &after[i]))
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, rg_ledger_account_to_string (i),
                               _("%s cannot grow by %" G_GINT64_FORMAT ": too large"),
                               rg_ledger_account_get_label (i), deltas[i]);
          return FALSE;
        }
      if (after[i] < 0)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_NEGATIVE_BALANCE,
                               rg_ledger_account_to_string (i),
                               /* Translators: “Points balance is 100; taking 150 would leave
                                * −50. Nothing was changed.” */
                               _("%s is %" G_GINT64_FORMAT "; taking %" G_GINT64_FORMAT
                                 " would leave %" G_GINT64_FORMAT ". Nothing was changed."),
                               rg_ledger_account_get_label (i), before[i], -deltas[i], after[i]);
          return FALSE;
        }
    }

  {
    g_auto(CachedStmt) stmt = get_stmt (self, STMT_UPDATE_TOTALS, error);

    if (stmt == NULL)
      return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
      sqlite3_bind_int64 (stmt, i + 1, after[i]);
    sqlite3_bind_int64 (stmt, 4, now);
    sqlite3_bind_int64 (stmt, 5, data->member_id);
    if (!step_write (self, stmt, NULL, error))
      return FALSE;
  }

  if (!next_operation_id (self, &operation_id, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
    if (!write_ledger_row (self, data->member_id, operation_id, i, deltas[i], after[i],
                           data->reason, data->source, now, error))
      return FALSE;

  return TRUE;
}

/**
 * rg_member_store_adjust:
 * @member_id: the member
 * @change: the deltas (any may be 0, not all), the reason and the source
 *
 * Changes a member's totals and writes one ledger row per changed account, in one
 * transaction. When a total would become negative nothing is written. Emits exactly one
 * #RgMemberStore::balance-changed for the whole change (points and stored value together),
 * then #RgMemberStore::member-changed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_NEGATIVE_BALANCE (the field names the account),
 *   %RG_MEMBER_ERROR_INVALID for a missing reason or an empty change,
 *   %RG_MEMBER_ERROR_NOT_FOUND, or a store error
 */
gboolean
rg_member_store_adjust (RgMemberStore          *self,
                        gint64                  member_id,
                        const RgBalanceChange  *change,
                        GError                **error)
{
  g_autoptr(RgBalanceChange) emitted = NULL;
  g_autofree char *reason = NULL;
  AdjustData data = { 0, };

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reason = trim_or_null (change->reason);
  if (reason == NULL || !g_utf8_validate (reason, -1, NULL))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_REASON,
                           _("A reason is required for every change of points or stored value"));
      return FALSE;
    }
  if (g_utf8_strlen (reason, -1) > MAX_REASON_CHARS || has_control_chars (reason, FALSE))
    {
      g_autofree char *shown = printable (reason);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_REASON,
                           _("Reason “%s” must be one line of at most %d characters"),
                           shown, MAX_REASON_CHARS);
      return FALSE;
    }
  if (rg_balance_change_is_empty (change))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, NULL,
                           _("The change is empty: points and stored value stay as they are"));
      return FALSE;
    }

  data.self = self;
  data.member_id = member_id;
  data.change = change;
  data.reason = reason;
  data.source = change->source != NULL ? change->source : RG_LEDGER_SOURCE_MANUAL;

  if (!source_is_valid (data.source, error) ||
      !run_atomically (self, adjust_in_transaction, &data, error))
    return FALSE;

  emitted = rg_balance_change_copy (&(RgBalanceChange) {
    .accumulated_points = change->accumulated_points,
    .points_balance = change->points_balance,
    .stored_value = change->stored_value,
    .reason = reason,
    .source = data.source,
  });
  g_signal_emit (self, signals[BALANCE_CHANGED], 0, member_id, emitted);
  g_signal_emit (self, signals[MEMBER_CHANGED], 0, member_id, RG_MEMBER_CHANGE_BALANCES);
  return TRUE;
}

/**
 * rg_member_store_list_ledger:
 *
 * Returns: (transfer full): the member's #RgLedgerEntry rows, newest first, or %NULL with
 *   %RG_MEMBER_ERROR_NOT_FOUND when the member never existed
 */
GListModel *
rg_member_store_list_ledger (RgMemberStore  *self,
                             gint64          member_id,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GListStore) entries = NULL;
  gboolean exists = FALSE;
  int rc;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = rg_store_prepare (self->store,
                           "SELECT l.id, l.operation_id, l.account, l.delta, l.balance_after,"
                           "  l.reason, l.source, l.created_at, m.id"
                           " FROM members m LEFT JOIN ledger l ON l.member_id = m.id"
                           " WHERE m.id = ?1 ORDER BY l.id DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);

  entries = g_list_store_new (RG_TYPE_LEDGER_ENTRY);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RgLedgerEntry) entry = NULL;
      RgLedgerAccount account = RG_LEDGER_ACCOUNT_POINTS_BALANCE;

      exists = TRUE;
      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        continue;

      rg_ledger_account_from_string (column_text (stmt, 2), &account);
      entry = g_object_new (RG_TYPE_LEDGER_ENTRY,
                            "id", sqlite3_column_int64 (stmt, 0),
                            "member-id", member_id,
                            "operation-id", sqlite3_column_int64 (stmt, 1),
                            "account", account,
                            "delta", sqlite3_column_int64 (stmt, 3),
                            "balance-after", sqlite3_column_int64 (stmt, 4),
                            "reason", column_text (stmt, 5),
                            "source", column_text (stmt, 6),
                            "created-at", sqlite3_column_int64 (stmt, 7),
                            NULL);
      g_list_store_append (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, _("reading the ledger"));
      return NULL;
    }
  if (!exists)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                           _("Member %" G_GINT64_FORMAT " does not exist"), member_id);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&entries));
}

static int
compare_definitions (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  RgAttributeDefinition *da = (RgAttributeDefinition *) a;
  RgAttributeDefinition *db = (RgAttributeDefinition *) b;
  int pa = rg_attribute_definition_get_position (da);
  int pb = rg_attribute_definition_get_position (db);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return strcmp (rg_attribute_definition_get_key (da), rg_attribute_definition_get_key (db));
}

/**
 * rg_member_store_list_attributes:
 *
 * Returns: (transfer full): copies of the #RgAttributeDefinition of the shop's custom
 *   attributes, in display order; editing them changes nothing until
 *   rg_member_store_update_attribute()
 */
GListModel *
rg_member_store_list_attributes (RgMemberStore  *self,
                                 GError        **error)
{
  g_autoptr(GListStore) list = NULL;
  GHashTable *definitions;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  if ((definitions = ensure_definitions (self, error)) == NULL)
    return NULL;

  list = g_list_store_new (RG_TYPE_ATTRIBUTE_DEFINITION);
  g_hash_table_iter_init (&iter, definitions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(RgAttributeDefinition) copy = rg_attribute_definition_copy (value);
      g_list_store_insert_sorted (list, copy, compare_definitions, NULL);
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * rg_member_store_lookup_attribute:
 *
 * Returns: (transfer full) (nullable): a copy of the definition of @key, %NULL without an
 *   error when there is none
 */
RgAttributeDefinition *
rg_member_store_lookup_attribute (RgMemberStore  *self,
                                  const char     *key,
                                  GError        **error)
{
  GHashTable *definitions;
  RgAttributeDefinition *definition;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if ((definitions = ensure_definitions (self, error)) == NULL)
    return NULL;
  if ((definition = g_hash_table_lookup (definitions, key)) == NULL)
    return NULL;
  return rg_attribute_definition_copy (definition);
}

static gboolean
validate_definition (RgAttributeDefinition  *definition,
                     GError                **error)
{
  const char *key = rg_attribute_definition_get_key (definition);
  g_autofree char *label = trim_or_null (rg_attribute_definition_get_label (definition));

  if (!rg_attribute_key_is_valid (key))
    {
      g_autofree char *shown = printable (key != NULL ? key : "");
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_ATTRIBUTE_KEY,
                           _("Key “%s” is not valid: use lowercase letters, digits and “_”, "
                             "starting with a letter"), shown);
      return FALSE;
    }
  if (label == NULL || !g_utf8_validate (label, -1, NULL))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_ATTRIBUTE_LABEL,
                           _("The custom attribute “%s” needs a label"), key);
      return FALSE;
    }
  if (g_utf8_strlen (label, -1) > MAX_LABEL_CHARS || has_control_chars (label, FALSE))
    {
      g_autofree char *shown = printable (label);
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_ATTRIBUTE_LABEL,
                           _("Label “%s” must be one line of at most %d characters"),
                           shown, MAX_LABEL_CHARS);
      return FALSE;
    }

  rg_attribute_definition_set_label (definition, label);
  return TRUE;
}

static gboolean
set_definition_write_error (RgMemberStore  *self,
                            const char     *key,
                            GError        **error)
{
  sqlite3 *db = rg_store_get_db (self->store);

  if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_PRIMARYKEY ||
      sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
    rg_member_set_error (error, RG_MEMBER_ERROR_DUPLICATE, RG_MEMBER_FIELD_ATTRIBUTE_KEY,
                         _("There is already a custom attribute with the key “%s”"), key);
  else
    set_db_error (self, error, _("saving a custom attribute"));
  return FALSE;
}

/**
 * rg_member_store_add_attribute:
 * @definition: the new attribute; a position of 0 puts it after the others (the position
 *   used is set on @definition)
 *
 * Emits #RgMemberStore::attributes-changed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_INVALID (field "key" or "label") or
 *   %RG_MEMBER_ERROR_DUPLICATE
 */
gboolean
rg_member_store_add_attribute (RgMemberStore          *self,
                               RgAttributeDefinition  *definition,
                               GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int position;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (definition), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_definition (definition, error))
    return FALSE;

  stmt = rg_store_prepare (self->store,
                           "INSERT INTO attribute_definitions (key, label, type, position)"
                           " VALUES (?1, ?2, ?3, coalesce (?4,"
                           "   (SELECT coalesce (max (position), 0) + 1"
                           "    FROM attribute_definitions)))"
                           " RETURNING position",
                           error);
  if (stmt == NULL)
    return FALSE;

  position = rg_attribute_definition_get_position (definition);
  sqlite3_bind_text (stmt, 1, rg_attribute_definition_get_key (definition), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rg_attribute_definition_get_label (definition), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3,
                     rg_attribute_type_to_string (rg_attribute_definition_get_value_type (definition)),
                     -1, SQLITE_STATIC);
  if (position != 0)
    sqlite3_bind_int (stmt, 4, position);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_definition_write_error (self, rg_attribute_definition_get_key (definition), error);
  rg_attribute_definition_set_position (definition, sqlite3_column_int (stmt, 0));

  invalidate_definitions (self);
  g_signal_emit (self, signals[ATTRIBUTES_CHANGED], 0);
  return TRUE;
}

typedef struct
{
  RgMemberStore         *self;
  const char            *old_key;
  RgAttributeDefinition *definition;
  RgAttributeDefinition *old;
  gboolean               values_changed;
} UpdateAttributeData;

/* A new type must fit every stored value; values that fit are rewritten in the new type's
 * form (a text "2024/1/5" becomes the date "2024-01-05"). */
static gboolean
convert_values (UpdateAttributeData  *data,
                GError              **error)
{
  RgMemberStore *self = data->self;
  RgAttributeType type = rg_attribute_definition_get_value_type (data->definition);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) rewrite = NULL;
  int rc;

  select = rg_store_prepare (self->store,
                             "SELECT a.member_id, a.value, m.name, m.member_number"
                             " FROM member_attributes a JOIN members m ON m.id = a.member_id"
                             " WHERE a.key = ?1",
                             error);
  rewrite = rg_store_prepare (self->store,
                              "UPDATE member_attributes SET value = ?3"
                              " WHERE member_id = ?1 AND key = ?2",
                              error);
  if (select == NULL || rewrite == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, data->old_key, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *value = column_text (select, 1);
      g_autofree char *normalized = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!rg_attribute_type_normalize (type, value, &normalized, &local_error))
        {
          const char *number = column_text (select, 3);

          rg_member_set_error (error, RG_MEMBER_ERROR_ATTRIBUTE_CONFLICT,
                               RG_MEMBER_FIELD_ATTRIBUTE_TYPE,
                               /* Translators: “Cannot make “Favourite tea” a date: 陳怡君
                                * (M001) has “oolong”.” */
                               _("Cannot make “%s” a %s: %s (%s) has “%s”."),
                               rg_attribute_definition_get_label (data->old),
                               rg_attribute_type_get_label (type),
                               column_text (select, 2), number != NULL ? number : "—", value);
          return FALSE;
        }
      if (g_strcmp0 (normalized, value) == 0)
        continue;

      sqlite3_bind_int64 (rewrite, 1, sqlite3_column_int64 (select, 0));
      sqlite3_bind_text (rewrite, 2, data->old_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (rewrite, 3, normalized, -1, SQLITE_STATIC);
      if (!rg_store_step_done (self->store, rewrite, error))
        return FALSE;
      data->values_changed = TRUE;
    }

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, _("reading custom attribute values"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
update_attribute_in_transaction (RgStore   *store,
                                 gpointer   user_data,
                                 GError   **error)
{
  UpdateAttributeData *data = user_data;
  RgAttributeDefinition *definition = data->definition;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *new_key = rg_attribute_definition_get_key (definition);

  if (rg_attribute_definition_get_value_type (definition) !=
        rg_attribute_definition_get_value_type (data->old) &&
      !convert_values (data, error))
    return FALSE;

  stmt = rg_store_prepare (store,
                           "UPDATE attribute_definitions"
                           " SET key = ?2, label = ?3, type = ?4, position = ?5 WHERE key = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, data->old_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rg_attribute_definition_get_label (definition), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4,
                     rg_attribute_type_to_string (rg_attribute_definition_get_value_type (definition)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, rg_attribute_definition_get_position (definition));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_definition_write_error (data->self, new_key, error);

  if (!g_str_equal (new_key, data->old_key))
    data->values_changed = TRUE;
  return TRUE;
}

/**
 * rg_member_store_update_attribute:
 * @key: the attribute's current key
 * @definition: its new key, label, type and position
 *
 * Renaming the key moves the members' values along. Changing the type converts every
 * stored value, or fails naming the first member whose value does not fit.
 * Emits #RgMemberStore::attributes-changed, and #RgMemberStore::members-changed when
 * members' values changed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_NOT_FOUND, %RG_MEMBER_ERROR_INVALID,
 *   %RG_MEMBER_ERROR_DUPLICATE (the new key is taken) or
 *   %RG_MEMBER_ERROR_ATTRIBUTE_CONFLICT (a value does not fit the new type)
 */
gboolean
rg_member_store_update_attribute (RgMemberStore          *self,
                                  const char             *key,
                                  RgAttributeDefinition  *definition,
                                  GError                **error)
{
  g_autoptr(RgAttributeDefinition) old = NULL;
  g_autoptr(GError) local_error = NULL;
  UpdateAttributeData data = { 0, };

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (RG_IS_ATTRIBUTE_DEFINITION (definition), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((old = rg_member_store_lookup_attribute (self, key, &local_error)) == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, RG_MEMBER_FIELD_ATTRIBUTE_KEY,
                             _("There is no custom attribute “%s”"), key);
      return FALSE;
    }

  if (!validate_definition (definition, error))
    return FALSE;

  data.self = self;
  data.old_key = key;
  data.definition = definition;
  data.old = old;

  if (!rg_store_transaction (self->store, update_attribute_in_transaction, &data, error))
    return FALSE;

  invalidate_definitions (self);
  g_signal_emit (self, signals[ATTRIBUTES_CHANGED], 0);
  if (data.values_changed)
    g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
  return TRUE;
}

/**
 * rg_member_store_remove_attribute:
 *
 * Removes a custom attribute and every member's value of it. Emits
 * #RgMemberStore::attributes-changed and #RgMemberStore::members-changed.
 *
 * Returns: %FALSE with %RG_MEMBER_ERROR_NOT_FOUND when there is no such attribute
 */
gboolean
rg_member_store_remove_attribute (RgMemberStore  *self,
                                  const char     *key,
                                  GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = rg_store_prepare (self->store, "DELETE FROM attribute_definitions WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!rg_store_step_done (self->store, stmt, error))
    return FALSE;

  if (sqlite3_changes (rg_store_get_db (self->store)) == 0)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, RG_MEMBER_FIELD_ATTRIBUTE_KEY,
                           _("There is no custom attribute “%s”"), key);
      return FALSE;
    }

  invalidate_definitions (self);
  g_signal_emit (self, signals[ATTRIBUTES_CHANGED], 0);
  g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
  return TRUE;
}

/**
 * rg_member_store_emit_changed:
 *
 * Tells everyone listening that members changed in ways they cannot follow one by one: a
 * bulk import committed on another connection, for instance. Lists reload.
 */
void
rg_member_store_emit_changed (RgMemberStore *self)
{
  g_return_if_fail (RG_IS_MEMBER_STORE (self));

  invalidate_definitions (self);
  g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
}

static void
rg_member_store_dispose (GObject *object)
{
  RgMemberStore *self = (RgMemberStore *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  invalidate_definitions (self);
  g_clear_pointer (&self->known_phones, g_hash_table_unref);

  if (self->store != NULL &&
      g_object_get_qdata (G_OBJECT (self->store), member_store_for_connection_quark ()) == self)
    g_object_set_qdata (G_OBJECT (self->store), member_store_for_connection_quark (), NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_member_store_parent_class)->dispose (object);
}

static void
rg_member_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RgMemberStore *self = RG_MEMBER_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RgMemberStore *self = RG_MEMBER_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_store_class_init (RgMemberStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_member_store_dispose;
  object_class->get_property = rg_member_store_get_property;
  object_class->set_property = rg_member_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgMemberStore::member-added:
   * @id: the new (or restored) member
   */
  signals[MEMBER_ADDED] =
    g_signal_new ("member-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * RgMemberStore::member-changed:
   * @id: the member
   * @changes: what changed, #RgMemberChangeFlags
   */
  signals[MEMBER_CHANGED] =
    g_signal_new ("member-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, RG_TYPE_MEMBER_CHANGE_FLAGS);

  /**
   * RgMemberStore::member-removed:
   * @id: the (soft-)deleted member
   */
  signals[MEMBER_REMOVED] =
    g_signal_new ("member-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * RgMemberStore::balance-changed:
   * @id: the member
   * @change: the whole change of one rg_member_store_adjust() call: points and stored
   *   value together, so a notification can say both in one message
   */
  signals[BALANCE_CHANGED] =
    g_signal_new ("balance-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64,
                  RG_TYPE_BALANCE_CHANGE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * RgMemberStore::members-changed:
   *
   * Members changed in ways not reported one by one; reload.
   */
  signals[MEMBERS_CHANGED] =
    g_signal_new ("members-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * RgMemberStore::attributes-changed:
   *
   * A custom attribute definition was added, changed or removed.
   */
  signals[ATTRIBUTES_CHANGED] =
    g_signal_new ("attributes-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rg_member_store_init (RgMemberStore *self)
{
  self->known_phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * rg_member_store_new:
 * @store: the connection to work on
 *
 * There is one member store per connection: a second call with the same @store returns
 * the same object, so that everyone working on a connection sees the others' changes. A
 * worker thread opens its own RgStore and gets its own member store.
 *
 * Returns: (transfer full): the member store of @store
 */
RgMemberStore *
rg_member_store_new (RgStore *store)
{
  RgMemberStore *self;

  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  self = g_object_get_qdata (G_OBJECT (store), member_store_for_connection_quark ());
  if (self != NULL)
    return g_object_ref (self);

  self = g_object_new (RG_TYPE_MEMBER_STORE, "store", store, NULL);
  g_object_set_qdata (G_OBJECT (store), member_store_for_connection_quark (), self);
  return self;
}

/**
 * rg_member_store_get_store:
 *
 * Returns: (transfer none): the connection
 */
RgStore *
rg_member_store_get_store (RgMemberStore *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_STORE (self), NULL);

  return self->store;
}
