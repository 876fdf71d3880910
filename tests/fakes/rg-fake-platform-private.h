/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "rg-fake-platform.h"

G_BEGIN_DECLS

/* For subclasses: their public setters take the same lock their handler runs under. */
void   _rg_fake_platform_lock           (RgFakePlatform    *self);
void   _rg_fake_platform_unlock         (RgFakePlatform    *self);
void   _rg_fake_platform_count_delivery (RgFakePlatform    *self,
                                         const char        *recipient);

void   _rg_fake_reply_json              (SoupServerMessage *message,
                                         guint              status,
                                         JsonNode          *node);
void   _rg_fake_reply_json_text         (SoupServerMessage *message,
                                         guint              status,
                                         const char        *json);
void   _rg_fake_reply_text              (SoupServerMessage *message,
                                         guint              status,
                                         const char        *content_type,
                                         const char        *text);
char  *_rg_fake_random_hex              (guint              n_digits);
const char *_rg_fake_json_string        (JsonObject        *object,
                                         const char        *member);
gboolean _rg_fake_content_type_is       (RgFakeRequest     *request,
                                         const char        *mime_type);

G_END_DECLS
