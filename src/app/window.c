/* window.c - see window.h. */
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

bool window_driver_can_wait(void)
{
	const char *d = SDL_GetCurrentVideoDriver();
	return d && (!strcmp(d, "x11") || !strcmp(d, "wayland"));
}

bool window_driver_headless(void)
{
	const char *d = SDL_GetCurrentVideoDriver();
	return d && (!strcmp(d, "dummy") || !strcmp(d, "offscreen"));
}

/* GL_RENDERER of the renderer's current context, or NULL when the
 * renderer is not OpenGL. Mesa names its CPU rasterisers llvmpipe,
 * softpipe and swrast. */
static const char *gl_renderer_name(SDL_Renderer *r)
{
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
		return NULL;
	typedef const unsigned char *(*get_string_fn)(unsigned int);
	get_string_fn get_string = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
	const unsigned char *name = get_string ? get_string(0x1F01 /* GL_RENDERER */) : NULL;
	return name ? (const char *)name : NULL;
}

static bool is_software_gl(const char *gl)
{
	return gl && (strstr(gl, "llvmpipe") || strstr(gl, "softpipe") || strstr(gl, "swrast"));
}

/* SDL's software renderer draws into the window's surface. On X11, SDL
 * 2.26 backs that surface with a texture of its OpenGL renderer unless
 * told not to: on a CPU rasteriser, a whole-screen upload and copy at
 * every present (3.4-3.8 % of a core for the idle board at 1080p under
 * Xvfb, against 0.30-0.35 % through X11's shared-memory image, which also
 * takes only the rects a frame drew). Drivers without a framebuffer of
 * their own (KMS/DRM) need the texture. SDL_FRAMEBUFFER_ACCELERATION in
 * the environment still decides. */
static SDL_Renderer *create_software_renderer(SDL_Window *win)
{
	const char *driver = SDL_GetCurrentVideoDriver();
	if (driver && !strcmp(driver, "x11"))
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	return SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
}

/* OpenGL on a CPU rasteriser costs several times SDL's own software
 * renderer for the same frames (measured: 27 % against under 13 % of a
 * core at 100 msg/s), so "auto" takes the GPU only when there is one. */
SDL_Renderer *window_choose_renderer(SDL_Window *win, enum renderer_choice choice)
{
	SDL_Renderer *r = choice == RENDERER_SOFTWARE ? create_software_renderer(win)
						      : SDL_CreateRenderer(win, -1, 0);
	if (!r) {
		log_error("app", "SDL_CreateRenderer: %s", SDL_GetError());
		return NULL;
	}
	const char *gl = gl_renderer_name(r);
	const char *why = choice == RENDERER_SOFTWARE ? "display.renderer = software"
			: choice == RENDERER_GPU ? "display.renderer = gpu" : "auto";
	if (choice == RENDERER_AUTO && is_software_gl(gl)) {
		log_info("app", "OpenGL is a software rasteriser (%s): using SDL's software "
			 "renderer instead", gl);
		SDL_DestroyRenderer(r);
		r = create_software_renderer(win);
		if (!r) {
			log_error("app", "SDL_CreateRenderer (software): %s", SDL_GetError());
			return NULL;
		}
		why = "auto, OpenGL is a software rasteriser";
	}
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) == 0)
		log_info("app", "video driver %s, renderer %s%s%s (%s)",
			 SDL_GetCurrentVideoDriver(), info.name, gl ? " on " : "", gl ? gl : "",
			 why);
	return r;
}

bool window_open(const struct config *cfg, SDL_Window **win, SDL_Renderer **r,
		 char *name, size_t name_size)
{
	int w = cfg->width ? cfg->width : 1280, h = cfg->height ? cfg->height : 720;
	Uint32 flags = SDL_WINDOW_SHOWN;
	/* Headless drivers have one fake desktop mode: full screen there
	 * would ignore --size, which screenshots need. */
	const char *driver = SDL_GetCurrentVideoDriver();
	if (cfg->windowed || window_driver_headless())
		flags |= SDL_WINDOW_RESIZABLE;
	else if (cfg->width)
		flags |= SDL_WINDOW_FULLSCREEN;
	else
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;

	*win = SDL_CreateWindow("wallboard", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				w, h, flags);
	if (!*win) {
		log_error("app", "SDL_CreateWindow: %s", SDL_GetError());
		return false;
	}
	*r = window_choose_renderer(*win, cfg->renderer);
	if (!*r)
		return false;
	/* SDL falls back to offscreen when no display works: a kiosk
	 * would then run on nothing at all (docs/kmsdrm.md). */
	if (driver && !strcmp(driver, "offscreen") && !getenv("SDL_VIDEODRIVER"))
		log_warn("app", "no display found: SDL chose its offscreen driver, nothing "
			 "is shown (set SDL_VIDEODRIVER=kmsdrm to fail instead)");
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(*r, &info) == 0)
		snprintf(name, name_size, "%s", info.name);
	if (!cfg->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	return true;
}
