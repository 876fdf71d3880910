/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-demo.h"
#include "rg-demo.h"
#include "rg-member-store.h"
#include "rg-notify-demo.h"

/* Sample data for a newcomer: a tea shop in Taipei whose regulars talk to it on LINE. Every
 * feature that adds tables adds its sample rows here, so the demo shows a living app. */

static gboolean
populate_shop (RgStore  *store,
               GError  **error)
{
  return rg_store_exec (store,
                        "UPDATE shop_profile SET name = '晨葉茶行 Morning Leaf Tea House', "
                        "default_region = 'TW', currency = 'TWD', timezone = 'Asia/Taipei' "
                        "WHERE id = 1",
                        error) &&
         rg_store_set_meta (store, "demo", "1", error);
}

/* The shop's regulars: mostly Taipei locals, a few visitors from Hong Kong and abroad. Phones
 * are written the way staff type them; the store normalizes them. */
static const struct {
  const char *name;
  const char *phone;
  const char *email;
  const char *tea;
} demo_members[] = {
  { "陳怡君", "0912-345-678", "yijun.chen@gmail.com", "凍頂烏龍" },
  { "林志明", "0928-111-520", "zhiming.lin@yahoo.com.tw", "東方美人" },
  { "王小美", "0935-246-810", "xiaomei.wang@gmail.com", "茉莉綠茶" },
  { "林怡君", "0910-777-321", "yijun.lin@outlook.com", "阿里山高山茶" },
  { "張家豪", "0921-555-018", NULL, "鐵觀音" },
  { "李雅婷", "0966-302-118", "yating.li@gmail.com", "蜜香紅茶" },
  { "黃建宏", "(02) 2345-6789", "jianhong@huang-design.tw", NULL },
  { "吳淑芬", "0937-889-001", NULL, "文山包種" },
  { "劉俊傑", "0918-640-233", "junjie.liu@gmail.com", NULL },
  { "蔡美玲", "0952-118-846", "meiling.tsai@hotmail.com", "凍頂烏龍" },
  { "楊冠宇", "0975-330-529", "guanyu.yang@gmail.com", "梨山烏龍" },
  { "許雅雯", "0983-207-615", NULL, "桂花烏龍" },
  { "鄭宇翔", "0920-456-987", "yuxiang.cheng@icloud.com", NULL },
  { "謝佩珊", "0958-001-234", "peishan.hsieh@gmail.com", "東方美人" },
  { "郭承恩", "0912-876-543", NULL, "普洱" },
  { "洪詩涵", "0939-520-131", "shihan.hung@gmail.com", "茉莉綠茶" },
  { "曾柏翰", "0922-613-480", "bohan.tseng@yahoo.com.tw", NULL },
  { "邱思妤", "0970-145-926", "siyu.chiu@gmail.com", "玫瑰花茶" },
  { "廖家瑋", "0916-372-805", NULL, "阿里山高山茶" },
  { "賴怡萱", "0930-688-214", "yixuan.lai@gmail.com", "蜜香紅茶" },
  { "周子軒", "0987-054-379", "zixuan.chou@outlook.com", NULL },
  { "徐靜宜", "0919-263-740", NULL, "文山包種" },
  { "蘇冠廷", "0955-817-362", "guanting.su@gmail.com", "鐵觀音" },
  { "葉欣怡", "0927-409-158", "xinyi.yeh@gmail.com", "凍頂烏龍" },
  { "莊明哲", "(04) 2326-1177", "mingzhe@chuang-law.com.tw", NULL },
  { "呂佳穎", "0963-590-827", NULL, "桂花烏龍" },
  { "江品妍", "0911-038-462", "pinyan.chiang@gmail.com", "東方美人" },
  { "何宗翰", "0936-721-095", "tsunghan.ho@gmail.com", NULL },
  { "蕭雅琪", "0978-264-513", NULL, "茉莉綠茶" },
  { "羅文傑", "0925-903-648", "wenjie.lo@yahoo.com.tw", "梨山烏龍" },
  { "高于婷", "0988-417-230", "yuting.kao@gmail.com", NULL },
  { "潘信宏", "0917-582-906", NULL, "普洱" },
  { "簡嘉慧", "0953-126-784", "chiahui.chien@gmail.com", "蜜香紅茶" },
  { "朱柏宇", "0932-845-017", "boyu.chu@gmail.com", NULL },
  { "鍾宜蓁", "0968-370-452", NULL, "玫瑰花茶" },
  { "彭志豪", "0915-694-238", "zhihao.peng@outlook.com", "鐵觀音" },
  { "游雅筑", "0926-053-871", "yazhu.yu@gmail.com", "阿里山高山茶" },
  { "詹凱文", "0972-618-340", NULL, NULL },
  { "胡心怡", "0933-207-569", "hsinyi.hu@gmail.com", "茉莉綠茶" },
  { "施建志", "0919-486-025", "chienchih.shih@hinet.net", "文山包種" },
  { "沈佩君", "0958-730-164", NULL, "凍頂烏龍" },
  { "余承翰", "0921-364-897", "chenghan.yu@gmail.com", NULL },
  { "盧怡婷", "0985-042-716", "yiting.lu@gmail.com", "東方美人" },
  { "梁家銘", "0910-579-382", NULL, "普洱" },
  { "陳大文", "+852 9123 4567", "taiman.chan@gmail.com", "鐵觀音" },
  { "李嘉欣", "+852 6234 5678", "kayan.lee@yahoo.com.hk", "普洱" },
  { "黃志強", "+852 5187 2930", NULL, "凍頂烏龍" },
  { "張偉", "+86 138 0013 8000", "zhangwei@qq.com", "茉莉綠茶" },
  { "Tan Wei Ming", "+60 12-345 6789", "weiming.tan@gmail.com", "蜜香紅茶" },
  { "Lim Hui Min", "+65 8123 4567", "huimin.lim@gmail.com", "東方美人" },
  { "Emily Chen", "0931-224-668", "emily.chen@gmail.com", "阿里山高山茶" },
  { "David Lin", "0960-135-792", "david.lin@outlook.com", NULL },
  { "Sophie Wang", "0912-468-135", "sophie.wang@gmail.com", "玫瑰花茶" },
  { "Kevin Huang", "0938-951-357", NULL, "梨山烏龍" },
  { "Anna Müller", "+49 30 901820", "anna.mueller@web.de", "東方美人" },
  { "James O'Brien", "0929-680-246", "james.obrien@gmail.com", "蜜香紅茶" },
  { "Yuki Tanaka", "+81 90-1234-5678", "yuki.tanaka@docomo.ne.jp", "文山包種" },
  { "Grace Liu", "0976-321-654", "grace.liu@gmail.com", NULL },
  { "Michael Tsai", "0913-579-246", NULL, "鐵觀音" },
  { "Jessica Ho", "0965-802-413", "jessica.ho@icloud.com", "茉莉綠茶" },
};

/* Purchases as the counter writes them in the ledger: 1 point per NT$10. */
static const struct {
  const char *reason;
  gint64      amount;
} demo_purchases[] = {
  { "凍頂烏龍 150g", 680 },
  { "東方美人 75g", 1200 },
  { "蜜香紅茶 茶包 20 入", 350 },
  { "阿里山高山茶 150g", 900 },
  { "茶點 與 熱茶 兩人份", 420 },
  { "茶器 白瓷蓋碗", 1500 },
};

static char *
demo_line_user_id (const char *seed)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, seed, -1);

  return g_strconcat ("U", digest, NULL);
}

static gboolean
add_demo_attributes (RgMemberStore  *members,
                     GError        **error)
{
  g_autoptr(RgAttributeDefinition) birthday =
    rg_attribute_definition_new ("birthday", "生日 Birthday", RG_ATTRIBUTE_TYPE_DATE);
  g_autoptr(RgAttributeDefinition) vip =
    rg_attribute_definition_new ("vip", "VIP", RG_ATTRIBUTE_TYPE_YES_NO);
  g_autoptr(RgAttributeDefinition) tea =
    rg_attribute_definition_new ("favourite_tea", "愛喝的茶 Favourite tea", RG_ATTRIBUTE_TYPE_TEXT);

  return rg_member_store_add_attribute (members, birthday, error) &&
         rg_member_store_add_attribute (members, vip, error) &&
         rg_member_store_add_attribute (members, tea, error);
}

static gboolean
add_demo_history (RgMemberStore  *members,
                  gint64          id,
                  GRand          *rand,
                  guint           index,
                  GError        **error)
{
  guint n_purchases = g_rand_int_range (rand, 0, 7);
  gint64 stored_value = 0;

  if (index % 4 == 0)
    {
      RgBalanceChange top_up = {
        .stored_value = (index % 8 == 0 ? 3000 : 1000) * 100,
        .reason = index % 8 == 0 ? "儲值 NT$3,000 送 NT$300" : "儲值 NT$1,000",
        .source = RG_LEDGER_SOURCE_DEMO,
      };

      if (!rg_member_store_adjust (members, id, &top_up, error))
        return FALSE;
      stored_value += top_up.stored_value;
      if (index % 8 == 0)
        {
          RgBalanceChange bonus = {
            .stored_value = 300 * 100,
            .reason = "儲值贈送",
            .source = RG_LEDGER_SOURCE_DEMO,
          };

          if (!rg_member_store_adjust (members, id, &bonus, error))
            return FALSE;
          stored_value += bonus.stored_value;
        }
    }

  for (guint i = 0; i < n_purchases; i++)
    {
      guint which = g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_purchases));
      gint64 points = demo_purchases[which].amount / 10;
      RgBalanceChange purchase = {
        .accumulated_points = points,
        .points_balance = points,
        .reason = demo_purchases[which].reason,
        .source = RG_LEDGER_SOURCE_DEMO,
      };

      /* Members with stored value pay with it: points and stored value in one change. */
      if (demo_purchases[which].amount * 100 <= stored_value)
        {
          purchase.stored_value = -demo_purchases[which].amount * 100;
          stored_value += purchase.stored_value;
        }

      if (!rg_member_store_adjust (members, id, &purchase, error))
        return FALSE;
    }

  if (n_purchases >= 4)
    {
      RgBalanceChange redeem = {
        .points_balance = -100,
        .reason = "兌換 品茗杯 (100 點)",
        .source = RG_LEDGER_SOURCE_DEMO,
      };

      if (!rg_member_store_adjust (members, id, &redeem, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
populate_members (RgStore  *store,
                  GError  **error)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!add_demo_attributes (members, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_members); i++)
    {
      g_autoptr(RgMember) member = rg_member_new ();
      g_autofree char *number = g_strdup_printf ("ML%05u", 1001 + i);
      g_autofree char *birthday = NULL;
      const char *phone = demo_members[i].phone;

      rg_member_set_member_number (member, i % 15 == 14 ? NULL : number);
      rg_member_set_name (member, demo_members[i].name);
      rg_member_set_phone (member, phone);
      rg_member_set_email (member, demo_members[i].email);
      /* Joined over the last two years, newest last. */
      rg_member_set_created_at (member, now - (G_N_ELEMENTS (demo_members) - i) * 12 * 24 * 3600);

      /* Most Taiwanese regulars follow the shop on LINE; some blocked it since. */
      if (phone[0] == '0' && i % 6 != 5)
        {
          g_autofree char *line_user_id = demo_line_user_id (demo_members[i].name);

          rg_member_set_line_user_id (member, line_user_id);
          rg_member_set_line_friend (member, i % 9 != 4);
        }
      /* Visitors from Hong Kong and South-East Asia write on WhatsApp; wa_id is the
       * number's digits. */
      if (g_str_has_prefix (phone, "+852") || g_str_has_prefix (phone, "+60") ||
          g_str_has_prefix (phone, "+65"))
        {
          g_autoptr(GString) wa_id = g_string_new (NULL);

          for (const char *p = phone; *p != '\0'; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (wa_id, *p);
          rg_member_set_whatsapp_id (member, wa_id->str);
          rg_member_set_whatsapp_opted_in (member, TRUE);
        }
      if (g_str_has_prefix (phone, "+86"))
        {
          rg_member_set_wechat_openid (member, "oVt3x5Qm2Lk8ZbPq7WnYc1DfHs0E");
          rg_member_set_wechat_follower (member, TRUE);
        }

      if (demo_members[i].tea != NULL)
        rg_member_set_attribute (member, "favourite_tea", demo_members[i].tea);
      if (i % 3 != 2)
        {
          birthday = g_strdup_printf ("%u-%02u-%02u", 1965 + (i * 7) % 40, 1 + (i * 5) % 12,
                                      1 + (i * 11) % 28);
          rg_member_set_attribute (member, "birthday", birthday);
        }
      if (i % 7 == 0)
        rg_member_set_attribute (member, "vip", "yes");
      if (i % 10 == 3)
        {
          const char *tags[] = { "茶會常客", NULL };
          rg_member_set_tags (member, tags);
        }
      if (i == 0)
        rg_member_set_note (member, "喜歡焙火重一點的烏龍，週六下午常來。");

      if (!rg_member_store_insert (members, member, RG_LEDGER_SOURCE_DEMO, error) ||
          !add_demo_history (members, rg_member_get_id (member), rand, i, error))
        return FALSE;
    }

  return TRUE;
}

/* A card design per channel, with a header image drawn in code (rg-card-demo.c). */
static gboolean
populate_cards (RgStore  *store,
                GError  **error)
{
  return rg_card_demo_populate (store, error);
}

/* Notification settings and a month of triggers to the members above (rg-notify-demo.c). */
static gboolean
populate_notify (RgStore  *store,
                 GError  **error)
{
  return rg_notify_demo_populate (store, error);
}

static gboolean
populate_all (RgStore   *store,
              gpointer   user_data,
              GError   **error)
{
  return populate_shop (store, error) &&
         populate_members (store, error) &&
         populate_cards (store, error) &&
         populate_notify (store, error);
}

/**
 * rg_demo_populate:
 *
 * Fills a database that was just created with believable sample data, in one transaction.
 * A database that already holds data is refused, so a typo in `--database` cannot mix demo
 * rows into a shop's real records.
 */
gboolean
rg_demo_populate (RgStore  *store,
                  GError  **error)
{
  g_return_val_if_fail (RG_IS_STORE (store), FALSE);

  if (!rg_store_is_new (store))
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_NOT_EMPTY,
                   _("“%s” already exists; demo data goes only into a new database"),
                   rg_store_get_path (store));
      return FALSE;
    }

  return rg_store_transaction (store, populate_all, NULL, error);
}
