/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rg-card-store.h"
#include "rg-member-center.h"
#include "rg-server.h"

G_BEGIN_DECLS

/* What a channel answers to when its keyword list was never saved. */
#define RG_CARD_DEFAULT_KEYWORD "會員中心"

/* The payload of the WhatsApp quick-reply button that asks for the member center. */
#define RG_CARD_WHATSAPP_PAYLOAD "member_center"

/* Longest keyword, in characters; a LINE text message may be much longer, a keyword not. */
#define RG_CARD_MAX_KEYWORD_LENGTH 100

#define RG_CARD_RESPONDER_ERROR (rg_card_responder_error_quark ())

/**
 * RgCardResponderError:
 * @RG_CARD_RESPONDER_ERROR_KEYWORD: a keyword is empty, too long, has control characters or
 *   is in the list twice
 */
typedef enum
{
  RG_CARD_RESPONDER_ERROR_KEYWORD,
} RgCardResponderError;

/**
 * RgCardResponse:
 * @RG_CARD_RESPONSE_LINK: a fresh member-center link was sent
 * @RG_CARD_RESPONSE_NOT_FOUND: the sender is not a member and the design requires a member
 *   number: the not-found message (with the register link) was sent, no member-center link
 * @RG_CARD_RESPONSE_DISABLED: the channel's card or its member center is off; nothing sent
 * @RG_CARD_RESPONSE_FAILED: nothing could be sent (see the error)
 *
 * How a keyword or quick-reply request was answered.
 */
typedef enum
{
  RG_CARD_RESPONSE_LINK,
  RG_CARD_RESPONSE_NOT_FOUND,
  RG_CARD_RESPONSE_DISABLED,
  RG_CARD_RESPONSE_FAILED,
} RgCardResponse;

#define RG_TYPE_CARD_RESPONSE (rg_card_response_get_type ())
#define RG_TYPE_CARD_RESPONDER (rg_card_responder_get_type ())

GType            rg_card_response_get_type               (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (RgCardResponder, rg_card_responder, RG, CARD_RESPONDER, GObject)

GQuark           rg_card_responder_error_quark           (void);

char           **rg_card_responder_dup_keywords          (RgCardStore         *cards,
                                                          RgCardChannel        channel,
                                                          GError             **error);
gboolean         rg_card_responder_set_keywords          (RgCardStore         *cards,
                                                          RgCardChannel        channel,
                                                          const char * const  *keywords,
                                                          GError             **error);
gboolean         rg_card_responder_reset_keywords        (RgCardStore         *cards,
                                                          RgCardChannel        channel,
                                                          GError             **error);

RgCardResponder *rg_card_responder_new                   (RgMemberCenter      *center);
RgMemberCenter  *rg_card_responder_get_member_center     (RgCardResponder     *self);
void             rg_card_responder_attach                (RgCardResponder     *self,
                                                          RgServer            *server);
gboolean         rg_card_responder_handle_line_event     (RgCardResponder     *self,
                                                          JsonObject          *event);
guint            rg_card_responder_handle_whatsapp_value (RgCardResponder     *self,
                                                          const char          *field,
                                                          JsonObject          *value);
guint            rg_card_responder_get_busy              (RgCardResponder     *self);

G_END_DECLS
