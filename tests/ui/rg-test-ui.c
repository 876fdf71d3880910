/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "rg-test-ui.h"

static void
skip_without_display (void)
{
  g_test_skip ("no display: run UI tests under Xvfb (see README)");
}

/**
 * rg_test_ui_init:
 *
 * Initializes GLib's test framework and GTK. Without a display it registers a single test
 * that skips, so the suite says why instead of crashing.
 *
 * Returns: %TRUE when GTK could open a display
 */
gboolean
rg_test_ui_init (int    *argc,
                 char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/regulars/ui/no-display", skip_without_display);
      return FALSE;
    }

  adw_init ();
  /* Pages switch with a crossfade; a screenshot taken mid-fade would show two pages. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

void
rg_test_ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
rg_test_ui_wait_for_draw (GtkWidget *widget)
{
  rg_test_ui_iterate ();
  gtk_test_widget_wait_for_draw (widget);
  rg_test_ui_iterate ();
}

/**
 * rg_test_ui_maybe_screenshot:
 *
 * When REGULARS_SCREENSHOT_DIR is set, saves what @widget shows as NAME.png there. The widget
 * must have been drawn once: a paintable made before the first frame snapshots nothing.
 */
void
rg_test_ui_maybe_screenshot (GtkWidget  *widget,
                             const char *name)
{
  const char *dir = g_getenv ("REGULARS_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL || dir[0] == '\0')
    return;

  rg_test_ui_wait_for_draw (widget);

  g_mkdir_with_parents (dir, 0755);
  paintable = gtk_widget_paintable_new (widget);
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file_name = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/**
 * rg_test_ui_find_descendant:
 *
 * Returns: (nullable): the first widget of @type in @widget's tree, depth first
 */
GtkWidget *
rg_test_ui_find_descendant (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rg_test_ui_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * rg_test_ui_find_button:
 *
 * Returns: (nullable): the button in @widget's tree that activates @action_name
 */
GtkWidget *
rg_test_ui_find_button (GtkWidget  *widget,
                        const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rg_test_ui_find_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * rg_test_ui_find_toplevel:
 *
 * Returns: (nullable) (transfer none): a shown window of @type, such as a dialog
 */
GtkWindow *
rg_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

gboolean
rg_test_ui_fail_on_timeout (gpointer what)
{
  g_error ("Timed out after %d s waiting for %s", RG_TEST_UI_WAIT_SECONDS, (const char *) what);
  return G_SOURCE_REMOVE;
}
