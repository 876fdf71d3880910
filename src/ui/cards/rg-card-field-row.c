/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-field-row"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-field-row.h"
#include "rg-cards-private.h"
#include "rg-window.h"

/* One displayed field in the designer: its label, its icon, and its place in the order
 * (arrows for the keyboard, drag and drop for the mouse). */
struct _RgCardFieldRow
{
  AdwExpanderRow        parent_instance;

  RgCardDesign         *design;
  RgCardField          *field;
  char                 *field_name;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;

  GtkImage             *icon_image;
  GtkWidget            *up_button;
  GtkWidget            *down_button;
  AdwEntryRow          *label_row;
  AdwActionRow         *icon_row;
  GtkWidget            *message_row;
  GtkLabel             *message_label;

  double                drag_x;
  double                drag_y;
};

enum {
  PROP_0,
  PROP_DESIGN,
  PROP_FIELD,
  PROP_FIELD_NAME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgCardFieldRow, rg_card_field_row, ADW_TYPE_EXPANDER_ROW)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  RgCardDesign *design;
  RgCardField  *field;
  guint         position;
} RemovedField;

static void
removed_field_free (RemovedField *removed)
{
  g_clear_object (&removed->design);
  g_clear_object (&removed->field);
  g_free (removed);
}

static gboolean
release_row (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Moving or removing a field makes the list replace this row while its own handler runs;
 * the row stays alive until GTK is done with the event. */
static void
hold_until_idle (RgCardFieldRow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, release_row, g_object_ref (self), g_object_unref);
}

static void
show_message (RgCardFieldRow *self,
              const char     *message)
{
  _rg_cards_show_message (self->message_row, self->message_label, message);
  if (message != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
}

static gboolean
label_to_title (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  const char *label = g_value_get_string (from);

  g_value_set_string (to, label != NULL && label[0] != '\0' ? label : _("No label"));
  return TRUE;
}

/* The field's name under its label, unless the label says just that. */
static gboolean
label_to_subtitle (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  RgCardFieldRow *self = user_data;

  g_value_set_string (to, g_strcmp0 (g_value_get_string (from), self->field_name) != 0
                          ? self->field_name : NULL);
  return TRUE;
}

static void
update_icon (RgCardFieldRow *self)
{
  GBytes *png = rg_card_field_get_icon (self->field);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (png != NULL && (texture = gdk_texture_new_from_bytes (png, &error)) != NULL)
    {
      g_autofree char *subtitle =
        g_strdup_printf (_("Uploaded PNG, %d × %d pixels"),
                         gdk_texture_get_width (texture), gdk_texture_get_height (texture));

      gtk_image_set_from_paintable (self->icon_image, GDK_PAINTABLE (texture));
      adw_action_row_set_subtitle (self->icon_row, subtitle);
    }
  else
    {
      if (error != NULL)
        g_warning ("Field “%s”: the icon was accepted but cannot be shown: %s",
                   rg_card_field_get_id (self->field), error->message);
      gtk_image_set_from_icon_name (self->icon_image,
                                    _rg_cards_field_icon_name (rg_card_field_get_id (self->field)));
      adw_action_row_set_subtitle (self->icon_row, _("Default icon"));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "field.reset-icon", png != NULL);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (widget);
  gboolean up = g_str_equal (action_name, "field.move-up");
  GtkWidget *list = gtk_widget_get_parent (widget);
  guint n = rg_card_design_get_n_fields (self->design);
  GtkListBoxRow *moved;
  int position;
  guint to;

  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));
  if (position < 0 || !GTK_IS_LIST_BOX (list))
    return;
  if (up ? position == 0 : (guint) position + 1 >= n)
    return;

  to = up ? (guint) position - 1 : (guint) position + 1;
  hold_until_idle (self);
  rg_card_design_move_field (self->design, position, to);

  /* The list made a new row for the moved field: keep the keyboard on its arrow, or on the
   * other one when the field reached the end. */
  moved = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), to);
  if (RG_IS_CARD_FIELD_ROW (moved))
    {
      RgCardFieldRow *row = RG_CARD_FIELD_ROW (moved);
      GtkWidget *button = up ? row->up_button : row->down_button;

      if (!gtk_widget_get_sensitive (button))
        button = up ? row->down_button : row->up_button;
      gtk_widget_grab_focus (button);
    }
}

static void
undo_remove (AdwToast     *toast,
             RemovedField *removed)
{
  g_autoptr(GError) error = NULL;

  if (!rg_card_design_insert_field (removed->design, removed->position, removed->field, &error))
    g_warning ("Could not put the field back: %s", error->message);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, RG_TYPE_WINDOW);
  RemovedField *removed;
  int position;

  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));
  if (position < 0)
    return;

  removed = g_new0 (RemovedField, 1);
  removed->design = g_object_ref (self->design);
  removed->field = g_object_ref (self->field);
  removed->position = position;

  hold_until_idle (self);
  rg_card_design_remove_field (self->design, position);

  if (window != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("“%s” removed from the card"),
                                                rg_card_field_get_label (removed->field));
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_remove),
                             removed, (GClosureNotify) removed_field_free, 0);
      rg_window_add_toast (RG_WINDOW (window), toast);
    }
  else
    removed_field_free (removed);
}

static void
icon_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RgCardFieldRow) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *message = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    message = g_strdup_printf (_("“%s” could not be read: %s"), name, error->message);
  else if (!rg_card_field_set_icon (self->field, bytes, &error))
    /* Translators: “wide.png”: The icon is 120×80 pixels; icons must be square (1:1) */
    message = g_strdup_printf (_("“%s”: %s"), name, error->message);

  show_message (self, message);
  if (message != NULL)
    {
      g_message ("Icon refused: %s", message);
      _rg_cards_add_toast (GTK_WIDGET (self), message);
    }
}

static void
on_icon_chosen (RgCardFieldRow       *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        rg_card_field_row_load_icon (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
upload_icon_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Upload Icon"),
                                               rg_widget_get_parent_window (widget),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Upload"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_icon_chosen), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_icon_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (widget);

  rg_card_field_reset_icon (self->field);
  show_message (self, NULL);
}

static GdkContentProvider *
on_drag_prepare (RgCardFieldRow *self,
                 double          x,
                 double          y,
                 GtkDragSource  *source)
{
  self->drag_x = x;
  self->drag_y = y;
  return gdk_content_provider_new_typed (RG_TYPE_CARD_FIELD, self->field);
}

static void
on_drag_begin (RgCardFieldRow *self,
               GdkDrag        *drag,
               GtkDragSource  *source)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *copy = rg_card_field_row_new (self->design, self->field, self->field_name);

  /* The dragged row looks like itself, on its own little boxed list. */
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_size_request (list, gtk_widget_get_width (GTK_WIDGET (self)), -1);
  gtk_list_box_append (GTK_LIST_BOX (list), copy);
  gtk_drag_icon_set_child (GTK_DRAG_ICON (gtk_drag_icon_get_for_drag (drag)), list);
  gdk_drag_set_hotspot (drag, (int) self->drag_x, (int) self->drag_y);

  gtk_widget_set_opacity (GTK_WIDGET (self), 0.4);
}

static void
on_drag_end (RgCardFieldRow *self,
             GdkDrag        *drag,
             gboolean        delete_data,
             GtkDragSource  *source)
{
  gtk_widget_set_opacity (GTK_WIDGET (self), 1.0);
}

static gboolean
on_drop (RgCardFieldRow *self,
         const GValue   *value,
         double          x,
         double          y,
         GtkDropTarget  *target)
{
  RgCardField *field;
  guint from, to;
  int position;

  if (!G_VALUE_HOLDS (value, RG_TYPE_CARD_FIELD))
    return FALSE;
  field = g_value_get_object (value);

  /* Only this card's own fields: another channel's design has its own copies. */
  if (field == NULL ||
      rg_card_design_find_field (self->design, rg_card_field_get_id (field), &from) != field)
    return FALSE;

  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));
  if (position < 0)
    return FALSE;

  /* Dropped on the lower half of a row means after it. */
  to = position + (y > gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 ? 1 : 0);
  if (from < to)
    to--;

  if (to != from)
    {
      hold_until_idle (self);
      rg_card_design_move_field (self->design, from, to);
    }
  return TRUE;
}

static void
rg_card_field_row_constructed (GObject *object)
{
  RgCardFieldRow *self = (RgCardFieldRow *)object;

  G_OBJECT_CLASS (rg_card_field_row_parent_class)->constructed (object);

  g_assert (RG_IS_CARD_DESIGN (self->design));
  g_assert (RG_IS_CARD_FIELD (self->field));

  g_object_bind_property_full (self->field, "label", self, "subtitle", G_BINDING_SYNC_CREATE,
                               label_to_subtitle, NULL, self, NULL);
  g_object_bind_property_full (self->field, "label", self, "title", G_BINDING_SYNC_CREATE,
                               label_to_title, NULL, NULL, NULL);
  g_object_bind_property (self->field, "label", self->label_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->design, "show-icons", self->icon_image, "visible",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->design, "show-icons", self->icon_row, "visible",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->field, "notify::icon", G_CALLBACK (update_icon), self,
                           G_CONNECT_SWAPPED);
  update_icon (self);
}

static void
rg_card_field_row_dispose (GObject *object)
{
  RgCardFieldRow *self = (RgCardFieldRow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CARD_FIELD_ROW);

  G_OBJECT_CLASS (rg_card_field_row_parent_class)->dispose (object);
}

static void
rg_card_field_row_finalize (GObject *object)
{
  RgCardFieldRow *self = (RgCardFieldRow *)object;

  g_clear_object (&self->design);
  g_clear_object (&self->field);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->field_name, g_free);

  G_OBJECT_CLASS (rg_card_field_row_parent_class)->finalize (object);
}

static void
rg_card_field_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;

    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;

    case PROP_FIELD_NAME:
      g_value_set_string (value, self->field_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_field_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RgCardFieldRow *self = RG_CARD_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      self->design = g_value_dup_object (value);
      break;

    case PROP_FIELD:
      self->field = g_value_dup_object (value);
      break;

    case PROP_FIELD_NAME:
      self->field_name = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_field_row_class_init (RgCardFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_card_field_row_constructed;
  object_class->dispose = rg_card_field_row_dispose;
  object_class->finalize = rg_card_field_row_finalize;
  object_class->get_property = rg_card_field_row_get_property;
  object_class->set_property = rg_card_field_row_set_property;

  properties[PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL,
                         RG_TYPE_CARD_DESIGN,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL,
                         RG_TYPE_CARD_FIELD,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardFieldRow:field-name:
   *
   * What the field is (“Points balance”, an attribute's name), shown under its label.
   */
  properties[PROP_FIELD_NAME] =
    g_param_spec_string ("field-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-card-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, icon_image);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, label_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, icon_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, message_row);
  gtk_widget_class_bind_template_child (widget_class, RgCardFieldRow, message_label);

  gtk_widget_class_install_action (widget_class, "field.move-up", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "field.move-down", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "field.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "field.upload-icon", NULL, upload_icon_action);
  gtk_widget_class_install_action (widget_class, "field.reset-icon", NULL, reset_icon_action);
}

static void
rg_card_field_row_init (RgCardFieldRow *self)
{
  GtkDragSource *source;
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (on_drag_prepare), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (on_drag_begin), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-end", G_CALLBACK (on_drag_end), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (RG_TYPE_CARD_FIELD, GDK_ACTION_MOVE);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/**
 * rg_card_field_row_new:
 * @design: the design @field is on; the row moves and removes it there
 * @field: the field to edit
 * @field_name: what the field is, shown under its label
 */
GtkWidget *
rg_card_field_row_new (RgCardDesign *design,
                       RgCardField  *field,
                       const char   *field_name)
{
  g_return_val_if_fail (RG_IS_CARD_DESIGN (design), NULL);
  g_return_val_if_fail (RG_IS_CARD_FIELD (field), NULL);

  return g_object_new (RG_TYPE_CARD_FIELD_ROW,
                       "design", design,
                       "field", field,
                       "field-name", field_name,
                       NULL);
}

RgCardDesign *
rg_card_field_row_get_design (RgCardFieldRow *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD_ROW (self), NULL);

  return self->design;
}

RgCardField *
rg_card_field_row_get_field (RgCardFieldRow *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD_ROW (self), NULL);

  return self->field;
}

const char *
rg_card_field_row_get_field_name (RgCardFieldRow *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD_ROW (self), NULL);

  return self->field_name;
}

/**
 * rg_card_field_row_set_position:
 * @position: the row's place in the list
 * @n_fields: how many fields the card has
 *
 * Enables the arrows that can move the field.
 */
void
rg_card_field_row_set_position (RgCardFieldRow *self,
                                guint           position,
                                guint           n_fields)
{
  g_return_if_fail (RG_IS_CARD_FIELD_ROW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "field.move-up", position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "field.move-down", position + 1 < n_fields);
}

/**
 * rg_card_field_row_get_label_editable:
 *
 * Returns: (transfer none): the entry that edits the field's label
 */
GtkEditable *
rg_card_field_row_get_label_editable (RgCardFieldRow *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD_ROW (self), NULL);

  return GTK_EDITABLE (self->label_row);
}

/**
 * rg_card_field_row_load_icon:
 * @file: a PNG file
 *
 * Reads @file and makes it the field's icon. A file the core refuses (not a PNG, not
 * square, 1 MB or more) leaves the icon as it was; the reason shows in the row and in a
 * toast.
 */
void
rg_card_field_row_load_icon (RgCardFieldRow *self,
                             GFile          *file)
{
  g_return_if_fail (RG_IS_CARD_FIELD_ROW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_bytes_async (file, self->cancellable, icon_loaded_cb, g_object_ref (self));
}

/**
 * rg_card_field_row_get_message:
 *
 * Returns: (nullable): why the last icon was refused, while the row shows it
 */
const char *
rg_card_field_row_get_message (RgCardFieldRow *self)
{
  g_return_val_if_fail (RG_IS_CARD_FIELD_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->message_row))
    return NULL;
  return gtk_label_get_text (self->message_label);
}
