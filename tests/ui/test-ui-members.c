/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "members/rg-attribute-editor-private.h"
#include "members/rg-member-adjust-dialog-private.h"
#include "members/rg-member-editor-private.h"
#include "members/rg-member-export-dialog.h"
#include "members/rg-member-format.h"
#include "members/rg-member-import-dialog.h"
#include "members/rg-members-page-private.h"
#include "rg-application.h"
#include "rg-member-store.h"
#include "rg-phone.h"
#include "rg-preferences-window-private.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static char *tmp_dir;

typedef struct
{
  RgApplication *app;
  RgWindow      *window;
  RgMembersPage *page;
  RgMemberStore *members;
} Fixture;

/* Members of our own, findable among the sample data by the word "Mgui". */
static const struct {
  const char *number;
  const char *name;
  const char *phone;
  gint64      points;
  gint64      stored_value;
} seeds[] = {
  { "UI-0001", "Mgui Alpha 甲", "0912-000-001", 50, 1000 * 100 },
  { "UI-0002", "Mgui Beta 乙", "0912-000-002", 9999999, 0 },
  { "UI-0003", "Mgui Gamma 丙", "0912-000-003", 10, 250 * 100 },
};



static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* The search entry waits for typing to pause before it searches: run the main loop until
 * the count says what we expect (or fail after 5 s). */
static void
wait_for_count (RgMembersPage *page,
                const char    *expected)
{
  GtkLabel *label = _rg_members_page_get_count_label (page);
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (5000, on_wait_timeout, &timed_out);

  while (g_strcmp0 (gtk_label_get_text (label), expected) != 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout);
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
}

static guint64
count_members (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  g_assert_true (rg_member_store_count (fixture->members, &count, &error));
  g_assert_no_error (error);
  return count;
}

static char *
total_text (Fixture *fixture)
{
  return rg_format_member_count (count_members (fixture), FALSE);
}

static void
seed_members (Fixture *fixture)
{
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr(RgMember) member = NULL;
      g_autoptr(GError) error = NULL;

      if ((member = rg_member_store_find_by_member_number (fixture->members, seeds[i].number, NULL)) != NULL)
        continue;

      member = rg_member_new ();
      rg_member_set_member_number (member, seeds[i].number);
      rg_member_set_name (member, seeds[i].name);
      rg_member_set_phone (member, seeds[i].phone);
      rg_member_set_points_balance (member, seeds[i].points);
      rg_member_set_accumulated_points (member, seeds[i].points);
      rg_member_set_stored_value (member, seeds[i].stored_value);
      g_assert_true (rg_member_store_insert (fixture->members, member, NULL, &error));
      g_assert_no_error (error);
    }
}

static RgMember *
get_seed (Fixture *fixture,
          guint    index)
{
  g_autoptr(GError) error = NULL;
  RgMember *member = rg_member_store_find_by_member_number (fixture->members,
                                                            seeds[index].number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (member);
  return member;
}

static void
select_member (Fixture *fixture,
               gint64   member_id)
{
  RgMemberList *list = rg_members_page_get_list (fixture->page);
  GtkColumnView *view = _rg_members_page_get_column_view (fixture->page);
  guint position;

  g_assert_true (rg_member_list_find_position (list, member_id, &position));
  g_assert_true (gtk_selection_model_select_item (gtk_column_view_get_model (view), position, TRUE));
  rg_test_ui_iterate ();
}

static const char *
field_text (Fixture    *fixture,
            const char *field)
{
  GtkWidget *widget = _rg_member_editor_get_field_widget (_rg_members_page_get_editor (fixture->page),
                                                          field);

  g_assert_true (GTK_IS_EDITABLE (widget));
  return gtk_editable_get_text (GTK_EDITABLE (widget));
}

static void
set_field_text (Fixture    *fixture,
                const char *field,
                const char *text)
{
  GtkWidget *widget = _rg_member_editor_get_field_widget (_rg_members_page_get_editor (fixture->page),
                                                          field);

  g_assert_true (GTK_IS_EDITABLE (widget));
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static GtkColumnViewColumn *
find_column (Fixture    *fixture,
             const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (_rg_members_page_get_column_view (fixture->page));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_assert_not_reached ();
}

static RgMemberAdjustDialog *
open_adjust_dialog (Fixture *fixture)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.adjust", NULL));
  rg_test_ui_iterate ();
  dialog = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_ADJUST_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  return RG_MEMBER_ADJUST_DIALOG (dialog);
}

static void
close_windows (RgApplication *app)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *window;

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  fixture->app = shared_app;
  g_application_activate (G_APPLICATION (fixture->app));
  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);

  fixture->members = rg_member_store_new (rg_application_get_store (fixture->app));
  seed_members (fixture);

  fixture->page = RG_MEMBERS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window), RG_TYPE_MEMBERS_PAGE));
  g_assert_nonnull (fixture->page);
  g_assert_true (rg_members_page_get_store (fixture->page) == rg_application_get_store (fixture->app));
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_ADJUST_DIALOG)) != NULL ||
         (window = rg_test_ui_find_toplevel (RG_TYPE_PREFERENCES_WINDOW)) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
  close_windows (fixture->app);
  g_clear_object (&fixture->members);
}

static void
test_members_count_and_search (Fixture       *fixture,
                               gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  GtkSearchEntry *entry = _rg_members_page_get_search_entry (page);
  g_autofree char *total = total_text (fixture);

  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "members");
  g_assert_cmpstr (_rg_members_page_get_state (page), ==, "list");
  g_assert_cmpstr (gtk_label_get_text (_rg_members_page_get_count_label (page)), ==, total);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rg_members_page_get_list (page))), ==,
                    count_members (fixture));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-list");

  gtk_editable_set_text (GTK_EDITABLE (entry), "Mgui");
  wait_for_count (page, "3 found");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rg_members_page_get_list (page))), ==, 3);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-search");

  /* A phone fragment typed the local way finds the member too. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "0912-000-003");
  wait_for_count (page, "1 found");

  gtk_editable_set_text (GTK_EDITABLE (entry), "zzqqxxnothing");
  wait_for_count (page, "0 found");
  g_assert_cmpstr (_rg_members_page_get_state (page), ==, "no-results");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-no-results");

  /* Escape clears the search at once. */
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpstr (gtk_label_get_text (_rg_members_page_get_count_label (page)), ==, total);
  g_assert_cmpstr (_rg_members_page_get_state (page), ==, "list");
}

static void
test_members_sort (Fixture       *fixture,
                   gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  RgMemberList *list = rg_members_page_get_list (page);
  GtkColumnView *view = _rg_members_page_get_column_view (page);
  g_autoptr(RgMember) first = NULL;
  g_autoptr(RgMember) by_name = NULL;
  guint64 fetches;

  /* Sorted by name at first. */
  g_assert_cmpint (rg_member_list_get_sort_key (list), ==, RG_MEMBER_SORT_NAME);
  g_assert_false (rg_member_list_get_sort_descending (list));
  by_name = g_list_model_get_item (G_LIST_MODEL (list), 0);

  /* What a click on the header does: toggle through the column view's sorter. */
  fetches = rg_member_list_get_fetch_count (list);
  gtk_column_view_sort_by_column (view, find_column (fixture, "Points"), GTK_SORT_DESCENDING);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpint (rg_member_list_get_sort_key (list), ==, RG_MEMBER_SORT_POINTS_BALANCE);
  g_assert_true (rg_member_list_get_sort_descending (list));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (rg_member_get_name (first), ==, "Mgui Beta 乙");
  g_assert_cmpstr (rg_member_get_name (first), !=, rg_member_get_name (by_name));
  /* The sort is the query's: a page of rows, not a load of every member. */
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 2);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list) - fetches, <=, 4);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-sorted-by-points");

  gtk_column_view_sort_by_column (view, find_column (fixture, "Points"), GTK_SORT_ASCENDING);
  g_assert_false (rg_member_list_get_sort_descending (list));
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (rg_member_get_points_balance (first), <=, 10);

  gtk_column_view_sort_by_column (view, find_column (fixture, "Member No."), GTK_SORT_DESCENDING);
  g_assert_cmpint (rg_member_list_get_sort_key (list), ==, RG_MEMBER_SORT_MEMBER_NUMBER);

  gtk_column_view_sort_by_column (view, find_column (fixture, "Name"), GTK_SORT_ASCENDING);
  g_assert_cmpint (rg_member_list_get_sort_key (list), ==, RG_MEMBER_SORT_NAME);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (rg_member_get_id (first), ==, rg_member_get_id (by_name));
}

static void
test_members_edit (Fixture       *fixture,
                   gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  RgMemberEditor *editor = _rg_members_page_get_editor (page);
  g_autoptr(RgMember) alpha = get_seed (fixture, 0);
  g_autoptr(RgMember) stored = NULL;
  g_autofree char *national = rg_phone_format_national (rg_member_get_phone (alpha));
  const char *error;

  select_member (fixture, rg_member_get_id (alpha));
  g_assert_nonnull (rg_member_editor_get_member (editor));
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (editor)), ==, rg_member_get_id (alpha));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_NAME), ==, "Mgui Alpha 甲");
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_MEMBER_NUMBER), ==, "UI-0001");
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_PHONE), ==, national);
  g_assert_false (rg_member_editor_get_dirty (editor));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-detail");

  /* A number that is not a phone number: refused, and said next to the phone. */
  set_field_text (fixture, RG_MEMBER_FIELD_PHONE, "12345");
  g_assert_true (rg_member_editor_get_dirty (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.save", NULL));
  rg_test_ui_iterate ();
  error = _rg_member_editor_get_field_error (editor, RG_MEMBER_FIELD_PHONE);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "12345"));
  g_assert_true (gtk_widget_has_css_class (_rg_member_editor_get_field_widget (editor, RG_MEMBER_FIELD_PHONE),
                                           "error"));
  g_assert_null (_rg_member_editor_get_field_error (editor, RG_MEMBER_FIELD_NAME));
  stored = rg_member_store_get (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpstr (rg_member_get_phone (stored), ==, rg_member_get_phone (alpha));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-phone-error");

  /* Typing in the field takes the message away. */
  set_field_text (fixture, RG_MEMBER_FIELD_PHONE, "0912-000-111");
  g_assert_null (_rg_member_editor_get_field_error (editor, RG_MEMBER_FIELD_PHONE));

  set_field_text (fixture, RG_MEMBER_FIELD_NAME, "Mgui Alpha 甲 Edited");
  set_field_text (fixture, RG_MEMBER_FIELD_TAGS, "VIP，常客, VIP");
  g_assert_true (rg_member_editor_save (editor));
  g_assert_false (rg_member_editor_get_dirty (editor));
  g_clear_object (&stored);
  stored = rg_member_store_get (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpstr (rg_member_get_name (stored), ==, "Mgui Alpha 甲 Edited");
  g_assert_cmpstr (rg_member_get_phone (stored), ==, "+886912000111");
  g_assert_cmpstrv (rg_member_get_tags (stored), ((const char * const[]) { "VIP", "常客", NULL }));
  /* The row in the list follows. */
  {
    guint position;
    g_autoptr(RgMember) row = NULL;

    g_assert_true (rg_member_list_find_position (rg_members_page_get_list (page),
                                                 rg_member_get_id (alpha), &position));
    row = g_list_model_get_item (G_LIST_MODEL (rg_members_page_get_list (page)), position);
    g_assert_cmpstr (rg_member_get_name (row), ==, "Mgui Alpha 甲 Edited");
  }

  /* Put it back for the other tests. */
  set_field_text (fixture, RG_MEMBER_FIELD_NAME, "Mgui Alpha 甲");
  set_field_text (fixture, RG_MEMBER_FIELD_PHONE, seeds[0].phone);
  g_assert_true (rg_member_editor_save (editor));

  /* Escape in the pane closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "members.close", NULL));
  g_assert_null (rg_member_editor_get_member (editor));
}

static AdwMessageDialog *
find_save_changes_dialog (void)
{
  GtkWindow *window = rg_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  g_assert_nonnull (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), ==, "Save Changes?");
  return ADW_MESSAGE_DIALOG (window);
}

/* What a click on a response button does: respond, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  rg_test_ui_iterate ();
}

static void
test_members_unsaved_changes (Fixture       *fixture,
                              gconstpointer  data)
{
  RgMemberEditor *editor = _rg_members_page_get_editor (fixture->page);
  g_autoptr(RgMember) alpha = get_seed (fixture, 0);
  g_autoptr(RgMember) beta = get_seed (fixture, 1);
  g_autoptr(RgMember) stored = NULL;
  AdwMessageDialog *dialog;

  select_member (fixture, rg_member_get_id (alpha));
  set_field_text (fixture, RG_MEMBER_FIELD_NAME, "Mgui Alpha 甲 draft");

  /* Choosing another member asks; Cancel keeps the edits and the member. */
  select_member (fixture, rg_member_get_id (beta));
  dialog = find_save_changes_dialog ();
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "members-save-changes");
  respond (dialog, "cancel");
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (editor)), ==, rg_member_get_id (alpha));
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_NAME), ==, "Mgui Alpha 甲 draft");
  g_assert_true (rg_member_editor_get_dirty (editor));

  /* A refused save keeps the member open with the message in place. */
  set_field_text (fixture, RG_MEMBER_FIELD_PHONE, "12345");
  select_member (fixture, rg_member_get_id (beta));
  respond (find_save_changes_dialog (), "save");
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (editor)), ==, rg_member_get_id (alpha));
  g_assert_nonnull (_rg_member_editor_get_field_error (editor, RG_MEMBER_FIELD_PHONE));

  /* Discard moves on and writes nothing. */
  select_member (fixture, rg_member_get_id (beta));
  respond (find_save_changes_dialog (), "discard");
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (editor)), ==, rg_member_get_id (beta));
  stored = rg_member_store_get (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpstr (rg_member_get_name (stored), ==, "Mgui Alpha 甲");

  /* Save writes the edits, then moves on. */
  set_field_text (fixture, RG_MEMBER_FIELD_EMAIL, "beta.saved@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.add", NULL));
  respond (find_save_changes_dialog (), "save");
  g_assert_true (rg_member_editor_get_is_new (editor));
  g_clear_object (&stored);
  stored = rg_member_store_get (fixture->members, rg_member_get_id (beta), NULL);
  g_assert_cmpstr (rg_member_get_email (stored), ==, "beta.saved@example.com");

  /* An untouched new member closes without a question. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.close", NULL));
  rg_test_ui_iterate ();
  g_assert_null (rg_member_editor_get_member (editor));
  g_assert_false (rg_member_editor_get_is_new (editor));
}

static void
test_members_add (Fixture       *fixture,
                  gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  RgMemberEditor *editor = _rg_members_page_get_editor (page);
  guint64 before = count_members (fixture);
  g_autoptr(RgMember) added = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.add", NULL));
  rg_test_ui_iterate ();
  g_assert_true (rg_member_editor_get_is_new (editor));
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_NAME), ==, "");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-new");

  /* A name is required. */
  g_assert_false (rg_member_editor_save (editor));
  g_assert_nonnull (_rg_member_editor_get_field_error (editor, RG_MEMBER_FIELD_NAME));
  g_assert_cmpuint (count_members (fixture), ==, before);

  set_field_text (fixture, RG_MEMBER_FIELD_NAME, "Mgui Delta 丁");
  set_field_text (fixture, RG_MEMBER_FIELD_PHONE, "+852 9123 4567");
  set_field_text (fixture, RG_MEMBER_FIELD_EMAIL, "Delta@Example.COM");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.save", NULL));
  rg_test_ui_iterate ();

  g_assert_cmpuint (count_members (fixture), ==, before + 1);
  g_assert_false (rg_member_editor_get_is_new (editor));
  g_assert_nonnull (rg_member_editor_get_member (editor));
  added = rg_member_store_get (fixture->members,
                               rg_member_get_id (rg_member_editor_get_member (editor)), NULL);
  g_assert_nonnull (added);
  g_assert_cmpstr (rg_member_get_name (added), ==, "Mgui Delta 丁");
  g_assert_cmpstr (rg_member_get_phone (added), ==, "+85291234567");
  g_assert_cmpstr (rg_member_get_email (added), ==, "Delta@example.com");
  /* A number of another region keeps its country code in the pane. */
  g_assert_cmpstr (field_text (fixture, RG_MEMBER_FIELD_PHONE), ==, "+852 9123 4567");
  expected = total_text (fixture);
  g_assert_cmpstr (gtk_label_get_text (_rg_members_page_get_count_label (page)), ==, expected);

  /* The new member is selected in the list. */
  {
    GtkSingleSelection *selection =
      GTK_SINGLE_SELECTION (gtk_column_view_get_model (_rg_members_page_get_column_view (page)));
    RgMember *selected = gtk_single_selection_get_selected_item (selection);

    g_assert_nonnull (selected);
    g_assert_cmpint (rg_member_get_id (selected), ==, rg_member_get_id (added));
  }

  g_assert_true (rg_member_store_delete (fixture->members, rg_member_get_id (added), NULL));
}

static void
test_members_delete_undo (Fixture       *fixture,
                          gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  g_autoptr(RgMember) gamma = get_seed (fixture, 2);
  g_autoptr(RgMember) gone = NULL;
  g_autoptr(RgMember) back = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before = count_members (fixture);
  AdwToast *toast;

  select_member (fixture, rg_member_get_id (gamma));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.delete", NULL));
  rg_test_ui_iterate ();

  gone = rg_member_store_get (fixture->members, rg_member_get_id (gamma), &error);
  g_assert_error (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_assert_cmpuint (count_members (fixture), ==, before - 1);
  g_assert_null (rg_member_editor_get_member (_rg_members_page_get_editor (page)));

  toast = _rg_members_page_get_undo_toast (page);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Deleted “Mgui Gamma 丙”");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-deleted");

  g_signal_emit_by_name (toast, "button-clicked");
  rg_test_ui_iterate ();
  back = rg_member_store_get (fixture->members, rg_member_get_id (gamma), NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (count_members (fixture), ==, before);
  /* The restored member is shown again. */
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (_rg_members_page_get_editor (page))),
                   ==, rg_member_get_id (gamma));
}

static void
test_members_adjust (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RgMember) alpha = get_seed (fixture, 0);
  g_autoptr(RgMember) after = NULL;
  g_autoptr(GListModel) ledger = NULL;
  g_autoptr(RgLedgerEntry) newest = NULL;
  RgMemberAdjustDialog *dialog;
  guint n_before;

  select_member (fixture, rg_member_get_id (alpha));
  dialog = open_adjust_dialog (fixture);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (alpha), NULL);
  n_before = g_list_model_get_n_items (ledger);
  g_assert_cmpuint (g_list_model_get_n_items (_rg_member_adjust_dialog_get_ledger (dialog)), ==, n_before);

  gtk_spin_button_set_value (_rg_member_adjust_dialog_get_spin_button (dialog, RG_LEDGER_ACCOUNT_POINTS_BALANCE), 25);
  gtk_spin_button_set_value (_rg_member_adjust_dialog_get_spin_button (dialog, RG_LEDGER_ACCOUNT_STORED_VALUE), -120.5);

  /* No reason: refused under the reason, nothing written. */
  g_assert_false (rg_member_adjust_dialog_apply (dialog));
  g_assert_nonnull (_rg_member_adjust_dialog_get_error (dialog, RG_MEMBER_FIELD_REASON));
  g_clear_object (&ledger);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, n_before);

  gtk_editable_set_text (_rg_member_adjust_dialog_get_reason (dialog), "UI test bonus");
  g_assert_null (_rg_member_adjust_dialog_get_error (dialog, RG_MEMBER_FIELD_REASON));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "members-adjust");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL));
  rg_test_ui_iterate ();
  g_assert_null (rg_test_ui_find_toplevel (RG_TYPE_MEMBER_ADJUST_DIALOG));

  after = rg_member_store_get (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpint (rg_member_get_points_balance (after), ==, rg_member_get_points_balance (alpha) + 25);
  g_assert_cmpint (rg_member_get_stored_value (after), ==, rg_member_get_stored_value (alpha) - 12050);

  g_clear_object (&ledger);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, n_before + 2);
  newest = g_list_model_get_item (ledger, 0);
  g_assert_cmpstr (rg_ledger_entry_get_reason (newest), ==, "UI test bonus");
  g_assert_cmpstr (rg_ledger_entry_get_source (newest), ==, RG_LEDGER_SOURCE_MANUAL);

  /* The pane shows the new balances. */
  g_assert_cmpint (rg_member_get_points_balance (rg_member_editor_get_member (_rg_members_page_get_editor (fixture->page))),
                   ==, rg_member_get_points_balance (after));

  /* The ledger shows in the dialog, newest first. */
  dialog = open_adjust_dialog (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (_rg_member_adjust_dialog_get_ledger (dialog)), ==, n_before + 2);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "members-ledger");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_members_overspend (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RgMember) gamma = get_seed (fixture, 2);
  g_autoptr(RgMember) after = NULL;
  g_autoptr(GListModel) ledger = NULL;
  RgMemberAdjustDialog *dialog;
  const char *error;
  guint n_before;

  select_member (fixture, rg_member_get_id (gamma));
  dialog = open_adjust_dialog (fixture);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (gamma), NULL);
  n_before = g_list_model_get_n_items (ledger);

  gtk_spin_button_set_value (_rg_member_adjust_dialog_get_spin_button (dialog, RG_LEDGER_ACCOUNT_POINTS_BALANCE),
                             -(rg_member_get_points_balance (gamma) + 1));
  gtk_editable_set_text (_rg_member_adjust_dialog_get_reason (dialog), "Redeem more than there is");

  /* Said before anything is tried... */
  error = _rg_member_adjust_dialog_get_error (dialog, RG_MEMBER_FIELD_POINTS_BALANCE);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "10"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "members-overspend");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "adjust.apply", NULL);
  rg_test_ui_iterate ();
  g_assert_true (rg_test_ui_find_toplevel (RG_TYPE_MEMBER_ADJUST_DIALOG) == GTK_WINDOW (dialog));

  /* ...and the store refuses it too, in place. */
  g_assert_false (rg_member_adjust_dialog_apply (dialog));
  g_assert_nonnull (_rg_member_adjust_dialog_get_error (dialog, RG_MEMBER_FIELD_POINTS_BALANCE));

  after = rg_member_store_get (fixture->members, rg_member_get_id (gamma), NULL);
  g_assert_cmpint (rg_member_get_points_balance (after), ==, rg_member_get_points_balance (gamma));
  g_clear_object (&ledger);
  ledger = rg_member_store_list_ledger (fixture->members, rg_member_get_id (gamma), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, n_before);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_members_keyboard (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct {
    guint           key;
    GdkModifierType modifiers;
    const char     *action;
  } shortcuts[] = {
    { GDK_KEY_n, GDK_CONTROL_MASK, "members.add" },
    { GDK_KEY_s, GDK_CONTROL_MASK, "members.save" },
    { GDK_KEY_f, GDK_CONTROL_MASK, "members.search" },
  };
  RgMembersPage *page = fixture->page;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  g_auto(GStrv) accels = NULL;
  GtkWidget *focus;

  /* Ctrl+N, Ctrl+S and Ctrl+F are the page's. */
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      gboolean found = FALSE;

      for (guint c = 0; c < g_list_model_get_n_items (controllers) && !found; c++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; s++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

              found = GTK_IS_KEYVAL_TRIGGER (trigger) &&
                      gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == shortcuts[i].key &&
                      gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == shortcuts[i].modifiers &&
                      GTK_IS_NAMED_ACTION (action) &&
                      g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), shortcuts[i].action);
            }
        }
      g_assert_true (found);
    }

  /* Delete deletes only from the list, not while typing in the pane. */
  {
    g_autoptr(GListModel) view_controllers =
      gtk_widget_observe_controllers (GTK_WIDGET (_rg_members_page_get_column_view (page)));
    gboolean found = FALSE;

    for (guint c = 0; c < g_list_model_get_n_items (view_controllers) && !found; c++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (view_controllers, c);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; s++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
            g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

            found = strstr (trigger, "Delete") != NULL && g_str_equal (action, "action(members.delete)");
          }
      }
    g_assert_true (found);
  }

  /* Ctrl+F puts the focus in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (_rg_members_page_get_search_entry (page))));

  /* Enter in the search goes to the first row and opens it. */
  g_signal_emit_by_name (_rg_members_page_get_search_entry (page), "activate");
  rg_test_ui_iterate ();
  g_assert_nonnull (rg_member_editor_get_member (_rg_members_page_get_editor (page)));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>comma"));
}

static void
test_members_preferences (Fixture       *fixture,
                          gconstpointer  data)
{
  RgStore *store = rg_application_get_store (fixture->app);
  RgMemberEditor *editor = _rg_members_page_get_editor (fixture->page);
  g_autoptr(RgMember) alpha = get_seed (fixture, 0);
  g_autoptr(RgMember) stored = NULL;
  g_autofree char *region = NULL;
  RgPreferencesWindow *prefs;
  RgAttributeEditor *attribute_editor;
  AdwComboRow *region_row;
  GListModel *codes;
  guint hk = GTK_INVALID_LIST_POSITION;
  guint tw = GTK_INVALID_LIST_POSITION;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  rg_test_ui_iterate ();
  prefs = RG_PREFERENCES_WINDOW (rg_test_ui_find_toplevel (RG_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (prefs), "preferences");

  /* The default phone region is the database's. */
  region_row = _rg_preferences_window_get_region_row (prefs);
  codes = _rg_preferences_window_get_region_codes (prefs);
  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      const char *code = gtk_string_list_get_string (GTK_STRING_LIST (codes), i);

      if (g_str_equal (code, "HK"))
        hk = i;
      if (g_str_equal (code, "TW"))
        tw = i;
    }
  g_assert_cmpuint (adw_combo_row_get_selected (region_row), ==, tw);
  adw_combo_row_set_selected (region_row, hk);
  region = rg_store_dup_default_region (store);
  g_assert_cmpstr (region, ==, "HK");
  adw_combo_row_set_selected (region_row, tw);
  g_free (region);
  region = rg_store_dup_default_region (store);
  g_assert_cmpstr (region, ==, "TW");

  /* Add a date attribute; the key follows the label. */
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.add-attribute", NULL);
  rg_test_ui_iterate ();
  attribute_editor = _rg_preferences_window_get_attribute_editor (prefs);
  g_assert_nonnull (attribute_editor);
  gtk_editable_set_text (_rg_attribute_editor_get_label_row (attribute_editor), "Birthday Mgui");
  g_assert_cmpstr (gtk_editable_get_text (_rg_attribute_editor_get_key_row (attribute_editor)), ==,
                   "birthday_mgui");
  adw_combo_row_set_selected (_rg_attribute_editor_get_type_row (attribute_editor), RG_ATTRIBUTE_TYPE_DATE);

  /* A key that cannot be one: said under the key. */
  gtk_editable_set_text (_rg_attribute_editor_get_key_row (attribute_editor), "Birthday Mgui");
  g_assert_false (rg_attribute_editor_save (attribute_editor));
  g_assert_nonnull (_rg_attribute_editor_get_error (attribute_editor, RG_MEMBER_FIELD_ATTRIBUTE_KEY));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (prefs), "preferences-attribute-error");

  gtk_editable_set_text (_rg_attribute_editor_get_key_row (attribute_editor), "birthday_mgui");
  g_assert_true (rg_attribute_editor_save (attribute_editor));
  rg_test_ui_iterate ();
  g_assert_null (_rg_preferences_window_get_attribute_editor (prefs));
  g_assert_cmpuint (_rg_preferences_window_get_n_attribute_rows (prefs), >=, 1);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (prefs), "preferences-attributes");

  /* The member pane has a date field for it now, validated in place. */
  select_member (fixture, rg_member_get_id (alpha));
  g_assert_nonnull (_rg_member_editor_get_field_widget (editor, "attr:birthday_mgui"));
  set_field_text (fixture, "attr:birthday_mgui", "2024-13-40");
  g_assert_false (rg_member_editor_save (editor));
  g_assert_nonnull (_rg_member_editor_get_field_error (editor, "attr:birthday_mgui"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-attribute-error");
  set_field_text (fixture, "attr:birthday_mgui", "2024/1/5");
  g_assert_true (rg_member_editor_save (editor));
  stored = rg_member_store_get (fixture->members, rg_member_get_id (alpha), NULL);
  g_assert_cmpstr (rg_member_get_attribute (stored, "birthday_mgui"), ==, "2024-01-05");
  g_assert_cmpstr (field_text (fixture, "attr:birthday_mgui"), ==, "2024-01-05");

  /* Remove it again, through the confirmation. */
  for (guint i = 0; i < _rg_preferences_window_get_n_attribute_rows (prefs); i++)
    {
      g_autoptr(GListModel) definitions = rg_member_store_list_attributes (fixture->members, NULL);
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);
      GtkWindow *confirm;

      if (!g_str_equal (rg_attribute_definition_get_key (definition), "birthday_mgui"))
        continue;

      _rg_preferences_window_remove_attribute (prefs, i);
      rg_test_ui_iterate ();
      confirm = rg_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      g_assert_nonnull (confirm);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
      rg_test_ui_iterate ();
      break;
    }
  {
    g_autoptr(RgAttributeDefinition) removed = rg_member_store_lookup_attribute (fixture->members,
                                                                               "birthday_mgui", NULL);
    g_assert_null (removed);
  }
  g_assert_null (_rg_member_editor_get_field_widget (editor, "attr:birthday_mgui"));
}

/* Import… and Export… open the other dialogs; an export takes the current search along. */
static void
test_members_import_export (Fixture       *fixture,
                            gconstpointer  data)
{
  RgMembersPage *page = fixture->page;
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.import", NULL));
  rg_test_ui_iterate ();
  dialog = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_IMPORT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (dialog);
  rg_test_ui_iterate ();

  gtk_editable_set_text (GTK_EDITABLE (_rg_members_page_get_search_entry (page)), "Mgui");
  wait_for_count (page, "3 found");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.export", NULL));
  rg_test_ui_iterate ();
  dialog = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  {
    g_autofree char *search = NULL;

    g_object_get (dialog, "search", &search, NULL);
    g_assert_cmpstr (search, ==, "Mgui");
  }
  gtk_window_destroy (dialog);
  rg_test_ui_iterate ();
}

/* The window folds down to 360 pixels (a phone): the page must fit, the pane over the list. */
static void
test_members_narrow (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RgMember) alpha = get_seed (fixture, 0);
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  /* Folded, the window shows the sidebar first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "members"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-narrow");

  select_member (fixture, rg_member_get_id (alpha));
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_rg_members_page_get_editor (fixture->page))));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "members-narrow-detail");
}

static gboolean
insert_many (RgStore   *store,
             gpointer   user_data,
             GError   **error)
{
  RgMemberStore *members = user_data;

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(RgMember) member = rg_member_new ();
      g_autofree char *name = g_strdup_printf ("Lazy %04u", i);

      rg_member_set_name (member, name);
      if (!rg_member_store_insert (members, member, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* A new sort or search replaces every row. GTK 4.8 would look for the row at the scroll
 * anchor, and for the selected one, among all the new rows, reading the whole list: the
 * page must ask for a few pages only, however long the list (a scan would fill all 20
 * pages the list keeps). */
static void
test_members_stays_lazy (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "lazy.db", NULL);
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(GError) error = NULL;
  RgMembersPage *page;
  RgMemberList *list;
  GtkColumnView *view;
  GtkWidget *window;
  guint fetches;

  store = rg_store_open (path, &error);
  g_assert_no_error (error);
  members = rg_member_store_new (store);
  g_assert_true (rg_store_transaction (store, insert_many, members, &error));
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  page = RG_MEMBERS_PAGE (rg_members_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  rg_members_page_set_store (page, store);
  gtk_window_present (GTK_WINDOW (window));
  rg_test_ui_wait_for_draw (window);

  list = rg_members_page_get_list (page);
  view = _rg_members_page_get_column_view (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3000);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 3);

  /* A selected row makes GtkSingleSelection look for it too. */
  g_assert_true (gtk_selection_model_select_item (gtk_column_view_get_model (view), 3, TRUE));
  rg_test_ui_wait_for_draw (window);

  for (guint i = 0; i < 2; i++)
    {
      GListModel *columns = gtk_column_view_get_columns (view);
      g_autoptr(GtkColumnViewColumn) number = g_list_model_get_item (columns, 0);
      g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (columns, 1);

      fetches = rg_member_list_get_fetch_count (list);
      gtk_column_view_sort_by_column (view, i == 0 ? number : name, GTK_SORT_DESCENDING);
      rg_test_ui_wait_for_draw (window);
      g_assert_cmpuint (rg_member_list_get_fetch_count (list) - fetches, <=, 4);
      g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 3);
    }

  fetches = rg_member_list_get_fetch_count (list);
  gtk_editable_set_text (GTK_EDITABLE (_rg_members_page_get_search_entry (page)), "Lazy");
  wait_for_count (page, "3,000 found");
  rg_test_ui_wait_for_draw (window);
  g_assert_cmpuint (rg_member_list_get_fetch_count (list) - fetches, <=, 6);
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  rg_test_ui_iterate ();
}

/* A database without members: the page says so and offers the two ways to begin. */
static void
test_members_empty (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.db", NULL);
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(GError) error = NULL;
  RgMembersPage *page;
  RgMemberEditor *editor;
  GtkWidget *window;
  guint64 count = 0;

  store = rg_store_open (path, &error);
  g_assert_no_error (error);
  members = rg_member_store_new (store);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 860, 640);
  page = RG_MEMBERS_PAGE (rg_members_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  rg_members_page_set_store (page, store);
  gtk_window_present (GTK_WINDOW (window));
  rg_test_ui_wait_for_draw (window);

  g_assert_cmpstr (_rg_members_page_get_state (page), ==, "empty");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (_rg_members_page_get_search_entry (page))));
  rg_test_ui_maybe_screenshot (window, "members-empty");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.add", NULL));
  editor = _rg_members_page_get_editor (page);
  g_assert_true (rg_member_editor_get_is_new (editor));
  gtk_editable_set_text (GTK_EDITABLE (_rg_member_editor_get_field_widget (editor, RG_MEMBER_FIELD_NAME)),
                         "陳怡君");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.save", NULL));
  rg_test_ui_wait_for_draw (window);

  g_assert_true (rg_member_store_count (members, &count, NULL));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (_rg_members_page_get_state (page), ==, "list");
  g_assert_cmpstr (gtk_label_get_text (_rg_members_page_get_count_label (page)), ==, "1 member");
  rg_test_ui_maybe_screenshot (window, "members-first");

  gtk_window_destroy (GTK_WINDOW (window));
  rg_test_ui_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  tmp_dir = rg_test_make_tmpdir ();
  db = g_build_filename (tmp_dir, "demo.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, TRUE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/regulars/ui/members/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("count-and-search", test_members_count_and_search);
  ADD ("sort", test_members_sort);
  ADD ("edit", test_members_edit);
  ADD ("unsaved-changes", test_members_unsaved_changes);
  ADD ("add", test_members_add);
  ADD ("delete-undo", test_members_delete_undo);
  ADD ("adjust", test_members_adjust);
  ADD ("overspend", test_members_overspend);
  ADD ("keyboard", test_members_keyboard);
  ADD ("preferences", test_members_preferences);
  ADD ("import-export", test_members_import_export);
  ADD ("narrow", test_members_narrow);
#undef ADD
  g_test_add_func ("/regulars/ui/members/empty", test_members_empty);
  g_test_add_func ("/regulars/ui/members/stays-lazy", test_members_stays_lazy);

  status = g_test_run ();
  g_clear_object (&shared_app);
  rg_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
