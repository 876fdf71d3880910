/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#define RG_MEMBER_STORE_COMPILATION
#include "rg-member-store-private.h"
#include "rg-store-private.h"

/* The shop's custom attribute definitions, and the cache of them that validation reads. */

#define MAX_LABEL_CHARS 50

static gint64
data_version (RgMemberStore *self)
{
  g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_DATA_VERSION, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

void
_rg_member_store_invalidate_definitions (RgMemberStore *self)
{
  g_clear_pointer (&self->definitions, g_hash_table_unref);
}

GHashTable *
_rg_member_store_ensure_definitions (RgMemberStore  *self,
                                     GError        **error)
{
  g_autoptr(GHashTable) definitions = NULL;
  gint64 version = data_version (self);
  int rc;

  if (self->definitions != NULL && version == self->definitions_version)
    return self->definitions;

  {
    g_auto(CachedStmt) stmt = _rg_member_store_get_stmt (self, STMT_LIST_DEFINITIONS, error);

    if (stmt == NULL)
      return NULL;

    definitions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        RgAttributeDefinition *definition;
        RgAttributeType type = RG_ATTRIBUTE_TYPE_TEXT;

        if (!rg_attribute_type_from_string (_rg_member_column_text (stmt, 2), &type))
          g_warning ("Custom attribute “%s” has the unknown type “%s”; treating it as text",
                     _rg_member_column_text (stmt, 0), _rg_member_column_text (stmt, 2));
        definition = rg_attribute_definition_new (_rg_member_column_text (stmt, 0),
                                                  _rg_member_column_text (stmt, 1),
                                                  type);
        rg_attribute_definition_set_position (definition, sqlite3_column_int (stmt, 3));
        g_hash_table_insert (definitions,
                             (gpointer) rg_attribute_definition_get_key (definition),
                             definition);
      }
    if (rc != SQLITE_DONE)
      {
        _rg_member_store_set_db_error (self, error, _("reading custom attributes"));
        return NULL;
      }
  }

  g_clear_pointer (&self->definitions, g_hash_table_unref);
  self->definitions = g_steal_pointer (&definitions);
  self->definitions_version = version;
  return self->definitions;
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

  if ((definitions = _rg_member_store_ensure_definitions (self, error)) == NULL)
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

  if ((definitions = _rg_member_store_ensure_definitions (self, error)) == NULL)
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
  g_autofree char *label = _rg_member_trim_or_null (rg_attribute_definition_get_label (definition));

  if (!rg_attribute_key_is_valid (key))
    {
      g_autofree char *shown = _rg_member_printable (key != NULL ? key : "");
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
  if (g_utf8_strlen (label, -1) > MAX_LABEL_CHARS || _rg_member_has_control_chars (label, FALSE))
    {
      g_autofree char *shown = _rg_member_printable (label);
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
    _rg_member_store_set_db_error (self, error, _("saving a custom attribute"));
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

  _rg_member_store_invalidate_definitions (self);
  _rg_member_store_emit_attributes_changed (self, FALSE);
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
      const char *value = _rg_member_column_text (select, 1);
      g_autofree char *normalized = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!rg_attribute_type_normalize (type, value, &normalized, &local_error))
        {
          const char *number = _rg_member_column_text (select, 3);

          rg_member_set_error (error, RG_MEMBER_ERROR_ATTRIBUTE_CONFLICT,
                               RG_MEMBER_FIELD_ATTRIBUTE_TYPE,
                               /* Translators: “Cannot make “Favourite tea” a date: 陳怡君
                                * (M001) has “oolong”.” */
                               _("Cannot make “%s” a %s: %s (%s) has “%s”."),
                               rg_attribute_definition_get_label (data->old),
                               rg_attribute_type_get_label (type),
                               _rg_member_column_text (select, 2), number != NULL ? number : "—", value);
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
      _rg_member_store_set_db_error (self, error, _("reading custom attribute values"));
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

  _rg_member_store_invalidate_definitions (self);
  _rg_member_store_emit_attributes_changed (self, data.values_changed);
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

  _rg_member_store_invalidate_definitions (self);
  _rg_member_store_emit_attributes_changed (self, TRUE);
  return TRUE;
}
