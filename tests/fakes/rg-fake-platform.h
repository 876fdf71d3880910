/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "rg-fake-request.h"

G_BEGIN_DECLS

#define RG_TYPE_FAKE_PLATFORM (rg_fake_platform_get_type ())

G_DECLARE_DERIVABLE_TYPE (RgFakePlatform, rg_fake_platform, RG, FAKE_PLATFORM, GObject)

/**
 * RgFakePlatformClass:
 * @name: a short name ("line"), used in logs
 * @base_path: appended to the server URL and prefix to form the base URL ("/v19.0" for
 *   WhatsApp, "" otherwise)
 * @handle: answers one request; called with the fake's lock held
 * @failure_body: the platform-shaped body for a programmed failure with @status (e.g. LINE's
 *   `{"message":…}`), or %NULL for an empty body
 * @decorate: adds headers every answer carries (LINE's x-line-request-id)
 * @reset: forgets the platform's state (accepted retry keys, tokens…)
 *
 * A fake platform: a #SoupServer on 127.0.0.1 that checks requests the way the real platform
 * does, records them and can be told to fail or hang.
 */
struct _RgFakePlatformClass
{
  GObjectClass parent_class;

  const char  *name;
  const char  *base_path;

  void        (*handle)       (RgFakePlatform    *self,
                               SoupServerMessage *message,
                               const char        *path,
                               RgFakeRequest     *request);
  GBytes     *(*failure_body) (RgFakePlatform    *self,
                               const char        *path,
                               guint              status,
                               char             **content_type);
  void        (*decorate)     (RgFakePlatform    *self,
                               SoupServerMessage *message);
  void        (*reset)        (RgFakePlatform    *self);

  /*< private >*/
  gpointer padding[8];
};

gboolean       rg_fake_platform_start             (RgFakePlatform  *self,
                                                   GError         **error);
gboolean       rg_fake_platform_start_in_thread   (RgFakePlatform  *self,
                                                   GError         **error);
void           rg_fake_platform_attach            (RgFakePlatform  *self,
                                                   SoupServer      *server,
                                                   const char      *prefix);
const char    *rg_fake_platform_get_base_url      (RgFakePlatform  *self);

GPtrArray     *rg_fake_platform_dup_requests      (RgFakePlatform  *self,
                                                   const char      *path);
guint          rg_fake_platform_count_requests    (RgFakePlatform  *self,
                                                   const char      *path);
RgFakeRequest *rg_fake_platform_dup_last_request  (RgFakePlatform  *self,
                                                   const char      *path);
guint          rg_fake_platform_get_deliveries    (RgFakePlatform  *self,
                                                   const char      *recipient);
void           rg_fake_platform_reset             (RgFakePlatform  *self);

void           rg_fake_platform_fail              (RgFakePlatform  *self,
                                                   const char      *path,
                                                   guint            count,
                                                   guint            status,
                                                   gint             retry_after);
void           rg_fake_platform_fail_with_body    (RgFakePlatform  *self,
                                                   const char      *path,
                                                   guint            count,
                                                   guint            status,
                                                   const char      *content_type,
                                                   const char      *body,
                                                   gint             retry_after);
void           rg_fake_platform_hang              (RgFakePlatform  *self,
                                                   const char      *path,
                                                   guint            count);
guint          rg_fake_platform_get_n_held        (RgFakePlatform  *self);
void           rg_fake_platform_wait_held         (RgFakePlatform  *self,
                                                   guint            n_held);
void           rg_fake_platform_release           (RgFakePlatform  *self);

G_END_DECLS
