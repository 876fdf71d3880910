/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-card-link.h"
#include "rg-card-store.h"
#include "rg-fake-wait.h"
#include "rg-member-center.h"
#include "rg-member-store.h"
#include "rg-server-private.h"
#include "rg-service.h"
#include "rg-test-channels.h"
#include "rg-test-keyring.h"
#include "rg-test-util.h"

/* Member-center links (token issue, verify, expiry, tampering) with an injected clock, and
 * every member-center page through real HTTP requests to a listening RgServer, in the three
 * languages. The key lives in this program's own keyring (rg-test-keyring.h). */

#define NOW          G_GINT64_CONSTANT (1790000000)
#define REGISTER_URL "https://shop.example/register?from=card"
#define NOT_FOUND    "查無會員資料，請先註冊"
#define BASE_URL     "https://shop.example/regulars"

typedef struct
{
  char              *dir;
  char              *path;
  RgStore           *store;
  RgSecrets         *secrets;
  RgChannelSettings *settings;
  RgMemberStore     *members;
  RgCardStore       *cards;
  RgMemberCenter    *center;
  RgCardLink        *link;
  RgServer          *server;
  char              *url;
  SoupSession       *session;
  gint64             now;
  gint64             with_number;
  gint64             without_number;
  gint64             to_delete;
} Fixture;

typedef struct
{
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;
} Page;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->body, g_free);
  g_clear_pointer (&page->headers, soup_message_headers_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Page, page_clear)

static gint64
test_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
load_key (RgCardLink *link,
          gboolean    reload)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rg_card_link_load_key_async (link, reload, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_card_link_load_key_finish (link, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
}

static gint64
add_member (Fixture    *fixture,
            const char *number,
            const char *name)
{
  g_autoptr(RgMember) member = rg_member_new ();
  g_autoptr(GError) error = NULL;

  rg_member_set_member_number (member, number);
  rg_member_set_name (member, name);
  rg_member_set_points_balance (member, 1280);
  rg_member_set_stored_value (member, 50000);
  g_assert_true (rg_member_store_insert (fixture->members, member, "test", &error));
  g_assert_no_error (error);
  return rg_member_get_id (member);
}

static void
save_design (Fixture       *fixture,
             RgCardChannel  channel,
             gboolean       enabled,
             gboolean       member_center)
{
  g_autoptr(RgCardDesign) design = rg_card_design_new (channel);
  g_autoptr(RgCardField) name = rg_card_field_new (RG_CARD_FIELD_NAME, "姓名");
  g_autoptr(RgCardField) number = rg_card_field_new (RG_CARD_FIELD_MEMBER_NUMBER, "會員編號");
  g_autoptr(RgCardField) points = rg_card_field_new (RG_CARD_FIELD_POINTS_BALANCE, "點數");
  g_autoptr(GError) error = NULL;

  rg_card_design_set_enabled (design, enabled);
  rg_card_design_set_member_center_enabled (design, member_center);
  rg_card_design_set_require_member_number (design, TRUE);
  rg_card_design_set_not_found_message (design, NOT_FOUND);
  rg_card_design_set_register_button_text (design, "立即註冊");
  rg_card_design_set_register_url (design, REGISTER_URL);
  rg_card_design_set_title (design, "晨葉茶行");
  rg_card_design_set_barcode_type (design, RG_CARD_BARCODE_CODE128);
  while (rg_card_design_get_n_fields (design) > 0)
    rg_card_design_remove_field (design, 0);
  g_assert_true (rg_card_design_add_field (design, name, &error));
  g_assert_true (rg_card_design_add_field (design, number, &error));
  g_assert_true (rg_card_design_add_field (design, points, &error));
  g_assert_no_error (error);
  g_assert_true (rg_card_store_save (fixture->cards, design, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->store = rg_test_open_store (fixture->dir, &fixture->path);
  fixture->secrets = rg_secrets_new ();
  fixture->settings = rg_channel_settings_new (fixture->store, fixture->secrets);
  fixture->members = rg_member_store_new (fixture->store);
  fixture->cards = rg_card_store_new (fixture->store);
  fixture->now = NOW;

  save_design (fixture, RG_CARD_CHANNEL_LINE, TRUE, TRUE);
  save_design (fixture, RG_CARD_CHANNEL_WHATSAPP, FALSE, TRUE);
  save_design (fixture, RG_CARD_CHANNEL_WECHAT, TRUE, FALSE);
  fixture->with_number = add_member (fixture, "TEA-0042", "林<b>小美</b> & Co");
  fixture->without_number = add_member (fixture, NULL, "No Number Yet");
  fixture->to_delete = add_member (fixture, "TEA-0099", "To Be Deleted");

  /* The built-in texts only: a catalog found on the machine must not change the words. */
  fixture->center = g_object_new (RG_TYPE_MEMBER_CENTER,
                                  "store", fixture->store,
                                  "settings", fixture->settings,
                                  "locale-dir", NULL,
                                  NULL);
  rg_member_center_set_locale_dir (fixture->center, NULL);
  fixture->link = g_object_ref (rg_member_center_get_link (fixture->center));
  rg_card_link_set_clock (fixture->link, test_clock, &fixture->now);

  fixture->server = rg_server_new (fixture->store, fixture->settings);
  rg_member_center_attach (fixture->center, fixture->server);
  fixture->url = rg_test_server_listen (fixture->server);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  rg_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->link);
  g_clear_object (&fixture->center);
  g_clear_object (&fixture->cards);
  g_clear_object (&fixture->members);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->url);
}

static char *
issue (Fixture       *fixture,
       gint64         member_id,
       RgCardChannel  channel)
{
  g_autoptr(GError) error = NULL;
  char *token;

  load_key (fixture->link, FALSE);
  token = rg_card_link_issue_token (fixture->link, member_id, channel, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static Page
get_page (Fixture    *fixture,
          const char *method,
          const char *path,
          const char *accept_language)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Page page = { 0, };

  g_assert_nonnull (msg);
  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    rg_fake_wait_cb, &result);
  bytes = soup_session_send_and_read_finish (fixture->session, rg_fake_wait (&result), &error);
  g_assert_no_error (error);

  page.status = soup_message_get_status (msg);
  page.body = g_bytes_get_size (bytes) > 0
              ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
              : g_strdup ("");
  page.headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return page;
}

static Page
get_token_page (Fixture    *fixture,
                const char *token,
                const char *accept_language)
{
  g_autofree char *path = g_strconcat ("/m/", token, NULL);

  return get_page (fixture, "GET", path, accept_language);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in the page:\n%.2000s", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” should not be in the page", needle);
}

static void
assert_html_page (Page       *page,
                  const char *language_tag)
{
  g_autofree char *lang = g_strdup_printf ("<html lang=\"%s\">", language_tag);

  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==, "text/html");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Referrer-Policy"), ==,
                   "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Content-Language"), ==,
                   language_tag);
  assert_contains (soup_message_headers_get_one (page->headers, "Content-Security-Policy"),
                   "default-src 'none'; img-src data:");
  g_assert_true (g_str_has_prefix (page->body, "<!DOCTYPE html>"));
  assert_contains (page->body, lang);
  assert_contains (page->body, "<meta name=\"viewport\" content=\"width=device-width");
  /* Nothing outside the page itself. */
  assert_lacks (page->body, "src=\"http");
  assert_lacks (page->body, "<link");
  assert_lacks (page->body, "<script");
  g_assert_true (g_utf8_validate (page->body, -1, NULL));
}

/* The first data: PNG of the page, decoded. */
static GBytes *
first_png (const char *body,
           guint       skip)
{
  const char *start = body;
  const char *end;
  g_autofree char *base64 = NULL;
  guchar *data;
  gsize size;

  for (guint i = 0; i <= skip; i++)
    {
      start = strstr (start, "data:image/png;base64,");
      g_assert_nonnull (start);
      start += strlen ("data:image/png;base64,");
    }
  end = strchr (start, '"');
  g_assert_nonnull (end);
  base64 = g_strndup (start, end - start);
  data = g_base64_decode (base64, &size);
  return g_bytes_new_take (data, size);
}

/* zbarimg (zbar-tools), an independent decoder, with only @symbology enabled; NULL when it
 * found no barcode. */
static char *
zbar_decode (const char *dir,
             GBytes     *png,
             const char *symbology)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *path = g_build_filename (dir, "page.png", NULL);
  g_autofree char *enable = g_strdup_printf ("-S%s.enable", symbology);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "-q", "--raw", "-Sdisable", enable, path, NULL };
  int status = 0;

  if (zbarimg == NULL)
    g_error ("zbarimg is not installed; install zbar-tools (tools/dev test does)");
  argv[0] = zbarimg;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL),
                                      g_bytes_get_size (png), &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_strchomp (out);
  return g_steal_pointer (&out);
}

static void
png_size (GBytes *png,
          guint  *width,
          guint  *height)
{
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 24);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  *width = (guint) data[16] << 24 | (guint) data[17] << 16 | (guint) data[18] << 8 | data[19];
  *height = (guint) data[20] << 24 | (guint) data[21] << 16 | (guint) data[22] << 8 | data[23];
}

/* base64url helpers, written independently of the code under test. */
static GBytes *
decode_part (const char *part,
             gsize       length)
{
  g_autoptr(GString) standard = g_string_new_len (part, length);
  guchar *data;
  gsize size;

  g_string_replace (standard, "-", "+", 0);
  g_string_replace (standard, "_", "/", 0);
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  data = g_base64_decode (standard->str, &size);
  return g_bytes_new_take (data, size);
}

static char *
encode_part (gconstpointer data,
             gsize         size)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *base64 = g_base64_encode (data, size);

  g_string_append (text, base64);
  g_string_replace (text, "+", "-", 0);
  g_string_replace (text, "/", "_", 0);
  g_string_replace (text, "=", "", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_verify_fails (RgCardLink *link,
                     const char *token,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  gint64 member_id = -1;

  g_assert_false (rg_card_link_verify (link, token, &member_id, NULL, NULL, &error));
  g_assert_error (error, RG_CARD_LINK_ERROR, code);
  if (code != RG_CARD_LINK_ERROR_EXPIRED)
    g_assert_cmpint (member_id, ==, -1);
}

static void
test_token_roundtrip (Fixture       *fixture,
                      gconstpointer  data)
{
  guint8 key[RG_CARD_LINK_KEY_SIZE];
  guint8 other_key[RG_CARD_LINK_KEY_SIZE];
  g_autoptr(RgCardLink) other = rg_card_link_new (fixture->settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *payload_text = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) signature = NULL;
  RgCardChannel channel = RG_CARD_CHANNEL_WECHAT;
  gint64 member_id = 0;
  gint64 expires_at = 0;
  const char *dot;

  for (guint i = 0; i < sizeof key; i++)
    {
      key[i] = (guint8) i;
      other_key[i] = (guint8) (i + 1);
    }

  g_assert_false (rg_card_link_has_key (other));
  g_assert_null (rg_card_link_issue_token (other, 1, RG_CARD_CHANNEL_LINE, &error));
  g_assert_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_NO_KEY);
  g_clear_error (&error);

  rg_card_link_set_key (fixture->link, key, sizeof key);
  token = rg_card_link_issue_token (fixture->link, 42, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);

  /* base64url without padding: nothing in it needs escaping in a URL. */
  for (const char *p = token; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.');

  /* The payload is the documented, versioned JSON. */
  dot = strchr (token, '.');
  g_assert_nonnull (dot);
  payload = decode_part (token, dot - token);
  signature = decode_part (dot + 1, strlen (dot + 1));
  g_assert_cmpuint (g_bytes_get_size (signature), ==, 32);
  payload_text = g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  g_assert_cmpstr (payload_text, ==, "{\"v\":1,\"m\":42,\"c\":\"line\",\"e\":1790001800}");

  g_assert_true (rg_card_link_verify (fixture->link, token, &member_id, &channel, &expires_at,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (member_id, ==, 42);
  g_assert_cmpint (channel, ==, RG_CARD_CHANNEL_LINE);
  g_assert_cmpint (expires_at, ==, NOW + 30 * 60);

  /* 29:59 later it still opens; 30:01 later it has expired. */
  fixture->now = NOW + 29 * 60 + 59;
  g_assert_true (rg_card_link_verify (fixture->link, token, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->now = NOW + 30 * 60 + 1;
  member_id = 0;
  g_assert_false (rg_card_link_verify (fixture->link, token, &member_id, NULL, NULL, &error));
  g_assert_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_EXPIRED);
  g_clear_error (&error);
  /* Expired links still say whose they were, so that the page can wear the card's title. */
  g_assert_cmpint (member_id, ==, 42);
  fixture->now = NOW;

  /* A byte of the payload changed: member 43 instead of 42, same signature. */
  {
    g_autofree char *forged_payload = g_strdup (payload_text);
    g_autofree char *encoded = NULL;
    g_autofree char *forged = NULL;

    *strstr (forged_payload, "42") = '4';
    strstr (forged_payload, "42")[1] = '3';
    encoded = encode_part (forged_payload, strlen (forged_payload));
    forged = g_strconcat (encoded, dot, NULL);
    assert_verify_fails (fixture->link, forged, RG_CARD_LINK_ERROR_TAMPERED);
  }

  /* One character of the encoded payload changed. */
  {
    g_autofree char *forged = g_strdup (token);

    forged[5] = forged[5] == 'A' ? 'B' : 'A';
    assert_verify_fails (fixture->link, forged, RG_CARD_LINK_ERROR_TAMPERED);
  }

  /* A bit of the signature flipped. */
  {
    g_autofree guint8 *sig = g_memdup2 (g_bytes_get_data (signature, NULL), 32);
    g_autofree char *encoded = NULL;
    g_autofree char *forged = NULL;
    g_autofree char *head = g_strndup (token, dot - token + 1);

    sig[7] ^= 0x01;
    encoded = encode_part (sig, 32);
    forged = g_strconcat (head, encoded, NULL);
    assert_verify_fails (fixture->link, forged, RG_CARD_LINK_ERROR_TAMPERED);
  }

  /* Signed with another key. */
  rg_card_link_set_key (other, other_key, sizeof other_key);
  assert_verify_fails (other, token, RG_CARD_LINK_ERROR_TAMPERED);

  /* A correctly signed payload of a version this program does not know. */
  {
    const char *v2 = "{\"v\":2,\"m\":42,\"c\":\"line\",\"e\":1790001800}";
    g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
    guint8 digest[32];
    gsize digest_len = sizeof digest;
    g_autofree char *encoded_payload = encode_part (v2, strlen (v2));
    g_autofree char *encoded_signature = NULL;
    g_autofree char *forged = NULL;

    g_hmac_update (hmac, (const guchar *) v2, strlen (v2));
    g_hmac_get_digest (hmac, digest, &digest_len);
    encoded_signature = encode_part (digest, digest_len);
    forged = g_strconcat (encoded_payload, ".", encoded_signature, NULL);
    assert_verify_fails (fixture->link, forged, RG_CARD_LINK_ERROR_MALFORMED);
  }

  assert_verify_fails (fixture->link, "", RG_CARD_LINK_ERROR_MALFORMED);
  assert_verify_fails (fixture->link, "abc", RG_CARD_LINK_ERROR_MALFORMED);
  assert_verify_fails (fixture->link, "a.b.c", RG_CARD_LINK_ERROR_MALFORMED);
  assert_verify_fails (fixture->link, "!!!!.????", RG_CARD_LINK_ERROR_MALFORMED);
  assert_verify_fails (fixture->link, "eyJ2IjoxfQ.", RG_CARD_LINK_ERROR_MALFORMED);
  /* Padding or the standard alphabet is another spelling: refused, not normalized. */
  {
    g_autofree char *padded = g_strconcat (token, "=", NULL);

    assert_verify_fails (fixture->link, padded, RG_CARD_LINK_ERROR_MALFORMED);
  }

  /* A non-member's link (member 0) is genuine too. */
  {
    g_autofree char *anyone = rg_card_link_issue_token (fixture->link, 0,
                                                        RG_CARD_CHANNEL_WHATSAPP, &error);

    g_assert_no_error (error);
    member_id = -1;
    g_assert_true (rg_card_link_verify (fixture->link, anyone, &member_id, &channel, NULL,
                                        &error));
    g_assert_cmpint (member_id, ==, 0);
    g_assert_cmpint (channel, ==, RG_CARD_CHANNEL_WHATSAPP);
  }
}

static void
test_token_keyring (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgCardLink) second = rg_card_link_new (fixture->settings);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;
  g_autofree guchar *decoded = NULL;
  gsize size = 0;
  gint64 member_id = 0;

  /* First use makes the key and keeps it in the keyring, never in the database. */
  load_key (fixture->link, FALSE);
  g_assert_true (rg_card_link_has_key (fixture->link));
  rg_secrets_lookup_async (fixture->secrets, RG_CARD_LINK_SECRET_CHANNEL,
                           RG_CARD_LINK_SECRET_FIELD, NULL, rg_fake_wait_cb, &result);
  stored = rg_secrets_lookup_finish (fixture->secrets, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  decoded = g_base64_decode (stored, &size);
  g_assert_cmpuint (size, ==, RG_CARD_LINK_KEY_SIZE);

  /* Another reader (another process) gets the same key. */
  token = rg_card_link_issue_token (fixture->link, fixture->with_number, RG_CARD_CHANNEL_LINE,
                                    &error);
  g_assert_no_error (error);
  rg_card_link_set_clock (second, test_clock, &fixture->now);
  load_key (second, FALSE);
  g_assert_true (rg_card_link_verify (second, token, &member_id, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (member_id, ==, fixture->with_number);
}

static void
test_token_url (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  RgCardChannel channel;
  gint64 member_id = 0;

  rg_card_link_issue_async (fixture->link, fixture->with_number, RG_CARD_CHANNEL_LINE, NULL,
                            rg_fake_wait_cb, &result);
  g_assert_null (rg_card_link_issue_finish (fixture->link, rg_fake_wait (&result), &error));
  g_assert_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_NO_BASE_URL);
  assert_contains (error->message, "regulars-cli channels set server public-base-url URL");
  g_clear_error (&error);

  g_assert_true (rg_channel_settings_set_public_base_url (fixture->settings, BASE_URL "/",
                                                          &error));
  g_assert_no_error (error);
  rg_card_link_issue_async (fixture->link, fixture->with_number, RG_CARD_CHANNEL_WECHAT, NULL,
                            rg_fake_wait_cb, &second);
  url = rg_card_link_issue_finish (fixture->link, rg_fake_wait (&second), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, BASE_URL "/m/"));
  g_assert_true (rg_card_link_verify (fixture->link, url + strlen (BASE_URL "/m/"), &member_id,
                                      &channel, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (member_id, ==, fixture->with_number);
  g_assert_cmpint (channel, ==, RG_CARD_CHANNEL_WECHAT);
}

static void
test_language (void)
{
  static const struct
  {
    const char             *header;
    RgMemberCenterLanguage  language;
  } cases[] = {
    { NULL, RG_MEMBER_CENTER_LANGUAGE_EN },
    { "", RG_MEMBER_CENTER_LANGUAGE_EN },
    { "zh-TW", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "zh-Hant", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "zh-Hant-HK,en;q=0.5", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "zh_TW", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "zh-HK", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "zh-CN", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "zh-Hans-CN", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "zh", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "zh-SG", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "en-US,en;q=0.9", RG_MEMBER_CENTER_LANGUAGE_EN },
    { "ja-JP,zh-TW;q=0.8,en;q=0.7", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
    { "en;q=0.4, zh-CN;q=0.6", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "zh-TW;q=0, en", RG_MEMBER_CENTER_LANGUAGE_EN },
    { "fr-FR, de", RG_MEMBER_CENTER_LANGUAGE_EN },
    { "zh-TW;q=abc, zh-CN;q=0.1", RG_MEMBER_CENTER_LANGUAGE_ZH_CN },
    { "*", RG_MEMBER_CENTER_LANGUAGE_EN },
    { "ZH-tw", RG_MEMBER_CENTER_LANGUAGE_ZH_TW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RgMemberCenterLanguage got = rg_member_center_negotiate_language (cases[i].header);

      if (got != cases[i].language)
        g_error ("Accept-Language “%s”: got %s, expected %s", cases[i].header,
                 rg_member_center_language_to_string (got),
                 rg_member_center_language_to_string (cases[i].language));
    }
}

static void
test_page_card (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_auto(Page) zh_tw = { 0, };
  g_auto(Page) zh_cn = { 0, };
  g_auto(Page) en = { 0, };
  g_auto(Page) plain = { 0, };
  g_autoptr(GBytes) card = NULL;
  g_autoptr(GBytes) barcode = NULL;
  guint width, height;
  gint64 start;

  start = g_get_monotonic_time ();
  zh_tw = get_token_page (fixture, token, "zh-TW,zh;q=0.9,en-US;q=0.8");
  g_test_message ("card page answered in %.1f ms (%zu bytes)",
                  (g_get_monotonic_time () - start) / 1000.0, strlen (zh_tw.body));
  g_assert_cmpuint (zh_tw.status, ==, 200);
  assert_html_page (&zh_tw, "zh-Hant-TW");
  assert_contains (zh_tw.body, "<h1>晨葉茶行</h1>");
  assert_contains (zh_tw.body, "結帳時請出示此會員卡。");
  assert_contains (zh_tw.body, "放大顯示條碼");
  /* The fields as text, with the design's labels, escaped. */
  assert_contains (zh_tw.body, "<dt>姓名</dt><dd>林&lt;b&gt;小美&lt;/b&gt; &amp; Co</dd>");
  assert_contains (zh_tw.body, "<dt>會員編號</dt><dd>TEA-0042</dd>");
  assert_contains (zh_tw.body, "<dt>點數</dt><dd>1,280</dd>");
  assert_lacks (zh_tw.body, "<b>小美");
  assert_contains (zh_tw.body, "<p class=\"number\">TEA-0042</p>");

  /* The card image at scale 2, and the barcode alone, larger. */
  card = first_png (zh_tw.body, 0);
  png_size (card, &width, &height);
  g_assert_cmpuint (width, ==, 720);
  g_assert_cmpuint (height, >, 200);
  barcode = first_png (zh_tw.body, 1);
  png_size (barcode, &width, &height);
  g_assert_cmpuint (width, >=, 300);
  g_assert_cmpuint (height, >, 0);

  /* Both scan back to the member number. */
  {
    g_autofree char *on_card = zbar_decode (fixture->dir, card, "code128");
    g_autofree char *large = zbar_decode (fixture->dir, barcode, "code128");

    g_assert_cmpstr (on_card, ==, "TEA-0042");
    g_assert_cmpstr (large, ==, "TEA-0042");
  }

  zh_cn = get_token_page (fixture, token, "zh-CN,zh;q=0.9");
  g_assert_cmpuint (zh_cn.status, ==, 200);
  assert_html_page (&zh_cn, "zh-Hans-CN");
  assert_contains (zh_cn.body, "结账时请出示此会员卡。");
  assert_lacks (zh_cn.body, "結帳時請出示此會員卡。");

  en = get_token_page (fixture, token, "en-US,en;q=0.9");
  g_assert_cmpuint (en.status, ==, 200);
  assert_html_page (&en, "en");
  assert_contains (en.body, "Show this card at the counter.");
  assert_contains (en.body, "For your privacy, this link works for 30 minutes.");
  assert_lacks (en.body, "會員卡。");

  plain = get_token_page (fixture, token, NULL);
  g_assert_cmpuint (plain.status, ==, 200);
  assert_html_page (&plain, "en");

  /* Read on each request: a balance change shows at the next reload. */
  {
    g_autoptr(GError) error = NULL;
    g_auto(Page) again = { 0, };
    RgBalanceChange change = { .points_balance = 100, .reason = "test" };

    g_assert_true (rg_member_store_adjust (fixture->members, fixture->with_number, &change,
                                           &error));
    g_assert_no_error (error);
    again = get_token_page (fixture, token, "en");
    assert_contains (again.body, "<dt>點數</dt><dd>1,380</dd>");
  }
}

static void
test_page_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_autofree char *forged = g_strdup (token);
  g_auto(Page) en = { 0, };
  g_auto(Page) zh_tw = { 0, };
  g_auto(Page) empty = { 0, };
  g_auto(Page) garbage = { 0, };

  forged[3] = forged[3] == 'x' ? 'y' : 'x';
  en = get_token_page (fixture, forged, "en");
  g_assert_cmpuint (en.status, ==, 403);
  assert_html_page (&en, "en");
  assert_contains (en.body, "This link is not valid.");
  assert_contains (en.body, "Open Member Center again from the chat to get a new link.");
  assert_lacks (en.body, "TEA-0042");
  assert_lacks (en.body, "data:image/png");

  zh_tw = get_token_page (fixture, forged, "zh-Hant");
  g_assert_cmpuint (zh_tw.status, ==, 403);
  assert_contains (zh_tw.body, "此連結無效。");

  empty = get_page (fixture, "GET", "/m/", "en");
  g_assert_cmpuint (empty.status, ==, 403);
  garbage = get_page (fixture, "GET", "/m/abc/def", "en");
  g_assert_cmpuint (garbage.status, ==, 403);
  assert_contains (garbage.body, "This link is not valid.");
}

static void
test_page_expired (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_auto(Page) fresh = { 0, };
  g_auto(Page) en = { 0, };
  g_auto(Page) zh_cn = { 0, };

  fixture->now = NOW + 29 * 60 + 59;
  fresh = get_token_page (fixture, token, "en");
  g_assert_cmpuint (fresh.status, ==, 200);

  fixture->now = NOW + 30 * 60 + 1;
  en = get_token_page (fixture, token, "en");
  g_assert_cmpuint (en.status, ==, 410);
  assert_html_page (&en, "en");
  assert_contains (en.body, "This link has expired. Open Member Center again from the chat.");
  assert_contains (en.body, "<h1>晨葉茶行</h1>");
  assert_lacks (en.body, "TEA-0042");

  zh_cn = get_token_page (fixture, token, "zh-Hans");
  g_assert_cmpuint (zh_cn.status, ==, 410);
  assert_contains (zh_cn.body, "此链接已过期，请从聊天中重新打开会员中心。");
}

static void
test_page_disabled (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *whatsapp = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_WHATSAPP);
  g_autofree char *wechat = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_WECHAT);
  g_auto(Page) card_off = { 0, };
  g_auto(Page) center_off = { 0, };
  g_auto(Page) zh_tw = { 0, };

  /* The WhatsApp card is disabled. */
  card_off = get_token_page (fixture, whatsapp, "en");
  g_assert_cmpuint (card_off.status, ==, 200);
  assert_html_page (&card_off, "en");
  assert_contains (card_off.body, "The member card is currently disabled");
  assert_lacks (card_off.body, "TEA-0042");
  assert_lacks (card_off.body, "data:image/png");

  /* The WeChat card is on, its member center off. */
  center_off = get_token_page (fixture, wechat, "en");
  g_assert_cmpuint (center_off.status, ==, 200);
  assert_contains (center_off.body, "The member card is currently disabled");

  zh_tw = get_token_page (fixture, whatsapp, "zh-TW");
  assert_contains (zh_tw.body, "會員卡目前已停用");
}

static void
test_page_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->without_number, RG_CARD_CHANNEL_LINE);
  g_autofree char *anyone = issue (fixture, 0, RG_CARD_CHANNEL_LINE);
  g_auto(Page) page = { 0, };
  g_auto(Page) stranger = { 0, };
  g_autofree char *escaped_url = g_markup_escape_text (REGISTER_URL, -1);
  g_autofree char *button = g_strdup_printf ("<a class=\"button\" href=\"%s\"", escaped_url);

  page = get_token_page (fixture, token, "zh-TW");
  g_assert_cmpuint (page.status, ==, 200);
  assert_html_page (&page, "zh-Hant-TW");
  assert_contains (page.body, NOT_FOUND);
  assert_contains (page.body, button);
  assert_contains (page.body, ">立即註冊</a>");
  assert_lacks (page.body, "No Number Yet");
  assert_lacks (page.body, "data:image/png");

  /* A link made for a non-member (the condition off when it was sent) shows the same. */
  stranger = get_token_page (fixture, anyone, "en");
  g_assert_cmpuint (stranger.status, ==, 200);
  assert_contains (stranger.body, NOT_FOUND);
  assert_contains (stranger.body, button);
}

static void
test_page_gone (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->to_delete, RG_CARD_CHANNEL_LINE);
  g_autoptr(GError) error = NULL;
  g_auto(Page) before = { 0, };
  g_auto(Page) after = { 0, };
  g_auto(Page) zh_tw = { 0, };

  before = get_token_page (fixture, token, "en");
  g_assert_cmpuint (before.status, ==, 200);
  assert_contains (before.body, "TEA-0099");

  g_assert_true (rg_member_store_delete (fixture->members, fixture->to_delete, &error));
  g_assert_no_error (error);
  after = get_token_page (fixture, token, "en");
  g_assert_cmpuint (after.status, ==, 404);
  assert_html_page (&after, "en");
  assert_contains (after.body, "We could not find this membership.");
  assert_lacks (after.body, "TEA-0099");
  assert_lacks (after.body, "To Be Deleted");

  zh_tw = get_token_page (fixture, token, "zh-TW");
  g_assert_cmpuint (zh_tw.status, ==, 404);
  assert_contains (zh_tw.body, "找不到此會員資料。");
}

static void
test_page_method (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_autofree char *path = g_strconcat ("/m/", token, NULL);
  g_auto(Page) post = { 0, };
  g_auto(Page) head = { 0, };

  post = get_page (fixture, "POST", path, NULL);
  g_assert_cmpuint (post.status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (post.headers, "Allow"), ==, "GET, HEAD");

  head = get_page (fixture, "HEAD", path, NULL);
  g_assert_cmpuint (head.status, ==, 200);
  g_assert_cmpstr (head.body, ==, "");
}

/* A customer who closes the page while the card is drawn: the paused request is answered
 * into the void, without harm. */
static void
test_page_client_gone (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_autofree char *request = g_strdup_printf ("GET /m/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Connection: close\r\n\r\n", token);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Page) after = { 0, };
  gpointer read = &read;
  GOutputStream *output;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                (guint16) rg_server_get_port (fixture->server),
                                                NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (output, request, strlen (request), NULL, NULL,
                                            &error));
  g_assert_no_error (error);

  /* Until the server has read the request and handed the page to the render thread. */
  g_signal_connect_swapped (fixture->server->soup, "request-read", G_CALLBACK (g_nullify_pointer),
                            &read);
  while (read != NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (fixture->server->soup, &read);
  g_assert_true (g_io_stream_close (G_IO_STREAM (connection), NULL, &error));
  g_assert_no_error (error);

  /* The render thread takes one page at a time: when this one is answered, the abandoned
   * one was finished first. */
  after = get_token_page (fixture, token, "en");
  g_assert_cmpuint (after.status, ==, 200);
}

/* The translator's catalog wins over the built-in texts. */
static void
test_page_catalog (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token = issue (fixture, fixture->with_number, RG_CARD_CHANNEL_LINE);
  g_autofree char *locale_dir = g_build_filename (fixture->dir, "locale", NULL);
  g_autofree char *messages = g_build_filename (locale_dir, "zh_TW", "LC_MESSAGES", NULL);
  g_autofree char *po = g_build_filename (fixture->dir, "zh_TW.po", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");
  g_autoptr(GError) error = NULL;
  g_auto(Page) page = { 0, };
  g_auto(Page) zh_cn = { 0, };
  int status = 0;
  const char *text =
    "msgid \"\"\n"
    "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n"
    "msgid \"Show this card at the counter.\"\n"
    "msgstr \"請向店員出示（譯者版本）\"\n"
    "\n"
    "msgid \"Member card\"\n"
    "msgstr \"\"\n";

  if (msgfmt == NULL)
    {
      g_test_skip ("msgfmt (gettext) is not installed");
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  g_assert_true (g_file_set_contents (po, text, -1, &error));
  {
    char *args[] = { msgfmt, (char *) "-o", mo, po, NULL };

    g_assert_true (g_spawn_sync (NULL, args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));

  rg_member_center_set_locale_dir (fixture->center, locale_dir);
  g_assert_cmpstr (rg_member_center_get_locale_dir (fixture->center), ==, locale_dir);

  page = get_token_page (fixture, token, "zh-TW");
  g_assert_cmpuint (page.status, ==, 200);
  assert_contains (page.body, "請向店員出示（譯者版本）");
  assert_lacks (page.body, "結帳時請出示此會員卡。");
  /* Untranslated in the catalog: the built-in text. */
  assert_contains (page.body, "alt=\"會員卡\"");
  /* No zh_CN catalog there: built-in. */
  zh_cn = get_token_page (fixture, token, "zh-CN");
  assert_contains (zh_cn.body, "结账时请出示此会员卡。");
}



static void
test_cli_link (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *err3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCardLink) link = NULL;
  g_auto(Page) page = { 0, };
  RgCardChannel channel;
  gint64 member_id = 0;
  const char *token;

  /* No public base URL: refused, saying how to set it. */
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, &err, "cards", "link",
                                    "--channel", "line", "--member", "TEA-0042", NULL), ==, 1);
  assert_contains (err, "regulars-cli channels set server public-base-url URL");
  g_assert_cmpstr (out, ==, "");

  g_assert_true (rg_channel_settings_set_public_base_url (fixture->settings, BASE_URL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out2, &err2, "cards", "link",
                                    "--channel", "line", "--member", "NOBODY", NULL), ==, 1);
  assert_contains (err2, "NOBODY");

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out3, &err3, "cards", "link",
                                    "--channel", "line", "--member", "TEA-0042", NULL), ==, 0);
  g_strchomp (out3);
  g_assert_true (g_str_has_prefix (out3, BASE_URL "/m/"));
  g_assert_null (strchr (out3, '\n'));

  /* The link verifies with the key the CLI used (made by it, kept in the keyring). */
  link = rg_card_link_new (fixture->settings);
  load_key (link, FALSE);
  token = out3 + strlen (BASE_URL "/m/");
  g_assert_true (rg_card_link_verify (link, token, &member_id, &channel, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (member_id, ==, fixture->with_number);
  g_assert_cmpint (channel, ==, RG_CARD_CHANNEL_LINE);

  /* And opens the page on the server (real clock). */
  rg_card_link_set_clock (fixture->link, NULL, NULL);
  page = get_token_page (fixture, token, "en");
  g_assert_cmpuint (page.status, ==, 200);
  assert_contains (page.body, "TEA-0042");
}

/* The service (what the GUI and `regulars-cli serve` run) answers /m/<token>. */
static void
test_service_route (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RgService) service = rg_service_new (fixture->store);
  g_autoptr(RgCardLink) link = rg_card_link_new (fixture->settings);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_auto(Page) page = { 0, };

  rg_service_start_async (service, "127.0.0.1", 0, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_service_start_finish (service, rg_fake_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (rg_service_get_running (service));

  /* A link made elsewhere (the real clock, the keyring's key) opens on the service. */
  load_key (link, FALSE);
  token = rg_card_link_issue_token (link, fixture->with_number, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_free (fixture->url);
  fixture->url = rg_server_dup_url (rg_service_get_server (service));
  page = get_token_page (fixture, token, "zh-TW");
  g_assert_cmpuint (page.status, ==, 200);
  assert_html_page (&page, "zh-Hant-TW");
  assert_contains (page.body, "<dt>會員編號</dt><dd>TEA-0042</dd>");

  rg_service_stop (service);
  g_assert_false (rg_service_get_running (service));
}

/* Last: it locks this program's keyring. */
static void
test_page_unavailable (Fixture       *fixture,
                       gconstpointer  data)
{
  RgTestKeyring *keyring = (RgTestKeyring *) data;
  g_auto(Page) page = { 0, };

  rg_test_keyring_lock (keyring);
  g_test_expect_message ("rg-member-center", G_LOG_LEVEL_WARNING,
                         "*cannot check links without the link key*locked*");
  page = get_token_page (fixture, "eyJ2IjoxfQ.AAAA", "zh-TW");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (page.status, ==, 503);
  assert_html_page (&page, "zh-Hant-TW");
  assert_contains (page.body, "會員中心暫時無法使用，請稍後再試。");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RgTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/member-center/language", test_language);

  keyring = rg_test_keyring_start (&error);
  if (keyring == NULL)
    {
      g_test_message ("Skipping the member-center tests: %s", error->message);
      return g_test_run ();
    }

#define ADD(name, func, data) \
  g_test_add ("/regulars/member-center/" name, Fixture, data, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("token/roundtrip", test_token_roundtrip, NULL);
  ADD ("token/keyring", test_token_keyring, NULL);
  ADD ("token/url", test_token_url, NULL);
  ADD ("page/card", test_page_card, NULL);
  ADD ("page/invalid", test_page_invalid, NULL);
  ADD ("page/expired", test_page_expired, NULL);
  ADD ("page/disabled", test_page_disabled, NULL);
  ADD ("page/not-found", test_page_not_found, NULL);
  ADD ("page/gone", test_page_gone, NULL);
  ADD ("page/method", test_page_method, NULL);
  ADD ("page/client-gone", test_page_client_gone, NULL);
  ADD ("page/catalog", test_page_catalog, NULL);
  ADD ("cli/link", test_cli_link, NULL);
  ADD ("service/route", test_service_route, NULL);
  /* Runs last (its own suite, added last): it locks the keyring. */
  ADD ("keyring/locked", test_page_unavailable, keyring);

#undef ADD

  return g_test_run ();
}
