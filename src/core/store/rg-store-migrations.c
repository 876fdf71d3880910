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
    /* One index per sort order of the members list (rg-member-list.c), over live rows
     * only, so a page is a short index range and OFFSET never touches the table. */
    "CREATE INDEX members_by_name ON members (name COLLATE NOCASE, id)"
    "  WHERE deleted_at IS NULL;"
    "CREATE INDEX members_by_number_order ON members (coalesce (member_number, ''), id)"
    "  WHERE deleted_at IS NULL;"
    "CREATE INDEX members_by_created ON members (created_at, id) WHERE deleted_at IS NULL;"
    "CREATE INDEX members_by_points ON members (points_balance, id) WHERE deleted_at IS NULL;"
    "CREATE INDEX members_by_stored_value ON members (stored_value, id)"
    "  WHERE deleted_at IS NULL;"
    /* COUNT(*) over a million rows takes tens of milliseconds; the list needs it at once.
     *
     * Inserts and updates of members keep members_fts and member_count in step in
     * rg-member-store.c, not in triggers: a trigger on INSERT or UPDATE makes every such
     * statement inside a transaction open a statement savepoint, and FTS5 flushes its
     * pending terms at every savepoint, which made a bulk import three times slower
     * (measured: 5,000 against 15,000 rows/s). Deletions, rare, stay with triggers. */
    "CREATE TABLE member_count ("
    "  id   INTEGER PRIMARY KEY CHECK (id = 1),"
    "  live INTEGER NOT NULL"
    ") STRICT;"
    "INSERT INTO member_count (id, live) VALUES (1, 0);"
    "CREATE TRIGGER member_count_delete AFTER DELETE ON members"
    "  WHEN old.deleted_at IS NULL BEGIN"
    "  UPDATE member_count SET live = live - 1 WHERE id = 1;"
    "END;"
    "CREATE TRIGGER member_count_soft_delete AFTER UPDATE OF deleted_at ON members"
    "  WHEN (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN"
    "  UPDATE member_count"
    "    SET live = live + CASE WHEN new.deleted_at IS NULL THEN 1 ELSE -1 END WHERE id = 1;"
    "END;"
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
    /* A deleted member leaves the index and comes back with Undo, so the index alone
     * counts a search's members. Deleting and restoring are rare: triggers cost nothing
     * here, unlike on the bulk inserts and updates. */
    "CREATE TRIGGER members_fts_delete AFTER DELETE ON members"
    "  WHEN old.deleted_at IS NULL BEGIN"
    "  INSERT INTO members_fts (members_fts, rowid, member_number, name, phone, email)"
    "  VALUES ('delete', old.id, old.member_number, old.name, old.phone, old.email);"
    "END;"
    "CREATE TRIGGER members_fts_soft_delete AFTER UPDATE OF deleted_at ON members"
    "  WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN"
    "  INSERT INTO members_fts (members_fts, rowid, member_number, name, phone, email)"
    "  VALUES ('delete', old.id, old.member_number, old.name, old.phone, old.email);"
    "END;"
    "CREATE TRIGGER members_fts_restore AFTER UPDATE OF deleted_at ON members"
    "  WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN"
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
  {
    /* Channel settings that are not secret (rg-channel-settings.c); secrets live only in
     * the keyring, and the CHECK refuses the secret field names as a last line of defence.
     * webhook_events remembers delivered webhook event ids for a week so that a
     * redelivery is processed once (rg-server.c). */
    3,
    "CREATE TABLE channel_settings ("
    "  channel    TEXT NOT NULL,"
    "  field      TEXT NOT NULL CHECK (field NOT IN ('channel-secret', 'channel-access-token',"
    "                'access-token', 'app-secret', 'verify-token', 'password', 'token',"
    "                'link-key')),"
    "  value      TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (channel, field)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE webhook_events ("
    "  platform    TEXT NOT NULL,"
    "  event_id    TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  PRIMARY KEY (platform, event_id)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX webhook_events_by_time ON webhook_events (received_at);"
  },
  {
    /* Member card designs, one per channel, and their displayed fields in order
     * (rg-card-store.c). Images are BLOBs so that a design travels with the database. */
    4,
    "CREATE TABLE card_designs ("
    "  channel               TEXT PRIMARY KEY NOT NULL"
    "                          CHECK (channel IN ('whatsapp', 'line', 'wechat')),"
    "  enabled               INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    "  title                 TEXT NOT NULL,"
    "  accent_color          TEXT NOT NULL,"
    "  require_member_number INTEGER NOT NULL CHECK (require_member_number IN (0, 1)),"
    "  not_found_message     TEXT NOT NULL,"
    "  register_button_text  TEXT NOT NULL,"
    "  register_url          TEXT NOT NULL,"
    "  member_center_enabled INTEGER NOT NULL CHECK (member_center_enabled IN (0, 1)),"
    "  barcode               TEXT NOT NULL CHECK (barcode IN ('code128', 'code39', 'ean13', 'qr')),"
    "  show_icons            INTEGER NOT NULL CHECK (show_icons IN (0, 1)),"
    "  header_image          BLOB,"
    "  updated_at            INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE card_fields ("
    "  channel  TEXT NOT NULL REFERENCES card_designs (channel) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  field_id TEXT NOT NULL,"
    "  label    TEXT NOT NULL,"
    "  icon     BLOB,"
    "  PRIMARY KEY (channel, position),"
    "  UNIQUE (channel, field_id)"
    ") STRICT;"
  },
  {
    /* Notifications (src/core/notify): settings, triggers and the steps of their cascade.
     * Times here are Unix milliseconds (a retry can be due within a second). A step is due
     * when due_at is set and has passed; a request in flight has none, so a step is never
     * picked twice. The keys that make a retry harmless (retry_key, delivery_tag,
     * client_ref) are written with the step, before its first attempt. A friend gained is a
     * LINE follow by a member whose phone a notification message or an SMS reached in the
     * week before (rg-notify-stats.c), at most one per trigger. */
    5,
    "CREATE TABLE notify_settings ("
    "  id               TEXT PRIMARY KEY NOT NULL,"
    "  name             TEXT NOT NULL,"
    "  scenario         TEXT NOT NULL,"
    "  enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    "  steps            INTEGER NOT NULL CHECK (steps BETWEEN 1 AND 7),"
    "  line_push_text   TEXT NOT NULL,"
    "  pnp_footer_url   TEXT NOT NULL,"
    "  sms_text         TEXT NOT NULL,"
    "  sms_wait_seconds INTEGER NOT NULL CHECK (sms_wait_seconds BETWEEN 0 AND 86400),"
    "  created_at       INTEGER NOT NULL,"
    "  updated_at       INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE notify_triggers ("
    "  id              TEXT PRIMARY KEY NOT NULL,"
    "  setting_id      TEXT NOT NULL REFERENCES notify_settings (id),"
    "  phone           TEXT NOT NULL,"
    "  variables       TEXT NOT NULL CHECK (json_valid (variables)),"
    "  idempotency_key TEXT,"
    "  state           TEXT NOT NULL CHECK (state IN ('sending', 'completed', 'failed')),"
    "  delivered_via   TEXT CHECK (delivered_via IN ('line_push', 'line_pnp', 'sms')),"
    "  created_at      INTEGER NOT NULL,"
    "  completed_at    INTEGER,"
    "  updated_at      INTEGER NOT NULL"
    ") STRICT;"
    "CREATE UNIQUE INDEX notify_triggers_by_key ON notify_triggers (idempotency_key)"
    "  WHERE idempotency_key IS NOT NULL;"
    "CREATE INDEX notify_triggers_by_setting ON notify_triggers (setting_id, created_at);"
    "CREATE INDEX notify_triggers_by_time ON notify_triggers (created_at);"
    "CREATE INDEX notify_triggers_by_phone ON notify_triggers (phone, completed_at);"
    "CREATE TABLE notify_steps ("
    "  id           TEXT PRIMARY KEY NOT NULL,"
    "  trigger_id   TEXT NOT NULL REFERENCES notify_triggers (id) ON DELETE CASCADE,"
    "  kind         TEXT NOT NULL CHECK (kind IN ('line_push', 'line_pnp', 'sms')),"
    "  state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted',"
    "                 'delivered', 'failed', 'skipped', 'expired')),"
    "  attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
    "  due_at       INTEGER,"
    "  expires_at   INTEGER,"
    "  retry_key    TEXT,"
    "  delivery_tag TEXT,"
    "  client_ref   TEXT,"
    "  recipient    TEXT,"
    "  provider_id  TEXT,"
    "  last_error   TEXT,"
    "  created_at   INTEGER NOT NULL,"
    "  sent_at      INTEGER,"
    "  delivered_at INTEGER,"
    "  updated_at   INTEGER NOT NULL,"
    "  UNIQUE (trigger_id, kind)"
    ") STRICT;"
    "CREATE INDEX notify_steps_due ON notify_steps (due_at) WHERE due_at IS NOT NULL;"
    "CREATE UNIQUE INDEX notify_steps_by_tag ON notify_steps (delivery_tag)"
    "  WHERE delivery_tag IS NOT NULL;"
    "CREATE INDEX notify_steps_by_delivery ON notify_steps (delivered_at)"
    "  WHERE delivered_at IS NOT NULL;"
    "CREATE TABLE notify_friend_gains ("
    "  trigger_id   TEXT PRIMARY KEY NOT NULL REFERENCES notify_triggers (id) ON DELETE CASCADE,"
    "  via          TEXT NOT NULL CHECK (via IN ('line_pnp', 'sms')),"
    "  line_user_id TEXT NOT NULL,"
    "  followed_at  INTEGER NOT NULL"
    ") STRICT;"
  },
  {
    /* Member cards beyond the design (src/core/cards): the keywords that ask for the
     * member center, per channel (no row = the default), the members' activated WeChat
     * cards, and the queue of WeChat card updates made from the ledger
     * (rg-card-wechat.c). ledger_mark is the last ledger row already in the totals sent at
     * activation. A push row lives until WeChat accepts it, or stays 'failed' with
     * WeChat's message. */
    6,
    "CREATE TABLE card_keywords ("
    "  channel    TEXT PRIMARY KEY NOT NULL CHECK (channel IN ('whatsapp', 'line', 'wechat')),"
    "  keywords   TEXT NOT NULL CHECK (json_valid (keywords) AND json_type (keywords) = 'array'),"
    "  updated_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE wechat_card_members ("
    "  member_id    INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,"
    "  card_id      TEXT NOT NULL,"
    "  code         TEXT NOT NULL,"
    "  ledger_mark  INTEGER NOT NULL,"
    "  activated_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE wechat_card_pushes ("
    "  id              INTEGER PRIMARY KEY,"
    "  member_id       INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,"
    "  operation_id    INTEGER NOT NULL,"
    "  bonus           INTEGER NOT NULL,"
    "  add_bonus       INTEGER NOT NULL,"
    "  record_bonus    TEXT,"
    "  balance         INTEGER NOT NULL,"
    "  add_balance     INTEGER NOT NULL,"
    "  record_balance  TEXT,"
    "  state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),"
    "  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER"
    ") STRICT;"
    "CREATE INDEX wechat_card_pushes_by_member ON wechat_card_pushes (member_id);"
  },
  {
    /* WeChat member cards received but not activated yet (rg-card-wechat.c): the code of
     * WeChat's user_get_card event, kept per openid until a member with that openid is
     * activated with it, so nobody types a card code. user_del_card finds a card by its
     * code. */
    7,
    "CREATE TABLE wechat_card_pending ("
    "  openid      TEXT PRIMARY KEY NOT NULL,"
    "  card_id     TEXT NOT NULL,"
    "  code        TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX wechat_card_pending_by_code ON wechat_card_pending (code);"
    "CREATE INDEX wechat_card_members_by_code ON wechat_card_members (code);"
  },
  {
    /* The `regulars` tokenizer now splits words where letters meet digits (rg-fts.c), so
     * the search index is written again. Only live members: deleted ones stay out of it
     * (migration 2), which an FTS5 'rebuild' would not respect. */
    8,
    "INSERT INTO members_fts (members_fts) VALUES ('delete-all');"
    "INSERT INTO members_fts (rowid, member_number, name, phone, email)"
    "  SELECT id, member_number, name, phone, email FROM members WHERE deleted_at IS NULL;"
  },
};

const RgMigration *
_rg_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
