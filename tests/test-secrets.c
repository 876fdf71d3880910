/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-fake-wait.h"
#include "rg-secrets.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

static gboolean
store (RgSecrets   *secrets,
       const char  *channel,
       const char  *field,
       const char  *label,
       const char  *value,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_secrets_store_async (secrets, channel, field, label, value, NULL, rg_fake_wait_cb, &result);
  return rg_secrets_store_finish (secrets, rg_fake_wait (&result), error);
}

static char *
lookup (RgSecrets   *secrets,
        const char  *channel,
        const char  *field,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_secrets_lookup_async (secrets, channel, field, NULL, rg_fake_wait_cb, &result);
  return rg_secrets_lookup_finish (secrets, rg_fake_wait (&result), error);
}

static gboolean
clear (RgSecrets   *secrets,
       const char  *channel,
       const char  *field,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_secrets_clear_async (secrets, channel, field, NULL, rg_fake_wait_cb, &result);
  return rg_secrets_clear_finish (secrets, rg_fake_wait (&result), error);
}

/* What other keyring clients (Passwords and Keys, secret-tool) see. */
static GList *
search_items (const char *channel,
              const char *field)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  attributes = secret_attributes_build (rg_secrets_get_schema (),
                                        "channel", channel, "field", field, NULL);
  items = secret_service_search_sync (NULL, rg_secrets_get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
test_secrets_round_trip (void)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  g_autofree char *schema_name = NULL;
  GList *items;
  SecretItem *item;

  g_assert_true (store (secrets, "line", "channel-secret", "Regulars: LINE channel secret",
                        "8f1e2d3c4b5a69788796a5b4c3d2e1f0", &error));
  g_assert_no_error (error);

  value = lookup (secrets, "line", "channel-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "8f1e2d3c4b5a69788796a5b4c3d2e1f0");

  /* One item, under our schema and attributes, with the label a keyring manager shows. */
  items = search_items ("line", "channel-secret");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  item = items->data;
  label = secret_item_get_label (item);
  schema_name = secret_item_get_schema_name (item);
  g_assert_cmpstr (label, ==, "Regulars: LINE channel secret");
  g_assert_cmpstr (schema_name, ==, "io.github.regulars.Secret");
  attributes = secret_item_get_attributes (item);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "channel"), ==, "line");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "field"), ==, "channel-secret");
  g_list_free_full (items, g_object_unref);

  /* Storing again replaces rather than adds. */
  g_assert_true (store (secrets, "line", "channel-secret", "Regulars: LINE channel secret",
                        "rotated", &error));
  g_assert_no_error (error);
  replaced = lookup (secrets, "line", "channel-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replaced, ==, "rotated");
  items = search_items ("line", "channel-secret");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear (secrets, "line", "channel-secret", &error));
  g_assert_no_error (error);
  gone = lookup (secrets, "line", "channel-secret", &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* Clearing what is not there is no error. */
  g_assert_true (clear (secrets, "line", "channel-secret", &error));
  g_assert_no_error (error);
}

static void
test_secrets_generic_pairs (void)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *key = NULL;
  g_autofree char *unicode = NULL;

  g_assert_true (store (secrets, "api", "token", "Regulars: API token", "tok-123", &error));
  g_assert_no_error (error);
  g_assert_true (store (secrets, "member-center", "link-key", "Regulars: member center link key",
                        "key-456", &error));
  g_assert_no_error (error);
  g_assert_true (store (secrets, "member-center", "unicode", "Regulars: test", "常客-密碼",
                        &error));
  g_assert_no_error (error);

  token = lookup (secrets, "api", "token", &error);
  g_assert_no_error (error);
  key = lookup (secrets, "member-center", "link-key", &error);
  g_assert_no_error (error);
  unicode = lookup (secrets, "member-center", "unicode", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-123");
  g_assert_cmpstr (key, ==, "key-456");
  g_assert_cmpstr (unicode, ==, "常客-密碼");
}

static void
test_secrets_missing (void)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  value = lookup (secrets, "wechat", "never-stored", &error);
  g_assert_no_error (error);
  g_assert_null (value);
}

static void
test_secrets_cancelled (void)
{
  g_autoptr(RgSecrets) secrets = rg_secrets_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_cancellable_cancel (cancellable);
  rg_secrets_lookup_async (secrets, "line", "channel-secret", cancellable, rg_fake_wait_cb,
                           &result);
  value = rg_secrets_lookup_finish (secrets, rg_fake_wait (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (value);
}

static void
test_secrets_locked (void)
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(RgSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!g_test_subprocess ())
    {
      /* Locking cannot be undone without a prompt: a keyring of its own. */
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  keyring = rg_test_keyring_start (&error);
  g_assert_no_error (error);
  secrets = rg_secrets_new ();

  g_assert_true (store (secrets, "line", "channel-access-token", "Regulars: test",
                        "before-lock", &error));
  g_assert_no_error (error);

  rg_test_keyring_lock (keyring);

  value = lookup (secrets, "line", "channel-access-token", &error);
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED);
  g_assert_null (value);
  g_assert_cmpstr (error->message, ==,
                   "The keyring is locked. Unlock it (for example in Passwords and Keys) and "
                   "try again; Regulars never stores credentials in plain text.");
  g_clear_error (&error);

  g_assert_false (store (secrets, "line", "channel-access-token", "Regulars: test",
                         "after-lock", &error));
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (clear (secrets, "line", "channel-access-token", &error));
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_LOCKED);
}

static void
test_secrets_no_service_no_bus (void)
{
  g_autoptr(RgSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/regulars-test-bus", TRUE);
  secrets = rg_secrets_new ();

  value = lookup (secrets, "line", "channel-secret", &error);
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "never stores credentials in plain text"));
  g_clear_error (&error);

  g_assert_false (store (secrets, "line", "channel-secret", "Regulars: test", "x", &error));
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_NO_SERVICE);
}

static void
test_secrets_no_service_on_bus (void)
{
  g_autoptr(RgTestKeyring) bus = NULL;
  g_autoptr(RgSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* A session bus on which nobody provides org.freedesktop.secrets. */
  bus = rg_test_keyring_start_without_service (&error);
  g_assert_no_error (error);
  secrets = rg_secrets_new ();

  g_assert_false (store (secrets, "line", "channel-secret", "Regulars: test", "x", &error));
  g_assert_error (error, RG_SECRETS_ERROR, RG_SECRETS_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "No keyring service is running"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/secrets/locked", test_secrets_locked);
  g_test_add_func ("/regulars/secrets/no-service/no-bus", test_secrets_no_service_no_bus);
  g_test_add_func ("/regulars/secrets/no-service/on-bus", test_secrets_no_service_on_bus);

  /* Subprocesses bring their own bus; the other tests share one private keyring. */
  if (!g_test_subprocess ())
    {
      keyring = rg_test_keyring_start (&error);
      if (keyring == NULL)
        {
          g_test_message ("Skipping the keyring tests: %s", error->message);
          return g_test_run ();
        }
      g_test_add_func ("/regulars/secrets/round-trip", test_secrets_round_trip);
      g_test_add_func ("/regulars/secrets/generic-pairs", test_secrets_generic_pairs);
      g_test_add_func ("/regulars/secrets/missing", test_secrets_missing);
      g_test_add_func ("/regulars/secrets/cancelled", test_secrets_cancelled);
    }

  return g_test_run ();
}
