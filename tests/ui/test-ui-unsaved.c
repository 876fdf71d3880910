/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cards/rg-card-editor-private.h"
#include "cards/rg-cards-page-private.h"
#include "members/rg-member-editor-private.h"
#include "members/rg-members-page-private.h"
#include "notify/rg-notify-editor-private.h"
#include "notify/rg-notify-page-private.h"
#include "rg-application.h"
#include "rg-card-store.h"
#include "rg-member-store.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"

/* Closing the main window with unsaved edits: the question, and what each answer does. */

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static char *shared_dir;

typedef struct
{
  RgWindow      *window;
  RgCardsPage   *cards_page;
  RgMembersPage *members_page;
  RgCardStore   *cards;
  RgMemberStore *members;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  RgStore *store;
  GtkWindow *window;

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  g_application_activate (G_APPLICATION (shared_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (shared_app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &fixture->window);
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));

  fixture->cards_page = RG_CARDS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window),
                                                                   RG_TYPE_CARDS_PAGE));
  fixture->members_page = RG_MEMBERS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window),
                                                                       RG_TYPE_MEMBERS_PAGE));
  g_assert_nonnull (fixture->cards_page);
  g_assert_nonnull (fixture->members_page);

  store = rg_application_get_store (shared_app);
  fixture->cards = rg_card_store_new (store);
  fixture->members = rg_member_store_new (store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  /* Whatever a test left unsaved goes without a question. */
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (shared_app))) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
  g_assert_null (fixture->window);
  g_clear_object (&fixture->cards);
  g_clear_object (&fixture->members);
}

static void
show_page (Fixture    *fixture,
           const char *page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             page));
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, page);
}

static RgCardEditor *
show_channel (Fixture       *fixture,
              RgCardChannel  channel)
{
  show_page (fixture, "cards");
  rg_cards_page_set_visible_channel (fixture->cards_page, channel);
  rg_test_ui_iterate ();
  return rg_cards_page_get_editor (fixture->cards_page, channel);
}

static char *
dup_saved_title (Fixture       *fixture,
                 RgCardChannel  channel)
{
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  design = rg_card_store_load (fixture->cards, channel, &error);
  g_assert_no_error (error);
  return g_strdup (rg_card_design_get_title (design));
}

/* The demo's first member in the list, opened in the pane. */
static RgMember *
open_first_member (Fixture *fixture)
{
  RgMemberList *list = rg_members_page_get_list (fixture->members_page);
  GtkColumnView *view = _rg_members_page_get_column_view (fixture->members_page);
  RgMemberEditor *editor = _rg_members_page_get_editor (fixture->members_page);

  show_page (fixture, "members");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
  g_assert_true (gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE));
  rg_test_ui_iterate ();
  g_assert_nonnull (rg_member_editor_get_member (editor));
  return g_object_ref (rg_member_editor_get_member (editor));
}

static void
set_member_field (Fixture    *fixture,
                  const char *field,
                  const char *text)
{
  RgMemberEditor *editor = _rg_members_page_get_editor (fixture->members_page);
  GtkWidget *widget = _rg_member_editor_get_field_widget (editor, field);

  g_assert_true (GTK_IS_EDITABLE (widget));
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
  g_assert_true (rg_member_editor_get_dirty (editor));
}

/* The close question on screen, if any. */
static AdwMessageDialog *
find_close_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)),
                     "Save Changes?") == 0)
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Ctrl+W: the window's close request, as the close button makes it too. */
static AdwMessageDialog *
request_close (Fixture *fixture)
{
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.close", NULL));
  rg_test_ui_iterate ();

  /* Still there, asking. */
  g_assert_nonnull (fixture->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  dialog = find_close_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  return dialog;
}

/* A click on one of the dialog's buttons, by its label. */
static void
answer (AdwMessageDialog *dialog,
        const char       *label)
{
  GtkWidget *button = find_button_with_label (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  rg_test_ui_iterate ();
  g_assert_null (find_close_dialog ());
}

static void
wait_for_window_closed (Fixture *fixture)
{
  RG_TEST_UI_WAIT_UNTIL (fixture->window == NULL);
}

static void
test_unsaved_card_cancel_then_save (Fixture       *fixture,
                                    gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  g_autofree char *before = dup_saved_title (fixture, RG_CARD_CHANNEL_LINE);
  g_autofree char *after = NULL;
  AdwMessageDialog *dialog;

  g_assert_cmpstr (before, !=, "晨葉 Closing Test");
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "晨葉 Closing Test");
  g_assert_true (rg_card_editor_get_dirty (editor));

  dialog = request_close (fixture);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The LINE card design has unsaved changes.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "save");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "save"), ==,
                   ADW_RESPONSE_SUGGESTED);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "unsaved-close-dialog");

  /* Cancel: nothing happened. */
  answer (dialog, "_Cancel");
  g_assert_nonnull (fixture->window);
  g_assert_true (rg_card_editor_get_dirty (editor));
  g_assert_cmpstr (gtk_editable_get_text (_rg_card_editor_get_title_editable (editor)), ==,
                   "晨葉 Closing Test");
  after = dup_saved_title (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* Ctrl+Q goes the same way; a second request while asked shows the same question. */
  g_action_group_activate_action (G_ACTION_GROUP (shared_app), "quit", NULL);
  rg_test_ui_iterate ();
  dialog = find_close_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.close", NULL));
  rg_test_ui_iterate ();
  g_assert_true (find_close_dialog () == dialog);

  /* Save: written, then closed. */
  answer (dialog, "_Save");
  wait_for_window_closed (fixture);
  after = dup_saved_title (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_cmpstr (after, ==, "晨葉 Closing Test");
}

static void
test_unsaved_discard (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RgMember) member = open_first_member (fixture);
  g_autoptr(RgMember) stored = NULL;
  g_autofree char *before = dup_saved_title (fixture, RG_CARD_CHANNEL_WECHAT);
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  RgCardEditor *editor;
  AdwMessageDialog *dialog;

  set_member_field (fixture, RG_MEMBER_FIELD_NAME, "Discarded Name");
  editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "Discarded Title");

  /* The page in view first, then the others. */
  dialog = request_close (fixture);
  expected = g_strdup_printf ("The WeChat card design and member “%s” have unsaved changes.",
                              rg_member_get_name (member));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, expected);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "unsaved-close-dialog-two");

  answer (dialog, "_Discard");
  wait_for_window_closed (fixture);

  after = dup_saved_title (fixture, RG_CARD_CHANNEL_WECHAT);
  g_assert_cmpstr (after, ==, before);
  stored = rg_member_store_get (fixture->members, rg_member_get_id (member), NULL);
  g_assert_cmpstr (rg_member_get_name (stored), ==, rg_member_get_name (member));
}

/* A refused save keeps the window open on the page that says why; what could be saved is. */
static void
test_unsaved_refused_save (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RgMember) member = open_first_member (fixture);
  g_autoptr(RgMember) stored = NULL;
  RgMemberEditor *member_editor = _rg_members_page_get_editor (fixture->members_page);
  g_autofree char *saved = NULL;
  g_autofree char *expected = NULL;
  RgCardEditor *editor;
  AdwMessageDialog *dialog;
  GtkWidget *phone;
  GtkWidget *focus;

  set_member_field (fixture, RG_MEMBER_FIELD_PHONE, "12345");
  editor = show_channel (fixture, RG_CARD_CHANNEL_WHATSAPP);
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "WhatsApp Saved On Close");

  dialog = request_close (fixture);
  answer (dialog, "_Save");

  /* The card was saved; the member was refused, in place, and the window stays on it. */
  g_assert_nonnull (fixture->window);
  g_assert_false (rg_card_editor_get_dirty (editor));
  saved = dup_saved_title (fixture, RG_CARD_CHANNEL_WHATSAPP);
  g_assert_cmpstr (saved, ==, "WhatsApp Saved On Close");
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "members");
  g_assert_true (rg_member_editor_get_dirty (member_editor));
  g_assert_nonnull (_rg_member_editor_get_field_error (member_editor, RG_MEMBER_FIELD_PHONE));
  phone = _rg_member_editor_get_field_widget (member_editor, RG_MEMBER_FIELD_PHONE);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus == phone || (focus != NULL && gtk_widget_is_ancestor (focus, phone)));
  stored = rg_member_store_get (fixture->members, rg_member_get_id (member), NULL);
  g_assert_cmpstr (rg_member_get_phone (stored), ==, rg_member_get_phone (member));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "unsaved-refused-member");

  /* Asked again, only the member is left. */
  dialog = request_close (fixture);
  expected = g_strdup_printf ("Member “%s” has unsaved changes.", rg_member_get_name (member));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, expected);
  answer (dialog, "_Discard");
  wait_for_window_closed (fixture);
}

/* A card tab not in view that cannot be saved comes into view with its message. */
static void
test_unsaved_refused_card (Fixture       *fixture,
                           gconstpointer  data)
{
  RgCardEditor *wechat = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  RgCardEditor *line;
  AdwMessageDialog *dialog;
  GtkWidget *focus;
  GtkWidget *url;

  gtk_editable_set_text (_rg_card_editor_get_register_url_editable (wechat), "not a web address");
  g_assert_true (rg_card_editor_get_dirty (wechat));
  line = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_false (rg_card_editor_get_dirty (line));
  show_page (fixture, "channels");

  dialog = request_close (fixture);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The WeChat card design has unsaved changes.");
  answer (dialog, "_Save");

  g_assert_nonnull (fixture->window);
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "cards");
  g_assert_cmpint (rg_cards_page_get_visible_channel (fixture->cards_page), ==,
                   RG_CARD_CHANNEL_WECHAT);
  g_assert_true (rg_card_editor_get_dirty (wechat));
  g_assert_nonnull (_rg_card_editor_get_url_message (wechat));
  url = GTK_WIDGET (_rg_card_editor_get_register_url_editable (wechat));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus == url || (focus != NULL && gtk_widget_is_ancestor (focus, url)));
  for (guint i = 0; i < 4; i++)
    rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "unsaved-refused-card");
}

/* The notification editor's edits belong to the window too. */
static void
test_unsaved_notification (Fixture       *fixture,
                           gconstpointer  data)
{
  RgNotifyPage *page = RG_NOTIFY_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (fixture->window),
                                                                   RG_TYPE_NOTIFY_PAGE));
  RgNotifyEditor *editor;
  AdwMessageDialog *dialog;

  show_page (fixture, "notifications");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "notify.new", NULL));
  rg_test_ui_iterate ();
  editor = _rg_notify_page_get_editor (page);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  rg_test_ui_wait_for_draw (GTK_WIDGET (editor));
  gtk_editable_set_text (GTK_EDITABLE (_rg_notify_editor_get_name_row (editor)), "Half Written");
  g_assert_true (rg_notify_editor_get_dirty (editor));

  dialog = request_close (fixture);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The new notification has unsaved changes.");

  /* Not complete: the editor says why and stays, and so does the window. */
  answer (dialog, "_Save");
  g_assert_nonnull (fixture->window);
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (rg_notify_editor_get_dirty (editor));

  dialog = request_close (fixture);
  answer (dialog, "_Discard");
  wait_for_window_closed (fixture);
  RG_TEST_UI_WAIT_UNTIL (editor == NULL);
}

/* In a narrow window the pane slides over the list and hides on a click outside it: that
 * asks about its edits too. */
static void
test_unsaved_member_pane_hidden (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RgMember) member = open_first_member (fixture);
  g_autoptr(RgMember) stored = NULL;
  RgMemberEditor *editor = _rg_members_page_get_editor (fixture->members_page);
  AdwFlap *flap = ADW_FLAP (rg_test_ui_find_descendant (GTK_WIDGET (fixture->members_page),
                                                        ADW_TYPE_FLAP));
  g_autofree char *expected = NULL;
  AdwMessageDialog *dialog;

  set_member_field (fixture, RG_MEMBER_FIELD_NAME, "Hidden Pane Draft");

  adw_flap_set_reveal_flap (flap, FALSE);
  rg_test_ui_iterate ();
  dialog = find_close_dialog ();
  g_assert_nonnull (dialog);
  expected = g_strdup_printf ("The changes to “%s” are not saved yet.", rg_member_get_name (member));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, expected);
  g_assert_true (adw_flap_get_reveal_flap (flap));

  /* Cancel: the pane stays with its edits. */
  answer (dialog, "_Cancel");
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_true (rg_member_editor_get_dirty (editor));
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (editor)), ==,
                   rg_member_get_id (member));

  /* Discard: closed, nothing written. */
  adw_flap_set_reveal_flap (flap, FALSE);
  rg_test_ui_iterate ();
  answer (find_close_dialog (), "_Discard");
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_null (rg_member_editor_get_member (editor));
  g_assert_false (rg_member_editor_get_dirty (editor));
  stored = rg_member_store_get (fixture->members, rg_member_get_id (member), NULL);
  g_assert_cmpstr (rg_member_get_name (stored), ==, rg_member_get_name (member));
}

/* Nothing unsaved: the window closes at once. */
static void
test_unsaved_nothing (Fixture       *fixture,
                      gconstpointer  data)
{
  show_channel (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.close", NULL));
  rg_test_ui_iterate ();
  g_assert_null (find_close_dialog ());
  g_assert_null (fixture->window);
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

  shared_dir = rg_test_make_tmpdir ();
  db = g_build_filename (shared_dir, "demo.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, TRUE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/regulars/ui/unsaved/nothing", Fixture, NULL,
              fixture_set_up, test_unsaved_nothing, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/card-cancel-then-save", Fixture, NULL,
              fixture_set_up, test_unsaved_card_cancel_then_save, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/discard", Fixture, NULL,
              fixture_set_up, test_unsaved_discard, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/refused-save", Fixture, NULL,
              fixture_set_up, test_unsaved_refused_save, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/refused-card", Fixture, NULL,
              fixture_set_up, test_unsaved_refused_card, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/notification", Fixture, NULL,
              fixture_set_up, test_unsaved_notification, fixture_tear_down);
  g_test_add ("/regulars/ui/unsaved/member-pane-hidden", Fixture, NULL,
              fixture_set_up, test_unsaved_member_pane_hidden, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_app);
  rg_test_remove_tree (shared_dir);
  g_clear_pointer (&shared_dir, g_free);
  return status;
}
