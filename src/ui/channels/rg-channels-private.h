/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What a settings row shows after its value was touched. */
typedef enum
{
  RG_FIELD_STATUS_NONE,
  RG_FIELD_STATUS_SAVING,
  RG_FIELD_STATUS_SAVED,
  RG_FIELD_STATUS_ERROR,
} RgFieldStatus;

/* The status and validation message of one settings row: a suffix on the row and a row
 * under it that explains what is wrong, in place. */
typedef struct
{
  GtkWidget *row;
  GtkStack  *status;
  GtkWidget *message_row;
  GtkLabel  *message_label;
} RgFieldFeedback;

const char *_rg_channels_strip_prefix      (const char       *message);
void        _rg_field_feedback_init        (RgFieldFeedback  *feedback,
                                            GtkWidget        *row);
void        _rg_field_feedback_set         (RgFieldFeedback  *feedback,
                                            RgFieldStatus     status,
                                            const char       *message);
RgFieldStatus _rg_field_feedback_get       (RgFieldFeedback  *feedback);
void        _rg_channels_add_toast         (GtkWidget        *widget,
                                            const char       *title);

G_END_DECLS
