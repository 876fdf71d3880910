/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-center"

#include "config.h"

#include <libintl.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rg-member-center-private.h"

/*
 * The member center (DESIGN §5, §7): `GET /m/<token>` on the built-in server shows a member
 * their card for the channel the link was made for. Each request verifies the token and
 * reads the design and the member afresh, so an edit in the designer or a balance change
 * shows at the next reload. The database is read on the main thread (one connection); the
 * card is drawn and the page built on the render thread, with the request paused meanwhile.
 *
 * Answers: genuine link → the card (200); condition on and no member number, or a link made
 * for a non-member → the not-found message with the register button (200); card or member
 * center switched off → "disabled" (200); tampered or malformed → 403; expired → 410 (see
 * _rg_member_center_page_status()); member deleted → 404; keyring unreadable → 503.
 */

/* A token that fails with a key older than this makes us read the keyring again once: the
 * key may have been made by another process (`regulars-cli cards link`) after we read it. */
#define KEY_RELOAD_AFTER_USEC ((gint64) 60 * G_USEC_PER_SEC)

struct _RgMemberCenter
{
  GObject                 parent_instance;

  RgStore                *store;
  RgChannelSettings      *settings;
  RgCardLink             *link;
  RgCardStore            *cards;
  RgMemberStore          *members;
  char                   *locale_dir;
  RgMemberCenterCatalogs *catalogs;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_LOCALE_DIR,
  N_PROPS
};

typedef struct
{
  RgMemberCenter         *self;
  SoupServerMessage      *msg;
  char                   *token;
  RgMemberCenterLanguage  language;
  gboolean                reloaded;
} Request;

typedef struct
{
  RgMemberCenterCatalogs *catalogs;
  RgMemberCenterLanguage  language;
  RgMemberCenterPage      page;
  RgCardDesign           *design;
  RgCardData             *data;
} Job;

G_DEFINE_FINAL_TYPE (RgMemberCenter, rg_member_center, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->msg);
  g_free (request->token);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
job_free (Job *job)
{
  g_clear_pointer (&job->catalogs, _rg_member_center_catalogs_unref);
  g_clear_object (&job->design);
  g_clear_object (&job->data);
  g_free (job);
}

static void
language_tag_normalize (char *tag)
{
  for (char *p = tag; *p != '\0'; p++)
    *p = *p == '_' ? '-' : g_ascii_tolower (*p);
}

/* -1 when we do not speak it. */
static int
language_for_tag (const char *tag)
{
  if (g_str_equal (tag, "*") || g_str_equal (tag, "en") || g_str_has_prefix (tag, "en-"))
    return RG_MEMBER_CENTER_LANGUAGE_EN;

  if (g_str_equal (tag, "zh-tw") || g_str_equal (tag, "zh-hk") || g_str_equal (tag, "zh-mo") ||
      g_str_equal (tag, "zh-hant") || g_str_has_prefix (tag, "zh-hant-") ||
      g_str_has_prefix (tag, "zh-tw-"))
    return RG_MEMBER_CENTER_LANGUAGE_ZH_TW;

  /* zh-CN, zh-SG, zh-Hans, and plain "zh", which browsers send for Simplified. */
  if (g_str_equal (tag, "zh") || g_str_has_prefix (tag, "zh-"))
    return RG_MEMBER_CENTER_LANGUAGE_ZH_CN;

  return -1;
}

/**
 * rg_member_center_negotiate_language:
 * @accept_language: (nullable): the request's Accept-Language header
 *
 * Picks the language with the highest q that the pages speak: zh-TW, zh-Hant (and zh-HK,
 * zh-MO, which read Traditional) → zh_TW; zh-CN, zh-Hans, zh-SG and plain zh → zh_CN; en
 * and "*" → en. Ties go to the earlier entry; q=0 excludes. Anything else, or nothing, is en.
 */
RgMemberCenterLanguage
rg_member_center_negotiate_language (const char *accept_language)
{
  g_auto(GStrv) items = NULL;
  RgMemberCenterLanguage best = RG_MEMBER_CENTER_LANGUAGE_EN;
  double best_q = -1;

  if (accept_language == NULL)
    return RG_MEMBER_CENTER_LANGUAGE_EN;

  items = g_strsplit (accept_language, ",", 32);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ";", 8);
      double q = 1.0;
      gboolean valid = TRUE;
      int language;

      g_strstrip (parts[0]);
      if (parts[0][0] == '\0')
        continue;
      language_tag_normalize (parts[0]);

      for (guint j = 1; parts[j] != NULL; j++)
        {
          const char *param = g_strstrip (parts[j]);
          char *end = NULL;

          if (g_ascii_strncasecmp (param, "q=", 2) != 0)
            continue;
          q = g_ascii_strtod (param + 2, &end);
          if (end == param + 2 || *end != '\0' || q < 0 || q > 1)
            valid = FALSE;
        }

      if (!valid || q <= 0 || (language = language_for_tag (parts[0])) < 0)
        continue;
      if (q > best_q)
        {
          best = (RgMemberCenterLanguage) language;
          best_q = q;
        }
    }
  return best;
}

/**
 * rg_member_center_language_to_string:
 *
 * Returns: the catalog name: "en", "zh_TW" or "zh_CN"
 */
const char *
rg_member_center_language_to_string (RgMemberCenterLanguage language)
{
  switch (language)
    {
    case RG_MEMBER_CENTER_LANGUAGE_ZH_TW:
      return "zh_TW";
    case RG_MEMBER_CENTER_LANGUAGE_ZH_CN:
      return "zh_CN";
    case RG_MEMBER_CENTER_LANGUAGE_EN:
    default:
      return "en";
    }
}

/**
 * rg_member_center_language_to_tag:
 *
 * Returns: the BCP 47 tag for `<html lang>` and Content-Language
 */
const char *
rg_member_center_language_to_tag (RgMemberCenterLanguage language)
{
  switch (language)
    {
    case RG_MEMBER_CENTER_LANGUAGE_ZH_TW:
      return "zh-Hant-TW";
    case RG_MEMBER_CENTER_LANGUAGE_ZH_CN:
      return "zh-Hans-CN";
    case RG_MEMBER_CENTER_LANGUAGE_EN:
    default:
      return "en";
    }
}

static void
finish (Request    *request,
        guint       status,
        const char *html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  /* The page is personal, and its URL is a credential for 30 minutes. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Robots-Tag", "noindex, nofollow");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "Content-Language",
                                rg_member_center_language_to_tag (request->language));
  soup_message_headers_replace (headers, "Vary", "Accept-Language");

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    html, strlen (html));
  soup_server_message_unpause (request->msg);
}

static void
page_built_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *html = g_task_propagate_pointer (G_TASK (result), NULL);

  finish (request, _rg_member_center_page_status (job->page), html);
}

static void
render_job (gpointer data,
            gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Job *job = g_task_get_task_data (task);

  g_task_return_pointer (task,
                         _rg_member_center_build_page (job->catalogs, job->language, job->page,
                                                       job->design, job->data),
                         g_free);
}

/* One render thread for the process, alive as long as it: drawing a card and writing its
 * PNG at scale 2 takes about 30 ms, too long for the main loop, and a thread of its own
 * keeps one Pango font map instead of a new one (and fontconfig's caches) in every pool
 * thread that comes and goes. Pages are drawn one at a time, about 30 a second. */
static GThreadPool *
get_render_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      g_autoptr(GError) error = NULL;
      GThreadPool *created = g_thread_pool_new (render_job, NULL, 1, TRUE, &error);

      if (created == NULL)
        g_error ("Could not start the member-center render thread: %s", error->message);
      g_once_init_leave (&pool, created);
    }
  return pool;
}

/* Takes @request. The card page is drawn in a worker thread; the others are short. */
static void
respond (Request            *request,
         RgMemberCenterPage  page,
         RgCardDesign       *design,
         RgCardData         *data)
{
  RgMemberCenter *self = request->self;

  if (page == RG_MEMBER_CENTER_PAGE_CARD)
    {
      /* No source object: the task may be freed on the render thread. */
      g_autoptr(GTask) task = g_task_new (NULL, NULL, page_built_cb, request);
      Job *job = g_new0 (Job, 1);

      job->catalogs = _rg_member_center_catalogs_ref (self->catalogs);
      job->language = request->language;
      job->page = page;
      job->design = g_object_ref (design);
      job->data = g_object_ref (data);
      g_task_set_source_tag (task, respond);
      g_task_set_task_data (task, job, (GDestroyNotify) job_free);
      g_thread_pool_push (get_render_pool (), g_steal_pointer (&task), NULL);
    }
  else
    {
      g_autoptr(Request) owned = request;
      g_autofree char *html = _rg_member_center_build_page (self->catalogs, request->language,
                                                            page, design, data);

      finish (owned, _rg_member_center_page_status (page), html);
    }
}

static void
respond_for_member (Request       *request,
                    gint64         member_id,
                    RgCardChannel  channel)
{
  RgMemberCenter *self = request->self;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GListModel) attributes = NULL;
  g_autoptr(RgCardData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;

  if (!(design = rg_card_store_load (self->cards, channel, &error)))
    {
      g_warning ("Member Center: could not read the %s card design: %s",
                 rg_card_channel_to_string (channel), error->message);
      respond (request, RG_MEMBER_CENTER_PAGE_UNAVAILABLE, NULL, NULL);
      return;
    }

  if (!rg_card_design_get_enabled (design) || !rg_card_design_get_member_center_enabled (design))
    {
      respond (request, RG_MEMBER_CENTER_PAGE_DISABLED, design, NULL);
      return;
    }

  if (member_id == 0)
    {
      respond (request, RG_MEMBER_CENTER_PAGE_NOT_FOUND, design, NULL);
      return;
    }

  if (!(member = rg_member_store_get (self->members, member_id, &error)))
    {
      if (g_error_matches (error, RG_MEMBER_ERROR, RG_MEMBER_ERROR_NOT_FOUND))
        respond (request, RG_MEMBER_CENTER_PAGE_GONE, design, NULL);
      else
        {
          g_warning ("Member Center: could not read member %" G_GINT64_FORMAT ": %s",
                     member_id, error->message);
          respond (request, RG_MEMBER_CENTER_PAGE_UNAVAILABLE, design, NULL);
        }
      return;
    }

  if (rg_card_design_get_require_member_number (design) &&
      (rg_member_get_member_number (member) == NULL ||
       rg_member_get_member_number (member)[0] == '\0'))
    {
      respond (request, RG_MEMBER_CENTER_PAGE_NOT_FOUND, design, NULL);
      return;
    }

  /* Without the definitions yes/no attributes read "yes"/"no"; the card still shows. */
  if (!(attributes = rg_member_store_list_attributes (self->members, &error)))
    {
      g_warning ("Member Center: attribute definitions unavailable: %s", error->message);
      g_clear_error (&error);
    }
  currency = rg_card_store_dup_currency (self->cards);
  data = rg_card_data_new_for_member (member, attributes, currency);
  respond (request, RG_MEMBER_CENTER_PAGE_CARD, design, data);
}

static void request_check (Request *request);

static void
key_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!rg_card_link_load_key_finish (RG_CARD_LINK (object), result, &error))
    {
      g_warning ("Member Center: cannot check links without the link key: %s", error->message);
      respond (request, RG_MEMBER_CENTER_PAGE_UNAVAILABLE, NULL, NULL);
      return;
    }

  request_check (request);
}

static void
request_check (Request *request)
{
  RgMemberCenter *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  RgCardChannel channel = RG_CARD_CHANNEL_LINE;
  gint64 member_id = 0;

  if (rg_card_link_verify (self->link, request->token, &member_id, &channel, NULL, &error))
    {
      respond_for_member (request, member_id, channel);
      return;
    }

  if (g_error_matches (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_TAMPERED) &&
      !request->reloaded && rg_card_link_get_key_age (self->link) > KEY_RELOAD_AFTER_USEC)
    {
      request->reloaded = TRUE;
      rg_card_link_load_key_async (self->link, TRUE, NULL, key_loaded_cb, request);
      return;
    }

  g_debug ("Member Center: refusing a link: %s", error->message);

  if (g_error_matches (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_EXPIRED))
    {
      /* Genuine but old: the page may still wear the card's title and colour. */
      design = rg_card_store_load (self->cards, channel, NULL);
      respond (request, RG_MEMBER_CENTER_PAGE_EXPIRED, design, NULL);
    }
  else if (g_error_matches (error, RG_CARD_LINK_ERROR, RG_CARD_LINK_ERROR_NO_KEY))
    respond (request, RG_MEMBER_CENTER_PAGE_UNAVAILABLE, NULL, NULL);
  else
    respond (request, RG_MEMBER_CENTER_PAGE_INVALID, NULL, NULL);
}

static void
handle_cb (RgServer          *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  RgMemberCenter *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Request *request;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      rg_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
                               "%s is not allowed here; use GET", method);
      return;
    }

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->token = g_strdup (path + strlen (RG_CARD_LINK_PATH_PREFIX));
  request->language = rg_member_center_negotiate_language (
    soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                   "Accept-Language"));

  soup_server_message_pause (msg);

  if (rg_card_link_has_key (self->link))
    request_check (request);
  else
    rg_card_link_load_key_async (self->link, FALSE, NULL, key_loaded_cb, request);
}

static void
rg_member_center_constructed (GObject *object)
{
  RgMemberCenter *self = (RgMemberCenter *)object;

  G_OBJECT_CLASS (rg_member_center_parent_class)->constructed (object);

  self->link = rg_card_link_new (self->settings);
  self->cards = rg_card_store_new (self->store);
  self->members = rg_member_store_new (self->store);

  if (self->catalogs == NULL)
    {
      /* Wherever the program bound its catalogs (LOCALEDIR for the installed binaries). */
      self->locale_dir = g_strdup (bindtextdomain (GETTEXT_PACKAGE, NULL));
      self->catalogs = _rg_member_center_catalogs_new (self->locale_dir);
    }
}

static void
rg_member_center_finalize (GObject *object)
{
  RgMemberCenter *self = (RgMemberCenter *)object;

  g_clear_object (&self->link);
  g_clear_object (&self->cards);
  g_clear_object (&self->members);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->catalogs, _rg_member_center_catalogs_unref);
  g_clear_pointer (&self->locale_dir, g_free);

  G_OBJECT_CLASS (rg_member_center_parent_class)->finalize (object);
}

static void
rg_member_center_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RgMemberCenter *self = RG_MEMBER_CENTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_LOCALE_DIR:
      g_value_set_string (value, self->locale_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_center_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RgMemberCenter *self = RG_MEMBER_CENTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_LOCALE_DIR:
      rg_member_center_set_locale_dir (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_center_class_init (RgMemberCenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rg_member_center_constructed;
  object_class->finalize = rg_member_center_finalize;
  object_class->get_property = rg_member_center_get_property;
  object_class->set_property = rg_member_center_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RG_TYPE_CHANNEL_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberCenter:locale-dir:
   *
   * Where the compiled catalogs are read for the pages' languages; by default where the
   * program bound its gettext domain.
   */
  properties[PROP_LOCALE_DIR] =
    g_param_spec_string ("locale-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_center_init (RgMemberCenter *self)
{
}

RgMemberCenter *
rg_member_center_new (RgStore           *store,
                      RgChannelSettings *settings)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (settings), NULL);

  return g_object_new (RG_TYPE_MEMBER_CENTER,
                       "store", store,
                       "settings", settings,
                       NULL);
}

RgStore *
rg_member_center_get_store (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->store;
}

RgChannelSettings *
rg_member_center_get_settings (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->settings;
}

/**
 * rg_member_center_get_link:
 *
 * Returns: (transfer none): the links this member center accepts; issue new ones with it
 */
RgCardLink *
rg_member_center_get_link (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->link;
}

RgCardStore *
rg_member_center_get_card_store (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->cards;
}

RgMemberStore *
rg_member_center_get_member_store (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->members;
}

const char *
rg_member_center_get_locale_dir (RgMemberCenter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (self), NULL);

  return self->locale_dir;
}

/**
 * rg_member_center_set_locale_dir:
 * @locale_dir: (nullable): the folder with <lang>/LC_MESSAGES/regulars.mo, or %NULL for the
 *   pages' built-in texts only
 */
void
rg_member_center_set_locale_dir (RgMemberCenter *self,
                                 const char     *locale_dir)
{
  g_return_if_fail (RG_IS_MEMBER_CENTER (self));

  if (self->catalogs != NULL && g_strcmp0 (self->locale_dir, locale_dir) == 0)
    return;

  g_free (self->locale_dir);
  self->locale_dir = g_strdup (locale_dir);
  /* Pages being built keep the catalogs they started with. */
  g_clear_pointer (&self->catalogs, _rg_member_center_catalogs_unref);
  self->catalogs = _rg_member_center_catalogs_new (locale_dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCALE_DIR]);
}

/**
 * rg_member_center_attach:
 * @server: the server to answer `GET /m/<token>` on
 *
 * Adds the member-center route; the server keeps @self alive.
 */
void
rg_member_center_attach (RgMemberCenter *self,
                         RgServer       *server)
{
  g_return_if_fail (RG_IS_MEMBER_CENTER (self));
  g_return_if_fail (RG_IS_SERVER (server));

  rg_server_add_handler (server, RG_CARD_LINK_PATH_PREFIX, handle_cb,
                         g_object_ref (self), g_object_unref);
}
