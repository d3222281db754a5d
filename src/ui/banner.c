/* banner.c - the crisis banner: "CRISIS", title, since when, the message,
 * the playbook and the escalation contacts. It flashes at 1 Hz until the
 * crisis alarm is acknowledged, then stays steady.
 *
 * Full: the message on up to two lines, playbook and contacts in two
 * columns (stacked on narrow outputs), no taller than that takes
 * (layout.c). Compact, when the list needs the room: one line each for
 * the title and the message, the steps numbered one after another on as
 * few lines as fit, then the contacts; given the room the list leaves
 * under every breach (bl->title_row, bl->msg_wrap), the title on a row
 * of its own and the message on two lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

/* Split the crisis message into two lines at a word boundary. Measuring
 * rasterises, so the split is cached and redone only when the message or
 * the width changes. Both lines keep the whole paragraph's direction. */
static void wrap_update(struct render *r, struct wrap *wr, const char *s, int w, int px)
{
	if (wr->w == w && wr->px == px && strcmp(wr->src, s) == 0)
		return;
	snprintf(wr->src, sizeof wr->src, "%s", s);
	wr->w = w;
	wr->px = px;
	wr->kind = text_resolve_dir(s) == TEXT_DIR_RTL ? P_RTL : P_LTR;
	wr->cut = 0;
	struct piece p = { wr->line1, wr->kind, px, TEXT_REGULAR, kit_pal.white };
	snprintf(wr->line1, sizeof wr->line1, "%s", s);
	if (kit_measure(&r->kit, &p) <= w)
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
		if (kit_measure(&r->kit, &p) <= w)
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

int banner_msg_lines(struct render *r, const char *msg, int w, int px)
{
	wrap_update(r, &r->wrap, msg, w, px);
	return r->wrap.cut ? 2 : 1;
}

/* Returns the height used: one or two lines. The compact banner keeps
 * its own split (a size of its own), so neither is redone every frame. */
static int banner_message(struct render *r, const struct banner_layout *bl,
			  const char *msg, SDL_Rect b, SDL_Color fg)
{
	const struct kit *k = render_kit(r);
	struct wrap *wr = bl->compact ? &r->wrap_compact : &r->wrap;
	wrap_update(r, wr, msg, b.w, bl->msg_px);
	/* a paragraph: aligned to its own start, like complaint texts */
	if (!wr->cut) {
		kit_put(k, P_DATA, msg, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
			kit_rect(b.x, b.y, b.w, b.h / 2));
		return b.h / 2;
	}
	kit_put(k, wr->kind, wr->line1, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
		kit_rect(b.x, b.y, b.w, b.h / 2));
	kit_put(k, wr->kind, msg + wr->cut, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
		kit_rect(b.x, b.y + b.h / 2, b.w, b.h - b.h / 2));
	return b.h;
}

/* The checklist of step idx, when the board follows one for this crisis. */
static bool step_state(const struct frame *f, const struct msg_crisis *c, size_t idx,
		       struct crisis_step *st)
{
	const struct crisis *cr = f->st->crisis;
	return cr && crisis_steps(cr) == c->n_playbook && crisis_step_get(cr, idx, st);
}

/* Where a lead taps to tick a step (screen rect). */
static void remember_step(struct render *r, SDL_Rect line)
{
	if (r->n_steps < MSG_PLAYBOOK_MAX)
		r->steps[r->n_steps++] = kit_mir(&r->kit, line);
}

/* "Playbook  3 of 5 done" */
static void items_heading(struct render *r, const struct frame *f, const struct msg_crisis *c,
			  int px, SDL_Rect line, SDL_Color fg)
{
	char done[16], total[16];
	const struct crisis *cr = f->st->crisis;
	bool list = cr && crisis_steps(cr) == c->n_playbook;
	snprintf(done, sizeof done, "%zu", list ? crisis_steps_done(cr) : (size_t)0);
	snprintf(total, sizeof total, "%zu", c->n_playbook);
	struct piece p[5] = {
		{ render_tr(r, STR_PLAYBOOK), P_UI, px, TEXT_BOLD, fg },
		{ done, P_DIGITS, px, TEXT_BOLD, fg },
		{ render_tr(r, STR_OF), P_UI, px, TEXT_REGULAR, fg },
		{ total, P_DIGITS, px, TEXT_BOLD, fg },
		{ render_tr(r, STR_DONE), P_UI, px, TEXT_REGULAR, fg },
	};
	kit_pieces(render_kit(r), p, list ? 5 : 1, line, false, -1);
}

/* A check mark in a layout rect, as small squares along its two strokes:
 * no font has to carry U+2713, a check reads the same way in every
 * language, and fills are what a scene records (scene.h), so the mark is
 * drawn in its turn, over the box, in a frame drawn in parts too. */
static void draw_check(struct render *r, SDL_Rect b, SDL_Color c)
{
	const struct kit *k = render_kit(r);
	int t = kit_imax(b.h / 7, 2);
	int x[3] = { b.x + b.w * 2 / 10, b.x + b.w * 4 / 10, b.x + b.w * 8 / 10 };
	int y[3] = { b.y + b.h * 5 / 10, b.y + b.h * 75 / 100, b.y + b.h * 25 / 100 };
	for (int seg = 0; seg < 2; seg++) {
		int dx = x[seg + 1] - x[seg], dy = y[seg + 1] - y[seg];
		int n = kit_imax(kit_imax(abs(dx), abs(dy)) * 2 / t, 1);
		for (int i = 0; i <= n; i++)
			kit_fill(k, kit_rect(x[seg] + dx * i / n - t / 2, y[seg] + dy * i / n - t / 2,
					     t, t), c);
	}
}

/* A step's box: empty, or ticked. */
static void step_box(struct render *r, SDL_Rect line, int px, bool done, SDL_Color fg)
{
	const struct kit *k = render_kit(r);
	int s = px * 11 / 10;
	SDL_Rect b = kit_rect(line.x, line.y + (line.h - s) / 2, s, s);
	if (done) {
		kit_fill(k, b, kit_pal.ok);
		draw_check(r, b, kit_pal.ink);
	} else {
		kit_outline(k, b, kit_imax(px / 8, 2), fg);
	}
}

/* "✓ Dana 10:22" at the end side of a done step; returns its width. */
static int step_who(struct render *r, const struct crisis_step *st, int px, SDL_Rect line,
		    SDL_Color fg)
{
	if (!st->done)
		return 0;
	char at[16];
	kit_fmt_clock(at, sizeof at, st->at, false);
	struct piece p[2] = {
		{ st->by, P_DATA, px, TEXT_BOLD, fg },
		{ at, P_DIGITS, px, TEXT_REGULAR, fg },
	};
	int cw = px, w = cw + px / 4;
	for (int i = 0; i < 2; i++)
		w += kit_measure(render_kit(r), &p[i]) + px * 3 / 10;
	w = kit_imin(w, line.w / 2);
	int x = line.x + line.w - w;
	draw_check(r, kit_rect(x, line.y + (line.h - cw) / 2, cw, cw), fg);
	kit_pieces(render_kit(r), p, 2, kit_rect(x + cw + px / 4, line.y, w - cw - px / 4, line.h),
		   false, 0);
	return w;
}

/* "+2 more": the steps with no room left, said rather than dropped (the
 * contacts, a silent feed's band and the alarm strip may leave the
 * playbook two lines in portrait). */
static const char *more_text(const struct render *r, size_t n, char *buf, size_t size)
{
	snprintf(buf, size, "+%zu %s", n, render_tr(r, STR_MORE));
	return buf;
}

/* "+2 more" at the end side of the heading. */
static void steps_more(struct render *r, size_t n, int px, SDL_Rect line, SDL_Color fg)
{
	char buf[64];
	kit_put(render_kit(r), P_UI, more_text(r, n, buf, sizeof buf), px, TEXT_BOLD, fg, AL_END,
		line);
}

/* Returns the height used. */
static int banner_items(struct render *r, const struct frame *f, const struct banner_layout *bl,
			const struct msg_crisis *c, SDL_Rect col, SDL_Color fg)
{
	const struct kit *k = render_kit(r);
	char num[8];
	int ih = bl->item_h, px = bl->item_px;
	if (!c->n_playbook)
		return 0; /* no heading over nothing */
	items_heading(r, f, c, px, kit_rect(col.x, col.y, col.w, ih), fg);
	int nw = text_digits_width(r->text, "8.", px, TEXT_BOLD) + px / 2;
	int bw = f->st->crisis ? px * 11 / 10 + px / 2 : 0;
	size_t i;
	for (i = 0; i < c->n_playbook && (int)(i + 2) * ih <= col.h; i++) {
		int y = col.y + (int)(i + 1) * ih;
		SDL_Rect line = kit_rect(col.x, y, col.w, ih);
		struct crisis_step st;
		bool list = step_state(f, c, i, &st);
		if (list) {
			step_box(r, line, px, st.done, fg);
			remember_step(r, line);
		}
		int who = list ? step_who(r, &st, px, line, fg) : 0;
		snprintf(num, sizeof num, "%u.", (unsigned)(i + 1));
		kit_put(k, P_DIGITS, num, px, TEXT_BOLD, fg, AL_START,
			kit_rect(col.x + bw, y, nw, ih));
		kit_put(k, P_DATA, c->playbook[i], px, TEXT_REGULAR, fg, AL_START,
			kit_rect(col.x + bw + nw, y, col.w - bw - nw - who, ih));
	}
	if (i < c->n_playbook)
		steps_more(r, c->n_playbook - i, px, kit_rect(col.x, col.y, col.w, ih), fg);
	return (int)(i + 1) * ih;
}

/* role | name | phone: the phone column takes what the longest number
 * needs (a cut phone number is useless), role and name share the rest. */
static void banner_contacts(struct render *r, const struct banner_layout *bl,
			    const struct msg_crisis *c, SDL_Rect col, SDL_Color fg)
{
	const struct kit *k = render_kit(r);
	int ih = bl->item_h, px = bl->item_px, pw = 0;
	if (!c->n_contacts)
		return;
	kit_put(k, P_UI, render_tr(r, STR_CONTACTS), px, TEXT_BOLD, fg, AL_START,
		kit_rect(col.x, col.y, col.w, ih));
	for (size_t i = 0; i < c->n_contacts; i++) {
		struct piece p = { c->contacts[i].phone, P_LTR, px, TEXT_BOLD, fg };
		pw = kit_imax(pw, kit_measure(k, &p));
	}
	pw = kit_imin(pw + px / 2, col.w * 6 / 10);
	int rest = col.w - pw, w1 = rest * 45 / 100;
	for (size_t i = 0; i < c->n_contacts && (int)(i + 2) * ih <= col.h; i++) {
		const struct msg_contact *ct = &c->contacts[i];
		int y = col.y + (int)(i + 1) * ih;
		kit_put(k, P_DATA, ct->role, px, TEXT_REGULAR, fg, AL_START,
			kit_rect(col.x, y, w1 - px / 2, ih));
		kit_put(k, P_DATA, ct->name, px, TEXT_BOLD, fg, AL_START,
			kit_rect(col.x + w1, y, rest - w1 - px / 2, ih));
		/* phone numbers read left to right in every language */
		kit_put(k, P_LTR, ct->phone, px, TEXT_BOLD, fg, AL_END,
			kit_rect(col.x + rest, y, pw, ih));
	}
}

/* The title's size in a box w wide: smaller rather than cut, never
 * under the message's. The floor reads the title first; "…" in it
 * hides what the crisis is. */
static int title_fit_px(struct render *r, const struct banner_layout *bl, int px,
			const char *title, int w)
{
	struct piece p = { title, P_DATA, px, TEXT_BOLD, kit_pal.white };
	return kit_fit_px(render_kit(r), &p, bl->msg_px, w);
}

/* "since 10:36"; buf holds the time. */
static void since_pieces(struct render *r, const struct banner_layout *bl,
			 const struct msg_crisis *c, SDL_Color fg, char *buf, size_t size,
			 struct piece p[2])
{
	kit_fmt_clock(buf, size, c->since, false);
	p[0] = (struct piece){ render_tr(r, STR_SINCE), P_UI, bl->msg_px, TEXT_REGULAR, fg };
	p[1] = (struct piece){ buf, P_DIGITS, bl->msg_px, TEXT_BOLD, fg };
}

/* The widths the head's pills ("CRISIS", "DRILL") and "since 10:36"
 * take on a row w wide: what banner_head draws, and what the layout
 * asks to know whether the title fits beside them. */
static void head_widths(struct render *r, const struct banner_layout *bl,
			const struct msg_crisis *c, int w, int *pw, int *sw)
{
	const struct kit *k = render_kit(r);
	int px = bl->title_px * 8 / 10;
	*pw = kit_imin(kit_pill_width(k, render_tr(r, STR_CRISIS), px), w);
	if (c->drill)
		*pw += bl->title_px / 3 +
		       kit_imin(kit_pill_width(k, render_tr(r, STR_DRILL), px), w - *pw);
	*sw = 0;
	if (c->since) {
		char buf[16];
		struct piece p[2];
		since_pieces(r, bl, c, kit_pal.white, buf, sizeof buf, p);
		*sw = kit_measure(k, &p[0]) + kit_measure(k, &p[1]) + bl->msg_px;
	}
}

/* "CRISIS" pill, title and "since 10:36"; on narrow outputs (full banner)
 * the title gets a row of its own, and on a compact banner given the
 * room for it (bl->title_row) when it would be cut beside the pills.
 * Returns the height used. */
static int banner_head(struct render *r, const struct banner_layout *bl,
		       const struct msg_crisis *c, SDL_Rect in, SDL_Color bg, SDL_Color fg)
{
	const struct kit *k = render_kit(r);
	int th = bl->title_px * (bl->compact ? 15 : 17) / 10, pw, sw;
	SDL_Rect row = kit_rect(in.x, in.y, in.w, th);
	head_widths(r, bl, c, in.w, &pw, &sw);
	int cw = kit_pill(k, render_tr(r, STR_CRISIS), bl->title_px * 8 / 10, fg, bg, true,
			  row, AL_START);
	if (c->drill) /* a practice: said as loudly as the crisis itself */
		kit_pill(k, render_tr(r, STR_DRILL), bl->title_px * 8 / 10, kit_pal.ink,
			 kit_pal.amber, true, kit_rect(row.x + cw + bl->title_px / 3, row.y,
						     row.w - cw, row.h), AL_START);
	if (c->since) {
		char buf[16];
		struct piece p[2];
		since_pieces(r, bl, c, fg, buf, sizeof buf, p);
		kit_pieces(k, p, 2, kit_rect(in.x + in.w - sw, in.y, sw, th), false, -1);
	}
	if (bl->narrow && !bl->compact) {
		kit_put(k, P_DATA, c->title, title_fit_px(r, bl, bl->title_px, c->title, in.w),
			TEXT_BOLD, fg, AL_START, kit_rect(in.x, in.y + th, in.w, th));
		return 2 * th;
	}
	if (bl->title_row) {
		int px = kit_imin(bl->title_px, bl->title_row * 10 / 15);
		kit_put(k, P_DATA, c->title, title_fit_px(r, bl, px, c->title, in.w), TEXT_BOLD,
			fg, AL_START, kit_rect(in.x, in.y + th, in.w, bl->title_row));
		return th + bl->title_row;
	}
	int tw = in.w - pw - sw - 2 * r->pad;
	kit_put(k, P_DATA, c->title, title_fit_px(r, bl, bl->title_px, c->title, tw), TEXT_BOLD,
		fg, AL_START, kit_rect(in.x + pw + r->pad, in.y, tw, th));
	return th;
}

/* Items one after another on lines of box, each moved to the next line
 * when it does not fit the rest of this one (a lone item too wide is
 * cut). Returns the lines used; *placed (may be NULL): the items that
 * found room. The first steps items are playbook boxes (remembered for a
 * tap). dry: nothing drawn, only counted. */
static int flow(struct render *r, const struct piece *const *items, const size_t *n,
		size_t count, SDL_Rect box, int line_h, int lines, size_t steps, bool dry,
		size_t *placed)
{
	const struct kit *k = render_kit(r);
	int x = 0, line = 0, gap = box.h > 0 ? line_h / 2 : 0;
	size_t i;
	for (i = 0; i < count; i++) {
		int w = 0;
		for (size_t j = 0; j < n[i]; j++)
			w += kit_measure(k, &items[i][j]) + items[i][j].px * 3 / 10;
		if (x && x + w > box.w) {
			line++;
			x = 0;
		}
		if (line >= lines)
			break;
		int cw = kit_imin(w, box.w - x);
		SDL_Rect at = kit_rect(box.x + x, box.y + line * line_h, cw, line_h);
		if (!dry)
			kit_pieces(k, items[i], n[i], at, false, (int)n[i] - 1);
		if (i < steps && !dry)
			remember_step(r, at);
		x += cw + gap;
	}
	if (placed)
		*placed = i;
	return i < count ? lines : line + 1;
}

/* The steps flowed on lines; when some have no room the last line ends
 * in "+2 more", in the place of as many steps as it needs. Returns the
 * lines used. tick: the steps are boxes to tap. */
static int flow_steps(struct render *r, const struct piece **items, size_t *n, size_t ns,
		      SDL_Rect box, int line_h, int lines, bool tick)
{
	char buf[64];
	struct piece more = { buf, P_UI, items[0][0].px, TEXT_BOLD, items[0][0].c };
	size_t k = 0, got = 0;
	flow(r, items, n, ns, box, line_h, lines, 0, true, &k);
	if (k >= ns)
		return flow(r, items, n, ns, box, line_h, lines, tick ? ns : 0, false, NULL);
	for (;; k--) {
		more_text(r, ns - k, buf, sizeof buf);
		items[k] = &more;
		n[k] = 1;
		flow(r, items, n, k + 1, box, line_h, lines, 0, true, &got);
		if (got == k + 1 || k == 0)
			break;
	}
	return flow(r, items, n, k + 1, box, line_h, lines, tick ? k : 0, false, NULL);
}

#define BANNER_ITEMS 8

/* The compact steps "1. Pause posts  2. Answer ..."; with f (NULL: only
 * measured) a done step says who did it: "3. Call the list Dana".
 * Returns how many. */
static size_t compact_steps(const struct frame *f, const struct msg_crisis *c, int px,
			    SDL_Color fg, char num[][16], struct piece steps[][3],
			    const struct piece **items, size_t *n)
{
	size_t ns = c->n_playbook < BANNER_ITEMS ? c->n_playbook : BANNER_ITEMS;
	for (size_t i = 0; i < ns; i++) {
		struct crisis_step st;
		bool done = f && step_state(f, c, i, &st) && st.done;
		snprintf(num[i], 16, "%u.", (unsigned)(i + 1));
		steps[i][0] = (struct piece){ num[i], P_DIGITS, px, TEXT_BOLD, fg };
		steps[i][1] = (struct piece){ c->playbook[i], P_DATA, px, TEXT_REGULAR, fg };
		steps[i][2] = (struct piece){ done ? st.by : "", P_DATA, px, TEXT_BOLD, kit_pal.ok };
		items[i] = steps[i];
		n[i] = done ? 3 : 2;
	}
	return ns;
}

/* The compact contacts "On call Noa +972 ..."; returns how many. */
static size_t compact_people(const struct msg_crisis *c, int px, SDL_Color fg,
			     struct piece people[][3], const struct piece **items, size_t *n)
{
	size_t nc = c->n_contacts < BANNER_ITEMS ? c->n_contacts : BANNER_ITEMS;
	for (size_t i = 0; i < nc; i++) {
		const struct msg_contact *ct = &c->contacts[i];
		people[i][0] = (struct piece){ ct->role, P_DATA, px, TEXT_REGULAR, fg };
		people[i][1] = (struct piece){ ct->name, P_DATA, px, TEXT_BOLD, fg };
		people[i][2] = (struct piece){ ct->phone, P_LTR, px, TEXT_BOLD, fg };
		items[i] = people[i];
		n[i] = 3;
	}
	return nc;
}

/* The compact body: the steps, then the contacts, each flowing on its
 * share of the lines. */
static void banner_compact(struct render *r, const struct frame *f,
			   const struct banner_layout *bl, const struct msg_crisis *c, SDL_Rect in,
			   SDL_Color fg)
{
	char num[BANNER_ITEMS][16];
	struct piece steps[BANNER_ITEMS][3], people[BANNER_ITEMS][3];
	const struct piece *items[BANNER_ITEMS];
	size_t n[BANNER_ITEMS];
	int px = bl->item_px, ih = bl->item_h;
	size_t ns = compact_steps(f, c, px, fg, num, steps, items, n);
	int lines = in.h / kit_imax(ih, 1);
	int used = ns ? flow_steps(r, items, n, ns, in, ih, lines - (c->n_contacts ? 1 : 0),
				   f->st->crisis && crisis_steps(f->st->crisis) == c->n_playbook) : 0;
	size_t nc = compact_people(c, px, fg, people, items, n);
	if (nc && lines > used)
		flow(r, items, n, nc, kit_rect(in.x, in.y + used * ih, in.w, in.h - used * ih),
		     ih, lines - used, 0, false, NULL);
}

void banner_compact_shape(struct render *r, const struct msg_crisis *c,
			  const struct banner_layout *bl, int w, struct banner_shape *s)
{
	char num[BANNER_ITEMS][16];
	struct piece steps[BANNER_ITEMS][3], people[BANNER_ITEMS][3];
	const struct piece *items[BANNER_ITEMS];
	size_t n[BANNER_ITEMS];
	int pw, sw, px = bl->item_px, all = 2 * BANNER_ITEMS;
	head_widths(r, bl, c, w, &pw, &sw);
	struct piece t = { c->title, P_DATA, bl->msg_px, TEXT_BOLD, kit_pal.white };
	s->title_cut = kit_measure(render_kit(r), &t) > w - pw - sw - 2 * r->pad;
	wrap_update(r, &r->wrap_compact, c->message, w, bl->msg_px);
	s->compact_msg_lines = r->wrap_compact.cut ? 2 : 1;
	/* lines with no end: as many as the items take, all shown (a done
	 * step's name is not counted: with it a step may want a line more,
	 * and "+1 more" says so) */
	SDL_Rect box = kit_rect(0, 0, w, 1);
	size_t ns = compact_steps(NULL, c, px, kit_pal.white, num, steps, items, n);
	s->compact_lines = ns ? flow(r, items, n, ns, box, bl->item_h, all, 0, true, NULL) : 0;
	size_t nc = compact_people(c, px, kit_pal.white, people, items, n);
	s->compact_lines += nc ? flow(r, items, n, nc, box, bl->item_h, all, 0, true, NULL) : 0;
}

void banner_draw(struct render *r, const struct frame *f, const struct msg_crisis *c)
{
	const struct kit *k = render_kit(r);
	const struct banner_layout *bl = &f->L->banner;
	SDL_Rect a = bl->area;
	/* acknowledged: steady until the crisis clears (someone is on it) */
	r->flashing = !r->cfg->flash_steady && !f->st->crisis_acked;
	bool alt = r->flashing && kit_flash_phase(f->ticks);
	SDL_Color bg = alt ? kit_pal.crisis_b : kit_pal.crisis_a;
	SDL_Color fg = alt ? kit_pal.ink : kit_pal.white;
	/* one layer: each phase is kept as a picture and copied (scene.h) */
	kit_layer_begin(k, a);
	kit_fill(k, a, bg);
	kit_outline(k, a, kit_imax(kit_pct(r->u, banner_m.edge), 2), fg);
	SDL_Rect in = kit_inset(a, r->pad, r->pad / 2);
	int y = in.y + banner_head(r, bl, c, in, bg, fg);
	if (bl->compact) {
		int mh = bl->msg_px * 16 / 10;
		if (bl->msg_wrap) /* given the room: whole on two lines */
			mh = banner_message(r, bl, c->message, kit_rect(in.x, y, in.w, 2 * mh), fg);
		else
			kit_put(k, P_DATA, c->message, bl->msg_px, TEXT_REGULAR, fg, AL_OWN,
				kit_rect(in.x, y, in.w, mh));
		banner_compact(r, f, bl, c, kit_rect(in.x, y + mh, in.w, in.y + in.h - y - mh), fg);
		kit_layer_end(k);
		r->banner_shown = true;
		return;
	}
	int mh = bl->msg_px * 34 / 10;
	y += banner_message(r, bl, c->message, kit_rect(in.x, y, in.w, mh), fg);
	y += r->pad / 2;
	int ch = in.y + in.h - y;
	if (bl->narrow) {
		/* no room kept for a heading over nothing */
		int need_p = c->n_playbook ? ((int)c->n_playbook + 1) * bl->item_h : 0;
		int need_c = c->n_contacts ? ((int)c->n_contacts + 1) * bl->item_h + r->pad / 2
					   : 0;
		int ph = need_p + need_c <= ch ? need_p : kit_imax(ch / 2, ch - need_c);
		ph = banner_items(r, f, bl, c, kit_rect(in.x, y, in.w, ph), fg);
		banner_contacts(r, bl, c, kit_rect(in.x, y + ph + r->pad / 2, in.w,
						   ch - ph - r->pad / 2), fg);
	} else {
		int w1 = kit_pct(in.w, 520);
		banner_items(r, f, bl, c, kit_rect(in.x, y, w1 - r->pad, ch), fg);
		banner_contacts(r, bl, c, kit_rect(in.x + w1 + r->pad, y, in.w - w1 - r->pad, ch),
				fg);
	}
	kit_layer_end(k);
	r->banner_shown = true;
}
