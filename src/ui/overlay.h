/* overlay.h - what the board draws over its whole screen, apart from the
 * data: the night dimming veil (when the panel has no backlight control),
 * a blank night screen, the board id shown large (remote "identify") and
 * the first-start screen (which broker, why it fails, which board).
 *
 * Kept apart from render.c on purpose: these are appliance matters and
 * must not depend on how the data screen is laid out. Drawn after the
 * frame and before it is presented. */
#ifndef WALLBOARD_OVERLAY_H
#define WALLBOARD_OVERLAY_H

#include <SDL.h>

#include "text.h"

/* A black veil over everything: 0 none, 100 black (night "blank"). */
void overlay_veil(SDL_Renderer *r, int percent);

/* The board id, as large as fits, on a dark panel in the middle. */
void overlay_identify(SDL_Renderer *r, struct text *t, const char *board_id);

/* Before the first data: what the board is doing and why it has nothing
 * to show yet. broker "host:port"; error "" while merely connecting. */
void overlay_first_start(SDL_Renderer *r, struct text *t, const char *broker,
			 const char *error, const char *board_id, const char *site);

#endif
