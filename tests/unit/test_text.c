/* test_text.c - text module, headless: a software renderer draws onto an
 * ARGB surface and the checks read its pixels back.
 *
 * Most checks find one rendering inside another: a piece drawn on its own
 * (say "15", or "abc" in Latin) is cropped to its ink and searched for,
 * pixel for pixel, in a mixed line. Reversed digits, a wrong font (empty
 * boxes), unjoined Persian or a moved baseline all make that search fail.
 * References not drawn by the module come straight from SDL2_ttf. */
#include "text.h"

#include "check.h"

#include <SDL_ttf.h>
#include <fribidi.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN_W 1600
#define SCREEN_H 240
#define PX 40

static SDL_Surface *screen;
static SDL_Renderer *ren;
static struct text *tx;
static char font_dir[1024];

static const SDL_Rect BOX = { 40, 40, 1500, 140 };
static const SDL_Color WHITE = { 255, 255, 255, 255 };

/* ---- pixels ---- */

struct img {
	int x, y, w, h;		/* where it was cut from */
	unsigned char *v;	/* ink 0..255 */
};

static void clear(void)
{
	SDL_SetRenderDrawColor(ren, 0, 0, 0, 255);
	SDL_RenderClear(ren);
	SDL_RenderFlush(ren);
}

static int ink(int x, int y)
{
	const Uint32 *row = (const Uint32 *)((const Uint8 *)screen->pixels + y * screen->pitch);
	return (row[x] >> 16) & 0xff;	/* white text on black: red = coverage */
}

static int draw(const char *s, const struct text_style *st)
{
	clear();
	int w = text_draw(tx, s, st, &BOX);
	SDL_RenderFlush(ren);
	return w;
}

static struct text_style style(enum text_dir dir, enum text_align align)
{
	struct text_style st = { PX, TEXT_REGULAR, WHITE, dir, align };
	return st;
}

static bool screen_bbox(SDL_Rect *r)
{
	int x0 = SCREEN_W, y0 = SCREEN_H, x1 = -1, y1 = -1;

	for (int y = 0; y < SCREEN_H; y++) {
		for (int x = 0; x < SCREEN_W; x++) {
			if (ink(x, y) > 0) {
				x0 = SDL_min(x0, x), x1 = SDL_max(x1, x);
				y0 = SDL_min(y0, y), y1 = SDL_max(y1, y);
			}
		}
	}
	*r = (SDL_Rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
	return x1 >= 0;
}

static bool screen_empty(void)
{
	SDL_Rect r;
	return !screen_bbox(&r);
}

/* The current screen's ink, cropped. */
static struct img crop_screen(void)
{
	struct img m = { 0 };
	SDL_Rect r;

	if (!screen_bbox(&r))
		return m;
	m = (struct img){ r.x, r.y, r.w, r.h, malloc((size_t)r.w * r.h) };
	for (int y = 0; y < r.h; y++) {
		for (int x = 0; x < r.w; x++)
			m.v[y * r.w + x] = (unsigned char)ink(r.x + x, r.y + y);
	}
	return m;
}

/* What the module draws for s on its own, cropped. */
static struct img piece(const char *s, enum text_dir dir)
{
	struct text_style st = style(dir, TEXT_ALIGN_LEFT);
	draw(s, &st);
	return crop_screen();
}

/* An SDL_ttf surface's alpha, cropped. */
static struct img crop_surface(SDL_Surface *s)
{
	struct img m = { 0 };
	int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;

	for (int y = 0; y < s->h; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
		for (int x = 0; x < s->w; x++) {
			if (row[x] >> 24) {
				x0 = SDL_min(x0, x), x1 = SDL_max(x1, x);
				y0 = SDL_min(y0, y), y1 = SDL_max(y1, y);
			}
		}
	}
	if (x1 < 0)
		return m;
	m = (struct img){ 0, 0, x1 - x0 + 1, y1 - y0 + 1, NULL };
	m.v = malloc((size_t)m.w * m.h);
	for (int y = 0; y < m.h; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (y + y0) * s->pitch);
		for (int x = 0; x < m.w; x++)
			m.v[y * m.w + x] = (unsigned char)(row[x + x0] >> 24);
	}
	return m;
}

/* SDL_ttf on its own: one call, one font, given direction and script. */
static struct img reference(const char *file, const char *s, bool rtl, const char *script)
{
	char path[1200];
	struct img m = { 0 };

	snprintf(path, sizeof path, "%s/%s", font_dir, file);
	TTF_Font *f = TTF_OpenFont(path, PX);
	if (!f)
		return m;
	TTF_SetFontDirection(f, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, script);
	SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, WHITE);
	if (surf) {
		m = crop_surface(surf);
		SDL_FreeSurface(surf);
	}
	TTF_CloseFont(f);
	return m;
}

static bool match_at(const struct img *n, int ox, int oy)
{
	for (int y = 0; y < n->h; y++) {
		for (int x = 0; x < n->w; x++) {
			if (abs(ink(ox + x, oy + y) - n->v[y * n->w + x]) > 3)
				return false;
		}
	}
	return true;
}

/* Leftmost place where the screen shows exactly n; y limited to same_y
 * unless it is -1. */
static bool find(const struct img *n, int same_y, int *fx)
{
	if (!n->v)
		return false;
	for (int x = 0; x + n->w <= SCREEN_W; x++) {
		for (int y = 0; y + n->h <= SCREEN_H; y++) {
			if (same_y >= 0 && y != same_y)
				continue;
			if (match_at(n, x, y)) {
				if (fx)
					*fx = x;
				return true;
			}
		}
	}
	return false;
}

static bool img_equal(const struct img *a, const struct img *b)
{
	return a->v && b->v && a->w == b->w && a->h == b->h &&
	       memcmp(a->v, b->v, (size_t)a->w * a->h) == 0;
}

static void img_free(struct img *m)
{
	free(m->v);
	m->v = NULL;
}

/* Widths of the ink blocks left and right of the widest blank gap. */
static bool split_at_gap(int *left, int *right)
{
	int cols[SCREEN_W], first = -1, last = -1, gap = 0, gap_at = -1;

	for (int x = 0; x < SCREEN_W; x++) {
		cols[x] = 0;
		for (int y = 0; y < SCREEN_H; y++)
			cols[x] += ink(x, y) > 64;
		if (cols[x]) {
			first = first < 0 ? x : first;
			last = x;
		}
	}
	for (int x = first, run = 0; first >= 0 && x <= last; x++) {
		run = cols[x] ? 0 : run + 1;
		if (run > gap)
			gap = run, gap_at = x - run + 1;
	}
	if (gap_at < 0)
		return false;
	*left = gap_at - first;
	*right = last - (gap_at + gap - 1);
	return true;
}

/* ---- the checks ---- */

static void test_direction(void)
{
	check_that(text_resolve_dir("שלום world") == TEXT_DIR_RTL, "resolve: Hebrew first is RTL", NULL);
	check_that(text_resolve_dir("hello שלום") == TEXT_DIR_LTR, "resolve: Latin first is LTR", NULL);
	check_that(text_resolve_dir("42: سلام") == TEXT_DIR_RTL, "resolve: digits are not strong", NULL);
	check_that(text_resolve_dir("12:30") == TEXT_DIR_LTR, "resolve: no strong char is LTR", NULL);
	check_that(text_resolve_dir("") == TEXT_DIR_LTR, "resolve: empty is LTR", NULL);
}

/* 1. The first logical word of an RTL line is at the right. */
static void test_bidi_order(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	int l = 0, r = 0;

	check_that(draw("מממממממממממ א", &st) > 0, "bidi: Hebrew line drawn", NULL);
	check_that(split_at_gap(&l, &r) && r > 3 * l, "bidi: long first Hebrew word is right of the gap", NULL);
	SDL_Rect bb;
	check_that(screen_bbox(&bb) && bb.x + bb.w > BOX.x + BOX.w - 12,
	      "bidi: RTL line with START alignment sits at the box's right edge", NULL);
	check_that(draw("mmmmmmmmmmm a", &st) > 0, "bidi: English line drawn", NULL);
	check_that(split_at_gap(&l, &r) && l > 3 * r, "bidi: long first English word is left of the gap", NULL);
	check_that(screen_bbox(&bb) && bb.x < BOX.x + 12, "bidi: LTR START sits at the left edge", NULL);
}

/* 2. Numbers keep their digit order inside RTL text. */
static void test_mixed_digits(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	struct img d15 = piece("15", TEXT_DIR_AUTO), d51 = piece("51", TEXT_DIR_AUTO);
	struct img d42 = piece("42", TEXT_DIR_AUTO), d24 = piece("24", TEXT_DIR_AUTO);
	struct img iph = piece("iPhone 15", TEXT_DIR_AUTO), first = piece("תלונה", TEXT_DIR_AUTO);
	struct img last = piece("נטען", TEXT_DIR_AUTO), colon = piece(":", TEXT_DIR_AUTO);
	int x15 = -1, x42 = -1, xfirst = -1, xlast = -1, xcolon = -1;

	draw("שלום 15 עכשיו", &st);
	check_that(find(&d15, d15.y, NULL), "digits: \"15\" in a Hebrew line reads 15, on the Latin baseline", NULL);
	check_that(!find(&d51, -1, NULL), "digits: and not 51", NULL);

	draw("תלונה 42: ה-iPhone 15 לא נטען", &st);
	check_that(find(&iph, iph.y, &x15), "digits: \"iPhone 15\" intact inside the Hebrew line", NULL);
	check_that(find(&d42, d42.y, &x42), "digits: \"42\" intact inside the Hebrew line", NULL);
	check_that(!find(&d24, -1, NULL) && !find(&d51, -1, NULL), "digits: no 24, no 51", NULL);
	check_that(x42 > x15, "digits: 42 (logically first) is right of iPhone 15", NULL);
	check_that(find(&colon, colon.y, &xcolon) && xcolon > x15 && xcolon < x42,
	      "digits: the colon after 42 sits left of it (RTL), right of iPhone 15", NULL);
	check_that(find(&first, first.y, &xfirst) && find(&last, last.y, &xlast) && xfirst > x42 &&
	      xlast < x15, "digits: first Hebrew word rightmost, last leftmost", NULL);

	/* An RTL paragraph with an LTR run: the run is still LTR inside. */
	struct text_style rtl = style(TEXT_DIR_RTL, TEXT_ALIGN_START);
	struct img abc15 = piece("abc 15", TEXT_DIR_LTR);
	draw("abc 15", &rtl);
	check_that(find(&abc15, abc15.y, NULL), "digits: \"abc 15\" in an RTL paragraph reads abc 15", NULL);
	img_free(&abc15);
	img_free(&d15), img_free(&d51), img_free(&d42), img_free(&d24);
	img_free(&iph), img_free(&first), img_free(&last), img_free(&colon);
}

/* 3. Persian letters join: shaped with script "Arab", one run per word. */
static void test_persian_joining(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	const char *letters[] = { "س", "ل", "ا", "م" };
	int sum = 0;

	for (int i = 0; i < 4; i++)
		sum += text_width(tx, letters[i], &st);
	int word = text_width(tx, "سلام", &st);
	check_that(word > 0 && word * 10 < sum * 9, "persian: joined word narrower than its letters", NULL);

	struct img arab = reference("NotoSansArabic-Regular.ttf", "سلام", true, "Arab");
	struct img latn = reference("NotoSansArabic-Regular.ttf", "سلام", true, "Latn");
	check_that(!img_equal(&arab, &latn), "persian: reference shapes differ with and without Arab", NULL);
	draw("سلام", &st);
	check_that(find(&arab, -1, NULL), "persian: drawn word equals SDL_ttf with script Arab", NULL);
	check_that(!find(&latn, -1, NULL), "persian: drawn word is not the unjoined shaping", NULL);
	img_free(&arab), img_free(&latn);

	/* ZWNJ stays in the Arabic run: the word matches one Arab shaping. */
	const char *zwnj = "می\u200cخواهم";
	struct img ref = reference("NotoSansArabic-Regular.ttf", zwnj, true, "Arab");
	draw(zwnj, &st);
	check_that(find(&ref, -1, NULL), "persian: word with ZWNJ equals one Arab shaping", NULL);
	img_free(&ref);
}

/* 4. Latin in Persian and digits in Hebrew come from Noto Sans, with ink. */
static void test_fallback(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	struct img abc = piece("abc", TEXT_DIR_AUTO), five = piece("5", TEXT_DIR_AUTO);
	struct img box5 = reference("NotoSansHebrew-Regular.ttf", "5", false, "Latn");
	struct img boxabc = reference("NotoSansArabic-Regular.ttf", "abc", false, "Latn");

	check_that(!img_equal(&five, &box5), "fallback: Hebrew font's '5' is not Noto Sans' 5", NULL);
	draw("سلام abc دنیا", &st);
	check_that(find(&abc, abc.y, NULL), "fallback: Latin inside Persian drawn with Noto Sans", NULL);
	check_that(!find(&boxabc, -1, NULL), "fallback: no Arabic-font boxes for Latin", NULL);
	draw("שלום 5", &st);
	check_that(find(&five, five.y, NULL), "fallback: digit inside Hebrew drawn with Noto Sans", NULL);
	check_that(!find(&box5, -1, NULL), "fallback: no Hebrew-font box for the digit", NULL);

	struct img fa = reference("NotoSansArabic-Regular.ttf", "۱۲۳", false, "Arab");
	draw("کد ۱۲۳ است", &st);
	check_that(find(&fa, -1, NULL), "fallback: Persian digits from the Arabic font, in order", NULL);
	img_free(&abc), img_free(&five), img_free(&box5), img_free(&boxabc), img_free(&fa);
}

/* 5. Too long: cut at the logical end, "…" added, within the box. */
static void test_ellipsis(void)
{
	const char *he = "ראשון שני שלישי רביעי חמישי שישי שביעי שמיני תשיעי עשירי";
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	SDL_Rect narrow = { BOX.x, BOX.y, 330, BOX.h }, bb;
	struct img first = piece("ראשון", TEXT_DIR_AUTO), last = piece("עשירי", TEXT_DIR_AUTO);
	struct img dots = piece("…", TEXT_DIR_AUTO);
	int xf = -1, xd = -1;

	clear();
	int w = text_draw(tx, he, &st, &narrow);
	SDL_RenderFlush(ren);
	check_that(w > 0 && w <= narrow.w, "ellipsis: RTL line cut to the box", NULL);
	check_that(text_width(tx, he, &st) > narrow.w, "ellipsis: the uncut line is wider", NULL);
	check_that(screen_bbox(&bb) && bb.x >= narrow.x && bb.x + bb.w <= narrow.x + narrow.w,
	      "ellipsis: ink stays inside the box", NULL);
	check_that(find(&first, first.y, &xf) && xf + first.w > narrow.x + narrow.w - 12,
	      "ellipsis: the logical start is kept, at the right", NULL);
	check_that(!find(&last, -1, NULL), "ellipsis: the logical end is cut", NULL);
	check_that(find(&dots, dots.y, &xd) && xd < xf, "ellipsis: \"…\" left of the kept text", NULL);

	struct img en = piece("first", TEXT_DIR_AUTO);
	clear();
	w = text_draw(tx, "first second third fourth fifth sixth", &st, &narrow);
	SDL_RenderFlush(ren);
	check_that(w > 0 && w <= narrow.w && find(&en, en.y, &xf) && xf < narrow.x + 12,
	      "ellipsis: LTR keeps its start at the left", NULL);
	clear();
	w = text_draw(tx, "سلام دنیا این یک خط بسیار طولانی فارسی است", &st, &narrow);
	check_that(w > 0 && w <= narrow.w, "ellipsis: Persian line cut to the box", NULL);
	SDL_Rect tiny = { BOX.x, BOX.y, 4, BOX.h };
	check_that(text_draw(tx, he, &st, &tiny) == 0, "ellipsis: nothing fits, nothing drawn", NULL);
	img_free(&first), img_free(&last), img_free(&dots), img_free(&en);
}

/* 5b. Where a line is cut. The module finds the cut the way a plain
 * binary search over the places a cut may fall would, laying out only the
 * few places near the edge. The search is written again here through the
 * public API, on its own: each place is measured as the line it would
 * draw (the kept text, trailing spaces dropped, and "…", in the whole
 * line's direction), and the line the module draws must be that line,
 * pixel for pixel, at every width of the table. */
static const struct cut_case {
	const char *label, *s;
} cut_cases[] = {
	{ "Hebrew", "ההזמנה 64691 עדיין לא הגיעה, הבטחתם משלוח תוך 3 ימי עסקים" },
	{ "Hebrew, points", "שָׁלוֹם עֲלֵיכֶם, מָה שְׁלוֹמְךָ הַיּוֹם? בְּסֵדֶר גָּמוּר תּוֹדָה" },
	{ "Persian, ZWNJ", "پیک گفت بسته تحویل شده ولی من چیزی دریافت نکرده‌ام، کد رهگیری ۴۵۱۲" },
	{ "Persian, marks", "بِسْمِ سفارش تومان می‌رسد نمی‌دهد هنوز نرسیده، 1,250,000 تومان" },
	{ "Latin, kerning", "AVAVAV WAVE Type office fi ffl Yo To, Order #56923 still hasn't arrived" },
	{ "Latin, spaces", "spaces    between     words      at     every    cut     here" },
	{ "mixed RTL", "המטען של ה-iPhone 15 שקניתי אצלכם הפסיק לעבוד אחרי שבוע (₪249.90)" },
	{ "mixed LTR", "Customer wrote: שלום, سلام and 123 then ۱۲۳ then [brackets] end" },
	{ "emoji", "Order arrived broken 😡📦 and nobody answers 🙁 on chat 👍🏽 ok" },
	{ "emoji sequences", "Family 👨‍👩‍👧 flag 🇮🇱🇮🇷 keycap 1️⃣ heart ❤️ tone 👍🏾 done ✓ ★" },
	{ "RTL emoji", "גוגל 👨‍👩‍👧‍👦 שלח 🇮🇱 הודעה ❤️ כפולה 😡 ושוב 📦 ושוב" },
};

static bool is_cut_place(const FriBidiChar *c, int k)
{
	FriBidiCharType t = fribidi_get_bidi_type(c[k]);
	int ri = 0;
	if (k == 0)
		return true;
	if (t == FRIBIDI_TYPE_NSM || t == FRIBIDI_TYPE_BN || c[k - 1] == 0x200d ||
	    (c[k] >= 0x1f3fb && c[k] <= 0x1f3ff))
		return false;
	while (k - ri > 0 && c[k - ri - 1] >= 0x1f1e6 && c[k - ri - 1] <= 0x1f1ff)
		ri++;
	return !(c[k] >= 0x1f1e6 && c[k] <= 0x1f1ff && ri % 2);
}

/* c[0..k), trailing spaces dropped, and "…", as UTF-8 into out. */
static void cut_text(const FriBidiChar *c, int k, char *out, size_t len)
{
	while (k > 0 && fribidi_get_bidi_type(c[k - 1]) == FRIBIDI_TYPE_WS)
		k--;
	FriBidiChar tmp[512];
	memcpy(tmp, c, (size_t)k * sizeof *c);
	tmp[k] = 0x2026;
	if (len > (size_t)(k + 1) * 4)
		fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, tmp, k + 1, out);
	else
		out[0] = '\0';
}

/* The line a binary search over the cut places draws for s in max_w (s
 * itself when it fits; "" when not even "…" does), in direction st. */
static void searched_cut(const char *s, const struct text_style *st, int max_w, char *out,
			 size_t len)
{
	FriBidiChar c[512];
	int n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s, (FriBidiStrIndex)strlen(s), c);
	int lo = 0, hi = SDL_min(n - 1, 8 * max_w / st->px + 64), best = -1;
	char buf[2048];

	snprintf(out, len, "%s", s);
	if (text_width(tx, s, st) <= max_w)
		return;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, k = mid;
		while (!is_cut_place(c, k))
			k--;
		cut_text(c, k, buf, sizeof buf);
		if (text_width(tx, buf, st) <= max_w) {
			best = SDL_max(best, k);
			lo = mid + 1;
		} else {
			hi = k - 1;
		}
	}
	if (best < 0)
		out[0] = '\0';
	else
		cut_text(c, best, out, len);
}

static void screen_copy(Uint32 *dst)
{
	for (int y = 0; y < SCREEN_H; y++)
		memcpy(dst + y * SCREEN_W, (const Uint8 *)screen->pixels + y * screen->pitch,
		       SCREEN_W * sizeof *dst);
}

/* The screen holds the pixels screen_copy took into copy. */
static bool screen_is(const Uint32 *copy)
{
	static Uint32 now[SCREEN_W * SCREEN_H];
	screen_copy(now);
	return memcmp(copy, now, sizeof now) == 0;
}

static void test_cut_table(void)
{
	static Uint32 got[SCREEN_W * SCREEN_H], want[SCREEN_W * SCREEN_H];
	static const int pxs[] = { 20, 30 };
	char expect[2048], label[160];
	uint64_t cut_layouts = 0, cut_lines = 0;

	for (size_t i = 0; i < sizeof cut_cases / sizeof cut_cases[0]; i++) {
		for (size_t p = 0; p < sizeof pxs / sizeof pxs[0]; p++) {
			struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT), fixed;
			st.px = pxs[p];
			fixed = st;
			fixed.dir = text_resolve_dir(cut_cases[i].s);
			int full = text_width(tx, cut_cases[i].s, &fixed), bad = 0, first_bad = -1;
			int widths = 0;
			for (int w = 3; w < full + 40; w += 1 + w / 12, widths++) {
				searched_cut(cut_cases[i].s, &fixed, w, expect, sizeof expect);
				SDL_Rect box = { BOX.x, BOX.y, w, BOX.h };
				struct text_stats a, b;
				text_get_stats(tx, &a);
				clear();
				int gw = text_draw(tx, cut_cases[i].s, &st, &box);
				SDL_RenderFlush(ren);
				text_get_stats(tx, &b);
				screen_copy(got);
				if (gw > 0 && gw < full) {
					cut_layouts += b.shaped - a.shaped;
					cut_lines++;
				}
				SDL_Rect wide = { BOX.x, BOX.y, SCREEN_W - BOX.x, BOX.h };
				clear();
				int ww = expect[0] ? text_draw(tx, expect, &fixed, &wide) : 0;
				SDL_RenderFlush(ren);
				screen_copy(want);
				if (gw != ww || memcmp(got, want, sizeof got) != 0) {
					bad++;
					first_bad = first_bad < 0 ? w : first_bad;
				}
			}
			snprintf(label, sizeof label, "cut: %s at %d px, %d widths: the searched line, "
				 "pixel for pixel (first difference at width %d)", cut_cases[i].label,
				 pxs[p], widths, first_bad);
			check_that(bad == 0 && widths > 10, label, NULL);
		}
	}
	/* What the change was for: the search laid a cut line out 8 to 10
	 * times (each time shaping it, loading its glyphs hinted). */
	snprintf(label, sizeof label, "cut: %.2f layouts a cut line (the full line, then the "
		 "places near the edge), at most 5", cut_lines ? (double)cut_layouts / cut_lines : 0);
	check_that(cut_lines > 100 && cut_layouts <= 5 * cut_lines, label, NULL);
	printf("# %s\n", label);
}

static const char *const lines[] = {
	"תלונה 42: ה-iPhone 15 לא נטען", "شکایت ۱۲: سفارش 3 روز دیر", "Queue health OK",
	"SLA breached 00:14", "מוקד שירות",
};
#define NLINES ((int)(sizeof lines / sizeof lines[0]))

/* 6. Drawn once, reused, evicted when unused. */
static void test_cache(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	struct text_stats a, b, c;

	for (int i = 0; i < TEXT_CACHE_EVICT_FRAMES + 2; i++)
		text_frame_end(tx);	/* start empty */
	text_get_stats(tx, &a);
	check_that(a.cached == 0 && a.cached_bytes == 0, "cache: empty after eviction", NULL);
	for (int i = 0; i < NLINES; i++)
		text_draw(tx, lines[i], &st, &BOX);
	text_frame_end(tx);
	text_get_stats(tx, &b);
	check_that(b.rasterised == a.rasterised + NLINES, "cache: each new line rasterised once", NULL);
	check_that(b.cached == (uint32_t)NLINES && b.cached_bytes > 0, "cache: lines kept", NULL);
	for (int i = 0; i < NLINES; i++)
		text_draw(tx, lines[i], &st, &BOX);
	text_get_stats(tx, &c);
	check_that(c.rasterised == b.rasterised, "cache: second draw rasterises nothing", NULL);
	check_that(c.cache_hits >= b.cache_hits + NLINES, "cache: second draw hits", NULL);

	/* text_width and text_draw share the uncut entry. */
	text_width(tx, "shared entry", &st);
	text_draw(tx, "shared entry", &st, &BOX);
	text_get_stats(tx, &b);
	check_that(b.cached == c.cached + 1 && b.rasterised == c.rasterised + 1,
	      "cache: measure then draw makes one entry, one raster", NULL);

	for (int i = 0; i < TEXT_CACHE_EVICT_FRAMES + 2; i++)
		text_frame_end(tx);
	text_get_stats(tx, &c);
	check_that(c.cached == 0 && c.cached_bytes == 0 && b.cached_bytes > 0,
	      "cache: unused lines evicted, bytes back to 0", NULL);
}

/* A cached line holds its ink's pixels alone (a byte each, four with
 * colour emoji), not its whole box: the box is the tallest script's line
 * height, the ink a text's glyphs. Table: the bytes a line adds are its
 * ink box's area, and lines of earlier frames are kept in a third of
 * an output's worth (TEXT_CACHE_SCREEN_DIV). */
static void test_cache_ink(void)
{
	static const struct {
		const char *s;
		int px, bytes_px;
	} rows[] = {
		{ "Queue health OK", 24, 1 },
		{ "תלונה 42: ה-iPhone 15 לא נטען", 30, 1 },
		{ "شکایت ۱۲: سفارش 3 روز دیر", 40, 1 },
		{ "Delivered \xf0\x9f\x93\xa6 late", 28, 4 },
	};
	for (int i = 0; i < TEXT_CACHE_EVICT_FRAMES + 2; i++)
		text_frame_end(tx);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct text_style st = { rows[i].px, TEXT_REGULAR, WHITE, TEXT_DIR_AUTO,
					 TEXT_ALIGN_START };
		struct text_stats a, b;
		SDL_Rect ink;
		text_get_stats(tx, &a);
		text_place(tx, rows[i].s, &st, &BOX, &ink);
		text_get_stats(tx, &b);
		uint64_t want = (uint64_t)ink.w * (uint64_t)ink.h * (uint64_t)rows[i].bytes_px;
		char got[96];
		snprintf(got, sizeof got, "%llu bytes for a %dx%d ink box",
			 (unsigned long long)(b.cached_bytes - a.cached_bytes), ink.w, ink.h);
		check_that(ink.w > 0 && ink.h > 0 && ink.h < text_line_height(tx, rows[i].px) &&
			   b.cached_bytes - a.cached_bytes == want, "cache: a line holds its ink",
			   got);
	}
	/* a new line a frame: the old ones go once a third of an output is
	 * full (TEXT_CACHE_SCREEN_DIV) */
	struct text_stats c;
	struct text_style big = { 60, TEXT_BOLD, WHITE, TEXT_DIR_AUTO, TEXT_ALIGN_START };
	uint64_t whole = (uint64_t)SCREEN_W * SCREEN_H;
	whole = whole < TEXT_CACHE_MIN_BYTES ? TEXT_CACHE_MIN_BYTES : whole;
	uint64_t part = whole / TEXT_CACHE_SCREEN_DIV;
	for (int i = 0; i < 300; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "Line number %d of many", i);
		text_draw(tx, buf, &big, &BOX);
		text_frame_end(tx);
	}
	text_get_stats(tx, &c);
	check_that(c.cached_bytes <= part && c.cached > 1, "cache: earlier frames' lines in "
		   "a third of an output", NULL);

	/* Two sets of lines placed in turn (a banner's two flash phases),
	 * more than a third of an output together (less than a whole): none
	 * is made again. */
	struct text_stats d, e;
	text_get_stats(tx, &d);
	uint64_t both = 0;
	for (int f = 0; f < 8; f++) {
		for (int i = 0; i < 6; i++) {
			char buf[64];
			SDL_Rect ink;
			snprintf(buf, sizeof buf, "Phase %c line %d WWWWWWWWWWWWWWWW", f % 2 ? 'B' : 'A',
				 i);
			text_place(tx, buf, &big, &BOX, &ink);
			both += f < 2 ? (uint64_t)ink.w * (uint64_t)ink.h : 0;
		}
		text_frame_end(tx);
	}
	text_get_stats(tx, &e);
	char got[64];
	snprintf(got, sizeof got, "%llu lines made, %llu bytes, a third %llu",
		 (unsigned long long)(e.rasterised - d.rasterised), (unsigned long long)both,
		 (unsigned long long)part);
	check_that(both > part && both < whole && e.rasterised == d.rasterised + 12,
		   "cache: lines of the last frames kept over a third of an output", got);
}

/* Memory stays flat: by age, by bytes, by open fonts. */
static void test_cache_bounds(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	struct text_stats c;

	/* A new line every frame: the cache holds only the recent ones. */
	char buf[64];
	for (int i = 0; i < 2 * TEXT_CACHE_EVICT_FRAMES; i++) {
		snprintf(buf, sizeof buf, "%d", i);
		text_draw(tx, buf, &st, &BOX);
		text_frame_end(tx);
	}
	text_get_stats(tx, &c);
	check_that(c.cached > 0 && c.cached <= TEXT_CACHE_EVICT_FRAMES + 1,
	      "cache: entry count bounded by the eviction age", NULL);

	/* More sizes than open-font slots: fonts are recycled, widths still
	 * grow with the size. */
	int prev = 0, grows = 1;
	for (int px = 10; px <= 130; px += 10) {
		struct text_style sz = { px, TEXT_REGULAR, WHITE, TEXT_DIR_AUTO, TEXT_ALIGN_START };
		int w = text_draw(tx, "מוקד 7 سلام", &sz, &BOX);
		grows &= w > prev;
		prev = w;
	}
	struct text_style sz = { 10, TEXT_REGULAR, WHITE, TEXT_DIR_AUTO, TEXT_ALIGN_START };
	check_that(grows && text_width(tx, "מוקד 7 سلام", &sz) < prev, "cache: many sizes, widths grow", NULL);

	/* Huge lines in one frame: bytes stay under the cap. */
	struct text_style big = { 300, TEXT_BOLD, WHITE, TEXT_DIR_AUTO, TEXT_ALIGN_START };
	SDL_Rect wide = { 0, 0, 1500, 500 };
	for (int i = 0; i < 20; i++) {
		snprintf(buf, sizeof buf, "WWWWWW %d", i);
		text_draw(tx, buf, &big, &wide);
	}
	text_get_stats(tx, &c);
	check_that(c.cached_bytes <= TEXT_CACHE_MAX_BYTES && c.cached_bytes > 0,
	      "cache: bytes capped", NULL);
}

/* The fonts are open a few times each and change size (text.c's struct
 * faces): a line drawn after its instances served other sizes has the
 * pixels it had before; so do the digits' cells. */
static void test_font_sizes(void)
{
	const char *s = "Refund 1234 \u05de\u05d5\u05e7\u05d3 \u0633\u0644\u0627\u0645 \u2713";
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	struct text_style bold = st;
	bold.weight = TEXT_BOLD;

	for (int i = 0; i < TEXT_CACHE_EVICT_FRAMES + 2; i++)
		text_frame_end(tx);
	draw(s, &st);
	struct img first = crop_screen();
	clear();
	text_draw_digits(tx, "+12:34", &bold, &BOX);
	SDL_RenderFlush(ren);
	struct img digits = crop_screen();
	const int sizes[] = { 20, 52, 33, 61, 27, 75, 44 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct text_style other = st;
		other.px = sizes[i];
		other.weight = i % 2 ? TEXT_BOLD : TEXT_REGULAR;
		draw(s, &other);
		text_draw_digits(tx, "+12:34", &other, &BOX);
	}
	for (int i = 0; i < TEXT_CACHE_EVICT_FRAMES + 2; i++)
		text_frame_end(tx);	/* drawn again, not copied from the cache */
	draw(s, &st);
	struct img again = crop_screen();
	clear();
	text_draw_digits(tx, "+12:34", &bold, &BOX);
	SDL_RenderFlush(ren);
	struct img digits_again = crop_screen();
	check_that(first.v && img_equal(&first, &again),
		   "fonts: a line after seven other sizes has the same pixels", NULL);
	check_that(digits.v && img_equal(&digits, &digits_again),
		   "fonts: digits after seven other sizes have the same pixels", NULL);
	img_free(&first);
	img_free(&again);
	img_free(&digits);
	img_free(&digits_again);
}

/* 7. Fixed cells, never rasterised per value. */
static void test_digits(void)
{
	struct text_style st = style(TEXT_DIR_LTR, TEXT_ALIGN_LEFT);
	struct text_stats a, b;
	SDL_Rect bb1, bb8;

	int w1 = text_digits_width(tx, "12:34", PX, TEXT_REGULAR);
	check_that(w1 > 0 && w1 == text_digits_width(tx, "88:88", PX, TEXT_REGULAR) &&
	      w1 == text_digits_width(tx, "11:11", PX, TEXT_REGULAR), "digits: fixed width", NULL);
	check_that(text_digits_width(tx, "-1", PX, TEXT_BOLD) == text_digits_width(tx, "+8", PX, TEXT_BOLD),
	      "digits: signs share a cell", NULL);
	check_that(text_digits_width(tx, "12a", PX, TEXT_REGULAR) == 0, "digits: other chars refused", NULL);

	clear();
	check_that(text_draw_digits(tx, "1:", &st, &BOX) > 0, "digits: drawn", NULL);
	SDL_RenderFlush(ren);
	screen_bbox(&bb1);
	clear();
	text_draw_digits(tx, "8:", &st, &BOX);
	SDL_RenderFlush(ren);
	screen_bbox(&bb8);
	check_that(bb1.x + bb1.w == bb8.x + bb8.w, "digits: colon does not move with the digit", NULL);

	text_get_stats(tx, &a);
	char buf[16];
	for (int i = 0; i < 300; i++) {
		snprintf(buf, sizeof buf, "%s%02d:%02d", i % 2 ? "-" : "+", i / 60, i % 60);
		text_draw_digits(tx, buf, &st, &BOX);
	}
	text_get_stats(tx, &b);
	check_that(a.digit_sets >= 1 && b.digit_sets == a.digit_sets, "digits: glyphs made once", NULL);
	check_that(b.rasterised == a.rasterised && b.cached == a.cached,
	      "digits: ticking rasterises no line", NULL);
}

/* 7b. Persian digits in the fixed cells: the caller still passes ASCII,
 * the glyphs drawn are the Arabic-script font's ۰..۹, cells stay fixed and
 * the baseline is the text's. Back to '0' restores Latin digits. */
static void test_persian_digits(void)
{
	struct text_style st = style(TEXT_DIR_LTR, TEXT_ALIGN_LEFT);
	struct img fa7 = reference("NotoSansArabic-Regular.ttf", "\u06f7", false, "Arab");
	struct img fa4 = reference("NotoSansArabic-Regular.ttf", "\u06f4", false, "Arab");
	struct img en7 = reference("NotoSans-Regular.ttf", "7", false, "Latn");
	SDL_Rect bb;

	text_set_digit_zero(tx, 0x06f0);
	clear();
	check_that(text_draw_digits(tx, "7:4", &st, &BOX) > 0, "persian digits: drawn", NULL);
	SDL_RenderFlush(ren);
	check_that(find(&fa7, -1, NULL) && find(&fa4, -1, NULL), "persian digits: \u06f7 and \u06f4 drawn", NULL);
	check_that(!find(&en7, -1, NULL), "persian digits: no Latin 7", NULL);
	int w = text_digits_width(tx, "12:34", PX, TEXT_REGULAR);
	check_that(w > 0 && w == text_digits_width(tx, "88:88", PX, TEXT_REGULAR),
		   "persian digits: fixed width", NULL);
	/* ۰ is a small dot, not a ring: far less ink than a Latin 0 */
	clear();
	text_draw_digits(tx, "0", &st, &BOX);
	SDL_RenderFlush(ren);
	int fa0 = screen_bbox(&bb) ? bb.w * bb.h : 0;
	text_set_digit_zero(tx, '0');
	clear();
	text_draw_digits(tx, "0", &st, &BOX);
	SDL_RenderFlush(ren);
	int en0 = screen_bbox(&bb) ? bb.w * bb.h : 0;
	check_that(fa0 > 0 && fa0 * 4 < en0, "persian digits: zero is a dot; '0' restores Latin", NULL);
	img_free(&fa7);
	img_free(&fa4);
	img_free(&en7);
}

/* Pixels of the last drawing that are coloured (not grey): the test
 * draws white text, so only a colour emoji makes any. */
static int coloured_pixels(SDL_Rect *where)
{
	int n = 0, x0 = SCREEN_W, x1 = -1;
	for (int y = 0; y < SCREEN_H; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)screen->pixels + y * screen->pitch);
		for (int x = 0; x < SCREEN_W; x++) {
			int r = (row[x] >> 16) & 0xff, g = (row[x] >> 8) & 0xff, b = row[x] & 0xff;
			if (abs(r - g) > 40 || abs(g - b) > 40 || abs(r - b) > 40) {
				n++;
				x0 = SDL_min(x0, x), x1 = SDL_max(x1, x);
			}
		}
	}
	if (where)
		*where = (SDL_Rect){ x0, 0, x1 - x0 + 1, SCREEN_H };
	return n;
}

/* 7c. Emoji in colour, the size of the text, where the text is; a ZWJ
 * sequence, a flag and a skin tone are one glyph each; emoji keep their
 * place in RTL text. A character no font has is drawn (U+FFFD) and
 * counted, never an empty box. */
static void test_emoji(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	struct text_stats a, b;
	SDL_Rect ink, col;

	int w = draw("\U0001F600\U0001F389\u2764\uFE0F", &st);
	SDL_RenderFlush(ren);
	check_that(w > 0 && screen_bbox(&ink), "emoji: drawn", NULL);
	text_get_stats(tx, &a);
	check_that(a.emoji_open, "emoji: the font opened for the first", NULL);
	int n = coloured_pixels(&col);
	check_that(n > ink.w * ink.h / 4, "emoji: in colour where the text is", NULL);
	check_that(col.x >= ink.x && col.x + col.w <= ink.x + ink.w,
		   "emoji: the colour is inside the drawn text", NULL);
	int lh = text_line_height(tx, PX);
	check_that(ink.h <= lh && ink.h >= PX * 9 / 10, "emoji: about the text's size", NULL);
	check_that(w >= 3 * PX && w <= 3 * lh * 3 / 2, "emoji: three glyphs wide", NULL);

	/* one glyph each: as wide as one emoji */
	int one = text_width(tx, "\U0001F600", &st);
	static const char *const seqs[] = {
		"\U0001F469\u200D\U0001F4BB",	/* woman technologist */
		"\U0001F1EE\U0001F1F1",		/* flag IL */
		"\U0001F44D\U0001F3FD",		/* thumbs up, medium skin */
		"1\uFE0F\u20E3",			/* keycap 1 */
	};
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "emoji: sequence %zu is one glyph", i);
		int sw = text_width(tx, seqs[i], &st);
		check_that(one > 0 && abs(sw - one) <= 1, what, NULL);
	}

	/* Hebrew around an emoji: RTL, the emoji between the words, coloured */
	struct text_style rtl = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	draw("\u05e9\u05dc\u05d5\u05dd \U0001F60A \u05e2\u05d5\u05dc\u05dd", &rtl);
	SDL_RenderFlush(ren);
	screen_bbox(&ink);
	coloured_pixels(&col);
	check_that(col.x > ink.x + PX && col.x + col.w < ink.x + ink.w - PX,
		   "emoji: between the Hebrew words", NULL);

	/* ✓ (U+2713): not in the script fonts, drawn from Noto Sans Symbols 2
	 * in the text's colour, not missing */
	text_get_stats(tx, &a);
	draw("\u2713 Dana", &st);
	SDL_RenderFlush(ren);
	text_get_stats(tx, &b);
	struct img check = reference("NotoSansSymbols2-Regular.ttf", "\u2713", false, "Zyyy");
	check_that(find(&check, -1, NULL), "symbols: a check mark is drawn from Symbols 2", NULL);
	check_that(b.missing_glyphs == a.missing_glyphs && coloured_pixels(NULL) == 0,
		   "symbols: not missing, in the text's colour", NULL);
	img_free(&check);

	/* U+E000 (private use): no font has it */
	text_get_stats(tx, &a);
	st.color = (SDL_Color){ 255, 255, 254, 255 };	/* a new line, not a cached one */
	w = draw("a\uE000b", &st);
	SDL_RenderFlush(ren);
	text_get_stats(tx, &b);
	check_that(b.missing_glyphs == a.missing_glyphs + 1, "missing: counted once", NULL);
	struct img rep = reference("NotoSans-Regular.ttf", "\uFFFD", false, "Latn");
	check_that(find(&rep, -1, NULL), "missing: drawn as U+FFFD", NULL);
	img_free(&rep);
	text_get_stats(tx, &a);
	draw("a\uE000b", &st);	/* cached: drawn again, not counted again */
	text_get_stats(tx, &b);
	check_that(b.missing_glyphs == a.missing_glyphs, "missing: a cached line is not recounted", NULL);
	check_that(text_width(tx, "\u4e2d", &st) > 0 && b.missing_glyphs == a.missing_glyphs,
		   "missing: measuring counts nothing", NULL);
}

/* Lines are kept as spans of ink: the cache holds well under their
 * pixels, and each draws the same straight into the output (direct.h)
 * and through the renderer, also lines of lone dots and thin strokes
 * (a span a stroke) and lines cut by the output's edges. */
static void test_spans(void)
{
	static const char *const texts[] = {
		"Order #48213 still hasn't arrived",
		"\u05d4\u05d4\u05d6\u05de\u05e0\u05d4 \u05e2\u05d3\u05d9\u05d9\u05df \u05dc\u05d0",
		"\u0633\u0641\u0627\u0631\u0634 \u0645\u0646 \u0647\u0646\u0648\u0632 \u0646\u0631\u0633\u06cc\u062f\u0647",
		". . . . . . . . . . . . . . . . . . . . .",
		"|||||i|i|i||| l l l l l l l l l ! ! ! ! ! :::::",
		"Fire \U0001F525 ok",
	};
	static const int sizes[] = { 9, 17, 40, 90 };
	static Uint32 straight[SCREEN_W * SCREEN_H];
	int same = 0, cases = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
			st.px = sizes[k];
			st.color = (SDL_Color){ 250, 200, 20, 255 };
			/* partly off the output's left and bottom edges */
			SDL_Rect box = { -7 * (int)k, SCREEN_H - 2 * sizes[k] + 3 * (int)k, SCREEN_W,
					 2 * sizes[k] };
			clear();
			text_set_output(tx, screen);
			text_draw(tx, texts[i], &st, &box);
			text_set_output(tx, NULL);
			SDL_RenderFlush(ren);
			screen_copy(straight);
			clear();
			text_draw(tx, texts[i], &st, &box);
			SDL_RenderFlush(ren);
			cases++;
			same += screen_is(straight) && screen_bbox(&(SDL_Rect){ 0 });
		}
	}
	char what[64];
	snprintf(what, sizeof what, "spans: %d of %d lines the same either way", same, cases);
	check_that(cases > 0 && same == cases, what, NULL);
	struct text_stats ts;
	text_get_stats(tx, &ts);
	snprintf(what, sizeof what, "spans: the cache holds %llu of %llu bytes",
		 (unsigned long long)ts.cached_stored, (unsigned long long)ts.cached_bytes);
	check_that(ts.cached_stored > 0 && ts.cached_stored < ts.cached_bytes * 7 / 10, what, NULL);
}

/* The band lines go through the renderer by is dropped after a few
 * frames without such a line (on the software renderer they go straight
 * into the window surface), and made again when one comes: the same
 * pixels. */
static void test_band_dropped(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	struct text_stats a;
	static Uint32 first[SCREEN_W * SCREEN_H];
	draw("Checkout outage \u05e9\u05dc\u05d5\u05dd", &st);
	text_get_stats(tx, &a);
	check_that(a.band_pixels > 0, "band: made to draw through the renderer", NULL);
	screen_copy(first);
	for (int i = 0; i < 16; i++)
		text_frame_end(tx);
	text_get_stats(tx, &a);
	check_that(a.band_pixels > 0, "band: kept over 16 frames", NULL);
	text_frame_end(tx);
	text_get_stats(tx, &a);
	check_that(a.band_pixels == 0, "band: dropped after 17 frames unused", NULL);
	draw("Checkout outage \u05e9\u05dc\u05d5\u05dd", &st);
	text_get_stats(tx, &a);
	check_that(a.band_pixels > 0 && screen_is(first), "band: made again, the same pixels",
		   NULL);
}

/* Many different emoji leave no picture behind but the cached lines':
 * SDL2_ttf kept each emoji drawn, 68 KB apiece (200 of them: 11 MB). */
static void test_emoji_forgotten(void)
{
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	struct text_stats a, b;
	char line[32];
	st.px = 24;
	draw("warm 😀", &st);	/* fonts, tables and scratch in place */
	text_get_stats(tx, &a);
	struct mallinfo2 before = mallinfo2();
	for (uint32_t cp = 0x1F400; cp < 0x1F400 + 200; cp++) {
		char *p = line + snprintf(line, sizeof line, "ok ");
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
		*p = '\0';
		draw(line, &st);
	}
	struct mallinfo2 after = mallinfo2();
	text_get_stats(tx, &b);
	long long grew = (long long)after.uordblks - (long long)before.uordblks -
			 ((long long)b.cached_bytes - (long long)a.cached_bytes);
	char what[96];
	snprintf(what, sizeof what, "emoji: 200 drawn keep %lld KB beside the cached lines", grew / 1024);
	check_that(b.rasterised >= a.rasterised + 200 && grew < 1024 * 1024, what, NULL);
}

/* 8. Bad input draws nothing. */
static void test_invalid(void)
{
	static const char *const bad[] = {
		"\xff\xfe", "abc\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok\x80",
	};
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_START);
	struct text_stats a, b;

	text_get_stats(tx, &a);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[64];
		snprintf(what, sizeof what, "invalid: case %zu draws nothing", i);
		check_that(draw(bad[i], &st) == 0 && screen_empty() && text_width(tx, bad[i], &st) == 0,
		      what, NULL);
	}
	text_get_stats(tx, &b);
	check_that(b.rasterised == a.rasterised, "invalid: nothing rasterised", NULL);
	check_that(draw("", &st) == 0 && screen_empty(), "invalid: empty string draws nothing", NULL);
	check_that(text_draw(tx, NULL, &st, &BOX) == 0, "invalid: NULL string", NULL);
}

/* Lines in every script share one baseline: letters that sit on it end
 * on the same row, alone or mixed. */
static void test_baseline(void)
{
	static const char *const on_baseline[] = { "x", "ا", "ה", "x ا ה" };
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_LEFT);
	SDL_Rect bb;
	int bottom[4];

	for (int i = 0; i < 4; i++) {
		draw(on_baseline[i], &st);
		bottom[i] = screen_bbox(&bb) ? bb.y + bb.h : -100;
	}
	check_that(abs(bottom[0] - bottom[1]) <= 1 && abs(bottom[0] - bottom[2]) <= 1 &&
	      abs(bottom[0] - bottom[3]) <= 1, "baseline: Latin, Arabic and Hebrew share it", NULL);
}

static void test_metrics(void)
{
	char path[1200];
	int h = 0;

	for (int i = 0; i < 3; i++) {
		static const char *const f[] = { "NotoSans-Regular.ttf", "NotoSansHebrew-Regular.ttf",
						 "NotoSansArabic-Regular.ttf" };
		snprintf(path, sizeof path, "%s/%s", font_dir, f[i]);
		TTF_Font *font = TTF_OpenFont(path, PX);
		if (font)
			h = SDL_max(h, TTF_FontHeight(font));
		TTF_CloseFont(font);
	}
	check_that(h > 0 && text_line_height(tx, PX) >= h, "metrics: line height fits the tallest font", NULL);
	check_that(text_init(ren, "/nonexistent") == NULL, "init: missing fonts give NULL", NULL);
	text_destroy(NULL); /* a no-op: a crash here fails the whole program */
}

/* Changed pixels: any channel lit on the black screen. */
static bool lit_bbox(SDL_Rect *r)
{
	int x0 = SCREEN_W, y0 = SCREEN_H, x1 = -1, y1 = -1;

	for (int y = 0; y < SCREEN_H; y++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)screen->pixels + y * screen->pitch);
		for (int x = 0; x < SCREEN_W; x++) {
			if (row[x] & 0xffffff) {
				x0 = SDL_min(x0, x), x1 = SDL_max(x1, x);
				y0 = SDL_min(y0, y), y1 = SDL_max(y1, y);
			}
		}
	}
	*r = (SDL_Rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
	return x1 >= 0;
}

/* text_place gives the box around the pixels a draw changes, not the
 * line's whole height (src/ui/scene.c redraws what a changed rect
 * touches): white text on black, the lit pixels' box is that box; the
 * colour emoji may have dark pixels, so there it need only hold them. */
static void test_place(void)
{
	static const struct {
		const char *s;
		bool tight;
	} cases[] = {
		{ "x", true }, { "Agy", true }, { "שלום", true }, { "سلام", true },
		{ "12:05 ok", true }, { "ok 🙂", false },
	};
	struct text_style st = style(TEXT_DIR_AUTO, TEXT_ALIGN_CENTER);
	char what[96];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		SDL_Rect at, lit;
		int w = text_place(tx, cases[i].s, &st, &BOX, &at);
		snprintf(what, sizeof what, "place \"%s\": same width as drawn", cases[i].s);
		check_that(w > 0 && w == draw(cases[i].s, &st), what, NULL);
		bool any = lit_bbox(&lit);
		snprintf(what, sizeof what, "place \"%s\": holds every pixel drawn", cases[i].s);
		check_that(any && lit.x >= at.x && lit.y >= at.y && lit.x + lit.w <= at.x + at.w &&
			   lit.y + lit.h <= at.y + at.h, what, NULL);
		/* a pixel of faint coverage may blend to nothing: 1 px */
		snprintf(what, sizeof what, "place \"%s\": no more than its ink", cases[i].s);
		check_that(!cases[i].tight || (lit.x - at.x <= 1 && lit.y - at.y <= 1 &&
					       at.x + at.w - lit.x - lit.w <= 1 &&
					       at.y + at.h - lit.y - lit.h <= 1), what, NULL);
	}
	SDL_Rect at;
	text_place(tx, "x", &st, &BOX, &at);
	check_that(at.h > 0 && at.h < text_line_height(tx, PX), "place: \"x\" is shorter than the line",
		   NULL);
	check_that(text_place(tx, "   ", &st, &BOX, &at) > 0 && at.w == 0 && at.h == 0,
		   "place: blanks change no pixel (empty)", NULL);
	check_that(draw("   ", &st) > 0 && screen_empty(), "place: blanks draw nothing", NULL);
}

/* Digits are kept as their glyphs' ink (text.c, surface_ink): each is
 * drawn as SDL_ttf draws it, and text_place_digits' box is the ink's,
 * not the cells' whole height. */
static void test_digits_ink(void)
{
	struct text_style st = style(TEXT_DIR_LTR, TEXT_ALIGN_LEFT);
	static const char digits[] = "0123456789";
	char what[64], one[2] = { 0 };
	SDL_Rect at, lit;

	for (int bold = 0; bold < 2; bold++) {
		st.weight = bold ? TEXT_BOLD : TEXT_REGULAR;
		clear();
		check_that(text_draw_digits(tx, "0123456789", &st, &BOX) > 0, "digits ink: drawn", NULL);
		SDL_RenderFlush(ren);
		for (int i = 0; i < 10; i++) {
			one[0] = digits[i];
			struct img ref = reference(bold ? "NotoSans-Bold.ttf" : "NotoSans-Regular.ttf",
						   one, false, "Latn");
			snprintf(what, sizeof what, "digits ink: '%c' (%s) as SDL_ttf draws it", digits[i],
				 bold ? "bold" : "regular");
			check_that(find(&ref, -1, NULL), what, NULL);
			img_free(&ref);
		}
		text_place_digits(tx, "+12:05", &st, &BOX, &at);
		clear();
		text_draw_digits(tx, "+12:05", &st, &BOX);
		SDL_RenderFlush(ren);
		check_that(lit_bbox(&lit) && lit.x >= at.x && lit.y >= at.y &&
			   lit.x + lit.w <= at.x + at.w && lit.y + lit.h <= at.y + at.h &&
			   lit.x - at.x <= 1 && lit.y - at.y <= 1 && at.x + at.w - lit.x - lit.w <= 1 &&
			   at.y + at.h - lit.y - lit.h <= 1, "digits ink: the box is the pixels drawn", NULL);
		/* a glyph's surface is the whole font height; the ink of
		 * digits about half of it */
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", font_dir,
			 bold ? "NotoSans-Bold.ttf" : "NotoSans-Regular.ttf");
		TTF_Font *f = TTF_OpenFont(path, PX);
		int fh = f ? TTF_FontHeight(f) : 0;
		TTF_CloseFont(f);
		check_that(at.h > 0 && at.h < fh * 3 / 4, "digits ink: shorter than the font's height",
			   NULL);
	}
}

/* Digits drawn straight into the output (direct.h) keep their glyphs as
 * alpha alone and make no texture; drawn through the renderer, the
 * textures made then draw the same pixels. */
static void test_digits_kept(void)
{
	struct text_style st = style(TEXT_DIR_LTR, TEXT_ALIGN_LEFT);
	struct text_stats a, b, c;
	const SDL_Color amber = { 255, 200, 20, 255 };
	st.px = PX + 7;	/* a set no test drew before */
	st.color = amber;
	text_get_stats(tx, &a);
	clear();
	text_set_output(tx, screen);
	check_that(text_draw_digits(tx, "+10:29:38", &st, &BOX) > 0, "digits kept: drawn straight",
		   NULL);
	text_set_output(tx, NULL);
	SDL_RenderFlush(ren);
	static Uint32 straight[SCREEN_W * SCREEN_H];
	screen_copy(straight);
	text_get_stats(tx, &b);
	check_that(b.digit_sets == a.digit_sets + 1 && b.digit_textures == a.digit_textures &&
		   b.digit_bytes > a.digit_bytes, "digits kept: a set of alpha, no texture", NULL);
	clear();
	text_draw_digits(tx, "+10:29:38", &st, &BOX);
	SDL_RenderFlush(ren);
	text_get_stats(tx, &c);
	check_that(c.digit_textures > b.digit_textures && c.digit_bytes == b.digit_bytes &&
		   c.digit_sets == b.digit_sets, "digits kept: textures once drawn by the renderer",
		   NULL);
	check_that(lit_bbox(&(SDL_Rect){ 0, 0, 0, 0 }) && screen_is(straight),
		   "digits kept: the same pixels either way", NULL);
	/* not drawn through the renderer for a while: the textures go, the
	 * alpha stays and makes them again with the same pixels */
	for (int i = 0; i < 20; i++)
		text_frame_end(tx);
	text_get_stats(tx, &a);
	check_that(a.digit_textures == 0 && a.digit_bytes == c.digit_bytes,
		   "digits kept: textures dropped when unused, the glyphs kept", NULL);
	clear();
	text_draw_digits(tx, "+10:29:38", &st, &BOX);
	SDL_RenderFlush(ren);
	check_that(screen_is(straight), "digits kept: textures made again, the same pixels", NULL);
}

/* A second colour of a digit set's size and weight keeps no glyphs of
 * its own, and draws what its own glyphs would: the same colour drawn
 * first, from a set made afresh, gives the same pixels. */
static void test_digits_shared(void)
{
	struct text_style st = style(TEXT_DIR_LTR, TEXT_ALIGN_LEFT);
	const SDL_Color red = { 236, 76, 80, 255 }, grey = { 200, 200, 210, 255 };
	struct text_stats a, b;
	static Uint32 fresh[SCREEN_W * SCREEN_H];
	st.px = PX + 11;	/* a size no test drew before */
	st.color = red;
	clear();
	text_draw_digits(tx, "-12:34", &st, &BOX);
	SDL_RenderFlush(ren);
	screen_copy(fresh);
	/* the other digits and back: every set is dropped */
	text_set_digit_zero(tx, 0x06f0);
	text_set_digit_zero(tx, '0');
	st.color = grey;
	text_draw_digits(tx, "-12:34", &st, &BOX);
	text_get_stats(tx, &a);
	st.color = red;
	clear();
	check_that(text_draw_digits(tx, "-12:34", &st, &BOX) > 0, "digits shared: drawn", NULL);
	SDL_RenderFlush(ren);
	text_get_stats(tx, &b);
	check_that(b.digit_sets == a.digit_sets + 1 && b.digit_bytes == a.digit_bytes,
		   "digits shared: a second colour keeps no glyphs of its own", NULL);
	check_that(lit_bbox(&(SDL_Rect){ 0, 0, 0, 0 }) && screen_is(fresh),
		   "digits shared: the pixels of its own glyphs", NULL);
	st.px = PX + 12;
	text_draw_digits(tx, "-12:34", &st, &BOX);
	text_get_stats(tx, &a);
	check_that(a.digit_bytes > b.digit_bytes, "digits shared: another size keeps its own",
		   NULL);
}

int main(void)
{
	const char *assets = getenv("WB_ASSETS");

	snprintf(font_dir, sizeof font_dir, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	/* the comparisons with SDL2_ttf's own output need it started;
	 * TTF_WasInit counts the starts, text.c's one among them */
	if (SDL_Init(SDL_INIT_VIDEO) < 0 || TTF_Init() < 0) {
		printf("SDL: %s\n0 passed, 1 failed\n", SDL_GetError());
		return 1;
	}
	screen = SDL_CreateRGBSurfaceWithFormat(0, SCREEN_W, SCREEN_H, 32, SDL_PIXELFORMAT_ARGB8888);
	ren = screen ? SDL_CreateSoftwareRenderer(screen) : NULL;
	tx = ren ? text_init(ren, font_dir) : NULL;
	check_that(tx != NULL, "init", NULL);
	if (tx) {
		struct text_stats ts;
		text_get_stats(tx, &ts);
		check_that(!ts.emoji_open, "emoji: the font not open before an emoji", NULL);
		check_that(TTF_WasInit() == 1, "SDL2_ttf: not started by text_init", NULL);
		test_direction();
		test_bidi_order();
		test_mixed_digits();
		test_persian_joining();
		test_fallback();
		test_ellipsis();
		/* Latin, Hebrew, Persian, digits and symbols so far; the
		 * table's rows hold the first emoji */
		check_that(TTF_WasInit() == 1, "SDL2_ttf: not started for the text fonts", NULL);
		test_cut_table();
		check_that(TTF_WasInit() == 2, "SDL2_ttf: started for the first emoji", NULL);
		test_cache();
		test_cache_bounds();
		test_cache_ink();
		test_font_sizes();
		test_digits();
		test_persian_digits();
		test_emoji();
		test_emoji_forgotten();
		test_band_dropped();
		test_spans();
		test_invalid();
		test_baseline();
		test_metrics();
		test_place();
		test_digits_ink();
		test_digits_kept();
		test_digits_shared();
	}
	text_destroy(tx);
	check_that(TTF_WasInit() == 1, "SDL2_ttf: stopped by text_destroy", NULL);
	SDL_DestroyRenderer(ren);
	SDL_FreeSurface(screen);
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
