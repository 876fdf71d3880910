/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#define RG_MEMBER_STORE_COMPILATION
#include "rg-member-store-private.h"
#include "rg-phone.h"
#include "rg-store-private.h"

#define MAX_REASON_CHARS 200
#define MAX_SOURCE_CHARS 32

/*
 * RgMemberStore: members, their custom attributes and the ledger, on one RgStore connection.
 *
 * Writes go through statements prepared once per connection, so a bulk import on a worker
 * thread (its own RgStore, its own RgMemberStore, one outer rg_store_transaction()) pays for
 * binding and stepping only. There is one RgMemberStore per RgStore: everyone who works on a
 * connection (the members page, the webhook server) shares it and hears its signals.
 */

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

/* Marks the one member store of a connection on its RgStore. */
static GQuark
connection_quark (void)
{
  return g_quark_from_static_string ("rg-member-store-connection");
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

sqlite3_stmt *
_rg_member_store_get_stmt (RgMemberStore      *self,
                           RgMemberStoreStmt   id,
                           GError            **error)
{
  g_assert (id < N_STMTS);

  if (self->stmts[id] == NULL)
    self->stmts[id] = rg_store_prepare (self->store, stmt_sql[id], error);

  return self->stmts[id];
}

void
_rg_member_store_set_db_error (RgMemberStore  *self,
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

  _rg_member_store_set_db_error (self, error, _("reading members"));
  return FALSE;
}

/* Tags as the JSON array the tags column holds; the importer's batch writer stores them so too. */
char *
_rg_member_tags_to_json (const char * const *tags)
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
  g_auto(GStrv) tags = tags_from_json (_rg_member_column_text (stmt, 8));

  rg_member_set_id (member, sqlite3_column_int64 (stmt, 0));
  rg_member_set_member_number (member, _rg_member_column_text (stmt, 1));
  rg_member_set_name (member, _rg_member_column_text (stmt, 2));
  rg_member_set_phone (member, _rg_member_column_text (stmt, 3));
  rg_member_set_email (member, _rg_member_column_text (stmt, 4));
  rg_member_set_accumulated_points (member, sqlite3_column_int64 (stmt, 5));
  rg_member_set_points_balance (member, sqlite3_column_int64 (stmt, 6));
  rg_member_set_stored_value (member, sqlite3_column_int64 (stmt, 7));
  rg_member_set_tags (member, (const char * const *) tags);
  rg_member_set_note (member, _rg_member_column_text (stmt, 9));
  rg_member_set_line_user_id (member, _rg_member_column_text (stmt, 10));
  rg_member_set_line_friend (member, sqlite3_column_int (stmt, 11));
  rg_member_set_whatsapp_id (member, _rg_member_column_text (stmt, 12));
  rg_member_set_whatsapp_opted_in (member, sqlite3_column_int (stmt, 13));
  rg_member_set_wechat_openid (member, _rg_member_column_text (stmt, 14));
  rg_member_set_wechat_follower (member, sqlite3_column_int (stmt, 15));
  rg_member_set_created_at (member, sqlite3_column_int64 (stmt, 16));
  rg_member_set_updated_at (member, sqlite3_column_int64 (stmt, 17));
  attributes_from_json (member, _rg_member_column_text (stmt, 18));
  rg_member_set_home_region (member, _rg_member_column_text (stmt, 19));

  return member;
}

static RgMember *
select_one (RgMemberStore  *self,
            RgMemberStoreStmt          id,
            const char     *text_key,
            gint64          int_key,
            GError        **error)
{
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, id, error);
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
  RgMemberStoreStmt lookup = STMT_SELECT_BY_NUMBER;

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
                    RgMemberStoreStmt          id,
                    gint64          member_id,
                    RgMember       *member,
                    GError        **error)
{
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, id, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, rg_member_get_member_number (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rg_member_get_name (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rg_member_get_phone (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rg_member_get_email (member), -1, SQLITE_STATIC);

  return step_write (self, stmt, NULL, error);
}

static gboolean
count_inserted (RgMemberStore  *self,
                GError        **error)
{
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_COUNT_INSERTED, error);

  return stmt != NULL && step_write (self, stmt, NULL, error);
}

/* Absent optional fields are NULL, which sqlite3_bind_text() binds as NULL. */
static void
bind_member (sqlite3_stmt *stmt,
             RgMember     *member,
             const char   *tags_json,
             gint64        created_at,
             gint64        updated_at)
{
  sqlite3_bind_text (stmt, 1, rg_member_get_member_number (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rg_member_get_name (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rg_member_get_phone (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rg_member_get_email (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, tags_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, rg_member_get_note (member), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, rg_member_get_line_user_id (member), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, rg_member_get_line_friend (member));
  sqlite3_bind_text (stmt, 12, rg_member_get_whatsapp_id (member), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, rg_member_get_whatsapp_opted_in (member));
  sqlite3_bind_text (stmt, 14, rg_member_get_wechat_openid (member), -1, SQLITE_STATIC);
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
      g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_DELETE_ATTRIBUTES, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, member_id);
      if (!step_write (self, stmt, NULL, error))
        return FALSE;
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_INSERT_ATTRIBUTE, error);

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
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_NEXT_OPERATION, error);
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

  if ((stmt = _rg_member_store_get_stmt (self, STMT_INSERT_LEDGER, error)) == NULL)
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
  g_autofree char *tags_json = _rg_member_tags_to_json (rg_member_get_tags (data->member));
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (data->self, STMT_INSERT_MEMBER, error);

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
                           _("Member %lld is already stored"),
                           (long long) rg_member_get_id (member));
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
  g_autofree char *tags_json = _rg_member_tags_to_json (rg_member_get_tags (data->member));

  {
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (data->self, STMT_UPDATE_MEMBER, error);

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
                             _("Member %lld does not exist or was deleted"), (long long) id);
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
                         _("Member %lld does not exist or was deleted"), (long long) id);
  return NULL;
}

static RgMember *
find_by (RgMemberStore  *self,
         RgMemberStoreStmt          stmt,
         const char     *value,
         GError        **error)
{
  g_autofree char *trimmed = _rg_member_trim_or_null (value);

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

  region = _rg_member_store_dup_default_region (self);
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

  if ((stmt = _rg_member_store_get_stmt (self, STMT_SOFT_DELETE, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  if (!step_write (self, stmt, NULL, error))
    return FALSE;

  if (sqlite3_changes (rg_store_get_db (self->store)) == 0)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                           _("Member %lld does not exist or was deleted"), (long long) id);
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
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_RESTORE, error);
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
                           _("Member %lld is not a deleted member"), (long long) id);
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
  if ((stmt = _rg_member_store_get_stmt (self, STMT_COUNT, error)) == NULL ||
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
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_SELECT_LINE_FRIEND, error);
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
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_SET_LINE_FRIEND, error);

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
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_SELECT_TOTALS, error);
    gboolean has_row;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, data->member_id);
    if (!step_row (self, stmt, &has_row, error))
      return FALSE;
    if (!has_row)
      {
        rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                             _("Member %lld does not exist or was deleted"),
                             (long long) data->member_id);
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
                               _("%s cannot grow by %lld: too large"),
                               rg_ledger_account_get_label (i), (long long) deltas[i]);
          return FALSE;
        }
      if (after[i] < 0)
        {
          rg_member_set_error (error, RG_MEMBER_ERROR_NEGATIVE_BALANCE,
                               rg_ledger_account_to_string (i),
                               /* Translators: “Points balance is 100; taking 150 would leave
                                * −50. Nothing was changed.” */
                               _("%s is %lld; taking %lld would leave %lld. Nothing was changed."),
                               rg_ledger_account_get_label (i), (long long) before[i],
                               (long long) -deltas[i], (long long) after[i]);
          return FALSE;
        }
    }

  {
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_UPDATE_TOTALS, error);

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

  reason = _rg_member_trim_or_null (change->reason);
  if (reason == NULL || !g_utf8_validate (reason, -1, NULL))
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, RG_MEMBER_FIELD_REASON,
                           _("A reason is required for every change of points or stored value"));
      return FALSE;
    }
  if (g_utf8_strlen (reason, -1) > MAX_REASON_CHARS || _rg_member_has_control_chars (reason, FALSE))
    {
      g_autofree char *shown = _rg_member_printable (reason);
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

      rg_ledger_account_from_string (_rg_member_column_text (stmt, 2), &account);
      entry = g_object_new (RG_TYPE_LEDGER_ENTRY,
                            "id", sqlite3_column_int64 (stmt, 0),
                            "member-id", member_id,
                            "operation-id", sqlite3_column_int64 (stmt, 1),
                            "account", account,
                            "delta", sqlite3_column_int64 (stmt, 3),
                            "balance-after", sqlite3_column_int64 (stmt, 4),
                            "reason", _rg_member_column_text (stmt, 5),
                            "source", _rg_member_column_text (stmt, 6),
                            "created-at", sqlite3_column_int64 (stmt, 7),
                            NULL);
      g_list_store_append (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      _rg_member_store_set_db_error (self, error, _("reading the ledger"));
      return NULL;
    }
  if (!exists)
    {
      rg_member_set_error (error, RG_MEMBER_ERROR_NOT_FOUND, NULL,
                           _("Member %lld does not exist"), (long long) member_id);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&entries));
}

void
_rg_member_store_emit_attributes_changed (RgMemberStore *self,
                                          gboolean       values_changed)
{
  g_signal_emit (self, signals[ATTRIBUTES_CHANGED], 0);
  if (values_changed)
    g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
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

  _rg_member_store_invalidate_definitions (self);
  g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
}

/**
 * rg_member_store_emit_member_changed:
 * @member_id: the member
 * @changes: what changed
 *
 * Tells everyone listening that something about one member changed outside this store: the
 * WeChat card activated or removed (rg-card-wechat.c), for instance. Views refresh the member.
 */
void
rg_member_store_emit_member_changed (RgMemberStore       *self,
                                     gint64               member_id,
                                     RgMemberChangeFlags  changes)
{
  g_return_if_fail (RG_IS_MEMBER_STORE (self));

  g_signal_emit (self, signals[MEMBER_CHANGED], 0, member_id, changes);
}

static void
rg_member_store_dispose (GObject *object)
{
  RgMemberStore *self = (RgMemberStore *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  _rg_member_store_invalidate_definitions (self);
  g_clear_pointer (&self->known_phones, g_hash_table_unref);

  if (self->store != NULL &&
      g_object_get_qdata (G_OBJECT (self->store), connection_quark ()) == self)
    g_object_set_qdata (G_OBJECT (self->store), connection_quark (), NULL);
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

  self = g_object_get_qdata (G_OBJECT (store), connection_quark ());
  if (self != NULL)
    return g_object_ref (self);

  self = g_object_new (RG_TYPE_MEMBER_STORE, "store", store, NULL);
  g_object_set_qdata (G_OBJECT (store), connection_quark (), self);
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
