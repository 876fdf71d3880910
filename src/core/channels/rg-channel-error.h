/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RG_CHANNEL_ERROR (rg_channel_error_quark ())

/**
 * RgChannelError:
 * @RG_CHANNEL_ERROR_CONFIGURATION: a required setting (token, ID, base URL) is missing or
 *   malformed; nothing was sent
 * @RG_CHANNEL_ERROR_AUTH: the platform refused the credentials (LINE 401, WhatsApp 190,
 *   WeChat 40001/40013/40125, Twilio 20003, Mitake account/password)
 * @RG_CHANNEL_ERROR_FORBIDDEN: the credentials are valid but the account may not do this (403)
 * @RG_CHANNEL_ERROR_INVALID_REQUEST: the request itself is wrong: checked before sending (too many
 *   messages, text too long) or rejected by the platform (400, 415, WeChat format errors)
 * @RG_CHANNEL_ERROR_NOT_FOUND: the user, template or card does not exist (404, WhatsApp 132001)
 * @RG_CHANNEL_ERROR_CONFLICT: 409 that is not the answer to our own retry key
 * @RG_CHANNEL_ERROR_TOO_LARGE: the body is over the platform's limit (413)
 * @RG_CHANNEL_ERROR_RATE_LIMITED: too many requests right now (429, WhatsApp 130429/131056);
 *   retryable, see rg_channel_error_get_retry_after()
 * @RG_CHANNEL_ERROR_MONTHLY_LIMIT: LINE's monthly message quota is used up; not retryable
 * @RG_CHANNEL_ERROR_UNDELIVERABLE: the recipient cannot get this message (LINE notification
 *   message 422, WhatsApp 131026, Twilio 21211/21610)
 * @RG_CHANNEL_ERROR_OUTSIDE_WINDOW: WhatsApp free-form text outside the 24-hour customer-service
 *   window (131047); a template message would be accepted
 * @RG_CHANNEL_ERROR_SERVER: the platform failed (5xx, WeChat -1 “system busy”); retryable
 * @RG_CHANNEL_ERROR_NETWORK: the platform could not be reached (DNS, refused, TLS); retryable
 * @RG_CHANNEL_ERROR_TIMEOUT: no answer in time; retryable, but the platform may have acted
 * @RG_CHANNEL_ERROR_PROTOCOL: the answer was not what the platform documents
 *
 * Errors of every channel client. The message is meant for people and carries the platform's own
 * code and text; the extra data (HTTP status, platform code, Retry-After, request ID) is attached
 * to the #GError itself and read with the getters below. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED, never in this domain.
 */
typedef enum
{
  RG_CHANNEL_ERROR_CONFIGURATION,
  RG_CHANNEL_ERROR_AUTH,
  RG_CHANNEL_ERROR_FORBIDDEN,
  RG_CHANNEL_ERROR_INVALID_REQUEST,
  RG_CHANNEL_ERROR_NOT_FOUND,
  RG_CHANNEL_ERROR_CONFLICT,
  RG_CHANNEL_ERROR_TOO_LARGE,
  RG_CHANNEL_ERROR_RATE_LIMITED,
  RG_CHANNEL_ERROR_MONTHLY_LIMIT,
  RG_CHANNEL_ERROR_UNDELIVERABLE,
  RG_CHANNEL_ERROR_OUTSIDE_WINDOW,
  RG_CHANNEL_ERROR_SERVER,
  RG_CHANNEL_ERROR_NETWORK,
  RG_CHANNEL_ERROR_TIMEOUT,
  RG_CHANNEL_ERROR_PROTOCOL,
} RgChannelError;

GQuark       rg_channel_error_quark             (void);
gboolean     rg_channel_error_is_retryable      (const GError *error);
gint64       rg_channel_error_get_retry_after   (const GError *error);
const char  *rg_channel_error_get_platform_code (const GError *error);
guint        rg_channel_error_get_http_status   (const GError *error);
const char  *rg_channel_error_get_request_id    (const GError *error);

G_END_DECLS
