/* render.c - see render.h: the frame, the header, the "not live" band and
 * the API. Where things go is layout.c's; the channels (tiles.c), the
 * list (lists.c) and the crisis banner (banner.c) draw themselves.
 *
 * Text: labels and complaint texts go through text_draw (cached per
 * string); everything that ticks (timers, counts, clock) goes through
 * text_draw_digits, so a ticking frame rasterises nothing. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "render_int.h"

const char *render_tr(const struct render *r, enum str_id id)
{
	return i18n_get(r->lang, id);
}

const struct kit *render_kit(struct render *r)
{
	r->kit.px_min = &r->px_min[r->region];
	return &r->kit;
}

/* A duration; marks the frame as ticking when it is a live timer. */
void render_duration(struct render *r, const struct frame *f, int64_t s,
		     const char *sign, int px, SDL_Color c, enum kit_align a,
		     SDL_Rect box)
{
	char buf[32];
	bool digits = kit_fmt_duration(buf, sizeof buf, s, sign);
	kit_put(render_kit(r), digits ? P_DIGITS : P_NUM, buf, px, TEXT_BOLD, c, a, box);
	if (f->data_now == f->now)
		r->ticking = true;
}

/* --------------------------------------------------------------- channels */

/* Returns true when the channel's name changed (the layout measures the
 * names). */
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
	if (cc && cc->color) {
		uint32_t v = cc->color;
		r->chan_color[i] = (SDL_Color){ (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255 };
	} else {
		r->chan_color[i] = kit_accent(i);
	}
	return true;
}

/* ---------------------------------------------------------------- header */

/* Label above, big number (digits) or word below. */
static void draw_kpi(struct render *r, const struct header_layout *hd, SDL_Rect b,
		     enum str_id label, const char *value, enum kit_kind k, SDL_Color c)
{
	const struct kit *kt = render_kit(r);
	kit_put(kt, P_UI, render_tr(r, label), hd->label_px, TEXT_REGULAR, kit_pal.muted,
		AL_START, kit_rect(b.x, b.y + b.h * 8 / 100, b.w, b.h * 38 / 100));
	kit_put(kt, k, value, hd->value_px, TEXT_BOLD, c, AL_START,
		kit_rect(b.x, b.y + b.h * 42 / 100, b.w, b.h * 54 / 100));
}

static void draw_attainment(struct render *r, const struct frame *f)
{
	const struct kit *k = render_kit(r);
	const struct header_layout *hd = &f->L->hd;
	SDL_Rect b = hd->kpi[2];
	struct attainment a;
	model_attainment(f->m, f->st->day_start, &a);
	kit_put(k, P_UI, render_tr(r, STR_ATTAINMENT), hd->label_px, TEXT_REGULAR,
		kit_pal.muted, AL_START, kit_rect(b.x, b.y + b.h * 8 / 100, b.w, b.h * 38 / 100));
	SDL_Rect vb = kit_rect(b.x, b.y + b.h * 42 / 100, b.w, b.h * 54 / 100);
	if (!a.answered) {
		kit_put(k, P_UI, "\xe2\x80\x94", hd->value_px, TEXT_BOLD, kit_pal.dim, AL_START, vb);
		return;
	}
	/* Changes only when a response arrives: a cached label is fine. */
	char pc[16], frac[32];
	unsigned v = (unsigned)((a.on_time * 100ull + a.answered / 2) / a.answered);
	snprintf(pc, sizeof pc, "%u%%", v);
	snprintf(frac, sizeof frac, "%u/%u", a.on_time, a.answered);
	SDL_Color c = v >= 90 ? kit_pal.ok : v >= 75 ? kit_pal.amber : kit_pal.red;
	if (!f->st->live)
		c = kit_pal.dim;
	struct piece p[2] = {
		{ pc, P_NUM, hd->value_px, TEXT_BOLD, c },
		{ frac, P_NUM, hd->label_px, TEXT_REGULAR, kit_pal.muted },
	};
	kit_pieces(k, p, 2, vb, false, -1);
}

static void draw_conn(struct render *r, const struct frame *f)
{
	const struct kit *k = render_kit(r);
	const struct header_layout *hd = &f->L->hd;
	const struct board_status *st = f->st;
	SDL_Rect b = hd->conn;
	int px = hd->conn_px, line = b.h * 42 / 100;
	SDL_Rect l1 = kit_rect(b.x, b.y + b.h * 10 / 100, b.w, line);
	SDL_Rect l2 = kit_rect(b.x, b.y + b.h * 52 / 100, b.w, line);
	SDL_Color c = st->live ? kit_pal.ok : st->not_live_since ? kit_pal.red : kit_pal.amber;
	enum str_id word = st->live ? STR_LIVE : st->not_live_since ? STR_NOT_LIVE
								    : STR_CONNECTING;
	int d = px * 7 / 10;
	kit_disc(k, kit_rect(l1.x, l1.y + (l1.h - d) / 2, d, d), c);
	kit_put(k, P_UI, render_tr(r, word), px, st->live ? TEXT_REGULAR : TEXT_BOLD, c,
		AL_START, kit_rect(l1.x + d + px / 2, l1.y, l1.w - d - px / 2, l1.h));
	char buf[32];
	if (st->trouble > 0 && st->trouble < STR_COUNT) {
		/* Acks that may be lost, or complaints not shown: said where
		 * "live" is read, in amber, until it is over (the band says
		 * since when the data is not live). */
		struct piece p[2] = {
			{ render_tr(r, (enum str_id)st->trouble), P_UI, hd->label_px, TEXT_BOLD,
			  kit_pal.amber },
			{ st->trouble_detail ? st->trouble_detail : "", P_UI, hd->label_px,
			  TEXT_REGULAR, kit_pal.amber },
		};
		kit_pieces(k, p, 2, l2, false, -1);
	} else if (!st->live && st->not_live_since) {
		kit_fmt_clock(buf, sizeof buf, st->not_live_since, true);
		struct piece p[2] = {
			{ render_tr(r, STR_SINCE), P_UI, px, TEXT_REGULAR, kit_pal.text },
			{ buf, P_DIGITS, px, TEXT_BOLD, kit_pal.text },
		};
		kit_pieces(k, p, 2, l2, false, -1);
	} else if (st->rejected) {
		/* the count since start stays; amber only while it is news */
		SDL_Color rc = st->rejected_recent ? kit_pal.amber : kit_pal.muted;
		kit_fmt_uint(buf, sizeof buf, st->rejected);
		struct piece p[2] = {
			{ render_tr(r, STR_REJECTED), P_UI, hd->label_px, TEXT_REGULAR, rc },
			{ buf, P_DIGITS, px, TEXT_BOLD, rc },
		};
		kit_pieces(k, p, 2, l2, false, -1);
	}
}

static void draw_header(struct render *r, const struct frame *f)
{
	const struct kit *k = render_kit(r);
	const struct header_layout *hd = &f->L->hd;
	char buf[32];
	kit_fill(k, hd->all, kit_pal.header);
	kit_fill(k, kit_rect(0, hd->all.h - 1, r->w, kit_imax(r->u / 400, 1)), kit_pal.edge);
	/* the site's name smaller rather than cut: "…, Tel A…" loses the city */
	struct piece site = { r->cfg->site, P_DATA, hd->site_px, TEXT_BOLD, kit_pal.text };
	kit_put(k, P_DATA, site.s, kit_fit_px(k, &site, hd->site_least_px, hd->site.w),
		TEXT_BOLD, kit_pal.text, AL_START, hd->site);
	/* Partial totals (the board holds fewer than announced) read "at
	 * least": 24118+, in amber. */
	bool live = f->st->live, part = f->st->incomplete;
	kit_fmt_uint(buf, sizeof buf, f->tot.open);
	if (part)
		strcat(buf, "+");
	draw_kpi(r, hd, hd->kpi[0], STR_OPEN, buf, P_DIGITS,
		 !live ? kit_pal.dim : part ? kit_pal.amber : kit_pal.text);
	kit_fmt_uint(buf, sizeof buf, f->tot.breached);
	if (part)
		strcat(buf, "+");
	draw_kpi(r, hd, hd->kpi[1], STR_BREACHED, buf, P_DIGITS,
		 !live ? kit_pal.dim : f->tot.breached ? kit_pal.red
		 : part ? kit_pal.amber : kit_pal.text);
	draw_attainment(r, f);
	draw_conn(r, f);
	kit_fmt_clock(buf, sizeof buf, f->now, false);
	kit_put(k, P_DIGITS, buf, hd->clock_px, TEXT_BOLD, kit_pal.text, AL_END, hd->clock);
}

/* Across the screen under the header while the data is not live. */
static void draw_band(struct render *r, const struct frame *f)
{
	const struct kit *k = render_kit(r);
	SDL_Rect b = f->L->band;
	int px = b.h * 48 / 100;
	char buf[32] = "";
	kit_fill(k, b, kit_pal.band);
	struct piece p[4] = {
		{ render_tr(r, STR_NOT_LIVE), P_UI, px, TEXT_BOLD, kit_pal.ink },
		{ "\xe2\x80\x94", P_UI, px, TEXT_BOLD, kit_pal.ink },
		{ render_tr(r, STR_SINCE), P_UI, px, TEXT_REGULAR, kit_pal.ink },
		{ buf, P_DIGITS, px, TEXT_BOLD, kit_pal.ink },
	};
	if (f->st->not_live_since) {
		kit_fmt_clock(buf, sizeof buf, f->st->not_live_since, true);
	} else {
		p[2].s = render_tr(r, STR_CONNECTING);
		p[3].s = "";
	}
	kit_pieces(k, p, 4, kit_inset(b, r->pad, 0), true, -1);
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
	const struct kit *k = render_kit(r);
	SDL_Color ink = kit_pal.ink;
	char held[32], of[32], since[16], more[32] = "";
	if (incomplete) {
		kit_fmt_count(held, sizeof held, st->held);
		kit_fmt_count(of, sizeof of, st->announced);
		/* the band names the cause the board knows: its own cap, the
		 * broker's queue (a guess: nothing in MQTT says so), or both */
		bool queue = st->incomplete_queue || !st->incomplete_cap;
		struct piece p[9] = {
			{ render_tr(r, STR_INCOMPLETE), P_UI, px, TEXT_BOLD, ink },
			{ "\xe2\x80\x94", P_UI, px, TEXT_BOLD, ink },
			{ render_tr(r, STR_SHOWING), P_UI, px, TEXT_REGULAR, ink },
			{ held, P_NUM, px, TEXT_BOLD, ink },
			{ render_tr(r, STR_OF), P_UI, px, TEXT_REGULAR, ink },
			{ of, P_NUM, px, TEXT_BOLD, ink },
			{ render_tr(r, st->incomplete_timers ? STR_TIMERS : STR_COMPLAINTS), P_UI,
			  px, TEXT_REGULAR, ink },
			{ st->incomplete_cap ? render_tr(r, STR_OWN_LIMIT) : "", P_UI, px,
			  TEXT_REGULAR, ink },
			{ queue ? render_tr(r, STR_QUEUE_LIMIT) : "", P_UI, px, TEXT_REGULAR, ink },
		};
		kit_pieces(k, p, 9, b, true, -1);
		return;
	}
	if (st->n_silent > 1)
		snprintf(more, sizeof more, "+%zu %s", st->n_silent - 1, render_tr(r, STR_MORE));
	if (st->silent_since)
		kit_fmt_clock(since, sizeof since, st->silent_since, false);
	struct piece p[5] = {
		{ render_tr(r, STR_FEED), P_UI, px, TEXT_REGULAR, ink },
		{ st->silent_feed ? st->silent_feed : "", P_DATA, px, TEXT_BOLD, ink },
		{ render_tr(r, st->silent_since ? STR_SILENT_SINCE : STR_OFFLINE), P_UI, px,
		  TEXT_REGULAR, ink },
		{ st->silent_since ? since : "", P_DIGITS, px, TEXT_BOLD, ink },
		{ more, P_UI, px, TEXT_REGULAR, ink },
	};
	kit_pieces(k, p, 5, b, true, -1);
}

/* The notices band while live: what the board cannot vouch for although
 * its link is fine. Both notices: two lines. */
static void draw_notices(struct render *r, const struct frame *f)
{
	const struct board_status *st = f->st;
	SDL_Rect b = f->L->band;
	kit_fill(render_kit(r), b, kit_pal.notice);
	SDL_Rect in = kit_inset(b, r->pad, 0);
	if (st->incomplete && st->n_silent) {
		int h = in.h / 2;
		draw_notice_line(r, st, true, kit_rect(in.x, in.y, in.w, h), h * 62 / 100);
		draw_notice_line(r, st, false, kit_rect(in.x, in.y + h, in.w, in.h - h),
				 h * 62 / 100);
		return;
	}
	draw_notice_line(r, st, st->incomplete, in, b.h * 40 / 100);
}

/* ------------------------------------------------------------------ frame */

/* Stale data must look stale: a grey veil over everything the model
 * feeds below the header (the header dims its own numbers). */
void render_veil(struct render *r, const SDL_Rect *area)
{
	SDL_BlendMode old;
	SDL_GetRenderDrawBlendMode(r->ren, &old);
	SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
	kit_fill(&r->kit, *area, kit_pal.veil);
	SDL_SetRenderDrawBlendMode(r->ren, old);
}

/* The frame's counts: the last frame's when the model and the second
 * are the same (the flash's frame asks the same half a second later). */
static void render_counts(struct render *r, const struct frame *f)
{
	size_t n = model_channel_count(f->m);
	n = n > MODEL_MAX_CHANNELS ? MODEL_MAX_CHANNELS : n;
	if (r->counts.m == f->m && r->counts.changes == model_changes(f->m) &&
	    r->counts.now == f->data_now && r->counts.at_risk_s == f->at_risk_s &&
	    r->counts.n == n)
		return;
	r->counts.m = f->m;
	r->counts.changes = model_changes(f->m);
	r->counts.now = f->data_now;
	r->counts.at_risk_s = f->at_risk_s;
	r->counts.n = n;
	model_totals(f->m, f->data_now, f->at_risk_s, &r->counts.tot);
	for (size_t i = 0; i < n; i++)
		model_channel_stats(f->m, i, f->data_now, f->at_risk_s, &r->counts.ch[i]);
}

const struct channel_stats *render_channel_stats(const struct render *r, size_t i)
{
	return &r->counts.ch[i < MODEL_MAX_CHANNELS ? i : 0];
}

static void frame_begin(struct render *r, struct frame *f)
{
	int w = 0, h = 0;
	if (SDL_GetRendererOutputSize(r->ren, &w, &h) != 0 || w <= 0 || h <= 0) {
		log_error("render", "output size: %s", SDL_GetError());
		w = kit_imax(w, 1);
		h = kit_imax(h, 1);
	}
	size_t n = model_channel_count(f->m);
	n = n > MODEL_MAX_CHANNELS ? MODEL_MAX_CHANNELS : n;
	bool names = false;
	for (size_t i = 0; i < n; i++)
		names |= channel_update(r, i, model_channel_key(f->m, i));
	int rows = f->st->alarm_rows;
	layout_update(r, w, h, n,
		      rows < 0 ? 0 : rows > MAX_ALARM_ROWS ? MAX_ALARM_ROWS : rows, names);
	r->n_rows = r->n_tiles = r->n_steps = 0;
	memset(r->px_min, 0, sizeof r->px_min);
	r->ticking = r->flashing = r->banner_shown = r->band_shown = false;
	r->alarms_shown = r->alarm_rows > 0;
	f->at_risk_s = r->cfg->at_risk_s > 0 ? r->cfg->at_risk_s : 600;
	/* Not live: timers keep the values they had when the data stopped. */
	f->data_now = f->now;
	if (!f->st->live && f->st->not_live_since && f->st->not_live_since < f->now)
		f->data_now = f->st->not_live_since;
	render_counts(r, f);
	f->tot = r->counts.tot;
}

/* Tiles give way to every breach; the banner only as far as the list
 * needs: as many rows as are breached, up to what the list promises. */
static int choose_variant(struct render *r, const struct frame *f, bool crisis)
{
	int base = (crisis ? V_CRISIS : 0) |
		   (f->st->live && !notices_shown(f->st) ? 0 : V_BAND);
	int need = layout_min_rows(r, crisis);
	int all = f->tot.breached < (uint32_t)MAX_ROWS ? (int)f->tot.breached : MAX_ROWS;
	return layout_choose(r, base, kit_imin(need, all), all);
}

void render_frame(struct render *r, const struct model *m,
		  const struct board_status *st, int64_t now, uint32_t ticks_ms)
{
	if (!r || !m || !st)
		return;
	struct frame f = { .m = m, .st = st, .now = now, .ticks = ticks_ms };
	frame_begin(r, &f);
	const struct msg_crisis *crisis = model_crisis(m);
	layout_banner_shape(r, crisis);
	r->variant = choose_variant(r, &f, crisis != NULL);
	f.L = &r->lay[r->variant];

	/* a fill, not SDL_RenderClear: a scene draws it clipped (scene.h) */
	kit_fill(&r->kit, kit_rect(0, 0, r->w, r->h), kit_pal.bg);
	r->region = RENDER_REGION_HEADER;
	draw_header(r, &f);
	r->region = RENDER_REGION_BANNER;
	if (crisis)
		banner_draw(r, &f, crisis);
	r->region = RENDER_REGION_TILES;
	tiles_draw(r, &f);
	r->region = RENDER_REGION_LIST;
	lists_draw(r, &f);
	if (!st->live) {
		render_veil(r, &f.L->body);
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
	r->kit.ren = renderer;
	r->kit.text = text;
	return r;
}

void render_set_scene(struct render *r, struct scene *s)
{
	if (r)
		r->kit.scene = s;
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
	/* not capped at the period: woken just after a flip, the next one is
	 * still due KIT_WAKE_LATE_MS after it, with the flash's */
	return period_ms - (uint32_t)(ms % period_ms) + KIT_WAKE_LATE_MS;
}

static void sooner(uint32_t *next, uint32_t at)
{
	if ((int32_t)(at - *next) < 0)
		*next = at;
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
	if (r->flashing)
		sooner(&next, ticks_ms - ticks_ms % KIT_FLASH_HALF_MS + KIT_FLASH_HALF_MS +
			      KIT_WAKE_LATE_MS);
	if (r->paging)
		sooner(&next, lists_next_turn(r));
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

size_t render_steps(const struct render *r, SDL_Rect *out, size_t max)
{
	if (!r)
		return 0;
	size_t n = r->n_steps < max ? r->n_steps : max;
	if (out && n)
		memcpy(out, r->steps, n * sizeof *out);
	return out ? n : r->n_steps;
}

void render_page(const struct render *r, struct render_page *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (r && r->drawn)
		*out = r->page;
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

const char *render_tile_state(const struct render *r, size_t i)
{
	return r && i < r->n_tiles ? r->tile_state[i] : NULL;
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
		a = kit_mir(&r->kit, a);
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

void render_page_next(struct render *r)
{
	/* The list turns when its page has been shown page_s: make it so. */
	if (r && r->page_started)
		r->page_t0 -= (uint32_t)(r->cfg->page_s > 0 ? r->cfg->page_s : 8) * 1000u;
}
