/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-data"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-attribute-definition.h"
#include "rg-card-barcode.h"
#include "rg-card-data.h"
#include "rg-format.h"
#include "rg-card-field.h"

/* What a card shows for one member: display-ready text per field id. The renderer reads
 * only this, so the designer can preview offline with a sample member and the member center
 * can render without the members module knowing about cards. */
struct _RgCardData
{
  GObject     parent_instance;

  char       *member_number;
  GHashTable *values;
  guint       is_sample : 1;
};

G_DEFINE_FINAL_TYPE (RgCardData, rg_card_data, G_TYPE_OBJECT)

static void
rg_card_data_finalize (GObject *object)
{
  RgCardData *self = (RgCardData *)object;

  g_clear_pointer (&self->member_number, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);

  G_OBJECT_CLASS (rg_card_data_parent_class)->finalize (object);
}

static void
rg_card_data_class_init (RgCardDataClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_card_data_finalize;
}

static void
rg_card_data_init (RgCardData *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * rg_card_data_new:
 * @member_number: (nullable): the member number, %NULL or "" for a member without one
 *
 * Returns: (transfer full): card data with no field values yet
 */
RgCardData *
rg_card_data_new (const char *member_number)
{
  RgCardData *self = g_object_new (RG_TYPE_CARD_DATA, NULL);

  rg_card_data_set_member_number (self, member_number);
  return self;
}

/**
 * rg_card_data_new_sample:
 *
 * A believable member for the designer's offline preview. Her number is a 13-digit EAN
 * from the in-store range (20…29) with a correct check digit, so every barcode type can
 * show it; custom attributes read “Sample”.
 *
 * Returns: (transfer full): the sample member's card data
 */
RgCardData *
rg_card_data_new_sample (void)
{
  RgCardData *self;
  char number[14] = "200000001234";

  number[12] = rg_card_ean13_check_digit (number);
  number[13] = '\0';

  self = rg_card_data_new (number);
  self->is_sample = TRUE;
  rg_card_data_set_value (self, RG_CARD_FIELD_NAME, _("Lin Hsiao-mei"));
  rg_card_data_set_value (self, RG_CARD_FIELD_PHONE, "0912-345-678");
  rg_card_data_set_value (self, RG_CARD_FIELD_EMAIL, "hsiaomei.lin@example.com");
  rg_card_data_set_value (self, RG_CARD_FIELD_ACCUMULATED_POINTS, "2,480");
  rg_card_data_set_value (self, RG_CARD_FIELD_POINTS_BALANCE, "320");
  rg_card_data_set_value (self, RG_CARD_FIELD_STORED_VALUE, "NT$1,500");
  return self;
}

static void
set_count (RgCardData *self,
           const char *field_id,
           gint64      value)
{
  g_autofree char *shown = rg_format_integer (value);

  rg_card_data_set_value (self, field_id, shown);
}

/* Stored attribute values are normalized (rg_attribute_type_normalize()); only yes/no reads
 * better translated. */
static const char *
attribute_display (GListModel *attributes,
                   const char *key,
                   const char *value)
{
  guint n = attributes != NULL ? g_list_model_get_n_items (attributes) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (attributes, i);

      if (!g_str_equal (rg_attribute_definition_get_key (definition), key))
        continue;
      if (rg_attribute_definition_get_value_type (definition) == RG_ATTRIBUTE_TYPE_YES_NO)
        {
          if (g_str_equal (value, "yes"))
            return _("Yes");
          if (g_str_equal (value, "no"))
            return _("No");
        }
      break;
    }
  return value;
}

/**
 * rg_card_data_new_for_member:
 * @member: a member as read from the #RgMemberStore
 * @attributes: (nullable): the attribute definitions (#RgAttributeDefinition), to show
 *   yes/no attributes as words
 * @currency: (nullable): the shop's currency (rg_card_store_dup_currency()), for the stored
 *   value
 *
 * Points are shown with thousands separators, the stored value as money, the phone in its
 * display form.
 *
 * Returns: (transfer full): what the card shows for @member
 */
RgCardData *
rg_card_data_new_for_member (RgMember   *member,
                             GListModel *attributes,
                             const char *currency)
{
  RgCardData *self;
  g_auto(GStrv) keys = NULL;
  g_autofree char *money = NULL;
  const char *phone;

  g_return_val_if_fail (RG_IS_MEMBER (member), NULL);
  g_return_val_if_fail (attributes == NULL || G_IS_LIST_MODEL (attributes), NULL);

  self = rg_card_data_new (rg_member_get_member_number (member));
  rg_card_data_set_value (self, RG_CARD_FIELD_NAME, rg_member_get_name (member));
  phone = rg_member_get_phone_display (member);
  rg_card_data_set_value (self, RG_CARD_FIELD_PHONE,
                          phone != NULL && phone[0] != '\0' ? phone : rg_member_get_phone (member));
  rg_card_data_set_value (self, RG_CARD_FIELD_EMAIL, rg_member_get_email (member));
  set_count (self, RG_CARD_FIELD_ACCUMULATED_POINTS, rg_member_get_accumulated_points (member));
  set_count (self, RG_CARD_FIELD_POINTS_BALANCE, rg_member_get_points_balance (member));
  money = rg_format_money (rg_member_get_stored_value (member), currency);
  rg_card_data_set_value (self, RG_CARD_FIELD_STORED_VALUE, money);

  keys = rg_member_dup_attribute_keys (member);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const char *value = rg_member_get_attribute (member, keys[i]);
      g_autofree char *field_id = NULL;

      if (value == NULL)
        continue;
      field_id = g_strconcat (RG_CARD_FIELD_ATTRIBUTE_PREFIX, keys[i], NULL);
      rg_card_data_set_value (self, field_id, attribute_display (attributes, keys[i], value));
    }
  return self;
}

/**
 * rg_card_data_get_member_number:
 *
 * Returns: (nullable): the member number, %NULL when the member has none
 */
const char *
rg_card_data_get_member_number (RgCardData *self)
{
  g_return_val_if_fail (RG_IS_CARD_DATA (self), NULL);

  return self->member_number;
}

void
rg_card_data_set_member_number (RgCardData *self,
                                const char *member_number)
{
  g_return_if_fail (RG_IS_CARD_DATA (self));

  g_free (self->member_number);
  self->member_number = member_number != NULL && member_number[0] != '\0'
                        ? g_strdup (member_number) : NULL;
}

/**
 * rg_card_data_get_value:
 * @field_id: a field id such as "phone" or "attr:birthday"
 *
 * Returns: (nullable): the display text of the field, %NULL when the member has no value
 *   (the card then shows “-”)
 */
const char *
rg_card_data_get_value (RgCardData *self,
                        const char *field_id)
{
  const char *value;

  g_return_val_if_fail (RG_IS_CARD_DATA (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  value = g_hash_table_lookup (self->values, field_id);
  if (value != NULL)
    return value;
  if (g_str_equal (field_id, RG_CARD_FIELD_MEMBER_NUMBER))
    return self->member_number;
  if (self->is_sample && g_str_has_prefix (field_id, RG_CARD_FIELD_ATTRIBUTE_PREFIX))
    return _("Sample");
  return NULL;
}

/**
 * rg_card_data_set_value:
 * @value: (nullable): display text; %NULL or "" for no value
 */
void
rg_card_data_set_value (RgCardData *self,
                        const char *field_id,
                        const char *value)
{
  g_return_if_fail (RG_IS_CARD_DATA (self));
  g_return_if_fail (field_id != NULL);

  if (value == NULL || value[0] == '\0')
    g_hash_table_remove (self->values, field_id);
  else
    g_hash_table_insert (self->values, g_strdup (field_id), g_strdup (value));
}

gboolean
rg_card_data_get_is_sample (RgCardData *self)
{
  g_return_val_if_fail (RG_IS_CARD_DATA (self), FALSE);

  return self->is_sample;
}
