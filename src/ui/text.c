/* text.c - see text.h.
 *
 * A line goes: UTF-8 -> code points -> FriBidi embedding levels (with the
 * paragraph direction decided once for the whole, uncut string) -> one
 * font per code point -> runs of one level and one font, in logical
 * order -> visual order of the runs from fribidi_reorder_line's map ->
 * each run shaped by HarfBuzz with its own direction and script and drawn
 * from fontrun.c's glyph cache (emoji runs by SDL2_ttf, scaled to the
 * line) -> runs side by side on a common baseline -> kept as the line's
 * alpha alone, in spans of ink (a byte a pixel: every pixel of a line
 * without emoji has the line's colour), or as ARGB when it holds colour
 * emoji -> when drawn, blended straight into the software renderer's
 * window surface (direct.h) or coloured into one small streaming
 * texture, band by band, only where the clip lets it show.
 *
 * SDL2_ttf does no bidi and no font fallback, and TTF_MeasureUTF8 counts
 * RTL text wrongly (docs/text-rendering.md), hence all of this. */
#include "text.h"
#include "direct.h"
#include "fontfile.h"
#include "fontpool.h"
#include "fontrun.h"
#include "log.h"
#include "util.h"

#include <fribidi.h>
#include <SDL_ttf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A run's font: one of the three script fonts, Noto Sans Symbols 2 (for
 * what they lack: ✓ ★ ● ▶; optional), the colour emoji font, or none
 * (code points no font has, drawn as U+FFFD from Noto Sans). */
enum { FONT_LATIN, FONT_HEBREW, FONT_ARABIC, FONT_SCRIPTS,
       FONT_SYMBOLS = FONT_SCRIPTS, FONT_COUNT,
       RUN_EMOJI = FONT_COUNT, RUN_MISSING, CLS_NEUTRAL };

#define FONTSETS_MAX 32		/* sizes' metrics; the fonts are in struct faces */
/* Open instances of each font file, each at one size at a time
 * (fontpool.h): about twenty sizes share them. */
#define FACE_SLOTS 2
#define DIGIT_SETS_MAX 16
#define BUCKETS 1024		/* power of two */
#define ENTRIES_MAX 4096	/* measured-only lines hold no bytes: cap them too */
#define LINE_W_MAX 8192		/* widest texture we make, whatever the box */
#define LINE_CPS_MAX 8192	/* code points looked at; more never fit a line */
#define PX_MAX 1024
#define ELLIPSIS 0x2026

static const char *const font_files[2][FONT_COUNT] = {
	{ "NotoSans-Regular.ttf", "NotoSansHebrew-Regular.ttf", "NotoSansArabic-Regular.ttf",
	  "NotoSansSymbols2-Regular.ttf" },
	{ "NotoSans-Bold.ttf", "NotoSansHebrew-Bold.ttf", "NotoSansArabic-Bold.ttf",
	  "NotoSansSymbols2-Regular.ttf" },	/* it has one weight */
};
/* HarfBuzz script tags: case-sensitive, "arab" silently does nothing.
 * Emoji are script Common. */
static const char *const font_scripts[CLS_NEUTRAL] = {
	"Latn", "Hebr", "Arab", "Zyyy", "Zyyy", "Latn",
};

/* The colour emoji font: NotoColorEmoji.ttf in the font directory if the
 * site put one there, else Debian's fonts-noto-color-emoji. It is a CBDT
 * bitmap font with one strike (109 ppem): SDL2_ttf draws it in colour but
 * only at that size, so runs are rasterised at the strike and scaled to
 * the line here (docs/text-rendering.md). */
#define EMOJI_FILE "NotoColorEmoji.ttf"
#define EMOJI_SYSTEM_DIR "/usr/share/fonts/truetype/noto"
#define EMOJI_STRIKE_PX 109
#define REPLACEMENT 0xfffd

static const char digit_chars[] = "0123456789:-+. ";
#define DIGIT_GLYPHS ((int)sizeof digit_chars - 1)

struct fontset {
	int px;				/* 0: slot free */
	enum text_weight weight;
	uint64_t used;			/* t->tick at last use, for LRU */
	int ascent, height;		/* common baseline and line height; 0: unknown */
	int cells[DIGIT_GLYPHS];	/* text_draw_digits cell widths; [0] 0: unknown */
	/* the ascent of the font each glyph is drawn from, with cells:
	 * ticking digits are placed without touching a font */
	int digit_ascent[DIGIT_GLYPHS];
};

struct line {
	struct line *next;		/* hash chain */
	uint64_t hash;
	Uint8 *pix;			/* NULL: measured by text_width only;
					   else the ink's pixels alone (ink.w
					   a row), the rest is transparent */
	bool argb;			/* pix is ARGB (emoji), else alpha alone */
	bool spans;			/* the alpha is kept as spans (below) */
	int w, h;
	SDL_Rect ink;			/* the pixels not transparent, in the line */
	int px, max_w;			/* max_w 0: the uncut line */
	enum text_weight weight;
	enum text_dir dir, resolved;
	SDL_Color color;
	uint64_t drawn;			/* frame of last use */
	size_t bytes;			/* the ink's pixels' (the cache's caps) */
	size_t stored;			/* what pix holds of them */
	size_t len;
	char utf8[];
};

struct digit_set {
	int px;				/* 0: slot free */
	enum text_weight weight;
	SDL_Color color;
	/* A glyph's ink as its alpha alone (ink.w a row; NULL for the
	 * space): every pixel has the set's colour, as in a line. Blended
	 * straight (direct.h) it needs nothing else; a texture of it, ARGB,
	 * is made only when it is drawn through the renderer. Both were
	 * kept before, four bytes a pixel each: 0.8 MB at 1080p. */
	Uint8 *alpha[DIGIT_GLYPHS];
	SDL_Texture *tex[DIGIT_GLYPHS];	/* NULL: not made yet */
	uint64_t tex_used;		/* the frame one was last drawn in */
	int w[DIGIT_GLYPHS], h[DIGIT_GLYPHS];	/* the glyph's surface */
	SDL_Rect ink[DIGIT_GLYPHS];	/* in it, what alpha holds: the rest is
					   transparent (a digit fills half the
					   line's height): each second's tick
					   blends, and its damage fills, that
					   much less */
	uint64_t drawn;
};

struct run {
	int start, len, level, font, w;
	bool placed;			/* already in the visual order */
};

/* Per-line work arrays, grown to the longest line seen (bounded by
 * LINE_CPS_MAX) and kept, so a cache miss does not malloc per array. */
struct scratch {
	int cap;
	FriBidiChar *src, *cps;		/* the whole line; the line being laid out */
	FriBidiCharType *types;
	FriBidiBracketType *brackets;
	FriBidiLevel *levels;
	FriBidiStrIndex *map;
	unsigned char *cls;
	int *tmp;
	struct run *runs;
	int *order;			/* run indices, left to right */
	int nruns;
	int missing;			/* code points of the layout no font has */
	char *u8;			/* one run as UTF-8 */
	/* The ellipsis search (layout_fit): the places a line may be cut,
	 * their estimated widths, and the best cut laid out so far. */
	int *cuts, *est, *meas, *place, *bound;
	struct layout_copy {
		FriBidiChar *cps;
		FriBidiCharType *types;
		struct run *runs;
		int *order;
		int n, nruns, missing, w;
		int cut;		/* its index in cuts, -1: none */
	} best;
	int shaped_cut;			/* the cut laid out in the scratch, -1: none */
};

struct key {
	const char *utf8;
	size_t len;
	uint64_t hash;
	int px, max_w;
	enum text_weight weight;
	enum text_dir dir;
	SDL_Color color;
};

/* The one texture lines are coloured into when drawn: at most
 * BAND_PIXELS, as wide as the widest piece drawn, as many rows as fit.
 * On the software renderer lines are blended straight into the window
 * surface (direct.h) and the band serves only what is drawn outside the
 * scene (the first start's "Waiting for data" page): it is dropped when
 * no line used it for BAND_KEEP_FRAMES frames, not kept (256 KB) for
 * the board's life. */
#define BAND_PIXELS (64 * 1024)
#define BAND_KEEP_FRAMES 16
struct band {
	SDL_Texture *tex;
	int w, h;
	uint64_t used;			/* the frame it was last filled in */
};

/* The open fonts: both weights' script fonts, and Symbols 2 (one weight)
 * once for both. Allocated apart from struct text: a font changes size
 * under functions that only read the text (const struct text *). */
enum { FACE_FILES = 2 * FONT_SCRIPTS + 1 };
struct faces {
	TTF_Font *font[FACE_FILES][FACE_SLOTS];
	struct fontpool_slot slot[FACE_FILES][FACE_SLOTS];
	uint64_t tick;
	/* The colour emoji font: its file found and opened once at start
	 * (emoji_path NULL: none installed, emoji are missing), then closed
	 * until the first emoji needs it (emoji_font): an open instance
	 * holds 56 KB, and many walls never show one. */
	char *emoji_path;
	TTF_Font *emoji;		/* NULL: not open now */
	int emoji_ascent;		/* of the strike, pixels; 0: not known yet */
	bool ttf_started;		/* TTF_Init called (ttf_ready) */
};

struct text {
	SDL_Renderer *renderer;
	SDL_Surface *out;		/* drawn straight into: text_set_output */
	struct faces *faces;
	struct band band;
	char *font_dir;
	int max_line_w;
	uint64_t tick, frame;
	struct fontset sets[FONTSETS_MAX];
	struct digit_set digits[DIGIT_SETS_MAX];
	struct line *buckets[BUCKETS];
	uint32_t count;
	uint64_t bytes, max_bytes, stored;
	struct text_stats stats;
	struct scratch s;
	uint32_t digit_zero;		/* '0' or U+06F0: see text_set_digit_zero */
	bool symbols;			/* Noto Sans Symbols 2 is in font_dir */
	bool warned_utf8, warned_digits;
	/* Text runs are shaped and drawn here, SDL2_ttf's way, from a glyph
	 * cache of our own (fontrun.h); NULL: SDL2_ttf draws them. */
	struct fontrun *runs;
	Uint8 *run_px;			/* one run's alpha, drawn before it is
					   merged into the line */
};

/* ---- UTF-8 ---- */

/* One code point; returns its length, 0 when malformed (overlong,
 * surrogate, above U+10FFFF, truncated). */
static int utf8_next(const unsigned char *p, uint32_t *cp)
{
	unsigned c = p[0];
	uint32_t v, min;
	int len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Code points in utf8, or -1 if it is not valid UTF-8. */
static int utf8_count(const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int n = 0;
	uint32_t cp;

	while (*p) {
		int len = utf8_next(p, &cp);
		if (!len)
			return -1;
		p += len;
		n++;
	}
	return n;
}

static size_t utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static void warn_invalid(struct text *t)
{
	if (t->warned_utf8)
		return;
	t->warned_utf8 = true;
	log_warn("text", "invalid UTF-8 not drawn (logged once)");
}

/* ---- paragraph direction ---- */

/* UBA rules P2/P3: the first strong character outside isolates decides;
 * TEXT_DIR_AUTO when there is none. */
static enum text_dir strong_dir(const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int isolates = 0;
	uint32_t cp;

	if (!utf8)
		return TEXT_DIR_AUTO;
	while (*p) {
		int len = utf8_next(p, &cp);
		if (!len)
			break;
		p += len;
		FriBidiCharType type = fribidi_get_bidi_type(cp);
		if (type == FRIBIDI_TYPE_LRI || type == FRIBIDI_TYPE_RLI ||
		    type == FRIBIDI_TYPE_FSI)
			isolates++;
		else if (type == FRIBIDI_TYPE_PDI && isolates > 0)
			isolates--;
		else if (isolates == 0 && FRIBIDI_IS_STRONG(type))
			return FRIBIDI_IS_RTL(type) ? TEXT_DIR_RTL : TEXT_DIR_LTR;
	}
	return TEXT_DIR_AUTO;
}

/* ... none at all means LTR. */
enum text_dir text_resolve_dir(const char *utf8)
{
	enum text_dir d = strong_dir(utf8);
	return d == TEXT_DIR_AUTO ? TEXT_DIR_LTR : d;
}

static enum text_dir style_dir(const char *utf8, enum text_dir dir)
{
	return dir == TEXT_DIR_AUTO ? text_resolve_dir(utf8) : dir;
}

/* ---- fonts ---- */

/* The file of font f of weight, in the font directory: what SDL2_ttf's
 * instances, fontrun.h and the symbols check all open. */
static void font_path(const struct text *t, enum text_weight weight, int f, char *path,
		      size_t size)
{
	snprintf(path, size, "%s/%s", t->font_dir, font_files[weight][f]);
}

/* SDL2_ttf started at its first use: the colour emoji, or a text font
 * fontrun.h cannot draw (none of those shipped). A board that shows
 * neither never starts it: no FreeType library of its own, no code or
 * heap of it touched. */
static bool ttf_ready(const struct text *t)
{
	if (t->faces->ttf_started)
		return true;
	if (TTF_Init() != 0) {
		log_error("text", "TTF_Init: %s", TTF_GetError());
		return false;
	}
	t->faces->ttf_started = true;
	return true;
}

static TTF_Font *font_open(const struct text *t, enum text_weight weight, int f, int px)
{
	if (!ttf_ready(t))
		return NULL;
	char path[1024];
	font_path(t, weight, f, path, sizeof path);
	SDL_RWops *rw = fontfile_open(path); /* no lseek a glyph (fontfile.h) */
	TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
	if (!font)
		log_error("text", "cannot open %s at %d px: %s", path, px, TTF_GetError());
	return font;
}

static void faces_close(struct faces *fc)
{
	for (int i = 0; fc && i < FACE_FILES; i++) {
		for (int k = 0; k < FACE_SLOTS; k++) {
			if (fc->font[i][k])
				TTF_CloseFont(fc->font[i][k]);
		}
	}
	if (fc && fc->emoji)
		TTF_CloseFont(fc->emoji);
	if (fc && fc->ttf_started)
		TTF_Quit();
	if (fc)
		free(fc->emoji_path);
	free(fc);
}

/* The number of the file font f of weight is drawn from. */
static int face_file(enum text_weight weight, int f)
{
	return f == FONT_SYMBOLS ? FACE_FILES - 1 : (int)weight * FONT_SCRIPTS + f;
}

/* Font f of weight at px: an instance of its file at that size, opened
 * or changed to it when none is (fontpool.h). The pointer is good until
 * the next call for the same file at another size. */
static TTF_Font *face_font(const struct text *t, enum text_weight weight, int f, int px)
{
	struct faces *fc = t->faces;
	int file = face_file(weight, f);
	enum fontpool_action act;
	int k = fontpool_pick(fc->slot[file], FACE_SLOTS, px, ++fc->tick, &act);
	TTF_Font **font = &fc->font[file][k];

	if (act == FONTPOOL_RESIZE && TTF_SetFontSize(*font, px) != 0) {
		log_error("text", "font %d at %d px: %s", file, px, TTF_GetError());
		TTF_CloseFont(*font);
		*font = NULL;
	}
	if (!*font)
		*font = font_open(t, weight, f, px);
	if (!*font)
		fc->slot[file][k].px = 0; /* tried again at the next call */
	return *font;
}

/* The slot for (px, weight); an LRU slot is recycled when all are taken.
 * Fonts come from face_font, at the set's size. */
static struct fontset *fontset_get(struct text *t, int px, enum text_weight weight)
{
	struct fontset *lru = &t->sets[0];

	for (int i = 0; i < FONTSETS_MAX; i++) {
		struct fontset *fs = &t->sets[i];
		if (fs->px == px && fs->weight == weight) {
			fs->used = ++t->tick;
			return fs;
		}
		if (fs->px == 0 || (lru->px != 0 && fs->used < lru->used))
			lru = fs;
	}
	memset(lru, 0, sizeof *lru);
	lru->px = px;
	lru->weight = weight;
	lru->used = ++t->tick;
	return lru;
}

static TTF_Font *fontset_font(const struct text *t, struct fontset *fs, int f)
{
	return face_font(t, fs->weight, f, fs->px);
}

/* What SDL2_ttf's instance of font f at the set's size says of its line
 * (f below FONT_COUNT), from fontrun.h's face of the file: SDL2_ttf's
 * instances are opened only where fontrun.h cannot draw a file, or a
 * run (fontrun.h says why they cost). */
static bool font_metrics(const struct text *t, struct fontset *fs, int f,
			 struct fontrun_metrics *m)
{
	if (fontrun_metrics(t->runs, face_file(fs->weight, f), fs->px, m))
		return true;
	TTF_Font *font = fontset_font(t, fs, f);
	if (!font)
		return false;
	*m = (struct fontrun_metrics){ TTF_FontAscent(font), TTF_FontDescent(font),
				       TTF_FontHeight(font) };
	return true;
}

/* TTF_GlyphMetrics32's maxy and advance of c in font f at the set's size,
 * the same way. */
static bool glyph_metrics(const struct text *t, struct fontset *fs, int f, uint32_t c,
			  int *maxy, int *advance)
{
	if (fontrun_glyph_metrics(t->runs, face_file(fs->weight, f), fs->px, c, maxy, advance))
		return true;
	TTF_Font *font = fontset_font(t, fs, f);
	return font && TTF_GlyphMetrics32(font, c, NULL, NULL, NULL, maxy, advance) == 0;
}

/* TTF_GlyphIsProvided32 of font f, the same way. */
static bool glyph_provided(const struct text *t, struct fontset *fs, int f, uint32_t c)
{
	int has = fontrun_has_glyph(t->runs, face_file(fs->weight, f), c);
	if (has >= 0)
		return has;
	TTF_Font *font = fontset_font(t, fs, f);
	return font && TTF_GlyphIsProvided32(font, c);
}

/* The baseline sits at the largest ascent of the three fonts, the line is
 * as tall as the tallest font (Arabic script: much taller), so lines in
 * any script share a baseline and rows never overlap. */
static bool fontset_metrics(const struct text *t, struct fontset *fs)
{
	int ascent = 0, descent = 0, height = 0;

	if (fs->height)
		return true;
	for (int f = 0; f < FONT_SCRIPTS; f++) {	/* symbols fit inside */
		struct fontrun_metrics m;
		if (!font_metrics(t, fs, f, &m))
			return false;
		ascent = SDL_max(ascent, m.ascent);
		descent = SDL_max(descent, -m.descent);
		height = SDL_max(height, m.height);
	}
	fs->ascent = ascent;
	fs->height = SDL_max(height, ascent + descent);
	return true;
}

/* f: a font or run class below CLS_NEUTRAL. */
static void font_prepare(TTF_Font *font, int f, bool rtl)
{
	TTF_SetFontDirection(font, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(font, font_scripts[f]);
}

/* The colour emoji font, opened at its first use (emoji_open found
 * it); NULL when there is none or it cannot be opened (logged once: emoji
 * are then missing). */
static TTF_Font *emoji_font(const struct text *t)
{
	struct faces *fc = t->faces;
	if (fc->emoji || !fc->emoji_path)
		return fc->emoji;
	SDL_RWops *rw = ttf_ready(t) ? fontfile_open(fc->emoji_path) : NULL;
	fc->emoji = rw ? TTF_OpenFontRW(rw, 1, EMOJI_STRIKE_PX) : NULL;
	if (fc->emoji)
		fc->emoji_ascent = TTF_FontAscent(fc->emoji);
	if (!fc->emoji) {
		log_error("text", "cannot open %s: %s; emoji are drawn as U+FFFD", fc->emoji_path,
			  TTF_GetError());
		free(fc->emoji_path);
		fc->emoji_path = NULL;
	}
	return fc->emoji;
}

/* The text font of run class f (not emoji): missing code points are
 * drawn as U+FFFD, which Noto Sans has. */
static int run_text_font(int f)
{
	return f == RUN_MISSING ? FONT_LATIN : f;
}

/* The font that draws a run. */
static TTF_Font *run_font(const struct text *t, struct fontset *fs, int f)
{
	if (f == RUN_EMOJI)
		return emoji_font(t);
	return fontset_font(t, fs, run_text_font(f));
}

/* u8 in text font f (a run class below CLS_NEUTRAL, not emoji) at the
 * set's size, as TTF_SizeUTF8 gives it, by fontrun.h; false: SDL2_ttf
 * must measure (and draw) it. One place that knows how a run maps to
 * fontrun's file number and script, for runs and digits alike. */
static bool run_measure(struct text *t, struct fontset *fs, int f, const char *u8, bool rtl,
			int *w, int *h)
{
	int file = face_file(fs->weight, run_text_font(f));
	return fontrun_measure(t->runs, file, fs->px, u8, rtl, font_scripts[f], w, h);
}

/* Emoji are scaled so their ascent is Noto Sans's: they sit on the
 * baseline and fill the Latin line box (the strike's box is 1.27 of its
 * ascent, as Noto Sans's is), whatever the size. */
static double emoji_scale(const struct text *t, struct fontset *fs)
{
	struct fontrun_metrics latin;
	if (!t->faces->emoji_ascent && !emoji_font(t))
		return 0;
	if (t->faces->emoji_ascent <= 0 || !font_metrics(t, fs, FONT_LATIN, &latin))
		return 0;
	return (double)latin.ascent / t->faces->emoji_ascent;
}

/* ---- scratch ---- */

static void scratch_free(struct scratch *s)
{
	free(s->src);
	free(s->cps);
	free(s->types);
	free(s->brackets);
	free(s->levels);
	free(s->map);
	free(s->cls);
	free(s->tmp);
	free(s->runs);
	free(s->order);
	free(s->u8);
	free(s->cuts);
	free(s->est);
	free(s->meas);
	free(s->place);
	free(s->bound);
	free(s->best.cps);
	free(s->best.types);
	free(s->best.runs);
	free(s->best.order);
	memset(s, 0, sizeof *s);
}

/* Room for n code points plus the ellipsis; grows by doubling so a
 * stream of ever longer lines does not reallocate every time. */
static bool scratch_reserve(struct scratch *s, int n)
{
	size_t cap = (size_t)SDL_max(n + 1, SDL_min(2 * s->cap, LINE_CPS_MAX + 1));

	if (n + 1 <= s->cap)
		return true;
	cap = SDL_max(cap, 256);
	scratch_free(s);
	s->src = malloc(cap * sizeof *s->src);
	s->cps = malloc(cap * sizeof *s->cps);
	s->types = malloc(cap * sizeof *s->types);
	s->brackets = malloc(cap * sizeof *s->brackets);
	s->levels = malloc(cap * sizeof *s->levels);
	s->map = malloc(cap * sizeof *s->map);
	s->cls = malloc(cap);
	s->tmp = malloc(cap * sizeof *s->tmp);
	s->runs = malloc(cap * sizeof *s->runs);
	s->order = malloc(cap * sizeof *s->order);
	s->u8 = malloc(cap * 4 + 1);
	s->cuts = malloc(cap * sizeof *s->cuts);
	s->est = malloc(cap * sizeof *s->est);
	s->meas = malloc(cap * sizeof *s->meas);
	s->place = malloc(cap * sizeof *s->place);
	s->bound = malloc(cap * sizeof *s->bound);
	s->best.cps = malloc(cap * sizeof *s->best.cps);
	s->best.types = malloc(cap * sizeof *s->best.types);
	s->best.runs = malloc(cap * sizeof *s->best.runs);
	s->best.order = malloc(cap * sizeof *s->best.order);
	if (!s->src || !s->cps || !s->types || !s->brackets || !s->levels ||
	    !s->map || !s->cls || !s->tmp || !s->runs || !s->order || !s->u8 ||
	    !s->cuts || !s->est || !s->meas || !s->place || !s->bound ||
	    !s->best.cps || !s->best.types || !s->best.runs || !s->best.order) {
		scratch_free(s);
		log_error("text", "out of memory for a %d character line", n);
		return false;
	}
	s->cap = (int)cap;
	return true;
}

/* Decodes utf8 into s->src; returns the number of code points, -1 when
 * invalid (logged once) or out of memory. Past LINE_CPS_MAX code points
 * the rest is ignored: that much never fits one line anyway. */
static int decode_src(struct text *t, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int n = utf8_count(utf8);

	if (n < 0) {
		warn_invalid(t);
		return -1;
	}
	n = SDL_min(n, LINE_CPS_MAX);
	if (!scratch_reserve(&t->s, n))
		return -1;
	for (int i = 0; i < n; i++) {
		uint32_t cp;
		p += utf8_next(p, &cp);
		t->s.src[i] = cp;
	}
	return n;
}

/* ---- itemising: fonts and runs ---- */

static int block_font(uint32_t c)
{
	if ((c >= 0x0590 && c <= 0x05ff) || (c >= 0xfb1d && c <= 0xfb4f))
		return FONT_HEBREW;
	if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) ||
	    (c >= 0x0870 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) ||
	    (c >= 0xfe70 && c <= 0xfefc))
		return FONT_ARABIC;
	return -1;
}

/* Marks and joiners (ZWNJ) belong to the character before them. */
static bool is_attached(FriBidiCharType type)
{
	return type == FRIBIDI_TYPE_NSM || type == FRIBIDI_TYPE_BN;
}

/* Script blocks first: ASCII digits are Latin (Noto Sans Hebrew has no
 * digits), Persian digits are in the Arabic block. Other strong
 * characters and numbers get Noto Sans; the rest is neutral. */
static int initial_class(uint32_t c, FriBidiCharType type)
{
	int f = block_font(c);

	if (f >= 0)
		return f;
	if (FRIBIDI_IS_STRONG(type) || FRIBIDI_IS_NUMBER(type))
		return FONT_LATIN;
	return CLS_NEUTRAL;
}

static bool font_has(const struct text *t, struct fontset *fs, int f, uint32_t c)
{
	if (f >= FONT_SCRIPTS)
		return false;	/* spaces beside ✓ or emoji are text */
	if (f == FONT_LATIN)
		return true;	/* the last resort either way */
	return glyph_provided(t, fs, f, c);
}

/* A neutral takes the font of its strong neighbour at the same level
 * (preferring the one before it), if that font has the glyph; else the
 * other neighbour's; else Noto Sans. */
static int neutral_font(const struct text *t, struct fontset *fs, int i, int prev, int next)
{
	const struct scratch *s = &t->s;
	int a = FONT_LATIN, b = FONT_LATIN;

	if (prev >= 0 && (s->levels[prev] == s->levels[i] || next < 0 ||
			  s->levels[next] != s->levels[i])) {
		a = s->cls[prev];
		b = next >= 0 ? s->cls[next] : FONT_LATIN;
	} else if (next >= 0) {
		a = s->cls[next];
		b = prev >= 0 ? s->cls[prev] : FONT_LATIN;
	}
	if (font_has(t, fs, a, s->cps[i]))
		return a;
	if (font_has(t, fs, b, s->cps[i]))
		return b;
	return FONT_LATIN;
}

/* Emoji: the pictographic planes (with skin tones and regional
 * indicators), and any character asking for emoji presentation with
 * U+FE0F ("❤️", keycaps "1️⃣"). Others the text fonts lack but the emoji
 * font has (a bare "❤") are found by find_missing. */
static bool wants_emoji(const struct scratch *s, int i, int n)
{
	uint32_t c = s->cps[i];
	return (c >= 0x1f000 && c <= 0x1faff) || (i + 1 < n && s->cps[i + 1] == 0xfe0f);
}

static bool glyph_in(const struct text *t, struct fontset *fs, int f, uint32_t c)
{
	if (f == RUN_MISSING || (f == FONT_SYMBOLS && !t->symbols))
		return false;
	if (f != RUN_EMOJI)
		return glyph_provided(t, fs, f, c);
	TTF_Font *emoji = emoji_font(t);
	return emoji && TTF_GlyphIsProvided32(emoji, c);
}

/* Marks and joiners (ZWJ, U+FE0F, keycap U+20E3, tags) go with the
 * character before them: in an emoji run HarfBuzz makes one glyph of the
 * whole sequence. */
static void attach_marks(struct scratch *s, int n)
{
	for (int i = 1; i < n; i++) {
		if (is_attached(s->types[i]) && block_font(s->cps[i]) < 0)
			s->cls[i] = s->cls[i - 1];
	}
}

/* A character its font lacks goes to a font that has it, else it is
 * missing: drawn as U+FFFD, never as an empty box, and counted. Controls
 * and marks are not looked at (marks follow their base). */
static void find_missing(struct text *t, struct fontset *fs, int n)
{
	static const int order[] = {
		FONT_LATIN, FONT_HEBREW, FONT_ARABIC, FONT_SYMBOLS, RUN_EMOJI,
	};
	struct scratch *s = &t->s;

	s->missing = 0;
	for (int i = 0; i < n; i++) {
		uint32_t c = s->cps[i];
		if (is_attached(s->types[i]) || c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    glyph_in(t, fs, s->cls[i], c))
			continue;
		int f = RUN_MISSING;
		for (size_t k = 0; k < sizeof order / sizeof order[0] && f == RUN_MISSING; k++)
			if (glyph_in(t, fs, order[k], c))
				f = order[k];
		s->cls[i] = (unsigned char)f;
		s->missing += f == RUN_MISSING;
	}
	attach_marks(s, n);
}

static void assign_fonts(struct text *t, struct fontset *fs, int n)
{
	struct scratch *s = &t->s;
	int prev = -1;

	for (int i = 0; i < n; i++)
		s->cls[i] = (unsigned char)(t->faces->emoji_path && wants_emoji(s, i, n) ? RUN_EMOJI :
					    initial_class(s->cps[i], s->types[i]));
	/* tmp[i]: the next strong-font character at or after i, or -1. */
	for (int i = n - 1, next = -1; i >= 0; i--) {
		if (s->cls[i] != CLS_NEUTRAL)
			next = i;
		s->tmp[i] = next;
	}
	for (int i = 0; i < n; i++) {
		if (s->cls[i] != CLS_NEUTRAL) {
			prev = i;
			continue;
		}
		int next = i + 1 < n ? s->tmp[i + 1] : -1;
		s->cls[i] = (unsigned char)neutral_font(t, fs, i, prev, next);
	}
	attach_marks(s, n);
	find_missing(t, fs, n);
}

/* Runs of one level and one font, in logical order, then their visual
 * order from FriBidi's map. */
static void make_runs(struct scratch *s, int n)
{
	s->nruns = 0;
	for (int i = 0; i < n; i++) {
		if (i == 0 || s->levels[i] != s->levels[i - 1] || s->cls[i] != s->cls[i - 1]) {
			struct run *r = &s->runs[s->nruns++];
			r->start = i;
			r->len = 0;
			r->level = s->levels[i];
			r->font = s->cls[i];
			r->w = 0;
			r->placed = false;
		}
		s->runs[s->nruns - 1].len++;
		s->tmp[i] = s->nruns - 1;
	}
	/* One run is one level, so its characters are contiguous on screen:
	 * the runs appear in the map in their visual order. Each is placed
	 * at its first appearance, so order[] always lists every run once. */
	int count = 0;
	for (int v = 0; v < n; v++) {
		struct run *r = &s->runs[s->tmp[s->map[v]]];
		if (!r->placed) {
			r->placed = true;
			s->order[count++] = (int)(r - s->runs);
		}
	}
}

/* Levels, fonts and runs for s->cps[0..n). */
static bool itemise(struct text *t, struct fontset *fs, int n, bool rtl)
{
	struct scratch *s = &t->s;
	FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;

	fribidi_get_bidi_types(s->cps, n, s->types);
	fribidi_get_bracket_types(s->cps, n, s->types, s->brackets);
	if (!fribidi_get_par_embedding_levels_ex(s->types, s->brackets, n, &base, s->levels)) {
		log_error("text", "fribidi failed on a %d character line", n);
		return false;
	}
	/* A joiner (ZWNJ) must stay inside its word's run. */
	for (int i = 1; i < n; i++) {
		if (s->types[i] == FRIBIDI_TYPE_BN)
			s->levels[i] = s->levels[i - 1];
	}
	for (int i = 0; i < n; i++)
		s->map[i] = i;
	if (!fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, s->types, n, 0, base,
				  s->levels, NULL, s->map)) {
		log_error("text", "fribidi reorder failed");
		return false;
	}
	assign_fonts(t, fs, n);
	make_runs(s, n);
	return true;
}

/* A run as UTF-8; a missing run as one U+FFFD per character (its marks
 * dropped). */
static const char *run_utf8(struct scratch *s, const struct run *r)
{
	size_t len = 0;
	for (int i = 0; i < r->len; i++) {
		if (r->font != RUN_MISSING)
			len += utf8_put(s->u8 + len, s->cps[r->start + i]);
		else if (!is_attached(s->types[r->start + i]))
			len += utf8_put(s->u8 + len, REPLACEMENT);
	}
	s->u8[len] = '\0';
	return s->u8;
}

/* Shapes every run (widths only); returns the line width or -1. */
static int measure_runs(struct text *t, struct fontset *fs)
{
	struct scratch *s = &t->s;
	int total = 0;

	t->stats.shaped++;
	for (int i = 0; i < s->nruns; i++) {
		struct run *r = &s->runs[i];
		int w = 0, h = 0;
		const char *u8 = run_utf8(s, r);
		if (r->font == RUN_EMOJI ||
		    !run_measure(t, fs, r->font, u8, r->level & 1, &w, &h)) {
			TTF_Font *font = run_font(t, fs, r->font);
			if (!font)
				return -1;
			font_prepare(font, r->font, r->level & 1);
			if (TTF_SizeUTF8(font, u8, &w, &h) < 0)
				w = 0;
		}
		if (r->font == RUN_EMOJI)
			w = (int)(w * emoji_scale(t, fs) + 0.5);
		r->w = w;
		total += w;
	}
	return total;
}

/* Lays out s->cps[0..n); returns the width or -1. */
static int layout(struct text *t, struct fontset *fs, int n, bool rtl)
{
	if (n == 0) {
		t->s.nruns = 0;
		return 0;
	}
	if (!itemise(t, fs, n, rtl))
		return -1;
	return measure_runs(t, fs);
}

/* ---- ellipsis ---- */

/* Keeps src[0..k) minus trailing spaces, adds "…", lays it out. */
static int layout_cut(struct text *t, struct fontset *fs, int k, bool rtl)
{
	struct scratch *s = &t->s;

	while (k > 0 && fribidi_get_bidi_type(s->src[k - 1]) == FRIBIDI_TYPE_WS)
		k--;
	memcpy(s->cps, s->src, (size_t)k * sizeof *s->cps);
	s->cps[k] = ELLIPSIS;
	return layout(t, fs, k + 1, rtl);
}

/* Whether src[k] (0 < k) starts a grapheme cluster the cut may keep
 * apart from the text before it: not a mark or joiner (nor U+FE0F, a
 * keycap, a tag), not after a ZWJ (a family or a profession emoji is one
 * picture), not a skin tone, not the second regional indicator of a
 * flag (*ri: regional indicators in a row before src[k], updated). Torn,
 * these drew other pictures than the text's, and wider ones. */
static bool cut_allowed(const struct scratch *s, int k, int *ri)
{
	uint32_t c = s->src[k], prev = s->src[k - 1];
	bool flag_half = c >= 0x1f1e6 && c <= 0x1f1ff;

	*ri = prev >= 0x1f1e6 && prev <= 0x1f1ff ? *ri + 1 : 0;
	return !is_attached(fribidi_get_bidi_type(c)) && prev != 0x200d &&
	       !(c >= 0x1f3fb && c <= 0x1f3ff) && !(flag_half && *ri % 2);
}

/* The places a line of n code points may be cut, in logical order, into
 * s->cuts: before src[k] (k <= hi) where a grapheme cluster starts
 * (cut_allowed), and no space ends the kept text (layout_cut drops
 * trailing spaces: such cuts draw as the cut before the spaces). k = 0
 * keeps "…" alone. For a search probing position p: s->bound[p], the
 * last k <= p a cut may fall before; s->place[p], the cut it lays out
 * (the last at or before p). Returns how many cuts. */
static int cut_places(struct scratch *s, int hi)
{
	int m = 0, ri = 0;

	for (int k = 0; k <= hi; k++) {
		bool allowed = k == 0 || cut_allowed(s, k, &ri);
		s->bound[k] = allowed ? k : s->bound[k - 1];
		if (allowed && (k == 0 || fribidi_get_bidi_type(s->src[k - 1]) !=
					  FRIBIDI_TYPE_WS)) {
			s->meas[m] = INT_MIN;	/* not laid out yet */
			s->cuts[m++] = k;
		}
		s->place[k] = m - 1;
	}
	return m;
}

/* s->est[i]: the width the line cut at s->cuts[i] is guessed to take,
 * from the full line's layout (its runs' shaped widths, shared out over
 * their characters) and the ellipsis's advance. Non-decreasing in i. */
static void cut_estimates(struct text *t, struct fontset *fs, int m)
{
	struct scratch *s = &t->s;
	int ell = 0, r = 0, before = 0;	/* widths of the runs wholly kept */
	int maxy;

	if (!glyph_metrics(t, fs, FONT_LATIN, ELLIPSIS, &maxy, &ell))
		ell = fs->px;
	for (int i = 0; i < m; i++) {
		int k = s->cuts[i];
		while (r < s->nruns && s->runs[r].start + s->runs[r].len <= k)
			before += s->runs[r++].w;
		long long part = r < s->nruns ? (long long)s->runs[r].w *
			(k - s->runs[r].start) / s->runs[r].len : 0;
		s->est[i] = before + (int)part + ell;
	}
}

static void layout_save(struct scratch *s, int cut, int n, int w)
{
	struct layout_copy *b = &s->best;
	memcpy(b->cps, s->cps, (size_t)n * sizeof *s->cps);
	memcpy(b->types, s->types, (size_t)n * sizeof *s->types);
	memcpy(b->runs, s->runs, (size_t)s->nruns * sizeof *s->runs);
	memcpy(b->order, s->order, (size_t)s->nruns * sizeof *s->order);
	b->n = n;
	b->nruns = s->nruns;
	b->missing = s->missing;
	b->w = w;
	b->cut = cut;
}

/* What compose() reads of a layout: code points, types, runs, order. */
static int layout_restore(struct scratch *s)
{
	const struct layout_copy *b = &s->best;
	memcpy(s->cps, b->cps, (size_t)b->n * sizeof *s->cps);
	memcpy(s->types, b->types, (size_t)b->n * sizeof *s->types);
	memcpy(s->runs, b->runs, (size_t)b->nruns * sizeof *s->runs);
	memcpy(s->order, b->order, (size_t)b->nruns * sizeof *s->order);
	s->nruns = b->nruns;
	s->missing = b->missing;
	s->shaped_cut = b->cut;
	return b->w;
}

/* The width of the line cut at cuts[i], laid out once per search; the
 * widest fitting cut laid out is kept (layout_save). */
static int cut_width(struct text *t, struct fontset *fs, int i, bool rtl, int max_w)
{
	struct scratch *s = &t->s;
	if (s->meas[i] != INT_MIN)
		return s->meas[i];
	int w = layout_cut(t, fs, s->cuts[i], rtl);
	s->meas[i] = w;
	s->shaped_cut = i;
	if (w >= 0 && w <= max_w && i > s->best.cut)
		layout_save(s, i, s->cuts[i] + 1, w);
	return w;
}

/* The next cut to lay out, strictly between the cuts known to fit (lo)
 * and known not to (hi): the last whose estimate, corrected by what the
 * last measured cut missed by, fits; bisection once guessing has taken
 * a few tries, so a bad guess never costs more than a search would. */
static int cut_next(const struct scratch *s, int lo, int hi, int bias, int max_w, int tries)
{
	if (tries >= 3)
		return lo + (hi - lo) / 2;
	int a = lo + 1, b = hi - 1;	/* the answer lies in [a, b] */
	if (s->est[a] + bias > max_w)
		return a;
	while (a < b) {
		int mid = a + (b - a + 1) / 2;
		if (s->est[mid] + bias <= max_w)
			a = mid;
		else
			b = mid - 1;
	}
	return a;
}

/* Finds, from the estimates, a cut that fits whose next cut does not:
 * *lo and *hi = *lo + 1 (*lo -1: not even "…" fits; *hi m: the last
 * place fits). Typically two layouts. -1 on error. */
static int cut_edge(struct text *t, struct fontset *fs, int m, bool rtl, int max_w,
		    int *lo, int *hi)
{
	int bias = 0;
	*lo = -1;
	*hi = m;
	for (int tries = 0; *hi - *lo > 1; tries++) {
		int i = cut_next(&t->s, *lo, *hi, bias, max_w, tries);
		int w = cut_width(t, fs, i, rtl, max_w);
		if (w < 0)
			return -1;
		bias = w - t->s.est[i];
		*(w <= max_w ? lo : hi) = i;
	}
	return 0;
}

/* A cut CUT_SURE places or more and CUT_SURE_EM ems (estimated) before
 * the edge cut_edge found fits, one as far after it does not, without
 * being laid out. Widths grow with the text kept, except where an
 * Arabic-script letter turns from its final form (with a tail) to a
 * medial one, or a space changes font with its neighbour: less than one
 * letter. Torn emoji sequences shrank more; they are no longer cut
 * (cut_allowed). Checked against the full search over tens of thousands
 * of random mixed lines and widths: 1 place or 0 ems alone differ. */
#define CUT_SURE 2
#define CUT_SURE_EM 1

/* Whether the line cut at cuts[i] fits: 1 yes, 0 no, -1 error. */
static int cut_fits(struct text *t, struct fontset *fs, int i, bool rtl, int max_w,
		    int edge_lo, int edge_hi)
{
	const struct scratch *s = &t->s;
	if (i <= edge_lo - CUT_SURE && s->est[edge_lo] - s->est[i] >= CUT_SURE_EM * fs->px)
		return 1;
	if (i >= edge_hi + CUT_SURE &&
	    s->est[i] - s->est[edge_hi] >= CUT_SURE_EM * fs->px)
		return 0;
	int w = cut_width(t, fs, i, rtl, max_w);
	return w < 0 ? -1 : w <= max_w;
}

/* Lays out the first n code points of s->src, cut at their logical end
 * with "…" if wider than max_w. Returns the width (-1 on error, 0 when
 * not even "…" fits); the layout stays in the scratch for compose().
 *
 * The cut is the one a binary search over the places finds, laying out
 * each place it probes with its "…" (TTF_MeasureUTF8 is wrong for RTL).
 * That search laid out a cut line eight to ten times, and the hinted
 * glyph loads behind each layout were the main cost of a new line. The
 * same search is run here, but only the probes near where the line
 * crosses max_w are laid out: that edge is found first, guessed from the
 * full line's runs (cut_edge, typically two layouts), and probes well
 * before it fit, well after it do not (CUT_SURE). The result is the
 * search's, also where widths do not grow with the text kept, in
 * typically three or four layouts of a cut line. */
static int layout_fit(struct text *t, struct fontset *fs, int n, bool rtl, int max_w,
		      bool *cut)
{
	struct scratch *s = &t->s;

	memcpy(s->cps, s->src, (size_t)n * sizeof *s->cps);
	int w = layout(t, fs, n, rtl);
	*cut = w > max_w;
	if (w < 0 || w <= max_w)
		return w;
	/* No script packs 8 characters per em, so the cut lies below this:
	 * a 2000-character complaint is not laid out whole again. */
	int lo = 0, hi = (int)SDL_min((long long)n - 1, 8LL * max_w / fs->px + 64);
	int m = cut_places(s, hi), edge_lo, edge_hi, best = -1;
	s->best.cut = -1;
	s->shaped_cut = -1;
	cut_estimates(t, fs, m);
	if (cut_edge(t, fs, m, rtl, max_w, &edge_lo, &edge_hi) < 0)
		return -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, i = s->place[mid];
		int fits = cut_fits(t, fs, i, rtl, max_w, edge_lo, edge_hi);
		if (fits < 0)
			return -1;
		if (fits) {
			best = SDL_max(best, i);
			lo = mid + 1;
		} else {
			hi = s->bound[mid] - 1;
		}
	}
	if (best < 0) {
		s->nruns = 0;
		return 0;
	}
	if (s->shaped_cut == best)
		return s->meas[best];
	if (s->best.cut == best)
		return layout_restore(s);
	return layout_cut(t, fs, s->cuts[best], rtl);
}

/* ---- composing one line ---- */

/* The colour's RGB as an ARGB pixel's low 24 bits (alpha 0). */
static Uint32 colour_rgb(SDL_Color c)
{
	return ((Uint32)c.r << 16) | ((Uint32)c.g << 8) | c.b;
}

/* What compose() draws a line on: the ARGB pixels of a line with colour
 * emoji, else the line's alpha alone (every pixel has the line's colour),
 * the cache's own buffer either way. */
struct canvas {
	SDL_Surface *argb;	/* NULL: alpha */
	Uint8 *alpha;
	int w, h;
};

/* A run's pixels: SDL2_ttf's ARGB surface (every pixel the line's
 * colour), or its alpha alone (fontrun.h) and the colour. */
struct run_pixels {
	const SDL_Surface *argb;	/* NULL: alpha */
	const Uint8 *alpha;
	int w, h;
	Uint32 rgb;
};

/* Copies src onto the canvas at (x, y), keeping the more opaque pixel:
 * all runs share one colour, so where two runs' edges overlap this is
 * right, and it avoids darkening edges as a blend onto a transparent
 * surface would. */
static void copy_max_alpha(struct canvas *dst, const struct run_pixels *src, int x, int y)
{
	int x0 = SDL_max(0, -x), y0 = SDL_max(0, -y);
	int x1 = SDL_min(src->w, dst->w - x), y1 = SDL_min(src->h, dst->h - y);

	/* one loop per kind of source and canvas: the alpha-to-alpha one,
	 * every text run's, is a plain maximum the compiler vectorises */
	for (int row = y0; row < y1; row++) {
		const Uint32 *sp = src->argb ? (const Uint32 *)((const Uint8 *)src->argb->pixels +
								 row * src->argb->pitch) : NULL;
		const Uint8 *restrict sa = src->alpha ? src->alpha + (size_t)row * (size_t)src->w
						      : NULL;
		if (!dst->argb) {
			Uint8 *restrict ap = dst->alpha + (size_t)(row + y) * (size_t)dst->w + x;
			if (sa) {
				for (int col = x0; col < x1; col++)
					ap[col] = sa[col] > ap[col] ? sa[col] : ap[col];
				continue;
			}
			for (int col = x0; col < x1; col++) {
				Uint8 a = (Uint8)(sp[col] >> 24);
				ap[col] = a > ap[col] ? a : ap[col];
			}
			continue;
		}
		Uint32 *dp = (Uint32 *)((Uint8 *)dst->argb->pixels + (row + y) * dst->argb->pitch);
		for (int col = x0; col < x1; col++) {
			Uint32 px = sp ? sp[col] : (Uint32)sa[col] << 24 | src->rgb;
			if ((px >> 24) > (dp[col + x] >> 24))
				dp[col + x] = px;
		}
	}
}

/* SDL_ttf shifts a run down when a glyph (say, stacked marks) rises above
 * the font's ascent; estimate that shift so the baseline stays put. m:
 * the run's font's metrics (font f, a text font). */
static int run_rise(const struct text *t, struct fontset *fs, int f,
		    const struct fontrun_metrics *m, const struct run *r, int h)
{
	const struct scratch *s = &t->s;
	int top = 0, maxy = 0, advance;

	if (h <= m->height)
		return 0;
	for (int i = 0; i < r->len; i++) {
		if (glyph_metrics(t, fs, f, s->cps[r->start + i], &maxy, &advance))
			top = SDL_max(top, maxy);
	}
	int rise = top - m->ascent;
	return SDL_clamp(rise, 0, h - m->height);
}

/* src resampled to w x h by area averaging, weighted by alpha so the
 * colour of transparent pixels never bleeds in: a 136 px emoji read at
 * 30 px stays smooth (bilinear would sample 4 of 20 pixels). */
static SDL_Surface *scale_area(SDL_Surface *src, int w, int h)
{
	SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!dst)
		return NULL;
	double sx = (double)src->w / w, sy = (double)src->h / h;
	for (int dy = 0; dy < h; dy++) {
		Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + dy * dst->pitch);
		double y0 = dy * sy, y1 = y0 + sy;
		for (int dx = 0; dx < w; dx++) {
			double x0 = dx * sx, x1 = x0 + sx, acc[4] = { 0 }, area = 0;
			for (int y = (int)y0; y < src->h && y < y1; y++) {
				double wy = SDL_min(y1, y + 1.0) - SDL_max(y0, (double)y);
				const Uint32 *in = (const Uint32 *)((const Uint8 *)src->pixels +
								    y * src->pitch);
				for (int x = (int)x0; x < src->w && x < x1; x++) {
					double wgt = wy * (SDL_min(x1, x + 1.0) - SDL_max(x0, (double)x));
					double a = (in[x] >> 24) * wgt;
					acc[0] += a;
					acc[1] += ((in[x] >> 16) & 0xff) * a;
					acc[2] += ((in[x] >> 8) & 0xff) * a;
					acc[3] += (in[x] & 0xff) * a;
					area += wgt;
				}
			}
			Uint32 px = 0;
			if (acc[0] > 0 && area > 0)
				px = (Uint32)(acc[0] / area + 0.5) << 24 |
				     (Uint32)(acc[1] / acc[0] + 0.5) << 16 |
				     (Uint32)(acc[2] / acc[0] + 0.5) << 8 | (Uint32)(acc[3] / acc[0] + 0.5);
			out[dx] = px;
		}
	}
	return dst;
}

/* Empties SDL2_ttf's glyph cache of the emoji font: it keeps each emoji
 * drawn as an ARGB picture of the strike (136x128, 68 KB) in 256 slots
 * until another glyph takes the slot, and nothing else empties it: 200
 * different emoji drawn held 11 MB, up to 17 MB in time. A line with
 * emoji is drawn once and cached (as ARGB, scaled to the line), so a
 * picture SDL2_ttf kept would serve only a new line with the same
 * emoji. Setting the size it has (the strike) empties the cache. */
static void emoji_forget(struct text *t)
{
	if (TTF_SetFontSize(t->faces->emoji, EMOJI_STRIKE_PX) != 0)
		log_warn("text", "emoji font: %s", TTF_GetError());
}

/* An emoji run: rasterised in colour at the strike, scaled to the line,
 * its ascent on the line's baseline. */
static bool draw_emoji_run(struct text *t, struct fontset *fs, const struct run *r,
			   struct canvas *dst, int x)
{
	static const SDL_Color white = { 255, 255, 255, 255 };
	double k = emoji_scale(t, fs);
	TTF_Font *emoji = emoji_font(t);
	if (!emoji)
		return false;
	font_prepare(emoji, RUN_EMOJI, r->level & 1);
	SDL_Surface *src = TTF_RenderUTF8_Blended(emoji, run_utf8(&t->s, r), white);
	if (!src)
		return true;	/* nothing visible */
	int h = (int)(src->h * k + 0.5);
	SDL_Surface *small = r->w > 0 && h > 0 ? scale_area(src, r->w, h) : NULL;
	if (small)
		copy_max_alpha(dst, &(struct run_pixels){ small, NULL, small->w, small->h, 0 }, x,
			       fs->ascent - (int)(t->faces->emoji_ascent * k + 0.5));
	SDL_FreeSurface(small);
	SDL_FreeSurface(src);
	emoji_forget(t);
	return true;
}

/* The run's alpha, zeroed: kept between runs up to RUN_PX_KEEP bytes
 * (a 1080p line), else allocated for the one run. Kept until the frame
 * ends (text_frame_end): most frames make no line, and a buffer kept
 * for good held the widest run's pages (60 KB) all the time. */
#define RUN_PX_KEEP (64u * 1024u)
static Uint8 *run_px_get(struct text *t, size_t bytes)
{
	if (bytes > RUN_PX_KEEP)
		return calloc(bytes, 1);
	if (!t->run_px) {
		t->run_px = malloc(RUN_PX_KEEP);
		if (!t->run_px)
			return NULL;
	}
	memset(t->run_px, 0, bytes);
	return t->run_px;
}

static void run_px_put(struct text *t, Uint8 *px)
{
	if (px != t->run_px)
		free(px);
}

/* A run of a text font drawn by fontrun.h: 1 drawn, 0 failed, -1 not
 * drawable there (SDL2_ttf draws it). */
static int draw_text_run(struct text *t, struct fontset *fs, const struct run *r,
			 SDL_Color color, struct canvas *dst, int x)
{
	struct scratch *s = &t->s;
	int w = 0, h = 0, f = run_text_font(r->font);
	struct fontrun_metrics m;
	if (!run_measure(t, fs, r->font, run_utf8(s, r), r->level & 1, &w, &h) ||
	    !font_metrics(t, fs, f, &m))
		return -1;
	if (w <= 0 || h <= 0)
		return 1;	/* SDL2_ttf makes no surface: nothing to draw */
	Uint8 *px = run_px_get(t, (size_t)w * (size_t)h);
	if (!px) {
		log_error("text", "out of memory for a %dx%d run", w, h);
		return 0;
	}
	fontrun_draw(t->runs, px, w, h);
	int y = fs->ascent - m.ascent - run_rise(t, fs, f, &m, r, h);
	copy_max_alpha(dst, &(struct run_pixels){ NULL, px, w, h, colour_rgb(color) }, x, y);
	run_px_put(t, px);
	return 1;
}

static bool draw_run(struct text *t, struct fontset *fs, const struct run *r,
		     SDL_Color color, struct canvas *dst, int x)
{
	struct scratch *s = &t->s;
	if (r->font == RUN_EMOJI)
		return draw_emoji_run(t, fs, r, dst, x);
	int drawn = draw_text_run(t, fs, r, color, dst, x);
	if (drawn >= 0)
		return drawn;
	TTF_Font *font = run_font(t, fs, r->font);
	if (!font)
		return false;
	struct fontrun_metrics m = { TTF_FontAscent(font), TTF_FontDescent(font),
				     TTF_FontHeight(font) };
	font_prepare(font, r->font, r->level & 1);
	SDL_Surface *src = TTF_RenderUTF8_Blended(font, run_utf8(s, r), color);
	if (!src)
		return true;	/* only blanks: nothing to draw */
	if (src->format->format != SDL_PIXELFORMAT_ARGB8888) {
		SDL_FreeSurface(src);
		log_error("text", "unexpected SDL_ttf surface format");
		return false;
	}
	int y = fs->ascent - m.ascent - run_rise(t, fs, run_text_font(r->font), &m, r, src->h);
	copy_max_alpha(dst, &(struct run_pixels){ src, NULL, src->w, src->h, 0 }, x, y);
	SDL_FreeSurface(src);
	return true;
}

static bool layout_has_emoji(const struct scratch *s)
{
	for (int i = 0; i < s->nruns; i++) {
		if (s->runs[i].font == RUN_EMOJI)
			return true;
	}
	return false;
}

/* The laid-out runs, left to right, rendered once into the pixels the
 * cache keeps: w x fs->height, ARGB when emoji (a run is in colour),
 * else alpha alone. Drawn in place: a line used to be composed on an
 * ARGB surface of its own, then copied (or its alpha taken) into the
 * cache, and that surface's mapping, page faults and fill cost about as
 * much as a run's rendering. */
static Uint8 *compose(struct text *t, struct fontset *fs, SDL_Color color, int w, bool emoji)
{
	struct scratch *s = &t->s;
	size_t bytes = (size_t)w * (size_t)fs->height * (emoji ? 4 : 1);
	/* alpha starts transparent; calloc's fresh mapping is zero already */
	struct canvas c = { NULL, emoji ? malloc(bytes) : calloc(bytes, 1), w, fs->height };
	bool ok = c.alpha != NULL;

	if (!ok) {
		log_error("text", "out of memory for a %dx%d line", w, fs->height);
		return NULL;
	}
	if (emoji) {
		c.argb = SDL_CreateRGBSurfaceWithFormatFrom(c.alpha, w, fs->height, 32, w * 4,
							    SDL_PIXELFORMAT_ARGB8888);
		if (!c.argb) {
			log_error("text", "no %dx%d surface: %s", w, fs->height, SDL_GetError());
			free(c.alpha);
			return NULL;
		}
		/* Transparent pixels carry the text colour, so filtering at
		 * glyph edges never pulls in black. */
		SDL_FillRect(c.argb, NULL, colour_rgb(color));
	}
	for (int i = 0, x = 0; ok && i < s->nruns; i++) {
		const struct run *r = &s->runs[s->order[i]];
		ok = draw_run(t, fs, r, color, &c, x);
		x += r->w;
	}
	SDL_FreeSurface(c.argb);	/* not its pixels: they are c.alpha */
	if (!ok) {
		free(c.alpha);
		return NULL;
	}
	return c.alpha;
}

/* ---- the line cache ---- */

static uint64_t key_hash(const struct key *k)
{
	uint32_t params[5] = {
		(uint32_t)k->px, (uint32_t)k->max_w, (uint32_t)k->weight, (uint32_t)k->dir,
		((uint32_t)k->color.r << 24) | ((uint32_t)k->color.g << 16) |
			((uint32_t)k->color.b << 8) | k->color.a,
	};
	uint64_t h = util_fnv1a(UTIL_FNV1A_SEED, k->utf8, k->len);
	return util_fnv1a(h, params, sizeof params);
}

static void key_init(struct key *k, const char *utf8, const struct text_style *st, int max_w)
{
	k->utf8 = utf8;
	k->len = strlen(utf8);
	k->px = st->px;
	k->max_w = max_w;
	k->weight = st->weight;
	k->dir = st->dir;
	k->color = st->color;
	k->hash = key_hash(k);
}

static bool key_match(const struct line *e, const struct key *k)
{
	return e->hash == k->hash && e->len == k->len && e->px == k->px &&
	       e->max_w == k->max_w && e->weight == k->weight && e->dir == k->dir &&
	       e->color.r == k->color.r && e->color.g == k->color.g &&
	       e->color.b == k->color.b && e->color.a == k->color.a &&
	       memcmp(e->utf8, k->utf8, k->len) == 0;
}

static struct line *cache_find(struct text *t, const struct key *k)
{
	for (struct line *e = t->buckets[k->hash & (BUCKETS - 1)]; e; e = e->next) {
		if (key_match(e, k))
			return e;
	}
	return NULL;
}

static bool opaque_at(const struct line *e, int x, int y)
{
	size_t i = (size_t)y * (size_t)e->w + (size_t)x;
	return e->argb ? ((const Uint32 *)(const void *)e->pix)[i] >> 24 : e->pix[i];
}

static bool row_inked(const struct line *e, int y)
{
	for (int x = 0; x < e->w; x++)
		if (opaque_at(e, x, y))
			return true;
	return false;
}

static bool column_inked(const struct line *e, int x, int y0, int y1)
{
	for (int y = y0; y < y1; y++)
		if (opaque_at(e, x, y))
			return true;
	return false;
}

/* The box around the pixels a blit changes: the line's height is the
 * tallest font's, so a row's line reaches rows above and below it with
 * nothing but transparent pixels, and whoever redraws only what changed
 * (src/ui/scene.c) drew a tile's name again at every flash of the banner
 * above it. Empty for a line of blanks. */
static void line_find_ink(struct line *e)
{
	int y0 = 0, y1 = e->h, x0 = 0, x1 = e->w;
	while (y0 < y1 && !row_inked(e, y0))
		y0++;
	while (y1 > y0 && !row_inked(e, y1 - 1))
		y1--;
	while (y1 > y0 && x0 < x1 && !column_inked(e, x0, y0, y1))
		x0++;
	while (y1 > y0 && x1 > x0 && !column_inked(e, x1 - 1, y0, y1))
		x1--;
	e->ink = y1 > y0 ? (SDL_Rect){ x0, y0, x1 - x0, y1 - y0 } : (SDL_Rect){ 0, 0, 0, 0 };
}

/* Keeps only the ink of e's pixels (w x h, rows moved up in place): the
 * line's box is the tallest script's height and its pixels around the
 * glyphs are transparent, drawn as nothing (a blend of alpha 0). At
 * 1080p the cache's lines held 2.0 MB as whole boxes, 0.9 MB as ink. */
static void line_crop(struct line *e)
{
	size_t bpp = e->argb ? 4 : 1, w = (size_t)e->ink.w;
	for (int y = 0; y < e->ink.h; y++)
		memmove(e->pix + (size_t)y * w * bpp,
			e->pix + ((size_t)(e->ink.y + y) * (size_t)e->w + (size_t)e->ink.x) * bpp,
			w * bpp);
	e->bytes = w * (size_t)e->ink.h * bpp;
	Uint8 *p = realloc(e->pix, e->bytes ? e->bytes : 1); /* never NULL: "made" */
	if (p)
		e->pix = p;
}

/* ---- spans: a line's alpha without its clear pixels ----
 *
 * Three quarters of a line's ink box are clear (text at 18-48 px in
 * Latin, Hebrew and Persian: 26 % of the pixels have ink), and a clear
 * pixel is drawn as nothing (direct.h's blend leaves the output, SDL's
 * too). So a row keeps only its spans of ink: pix starts with a table
 * of where each row's spans begin (ink.h + 1 offsets), then each span is
 * its x and its length (two bytes each) and its pixels. A gap of fewer
 * than SPAN_HEAD clear pixels stays inside a span (a new span's head
 * costs as much). At 1080p the cache's lines take 40 % of the bytes; the
 * caps still count the ink's pixels, so the cache keeps the same lines
 * and makes no more. */
#define SPAN_HEAD 4

/* Eight pixels' clear ones: 0x80 in each byte that is 0 (exact: no
 * carry crosses a byte). */
static Uint64 clear8(const Uint8 *p)
{
	const Uint64 low7 = 0x7f7f7f7f7f7f7f7fULL;
	Uint64 v;
	memcpy(&v, p, 8);
	return ~(((v & low7) + low7) | v | low7);
}

/* The index of the first byte flagged 0x80 in m (not 0), in memory
 * order. */
static int first_flag(Uint64 m)
{
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
	return __builtin_ctzll(m) / 8;
#else
	return __builtin_clzll(m) / 8;
#endif
}

/* m's flags moved k bytes down in memory order (byte j gets byte j+k's). */
static Uint64 flags_down(Uint64 m, int k)
{
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
	return m >> (8 * k);
#else
	return m << (8 * k);
#endif
}

/* The first column at or after x with ink, w if none; eight pixels at a
 * time (most of a line's are clear). */
static int span_start(const Uint8 *row, int w, int x)
{
	for (; x + 8 <= w; x += 8) {
		Uint64 ink = ~clear8(row + x) & 0x8080808080808080ULL;
		if (ink)
			return x + first_flag(ink);
	}
	while (x < w && !row[x])
		x++;
	return x;
}

/* The end of the span starting at row[x] (which has ink): the first
 * column after x that begins SPAN_HEAD clear ones (the row's end counts
 * as clear). Eight pixels loaded at a time, five places tried. */
static int span_end(const Uint8 *row, int w, int x)
{
	const Uint64 first5 = SDL_BYTEORDER == SDL_LIL_ENDIAN ? 0x0000008080808080ULL
							     : 0x8080808080000000ULL;
	int i = x + 1;
	for (; i + 8 <= w; i += 5) {
		Uint64 z = clear8(row + i);
		Uint64 run = z & flags_down(z, 1) & flags_down(z, 2) & flags_down(z, 3) & first5;
		if (run)
			return i + first_flag(run);
	}
	for (int zeros = 0; i < w; i++) {
		zeros = row[i] ? 0 : zeros + 1;
		if (zeros == SPAN_HEAD)
			return i - SPAN_HEAD + 1;
	}
	/* the row ends within SPAN_HEAD clear ones of the last ink */
	while (i > x + 1 && !row[i - 1])
		i--;
	return i;
}

/* The w x h alpha as spans into out, which has room for the worst
 * (spans_room); returns the bytes written. */
static size_t spans_write(const Uint8 *a, int w, int h, Uint8 *out)
{
	size_t at = ((size_t)h + 1) * sizeof(Uint32);
	for (int y = 0; y < h; y++) {
		const Uint8 *row = a + (size_t)y * (size_t)w;
		memcpy(out + (size_t)y * sizeof(Uint32), &(Uint32){ (Uint32)at }, 4);
		for (int x = span_start(row, w, 0); x < w; x = span_start(row, w, x)) {
			int end = span_end(row, w, x);
			Uint16 head[2] = { (Uint16)x, (Uint16)(end - x) };
			memcpy(out + at, head, SPAN_HEAD);
			memcpy(out + at + SPAN_HEAD, row + x, (size_t)(end - x));
			at += SPAN_HEAD + (size_t)(end - x);
			x = end;
		}
	}
	memcpy(out + (size_t)h * sizeof(Uint32), &(Uint32){ (Uint32)at }, 4);
	return at;
}

/* Room for spans_write's worst: every pixel, and a head for each span;
 * spans are at least SPAN_HEAD clear pixels apart, so a row has at most
 * w / (SPAN_HEAD + 1) + 1. */
static size_t spans_room(int w, int h)
{
	return ((size_t)h + 1) * sizeof(Uint32) +
	       (size_t)h * ((size_t)w + SPAN_HEAD * ((size_t)w / (SPAN_HEAD + 1) + 1));
}

/* e's alpha (cropped to its ink) as spans, when that is smaller. */
static void line_to_spans(struct line *e)
{
	int w = e->ink.w, h = e->ink.h;
	if (e->argb || !e->bytes || e->bytes > UINT32_MAX / 2 || w > UINT16_MAX)
		return;
	Uint8 *room = malloc(spans_room(w, h));
	size_t size = room ? spans_write(e->pix, w, h, room) : e->bytes;
	Uint8 *sp = size < e->bytes ? realloc(room, size) : NULL;
	if (!sp) {
		free(room);
		return;	/* kept whole: drawn the same */
	}
	free(e->pix);
	e->pix = sp;
	e->spans = true;
	e->stored = size;
}

/* The pieces of row y of e's spans within columns [x, x + n), in turn:
 * spans_row, then spans_next until it is false. */
struct span_walk {
	const Uint8 *p, *end;
	int x, n;
};

static void spans_row(const struct line *e, int y, int x, int n, struct span_walk *w)
{
	Uint32 at[2];
	memcpy(at, e->pix + (size_t)y * sizeof(Uint32), sizeof at);
	*w = (struct span_walk){ e->pix + at[0], e->pix + at[1], x, n };
}

/* The next piece: its pixels, how many, and its column less the walk's
 * x. */
static bool spans_next(struct span_walk *w, const Uint8 **px, int *len, int *off)
{
	while (w->p < w->end) {
		Uint16 head[2];
		memcpy(head, w->p, SPAN_HEAD);
		const Uint8 *data = w->p + SPAN_HEAD;
		w->p = data + head[1];
		int a = SDL_max((int)head[0], w->x), b = SDL_min(head[0] + head[1], w->x + w->n);
		if (a < b) {
			*px = data + (a - head[0]);
			*len = b - a;
			*off = a - w->x;
			return true;
		}
	}
	return false;
}

static void line_set_pixels(struct text *t, struct line *e, Uint8 *pix, bool argb, int h)
{
	free(e->pix);
	t->bytes -= e->bytes;
	t->stored -= e->stored;
	e->pix = pix;
	e->argb = argb;
	e->spans = false;
	e->h = h;
	e->bytes = 0;
	e->stored = 0;
	if (pix) {
		line_find_ink(e);
		line_crop(e);
		e->stored = e->bytes;
		line_to_spans(e);
	}
	t->bytes += e->bytes;
	t->stored += e->stored;
}

static void cache_remove(struct text *t, struct line *e)
{
	struct line **pp = &t->buckets[e->hash & (BUCKETS - 1)];

	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	line_set_pixels(t, e, NULL, false, 0);
	t->count--;
	free(e);
}

/* Drops least recently drawn lines (never keep) until `more` bytes and
 * one more entry fit the caps: lines are kept in max_bytes /
 * TEXT_CACHE_SCREEN_DIV (a third), but those drawn (or placed) in the last
 * TEXT_CACHE_KEEP_FRAMES frames stay up to max_bytes (taken out, the
 * next frames would make them again: a flashing banner's two phases
 * place their lines in turn; with a quarter of an output, the bench's
 * frames made 7,198 lines instead of 508). A scan per eviction: misses
 * only. */
static void cache_make_room(struct text *t, size_t more, const struct line *keep)
{
	while (t->count > 0 && (t->count >= ENTRIES_MAX ||
				t->bytes + more > t->max_bytes / TEXT_CACHE_SCREEN_DIV)) {
		struct line *lru = NULL;
		for (int b = 0; b < BUCKETS; b++) {
			for (struct line *e = t->buckets[b]; e; e = e->next) {
				if (e != keep && (!lru || e->drawn < lru->drawn))
					lru = e;
			}
		}
		if (!lru || (lru->drawn + TEXT_CACHE_KEEP_FRAMES > t->frame &&
			     t->count < ENTRIES_MAX && t->bytes + more <= t->max_bytes))
			return;
		cache_remove(t, lru);
	}
}

static struct line *cache_insert(struct text *t, const struct key *k, int w,
				 enum text_dir resolved)
{
	cache_make_room(t, 0, NULL);
	struct line *e = calloc(1, sizeof *e + k->len + 1);
	if (!e) {
		log_error("text", "out of memory for a cache entry");
		return NULL;
	}
	e->hash = k->hash;
	e->len = k->len;
	memcpy(e->utf8, k->utf8, k->len + 1);
	e->px = k->px;
	e->max_w = k->max_w;
	e->weight = k->weight;
	e->dir = k->dir;
	e->color = k->color;
	e->w = w;
	e->resolved = resolved;
	e->drawn = t->frame;
	e->next = t->buckets[k->hash & (BUCKETS - 1)];
	t->buckets[k->hash & (BUCKETS - 1)] = e;
	t->count++;
	return e;
}

/* ---- building lines ---- */

/* Renders the layout in the scratch into e's texture. */
static bool line_finish(struct text *t, struct fontset *fs, struct line *e,
			const struct text_style *st, int w)
{
	bool emoji = layout_has_emoji(&t->s);
	e->w = w;
	cache_make_room(t, (size_t)w * (size_t)fs->height * (emoji ? 4 : 1), e);
	Uint8 *pix = compose(t, fs, st->color, w, emoji);
	if (!pix)
		return false;
	line_set_pixels(t, e, pix, emoji, fs->height);
	t->stats.rasterised++;
	t->stats.missing_glyphs += (uint64_t)t->s.missing;
	return true;
}

/* Gives a line measured by text_width its texture. */
static bool line_rasterise(struct text *t, struct line *e, const struct text_style *st)
{
	struct fontset *fs = fontset_get(t, st->px, st->weight);
	int n = decode_src(t, e->utf8);
	bool cut;

	if (n <= 0 || !fontset_metrics(t, fs))
		return false;
	int w = layout_fit(t, fs, n, e->resolved == TEXT_DIR_RTL, INT_MAX, &cut);
	return w > 0 && line_finish(t, fs, e, st, w);
}

/* A cache miss in text_draw: the uncut line if it fits k->max_w (cached
 * as the uncut line, shared with text_width), else the line cut with "…"
 * (cached under k->max_w). */
static struct line *line_build(struct text *t, struct key *k, const struct text_style *st)
{
	struct fontset *fs = fontset_get(t, st->px, st->weight);
	enum text_dir resolved = style_dir(k->utf8, st->dir);
	int n = decode_src(t, k->utf8);
	bool cut;

	if (n <= 0 || !fontset_metrics(t, fs))
		return NULL;
	int w = layout_fit(t, fs, n, resolved == TEXT_DIR_RTL, k->max_w, &cut);
	if (w <= 0)
		return NULL;
	if (!cut) {
		k->max_w = 0;
		k->hash = key_hash(k);
	}
	struct line *e = cache_insert(t, k, w, resolved);
	if (e && !line_finish(t, fs, e, st, w)) {
		cache_remove(t, e);
		e = NULL;
	}
	return e;
}

static bool style_ok(const struct text *t, const char *utf8, const struct text_style *st)
{
	return t && utf8 && st && st->px > 0 && st->px <= PX_MAX &&
	       (st->weight == TEXT_REGULAR || st->weight == TEXT_BOLD);
}

/* The cached line for drawing in max_w: on a hit no allocation, no
 * shaping; the uncut entry (shared with text_width) is tried first. */
static struct line *line_get(struct text *t, const char *utf8, const struct text_style *st,
			     int max_w)
{
	struct key k;
	key_init(&k, utf8, st, 0);
	struct line *e = cache_find(t, &k);

	if (e && e->w <= max_w) {
		if (e->pix)
			t->stats.cache_hits++;
		else if (!line_rasterise(t, e, st))
			return NULL;
		e->drawn = t->frame;
		return e;
	}
	k.max_w = max_w;
	k.hash = key_hash(&k);
	e = cache_find(t, &k);
	if (e) {
		t->stats.cache_hits++;
		e->drawn = t->frame;
		return e;
	}
	return line_build(t, &k, st);
}

static int align_x(const SDL_Rect *box, int w, enum text_align align, bool rtl)
{
	if (align == TEXT_ALIGN_START)
		align = rtl ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
	else if (align == TEXT_ALIGN_END)
		align = rtl ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT;
	if (align == TEXT_ALIGN_RIGHT)
		return box->x + box->w - w;
	if (align == TEXT_ALIGN_CENTER)
		return box->x + (box->w - w) / 2;
	return box->x;
}

/* The line for utf8 in box and where it goes; NULL when nothing is drawn. */
static struct line *line_place(struct text *t, const char *utf8, const struct text_style *style,
			       const SDL_Rect *box, SDL_Rect *dst)
{
	if (!style_ok(t, utf8, style) || !box || utf8[0] == '\0')
		return NULL;
	int max_w = SDL_min(box->w, t->max_line_w);
	if (max_w <= 0)
		return NULL;
	struct line *e = line_get(t, utf8, style, max_w);
	if (!e || !e->pix)
		return NULL;
	*dst = (SDL_Rect){
		align_x(box, e->w, style->align, e->resolved == TEXT_DIR_RTL),
		box->y + (box->h - e->h) / 2, e->w, e->h,
	};
	return e;
}

/* The band texture, at least w wide; false (logged) when none. */
static bool band_fit(struct text *t, int w)
{
	struct band *b = &t->band;
	if (b->tex && w <= b->w)
		return true;
	if (b->tex)
		SDL_DestroyTexture(b->tex);
	b->w = SDL_max(w, b->w);
	b->h = SDL_max(1, BAND_PIXELS / b->w);
	b->tex = SDL_CreateTexture(t->renderer, SDL_PIXELFORMAT_ARGB8888,
				   SDL_TEXTUREACCESS_STREAMING, b->w, b->h);
	if (!b->tex) {
		log_error("text", "no %dx%d band texture: %s", b->w, b->h, SDL_GetError());
		b->w = b->h = 0;
		return false;
	}
	SDL_SetTextureBlendMode(b->tex, SDL_BLENDMODE_BLEND);
	return true;
}

/* One row of alpha as ARGB of one colour. GCC's -O2 vectorises only
 * "very cheap" loops, and this widening one is not: scalar, colouring
 * was 12 % of the bench's frame time (clang vectorises it at -O2). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("tree-vectorize", "vect-cost-model=cheap")))
#endif
static void colour_row(Uint32 *restrict out, const Uint8 *restrict a, int w, Uint32 rgb)
{
	for (int i = 0; i < w; i++)
		out[i] = (Uint32)a[i] << 24 | rgb;
}

/* Rows [y, y + n) of the columns [x, x + w) of e's ink into the band,
 * coloured: ARGB as the texture a line was before, pixel for pixel. */
static bool band_fill(struct text *t, const struct line *e, SDL_Color c, int x, int y, int w,
		      int n)
{
	void *px;
	int pitch;
	/* Locking flushes the renderer's queued copies of the band first. */
	if (SDL_LockTexture(t->band.tex, &(SDL_Rect){ 0, 0, w, n }, &px, &pitch) != 0) {
		log_error("text", "band texture: %s", SDL_GetError());
		return false;
	}
	Uint32 rgb = colour_rgb(c);
	for (int row = 0; row < n; row++) {
		Uint32 *out = (Uint32 *)((Uint8 *)px + (size_t)row * (size_t)pitch);
		size_t at = (size_t)(y + row) * (size_t)e->ink.w + (size_t)x;
		if (e->argb) {
			memcpy(out, e->pix + at * 4, (size_t)w * 4);
			continue;
		}
		if (!e->spans) {
			colour_row(out, e->pix + at, w, rgb);
			continue;
		}
		/* the row whole, then coloured in one go */
		struct span_walk sw;
		const Uint8 *a;
		int len, off;
		Uint8 *dense = run_px_get(t, (size_t)w);	/* zeroed */
		if (!dense)
			break;
		spans_row(e, y + row, x, w, &sw);
		while (spans_next(&sw, &a, &len, &off))
			memcpy(dense + off, a, (size_t)len);
		colour_row(out, dense, w, rgb);
		run_px_put(t, dense);
	}
	SDL_UnlockTexture(t->band.tex);
	return true;
}

/* Pixels (argb, or alpha in colour rgb, a row as wide as src.w; or the
 * spans of line sp) blended
 * at r (viewport coordinates, src's size) straight into the window
 * surface, where the scene draws into it and SDL would blend the same
 * bytes (direct.h). False: not drawn, go through the renderer. */
static bool blend_straight(struct text *t, const Uint32 *argb, const Uint8 *alpha,
			   const struct line *sp, Uint32 rgb, SDL_Rect r, SDL_Rect src)
{
	SDL_Surface *out = t->out;
	SDL_Rect vis;
	SDL_Point o;
	if (!out || !direct_blend_ok(out))
		return false;
	if (!direct_begin(t->renderer, out, r, &vis, &o))
		return false; /* SDL's queue not drawn: through SDL, after it */
	if (SDL_RectEmpty(&vis))
		return true; /* nothing of it shows */
	if (SDL_MUSTLOCK(out) && SDL_LockSurface(out) != 0)
		return false;
	int x = vis.x - (r.x + o.x), y = vis.y - (r.y + o.y);
	for (int row = 0; row < vis.h; row++) {
		Uint32 *to = (Uint32 *)(void *)((Uint8 *)out->pixels +
						(size_t)(vis.y + row) * (size_t)out->pitch) + vis.x;
		size_t at = (size_t)(y + row) * (size_t)src.w + (size_t)x;
		if (argb) {
			direct_blend_argb(to, argb + at, vis.w);
		} else if (alpha) {
			direct_blend_alpha(to, alpha + at, vis.w, rgb);
		} else {
			struct span_walk sw;
			const Uint8 *a;
			int len, off;
			spans_row(sp, y + row, x, vis.w, &sw);
			while (spans_next(&sw, &a, &len, &off))
				direct_blend_alpha(to + off, a, len, rgb);
		}
	}
	if (SDL_MUSTLOCK(out))
		SDL_UnlockSurface(out);
	return true;
}

/* e at dst, only its ink and the part of it the clip rect lets show, a
 * band at a time. */
static void line_blit(struct text *t, const struct line *e, SDL_Color c, SDL_Rect dst)
{
	SDL_Rect ink = { dst.x + e->ink.x, dst.y + e->ink.y, e->ink.w, e->ink.h }, vis = ink, clip;
	if (SDL_RectEmpty(&ink))
		return;
	if (e->argb ? blend_straight(t, (const Uint32 *)(const void *)e->pix, NULL, NULL, 0, ink,
				     e->ink)
		    : blend_straight(t, NULL, e->spans ? NULL : e->pix, e->spans ? e : NULL,
				     colour_rgb(c), ink, e->ink))
		return;
	if (SDL_RenderIsClipEnabled(t->renderer)) {
		SDL_RenderGetClipRect(t->renderer, &clip);
		if (!SDL_IntersectRect(&ink, &clip, &vis))
			return;
	}
	if (!band_fit(t, vis.w))
		return;
	t->band.used = t->frame;
	int x = vis.x - ink.x;
	for (int y = vis.y - ink.y, end = y + vis.h; y < end;) {
		int n = SDL_min(t->band.h, end - y);
		if (!band_fill(t, e, c, x, y, vis.w, n))
			return;
		SDL_RenderCopy(t->renderer, t->band.tex, &(SDL_Rect){ 0, 0, vis.w, n },
			       &(SDL_Rect){ vis.x, ink.y + y, vis.w, n });
		y += n;
	}
}

int text_draw(struct text *t, const char *utf8, const struct text_style *style,
	      const SDL_Rect *box)
{
	SDL_Rect dst;
	struct line *e = line_place(t, utf8, style, box, &dst);
	if (!e)
		return 0;
	line_blit(t, e, style->color, dst);
	return e->w;
}

int text_place(struct text *t, const char *utf8, const struct text_style *style,
	       const SDL_Rect *box, SDL_Rect *out)
{
	SDL_Rect dst = { 0, 0, 0, 0 };
	struct line *e = line_place(t, utf8, style, box, &dst);
	if (out)
		*out = e ? (SDL_Rect){ dst.x + e->ink.x, dst.y + e->ink.y, e->ink.w, e->ink.h } : dst;
	return e ? e->w : 0;
}

int text_width(struct text *t, const char *utf8, const struct text_style *style)
{
	if (!style_ok(t, utf8, style) || utf8[0] == '\0')
		return 0;
	struct key k;
	key_init(&k, utf8, style, 0);
	struct line *e = cache_find(t, &k);
	if (e) {
		t->stats.cache_hits++;
		e->drawn = t->frame;
		return e->w;
	}
	struct fontset *fs = fontset_get(t, style->px, style->weight);
	enum text_dir resolved = style_dir(utf8, style->dir);
	int n = decode_src(t, utf8);
	if (n <= 0)
		return 0;
	memcpy(t->s.cps, t->s.src, (size_t)n * sizeof *t->s.cps);
	int w = layout(t, fs, n, resolved == TEXT_DIR_RTL);
	if (w <= 0)
		return 0;
	cache_insert(t, &k, w, resolved);	/* measured only: no texture yet */
	return w;
}

int text_line_height(struct text *t, int px)
{
	if (!t || px <= 0 || px > PX_MAX)
		return 0;
	struct fontset *fs = fontset_get(t, px, TEXT_REGULAR);
	return fontset_metrics(t, fs) ? fs->height : 0;
}

/* ---- digits ---- */

static void digit_set_free(struct text *t, struct digit_set *d);

static int digit_index(char c)
{
	const char *p = c ? strchr(digit_chars, c) : NULL;
	return p ? (int)(p - digit_chars) : -1;
}

/* The code point drawn for digit_chars[i]: digits from t->digit_zero. */
static Uint32 digit_glyph(const struct text *t, int i)
{
	return i < 10 ? t->digit_zero + (Uint32)i : (Uint32)digit_chars[i];
}

/* Persian digits come from the Arabic-script font, the rest from Latin. */
static int digit_font(const struct text *t, int i)
{
	int f = i < 10 ? block_font(t->digit_zero) : -1;
	return f >= 0 ? f : FONT_LATIN;
}

void text_set_digit_zero(struct text *t, uint32_t zero)
{
	if (!t || (zero != '0' && zero != 0x06f0) || zero == t->digit_zero)
		return;
	t->digit_zero = zero;
	/* cells and glyph textures were made for the other digits */
	for (int i = 0; i < FONTSETS_MAX; i++)
		t->sets[i].cells[0] = 0;
	for (int i = 0; i < DIGIT_SETS_MAX; i++)
		digit_set_free(t, &t->digits[i]);
}

/* Digits share the widest digit's cell, '+' and '-' share a sign cell,
 * ':', '.' and ' ' keep their own advance: every width depends only on
 * the pattern of the string, never on the digits in it. */
static bool digit_cells(const struct text *t, struct fontset *fs)
{
	int adv[DIGIT_GLYPHS], digit = 0, sign;

	if (fs->cells[0])
		return true;
	for (int i = 0; i < DIGIT_GLYPHS; i++) {
		struct fontrun_metrics m;
		int maxy;
		if (!glyph_metrics(t, fs, digit_font(t, i), digit_glyph(t, i), &maxy, &adv[i]) ||
		    !font_metrics(t, fs, digit_font(t, i), &m))
			return false;
		if (i < 10)
			digit = SDL_max(digit, adv[i]);
		fs->digit_ascent[i] = m.ascent;
	}
	sign = SDL_max(adv[digit_index('+')], adv[digit_index('-')]);
	for (int i = 0; i < DIGIT_GLYPHS; i++) {
		char c = digit_chars[i];
		fs->cells[i] = i < 10 ? digit : (c == '+' || c == '-') ? sign : adv[i];
	}
	return true;
}

/* Width of ascii in cells; -1 when it holds a character we do not draw. */
static int digits_measure(struct text *t, const struct fontset *fs, const char *ascii)
{
	int w = 0;

	for (const char *p = ascii; *p; p++) {
		int i = digit_index(*p);
		if (i < 0) {
			if (!t->warned_digits)
				log_warn("text", "text_draw_digits: '%c' is not drawable (logged once)",
					 *p);
			t->warned_digits = true;
			return -1;
		}
		w += fs->cells[i];
	}
	return w;
}

int text_digits_width(struct text *t, const char *ascii, int px, enum text_weight w)
{
	if (!t || !ascii || px <= 0 || px > PX_MAX || (w != TEXT_REGULAR && w != TEXT_BOLD))
		return 0;
	struct fontset *fs = fontset_get(t, px, w);
	if (!digit_cells(t, fs))
		return 0;
	return SDL_max(digits_measure(t, fs, ascii), 0);
}

/* Another set that holds glyph g's alpha of set d (a set of the same
 * size and weight in another colour shares it: digit_set_build). */
static const struct digit_set *alpha_holder(const struct text *t, const struct digit_set *d,
					    int g)
{
	for (int i = 0; d->alpha[g] && i < DIGIT_SETS_MAX; i++) {
		const struct digit_set *o = &t->digits[i];
		if (o != d && o->alpha[g] == d->alpha[g])
			return o;
	}
	return NULL;
}

static void digit_set_free(struct text *t, struct digit_set *d)
{
	for (int i = 0; i < DIGIT_GLYPHS; i++) {
		if (d->tex[i])
			SDL_DestroyTexture(d->tex[i]);
		if (!alpha_holder(t, d, i))
			free(d->alpha[i]);
	}
	memset(d, 0, sizeof *d);
}

/* The part of an ARGB8888 surface that is not transparent, as its alpha
 * alone, and where it lies in s; a glyph without ink gives its top-left
 * pixel. NULL when out of memory. */
static Uint8 *ink_alpha(const SDL_Surface *s, SDL_Rect *at)
{
	int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
	for (int y = 0; y < s->h; y++) {
		const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)s->pixels +
								    (size_t)y * (size_t)s->pitch);
		for (int x = 0; x < s->w; x++) {
			if (row[x] >> 24) {
				x0 = SDL_min(x0, x), x1 = SDL_max(x1, x);
				y0 = SDL_min(y0, y), y1 = SDL_max(y1, y);
			}
		}
	}
	if (x1 < 0)
		x0 = y0 = x1 = y1 = 0;
	*at = (SDL_Rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
	Uint8 *a = malloc((size_t)at->w * (size_t)at->h);
	for (int y = 0; a && y < at->h; y++) {
		const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)s->pixels +
								    (size_t)(y0 + y) * (size_t)s->pitch) + x0;
		for (int x = 0; x < at->w; x++)
			a[(size_t)y * (size_t)at->w + (size_t)x] = (Uint8)(row[x] >> 24);
	}
	return a;
}

/* Glyph i's texture, made at its first draw through the renderer: its
 * ink coloured as a line's band is, ARGB8888 (the pixels the glyph's
 * surface had there). NULL (logged) when it cannot be made. */
static SDL_Texture *digit_texture(struct text *t, struct digit_set *d, int i)
{
	const SDL_Rect *ink = &d->ink[i];
	if (d->tex[i] || !d->alpha[i])
		return d->tex[i];
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ink->w, ink->h, 32,
							SDL_PIXELFORMAT_ARGB8888);
	for (int y = 0; s && y < ink->h; y++)
		colour_row((Uint32 *)(void *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch),
			   d->alpha[i] + (size_t)y * (size_t)ink->w, ink->w, colour_rgb(d->color));
	d->tex[i] = s ? SDL_CreateTextureFromSurface(t->renderer, s) : NULL;
	SDL_FreeSurface(s);
	if (!d->tex[i]) {
		log_error("text", "digit glyph '%c': %s", digit_chars[i], SDL_GetError());
		return NULL;
	}
	SDL_SetTextureBlendMode(d->tex[i], SDL_BLENDMODE_BLEND);
	return d->tex[i];
}

/* Digit glyph i as TTF_RenderGlyph32_Blended draws it (a run of the one
 * character, the line's colour in every pixel, its alpha the glyph's),
 * by fontrun.h: so SDL2_ttf's instances shape nothing and never load
 * their own copies of the fonts' OpenType tables. NULL: SDL2_ttf draws
 * it. */
static SDL_Surface *digit_surface(struct text *t, struct fontset *fs, int i, SDL_Color color)
{
	char u8[8];
	int w = 0, h = 0;
	u8[utf8_put(u8, digit_glyph(t, i))] = '\0';
	if (!run_measure(t, fs, digit_font(t, i), u8, false, &w, &h) || w <= 0 || h <= 0)
		return NULL;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	Uint8 *a = s ? run_px_get(t, (size_t)w * (size_t)h) : NULL;	/* the runs' buffer */
	if (!a) {
		SDL_FreeSurface(s);
		return NULL;
	}
	fontrun_draw(t->runs, a, w, h);
	for (int y = 0; y < h; y++)	/* as a line's band is coloured */
		colour_row((Uint32 *)(void *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch),
			   a + (size_t)y * (size_t)w, w, colour_rgb(color));
	run_px_put(t, a);
	return s;
}

/* Set d takes the glyphs of a set of its size and weight in another
 * colour: a glyph's alpha is its coverage alone (digit_surface colours
 * every pixel of it the same; SDL2_ttf's, below, the same for an opaque
 * colour), so the sets of a size that ticks in several colours (a
 * wall's timers: white, amber, red) keep it once. False: none to take. */
static bool digit_set_share(struct text *t, struct digit_set *d, SDL_Color color)
{
	for (int i = 0; i < DIGIT_SETS_MAX; i++) {
		const struct digit_set *o = &t->digits[i];
		if (o == d || o->px != d->px || o->weight != d->weight || color.a != 255 ||
		    o->color.a != 255)
			continue;
		memcpy(d->alpha, o->alpha, sizeof d->alpha);
		memcpy(d->w, o->w, sizeof d->w);
		memcpy(d->h, o->h, sizeof d->h);
		memcpy(d->ink, o->ink, sizeof d->ink);
		return true;
	}
	return false;
}

static bool digit_set_build(struct text *t, struct fontset *fs, struct digit_set *d,
			    SDL_Color color)
{
	t->stats.digit_sets++;
	if (digit_set_share(t, d, color))
		return true;
	for (int i = 0; i < DIGIT_GLYPHS; i++) {
		if (digit_chars[i] == ' ')
			continue;
		SDL_Surface *s = digit_surface(t, fs, i, color);
		if (!s) {
			TTF_Font *font = fontset_font(t, fs, digit_font(t, i));
			if (!font)
				return false;
			s = TTF_RenderGlyph32_Blended(font, digit_glyph(t, i), color);
		}
		if (s && (s->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(s))) {
			SDL_Surface *argb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
			SDL_FreeSurface(s);
			s = argb;
		}
		if (s) {
			d->alpha[i] = ink_alpha(s, &d->ink[i]);
			d->w[i] = s->w;
			d->h[i] = s->h;
		}
		SDL_FreeSurface(s);
		if (!d->alpha[i]) {
			log_error("text", "digit glyph '%c': %s", digit_chars[i], SDL_GetError());
			return false;
		}
	}
	return true;
}

static struct digit_set *digit_set_get(struct text *t, struct fontset *fs, SDL_Color color)
{
	struct digit_set *lru = &t->digits[0];

	for (int i = 0; i < DIGIT_SETS_MAX; i++) {
		struct digit_set *d = &t->digits[i];
		if (d->px == fs->px && d->weight == fs->weight && d->color.r == color.r &&
		    d->color.g == color.g && d->color.b == color.b && d->color.a == color.a) {
			d->drawn = t->frame;
			return d;
		}
		if (d->px == 0 || (lru->px != 0 && d->drawn < lru->drawn))
			lru = d;
	}
	digit_set_free(t, lru);
	lru->px = fs->px;
	lru->weight = fs->weight;
	lru->color = color;
	lru->drawn = t->frame;
	if (!digit_set_build(t, fs, lru, color)) {
		digit_set_free(t, lru);
		return NULL;
	}
	return lru;
}

/* Draws ascii's digits (draw) or only finds where they go: *ext, the
 * union of the glyphs' rects. Returns the width. */
static int digits_run(struct text *t, const char *ascii, const struct text_style *style,
		      const SDL_Rect *box, bool draw, SDL_Rect *ext)
{
	*ext = (SDL_Rect){ 0, 0, 0, 0 };
	if (!style_ok(t, ascii, style) || !box || !ascii[0])
		return 0;
	struct fontset *fs = fontset_get(t, style->px, style->weight);
	if (!fontset_metrics(t, fs) || !digit_cells(t, fs))
		return 0;
	int w = digits_measure(t, fs, ascii);
	struct digit_set *d = w > 0 ? digit_set_get(t, fs, style->color) : NULL;
	if (!d)
		return 0;
	/* On the text baseline, so digits line up with text in the same row
	 * (each glyph surface has its own font's ascent above the baseline). */
	int x = align_x(box, w, style->align, false);
	int base = box->y + (box->h - fs->height) / 2 + fs->ascent;
	for (const char *p = ascii; *p; p++) {
		int i = digit_index(*p);
		if (i < 0)
			break;	/* not reached: digits_measure checked every one */
		if (d->alpha[i]) {
			int y = base - fs->digit_ascent[i];
			SDL_Rect dst = { x + (fs->cells[i] - d->w[i]) / 2 + d->ink[i].x,
					 y + d->ink[i].y, d->ink[i].w, d->ink[i].h };
			SDL_Rect src = { 0, 0, dst.w, dst.h };
			if (draw) {
				if (!blend_straight(t, NULL, d->alpha[i], NULL, colour_rgb(d->color),
						    dst, src) && digit_texture(t, d, i)) {
					SDL_RenderCopy(t->renderer, d->tex[i], NULL, &dst);
					d->tex_used = t->frame;
				}
			} else if (ext->w == 0)
				*ext = dst;
			else
				SDL_UnionRect(ext, &dst, ext);
		}
		x += fs->cells[i];
	}
	return w;
}

int text_draw_digits(struct text *t, const char *ascii, const struct text_style *style,
		     const SDL_Rect *box)
{
	SDL_Rect ext;
	return digits_run(t, ascii, style, box, true, &ext);
}

int text_place_digits(struct text *t, const char *ascii, const struct text_style *style,
		      const SDL_Rect *box, SDL_Rect *out)
{
	SDL_Rect ext;
	int w = digits_run(t, ascii, style, box, false, &ext);
	if (out)
		*out = ext;
	return w;
}

/* ---- lifetime ---- */

void text_set_output(struct text *t, SDL_Surface *out)
{
	if (t)
		t->out = out;
}

/* The band, dropped when lines went straight (or were not drawn) for
 * BAND_KEEP_FRAMES frames. */
static void band_drop_unused(struct text *t)
{
	struct band *b = &t->band;
	if (b->tex && b->used + BAND_KEEP_FRAMES < t->frame) {
		SDL_DestroyTexture(b->tex);
		*b = (struct band){ NULL, 0, 0, 0 };
	}
}

/* Digit glyphs' textures go when none was drawn for BAND_KEEP_FRAMES,
 * as the band does: they are made only for a digit drawn through the
 * renderer (blend_straight refused: SDL's queue held something under
 * it), and the bench's board made 16 of them, kept for good beside the
 * glyphs' alpha, which draws every other frame's. */
static void digit_textures_drop_unused(struct text *t)
{
	for (int i = 0; i < DIGIT_SETS_MAX; i++) {
		struct digit_set *d = &t->digits[i];
		if (!d->px || d->tex_used + BAND_KEEP_FRAMES >= t->frame)
			continue;
		for (int g = 0; g < DIGIT_GLYPHS; g++) {
			if (d->tex[g])
				SDL_DestroyTexture(d->tex[g]);
			d->tex[g] = NULL;
		}
	}
}

void text_frame_end(struct text *t)
{
	if (!t)
		return;
	t->frame++;
	free(t->run_px); /* run_px_get says why */
	t->run_px = NULL;
	int w = 0, h = 0;
	uint64_t px = SDL_GetRendererOutputSize(t->renderer, &w, &h) == 0 && w > 0 && h > 0
			      ? (uint64_t)w * (uint64_t)h : 0;
	t->max_bytes = px < TEXT_CACHE_MIN_BYTES ? TEXT_CACHE_MIN_BYTES
		       : px > TEXT_CACHE_MAX_BYTES ? TEXT_CACHE_MAX_BYTES : px;
	band_drop_unused(t);
	digit_textures_drop_unused(t);
	if (t->frame <= TEXT_CACHE_EVICT_FRAMES)
		return;
	uint64_t oldest = t->frame - TEXT_CACHE_EVICT_FRAMES;
	for (int b = 0; b < BUCKETS; b++) {
		struct line *e = t->buckets[b];
		while (e) {
			struct line *next = e->next;
			if (e->drawn < oldest)
				cache_remove(t, e);
			e = next;
		}
	}
	for (int i = 0; i < DIGIT_SETS_MAX; i++) {
		if (t->digits[i].px && t->digits[i].drawn < oldest)
			digit_set_free(t, &t->digits[i]);
	}
}

void text_get_stats(const struct text *t, struct text_stats *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!t)
		return;
	*out = t->stats;
	out->cached = t->count;
	out->cached_bytes = t->bytes;
	out->cached_stored = t->stored;
	out->band_pixels = (uint32_t)(t->band.w * t->band.h);
	out->emoji_open = t->faces->emoji != NULL;
	for (int i = 0; i < DIGIT_SETS_MAX; i++) {
		const struct digit_set *d = &t->digits[i];
		for (int g = 0; g < DIGIT_GLYPHS; g++) {
			const struct digit_set *o = alpha_holder(t, d, g);
			if (d->alpha[g] && (!o || o > d)) /* a shared one once */
				out->digit_bytes += (uint64_t)d->ink[g].w * (uint64_t)d->ink[g].h;
			out->digit_textures += d->tex[g] != NULL;
		}
	}
}

/* Each text font opens as fontrun.h opens it (its face is kept: every
 * line needs all three scripts' metrics), else as SDL2_ttf opens it. */
static bool fonts_present(const struct text *t)
{
	for (int w = 0; w < 2; w++) {
		for (int f = 0; f < FONT_SCRIPTS; f++) {
			struct fontrun_metrics m;
			if (fontrun_metrics(t->runs, face_file((enum text_weight)w, f), 12, &m))
				continue;
			TTF_Font *font = font_open(t, (enum text_weight)w, f, 12);
			if (!font)
				return false;
			TTF_CloseFont(font);
		}
	}
	return true;
}

/* One font for every size: the strike is drawn and scaled. Without it
 * emoji are missing glyphs (U+FFFD, counted), and the board still runs.
 * Only found here: it is opened at the first emoji (emoji_font), and a
 * file that does not open as a font is logged then. */
static void emoji_open(struct text *t)
{
	const char *dirs[] = { t->font_dir, EMOJI_SYSTEM_DIR };
	char path[1024];

	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !t->faces->emoji_path; i++) {
		snprintf(path, sizeof path, "%s/%s", dirs[i], EMOJI_FILE);
		if (access(path, R_OK) == 0)
			t->faces->emoji_path = strdup(path);
	}
	if (!t->faces->emoji_path) {
		log_warn("text", "no colour emoji font (%s in %s or %s, Debian package "
			 "fonts-noto-color-emoji): emoji are drawn as U+FFFD", EMOJI_FILE,
			 t->font_dir, EMOJI_SYSTEM_DIR);
		return;
	}
	log_info("text", "colour emoji from %s", path);
}

/* The text fonts' files, numbered as face_file numbers them, for
 * fontrun.h; without it (out of memory) SDL2_ttf draws every run. */
static void runs_open(struct text *t)
{
	char paths[FACE_FILES][1024];
	const char *p[FACE_FILES];
	for (int w = 0; w < 2; w++) {
		for (int f = 0; f < FONT_COUNT; f++) {
			int i = face_file((enum text_weight)w, f);
			font_path(t, (enum text_weight)w, f, paths[i], sizeof paths[i]);
			p[i] = paths[i];
		}
	}
	t->runs = fontrun_create(p, FACE_FILES);
}

struct text *text_init(SDL_Renderer *renderer, const char *font_dir)
{
	SDL_RendererInfo info;

	if (!renderer || !font_dir) {
		log_error("text", "text_init needs a renderer and a font directory");
		return NULL;
	}
	struct text *t = calloc(1, sizeof *t);
	if (!t || !(t->font_dir = strdup(font_dir)) || !(t->faces = calloc(1, sizeof *t->faces))) {
		log_error("text", "out of memory");
		if (t)
			free(t->font_dir);
		free(t);
		return NULL;
	}
	t->renderer = renderer;
	t->digit_zero = '0';
	t->max_line_w = LINE_W_MAX;
	t->max_bytes = TEXT_CACHE_MAX_BYTES; /* until the first frame's size */
	if (SDL_GetRendererInfo(renderer, &info) == 0 && info.max_texture_width > 0)
		t->max_line_w = SDL_min(LINE_W_MAX, info.max_texture_width);
	runs_open(t);
	if (!fonts_present(t)) {
		text_destroy(t);
		return NULL;
	}
	char path[1024];
	font_path(t, TEXT_REGULAR, FONT_SYMBOLS, path, sizeof path);
	t->symbols = access(path, R_OK) == 0;
	if (!t->symbols)
		log_warn("text", "no %s: symbols such as a check mark are drawn as U+FFFD", path);
	emoji_open(t);
	return t;
}

void text_destroy(struct text *t)
{
	if (!t)
		return;
	for (int b = 0; b < BUCKETS; b++) {
		while (t->buckets[b])
			cache_remove(t, t->buckets[b]);
	}
	for (int i = 0; i < DIGIT_SETS_MAX; i++)
		digit_set_free(t, &t->digits[i]);
	if (t->band.tex)
		SDL_DestroyTexture(t->band.tex);
	faces_close(t->faces);
	scratch_free(&t->s);
	fontrun_destroy(t->runs);
	free(t->run_px);
	free(t->font_dir);
	free(t);
}
