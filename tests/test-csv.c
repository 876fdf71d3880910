/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rg-csv-mapping.h"
#include "rg-csv-reader.h"
#include "rg-csv-writer.h"

/* The records of tests/data/csv/members-*.csv, which differ only in encoding. */
static const char * const members_expected[][9] = {
  { "會員編號", "姓名", "手機", "電子郵件", "累積點數", "點數餘額", "儲值金", "標籤", "備註" },
  { "A001", "王小明", "0912-345-678", "ming@example.com", "1200", "300", "5000", "VIP", "" },
  { "A002", "陳怡君", "(02) 2345-6789", "yijun@example.com", "80", "80", "0", "新客,台北",
    "喜歡抹茶\r\n週末來店" },
  { "A003", "林志玲", "+852 9123 4567", "", "0", "0", "0", "", "說\"你好\"" },
  { "A004", "許功蓋", "0912 000 111", "", "10", "10", "0", "四帆弋", "" },
};
static const guint members_lines[] = { 1, 2, 3, 5, 6 };

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static RgCsvReader *
reader_for_string (const char *text,
                   gssize      len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  g_autoptr(GError) error = NULL;
  RgCsvReader *reader = rg_csv_reader_new_for_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* All records, each as a strv, and the line each starts on. */
static GPtrArray *
read_all (RgCsvReader  *reader,
          GArray      **lines)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint line;

  if (lines != NULL)
    *lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (rg_csv_reader_next (reader, &fields, &line, &error))
    {
      g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
      if (lines != NULL)
        g_array_append_val (*lines, line);
    }
  g_assert_no_error (error);
  return records;
}

static GPtrArray *
read_string (const char *text)
{
  g_autoptr(RgCsvReader) reader = reader_for_string (text, -1);

  return read_all (reader, NULL);
}

static void
assert_record (GPtrArray          *records,
               guint               index,
               const char * const *expected)
{
  char **record;

  g_assert_cmpuint (index, <, records->len);
  record = g_ptr_array_index (records, index);
  g_assert_cmpstrv (record, expected);
}

static void
assert_members_file (const char *name,
                     const char *encoding,
                     gboolean    has_bom)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = rg_csv_reader_new_for_path (path, &error);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) lines = NULL;
  char *contents;
  gsize size;

  g_assert_no_error (error);
  g_assert_cmpstr (rg_csv_reader_get_encoding (reader), ==, encoding);
  g_assert_cmpint (rg_csv_reader_get_has_bom (reader), ==, has_bom);
  g_assert_cmpint (rg_csv_reader_get_delimiter (reader), ==, ',');

  records = read_all (reader, &lines);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (members_expected));
  for (guint i = 0; i < records->len; i++)
    {
      const char *expected[10] = { NULL };

      memcpy (expected, members_expected[i], sizeof members_expected[i]);
      assert_record (records, i, expected);
      g_assert_cmpuint (g_array_index (lines, guint, i), ==, members_lines[i]);
    }

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_free (contents);
  g_assert_cmpuint (rg_csv_reader_get_bytes_total (reader), ==, size);
  g_assert_cmpuint (rg_csv_reader_get_bytes_read (reader), ==, size);
}

static void
test_reader_utf8_bom (void)
{
  assert_members_file ("members-utf8-bom.csv", "UTF-8", TRUE);
}

static void
test_reader_utf8 (void)
{
  assert_members_file ("members-utf8.csv", "UTF-8", FALSE);
}

static void
test_reader_big5 (void)
{
  /* Made with iconv -t BIG5; 許功蓋 carry 0x5C and 四帆弋 0x7C ('|') as trail bytes. */
  assert_members_file ("members-big5.csv", "CP950", FALSE);
}

static void
test_reader_big5_late (void)
{
  g_autoptr(GString) text = g_string_new ("id,name\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autofree char *big5 = NULL;
  gsize big5_len;
  guint ascii_rows = 30000;

  /* Far more ASCII than one chunk before the first Big5 byte. */
  for (guint i = 0; i < ascii_rows; i++)
    g_string_append_printf (text, "%u,member %u\n", i, i);
  g_string_append (text, "last,王小明\n");
  big5 = g_convert (text->str, text->len, "BIG5", "UTF-8", NULL, &big5_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (big5_len, >, 256 * 1024);

  reader = reader_for_string (big5, big5_len);
  g_assert_cmpstr (rg_csv_reader_get_encoding (reader), ==, "CP950");
  records = read_all (reader, &lines);
  g_assert_cmpuint (records->len, ==, ascii_rows + 2);
  assert_record (records, ascii_rows + 1, (const char *[]) { "last", "王小明", NULL });
  g_assert_cmpuint (g_array_index (lines, guint, ascii_rows + 1), ==, ascii_rows + 2);
}

static void
test_reader_utf16 (void)
{
  const char *text = "姓名;手機\r\n王小明;0912-345-678\r\n";
  const char *charsets[] = { "UTF-16LE", "UTF-16BE" };
  const char *boms[] = { "\xFF\xFE", "\xFE\xFF" };

  for (guint i = 0; i < G_N_ELEMENTS (charsets); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RgCsvReader) reader = NULL;
      g_autoptr(GPtrArray) records = NULL;
      g_autofree char *converted = NULL;
      g_autofree char *with_bom = NULL;
      gsize len;

      converted = g_convert (text, -1, charsets[i], "UTF-8", NULL, &len, &error);
      g_assert_no_error (error);
      with_bom = g_malloc (len + 2);
      memcpy (with_bom, boms[i], 2);
      memcpy (with_bom + 2, converted, len);

      reader = reader_for_string (with_bom, len + 2);
      g_assert_cmpstr (rg_csv_reader_get_encoding (reader), ==, charsets[i]);
      g_assert_true (rg_csv_reader_get_has_bom (reader));
      g_assert_cmpint (rg_csv_reader_get_delimiter (reader), ==, ';');
      records = read_all (reader, NULL);
      g_assert_cmpuint (records->len, ==, 2);
      assert_record (records, 1, (const char *[]) { "王小明", "0912-345-678", NULL });
    }
}

static void
test_reader_invalid_encoding (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("a,b\nc,\xFF\xFE\xFF\n", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = rg_csv_reader_new_for_bytes (bytes, &error);

  g_assert_null (reader);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 2, byte offset 6"));
  g_assert_nonnull (strstr (error->message, "0xFF"));
}

static void
test_reader_invalid_later (void)
{
  g_autoptr(GString) text = g_string_new ("姓名,手機\n");
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offset = NULL;
  GPtrArray *fields;
  guint rows = 20000;
  guint n_records = 0;
  guint line = 0;
  gsize bad_offset;

  /* Valid UTF-8 up front settles the encoding; the bad byte comes chunks later. */
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "王小明 %u,0912-345-678\n", i);
  bad_offset = text->len + strlen ("bad,");
  g_string_append (text, "bad,\xC3\x28\nafter,x\n");

  reader = reader_for_string (text->str, text->len);
  g_assert_cmpstr (rg_csv_reader_get_encoding (reader), ==, "UTF-8");
  while (rg_csv_reader_next (reader, &fields, &line, &error))
    {
      n_records++;
      g_ptr_array_unref (fields);
    }
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING);
  g_assert_cmpuint (n_records, ==, rows + 1);
  offset = g_strdup_printf ("Line %u, byte offset %" G_GSIZE_FORMAT ":", rows + 2, bad_offset);
  g_assert_nonnull (strstr (error->message, offset));
  g_assert_nonnull (strstr (error->message, "0xC3"));
  g_clear_error (&error);

  /* The reader stays failed. */
  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING);
}

static void
test_reader_truncated_character (void)
{
  g_autoptr(GString) text = g_string_new ("名字\n");
  g_autoptr(GBytes) small = g_bytes_new_static ("名字\n王小\xE6\x98", 15);
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  GPtrArray *fields;
  guint line;
  guint rows = 30000;
  gsize offset;

  /* Seen while detecting: the constructor refuses the file. */
  reader = rg_csv_reader_new_for_bytes (small, &error);
  g_assert_null (reader);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 2, byte offset 13:"));
  g_clear_error (&error);

  /* Seen while reading, far behind the detection window. */
  for (guint i = 0; i < rows; i++)
    g_string_append (text, "王小明\n");
  offset = text->len + strlen ("王小");
  g_string_append (text, "王小\xE6\x98");

  reader = reader_for_string (text->str, text->len);
  for (guint i = 0; i < rows + 1; i++)
    {
      g_assert_true (rg_csv_reader_next (reader, &fields, &line, &error));
      g_ptr_array_unref (fields);
    }
  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_ENCODING);
  where = g_strdup_printf ("Line %u, byte offset %" G_GSIZE_FORMAT ": the file ends in the middle "
                           "of a UTF-8 character", rows + 2, offset);
  g_assert_cmpstr (error->message, ==, where);
}

static void
test_reader_delimiters (void)
{
  static const struct
  {
    const char *text;
    char        delimiter;
    guint       n_fields;
  } cases[] = {
    { "name,phone,note\nAmy,0912,\"a;b|c\"\nBen,0913,x\n", ',', 3 },
    { "name;phone;note\nAmy;0912;\"a,b|c\"\nBen;0913;x\n", ';', 3 },
    { "name\tphone\tnote\nAmy\t0912\t\"a,b;c\"\nBen\t0913\tx\n", '\t', 3 },
    { "name|phone|note\nAmy|0912|\"a,b;c\"\nBen|0913|x\n", '|', 3 },
    /* European Excel: decimal commas inside a ;-file. */
    { "name;points;balance\nAmy;12,5;3,25\nBen;1,0;0,5\n", ';', 3 },
    /* Notes with commas in some rows only. */
    { "name;note\nAmy;hello, world\nBen;hi\nCy;a, b, c\n", ';', 2 },
    /* A quoted header that contains the other candidates. */
    { "\"a;b\",\"c|d\"\n1,2\n", ',', 2 },
    /* One column: nothing to tell, the comma stays. */
    { "phone\n0912\n0913\n", ',', 1 },
    { "", ',', 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RgCsvReader) reader = reader_for_string (cases[i].text, -1);
      g_autoptr(GPtrArray) records = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (rg_csv_reader_get_delimiter (reader), ==, cases[i].delimiter);
      records = read_all (reader, NULL);
      for (guint r = 0; r < records->len; r++)
        g_assert_cmpuint (g_strv_length (g_ptr_array_index (records, r)), ==, cases[i].n_fields);
    }
}

static void
test_reader_set_delimiter (void)
{
  g_autoptr(RgCsvReader) reader = reader_for_string ("a,b;c\n1,2;3\n", -1);
  g_autoptr(GPtrArray) records = NULL;

  g_assert_cmpint (rg_csv_reader_get_delimiter (reader), ==, ',');
  rg_csv_reader_set_delimiter (reader, ';');
  records = read_all (reader, NULL);
  assert_record (records, 0, (const char *[]) { "a,b", "c", NULL });
  assert_record (records, 1, (const char *[]) { "1,2", "3", NULL });
}

static void
test_reader_quoting (void)
{
  g_autoptr(RgCsvReader) reader = reader_for_string (
    "a,\"b,c\",\"d\"\"e\"\r\n"
    "\"multi\r\nline\",x,\"y\nz\"\r\n"
    "last,,\r\n"
    "\"\",\"\"\"\",\" sp \"\r\n", -1);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) lines = NULL;

  records = read_all (reader, &lines);
  g_assert_cmpuint (records->len, ==, 4);
  assert_record (records, 0, (const char *[]) { "a", "b,c", "d\"e", NULL });
  assert_record (records, 1, (const char *[]) { "multi\r\nline", "x", "y\nz", NULL });
  assert_record (records, 2, (const char *[]) { "last", "", "", NULL });
  assert_record (records, 3, (const char *[]) { "", "\"", " sp ", NULL });
  /* Embedded newlines count: the record after the two-line-break one starts on line 5. */
  g_assert_cmpuint (g_array_index (lines, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (lines, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 5);
  g_assert_cmpuint (g_array_index (lines, guint, 3), ==, 6);
}

static void
test_reader_lenient (void)
{
  g_autoptr(GPtrArray) records = read_string ("5\" screen,\"abc\"def,x\"y\"\n");

  assert_record (records, 0, (const char *[]) { "5\" screen", "abcdef", "x\"y\"", NULL });
}

static void
test_reader_line_ends (void)
{
  static const char * const texts[] = {
    "a,b\nc,d\n\ne,f\n",
    "a,b\r\nc,d\r\n\r\ne,f\r\n",
    "a,b\rc,d\r\re,f\r",
    "a,b\nc,d\r\n\re,f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(RgCsvReader) reader = reader_for_string (texts[i], -1);
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GArray) lines = NULL;

      g_test_message ("case %u", i);
      records = read_all (reader, &lines);
      g_assert_cmpuint (records->len, ==, 3);
      assert_record (records, 0, (const char *[]) { "a", "b", NULL });
      assert_record (records, 1, (const char *[]) { "c", "d", NULL });
      assert_record (records, 2, (const char *[]) { "e", "f", NULL });
      /* The empty line is no record but is a line. */
      g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 4);
    }
}

static void
test_reader_trailing (void)
{
  static const struct
  {
    const char *text;
    guint       n_records;
  } cases[] = {
    { "a,b\n", 1 },
    { "a,b", 1 },
    { "a,b\r\n\r\n\r\n", 1 },
    { "a,\n", 1 },
    { "a,", 1 },
    { "\n\n", 0 },
    { "", 0 },
    { "\"\"", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) records = read_string (cases[i].text);

      g_test_message ("case %u", i);
      g_assert_cmpuint (records->len, ==, cases[i].n_records);
    }

  {
    g_autoptr(GPtrArray) records = read_string ("a,");

    assert_record (records, 0, (const char *[]) { "a", "", NULL });
  }
}

static void
test_reader_unterminated_quote (void)
{
  g_autoptr(RgCsvReader) reader = reader_for_string ("a,b\nc,d\ne,\"open\nmore\nstill\n", -1);
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint line;

  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (rg_csv_reader_next (reader, &fields, &line, &error));
      g_ptr_array_unref (fields);
    }
  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_null (fields);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "Line 3:"));
  g_clear_error (&error);

  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNTERMINATED_QUOTE);
}

static void
test_reader_runaway_quote (void)
{
  g_autoptr(GString) text = g_string_new ("name,note\nAmy,\"never closed\n");
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint line;

  /* 8 MB after an unclosed quote: the reader gives up long before the end of the file. */
  while (text->len < 8 * 1024 * 1024)
    g_string_append (text, "Ben,plain row that the quote swallows\n");

  reader = reader_for_string (text->str, text->len);
  g_assert_true (rg_csv_reader_next (reader, &fields, &line, &error));
  g_ptr_array_unref (fields);
  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "Line 2:"));
  g_assert_cmpuint (rg_csv_reader_get_bytes_read (reader), <, 2 * 1024 * 1024);
}

static void
test_reader_long_record (void)
{
  g_autoptr(GString) text = g_string_new ("a,b\n");
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint line;

  while (text->len < 3 * 1024 * 1024)
    g_string_append (text, "no line break in sight ");

  reader = reader_for_string (text->str, text->len);
  g_assert_true (rg_csv_reader_next (reader, &fields, &line, &error));
  g_ptr_array_unref (fields);
  g_assert_false (rg_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_RECORD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Line 2:"));
}

static void
test_reader_chunk_boundaries (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RgCsvReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) lines = NULL;
  guint rows = 40000;

  /* Records of odd lengths put multi-byte characters, CR LF pairs and doubled quotes across
   * every possible chunk boundary. */
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "%u,王小明%.*s,\"x\"\"\r\ny\",%s\r\n",
                            i, (int) (i % 7), "abcdefg", i % 2 ? "怡君" : "");

  reader = reader_for_string (text->str, text->len);
  records = read_all (reader, &lines);
  g_assert_cmpuint (records->len, ==, rows);
  for (guint i = 0; i < rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autofree char *name = g_strdup_printf ("王小明%.*s", (int) (i % 7), "abcdefg");
      const char *expected[] = { id, name, "x\"\r\ny", i % 2 ? "怡君" : "", NULL };

      assert_record (records, i, expected);
      g_assert_cmpuint (g_array_index (lines, guint, i), ==, 2 * i + 1);
    }
}

static void
test_reader_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = rg_csv_reader_new_for_path ("/nonexistent/members.csv", &error);

  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static char *
write_rows (const char * const * const *rows,
            guint                       n_rows,
            RgCsvWriterFlags            flags,
            gsize                      *len)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(RgCsvWriter) writer = rg_csv_writer_new (stream, flags);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_rows; i++)
    {
      rg_csv_writer_write_row (writer, rows[i], -1, NULL, &error);
      g_assert_no_error (error);
    }
  rg_csv_writer_close (writer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_csv_writer_get_rows_written (writer), ==, n_rows);

  *len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_writer_quoting (void)
{
  const char *row1[] = { "a", "b,c", "d\"e", NULL };
  const char *row2[] = { "multi\nline", "", " sp ", "王小明", NULL };
  const char *row3[] = { "", NULL };
  const char * const *rows[] = { row1, row2, row3 };
  g_autofree char *out = NULL;
  gsize len;

  out = write_rows (rows, G_N_ELEMENTS (rows), RG_CSV_WRITER_FLAGS_NONE, &len);
  g_assert_cmpstr (out, ==, "a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",, sp ,王小明\r\n\"\"\r\n");
  g_assert_cmpuint (len, ==, strlen (out));
}

static void
test_writer_null_fields (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(RgCsvWriter) writer = rg_csv_writer_new (stream, RG_CSV_WRITER_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "a", NULL, "c" };

  rg_csv_writer_write_row (writer, fields, G_N_ELEMENTS (fields), NULL, &error);
  g_assert_no_error (error);
  rg_csv_writer_close (writer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)),
                   "a,,c\r\n", 6);
}

static void
test_writer_bom (void)
{
  const char *row[] = { "姓名", NULL };
  const char * const *rows[] = { row };
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  gsize len;

  with = write_rows (rows, 1, RG_CSV_WRITER_BOM, &len);
  g_assert_cmpmem (with, len, "\xEF\xBB\xBF姓名\r\n", strlen ("\xEF\xBB\xBF姓名\r\n"));
  without = write_rows (rows, 1, RG_CSV_WRITER_FLAGS_NONE, &len);
  g_assert_cmpmem (without, len, "姓名\r\n", strlen ("姓名\r\n"));
}

static void
test_writer_formula_guard (void)
{
  const char *row[] = { "=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1",
                        "=1,2", "-12", "+886912345678", "3.5", "-", "a=b", "", NULL };
  const char * const *rows[] = { row };
  g_autofree char *guarded = NULL;
  g_autofree char *plain = NULL;
  gsize len;

  guarded = write_rows (rows, 1, RG_CSV_WRITER_FLAGS_NONE, &len);
  g_assert_cmpstr (guarded, ==,
                   "'=SUM(A1:A9),'+cmd|' /C calc'!A0,'-2+3,'@SUM(1),'\t=1,\"'=1,2\","
                   "-12,+886912345678,3.5,'-,a=b,\r\n");

  plain = write_rows (rows, 1, RG_CSV_WRITER_NO_FORMULA_GUARD, &len);
  g_assert_cmpstr (plain, ==,
                   "=SUM(A1:A9),+cmd|' /C calc'!A0,-2+3,@SUM(1),\t=1,\"=1,2\","
                   "-12,+886912345678,3.5,-,a=b,\r\n");

  g_assert_true (rg_csv_needs_formula_guard ("=1"));
  g_assert_false (rg_csv_needs_formula_guard ("-1.5"));
  g_assert_false (rg_csv_needs_formula_guard (""));

  /* What an export guarded comes back as it was. */
  g_assert_cmpstr (rg_csv_unguard ("'=SUM(A1:A9)"), ==, "=SUM(A1:A9)");
  g_assert_cmpstr (rg_csv_unguard ("'+886912345678"), ==, "+886912345678");
  g_assert_cmpstr (rg_csv_unguard ("'7265539522837"), ==, "7265539522837");
  g_assert_cmpstr (rg_csv_unguard ("'t Hooft"), ==, "'t Hooft");
  g_assert_cmpstr (rg_csv_unguard ("'"), ==, "'");
  g_assert_cmpstr (rg_csv_unguard ("plain"), ==, "plain");
}

static void
test_writer_round_trip (void)
{
  const char *header[] = { "會員編號", "姓名", "備註", NULL };
  const char *row1[] = { "A001", "王小明", "喜歡抹茶\r\n週末來店", NULL };
  const char *row2[] = { "A,002", "\"quoted\"", "line\nbreak", NULL };
  const char *row3[] = { "", "", "", NULL };
  const char *row4[] = { "", NULL };
  const char *row5[] = { " lead", "trail ", "semi;colon|pipe\ttab", NULL };
  const char *row6[] = { "=cmd", "+886912345678", "-5", NULL };
  const char * const *rows[] = { header, row1, row2, row3, row4, row5, row6 };

  for (guint pass = 0; pass < 2; pass++)
    {
      RgCsvWriterFlags flags = RG_CSV_WRITER_BOM;
      g_autoptr(RgCsvReader) reader = NULL;
      g_autoptr(GPtrArray) records = NULL;
      g_autofree char *out = NULL;
      gsize len;

      if (pass == 1)
        flags |= RG_CSV_WRITER_NO_FORMULA_GUARD;
      out = write_rows (rows, G_N_ELEMENTS (rows), flags, &len);
      reader = reader_for_string (out, len);
      g_assert_true (rg_csv_reader_get_has_bom (reader));
      g_assert_cmpint (rg_csv_reader_get_delimiter (reader), ==, ',');
      records = read_all (reader, NULL);
      g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (rows));

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          char **record = g_ptr_array_index (records, i);

          g_assert_cmpuint (g_strv_length (record), ==, g_strv_length ((char **) rows[i]));
          for (guint f = 0; record[f] != NULL; f++)
            g_assert_cmpstr (rg_csv_unguard (record[f]), ==, rows[i][f]);
        }
      /* Guarded, the cell differs on disk; unguarded it is exactly what was written. */
      g_assert_cmpstr (((char **) g_ptr_array_index (records, 6))[0], ==,
                       pass == 0 ? "'=cmd" : "=cmd");
    }
}

static RgCsvMapping *
mapping_for_header_file (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = rg_csv_reader_new_for_path (path, &error);
  g_autoptr(GPtrArray) header = NULL;
  RgCsvMapping *mapping;
  guint line;

  g_assert_no_error (error);
  g_assert_true (rg_csv_reader_next (reader, &header, &line, &error));
  g_assert_no_error (error);
  mapping = rg_csv_mapping_new ((const char * const *) header->pdata, header->len);
  rg_csv_mapping_guess (mapping);
  return mapping;
}

static RgCsvMapping *
mapping_for_headers (const char * const *headers)
{
  RgCsvMapping *mapping = rg_csv_mapping_new (headers, -1);

  rg_csv_mapping_guess (mapping);
  return mapping;
}

static void
assert_mapping (RgCsvMapping       *mapping,
                const char * const *expected)
{
  g_assert_cmpuint (rg_csv_mapping_get_n_columns (mapping), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_test_message ("column “%s”", rg_csv_mapping_get_header (mapping, i));
      g_assert_cmpstr (rg_csv_mapping_get_field (mapping, i), ==, expected[i]);
    }
}

static void
test_mapping_chinese (void)
{
  const char *traditional[] = { "會員編號", "姓名", "手機", "電子郵件", "累積點數", "點數餘額",
                                "儲值金", "標籤", "備註", "加入日期", NULL };
  const char *simplified[] = { "会员编号", "姓名", "手机", "邮箱", "累计积分", "积分余额",
                               "储值金", "标签", "备注", "注册时间", NULL };
  const char *expected[] = { "member_number", "name", "phone", "email", "accumulated_points",
                             "points_balance", "stored_value", "tags", "note", "created_at",
                             NULL };
  const char *variants[] = { "會員卡號", "姓", "名", "行動電話", "信箱", "點數", "餘額",
                             "手機號碼(必填)", NULL };
  const char *variants_expected[] = { "member_number", "last_name", "first_name", "phone",
                                      "email", "points_balance", "stored_value", "ignore",
                                      NULL };
  g_autoptr(RgCsvMapping) t = mapping_for_headers (traditional);
  g_autoptr(RgCsvMapping) s = mapping_for_headers (simplified);
  g_autoptr(RgCsvMapping) v = mapping_for_headers (variants);
  g_autoptr(RgCsvMapping) file = mapping_for_header_file ("members-big5.csv");

  assert_mapping (t, expected);
  assert_mapping (s, expected);
  /* Two columns name the phone equally well: the leftmost takes it. */
  assert_mapping (v, variants_expected);
  g_assert_cmpstr (rg_csv_mapping_get_field (file, 2), ==, "phone");
  g_assert_cmpstr (rg_csv_mapping_get_field (file, 8), ==, "note");
}

static void
test_mapping_fuzzy (void)
{
  const char *headers[] = { "手機號碼(必填)", "ＥＭＡＩＬ", "E-Mail Address", "會員電話",
                            "Accepts Email Marketing", "累積消費", "Mobile No.", "生日", NULL };
  const char *expected[] = { "phone", "email", "ignore", "ignore", "ignore", "ignore", "ignore",
                             "ignore", NULL };
  const char *lonely[] = { "Accepts Email Marketing", "累積消費", "會員電話", "LINE User ID",
                           "WeChat OpenID", "E-mail", "Points Redeemed", "Vintage", "手機號碼 2",
                           NULL };
  const char *lonely_expected[] = { "ignore", "ignore", "phone", "line_user_id",
                                    "wechat_openid", "email", "ignore", "ignore", "ignore",
                                    NULL };
  g_autoptr(RgCsvMapping) mapping = mapping_for_headers (headers);
  g_autoptr(RgCsvMapping) alone = mapping_for_headers (lonely);

  assert_mapping (mapping, expected);
  assert_mapping (alone, lonely_expected);
}

static void
test_mapping_shopify (void)
{
  const char *expected[] = {
    "member_number",  /* Customer ID */
    "first_name", "last_name", "email",
    "ignore",         /* Accepts Email Marketing */
    "ignore", "ignore", "ignore", "ignore", "ignore", "ignore", "ignore",
    "ignore",         /* Default Address Phone: "Phone" is the customer's own */
    "phone",
    "ignore", "ignore", "ignore",  /* Accepts SMS Marketing, Total Spent, Total Orders */
    "note",
    "ignore",         /* Tax Exempt */
    "tags",
    NULL
  };
  g_autoptr(RgCsvMapping) mapping = mapping_for_header_file ("shopify-customers.csv");
  g_autofree char *path = data_path ("shopify-customers.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(RgCsvReader) reader = rg_csv_reader_new_for_path (path, &error);
  g_autoptr(GPtrArray) records = NULL;
  char **amy;

  assert_mapping (mapping, expected);

  records = read_all (reader, NULL);
  g_assert_cmpuint (records->len, ==, 3);
  amy = g_ptr_array_index (records, 1);
  g_assert_cmpstr (amy[6], ==, "No. 7, Sec. 5, Xinyi Rd");
  g_assert_cmpstr (rg_csv_unguard (amy[0]), ==, "7265539522837");
  g_assert_cmpstr (rg_csv_unguard (amy[13]), ==, "+886912345678");
}

static void
test_mapping_woocommerce (void)
{
  const char *expected[] = {
    "member_number", "first_name", "last_name",
    "ignore",        /* user_login */
    "email",
    "ignore",        /* user_pass */
    "created_at",    /* date_registered */
    "ignore", "ignore", "ignore",  /* billing names and company: the account's are taken */
    "ignore",        /* billing_email */
    "phone",         /* billing_phone: WooCommerce keeps no other */
    "ignore", "ignore", "ignore", "ignore", "ignore", "ignore",
    "ignore", "ignore", "ignore", "ignore", "ignore", "ignore", "ignore", "ignore", "ignore",
    "ignore", "ignore",  /* total_spent, order_count */
    NULL
  };
  const char *analytics[] = { "Name", "Username", "Last active", "Date registered", "Email",
                              "Orders", "Total spend", "AOV", "Country / Region", "City",
                              "Region", "Postal code", NULL };
  const char *analytics_expected[] = { "name", "ignore", "ignore", "created_at", "email",
                                       "ignore", "ignore", "ignore", "ignore", "ignore",
                                       "ignore", "ignore", NULL };
  const char *billing_only[] = { "billing_first_name", "billing_last_name", "billing_email",
                                 "shipping_phone", NULL };
  const char *billing_expected[] = { "first_name", "last_name", "email", "phone", NULL };
  g_autoptr(RgCsvMapping) mapping = mapping_for_header_file ("woocommerce-customers.csv");
  g_autoptr(RgCsvMapping) analytics_mapping = mapping_for_headers (analytics);
  g_autoptr(RgCsvMapping) billing_mapping = mapping_for_headers (billing_only);

  assert_mapping (mapping, expected);
  assert_mapping (analytics_mapping, analytics_expected);
  assert_mapping (billing_mapping, billing_expected);
}

static void
test_mapping_attributes (void)
{
  const char *headers[] = { "生日", "vip_level", "Email", "Shoe size", NULL };
  const char *expected[] = { "attr:birthday", "attr:vip_level", "email", "ignore", NULL };
  g_autoptr(RgCsvMapping) mapping = rg_csv_mapping_new (headers, -1);

  rg_csv_mapping_add_attribute (mapping, "birthday", "生日");
  rg_csv_mapping_add_attribute (mapping, "vip_level", "VIP 等級");
  /* A label that repeats a built-in field's name loses to the built-in field. */
  rg_csv_mapping_add_attribute (mapping, "second_email", "Email");
  rg_csv_mapping_guess (mapping);
  assert_mapping (mapping, expected);

  g_assert_true (rg_csv_mapping_is_valid_field (mapping, "attr:birthday"));
  g_assert_false (rg_csv_mapping_is_valid_field (mapping, "attr:shoe_size"));
  g_assert_true (rg_csv_mapping_is_valid_field (mapping, "phone"));
  g_assert_false (rg_csv_mapping_is_valid_field (mapping, "fone"));
}

static void
test_mapping_spec (void)
{
  const char *headers[] = { "Phone", "Mobile", "Address, City", "備註", "Name", NULL };
  g_autoptr(RgCsvMapping) mapping = mapping_for_headers (headers);
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *before = NULL;

  assert_mapping (mapping, (const char *[]) { "phone", "ignore", "ignore", "note", "name",
                                              NULL });

  /* Phone moves to Mobile; Phone, which had it, is ignored from now on. */
  rg_csv_mapping_parse_spec (mapping,
                             " mobile = PHONE , \"Address, City\"=tags,#4=ignore,,Name=name",
                             &error);
  g_assert_no_error (error);
  assert_mapping (mapping, (const char *[]) { "ignore", "phone", "tags", "ignore", "name",
                                              NULL });

  spec = rg_csv_mapping_to_spec (mapping);
  g_assert_cmpstr (spec, ==, "Mobile=phone,\"Address, City\"=tags,Name=name");

  /* Errors name what is wrong and change nothing. */
  before = rg_csv_mapping_to_spec (mapping);

  rg_csv_mapping_parse_spec (mapping, "Phone=email,Fax=phone", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_COLUMN);
  g_assert_nonnull (strstr (error->message, "“Fax”"));
  g_assert_nonnull (strstr (error->message, "“Address, City”"));
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "Phone=fone", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "“fone”"));
  g_assert_nonnull (strstr (error->message, "“Phone”"));
  g_assert_nonnull (strstr (error->message, "member_number"));
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "Phone=attr:birthday", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "Phone=phone,Mobile=phone", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_DUPLICATE_FIELD);
  g_assert_nonnull (strstr (error->message, "“Phone”"));
  g_assert_nonnull (strstr (error->message, "“Mobile”"));
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "Address, City=tags", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_SPEC);
  g_assert_nonnull (strstr (error->message, "“Address”"));
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "\"Address, City=tags", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_SPEC);
  g_clear_error (&error);

  rg_csv_mapping_parse_spec (mapping, "#9=phone", &error);
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_COLUMN);
  g_clear_error (&error);

  g_clear_pointer (&spec, g_free);
  spec = rg_csv_mapping_to_spec (mapping);
  g_assert_cmpstr (spec, ==, before);

  /* What to_spec writes, parse_spec reads back. */
  {
    g_autoptr(RgCsvMapping) other = rg_csv_mapping_new (headers, -1);
    g_autofree char *again = NULL;

    rg_csv_mapping_parse_spec (other, spec, &error);
    g_assert_no_error (error);
    again = rg_csv_mapping_to_spec (other);
    g_assert_cmpstr (again, ==, spec);
  }
}

static void
test_mapping_set_field (void)
{
  const char *headers[] = { "A", "B", NULL };
  g_autoptr(RgCsvMapping) mapping = rg_csv_mapping_new (headers, -1);
  g_autoptr(GError) error = NULL;

  assert_mapping (mapping, (const char *[]) { "ignore", "ignore", NULL });
  g_assert_true (rg_csv_mapping_set_field (mapping, 0, "phone", &error));
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "phone"), ==, 0);
  g_assert_true (rg_csv_mapping_set_field (mapping, 1, "phone", &error));
  assert_mapping (mapping, (const char *[]) { "ignore", "phone", NULL });
  g_assert_cmpint (rg_csv_mapping_find_field (mapping, "email"), ==, -1);

  g_assert_false (rg_csv_mapping_set_field (mapping, 0, "shoe", &error));
  g_assert_error (error, RG_CSV_ERROR, RG_CSV_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "“A”"));
  assert_mapping (mapping, (const char *[]) { "ignore", "phone", NULL });

  /* Every built-in field has a label for the mapping UI. */
  for (const char * const *f = rg_csv_field_list (); *f != NULL; f++)
    g_assert_nonnull (rg_csv_field_get_label (*f));
  g_assert_cmpstr (rg_csv_field_list ()[0], ==, "member_number");
  g_assert_null (rg_csv_field_get_label ("attr:birthday"));
}

static void
test_mapping_combine_name (void)
{
  static const char * const cases[][3] = {
    { "小明", "王", "王小明" },
    { "怡君", "歐陽", "歐陽怡君" },
    { "さくら", "山田", "山田さくら" },
    { "민준", "김", "김민준" },
    { "John", "Smith", "John Smith" },
    { "John", "王", "John 王" },
    { "Amy", "陳", "Amy 陳" },
    { "  Amy ", " Lee ", "Amy Lee" },
    { "", "王", "王" },
    { "小明", "", "小明" },
    { "", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = rg_csv_combine_name (cases[i][0], cases[i][1]);

      g_assert_cmpstr (name, ==, cases[i][2]);
    }

  {
    g_autofree char *name = rg_csv_combine_name (NULL, NULL);

    g_assert_cmpstr (name, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regulars/csv/reader/utf8-bom", test_reader_utf8_bom);
  g_test_add_func ("/regulars/csv/reader/utf8", test_reader_utf8);
  g_test_add_func ("/regulars/csv/reader/big5", test_reader_big5);
  g_test_add_func ("/regulars/csv/reader/big5-late", test_reader_big5_late);
  g_test_add_func ("/regulars/csv/reader/utf16", test_reader_utf16);
  g_test_add_func ("/regulars/csv/reader/invalid-encoding", test_reader_invalid_encoding);
  g_test_add_func ("/regulars/csv/reader/invalid-later", test_reader_invalid_later);
  g_test_add_func ("/regulars/csv/reader/truncated-character", test_reader_truncated_character);
  g_test_add_func ("/regulars/csv/reader/delimiters", test_reader_delimiters);
  g_test_add_func ("/regulars/csv/reader/set-delimiter", test_reader_set_delimiter);
  g_test_add_func ("/regulars/csv/reader/quoting", test_reader_quoting);
  g_test_add_func ("/regulars/csv/reader/lenient", test_reader_lenient);
  g_test_add_func ("/regulars/csv/reader/line-ends", test_reader_line_ends);
  g_test_add_func ("/regulars/csv/reader/trailing", test_reader_trailing);
  g_test_add_func ("/regulars/csv/reader/unterminated-quote", test_reader_unterminated_quote);
  g_test_add_func ("/regulars/csv/reader/runaway-quote", test_reader_runaway_quote);
  g_test_add_func ("/regulars/csv/reader/long-record", test_reader_long_record);
  g_test_add_func ("/regulars/csv/reader/chunk-boundaries", test_reader_chunk_boundaries);
  g_test_add_func ("/regulars/csv/reader/missing-file", test_reader_missing_file);
  g_test_add_func ("/regulars/csv/writer/quoting", test_writer_quoting);
  g_test_add_func ("/regulars/csv/writer/null-fields", test_writer_null_fields);
  g_test_add_func ("/regulars/csv/writer/bom", test_writer_bom);
  g_test_add_func ("/regulars/csv/writer/formula-guard", test_writer_formula_guard);
  g_test_add_func ("/regulars/csv/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/regulars/csv/mapping/chinese", test_mapping_chinese);
  g_test_add_func ("/regulars/csv/mapping/fuzzy", test_mapping_fuzzy);
  g_test_add_func ("/regulars/csv/mapping/shopify", test_mapping_shopify);
  g_test_add_func ("/regulars/csv/mapping/woocommerce", test_mapping_woocommerce);
  g_test_add_func ("/regulars/csv/mapping/attributes", test_mapping_attributes);
  g_test_add_func ("/regulars/csv/mapping/spec", test_mapping_spec);
  g_test_add_func ("/regulars/csv/mapping/set-field", test_mapping_set_field);
  g_test_add_func ("/regulars/csv/mapping/combine-name", test_mapping_combine_name);

  return g_test_run ();
}
