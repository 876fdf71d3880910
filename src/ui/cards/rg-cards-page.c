/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-cards-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-responder.h"
#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-cards-page-private.h"
#include "rg-cards-private.h"
#include "rg-window.h"
#include "rg-member-store.h"
#include "rg-saveable.h"

/* The Member Cards page: a tab per channel, each an RgCardEditor with its own unsaved
 * edits; Save, Revert, Export and Print act on the tab in view. */
struct _RgCardsPage
{
  GtkWidget             parent_instance;

  RgStore              *store;
  RgCardStore          *card_store;
  RgMemberStore        *member_store;
  RgCardEditor         *editors[RG_CARD_CHANNEL_COUNT];
  GtkFileChooserNative *chooser;
  GtkPrintOperation    *print_operation;
  GCancellable         *cancellable;
  GBindingGroup        *editor_bindings;

  GtkWidget            *preview_button;
  GtkWidget            *unsaved_label;
  GtkWidget            *revert_button;
  GtkWidget            *save_button;
  GtkStack             *stack;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static void saveable_iface_init (RgSaveableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RgCardsPage, rg_cards_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (RG_TYPE_SAVEABLE, saveable_iface_init))

static GParamSpec *properties[N_PROPS];

static RgCardEditor *
get_visible_editor (RgCardsPage *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return RG_IS_CARD_EDITOR (child) ? RG_CARD_EDITOR (child) : NULL;
}

static void
update_actions (RgCardsPage *self)
{
  RgCardEditor *editor = get_visible_editor (self);
  gboolean has_design = editor != NULL && rg_card_editor_get_design (editor) != NULL;
  gboolean dirty = editor != NULL && rg_card_editor_get_dirty (editor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cards.save", dirty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cards.revert", dirty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cards.export", has_design);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cards.print", has_design);
  gtk_widget_set_visible (self->unsaved_label, dirty);

  /* The Preview button follows the tab in view. */
  if (self->editor_bindings != NULL)
    g_binding_group_set_source (self->editor_bindings, editor);
}

static void
show_error_dialog (RgCardsPage  *self,
                   const char   *heading,
                   const GError *error)
{
  rg_widget_show_error (GTK_WIDGET (self), heading, error);
}

/* Saves one tab; what the merchant can fix is said in place and in a toast, a database
 * failure in a dialog. */
static gboolean
save_editor (RgCardsPage   *self,
             RgCardEditor  *editor,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  if (rg_card_editor_save (editor, &local_error))
    return TRUE;

  if (local_error->domain == RG_CARD_ERROR ||
      local_error->domain == RG_CARD_RESPONDER_ERROR ||
      local_error->domain == RG_CARD_WECHAT_ERROR)
    {
      /* Translators: the reason follows, e.g. “Not saved: the register button's URL …” */
      message = g_strdup_printf (_("Not saved: %s"), local_error->message);
      _rg_cards_add_toast (GTK_WIDGET (self), message);
    }
  else
    show_error_dialog (self, _("Could Not Save the Card"), local_error);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgCardsPage *self = RG_CARDS_PAGE (widget);
  RgCardEditor *editor = get_visible_editor (self);
  g_autofree char *message = NULL;
  RgCardChannel channel;

  if (editor == NULL || !save_editor (self, editor, NULL))
    return;

  channel = rg_card_editor_get_channel (editor);
  /* Translators: %s is a chat platform, “LINE card saved” */
  message = g_strdup_printf (_("%s card saved"), rg_card_channel_get_display_name (channel));
  _rg_cards_add_toast (widget, message);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgCardEditor *editor = get_visible_editor (RG_CARDS_PAGE (widget));

  if (editor != NULL)
    rg_card_editor_revert (editor);
}

typedef struct
{
  RgCardsPage *self;
  GFile       *file;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->self);
  g_clear_object (&export->file);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  if (!rg_card_editor_export_png_finish (RG_CARD_EDITOR (object), result, &problem, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (export->self, _("Could Not Export the Card"), error);
      return;
    }

  name = g_file_get_basename (export->file);
  if (problem != NULL)
    /* Translators: the file name, then why the barcode is missing */
    message = g_strdup_printf (_("Exported “%s”, without its barcode: %s"), name, problem);
  else
    message = g_strdup_printf (_("Exported “%s”"), name);
  _rg_cards_add_toast (GTK_WIDGET (export->self), message);
}

static void
on_export_chosen (RgCardsPage          *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  RgCardEditor *editor = get_visible_editor (self);

  if (response == GTK_RESPONSE_ACCEPT && editor != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        {
          Export *export = g_new0 (Export, 1);

          export->self = g_object_ref (self);
          export->file = g_object_ref (file);
          rg_card_editor_export_png_async (editor, file, self->cancellable, export_done_cb,
                                           export);
        }
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgCardsPage *self = RG_CARDS_PAGE (widget);
  RgCardEditor *editor = get_visible_editor (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (editor == NULL)
    return;

  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Card as PNG"),
                                               rg_widget_get_parent_window (widget),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  name = rg_card_editor_dup_export_name (editor);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_chosen), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_print_done (RgCardsPage             *self,
               GtkPrintOperationResult  result,
               GtkPrintOperation       *operation)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        show_error_dialog (self, _("Could Not Print the Card"), error);
    }

  if (self->print_operation == operation)
    g_clear_object (&self->print_operation);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RgCardsPage *self = RG_CARDS_PAGE (widget);
  RgCardEditor *editor = get_visible_editor (self);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  if (editor == NULL || rg_card_editor_get_design (editor) == NULL)
    return;

  /* The page keeps the operation until it is done: printing goes on after this returns. */
  operation = rg_card_editor_new_print_operation (editor);
  g_set_object (&self->print_operation, operation);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self,
                           G_CONNECT_SWAPPED);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    rg_widget_get_parent_window (widget), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error_dialog (self, _("Could Not Print the Card"), error);
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && self->print_operation == operation)
    g_clear_object (&self->print_operation);
}

/* The tab in view first, then the others in order. */
static guint
list_editors (RgCardsPage  *self,
              RgCardEditor *editors[RG_CARD_CHANNEL_COUNT])
{
  RgCardEditor *visible = get_visible_editor (self);
  guint n = 0;

  if (visible != NULL)
    editors[n++] = visible;
  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    if (self->editors[i] != visible)
      editors[n++] = self->editors[i];
  return n;
}

static char **
rg_cards_page_dup_unsaved (RgSaveable *saveable)
{
  RgCardsPage *self = RG_CARDS_PAGE (saveable);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  RgCardEditor *editors[RG_CARD_CHANNEL_COUNT];
  guint n = list_editors (self, editors);

  for (guint i = 0; i < n; i++)
    {
      if (rg_card_editor_get_dirty (editors[i]))
        {
          RgCardChannel channel = rg_card_editor_get_channel (editors[i]);
          /* Translators: part of a sentence, “The LINE card design and member “王小明” have
           * unsaved changes.”; %s is a chat platform */
          g_autofree char *phrase = g_strdup_printf (_("the %s card design"),
                                                     rg_card_channel_get_display_name (channel));

          g_strv_builder_add (builder, phrase);
        }
    }

  return g_strv_builder_end (builder);
}

static void
rg_cards_page_save_async (RgSaveable          *saveable,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  RgCardsPage *self = RG_CARDS_PAGE (saveable);
  g_autoptr(GTask) task = NULL;
  RgCardEditor *editors[RG_CARD_CHANNEL_COUNT];
  guint n = list_editors (self, editors);
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_cards_page_save_async);

  for (guint i = 0; i < n; i++)
    {
      if (!rg_card_editor_get_dirty (editors[i]))
        continue;

      /* In view: a refusal leaves this tab showing, its field with the focus. */
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (editors[i]));
      if (!save_editor (self, editors[i], &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  /* list_editors() put the tab that was in view first. */
  if (n > 0)
    gtk_stack_set_visible_child (self->stack, GTK_WIDGET (editors[0]));
  g_task_return_boolean (task, TRUE);
}

static void
saveable_iface_init (RgSaveableInterface *iface)
{
  iface->dup_unsaved = rg_cards_page_dup_unsaved;
  iface->save_async = rg_cards_page_save_async;
}

static void
rg_cards_page_dispose (GObject *object)
{
  RgCardsPage *self = (RgCardsPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->print_operation);

  /* Before the stack goes: its last visible-child change must not bind anything. */
  g_clear_object (&self->editor_bindings);
  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_CARDS_PAGE);
  /* dispose_template() leaves the unnamed top box of the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    self->editors[i] = NULL;

  g_clear_object (&self->card_store);
  g_clear_object (&self->member_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_cards_page_parent_class)->dispose (object);
}

static void
rg_cards_page_finalize (GObject *object)
{
  RgCardsPage *self = (RgCardsPage *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (rg_cards_page_parent_class)->finalize (object);
}

static void
rg_cards_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RgCardsPage *self = RG_CARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_cards_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RgCardsPage *self = RG_CARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rg_cards_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_cards_page_class_init (RgCardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_cards_page_dispose;
  object_class->finalize = rg_cards_page_finalize;
  object_class->get_property = rg_cards_page_get_property;
  object_class->set_property = rg_cards_page_set_property;

  /**
   * RgCardsPage:store:
   *
   * The database; the window gives it to every page that has this property.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_CARD_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-cards-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RgCardsPage, preview_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardsPage, unsaved_label);
  gtk_widget_class_bind_template_child (widget_class, RgCardsPage, revert_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, RgCardsPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);

  gtk_widget_class_install_action (widget_class, "cards.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "cards.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "cards.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "cards.print", NULL, print_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "cards.save", NULL);
}

static void
rg_cards_page_init (RgCardsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->editor_bindings = g_binding_group_new ();
  g_binding_group_bind (self->editor_bindings, "preview-revealed", self->preview_button, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    {
      GtkWidget *editor = rg_card_editor_new (i);
      GtkStackPage *page;

      self->editors[i] = RG_CARD_EDITOR (editor);
      page = gtk_stack_add_titled (self->stack, editor, rg_card_channel_to_string (i),
                                   rg_card_channel_get_display_name (i));
      /* The switcher marks a tab with unsaved edits. */
      g_object_bind_property (editor, "dirty", page, "needs-attention", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (editor, "notify::dirty", G_CALLBACK (update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (editor, "notify::design", G_CALLBACK (update_actions), self,
                               G_CONNECT_SWAPPED);

      /* Picking a member in one tab previews the same member in all three. */
      if (i > 0)
        g_object_bind_property (self->editors[i - 1], "preview-data", editor, "preview-data",
                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
    }

  update_actions (self);
}

GtkWidget *
rg_cards_page_new (void)
{
  return g_object_new (RG_TYPE_CARDS_PAGE, NULL);
}

RgStore *
rg_cards_page_get_store (RgCardsPage *self)
{
  g_return_val_if_fail (RG_IS_CARDS_PAGE (self), NULL);

  return self->store;
}

/**
 * rg_cards_page_set_store:
 * @store: (nullable): the database
 *
 * Loads each channel's design from @store; unsaved edits are dropped.
 */
void
rg_cards_page_set_store (RgCardsPage *self,
                         RgStore     *store)
{
  g_return_if_fail (RG_IS_CARDS_PAGE (self));
  g_return_if_fail (store == NULL || RG_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_clear_object (&self->card_store);
  g_clear_object (&self->member_store);
  if (store != NULL)
    {
      self->card_store = rg_card_store_new (store);
      self->member_store = rg_member_store_new (store);
    }

  /* Attributes first: the field rows name custom attributes by their labels. */
  for (guint i = 0; i < RG_CARD_CHANNEL_COUNT; i++)
    {
      rg_card_editor_set_member_store (self->editors[i], self->member_store);
      rg_card_editor_set_card_store (self->editors[i], self->card_store);
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * rg_cards_page_get_editor:
 *
 * Returns: (transfer none): the tab that edits @channel's card
 */
RgCardEditor *
rg_cards_page_get_editor (RgCardsPage   *self,
                          RgCardChannel  channel)
{
  g_return_val_if_fail (RG_IS_CARDS_PAGE (self), NULL);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  return self->editors[channel];
}

RgCardChannel
rg_cards_page_get_visible_channel (RgCardsPage *self)
{
  RgCardEditor *editor;

  g_return_val_if_fail (RG_IS_CARDS_PAGE (self), 0);

  editor = get_visible_editor (self);
  return editor != NULL ? rg_card_editor_get_channel (editor) : 0;
}

void
rg_cards_page_set_visible_channel (RgCardsPage   *self,
                                   RgCardChannel  channel)
{
  g_return_if_fail (RG_IS_CARDS_PAGE (self));
  g_return_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT);

  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->editors[channel]));
}

GtkStack *
_rg_cards_page_get_stack (RgCardsPage *self)
{
  return self->stack;
}

GtkWidget *
_rg_cards_page_get_unsaved_label (RgCardsPage *self)
{
  return self->unsaved_label;
}

GtkWidget *
_rg_cards_page_get_preview_button (RgCardsPage *self)
{
  return self->preview_button;
}

GtkWidget *
_rg_cards_page_get_save_button (RgCardsPage *self)
{
  return self->save_button;
}

GtkWidget *
_rg_cards_page_get_revert_button (RgCardsPage *self)
{
  return self->revert_button;
}
