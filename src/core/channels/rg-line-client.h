/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rg-line-message.h"

G_BEGIN_DECLS

#define RG_LINE_DEFAULT_BASE_URL "https://api.line.me"

/**
 * RgLineBotInfo:
 * @user_id: the bot's user ID
 * @basic_id: the basic ID, e.g. "@216ruuvw" (LINE includes the '@')
 * @display_name: the Official Account's name
 * @picture_url: (nullable): its profile picture
 * @chat_mode: "chat" or "bot"
 * @mark_as_read_mode: "auto" or "manual"
 */
typedef struct
{
  char *user_id;
  char *basic_id;
  char *display_name;
  char *picture_url;
  char *chat_mode;
  char *mark_as_read_mode;
} RgLineBotInfo;

/**
 * RgLineProfile:
 * @user_id: the user ID
 * @display_name: the user's display name
 * @picture_url: (nullable): the profile picture
 * @status_message: (nullable): the status message
 * @language: (nullable): a BCP 47 language tag
 */
typedef struct
{
  char *user_id;
  char *display_name;
  char *picture_url;
  char *status_message;
  char *language;
} RgLineProfile;

#define RG_TYPE_LINE_BOT_INFO (rg_line_bot_info_get_type ())
#define RG_TYPE_LINE_PROFILE (rg_line_profile_get_type ())
#define RG_TYPE_LINE_CLIENT (rg_line_client_get_type ())

GType          rg_line_bot_info_get_type           (void) G_GNUC_CONST;
RgLineBotInfo *rg_line_bot_info_copy               (const RgLineBotInfo  *info);
void           rg_line_bot_info_free               (RgLineBotInfo        *info);
GType          rg_line_profile_get_type            (void) G_GNUC_CONST;
RgLineProfile *rg_line_profile_copy                (const RgLineProfile  *profile);
void           rg_line_profile_free                (RgLineProfile        *profile);

G_DECLARE_FINAL_TYPE (RgLineClient, rg_line_client, RG, LINE_CLIENT, GObject)

RgLineClient  *rg_line_client_new                  (const char           *access_token);
const char    *rg_line_client_get_base_url         (RgLineClient         *self);
void           rg_line_client_set_base_url         (RgLineClient         *self,
                                                    const char           *base_url);
guint          rg_line_client_get_timeout          (RgLineClient         *self);
void           rg_line_client_set_timeout          (RgLineClient         *self,
                                                    guint                 timeout_ms);
void           rg_line_client_set_access_token     (RgLineClient         *self,
                                                    const char           *access_token);

void           rg_line_client_push_async           (RgLineClient         *self,
                                                    const char           *to,
                                                    JsonArray            *messages,
                                                    const char           *retry_key,
                                                    gboolean              notification_disabled,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char         **rg_line_client_push_finish          (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    gboolean             *already_accepted,
                                                    GError              **error);
void           rg_line_client_reply_async          (RgLineClient         *self,
                                                    const char           *reply_token,
                                                    JsonArray            *messages,
                                                    gboolean              notification_disabled,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char         **rg_line_client_reply_finish         (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void           rg_line_client_multicast_async      (RgLineClient         *self,
                                                    const char * const   *to,
                                                    JsonArray            *messages,
                                                    const char           *retry_key,
                                                    gboolean              notification_disabled,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean       rg_line_client_multicast_finish     (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    gboolean             *already_accepted,
                                                    GError              **error);
void           rg_line_client_push_by_phone_async  (RgLineClient         *self,
                                                    const char           *phone_e164,
                                                    JsonArray            *messages,
                                                    const char           *delivery_tag,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean       rg_line_client_push_by_phone_finish (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void           rg_line_client_get_bot_info_async   (RgLineClient         *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
RgLineBotInfo *rg_line_client_get_bot_info_finish  (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void           rg_line_client_get_profile_async    (RgLineClient         *self,
                                                    const char           *user_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
RgLineProfile *rg_line_client_get_profile_finish   (RgLineClient         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgLineBotInfo, rg_line_bot_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgLineProfile, rg_line_profile_free)

G_END_DECLS
