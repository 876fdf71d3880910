/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-csv-mapping.h"
#include "rg-csv-writer.h"
#include "rg-progress-relay.h"
#include "rg-format.h"
#include "rg-fts.h"
#include "rg-member-exporter.h"
#include "rg-member-store-private.h"
#include "rg-phone.h"

/*
 * RgMemberExporter: members to a CSV file, all of them or those a search finds (the members
 * list's own search), in the columns chosen.
 *
 * The file is what the importer reads back: headers are the field labels the importer
 * guesses, phones of the shop's own region are written the local way (“0912 345 678”) and
 * others with their country code (“+852 9123 4567”), stored value is in major units
 * (“1200.50”), created dates are local to the shop (“2024-01-31 13:45:10”), tags are joined
 * with “, ”. Cells that a spreadsheet would run as formulas get an apostrophe (the importer
 * takes it off).
 *
 * The export runs on a worker thread with its own connection, in one read transaction so
 * the file is one consistent snapshot. It is written to a hidden file beside the
 * destination and renamed over it at the end: a failed or cancelled export leaves the
 * destination as it was.
 */

#define PROGRESS_INTERVAL_USEC (100 * 1000)
#define PROGRESS_ROWS 256

static const char * const standard_columns[] = {
  "member_number",
  "name",
  "phone",
  "email",
  "accumulated_points",
  "points_balance",
  "stored_value",
  "tags",
  "note",
  "line_user_id",
  "whatsapp_id",
  "wechat_openid",
  "created_at",
  NULL
};

struct _RgMemberExporter
{
  GObject    parent_instance;

  RgStore   *store;
  char      *search;
  char     **columns;
  gboolean   bom;

  double     progress;
  guint64    rows_done;
  gboolean   running;

  /* Handed from the worker to the caller's thread. */
  RgProgressRelay progress_relay;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_BOM,
  PROP_PROGRESS,
  PROP_ROWS_DONE,
  PROP_RUNNING,
  N_PROPS
};

typedef struct
{
  RgMemberExporter *self;
  GMainContext     *context;
  char             *db_path;
  GFile            *destination;
  char             *search;
  char            **columns;
  gboolean          bom;

  GFile            *partial;
  GTimeZone        *timezone;
  char             *region;
  guint             money_digits;
  guint64           total;
  guint64           n_rows;
  gint64            last_progress;
} RunData;

G_DEFINE_FINAL_TYPE (RgMemberExporter, rg_member_exporter, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  if (run->partial != NULL)
    g_file_delete (run->partial, NULL, NULL);
  g_clear_object (&run->partial);
  g_clear_pointer (&run->timezone, g_time_zone_unref);
  g_clear_pointer (&run->region, g_free);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->db_path, g_free);
  g_clear_object (&run->destination);
  g_clear_pointer (&run->search, g_free);
  g_clear_pointer (&run->columns, g_strfreev);
  g_free (run);
}

static void
set_progress (RgMemberExporter *self,
              double            progress,
              guint64           rows_done)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (self->rows_done != rows_done)
    {
      self->rows_done = rows_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_DONE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
post_progress (RunData *run,
               double   progress,
               guint64  rows)
{
  rg_progress_relay_post (&run->self->progress_relay, G_OBJECT (run->self), run->context,
                          progress, rows);
}

typedef struct
{
  RgMemberExporter *self;
  gboolean          finished;
  guint64           rows;
} DoneData;

static gboolean
deliver_done (gpointer user_data)
{
  DoneData *done = user_data;
  RgMemberExporter *self = done->self;

  rg_progress_relay_set (&self->progress_relay, done->finished ? 1.0 : self->progress,
                         done->rows);

  self->running = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, done->finished ? 1.0 : self->progress, done->rows);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
done_data_free (gpointer data)
{
  DoneData *done = data;

  g_clear_object (&done->self);
  g_free (done);
}

/* Ahead of the task's callback (higher priority), so the callback sees the final state. */
static void
post_done (RunData  *run,
           gboolean  finished)
{
  DoneData *done = g_new0 (DoneData, 1);

  done->self = g_object_ref (run->self);
  done->finished = finished;
  done->rows = run->n_rows;
  g_main_context_invoke_full (run->context, G_PRIORITY_HIGH, deliver_done, done,
                              done_data_free);
}

/* The members list's search: blank is everyone, text with nothing searchable is no one. */
static gboolean
build_match (const char  *search,
             char       **match)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (search != NULL ? search : ""));

  *match = NULL;
  if (trimmed[0] == '\0')
    return TRUE;
  *match = rg_fts_build_query (trimmed);
  return *match != NULL;
}

/* In major units without grouping, decimals only when there are some: "1200", "1200.50". */
static char *
format_money (gint64 minor_units,
              guint  digits)
{
  gint64 scale = 1;

  for (guint i = 0; i < digits; i++)
    scale *= 10;
  if (minor_units % scale == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minor_units / scale);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, minor_units / scale,
                          (int) digits, minor_units % scale);
}

static char *
format_cell (RunData    *run,
             RgMember   *member,
             const char *column)
{
  if (g_str_has_prefix (column, RG_CSV_FIELD_ATTR_PREFIX))
    return g_strdup (rg_member_get_attribute (member, column + strlen (RG_CSV_FIELD_ATTR_PREFIX)));

  if (g_str_equal (column, "member_number"))
    return g_strdup (rg_member_get_member_number (member));
  if (g_str_equal (column, "name"))
    return g_strdup (rg_member_get_name (member));
  if (g_str_equal (column, "phone"))
    {
      const char *phone = rg_member_get_phone (member);
      g_autofree char *region = phone != NULL ? rg_phone_region_of (phone) : NULL;
      char *formatted = NULL;

      /* The shop's own numbers the local way, which reads back with the default region;
       * others with their country code. */
      if (phone != NULL && g_strcmp0 (region, run->region) == 0)
        formatted = rg_phone_format_national (phone);
      else if (phone != NULL)
        formatted = rg_phone_format_international (phone);
      return formatted != NULL ? formatted : g_strdup (phone);
    }
  if (g_str_equal (column, "email"))
    return g_strdup (rg_member_get_email (member));
  if (g_str_equal (column, "accumulated_points"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, rg_member_get_accumulated_points (member));
  if (g_str_equal (column, "points_balance"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, rg_member_get_points_balance (member));
  if (g_str_equal (column, "stored_value"))
    return format_money (rg_member_get_stored_value (member), run->money_digits);
  if (g_str_equal (column, "tags"))
    {
      const char * const *tags = rg_member_get_tags (member);

      return tags != NULL ? g_strjoinv (", ", (char **) tags) : NULL;
    }
  if (g_str_equal (column, "note"))
    return g_strdup (rg_member_get_note (member));
  if (g_str_equal (column, "line_user_id"))
    return g_strdup (rg_member_get_line_user_id (member));
  if (g_str_equal (column, "whatsapp_id"))
    return g_strdup (rg_member_get_whatsapp_id (member));
  if (g_str_equal (column, "wechat_openid"))
    return g_strdup (rg_member_get_wechat_openid (member));
  if (g_str_equal (column, "created_at"))
    {
      gint64 created_at = rg_member_get_created_at (member);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (created_at);
      g_autoptr(GDateTime) local = NULL;

      if (utc != NULL)
        local = g_date_time_to_timezone (utc, run->timezone);

      return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;
    }

  g_assert_not_reached ();
}

static char *
column_label (GHashTable *labels,
              const char *column)
{
  const char *label;

  if (g_str_has_prefix (column, RG_CSV_FIELD_ATTR_PREFIX) &&
      (label = g_hash_table_lookup (labels, column + strlen (RG_CSV_FIELD_ATTR_PREFIX))) != NULL)
    return g_strdup (label);
  if ((label = rg_csv_field_get_label (column)) != NULL)
    return g_strdup (label);
  return g_strdup (column);
}

/* The custom attributes, key → label, in display order into @keys when given. */
static GHashTable *
read_attributes (RgMemberStore  *members,
                 GPtrArray      *keys,
                 GError        **error)
{
  g_autoptr(GListModel) definitions = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if ((definitions = rg_member_store_list_attributes (members, error)) == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (definitions); i++)
    {
      g_autoptr(RgAttributeDefinition) definition = g_list_model_get_item (definitions, i);
      const char *key = rg_attribute_definition_get_key (definition);

      g_hash_table_insert (labels, g_strdup (key),
                           g_strdup (rg_attribute_definition_get_label (definition)));
      if (keys != NULL)
        g_ptr_array_add (keys, g_strconcat (RG_CSV_FIELD_ATTR_PREFIX, key, NULL));
    }

  return g_steal_pointer (&labels);
}

static void
read_shop_settings (RunData *run,
                    RgStore *store)
{
  g_autofree char *currency = rg_store_dup_currency (store);

  run->timezone = rg_store_dup_timezone (store);
  run->region = rg_store_dup_default_region (store);
  run->money_digits = rg_currency_get_digits (currency);
}

static gboolean
count_members (RunData     *run,
               RgStore     *store,
               const char  *match,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = rg_store_prepare (store,
                           match != NULL
                           ? "SELECT count(*) FROM members m WHERE m.deleted_at IS NULL AND m.id IN"
                             " (SELECT rowid FROM members_fts WHERE members_fts MATCH ?1)"
                           : "SELECT live FROM member_count WHERE id = 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    run->total = MAX (0, sqlite3_column_int64 (stmt, 0));
  return TRUE;
}

/* A hidden file beside the destination, so the final rename stays on one file system. */
static GFileOutputStream *
create_partial (RunData       *run,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (run->destination);
  g_autofree char *basename = g_file_get_basename (run->destination);

  if (parent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           _("Cannot export to the root folder"));
      return NULL;
    }

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = g_strdup_printf (".%s.%08x.partial", basename, g_random_int ());
      g_autoptr(GFile) partial = g_file_get_child (parent, name);
      GFileOutputStream *stream;

      stream = g_file_create (partial, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream != NULL)
        {
          run->partial = g_steal_pointer (&partial);
          return stream;
        }
      if (attempt >= 10 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

static gboolean
export_rows (RunData        *run,
             RgStore        *store,
             RgCsvWriter    *writer,
             const char     *match,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n_columns = g_strv_length (run->columns);
  g_autofree char **cells = g_new0 (char *, n_columns + 1);
  int rc;

  stmt = rg_store_prepare (store,
                           match != NULL
                           ? "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
                             " WHERE m.deleted_at IS NULL AND m.id IN"
                             " (SELECT rowid FROM members_fts WHERE members_fts MATCH ?1)"
                             " ORDER BY m.id"
                           : "SELECT " RG_MEMBER_SELECT_COLUMNS " FROM members m"
                             " WHERE m.deleted_at IS NULL ORDER BY m.id",
                           error);
  if (stmt == NULL)
    return FALSE;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RgMember) member = _rg_member_store_member_from_row (stmt);
      gboolean written;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint i = 0; i < n_columns; i++)
        cells[i] = format_cell (run, member, run->columns[i]);
      written = rg_csv_writer_write_row (writer, (const char * const *) cells, n_columns,
                                         cancellable, error);
      for (guint i = 0; i < n_columns; i++)
        g_clear_pointer (&cells[i], g_free);
      if (!written)
        return FALSE;

      run->n_rows++;
      if (run->n_rows % PROGRESS_ROWS == 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (now - run->last_progress >= PROGRESS_INTERVAL_USEC)
            {
              run->last_progress = now;
              post_progress (run,
                             run->total > 0 ? MIN (0.99, (double) run->n_rows / run->total) : 0.0,
                             run->n_rows);
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RG_STORE_ERROR, RG_STORE_ERROR_SQL,
                   _("Could not read the members of “%s”: %s"),
                   run->db_path, sqlite3_errmsg (rg_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
export (RunData       *run,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(GHashTable) labels = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(RgCsvWriter) writer = NULL;
  g_autofree char *match = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  RgCsvWriterFlags flags = run->bom ? RG_CSV_WRITER_BOM : RG_CSV_WRITER_FLAGS_NONE;
  gboolean ok;

  if ((store = rg_store_open (run->db_path, error)) == NULL)
    return FALSE;
  members = rg_member_store_new (store);

  if (run->columns == NULL)
    {
      g_autoptr(GPtrArray) columns = g_ptr_array_new_null_terminated (32, g_free, TRUE);

      for (guint i = 0; standard_columns[i] != NULL; i++)
        g_ptr_array_add (columns, g_strdup (standard_columns[i]));
      if ((labels = read_attributes (members, columns, error)) == NULL)
        return FALSE;
      run->columns = (char **) g_ptr_array_steal (columns, NULL);
    }
  else if ((labels = read_attributes (members, NULL, error)) == NULL)
    return FALSE;

  read_shop_settings (run, store);

  if ((stream = create_partial (run, cancellable, error)) == NULL)
    return FALSE;
  writer = rg_csv_writer_new (G_OUTPUT_STREAM (stream), flags);

  for (guint i = 0; run->columns[i] != NULL; i++)
    g_ptr_array_add (header, column_label (labels, run->columns[i]));
  if (!rg_csv_writer_write_row (writer, (const char * const *) header->pdata, header->len,
                                cancellable, error))
    return FALSE;

  /* One snapshot: rows committed meanwhile by others do not half appear. */
  if (!rg_store_exec (store, "BEGIN", error))
    return FALSE;
  ok = (!build_match (run->search, &match) ||
        (count_members (run, store, match, error) &&
         export_rows (run, store, writer, match, cancellable, error)));
  rg_store_exec (store, "COMMIT", NULL);
  if (!ok)
    return FALSE;

  if (!rg_csv_writer_close (writer, cancellable, error))
    return FALSE;

  if (!g_file_move (run->partial, run->destination,
                    G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    cancellable, NULL, NULL, error))
    return FALSE;
  g_clear_object (&run->partial);
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  g_autoptr(GError) error = NULL;

  if (!export (run, cancellable, &error))
    {
      /* What was written goes; the destination is untouched. */
      if (run->partial != NULL)
        g_file_delete (run->partial, NULL, NULL);
      g_clear_object (&run->partial);
      post_done (run, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  post_done (run, TRUE);
  g_task_return_int (task, (gssize) MIN (run->n_rows, (guint64) G_MAXSSIZE));
}

static void
rg_member_exporter_dispose (GObject *object)
{
  RgMemberExporter *self = (RgMemberExporter *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_member_exporter_parent_class)->dispose (object);
}

static void
rg_member_exporter_finalize (GObject *object)
{
  RgMemberExporter *self = (RgMemberExporter *)object;

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->columns, g_strfreev);
  rg_progress_relay_clear (&self->progress_relay);

  G_OBJECT_CLASS (rg_member_exporter_parent_class)->finalize (object);
}

static void
rg_member_exporter_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RgMemberExporter *self = RG_MEMBER_EXPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_BOM:
      g_value_set_boolean (value, self->bom);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_ROWS_DONE:
      g_value_set_uint64 (value, self->rows_done);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_exporter_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RgMemberExporter *self = RG_MEMBER_EXPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SEARCH:
      rg_member_exporter_set_search (self, g_value_get_string (value));
      break;

    case PROP_BOM:
      rg_member_exporter_set_bom (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_member_exporter_class_init (RgMemberExporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_member_exporter_dispose;
  object_class->finalize = rg_member_exporter_finalize;
  object_class->get_property = rg_member_exporter_get_property;
  object_class->set_property = rg_member_exporter_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberExporter:search:
   * Export the members this search of the members list finds; %NULL or blank for all.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RgMemberExporter:bom:
   * Start the file with a UTF-8 byte order mark, without which Excel misreads Chinese.
   */
  properties[PROP_BOM] =
    g_param_spec_boolean ("bom", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ROWS_DONE] =
    g_param_spec_uint64 ("rows-done", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_member_exporter_init (RgMemberExporter *self)
{
  rg_progress_relay_init (&self->progress_relay, (RgProgressRelayFunc) set_progress);
}

/**
 * rg_member_export_standard_columns:
 *
 * Returns: (transfer none): the member fields an export can have besides custom attributes
 *   ("attr:<key>"), in their default order, %NULL-terminated
 */
const char * const *
rg_member_export_standard_columns (void)
{
  return standard_columns;
}

/**
 * rg_member_exporter_new:
 * @store: the database to export from
 *
 * Returns: (transfer full): a new exporter of every member in every column
 */
RgMemberExporter *
rg_member_exporter_new (RgStore *store)
{
  g_return_val_if_fail (RG_IS_STORE (store), NULL);

  return g_object_new (RG_TYPE_MEMBER_EXPORTER, "store", store, NULL);
}

RgStore *
rg_member_exporter_get_store (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), NULL);

  return self->store;
}

const char *
rg_member_exporter_get_search (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), NULL);

  return self->search;
}

void
rg_member_exporter_set_search (RgMemberExporter *self,
                               const char       *search)
{
  g_return_if_fail (RG_IS_MEMBER_EXPORTER (self));

  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

/**
 * rg_member_exporter_dup_available_columns:
 *
 * Reads the custom attributes of the caller's database (a small query).
 *
 * Returns: (transfer full): the standard columns, then "attr:<key>" of each custom
 *   attribute in display order; %NULL with @error set when they cannot be read
 */
char **
rg_member_exporter_dup_available_columns (RgMemberExporter  *self,
                                          GError           **error)
{
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(GHashTable) labels = NULL;
  g_autoptr(GPtrArray) columns = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), NULL);

  members = rg_member_store_new (self->store);
  columns = g_ptr_array_new_null_terminated (32, g_free, TRUE);
  for (guint i = 0; standard_columns[i] != NULL; i++)
    g_ptr_array_add (columns, g_strdup (standard_columns[i]));
  if ((labels = read_attributes (members, columns, error)) == NULL)
    return NULL;
  return (char **) g_ptr_array_steal (columns, NULL);
}

/**
 * rg_member_exporter_dup_column_label:
 * @column: a standard column or "attr:<key>"
 *
 * Returns: (transfer full): the header the column gets: its translated label, or the
 *   custom attribute's label
 */
char *
rg_member_exporter_dup_column_label (RgMemberExporter *self,
                                     const char       *column)
{
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgAttributeDefinition) definition = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  if (!g_str_has_prefix (column, RG_CSV_FIELD_ATTR_PREFIX))
    {
      const char *label = rg_csv_field_get_label (column);

      return g_strdup (label != NULL ? label : column);
    }

  members = rg_member_store_new (self->store);
  definition = rg_member_store_lookup_attribute (members,
                                                 column + strlen (RG_CSV_FIELD_ATTR_PREFIX),
                                                 NULL);
  if (definition == NULL)
    return g_strdup (column + strlen (RG_CSV_FIELD_ATTR_PREFIX));
  return g_strdup (rg_attribute_definition_get_label (definition));
}

/**
 * rg_member_exporter_get_columns:
 *
 * Returns: (transfer none) (nullable): the chosen columns, or %NULL for the default: every
 *   standard column and every custom attribute
 */
const char * const *
rg_member_exporter_get_columns (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), NULL);

  return (const char * const *) self->columns;
}

/**
 * rg_member_exporter_set_columns:
 * @columns: (nullable): standard columns (rg_member_export_standard_columns()) and
 *   "attr:<key>" of custom attributes, in the order wanted; %NULL for the default
 *
 * Returns: %FALSE with %RG_CSV_ERROR_UNKNOWN_FIELD naming the first unknown column, or
 *   %RG_CSV_ERROR_DUPLICATE_FIELD for a column given twice; nothing changes then
 */
gboolean
rg_member_exporter_set_columns (RgMemberExporter    *self,
                                const char * const  *columns,
                                GError             **error)
{
  g_auto(GStrv) available = NULL;

  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (columns != NULL)
    {
      if (columns[0] == NULL)
        {
          g_set_error_literal (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD,
                               _("Choose at least one column to export"));
          return FALSE;
        }

      if ((available = rg_member_exporter_dup_available_columns (self, error)) == NULL)
        return FALSE;

      for (guint i = 0; columns[i] != NULL; i++)
        {
          if (!g_strv_contains ((const char * const *) available, columns[i]))
            {
              g_autofree char *list = g_strjoinv (", ", available);

              g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD,
                           /* Translators: a column name, then the list of them */
                           _("There is no column “%s” to export; the columns are %s"),
                           columns[i], list);
              return FALSE;
            }
          for (guint j = 0; j < i; j++)
            if (g_str_equal (columns[i], columns[j]))
              {
                g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_DUPLICATE_FIELD,
                             _("The column “%s” is chosen twice"), columns[i]);
                return FALSE;
              }
        }
    }

  g_strfreev (self->columns);
  self->columns = g_strdupv ((char **) columns);
  return TRUE;
}

gboolean
rg_member_exporter_get_bom (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), FALSE);

  return self->bom;
}

void
rg_member_exporter_set_bom (RgMemberExporter *self,
                            gboolean          bom)
{
  g_return_if_fail (RG_IS_MEMBER_EXPORTER (self));

  bom = !!bom;
  if (self->bom == bom)
    return;
  self->bom = bom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOM]);
}

double
rg_member_exporter_get_progress (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), 0.0);

  return self->progress;
}

guint64
rg_member_exporter_get_rows_done (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), 0);

  return self->rows_done;
}

gboolean
rg_member_exporter_get_running (RgMemberExporter *self)
{
  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), FALSE);

  return self->running;
}

/**
 * rg_member_exporter_run_async:
 * @destination: the CSV file to write; replaced when the export succeeds
 * @cancellable: (nullable): cancels the export; @destination is left as it was
 *
 * Writes the members on a worker thread. #RgMemberExporter:progress and
 * #RgMemberExporter:rows-done are notified on the caller's thread-default main context.
 */
void
rg_member_exporter_run_async (RgMemberExporter    *self,
                              GFile               *destination,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (RG_IS_MEMBER_EXPORTER (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_member_exporter_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("An export is running already"));
      return;
    }

  run = g_new0 (RunData, 1);
  run->self = self;
  run->context = g_main_context_ref_thread_default ();
  run->db_path = g_strdup (rg_store_get_path (self->store));
  run->destination = g_file_dup (destination);
  run->search = g_strdup (self->search);
  run->columns = g_strdupv (self->columns);
  run->bom = self->bom;
  g_task_set_task_data (task, run, run_data_free);

  rg_progress_relay_set (&self->progress_relay, 0.0, 0);

  self->running = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, 0.0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_run_in_thread (task, run_thread);
}

/**
 * rg_member_exporter_run_finish:
 * @n_rows: (out) (optional): the number of members written
 *
 * Returns: %TRUE when the file is complete in its place; %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled), the destination then as it was
 */
gboolean
rg_member_exporter_run_finish (RgMemberExporter  *self,
                               GAsyncResult      *result,
                               guint64           *n_rows,
                               GError           **error)
{
  gssize rows;

  g_return_val_if_fail (RG_IS_MEMBER_EXPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_member_exporter_run_async,
                        FALSE);

  rows = g_task_propagate_int (G_TASK (result), error);
  if (n_rows != NULL)
    *n_rows = rows >= 0 ? (guint64) rows : 0;
  return rows >= 0;
}
