/* alarmview.c - see alarmview.h.
 *
 * The strip: one row per alarm, columns (start side first) severity
 * badge, what it is, channel, how long, and an end cell saying what to do
 * or who acknowledged it. State is never shown by colour alone: the
 * badge carries the severity as a word, the end cell the state as words.
 * Firing rows flash their background at 1 Hz (one flash per second, well
 * under the three per second of WCAG 2.3.1, and in phase with the crisis
 * banner); text keeps its colour, so flashing rasterises nothing.
 *
 * Text cost: words and names go through text_draw (cached lines); only
 * the running durations go through text_draw_digits, at the list's own
 * size and colours where possible (text.c keeps few digit sets and font
 * sizes, so new ones would evict the board's). */
#include "alarmview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "i18n.h"
#include "log.h"
#include "pin.h"

#define ROWS_MAX 16
#define FLASH_HALF_MS 500
#define N_KEYS 12

enum pk { P_UI, P_DATA, P_LTR, P_DIGITS };

struct piece {
	const char *s;
	enum pk kind;
	int px;
	enum text_weight wt;
	SDL_Color c;
};

/* Columns are x offsets from the row's start side (mirrored for RTL). */
struct strip_layout {
	bool valid;
	SDL_Rect area;
	int w, h;
	enum lang lang;
	int row_h, gap, fit, ring;
	int px, time_px, cue_px, esc_px;
	int bar_w, cue_x, cue_w, label_x, label_w, chan_x, chan_w;
	int dur_x, dur_w, end_x, end_w;
};

struct modal_layout {
	bool valid;
	int w, h;
	int b, pp;
	SDL_Rect panel, title, field, msg, keys[N_KEYS], cancel;
	SDL_Rect notice, notice_msg, notice_ok;
	int title_px, key_px, msg_px, time_px, dot_r;
};

struct row_rec {
	SDL_Rect r;
	size_t index;
	char id[ALARM_ID_MAX];
};

/* How one row looks in its state. */
struct row_look {
	SDL_Color bg, fg, sub, bar, cue_bg, cue_fg, digits;
	bool cue_filled;
	int label_px;
	enum text_weight label_wt;
};

struct alarmview {
	SDL_Renderer *ren;
	struct text *text;
	const struct config *cfg;
	int w, h, u;
	bool mirror;
	struct strip_layout sl;
	struct modal_layout ml;
	/* the last frame, for hit-testing */
	struct row_rec rows[ROWS_MAX];
	size_t n_rows;
	SDL_Rect more;
	bool more_shown;
	enum av_modal modal;
	/* strings built per frame: no allocation */
	char title[ALARM_LABEL_MAX + 256];
	char words[ALARM_LABEL_MAX];
	char chan[CONFIG_STR];
};

static const char key_chars[N_KEYS] = {
	'1', '2', '3', '4', '5', '6', '7', '8', '9', AV_KEY_BACKSPACE, '0', AV_KEY_OK,
};

/* Palette: the board's (render.c), plus the alarm colours. */
static const SDL_Color C_BG = { 14, 17, 22, 255 };
static const SDL_Color C_PANEL = { 25, 30, 38, 255 };
static const SDL_Color C_EDGE = { 42, 49, 60, 255 };
static const SDL_Color C_TEXT = { 226, 230, 236, 255 };
static const SDL_Color C_MUTED = { 132, 142, 156, 255 };
static const SDL_Color C_DIM = { 92, 100, 112, 255 };
static const SDL_Color C_AMBER = { 240, 170, 40, 255 };
static const SDL_Color C_RED = { 236, 76, 80, 255 };
static const SDL_Color C_INK = { 16, 16, 18, 255 };
static const SDL_Color C_WHITE = { 255, 255, 255, 255 };
static const SDL_Color C_CRISIS = { 178, 18, 34, 255 };
static const SDL_Color C_FIRE_A = { 58, 22, 27, 255 };
static const SDL_Color C_FIRE_B = { 112, 30, 38, 255 };
static const SDL_Color C_ESC_A = { 196, 26, 38, 255 };
static const SDL_Color C_ESC_B = { 142, 14, 26, 255 };
static const SDL_Color C_FOCUS = { 96, 178, 255, 255 };
static const SDL_Color C_PRESSED = { 255, 255, 255, 60 };
static const SDL_Color C_SHADE = { 0, 0, 0, 170 };
static const SDL_Color C_MODAL = { 30, 36, 46, 255 };
static const SDL_Color C_KEY = { 54, 63, 78, 255 };
static const SDL_Color C_KEY_DOWN = { 96, 110, 134, 255 };
static const SDL_Color C_KEY_OFF = { 34, 39, 48, 255 };
static const SDL_Color C_KEY_GO = { 40, 128, 80, 255 };
static const SDL_Color C_FIELD = { 16, 19, 24, 255 };
static const SDL_Color C_FIELD_BAD = { 70, 20, 26, 255 };

static const enum str_id sev_word[] = {
	[ALARM_SEV_LOW] = STR_SEV_LOW, [ALARM_SEV_MEDIUM] = STR_SEV_MEDIUM,
	[ALARM_SEV_HIGH] = STR_SEV_HIGH, [ALARM_SEV_CRITICAL] = STR_SEV_CRITICAL,
};
static const SDL_Color sev_color[] = {
	[ALARM_SEV_LOW] = { 240, 170, 40, 255 },
	[ALARM_SEV_MEDIUM] = { 246, 128, 46, 255 },
	[ALARM_SEV_HIGH] = { 236, 76, 80, 255 },
	[ALARM_SEV_CRITICAL] = { 255, 200, 20, 255 },
};
static const SDL_Color sev_ink[] = {
	[ALARM_SEV_LOW] = { 16, 16, 18, 255 },
	[ALARM_SEV_MEDIUM] = { 16, 16, 18, 255 },
	[ALARM_SEV_HIGH] = { 255, 255, 255, 255 },
	[ALARM_SEV_CRITICAL] = { 16, 16, 18, 255 },
};
static const enum str_id kind_word[] = {
	[ALARM_CRISIS] = STR_ALARM_CRISIS, [ALARM_FLOOD] = STR_ALARM_FLOOD,
	[ALARM_OPEN] = STR_ALARM_OPEN, [ALARM_BREACHED] = STR_ALARM_BREACHED,
	[ALARM_WAIT] = STR_ALARM_WAIT, [ALARM_BREACH] = STR_ALARM_BREACH,
};

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }
static int pct(int v, int permille) { return v * permille / 1000; }
static int fpx(int v, int permille) { return imax(pct(v, permille), 6); }

static SDL_Rect rect(int x, int y, int w, int h)
{
	SDL_Rect a = { x, y, imax(w, 0), imax(h, 0) };
	return a;
}

static const char *tr(const struct alarmview *v, enum str_id id)
{
	return i18n_get(v->cfg->lang, id);
}

static unsigned sev(const struct alarm_view *a)
{
	return (unsigned)a->severity <= ALARM_SEV_CRITICAL ? a->severity : ALARM_SEV_HIGH;
}

/* ---------------------------------------------------------------- drawing */

static void fill(struct alarmview *v, SDL_Rect a, SDL_Color c)
{
	draw_fill(v->ren, a, c);
}

static void outline(struct alarmview *v, SDL_Rect a, int t, SDL_Color c)
{
	draw_outline(v->ren, a, t, c);
}

static void fill_circle(struct alarmview *v, int cx, int cy, int rad, SDL_Color c)
{
	draw_disc(v->ren, cx, cy, rad, c);
}

/* A cell of a row, x and w measured from the row's start side. */
static SDL_Rect cell(const struct alarmview *v, SDL_Rect row, int x, int w)
{
	if (v->mirror)
		return rect(row.x + row.w - x - w, row.y, w, row.h);
	return rect(row.x + x, row.y, w, row.h);
}

static enum text_align al_start(const struct alarmview *v)
{
	return v->mirror ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
}

static enum text_align al_end(const struct alarmview *v)
{
	return v->mirror ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT;
}

static struct text_style style(const struct alarmview *v, enum pk k, int px,
			       enum text_weight wt, SDL_Color c, enum text_align al)
{
	struct text_style st = { imax(px, 6), wt, c, TEXT_DIR_AUTO, al };
	if (k == P_UI)
		st.dir = v->mirror ? TEXT_DIR_RTL : TEXT_DIR_LTR;
	else if (k == P_LTR)
		st.dir = TEXT_DIR_LTR;
	return st;
}

/* P_LTR here is always the board's own number (counts, "2d 03h", keypad
 * keys): in the language's digits, like P_DIGITS. */
static const char *num(const struct alarmview *v, enum pk k, const char *s,
		       char *buf, size_t size)
{
	return k == P_LTR ? i18n_digits(v->cfg->lang, v->cfg->digits, s, buf, size) : s;
}

/* Draw one string into a screen box with a physical alignment. */
static int put(struct alarmview *v, enum pk k, const char *s, int px,
	       enum text_weight wt, SDL_Color c, enum text_align al, SDL_Rect box)
{
	char buf[128];
	if (!s || !*s || box.w <= 0 || box.h <= 0)
		return 0;
	s = num(v, k, s, buf, sizeof buf);
	struct text_style st = style(v, k, px, wt, c, al);
	if (k == P_DIGITS)
		return text_draw_digits(v->text, s, &st, &box);
	return text_draw(v->text, s, &st, &box);
}

static int measure(struct alarmview *v, const struct piece *p)
{
	if (!p->s || !*p->s)
		return 0;
	if (p->kind == P_DIGITS)
		return text_digits_width(v->text, p->s, imax(p->px, 6), p->wt);
	char buf[128];
	struct text_style st = style(v, p->kind, p->px, p->wt, p->c, TEXT_ALIGN_LEFT);
	return text_width(v->text, num(v, p->kind, p->s, buf, sizeof buf), &st);
}

/* Pieces one after another from the start side of box (or centred), in
 * reading order; `flex` (an index, or -1) is the piece cut to make the
 * others fit, else the last one that does not fit is cut. */
static void pieces(struct alarmview *v, const struct piece *p, size_t n,
		   SDL_Rect box, bool centre, int flex)
{
	int w[4], total = 0, gap = 0;
	n = n > 4 ? 4 : n;
	for (size_t i = 0; i < n; i++) {
		w[i] = measure(v, &p[i]);
		gap = imax(gap, p[i].px * 3 / 10);
		total += w[i] + (i ? gap : 0);
	}
	if (flex >= 0 && (size_t)flex < n && total > box.w)
		w[flex] = imax(w[flex] - (total - box.w), 0);
	int x = centre && total < box.w ? (box.w - total) / 2 : 0;
	for (size_t i = 0; i < n && x < box.w; i++) {
		if (!w[i])
			continue;
		int cw = imin(w[i], box.w - x);
		SDL_Rect b = v->mirror ? rect(box.x + box.w - x - cw, box.y, cw, box.h)
				       : rect(box.x + x, box.y, cw, box.h);
		put(v, p[i].kind, p[i].s, p[i].px, p[i].wt, p[i].c, al_start(v), b);
		x += cw + gap;
	}
}

/* A word centred in a filled or outlined box. */
static void badge(struct alarmview *v, const char *s, int px, SDL_Color bg,
		  SDL_Color fg, bool filled, SDL_Rect b)
{
	if (filled)
		fill(v, b, bg);
	else
		outline(v, b, imax(px / 10, 1), bg);
	put(v, P_UI, s, px, TEXT_BOLD, fg, TEXT_ALIGN_CENTER, b);
}

/* A badge as wide as its word, at the end side of box. */
static void pill_end(struct alarmview *v, const char *s, int px, SDL_Color bg,
		     SDL_Color fg, bool filled, SDL_Rect box)
{
	struct piece p = { s, P_UI, px, TEXT_BOLD, fg };
	int w = imin(measure(v, &p) + px, box.w), h = imin(box.h, px * 17 / 10);
	int x = v->mirror ? box.x : box.x + box.w - w;
	badge(v, s, px, bg, fg, filled, rect(x, box.y + (box.h - h) / 2, w, h));
}

/* ------------------------------------------------------------ formatting */

/* "4:12", "1:02:13", "2d 03h"; true when digits only (text_draw_digits). */
static bool fmt_duration(char *buf, size_t len, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400) {
		snprintf(buf, len, "%dd %02dh", (int)(s / 86400), (int)(s % 86400 / 3600));
		return false;
	}
	int h = (int)(s / 3600), mi = (int)(s % 3600 / 60), se = (int)(s % 60);
	if (h)
		snprintf(buf, len, "%d:%02d:%02d", h, mi, se);
	else
		snprintf(buf, len, "%d:%02d", mi, se);
	return true;
}

static void fmt_clock(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		memset(&tm, 0, sizeof tm);
	snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* A breach's label is "[VIP ]<customer> (<channel>)" (alarms.c, English):
 * the screen says VIP and the channel its own way, so keep the customer. */
static void breach_subject(const struct alarm_view *a, char *buf, size_t len)
{
	const char *s = a->label;
	if (a->severity == ALARM_SEV_MEDIUM && strncmp(s, "VIP ", 4) == 0)
		s += 4;
	snprintf(buf, len, "%s", s);
	size_t n = strlen(buf), c = strlen(a->channel);
	if (c && n > c + 3 && buf[n - 1] == ')' && buf[n - c - 3] == ' ' &&
	    buf[n - c - 2] == '(' && strncmp(buf + n - c - 1, a->channel, c) == 0)
		buf[n - c - 3] = '\0';
}

void alarmview_words(const struct config *cfg, const struct alarm_view *a,
		     const char **kind, const char **subject, char *buf, size_t len)
{
	unsigned k = (unsigned)a->kind <= ALARM_BREACH ? a->kind : ALARM_BREACH;
	*kind = i18n_get(cfg->lang, kind_word[k]);
	*subject = "";
	buf[0] = '\0';
	switch (a->kind) {
	case ALARM_CRISIS: /* its title; alarms.c says "Crisis" when it has none */
		if (strcmp(a->label, "Crisis") != 0)
			*subject = a->label;
		break;
	case ALARM_FLOOD:
	case ALARM_OPEN:
	case ALARM_BREACHED:
		snprintf(buf, len, "%lld", (long long)a->value);
		*subject = buf;
		break;
	case ALARM_WAIT:
		if (cfg->channel_max_wait_s > 0) {
			char d[32];
			fmt_duration(d, sizeof d, cfg->channel_max_wait_s);
			snprintf(buf, len, "> %s", d);
			*subject = buf;
		}
		break;
	case ALARM_BREACH:
		breach_subject(a, buf, len);
		*subject = buf;
		break;
	}
}

/* Display name of a channel: configured, else built-in, else the key. */
static const char *channel_name(struct alarmview *v, const char *key)
{
	return i18n_channel_label(v->cfg, key, v->chan, sizeof v->chan);
}

/* ---------------------------------------------------------------- layout */

static void output_size(struct alarmview *v)
{
	int w = 0, h = 0;
	if (SDL_GetRendererOutputSize(v->ren, &w, &h) != 0 || w <= 0 || h <= 0) {
		w = imax(w, 1);
		h = imax(h, 1);
	}
	v->w = w;
	v->h = h;
	v->u = imax(imin(w, h), 1);
	v->mirror = i18n_is_rtl(v->cfg->lang);
}

/* Columns: badge and duration as wide as their widest content, the rest
 * shared by what it is, the channel and the end cell. */
static void strip_columns(struct alarmview *v, struct strip_layout *l)
{
	int g = imax(v->u / 100, 2), cw = 0;
	for (unsigned s = ALARM_SEV_LOW; s <= ALARM_SEV_CRITICAL; s++) {
		struct piece p = { tr(v, sev_word[s]), P_UI, l->cue_px, TEXT_BOLD, C_INK };
		cw = imax(cw, measure(v, &p));
	}
	l->bar_w = imax(v->u / 200, 2);
	l->cue_x = l->bar_w + g;
	l->cue_w = cw + l->cue_px;
	l->dur_w = text_digits_width(v->text, "0:00:00", l->time_px, TEXT_BOLD) + g;
	int rest = imax(l->area.w - l->cue_x - l->cue_w - l->dur_w - 5 * g, 0);
	bool narrow = l->area.w * 10 < v->u * 15; /* portrait: the label first */
	l->end_w = pct(rest, narrow ? 340 : 380);
	l->chan_w = pct(rest, narrow ? 110 : 170);
	l->label_w = rest - l->end_w - l->chan_w;
	l->label_x = l->cue_x + l->cue_w + g;
	l->chan_x = l->label_x + l->label_w + g;
	l->dur_x = l->chan_x + l->chan_w + g;
	l->end_x = l->dur_x + l->dur_w + g;
}

static void strip_layout(struct alarmview *v, const SDL_Rect *area)
{
	struct strip_layout *l = &v->sl;
	if (l->valid && SDL_RectEquals(&l->area, area) && l->w == v->w &&
	    l->h == v->h && l->lang == v->cfg->lang)
		return;
	int u = v->u;
	l->area = *area;
	l->w = v->w;
	l->h = v->h;
	l->lang = v->cfg->lang;
	/* rows as tall as the board's list rows (render.c reserves for that) */
	l->row_h = imin(imax(pct(u, 58), 8), area->h);
	l->fit = imax(area->h / imax(l->row_h, 1), 1);
	l->gap = imax(u / 300, 1);
	l->ring = imax(u / 180, 3);
	l->px = fpx(u, 32);
	l->time_px = fpx(u, 38);
	l->cue_px = fpx(u, 24);
	l->esc_px = fpx(u, 40);
	strip_columns(v, l);
	l->valid = true;
}

/* ------------------------------------------------------------------ rows */

static void row_look(const struct alarmview *v, const struct alarm_view *a,
		     bool phase, struct row_look *k)
{
	unsigned s = sev(a);
	const struct strip_layout *l = &v->sl;
	*k = (struct row_look){
		.bg = phase ? C_FIRE_B : C_FIRE_A, .fg = C_TEXT, .sub = C_TEXT,
		.bar = sev_color[s], .cue_bg = sev_color[s], .cue_fg = sev_ink[s],
		.digits = C_TEXT, .cue_filled = true, .label_px = l->px,
		.label_wt = TEXT_REGULAR,
	};
	if (a->state == ALARM_ACKED) {
		/* quiet: still listed, nobody needs to look */
		k->bg = C_PANEL;
		k->fg = k->sub = k->digits = C_MUTED;
		k->cue_fg = sev_color[s];
		k->cue_filled = false;
	} else if (a->state == ALARM_CLEARED) {
		k->bg = C_BG;
		k->fg = k->sub = k->digits = k->bar = k->cue_bg = k->cue_fg = C_DIM;
		k->cue_filled = false;
	} else if (a->escalated) {
		/* louder: red, white, bigger */
		k->bg = phase ? C_ESC_B : C_ESC_A;
		k->fg = k->sub = C_WHITE;
		k->bar = C_WHITE;
		k->cue_bg = C_WHITE;
		k->cue_fg = C_INK;
		k->label_px = l->esc_px;
		k->label_wt = TEXT_BOLD;
	}
}

static void row_label(struct alarmview *v, const struct alarm_view *a,
		      const struct row_look *k, SDL_Rect box)
{
	const char *kind, *subject;
	alarmview_words(v->cfg, a, &kind, &subject, v->words, sizeof v->words);
	bool number = a->kind == ALARM_FLOOD || a->kind == ALARM_OPEN ||
		      a->kind == ALARM_BREACHED || a->kind == ALARM_WAIT;
	struct piece p[2] = {
		{ kind, P_UI, k->label_px, k->label_wt, k->fg },
		{ subject, number ? P_LTR : P_DATA, k->label_px, TEXT_BOLD, k->fg },
	};
	pieces(v, p, 2, box, false, 1);
}

/* "Acknowledged by Dana 14:02": the name gives way, the time stays. */
static void row_acked(struct alarmview *v, const struct alarm_view *a,
		      const struct row_look *k, SDL_Rect box)
{
	char at[16];
	fmt_clock(at, sizeof at, a->acked_at);
	struct piece p[3] = {
		{ tr(v, STR_ACKED_BY), P_UI, v->sl.px, TEXT_REGULAR, k->sub },
		{ a->acked_by, P_DATA, v->sl.px, TEXT_BOLD, k->sub },
		{ at, P_DIGITS, v->sl.px, TEXT_BOLD, k->sub },
	};
	pieces(v, p, a->acked_at ? 3 : 2, box, false, 1);
}

static void row_end(struct alarmview *v, const struct alarm_view *a,
		    const struct row_look *k, SDL_Rect box)
{
	const struct strip_layout *l = &v->sl;
	if (a->state == ALARM_ACKED)
		row_acked(v, a, k, box);
	else if (a->state == ALARM_CLEARED)
		put(v, P_UI, tr(v, STR_CLEARED), l->px, TEXT_REGULAR, C_DIM, al_end(v), box);
	else if (a->escalated)
		pill_end(v, tr(v, STR_ESCALATED), l->px, C_WHITE, C_CRISIS, true, box);
	else /* looks like a button: the whole row is one */
		pill_end(v, tr(v, STR_ACKNOWLEDGE), l->px, C_TEXT, C_TEXT, false, box);
}

static void focus_ring(struct alarmview *v, SDL_Rect row)
{
	int t = v->sl.ring;
	outline(v, row, t, C_FOCUS);
	outline(v, rect(row.x + t, row.y + t, row.w - 2 * t, row.h - 2 * t),
		imax(t / 3, 1), C_INK);
}

static void remember_row(struct alarmview *v, SDL_Rect row, size_t idx, const char *id)
{
	if (v->n_rows >= ROWS_MAX)
		return;
	struct row_rec *rr = &v->rows[v->n_rows++];
	rr->r = row;
	rr->index = idx;
	snprintf(rr->id, sizeof rr->id, "%s", id);
}

static void draw_row(struct alarmview *v, const struct alarm_view *a, size_t idx,
		     SDL_Rect row, struct av_strip *s, int64_t now, uint32_t ticks)
{
	const struct strip_layout *l = &v->sl;
	bool flash = a->state == ALARM_FIRING && !v->cfg->flash_steady;
	struct row_look k;
	row_look(v, a, flash && (ticks / FLASH_HALF_MS) % 2, &k);
	fill(v, row, k.bg);
	fill(v, cell(v, row, 0, l->bar_w), k.bar);
	SDL_Rect cue = cell(v, row, l->cue_x, l->cue_w);
	int ch = imin(cue.h - 2 * l->gap, l->cue_px * 17 / 10);
	badge(v, tr(v, sev_word[sev(a)]), l->cue_px, k.cue_bg, k.cue_fg, k.cue_filled,
	      rect(cue.x, cue.y + (cue.h - ch) / 2, cue.w, ch));
	row_label(v, a, &k, cell(v, row, l->label_x, l->label_w));
	if (a->channel[0])
		put(v, P_DATA, channel_name(v, a->channel), l->px, TEXT_REGULAR, k.sub,
		    al_start(v), cell(v, row, l->chan_x, l->chan_w));
	if (a->state != ALARM_CLEARED) {
		char d[32];
		bool digits = fmt_duration(d, sizeof d, now - a->first_seen);
		put(v, digits ? P_DIGITS : P_LTR, d, l->time_px, TEXT_BOLD, k.digits,
		    TEXT_ALIGN_RIGHT, cell(v, row, l->dur_x, l->dur_w - l->gap * 3));
		s->ticking = true;
	}
	row_end(v, a, &k, cell(v, row, l->end_x, l->end_w));
	if ((int)idx == s->selected)
		focus_ring(v, row);
	if (s->pressed.hit == AV_ROW && s->pressed.index == (int)idx)
		fill(v, row, C_PRESSED);
	s->flashing |= flash;
	remember_row(v, row, idx, a->id);
}

static void draw_more(struct alarmview *v, size_t more, SDL_Rect row, bool pressed)
{
	const struct strip_layout *l = &v->sl;
	char buf[24];
	snprintf(buf, sizeof buf, "+%zu", more);
	fill(v, row, C_PANEL);
	struct piece p[2] = {
		{ buf, P_DIGITS, l->px, TEXT_BOLD, C_MUTED },
		{ tr(v, STR_MORE), P_UI, l->px, TEXT_REGULAR, C_MUTED },
	};
	pieces(v, p, 2, cell(v, row, l->cue_x, row.w - l->cue_x), false, -1);
	if (pressed)
		fill(v, row, C_PRESSED);
	v->more = row;
	v->more_shown = true;
}

/* Keep the selected alarm in view; a page that ran past the end starts
 * over at the top. */
static void scroll(struct av_strip *s, size_t count, size_t vis)
{
	if (count <= vis || s->top >= count)
		s->top = 0;
	if (s->selected >= 0 && (size_t)s->selected < count) {
		size_t sel = (size_t)s->selected;
		if (sel < s->top)
			s->top = sel;
		else if (sel >= s->top + vis)
			s->top = sel - vis + 1;
	}
}

void alarmview_draw_strip(struct alarmview *v, const struct alarms *a,
			  const SDL_Rect *area, struct av_strip *s,
			  int64_t now, uint32_t ticks)
{
	v->n_rows = 0;
	v->more_shown = false;
	s->flashing = s->ticking = false;
	s->shown = 0;
	size_t count = a ? alarms_count(a) : 0;
	if (!area || area->w <= 0 || area->h <= 0 || !count)
		return;
	output_size(v);
	strip_layout(v, area);
	const struct strip_layout *l = &v->sl;
	size_t fit = (size_t)l->fit;
	size_t vis = count <= fit ? count : fit > 1 ? fit - 1 : 1;
	vis = vis > ROWS_MAX ? ROWS_MAX : vis;
	scroll(s, count, vis);
	int y = area->y;
	for (size_t i = s->top; i < count && s->shown < vis; i++, s->shown++) {
		struct alarm_view av;
		if (!alarms_get(a, i, &av))
			break;
		draw_row(v, &av, i, rect(area->x, y, area->w, l->row_h - l->gap), s, now, ticks);
		y += l->row_h;
	}
	if (s->shown < count && y + l->row_h <= area->y + area->h)
		draw_more(v, count - s->shown, rect(area->x, y, area->w, l->row_h - l->gap),
			  s->pressed.hit == AV_MORE);
}

/* ----------------------------------------------------------------- modal */

/* Keys at least 1/8 of the smaller side (~12 mm on any wall screen worth
 * the name), less only when the output is too flat for the panel. */
static void modal_layout(struct alarmview *v)
{
	struct modal_layout *m = &v->ml;
	if (m->valid && m->w == v->w && m->h == v->h)
		return;
	int u = v->u, W = v->w, H = v->h;
	int b = imax(imin(pct(u, 125), H * 10 / 88), 8);
	int kg = imax(b / 8, 2), kw = b * 3 / 2, pp = imax(b / 3, 4);
	int gw = 3 * kw + 2 * kg, margin = imax(u / 40, 2);
	int pw = imin(W - 2 * margin, imax(gw + 2 * pp, b * 10));
	int th = b * 6 / 10, fh = b * 85 / 100, mh = b * 55 / 100, ch = b;
	int ph = 2 * pp + th + b / 10 + fh + mh + b / 8 + 4 * b + 3 * kg + b / 5 + ch;
	m->w = W;
	m->h = H;
	m->b = b;
	m->pp = pp;
	m->panel = rect((W - pw) / 2, (H - ph) / 2, pw, ph);
	int x = m->panel.x, y = m->panel.y + pp, gx = x + (pw - gw) / 2;
	m->title = rect(x + pp, y, pw - 2 * pp, th);
	y += th + b / 10;
	m->field = rect(gx, y, gw, fh);
	y += fh;
	m->msg = rect(x + pp, y, pw - 2 * pp, mh);
	y += mh + b / 8;
	for (int i = 0; i < N_KEYS; i++)
		m->keys[i] = rect(gx + (i % 3) * (kw + kg), y + (i / 3) * (b + kg), kw, b);
	y += 4 * b + 3 * kg + b / 5;
	m->cancel = rect(gx, y, gw, ch);
	m->title_px = imax(b * 36 / 100, 6);
	m->key_px = imax(b * 45 / 100, 6);
	m->msg_px = fpx(u, 38);
	m->time_px = fpx(u, 38); /* the list's timer size: a shared digit set */
	m->dot_r = imax(b * 12 / 100, 2);
	int nh = 2 * pp + b + b / 5 + ch;
	m->notice = rect((W - pw) / 2, (H - nh) / 2, pw, nh);
	m->notice_msg = rect(m->notice.x + pp, m->notice.y + pp, pw - 2 * pp, b);
	m->notice_ok = rect(gx, m->notice.y + pp + b + b / 5, gw, ch);
	m->valid = true;
}

static void draw_backspace(struct alarmview *v, SDL_Rect k, SDL_Color fg, SDL_Color bg)
{
	float h = (float)k.h * 0.38f, w = h * 1.7f;
	float cx = (float)k.x + (float)k.w / 2, cy = (float)k.y + (float)k.h / 2;
	float x0 = cx - w / 2, x1 = x0 + h / 2, x2 = cx + w / 2;
	SDL_Vertex vx[5] = {
		{ { x0, cy }, fg, { 0, 0 } }, { { x1, cy - h / 2 }, fg, { 0, 0 } },
		{ { x2, cy - h / 2 }, fg, { 0, 0 } }, { { x2, cy + h / 2 }, fg, { 0, 0 } },
		{ { x1, cy + h / 2 }, fg, { 0, 0 } },
	};
	static const int idx[9] = { 0, 1, 4, 1, 2, 3, 1, 3, 4 };
	SDL_RenderGeometry(v->ren, NULL, vx, 5, idx, 9);
	put(v, P_LTR, "\xc3\x97", (int)(h * 0.95f), TEXT_BOLD, bg, TEXT_ALIGN_CENTER,
	    rect((int)x1, (int)(cy - h / 2), (int)(x2 - x1), (int)h));
}

static bool key_enabled(const struct av_modal_view *m, char key)
{
	if (m->locked_ms > 0)
		return false;
	if (key == AV_KEY_OK)
		return m->digits >= PIN_MIN_DIGITS;
	if (key == AV_KEY_BACKSPACE)
		return m->digits > 0;
	return m->digits < PIN_MAX_DIGITS;
}

static void draw_key(struct alarmview *v, const struct av_modal_view *m, int i)
{
	const struct modal_layout *l = &v->ml;
	char key = key_chars[i], s[2] = { key, 0 };
	bool on = key_enabled(m, key);
	bool down = on && m->pressed.hit == AV_KEY && m->pressed.index == key;
	SDL_Color bg = !on ? C_KEY_OFF : down ? C_KEY_DOWN : key == AV_KEY_OK ? C_KEY_GO : C_KEY;
	SDL_Color fg = on ? C_WHITE : C_DIM;
	fill(v, l->keys[i], bg);
	if (key == AV_KEY_BACKSPACE)
		draw_backspace(v, l->keys[i], fg, bg);
	else if (key == AV_KEY_OK)
		put(v, P_UI, tr(v, STR_OK), l->key_px * 8 / 10, TEXT_BOLD, fg,
		    TEXT_ALIGN_CENTER, l->keys[i]);
	else /* one cached line per digit: keys never tick */
		put(v, P_LTR, s, l->key_px, TEXT_BOLD, fg, TEXT_ALIGN_CENTER, l->keys[i]);
}

/* The typed digits as dots; red when the last PIN was wrong. */
static void draw_field(struct alarmview *v, const struct av_modal_view *m)
{
	const struct modal_layout *l = &v->ml;
	SDL_Rect f = l->field;
	fill(v, f, m->wrong ? C_FIELD_BAD : C_FIELD);
	outline(v, f, m->wrong ? imax(l->b / 16, 2) : imax(l->b / 40, 1),
		m->wrong ? C_RED : C_EDGE);
	int n = (int)(m->digits > PIN_MAX_DIGITS ? PIN_MAX_DIGITS : m->digits);
	int step = imin(l->dot_r * 3, (f.w - 2 * l->dot_r) / imax(n, 1));
	int x = f.x + (f.w - (n - 1) * step) / 2, cy = f.y + f.h / 2;
	for (int i = 0; i < n; i++) /* digits read left to right: so do dots */
		fill_circle(v, x + i * step, cy, l->dot_r, C_TEXT);
}

static void draw_message(struct alarmview *v, const struct av_modal_view *m)
{
	const struct modal_layout *l = &v->ml;
	if (m->locked_ms > 0) {
		char t[16];
		int64_t s = (m->locked_ms + 999) / 1000;
		snprintf(t, sizeof t, "%d:%02d", (int)(s / 60), (int)(s % 60));
		struct piece p[2] = {
			{ tr(v, STR_LOCKED), P_UI, l->msg_px, TEXT_BOLD, C_AMBER },
			{ t, P_DIGITS, l->time_px, TEXT_BOLD, C_AMBER },
		};
		pieces(v, p, 2, l->msg, true, 0);
	} else if (m->wrong) {
		put(v, P_UI, tr(v, STR_WRONG_PIN), l->msg_px, TEXT_BOLD, C_RED,
		    TEXT_ALIGN_CENTER, l->msg);
	} else {
		put(v, P_UI, tr(v, STR_ENTER_PIN), l->msg_px, TEXT_REGULAR, C_MUTED,
		    TEXT_ALIGN_CENTER, l->msg);
	}
}

static void draw_title(struct alarmview *v, const struct alarm_view *a)
{
	const struct modal_layout *l = &v->ml;
	const char *kind = "", *subject = "";
	if (a)
		alarmview_words(v->cfg, a, &kind, &subject, v->words, sizeof v->words);
	snprintf(v->title, sizeof v->title, "%s: %s%s%s", tr(v, STR_ACKNOWLEDGE), kind,
		 subject[0] ? " " : "", subject);
	put(v, P_UI, v->title, l->title_px, TEXT_BOLD, C_TEXT, TEXT_ALIGN_CENTER, l->title);
}

static void draw_button(struct alarmview *v, SDL_Rect b, const char *s, bool down)
{
	fill(v, b, down ? C_KEY_DOWN : C_KEY);
	put(v, P_UI, s, v->ml.key_px * 8 / 10, TEXT_BOLD, C_WHITE, TEXT_ALIGN_CENTER, b);
}

static void draw_panel(struct alarmview *v, SDL_Rect p)
{
	fill(v, rect(0, 0, v->w, v->h), C_SHADE);
	fill(v, p, C_MODAL);
	outline(v, p, imax(v->ml.b / 24, 1), C_EDGE);
}

void alarmview_draw_modal(struct alarmview *v, const struct av_modal_view *m)
{
	v->modal = m ? m->modal : AV_MODAL_NONE;
	if (v->modal == AV_MODAL_NONE)
		return;
	output_size(v);
	modal_layout(v);
	const struct modal_layout *l = &v->ml;
	bool down = m->pressed.hit == AV_CANCEL;
	if (v->modal == AV_MODAL_NO_LEADS) {
		draw_panel(v, l->notice);
		put(v, P_UI, tr(v, STR_NO_LEADS), l->title_px, TEXT_BOLD, C_AMBER,
		    TEXT_ALIGN_CENTER, l->notice_msg);
		draw_button(v, l->notice_ok, tr(v, STR_OK), down);
		return;
	}
	draw_panel(v, l->panel);
	draw_title(v, m->alarm);
	draw_field(v, m);
	draw_message(v, m);
	for (int i = 0; i < N_KEYS; i++)
		draw_key(v, m, i);
	draw_button(v, l->cancel, tr(v, STR_CANCEL), down);
}

/* ------------------------------------------------------------ hit-testing */

static bool in(SDL_Rect r, int x, int y)
{
	SDL_Point p = { x, y };
	return SDL_PointInRect(&p, &r);
}

struct av_target alarmview_hit(const struct alarmview *v, int x, int y)
{
	struct av_target t = { AV_NONE, 0 };
	const struct modal_layout *l = &v->ml;
	if (v->modal == AV_MODAL_NO_LEADS) {
		t.hit = in(l->notice_ok, x, y) ? AV_CANCEL
		      : in(l->notice, x, y) ? AV_PANEL : AV_OUTSIDE;
		return t;
	}
	if (v->modal == AV_MODAL_KEYPAD) {
		for (int i = 0; i < N_KEYS; i++)
			if (in(l->keys[i], x, y))
				return (struct av_target){ AV_KEY, key_chars[i] };
		t.hit = in(l->cancel, x, y) ? AV_CANCEL
		      : in(l->panel, x, y) ? AV_PANEL : AV_OUTSIDE;
		return t;
	}
	for (size_t i = 0; i < v->n_rows; i++)
		if (in(v->rows[i].r, x, y))
			return (struct av_target){ AV_ROW, (int)v->rows[i].index };
	if (v->more_shown && in(v->more, x, y))
		t.hit = AV_MORE;
	return t;
}

const char *alarmview_row_id(const struct alarmview *v, int index)
{
	for (size_t i = 0; i < v->n_rows; i++)
		if ((int)v->rows[i].index == index)
			return v->rows[i].id;
	return NULL;
}

bool alarmview_rect(const struct alarmview *v, struct av_target t, SDL_Rect *out)
{
	const struct modal_layout *l = &v->ml;
	SDL_Rect r = { 0, 0, 0, 0 };
	bool ok = false;
	if (t.hit == AV_ROW) {
		for (size_t i = 0; i < v->n_rows && !ok; i++)
			if ((int)v->rows[i].index == t.index) {
				r = v->rows[i].r;
				ok = true;
			}
	} else if (t.hit == AV_MORE) {
		ok = v->more_shown;
		r = v->more;
	} else if (t.hit == AV_KEY && v->modal == AV_MODAL_KEYPAD) {
		for (int i = 0; i < N_KEYS && !ok; i++)
			if (key_chars[i] == t.index) {
				r = l->keys[i];
				ok = true;
			}
	} else if (t.hit == AV_CANCEL && v->modal != AV_MODAL_NONE) {
		ok = true;
		r = v->modal == AV_MODAL_KEYPAD ? l->cancel : l->notice_ok;
	}
	if (out)
		*out = ok ? r : (SDL_Rect){ 0, 0, 0, 0 };
	return ok;
}

/* -------------------------------------------------------------- lifetime */

struct alarmview *alarmview_init(SDL_Renderer *renderer, struct text *text,
				 const struct config *cfg)
{
	struct alarmview *v = calloc(1, sizeof *v);
	if (!v) {
		log_error("alarmview", "out of memory");
		return NULL;
	}
	v->ren = renderer;
	v->text = text;
	v->cfg = cfg;
	return v;
}

void alarmview_destroy(struct alarmview *v)
{
	free(v);
}
