/* test_pngfile.c - the board's PNG writer (src/app/pngfile.c): what it
 * writes is read back with libpng's own reader and compared pixel for
 * pixel and channel for channel (0xAARRGGBB in, R G B A out); pictures it
 * cannot write are refused, and a write that fails is reported. */
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pngfile.h"

#include "check.h"

/* A picture of w x h, rows pitch bytes apart, its pixels from seed:
 * every channel value occurs, alpha included. */
static uint32_t *picture(int w, int h, int pitch, uint32_t seed)
{
	uint32_t *px = calloc((size_t)pitch * (size_t)h + 4, 1);
	for (int y = 0; px && y < h; y++) {
		uint32_t *row = (uint32_t *)(void *)((char *)px + (size_t)y * (size_t)pitch);
		for (int x = 0; x < w; x++)
			row[x] = (seed + (uint32_t)(y * w + x)) * 2654435761u;
		/* the padding after a row is never read into the picture */
		for (int x = w; x < pitch / 4; x++)
			row[x] = 0xdeadbeef;
	}
	return px;
}

/* Reads png back as RGBA; true when every pixel matches px. */
static bool reads_back(const char *png, size_t len, const uint32_t *px, int w, int h, int pitch)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, png, len))
		return false;
	bool ok = (int)img.width == w && (int)img.height == h &&
		  (img.format & PNG_FORMAT_FLAG_ALPHA) && (img.format & PNG_FORMAT_FLAG_COLOR);
	img.format = PNG_FORMAT_RGBA;
	uint8_t *rgba = ok ? malloc(PNG_IMAGE_SIZE(img)) : NULL;
	ok = rgba && png_image_finish_read(&img, NULL, rgba, 0, NULL);
	for (int y = 0; ok && y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)((const char *)px +
								     (size_t)y * (size_t)pitch);
		for (int x = 0; ok && x < w; x++) {
			const uint8_t *p = rgba + 4 * ((size_t)y * (size_t)w + (size_t)x);
			uint32_t got = (uint32_t)p[3] << 24 | (uint32_t)p[0] << 16 |
				       (uint32_t)p[1] << 8 | p[2];
			ok = got == row[x];
		}
	}
	free(rgba);
	png_image_free(&img);
	return ok;
}

static void test_round_trip(void)
{
	static const struct {
		const char *name;
		int w, h, pad; /* pad: bytes after each row */
	} rows[] = {
		{ "one pixel", 1, 1, 0 },
		{ "a row", 300, 1, 0 },
		{ "a column", 1, 300, 0 },
		{ "odd sizes", 17, 13, 0 },
		{ "rows with padding", 17, 13, 12 },
		{ "a strip of the 1080p output", 1920, 40, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		int pitch = rows[i].w * 4 + rows[i].pad;
		uint32_t *px = picture(rows[i].w, rows[i].h, pitch, (uint32_t)i + 1);
		char *png = NULL;
		size_t len = 0;
		CHECK(px != NULL);
		CHECK(pngfile_encode(px, rows[i].w, rows[i].h, pitch, &png, &len));
		CHECK(len > 8 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8));
		CHECK(reads_back(png, len, px, rows[i].w, rows[i].h, pitch));
		free(png);
		free(px);
	}
	check_ctx = "";
}

/* The file path: the same bytes as in memory. */
static void test_save(void)
{
	check_ctx = "save";
	char path[] = "/tmp/test_pngfile.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	uint32_t *px = picture(64, 48, 64 * 4, 7);
	char *png = NULL, *file = NULL;
	size_t len = 0;
	CHECK(pngfile_save(path, px, 64, 48, 64 * 4));
	CHECK(pngfile_encode(px, 64, 48, 64 * 4, &png, &len));
	FILE *f = fopen(path, "rb");
	file = malloc(len + 1);
	size_t got = f && file ? fread(file, 1, len + 1, f) : 0;
	CHECK_EQ(got, len);
	CHECK(file && png && !memcmp(file, png, len));
	if (f)
		fclose(f);
	unlink(path);
	/* a directory that is not there: refused, nothing left behind */
	CHECK(!pngfile_save("/nonexistent-dir/shot.png", px, 64, 48, 64 * 4));
	free(file);
	free(png);
	free(px);
	check_ctx = "";
}

static void test_refused(void)
{
	uint32_t px[16] = { 0 };
	static const struct {
		const char *name;
		bool null_px;
		int w, h, pitch;
	} rows[] = {
		{ "no pixels", true, 2, 2, 8 },
		{ "zero width", false, 0, 2, 8 },
		{ "zero height", false, 2, 0, 8 },
		{ "negative width", false, -2, 2, 8 },
		{ "pitch shorter than a row", false, 3, 2, 8 },
		{ "wider than any output", false, 100000, 1, 400000 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		char *png = (char *)"untouched";
		size_t len = 99;
		CHECK(!pngfile_encode(rows[i].null_px ? NULL : px, rows[i].w, rows[i].h,
				      rows[i].pitch, &png, &len));
		CHECK(png == NULL && len == 0);
	}
	/* a write that fails (the device is full) is reported */
	check_ctx = "device full";
	FILE *f = fopen("/dev/full", "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(!pngfile_write(f, px, 4, 4, 16));
		fclose(f);
	}
	check_ctx = "";
}

int main(void)
{
	test_round_trip();
	test_save();
	test_refused();
	return check_summary();
}
