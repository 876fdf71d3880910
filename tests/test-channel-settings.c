/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-channel-settings.h"
#include "rg-fake-wait.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

typedef struct
{
  char              *dir;
  char              *path;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->path);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gboolean
set_async (RgChannelSettings  *settings,
           const char         *channel,
           const char         *field,
           const char         *value,
           GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_channel_settings_set_async (settings, channel, field, value, NULL, rg_fake_wait_cb, &result);
  return rg_channel_settings_set_finish (settings, rg_fake_wait (&result), error);
}

static char *
get_async (RgChannelSettings  *settings,
           const char         *channel,
           const char         *field,
           GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_channel_settings_get_async (settings, channel, field, NULL, rg_fake_wait_cb, &result);
  return rg_channel_settings_get_finish (settings, rg_fake_wait (&result), error);
}

static GHashTable *
load_config (RgChannelSettings  *settings,
             const char         *channel,
             GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_channel_settings_load_config_async (settings, channel, NULL, rg_fake_wait_cb, &result);
  return rg_channel_settings_load_config_finish (settings, rg_fake_wait (&result), error);
}

/* Every byte SQLite wrote for the database: the file, its write-ahead log, shared memory. */
static gboolean
database_files_contain (const char *path,
                        const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  gsize needle_len = strlen (needle);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (file, &contents, &length, NULL))
        continue;
      for (gsize offset = 0; offset + needle_len <= length; offset++)
        {
          if (memcmp (contents + offset, needle, needle_len) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_catalogue (void)
{
  const struct {
    const char *channel;
    const char *fields;
    const char *secrets;
  } expected[] = {
    { "line", "channel-id channel-secret channel-access-token base-url",
      "channel-secret channel-access-token" },
    { "whatsapp",
      "phone-number-id business-account-id access-token app-secret verify-token base-url",
      "access-token app-secret verify-token" },
    { "wechat", "app-id app-secret token base-url", "app-secret token" },
    { "sms", "provider account password sender base-url", "password" },
  };
  const RgChannelInfo *channels;
  guint n_channels;

  channels = rg_channel_settings_get_channels (&n_channels);
  g_assert_cmpuint (n_channels, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < n_channels; i++)
    {
      g_autoptr(GString) fields = g_string_new (NULL);
      g_autoptr(GString) secrets = g_string_new (NULL);

      g_assert_cmpstr (channels[i].name, ==, expected[i].channel);
      for (guint j = 0; j < channels[i].n_fields; j++)
        {
          const RgChannelFieldInfo *field = &channels[i].fields[j];

          g_string_append_printf (fields, "%s%s", j > 0 ? " " : "", field->name);
          if (field->secret)
            {
              g_string_append_printf (secrets, "%s%s", secrets->len > 0 ? " " : "", field->name);
              g_assert_nonnull (field->keyring_label);
            }
          g_assert_nonnull (field->label);
        }
      g_assert_cmpstr (fields->str, ==, expected[i].fields);
      g_assert_cmpstr (secrets->str, ==, expected[i].secrets);
    }

  g_assert_cmpstr (rg_channel_settings_lookup_channel ("line", NULL)->webhook_path, ==,
                   "/webhook/line");
  g_assert_cmpstr (rg_channel_settings_lookup_channel ("whatsapp", NULL)->webhook_path, ==,
                   "/webhook/whatsapp");
  g_assert_cmpstr (rg_channel_settings_lookup_channel ("wechat", NULL)->webhook_path, ==,
                   "/webhook/wechat");
  g_assert_null (rg_channel_settings_lookup_channel ("sms", NULL)->webhook_path);
}

static void
assert_invalid (const char *channel,
                const char *field,
                const char *value,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  normalized = rg_channel_settings_normalize (channel, field, value, &error);
  g_assert_null (normalized);
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
assert_normalized (const char *channel,
                   const char *field,
                   const char *value,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  normalized = rg_channel_settings_normalize (channel, field, value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, expected);
}

static void
test_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  assert_normalized ("line", "channel-id", " 1656123456 ", "1656123456");
  assert_invalid ("line", "channel-id", "12ab", RG_CHANNEL_SETTINGS_ERROR_INVALID,
                  "line/channel-id: “12ab”");
  assert_normalized ("line", "base-url", "http://127.0.0.1:4010/", "http://127.0.0.1:4010");
  assert_normalized ("whatsapp", "base-url", "https://graph.facebook.com/v19.0",
                     "https://graph.facebook.com/v19.0");
  assert_invalid ("line", "base-url", "ftp://api.line.me", RG_CHANNEL_SETTINGS_ERROR_INVALID,
                  "line/base-url");
  assert_invalid ("wechat", "base-url", "api.weixin.qq.com", RG_CHANNEL_SETTINGS_ERROR_INVALID,
                  "wechat/base-url: “api.weixin.qq.com”");
  assert_invalid ("sms", "base-url", "https://user:pw@gw.example/?x=1",
                  RG_CHANNEL_SETTINGS_ERROR_INVALID, "sms/base-url");
  assert_normalized ("sms", "provider", "Twilio", "twilio");
  assert_invalid ("sms", "provider", "nexmo", RG_CHANNEL_SETTINGS_ERROR_INVALID,
                  "sms/provider: “nexmo” is not one of mitake, twilio");
  assert_invalid ("whatsapp", "phone-number-id", "", RG_CHANNEL_SETTINGS_ERROR_INVALID,
                  "whatsapp/phone-number-id");
  assert_invalid ("telegram", "token", "x", RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_CHANNEL,
                  "“telegram”; the channels are line, whatsapp, wechat, sms");
  assert_invalid ("line", "secret", "x", RG_CHANNEL_SETTINGS_ERROR_UNKNOWN_FIELD,
                  "“line” has no field “secret”");

  /* A bad secret is refused without being repeated in the message. */
  secret = rg_channel_settings_normalize ("line", "channel-secret", "abc def-SECRET", &error);
  g_assert_null (secret);
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line/channel-secret"));
  g_assert_null (strstr (error->message, "SECRET"));
  g_clear_error (&error);

  /* Secrets are taken exactly as given otherwise. */
  assert_normalized ("line", "channel-access-token", "eyJhbGciOi+/=", "eyJhbGciOi+/=");
}

static void
record_change (RgChannelSettings *settings,
               const char        *channel,
               const char        *field,
               GPtrArray         *changes)
{
  g_ptr_array_add (changes, g_strdup_printf ("%s/%s", channel, field));
}

static void
test_plain_values (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *cleared = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *sms_default = NULL;
  g_autofree char *twilio = NULL;
  g_autofree char *via_async = NULL;

  g_signal_connect (fixture->settings, "changed", G_CALLBACK (record_change), changes);

  g_assert_true (rg_channel_settings_set_value (fixture->settings, "line", "channel-id",
                                                "1656123456", &error));
  g_assert_no_error (error);
  id = rg_channel_settings_get_value (fixture->settings, "line", "channel-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "1656123456");
  via_async = get_async (fixture->settings, "line", "channel-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (via_async, ==, "1656123456");

  g_assert_true (rg_channel_settings_set_value (fixture->settings, "line", "channel-id", NULL,
                                                &error));
  cleared = rg_channel_settings_get_value (fixture->settings, "line", "channel-id", &error);
  g_assert_no_error (error);
  g_assert_null (cleared);

  /* Unset base URLs are the production ones; SMS's depends on the provider. */
  base_url = rg_channel_settings_get_value (fixture->settings, "whatsapp", "base-url", &error);
  g_assert_cmpstr (base_url, ==, "https://graph.facebook.com/v19.0");
  sms_default = rg_channel_settings_get_value (fixture->settings, "sms", "base-url", &error);
  g_assert_null (sms_default);
  g_assert_true (set_async (fixture->settings, "sms", "provider", "twilio", &error));
  g_assert_no_error (error);
  twilio = rg_channel_settings_get_value (fixture->settings, "sms", "base-url", &error);
  g_assert_cmpstr (twilio, ==, "https://api.twilio.com");

  /* The synchronous API refuses secrets. */
  g_assert_false (rg_channel_settings_set_value (fixture->settings, "line", "channel-secret",
                                                 "x", &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_SECRET_FIELD);
  g_clear_error (&error);
  g_assert_null (rg_channel_settings_get_value (fixture->settings, "whatsapp", "app-secret",
                                                &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_SECRET_FIELD);
  g_clear_error (&error);

  /* An invalid value changes nothing and says where it went wrong. */
  g_assert_false (set_async (fixture->settings, "line", "channel-id", "abc", &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID);

  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, "line/channel-id");
  g_assert_cmpstr (g_ptr_array_index (changes, 1), ==, "line/channel-id");
  g_assert_cmpstr (g_ptr_array_index (changes, 2), ==, "sms/provider");
}

static void
test_secret_not_in_database (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *secret = "Zq7-never-in-sqlite-5f0c2b9e1d";
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *cleared = NULL;
  g_autoptr(GHashTable) config = NULL;
  sqlite3 *db = rg_store_get_db (fixture->store);

  /* A plain value, so that the file surely holds the table's pages. */
  g_assert_true (set_async (fixture->settings, "line", "channel-id", "1656123456", &error));
  g_assert_true (set_async (fixture->settings, "line", "channel-secret", secret, &error));
  g_assert_no_error (error);

  value = get_async (fixture->settings, "line", "channel-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, secret);
  config = load_config (fixture->settings, "line", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (config, "channel-secret"), ==, secret);

  g_assert_true (database_files_contain (fixture->path, "1656123456"));
  g_assert_false (database_files_contain (fixture->path, secret));

  /* Also after a checkpoint moved the log into the main file. */
  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_false (database_files_contain (fixture->path, secret));

  /* And the schema refuses a secret field outright, should a bug ever try. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO channel_settings (channel, field, value, updated_at)"
                                 " VALUES ('line', 'channel-secret', 'x', 0)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_CHECK);

  g_assert_true (set_async (fixture->settings, "line", "channel-secret", NULL, &error));
  g_assert_no_error (error);
  cleared = get_async (fixture->settings, "line", "channel-secret", &error);
  g_assert_no_error (error);
  g_assert_null (cleared);
}

static void
test_load_config (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) partial = NULL;
  g_autoptr(GHashTable) config = NULL;

  g_assert_true (set_async (fixture->settings, "whatsapp", "phone-number-id", "106540352242922",
                            &error));
  g_assert_true (set_async (fixture->settings, "whatsapp", "base-url", "http://127.0.0.1:9/v19.0",
                            &error));
  g_assert_no_error (error);

  partial = load_config (fixture->settings, "whatsapp", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (partial), ==, 2);
  g_assert_false (rg_channel_settings_check_required ("whatsapp", partial, &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "whatsapp/access-token"));
  g_clear_error (&error);

  g_assert_true (set_async (fixture->settings, "whatsapp", "access-token", "EAAG-token", &error));
  g_assert_true (set_async (fixture->settings, "whatsapp", "app-secret", "appsecret", &error));
  g_assert_no_error (error);

  config = load_config (fixture->settings, "whatsapp", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (config), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (config, "phone-number-id"), ==, "106540352242922");
  g_assert_cmpstr (g_hash_table_lookup (config, "base-url"), ==, "http://127.0.0.1:9/v19.0");
  g_assert_cmpstr (g_hash_table_lookup (config, "access-token"), ==, "EAAG-token");
  g_assert_cmpstr (g_hash_table_lookup (config, "app-secret"), ==, "appsecret");
  g_assert_false (g_hash_table_contains (config, "verify-token"));
  g_assert_true (rg_channel_settings_check_required ("whatsapp", config, &error));
  g_assert_no_error (error);
}

static void
test_server_preferences (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *ipv6 = NULL;
  g_autofree char *none = NULL;
  g_autofree char *base = NULL;
  g_autofree char *line = NULL;
  g_autofree char *whatsapp = NULL;
  g_autofree char *wechat = NULL;
  g_autofree char *sms = NULL;
  g_autofree char *stored = NULL;

  address = rg_channel_settings_dup_server_address (fixture->settings);
  g_assert_cmpstr (address, ==, "127.0.0.1");
  g_assert_cmpuint (rg_channel_settings_get_server_port (fixture->settings), ==, 8765);
  none = rg_channel_settings_dup_webhook_url (fixture->settings, "line");
  g_assert_null (none);

  g_assert_true (rg_channel_settings_set_server_address (fixture->settings, "::1", &error));
  g_assert_no_error (error);
  ipv6 = rg_channel_settings_dup_server_address (fixture->settings);
  g_assert_cmpstr (ipv6, ==, "::1");
  g_assert_false (rg_channel_settings_set_server_address (fixture->settings, "localhost",
                                                          &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (rg_channel_settings_set_server_port (fixture->settings, 9000, &error));
  g_assert_cmpuint (rg_channel_settings_get_server_port (fixture->settings), ==, 9000);
  g_assert_false (rg_channel_settings_set_server_port (fixture->settings, 70000, &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rg_channel_settings_set_server_port (fixture->settings, 0, &error));
  g_assert_cmpuint (rg_channel_settings_get_server_port (fixture->settings), ==, 8765);

  g_assert_false (rg_channel_settings_set_public_base_url (fixture->settings, "shop.example.com",
                                                           &error));
  g_assert_error (error, RG_CHANNEL_SETTINGS_ERROR, RG_CHANNEL_SETTINGS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rg_channel_settings_set_public_base_url (fixture->settings,
                                                          "https://shop.example.com/regulars/",
                                                          &error));
  g_assert_no_error (error);
  base = rg_channel_settings_dup_public_base_url (fixture->settings);
  g_assert_cmpstr (base, ==, "https://shop.example.com/regulars");
  line = rg_channel_settings_dup_webhook_url (fixture->settings, "line");
  g_assert_cmpstr (line, ==, "https://shop.example.com/regulars/webhook/line");
  whatsapp = rg_channel_settings_dup_webhook_url (fixture->settings, "whatsapp");
  g_assert_cmpstr (whatsapp, ==, "https://shop.example.com/regulars/webhook/whatsapp");
  wechat = rg_channel_settings_dup_webhook_url (fixture->settings, "wechat");
  g_assert_cmpstr (wechat, ==, "https://shop.example.com/regulars/webhook/wechat");
  sms = rg_channel_settings_dup_webhook_url (fixture->settings, "sms");
  g_assert_null (sms);

  /* Kept in the database's meta table, for a box without GSettings. */
  g_assert_true (rg_store_get_meta (fixture->store, "server.public-base-url", &stored, &error));
  g_assert_cmpstr (stored, ==, "https://shop.example.com/regulars");
}

static void
test_locked (void)
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) config = NULL;
  Fixture fixture = { NULL };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  keyring = rg_test_keyring_start (&error);
  g_assert_no_error (error);
  fixture_set_up (&fixture, NULL);
  rg_test_keyring_lock (keyring);

  g_assert_false (set_async (fixture.settings, "line", "channel-access-token",
                             "locked-out-token-77", &error));
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==,
                   "line/channel-access-token: The keyring is locked. Unlock it (for example "
                   "in Passwords and Keys) and try again; Regulars never stores credentials "
                   "in plain text.");
  g_clear_error (&error);
  g_assert_false (database_files_contain (fixture.path, "locked-out-token-77"));

  /* Plain fields still work; a whole config needs the keyring. */
  g_assert_true (set_async (fixture.settings, "line", "channel-id", "1656123456", &error));
  g_assert_no_error (error);
  config = load_config (fixture.settings, "line", &error);
  g_assert_null (config);
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED);
  g_assert_true (g_str_has_prefix (error->message, "line/channel-secret: "));

  fixture_tear_down (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/channel-settings/catalogue", test_catalogue);
  g_test_add_func ("/regulars/channel-settings/validation", test_validation);
  g_test_add_func ("/regulars/channel-settings/locked", test_locked);

  if (!g_test_subprocess ())
    {
      keyring = rg_test_keyring_start (&error);
      if (keyring == NULL)
        {
          g_test_message ("Skipping the keyring tests: %s", error->message);
          return g_test_run ();
        }
      g_test_add ("/regulars/channel-settings/plain-values", Fixture, NULL,
                  fixture_set_up, test_plain_values, fixture_tear_down);
      g_test_add ("/regulars/channel-settings/secret-not-in-database", Fixture, NULL,
                  fixture_set_up, test_secret_not_in_database, fixture_tear_down);
      g_test_add ("/regulars/channel-settings/load-config", Fixture, NULL,
                  fixture_set_up, test_load_config, fixture_tear_down);
      g_test_add ("/regulars/channel-settings/server-preferences", Fixture, NULL,
                  fixture_set_up, test_server_preferences, fixture_tear_down);
    }

  return g_test_run ();
}
