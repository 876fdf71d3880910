/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-service-lock"
/* flock() and O_CLOEXEC, which strict C11 hides */
#define _DEFAULT_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rg-service-lock.h"

/* The service (built-in server and dispatcher) runs in exactly one process per database
 * (DESIGN §1). The lock is flock() on "<database>.lock", held through an open descriptor:
 * the kernel drops it when the process dies, so a crash never leaves a stale lock, and
 * flock() (unlike fcntl() locks) also refuses a second taker inside the same process. The
 * file holds the owner's pid, only to name it in the refusal. */

struct _RgServiceLock
{
  GObject  parent_instance;

  char    *path;
  int      fd;
};

G_DEFINE_FINAL_TYPE (RgServiceLock, rg_service_lock, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-service-lock-error-quark, rg_service_lock_error)

static void
rg_service_lock_finalize (GObject *object)
{
  RgServiceLock *self = (RgServiceLock *)object;

  if (self->fd >= 0)
    {
      /* Emptied first, so a reader never sees the pid of a process that let go. */
      if (ftruncate (self->fd, 0) != 0)
        g_debug ("Could not empty %s: %s", self->path, g_strerror (errno));
      close (self->fd);
      self->fd = -1;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (rg_service_lock_parent_class)->finalize (object);
}

static void
rg_service_lock_class_init (RgServiceLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_service_lock_finalize;
}

static void
rg_service_lock_init (RgServiceLock *self)
{
  self->fd = -1;
}

static int
read_owner_pid (const char *path)
{
  g_autofree char *contents = NULL;
  guint64 pid = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  g_strstrip (contents);
  if (!g_ascii_string_to_unsigned (contents, 10, 1, G_MAXINT32, &pid, NULL))
    return 0;
  return (int) pid;
}

/**
 * rg_service_lock_acquire:
 * @database_path: the database the service would run for
 *
 * Takes the service lock of @database_path without waiting. The lock lasts as long as the
 * returned object.
 *
 * Returns: (transfer full): the lock, or %NULL with %RG_SERVICE_LOCK_ERROR_HELD when another
 *   process (or another lock object) holds it
 */
RgServiceLock *
rg_service_lock_acquire (const char  *database_path,
                         GError     **error)
{
  g_autoptr(RgServiceLock) self = NULL;
  g_autofree char *pid = NULL;
  int errsv;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (RG_TYPE_SERVICE_LOCK, NULL);
  self->path = g_strconcat (database_path, ".lock", NULL);

  self->fd = open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      errsv = errno;
      g_set_error (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_FAILED,
                   _("Could not open the service lock “%s”: %s"),
                   self->path, g_strerror (errsv));
      return NULL;
    }

  if (flock (self->fd, LOCK_EX | LOCK_NB) != 0)
    {
      int owner;

      errsv = errno;
      if (errsv != EWOULDBLOCK)
        {
          g_set_error (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_FAILED,
                       _("Could not lock “%s”: %s"), self->path, g_strerror (errsv));
          return NULL;
        }

      owner = read_owner_pid (self->path);
      if (owner > 0)
        g_set_error (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_HELD,
                     /* Translators: %d is a process id, %s the database file */
                     _("Another Regulars (process %d) is already running the service for "
                       "“%s”"),
                     owner, database_path);
      else
        g_set_error (error, RG_SERVICE_LOCK_ERROR, RG_SERVICE_LOCK_ERROR_HELD,
                     _("Another Regulars is already running the service for “%s”"),
                     database_path);
      return NULL;
    }

  pid = g_strdup_printf ("%d\n", (int) getpid ());
  if (ftruncate (self->fd, 0) != 0 ||
      pwrite (self->fd, pid, strlen (pid), 0) != (gssize) strlen (pid))
    {
      /* The lock holds without the pid; only the refusal message of others gets vaguer. */
      g_debug ("Could not write the pid into %s: %s", self->path, g_strerror (errno));
    }

  return g_steal_pointer (&self);
}

const char *
rg_service_lock_get_path (RgServiceLock *self)
{
  g_return_val_if_fail (RG_IS_SERVICE_LOCK (self), NULL);

  return self->path;
}
