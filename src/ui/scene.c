/* scene.c - see scene.h. */
#include "scene.h"

#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "draw.h"
#include "log.h"
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* More damaged rects than this are drawn as their union: each rect is a
 * pass over the operations. */
#define RECTS_MAX (SCENE_RECTS_MAX - 1)
/* Damage closer than this is merged: one pass instead of two... */
#define MERGE_GAP 2
/* ...unless the union would draw more than 1/8 more pixels than the two:
 * a thin bar near a row must not redraw the row's texts. */
#define MERGE_WASTE 8
/* Pictures of layers kept: the two phases of three flashing layers (the
 * crisis banner and two alarm strip lines). */
#define LAYER_KEPT 6
/* Layers drawn lately, to tell a flashing one (drawn before) from one
 * drawn once. */
#define LAYER_DRAWN 8
/* A picture not copied in this many frames goes (its layer stopped
 * flashing, or is gone). */
#define KEPT_FRAMES 16
/* A picture keeps at most this many parts (a banner's words and lines,
 * not the background between them); uniform columns closer than
 * PART_GAP join two parts (each part is one copy a frame). */
#define KEPT_PARTS 32
#define PART_GAP 16

enum op_kind { OP_FILL, OP_OUTLINE, OP_DISC, OP_TEXT, OP_DIGITS, OP_LAYER };

struct op {
	uint64_t hash;
	SDL_Rect ext;              /* the pixels it may touch */
	SDL_Rect a;                /* the shape's rect; a text's box */
	SDL_Color c;
	int t;                     /* outline thickness */
	struct text_style st;
	size_t str;                /* offset of the text in the frame's strings */
	size_t end;                /* OP_LAYER: the index after its last member */
	enum op_kind kind;
	bool live;                 /* a layer's ticking number: not in its picture */
};

struct runs;
static void runs_free(struct runs *r);

/* A layer's picture, taken from the frame after it was drawn whole. */
struct kept {
	uint64_t hash;             /* the layer's; 0: empty */
	SDL_Texture *tex;
	struct runs *runs;         /* or the whole picture as runs of pixels
	                              (direct_output): then no tex, no parts */
	SDL_Rect a, vp;            /* where, and the viewport it was taken in */
	/* The parts of a that differ from its fill (rel. to a), and where
	 * each lies in tex. */
	SDL_Rect part[KEPT_PARTS], at[KEPT_PARTS];
	int n_parts;
	uint64_t px;               /* pixels held: not the fill (runs), or the parts' */
	int under;                 /* the layer's first ops, drawn under them */
	uint64_t used;             /* frame last copied or taken */
};

/* What a frame keeps of the last one: its operations' hashes and rects,
 * sorted by hash. */
struct seen {
	uint64_t hash;
	SDL_Rect ext;
};

struct scene {
	SDL_Renderer *ren;
	struct text *text;
	bool keeps_backbuffer;     /* the software renderer */
	SDL_Texture *target;       /* the persistent frame otherwise */
	int w, h;
	bool whole;                /* draw the next frame whole */

	struct op *ops;
	size_t n_ops, cap_ops;
	char *strs;
	size_t n_strs, cap_strs;
	struct seen *last, *now, *sorting; /* sorting: radix sort's other half */
	size_t n_last, cap_last, cap_now, n_now, cap_sorting;
	size_t layer_open;         /* 1 + the open layer's op; 0: none */
	bool layered;              /* this frame recorded a layer */
	uint64_t frame;
	struct kept kept[LAYER_KEPT];
	uint64_t drawn_layers[LAYER_DRAWN]; /* hashes of layers drawn lately */
	size_t next_drawn;
	SDL_Rect rects[RECTS_MAX + 1];
	size_t n_rects;
	SDL_Surface *out;          /* while drawing (draw_damage): direct_output(),
	                              or NULL; what draws asks this, not SDL again */
	const void *large_pages;   /* the output's pixels asked for 2 MB pages */
	Uint32 *row;               /* a row being composed from runs */
	size_t cap_row;
	bool check;                /* compare every frame with a whole redraw */
	bool no_pictures;          /* drawing whole for that comparison */
	Uint32 *check_px;          /* the frame as drawn, then as drawn whole */
	size_t check_cap;
};

struct scene *scene_create(SDL_Renderer *ren, struct text *text)
{
	struct scene *s = calloc(1, sizeof *s);
	if (!s) {
		log_error("scene", "out of memory");
		return NULL;
	}
	s->ren = ren;
	s->text = text;
	SDL_RendererInfo info;
	s->keeps_backbuffer = SDL_GetRendererInfo(ren, &info) == 0 &&
			      strcmp(info.name, "software") == 0;
	s->whole = true;
	return s;
}

void scene_destroy(struct scene *s)
{
	if (!s)
		return;
	if (s->target)
		SDL_DestroyTexture(s->target);
	for (size_t i = 0; i < LAYER_KEPT; i++) {
		if (s->kept[i].tex)
			SDL_DestroyTexture(s->kept[i].tex);
		runs_free(s->kept[i].runs);
	}
	free(s->row);
	free(s->ops);
	free(s->strs);
	free(s->last);
	free(s->now);
	free(s->sorting);
	free(s->check_px);
	free(s);
}

size_t scene_rects(const struct scene *s, SDL_Rect *out, size_t max)
{
	size_t n = s && s->n_rects < max ? s->n_rects : s ? max : 0;
	if (n)
		memcpy(out, s->rects, n * sizeof *out);
	return n;
}

void scene_set_check(struct scene *s, bool on)
{
	if (s)
		s->check = on;
}

void scene_forget(struct scene *s)
{
	if (s)
		s->whole = true;
}

void scene_begin(struct scene *s)
{
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(s->ren, &w, &h);
	if (w != s->w || h != s->h) {
		s->w = w;
		s->h = h;
		s->whole = true;
		if (s->target)
			SDL_DestroyTexture(s->target);
		s->target = NULL;
	}
	s->n_ops = s->n_strs = 0;
	s->layer_open = 0;
	s->layered = false;
	s->frame++;
}

static struct op *op_add(struct scene *s, enum op_kind kind, SDL_Rect a, SDL_Color c)
{
	if (!UTIL_ARRAY_ROOM(s->ops, s->n_ops, s->cap_ops, 256, 1u << 20)) {
		s->whole = true; /* cannot record: the next frame is drawn whole */
		return NULL;
	}
	struct op *o = &s->ops[s->n_ops++];
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->a = o->ext = a;
	o->c = c;
	return o;
}

void scene_fill(struct scene *s, SDL_Rect a, SDL_Color c)
{
	if (a.w > 0 && a.h > 0)
		op_add(s, OP_FILL, a, c);
}

void scene_outline(struct scene *s, SDL_Rect a, int t, SDL_Color c)
{
	struct op *o = a.w > 0 && a.h > 0 ? op_add(s, OP_OUTLINE, a, c) : NULL;
	if (o)
		o->t = t;
}

void scene_disc(struct scene *s, SDL_Rect a, SDL_Color c)
{
	struct op *o = op_add(s, OP_DISC, a, c);
	if (o) /* draw_disc's lines reach one pixel past the radius */
		o->ext = (SDL_Rect){ a.x - 1, a.y - 1, a.w + 2, a.h + 2 };
}

int scene_text(struct scene *s, const char *str, const struct text_style *st, SDL_Rect box,
	       bool digits)
{
	SDL_Rect ext;
	int w = digits ? text_place_digits(s->text, str, st, &box, &ext)
		       : text_place(s->text, str, st, &box, &ext);
	if (ext.w <= 0 || ext.h <= 0)
		return w;
	size_t len = strlen(str) + 1;
	char *strs = s->strs;
	size_t cap = s->cap_strs;
	while (s->n_strs + len > cap)
		cap = cap ? cap * 2 : 16384;
	if (cap != s->cap_strs) {
		strs = realloc(s->strs, cap);
		if (!strs) {
			s->whole = true;
			return w;
		}
		s->strs = strs;
		s->cap_strs = cap;
	}
	struct op *o = op_add(s, digits ? OP_DIGITS : OP_TEXT, box, st->color);
	if (!o)
		return w;
	o->ext = ext;
	o->st = *st;
	o->str = s->n_strs;
	memcpy(s->strs + s->n_strs, str, len);
	s->n_strs += len;
	return w;
}

void scene_layer_begin(struct scene *s, SDL_Rect a)
{
	if (s->layer_open || a.w <= 0 || a.h <= 0)
		return; /* not nested: the inner ops belong to the outer layer */
	struct op *o = op_add(s, OP_LAYER, a, (SDL_Color){ 0, 0, 0, 0 });
	if (!o)
		return;
	o->end = s->n_ops;
	s->layer_open = s->n_ops; /* 1 + its index */
	s->layered = true;
}

void scene_layer_end(struct scene *s)
{
	if (!s->layer_open)
		return;
	struct op *l = &s->ops[s->layer_open - 1];
	l->end = s->n_ops;
	/* a layer draws inside its rect (a glyph's edge may reach a pixel
	 * past it): its picture is then all its own */
	for (size_t j = s->layer_open; j < l->end; j++)
		if (!SDL_IntersectRect(&s->ops[j].ext, &l->a, &s->ops[j].ext))
			s->ops[j].ext = (SDL_Rect){ l->a.x, l->a.y, 0, 0 };
	/* A ticking number (digits) that nothing later in the layer covers
	 * is live: left out of the layer's hash and picture and drawn over
	 * the picture, so a line whose timer ticks while it flashes is still
	 * two pictures and one number. */
	for (size_t j = s->layer_open; j < l->end; j++) {
		struct op *o = &s->ops[j];
		o->live = o->kind == OP_DIGITS;
		for (size_t k = j + 1; o->live && k < l->end; k++)
			o->live = !SDL_HasIntersection(&s->ops[k].ext, &o->ext);
	}
	s->layer_open = 0;
}

/* ---- damage ---- */

/* Hashing words, not bytes: FNV-1a took a byte at a time, 32 us of a
 * flash frame's 171 operations (about as much as drawing the header).
 * Each 64-bit word goes through splitmix64's finaliser, so any bit
 * changed reaches every bit of the hash. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w + 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static uint64_t mix_ints(uint64_t h, const int *v, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		h = mix(h, (uint64_t)(uint32_t)v[i] << 32 | (uint32_t)v[i + 1]);
	return n % 2 ? mix(h, (uint32_t)v[n - 1]) : h;
}

/* The string's bytes 8 at a time; its length ends it, so "ab" and
 * "ab\0\0" (padding) differ. */
static uint64_t mix_str(uint64_t h, const char *str)
{
	size_t n = strlen(str), i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, str + i, 8);
		h = mix(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, str + i, n - i);
	return mix(mix(h, w), n);
}

static uint64_t op_hash(const struct scene *s, const struct op *o)
{
	int v[10] = { (int)o->kind, o->a.x, o->a.y, o->a.w, o->a.h, o->c.r, o->c.g, o->c.b,
		      o->c.a, o->t };
	uint64_t h = mix_ints(UTIL_FNV1A_SEED, v, 10);
	if (o->kind == OP_TEXT || o->kind == OP_DIGITS) {
		int st[5] = { o->st.px, (int)o->st.weight, (int)o->st.dir, (int)o->st.align,
			      o->ext.x };
		h = mix_str(mix_ints(h, st, 5), s->strs + o->str);
	}
	return h;
}

/* Sorts s->now by hash: a radix sort, a byte a pass (qsort's calls to
 * a comparison were half of hashing a frame). false: out of memory. */
static bool sort_seen(struct scene *s)
{
	if (s->cap_sorting < s->n_now) {
		struct seen *t = realloc(s->sorting, s->cap_now * sizeof *t);
		if (!t)
			return false;
		s->sorting = t;
		s->cap_sorting = s->cap_now;
	}
	struct seen *from = s->now, *to = s->sorting;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t at[256] = { 0 };
		for (size_t i = 0; i < s->n_now; i++)
			at[from[i].hash >> shift & 255]++;
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < s->n_now; i++)
			to[at[from[i].hash >> shift & 255]++] = from[i];
		struct seen *t = from;
		from = to;
		to = t;
	}
	return true; /* eight passes: the sorted array is s->now again */
}

static uint64_t area(const SDL_Rect *r)
{
	return (uint64_t)r->w * (uint64_t)r->h;
}

/* Worth drawing as one: close, and their union is not much more than
 * the two (each rect is a pass over the operations, but every pixel
 * redrawn costs a fill and the texts over it). */
static bool near(const SDL_Rect *a, const SDL_Rect *b)
{
	SDL_Rect g = { a->x - MERGE_GAP, a->y - MERGE_GAP, a->w + 2 * MERGE_GAP,
		       a->h + 2 * MERGE_GAP }, u;
	if (!SDL_HasIntersection(&g, b))
		return false;
	SDL_UnionRect(a, b, &u);
	return area(&u) * MERGE_WASTE <= (area(a) + area(b)) * (MERGE_WASTE + 1);
}

/* Adds r to the damage, merged with what it touches. */
static void damage(struct scene *s, SDL_Rect r)
{
	SDL_Rect screen = { 0, 0, s->w, s->h };
	if (!SDL_IntersectRect(&r, &screen, &r))
		return;
	for (size_t i = 0; i < s->n_rects;) {
		if (near(&s->rects[i], &r)) {
			SDL_UnionRect(&r, &s->rects[i], &r);
			s->rects[i] = s->rects[--s->n_rects];
			i = 0; /* the union may now touch one already passed */
			continue;
		}
		i++;
	}
	s->rects[s->n_rects++] = r;
	if (s->n_rects > RECTS_MAX) {
		SDL_Rect u = s->rects[0];
		for (size_t i = 1; i < s->n_rects; i++)
			SDL_UnionRect(&u, &s->rects[i], &u);
		s->rects[0] = u;
		s->n_rects = 1;
	}
}

/* Hashes this frame's operations into s->now, sorted. */
static bool hash_ops(struct scene *s)
{
	if (s->cap_now < s->n_ops) {
		size_t cap = s->n_ops * 2;
		struct seen *now = realloc(s->now, cap * sizeof *now);
		if (!now)
			return false;
		s->now = now;
		s->cap_now = cap;
	}
	s->n_now = 0;
	for (size_t i = 0; i < s->n_ops; i++) {
		struct op *o = &s->ops[i];
		o->hash = op_hash(s, o);
		/* a layer is compared whole: its rect and its members' hashes;
		 * its live numbers each on their own */
		for (size_t j = i + 1; o->kind == OP_LAYER && j < o->end; j++) {
			struct op *m = &s->ops[j];
			m->hash = op_hash(s, m);
			if (m->live)
				s->now[s->n_now++] = (struct seen){ m->hash, m->ext };
			else
				o->hash = mix(o->hash, m->hash);
		}
		s->now[s->n_now++] = (struct seen){ o->hash, o->ext };
		if (o->kind == OP_LAYER)
			i = o->end - 1;
	}
	return sort_seen(s);
}

/* The operations that are not in both frames (as multisets) damage
 * their rects. An operation only moved in the drawing order is not
 * seen: no view draws the same thing twice over different things. */
static void find_damage(struct scene *s)
{
	size_t i = 0, j = 0;
	while (i < s->n_now || j < s->n_last) {
		if (j == s->n_last || (i < s->n_now && s->now[i].hash < s->last[j].hash)) {
			damage(s, s->now[i++].ext);
		} else if (i == s->n_now || s->last[j].hash < s->now[i].hash) {
			damage(s, s->last[j++].ext);
		} else {
			i++;
			j++;
		}
	}
}

/* This frame becomes the last one. */
static void keep(struct scene *s)
{
	struct seen *t = s->last;
	size_t cap = s->cap_last;
	s->last = s->now;
	s->cap_last = s->cap_now;
	s->n_last = s->n_now;
	s->now = t;
	s->cap_now = cap;
}

/* An opaque fill straight into the window surface (direct.h): SDL
 * streams a fill past the caches, and the text drawn over it next reads
 * the lines back. False: the renderer draws it (also when its queue
 * could not be drawn first). */
static bool fill_straight(struct scene *s, SDL_Rect a, SDL_Color c)
{
	SDL_BlendMode mode = SDL_BLENDMODE_BLEND;
	SDL_Rect vis;
	if (!s->out || c.a != 255 || SDL_GetRenderDrawBlendMode(s->ren, &mode) != 0 ||
	    mode != SDL_BLENDMODE_NONE || SDL_MUSTLOCK(s->out) ||
	    !direct_begin(s->ren, s->out, a, &vis, NULL))
		return false;
	if (!SDL_RectEmpty(&vis))
		direct_fill(s->out, vis, c);
	return true;
}

/* draw_outline's four sides, each straight when it can be. */
static void outline(struct scene *s, SDL_Rect a, int t, SDL_Color c)
{
	SDL_Rect sides[4];
	int n = draw_outline_sides(a, t, sides);
	for (int i = 0; i < n; i++)
		if (!fill_straight(s, sides[i], c))
			draw_fill(s->ren, sides[i], c);
}

static void replay(struct scene *s, const struct op *o)
{
	switch (o->kind) {
	case OP_FILL:
		if (!fill_straight(s, o->a, o->c))
			draw_fill(s->ren, o->a, o->c);
		break;
	case OP_OUTLINE:
		outline(s, o->a, o->t, o->c);
		break;
	case OP_DISC:
		draw_disc(s->ren, o->a.x + o->a.w / 2, o->a.y + o->a.h / 2,
			  (o->a.w < o->a.h ? o->a.w : o->a.h) / 2, o->c);
		break;
	case OP_TEXT:
		text_draw(s->text, s->strs + o->str, &o->st, &o->a);
		break;
	case OP_DIGITS:
		text_draw_digits(s->text, s->strs + o->str, &o->st, &o->a);
		break;
	case OP_LAYER:
		break; /* draw_layer */
	}
}

/* ---- layers: a flashing banner is two pictures, copied in turn ---- */

static void kept_drop(struct kept *k);

/* A picture in runs can only be written into the window surface: when
 * the output is no longer that (frames go through a target texture),
 * it is dropped and the layer drawn whole, else runs_copy would draw
 * nothing of it and the flip leave the other phase on screen. */
static struct kept *kept_find(struct scene *s, uint64_t hash, const SDL_Rect *vp)
{
	for (size_t i = 0; i < LAYER_KEPT; i++) {
		struct kept *k = &s->kept[i];
		if (k->hash != hash || !(k->tex || k->runs) || k->vp.x != vp->x || k->vp.y != vp->y)
			continue;
		if (k->runs && !s->out) {
			kept_drop(k);
			continue;
		}
		return k;
	}
	return NULL;
}

static void kept_drop(struct kept *k)
{
	if (k->tex)
		SDL_DestroyTexture(k->tex);
	runs_free(k->runs);
	memset(k, 0, sizeof *k);
}

/* A layer drawn before (the other phase of a flash) is worth keeping;
 * one drawn once (a steady banner) is not worth its memory. */
static bool drawn_before(struct scene *s, uint64_t hash)
{
	for (size_t i = 0; i < LAYER_DRAWN; i++)
		if (s->drawn_layers[i] == hash)
			return true;
	s->drawn_layers[s->next_drawn++ % LAYER_DRAWN] = hash;
	return false;
}

/* The output's own pixel format: a picture in it is copied row by row
 * (SDL's blit of ARGB onto the window's XRGB converts every pixel,
 * several times slower). */
static Uint32 output_format(SDL_Renderer *ren)
{
	Uint32 f = SDL_PIXELFORMAT_UNKNOWN;
	SDL_Texture *t = SDL_GetRenderTarget(ren);
	if (t)
		SDL_QueryTexture(t, &f, NULL, NULL, NULL);
	else if (SDL_RenderGetWindow(ren))
		f = SDL_GetWindowPixelFormat(SDL_RenderGetWindow(ren));
	return f == SDL_PIXELFORMAT_UNKNOWN || SDL_ISPIXELFORMAT_INDEXED(f) ||
			       SDL_BYTESPERPIXEL(f) != 4 ? SDL_PIXELFORMAT_ARGB8888 : f;
}

/* A picture read from the output, and the fill colour it was cut from
 * (alpha, or the unused byte, left out: the fill is opaque). */
struct pic {
	const Uint8 *px;
	int pitch, w, h;
	Uint32 mask, fill;
	int edge_t;                /* an opaque outline this thick, or 0 */
	Uint32 edge;               /* its colour */
};

static bool pic_differs(const struct pic *p, int x, int y)
{
	const Uint32 *row = (const Uint32 *)(const void *)(p->px + (size_t)y * (size_t)p->pitch);
	int t = p->edge_t;
	bool on_edge = x < t || y < t || x >= p->w - t || y >= p->h - t;
	return (row[x] & p->mask) != (on_edge ? p->edge : p->fill);
}

static bool row_differs(const struct pic *p, int y)
{
	for (int x = 0; x < p->w; x++)
		if (pic_differs(p, x, y))
			return true;
	return false;
}

static bool column_differs(const struct pic *p, int x, int y0, int y1)
{
	for (int y = y0; y < y1; y++)
		if (pic_differs(p, x, y))
			return true;
	return false;
}

/* The parts of the picture that differ from its fill: bands of rows
 * with a differing pixel, each cut where PART_GAP or more columns are
 * uniform. Returns how many, or -1 when more than max. */
static int find_parts(const struct pic *p, SDL_Rect *out, int max)
{
	int n = 0;
	for (int y0 = 0, y1; y0 < p->h; y0 = y1) {
		if (!row_differs(p, y0)) {
			y1 = y0 + 1;
			continue;
		}
		for (y1 = y0 + 1; y1 < p->h && row_differs(p, y1); y1++)
			;
		for (int x = 0; x < p->w; x++) {
			if (!column_differs(p, x, y0, y1))
				continue;
			int last = x;
			for (int c = x + 1; c < p->w && c - last <= PART_GAP; c++)
				if (column_differs(p, c, y0, y1))
					last = c;
			if (n == max)
				return -1;
			out[n++] = (SDL_Rect){ x, y0, last - x + 1, y1 - y0 };
			x = last;
		}
	}
	return n;
}

/* Cuts the picture into parts and places them in a texture, shelf by
 * shelf; returns the texture's width and height. */
static SDL_Point kept_cut(struct kept *k, const struct pic *p)
{
	k->n_parts = find_parts(p, k->part, KEPT_PARTS);
	if (k->n_parts < 0) { /* too many: the whole picture */
		k->part[0] = (SDL_Rect){ 0, 0, p->w, p->h };
		k->n_parts = 1;
	} else if (k->n_parts == 0) { /* all fill: a pixel of it (never empty) */
		k->part[0] = (SDL_Rect){ 0, 0, 1, 1 };
		k->n_parts = 1;
	}
	int w = 0, x = 0, y = 0, shelf = 0;
	for (int i = 0; i < k->n_parts; i++)
		w = k->part[i].w > w ? k->part[i].w : w;
	for (int i = 0; i < k->n_parts; i++) {
		if (x + k->part[i].w > w) {
			y += shelf;
			x = shelf = 0;
		}
		k->at[i] = (SDL_Rect){ x, y, k->part[i].w, k->part[i].h };
		x += k->part[i].w;
		shelf = k->part[i].h > shelf ? k->part[i].h : shelf;
	}
	return (SDL_Point){ w, y + shelf };
}

/* The surface the software renderer draws into, when a picture can be
 * written straight onto it: its window's, no target texture, no scaling.
 * Then a layer's picture is kept as runs (below), and a flip writes the
 * layer's rows itself instead of a fill and a copy. */
static SDL_Surface *direct_output(struct scene *s)
{
	float sx = 1, sy = 1;
	int lw = 0, lh = 0;
	SDL_Window *win = s->keeps_backbuffer && !SDL_GetRenderTarget(s->ren)
				  ? SDL_RenderGetWindow(s->ren) : NULL;
	SDL_RenderGetScale(s->ren, &sx, &sy);
	SDL_RenderGetLogicalSize(s->ren, &lw, &lh);
	if (!win || sx != 1 || sy != 1 || lw || lh)
		return NULL;
	SDL_Surface *out = SDL_GetWindowSurface(win);
	if (!out || out->w != s->w || out->h != s->h || out->format->BytesPerPixel != 4)
		return NULL;
	if (out->pixels != s->large_pages) {
		direct_large_pages(out);
		s->large_pages = out->pixels;
	}
	return out;
}

/* ---- a picture as runs: its fill, and the spans of other pixels ---- */

/* Fill this short between two other pixels of a row joins their spans:
 * a span costs more than copying this many pixels (a 1080p banner's
 * letters and edge are 9,000 runs, 3,000 spans with such gaps). */
#define SPAN_GAP 8

/* A picture of at most this many colours keeps each pixel of its spans
 * as an index into them (a byte up to 256, else two); one of more keeps
 * the pixels themselves. A 1080p banner phase is one colour of text
 * anti-aliased on one fill, 243-255 colours in 108,531 px (434 KB as
 * pixels, 109 KB as bytes); an alarm strip line 355-368 in 15-18,000.
 * The colours are looked up as a flip writes the rows (a table of at
 * most 4 KB, in the cache), where the pixels were copied: a quarter
 * (or half) of the bytes to read. */
#define RUNS_COLOURS 1024

struct span {
	uint32_t at;               /* its first pixel in the runs' pixels */
	uint16_t x, n;
};

struct runs {
	Uint32 fill;               /* as the output's pixel */
	int w, h;
	uint32_t *row;             /* h + 1: row y's spans are [row[y], row[y + 1]) */
	struct span *span;
	/* the spans' pixels: one of these three */
	uint8_t *ix8;              /* indexes into colour (n_colours <= 256) */
	uint16_t *ix16;            /* ... (n_colours <= RUNS_COLOURS) */
	Uint32 *px;                /* the pixels (more colours) */
	Uint32 *colour;
	size_t n_colours;
	size_t bytes;              /* all of it, this struct too; shared: its own */
	/* row, span and ix8 or ix16 shared with the other phase of its
	 * flashing layer (runs_share): how many runs use them; NULL: this
	 * one's alone */
	unsigned *users;
};

static void runs_free(struct runs *r)
{
	if (!r)
		return;
	if (!r->users || --*r->users == 0) {
		free(r->row);
		free(r->span);
		free(r->ix8);
		free(r->ix16);
		free(r->px);
		free(r->users);
	}
	free(r->colour);
	free(r);
}

/* A picture's colours while its runs are made (16 KB, on the stack: no
 * heap churn at each picture taken): open addressing, twice RUNS_COLOURS
 * slots; a slot's value is 1 + the colour's index (0: empty). */
#define PAL_SLOTS (2 * RUNS_COLOURS)

struct pal {
	Uint32 key[PAL_SLOTS];
	uint16_t val[PAL_SLOTS];
	Uint32 colour[RUNS_COLOURS];
	size_t n;
	bool over;                 /* more than RUNS_COLOURS */
	Uint32 mask;               /* the bits of a pixel that show */
	Uint32 last;               /* the last pixel looked up, and its index: */
	uint16_t last_ix;          /* a letter's stroke is one colour */
	bool has_last;
};

/* The index of colour v, added when new; RUNS_COLOURS when there is no
 * room (pal->over). */
static uint16_t pal_index(struct pal *pal, Uint32 v)
{
	v &= pal->mask;
	if (pal->has_last && v == pal->last)
		return pal->last_ix;
	size_t i = (size_t)((v * 2654435761u) >> 19) % PAL_SLOTS;
	while (pal->val[i] && pal->key[i] != v)
		i = (i + 1) % PAL_SLOTS;
	if (!pal->val[i]) {
		if (pal->n == RUNS_COLOURS) {
			pal->over = true;
			return RUNS_COLOURS;
		}
		pal->key[i] = v;
		pal->colour[pal->n] = v;
		pal->val[i] = (uint16_t)++pal->n;
	}
	pal->last = v;
	pal->last_ix = (uint16_t)(pal->val[i] - 1);
	pal->has_last = true;
	return pal->last_ix;
}

/* The n pixels p of a span as r keeps them, from its pixel at. */
static void runs_keep(struct runs *r, struct pal *pal, const Uint32 *p, size_t at, int n)
{
	if (r->px) {
		memcpy(r->px + at, p, (size_t)n * sizeof *p);
		return;
	}
	for (int i = 0; i < n; i++) {
		uint16_t ix = pal_index(pal, p[i]);
		if (r->ix8)
			r->ix8[at + (size_t)i] = (uint8_t)ix;
		else
			r->ix16[at + (size_t)i] = ix;
	}
}

/* The spans of one row of w pixels: what is not the fill, joined across
 * gaps of up to SPAN_GAP; written into r's spans and pixels once they
 * are allocated (r->span set), else counted, their colours gathered in
 * pal. */
static void runs_row(struct runs *r, struct pal *pal, const Uint32 *p, int w, size_t *n_span,
		     size_t *n_px, uint64_t *held)
{
	for (int x = 0; x < w;) {
		if (p[x] == r->fill) {
			x++;
			continue;
		}
		int end = x + 1;
		for (int gap = 0; end < w && gap <= SPAN_GAP; end++) {
			gap = p[end] == r->fill ? gap + 1 : 0;
			*held += p[end] != r->fill;
		}
		while (p[end - 1] == r->fill) /* no fill at a span's end */
			end--;
		*held += 1;
		if (r->span) {
			r->span[*n_span] = (struct span){ (uint32_t)*n_px, (uint16_t)x,
							  (uint16_t)(end - x) };
			runs_keep(r, pal, p + x, *n_px, end - x);
		} else {
			for (int i = x; i < end && !pal->over; i++)
				pal_index(pal, p[i]);
		}
		(*n_span)++;
		*n_px += (size_t)(end - x);
		x = end;
	}
}

/* Room for the spans' n pixels, as pal's colours allow. */
static bool runs_alloc_px(struct runs *r, const struct pal *pal, size_t n)
{
	n = n ? n : 1;
	if (pal->over)
		return (r->px = malloc(n * sizeof *r->px)) != NULL;
	r->colour = malloc((pal->n ? pal->n : 1) * sizeof *r->colour);
	if (!r->colour)
		return false;
	memcpy(r->colour, pal->colour, pal->n * sizeof *r->colour);
	r->n_colours = pal->n;
	if (pal->n <= 256)
		return (r->ix8 = malloc(n)) != NULL;
	return (r->ix16 = malloc(n * sizeof *r->ix16)) != NULL;
}

/* The picture px (w x h pixels, pitch bytes a row, in the output's
 * format) as runs on fill; *held: its pixels that are not the fill.
 * Colours are told apart by the bits in mask (a format's padding byte,
 * which blending writes but nothing shows, left out). */
static struct runs *runs_make(const Uint8 *px, int w, int h, int pitch, Uint32 fill,
			      Uint32 mask, uint64_t *held)
{
	struct runs *r = calloc(1, sizeof *r);
	struct pal palette, *pal = &palette;
	if (!r || w > UINT16_MAX) /* a span's x and n are 16 bits */
		goto fail;
	memset(pal->val, 0, sizeof pal->val);
	pal->n = 0;
	pal->mask = mask;
	pal->over = pal->has_last = false;
	r->fill = fill;
	r->w = w;
	r->h = h;
	size_t n_span = 0, n_px = 0;
	uint64_t count = 0;
	for (int y = 0; y < h; y++) /* first counted, then made */
		runs_row(r, pal, (const Uint32 *)(const void *)(px + (size_t)y * (size_t)pitch), w,
			 &n_span, &n_px, &count);
	r->row = malloc(((size_t)h + 1) * sizeof *r->row);
	r->span = malloc((n_span ? n_span : 1) * sizeof *r->span);
	if (!r->row || !r->span || !runs_alloc_px(r, pal, n_px))
		goto fail;
	n_span = n_px = 0;
	*held = 0;
	for (int y = 0; y < h; y++) {
		r->row[y] = (uint32_t)n_span;
		runs_row(r, pal, (const Uint32 *)(const void *)(px + (size_t)y * (size_t)pitch), w,
			 &n_span, &n_px, held);
	}
	r->row[h] = (uint32_t)n_span;
	r->bytes = sizeof *r + ((size_t)h + 1) * sizeof *r->row + n_span * sizeof *r->span +
		   n_px * (r->ix8 ? 1 : r->ix16 ? 2 : 4) + r->n_colours * sizeof *r->colour;
	return r;
fail:
	runs_free(r);
	return NULL;
}

/* Four pixels at d from colours c, their indexes packed in w, bits
 * (8 or 16) each from the lowest. */
static inline void put4(Uint32 *restrict d, const Uint32 *restrict c, uint64_t w, int bits)
{
	const uint64_t m = ((uint64_t)1 << bits) - 1;
	d[0] = c[w & m];
	d[1] = c[w >> bits & m];
	d[2] = c[w >> 2 * bits & m];
	d[3] = c[w >> 3 * bits & m];
}

/* A picture's pairs of colours while a second phase is matched with the
 * first (runs_share; 28 KB, on the stack like struct pal): a pair is
 * the first phase's index and this phase's colour at the same pixel. */
struct pairs {
	uint64_t key[PAL_SLOTS];
	uint16_t val[PAL_SLOTS];   /* 1 + the pair's number; 0: empty */
	uint16_t first[RUNS_COLOURS];
	Uint32 colour[RUNS_COLOURS];
	size_t n, cap;
};

/* The number of the pair (first phase's index ix, colour v); cap when
 * there are more than cap pairs. */
static size_t pair_index(struct pairs *pr, size_t ix, Uint32 v)
{
	uint64_t key = (uint64_t)ix << 32 | v;
	size_t i = (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 53) % PAL_SLOTS;
	while (pr->val[i] && pr->key[i] != key)
		i = (i + 1) % PAL_SLOTS;
	if (!pr->val[i]) {
		if (pr->n == pr->cap)
			return pr->cap;
		pr->key[i] = key;
		pr->first[pr->n] = (uint16_t)ix;
		pr->colour[pr->n] = v;
		pr->val[i] = (uint16_t)++pr->n;
	}
	return pr->val[i] - 1u;
}

/* A second phase being matched with o, the first: its pairs, what it
 * counts, and what is made for it (freed unless share_take takes it). */
struct share {
	struct pairs pairs;
	const struct runs *o;
	Uint32 fill, mask;
	uint64_t held;             /* its pixels that are not the fill */
	uint8_t *ix8;              /* the pairs' numbers, o's index width */
	uint16_t *ix16;
	struct runs *r;
	unsigned *users;
	Uint32 *first, *second;    /* each pair's colour in each phase */
};

/* o can share its rows, spans and indexes with a picture of w x h: it
 * keeps indexes, holds a span, and shares nothing yet. */
static bool runs_shareable(const struct runs *o, int w, int h)
{
	return o && !o->users && o->w == w && o->h == h && (o->ix8 || o->ix16) && o->row[h];
}

/* Only val is emptied (4 KB): the pairs' other tables are written as
 * pairs are added. */
static void share_init(struct share *s, const struct runs *o, Uint32 fill, Uint32 mask)
{
	memset(s->pairs.val, 0, sizeof s->pairs.val);
	s->pairs.n = 0;
	s->pairs.cap = o->ix8 ? 256 : RUNS_COLOURS;
	s->o = o;
	s->fill = fill;
	s->mask = mask;
	s->held = 0;
	s->ix8 = NULL;
	s->ix16 = NULL;
	s->r = NULL;
	s->users = NULL;
	s->first = s->second = NULL;
}

/* Room for the pairs' numbers of o's spans' pixels, the new runs and
 * their count of users. */
static bool share_alloc(struct share *s)
{
	const struct runs *o = s->o;
	const struct span *last = &o->span[o->row[o->h] - 1];
	size_t n_px = (size_t)last->at + last->n;
	s->ix8 = o->ix8 ? malloc(n_px) : NULL;
	s->ix16 = o->ix16 ? malloc(n_px * sizeof *s->ix16) : NULL;
	s->r = calloc(1, sizeof *s->r);
	s->users = malloc(sizeof *s->users);
	return (s->ix8 || s->ix16) && s->r && s->users;
}

static void share_free(struct share *s)
{
	free(s->ix8);
	free(s->ix16);
	free(s->r);
	free(s->users);
	free(s->first);
	free(s->second);
}

/* Pixels x up to to of row p are the fill: what lies between spans, as
 * runs_row tells it. */
static bool row_is_fill(const Uint32 *p, int x, int to, Uint32 fill)
{
	for (; x < to; x++)
		if (p[x] != fill)
			return false;
	return true;
}

/* The pixels of o's span sp in row p numbered by their pairs; false:
 * more pairs than o's index width holds. */
static bool span_pairs(struct share *s, const struct span *sp, const Uint32 *p)
{
	const struct runs *o = s->o;
	int x = sp->x;
	for (size_t i = sp->at; i < (size_t)sp->at + sp->n; i++, x++) {
		size_t n = pair_index(&s->pairs, o->ix8 ? o->ix8[i] : o->ix16[i], p[x] & s->mask);
		if (n == s->pairs.cap)
			return false;
		if (s->ix8)
			s->ix8[i] = (uint8_t)n;
		else
			s->ix16[i] = (uint16_t)n;
		s->held += p[x] != s->fill;
	}
	return true;
}

/* Row y (pixels p, w of them): the fill between o's spans, the spans'
 * pixels numbered by their pairs. */
static bool row_pairs(struct share *s, const Uint32 *p, int y, int w)
{
	const struct runs *o = s->o;
	int x = 0;
	for (uint32_t k = o->row[y]; k < o->row[y + 1]; k++) {
		const struct span *sp = &o->span[k];
		if (!row_is_fill(p, x, sp->x, s->fill) || !span_pairs(s, sp, p))
			return false;
		x = sp->x + sp->n;
	}
	return row_is_fill(p, x, w, s->fill);
}

/* Every row of the picture px (w x h, pitch bytes a row) as row_pairs. */
static bool picture_pairs(struct share *s, const Uint8 *px, int w, int h, int pitch)
{
	for (int y = 0; y < h; y++)
		if (!row_pairs(s, (const Uint32 *)(const void *)(px + (size_t)y * (size_t)pitch), y,
			       w))
			return false;
	return true;
}

/* Each pair's colour in the first phase (o's colour at its index) and
 * in this one. */
static bool share_colours(struct share *s)
{
	const struct pairs *pr = &s->pairs;
	s->first = malloc(pr->n * sizeof *s->first);
	s->second = malloc(pr->n * sizeof *s->second);
	if (!s->first || !s->second)
		return false;
	for (size_t i = 0; i < pr->n; i++)
		s->first[i] = s->o->colour[pr->first[i]];
	memcpy(s->second, pr->colour, pr->n * sizeof *s->second);
	return true;
}

/* o's indexes become the pairs' numbers, its colours the first phase's
 * of each pair; the new runs share them with o, with colours of their
 * own. */
static struct runs *share_take(struct runs *o, struct share *s)
{
	size_t n = s->pairs.n;
	o->bytes = o->bytes - o->n_colours * sizeof *o->colour + n * sizeof *s->first;
	free(o->colour);
	free(o->ix8);
	free(o->ix16);
	o->colour = s->first;
	o->ix8 = s->ix8;
	o->ix16 = s->ix16;
	o->n_colours = n;
	*s->users = 2;
	o->users = s->users;
	struct runs *r = s->r;
	*r = *o;
	r->fill = s->fill;
	r->colour = s->second;
	r->bytes = sizeof *r + n * sizeof *s->second;
	return r;
}

/* The picture px (as for runs_make) as runs that share o's rows, spans
 * and indexes, with colours of their own: a flashing layer's two phases
 * are one picture in two colourings (a banner's text and fill swap
 * colours), the same pixels fill or not. When every pixel outside o's
 * spans is this fill, each pixel in them is numbered by its pair (o's
 * index there, this colour); if the pairs fit o's index width (256 for a
 * byte), o's indexes become the pairs' numbers, o's colour table and a
 * table for this picture give each pair its colour in each phase, and
 * both keep one array of indexes, rows and spans (a 1080p banner phase
 * held about 110 KB of them, an alarm strip line about 35 KB). Each
 * phase's pixels are its own. NULL: not so (or out of memory, or o
 * already shared). */
static struct runs *runs_share(struct runs *o, const Uint8 *px, int w, int h, int pitch,
			       Uint32 fill, Uint32 mask, uint64_t *held)
{
	if (!runs_shareable(o, w, h))
		return NULL;
	struct share s;
	share_init(&s, o, fill, mask);
	if (!share_alloc(&s) || !picture_pairs(&s, px, w, h, pitch) || !share_colours(&s)) {
		share_free(&s);
		return NULL;
	}
	*held = s.held;
	return share_take(o, &s);
}

/* A span's pixels written at d: looked up in its colours, or copied. */
static inline void span_put(Uint32 *restrict d, const struct runs *r, const struct span *p)
{
	const Uint32 *restrict c = r->colour;
	/* four indexes a load, looked up one by one: a loop of byte loads
	 * cost twice as much more than the copy it replaced */
	int n = p->n, i = 0;
	if (r->ix8) {
		const uint8_t *q = r->ix8 + p->at;
		for (Uint32 w; i + 4 <= n; i += 4) {
			memcpy(&w, q + i, 4);
			put4(d + i, c, w, 8);
		}
		for (; i < n; i++)
			d[i] = c[q[i]];
	} else if (r->ix16) {
		const uint16_t *q = r->ix16 + p->at;
		for (uint64_t w; i + 4 <= n; i += 4) {
			memcpy(&w, q + i, 8);
			put4(d + i, c, w, 16);
		}
		for (; i < n; i++)
			d[i] = c[q[i]];
	} else {
		memcpy(d, r->px + p->at, (size_t)p->n * sizeof *d);
	}
}

/* n pixels from src to dst, past the caches where the CPU can: a
 * layer's rows are written whole, and read by no one but the display. */
static void stream_pixels(Uint32 *dst, const Uint32 *src, int n)
{
	int i = 0;
#ifdef __SSE2__
	for (; i < n && ((uintptr_t)(dst + i) & 15); i++)
		dst[i] = src[i];
	for (; i + 4 <= n; i += 4)
		_mm_stream_si128((__m128i *)(void *)(dst + i),
				 _mm_loadu_si128((const __m128i *)(const void *)(src + i)));
#endif
	for (; i < n; i++)
		dst[i] = src[i];
}

/* The fill put back at pixels [x, x + n) of a row buffer whose length
 * is a multiple of 4, four at a time from the group x is in to the
 * group x + n - 1 is in: the row holds the fill everywhere else, so the
 * pixels around the span may be written too, and no pixel is left to a
 * loop of one at a time (that loop was half of putting the fill back). */
static inline void refill(Uint32 *row, Uint32 fill, int x, int n)
{
#ifdef __SSE2__
	__m128i v = _mm_set1_epi32((int)fill);
	for (int i = x & ~3; i < x + n; i += 4)
		_mm_storeu_si128((__m128i *)(void *)(row + i), v);
#else
	direct_fill_row(row + x, fill, n);
#endif
}

/* Writes the picture's rows clip (picture coordinates) onto out at
 * (x, y): each row composed in s->row, which holds the fill (the spans
 * are copied in, the row written, the fill put back under them), then
 * written once: a fill and a copy over it wrote the spans twice, and
 * read the lines they fall on back into the cache to do it. */
static bool runs_draw(struct scene *s, const struct runs *r, SDL_Surface *out, int x, int y,
		      SDL_Rect clip)
{
	/* grown to the widest picture drawn (runs_make bounds the width),
	 * and to whole groups of four: the fill is put back four at a time */
	size_t cap = ((size_t)r->w + 3) & ~(size_t)3;
	if (s->cap_row < cap) {
		Uint32 *t = realloc(s->row, cap * sizeof *t);
		if (!t)
			return false;
		s->row = t;
		s->cap_row = cap;
	}
	Uint32 *row = s->row;
	/* a value: for all the compiler knows a store into row could change
	 * r->fill, so a loop reading it there stays scalar */
	const Uint32 fill = r->fill;
	int x0 = clip.x, x1 = clip.x + clip.w;
	for (size_t i = 0; i < cap; i++)
		row[i] = fill;
	for (int j = clip.y; j < clip.y + clip.h; j++) {
		const struct span *sp = r->span + r->row[j], *end = r->span + r->row[j + 1];
		for (const struct span *p = sp; p < end; p++)
			span_put(row + p->x, r, p);
		Uint32 *to = (Uint32 *)(void *)((Uint8 *)out->pixels +
						(size_t)(y + j) * (size_t)out->pitch) + x;
		stream_pixels(to + x0, row + x0, x1 - x0);
		for (const struct span *p = sp; p < end; p++)
			refill(row, fill, p->x, p->n);
	}
#ifdef __SSE2__
	_mm_sfence(); /* the streamed rows before anything drawn after them */
#endif
	return true;
}

/* Draws k's picture at a, clipped to d (viewport coordinates, like a),
 * straight into the output; what the renderer queued is drawn first.
 * False: it could not be (the queue, the surface's lock, memory): the
 * layer is drawn from its operations instead. */
static bool runs_copy(struct scene *s, const struct kept *k, SDL_Rect a, const SDL_Rect *d,
		      const SDL_Rect *vp)
{
	SDL_Surface *out = s->out;
	SDL_Rect clip = { d->x + vp->x, d->y + vp->y, d->w, d->h };
	SDL_Rect at = { a.x + vp->x, a.y + vp->y, a.w, a.h };
	SDL_Rect bounds = { 0, 0, out ? out->w : 0, out ? out->h : 0 };
	if (!out || k->runs->w != a.w || k->runs->h != a.h)
		return false;
	if (!SDL_IntersectRect(&clip, vp, &clip) || !SDL_IntersectRect(&clip, &at, &clip) ||
	    !SDL_IntersectRect(&clip, &bounds, &clip))
		return true; /* nothing of it shows */
	if (SDL_RenderFlush(s->ren) != 0 || (SDL_MUSTLOCK(out) && SDL_LockSurface(out) != 0))
		return false;
	clip.x -= at.x;
	clip.y -= at.y;
	bool ok = runs_draw(s, k->runs, out, at.x, at.y, clip);
	if (SDL_MUSTLOCK(out))
		SDL_UnlockSurface(out);
	return ok;
}

static void kept_set(struct kept *k, const struct op *l, const SDL_Rect *vp, uint64_t frame,
		     int under)
{
	k->under = under;
	k->hash = l->hash;
	k->a = l->a;
	k->vp = *vp;
	k->used = frame;
}

/* The picture px (r.w x r.h, pitch bytes a row, in the output's own
 * format) kept in k as runs on the layer's fill (first). Returns how many
 * of the layer's first ops are drawn again under it: none, its rows hold
 * the fill too; -1: out of memory. */
static int kept_runs(struct kept *k, SDL_Surface *out, const Uint8 *px, SDL_Rect r, int pitch,
		      const struct op *first, struct runs *other)
{
	const SDL_PixelFormat *f = out->format;
	Uint32 shown = f->Amask ? 0xffffffffu : f->Rmask | f->Gmask | f->Bmask;
	Uint32 fill = SDL_MapRGB(f, first->c.r, first->c.g, first->c.b);
	k->runs = runs_share(other, px, r.w, r.h, pitch, fill, shown, &k->px);
	if (!k->runs)
		k->runs = runs_make(px, r.w, r.h, pitch, fill, shown, &k->px);
	if (!k->runs)
		return -1;
	log_debug("scene", "layer picture %dx%d kept as %llu px in %u spans, %zu colours, "
		  "%zu bytes%s", r.w, r.h, (unsigned long long)k->px, (unsigned)k->runs->row[r.h],
		  k->runs->n_colours, k->runs->bytes,
		  k->runs->users ? " (spans shared with the other phase)" : "");
	return 0;
}

/* The runs of another picture kept of the layer's rect in this viewport
 * (its other phase, if it flashes), for kept_runs to share. */
static struct runs *kept_other(struct scene *s, const struct kept *k, const struct op *l,
			       const SDL_Rect *vp)
{
	for (size_t i = 0; i < LAYER_KEPT; i++) {
		struct kept *o = &s->kept[i];
		if (o != k && o->runs && o->hash != l->hash && SDL_RectEquals(&o->a, &l->a) &&
		    SDL_RectEquals(&o->vp, vp))
			return o->runs;
	}
	return NULL;
}

/* The picture px (as for kept_runs, in format) kept in k as the parts
 * that differ from the fill (and edge), in a texture. Returns how many
 * of the layer's first ops are drawn again under them (the fill, and
 * the edge if there is one), or -1 when it could not be kept (k left to
 * be dropped). */
static int kept_parts(struct scene *s, struct kept *k, const Uint8 *px, SDL_Rect r, int pitch,
		      Uint32 format, const struct op *l)
{
	const struct op *first = l + 1;
	/* an opaque outline of the layer's rect (a banner's edge) is drawn
	 * again too, not kept */
	const struct op *edge = l->end > (size_t)(first + 1 - s->ops) ? first + 1 : NULL;
	if (edge && (edge->kind != OP_OUTLINE || edge->c.a != 255 ||
		     !SDL_RectEquals(&edge->a, &l->a)))
		edge = NULL;
	struct pic pic = { px, pitch, r.w, r.h, 0, 0, edge ? (edge->t < 1 ? 1 : edge->t) : 0, 0 };
	SDL_PixelFormat *pf = SDL_AllocFormat(format);
	SDL_Point size = { 0, 0 };
	if (pf) {
		pic.mask = pf->Rmask | pf->Gmask | pf->Bmask;
		pic.fill = SDL_MapRGB(pf, first->c.r, first->c.g, first->c.b) & pic.mask;
		if (edge)
			pic.edge = SDL_MapRGB(pf, edge->c.r, edge->c.g, edge->c.b) & pic.mask;
		SDL_FreeFormat(pf);
		size = kept_cut(k, &pic);
	}
	k->tex = size.x ? SDL_CreateTexture(s->ren, format, SDL_TEXTUREACCESS_STATIC, size.x,
					    size.y) : NULL;
	bool ok = k->tex && SDL_SetTextureBlendMode(k->tex, SDL_BLENDMODE_NONE) == 0;
	for (int i = 0; ok && i < k->n_parts; i++)
		ok = SDL_UpdateTexture(k->tex, &k->at[i],
				       px + (size_t)k->part[i].y * (size_t)pitch +
					       (size_t)k->part[i].x * 4,
				       pitch) == 0;
	if (!ok)
		return -1;
	for (int i = 0; i < k->n_parts; i++)
		k->px += (uint64_t)k->part[i].w * (uint64_t)k->part[i].h;
	log_debug("scene", "layer picture %dx%d kept as %d parts in %dx%d", r.w, r.h,
		  k->n_parts, size.x, size.y);
	return edge ? 2 : 1;
}

/* Takes the layer's picture from the output, where it was just drawn
 * whole. Only a layer that begins with an opaque fill of its own rect:
 * nothing drawn under it shows through, so the picture is its own. Only
 * the parts that differ from that fill are kept (a banner's lines of
 * text, not the background around and between them: about half the
 * memory); the fill is drawn again under them. On the window surface
 * the picture is kept as runs instead, its rows written whole. */
static void kept_take(struct scene *s, const struct op *l, const SDL_Rect *vp)
{
	const struct op *first = l + 1;
	int ow = 0, oh = 0;
	SDL_Rect r = { l->a.x + vp->x, l->a.y + vp->y, l->a.w, l->a.h };
	if (l->end == (size_t)(first - s->ops) || first->kind != OP_FILL || first->c.a != 255 ||
	    !SDL_RectEquals(&first->a, &l->a) || SDL_GetRendererOutputSize(s->ren, &ow, &oh) ||
	    r.x < 0 || r.y < 0 || r.x + r.w > ow || r.y + r.h > oh)
		return;
	struct kept *k = &s->kept[0];
	for (size_t i = 1; i < LAYER_KEPT; i++)
		if (s->kept[i].used < k->used)
			k = &s->kept[i];
	kept_drop(k);
	Uint32 format = output_format(s->ren);
	SDL_Surface *out = s->out;
	int under;
	if (out && out->format->format == format && !SDL_MUSTLOCK(out)) {
		/* the layer was just drawn into the window surface: its runs
		 * are made from there, not from a copy of it read back */
		if (SDL_RenderFlush(s->ren) != 0)
			return;
		under = kept_runs(k, out, (const Uint8 *)out->pixels + (size_t)r.y * (size_t)out->pitch +
						  (size_t)r.x * 4, r, out->pitch, first, kept_other(s, k, l, vp));
	} else {
		int pitch = r.w * 4;
		Uint8 *px = malloc((size_t)pitch * (size_t)r.h);
		/* ReadPixels takes output coordinates, not the viewport's */
		if (!px || SDL_RenderReadPixels(s->ren, &r, format, px, pitch) != 0) {
			free(px);
			return;
		}
		under = out && out->format->format == format
				? kept_runs(k, out, px, r, pitch, first, kept_other(s, k, l, vp))
				: kept_parts(s, k, px, r, pitch, format, l);
		free(px);
	}
	if (under < 0)
		kept_drop(k);
	else
		kept_set(k, l, vp, s->frame, under);
}

/* The layer at ops[i], inside the damaged rect d (the clip). */
static void draw_layer(struct scene *s, size_t i, const SDL_Rect *d, struct scene_result *out)
{
	const struct op *l = &s->ops[i];
	SDL_Rect vp;
	SDL_RenderGetViewport(s->ren, &vp);
	SDL_Rect in;
	if (!SDL_IntersectRect(d, &l->a, &in))
		return;
	struct kept *k = s->no_pictures ? NULL : kept_find(s, l->hash, &vp);
	/* a picture in runs that could not be written: drawn whole (its
	 * under is 0: nothing of it drawn yet), not taken again */
	bool failed = k && k->runs && !runs_copy(s, k, l->a, d, &vp);
	if (k && !failed) {
		/* the fill (and edge) the picture was cut from, then the rest */
		for (size_t j = i + 1; j <= i + (size_t)k->under; j++)
			replay(s, &s->ops[j]);
		for (int p = 0; p < k->n_parts; p++) {
			SDL_Rect to = { l->a.x + k->part[p].x, l->a.y + k->part[p].y,
					k->part[p].w, k->part[p].h };
			SDL_RenderCopy(s->ren, k->tex, &k->at[p], &to);
		}
		k->used = s->frame;
		out->copied++;
		out->copied_px += k->px;
	} else {
		SDL_RenderSetClipRect(s->ren, &in);
		for (size_t j = i + 1; j < l->end; j++)
			if (!s->ops[j].live && SDL_HasIntersection(&s->ops[j].ext, &in))
				replay(s, &s->ops[j]);
		if (!failed && SDL_RectEquals(&in, &l->a) && !s->no_pictures &&
		    drawn_before(s, l->hash))
			kept_take(s, l, &vp);
	}
	SDL_RenderSetClipRect(s->ren, &in);
	for (size_t j = i + 1; j < l->end; j++)
		if (s->ops[j].live && SDL_HasIntersection(&s->ops[j].ext, &in))
			replay(s, &s->ops[j]);
	SDL_RenderSetClipRect(s->ren, d);
}

static bool covers(const SDL_Rect *outer, const SDL_Rect *inner)
{
	return inner->x >= outer->x && inner->y >= outer->y &&
	       inner->x + inner->w <= outer->x + outer->w &&
	       inner->y + inner->h <= outer->y + outer->h;
}

/* The last operation that paints all of d opaque: nothing before it
 * shows there (the background under the banner was filled, then hidden,
 * at every flash). */
static size_t first_seen(const struct scene *s, const SDL_Rect *d)
{
	size_t from = 0;
	for (size_t i = 0; i < s->n_ops; i++) {
		const struct op *o = &s->ops[i];
		const struct op *fill = o->kind == OP_LAYER && o->end > i + 1 ? o + 1 : o;
		if (fill->kind == OP_FILL && fill->c.a == 255 && covers(&fill->a, d) &&
		    (o == fill || SDL_RectEquals(&fill->a, &o->a)))
			from = i;
		if (o->kind == OP_LAYER)
			i = o->end - 1;
	}
	return from;
}

static void draw_damage(struct scene *s, struct scene_result *out)
{
	s->out = direct_output(s);
	text_set_output(s->text, s->out);
	for (size_t r = 0; r < s->n_rects; r++) {
		const SDL_Rect *d = &s->rects[r];
		SDL_RenderSetClipRect(s->ren, d);
		for (size_t i = first_seen(s, d); i < s->n_ops; i++) {
			const struct op *o = &s->ops[i];
			if (o->kind == OP_LAYER) {
				if (SDL_HasIntersection(&o->ext, d))
					draw_layer(s, i, d, out);
				i = o->end - 1;
			} else if (SDL_HasIntersection(&o->ext, d)) {
				replay(s, o);
			}
		}
		out->pixels += (uint64_t)d->w * (uint64_t)d->h;
		if (r == 0)
			out->bounds = *d;
		else
			SDL_UnionRect(&out->bounds, d, &out->bounds);
	}
	SDL_RenderSetClipRect(s->ren, NULL);
	text_set_output(s->text, NULL);
	s->out = NULL;
	out->rects = s->n_rects;
}

static bool ensure_target(struct scene *s)
{
	if (s->keeps_backbuffer || s->target)
		return true;
	s->target = SDL_CreateTexture(s->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
				      s->w, s->h);
	if (!s->target) {
		log_error("scene", "target texture %dx%d: %s", s->w, s->h, SDL_GetError());
		return false;
	}
	s->whole = true;
	return true;
}

/* The pictures of layers that are gone or stopped flashing go (an
 * empty slot is all zero: dropping it again changes nothing, so which
 * kind of picture a slot holds need not be asked). */
static void kept_age(struct scene *s)
{
	for (size_t i = 0; i < LAYER_KEPT; i++)
		if (!s->layered || s->kept[i].used + KEPT_FRAMES < s->frame)
			kept_drop(&s->kept[i]);
}

/* The whole output (ReadPixels takes output coordinates, but only
 * within the viewport: the orbit's border would be left unread). */
static bool read_frame(struct scene *s, Uint32 *px)
{
	SDL_Rect all = { 0, 0, s->w, s->h }, vp;
	SDL_RenderGetViewport(s->ren, &vp);
	SDL_RenderSetViewport(s->ren, NULL);
	bool ok = SDL_RenderReadPixels(s->ren, &all, SDL_PIXELFORMAT_ARGB8888, px,
				       s->w * (int)sizeof *px) == 0;
	SDL_RenderSetViewport(s->ren, &vp);
	return ok;
}

/* The check (display.redraw = check): the frame just drawn against the
 * same operations drawn whole, without the layers' pictures. Counts the
 * pixels that differ; the whole redraw stays on the output. */
static void check_frame(struct scene *s, struct scene_result *out)
{
	size_t n = (size_t)s->w * (size_t)s->h;
	if (!n || !UTIL_ARRAY_ROOM(s->check_px, n * 2 - 1, s->check_cap, n * 2, n * 2) ||
	    !read_frame(s, s->check_px))
		return;
	size_t keep_rects = s->n_rects;
	SDL_Rect rects[RECTS_MAX + 1];
	memcpy(rects, s->rects, sizeof rects);
	struct scene_result whole = { 0 };
	s->rects[0] = (SDL_Rect){ 0, 0, s->w, s->h };
	s->n_rects = 1;
	s->no_pictures = true;
	draw_damage(s, &whole);
	s->no_pictures = false;
	memcpy(s->rects, rects, sizeof rects);
	s->n_rects = keep_rects;
	if (!read_frame(s, s->check_px + n))
		return;
	out->checked = true;
	int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
	for (size_t i = 0; i < n; i++) {
		if (s->check_px[i] == s->check_px[n + i])
			continue;
		out->mismatched++;
		int x = (int)(i % (size_t)s->w), y = (int)(i / (size_t)s->w);
		x0 = x < x0 ? x : x0;
		y0 = y < y0 ? y : y0;
		x1 = x > x1 ? x : x1;
		y1 = y > y1 ? y : y1;
	}
	if (out->mismatched)
		log_error("scene", "frame %llu differs from a whole redraw: %llu px within "
			  "%dx%d+%d+%d", (unsigned long long)s->frame,
			  (unsigned long long)out->mismatched, x1 - x0 + 1, y1 - y0 + 1, x0, y0);
}

/* What the kept pictures hold now. */
static void kept_memory(const struct scene *s, struct scene_result *out)
{
	for (size_t i = 0; i < LAYER_KEPT; i++) {
		const struct kept *k = &s->kept[i];
		int w = 0, h = 0;
		if (k->tex && SDL_QueryTexture(k->tex, NULL, NULL, &w, &h) == 0)
			out->kept_bytes += (uint64_t)w * (uint64_t)h * 4;
		out->kept_bytes += k->runs ? k->runs->bytes : 0;
		out->kept_px += k->tex || k->runs ? k->px : 0;
	}
}

void scene_end(struct scene *s, bool full, struct scene_result *out)
{
	memset(out, 0, sizeof *out);
	out->ops = s->n_ops;
	scene_layer_end(s);
	kept_age(s);
	s->n_rects = 0;
	bool target = ensure_target(s) && !s->keeps_backbuffer;
	bool hashed = hash_ops(s);
	if (!hashed || full || s->whole)
		damage(s, (SDL_Rect){ 0, 0, s->w, s->h });
	else
		find_damage(s);
	if (hashed)
		keep(s);
	else
		s->n_last = 0;
	/* without a way to keep the frame, every frame is drawn whole */
	s->whole = !hashed || (!s->keeps_backbuffer && !s->target);
	if (!s->n_rects && !s->check) {
		kept_memory(s, out);
		return;
	}
	/* The output may itself be a texture (display.c turns or shifts
	 * the picture): the kept frame is copied back onto it. */
	SDL_Texture *out_tex = SDL_GetRenderTarget(s->ren);
	if (target)
		SDL_SetRenderTarget(s->ren, s->target);
	draw_damage(s, out);
	if (s->check)
		check_frame(s, out);
	if (target) {
		SDL_SetRenderTarget(s->ren, out_tex);
		if (s->n_rects)
			SDL_RenderCopy(s->ren, s->target, NULL, NULL);
	}
	out->changed = s->n_rects > 0;
	kept_memory(s, out);
}
