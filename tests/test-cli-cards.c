/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "rg-card-renderer.h"
#include "rg-card-store.h"
#include "rg-member-store.h"
#include "rg-test-util.h"

/* regulars-cli cards render / export / import on a demo database, run as a shop's box would
 * run them. */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rg_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "regulars.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}


/* Runs regulars-cli --database PATH ARGS…; returns the exit status. */

static void
make_demo (Fixture *fixture)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "demo", NULL), ==, 0);
  g_assert_nonnull (strstr (out, fixture->path));
}

/* The first demo member with a member number; one is added when the demo has none yet. */
static char *
pick_member (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = rg_store_open (fixture->path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;

  g_assert_no_error (error);
  stmt = rg_store_prepare (store,
                           "SELECT member_number FROM members WHERE member_number IS NOT NULL "
                           "AND deleted_at IS NULL ORDER BY id LIMIT 1",
                           &error);
  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  g_test_message ("the demo has no members yet; rendering one the test adds");
  members = rg_member_store_new (store);
  member = rg_member_new ();
  rg_member_set_member_number (member, "TEA-0042");
  rg_member_set_name (member, "陳怡君");
  rg_member_set_phone (member, "0912-345-678");
  rg_member_set_points_balance (member, 1280);
  g_assert_true (rg_member_store_insert (members, member, "test", &error));
  g_assert_no_error (error);
  return g_strdup ("TEA-0042");
}

/* What the designer's preview draws for the same member, in this process. */
static GBytes *
render_in_process (Fixture        *fixture,
                   RgCardChannel   channel,
                   const char     *number,
                   double          scale,
                   int            *width,
                   int            *height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = rg_store_open (fixture->path, &error);
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) design = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;
  g_autoptr(GListModel) attributes = NULL;
  g_autoptr(RgCardData) data = NULL;
  g_autofree char *currency = NULL;
  GBytes *png;

  g_assert_no_error (error);
  cards = rg_card_store_new (store);
  design = rg_card_store_load (cards, channel, &error);
  g_assert_no_error (error);
  members = rg_member_store_new (store);
  member = rg_member_store_find_by_member_number (members, number, &error);
  g_assert_no_error (error);
  g_assert_nonnull (member);
  attributes = rg_member_store_list_attributes (members, &error);
  g_assert_no_error (error);
  currency = rg_card_store_dup_currency (cards);
  data = rg_card_data_new_for_member (member, attributes, currency);
  png = rg_card_render_to_png_bytes (design, data, scale, NULL, &error);
  g_assert_no_error (error);
  rg_card_get_size (design, scale, width, height);
  return png;
}

static char *
zbar_decode (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "-q", "--raw", path, NULL };
  int status = 0;

  if (zbarimg == NULL)
    g_error ("zbarimg is not installed; install zbar-tools (tools/dev test does)");
  argv[0] = zbarimg;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strchomp (g_steal_pointer (&out));
}

static void
test_render_demo_member (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *output = g_build_filename (fixture->dir, "card.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *written = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  int width, height;

  make_demo (fixture);
  number = pick_member (fixture);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, &err, "cards", "render", "--channel", "line",
                            "--member", number, "--output", output, "--scale", "2", NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");

  /* Byte for byte the image the preview draws for this member. */
  expected = render_in_process (fixture, RG_CARD_CHANNEL_LINE, number, 2, &width, &height);
  g_assert_cmpint (width, ==, 2 * RG_CARD_WIDTH);
  g_assert_true (g_file_get_contents (output, &written, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, g_bytes_get_size (expected));
  g_assert_cmpmem (written, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  {
    g_autofree char *size = g_strdup_printf ("(%d×%d pixels)", width, height);

    g_assert_nonnull (strstr (out, size));
  }

  /* The demo's LINE card carries the member number in a QR code. */
  decoded = zbar_decode (output);
  g_assert_cmpstr (decoded, ==, number);
}

static void
test_render_sample_and_problem (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *output = g_build_filename (fixture->dir, "sample.png", NULL);
  g_autofree char *problem_output = g_build_filename (fixture->dir, "problem.png", NULL);
  g_autofree char *err = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgMemberStore) members = NULL;
  g_autoptr(RgMember) member = NULL;

  make_demo (fixture);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, NULL, "cards", "render", "--channel", "wechat",
                            "--sample", "-o", output, NULL), ==, 0);
  decoded = zbar_decode (output);
  g_assert_nonnull (decoded);
  g_assert_cmpuint (strlen (decoded), ==, 13);
  g_assert_true (g_str_has_prefix (decoded, "2"));

  /* The demo's WeChat card uses Code 39, which has no lowercase letters. The PNG is written
   * with the reason drawn, and the exit status says so. */
  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  members = rg_member_store_new (store);
  member = rg_member_new ();
  rg_member_set_member_number (member, "tea-0099");
  rg_member_set_name (member, "王小明");
  g_assert_true (rg_member_store_insert (members, member, "test", &error));
  g_assert_no_error (error);

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "cards", "render", "--channel", "wechat",
                            "--member", "tea-0099", "--output", problem_output, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "The card shows a problem instead of the barcode"));
  g_assert_nonnull (strstr (err, "“tea-0099” cannot be encoded as Code 39"));
  g_assert_true (g_file_test (problem_output, G_FILE_TEST_IS_REGULAR));
}

static void
test_render_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *output = g_build_filename (fixture->dir, "card.png", NULL);
  static const struct {
    const char *args[8];
    const char *message;
  } cases[] = {
    { { "--channel", "line", "--member", "NOBODY-1", "--output", "OUT", NULL },
      "No member has the member number “NOBODY-1”" },
    { { "--channel", "telegram", "--sample", "--output", "OUT", NULL },
      "--channel “telegram” is not a card channel" },
    { { "--sample", "--output", "OUT", NULL }, "--channel is required" },
    { { "--channel", "line", "--output", "OUT", NULL }, "give either --member NUMBER or --sample" },
    { { "--channel", "line", "--sample", "--member", "X", "--output", "OUT", NULL },
      "give either --member NUMBER or --sample" },
    { { "--channel", "line", "--sample", NULL }, "--output FILE is required" },
    { { "--channel", "line", "--sample", "--output", "OUT", "--scale", "100" },
      "The scale 100 is out of range" },
  };

  make_demo (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      const char *a[8];

      for (guint k = 0; k < 8; k++)
        a[k] = g_strcmp0 (cases[i].args[k], "OUT") == 0 ? output : cases[i].args[k];
      g_test_message ("%s", cases[i].message);
      g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "cards", "render",
                                a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL), ==, 1);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
    }

  {
    g_autofree char *err = NULL;

    g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "cards", "paint", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "Unknown cards command “paint”"));
  }
}

static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "line.json", NULL);
  g_autofree char *broken_file = g_build_filename (fixture->dir, "broken.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json = NULL;
  g_autofree char *stdout_json = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgStore) store = NULL;
  g_autoptr(RgCardStore) cards = NULL;
  g_autoptr(RgCardDesign) line = NULL;
  g_autoptr(RgCardDesign) wechat = NULL;
  g_autoptr(RgCardDesign) wechat_before = NULL;
  g_autoptr(RgCardDesign) parsed = NULL;
  g_autoptr(GString) edit = NULL;

  make_demo (fixture);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "cards", "export", "--channel", "line", file,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, file));
  g_assert_true (g_file_get_contents (file, &json, NULL, &error));
  g_assert_no_error (error);

  store = rg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  cards = rg_card_store_new (store);
  line = rg_card_store_load (cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  parsed = rg_card_design_from_json (RG_CARD_CHANNEL_LINE, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (line, parsed));
  /* The header travels inside the file. */
  g_assert_nonnull (rg_card_design_get_header_image (parsed));

  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &stdout_json, NULL, "cards", "export", "--channel", "line",
                            "-", NULL), ==, 0);
  g_clear_object (&parsed);
  parsed = rg_card_design_from_json (RG_CARD_CHANNEL_LINE, stdout_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (line, parsed));

  /* A broken file is refused naming the member; the channel keeps its design. */
  wechat_before = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  edit = g_string_new (json);
  g_assert_cmpuint (g_string_replace (edit, "\"barcode\" : \"qr\"", "\"barcode\" : \"ean8\"", 1),
                    ==, 1);
  broken = g_string_free (g_steal_pointer (&edit), FALSE);
  g_assert_true (g_file_set_contents (broken_file, broken, -1, &error));
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "cards", "import", "--channel", "wechat",
                            broken_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "barcode: “ean8” is not a barcode type"));
  wechat = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (wechat, wechat_before));
  g_clear_object (&wechat);

  /* A good file replaces the other channel's design. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, &out, NULL, "cards", "import", "--channel", "wechat", file,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported the WeChat card design"));
  wechat = rg_card_store_load (cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (wechat, line));
  g_assert_false (rg_card_design_equal (wechat, wechat_before));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rg_test_run_cli (fixture->path, NULL, NULL, &err, "cards", "import", "--channel", "line",
                            "/nonexistent/design.json", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent/design.json"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/regulars/cli/cards/render-demo-member", Fixture, NULL,
              fixture_set_up, test_render_demo_member, fixture_tear_down);
  g_test_add ("/regulars/cli/cards/render-sample-and-problem", Fixture, NULL,
              fixture_set_up, test_render_sample_and_problem, fixture_tear_down);
  g_test_add ("/regulars/cli/cards/render-errors", Fixture, NULL,
              fixture_set_up, test_render_errors, fixture_tear_down);
  g_test_add ("/regulars/cli/cards/export-import", Fixture, NULL,
              fixture_set_up, test_export_import, fixture_tear_down);

  status = g_test_run ();

  /* Fontconfig keeps its caches until FcFini(); releasing them leaves valgrind's report to
   * our own leaks. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
