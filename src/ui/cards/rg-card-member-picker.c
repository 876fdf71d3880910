/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-member-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-field.h"
#include "rg-card-member-picker-private.h"
#include "rg-member-list.h"

/* Whose card the preview shows: the sample member or any real one. Members come from the
 * lazy RgMemberList, so the picker reads only the rows it shows, even for a million. */
struct _RgCardMemberPicker
{
  GtkWidget       parent_instance;

  RgMemberStore  *member_store;
  RgMemberList   *members;
  GListModel     *attributes;
  char           *currency;
  RgCardData     *data;
  /* The member @data was made from here; 0 for the sample or data from elsewhere. */
  gint64          member_id;

  GtkMenuButton  *button;
  GtkLabel       *button_label;
  GtkPopover     *popover;
  GtkSearchEntry *search_entry;
  GtkStack       *list_stack;
  GtkListView    *list_view;
  GtkNoSelection *selection;
  GtkLabel       *empty_label;
};

enum {
  PROP_0,
  PROP_MEMBER_STORE,
  PROP_CURRENCY,
  PROP_DATA,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgCardMemberPicker, rg_card_member_picker, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static char *
member_detail (GtkListItem *item,
               const char  *member_number,
               const char  *phone_display)
{
  gboolean has_number = member_number != NULL && member_number[0] != '\0';
  gboolean has_phone = phone_display != NULL && phone_display[0] != '\0';

  if (!has_number && !has_phone)
    return g_strdup (_("No member number"));
  if (!has_number)
    /* Translators: %s is a phone number */
    return g_strdup_printf (_("No member number · %s"), phone_display);
  if (!has_phone)
    return g_strdup (member_number);
  /* Translators: a member number and a phone number */
  return g_strdup_printf (_("%s · %s"), member_number, phone_display);
}

static void
update_button_label (RgCardMemberPicker *self)
{
  g_autofree char *text = NULL;
  const char *name;
  const char *number;

  if (self->data == NULL || rg_card_data_get_is_sample (self->data))
    {
      gtk_label_set_text (self->button_label, _("Sample Member"));
      return;
    }

  name = rg_card_data_get_value (self->data, RG_CARD_FIELD_NAME);
  number = rg_card_data_get_member_number (self->data);
  if (name == NULL)
    name = _("Unnamed member");
  if (number != NULL)
    /* Translators: a member's name and member number */
    text = g_strdup_printf (_("%s (%s)"), name, number);
  else
    text = g_strdup (name);
  gtk_label_set_text (self->button_label, text);
}

static void
set_data (RgCardMemberPicker *self,
          RgCardData         *data,
          gint64              member_id)
{
  self->member_id = member_id;
  if (!g_set_object (&self->data, data))
    return;

  update_button_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

static void
load_attributes (RgCardMemberPicker *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->attributes);
  if (self->member_store == NULL)
    return;

  /* Without the definitions, yes/no attributes read “yes”/“no”: still a card. */
  self->attributes = rg_member_store_list_attributes (self->member_store, &error);
  if (self->attributes == NULL)
    g_warning ("Custom attribute definitions unavailable: %s", error->message);
}

static void
pick (RgCardMemberPicker *self,
      RgMember           *member)
{
  g_autoptr(RgCardData) data = rg_card_data_new_for_member (member, self->attributes,
                                                            self->currency);

  set_data (self, data, rg_member_get_id (member));
}

static void
update_empty (RgCardMemberPicker *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n = self->members != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->members)) : 0;

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (search[0] != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("No member matches “%s”"), search);

      gtk_label_set_text (self->empty_label, text);
    }
  else
    gtk_label_set_text (self->empty_label, _("No members yet"));
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
on_search_changed (RgCardMemberPicker *self,
                   GtkSearchEntry     *entry)
{
  if (self->members != NULL)
    rg_member_list_set_search (self->members, gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_empty (self);
}

static void
on_list_activate (RgCardMemberPicker *self,
                  guint               position,
                  GtkListView        *list_view)
{
  g_autoptr(RgMember) member = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (member == NULL)
    return;

  pick (self, member);
  gtk_popover_popdown (self->popover);
}

static void
on_search_activate (RgCardMemberPicker *self,
                    GtkSearchEntry     *entry)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    on_list_activate (self, 0, self->list_view);
}

static void
on_popover_show (RgCardMemberPicker *self,
                 GtkPopover         *popover)
{
  /* Other pages keep their own member stores: what they changed shows from here on. */
  if (self->members != NULL)
    rg_member_list_reload (self->members);
  load_attributes (self);
  update_empty (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sample_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgCardMemberPicker *self = RG_CARD_MEMBER_PICKER (widget);

  rg_card_member_picker_pick_sample (self);
  gtk_popover_popdown (self->popover);
}

/* The member may have changed on the members page (its own store object) since it was
 * picked: read it again whenever the preview comes into view. */
static void
rg_card_member_picker_map (GtkWidget *widget)
{
  RgCardMemberPicker *self = RG_CARD_MEMBER_PICKER (widget);

  GTK_WIDGET_CLASS (rg_card_member_picker_parent_class)->map (widget);

  if (self->member_id != 0 && self->member_store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!rg_card_member_picker_pick_member (self, self->member_id, &error))
        {
          g_debug ("The previewed member is gone, back to the sample: %s", error->message);
          rg_card_member_picker_pick_sample (self);
        }
    }
}

static void
rg_card_member_picker_dispose (GObject *object)
{
  RgCardMemberPicker *self = (RgCardMemberPicker *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CARD_MEMBER_PICKER);

  g_clear_object (&self->members);
  g_clear_object (&self->member_store);
  g_clear_object (&self->attributes);
  g_clear_object (&self->data);

  G_OBJECT_CLASS (rg_card_member_picker_parent_class)->dispose (object);
}

static void
rg_card_member_picker_finalize (GObject *object)
{
  RgCardMemberPicker *self = (RgCardMemberPicker *)object;

  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (rg_card_member_picker_parent_class)->finalize (object);
}

static void
rg_card_member_picker_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RgCardMemberPicker *self = RG_CARD_MEMBER_PICKER (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      g_value_set_object (value, self->member_store);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_DATA:
      g_value_set_object (value, self->data);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_member_picker_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RgCardMemberPicker *self = RG_CARD_MEMBER_PICKER (object);

  switch (prop_id)
    {
    case PROP_MEMBER_STORE:
      rg_card_member_picker_set_member_store (self, g_value_get_object (value));
      break;

    case PROP_CURRENCY:
      rg_card_member_picker_set_currency (self, g_value_get_string (value));
      break;

    case PROP_DATA:
      rg_card_member_picker_set_data (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_member_picker_class_init (RgCardMemberPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_card_member_picker_dispose;
  object_class->finalize = rg_card_member_picker_finalize;
  object_class->get_property = rg_card_member_picker_get_property;
  object_class->set_property = rg_card_member_picker_set_property;

  widget_class->map = rg_card_member_picker_map;

  properties[PROP_MEMBER_STORE] =
    g_param_spec_object ("member-store", NULL, NULL,
                         RG_TYPE_MEMBER_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardMemberPicker:currency:
   *
   * The shop's currency (ISO 4217), for the stored value on the card.
   */
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardMemberPicker:data:
   *
   * What the card shows for the chosen member.
   */
  properties[PROP_DATA] =
    g_param_spec_object ("data", NULL, NULL,
                         RG_TYPE_CARD_DATA,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_MEMBER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-card-member-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, button);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, button_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, selection);
  gtk_widget_class_bind_template_child (widget_class, RgCardMemberPicker, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, member_detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);

  gtk_widget_class_install_action (widget_class, "picker.sample", NULL, sample_action);
}

static void
rg_card_member_picker_init (RgCardMemberPicker *self)
{
  g_autoptr(RgCardData) sample = rg_card_data_new_sample ();

  gtk_widget_init_template (GTK_WIDGET (self));

  set_data (self, sample, 0);
  update_empty (self);
}

GtkWidget *
rg_card_member_picker_new (void)
{
  return g_object_new (RG_TYPE_CARD_MEMBER_PICKER, NULL);
}

RgMemberStore *
rg_card_member_picker_get_member_store (RgCardMemberPicker *self)
{
  g_return_val_if_fail (RG_IS_CARD_MEMBER_PICKER (self), NULL);

  return self->member_store;
}

/**
 * rg_card_member_picker_set_member_store:
 * @member_store: (nullable): where the members come from
 */
void
rg_card_member_picker_set_member_store (RgCardMemberPicker *self,
                                        RgMemberStore      *member_store)
{
  g_return_if_fail (RG_IS_CARD_MEMBER_PICKER (self));
  g_return_if_fail (member_store == NULL || RG_IS_MEMBER_STORE (member_store));

  if (!g_set_object (&self->member_store, member_store))
    return;

  gtk_no_selection_set_model (self->selection, NULL);
  if (self->members != NULL)
    g_signal_handlers_disconnect_by_data (self->members, self);
  g_clear_object (&self->members);
  self->member_id = 0;

  if (member_store != NULL)
    {
      self->members = rg_member_list_new (member_store);
      rg_member_list_set_search (self->members,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      g_signal_connect_object (self->members, "items-changed", G_CALLBACK (update_empty), self,
                               G_CONNECT_SWAPPED);
      gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->members));
    }

  load_attributes (self);
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_STORE]);
}

const char *
rg_card_member_picker_get_currency (RgCardMemberPicker *self)
{
  g_return_val_if_fail (RG_IS_CARD_MEMBER_PICKER (self), NULL);

  return self->currency;
}

void
rg_card_member_picker_set_currency (RgCardMemberPicker *self,
                                    const char         *currency)
{
  g_return_if_fail (RG_IS_CARD_MEMBER_PICKER (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

/**
 * rg_card_member_picker_get_data:
 *
 * Returns: (transfer none): what the card shows for the chosen member
 */
RgCardData *
rg_card_member_picker_get_data (RgCardMemberPicker *self)
{
  g_return_val_if_fail (RG_IS_CARD_MEMBER_PICKER (self), NULL);

  return self->data;
}

/**
 * rg_card_member_picker_set_data:
 * @data: card data chosen elsewhere (another channel's picker)
 */
void
rg_card_member_picker_set_data (RgCardMemberPicker *self,
                                RgCardData         *data)
{
  g_return_if_fail (RG_IS_CARD_MEMBER_PICKER (self));
  g_return_if_fail (RG_IS_CARD_DATA (data));

  if (self->data == data)
    return;
  set_data (self, data, 0);
}

void
rg_card_member_picker_pick_sample (RgCardMemberPicker *self)
{
  g_autoptr(RgCardData) sample = NULL;

  g_return_if_fail (RG_IS_CARD_MEMBER_PICKER (self));

  sample = rg_card_data_new_sample ();
  set_data (self, sample, 0);
}

/**
 * rg_card_member_picker_pick_member:
 * @member_id: the member's id in the store
 *
 * Returns: %TRUE if the member was read and is now previewed
 */
gboolean
rg_card_member_picker_pick_member (RgCardMemberPicker  *self,
                                   gint64               member_id,
                                   GError             **error)
{
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RG_IS_CARD_MEMBER_PICKER (self), FALSE);
  g_return_val_if_fail (self->member_store != NULL, FALSE);

  member = rg_member_store_get (self->member_store, member_id, &local_error);
  if (member == NULL)
    {
      if (local_error == NULL)
        {
          /* xgettext cannot read G_GINT64_FORMAT: the number goes in as text. */
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);

          g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("There is no member with the id %s"), id);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  pick (self, member);
  return TRUE;
}

GtkMenuButton *
_rg_card_member_picker_get_button (RgCardMemberPicker *self)
{
  return self->button;
}

GtkSearchEntry *
_rg_card_member_picker_get_search_entry (RgCardMemberPicker *self)
{
  return self->search_entry;
}

GtkListView *
_rg_card_member_picker_get_list_view (RgCardMemberPicker *self)
{
  return self->list_view;
}

GListModel *
_rg_card_member_picker_get_members (RgCardMemberPicker *self)
{
  return G_LIST_MODEL (self->members);
}
