/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "members/rg-member-editor-private.h"
#include "members/rg-member-wechat-dialog-private.h"
#include "members/rg-members-page-private.h"
#include "rg-application.h"
#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-channel-settings.h"
#include "rg-fake-wechat.h"
#include "rg-member-store.h"
#include "rg-secrets.h"
#include "rg-server.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"

/* The WeChat card row of the member pane and its activation against the fake WeChat. */

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static char *shared_dir;

static const struct {
  const char *number;
  const char *name;
  const char *openid;
} seeds[] = {
  { "WX-0001", "微信 測試一", "oWXui0000000000000000000001" },
  { "WX-0002", "微信 測試二", "oWXui0000000000000000000002" },
  { "WX-0003", "微信 測試三", NULL },
};

typedef struct
{
  RgWindow          *window;
  RgMembersPage     *page;
  RgMemberEditor    *editor;
  RgMemberStore     *members;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgFakeWeChat      *fake;
  gint64             ids[G_N_ELEMENTS (seeds)];
} Fixture;

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
set_wechat_setting (Fixture     *fixture,
                    const char  *field,
                    const char  *value,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_channel_settings_set_async (fixture->settings, "wechat", field, value, NULL, store_result,
                                 &result);
  RG_TEST_UI_WAIT_UNTIL (result != NULL);
  return rg_channel_settings_set_finish (fixture->settings, result, error);
}

static gint64
seed_member (Fixture *fixture,
             guint    index)
{
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) error = NULL;

  member = rg_member_store_find_by_member_number (fixture->members, seeds[index].number, &error);
  g_assert_no_error (error);
  if (member != NULL)
    return rg_member_get_id (member);

  member = rg_member_new ();
  rg_member_set_member_number (member, seeds[index].number);
  rg_member_set_name (member, seeds[index].name);
  rg_member_set_wechat_openid (member, seeds[index].openid);
  rg_member_set_points_balance (member, 120);
  rg_member_set_accumulated_points (member, 120);
  rg_member_set_stored_value (member, 5000);
  g_assert_true (rg_member_store_insert (fixture->members, member, NULL, &error));
  g_assert_no_error (error);
  return rg_member_get_id (member);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  RgStore *store;

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  g_application_activate (G_APPLICATION (shared_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (shared_app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);
  gtk_window_set_default_size (window, 1100, 760);

  store = rg_application_get_store (shared_app);
  fixture->members = rg_member_store_new (store);
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    fixture->ids[i] = seed_member (fixture, i);

  fixture->page = RG_MEMBERS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window),
                                                               RG_TYPE_MEMBERS_PAGE));
  g_assert_nonnull (fixture->page);
  fixture->editor = _rg_members_page_get_editor (fixture->page);
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));

  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (store, fixture->secrets);
  fixture->fake = rg_fake_wechat_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_WECHAT_DIALOG)) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
  while ((window = gtk_application_get_active_window (GTK_APPLICATION (shared_app))) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->fake);
}

static AdwActionRow *
show_member (Fixture *fixture,
             guint    index)
{
  rg_members_page_show_member (fixture->page, fixture->ids[index]);
  rg_test_ui_iterate ();
  g_assert_nonnull (rg_member_editor_get_member (fixture->editor));
  g_assert_cmpint (rg_member_get_id (rg_member_editor_get_member (fixture->editor)), ==,
                   fixture->ids[index]);
  return _rg_member_editor_get_wechat_card_row (fixture->editor);
}

static GtkWidget *
activate_button (AdwActionRow *row)
{
  GtkWidget *button = rg_test_ui_find_button (GTK_WIDGET (row), "editor.activate-wechat");

  g_assert_nonnull (button);
  return button;
}

/* Scrolls the pane so that @widget is in view, for a screenshot that shows it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  rg_test_ui_wait_for_draw (widget);
  g_assert_true (gtk_widget_compute_point (widget,
                                           gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 160);
  rg_test_ui_wait_for_draw (widget);
}

static RgMemberWeChatDialog *
open_dialog (Fixture      *fixture,
             AdwActionRow *row)
{
  GtkWindow *dialog;

  g_assert_null (rg_test_ui_find_toplevel (RG_TYPE_MEMBER_WECHAT_DIALOG));
  g_signal_emit_by_name (activate_button (row), "clicked");
  rg_test_ui_iterate ();
  dialog = rg_test_ui_find_toplevel (RG_TYPE_MEMBER_WECHAT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (dialog));
  rg_test_ui_wait_for_draw (GTK_WIDGET (dialog));
  return RG_MEMBER_WECHAT_DIALOG (dialog);
}

/* Enter in the code entry, as a keyboard user activates. */
static void
press_enter (RgMemberWeChatDialog *dialog)
{
  GtkEditable *code = _rg_member_wechat_dialog_get_code_editable (dialog);

  g_assert_true (ADW_IS_ENTRY_ROW (code));
  g_signal_emit_by_name (code, "entry-activated");
  g_assert_true (rg_member_wechat_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (code)));
}

static char *
dup_last_activation (Fixture    *fixture,
                     const char *member)
{
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body;

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake),
                                               "/card/membercard/activate");
  g_assert_nonnull (request);
  node = rg_fake_request_dup_json (request);
  body = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (body, "membership_number"), ==, member);
  return g_strdup (json_object_get_string_member (body, "code"));
}

static void
on_event_handled (RgCardWeChat  *wechat,
                  const char    *event,
                  const char    *openid,
                  gint64         member_id,
                  const GError  *error,
                  gboolean      *handled)
{
  *handled = TRUE;
}


static void
test_member_wechat_activate (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(RgCardWeChat) wechat = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RgServer) server = NULL;
  g_autoptr(GHashTable) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pending = NULL;
  RgMemberWeChatDialog *dialog;
  AdwActionRow *row;
  const char *message;
  gboolean handled = FALSE;
  RgStore *store = rg_application_get_store (shared_app);

  /* No openid, no row. */
  row = show_member (fixture, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));

  /* An openid and no card yet. */
  row = show_member (fixture, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "WeChat card");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not received");
  g_assert_true (gtk_widget_get_visible (activate_button (row)));
  scroll_to (GTK_WIDGET (row));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "member-wechat-not-received");

  /* Before the WeChat design was ever pushed there is no card to activate: the dialog says
   * where to push it. */
  dialog = open_dialog (fixture, row);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (gtk_editable_get_text (_rg_member_wechat_dialog_get_code_editable (dialog)),
                   ==, "");
  gtk_editable_set_text (_rg_member_wechat_dialog_get_code_editable (dialog), " 1234 5678 9012 ");
  press_enter (dialog);
  RG_TEST_UI_WAIT_UNTIL (!rg_member_wechat_dialog_get_busy (dialog));
  message = _rg_member_wechat_dialog_get_message (dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "Push the WeChat design on the Member Cards page"));
  g_assert_true (gtk_widget_get_visible (_rg_member_wechat_dialog_get_page_button (dialog)));
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                     GTK_ACTIONABLE (_rg_member_wechat_dialog_get_page_button (dialog))), NULL),
                   ==, "cards");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (_rg_member_wechat_dialog_get_code_editable (dialog))));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "member-wechat-dialog-no-card");

  /* Credentials in the session's own test keyring (tools/keyring-session) and the fake. */
  if (!set_wechat_setting (fixture, "app-secret", RG_FAKE_WECHAT_APP_SECRET, &error))
    {
      g_assert_true (error->domain == RG_SECRETS_ERROR);
      g_test_skip ("No Secret Service: the activation was not tried");
      return;
    }
  g_assert_true (set_wechat_setting (fixture, "app-id", RG_FAKE_WECHAT_APP_ID, &error));
  g_assert_true (set_wechat_setting (fixture, "base-url",
                                     rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)),
                                     &error));
  g_assert_no_error (error);

  /* The card pushed, as the Member Cards page does. */
  cards = rg_card_store_new (store);
  design = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  rg_card_design_set_enabled (design, TRUE);
  g_assert_true (rg_card_store_save (cards, design, &error));
  wechat = rg_card_wechat_new (store, fixture->settings);
  g_assert_true (rg_card_wechat_set_brand_name (wechat, "晨葉茶行", &error));
  g_assert_true (rg_card_wechat_set_logo_url (wechat, "https://mmbiz.qpic.cn/logo.png", &error));
  g_assert_no_error (error);
  rg_card_wechat_push_design_async (wechat, NULL, store_result, &result);
  RG_TEST_UI_WAIT_UNTIL (result != NULL);
  card_id = rg_card_wechat_push_design_finish (wechat, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card_id);

  /* Again, in the same dialog: activated with the code as typed, the dialog goes. */
  press_enter (dialog);
  g_assert_null (_rg_member_wechat_dialog_get_message (dialog));
  RG_TEST_UI_WAIT_UNTIL (dialog == NULL);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                     "/card/membercard/activate"), ==, 1);
  code = dup_last_activation (fixture, seeds[0].number);
  g_assert_cmpstr (code, ==, "123456789012");
  g_clear_pointer (&code, g_free);
  code = rg_card_wechat_dup_member_code (wechat, fixture->ids[0], &error);
  g_assert_cmpstr (code, ==, "123456789012");

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Activated — code 1234 5678 9012");
  g_assert_false (gtk_widget_get_visible (activate_button (row)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "member-wechat-activated");

  /* WeChat sends a code when the second member takes the card; activating it then fails
   * once, so the code waits. */
  server = rg_server_new (store, fixture->settings);
  rg_card_wechat_attach (wechat, server);
  g_signal_connect (wechat, "event-handled", G_CALLBACK (on_event_handled), &handled);
  rg_fake_wechat_fail_errcode (fixture->fake, "/card/membercard/activate", 1, 40056,
                               "invalid serial code");
  event = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (event, (gpointer) "ToUserName", (gpointer) "gh_regulars");
  g_hash_table_insert (event, (gpointer) "FromUserName", (gpointer) seeds[1].openid);
  g_hash_table_insert (event, (gpointer) "CreateTime", (gpointer) "1767225600");
  g_hash_table_insert (event, (gpointer) "MsgType", (gpointer) "event");
  g_hash_table_insert (event, (gpointer) "Event", (gpointer) "user_get_card");
  g_hash_table_insert (event, (gpointer) "CardId", card_id);
  g_hash_table_insert (event, (gpointer) "UserCardCode", (gpointer) "555566667777");
  /* Shown while WeChat's event comes in: the row follows without choosing the member again. */
  row = show_member (fixture, 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not received");
  g_test_expect_message ("rg-card-wechat", G_LOG_LEVEL_WARNING, "*Could not activate*");
  g_signal_emit_by_name (server, "wechat-event", event);
  RG_TEST_UI_WAIT_UNTIL (handled);
  g_test_assert_expected_messages ();
  pending = rg_card_wechat_dup_pending_code (wechat, fixture->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pending, ==, "555566667777");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Received, not activated");
  g_assert_true (gtk_widget_get_visible (activate_button (row)));
  scroll_to (GTK_WIDGET (row));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "member-wechat-received");

  /* The dialog starts with the code WeChat sent. */
  dialog = open_dialog (fixture, row);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (gtk_editable_get_text (_rg_member_wechat_dialog_get_code_editable (dialog)),
                   ==, "555566667777");
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "member-wechat-dialog-pending");
  press_enter (dialog);
  RG_TEST_UI_WAIT_UNTIL (dialog == NULL);
  g_clear_pointer (&code, g_free);
  code = dup_last_activation (fixture, seeds[1].number);
  g_assert_cmpstr (code, ==, "555566667777");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Activated — code 5555 6666 7777");
}

/* WeChat's own refusal is said in place; Escape stops a request WeChat is slow to answer. */
static void
test_member_wechat_refused_and_cancelled (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RgMemberWeChatDialog *dialog;
  AdwActionRow *row;
  const char *message;

  /* The first test pushed the card and set the credentials; without a keyring it skipped. */
  if (!set_wechat_setting (fixture, "app-secret", RG_FAKE_WECHAT_APP_SECRET, &error))
    {
      g_test_skip ("No Secret Service");
      return;
    }
  g_assert_true (set_wechat_setting (fixture, "base-url",
                                     rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)),
                                     &error));

  /* Activated: nothing to activate. */
  row = show_member (fixture, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_get_visible (activate_button (row)));

  /* An openid given while the member is shown brings the row. */
  row = show_member (fixture, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
  {
    g_autoptr(RgMember) member = rg_member_store_get (fixture->members, fixture->ids[2], &error);

    g_assert_no_error (error);
    rg_member_set_wechat_openid (member, "oWXui0000000000000000000003");
    g_assert_true (rg_member_store_update (fixture->members, member, &error));
    g_assert_no_error (error);
  }
  row = show_member (fixture, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));

  dialog = open_dialog (fixture, row);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* Nothing typed: said at once, nothing sent. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "wechat.activate", NULL);
  g_assert_false (rg_member_wechat_dialog_get_busy (dialog));
  g_assert_nonnull (_rg_member_wechat_dialog_get_message (dialog));

  /* This test's fake never saw the card pushed in the first: WeChat's “invalid card id”. */
  gtk_editable_set_text (_rg_member_wechat_dialog_get_code_editable (dialog), "999988887777");
  press_enter (dialog);
  RG_TEST_UI_WAIT_UNTIL (!rg_member_wechat_dialog_get_busy (dialog));
  message = _rg_member_wechat_dialog_get_message (dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "WeChat did not activate the card"));
  g_assert_nonnull (strstr (message, "40073"));
  g_assert_false (gtk_widget_get_visible (_rg_member_wechat_dialog_get_page_button (dialog)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (dialog), "member-wechat-dialog-refused");

  /* A request WeChat holds: Escape closes and nothing is recorded. */
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), "/card/membercard/activate", 1);
  press_enter (dialog);
  RG_TEST_UI_WAIT_UNTIL (rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->fake)) == 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  RG_TEST_UI_WAIT_UNTIL (dialog == NULL);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->fake));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not received");
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

  g_test_add ("/regulars/ui/member-wechat/activate", Fixture, NULL,
              fixture_set_up, test_member_wechat_activate, fixture_tear_down);
  g_test_add ("/regulars/ui/member-wechat/refused-and-cancelled", Fixture, NULL,
              fixture_set_up, test_member_wechat_refused_and_cancelled, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_app);
  rg_test_remove_tree (shared_dir);
  g_clear_pointer (&shared_dir, g_free);
  return status;
}
