/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-secrets.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_CHANNEL_SETTINGS_ERROR (rg_channel_settings_error_quark ())

typedef enum
{
  RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_CHANNEL,
  RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_FIELD,
  RG_CHANNEL_SETTINGS_ERROR_INVALID,
  RG_CHANNEL_SETTINGS_ERROR_SECRET_FIELD,
  RG_CHANNEL_SETTINGS_ERROR_MISSING,
} RgChannelSettingsError;

typedef enum
{
  RG_CHANNEL_FIELD_TEXT,
  RG_CHANNEL_FIELD_TOKEN,
  RG_CHANNEL_FIELD_DIGITS,
  RG_CHANNEL_FIELD_URL,
  RG_CHANNEL_FIELD_CHOICE,
} RgChannelFieldType;

/* One entry of the catalogue. Labels are marked N_(): show them through _(). */
typedef struct
{
  const char          *name;
  const char          *label;
  const char          *keyring_label;
  RgChannelFieldType   type;
  gboolean             secret;
  gboolean             required;
  const char * const  *choices;
} RgChannelFieldInfo;

typedef struct
{
  const char               *name;
  const char               *label;
  const char               *webhook_path;
  const RgChannelFieldInfo *fields;
  guint                     n_fields;
} RgChannelInfo;

#define RG_SERVER_DEFAULT_ADDRESS "127.0.0.1"
#define RG_SERVER_DEFAULT_PORT    8765

#define RG_TYPE_CHANNEL_SETTINGS (rg_channel_settings_get_type ())

G_DECLARE_FINAL_TYPE (RgChannelSettings, rg_channel_settings, RG, CHANNEL_SETTINGS, GObject)

GQuark                    rg_channel_settings_error_quark        (void);

const RgChannelInfo      *rg_channel_settings_get_channels       (guint                *n_channels);
const RgChannelInfo      *rg_channel_settings_lookup_channel     (const char           *channel,
                                                                  GError              **error);
const RgChannelFieldInfo *rg_channel_settings_lookup_field       (const char           *channel,
                                                                  const char           *field,
                                                                  GError              **error);
char                     *rg_channel_settings_normalize          (const char           *channel,
                                                                  const char           *field,
                                                                  const char           *value,
                                                                  GError              **error);
const char               *rg_channel_settings_get_default_base_url (const char         *channel,
                                                                    const char         *provider);
gboolean                  rg_channel_settings_check_required     (const char           *channel,
                                                                  GHashTable           *config,
                                                                  GError              **error);

RgChannelSettings        *rg_channel_settings_new                (RgStore              *store,
                                                                  RgSecrets            *secrets);
RgStore                  *rg_channel_settings_get_store          (RgChannelSettings    *self);
RgSecrets                *rg_channel_settings_get_secrets        (RgChannelSettings    *self);

char                     *rg_channel_settings_get_value          (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  const char           *field,
                                                                  GError              **error);
gboolean                  rg_channel_settings_set_value          (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  const char           *field,
                                                                  const char           *value,
                                                                  GError              **error);

void                      rg_channel_settings_set_async          (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  const char           *field,
                                                                  const char           *value,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean                  rg_channel_settings_set_finish         (RgChannelSettings    *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                      rg_channel_settings_get_async          (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  const char           *field,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
char                     *rg_channel_settings_get_finish         (RgChannelSettings    *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                      rg_channel_settings_clear_async        (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  const char           *field,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean                  rg_channel_settings_clear_finish       (RgChannelSettings    *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                      rg_channel_settings_load_config_async  (RgChannelSettings    *self,
                                                                  const char           *channel,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
GHashTable               *rg_channel_settings_load_config_finish (RgChannelSettings    *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);

char                     *rg_channel_settings_dup_server_address (RgChannelSettings    *self);
gboolean                  rg_channel_settings_set_server_address (RgChannelSettings    *self,
                                                                  const char           *address,
                                                                  GError              **error);
guint                     rg_channel_settings_get_server_port    (RgChannelSettings    *self);
gboolean                  rg_channel_settings_set_server_port    (RgChannelSettings    *self,
                                                                  guint                 port,
                                                                  GError              **error);
char                     *rg_channel_settings_dup_public_base_url (RgChannelSettings   *self);
gboolean                  rg_channel_settings_set_public_base_url (RgChannelSettings   *self,
                                                                   const char          *url,
                                                                   GError             **error);
char                     *rg_channel_settings_dup_webhook_url    (RgChannelSettings    *self,
                                                                  const char           *channel);

G_END_DECLS
