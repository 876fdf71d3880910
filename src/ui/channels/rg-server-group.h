/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "rg-channel-settings.h"

G_BEGIN_DECLS

#define RG_TYPE_SERVER_GROUP (rg_server_group_get_type ())

G_DECLARE_FINAL_TYPE (RgServerGroup, rg_server_group, RG, SERVER_GROUP, AdwPreferencesGroup)

GtkWidget         *rg_server_group_new                   (void);
RgChannelSettings *rg_server_group_get_settings          (RgServerGroup     *self);
void               rg_server_group_set_settings          (RgServerGroup     *self,
                                                          RgChannelSettings *settings);
void               rg_server_group_reload                (RgServerGroup     *self);
GtkWidget         *rg_server_group_get_row               (RgServerGroup     *self,
                                                          const char        *name);
const char        *rg_server_group_get_error             (RgServerGroup     *self,
                                                          const char        *name);
void               rg_server_group_focus_public_base_url (RgServerGroup     *self);

G_END_DECLS
