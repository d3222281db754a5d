/* window.h - the board's window and the renderer that draws into it.
 *
 * Which renderer is a cost decision more than a looks one: OpenGL on a CPU
 * rasteriser costs several times SDL's own software renderer, so "auto"
 * takes the GPU only when there is one (window.c says what was measured). */
#ifndef WALLBOARD_WINDOW_H
#define WALLBOARD_WINDOW_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "config.h"

/* A renderer for win as choice asks (display.renderer), logged with the
 * reason it was taken; NULL (logged) when SDL has none. */
SDL_Renderer *window_choose_renderer(SDL_Window *win, enum renderer_choice choice);

/* The window (full screen unless windowed or headless, --size honoured)
 * and its renderer; name gets the renderer's SDL name ("software",
 * "opengl", ...). False (logged) when either cannot be made; what was made
 * is left in *win and *r for the caller to destroy. */
bool window_open(const struct config *cfg, SDL_Window **win, SDL_Renderer **r,
		 char *name, size_t name_size);

/* The video driver is a headless one (dummy, offscreen): no input, no
 * real screen. */
bool window_driver_headless(void);

/* X11 and Wayland let SDL sleep until input arrives; the others do not. */
bool window_driver_can_wait(void);

#endif
