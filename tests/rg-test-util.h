/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-store.h"

G_BEGIN_DECLS

char     *rg_test_make_tmpdir (void);
void      rg_test_remove_tree (const char *path);
RgStore  *rg_test_open_store  (const char  *dir,
                               char       **path);
char     *rg_test_shared_path (const char *relative);
char     *rg_test_cli_path    (void);
int       rg_test_run_cli     (const char  *database,
                               const char  *input,
                               char       **out,
                               char       **err,
                               ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
