/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-window.h"
#include "cards/rg-cards-page.h"
#include "channels/rg-channels-page.h"
#include "members/rg-member-format.h"
#include "members/rg-members-page.h"
#include "notify/rg-notify-page.h"
#include "rg-save-changes-dialog.h"
#include "rg-saveable.h"

struct _RgWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;

  /* Closing with unsaved edits: the question, then the pages left to save. */
  AdwMessageDialog     *close_dialog;
  GPtrArray            *pages_to_save;
  char                 *page_before_save;

  guint                 selecting_row : 1;
  guint                 saving : 1;
  guint                 close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (RgWindow, rg_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkListBoxRow *
find_sidebar_row (RgWindow   *self,
                  const char *page_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (gtk_widget_get_name (child), page_name) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static gboolean
show_page (RgWindow   *self,
           const char *page_name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, page_name);
  GtkListBoxRow *row;

  if (page == NULL)
    return FALSE;

  gtk_stack_set_visible_child (self->stack, page);
  adw_window_title_set_title (self->content_title,
                              gtk_stack_page_get_title (gtk_stack_get_page (self->stack, page)));

  if ((row = find_sidebar_row (self, page_name)) != NULL)
    {
      self->selecting_row = TRUE;
      gtk_list_box_select_row (self->sidebar_list, row);
      self->selecting_row = FALSE;
    }

  g_settings_set_string (self->settings, "last-page", page_name);
  return TRUE;
}

static void
rg_window_show_page_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RgWindow *self = RG_WINDOW (widget);
  const char *page_name = g_variant_get_string (parameter, NULL);

  if (!show_page (self, page_name))
    {
      g_warning ("No page named “%s”", page_name);
      return;
    }

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
rg_window_back_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RgWindow *self = RG_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_sidebar_row_activated (RgWindow      *self,
                          GtkListBoxRow *row)
{
  if (self->selecting_row)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s",
                              gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
save_window_state (RgWindow *self)
{
  GtkWindow *window = GTK_WINDOW (self);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);

  /* A maximized window keeps the size it will return to when unmaximized. */
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

/* The pages that can hold edits: the one in view first, then in the sidebar's order. */
static GPtrArray *
list_saveable_pages (RgWindow *self)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *visible = gtk_stack_get_visible_child (self->stack);

  if (visible != NULL && RG_IS_SAVEABLE (visible))
    g_ptr_array_add (pages, g_object_ref (visible));

  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      if (page != visible && RG_IS_SAVEABLE (page))
        g_ptr_array_add (pages, g_object_ref (page));
    }

  return pages;
}

static char **
dup_unsaved (RgWindow *self)
{
  g_autoptr(GPtrArray) pages = list_saveable_pages (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean any = FALSE;

  for (guint i = 0; i < pages->len; i++)
    {
      g_auto(GStrv) unsaved = rg_saveable_dup_unsaved (g_ptr_array_index (pages, i));

      if (unsaved != NULL)
        {
          g_strv_builder_addv (builder, (const char **) unsaved);
          any = TRUE;
        }
    }

  return any ? g_strv_builder_end (builder) : NULL;
}

/* “The LINE card design and member “王小明” have unsaved changes.” */
static char *
describe_unsaved (const char * const *unsaved)
{
  guint n = g_strv_length ((char **) unsaved);
  g_autofree char *list = g_strdup (unsaved[0]);
  g_autofree char *sentence = NULL;
  GString *capitalized;

  for (guint i = 1; i < n; i++)
    {
      char *longer;

      if (i == n - 1)
        /* Translators: the last two things of a list, “the LINE card design and member
         * “王小明”” */
        longer = g_strdup_printf (_("%s and %s"), list, unsaved[i]);
      else
        /* Translators: things of a list before the last two, “the LINE card design, the
         * WeChat card design” */
        longer = g_strdup_printf (_("%s, %s"), list, unsaved[i]);
      g_free (list);
      list = longer;
    }

  /* Translators: %s lists what is not saved, e.g. “The LINE card design and member “王小明”
   * have unsaved changes.” */
  sentence = g_strdup_printf (ngettext ("%s has unsaved changes.", "%s have unsaved changes.", n),
                              list);

  /* The phrases fit inside a sentence; this one starts with the first of them. */
  capitalized = g_string_new (NULL);
  g_string_append_unichar (capitalized, g_unichar_totitle (g_utf8_get_char (sentence)));
  g_string_append (capitalized, g_utf8_next_char (sentence));
  return g_string_free (capitalized, FALSE);
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  RgWindow *self = user_data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

/* Not while the dialog, which goes with this window, is still answering. */
static void
close_when_idle (RgWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, close_confirmed_cb, g_object_ref (self), g_object_unref);
}

static void save_next_page (RgWindow *self);

static void
page_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved = rg_saveable_save_finish (RG_SAVEABLE (object), result, &error);

  /* The window went away meanwhile. */
  if (self->pages_to_save == NULL)
    return;

  if (!saved)
    {
      /* The page shows why, in place, and stays in view; the window stays open with the
       * edits that were not saved yet. */
      g_debug ("Not closing: %s", error->message);
      self->saving = FALSE;
      g_clear_pointer (&self->pages_to_save, g_ptr_array_unref);
      g_clear_pointer (&self->page_before_save, g_free);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      return;
    }

  save_next_page (self);
}

static void
save_next_page (RgWindow *self)
{
  while (self->pages_to_save != NULL && self->pages_to_save->len > 0)
    {
      g_autoptr(GtkWidget) page = g_ptr_array_steal_index (self->pages_to_save, 0);
      g_auto(GStrv) unsaved = rg_saveable_dup_unsaved (RG_SAVEABLE (page));
      GtkStackPage *stack_page = gtk_stack_get_page (self->stack, page);

      if (unsaved == NULL)
        continue;

      /* In view, so that a refusal shows next to what it is about. */
      show_page (self, gtk_stack_page_get_name (stack_page));
      rg_saveable_save_async (RG_SAVEABLE (page), NULL, page_saved_cb, g_object_ref (self));
      return;
    }

  /* The page the merchant left is the one the next window opens with. */
  if (self->page_before_save != NULL)
    show_page (self, self->page_before_save);
  g_clear_pointer (&self->pages_to_save, g_ptr_array_unref);
  g_clear_pointer (&self->page_before_save, g_free);
  close_when_idle (self);
}

static void
on_close_response (RgWindow         *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  /* Answered: a later close request asks again. */
  g_clear_weak_pointer (&self->close_dialog);

  if (g_str_equal (response, "discard"))
    close_when_idle (self);
  else if (g_str_equal (response, "save"))
    {
      self->saving = TRUE;
      self->page_before_save = g_strdup (gtk_stack_get_visible_child_name (self->stack));
      self->pages_to_save = list_saveable_pages (self);
      save_next_page (self);
    }
}

static void
ask_to_save (RgWindow           *self,
             const char * const *unsaved)
{
  g_autofree char *body = describe_unsaved (unsaved);
  AdwMessageDialog *dialog;

  dialog = rg_save_changes_dialog_new (GTK_WINDOW (self), body);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->close_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Edits are never dropped silently: the pages say what they hold unsaved (Ctrl+W, Ctrl+Q
 * and the close button all come here). */
static gboolean
rg_window_close_request (GtkWindow *window)
{
  RgWindow *self = RG_WINDOW (window);

  if (!self->close_confirmed)
    {
      g_auto(GStrv) unsaved = NULL;

      /* Asked already, or saving: that answers this request too. */
      if (self->close_dialog != NULL)
        {
          gtk_window_present (GTK_WINDOW (self->close_dialog));
          return TRUE;
        }
      if (self->saving)
        return TRUE;

      if ((unsaved = dup_unsaved (self)) != NULL)
        {
          ask_to_save (self, (const char * const *) unsaved);
          return TRUE;
        }
    }

  save_window_state (self);
  return GTK_WINDOW_CLASS (rg_window_parent_class)->close_request (window);
}

/* Pages that work on the database have a `store` property; they get the application's. */
static void
give_store_to_pages (RgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *currency = NULL;
  RgStore *store;

  if (!RG_IS_APPLICATION (app) || (store = rg_application_get_store (RG_APPLICATION (app))) == NULL)
    return;

  currency = rg_store_dup_currency (store);
  rg_format_set_shop_currency (currency);

  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (page), "store");

      if (pspec != NULL && pspec->value_type == RG_TYPE_STORE)
        g_object_set (page, "store", store, NULL);
    }
}

static void
rg_window_dispose (GObject *object)
{
  RgWindow *self = (RgWindow *)object;

  g_clear_weak_pointer (&self->close_dialog);
  g_clear_pointer (&self->pages_to_save, g_ptr_array_unref);
  g_clear_pointer (&self->page_before_save, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_WINDOW);

  G_OBJECT_CLASS (rg_window_parent_class)->dispose (object);
}

static void
rg_window_finalize (GObject *object)
{
  RgWindow *self = (RgWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rg_window_parent_class)->finalize (object);
}

static void
rg_window_class_init (RgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rg_window_dispose;
  object_class->finalize = rg_window_finalize;

  window_class->close_request = rg_window_close_request;

  g_type_ensure (RG_TYPE_CARDS_PAGE);
  g_type_ensure (RG_TYPE_CHANNELS_PAGE);
  g_type_ensure (RG_TYPE_MEMBERS_PAGE);
  g_type_ensure (RG_TYPE_NOTIFY_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/rg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RgWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, RgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RgWindow, content_title);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", rg_window_show_page_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, rg_window_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
rg_window_init (RgWindow *self)
{
  g_autofree char *last_page = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  if (!show_page (self, last_page))
    show_page (self, "members");
}

RgWindow *
rg_window_new (RgApplication *application)
{
  RgWindow *self;

  g_return_val_if_fail (RG_IS_APPLICATION (application), NULL);

  self = g_object_new (RG_TYPE_WINDOW,
                       "application", application,
                       NULL);
  /* “application” is no construct property: constructed() runs before it is set. */
  give_store_to_pages (self);
  return self;
}

/**
 * rg_window_get_visible_page:
 *
 * Returns: the name of the page on screen (“members”, “cards” …)
 */
const char *
rg_window_get_visible_page (RgWindow *self)
{
  g_return_val_if_fail (RG_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * rg_window_add_toast:
 * @toast: (transfer full): the toast, as adw_toast_overlay_add_toast() takes it
 */
void
rg_window_add_toast (RgWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (RG_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * rg_widget_get_parent_window:
 *
 * Returns: (nullable) (transfer none): the window @widget is in, for dialogs to stay on top of
 */
GtkWindow *
rg_widget_get_parent_window (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/**
 * rg_widget_add_toast:
 * @toast: (transfer full): the toast
 *
 * Shows @toast in the main window @widget is in; drops it when @widget is in none.
 */
void
rg_widget_add_toast (GtkWidget *widget,
                     AdwToast  *toast)
{
  g_autoptr(AdwToast) owned = toast;
  GtkWidget *window;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if ((window = gtk_widget_get_ancestor (widget, RG_TYPE_WINDOW)) != NULL)
    rg_window_add_toast (RG_WINDOW (window), g_steal_pointer (&owned));
}

/**
 * rg_widget_show_error:
 *
 * A failure that needs acknowledging: logged, and shown in a dialog over @widget's window.
 */
void
rg_widget_show_error (GtkWidget    *widget,
                      const char   *heading,
                      const GError *error)
{
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  g_warning ("%s: %s", heading, error->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (rg_widget_get_parent_window (widget),
                                                       heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
