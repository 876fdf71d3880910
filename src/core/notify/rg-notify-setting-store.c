/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-setting-store"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-notify-private.h"
#include "rg-notify-setting-store.h"

/* Notification settings in the `notify_settings` table. A setting gets its stable ID when
 * it is first created and keeps it through edits, duplicates get a new one, and settings are
 * never deleted, only disabled, because triggers refer to them. */

struct _RgNotifySettingStore
{
  GObject  parent_instance;

  RgStore *store;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgNotifySettingStore, rg_notify_setting_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define SELECT_COLUMNS \
  "SELECT id, name, scenario, enabled, steps, line_push_text, pnp_footer_url, sms_text, " \
  "sms_wait_seconds FROM notify_settings "

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static RgNotifySetting *
setting_from_row (sqlite3_stmt *stmt)
{
  return g_object_new (RG_TYPE_NOTIFY_SETTING,
                       "id", column_text (stmt, 0),
                       "name", column_text (stmt, 1),
                       "scenario", column_text (stmt, 2),
                       "enabled", sqlite3_column_int (stmt, 3) != 0,
                       "steps", (guint) sqlite3_column_int (stmt, 4),
                       "line-push-text", column_text (stmt, 5),
                       "pnp-footer-url", column_text (stmt, 6),
                       "sms-text", column_text (stmt, 7),
                       "sms-wait-seconds", (guint) sqlite3_column_int (stmt, 8),
                       NULL);
}

static void
bind_setting (sqlite3_stmt    *stmt,
              RgNotifySetting *setting)
{
  sqlite3_bind_text (stmt, 1, rg_notify_setting_get_id (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rg_notify_setting_get_name (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rg_notify_setting_get_scenario (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, rg_notify_setting_get_enabled (setting));
  sqlite3_bind_int (stmt, 5, rg_notify_setting_get_steps (setting));
  sqlite3_bind_text (stmt, 6, rg_notify_setting_get_line_push_text (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, rg_notify_setting_get_pnp_footer_url (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, rg_notify_setting_get_sms_text (setting), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, rg_notify_setting_get_sms_wait_seconds (setting));
  sqlite3_bind_int64 (stmt, 10, _rg_notify_now_ms ());
}

static void
set_not_found (GError     **error,
               const char  *id)
{
  _rg_notify_set_error (error, RG_NOTIFY_ERROR_NOT_FOUND, "setting_id",
                        _("There is no notification setting “%s”"), id);
}

static void
rg_notify_setting_store_dispose (GObject *object)
{
  RgNotifySettingStore *self = (RgNotifySettingStore *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_notify_setting_store_parent_class)->dispose (object);
}

static void
rg_notify_setting_store_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RgNotifySettingStore *self = RG_NOTIFY_SETTING_STORE (object);

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
rg_notify_setting_store_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RgNotifySettingStore *self = RG_NOTIFY_SETTING_STORE (object);

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
rg_notify_setting_store_class_init (RgNotifySettingStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_notify_setting_store_dispose;
  object_class->get_property = rg_notify_setting_store_get_property;
  object_class->set_property = rg_notify_setting_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgNotifySettingStore::changed:
   * @id: the Setting ID that was created, edited, enabled or disabled
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rg_notify_setting_store_init (RgNotifySettingStore *self)
{
}

RgNotifySettingStore *
rg_notify_setting_store_new (RgStore *store)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_NOTIFY_SETTING_STORE, "store", store, NULL);
}

RgStore *
rg_notify_setting_store_get_store (RgNotifySettingStore *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), NULL);

  return self->store;
}

/**
 * rg_notify_setting_store_list:
 *
 * Returns: (transfer full): every setting, disabled ones too, oldest first, as a list of
 *   #RgNotifySetting, or %NULL with @error set
 */
GListModel *
rg_notify_setting_store_list (RgNotifySettingStore  *self,
                              GError               **error)
{
  g_autoptr(GListStore) list = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), NULL);

  if (!(stmt = rg_store_prepare (self->store, SELECT_COLUMNS "ORDER BY created_at, rowid", error)))
    return NULL;

  list = g_list_store_new (RG_TYPE_NOTIFY_SETTING);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RgNotifySetting) setting = setting_from_row (stmt);

      g_list_store_append (list, setting);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the notification settings: %s"),
                   sqlite3_errmsg (rg_store_get_db (self->store)));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * rg_notify_setting_store_get:
 *
 * Returns: (transfer full): the setting, or %NULL with %RG_NOTIFY_ERROR_NOT_FOUND (field
 *   "setting_id") or a store error
 */
RgNotifySetting *
rg_notify_setting_store_get (RgNotifySettingStore  *self,
                             const char            *id,
                             GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(stmt = rg_store_prepare (self->store, SELECT_COLUMNS "WHERE id = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return setting_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_not_found (error, id);
  else
    g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                 _("Could not read the notification setting “%s”: %s"),
                 id, sqlite3_errmsg (rg_store_get_db (self->store)));
  return NULL;
}

/**
 * rg_notify_setting_store_create:
 * @setting: a setting without an ID; it gets its new Setting ID
 *
 * Validates and saves a new setting.
 */
gboolean
rg_notify_setting_store_create (RgNotifySettingStore  *self,
                                RgNotifySetting       *setting,
                                GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (setting), FALSE);

  if (!rg_notify_setting_validate (setting, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (self->store,
                                 "INSERT INTO notify_settings (id, name, scenario, enabled, steps, "
                                 "  line_push_text, pnp_footer_url, sms_text, sms_wait_seconds, "
                                 "  created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                                 error)))
    return FALSE;

  id = _rg_notify_new_id ("ns_");
  rg_notify_setting_set_id (setting, id);
  bind_setting (stmt, setting);
  if (!rg_store_step_done (self->store, stmt, error))
    {
      rg_notify_setting_set_id (setting, NULL);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], 0, id);
  return TRUE;
}

/**
 * rg_notify_setting_store_update:
 * @setting: a setting read from the store, changed
 *
 * Validates and saves @setting over the stored one with the same ID. Triggers already
 * accepted finish with the setting as it is when each step is sent.
 */
gboolean
rg_notify_setting_store_update (RgNotifySettingStore  *self,
                                RgNotifySetting       *setting,
                                GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *id;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (setting), FALSE);

  if ((id = rg_notify_setting_get_id (setting)) == NULL)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "id",
                            _("The notification setting has no Setting ID; create it first"));
      return FALSE;
    }

  if (!rg_notify_setting_validate (setting, error))
    return FALSE;

  if (!(stmt = rg_store_prepare (self->store,
                                 "UPDATE notify_settings SET name = ?2, scenario = ?3, "
                                 "  enabled = ?4, steps = ?5, line_push_text = ?6, "
                                 "  pnp_footer_url = ?7, "
                                 "  sms_text = ?8, sms_wait_seconds = ?9, updated_at = ?10 "
                                 "WHERE id = ?1",
                                 error)))
    return FALSE;

  bind_setting (stmt, setting);
  if (!rg_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (rg_store_get_db (self->store)) == 0)
    {
      set_not_found (error, id);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], 0, id);
  return TRUE;
}

/**
 * rg_notify_setting_store_duplicate:
 *
 * Saves a copy of the setting @id under a new Setting ID, named “… (copy)”.
 *
 * Returns: (transfer full): the copy, or %NULL with @error set
 */
RgNotifySetting *
rg_notify_setting_store_duplicate (RgNotifySettingStore  *self,
                                   const char            *id,
                                   GError               **error)
{
  g_autoptr(RgNotifySetting) original = NULL;
  g_autoptr(RgNotifySetting) copy = NULL;
  g_autofree char *name = NULL;
  const char *original_name;
  glong overflow;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(original = rg_notify_setting_store_get (self, id, error)))
    return NULL;

  copy = rg_notify_setting_copy (original);
  rg_notify_setting_set_id (copy, NULL);

  /* Translators: the name of a duplicated notification setting; %s is the original's name */
  original_name = rg_notify_setting_get_name (original);
  name = g_strdup_printf (_("%s (copy)"), original_name);
  overflow = g_utf8_strlen (name, -1) - RG_NOTIFY_NAME_MAX;
  if (overflow > 0)
    {
      g_autofree char *shortened = NULL;

      shortened = g_utf8_substring (original_name, 0,
                                    MAX (0, g_utf8_strlen (original_name, -1) - overflow));
      g_free (name);
      name = g_strdup_printf (_("%s (copy)"), shortened);
    }
  rg_notify_setting_set_name (copy, name);

  if (!rg_notify_setting_store_create (self, copy, error))
    return NULL;

  return g_steal_pointer (&copy);
}

/**
 * rg_notify_setting_store_set_enabled:
 *
 * Disables a setting (new triggers for it are refused; accepted ones still finish) or
 * enables it again.
 */
gboolean
rg_notify_setting_store_set_enabled (RgNotifySettingStore  *self,
                                     const char            *id,
                                     gboolean               enabled,
                                     GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!(stmt = rg_store_prepare (self->store,
                                 "UPDATE notify_settings SET enabled = ?2, updated_at = ?3 "
                                 "WHERE id = ?1",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, !!enabled);
  sqlite3_bind_int64 (stmt, 3, _rg_notify_now_ms ());
  if (!rg_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (rg_store_get_db (self->store)) == 0)
    {
      set_not_found (error, id);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], 0, id);
  return TRUE;
}
