/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>

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
          /* Gone meanwhile is fine: a GTask lets go of its source object (an importer, and
           * with it a connection) on its worker thread after the caller has its result, and
           * SQLite deletes -wal and -shm when the last connection to a database closes. */
          else if (g_unlink (child) != 0 && errno != ENOENT)
            g_error ("Could not remove %s: %s", child, g_strerror (errno));
        }
    }
  g_assert_cmpint (g_remove (path), ==, 0);
}

/**
 * rg_test_open_store:
 * @dir: a folder of the test's own, from rg_test_make_tmpdir()
 * @path: (out) (optional): the database file, regulars.db in @dir
 *
 * Returns: (transfer full): the store of a new database in @dir
 */
RgStore *
rg_test_open_store (const char  *dir,
                    char       **path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (dir, "regulars.db", NULL);
  RgStore *store = rg_store_open (file, &error);

  g_assert_no_error (error);
  if (path != NULL)
    *path = g_steal_pointer (&file);
  return store;
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

/**
 * rg_test_cli_path:
 *
 * Returns: (transfer full): the regulars-cli of this build
 */
char *
rg_test_cli_path (void)
{
  const char *root = g_getenv ("REGULARS_BUILD_ROOT");

  return g_build_filename (root != NULL ? root : BUILD_ROOT, "src", "regulars-cli", NULL);
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * rg_test_run_cli:
 * @database: the --database of the run
 * @input: (nullable): what the command reads on standard input
 * @out: (out) (optional): its standard output
 * @err: (out) (optional): its standard error
 * @...: the arguments after --database PATH, then %NULL
 *
 * Runs regulars-cli to its end while the default main context keeps turning, so fakes
 * served from this process answer it.
 *
 * Returns: the exit status
 */
int
rg_test_run_cli (const char  *database,
                 const char  *input,
                 char       **out,
                 char       **err,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, rg_test_cli_path ());
  g_ptr_array_add (args, g_strdup ("--database"));
  g_ptr_array_add (args, g_strdup (database));
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       communicated_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result,
                                                       &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", stdout_text, stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}
