/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cards/rg-card-editor-private.h"
#include "cards/rg-card-field-row.h"
#include "cards/rg-card-member-picker-private.h"
#include "cards/rg-cards-page-private.h"
#include "rg-application.h"
#include "rg-card-renderer.h"
#include "rg-card-responder.h"
#include "rg-card-store.h"
#include "rg-card-wechat.h"
#include "rg-fake-wechat.h"
#include "rg-channel-settings.h"
#include "rg-member-list.h"
#include "rg-member-store.h"
#include "rg-secrets.h"
#include "rg-test-ui.h"
#include "rg-test-util.h"
#include "rg-window.h"

/* The demo's first member: a member number with letters, which EAN-13 cannot carry. */
#define LETTERS_MEMBER "ML01001"

/* One application per process: it exports itself on the session bus under its ID. */
static RgApplication *shared_app;
static char *shared_dir;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

typedef struct
{
  RgWindow     *window;
  RgCardsPage  *page;
  RgCardStore  *cards;
  char         *dir;
} Fixture;


static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* File reads and the search entry's typing pause are asynchronous: run the main loop until
 * @condition holds, or fail after 10 s. */
static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (10000, on_wait_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (timeout);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *window;

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  g_application_activate (G_APPLICATION (shared_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (shared_app));
  g_assert_true (RG_IS_WINDOW (window));
  fixture->window = RG_WINDOW (window);
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "cards"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "cards");

  fixture->page = RG_CARDS_PAGE (rg_test_ui_find_descendant (GTK_WIDGET (window), RG_TYPE_CARDS_PAGE));
  g_assert_nonnull (fixture->page);
  g_assert_true (rg_cards_page_get_store (fixture->page) ==
                 rg_application_get_store (shared_app));
  fixture->cards = rg_card_store_new (rg_application_get_store (shared_app));
  fixture->dir = rg_test_make_tmpdir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (shared_app))) != NULL)
    {
      gtk_window_destroy (window);
      rg_test_ui_iterate ();
    }
  g_clear_object (&fixture->cards);
  rg_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static RgCardEditor *
show_channel (Fixture       *fixture,
              RgCardChannel  channel)
{
  RgCardEditor *editor;

  rg_cards_page_set_visible_channel (fixture->page, channel);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpint (rg_cards_page_get_visible_channel (fixture->page), ==, channel);

  editor = rg_cards_page_get_editor (fixture->page, channel);
  g_assert_nonnull (rg_card_editor_get_design (editor));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  return editor;
}

/* Scrolls the settings so that @widget is near the top, for a screenshot that shows it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  rg_test_ui_wait_for_draw (widget);
  g_assert_true (gtk_widget_compute_point (widget,
                                           gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  /* The point is in the viewport, which is already scrolled. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 100);
  rg_test_ui_wait_for_draw (widget);
}

static RgCardFieldRow *
get_row (RgCardEditor *editor,
         guint         position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (_rg_card_editor_get_fields_list (editor),
                                                      position);

  g_assert_true (RG_IS_CARD_FIELD_ROW (row));
  return RG_CARD_FIELD_ROW (row);
}

static const char *
field_id_at (RgCardDesign *design,
             guint         position)
{
  return rg_card_field_get_id (rg_card_design_get_field (design, position));
}

static GtkStackPage *
tab (Fixture       *fixture,
     RgCardChannel  channel)
{
  return gtk_stack_get_page (_rg_cards_page_get_stack (fixture->page),
                             GTK_WIDGET (rg_cards_page_get_editor (fixture->page, channel)));
}

static void
assert_clean (Fixture       *fixture,
              RgCardChannel  channel)
{
  RgCardEditor *editor = rg_cards_page_get_editor (fixture->page, channel);

  g_assert_false (rg_card_editor_get_dirty (editor));
  g_assert_false (gtk_stack_page_get_needs_attention (tab (fixture, channel)));
  if (rg_cards_page_get_visible_channel (fixture->page) == channel)
    {
      g_assert_false (gtk_widget_get_sensitive (_rg_cards_page_get_save_button (fixture->page)));
      g_assert_false (gtk_widget_get_sensitive (_rg_cards_page_get_revert_button (fixture->page)));
      g_assert_false (gtk_widget_get_visible (_rg_cards_page_get_unsaved_label (fixture->page)));
    }
}

static void
assert_dirty (Fixture       *fixture,
              RgCardChannel  channel)
{
  RgCardEditor *editor = rg_cards_page_get_editor (fixture->page, channel);

  g_assert_true (rg_card_editor_get_dirty (editor));
  g_assert_true (gtk_stack_page_get_needs_attention (tab (fixture, channel)));
  if (rg_cards_page_get_visible_channel (fixture->page) == channel)
    {
      g_assert_true (gtk_widget_get_sensitive (_rg_cards_page_get_save_button (fixture->page)));
      g_assert_true (gtk_widget_get_sensitive (_rg_cards_page_get_revert_button (fixture->page)));
      g_assert_true (gtk_widget_get_visible (_rg_cards_page_get_unsaved_label (fixture->page)));
    }
}

static gboolean
members_match_one (gpointer data)
{
  RgCardMemberPicker *picker = data;

  return g_list_model_get_n_items (_rg_card_member_picker_get_members (picker)) == 1;
}

/* Types into the picker's search like staff would and picks the one match. */
static void
pick_member (RgCardEditor *editor,
             const char   *search)
{
  RgCardMemberPicker *picker = _rg_card_editor_get_member_picker (editor);
  GtkMenuButton *button = _rg_card_member_picker_get_button (picker);
  GtkSearchEntry *entry = _rg_card_member_picker_get_search_entry (picker);
  GListModel *members = _rg_card_member_picker_get_members (picker);
  RgMemberList *list = RG_MEMBER_LIST (members);
  guint fetches;

  gtk_menu_button_popup (button);
  rg_test_ui_wait_for_draw (GTK_WIDGET (gtk_menu_button_get_popover (button)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (button)),
                               "cards-member-picker");

  /* Only what the popover shows was read: the lazy list never loads every member. */
  g_assert_cmpuint (rg_member_list_get_n_cached_pages (list), <=, 1);
  fetches = rg_member_list_get_fetch_count (list);

  gtk_editable_set_text (GTK_EDITABLE (entry), search);
  wait_until (members_match_one, picker, "the member search");
  g_assert_cmpuint (rg_member_list_get_fetch_count (list), >, fetches);

  g_signal_emit_by_name (_rg_card_member_picker_get_list_view (picker), "activate", 0);
  rg_test_ui_iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GtkDropTarget *
find_drop_target (RgCardFieldRow *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_assert_not_reached ();
}

/* What the drop target does when a row is dropped on it at (x, y). */
static gboolean
drop_field (RgCardFieldRow *row,
            RgCardField    *field,
            double          y)
{
  GtkDropTarget *drop = find_drop_target (row);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_true (g_type_is_a (RG_TYPE_CARD_FIELD, gtk_drop_target_get_gtypes (drop, NULL)[0]));
  g_value_init (&value, RG_TYPE_CARD_FIELD);
  g_value_set_object (&value, field);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, y, &accepted);
  g_value_unset (&value);
  rg_test_ui_iterate ();
  return accepted;
}

static gboolean
pdf_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_cards_edit_save_revert (Fixture       *fixture,
                             gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  RgCardDesign *design = rg_card_editor_get_design (editor);
  RgCardPreview *preview = _rg_card_editor_get_preview (editor);
  RgCardDesign *before_revert;
  g_autoptr(RgCardDesign) saved = NULL;
  g_autoptr(RgCardDesign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *duplicate_message = NULL;
  RgCardFieldRow *row;
  const char *message;
  guint n_fields, renders;

  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line");
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_cmpstr (rg_card_design_get_title (design), ==, "晨葉茶行 會員卡");
  g_assert_null (_rg_card_editor_get_problem_text (editor));

  /* A label typed in its row reaches the design and the preview at once. */
  row = get_row (editor, 0);
  g_assert_cmpstr (rg_card_field_row_get_field_name (row), ==, "Name");
  renders = rg_card_preview_get_n_renders (preview);
  gtk_editable_set_text (rg_card_field_row_get_label_editable (row), "會員姓名");
  g_assert_cmpstr (rg_card_field_get_label (rg_card_design_get_field (design, 0)), ==, "會員姓名");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "會員姓名");
  g_assert_cmpuint (rg_card_preview_get_n_renders (preview), >, renders);
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);

  /* Add a field: it comes last and leaves the Add Field menu. */
  n_fields = rg_card_design_get_n_fields (design);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-field", "s", "phone"));
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, n_fields + 1);
  g_assert_cmpstr (field_id_at (design, n_fields), ==, RG_CARD_FIELD_PHONE);
  g_assert_cmpstr (rg_card_field_row_get_field_name (get_row (editor, n_fields)), ==, "Phone");
  g_assert_null (_rg_card_editor_get_fields_message (editor));
  {
    GMenuModel *menu = gtk_menu_button_get_menu_model (_rg_card_editor_get_add_field_button (editor));
    gboolean listed = FALSE;

    for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
      {
        g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

        for (int i = 0; i < g_menu_model_get_n_items (section); i++)
          {
            g_autoptr(GVariant) target =
              g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET,
                                                     G_VARIANT_TYPE_STRING);

            listed |= g_str_equal (g_variant_get_string (target, NULL), RG_CARD_FIELD_PHONE);
            /* The demo shop's custom attributes are offered too. */
            if (g_str_equal (g_variant_get_string (target, NULL), "attr:favourite_tea"))
              g_assert_cmpint (s, ==, 1);
          }
      }
    g_assert_false (listed);
  }

  /* A duplicate is refused with the core's reason, shown under the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-field", "s",
                                             RG_CARD_FIELD_NAME));
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, n_fields + 1);
  {
    g_autoptr(RgCardField) again = rg_card_field_new (RG_CARD_FIELD_NAME, NULL);
    g_autoptr(GError) duplicate = NULL;

    g_assert_false (rg_card_design_add_field (design, again, &duplicate));
    g_assert_error (duplicate, RG_CARD_ERROR, RG_CARD_ERROR_DUPLICATE_FIELD);
    duplicate_message = g_strdup (duplicate->message);
  }
  message = _rg_card_editor_get_fields_message (editor);
  g_assert_cmpstr (message, ==, duplicate_message);
  g_assert_nonnull (strstr (message, "會員姓名"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (get_row (editor, 0)), TRUE);
  scroll_to (GTK_WIDGET (_rg_card_editor_get_fields_list (editor)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-fields");

  /* Move the new field up with its arrow, as a keyboard user would. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_row (editor, n_fields)),
                                             "field.move-up", NULL));
  rg_test_ui_iterate ();
  g_assert_cmpstr (field_id_at (design, n_fields - 1), ==, RG_CARD_FIELD_PHONE);
  g_assert_cmpstr (rg_card_field_get_id (rg_card_field_row_get_field (get_row (editor, n_fields - 1))),
                   ==, RG_CARD_FIELD_PHONE);
  /* The first row cannot go up, the last cannot go down. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (get_row (editor, 0)), "field.move-up", NULL) &&
                  g_str_equal (field_id_at (design, 0), RG_CARD_FIELD_PHONE));

  /* EAN-13 for a member whose number has letters: explained next to the setting and under
   * the preview, and the card still draws. */
  pick_member (editor, LETTERS_MEMBER);
  g_assert_cmpstr (rg_card_data_get_member_number (rg_card_editor_get_preview_data (editor)), ==,
                   LETTERS_MEMBER);
  adw_combo_row_set_selected (_rg_card_editor_get_barcode_row (editor), RG_CARD_BARCODE_EAN13);
  g_assert_cmpint (rg_card_design_get_barcode_type (design), ==, RG_CARD_BARCODE_EAN13);
  message = _rg_card_editor_get_barcode_status (editor);
  g_assert_nonnull (strstr (message, "“" LETTERS_MEMBER "”"));
  g_assert_nonnull (strstr (message, "EAN-13"));
  g_assert_nonnull (strstr (message, "not a digit"));
  g_assert_cmpstr (_rg_card_editor_get_problem_text (editor), ==, message);
  g_assert_cmpstr (rg_card_preview_get_problem (preview), ==, message);
  scroll_to (GTK_WIDGET (_rg_card_editor_get_barcode_row (editor)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-ean13-letters");

  /* Back to the sample member, whose number EAN-13 can carry. */
  gtk_widget_activate_action (GTK_WIDGET (_rg_card_editor_get_member_picker (editor)),
                              "picker.sample", NULL);
  g_assert_true (rg_card_data_get_is_sample (rg_card_editor_get_preview_data (editor)));
  g_assert_nonnull (strstr (_rg_card_editor_get_barcode_status (editor), "A scanner reads"));
  g_assert_null (_rg_card_editor_get_problem_text (editor));
  g_assert_null (rg_card_preview_get_problem (preview));

  /* Toggle a setting. */
  gtk_switch_set_active (_rg_card_editor_get_show_icons_switch (editor), FALSE);
  g_assert_false (rg_card_design_get_show_icons (design));
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);

  /* Save (Ctrl+S's action): the store gives back exactly the edited design. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.save", NULL));
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);
  loaded = rg_card_store_load (fixture->cards, RG_CARD_CHANNEL_LINE, &error);
  g_assert_no_error (error);
  g_assert_true (rg_card_design_equal (loaded, design));
  g_assert_cmpstr (rg_card_field_get_label (rg_card_design_get_field (loaded, 0)), ==, "會員姓名");
  g_assert_cmpstr (field_id_at (loaded, n_fields - 1), ==, RG_CARD_FIELD_PHONE);
  g_assert_cmpint (rg_card_design_get_barcode_type (loaded), ==, RG_CARD_BARCODE_EAN13);
  g_assert_false (rg_card_design_get_show_icons (loaded));
  saved = rg_card_design_copy (design);

  /* Another edit, then Revert: the saved design is back in the same object. */
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "Changed title");
  gtk_widget_activate_action (GTK_WIDGET (get_row (editor, 0)), "field.remove", NULL);
  rg_test_ui_iterate ();
  g_assert_cmpstr (rg_card_design_get_title (design), ==, "Changed title");
  g_assert_cmpuint (rg_card_design_get_n_fields (design), ==, n_fields);
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  before_revert = design;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.revert", NULL));
  g_assert_true (rg_card_editor_get_design (editor) == before_revert);
  g_assert_true (rg_card_design_equal (design, saved));
  g_assert_cmpstr (gtk_editable_get_text (_rg_card_editor_get_title_editable (editor)), ==,
                   "晨葉茶行 會員卡");
  g_assert_cmpstr (rg_card_field_row_get_field_name (get_row (editor, 0)), ==, "Name");
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);

  /* An edit undone by hand is not an unsaved change. */
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "x");
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "晨葉茶行 會員卡");
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);

  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-saved");
}

/* Typing into the title redraws the preview on each keystroke; prints what that costs. */
static void
test_cards_edit_latency (Fixture       *fixture,
                         gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  RgCardPreview *preview = _rg_card_editor_get_preview (editor);
  GtkEditable *title = _rg_card_editor_get_title_editable (editor);
  const char *typed = "Morning Leaf Tea House members";
  guint n = strlen (typed);
  guint renders = rg_card_preview_get_n_renders (preview);
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) draws = g_array_new (FALSE, FALSE, sizeof (double));
  double edit_sum = 0, draw_sum = 0, edit_max = 0, draw_max = 0;

  gtk_editable_set_text (title, "");
  renders = rg_card_preview_get_n_renders (preview);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strndup (typed, i + 1);
      gint64 start = g_get_monotonic_time ();
      double edit_ms, draw_ms;

      gtk_editable_set_text (title, text);
      edit_ms = (g_get_monotonic_time () - start) / 1000.0;
      draw_ms = rg_card_preview_get_last_render_usec (preview) / 1000.0;
      g_array_append_val (edits, edit_ms);
      g_array_append_val (draws, draw_ms);
      edit_sum += edit_ms;
      draw_sum += draw_ms;
      edit_max = MAX (edit_max, edit_ms);
      draw_max = MAX (draw_max, draw_ms);
    }

  g_assert_cmpuint (rg_card_preview_get_n_renders (preview), ==, renders + n);
  g_assert_cmpstr (rg_card_design_get_title (rg_card_editor_get_design (editor)), ==, typed);
  g_test_message ("preview at scale %d, %u keystrokes: whole edit %.2f ms mean, %.2f ms max; "
                  "rg_card_render %.2f ms mean, %.2f ms max",
                  gtk_widget_get_scale_factor (GTK_WIDGET (preview)), n,
                  edit_sum / n, edit_max, draw_sum / n, draw_max);
  /* Far above what it takes (see the message); a keystroke must never wait on a redraw. */
  g_assert_cmpfloat (edit_sum / n, <, 50.0);
}

static void
test_cards_tabs_keep_edits (Fixture       *fixture,
                            gconstpointer  data)
{
  RgCardEditor *whatsapp = show_channel (fixture, RG_CARD_CHANNEL_WHATSAPP);
  RgCardEditor *wechat;

  gtk_editable_set_text (_rg_card_editor_get_title_editable (whatsapp), "Morning Leaf VIP");
  assert_dirty (fixture, RG_CARD_CHANNEL_WHATSAPP);

  wechat = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  assert_clean (fixture, RG_CARD_CHANNEL_WECHAT);
  /* The other tab keeps its edit and its mark. */
  g_assert_true (gtk_stack_page_get_needs_attention (tab (fixture, RG_CARD_CHANNEL_WHATSAPP)));
  g_assert_false (rg_card_design_get_show_icons (rg_card_editor_get_design (wechat)));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-wechat");

  show_channel (fixture, RG_CARD_CHANNEL_WHATSAPP);
  g_assert_cmpstr (rg_card_design_get_title (rg_card_editor_get_design (whatsapp)), ==,
                   "Morning Leaf VIP");
  assert_dirty (fixture, RG_CARD_CHANNEL_WHATSAPP);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-whatsapp-unsaved");

  /* The previewed member is the same in every tab. */
  pick_member (whatsapp, LETTERS_MEMBER);
  g_assert_true (rg_card_editor_get_preview_data (wechat) ==
                 rg_card_editor_get_preview_data (whatsapp));
  /* WeChat's Code 39 carries “ML01001”. */
  g_assert_nonnull (strstr (_rg_card_editor_get_barcode_status (wechat), "A scanner reads"));
}

static void
test_cards_register_url (Fixture       *fixture,
                         gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  RgCardDesign *design = rg_card_editor_get_design (editor);
  GtkEditable *url = _rg_card_editor_get_register_url_editable (editor);
  g_autoptr(RgCardDesign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  g_assert_null (_rg_card_editor_get_url_message (editor));

  gtk_editable_set_text (url, "morningleaf.example/join");
  message = _rg_card_editor_get_url_message (editor);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "morningleaf.example/join"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url), "error"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (GTK_WIDGET (url),
                                                                            ADW_TYPE_EXPANDER_ROW)),
                                 TRUE);
  scroll_to (GTK_WIDGET (url));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-wechat-bad-url");

  /* Save refuses it and keeps the edit. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.save", NULL);
  assert_dirty (fixture, RG_CARD_CHANNEL_WECHAT);
  loaded = rg_card_store_load (fixture->cards, RG_CARD_CHANNEL_WECHAT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rg_card_design_get_register_url (loaded), ==,
                   "https://morningleaf.example/join?from=wechat");
  g_assert_false (rg_card_editor_save (editor, &error));
  g_assert_error (error, RG_CARD_ERROR, RG_CARD_ERROR_REGISTER_URL);

  gtk_editable_set_text (url, "https://morningleaf.example/register");
  g_assert_null (_rg_card_editor_get_url_message (editor));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url), "error"));
  g_assert_cmpstr (rg_card_design_get_register_url (design), ==,
                   "https://morningleaf.example/register");
}

static char *
write_png (const char *dir,
           const char *name,
           int         width,
           int         height)
{
  g_autoptr(cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width,
                                                                   height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.8, 0.2, 0.1);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  return g_steal_pointer (&path);
}

static gboolean
row_has_message (gpointer data)
{
  return rg_card_field_row_get_message (data) != NULL;
}

static gboolean
field_has_icon (gpointer data)
{
  return rg_card_field_get_icon (data) != NULL;
}

static gboolean
editor_has_header_message (gpointer data)
{
  return _rg_card_editor_get_header_message (data) != NULL;
}

static gboolean
design_has_header (gpointer data)
{
  return rg_card_design_get_header_image (data) != NULL;
}

static void
test_cards_icons_and_header (Fixture       *fixture,
                             gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_WHATSAPP);
  RgCardDesign *design = rg_card_editor_get_design (editor);
  RgCardFieldRow *row = get_row (editor, 1);
  RgCardField *field = rg_card_field_row_get_field (row);
  g_autofree char *wide = write_png (fixture->dir, "wide.png", 60, 40);
  g_autofree char *square = write_png (fixture->dir, "square.png", 48, 48);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(GFile) wide_file = g_file_new_for_path (wide);
  g_autoptr(GFile) square_file = g_file_new_for_path (square);
  g_autoptr(GFile) text_file = g_file_new_for_path (text);
  const char *message;

  g_assert_null (rg_card_field_get_icon (field));

  /* Not square: refused with the core's reason, in the row. */
  rg_card_field_row_load_icon (row, wide_file);
  wait_until (row_has_message, row, "the icon to be refused");
  message = rg_card_field_row_get_message (row);
  g_assert_nonnull (strstr (message, "wide.png"));
  g_assert_nonnull (strstr (message, "60×40"));
  g_assert_nonnull (strstr (message, "square"));
  g_assert_null (rg_card_field_get_icon (field));
  assert_clean (fixture, RG_CARD_CHANNEL_WHATSAPP);
  scroll_to (GTK_WIDGET (row));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-whatsapp-icon-refused");

  /* A square PNG is taken; Reset puts the default back. */
  rg_card_field_row_load_icon (row, square_file);
  wait_until (field_has_icon, field, "the icon to be taken");
  g_assert_null (rg_card_field_row_get_message (row));
  assert_dirty (fixture, RG_CARD_CHANNEL_WHATSAPP);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "field.reset-icon", NULL));
  g_assert_null (rg_card_field_get_icon (field));
  assert_clean (fixture, RG_CARD_CHANNEL_WHATSAPP);

  /* Header image: a text file is refused, removing and choosing work. */
  g_assert_nonnull (rg_card_design_get_header_image (design));
  g_assert_true (g_file_set_contents (text, "not an image", -1, NULL));
  rg_card_editor_load_header_image (editor, text_file);
  wait_until (editor_has_header_message, editor, "the header image to be refused");
  g_assert_nonnull (strstr (_rg_card_editor_get_header_message (editor), "notes.txt"));
  g_assert_nonnull (rg_card_design_get_header_image (design));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.remove-header", NULL));
  g_assert_null (rg_card_design_get_header_image (design));
  g_assert_null (_rg_card_editor_get_header_message (editor));
  assert_dirty (fixture, RG_CARD_CHANNEL_WHATSAPP);

  rg_card_editor_load_header_image (editor, wide_file);
  wait_until (design_has_header, design, "the header image to be taken");
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  scroll_to (_rg_card_editor_get_header_row (editor));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-whatsapp-letterboxed");
}

static void
test_cards_drag_and_drop (Fixture       *fixture,
                          gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  RgCardDesign *design = rg_card_editor_get_design (editor);
  RgCardDesign *line = rg_card_editor_get_design (rg_cards_page_get_editor (fixture->page,
                                                                           RG_CARD_CHANNEL_LINE));
  RgCardFieldRow *target = get_row (editor, 2);
  g_autofree char *first_id = g_strdup (field_id_at (design, 0));
  g_autofree char *second_id = g_strdup (field_id_at (design, 1));
  g_autofree char *third_id = g_strdup (field_id_at (design, 2));
  int height = gtk_widget_get_height (GTK_WIDGET (target));

  /* The first field dropped on the lower half of the third row lands after it. */
  g_assert_cmpint (height, >, 0);
  g_assert_true (drop_field (target, rg_card_design_get_field (design, 0), height - 2.0));
  g_assert_cmpstr (field_id_at (design, 0), ==, second_id);
  g_assert_cmpstr (field_id_at (design, 1), ==, third_id);
  g_assert_cmpstr (field_id_at (design, 2), ==, first_id);
  assert_dirty (fixture, RG_CARD_CHANNEL_WECHAT);

  /* On the upper half of the first row: before it. The list made new rows; a drop lands on
   * a row that was drawn. */
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (get_row (editor, 0))), >, 4);
  g_assert_true (drop_field (get_row (editor, 0), rg_card_design_get_field (design, 2), 2.0));
  g_assert_cmpstr (field_id_at (design, 0), ==, first_id);
  g_assert_cmpstr (field_id_at (design, 1), ==, second_id);
  assert_clean (fixture, RG_CARD_CHANNEL_WECHAT);

  /* Another channel's field is not taken. */
  g_assert_false (drop_field (get_row (editor, 0), rg_card_design_get_field (line, 1), 2.0));
  g_assert_cmpstr (field_id_at (design, 0), ==, first_id);
  assert_clean (fixture, RG_CARD_CHANNEL_WECHAT);
}

static void
test_cards_narrow_window (Fixture       *fixture,
                          gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  GtkToggleButton *button = GTK_TOGGLE_BUTTON (_rg_cards_page_get_preview_button (fixture->page));
  GtkWidget *preview = GTK_WIDGET (_rg_card_editor_get_preview (editor));

  g_assert_false (rg_card_editor_get_folded (editor));
  g_assert_true (gtk_toggle_button_get_active (button));
  g_assert_true (gtk_widget_get_mapped (preview));

  /* Wide, the button hides and shows the preview next to the settings. */
  gtk_toggle_button_set_active (button, FALSE);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_false (rg_card_editor_get_preview_revealed (editor));
  gtk_toggle_button_set_active (button, TRUE);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (rg_card_editor_get_preview_revealed (editor));

  /* Too narrow for both: the preview folds away until asked for. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 760, 720);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (rg_card_editor_get_folded (editor));
  g_assert_false (gtk_toggle_button_get_active (button));
  g_assert_false (gtk_widget_get_mapped (preview));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-narrow");

  gtk_toggle_button_set_active (button, TRUE);
  rg_test_ui_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (rg_card_editor_get_preview_revealed (editor));
  g_assert_true (gtk_widget_get_mapped (preview));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-narrow-preview");

  /* The button follows the tab in view. */
  editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  g_assert_true (rg_card_editor_get_folded (editor));
  g_assert_false (gtk_toggle_button_get_active (button));
}

static void
test_cards_export_and_print (Fixture       *fixture,
                             gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  RgCardDesign *design = rg_card_editor_get_design (editor);
  g_autofree char *png_path = g_build_filename (fixture->dir, "card.png", NULL);
  g_autofree char *pdf_path = g_build_filename (fixture->dir, "card.pdf", NULL);
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *name = NULL;
  g_autofree char *out = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (png_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(cairo_surface_t) image = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "-q", "--raw", png_path, NULL };
  int status = 0, width, height;
  gsize length;

  if (zbarimg == NULL)
    g_error ("zbarimg is not installed; install zbar-tools (tools/dev test does)");
  argv[0] = zbarimg;

  adw_combo_row_set_selected (_rg_card_editor_get_barcode_row (editor), RG_CARD_BARCODE_QR);
  pick_member (editor, LETTERS_MEMBER);
  name = rg_card_editor_dup_export_name (editor);
  g_assert_cmpstr (name, ==, "line-card-" LETTERS_MEMBER ".png");

  /* Export PNG's code path, without the file chooser. */
  rg_card_editor_export_png_async (editor, file, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (rg_card_editor_export_png_finish (editor, result, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);

  /* Twice the preview's size, as rg_card_get_size() says. */
  image = cairo_image_surface_create_from_png (png_path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  rg_card_get_size (design, 2.0, &width, &height);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, height);

  /* An independent decoder reads the member number back from the QR code. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (out);
  g_assert_cmpstr (out, ==, LETTERS_MEMBER);

  /* Print's draw-page, into a PDF instead of a printer. */
  operation = rg_card_editor_new_print_operation (editor);
  gtk_print_operation_set_export_filename (operation, pdf_path);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                            GTK_WINDOW (fixture->window), &error),
                   ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  wait_until (pdf_written, pdf_path, "the PDF");
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));

  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-qr-member");
}

static GtkWidget *
editor_child (RgCardEditor *editor,
              const char   *name)
{
  GtkWidget *child = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                RG_TYPE_CARD_EDITOR, name));

  if (child == NULL)
    g_error ("the card editor has no template child “%s”", name);
  return child;
}

/* The text a message box under a row shows, NULL while it is hidden. */
static const char *
message_text (RgCardEditor *editor,
              const char   *box,
              const char   *label)
{
  if (!gtk_widget_get_visible (editor_child (editor, box)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (editor_child (editor, label)));
}

static void
assert_keywords (Fixture            *fixture,
                 const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keywords = rg_card_responder_dup_keywords (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                           &error);

  g_assert_no_error (error);
  g_assert_nonnull (keywords);
  g_assert_cmpstrv (keywords, expected);
}

static void
test_cards_keywords (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const defaults[] = { RG_CARD_DEFAULT_KEYWORD, NULL };
  static const char * const edited[] = { "會員中心", "我的卡", "points", NULL };
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_LINE);
  RgCardEditor *whatsapp;
  GtkEditable *keywords = GTK_EDITABLE (editor_child (editor, "keywords_row"));
  g_autoptr(GError) error = NULL;
  g_autofree char *long_keyword = NULL;

  /* Only LINE matches keywords; WhatsApp asks with its quick-reply button. */
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "keywords_group")));
  whatsapp = rg_cards_page_get_editor (fixture->page, RG_CARD_CHANNEL_WHATSAPP);
  g_assert_false (gtk_widget_get_visible (editor_child (whatsapp, "keywords_group")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "wechat_group")));

  /* Never saved: the row shows the default, and the page is clean. */
  assert_keywords (fixture, defaults);
  g_assert_cmpstr (gtk_editable_get_text (keywords), ==, RG_CARD_DEFAULT_KEYWORD);
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);

  /* Commas, full-width commas and 、 all separate; spaces around them do not count. */
  gtk_editable_set_text (keywords, "會員中心， 我的卡、 points ");
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  scroll_to (editor_child (editor, "keywords_group"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-keywords");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.save", NULL));
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);
  assert_keywords (fixture, edited);
  g_assert_cmpstr (gtk_editable_get_text (keywords), ==, "會員中心, 我的卡, points");

  /* The same words typed differently are no change. */
  gtk_editable_set_text (keywords, "會員中心,我的卡,points");
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);

  /* Revert puts the saved list back. */
  gtk_editable_set_text (keywords, "hello");
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.revert", NULL));
  g_assert_cmpstr (gtk_editable_get_text (keywords), ==, "會員中心, 我的卡, points");
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);
  assert_keywords (fixture, edited);

  /* An empty keyword is refused in place and nothing is saved, the design neither. */
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "Not saved");
  gtk_editable_set_text (keywords, "a,,b");
  g_assert_false (rg_card_editor_save (editor, &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_clear_error (&error);
  g_assert_cmpstr (message_text (editor, "keywords_message", "keywords_message_label"), ==,
                   "Keyword 2 is empty");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (keywords), "error"));
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  assert_keywords (fixture, edited);
  {
    g_autoptr(RgCardDesign) loaded = rg_card_store_load (fixture->cards, RG_CARD_CHANNEL_LINE,
                                                         &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rg_card_design_get_title (loaded), !=, "Not saved");
  }

  /* Typing clears the message; one too long is refused with its length. */
  long_keyword = g_strnfill (RG_CARD_MAX_KEYWORD_LENGTH + 1, 'k');
  gtk_editable_set_text (keywords, long_keyword);
  g_assert_null (message_text (editor, "keywords_message", "keywords_message_label"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (keywords), "error"));
  g_assert_false (rg_card_editor_save (editor, &error));
  g_assert_error (error, RG_CARD_RESPONDER_ERROR, RG_CARD_RESPONDER_ERROR_KEYWORD);
  g_clear_error (&error);
  g_assert_nonnull (strstr (message_text (editor, "keywords_message", "keywords_message_label"),
                            "has 101 characters"));
  rg_test_ui_wait_for_draw (GTK_WIDGET (editor));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-line-keyword-refused");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.revert", NULL));
  g_assert_null (message_text (editor, "keywords_message", "keywords_message_label"));
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);

  /* Reset to Default, or a blank row: back to the default list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.reset-keywords", NULL));
  g_assert_cmpstr (gtk_editable_get_text (keywords), ==, RG_CARD_DEFAULT_KEYWORD);
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  gtk_editable_set_text (keywords, "  ");
  assert_dirty (fixture, RG_CARD_CHANNEL_LINE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.save", NULL));
  assert_clean (fixture, RG_CARD_CHANNEL_LINE);
  assert_keywords (fixture, defaults);
  g_assert_cmpstr (gtk_editable_get_text (keywords), ==, RG_CARD_DEFAULT_KEYWORD);
  g_assert_false (gtk_widget_get_sensitive (rg_test_ui_find_button (GTK_WIDGET (editor),
                                                                   "editor.reset-keywords")));
}

static gboolean
set_wechat_setting (RgChannelSettings  *settings,
                    const char         *field,
                    const char         *value,
                    GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_channel_settings_set_async (settings, "wechat", field, value, NULL, store_result, &result);
  RG_TEST_UI_WAIT_UNTIL (result != NULL);
  return rg_channel_settings_set_finish (settings, result, error);
}

static void
test_cards_wechat_push (Fixture       *fixture,
                        gconstpointer  data)
{
  RgCardEditor *editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  GtkWidget *push_button = editor_child (editor, "push_button");
  GtkEditable *brand = GTK_EDITABLE (editor_child (editor, "brand_row"));
  GtkEditable *logo = GTK_EDITABLE (editor_child (editor, "logo_row"));
  g_autoptr(RgSecrets) secrets = NULL;
  g_autoptr(RgChannelSettings) settings = NULL;
  g_autoptr(RgCardWeChat) wechat = NULL;
  g_autoptr(RgFakeWeChat) fake = NULL;
  g_autoptr(RgFakeRequest) request = NULL;
  g_autofree char *saved_brand = NULL;
  g_autofree char *card_id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  g_assert_true (gtk_widget_get_visible (editor_child (editor, "wechat_group")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "keywords_group")));
  g_assert_true (gtk_widget_get_sensitive (push_button));

  /* Unsaved changes: the push would send the old design, so it waits for Save. */
  gtk_switch_set_active (GTK_SWITCH (editor_child (editor, "enabled_switch")), TRUE);
  gtk_editable_set_text (_rg_card_editor_get_title_editable (editor), "晨葉會員卡");
  gtk_editable_set_text (brand, "晨葉茶行");
  gtk_editable_set_text (logo, "https://mmbiz.qpic.cn/logo.png");
  assert_dirty (fixture, RG_CARD_CHANNEL_WECHAT);
  g_assert_false (gtk_widget_get_sensitive (push_button));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (editor, "push_row"))),
                   ==, "Save the design first");

  /* A brand name WeChat would refuse is refused in place on Save. */
  gtk_editable_set_text (brand, "一二三四五六七八九十一二三");
  g_assert_false (rg_card_editor_save (editor, &error));
  g_assert_error (error, RG_CARD_WECHAT_ERROR, RG_CARD_WECHAT_ERROR_FIELD);
  g_clear_error (&error);
  message = message_text (editor, "wechat_message", "wechat_message_label");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "brand_name"));
  assert_dirty (fixture, RG_CARD_CHANNEL_WECHAT);

  gtk_editable_set_text (brand, "晨葉茶行");
  g_assert_null (message_text (editor, "wechat_message", "wechat_message_label"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "cards.save", NULL));
  assert_clean (fixture, RG_CARD_CHANNEL_WECHAT);
  secrets = rg_secrets_new ();
  settings = rg_channel_settings_new (rg_card_store_get_store (fixture->cards), secrets);
  wechat = rg_card_wechat_new (rg_card_store_get_store (fixture->cards), settings);
  saved_brand = rg_card_wechat_dup_brand_name (wechat);
  g_assert_cmpstr (saved_brand, ==, "晨葉茶行");
  g_assert_true (gtk_widget_get_sensitive (push_button));

  /* No WeChat credentials in this test's settings: the message points to the Channels page. */
  g_test_expect_message ("rg-card-editor", G_LOG_LEVEL_WARNING, "*Pushing the WeChat card failed*");
  g_signal_emit_by_name (push_button, "clicked");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "push_spinner")));
  g_assert_false (gtk_widget_get_sensitive (push_button));
  RG_TEST_UI_WAIT_UNTIL (!gtk_widget_get_visible (editor_child (editor, "push_spinner")));
  g_test_assert_expected_messages ();
  message = message_text (editor, "wechat_message", "wechat_message_label");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "Channels page"));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "channels_button")));
  g_assert_true (gtk_widget_get_sensitive (push_button));
  rg_test_ui_wait_for_draw (GTK_WIDGET (editor));
  scroll_to (editor_child (editor, "wechat_group"));
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-wechat-push-no-credentials");

  /* The pointer goes there. */
  g_signal_emit_by_name (editor_child (editor, "channels_button"), "clicked");
  rg_test_ui_iterate ();
  g_assert_cmpstr (rg_window_get_visible_page (fixture->window), ==, "channels");

  /* With credentials (the session's own test keyring, tools/keyring-session), the push
   * creates the card in the fake WeChat and keeps its card_id. */
  fake = rg_fake_wechat_new ();
  g_assert_true (rg_fake_platform_start (RG_FAKE_PLATFORM (fake), &error));
  g_assert_no_error (error);
  if (!set_wechat_setting (settings, "app-secret", RG_FAKE_WECHAT_APP_SECRET, &error))
    {
      g_assert_true (error->domain == RG_SECRETS_ERROR);
      g_test_skip ("No Secret Service: the push with credentials was not tried");
      return;
    }
  g_assert_true (set_wechat_setting (settings, "app-id", RG_FAKE_WECHAT_APP_ID, &error));
  g_assert_true (set_wechat_setting (settings, "base-url",
                                     rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fake)),
                                     &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "cards"));
  editor = show_channel (fixture, RG_CARD_CHANNEL_WECHAT);
  g_signal_emit_by_name (push_button, "clicked");
  RG_TEST_UI_WAIT_UNTIL (!gtk_widget_get_visible (editor_child (editor, "push_spinner")));
  g_assert_cmpstr (message_text (editor, "wechat_message", "wechat_message_label"), ==,
                   "Card created in WeChat");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "channels_button")));
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fake), "/card/create"),
                    ==, 1);
  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fake), "/card/create");
  body = rg_fake_request_dup_body_text (request);
  g_assert_nonnull (strstr (body, "晨葉茶行"));
  g_assert_nonnull (strstr (body, "https://mmbiz.qpic.cn/logo.png"));
  card_id = rg_card_wechat_dup_card_id (wechat);
  g_assert_nonnull (card_id);
  rg_test_ui_maybe_screenshot (GTK_WIDGET (fixture->window), "cards-wechat-pushed");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!rg_test_ui_init (&argc, &argv))
    return g_test_run ();

  shared_dir = rg_test_make_tmpdir ();
  db = g_build_filename (shared_dir, "demo.db", NULL);
  shared_app = rg_application_new (G_APPLICATION_NON_UNIQUE);
  rg_application_set_database (shared_app, db, TRUE);
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/regulars/ui/cards/edit-save-revert", Fixture, NULL,
              fixture_set_up, test_cards_edit_save_revert, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/edit-latency", Fixture, NULL,
              fixture_set_up, test_cards_edit_latency, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/tabs-keep-edits", Fixture, NULL,
              fixture_set_up, test_cards_tabs_keep_edits, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/register-url", Fixture, NULL,
              fixture_set_up, test_cards_register_url, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/icons-and-header", Fixture, NULL,
              fixture_set_up, test_cards_icons_and_header, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/drag-and-drop", Fixture, NULL,
              fixture_set_up, test_cards_drag_and_drop, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/narrow-window", Fixture, NULL,
              fixture_set_up, test_cards_narrow_window, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/export-and-print", Fixture, NULL,
              fixture_set_up, test_cards_export_and_print, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/keywords", Fixture, NULL,
              fixture_set_up, test_cards_keywords, fixture_tear_down);
  g_test_add ("/regulars/ui/cards/wechat-push", Fixture, NULL,
              fixture_set_up, test_cards_wechat_push, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&shared_app);
  rg_test_remove_tree (shared_dir);
  g_clear_pointer (&shared_dir, g_free);
  return status;
}
