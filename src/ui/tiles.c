/* tiles.c - the channels: a tile each (name, open and breached counts,
 * oldest wait, next due, paused, and the state as a word), or, when the
 * list needs the room, one compact row of cells (name; counts and state).
 * State is never shown by colour alone. */
#include <stdio.h>

#include "render_int.h"

/* TS_PARTIAL: no breach among what an incomplete board holds; it may
 * have breaches the board never received, so it is never called "OK"
 * (the band above says why). Calm like OK, in the muted colour. */
enum tile_state { TS_OK, TS_PARTIAL, TS_AT_RISK, TS_BREACHED };

static const enum str_id state_word[] = { STR_HEALTHY, STR_PARTIAL, STR_AT_RISK, STR_BREACHED };
/* the same, as the state dump names it (render_tile_state) */
static const char *const state_key[] = { "ok", "partial", "at_risk", "breached" };

static bool calm(enum tile_state s)
{
	return s == TS_OK || s == TS_PARTIAL;
}

static SDL_Color state_fg(enum tile_state s)
{
	static const SDL_Color *const fg[] = { &kit_pal.ok, &kit_pal.muted, &kit_pal.amber,
					       &kit_pal.red };
	return *fg[s];
}

static SDL_Color state_edge(enum tile_state s)
{
	return s == TS_BREACHED ? kit_pal.red : s == TS_AT_RISK ? kit_pal.amber : kit_pal.edge;
}

static enum tile_state tile_state(const struct frame *f, const struct channel_stats *cs)
{
	if (cs->breached)
		return TS_BREACHED;
	if (cs->at_risk)
		return TS_AT_RISK;
	return f->st->incomplete ? TS_PARTIAL : TS_OK;
}

static int edge_w(const struct render *r, enum tile_state s)
{
	return kit_imax(kit_pct(r->u, calm(s) ? tiles_m.edge_ok : tiles_m.edge), 1);
}

/* Background, border and the channel's accent bar. */
static void tile_frame(struct render *r, SDL_Rect t, enum tile_state s, SDL_Color accent)
{
	const struct kit *k = render_kit(r);
	SDL_Color bg = s == TS_BREACHED ? kit_pal.red_bg
		     : s == TS_AT_RISK ? kit_pal.amber_bg : kit_pal.panel;
	int bw = edge_w(r, s);
	kit_fill(k, t, bg);
	kit_outline(k, t, bw, state_edge(s));
	kit_fill(k, kit_rect(t.x + bw, t.y + bw, kit_imax(kit_pct(r->u, tiles_m.accent), 3),
			     t.h - 2 * bw), accent);
}

/* The state as a word: a filled strip along the tile's foot when someone
 * must act, a quiet "OK" otherwise. */
static void tile_strip(struct render *r, SDL_Rect t, SDL_Rect text_x, enum tile_state s,
		       int px, int sh)
{
	const struct kit *k = render_kit(r);
	int bw = edge_w(r, s);
	SDL_Rect strip = kit_rect(t.x + bw, t.y + t.h - bw - sh, t.w - 2 * bw, sh);
	SDL_Color fg = s == TS_BREACHED ? kit_pal.white : s == TS_AT_RISK ? kit_pal.ink
									  : state_fg(s);
	if (!calm(s))
		kit_fill(k, strip, state_edge(s));
	else
		kit_fill(k, kit_rect(text_x.x, strip.y, text_x.w, kit_imax(r->u / 700, 1)),
			 kit_pal.edge);
	int d = px * 6 / 10;
	SDL_Rect dot = kit_rect(text_x.x, strip.y + (sh - d) / 2, d, d);
	kit_disc(k, dot, fg);
	kit_put(k, P_UI, render_tr(r, state_word[s]), px, TEXT_BOLD, fg, AL_START,
		kit_rect(dot.x + d + px / 2, strip.y, text_x.w - d - px / 2, sh));
}

/* "Oldest wait ..... 1:23:45" */
static void tile_detail(struct render *r, const struct frame *f, SDL_Rect b,
			enum str_id label, int64_t secs, bool have, int px)
{
	const struct kit *k = render_kit(r);
	kit_put(k, P_UI, render_tr(r, label), px, TEXT_REGULAR, kit_pal.muted, AL_START,
		kit_rect(b.x, b.y, b.w * 64 / 100, b.h));
	SDL_Rect vb = kit_rect(b.x + b.w * 40 / 100, b.y, b.w * 60 / 100, b.h);
	if (have)
		render_duration(r, f, secs, "", px, kit_pal.text, AL_END, vb);
	else
		kit_put(k, P_UI, "\xe2\x80\x94", px, TEXT_REGULAR, kit_pal.dim, AL_END, vb);
}

/* in: the tile's inner box between its name row and its state strip. */
static void tile_full(struct render *r, const struct frame *f, SDL_Rect in,
		      const struct channel_stats *cs)
{
	const struct kit *k = render_kit(r);
	const struct tiles_layout *tl = &f->L->tiles;
	int h = in.h, y = in.y, half = in.w / 2;
	char buf[24];
	kit_fmt_uint(buf, sizeof buf, cs->open);
	kit_put(k, P_DIGITS, buf, tl->count_px, TEXT_BOLD, kit_pal.text, AL_START,
		kit_rect(in.x, y, half, kit_pct(h, 400)));
	kit_fmt_uint(buf, sizeof buf, cs->breached);
	kit_put(k, P_DIGITS, buf, tl->count_px, TEXT_BOLD,
		cs->breached ? kit_pal.red : kit_pal.dim, AL_START,
		kit_rect(in.x + half, y, half, kit_pct(h, 400)));
	y += kit_pct(h, 400);
	kit_put(k, P_UI, render_tr(r, STR_OPEN), tl->label_px, TEXT_REGULAR, kit_pal.muted,
		AL_START, kit_rect(in.x, y, half, kit_pct(h, 130)));
	kit_put(k, P_UI, render_tr(r, STR_BREACHED), tl->label_px, TEXT_REGULAR,
		kit_pal.muted, AL_START, kit_rect(in.x + half, y, half, kit_pct(h, 130)));
	y += kit_pct(h, 150);
	int dh = kit_pct(h, 150);
	tile_detail(r, f, kit_rect(in.x, y, in.w, dh), STR_OLDEST_WAIT,
		    f->data_now - cs->oldest_waiting_since, cs->oldest_waiting_since,
		    tl->detail_px);
	tile_detail(r, f, kit_rect(in.x, y + dh, in.w, dh), STR_NEXT_DUE,
		    cs->next_due_at - f->data_now, cs->next_due_at, tl->detail_px);
	if (cs->paused) {
		kit_fmt_uint(buf, sizeof buf, cs->paused);
		SDL_Rect pb = kit_rect(in.x, y + 2 * dh, in.w, dh);
		kit_put(k, P_UI, render_tr(r, STR_PAUSED), tl->detail_px, TEXT_REGULAR,
			kit_pal.muted, AL_START, pb);
		kit_put(k, P_DIGITS, buf, tl->detail_px, TEXT_BOLD, kit_pal.text, AL_END, pb);
	}
}

/* Small tiles: name, then both counts on one line (or stacked over their
 * labels), then the state strip. */
static void tile_compact(struct render *r, const struct frame *f, SDL_Rect in,
			 const struct channel_stats *cs)
{
	const struct kit *k = render_kit(r);
	const struct tiles_layout *tl = &f->L->tiles;
	char o[24], b[24];
	kit_fmt_uint(o, sizeof o, cs->open);
	kit_fmt_uint(b, sizeof b, cs->breached);
	SDL_Color bc = cs->breached ? kit_pal.red : kit_pal.dim;
	if (tl->stacked) {
		int half = in.w / 2, nh = in.h * 62 / 100;
		kit_put(k, P_DIGITS, o, tl->count_px, TEXT_BOLD, kit_pal.text, AL_START,
			kit_rect(in.x, in.y, half, nh));
		kit_put(k, P_DIGITS, b, tl->count_px, TEXT_BOLD, bc, AL_START,
			kit_rect(in.x + half, in.y, half, nh));
		kit_put(k, P_UI, render_tr(r, STR_OPEN), tl->label_px, TEXT_REGULAR,
			kit_pal.muted, AL_START, kit_rect(in.x, in.y + nh, half, in.h - nh));
		kit_put(k, P_UI, render_tr(r, STR_BREACHED), tl->label_px, TEXT_REGULAR,
			kit_pal.muted, AL_START,
			kit_rect(in.x + half, in.y + nh, half, in.h - nh));
		return;
	}
	struct piece p[4] = {
		{ o, P_DIGITS, tl->count_px, TEXT_BOLD, kit_pal.text },
		{ render_tr(r, STR_OPEN), P_UI, tl->label_px, TEXT_REGULAR, kit_pal.muted },
		{ b, P_DIGITS, tl->count_px, TEXT_BOLD, bc },
		{ render_tr(r, STR_BREACHED), P_UI, tl->label_px, TEXT_REGULAR, kit_pal.muted },
	};
	kit_pieces(k, p, 4, in, false, -1);
}

static void draw_tile(struct render *r, const struct frame *f, size_t i,
		      const struct channel_stats *cs, enum tile_state s)
{
	const struct tiles_layout *tl = &f->L->tiles;
	SDL_Rect t = tl->tile[i];
	int pin = kit_imax(kit_pct(kit_imin(t.h, t.w), 50), 3);
	int bar = kit_imax(kit_pct(r->u, tiles_m.accent), 3);
	int nh = kit_pct(t.h, tl->compact ? 300 : 150);
	int sh = kit_pct(t.h, tl->compact ? 260 : 120);
	tile_frame(r, t, s, r->chan_color[i]);
	SDL_Rect in = kit_rect(t.x + pin + bar, t.y + pin, t.w - 2 * pin - bar, t.h - 2 * pin);
	kit_put(render_kit(r), P_DATA, r->chan_name[i], tl->name_px, TEXT_BOLD, kit_pal.text,
		AL_START, kit_rect(in.x, in.y, in.w, nh));
	tile_strip(r, t, in, s, tl->strip_px, sh);
	SDL_Rect body = kit_rect(in.x, in.y + nh, in.w, t.h - pin - nh - sh - pin / 2);
	if (tl->compact)
		tile_compact(r, f, body, cs);
	else
		tile_full(r, f, body, cs);
}

/* A cell of the compact row: the name; then "7 Open · 2 Breached" (or
 * "1 At risk", or "OK"), the state in words and colour; only the state when
 * the cell is too narrow for both, only its count when too narrow for
 * its word. */
static void draw_cell(struct render *r, const struct frame *f, size_t i,
		      const struct channel_stats *cs, enum tile_state s)
{
	const struct kit *k = render_kit(r);
	const struct tiles_layout *tl = &f->L->tiles;
	SDL_Rect t = tl->tile[i];
	tile_frame(r, t, s, r->chan_color[i]);
	int x0 = kit_imax(kit_pct(r->u, tiles_m.accent), 3) + kit_pct(r->u, 10) + edge_w(r, s);
	SDL_Rect in = kit_rect(t.x + x0, t.y, t.w - x0 - kit_pct(r->u, 10), t.h);
	int lh = in.h / 2;
	kit_put(k, P_DATA, r->chan_name[i], tl->name_px, TEXT_BOLD, kit_pal.text, AL_START,
		kit_rect(in.x, in.y, in.w, lh));
	char o[24], n[24];
	kit_fmt_uint(o, sizeof o, cs->open);
	kit_fmt_uint(n, sizeof n, s == TS_AT_RISK ? cs->at_risk : cs->breached);
	SDL_Color c = state_fg(s);
	struct piece p[4] = {
		{ o, P_DIGITS, tl->label_px, TEXT_BOLD, kit_pal.text },
		{ render_tr(r, STR_OPEN), P_UI, tl->label_px, TEXT_REGULAR, kit_pal.muted },
		{ calm(s) ? "" : n, P_DIGITS, tl->label_px, TEXT_BOLD, c },
		{ render_tr(r, state_word[s]), P_UI, tl->label_px, TEXT_BOLD, c },
	};
	SDL_Rect line = kit_rect(in.x, in.y + lh, in.w, in.h - lh);
	/* A narrow cell (five channels across a portrait screen) keeps the
	 * state whole, "6 Breached", rather than "7 Open 6 Br...": the open
	 * count is in the header, the breach is what someone must act on. */
	bool state_only = !calm(s) && kit_pieces_width(k, p, 4) > line.w;
	/* narrower still (32 queues across 1080p): the count alone, in the
	 * state's colour, rather than "1 Br..." */
	size_t said = state_only && kit_pieces_width(k, p + 2, 2) > line.w ? 1 : 2;
	kit_pieces(k, state_only ? p + 2 : p, state_only ? said : 4, line, false, -1);
}

void tiles_draw(struct render *r, const struct frame *f)
{
	const struct tiles_layout *tl = &f->L->tiles;
	size_t n = model_channel_count(f->m);
	n = n < tl->n ? n : tl->n;
	for (size_t i = 0; i < n; i++) {
		const struct channel_stats *cs = render_channel_stats(r, i);
		enum tile_state s = tile_state(f, cs);
		if (tl->cells)
			draw_cell(r, f, i, cs, s);
		else
			draw_tile(r, f, i, cs, s);
		r->tiles[i] = kit_mir(&r->kit, tl->tile[i]);
		r->tile_state[i] = state_key[s];
	}
	r->n_tiles = n;
}
