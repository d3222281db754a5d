/* display.c - see display.h. */
#include "display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backlight.h"
#include "log.h"
#include "overlay.h"
#include "schedule.h"

struct display {
	SDL_Renderer *ren;
	struct text *text;
	const struct config *cfg;
	struct schedule schedule;
	struct backlight *backlight;
	SDL_Texture *target;     /* the content, when turned */
	int out_w, out_h;        /* the screen the target was made for */
	bool drawing;            /* between begin and end */
	bool viewport;           /* shifted by a viewport, between begin and end */
	bool drawn_target;       /* the last frame went through the target */
	int drawn_dx, drawn_dy;  /* the shift the screen holds */
	bool input_target;       /* the target is set for an input event */

	bool night, night_known;
	int64_t woken_until;     /* epoch s */
	int dim;                 /* remote dim, -1: none */
	int brightness;          /* applied */
	int veil;                /* percent of black over the picture */
	int dx, dy;
	uint32_t identify_until;
	bool identify;
	bool first_start;
	char broker[300], error[160];
};

/* The orbit alone is a viewport offset (display_begin): through a
 * target it cost a copy of the whole screen each frame (1.5 ms at 1080p,
 * software renderer) and the texture's 8 MB, and it kept a frame drawn
 * only where it changed (scene.h) from being cheap. */
static bool wants_target(const struct display *d)
{
	return d->cfg->rotate != 0;
}

static bool load_schedule(struct display *d, const struct config *cfg)
{
	char why[128];
	if (!schedule_parse(cfg->schedule, &d->schedule, why, sizeof why)) {
		log_error("display", "display.schedule: %s", why); /* config checked it */
		return false;
	}
	return true;
}

struct display *display_create(SDL_Renderer *r, struct text *t, const struct config *cfg)
{
	struct display *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->ren = r;
	d->text = t;
	d->cfg = cfg;
	d->dim = -1;
	d->brightness = 100;
	load_schedule(d, cfg);
	if (d->schedule.on)
		d->backlight = backlight_open();
	return d;
}

void display_destroy(struct display *d)
{
	if (!d)
		return;
	if (d->target)
		SDL_DestroyTexture(d->target);
	backlight_close(d->backlight);
	free(d);
}

static void content_size(const struct display *d, int w, int h, int *cw, int *ch)
{
	bool side = d->cfg->rotate == 90 || d->cfg->rotate == 270;
	*cw = side ? h : w;
	*ch = side ? w : h;
}

/* (Re)makes the target for the screen's size; false: draw directly. */
static bool ensure_target(struct display *d)
{
	int w = 0, h = 0;
	if (!wants_target(d) && d->target) {
		SDL_DestroyTexture(d->target);
		d->target = NULL;
	}
	if (!wants_target(d) || SDL_GetRendererOutputSize(d->ren, &w, &h) != 0 || w <= 0)
		return false;
	if (d->target && w == d->out_w && h == d->out_h)
		return true;
	if (d->target)
		SDL_DestroyTexture(d->target);
	int cw, ch;
	content_size(d, w, h, &cw, &ch);
	d->target = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888,
				      SDL_TEXTUREACCESS_TARGET, cw, ch);
	if (!d->target) {
		log_warn("display", "no render target (%s): not turned or shifted",
			 SDL_GetError());
		return false;
	}
	/* Copied as it is: blending a whole screen would cost as much as
	 * drawing it (software renderer). */
	SDL_SetTextureBlendMode(d->target, SDL_BLENDMODE_NONE);
	d->out_w = w;
	d->out_h = h;
	log_info("display", "content %dx%d, turned %d degrees", cw, ch, d->cfg->rotate);
	return true;
}

/* Unturned, the orbit shifts the viewport; when the shift changes, the
 * strip it uncovers is cleared and the caller draws the content whole. */
static bool shift_viewport(struct display *d)
{
	bool moved = d->dx != d->drawn_dx || d->dy != d->drawn_dy || d->drawn_target;
	int w = 0, h = 0;
	if (SDL_GetRendererOutputSize(d->ren, &w, &h) != 0)
		return moved;
	if (moved) {
		SDL_RenderSetViewport(d->ren, NULL);
		SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
		SDL_RenderClear(d->ren);
		d->drawn_dx = d->dx;
		d->drawn_dy = d->dy;
	}
	d->viewport = d->dx || d->dy;
	if (d->viewport)
		SDL_RenderSetViewport(d->ren, &(SDL_Rect){ d->dx, d->dy, w, h });
	return moved;
}

bool display_begin(struct display *d)
{
	if (!d)
		return false;
	d->drawing = ensure_target(d) && SDL_SetRenderTarget(d->ren, d->target) == 0;
	bool whole = d->drawing != d->drawn_target;
	if (!d->drawing)
		whole |= shift_viewport(d);
	d->drawn_target = d->drawing;
	return whole;
}

static void overlays(struct display *d)
{
	if (d->first_start)
		overlay_first_start(d->ren, d->text, d->broker, d->error, d->cfg->board_id,
				    d->cfg->site);
	if (d->identify)
		overlay_identify(d->ren, d->text, d->cfg->board_id);
	overlay_veil(d->ren, d->veil);
}

void display_end(struct display *d, uint32_t ticks)
{
	if (!d)
		return;
	(void)ticks;
	overlays(d);
	if (d->viewport) {
		SDL_RenderSetViewport(d->ren, NULL); /* screenshots read the screen */
		d->viewport = false;
	}
	if (!d->drawing)
		return;
	d->drawing = false;
	SDL_SetRenderTarget(d->ren, NULL);
	SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
	SDL_RenderClear(d->ren);
	int cw, ch;
	content_size(d, d->out_w, d->out_h, &cw, &ch);
	/* RenderCopyEx turns about the rect's centre: a content-sized rect
	 * centred on the screen covers it exactly once turned. */
	SDL_Rect dst = { (d->out_w - cw) / 2 + d->dx, (d->out_h - ch) / 2 + d->dy, cw, ch };
	/* Unturned, a plain copy: the software renderer's RenderCopyEx
	 * goes through a rotation path even for 0 degrees. */
	if (d->cfg->rotate == 0)
		SDL_RenderCopy(d->ren, d->target, NULL, &dst);
	else
		SDL_RenderCopyEx(d->ren, d->target, NULL, &dst, d->cfg->rotate, NULL,
				 SDL_FLIP_NONE);
}

static void apply_brightness(struct display *d, bool night)
{
	int b = d->dim >= 0 ? d->dim : night ? d->cfg->night_brightness : 100;
	bool blank = night && d->dim < 0 && d->cfg->night_blank;
	if (d->backlight && backlight_set(d->backlight, blank ? 0 : b))
		d->veil = blank ? 100 : 0;
	else
		d->veil = blank ? 100 : 100 - b;
	d->brightness = blank ? 0 : b;
}

bool display_update(struct display *d, int64_t now, uint32_t ticks, bool urgent)
{
	if (!d)
		return false;
	bool changed = false;
	bool night = schedule_is_night(&d->schedule, now, urgent, d->woken_until);
	if (night != d->night || !d->night_known) {
		if (d->night_known) {
			log_info("display", "%s", night ? "night: dimming" : "day: full brightness");
			d->dim = -1; /* a remote dim lasts until the next change */
		}
		d->night = night;
		d->night_known = true;
		changed = true;
	}
	int old_veil = d->veil, old_b = d->brightness;
	apply_brightness(d, d->night);
	changed |= old_veil != d->veil || old_b != d->brightness;
	if (d->identify && (int32_t)(ticks - d->identify_until) >= 0) {
		d->identify = false;
		changed = true;
	}
	int dx = 0, dy = 0;
	if (d->cfg->orbit)
		schedule_orbit(now, DISPLAY_ORBIT_PERIOD_S, DISPLAY_ORBIT_PX, &dx, &dy);
	if (dx != d->dx || dy != d->dy) {
		d->dx = dx;
		d->dy = dy;
		changed = true;
	}
	return changed;
}

uint32_t display_next_ms(const struct display *d, uint32_t ticks, int64_t now)
{
	int64_t next_s = now + 60;
	if (!d)
		return ticks + 60000;
	if (d->cfg->orbit)
		next_s = now - now % DISPLAY_ORBIT_PERIOD_S + DISPLAY_ORBIT_PERIOD_S;
	int64_t change = schedule_next_change(&d->schedule, now);
	if (change && change < next_s)
		next_s = change;
	if (d->woken_until > now && d->woken_until < next_s)
		next_s = d->woken_until;
	uint32_t t = ticks + (uint32_t)((next_s - now) * 1000);
	if (d->identify && (int32_t)(d->identify_until - t) < 0)
		t = d->identify_until;
	return t;
}

bool display_wake(struct display *d, int64_t now)
{
	if (!d || !d->night_known)
		return false;
	bool was_night = d->night;
	if (!schedule_is_day(&d->schedule, now))
		d->woken_until = now + DISPLAY_WAKE_S;
	return was_night;
}

/* Window pixel (x, y) to content pixel, turned back. */
static void to_content(const struct display *d, int x, int y, int *cx, int *cy)
{
	int w = d->out_w, h = d->out_h;
	x -= d->dx;
	y -= d->dy;
	switch (d->cfg->rotate) {
	case 90: *cx = y; *cy = w - 1 - x; break;
	case 180: *cx = w - 1 - x; *cy = h - 1 - y; break;
	case 270: *cx = h - 1 - y; *cy = x; break;
	default: *cx = x; *cy = y; break;
	}
}

/* Unturned: the orbit's shift only. */
static void unshift(const struct display *d, SDL_Event *ev)
{
	int w = 0, h = 0;
	if (!(d->drawn_dx || d->drawn_dy) || SDL_GetRendererOutputSize(d->ren, &w, &h) != 0 ||
	    w <= 0 || h <= 0)
		return;
	if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_MOUSEBUTTONUP) {
		int ww = w, wh = h;
		SDL_Window *win = SDL_GetWindowFromID(ev->button.windowID);
		if (win)
			SDL_GetWindowSize(win, &ww, &wh);
		ev->button.x -= d->drawn_dx * ww / w;
		ev->button.y -= d->drawn_dy * wh / h;
	} else if (ev->type == SDL_FINGERDOWN || ev->type == SDL_FINGERUP) {
		ev->tfinger.x -= (float)d->drawn_dx / (float)w;
		ev->tfinger.y -= (float)d->drawn_dy / (float)h;
	}
}

void display_input_begin(struct display *d, SDL_Event *ev)
{
	if (d && !d->target)
		unshift(d, ev);
	if (!d || !d->target || !ensure_target(d))
		return;
	int cw, ch, cx, cy;
	content_size(d, d->out_w, d->out_h, &cw, &ch);
	/* The alarm UI scales window coordinates by output/window size and
	 * fingers by the output size: with the target set, the output is
	 * the content. Hand it coordinates that come out right. */
	d->input_target = SDL_SetRenderTarget(d->ren, d->target) == 0;
	if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_MOUSEBUTTONUP) {
		int ww = d->out_w, wh = d->out_h;
		SDL_Window *win = SDL_GetWindowFromID(ev->button.windowID);
		if (win)
			SDL_GetWindowSize(win, &ww, &wh);
		to_content(d, ev->button.x * d->out_w / (ww ? ww : 1),
			   ev->button.y * d->out_h / (wh ? wh : 1), &cx, &cy);
		ev->button.x = cx * ww / cw;
		ev->button.y = cy * wh / ch;
	} else if (ev->type == SDL_FINGERDOWN || ev->type == SDL_FINGERUP) {
		to_content(d, (int)(ev->tfinger.x * (float)d->out_w),
			   (int)(ev->tfinger.y * (float)d->out_h), &cx, &cy);
		ev->tfinger.x = ((float)cx + 0.5f) / (float)cw;
		ev->tfinger.y = ((float)cy + 0.5f) / (float)ch;
	}
}

void display_input_end(struct display *d)
{
	if (d && d->input_target) {
		SDL_SetRenderTarget(d->ren, NULL);
		d->input_target = false;
	}
}

void display_identify(struct display *d, uint32_t ticks)
{
	if (!d)
		return;
	d->identify = true;
	d->identify_until = ticks + DISPLAY_IDENTIFY_MS;
}

void display_dim(struct display *d, int percent)
{
	if (d)
		d->dim = percent < 0 ? -1 : percent > 100 ? 100 : percent;
}

void display_first_start(struct display *d, bool on, const char *broker, const char *error)
{
	if (!d)
		return;
	d->first_start = on;
	snprintf(d->broker, sizeof d->broker, "%s", broker ? broker : "");
	snprintf(d->error, sizeof d->error, "%s", error ? error : "");
}

bool display_reconfigure(struct display *d, const struct config *cfg)
{
	if (!d)
		return false;
	d->cfg = cfg;
	load_schedule(d, cfg);
	if (d->schedule.on && !d->backlight)
		d->backlight = backlight_open();
	d->night_known = false;
	d->out_w = d->out_h = 0; /* rotation may have changed: a new target */
	return true;
}

bool display_overlaid(const struct display *d)
{
	return d && (d->first_start || d->identify || d->veil > 0);
}

void display_get_state(const struct display *d, struct display_state *out)
{
	memset(out, 0, sizeof *out);
	if (!d)
		return;
	out->night = d->night;
	out->brightness = d->brightness;
	out->backlight = d->backlight != NULL;
	out->blank = d->night && d->dim < 0 && d->cfg->night_blank;
	out->identify = d->identify;
	out->first_start = d->first_start;
	out->rotate = d->cfg->rotate;
	out->dx = d->dx;
	out->dy = d->dy;
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(d->ren, &w, &h);
	if (d->target && !d->drawing)
		content_size(d, d->out_w, d->out_h, &out->content_w, &out->content_h);
	else
		out->content_w = w, out->content_h = h;
}
