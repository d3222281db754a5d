/* draw.c - see draw.h. */
#include "draw.h"

void draw_fill(SDL_Renderer *ren, SDL_Rect a, SDL_Color c)
{
	SDL_BlendMode old = SDL_BLENDMODE_NONE;
	if (c.a != 255) {
		SDL_GetRenderDrawBlendMode(ren, &old);
		SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_BLEND);
	}
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ren, &a);
	if (c.a != 255)
		SDL_SetRenderDrawBlendMode(ren, old);
}

int draw_outline_sides(SDL_Rect a, int t, SDL_Rect sides[4])
{
	if (t < 1)
		t = 1;
	if (a.w <= 0 || a.h <= 0)
		return 0;
	sides[0] = (SDL_Rect){ a.x, a.y, a.w, t };
	sides[1] = (SDL_Rect){ a.x, a.y + a.h - t, a.w, t };
	sides[2] = (SDL_Rect){ a.x, a.y, t, a.h };
	sides[3] = (SDL_Rect){ a.x + a.w - t, a.y, t, a.h };
	return 4;
}

void draw_outline(SDL_Renderer *ren, SDL_Rect a, int t, SDL_Color c)
{
	SDL_Rect sides[4];
	int n = draw_outline_sides(a, t, sides);
	for (int i = 0; i < n; i++)
		draw_fill(ren, sides[i], c);
}

void draw_disc(SDL_Renderer *ren, int cx, int cy, int rad, SDL_Color c)
{
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	for (int dy = -rad; dy <= rad; dy++) {
		int dx = 0;
		while ((dx + 1) * (dx + 1) + dy * dy <= rad * rad)
			dx++;
		SDL_RenderDrawLine(ren, cx - dx, cy + dy, cx + dx, cy + dy);
	}
}
