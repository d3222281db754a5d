/* pngfile.c - see pngfile.h. */
#include "pngfile.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define PNGFILE_MAX_SIDE 16384 /* beyond any output SDL drives */

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	log_warn("png", "%s", msg);
}

/* libpng's errors longjmp back into write_rows; the reason is logged. */
static void on_error(png_structp png, png_const_charp msg)
{
	log_error("png", "%s", msg);
	png_longjmp(png, 1);
}

/* 0xAARRGGBB words to R, G, B, A bytes: the same on either byte order. */
static void row_to_rgba(const uint32_t *src, png_bytep dst, int w)
{
	for (int x = 0; x < w; x++) {
		uint32_t p = src[x];
		dst[4 * x] = (png_byte)(p >> 16);
		dst[4 * x + 1] = (png_byte)(p >> 8);
		dst[4 * x + 2] = (png_byte)p;
		dst[4 * x + 3] = (png_byte)(p >> 24);
	}
}

/* Kept apart from pngfile_write so nothing it changes after setjmp is
 * read after the longjmp (row is freed by the caller). */
static bool write_rows(png_structp png, png_infop info, FILE *f, const uint32_t *argb,
		       int w, int h, int pitch, png_bytep row)
{
	if (setjmp(png_jmpbuf(png)))
		return false;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		row_to_rgba((const uint32_t *)(const void *)((const char *)argb +
							     (size_t)y * (size_t)pitch), row, w);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	return true;
}

bool pngfile_write(FILE *f, const uint32_t *argb, int w, int h, int pitch)
{
	if (!f || !argb || w <= 0 || h <= 0 || w > PNGFILE_MAX_SIDE || h > PNGFILE_MAX_SIDE ||
	    pitch < w * 4) {
		log_error("png", "cannot write a %dx%d picture (pitch %d)", w, h, pitch);
		return false;
	}
	png_bytep row = malloc((size_t)w * 4);
	png_structp png = row ? png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
							on_error, on_warning) : NULL;
	png_infop info = png ? png_create_info_struct(png) : NULL;
	bool ok = info && write_rows(png, info, f, argb, w, h, pitch, row);
	if (!info)
		log_error("png", "out of memory");
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	return fflush(f) == 0 && !ferror(f) && ok;
}

bool pngfile_save(const char *path, const uint32_t *argb, int w, int h, int pitch)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		log_error("png", "cannot create %s", path);
		return false;
	}
	bool ok = pngfile_write(f, argb, w, h, pitch);
	ok = fclose(f) == 0 && ok;
	if (!ok)
		log_error("png", "writing %s failed", path);
	return ok;
}

bool pngfile_encode(const uint32_t *argb, int w, int h, int pitch, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f) {
		log_error("png", "out of memory");
		return false;
	}
	bool ok = pngfile_write(f, argb, w, h, pitch);
	ok = fclose(f) == 0 && ok; /* buf and n are final only now */
	if (!ok) {
		free(buf);
		return false;
	}
	*out = buf;
	*len = n;
	return true;
}
