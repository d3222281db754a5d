/* scene.h - draw only what changed: a frame is recorded, compared with
 * the last one, and only the areas that differ are drawn again.
 *
 * While a scene is attached to the kit (kit.h), the views' fills,
 * outlines, discs and texts are not drawn but recorded as operations
 * with what they need to be drawn later. scene_end() hashes each one
 * (kind, rect, colour, text, style), matches them against the last
 * frame's, and takes the rects of those that appeared or vanished as the
 * damage; it then draws, clipped to each damaged rect, every operation
 * of the new frame that touches it, in order, into a frame that persists
 * between passes. So a message that changes no visible pixel draws
 * nothing, a count redraws its tile and the header's number, a ticking
 * timer its own cell; unchanged text lines are never drawn (nor made)
 * again, and what ticks still comes from the digit glyph cache.
 *
 * The persistent frame: SDL's software renderer keeps its back buffer
 * (the window surface) from one present to the next, so the damage is
 * drawn there directly; other renderers draw into a target texture
 * that is copied to the screen whole (their back buffer is undefined
 * after a present). Measured in docs/cost.md, "Drawing". */
#ifndef WALLBOARD_SCENE_H
#define WALLBOARD_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

#include "text.h"

struct scene;

struct scene_result {
	bool changed;       /* something was drawn: present the frame */
	size_t rects;       /* damaged rects drawn */
	uint64_t pixels;    /* their area */
	size_t ops;         /* operations recorded */
	size_t copied;      /* layers copied from their kept picture */
	uint64_t copied_px; /* the pixels those pictures hold (the software
	                       renderer's: those that differ from the fill) */
	SDL_Rect bounds;    /* the union of the damage */
	uint64_t kept_bytes; /* what the kept pictures hold after this frame */
	uint64_t kept_px;   /* ... and the pixels of theirs not the fill (runs) or
	                       in their parts (textures) */
	bool checked;       /* compared with a whole redraw (scene_set_check) */
	uint64_t mismatched; /* pixels that differed from it */
};

struct scene *scene_create(SDL_Renderer *ren, struct text *text);
void scene_destroy(struct scene *s);

/* Begins recording a frame of the output's size. */
void scene_begin(struct scene *s);

/* Operations, in screen coordinates (already mirrored). */
void scene_fill(struct scene *s, SDL_Rect a, SDL_Color c);
void scene_outline(struct scene *s, SDL_Rect a, int t, SDL_Color c);
void scene_disc(struct scene *s, SDL_Rect a, SDL_Color c);
/* Returns the width text_draw (digits: text_draw_digits) would. */
int scene_text(struct scene *s, const char *str, const struct text_style *st, SDL_Rect box,
	       bool digits);

/* Operations between these form a layer, compared as one: when any
 * changes, its whole rect is damaged. A layer that begins with an opaque
 * fill of its rect and comes back (the two phases of a flashing banner)
 * is kept as a picture the first time it is drawn again, and copied from
 * then on instead of drawn: the fill and one copy instead of every text.
 * Drawn straight into the software renderer's window surface, the
 * picture is kept as its fill and the spans of other pixels (letters,
 * edges), and a flip writes each of its rows once; on other outputs as
 * the bands of rows that hold such pixels, in a texture, copied over
 * the fill. The pictures go when a frame has no layer. Layers do not
 * nest. */
void scene_layer_begin(struct scene *s, SDL_Rect a);
void scene_layer_end(struct scene *s);

/* Draws the damage since the last frame (all of it when full or after
 * scene_forget) into the persistent frame and puts it on the
 * renderer's output; the caller presents when out->changed. */
void scene_end(struct scene *s, bool full, struct scene_result *out);

/* Compare every frame, after drawing its damage, with the same frame
 * drawn whole (no pictures kept) and count the pixels that differ
 * (scene_result.mismatched, logged): for tests, it costs a whole redraw
 * and two reads of the output a frame. */
void scene_set_check(struct scene *s, bool on);

/* The most rects a frame draws. */
#define SCENE_RECTS_MAX 49

/* The rects the last scene_end drew, up to max; returns how many. */
size_t scene_rects(const struct scene *s, SDL_Rect *out, size_t max);

/* The next frame is drawn whole (the output was drawn by someone else,
 * or lost). */
void scene_forget(struct scene *s);

#endif
