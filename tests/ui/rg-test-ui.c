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
