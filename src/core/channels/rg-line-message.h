/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits of the LINE Messaging API, checked before anything is sent. */
#define RG_LINE_MAX_MESSAGES          5
#define RG_LINE_MAX_TEXT_LENGTH       5000
#define RG_LINE_MAX_ALT_TEXT_LENGTH   400
#define RG_LINE_MAX_MULTICAST         500
#define RG_LINE_MIN_DELIVERY_TAG      16
#define RG_LINE_MAX_DELIVERY_TAG      100

glong     rg_line_text_length             (const char  *text);
JsonNode *rg_line_message_new_text        (const char  *text,
                                           GError     **error);
JsonNode *rg_line_message_new_flex_bubble (const char  *alt_text,
                                           const char  *title,
                                           const char  *text,
                                           const char  *button_label,
                                           const char  *button_uri,
                                           GError     **error);
gboolean  rg_line_messages_validate       (JsonArray   *messages,
                                           GError     **error);
char     *rg_line_hash_phone_number       (const char  *e164,
                                           GError     **error);
gboolean  rg_line_delivery_tag_validate   (const char  *tag,
                                           GError     **error);

G_END_DECLS
