/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-responder"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-card-responder.h"
#include "rg-line-client.h"
#include "rg-line-message.h"
#include "rg-store-private.h"
#include "rg-whatsapp-client.h"

/*
 * Answers customers who ask for their card from a chat (DESIGN §5): a LINE text message
 * that is one of the channel's keywords (trimmed, exact; default "會員中心") gets a reply
 * (reply API, free of charge) with a Flex bubble whose "Open Member Center" button carries
 * a fresh 30-minute link; a WhatsApp quick-reply tap with the payload "member_center" gets a
 * text with the link. Only when the channel's card and its member center are on.
 *
 * Who gets a link: a sender whose LINE userId / wa_id belongs to a member. When the design
 * does not require a member number, anyone does: a non-member's link opens the not-found
 * page. When it does, a non-member gets the design's not-found message and register link
 * instead of a member-center link. LINE messages in groups and rooms are ignored: a personal
 * link must not be posted where others can open it.
 *
 * The keyword lists live in card_keywords, one JSON array per channel; a channel without a
 * row uses the default, an empty array answers no keyword.
 */

struct _RgCardResponder
{
  GObject         parent_instance;

  RgMemberCenter *center;
  guint           busy;
};

enum {
  PROP_0,
  PROP_MEMBER_CENTER,
  PROP_BUSY,
  N_PROPS
};

enum {
  RESPONDED,
  N_SIGNALS
};

typedef struct
{
  RgCardResponder *self;
  RgCardChannel    channel;
  char            *sender;
  char            *reply_token;
  RgCardDesign    *design;
  RgCardResponse   response;
  gint64           member_id;
  char            *url;
} Job;

G_DEFINE_ENUM_TYPE (RgCardResponse, rg_card_response,
  G_DEFINE_ENUM_VALUE (RG_CARD_RESPONSE_LINK, "link"),
  G_DEFINE_ENUM_VALUE (RG_CARD_RESPONSE_NOT_FOUND, "not-found"),
  G_DEFINE_ENUM_VALUE (RG_CARD_RESPONSE_DISABLED, "disabled"),
  G_DEFINE_ENUM_VALUE (RG_CARD_RESPONSE_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (RgCardResponder, rg_card_responder, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-card-responder-error-quark, rg_card_responder_error)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
job_free (Job *job)
{
  g_clear_object (&job->self);
  g_free (job->sender);
  g_free (job->reply_token);
  g_clear_object (&job->design);
  g_free (job->url);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
set_busy (RgCardResponder *self,
          guint            busy)
{
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* Takes @job. */
static void
job_done (Job          *job,
          const GError *error)
{
  g_autoptr(Job) owned = job;
  RgCardResponder *self = job->self;
  RgCardResponse response = error != NULL ? RG_CARD_RESPONSE_FAILED : job->response;

  if (error != NULL)
    g_warning ("Could not answer %s user %s with their member card: %s",
               rg_card_channel_get_display_name (job->channel), job->sender, error->message);
  else
    g_debug ("Answered %s user %s: %s", rg_card_channel_to_string (job->channel), job->sender,
             response == RG_CARD_RESPONSE_LINK ? "member-center link"
             : response == RG_CARD_RESPONSE_NOT_FOUND ? "not-found message" : "nothing");

  g_signal_emit (self, signals[RESPONDED], 0, job->channel, job->sender, response,
                 response == RG_CARD_RESPONSE_LINK ? job->url : NULL, error);
  set_busy (self, self->busy - 1);
}

static void
line_replied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  ids = rg_line_client_reply_finish (RG_LINE_CLIENT (object), result, &error);
  job_done (job, error);
}

static void
whatsapp_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = rg_whatsapp_client_send_text_finish (RG_WHATSAPP_CLIENT (object), result, &error);
  job_done (job, error);
}

/* The register link, when the design has a usable one. */
static const char *
register_url (RgCardDesign *design)
{
  const char *url = rg_card_design_get_register_url (design);

  if (url == NULL || url[0] == '\0' || !rg_card_register_url_check (url, NULL))
    return NULL;
  return url;
}

static JsonNode *
build_line_message (Job     *job,
                    GError **error)
{
  const char *title = rg_card_design_get_title (job->design);
  const char *button;
  const char *url;

  if (title != NULL && title[0] == '\0')
    title = NULL;

  if (job->response == RG_CARD_RESPONSE_LINK)
    return rg_line_message_new_flex_bubble (_("Open Member Center"), title,
                                            _("Here is your member card. The link works for "
                                              "30 minutes."),
                                            _("Open Member Center"), job->url, error);

  url = register_url (job->design);
  if (url == NULL)
    return rg_line_message_new_text (rg_card_design_get_not_found_message (job->design), error);

  button = rg_card_design_get_register_button_text (job->design);
  return rg_line_message_new_flex_bubble (rg_card_design_get_not_found_message (job->design),
                                          title,
                                          rg_card_design_get_not_found_message (job->design),
                                          button != NULL && button[0] != '\0' ? button
                                                                              : _("Register"),
                                          url, error);
}

static char *
build_whatsapp_text (Job *job)
{
  const char *url;
  const char *button;

  if (job->response == RG_CARD_RESPONSE_LINK)
    /* Translators: %s is the member-center link */
    return g_strdup_printf (_("Open your member card: %s\nThe link works for 30 minutes."),
                            job->url);

  url = register_url (job->design);
  if (url == NULL)
    return g_strdup (rg_card_design_get_not_found_message (job->design));

  button = rg_card_design_get_register_button_text (job->design);
  return g_strdup_printf ("%s\n%s: %s", rg_card_design_get_not_found_message (job->design),
                          button != NULL && button[0] != '\0' ? button : _("Register"), url);
}

static void
config_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *channel = job->channel == RG_CARD_CHANNEL_LINE ? "line" : "whatsapp";

  config = rg_channel_settings_load_config_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (config == NULL || !rg_channel_settings_check_required (channel, config, &error))
    {
      job_done (job, error);
      return;
    }

  if (job->channel == RG_CARD_CHANNEL_LINE)
    {
      g_autoptr(RgLineClient) client = NULL;
      g_autoptr(JsonNode) message = NULL;
      g_autoptr(JsonArray) messages = NULL;

      if (!(message = build_line_message (job, &error)))
        {
          job_done (job, error);
          return;
        }
      messages = json_array_new ();
      json_array_add_element (messages, g_steal_pointer (&message));

      client = rg_line_client_new (g_hash_table_lookup (config, "channel-access-token"));
      rg_line_client_set_base_url (client, g_hash_table_lookup (config, "base-url"));
      rg_line_client_reply_async (client, job->reply_token, messages, FALSE, NULL,
                                  line_replied_cb, job);
    }
  else
    {
      g_autoptr(RgWhatsAppClient) client = NULL;
      g_autofree char *body = build_whatsapp_text (job);

      client = rg_whatsapp_client_new (g_hash_table_lookup (config, "phone-number-id"),
                                       g_hash_table_lookup (config, "access-token"));
      rg_whatsapp_client_set_base_url (client, g_hash_table_lookup (config, "base-url"));
      /* No preview: the platform's crawler would open the member's page. */
      rg_whatsapp_client_send_text_async (client, job->sender, body, FALSE, NULL,
                                          whatsapp_sent_cb, job);
    }
}

static void
send_answer (Job *job)
{
  RgChannelSettings *settings = rg_member_center_get_settings (job->self->center);

  rg_channel_settings_load_config_async (settings,
                                         job->channel == RG_CARD_CHANNEL_LINE ? "line"
                                                                              : "whatsapp",
                                         NULL, config_loaded_cb, job);
}

static void
link_issued_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!(job->url = rg_card_link_issue_finish (RG_CARD_LINK (object), result, &error)))
    {
      job_done (job, error);
      return;
    }
  send_answer (job);
}

/* Takes @job. */
static void
job_start (Job *job)
{
  RgMemberCenter *center = job->self->center;
  RgMemberStore *members = rg_member_center_get_member_store (center);
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) error = NULL;

  set_busy (job->self, job->self->busy + 1);

  if (!(job->design = rg_card_store_load (rg_member_center_get_card_store (center), job->channel,
                                          &error)))
    {
      job_done (job, error);
      return;
    }

  if (!rg_card_design_get_enabled (job->design) ||
      !rg_card_design_get_member_center_enabled (job->design))
    {
      job->response = RG_CARD_RESPONSE_DISABLED;
      job_done (job, NULL);
      return;
    }

  if (job->channel == RG_CARD_CHANNEL_LINE)
    member = rg_member_store_find_by_line_user_id (members, job->sender, &error);
  else
    member = rg_member_store_find_by_whatsapp_id (members, job->sender, &error);
  if (error != NULL)
    {
      job_done (job, error);
      return;
    }

  if (member == NULL && rg_card_design_get_require_member_number (job->design))
    {
      job->response = RG_CARD_RESPONSE_NOT_FOUND;
      send_answer (job);
      return;
    }

  job->response = RG_CARD_RESPONSE_LINK;
  job->member_id = member != NULL ? rg_member_get_id (member) : 0;
  rg_card_link_issue_async (rg_member_center_get_link (center), job->member_id, job->channel,
                            NULL, link_issued_cb, job);
}

static Job *
job_new (RgCardResponder *self,
         RgCardChannel    channel,
         const char      *sender)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->channel = channel;
  job->sender = g_strdup (sender);
  return job;
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, member)) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, member)) ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static void
on_line_event (RgServer        *server,
               JsonObject      *event,
               RgCardResponder *self)
{
  rg_card_responder_handle_line_event (self, event);
}

static void
on_whatsapp_event (RgServer        *server,
                   const char      *field,
                   JsonObject      *value,
                   RgCardResponder *self)
{
  rg_card_responder_handle_whatsapp_value (self, field, value);
}

static void
rg_card_responder_finalize (GObject *object)
{
  RgCardResponder *self = (RgCardResponder *)object;

  g_clear_object (&self->center);

  G_OBJECT_CLASS (rg_card_responder_parent_class)->finalize (object);
}

static void
rg_card_responder_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RgCardResponder *self = RG_CARD_RESPONDER (object);

  switch (prop_id)
    {
    case PROP_MEMBER_CENTER:
      g_value_set_object (value, self->center);
      break;

    case PROP_BUSY:
      g_value_set_uint (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_responder_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RgCardResponder *self = RG_CARD_RESPONDER (object);

  switch (prop_id)
    {
    case PROP_MEMBER_CENTER:
      self->center = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_responder_class_init (RgCardResponderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_card_responder_finalize;
  object_class->get_property = rg_card_responder_get_property;
  object_class->set_property = rg_card_responder_set_property;

  properties[PROP_MEMBER_CENTER] =
    g_param_spec_object ("member-center", NULL, NULL,
                         RG_TYPE_MEMBER_CENTER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardResponder:busy:
   *
   * How many requests are being answered.
   */
  properties[PROP_BUSY] =
    g_param_spec_uint ("busy", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgCardResponder::responded:
   * @channel: the #RgCardChannel asked
   * @sender: the LINE userId or WhatsApp wa_id
   * @response: what was sent, #RgCardResponse
   * @url: (nullable): the member-center link sent, for %RG_CARD_RESPONSE_LINK
   * @error: (nullable): why nothing was sent, for %RG_CARD_RESPONSE_FAILED
   *
   * Emitted once for every keyword or quick-reply request, when it has been answered.
   */
  signals[RESPONDED] =
    g_signal_new ("responded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5,
                  RG_TYPE_CARD_CHANNEL,
                  G_TYPE_STRING,
                  RG_TYPE_CARD_RESPONSE,
                  G_TYPE_STRING,
                  G_TYPE_ERROR);
}

static void
rg_card_responder_init (RgCardResponder *self)
{
}

RgCardResponder *
rg_card_responder_new (RgMemberCenter *center)
{
  g_return_val_if_fail (RG_IS_MEMBER_CENTER (center), NULL);

  return g_object_new (RG_TYPE_CARD_RESPONDER, "member-center", center, NULL);
}

RgMemberCenter *
rg_card_responder_get_member_center (RgCardResponder *self)
{
  g_return_val_if_fail (RG_IS_CARD_RESPONDER (self), NULL);

  return self->center;
}

guint
rg_card_responder_get_busy (RgCardResponder *self)
{
  g_return_val_if_fail (RG_IS_CARD_RESPONDER (self), 0);

  return self->busy;
}

/**
 * rg_card_responder_attach:
 * @server: the server whose webhook events to answer
 *
 * Answers the server's `line-event` and `whatsapp-event`; the server keeps @self alive.
 */
void
rg_card_responder_attach (RgCardResponder *self,
                          RgServer        *server)
{
  g_return_if_fail (RG_IS_CARD_RESPONDER (self));
  g_return_if_fail (RG_IS_SERVER (server));

  g_signal_connect_data (server, "line-event", G_CALLBACK (on_line_event),
                         g_object_ref (self), (GClosureNotify) g_object_unref, 0);
  g_signal_connect_data (server, "whatsapp-event", G_CALLBACK (on_whatsapp_event),
                         g_object_ref (self), (GClosureNotify) g_object_unref, 0);
}

static gboolean
is_keyword (RgCardResponder *self,
            const char      *text)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keywords = NULL;
  g_autofree char *trimmed = NULL;

  keywords = rg_card_responder_dup_keywords (rg_member_center_get_card_store (self->center),
                                             RG_CARD_CHANNEL_LINE, &error);
  if (keywords == NULL)
    {
      g_warning ("Could not read the LINE member-center keywords: %s", error->message);
      return FALSE;
    }

  trimmed = g_strstrip (g_strdup (text));
  return g_strv_contains ((const char * const *) keywords, trimmed);
}

/**
 * rg_card_responder_handle_line_event:
 * @event: one LINE webhook event
 *
 * Answers @event when it is a text message with one of the LINE keywords, from a user in a
 * one-to-one chat. #RgCardResponder::responded follows once it is answered.
 *
 * Returns: %TRUE if @event asked for the member center
 */
gboolean
rg_card_responder_handle_line_event (RgCardResponder *self,
                                     JsonObject      *event)
{
  JsonObject *message;
  JsonObject *source;
  const char *user_id;
  const char *reply_token;
  const char *text;
  Job *job;

  g_return_val_if_fail (RG_IS_CARD_RESPONDER (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (g_strcmp0 (object_string (event, "type"), "message") != 0 ||
      !(message = object_object (event, "message")) ||
      g_strcmp0 (object_string (message, "type"), "text") != 0 ||
      !(text = object_string (message, "text")))
    return FALSE;

  /* Standby mode: another bot (or a person in chat mode) answers this channel. */
  if (g_strcmp0 (object_string (event, "mode"), "standby") == 0)
    return FALSE;

  if (!is_keyword (self, text))
    return FALSE;

  source = object_object (event, "source");
  if (g_strcmp0 (object_string (source, "type"), "user") != 0 ||
      !(user_id = object_string (source, "userId")) ||
      !(reply_token = object_string (event, "replyToken")))
    {
      g_debug ("Not answering a member-center keyword outside a one-to-one chat");
      return FALSE;
    }

  job = job_new (self, RG_CARD_CHANNEL_LINE, user_id);
  job->reply_token = g_strdup (reply_token);
  job_start (job);
  return TRUE;
}

/**
 * rg_card_responder_handle_whatsapp_value:
 * @field: the change's field; only "messages" is looked at
 * @value: the change's value
 *
 * Answers every quick-reply tap with the payload "member_center" in @value.
 *
 * Returns: how many taps asked for the member center
 */
guint
rg_card_responder_handle_whatsapp_value (RgCardResponder *self,
                                         const char      *field,
                                         JsonObject      *value)
{
  JsonNode *messages;
  guint n = 0;

  g_return_val_if_fail (RG_IS_CARD_RESPONDER (self), 0);
  g_return_val_if_fail (value != NULL, 0);

  if (g_strcmp0 (field, "messages") != 0 ||
      !(messages = json_object_get_member (value, "messages")) ||
      !JSON_NODE_HOLDS_ARRAY (messages))
    return 0;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (messages)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (messages), i);
      JsonObject *message;
      const char *from;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      message = json_node_get_object (node);
      if (g_strcmp0 (object_string (message, "type"), "button") != 0 ||
          g_strcmp0 (object_string (object_object (message, "button"), "payload"),
                     RG_CARD_WHATSAPP_PAYLOAD) != 0 ||
          !(from = object_string (message, "from")) || from[0] == '\0')
        continue;

      job_start (job_new (self, RG_CARD_CHANNEL_WHATSAPP, from));
      n++;
    }
  return n;
}

/**
 * rg_card_responder_dup_keywords:
 *
 * Returns: (transfer full): the channel's keywords, trimmed, in the order saved; the
 *   default ("會員中心") when none were ever saved; %NULL with @error on a database error
 */
char **
rg_card_responder_dup_keywords (RgCardStore    *cards,
                                RgCardChannel   channel,
                                GError        **error)
{
  RgStore *store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  const char *json;
  int rc;

  g_return_val_if_fail (RG_IS_CARD_STORE (cards), NULL);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, NULL);

  store = rg_card_store_get_store (cards);
  if (!(stmt = rg_store_prepare (store, "SELECT keywords FROM card_keywords WHERE channel = ?1",
                                 error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, rg_card_channel_to_string (channel), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_strv_builder_add (builder, RG_CARD_DEFAULT_KEYWORD);
      return g_strv_builder_end (builder);
    }
  if (rc != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (store, error, _("reading the member-center keywords"));
      return NULL;
    }

  json = (const char *) sqlite3_column_text (stmt, 0);
  if (!json_parser_load_from_data (parser, json, -1, &local_error) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_ARRAY (root))
    {
      /* The CHECK keeps it valid JSON; anything else was written by hand. */
      g_warning ("The %s member-center keywords are not a JSON array; answering none",
                 rg_card_channel_to_string (channel));
      return g_strv_builder_end (builder);
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (root), i);

      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

static gboolean
set_keywords_json (RgCardStore    *cards,
                   RgCardChannel   channel,
                   const char     *json,
                   GError        **error)
{
  RgStore *store = rg_card_store_get_store (cards);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (json == NULL)
    stmt = rg_store_prepare (store, "DELETE FROM card_keywords WHERE channel = ?1", error);
  else
    stmt = rg_store_prepare (store,
                             "INSERT INTO card_keywords (channel, keywords, updated_at) "
                             "VALUES (?1, ?2, unixepoch ()) "
                             "ON CONFLICT (channel) DO UPDATE SET keywords = excluded.keywords, "
                             "  updated_at = excluded.updated_at",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rg_card_channel_to_string (channel), -1, SQLITE_STATIC);
  if (json != NULL)
    sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  return rg_store_step_done (store, stmt, error);
}

/**
 * rg_card_responder_set_keywords:
 * @keywords: (array zero-terminated=1): the keywords; each is trimmed; an empty list answers
 *   no keyword
 *
 * Returns: %FALSE with %RG_CARD_RESPONDER_ERROR_KEYWORD naming the keyword at fault (empty,
 *   longer than %RG_CARD_MAX_KEYWORD_LENGTH characters, control characters, a duplicate),
 *   or a database error; nothing is saved then
 */
gboolean
rg_card_responder_set_keywords (RgCardStore         *cards,
                                RgCardChannel        channel,
                                const char * const  *keywords,
                                GError             **error)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (RG_IS_CARD_STORE (cards), FALSE);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, FALSE);
  g_return_val_if_fail (keywords != NULL, FALSE);

  json_builder_begin_array (builder);
  for (guint i = 0; keywords[i] != NULL; i++)
    {
      g_autofree char *keyword = NULL;
      glong length;

      if (!g_utf8_validate (keywords[i], -1, NULL))
        {
          g_set_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD,
                       _("Keyword %u is not valid UTF-8 text"), i + 1);
          return FALSE;
        }
      keyword = g_strstrip (g_strdup (keywords[i]));
      length = g_utf8_strlen (keyword, -1);

      if (length == 0)
        {
          g_set_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD,
                       _("Keyword %u is empty"), i + 1);
          return FALSE;
        }
      if (length > RG_CARD_MAX_KEYWORD_LENGTH)
        {
          g_set_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD,
                       _("Keyword “%s” has %ld characters; a keyword has at most %d"),
                       keyword, length, RG_CARD_MAX_KEYWORD_LENGTH);
          return FALSE;
        }
      for (const char *p = keyword; *p != '\0'; p = g_utf8_next_char (p))
        {
          if (g_unichar_iscntrl (g_utf8_get_char (p)))
            {
              g_set_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD,
                           _("Keyword %u contains a control character (a line break or tab); "
                             "a keyword is one line"),
                           i + 1);
              return FALSE;
            }
        }
      for (guint j = 0; j < seen->len; j++)
        {
          if (g_str_equal (g_ptr_array_index (seen, j), keyword))
            {
              g_set_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD,
                           _("Keyword “%s” is in the list twice"), keyword);
              return FALSE;
            }
        }

      json_builder_add_string_value (builder, keyword);
      g_ptr_array_add (seen, g_steal_pointer (&keyword));
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return set_keywords_json (cards, channel, json, error);
}

/**
 * rg_card_responder_reset_keywords:
 *
 * Forgets the channel's saved keywords: it answers the default again.
 */
gboolean
rg_card_responder_reset_keywords (RgCardStore    *cards,
                                  RgCardChannel   channel,
                                  GError        **error)
{
  g_return_val_if_fail (RG_IS_CARD_STORE (cards), FALSE);
  g_return_val_if_fail ((guint) channel < RG_CARD_CHANNEL_COUNT, FALSE);

  return set_keywords_json (cards, channel, NULL, error);
}
