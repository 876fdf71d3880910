/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-member-center"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n.h>

#include "rg-card-barcode-private.h"
#include "rg-card-image-private.h"
#include "rg-card-renderer.h"
#include "rg-member-center-private.h"

/*
 * The member-center pages: one mobile-first HTML document with inline CSS and images as
 * data: URLs, so that the page needs nothing but itself (the Content-Security-Policy of
 * rg-member-center.c allows nothing else).
 *
 * Languages. One process answers customers in several languages at once, so the process
 * locale cannot be switched per request: setting LANGUAGE and calling gettext is not
 * thread-safe, and uselocale() needs the zh_TW/zh_CN locales installed (Debian installs
 * none by default) and still loses to a LANGUAGE set in the environment. The page strings
 * are therefore looked up here, per request: first in the project's own compiled catalog
 * for the language (read directly from its .mo file, so the translator's wording wins),
 * then in the built-in table below, which keeps the pages in the customer's language where
 * no catalog is installed (an uninstalled build, a catalog missing a string). The texts
 * the merchant writes in the design (title, labels, not-found message, button) are shown
 * as written.
 */

typedef struct
{
  const char *msgid;
  const char *zh_tw;
  const char *zh_cn;
} PageString;

#define S_MEMBER_CENTER  0
#define S_INVALID_TITLE  1
#define S_INVALID_TEXT   2
#define S_EXPIRED        3
#define S_DISABLED       4
#define S_GONE           5
#define S_UNAVAILABLE    6
#define S_CARD_ALT       7
#define S_BARCODE        8
#define S_BARCODE_ALT    9
#define S_SHOW_CARD      10
#define S_PRIVACY        11
#define S_BARCODE_NOTE   12
#define S_REGISTER       13

static const PageString page_strings[] = {
  [S_MEMBER_CENTER] = { N_("Member Center"), "會員中心", "会员中心" },
  [S_INVALID_TITLE] = { N_("This link is not valid."), "此連結無效。", "此链接无效。" },
  [S_INVALID_TEXT] = { N_("Open Member Center again from the chat to get a new link."),
                       "請從聊天室重新開啟會員中心，以取得新的連結。",
                       "请从聊天中重新打开会员中心，以获取新的链接。" },
  [S_EXPIRED] = { N_("This link has expired. Open Member Center again from the chat."),
                  "此連結已過期，請從聊天室重新開啟會員中心。",
                  "此链接已过期，请从聊天中重新打开会员中心。" },
  [S_DISABLED] = { N_("The member card is currently disabled"),
                   "會員卡目前已停用", "会员卡目前已停用" },
  [S_GONE] = { N_("We could not find this membership."),
               "找不到此會員資料。", "找不到此会员资料。" },
  [S_UNAVAILABLE] = { N_("Member Center is temporarily unavailable. Please try again later."),
                      "會員中心暫時無法使用，請稍後再試。",
                      "会员中心暂时无法使用，请稍后再试。" },
  [S_CARD_ALT] = { N_("Member card"), "會員卡", "会员卡" },
  [S_BARCODE] = { N_("Show the barcode larger"), "放大顯示條碼", "放大显示条码" },
  [S_BARCODE_ALT] = { N_("Barcode of the member number"), "會員編號條碼", "会员编号条码" },
  [S_SHOW_CARD] = { N_("Show this card at the counter."),
                    "結帳時請出示此會員卡。", "结账时请出示此会员卡。" },
  [S_PRIVACY] = { N_("For your privacy, this link works for 30 minutes."),
                  "為保護您的隱私，此連結於 30 分鐘內有效。",
                  "为保护您的隐私，此链接在 30 分钟内有效。" },
  [S_BARCODE_NOTE] = { N_("Turn up the screen brightness if the scanner cannot read it."),
                       "若掃描不到，請調高螢幕亮度。", "若扫描不到，请调高屏幕亮度。" },
  [S_REGISTER] = { N_("Register"), "註冊", "注册" },
};

/* Pixels per module of the large barcode: big enough for a till scanner at arm's length. */
#define LARGE_QR_MODULE     8
#define LARGE_LINEAR_MODULE 3

#define MO_MAGIC         0x950412de
#define MO_MAGIC_SWAPPED 0xde120495

typedef struct
{
  GMappedFile  *file;
  const guint8 *data;
  gsize         size;
  gboolean      swap;
  guint32       n_strings;
  guint32       originals;
  guint32       translations;
  gboolean      tried;
} Catalog;

struct _RgMemberCenterCatalogs
{
  char    *locale_dir;
  GMutex   mutex;
  Catalog  catalogs[RG_MEMBER_CENTER_N_LANGUAGES];
};

static guint32
read_u32 (const Catalog *catalog,
          gsize          offset)
{
  guint32 value;

  memcpy (&value, catalog->data + offset, sizeof value);
  return catalog->swap ? GUINT32_SWAP_LE_BE (value) : value;
}

/* The string of table entry @index at @table, or NULL when the file lies about it. */
static const char *
catalog_string (const Catalog *catalog,
                guint32        table,
                guint32        index)
{
  gsize entry = (gsize) table + (gsize) index * 8;
  guint32 length, offset;

  if (entry + 8 > catalog->size)
    return NULL;
  length = read_u32 (catalog, entry);
  offset = read_u32 (catalog, entry + 4);
  if ((gsize) offset + length >= catalog->size || catalog->data[offset + length] != '\0')
    return NULL;
  return (const char *) catalog->data + offset;
}

static void
catalog_load (Catalog    *catalog,
              const char *locale_dir,
              const char *language)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  guint32 magic;

  catalog->tried = TRUE;
  if (locale_dir == NULL)
    return;

  path = g_build_filename (locale_dir, language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!(catalog->file = g_mapped_file_new (path, FALSE, &error)))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Member Center: could not read the catalog %s: %s", path, error->message);
      return;
    }

  catalog->data = (const guint8 *) g_mapped_file_get_contents (catalog->file);
  catalog->size = g_mapped_file_get_length (catalog->file);
  if (catalog->size >= 28)
    {
      memcpy (&magic, catalog->data, sizeof magic);
      catalog->swap = magic == MO_MAGIC_SWAPPED;
      if (magic == MO_MAGIC || magic == MO_MAGIC_SWAPPED)
        {
          catalog->n_strings = read_u32 (catalog, 8);
          catalog->originals = read_u32 (catalog, 12);
          catalog->translations = read_u32 (catalog, 16);
          if ((gsize) catalog->originals + (gsize) catalog->n_strings * 8 <= catalog->size &&
              (gsize) catalog->translations + (gsize) catalog->n_strings * 8 <= catalog->size)
            return;
        }
    }

  g_warning ("Member Center: %s is not a gettext catalog; using the built-in texts", path);
  g_clear_pointer (&catalog->file, g_mapped_file_unref);
  catalog->data = NULL;
  catalog->size = 0;
}

/* msgfmt sorts the original strings, so a binary search finds one. */
static const char *
catalog_lookup (const Catalog *catalog,
                const char    *msgid)
{
  guint32 low = 0;
  guint32 high;

  if (catalog->file == NULL)
    return NULL;

  high = catalog->n_strings;
  while (low < high)
    {
      guint32 middle = low + (high - low) / 2;
      const char *original = catalog_string (catalog, catalog->originals, middle);
      int cmp;

      if (original == NULL)
        return NULL;
      cmp = strcmp (msgid, original);
      if (cmp == 0)
        {
          const char *translation = catalog_string (catalog, catalog->translations, middle);

          return translation != NULL && translation[0] != '\0' ? translation : NULL;
        }
      if (cmp < 0)
        high = middle;
      else
        low = middle + 1;
    }
  return NULL;
}

static void
catalogs_clear (RgMemberCenterCatalogs *catalogs)
{
  for (guint i = 0; i < RG_MEMBER_CENTER_N_LANGUAGES; i++)
    g_clear_pointer (&catalogs->catalogs[i].file, g_mapped_file_unref);
  g_mutex_clear (&catalogs->mutex);
  g_free (catalogs->locale_dir);
}

/**
 * _rg_member_center_catalogs_new:
 * @locale_dir: (nullable): the folder holding <lang>/LC_MESSAGES/regulars.mo; %NULL for the
 *   built-in texts only
 */
RgMemberCenterCatalogs *
_rg_member_center_catalogs_new (const char *locale_dir)
{
  RgMemberCenterCatalogs *catalogs = g_atomic_rc_box_new0 (RgMemberCenterCatalogs);

  catalogs->locale_dir = g_strdup (locale_dir);
  g_mutex_init (&catalogs->mutex);
  return catalogs;
}

RgMemberCenterCatalogs *
_rg_member_center_catalogs_ref (RgMemberCenterCatalogs *catalogs)
{
  return g_atomic_rc_box_acquire (catalogs);
}

void
_rg_member_center_catalogs_unref (RgMemberCenterCatalogs *catalogs)
{
  g_atomic_rc_box_release_full (catalogs, (GDestroyNotify) catalogs_clear);
}

/**
 * _rg_member_center_gettext:
 * @msgid: one of the strings of the page table, or any msgid of the project
 *
 * Returns: the translation of @msgid into @language: the catalog's, else the built-in one,
 *   else @msgid itself. Valid as long as @catalogs.
 */
const char *
_rg_member_center_gettext (RgMemberCenterCatalogs *catalogs,
                           RgMemberCenterLanguage  language,
                           const char             *msgid)
{
  Catalog *catalog;
  const char *translation;

  g_assert (catalogs != NULL);
  g_assert (msgid != NULL);

  if (language == RG_MEMBER_CENTER_LANGUAGE_EN)
    return msgid;

  catalog = &catalogs->catalogs[language];
  g_mutex_lock (&catalogs->mutex);
  if (!catalog->tried)
    catalog_load (catalog, catalogs->locale_dir, rg_member_center_language_to_string (language));
  g_mutex_unlock (&catalogs->mutex);

  /* Loaded once and never changed after: reading needs no lock. */
  if ((translation = catalog_lookup (catalog, msgid)) != NULL)
    return translation;

  for (guint i = 0; i < G_N_ELEMENTS (page_strings); i++)
    {
      if (g_str_equal (page_strings[i].msgid, msgid))
        return language == RG_MEMBER_CENTER_LANGUAGE_ZH_TW ? page_strings[i].zh_tw
                                                           : page_strings[i].zh_cn;
    }
  return msgid;
}

guint
_rg_member_center_page_status (RgMemberCenterPage page)
{
  switch (page)
    {
    case RG_MEMBER_CENTER_PAGE_CARD:
    case RG_MEMBER_CENTER_PAGE_NOT_FOUND:
    case RG_MEMBER_CENTER_PAGE_DISABLED:
      /* Genuine links in a state the shop chose: the page is the answer. */
      return SOUP_STATUS_OK;
    case RG_MEMBER_CENTER_PAGE_INVALID:
      return SOUP_STATUS_FORBIDDEN;
    case RG_MEMBER_CENTER_PAGE_EXPIRED:
      /* 410: this URL is gone for good, which a 200 would hide from caches and link
       * checkers; every browser and in-app web view shows the page body all the same. */
      return SOUP_STATUS_GONE;
    case RG_MEMBER_CENTER_PAGE_GONE:
      return SOUP_STATUS_NOT_FOUND;
    case RG_MEMBER_CENTER_PAGE_UNAVAILABLE:
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    default:
      g_assert_not_reached ();
    }
}

static const char *
text (RgMemberCenterCatalogs *catalogs,
      RgMemberCenterLanguage  language,
      guint                   id)
{
  return _rg_member_center_gettext (catalogs, language, page_strings[id].msgid);
}

/* Appends @str escaped for HTML text and attribute values. */
static void
append_escaped (GString    *out,
                const char *str)
{
  g_autofree char *escaped = g_markup_escape_text (str != NULL ? str : "", -1);

  g_string_append (out, escaped);
}

static void
append_data_url (GString *out,
                 GBytes  *png)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));

  g_string_append (out, "data:image/png;base64,");
  g_string_append (out, base64);
}

/* "#rrggbb" only, so that the value can go into the style sheet as it is. */
static const char *
safe_accent (RgCardDesign *design)
{
  const char *color = design != NULL ? rg_card_design_get_accent_color (design) : NULL;

  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return "#2e7d5b";
  for (guint i = 1; i < 7; i++)
    {
      if (!g_ascii_isxdigit (color[i]))
        return "#2e7d5b";
    }
  return color;
}

static void
append_head (GString                *out,
             RgMemberCenterCatalogs *catalogs,
             RgMemberCenterLanguage  language,
             RgCardDesign           *design)
{
  const char *accent = safe_accent (design);

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  g_string_append (out, rg_member_center_language_to_tag (language));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
                        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
  if (design != NULL)
    {
      append_escaped (out, rg_card_design_get_title (design));
      g_string_append (out, " – ");
    }
  append_escaped (out, text (catalogs, language, S_MEMBER_CENTER));
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out,
                   ":root{color-scheme:light dark}\n"
                   "body{margin:0;background:#f2f2f4;color:#1c1c1e;line-height:1.5;"
                   "font-family:system-ui,-apple-system,\"PingFang TC\",\"Noto Sans CJK TC\","
                   "\"Microsoft JhengHei\",sans-serif;-webkit-text-size-adjust:100%}\n"
                   "main{max-width:28rem;margin:0 auto;padding:1rem 1rem 2rem}\n"
                   "h1{font-size:1.25rem;margin:.25rem 0 1rem}\n"
                   ".card{display:block;width:100%;height:auto;border-radius:16px;"
                   "box-shadow:0 2px 12px rgba(0,0,0,.15)}\n"
                   ".panel{background:#fff;border-radius:12px;margin:1rem 0;padding:.25rem 1rem}\n"
                   "dl{margin:0}\n"
                   "dl div{display:flex;justify-content:space-between;gap:1rem;padding:.6rem 0;"
                   "border-bottom:1px solid #e5e5ea}\n"
                   "dl div:last-child{border-bottom:0}\n"
                   "dt{color:#6b6b70}\n"
                   "dd{margin:0;font-weight:600;text-align:right;overflow-wrap:anywhere}\n"
                   "summary{padding:.6rem 0;font-weight:600;cursor:pointer}\n"
                   ".barcode img{display:block;width:100%;height:auto;background:#fff;"
                   "image-rendering:pixelated;image-rendering:crisp-edges}\n"
                   ".number{text-align:center;font:600 1.5rem/2 ui-monospace,monospace;"
                   "letter-spacing:.08em;overflow-wrap:anywhere}\n"
                   ".message{text-align:center;padding:1.5rem 1rem}\n"
                   ".message p{margin:.5rem 0}\n"
                   ".button{display:inline-block;margin-top:1rem;padding:.75rem 1.75rem;"
                   "border-radius:999px;color:#fff;font-weight:600;text-decoration:none}\n"
                   ".note{color:#6b6b70;font-size:.875rem;text-align:center}\n"
                   "@media (prefers-color-scheme:dark){body{background:#1c1c1e;color:#f2f2f7}"
                   ".panel{background:#2c2c2e}dl div{border-color:#3a3a3c}"
                   "dt,.note{color:#aeaeb2}}\n");
  g_string_append_printf (out, "summary,.accent{color:%s}\n.button{background:%s}\n",
                          accent, accent);
  g_string_append (out, "</style>\n</head>\n<body>\n<main>\n");
}

static void
append_tail (GString *out)
{
  g_string_append (out, "</main>\n</body>\n</html>\n");
}

static void
append_message (GString    *out,
                const char *heading,
                const char *message)
{
  g_string_append (out, "<section class=\"panel message\">\n");
  if (heading != NULL)
    {
      g_string_append (out, "<p><strong>");
      append_escaped (out, heading);
      g_string_append (out, "</strong></p>\n");
    }
  if (message != NULL)
    {
      g_string_append (out, "<p>");
      append_escaped (out, message);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "</section>\n");
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The barcode alone, drawn at whole pixels per module for scanning off a phone screen; the
 * number is printed as text under it by the page. %NULL when it cannot carry the number
 * (the card image already says why). */
static GBytes *
render_large_barcode (RgCardBarcode  type,
                      const char    *member_number)
{
  g_autoptr(RgZintSymbol) symbol = NULL;
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  g_autoptr(GByteArray) png = NULL;
  struct zint_vector *vector;
  double module;
  int width, height;

  if (member_number == NULL ||
      !(symbol = _rg_card_barcode_encode (type, member_number, NULL, NULL)) ||
      !(vector = symbol->vector) || vector->width <= 0 || vector->height <= 0)
    return NULL;

  module = type == RG_CARD_BARCODE_QR ? LARGE_QR_MODULE : LARGE_LINEAR_MODULE;
  width = (int) ceil (vector->width * module);
  height = (int) ceil (vector->height * module);
  if (type != RG_CARD_BARCODE_QR)
    height = MIN (height, (int) ceil (width * 0.4));

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (struct zint_vector_rect *rect = vector->rectangles; rect != NULL; rect = rect->next)
    cairo_rectangle (cr, round (rect->x * module),
                     type == RG_CARD_BARCODE_QR ? round (rect->y * module) : 0,
                     round (rect->width * module),
                     type == RG_CARD_BARCODE_QR ? round (rect->height * module) : height);
  cairo_fill (cr);

  png = g_byte_array_new ();
  cairo_surface_flush (surface);
  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_write_to_png_stream (surface, append_to_array, png) != CAIRO_STATUS_SUCCESS)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
append_card (GString                *out,
             RgMemberCenterCatalogs *catalogs,
             RgMemberCenterLanguage  language,
             RgCardDesign           *design,
             RgCardData             *data)
{
  g_autoptr(GBytes) card = NULL;
  g_autoptr(GBytes) barcode = NULL;
  g_autoptr(GError) problem = NULL;
  g_autoptr(GError) error = NULL;
  const char *number = rg_card_data_get_member_number (data);
  guint n_fields = rg_card_design_get_n_fields (design);
  int width, height;

  card = rg_card_render_to_png_bytes (design, data, 2.0, &problem, &error);
  if (card != NULL)
    {
      rg_card_get_size (design, 1.0, &width, &height);
      g_string_append (out, "<img class=\"card\" src=\"");
      append_data_url (out, card);
      g_string_append_printf (out, "\" width=\"%d\" height=\"%d\" alt=\"", width, height);
      append_escaped (out, text (catalogs, language, S_CARD_ALT));
      g_string_append (out, "\">\n");
    }
  else
    g_warning ("Member Center: could not draw the card: %s", error->message);

  /* The fields again as text: readable with any zoom or screen reader, and copyable. */
  if (n_fields > 0)
    {
      g_string_append (out, "<section class=\"panel\">\n<dl>\n");
      for (guint i = 0; i < n_fields; i++)
        {
          RgCardField *field = rg_card_design_get_field (design, i);
          const char *value = rg_card_data_get_value (data, rg_card_field_get_id (field));

          g_string_append (out, "<div><dt>");
          append_escaped (out, rg_card_field_get_label (field));
          g_string_append (out, "</dt><dd>");
          append_escaped (out, value != NULL ? value : "-");
          g_string_append (out, "</dd></div>\n");
        }
      g_string_append (out, "</dl>\n</section>\n");
    }

  if (problem == NULL &&
      (barcode = render_large_barcode (rg_card_design_get_barcode_type (design), number)) != NULL)
    {
      g_string_append (out, "<section class=\"panel barcode\">\n<details>\n<summary>");
      append_escaped (out, text (catalogs, language, S_BARCODE));
      g_string_append (out, "</summary>\n<img src=\"");
      append_data_url (out, barcode);
      g_string_append (out, "\" alt=\"");
      append_escaped (out, text (catalogs, language, S_BARCODE_ALT));
      g_string_append (out, "\">\n<p class=\"number\">");
      append_escaped (out, number);
      g_string_append (out, "</p>\n<p class=\"note\">");
      append_escaped (out, text (catalogs, language, S_BARCODE_NOTE));
      g_string_append (out, "</p>\n</details>\n</section>\n");
    }

  g_string_append (out, "<p class=\"note\">");
  append_escaped (out, text (catalogs, language, S_SHOW_CARD));
  g_string_append (out, "<br>");
  append_escaped (out, text (catalogs, language, S_PRIVACY));
  g_string_append (out, "</p>\n");
}

static void
append_not_found (GString                *out,
                  RgMemberCenterCatalogs *catalogs,
                  RgMemberCenterLanguage  language,
                  RgCardDesign           *design)
{
  const char *url = rg_card_design_get_register_url (design);
  const char *button = rg_card_design_get_register_button_text (design);

  g_string_append (out, "<section class=\"panel message\">\n<p>");
  append_escaped (out, rg_card_design_get_not_found_message (design));
  g_string_append (out, "</p>\n");

  /* Only an http(s) URL becomes a link: never javascript: or data: from a stored design. */
  if (url != NULL && url[0] != '\0' && rg_card_register_url_check (url, NULL))
    {
      g_string_append (out, "<a class=\"button\" href=\"");
      append_escaped (out, url);
      g_string_append (out, "\" rel=\"noopener noreferrer\">");
      append_escaped (out, button != NULL && button[0] != '\0' ? button
                                                        : text (catalogs, language, S_REGISTER));
      g_string_append (out, "</a>\n");
    }
  g_string_append (out, "</section>\n");
}

/**
 * _rg_member_center_build_page:
 * @design: (nullable): the channel's design; required for the card, not-found and disabled
 *   pages
 * @data: (nullable): the member's card data; required for the card page
 *
 * Builds the whole document. Renders the card, so it may run in a worker thread, with a
 * @design that no other thread uses meanwhile.
 *
 * Returns: (transfer full): the HTML
 */
char *
_rg_member_center_build_page (RgMemberCenterCatalogs *catalogs,
                              RgMemberCenterLanguage  language,
                              RgMemberCenterPage      page,
                              RgCardDesign           *design,
                              RgCardData             *data)
{
  g_autoptr(GString) out = g_string_sized_new (page == RG_MEMBER_CENTER_PAGE_CARD ? 96 * 1024
                                                                                  : 4096);

  g_assert (catalogs != NULL);
  g_assert (page != RG_MEMBER_CENTER_PAGE_CARD || (design != NULL && data != NULL));
  g_assert (page != RG_MEMBER_CENTER_PAGE_NOT_FOUND || design != NULL);

  append_head (out, catalogs, language, design);

  g_string_append (out, "<h1>");
  append_escaped (out, design != NULL ? rg_card_design_get_title (design)
                                      : text (catalogs, language, S_MEMBER_CENTER));
  g_string_append (out, "</h1>\n");

  switch (page)
    {
    case RG_MEMBER_CENTER_PAGE_CARD:
      append_card (out, catalogs, language, design, data);
      break;

    case RG_MEMBER_CENTER_PAGE_NOT_FOUND:
      append_not_found (out, catalogs, language, design);
      break;

    case RG_MEMBER_CENTER_PAGE_DISABLED:
      append_message (out, text (catalogs, language, S_DISABLED), NULL);
      break;

    case RG_MEMBER_CENTER_PAGE_INVALID:
      append_message (out, text (catalogs, language, S_INVALID_TITLE),
                      text (catalogs, language, S_INVALID_TEXT));
      break;

    case RG_MEMBER_CENTER_PAGE_EXPIRED:
      append_message (out, text (catalogs, language, S_EXPIRED), NULL);
      break;

    case RG_MEMBER_CENTER_PAGE_GONE:
      append_message (out, text (catalogs, language, S_GONE), NULL);
      break;

    case RG_MEMBER_CENTER_PAGE_UNAVAILABLE:
      append_message (out, text (catalogs, language, S_UNAVAILABLE), NULL);
      break;

    default:
      g_assert_not_reached ();
    }

  append_tail (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
