/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "rg-test-util.h"

/**
 * rg_test_make_tmpdir:
 *
 * Returns: (transfer full): a new private folder for one test
 */
char *
rg_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("regulars-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
rg_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rg_test_remove_tree (child);
          else
            g_assert_cmpint (g_unlink (child), ==, 0);
        }
    }
  g_assert_cmpint (g_remove (path), ==, 0);
}

/**
 * rg_test_shared_path:
 * @relative: a path inside the team's shared/ folder, e.g. "specs/line/webhook.yml"
 *
 * shared/ lies beside the clone in CI but not in a user's fresh clone.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL when shared/ is absent
 */
char *
rg_test_shared_path (const char *relative)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "..", "shared", relative, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&path);
}
