/* test_kitpieces.c - kit_pieces (kit.h): pieces one after another from
 * the start side of a box, a gap between two drawn pieces and none
 * before the first, the flex piece cut (or dropped) to let the others
 * fit, otherwise the last one that does not fit cut.
 *
 * Each table row says where each piece must be, in terms of the pieces'
 * own widths (a, b, c) and the gap (g): the row is drawn once by
 * kit_pieces and once piece by piece with kit_put at the rects the row
 * gives (a dropped piece: a rect of no width, which the cut record lists
 * as cut). The two pictures must be the same pixels, the two records the
 * same texts with the same cuts, and kit_pieces must return the row's
 * end. Every row runs left to right and mirrored (Hebrew UI words).
 *
 * A second table says in what order a line of pieces reaches the screen:
 * as the Unicode Bidirectional Algorithm orders the whole logical line in
 * the board's direction (what fribidi or a browser shows for it). Each
 * row lists the line's parts left to right as they must stand on screen;
 * each part, drawn on its own, is found pixel for pixel in the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "kit.h"

#include "check.h"

#define SURF_W 480
#define SURF_H 60
#define BOX_X 20
#define BOX_Y 10
#define BOX_H 40
#define PX 24
#define NP 3

/* A length: halves of the pieces' widths and of the gap, plus pixels.
 * L(0, 2, 0, 1, 0) is b + g/2. */
struct len {
	int a, b, c, g, k;
};
#define L(a, b, c, g, k) { a, b, c, g, k }
#define L0 L(0, 0, 0, 0, 0)

struct span {
	bool drawn;
	struct len x, w; /* from the box's start */
};
#define AT(x, w) { true, x, w }
#define DROPPED { false, L0, L0 }

static const struct pieces_row {
	const char *name;
	size_t n;
	int flex;
	bool centre;
	bool empty_a; /* the first piece has no text */
	struct len box;
	struct span want[NP];
	struct len end;
} rows[] = {
	{ "room for all", 2, -1, false, false, L(2, 2, 0, 2, 10),
	  { AT(L0, L(2, 0, 0, 0, 0)), AT(L(2, 0, 0, 2, 0), L(0, 2, 0, 0, 0)) },
	  L(2, 2, 0, 2, 0) },
	{ "centred", 2, -1, true, false, L(2, 2, 0, 2, 20),
	  { AT(L(0, 0, 0, 0, 10), L(2, 0, 0, 0, 0)),
	    AT(L(2, 0, 0, 2, 10), L(0, 2, 0, 0, 0)) },
	  L(2, 2, 0, 2, 10) },
	{ "no flex: the last cut", 2, -1, false, false, L(2, 1, 0, 2, 0),
	  { AT(L0, L(2, 0, 0, 0, 0)), AT(L(2, 0, 0, 2, 0), L(0, 1, 0, 0, 0)) },
	  L(2, 1, 0, 2, 0) },
	{ "no flex: no room after the gap, the last dropped", 2, -1, false, false,
	  L(2, 0, 0, 1, 0), { AT(L0, L(2, 0, 0, 0, 0)), DROPPED }, L(2, 0, 0, 0, 0) },
	{ "an empty first piece: the next at the start", 2, -1, false, true, L(0, 2, 0, 0, 10),
	  { DROPPED, AT(L0, L(0, 2, 0, 0, 0)) }, L(0, 2, 0, 0, 0) },
	{ "flex first, cut", 2, 0, false, false, L(1, 2, 0, 2, 0),
	  { AT(L0, L(1, 0, 0, 0, 0)), AT(L(1, 0, 0, 2, 0), L(0, 2, 0, 0, 0)) },
	  L(1, 2, 0, 2, 0) },
	{ "flex first, dropped: the next at the start, whole", 2, 0, false, false,
	  L(0, 2, 0, 1, 0), { DROPPED, AT(L0, L(0, 2, 0, 0, 0)) }, L(0, 2, 0, 0, 0) },
	{ "flex first, dropped: the next at the start, cut", 2, 0, false, false,
	  L(0, 1, 0, 0, 0), { DROPPED, AT(L0, L(0, 1, 0, 0, 0)) }, L(0, 1, 0, 0, 0) },
	{ "flex first, dropped, centred: the next at the start", 2, 0, true, false,
	  L(0, 2, 0, 1, 0), { DROPPED, AT(L0, L(0, 2, 0, 0, 0)) }, L(0, 2, 0, 0, 0) },
	{ "flex in the middle, cut", 3, 1, false, false, L(2, 1, 2, 4, 0),
	  { AT(L0, L(2, 0, 0, 0, 0)), AT(L(2, 0, 0, 2, 0), L(0, 1, 0, 0, 0)),
	    AT(L(2, 1, 0, 4, 0), L(0, 0, 2, 0, 0)) },
	  L(2, 1, 2, 4, 0) },
	{ "flex in the middle, dropped: one gap", 3, 1, false, false, L(2, 0, 2, 3, 0),
	  { AT(L0, L(2, 0, 0, 0, 0)), DROPPED, AT(L(2, 0, 0, 2, 0), L(0, 0, 2, 0, 0)) },
	  L(2, 0, 2, 2, 0) },
	{ "flex last, dropped", 2, 1, false, false, L(2, 0, 0, 1, 0),
	  { AT(L0, L(2, 0, 0, 0, 0)), DROPPED }, L(2, 0, 0, 0, 0) },
};

/* The pieces: a UI word (Hebrew when mirrored), a time, a name. */
static void pieces(bool mirror, bool empty_a, struct piece *p)
{
	const char *word = mirror ? "\xd7\xa0\xd7\xa2\xd7\x95\xd7\x9c" /* נעול */ : "Locked";
	p[0] = (struct piece){ empty_a ? "" : word, P_UI, PX, TEXT_BOLD, kit_pal.amber };
	p[1] = (struct piece){ "4:59", P_DIGITS, PX, TEXT_BOLD, kit_pal.amber };
	p[2] = (struct piece){ "Dana", P_DATA, PX, TEXT_REGULAR, kit_pal.text };
}

struct widths {
	int a, b, c, g;
};

static int eval(const struct widths *w, struct len l)
{
	return (l.a * w->a + l.b * w->b + l.c * w->c + l.g * w->g) / 2 + l.k;
}

/* What has been drawn since clear(), its pixels into out. */
static void picture(SDL_Renderer *ren, SDL_Surface *surf, uint8_t *out)
{
	SDL_RenderFlush(ren);
	memcpy(out, surf->pixels, (size_t)surf->pitch * (size_t)surf->h);
}

static void clear(SDL_Renderer *ren, SDL_Surface *surf)
{
	SDL_RenderFlush(ren);
	SDL_FillRect(surf, NULL, 0);
}

static void check_row(const struct kit *k, SDL_Surface *surf, const struct pieces_row *r)
{
	static struct kit_seen got_seen, want_seen;
	static uint8_t got[SURF_W * SURF_H * 4], want[SURF_W * SURF_H * 4];
	struct piece p[NP];
	pieces(k->mirror, r->empty_a, p);
	struct widths w = { kit_measure(k, &p[0]), kit_measure(k, &p[1]), kit_measure(k, &p[2]),
			    PX * 3 / 10 };
	SDL_Rect box = kit_rect(BOX_X, BOX_Y, eval(&w, r->box), BOX_H);

	clear(k->ren, surf);
	got_seen.all = true;
	kit_seen_watch(&got_seen);
	int end = kit_pieces(k, p, r->n, box, r->centre, r->flex);
	kit_seen_watch(NULL);
	picture(k->ren, surf, got);

	clear(k->ren, surf);
	want_seen.all = true;
	kit_seen_watch(&want_seen);
	for (size_t i = 0; i < r->n; i++) {
		const struct span *s = &r->want[i];
		SDL_Rect at = kit_rect(box.x + eval(&w, s->x), box.y,
				       s->drawn ? eval(&w, s->w) : 0, box.h);
		kit_put(k, p[i].kind, p[i].s, p[i].px, p[i].wt, p[i].c, AL_START, at);
	}
	kit_seen_watch(NULL);
	picture(k->ren, surf, want);

	CHECK_EQ(end - box.x, eval(&w, r->end));
	checkf(memcmp(got, want, sizeof got) == 0, "the pieces where the row puts them");
	checkf(kit_seen_hash(&got_seen) == kit_seen_hash(&want_seen) && got_seen.n == want_seen.n,
	       "the same texts kept, with the same cuts (%zu, want %zu)", got_seen.n,
	       want_seen.n);
}

static void check_rows(struct kit *k, SDL_Surface *surf)
{
	static char ctx[160];
	for (int m = 0; m < 2; m++) {
		k->mirror = k->rtl = m;
		for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
			snprintf(ctx, sizeof ctx, "%s, %s", rows[i].name,
				 m ? "mirrored" : "left to right");
			check_ctx = ctx;
			check_row(k, surf, &rows[i]);
		}
	}
}

/* ---- the order of a line's parts on screen ---- */

#define PARTS_MAX 3
#define HE_WAIT "\xd7\x94\xd7\x9e\xd7\xaa\xd7\xa0\xd7\x94 \xd7\x90\xd7\xa8\xd7\x95\xd7\x9b\xd7\x94" /* המתנה ארוכה */
#define HE_OPEN "\xd7\xa4\xd7\xaa\xd7\x95\xd7\x97\xd7\x95\xd7\xaa" /* פתוחות */
#define FA_1D01H "\xdb\xb1" "d \xdb\xb0\xdb\xb1" "h" /* ۱d ۰۱h */
#define FA_WAIT "\xd8\xa7\xd9\x86\xd8\xaa\xd8\xb8\xd8\xa7\xd8\xb1 \xd8\xb7\xd9\x88\xd9\x84\xd8\xa7\xd9\x86\xdb\x8c" /* انتظار طولانی */

/* A line: a UI word and a subject; its parts left to right (the kind
 * drawn as the line draws it, the others as data: "<" is ">" mirrored in
 * a right-to-left run). */
static const struct order_row {
	const char *name;
	bool rtl;
	const char *kind, *subject;
	enum kit_kind subject_kind;
	const char *parts[PARTS_MAX];
} order_rows[] = {
	/* he "המתנה ארוכה > 6:40": kind, sign, number in reading order */
	{ "he wait limit", true, HE_WAIT, "> 6:40", P_NUM, { "6:40", "<", HE_WAIT } },
	{ "fa wait limit", true, FA_WAIT, "> 6:40", P_NUM, { "6:40", "<", FA_WAIT } },
	{ "en wait limit", false, "Long wait", "> 6:40", P_NUM, { "Long wait", ">", "6:40" } },
	/* a limit of a day or more has letters ("1d 01h"): the sign still
	 * stands between the kind and the number, mirrored */
	{ "he wait limit of a day", true, HE_WAIT, "> 1d 01h", P_NUM, { "1d 01h", "<", HE_WAIT } },
	{ "fa wait limit of a day", true, FA_WAIT, "> " FA_1D01H, P_NUM,
	  { FA_1D01H, "<", FA_WAIT } },
	{ "en wait limit of a day", false, "Long wait", "> 1d 01h", P_NUM,
	  { "Long wait", ">", "1d 01h" } },
	{ "he count of days", true, HE_OPEN, "2d 03h", P_NUM, { "2d 03h", HE_OPEN } },
	{ "he count", true, HE_OPEN, "23", P_NUM, { "23", HE_OPEN } },
	{ "he count with a sign", true, HE_OPEN, "+3", P_NUM, { "3", "+", HE_OPEN } },
	/* a customer's handle: "@" between the kind and the name is the
	 * line's (right to left) */
	{ "he breach subject", true, HE_OPEN, "@dana", P_DATA, { "dana", "@", HE_OPEN } },
	{ "he breach subject, Latin words", true, HE_OPEN, "Test customer", P_DATA,
	  { "Test customer", HE_OPEN } },
	{ "en breach subject", false, "Breach", "@dana", P_DATA, { "Breach", "@dana" } },
};

/* The leftmost x where the picture (SURF_W x SURF_H, ARGB) holds the ink
 * of part, exactly (within 3 of 255); -1: nowhere. */
static int find_part(const uint8_t *pic, const uint8_t *part)
{
	int x0 = SURF_W, x1 = -1, y0 = SURF_H, y1 = -1;
	for (int y = 0; y < SURF_H; y++)
		for (int x = 0; x < SURF_W; x++)
			if (part[(y * SURF_W + x) * 4 + 1]) { /* green: white ink */
				x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
				y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
			}
	for (int dx = -x0; x1 >= 0 && dx + x1 < SURF_W; dx++) {
		bool same = true;
		for (int y = y0; y <= y1 && same; y++)
			for (int x = x0; x <= x1 && same; x++)
				same = abs(pic[(y * SURF_W + x + dx) * 4 + 1] -
					   part[(y * SURF_W + x) * 4 + 1]) <= 3;
		if (same)
			return x0 + dx;
	}
	return -1;
}

static void check_order(struct kit *k, SDL_Surface *surf, const struct order_row *r)
{
	static uint8_t line[SURF_W * SURF_H * 4], part[SURF_W * SURF_H * 4];
	k->mirror = k->rtl = r->rtl;
	SDL_Color white = { 255, 255, 255, 255 };
	struct piece p[2] = {
		{ r->kind, P_UI, PX, TEXT_BOLD, white },
		{ r->subject, r->subject_kind, PX, TEXT_BOLD, white },
	};
	SDL_Rect box = kit_rect(BOX_X, BOX_Y, SURF_W - 2 * BOX_X, BOX_H);
	clear(k->ren, surf);
	kit_pieces(k, p, 2, box, false, -1);
	picture(k->ren, surf, line);
	int last = -1;
	for (size_t i = 0; i < PARTS_MAX && r->parts[i]; i++) {
		const char *s = r->parts[i];
		bool kind = strcmp(s, r->kind) == 0;
		clear(k->ren, surf);
		kit_put(k, kind ? P_UI : P_DATA, s, PX, TEXT_BOLD, white, AL_START, box);
		picture(k->ren, surf, part);
		int x = find_part(line, part);
		checkf(x > last, "\"%s\" at %d, right of the part before it (%d)", s, x, last);
		last = x;
	}
}

static void check_orders(struct kit *k, SDL_Surface *surf)
{
	for (size_t i = 0; i < sizeof order_rows / sizeof order_rows[0]; i++) {
		check_ctx = order_rows[i].name;
		check_order(k, surf, &order_rows[i]);
	}
}

int main(void)
{
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "SDL: %s\n", SDL_GetError());
		return 1;
	}
	char fonts[1024];
	const char *assets = getenv("WB_ASSETS");
	snprintf(fonts, sizeof fonts, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, SURF_W, SURF_H, 32,
							   SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
	struct text *t = ren ? text_init(ren, fonts) : NULL;
	check_ctx = "kit";
	checkf(t != NULL, "a renderer and the fonts (%s)", SDL_GetError());
	checkf(!surf || surf->pitch == SURF_W * 4, "a surface of packed rows");
	if (t && surf->pitch == SURF_W * 4) {
		struct kit k = { .ren = ren, .text = t, .w = SURF_W };
		check_rows(&k, surf);
		check_orders(&k, surf);
	}
	text_destroy(t);
	if (ren)
		SDL_DestroyRenderer(ren);
	SDL_FreeSurface(surf);
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
