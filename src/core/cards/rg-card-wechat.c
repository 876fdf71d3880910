/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-wechat"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-channel-error.h"
#include "rg-member-store.h"
#include "rg-store-private.h"

/*
 * The WeChat member card (PROTOCOLS.md, WeChat): "Push to WeChat" creates the card from
 * the WeChat design (card/create) and, once a card_id is stored, updates it (card/update).
 * WeChat's limits (brand name 12, title 9, notice 16 characters) are checked here and a
 * longer text is an error that names the field and the limit; nothing is cut short.
 *
 * Points and stored value follow the ledger, not a signal: every change a member with a
 * WeChat openid and an activated card code makes is pushed with ONE updateuser call carrying
 * both the points (bonus) and the stored value (balance) of that change, so the customer
 * gets one merged message. A change made anywhere (this process's member stores, another
 * process such as `regulars-cli`, an import) is a row in the ledger; the ledger rows after a
 * cursor are turned into rows of wechat_card_pushes in one transaction with the cursor's
 * move, and a push row is deleted only when WeChat accepted it. So nothing is lost to a
 * crash or an outage: a failed push stays queued (retried with backoff, and at every
 * service start), a push WeChat refuses for good stays as "failed" with WeChat's message
 * (rg_card_wechat_count_pushes()) and is logged. The totals (bonus, balance) are sent with
 * the changes, so a retry after an unknown outcome sets the same totals again.
 *
 * Triggers: an emission hook on RgMemberStore::balance-changed (any store of this process
 * on the same database file) pushes at once; a poll every minute picks up other processes;
 * rg_card_wechat_start() catches up. Only the process that runs the service (RgService
 * holds the lock) starts this, so two processes never push the same change.
 *
 * Card codes: WeChat tells the server which card a customer took (user_get_card, with
 * UserCardCode, on /webhook/wechat; rg_card_wechat_attach()). The code is kept as pending
 * for the customer's openid first, so that nothing is lost, and a member with that openid
 * and a member number is activated with it at once; otherwise (no such member yet, or
 * WeChat refused) it waits for rg_card_wechat_activate_member_async() with no code, from
 * the GUI or `regulars-cli cards activate-wechat`. user_del_card forgets the card: its
 * queued updates are dropped and nothing more is pushed to it.
 */

#define META_CARD_ID       "cards.wechat.card-id"
#define META_LOGO_URL      "cards.wechat.logo-url"
#define META_BRAND_NAME    "cards.wechat.brand-name"
#define META_LEDGER_CURSOR "cards.wechat.ledger-cursor"

#define POLL_SECONDS         60
#define RETRY_FIRST_SECONDS  30
#define RETRY_MAX_SECONDS    (60 * 60)
#define CARD_QUANTITY        100000

struct _RgCardWeChat
{
  GObject            parent_instance;

  RgStore           *store;
  RgChannelSettings *settings;
  RgWeChatClient    *client;

  gboolean           running;
  gulong             hook_id;
  guint              signal_id;
  gpointer           member_store_class;
  guint              poll_source;
  guint              retry_source;
  guint              idle_source;
  GCancellable      *cancellable;

  gboolean           busy;
  gboolean           sync_requested;
  gboolean           config_warned;
  guint              pushed_this_round;
  GPtrArray         *waiters;
};

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_BUSY,
  N_PROPS
};

/* What the emission hook needs, from any thread. */
typedef struct
{
  GWeakRef      self;
  GMainContext *context;
  char         *path;
} Hook;

typedef struct
{
  gint64  id;
  gint64  member_id;
  char   *card_id;
  char   *code;
  gint64  bonus;
  gint64  add_bonus;
  char   *record_bonus;
  gint64  balance;
  gint64  add_balance;
  char   *record_balance;
  gint64  attempts;
} Push;

typedef struct
{
  RgCardWeChatDesign *mapped;
  char               *card_id;
  gboolean            created;
} PushDesign;

typedef struct
{
  gint64  member_id;
  char   *code;
  char   *card_id;
  char   *openid;
  char   *member_number;
  gint64  bonus;
  gint64  balance;
  gint64  ledger_mark;
  /* Cancelled after the request went out: the caller has its answer, WeChat not yet. */
  GCancellable *cancellable;
  gulong        cancelled_id;
  gboolean      returned;
} Activation;

enum {
  EVENT_HANDLED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (RgCardWeChat, rg_card_wechat, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-card-wechat-error-quark, rg_card_wechat_error)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* WeChat's card colours (card/create "color"), with their RGB. */
static const struct
{
  const char *name;
  guint32     rgb;
} wechat_colors[] = {
  { "Color010", 0x63b359 },
  { "Color020", 0x2c9f67 },
  { "Color030", 0x509fc9 },
  { "Color040", 0x5885cf },
  { "Color050", 0x9062c0 },
  { "Color060", 0xd09a45 },
  { "Color070", 0xe4b138 },
  { "Color080", 0xee903c },
  { "Color081", 0xf08500 },
  { "Color082", 0xa9d92d },
  { "Color090", 0xdd6549 },
  { "Color100", 0xcc463d },
  { "Color101", 0xcf3e36 },
  { "Color102", 0x5e6671 },
};

static void
push_free (Push *push)
{
  g_free (push->card_id);
  g_free (push->code);
  g_free (push->record_bonus);
  g_free (push->record_balance);
  g_free (push);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Push, push_free)

static void
push_design_free (PushDesign *data)
{
  g_clear_pointer (&data->mapped, rg_card_wechat_design_free);
  g_free (data->card_id);
  g_free (data);
}

static void
activation_free (Activation *activation)
{
  if (activation->cancelled_id != 0)
    g_cancellable_disconnect (activation->cancellable, activation->cancelled_id);
  g_clear_object (&activation->cancellable);
  g_free (activation->code);
  g_free (activation->card_id);
  g_free (activation->openid);
  g_free (activation->member_number);
  g_free (activation);
}

static void
hook_free (Hook *hook)
{
  g_weak_ref_clear (&hook->self);
  g_main_context_unref (hook->context);
  g_free (hook->path);
}

static void
hook_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) hook_free);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * rg_card_wechat_color_for_accent:
 * @accent: (nullable): a design's accent colour, "#rrggbb"
 *
 * WeChat cards take one of its own colour names; this picks the nearest.
 *
 * Returns: a WeChat colour name such as "Color010"
 */
const char *
rg_card_wechat_color_for_accent (const char *accent)
{
  double r, g, b;
  double best_distance = G_MAXDOUBLE;
  const char *best = "Color010";

  if (accent == NULL || !rg_card_color_parse (accent, &r, &g, &b))
    return best;

  for (guint i = 0; i < G_N_ELEMENTS (wechat_colors); i++)
    {
      double dr = r * 255 - ((wechat_colors[i].rgb >> 16) & 0xff);
      double dg = g * 255 - ((wechat_colors[i].rgb >> 8) & 0xff);
      double db = b * 255 - (wechat_colors[i].rgb & 0xff);
      double distance = dr * dr + dg * dg + db * db;

      if (distance < best_distance)
        {
          best_distance = distance;
          best = wechat_colors[i].name;
        }
    }
  return best;
}

static gboolean
check_field (const char  *what,
             const char  *wechat_field,
             const char  *value,
             glong        max_length,
             const char  *hint,
             GError     **error)
{
  g_autofree char *message = NULL;
  glong length = value != NULL ? g_utf8_strlen (value, -1) : 0;

  if (length == 0)
    /* Translators: “The card title (WeChat “title”) is empty.” */
    message = g_strdup_printf (_("%s (WeChat “%s”) is empty."), what, wechat_field);
  else if (max_length > 0 && length > max_length)
    /* Translators: “The card title “…” has 11 characters; WeChat's “title” takes at most 9.” */
    message = g_strdup_printf (_("%s “%s” has %ld characters; WeChat's “%s” takes at most %ld."),
                               what, value, length, wechat_field, max_length);
  else
    return TRUE;

  if (hint != NULL && hint[0] != '\0')
    g_set_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD, "%s %s", message, hint);
  else
    g_set_error_literal (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD, message);
  return FALSE;
}

void
rg_card_wechat_design_free (RgCardWeChatDesign *mapped)
{
  if (mapped == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (mapped->strings); i++)
    g_free (mapped->strings[i]);
  g_free (mapped);
}

/**
 * rg_card_wechat_map_design:
 * @design: the WeChat card design
 * @brand_name: (nullable): the name on the card (at most 12 characters)
 * @logo_url: (nullable): the logo, uploaded to WeChat beforehand (mmbiz.qpic.cn)
 *
 * Maps our design to WeChat's member card: the title, the accent colour (nearest WeChat
 * colour), the barcode (QR stays QR; Code 128, Code 39 and EAN-13 become WeChat's barcode,
 * which it draws itself), and our own notice, description and privileges texts. Points and
 * stored value are both shown: WeChat cannot switch either off after creation, and the
 * updates carry both.
 *
 * Returns: (transfer full): the fields, or %NULL with %RG_CARD_WECHAT_ERROR_FIELD naming the
 *   first field that is empty or over WeChat's limit
 */
RgCardWeChatDesign *
rg_card_wechat_map_design (RgCardDesign  *design,
                           const char    *brand_name,
                           const char    *logo_url,
                           GError       **error)
{
  g_autoptr(RgCardWeChatDesign) mapped = g_new0 (RgCardWeChatDesign, 1);
  g_autofree char *brand = g_strstrip (g_strdup (brand_name != NULL ? brand_name : ""));
  g_autofree char *logo = g_strstrip (g_strdup (logo_url != NULL ? logo_url : ""));
  g_autofree char *title = g_strstrip (g_strdup (rg_card_design_get_title (design)));
  /* Translators: shown on the WeChat card at the code; at most 16 characters (WeChat's
   * limit for “notice”) */
  const char *notice = _("Show at checkout");

  g_return_val_if_fail (RG_IS_CARD_DESIGN (design), NULL);

  if (!check_field (_("The brand name"), "brand_name", brand, RG_WECHAT_MAX_BRAND_NAME,
                    _("Set a shorter one with “regulars-cli cards push-wechat --brand-name "
                      "NAME”."), error) ||
      !check_field (_("The card title"), "title", title, RG_WECHAT_MAX_TITLE,
                    _("Shorten the title of the WeChat card design."), error) ||
      !check_field (_("The notice"), "notice", notice, RG_WECHAT_MAX_NOTICE,
                    _("Shorten its translation."), error) ||
      !check_field (_("The logo URL"), "logo_url", logo, 0,
                    _("Upload the logo to WeChat (media/uploadimg) and set the URL it gives "
                      "with “regulars-cli cards push-wechat --logo-url URL”."), error))
    return NULL;

  if (!rg_card_register_url_check (logo, NULL))
    {
      g_set_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD,
                   _("The logo URL (WeChat “logo_url”) “%s” is not an http(s) URL"), logo);
      return NULL;
    }

  mapped->strings[0] = g_steal_pointer (&logo);
  mapped->strings[1] = g_steal_pointer (&brand);
  mapped->strings[2] = g_steal_pointer (&title);
  mapped->strings[3] = g_strdup (notice);
  /* Translators: the WeChat card's terms; %s is the shop's name */
  mapped->strings[4] = g_strdup_printf (_("The member card of %s. Show it at checkout to "
                                          "collect points and pay with stored value."),
                                        mapped->strings[1]);
  mapped->strings[5] = g_strdup (_("Members collect points and keep stored value."));

  mapped->card.logo_url = mapped->strings[0];
  mapped->card.brand_name = mapped->strings[1];
  mapped->card.title = mapped->strings[2];
  mapped->card.notice = mapped->strings[3];
  mapped->card.description = mapped->strings[4];
  mapped->card.prerogative = mapped->strings[5];
  mapped->card.color = rg_card_wechat_color_for_accent (rg_card_design_get_accent_color (design));
  mapped->card.code_type = rg_card_design_get_barcode_type (design) == RG_CARD_BARCODE_QR
                           ? RG_WECHAT_CODE_TYPE_QRCODE : RG_WECHAT_CODE_TYPE_BARCODE;
  mapped->card.supply_bonus = TRUE;
  mapped->card.supply_balance = TRUE;
  /* Members are activated by the shop with their member number (activate_member). */
  mapped->card.auto_activate = FALSE;
  mapped->card.quantity = CARD_QUANTITY;

  return g_steal_pointer (&mapped);
}

/**
 * rg_card_wechat_record_from_reason:
 * @reason: (nullable): a ledger reason
 *
 * WeChat shows a record of at most 14 characters with each change. The ledger reason is
 * free text typed at the till, so it is shortened here (13 characters and "…") rather than
 * refused: refusing would hold back the member's new balance.
 *
 * Returns: (transfer full) (nullable): the record, %NULL for no reason
 */
char *
rg_card_wechat_record_from_reason (const char *reason)
{
  g_autofree char *trimmed = NULL;

  if (reason == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (reason));
  if (trimmed[0] == '\0')
    return NULL;
  if (g_utf8_strlen (trimmed, -1) <= RG_WECHAT_MAX_RECORD)
    return g_steal_pointer (&trimmed);

  {
    g_autofree char *head = g_utf8_substring (trimmed, 0, RG_WECHAT_MAX_RECORD - 1);

    return g_strconcat (head, "…", NULL);
  }
}

static void
set_busy (RgCardWeChat *self,
          gboolean      busy)
{
  if (self->busy != !!busy)
    {
      self->busy = !!busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static char *
read_meta (RgCardWeChat *self,
           const char   *key)
{
  g_autoptr(GError) error = NULL;
  char *value = NULL;

  if (!rg_store_get_meta (self->store, key, &value, &error))
    g_warning ("Could not read %s: %s", key, error->message);
  return value;
}

static gboolean
read_max_ledger_id (RgStore  *store,
                    gint64   *max_id,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = rg_store_prepare (store, "SELECT coalesce (max (id), 0) FROM ledger", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (store, error, _("reading the ledger"));
      return FALSE;
    }
  *max_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The card code in the first column of the row @stmt reads; %NULL, without an error, when
 * there is no row. */
static char *
step_card_code (RgStore       *store,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _rg_store_set_error_from_db (store, error, _("reading a WeChat card code"));
  return NULL;
}

/* The cursor starts at the end of the ledger: changes from before WeChat cards existed are
 * in each card's activation totals, not pushes. */
static gboolean
ensure_cursor (RgCardWeChat  *self,
               GError       **error)
{
  g_autofree char *cursor = NULL;
  g_autofree char *value = NULL;
  gint64 max_id;

  if (!rg_store_get_meta (self->store, META_LEDGER_CURSOR, &cursor, error))
    return FALSE;
  if (cursor != NULL)
    return TRUE;
  if (!read_max_ledger_id (self->store, &max_id, error))
    return FALSE;
  value = g_strdup_printf ("%" G_GINT64_FORMAT, max_id);
  return rg_store_set_meta (self->store, META_LEDGER_CURSOR, value, error);
}

typedef struct
{
  sqlite3_stmt *insert;
  gint64        member_id;
  gint64        operation_id;
  gboolean      open;
  gint64        bonus;
  gint64        add_bonus;
  char         *record_bonus;
  gint64        balance;
  gint64        add_balance;
  char         *record_balance;
  guint         queued;
} Enqueue;

static gboolean
flush_push (RgStore  *store,
            Enqueue  *enqueue,
            GError  **error)
{
  sqlite3_stmt *stmt = enqueue->insert;
  gboolean ok;

  if (!enqueue->open)
    return TRUE;

  sqlite3_bind_int64 (stmt, 1, enqueue->member_id);
  sqlite3_bind_int64 (stmt, 2, enqueue->operation_id);
  sqlite3_bind_int64 (stmt, 3, enqueue->bonus);
  sqlite3_bind_int64 (stmt, 4, enqueue->add_bonus);
  sqlite3_bind_text (stmt, 5, enqueue->record_bonus, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, enqueue->balance);
  sqlite3_bind_int64 (stmt, 7, enqueue->add_balance);
  sqlite3_bind_text (stmt, 8, enqueue->record_balance, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now_seconds ());
  ok = rg_store_step_done (store, stmt, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  g_clear_pointer (&enqueue->record_bonus, g_free);
  g_clear_pointer (&enqueue->record_balance, g_free);
  enqueue->open = FALSE;
  if (ok)
    enqueue->queued++;
  return ok;
}

/* Turns the ledger rows after the cursor into pushes, one per operation, and moves the
 * cursor: one transaction, so a row is queued exactly once. */
static gboolean
enqueue_in_transaction (RgStore   *store,
                        gpointer   user_data,
                        GError   **error)
{
  Enqueue *enqueue = user_data;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *cursor_text = NULL;
  g_autofree char *new_cursor = NULL;
  gint64 cursor = 0;
  gint64 max_id;
  int rc;

  if (!rg_store_get_meta (store, META_LEDGER_CURSOR, &cursor_text, error) ||
      !read_max_ledger_id (store, &max_id, error))
    return FALSE;
  if (cursor_text != NULL)
    cursor = g_ascii_strtoll (cursor_text, NULL, 10);
  else
    cursor = max_id;

  if (max_id > cursor)
    {
      select = rg_store_prepare (store,
                                 "SELECT l.member_id, l.operation_id, l.account, l.delta, "
                                 "  l.balance_after, l.reason "
                                 "FROM ledger l "
                                 "JOIN wechat_card_members w ON w.member_id = l.member_id "
                                 "JOIN members m ON m.id = l.member_id "
                                 "WHERE l.id > ?1 AND l.id <= ?2 AND l.id > w.ledger_mark "
                                 "  AND l.account IN ('points_balance', 'stored_value') "
                                 "  AND m.wechat_openid IS NOT NULL AND m.deleted_at IS NULL "
                                 "ORDER BY l.id",
                                 error);
      insert = rg_store_prepare (store,
                                 "INSERT INTO wechat_card_pushes (member_id, operation_id, "
                                 "  bonus, add_bonus, record_bonus, balance, add_balance, "
                                 "  record_balance, state, attempts, next_attempt_at, "
                                 "  created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?9)",
                                 error);
      if (select == NULL || insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (select, 1, cursor);
      sqlite3_bind_int64 (select, 2, max_id);
      enqueue->insert = insert;

      while ((rc = sqlite3_step (select)) == SQLITE_ROW)
        {
          gint64 member_id = sqlite3_column_int64 (select, 0);
          gint64 operation_id = sqlite3_column_int64 (select, 1);
          const char *account = (const char *) sqlite3_column_text (select, 2);
          const char *reason = (const char *) sqlite3_column_text (select, 5);

          if (enqueue->open &&
              (enqueue->member_id != member_id || enqueue->operation_id != operation_id) &&
              !flush_push (store, enqueue, error))
            return FALSE;

          if (!enqueue->open)
            {
              enqueue->open = TRUE;
              enqueue->member_id = member_id;
              enqueue->operation_id = operation_id;
              enqueue->bonus = enqueue->balance = -1;
              enqueue->add_bonus = enqueue->add_balance = 0;
            }

          if (g_str_equal (account, "points_balance"))
            {
              enqueue->bonus = sqlite3_column_int64 (select, 4);
              enqueue->add_bonus += sqlite3_column_int64 (select, 3);
              g_free (enqueue->record_bonus);
              enqueue->record_bonus = rg_card_wechat_record_from_reason (reason);
            }
          else
            {
              enqueue->balance = sqlite3_column_int64 (select, 4);
              enqueue->add_balance += sqlite3_column_int64 (select, 3);
              g_free (enqueue->record_balance);
              enqueue->record_balance = rg_card_wechat_record_from_reason (reason);
            }
        }
      if (rc != SQLITE_DONE)
        {
          _rg_store_set_error_from_db (store, error, _("reading the ledger"));
          return FALSE;
        }
      if (!flush_push (store, enqueue, error))
        return FALSE;
    }

  new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (cursor, max_id));
  return rg_store_set_meta (store, META_LEDGER_CURSOR, new_cursor, error);
}

/* A read before the write transaction: the poll and every balance change come here, and
 * most find nothing to do (no member has a WeChat card, or no new ledger row). */
static gboolean
has_work (RgCardWeChat *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rg_store_prepare (self->store,
                           "SELECT EXISTS (SELECT 1 FROM wechat_card_members), "
                           "  (SELECT coalesce (max (id), 0) FROM ledger), "
                           "  (SELECT value FROM meta WHERE key = ?1)",
                           NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, META_LEDGER_CURSOR, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  if (sqlite3_column_int (stmt, 0) == 0)
    return FALSE;
  if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
    return TRUE;
  return sqlite3_column_int64 (stmt, 1) >
         g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 2), NULL, 10);
}

static gboolean
enqueue (RgCardWeChat  *self,
         GError       **error)
{
  Enqueue data = { 0, };
  gboolean ok;

  if (!has_work (self))
    return TRUE;

  ok = rg_store_transaction (self->store, enqueue_in_transaction, &data, error);
  g_free (data.record_bonus);
  g_free (data.record_balance);
  if (ok && data.queued > 0)
    g_debug ("Queued %u WeChat card update(s)", data.queued);
  return ok;
}

/* Strictly first in, first out: a member's totals must reach WeChat in the order they
 * changed, so a push waiting for its retry holds back the ones after it. */
static Push *
next_due_push (RgCardWeChat  *self,
               gint64        *next_due,
               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(Push) push = NULL;
  int rc;

  *next_due = 0;
  stmt = rg_store_prepare (self->store,
                           "SELECT p.id, p.member_id, w.card_id, w.code, p.bonus, p.add_bonus, "
                           "  p.record_bonus, p.balance, p.add_balance, p.record_balance, "
                           "  p.attempts, p.next_attempt_at "
                           "FROM wechat_card_pushes p "
                           "LEFT JOIN wechat_card_members w ON w.member_id = p.member_id "
                           "WHERE p.state = 'pending' "
                           "ORDER BY p.id LIMIT 1",
                           error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (self->store, error, _("reading the WeChat card updates"));
      return NULL;
    }

  if (sqlite3_column_int64 (stmt, 11) > now_seconds ())
    {
      *next_due = sqlite3_column_int64 (stmt, 11);
      return NULL;
    }

  push = g_new0 (Push, 1);
  push->id = sqlite3_column_int64 (stmt, 0);
  push->member_id = sqlite3_column_int64 (stmt, 1);
  push->card_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  push->code = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  push->bonus = sqlite3_column_int64 (stmt, 4);
  push->add_bonus = sqlite3_column_int64 (stmt, 5);
  push->record_bonus = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  push->balance = sqlite3_column_int64 (stmt, 7);
  push->add_balance = sqlite3_column_int64 (stmt, 8);
  push->record_balance = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  push->attempts = sqlite3_column_int64 (stmt, 10);
  return g_steal_pointer (&push);
}

static gboolean
exec_push_update (RgCardWeChat  *self,
                  const char    *sql,
                  gint64         id,
                  gint64         next_attempt_at,
                  const char    *last_error,
                  GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = rg_store_prepare (self->store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, next_attempt_at);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_text (stmt, 3, last_error, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_int64 (stmt, 4, now_seconds ());
  return rg_store_step_done (self->store, stmt, error);
}

static void run_round (RgCardWeChat *self);
static void push_next (RgCardWeChat *self);

static void
end_round (RgCardWeChat *self,
           const GError *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  g_clear_object (&self->cancellable);

  if (error == NULL && self->sync_requested)
    {
      run_round (self);
      return;
    }

  set_busy (self, FALSE);
  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_int (task, self->pushed_this_round);
    }
  self->pushed_this_round = 0;
}

static gboolean
retry_cb (gpointer user_data)
{
  RgCardWeChat *self = user_data;

  self->retry_source = 0;
  if (!self->busy)
    {
      set_busy (self, TRUE);
      self->cancellable = g_cancellable_new ();
      push_next (self);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (RgCardWeChat *self,
                gint64        due)
{
  gint64 delay = MAX (1, due - now_seconds ());

  if (!self->running)
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add_seconds ((guint) MIN (delay, RETRY_MAX_SECONDS),
                                              retry_cb, self);
  g_source_set_name_by_id (self->retry_source, "[rg-card-wechat] retry");
}

typedef struct
{
  RgCardWeChat *self;
  Push         *push;
} PushCall;

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PushCall *call = user_data;
  g_autoptr(RgCardWeChat) self = call->self;
  g_autoptr(Push) push = call->push;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autofree char *openid = NULL;
  gint64 result_bonus = 0, result_balance = 0;

  g_free (call);

  if (rg_wechat_client_update_member_finish (RG_WECHAT_CLIENT (object), result, &result_bonus,
                                             &result_balance, &openid, &error))
    {
      g_debug ("WeChat card of member %" G_GINT64_FORMAT " now shows %" G_GINT64_FORMAT
               " points and %" G_GINT64_FORMAT " stored value",
               push->member_id, result_bonus, result_balance);
      self->pushed_this_round++;
      if (!exec_push_update (self, "DELETE FROM wechat_card_pushes WHERE id = ?1",
                             push->id, 0, NULL, &db_error))
        {
          end_round (self, db_error);
          return;
        }
      push_next (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      end_round (self, NULL);
      return;
    }

  if (rg_channel_error_is_retryable (error))
    {
      gint64 delay = MIN ((gint64) RETRY_FIRST_SECONDS << MIN (push->attempts, 7),
                          RETRY_MAX_SECONDS);
      gint64 retry_after = rg_channel_error_get_retry_after (error);

      if (retry_after > delay)
        delay = MIN (retry_after, RETRY_MAX_SECONDS);
      g_warning ("WeChat card update of member %" G_GINT64_FORMAT " failed, retrying in %"
                 G_GINT64_FORMAT " s: %s", push->member_id, delay, error->message);
      if (!exec_push_update (self,
                             "UPDATE wechat_card_pushes SET attempts = attempts + 1, "
                             "  next_attempt_at = ?2, last_error = ?3, updated_at = ?4 "
                             "WHERE id = ?1",
                             push->id, now_seconds () + delay, error->message, &db_error))
        {
          end_round (self, db_error);
          return;
        }
      /* The platform is struggling: the rest waits too. */
      schedule_retry (self, now_seconds () + delay);
      end_round (self, NULL);
      return;
    }

  g_warning ("WeChat refused the card update of member %" G_GINT64_FORMAT " (kept as failed): "
             "%s", push->member_id, error->message);
  if (!exec_push_update (self,
                         "UPDATE wechat_card_pushes SET state = 'failed', "
                         "  attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3, "
                         "  updated_at = ?4 WHERE id = ?1",
                         push->id, 0, error->message, &db_error))
    {
      end_round (self, db_error);
      return;
    }
  push_next (self);
}

static void
send_push (RgCardWeChat *self,
           Push         *push)
{
  RgWeChatMemberUpdate update = { 0, };
  PushCall *call;

  update.card_id = push->card_id;
  update.code = push->code;
  update.bonus = push->bonus;
  update.add_bonus = push->add_bonus;
  update.record_bonus = push->bonus >= 0 ? push->record_bonus : NULL;
  update.balance = push->balance;
  update.add_balance = push->add_balance;
  update.record_balance = push->balance >= 0 ? push->record_balance : NULL;
  update.notify = TRUE;

  call = g_new0 (PushCall, 1);
  call->self = g_object_ref (self);
  call->push = push;
  rg_wechat_client_update_member_async (self->client, &update, self->cancellable, updated_cb,
                                        call);
}

/* A new client from the WeChat settings (@config has passed the required check). */
static void
set_client (RgCardWeChat *self,
            GHashTable   *config)
{
  g_clear_object (&self->client);
  self->client = rg_wechat_client_new (g_hash_table_lookup (config, "app-id"),
                                       g_hash_table_lookup (config, "app-secret"));
  rg_wechat_client_set_base_url (self->client, g_hash_table_lookup (config, "base-url"));
}

static void
push_config_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  PushCall *call = user_data;
  g_autoptr(RgCardWeChat) self = call->self;
  g_autoptr(Push) push = call->push;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GError) error = NULL;

  g_free (call);

  config = rg_channel_settings_load_config_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (config != NULL && rg_channel_settings_check_required ("wechat", config, &error))
    {
      self->config_warned = FALSE;
      set_client (self, config);
      send_push (self, g_steal_pointer (&push));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      end_round (self, NULL);
      return;
    }

  /* Queued pushes wait for the settings (or the keyring) and are tried again later; said
   * once, not at every retry. */
  if (!self->config_warned)
    g_message ("WeChat card updates are waiting: %s", error->message);
  else
    g_debug ("WeChat card updates are still waiting: %s", error->message);
  self->config_warned = TRUE;
  schedule_retry (self, now_seconds () + RETRY_FIRST_SECONDS);
  end_round (self, NULL);
}

/* Sends the first queued update when it is due; the WeChat settings are read only when
 * there is something to send. */
static void
push_next (RgCardWeChat *self)
{
  g_autoptr(GError) error = NULL;
  Push *push;
  gint64 next_due = 0;

  while ((push = next_due_push (self, &next_due, &error)) != NULL)
    {
      if (push->code != NULL && push->card_id != NULL)
        break;

      /* The member's card was removed after the change was queued. */
      g_message ("Dropping a WeChat card update of member %" G_GINT64_FORMAT ": the member "
                 "no longer has an activated WeChat card", push->member_id);
      if (!exec_push_update (self, "DELETE FROM wechat_card_pushes WHERE id = ?1",
                             push->id, 0, NULL, &error))
        {
          g_clear_pointer (&push, push_free);
          break;
        }
      g_clear_pointer (&push, push_free);
    }

  if (push == NULL)
    {
      if (error == NULL && next_due > 0)
        schedule_retry (self, next_due);
      end_round (self, error);
      return;
    }

  if (self->client == NULL)
    {
      PushCall *call = g_new0 (PushCall, 1);

      call->self = g_object_ref (self);
      call->push = push;
      rg_channel_settings_load_config_async (self->settings, "wechat", self->cancellable,
                                             push_config_loaded_cb, call);
      return;
    }
  send_push (self, push);
}

static void
run_round (RgCardWeChat *self)
{
  g_autoptr(GError) error = NULL;

  self->sync_requested = FALSE;
  set_busy (self, TRUE);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  if (!enqueue (self, &error))
    {
      g_warning ("Could not queue WeChat card updates: %s", error->message);
      end_round (self, error);
      return;
    }
  push_next (self);
}

static gboolean
idle_round_cb (gpointer user_data)
{
  RgCardWeChat *self = user_data;

  self->idle_source = 0;
  if (!self->busy)
    run_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_sync (RgCardWeChat *self)
{
  self->sync_requested = TRUE;
  if (self->busy || self->idle_source != 0)
    return;
  self->idle_source = g_idle_add (idle_round_cb, self);
  g_source_set_name_by_id (self->idle_source, "[rg-card-wechat] sync");
}

static gboolean
poll_cb (gpointer user_data)
{
  schedule_sync (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
hook_dispatch_cb (gpointer user_data)
{
  Hook *hook = user_data;
  g_autoptr(RgCardWeChat) self = g_weak_ref_get (&hook->self);

  if (self != NULL && self->running)
    schedule_sync (self);
  return G_SOURCE_REMOVE;
}

/* Runs in the thread that emitted: only the hook's immutable fields are read here. */
static gboolean
balance_changed_hook (GSignalInvocationHint *ihint,
                      guint                  n_param_values,
                      const GValue          *param_values,
                      gpointer               user_data)
{
  Hook *hook = user_data;
  RgMemberStore *members = g_value_get_object (&param_values[0]);
  RgStore *store = members != NULL ? rg_member_store_get_store (members) : NULL;

  if (store != NULL && g_strcmp0 (rg_store_get_path (store), hook->path) == 0)
    g_main_context_invoke_full (hook->context, G_PRIORITY_DEFAULT, hook_dispatch_cb,
                                g_atomic_rc_box_acquire (hook),
                                hook_release);
  return TRUE;
}

static void
settings_changed_cb (RgCardWeChat *self,
                     const char   *channel,
                     const char   *field)
{
  /* A new AppSecret or base URL makes a new client (and a new access token); a request in
   * flight keeps the old one alive until it is answered. The server token is the server's. */
  if (g_str_equal (channel, "wechat") && !g_str_equal (field, "token"))
    g_clear_object (&self->client);
}

static void
rg_card_wechat_dispose (GObject *object)
{
  RgCardWeChat *self = (RgCardWeChat *)object;

  rg_card_wechat_stop (self);
  g_clear_handle_id (&self->idle_source, g_source_remove);

  G_OBJECT_CLASS (rg_card_wechat_parent_class)->dispose (object);
}

static void
rg_card_wechat_finalize (GObject *object)
{
  RgCardWeChat *self = (RgCardWeChat *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (rg_card_wechat_parent_class)->finalize (object);
}

static void
rg_card_wechat_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgCardWeChat *self = RG_CARD_WECHAT (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_card_wechat_class_init (RgCardWeChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_card_wechat_dispose;
  object_class->finalize = rg_card_wechat_finalize;
  object_class->get_property = rg_card_wechat_get_property;

  /**
   * RgCardWeChat:running:
   *
   * Whether balance changes are being pushed (between rg_card_wechat_start() and _stop()).
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgCardWeChat:busy:
   *
   * Whether queued updates are being sent right now.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RgCardWeChat::event-handled:
   * @event: WeChat's event, "user_get_card" or "user_del_card"
   * @openid: the customer's openid
   * @member_id: the member with that openid, or 0 when there is none
   * @error: (nullable): why the member's card could not be activated (the code stays
   *   pending) or forgotten, %NULL on success or when the code was kept for later
   *
   * Emitted once a card event of the shop's card from rg_card_wechat_attach()'s server has
   * been dealt with: after the activation WeChat answered, if one was made.
   */
  signals[EVENT_HANDLED] =
    g_signal_new ("event-handled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_ERROR);
}

static void
rg_card_wechat_init (RgCardWeChat *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

RgCardWeChat *
rg_card_wechat_new (RgStore           *store,
                    RgChannelSettings *settings)
{
  RgCardWeChat *self;

  g_return_val_if_fail (RG_IS_STORE (store), NULL);
  g_return_val_if_fail (RG_IS_CHANNEL_SETTINGS (settings), NULL);

  self = g_object_new (RG_TYPE_CARD_WECHAT, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/**
 * rg_card_wechat_dup_card_id:
 *
 * Returns: (transfer full) (nullable): the card_id WeChat gave the card, %NULL before the
 *   first push
 */
char *
rg_card_wechat_dup_card_id (RgCardWeChat *self)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);

  return read_meta (self, META_CARD_ID);
}

/**
 * rg_card_wechat_dup_logo_url:
 *
 * Returns: (transfer full) (nullable): the logo URL the card is pushed with
 */
char *
rg_card_wechat_dup_logo_url (RgCardWeChat *self)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);

  return read_meta (self, META_LOGO_URL);
}

/**
 * rg_card_wechat_set_logo_url:
 * @url: (nullable): the logo's URL as WeChat's media/uploadimg gave it; %NULL to clear
 */
gboolean
rg_card_wechat_set_logo_url (RgCardWeChat  *self,
                             const char    *url,
                             GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);

  if (url != NULL && !rg_card_register_url_check (url, NULL))
    {
      g_set_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD,
                   _("The logo URL (WeChat “logo_url”) “%s” is not an http(s) URL"), url);
      return FALSE;
    }
  return rg_store_set_meta (self->store, META_LOGO_URL, url, error);
}

/**
 * rg_card_wechat_dup_brand_name:
 *
 * Returns: (transfer full): the name on the WeChat card: the one set for it, else the
 *   shop's name (possibly "")
 */
char *
rg_card_wechat_dup_brand_name (RgCardWeChat *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *name;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);

  if ((name = read_meta (self, META_BRAND_NAME)) != NULL)
    return name;

  stmt = rg_store_prepare (self->store, "SELECT name FROM shop_profile WHERE id = 1", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return g_strdup ("");
}

/**
 * rg_card_wechat_set_brand_name:
 * @brand_name: (nullable): at most %RG_WECHAT_MAX_BRAND_NAME characters; %NULL to use the
 *   shop's name again
 */
gboolean
rg_card_wechat_set_brand_name (RgCardWeChat  *self,
                               const char    *brand_name,
                               GError       **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);

  if (brand_name != NULL)
    {
      trimmed = g_strstrip (g_strdup (brand_name));
      if (!check_field (_("The brand name"), "brand_name", trimmed, RG_WECHAT_MAX_BRAND_NAME,
                        NULL, error))
        return FALSE;
    }
  return rg_store_set_meta (self->store, META_BRAND_NAME, trimmed, error);
}

/**
 * rg_card_wechat_dup_member_code:
 *
 * Returns: (transfer full) (nullable): the code of the member's activated WeChat card, or
 *   %NULL (without an error) when the member has none
 */
char *
rg_card_wechat_dup_member_code (RgCardWeChat  *self,
                                gint64         member_id,
                                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);

  if (!(stmt = rg_store_prepare (self->store,
                                 "SELECT code FROM wechat_card_members WHERE member_id = ?1",
                                 error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  return step_card_code (self->store, stmt, error);
}

typedef void (*ClientReadyFunc) (GTask *task);

static void
task_config_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardWeChat *self = g_task_get_source_object (task);
  ClientReadyFunc next = g_object_get_data (G_OBJECT (task), "rg-next");
  g_autoptr(GHashTable) config = NULL;
  GError *error = NULL;

  config = rg_channel_settings_load_config_finish (RG_CHANNEL_SETTINGS (object), result, &error);
  if (config == NULL || !rg_channel_settings_check_required ("wechat", config, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_client (self, config);
  next (task);
}

/* Calls @next with the client set up from the WeChat settings, or returns the error. */
static void
with_client (GTask           *task,
             ClientReadyFunc  next)
{
  RgCardWeChat *self = g_task_get_source_object (task);

  if (self->client != NULL)
    {
      next (task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "rg-next", next);
  rg_channel_settings_load_config_async (self->settings, "wechat", g_task_get_cancellable (task),
                                         task_config_loaded_cb, g_object_ref (task));
}

static void
design_created_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardWeChat *self = g_task_get_source_object (task);
  PushDesign *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!(data->card_id = rg_wechat_client_create_card_finish (RG_WECHAT_CLIENT (object), result,
                                                             &error)) ||
      !rg_store_set_meta (self->store, META_CARD_ID, data->card_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->created = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
design_updated_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!rg_wechat_client_update_card_finish (RG_WECHAT_CLIENT (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
push_design_with_client (GTask *task)
{
  RgCardWeChat *self = g_task_get_source_object (task);
  PushDesign *data = g_task_get_task_data (task);
  const RgWeChatCardDesign *card = &data->mapped->card;

  if (data->card_id == NULL)
    rg_wechat_client_create_card_async (self->client, card, g_task_get_cancellable (task),
                                        design_created_cb, g_object_ref (task));
  else
    rg_wechat_client_update_card_async (self->client, data->card_id, card,
                                        g_task_get_cancellable (task), design_updated_cb,
                                        g_object_ref (task));
}

/**
 * rg_card_wechat_push_design_async:
 *
 * Creates the WeChat member card from the WeChat design (card/create) and stores its card_id,
 * or updates the card (card/update) when one was created before.
 */
void
rg_card_wechat_push_design_async (RgCardWeChat        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autofree char *brand = NULL;
  g_autofree char *logo = NULL;
  PushDesign *data;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CARD_WECHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_wechat_push_design_async);
  data = g_new0 (PushDesign, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) push_design_free);

  cards = rg_card_store_new (self->store);
  if (!(design = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!rg_card_design_get_enabled (design))
    {
      g_task_return_new_error (task, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_DISABLED,
                               _("The WeChat card design is disabled; enable it before pushing "
                                 "it to WeChat"));
      return;
    }

  brand = rg_card_wechat_dup_brand_name (self);
  logo = rg_card_wechat_dup_logo_url (self);
  if (!(data->mapped = rg_card_wechat_map_design (design, brand, logo, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  data->card_id = rg_card_wechat_dup_card_id (self);

  with_client (task, push_design_with_client);
}

/**
 * rg_card_wechat_push_design_finish:
 * @created: (out) (optional): %TRUE when the card was created, %FALSE when updated
 *
 * Returns: (transfer full): the card_id, or %NULL with @error set
 */
char *
rg_card_wechat_push_design_finish (RgCardWeChat  *self,
                                   GAsyncResult  *result,
                                   gboolean      *created,
                                   GError       **error)
{
  PushDesign *data;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  if (created != NULL)
    *created = data->created;
  return g_strdup (data->card_id);
}

static gboolean
record_activation (RgStore   *store,
                   gpointer   user_data,
                   GError   **error)
{
  Activation *activation = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rg_store_prepare (store,
                           "INSERT INTO wechat_card_members (member_id, card_id, code, "
                           "  ledger_mark, activated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                           "ON CONFLICT (member_id) DO UPDATE SET card_id = excluded.card_id, "
                           "  code = excluded.code, ledger_mark = excluded.ledger_mark, "
                           "  activated_at = excluded.activated_at",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, activation->member_id);
  sqlite3_bind_text (stmt, 2, activation->card_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, activation->code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, activation->ledger_mark);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  if (!rg_store_step_done (store, stmt, error))
    return FALSE;

  /* The card WeChat announced for this openid is the member's now. */
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!(stmt = rg_store_prepare (store,
                                 "DELETE FROM wechat_card_pending WHERE openid = ?1 OR code = ?2",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, activation->openid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, activation->code, -1, SQLITE_STATIC);
  return rg_store_step_done (store, stmt, error);
}

static void
notify_member (RgCardWeChat *self,
               gint64        member_id)
{
  g_autoptr(RgMemberStore) members = rg_member_store_new (self->store);

  rg_member_store_emit_member_changed (members, member_id, RG_MEMBER_CHANGE_CHANNELS);
}

static void
activated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RgCardWeChat *self = g_task_get_source_object (task);
  Activation *activation = g_task_get_task_data (task);
  GError *error = NULL;

  if (!rg_wechat_client_activate_member_finish (RG_WECHAT_CLIENT (object), result, &error) ||
      !ensure_cursor (self, &error) ||
      !rg_store_transaction (self->store, record_activation, activation, &error))
    {
      if (activation->returned)
        {
          g_message ("The WeChat card of member %" G_GINT64_FORMAT " was not activated after "
                     "all: %s", activation->member_id, error->message);
          g_error_free (error);
          return;
        }
      activation->returned = TRUE;
      g_task_return_error (task, error);
      return;
    }

  /* Changes made while WeChat was answering are after the mark: push them now. */
  if (self->running)
    schedule_sync (self);
  notify_member (self, activation->member_id);

  if (activation->returned)
    g_message ("WeChat activated the card of member %" G_GINT64_FORMAT " after the request "
               "was cancelled; it is recorded", activation->member_id);
  else
    {
      activation->returned = TRUE;
      g_task_return_boolean (task, TRUE);
    }
}

static void
activation_cancelled_cb (GCancellable *cancellable,
                         GTask        *task)
{
  Activation *activation = g_task_get_task_data (task);

  if (!activation->returned)
    {
      activation->returned = TRUE;
      g_task_return_error_if_cancelled (task);
    }
}

static void
activate_with_client (GTask *task)
{
  RgCardWeChat *self = g_task_get_source_object (task);
  Activation *activation = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Once asked, WeChat may activate the card whether or not we wait for its answer, and a
   * card whose code is not recorded never gets a balance again. So the request itself is
   * never cancelled and its answer is always recorded; a caller who cancels is answered at
   * once. */
  if (cancellable != NULL)
    {
      activation->cancellable = g_object_ref (cancellable);
      activation->cancelled_id = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (activation_cancelled_cb),
                                                        task, NULL);
    }

  rg_wechat_client_activate_member_async (self->client, activation->card_id, activation->code,
                                          activation->member_number, activation->bonus,
                                          activation->balance, NULL, activated_cb,
                                          g_object_ref (task));
}

/**
 * rg_card_wechat_activate_member_async:
 * @member_id: the member, who must have a member number and a WeChat openid
 * @code: (nullable): the code of the card the member received in WeChat, or %NULL for the
 *   one WeChat sent for the member's openid (rg_card_wechat_dup_pending_code())
 *
 * Activates the member's WeChat card (card/membercard/activate) with their member number,
 * points balance and stored value, and records the code: from then on the member's balance
 * changes are pushed to the card. The pending code of the member's openid is used up.
 * Without @code and without a pending one, fails with %RG_CARD_WECHAT_ERROR_MEMBER.
 */
void
rg_card_wechat_activate_member_async (RgCardWeChat        *self,
                                      gint64               member_id,
                                      const char          *code,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  Activation *activation;
  GError *error = NULL;

  g_return_if_fail (RG_IS_CARD_WECHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_wechat_activate_member_async);
  activation = g_new0 (Activation, 1);
  activation->member_id = member_id;
  activation->code = code != NULL ? g_strstrip (g_strdup (code)) : NULL;
  g_task_set_task_data (task, activation, (GDestroyNotify) activation_free);

  if (activation->code != NULL && activation->code[0] == '\0')
    {
      g_task_return_new_error (task, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_MEMBER,
                               _("The WeChat card code is empty"));
      return;
    }
  if (!(activation->card_id = rg_card_wechat_dup_card_id (self)))
    {
      g_task_return_new_error (task, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_NO_CARD,
                               _("There is no WeChat member card yet; push the WeChat design "
                                 "first (regulars-cli cards push-wechat)"));
      return;
    }

  /* The mark is read with the totals: what changes after is pushed, what came before is in
   * the totals sent now. */
  members = rg_member_store_new (self->store);
  if (!read_max_ledger_id (self->store, &activation->ledger_mark, &error) ||
      !(member = rg_member_store_get (members, member_id, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (rg_member_get_member_number (member) == NULL ||
      rg_member_get_member_number (member)[0] == '\0')
    {
      g_task_return_new_error (task, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_MEMBER,
                               _("Member %lld has no member number, which the WeChat card "
                                 "shows"),
                               (long long) member_id);
      return;
    }
  if (rg_member_get_wechat_openid (member) == NULL)
    {
      g_task_return_new_error (task, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_MEMBER,
                               _("Member “%s” has no WeChat openid"),
                               rg_member_get_member_number (member));
      return;
    }

  if (activation->code == NULL &&
      !(activation->code = rg_card_wechat_dup_pending_code (self, member_id, &error)))
    {
      if (error == NULL)
        error = g_error_new (RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_MEMBER,
                             _("Member “%s” has not received the WeChat card yet; its code "
                               "arrives when the customer takes the card in WeChat (with the "
                               "service running and the WeChat server URL set), or enter the "
                               "code shown on their card"),
                             rg_member_get_member_number (member));
      g_task_return_error (task, error);
      return;
    }

  activation->openid = g_strdup (rg_member_get_wechat_openid (member));
  activation->member_number = g_strdup (rg_member_get_member_number (member));
  activation->bonus = rg_member_get_points_balance (member);
  activation->balance = rg_member_get_stored_value (member);

  with_client (task, activate_with_client);
}

gboolean
rg_card_wechat_activate_member_finish (RgCardWeChat  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rg_card_wechat_start:
 *
 * Starts pushing balance changes: at once for this process's member stores, every minute for
 * other processes, and now for everything queued (a restart retries what failed for a
 * passing reason). Call only in the process that runs the service.
 */
void
rg_card_wechat_start (RgCardWeChat *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Hook *hook;

  g_return_if_fail (RG_IS_CARD_WECHAT (self));

  if (self->running)
    return;

  if (!ensure_cursor (self, &error))
    g_warning ("WeChat card updates: %s", error->message);
  g_clear_error (&error);

  if (!(stmt = rg_store_prepare (self->store,
                                 "UPDATE wechat_card_pushes SET next_attempt_at = 0 "
                                 "WHERE state = 'pending'",
                                 &error)) ||
      !rg_store_step_done (self->store, stmt, &error))
    g_warning ("WeChat card updates: %s", error->message);

  self->running = TRUE;

  self->member_store_class = g_type_class_ref (RG_TYPE_MEMBER_STORE);
  self->signal_id = g_signal_lookup ("balance-changed", RG_TYPE_MEMBER_STORE);
  hook = g_atomic_rc_box_new0 (Hook);
  g_weak_ref_init (&hook->self, self);
  hook->context = g_main_context_ref_thread_default ();
  hook->path = g_strdup (rg_store_get_path (self->store));
  self->hook_id = g_signal_add_emission_hook (self->signal_id, 0, balance_changed_hook, hook,
                                              hook_release);

  self->poll_source = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  g_source_set_name_by_id (self->poll_source, "[rg-card-wechat] poll");

  schedule_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * rg_card_wechat_stop:
 *
 * Stops pushing; an update in flight is cancelled and stays queued.
 */
void
rg_card_wechat_stop (RgCardWeChat *self)
{
  g_return_if_fail (RG_IS_CARD_WECHAT (self));

  if (!self->running)
    return;

  self->running = FALSE;
  if (self->hook_id != 0)
    g_signal_remove_emission_hook (self->signal_id, self->hook_id);
  self->hook_id = 0;
  g_clear_pointer (&self->member_store_class, g_type_class_unref);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
rg_card_wechat_get_running (RgCardWeChat *self)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);

  return self->running;
}

gboolean
rg_card_wechat_get_busy (RgCardWeChat *self)
{
  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);

  return self->busy;
}

/**
 * rg_card_wechat_sync_async:
 *
 * Queues the ledger changes not seen yet and sends every update that is due, whether or
 * not rg_card_wechat_start() was called.
 */
void
rg_card_wechat_sync_async (RgCardWeChat        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RG_IS_CARD_WECHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_card_wechat_sync_async);
  g_ptr_array_add (self->waiters, task);
  schedule_sync (self);
}

/**
 * rg_card_wechat_sync_finish:
 * @pushed: (out) (optional): how many updates WeChat accepted in the round
 */
gboolean
rg_card_wechat_sync_finish (RgCardWeChat  *self,
                            GAsyncResult  *result,
                            guint         *pushed,
                            GError       **error)
{
  gssize n;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (pushed != NULL)
    *pushed = (guint) n;
  return TRUE;
}

/**
 * rg_card_wechat_count_pushes:
 * @pending: (out) (optional): updates waiting to be sent (or retried)
 * @failed: (out) (optional): updates WeChat refused, kept with its message
 */
gboolean
rg_card_wechat_count_pushes (RgCardWeChat  *self,
                             guint         *pending,
                             guint         *failed,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), FALSE);

  if (!(stmt = rg_store_prepare (self->store,
                                 "SELECT count (*) FILTER (WHERE state = 'pending'), "
                                 "  count (*) FILTER (WHERE state = 'failed') "
                                 "FROM wechat_card_pushes",
                                 error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rg_store_set_error_from_db (self->store, error, _("reading the WeChat card updates"));
      return FALSE;
    }
  if (pending != NULL)
    *pending = (guint) sqlite3_column_int (stmt, 0);
  if (failed != NULL)
    *failed = (guint) sqlite3_column_int (stmt, 1);
  return TRUE;
}

/**
 * rg_card_wechat_dup_pending_code:
 * @member_id: a member
 *
 * The code of the card WeChat announced (user_get_card) for the member's openid and that is
 * not activated yet: rg_card_wechat_activate_member_async() with no code uses it.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL (without an error) when there is
 *   none: no openid, no card taken yet, or the card is activated
 */
char *
rg_card_wechat_dup_pending_code (RgCardWeChat  *self,
                                 gint64         member_id,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *card_id = NULL;

  g_return_val_if_fail (RG_IS_CARD_WECHAT (self), NULL);

  if (!(card_id = rg_card_wechat_dup_card_id (self)))
    return NULL;

  if (!(stmt = rg_store_prepare (self->store,
                                 "SELECT p.code FROM members m "
                                 "JOIN wechat_card_pending p ON p.openid = m.wechat_openid "
                                 "WHERE m.id = ?1 AND m.deleted_at IS NULL AND p.card_id = ?2 "
                                 "  AND NOT EXISTS (SELECT 1 FROM wechat_card_members w "
                                 "                  WHERE w.member_id = m.id "
                                 "                    AND w.code = p.code)",
                                 error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, card_id, -1, SQLITE_STATIC);
  return step_card_code (self->store, stmt, error);
}

typedef struct
{
  const char *openid;
  const char *card_id;
  const char *code;
  gint64      received_at;
  gint64      member_id;
} CardEvent;

static gboolean
keep_pending (RgStore   *store,
              gpointer   user_data,
              GError   **error)
{
  CardEvent *event = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = rg_store_prepare (store,
                                 "INSERT INTO wechat_card_pending (openid, card_id, code, "
                                 "  received_at) VALUES (?1, ?2, ?3, ?4) "
                                 "ON CONFLICT (openid) DO UPDATE SET card_id = excluded.card_id, "
                                 "  code = excluded.code, received_at = excluded.received_at",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, event->openid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->card_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, event->received_at);
  return rg_store_step_done (store, stmt, error);
}

/* @sql with the card of @event bound: ?1 its card_id, ?2 its code. */
static sqlite3_stmt *
prepare_for_card (RgStore     *store,
                  const char  *sql,
                  CardEvent   *event,
                  GError     **error)
{
  sqlite3_stmt *stmt = rg_store_prepare (store, sql, error);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, event->card_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, event->code, -1, SQLITE_STATIC);
    }
  return stmt;
}

/* The card is gone from the customer's WeChat: nothing more is pushed to it. */
static gboolean
forget_card (RgStore   *store,
             gpointer   user_data,
             GError   **error)
{
  CardEvent *event = user_data;
  const char * const sql[] = {
    "DELETE FROM wechat_card_pushes WHERE member_id IN "
    "  (SELECT member_id FROM wechat_card_members WHERE card_id = ?1 AND code = ?2)",
    "DELETE FROM wechat_card_members WHERE card_id = ?1 AND code = ?2",
    "DELETE FROM wechat_card_pending WHERE card_id = ?1 AND code = ?2",
  };
  g_autoptr(sqlite3_stmt) select = NULL;
  int rc;

  if (!(select = prepare_for_card (store,
                                   "SELECT member_id FROM wechat_card_members "
                                   "WHERE card_id = ?1 AND code = ?2",
                                   event, error)))
    return FALSE;
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    event->member_id = sqlite3_column_int64 (select, 0);
  else if (rc != SQLITE_DONE)
    {
      _rg_store_set_error_from_db (store, error, _("reading a WeChat card code"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = prepare_for_card (store, sql[i], event, error);

      if (stmt == NULL || !rg_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static void
emit_event_handled (RgCardWeChat *self,
                    const char   *event,
                    const char   *openid,
                    gint64        member_id,
                    const GError *error)
{
  /* The member's card changed state (received, activated, removed): views show it. */
  if (member_id != 0)
    notify_member (self, member_id);
  g_signal_emit (self, signals[EVENT_HANDLED], 0, event, openid, member_id, error);
}

typedef struct
{
  char   *openid;
  char   *member_number;
  gint64  member_id;
} EventActivation;

static void
event_activation_free (EventActivation *data)
{
  g_free (data->openid);
  g_free (data->member_number);
  g_free (data);
}

static void
event_activated_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RgCardWeChat *self = RG_CARD_WECHAT (object);
  EventActivation *data = user_data;
  g_autoptr(GError) error = NULL;

  if (rg_card_wechat_activate_member_finish (self, result, &error))
    g_info ("Activated the WeChat member card of member “%s”", data->member_number);
  else
    g_warning ("Could not activate the WeChat member card of member “%s”; its code is kept for "
               "a later activation: %s", data->member_number, error->message);

  emit_event_handled (self, "user_get_card", data->openid, data->member_id, error);
  event_activation_free (data);
}

static void
card_received (RgCardWeChat *self,
               CardEvent    *event)
{
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GError) error = NULL;
  EventActivation *data;
  const char *number;

  /* Kept first: whatever happens next, the code is not lost. */
  if (!rg_store_transaction (self->store, keep_pending, event, &error))
    {
      g_warning ("Could not keep the code of the WeChat member card taken by %s: %s",
                 event->openid, error->message);
      emit_event_handled (self, "user_get_card", event->openid, 0, error);
      return;
    }

  members = rg_member_store_new (self->store);
  if (!(member = rg_member_store_find_by_wechat_openid (members, event->openid, &error)))
    {
      if (error != NULL)
        g_warning ("Could not look up the member with WeChat openid %s: %s", event->openid,
                   error->message);
      else
        g_message ("WeChat user %s took the member card; no member has this openid yet, so its "
                   "code is kept for a later activation", event->openid);
      emit_event_handled (self, "user_get_card", event->openid, 0, error);
      return;
    }

  number = rg_member_get_member_number (member);
  if (number == NULL || number[0] == '\0')
    {
      g_message ("WeChat user %s took the member card; member %" G_GINT64_FORMAT " has no "
                 "member number yet, so its code is kept for a later activation",
                 event->openid, rg_member_get_id (member));
      emit_event_handled (self, "user_get_card", event->openid, rg_member_get_id (member), NULL);
      return;
    }

  data = g_new0 (EventActivation, 1);
  data->openid = g_strdup (event->openid);
  data->member_number = g_strdup (number);
  data->member_id = rg_member_get_id (member);
  rg_card_wechat_activate_member_async (self, data->member_id, event->code, NULL,
                                        event_activated_cb, data);
}

static void
card_deleted (RgCardWeChat *self,
              CardEvent    *event)
{
  g_autoptr(GError) error = NULL;

  if (!rg_store_transaction (self->store, forget_card, event, &error))
    g_warning ("Could not forget the WeChat member card %s removed by %s: %s", event->code,
               event->openid, error->message);
  else if (event->member_id != 0)
    g_info ("Member %" G_GINT64_FORMAT " removed the WeChat member card; its updates stop",
            event->member_id);

  emit_event_handled (self, "user_del_card", event->openid, event->member_id, error);
}

static void
server_wechat_event_cb (RgCardWeChat *self,
                        GHashTable   *fields,
                        RgServer     *server)
{
  g_autofree char *card_id = NULL;
  const char *name = g_hash_table_lookup (fields, "Event");
  const char *time;
  CardEvent event = { 0, };

  if (g_strcmp0 (g_hash_table_lookup (fields, "MsgType"), "event") != 0 || name == NULL ||
      (!g_str_equal (name, "user_get_card") && !g_str_equal (name, "user_del_card")))
    return;

  event.openid = g_hash_table_lookup (fields, "FromUserName");
  event.card_id = g_hash_table_lookup (fields, "CardId");
  event.code = g_hash_table_lookup (fields, "UserCardCode");
  time = g_hash_table_lookup (fields, "CreateTime");
  event.received_at = time != NULL ? g_ascii_strtoll (time, NULL, 10) : now_seconds ();

  card_id = rg_card_wechat_dup_card_id (self);
  if (card_id == NULL || g_strcmp0 (event.card_id, card_id) != 0)
    {
      g_debug ("Ignoring WeChat's %s for card %s: not the shop's member card (%s)", name,
               event.card_id != NULL ? event.card_id : "(none)",
               card_id != NULL ? card_id : "none pushed");
      return;
    }
  if (event.code == NULL || event.code[0] == '\0')
    {
      g_message ("Ignoring WeChat's %s from %s: it carries no UserCardCode", name, event.openid);
      return;
    }

  if (g_str_equal (name, "user_get_card"))
    card_received (self, &event);
  else
    card_deleted (self, &event);
}

/**
 * rg_card_wechat_attach:
 * @server: the server whose /webhook/wechat receives WeChat's events
 *
 * Follows the card events of the shop's card (#RgServer::wechat-event): a card taken
 * (user_get_card) activates the member with that openid, or keeps its code as pending; a
 * card removed (user_del_card) stops its updates. Other cards' events are ignored.
 */
void
rg_card_wechat_attach (RgCardWeChat *self,
                       RgServer     *server)
{
  g_return_if_fail (RG_IS_CARD_WECHAT (self));
  g_return_if_fail (RG_IS_SERVER (server));

  g_signal_connect_object (server, "wechat-event", G_CALLBACK (server_wechat_event_cb), self,
                           G_CONNECT_SWAPPED);
}
