/* overlay.c - see overlay.h. */
#include "overlay.h"

#include <stdio.h>

static void output_size(SDL_Renderer *r, int *w, int *h)
{
	if (SDL_GetRendererOutputSize(r, w, h) != 0)
		*w = *h = 0;
}

void overlay_veil(SDL_Renderer *r, int percent)
{
	if (percent <= 0)
		return;
	int w, h;
	output_size(r, &w, &h);
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, 0, 0, 0, (Uint8)(percent >= 100 ? 255 : percent * 255 / 100));
	SDL_RenderFillRect(r, &(SDL_Rect){ 0, 0, w, h });
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
}

void overlay_identify(SDL_Renderer *r, struct text *t, const char *board_id)
{
	int w, h;
	output_size(r, &w, &h);
	SDL_Rect panel = { w / 16, h / 4, w - w / 8, h / 2 };
	SDL_SetRenderDrawColor(r, 10, 20, 40, 255);
	SDL_RenderFillRect(r, &panel);
	SDL_SetRenderDrawColor(r, 250, 200, 40, 255);
	for (int i = 0; i < 6; i++) /* a frame that is seen across the room */
		SDL_RenderDrawRect(r, &(SDL_Rect){ panel.x + i, panel.y + i,
						   panel.w - 2 * i, panel.h - 2 * i });
	/* As large as fits: start from the panel's height and shrink. */
	struct text_style st = { .px = panel.h / 2, .weight = TEXT_BOLD,
				 .color = { 255, 255, 255, 255 }, .dir = TEXT_DIR_LTR,
				 .align = TEXT_ALIGN_CENTER };
	while (st.px > 12 && text_width(t, board_id, &st) > panel.w - panel.w / 10)
		st.px = st.px * 9 / 10;
	int lh = text_line_height(t, st.px);
	SDL_Rect box = { panel.x, panel.y + (panel.h - lh) / 2, panel.w, lh };
	text_draw(t, board_id, &st, &box);
}

void overlay_first_start(SDL_Renderer *r, struct text *t, const char *broker,
			 const char *error, const char *board_id, const char *site)
{
	int w, h;
	output_size(r, &w, &h);
	SDL_SetRenderDrawColor(r, 18, 22, 30, 255);
	SDL_RenderClear(r);
	int px = h / 26 > 12 ? h / 26 : 12;
	struct text_style title = { .px = px * 3 / 2, .weight = TEXT_BOLD,
				    .color = { 235, 235, 240, 255 }, .align = TEXT_ALIGN_CENTER };
	struct text_style line = { .px = px, .color = { 200, 205, 215, 255 },
				   .dir = TEXT_DIR_LTR, .align = TEXT_ALIGN_CENTER };
	struct text_style bad = line;
	bad.color = (SDL_Color){ 255, 140, 120, 255 };
	bad.weight = TEXT_BOLD;
	char buf[512];
	int y = h / 6, margin = w / 20;
	int lh = text_line_height(t, px) * 13 / 10;
	text_draw(t, site, &title, &(SDL_Rect){ margin, y, w - 2 * margin,
						text_line_height(t, title.px) });
	y += text_line_height(t, title.px) * 3 / 2;
	snprintf(buf, sizeof buf, "Waiting for data: connecting to %s", broker);
	text_draw(t, buf, &line, &(SDL_Rect){ margin, y, w - 2 * margin, lh });
	y += lh;
	if (error && *error) {
		snprintf(buf, sizeof buf, "Last error: %s", error);
		text_draw(t, buf, &bad, &(SDL_Rect){ margin, y, w - 2 * margin, lh });
	}
	y += lh * 3 / 2;
	snprintf(buf, sizeof buf, "Board id: %s", board_id);
	text_draw(t, buf, &line, &(SDL_Rect){ margin, y, w - 2 * margin, lh });
}
