/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member"

#include "config.h"

#include <string.h>

#include "rg-member.h"
#include "rg-phone.h"

/* A member as the editor and the lists see it: plain values, no database access. The store
 * validates and writes it (rg-member-store.c); totals change only through the ledger. */
struct _RgMember
{
  GObject      parent_instance;

  gint64       id;
  char        *member_number;
  char        *name;
  char        *phone;
  char        *phone_display;
  char        *home_region;
  char        *email;
  gint64       accumulated_points;
  gint64       points_balance;
  gint64       stored_value;
  char       **tags;
  char        *note;
  char        *line_user_id;
  char        *whatsapp_id;
  char        *wechat_openid;
  gint64       created_at;
  gint64       updated_at;
  GHashTable  *attributes;

  guint        line_friend : 1;
  guint        whatsapp_opted_in : 1;
  guint        wechat_follower : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_MEMBER_NUMBER,
  PROP_NAME,
  PROP_PHONE,
  PROP_PHONE_DISPLAY,
  PROP_EMAIL,
  PROP_ACCUMULATED_POINTS,
  PROP_POINTS_BALANCE,
  PROP_STORED_VALUE,
  PROP_TAGS,
  PROP_NOTE,
  PROP_LINE_USER_ID,
  PROP_LINE_FRIEND,
  PROP_WHATSAPP_ID,
  PROP_WHATSAPP_OPTED_IN,
  PROP_WECHAT_OPENID,
  PROP_WECHAT_FOLLOWER,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

enum {
  ATTRIBUTE_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgMember, rg_member, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
set_string_property (RgMember    *self,
                     char       **field,
                     const char  *value,
                     guint        prop_id)
{
  if (replace_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64_property (RgMember *self,
                    gint64   *field,
                    gint64    value,
                    guint     prop_id)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static int
compare_string_pointers (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);
  return g_strv_equal (a, b);
}

static void
rg_member_finalize (GObject *object)
{
  RgMember *self = (RgMember *)object;

  g_clear_pointer (&self->member_number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->phone_display, g_free);
  g_clear_pointer (&self->home_region, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->line_user_id, g_free);
  g_clear_pointer (&self->whatsapp_id, g_free);
  g_clear_pointer (&self->wechat_openid, g_free);
  g_clear_pointer (&self->attributes, g_hash_table_unref);

  G_OBJECT_CLASS (rg_member_parent_class)->finalize (object);
}

static void
rg_member_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RgMember *self = RG_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_MEMBER_NUMBER:
      g_value_set_string (value, self->member_number);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_PHONE_DISPLAY:
      g_value_set_string (value, rg_member_get_phone_display (self));
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_ACCUMULATED_POINTS:
      g_value_set_int64 (value, self->accumulated_points);
      break;

    case PROP_POINTS_BALANCE:
      g_value_set_int64 (value, self->points_balance);
      break;

    case PROP_STORED_VALUE:
      g_value_set_int64 (value, self->stored_value);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    case PROP_LINE_USER_ID:
      g_value_set_string (value, self->line_user_id);
      break;

    case PROP_LINE_FRIEND:
      g_value_set_boolean (value, self->line_friend);
      break;

    case PROP_WHATSAPP_ID:
      g_value_set_string (value, self->whatsapp_id);
      break;

    case PROP_WHATSAPP_OPTED_IN:
      g_value_set_boolean (value, self->whatsapp_opted_in);
      break;

    case PROP_WECHAT_OPENID:
      g_value_set_string (value, self->wechat_openid);
      break;

    case PROP_WECHAT_FOLLOWER:
      g_value_set_boolean (value, self->wechat_follower);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RgMember *self = RG_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      rg_member_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_MEMBER_NUMBER:
      rg_member_set_member_number (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      rg_member_set_name (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      rg_member_set_phone (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      rg_member_set_email (self, g_value_get_string (value));
      break;

    case PROP_ACCUMULATED_POINTS:
      rg_member_set_accumulated_points (self, g_value_get_int64 (value));
      break;

    case PROP_POINTS_BALANCE:
      rg_member_set_points_balance (self, g_value_get_int64 (value));
      break;

    case PROP_STORED_VALUE:
      rg_member_set_stored_value (self, g_value_get_int64 (value));
      break;

    case PROP_TAGS:
      rg_member_set_tags (self, g_value_get_boxed (value));
      break;

    case PROP_NOTE:
      rg_member_set_note (self, g_value_get_string (value));
      break;

    case PROP_LINE_USER_ID:
      rg_member_set_line_user_id (self, g_value_get_string (value));
      break;

    case PROP_LINE_FRIEND:
      rg_member_set_line_friend (self, g_value_get_boolean (value));
      break;

    case PROP_WHATSAPP_ID:
      rg_member_set_whatsapp_id (self, g_value_get_string (value));
      break;

    case PROP_WHATSAPP_OPTED_IN:
      rg_member_set_whatsapp_opted_in (self, g_value_get_boolean (value));
      break;

    case PROP_WECHAT_OPENID:
      rg_member_set_wechat_openid (self, g_value_get_string (value));
      break;

    case PROP_WECHAT_FOLLOWER:
      rg_member_set_wechat_follower (self, g_value_get_boolean (value));
      break;

    case PROP_CREATED_AT:
      rg_member_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      rg_member_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_class_init (RgMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rg_member_finalize;
  object_class->get_property = rg_member_get_property;
  object_class->set_property = rg_member_set_property;

  /**
   * RgMember:id:
   * The database id, 0 until the member is stored.
   */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MEMBER_NUMBER] =
    g_param_spec_string ("member-number", NULL, NULL, NULL, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", flags);
  /**
   * RgMember:phone:
   * E.164 ("+886912345678") once validated by the store.
   */
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  /**
   * RgMember:phone-display:
   * The phone number written the local way ("0912 345 678").
   */
  properties[PROP_PHONE_DISPLAY] =
    g_param_spec_string ("phone-display", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_ACCUMULATED_POINTS] =
    g_param_spec_int64 ("accumulated-points", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_POINTS_BALANCE] =
    g_param_spec_int64 ("points-balance", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  /**
   * RgMember:stored-value:
   * Prepaid money in minor units (cents).
   */
  properties[PROP_STORED_VALUE] =
    g_param_spec_int64 ("stored-value", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, "", flags);
  properties[PROP_LINE_USER_ID] =
    g_param_spec_string ("line-user-id", NULL, NULL, NULL, flags);
  properties[PROP_LINE_FRIEND] =
    g_param_spec_boolean ("line-friend", NULL, NULL, FALSE, flags);
  properties[PROP_WHATSAPP_ID] =
    g_param_spec_string ("whatsapp-id", NULL, NULL, NULL, flags);
  properties[PROP_WHATSAPP_OPTED_IN] =
    g_param_spec_boolean ("whatsapp-opted-in", NULL, NULL, FALSE, flags);
  properties[PROP_WECHAT_OPENID] =
    g_param_spec_string ("wechat-openid", NULL, NULL, NULL, flags);
  properties[PROP_WECHAT_FOLLOWER] =
    g_param_spec_boolean ("wechat-follower", NULL, NULL, FALSE, flags);
  /**
   * RgMember:created-at:
   * Unix time in seconds, like every time of the core.
   */
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgMember::attribute-changed:
   * @key: the custom attribute's key, also the signal detail
   */
  signals[ATTRIBUTE_CHANGED] =
    g_signal_new ("attribute-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rg_member_init (RgMember *self)
{
  self->name = g_strdup ("");
  self->note = g_strdup ("");
  self->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

RgMember *
rg_member_new (void)
{
  return g_object_new (RG_TYPE_MEMBER, NULL);
}

/**
 * rg_member_copy:
 *
 * Returns: (transfer full): an independent copy, for an editor to change without touching
 *   the object a list shows
 */
RgMember *
rg_member_copy (RgMember *self)
{
  RgMember *copy;

  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  copy = rg_member_new ();
  rg_member_assign (copy, self);
  return copy;
}

/**
 * rg_member_assign:
 * @source: the member to take every value from
 *
 * Makes @self equal to @source, notifying only the properties that change.
 */
void
rg_member_assign (RgMember *self,
                  RgMember *source)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) changed_keys = NULL;

  g_return_if_fail (RG_IS_MEMBER (self));
  g_return_if_fail (RG_IS_MEMBER (source));

  if (self == source)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  rg_member_set_id (self, source->id);
  rg_member_set_member_number (self, source->member_number);
  rg_member_set_name (self, source->name);
  rg_member_set_phone (self, source->phone);
  rg_member_set_email (self, source->email);
  rg_member_set_accumulated_points (self, source->accumulated_points);
  rg_member_set_points_balance (self, source->points_balance);
  rg_member_set_stored_value (self, source->stored_value);
  rg_member_set_tags (self, (const char * const *) source->tags);
  rg_member_set_note (self, source->note);
  rg_member_set_line_user_id (self, source->line_user_id);
  rg_member_set_line_friend (self, source->line_friend);
  rg_member_set_whatsapp_id (self, source->whatsapp_id);
  rg_member_set_whatsapp_opted_in (self, source->whatsapp_opted_in);
  rg_member_set_wechat_openid (self, source->wechat_openid);
  rg_member_set_wechat_follower (self, source->wechat_follower);
  rg_member_set_created_at (self, source->created_at);
  rg_member_set_updated_at (self, source->updated_at);
  rg_member_set_home_region (self, source->home_region);

  /* Attribute keys are collected first: setting one changes the table being walked. */
  changed_keys = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (source->attributes, key))
      g_ptr_array_add (changed_keys, g_strdup (key));
  g_hash_table_iter_init (&iter, source->attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (g_hash_table_lookup (self->attributes, key), value) != 0)
      g_ptr_array_add (changed_keys, g_strdup (key));
  for (guint i = 0; i < changed_keys->len; i++)
    {
      const char *changed = g_ptr_array_index (changed_keys, i);
      rg_member_set_attribute (self, changed, g_hash_table_lookup (source->attributes, changed));
    }

  g_object_thaw_notify (G_OBJECT (self));
}

gint64
rg_member_get_id (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->id;
}

void
rg_member_set_id (RgMember *self,
                  gint64    id)
{
  g_return_if_fail (RG_IS_MEMBER (self));
  g_return_if_fail (id >= 0);

  set_int64_property (self, &self->id, id, PROP_ID);
}

/**
 * rg_member_get_member_number:
 *
 * Returns: (nullable): the merchant's own member number
 */
const char *
rg_member_get_member_number (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->member_number;
}

void
rg_member_set_member_number (RgMember   *self,
                             const char *member_number)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->member_number, member_number, PROP_MEMBER_NUMBER);
}

const char *
rg_member_get_name (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->name;
}

void
rg_member_set_name (RgMember   *self,
                    const char *name)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->name, name != NULL ? name : "", PROP_NAME);
}

/**
 * rg_member_get_phone:
 *
 * Returns: (nullable): the phone number, E.164 once the store validated it
 */
const char *
rg_member_get_phone (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->phone;
}

void
rg_member_set_phone (RgMember   *self,
                     const char *phone)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  if (replace_string (&self->phone, phone))
    {
      g_clear_pointer (&self->phone_display, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_DISPLAY]);
    }
}

/**
 * rg_member_set_home_region:
 * @region: (nullable): the shop's default phone region ("TW"), as the store knows it
 *
 * Numbers of the shop's own region are shown the local way, others with their country code.
 */
void
rg_member_set_home_region (RgMember   *self,
                           const char *region)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  if (replace_string (&self->home_region, region))
    {
      g_clear_pointer (&self->phone_display, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_DISPLAY]);
    }
}

/**
 * rg_member_get_phone_display:
 *
 * Returns: (nullable): the phone as the shop reads it: the local way for a number of the
 *   shop's region ("0912 345 678"), with the country code for others ("+852 6123 4567"),
 *   and as it is when it is not a valid E.164 number yet
 */
const char *
rg_member_get_phone_display (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  if (self->phone_display == NULL && self->phone != NULL)
    {
      if (self->phone[0] == '+')
        {
          g_autofree char *region = rg_phone_region_of (self->phone);

          if (self->home_region == NULL ||
              g_ascii_strcasecmp (region ? region : "", self->home_region) == 0)
            self->phone_display = rg_phone_format_national (self->phone);
          else
            self->phone_display = rg_phone_format_international (self->phone);
        }
      if (self->phone_display == NULL)
        self->phone_display = g_strdup (self->phone);
    }

  return self->phone_display;
}

/**
 * rg_member_get_email:
 *
 * Returns: (nullable): the email address
 */
const char *
rg_member_get_email (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->email;
}

void
rg_member_set_email (RgMember   *self,
                     const char *email)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->email, email, PROP_EMAIL);
}

gint64
rg_member_get_accumulated_points (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->accumulated_points;
}

/**
 * rg_member_set_accumulated_points:
 *
 * Sets the opening total for a member that is not stored yet; a stored member's totals
 * change only through rg_member_store_adjust().
 */
void
rg_member_set_accumulated_points (RgMember *self,
                                  gint64    points)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_int64_property (self, &self->accumulated_points, points, PROP_ACCUMULATED_POINTS);
}

gint64
rg_member_get_points_balance (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->points_balance;
}

/**
 * rg_member_set_points_balance:
 *
 * See rg_member_set_accumulated_points().
 */
void
rg_member_set_points_balance (RgMember *self,
                              gint64    points)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_int64_property (self, &self->points_balance, points, PROP_POINTS_BALANCE);
}

/**
 * rg_member_get_stored_value:
 *
 * Returns: prepaid money in minor units (cents)
 */
gint64
rg_member_get_stored_value (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->stored_value;
}

/**
 * rg_member_set_stored_value:
 *
 * See rg_member_set_accumulated_points().
 */
void
rg_member_set_stored_value (RgMember *self,
                            gint64    stored_value)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_int64_property (self, &self->stored_value, stored_value, PROP_STORED_VALUE);
}

/**
 * rg_member_get_tags:
 *
 * Returns: (transfer none) (nullable): the tags
 */
const char * const *
rg_member_get_tags (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return (const char * const *) self->tags;
}

void
rg_member_set_tags (RgMember           *self,
                    const char * const *tags)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  if (strv_equal0 ((const char * const *) self->tags, tags))
    return;

  g_strfreev (self->tags);
  self->tags = tags != NULL && tags[0] != NULL ? g_strdupv ((char **) tags) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

const char *
rg_member_get_note (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->note;
}

void
rg_member_set_note (RgMember   *self,
                    const char *note)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->note, note != NULL ? note : "", PROP_NOTE);
}

/**
 * rg_member_get_line_user_id:
 *
 * Returns: (nullable): the LINE userId ("U" and 32 hex digits)
 */
const char *
rg_member_get_line_user_id (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->line_user_id;
}

void
rg_member_set_line_user_id (RgMember   *self,
                            const char *line_user_id)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->line_user_id, line_user_id, PROP_LINE_USER_ID);
}

/**
 * rg_member_get_line_friend:
 *
 * Returns: whether the member follows the shop's LINE official account
 */
gboolean
rg_member_get_line_friend (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), FALSE);

  return self->line_friend;
}

void
rg_member_set_line_friend (RgMember *self,
                           gboolean  line_friend)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  line_friend = !!line_friend;
  if (self->line_friend != line_friend)
    {
      self->line_friend = line_friend;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_FRIEND]);
    }
}

/**
 * rg_member_get_whatsapp_id:
 *
 * Returns: (nullable): the WhatsApp wa_id (the phone number's digits)
 */
const char *
rg_member_get_whatsapp_id (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->whatsapp_id;
}

void
rg_member_set_whatsapp_id (RgMember   *self,
                           const char *whatsapp_id)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->whatsapp_id, whatsapp_id, PROP_WHATSAPP_ID);
}

gboolean
rg_member_get_whatsapp_opted_in (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), FALSE);

  return self->whatsapp_opted_in;
}

void
rg_member_set_whatsapp_opted_in (RgMember *self,
                                 gboolean  opted_in)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  opted_in = !!opted_in;
  if (self->whatsapp_opted_in != opted_in)
    {
      self->whatsapp_opted_in = opted_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHATSAPP_OPTED_IN]);
    }
}

/**
 * rg_member_get_wechat_openid:
 *
 * Returns: (nullable): the WeChat openid for the shop's official account
 */
const char *
rg_member_get_wechat_openid (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  return self->wechat_openid;
}

void
rg_member_set_wechat_openid (RgMember   *self,
                             const char *openid)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  set_string_property (self, &self->wechat_openid, openid, PROP_WECHAT_OPENID);
}

gboolean
rg_member_get_wechat_follower (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), FALSE);

  return self->wechat_follower;
}

void
rg_member_set_wechat_follower (RgMember *self,
                               gboolean  follower)
{
  g_return_if_fail (RG_IS_MEMBER (self));

  follower = !!follower;
  if (self->wechat_follower != follower)
    {
      self->wechat_follower = follower;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WECHAT_FOLLOWER]);
    }
}

/**
 * rg_member_get_created_at:
 *
 * Returns: Unix time in seconds
 */
gint64
rg_member_get_created_at (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->created_at;
}

/**
 * rg_member_set_created_at:
 *
 * 0 lets the store use the time of insertion; an importer keeps the original date.
 */
void
rg_member_set_created_at (RgMember *self,
                          gint64    created_at)
{
  g_return_if_fail (RG_IS_MEMBER (self));
  g_return_if_fail (created_at >= 0);

  set_int64_property (self, &self->created_at, created_at, PROP_CREATED_AT);
}

/**
 * rg_member_get_updated_at:
 *
 * Returns: Unix time in seconds
 */
gint64
rg_member_get_updated_at (RgMember *self)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), 0);

  return self->updated_at;
}

void
rg_member_set_updated_at (RgMember *self,
                          gint64    updated_at)
{
  g_return_if_fail (RG_IS_MEMBER (self));
  g_return_if_fail (updated_at >= 0);

  set_int64_property (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
}

/**
 * rg_member_get_attribute:
 * @key: a custom attribute's key
 *
 * Returns: (nullable): the value, normalized once the store validated it
 */
const char *
rg_member_get_attribute (RgMember   *self,
                         const char *key)
{
  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->attributes, key);
}

/**
 * rg_member_set_attribute:
 * @key: a custom attribute's key
 * @value: (nullable): the value; %NULL or "" removes it
 */
void
rg_member_set_attribute (RgMember   *self,
                         const char *key,
                         const char *value)
{
  const char *old;

  g_return_if_fail (RG_IS_MEMBER (self));
  g_return_if_fail (key != NULL);

  if (value != NULL && value[0] == '\0')
    value = NULL;

  old = g_hash_table_lookup (self->attributes, key);
  if (g_strcmp0 (old, value) == 0)
    return;

  if (value == NULL)
    g_hash_table_remove (self->attributes, key);
  else
    g_hash_table_insert (self->attributes, g_strdup (key), g_strdup (value));

  g_signal_emit (self, signals[ATTRIBUTE_CHANGED], g_quark_from_string (key), key);
}

/**
 * rg_member_dup_attribute_keys:
 *
 * Returns: (transfer full): the keys of the attributes that have a value, sorted
 */
char **
rg_member_dup_attribute_keys (RgMember *self)
{
  g_autofree const char **keys = NULL;
  guint n_keys;
  char **copy;

  g_return_val_if_fail (RG_IS_MEMBER (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->attributes, &n_keys);
  copy = g_new0 (char *, n_keys + 1);
  for (guint i = 0; i < n_keys; i++)
    copy[i] = g_strdup (keys[i]);
  g_qsort_with_data (copy, n_keys, sizeof (char *), compare_string_pointers, NULL);
  return copy;
}

void
rg_member_clear_attributes (RgMember *self)
{
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (RG_IS_MEMBER (self));

  keys = rg_member_dup_attribute_keys (self);
  for (guint i = 0; keys[i] != NULL; i++)
    rg_member_set_attribute (self, keys[i], NULL);
}
