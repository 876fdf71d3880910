/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-csv-reader"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rg-csv-reader.h"

/* Bytes asked of the stream at a time. */
#define CHUNK_SIZE (128 * 1024)
/* Bytes looked at, from the first non-ASCII byte on, to tell UTF-8 from Big5. */
#define DETECT_WINDOW (64 * 1024)
/* Decoded text, and records in it, that the delimiter is guessed from. */
#define SAMPLE_SIZE (64 * 1024)
#define SAMPLE_RECORDS 20
/* A quote that never closes would otherwise pull the rest of a big file into one field. */
#define MAX_RECORD_BYTES (1024 * 1024)

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} ParseState;

struct _RgCsvReader
{
  GObject        parent_instance;

  GInputStream  *stream;
  guint64        bytes_total;
  guint64        bytes_read;

  /* Undecoded input; raw[0] is at raw_offset in the file. */
  guint8        *raw;
  gsize          raw_start;
  gsize          raw_end;
  gsize          raw_alloc;
  guint64        raw_offset;

  const char    *encoding;
  GIConv         conv;

  /* Where decoding stopped at a bad byte; raised once the text before it has been parsed. */
  guint64        bad_offset;
  int            bad_byte;

  /* Decoded UTF-8 not yet parsed: text[text_pos..text_len]. */
  char          *text;
  gsize          text_pos;
  gsize          text_len;
  gsize          text_alloc;

  GString       *field;
  GPtrArray     *fields;
  gsize          record_bytes;
  GError        *error;
  ParseState     state;
  guint          line;
  guint          record_line;
  guint          quote_line;
  char           delimiter;
  guint8         special[256];

  guint          eof : 1;
  guint          has_bom : 1;
  guint          byte_encoding : 1;
  guint          decode_failed : 1;
  guint          after_cr : 1;
  guint          record_started : 1;
  guint          reading : 1;
};

G_DEFINE_FINAL_TYPE (RgCsvReader, rg_csv_reader, G_TYPE_OBJECT)

static char *
format_offset (guint64 offset)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, offset);
}

static void
set_bad_byte_error (GError     **error,
                    guint        line,
                    guint64      offset,
                    int          byte,
                    const char  *encoding)
{
  g_autofree char *offset_str = format_offset (offset);

  if (byte < 0)
    g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING,
                 /* Translators: line number, byte offset, encoding name such as “CP950” */
                 _("Line %u, byte offset %s: the file ends in the middle of a %s character"),
                 line, offset_str, encoding);
  else
    g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING,
                 /* Translators: line number, byte offset, byte value, encoding name */
                 _("Line %u, byte offset %s: byte 0x%02X is not valid %s text"),
                 line, offset_str, byte, encoding);
}

static void
count_lines (const guint8 *data,
             gsize         len,
             guint        *line,
             gboolean     *after_cr)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r')
        {
          (*line)++;
          *after_cr = TRUE;
        }
      else
        {
          if (data[i] == '\n' && !*after_cr)
            (*line)++;
          *after_cr = FALSE;
        }
    }
}

/* Whether @data is valid UTF-8; a character cut by the end of a window that does not reach
 * the end of the file counts as valid. */
static gboolean
check_utf8 (const guint8 *data,
            gsize         len,
            gboolean      at_eof,
            gsize        *bad)
{
  const char *end;
  gsize valid;

  if (g_utf8_validate_len ((const char *) data, len, &end))
    return TRUE;

  valid = (const guint8 *) end - data;
  if (!at_eof && *end != '\0' &&
      g_utf8_get_char_validated (end, len - valid) == (gunichar) -2)
    return TRUE;

  *bad = valid;
  return FALSE;
}

static gboolean
check_charset (const char   *charset,
               const guint8 *data,
               gsize         len,
               gboolean      at_eof,
               gsize        *bad)
{
  GIConv conv = g_iconv_open ("UTF-8", charset);
  const guint8 *nul;
  char *in = (char *) data;
  gsize in_left = len;
  gboolean ok = TRUE;

  if (conv == (GIConv) -1)
    {
      *bad = 0;
      return FALSE;
    }

  /* Big5 never encodes anything with 0x00, not even as a trail byte. */
  if ((nul = memchr (data, 0, len)) != NULL)
    in_left = nul - data;

  while (in_left > 0)
    {
      char out[4096];
      char *out_p = out;
      gsize out_left = sizeof out;

      if (g_iconv (conv, &in, &in_left, &out_p, &out_left) == (gsize) -1)
        {
          if (errno == E2BIG)
            continue;
          if (errno == EINVAL && !at_eof && nul == NULL)
            break;
          ok = FALSE;
          break;
        }
    }

  if (ok && nul != NULL)
    ok = FALSE;
  if (!ok)
    *bad = (guint8 *) in - data;

  g_iconv_close (conv);
  return ok;
}

/* @window starts at the first non-ASCII byte of the file, at @base, on line @line. */
static gboolean
choose_encoding (RgCsvReader   *self,
                 const guint8  *window,
                 gsize          len,
                 gboolean       at_eof,
                 guint64        base,
                 guint          line,
                 gboolean       after_cr,
                 GError       **error)
{
  static const char * const big5_charsets[] = { "CP950", "BIG5-HKSCS" };
  gsize bad = 0;
  gsize furthest;
  const char *furthest_charset = "UTF-8";

  if (check_utf8 (window, len, at_eof, &bad))
    {
      self->encoding = "UTF-8";
      return TRUE;
    }
  furthest = bad;

  /* Taiwan's Excel saves "CSV" in the ANSI code page, CP950: Big5 with Microsoft's additions.
   * Hong Kong files may carry HKSCS characters beyond it. */
  for (guint i = 0; i < G_N_ELEMENTS (big5_charsets); i++)
    {
      if (check_charset (big5_charsets[i], window, len, at_eof, &bad))
        {
          self->encoding = big5_charsets[i];
          self->byte_encoding = TRUE;
          return TRUE;
        }
      if (bad > furthest)
        {
          furthest = bad;
          furthest_charset = big5_charsets[i];
        }
    }

  /* Name the place where the most plausible encoding broke down. */
  count_lines (window, furthest, &line, &after_cr);
  if (furthest >= len)
    set_bad_byte_error (error, line, base + furthest, -1, furthest_charset);
  else
    {
      g_autofree char *offset_str = format_offset (base + furthest);

      g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING,
                   /* Translators: line number, byte offset, byte value */
                   _("Line %u, byte offset %s: byte 0x%02X is neither UTF-8 nor Big5 text; "
                     "save the file as “CSV UTF-8” and try again"),
                   line, offset_str, window[furthest]);
    }
  return FALSE;
}

static gboolean
detect_encoding (RgCsvReader  *self,
                 GError      **error)
{
  g_autofree guint8 *buf = g_malloc (MAX (CHUNK_SIZE, DETECT_WINDOW));
  gsize len = 0;
  guint64 base = 0;
  guint line = 1;
  gboolean after_cr = FALSE;
  gboolean at_eof;
  gsize bom_len = 0;

  if (!g_input_stream_read_all (self->stream, buf, CHUNK_SIZE, &len, NULL, error))
    return FALSE;
  at_eof = len < CHUNK_SIZE;

  if (len >= 3 && memcmp (buf, "\xEF\xBB\xBF", 3) == 0)
    {
      self->encoding = "UTF-8";
      bom_len = 3;
    }
  else if (len >= 2 && memcmp (buf, "\xFF\xFE", 2) == 0)
    {
      self->encoding = "UTF-16LE";
      bom_len = 2;
    }
  else if (len >= 2 && memcmp (buf, "\xFE\xFF", 2) == 0)
    {
      self->encoding = "UTF-16BE";
      bom_len = 2;
    }

  /* Without a BOM the first non-ASCII byte decides; ASCII reads the same in every candidate.
   * What is scanned is not kept: the stream is rewound afterwards. */
  while (bom_len == 0)
    {
      gsize i = 0;

      while (i < len && buf[i] < 0x80)
        i++;
      count_lines (buf, i, &line, &after_cr);

      if (i < len)
        {
          gsize more = 0;

          memmove (buf, buf + i, len - i);
          base += i;
          len -= i;
          if (len < DETECT_WINDOW && !at_eof)
            {
              if (!g_input_stream_read_all (self->stream, buf + len, DETECT_WINDOW - len, &more,
                                            NULL, error))
                return FALSE;
              at_eof = more < DETECT_WINDOW - len;
              len += more;
            }
          if (!choose_encoding (self, buf, MIN (len, DETECT_WINDOW),
                                at_eof && len <= DETECT_WINDOW, base, line, after_cr, error))
            return FALSE;
          break;
        }

      if (at_eof)
        {
          self->encoding = "UTF-8";
          break;
        }

      base += len;
      if (!g_input_stream_read_all (self->stream, buf, CHUNK_SIZE, &len, NULL, error))
        return FALSE;
      at_eof = len < CHUNK_SIZE;
    }

  self->has_bom = bom_len > 0;
  if (!g_seekable_seek (G_SEEKABLE (self->stream), bom_len, G_SEEK_SET, NULL, error))
    return FALSE;
  self->raw_offset = bom_len;
  self->bytes_read = bom_len;

  if (g_strcmp0 (self->encoding, "UTF-8") != 0)
    {
      self->conv = g_iconv_open ("UTF-8", self->encoding);
      if (self->conv == (GIConv) -1)
        {
          g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING,
                       _("The file is in %s, which this system cannot convert"), self->encoding);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
read_raw (RgCsvReader  *self,
          GError      **error)
{
  gssize n;

  if (self->raw_start > 0)
    {
      memmove (self->raw, self->raw + self->raw_start, self->raw_end - self->raw_start);
      self->raw_offset += self->raw_start;
      self->raw_end -= self->raw_start;
      self->raw_start = 0;
    }
  if (self->raw_alloc - self->raw_end < CHUNK_SIZE)
    {
      self->raw_alloc = self->raw_end + CHUNK_SIZE;
      self->raw = g_realloc (self->raw, self->raw_alloc);
    }

  n = g_input_stream_read (self->stream, self->raw + self->raw_end, CHUNK_SIZE, NULL, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  self->raw_end += n;
  self->bytes_read += n;
  return TRUE;
}

static void
ensure_text_room (RgCsvReader *self,
                  gsize        needed)
{
  if (self->text_alloc - self->text_len >= needed)
    return;
  self->text_alloc = MAX (self->text_alloc * 2, self->text_len + needed);
  self->text = g_realloc (self->text, self->text_alloc);
}

static void
mark_bad (RgCsvReader *self,
          int          byte)
{
  self->decode_failed = TRUE;
  self->bad_offset = self->raw_offset + self->raw_start;
  self->bad_byte = byte;
}

static void
decode_utf8 (RgCsvReader *self)
{
  const char *data = (const char *) self->raw + self->raw_start;
  gsize len = self->raw_end - self->raw_start;
  const char *end = data + len;
  gsize valid = len;

  if (!g_utf8_validate_len (data, len, &end))
    valid = end - data;

  ensure_text_room (self, valid);
  memcpy (self->text + self->text_len, data, valid);
  self->text_len += valid;
  self->raw_start += valid;

  if (valid < len)
    {
      gunichar c = g_utf8_get_char_validated (end, len - valid);

      if (*end == '\0' || c != (gunichar) -2)
        mark_bad (self, (guint8) *end);
      else if (self->eof)
        mark_bad (self, -1);
      /* else the chunk ends inside a character that the next read completes */
    }
}

static void
decode_iconv (RgCsvReader *self)
{
  char *in = (char *) self->raw + self->raw_start;
  gsize in_left = self->raw_end - self->raw_start;
  const char *nul = NULL;
  char *out;
  gsize out_left;
  gsize result;
  int saved_errno;

  if (self->byte_encoding && (nul = memchr (in, 0, in_left)) != NULL)
    in_left = nul - in;

  /* Big5 and UTF-16 never take more than twice their bytes as UTF-8. */
  ensure_text_room (self, in_left * 2 + 16);
  out = self->text + self->text_len;
  out_left = self->text_alloc - self->text_len;

  result = g_iconv (self->conv, &in, &in_left, &out, &out_left);
  saved_errno = errno;

  self->text_len = out - self->text;
  self->raw_start = (guint8 *) in - self->raw;

  if (result == (gsize) -1)
    {
      if (saved_errno == EILSEQ)
        mark_bad (self, (guint8) *in);
      else if (saved_errno == EINVAL && self->eof)
        mark_bad (self, -1);
      /* EINVAL otherwise: the chunk ends inside a character that the next read completes */
    }
  else if (nul != NULL)
    {
      mark_bad (self, 0);
    }
}

/* Decodes more input into text. FALSE only on a read error; at the end of the input or at a
 * bad byte it returns TRUE without adding text. */
static gboolean
pump (RgCsvReader  *self,
      GError      **error)
{
  gsize before = self->text_len;

  for (;;)
    {
      if (self->decode_failed)
        return TRUE;

      if (self->raw_start < self->raw_end)
        {
          if (self->conv == (GIConv) -1)
            decode_utf8 (self);
          else
            decode_iconv (self);
          if (self->text_len > before || self->decode_failed)
            return TRUE;
        }

      if (self->eof)
        return TRUE;
      if (!read_raw (self, error))
        return FALSE;
    }
}

/* Called when all text is parsed. FALSE with @error unset means the input has ended. */
static gboolean
fill_text (RgCsvReader  *self,
           GError      **error)
{
  self->text_pos = 0;
  self->text_len = 0;

  if (!pump (self, error))
    return FALSE;
  if (self->text_len > 0)
    return TRUE;
  if (self->decode_failed)
    {
      set_bad_byte_error (error, self->line, self->bad_offset, self->bad_byte, self->encoding);
      return FALSE;
    }
  return FALSE;
}

/* Fields of up to @max_records records at the start of @text, with delimiter @delimiter. */
static guint
count_fields (const char *text,
              gsize       len,
              gboolean    complete,
              char        delimiter,
              guint      *counts,
              guint       max_records)
{
  guint n_records = 0;
  guint n_fields = 1;
  gboolean in_quotes = FALSE;
  gboolean field_start = TRUE;
  gboolean started = FALSE;

  for (gsize i = 0; i < len && n_records < max_records; i++)
    {
      char c = text[i];

      if (in_quotes)
        {
          if (c == '"')
            {
              if (i + 1 < len && text[i + 1] == '"')
                i++;
              else
                in_quotes = FALSE;
            }
          continue;
        }

      if (c == '\r' || c == '\n')
        {
          if (started)
            counts[n_records++] = n_fields;
          n_fields = 1;
          started = FALSE;
          field_start = TRUE;
          continue;
        }

      started = TRUE;
      if (c == delimiter)
        {
          n_fields++;
          field_start = TRUE;
        }
      else
        {
          if (c == '"' && field_start)
            in_quotes = TRUE;
          field_start = FALSE;
        }
    }

  /* A record cut by the end of the sample says nothing, unless nothing else is there. */
  if (started && n_records < max_records && (complete || n_records == 0))
    counts[n_records++] = n_fields;

  return n_records;
}

static char
guess_delimiter (const char *text,
                 gsize       len,
                 gboolean    complete)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  char best = ',';
  guint best_freq = 0;
  guint best_n = 1;
  guint best_mode = 1;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint counts[SAMPLE_RECORDS];
      guint n = count_fields (text, len, complete, candidates[c], counts, SAMPLE_RECORDS);
      guint mode = 0;
      guint freq = 0;

      for (guint i = 0; i < n; i++)
        {
          guint f = 0;

          for (guint j = 0; j < n; j++)
            f += counts[j] == counts[i];
          if (f > freq || (f == freq && counts[i] > mode))
            {
              freq = f;
              mode = counts[i];
            }
        }

      if (n == 0 || mode < 2)
        continue;

      /* The most consistent field count wins, then the most fields, then the earlier
       * candidate: "a,b" in a ;-file's notes should not win over the real delimiter. */
      if ((guint64) freq * best_n > (guint64) best_freq * n ||
          ((guint64) freq * best_n == (guint64) best_freq * n && mode > best_mode))
        {
          best = candidates[c];
          best_freq = freq;
          best_n = n;
          best_mode = mode;
        }
    }

  return best;
}

static void
build_special (RgCsvReader *self)
{
  memset (self->special, 0, sizeof self->special);
  self->special[(guint8) self->delimiter] = TRUE;
  self->special['"'] = TRUE;
  self->special['\r'] = TRUE;
  self->special['\n'] = TRUE;
}

static gboolean
setup (RgCsvReader   *self,
       GInputStream  *stream,
       guint64        total,
       GError       **error)
{
  self->stream = g_object_ref (stream);
  self->bytes_total = total;

  if (!detect_encoding (self, error))
    return FALSE;

  /* Decode a sample without parsing it, so the parser starts on the same text. */
  while (self->text_len < SAMPLE_SIZE && !self->decode_failed && !self->eof)
    {
      if (!read_raw (self, error) || !pump (self, error))
        return FALSE;
    }

  self->delimiter = guess_delimiter (self->text, self->text_len,
                                     self->eof && !self->decode_failed);
  build_special (self);
  return TRUE;
}

static void
end_field (RgCsvReader *self)
{
  self->record_bytes += self->field->len;
  g_ptr_array_add (self->fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
}

static void
end_line (RgCsvReader *self,
          char         c)
{
  if (c == '\r')
    {
      self->line++;
      self->after_cr = TRUE;
    }
  else
    {
      if (!self->after_cr)
        self->line++;
      self->after_cr = FALSE;
    }
}

static void
take_record (RgCsvReader  *self,
             GPtrArray   **fields,
             guint        *line)
{
  *fields = g_steal_pointer (&self->fields);
  if (line != NULL)
    *line = self->record_line;

  self->fields = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  self->record_started = FALSE;
  self->record_bytes = 0;
  self->state = STATE_FIELD_START;
}

static gboolean
fail (RgCsvReader  *self,
      GError       *local_error,
      GError      **error)
{
  g_clear_error (&self->error);
  self->error = g_error_copy (local_error);
  g_propagate_error (error, local_error);
  return FALSE;
}

static void
set_unterminated_error (RgCsvReader  *self,
                        GError      **error)
{
  g_set_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNTERMINATED_QUOTE,
               _("Line %u: the quoted field that starts here is never closed; "
                 "a closing quote (\") is missing"),
               self->quote_line);
}

/* Parses the available text. Returns TRUE when a record is complete. */
static gboolean
parse_text (RgCsvReader *self)
{
  const char *p = self->text + self->text_pos;
  const char *end = self->text + self->text_len;
  const char *run;
  gboolean complete = FALSE;

  while (p < end && !complete)
    {
      char c = *p;

      switch (self->state)
        {
        case STATE_FIELD_START:
          if (!self->record_started)
            {
              /* Empty lines are no records: neither a trailing one nor one in between. */
              if (c == '\r' || c == '\n')
                {
                  end_line (self, c);
                  p++;
                  break;
                }
              self->record_started = TRUE;
              self->record_line = self->line;
            }
          self->after_cr = FALSE;
          if (c == '"')
            {
              self->state = STATE_QUOTED;
              self->quote_line = self->line;
              p++;
            }
          else if (c == self->delimiter)
            {
              end_field (self);
              p++;
            }
          else if (c == '\r' || c == '\n')
            {
              end_field (self);
              end_line (self, c);
              p++;
              complete = TRUE;
            }
          else
            {
              self->state = STATE_UNQUOTED;
            }
          break;

        case STATE_UNQUOTED:
          run = p;
          while (p < end && !self->special[(guint8) *p])
            p++;
          g_string_append_len (self->field, run, p - run);
          if (p == end)
            break;
          c = *p++;
          if (c == self->delimiter)
            {
              end_field (self);
              self->state = STATE_FIELD_START;
            }
          else if (c == '"')
            {
              /* A quote inside an unquoted field is text, as Excel reads it. */
              g_string_append_c (self->field, '"');
            }
          else
            {
              end_field (self);
              end_line (self, c);
              complete = TRUE;
            }
          break;

        case STATE_QUOTED:
          run = p;
          while (p < end && *p != '"' && *p != '\r' && *p != '\n')
            p++;
          if (p > run)
            {
              g_string_append_len (self->field, run, p - run);
              self->after_cr = FALSE;
            }
          if (p == end)
            break;
          c = *p++;
          if (c == '"')
            {
              self->state = STATE_QUOTE_IN_QUOTED;
              self->after_cr = FALSE;
            }
          else
            {
              g_string_append_c (self->field, c);
              end_line (self, c);
            }
          break;

        case STATE_QUOTE_IN_QUOTED:
          if (c == '"')
            {
              g_string_append_c (self->field, '"');
              self->state = STATE_QUOTED;
              p++;
            }
          else if (c == self->delimiter)
            {
              end_field (self);
              self->state = STATE_FIELD_START;
              p++;
            }
          else if (c == '\r' || c == '\n')
            {
              end_field (self);
              end_line (self, c);
              p++;
              complete = TRUE;
            }
          else
            {
              /* Text after a closing quote ("abc"def) is kept, as Excel does. */
              self->state = STATE_UNQUOTED;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  self->text_pos = p - self->text;
  return complete;
}

static void
rg_csv_reader_finalize (GObject *object)
{
  RgCsvReader *self = (RgCsvReader *)object;

  g_clear_object (&self->stream);
  if (self->conv != (GIConv) -1)
    g_iconv_close (self->conv);
  g_clear_pointer (&self->raw, g_free);
  g_clear_pointer (&self->text, g_free);
  g_string_free (self->field, TRUE);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (rg_csv_reader_parent_class)->finalize (object);
}

static void
rg_csv_reader_class_init (RgCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rg_csv_reader_finalize;
}

static void
rg_csv_reader_init (RgCsvReader *self)
{
  self->conv = (GIConv) -1;
  self->encoding = "UTF-8";
  self->delimiter = ',';
  self->line = 1;
  self->field = g_string_sized_new (256);
  self->fields = g_ptr_array_new_null_terminated (8, g_free, TRUE);
}

/**
 * rg_csv_reader_new_for_file:
 * @file: a CSV file
 * @error: return location for a #GError
 *
 * Opens @file, detects its encoding (a BOM; else UTF-8; else Big5 as CP950 or
 * BIG5-HKSCS) and its delimiter (`,` `;` tab `|`). The file is read in chunks as records are
 * asked for; a file without a BOM whose first non-ASCII byte comes late is scanned up to that
 * byte once first.
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL with @error set when the file cannot
 *   be read or is in no encoding the reader knows (%RG_CSV_ERROR_ENCODING, naming the line and
 *   byte offset)
 */
RgCsvReader *
rg_csv_reader_new_for_file (GFile   *file,
                            GError **error)
{
  g_autoptr(RgCsvReader) self = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((stream = g_file_read (file, NULL, error)) == NULL)
    return NULL;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return NULL;

  self = g_object_new (RG_TYPE_CSV_READER, NULL);
  if (!setup (self, G_INPUT_STREAM (stream), g_file_info_get_size (info), error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * rg_csv_reader_new_for_path:
 * @path: the path of a CSV file
 * @error: return location for a #GError
 *
 * See rg_csv_reader_new_for_file().
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL with @error set
 */
RgCsvReader *
rg_csv_reader_new_for_path (const char  *path,
                            GError     **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  return rg_csv_reader_new_for_file (file, error);
}

/**
 * rg_csv_reader_new_for_bytes:
 * @bytes: the contents of a CSV file
 * @error: return location for a #GError
 *
 * See rg_csv_reader_new_for_file().
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL with @error set
 */
RgCsvReader *
rg_csv_reader_new_for_bytes (GBytes  *bytes,
                             GError **error)
{
  g_autoptr(RgCsvReader) self = NULL;
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  self = g_object_new (RG_TYPE_CSV_READER, NULL);
  if (!setup (self, stream, g_bytes_get_size (bytes), error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * rg_csv_reader_next:
 * @self: a #RgCsvReader
 * @fields: (out) (transfer full): the fields of the next record, UTF-8, in a %NULL-terminated
 *   array (so `(char **) fields->pdata` is a strv)
 * @line: (out) (optional): the line the record starts on, counting from 1
 * @error: return location for a #GError
 *
 * Reads the next record. Empty lines are skipped. After an error every later call fails
 * with the same error.
 *
 * Returns: %TRUE with a record; %FALSE with @error unset at the end of the input, or with
 *   @error set (%RG_CSV_ERROR_ENCODING, %RG_CSV_ERROR_UNTERMINATED_QUOTE,
 *   %RG_CSV_ERROR_RECORD_TOO_LONG or a #GIOError), each naming the line
 */
gboolean
rg_csv_reader_next (RgCsvReader  *self,
                    GPtrArray   **fields,
                    guint        *line,
                    GError      **error)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields = NULL;
  self->reading = TRUE;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (self->text_pos == self->text_len && !fill_text (self, &local_error))
        {
          if (local_error != NULL)
            return fail (self, g_steal_pointer (&local_error), error);

          /* The input ended. */
          switch (self->state)
            {
            case STATE_FIELD_START:
              if (!self->record_started)
                return FALSE;
              end_field (self);
              break;

            case STATE_UNQUOTED:
            case STATE_QUOTE_IN_QUOTED:
              end_field (self);
              break;

            case STATE_QUOTED:
              set_unterminated_error (self, &local_error);
              return fail (self, g_steal_pointer (&local_error), error);

            default:
              g_assert_not_reached ();
            }
          take_record (self, fields, line);
          return TRUE;
        }

      if (parse_text (self))
        {
          take_record (self, fields, line);
          return TRUE;
        }

      if (self->record_bytes + self->field->len > MAX_RECORD_BYTES)
        {
          if (self->state == STATE_QUOTED)
            set_unterminated_error (self, &local_error);
          else
            g_set_error (&local_error, RG_CSV_ERROR, RG_CSV_ERROR_RECORD_TOO_LONG,
                         _("Line %u: the record that starts here is longer than %u KiB; "
                           "is this a CSV file?"),
                         self->record_line, MAX_RECORD_BYTES / 1024);
          return fail (self, g_steal_pointer (&local_error), error);
        }
    }
}

/**
 * rg_csv_reader_get_encoding:
 * @self: a #RgCsvReader
 *
 * Returns: the encoding the file was found to be in: "UTF-8", "CP950", "BIG5-HKSCS",
 *   "UTF-16LE" or "UTF-16BE"
 */
const char *
rg_csv_reader_get_encoding (RgCsvReader *self)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), NULL);

  return self->encoding;
}

/**
 * rg_csv_reader_get_has_bom:
 * @self: a #RgCsvReader
 *
 * Returns: whether the file starts with a byte order mark
 */
gboolean
rg_csv_reader_get_has_bom (RgCsvReader *self)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), FALSE);

  return self->has_bom;
}

/**
 * rg_csv_reader_get_delimiter:
 * @self: a #RgCsvReader
 *
 * Returns: the field delimiter: the one guessed from the first records unless
 *   rg_csv_reader_set_delimiter() chose another
 */
char
rg_csv_reader_get_delimiter (RgCsvReader *self)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), ',');

  return self->delimiter;
}

/**
 * rg_csv_reader_set_delimiter:
 * @self: a #RgCsvReader
 * @delimiter: the field delimiter to use instead of the guessed one
 *
 * Only before the first rg_csv_reader_next().
 */
void
rg_csv_reader_set_delimiter (RgCsvReader *self,
                             char         delimiter)
{
  g_return_if_fail (RG_IS_CSV_READER (self));
  g_return_if_fail (!self->reading);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n' &&
                    delimiter != '\0');

  self->delimiter = delimiter;
  build_special (self);
}

/**
 * rg_csv_reader_get_bytes_read:
 * @self: a #RgCsvReader
 *
 * Progress: bytes read from the file so far (at most one chunk ahead of the records returned).
 * Call it on the thread that reads.
 *
 * Returns: a byte count
 */
guint64
rg_csv_reader_get_bytes_read (RgCsvReader *self)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), 0);

  return self->bytes_read;
}

/**
 * rg_csv_reader_get_bytes_total:
 * @self: a #RgCsvReader
 *
 * Returns: the size of the file in bytes
 */
guint64
rg_csv_reader_get_bytes_total (RgCsvReader *self)
{
  g_return_val_if_fail (RG_IS_CSV_READER (self), 0);

  return self->bytes_total;
}

/**
 * rg_csv_unguard:
 * @value: a field
 *
 * Undoes the apostrophe that exports put before numbers and formula-like cells so spreadsheets
 * keep them as text (Shopify writes "'+886912345678", our writer "'=SUM(A1)").
 *
 * Returns: @value without that apostrophe; @value itself when it has none
 */
const char *
rg_csv_unguard (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (value[0] == '\'' && value[1] != '\0' &&
      (g_ascii_isdigit (value[1]) || strchr ("=+-@\t\r", value[1]) != NULL))
    return value + 1;
  return value;
}
