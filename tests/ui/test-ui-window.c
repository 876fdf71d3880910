/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-application.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"

static const char * const pages[] = {
  "members", "cards", "notifications", "coupons", "upstream", "groups", "channels",
};

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;

typedef struct
{
  RgApplication *app;
  GSettings     *settings;
} Fixture;

static RgWindow *
open_window (Fixture *fixture)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (fixture->app));
  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (RG_IS_WINDOW (window));
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));
  return RG_WINDOW (window);
}

static void
close_windows (Fixture *fixture)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app))) != NULL)
    {
      gtk_window_close (window);
      rg_test_ui_iterate ();
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = shared_app;
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, "last-page");
  g_settings_reset (fixture->settings, "window-width");
  g_settings_reset (fixture->settings, "window-height");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_windows (fixture);
  g_clear_object (&fixture->settings);
}

static void
test_window_visits_every_page (Fixture       *fixture,
                               gconstpointer  data)
{
  RgWindow *window = open_window (fixture);

  g_assert_nonnull (rg_application_get_store (fixture->app));
  g_assert_cmpstr (rg_window_get_visible_page (window), ==, "members");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *screenshot = g_strdup_printf ("page-%s", pages[i]);
      g_autofree char *remembered = NULL;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                                 pages[i]));
      rg_test_ui_wait_for_draw (GTK_WIDGET (window));

      g_assert_cmpstr (rg_window_get_visible_page (window), ==, pages[i]);
      remembered = g_settings_get_string (fixture->settings, "last-page");
      g_assert_cmpstr (remembered, ==, pages[i]);

      rg_test_ui_maybe_screenshot (GTK_WIDGET (window), screenshot);
    }
}

static void
test_window_remembers_page_and_size (Fixture       *fixture,
                                     gconstpointer  data)
{
  RgWindow *window = open_window (fixture);
  int width, height;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "coupons");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));
  close_windows (fixture);

  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 640);

  window = open_window (fixture);
  g_assert_cmpstr (rg_window_get_visible_page (window), ==, "coupons");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 640);
}

static void
test_window_shortcuts (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "window.close", "<Control>w" },
    { "win.show-help-overlay", "<Control>question" },
    { "win.show-help-overlay", "F1" },
    { "win.show-page::channels", "<Alt>7" },
  };
  RgWindow *window = open_window (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app),
                                                                    expected[i].action);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }

  /* The shortcuts window comes from resources/gtk/help-overlay.ui through the base path. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* Ctrl+Q closes every window, which is how the application ends. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  rg_test_ui_iterate ();
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
}

static gboolean
fail_on_timeout (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
test_window_runs_service (Fixture       *fixture,
                          gconstpointer  data)
{
  RgService *service;
  guint timeout_id;

  open_window (fixture);

  /* The first window's process takes the service lock and listens (on a free port here). */
  service = rg_application_get_service (fixture->app);
  g_assert_nonnull (service);
  timeout_id = g_timeout_add_seconds (20, fail_on_timeout, (gpointer) "the service to start");
  while (!rg_service_get_running (service))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  g_assert_cmpuint (rg_server_get_port (rg_service_get_server (service)), >, 0);
}

static void
test_window_about (Fixture       *fixture,
                   gconstpointer  data)
{
  RgWindow *window = open_window (fixture);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);
  g_autoptr(GtkWindow) about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  rg_test_ui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        g_set_object (&about, toplevel);
    }
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  dir = rg_test_make_tmpdir ();
  db = g_build_filename (dir, "demo.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, TRUE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/regulars/ui/window/visits-every-page", Fixture, NULL,
              fixture_set_up, test_window_visits_every_page, fixture_tear_down);
  g_test_add ("/regulars/ui/window/remembers-page-and-size", Fixture, NULL,
              fixture_set_up, test_window_remembers_page_and_size, fixture_tear_down);
  g_test_add ("/regulars/ui/window/shortcuts", Fixture, NULL,
              fixture_set_up, test_window_shortcuts, fixture_tear_down);
  g_test_add ("/regulars/ui/window/runs-service", Fixture, NULL,
              fixture_set_up, test_window_runs_service, fixture_tear_down);
  g_test_add ("/regulars/ui/window/about", Fixture, NULL,
              fixture_set_up, test_window_about, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_app);
  rg_test_remove_tree (dir);
  return status;
}
