/* fontfile.h - a font file as an SDL_RWops that reads with pread(2)
 * through a small window of its own.
 *
 * Why: TTF_OpenFont reads the file through stdio, and FreeType seeks
 * before every read of a glyph; glibc's fseek asks the kernel (lseek)
 * each time, although the read after it is mostly served from the stdio
 * buffer. Laying out the lines of one retained burst (scripts/bench.sh)
 * cost 28,000-34,000 lseek calls. Here a seek only sets the offset, and a
 * read outside the window reads the window at that offset: the same
 * reads as stdio, no seeks. */
#ifndef WALLBOARD_FONTFILE_H
#define WALLBOARD_FONTFILE_H

#include <SDL.h>

/* The file at path, read-only; NULL with SDL_GetError() saying why. Closed
 * (and freed) by SDL_RWclose, or by TTF_OpenFontRW's freesrc. */
SDL_RWops *fontfile_open(const char *path);

#endif
