/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rg-member-store.h"

G_BEGIN_DECLS

/* The columns every member query selects, in the order _rg_member_store_member_from_row()
 * reads them; the members table is aliased `m`. The attributes come along as one JSON object
 * so that a page of members is one query. */
#define RG_MEMBER_SELECT_COLUMNS \
  "m.id, m.member_number, m.name, m.phone, m.email, m.accumulated_points, " \
  "m.points_balance, m.stored_value, m.tags, m.note, m.line_user_id, m.line_friend, " \
  "m.whatsapp_id, m.whatsapp_opted_in, m.wechat_openid, m.wechat_follower, m.created_at, " \
  "m.updated_at, " \
  "(SELECT json_group_object (a.key, a.value) FROM member_attributes a " \
  "  WHERE a.member_id = m.id), " \
  "(SELECT default_region FROM shop_profile WHERE id = 1)"

#define RG_MEMBER_N_SELECT_COLUMNS 20

RgMember *_rg_member_store_member_from_row (sqlite3_stmt       *stmt);
char     *_rg_member_tags_to_json          (const char * const *tags);

/* Text rules rg-attribute-definition.c shares with the store's validation. */
gboolean  _rg_member_has_control_chars     (const char         *text,
                                            gboolean            allow_newlines);
char     *_rg_member_fold_full_width       (const char         *input);

#ifdef RG_MEMBER_STORE_COMPILATION

/* What the parts of RgMemberStore share: rg-member-store.c (writes, the ledger, the class),
 * rg-member-store-validate.c (the rules) and rg-member-store-attributes.c (definitions). */

/* Statements prepared once per connection (rg-member-store.c has their SQL). */
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
} RgMemberStoreStmt;

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

/* A statement borrowed from the cache; the cleanup readies it for the next use. */
typedef sqlite3_stmt *CachedStmt;

static inline void
cached_stmt_release (CachedStmt stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CachedStmt, cached_stmt_release, NULL)

static inline const char *
_rg_member_column_text (sqlite3_stmt *stmt,
                        int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

sqlite3_stmt *_rg_member_store_get_stmt                 (RgMemberStore      *self,
                                                         RgMemberStoreStmt   id,
                                                         GError            **error);
void          _rg_member_store_set_db_error             (RgMemberStore      *self,
                                                         GError            **error,
                                                         const char         *doing);
void          _rg_member_store_emit_attributes_changed  (RgMemberStore      *self,
                                                         gboolean            values_changed);
GHashTable   *_rg_member_store_ensure_definitions       (RgMemberStore      *self,
                                                         GError            **error);
void          _rg_member_store_invalidate_definitions   (RgMemberStore      *self);
char         *_rg_member_store_dup_default_region       (RgMemberStore      *self);
char         *_rg_member_printable                      (const char         *text);
char         *_rg_member_trim_or_null                   (const char         *text);

#endif /* RG_MEMBER_STORE_COMPILATION */

G_END_DECLS
