/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "notify/rg-notify-editor-private.h"
#include "notify/rg-notify-overview.h"
#include "notify/rg-notify-page-private.h"
#include "notify/rg-notify-test-dialog-private.h"
#include "rg-application.h"
#include "rg-notify-api.h"
#include "rg-notify-stats.h"
#include "rg-preferences-window.h"
#include "rg-secrets.h"
#include "rg-sms-length.h"
#include "rg-test-keyring.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"


/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static RgTestKeyring *keyring;
static char *tmp_dir;

typedef struct
{
  RgWindow     *window;
  RgNotifyPage *page;
  RgStore      *store;
} Fixture;





static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label_with_class (GtkWidget  *widget,
                       const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The message dialog on screen with this heading, if any. */
static AdwMessageDialog *
find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), heading) == 0)
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}


static void
click (GtkWidget  *within,
       const char *action_name)
{
  GtkWidget *button = rg_test_ui_find_button (within, action_name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* "clicked" is synchronous; gtk_widget_activate() on a button waits ~250 ms. */
  g_signal_emit_by_name (button, "clicked");
}

static RgNotifyOverview *
find_overview_by_name (RgNotifyPage *page,
                       const char   *name)
{
  GListModel *model = _rg_notify_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (model, i);

      if (g_strcmp0 (rg_notify_setting_get_name (rg_notify_overview_get_setting (overview)), name) == 0)
        return g_steal_pointer (&overview);
    }
  return NULL;
}

static RgNotifyOverview *
find_overview_by_id (RgNotifyPage *page,
                     const char   *id)
{
  GListModel *model = _rg_notify_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (model, i);

      if (g_strcmp0 (rg_notify_overview_get_id (overview), id) == 0)
        return g_steal_pointer (&overview);
    }
  return NULL;
}

static char *
dup_string_property (gpointer    object,
                     const char *property)
{
  char *value = NULL;

  g_object_get (object, property, &value, NULL);
  return value;
}

static guint64
count_triggers (RgStore    *store,
                const char *setting_id)
{
  g_autoptr(GError) error = NULL;
  RgNotifyStats stats;

  g_assert_true (rg_notify_stats_query (store, setting_id, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  return stats.triggers;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (shared_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (shared_app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);
  fixture->store = rg_application_get_store (shared_app);
  g_assert_nonnull (fixture->store);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "notifications"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "notifications");

  fixture->page = RG_NOTIFY_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window), RG_TYPE_NOTIFY_PAGE));
  g_assert_nonnull (fixture->page);
  g_assert_true (rg_notify_page_get_store (fixture->page) == fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  /* Dialogs first, the main window last, the way a user closes them. */
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (shared_app))) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
}

static void
test_notify_overview (Fixture       *fixture,
                      gconstpointer  data)
{
  RgNotifyPage *page = fixture->page;
  GListModel *model = _rg_notify_page_get_model (page);
  RgNotifyChart *chart = _rg_notify_page_get_chart (page);
  guint64 triggers_7 = 0, triggers_30 = 0, triggers_90 = 0;
  g_autoptr(RgNotifyOverview) first = NULL;
  g_autofree char *summary_all = NULL;
  g_autofree char *summary_one = NULL;
  g_autofree char *title = NULL;

  /* The demo shop has four notifications and a month of triggers. */
  g_assert_cmpstr (_rg_notify_page_get_state (page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (rg_notify_page_get_period_days (page), ==, 30);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (model, i);
      const RgNotifyStats *stats = rg_notify_overview_get_stats (overview);
      g_autofree char *label = dup_string_property (overview, "triggers-label");

      g_assert_true (g_str_has_prefix (rg_notify_overview_get_id (overview), "ns_"));
      g_assert_cmpuint (stats->completed + stats->failed, <=, stats->triggers);
      g_assert_cmpuint (stats->line_push_delivered, <=, stats->line_push_attempted);
      g_assert_cmpuint (stats->sms_delivered, <=, stats->sms_attempted);
      g_assert_nonnull (label);
      triggers_30 += stats->triggers;

      /* The Setting ID shows in its row, with its copy button. */
      g_assert_nonnull (find_label (GTK_WIDGET (_rg_notify_page_get_column_view (page)),
                                    rg_notify_overview_get_id (overview)));
    }
  g_assert_cmpuint (triggers_30, >, 0);
  g_assert_nonnull (rg_test_ui_find_button (GTK_WIDGET (_rg_notify_page_get_column_view (page)),
                                 "notify.copy-id"));

  /* The chart shows every notification until one is selected. */
  g_assert_cmpuint (rg_notify_chart_get_total (chart), >, 0);
  g_assert_cmpuint (rg_notify_chart_get_days (chart)->len, ==, 30);
  g_assert_cmpstr (gtk_label_get_text (_rg_notify_page_get_chart_title (page)), ==,
                   "Deliveries in the last 30 days");
  summary_all = rg_notify_chart_dup_summary (chart);
  g_assert_true (g_str_has_prefix (summary_all, "Deliveries in the last 30 days: "));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "notify-page");

  first = g_list_model_get_item (model, 0);
  g_assert_true (rg_notify_page_select_setting (page, rg_notify_overview_get_id (first)));
  title = g_strdup_printf ("Deliveries of “%s” in the last 30 days",
                           rg_notify_setting_get_name (rg_notify_overview_get_setting (first)));
  g_assert_cmpstr (gtk_label_get_text (_rg_notify_page_get_chart_title (page)), ==, title);
  summary_one = rg_notify_chart_dup_summary (chart);
  g_assert_cmpstr (summary_one, !=, summary_all);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "notify-page-selected");

  /* A shorter period counts fewer triggers, a longer one at least as many. */
  rg_notify_page_set_period_days (page, 7);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (model, i);
      triggers_7 += rg_notify_overview_get_stats (overview)->triggers;
    }
  rg_notify_page_set_period_days (page, 90);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RgNotifyOverview) overview = g_list_model_get_item (model, i);
      triggers_90 += rg_notify_overview_get_stats (overview)->triggers;
    }
  g_assert_cmpuint (triggers_7, <, triggers_30);
  g_assert_cmpuint (triggers_90, >=, triggers_30);
  rg_notify_page_set_period_days (page, 30);

  /* The selection survived the reloads. */
  g_assert_cmpstr (gtk_label_get_text (_rg_notify_page_get_chart_title (page)), ==, title);
}

static void
set_text (GtkTextBuffer *buffer,
          const char    *text)
{
  gtk_text_buffer_set_text (buffer, text, -1);
}

static void
test_notify_create_and_send (Fixture       *fixture,
                             gconstpointer  data)
{
  RgNotifyPage *page = fixture->page;
  GListModel *model = _rg_notify_page_get_model (page);
  guint before = g_list_model_get_n_items (model);
  RgNotifyEditor *editor;
  RgNotifyTestDialog *dialog;
  AdwEntryRow *name_row;
  GtkLabel *count;
  GtkLabel *counter;
  AdwEntryRow *sample;
  const char *message;
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(RgNotifyOverview) created = NULL;
  g_autoptr(RgNotifyOverview) reloaded = NULL;
  g_autoptr(RgNotifySetting) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sms_71 = g_strnfill (71, 'a');
  g_autofree char *sms_70 = g_strnfill (70, 'a');
  g_autofree char *expected_counter = NULL;
  g_autofree char *triggers_label = NULL;
  g_autofree char *status_label = NULL;
  g_autofree char *id = NULL;
  RgSmsLength length;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.new", NULL));
  editor = _rg_notify_page_get_editor (page);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  rg_test_ui_wait_for_draw (GTK_WIDGET (editor));
  g_assert_null (rg_notify_editor_get_setting (editor));

  /* A name of 51 characters (Chinese ones: characters, not bytes, count) is refused in place. */
  name_row = _rg_notify_editor_get_name_row (editor);
  count = _rg_notify_editor_get_name_count (editor);
  for (guint i = 0; i < 51; i++)
    g_string_append (long_name, "茶");
  gtk_editable_set_text (GTK_EDITABLE (name_row), long_name->str);
  g_assert_cmpstr (gtk_label_get_text (count), ==, "51/50");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (count), "error"));
  g_assert_true (rg_notify_editor_get_dirty (editor));
  g_assert_false (rg_notify_editor_save (editor));
  message = _rg_notify_editor_get_field_error (editor, "name");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "51"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (name_row), "error"));
  g_assert_null (_rg_notify_editor_get_field_error (editor, "general"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before);
  g_assert_nonnull (editor);

  /* Typing again clears the message. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "取貨通知");
  g_assert_cmpstr (gtk_label_get_text (count), ==, "4/50");
  g_assert_null (_rg_notify_editor_get_field_error (editor, "name"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (name_row), "error"));

  adw_combo_row_set_selected (_rg_notify_editor_get_scenario_row (editor), 1);
  g_assert_cmpstr (rg_notify_setting_get_scenario (rg_notify_editor_get_draft (editor)), ==, "shipped");
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_editor_get_footer_row (editor)),
                         "https://tea.example.com/orders");
  set_text (_rg_notify_editor_get_line_buffer (editor),
            "{{name}} 您好，訂單 {{order_id}} 已可取貨。");

  /* A placeholder that is no variable name is refused where it is written, with its place. */
  set_text (_rg_notify_editor_get_sms_buffer (editor), "晨葉茶行：訂單 {{bad var}} 已可取貨。");
  g_assert_false (rg_notify_editor_save (editor));
  message = _rg_notify_editor_get_field_error (editor, "sms_text");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "{{bad var}}"));
  g_assert_nonnull (strstr (message, "character 9"));
  g_assert_null (_rg_notify_editor_get_field_error (editor, "name"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (editor), "notify-editor-error");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before);

  /* The SMS counter: 70 characters are one message, 71 two, shown as a warning. */
  counter = _rg_notify_editor_get_sms_counter (editor);
  set_text (_rg_notify_editor_get_sms_buffer (editor), sms_71);
  g_assert_null (_rg_notify_editor_get_field_error (editor, "sms_text"));
  g_assert_cmpstr (gtk_label_get_text (counter), ==, "71 characters · 2 messages");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (counter), "warning"));
  set_text (_rg_notify_editor_get_sms_buffer (editor), sms_70);
  g_assert_cmpstr (gtk_label_get_text (counter), ==, "70 characters · 1 message");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (counter), "warning"));

  /* The preview renders the texts with the sample values of the variables they use. */
  set_text (_rg_notify_editor_get_sms_buffer (editor), "晨葉茶行：{{name}}，訂單 {{order_id}} 已可取貨。");
  sample = _rg_notify_editor_get_sample_row (editor, "name");
  g_assert_nonnull (sample);
  gtk_editable_set_text (GTK_EDITABLE (sample), "林小姐");
  sample = _rg_notify_editor_get_sample_row (editor, "order_id");
  g_assert_nonnull (sample);
  gtk_editable_set_text (GTK_EDITABLE (sample), "ML240001");
  g_assert_null (_rg_notify_editor_get_sample_row (editor, "bad"));
  g_assert_cmpstr (_rg_notify_editor_get_preview (editor, RG_NOTIFY_STEP_LINE_PUSH), ==,
                   "林小姐 您好，訂單 ML240001 已可取貨。");
  g_assert_cmpstr (_rg_notify_editor_get_preview (editor, RG_NOTIFY_STEP_LINE_PNP), ==,
                   "https://tea.example.com/orders");
  g_assert_cmpstr (_rg_notify_editor_get_preview (editor, RG_NOTIFY_STEP_SMS), ==,
                   "晨葉茶行：林小姐，訂單 ML240001 已可取貨。");
  length = rg_sms_length ("晨葉茶行：林小姐，訂單 ML240001 已可取貨。");
  expected_counter = g_strdup_printf ("%u characters · 1 message", length.characters);
  g_assert_cmpstr (gtk_label_get_text (counter), ==, expected_counter);

  /* Two hours before SMS. */
  gtk_drop_down_set_selected (_rg_notify_editor_get_wait_unit (editor), 1);
  gtk_spin_button_set_value (_rg_notify_editor_get_wait_spin (editor), 2);
  g_assert_cmpuint (rg_notify_setting_get_sms_wait_seconds (rg_notify_editor_get_draft (editor)),
                    ==, 2 * 3600);

  /* From the top, as it opens. */
  gtk_widget_grab_focus (GTK_WIDGET (name_row));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (editor), "notify-editor");

  g_assert_true (rg_notify_editor_save (editor));
  rg_test_ui_iterate ();
  g_assert_null (editor);
  g_assert_null (_rg_notify_page_get_editor (page));

  /* It is listed with its Setting ID, selected, and its chart is calm: nothing sent yet. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before + 1);
  created = find_overview_by_name (page, "取貨通知");
  g_assert_nonnull (created);
  id = g_strdup (rg_notify_overview_get_id (created));
  g_assert_true (g_str_has_prefix (id, "ns_"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_nonnull (find_label (GTK_WIDGET (_rg_notify_page_get_column_view (page)), id));
  g_assert_cmpuint (rg_notify_chart_get_total (_rg_notify_page_get_chart (page)), ==, 0);
  {
    g_autofree char *summary = rg_notify_chart_dup_summary (_rg_notify_page_get_chart (page));
    g_assert_cmpstr (summary, ==, "No notifications in the last 30 days");
  }
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "notify-page-created");

  stored = rg_notify_setting_store_get (rg_notify_page_get_settings (page), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_notify_setting_get_name (stored), ==, "取貨通知");
  g_assert_cmpuint (rg_notify_setting_get_steps (stored), ==,
                    RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP | RG_NOTIFY_STEP_SMS);
  g_assert_cmpuint (rg_notify_setting_get_sms_wait_seconds (stored), ==, 7200);
  g_assert_cmpuint (count_triggers (fixture->store, id), ==, 0);

  /* Send Test…: the phone and every variable are checked in place. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.send-test", "s", id));
  dialog = _rg_notify_page_get_test_dialog (page);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));

  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_phone_row (dialog)), "12345");
  g_assert_false (rg_notify_test_dialog_send (dialog));
  g_assert_nonnull (_rg_notify_test_dialog_get_field_error (dialog, "phone"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_rg_notify_test_dialog_get_phone_row (dialog)),
                                           "error"));

  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_phone_row (dialog)), "0912-345-678");
  g_assert_null (_rg_notify_test_dialog_get_field_error (dialog, "phone"));
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_value_row (dialog, "name")), "林小姐");
  g_assert_false (rg_notify_test_dialog_send (dialog));
  g_assert_null (_rg_notify_test_dialog_get_field_error (dialog, "phone"));
  message = _rg_notify_test_dialog_get_field_error (dialog, "variables.order_id");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "order_id"));
  g_assert_cmpuint (count_triggers (fixture->store, id), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_value_row (dialog, "order_id")),
                         "ML240001");
  g_assert_null (_rg_notify_test_dialog_get_field_error (dialog, "variables.order_id"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "notify-send-test");

  click (GTK_WIDGET (dialog), "test.send");
  rg_test_ui_iterate ();
  g_assert_null (dialog);

  /* The trigger is in the database, and the overview counts it. */
  g_assert_cmpuint (count_triggers (fixture->store, id), ==, 1);
  reloaded = find_overview_by_id (page, id);
  triggers_label = dup_string_property (reloaded, "triggers-label");
  g_assert_cmpstr (triggers_label, ==, "1");

  /* Disable: the setting is off and a test is refused, with the reason at the top. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.toggle-enabled", "s", id));
  g_clear_object (&stored);
  stored = rg_notify_setting_store_get (rg_notify_page_get_settings (page), id, &error);
  g_assert_no_error (error);
  g_assert_false (rg_notify_setting_get_enabled (stored));
  g_clear_object (&reloaded);
  reloaded = find_overview_by_id (page, id);
  status_label = dup_string_property (reloaded, "status-label");
  g_assert_cmpstr (status_label, ==, "Off");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.send-test", "s", id));
  dialog = _rg_notify_page_get_test_dialog (page);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_phone_row (dialog)), "0912-345-678");
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_value_row (dialog, "name")), "林小姐");
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_test_dialog_get_value_row (dialog, "order_id")), "A1");
  g_assert_false (rg_notify_test_dialog_send (dialog));
  message = _rg_notify_test_dialog_get_field_error (dialog, "general");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "disabled"));
  g_assert_cmpuint (count_triggers (fixture->store, id), ==, 1);
  gtk_window_close (GTK_WINDOW (dialog));
  rg_test_ui_iterate ();
  g_assert_null (dialog);

  /* And on again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.toggle-enabled", "s", id));
  g_clear_object (&stored);
  stored = rg_notify_setting_store_get (rg_notify_page_get_settings (page), id, &error);
  g_assert_true (rg_notify_setting_get_enabled (stored));
}

static void
test_notify_edit_discard_duplicate (Fixture       *fixture,
                                    gconstpointer  data)
{
  RgNotifyPage *page = fixture->page;
  GListModel *model = _rg_notify_page_get_model (page);
  guint before = g_list_model_get_n_items (model);
  g_autoptr(RgNotifyOverview) first = g_list_model_get_item (model, 0);
  RgNotifySetting *setting = rg_notify_overview_get_setting (first);
  g_autofree char *id = g_strdup (rg_notify_setting_get_id (setting));
  g_autofree char *name = g_strdup (rg_notify_setting_get_name (setting));
  g_autofree char *edited = g_strconcat (name, " 2", NULL);
  g_autofree char *copy_name = g_strdup_printf ("%s (copy)", name);
  g_autoptr(RgNotifySetting) stored = NULL;
  g_autoptr(RgNotifyOverview) copy = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *discard;
  RgNotifyEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.edit", "s", id));
  editor = _rg_notify_page_get_editor (page);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  rg_test_ui_wait_for_draw (GTK_WIDGET (editor));

  g_assert_false (rg_notify_editor_get_dirty (editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_rg_notify_editor_get_name_row (editor))),
                   ==, name);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, name);

  /* A change is obvious, and closing asks before it is lost. */
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_editor_get_name_row (editor)), edited);
  g_assert_true (rg_notify_editor_get_dirty (editor));
  gtk_window_close (GTK_WINDOW (editor));
  rg_test_ui_iterate ();
  g_assert_nonnull (editor);
  discard = find_message_dialog ("Discard Changes?");
  g_assert_nonnull (discard);
  adw_message_dialog_response (discard, "discard");
  rg_test_ui_iterate ();
  g_assert_null (editor);

  stored = rg_notify_setting_store_get (rg_notify_page_get_settings (page), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_notify_setting_get_name (stored), ==, name);

  /* Undoing the change by hand makes it clean again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.edit", "s", id));
  editor = _rg_notify_page_get_editor (page);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_editor_get_name_row (editor)), edited);
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_editor_get_name_row (editor)), name);
  g_assert_false (rg_notify_editor_get_dirty (editor));
  gtk_window_close (GTK_WINDOW (editor));
  rg_test_ui_iterate ();
  g_assert_null (editor);

  /* Duplicate: a new Setting ID, the name marked as a copy, and selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.duplicate", "s", id));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before + 1);
  copy = find_overview_by_name (page, copy_name);
  g_assert_nonnull (copy);
  g_assert_cmpstr (rg_notify_overview_get_id (copy), !=, id);
  g_assert_true (gtk_single_selection_get_selected_item (
                   GTK_SINGLE_SELECTION (gtk_column_view_get_model (_rg_notify_page_get_column_view (page))))
                 == (gpointer) copy);
}

static void
test_notify_export (Fixture       *fixture,
                    gconstpointer  data)
{
  RgNotifyPage *page = fixture->page;
  RgNotifyExportDialog *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) earlier = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -90);
  g_autofree char *path = g_build_filename (tmp_dir, "notifications.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.export", NULL));
  dialog = _rg_notify_page_get_export_dialog (page);
  g_assert_nonnull (dialog);
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  g_assert_cmpstr (rg_notify_export_dialog_get_state (dialog), ==, "setup");

  /* A range that ends before it starts cannot be exported. */
  rg_notify_export_dialog_set_range (dialog, now, earlier);
  g_assert_false (gtk_widget_is_sensitive (rg_test_ui_find_button (GTK_WIDGET (dialog), "export.choose-file")));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "The first day is after the last day"));
  rg_notify_export_dialog_set_range (dialog, long_ago, now);
  g_assert_true (gtk_widget_is_sensitive (rg_test_ui_find_button (GTK_WIDGET (dialog), "export.choose-file")));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "notify-export");

  rg_notify_export_dialog_export_to (dialog, file);
  RG_TEST_UI_WAIT_UNTIL (!g_str_equal (rg_notify_export_dialog_get_state (dialog), "progress"));
  g_assert_cmpstr (rg_notify_export_dialog_get_state (dialog), ==, "done");
  g_assert_cmpuint (rg_notify_export_dialog_get_n_rows (dialog), >, 0);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "Trigger ID,"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "notify-export-done");
}

static void
test_notify_empty (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.db", NULL);
  g_autoptr(RgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  RgNotifyEditor *editor;
  RgNotifyPage *page;
  GtkWindow *window;

  store = rg_store_open (path, &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 900, 600);
  page = RG_NOTIFY_PAGE (rg_notify_page_new ());
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  rg_notify_page_set_store (page, store);
  gtk_window_present (window);
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));

  /* No settings: a calm page that says what they are for, and one way on. */
  g_assert_cmpstr (_rg_notify_page_get_state (page), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (_rg_notify_page_get_model (page)), ==, 0);
  summary = rg_notify_chart_dup_summary (_rg_notify_page_get_chart (page));
  g_assert_cmpstr (summary, ==, "No notifications in the last 30 days");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (window), "notify-empty");

  click (GTK_WIDGET (page), "notify.new");
  editor = _rg_notify_page_get_editor (page);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == window);

  /* Closing an untouched new one asks nothing. */
  g_assert_false (rg_notify_editor_get_dirty (editor));
  gtk_window_close (GTK_WINDOW (editor));
  rg_test_ui_iterate ();
  g_assert_null (editor);
  g_assert_null (find_message_dialog ("Discard Changes?"));

  gtk_window_destroy (window);
  rg_test_ui_iterate ();
}

typedef struct
{
  char     *value;
  gboolean  done;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->value = rg_secrets_lookup_finish (RG_SECRETS (object), result, &error);
  g_assert_no_error (error);
  lookup->done = TRUE;
}

static void
test_notify_api_token (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RgSecrets) secrets = NULL;
  GtkWindow *preferences;
  AdwMessageDialog *confirm;
  AdwMessageDialog *shown = NULL;
  GtkWidget *token_label;
  GtkWidget *endpoint;
  const char *token;
  Lookup lookup = { NULL, FALSE };

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon and dbus-daemon are needed");
      return;
    }

  g_action_group_activate_action (G_ACTION_GROUP (shared_app), "preferences", NULL);
  preferences = rg_test_ui_find_toplevel (RG_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  rg_test_ui_wait_for_draw (GTK_WIDGET (preferences));

  /* The endpoint is where this process's server listens, as no public URL is set. */
  endpoint = find_label (GTK_WIDGET (preferences), "Endpoint");
  g_assert_nonnull (endpoint);
  endpoint = gtk_widget_get_ancestor (endpoint, ADW_TYPE_ACTION_ROW);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (endpoint)),
                                   "POST http://"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (endpoint)),
                                   "/api/v1/notifications"));

  gtk_widget_grab_focus (rg_test_ui_find_button (GTK_WIDGET (preferences), "preferences.generate-api-token"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (preferences), "preferences-api");

  click (GTK_WIDGET (preferences), "preferences.generate-api-token");
  rg_test_ui_iterate ();
  confirm = find_message_dialog ("Generate a New API Token?");
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "generate");

  RG_TEST_UI_WAIT_UNTIL ((shown = find_message_dialog ("New API Token")) != NULL);
  rg_test_ui_wait_for_draw (GTK_WIDGET (shown));
  token_label = find_label_with_class (GTK_WIDGET (shown), "monospace");
  g_assert_nonnull (token_label);
  token = gtk_label_get_text (GTK_LABEL (token_label));
  g_assert_cmpuint (strlen (token), ==, 43);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (shown), "preferences-api-token");

  /* What was shown is what the keyring holds, and the Open API checks against. */
  secrets = rg_secrets_new ();
  rg_secrets_lookup_async (secrets, RG_NOTIFY_API_TOKEN_CHANNEL, RG_NOTIFY_API_TOKEN_FIELD, NULL,
                           lookup_cb, &lookup);
  RG_TEST_UI_WAIT_UNTIL (lookup.done);
  g_assert_cmpstr (lookup.value, ==, token);
  g_free (lookup.value);

  gtk_window_destroy (GTK_WINDOW (shown));
  gtk_window_destroy (preferences);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* A keyring of this program's own for the API token; it comes first: whoever connects to
   * the session bus first (libadwaita does, for the portal) fixes the bus the program uses. */
  keyring = rg_test_keyring_start (&error);
  if (keyring == NULL)
    {
      g_printerr ("No keyring, the API token test will skip: %s\n", error->message);
      g_clear_error (&error);
    }

  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  tmp_dir = rg_test_make_tmpdir ();
  db = g_build_filename (tmp_dir, "demo.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, TRUE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/regulars/ui/notify/overview", Fixture, NULL,
              fixture_set_up, test_notify_overview, fixture_tear_down);
  g_test_add ("/regulars/ui/notify/create-and-send", Fixture, NULL,
              fixture_set_up, test_notify_create_and_send, fixture_tear_down);
  g_test_add ("/regulars/ui/notify/edit-discard-duplicate", Fixture, NULL,
              fixture_set_up, test_notify_edit_discard_duplicate, fixture_tear_down);
  g_test_add ("/regulars/ui/notify/export", Fixture, NULL,
              fixture_set_up, test_notify_export, fixture_tear_down);
  g_test_add ("/regulars/ui/notify/api-token", Fixture, NULL,
              fixture_set_up, test_notify_api_token, fixture_tear_down);
  g_test_add_func ("/regulars/ui/notify/empty", test_notify_empty);

  status = g_test_run ();
  g_clear_object (&shared_app);
  g_clear_pointer (&keyring, rg_test_keyring_stop);
  rg_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
