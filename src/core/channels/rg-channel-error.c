/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-channel-error"

#include "config.h"

#include <libsoup/soup.h>

#include "rg-channel-error-private.h"

/* Registered as an extended error domain (GLib 2.68), so the data travels with the GError
 * through g_task_return_error (), g_propagate_error () and g_error_copy (). */
typedef struct
{
  guint   http_status;
  gint64  retry_after;
  char   *platform_code;
  char   *request_id;
} RgChannelErrorPrivate;

static void
rg_channel_error_private_init (RgChannelErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->retry_after = -1;
  priv->platform_code = NULL;
  priv->request_id = NULL;
}

static void
rg_channel_error_private_copy (const RgChannelErrorPrivate *src_priv,
                               RgChannelErrorPrivate       *dest_priv)
{
  dest_priv->http_status = src_priv->http_status;
  dest_priv->retry_after = src_priv->retry_after;
  dest_priv->platform_code = g_strdup (src_priv->platform_code);
  dest_priv->request_id = g_strdup (src_priv->request_id);
}

static void
rg_channel_error_private_clear (RgChannelErrorPrivate *priv)
{
  g_clear_pointer (&priv->platform_code, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (RgChannelError, rg_channel_error)

static RgChannelErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != RG_CHANNEL_ERROR)
    return NULL;
  return rg_channel_error_get_private (error);
}

GError *
_rg_channel_error_new (RgChannelError  code,
                       guint           http_status,
                       const char     *platform_code,
                       gint64          retry_after,
                       const char     *request_id,
                       const char     *message)
{
  GError *error = g_error_new_literal (RG_CHANNEL_ERROR, code, message);
  RgChannelErrorPrivate *priv = rg_channel_error_get_private (error);

  priv->http_status = http_status;
  priv->retry_after = retry_after >= 0 ? retry_after : -1;
  priv->platform_code = g_strdup (platform_code);
  priv->request_id = g_strdup (request_id);

  return error;
}

/* An error raised before any answer: a setting or an argument is wrong. */
GError *
_rg_channel_error_new_literal (RgChannelError  code,
                               const char     *message)
{
  return _rg_channel_error_new (code, 0, NULL, -1, NULL, message);
}

/*
 * Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Returns seconds from @now, 0 for a date in the past, -1 when absent or unreadable.
 */
gint64
_rg_channel_error_parse_retry_after (const char *value,
                                     GDateTime  *now)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *stripped = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  stripped = g_strstrip (g_strdup (value));
  if (stripped[0] == '\0')
    return -1;

  if (g_ascii_isdigit (stripped[0]))
    {
      if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXINT32, &seconds, NULL))
        return -1;
      return (gint64) seconds;
    }

  when = soup_date_time_new_from_http_string (stripped);
  if (when == NULL || now == NULL)
    return -1;

  return MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND);
}

/**
 * rg_channel_error_is_retryable:
 * @error: (nullable): an error from a channel client
 *
 * Whether sending the same request again later may succeed: rate limits (429, WhatsApp
 * 130429/131056), server failures (5xx, WeChat -1), network failures and timeouts. LINE's monthly
 * limit is not retryable (it lasts until the next month), nor is any other client error.
 *
 * Returns: %TRUE if a later retry makes sense
 */
gboolean
rg_channel_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != RG_CHANNEL_ERROR)
    return FALSE;

  switch ((RgChannelError) error->code)
    {
    case RG_CHANNEL_ERROR_RATE_LIMITED:
    case RG_CHANNEL_ERROR_SERVER:
    case RG_CHANNEL_ERROR_NETWORK:
    case RG_CHANNEL_ERROR_TIMEOUT:
      return TRUE;

    case RG_CHANNEL_ERROR_CONFIGURATION:
    case RG_CHANNEL_ERROR_AUTH:
    case RG_CHANNEL_ERROR_FORBIDDEN:
    case RG_CHANNEL_ERROR_INVALID_REQUEST:
    case RG_CHANNEL_ERROR_NOT_FOUND:
    case RG_CHANNEL_ERROR_CONFLICT:
    case RG_CHANNEL_ERROR_TOO_LARGE:
    case RG_CHANNEL_ERROR_MONTHLY_LIMIT:
    case RG_CHANNEL_ERROR_UNDELIVERABLE:
    case RG_CHANNEL_ERROR_OUTSIDE_WINDOW:
    case RG_CHANNEL_ERROR_PROTOCOL:
    default:
      return FALSE;
    }
}

/**
 * rg_channel_error_get_retry_after:
 * @error: (nullable): an error from a channel client
 *
 * Returns: the seconds the platform asked us to wait (Retry-After), or -1 if it said nothing
 */
gint64
rg_channel_error_get_retry_after (const GError *error)
{
  RgChannelErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : -1;
}

/**
 * rg_channel_error_get_platform_code:
 * @error: (nullable): an error from a channel client
 *
 * The platform's own code: WhatsApp `error.code` ("131047"), WeChat `errcode` ("42001"), Twilio
 * `code` ("21211"), Mitake `statuscode` ("e"); for LINE, which has no codes, the HTTP status
 * ("429").
 *
 * Returns: (nullable): the code, or %NULL when the platform never answered
 */
const char *
rg_channel_error_get_platform_code (const GError *error)
{
  RgChannelErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->platform_code : NULL;
}

/**
 * rg_channel_error_get_http_status:
 * @error: (nullable): an error from a channel client
 *
 * Returns: the HTTP status of the answer (WeChat errors usually come with 200), or 0 if there was
 *   no answer
 */
guint
rg_channel_error_get_http_status (const GError *error)
{
  RgChannelErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

/**
 * rg_channel_error_get_request_id:
 * @error: (nullable): an error from a channel client
 *
 * The platform's ID for the failed request, to quote to its support (LINE `x-line-request-id`,
 * WhatsApp `fbtrace_id`, Twilio `Twilio-Request-Id`).
 *
 * Returns: (nullable): the request ID
 */
const char *
rg_channel_error_get_request_id (const GError *error)
{
  RgChannelErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->request_id : NULL;
}
