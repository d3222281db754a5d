/* test_kitseen.c - the record of texts drawn (kit.h's kit_seen), which
 * the state dump lists as "cut" and test_render reads: a text is found
 * only whole (not by a prefix, not by a longer text it begins), is kept
 * whole however long, once however often drawn, and a record that is
 * full counts what it could not keep instead of keeping a part of it.
 * Its hash (the dump is rewritten when it changes) tells apart records
 * whose texts only join alike, differ in a cut, or in what was not kept.
 * kit_put keeps a text given no room at all, no width or no height, as
 * cut: it is not drawn, the most cut of texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "kit.h"

#include "check.h"

#define KEPT_MAX 4

/* Persian, two bytes a letter: "Declare crisis: Surge · Instagram: 23 in
 * 10 min, usually 4" in fa runs past the 95 bytes a text was once kept to. */
#define FA_TITLE                                                                         \
	"\xd8\xa7\xd8\xb9\xd9\x84\xd8\xa7\xd9\x85 \xd8\xa8\xd8\xad\xd8\xb1\xd8\xa7\xd9\x86: " \
	"\xd9\x87\xd8\xac\xd9\x88\xd9\x85 \xd9\xbe\xdb\x8c\xd8\xa7\xd9\x85 \xc2\xb7 "          \
	"\xd8\xa7\xdb\x8c\xd9\x86\xd8\xb3\xd8\xaa\xd8\xa7\xda\xaf\xd8\xb1\xd8\xa7\xd9\x85: "   \
	"23 \xd8\xaf\xd8\xb1 10 \xd8\xaf\xd9\x82\xdb\x8c\xd9\x82\xd9\x87\xd8\x8c "              \
	"\xd9\x85\xd8\xb9\xd9\x85\xd9\x88\xd9\x84\xd8\xa7\xd9\x8b 4"
/* ... and its first bytes: what a record kept of it before */
#define FA_TITLE_PART                                                                      \
	"\xd8\xa7\xd8\xb9\xd9\x84\xd8\xa7\xd9\x85 \xd8\xa8\xd8\xad\xd8\xb1\xd8\xa7\xd9\x86: " \
	"\xd9\x87\xd8\xac\xd9\x88\xd9\x85 \xd9\xbe\xdb\x8c\xd8\xa7\xd9\x85 \xc2\xb7 "          \
	"\xd8\xa7\xdb\x8c\xd9\x86\xd8\xb3\xd8\xaa\xd8\xa7\xda\xaf\xd8\xb1\xd8\xa7\xd9\x85: "   \
	"23 \xd8\xaf\xd8\xb1 10 \xd8\xaf\xd9\x82"

struct kept {
	const char *s;
	bool cut;
};

static const struct find_row {
	const char *name;
	struct kept kept[KEPT_MAX];
	const char *find;
	bool found, cut;
	size_t n; /* texts kept */
} finds[] = {
	{ "whole, cut", { { "Instagram", true } }, "Instagram", true, true, 1 },
	{ "whole, not cut", { { "Instagram", false } }, "Instagram", true, false, 1 },
	{ "a longer text is not the name", { { "Instagram Direct", true } }, "Instagram", false,
	  false, 1 },
	{ "nor a shorter one", { { "Insta", true } }, "Instagram", false, false, 1 },
	{ "the hint of another count", { { "+12 more", false } }, "+1 more", false, false, 1 },
	{ "among others, the right one's cut",
	  { { "Instagram Direct", true }, { "Instagram", false }, { "Instagr", true } },
	  "Instagram", true, false, 3 },
	{ "drawn twice, cut once: kept once, cut",
	  { { "Acknowledge", false }, { "Acknowledge", true }, { "Acknowledge", false } },
	  "Acknowledge", true, true, 1 },
	{ "a long title kept whole", { { FA_TITLE, true } }, FA_TITLE, true, true, 1 },
	{ "its first bytes are not it", { { FA_TITLE, true } }, FA_TITLE_PART, false, false, 1 },
	{ "a long title drawn twice: kept once", { { FA_TITLE, false }, { FA_TITLE, true } },
	  FA_TITLE, true, true, 1 },
	{ "empty record", { { NULL, false } }, "Instagram", false, false, 0 },
};

/* w emptied (kit_seen_watch empties what it watches), not left watched:
 * the texts are kept by hand here, not by drawing. */
static void empty(struct kit_seen *w)
{
	kit_seen_watch(w);
	kit_seen_watch(NULL);
}

static void fill(struct kit_seen *w, const struct kept *k)
{
	empty(w);
	for (size_t i = 0; i < KEPT_MAX && k[i].s; i++)
		kit_seen_keep(w, k[i].s, k[i].cut);
}

static void check_finds(void)
{
	static struct kit_seen w;
	for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
		const struct find_row *r = &finds[i];
		check_ctx = r->name;
		fill(&w, r->kept);
		bool cut = !r->cut;
		const char *got = kit_seen_find(&w, r->find, &cut);
		checkf((got != NULL) == r->found, "found %d, want %d", got != NULL, r->found);
		checkf(!got || strcmp(got, r->find) == 0, "found the text itself");
		checkf(!got || cut == r->cut, "cut %d, want %d", cut, r->cut);
		CHECK_EQ(w.n, r->n);
		CHECK_EQ(w.more, 0);
	}
}

/* A full record keeps no part of a text: what finds no room is counted. */
static void check_full(void)
{
	static struct kit_seen w;
	static char big[KIT_SEEN_BYTES / 3 + 2]; /* two fit, not three */
	check_ctx = "full";
	memset(big, 'x', sizeof big - 1);
	empty(&w);
	for (char c = 'a'; c < 'e'; c++) {
		big[0] = c;
		kit_seen_keep(&w, big, true);
	}
	CHECK_EQ(w.n, 2);
	CHECK_EQ(w.more, 2);
	CHECK(kit_seen_keep(&w, "Ack", true)); /* a short one still fits */
	big[0] = 'c';
	checkf(kit_seen_find(&w, big, NULL) == NULL, "the text with no room is not kept");
	for (size_t i = 0; i < w.n; i++)
		checkf(strlen(w.t[i].s) == sizeof big - 1 || strcmp(w.t[i].s, "Ack") == 0,
		       "text %zu kept whole (%zu bytes)", i, strlen(w.t[i].s));
	empty(&w);
	char s[8];
	for (int i = 0; i <= KIT_SEEN_MAX; i++) {
		snprintf(s, sizeof s, "t%d", i);
		kit_seen_keep(&w, s, false);
	}
	CHECK_EQ(w.n, KIT_SEEN_MAX);
	CHECK_EQ(w.more, 1);
}

static const struct hash_row {
	const char *name;
	struct kept a[KEPT_MAX], b[KEPT_MAX];
	size_t more_a, more_b;
	bool same;
} hashes[] = {
	{ "the same texts", { { "ab", true }, { "c", true } }, { { "ab", true }, { "c", true } },
	  0, 0, true },
	{ "joined alike", { { "ab", true }, { "c", true } }, { { "a", true }, { "bc", true } }, 0,
	  0, false },
	{ "one text or two", { { "abc", true } }, { { "ab", true }, { "c", true } }, 0, 0, false },
	{ "an empty text more", { { "a", true } }, { { "a", true }, { "", true } }, 0, 0, false },
	{ "cut or not", { { "Instagram", true } }, { { "Instagram", false } }, 0, 0, false },
	{ "one not kept", { { "a", true } }, { { "a", true } }, 0, 1, false },
	{ "another order", { { "a", true }, { "b", true } }, { { "b", true }, { "a", true } }, 0,
	  0, false },
};

static void check_hashes(void)
{
	static struct kit_seen a, b;
	for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++) {
		const struct hash_row *r = &hashes[i];
		check_ctx = r->name;
		fill(&a, r->a);
		fill(&b, r->b);
		a.more = r->more_a;
		b.more = r->more_b;
		bool same = kit_seen_hash(&a) == kit_seen_hash(&b);
		checkf(same == r->same, "hashes %s, want %s", same ? "equal" : "differ",
		       r->same ? "equal" : "differ");
	}
}

/* One text put in a box, watched; what the record says of it. */
static const struct put_row {
	const char *name;
	const char *s;
	int w, h;
	size_t n;  /* kept: 0 or 1 */
	bool cut;
} puts_[] = {
	{ "room enough: kept, not cut", "Ack", 300, 60, 1, false },
	{ "too narrow: cut", "Acknowledge", 20, 60, 1, true },
	{ "no width: cut", "23", 0, 60, 1, true },
	{ "no height: cut", "23", 300, 0, 1, true },
	{ "less than no height: cut", "23", 300, -4, 1, true },
	{ "neither: cut", "23", 0, 0, 1, true },
	{ "no text, no room: nothing", "", 0, 0, 0, false },
};

static void check_puts(struct kit *k)
{
	static struct kit_seen w;
	for (size_t i = 0; i < sizeof puts_ / sizeof puts_[0]; i++) {
		const struct put_row *r = &puts_[i];
		check_ctx = r->name;
		w.all = true;
		kit_seen_watch(&w);
		kit_put(k, P_DATA, r->s, 24, TEXT_REGULAR, kit_pal.text, AL_START,
			kit_rect(10, 10, r->w, r->h));
		kit_seen_watch(NULL);
		CHECK_EQ(w.n, r->n);
		bool cut = !r->cut;
		checkf(!r->n || kit_seen_find(&w, r->s, &cut) != NULL, "\"%s\" kept", r->s);
		checkf(!r->n || cut == r->cut, "cut %d, want %d", cut, r->cut);
	}
}

/* A kit drawing into a surface, with the board's fonts. */
static void with_kit(void)
{
	char fonts[1024];
	const char *assets = getenv("WB_ASSETS");
	snprintf(fonts, sizeof fonts, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 400, 100, 32,
							   SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
	struct text *t = ren ? text_init(ren, fonts) : NULL;
	check_ctx = "kit";
	checkf(t != NULL, "a renderer and the fonts (%s)", SDL_GetError());
	if (t) {
		struct kit k = { .ren = ren, .text = t, .w = 400 };
		check_puts(&k);
	}
	text_destroy(t);
	if (ren)
		SDL_DestroyRenderer(ren);
	SDL_FreeSurface(surf);
}

int main(void)
{
	check_finds();
	check_full();
	check_hashes();
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "SDL: %s\n", SDL_GetError());
		return 1;
	}
	with_kit();
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
