/* lists.c - the list: every breach once, most overdue first, each row
 * carrying its own alarm; then, if room is left, the complaints due soon.
 *
 * A breached complaint's alarm is drawn in its row, so nobody reads two
 * lists of the same things: firing, the row's edge flashes at 1 Hz;
 * acknowledged, the row is quiet and says "✓ Dana 10:20, until 10:35";
 * escalated, the row is louder (strong red, a thicker edge, "Escalated").
 * A lead acknowledges on the row (ackui.c hit-tests render_rows()).
 *
 * Every breach is seen: when more are breached than fit, the list pages.
 * The most overdue row stays pinned on top; the rows under it turn every
 * page_s seconds, "13-23 of 37" and a thin progress bar say where the list
 * is. A page turn is a plain redraw: nothing flashes or slides. */
#include <stdio.h>
#include <string.h>

#include "render_int.h"

static SDL_Rect col(const struct list_layout *l, enum col c, int y, int h)
{
	return kit_rect(l->area.x + l->col_x[c], y, l->col_w[c], h);
}

/* --------------------------------------------------------------- paging */

/* Due on the second (on_grid), woken with the timers' tick. */
uint32_t lists_next_turn(const struct render *r)
{
	return r->page_t0 + (uint32_t)(r->cfg->page_s > 0 ? r->cfg->page_s : 8) * 1000u +
	       KIT_WAKE_LATE_MS;
}

/* Page times start on the second (t is on the wall clock's phase,
 * render_next_change_ms): a turn is due when the timers tick and shares
 * their frame, even one woken a millisecond early, instead of a frame of
 * its own. */
static uint32_t on_grid(uint32_t t)
{
	return t - t % 1000u;
}

/* Which breaches this frame shows under the pinned row: the page turns
 * when its time is up (not while a lead holds it), and wraps to the first
 * page after the last. pin: rows before the paged ones (0 or 1). */
static void page_advance(struct render *r, const struct frame *f, size_t total,
			 size_t per, size_t pin)
{
	uint32_t ms = (uint32_t)(r->cfg->page_s > 0 ? r->cfg->page_s : 8) * 1000u;
	if (!r->page_started || r->page_off < pin) {
		r->page_started = true;
		r->page_off = pin;
		r->page_t0 = on_grid(f->ticks);
	}
	if (f->st->hold_page) {
		r->page_t0 = on_grid(f->ticks);
	} else if ((int32_t)(f->ticks - r->page_t0) >= (int32_t)ms) {
		r->page_off += per;
		/* a late frame does not shorten the next page */
		r->page_t0 = (int32_t)(f->ticks - r->page_t0) >= 2 * (int32_t)ms
			? on_grid(f->ticks) : r->page_t0 + ms;
	}
	if (r->page_off >= total)
		r->page_off = pin;
}

/* The breach list title's words, raised in their line: the page bar
 * under them (draw_page) clears their deepest descent (the dots of fa
 * "پ", which it hid, turning it into "ب"). Paging or not, so the title
 * does not move when the list starts to page. */
static SDL_Rect title_words(const struct list_layout *l, SDL_Rect line)
{
	line.y -= kit_pct(l->title_px, list_m.title_lift);
	return line;
}

/* "13-23 of 37" at the end side of the title line, and a thin bar under
 * it filling from the start side as the page's time runs out. */
static void draw_page(struct render *r, const struct frame *f, SDL_Rect title)
{
	const struct kit *k = render_kit(r);
	const struct list_layout *l = &f->L->list;
	char range[48], total[24];
	snprintf(range, sizeof range, "%zu-%zu", r->page.first, r->page.last);
	kit_fmt_uint(total, sizeof total, r->page.total);
	struct piece p[3] = {
		{ range, P_DIGITS, l->title_px, TEXT_BOLD, kit_pal.text },
		{ render_tr(r, STR_OF), P_UI, l->title_px, TEXT_REGULAR, kit_pal.muted },
		{ total, P_DIGITS, l->title_px, TEXT_BOLD, kit_pal.text },
	};
	int w = 0;
	for (int i = 0; i < 3; i++)
		w += kit_measure(k, &p[i]) + l->title_px * 3 / 10;
	SDL_Rect words = title_words(l, title);
	kit_pieces(k, p, 3, kit_rect(title.x + title.w - w, words.y, w, title.h), false, -1);
	int bh = kit_imax(kit_pct(r->u, list_m.progress_h), 2);
	SDL_Rect bar = kit_rect(title.x, title.y + title.h - bh - bh / 2, title.w, bh);
	uint32_t ms = (uint32_t)(r->cfg->page_s > 0 ? r->cfg->page_s : 8) * 1000u;
	uint32_t el = f->ticks - r->page_t0;
	el = el > ms ? ms : el;
	kit_fill(k, bar, kit_pal.edge);
	kit_fill(k, kit_rect(bar.x, bar.y, (int)((int64_t)bar.w * el / ms), bh), kit_pal.muted);
}

/* ------------------------------------------------------------------ rows */

/* How a row looks: its alarm decides. */
struct look {
	SDL_Color bg, bar, time, text, sub;
	int edge;          /* flashing edge thickness, 0: none */
	SDL_Color edge_c;
};

static void row_look(const struct render *r, const struct frame *f, bool breached,
		     const struct alarm_view *a, struct look *lk)
{
	bool phase = !r->cfg->flash_steady && kit_flash_phase(f->ticks);
	*lk = (struct look){
		.bg = breached ? kit_pal.row_red : kit_pal.row_amber,
		.bar = breached ? kit_pal.red : kit_pal.amber,
		.time = breached ? kit_pal.red : kit_pal.amber,
		.text = kit_pal.text, .sub = kit_pal.muted,
	};
	if (!a)
		return;
	if (a->state == ALARM_ACKED) {
		lk->bg = kit_pal.panel;        /* someone is on it: quiet */
	} else if (a->state == ALARM_FIRING && a->escalated) {
		lk->bg = phase ? kit_pal.esc_b : kit_pal.esc_a;
		lk->time = lk->text = lk->sub = kit_pal.white;
		lk->bar = kit_pal.white;
		lk->edge = kit_imax(kit_pct(r->u, list_m.esc_edge), 3);
		lk->edge_c = phase ? kit_pal.crisis_b : kit_pal.white;
	} else if (a->state == ALARM_FIRING) {
		lk->edge = phase || r->cfg->flash_steady
			? kit_imax(kit_pct(r->u, list_m.fire_edge), 2) : 0;
		lk->edge_c = kit_pal.fire_edge;
	}
}

/* "✓ Dana 10:20, until 10:35", or for an escalated alarm "Escalated", at
 * the end side of the row; returns the width it took, with a space on
 * the text's side: a left-to-right complaint in a right-to-left row
 * starts right there. */
static int row_alarm_cell(struct render *r, const struct list_layout *l,
			  const struct alarm_view *a, SDL_Rect row, int max_w)
{
	const struct kit *k = render_kit(r);
	int px = l->text_px;
	if (a->state == ALARM_FIRING && a->escalated) {
		SDL_Rect b = kit_rect(row.x + row.w - max_w, row.y, max_w - px / 2, row.h);
		return kit_pill(k, render_tr(r, STR_ESCALATED), l->mark_px + px / 4,
				kit_pal.white, kit_pal.crisis_a, true, b, AL_END) + px / 2;
	}
	if (a->state != ALARM_ACKED)
		return 0;
	char when[96];
	kit_fmt_ack(k, when, sizeof when, a->acked_at, a->acked_until,
		    render_tr(r, STR_UNTIL));
	struct piece p[3] = {
		{ "\xe2\x9c\x93", P_LTR, px, TEXT_BOLD, kit_pal.ok },
		{ a->acked_by, P_DATA, px, TEXT_BOLD, kit_pal.text },
		{ when, P_UI, px, TEXT_REGULAR, kit_pal.muted },
	};
	int w = px / 2 + 2 * (px * 3 / 10); /* a margin, the gaps between pieces */
	for (size_t i = 0; i < 3; i++)
		w += kit_measure(k, &p[i]);
	/* short of room, the time gives way before who is on it; with less
	 * than half of it left it goes: a lone "…" says nothing */
	int tw = kit_measure(k, &p[2]);
	size_t n = w - max_w > tw / 2 ? 2 : 3;
	if (n == 2)
		w -= tw + px * 3 / 10;
	w = kit_imin(w, max_w);
	kit_pieces(k, p, n, kit_rect(row.x + row.w - w, row.y, w - px / 2, row.h), false,
		   (int)n - 1);
	return w + px / 2;
}

static void row_mark(struct render *r, const struct list_layout *l,
		     const struct complaint *c, SDL_Rect b)
{
	const struct kit *k = render_kit(r);
	if (c->priority == PRIORITY_VIP)
		kit_pill(k, render_tr(r, STR_VIP), l->mark_px, kit_pal.vip, kit_pal.ink, true,
			 b, AL_START);
	else if (c->priority == PRIORITY_HIGH)
		kit_pill(k, render_tr(r, STR_HIGH), l->mark_px, kit_pal.amber, kit_pal.amber,
			 false, b, AL_START);
}

static bool find_alarm(const struct frame *f, const struct complaint *c,
		       struct alarm_view *out)
{
	char id[ALARM_ID_MAX];
	if (!f->st->alarms || !c->id)
		return false;
	alarms_breach_id(id, c->id);
	return alarms_find(f->st->alarms, id, out) && out->state != ALARM_CLEARED;
}

/* "DRILL" and "Public" at the start of the customer's cell: a comment
 * everyone can read goes first at the same overdue minute (model.h), and
 * the row says why. Returns the width taken; *pub gets the mark's box. */
static int row_tags(struct render *r, const struct list_layout *l,
		    const struct complaint *c, SDL_Rect b, SDL_Rect *pub)
{
	const struct kit *k = render_kit(r);
	int x = 0, gap = l->mark_px / 2;
	*pub = kit_rect(0, 0, 0, 0);
	if (c->drill)
		x += kit_pill(k, render_tr(r, STR_DRILL), l->mark_px, kit_pal.amber, kit_pal.ink,
			      true, kit_rect(b.x, b.y, b.w / 2, b.h), AL_START) + gap;
	if (c->visibility == VISIBILITY_PUBLIC && x < b.w / 2) {
		int w = kit_pill(k, render_tr(r, STR_PUBLIC), l->mark_px, kit_pal.text,
				 kit_pal.text, false, kit_rect(b.x + x, b.y, b.w / 2, b.h),
				 AL_START);
		*pub = kit_mir(&r->kit, kit_rect(b.x + x, b.y, w, b.h));
		x += w + gap;
	}
	return x;
}

static void row_remember(struct render *r, const struct complaint *c, SDL_Rect row,
			 SDL_Rect text_box, int px, bool breached,
			 const struct alarm_view *a, SDL_Rect pub)
{
	if (r->n_rows >= MAX_ROWS)
		return;
	struct render_row *rr = &r->rows[r->n_rows++];
	memset(rr, 0, sizeof *rr);
	snprintf(rr->id, sizeof rr->id, "%s", c->id ? c->id : "");
	rr->row = kit_mir(&r->kit, row);
	rr->text_box = kit_mir(&r->kit, text_box);
	rr->text_px = px;
	rr->breached = breached;
	rr->has_alarm = a != NULL;
	rr->alarm = a ? a->state : ALARM_CLEARED;
	rr->escalated = a && a->escalated;
	rr->public_box = pub;
	rr->drill = c->drill;
}

static void draw_row(struct render *r, const struct frame *f,
		     const struct complaint *c, int y, bool breached)
{
	const struct kit *k = render_kit(r);
	const struct list_layout *l = &f->L->list;
	struct alarm_view av;
	const struct alarm_view *a = breached && find_alarm(f, c, &av) ? &av : NULL;
	struct look lk;
	row_look(r, f, breached, a, &lk);
	int gap = kit_imax(kit_pct(r->u, list_m.gap), 1);
	SDL_Rect row = kit_rect(l->area.x, y, l->area.w, l->row_h - gap);
	kit_fill(k, row, lk.bg);
	kit_fill(k, kit_rect(row.x, row.y, kit_imax(kit_pct(r->u, list_m.edge), 2), row.h),
		 lk.bar);
	if (lk.edge)
		kit_outline(k, row, lk.edge, lk.edge_c);
	if (a && a->state == ALARM_FIRING && !r->cfg->flash_steady)
		r->flashing = true;
	/* cells stay inside the loudest edge, so it never crosses the text */
	int ev = kit_imax(kit_pct(r->u, list_m.esc_edge), 3);
	y += ev;
	int hh = row.h - 2 * ev;
	if (breached)
		render_duration(r, f, f->data_now - c->due_at, "+", l->time_px, lk.time,
				AL_RIGHT, col(l, COL_TIME, y, hh));
	else
		render_duration(r, f, c->due_at - f->data_now, "", l->time_px, lk.time,
				AL_RIGHT, col(l, COL_TIME, y, hh));
	row_mark(r, l, c, col(l, COL_MARK, y, hh));
	unsigned ch = c->channel < MODEL_MAX_CHANNELS ? c->channel : 0;
	kit_put(k, P_DATA, r->chan_name[ch], l->text_px, TEXT_REGULAR,
		a && a->escalated ? lk.text : r->chan_color[ch], AL_START,
		col(l, COL_CHANNEL, y, hh));
	SDL_Rect cust = col(l, COL_CUSTOMER, y, hh), pub;
	int tags = row_tags(r, l, c, cust, &pub);
	kit_put(k, P_DATA, c->customer, l->text_px, TEXT_BOLD, lk.text, AL_START,
		kit_rect(cust.x + tags, cust.y, cust.w - tags, cust.h));
	bool una = !c->assignee || !*c->assignee;
	if (l->col_w[COL_ASSIGNEE] > 0)
		kit_put(k, una ? P_UI : P_DATA, una ? render_tr(r, STR_UNASSIGNED) : c->assignee,
			l->text_px, TEXT_REGULAR, una && !(a && a->escalated) ? kit_pal.amber : lk.sub,
			AL_START, col(l, COL_ASSIGNEE, y, hh));
	SDL_Rect tb = col(l, COL_TEXT, y, hh);
	if (a)
		tb.w -= row_alarm_cell(r, l, a, tb, tb.w * 60 / 100);
	/* the complaint in its own direction, cut at its logical end */
	kit_put(k, P_DATA, c->text, l->text_px, TEXT_REGULAR, lk.text, AL_OWN, tb);
	row_remember(r, c, row, tb, l->text_px, breached, a, pub);
}

/* ---------------------------------------------------------------- titles */

/* "Breached response times  37" from the start side of the line. */
static void draw_title(struct render *r, const struct list_layout *l, SDL_Rect line,
		       enum str_id title, uint32_t n, SDL_Color c)
{
	char buf[16];
	kit_fmt_uint(buf, sizeof buf, n);
	struct piece p[2] = {
		{ render_tr(r, title), P_UI, l->title_px, TEXT_BOLD, kit_pal.muted },
		{ buf, P_DIGITS, l->title_px, TEXT_BOLD, c },
	};
	kit_pieces(render_kit(r), p, n ? 2 : 1, line, false, -1);
}

static SDL_Rect title_line(const struct list_layout *l, int y)
{
	return kit_rect(l->area.x + l->col_x[COL_TIME], y,
			l->area.w - l->col_x[COL_TIME], l->title_h);
}

/* ----------------------------------------------------------------- lists */

/* model_breached, or the rows of the last frame that asked the same
 * (memo 0: from the first, memo 1: a page): the flash's frame comes half
 * a second after the tick's, in the same second of the same model, and
 * the query walks the model's trees, cold after half a second's sleep
 * (about a twelfth of that frame). The pointers stay good while
 * model_changes() does not move: nothing applied, dropped or pruned. */
static size_t breached(struct render *r, const struct frame *f, int memo, size_t skip,
		       const struct complaint **out, size_t max)
{
	struct breach_memo *b = &r->breached[memo];
	uint64_t changes = model_changes(f->m);
	max = max > MAX_ROWS ? MAX_ROWS : max;
	if (b->m != f->m || b->changes != changes || b->now != f->data_now || b->skip != skip ||
	    b->max != max) {
		b->n = model_breached(f->m, f->data_now, skip, b->c, max);
		b->m = f->m;
		b->changes = changes;
		b->now = f->data_now;
		b->skip = skip;
		b->max = max;
	}
	memcpy(out, b->c, b->n * sizeof *out);
	return b->n;
}

/* The breaches from y; returns the y after them. Sets r->page. */
static int draw_breaches(struct render *r, const struct frame *f, int y)
{
	const struct list_layout *l = &f->L->list;
	const struct complaint *c[MAX_ROWS];
	size_t total = f->tot.breached, fit = (size_t)l->fit;
	fit = fit > MAX_ROWS ? MAX_ROWS : fit;
	if (!fit)
		return y;
	r->paging = total > fit;
	if (!r->paging) {
		r->page_started = false;
		size_t n = breached(r, f, 0, 0, c, fit);
		for (size_t i = 0; i < n; i++, y += l->row_h)
			draw_row(r, f, c[i], y, true);
		r->page = (struct render_page){ n ? 1 : 0, n, total, 0 };
		return y;
	}
	size_t pin = fit >= 2 ? 1 : 0, per = fit - pin;
	page_advance(r, f, total, per, pin);
	size_t n = pin ? breached(r, f, 0, 0, c, 1) : 0;
	n += breached(r, f, 1, r->page_off, c + n, per);
	for (size_t i = 0; i < n; i++, y += l->row_h)
		draw_row(r, f, c[i], y, true);
	/* the first page reads "1-12 of 37"; later ones "13-23 of 37" under
	 * the pinned row */
	size_t first = r->page_off == pin ? 1 : r->page_off + 1;
	r->page = (struct render_page){ first, r->page_off + n - pin, total, 0 };
	return y;
}

static void draw_due_soon(struct render *r, const struct frame *f, int y)
{
	const struct list_layout *l = &f->L->list;
	const struct complaint *c[MAX_ROWS];
	int bottom = l->area.y + l->area.h;
	if (!f->tot.at_risk || bottom - y < l->title_h + l->row_h)
		return;
	draw_title(r, l, title_line(l, y), STR_AT_RISK_LIST, f->tot.at_risk, kit_pal.amber);
	y += l->title_h;
	size_t fit = (size_t)((bottom - y) / l->row_h);
	fit = fit > MAX_ROWS ? MAX_ROWS : fit;
	size_t n = model_at_risk(f->m, f->data_now, f->at_risk_s, c, fit);
	for (size_t i = 0; i < n; i++, y += l->row_h)
		draw_row(r, f, c[i], y, false);
}

/* Nothing breached. "All calm" is a claim: only about live data, and
 * while the board holds part of the floor (INCOMPLETE) only about what it
 * holds: "No breached complaints among 23,999 held — 100,000 announced",
 * not in the calm green. Not live: nothing (the band says why). */
static void draw_none(struct render *r, const struct frame *f, SDL_Rect box)
{
	const struct board_status *st = f->st;
	int px = f->L->list.text_px;
	r->page.empty_note = 0;
	if (!st->live)
		return;
	if (!st->incomplete) {
		kit_put(render_kit(r), P_UI, render_tr(r, STR_NO_BREACHES), px, TEXT_REGULAR,
			kit_pal.ok, AL_START, box);
		r->page.empty_note = STR_NO_BREACHES;
		return;
	}
	char held[32], of[32];
	kit_fmt_count(held, sizeof held, st->held);
	kit_fmt_count(of, sizeof of, st->announced);
	SDL_Color ink = kit_pal.amber;
	struct piece p[7] = {
		{ render_tr(r, STR_NONE_AMONG), P_UI, px, TEXT_REGULAR, ink },
		{ held, P_NUM, px, TEXT_BOLD, ink },
		{ st->incomplete_timers ? render_tr(r, STR_TIMERS) : "", P_UI, px, TEXT_REGULAR,
		  ink },
		{ render_tr(r, STR_HELD), P_UI, px, TEXT_REGULAR, ink },
		{ "\xe2\x80\x94", P_UI, px, TEXT_REGULAR, ink },
		{ of, P_NUM, px, TEXT_BOLD, ink },
		{ render_tr(r, STR_ANNOUNCED), P_UI, px, TEXT_REGULAR, ink },
	};
	kit_pieces(render_kit(r), p, 7, box, false, 0);
	r->page.empty_note = STR_NONE_AMONG;
}

void lists_draw(struct render *r, const struct frame *f)
{
	const struct list_layout *l = &f->L->list;
	int y = l->area.y, bottom = l->area.y + l->area.h;
	r->n_rows = 0;
	r->paging = false;
	r->page = (struct render_page){ 0, 0, 0, 0 };
	if (l->area.h < l->title_h)
		return;
	SDL_Rect title = title_line(l, y);
	draw_title(r, l, title_words(l, title), STR_BREACH_LIST, f->tot.breached, kit_pal.red);
	y += l->title_h;
	if (!f->tot.breached) {
		r->page_started = false;
		if (bottom - y >= l->row_h)
			draw_none(r, f, kit_rect(title.x, y, title.w, l->row_h));
		y += l->row_h;
	} else {
		y = draw_breaches(r, f, y);
	}
	if (r->paging)
		draw_page(r, f, title);
	else
		draw_due_soon(r, f, y + l->title_h / 4);
}
