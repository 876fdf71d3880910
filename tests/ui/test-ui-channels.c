/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-application.h"
#include "channels/rg-channels-page.h"
#include "rg-fake-line.h"
#include "rg-secrets.h"
#include "rg-test-keyring.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"


#define LINE_CHANNEL_ID     "1650000000"
#define LINE_CHANNEL_SECRET "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static RgTestKeyring *keyring;

typedef struct
{
  RgWindow       *window;
  RgChannelsPage *page;
  RgFakeLine     *fake;
} Fixture;





/* Opens the expanders (Advanced, the webhook steps) for screenshots. */
static void
expand_rows (GtkWidget *widget)
{
  if (ADW_IS_EXPANDER_ROW (widget))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    expand_rows (child);
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

static void
skip_without_keyring (void)
{
  g_test_skip ("gnome-keyring-daemon and dbus-daemon are needed");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  fixture->fake = rg_fake_line_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error));
  g_assert_no_error (error);

  g_application_activate (G_APPLICATION (shared_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (shared_app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "channels"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));

  fixture->page = RG_CHANNELS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window), RG_TYPE_CHANNELS_PAGE));
  g_assert_nonnull (fixture->page);
  g_assert_nonnull (rg_channels_page_get_settings (fixture->page));
  g_object_add_weak_pointer (G_OBJECT (fixture->page), (gpointer *) &fixture->page);

  /* The page asks the keyring which secrets it holds as soon as it has the database. */
  RG_TEST_UI_WAIT_UNTIL (!rg_channels_page_get_checking_keyring (fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (shared_app))) != NULL)
    {
      gtk_window_close (window);
      rg_test_ui_iterate ();
    }

  /* The page, its groups and whatever they were waiting for went with the window. */
  g_assert_null (fixture->page);
  g_clear_object (&fixture->fake);
}

/* Types @text into the row of @field and activates the save action, as Enter does. */
static void
save_field (RgChannelGroup *group,
            const char     *field,
            const char     *text)
{
  GtkWidget *row = rg_channel_group_get_field_row (group, field);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "channel.save-field", "s", field));
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_busy (group));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
lookup_secret (const char *channel,
               const char *field)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  rg_secrets_lookup_async (secrets, channel, field, NULL, lookup_cb, &result);
  RG_TEST_UI_WAIT_UNTIL (result != NULL);
  value = rg_secrets_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  return value;
}

/* The database and its write-ahead log, where fresh writes are until a checkpoint. */
static gboolean
database_contains (RgChannelsPage *page,
                   const char     *needle)
{
  RgStore *store = rg_channels_page_get_store (page);
  static const char * const suffixes[] = { "", "-wal" };
  gsize needle_length = strlen (needle);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (rg_store_get_path (store), suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      for (gsize at = 0; at + needle_length <= length; at++)
        {
          if (memcmp (contents + at, needle, needle_length) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_channels_line_save_and_test (Fixture       *fixture,
                                  gconstpointer  data)
{
  RgChannelGroup *group = rg_channels_page_get_group (fixture->page, "line");
  RgChannelSettings *settings = rg_channels_page_get_settings (fixture->page);
  const char *base_url = rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake));
  g_autofree char *stored_secret = NULL;
  g_autofree char *stored_token = NULL;
  g_autofree char *stored_id = NULL;
  g_autofree char *stored_url = NULL;
  AdwActionRow *test_row;

  g_assert_nonnull (group);
  g_assert_true (rg_channels_page_get_keyring_available (fixture->page));
  g_assert_false (rg_channel_group_get_field_stored (group, "channel-secret"));

  save_field (group, "channel-id", LINE_CHANNEL_ID);
  save_field (group, "channel-secret", LINE_CHANNEL_SECRET);
  save_field (group, "channel-access-token", RG_FAKE_LINE_ACCESS_TOKEN);
  save_field (group, "base-url", base_url);

  g_assert_null (rg_channel_group_get_field_error (group, "channel-id"));
  g_assert_null (rg_channel_group_get_field_error (group, "channel-secret"));
  g_assert_null (rg_channel_group_get_field_error (group, "channel-access-token"));
  g_assert_null (rg_channel_group_get_field_error (group, "base-url"));

  /* Plain fields in the database … */
  stored_id = rg_channel_settings_get_value (settings, "line", "channel-id", NULL);
  g_assert_cmpstr (stored_id, ==, LINE_CHANNEL_ID);
  stored_url = rg_channel_settings_get_value (settings, "line", "base-url", NULL);
  g_assert_cmpstr (stored_url, ==, base_url);
  g_assert_true (database_contains (fixture->page, LINE_CHANNEL_ID));

  /* … secrets in the keyring only, and the rows never show them again. */
  stored_secret = lookup_secret ("line", "channel-secret");
  g_assert_cmpstr (stored_secret, ==, LINE_CHANNEL_SECRET);
  stored_token = lookup_secret ("line", "channel-access-token");
  g_assert_cmpstr (stored_token, ==, RG_FAKE_LINE_ACCESS_TOKEN);
  g_assert_false (database_contains (fixture->page, LINE_CHANNEL_SECRET));
  g_assert_false (database_contains (fixture->page, RG_FAKE_LINE_ACCESS_TOKEN));
  g_assert_true (rg_channel_group_get_field_stored (group, "channel-secret"));
  g_assert_true (rg_channel_group_get_field_stored (group, "channel-access-token"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rg_channel_group_get_field_row (group, "channel-secret"))),
                   ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rg_channel_group_get_field_row (group, "channel-access-token"))),
                   ==, "");

  /* Test Connection calls the fake's bot info with the stored token. */
  test_row = rg_channel_group_get_test_row (group);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (test_row)));
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), "/v2/bot/info", 1);
  click (GTK_WIDGET (group), "channel.test");
  RG_TEST_UI_WAIT_UNTIL (rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->fake)) == 1);

  /* While the platform thinks, the row says so and the button waits. */
  g_assert_true (rg_channel_group_get_testing (group));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (test_row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)), ==,
                   "Testing the connection…");
  g_assert_false (gtk_widget_is_sensitive (rg_test_ui_find_button (GTK_WIDGET (group), "channel.test")));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-line-testing");
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->fake));
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_testing (group));

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), "/v2/bot/info"),
                    ==, 1);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)),
                            RG_FAKE_LINE_DISPLAY_NAME));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)),
                            RG_FAKE_LINE_BASIC_ID));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-line-connected");

  /* A refused token shows LINE's own words. */
  rg_fake_line_fail (fixture->fake, "/v2/bot/info", 1, RG_FAKE_LINE_FAIL_UNAUTHORIZED, -1);
  click (GTK_WIDGET (group), "channel.test");
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_testing (group));

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), "/v2/bot/info"),
                    ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)), ==,
                   "Connection Failed");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row),
                            "Authentication failed. Confirm that the access token in the "
                            "authorization header is valid."));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "401"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-line-refused");

  /* Nothing the page did wrote a secret to the database on the way. */
  g_assert_false (database_contains (fixture->page, LINE_CHANNEL_SECRET));
  g_assert_false (database_contains (fixture->page, RG_FAKE_LINE_ACCESS_TOKEN));
}

static void
test_channels_validation (Fixture       *fixture,
                          gconstpointer  data)
{
  RgChannelGroup *group = rg_channels_page_get_group (fixture->page, "line");
  RgChannelSettings *settings = rg_channels_page_get_settings (fixture->page);
  GtkWidget *id_row = rg_channel_group_get_field_row (group, "channel-id");
  g_autofree char *before = rg_channel_settings_get_value (settings, "line", "channel-id", NULL);
  g_autofree char *after = NULL;
  const char *message;
  int minimum_width;

  save_field (group, "channel-id", "12ab");
  message = rg_channel_group_get_field_error (group, "channel-id");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "“12ab” must be a number"));
  /* The row already names the setting; the CLI's “line/channel-id:” prefix is left out. */
  g_assert_null (strstr (message, "line/channel-id"));
  g_assert_true (gtk_widget_has_css_class (id_row, "error"));
  after = rg_channel_settings_get_value (settings, "line", "channel-id", NULL);
  g_assert_cmpstr (after, ==, before);

  save_field (group, "base-url", "ftp://files.example.com");
  message = rg_channel_group_get_field_error (group, "base-url");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "http:// or https://"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-validation");

  /* The messages wrap instead of widening the page: it still fits a phone (the window's
   * content pane is 360 pixels wide at least). */
  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum_width, NULL, NULL, NULL);
  g_assert_cmpint (minimum_width, <=, 360);

  /* Typing again clears the complaint. */
  gtk_editable_set_text (GTK_EDITABLE (id_row), "123");
  g_assert_null (rg_channel_group_get_field_error (group, "channel-id"));
  g_assert_false (gtk_widget_has_css_class (id_row, "error"));

  /* Saving an empty API address goes back to LINE's own. */
  save_field (group, "base-url", "");
  g_assert_null (rg_channel_group_get_field_error (group, "base-url"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rg_channel_group_get_field_row (group, "base-url"))),
                   ==, "https://api.line.me");
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static void
test_channels_webhook_and_server (Fixture       *fixture,
                                  gconstpointer  data)
{
  RgChannelGroup *line = rg_channels_page_get_group (fixture->page, "line");
  RgChannelGroup *whatsapp = rg_channels_page_get_group (fixture->page, "whatsapp");
  RgChannelGroup *wechat = rg_channels_page_get_group (fixture->page, "wechat");
  RgServerGroup *server = rg_channels_page_get_server_group (fixture->page);
  RgChannelSettings *settings = rg_channels_page_get_settings (fixture->page);
  AdwActionRow *webhook_row = rg_channel_group_get_webhook_row (line);
  GtkWidget *url_row = rg_server_group_get_row (server, "public-base-url");
  GtkWidget *port_row = rg_server_group_get_row (server, "port");
  g_autofree char *copied = NULL;
  g_autofree char *public_url = NULL;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *vadjustment;
  GtkWidget *focus;

  /* Without a public address the page says where to enter one. */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (webhook_row))));
  /* WeChat pushes the card events there too (user_get_card). */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (rg_channel_group_get_webhook_row (wechat)))));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (rg_channel_group_get_webhook_row (wechat)),
                            "Built-in Server"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (webhook_row), "Built-in Server"));

  /* … and its button scrolls there and puts the cursor in the public base URL. */
  scrolled = GTK_SCROLLED_WINDOW (rg_test_ui_find_descendant (GTK_WIDGET (fixture->page),
                                                   GTK_TYPE_SCROLLED_WINDOW));
  vadjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (vadjustment, 0);
  click (GTK_WIDGET (line), "channels.show-server-settings");
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  focus = gtk_window_get_focus (GTK_WINDOW (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == url_row || gtk_widget_is_ancestor (focus, url_row));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-server");

  /* Only http(s) addresses are accepted. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "shop.example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (server), "server.save", "s",
                                             "public-base-url"));
  g_assert_nonnull (rg_server_group_get_error (server, "public-base-url"));
  public_url = rg_channel_settings_dup_public_base_url (settings);
  g_assert_null (public_url);

  gtk_editable_set_text (GTK_EDITABLE (port_row), "99999");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (server), "server.save", "s", "port"));
  g_assert_nonnull (strstr (rg_server_group_get_error (server, "port"), "99999"));
  g_assert_cmpuint (rg_channel_settings_get_server_port (settings), ==, RG_SERVER_DEFAULT_PORT);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-server-errors");

  gtk_editable_set_text (GTK_EDITABLE (port_row), "8080");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (server), "server.save", "s", "port"));
  g_assert_null (rg_server_group_get_error (server, "port"));
  g_assert_cmpuint (rg_channel_settings_get_server_port (settings), ==, 8080);

  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://shop.example.com/regulars/");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (server), "server.save", "s",
                                             "public-base-url"));
  g_assert_null (rg_server_group_get_error (server, "public-base-url"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==,
                   "https://shop.example.com/regulars");

  /* Both webhook rows follow at once. */
  g_assert_cmpstr (adw_action_row_get_subtitle (webhook_row), ==,
                   "https://shop.example.com/regulars/webhook/line");
  g_assert_cmpstr (adw_action_row_get_subtitle (rg_channel_group_get_webhook_row (whatsapp)), ==,
                   "https://shop.example.com/regulars/webhook/whatsapp");

  click (GTK_WIDGET (line), "channel.copy-webhook");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (line)), NULL,
                                 read_text_cb, &copied);
  RG_TEST_UI_WAIT_UNTIL (copied != NULL);
  g_assert_cmpstr (copied, ==, "https://shop.example.com/regulars/webhook/line");

  g_assert_cmpstr (adw_action_row_get_subtitle (rg_channel_group_get_webhook_row (wechat)), ==,
                   "https://shop.example.com/regulars/webhook/wechat");

  gtk_adjustment_set_value (vadjustment, 0);
  expand_rows (GTK_WIDGET (line));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-webhook");

  expand_rows (GTK_WIDGET (wechat));
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  {
    graphene_point_t top;

    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (wechat),
                                             gtk_scrolled_window_get_child (scrolled),
                                             &GRAPHENE_POINT_INIT (0, 0), &top));
    gtk_adjustment_set_value (vadjustment, top.y + 300);
  }
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-wechat-webhook");
}

static void
test_channels_sms_provider (Fixture       *fixture,
                            gconstpointer  data)
{
  RgChannelGroup *group = rg_channels_page_get_group (fixture->page, "sms");
  RgChannelSettings *settings = rg_channels_page_get_settings (fixture->page);
  GtkWidget *provider_row = rg_channel_group_get_field_row (group, "provider");
  GtkWidget *base_url_row = rg_channel_group_get_field_row (group, "base-url");
  g_autofree char *provider = NULL;

  g_assert_true (ADW_IS_COMBO_ROW (provider_row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (provider_row)), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (base_url_row)), ==, "");

  /* Picking a provider saves it, and the default API address follows. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (provider_row), 2);
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_busy (group));
  provider = rg_channel_settings_get_value (settings, "sms", "provider", NULL);
  g_assert_cmpstr (provider, ==, "twilio");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (base_url_row)), ==,
                   "https://api.twilio.com");

  g_clear_pointer (&provider, g_free);
  adw_combo_row_set_selected (ADW_COMBO_ROW (provider_row), 1);
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_busy (group));
  provider = rg_channel_settings_get_value (settings, "sms", "provider", NULL);
  g_assert_cmpstr (provider, ==, "mitake");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (base_url_row)), ==,
                   "https://smsapi.mitake.com.tw");
  g_assert_cmpstr (adw_combo_row_get_selected_item (ADW_COMBO_ROW (provider_row)) != NULL ?
                   gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (provider_row))) :
                   NULL, ==, "Mitake");

  /* Required secrets that are missing are named by the test, before any request. */
  click (GTK_WIDGET (group), "channel.test");
  RG_TEST_UI_WAIT_UNTIL (!rg_channel_group_get_testing (group));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rg_channel_group_get_test_row (group))),
                   ==, "Settings Missing");
  gtk_widget_grab_focus (provider_row);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-sms");
}

static void
test_channels_close_while_testing (Fixture       *fixture,
                                   gconstpointer  data)
{
  RgChannelGroup *group = rg_channels_page_get_group (fixture->page, "line");
  const char *base_url = rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake));

  save_field (group, "channel-secret", LINE_CHANNEL_SECRET);
  save_field (group, "channel-access-token", RG_FAKE_LINE_ACCESS_TOKEN);
  save_field (group, "base-url", base_url);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), "/v2/bot/info", 1);
  click (GTK_WIDGET (group), "channel.test");
  RG_TEST_UI_WAIT_UNTIL (rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->fake)) == 1);

  /* Closing the window cancels the request instead of waiting for the platform. */
  g_object_add_weak_pointer (G_OBJECT (group), (gpointer *) &group);
  gtk_window_close (GTK_WINDOW (fixture->window));
  RG_TEST_UI_WAIT_UNTIL (group == NULL);
  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->fake));
}

/* Last: a locked collection cannot be unlocked again without a prompt. */
static void
test_channels_keyring_locked (Fixture       *fixture,
                              gconstpointer  data)
{
  RgChannelGroup *group = rg_channels_page_get_group (fixture->page, "line");
  GtkWidget *secret_row = rg_channel_group_get_field_row (group, "channel-secret");
  GtkWidget *id_row = rg_channel_group_get_field_row (group, "channel-id");
  const char *message;

  g_assert_true (rg_channels_page_get_keyring_available (fixture->page));
  g_assert_true (gtk_widget_get_sensitive (secret_row));

  rg_test_keyring_lock (keyring);
  g_test_expect_message ("rg-channels-page", G_LOG_LEVEL_WARNING, "*keyring is locked*");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "channels.retry-keyring", NULL));
  RG_TEST_UI_WAIT_UNTIL (!rg_channels_page_get_checking_keyring (fixture->page));
  g_test_assert_expected_messages ();

  g_assert_false (rg_channels_page_get_keyring_available (fixture->page));
  message = rg_channels_page_get_keyring_message (fixture->page);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "The keyring is locked. Unlock it"));
  g_assert_false (gtk_widget_get_sensitive (secret_row));
  g_assert_true (gtk_widget_get_sensitive (id_row));
  g_assert_nonnull (rg_test_ui_find_button (GTK_WIDGET (fixture->page), "channels.retry-keyring"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "channels-keyring-locked");

  /* Trying again while it is still locked keeps the message up. */
  click (GTK_WIDGET (fixture->page), "channels.retry-keyring");
  RG_TEST_UI_WAIT_UNTIL (!rg_channels_page_get_checking_keyring (fixture->page));
  g_assert_false (rg_channels_page_get_keyring_available (fixture->page));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* A keyring of this program's own, which the last test locks. It comes first: whoever
   * connects to the session bus first (libadwaita does, for the portal) fixes which bus the
   * program talks to. */
  keyring = rg_test_keyring_start (&error);

  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  if (keyring == NULL)
    {
      g_test_message ("Skipping the channels page tests: %s", error->message);
      g_test_add_func ("/regulars/ui/channels/no-keyring", skip_without_keyring);
      return g_test_run ();
    }

  dir = rg_test_make_tmpdir ();
  db = g_build_filename (dir, "regulars.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, FALSE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/regulars/ui/channels/line-save-and-test", Fixture, NULL,
              fixture_set_up, test_channels_line_save_and_test, fixture_tear_down);
  g_test_add ("/regulars/ui/channels/validation", Fixture, NULL,
              fixture_set_up, test_channels_validation, fixture_tear_down);
  g_test_add ("/regulars/ui/channels/webhook-and-server", Fixture, NULL,
              fixture_set_up, test_channels_webhook_and_server, fixture_tear_down);
  g_test_add ("/regulars/ui/channels/sms-provider", Fixture, NULL,
              fixture_set_up, test_channels_sms_provider, fixture_tear_down);
  g_test_add ("/regulars/ui/channels/close-while-testing", Fixture, NULL,
              fixture_set_up, test_channels_close_while_testing, fixture_tear_down);
  g_test_add ("/regulars/ui/channels/keyring-locked", Fixture, NULL,
              fixture_set_up, test_channels_keyring_locked, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_app);
  g_clear_pointer (&keyring, rg_test_keyring_stop);
  rg_test_remove_tree (dir);
  return status;
}
