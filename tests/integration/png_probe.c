/* png_probe - answers the integration tests' questions about a screenshot.
 *
 *   png_probe FILE size                 -> "W H"
 *   png_probe FILE runs X Y W H [GAP]   -> one "FROM TO" line per run of
 *        columns that hold ink, left to right; ink is any pixel that
 *        differs clearly from the box's background (its most common colour);
 *        runs closer than GAP columns (default 1) are merged, so GAP a bit
 *        wider than letter spacing yields words
 *   png_probe FILE mean X Y W H         -> "LUMA SATURATION" averages, 0-255
 *
 * Exit status 0 on success, 2 on bad usage, 1 when the file cannot be read. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

struct box { int x, y, w, h; };

static Uint32 pixel(const SDL_Surface *s, int x, int y)
{
	return ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
}

static int channel_diff(Uint32 a, Uint32 b)
{
	int d = 0;
	for (int shift = 0; shift < 24; shift += 8) {
		int ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
		d += ca > cb ? ca - cb : cb - ca;
	}
	return d;
}

/* The most common colour in the box: the background behind the text. */
static Uint32 background(const SDL_Surface *s, struct box b)
{
	enum { SLOTS = 4096 };
	static Uint32 keys[SLOTS];
	static int counts[SLOTS];
	memset(counts, 0, sizeof counts);
	for (int y = b.y; y < b.y + b.h; y++)
		for (int x = b.x; x < b.x + b.w; x++) {
			Uint32 p = pixel(s, x, y) & 0xffffff;
			unsigned i = (p * 2654435761u) % SLOTS;
			while (counts[i] && keys[i] != p)
				i = (i + 1) % SLOTS;
			keys[i] = p;
			counts[i]++;
		}
	int best = 0;
	for (int i = 1; i < SLOTS; i++)
		if (counts[i] > counts[best])
			best = i;
	return keys[best];
}

static bool column_has_ink(const SDL_Surface *s, struct box b, int x, Uint32 bg)
{
	for (int y = b.y; y < b.y + b.h; y++)
		if (channel_diff(pixel(s, x, y), bg) > 96)
			return true;
	return false;
}

static void print_runs(const SDL_Surface *s, struct box b, int gap)
{
	Uint32 bg = background(s, b);
	int start = -1, last = -1;
	for (int x = b.x; x < b.x + b.w; x++) {
		if (!column_has_ink(s, b, x, bg))
			continue;
		if (start >= 0 && x - last > gap) {
			printf("%d %d\n", start, last);
			start = -1;
		}
		if (start < 0)
			start = x;
		last = x;
	}
	if (start >= 0)
		printf("%d %d\n", start, last);
}

static void print_mean(const SDL_Surface *s, struct box b)
{
	double luma = 0, sat = 0;
	for (int y = b.y; y < b.y + b.h; y++)
		for (int x = b.x; x < b.x + b.w; x++) {
			Uint32 p = pixel(s, x, y);
			int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, bl = p & 0xff;
			int mx = r > g ? (r > bl ? r : bl) : (g > bl ? g : bl);
			int mn = r < g ? (r < bl ? r : bl) : (g < bl ? g : bl);
			luma += 0.2126 * r + 0.7152 * g + 0.0722 * bl;
			sat += mx - mn;
		}
	double n = (double)b.w * b.h;
	printf("%.1f %.1f\n", luma / n, sat / n);
}

static bool parse_box(char **argv, const SDL_Surface *s, struct box *b)
{
	b->x = atoi(argv[0]);
	b->y = atoi(argv[1]);
	b->w = atoi(argv[2]);
	b->h = atoi(argv[3]);
	return b->w > 0 && b->h > 0 && b->x >= 0 && b->y >= 0 &&
	       b->x + b->w <= s->w && b->y + b->h <= s->h;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: png_probe FILE size|runs|mean [X Y W H]\n");
		return 2;
	}
	SDL_Surface *raw = IMG_Load(argv[1]);
	if (!raw) {
		fprintf(stderr, "png_probe: %s: %s\n", argv[1], IMG_GetError());
		return 1;
	}
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	if (!s)
		return 1;

	int rc = 0;
	struct box b;
	if (strcmp(argv[2], "size") == 0) {
		printf("%d %d\n", s->w, s->h);
	} else if ((argc == 7 || argc == 8) && parse_box(argv + 3, s, &b)) {
		if (strcmp(argv[2], "runs") == 0)
			print_runs(s, b, argc == 8 ? atoi(argv[7]) : 1);
		else if (strcmp(argv[2], "mean") == 0)
			print_mean(s, b);
		else
			rc = 2;
	} else {
		fprintf(stderr, "png_probe: bad command or box outside the image\n");
		rc = 2;
	}
	SDL_FreeSurface(s);
	return rc;
}
