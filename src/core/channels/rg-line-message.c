/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-line-message"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-channel-error-private.h"
#include "rg-channel-json-private.h"
#include "rg-line-message.h"

#define MAX_URI_LENGTH 1000

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_propagate_error (error, _rg_channel_error_new (RG_CHANNEL_ERROR_INVALID_REQUEST, 0, NULL, -1,
                                                   NULL, message));
  return FALSE;
}

/**
 * rg_line_text_length:
 * @text: UTF-8 text
 *
 * LINE counts text limits in UTF-16 code units: an emoji outside the Basic Multilingual Plane
 * counts 2.
 *
 * Returns: the length of @text in UTF-16 code units
 */
glong
rg_line_text_length (const char *text)
{
  glong units = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    units += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;

  return units;
}

static gboolean
fail_message (guint        index,
              const char  *detail,
              GError     **error)
{
  g_autofree char *message = NULL;

  if (index > 0)
    /* Translators: %u is the position of the message in the request, %s what is wrong with it */
    message = g_strdup_printf (_("LINE message %u: %s"), index, detail);
  else
    message = g_strdup_printf (_("LINE message: %s"), detail);
  return fail (error, message);
}

/* @index: the 1-based position of the message in a request, or 0 when building one */
static gboolean
check_text (guint        index,
            const char  *what,
            const char  *text,
            glong        max_length,
            GError     **error)
{
  g_autofree char *detail = NULL;
  glong length;

  if (text == NULL || text[0] == '\0')
    {
      /* Translators: %s is a part of a LINE message, such as “the text” or “the alternative text” */
      detail = g_strdup_printf (_("%s is empty"), what);
      return fail_message (index, detail, error);
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      detail = g_strdup_printf (_("%s is not valid UTF-8"), what);
      return fail_message (index, detail, error);
    }

  length = rg_line_text_length (text);
  if (length > max_length)
    {
      /* Translators: %s is a part of a LINE message such as “the text” */
      detail = g_strdup_printf (_("%s is %ld characters long (counted in UTF-16 code units); "
                                  "LINE accepts at most %ld"),
                                what, length, max_length);
      return fail_message (index, detail, error);
    }

  return TRUE;
}

/**
 * rg_line_message_new_text:
 * @text: the message text, 1 to %RG_LINE_MAX_TEXT_LENGTH UTF-16 code units
 * @error: return location for a %RG_CHANNEL_ERROR_INVALID_REQUEST error
 *
 * Returns: (transfer full): `{"type":"text","text":…}`, or %NULL if @text breaks LINE's limits
 */
JsonNode *
rg_line_message_new_text (const char  *text,
                          GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!check_text (0, _("the text"), text, RG_LINE_MAX_TEXT_LENGTH, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_text_component (JsonBuilder *builder,
                    const char  *text,
                    gboolean     bold)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "wrap");
  json_builder_add_boolean_value (builder, TRUE);
  if (bold)
    {
      json_builder_set_member_name (builder, "weight");
      json_builder_add_string_value (builder, "bold");
      json_builder_set_member_name (builder, "size");
      json_builder_add_string_value (builder, "lg");
    }
  json_builder_end_object (builder);
}

static gboolean
check_uri (const char  *uri,
           GError     **error)
{
  g_autofree char *message = NULL;
  g_autofree char *scheme = NULL;

  scheme = uri != NULL ? g_uri_parse_scheme (uri) : NULL;
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0 &&
       g_ascii_strcasecmp (scheme, "line") != 0 && g_ascii_strcasecmp (scheme, "tel") != 0))
    {
      message = g_strdup_printf (_("LINE message: the button link “%s” must start with "
                                   "https://, http://, line:// or tel:"),
                                 uri != NULL ? uri : "");
      return fail (error, message);
    }

  if (strlen (uri) > MAX_URI_LENGTH)
    {
      message = g_strdup_printf (_("LINE message: the button link is %zu characters long; "
                                   "LINE accepts at most %d"),
                                 strlen (uri), MAX_URI_LENGTH);
      return fail (error, message);
    }

  return TRUE;
}

/**
 * rg_line_message_new_flex_bubble:
 * @alt_text: what notifications and old clients show, 1 to %RG_LINE_MAX_ALT_TEXT_LENGTH
 * @title: (nullable): a bold first line
 * @text: the body text
 * @button_label: the label of the button in the footer
 * @button_uri: where the button leads (https://, http://, line:// or tel:)
 * @error: return location for a %RG_CHANNEL_ERROR_INVALID_REQUEST error
 *
 * Builds a flex message holding one bubble: an optional title and a text in the body, and one
 * URI button in the footer (e.g. “Open my member card”).
 *
 * Returns: (transfer full): the message, or %NULL if a part breaks LINE's limits
 */
JsonNode *
rg_line_message_new_flex_bubble (const char  *alt_text,
                                 const char  *title,
                                 const char  *text,
                                 const char  *button_label,
                                 const char  *button_uri,
                                 GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!check_text (0, _("the alternative text"), alt_text, RG_LINE_MAX_ALT_TEXT_LENGTH, error) ||
      (title != NULL && !check_text (0, _("the title"), title, RG_LINE_MAX_TEXT_LENGTH, error)) ||
      !check_text (0, _("the text"), text, RG_LINE_MAX_TEXT_LENGTH, error) ||
      !check_text (0, _("the button label"), button_label, RG_LINE_MAX_TEXT_LENGTH, error) ||
      !check_uri (button_uri, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "flex");
  json_builder_set_member_name (builder, "altText");
  json_builder_add_string_value (builder, alt_text);
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "bubble");

  json_builder_set_member_name (builder, "body");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "box");
  json_builder_set_member_name (builder, "layout");
  json_builder_add_string_value (builder, "vertical");
  json_builder_set_member_name (builder, "spacing");
  json_builder_add_string_value (builder, "md");
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  if (title != NULL)
    add_text_component (builder, title, TRUE);
  add_text_component (builder, text, FALSE);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "footer");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "box");
  json_builder_set_member_name (builder, "layout");
  json_builder_add_string_value (builder, "vertical");
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "button");
  json_builder_set_member_name (builder, "style");
  json_builder_add_string_value (builder, "primary");
  json_builder_set_member_name (builder, "action");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "uri");
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, button_label);
  json_builder_set_member_name (builder, "uri");
  json_builder_add_string_value (builder, button_uri);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * rg_line_messages_validate:
 * @messages: an array of message objects
 * @error: return location for a %RG_CHANNEL_ERROR_INVALID_REQUEST error naming the message
 *
 * Checks what LINE would reject, so a bad message fails before it is sent: 1 to
 * %RG_LINE_MAX_MESSAGES objects, each with a `type`; text messages with 1 to
 * %RG_LINE_MAX_TEXT_LENGTH UTF-16 code units; flex messages with an `altText` of at most
 * %RG_LINE_MAX_ALT_TEXT_LENGTH and a `contents` object.
 *
 * Returns: %TRUE if the messages may be sent
 */
gboolean
rg_line_messages_validate (JsonArray  *messages,
                           GError    **error)
{
  g_autofree char *message = NULL;
  guint n_messages;

  n_messages = messages != NULL ? json_array_get_length (messages) : 0;
  if (n_messages < 1 || n_messages > RG_LINE_MAX_MESSAGES)
    {
      message = g_strdup_printf (_("LINE accepts 1 to %d messages per request, not %u"),
                                 RG_LINE_MAX_MESSAGES, n_messages);
      return fail (error, message);
    }

  for (guint i = 0; i < n_messages; i++)
    {
      JsonObject *object = _rg_json_node_get_object (json_array_get_element (messages, i));
      const char *type = _rg_json_get_string (object, "type");

      if (type == NULL)
        {
          message = g_strdup_printf (_("LINE message %u has no “type”"), i + 1);
          return fail (error, message);
        }

      if (g_str_equal (type, "text"))
        {
          if (!check_text (i + 1, _("the text"), _rg_json_get_string (object, "text"),
                           RG_LINE_MAX_TEXT_LENGTH, error))
            return FALSE;
        }
      else if (g_str_equal (type, "flex"))
        {
          if (!check_text (i + 1, _("the alternative text"), _rg_json_get_string (object, "altText"),
                           RG_LINE_MAX_ALT_TEXT_LENGTH, error))
            return FALSE;
          if (_rg_json_get_object (object, "contents") == NULL)
            {
              message = g_strdup_printf (_("LINE message %u is a flex message without “contents”"),
                                         i + 1);
              return fail (error, message);
            }
        }
    }

  return TRUE;
}

/**
 * rg_line_hash_phone_number:
 * @e164: a phone number in E.164 form, e.g. "+886912345678"
 * @error: return location for a %RG_CHANNEL_ERROR_INVALID_REQUEST error
 *
 * LINE notification messages are addressed by the SHA-256 of the E.164 number, “+” included.
 *
 * Returns: (transfer full): 64 lowercase hex digits, or %NULL if @e164 is not E.164
 */
char *
rg_line_hash_phone_number (const char  *e164,
                           GError     **error)
{
  gsize n_digits;

  n_digits = e164 != NULL && e164[0] == '+' ? strlen (e164 + 1) : 0;
  if (n_digits < 7 || n_digits > 15 || e164[1] == '0' ||
      strspn (e164 + 1, "0123456789") != n_digits)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“%s” is not a phone number in international form (E.164, "
                                   "such as +886912345678)"),
                                 e164 != NULL ? e164 : "");
      fail (error, message);
      return NULL;
    }

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, e164, -1);
}

/**
 * rg_line_delivery_tag_validate:
 * @tag: a delivery tag for a LINE notification message
 * @error: return location for a %RG_CHANNEL_ERROR_INVALID_REQUEST error
 *
 * Returns: %TRUE if @tag has %RG_LINE_MIN_DELIVERY_TAG to %RG_LINE_MAX_DELIVERY_TAG characters
 */
gboolean
rg_line_delivery_tag_validate (const char  *tag,
                               GError     **error)
{
  glong length;

  length = tag != NULL && g_utf8_validate (tag, -1, NULL) ? g_utf8_strlen (tag, -1) : 0;
  if (length < RG_LINE_MIN_DELIVERY_TAG || length > RG_LINE_MAX_DELIVERY_TAG)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The LINE delivery tag “%s” has %ld characters; it needs %d "
                                   "to %d"),
                                 tag != NULL ? tag : "", length,
                                 RG_LINE_MIN_DELIVERY_TAG, RG_LINE_MAX_DELIVERY_TAG);
      return fail (error, message);
    }

  return TRUE;
}
