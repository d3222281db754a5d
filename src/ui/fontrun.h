/* fontrun.h - a run of one font shaped by HarfBuzz and drawn from a glyph
 * cache of our own, pixel for pixel as SDL2_ttf 2.20 measures and draws
 * it (TTF_SizeUTF8, TTF_RenderUTF8_Blended with an opaque colour).
 *
 * Why: SDL2_ttf hinted a glyph new to it up to three times: HarfBuzz's
 * FreeType functions (hb-ft) load it for its advance, SDL2_ttf loads it
 * for its box when measuring and again when drawing. Both caches (hb-ft's
 * advances, SDL2_ttf's glyphs) hold 256 entries indexed by the glyph
 * number's low byte, so Persian's letter forms, Hebrew and Latin pushed
 * each other out: a line of a kind seen a thousand times still loaded
 * and hinted glyphs (TrueType bytecode was a third of a new line's CPU,
 * reading glyphs through the file another tenth). Here a glyph is loaded,
 * hinted and rendered once per font file and size, and kept in one cache
 * (FONTRUN_GLYPHS_MAX glyphs, least recently used out) whose key is the
 * whole glyph number. Each run's drawing also skips SDL2_ttf's ARGB
 * surface.
 *
 * Same pixels: a FreeType face of its own per font file (SDL2_ttf offers
 * no call that gives its own), opened, sized and given a character map
 * as SDL2_ttf does, the same load flags (hinted, FT_LOAD_DEFAULT), the
 * advances hb-ft gives HarfBuzz (FT_Get_Advance with those flags equals
 * the advance of the loaded glyph: checked over every glyph of the seven
 * fonts at seven sizes), the same shaping call (direction and script, no
 * language, no flags), SDL2_ttf's box arithmetic and its drawing (a run's
 * glyphs OR'ed into its alpha). Each file's face is at one size at a time
 * (its hinting state, 30-50 KB, is per size) and HarfBuzz reads its
 * OpenType tables once per file: SDL2_ttf's own instances no longer shape
 * text runs, so they never load theirs. test_fontrun compares runs with
 * SDL2_ttf's own output. */
#ifndef WALLBOARD_FONTRUN_H
#define WALLBOARD_FONTRUN_H

#include <stdbool.h>
#include <stdint.h>

struct fontrun;

/* Glyphs kept (and their bitmaps' bytes), across every font and size.
 * The cache serves lines not made yet (a made line is kept by text.c
 * as its own pixels), so it needs the glyphs new lines reuse: the list's
 * few sizes of each script's common letters, not every glyph of every
 * size a wall ever drew. The board at 1080p with 10,000 open and the
 * crisis on (scripts/bench.sh's board) held 660 glyphs, 270 KB of
 * bitmaps, after a minute at 100 msg/s with 768 KB allowed; with
 * 128 KB, 410 glyphs and about 110 more loads in that minute (the
 * banner's large glyphs and the digit sets' sizes go first), a few
 * milliseconds of CPU, and about 160 KB less memory. */
#define FONTRUN_GLYPHS_MAX 2048
#define FONTRUN_BYTES_MAX (128u * 1024u)

/* paths[i]: the file of font file number i (as text.c numbers them), n
 * of them. NULL when out of memory. */
struct fontrun *fontrun_create(const char *const *paths, int n);
void fontrun_destroy(struct fontrun *fr);

/* What TTF_SizeUTF8(font, utf8) gives, font being SDL2_ttf's instance
 * of file `file` at px pixels set to direction rtl and script (a
 * four-letter ISO 15924 tag): the run's width and height. false when
 * this module cannot draw it as SDL2_ttf would (the caller then asks
 * SDL2_ttf). */
bool fontrun_measure(struct fontrun *fr, int file, int px, const char *utf8, bool rtl,
		     const char *script, int *w, int *h);

/* What SDL2_ttf's instance of a file at a size would answer, without one:
 * an instance costs its own FreeType face (tables, character map, the
 * hinting state of its size) and a 256-glyph cache, and text.c opened
 * them for these answers alone. Each is false (-1) when this module
 * cannot open the file (the caller then asks SDL2_ttf). */
struct fontrun_metrics {
	int ascent, descent, height;	/* TTF_FontAscent, _Descent, _Height */
};
bool fontrun_metrics(struct fontrun *fr, int file, int px, struct fontrun_metrics *out);
/* TTF_GlyphIsProvided32: 1 or 0, -1 when the file cannot be opened. */
int fontrun_has_glyph(struct fontrun *fr, int file, uint32_t cp);
/* TTF_GlyphMetrics32's maxy and advance of code point cp. */
bool fontrun_glyph_metrics(struct fontrun *fr, int file, int px, uint32_t cp, int *maxy,
			   int *advance);

/* Draws the run fontrun_measure measured last (and nothing was measured
 * since) as TTF_RenderUTF8_Blended would, its alpha alone, into alpha:
 * w x h bytes, all zero, w and h as fontrun_measure gave them. */
void fontrun_draw(struct fontrun *fr, uint8_t *alpha, int w, int h);

struct fontrun_stats {
	uint64_t loads;		/* glyphs loaded, hinted and rendered */
	uint64_t hits;		/* glyphs found in the cache */
	uint64_t evicted;
	uint32_t glyphs;	/* in the cache now */
	uint64_t bytes;		/* their bitmaps */
	uint64_t shaped;	/* runs shaped by HarfBuzz */
	uint64_t memo_hits;	/* runs measured again, not shaped again */
	uint64_t table_bytes;	/* OpenType tables read for HarfBuzz, held */
	uint32_t tables_shared;	/* ... of them another file's (same bytes) */
};
void fontrun_get_stats(const struct fontrun *fr, struct fontrun_stats *out);

#endif
