/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-member-store.h"
#include "rg-test-util.h"

#define LINE_A "U4af4980629a0b1c2d3e4f5a6b7c8d9e0"
#define LINE_B "U0123456789abcdef0123456789abcdef"

typedef struct
{
  char          *dir;
  RgStore       *store;
  RgMemberStore *members;
} Fixture;

typedef struct
{
  guint               added;
  guint               removed;
  guint               changed;
  RgMemberChangeFlags last_changes;
  guint               balance_changed;
  RgBalanceChange    *last_balance;
  gint64              last_id;
} Events;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, NULL);
  fixture->members = rg_member_store_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
on_added (RgMemberStore *store,
          gint64         id,
          Events        *events)
{
  events->added++;
  events->last_id = id;
}

static void
on_removed (RgMemberStore *store,
            gint64         id,
            Events        *events)
{
  events->removed++;
  events->last_id = id;
}

static void
on_changed (RgMemberStore       *store,
            gint64               id,
            RgMemberChangeFlags  changes,
            Events              *events)
{
  events->changed++;
  events->last_changes = changes;
  events->last_id = id;
}

static void
on_balance_changed (RgMemberStore   *store,
                    gint64           id,
                    RgBalanceChange *change,
                    Events          *events)
{
  events->balance_changed++;
  events->last_id = id;
  g_clear_pointer (&events->last_balance, rg_balance_change_free);
  events->last_balance = rg_balance_change_copy (change);
}

static void
watch (Fixture *fixture,
       Events  *events)
{
  memset (events, 0, sizeof *events);
  g_signal_connect (fixture->members, "member-added", G_CALLBACK (on_added), events);
  g_signal_connect (fixture->members, "member-removed", G_CALLBACK (on_removed), events);
  g_signal_connect (fixture->members, "member-changed", G_CALLBACK (on_changed), events);
  g_signal_connect (fixture->members, "balance-changed", G_CALLBACK (on_balance_changed), events);
}

static void
unwatch (Fixture *fixture,
         Events  *events)
{
  g_signal_handlers_disconnect_by_data (fixture->members, events);
  g_clear_pointer (&events->last_balance, rg_balance_change_free);
}

static int
query_int (Fixture    *fixture,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (rg_store_get_db (fixture->store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static RgMember *
make_member (const char *number,
             const char *name,
             const char *phone)
{
  RgMember *member = rg_member_new ();

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, name);
  rg_member_set_phone (member, phone);
  return member;
}

static RgMember *
insert_member (Fixture    *fixture,
               const char *number,
               const char *name,
               const char *phone)
{
  g_autoptr(GError) error = NULL;
  RgMember *member = make_member (number, name, phone);

  rg_member_store_insert (fixture->members, member, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_member_get_id (member), >, 0);
  return member;
}

static void
add_attribute (Fixture         *fixture,
               const char      *key,
               const char      *label,
               RgAttributeType  type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgAttributeDefinition) definition = rg_attribute_definition_new (key, label, type);

  rg_member_store_add_attribute (fixture->members, definition, &error);
  g_assert_no_error (error);
}

typedef enum
{
  FIELD_MEMBER_NUMBER,
  FIELD_NAME,
  FIELD_PHONE,
  FIELD_EMAIL,
  FIELD_LINE,
  FIELD_WHATSAPP,
  FIELD_WECHAT,
  FIELD_NOTE,
  FIELD_POINTS,
  FIELD_ATTRIBUTE,
} Field;

static void
set_field (RgMember   *member,
           Field       field,
           const char *value)
{
  switch (field)
    {
    case FIELD_MEMBER_NUMBER: rg_member_set_member_number (member, value); break;
    case FIELD_NAME: rg_member_set_name (member, value); break;
    case FIELD_PHONE: rg_member_set_phone (member, value); break;
    case FIELD_EMAIL: rg_member_set_email (member, value); break;
    case FIELD_LINE: rg_member_set_line_user_id (member, value); break;
    case FIELD_WHATSAPP: rg_member_set_whatsapp_id (member, value); break;
    case FIELD_WECHAT: rg_member_set_wechat_openid (member, value); break;
    case FIELD_NOTE: rg_member_set_note (member, value); break;
    case FIELD_POINTS: rg_member_set_points_balance (member, g_ascii_strtoll (value, NULL, 10)); break;
    case FIELD_ATTRIBUTE: rg_member_set_attribute (member, "birthday", value); break;
    default: g_assert_not_reached ();
    }
}

static const char *
get_field (RgMember *member,
           Field     field)
{
  switch (field)
    {
    case FIELD_MEMBER_NUMBER: return rg_member_get_member_number (member);
    case FIELD_NAME: return rg_member_get_name (member);
    case FIELD_PHONE: return rg_member_get_phone (member);
    case FIELD_EMAIL: return rg_member_get_email (member);
    case FIELD_LINE: return rg_member_get_line_user_id (member);
    case FIELD_WHATSAPP: return rg_member_get_whatsapp_id (member);
    case FIELD_WECHAT: return rg_member_get_wechat_openid (member);
    case FIELD_NOTE: return rg_member_get_note (member);
    case FIELD_ATTRIBUTE: return rg_member_get_attribute (member, "birthday");
    case FIELD_POINTS:
    default: g_assert_not_reached ();
    }
}

static void
test_validate_table (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    Field       field;
    const char *input;
    const char *normalized;    /* expected stored form when valid */
    int         code;          /* -1 when valid */
    const char *error_field;
    const char *in_message;    /* the message names the bad value */
  } cases[] = {
    { FIELD_MEMBER_NUMBER, "  M001  ", "M001", -1 },
    { FIELD_MEMBER_NUMBER, "   ", NULL, -1 },
    { FIELD_MEMBER_NUMBER, "M\001X", NULL, RG_MEMBER_ERROR_INVALID, "member_number", "M\\x01X" },
    { FIELD_MEMBER_NUMBER, "12345678901234567890123456789012345678901234567890123456789012345",
      NULL, RG_MEMBER_ERROR_INVALID, "member_number", "1234567890" },
    { FIELD_MEMBER_NUMBER, "會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員"
                           "會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員",
      "會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員"
      "會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員會員", -1 },
    { FIELD_NAME, "  陳怡君 ", "陳怡君", -1 },
    { FIELD_NAME, " ", NULL, RG_MEMBER_ERROR_INVALID, "name", "Name is required" },
    { FIELD_NAME, "Line\nbreak", NULL, RG_MEMBER_ERROR_INVALID, "name", "Line\\x0Abreak" },
    { FIELD_NAME, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      NULL, RG_MEMBER_ERROR_INVALID, "name", "100" },
    { FIELD_PHONE, "0912-345-678", "+886912345678", -1 },
    { FIELD_PHONE, "(02) 2345-6789", "+886223456789", -1 },
    { FIELD_PHONE, "+852 9123 4567", "+85291234567", -1 },
    { FIELD_PHONE, "", NULL, -1 },
    { FIELD_PHONE, "12345", NULL, RG_MEMBER_ERROR_INVALID, "phone", "12345" },
    { FIELD_PHONE, "not a phone", NULL, RG_MEMBER_ERROR_INVALID, "phone", "not a phone" },
    { FIELD_EMAIL, " Foo.Bar@Example.COM ", "Foo.Bar@example.com", -1 },
    { FIELD_EMAIL, "ｔｅａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "tea@example.com", -1 },
    { FIELD_EMAIL, "茶友@例子.台灣", "茶友@例子.台灣", -1 },
    { FIELD_EMAIL, "o'brien+tea@mail.example.co.uk", "o'brien+tea@mail.example.co.uk", -1 },
    { FIELD_EMAIL, "foo@bar", NULL, RG_MEMBER_ERROR_INVALID, "email", "foo@bar" },
    { FIELD_EMAIL, "foo@@bar.com", NULL, RG_MEMBER_ERROR_INVALID, "email", "foo@@bar.com" },
    { FIELD_EMAIL, "a..b@example.com", NULL, RG_MEMBER_ERROR_INVALID, "email", "a..b" },
    { FIELD_EMAIL, ".a@example.com", NULL, RG_MEMBER_ERROR_INVALID, "email", ".a@" },
    { FIELD_EMAIL, "a@-example.com", NULL, RG_MEMBER_ERROR_INVALID, "email", "-example" },
    { FIELD_EMAIL, "a b@example.com", NULL, RG_MEMBER_ERROR_INVALID, "email", "a b@" },
    { FIELD_EMAIL, "a@example.123", NULL, RG_MEMBER_ERROR_INVALID, "email", "example.123" },
    { FIELD_EMAIL, "@example.com", NULL, RG_MEMBER_ERROR_INVALID, "email", "@example.com" },
    { FIELD_LINE, LINE_A, LINE_A, -1 },
    { FIELD_LINE, "U123", NULL, RG_MEMBER_ERROR_INVALID, "line_user_id", "U123" },
    { FIELD_LINE, "U4AF4980629A0B1C2D3E4F5A6B7C8D9E0", NULL, RG_MEMBER_ERROR_INVALID,
      "line_user_id", "U4AF" },
    { FIELD_WHATSAPP, "+886912345678", "886912345678", -1 },
    { FIELD_WHATSAPP, "0912abc", NULL, RG_MEMBER_ERROR_INVALID, "whatsapp_id", "0912abc" },
    { FIELD_WECHAT, "oAbC_123-xyz456", "oAbC_123-xyz456", -1 },
    { FIELD_WECHAT, "bad id!", NULL, RG_MEMBER_ERROR_INVALID, "wechat_openid", "bad id!" },
    { FIELD_NOTE, "  likes oolong\nno sugar  ", "likes oolong\nno sugar", -1 },
    { FIELD_POINTS, "-1", NULL, RG_MEMBER_ERROR_NEGATIVE_BALANCE, "points_balance", "-1" },
    { FIELD_ATTRIBUTE, "1990/7/4", "1990-07-04", -1 },
    { FIELD_ATTRIBUTE, "1990-02-30", NULL, RG_MEMBER_ERROR_INVALID, "attr:birthday", "1990-02-30" },
  };

  add_attribute (fixture, "birthday", "Birthday", RG_ATTRIBUTE_TYPE_DATE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgMember) member = make_member ("M1", "Valid Name", "0912345678");
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("case %u: %s", i, cases[i].input);
      set_field (member, cases[i].field, cases[i].input);
      ok = rg_member_store_validate (fixture->members, member, &error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          if (cases[i].field != FIELD_POINTS)
            g_assert_cmpstr (get_field (member, cases[i].field), ==, cases[i].normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RG_MEMBER_ERROR, cases[i].code);
          g_assert_cmpstr (rg_member_error_get_field (error), ==, cases[i].error_field);
          g_assert_nonnull (strstr (error->message, cases[i].in_message));
        }
    }
}

static void
test_validate_unknown_attribute (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RgMember) member = make_member ("M1", "陳怡君", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  rg_member_set_attribute (member, "shoe_size", "42");
  g_assert_false (rg_member_store_validate (fixture->members, member, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_UNKNOWN_ATTRIBUTE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "attr:shoe_size");
  g_assert_nonnull (strstr (error->message, "shoe_size"));

  /* The field travels with copies of the error (GTask, g_propagate_error). */
  copy = g_error_copy (error);
  g_assert_cmpstr (rg_member_error_get_field (copy), ==, "attr:shoe_size");
}

static void
test_attribute_normalize (void)
{
  static const struct {
    RgAttributeType  type;
    const char      *input;
    const char      *normalized;   /* NULL: refused */
  } cases[] = {
    { RG_ATTRIBUTE_TYPE_TEXT, "  jasmine ", "jasmine" },
    { RG_ATTRIBUTE_TYPE_TEXT, "   ", NULL },
    { RG_ATTRIBUTE_TYPE_TEXT, "bell\a", NULL },
    { RG_ATTRIBUTE_TYPE_NUMBER, "42", "42" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "-3.50", "-3.5" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "+007", "7" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "1,234,567.0", "1234567" },
    { RG_ATTRIBUTE_TYPE_NUMBER, ".5", "0.5" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "-0", "0" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "１２３", "123" },
    { RG_ATTRIBUTE_TYPE_NUMBER, "1,23", NULL },
    { RG_ATTRIBUTE_TYPE_NUMBER, "1.", NULL },
    { RG_ATTRIBUTE_TYPE_NUMBER, "1e5", NULL },
    { RG_ATTRIBUTE_TYPE_NUMBER, "12 kg", NULL },
    { RG_ATTRIBUTE_TYPE_NUMBER, "-", NULL },
    { RG_ATTRIBUTE_TYPE_DATE, "2024-02-29", "2024-02-29" },
    { RG_ATTRIBUTE_TYPE_DATE, "2024/1/5", "2024-01-05" },
    { RG_ATTRIBUTE_TYPE_DATE, " 1990/07/04 ", "1990-07-04" },
    { RG_ATTRIBUTE_TYPE_DATE, "2023-02-29", NULL },
    { RG_ATTRIBUTE_TYPE_DATE, "2024-13-01", NULL },
    { RG_ATTRIBUTE_TYPE_DATE, "2024-1/5", NULL },
    { RG_ATTRIBUTE_TYPE_DATE, "24/1/5", NULL },
    { RG_ATTRIBUTE_TYPE_DATE, "2024-01-05T10:00", NULL },
    { RG_ATTRIBUTE_TYPE_YES_NO, "yes", "yes" },
    { RG_ATTRIBUTE_TYPE_YES_NO, " TRUE ", "yes" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "1", "yes" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "Y", "yes" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "是", "yes" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "no", "no" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "False", "no" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "0", "no" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "n", "no" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "否", "no" },
    { RG_ATTRIBUTE_TYPE_YES_NO, "maybe", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      g_autofree char *trimmed = g_strstrip (g_strdup (cases[i].input));
      gboolean ok;

      g_test_message ("case %u: %s “%s”", i, rg_attribute_type_to_string (cases[i].type),
                      cases[i].input);
      ok = rg_attribute_type_normalize (cases[i].type, cases[i].input, &normalized, &error);
      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (normalized);
          g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
          if (trimmed[0] != '\0')
            g_assert_nonnull (strstr (error->message, cases[i].input));
        }
    }

  g_assert_true (rg_attribute_key_is_valid ("favourite_tea2"));
  g_assert_false (rg_attribute_key_is_valid ("2tea"));
  g_assert_false (rg_attribute_key_is_valid ("Tea"));
  g_assert_false (rg_attribute_key_is_valid ("tea-type"));
  g_assert_false (rg_attribute_key_is_valid (""));
}

static void
test_attribute_definitions (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgAttributeDefinition) bad = NULL;
  g_autoptr(RgAttributeDefinition) renamed = NULL;
  g_autoptr(RgAttributeDefinition) as_date = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(RgMember) tea_lover = NULL;
  g_autoptr(RgMember) other = NULL;
  g_autoptr(RgMember) reread = NULL;
  g_autoptr(RgAttributeDefinition) first = NULL;
  g_autoptr(RgAttributeDefinition) last = NULL;

  add_attribute (fixture, "vip", "VIP", RG_ATTRIBUTE_TYPE_YES_NO);
  add_attribute (fixture, "favourite_tea", "Favourite tea", RG_ATTRIBUTE_TYPE_TEXT);
  add_attribute (fixture, "birthday", "Birthday", RG_ATTRIBUTE_TYPE_DATE);

  bad = rg_attribute_definition_new ("Favourite-Tea", "Tea", RG_ATTRIBUTE_TYPE_TEXT);
  g_assert_false (rg_member_store_add_attribute (fixture->members, bad, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "key");
  g_assert_nonnull (strstr (error->message, "Favourite-Tea"));
  g_clear_error (&error);

  rg_attribute_definition_set_key (bad, "vip");
  g_assert_false (rg_member_store_add_attribute (fixture->members, bad, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "vip"));
  g_clear_error (&error);

  rg_attribute_definition_set_key (bad, "nickname");
  rg_attribute_definition_set_label (bad, "   ");
  g_assert_false (rg_member_store_add_attribute (fixture->members, bad, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "label");
  g_clear_error (&error);

  list = rg_member_store_list_attributes (fixture->members, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  first = g_list_model_get_item (list, 0);
  last = g_list_model_get_item (list, 2);
  g_assert_cmpstr (rg_attribute_definition_get_key (first), ==, "vip");
  g_assert_cmpstr (rg_attribute_definition_get_key (last), ==, "birthday");
  g_assert_cmpint (rg_attribute_definition_get_value_type (last), ==, RG_ATTRIBUTE_TYPE_DATE);

  /* Values are stored normalized. */
  tea_lover = make_member ("T1", "林怡君", NULL);
  rg_member_set_attribute (tea_lover, "vip", "是");
  rg_member_set_attribute (tea_lover, "favourite_tea", " 2024/1/5 ");
  rg_member_set_attribute (tea_lover, "birthday", "1990/7/4");
  rg_member_store_insert (fixture->members, tea_lover, NULL, &error);
  g_assert_no_error (error);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (tea_lover), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_attribute (reread, "vip"), ==, "yes");
  g_assert_cmpstr (rg_member_get_attribute (reread, "favourite_tea"), ==, "2024/1/5");
  g_assert_cmpstr (rg_member_get_attribute (reread, "birthday"), ==, "1990-07-04");
  g_clear_object (&reread);

  /* A rename carries the values along. */
  renamed = rg_attribute_definition_new ("tea", "Tea", RG_ATTRIBUTE_TYPE_TEXT);
  rg_attribute_definition_set_position (renamed, 2);
  rg_member_store_update_attribute (fixture->members, "favourite_tea", renamed, &error);
  g_assert_no_error (error);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (tea_lover), &error);
  g_assert_cmpstr (rg_member_get_attribute (reread, "tea"), ==, "2024/1/5");
  g_assert_null (rg_member_get_attribute (reread, "favourite_tea"));
  g_clear_object (&reread);

  /* A type change converts what fits ... */
  as_date = rg_attribute_definition_new ("tea", "Tea day", RG_ATTRIBUTE_TYPE_DATE);
  rg_member_store_update_attribute (fixture->members, "tea", as_date, &error);
  g_assert_no_error (error);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (tea_lover), &error);
  g_assert_cmpstr (rg_member_get_attribute (reread, "tea"), ==, "2024-01-05");
  g_clear_object (&reread);

  /* ... and refuses, naming the member, when a value does not fit. */
  other = make_member ("T2", "王小美", NULL);
  rg_member_set_attribute (other, "vip", "no");
  rg_member_store_insert (fixture->members, other, NULL, &error);
  g_assert_no_error (error);
  rg_attribute_definition_set_key (as_date, "vip");
  g_assert_false (rg_member_store_update_attribute (fixture->members, "vip", as_date, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_ATTRIBUTE_CONFLICT);
  g_assert_nonnull (strstr (error->message, "VIP"));
  g_assert_true (strstr (error->message, "“yes”") != NULL || strstr (error->message, "“no”") != NULL);
  g_clear_error (&error);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (other), &error);
  g_assert_cmpstr (rg_member_get_attribute (reread, "vip"), ==, "no");
  g_clear_object (&reread);

  /* Removing the definition removes the values. */
  rg_member_store_remove_attribute (fixture->members, "tea", &error);
  g_assert_no_error (error);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (tea_lover), &error);
  g_assert_null (rg_member_get_attribute (reread, "tea"));
  g_assert_cmpstr (rg_member_get_attribute (reread, "vip"), ==, "yes");
  g_assert_false (rg_member_store_remove_attribute (fixture->members, "tea", &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
}

static void
test_insert_update_find (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(RgMember) found = NULL;
  const char *tags[] = { " VIP ", "tea", "VIP", "", NULL };
  const char * const *stored_tags;
  guint64 count = 0;
  Events events;

  watch (fixture, &events);

  member = make_member ("M001", "陳怡君", "0912-345-678");
  rg_member_set_email (member, "yijun.chen@example.com");
  rg_member_set_tags (member, tags);
  rg_member_set_note (member, "Prefers \"high mountain\" oolong");
  rg_member_set_line_user_id (member, LINE_A);
  rg_member_set_line_friend (member, TRUE);
  rg_member_set_whatsapp_id (member, "+886912345678");
  rg_member_set_wechat_openid (member, "oAbC_123-xyz456");
  rg_member_set_created_at (member, 1700000000);
  rg_member_store_insert (fixture->members, member, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.added, ==, 1);
  g_assert_cmpint (events.last_id, ==, rg_member_get_id (member));
  g_assert_cmpint (rg_member_get_created_at (member), ==, 1700000000);
  g_assert_cmpint (rg_member_get_updated_at (member), >=, 1700000000);
  g_assert_cmpstr (rg_member_get_phone_display (member), ==, "0912 345 678");

  found = rg_member_store_get (fixture->members, rg_member_get_id (member), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_member_number (found), ==, "M001");
  g_assert_cmpstr (rg_member_get_name (found), ==, "陳怡君");
  g_assert_cmpstr (rg_member_get_phone (found), ==, "+886912345678");
  g_assert_cmpstr (rg_member_get_phone_display (found), ==, "0912 345 678");  g_assert_cmpstr (rg_member_get_email (found), ==, "yijun.chen@example.com");
  g_assert_cmpstr (rg_member_get_note (found), ==, "Prefers \"high mountain\" oolong");
  stored_tags = rg_member_get_tags (found);
  g_assert_nonnull (stored_tags);
  g_assert_cmpstr (stored_tags[0], ==, "VIP");
  g_assert_cmpstr (stored_tags[1], ==, "tea");
  g_assert_null (stored_tags[2]);
  g_assert_true (rg_member_get_line_friend (found));
  g_assert_cmpstr (rg_member_get_whatsapp_id (found), ==, "886912345678");
  g_assert_cmpint (rg_member_get_created_at (found), ==, 1700000000);
  g_clear_object (&found);

  found = rg_member_store_find_by_member_number (fixture->members, " M001 ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_member_get_id (found), ==, rg_member_get_id (member));
  g_clear_object (&found);
  found = rg_member_store_find_by_phone (fixture->members, "+886 912 345 678", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_member_get_id (found), ==, rg_member_get_id (member));
  g_clear_object (&found);
  found = rg_member_store_find_by_line_user_id (fixture->members, LINE_A, &error);
  g_assert_cmpint (rg_member_get_id (found), ==, rg_member_get_id (member));
  g_clear_object (&found);
  found = rg_member_store_find_by_whatsapp_id (fixture->members, "+886912345678", &error);
  g_assert_cmpint (rg_member_get_id (found), ==, rg_member_get_id (member));
  g_clear_object (&found);
  found = rg_member_store_find_by_wechat_openid (fixture->members, "oAbC_123-xyz456", &error);
  g_assert_cmpint (rg_member_get_id (found), ==, rg_member_get_id (member));
  g_clear_object (&found);
  g_assert_null (rg_member_store_find_by_member_number (fixture->members, "M999", &error));
  g_assert_no_error (error);
  g_assert_null (rg_member_store_find_by_phone (fixture->members, "12345", &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rg_member_store_get (fixture->members, 4242, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An update reports what changed, and never touches the totals. */
  rg_member_set_name (member, "陳怡君 Yi-Jun");
  rg_member_set_points_balance (member, 999);
  rg_member_store_update (fixture->members, member, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 1);
  g_assert_cmpint (events.last_changes, ==, RG_MEMBER_CHANGE_NAME);
  g_assert_cmpint (rg_member_get_points_balance (member), ==, 0);

  rg_member_set_phone (member, "0912 000 111");
  rg_member_set_attribute (member, "nope", "x");
  g_assert_false (rg_member_store_update (fixture->members, member, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_UNKNOWN_ATTRIBUTE);
  g_clear_error (&error);
  rg_member_set_attribute (member, "nope", NULL);
  rg_member_store_update (fixture->members, member, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 2);
  g_assert_cmpint (events.last_changes, ==, RG_MEMBER_CHANGE_PHONE);

  /* Saving an unchanged member writes nothing and says nothing. */
  rg_member_store_update (fixture->members, member, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 2);

  rg_member_store_count (fixture->members, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  /* One member store per connection, so the webhook and the page hear each other. */
  {
    g_autoptr(RgMemberStore) again = rg_member_store_new (fixture->store);
    g_assert_true (again == fixture->members);
  }

  unwatch (fixture, &events);
}

static void
test_duplicates_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) first = insert_member (fixture, "M001", "陳怡君", NULL);
  g_autoptr(RgMember) second = make_member ("M001", "林志明", "0912345678");
  g_autoptr(RgMember) third = NULL;
  guint64 count = 0;

  g_assert_false (rg_member_store_insert (fixture->members, second, NULL, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_DUPLICATE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "member_number");
  g_assert_nonnull (strstr (error->message, "M001"));
  g_assert_nonnull (strstr (error->message, "陳怡君"));
  g_assert_cmpint (rg_member_get_id (second), ==, 0);
  g_clear_error (&error);
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 1);

  /* Channel ids are unique too, and an update is checked like an insert. */
  rg_member_set_line_user_id (first, LINE_A);
  rg_member_store_update (fixture->members, first, &error);
  g_assert_no_error (error);
  third = insert_member (fixture, "M003", "王小美", NULL);
  rg_member_set_line_user_id (third, LINE_A);
  g_assert_false (rg_member_store_update (fixture->members, third, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_DUPLICATE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "line_user_id");
  g_assert_nonnull (strstr (error->message, LINE_A));
  g_clear_error (&error);

  /* Members without a number do not collide. */
  g_clear_object (&second);
  second = insert_member (fixture, NULL, "No Number One", NULL);
  g_clear_object (&second);
  second = insert_member (fixture, "  ", "No Number Two", NULL);
  g_assert_null (rg_member_get_member_number (second));
}

static void
test_ledger_refuses_negative (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = make_member ("M001", "陳怡君", NULL);
  g_autoptr(RgMember) reread = NULL;
  RgBalanceChange spend = { .points_balance = -150, .reason = "Redeemed a teapot" };
  RgBalanceChange mixed = { .points_balance = 10, .stored_value = -50001,
                            .reason = "Top-up mistake", .source = RG_LEDGER_SOURCE_API };
  Events events;
  int ledger_rows;

  rg_member_set_points_balance (member, 100);
  rg_member_set_accumulated_points (member, 100);
  rg_member_set_stored_value (member, 50000);
  rg_member_store_insert (fixture->members, member, RG_LEDGER_SOURCE_IMPORT, &error);
  g_assert_no_error (error);
  ledger_rows = query_int (fixture, "SELECT count(*) FROM ledger");
  g_assert_cmpint (ledger_rows, ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger WHERE source = 'import'"), ==, 3);

  watch (fixture, &events);

  g_assert_false (rg_member_store_adjust (fixture->members, rg_member_get_id (member), &spend, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NEGATIVE_BALANCE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "points_balance");
  g_assert_nonnull (strstr (error->message, "100"));
  g_assert_nonnull (strstr (error->message, "-50"));
  g_clear_error (&error);

  /* One bad account refuses the whole change. */
  g_assert_false (rg_member_store_adjust (fixture->members, rg_member_get_id (member), &mixed, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NEGATIVE_BALANCE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "stored_value");
  g_clear_error (&error);

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, ledger_rows);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (member), &error);
  g_assert_cmpint (rg_member_get_points_balance (reread), ==, 100);
  g_assert_cmpint (rg_member_get_stored_value (reread), ==, 50000);
  g_assert_cmpuint (events.balance_changed, ==, 0);
  g_assert_cmpuint (events.changed, ==, 0);

  /* A reason is required; an empty change and a deleted member are refused. */
  spend.points_balance = -100;
  spend.reason = "  ";
  g_assert_false (rg_member_store_adjust (fixture->members, rg_member_get_id (member), &spend, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "reason");
  g_clear_error (&error);
  spend.points_balance = 0;
  spend.reason = "Nothing";
  g_assert_false (rg_member_store_adjust (fixture->members, rg_member_get_id (member), &spend, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_clear_error (&error);
  spend.points_balance = G_MAXINT64;
  g_assert_false (rg_member_store_adjust (fixture->members, rg_member_get_id (member), &spend, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_clear_error (&error);
  spend.points_balance = -1;
  g_assert_false (rg_member_store_adjust (fixture->members, 4242, &spend, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Exactly to zero is fine. */
  spend.points_balance = -100;
  spend.reason = "Redeemed everything";
  rg_member_store_adjust (fixture->members, rg_member_get_id (member), &spend, &error);
  g_assert_no_error (error);
  g_clear_object (&reread);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (member), &error);
  g_assert_cmpint (rg_member_get_points_balance (reread), ==, 0);
  g_assert_cmpint (rg_member_get_accumulated_points (reread), ==, 100);

  unwatch (fixture, &events);
}

static void
test_ledger_merged_event (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = insert_member (fixture, "M001", "陳怡君", NULL);
  g_autoptr(GListModel) ledger = NULL;
  g_autoptr(RgLedgerEntry) newest = NULL;
  g_autoptr(RgLedgerEntry) oldest = NULL;
  g_autoptr(RgMember) reread = NULL;
  const RgBalanceChange purchase = {
    .accumulated_points = 120,
    .points_balance = 120,
    .stored_value = -35000,
    .reason = "Bought 2 jin of Dong Ding",
  };
  const RgBalanceChange top_up = { .stored_value = 100000, .reason = "Top-up" };
  Events events;

  watch (fixture, &events);

  rg_member_store_adjust (fixture->members, rg_member_get_id (member), &top_up, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.balance_changed, ==, 1);

  rg_member_store_adjust (fixture->members, rg_member_get_id (member), &purchase, &error);
  g_assert_no_error (error);

  /* One event for points and stored value together, with the whole change. */
  g_assert_cmpuint (events.balance_changed, ==, 2);
  g_assert_cmpint (events.last_id, ==, rg_member_get_id (member));
  g_assert_cmpint (events.last_balance->accumulated_points, ==, 120);
  g_assert_cmpint (events.last_balance->points_balance, ==, 120);
  g_assert_cmpint (events.last_balance->stored_value, ==, -35000);
  g_assert_cmpstr (events.last_balance->reason, ==, "Bought 2 jin of Dong Ding");
  g_assert_cmpstr (events.last_balance->source, ==, "manual");
  g_assert_cmpint (events.last_changes, ==, RG_MEMBER_CHANGE_BALANCES);

  reread = rg_member_store_get (fixture->members, rg_member_get_id (member), &error);
  g_assert_cmpint (rg_member_get_accumulated_points (reread), ==, 120);
  g_assert_cmpint (rg_member_get_points_balance (reread), ==, 120);
  g_assert_cmpint (rg_member_get_stored_value (reread), ==, 65000);

  /* One row per changed account, one operation, newest first. */
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (member), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, 4);
  newest = g_list_model_get_item (ledger, 0);
  oldest = g_list_model_get_item (ledger, 3);
  g_assert_cmpint (rg_ledger_entry_get_account (oldest), ==, RG_LEDGER_ACCOUNT_STORED_VALUE);
  g_assert_cmpint (rg_ledger_entry_get_delta (oldest), ==, 100000);
  g_assert_cmpint (rg_ledger_entry_get_balance_after (oldest), ==, 100000);
  g_assert_cmpstr (rg_ledger_entry_get_reason (oldest), ==, "Top-up");
  g_assert_cmpint (rg_ledger_entry_get_account (newest), ==, RG_LEDGER_ACCOUNT_STORED_VALUE);
  g_assert_cmpint (rg_ledger_entry_get_delta (newest), ==, -35000);
  g_assert_cmpint (rg_ledger_entry_get_balance_after (newest), ==, 65000);
  g_assert_cmpstr (rg_ledger_entry_get_source (newest), ==, "manual");
  g_assert_cmpint (rg_ledger_entry_get_created_at (newest), >, 0);
  for (guint i = 1; i < 3; i++)
    {
      g_autoptr(RgLedgerEntry) entry = g_list_model_get_item (ledger, i);
      g_assert_cmpint (rg_ledger_entry_get_operation_id (entry), ==,
                       rg_ledger_entry_get_operation_id (newest));
      g_assert_cmpint (rg_ledger_entry_get_balance_after (entry), ==, 120);
    }
  g_assert_cmpint (rg_ledger_entry_get_operation_id (oldest), !=,
                   rg_ledger_entry_get_operation_id (newest));

  g_assert_null (rg_member_store_list_ledger (fixture->members, 4242, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);

  unwatch (fixture, &events);
}

static void
test_soft_delete_and_restore (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) original = insert_member (fixture, "M001", "陳怡君", NULL);
  g_autoptr(RgMember) keep = insert_member (fixture, "M002", "林志明", NULL);
  g_autoptr(RgMember) newcomer = NULL;
  g_autoptr(RgMember) back = NULL;
  guint64 count = 0;
  Events events;

  watch (fixture, &events);

  rg_member_store_delete (fixture->members, rg_member_get_id (original), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.removed, ==, 1);
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_null (rg_member_store_get (fixture->members, rg_member_get_id (original), &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rg_member_store_find_by_member_number (fixture->members, "M001", &error));
  g_assert_no_error (error);
  g_assert_false (rg_member_store_delete (fixture->members, rg_member_get_id (original), &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Undo brings everything back. */
  rg_member_store_restore (fixture->members, rg_member_get_id (original), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.added, ==, 1);
  back = rg_member_store_get (fixture->members, rg_member_get_id (original), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_name (back), ==, "陳怡君");
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_false (rg_member_store_restore (fixture->members, rg_member_get_id (original), &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A deleted member's number is free; restoring then names the conflict. */
  rg_member_store_delete (fixture->members, rg_member_get_id (original), &error);
  g_assert_no_error (error);
  newcomer = insert_member (fixture, "M001", "陳大文", NULL);
  g_assert_false (rg_member_store_restore (fixture->members, rg_member_get_id (original), &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_DUPLICATE);
  g_assert_cmpstr (rg_member_error_get_field (error), ==, "member_number");
  g_assert_nonnull (strstr (error->message, "M001"));
  g_assert_nonnull (strstr (error->message, "陳大文"));
  g_clear_error (&error);
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 2);

  unwatch (fixture, &events);
}

static void
test_line_friend (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = make_member ("M001", "陳怡君", NULL);
  g_autoptr(RgMember) reread = NULL;
  Events events;

  rg_member_set_line_user_id (member, LINE_A);
  rg_member_store_insert (fixture->members, member, NULL, &error);
  g_assert_no_error (error);

  watch (fixture, &events);
  rg_member_store_set_line_friend (fixture->members, LINE_A, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 1);
  g_assert_cmpint (events.last_changes, ==, RG_MEMBER_CHANGE_CHANNELS);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (member), &error);
  g_assert_true (rg_member_get_line_friend (reread));

  /* A repeated follow changes nothing. */
  rg_member_store_set_line_friend (fixture->members, LINE_A, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 1);

  rg_member_store_set_line_friend (fixture->members, LINE_A, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events.changed, ==, 2);

  g_assert_false (rg_member_store_set_line_friend (fixture->members, LINE_B, TRUE, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, LINE_B));

  unwatch (fixture, &events);
}

static void
test_default_region (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) member = make_member ("HK1", "陳大文", "9123 4567");
  g_autofree char *region = rg_store_dup_default_region (fixture->store);

  g_assert_cmpstr (region, ==, "TW");
  g_assert_false (rg_member_store_validate (fixture->members, member, &error));
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_INVALID);
  g_clear_error (&error);

  rg_store_set_default_region (fixture->store, "hk", &error);
  g_assert_no_error (error);
  g_free (region);
  region = rg_store_dup_default_region (fixture->store);
  g_assert_cmpstr (region, ==, "HK");
  rg_member_store_validate (fixture->members, member, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_phone (member), ==, "+85291234567");

  g_assert_false (rg_store_set_default_region (fixture->store, "XX", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "XX"));
}

typedef struct
{
  RgMemberStore *members;
  guint          n;
  gboolean       fail;
} BulkData;

static gboolean
bulk_insert (RgStore   *store,
             gpointer   user_data,
             GError   **error)
{
  BulkData *data = user_data;

  for (guint i = 0; i < data->n; i++)
    {
      g_autoptr(RgMember) member = rg_member_new ();
      g_autofree char *number = g_strdup_printf ("B%06u", i);
      g_autofree char *phone = g_strdup_printf ("09%08u", 12000000 + i);

      rg_member_set_member_number (member, number);
      rg_member_set_name (member, "林小華");
      rg_member_set_phone (member, phone);
      rg_member_set_points_balance (member, i % 3 == 0 ? 10 : 0);
      if (!rg_member_store_insert (data->members, member, RG_LEDGER_SOURCE_IMPORT, error))
        return FALSE;
    }

  if (data->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  return TRUE;
}

static void
test_bulk_in_outer_transaction (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BulkData bulk = { fixture->members, 2000, TRUE };
  guint64 count = 0;
  gint64 start;

  /* All or nothing: an importer's outer transaction undoes every row. */
  g_assert_false (rg_store_transaction (fixture->store, bulk_insert, &bulk, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, 0);

  bulk.fail = FALSE;
  start = g_get_monotonic_time ();
  rg_store_transaction (fixture->store, bulk_insert, &bulk, &error);
  g_assert_no_error (error);
  g_test_message ("%u members inserted in %.1f ms", bulk.n,
                  (g_get_monotonic_time () - start) / 1000.0);
  rg_member_store_count (fixture->members, &count, &error);
  g_assert_cmpuint (count, ==, 2000);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM ledger"), ==, 667);
  /* The search index has every row (members_fts is external content: count its matches). */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM members_fts WHERE members_fts MATCH '\"林小\"'"),
                   ==, 2000);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM members_fts WHERE members_fts MATCH '\"b001234\"'"),
                   ==, 1);
}

static void
test_phone_display (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMember) local = rg_member_new ();
  g_autoptr(RgMember) visitor = rg_member_new ();
  g_autoptr(RgMember) reread = NULL;

  rg_member_set_name (local, "陳怡君");
  rg_member_set_phone (local, "0912-345-678");
  rg_member_set_name (visitor, "Mei Wong");
  rg_member_set_phone (visitor, "+852 6123 4567");
  rg_member_store_insert (fixture->members, local, NULL, &error);
  g_assert_no_error (error);
  rg_member_store_insert (fixture->members, visitor, NULL, &error);
  g_assert_no_error (error);

  /* The shop's own numbers the local way, others with their country code. */
  reread = rg_member_store_get (fixture->members, rg_member_get_id (local), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_phone_display (reread), ==, "0912 345 678");
  g_clear_object (&reread);

  reread = rg_member_store_get (fixture->members, rg_member_get_id (visitor), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_phone_display (reread), ==, "+852 6123 4567");
  g_clear_object (&reread);

  /* A shop in Hong Kong reads it the other way round. */
  g_assert_true (rg_store_set_default_region (fixture->store, "HK", &error));
  reread = rg_member_store_get (fixture->members, rg_member_get_id (visitor), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_phone_display (reread), ==, "6123 4567");
  g_clear_object (&reread);
  reread = rg_member_store_get (fixture->members, rg_member_get_id (local), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_member_get_phone_display (reread), ==, "+886 912 345 678");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/members/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("validate-table", test_validate_table);
  ADD ("phone-display", test_phone_display);
  ADD ("validate-unknown-attribute", test_validate_unknown_attribute);
  g_test_add_func ("/regulars/members/store/attribute-normalize", test_attribute_normalize);
  ADD ("attribute-definitions", test_attribute_definitions);
  ADD ("insert-update-find", test_insert_update_find);
  ADD ("duplicates-refused", test_duplicates_refused);
  ADD ("ledger-refuses-negative", test_ledger_refuses_negative);
  ADD ("ledger-merged-event", test_ledger_merged_event);
  ADD ("soft-delete-and-restore", test_soft_delete_and_restore);
  ADD ("line-friend", test_line_friend);
  ADD ("default-region", test_default_region);
  ADD ("bulk-in-outer-transaction", test_bulk_in_outer_transaction);

#undef ADD

  return g_test_run ();
}
