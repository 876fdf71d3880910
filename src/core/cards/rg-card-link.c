/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-link"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-card-link.h"

/*
 * Member-center links (DESIGN §5): "<public base URL>/m/<token>" with
 *
 *   token   = base64url(payload) "." base64url(HMAC-SHA256(key, payload))
 *   payload = {"v":1,"m":<member id>,"c":"<channel>","e":<expiry, Unix seconds>}
 *
 * base64url without padding, so the token needs no escaping in a URL. "m" is 0 for a sender
 * who is not a member (a keyword answered while the design does not require a member
 * number): such a link opens the not-found page. The payload is signed, not encrypted: it
 * only says which member, which the link's owner knows anyway.
 *
 * The key is 32 random bytes from the kernel, kept base64-encoded in the keyring as
 * (member-center, link-key) and made on first use. Decoding is strict (the base64url
 * alphabet, canonical form), so one token has one spelling; the signature is compared in
 * constant time before the payload is parsed.
 */

#define PAYLOAD_VERSION 1

/* Far longer than any token we make; anything longer is refused before decoding. */
#define MAX_TOKEN_LENGTH 512

struct _RgCardLink
{
  GObject            parent_instance;

  RgChannelSettings *settings;
  RgCardLinkClock    clock;
  gpointer           clock_data;

  guint8             key[RG_CARD_LINK_KEY_SIZE];
  gboolean           has_key;
  /* Monotonic time the key was read or made, for rg_card_link_get_key_age(). */
  gint64             key_loaded_at;
};

G_DEFINE_FINAL_TYPE (RgCardLink, rg_card_link, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-card-link-error-quark, rg_card_link_error)

static void
wipe (gpointer data,
      gsize    size)
{
  volatile guint8 *p = data;

  for (gsize i = 0; i < size; i++)
    p[i] = 0;
}

static void
wipe_string (char *str)
{
  if (str != NULL)
    wipe (str, strlen (str));
  g_free (str);
}

static gboolean
constant_time_equal (const guint8 *a,
                     gsize         a_len,
                     const guint8 *b,
                     gsize         b_len)
{
  volatile guint8 diff = 0;

  /* The length of a signature is public; only the content must not leak through timing. */
  if (a_len != b_len)
    return FALSE;
  for (gsize i = 0; i < a_len; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

static char *
base64url_encode (const guint8 *data,
                  gsize         size)
{
  char *text = g_base64_encode (data, size);
  char *end;

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  if ((end = strchr (text, '=')) != NULL)
    *end = '\0';
  return text;
}

/* g_base64_decode() skips characters outside its alphabet; a token must not have any. */
static GBytes *
base64url_decode (const char *text,
                  gsize       length)
{
  g_autofree char *standard = NULL;
  g_autofree guint8 *data = NULL;
  g_autofree char *again = NULL;
  gsize size = 0;

  if (length == 0 || length % 4 == 1)
    return NULL;

  standard = g_malloc (length + 3);
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c))
        standard[i] = c;
      else if (c == '-')
        standard[i] = '+';
      else if (c == '_')
        standard[i] = '/';
      else
        return NULL;
    }
  memset (standard + length, '=', (4 - length % 4) % 4);
  standard[length + (4 - length % 4) % 4] = '\0';

  data = g_base64_decode (standard, &size);

  /* Unused low bits in the last character would give a second spelling of the same bytes. */
  again = base64url_encode (data, size);
  if (strlen (again) != length || memcmp (again, text, length) != 0)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&data), size);
}

static void
sign (RgCardLink   *self,
      const char   *payload,
      gsize         payload_len,
      guint8        digest[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->key, sizeof self->key);
  gsize digest_len = 32;

  g_hmac_update (hmac, (const guchar *) payload, payload_len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == 32);
}

static gint64
default_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
rg_card_link_finalize (GObject *object)
{
  RgCardLink *self = (RgCardLink *)object;

  wipe (self->key, sizeof self->key);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rg_card_link_parent_class)->finalize (object);
}

static void
rg_card_link_class_init (RgCardLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_card_link_finalize;
}

static void
rg_card_link_init (RgCardLink *self)
{
  self->clock = default_clock;
}

/**
 * rg_card_link_new:
 * @settings: where the public base URL is read and whose keyring holds the key
 */
RgCardLink *
rg_card_link_new (RgChannelSettings *settings)
{
  RgCardLink *self;

  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (settings), NULL);

  self = g_object_new (RG_TYPE_CARD_LINK, NULL);
  self->settings = g_object_ref (settings);
  return self;
}

/**
 * rg_card_link_set_clock:
 * @clock: (nullable): the clock for issuing and checking expiry; %NULL for the real time
 *
 * Tests inject a clock so that "29:59 later" needs no waiting.
 */
void
rg_card_link_set_clock (RgCardLink      *self,
                        RgCardLinkClock  clock,
                        gpointer         user_data)
{
  g_return_if_fail (RG_IS_CARD_LINK (self));

  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

/**
 * rg_card_link_get_now:
 *
 * Returns: the time of the link's clock, in Unix seconds
 */
gint64
rg_card_link_get_now (RgCardLink *self)
{
  g_return_val_if_fail (RG_IS_CARD_LINK (self), 0);

  return self->clock (self->clock_data);
}

/**
 * rg_card_link_has_key:
 *
 * Returns: whether tokens can be issued and checked without the keyring
 */
gboolean
rg_card_link_has_key (RgCardLink *self)
{
  g_return_val_if_fail (RG_IS_CARD_LINK (self), FALSE);

  return self->has_key;
}

/**
 * rg_card_link_get_key_age:
 *
 * Returns: microseconds since the key was read from the keyring, or -1 without a key
 */
gint64
rg_card_link_get_key_age (RgCardLink *self)
{
  g_return_val_if_fail (RG_IS_CARD_LINK (self), -1);

  if (!self->has_key)
    return -1;
  return g_get_monotonic_time () - self->key_loaded_at;
}

/**
 * rg_card_link_set_key:
 * @key: (array length=key_size): %RG_CARD_LINK_KEY_SIZE bytes
 *
 * Uses @key without asking the keyring (and without storing it there).
 */
void
rg_card_link_set_key (RgCardLink   *self,
                      const guint8 *key,
                      gsize         key_size)
{
  g_return_if_fail (RG_IS_CARD_LINK (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (key_size == RG_CARD_LINK_KEY_SIZE);

  memcpy (self->key, key, RG_CARD_LINK_KEY_SIZE);
  self->has_key = TRUE;
  self->key_loaded_at = g_get_monotonic_time ();
}

static gboolean
random_key (guint8   key[RG_CARD_LINK_KEY_SIZE],
            GError **error)
{
  gsize filled = 0;

  while (filled < RG_CARD_LINK_KEY_SIZE)
    {
      ssize_t n = getrandom (key + filled, RG_CARD_LINK_KEY_SIZE - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not read random bytes for the member-center link key: %s"),
                       g_strerror (errsv));
          return FALSE;
        }
      filled += n;
    }
  return TRUE;
}

typedef struct
{
  guint8 key[RG_CARD_LINK_KEY_SIZE];
  char  *encoded;
} NewKey;

static void
new_key_free (NewKey *new_key)
{
  wipe (new_key->key, sizeof new_key->key);
  wipe_string (new_key->encoded);
  g_free (new_key);
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardLink *self = g_task_get_source_object (task);
  NewKey *new_key = g_task_get_task_data (task);
  GError *error = NULL;

  if (!rg_secrets_store_finish (RG_SECRETS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rg_card_link_set_key (self, new_key->key, sizeof new_key->key);
  g_task_return_boolean (task, TRUE);
}

static void
store_new_key (GTask *task)
{
  RgCardLink *self = g_task_get_source_object (task);
  NewKey *new_key = g_new0 (NewKey, 1);
  GError *error = NULL;

  if (!random_key (new_key->key, &error))
    {
      new_key_free (new_key);
      g_task_return_error (task, error);
      return;
    }
  new_key->encoded = g_base64_encode (new_key->key, sizeof new_key->key);
  g_task_set_task_data (task, new_key, (GDestroyNotify) new_key_free);

  rg_secrets_store_async (rg_channel_settings_get_secrets (self->settings),
                          RG_CARD_LINK_SECRET_CHANNEL, RG_CARD_LINK_SECRET_FIELD,
                          _("Regulars: member-center link key"), new_key->encoded,
                          g_task_get_cancellable (task), key_stored_cb, g_object_ref (task));
}

static void
key_looked_up_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardLink *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *encoded;
  guchar *decoded;
  gsize size = 0;

  encoded = rg_secrets_lookup_finish (RG_SECRETS (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A missing item looks up as NULL without an error: first use. */
  if (encoded == NULL)
    {
      store_new_key (task);
      return;
    }

  decoded = g_base64_decode (encoded, &size);
  wipe_string (encoded);
  if (size != RG_CARD_LINK_KEY_SIZE)
    {
      /* Links signed with a damaged key could not be checked anyway. */
      g_warning ("The member-center link key in the keyring has %" G_GSIZE_FORMAT " bytes "
                 "instead of %d; replacing it, so earlier links stop working",
                 size, RG_CARD_LINK_KEY_SIZE);
      wipe (decoded, size);
      g_free (decoded);
      store_new_key (task);
      return;
    }

  rg_card_link_set_key (self, decoded, size);
  wipe (decoded, size);
  g_free (decoded);
  g_task_return_boolean (task, TRUE);
}

/**
 * rg_card_link_load_key_async:
 * @reload: read the keyring again even when a key is loaded (another process may have made
 *   the key after this one read it)
 *
 * Reads the signing key from the keyring, making and storing a new one on first use. Fails
 * with %RG_SECRETS_ERROR when the keyring is missing or locked.
 */
void
rg_card_link_load_key_async (RgCardLink          *self,
                             gboolean             reload,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RG_IS_CARD_LINK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_link_load_key_async);

  if (self->has_key && !reload)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  rg_secrets_lookup_async (rg_channel_settings_get_secrets (self->settings),
                           RG_CARD_LINK_SECRET_CHANNEL, RG_CARD_LINK_SECRET_FIELD,
                           cancellable, key_looked_up_cb, g_steal_pointer (&task));
}

gboolean
rg_card_link_load_key_finish (RgCardLink    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_LINK (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_key (RgCardLink  *self,
           GError     **error)
{
  if (self->has_key)
    return TRUE;

  g_set_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_NO_KEY,
               _("The member-center link key has not been read from the keyring yet"));
  return FALSE;
}

/**
 * rg_card_link_issue_token:
 * @member_id: the member, or 0 for a sender who is not a member
 * @channel: the channel whose card design the page shows
 *
 * Makes a token that opens the member center for %RG_CARD_LINK_LIFETIME_SECONDS from now
 * (the link's clock). The key must be loaded.
 *
 * Returns: (transfer full): the token, or %NULL with %RG_CARD_LINK_ERROR_NO_KEY
 */
char *
rg_card_link_issue_token (RgCardLink     *self,
                          gint64          member_id,
                          RgCardChannel   channel,
                          GError        **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *encoded_payload = NULL;
  g_autofree char *encoded_signature = NULL;
  guint8 digest[32];

  g_return_val_if_fail (RG_IS_CARD_LINK (self), NULL);
  g_return_val_if_fail (member_id >= 0, NULL);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  if (!check_key (self, error))
    return NULL;

  payload = g_strdup_printf ("{\"v\":%d,\"m\":%" G_GINT64_FORMAT ",\"c\":\"%s\",\"e\":%"
                             G_GINT64_FORMAT "}",
                             PAYLOAD_VERSION, member_id, rg_card_channel_to_string (channel),
                             rg_card_link_get_now (self) + RG_CARD_LINK_LIFETIME_SECONDS);
  sign (self, payload, strlen (payload), digest);

  encoded_payload = base64url_encode ((const guint8 *) payload, strlen (payload));
  encoded_signature = base64url_encode (digest, sizeof digest);
  return g_strconcat (encoded_payload, ".", encoded_signature, NULL);
}

static gboolean
set_malformed (GError     **error,
               const char  *reason)
{
  g_set_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_MALFORMED,
               /* Translators: %s says what is wrong, e.g. “it has no signature” */
               _("The member-center link is not valid: %s"), reason);
  return FALSE;
}

static gboolean
parse_payload (GBytes         *payload,
               gint64         *member_id,
               RgCardChannel  *channel,
               gint64         *expires_at,
               GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *node;
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);
  const char *name;

  if (!json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return set_malformed (error, _("its payload is not a JSON object"));
  object = json_node_get_object (json_parser_get_root (parser));

  if (!(node = json_object_get_member (object, "v")) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != PAYLOAD_VERSION)
    return set_malformed (error, _("its payload has an unknown version"));

  if (!(node = json_object_get_member (object, "m")) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return set_malformed (error, _("its payload has no member"));
  *member_id = json_node_get_int (node);

  if (!(node = json_object_get_member (object, "c")) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !(name = json_node_get_string (node)) ||
      !rg_card_channel_from_string (name, channel))
    return set_malformed (error, _("its payload has no card channel"));

  if (!(node = json_object_get_member (object, "e")) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return set_malformed (error, _("its payload has no expiry time"));
  *expires_at = json_node_get_int (node);

  return TRUE;
}

/**
 * rg_card_link_verify:
 * @token: the last path segment of a member-center URL
 * @member_id: (out) (optional): the member, 0 for a link made for a non-member
 * @channel: (out) (optional): the channel whose design to show
 * @expires_at: (out) (optional): when the link expires(d), in Unix seconds
 *
 * Checks the signature (in constant time) before reading the payload, then the expiry
 * against the link's clock: a link is good for 30 minutes, up to but not including
 * issue time + %RG_CARD_LINK_LIFETIME_SECONDS. On %RG_CARD_LINK_ERROR_EXPIRED the out
 * values are set too, so that a page can still say which card it was.
 *
 * Returns: %TRUE for a genuine, current link; else %FALSE with %RG_CARD_LINK_ERROR_MALFORMED,
 *   _TAMPERED, _EXPIRED or _NO_KEY
 */
gboolean
rg_card_link_verify (RgCardLink     *self,
                     const char     *token,
                     gint64         *member_id,
                     RgCardChannel  *channel,
                     gint64         *expires_at,
                     GError        **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) signature = NULL;
  const char *dot;
  gsize length;
  guint8 expected[32];
  gsize signature_size;
  const guint8 *signature_data;
  gint64 member = 0;
  RgCardChannel card_channel = RG_CARD_CHANNEL_LINE;
  gint64 expiry = 0;
  gboolean genuine;

  g_return_val_if_fail (RG_IS_CARD_LINK (self), FALSE);

  if (!check_key (self, error))
    return FALSE;

  if (token == NULL || token[0] == '\0')
    return set_malformed (error, _("it is empty"));
  length = strlen (token);
  if (length > MAX_TOKEN_LENGTH)
    return set_malformed (error, _("it is too long"));
  if (!(dot = strchr (token, '.')) || strchr (dot + 1, '.') != NULL)
    return set_malformed (error, _("it is not two parts separated by a dot"));

  payload = base64url_decode (token, dot - token);
  signature = base64url_decode (dot + 1, length - (dot + 1 - token));
  if (payload == NULL || signature == NULL)
    return set_malformed (error, _("it is not in base64url"));

  sign (self, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), expected);
  signature_data = g_bytes_get_data (signature, &signature_size);
  genuine = constant_time_equal (expected, sizeof expected, signature_data, signature_size);
  wipe (expected, sizeof expected);
  if (!genuine)
    {
      g_set_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_TAMPERED,
                   _("The member-center link was changed or signed with another key"));
      return FALSE;
    }

  if (!parse_payload (payload, &member, &card_channel, &expiry, error))
    return FALSE;

  if (member_id != NULL)
    *member_id = member;
  if (channel != NULL)
    *channel = card_channel;
  if (expires_at != NULL)
    *expires_at = expiry;

  if (rg_card_link_get_now (self) >= expiry)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (expiry);
      g_autofree char *shown = when != NULL ? g_date_time_format (when, "%F %T") : NULL;

      g_set_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_EXPIRED,
                   _("The member-center link expired at %s"),
                   shown != NULL ? shown : "?");
      return FALSE;
    }

  return TRUE;
}

/**
 * rg_card_link_build_url:
 *
 * Returns: (transfer full): "<public base URL>/m/<token>", or %NULL with
 *   %RG_CARD_LINK_ERROR_NO_BASE_URL when no public base URL is set
 */
char *
rg_card_link_build_url (RgCardLink  *self,
                        const char  *token,
                        GError     **error)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (RG_IS_CARD_LINK (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  base = rg_channel_settings_dup_public_base_url (self->settings);
  if (base == NULL || base[0] == '\0')
    {
      g_set_error (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_NO_BASE_URL,
                   _("No public base URL is set, so customers could not open a member-center "
                     "link. Set the address under which your proxy or tunnel reaches "
                     "Regulars with “regulars-cli channels set server public-base-url URL” "
                     "or in Preferences."));
      return NULL;
    }

  /* The setting is stored without a trailing slash. */
  return g_strconcat (base, RG_CARD_LINK_PATH_PREFIX, token, NULL);
}

typedef struct
{
  gint64        member_id;
  RgCardChannel channel;
} IssueData;

static void
issue_key_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardLink *self = RG_CARD_LINK (object);
  IssueData *data = g_task_get_task_data (task);
  g_autofree char *token = NULL;
  GError *error = NULL;
  char *url;

  if (!rg_card_link_load_key_finish (self, result, &error) ||
      !(token = rg_card_link_issue_token (self, data->member_id, data->channel, &error)) ||
      !(url = rg_card_link_build_url (self, token, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, url, g_free);
}

/**
 * rg_card_link_issue_async:
 * @member_id: the member, or 0 for a sender who is not a member
 * @channel: the channel whose card the page shows
 *
 * Reads (or makes) the key when needed and makes a fresh link on the public base URL.
 */
void
rg_card_link_issue_async (RgCardLink          *self,
                          gint64               member_id,
                          RgCardChannel        channel,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IssueData *data;

  g_return_if_fail (RG_IS_CARD_LINK (self));
  g_return_if_fail (member_id >= 0);
  g_return_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_link_issue_async);
  data = g_new0 (IssueData, 1);
  data->member_id = member_id;
  data->channel = channel;
  g_task_set_task_data (task, data, g_free);

  rg_card_link_load_key_async (self, FALSE, cancellable, issue_key_loaded_cb,
                               g_steal_pointer (&task));
}

/**
 * rg_card_link_issue_finish:
 *
 * Returns: (transfer full): the URL, or %NULL with @error set (%RG_CARD_LINK_ERROR_NO_BASE_URL,
 *   a keyring error)
 */
char *
rg_card_link_issue_finish (RgCardLink    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_LINK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
