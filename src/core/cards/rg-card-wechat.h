/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-card-design.h"
#include "rg-channel-settings.h"
#include "rg-server.h"
#include "rg-store.h"
#include "rg-wechat-client.h"

G_BEGIN_DECLS

#define RG_CARD_WECHAT_ERROR (rg_card_wechat_error_quark ())

/**
 * RgCardWeChatError:
 * @RG_CARD_WECHAT_ERROR_FIELD: a member-card field is missing or longer than WeChat allows;
 *   the message names the field and the limit (nothing is ever cut short)
 * @RG_CARD_WECHAT_ERROR_DISABLED: the WeChat card design is switched off
 * @RG_CARD_WECHAT_ERROR_NO_CARD: the design was never pushed, so there is no card_id yet
 * @RG_CARD_WECHAT_ERROR_MEMBER: the member cannot hold a WeChat card (no member number, no
 *   openid, deleted)
 */
typedef enum
{
  RG_CARD_WECHAT_ERROR_FIELD,
  RG_CARD_WECHAT_ERROR_DISABLED,
  RG_CARD_WECHAT_ERROR_NO_CARD,
  RG_CARD_WECHAT_ERROR_MEMBER,
} RgCardWeChatError;

/**
 * RgCardWeChatDesign:
 *
 * The card/create fields made from our design; owns its strings. See
 * rg_card_wechat_map_design().
 */
typedef struct
{
  RgWeChatCardDesign  card;

  /*< private >*/
  char               *strings[8];
} RgCardWeChatDesign;

#define RG_TYPE_CARD_WECHAT (rg_card_wechat_get_type ())

G_DECLARE_FINAL_TYPE (RgCardWeChat, rg_card_wechat, RG, CARD_WECHAT, GObject)

GQuark              rg_card_wechat_error_quark              (void);

const char         *rg_card_wechat_color_for_accent         (const char            *accent);
RgCardWeChatDesign *rg_card_wechat_map_design               (RgCardDesign          *design,
                                                             const char            *brand_name,
                                                             const char            *logo_url,
                                                             GError               **error);
void                rg_card_wechat_design_free              (RgCardWeChatDesign    *mapped);
char               *rg_card_wechat_record_from_reason       (const char            *reason);

RgCardWeChat       *rg_card_wechat_new                      (RgStore               *store,
                                                             RgChannelSettings     *settings);
char               *rg_card_wechat_dup_card_id              (RgCardWeChat          *self);
char               *rg_card_wechat_dup_logo_url             (RgCardWeChat          *self);
gboolean            rg_card_wechat_set_logo_url             (RgCardWeChat          *self,
                                                             const char            *url,
                                                             GError               **error);
char               *rg_card_wechat_dup_brand_name           (RgCardWeChat          *self);
gboolean            rg_card_wechat_set_brand_name           (RgCardWeChat          *self,
                                                             const char            *brand_name,
                                                             GError               **error);
char               *rg_card_wechat_dup_member_code          (RgCardWeChat          *self,
                                                             gint64                 member_id,
                                                             GError               **error);
/* The code WeChat sent for the member's openid that is not activated yet, or NULL (no error). */
char               *rg_card_wechat_dup_pending_code         (RgCardWeChat          *self,
                                                             gint64                 member_id,
                                                             GError               **error);
void                rg_card_wechat_attach                   (RgCardWeChat          *self,
                                                             RgServer              *server);

void                rg_card_wechat_push_design_async        (RgCardWeChat          *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
char               *rg_card_wechat_push_design_finish       (RgCardWeChat          *self,
                                                             GAsyncResult          *result,
                                                             gboolean              *created,
                                                             GError               **error);
void                rg_card_wechat_activate_member_async    (RgCardWeChat          *self,
                                                             gint64                 member_id,
                                                             const char            *code,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean            rg_card_wechat_activate_member_finish   (RgCardWeChat          *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);

void                rg_card_wechat_start                    (RgCardWeChat          *self);
void                rg_card_wechat_stop                     (RgCardWeChat          *self);
gboolean            rg_card_wechat_get_running              (RgCardWeChat          *self);
gboolean            rg_card_wechat_get_busy                 (RgCardWeChat          *self);
void                rg_card_wechat_sync_async               (RgCardWeChat          *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean            rg_card_wechat_sync_finish              (RgCardWeChat          *self,
                                                             GAsyncResult          *result,
                                                             guint                 *pushed,
                                                             GError               **error);
gboolean            rg_card_wechat_count_pushes             (RgCardWeChat          *self,
                                                             guint                 *pending,
                                                             guint                 *failed,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgCardWeChatDesign, rg_card_wechat_design_free)

G_END_DECLS
