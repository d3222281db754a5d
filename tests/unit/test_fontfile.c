/* test_fontfile.c - the font file reader (src/ui/fontfile.h): every seek
 * and read of a table against the bytes of the file, and a real font
 * opened through it measures and draws as one opened by path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "fontfile.h"

#include "check.h"

#define FILE_SIZE 10000

static unsigned char byte_at(long i)
{
	return (unsigned char)(i * 7 % 251);
}

/* One step: seek (whence, offset), then read size x n; what seek returns
 * and how many items are read. */
static const struct step {
	const char *name;
	int whence;
	long offset, want_pos;
	size_t size, n, want_items;
} steps[] = {
	{ "start", RW_SEEK_SET, 0, 0, 1, 12, 12 },
	{ "inside the window", RW_SEEK_SET, 100, 100, 4, 10, 10 },
	{ "backwards in it", RW_SEEK_CUR, -60, 80, 1, 30, 30 },
	{ "across the window's end", RW_SEEK_SET, 4090, 4090, 1, 20, 20 },
	{ "a big read, past the window", RW_SEEK_SET, 200, 200, 1, 5000, 5000 },
	{ "after it, in order", RW_SEEK_CUR, 0, 5200, 2, 7, 7 },
	{ "back to the start", RW_SEEK_SET, 3, 3, 1, 1, 1 },
	{ "from the end", RW_SEEK_END, -10, FILE_SIZE - 10, 1, 10, 10 },
	{ "cut by the end", RW_SEEK_END, -5, FILE_SIZE - 5, 1, 10, 5 },
	{ "whole items only", RW_SEEK_END, -5, FILE_SIZE - 5, 2, 4, 2 },
	{ "at the end", RW_SEEK_END, 0, FILE_SIZE, 1, 4, 0 },
	{ "past the end", RW_SEEK_SET, FILE_SIZE + 50, FILE_SIZE + 50, 1, 4, 0 },
	{ "a big read cut by the end", RW_SEEK_SET, FILE_SIZE - 4500, FILE_SIZE - 4500, 1, 8000,
	  4500 },
	{ "nothing asked", RW_SEEK_SET, 10, 10, 0, 4, 0 },
	{ "before the start", RW_SEEK_SET, -1, -1, 1, 1, 0 },
	{ "a bad whence", 42, 0, -1, 1, 1, 0 },
};

static void test_steps(void)
{
	char path[] = "/tmp/wb-fontfile.XXXXXX";
	int fd = mkstemp(path);
	static unsigned char data[FILE_SIZE], got[16384];
	for (long i = 0; i < FILE_SIZE; i++)
		data[i] = byte_at(i);
	CHECK(fd >= 0 && write(fd, data, sizeof data) == (ssize_t)sizeof data);
	if (fd >= 0)
		close(fd);
	SDL_RWops *rw = fontfile_open(path);
	CHECK(rw != NULL);
	if (!rw)
		return;
	CHECK_EQ(SDL_RWsize(rw), FILE_SIZE);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const struct step *s = &steps[i];
		check_ctx = s->name;
		Sint64 before = SDL_RWtell(rw);
		Sint64 pos = SDL_RWseek(rw, s->offset, s->whence);
		CHECK_EQ(pos, s->want_pos);
		if (pos < 0) {
			CHECK_EQ(SDL_RWtell(rw), before); /* a refused seek moves nothing */
			continue;
		}
		memset(got, 0, sizeof got);
		size_t items = SDL_RWread(rw, got, s->size, s->n);
		CHECK_EQ(items, s->want_items);
		size_t bytes = items * s->size;
		bool same = true;
		for (size_t k = 0; k < bytes; k++)
			same &= got[k] == byte_at(pos + (long)k);
		checkf(same, "%s: the bytes at %lld", s->name, (long long)pos);
	}
	check_ctx = "";
	CHECK_EQ(SDL_RWwrite(rw, "x", 1, 1), 0);
	CHECK_EQ(SDL_RWclose(rw), 0);
	unlink(path);
	CHECK(fontfile_open(path) == NULL); /* gone: refused, with a reason */
	CHECK(strstr(SDL_GetError(), path) != NULL);
}

/* A real font: what TTF reads through it is what it reads by path. */
static void test_font(void)
{
	const char *assets = getenv("WB_ASSETS");
	char path[1024];
	snprintf(path, sizeof path, "%s/fonts/NotoSans-Regular.ttf", assets ? assets : "assets");
	CHECK(TTF_Init() == 0);
	TTF_Font *a = TTF_OpenFont(path, 31);
	SDL_RWops *rw = fontfile_open(path);
	TTF_Font *b = rw ? TTF_OpenFontRW(rw, 1, 31) : NULL;
	checkf(a && b, "%s opened both ways", path);
	if (a && b) {
		static const char *const texts[] = { "Order 82190 arrived broken", "WÄg ffi 0123",
						     "The quick brown fox" };
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			int wa = 0, ha = 0, wb = 0, hb = 0;
			TTF_SizeUTF8(a, texts[i], &wa, &ha);
			TTF_SizeUTF8(b, texts[i], &wb, &hb);
			checkf(wa == wb && ha == hb && wa > 0, "%s: %dx%d by path, %dx%d here", texts[i],
			       wa, ha, wb, hb);
			SDL_Color white = { 255, 255, 255, 255 };
			SDL_Surface *sa = TTF_RenderUTF8_Blended(a, texts[i], white);
			SDL_Surface *sb = TTF_RenderUTF8_Blended(b, texts[i], white);
			bool same = sa && sb && sa->w == sb->w && sa->h == sb->h &&
				    sa->pitch == sb->pitch &&
				    memcmp(sa->pixels, sb->pixels, (size_t)sa->pitch * (size_t)sa->h) == 0;
			checkf(same, "%s: the same pixels", texts[i]);
			SDL_FreeSurface(sa);
			SDL_FreeSurface(sb);
		}
	}
	if (a)
		TTF_CloseFont(a);
	if (b)
		TTF_CloseFont(b);
	TTF_Quit();
}

int main(void)
{
	test_steps();
	test_font();
	return check_summary();
}
