/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define RG_SECRETS_ERROR (rg_secrets_error_quark ())

typedef enum
{
  RG_SECRETS_ERROR_NO_SERVICE,
  RG_SECRETS_ERROR_NO_KEYRING,
  RG_SECRETS_ERROR_LOCKED,
  RG_SECRETS_ERROR_FAILED,
} RgSecretsError;

#define RG_TYPE_SECRETS (rg_secrets_get_type ())

G_DECLARE_FINAL_TYPE (RgSecrets, rg_secrets, RG, SECRETS, GObject)

GQuark              rg_secrets_error_quark (void);
const SecretSchema *rg_secrets_get_schema  (void);
RgSecrets          *rg_secrets_new         (void);
void                rg_secrets_store_async (RgSecrets            *self,
                                            const char           *channel,
                                            const char           *field,
                                            const char           *label,
                                            const char           *value,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean            rg_secrets_store_finish  (RgSecrets          *self,
                                              GAsyncResult       *result,
                                              GError            **error);
void                rg_secrets_lookup_async  (RgSecrets          *self,
                                              const char         *channel,
                                              const char         *field,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
char               *rg_secrets_lookup_finish (RgSecrets          *self,
                                              GAsyncResult       *result,
                                              GError            **error);
void                rg_secrets_clear_async   (RgSecrets          *self,
                                              const char         *channel,
                                              const char         *field,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean            rg_secrets_clear_finish  (RgSecrets          *self,
                                              GAsyncResult       *result,
                                              GError            **error);

G_END_DECLS
