/* fontrun.c - see fontrun.h.
 *
 * SDL2_ttf's arithmetic, restated (2.20, TTF_Size_Internal and
 * Render_Line with HarfBuzz): each glyph sits at pen + HarfBuzz's offset,
 * its top at the font's ascent; the run's box spans from 0 (or the
 * leftmost glyph box, when it starts left of the pen) to the rightmost
 * box or the pen's end, and from 0 (or the highest glyph top) to the
 * font's height (or the lowest glyph bottom); glyphs are drawn shifted by
 * what the box starts left of, or above, 0, their alpha OR'ed in. */
#include "fontrun.h"

#include "fontfile.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include <hb.h>

/* the glyph cache's hash: 1024 chains for at most a few hundred glyphs
 * under FONTRUN_BYTES_MAX (4096 took 32 KB) */
#define BUCKET_BITS 10
#define BUCKETS (1u << BUCKET_BITS)
#define FT_FLOOR(x) (((x) & -64) / 64)
#define FT_CEIL(x) FT_FLOOR((x) + 63)

struct glyph {
	struct glyph *next;		/* hash chain */
	struct glyph *newer, *older;	/* use order: the list's head is newest */
	uint64_t key;
	FT_Fixed advance;		/* 16.16: what FT_Get_Advance gives hb-ft */
	int sz_left, sz_top, sz_width, sz_rows;	/* SDL2_ttf's box of it */
	FT_Pos bearing_x, bearing_y, width, height;	/* hinted metrics, 26.6 */
	int left, top, cols, rows;	/* the bitmap */
	uint8_t pix[];
};

struct box {
	int w, h, xstart, ystart;
};

/* The layout tables HarfBuzz keeps for shaping, which the weights of a
 * family may have byte for byte alike (Noto Sans's Regular and Bold:
 * GSUB and GDEF, 25 KB in all for the three scripts; not GPOS). */
static const hb_tag_t shared_tags[] = { HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'D', 'E', 'F'),
					HB_TAG('G', 'P', 'O', 'S') };
#define SHARED_TAGS (sizeof shared_tags / sizeof shared_tags[0])

/* One per font file: its tables, read once for every size. */
struct file {
	struct fontrun *fr;
	char *path;
	/* its tables of shared_tags, once read (a reference of our own):
	 * another file's that has the same bytes is used instead */
	hb_blob_t *layout[SHARED_TAGS];
	hb_face_t *face;
	hb_font_t *font;
	int x_scale, y_scale;
	/* the sfnt table directory, read at the first table asked for:
	 * HarfBuzz asks for Graphite's 'Silf' at every shaping (it caches
	 * only tables it finds), so an absent table must cost no read */
	struct table { uint32_t tag, at, len; } *dir;
	unsigned tables;		/* in dir; dir NULL: not read yet */
	FT_Face ft;			/* NULL: not opened yet */
	FT_Size draw;			/* ft's own size: the one glyphs load at */
	int px;				/* its size now */
	/* A second size of ft for the line metrics of other sizes than the
	 * drawing one: asking for them does not reset the drawing size's
	 * hinting state (a size's 'prep' program runs again at its next
	 * glyph after each change). It never loads a glyph, so it keeps no
	 * hinting state of its own. NULL until needed. */
	FT_Size measure;
	int metrics_px;			/* the size of metrics; 0: none yet */
	struct fontrun_metrics metrics;
	bool failed;			/* cannot be drawn here */
};

/* A run shaped lately, its glyphs placed and its box. text.c measures a
 * line's runs to lay the line out, then each again right before drawing
 * it: HarfBuzz shaped every run twice. The last MEMO_RUNS runs are kept
 * (a line has a few; its cuts with an ellipsis a few more), looked up by
 * everything shaping and the box depend on. */
#define MEMO_RUNS 16
struct placed {
	unsigned gid;
	int x_offset, y_offset, x_advance, y_advance;
};
struct shaped {
	char *utf8;			/* NULL: a free slot */
	int file, px, height, ascent;	/* height, ascent: the font's (file, px) */
	bool rtl;
	char script[5];
	struct placed *g;
	unsigned n, cap;
	struct box box;
};

struct fontrun {
	FT_Library lib;
	struct file *files;
	int n;
	hb_font_funcs_t *funcs;
	hb_buffer_t *buf;
	struct glyph *buckets[BUCKETS];
	struct glyph lru;		/* sentinel: lru.older is the newest */
	struct fontrun_stats stats;
	/* the run being shaped, for HarfBuzz's callbacks */
	FT_Face face;
	int file, px;
	bool failed;			/* a glyph could not be loaded */
	const struct shaped *cur;	/* the run measured last */
	struct shaped memo[MEMO_RUNS];
	unsigned memo_next;		/* the slot taken next */
};

/* ---- HarfBuzz's tables, read from the font file ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* len bytes at offset at, read through fontfile.h (as FreeType reads the
 * file): its pread loop, not a second one here. */
static bool read_at(SDL_RWops *rw, void *buf, size_t len, Sint64 at)
{
	return SDL_RWseek(rw, at, RW_SEEK_SET) == at && SDL_RWread(rw, buf, 1, len) == len;
}

/* Reads the file's table directory into f->dir (none: no tables). */
static void read_directory(struct file *f, SDL_RWops *rw)
{
	uint8_t head[12], rec[16];
	unsigned n = read_at(rw, head, sizeof head, 0) ? (unsigned)head[4] << 8 | head[5] : 0;
	f->dir = calloc(n + 1, sizeof *f->dir);	/* never NULL once read */
	f->tables = 0;
	for (unsigned i = 0; f->dir && i < n; i++) {
		if (!read_at(rw, rec, sizeof rec, 12 + 16 * (Sint64)i))
			break;
		f->dir[f->tables++] = (struct table){ be32(rec), be32(rec + 8), be32(rec + 12) };
	}
}

/* The blob of a table's bytes for file f. A table of shared_tags (k
 * below SHARED_TAGS) is a blob of another file with the same bytes and
 * as many glyphs (HarfBuzz checks a table against its face's glyph
 * count) if there is one; else it is a new one of bytes (freed with
 * it). */
static hb_blob_t *table_blob(struct file *f, size_t k, char *bytes, unsigned len)
{
	for (int i = 0; k < SHARED_TAGS && i < f->fr->n; i++) {
		const struct file *other = &f->fr->files[i];
		hb_blob_t *o = other->layout[k];
		if (o && hb_face_get_glyph_count(other->face) != hb_face_get_glyph_count(f->face))
			continue;
		unsigned n = 0;
		const char *d = o ? hb_blob_get_data(o, &n) : NULL;
		if (d && n == len && memcmp(d, bytes, len) == 0) {
			free(bytes);
			f->fr->stats.tables_shared++;
			return hb_blob_reference(o);
		}
	}
	f->fr->stats.table_bytes += len;
	return hb_blob_create(bytes, len, HB_MEMORY_MODE_READONLY, bytes, free);
}

/* A table of an sfnt file, as HarfBuzz asks for it (NULL: absent, which
 * it takes as empty). The whole file (tag 0) is never needed to shape. */
static hb_blob_t *reference_table(hb_face_t *face, hb_tag_t tag, void *data)
{
	(void)face;
	struct file *f = data;
	const struct table *t = NULL;
	SDL_RWops *rw = NULL;
	size_t k = 0;

	while (k < SHARED_TAGS && shared_tags[k] != tag)
		k++;
	if (k < SHARED_TAGS && f->layout[k])
		return hb_blob_reference(f->layout[k]);
	if (!tag)
		return NULL;
	if (!f->dir) {
		rw = fontfile_open(f->path);
		if (!rw)
			return NULL;
		read_directory(f, rw);
	}
	for (unsigned i = 0; f->dir && i < f->tables && !t; i++) {
		if (f->dir[i].tag == tag)
			t = &f->dir[i];
	}
	if (t && t->len > 0 && !rw)
		rw = fontfile_open(f->path);
	hb_blob_t *blob = NULL;
	char *bytes = t && t->len > 0 && rw ? malloc(t->len) : NULL;
	if (bytes && read_at(rw, bytes, t->len, t->at))
		blob = table_blob(f, k, bytes, t->len);
	else
		free(bytes);
	if (rw)
		SDL_RWclose(rw);
	if (blob && k < SHARED_TAGS && blob != hb_blob_get_empty())
		f->layout[k] = hb_blob_reference(blob);
	return blob;
}

/* ---- the glyph cache ---- */

static uint64_t glyph_key(int file, int px, unsigned gid)
{
	return (uint64_t)(unsigned)file << 56 | (uint64_t)(unsigned)px << 32 | gid;
}

static unsigned key_bucket(uint64_t key)
{
	return (unsigned)((key * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - BUCKET_BITS));
}

static void lru_unlink(struct glyph *g)
{
	g->newer->older = g->older;
	g->older->newer = g->newer;
}

static void lru_push(struct fontrun *fr, struct glyph *g)
{
	g->newer = &fr->lru;
	g->older = fr->lru.older;
	fr->lru.older->newer = g;
	fr->lru.older = g;
}

static void glyph_remove(struct fontrun *fr, struct glyph *g)
{
	struct glyph **pp = &fr->buckets[key_bucket(g->key)];
	while (*pp != g)
		pp = &(*pp)->next;
	*pp = g->next;
	lru_unlink(g);
	fr->stats.glyphs--;
	fr->stats.bytes -= (uint64_t)g->cols * (uint64_t)g->rows;
	free(g);
}

static void make_room(struct fontrun *fr, size_t bytes)
{
	while (fr->stats.glyphs > 0 && (fr->stats.glyphs >= FONTRUN_GLYPHS_MAX ||
					 fr->stats.bytes + bytes > FONTRUN_BYTES_MAX)) {
		glyph_remove(fr, fr->lru.newer);	/* the oldest */
		fr->stats.evicted++;
	}
}

/* SDL2_ttf's box of a glyph just loaded: FreeType's preset bitmap, else
 * (older FreeType) the box of its metrics. */
static void glyph_box(struct glyph *g, FT_GlyphSlot slot)
{
	g->sz_left = slot->bitmap_left;
	g->sz_top = slot->bitmap_top;
	g->sz_rows = (int)slot->bitmap.rows;
	g->sz_width = (int)slot->bitmap.width;
	if (g->sz_left == 0 && g->sz_top == 0 && g->sz_rows == 0 && g->sz_width == 0) {
		int minx = (int)FT_FLOOR(slot->metrics.horiBearingX);
		int maxx = (int)FT_CEIL(slot->metrics.horiBearingX + slot->metrics.width);
		int maxy = (int)FT_FLOOR(slot->metrics.horiBearingY);
		int miny = maxy - (int)FT_CEIL(slot->metrics.height);
		g->sz_left = minx;
		g->sz_top = maxy;
		g->sz_rows = maxy - miny;
		g->sz_width = maxx - minx;
	}
}

/* Loads (hinted), measures and renders glyph gid of the run's face. NULL
 * when FreeType fails or gives something SDL2_ttf would draw another way
 * (an embedded bitmap, not 8-bit grey). */
static struct glyph *glyph_load(struct fontrun *fr, unsigned gid)
{
	FT_Face face = fr->face;
	if (FT_Load_Glyph(face, gid, FT_LOAD_DEFAULT) != 0 ||
	    face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
		return NULL;
	FT_GlyphSlot slot = face->glyph;
	struct glyph box = {
		.advance = slot->advance.x * 1024,	/* 26.6 -> 16.16 */
		.bearing_x = slot->metrics.horiBearingX, .bearing_y = slot->metrics.horiBearingY,
		.width = slot->metrics.width, .height = slot->metrics.height,
	};
	glyph_box(&box, slot);
	if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0 ||
	    (slot->bitmap.width > 0 && slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY))
		return NULL;
	box.left = slot->bitmap_left;
	box.top = slot->bitmap_top;
	box.cols = (int)slot->bitmap.width;
	box.rows = box.cols ? (int)slot->bitmap.rows : 0;
	size_t bytes = (size_t)box.cols * (size_t)box.rows;
	make_room(fr, bytes);
	struct glyph *g = malloc(sizeof *g + bytes);
	if (!g)
		return NULL;
	*g = box;
	for (int y = 0; y < box.rows; y++)
		memcpy(g->pix + (size_t)y * (size_t)box.cols,
		       slot->bitmap.buffer + (ptrdiff_t)y * slot->bitmap.pitch, (size_t)box.cols);
	fr->stats.loads++;
	fr->stats.glyphs++;
	fr->stats.bytes += bytes;
	return g;
}

static struct glyph *glyph_get(struct fontrun *fr, unsigned gid)
{
	uint64_t key = glyph_key(fr->file, fr->px, gid);
	unsigned b = key_bucket(key);
	for (struct glyph *g = fr->buckets[b]; g; g = g->next) {
		if (g->key == key) {
			lru_unlink(g);
			lru_push(fr, g);
			fr->stats.hits++;
			return g;
		}
	}
	struct glyph *g = glyph_load(fr, gid);
	if (!g) {
		fr->failed = true;
		return NULL;
	}
	g->key = key;
	g->next = fr->buckets[b];
	fr->buckets[b] = g;
	lru_push(fr, g);
	return g;
}

/* ---- HarfBuzz's font functions, as hb-ft (HarfBuzz 6.0) answers ---- */

static hb_bool_t nominal_glyph(hb_font_t *font, void *data, hb_codepoint_t unicode,
			       hb_codepoint_t *glyph, void *user)
{
	(void)font;
	(void)user;
	struct fontrun *fr = data;
	*glyph = FT_Get_Char_Index(fr->face, unicode);
	return *glyph != 0;
}

static unsigned nominal_glyphs(hb_font_t *font, void *data, unsigned count,
			       const hb_codepoint_t *unicode, unsigned unicode_stride,
			       hb_codepoint_t *glyph, unsigned glyph_stride, void *user)
{
	(void)font;
	(void)user;
	struct fontrun *fr = data;
	unsigned done = 0;
	for (; done < count; done++) {
		*glyph = FT_Get_Char_Index(fr->face, *unicode);
		if (!*glyph)
			break;
		unicode = (const hb_codepoint_t *)((const char *)unicode + unicode_stride);
		glyph = (hb_codepoint_t *)((char *)glyph + glyph_stride);
	}
	return done;
}

static hb_bool_t variation_glyph(hb_font_t *font, void *data, hb_codepoint_t unicode,
				 hb_codepoint_t selector, hb_codepoint_t *glyph, void *user)
{
	(void)font;
	(void)user;
	struct fontrun *fr = data;
	*glyph = FT_Face_GetCharVariantIndex(fr->face, unicode, selector);
	return *glyph != 0;
}

/* hb-ft's rounding of FT_Get_Advance's 16.16 to 26.6, in float as it
 * does it. */
static void h_advances(hb_font_t *font, void *data, unsigned count, const hb_codepoint_t *glyph,
		       unsigned glyph_stride, hb_position_t *advance, unsigned advance_stride,
		       void *user)
{
	(void)user;
	struct fontrun *fr = data;
	int x_scale = 0;
	hb_font_get_scale(font, &x_scale, NULL);
	float mult = x_scale < 0 ? -1.0f : 1.0f;
	for (unsigned i = 0; i < count; i++) {
		const struct glyph *g = glyph_get(fr, *glyph);
		FT_Fixed v = g ? g->advance : 0;
		*advance = (hb_position_t)((float)v * mult + (1 << 9)) >> 10;
		glyph = (const hb_codepoint_t *)((const char *)glyph + glyph_stride);
		advance = (hb_position_t *)((char *)advance + advance_stride);
	}
}

static hb_position_t h_kerning(hb_font_t *font, void *data, hb_codepoint_t left,
			       hb_codepoint_t right, void *user)
{
	(void)user;
	struct fontrun *fr = data;
	unsigned x_ppem = 0;
	FT_Vector v;
	hb_font_get_ppem(font, &x_ppem, NULL);
	if (FT_Get_Kerning(fr->face, left, right, x_ppem ? FT_KERNING_DEFAULT : FT_KERNING_UNFITTED,
			   &v) != 0)
		return 0;
	return (hb_position_t)v.x;
}

static hb_bool_t glyph_extents(hb_font_t *font, void *data, hb_codepoint_t glyph,
			       hb_glyph_extents_t *e, void *user)
{
	(void)user;
	struct fontrun *fr = data;
	int xs = 0, ys = 0;
	hb_font_get_scale(font, &xs, &ys);
	const struct glyph *g = glyph_get(fr, glyph);
	if (!g)
		return false;
	float xm = xs < 0 ? -1.0f : 1.0f, ym = ys < 0 ? -1.0f : 1.0f;
	e->x_bearing = (hb_position_t)(xm * (float)g->bearing_x);
	e->y_bearing = (hb_position_t)(ym * (float)g->bearing_y);
	e->width = (hb_position_t)(xm * (float)g->width);
	e->height = (hb_position_t)(ym * (float)-g->height);
	return true;
}

/* Anchors by contour point (rare): the hinted outline's point. */
static hb_bool_t contour_point(hb_font_t *font, void *data, hb_codepoint_t glyph,
			       unsigned point, hb_position_t *x, hb_position_t *y, void *user)
{
	(void)font;
	(void)user;
	struct fontrun *fr = data;
	FT_GlyphSlot slot = fr->face->glyph;
	if (FT_Load_Glyph(fr->face, glyph, FT_LOAD_DEFAULT) != 0 ||
	    slot->format != FT_GLYPH_FORMAT_OUTLINE || point >= (unsigned)slot->outline.n_points)
		return false;
	*x = (hb_position_t)slot->outline.points[point].x;
	*y = (hb_position_t)slot->outline.points[point].y;
	return true;
}

static hb_font_funcs_t *make_funcs(void)
{
	hb_font_funcs_t *f = hb_font_funcs_create();
	hb_font_funcs_set_nominal_glyph_func(f, nominal_glyph, NULL, NULL);
	hb_font_funcs_set_nominal_glyphs_func(f, nominal_glyphs, NULL, NULL);
	hb_font_funcs_set_variation_glyph_func(f, variation_glyph, NULL, NULL);
	hb_font_funcs_set_glyph_h_advances_func(f, h_advances, NULL, NULL);
	hb_font_funcs_set_glyph_h_kerning_func(f, h_kerning, NULL, NULL);
	hb_font_funcs_set_glyph_extents_func(f, glyph_extents, NULL, NULL);
	hb_font_funcs_set_glyph_contour_point_func(f, contour_point, NULL, NULL);
	hb_font_funcs_make_immutable(f);
	return f;
}

/* ---- runs ---- */

/* FreeType reads the file through fontfile.h's window, as SDL2_ttf's
 * faces do (no mapping of the file: its pages would count to the board). */
static unsigned long stream_read(FT_Stream st, unsigned long at, unsigned char *buf,
				 unsigned long count)
{
	SDL_RWops *rw = st->descriptor.pointer;
	if (SDL_RWseek(rw, (Sint64)at, RW_SEEK_SET) < 0)
		return count ? 0 : 1;	/* a seek alone: non-zero is an error */
	return count ? (unsigned long)SDL_RWread(rw, buf, 1, count) : 0;
}

static void stream_close(FT_Stream st)
{
	SDL_RWclose(st->descriptor.pointer);
	free(st);
}

/* SDL2_ttf's choice of character map: UCS-4, else the first Windows
 * Unicode or symbol, ISO Unicode or Apple Unicode one. */
static void pick_charmap(FT_Face face)
{
	FT_CharMap found = NULL;
	for (int i = 0; i < face->num_charmaps && !found; i++) {
		FT_CharMap c = face->charmaps[i];
		if (c->platform_id == 3 && c->encoding_id == 10)
			found = c;
	}
	for (int i = 0; i < face->num_charmaps && !found; i++) {
		FT_CharMap c = face->charmaps[i];
		if ((c->platform_id == 3 && (c->encoding_id == 1 || c->encoding_id == 0)) ||
		    (c->platform_id == 2 && c->encoding_id == 1) || c->platform_id == 0)
			found = c;
	}
	if (found)
		FT_Set_Charmap(face, found);
}

/* Opens file f's face, as SDL2_ttf opens its own; f->failed when it
 * cannot be opened, is not scalable, or has a symbol character map
 * (hb-ft remaps those: not done here). */
static void file_open(struct fontrun *fr, struct file *f)
{
	FT_Stream st = calloc(1, sizeof *st);
	SDL_RWops *rw = st ? fontfile_open(f->path) : NULL;
	Sint64 size = rw ? SDL_RWsize(rw) : -1;
	if (size <= 0) {
		if (rw)
			SDL_RWclose(rw);
		free(st);
	} else {
		st->descriptor.pointer = rw;
		st->size = (unsigned long)size;
		st->read = stream_read;
		st->close = stream_close;
		FT_Open_Args args = { .flags = FT_OPEN_STREAM, .stream = st };
		/* on failure FreeType closes the stream (stream_close) */
		if (FT_Open_Face(fr->lib, &args, 0, &f->ft) != 0)
			f->ft = NULL;
	}
	if (f->ft) {
		pick_charmap(f->ft);
		f->draw = f->ft->size;
	}
	f->failed = !f->ft || !FT_IS_SCALABLE(f->ft) ||
		    (f->ft->charmap && f->ft->charmap->encoding == FT_ENCODING_MS_SYMBOL);
	if (f->failed)
		log_warn("fontrun", "%s: drawn by SDL2_ttf", f->path);
}

/* File f opened at its first use (file_open): false when it cannot be
 * drawn here. */
static bool file_ready(struct fontrun *fr, struct file *f)
{
	if (!f->ft && !f->failed)
		file_open(fr, f);
	return !f->failed;
}

/* File f's face at px: opened at its first run, one size at a time (a
 * size's hinting state is 30-50 KB; glyphs of other sizes are in the
 * cache). NULL when it cannot be drawn here (file_open). */
static FT_Face file_face(struct fontrun *fr, struct file *f, int px)
{
	if (!file_ready(fr, f))
		return NULL;
	if (f->px != px) {
		if (FT_Set_Char_Size(f->ft, 0, (FT_F26Dot6)px * 64, 0, 0) != 0)
			return NULL;
		f->px = px;
	}
	return f->ft;
}

/* SDL2_ttf's line metrics of a face at its active size
 * (TTF_initFontMetrics, scalable fonts). */
static void metrics_of(FT_Face face, struct fontrun_metrics *m)
{
	FT_Fixed scale = face->size->metrics.y_scale;
	m->ascent = (int)FT_CEIL(FT_MulFix(face->ascender, scale));
	m->descent = (int)FT_CEIL(FT_MulFix(face->descender, scale));
	m->height = (int)FT_CEIL(FT_MulFix(face->ascender - face->descender, scale));
}

/* File f's line metrics at px into f->metrics: the drawing size's if it
 * is at px, else those of the measuring size set to px. */
static bool file_metrics(struct fontrun *fr, struct file *f, int px)
{
	if (f->metrics_px == px)
		return true;
	if (!file_ready(fr, f) || px <= 0)
		return false;
	bool ok = true;
	if (f->px != px) {
		ok = (f->measure || FT_New_Size(f->ft, &f->measure) == 0) &&
		     FT_Activate_Size(f->measure) == 0 &&
		     FT_Set_Char_Size(f->ft, 0, (FT_F26Dot6)px * 64, 0, 0) == 0;
	}
	if (ok)
		metrics_of(f->ft, &f->metrics);
	FT_Activate_Size(f->draw);
	f->metrics_px = ok ? px : 0;
	return ok;
}

/* File file's face at px for the run at hand (glyph_get loads from it). */
static FT_Face run_face(struct fontrun *fr, int file, int px)
{
	if (file < 0 || file >= fr->n || px <= 0)
		return NULL;
	FT_Face face = file_face(fr, &fr->files[file], px);
	if (face) {
		fr->face = face;
		fr->file = file;
		fr->px = px;
		fr->failed = false;
	}
	return face;
}

/* Shapes run k (its text, file, size, direction and four-letter script)
 * into fr->buf as SDL2_ttf does; false when a glyph failed. */
static bool shape(struct fontrun *fr, const struct shaped *k)
{
	FT_Face face = run_face(fr, k->file, k->px);
	if (!face)
		return false;
	struct file *f = &fr->files[k->file];
	/* hb-ft's scale (and no ppem: "hb-ft works in no-hinting model") */
	int xs = (int)(((uint64_t)face->size->metrics.x_scale * face->units_per_EM + (1u << 15)) >> 16);
	int ys = (int)(((uint64_t)face->size->metrics.y_scale * face->units_per_EM + (1u << 15)) >> 16);
	if (xs != f->x_scale || ys != f->y_scale) {
		hb_font_set_scale(f->font, xs, ys);
		f->x_scale = xs;
		f->y_scale = ys;
	}
	fr->stats.shaped++;
	hb_buffer_clear_contents(fr->buf);
	hb_buffer_set_direction(fr->buf, k->rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	/* SDL2_ttf takes the tag as written (TTF_SetFontScriptName) */
	hb_buffer_set_script(fr->buf, (hb_script_t)HB_TAG(k->script[0], k->script[1],
							  k->script[2], k->script[3]));
	hb_buffer_add_utf8(fr->buf, k->utf8, -1, 0, -1);
	hb_shape(f->font, fr->buf, NULL, 0);
	return !fr->failed;
}

/* The run's box from the shaped buffer: TTF_Size_Internal's. */
static bool run_box(struct fontrun *fr, const struct shaped *m, struct box *out)
{
	int x = 0, y = 0, minx = 0, maxx = 0, miny = 0, maxy = m->height;

	for (unsigned i = 0; i < m->n; i++) {
		const struct placed *p = &m->g[i];
		const struct glyph *g = glyph_get(fr, p->gid);
		if (!g)
			return false;
		int pos_x = x + p->x_offset;
		int pos_y = y + m->ascent * 64 - p->y_offset;
		x += p->x_advance;
		y += p->y_advance;
		pos_x = FT_FLOOR(pos_x) + g->sz_left;
		pos_y = FT_FLOOR(pos_y) - g->sz_top;
		minx = SDL_min(minx, pos_x);
		maxx = SDL_max(maxx, pos_x + g->sz_width);
		miny = SDL_min(miny, pos_y);
		maxy = SDL_max(maxy, pos_y + g->sz_rows);
	}
	maxx = SDL_max(maxx, FT_FLOOR(x));
	out->xstart = minx < 0 ? -minx : 0;
	out->ystart = miny < 0 ? -miny : 0;
	out->w = maxx - minx;
	out->h = maxy - miny;
	return true;
}

static struct shaped *memo_find(struct fontrun *fr, const struct shaped *k)
{
	for (int i = 0; i < MEMO_RUNS; i++) {
		struct shaped *m = &fr->memo[i];
		if (m->utf8 && m->file == k->file && m->px == k->px && m->rtl == k->rtl &&
		    m->height == k->height && m->ascent == k->ascent &&
		    strcmp(m->script, k->script) == 0 && strcmp(m->utf8, k->utf8) == 0)
			return m;
	}
	return NULL;
}

/* The run just shaped (fr->buf) into the next slot, as key k; NULL when
 * out of memory. */
static struct shaped *memo_put(struct fontrun *fr, const struct shaped *k)
{
	struct shaped *m = &fr->memo[fr->memo_next];
	fr->memo_next = (fr->memo_next + 1) % MEMO_RUNS;
	unsigned n = 0;
	const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(fr->buf, &n);
	const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(fr->buf, &n);
	free(m->utf8);
	m->utf8 = NULL;
	if (n > m->cap) {
		struct placed *more = realloc(m->g, n * sizeof *more);
		if (!more)
			return NULL;
		m->g = more;
		m->cap = n;
	}
	char *copy = strdup(k->utf8);
	if (!copy)
		return NULL;
	struct placed *g = m->g;
	unsigned cap = m->cap;
	*m = *k;
	m->utf8 = copy;
	m->g = g;
	m->cap = cap;
	m->n = n;
	for (unsigned i = 0; i < n; i++)
		m->g[i] = (struct placed){ info[i].codepoint, pos[i].x_offset, pos[i].y_offset,
					   pos[i].x_advance, pos[i].y_advance };
	return m;
}

bool fontrun_metrics(struct fontrun *fr, int file, int px, struct fontrun_metrics *out)
{
	if (!fr || file < 0 || file >= fr->n || !file_metrics(fr, &fr->files[file], px))
		return false;
	*out = fr->files[file].metrics;
	return true;
}

int fontrun_has_glyph(struct fontrun *fr, int file, uint32_t cp)
{
	if (!fr || file < 0 || file >= fr->n)
		return -1;
	struct file *f = &fr->files[file];
	return file_ready(fr, f) ? FT_Get_Char_Index(f->ft, cp) != 0 : -1;
}

bool fontrun_glyph_metrics(struct fontrun *fr, int file, int px, uint32_t cp, int *maxy,
			   int *advance)
{
	FT_Face face = fr ? run_face(fr, file, px) : NULL;
	const struct glyph *g = face ? glyph_get(fr, FT_Get_Char_Index(face, cp)) : NULL;
	if (!g)
		return false;
	*maxy = g->sz_top;
	*advance = (int)FT_CEIL(g->advance / 1024);	/* 16.16 -> 26.6, rounded up */
	return true;
}

bool fontrun_measure(struct fontrun *fr, int file, int px, const char *utf8, bool rtl,
		     const char *script, int *w, int *h)
{
	struct fontrun_metrics fm;
	if (!fr || !utf8 || strlen(script) != 4 || !fontrun_metrics(fr, file, px, &fm))
		return false;
	struct shaped k = { (char *)utf8, file, px, fm.height, fm.ascent,
			    rtl, "", NULL, 0, 0, { 0, 0, 0, 0 } };
	memcpy(k.script, script, 5);
	fr->cur = NULL;
	struct shaped *m = memo_find(fr, &k);
	if (m) {
		if (!run_face(fr, file, px))
			return false;
		fr->stats.memo_hits++;
	} else {
		if (!shape(fr, &k) || !(m = memo_put(fr, &k)))
			return false;
		if (!run_box(fr, m, &m->box)) {
			free(m->utf8); /* a glyph failed: not kept */
			m->utf8 = NULL;
			return false;
		}
	}
	fr->cur = m;
	*w = m->box.w;
	*h = m->box.h;
	return true;
}

/* One glyph's alpha OR'ed in at (x, y), clipped to w x h. */
static void or_glyph(uint8_t *restrict alpha, int w, int h, const struct glyph *g, int x, int y)
{
	int x0 = SDL_max(0, -x), y0 = SDL_max(0, -y);
	int x1 = SDL_min(g->cols, w - x), y1 = SDL_min(g->rows, h - y);
	for (int row = y0; row < y1; row++) {
		const uint8_t *src = g->pix + (size_t)row * (size_t)g->cols;
		uint8_t *dst = alpha + (size_t)(row + y) * (size_t)w + x;
		for (int col = x0; col < x1; col++)
			dst[col] |= src[col];
	}
}

void fontrun_draw(struct fontrun *fr, uint8_t *alpha, int w, int h)
{
	const struct shaped *m = fr->cur;
	if (!m)
		return;
	const struct box *b = &m->box;
	int x = 0, y = 0;
	for (unsigned i = 0; i < m->n; i++) {
		/* in the cache unless a run measured since pushed it out */
		const struct placed *p = &m->g[i];
		const struct glyph *g = glyph_get(fr, p->gid);
		int pos_x = x + p->x_offset;
		int pos_y = y + m->ascent * 64 - p->y_offset;
		x += p->x_advance;
		y += p->y_advance;
		if (g)
			or_glyph(alpha, w, h, g, b->xstart + FT_FLOOR(pos_x) + g->left,
				 b->ystart + FT_FLOOR(pos_y) - g->top);
	}
}

/* ---- life ---- */

struct fontrun *fontrun_create(const char *const *paths, int n)
{
	struct fontrun *fr = calloc(1, sizeof *fr);
	if (!fr)
		return NULL;
	fr->lru.newer = fr->lru.older = &fr->lru;
	if (FT_Init_FreeType(&fr->lib) != 0) {
		log_error("fontrun", "FreeType did not start");
		free(fr);
		return NULL;
	}
	fr->files = calloc((size_t)n, sizeof *fr->files);
	fr->n = n;
	fr->funcs = make_funcs();
	fr->buf = hb_buffer_create();
	bool ok = fr->files && hb_buffer_allocation_successful(fr->buf);
	for (int i = 0; ok && i < n; i++) {
		struct file *f = &fr->files[i];
		f->fr = fr;
		f->path = strdup(paths[i]);
		f->face = f->path ? hb_face_create_for_tables(reference_table, f, NULL) : NULL;
		f->font = f->face ? hb_font_create(f->face) : NULL;
		ok = f->face && f->face != hb_face_get_empty() && f->font &&
		     hb_font_get_face(f->font) == f->face;
		if (ok)	/* the font takes its own reference to the functions */
			hb_font_set_funcs(f->font, fr->funcs, fr, NULL);
	}
	if (!ok) {
		log_error("fontrun", "out of memory");
		fontrun_destroy(fr);
		return NULL;
	}
	return fr;
}

void fontrun_destroy(struct fontrun *fr)
{
	if (!fr)
		return;
	while (fr->stats.glyphs > 0)
		glyph_remove(fr, fr->lru.newer);
	for (int i = 0; fr->files && i < fr->n; i++) {
		hb_font_destroy(fr->files[i].font);
		hb_face_destroy(fr->files[i].face);
		for (size_t k = 0; k < SHARED_TAGS; k++)
			hb_blob_destroy(fr->files[i].layout[k]);
		if (fr->files[i].ft)
			FT_Done_Face(fr->files[i].ft);
		free(fr->files[i].path);
		free(fr->files[i].dir);
	}
	free(fr->files);
	for (int i = 0; i < MEMO_RUNS; i++) {
		free(fr->memo[i].utf8);
		free(fr->memo[i].g);
	}
	hb_font_funcs_destroy(fr->funcs);
	hb_buffer_destroy(fr->buf);
	FT_Done_FreeType(fr->lib);
	free(fr);
}

void fontrun_get_stats(const struct fontrun *fr, struct fontrun_stats *out)
{
	if (fr)
		*out = fr->stats;
	else
		memset(out, 0, sizeof *out);
}
