/* kit.h - the board's UI kit: what the list, the tiles, the banner and the
 * alarm views share, declared once.
 *
 *  - the palette: one calm dark board; red and amber only where someone
 *    must act;
 *  - sizes: every font size is a permille of the output's smaller side
 *    (kit_px), never below the board's minimum text size (KIT_MIN_*), so
 *    the screen reads the same from five metres at 800x480 and 3840x2160;
 *  - mirroring: views lay out left to right and mirror where geometry
 *    meets the screen (kit_mir), so a right-to-left layout is the exact
 *    reflection of the left-to-right one;
 *  - text pieces: runs of UI words, data, digits, laid out one after
 *    another from the start side (kit_pieces), words in pills (kit_pill);
 *  - formatting of durations, clock times and counts.
 *
 * A struct kit is a drawing context: renderer, text, output width, and
 * whether geometry is mirrored and UI words read right to left. It is a
 * plain value the views fill in; it allocates nothing. */
#ifndef WALLBOARD_KIT_H
#define WALLBOARD_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

#include "config.h"
#include "scene.h"
#include "text.h"

/* One flash per second (half a second on, half off): well under the three
 * per second of WCAG 2.3.1, and in phase everywhere on the board. */
#define KIT_FLASH_HALF_MS 500

/* Deadlines for a flash phase or a new second are set this long after
 * the flip: the frame then sees both flips (the app keeps the flash
 * phase on the wall clock's milliseconds), so they are drawn in one
 * frame instead of two 20 ms apart. */
#define KIT_WAKE_LATE_MS 3

/* The smallest text the board draws: a permille of the output's smaller
 * side, and never below a few pixels the fonts still render cleanly. */
#define KIT_MIN_PERMILLE 22
#define KIT_MIN_PX 10

struct kit_palette {
	SDL_Color bg, header, panel, edge, text, muted, dim, ok, amber, red;
	SDL_Color red_bg, amber_bg, row_red, row_amber, vip, ink, white;
	SDL_Color crisis_a, crisis_b, band, notice, veil;
	/* alarms: firing (two flash phases), escalated (louder), focus */
	SDL_Color fire_a, fire_b, esc_a, esc_b, fire_edge, focus, pressed;
	/* the keypad */
	SDL_Color shade, modal, key, key_down, key_off, key_go, field, field_bad;
};
extern const struct kit_palette kit_pal;

/* Accent colours of channels without a configured one, in order. */
SDL_Color kit_accent(size_t i);

/* AL_START/AL_END: the layout's start and end sides; AL_RIGHT: physically
 * right in both directions (LTR-only numbers in columns line up their last
 * digits); AL_OWN: the start side of the text's own direction. */
enum kit_align { AL_START, AL_END, AL_CENTER, AL_RIGHT, AL_OWN };
/* UI words follow the layout's direction; data finds its own (in a line
 * of pieces, the line's: kit_pieces); digits go
 * through the fixed-cell digit textures; LTR/RTL force a direction (phone
 * numbers, wrapped lines of one paragraph). P_NUM is the board's own
 * number in shaped text ("95%", "2d 03h"): LTR (in a line of pieces, the
 * line's, in which its digits still read LTR), in the language's digits
 * like P_DIGITS (producers' data keeps its own). */
enum kit_kind { P_UI, P_DATA, P_DIGITS, P_LTR, P_RTL, P_NUM };

struct piece {
	const char *s;
	enum kit_kind kind;
	int px;
	enum text_weight wt;
	SDL_Color c;
};

struct kit {
	SDL_Renderer *ren;
	struct text *text;
	int w;          /* output width: mirroring reflects across it */
	bool mirror;    /* geometry right to left */
	bool rtl;       /* UI words right to left */
	enum lang lang; /* P_NUM: the digits of the board's language */
	enum digits digits;
	int *px_min;    /* the smallest size drawn is recorded here; may be NULL */
	struct scene *scene; /* recording (scene.h) instead of drawing; may be NULL */
};

static inline int kit_imax(int a, int b) { return a > b ? a : b; }
static inline int kit_imin(int a, int b) { return a < b ? a : b; }
static inline int kit_pct(int v, int permille) { return v * permille / 1000; }

/* A font size of permille of u, at least the board's minimum. */
int kit_px(int u, int permille);
/* The board's minimum text size at u. */
int kit_min_px(int u);

SDL_Rect kit_rect(int x, int y, int w, int h);
SDL_Rect kit_inset(SDL_Rect a, int dx, int dy);
/* The one place where left-to-right geometry becomes screen geometry. */
SDL_Rect kit_mir(const struct kit *k, SDL_Rect a);
/* A cell of row: x and w from the row's start side, all of its height. */
SDL_Rect kit_cell(SDL_Rect row, int x, int w);

/* Shapes in layout (left-to-right) coordinates. */
void kit_fill(const struct kit *k, SDL_Rect a, SDL_Color c);
/* What is drawn between these is one layer of the scene (scene.h): a
 * flashing banner's two pictures are kept and copied. No-ops without a
 * scene. */
void kit_layer_begin(const struct kit *k, SDL_Rect a);
void kit_layer_end(const struct kit *k);
void kit_outline(const struct kit *k, SDL_Rect a, int t, SDL_Color c);
void kit_disc(const struct kit *k, SDL_Rect a, SDL_Color c);

/* Texts drawn, for tests and the state dump: while a record is watched
 * (kit_seen_watch), each text drawn wider than its box (cut with "…")
 * or given a box with no width or no height (not drawn at all: the most
 * cut of texts), or with all set each text, is kept once, whole. Finding a cut measures
 * the text again (a cached lookup), so nothing is measured when no record
 * is watched: the board's own frames pay nothing. A text that finds no
 * room (KIT_SEEN_MAX texts, or KIT_SEEN_BYTES of them) is counted in more,
 * never kept in part: a part of a text could not say whether the text was
 * cut (a test asking for it whole would find nothing and pass). */
#define KIT_SEEN_MAX 160
#define KIT_SEEN_BYTES (32 * 1024)
struct kit_seen {
	bool all;       /* every text, not only the cut ones */
	size_t n;       /* kept */
	size_t more;    /* not kept: the record was full */
	size_t used;    /* bytes of pool taken */
	struct {
		const char *s; /* the whole text, in pool */
		bool cut;
		int shown;     /* permille of it its box held, the least of
		                  its draws (1000: whole, 0: not drawn) */
	} t[KIT_SEEN_MAX];
	char pool[KIT_SEEN_BYTES];
};
/* From now on texts are kept in *seen, emptied first; NULL: none. */
void kit_seen_watch(struct kit_seen *seen);
/* Keeps s (cut or not) in seen, once: a text kept already takes cut on
 * (cut once, cut). False: no room, counted in more. */
bool kit_seen_keep(struct kit_seen *seen, const char *s, bool cut);
/* The kept text equal to s, all of it (NULL: none). */
const char *kit_seen_find(const struct kit_seen *seen, const char *s, bool *cut);
/* The permille of s its box held, the least of its draws (-1: not
 * kept): a text cut to "…" and little else is one that said nothing. */
int kit_seen_shown(const struct kit_seen *seen, const char *s);
/* A hash of what seen holds: the texts in order, each with its cut, and
 * more. Texts are hashed with their ends, so ["ab","c"] and ["a","bc"]
 * differ. */
uint64_t kit_seen_hash(const struct kit_seen *seen);

/* Draw one string into a layout box; returns its drawn width. */
int kit_put(const struct kit *k, enum kit_kind kind, const char *s, int px,
	    enum text_weight wt, SDL_Color c, enum kit_align a, SDL_Rect box);
int kit_measure(const struct kit *k, const struct piece *p);
/* The size at which p fits w whole: p->px, or smaller, never under least
 * (there it is cut as kit_put cuts). For a name or title whose "…"
 * would hide what it says. */
int kit_fit_px(const struct kit *k, const struct piece *p, int least, int w);

/* Pieces one after another from the start side of box (or centred), in
 * reading order: mirroring puts the first piece on the right. The pieces
 * are one line in the kit's direction, as the Unicode Bidirectional
 * Algorithm orders it: data and the board's numbers ("> 6:40",
 * "> 1d 01h") are laid out in it, not in one of their own. A gap only
 * between two pieces drawn. flex (an index, or -1) is the piece cut (or
 * dropped) to let the others fit; otherwise the last one that does not
 * fit is cut. Returns the layout x after the last drawn. */
int kit_pieces(const struct kit *k, const struct piece *p, size_t n, SDL_Rect box,
	       bool centre, int flex);
/* The width kit_pieces() would give the pieces uncut, gaps included. */
int kit_pieces_width(const struct kit *k, const struct piece *p, size_t n);

/* The width kit_pill() gives s at px, uncut: the word and its padding. */
int kit_pill_width(const struct kit *k, const char *s, int px);
/* The height kit_pill() gives a pill at px in a box tall enough. */
int kit_pill_height(int px);
/* A word in a filled (or outlined) box as wide as the word, at the start
 * or end side of box. Returns its width. */
int kit_pill(const struct kit *k, const char *s, int px, SDL_Color bg, SDL_Color fg,
	     bool filled, SDL_Rect box, enum kit_align a);

/* "+1:02:13", "4:12", or "2d 03h" past a day. Returns true when the result
 * is digits only (P_DIGITS; the day form changes once an hour). */
bool kit_fmt_duration(char *buf, size_t len, int64_t s, const char *sign);
/* Local "14:02" or "14:02:11". */
void kit_fmt_clock(char *buf, size_t len, int64_t t, bool secs);
void kit_fmt_uint(char *buf, size_t len, uint64_t v);
/* 24118 -> "24,118": counts people compare at a glance (P_NUM). */
void kit_fmt_count(char *buf, size_t len, int64_t v);
/* When an ack was made and until when: "10:20, until 10:35" (until 0:
 * "10:20"), in the board's digits; a UI line (P_UI), changing once a
 * minute at most. until_word: i18n's STR_UNTIL (", until"). */
void kit_fmt_ack(const struct kit *k, char *buf, size_t len, int64_t at, int64_t until,
		 const char *until_word);

/* The flash phase at ticks: false for the first half-second. */
static inline bool kit_flash_phase(uint32_t ticks)
{
	return (ticks / KIT_FLASH_HALF_MS) % 2;
}

#endif
