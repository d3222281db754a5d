/* scenerig.h - a scene on SDL's software renderer in a hidden window of
 * the dummy video driver, as the board makes one: for the tests that
 * draw through src/ui/scene.h (scene, direct). */
#ifndef WALLBOARD_TEST_SCENERIG_H
#define WALLBOARD_TEST_SCENERIG_H

#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "scene.h"
#include "text.h"

#include "check.h"

/* SDL and SDL2_ttf started, fonts the assets' font directory (WB_ASSETS,
 * else the build's), *win a hidden window of w x h titled title (NULL:
 * checked as "window: ..."). False, said on stderr: SDL did not start. */
static inline bool rig_start(const char *title, int w, int h, char *fonts, size_t size,
			     SDL_Window **win)
{
	const char *assets = getenv("WB_ASSETS");
	snprintf(fonts, size, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	*win = NULL;
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "SDL: %s\n", SDL_GetError());
		return false;
	}
	*win = SDL_CreateWindow(title, 0, 0, w, h, SDL_WINDOW_HIDDEN);
	checkf(*win != NULL, "window: %s", SDL_GetError());
	return true;
}

/* The window (if any) closed, SDL2_ttf and SDL stopped. */
static inline void rig_stop(SDL_Window *win)
{
	if (win)
		SDL_DestroyWindow(win);
	TTF_Quit();
	SDL_Quit();
}

/* The software renderer on the window, its text, the scene on both;
 * each NULL when the one before it is, or cannot be made. */
struct rig {
	SDL_Renderer *ren;
	struct text *t;
	struct scene *s;
};

static inline struct rig rig_open(SDL_Window *win, const char *fonts)
{
	struct rig g = { SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE), NULL, NULL };
	g.t = g.ren ? text_init(g.ren, fonts) : NULL;
	g.s = g.t ? scene_create(g.ren, g.t) : NULL;
	return g;
}

static inline void rig_close(struct rig *g)
{
	scene_destroy(g->s);
	text_destroy(g->t);
	if (g->ren)
		SDL_DestroyRenderer(g->ren);
}

/* The whole output (w x h) as ARGB8888, whatever the viewport; NULL
 * when it cannot be read. The caller frees it. */
static inline Uint32 *rig_read_all(SDL_Renderer *ren, int w, int h)
{
	Uint32 *px = calloc((size_t)w * (size_t)h, sizeof *px);
	SDL_Rect vp, all = { 0, 0, w, h };
	SDL_RenderGetViewport(ren, &vp);
	SDL_RenderSetViewport(ren, NULL);
	if (px && SDL_RenderReadPixels(ren, &all, SDL_PIXELFORMAT_ARGB8888, px, w * 4) != 0) {
		free(px);
		px = NULL;
	}
	SDL_RenderSetViewport(ren, &vp);
	return px;
}

/* The pixels of two w x h pictures that differ. */
static inline size_t rig_differ(const Uint32 *a, const Uint32 *b, int w, int h)
{
	size_t n = 0;
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
		n += a[i] != b[i];
	return n;
}

/* The output cleared to one colour outside any viewport, and drawn. */
static inline void rig_clear(SDL_Renderer *ren)
{
	SDL_Rect vp;
	SDL_RenderGetViewport(ren, &vp);
	SDL_RenderSetViewport(ren, NULL);
	SDL_SetRenderDrawColor(ren, 1, 2, 3, 255);
	SDL_RenderClear(ren);
	SDL_RenderFlush(ren);
	SDL_RenderSetViewport(ren, &vp);
}

#endif
