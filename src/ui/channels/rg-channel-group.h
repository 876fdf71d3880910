/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-channel-settings.h"

G_BEGIN_DECLS

#define RG_TYPE_CHANNEL_GROUP (rg_channel_group_get_type ())

G_DECLARE_FINAL_TYPE (RgChannelGroup, rg_channel_group, RG, CHANNEL_GROUP, AdwPreferencesGroup)

GtkWidget         *rg_channel_group_new                   (const char        *channel);
const char        *rg_channel_group_get_channel           (RgChannelGroup    *self);
RgChannelSettings *rg_channel_group_get_settings          (RgChannelGroup    *self);
void               rg_channel_group_set_settings          (RgChannelGroup    *self,
                                                           RgChannelSettings *settings);
gboolean           rg_channel_group_get_keyring_available (RgChannelGroup    *self);
void               rg_channel_group_set_keyring_available (RgChannelGroup    *self,
                                                           gboolean           keyring_available);
gboolean           rg_channel_group_get_testing           (RgChannelGroup    *self);
gboolean           rg_channel_group_get_busy              (RgChannelGroup    *self);
void               rg_channel_group_reload                (RgChannelGroup    *self);
GtkWidget         *rg_channel_group_get_field_row         (RgChannelGroup    *self,
                                                           const char        *field);
const char        *rg_channel_group_get_field_error       (RgChannelGroup    *self,
                                                           const char        *field);
gboolean           rg_channel_group_get_field_stored      (RgChannelGroup    *self,
                                                           const char        *field);
AdwActionRow      *rg_channel_group_get_test_row          (RgChannelGroup    *self);
AdwActionRow      *rg_channel_group_get_webhook_row       (RgChannelGroup    *self);

G_END_DECLS
