/* test_scene.c - draw only what changed, and a flashing layer's pictures.
 *
 * A scene (src/ui/scene.h) on SDL's software renderer in a window of the
 * dummy video driver, as the board draws: a layer (a fill, an edge, lines
 * of Latin, Hebrew and digits) flashing between two colourings, a steady
 * text beside it, and in some cases a square that changes every frame
 * over a corner of the layer (the layer then drawn in part). Every frame
 * is compared with the same frame drawn whole without pictures
 * (scene_set_check), counted in pixels; from the fifth frame on the layer
 * comes from its kept pictures. Drawn straight into the window surface a
 * picture holds, and a flip copies, only the pixels that differ from the
 * layer's fill: not the fill between the letters. Drawn through a target
 * texture (a turned display) the pictures are bands of rows, as before;
 * and when the output becomes a target texture while a layer flashes,
 * the pictures kept as runs (which only the window surface takes) are
 * not used on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "scene.h"
#include "text.h"

#include "check.h"
#include "scenerig.h"

#define W 480
#define H 270
#define FRAMES 10

static const SDL_Color bg = { 16, 16, 18, 255 };
static const SDL_Color fill[2] = { { 178, 18, 34, 255 }, { 255, 200, 20, 255 } };
static const SDL_Color ink[2] = { { 255, 255, 255, 255 }, { 16, 16, 18, 255 } };
static const SDL_Rect layer = { 20, 30, 400, 120 };

struct scene_case {
	const char *name;
	SDL_Rect viewport;   /* w 0: the whole output (the orbit shifts it) */
	bool blinker;        /* a frame over the layer's corner changes each frame */
	bool steady_after;   /* from frame 6 on the layer stops flashing */
	bool target;         /* drawn into a target texture, copied out */
	bool direct;         /* pictures in runs (not bands in a texture) */
	int target_from;     /* > 0: into a target texture from this frame on
	                        (the output changed under kept pictures) */
};

static const struct scene_case cases[] = {
	{ "window, flashing", { 0, 0, 0, 0 }, false, false, false, true, 0 },
	{ "window, shifted by the orbit", { 3, 2, W, H }, false, false, false, true, 0 },
	{ "window, drawn in part under a blinker", { 0, 0, 0, 0 }, true, true, false, true, 0 },
	{ "window, shifted, in part", { 4, 1, W, H }, true, true, false, true, 0 },
	{ "target texture, flashing", { 0, 0, 0, 0 }, false, false, true, false, 0 },
	{ "target texture, in part", { 0, 0, 0, 0 }, true, true, true, false, 0 },
	{ "window, then a target texture", { 0, 0, 0, 0 }, false, false, false, true, 6 },
};

static void text(struct scene *s, const char *str, int px, SDL_Color c, SDL_Rect box,
		 bool digits)
{
	struct text_style st = { px, TEXT_BOLD, c, TEXT_DIR_AUTO, TEXT_ALIGN_START };
	scene_text(s, str, &st, box, digits);
}

/* One frame of the case: the layer in colouring `phase`. */
static void record(struct scene *s, int phase, int frame, bool blinker)
{
	scene_begin(s);
	scene_fill(s, (SDL_Rect){ 0, 0, W, H }, bg);
	scene_layer_begin(s, layer);
	scene_fill(s, layer, fill[phase]);
	scene_outline(s, layer, 4, ink[phase]);
	text(s, "CRISIS  Checkout outage", 26, ink[phase],
	     (SDL_Rect){ layer.x + 12, layer.y + 10, layer.w - 24, 36 }, false);
	text(s, "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d", 22,
	     ink[phase], (SDL_Rect){ layer.x + 12, layer.y + 50, layer.w - 24, 30 }, false);
	text(s, "+1:02:13", 22, ink[phase],
	     (SDL_Rect){ layer.x + 12, layer.y + 82, 160, 30 }, true);
	scene_layer_end(s);
	text(s, "steady", 20, ink[0], (SDL_Rect){ 20, 180, 200, 30 }, false);
	/* an outline: the layer shows inside it, drawn in part */
	if (blinker)
		scene_outline(s, (SDL_Rect){ layer.x + layer.w - 60, layer.y + layer.h - 30, 90, 60 },
			      3, (SDL_Color){ (Uint8)(40 * frame), 90, 200, 255 });
}

/* Pixels of the layer (output coordinates) not of its fill, as drawn. */
static uint64_t not_fill(SDL_Renderer *ren, const SDL_Rect *vp, int phase)
{
	SDL_Rect r = { layer.x + vp->x, layer.y + vp->y, layer.w, layer.h };
	Uint32 *px = malloc((size_t)r.w * (size_t)r.h * 4);
	uint64_t n = 0;
	if (!px || SDL_RenderReadPixels(ren, &r, SDL_PIXELFORMAT_ARGB8888, px, r.w * 4) != 0) {
		free(px);
		return 0;
	}
	Uint32 f = 0xff000000u | (Uint32)fill[phase].r << 16 | (Uint32)fill[phase].g << 8 |
		   fill[phase].b;
	for (int i = 0; i < r.w * r.h; i++)
		n += px[i] != f;
	free(px);
	return n;
}

static void run_case(SDL_Window *win, const struct scene_case *c, const char *fonts)
{
	check_ctx = c->name;
	struct rig g = rig_open(win, fonts);
	SDL_Renderer *ren = g.ren;
	struct text *t = g.t;
	struct scene *s = g.s;
	bool any_target = c->target || c->target_from;
	SDL_Texture *tex = any_target && ren ? SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888,
								SDL_TEXTUREACCESS_TARGET, W, H)
					     : NULL;
	checkf(s && (!any_target || tex), "set up: %s", SDL_GetError());
	if (!s || (any_target && !tex))
		goto out;
	if (c->target)
		SDL_SetRenderTarget(ren, tex);
	SDL_Rect vp = c->viewport.w ? c->viewport : (SDL_Rect){ 0, 0, W, H };
	SDL_RenderSetViewport(ren, &vp);
	scene_set_check(s, true);
	uint64_t checked = 0, mismatched = 0, copied = 0, kept[FRAMES] = { 0 };
	for (int f = 0; f < FRAMES; f++) {
		int phase = c->steady_after && f >= 6 ? 0 : f % 2;
		struct scene_result res;
		bool turned = c->target_from && f == c->target_from;
		if (turned) /* as display_begin: into the texture, drawn whole */
			SDL_SetRenderTarget(ren, tex);
		bool direct = c->direct && !(c->target_from && f >= c->target_from);
		record(s, phase, f, c->blinker);
		scene_end(s, turned, &res);
		text_frame_end(t);
		checked += res.checked;
		mismatched += res.mismatched;
		kept[f] = res.kept_bytes;
		if (f < 4 || !res.copied)
			continue;
		copied++;
		/* the check left the frame drawn whole on the output */
		uint64_t differ = not_fill(ren, &vp, phase);
		checkf(differ > 0, "frame %d: the layer has letters", f);
		/* the ticking digits are drawn over the picture, not in it */
		uint64_t per = res.copied_px / res.copied; /* drawn in two rects: twice */
		if (direct) {
			/* at most: a count of 0 would pass it too, so not 0 */
			checkf(per > 0 && per <= differ, "frame %d: a copy of %llu px, %llu "
			       "differ from the fill", f, (unsigned long long)per,
			       (unsigned long long)differ);
			/* runs keep a byte or two a pixel (an index into the
			 * picture's colours), spans and rows included: under the
			 * 4 its pixels alone would take */
			checkf(res.kept_px > 0 && res.kept_bytes < 4 * res.kept_px,
			       "frame %d: pictures of %llu px kept in %llu bytes", f,
			       (unsigned long long)res.kept_px, (unsigned long long)res.kept_bytes);
		} else {
			checkf(per >= differ, "frame %d: bands of %llu px hold the %llu that differ",
			       f, (unsigned long long)per, (unsigned long long)differ);
		}
	}
	CHECK_EQ(checked, FRAMES);
	checkf(mismatched == 0, "%llu px differ from whole redraws", (unsigned long long)mismatched);
	/* each phase is kept at its second drawing (frames 2 and 3); the
	 * second is the first's colouring swapped, and keeps only its
	 * colours (the rows compared with whole redraws above) */
	if (c->direct && !c->blinker && !c->target_from)
		checkf(kept[2] > 0 && kept[3] > kept[2] && kept[3] - kept[2] < kept[2] / 8,
		       "the second phase kept in %llu bytes beside the first's %llu",
		       (unsigned long long)(kept[3] - kept[2]), (unsigned long long)kept[2]);
	/* every frame from the fifth: flashing, or (steady) its corner
	 * inside the blinker from its picture; turned, each phase is drawn
	 * whole once more and kept anew as bands */
	checkf(copied == FRAMES - 4 - (c->target_from ? 2 : 0), "layers copied in %llu frames",
	       (unsigned long long)copied);
out:
	if (tex)
		SDL_DestroyTexture(tex);
	rig_close(&g);
}

/* One frame: a layer at a flashing in colouring `phase`, its fill and
 * a word, on the background. */
static void record_plain(struct scene *s, SDL_Rect a, int phase)
{
	scene_begin(s);
	scene_fill(s, (SDL_Rect){ 0, 0, W, H }, bg);
	scene_layer_begin(s, a);
	scene_fill(s, a, fill[phase]);
	text(s, "Flood", 16, ink[phase], (SDL_Rect){ a.x + 4, a.y + 4, a.w - 8, a.h - 8 }, false);
	scene_layer_end(s);
}

/* A narrow flashing layer kept as runs, then one more than twice as
 * wide: the row the wide one's runs are composed in must hold it all
 * (under AddressSanitizer a short row is an overflow). */
static void test_wider_layer(SDL_Window *win, const char *fonts)
{
	check_ctx = "window, a wider layer after a narrow one";
	struct rig g = rig_open(win, fonts);
	struct text *t = g.t;
	struct scene *s = g.s;
	checkf(s != NULL, "set up: %s", SDL_GetError());
	static const SDL_Rect narrow = { 10, 10, 60, 30 }, wide = { 10, 60, 400, 120 };
	uint64_t copied_wide = 0, mismatched = 0;
	scene_set_check(s, true);
	for (int f = 0; s && f < 2 * FRAMES; f++) {
		struct scene_result res;
		record_plain(s, f < FRAMES ? narrow : wide, f % 2);
		scene_end(s, false, &res);
		text_frame_end(t);
		mismatched += res.mismatched;
		copied_wide += f >= FRAMES ? res.copied : 0;
	}
	checkf(copied_wide > 0, "the wide layer copied in %llu frames",
	       (unsigned long long)copied_wide);
	checkf(mismatched == 0, "%llu px differ from whole redraws", (unsigned long long)mismatched);
	rig_close(&g);
}

int main(void)
{
	char fonts[1024];
	SDL_Window *win;
	if (!rig_start("test_scene", W, H, fonts, sizeof fonts, &win))
		return 1;
	for (size_t i = 0; win && i < sizeof cases / sizeof cases[0]; i++)
		run_case(win, &cases[i], fonts);
	if (win)
		test_wider_layer(win, fonts);
	rig_stop(win);
	return check_summary();
}
