/* kit.c - see kit.h. */
#include "kit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "i18n.h"
#include "util.h"

const struct kit_palette kit_pal = {
	.bg = { 14, 17, 22, 255 },
	.header = { 21, 26, 33, 255 },
	.panel = { 25, 30, 38, 255 },
	.edge = { 42, 49, 60, 255 },
	.text = { 226, 230, 236, 255 },
	.muted = { 132, 142, 156, 255 },
	.dim = { 92, 100, 112, 255 },
	.ok = { 96, 178, 132, 255 },
	.amber = { 240, 170, 40, 255 },
	.red = { 236, 76, 80, 255 },
	.red_bg = { 58, 22, 27, 255 },
	.amber_bg = { 44, 36, 18, 255 },
	.row_red = { 40, 21, 25, 255 },
	.row_amber = { 36, 31, 20, 255 },
	.vip = { 233, 196, 106, 255 },
	.ink = { 16, 16, 18, 255 },
	.white = { 255, 255, 255, 255 },
	.crisis_a = { 178, 18, 34, 255 },
	.crisis_b = { 255, 200, 20, 255 },
	.band = { 232, 150, 24, 255 },
	.notice = { 250, 214, 72, 255 },
	.veil = { 78, 80, 86, 205 },
	.fire_a = { 58, 22, 27, 255 },
	.fire_b = { 112, 30, 38, 255 },
	.esc_a = { 196, 26, 38, 255 },
	.esc_b = { 142, 14, 26, 255 },
	.fire_edge = { 255, 96, 96, 255 },
	.focus = { 96, 178, 255, 255 },
	.pressed = { 255, 255, 255, 60 },
	.shade = { 0, 0, 0, 170 },
	.modal = { 30, 36, 46, 255 },
	.key = { 54, 63, 78, 255 },
	.key_down = { 96, 110, 134, 255 },
	.key_off = { 34, 39, 48, 255 },
	.key_go = { 40, 128, 80, 255 },
	.field = { 16, 19, 24, 255 },
	.field_bad = { 70, 20, 26, 255 },
};

static const uint32_t accents[] = {
	0x4fb3bf, 0x9d8cd9, 0x5b9bd5, 0xc9a66b,
	0xd98cb3, 0xa3b86c, 0x7f9cb0, 0xd9886c,
};

SDL_Color kit_accent(size_t i)
{
	uint32_t v = accents[i % (sizeof accents / sizeof accents[0])];
	SDL_Color c = { (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255 };
	return c;
}

int kit_min_px(int u)
{
	return kit_imax(kit_pct(u, KIT_MIN_PERMILLE), KIT_MIN_PX);
}

int kit_px(int u, int permille)
{
	return kit_imax(kit_pct(u, permille), kit_min_px(u));
}

SDL_Rect kit_rect(int x, int y, int w, int h)
{
	SDL_Rect a = { x, y, kit_imax(w, 0), kit_imax(h, 0) };
	return a;
}

SDL_Rect kit_inset(SDL_Rect a, int dx, int dy)
{
	return kit_rect(a.x + dx, a.y + dy, a.w - 2 * dx, a.h - 2 * dy);
}

SDL_Rect kit_mir(const struct kit *k, SDL_Rect a)
{
	if (k->mirror)
		a.x = k->w - a.x - a.w;
	return a;
}

SDL_Rect kit_cell(SDL_Rect row, int x, int w)
{
	return kit_rect(row.x + x, row.y, w, row.h);
}

void kit_fill(const struct kit *k, SDL_Rect a, SDL_Color c)
{
	if (k->scene)
		scene_fill(k->scene, kit_mir(k, a), c);
	else
		draw_fill(k->ren, kit_mir(k, a), c);
}

void kit_layer_begin(const struct kit *k, SDL_Rect a)
{
	if (k->scene)
		scene_layer_begin(k->scene, kit_mir(k, a));
}

void kit_layer_end(const struct kit *k)
{
	if (k->scene)
		scene_layer_end(k->scene);
}

void kit_outline(const struct kit *k, SDL_Rect a, int t, SDL_Color c)
{
	if (k->scene)
		scene_outline(k->scene, kit_mir(k, a), t, c);
	else
		draw_outline(k->ren, kit_mir(k, a), t, c);
}

void kit_disc(const struct kit *k, SDL_Rect a, SDL_Color c)
{
	SDL_Rect s = kit_mir(k, a);
	if (k->scene)
		scene_disc(k->scene, s, c);
	else
		draw_disc(k->ren, s.x + s.w / 2, s.y + s.h / 2, kit_imin(s.w, s.h) / 2, c);
}

static enum text_align phys(const struct kit *k, enum kit_align a)
{
	switch (a) {
	case AL_START: return k->mirror ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
	case AL_END: return k->mirror ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT;
	case AL_CENTER: return TEXT_ALIGN_CENTER;
	case AL_RIGHT: return TEXT_ALIGN_RIGHT;
	default: return TEXT_ALIGN_START;
	}
}

static struct text_style style(const struct kit *k, enum kit_kind kind, int px,
			       enum text_weight wt, SDL_Color c, enum kit_align a)
{
	struct text_style s = { kit_imax(px, 6), wt, c, TEXT_DIR_AUTO, phys(k, a) };
	if (kind == P_UI)
		s.dir = k->rtl ? TEXT_DIR_RTL : TEXT_DIR_LTR;
	else if (kind == P_LTR || kind == P_NUM)
		s.dir = TEXT_DIR_LTR;
	else if (kind == P_RTL)
		s.dir = TEXT_DIR_RTL;
	return s;
}

void kit_fmt_ack(const struct kit *k, char *buf, size_t len, int64_t at, int64_t until,
		 const char *until_word)
{
	char a[16], u[16], la[64], lu[64];
	kit_fmt_clock(a, sizeof a, at, false);
	kit_fmt_clock(u, sizeof u, until, false);
	i18n_digits(k->lang, k->digits, a, la, sizeof la);
	i18n_digits(k->lang, k->digits, u, lu, sizeof lu);
	if (!at)
		la[0] = '\0';
	if (until > 0)
		snprintf(buf, len, "%s%s %s", la, until_word, lu);
	else
		snprintf(buf, len, "%s", la);
}

/* The board's number in the language's digits (P_NUM), into buf. */
static const char *num(const struct kit *k, enum kit_kind kind, const char *s,
		       char *buf, size_t size)
{
	return kind == P_NUM ? i18n_digits(k->lang, k->digits, s, buf, size) : s;
}

static struct kit_seen *seen;

void kit_seen_watch(struct kit_seen *w)
{
	seen = w;
	if (w)
		w->n = w->more = w->used = 0;
}

/* Where w keeps the text equal to s; w->n: nowhere. */
static size_t seen_at(const struct kit_seen *w, const char *s)
{
	size_t i = 0;
	while (i < w->n && strcmp(w->t[i].s, s) != 0)
		i++;
	return i;
}

const char *kit_seen_find(const struct kit_seen *w, const char *s, bool *cut)
{
	size_t i = w ? seen_at(w, s) : 0;
	if (!w || i == w->n)
		return NULL;
	if (cut)
		*cut = w->t[i].cut;
	return w->t[i].s;
}

int kit_seen_shown(const struct kit_seen *w, const char *s)
{
	size_t i = w ? seen_at(w, s) : 0;
	return w && i < w->n ? w->t[i].shown : -1;
}

/* kit_seen_keep, with the permille of s its box held. */
static bool seen_keep_part(struct kit_seen *w, const char *s, bool cut, int shown)
{
	size_t i = seen_at(w, s);
	if (i < w->n) {
		w->t[i].cut |= cut;
		w->t[i].shown = shown < w->t[i].shown ? shown : w->t[i].shown;
		return true;
	}
	size_t len = strlen(s) + 1;
	if (w->n >= KIT_SEEN_MAX || len > KIT_SEEN_BYTES - w->used) {
		w->more++;
		return false;
	}
	char *d = w->pool + w->used;
	memcpy(d, s, len);
	w->used += len;
	w->t[w->n].s = d;
	w->t[w->n].shown = shown;
	w->t[w->n++].cut = cut;
	return true;
}

bool kit_seen_keep(struct kit_seen *w, const char *s, bool cut)
{
	return seen_keep_part(w, s, cut, cut ? 0 : 1000);
}

uint64_t kit_seen_hash(const struct kit_seen *w)
{
	uint64_t h = UTIL_FNV1A_SEED ^ w->more;
	for (size_t i = 0; i < w->n; i++) {
		unsigned char cut = w->t[i].cut;
		h = util_fnv1a(h, w->t[i].s, strlen(w->t[i].s) + 1); /* with its NUL */
		h = util_fnv1a(h, &cut, 1);
	}
	return h;
}

/* The width of s drawn as kind in st: digits in their fixed cells. */
static int width_of(const struct kit *k, enum kit_kind kind, const char *s,
		    const struct text_style *st)
{
	return kind == P_DIGITS ? text_digits_width(k->text, s, st->px, st->weight)
				: text_width(k->text, s, st);
}

/* Keeps s in the watched record when it is cut to w (or all are kept). */
static void keep_seen(const struct kit *k, enum kit_kind kind, const char *s,
		      const struct text_style *st, int w)
{
	int tw = width_of(k, kind, s, st);
	bool cut = tw > w;
	if (cut || seen->all)
		seen_keep_part(seen, s, cut, cut ? (int)((int64_t)w * 1000 / tw) : 1000);
}

/* A text given no room at all is the most cut of texts: listed as cut. */
static void seen_dropped(const struct kit *k, enum kit_kind kind, const char *s)
{
	char buf[128];
	if (seen && s && *s)
		kit_seen_keep(seen, num(k, kind, s, buf, sizeof buf), true);
}

/* The pieces of a line (kit_pieces) are one paragraph in the line's
 * direction, the board's: the line reads as the Unicode Bidirectional
 * Algorithm orders it whole. A piece's neutrals at its edges resolve as
 * they would beside the board's words before it and the line's end after
 * it, which is what the line's direction as the piece's own gives. Given
 * LTR of its own, he "המתנה ארוכה > 6:40" read kind, number, sign, and so
 * did "> 1d 01h" while the board's numbers with letters kept LTR. Data
 * keeps its words' directions inside; in the board's numbers (P_NUM:
 * "> 6:40", "23", "2d 03h") the digits and Latin letters read LTR in
 * either direction (UBA W7, N1), so only their edges' neutrals change. */
static void line_dir(const struct kit *k, enum kit_kind kind, struct text_style *st)
{
	if (kind == P_DATA || kind == P_NUM)
		st->dir = k->rtl ? TEXT_DIR_RTL : TEXT_DIR_LTR;
}

/* kit_put; in_line: a piece of a line (line_dir). */
static int put(const struct kit *k, enum kit_kind kind, const char *s, int px,
	       enum text_weight wt, SDL_Color c, enum kit_align a, SDL_Rect box, bool in_line)
{
	char buf[128];
	if (!s || !*s)
		return 0;
	if (box.w <= 0 || box.h <= 0) {
		seen_dropped(k, kind, s);
		return 0;
	}
	s = num(k, kind, s, buf, sizeof buf);
	struct text_style st = style(k, kind, px, wt, c, a);
	if (in_line)
		line_dir(k, kind, &st);
	SDL_Rect b = kit_mir(k, box);
	if (k->px_min && (!*k->px_min || st.px < *k->px_min))
		*k->px_min = st.px;
	if (kind == P_DIGITS && st.align == TEXT_ALIGN_START)
		st.align = TEXT_ALIGN_LEFT;
	if (seen)
		keep_seen(k, kind, s, &st, b.w);
	if (k->scene)
		return scene_text(k->scene, s, &st, b, kind == P_DIGITS);
	if (kind == P_DIGITS)
		return text_draw_digits(k->text, s, &st, &b);
	return text_draw(k->text, s, &st, &b);
}

int kit_put(const struct kit *k, enum kit_kind kind, const char *s, int px,
	    enum text_weight wt, SDL_Color c, enum kit_align a, SDL_Rect box)
{
	return put(k, kind, s, px, wt, c, a, box, false);
}

/* kit_measure; in_line: a piece of a line (line_dir). */
static int measure(const struct kit *k, const struct piece *p, bool in_line)
{
	if (!p->s || !*p->s)
		return 0;
	char buf[128];
	struct text_style st = style(k, p->kind, p->px, p->wt, p->c, AL_START);
	if (in_line)
		line_dir(k, p->kind, &st);
	return width_of(k, p->kind, num(k, p->kind, p->s, buf, sizeof buf), &st);
}

int kit_measure(const struct kit *k, const struct piece *p)
{
	return measure(k, p, false);
}

int kit_fit_px(const struct kit *k, const struct piece *p, int least, int w)
{
	struct piece q = *p;
	int tw = measure(k, &q, false);
	if (tw <= w || w <= 0 || p->px <= least)
		return p->px;
	/* widths grow about as the size; hinting may want a pixel less */
	q.px = kit_imax(p->px * w / tw, least);
	while (q.px > least && measure(k, &q, false) > w)
		q.px--;
	return q.px;
}

#define PIECES_MAX 8

/* Each piece's width w and the gap between two pieces; returns the whole
 * width. n is at most PIECES_MAX. */
static int pieces_measure(const struct kit *k, const struct piece *p, size_t n, int *w,
			  int *gap)
{
	int total = 0;
	*gap = 0;
	for (size_t i = 0; i < n; i++) {
		w[i] = measure(k, &p[i], true);
		*gap = kit_imax(*gap, p[i].px * 3 / 10);
	}
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		total += w[i] + (shown && w[i] ? *gap : 0);
		shown += w[i] > 0;
	}
	return total;
}

int kit_pieces_width(const struct kit *k, const struct piece *p, size_t n)
{
	int w[PIECES_MAX], gap;
	return pieces_measure(k, p, n > PIECES_MAX ? PIECES_MAX : n, w, &gap);
}

int kit_pieces(const struct kit *k, const struct piece *p, size_t n, SDL_Rect box,
	       bool centre, int flex)
{
	int w[PIECES_MAX], gap;
	n = n > PIECES_MAX ? PIECES_MAX : n;
	int total = pieces_measure(k, p, n, w, &gap);
	if (flex >= 0 && (size_t)flex < n && total > box.w)
		w[flex] = kit_imax(w[flex] - (total - box.w), 0);
	int x = box.x, end = box.x + box.w;
	if (centre && total < box.w)
		x += (box.w - total) / 2;
	int last = x;
	bool drawn = false;
	for (size_t i = 0; i < n; i++) {
		int cw = 0;
		if (w[i] && x < end) {
			/* a gap only after a piece drawn: a first piece squeezed
			 * out leaves none before the next */
			x += drawn ? gap : 0;
			cw = kit_imin(w[i], end - x);
		}
		if (cw <= 0) { /* squeezed out, or no room left */
			seen_dropped(k, p[i].kind, p[i].s);
			continue;
		}
		put(k, p[i].kind, p[i].s, p[i].px, p[i].wt, p[i].c, AL_START,
		    kit_rect(x, box.y, cw, box.h), true);
		last = x + cw;
		x += cw;
		drawn = true;
	}
	return last;
}

int kit_pill_width(const struct kit *k, const char *s, int px)
{
	struct piece p = { s, P_UI, px, TEXT_BOLD, kit_pal.text };
	return kit_measure(k, &p) + px;
}

int kit_pill_height(int px)
{
	return px * 17 / 10;
}

int kit_pill(const struct kit *k, const char *s, int px, SDL_Color bg, SDL_Color fg,
	     bool filled, SDL_Rect box, enum kit_align a)
{
	int w = kit_imin(kit_pill_width(k, s, px), box.w);
	int h = kit_imin(box.h, kit_pill_height(px));
	int x = a == AL_END ? box.x + box.w - w : box.x;
	SDL_Rect b = kit_rect(x, box.y + (box.h - h) / 2, w, h);
	if (filled)
		kit_fill(k, b, bg);
	else
		kit_outline(k, b, kit_imax(px / 12, 1), bg);
	kit_put(k, P_UI, s, px, TEXT_BOLD, fg, AL_CENTER, b);
	return w;
}

bool kit_fmt_duration(char *buf, size_t len, int64_t s, const char *sign)
{
	if (s < 0)
		s = 0;
	if (!sign)
		sign = "";
	if (s >= 86400) {
		snprintf(buf, len, "%s%dd %02dh", sign, (int)(s / 86400),
			 (int)(s % 86400 / 3600));
		return false;
	}
	int h = (int)(s / 3600), mi = (int)(s % 3600 / 60), se = (int)(s % 60);
	if (h)
		snprintf(buf, len, "%s%d:%02d:%02d", sign, h, mi, se);
	else
		snprintf(buf, len, "%s%d:%02d", sign, mi, se);
	return true;
}

void kit_fmt_clock(char *buf, size_t len, int64_t t, bool secs)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		memset(&tm, 0, sizeof tm);
	if (secs)
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void kit_fmt_uint(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

void kit_fmt_count(char *buf, size_t len, int64_t v)
{
	char d[24];
	int n = snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? 0 : v));
	size_t o = 0;
	if (!len)
		return;
	for (int i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
}
