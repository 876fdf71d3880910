/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-notify-overview.h"
#include "rg-notify-page-private.h"
#include "rg-notify-stats.h"
#include "rg-saveable.h"
#include "rg-window.h"

/* The notification settings with their overview over a period, a chart of the last 30 days
 * (of the selected setting, or of all), and the ways in: create, edit, duplicate, disable,
 * send a test and export. Settings are never deleted: triggers refer to them. */

#define CHART_DAYS 30

static const guint period_days[] = { 7, 30, 90 };

struct _RgNotifyPage
{
  GtkWidget             parent_instance;

  RgStore              *store;
  RgNotifySettingStore *settings;
  GListStore           *overviews;

  /* Dialogs the page opened, for tests; cleared when they go away. */
  RgNotifyEditor       *editor;
  RgNotifyTestDialog   *test_dialog;
  RgNotifyExportDialog *export_dialog;

  GtkStack             *state_stack;
  GtkDropDown          *period_dropdown;
  GtkLabel             *count_label;
  GtkLabel             *chart_title;
  RgNotifyChart        *chart;
  GtkColumnView        *column_view;
  GtkSingleSelection   *selection;

  guint                 selecting : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_PERIOD_DAYS,
  N_PROPS
};

static void saveable_iface_init (RgSaveableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RgNotifyPage, rg_notify_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (RG_TYPE_SAVEABLE, saveable_iface_init))

static GParamSpec *properties[N_PROPS];

static GVariant *
id_target (GtkListItem *item,
           const char  *id)
{
  /* Never a NULL target: an action with a parameter would warn about the missing one. */
  return g_variant_new_string (id != NULL ? id : "");
}

/* The action is named once the target is there: GTK warns about an action without its
 * parameter. */
static char *
copy_id_action_name (GtkListItem *item,
                     const char  *id)
{
  return id != NULL ? g_strdup ("notify.copy-id") : NULL;
}

static char *
copy_id_tooltip (GtkListItem *item,
                 const char  *id)
{
  return g_strdup (_("Copy Setting ID"));
}

static GMenuModel *
row_menu (GtkListItem *item,
          const char  *id,
          gboolean     enabled)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) main_section = g_menu_new ();
  g_autoptr(GMenu) state_section = g_menu_new ();
  static const struct {
    const char *label;
    const char *action;
  } entries[] = {
    { N_("_Edit…"), "notify.edit" },
    { N_("_Duplicate"), "notify.duplicate" },
    { N_("Send _Test…"), "notify.send-test" },
    { N_("_Copy Setting ID"), "notify.copy-id" },
  };

  if (id == NULL)
    return G_MENU_MODEL (menu);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(GMenuItem) entry = g_menu_item_new (_(entries[i].label), NULL);

      g_menu_item_set_action_and_target_value (entry, entries[i].action,
                                               g_variant_new_string (id));
      g_menu_append_item (main_section, entry);
    }

  {
    g_autoptr(GMenuItem) toggle = g_menu_item_new (enabled ? _("_Disable") : _("_Enable"), NULL);

    g_menu_item_set_action_and_target_value (toggle, "notify.toggle-enabled",
                                             g_variant_new_string (id));
    g_menu_append_item (state_section, toggle);
  }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (main_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (state_section));
  return G_MENU_MODEL (menu);
}

static char *
row_menu_tooltip (GtkListItem *item,
                  const char  *name)
{
  /* Translators: tooltip of a notification's menu button, “Actions for “Shipped”” */
  return g_strdup_printf (_("Actions for “%s”"), name != NULL ? name : "");
}

static GtkWindow *
get_parent_window (RgNotifyPage *self)
{
  return rg_widget_get_parent_window (GTK_WIDGET (self));
}

static void
add_toast (RgNotifyPage *self,
           AdwToast     *toast)
{
  rg_widget_add_toast (GTK_WIDGET (self), g_object_ref (toast));
}

static void
show_error (RgNotifyPage *self,
            const char   *heading,
            const GError *error)
{
  rg_widget_show_error (GTK_WIDGET (self), heading, error);
}

static RgNotifyOverview *
find_overview (RgNotifyPage *self,
               const char   *id,
               guint        *position)
{
  GListModel *overviews = G_LIST_MODEL (self->overviews);
  guint n = g_list_model_get_n_items (overviews);

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (overviews, i);

      if (g_strcmp0 (rg_notify_overview_get_id (overview), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&overview);
        }
    }

  return NULL;
}

static RgNotifyOverview *
get_selected (RgNotifyPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* The start of the first day of the period, in the shop's time zone: “last 7 days” is
 * today and the six days before. */
static GDateTime *
dup_period_start (RgNotifyPage *self,
                  guint         days)
{
  g_autoptr(GTimeZone) tz = rg_store_dup_timezone (self->store);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) first = g_date_time_add_days (now, 1 - (int) days);

  return g_date_time_new (tz, g_date_time_get_year (first), g_date_time_get_month (first),
                          g_date_time_get_day_of_month (first), 0, 0, 0);
}

static void
update_chart (RgNotifyPage *self)
{
  RgNotifyOverview *selected = get_selected (self);
  const char *selected_id = selected != NULL ? rg_notify_overview_get_id (selected) : NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *title = NULL;

  if (self->store == NULL)
    {
      rg_notify_chart_set_days (self->chart, NULL);
      return;
    }

  now = g_date_time_new_now_utc ();
  days = rg_notify_stats_query_daily (self->store, selected_id, now, CHART_DAYS, &error);
  if (days == NULL)
    g_warning ("Could not count the deliveries of the last days: %s", error->message);
  rg_notify_chart_set_days (self->chart, days);

  if (selected != NULL)
    /* Translators: above the chart when one notification is selected, “Deliveries of
     * “Shipped” in the last 30 days” */
    title = g_strdup_printf (ngettext ("Deliveries of “%s” in the last %u day",
                                       "Deliveries of “%s” in the last %u days", CHART_DAYS),
                             rg_notify_setting_get_name (rg_notify_overview_get_setting (selected)),
                             CHART_DAYS);
  else
    title = g_strdup_printf (ngettext ("Deliveries in the last %u day",
                                       "Deliveries in the last %u days", CHART_DAYS),
                             CHART_DAYS);
  gtk_label_set_text (self->chart_title, title);
}

static void
update_state (RgNotifyPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->overviews));
  g_autofree char *count = NULL;

  count = g_strdup_printf (ngettext ("%u notification", "%u notifications", n), n);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->state_stack, n > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notify.new", self->settings != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notify.export", self->store != NULL);
}

static void
select_position (RgNotifyPage *self,
                 guint         position)
{
  GtkWidget *list_view;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  /* gtk_column_view_scroll_to() is GTK 4.12; the list view inside has this action. */
  for (list_view = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       list_view != NULL && !GTK_IS_LIST_VIEW (list_view);
       list_view = gtk_widget_get_next_sibling (list_view))
    ;
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

/**
 * rg_notify_page_reload:
 *
 * Reads the settings and their overview over the period again, keeping the selection.
 */
void
rg_notify_page_reload (RgNotifyPage *self)
{
  g_autoptr(GListModel) settings = NULL;
  g_autoptr(GPtrArray) overviews = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgNotifyOverview) found = NULL;
  g_autofree char *selected_id = NULL;
  RgNotifyOverview *selected;
  guint position;

  g_return_if_fail (RG_IS_NOTIFY_PAGE (self));

  if ((selected = get_selected (self)) != NULL)
    selected_id = g_strdup (rg_notify_overview_get_id (selected));

  overviews = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->settings != NULL)
    {
      if ((settings = rg_notify_setting_store_list (self->settings, &error)) == NULL)
        g_warning ("Could not read the notification settings: %s", error->message);
      from = dup_period_start (self, rg_notify_page_get_period_days (self));
    }

  for (guint i = 0; settings != NULL && i < g_list_model_get_n_items (settings); i++)
    {
      g_autoptr(RgNotifySetting) setting = g_list_model_get_item (settings, i);
      g_autoptr(GError) stats_error = NULL;
      RgNotifyStats stats;

      if (!rg_notify_stats_query (self->store, rg_notify_setting_get_id (setting), from, NULL,
                                  &stats, &stats_error))
        {
          g_warning ("Could not count the notifications of “%s”: %s",
                     rg_notify_setting_get_id (setting), stats_error->message);
          g_ptr_array_add (overviews, rg_notify_overview_new (setting, NULL));
          continue;
        }
      g_ptr_array_add (overviews, rg_notify_overview_new (setting, &stats));
    }

  self->selecting = TRUE;
  g_list_store_splice (self->overviews, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->overviews)),
                       overviews->pdata, overviews->len);
  if ((found = find_overview (self, selected_id, &position)) != NULL)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selecting = FALSE;

  update_state (self);
  update_chart (self);
}

static void
on_settings_changed (RgNotifyPage *self,
                     const char   *id)
{
  rg_notify_page_reload (self);
}

static void
on_period_selected (RgNotifyPage *self,
                    GParamSpec   *pspec,
                    GtkDropDown  *dropdown)
{
  rg_notify_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD_DAYS]);
}

static void
on_selected_item_changed (RgNotifyPage       *self,
                          GParamSpec         *pspec,
                          GtkSingleSelection *selection)
{
  if (self->selecting)
    return;

  update_chart (self);
}

static void
on_row_activated (RgNotifyPage  *self,
                  guint          position,
                  GtkColumnView *column_view)
{
  g_autoptr(RgNotifyOverview) overview = NULL;

  overview = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (overview != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "notify.edit", "s",
                                rg_notify_overview_get_id (overview));
}

static void
on_editor_saved (RgNotifyPage    *self,
                 RgNotifySetting *setting,
                 gboolean         was_new,
                 RgNotifyEditor  *editor)
{
  g_autofree char *name = g_markup_escape_text (rg_notify_setting_get_name (setting), -1);
  g_autoptr(AdwToast) toast = NULL;

  rg_notify_page_select_setting (self, rg_notify_setting_get_id (setting));

  if (was_new)
    /* Translators: a toast after creating a notification, “Created “Shipped”” */
    toast = adw_toast_new_format (_("Created “%s”"), name);
  else
    /* Translators: a toast after editing a notification, “Saved “Shipped”” */
    toast = adw_toast_new_format (_("Saved “%s”"), name);
  add_toast (self, toast);
}

static void
open_editor (RgNotifyPage    *self,
             RgNotifySetting *setting)
{
  RgNotifyEditor *editor;

  if (self->settings == NULL)
    return;

  /* One editor at a time: a second request shows the open one. */
  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }

  editor = rg_notify_editor_new (get_parent_window (self), self->settings, setting);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->editor, editor);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (RG_NOTIFY_PAGE (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(RgNotifyOverview) overview = find_overview (self, id, NULL);

  if (overview != NULL)
    open_editor (self, rg_notify_overview_get_setting (overview));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  g_autoptr(RgNotifySetting) copy = NULL;
  g_autoptr(AdwToast) toast = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (self->settings == NULL)
    return;

  if (!(copy = rg_notify_setting_store_duplicate (self->settings,
                                                  g_variant_get_string (parameter, NULL), &error)))
    {
      show_error (self, _("Could Not Duplicate the Notification"), error);
      return;
    }

  rg_notify_page_select_setting (self, rg_notify_setting_get_id (copy));
  name = g_markup_escape_text (rg_notify_setting_get_name (copy), -1);
  /* Translators: a toast after duplicating a notification, “Created “Shipped (copy)”” */
  toast = adw_toast_new_format (_("Created “%s”"), name);
  add_toast (self, toast);
}

static void
set_enabled (RgNotifyPage *self,
             const char   *id,
             gboolean      enabled,
             gboolean      offer_undo);

static void
undo_toggle (RgNotifyPage *self,
             AdwToast     *toast)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "rg-setting-id");
  gboolean enabled = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "rg-enabled"));

  set_enabled (self, id, !enabled, FALSE);
}

static void
set_enabled (RgNotifyPage *self,
             const char   *id,
             gboolean      enabled,
             gboolean      offer_undo)
{
  g_autoptr(RgNotifyOverview) overview = find_overview (self, id, NULL);
  g_autoptr(AdwToast) toast = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  RgNotifySetting *setting;

  if (self->settings == NULL || overview == NULL)
    return;

  setting = rg_notify_overview_get_setting (overview);
  name = g_markup_escape_text (rg_notify_setting_get_name (setting), -1);
  if (!rg_notify_setting_store_set_enabled (self->settings, id, enabled, &error))
    {
      show_error (self, enabled ? _("Could Not Enable the Notification")
                                : _("Could Not Disable the Notification"), error);
      return;
    }

  if (enabled)
    /* Translators: a toast, ““Shipped” is on again” */
    toast = adw_toast_new_format (_("“%s” is on again"), name);
  else
    /* Translators: a toast after disabling a notification; new triggers for it are refused */
    toast = adw_toast_new_format (_("“%s” is off: new triggers for it are refused"), name);

  if (offer_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data_full (G_OBJECT (toast), "rg-setting-id", g_strdup (id), g_free);
      g_object_set_data (G_OBJECT (toast), "rg-enabled", GINT_TO_POINTER (enabled));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_toggle), self,
                               G_CONNECT_SWAPPED);
    }
  add_toast (self, toast);
}

static void
toggle_enabled_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(RgNotifyOverview) overview = find_overview (self, id, NULL);

  if (overview != NULL)
    set_enabled (self, id,
                 !rg_notify_setting_get_enabled (rg_notify_overview_get_setting (overview)), TRUE);
}

static void
copy_trigger_id (RgNotifyPage *self,
                 AdwToast     *toast)
{
  const char *trigger_id = g_object_get_data (G_OBJECT (toast), "rg-trigger-id");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), trigger_id);
}

static void
on_test_sent (RgNotifyPage       *self,
              const char         *trigger_id,
              RgNotifyTestDialog *dialog)
{
  g_autoptr(AdwToast) toast = NULL;

  /* Translators: a toast after Send Test; %s is the trigger's ID, “tr_…” */
  toast = adw_toast_new_format (_("Test notification accepted as %s"), trigger_id);
  adw_toast_set_button_label (toast, _("_Copy ID"));
  g_object_set_data_full (G_OBJECT (toast), "rg-trigger-id", g_strdup (trigger_id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (copy_trigger_id), self,
                           G_CONNECT_SWAPPED);
  add_toast (self, toast);

  rg_notify_page_reload (self);
}

static void
send_test_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(RgNotifyOverview) overview = find_overview (self, id, NULL);
  RgNotifyTestDialog *dialog;

  if (overview == NULL || self->store == NULL)
    return;

  if (self->test_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->test_dialog));

  dialog = rg_notify_test_dialog_new (get_parent_window (self), self->store,
                                      rg_notify_overview_get_setting (overview));
  g_signal_connect_object (dialog, "sent", G_CALLBACK (on_test_sent), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->test_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(AdwToast) toast = NULL;

  if (id[0] == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), id);
  /* Translators: a toast after copying a Setting ID, “Copied ns_…” */
  toast = adw_toast_new_format (_("Copied %s"), id);
  add_toast (self, toast);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  RgNotifyExportDialog *dialog;

  if (self->store == NULL)
    return;

  if (self->export_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->export_dialog));
      return;
    }

  first = dup_period_start (self, rg_notify_page_get_period_days (self));
  last = g_date_time_add_days (first, rg_notify_page_get_period_days (self) - 1);
  dialog = rg_notify_export_dialog_new (get_parent_window (self), self->store, first, last);
  g_set_weak_pointer (&self->export_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shortcuts that act on the selected row. */
static gboolean
activate_on_selected (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (widget);
  RgNotifyOverview *selected = get_selected (self);
  const char *action = g_variant_get_string (args, NULL);

  if (selected == NULL)
    return FALSE;

  return gtk_widget_activate_action (widget, action, "s", rg_notify_overview_get_id (selected));
}

static void
rg_notify_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rg_notify_page_parent_class)->map (widget);

  /* The service delivers while the page is away; show where things stand now. */
  rg_notify_page_reload (RG_NOTIFY_PAGE (widget));
}

/* The open editor's edits are the page's: they go with the main window. */
static char **
rg_notify_page_dup_unsaved (RgSaveable *saveable)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (saveable);
  RgNotifySetting *setting;
  char **unsaved;

  if (self->editor == NULL || !rg_notify_editor_get_dirty (self->editor))
    return NULL;

  setting = rg_notify_editor_get_setting (self->editor);
  unsaved = g_new0 (char *, 2);
  if (setting != NULL)
    /* Translators: part of a sentence, “The notification “Shipped” has unsaved changes.” */
    unsaved[0] = g_strdup_printf (_("the notification “%s”"),
                                  rg_notify_setting_get_name (setting));
  else
    /* Translators: part of a sentence, “The new notification has unsaved changes.” */
    unsaved[0] = g_strdup (_("the new notification"));
  return unsaved;
}

static void
rg_notify_page_save_async (RgSaveable          *saveable,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (saveable);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_notify_page_save_async);

  if (self->editor == NULL || !rg_notify_editor_get_dirty (self->editor))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Saved, the editor closes; refused, it shows why next to the field. */
  if (!rg_notify_editor_save (self->editor))
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The notification was not saved; its editor says why"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
saveable_iface_init (RgSaveableInterface *iface)
{
  iface->dup_unsaved = rg_notify_page_dup_unsaved;
  iface->save_async = rg_notify_page_save_async;
}

static void
rg_notify_page_dispose (GObject *object)
{
  RgNotifyPage *self = (RgNotifyPage *)object;

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  if (self->test_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->test_dialog));
  if (self->export_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->export_dialog));
  g_clear_weak_pointer (&self->editor);
  g_clear_weak_pointer (&self->test_dialog);
  g_clear_weak_pointer (&self->export_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_NOTIFY_PAGE);

  g_clear_object (&self->overviews);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_notify_page_parent_class)->dispose (object);
}

static void
rg_notify_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_PERIOD_DAYS:
      g_value_set_uint (value, rg_notify_page_get_period_days (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgNotifyPage *self = RG_NOTIFY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rg_notify_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_PERIOD_DAYS:
      rg_notify_page_set_period_days (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_page_class_init (RgNotifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_notify_page_dispose;
  object_class->get_property = rg_notify_page_get_property;
  object_class->set_property = rg_notify_page_set_property;

  widget_class->map = rg_notify_page_map;

  /**
   * RgNotifyPage:store:
   * The database; the window gives it to every page that has this property.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgNotifyPage:period-days:
   * The days the overview counts, today included: 7, 30 or 90.
   */
  properties[PROP_PERIOD_DAYS] =
    g_param_spec_uint ("period-days", NULL, NULL,
                       7, 90, 30,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_NOTIFY_CHART);
  g_type_ensure (RG_TYPE_NOTIFY_OVERVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-notify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, chart_title);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, chart);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RgNotifyPage, selection);
  gtk_widget_class_bind_template_callback (widget_class, on_period_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, id_target);
  gtk_widget_class_bind_template_callback (widget_class, copy_id_action_name);
  gtk_widget_class_bind_template_callback (widget_class, copy_id_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, row_menu_tooltip);

  gtk_widget_class_install_action (widget_class, "notify.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "notify.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "notify.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "notify.toggle-enabled", "s",
                                   toggle_enabled_action);
  gtk_widget_class_install_action (widget_class, "notify.send-test", "s", send_test_action);
  gtk_widget_class_install_action (widget_class, "notify.copy-id", "s", copy_id_action);
  gtk_widget_class_install_action (widget_class, "notify.export", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "notify.new", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                activate_on_selected, "s", "notify.duplicate");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                activate_on_selected, "s", "notify.send-test");
}

static void
rg_notify_page_init (RgNotifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->overviews = g_list_store_new (RG_TYPE_NOTIFY_OVERVIEW);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->overviews));
  gtk_drop_down_set_selected (self->period_dropdown, 1);

  update_state (self);
  update_chart (self);
}

GtkWidget *
rg_notify_page_new (void)
{
  return g_object_new (RG_TYPE_NOTIFY_PAGE, NULL);
}

RgStore *
rg_notify_page_get_store (RgNotifyPage *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_PAGE (self), NULL);

  return self->store;
}

/**
 * rg_notify_page_set_store:
 * @store: (nullable): the database
 */
void
rg_notify_page_set_store (RgNotifyPage *self,
                          RgStore      *store)
{
  g_return_if_fail (RG_IS_NOTIFY_PAGE (self));
  g_return_if_fail (store == NULL || RG_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      self->settings = rg_notify_setting_store_new (store);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                               G_CONNECT_SWAPPED);
    }

  rg_notify_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * rg_notify_page_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings of the page's database; edits made
 *   through it show on the page at once
 */
RgNotifySettingStore *
rg_notify_page_get_settings (RgNotifyPage *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_PAGE (self), NULL);

  return self->settings;
}

guint
rg_notify_page_get_period_days (RgNotifyPage *self)
{
  guint selected;

  g_return_val_if_fail (RG_IS_NOTIFY_PAGE (self), 30);

  selected = gtk_drop_down_get_selected (self->period_dropdown);
  return selected < G_N_ELEMENTS (period_days) ? period_days[selected] : 30;
}

/**
 * rg_notify_page_set_period_days:
 * @days: 7, 30 or 90
 */
void
rg_notify_page_set_period_days (RgNotifyPage *self,
                                guint         days)
{
  g_return_if_fail (RG_IS_NOTIFY_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (period_days); i++)
    if (period_days[i] == days)
      {
        gtk_drop_down_set_selected (self->period_dropdown, i);
        return;
      }

  g_warning ("%u days is not a period of the notifications page; use 7, 30 or 90", days);
}

/**
 * rg_notify_page_select_setting:
 *
 * Selects the setting, scrolls to it and shows its chart.
 *
 * Returns: %TRUE when the page lists @setting_id
 */
gboolean
rg_notify_page_select_setting (RgNotifyPage *self,
                               const char   *setting_id)
{
  g_autoptr(RgNotifyOverview) overview = NULL;
  guint position;

  g_return_val_if_fail (RG_IS_NOTIFY_PAGE (self), FALSE);

  if ((overview = find_overview (self, setting_id, &position)) == NULL)
    return FALSE;

  select_position (self, position);
  return TRUE;
}

const char *
_rg_notify_page_get_state (RgNotifyPage *self)
{
  return gtk_stack_get_visible_child_name (self->state_stack);
}

GListModel *
_rg_notify_page_get_model (RgNotifyPage *self)
{
  return G_LIST_MODEL (self->overviews);
}

GtkColumnView *
_rg_notify_page_get_column_view (RgNotifyPage *self)
{
  return self->column_view;
}

RgNotifyChart *
_rg_notify_page_get_chart (RgNotifyPage *self)
{
  return self->chart;
}

GtkLabel *
_rg_notify_page_get_chart_title (RgNotifyPage *self)
{
  return self->chart_title;
}

RgNotifyEditor *
_rg_notify_page_get_editor (RgNotifyPage *self)
{
  return self->editor;
}

RgNotifyTestDialog *
_rg_notify_page_get_test_dialog (RgNotifyPage *self)
{
  return self->test_dialog;
}

RgNotifyExportDialog *
_rg_notify_page_get_export_dialog (RgNotifyPage *self)
{
  return self->export_dialog;
}
