/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-store"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-store.h"
#include "rg-store-private.h"

/* Card designs in SQLite: one card_designs row per channel and its card_fields in order,
 * images as BLOBs (tables from rg-store-migrations.c). */
struct _RgCardStore
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

G_DEFINE_FINAL_TYPE (RgCardStore, rg_card_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

static void
bind_bytes (sqlite3_stmt *stmt,
            int           index,
            GBytes       *bytes)
{
  gsize size;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  /* A zero-length blob would read back as NULL: an image is never empty. */
  sqlite3_bind_blob64 (stmt, index, data, size, SQLITE_STATIC);
}

static void
rg_card_store_finalize (GObject *object)
{
  RgCardStore *self = (RgCardStore *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_card_store_parent_class)->finalize (object);
}

static void
rg_card_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RgCardStore *self = RG_CARD_STORE (object);

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
rg_card_store_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RgCardStore *self = RG_CARD_STORE (object);

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
rg_card_store_class_init (RgCardStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_card_store_finalize;
  object_class->get_property = rg_card_store_get_property;
  object_class->set_property = rg_card_store_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgCardStore::changed:
   * @channel: the #RgCardChannel whose design was saved
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, RG_TYPE_CARD_CHANNEL);
}

static void
rg_card_store_init (RgCardStore *self)
{
}

RgCardStore *
rg_card_store_new (RgStore *store)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_CARD_STORE, "store", store, NULL);
}

/**
 * rg_card_store_get_store:
 *
 * Returns: (transfer none): the database
 */
RgStore *
rg_card_store_get_store (RgCardStore *self)
{
  g_return_val_if_fail (RG_IS_CARD_STORE (self), NULL);

  return self->store;
}

static gboolean
load_fields (RgCardStore   *self,
             RgCardDesign  *design,
             const char    *channel,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = rg_store_prepare (self->store,
                           "SELECT field_id, label, icon FROM card_fields "
                           "WHERE channel = ?1 ORDER BY position",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, channel, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *field_id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(RgCardField) field = NULL;
      g_autoptr(GBytes) icon = column_bytes (stmt, 2);
      g_autoptr(GError) local_error = NULL;

      /* Rows were checked when saved; one that no longer passes (a newer Regulars wrote it,
       * or someone edited the file) is skipped loudly instead of making the card unloadable. */
      if (!rg_card_field_id_check (field_id, &local_error))
        {
          g_warning ("Card design “%s”: skipping a stored field: %s",
                     channel, local_error->message);
          continue;
        }
      field = rg_card_field_new (field_id, (const char *) sqlite3_column_text (stmt, 1));
      if (icon != NULL && !rg_card_field_set_icon (field, icon, &local_error))
        g_warning ("Card design “%s”, field “%s”: using the default icon: %s",
                   channel, field_id, local_error->message);
      if (!rg_card_design_add_field (design, field, &local_error))
        g_warning ("Card design “%s”: %s", channel, local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      _rg_store_set_error_from_db (self->store, error, _("reading a card design"));
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_card_store_load:
 * @channel: the channel whose design to read
 *
 * Returns: (transfer full): the saved design, or the defaults of rg_card_design_new() when
 *   the channel was never saved; not dirty. %NULL with @error set on a database error.
 */
RgCardDesign *
rg_card_store_load (RgCardStore    *self,
                    RgCardChannel   channel,
                    GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;
  RgCardBarcode barcode;
  int rc;

  g_return_val_if_fail (RG_IS_CARD_STORE (self), NULL);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  name = rg_card_channel_to_string (channel);
  stmt = rg_store_prepare (self->store,
                           "SELECT enabled, title, accent_color, require_member_number, "
                           "not_found_message, register_button_text, register_url, "
                           "member_center_enabled, barcode, show_icons, header_image "
                           "FROM card_designs WHERE channel = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return rg_card_design_new (channel);
  if (rc != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (self->store, error, _("reading a card design"));
      return NULL;
    }

  design = g_object_new (RG_TYPE_CARD_DESIGN, "channel", channel, NULL);
  rg_card_design_set_enabled (design, sqlite3_column_int (stmt, 0));
  rg_card_design_set_title (design, (const char *) sqlite3_column_text (stmt, 1));
  rg_card_design_set_accent_color (design, (const char *) sqlite3_column_text (stmt, 2));
  rg_card_design_set_require_member_number (design, sqlite3_column_int (stmt, 3));
  rg_card_design_set_not_found_message (design, (const char *) sqlite3_column_text (stmt, 4));
  rg_card_design_set_register_button_text (design, (const char *) sqlite3_column_text (stmt, 5));
  rg_card_design_set_register_url (design, (const char *) sqlite3_column_text (stmt, 6));
  rg_card_design_set_member_center_enabled (design, sqlite3_column_int (stmt, 7));
  if (rg_card_barcode_from_string ((const char *) sqlite3_column_text (stmt, 8), &barcode))
    rg_card_design_set_barcode_type (design, barcode);
  rg_card_design_set_show_icons (design, sqlite3_column_int (stmt, 9));
  header = column_bytes (stmt, 10);
  if (header != NULL && !rg_card_design_set_header_image (design, header, &local_error))
    g_warning ("Card design “%s”: dropping the stored header image: %s",
               name, local_error->message);

  if (!load_fields (self, design, name, error))
    return NULL;

  rg_card_design_clear_dirty (design);
  return g_steal_pointer (&design);
}

/**
 * rg_card_store_is_saved:
 * @saved: (out): whether the channel has a stored design
 *
 * Returns: %FALSE with @error set on a database error
 */
gboolean
rg_card_store_is_saved (RgCardStore    *self,
                        RgCardChannel   channel,
                        gboolean       *saved,
                        GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RG_IS_CARD_STORE (self), FALSE);
  g_return_val_if_fail (saved != NULL, FALSE);

  stmt = rg_store_prepare (self->store, "SELECT 1 FROM card_designs WHERE channel = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rg_card_channel_to_string (channel), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rg_store_set_error_from_db (self->store, error, _("reading a card design"));
      return FALSE;
    }
  *saved = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
save_in_transaction (RgStore   *store,
                     gpointer   user_data,
                     GError   **error)
{
  RgCardDesign *design = user_data;
  const char *channel = rg_card_channel_to_string (rg_card_design_get_channel (design));
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  guint n;

  upsert = rg_store_prepare (store,
                             "INSERT INTO card_designs (channel, enabled, title, accent_color, "
                             "  require_member_number, not_found_message, register_button_text, "
                             "  register_url, member_center_enabled, barcode, show_icons, "
                             "  header_image, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                             "  unixepoch ()) "
                             "ON CONFLICT (channel) DO UPDATE SET "
                             "  enabled = excluded.enabled, title = excluded.title, "
                             "  accent_color = excluded.accent_color, "
                             "  require_member_number = excluded.require_member_number, "
                             "  not_found_message = excluded.not_found_message, "
                             "  register_button_text = excluded.register_button_text, "
                             "  register_url = excluded.register_url, "
                             "  member_center_enabled = excluded.member_center_enabled, "
                             "  barcode = excluded.barcode, show_icons = excluded.show_icons, "
                             "  header_image = excluded.header_image, "
                             "  updated_at = excluded.updated_at",
                             error);
  if (upsert == NULL)
    return FALSE;
  sqlite3_bind_text (upsert, 1, channel, -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 2, rg_card_design_get_enabled (design));
  sqlite3_bind_text (upsert, 3, rg_card_design_get_title (design), -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 4, rg_card_design_get_accent_color (design), -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 5, rg_card_design_get_require_member_number (design));
  sqlite3_bind_text (upsert, 6, rg_card_design_get_not_found_message (design), -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 7, rg_card_design_get_register_button_text (design), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (upsert, 8, rg_card_design_get_register_url (design), -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 9, rg_card_design_get_member_center_enabled (design));
  sqlite3_bind_text (upsert, 10,
                     rg_card_barcode_to_string (rg_card_design_get_barcode_type (design)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 11, rg_card_design_get_show_icons (design));
  bind_bytes (upsert, 12, rg_card_design_get_header_image (design));
  if (!rg_store_step_done (store, upsert, error))
    return FALSE;

  clear = rg_store_prepare (store, "DELETE FROM card_fields WHERE channel = ?1", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_text (clear, 1, channel, -1, SQLITE_STATIC);
  if (!rg_store_step_done (store, clear, error))
    return FALSE;

  insert = rg_store_prepare (store,
                             "INSERT INTO card_fields (channel, position, field_id, label, icon) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (insert == NULL)
    return FALSE;
  n = rg_card_design_get_n_fields (design);
  for (guint i = 0; i < n; i++)
    {
      RgCardField *field = rg_card_design_get_field (design, i);

      sqlite3_bind_text (insert, 1, channel, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 2, (int) i);
      sqlite3_bind_text (insert, 3, rg_card_field_get_id (field), -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, rg_card_field_get_label (field), -1, SQLITE_STATIC);
      bind_bytes (insert, 5, rg_card_field_get_icon (field));
      if (!rg_store_step_done (store, insert, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * rg_card_store_save:
 * @design: the design to store for its channel
 *
 * Validates @design (rg_card_design_validate()) and replaces the channel's stored design in
 * one transaction. On success @design is no longer dirty and #RgCardStore::changed is
 * emitted.
 *
 * Returns: %TRUE if saved; on failure nothing was written
 */
gboolean
rg_card_store_save (RgCardStore   *self,
                    RgCardDesign  *design,
                    GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_STORE (self), FALSE);
  g_return_val_if_fail (RG_IS_CARD_DESIGN (design), FALSE);

  if (!rg_card_design_validate (design, error) ||
      !rg_store_transaction (self->store, save_in_transaction, design, error))
    return FALSE;

  rg_card_design_clear_dirty (design);
  g_signal_emit (self, signals[CHANGED], 0, rg_card_design_get_channel (design));
  return TRUE;
}

/**
 * rg_card_store_dup_currency:
 *
 * Returns: (transfer full): the shop's currency (ISO 4217, "TWD" when unreadable), for the
 *   stored value on cards
 */
char *
rg_card_store_dup_currency (RgCardStore *self)
{
  g_return_val_if_fail (RG_IS_CARD_STORE (self), NULL);

  return rg_store_dup_currency (self->store);
}
