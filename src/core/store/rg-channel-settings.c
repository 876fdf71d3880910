/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channel-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-channel-settings.h"

#define MAX_TEXT_CHARS   256
#define MAX_TOKEN_BYTES  4096
#define MAX_DIGITS       32

#define META_SERVER_ADDRESS         "server.address"
#define META_SERVER_PORT            "server.port"
#define META_SERVER_PUBLIC_BASE_URL "server.public-base-url"

struct _RgChannelSettings
{
  GObject    parent_instance;

  RgStore   *store;
  RgSecrets *secrets;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgChannelSettings, rg_channel_settings, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (rg-channel-settings-error-quark, rg_channel_settings_error)

static const char * const sms_providers[] = { "mitake", "twilio", NULL };

/* The names are the ones of the issue and of the CLI; they are also the attribute values in
 * the keyring and the keys of the config tables handed to the channel clients. */
static const RgChannelFieldInfo line_fields[] = {
  { "channel-id", N_("Channel ID"), NULL, RG_CHANNEL_FIELD_DIGITS, FALSE, FALSE, NULL },
  { "channel-secret", N_("Channel secret"), N_("Regulars: LINE channel secret"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, TRUE, NULL },
  { "channel-access-token", N_("Channel access token"), N_("Regulars: LINE channel access token"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, TRUE, NULL },
  { "base-url", N_("API base URL"), NULL, RG_CHANNEL_FIELD_URL, FALSE, FALSE, NULL },
};

static const RgChannelFieldInfo whatsapp_fields[] = {
  { "phone-number-id", N_("Phone number ID"), NULL, RG_CHANNEL_FIELD_DIGITS, FALSE, TRUE, NULL },
  { "business-account-id", N_("Business account ID"), NULL,
    RG_CHANNEL_FIELD_DIGITS, FALSE, FALSE, NULL },
  { "access-token", N_("Access token"), N_("Regulars: WhatsApp access token"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, TRUE, NULL },
  { "app-secret", N_("App secret"), N_("Regulars: WhatsApp app secret"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, FALSE, NULL },
  { "verify-token", N_("Verify token"), N_("Regulars: WhatsApp webhook verify token"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, FALSE, NULL },
  { "base-url", N_("API base URL"), NULL, RG_CHANNEL_FIELD_URL, FALSE, FALSE, NULL },
};

static const RgChannelFieldInfo wechat_fields[] = {
  { "app-id", N_("AppID"), NULL, RG_CHANNEL_FIELD_TOKEN, FALSE, TRUE, NULL },
  { "app-secret", N_("AppSecret"), N_("Regulars: WeChat AppSecret"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, TRUE, NULL },
  /* The Token of the Official Account's server configuration, which signs the events
   * WeChat sends to /webhook/wechat (plaintext mode only). */
  { "token", N_("Server token"), N_("Regulars: WeChat server token"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, FALSE, NULL },
  { "base-url", N_("API base URL"), NULL, RG_CHANNEL_FIELD_URL, FALSE, FALSE, NULL },
};

static const RgChannelFieldInfo sms_fields[] = {
  { "provider", N_("Provider"), NULL, RG_CHANNEL_FIELD_CHOICE, FALSE, TRUE, sms_providers },
  { "account", N_("Account"), NULL, RG_CHANNEL_FIELD_TEXT, FALSE, TRUE, NULL },
  { "password", N_("Password or token"), N_("Regulars: SMS gateway password"),
    RG_CHANNEL_FIELD_TOKEN, TRUE, TRUE, NULL },
  { "sender", N_("Sender"), NULL, RG_CHANNEL_FIELD_TEXT, FALSE, FALSE, NULL },
  { "base-url", N_("API base URL"), NULL, RG_CHANNEL_FIELD_URL, FALSE, FALSE, NULL },
};

static const RgChannelInfo channels[] = {
  { "line", N_("LINE"), "/webhook/line", line_fields, G_N_ELEMENTS (line_fields) },
  { "whatsapp", N_("WhatsApp"), "/webhook/whatsapp",
    whatsapp_fields, G_N_ELEMENTS (whatsapp_fields) },
  { "wechat", N_("WeChat"), "/webhook/wechat", wechat_fields, G_N_ELEMENTS (wechat_fields) },
  { "sms", N_("SMS gateway"), NULL, sms_fields, G_N_ELEMENTS (sms_fields) },
};

static char *
list_names (const char * const *names,
            guint               n_names)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < n_names; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, names[i]);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * rg_channel_settings_get_channels:
 *
 * Returns: (array length=n_channels): the catalogue: every channel with its fields
 */
const RgChannelInfo *
rg_channel_settings_get_channels (guint *n_channels)
{
  g_return_val_if_fail (n_channels != NULL, NULL);

  *n_channels = G_N_ELEMENTS (channels);
  return channels;
}

const RgChannelInfo *
rg_channel_settings_lookup_channel (const char  *channel,
                                    GError     **error)
{
  const char *names[G_N_ELEMENTS (channels)];
  g_autofree char *known = NULL;

  g_return_val_if_fail (channel != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      if (g_str_equal (channels[i].name, channel))
        return &channels[i];
      names[i] = channels[i].name;
    }

  known = list_names (names, G_N_ELEMENTS (channels));
  g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_CHANNEL,
               /* Translators: the first %s is what was typed, the second a list of names */
               _("Unknown channel “%s”; the channels are %s"), channel, known);
  return NULL;
}

const RgChannelFieldInfo *
rg_channel_settings_lookup_field (const char  *channel,
                                  const char  *field,
                                  GError     **error)
{
  const RgChannelInfo *info;
  g_autofree const char **names = NULL;
  g_autofree char *known = NULL;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (!(info = rg_channel_settings_lookup_channel (channel, error)))
    return NULL;

  names = g_new0 (const char *, info->n_fields + 1);
  for (guint i = 0; i < info->n_fields; i++)
    {
      if (g_str_equal (info->fields[i].name, field))
        return &info->fields[i];
      names[i] = info->fields[i].name;
    }

  known = list_names (names, info->n_fields);
  g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_FIELD,
               /* Translators: “channel ‘line’ has no field ‘x’; its fields are a, b, c” */
               _("Channel “%s” has no field “%s”; its fields are %s"), channel, field, known);
  return NULL;
}

static gboolean
has_control_chars (const char *str,
                   gboolean    or_space)
{
  for (const char *p = str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (or_space && g_unichar_isspace (c)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
validate_http_url (const char  *url,
                   const char  *what,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (!(uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error)))
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   /* Translators: the first %s names the setting, e.g. “line/base-url” */
                   _("%s: “%s” is not a URL (%s)"), what, url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   _("%s: “%s” must be an http:// or https:// address with a host name"),
                   what, url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   _("%s: “%s” must not contain a user name, a query (?…) or a fragment (#…)"),
                   what, url);
      return FALSE;
    }

  return TRUE;
}

static char *
strip_trailing_slashes (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

/**
 * rg_channel_settings_normalize:
 *
 * Checks a value for a field the way the platform expects it and returns it in the form
 * that is stored: surrounding spaces trimmed (except for secrets, which are refused when
 * they contain any), URLs without a trailing slash, choices in lower case. The error names
 * the channel and the field, and never repeats a secret value.
 *
 * Returns: (transfer full): the value to store, or %NULL with @error set
 */
char *
rg_channel_settings_normalize (const char  *channel,
                               const char  *field,
                               const char  *value,
                               GError     **error)
{
  const RgChannelFieldInfo *info;
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!(info = rg_channel_settings_lookup_field (channel, field, error)))
    return NULL;

  what = g_strdup_printf ("%s/%s", channel, field);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   _("%s: the value is not valid UTF-8 text"), what);
      return NULL;
    }

  text = info->secret ? g_strdup (value) : g_strstrip (g_strdup (value));
  if (*text == '\0')
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   _("%s: the value is empty; clear the field instead"), what);
      return NULL;
    }

  switch (info->type)
    {
    case RG_CHANNEL_FIELD_TEXT:
      if (has_control_chars (text, FALSE) || g_utf8_strlen (text, -1) > MAX_TEXT_CHARS)
        {
          g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                       _("%s: “%s” must be one line of at most %d characters"),
                       what, text, MAX_TEXT_CHARS);
          return NULL;
        }
      break;

    case RG_CHANNEL_FIELD_TOKEN:
      if (has_control_chars (text, TRUE) || strlen (text) > MAX_TOKEN_BYTES)
        {
          if (info->secret)
            g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                         _("%s: the value contains a space or a line break, or is longer than "
                           "%d bytes; paste it exactly as the platform shows it"),
                         what, MAX_TOKEN_BYTES);
          else
            g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                         _("%s: “%s” must not contain spaces or line breaks"), what, text);
          return NULL;
        }
      break;

    case RG_CHANNEL_FIELD_DIGITS:
      for (const char *p = text; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p) || p - text >= MAX_DIGITS)
            {
              g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                           _("%s: “%s” must be a number of at most %d digits"),
                           what, text, MAX_DIGITS);
              return NULL;
            }
        }
      break;

    case RG_CHANNEL_FIELD_URL:
      if (!validate_http_url (text, what, error))
        return NULL;
      return strip_trailing_slashes (text);

    case RG_CHANNEL_FIELD_CHOICE:
      {
        g_autofree char *lower = g_ascii_strdown (text, -1);
        g_autofree char *known = NULL;

        if (g_strv_contains (info->choices, lower))
          return g_steal_pointer (&lower);

        known = list_names (info->choices, g_strv_length ((char **) info->choices));
        g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                     /* Translators: “sms/provider: ‘x’ is not one of mitake, twilio” */
                     _("%s: “%s” is not one of %s"), what, text, known);
        return NULL;
      }

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&text);
}

/**
 * rg_channel_settings_get_default_base_url:
 * @provider: (nullable): for "sms", the gateway
 *
 * Returns: (nullable): the production API address of the channel
 */
const char *
rg_channel_settings_get_default_base_url (const char *channel,
                                          const char *provider)
{
  g_return_val_if_fail (channel != NULL, NULL);

  if (g_str_equal (channel, "line"))
    return "https://api.line.me";
  if (g_str_equal (channel, "whatsapp"))
    return "https://graph.facebook.com/v19.0";
  if (g_str_equal (channel, "wechat"))
    return "https://api.weixin.qq.com";
  if (g_str_equal (channel, "sms") && provider != NULL)
    {
      if (g_str_equal (provider, "mitake"))
        return "https://smsapi.mitake.com.tw";
      if (g_str_equal (provider, "twilio"))
        return "https://api.twilio.com";
    }
  return NULL;
}

/**
 * rg_channel_settings_check_required:
 * @config: (element-type utf8 utf8): a table from rg_channel_settings_load_config_finish()
 *
 * Returns: %TRUE when every required field has a value, else %FALSE with
 *   %RG_CHANNEL_SETTINGS_ERROR_MISSING naming the first missing field
 */
gboolean
rg_channel_settings_check_required (const char  *channel,
                                    GHashTable  *config,
                                    GError     **error)
{
  const RgChannelInfo *info;

  g_return_val_if_fail (channel != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!(info = rg_channel_settings_lookup_channel (channel, error)))
    return FALSE;

  for (guint i = 0; i < info->n_fields; i++)
    {
      const RgChannelFieldInfo *field = &info->fields[i];
      const char *value = g_hash_table_lookup (config, field->name);

      if (field->required && (value == NULL || *value == '\0'))
        {
          g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_MISSING,
                       /* Translators: “LINE: Channel secret (line/channel-secret) is not set” */
                       _("%s: %s (%s/%s) is not set"),
                       _(info->label), _(field->label), channel, field->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_value (RgChannelSettings  *self,
            const char         *channel,
            const char         *field,
            char              **value,
            GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *value = NULL;
  if (!(stmt = rg_store_prepare (self->store,
                                 "SELECT value FROM channel_settings "
                                 "WHERE channel = ?1 AND field = ?2",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the setting %s/%s: %s"),
                   channel, field, sqlite3_errmsg (rg_store_get_db (self->store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_value (RgChannelSettings  *self,
             const char         *channel,
             const char         *field,
             const char         *value,
             GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (value == NULL)
    stmt = rg_store_prepare (self->store,
                             "DELETE FROM channel_settings WHERE channel = ?1 AND field = ?2",
                             error);
  else
    stmt = rg_store_prepare (self->store,
                             "INSERT INTO channel_settings (channel, field, value, updated_at) "
                             "VALUES (?1, ?2, ?3, unixepoch ()) "
                             "ON CONFLICT (channel, field) DO UPDATE "
                             "SET value = excluded.value, updated_at = excluded.updated_at",
                             error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);

  if (!rg_store_step_done (self->store, stmt, error))
    {
      g_prefix_error (error, "%s/%s: ", channel, field);
      return FALSE;
    }
  return TRUE;
}

/* The non-secret half of a channel's configuration, with the default base URL filled in. */
static GHashTable *
read_plain_config (RgChannelSettings  *self,
                   const char         *channel,
                   GError            **error)
{
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const RgChannelFieldInfo *field;
  int rc;

  config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!(stmt = rg_store_prepare (self->store,
                                 "SELECT field, value FROM channel_settings WHERE channel = ?1",
                                 error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, channel, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      /* Rows of fields that left the catalogue, or (never) of secrets, stay out. */
      field = rg_channel_settings_lookup_field (channel, name, NULL);
      if (field == NULL || field->secret)
        continue;
      g_hash_table_insert (config, g_strdup (name),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the settings of channel “%s”: %s"),
                   channel, sqlite3_errmsg (rg_store_get_db (self->store)));
      return NULL;
    }

  if (!g_hash_table_contains (config, "base-url"))
    {
      const char *base_url;

      base_url = rg_channel_settings_get_default_base_url (channel,
                                                           g_hash_table_lookup (config,
                                                                                "provider"));
      if (base_url != NULL)
        g_hash_table_insert (config, g_strdup ("base-url"), g_strdup (base_url));
    }

  return g_steal_pointer (&config);
}

static void
emit_changed (RgChannelSettings *self,
              const char        *channel,
              const char        *field)
{
  g_signal_emit (self, signals[CHANGED], 0, channel, field);
}

static void
rg_channel_settings_dispose (GObject *object)
{
  RgChannelSettings *self = (RgChannelSettings *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (rg_channel_settings_parent_class)->dispose (object);
}

static void
rg_channel_settings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RgChannelSettings *self = RG_CHANNEL_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channel_settings_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RgChannelSettings *self = RG_CHANNEL_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_channel_settings_class_init (RgChannelSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_channel_settings_dispose;
  object_class->get_property = rg_channel_settings_get_property;
  object_class->set_property = rg_channel_settings_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL,
                         RG_TYPE_SECRETS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgChannelSettings::changed:
   * @channel: "line" … or "server" for the server preferences
   * @field: the field or preference that this object changed
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
rg_channel_settings_init (RgChannelSettings *self)
{
}

RgChannelSettings *
rg_channel_settings_new (RgStore   *store,
                         RgSecrets *secrets)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (RG_IS_SECRETS (secrets), NULL);

  return g_object_new (RG_TYPE_CHANNEL_SETTINGS,
                       "store", store,
                       "secrets", secrets,
                       NULL);
}

RgStore *
rg_channel_settings_get_store (RgChannelSettings *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);

  return self->store;
}

RgSecrets *
rg_channel_settings_get_secrets (RgChannelSettings *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);

  return self->secrets;
}

static gboolean
refuse_secret (const RgChannelFieldInfo  *info,
               const char                *channel,
               GError                   **error)
{
  if (!info->secret)
    return FALSE;

  g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_SECRET_FIELD,
               _("%s/%s is a secret: it is kept in the keyring and read or written "
                 "asynchronously"),
               channel, info->name);
  return TRUE;
}

/**
 * rg_channel_settings_get_value:
 *
 * Reads a field that is not secret; for `base-url` the production address when none is
 * set.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unset (no error) or on
 *   error
 */
char *
rg_channel_settings_get_value (RgChannelSettings  *self,
                               const char         *channel,
                               const char         *field,
                               GError            **error)
{
  const RgChannelFieldInfo *info;
  g_autofree char *value = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (!(info = rg_channel_settings_lookup_field (channel, field, error)) ||
      refuse_secret (info, channel, error))
    return NULL;

  if (!read_value (self, channel, field, &value, error))
    return NULL;

  if (value == NULL && g_str_equal (field, "base-url"))
    {
      g_autofree char *provider = NULL;

      if (g_str_equal (channel, "sms") && !read_value (self, channel, "provider", &provider, error))
        return NULL;
      return g_strdup (rg_channel_settings_get_default_base_url (channel, provider));
    }

  return g_steal_pointer (&value);
}

/**
 * rg_channel_settings_set_value:
 * @value: (nullable): the new value, or %NULL to clear the field
 *
 * Writes a field that is not secret; secret fields are refused with
 * %RG_CHANNEL_SETTINGS_ERROR_SECRET_FIELD (use rg_channel_settings_set_async()).
 */
gboolean
rg_channel_settings_set_value (RgChannelSettings  *self,
                               const char         *channel,
                               const char         *field,
                               const char         *value,
                               GError            **error)
{
  const RgChannelFieldInfo *info;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (!(info = rg_channel_settings_lookup_field (channel, field, error)) ||
      refuse_secret (info, channel, error))
    return FALSE;

  if (value != NULL && !(normalized = rg_channel_settings_normalize (channel, field, value, error)))
    return FALSE;

  if (!write_value (self, channel, field, normalized, error))
    return FALSE;

  emit_changed (self, channel, field);
  return TRUE;
}

typedef struct
{
  char       *channel;
  char       *field;
  GHashTable *config;
  guint       next_field;
  gboolean    clearing;
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_free (op->channel);
  g_free (op->field);
  g_clear_pointer (&op->config, g_hash_table_unref);
  g_free (op);
}

static GTask *
operation_new (RgChannelSettings   *self,
               const char          *channel,
               const char          *field,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  op->channel = g_strdup (channel);
  op->field = g_strdup (field);
  g_task_set_task_data (task, op, operation_free);
  return task;
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgChannelSettings *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;

  if (!op->clearing)
    ok = rg_secrets_store_finish (RG_SECRETS (object), result, &error);
  else
    ok = rg_secrets_clear_finish (RG_SECRETS (object), result, &error);

  if (!ok)
    {
      g_prefix_error (&error, "%s/%s: ", op->channel, op->field);
      g_task_return_error (task, error);
      return;
    }

  emit_changed (self, op->channel, op->field);
  g_task_return_boolean (task, TRUE);
}

/* Takes over @task. */
static void
start_clear (GTask                    *task,
             const RgChannelFieldInfo *info)
{
  RgChannelSettings *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->clearing = TRUE;

  if (!info->secret)
    {
      if (!write_value (self, op->channel, op->field, NULL, &error))
        g_task_return_error (task, error);
      else
        {
          emit_changed (self, op->channel, op->field);
          g_task_return_boolean (task, TRUE);
        }
      g_object_unref (task);
      return;
    }

  rg_secrets_clear_async (self->secrets, op->channel, op->field,
                          g_task_get_cancellable (task), secret_stored_cb, task);
}

/**
 * rg_channel_settings_set_async:
 * @value: (nullable): the new value, or %NULL to clear the field
 *
 * Validates and saves any field: secrets go to the keyring only, the rest to the database.
 */
void
rg_channel_settings_set_async (RgChannelSettings   *self,
                               const char          *channel,
                               const char          *field,
                               const char          *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const RgChannelFieldInfo *info;
  g_autofree char *normalized = NULL;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CHANNEL_SETTINGS (self));
  g_return_if_fail (channel != NULL);
  g_return_if_fail (field != NULL);

  task = operation_new (self, channel, field, rg_channel_settings_set_async,
                        cancellable, callback, user_data);

  if (!(info = rg_channel_settings_lookup_field (channel, field, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  if (value == NULL)
    {
      start_clear (g_steal_pointer (&task), info);
      return;
    }

  if (!(normalized = rg_channel_settings_normalize (channel, field, value, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!info->secret)
    {
      if (!write_value (self, channel, field, normalized, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      emit_changed (self, channel, field);
      g_task_return_boolean (task, TRUE);
      return;
    }

  rg_secrets_store_async (self->secrets, channel, field, _(info->keyring_label), normalized,
                          cancellable, secret_stored_cb, g_steal_pointer (&task));
}

gboolean
rg_channel_settings_set_finish (RgChannelSettings  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
secret_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *value;

  value = rg_secrets_lookup_finish (RG_SECRETS (object), result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "%s/%s: ", op->channel, op->field);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, value, g_free);
}

/**
 * rg_channel_settings_get_async:
 *
 * Reads any field, a secret from the keyring.
 */
void
rg_channel_settings_get_async (RgChannelSettings   *self,
                               const char          *channel,
                               const char          *field,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const RgChannelFieldInfo *info;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CHANNEL_SETTINGS (self));
  g_return_if_fail (channel != NULL);
  g_return_if_fail (field != NULL);

  task = operation_new (self, channel, field, rg_channel_settings_get_async,
                        cancellable, callback, user_data);

  if (!(info = rg_channel_settings_lookup_field (channel, field, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!info->secret)
    {
      char *value = rg_channel_settings_get_value (self, channel, field, &error);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, value, g_free);
      return;
    }

  rg_secrets_lookup_async (self->secrets, channel, field, cancellable,
                           secret_read_cb, g_steal_pointer (&task));
}

/**
 * rg_channel_settings_get_finish:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unset (no error) or on error
 */
char *
rg_channel_settings_get_finish (RgChannelSettings  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
rg_channel_settings_clear_async (RgChannelSettings   *self,
                                 const char          *channel,
                                 const char          *field,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const RgChannelFieldInfo *info;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CHANNEL_SETTINGS (self));
  g_return_if_fail (channel != NULL);
  g_return_if_fail (field != NULL);

  task = operation_new (self, channel, field, rg_channel_settings_clear_async,
                        cancellable, callback, user_data);

  if (!(info = rg_channel_settings_lookup_field (channel, field, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  start_clear (g_steal_pointer (&task), info);
}

gboolean
rg_channel_settings_clear_finish (RgChannelSettings  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void load_next_secret (GTask *task);

static void
config_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  const RgChannelInfo *info = rg_channel_settings_lookup_channel (op->channel, NULL);
  const char *field = info->fields[op->next_field].name;
  GError *error = NULL;
  char *value;

  value = rg_secrets_lookup_finish (RG_SECRETS (object), result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "%s/%s: ", op->channel, field);
      g_task_return_error (task, error);
      return;
    }
  if (value != NULL)
    g_hash_table_insert (op->config, g_strdup (field), value);

  op->next_field++;
  load_next_secret (task);
}

static void
load_next_secret (GTask *task)
{
  RgChannelSettings *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  const RgChannelInfo *info = rg_channel_settings_lookup_channel (op->channel, NULL);

  while (op->next_field < info->n_fields && !info->fields[op->next_field].secret)
    op->next_field++;

  if (op->next_field == info->n_fields)
    {
      g_task_return_pointer (task, g_hash_table_ref (op->config),
                             (GDestroyNotify) g_hash_table_unref);
      return;
    }

  rg_secrets_lookup_async (self->secrets, op->channel, info->fields[op->next_field].name,
                           g_task_get_cancellable (task),
                           config_secret_cb, g_object_ref (task));
}

/**
 * rg_channel_settings_load_config_async:
 *
 * Collects everything a channel client or the connection tester needs: every field that
 * has a value, secrets included, and `base-url` with its default.
 */
void
rg_channel_settings_load_config_async (RgChannelSettings   *self,
                                       const char          *channel,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CHANNEL_SETTINGS (self));
  g_return_if_fail (channel != NULL);

  task = operation_new (self, channel, NULL, rg_channel_settings_load_config_async,
                        cancellable, callback, user_data);
  op = g_task_get_task_data (task);

  if (!rg_channel_settings_lookup_channel (channel, &error) ||
      !(op->config = read_plain_config (self, channel, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  load_next_secret (task);
}

/**
 * rg_channel_settings_load_config_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8): field name → value
 */
GHashTable *
rg_channel_settings_load_config_finish (RgChannelSettings  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
read_meta (RgChannelSettings *self,
           const char        *key)
{
  g_autoptr(GError) error = NULL;
  char *value = NULL;

  if (!rg_store_get_meta (self->store, key, &value, &error))
    g_warning ("Could not read the preference %s, using its default: %s", key, error->message);
  return value;
}

static gboolean
write_meta (RgChannelSettings  *self,
            const char         *key,
            const char         *field,
            const char         *value,
            GError            **error)
{
  if (!rg_store_set_meta (self->store, key, value, error))
    return FALSE;
  emit_changed (self, "server", field);
  return TRUE;
}

/**
 * rg_channel_settings_dup_server_address:
 *
 * Returns: (transfer full): the address the built-in server listens on
 */
char *
rg_channel_settings_dup_server_address (RgChannelSettings *self)
{
  char *value;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);

  value = read_meta (self, META_SERVER_ADDRESS);
  return value != NULL ? value : g_strdup (RG_SERVER_DEFAULT_ADDRESS);
}

/**
 * rg_channel_settings_set_server_address:
 * @address: (nullable): an IPv4 or IPv6 address, or %NULL for 127.0.0.1
 */
gboolean
rg_channel_settings_set_server_address (RgChannelSettings  *self,
                                        const char         *address,
                                        GError            **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);

  if (address != NULL)
    {
      if (!(inet = g_inet_address_new_from_string (address)))
        {
          g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                       _("server/address: “%s” is not an IP address such as 127.0.0.1 or ::1"),
                       address);
          return FALSE;
        }
      normalized = g_inet_address_to_string (inet);
    }

  return write_meta (self, META_SERVER_ADDRESS, "address", normalized, error);
}

guint
rg_channel_settings_get_server_port (RgChannelSettings *self)
{
  g_autofree char *value = NULL;
  guint64 port = RG_SERVER_DEFAULT_PORT;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), RG_SERVER_DEFAULT_PORT);

  value = read_meta (self, META_SERVER_PORT);
  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
    {
      g_warning ("The preference %s holds “%s”, which is no port; using %d",
                 META_SERVER_PORT, value, RG_SERVER_DEFAULT_PORT);
      port = RG_SERVER_DEFAULT_PORT;
    }
  return (guint) port;
}

/**
 * rg_channel_settings_set_server_port:
 * @port: 1 to 65535, or 0 for the default (8765)
 */
gboolean
rg_channel_settings_set_server_port (RgChannelSettings  *self,
                                     guint               port,
                                     GError            **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);

  if (port > G_MAXUINT16)
    {
      g_set_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID,
                   _("server/port: %u is not a port; use 1 to 65535"), port);
      return FALSE;
    }
  if (port != 0)
    value = g_strdup_printf ("%u", port);

  return write_meta (self, META_SERVER_PORT, "port", value, error);
}

/**
 * rg_channel_settings_dup_public_base_url:
 *
 * Returns: (transfer full) (nullable): the address under which the shop's proxy or tunnel
 *   reaches the built-in server, without a trailing slash
 */
char *
rg_channel_settings_dup_public_base_url (RgChannelSettings *self)
{
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);

  return read_meta (self, META_SERVER_PUBLIC_BASE_URL);
}

/**
 * rg_channel_settings_set_public_base_url:
 * @url: (nullable): an http(s) URL, or %NULL to clear it
 */
gboolean
rg_channel_settings_set_public_base_url (RgChannelSettings  *self,
                                         const char         *url,
                                         GError            **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), FALSE);

  if (url != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (url));

      if (!validate_http_url (trimmed, "server/public-base-url", error))
        return FALSE;
      normalized = strip_trailing_slashes (trimmed);
    }

  return write_meta (self, META_SERVER_PUBLIC_BASE_URL, "public-base-url", normalized, error);
}

/**
 * rg_channel_settings_dup_webhook_url:
 * @channel: "line" or "whatsapp"
 *
 * Returns: (transfer full) (nullable): what to paste into the platform's console: the
 *   public base URL and the channel's webhook path, or %NULL when the channel receives no
 *   webhooks or no public base URL is set
 */
char *
rg_channel_settings_dup_webhook_url (RgChannelSettings *self,
                                     const char        *channel)
{
  const RgChannelInfo *info;
  g_autofree char *base = NULL;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  if (!(info = rg_channel_settings_lookup_channel (channel, NULL)) || info->webhook_path == NULL)
    return NULL;
  if (!(base = rg_channel_settings_dup_public_base_url (self)))
    return NULL;

  return g_strconcat (base, info->webhook_path, NULL);
}
