/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-notify-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-format.h"
#include "rg-notify-overview.h"

/* One row of the notifications page: a setting and its overview over the page's period,
 * with the texts the columns show. Rows are made afresh on every reload, so the
 * properties are read-only and never change. */

struct _RgNotifyOverview
{
  GObject          parent_instance;

  RgNotifySetting *setting;
  RgNotifyStats    stats;
};

enum {
  PROP_0,
  PROP_SETTING,
  PROP_ID,
  PROP_NAME,
  PROP_SCENARIO_LABEL,
  PROP_ENABLED,
  PROP_STATUS_LABEL,
  PROP_TRIGGERS_LABEL,
  PROP_TRIGGERS_DETAIL,
  PROP_COMPLETED_LABEL,
  PROP_COMPLETED_DETAIL,
  PROP_LINE_PUSH_LABEL,
  PROP_LINE_PUSH_DETAIL,
  PROP_LINE_PNP_LABEL,
  PROP_LINE_PNP_DETAIL,
  PROP_SMS_LABEL,
  PROP_SMS_DETAIL,
  PROP_FRIENDS_LABEL,
  PROP_FRIENDS_DETAIL,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (RgNotifyOverview, rg_notify_overview, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static char *
format_percent (guint64 part,
                guint64 whole)
{
  double percent = whole > 0 ? 100.0 * (double) part / (double) whole : 0.0;

  /* “100%” only when every one made it, “0%” only when none did. */
  if (part < whole && percent > 99.0)
    percent = 99.0;
  else if (part > 0 && percent < 1.0)
    percent = 1.0;

  /* Translators: a rate such as “92%”; %.0f is the number, %% the percent sign */
  return g_strdup_printf (_("%.0f%%"), percent);
}

static char *
format_rate (guint64 delivered,
             guint64 attempted)
{
  if (attempted == 0)
    return g_strdup ("—");
  return format_percent (delivered, attempted);
}

static char *
format_of (guint64 delivered,
           guint64 attempted)
{
  g_autofree char *part = NULL;
  g_autofree char *whole = NULL;

  if (attempted == 0)
    return g_strdup (_("none sent"));

  part = rg_format_integer (delivered);
  whole = rg_format_integer (attempted);
  /* Translators: under a delivery rate, “45 of 49” delivered of sent */
  return g_strdup_printf (_("%s of %s"), part, whole);
}

static char *
format_failed (guint64 failed)
{
  g_autofree char *count = NULL;

  if (failed == 0)
    return g_strdup ("");

  count = rg_format_integer (failed);
  /* Translators: under the number of triggers, “3 failed” */
  return g_strdup_printf (ngettext ("%s failed", "%s failed", failed), count);
}

static char *
format_friends_detail (guint64 via_pnp,
                       guint64 via_sms)
{
  g_autofree char *pnp = rg_format_integer (via_pnp);
  g_autofree char *sms = rg_format_integer (via_sms);

  /* Translators: under the friends gained, “3 msg · 5 SMS”: through LINE notification
   * messages and through SMS; keep it short, it is a narrow column */
  return g_strdup_printf (_("%s msg · %s SMS"), pnp, sms);
}

static void
rg_notify_overview_dispose (GObject *object)
{
  RgNotifyOverview *self = (RgNotifyOverview *)object;

  g_clear_object (&self->setting);

  G_OBJECT_CLASS (rg_notify_overview_parent_class)->dispose (object);
}

static void
rg_notify_overview_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RgNotifyOverview *self = RG_NOTIFY_OVERVIEW (object);
  const RgNotifyStats *s = &self->stats;
  const char *scenario;
  gboolean enabled;

  switch (prop_id)
    {
    case PROP_SETTING:
      g_value_set_object (value, self->setting);
      break;

    case PROP_ID:
      g_value_set_string (value, rg_notify_setting_get_id (self->setting));
      break;

    case PROP_NAME:
      g_value_set_string (value, rg_notify_setting_get_name (self->setting));
      break;

    case PROP_SCENARIO_LABEL:
      scenario = rg_notify_setting_get_scenario (self->setting);
      g_value_set_string (value, rg_notify_scenario_get_label (scenario));
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, rg_notify_setting_get_enabled (self->setting));
      break;

    case PROP_STATUS_LABEL:
      enabled = rg_notify_setting_get_enabled (self->setting);
      g_value_set_string (value, enabled ? _("On") : _("Off"));
      break;

    case PROP_TRIGGERS_LABEL:
      g_value_take_string (value, rg_format_integer (s->triggers));
      break;

    case PROP_TRIGGERS_DETAIL:
      g_value_take_string (value, format_failed (s->failed));
      break;

    case PROP_COMPLETED_LABEL:
      g_value_take_string (value, rg_format_integer (s->completed));
      break;

    case PROP_COMPLETED_DETAIL:
      g_value_take_string (value, s->triggers > 0 ? format_percent (s->completed, s->triggers)
                                                  : g_strdup (""));
      break;

    case PROP_LINE_PUSH_LABEL:
      g_value_take_string (value, format_rate (s->line_push_delivered, s->line_push_attempted));
      break;

    case PROP_LINE_PUSH_DETAIL:
      g_value_take_string (value, format_of (s->line_push_delivered, s->line_push_attempted));
      break;

    case PROP_LINE_PNP_LABEL:
      g_value_take_string (value, format_rate (s->line_pnp_delivered, s->line_pnp_attempted));
      break;

    case PROP_LINE_PNP_DETAIL:
      g_value_take_string (value, format_of (s->line_pnp_delivered, s->line_pnp_attempted));
      break;

    case PROP_SMS_LABEL:
      g_value_take_string (value, format_rate (s->sms_delivered, s->sms_attempted));
      break;

    case PROP_SMS_DETAIL:
      g_value_take_string (value, format_of (s->sms_delivered, s->sms_attempted));
      break;

    case PROP_FRIENDS_LABEL:
      g_value_take_string (value, rg_format_integer (s->friends_via_pnp + s->friends_via_sms));
      break;

    case PROP_FRIENDS_DETAIL:
      g_value_take_string (value, format_friends_detail (s->friends_via_pnp, s->friends_via_sms));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_notify_overview_class_init (RgNotifyOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const struct {
    guint       prop;
    const char *name;
  } labels[] = {
    { PROP_ID, "id" },
    { PROP_NAME, "name" },
    { PROP_SCENARIO_LABEL, "scenario-label" },
    { PROP_STATUS_LABEL, "status-label" },
    { PROP_TRIGGERS_LABEL, "triggers-label" },
    { PROP_TRIGGERS_DETAIL, "triggers-detail" },
    { PROP_COMPLETED_LABEL, "completed-label" },
    { PROP_COMPLETED_DETAIL, "completed-detail" },
    { PROP_LINE_PUSH_LABEL, "line-push-label" },
    { PROP_LINE_PUSH_DETAIL, "line-push-detail" },
    { PROP_LINE_PNP_LABEL, "line-pnp-label" },
    { PROP_LINE_PNP_DETAIL, "line-pnp-detail" },
    { PROP_SMS_LABEL, "sms-label" },
    { PROP_SMS_DETAIL, "sms-detail" },
    { PROP_FRIENDS_LABEL, "friends-label" },
    { PROP_FRIENDS_DETAIL, "friends-detail" },
  };

  object_class->dispose = rg_notify_overview_dispose;
  object_class->get_property = rg_notify_overview_get_property;

  properties[PROP_SETTING] =
    g_param_spec_object ("setting", NULL, NULL,
                         RG_TYPE_NOTIFY_SETTING,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    properties[labels[i].prop] =
      g_param_spec_string (labels[i].name, NULL, NULL, NULL,
                           (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_notify_overview_init (RgNotifyOverview *self)
{
}

/**
 * rg_notify_overview_new:
 * @setting: a stored setting
 * @stats: (nullable): its overview, or %NULL for none
 */
RgNotifyOverview *
rg_notify_overview_new (RgNotifySetting     *setting,
                        const RgNotifyStats *stats)
{
  RgNotifyOverview *self;

  g_return_val_if_fail (RG_IS_NOTIFY_SETTING (setting), NULL);

  self = g_object_new (RG_TYPE_NOTIFY_OVERVIEW, NULL);
  self->setting = g_object_ref (setting);
  if (stats != NULL)
    self->stats = *stats;
  return self;
}

RgNotifySetting *
rg_notify_overview_get_setting (RgNotifyOverview *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_OVERVIEW (self), NULL);

  return self->setting;
}

const char *
rg_notify_overview_get_id (RgNotifyOverview *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_OVERVIEW (self), NULL);

  return rg_notify_setting_get_id (self->setting);
}

const RgNotifyStats *
rg_notify_overview_get_stats (RgNotifyOverview *self)
{
  g_return_val_if_fail (RG_IS_NOTIFY_OVERVIEW (self), NULL);

  return &self->stats;
}
