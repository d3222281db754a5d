/* test_fontrun.c - runs shaped and drawn by the board (src/ui/fontrun.h)
 * against SDL2_ttf's own TTF_SizeUTF8 and TTF_RenderUTF8_Blended: the
 * same width, height and alpha, byte for byte, for Latin, Hebrew, Persian
 * and symbols in both weights at sizes from a 800x480 board's to a 4K
 * one's; a glyph is loaded once and stays (a mix of the three scripts
 * drawn again loads nothing); the cache keeps to its bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "fontfile.h"
#include "fontrun.h"

#include "check.h"

/* text.c's numbering: regular Latin, Hebrew, Arabic; bold the same; then
 * Symbols 2. */
static const char *const files[] = {
	"NotoSans-Regular.ttf", "NotoSansHebrew-Regular.ttf", "NotoSansArabic-Regular.ttf",
	"NotoSans-Bold.ttf", "NotoSansHebrew-Bold.ttf", "NotoSansArabic-Bold.ttf",
	"NotoSansSymbols2-Regular.ttf",
};
#define FILES ((int)(sizeof files / sizeof files[0]))
static const char *const scripts[FILES] = { "Latn", "Hebr", "Arab", "Latn", "Hebr", "Arab",
					    "Zyyy" };

/* Runs as text.c makes them: one script (and its neutrals) each. */
static const struct run {
	int script;		/* 0 Latin, 1 Hebrew, 2 Arabic, 3 symbols */
	bool rtl;
	const char *text;
} runs[] = {
	{ 0, false, "Order #48213 still hasn't arrived" },
	{ 0, false, "AVAWAY To. Ty, Wa; fi fl ffi" },
	{ 0, false, "I was charged twice: $89.99 (ref 12-7)" },
	{ 0, false, " " },
	{ 0, false, "\xef\xbf\xbd\xef\xbf\xbd" },	/* U+FFFD: a missing run */
	{ 0, false, "\xe2\x80\xa6" },		/* the ellipsis alone */
	{ 0, false, "caf\xc3\xa9 na\xc3\xafve \xc3\x85ngstr\xc3\xb6m" },
	{ 1, true, "\xd7\x94\xd7\x94\xd7\x96\xd7\x9e\xd7\xa0\xd7\x94 \xd7\xa2\xd7\x93\xd7\x99\xd7\x99\xd7\x9f "
		   "\xd7\x9c\xd7\x90 \xd7\x94\xd7\x92\xd7\x99\xd7\xa2\xd7\x94" },
	{ 1, true, "\xd7\xa9\xd6\xb8\xd7\x9c\xd7\x95\xd6\xb9\xd7\x9d \xd7\xa2\xd6\xb7\xd7\x9c\xd6\xb5\xd7\x99\xd7\x9b\xd6\xb6\xd7\x9d" },
	{ 1, true, "\xd7\x9e\xd7\xa9\xd7\x94 \xd7\x9b\xd7\x94\xd7\x9f" },
	{ 2, true, "\xd8\xb3\xd9\x81\xd8\xa7\xd8\xb1\xd8\xb4 \xd9\x85\xd9\x86 \xd9\x87\xd9\x86\xd9\x88\xd8\xb2 "
		   "\xd9\x86\xd8\xb1\xd8\xb3\xdb\x8c\xd8\xaf\xd9\x87" },
	{ 2, true, "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd8\xb3\xd8\xaf \xda\xa9\xd8\xb1\xd8\xaf\xd9\x87\xe2\x80\x8c"
		   "\xd8\xa7\xd9\x85" },			/* ZWNJ inside words */
	{ 2, true, "\xd9\x85\xd9\x8f\xd8\xad\xd9\x8e\xd9\x85\xd9\x91\xd9\x8e\xd8\xaf \xd9\x84\xd8\xa7 "
		   "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87" },	/* marks, lam-alef */
	{ 2, true, "\xdb\xb1\xdb\xb2\xdb\xb3\xdb\xb4\xdb\xb5 \xd9\xbe\xda\x86\xda\x98\xda\xaf" },
	{ 3, false, "\xe2\x9c\x93 \xe2\x98\x85 \xe2\x97\x8f \xe2\x96\xb6" },
};
#define RUNS ((int)(sizeof runs / sizeof runs[0]))

static const int sizes[] = { 12, 16, 22, 30, 41, 64, 97 };
#define SIZES ((int)(sizeof sizes / sizeof sizes[0]))

static char font_dir[1024];
static TTF_Font *fonts[FILES];
static struct fontrun *fr;
static int metrics_between;	/* > 0: compare() asks the line metrics at
				   this size between measuring and drawing */

static int file_of(int script, bool bold)
{
	return script == 3 ? 6 : script + (bold ? 3 : 0);
}

static TTF_Font *open_font(int file, int px)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", font_dir, files[file]);
	SDL_RWops *rw = fontfile_open(path);
	return rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
}

/* One run at one size: measured and drawn both ways. Returns the pixels
 * that differ (-1: the sizes differ, or one way failed). */
static long compare(int file, int px, const struct run *r)
{
	TTF_Font *font = fonts[file];
	int w = 0, h = 0, w2 = -1, h2 = -1;
	TTF_SetFontSize(font, px);
	TTF_SetFontDirection(font, r->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(font, scripts[file]);
	if (TTF_SizeUTF8(font, r->text, &w, &h) < 0)
		return -1;
	if (!fontrun_measure(fr, file, px, r->text, r->rtl, scripts[file], &w2, &h2) ||
	    w2 != w || h2 != h) {
		fprintf(stderr, "  %s at %d px: %dx%d, SDL2_ttf %dx%d\n", files[file], px, w2, h2,
			w, h);
		return -1;
	}
	struct fontrun_metrics m;
	if (metrics_between > 0 && !fontrun_metrics(fr, file, metrics_between, &m))
		return -1;
	if (w == 0)
		return 0;	/* SDL2_ttf makes no surface */
	uint8_t *mine = calloc((size_t)w * (size_t)h, 1);
	const SDL_Color white = { 255, 255, 255, 255 };
	SDL_Surface *s = TTF_RenderUTF8_Blended(font, r->text, white);
	long diff = -1;
	if (mine && s && s->w == w && s->h == h) {
		fontrun_draw(fr, mine, w, h);
		diff = 0;
		for (int y = 0; y < h; y++) {
			const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
			for (int x = 0; x < w; x++)
				diff += mine[(size_t)y * (size_t)w + x] != (row[x] >> 24);
		}
	}
	SDL_FreeSurface(s);
	free(mine);
	return diff;
}

static void test_same_pixels(void)
{
	int cases = 0, same = 0;
	for (int bold = 0; bold < 2; bold++) {
		for (int i = 0; i < RUNS; i++) {
			if (bold && runs[i].script == 3)
				continue;	/* one weight */
			for (int k = 0; k < SIZES; k++) {
				int file = file_of(runs[i].script, bold);
				long d = compare(file, sizes[k], &runs[i]);
				cases++;
				same += d == 0;
				if (d != 0)
					fprintf(stderr, "  run %d (%s) at %d px: %ld pixels differ\n", i,
						files[file], sizes[k], d);
			}
		}
	}
	checkf(same == cases, "runs drawn as SDL2_ttf draws them: %d of %d", same, cases);
	printf("%d runs (2 weights, %d sizes) the same as SDL2_ttf's, pixel for pixel\n", cases,
	       SIZES);
}

/* The three scripts' hot glyphs stay: drawing the mix again loads none
 * (SDL2_ttf's and hb-ft's caches, 256 entries by the glyph number's low
 * byte, reloaded about one glyph in ten of such lines). */
/* Tables HarfBuzz reads that another file has byte for byte (the
 * Regular's and Bold's GSUB and GDEF) are held once; the runs above,
 * shaped in both weights with them, drew SDL2_ttf's pixels. */
static void test_tables_shared(void)
{
	struct fontrun_stats st;
	fontrun_get_stats(fr, &st);
	checkf(st.tables_shared >= 2 && st.table_bytes > 0, "%u tables shared, %llu bytes held",
	       st.tables_shared, (unsigned long long)st.table_bytes);
}

static void test_glyphs_stay(void)
{
	struct fontrun_stats a, b;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			fontrun_get_stats(fr, &a);
		for (int bold = 0; bold < 2; bold++) {
			for (int i = 0; i < RUNS; i++) {
				int file = file_of(runs[i].script, bold && runs[i].script != 3);
				compare(file, 30, &runs[i]);
			}
		}
	}
	fontrun_get_stats(fr, &b);
	CHECK_EQ(b.loads - a.loads, 0);
	checkf(b.hits > a.hits, "hits %llu", (unsigned long long)(b.hits - a.hits));
}

/* Every size of every font: the cache stays within its caps, evicting the
 * least recently used, and still draws right after. */
static void test_bounds(void)
{
	struct fontrun_stats st;
	for (int px = 10; px < 120; px += 3) {
		for (int i = 0; i < RUNS; i++)
			compare(file_of(runs[i].script, px % 2), px, &runs[i]);
	}
	fontrun_get_stats(fr, &st);
	checkf(st.evicted > 0, "evicted %llu", (unsigned long long)st.evicted);
	CHECK(st.glyphs <= FONTRUN_GLYPHS_MAX);
	CHECK(st.bytes <= FONTRUN_BYTES_MAX);
	CHECK_EQ(compare(file_of(2, false), 30, &runs[11]), 0);
	CHECK_EQ(compare(file_of(0, true), 97, &runs[1]), 0);
}

/* A run measured again while it is among the last few (text.c measures
 * a line's runs to lay it out, then each again right before drawing it)
 * is not shaped again, and still draws as SDL2_ttf does. */
static void test_shaped_once(void)
{
	struct fontrun_stats a, b;
	const struct run *one = &runs[0], *two = &runs[2];
	int f1 = file_of(one->script, false), f2 = file_of(two->script, true);
	CHECK_EQ(compare(f1, 23, one), 0);
	fontrun_get_stats(fr, &a);
	CHECK_EQ(compare(f2, 23, two), 0);
	CHECK_EQ(compare(f1, 23, one), 0);
	fontrun_get_stats(fr, &b);
	CHECK_EQ(b.shaped - a.shaped, 1);
	CHECK_EQ(b.memo_hits - a.memo_hits, 1);
	/* the same text at another size is another run */
	CHECK_EQ(compare(f1, 24, one), 0);
	fontrun_get_stats(fr, &a);
	CHECK_EQ(a.shaped - b.shaped, 1);
}

/* What text.c asks SDL2_ttf's instances no more: line metrics at every
 * size from 6 to 200 px, which code points a font has (all of the BMP's
 * first 12,288 and the Arabic presentation forms), and the maxy and
 * advance of glyphs (the ellipsis, digits, Persian digits, marks that
 * rise) at the sizes: the same answers as SDL2_ttf's. Asked between the
 * runs drawn at another size, they change none of their pixels. */
static void test_metrics(void)
{
	static const uint32_t cps[] = { 0x2026, '0', '7', ':', '+', '-', '.', 'A', 'g', 0x06f0,
					0x06f9, 0x05b8, 0x05d0, 0x0651, 0x064e, 0x0627, 0x2713,
					0x2605, 0xfffd, 0x1f600 };
	int lines = 0, lines_same = 0, glyphs = 0, glyphs_same = 0, cmap = 0, cmap_same = 0;
	for (int file = 0; file < FILES; file++) {
		TTF_Font *font = fonts[file];
		for (int px = 6; px <= 200; px++) {
			struct fontrun_metrics m;
			TTF_SetFontSize(font, px);
			lines++;
			lines_same += fontrun_metrics(fr, file, px, &m) &&
				      m.ascent == TTF_FontAscent(font) &&
				      m.descent == TTF_FontDescent(font) &&
				      m.height == TTF_FontHeight(font);
			if (px % 9 != 3)
				continue;
			for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
				int maxy = -1, adv = -1, maxy2 = -2, adv2 = -2;
				TTF_GlyphMetrics32(font, cps[i], NULL, NULL, NULL, &maxy, &adv);
				glyphs++;
				glyphs_same += fontrun_glyph_metrics(fr, file, px, cps[i], &maxy2,
								     &adv2) &&
					       maxy == maxy2 && adv == adv2;
			}
		}
		for (uint32_t c = 0x20; c < 0x3000 || (c >= 0xfb00 && c < 0xff00);
		     c = c == 0x2fff ? 0xfb00 : c + 1) {
			cmap++;
			cmap_same += fontrun_has_glyph(fr, file, c) ==
				     (TTF_GlyphIsProvided32(font, c) != 0);
		}
	}
	checkf(lines_same == lines, "line metrics as SDL2_ttf's: %d of %d", lines_same, lines);
	checkf(glyphs_same == glyphs, "glyph metrics as SDL2_ttf's: %d of %d", glyphs_same,
	       glyphs);
	checkf(cmap_same == cmap, "code points provided as SDL2_ttf says: %d of %d", cmap_same,
	       cmap);
	CHECK_EQ(fontrun_has_glyph(fr, 2, 0x06f0), 1);
	CHECK_EQ(fontrun_has_glyph(fr, 1, 0x06f0), 0);
	CHECK_EQ(fontrun_has_glyph(fr, FILES, 'a'), -1);
	/* metrics of other sizes asked between runs, and between a run's
	 * measure and its drawing: glyphs new to a size (113 px is not in
	 * sizes[]) still load at the drawing size */
	struct fontrun_metrics m;
	CHECK_EQ(compare(0, 113, &runs[1]), 0);
	CHECK(fontrun_metrics(fr, 0, 57, &m));
	CHECK_EQ(compare(0, 113, &runs[2]), 0);
	metrics_between = 19;
	CHECK_EQ(compare(2, 113, &runs[11]), 0);
	CHECK_EQ(compare(0, 113, &runs[6]), 0);
	metrics_between = 0;
	printf("%d line metrics, %d glyph metrics, %d code points as SDL2_ttf's\n", lines, glyphs,
	       cmap);
}

int main(void)
{
	const char *assets = getenv("WB_ASSETS");
	snprintf(font_dir, sizeof font_dir, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	if (TTF_Init() < 0) {
		printf("TTF_Init: %s\n0 passed, 1 failed\n", TTF_GetError());
		return 1;
	}
	const char *paths[FILES];
	char buf[FILES][1200];
	for (int i = 0; i < FILES; i++) {
		snprintf(buf[i], sizeof buf[i], "%s/%s", font_dir, files[i]);
		paths[i] = buf[i];
		fonts[i] = open_font(i, 30);
		checkf(fonts[i] != NULL, "open %s", files[i]);
	}
	fr = fontrun_create(paths, FILES);
	CHECK(fr != NULL);
	if (fr && fonts[0]) {
		test_same_pixels();
		test_tables_shared();
		test_glyphs_stay();
		test_bounds();
		test_shaped_once();
		test_metrics();
	}
	fontrun_destroy(fr);
	fontrun_destroy(NULL);
	for (int i = 0; i < FILES; i++)
		TTF_CloseFont(fonts[i]);
	TTF_Quit();
	return check_summary();
}
