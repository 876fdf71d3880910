/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RG_WECHAT_DEFAULT_BASE_URL "https://api.weixin.qq.com"

/* A cached access token is replaced this long before WeChat's expires_in runs out. */
#define RG_WECHAT_TOKEN_MARGIN_S 300

/* Limits of the member card's base_info, in characters (WeChat counts a hanzi as one). */
#define RG_WECHAT_MAX_BRAND_NAME 12
#define RG_WECHAT_MAX_TITLE      9
#define RG_WECHAT_MAX_NOTICE     16
#define RG_WECHAT_MAX_RECORD     14

typedef enum
{
  RG_WECHAT_CODE_TYPE_QRCODE,
  RG_WECHAT_CODE_TYPE_BARCODE,
  RG_WECHAT_CODE_TYPE_TEXT,
} RgWeChatCodeType;

/**
 * RgWeChatCardDesign:
 * @logo_url: the logo, uploaded to WeChat beforehand (mmbiz.qpic.cn)
 * @brand_name: the shop's name, at most %RG_WECHAT_MAX_BRAND_NAME characters
 * @code_type: how the member number is shown
 * @title: the card's title, at most %RG_WECHAT_MAX_TITLE characters
 * @color: a WeChat colour name such as "Color010"
 * @notice: the hint at the code, at most %RG_WECHAT_MAX_NOTICE characters
 * @description: the terms of use
 * @prerogative: the member's privileges
 * @supply_bonus: whether the card shows points (cannot be turned off later)
 * @supply_balance: whether the card shows stored value (cannot be turned off later)
 * @auto_activate: activate on receipt
 * @quantity: the stock of cards, e.g. 100000
 *
 * What `card/create` needs for a MEMBER_CARD with a permanent validity.
 */
typedef struct
{
  const char       *logo_url;
  const char       *brand_name;
  RgWeChatCodeType  code_type;
  const char       *title;
  const char       *color;
  const char       *notice;
  const char       *description;
  const char       *prerogative;
  gboolean          supply_bonus;
  gboolean          supply_balance;
  gboolean          auto_activate;
  guint             quantity;
} RgWeChatCardDesign;

/**
 * RgWeChatMemberUpdate:
 * @card_id: the card
 * @code: the member's card code
 * @bonus: the points total to show, or -1 to leave it out
 * @add_bonus: the change of points (negative spends), 0 for none
 * @record_bonus: (nullable): why, shown to the member, at most %RG_WECHAT_MAX_RECORD characters
 * @balance: the stored value total in fen, or -1 to leave it out
 * @add_balance: the change of stored value in fen, 0 for none
 * @record_balance: (nullable): why, at most %RG_WECHAT_MAX_RECORD characters
 * @notify: whether WeChat tells the member (one merged message for both changes)
 *
 * One `card/membercard/updateuser` call; carrying points and stored value together gives the
 * customer one message instead of two.
 */
typedef struct
{
  const char *card_id;
  const char *code;
  gint64      bonus;
  gint64      add_bonus;
  const char *record_bonus;
  gint64      balance;
  gint64      add_balance;
  const char *record_balance;
  gboolean    notify;
} RgWeChatMemberUpdate;

/**
 * RgWeChatMemberInfo:
 * @openid: the member's openid for this Official Account
 * @nickname: (nullable): the WeChat nickname
 * @membership_number: (nullable): the member number given at activation
 * @bonus: points
 * @balance: stored value in fen
 * @user_card_status: "NORMAL", "EXPIRE", "GIFTING", "GIFT_TIMEOUT", "DELETE", "UNAVAILABLE"…
 * @has_active: whether the card is activated
 */
typedef struct
{
  char     *openid;
  char     *nickname;
  char     *membership_number;
  gint64    bonus;
  gint64    balance;
  char     *user_card_status;
  gboolean  has_active;
} RgWeChatMemberInfo;

#define RG_TYPE_WECHAT_MEMBER_INFO (rg_wechat_member_info_get_type ())
#define RG_TYPE_WECHAT_CLIENT (rg_wechat_client_get_type ())

GType               rg_wechat_member_info_get_type               (void) G_GNUC_CONST;
RgWeChatMemberInfo *rg_wechat_member_info_copy                   (const RgWeChatMemberInfo    *info);
void                rg_wechat_member_info_free                   (RgWeChatMemberInfo          *info);

G_DECLARE_FINAL_TYPE (RgWeChatClient, rg_wechat_client, RG, WECHAT_CLIENT, GObject)

RgWeChatClient     *rg_wechat_client_new                         (const char                  *app_id,
                                                                  const char                  *app_secret);
const char         *rg_wechat_client_get_base_url                (RgWeChatClient              *self);
void                rg_wechat_client_set_base_url                (RgWeChatClient              *self,
                                                                  const char                  *base_url);
guint               rg_wechat_client_get_timeout                 (RgWeChatClient              *self);
void                rg_wechat_client_set_timeout                 (RgWeChatClient              *self,
                                                                  guint                        timeout_ms);
const char         *rg_wechat_client_get_app_id                  (RgWeChatClient              *self);
void                rg_wechat_client_set_credentials             (RgWeChatClient              *self,
                                                                  const char                  *app_id,
                                                                  const char                  *app_secret);

void                rg_wechat_client_get_access_token_async      (RgWeChatClient              *self,
                                                                  gboolean                     force_refresh,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
char               *rg_wechat_client_get_access_token_finish     (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  gint64                      *expires_in,
                                                                  GError                     **error);
void                rg_wechat_client_create_card_async           (RgWeChatClient              *self,
                                                                  const RgWeChatCardDesign    *design,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
char               *rg_wechat_client_create_card_finish          (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  GError                     **error);
void                rg_wechat_client_update_card_async           (RgWeChatClient              *self,
                                                                  const char                  *card_id,
                                                                  const RgWeChatCardDesign    *design,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
gboolean            rg_wechat_client_update_card_finish          (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  GError                     **error);
void                rg_wechat_client_activate_member_async       (RgWeChatClient              *self,
                                                                  const char                  *card_id,
                                                                  const char                  *code,
                                                                  const char                  *membership_number,
                                                                  gint64                       init_bonus,
                                                                  gint64                       init_balance,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
gboolean            rg_wechat_client_activate_member_finish      (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  GError                     **error);
void                rg_wechat_client_update_member_async         (RgWeChatClient              *self,
                                                                  const RgWeChatMemberUpdate  *update,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
gboolean            rg_wechat_client_update_member_finish        (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  gint64                      *result_bonus,
                                                                  gint64                      *result_balance,
                                                                  char                       **openid,
                                                                  GError                     **error);
void                rg_wechat_client_get_member_async            (RgWeChatClient              *self,
                                                                  const char                  *card_id,
                                                                  const char                  *code,
                                                                  GCancellable                *cancellable,
                                                                  GAsyncReadyCallback          callback,
                                                                  gpointer                     user_data);
RgWeChatMemberInfo *rg_wechat_client_get_member_finish           (RgWeChatClient              *self,
                                                                  GAsyncResult                *result,
                                                                  GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgWeChatMemberInfo, rg_wechat_member_info_free)

G_END_DECLS
