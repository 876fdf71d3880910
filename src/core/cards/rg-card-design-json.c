/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-design"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-card-design.h"

/* A design as JSON, for moving it between machines: images travel base64-encoded inside. */
#define FORMAT_NAME    "regulars-card-design"
#define FORMAT_VERSION 1

static void
add_bytes (JsonBuilder *builder,
           const char  *name,
           GBytes      *bytes)
{
  json_builder_set_member_name (builder, name);
  if (bytes == NULL)
    json_builder_add_null_value (builder);
  else
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);
      g_autofree char *encoded = g_base64_encode (data, size);

      json_builder_add_string_value (builder, encoded);
    }
}

/**
 * rg_card_design_to_json:
 *
 * Returns: (transfer full): the design as a JSON document (UTF-8, indented), with the header
 *   image and field icons embedded as base64
 */
char *
rg_card_design_to_json (RgCardDesign *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  RgCardBarcode barcode;
  guint n;

  g_return_val_if_fail (RG_IS_CARD_DESIGN (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder,
                                 rg_card_channel_to_string (rg_card_design_get_channel (self)));
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, rg_card_design_get_enabled (self));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, rg_card_design_get_title (self));
  json_builder_set_member_name (builder, "accent_color");
  json_builder_add_string_value (builder, rg_card_design_get_accent_color (self));

  json_builder_set_member_name (builder, "require_member_number");
  json_builder_add_boolean_value (builder, rg_card_design_get_require_member_number (self));
  json_builder_set_member_name (builder, "not_found_message");
  json_builder_add_string_value (builder, rg_card_design_get_not_found_message (self));
  json_builder_set_member_name (builder, "register_button_text");
  json_builder_add_string_value (builder, rg_card_design_get_register_button_text (self));
  json_builder_set_member_name (builder, "register_url");
  json_builder_add_string_value (builder, rg_card_design_get_register_url (self));

  json_builder_set_member_name (builder, "member_center_enabled");
  json_builder_add_boolean_value (builder, rg_card_design_get_member_center_enabled (self));
  json_builder_set_member_name (builder, "barcode");
  barcode = rg_card_design_get_barcode_type (self);
  json_builder_add_string_value (builder, rg_card_barcode_to_string (barcode));
  json_builder_set_member_name (builder, "show_icons");
  json_builder_add_boolean_value (builder, rg_card_design_get_show_icons (self));
  add_bytes (builder, "header_image", rg_card_design_get_header_image (self));

  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  n = rg_card_design_get_n_fields (self);
  for (guint i = 0; i < n; i++)
    {
      RgCardField *field = rg_card_design_get_field (self, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, rg_card_field_get_id (field));
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, rg_card_field_get_label (field));
      add_bytes (builder, "icon", rg_card_field_get_icon (field));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Import errors name the JSON member: “fields[2].icon: …”. */
static void
set_member_error (GError     **error,
                  const char  *member,
                  const char  *reason)
{
  g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON,
               /* Translators: “fields[2].icon: <reason>” — the first %s names a JSON member */
               _("%s: %s"), member, reason);
}

static const char *
node_kind (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("a list");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return _("true or false");
        case G_TYPE_STRING:
          return _("text");
        default:
          return _("a number");
        }
    }
}

static gboolean
get_typed (JsonObject  *object,
           const char  *name,
           const char  *path,
           GType        type,
           gboolean     nullable,
           JsonNode   **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *member = path ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);
  g_autofree char *reason = NULL;
  const char *expected;

  *out = NULL;
  if (node == NULL)
    {
      set_member_error (error, member, _("is missing"));
      return FALSE;
    }
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type)
    {
      *out = node;
      return TRUE;
    }

  if (type == G_TYPE_BOOLEAN)
    expected = _("true or false");
  else if (type == G_TYPE_INT64)
    expected = _("a whole number");
  else
    expected = nullable ? _("text or null") : _("text");
  reason = g_strdup_printf (_("expected %s, found %s"), expected, node_kind (node));
  set_member_error (error, member, reason);
  return FALSE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *name,
          gboolean    *value,
          GError     **error)
{
  JsonNode *node;

  if (!get_typed (object, name, NULL, G_TYPE_BOOLEAN, FALSE, &node, error))
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_string (JsonObject   *object,
            const char   *name,
            const char   *path,
            const char  **value,
            GError      **error)
{
  JsonNode *node;

  if (!get_typed (object, name, path, G_TYPE_STRING, FALSE, &node, error))
    return FALSE;
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_base64 (JsonObject  *object,
            const char  *name,
            const char  *path,
            GBytes     **value,
            GError     **error)
{
  g_autofree char *member = path ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);
  g_autofree guint8 *data = NULL;
  JsonNode *node;
  const char *text;
  gsize size;

  *value = NULL;
  if (!get_typed (object, name, path, G_TYPE_STRING, TRUE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  text = json_node_get_string (node);
  /* g_base64_decode() skips junk silently; the alphabet check keeps a damaged file from
   * turning into a different image. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=' &&
          !g_ascii_isspace (*p))
        {
          set_member_error (error, member, _("is not base64-encoded data"));
          return FALSE;
        }
    }
  data = g_base64_decode (text, &size);
  if (size == 0)
    {
      set_member_error (error, member, _("is empty; use null for no image"));
      return FALSE;
    }
  *value = g_bytes_new_take (g_steal_pointer (&data), size);
  return TRUE;
}

/* Wraps a design error so that it names the JSON member it came from. */
static void
prefix_error (GError     **error,
              GError      *cause,
              const char  *member)
{
  set_member_error (error, member, cause->message);
}

static gboolean
check_members (JsonObject          *object,
               const char          *path,
               const char * const  *known,
               GError             **error)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *member = path ? g_strdup_printf ("%s.%s", path, (char *) l->data)
                                         : g_strdup (l->data);

          set_member_error (error, member, _("is not a setting of a card design (a typo, or a "
                                             "file from a newer Regulars?)"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_field (RgCardDesign  *design,
            JsonNode      *node,
            guint          index,
            GError       **error)
{
  static const char * const known[] = { "id", "label", "icon", NULL };
  g_autofree char *path = g_strdup_printf ("fields[%u]", index);
  g_autoptr(RgCardField) field = NULL;
  g_autoptr(GBytes) icon = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *id, *label;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *reason = g_strdup_printf (_("expected an object, found %s"),
                                                 node_kind (node));
      set_member_error (error, path, reason);
      return FALSE;
    }
  object = json_node_get_object (node);
  if (!check_members (object, path, known, error) ||
      !get_string (object, "id", path, &id, error) ||
      !get_string (object, "label", path, &label, error) ||
      !get_base64 (object, "icon", path, &icon, error))
    return FALSE;

  if (!rg_card_field_id_check (id, &local_error))
    {
      g_autofree char *member = g_strdup_printf ("%s.id", path);
      prefix_error (error, local_error, member);
      return FALSE;
    }

  field = rg_card_field_new (id, label);
  if (icon != NULL && !rg_card_field_set_icon (field, icon, &local_error))
    {
      g_autofree char *member = g_strdup_printf ("%s.icon", path);
      prefix_error (error, local_error, member);
      return FALSE;
    }
  if (!rg_card_design_add_field (design, field, &local_error))
    {
      g_autofree char *member = g_strdup_printf ("%s.id", path);
      prefix_error (error, local_error, member);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_card_design_from_json:
 * @channel: the channel the imported design is for (the file's own "channel" is only
 *   informative, so a design can move to another channel)
 * @json: the document
 * @length: its length, or -1 if nul-terminated
 *
 * Everything is checked as in the editor: field ids, duplicates, icons, the header image,
 * the register URL and the colour. Each error names the JSON member, e.g.
 * “fields[1].icon: The icon is 64×48 pixels; icons must be square (1:1)”.
 *
 * Returns: (transfer full): a new design, not dirty, or %NULL with @error set
 */
RgCardDesign *
rg_card_design_from_json (RgCardChannel   channel,
                          const char     *json,
                          gssize          length,
                          GError        **error)
{
  static const char * const known[] = {
    "format", "version", "channel", "enabled", "title", "accent_color",
    "require_member_number", "not_found_message", "register_button_text", "register_url",
    "member_center_enabled", "barcode", "show_icons", "header_image", "fields", NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) header = NULL;
  JsonObject *object;
  JsonNode *root, *node;
  const char *text;
  RgCardBarcode barcode;
  gboolean flag;
  JsonArray *fields;

  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);
  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON,
                   _("The card design is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_JSON,
                   _("The card design must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_string (object, "format", NULL, &text, error))
    return NULL;
  if (!g_str_equal (text, FORMAT_NAME))
    {
      g_autofree char *reason = g_strdup_printf (_("is “%s”; a card design file says “%s”"),
                                                 text, FORMAT_NAME);
      set_member_error (error, "format", reason);
      return NULL;
    }
  if (!get_typed (object, "version", NULL, G_TYPE_INT64, FALSE, &node, error))
    return NULL;
  if (json_node_get_int (node) < 1 || json_node_get_int (node) > FORMAT_VERSION)
    {
      g_autofree char *reason = g_strdup_printf (_("is %lld; this Regulars "
                                                   "reads version %d"),
                                                 (long long) json_node_get_int (node),
                                                 FORMAT_VERSION);
      set_member_error (error, "version", reason);
      return NULL;
    }
  if (!check_members (object, NULL, known, error))
    return NULL;

  if (!get_string (object, "channel", NULL, &text, error))
    return NULL;
  if (!rg_card_channel_from_string (text, NULL))
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a channel (whatsapp, line or "
                                                   "wechat)"), text);
      set_member_error (error, "channel", reason);
      return NULL;
    }

  design = g_object_new (RG_TYPE_CARD_DESIGN, "channel", channel, NULL);

  if (!get_bool (object, "enabled", &flag, error))
    return NULL;
  rg_card_design_set_enabled (design, flag);
  if (!get_string (object, "title", NULL, &text, error))
    return NULL;
  rg_card_design_set_title (design, text);
  if (!get_string (object, "accent_color", NULL, &text, error))
    return NULL;
  if (!rg_card_color_parse (text, NULL, NULL, NULL))
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a colour written as #rrggbb"),
                                                 text);
      set_member_error (error, "accent_color", reason);
      return NULL;
    }
  rg_card_design_set_accent_color (design, text);

  if (!get_bool (object, "require_member_number", &flag, error))
    return NULL;
  rg_card_design_set_require_member_number (design, flag);
  if (!get_string (object, "not_found_message", NULL, &text, error))
    return NULL;
  rg_card_design_set_not_found_message (design, text);
  if (!get_string (object, "register_button_text", NULL, &text, error))
    return NULL;
  rg_card_design_set_register_button_text (design, text);
  if (!get_string (object, "register_url", NULL, &text, error))
    return NULL;
  if ((flag || text[0] != '\0') && !rg_card_register_url_check (text, &local_error))
    {
      prefix_error (error, local_error, "register_url");
      return NULL;
    }
  rg_card_design_set_register_url (design, text);

  if (!get_bool (object, "member_center_enabled", &flag, error))
    return NULL;
  rg_card_design_set_member_center_enabled (design, flag);
  if (!get_string (object, "barcode", NULL, &text, error))
    return NULL;
  if (!rg_card_barcode_from_string (text, &barcode))
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a barcode type (code128, "
                                                   "code39, ean13 or qr)"), text);
      set_member_error (error, "barcode", reason);
      return NULL;
    }
  rg_card_design_set_barcode_type (design, barcode);
  if (!get_bool (object, "show_icons", &flag, error))
    return NULL;
  rg_card_design_set_show_icons (design, flag);

  if (!get_base64 (object, "header_image", NULL, &header, error))
    return NULL;
  if (header != NULL && !rg_card_design_set_header_image (design, header, &local_error))
    {
      prefix_error (error, local_error, "header_image");
      return NULL;
    }

  node = json_object_get_member (object, "fields");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *reason = node == NULL
        ? g_strdup (_("is missing"))
        : g_strdup_printf (_("expected a list, found %s"), node_kind (node));
      set_member_error (error, "fields", reason);
      return NULL;
    }
  fields = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    if (!read_field (design, json_array_get_element (fields, i), i, error))
      return NULL;

  if (!rg_card_design_validate (design, error))
    return NULL;

  rg_card_design_clear_dirty (design);
  return g_steal_pointer (&design);
}
