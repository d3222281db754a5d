/* layout.c - where everything goes, from the output size and the metrics.
 *
 * Every size is a named field of one metrics struct per region, in
 * permille of the output's smaller side u, so the proportions hold at
 * 800x480 and at 3840x2160, landscape or portrait (3840x2160 is 1920x1080
 * scaled). Geometry is left to right; the views mirror it (kit_mir).
 *
 * The list of breaches is what the board is for, so it gets the room:
 * top to bottom header, crisis banner, channels, list, alarm strip. When
 * the list would not hold every breach, the channel tiles become one
 * compact row of cells (the floor sees breaches before channel details);
 * when it would keep fewer rows than it promises (list_m.min_rows, or
 * fewer breaches than that), the crisis banner becomes compact too (one
 * line each: title, message, numbered steps, contacts). When every
 * breach fits under it, the banner is as tall as its text (the whole
 * playbook), up to banner_m.tall_share_pct of the room; a compact banner
 * takes the room the list leaves under every breach, for the title whole
 * on a row of its own, then the message whole, then more steps and
 * contacts (layout_roomy). The strip takes
 * at most two rows. Variants are computed once and kept. */
#include <string.h>

#include "render_int.h"
#include "util.h"

const struct header_metrics header_m = {
	.row = 120, .site_px = 42, .site_least_px = 30, .label_px = 22, .value_px = 46,
	.clock_px = 70, .conn_px = 26, .portrait_aspect = 14,
};

const struct tiles_metrics tiles_m = {
	.tile_w = 300, .tile_w_many = 200, .tile_h = 300, .compact_below = 240,
	.share_one_pct = 480, .share_two_pct = 600,
	.name_px = 105, .count_px = 280, .label_px = 70, .detail_px = 80,
	.compact_name_px = 200, .compact_count_px = 300, .compact_label_px = 150,
	.stacked_count_px = 230, .stacked_label_px = 75,
	.cell_line = 37, .cell_name_px = 28, .cell_label_px = 24,
	.accent = 9, .edge = 5, .edge_ok = 2,
};

const struct list_metrics list_m = {
	.text_px = 30, .text_floor_px = 15, .time_px = 34, .mark_px = 20,
	.title_px = 26, .title_h = 40, .row_h = 52, .gap = 3, .edge = 5,
	.fire_edge = 6, .esc_edge = 10, .progress_h = 4, .title_lift = 250,
	.mark_w = 80, .mark_w_narrow = 62,
	.min_rows = { { 12, 7 }, { 20, 12 } },
	.narrow_aspect = 15,
};

const struct banner_metrics banner_m = {
	.full_h = 360, .narrow_h = 700, .max_share_pct = 480, .tall_share_pct = 700,
	.title_px = 52, .msg_px = 32, .item_px = 28, .item_h = 44,
	.compact_title_px = 40, .compact_msg_px = 28, .compact_item_px = 26,
	.compact_item_h = 36, .compact_steps_lines = 2, .compact_contact_lines = 1,
	.edge = 5,
};


static int pc(const struct render *r, int permille)
{
	return kit_pct(r->u, permille);
}

static bool portrait(const struct render *r)
{
	return r->w * 10 < r->u * list_m.narrow_aspect;
}

/* ---------------------------------------------------------------- header */

static void layout_header(const struct render *r, struct header_layout *hd)
{
	const struct header_metrics *m = &header_m;
	int W = r->w, u = r->u, p = r->pad, in = W - 2 * p;
	bool two = W * 10 < r->h * m->portrait_aspect;
	int row = pc(r, m->row);

	hd->all = kit_rect(0, 0, W, two ? row * 2 : row);
	hd->site_px = kit_px(u, m->site_px);
	hd->site_least_px = kit_px(u, m->site_least_px);
	hd->label_px = kit_px(u, m->label_px);
	hd->value_px = kit_px(u, m->value_px);
	hd->clock_px = kit_px(u, m->clock_px);
	hd->conn_px = kit_px(u, m->conn_px);
	if (!two) {
		hd->site = kit_rect(p, 0, kit_pct(in, 320), row);
		for (int i = 0; i < 3; i++)
			hd->kpi[i] = kit_rect(p + kit_pct(in, 340 + 95 * i), 0,
					      kit_pct(in, i == 2 ? 140 : 85), row);
		hd->conn = kit_rect(p + kit_pct(in, 685), 0, kit_pct(in, 185), row);
		hd->clock = kit_rect(p + kit_pct(in, 875), 0, in - kit_pct(in, 875), row);
		return;
	}
	hd->site = kit_rect(p, 0, kit_pct(in, 640), row);
	hd->clock = kit_rect(p + kit_pct(in, 660), 0, in - kit_pct(in, 660), row);
	for (int i = 0; i < 3; i++)
		hd->kpi[i] = kit_rect(p + kit_pct(in, 220 * i), row,
				      kit_pct(in, i == 2 ? 280 : 200), row);
	hd->conn = kit_rect(p + kit_pct(in, 700), row, in - kit_pct(in, 700), row);
}

/* ----------------------------------------------------------------- tiles */

/* Compact tiles put both counts and their labels on one line when that
 * fits the tile; otherwise each count stands over its label. */
static void compact_fit(struct render *r, struct tiles_layout *t, int s, int inner_w)
{
	const struct kit *k = &r->kit;
	struct piece p[3] = {
		{ render_tr(r, STR_OPEN), P_UI, t->label_px, TEXT_REGULAR, kit_pal.muted },
		{ render_tr(r, STR_BREACHED), P_UI, t->label_px, TEXT_REGULAR, kit_pal.muted },
		{ "000", P_DIGITS, t->count_px, TEXT_BOLD, kit_pal.text },
	};
	int need = kit_measure(k, &p[0]) + kit_measure(k, &p[1]) +
		   2 * kit_measure(k, &p[2]) + 3 * t->count_px * 3 / 10;
	t->stacked = need > inner_w;
	if (t->stacked) {
		t->count_px = kit_imax(kit_pct(s, tiles_m.stacked_count_px), kit_min_px(r->u));
		t->label_px = kit_imax(kit_pct(s, tiles_m.stacked_label_px), kit_min_px(r->u));
	}
}

/* Font sizes of a tile of height s (permille of the tile, never below the
 * board's minimum). */
static void tile_fonts(struct render *r, struct tiles_layout *t, int s, int tw)
{
	const struct tiles_metrics *m = &tiles_m;
	int u = r->u, least = kit_min_px(u);
	if (t->compact) {
		t->name_px = kit_imax(kit_imin(kit_pct(s, m->compact_name_px),
					       kit_pct(u, 40)), least);
		t->count_px = kit_imax(kit_imin(kit_pct(s, m->compact_count_px),
						kit_pct(u, 60)), least);
		t->label_px = kit_imax(kit_imin(kit_pct(s, m->compact_label_px),
						kit_pct(u, 26)), least);
		compact_fit(r, t, s, tw - 2 * kit_pct(kit_imin(s, tw), 50) - pc(r, m->accent));
		t->detail_px = t->label_px;
		t->strip_px = kit_imax(kit_pct(s, 260) * 45 / 100, least);
		return;
	}
	t->name_px = kit_imax(kit_pct(s, m->name_px), least);
	t->count_px = kit_imax(kit_pct(s, m->count_px), least);
	t->label_px = kit_imax(kit_pct(s, m->label_px), least);
	t->detail_px = kit_imax(kit_pct(s, m->detail_px), least);
	t->strip_px = t->detail_px;
}

/* Grid of tiles in avail; returns the height used. */
static int layout_tiles(struct render *r, SDL_Rect avail, struct tiles_layout *t)
{
	const struct tiles_metrics *m = &tiles_m;
	int gap = r->pad / 2;
	size_t n = r->n_channels;
	t->n = n;
	t->area = kit_rect(avail.x, avail.y, avail.w, 0);
	if (!n)
		return 0;
	int cols_max = kit_imax(1, (avail.w + gap) / (pc(r, m->tile_w) + gap));
	if (((int)n + cols_max - 1) / cols_max > 2) /* many: narrower, compact */
		cols_max = kit_imax(1, (avail.w + gap) / (pc(r, m->tile_w_many) + gap));
	int rows = ((int)n + cols_max - 1) / cols_max;
	int cols = ((int)n + rows - 1) / rows;
	int cap = kit_pct(avail.h, rows > 1 ? m->share_two_pct : m->share_one_pct);
	int th = kit_imin(pc(r, m->tile_h), (cap - (rows - 1) * gap) / rows);
	int tw = (avail.w - (cols - 1) * gap) / cols;
	th = kit_imax(th, 1);
	t->compact = th < pc(r, m->compact_below);
	tile_fonts(r, t, th, tw);
	for (size_t i = 0; i < n; i++) {
		int row = (int)i / cols, col = (int)i % cols;
		t->tile[i] = kit_rect(avail.x + col * (tw + gap),
				      avail.y + row * (th + gap), tw, th);
	}
	t->area.h = rows * th + (rows - 1) * gap;
	return t->area.h;
}

/* The compact row: a cell per channel, two lines (name; counts and
 * state), all channels on one row when their names fit, else two rows. */
static int layout_cells(struct render *r, SDL_Rect avail, struct tiles_layout *t)
{
	const struct tiles_metrics *m = &tiles_m;
	int gap = r->pad / 2, n = (int)r->n_channels;
	t->n = (size_t)n;
	t->cells = true;
	t->compact = t->stacked = false;
	t->area = kit_rect(avail.x, avail.y, avail.w, 0);
	if (!n)
		return 0;
	t->name_px = t->count_px = kit_px(r->u, m->cell_name_px);
	t->label_px = t->detail_px = t->strip_px = kit_px(r->u, m->cell_label_px);
	int name_w = 0;
	for (int i = 0; i < n; i++) {
		struct piece p = { r->chan_name[i], P_DATA, t->name_px, TEXT_BOLD, kit_pal.text };
		name_w = kit_imax(name_w, kit_measure(&r->kit, &p));
	}
	/* one row, or two (evenly filled) when the longest name does not fit */
	int inner = pc(r, m->accent) + 2 * pc(r, 10), rows = 1, cols = n;
	if (n > 1 && (avail.w - (cols - 1) * gap) / cols < name_w + inner) {
		rows++;
		cols = (n + rows - 1) / rows;
	}
	int cw = (avail.w - (cols - 1) * gap) / cols, ch = 2 * pc(r, m->cell_line);
	/* never past the output, however little room the banner left */
	ch = kit_imax(kit_imin(ch, (r->h - avail.y - (rows - 1) * gap) / rows), 1);
	avail.y = kit_imax(kit_imin(avail.y, r->h - rows * (ch + gap)), 0);
	for (int i = 0; i < n; i++)
		t->tile[i] = kit_rect(avail.x + (i % cols) * (cw + gap),
				      avail.y + (i / cols) * (ch + gap), cw, ch);
	t->area.h = rows * ch + (rows - 1) * gap;
	return t->area.h;
}

/* ------------------------------------------------------------------ list */

/* The widest channel name the board knows, at the rows' size. */
static int widest_channel(struct render *r, int px)
{
	int w = 0;
	for (size_t i = 0; i < r->n_channels && i < MODEL_MAX_CHANNELS; i++) {
		struct piece p = { r->chan_name[i], P_DATA, px, TEXT_REGULAR, kit_pal.text };
		w = kit_imax(w, kit_measure(&r->kit, &p));
	}
	return w;
}

static void list_columns(struct render *r, struct list_layout *l)
{
	int g = kit_imax(r->u / 100, 2);
	int tw = text_digits_width(r->text, "+00:00:00", l->time_px, TEXT_BOLD);
	int w[N_COLS];
	w[COL_TIME] = kit_imax(tw, l->time_px * 4) + g;
	w[COL_MARK] = pc(r, portrait(r) ? list_m.mark_w_narrow : list_m.mark_w);
	int rest = l->area.w - w[COL_TIME] - w[COL_MARK] - 3 * g;
	/* shares of the rest; portrait drops the assignee for the text */
	static const int wide[] = { 0, 0, 120, 170, 150, 560 };
	static const int narrow[] = { 0, 0, 210, 210, 0, 580 };
	const int *share = portrait(r) ? narrow : wide;
	int x = g;
	for (int c = 0; c < N_COLS; c++) {
		if (c >= COL_CHANNEL)
			w[c] = share[c] ? kit_pct(rest, share[c]) - g : 0;
		/* "Instagr…" is no channel: its column takes what the widest
		 * name needs, up to half as much again; the text gives way */
		if (c == COL_CHANNEL)
			w[c] = kit_imax(w[c], kit_imin(widest_channel(r, l->text_px),
						       kit_pct(rest, share[c] * 3 / 2) - g));
		l->col_x[c] = x;
		l->col_w[c] = w[c];
		x += w[c] + (w[c] ? g : 0);
	}
	l->col_w[COL_TEXT] = l->area.w - l->col_x[COL_TEXT] - g;
}

static void layout_list(struct render *r, SDL_Rect area, struct list_layout *l)
{
	const struct list_metrics *m = &list_m;
	int u = r->u;
	l->area = area;
	l->text_px = kit_imax(kit_px(u, m->text_px), m->text_floor_px);
	l->time_px = kit_imax(kit_px(u, m->time_px), m->text_floor_px);
	l->mark_px = kit_px(u, m->mark_px);
	l->title_px = kit_px(u, m->title_px);
	l->title_h = pc(r, m->title_h);
	l->row_h = kit_imax(pc(r, m->row_h), 1);
	l->fit = area.h > l->title_h ? (area.h - l->title_h) / l->row_h : 0;
	list_columns(r, l);
	if (l->col_w[COL_TEXT] < l->text_px)
		l->fit = 0; /* too narrow to list anything readable */
}

/* ---------------------------------------------------------------- banner */

/* The height the full banner's text takes (banner.c draws it so):
 * margins, head (two rows when narrow), message, then the playbook and
 * the contacts, side by side or stacked, each with its heading. An
 * empty band under a short crisis would take rows the list needs. */
static int banner_need(const struct render *r, const struct banner_layout *b)
{
	const struct banner_shape *s = &r->shape;
	int th = b->title_px * 17 / 10 * (b->narrow ? 2 : 1);
	int mh = b->msg_px * 34 / 10;
	int msg = s->msg_lines > 1 ? mh : mh / 2;
	int ih = b->item_h;
	int steps = s->steps ? ((int)s->steps + 1) * ih : 0;
	int people = s->contacts ? ((int)s->contacts + 1) * ih : 0;
	int items = b->narrow ? steps + (people ? r->pad / 2 + people : 0)
			      : kit_imax(steps, people);
	return r->pad + th + msg + (items ? r->pad / 2 + items : 0);
}

static void compact_sizes(const struct render *r, struct banner_layout *b)
{
	const struct banner_metrics *m = &banner_m;
	b->compact = true;
	b->title_px = kit_px(r->u, m->compact_title_px);
	b->msg_px = kit_px(r->u, m->compact_msg_px);
	b->item_px = kit_px(r->u, m->compact_item_px);
	b->item_h = pc(r, m->compact_item_h);
}

/* What the compact banner says more in spare px, most needed first: the
 * title whole on a row of its own (at least the message's size), the
 * message whole on two lines, then lines for the steps and contacts it
 * left out ("+2 more"). Returns the height that takes, never over spare. */
static int compact_more(const struct render *r, struct banner_layout *b, int lines,
			int spare)
{
	const struct banner_shape *s = &r->shape;
	int left = spare, mh = b->msg_px * 16 / 10;
	if (s->title_cut && left >= b->msg_px * 15 / 10) {
		b->title_row = kit_imin(b->title_px * 15 / 10, left);
		left -= b->title_row;
	}
	if (s->compact_msg_lines > 1 && left >= mh) {
		b->msg_wrap = true;
		left -= mh;
	}
	int more = kit_imin(kit_imax(s->compact_lines - lines, 0), left / kit_imax(b->item_h, 1));
	left -= more * b->item_h;
	return spare - left;
}

static void layout_banner(const struct render *r, int y, int room, int v,
			  struct banner_layout *b)
{
	bool compact = v & V_COMPACT_BANNER;
	const struct banner_metrics *m = &banner_m;
	const struct banner_shape *s = &r->shape;
	int W = r->w, u = r->u, p = r->pad;
	b->narrow = portrait(r);
	b->compact = compact;
	if (compact) {
		compact_sizes(r, b);
		int lines = (s->steps ? m->compact_steps_lines : 0) +
			    (s->contacts ? m->compact_contact_lines : 0);
		int bh = b->title_px * 15 / 10 + b->msg_px * 16 / 10 + lines * b->item_h + p;
		if (v & V_TALL_BANNER)
			bh += compact_more(r, b, lines, r->banner_spare);
		b->area = kit_rect(p, y, W - 2 * p, kit_imin(bh, room));
		return;
	}
	b->title_px = kit_px(u, m->title_px);
	b->msg_px = kit_px(u, m->msg_px);
	b->item_px = kit_px(u, m->item_px);
	b->item_h = pc(r, m->item_h);
	int bh = b->narrow ? pc(r, m->narrow_h) : pc(r, m->full_h);
	bh = kit_imin(bh, kit_pct(room, m->max_share_pct));
	if (v & V_TALL_BANNER)
		bh = kit_pct(room, m->tall_share_pct);
	bh = kit_imin(bh, banner_need(r, b));
	b->area = kit_rect(p, y, W - 2 * p, bh);
}

/* A key of what the compact banner's measures depend on: its texts and
 * the output's width, language and digits. */
static uint64_t crisis_key(const struct render *r, const struct msg_crisis *c)
{
	int64_t out[5] = { r->w, r->u, r->lang, r->kit.digits, c->since };
	uint64_t h = util_fnv1a(UTIL_FNV1A_SEED, out, sizeof out);
	h = util_fnv1a(h, &c->drill, sizeof c->drill);
	h = util_fnv1a(h, c->title, strlen(c->title) + 1);
	h = util_fnv1a(h, c->message, strlen(c->message) + 1);
	for (size_t i = 0; i < c->n_playbook && i < MSG_PLAYBOOK_MAX; i++)
		h = util_fnv1a(h, c->playbook[i], strlen(c->playbook[i]) + 1);
	for (size_t i = 0; i < c->n_contacts && i < MSG_CONTACTS_MAX; i++) {
		const struct msg_contact *ct = &c->contacts[i];
		h = util_fnv1a(h, ct->role, strlen(ct->role) + 1);
		h = util_fnv1a(h, ct->name, strlen(ct->name) + 1);
		h = util_fnv1a(h, ct->phone, strlen(ct->phone) + 1);
	}
	return h;
}

/* The variants with every bit of bits are laid out again when next
 * asked for (variant() below): what they were measured from changed. */
static void variants_forget(struct render *r, int bits)
{
	for (int v = 0; v < N_VARIANTS; v++)
		if ((v & bits) == bits)
			r->lay_valid[v] = false;
}

static bool shape_same(const struct banner_shape *a, const struct banner_shape *b)
{
	return a->steps == b->steps && a->contacts == b->contacts &&
	       a->msg_lines == b->msg_lines && a->title_cut == b->title_cut &&
	       a->compact_msg_lines == b->compact_msg_lines &&
	       a->compact_lines == b->compact_lines;
}

void layout_banner_shape(struct render *r, const struct msg_crisis *c)
{
	struct banner_shape s = { 0 };
	if (c) {
		/* measuring rasterises: only for a crisis (or an output) not
		 * measured yet, not every frame; the key covers all it reads */
		s.key = crisis_key(r, c);
		if (s.key == r->shape.key)
			return;
		/* the message's width inside the banner (banner_draw) */
		int w = r->w - 4 * r->pad;
		s.steps = c->n_playbook;
		s.contacts = c->n_contacts;
		s.msg_lines = banner_msg_lines(r, c->message, w, kit_px(r->u, banner_m.msg_px));
		struct banner_layout b = { .narrow = portrait(r) };
		compact_sizes(r, &b);
		banner_compact_shape(r, c, &b, w, &s);
	}
	bool same = shape_same(&s, &r->shape);
	r->shape = s;
	if (!same)
		variants_forget(r, V_CRISIS);
}

/* --------------------------------------------------------------- variant */

/* The strip: at the bottom, full width, alarm_rows rows. */
static SDL_Rect layout_alarms(const struct render *r)
{
	int p = r->pad, rh = kit_imax(pc(r, strip_m.row_h), 1);
	int sh = r->alarm_rows * rh;
	return kit_rect(p, r->h - p / 2 - sh, r->w - 2 * p, sh);
}

static void layout_variant(struct render *r, int v, struct layout *L)
{
	int W = r->w, H = r->h, u = r->u, p = r->pad;
	memset(L, 0, sizeof *L);
	layout_header(r, &L->hd);
	int y = L->hd.all.h + p / 2;
	if (v & V_BAND) {
		L->band = kit_rect(0, L->hd.all.h, W, kit_pct(u, 70));
		y = L->band.y + L->band.h + p / 2;
	}
	L->body = kit_rect(0, y - p / 2, W, H - y + p / 2);
	int bottom = H;
	if (r->alarm_rows > 0) {
		L->alarms = layout_alarms(r);
		bottom = L->alarms.y - p / 2;
	}
	if (v & V_CRISIS) {
		layout_banner(r, y, bottom - y, v, &L->banner);
		y += L->banner.area.h + p / 2;
	}
	SDL_Rect avail = kit_rect(p, y, W - 2 * p, bottom - y - p);
	int th = v & V_COMPACT_TILES ? layout_cells(r, avail, &L->tiles)
				     : layout_tiles(r, avail, &L->tiles);
	if (th)
		y += th + p / 2;
	layout_list(r, kit_rect(p, y, W - 2 * p, bottom - y), &L->list);
}

static const struct layout *variant(struct render *r, int v)
{
	if (!r->lay_valid[v]) {
		layout_variant(r, v, &r->lay[v]);
		r->lay_valid[v] = true;
	}
	return &r->lay[v];
}

int layout_min_rows(const struct render *r, bool crisis)
{
	return list_m.min_rows[portrait(r)][crisis];
}

/* The room the list of L leaves under all rows, in px. */
static int list_spare(const struct layout *L, int all)
{
	const struct list_layout *l = &L->list;
	if (l->fit < all)
		return 0;
	return kit_imax(l->area.h - l->title_h - all * l->row_h, 0);
}

/* The compact banner v with the room the list leaves under every breach
 * (its tall variant): laid out again when that room changes. */
static int layout_roomy(struct render *r, int v, int all)
{
	int spare = list_spare(variant(r, v), all);
	if (!spare)
		return v;
	if (spare != r->banner_spare) {
		r->banner_spare = spare;
		variants_forget(r, V_COMPACT_BANNER | V_TALL_BANNER);
	}
	variant(r, v | V_TALL_BANNER);
	return v | V_TALL_BANNER;
}

int layout_choose(struct render *r, int base, int need, int all)
{
	int v = base;
	/* every breach listed under the whole playbook: nothing hidden */
	if ((v & V_CRISIS) && variant(r, v | V_TALL_BANNER)->list.fit >= all)
		return v | V_TALL_BANNER;
	if (variant(r, v)->list.fit >= all)
		return v;
	v |= V_COMPACT_TILES;
	if (variant(r, v)->list.fit >= need || !(base & V_CRISIS))
		return v;
	v |= V_COMPACT_BANNER;
	return layout_roomy(r, v, all);
}

void layout_update(struct render *r, int w, int h, size_t n, int alarm_rows, bool names)
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
	r->u = kit_imax(kit_imin(w, h), 1);
	r->pad = kit_imax(kit_pct(r->u, 20), 2);
	r->kit.w = w;
	r->kit.mirror = r->kit.rtl = r->mirror;
	r->kit.lang = r->lang;
	r->kit.digits = r->cfg->digits;
	/* the digit cells of every view drawing through this text */
	text_set_digit_zero(r->text, i18n_digit_zero(r->lang, r->cfg->digits));
	memset(r->lay_valid, 0, sizeof r->lay_valid);
	r->valid = true;
}
