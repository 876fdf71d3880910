/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-fake-wait.h"
#include "rg-test-channels.h"

/**
 * rg_test_channel_set:
 * @settings: the channel settings
 * @channel: e.g. "line"
 * @field: e.g. "channel-secret"
 * @value: (nullable): the new value; %NULL clears it
 *
 * Saves one setting the way the application does (secrets to the keyring), asserting that it
 * worked; the thread-default main context turns until it is done.
 */
void
rg_test_channel_set (RgChannelSettings *settings,
                     const char        *channel,
                     const char        *field,
                     const char        *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_channel_settings_set_async (settings, channel, field, value, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_channel_settings_set_finish (settings, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
}

/**
 * rg_test_reload_credentials:
 * @server: a server
 *
 * Has @server read the webhook credentials again, asserting that it worked.
 */
void
rg_test_reload_credentials (RgServer *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_server_reload_credentials_async (server, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_server_reload_credentials_finish (server, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
}

/**
 * rg_test_server_listen:
 * @server: a server
 *
 * Has @server listen on a free port of 127.0.0.1, asserting that it does.
 *
 * Returns: (transfer full): its URL, without a trailing slash
 */
char *
rg_test_server_listen (RgServer *server)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rg_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  return rg_server_dup_url (server);
}
