/* pngfile.h - a frame written as PNG, through libpng.
 *
 * The board's screenshots (--screenshot, the MQTT "screenshot" command)
 * were written by SDL2_image's IMG_SavePNG. Loading SDL2_image also
 * loaded what it reads (libjpeg, libtiff, libwebp, and through libtiff
 * libLerc and libstdc++): about 1.5 MB of library pages a board touched
 * at start-up and kept, for a PNG writer. libpng is already loaded (by
 * FreeType), so the board now calls it directly. */
#ifndef WALLBOARD_PNGFILE_H
#define WALLBOARD_PNGFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Writes w x h pixels, each 0xAARRGGBB (SDL_PIXELFORMAT_ARGB8888), rows
 * pitch bytes apart, to f as an 8-bit RGBA PNG, as IMG_SavePNG did.
 * False (with a logged reason) on bad sizes or a failed write; f stays
 * open either way. */
bool pngfile_write(FILE *f, const uint32_t *argb, int w, int h, int pitch);

/* The same into a new file at path (replaced if it exists). */
bool pngfile_save(const char *path, const uint32_t *argb, int w, int h, int pitch);

/* The same into memory: *out (free() it) and *len; false leaves *out NULL. */
bool pngfile_encode(const uint32_t *argb, int w, int h, int pitch, char **out, size_t *len);

#endif
