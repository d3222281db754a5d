/* direct.h - drawing straight into the software renderer's window
 * surface, pixel for pixel as SDL's own fill and blend would.
 *
 * On SDL's software renderer every fill and text copy is queued, then
 * run through SDL's blitters: a text band coloured into a texture, then
 * blended from it one pixel at a time, a fill streamed past the caches
 * just before the text over it reads the lines back. At 100 msg/s those
 * blits were a seventh of the board's main thread. Drawing them here
 * writes the same bytes with half the passes, but only where
 * direct_blend_ok() found SDL's blend and this one equal on the
 * surface's format (SDL picks its blitter by CPU and format: another
 * machine may round differently; then everything goes through SDL). */
#ifndef WB_DIRECT_H
#define WB_DIRECT_H

#include <stdbool.h>

#include <SDL.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* What the software renderer would touch drawing rect r (viewport
 * coordinates) now, in *vis: r moved by the viewport, cut to the clip
 * rect (if set), the viewport and out; empty when nothing of r shows.
 * Flushes the renderer's queue first, so what was drawn before lies
 * under what is drawn next. False: that flush failed, and what was
 * queued may not be on out yet: the caller draws through the renderer
 * instead (queued after the rest, in order), not straight over it. */
bool direct_begin(SDL_Renderer *ren, SDL_Surface *out, SDL_Rect r, SDL_Rect *vis,
		  SDL_Point *origin);

/* Whether blending ARGB8888 onto out's format here gives SDL's bytes:
 * tried once per format on a pattern of every alpha (then cached). */
bool direct_blend_ok(const SDL_Surface *out);

/* Asks the kernel to back out's pixels (the window surface) with 2 MB
 * pages (the caller asks once per surface: scene.c when its output's
 * pixels are new): a flash writes 2.5 MB of the 1080p surface in
 * rows 7.5 KB apart, each on other 4 KB pages, and a frame that begins
 * with cold caches (the board sleeps half a second between them) walks
 * the page tables for every one. Only the whole 2 MB pages inside the
 * pixels; they stay where they are (SDL's), and memory does not grow:
 * every pixel is drawn at the first frame. Where the kernel has no
 * large pages, nothing changes. */
void direct_large_pages(const SDL_Surface *out);

/* Fills vis (output coordinates, inside out) with the opaque colour c. */
void direct_fill(SDL_Surface *out, SDL_Rect vis, SDL_Color c);

/* n pixels of one value px, four a store where the CPU can (GCC's -O2
 * leaves a loop of unknown length scalar). Cached stores: what is drawn
 * over a fill reads it back. Inline: scene.c calls it a span at a time. */
static inline void direct_fill_row(Uint32 *dst, Uint32 px, int n)
{
	int i = 0;
#ifdef __SSE2__
	__m128i v4 = _mm_set1_epi32((int)px);
	for (; i + 4 <= n; i += 4)
		_mm_storeu_si128((__m128i *)(void *)(dst + i), v4);
#endif
	for (; i < n; i++)
		dst[i] = px;
}

/* Blends n pixels of alpha a (one byte each) in colour rgb (0xRRGGBB)
 * onto dst, as SDL blends a band of text coloured that way. */
void direct_blend_alpha(Uint32 *dst, const Uint8 *a, int n, Uint32 rgb);

/* Blends n ARGB8888 pixels onto dst, as SDL's blend does. */
void direct_blend_argb(Uint32 *dst, const Uint32 *src, int n);

/* Pixels written by direct_fill, direct_blend_alpha and direct_blend_argb
 * since start (the main thread's; the blend's self-check too): a test comparing the straight path's
 * bytes with SDL's proves nothing unless the straight path ran. */
struct direct_counts {
	Uint64 filled, alpha, argb;
};
void direct_get_counts(struct direct_counts *out);

#endif
