/* draw.h - the few shapes the board draws besides text, in screen
 * coordinates (callers mirror their rects for right-to-left first). */
#ifndef WALLBOARD_DRAW_H
#define WALLBOARD_DRAW_H

#include <SDL.h>

/* A filled rect; a colour with alpha below 255 is blended over what is
 * there (the not-live veil), opaque ones simply overwrite. */
void draw_fill(SDL_Renderer *ren, SDL_Rect a, SDL_Color c);

/* The border of a, t pixels thick (at least 1), inside a. */
void draw_outline(SDL_Renderer *ren, SDL_Rect a, int t, SDL_Color c);

/* That border's four sides (top, bottom, left, right) into sides; how
 * many: 4, or 0 when a is empty. For a caller that fills them its own way. */
int draw_outline_sides(SDL_Rect a, int t, SDL_Rect sides[4]);

/* A filled disc: status dots and markers. */
void draw_disc(SDL_Renderer *ren, int cx, int cy, int rad, SDL_Color c);

#endif
