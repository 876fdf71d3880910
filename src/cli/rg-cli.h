/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-store.h"

G_BEGIN_DECLS

typedef struct
{
  /* --database, or NULL for the default location */
  char    *database_path;
  RgStore *store;
} RgCliContext;

typedef int (*RgCliCommandFunc) (RgCliContext  *ctx,
                                 int            argc,
                                 char         **argv);

typedef struct
{
  const char       *name;
  const char       *summary;
  RgCliCommandFunc  run;
} RgCliCommand;

RgStore  *rg_cli_open_store   (RgCliContext  *ctx,
                               GError       **error);
gboolean  rg_cli_parse        (GOptionContext *context,
                               int            *argc,
                               char         ***argv);
int       rg_cli_error        (const char    *format,
                               ...) G_GNUC_PRINTF (1, 2);
int       rg_cli_fail         (const GError  *error);
void      rg_cli_wait_cb      (GObject       *object,
                               GAsyncResult  *result,
                               gpointer       user_data);
GAsyncResult *rg_cli_wait_for (GAsyncResult **result);

int       rg_cli_demo         (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_info         (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_cards        (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_channels     (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_members      (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_serve        (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_notify       (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);
int       rg_cli_api_token    (RgCliContext  *ctx,
                               int            argc,
                               char         **argv);

G_END_DECLS
