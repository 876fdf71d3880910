/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-store"

#include "config.h"

#include "rg-store-private.h"

/* Append new steps at the end; never edit a step that has shipped, because databases in the
 * field have already run it. */
static const RgMigration migrations[] = {
  {
    1,
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE shop_profile ("
    "  id             INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name           TEXT NOT NULL DEFAULT '',"
    "  default_region TEXT NOT NULL DEFAULT 'TW' CHECK (length (default_region) = 2),"
    "  currency       TEXT NOT NULL DEFAULT 'TWD' CHECK (length (currency) = 3),"
    "  timezone       TEXT NOT NULL DEFAULT 'Asia/Taipei',"
    "  created_at     INTEGER NOT NULL DEFAULT (unixepoch ())"
    ") STRICT;"
    "INSERT INTO shop_profile (id) VALUES (1);"
  },
  {
    /* Members, their custom attributes and the ledger. Totals live on the member row and
     * move only together with a ledger row (rg-member-store.c). Rows are soft-deleted so
     * that a deletion can be undone; the unique member number ignores deleted rows. */
    2,
    "CREATE TABLE members ("
    "  id                 INTEGER PRIMARY KEY,"
    "  member_number      TEXT,"
    "  name               TEXT NOT NULL DEFAULT '',"
    "  phone              TEXT,"
    "  email              TEXT,"
    "  accumulated_points INTEGER NOT NULL DEFAULT 0 CHECK (accumulated_points >= 0),"
    "  points_balance     INTEGER NOT NULL DEFAULT 0 CHECK (points_balance >= 0),"
    "  stored_value       INTEGER NOT NULL DEFAULT 0 CHECK (stored_value >= 0),"
    "  tags               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (tags)),"
    "  note               TEXT NOT NULL DEFAULT '',"
    "  line_user_id       TEXT,"
    "  line_friend        INTEGER NOT NULL DEFAULT 0,"
    "  whatsapp_id        TEXT,"
    "  whatsapp_opted_in  INTEGER NOT NULL DEFAULT 0,"
    "  wechat_openid      TEXT,"
    "  wechat_follower    INTEGER NOT NULL DEFAULT 0,"
    "  created_at         INTEGER NOT NULL,"
    "  updated_at         INTEGER NOT NULL,"
    "  deleted_at         INTEGER"
    ") STRICT;"
    "CREATE UNIQUE INDEX members_by_number ON members (member_number)"
    "  WHERE member_number IS NOT NULL AND deleted_at IS NULL;"
    "CREATE INDEX members_by_phone ON members (phone) WHERE phone IS NOT NULL;"
    "CREATE INDEX members_by_name ON members (name, id);"
    "CREATE INDEX members_by_created ON members (created_at, id);"
    "CREATE INDEX members_by_points ON members (points_balance, id);"
    "CREATE INDEX members_by_stored_value ON members (stored_value, id);"
    "CREATE UNIQUE INDEX members_by_line ON members (line_user_id)"
    "  WHERE line_user_id IS NOT NULL AND deleted_at IS NULL;"
    "CREATE UNIQUE INDEX members_by_whatsapp ON members (whatsapp_id)"
    "  WHERE whatsapp_id IS NOT NULL AND deleted_at IS NULL;"
    "CREATE UNIQUE INDEX members_by_wechat ON members (wechat_openid)"
    "  WHERE wechat_openid IS NOT NULL AND deleted_at IS NULL;"
    /* Search index over the member row (external content). The `regulars` tokenizer
     * (rg-fts.c) splits CJK into characters and pairs and digit runs into suffixes. */
    "CREATE VIRTUAL TABLE members_fts USING fts5 ("
    "  member_number, name, phone, email,"
    "  content = 'members', content_rowid = 'id', tokenize = 'regulars'"
    ");"
    "CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN"
    "  INSERT INTO members_fts (rowid, member_number, name, phone, email)"
    "  VALUES (new.id, new.member_number, new.name, new.phone, new.email);"
    "END;"
    "CREATE TRIGGER members_fts_delete AFTER DELETE ON members BEGIN"
    "  INSERT INTO members_fts (members_fts, rowid, member_number, name, phone, email)"
    "  VALUES ('delete', old.id, old.member_number, old.name, old.phone, old.email);"
    "END;"
    "CREATE TRIGGER members_fts_update AFTER UPDATE OF member_number, name, phone, email"
    "  ON members BEGIN"
    "  INSERT INTO members_fts (members_fts, rowid, member_number, name, phone, email)"
    "  VALUES ('delete', old.id, old.member_number, old.name, old.phone, old.email);"
    "  INSERT INTO members_fts (rowid, member_number, name, phone, email)"
    "  VALUES (new.id, new.member_number, new.name, new.phone, new.email);"
    "END;"
    "CREATE TABLE attribute_definitions ("
    "  key      TEXT PRIMARY KEY NOT NULL CHECK (key GLOB '[a-z]*' AND key NOT GLOB '*[^a-z0-9_]*'),"
    "  label    TEXT NOT NULL,"
    "  type     TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'yes-no')),"
    "  position INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE TABLE member_attributes ("
    "  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,"
    "  key       TEXT NOT NULL REFERENCES attribute_definitions (key)"
    "              ON DELETE CASCADE ON UPDATE CASCADE,"
    "  value     TEXT NOT NULL,"
    "  PRIMARY KEY (member_id, key)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX member_attributes_by_key ON member_attributes (key);"
    "CREATE TABLE ledger ("
    "  id            INTEGER PRIMARY KEY,"
    "  member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,"
    "  operation_id  INTEGER NOT NULL,"
    "  account       TEXT NOT NULL"
    "                  CHECK (account IN ('accumulated_points', 'points_balance', 'stored_value')),"
    "  delta         INTEGER NOT NULL,"
    "  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),"
    "  reason        TEXT NOT NULL,"
    "  source        TEXT NOT NULL,"
    "  created_at    INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX ledger_by_member ON ledger (member_id, id);"
  },
};

const RgMigration *
_rg_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
