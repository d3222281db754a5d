/* render.c - see render.h.
 *
 * Geometry is computed left-to-right and mirrored only where it meets the
 * screen (mir()), so a right-to-left layout is the exact reflection of the
 * left-to-right one. Every size derives from the output's smaller side u,
 * which keeps the proportions at 800x480 and at 3840x2160, landscape or
 * portrait. The layout is cached per output size, language, channels
 * and alarm strip height (which changes only when alarms come and go), in
 * four variants (crisis banner on/off x "not live" band on/off) so a
 * state change never recomputes it. The alarm strip is only reserved
 * here; ackui.c draws it.
 *
 * Read from five metres: when the room runs short the board drops what
 * matters least, never its text size. Top to bottom by priority: header,
 * crisis banner, alarm strip, channels, lists. The channels are tiles
 * unless their smallest words would shrink below the list rows' text
 * (under a crisis) or below the header's labels (otherwise); then each
 * channel is a chip of list-sized text: name, open, breached (or at
 * risk). The strip leaves room for the chips; the lists take the rest,
 * down to a heading and "+N more".
 *
 * Text: labels and complaint texts go through text_draw (cached per
 * string); everything that ticks (timers, counts, clock) goes through
 * text_draw_digits, so a ticking frame rasterises nothing. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "i18n.h"
#include "log.h"

#define MAX_ROWS 64
#define MAX_ALARM_ROWS 64
#define N_VARIANTS 4
#define V_CRISIS 1
#define V_BAND 2
/* One flash per second: well under WCAG 2.3.1's three. */
#define FLASH_HALF_MS 500

/* AL_RIGHT: physically right in both layouts, for LTR-only numbers in
 * columns (their last digits line up). AL_OWN: the start of the text's own
 * direction. */
enum align { AL_START, AL_END, AL_CENTER, AL_RIGHT, AL_OWN };
/* UI words follow the layout's direction; data finds its own; P_LTR and
 * P_RTL force one (phone numbers, wrapped lines of one paragraph). P_NUM
 * is the board's own number in shaped text ("95%", "2d 03h"): LTR, in
 * the language's digits like P_DIGITS (producers' data keeps its own). */
enum piece_kind { P_UI, P_DATA, P_DIGITS, P_LTR, P_RTL, P_NUM };
enum tile_state { TS_OK, TS_AT_RISK, TS_BREACHED };
enum col { COL_TIME, COL_MARK, COL_CHANNEL, COL_CUSTOMER, COL_ASSIGNEE,
	   COL_TEXT, N_COLS };

/* A run of text in an inline sequence (see draw_pieces). */
struct piece {
	const char *s;
	enum piece_kind kind;
	int px;
	enum text_weight wt;
	SDL_Color c;
};

struct header_layout {
	SDL_Rect all, site, kpi[3], conn, clock;
	int site_px, label_px, value_px, clock_px, conn_px;
};

struct tiles_layout {
	SDL_Rect area;
	size_t n;
	SDL_Rect tile[MODEL_MAX_CHANNELS];
	bool compact, stacked, chips;
	int name_px, count_px, label_px, detail_px, strip_px;
};

/* Chips (see chips_plan): the same for every variant; x offsets from a
 * chip's start side. */
struct chip_layout {
	int h;           /* height of all rows of chips; 0: they fit no way */
	int cols, lines, line_h;
	int name_px, count_px, label_px;
	int bw, g, name_x, name_w;
	int gg, cg;      /* gaps: between groups, between a count and its label */
	int open_w, br_w, open_cw, br_cw; /* groups, and their count cells */
};

struct list_layout {
	SDL_Rect area;
	int title_h, row_h, line_h;
	bool two_line;
	int text_px, time_px, mark_px, title_px;
	int col_x[N_COLS], col_w[N_COLS]; /* relative to area.x */
};

struct banner_layout {
	SDL_Rect area;
	bool narrow;     /* columns stacked, title on its own row */
	int title_px, msg_px, item_px, item_h;
};

/* The crisis message split in two lines, cached (see wrap_update). */
struct wrap {
	char src[MSG_MESSAGE_MAX];
	char line1[MSG_MESSAGE_MAX];
	size_t cut;      /* offset of line 2 in src; 0: one line */
	int w, px;
	enum piece_kind kind;
};

struct layout {
	struct header_layout hd;
	SDL_Rect band;
	struct banner_layout banner;
	struct tiles_layout tiles;
	struct list_layout list;
	SDL_Rect alarms;   /* strip for ackui; empty without alarms */
	SDL_Rect body;
};

/* Regions whose smallest text size a frame records (render_text_px). */
#define N_PX_REGIONS (RENDER_REGION_LIST + 1)

struct render {
	SDL_Renderer *ren;
	struct text *text;
	const struct config *cfg;

	/* layout cache key */
	int w, h;
	size_t n_channels;
	enum lang lang;
	int alarm_rows;
	bool valid;

	bool mirror;
	int u, pad;
	struct layout lay[N_VARIANTS];
	struct chip_layout chip;
	int variant;

	char chan_key[MODEL_MAX_CHANNELS][MSG_CHANNEL_MAX];
	char chan_name[MODEL_MAX_CHANNELS][CONFIG_STR];
	SDL_Color chan_color[MODEL_MAX_CHANNELS];

	/* what the last frame showed */
	struct render_row rows[MAX_ROWS];
	size_t n_rows;
	SDL_Rect tiles[MODEL_MAX_CHANNELS];
	size_t n_tiles;
	bool drawn, ticking, flashing, banner_shown, band_shown, alarms_shown;
	int64_t last_now;
	struct wrap wrap;
	/* the region being drawn, and the smallest text size in each */
	enum render_region region;
	int px_min[N_PX_REGIONS];
};

/* Per-frame inputs shared by the drawing functions. */
struct frame {
	const struct model *m;
	const struct board_status *st;
	int64_t now;       /* wall clock, for the clock */
	int64_t data_now;  /* model time: frozen while not live */
	uint32_t ticks;
	int64_t at_risk_s;
	const struct layout *L;
	struct channel_stats tot;
};

/* Palette: calm dark board; red and amber only where someone must act. */
static const SDL_Color C_BG = { 14, 17, 22, 255 };
static const SDL_Color C_HEADER = { 21, 26, 33, 255 };
static const SDL_Color C_PANEL = { 25, 30, 38, 255 };
static const SDL_Color C_EDGE = { 42, 49, 60, 255 };
static const SDL_Color C_TEXT = { 226, 230, 236, 255 };
static const SDL_Color C_MUTED = { 132, 142, 156, 255 };
static const SDL_Color C_DIM = { 92, 100, 112, 255 };
static const SDL_Color C_OK = { 96, 178, 132, 255 };
static const SDL_Color C_AMBER = { 240, 170, 40, 255 };
static const SDL_Color C_RED = { 236, 76, 80, 255 };
static const SDL_Color C_RED_BG = { 58, 22, 27, 255 };
static const SDL_Color C_AMBER_BG = { 44, 36, 18, 255 };
static const SDL_Color C_ROW_RED = { 40, 21, 25, 255 };
static const SDL_Color C_ROW_AMBER = { 36, 31, 20, 255 };
static const SDL_Color C_VIP = { 233, 196, 106, 255 };
static const SDL_Color C_INK = { 16, 16, 18, 255 };
static const SDL_Color C_WHITE = { 255, 255, 255, 255 };
static const SDL_Color C_CRISIS_A = { 178, 18, 34, 255 };
static const SDL_Color C_CRISIS_B = { 255, 200, 20, 255 };
static const SDL_Color C_BAND = { 232, 150, 24, 255 };
static const SDL_Color C_NOTICE = { 250, 214, 72, 255 };
static const SDL_Color C_VEIL = { 78, 80, 86, 205 };

static const uint32_t default_accents[] = {
	0x4fb3bf, 0x9d8cd9, 0x5b9bd5, 0xc9a66b,
	0xd98cb3, 0xa3b86c, 0x7f9cb0, 0xd9886c,
};

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }
static int pct(int v, int permille) { return v * permille / 1000; }
/* Font sizes: never below what the text module can draw. */
static int fpx(int v, int permille) { return imax(pct(v, permille), 6); }

static SDL_Color rgb(uint32_t v)
{
	SDL_Color c = { (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255 };
	return c;
}

static SDL_Rect rect(int x, int y, int w, int h)
{
	SDL_Rect a = { x, y, imax(w, 0), imax(h, 0) };
	return a;
}

/* Shrink by d on every side. */
static SDL_Rect inset(SDL_Rect a, int dx, int dy)
{
	return rect(a.x + dx, a.y + dy, a.w - 2 * dx, a.h - 2 * dy);
}

/* The one place where left-to-right geometry becomes screen geometry. */
static SDL_Rect mir(const struct render *r, SDL_Rect a)
{
	if (r->mirror)
		a.x = r->w - a.x - a.w;
	return a;
}

/* ---------------------------------------------------------------- drawing */

static void fill(struct render *r, SDL_Rect a, SDL_Color c)
{
	draw_fill(r->ren, mir(r, a), c);
}

static void outline(struct render *r, SDL_Rect a, int t, SDL_Color c)
{
	draw_outline(r->ren, mir(r, a), t, c);
}

static void fill_circle(struct render *r, SDL_Rect a, SDL_Color c)
{
	SDL_Rect s = mir(r, a);
	draw_disc(r->ren, s.x + s.w / 2, s.y + s.h / 2, imin(s.w, s.h) / 2, c);
}

static enum text_align phys(const struct render *r, enum align a)
{
	switch (a) {
	case AL_START: return r->mirror ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
	case AL_END: return r->mirror ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT;
	case AL_CENTER: return TEXT_ALIGN_CENTER;
	case AL_RIGHT: return TEXT_ALIGN_RIGHT;
	default: return TEXT_ALIGN_START;
	}
}

static struct text_style style(const struct render *r, enum piece_kind k, int px,
			       enum text_weight wt, SDL_Color c, enum align a)
{
	struct text_style s = { imax(px, 6), wt, c, TEXT_DIR_AUTO, phys(r, a) };
	if (k == P_UI)
		s.dir = r->mirror ? TEXT_DIR_RTL : TEXT_DIR_LTR;
	else if (k == P_LTR || k == P_NUM)
		s.dir = TEXT_DIR_LTR;
	else if (k == P_RTL)
		s.dir = TEXT_DIR_RTL;
	return s;
}

/* The board's number in the language's digits (P_NUM), into buf. */
static const char *num(const struct render *r, enum piece_kind k, const char *s,
		       char *buf, size_t size)
{
	return k == P_NUM ? i18n_digits(r->lang, r->cfg->digits, s, buf, size) : s;
}

/* Draw one string of any kind into an LTR box; returns its width. */
static int put(struct render *r, enum piece_kind k, const char *s, int px,
	       enum text_weight wt, SDL_Color c, enum align a, SDL_Rect box)
{
	char buf[64];
	if (!s || !*s || box.w <= 0 || box.h <= 0)
		return 0;
	s = num(r, k, s, buf, sizeof buf);
	struct text_style st = style(r, k, px, wt, c, a);
	SDL_Rect b = mir(r, box);
	int *least = &r->px_min[r->region];
	if (!*least || st.px < *least)
		*least = st.px;
	if (k == P_DIGITS) {
		if (st.align == TEXT_ALIGN_START)
			st.align = TEXT_ALIGN_LEFT;
		return text_draw_digits(r->text, s, &st, &b);
	}
	return text_draw(r->text, s, &st, &b);
}

static int measure(struct render *r, const struct piece *p)
{
	if (!p->s || !*p->s)
		return 0;
	if (p->kind == P_DIGITS)
		return text_digits_width(r->text, p->s, imax(p->px, 6), p->wt);
	char buf[64];
	struct text_style st = style(r, p->kind, p->px, p->wt, p->c, AL_START);
	return text_width(r->text, num(r, p->kind, p->s, buf, sizeof buf), &st);
}

/* Lay pieces out one after another from the start side (or centred) of
 * box, in reading order: mirroring puts the first piece on the right. The
 * last piece that does not fit is cut by the text module. Returns the
 * LTR x after the last piece. */
static int draw_pieces(struct render *r, const struct piece *p, size_t n,
		       SDL_Rect box, bool centre)
{
	int w[8], total = 0, gap = 0;
	n = n > 8 ? 8 : n;
	for (size_t i = 0; i < n; i++) {
		w[i] = measure(r, &p[i]);
		gap = imax(gap, p[i].px * 3 / 10);
		total += w[i];
	}
	total += gap * (int)(n ? n - 1 : 0);
	int x = box.x, end = box.x + box.w;
	if (centre && total < box.w)
		x += (box.w - total) / 2;
	for (size_t i = 0; i < n && x < end; i++) {
		if (!w[i])
			continue;
		SDL_Rect b = rect(x, box.y, imin(w[i], end - x), box.h);
		put(r, p[i].kind, p[i].s, p[i].px, p[i].wt, p[i].c, AL_START, b);
		x += w[i] + gap;
	}
	return x - gap;
}

/* A word in a filled box (state, priority, "CRISIS"). Returns its width. */
static int pill(struct render *r, const char *s, int px, SDL_Color bg,
		SDL_Color fg, bool filled, SDL_Rect box, enum align a)
{
	struct piece p = { s, P_UI, px, TEXT_BOLD, fg };
	int w = imin(measure(r, &p) + px, box.w);
	int h = imin(box.h, px * 17 / 10);
	int x = a == AL_END ? box.x + box.w - w : box.x;
	SDL_Rect b = rect(x, box.y + (box.h - h) / 2, w, h);
	if (filled)
		fill(r, b, bg);
	else
		outline(r, b, imax(px / 12, 1), bg);
	put(r, P_UI, s, px, TEXT_BOLD, fg, AL_CENTER, b);
	return w;
}

/* ------------------------------------------------------------ formatting */

/* "+1:02:13", "4:12", or "2d 03h" past a day. Returns true when the result
 * is digits only (drawn by text_draw_digits; the day form changes once an
 * hour, so a cached label is cheap). */
static bool fmt_duration(char *buf, size_t len, int64_t s, const char *sign)
{
	if (s < 0)
		s = 0;
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

static void fmt_clock(char *buf, size_t len, int64_t t, bool secs)
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

static void fmt_uint(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* Draw a duration; marks the frame as ticking when it is a live timer. */
static void put_duration(struct render *r, const struct frame *f, int64_t s,
			 const char *sign, int px, SDL_Color c, enum align a,
			 SDL_Rect box)
{
	char buf[32];
	bool digits = fmt_duration(buf, sizeof buf, s, sign);
	put(r, digits ? P_DIGITS : P_NUM, buf, px, TEXT_BOLD, c, a, box);
	if (f->data_now == f->now)
		r->ticking = true;
}

static const char *tr(const struct render *r, enum str_id id)
{
	return i18n_get(r->lang, id);
}

/* --------------------------------------------------------------- channels */

/* Returns true when the channel's name changed (the chips' layout
 * measures the names). */
static bool channel_update(struct render *r, size_t i, const char *key)
{
	if (!key)
		key = "";
	if (strcmp(r->chan_key[i], key) == 0 && r->chan_name[i][0] &&
	    r->lang == r->cfg->lang)
		return false;
	snprintf(r->chan_key[i], sizeof r->chan_key[i], "%s", key);
	const struct channel_conf *cc = config_channel(r->cfg, key);
	i18n_channel_label(r->cfg, key, r->chan_name[i], sizeof r->chan_name[i]);
	size_t n = sizeof default_accents / sizeof default_accents[0];
	r->chan_color[i] = rgb(cc && cc->color ? cc->color : default_accents[i % n]);
	return true;
}

static const char *chan_name(const struct render *r, unsigned i)
{
	return i < MODEL_MAX_CHANNELS ? r->chan_name[i] : "";
}

static SDL_Color chan_color(const struct render *r, unsigned i)
{
	return i < MODEL_MAX_CHANNELS ? r->chan_color[i] : C_MUTED;
}

/* ---------------------------------------------------------------- layout */

static void layout_header(const struct render *r, struct header_layout *hd)
{
	int W = r->w, u = r->u, p = r->pad, in = W - 2 * p;
	bool two = W * 10 < r->h * 14;
	int row = pct(u, 120);

	hd->all = rect(0, 0, W, two ? row * 2 : row);
	hd->site_px = fpx(u, 42);
	hd->label_px = fpx(u, 22);
	hd->value_px = fpx(u, 46);
	hd->clock_px = fpx(u, 70);
	hd->conn_px = fpx(u, 26);
	if (!two) {
		hd->site = rect(p, 0, pct(in, 320), row);
		for (int i = 0; i < 3; i++)
			hd->kpi[i] = rect(p + pct(in, 340 + 95 * i), 0,
					  pct(in, i == 2 ? 140 : 85), row);
		hd->conn = rect(p + pct(in, 685), 0, pct(in, 185), row);
		hd->clock = rect(p + pct(in, 875), 0, in - pct(in, 875), row);
		return;
	}
	hd->site = rect(p, 0, pct(in, 640), row);
	hd->clock = rect(p + pct(in, 660), 0, in - pct(in, 660), row);
	for (int i = 0; i < 3; i++)
		hd->kpi[i] = rect(p + pct(in, 220 * i), row,
				  pct(in, i == 2 ? 280 : 200), row);
	hd->conn = rect(p + pct(in, 700), row, in - pct(in, 700), row);
}

/* Compact tiles put both counts and their labels on one line when that
 * fits the tile; otherwise each count stands over its label. */
static void compact_fit(struct render *r, struct tiles_layout *t, int s, int inner_w)
{
	struct piece p[3] = {
		{ tr(r, STR_OPEN), P_UI, t->label_px, TEXT_REGULAR, C_MUTED },
		{ tr(r, STR_BREACHED), P_UI, t->label_px, TEXT_REGULAR, C_MUTED },
		{ "000", P_DIGITS, t->count_px, TEXT_BOLD, C_TEXT },
	};
	int need = measure(r, &p[0]) + measure(r, &p[1]) + 2 * measure(r, &p[2]) +
		   3 * t->count_px * 3 / 10;
	t->stacked = need > inner_w;
	if (t->stacked) {
		t->count_px = fpx(s, 230);
		t->label_px = fpx(s, 75);
	}
}

/* The smallest words of a tile (labels, the state word) are raised to
 * `least` where their boxes leave room for it. */
static void tile_fonts(struct render *r, struct tiles_layout *t, int s, int tw,
		       int least)
{
	int u = r->u;
	if (t->compact) {
		t->name_px = imin(fpx(s, 200), fpx(u, 40));
		t->count_px = imin(fpx(s, 300), fpx(u, 60));
		t->label_px = imin(fpx(s, 150), fpx(u, 26));
		compact_fit(r, t, s, tw - 2 * pct(imin(s, tw), 50) - imax(u / 110, 3));
		t->detail_px = t->label_px;
		int sh = pct(s, 260);
		t->strip_px = sh * 45 / 100;
		if (t->strip_px < least && least * 13 / 10 <= sh)
			t->strip_px = least;
		return;
	}
	t->name_px = fpx(s, 105);
	t->count_px = fpx(s, 280);
	t->label_px = imax(fpx(s, 70), least);
	t->detail_px = imax(fpx(s, 80), least);
	t->strip_px = t->detail_px;
}

/* (detail_px is label_px or strip_px) */
static int tiles_least_px(const struct tiles_layout *t)
{
	return imin(imin(t->name_px, t->count_px), imin(t->label_px, t->strip_px));
}

/* Grid of tiles in avail; returns the height used. least: see tile_fonts. */
static int layout_tiles(struct render *r, SDL_Rect avail, struct tiles_layout *t,
			int least)
{
	int u = r->u, gap = r->pad / 2;
	size_t n = r->n_channels;
	t->n = n;
	t->area = rect(avail.x, avail.y, avail.w, 0);
	if (!n)
		return 0;
	int cols_max = imax(1, (avail.w + gap) / (pct(u, 300) + gap));
	if (((int)n + cols_max - 1) / cols_max > 2) /* many: narrower, compact */
		cols_max = imax(1, (avail.w + gap) / (pct(u, 200) + gap));
	int rows = ((int)n + cols_max - 1) / cols_max;
	int cols = ((int)n + rows - 1) / rows;
	int cap = pct(avail.h, rows > 1 ? 600 : 480);
	int th = imin(pct(u, 300), (cap - (rows - 1) * gap) / rows);
	int tw = (avail.w - (cols - 1) * gap) / cols;
	th = imax(th, 1);
	t->compact = th < pct(u, 240);
	tile_fonts(r, t, th, tw, least);
	for (size_t i = 0; i < n; i++) {
		int row = (int)i / cols, col = (int)i % cols;
		t->tile[i] = rect(avail.x + col * (tw + gap),
				  avail.y + row * (th + gap), tw, th);
	}
	t->area.h = rows * th + (rows - 1) * gap;
	return t->area.h;
}

/* A chip's pieces: accent bar, name, then "7 Open" and "2 Breached" (or
 * "1 At risk"), each count in a cell wide enough for the usual numbers,
 * so the columns line up from chip to chip. On one line the counts stand
 * at the end side; on two lines they go under the name. */
static void chip_measure(struct render *r, struct chip_layout *c, int *one_w, int *two_w)
{
	int u = r->u;
	struct piece lab[3] = {
		{ tr(r, STR_OPEN), P_UI, c->label_px, TEXT_REGULAR, C_MUTED },
		{ tr(r, STR_BREACHED), P_UI, c->label_px, TEXT_BOLD, C_RED },
		{ tr(r, STR_AT_RISK), P_UI, c->label_px, TEXT_BOLD, C_AMBER },
	};
	c->bw = imax(u / 200, 2);
	c->g = imax(c->label_px * 3 / 10, 2);
	c->name_x = c->bw + imax(u / 110, 3) + c->g;
	c->name_w = 0;
	for (size_t i = 0; i < r->n_channels; i++) {
		struct piece p = { r->chan_name[i], P_DATA, c->name_px, TEXT_BOLD, C_TEXT };
		c->name_w = imax(c->name_w, measure(r, &p));
	}
	/* cells for two digits: a third one takes from the gap before */
	c->open_cw = c->br_cw = text_digits_width(r->text, "00", c->count_px, TEXT_BOLD);
	c->cg = imax(c->label_px / 4, 2);
	c->gg = c->g * 3 / 2;
	c->open_w = c->open_cw + c->cg + measure(r, &lab[0]);
	c->br_w = c->br_cw + c->cg + imax(measure(r, &lab[1]), measure(r, &lab[2]));
	int counts = c->open_w + c->gg + c->br_w, end = c->g + c->bw / 2;
	*one_w = c->name_x + c->name_w + c->gg + counts + end;
	*two_w = c->name_x + imax(c->name_w, counts) + end;
}

/* Chips at the list's sizes: the arrangement (columns, one or two lines)
 * that fits the width in the least height; the first row full, so one
 * row of chips when they fit in one. */
static void chips_plan(struct render *r, int avail_w)
{
	struct chip_layout *c = &r->chip;
	int u = r->u, gap = r->pad / 2, n = (int)r->n_channels, one_w, two_w;
	memset(c, 0, sizeof *c);
	c->line_h = pct(u, 58);
	c->name_px = c->label_px = c->count_px = fpx(u, 32);
	if (!n)
		return;
	chip_measure(r, c, &one_w, &two_w);
	int slack = 0;
	for (int cols = n; cols >= 1; cols--) {
		int rows = (n + cols - 1) / cols;
		if (cols > 1 && (n + cols - 2) / (cols - 1) == rows)
			continue; /* fewer columns, wider chips, as many rows */
		int cw = (avail_w - (cols - 1) * gap) / cols;
		for (int lines = 1; lines <= 2; lines++) {
			int h = rows * lines * c->line_h + (rows - 1) * gap;
			int need = lines == 1 ? one_w : two_w;
			if (need <= cw && (!c->h || h < c->h)) {
				c->h = h;
				c->cols = cols;
				c->lines = lines;
				slack = cw - need;
			}
		}
	}
	/* room to spare on one line: cells for three digits */
	int more = text_digits_width(r->text, "000", c->count_px, TEXT_BOLD) - c->open_cw;
	if (c->lines == 1 && slack >= 2 * more) {
		c->open_cw += more;
		c->open_w += more;
		c->br_cw += more;
		c->br_w += more;
	}
}

static int chips_place(const struct render *r, SDL_Rect avail, struct tiles_layout *t)
{
	const struct chip_layout *c = &r->chip;
	int gap = r->pad / 2, cw = (avail.w - (c->cols - 1) * gap) / c->cols;
	int ch = c->lines * c->line_h;
	t->chips = true;
	t->compact = t->stacked = false;
	t->name_px = c->name_px;
	t->count_px = c->count_px;
	t->label_px = t->detail_px = t->strip_px = c->label_px;
	for (size_t i = 0; i < t->n; i++) {
		int row = (int)i / c->cols, col = (int)i % c->cols;
		t->tile[i] = rect(avail.x + col * (cw + gap), avail.y + row * (ch + gap),
				  cw, ch);
	}
	t->area.h = c->h;
	return c->h;
}

/* Tiles, unless their smallest words would be under `least` px: then
 * chips, if they fit. Returns the height used. */
static int layout_overview(struct render *r, SDL_Rect avail, struct tiles_layout *t,
			   int least)
{
	int h = layout_tiles(r, avail, t, least);
	if (h && tiles_least_px(t) < least && r->chip.h && r->chip.h <= avail.h)
		h = chips_place(r, avail, t);
	return h;
}

static void list_columns(struct render *r, struct list_layout *l)
{
	int g = imax(r->u / 100, 2);
	int tw = text_digits_width(r->text, "+00:00:00", l->time_px, TEXT_BOLD);
	int w[N_COLS];
	w[COL_TIME] = imax(tw, l->time_px * 4) + g;
	w[COL_MARK] = pct(r->u, 80);
	int rest = l->area.w - w[COL_TIME] - w[COL_MARK] - 3 * g;
	static const int one[] = { 0, 0, 120, 170, 150, 560 };
	static const int two[] = { 0, 0, 300, 400, 300, 0 };
	for (int c = COL_CHANNEL; c < N_COLS; c++)
		w[c] = pct(rest, l->two_line ? two[c] : one[c]) - g;
	int x = g;
	for (int c = 0; c < N_COLS; c++) {
		if (c == COL_TEXT && l->two_line)
			break;
		l->col_x[c] = x;
		l->col_w[c] = w[c];
		x += w[c] + g;
	}
	if (l->two_line) {
		/* the complaint gets the whole second line, under the marks */
		l->col_x[COL_TEXT] = l->col_x[COL_MARK];
		l->col_w[COL_TEXT] = l->area.w - l->col_x[COL_MARK] - g;
	}
}

static void layout_list(struct render *r, SDL_Rect area, struct list_layout *l)
{
	int u = r->u;
	l->area = area;
	l->text_px = fpx(u, 32);
	l->time_px = fpx(u, 38);
	l->mark_px = fpx(u, 22);
	l->title_px = fpx(u, 28);
	l->title_h = pct(u, 50);
	l->line_h = pct(u, 58);
	l->two_line = area.w * 10 < u * 15;
	l->row_h = l->two_line ? l->line_h * 2 : l->line_h;
	list_columns(r, l);
}

/* The alarm strip: at the bottom, full width, alarm_rows rows as tall as
 * list rows (whole rows: alarmview fits area.h / row height, the last one
 * "+N more" when there are more alarms), but never more than 60% of what
 * is left under the header and banner, and leaving `keep` px above it for
 * the channel chips: what someone must act on comes first, then the
 * channels, then the lists. At least two rows (an alarm and "+N more")
 * when there are two. y: top of that room. */
static SDL_Rect layout_alarms(const struct render *r, int y, int H, int keep)
{
	int p = r->pad, rh = imax(pct(r->u, 58), 1), room = H - y - p / 2;
	int cap = imin(pct(H - y, 600), room - keep) / rh;
	int rows = imax(imin(r->alarm_rows, cap), imin(r->alarm_rows, 2));
	int sh = imin(rows * rh, imax(room, 0));
	return rect(p, H - p / 2 - sh, r->w - 2 * p, sh);
}

static void layout_banner(const struct render *r, int y, struct layout *L)
{
	int W = r->w, u = r->u, p = r->pad;
	/* narrow outputs stack playbook and contacts: more height */
	int bh = W * 10 < u * 15 ? pct(u, 700) : pct(u, 360);
	bh = imin(bh, pct(r->h - y, 480));
	L->banner.area = rect(p, y, W - 2 * p, bh);
	L->banner.narrow = W * 10 < u * 15;
	L->banner.title_px = fpx(u, 52);
	L->banner.msg_px = fpx(u, 32);
	L->banner.item_px = fpx(u, 28);
	L->banner.item_h = pct(u, 44);
}

/* Under a crisis every word of the channels is at least the list's text
 * size; otherwise tiles may keep smaller labels, down to the header's. */
static void layout_variant(struct render *r, int v, struct layout *L)
{
	int W = r->w, H = r->h, u = r->u, p = r->pad;
	memset(L, 0, sizeof *L);
	layout_header(r, &L->hd);
	int y = L->hd.all.h + p / 2;
	if (v & V_BAND) {
		L->band = rect(0, L->hd.all.h, W, pct(u, 70));
		y = L->band.y + L->band.h + p / 2;
	}
	L->body = rect(0, y - p / 2, W, H - y + p / 2);
	if (v & V_CRISIS) {
		layout_banner(r, y, L);
		y += L->banner.area.h + p / 2;
	}
	int bottom = H;
	if (r->alarm_rows > 0) {
		L->alarms = layout_alarms(r, y, H, r->chip.h ? r->chip.h + p : 0);
		bottom = L->alarms.y;
	}
	int least = v & V_CRISIS ? fpx(u, 32) : fpx(u, 22);
	int th = layout_overview(r, rect(p, y, W - 2 * p, bottom - y - p), &L->tiles,
				 least);
	if (th)
		y += th + p / 2;
	layout_list(r, rect(p, y, W - 2 * p, bottom - y - p / 2), &L->list);
}

/* Recompute the layout when the output size, language, channel count,
 * channel names or alarm strip changed; otherwise keep it. */
static void layout_update(struct render *r, int w, int h, size_t n, int alarm_rows,
			  bool names)
{
	if (r->valid && w == r->w && h == r->h && n == r->n_channels && !names &&
	    r->lang == r->cfg->lang && alarm_rows == r->alarm_rows)
		return;
	r->w = w;
	r->h = h;
	r->n_channels = n;
	r->alarm_rows = alarm_rows;
	r->lang = r->cfg->lang;
	r->mirror = i18n_is_rtl(r->lang);
	/* the digit cells of every view drawing through this text */
	text_set_digit_zero(r->text, i18n_digit_zero(r->lang, r->cfg->digits));
	r->u = imax(imin(w, h), 1);
	r->pad = imax(pct(r->u, 20), 2);
	chips_plan(r, w - 2 * r->pad);
	for (int v = 0; v < N_VARIANTS; v++)
		layout_variant(r, v, &r->lay[v]);
	r->valid = true;
}

/* ---------------------------------------------------------------- header */

/* Label above, big number (digits) or word below. */
static void draw_kpi(struct render *r, const struct header_layout *hd, SDL_Rect b,
		     enum str_id label, const char *value, enum piece_kind k,
		     SDL_Color c)
{
	int lh = b.h * 38 / 100;
	put(r, P_UI, tr(r, label), hd->label_px, TEXT_REGULAR, C_MUTED, AL_START,
	    rect(b.x, b.y + b.h * 8 / 100, b.w, lh));
	put(r, k, value, hd->value_px, TEXT_BOLD, c, AL_START,
	    rect(b.x, b.y + b.h * 42 / 100, b.w, b.h * 54 / 100));
}

static void draw_attainment(struct render *r, const struct frame *f)
{
	const struct header_layout *hd = &f->L->hd;
	SDL_Rect b = hd->kpi[2];
	struct attainment a;
	model_attainment(f->m, f->st->day_start, &a);
	put(r, P_UI, tr(r, STR_ATTAINMENT), hd->label_px, TEXT_REGULAR, C_MUTED,
	    AL_START, rect(b.x, b.y + b.h * 8 / 100, b.w, b.h * 38 / 100));
	SDL_Rect vb = rect(b.x, b.y + b.h * 42 / 100, b.w, b.h * 54 / 100);
	if (!a.answered) {
		put(r, P_UI, "\xe2\x80\x94", hd->value_px, TEXT_BOLD, C_DIM, AL_START, vb);
		return;
	}
	/* Changes only when a response arrives: a cached label is fine. */
	char pc[16], frac[32];
	unsigned v = (unsigned)((a.on_time * 100ull + a.answered / 2) / a.answered);
	snprintf(pc, sizeof pc, "%u%%", v);
	snprintf(frac, sizeof frac, "%u/%u", a.on_time, a.answered);
	SDL_Color c = v >= 90 ? C_OK : v >= 75 ? C_AMBER : C_RED;
	if (!f->st->live)
		c = C_DIM;
	struct piece p[2] = {
		{ pc, P_NUM, hd->value_px, TEXT_BOLD, c },
		{ frac, P_NUM, hd->label_px, TEXT_REGULAR, C_MUTED },
	};
	draw_pieces(r, p, 2, vb, false);
}

static void draw_conn(struct render *r, const struct frame *f)
{
	const struct header_layout *hd = &f->L->hd;
	const struct board_status *st = f->st;
	SDL_Rect b = hd->conn;
	int px = hd->conn_px, line = b.h * 42 / 100;
	SDL_Rect l1 = rect(b.x, b.y + b.h * 10 / 100, b.w, line);
	SDL_Rect l2 = rect(b.x, b.y + b.h * 52 / 100, b.w, line);
	SDL_Color c = st->live ? C_OK : st->not_live_since ? C_RED : C_AMBER;
	enum str_id word = st->live ? STR_LIVE : st->not_live_since ? STR_NOT_LIVE
								    : STR_CONNECTING;
	int d = px * 7 / 10;
	fill_circle(r, rect(l1.x, l1.y + (l1.h - d) / 2, d, d), c);
	put(r, P_UI, tr(r, word), px, st->live ? TEXT_REGULAR : TEXT_BOLD, c,
	    AL_START, rect(l1.x + d + px / 2, l1.y, l1.w - d - px / 2, l1.h));
	char buf[32];
	if (!st->live && st->not_live_since) {
		fmt_clock(buf, sizeof buf, st->not_live_since, true);
		struct piece p[2] = {
			{ tr(r, STR_SINCE), P_UI, px, TEXT_REGULAR, C_TEXT },
			{ buf, P_DIGITS, px, TEXT_BOLD, C_TEXT },
		};
		draw_pieces(r, p, 2, l2, false);
	} else if (st->rejected) {
		fmt_uint(buf, sizeof buf, st->rejected);
		struct piece p[2] = {
			{ tr(r, STR_REJECTED), P_UI, hd->label_px, TEXT_REGULAR, C_AMBER },
			{ buf, P_DIGITS, px, TEXT_BOLD, C_AMBER },
		};
		draw_pieces(r, p, 2, l2, false);
	}
}

static void draw_header(struct render *r, const struct frame *f)
{
	const struct header_layout *hd = &f->L->hd;
	char buf[32];
	fill(r, hd->all, C_HEADER);
	fill(r, rect(0, hd->all.h - 1, r->w, imax(r->u / 400, 1)), C_EDGE);
	put(r, P_DATA, r->cfg->site, hd->site_px, TEXT_BOLD, C_TEXT, AL_START,
	    hd->site);
	/* Partial totals (the board holds fewer than announced) read "at
	 * least": 24118+, in amber. */
	bool live = f->st->live, part = f->st->incomplete;
	fmt_uint(buf, sizeof buf, f->tot.open);
	if (part)
		strcat(buf, "+");
	draw_kpi(r, hd, hd->kpi[0], STR_OPEN, buf, P_DIGITS,
		 !live ? C_DIM : part ? C_AMBER : C_TEXT);
	fmt_uint(buf, sizeof buf, f->tot.breached);
	if (part)
		strcat(buf, "+");
	draw_kpi(r, hd, hd->kpi[1], STR_BREACHED, buf, P_DIGITS,
		 !live ? C_DIM : f->tot.breached ? C_RED : part ? C_AMBER : C_TEXT);
	draw_attainment(r, f);
	draw_conn(r, f);
	fmt_clock(buf, sizeof buf, f->now, false);
	put(r, P_DIGITS, buf, hd->clock_px, TEXT_BOLD, C_TEXT, AL_END, hd->clock);
}

/* Across the screen under the header while the data is not live. */
static void draw_band(struct render *r, const struct frame *f)
{
	SDL_Rect b = f->L->band;
	int px = b.h * 48 / 100;
	char buf[32] = "";
	fill(r, b, C_BAND);
	struct piece p[4] = {
		{ tr(r, STR_NOT_LIVE), P_UI, px, TEXT_BOLD, C_INK },
		{ "\xe2\x80\x94", P_UI, px, TEXT_BOLD, C_INK },
		{ tr(r, STR_SINCE), P_UI, px, TEXT_REGULAR, C_INK },
		{ buf, P_DIGITS, px, TEXT_BOLD, C_INK },
	};
	if (f->st->not_live_since) {
		fmt_clock(buf, sizeof buf, f->st->not_live_since, true);
	} else {
		p[2].s = tr(r, STR_CONNECTING);
		p[3].s = "";
	}
	draw_pieces(r, p, 4, inset(b, r->pad, 0), true);
}

/* 24118 -> "24,118": counts people compare at a glance. */
static void fmt_count(char *buf, size_t len, int64_t v)
{
	char d[24];
	int n = snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? 0 : v));
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
}

static bool notices_shown(const struct board_status *st)
{
	return st->live && (st->incomplete || st->n_silent);
}

/* One line of the notice band: "INCOMPLETE — showing 24,118 of 100,000
 * complaints (broker queue limit?)" or "Feed crm silent since 12:03". */
static void draw_notice_line(struct render *r, const struct board_status *st,
			     bool incomplete, SDL_Rect b, int px)
{
	char held[32], of[32], since[16], more[32] = "";
	if (incomplete) {
		fmt_count(held, sizeof held, st->held);
		fmt_count(of, sizeof of, st->announced);
		struct piece p[8] = {
			{ tr(r, STR_INCOMPLETE), P_UI, px, TEXT_BOLD, C_INK },
			{ "\xe2\x80\x94", P_UI, px, TEXT_BOLD, C_INK },
			{ tr(r, STR_SHOWING), P_UI, px, TEXT_REGULAR, C_INK },
			{ held, P_LTR, px, TEXT_BOLD, C_INK },
			{ tr(r, STR_OF), P_UI, px, TEXT_REGULAR, C_INK },
			{ of, P_LTR, px, TEXT_BOLD, C_INK },
			{ tr(r, st->incomplete_timers ? STR_TIMERS : STR_COMPLAINTS), P_UI, px,
			  TEXT_REGULAR, C_INK },
			{ tr(r, STR_QUEUE_LIMIT), P_UI, px, TEXT_REGULAR, C_INK },
		};
		draw_pieces(r, p, 8, b, true);
		return;
	}
	if (st->n_silent > 1)
		snprintf(more, sizeof more, "+%zu %s", st->n_silent - 1, tr(r, STR_MORE));
	if (st->silent_since)
		fmt_clock(since, sizeof since, st->silent_since, false);
	struct piece p[5] = {
		{ tr(r, STR_FEED), P_UI, px, TEXT_REGULAR, C_INK },
		{ st->silent_feed ? st->silent_feed : "", P_DATA, px, TEXT_BOLD, C_INK },
		{ tr(r, st->silent_since ? STR_SILENT_SINCE : STR_OFFLINE), P_UI, px,
		  TEXT_REGULAR, C_INK },
		{ st->silent_since ? since : "", P_DIGITS, px, TEXT_BOLD, C_INK },
		{ more, P_UI, px, TEXT_REGULAR, C_INK },
	};
	draw_pieces(r, p, 5, b, true);
}

/* The notices band while live: what the board cannot vouch for although
 * its link is fine. Both notices: two lines. */
static void draw_notices(struct render *r, const struct frame *f)
{
	const struct board_status *st = f->st;
	SDL_Rect b = f->L->band;
	fill(r, b, C_NOTICE);
	SDL_Rect in = inset(b, r->pad, 0);
	if (st->incomplete && st->n_silent) {
		int h = in.h / 2;
		draw_notice_line(r, st, true, rect(in.x, in.y, in.w, h), h * 62 / 100);
		draw_notice_line(r, st, false, rect(in.x, in.y + h, in.w, in.h - h),
				 h * 62 / 100);
		return;
	}
	draw_notice_line(r, st, st->incomplete, in, b.h * 40 / 100);
}

/* ----------------------------------------------------------------- tiles */

static enum tile_state tile_state(const struct channel_stats *cs)
{
	if (cs->breached)
		return TS_BREACHED;
	return cs->at_risk ? TS_AT_RISK : TS_OK;
}

static const enum str_id state_word[] = { STR_HEALTHY, STR_AT_RISK, STR_BREACHED };
static const SDL_Color *const state_edge[] = { &C_EDGE, &C_AMBER, &C_RED };

/* Background, border and the channel's accent bar. */
static void tile_frame(struct render *r, SDL_Rect t, enum tile_state s,
		       SDL_Color accent)
{
	static const SDL_Color *const bg[] = { &C_PANEL, &C_AMBER_BG, &C_RED_BG };
	int bw = s == TS_OK ? imax(r->u / 500, 1) : imax(r->u / 200, 2);
	fill(r, t, *bg[s]);
	outline(r, t, bw, *state_edge[s]);
	fill(r, rect(t.x + bw, t.y + bw, imax(r->u / 110, 3), t.h - 2 * bw), accent);
}

/* The state as a word, never by colour alone: a filled strip along the
 * tile's foot when someone must act, a quiet "OK" otherwise. */
static void tile_strip(struct render *r, SDL_Rect t, SDL_Rect text_x,
		       enum tile_state s, int px, int sh)
{
	int bw = s == TS_OK ? imax(r->u / 500, 1) : imax(r->u / 200, 2);
	SDL_Rect strip = rect(t.x + bw, t.y + t.h - bw - sh, t.w - 2 * bw, sh);
	SDL_Color fg = s == TS_BREACHED ? C_WHITE : s == TS_AT_RISK ? C_INK : C_OK;
	if (s != TS_OK)
		fill(r, strip, *state_edge[s]);
	else
		fill(r, rect(text_x.x, strip.y, text_x.w, imax(r->u / 700, 1)), C_EDGE);
	int d = px * 6 / 10;
	SDL_Rect dot = rect(text_x.x, strip.y + (sh - d) / 2, d, d);
	fill_circle(r, dot, fg);
	put(r, P_UI, tr(r, state_word[s]), px, TEXT_BOLD, fg, AL_START,
	    rect(dot.x + d + px / 2, strip.y, text_x.w - d - px / 2, sh));
}

/* "Oldest wait ..... 1:23:45" */
static void tile_detail(struct render *r, const struct frame *f, SDL_Rect b,
			enum str_id label, int64_t secs, bool have, int px)
{
	put(r, P_UI, tr(r, label), px, TEXT_REGULAR, C_MUTED, AL_START,
	    rect(b.x, b.y, b.w * 64 / 100, b.h));
	SDL_Rect vb = rect(b.x + b.w * 40 / 100, b.y, b.w * 60 / 100, b.h);
	if (have)
		put_duration(r, f, secs, "", px, C_TEXT, AL_END, vb);
	else
		put(r, P_UI, "\xe2\x80\x94", px, TEXT_REGULAR, C_DIM, AL_END, vb);
}

/* in: the tile's inner box between its name row and its state strip. */
static void tile_full(struct render *r, const struct frame *f, SDL_Rect in,
		      const struct channel_stats *cs)
{
	const struct tiles_layout *tl = &f->L->tiles;
	int h = in.h, y = in.y, half = in.w / 2;
	char buf[24];
	fmt_uint(buf, sizeof buf, cs->open);
	put(r, P_DIGITS, buf, tl->count_px, TEXT_BOLD, C_TEXT, AL_START,
	    rect(in.x, y, half, pct(h, 400)));
	fmt_uint(buf, sizeof buf, cs->breached);
	put(r, P_DIGITS, buf, tl->count_px, TEXT_BOLD, cs->breached ? C_RED : C_DIM,
	    AL_START, rect(in.x + half, y, half, pct(h, 400)));
	y += pct(h, 400);
	put(r, P_UI, tr(r, STR_OPEN), tl->label_px, TEXT_REGULAR, C_MUTED, AL_START,
	    rect(in.x, y, half, pct(h, 130)));
	put(r, P_UI, tr(r, STR_BREACHED), tl->label_px, TEXT_REGULAR, C_MUTED,
	    AL_START, rect(in.x + half, y, half, pct(h, 130)));
	y += pct(h, 150);
	int dh = pct(h, 150);
	tile_detail(r, f, rect(in.x, y, in.w, dh), STR_OLDEST_WAIT,
		    f->data_now - cs->oldest_waiting_since, cs->oldest_waiting_since,
		    tl->detail_px);
	tile_detail(r, f, rect(in.x, y + dh, in.w, dh), STR_NEXT_DUE,
		    cs->next_due_at - f->data_now, cs->next_due_at, tl->detail_px);
	if (cs->paused) {
		fmt_uint(buf, sizeof buf, cs->paused);
		SDL_Rect pb = rect(in.x, y + 2 * dh, in.w, dh);
		put(r, P_UI, tr(r, STR_PAUSED), tl->detail_px, TEXT_REGULAR, C_MUTED,
		    AL_START, pb);
		put(r, P_DIGITS, buf, tl->detail_px, TEXT_BOLD, C_TEXT, AL_END, pb);
	}
}

/* Small tiles (a crisis on a smaller screen): name, then both counts on
 * one line, then the state strip. */
static void tile_compact(struct render *r, const struct frame *f, SDL_Rect in,
			 const struct channel_stats *cs)
{
	const struct tiles_layout *tl = &f->L->tiles;
	char o[24], b[24];
	fmt_uint(o, sizeof o, cs->open);
	fmt_uint(b, sizeof b, cs->breached);
	if (tl->stacked) {
		int half = in.w / 2, nh = in.h * 62 / 100;
		put(r, P_DIGITS, o, tl->count_px, TEXT_BOLD, C_TEXT, AL_START,
		    rect(in.x, in.y, half, nh));
		put(r, P_DIGITS, b, tl->count_px, TEXT_BOLD,
		    cs->breached ? C_RED : C_DIM, AL_START, rect(in.x + half, in.y, half, nh));
		put(r, P_UI, tr(r, STR_OPEN), tl->label_px, TEXT_REGULAR, C_MUTED,
		    AL_START, rect(in.x, in.y + nh, half, in.h - nh));
		put(r, P_UI, tr(r, STR_BREACHED), tl->label_px, TEXT_REGULAR, C_MUTED,
		    AL_START, rect(in.x + half, in.y + nh, half, in.h - nh));
		return;
	}
	struct piece p[4] = {
		{ o, P_DIGITS, tl->count_px, TEXT_BOLD, C_TEXT },
		{ tr(r, STR_OPEN), P_UI, tl->label_px, TEXT_REGULAR, C_MUTED },
		{ b, P_DIGITS, tl->count_px, TEXT_BOLD, cs->breached ? C_RED : C_DIM },
		{ tr(r, STR_BREACHED), P_UI, tl->label_px, TEXT_REGULAR, C_MUTED },
	};
	draw_pieces(r, p, 4, in, false);
}

static void draw_tile(struct render *r, const struct frame *f, size_t i)
{
	const struct tiles_layout *tl = &f->L->tiles;
	SDL_Rect t = tl->tile[i];
	struct channel_stats cs;
	model_channel_stats(f->m, i, f->data_now, f->at_risk_s, &cs);
	enum tile_state s = tile_state(&cs);

	int pin = imax(pct(imin(t.h, t.w), 50), 3), bar = imax(r->u / 110, 3);
	int nh = pct(t.h, tl->compact ? 300 : 150);
	int sh = pct(t.h, tl->compact ? 260 : 120);
	tile_frame(r, t, s, r->chan_color[i]);
	SDL_Rect in = rect(t.x + pin + bar, t.y + pin, t.w - 2 * pin - bar,
			   t.h - 2 * pin);
	put(r, P_DATA, r->chan_name[i], tl->name_px, TEXT_BOLD, C_TEXT, AL_START,
	    rect(in.x, in.y, in.w, nh));
	tile_strip(r, t, in, s, tl->strip_px, sh);
	SDL_Rect body = rect(in.x, in.y + nh, in.w, t.h - pin - nh - sh - pin / 2);
	if (tl->compact)
		tile_compact(r, f, body, &cs);
	else
		tile_full(r, f, body, &cs);
	r->tiles[i] = mir(r, t);
}

/* A count, then its label. On one line the count stands in its cell,
 * against the label (the counts of a row of chips line up); under the
 * name it starts the line. */
static void chip_group(struct render *r, int x, int y, int h, int cell, int w,
		       uint32_t n, enum str_id label, bool loud, SDL_Color c)
{
	const struct chip_layout *cl = &r->chip;
	char buf[24];
	fmt_uint(buf, sizeof buf, n);
	if (cl->lines > 1)
		cell = text_digits_width(r->text, buf, cl->count_px, TEXT_BOLD);
	int lx = x + cell + cl->cg;
	put(r, P_DIGITS, buf, cl->count_px, TEXT_BOLD, loud ? c : C_TEXT, AL_END,
	    rect(x, y, cell, h));
	put(r, P_UI, tr(r, label), cl->label_px, loud ? TEXT_BOLD : TEXT_REGULAR,
	    loud ? c : C_MUTED, AL_START, rect(lx, y, w - (lx - x), h));
}

/* "7 Open  2 Breached" from x (LTR) in the line y..y+h. The second count
 * says the state in words: "2 Breached" (red), else "1 At risk" (amber),
 * else a quiet "0 Breached". */
static void chip_counts(struct render *r, int x, int y, int h,
			const struct channel_stats *cs, enum tile_state s)
{
	const struct chip_layout *c = &r->chip;
	chip_group(r, x, y, h, c->open_cw, c->open_w, cs->open, STR_OPEN, false, C_TEXT);
	x += c->open_w + c->gg;
	if (s == TS_AT_RISK)
		chip_group(r, x, y, h, c->br_cw, c->br_w, cs->at_risk, STR_AT_RISK,
			   true, C_AMBER);
	else
		chip_group(r, x, y, h, c->br_cw, c->br_w, cs->breached, STR_BREACHED,
			   s == TS_BREACHED, C_RED);
}

/* A channel as a chip: its name, then (at the end side, or on a second
 * line) its counts; frame and colours say its state, like a tile's. */
static void draw_chip(struct render *r, const struct frame *f, size_t i)
{
	const struct chip_layout *c = &r->chip;
	SDL_Rect t = f->L->tiles.tile[i];
	struct channel_stats cs;
	model_channel_stats(f->m, i, f->data_now, f->at_risk_s, &cs);
	enum tile_state s = tile_state(&cs);
	tile_frame(r, t, s, r->chan_color[i]);
	int lh = t.h / c->lines, end = t.x + t.w - c->bw / 2 - c->g;
	int counts = c->open_w + c->gg + c->br_w;
	int cx = c->lines == 1 ? end - counts : t.x + c->name_x;
	int name_end = c->lines == 1 ? cx - c->gg : end;
	put(r, P_DATA, r->chan_name[i], c->name_px, TEXT_BOLD, C_TEXT, AL_START,
	    rect(t.x + c->name_x, t.y, name_end - t.x - c->name_x, lh));
	chip_counts(r, cx, t.y + t.h - lh, lh, &cs, s);
	r->tiles[i] = mir(r, t);
}

static void draw_tiles(struct render *r, const struct frame *f)
{
	const struct tiles_layout *tl = &f->L->tiles;
	size_t n = model_channel_count(f->m);
	n = n < tl->n ? n : tl->n;
	for (size_t i = 0; i < n; i++) {
		if (tl->chips)
			draw_chip(r, f, i);
		else
			draw_tile(r, f, i);
	}
	r->n_tiles = n;
}

/* ------------------------------------------------------------------ lists */

static SDL_Rect cell(const struct list_layout *l, enum col c, int y, int h)
{
	return rect(l->area.x + l->col_x[c], y, l->col_w[c], h);
}

static void row_mark(struct render *r, const struct list_layout *l,
		     const struct complaint *c, SDL_Rect b)
{
	if (c->priority == PRIORITY_VIP)
		pill(r, tr(r, STR_VIP), l->mark_px, C_VIP, C_INK, true, b, AL_START);
	else if (c->priority == PRIORITY_HIGH)
		pill(r, tr(r, STR_HIGH), l->mark_px, C_AMBER, C_AMBER, false, b,
		     AL_START);
}

static void row_remember(struct render *r, const struct complaint *c,
			 SDL_Rect row, SDL_Rect text_box, int px, bool breached)
{
	if (r->n_rows >= MAX_ROWS)
		return;
	struct render_row *rr = &r->rows[r->n_rows++];
	snprintf(rr->id, sizeof rr->id, "%s", c->id ? c->id : "");
	rr->row = mir(r, row);
	rr->text_box = mir(r, text_box);
	rr->text_px = px;
	rr->breached = breached;
}

static void draw_row(struct render *r, const struct frame *f,
		     const struct complaint *c, int y, bool breached)
{
	const struct list_layout *l = &f->L->list;
	int gap = imax(r->u / 300, 1);
	SDL_Rect row = rect(l->area.x, y, l->area.w, l->row_h - gap);
	int lh = l->two_line ? row.h / 2 : row.h;
	fill(r, row, breached ? C_ROW_RED : C_ROW_AMBER);
	fill(r, rect(row.x, row.y, imax(r->u / 200, 2), row.h),
	     breached ? C_RED : C_AMBER);
	if (breached)
		put_duration(r, f, f->data_now - c->due_at, "+", l->time_px, C_RED,
			     AL_RIGHT, cell(l, COL_TIME, y, lh));
	else
		put_duration(r, f, c->due_at - f->data_now, "", l->time_px, C_AMBER,
			     AL_RIGHT, cell(l, COL_TIME, y, lh));
	row_mark(r, l, c, cell(l, COL_MARK, y, lh));
	put(r, P_DATA, chan_name(r, c->channel), l->text_px, TEXT_REGULAR,
	    chan_color(r, c->channel), AL_START, cell(l, COL_CHANNEL, y, lh));
	put(r, P_DATA, c->customer, l->text_px, TEXT_BOLD, C_TEXT, AL_START,
	    cell(l, COL_CUSTOMER, y, lh));
	bool una = !c->assignee || !*c->assignee;
	put(r, una ? P_UI : P_DATA, una ? tr(r, STR_UNASSIGNED) : c->assignee,
	    l->text_px, TEXT_REGULAR, una ? C_AMBER : C_MUTED, AL_START,
	    cell(l, COL_ASSIGNEE, y, lh));
	SDL_Rect tb = cell(l, COL_TEXT, l->two_line ? y + lh : y, row.h - (l->two_line ? lh : 0));
	/* the complaint in its own direction, cut at its logical end */
	put(r, P_DATA, c->text, l->text_px, TEXT_REGULAR, C_TEXT, AL_OWN, tb);
	row_remember(r, c, row, tb, l->text_px, breached);
}

/* Section title: "Breached response times  7". */
static void draw_section(struct render *r, const struct list_layout *l, int y,
			 enum str_id title, uint32_t n, SDL_Color c)
{
	char buf[16];
	fmt_uint(buf, sizeof buf, n);
	struct piece p[2] = {
		{ tr(r, title), P_UI, l->title_px, TEXT_BOLD, C_MUTED },
		{ buf, P_DIGITS, l->title_px, TEXT_BOLD, c },
	};
	draw_pieces(r, p, n ? 2 : 1, rect(l->area.x + l->col_x[COL_TIME], y,
					   l->area.w, l->title_h), false);
}

static void draw_more(struct render *r, const struct list_layout *l, int y,
		      uint32_t more)
{
	char buf[16];
	snprintf(buf, sizeof buf, "+%u", more);
	struct piece p[2] = {
		{ buf, P_DIGITS, l->text_px, TEXT_BOLD, C_MUTED },
		{ tr(r, STR_MORE), P_UI, l->text_px, TEXT_REGULAR, C_MUTED },
	};
	draw_pieces(r, p, 2, rect(l->area.x + l->col_x[COL_TIME], y, l->area.w,
				  l->line_h), false);
}

/* One list (breached or at risk) from y; returns the y after it. */
static int draw_list(struct render *r, const struct frame *f, int y,
		     bool breached, uint32_t total)
{
	const struct list_layout *l = &f->L->list;
	const struct complaint *c[MAX_ROWS];
	int bottom = l->area.y + l->area.h;
	int fit = (bottom - y) / l->row_h;
	if (!total)
		return y;
	if (fit <= 0) {
		/* no row fits (the strip lists them too): say how many */
		if (bottom - y >= l->line_h) {
			draw_more(r, l, y, total);
			y += l->line_h;
		}
		return y;
	}
	size_t want = total > (uint32_t)fit ? (size_t)fit - 1 : total;
	/* a "+N more" line takes less than a row: keep it when one row fits;
	 * room for only one row shows the most urgent (the heading counts) */
	if (total > (uint32_t)fit &&
	    (fit == 1 || bottom - y - fit * l->row_h >= l->line_h))
		want = (size_t)fit;
	want = want > MAX_ROWS ? MAX_ROWS : want;
	size_t n = breached ? model_breached(f->m, f->data_now, 0, c, want)
			    : model_at_risk(f->m, f->data_now, f->at_risk_s, c, want);
	for (size_t i = 0; i < n; i++, y += l->row_h)
		draw_row(r, f, c[i], y, breached);
	if (n < total && bottom - y >= l->line_h) {
		draw_more(r, l, y, total - (uint32_t)n);
		y += l->line_h;
	}
	return y;
}

static void draw_lists(struct render *r, const struct frame *f)
{
	const struct list_layout *l = &f->L->list;
	int y = l->area.y, bottom = l->area.y + l->area.h;
	r->n_rows = 0;
	if (l->area.h < l->title_h)
		return;
	draw_section(r, l, y, STR_BREACH_LIST, f->tot.breached, C_RED);
	y += l->title_h;
	if (!f->tot.breached) {
		/* "all calm" is a claim: only make it about live data */
		if (f->st->live && bottom - y >= l->line_h)
			put(r, P_UI, tr(r, STR_NO_BREACHES), l->text_px, TEXT_REGULAR,
			    C_OK, AL_START, rect(l->area.x + l->col_x[COL_TIME], y,
						 l->area.w, l->line_h));
		y += l->line_h;
	} else {
		y = draw_list(r, f, y, true, f->tot.breached);
	}
	if (!f->tot.at_risk || bottom - y < l->title_h / 2 + l->title_h + l->row_h)
		return;
	y += l->title_h / 2;
	draw_section(r, l, y, STR_AT_RISK_LIST, f->tot.at_risk, C_AMBER);
	draw_list(r, f, y + l->title_h, false, f->tot.at_risk);
}

/* ----------------------------------------------------------------- banner */

/* Split the crisis message into two lines at a word boundary. Measuring
 * rasterises, so the split is cached and redone only when the message or
 * the width changes. Both lines keep the whole paragraph's direction. */
static void wrap_update(struct render *r, const char *s, int w, int px)
{
	struct wrap *wr = &r->wrap;
	if (wr->w == w && wr->px == px && strcmp(wr->src, s) == 0)
		return;
	snprintf(wr->src, sizeof wr->src, "%s", s);
	wr->w = w;
	wr->px = px;
	wr->kind = text_resolve_dir(s) == TEXT_DIR_RTL ? P_RTL : P_LTR;
	wr->cut = 0;
	struct piece p = { wr->line1, wr->kind, px, TEXT_REGULAR, C_WHITE };
	snprintf(wr->line1, sizeof wr->line1, "%s", s);
	if (measure(r, &p) <= w)
		return;
	size_t sp[128], n = 0;
	for (size_t i = 1; s[i] && n < 128; i++)
		if (s[i] == ' ' && s[i - 1] != ' ')
			sp[n++] = i;
	size_t lo = 0, hi = n; /* the first lo spaces are known to fit */
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		memcpy(wr->line1, s, sp[mid - 1]);
		wr->line1[sp[mid - 1]] = 0;
		if (measure(r, &p) <= w)
			lo = mid;
		else
			hi = mid - 1;
	}
	wr->cut = lo ? sp[lo - 1] : 0;
	memcpy(wr->line1, s, wr->cut);
	wr->line1[wr->cut] = 0;
	while (wr->cut && s[wr->cut] == ' ')
		wr->cut++;
}

/* Returns the height used: one or two lines. */
static int banner_message(struct render *r, const struct banner_layout *bl,
			  const char *msg, SDL_Rect b, SDL_Color fg)
{
	wrap_update(r, msg, b.w, bl->msg_px);
	const struct wrap *wr = &r->wrap;
	/* a paragraph: aligned to its own start, like complaint texts */
	if (!wr->cut) {
		put(r, P_DATA, msg, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
		    rect(b.x, b.y, b.w, b.h / 2));
		return b.h / 2;
	}
	put(r, wr->kind, wr->line1, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
	    rect(b.x, b.y, b.w, b.h / 2));
	put(r, wr->kind, msg + wr->cut, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
	    rect(b.x, b.y + b.h / 2, b.w, b.h - b.h / 2));
	return b.h;
}

/* Returns the height used. */
static int banner_items(struct render *r, const struct banner_layout *bl,
			const struct msg_crisis *c, SDL_Rect col, SDL_Color fg)
{
	char num[8];
	int ih = bl->item_h, px = bl->item_px;
	if (!c->n_playbook)
		return 0; /* no heading over nothing */
	put(r, P_UI, tr(r, STR_PLAYBOOK), px, TEXT_BOLD, fg, AL_START,
	    rect(col.x, col.y, col.w, ih));
	int nw = text_digits_width(r->text, "8.", px, TEXT_BOLD) + px / 2;
	size_t i;
	for (i = 0; i < c->n_playbook && (int)(i + 2) * ih <= col.h; i++) {
		int y = col.y + (int)(i + 1) * ih;
		snprintf(num, sizeof num, "%u.", (unsigned)(i + 1));
		put(r, P_DIGITS, num, px, TEXT_BOLD, fg, AL_START, rect(col.x, y, nw, ih));
		put(r, P_DATA, c->playbook[i], px, TEXT_REGULAR, fg, AL_START,
		    rect(col.x + nw, y, col.w - nw, ih));
	}
	return (int)(i + 1) * ih;
}

/* role | name | phone: the phone column takes what the longest number
 * needs (a cut phone number is useless), role and name share the rest. */
static void banner_contacts(struct render *r, const struct banner_layout *bl,
			    const struct msg_crisis *c, SDL_Rect col, SDL_Color fg)
{
	int ih = bl->item_h, px = bl->item_px, pw = 0;
	if (!c->n_contacts)
		return;
	put(r, P_UI, tr(r, STR_CONTACTS), px, TEXT_BOLD, fg, AL_START,
	    rect(col.x, col.y, col.w, ih));
	for (size_t i = 0; i < c->n_contacts; i++) {
		struct piece p = { c->contacts[i].phone, P_LTR, px, TEXT_BOLD, fg };
		pw = imax(pw, measure(r, &p));
	}
	pw = imin(pw + px / 2, col.w * 6 / 10);
	int rest = col.w - pw, w1 = rest * 45 / 100;
	for (size_t i = 0; i < c->n_contacts && (int)(i + 2) * ih <= col.h; i++) {
		const struct msg_contact *k = &c->contacts[i];
		int y = col.y + (int)(i + 1) * ih;
		put(r, P_DATA, k->role, px, TEXT_REGULAR, fg, AL_START,
		    rect(col.x, y, w1 - px / 2, ih));
		put(r, P_DATA, k->name, px, TEXT_BOLD, fg, AL_START,
		    rect(col.x + w1, y, rest - w1 - px / 2, ih));
		/* phone numbers read left to right in every language */
		put(r, P_LTR, k->phone, px, TEXT_BOLD, fg, AL_END,
		    rect(col.x + rest, y, pw, ih));
	}
}

/* "CRISIS" pill, title and "since 10:36"; on narrow outputs the title
 * gets a row of its own. Returns the height used. */
static int banner_head(struct render *r, const struct banner_layout *bl,
		       const struct msg_crisis *c, SDL_Rect in, SDL_Color bg,
		       SDL_Color fg)
{
	int th = bl->title_px * 17 / 10;
	SDL_Rect row = rect(in.x, in.y, in.w, th);
	int pw = pill(r, tr(r, STR_CRISIS), bl->title_px * 8 / 10, fg, bg, true,
		      row, AL_START);
	int sw = 0;
	if (c->since) {
		char buf[16];
		fmt_clock(buf, sizeof buf, c->since, false);
		struct piece p[2] = {
			{ tr(r, STR_SINCE), P_UI, bl->msg_px, TEXT_REGULAR, fg },
			{ buf, P_DIGITS, bl->msg_px, TEXT_BOLD, fg },
		};
		sw = measure(r, &p[0]) + measure(r, &p[1]) + bl->msg_px;
		draw_pieces(r, p, 2, rect(in.x + in.w - sw, in.y, sw, th), false);
	}
	if (bl->narrow) {
		put(r, P_DATA, c->title, bl->title_px, TEXT_BOLD, fg, AL_START,
		    rect(in.x, in.y + th, in.w, th));
		return 2 * th;
	}
	put(r, P_DATA, c->title, bl->title_px, TEXT_BOLD, fg, AL_START,
	    rect(in.x + pw + r->pad, in.y, in.w - pw - sw - 2 * r->pad, th));
	return th;
}

static void draw_banner(struct render *r, const struct frame *f,
			const struct msg_crisis *c)
{
	const struct banner_layout *bl = &f->L->banner;
	SDL_Rect a = bl->area;
	/* acknowledged: steady until the crisis clears (someone is on it) */
	r->flashing = !r->cfg->flash_steady && !f->st->crisis_acked;
	bool alt = r->flashing && (f->ticks / FLASH_HALF_MS) % 2;
	SDL_Color bg = alt ? C_CRISIS_B : C_CRISIS_A, fg = alt ? C_INK : C_WHITE;
	fill(r, a, bg);
	outline(r, a, imax(r->u / 200, 2), fg);
	SDL_Rect in = inset(a, r->pad, r->pad / 2);
	int y = in.y + banner_head(r, bl, c, in, bg, fg);
	int mh = bl->msg_px * 34 / 10;
	y += banner_message(r, bl, c->message, rect(in.x, y, in.w, mh), fg);
	y += r->pad / 2;
	int ch = in.y + in.h - y;
	if (bl->narrow) {
		int need_p = ((int)c->n_playbook + 1) * bl->item_h;
		int need_c = ((int)c->n_contacts + 1) * bl->item_h + r->pad / 2;
		int ph = need_p + need_c <= ch ? need_p : imax(ch / 2, ch - need_c);
		ph = banner_items(r, bl, c, rect(in.x, y, in.w, ph), fg);
		banner_contacts(r, bl, c, rect(in.x, y + ph + r->pad / 2, in.w,
					       ch - ph - r->pad / 2), fg);
	} else {
		int w1 = pct(in.w, 520);
		banner_items(r, bl, c, rect(in.x, y, w1 - r->pad, ch), fg);
		banner_contacts(r, bl, c, rect(in.x + w1 + r->pad, y,
					       in.w - w1 - r->pad, ch), fg);
	}
	r->banner_shown = true;
}

/* ------------------------------------------------------------------ frame */

/* Stale data must look stale: a grey veil over everything the model
 * feeds below the header (the header dims its own numbers). */
void render_veil(struct render *r, const SDL_Rect *area)
{
	SDL_BlendMode old;
	SDL_GetRenderDrawBlendMode(r->ren, &old);
	SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
	fill(r, *area, C_VEIL);
	SDL_SetRenderDrawBlendMode(r->ren, old);
}

static void draw_veil(struct render *r, const struct layout *L)
{
	render_veil(r, &L->body);
}

static void frame_begin(struct render *r, struct frame *f)
{
	int w = 0, h = 0;
	if (SDL_GetRendererOutputSize(r->ren, &w, &h) != 0 || w <= 0 || h <= 0) {
		log_error("render", "output size: %s", SDL_GetError());
		w = imax(w, 1);
		h = imax(h, 1);
	}
	size_t n = model_channel_count(f->m);
	n = n > MODEL_MAX_CHANNELS ? MODEL_MAX_CHANNELS : n;
	bool names = false;
	for (size_t i = 0; i < n; i++)
		names |= channel_update(r, i, model_channel_key(f->m, i));
	int rows = f->st->alarm_rows;
	layout_update(r, w, h, n,
		      rows < 0 ? 0 : rows > MAX_ALARM_ROWS ? MAX_ALARM_ROWS : rows, names);
	r->n_rows = r->n_tiles = 0;
	memset(r->px_min, 0, sizeof r->px_min);
	r->ticking = r->flashing = r->banner_shown = r->band_shown = false;
	r->alarms_shown = r->alarm_rows > 0;
	f->at_risk_s = r->cfg->at_risk_s > 0 ? r->cfg->at_risk_s : 600;
	/* Not live: timers keep the values they had when the data stopped. */
	f->data_now = f->now;
	if (!f->st->live && f->st->not_live_since && f->st->not_live_since < f->now)
		f->data_now = f->st->not_live_since;
	model_totals(f->m, f->data_now, f->at_risk_s, &f->tot);
}

void render_frame(struct render *r, const struct model *m,
		  const struct board_status *st, int64_t now, uint32_t ticks_ms)
{
	if (!r || !m || !st)
		return;
	struct frame f = { .m = m, .st = st, .now = now, .ticks = ticks_ms };
	frame_begin(r, &f);
	const struct msg_crisis *crisis = model_crisis(m);
	r->variant = (crisis ? V_CRISIS : 0) | (st->live && !notices_shown(st) ? 0 : V_BAND);
	f.L = &r->lay[r->variant];

	SDL_SetRenderDrawColor(r->ren, C_BG.r, C_BG.g, C_BG.b, 255);
	SDL_RenderClear(r->ren);
	r->region = RENDER_REGION_HEADER;
	draw_header(r, &f);
	r->region = RENDER_REGION_BANNER;
	if (crisis)
		draw_banner(r, &f, crisis);
	r->region = RENDER_REGION_TILES;
	draw_tiles(r, &f);
	r->region = RENDER_REGION_LIST;
	draw_lists(r, &f);
	if (!st->live) {
		draw_veil(r, f.L);
		r->region = RENDER_REGION_BAND;
		draw_band(r, &f);
		r->band_shown = true;
	} else if (notices_shown(st)) {
		r->region = RENDER_REGION_BAND;
		draw_notices(r, &f);
		r->band_shown = true;
	}
	r->drawn = true;
	r->last_now = now;
}

/* ------------------------------------------------------------------- API */

struct render *render_init(SDL_Renderer *renderer, struct text *text,
			   const struct config *cfg)
{
	if (!renderer || !text || !cfg) {
		log_error("render", "init: renderer, text and config are required");
		return NULL;
	}
	struct render *r = calloc(1, sizeof *r);
	if (!r) {
		log_error("render", "init: out of memory");
		return NULL;
	}
	r->ren = renderer;
	r->text = text;
	r->cfg = cfg;
	return r;
}

void render_destroy(struct render *r)
{
	free(r);
}

/* Milliseconds until the wall clock's next second flips, plus a little so
 * the new value is there when we wake. The app's `now` is the wall clock,
 * so this keeps redraws in phase with it. */
static uint32_t wall_ms_until(uint32_t period_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	uint32_t until = period_ms - (uint32_t)(ms % period_ms) + 3;
	return until > period_ms ? period_ms : until;
}

uint32_t render_next_change_ms(const struct render *r, uint32_t ticks_ms)
{
	if (!r || !r->drawn)
		return ticks_ms;
	/* the clock's next minute, counted from the frame's own time */
	int64_t secs = 59 - (r->last_now % 60 + 60) % 60;
	uint32_t next = ticks_ms + (uint32_t)secs * 1000u + wall_ms_until(1000);
	if (r->ticking)
		next = ticks_ms + wall_ms_until(1000);
	if (r->flashing) {
		uint32_t flip = ticks_ms - ticks_ms % FLASH_HALF_MS + FLASH_HALF_MS;
		if ((int32_t)(flip - next) < 0)
			next = flip;
	}
	return next;
}

size_t render_rows(const struct render *r, struct render_row *out, size_t max)
{
	if (!r)
		return 0;
	size_t n = r->n_rows < max ? r->n_rows : max;
	if (out && n)
		memcpy(out, r->rows, n * sizeof *out);
	return out ? n : r->n_rows;
}

size_t render_tiles(const struct render *r, SDL_Rect *out, size_t max)
{
	if (!r)
		return 0;
	size_t n = r->n_tiles < max ? r->n_tiles : max;
	if (out && n)
		memcpy(out, r->tiles, n * sizeof *out);
	return out ? n : r->n_tiles;
}

bool render_region(const struct render *r, enum render_region which, SDL_Rect *out)
{
	SDL_Rect a = { 0, 0, 0, 0 };
	bool shown = r && r->drawn;
	const struct layout *L = shown ? &r->lay[r->variant] : NULL;
	if (L) {
		switch (which) {
		case RENDER_REGION_HEADER: a = L->hd.all; break;
		case RENDER_REGION_CONN: a = L->hd.conn; break;
		case RENDER_REGION_BANNER:
			shown = r->banner_shown;
			a = L->banner.area;
			break;
		case RENDER_REGION_BAND:
			shown = r->band_shown;
			a = L->band;
			break;
		case RENDER_REGION_DATA: a = L->body; break;
		case RENDER_REGION_ALARMS:
			shown = r->alarms_shown;
			a = L->alarms;
			break;
		case RENDER_REGION_TILES:
			shown = r->n_tiles > 0;
			a = L->tiles.area;
			break;
		case RENDER_REGION_LIST:
			shown = L->list.area.h > 0;
			a = L->list.area;
			break;
		default: shown = false;
		}
	}
	if (!shown)
		a = (SDL_Rect){ 0, 0, 0, 0 };
	else
		a = mir(r, a);
	if (out)
		*out = a;
	return shown;
}

int render_text_px(const struct render *r, enum render_region which)
{
	if (!r || !r->drawn || (int)which < 0 || (int)which >= N_PX_REGIONS)
		return 0;
	if (which == RENDER_REGION_CONN)
		which = RENDER_REGION_HEADER; /* recorded together */
	if (which != RENDER_REGION_DATA)
		return r->px_min[which];
	static const enum render_region data[] = {
		RENDER_REGION_BANNER, RENDER_REGION_TILES, RENDER_REGION_LIST,
	};
	int least = 0;
	for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
		int px = r->px_min[data[i]];
		if (px && (!least || px < least))
			least = px;
	}
	return least;
}
