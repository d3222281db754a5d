/* text.h - multilingual text on an SDL renderer, cached.
 *
 * One call draws one line of UTF-8 in any mix of Latin, Hebrew and Persian:
 * FriBidi finds the embedding levels (paragraph direction from the first
 * strong character unless the caller forces it), the line is cut into runs
 * of one level and one script, each run gets the font of its script
 * (Latin, Hebrew, Arabic script; digits and neutrals follow the rules in
 * docs/text-rendering.md), is shaped by HarfBuzz with the right
 * direction and script and drawn from the board's own glyph cache
 * (fontrun.h), and the runs are placed in visual order on one baseline.
 * Emoji are runs of their own, drawn in colour from Noto Color Emoji
 * scaled to the line; a character no font has is drawn as
 * U+FFFD and counted (text_stats.missing_glyphs), never as an empty box.
 * Lines too wide are cut at their logical end with an ellipsis, before
 * reordering.
 *
 * Every finished line is kept as the alpha of its ink (ARGB with emoji),
 * keyed by (text, size, colour, max width, direction), and reused: a
 * frame where nothing changed rasterises no glyph. Entries unused for a
 * while are evicted so memory stays flat over months. */
#ifndef WALLBOARD_TEXT_H
#define WALLBOARD_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>

struct text;

enum text_dir { TEXT_DIR_AUTO, TEXT_DIR_LTR, TEXT_DIR_RTL };

enum text_align {
	TEXT_ALIGN_START,  /* the start side of the line's own paragraph
	                      direction: right for RTL text, left for LTR */
	TEXT_ALIGN_END,
	TEXT_ALIGN_LEFT,
	TEXT_ALIGN_RIGHT,
	TEXT_ALIGN_CENTER,
};

enum text_weight { TEXT_REGULAR, TEXT_BOLD };

struct text_style {
	int px;                  /* font size in pixels */
	enum text_weight weight;
	SDL_Color color;
	enum text_dir dir;       /* paragraph direction, usually AUTO */
	enum text_align align;
};

struct text_stats {
	uint64_t rasterised;     /* lines shaped and rasterised since init */
	uint64_t cache_hits;
	uint32_t cached;         /* lines in the cache now */
	uint64_t cached_bytes;   /* their pixels' bytes (w*h; w*h*4 with emoji) */
	uint64_t cached_stored;  /* what the cache holds of them: a line's
	                            alpha as spans of ink (text.c) */
	uint32_t digit_sets;     /* per-glyph digit sets built since init */
	uint64_t digit_bytes;    /* the digit sets' glyphs now: a byte a pixel
	                            of ink */
	uint32_t digit_textures; /* their textures now: made only for glyphs
	                            drawn through the renderer, not straight */
	uint32_t band_pixels;    /* the texture lines are coloured into to go
	                            through the renderer (0: none now) */
	bool emoji_open;         /* the colour emoji font is open: from the
	                            first emoji drawn or looked for on */
	uint64_t missing_glyphs; /* characters no font has, drawn as U+FFFD:
	                            counted once per line rasterised */
	uint64_t shaped;         /* layouts shaped (every run of a line or of
	                            a cut candidate): the cost of new lines */
};

/* A line not drawn (or measured) for this many text_frame_end calls is
 * dropped; cached lines take at most a third of an output's worth of
 * pixels (w*h/3 bytes; a line is kept as the alpha of its ink alone, ARGB
 * only with colour emoji; the alpha is held as spans of ink, 40-45 % of
 * those bytes: text_stats.cached_stored), up to a whole output's while the last few
 * frames need them (a screen's ink is a fraction of it; bench's frame:
 * 512 lines made in 300 frames with a third, 508 with half), w*h kept
 * between TEXT_CACHE_MIN_BYTES and TEXT_CACHE_MAX_BYTES: a stream of
 * new lines (a busy list paging) no longer fills 32 MB before any is old
 * enough to go (the soak's RSS grew by that much). */
#define TEXT_CACHE_EVICT_FRAMES 600
#define TEXT_CACHE_SCREEN_DIV 3
#define TEXT_CACHE_KEEP_FRAMES 4
#define TEXT_CACHE_MIN_BYTES (1u * 1024u * 1024u)
#define TEXT_CACHE_MAX_BYTES (8u * 1024u * 1024u)

/* font_dir holds NotoSans-{Regular,Bold}.ttf, NotoSansHebrew-*.ttf and
 * NotoSansArabic-*.ttf. Returns NULL (and logs) when a font is missing.
 * NotoColorEmoji.ttf is taken from font_dir if there, else from Debian's
 * fonts-noto-color-emoji; without it emoji are missing glyphs (logged).
 * SDL2_ttf is started (TTF_Init) only when a run needs it, the emoji
 * above all, and stopped by text_destroy. */
struct text *text_init(SDL_Renderer *renderer, const char *font_dir);
void text_destroy(struct text *t);

/* Draw utf8 inside box (vertically centred, aligned per style). Text wider
 * than box->w is cut with "…" at its logical end. Returns the drawn width
 * in pixels (0 on error or empty text). Invalid UTF-8 draws nothing. */
int text_draw(struct text *t, const char *utf8, const struct text_style *style,
	      const SDL_Rect *box);

/* Where text_draw would change pixels drawing utf8 in box, without
 * drawing: *out, the box around the line's pixels that are not
 * transparent (empty when nothing would be drawn, or only blanks), and
 * the width text_draw returns. The
 * line is made and cached as text_draw would, and counts as drawn this
 * frame (src/ui/scene.c records a frame first, then draws only what
 * changed: lines that stay on screen must stay cached). */
int text_place(struct text *t, const char *utf8, const struct text_style *style,
	       const SDL_Rect *box, SDL_Rect *out);

/* Width the line would take, uncut (uses the same cache). */
int text_width(struct text *t, const char *utf8, const struct text_style *style);

/* Line height for a size: the tallest of the three scripts' fonts, so
 * mixed lines share one baseline and rows never overlap. */
int text_line_height(struct text *t, int px);

/* Paragraph direction FriBidi resolves for utf8 (AUTO rule). */
enum text_dir text_resolve_dir(const char *utf8);

/* ASCII digits, ':', '-', '+', ' ' and '.' drawn from per-glyph alphas in
 * fixed-width cells, so ticking numbers never jitter and never rasterise.
 * Always left-to-right (clock times read LTR in Hebrew and Persian too).
 * Returns drawn width. text_digits_width gives it without drawing. */
int text_draw_digits(struct text *t, const char *ascii, const struct text_style *style,
		     const SDL_Rect *box);
int text_digits_width(struct text *t, const char *ascii, int px, enum text_weight w);
/* Where text_draw_digits would draw: the union of the glyphs' rects. */
int text_place_digits(struct text *t, const char *ascii, const struct text_style *style,
		      const SDL_Rect *box, SDL_Rect *out);

/* The digits text_draw_digits draws for '0'..'9': the ten code points from
 * zero, '0' (default) or U+06F0 (Persian ۰..۹, from the Arabic-script
 * font). Callers still pass ASCII; widths follow the digits drawn. Set it
 * once at start: changing it drops the digit textures. */
void text_set_digit_zero(struct text *t, uint32_t zero);

/* The software renderer's window surface to draw lines and digits
 * straight into (direct.h), while src/ui/scene.c draws into it; NULL
 * (the default): through the renderer. Either way the same pixels. */
void text_set_output(struct text *t, SDL_Surface *out);

/* Call once per frame after drawing: advances the cache clock and evicts
 * lines not drawn for a while. */
void text_frame_end(struct text *t);

void text_get_stats(const struct text *t, struct text_stats *out);

#endif
