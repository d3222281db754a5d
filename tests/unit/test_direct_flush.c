/* test_direct_flush.c - when SDL_RenderFlush fails, what would have gone
 * straight into the window surface (direct.h) is drawn through the
 * renderer, not dropped.
 *
 * The test links with -Wl,--wrap=SDL_RenderFlush: every call the board's
 * code (and this file) makes lands in __wrap_SDL_RenderFlush below, which
 * fails while `failing` is set (SDL's own flushes, inside the library, are
 * not wrapped). A scene on SDL's software renderer in a window of the
 * dummy video driver draws a screen with fills, an outline, text, digits
 * and a flashing layer whose two phases are kept as pictures (runs);
 * each case draws one frame while the flush fails, then flushes for real
 * and compares every byte of the output with the same frame drawn by a
 * fresh scene with a working flush. Dropped, the fills and texts leave the
 * cleared output (or the other phase) showing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "scene.h"
#include "text.h"

#include "check.h"
#include "scenerig.h"

#define W 320
#define H 160

int __real_SDL_RenderFlush(SDL_Renderer *ren);
int __wrap_SDL_RenderFlush(SDL_Renderer *ren);

static bool failing;
static int refused; /* flushes refused while failing */

int __wrap_SDL_RenderFlush(SDL_Renderer *ren)
{
	if (!failing)
		return __real_SDL_RenderFlush(ren);
	refused++;
	return SDL_SetError("flush refused by the test");
}

static const SDL_Color bg = { 16, 16, 18, 255 }, red = { 178, 18, 34, 255 },
		       amber = { 255, 200, 20, 255 }, white = { 255, 255, 255, 255 },
		       ink = { 16, 16, 18, 255 };

static struct text_style style(int px, SDL_Color c)
{
	return (struct text_style){ px, TEXT_BOLD, c, TEXT_DIR_AUTO, TEXT_ALIGN_START };
}

/* One screen: a background, a banner layer flashing between two phases
 * (kept as pictures from its second showing), a steady line and a
 * ticking number outside it. */
static void record(struct scene *s, int frame)
{
	bool alt = frame % 2;
	SDL_Rect banner = { 8, 8, W - 16, 70 };
	struct text_style head = style(22, alt ? ink : white), line = style(18, white),
			  digits = style(20, amber);
	char tick[16];
	snprintf(tick, sizeof tick, "+0:%02d", frame);
	scene_begin(s);
	scene_fill(s, (SDL_Rect){ 0, 0, W, H }, bg);
	scene_layer_begin(s, banner);
	scene_fill(s, banner, alt ? amber : red);
	scene_outline(s, banner, 3, alt ? ink : white);
	scene_text(s, "CRISIS \xd7\x9e\xd7\xa9\xd7\x91\xd7\xa8 outage", &head,
		   (SDL_Rect){ 16, 16, W - 32, 30 }, false);
	scene_layer_end(s);
	scene_text(s, "Acknowledge", &line, (SDL_Rect){ 10, 96, 180, 26 }, false);
	scene_text(s, tick, &digits, (SDL_Rect){ 200, 96, 100, 26 }, true);
	scene_fill(s, (SDL_Rect){ 10, 130, 120, 20 }, amber);
}

/* Frame `frame` drawn whole by a fresh scene (no pictures), flushing. */
static Uint32 *reference(struct rig *g, int frame)
{
	struct scene *fresh = scene_create(g->ren, g->t);
	struct scene_result res;
	Uint32 *px = NULL;
	if (fresh) {
		rig_clear(g->ren);
		record(fresh, frame);
		scene_end(fresh, false, &res);
		text_frame_end(g->t);
		SDL_RenderFlush(g->ren);
		px = rig_read_all(g->ren, W, H);
	}
	scene_destroy(fresh);
	return px;
}

struct flush_case {
	const char *name;
	int frames;  /* drawn flushing first: from 5, each phase is a kept picture */
	bool whole;  /* the failing frame drawn whole (scene_forget) */
};

static const struct flush_case cases[] = {
	{ "first frame: fills and texts", 0, true },
	{ "a flash and a tick, from a kept picture", 5, false },
	{ "the other phase, from a kept picture", 6, false },
	{ "a kept picture, the frame drawn whole", 5, true },
};

static void run_case(SDL_Window *win, const struct flush_case *c, const char *fonts)
{
	check_ctx = c->name;
	struct rig g = rig_open(win, fonts);
	checkf(g.s != NULL, "set up: %s", SDL_GetError());
	if (!g.s) {
		rig_close(&g);
		return;
	}
	rig_clear(g.ren);
	struct scene_result res;
	for (int f = 0; f < c->frames; f++) {
		record(g.s, f);
		scene_end(g.s, false, &res);
		text_frame_end(g.t);
	}
	checkf(c->frames < 5 || res.copied > 0, "frame %d copied a kept picture (%zu)",
	       c->frames - 1, res.copied);
	if (c->whole)
		scene_forget(g.s);
	int frame = c->frames;
	refused = 0;
	failing = true;
	record(g.s, frame);
	scene_end(g.s, false, &res);
	text_frame_end(g.t);
	failing = false;
	checkf(refused > 0, "the flush was refused (%d times)", refused);
	checkf(res.changed, "the frame drew something (%zu rects)", res.rects);
	SDL_RenderFlush(g.ren); /* what was handed to the renderer, drawn now */
	Uint32 *got = rig_read_all(g.ren, W, H), *want = reference(&g, frame);
	checkf(got && want, "read pixels: %s", SDL_GetError());
	if (got && want) {
		size_t n = rig_differ(got, want, W, H);
		checkf(n == 0, "frame %d: %zu px differ from the frame drawn whole", frame, n);
	}
	free(got);
	free(want);
	rig_close(&g);
}

int main(void)
{
	char fonts[1024];
	SDL_Window *win;
	if (!rig_start("test_direct_flush", W, H, fonts, sizeof fonts, &win))
		return 1;
	for (size_t i = 0; win && i < sizeof cases / sizeof cases[0]; i++)
		run_case(win, &cases[i], fonts);
	rig_stop(win);
	return check_summary();
}
