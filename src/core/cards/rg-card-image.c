/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-card-image"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rg-card-image-private.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/**
 * _rg_card_image_sniff:
 *
 * Returns: (nullable): "png", "jpeg", "gif", "webp", "bmp" or "svg" from the first bytes,
 *   %NULL when unknown
 */
const char *
_rg_card_image_sniff (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size >= 8 && memcmp (data, png_signature, 8) == 0)
    return "png";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpeg";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  if (size >= 2 && data[0] == 'B' && data[1] == 'M')
    return "bmp";
  if (size >= 5 && (memcmp (data, "<?xml", 5) == 0 || memcmp (data, "<svg", 4) == 0))
    return "svg";
  return NULL;
}

/* Width and height from the IHDR chunk, which the PNG format puts first. */
static gboolean
png_dimensions (GBytes  *bytes,
                guint32 *width,
                guint32 *height)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  *width = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + 16));
  *height = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + 20));
  return *width > 0 && *height > 0;
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (guint k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }

  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* gdk-pixbuf's PNG loader accepts a file cut off in its image data and fills the rest;
 * walking the chunks with their CRCs up to IEND catches truncated or damaged uploads. */
static gboolean
png_chunks_valid (GBytes  *bytes,
                  GError **error)
{
  gsize size, offset = 8;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  while (offset + 12 <= size)
    {
      guint32 length = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + offset));
      guint32 stored;

      if (length > size - offset - 12)
        break;
      stored = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + offset + 8 + length));
      if (crc32_update (0, data + offset + 4, length + 4) != stored)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("it is damaged (checksum error at byte %lu)"), (gulong) offset);
          return FALSE;
        }
      if (memcmp (data + offset + 4, "IEND", 4) == 0)
        return TRUE;
      offset += 12 + length;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("the file is incomplete (it ends after %lu bytes)"), (gulong) size);
  return FALSE;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  const int *max = user_data;
  double ratio;

  if (max[0] <= 0 || max[1] <= 0 || (width <= max[0] && height <= max[1]))
    return;

  /* Decode big photos straight to the size we draw at, keeping their proportions. */
  ratio = MIN ((double) max[0] / width, (double) max[1] / height);
  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * ratio + 0.5)),
                              MAX (1, (int) (height * ratio + 0.5)));
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface;
  guint8 *dst;
  int dst_stride;

  surface = cairo_image_surface_create (n_channels == 4 ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        width, height);
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (gpointer) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++, s += n_channels)
        {
          guint32 a = n_channels == 4 ? s[3] : 0xff;
          /* cairo wants premultiplied alpha in native-endian 32-bit words. */
          guint32 r = (s[0] * a + 127) / 255;
          guint32 g = (s[1] * a + 127) / 255;
          guint32 b = (s[2] * a + 127) / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/**
 * _rg_card_image_decode:
 * @max_width: largest width to decode to (proportions kept), or 0 for the natural size
 * @max_height: largest height to decode to, or 0
 *
 * Returns: (transfer full): an image surface, or %NULL with @error set
 */
cairo_surface_t *
_rg_card_image_decode (GBytes  *bytes,
                       int      max_width,
                       int      max_height,
                       GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *type;
  GdkPixbuf *pixbuf;
  int max[2] = { max_width, max_height };
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  type = _rg_card_image_sniff (bytes);
  if (type == NULL || (!g_str_equal (type, "png") && !g_str_equal (type, "jpeg")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("it is not a PNG or JPEG file"));
      return NULL;
    }

  if (g_str_equal (type, "png") && !png_chunks_valid (bytes, error))
    return NULL;

  loader = gdk_pixbuf_loader_new_with_type (type, &local_error);
  if (loader == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), max);

  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* close() after a failed write only repeats the failure; its error is dropped. */
      gdk_pixbuf_loader_close (loader, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it holds no image"));
      return NULL;
    }
  return surface_from_pixbuf (pixbuf);
}

/**
 * rg_card_icon_check:
 * @png: the uploaded file
 *
 * An icon must be a PNG file, under 1 MB, square (1:1). Each refusal says which rule failed
 * and the actual size or dimensions.
 *
 * Returns: %TRUE if @png can be a field icon
 */
gboolean
rg_card_icon_check (GBytes  *png,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  const char *type;
  guint32 width, height;
  gsize size;

  g_return_val_if_fail (png != NULL, FALSE);

  size = g_bytes_get_size (png);
  if (size >= RG_CARD_ICON_MAX_BYTES)
    {
      g_autofree char *shown = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                   /* Translators: %s is a size such as “1.5 MiB”, %lu the exact byte count */
                   _("The icon is %s (%lu bytes); an icon must be under 1 MB (1,048,576 bytes)"),
                   shown, (gulong) size);
      return FALSE;
    }

  type = _rg_card_image_sniff (png);
  if (type == NULL || !g_str_equal (type, "png"))
    {
      if (type != NULL)
        g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                     /* Translators: %s is a file type such as “jpeg” */
                     _("The icon is a %s file; icons must be PNG files"), type);
      else
        g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                     _("The icon is not a PNG file; icons must be PNG files"));
      return FALSE;
    }

  if (!png_dimensions (png, &width, &height))
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                   _("The icon PNG is damaged: it has no image header"));
      return FALSE;
    }
  if (width != height)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                   _("The icon is %u×%u pixels; icons must be square (1:1)"),
                   (guint) width, (guint) height);
      return FALSE;
    }

  surface = _rg_card_image_decode (png, 0, 0, &local_error);
  if (surface == NULL)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_ICON,
                   _("The icon PNG could not be read: %s"), local_error->message);
      return FALSE;
    }
  cairo_surface_destroy (surface);
  return TRUE;
}

/**
 * rg_card_header_image_check:
 * @image: the uploaded file
 *
 * A header image is a PNG or JPEG of any size; it is drawn letterboxed into the
 * %RG_CARD_HEADER_WIDTH × %RG_CARD_HEADER_HEIGHT box.
 *
 * Returns: %TRUE if @image can be the header
 */
gboolean
rg_card_header_image_check (GBytes  *image,
                            GError **error)
{
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  const char *type;

  g_return_val_if_fail (image != NULL, FALSE);

  type = _rg_card_image_sniff (image);
  if (type == NULL || (!g_str_equal (type, "png") && !g_str_equal (type, "jpeg")))
    {
      if (type != NULL)
        g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_HEADER_IMAGE,
                     _("The header image is a %s file; use a PNG or JPEG file"), type);
      else
        g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_HEADER_IMAGE,
                     _("The header image is not a PNG or JPEG file"));
      return FALSE;
    }

  /* Decoding at most at twice the box is enough to prove the file readable. */
  surface = _rg_card_image_decode (image, 2 * RG_CARD_HEADER_WIDTH, 2 * RG_CARD_HEADER_HEIGHT,
                                   &local_error);
  if (surface == NULL)
    {
      g_set_error (error, RG_CARD_ERROR, RG_CARD_ERROR_HEADER_IMAGE,
                   _("The header image could not be read: %s"), local_error->message);
      return FALSE;
    }
  cairo_surface_destroy (surface);
  return TRUE;
}
