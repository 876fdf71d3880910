/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-csv-mapping"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-csv-mapping.h"

/* How sure a header match is, up to 100 for an exact name: the better match takes a field when
 * two columns want it, so Shopify's "Phone" beats its "Default Address Phone". */
#define SCORE_ATTRIBUTE 100
#define SCORE_FUZZY     40

typedef struct
{
  const char *header;
  const char *field;
  int         score;
} Synonym;

typedef struct
{
  /* The normalized header contains one of any_of, and one of also_any_of when given. */
  const char *any_of[12];
  const char *also_any_of[8];
  const char *field;
} FuzzyRule;

typedef struct
{
  char *key;
  char *label;
} Attribute;

struct _RgCsvMapping
{
  GObject    parent_instance;

  GPtrArray *headers;
  GPtrArray *fields;
  GPtrArray *attributes;
};

G_DEFINE_FINAL_TYPE (RgCsvMapping, rg_csv_mapping, G_TYPE_OBJECT)

/* The built-in fields, in the order a mapping UI lists them, and their labels. */
static const char * const field_ids[] = {
  "member_number",
  "name",
  "first_name",
  "last_name",
  "phone",
  "email",
  "accumulated_points",
  "points_balance",
  "stored_value",
  "tags",
  "note",
  "line_user_id",
  "whatsapp_id",
  "wechat_openid",
  "created_at",
  RG_CSV_FIELD_IGNORE,
  NULL
};

static const char * const field_labels[] = {
  N_("Member number"),
  N_("Name"),
  N_("First name"),
  N_("Last name"),
  N_("Phone"),
  N_("Email"),
  N_("Accumulated points"),
  N_("Points balance"),
  N_("Stored value"),
  N_("Tags"),
  N_("Note"),
  N_("LINE user ID"),
  N_("WhatsApp ID"),
  N_("WeChat OpenID"),
  N_("Created"),
  N_("Do not import"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_ids) == G_N_ELEMENTS (field_labels) + 1);

/* Headers as people and shop systems write them; compared after normalize_header(), so case,
 * spaces, underscores and punctuation do not matter. Shopify's customer export: Customer ID,
 * First Name, Last Name, Email, Accepts Email Marketing, Default Address Company/Address1/
 * Address2/City/Province Code/Country Code/Zip/Phone, Phone, Accepts SMS Marketing, Total Spent,
 * Total Orders, Note, Tax Exempt, Tags. WooCommerce: customer_id, first_name, last_name,
 * user_login, email, date_registered, billing_* and shipping_*, total_spent, order_count; its
 * Analytics export: Name, Username, Last active, Date registered, Email, Orders, Total spend,
 * AOV, Country / Region, City, Region, Postal code. */
static const Synonym synonyms[] = {
  { "member number", "member_number", 100 },
  { "member no", "member_number", 100 },
  { "member id", "member_number", 100 },
  { "member code", "member_number", 100 },
  { "membership number", "member_number", 100 },
  { "membership no", "member_number", 100 },
  { "membership id", "member_number", 100 },
  { "card number", "member_number", 100 },
  { "card no", "member_number", 100 },
  { "member card number", "member_number", 100 },
  { "loyalty number", "member_number", 100 },
  { "loyalty id", "member_number", 100 },
  { "會員編號", "member_number", 100 },
  { "会员编号", "member_number", 100 },
  { "會員號碼", "member_number", 100 },
  { "会员号码", "member_number", 100 },
  { "會員號", "member_number", 100 },
  { "会员号", "member_number", 100 },
  { "會員卡號", "member_number", 100 },
  { "会员卡号", "member_number", 100 },
  { "會員卡號碼", "member_number", 100 },
  { "会员卡号码", "member_number", 100 },
  { "會員代號", "member_number", 100 },
  { "会员代号", "member_number", 100 },
  { "會員ID", "member_number", 100 },
  { "会员ID", "member_number", 100 },
  { "卡號", "member_number", 100 },
  { "卡号", "member_number", 100 },
  { "customer number", "member_number", 90 },
  { "customer no", "member_number", 90 },
  { "客戶編號", "member_number", 90 },
  { "客户编号", "member_number", 90 },
  { "顧客編號", "member_number", 90 },
  { "顾客编号", "member_number", 90 },
  { "編號", "member_number", 60 },
  { "编号", "member_number", 60 },
  { "customer id", "member_number", 50 },
  { "id", "member_number", 30 },

  { "name", "name", 100 },
  { "full name", "name", 100 },
  { "customer name", "name", 100 },
  { "member name", "name", 100 },
  { "contact name", "name", 100 },
  { "姓名", "name", 100 },
  { "名字", "name", 100 },
  { "會員姓名", "name", 100 },
  { "会员姓名", "name", 100 },
  { "客戶姓名", "name", 100 },
  { "客户姓名", "name", 100 },
  { "顧客姓名", "name", 100 },
  { "顾客姓名", "name", 100 },
  { "客戶名稱", "name", 80 },
  { "客户名称", "name", 80 },
  { "display name", "name", 70 },
  { "名稱", "name", 70 },
  { "名称", "name", 70 },
  { "稱呼", "name", 60 },
  { "称呼", "name", 60 },
  { "聯絡人", "name", 60 },
  { "联系人", "name", 60 },

  { "first name", "first_name", 100 },
  { "given name", "first_name", 100 },
  { "forename", "first_name", 100 },
  { "fname", "first_name", 80 },
  { "名", "first_name", 100 },
  { "billing first name", "first_name", 60 },
  { "shipping first name", "first_name", 30 },

  { "last name", "last_name", 100 },
  { "surname", "last_name", 100 },
  { "family name", "last_name", 100 },
  { "lname", "last_name", 80 },
  { "姓", "last_name", 100 },
  { "姓氏", "last_name", 100 },
  { "billing last name", "last_name", 60 },
  { "shipping last name", "last_name", 30 },

  { "phone", "phone", 100 },
  { "phone number", "phone", 100 },
  { "mobile", "phone", 100 },
  { "mobile phone", "phone", 100 },
  { "mobile number", "phone", 100 },
  { "cell", "phone", 100 },
  { "cell phone", "phone", 100 },
  { "tel", "phone", 100 },
  { "telephone", "phone", 100 },
  { "telephone number", "phone", 100 },
  { "contact number", "phone", 100 },
  { "手機", "phone", 100 },
  { "手机", "phone", 100 },
  { "手機號碼", "phone", 100 },
  { "手机号码", "phone", 100 },
  { "手機號", "phone", 100 },
  { "手机号", "phone", 100 },
  { "電話", "phone", 100 },
  { "电话", "phone", 100 },
  { "電話號碼", "phone", 100 },
  { "电话号码", "phone", 100 },
  { "行動電話", "phone", 100 },
  { "行动电话", "phone", 100 },
  { "行動電話號碼", "phone", 100 },
  { "移動電話", "phone", 100 },
  { "移动电话", "phone", 100 },
  { "聯絡電話", "phone", 100 },
  { "联系电话", "phone", 100 },
  { "聯絡手機", "phone", 100 },
  { "联系手机", "phone", 100 },
  { "billing phone", "phone", 90 },
  { "default address phone", "phone", 60 },
  { "shipping phone", "phone", 50 },
  { "聯絡方式", "phone", 50 },
  { "联系方式", "phone", 50 },

  { "email", "email", 100 },
  { "email address", "email", 100 },
  { "mail", "email", 100 },
  { "user email", "email", 100 },
  { "電子郵件", "email", 100 },
  { "电子邮件", "email", 100 },
  { "電子郵件地址", "email", 100 },
  { "电子邮件地址", "email", 100 },
  { "電郵", "email", 100 },
  { "电邮", "email", 100 },
  { "信箱", "email", 100 },
  { "郵箱", "email", 100 },
  { "邮箱", "email", 100 },
  { "電子信箱", "email", 100 },
  { "电子信箱", "email", 100 },
  { "電子郵箱", "email", 100 },
  { "电子邮箱", "email", 100 },
  { "billing email", "email", 60 },

  { "accumulated points", "accumulated_points", 100 },
  { "total points", "accumulated_points", 100 },
  { "lifetime points", "accumulated_points", 100 },
  { "earned points", "accumulated_points", 100 },
  { "points earned", "accumulated_points", 100 },
  { "累積點數", "accumulated_points", 100 },
  { "累计点数", "accumulated_points", 100 },
  { "累積積分", "accumulated_points", 100 },
  { "累计积分", "accumulated_points", 100 },
  { "累積點", "accumulated_points", 100 },
  { "累積紅利", "accumulated_points", 80 },
  { "累计红利", "accumulated_points", 80 },
  { "總點數", "accumulated_points", 80 },
  { "总点数", "accumulated_points", 80 },
  { "總積分", "accumulated_points", 80 },
  { "总积分", "accumulated_points", 80 },

  { "points balance", "points_balance", 100 },
  { "point balance", "points_balance", 100 },
  { "balance points", "points_balance", 100 },
  { "current points", "points_balance", 100 },
  { "available points", "points_balance", 100 },
  { "remaining points", "points_balance", 100 },
  { "點數餘額", "points_balance", 100 },
  { "点数余额", "points_balance", 100 },
  { "積分餘額", "points_balance", 100 },
  { "积分余额", "points_balance", 100 },
  { "剩餘點數", "points_balance", 100 },
  { "剩余点数", "points_balance", 100 },
  { "可用點數", "points_balance", 100 },
  { "可用点数", "points_balance", 100 },
  { "可用積分", "points_balance", 100 },
  { "可用积分", "points_balance", 100 },
  { "points", "points_balance", 90 },
  { "點數", "points_balance", 90 },
  { "点数", "points_balance", 90 },
  { "積分", "points_balance", 90 },
  { "积分", "points_balance", 90 },
  { "紅利點數", "points_balance", 90 },
  { "红利点数", "points_balance", 90 },
  { "紅利", "points_balance", 70 },
  { "红利", "points_balance", 70 },

  { "stored value", "stored_value", 100 },
  { "stored value balance", "stored_value", 100 },
  { "wallet balance", "stored_value", 100 },
  { "store credit", "stored_value", 100 },
  { "儲值金", "stored_value", 100 },
  { "储值金", "stored_value", 100 },
  { "儲值", "stored_value", 100 },
  { "储值", "stored_value", 100 },
  { "儲值餘額", "stored_value", 100 },
  { "储值余额", "stored_value", 100 },
  { "儲值金餘額", "stored_value", 100 },
  { "储值金余额", "stored_value", 100 },
  { "錢包餘額", "stored_value", 100 },
  { "钱包余额", "stored_value", 100 },
  { "餘額", "stored_value", 90 },
  { "余额", "stored_value", 90 },
  { "balance", "stored_value", 80 },
  { "credit", "stored_value", 60 },

  { "tags", "tags", 100 },
  { "tag", "tags", 100 },
  { "labels", "tags", 100 },
  { "標籤", "tags", 100 },
  { "标签", "tags", 100 },
  { "會員標籤", "tags", 100 },
  { "会员标签", "tags", 100 },
  { "label", "tags", 80 },
  { "分類", "tags", 60 },
  { "分类", "tags", 60 },

  { "note", "note", 100 },
  { "notes", "note", 100 },
  { "remark", "note", 100 },
  { "remarks", "note", 100 },
  { "memo", "note", 100 },
  { "comment", "note", 100 },
  { "comments", "note", 100 },
  { "備註", "note", 100 },
  { "备注", "note", 100 },
  { "附註", "note", 100 },
  { "附注", "note", 100 },
  { "註記", "note", 100 },
  { "說明", "note", 60 },
  { "说明", "note", 60 },

  { "line user id", "line_user_id", 100 },
  { "line uid", "line_user_id", 100 },
  { "whatsapp id", "whatsapp_id", 100 },
  { "wa id", "whatsapp_id", 100 },
  { "whatsapp", "whatsapp_id", 100 },
  { "whatsapp number", "whatsapp_id", 80 },
  { "wechat openid", "wechat_openid", 100 },
  { "openid", "wechat_openid", 100 },
  { "wx openid", "wechat_openid", 100 },
  { "微信openid", "wechat_openid", 100 },

  { "created at", "created_at", 100 },
  { "created", "created_at", 100 },
  { "created date", "created_at", 100 },
  { "date created", "created_at", 100 },
  { "creation date", "created_at", 100 },
  { "registered", "created_at", 100 },
  { "registration date", "created_at", 100 },
  { "date registered", "created_at", 100 },
  { "user registered", "created_at", 100 },
  { "signup date", "created_at", 100 },
  { "join date", "created_at", 100 },
  { "joined", "created_at", 100 },
  { "member since", "created_at", 100 },
  { "加入日期", "created_at", 100 },
  { "加入時間", "created_at", 100 },
  { "加入时间", "created_at", 100 },
  { "入會日期", "created_at", 100 },
  { "入会日期", "created_at", 100 },
  { "入會時間", "created_at", 100 },
  { "入会时间", "created_at", 100 },
  { "註冊日期", "created_at", 100 },
  { "注册日期", "created_at", 100 },
  { "註冊時間", "created_at", 100 },
  { "注册时间", "created_at", 100 },
  { "建立日期", "created_at", 100 },
  { "建立時間", "created_at", 100 },
  { "建立时间", "created_at", 100 },
  { "創建時間", "created_at", 100 },
  { "创建时间", "created_at", 100 },
  { "開卡日期", "created_at", 100 },
  { "开卡日期", "created_at", 100 },
};

/* For headers no synonym names exactly, such as "手機號碼(必填)" or "會員電話". Tried in order. */
static const FuzzyRule fuzzy_rules[] = {
  { { "會員編號", "会员编号", "會員卡號", "会员卡号", "membernumber", "memberno", "cardnumber" },
    { NULL }, "member_number" },
  { { "累積", "累计", "accumulated", "lifetime" },
    { "點", "点", "積分", "积分", "point" }, "accumulated_points" },
  { { "點數", "点数", "積分", "积分", "points" }, { NULL }, "points_balance" },
  { { "儲值", "储值", "storedvalue" }, { NULL }, "stored_value" },
  { { "手機", "手机", "電話", "电话", "phone", "mobile" }, { NULL }, "phone" },
  { { "email", "郵件", "邮件", "信箱", "郵箱", "邮箱" }, { NULL }, "email" },
  { { "姓名" }, { NULL }, "name" },
  { { "備註", "备注", "note", "remark" }, { NULL }, "note" },
  { { "標籤", "标签", "tags" }, { NULL }, "tags" },
  { { "註冊", "注册", "入會", "入会", "加入", "建立", "created", "registered", "joined", "signup" },
    { "日期", "時間", "时间", "date", "time" }, "created_at" },
};

/* Words that make a fuzzy match wrong: "Accepts Email Marketing" is no email address. */
static const char * const fuzzy_vetoes[] = {
  "accept", "marketing", "consent", "subscri", "optin", "verified", "redeem", "spent", "訂閱",
  "订阅", "同意", "驗證", "验证", "兌換", "兑换", "消費", "消费",
};

static void
attribute_free (gpointer data)
{
  Attribute *attribute = data;

  g_free (attribute->key);
  g_free (attribute->label);
  g_free (attribute);
}

/* Case, width, spaces, punctuation and notes in brackets ("手機(必填)") do not matter. */
static char *
normalize_header (const char *header)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;

  for (guint pass = 0; pass < 2; pass++)
    {
      GString *key = g_string_new (NULL);
      int depth = 0;

      if (header == NULL || (nfkc = g_utf8_normalize (header, -1, G_NORMALIZE_NFKC)) == NULL)
        return g_string_free (key, FALSE);
      folded = g_utf8_casefold (nfkc, -1);
      g_clear_pointer (&nfkc, g_free);

      for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (pass == 0 && (c == '(' || c == '[' || c == 0x3010 /* 【 */))
            depth++;
          else if (pass == 0 && (c == ')' || c == ']' || c == 0x3011 /* 】 */))
            depth = MAX (depth - 1, 0);
          else if (depth == 0 && g_unichar_isalnum (c))
            g_string_append_unichar (key, c);
        }
      g_clear_pointer (&folded, g_free);

      /* A header that is all brackets keeps what is inside them. */
      if (key->len > 0 || pass == 1)
        return g_string_free (key, FALSE);
      g_string_free (key, TRUE);
    }

  g_assert_not_reached ();
}

static GHashTable *
get_synonym_table (void)
{
  static GHashTable *table = NULL;

  if (g_once_init_enter (&table))
    {
      GHashTable *new_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
        {
          char *key = normalize_header (synonyms[i].header);

          g_assert (!g_hash_table_contains (new_table, key));
          g_hash_table_insert (new_table, key, (gpointer) &synonyms[i]);
        }
      g_once_init_leave (&table, new_table);
    }

  return table;
}

static gboolean
contains_any (const char        *haystack,
              const char * const *needles,
              guint              n_needles)
{
  for (guint i = 0; i < n_needles && needles[i] != NULL; i++)
    {
      if (strstr (haystack, needles[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

static const char *
guess_builtin (const char *key,
               int        *score)
{
  const Synonym *synonym;

  *score = 0;
  if (key[0] == '\0')
    return NULL;

  if ((synonym = g_hash_table_lookup (get_synonym_table (), key)) != NULL)
    {
      *score = synonym->score;
      return synonym->field;
    }

  if (contains_any (key, fuzzy_vetoes, G_N_ELEMENTS (fuzzy_vetoes)))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fuzzy_rules); i++)
    {
      const FuzzyRule *rule = &fuzzy_rules[i];

      if (contains_any (key, rule->any_of, G_N_ELEMENTS (rule->any_of)) &&
          (rule->also_any_of[0] == NULL ||
           contains_any (key, rule->also_any_of, G_N_ELEMENTS (rule->also_any_of))))
        {
          *score = SCORE_FUZZY;
          return rule->field;
        }
    }

  return NULL;
}

static const char *
find_builtin (const char *field)
{
  for (guint i = 0; field_ids[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (field_ids[i], field) == 0)
        return field_ids[i];
    }
  return NULL;
}

static Attribute *
find_attribute (RgCsvMapping *self,
                const char   *key)
{
  for (guint i = 0; i < self->attributes->len; i++)
    {
      Attribute *attribute = g_ptr_array_index (self->attributes, i);

      if (g_strcmp0 (attribute->key, key) == 0)
        return attribute;
    }
  return NULL;
}

/* The canonical spelling of @field ("Phone" → "phone"), or NULL when it is unknown. */
static char *
canonical_field (RgCsvMapping *self,
                 const char   *field)
{
  const char *builtin;

  if ((builtin = find_builtin (field)) != NULL)
    return g_strdup (builtin);
  if (g_str_has_prefix (field, RG_CSV_FIELD_ATTR_PREFIX) &&
      find_attribute (self, field + strlen (RG_CSV_FIELD_ATTR_PREFIX)) != NULL)
    return g_strdup (field);
  return NULL;
}

static char *
list_fields (RgCsvMapping *self)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; field_ids[i] != NULL; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", field_ids[i]);
  for (guint i = 0; i < self->attributes->len; i++)
    {
      Attribute *attribute = g_ptr_array_index (self->attributes, i);

      g_string_append_printf (list, ", " RG_CSV_FIELD_ATTR_PREFIX "%s", attribute->key);
    }
  return g_string_free (list, FALSE);
}

static char *
list_columns (RgCsvMapping *self)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      /* Translators: one column name in a list of them */
      g_autofree char *quoted = g_strdup_printf (_("“%s”"),
                                                 (char *) g_ptr_array_index (self->headers, i));

      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, quoted);
    }
  return g_string_free (list, FALSE);
}

static int
find_column (RgCsvMapping *self,
             const char   *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autofree char *key = normalize_header (name);
  guint64 number;

  for (guint i = 0; i < self->headers->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->headers, i), name) == 0)
        return i;
    }
  for (guint i = 0; i < self->headers->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (self->headers, i), -1);

      if (g_strcmp0 (other, folded) == 0)
        return i;
    }
  for (guint i = 0; key[0] != '\0' && i < self->headers->len; i++)
    {
      g_autofree char *other = normalize_header (g_ptr_array_index (self->headers, i));

      if (g_strcmp0 (other, key) == 0)
        return i;
    }

  /* "#3" is the third column, for files without a header row worth the name. */
  if (name[0] == '#' &&
      g_ascii_string_to_unsigned (name + 1, 10, 1, self->headers->len, &number, NULL))
    return (int) number - 1;

  return -1;
}

static void
rg_csv_mapping_finalize (GObject *object)
{
  RgCsvMapping *self = (RgCsvMapping *)object;

  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->attributes, g_ptr_array_unref);

  G_OBJECT_CLASS (rg_csv_mapping_parent_class)->finalize (object);
}

static void
rg_csv_mapping_class_init (RgCsvMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_csv_mapping_finalize;
}

static void
rg_csv_mapping_init (RgCsvMapping *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->attributes = g_ptr_array_new_with_free_func (attribute_free);
}

/**
 * rg_csv_mapping_new:
 * @headers: (array length=n_headers): the header row of a CSV file
 * @n_headers: the number of @headers, or -1 when @headers is %NULL-terminated
 *
 * Every column starts out ignored; see rg_csv_mapping_guess().
 *
 * Returns: (transfer full): a new mapping
 */
RgCsvMapping *
rg_csv_mapping_new (const char * const *headers,
                    gssize              n_headers)
{
  RgCsvMapping *self;
  gsize n;

  g_return_val_if_fail (headers != NULL || n_headers <= 0, NULL);

  n = n_headers >= 0 ? (gsize) n_headers : g_strv_length ((char **) headers);
  self = g_object_new (RG_TYPE_CSV_MAPPING, NULL);
  for (gsize i = 0; i < n; i++)
    {
      g_ptr_array_add (self->headers, g_strdup (headers[i] != NULL ? headers[i] : ""));
      g_ptr_array_add (self->fields, g_strdup (RG_CSV_FIELD_IGNORE));
    }
  return self;
}

/**
 * rg_csv_mapping_add_attribute:
 * @self: a #RgCsvMapping
 * @key: the key of a custom attribute the merchant defined
 * @label: (nullable): its label
 *
 * Makes "attr:@key" a field, matched by its key or label in rg_csv_mapping_guess().
 */
void
rg_csv_mapping_add_attribute (RgCsvMapping *self,
                              const char   *key,
                              const char   *label)
{
  Attribute *attribute;

  g_return_if_fail (RG_IS_CSV_MAPPING (self));
  g_return_if_fail (key != NULL && key[0] != '\0');

  if (find_attribute (self, key) != NULL)
    return;

  attribute = g_new0 (Attribute, 1);
  attribute->key = g_strdup (key);
  attribute->label = g_strdup (label);
  g_ptr_array_add (self->attributes, attribute);
}

/**
 * rg_csv_mapping_guess:
 * @self: a #RgCsvMapping
 *
 * Maps each column to the member field its header names, in English or Chinese (traditional
 * or simplified), including Shopify's and WooCommerce's customer exports, or to a custom
 * attribute by its key or label. A field goes to one column only: the closest match.
 * Unknown columns are ignored.
 */
void
rg_csv_mapping_guess (RgCsvMapping *self)
{
  g_autofree int *scores = NULL;
  g_autofree guint *order = NULL;
  g_autoptr(GPtrArray) guesses = NULL;
  g_autoptr(GHashTable) taken = NULL;
  guint n;

  g_return_if_fail (RG_IS_CSV_MAPPING (self));

  n = self->headers->len;
  scores = g_new0 (int, n);
  order = g_new (guint, n);
  guesses = g_ptr_array_new_full (n, g_free);
  taken = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = normalize_header (g_ptr_array_index (self->headers, i));
      const char *field = guess_builtin (key, &scores[i]);
      char *guess = g_strdup (field);

      for (guint a = 0; key[0] != '\0' && a < self->attributes->len; a++)
        {
          Attribute *attribute = g_ptr_array_index (self->attributes, a);
          g_autofree char *by_key = normalize_header (attribute->key);
          g_autofree char *by_label = normalize_header (attribute->label);

          if (scores[i] < SCORE_ATTRIBUTE &&
              (g_strcmp0 (key, by_key) == 0 || g_strcmp0 (key, by_label) == 0))
            {
              g_free (guess);
              guess = g_strconcat (RG_CSV_FIELD_ATTR_PREFIX, attribute->key, NULL);
              scores[i] = SCORE_ATTRIBUTE;
            }
        }

      g_ptr_array_add (guesses, guess);
      order[i] = i;
    }

  /* Best matches first; among equals, the leftmost column. */
  for (guint i = 1; i < n; i++)
    {
      guint column = order[i];
      guint j = i;

      while (j > 0 && scores[order[j - 1]] < scores[column])
        {
          order[j] = order[j - 1];
          j--;
        }
      order[j] = column;
    }

  for (guint i = 0; i < n; i++)
    {
      guint column = order[i];
      const char *guess = g_ptr_array_index (guesses, column);
      const char *field = RG_CSV_FIELD_IGNORE;

      if (guess != NULL && !g_hash_table_contains (taken, guess))
        {
          g_hash_table_add (taken, (gpointer) guess);
          field = guess;
        }
      g_free (g_ptr_array_index (self->fields, column));
      g_ptr_array_index (self->fields, column) = g_strdup (field);
    }
}

/**
 * rg_csv_mapping_parse_spec:
 * @self: a #RgCsvMapping
 * @spec: a mapping as the command line takes it: `Column=field,Other column=field`; a
 *   column name with a comma or "=" goes in double quotes (`"Address, City"=ignore`), and
 *   `#3` names the third column
 * @error: return location for a #GError
 *
 * Sets the named columns' fields on top of the current mapping; a column that had one of
 * these fields before is ignored from now on. Nothing changes when @spec has an error.
 *
 * Returns: %TRUE, or %FALSE with @error set: %RG_CSV_ERROR_SPEC, %RG_CSV_ERROR_UNKNOWN_COLUMN,
 *   %RG_CSV_ERROR_UNKNOWN_FIELD or %RG_CSV_ERROR_DUPLICATE_FIELD, naming the column or field
 */
gboolean
rg_csv_mapping_parse_spec (RgCsvMapping  *self,
                           const char    *spec,
                           GError       **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GHashTable) assigned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = spec;

  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fields = g_ptr_array_copy (self->fields, (GCopyFunc) g_strdup, NULL);
  g_ptr_array_set_free_func (fields, g_free);

  while (*p != '\0')
    {
      g_autoptr(GString) quoted = g_string_new (NULL);
      g_autofree char *column = NULL;
      g_autofree char *entry = NULL;
      g_autofree char *field = NULL;
      g_autofree char *canonical = NULL;
      const char *start;
      const char *eq;
      int index;

      while (*p == ' ' || *p == ',')
        p++;
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
              g_string_append_c (quoted, *p);
            }
          if (*p != '"')
            {
              g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_SPEC,
                           _("The column name “%s” in the column mapping lacks its closing quote"),
                           quoted->str);
              return FALSE;
            }
          p++;
          column = g_strdup (quoted->str);
          start = p;
          while (*p != '\0' && *p != ',')
            p++;
          entry = g_strstrip (g_strndup (start, p - start));
          if (entry[0] != '=')
            {
              g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_SPEC,
                           _("The column “%s” in the column mapping is not followed by "
                             "“=field”"), column);
              return FALSE;
            }
          field = g_strstrip (g_strdup (entry + 1));
        }
      else
        {
          start = p;
          while (*p != '\0' && *p != ',')
            p++;
          entry = g_strstrip (g_strndup (start, p - start));
          /* Field names have no "=", so the last one separates. */
          if ((eq = strrchr (entry, '=')) == NULL)
            {
              g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_SPEC,
                           _("“%s” in the column mapping is not of the form “Column=field” "
                             "(put a column name that contains a comma in double quotes)"),
                           entry);
              return FALSE;
            }
          column = g_strstrip (g_strndup (entry, eq - entry));
          field = g_strstrip (g_strdup (eq + 1));
        }

      if ((index = find_column (self, column)) < 0)
        {
          g_autofree char *columns = list_columns (self);

          g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_COLUMN,
                       /* Translators: first %s is a column name, second a list of them */
                       _("The column mapping names a column “%s” that the file does not have; "
                         "its columns are %s"),
                       column, columns);
          return FALSE;
        }

      if ((canonical = canonical_field (self, field)) == NULL)
        {
          g_autofree char *known = list_fields (self);

          g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD,
                       /* Translators: a column name, a field name, a list of field names */
                       _("Column “%s”: unknown field “%s”; the fields are %s"),
                       column, field, known);
          return FALSE;
        }

      if (strcmp (canonical, RG_CSV_FIELD_IGNORE) != 0)
        {
          gpointer other;

          if (g_hash_table_lookup_extended (assigned, canonical, NULL, &other) &&
              GPOINTER_TO_INT (other) != index)
            {
              g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_DUPLICATE_FIELD,
                           /* Translators: two column names and a field name */
                           _("Columns “%s” and “%s” are both mapped to “%s”; a field takes one "
                             "column"),
                           (char *) g_ptr_array_index (self->headers, GPOINTER_TO_INT (other)),
                           (char *) g_ptr_array_index (self->headers, index), canonical);
              return FALSE;
            }
          g_hash_table_insert (assigned, g_strdup (canonical), GINT_TO_POINTER (index));

          /* The field moves here from the column that had it. */
          for (guint i = 0; i < fields->len; i++)
            {
              if ((int) i != index && g_strcmp0 (g_ptr_array_index (fields, i), canonical) == 0)
                {
                  g_free (g_ptr_array_index (fields, i));
                  g_ptr_array_index (fields, i) = g_strdup (RG_CSV_FIELD_IGNORE);
                }
            }
        }

      g_free (g_ptr_array_index (fields, index));
      g_ptr_array_index (fields, index) = g_steal_pointer (&canonical);
    }

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  self->fields = g_steal_pointer (&fields);
  return TRUE;
}

/**
 * rg_csv_mapping_to_spec:
 * @self: a #RgCsvMapping
 *
 * Returns: (transfer full): the mapped columns in the form rg_csv_mapping_parse_spec() reads,
 *   e.g. to show the `--map` option that repeats an import
 */
char *
rg_csv_mapping_to_spec (RgCsvMapping *self)
{
  GString *spec;

  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), NULL);

  spec = g_string_new (NULL);
  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *header = g_ptr_array_index (self->headers, i);
      const char *field = g_ptr_array_index (self->fields, i);

      if (strcmp (field, RG_CSV_FIELD_IGNORE) == 0)
        continue;
      if (spec->len > 0)
        g_string_append_c (spec, ',');

      if (header[0] == '\0' || find_column (self, header) != (int) i)
        {
          g_string_append_printf (spec, "#%u", i + 1);
        }
      else if (strpbrk (header, ",=\"") != NULL || header[0] == ' ' || header[0] == '#' ||
               g_str_has_suffix (header, " "))
        {
          g_string_append_c (spec, '"');
          for (const char *p = header; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (spec, '"');
              g_string_append_c (spec, *p);
            }
          g_string_append_c (spec, '"');
        }
      else
        {
          g_string_append (spec, header);
        }
      g_string_append_printf (spec, "=%s", field);
    }

  return g_string_free (spec, FALSE);
}

/**
 * rg_csv_mapping_get_n_columns:
 * @self: a #RgCsvMapping
 *
 * Returns: the number of columns
 */
guint
rg_csv_mapping_get_n_columns (RgCsvMapping *self)
{
  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), 0);

  return self->headers->len;
}

/**
 * rg_csv_mapping_get_header:
 * @self: a #RgCsvMapping
 * @column: a column index
 *
 * Returns: the header of @column
 */
const char *
rg_csv_mapping_get_header (RgCsvMapping *self,
                           guint         column)
{
  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);

  return g_ptr_array_index (self->headers, column);
}

/**
 * rg_csv_mapping_get_field:
 * @self: a #RgCsvMapping
 * @column: a column index
 *
 * Returns: the field @column maps to: a built-in field id, "attr:<key>" or %RG_CSV_FIELD_IGNORE
 */
const char *
rg_csv_mapping_get_field (RgCsvMapping *self,
                          guint         column)
{
  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), NULL);
  g_return_val_if_fail (column < self->fields->len, NULL);

  return g_ptr_array_index (self->fields, column);
}

/**
 * rg_csv_mapping_set_field:
 * @self: a #RgCsvMapping
 * @column: a column index
 * @field: a field id
 * @error: return location for a #GError
 *
 * Maps @column to @field; a column that had @field before is ignored from now on.
 *
 * Returns: %TRUE, or %FALSE with %RG_CSV_ERROR_UNKNOWN_FIELD when @field is no field
 */
gboolean
rg_csv_mapping_set_field (RgCsvMapping  *self,
                          guint          column,
                          const char    *field,
                          GError       **error)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), FALSE);
  g_return_val_if_fail (column < self->fields->len, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if ((canonical = canonical_field (self, field)) == NULL)
    {
      g_autofree char *known = list_fields (self);

      g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD,
                   _("Column “%s”: unknown field “%s”; the fields are %s"),
                   (char *) g_ptr_array_index (self->headers, column), field, known);
      return FALSE;
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      if (i != column && strcmp (canonical, RG_CSV_FIELD_IGNORE) != 0 &&
          strcmp (g_ptr_array_index (self->fields, i), canonical) == 0)
        {
          g_free (g_ptr_array_index (self->fields, i));
          g_ptr_array_index (self->fields, i) = g_strdup (RG_CSV_FIELD_IGNORE);
        }
    }
  g_free (g_ptr_array_index (self->fields, column));
  g_ptr_array_index (self->fields, column) = g_steal_pointer (&canonical);
  return TRUE;
}

/**
 * rg_csv_mapping_find_field:
 * @self: a #RgCsvMapping
 * @field: a field id other than %RG_CSV_FIELD_IGNORE
 *
 * Returns: the column mapped to @field, or -1
 */
int
rg_csv_mapping_find_field (RgCsvMapping *self,
                           const char   *field)
{
  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), -1);
  g_return_val_if_fail (field != NULL, -1);

  for (guint i = 0; i < self->fields->len; i++)
    {
      if (strcmp (g_ptr_array_index (self->fields, i), field) == 0)
        return i;
    }
  return -1;
}

/**
 * rg_csv_mapping_is_valid_field:
 * @self: a #RgCsvMapping
 * @field: a field id
 *
 * Returns: whether @field is a built-in field or "attr:<key>" of an added attribute
 */
gboolean
rg_csv_mapping_is_valid_field (RgCsvMapping *self,
                               const char   *field)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (RG_IS_CSV_MAPPING (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  canonical = canonical_field (self, field);
  return canonical != NULL && strcmp (canonical, field) == 0;
}

/**
 * rg_csv_field_list:
 *
 * Returns: (transfer none): the built-in field ids, %RG_CSV_FIELD_IGNORE last, %NULL-terminated
 */
const char * const *
rg_csv_field_list (void)
{
  return field_ids;
}

/**
 * rg_csv_field_get_label:
 * @field: a built-in field id
 *
 * Returns: (nullable): the translated label of @field, or %NULL for anything else
 *   (a custom attribute has the label its merchant gave it)
 */
const char *
rg_csv_field_get_label (const char *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; field_ids[i] != NULL; i++)
    {
      if (strcmp (field_ids[i], field) == 0)
        return _(field_labels[i]);
    }
  return NULL;
}

static gboolean
is_cjk_name (const char *name)
{
  if (name[0] == '\0')
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      switch (g_unichar_get_script (c))
        {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
        case G_UNICODE_SCRIPT_BOPOMOFO:
          break;
        default:
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * rg_csv_combine_name:
 * @first_name: (nullable): a given name
 * @last_name: (nullable): a family name
 *
 * Joins the two the way the name is written: family name first without a space when both
 * are Chinese, Japanese or Korean ("王" + "小明" → "王小明"), else "First Last".
 *
 * Returns: (transfer full): the full name, "" when both are empty
 */
char *
rg_csv_combine_name (const char *first_name,
                     const char *last_name)
{
  g_autofree char *first = g_strstrip (g_strdup (first_name != NULL ? first_name : ""));
  g_autofree char *last = g_strstrip (g_strdup (last_name != NULL ? last_name : ""));

  if (first[0] == '\0')
    return g_steal_pointer (&last);
  if (last[0] == '\0')
    return g_steal_pointer (&first);
  if (is_cjk_name (first) && is_cjk_name (last))
    return g_strconcat (last, first, NULL);
  return g_strconcat (first, " ", last, NULL);
}
