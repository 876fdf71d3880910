/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-channel-group.h"
#include "rg-channel-settings.h"
#include "rg-server-group.h"
#include "rg-store.h"

G_BEGIN_DECLS

#define RG_TYPE_CHANNELS_PAGE (rg_channels_page_get_type ())

G_DECLARE_FINAL_TYPE (RgChannelsPage, rg_channels_page, RG, CHANNELS_PAGE, AdwBin)

GtkWidget         *rg_channels_page_new                   (void);
RgStore           *rg_channels_page_get_store             (RgChannelsPage *self);
void               rg_channels_page_set_store             (RgChannelsPage *self,
                                                           RgStore        *store);
RgChannelSettings *rg_channels_page_get_settings          (RgChannelsPage *self);
RgChannelGroup    *rg_channels_page_get_group             (RgChannelsPage *self,
                                                           const char     *channel);
RgServerGroup     *rg_channels_page_get_server_group      (RgChannelsPage *self);
gboolean           rg_channels_page_get_keyring_available (RgChannelsPage *self);
gboolean           rg_channels_page_get_checking_keyring  (RgChannelsPage *self);
const char        *rg_channels_page_get_keyring_message   (RgChannelsPage *self);

G_END_DECLS
