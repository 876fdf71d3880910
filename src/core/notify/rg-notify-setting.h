/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RG_NOTIFY_ERROR (rg_notify_error_quark ())

typedef enum
{
  RG_NOTIFY_ERROR_INVALID,
  RG_NOTIFY_ERROR_NOT_FOUND,
  RG_NOTIFY_ERROR_DISABLED,
} RgNotifyError;

typedef enum
{
  RG_NOTIFY_STEP_NONE      = 0,
  RG_NOTIFY_STEP_LINE_PUSH = 1 << 0,
  RG_NOTIFY_STEP_LINE_PNP  = 1 << 1,
  RG_NOTIFY_STEP_SMS       = 1 << 2,
} RgNotifySteps;

#define RG_NOTIFY_NAME_MAX          50
#define RG_NOTIFY_SMS_WAIT_MAX      (24 * 60 * 60)
#define RG_NOTIFY_SMS_WAIT_DEFAULT  (10 * 60)

#define RG_TYPE_NOTIFY_SETTING (rg_notify_setting_get_type ())

G_DECLARE_FINAL_TYPE (RgNotifySetting, rg_notify_setting, RG, NOTIFY_SETTING, GObject)

GQuark              rg_notify_error_quark                (void);

const char * const *rg_notify_scenario_list              (void);
const char         *rg_notify_scenario_get_label         (const char       *scenario);
const char         *rg_notify_step_to_string             (RgNotifySteps     step);

RgNotifySetting    *rg_notify_setting_new                (void);
RgNotifySetting    *rg_notify_setting_copy               (RgNotifySetting  *self);
const char         *rg_notify_setting_get_id             (RgNotifySetting  *self);
void                rg_notify_setting_set_id             (RgNotifySetting  *self,
                                                          const char       *id);
const char         *rg_notify_setting_get_name           (RgNotifySetting  *self);
void                rg_notify_setting_set_name           (RgNotifySetting  *self,
                                                          const char       *name);
const char         *rg_notify_setting_get_scenario       (RgNotifySetting  *self);
void                rg_notify_setting_set_scenario       (RgNotifySetting  *self,
                                                          const char       *scenario);
gboolean            rg_notify_setting_get_enabled        (RgNotifySetting  *self);
void                rg_notify_setting_set_enabled        (RgNotifySetting  *self,
                                                          gboolean          enabled);
RgNotifySteps       rg_notify_setting_get_steps          (RgNotifySetting  *self);
void                rg_notify_setting_set_steps          (RgNotifySetting  *self,
                                                          RgNotifySteps     steps);
const char         *rg_notify_setting_get_line_push_text (RgNotifySetting  *self);
void                rg_notify_setting_set_line_push_text (RgNotifySetting  *self,
                                                          const char       *text);
const char         *rg_notify_setting_get_pnp_footer_url (RgNotifySetting  *self);
void                rg_notify_setting_set_pnp_footer_url (RgNotifySetting  *self,
                                                          const char       *url);
const char         *rg_notify_setting_get_sms_text       (RgNotifySetting  *self);
void                rg_notify_setting_set_sms_text       (RgNotifySetting  *self,
                                                          const char       *text);
guint               rg_notify_setting_get_sms_wait_seconds (RgNotifySetting *self);
void                rg_notify_setting_set_sms_wait_seconds (RgNotifySetting *self,
                                                            guint            seconds);

gboolean            rg_notify_setting_validate           (RgNotifySetting  *self,
                                                          GError          **error);
const char         *rg_notify_error_get_field            (const GError     *error);
GPtrArray          *rg_notify_setting_dup_variables      (RgNotifySetting  *self);

JsonNode           *rg_notify_setting_to_json            (RgNotifySetting  *self);
RgNotifySetting    *rg_notify_setting_new_from_json      (JsonNode         *node,
                                                          GError          **error);
gboolean            rg_notify_setting_update_from_json   (RgNotifySetting  *self,
                                                          JsonNode         *node,
                                                          GError          **error);

G_END_DECLS
