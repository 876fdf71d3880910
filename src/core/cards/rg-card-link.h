/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-card-enums.h"
#include "rg-channel-settings.h"

G_BEGIN_DECLS

/* How long a member-center link opens the page. */
#define RG_CARD_LINK_LIFETIME_SECONDS (30 * 60)

/* Bytes of the HMAC-SHA256 key kept in the keyring as (member-center, link-key). */
#define RG_CARD_LINK_KEY_SIZE 32

#define RG_CARD_LINK_SECRET_CHANNEL "member-center"
#define RG_CARD_LINK_SECRET_FIELD   "link-key"

/* The path under the public base URL: "<base>/m/<token>". */
#define RG_CARD_LINK_PATH_PREFIX "/m/"

#define RG_CARD_LINK_ERROR (rg_card_link_error_quark ())

/**
 * RgCardLinkError:
 * @RG_CARD_LINK_ERROR_MALFORMED: the token is not "payload.signature" in base64url, or its
 *   payload is not one this version wrote
 * @RG_CARD_LINK_ERROR_TAMPERED: the signature does not match the payload (changed, or signed
 *   with another key)
 * @RG_CARD_LINK_ERROR_EXPIRED: the link was genuine but is older than 30 minutes
 * @RG_CARD_LINK_ERROR_NO_KEY: the signing key is not loaded (see rg_card_link_load_key_async())
 * @RG_CARD_LINK_ERROR_NO_BASE_URL: no public base URL is set, so no link can be made
 */
typedef enum
{
  RG_CARD_LINK_ERROR_MALFORMED,
  RG_CARD_LINK_ERROR_TAMPERED,
  RG_CARD_LINK_ERROR_EXPIRED,
  RG_CARD_LINK_ERROR_NO_KEY,
  RG_CARD_LINK_ERROR_NO_BASE_URL,
} RgCardLinkError;

/**
 * RgCardLinkClock:
 *
 * Returns: the current time in seconds since the Unix epoch
 */
typedef gint64 (*RgCardLinkClock) (gpointer user_data);

#define RG_TYPE_CARD_LINK (rg_card_link_get_type ())

G_DECLARE_FINAL_TYPE (RgCardLink, rg_card_link, RG, CARD_LINK, GObject)

GQuark      rg_card_link_error_quark     (void);

RgCardLink *rg_card_link_new             (RgChannelSettings    *settings);
void        rg_card_link_set_clock       (RgCardLink           *self,
                                          RgCardLinkClock       clock,
                                          gpointer              user_data);
gint64      rg_card_link_get_now         (RgCardLink           *self);

void        rg_card_link_load_key_async  (RgCardLink           *self,
                                          gboolean              reload,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    rg_card_link_load_key_finish (RgCardLink           *self,
                                          GAsyncResult         *result,
                                          GError              **error);
gboolean    rg_card_link_has_key         (RgCardLink           *self);
gint64      rg_card_link_get_key_age     (RgCardLink           *self);
void        rg_card_link_set_key         (RgCardLink           *self,
                                          const guint8         *key,
                                          gsize                 key_size);

char       *rg_card_link_issue_token     (RgCardLink           *self,
                                          gint64                member_id,
                                          RgCardChannel         channel,
                                          GError              **error);
gboolean    rg_card_link_verify          (RgCardLink           *self,
                                          const char           *token,
                                          gint64               *member_id,
                                          RgCardChannel        *channel,
                                          gint64               *expires_at,
                                          GError              **error);
char       *rg_card_link_build_url       (RgCardLink           *self,
                                          const char           *token,
                                          GError              **error);

void        rg_card_link_issue_async     (RgCardLink           *self,
                                          gint64                member_id,
                                          RgCardChannel         channel,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char       *rg_card_link_issue_finish    (RgCardLink           *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
