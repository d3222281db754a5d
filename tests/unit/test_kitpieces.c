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
 * end. Every row runs left to right and mirrored (Hebrew UI words). */
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
	}
	text_destroy(t);
	if (ren)
		SDL_DestroyRenderer(ren);
	SDL_FreeSurface(surf);
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
