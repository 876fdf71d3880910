/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-import"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rg-member-importer-private.h"
#include "rg-phone.h"

/*
 * The reading side of RgMemberImporter: a thread that reads the CSV file, turns each row
 * into a member checked by rg_member_store_validate() on a connection that only reads, and
 * hands the rows to the writing thread in file order, a chunk at a time, at most
 * RG_IMPORT_CHUNKS_IN_FLIGHT chunks ahead. The parsing of cells (numbers, money, dates,
 * tags, names) is here too: updates on the writing thread use it.
 */

const char * const _rg_member_import_kind_fields[N_KINDS] = {
  [KIND_MEMBER_NUMBER] = "member_number",
  [KIND_NAME] = "name",
  [KIND_FIRST_NAME] = "first_name",
  [KIND_LAST_NAME] = "last_name",
  [KIND_PHONE] = "phone",
  [KIND_EMAIL] = "email",
  [KIND_ACCUMULATED_POINTS] = "accumulated_points",
  [KIND_POINTS_BALANCE] = "points_balance",
  [KIND_STORED_VALUE] = "stored_value",
  [KIND_TAGS] = "tags",
  [KIND_NOTE] = "note",
  [KIND_LINE_USER_ID] = "line_user_id",
  [KIND_WHATSAPP_ID] = "whatsapp_id",
  [KIND_WECHAT_OPENID] = "wechat_openid",
  [KIND_CREATED_AT] = "created_at",
};

/* Cells. */

const char *
_rg_member_import_cell_of (GPtrArray *fields,
                           int        column)
{
  char *value;

  if (column < 0 || (guint) column >= fields->len)
    return "";
  value = g_ptr_array_index (fields, column);
  return value != NULL ? value : "";
}

void
_rg_member_import_row_point_cells (RunData *run,
                                   Row     *row)
{
  for (guint k = 0; k < N_KINDS; k++)
    row->cells[k] = rg_csv_unguard (_rg_member_import_cell_of (row->fields, run->columns[k]));
}

/* Trims the row's cells in place (the rejected-rows file keeps them trimmed) and points the
 * kinds at their cells without the apostrophe that spreadsheet exports put in front of
 * numbers. */
static gboolean
row_prepare (RunData *run,
             Row     *row)
{
  gboolean blank = TRUE;

  for (guint i = 0; i < row->fields->len; i++)
    {
      char *value = g_ptr_array_index (row->fields, i);

      if (value == NULL)
        continue;
      g_strstrip (value);
      if (value[0] != '\0')
        blank = FALSE;
    }

  _rg_member_import_row_point_cells (run, row);
  return !blank;
}

static const char *
field_label (const char *field)
{
  const char *label = rg_csv_field_get_label (field);

  return label != NULL ? label : field;
}

static void
set_field_error (GError     **error,
                 FieldKind    kind,
                 const char  *format,
                 const char  *value)
{
  /* The formats below take the field's label, then the value. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  rg_member_set_error (error, RG_MEMBER_ERROR_INVALID, _rg_member_import_kind_fields[kind], format,
                       field_label (_rg_member_import_kind_fields[kind]), value);
#pragma GCC diagnostic pop
}

/* Digits with optional thousands separators ("1,200"), an optional "+", and an optional
 * fraction when @max_decimals allows one; the result is scaled by 10^max_decimals. */
static gboolean
parse_amount (const char *text,
              guint       max_decimals,
              gint64     *value,
              gboolean   *negative)
{
  const char *p = text;
  guint64 number = 0;
  guint decimals = 0;
  gboolean digits = FALSE;
  gboolean fraction = FALSE;

  *negative = FALSE;
  if (*p == '+')
    p++;
  else if (*p == '-')
    {
      *negative = TRUE;
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          guint digit = *p - '0';

          if (fraction && decimals == max_decimals)
            {
              /* "1200.00" is a whole number too; "1200.5" is not one. */
              if (digit != 0)
                return FALSE;
              continue;
            }
          if (number > (G_MAXINT64 - digit) / 10)
            return FALSE;
          number = number * 10 + digit;
          digits = TRUE;
          if (fraction)
            decimals++;
        }
      else if (*p == ',' && !fraction && digits && g_ascii_isdigit (p[1]))
        continue;
      else if (*p == '.' && !fraction && digits)
        fraction = TRUE;
      else
        return FALSE;
    }

  if (!digits)
    return FALSE;

  for (; decimals < max_decimals; decimals++)
    {
      if (number > G_MAXINT64 / 10)
        return FALSE;
      number *= 10;
    }

  *value = (gint64) number;
  return TRUE;
}

static gboolean
parse_total (RunData     *run,
             FieldKind    kind,
             const char  *text,
             gint64      *value,
             GError     **error)
{
  gboolean negative;
  guint decimals = kind == KIND_STORED_VALUE ? run->money_digits : 0;
  const char *number = text;

  /* Money is often written with its currency. */
  if (kind == KIND_STORED_VALUE)
    {
      static const char * const prefixes[] = { "NT$", "HK$", "US$", "S$", "RM", "$", "¥", "￥" };

      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        if (g_str_has_prefix (number, prefixes[i]))
          {
            number += strlen (prefixes[i]);
            break;
          }
    }

  if (!parse_amount (number, decimals, value, &negative))
    {
      if (kind == KIND_STORED_VALUE)
        set_field_error (error, kind,
                         /* Translators: “Stored value “12,5a” is not an amount …” */
                         _("%s “%s” is not an amount such as 1200 or 1,200.50"), text);
      else
        set_field_error (error, kind,
                         /* Translators: “Points balance “abc” is not a whole number” */
                         _("%s “%s” is not a whole number"), text);
      return FALSE;
    }
  if (negative && *value != 0)
    {
      set_field_error (error, kind, _("%s “%s” cannot be negative"), text);
      return FALSE;
    }
  return TRUE;
}

/* "2024-01-31", "2024/1/31", "2024.01.31", each optionally with " 13:45" or " 13:45:10", in
 * the shop's time zone; or ISO 8601 with a zone ("2024-01-31T13:45:10Z"). */
static gboolean
parse_date (RunData     *run,
            const char  *text,
            gint64      *seconds,
            GError     **error)
{
  g_autoptr(GDateTime) date = NULL;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  char sep1 = 0, sep2 = 0;
  int consumed = 0;

  if (sscanf (text, "%4d%c%2d%c%2d%n", &year, &sep1, &month, &sep2, &day, &consumed) == 5 &&
      sep1 == sep2 && (sep1 == '-' || sep1 == '/' || sep1 == '.'))
    {
      const char *rest = text + consumed;

      if (*rest == '\0')
        date = g_date_time_new (run->timezone, year, month, day, 0, 0, 0);
      else if (*rest == ' ' || *rest == 'T')
        {
          int second_int = 0;
          int time_consumed = 0;
          int n = sscanf (rest + 1, "%2d:%2d%n:%2d%n", &hour, &minute, &time_consumed,
                          &second_int, &time_consumed);

          second = second_int;
          if (n >= 2 && rest[1 + time_consumed] == '\0')
            date = g_date_time_new (run->timezone, year, month, day, hour, minute, second);
        }
    }

  if (date == NULL)
    date = g_date_time_new_from_iso8601 (text, run->timezone);

  if (date == NULL)
    {
      set_field_error (error, KIND_CREATED_AT,
                       /* Translators: “Created “31/01/2024” is not a date such as …” */
                       _("%s “%s” is not a date such as 2024-01-31 or 2024/1/31 13:45"), text);
      return FALSE;
    }

  *seconds = g_date_time_to_unix (date);
  return TRUE;
}

static char **
split_tags (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *start = text;
  const char *p = text;

  /* ASCII and full-width commas and semicolons, and the enumeration comma 、. */
  for (;;)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\0' || c == ',' || c == ';' || c == 0xFF0C || c == 0xFF1B || c == 0x3001)
        {
          g_autofree char *tag = g_strstrip (g_strndup (start, p - start));

          if (tag[0] != '\0')
            g_strv_builder_add (builder, tag);
          if (c == '\0')
            break;
          p = g_utf8_next_char (p);
          start = p;
          continue;
        }
      p = g_utf8_next_char (p);
    }

  return g_strv_builder_end (builder);
}

char *
_rg_member_import_row_name (Row *row)
{
  if (row->cells[KIND_NAME][0] != '\0')
    return g_strdup (row->cells[KIND_NAME]);
  return rg_csv_combine_name (row->cells[KIND_FIRST_NAME], row->cells[KIND_LAST_NAME]);
}

/* Copies the row's non-empty cells onto @member (all but the totals). */
gboolean
_rg_member_import_apply_row (RunData   *run,
                             Row       *row,
                             RgMember  *member,
                             GError   **error)
{
  g_autofree char *name = _rg_member_import_row_name (row);
  const char * const *cells = row->cells;

  if (cells[KIND_MEMBER_NUMBER][0] != '\0')
    rg_member_set_member_number (member, cells[KIND_MEMBER_NUMBER]);
  if (name[0] != '\0')
    rg_member_set_name (member, name);
  if (cells[KIND_PHONE][0] != '\0')
    rg_member_set_phone (member, cells[KIND_PHONE]);
  if (cells[KIND_EMAIL][0] != '\0')
    rg_member_set_email (member, cells[KIND_EMAIL]);
  if (cells[KIND_NOTE][0] != '\0')
    rg_member_set_note (member, cells[KIND_NOTE]);
  if (cells[KIND_LINE_USER_ID][0] != '\0')
    rg_member_set_line_user_id (member, cells[KIND_LINE_USER_ID]);
  if (cells[KIND_WHATSAPP_ID][0] != '\0')
    rg_member_set_whatsapp_id (member, cells[KIND_WHATSAPP_ID]);
  if (cells[KIND_WECHAT_OPENID][0] != '\0')
    rg_member_set_wechat_openid (member, cells[KIND_WECHAT_OPENID]);

  if (cells[KIND_TAGS][0] != '\0')
    {
      g_auto(GStrv) tags = split_tags (cells[KIND_TAGS]);

      rg_member_set_tags (member, (const char * const *) tags);
    }

  if (cells[KIND_CREATED_AT][0] != '\0')
    {
      gint64 created_at;

      if (!parse_date (run, cells[KIND_CREATED_AT], &created_at, error))
        return FALSE;
      rg_member_set_created_at (member, created_at);
    }

  for (guint i = 0; i < run->attributes->len; i++)
    {
      AttributeColumn *attribute = &g_array_index (run->attributes, AttributeColumn, i);
      const char *cell = _rg_member_import_cell_of (row->fields, attribute->column);
      const char *value = rg_csv_unguard (cell);

      if (value[0] != '\0')
        rg_member_set_attribute (member, attribute->key, value);
    }

  return TRUE;
}

gboolean
_rg_member_import_parse_totals (RunData  *run,
                                Row      *row,
                                Totals   *totals,
                                GError  **error)
{
  static const FieldKind kinds[3] = {
    KIND_ACCUMULATED_POINTS, KIND_POINTS_BALANCE, KIND_STORED_VALUE,
  };

  for (guint i = 0; i < 3; i++)
    {
      totals->given[i] = row->cells[kinds[i]][0] != '\0';
      totals->value[i] = 0;
      if (totals->given[i] &&
          !parse_total (run, kinds[i], row->cells[kinds[i]], &totals->value[i], error))
        return FALSE;
    }
  return TRUE;
}

static void
prepared_clear (gpointer data)
{
  Prepared *prepared = data;

  g_clear_pointer (&prepared->row.fields, g_ptr_array_unref);
  g_clear_object (&prepared->member);
  g_clear_error (&prepared->member_error);
  g_clear_pointer (&prepared->key, g_free);
  g_clear_error (&prepared->key_error);
}

void
_rg_member_import_chunk_free (Chunk *chunk)
{
  g_clear_pointer (&chunk->rows, g_array_unref);
  g_clear_error (&chunk->error);
  g_free (chunk);
}

/* On the reading thread: the row as a new member, validated on the reading connection
 * (which the rules only read from), and its phone key. */
static void
prepare_row (RunData  *run,
             Prepared *prepared)
{
  g_autoptr(RgMember) member = rg_member_new ();
  Row *row = &prepared->row;
  Totals totals;

  if (_rg_member_import_parse_totals (run, row, &totals, &prepared->member_error) &&
      _rg_member_import_apply_row (run, row, member, &prepared->member_error))
    {
      rg_member_set_accumulated_points (member, totals.value[0]);
      rg_member_set_points_balance (member, totals.value[1]);
      rg_member_set_stored_value (member, totals.value[2]);
      if (rg_member_store_validate (run->reader_members, member, &prepared->member_error))
        prepared->member = g_steal_pointer (&member);
    }

  if (run->match != RG_MEMBER_IMPORT_MATCH_PHONE || row->cells[KIND_PHONE][0] == '\0')
    return;

  /* Validation normalized the phone already, unless the row is no new member. */
  if (prepared->member != NULL)
    prepared->key = g_strdup (rg_member_get_phone (prepared->member));
  else
    {
      g_autoptr(GError) local_error = NULL;

      prepared->key = rg_phone_normalize (row->cells[KIND_PHONE], run->region, &local_error);
      if (prepared->key == NULL)
        rg_member_set_error (&prepared->key_error, RG_MEMBER_ERROR_INVALID,
                             RG_MEMBER_FIELD_PHONE, "%s", local_error->message);
    }
}

static gboolean
wait_for_credit (RunData *run)
{
  while (g_async_queue_timeout_pop (run->credits, 100 * 1000) == NULL)
    if (g_atomic_int_get (&run->stop_reading))
      return FALSE;
  return !g_atomic_int_get (&run->stop_reading);
}

static gpointer
reading_thread (gpointer data)
{
  RunData *run = data;
  gboolean last = FALSE;

  while (!last && wait_for_credit (run))
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->rows = g_array_sized_new (FALSE, TRUE, sizeof (Prepared), RG_IMPORT_CHUNK_ROWS);
      g_array_set_clear_func (chunk->rows, prepared_clear);

      while (chunk->rows->len < RG_IMPORT_CHUNK_ROWS && !last)
        {
          Prepared prepared = { { { NULL, }, NULL, 0 }, };

          if (!rg_csv_reader_next (run->reader, &prepared.row.fields, &prepared.row.line,
                                   &chunk->error))
            {
              last = TRUE;
              break;
            }
          if (!row_prepare (run, &prepared.row))
            {
              prepared_clear (&prepared);
              continue;
            }
          prepare_row (run, &prepared);
          g_array_append_val (chunk->rows, prepared);
        }

      chunk->last = last;
      chunk->bytes_read = rg_csv_reader_get_bytes_read (run->reader);
      chunk->bytes_total = rg_csv_reader_get_bytes_total (run->reader);
      g_async_queue_push (run->chunks, chunk);
    }

  return NULL;
}

void
_rg_member_import_start_reading (RunData *run)
{
  run->chunks = g_async_queue_new_full ((GDestroyNotify) _rg_member_import_chunk_free);
  run->credits = g_async_queue_new ();
  for (guint i = 0; i < RG_IMPORT_CHUNKS_IN_FLIGHT; i++)
    g_async_queue_push (run->credits, GINT_TO_POINTER (1));
  run->reading_thread = g_thread_new ("rg-import-read", reading_thread, run);
}

/* The reading thread stops at its next chunk; what it handed over and was not imported
 * is dropped. */
void
_rg_member_import_stop_reading (RunData *run)
{
  Chunk *chunk;

  if (run->reading_thread == NULL)
    return;

  g_atomic_int_set (&run->stop_reading, TRUE);
  g_thread_join (g_steal_pointer (&run->reading_thread));
  while ((chunk = g_async_queue_try_pop (run->chunks)) != NULL)
    _rg_member_import_chunk_free (chunk);
}
