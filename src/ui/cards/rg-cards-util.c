/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cards"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-cards-private.h"
#include "rg-window.h"

/**
 * _rg_cards_add_toast:
 * @widget: any widget inside the main window
 * @message: plain text; it may carry a member's or merchant's text, so it is escaped
 *
 * Shows @message in the window's toast overlay (nothing outside a window).
 */
void
_rg_cards_add_toast (GtkWidget  *widget,
                     const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  /* libadwaita 1.2 reads toast titles as Pango markup. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  rg_widget_add_toast (widget, toast);
}

/**
 * _rg_cards_field_icon_name:
 *
 * Returns: a theme icon close to the renderer's default glyph for @field_id, for the
 *   designer's rows; the glyphs are drawn by the core and not public, and the preview next
 *   to the rows shows them exactly
 */
const char *
_rg_cards_field_icon_name (const char *field_id)
{
  static const struct
  {
    const char *field_id;
    const char *icon_name;
  } icons[] = {
    { RG_CARD_FIELD_NAME, "avatar-default-symbolic" },
    { RG_CARD_FIELD_MEMBER_NUMBER, "auth-smartcard-symbolic" },
    { RG_CARD_FIELD_PHONE, "phone-symbolic" },
    { RG_CARD_FIELD_EMAIL, "mail-unread-symbolic" },
    { RG_CARD_FIELD_ACCUMULATED_POINTS, "starred-symbolic" },
    { RG_CARD_FIELD_POINTS_BALANCE, "semi-starred-symbolic" },
    { RG_CARD_FIELD_STORED_VALUE, "accessories-calculator-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (icons[i].field_id, field_id) == 0)
      return icons[i].icon_name;
  return "user-bookmarks-symbolic";
}

/**
 * _rg_cards_dup_field_name:
 * @attributes: (nullable): the members' attribute definitions
 *
 * Returns: (transfer full): what @field_id is, for the designer: “Points balance”, or a
 *   custom attribute's label
 */
char *
_rg_cards_dup_field_name (const char *field_id,
                          GListModel *attributes)
{
  const char *label = rg_card_field_id_get_default_label (field_id);
  const char *key;
  guint n;

  if (label != NULL)
    return g_strdup (label);

  key = field_id;
  if (g_str_has_prefix (field_id, RG_CARD_FIELD_ATTRIBUTE_PREFIX))
    key += strlen (RG_CARD_FIELD_ATTRIBUTE_PREFIX);

  n = attributes != NULL ? g_list_model_get_n_items (attributes) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (attributes, i);

      if (g_str_equal (rg_attribute_definition_get_key (definition), key))
        return g_strdup (rg_attribute_definition_get_label (definition));
    }
  return g_strdup (key);
}

/**
 * _rg_cards_show_message:
 * @widget: what to show or hide: the label itself or a row around it
 * @message: (nullable): the text, %NULL to hide @widget
 */
void
_rg_cards_show_message (GtkWidget  *widget,
                        GtkLabel   *label,
                        const char *message)
{
  if (message != NULL)
    gtk_label_set_text (label, message);
  gtk_widget_set_visible (widget, message != NULL);
}
