/* test_direct.c - drawing straight into the window surface gives SDL's
 * bytes.
 *
 * A scene (src/ui/scene.h) on SDL's software renderer in a window of the
 * dummy video driver draws fills, outlines, lines of Latin, Hebrew,
 * Persian and emoji, and ticking digits straight into the window surface
 * (direct.h). Each case's frames are compared, every byte of the output,
 * with the same operations drawn through the renderer alone (text_draw,
 * draw_fill: SDL's fill and blend): the whole first frame, then a frame
 * where only some things changed (drawn under a clip rect), with and
 * without a viewport shifted off the output's edge, and text cut by the
 * output's edges. The blend's self-check (direct_blend_ok) must pass on
 * the window's format, and each frame's fills, lines and digits must have
 * been drawn straight (direct_get_counts), or the comparison would be of
 * SDL's drawing with itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "direct.h"
#include "draw.h"
#include "scene.h"
#include "text.h"

#include "check.h"
#include "scenerig.h"

#define W 360
#define H 200
#define FRAMES 3

struct item {
	enum { I_FILL, I_OUTLINE, I_TEXT, I_DIGITS } kind;
	SDL_Rect a;
	SDL_Color c;
	const char *str;
	int px;
};

static const SDL_Color bg = { 16, 16, 18, 255 }, red = { 178, 18, 34, 255 },
		       white = { 255, 255, 255, 255 }, amber = { 255, 200, 20, 255 },
		       grey = { 120, 124, 130, 255 };

/* One screen; frame 1 changes the digits and moves one line, frame 2
 * changes only the digits. */
static int items(int frame, struct item *out)
{
	static const char *const digits[FRAMES][2] = {
		{ "+11:29:04", "0:03" }, { "+11:29:05", "0:04" }, { "+11:29:06", "0:05" },
	};
	struct item list[] = {
		{ I_FILL, { 0, 0, W, H }, bg, NULL, 0 },
		{ I_FILL, { 10, 10, 200, 60 }, red, NULL, 0 },
		{ I_OUTLINE, { 8, 8, 204, 64 }, amber, NULL, 3 },
		{ I_TEXT, { 14, 14, 190, 30 }, white, "Checkout outage", 22 },
		{ I_TEXT, { 14, 40, 190, 28 }, amber,
		  "\xd7\xa9\xd7\x99\xd7\xa8\xd7\x94 \xd7\x91\xd7\x99\xd7\x98\xd7\x95\xd7\x9f 42", 20 },
		{ I_TEXT, { 220, 10 + (frame > 0) * 6, 130, 30 }, grey,
		  "\xd8\xaf\xd9\x88 \xd8\xa8\xd8\xa7\xd8\xb1 \xd8\xa7\xd8\xb2 \xda\xa9\xd8\xa7\xd8\xb1\xd8\xaa", 18 },
		{ I_TEXT, { 10, 90, 200, 36 }, white, "Fire \xf0\x9f\x94\xa5 ok", 24 },
		{ I_DIGITS, { 220, 90, 130, 36 }, red, digits[frame][0], 26 },
		/* cut by the output's right and bottom edges */
		{ I_TEXT, { W - 60, H - 20, 200, 30 }, white, "Acknowledge", 22 },
		{ I_DIGITS, { -20, H - 30, 120, 30 }, amber, digits[frame][1], 24 },
	};
	memcpy(out, list, sizeof list);
	return (int)(sizeof list / sizeof list[0]);
}

static struct text_style style(const struct item *it)
{
	return (struct text_style){ it->px, TEXT_BOLD, it->c, TEXT_DIR_AUTO, TEXT_ALIGN_START };
}

static void record(struct scene *s, int frame)
{
	struct item it[16];
	int n = items(frame, it);
	scene_begin(s);
	for (int i = 0; i < n; i++) {
		struct text_style st = style(&it[i]);
		if (it[i].kind == I_FILL)
			scene_fill(s, it[i].a, it[i].c);
		else if (it[i].kind == I_OUTLINE)
			scene_outline(s, it[i].a, it[i].px, it[i].c);
		else
			scene_text(s, it[i].str, &st, it[i].a, it[i].kind == I_DIGITS);
	}
}

/* The same frame through the renderer alone. */
static void draw_plain(SDL_Renderer *ren, struct text *t, int frame)
{
	struct item it[16];
	int n = items(frame, it);
	for (int i = 0; i < n; i++) {
		struct text_style st = style(&it[i]);
		if (it[i].kind == I_FILL)
			draw_fill(ren, it[i].a, it[i].c);
		else if (it[i].kind == I_OUTLINE)
			draw_outline(ren, it[i].a, it[i].px, it[i].c);
		else if (it[i].kind == I_TEXT)
			text_draw(t, it[i].str, &st, &it[i].a);
		else
			text_draw_digits(t, it[i].str, &st, &it[i].a);
	}
	SDL_RenderFlush(ren);
}

/* The frame went straight: its fills, its lines and digits (alpha) and,
 * in frame 0, its colour (argb: the emoji); in frame 2 only the digits
 * change. Else the bytes below would be SDL's compared with SDL's. */
static void straight_ran(int frame, const struct direct_counts *was,
			 const struct direct_counts *now)
{
	Uint64 filled = now->filled - was->filled, alpha = now->alpha - was->alpha,
	       argb = now->argb - was->argb;
	checkf(filled > 0 && alpha > 0 && (frame > 0 || argb > 0),
	       "frame %d drawn straight: %llu px filled, %llu px of lines and %llu px "
	       "of colour blended", frame, (unsigned long long)filled,
	       (unsigned long long)alpha, (unsigned long long)argb);
}

struct direct_case {
	const char *name;
	SDL_Rect viewport; /* w 0: the whole output */
};

static const struct direct_case cases[] = {
	{ "whole output", { 0, 0, 0, 0 } },
	{ "shifted by the orbit", { 3, 2, W, H } },
	{ "shifted up and left, off the edge", { -5, -3, W, H } },
};

static void run_case(SDL_Window *win, const struct direct_case *c, const char *fonts)
{
	check_ctx = c->name;
	struct rig g = rig_open(win, fonts);
	SDL_Renderer *ren = g.ren;
	struct text *t = g.t;
	struct scene *s = g.s;
	checkf(s != NULL, "set up: %s", SDL_GetError());
	if (!s)
		goto out;
	SDL_Rect vp = c->viewport.w ? c->viewport : (SDL_Rect){ 0, 0, W, H };
	SDL_RenderSetViewport(ren, &vp);
	rig_clear(ren);
	for (int frame = 0; frame < FRAMES; frame++) {
		struct scene_result res;
		struct direct_counts was, now;
		record(s, frame);
		direct_get_counts(&was);
		scene_end(s, false, &res);
		direct_get_counts(&now);
		text_frame_end(t);
		straight_ran(frame, &was, &now);
		checkf(frame == 0 || (res.rects > 0 && res.pixels < (uint64_t)W * H / 2),
		       "frame %d drawn in part: %llu px in %zu rects", frame,
		       (unsigned long long)res.pixels, res.rects);
		Uint32 *straight = rig_read_all(ren, W, H);
		/* the reference: cleared, then every frame up to this one whole */
		rig_clear(ren);
		for (int f = 0; f <= frame; f++)
			draw_plain(ren, t, f);
		text_frame_end(t);
		Uint32 *plain = rig_read_all(ren, W, H);
		checkf(straight && plain, "read pixels: %s", SDL_GetError());
		if (straight && plain) {
			size_t n = rig_differ(straight, plain, W, H);
			checkf(n == 0, "frame %d: %zu px differ from SDL's own drawing", frame, n);
		}
		free(straight);
		free(plain);
	}
out:
	rig_close(&g);
}

int main(void)
{
	char fonts[1024];
	SDL_Window *win;
	if (!rig_start("test_direct", W, H, fonts, sizeof fonts, &win))
		return 1;
	/* else every case would pass through SDL's blend alone */
	SDL_Renderer *probe = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	SDL_Surface *out = probe ? SDL_GetWindowSurface(win) : NULL;
	checkf(out && direct_blend_ok(out), "the window's %s: blended straight",
	       out ? SDL_GetPixelFormatName(out->format->format) : "(no surface)");
	if (probe)
		SDL_DestroyRenderer(probe);
	for (size_t i = 0; win && i < sizeof cases / sizeof cases[0]; i++)
		run_case(win, &cases[i], fonts);
	rig_stop(win);
	return check_summary();
}
