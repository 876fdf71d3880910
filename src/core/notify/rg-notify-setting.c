/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-setting"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rg-notify-private.h"
#include "rg-notify-setting.h"
#include "rg-template.h"

struct _RgNotifySetting
{
  GObject        parent_instance;

  char          *id;
  char          *name;
  char          *scenario;
  char          *line_push_text;
  char          *pnp_footer_url;
  char          *sms_text;
  guint          sms_wait_seconds;
  RgNotifySteps  steps;
  guint          enabled : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SCENARIO,
  PROP_ENABLED,
  PROP_STEPS,
  PROP_LINE_PUSH_TEXT,
  PROP_PNP_FOOTER_URL,
  PROP_SMS_TEXT,
  PROP_SMS_WAIT_SECONDS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgNotifySetting, rg_notify_setting, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *key;
  const char *label;
} scenarios[] = {
  { "purchase_complete", N_("Purchase complete") },
  { "shipped", N_("Shipped") },
  { "delivered", N_("Delivered") },
  { "registration_complete", N_("Registration complete") },
  { "booking_complete", N_("Booking complete") },
  { "booking_reminder", N_("Booking reminder") },
  { "bill_due", N_("Bill due") },
  { "bill_overdue", N_("Bill overdue") },
  { "repair_requested", N_("Repair requested") },
  { "repair_complete", N_("Repair complete") },
  { "payment_complete", N_("Payment complete") },
  { "payment_reminder", N_("Payment reminder") },
  { "fee_paid", N_("Fee paid") },
  { "contract_expiring", N_("Contract expiring") },
  { "addon_activated", N_("Add-on activated") },
  { "addon_expiring", N_("Add-on expiring") },
  { "account_opened", N_("Account opened") },
};

static const struct {
  RgNotifySteps  step;
  const char    *key;
} step_keys[] = {
  { RG_NOTIFY_STEP_LINE_PUSH, "line_push" },
  { RG_NOTIFY_STEP_LINE_PNP, "line_pnp" },
  { RG_NOTIFY_STEP_SMS, "sms" },
};

/* Extended error: the failing field travels with the message, so the editor can show it in
 * place and the Open API can name it in its JSON error. */
typedef struct
{
  char *field;
} RgNotifyErrorPrivate;

static void
rg_notify_error_private_init (RgNotifyErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
rg_notify_error_private_copy (const RgNotifyErrorPrivate *src,
                              RgNotifyErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
rg_notify_error_private_clear (RgNotifyErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (RgNotifyError, rg_notify_error)

/**
 * rg_notify_error_get_field:
 *
 * Returns: (nullable): the JSON name of the field that failed (“name”, “sms_text” …)
 */
const char *
rg_notify_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != RG_NOTIFY_ERROR)
    return NULL;
  return rg_notify_error_get_private (error)->field;
}

/**
 * _rg_notify_set_error:
 * @field: (nullable): the JSON name of the failing field, e.g. "phone" or "variables.name"
 *
 * Sets an %RG_NOTIFY_ERROR that carries @field (see rg_notify_error_get_field()).
 */
void
_rg_notify_set_error (GError        **error,
                      RgNotifyError   code,
                      const char     *field,
                      const char     *format,
                      ...)
{
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (RG_NOTIFY_ERROR, code, format, args);
  va_end (args);

  rg_notify_error_get_private (new_error)->field = g_strdup (field);
  g_propagate_error (error, new_error);
}

const char * const *
rg_notify_scenario_list (void)
{
  static const char *keys[G_N_ELEMENTS (scenarios) + 1];

  if (keys[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
      keys[i] = scenarios[i].key;

  return keys;
}

/**
 * rg_notify_scenario_get_label:
 *
 * Returns: (nullable): the translated name of @scenario, or %NULL for an unknown key
 */
const char *
rg_notify_scenario_get_label (const char *scenario)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (scenarios[i].key, scenario) == 0)
      return _(scenarios[i].label);

  return NULL;
}

const char *
rg_notify_step_to_string (RgNotifySteps step)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_keys); i++)
    if (step_keys[i].step == step)
      return step_keys[i].key;

  return NULL;
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
rg_notify_setting_finalize (GObject *object)
{
  RgNotifySetting *self = (RgNotifySetting *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->scenario, g_free);
  g_clear_pointer (&self->line_push_text, g_free);
  g_clear_pointer (&self->pnp_footer_url, g_free);
  g_clear_pointer (&self->sms_text, g_free);

  G_OBJECT_CLASS (rg_notify_setting_parent_class)->finalize (object);
}

static void
rg_notify_setting_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RgNotifySetting *self = RG_NOTIFY_SETTING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SCENARIO:
      g_value_set_string (value, self->scenario);
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_STEPS:
      g_value_set_uint (value, self->steps);
      break;

    case PROP_LINE_PUSH_TEXT:
      g_value_set_string (value, self->line_push_text);
      break;

    case PROP_PNP_FOOTER_URL:
      g_value_set_string (value, self->pnp_footer_url);
      break;

    case PROP_SMS_TEXT:
      g_value_set_string (value, self->sms_text);
      break;

    case PROP_SMS_WAIT_SECONDS:
      g_value_set_uint (value, self->sms_wait_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_setting_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RgNotifySetting *self = RG_NOTIFY_SETTING (object);

  switch (prop_id)
    {
    case PROP_ID:
      rg_notify_setting_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      rg_notify_setting_set_name (self, g_value_get_string (value));
      break;

    case PROP_SCENARIO:
      rg_notify_setting_set_scenario (self, g_value_get_string (value));
      break;

    case PROP_ENABLED:
      rg_notify_setting_set_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_STEPS:
      rg_notify_setting_set_steps (self, g_value_get_uint (value));
      break;

    case PROP_LINE_PUSH_TEXT:
      rg_notify_setting_set_line_push_text (self, g_value_get_string (value));
      break;

    case PROP_PNP_FOOTER_URL:
      rg_notify_setting_set_pnp_footer_url (self, g_value_get_string (value));
      break;

    case PROP_SMS_TEXT:
      rg_notify_setting_set_sms_text (self, g_value_get_string (value));
      break;

    case PROP_SMS_WAIT_SECONDS:
      rg_notify_setting_set_sms_wait_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_setting_class_init (RgNotifySettingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rg_notify_setting_finalize;
  object_class->get_property = rg_notify_setting_get_property;
  object_class->set_property = rg_notify_setting_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SCENARIO] = g_param_spec_string ("scenario", NULL, NULL, NULL, flags);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);
  properties[PROP_STEPS] = g_param_spec_uint ("steps", NULL, NULL, 0, 7, 7, flags);
  properties[PROP_LINE_PUSH_TEXT] = g_param_spec_string ("line-push-text", NULL, NULL, NULL, flags);
  properties[PROP_PNP_FOOTER_URL] = g_param_spec_string ("pnp-footer-url", NULL, NULL, NULL, flags);
  properties[PROP_SMS_TEXT] = g_param_spec_string ("sms-text", NULL, NULL, NULL, flags);
  properties[PROP_SMS_WAIT_SECONDS] =
    g_param_spec_uint ("sms-wait-seconds", NULL, NULL,
                       0, RG_NOTIFY_SMS_WAIT_MAX, RG_NOTIFY_SMS_WAIT_DEFAULT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_notify_setting_init (RgNotifySetting *self)
{
  self->enabled = TRUE;
  self->steps = RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP | RG_NOTIFY_STEP_SMS;
  self->sms_wait_seconds = RG_NOTIFY_SMS_WAIT_DEFAULT;
  self->name = g_strdup ("");
  self->scenario = g_strdup ("purchase_complete");
  self->line_push_text = g_strdup ("");
  self->pnp_footer_url = g_strdup ("");
  self->sms_text = g_strdup ("");
}

RgNotifySetting *
rg_notify_setting_new (void)
{
  return g_object_new (RG_TYPE_NOTIFY_SETTING, NULL);
}

RgNotifySetting *
rg_notify_setting_copy (RgNotifySetting *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), NULL);

  return g_object_new (RG_TYPE_NOTIFY_SETTING,
                       "id", self->id,
                       "name", self->name,
                       "scenario", self->scenario,
                       "enabled", (gboolean) self->enabled,
                       "steps", (guint) self->steps,
                       "line-push-text", self->line_push_text,
                       "pnp-footer-url", self->pnp_footer_url,
                       "sms-text", self->sms_text,
                       "sms-wait-seconds", self->sms_wait_seconds,
                       NULL);
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                        \
const char *                                                                        \
rg_notify_setting_get_##field (RgNotifySetting *self)                               \
{                                                                                   \
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), NULL);                         \
  return self->field;                                                              \
}                                                                                   \
                                                                                    \
void                                                                                \
rg_notify_setting_set_##field (RgNotifySetting *self,                               \
                               const char      *value)                              \
{                                                                                   \
  g_return_if_fail (RG_IS_NOTIFY_SETTING (self));                                   \
  if (replace_string (&self->field, value ? value : ""))                            \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                   \
}

DEFINE_STRING_ACCESSORS (name, PROP_NAME)
DEFINE_STRING_ACCESSORS (scenario, PROP_SCENARIO)
DEFINE_STRING_ACCESSORS (line_push_text, PROP_LINE_PUSH_TEXT)
DEFINE_STRING_ACCESSORS (pnp_footer_url, PROP_PNP_FOOTER_URL)
DEFINE_STRING_ACCESSORS (sms_text, PROP_SMS_TEXT)

/**
 * rg_notify_setting_get_id:
 *
 * Returns: (nullable): the stable Setting ID, or %NULL before the setting is first saved
 */
const char *
rg_notify_setting_get_id (RgNotifySetting *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), NULL);

  return self->id;
}

void
rg_notify_setting_set_id (RgNotifySetting *self,
                          const char      *id)
{
  g_return_if_fail (RG_IS_NOTIFY_SETTING (self));

  if (replace_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gboolean
rg_notify_setting_get_enabled (RgNotifySetting *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), FALSE);

  return self->enabled;
}

void
rg_notify_setting_set_enabled (RgNotifySetting *self,
                               gboolean         enabled)
{
  g_return_if_fail (RG_IS_NOTIFY_SETTING (self));

  enabled = !!enabled;
  if (self->enabled != enabled)
    {
      self->enabled = enabled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
    }
}

RgNotifySteps
rg_notify_setting_get_steps (RgNotifySetting *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), 0);

  return self->steps;
}

void
rg_notify_setting_set_steps (RgNotifySetting *self,
                             RgNotifySteps    steps)
{
  g_return_if_fail (RG_IS_NOTIFY_SETTING (self));

  if (self->steps != steps)
    {
      self->steps = steps;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS]);
    }
}

guint
rg_notify_setting_get_sms_wait_seconds (RgNotifySetting *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), 0);

  return self->sms_wait_seconds;
}

void
rg_notify_setting_set_sms_wait_seconds (RgNotifySetting *self,
                                        guint            seconds)
{
  g_return_if_fail (RG_IS_NOTIFY_SETTING (self));

  if (self->sms_wait_seconds != seconds)
    {
      self->sms_wait_seconds = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMS_WAIT_SECONDS]);
    }
}

static gboolean
is_http_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         (g_str_equal (g_uri_get_scheme (uri), "http") ||
          g_str_equal (g_uri_get_scheme (uri), "https")) &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

static gboolean
check_template (const char  *text,
                const char  *field,
                const char  *field_label,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!rg_template_parse (text, NULL, &local_error))
    {
      /* Translators: first %s is a field such as “SMS text”, second the problem */
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, field, _("%s: %s"),
                            field_label, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * rg_notify_setting_validate:
 *
 * Checks every rule of a notification setting; the error names the failing field
 * (rg_notify_error_get_field()).
 */
gboolean
rg_notify_setting_validate (RgNotifySetting  *self,
                            GError          **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), FALSE);

  name = g_strstrip (g_strdup (self->name));
  if (name[0] == '\0')
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "name", _("A name is required"));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > RG_NOTIFY_NAME_MAX)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "name",
                            _("The name has %ld characters; at most %d are allowed"),
                            g_utf8_strlen (name, -1), RG_NOTIFY_NAME_MAX);
      return FALSE;
    }

  if (rg_notify_scenario_get_label (self->scenario) == NULL)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "scenario",
                            _("“%s” is not a scenario"), self->scenario);
      return FALSE;
    }

  if (self->steps == RG_NOTIFY_STEP_NONE)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "steps",
                            _("Turn on at least one of LINE message, LINE notification message "
                              "and SMS"));
      return FALSE;
    }

  if ((self->steps & (RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP)) != 0 &&
      self->line_push_text[0] == '\0')
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "line_push_text",
                            _("The LINE message text is required when a LINE step is on"));
      return FALSE;
    }
  if (!check_template (self->line_push_text, "line_push_text", _("LINE message text"), error))
    return FALSE;

  if ((self->steps & RG_NOTIFY_STEP_LINE_PNP) != 0 && !is_http_url (self->pnp_footer_url))
    {
      if (self->pnp_footer_url[0] == '\0')
        _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "pnp_footer_url",
                              _("The footer link is required when LINE notification messages "
                                "are on"));
      else
        _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "pnp_footer_url",
                              _("The footer link “%s” is not an http or https address"),
                              self->pnp_footer_url);
      return FALSE;
    }

  if ((self->steps & RG_NOTIFY_STEP_SMS) != 0 && self->sms_text[0] == '\0')
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "sms_text",
                            _("The SMS text is required when SMS is on"));
      return FALSE;
    }
  if (!check_template (self->sms_text, "sms_text", _("SMS text"), error))
    return FALSE;

  if (self->sms_wait_seconds > RG_NOTIFY_SMS_WAIT_MAX)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "sms_wait_seconds",
                            _("The SMS wait is %u seconds; at most 24 hours (86400 seconds) are "
                              "allowed"),
                            self->sms_wait_seconds);
      return FALSE;
    }

  return TRUE;
}

/**
 * rg_notify_setting_dup_variables:
 *
 * Returns: (transfer full) (element-type utf8): the variables the enabled steps' texts use,
 *   each once; a trigger must give a value for each
 */
GPtrArray *
rg_notify_setting_dup_variables (RgNotifySetting *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  const char *texts[2] = { NULL, NULL };

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), NULL);

  if ((self->steps & (RG_NOTIFY_STEP_LINE_PUSH | RG_NOTIFY_STEP_LINE_PNP)) != 0)
    texts[0] = self->line_push_text;
  if ((self->steps & RG_NOTIFY_STEP_SMS) != 0)
    texts[1] = self->sms_text;

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(GPtrArray) variables = NULL;

      if (texts[t] == NULL || !rg_template_parse (texts[t], &variables, NULL))
        continue;

      for (guint i = 0; i < variables->len; i++)
        if (!g_ptr_array_find_with_equal_func (all, variables->pdata[i], g_str_equal, NULL))
          g_ptr_array_add (all, g_strdup (variables->pdata[i]));
    }

  return g_steal_pointer (&all);
}

JsonNode *
rg_notify_setting_to_json (RgNotifySetting *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  if (self->id != NULL)
    json_builder_add_string_value (builder, self->id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, self->scenario);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (step_keys); i++)
    if (self->steps & step_keys[i].step)
      json_builder_add_string_value (builder, step_keys[i].key);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "line_push_text");
  json_builder_add_string_value (builder, self->line_push_text);
  json_builder_set_member_name (builder, "pnp_footer_url");
  json_builder_add_string_value (builder, self->pnp_footer_url);
  json_builder_set_member_name (builder, "sms_text");
  json_builder_add_string_value (builder, self->sms_text);
  json_builder_set_member_name (builder, "sms_wait_seconds");
  json_builder_add_int_value (builder, self->sms_wait_seconds);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
read_string_member (JsonObject  *object,
                    const char  *member,
                    char       **out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, member,
                            _("“%s” must be a string"), member);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * rg_notify_setting_update_from_json:
 *
 * Applies the members present in @node (the shape of rg_notify_setting_to_json(), without
 * `id`, which is never changed from outside) and validates the result. On error @self is
 * left unchanged.
 */
gboolean
rg_notify_setting_update_from_json (RgNotifySetting  *self,
                                    JsonNode         *node,
                                    GError          **error)
{
  g_autoptr(RgNotifySetting) updated = NULL;
  JsonObject *object;
  static const char *string_members[] = {
    "name", "scenario", "line_push_text", "pnp_footer_url", "sms_text",
  };

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (self), FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, NULL,
                            _("A notification setting must be a JSON object"));
      return FALSE;
    }
  object = json_node_get_object (node);
  updated = rg_notify_setting_copy (self);

  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *property = g_strdelimit (g_strdup (string_members[i]), "_", '-');

      if (!read_string_member (object, string_members[i], &value, error))
        return FALSE;
      if (value != NULL)
        g_object_set (updated, property, value, NULL);
    }

  if (json_object_has_member (object, "enabled"))
    {
      JsonNode *enabled = json_object_get_member (object, "enabled");

      if (!JSON_NODE_HOLDS_VALUE (enabled) || json_node_get_value_type (enabled) != G_TYPE_BOOLEAN)
        {
          _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "enabled",
                                _("“enabled” must be true or false"));
          return FALSE;
        }
      rg_notify_setting_set_enabled (updated, json_node_get_boolean (enabled));
    }

  if (json_object_has_member (object, "steps"))
    {
      JsonNode *steps_node = json_object_get_member (object, "steps");
      RgNotifySteps steps = RG_NOTIFY_STEP_NONE;
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (steps_node))
        {
          _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "steps",
                                _("“steps” must be a list such as "
                                  "[\"line_push\", \"line_pnp\", \"sms\"]"));
          return FALSE;
        }
      array = json_node_get_array (steps_node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *key = json_array_get_string_element (array, i);
          RgNotifySteps step = RG_NOTIFY_STEP_NONE;

          for (guint k = 0; key != NULL && k < G_N_ELEMENTS (step_keys); k++)
            if (g_str_equal (step_keys[k].key, key))
              step = step_keys[k].step;

          if (step == RG_NOTIFY_STEP_NONE)
            {
              _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "steps",
                                    _("“%s” is not a step; use line_push, line_pnp or sms"),
                                    key ? key : "?");
              return FALSE;
            }
          steps |= step;
        }
      rg_notify_setting_set_steps (updated, steps);
    }

  if (json_object_has_member (object, "sms_wait_seconds"))
    {
      JsonNode *wait = json_object_get_member (object, "sms_wait_seconds");
      gint64 seconds;

      if (!JSON_NODE_HOLDS_VALUE (wait) || json_node_get_value_type (wait) != G_TYPE_INT64 ||
          (seconds = json_node_get_int (wait)) < 0 || seconds > RG_NOTIFY_SMS_WAIT_MAX)
        {
          _rg_notify_set_error (error, RG_NOTIFY_ERROR_INVALID, "sms_wait_seconds",
                                _("“sms_wait_seconds” must be a whole number from 0 to 86400"));
          return FALSE;
        }
      rg_notify_setting_set_sms_wait_seconds (updated, seconds);
    }

  if (!rg_notify_setting_validate (updated, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  rg_notify_setting_set_name (self, updated->name);
  rg_notify_setting_set_scenario (self, updated->scenario);
  rg_notify_setting_set_enabled (self, updated->enabled);
  rg_notify_setting_set_steps (self, updated->steps);
  rg_notify_setting_set_line_push_text (self, updated->line_push_text);
  rg_notify_setting_set_pnp_footer_url (self, updated->pnp_footer_url);
  rg_notify_setting_set_sms_text (self, updated->sms_text);
  rg_notify_setting_set_sms_wait_seconds (self, updated->sms_wait_seconds);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * rg_notify_setting_new_from_json:
 *
 * Returns: (transfer full) (nullable): a new, validated setting without an ID
 */
RgNotifySetting *
rg_notify_setting_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(RgNotifySetting) setting = rg_notify_setting_new ();

  if (!rg_notify_setting_update_from_json (setting, node, error))
    return NULL;

  return g_steal_pointer (&setting);
}
