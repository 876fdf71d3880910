/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* A gnome-keyring of its own for one test program, on a private session bus. The suite's
 * shared keyring (tools/keyring-session) would let test programs that run in parallel
 * overwrite each other's "line/channel-secret", and locking it would break the others.
 * The bus has no service directories, so no prompter can be activated: anything that
 * would prompt fails instead of waiting for a click. It is a plain dbus-daemon rather than
 * GTestDBus, whose teardown waits for the connection to be finalized, and libsecret 0.20
 * keeps references to it after secret_password_clear(). */

#define KEYRING_PASSWORD    "regulars-test"
#define STARTUP_TIMEOUT_SEC 20

#define BUS_CONFIG \
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n" \
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n" \
  "<busconfig>\n" \
  "  <type>session</type>\n" \
  "  <listen>unix:dir=%s</listen>\n" \
  "  <policy context=\"default\">\n" \
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" \
  "    <allow eavesdrop=\"true\"/>\n" \
  "    <allow own=\"*\"/>\n" \
  "  </policy>\n" \
  "</busconfig>\n"

struct _RgTestKeyring
{
  char        *home;
  GSubprocess *bus;
  GSubprocess *daemon;
};

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * rg_test_keyring_start:
 *
 * Starts a private bus (DBUS_SESSION_BUS_ADDRESS now points at it, also for child
 * processes) with an unlocked login keyring as the default collection.
 *
 * Returns: (transfer full): the keyring, or %NULL when dbus-daemon or gnome-keyring-daemon
 *   is not installed (skip the tests then)
 */
static RgTestKeyring *
start (gboolean   with_daemon,
       GError   **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *runtime_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *bus_program = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDataInputStream) address_stream = NULL;
  RgTestKeyring *keyring;
  GOutputStream *input;
  gboolean appeared = FALSE;
  gboolean timed_out = FALSE;
  guint watch_id;
  guint timeout_id;

  if (!(program = g_find_program_in_path ("gnome-keyring-daemon")) ||
      !(bus_program = g_find_program_in_path ("dbus-daemon")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "gnome-keyring-daemon and dbus-daemon are needed for keyring tests");
      return NULL;
    }

  keyring = g_new0 (RgTestKeyring, 1);
  keyring->home = rg_test_make_tmpdir ();
  runtime_dir = g_build_filename (keyring->home, "run", NULL);
  data_dir = g_build_filename (keyring->home, "data", NULL);
  config_dir = g_build_filename (keyring->home, "config", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);

  config = g_strdup_printf (BUS_CONFIG, runtime_dir);
  config_path = g_build_filename (keyring->home, "bus.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  keyring->bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   error, bus_program, "--nofork", "--print-address=1",
                                   "--config-file", config_path, NULL);
  if (keyring->bus == NULL)
    {
      rg_test_keyring_stop (keyring);
      return NULL;
    }
  address_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keyring->bus));
  address = g_data_input_stream_read_line_utf8 (address_stream, NULL, NULL, error);
  if (address == NULL)
    {
      rg_test_keyring_stop (keyring);
      return NULL;
    }
  /* From here on this program and its children use the private bus. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  if (!with_daemon)
    return keyring;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");

  keyring->daemon = g_subprocess_launcher_spawn (launcher, error, program,
                                                 "--foreground", "--unlock",
                                                 "--components=secrets", NULL);
  if (keyring->daemon == NULL)
    {
      rg_test_keyring_stop (keyring);
      return NULL;
    }

  /* --unlock reads the password of the login keyring, which it creates, from stdin. */
  input = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_assert_true (g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD),
                                            NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (input, NULL, NULL));

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_assert_nonnull (connection);
  watch_id = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                             G_BUS_NAME_WATCHER_FLAGS_NONE,
                                             name_appeared_cb, NULL, &appeared, NULL);
  timeout_id = g_timeout_add_seconds (STARTUP_TIMEOUT_SEC, timeout_cb, &timed_out);
  while (!appeared && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch_id);
  if (!timed_out)
    g_source_remove (timeout_id);

  if (!appeared)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "gnome-keyring-daemon did not appear on the private bus within %d s",
                   STARTUP_TIMEOUT_SEC);
      rg_test_keyring_stop (keyring);
      return NULL;
    }

  return keyring;
}

RgTestKeyring *
rg_test_keyring_start (GError **error)
{
  return start (TRUE, error);
}

/**
 * rg_test_keyring_start_without_service:
 *
 * Starts only the private bus: nobody owns org.freedesktop.secrets on it.
 */
RgTestKeyring *
rg_test_keyring_start_without_service (GError **error)
{
  return start (FALSE, error);
}

void
rg_test_keyring_stop (RgTestKeyring *keyring)
{
  if (keyring == NULL)
    return;

  secret_service_disconnect ();

  if (keyring->daemon != NULL)
    {
      g_subprocess_send_signal (keyring->daemon, SIGTERM);
      g_subprocess_wait (keyring->daemon, NULL, NULL);
      g_clear_object (&keyring->daemon);
    }

  if (keyring->bus != NULL)
    {
      g_subprocess_send_signal (keyring->bus, SIGTERM);
      g_subprocess_wait (keyring->bus, NULL, NULL);
      g_clear_object (&keyring->bus);
    }

  rg_test_remove_tree (keyring->home);
  g_free (keyring->home);
  g_free (keyring);
}

/**
 * rg_test_keyring_lock:
 *
 * Locks the default collection, the way a screen lock or a timeout does. It cannot be
 * unlocked again without a prompt: lock last, or in a subprocess.
 */
void
rg_test_keyring_lock (RgTestKeyring *keyring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *locked = NULL;
  GList objects = { NULL };

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects.data = collection;
  g_assert_cmpint (secret_service_lock_sync (service, &objects, NULL, &locked, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (locked), ==, 1);
  g_list_free_full (locked, g_object_unref);
}
