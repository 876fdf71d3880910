/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Tolerant readers for platform answers: a member of the wrong type reads as absent instead of
 * raising a critical warning, because the JSON comes from outside. */
const char *_rg_json_get_string (JsonObject *object,
                                 const char *member);
gboolean    _rg_json_get_int    (JsonObject *object,
                                 const char *member,
                                 gint64     *value);
JsonObject *_rg_json_get_object (JsonObject *object,
                                 const char *member);
JsonArray  *_rg_json_get_array  (JsonObject *object,
                                 const char *member);
JsonObject *_rg_json_node_get_object (JsonNode *node);

G_END_DECLS
