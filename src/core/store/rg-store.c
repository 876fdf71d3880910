/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rg-fts.h"
#include "rg-phone.h"
#include "rg-store-private.h"

#define BUSY_TIMEOUT_MS 5000

struct _RgStore
{
  GObject   parent_instance;

  char     *path;
  sqlite3  *db;
  int       schema_version;
  guint     transaction_depth;
  guint     is_new : 1;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_SCHEMA_VERSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgStore, rg_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (rg-store-error-quark, rg_store_error)

static int
error_code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return RG_STORE_ERROR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RG_STORE_ERROR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return RG_STORE_ERROR_OPEN;
    default:
      return RG_STORE_ERROR_SQL;
    }
}

void
_rg_store_set_error_from_db (RgStore     *self,
                             GError     **error,
                             const char  *doing)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, RG_STORE_ERROR, error_code_from_sqlite (rc),
               /* Translators: first %s is an action such as “reading members”, second the
                * database path, third SQLite's own message */
               _("Database error while %s in “%s”: %s"),
               doing, self->path, sqlite3_errmsg (self->db));
}

static gboolean
exec_sql (RgStore     *self,
          const char  *sql,
          const char  *doing,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _rg_store_set_error_from_db (self, error, doing);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_user_version (RgStore  *self,
                   int      *version,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (self, error, _("reading the schema version"));
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
apply_migration (RgStore            *self,
                 const RgMigration  *migration,
                 GError            **error)
{
  g_autofree char *set_version = NULL;
  g_autofree char *doing = NULL;

  doing = g_strdup_printf (_("upgrading the database to schema %d"), migration->version);

  if (!exec_sql (self, "BEGIN IMMEDIATE", doing, error))
    return FALSE;

  /* A parallel process may have migrated while we waited for the write lock. */
  if (!read_user_version (self, &self->schema_version, error))
    goto rollback;
  if (self->schema_version >= migration->version)
    return exec_sql (self, "COMMIT", doing, error);

  set_version = g_strdup_printf ("PRAGMA user_version = %d", migration->version);
  if (sqlite3_exec (self->db, migration->sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_MIGRATION,
                   _("Could not upgrade “%s” to schema %d: %s. The database was left unchanged."),
                   self->path, migration->version, sqlite3_errmsg (self->db));
      goto rollback;
    }
  if (!exec_sql (self, set_version, doing, error) ||
      !exec_sql (self, "COMMIT", doing, error))
    goto rollback;

  self->schema_version = migration->version;
  return TRUE;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
migrate (RgStore            *self,
         const RgMigration  *migrations,
         guint               n_migrations,
         GError            **error)
{
  int latest = n_migrations > 0 ? migrations[n_migrations - 1].version : 0;

  if (!read_user_version (self, &self->schema_version, error))
    return FALSE;

  if (self->schema_version > latest)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Regulars (database schema %d; "
                     "this version understands up to %d). Open it with a newer Regulars; "
                     "it was not changed."),
                   self->path, self->schema_version, latest);
      return FALSE;
    }

  self->is_new = self->schema_version == 0;

  for (guint i = 0; i < n_migrations; i++)
    {
      g_assert (migrations[i].version == (int) i + 1);

      if (migrations[i].version <= self->schema_version)
        continue;
      if (!apply_migration (self, &migrations[i], error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
configure_connection (RgStore  *self,
                      GError  **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, TRUE);

  if (!rg_fts_register (self->db, error))
    return FALSE;

  return exec_sql (self, "PRAGMA journal_mode = WAL", _("enabling write-ahead logging"), error) &&
         exec_sql (self, "PRAGMA foreign_keys = ON", _("enabling foreign keys"), error) &&
         exec_sql (self, "PRAGMA synchronous = NORMAL", _("configuring the database"), error);
}

static void
rg_store_finalize (GObject *object)
{
  RgStore *self = (RgStore *)object;

  g_warn_if_fail (self->transaction_depth == 0);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (rg_store_parent_class)->finalize (object);
}

static void
rg_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RgStore *self = RG_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_SCHEMA_VERSION:
      g_value_set_int (value, self->schema_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_store_class_init (RgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_store_finalize;
  object_class->get_property = rg_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_int ("schema-version", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_store_init (RgStore *self)
{
}

/**
 * rg_store_default_path:
 *
 * Returns: (transfer full): `$REGULARS_DATA_DIR/regulars.db` when that variable is set,
 *   else `$XDG_DATA_HOME/regulars/regulars.db`.
 */
char *
rg_store_default_path (void)
{
  const char *data_dir = g_getenv ("REGULARS_DATA_DIR");

  if (data_dir != NULL && data_dir[0] != '\0')
    return g_build_filename (data_dir, "regulars.db", NULL);

  return g_build_filename (g_get_user_data_dir (), "regulars", "regulars.db", NULL);
}

RgStore *
_rg_store_open_with_migrations (const char         *path,
                                const RgMigration  *migrations,
                                guint               n_migrations,
                                GError            **error)
{
  g_autoptr(RgStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_OPEN,
                   _("Could not create the folder “%s” for the database: %s"),
                   dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (RG_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_OPEN,
                   _("Could not open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  if (!configure_connection (self, error) ||
      !migrate (self, migrations, n_migrations, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rg_store_open:
 * @path: the database file; created with its folder when missing
 *
 * Opens the database and brings its schema up to date, one migration per transaction.
 * A database written by a newer Regulars is refused with %RG_STORE_ERROR_TOO_NEW.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
RgStore *
rg_store_open (const char  *path,
               GError     **error)
{
  const RgMigration *migrations;
  guint n_migrations;

  migrations = _rg_store_get_migrations (&n_migrations);
  return _rg_store_open_with_migrations (path, migrations, n_migrations, error);
}

const char *
rg_store_get_path (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), NULL);

  return self->path;
}

/**
 * rg_store_get_db:
 *
 * The connection belongs to the thread that opened the store; worker threads open their own
 * store on the same path.
 */
sqlite3 *
rg_store_get_db (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), NULL);

  return self->db;
}

int
rg_store_get_schema_version (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), 0);

  return self->schema_version;
}

int
rg_store_get_latest_schema_version (void)
{
  guint n_migrations;
  const RgMigration *migrations = _rg_store_get_migrations (&n_migrations);

  return migrations[n_migrations - 1].version;
}

/**
 * rg_store_is_new:
 *
 * Returns: %TRUE when this open created the schema from nothing.
 */
gboolean
rg_store_is_new (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), FALSE);

  return self->is_new;
}

gboolean
rg_store_exec (RgStore     *self,
               const char  *sql,
               GError     **error)
{
  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self, sql, _("running a statement"), error);
}

/**
 * rg_store_prepare:
 *
 * Returns: (transfer full): a statement to free with sqlite3_finalize() (or g_autoptr), or
 *   %NULL with @error set
 */
sqlite3_stmt *
rg_store_prepare (RgStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (RG_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _rg_store_set_error_from_db (self, error, _("preparing a statement"));
      return NULL;
    }
  return stmt;
}

/**
 * rg_store_step_done:
 *
 * Steps a statement that returns no rows (INSERT, UPDATE, DELETE) and resets it, so a cached
 * statement can be bound again.
 */
gboolean
rg_store_step_done (RgStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc;

  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (self, error, _("writing"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * rg_store_transaction:
 * @func: the body; return %FALSE with the error set to undo everything it wrote
 *
 * Runs @func inside a transaction: `BEGIN IMMEDIATE` at the outermost level (so a writer
 * waits for the lock up front instead of failing half way), a savepoint when nested.
 */
gboolean
rg_store_transaction (RgStore                 *self,
                      RgStoreTransactionFunc   func,
                      gpointer                 user_data,
                      GError                 **error)
{
  g_autofree char *savepoint = NULL;
  const char *begin;
  g_autofree char *commit = NULL;
  g_autofree char *rollback = NULL;
  gboolean ok;

  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->transaction_depth == 0)
    {
      begin = "BEGIN IMMEDIATE";
      commit = g_strdup ("COMMIT");
      rollback = g_strdup ("ROLLBACK");
    }
  else
    {
      savepoint = g_strdup_printf ("SAVEPOINT rg_%u", self->transaction_depth);
      begin = savepoint;
      commit = g_strdup_printf ("RELEASE rg_%u", self->transaction_depth);
      rollback = g_strdup_printf ("ROLLBACK TO rg_%u; RELEASE rg_%u",
                                  self->transaction_depth, self->transaction_depth);
    }

  if (!exec_sql (self, begin, _("starting a transaction"), error))
    return FALSE;

  self->transaction_depth++;
  ok = func (self, user_data, error);
  self->transaction_depth--;

  if (ok && exec_sql (self, commit, _("committing"), error))
    return TRUE;

  g_assert (error == NULL || *error != NULL);
  sqlite3_exec (self->db, rollback, NULL, NULL, NULL);
  return FALSE;
}

gboolean
rg_store_get_meta (RgStore     *self,
                   const char  *key,
                   char       **value,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = NULL;
  if (!(stmt = rg_store_prepare (self, "SELECT value FROM meta WHERE key = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      _rg_store_set_error_from_db (self, error, _("reading settings"));
      return FALSE;
    }
  return TRUE;
}

gboolean
rg_store_set_meta (RgStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    stmt = rg_store_prepare (self, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = rg_store_prepare (self,
                             "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);

  return rg_store_step_done (self, stmt, error);
}

/* Columns of the one shop_profile row are fixed names, never user text. */
static char *
dup_shop_profile_text (RgStore    *self,
                       const char *column,
                       const char *fallback)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM shop_profile WHERE id = 1", column);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return g_strdup (fallback);
}

/**
 * rg_store_dup_default_region:
 *
 * Returns: (transfer full): the region phone numbers without a country code belong to,
 *   "TW" unless the shop chose another
 */
char *
rg_store_dup_default_region (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), NULL);

  return dup_shop_profile_text (self, "default_region", "TW");
}

/**
 * rg_store_dup_currency:
 *
 * Returns: (transfer full): the shop's currency (ISO 4217), in whose minor units stored
 *   value is kept; "TWD" when unreadable
 */
char *
rg_store_dup_currency (RgStore *self)
{
  g_return_val_if_fail (RG_IS_STORE (self), NULL);

  return dup_shop_profile_text (self, "currency", "TWD");
}

/**
 * rg_store_dup_timezone:
 *
 * Returns: (transfer full): the shop's time zone, in which dates of exports and statistics
 *   are counted
 */
GTimeZone *
rg_store_dup_timezone (RgStore *self)
{
  g_autofree char *identifier = NULL;
  GTimeZone *zone;

  g_return_val_if_fail (RG_IS_STORE (self), NULL);

  identifier = dup_shop_profile_text (self, "timezone", "Asia/Taipei");
  if ((zone = g_time_zone_new_identifier (identifier)) == NULL)
    zone = g_time_zone_new_local ();
  return zone;
}

/**
 * rg_store_set_default_region:
 * @region: a two-letter region code libphonenumber knows ("TW", "hk" …)
 *
 * Returns: %FALSE with %RG_PHONE_ERROR_REGION naming @region when it is not a region with
 *   phone numbers, or a store error
 */
gboolean
rg_store_set_default_region (RgStore     *self,
                             const char  *region,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *upper = NULL;

  g_return_val_if_fail (RG_IS_STORE (self), FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  upper = g_ascii_strup (region, -1);
  g_strstrip (upper);
  if (strlen (upper) != 2 || !rg_phone_region_is_supported (upper))
    {
      g_set_error (error, RG_PHONE_ERROR, RG_PHONE_ERROR_REGION,
                   _("“%s” is not a region with phone numbers; use a two-letter code such as "
                     "TW or HK"),
                   region);
      return FALSE;
    }

  if (!(stmt = rg_store_prepare (self, "UPDATE shop_profile SET default_region = ?1 WHERE id = 1",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, upper, -1, SQLITE_STATIC);

  return rg_store_step_done (self, stmt, error);
}
