/* frame.c - see frame.h. */
#include "frame.h"

#include <string.h>
#include <time.h>

#include "appstate.h"
#include "i18n.h"
#include "log.h"

/* The list's rows of the frame just drawn; a page turn changes them
 * without any message, and the dump says which rows are visible. */
static void rows_changed(struct app *app)
{
	struct render_row rows[ROWS_MAX];
	struct render_page page;
	size_t n = render_rows(app->render, rows, ROWS_MAX);
	render_page(app->render, &page);
	bool same = n == app->n_rows && page.first == app->page.first &&
		    page.last == app->page.last && page.total == app->page.total &&
		    page.empty_note == app->page.empty_note;
	for (size_t i = 0; same && i < n; i++)
		same = memcmp(&rows[i], &app->rows[i], sizeof rows[i]) == 0;
	if (same)
		return;
	memcpy(app->rows, rows, n * sizeof *rows);
	app->n_rows = n;
	app->page = page;
	app->state_changed = true;
}

/* What may be lost is said on screen: an ack the broker refused, acks
 * that would not survive a restart. */
static void set_trouble(struct app *app)
{
	struct delivery_stats ds;
	delivery_get_stats(app->delivery, &ds);
	app->status.trouble = 0;
	app->status.trouble_detail = "";
	if (ds.undelivered) {
		app->status.trouble = STR_ACK_NOT_DELIVERED;
		app->status.trouble_detail = ds.refusal;
	} else if (!ds.journal_ok) {
		app->status.trouble = STR_ACKS_NOT_DURABLE;
	} else if (model_is_over_capacity(app->model)) {
		app->status.trouble = STR_OVER_CAPACITY;
	}
}

/* SDL's ticks run on the raw monotonic clock, which drifts from the wall
 * clock by its crystal's error (seconds a day) and ignores steps: the
 * phase is taken again when it is off by more than a millisecond, so the
 * flash keeps landing in the frame of the second's tick. */
static void keep_phase(struct app *app)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint32_t ticks = SDL_GetTicks();
	uint32_t off = (uint32_t)(ts.tv_nsec / 1000000 + 1000 - ticks % 1000) % 1000;
	uint32_t d = (off + 1000 - app->phase_off) % 1000;
	if (d > 1 && d < 999)
		app->phase_off = off;
}

/* SDL's software renderer presents by copying its whole window surface
 * to the screen (SDL_UpdateWindowSurface: 8 MB at 1080p, through X11's
 * put-image or, where the video driver has no framebuffer of its own
 * (KMS/DRM), an upload to a GPU texture). A frame drawn from its damage
 * straight into that surface pushes only its rects, in screen
 * coordinates (the orbit's viewport shifts them). */
static void pushed_rects(struct app *app, struct scene *sc, bool moved)
{
	app->n_pushed = 0;
	/* A render target still set is display.c's turned picture (drawn
	 * into a texture, copied at display_end): asked of the renderer, not
	 * decided again from cfg->rotate, which says nothing of a target
	 * display.c failed to make. */
	if (moved || SDL_GetRenderTarget(app->renderer) ||
	    strcmp(app->renderer_name, "software") != 0)
		return;
	int w = 0, h = 0;
	SDL_Rect vp, screen;
	SDL_GetRendererOutputSize(app->renderer, &w, &h);
	SDL_RenderGetViewport(app->renderer, &vp);
	screen = (SDL_Rect){ 0, 0, w, h };
	SDL_Rect drawn[SCENE_RECTS_MAX];
	size_t n = scene_rects(sc, drawn, SCENE_RECTS_MAX), k = 0;
	for (size_t i = 0; i < n; i++) {
		SDL_Rect r = { drawn[i].x + vp.x, drawn[i].y + vp.y, drawn[i].w, drawn[i].h };
		/* drawn whole: present whole (the orbit's border too) */
		if (r.w >= w && r.h >= h)
			return;
		if (SDL_IntersectRect(&r, &screen, &r))
			app->pushed[k++] = r;
	}
	app->n_pushed = k;
}

static void present(struct app *app)
{
	SDL_Window *win = SDL_RenderGetWindow(app->renderer);
	if (app->n_pushed && win && SDL_RenderFlush(app->renderer) == 0) {
		if (SDL_GetWindowFlags(win) & (SDL_WINDOW_HIDDEN | SDL_WINDOW_MINIMIZED))
			return; /* as SDL_RenderPresent: nothing to show */
		if (SDL_UpdateWindowSurfaceRects(win, app->pushed, (int)app->n_pushed) == 0)
			return;
		log_debug("app", "pushing rects: %s; presenting whole", SDL_GetError());
	}
	SDL_RenderPresent(app->renderer);
}

/* What the frame shows besides the model. */
static void set_status(struct app *app)
{
	struct alarm_view crisis;
	app->status.alarm_rows = ackui_rows_wanted(app->ui);
	set_trouble(app);
	app->status.crisis_acked = alarms_find(app->alarms, "crisis", &crisis) &&
				   crisis.state == ALARM_ACKED;
	app->status.alarms = app->alarms;
	app->status.crisis = app->crisis;
	app->status.hold_page = ackui_busy(app->ui);
}

/* The scene that records this frame, or NULL to draw it whole. */
static struct scene *begin_scene(struct app *app, bool moved)
{
	if (moved)
		scene_forget(app->scene); /* the screen moved under the kept frame */
	/* The keypad draws what a scene does not record, and the display's
	 * overlays go over the kept frame: drawn whole then. */
	struct scene *sc = app->status.hold_page || app->cfg->redraw == REDRAW_WHOLE ||
			   display_overlaid(app->display) ? NULL : app->scene;
	render_set_scene(app->render, sc);
	ackui_set_scene(app->ui, sc);
	scene_set_check(app->scene, app->cfg->redraw == REDRAW_CHECK);
	if (sc)
		scene_begin(sc);
	else
		scene_forget(app->scene);
	return sc;
}

/* The playbook's boxes: the dump says where they are (a test taps them),
 * so it is rewritten when they moved, appeared or went. */
static void steps_changed(struct app *app)
{
	SDL_Rect steps[MSG_PLAYBOOK_MAX];
	size_t n_steps = render_steps(app->render, steps, MSG_PLAYBOOK_MAX);
	if (n_steps != app->n_steps || memcmp(steps, app->steps, n_steps * sizeof steps[0]))
		app->state_changed = true;
	memcpy(app->steps, steps, n_steps * sizeof steps[0]);
	app->n_steps = n_steps;
}

/* The alarm strip (ackui) over the list's rows and the playbook. */
static void draw_strip(struct app *app, int64_t now, uint32_t t)
{
	SDL_Rect strip;
	if (!render_region(app->render, RENDER_REGION_ALARMS, &strip))
		strip = (SDL_Rect){ 0, 0, 0, 0 };
	rows_changed(app);
	ackui_set_rows(app->ui, app->rows, app->n_rows);
	steps_changed(app);
	ackui_set_steps(app->ui, app->crisis, app->steps, app->n_steps);
	ackui_draw(app->ui, &strip, now, t);
	/* the dump says where the "Declare crisis" buttons are and the
	 * lines' labels as drawn (a count's form too); it takes the rest
	 * itself. ackui counts their changes as it draws them: no copy of
	 * its state every frame to compare. */
	uint64_t gen = ackui_strip_gen(app->ui);
	app->state_changed |= gen != app->strip_gen;
	app->strip_gen = gen;
	if (!app->status.live && strip.w > 0)
		render_veil(app->render, &strip); /* alarms from stale data are stale */
}

/* What the frame drew, and where: the present pushes it, the dump says
 * it. */
static void end_scene(struct app *app, struct scene *sc, bool moved)
{
	if (sc) {
		scene_end(sc, false, &app->drawn);
		pushed_rects(app, sc, moved);
	} else {
		app->n_pushed = 0;
		int w = 0, h = 0;
		SDL_GetRendererOutputSize(app->renderer, &w, &h);
		app->drawn = (struct scene_result){ .changed = true, .rects = 1,
						    .pixels = (uint64_t)w * (uint64_t)h,
						    .bounds = { 0, 0, w, h } };
	}
}

static void count_drawn(struct app *app, const struct scene *sc)
{
	if (app->drawn.changed) {
		app->n_redrawn = sc ? scene_rects(sc, app->redrawn, 16) : 1;
		if (!sc)
			app->redrawn[0] = app->drawn.bounds;
		app->state_changed = true; /* the dump says what was redrawn */
		app->counters.frames++;
		if (app->pace.pending) { /* pace_drawn comes after */
			memcpy(app->redrawn_change, app->redrawn, sizeof app->redrawn);
			app->n_redrawn_change = app->n_redrawn;
			app->change_frame = app->counters.frames;
		}
	}
	else
		app->counters.frames_unchanged++;
	app->counters.redrawn_px += app->drawn.pixels;
	app->counters.layers_copied += app->drawn.copied;
	app->counters.redraw_checked += app->drawn.checked;
	app->counters.redraw_mismatched += app->drawn.mismatched > 0;
}

/* The texts cut (kept only for the dump): rewritten when they change. */
static void seen_changed(struct app *app)
{
	if (!app->seen)
		return;
	uint64_t h = kit_seen_hash(app->seen);
	if (h != app->seen_hash)
		app->state_changed = true;
	app->seen_hash = h;
}

void frame_draw(struct app *app, int64_t now, uint32_t ticks)
{
	keep_phase(app);
	uint32_t t = ticks + app->phase_off;
	set_status(app);
	bool moved = display_begin(app->display);
	struct scene *sc = begin_scene(app, moved);
	kit_seen_watch(app->seen);
	render_frame(app->render, app->model, &app->status, now, t);
	draw_strip(app, now, t);
	kit_seen_watch(NULL);
	seen_changed(app);
	uint32_t a = render_next_change_ms(app->render, t);
	uint32_t b = ackui_next_change_ms(app->ui, t);
	app->next_change_ms = ((int32_t)(a - b) < 0 ? a : b) - app->phase_off;
	end_scene(app, sc, moved);
	display_end(app->display, ticks);
	count_drawn(app, sc);
	app->last_draw_ms = ticks;
	app->dirty = false;
}

void frame_finish(struct app *app)
{
	struct text_stats ts;
	text_get_stats(app->text, &ts);
	app->counters.rasterised = ts.rasterised;
	app->counters.missing_glyphs = ts.missing_glyphs;
	text_frame_end(app->text);
	if (app->drawn.changed)
		present(app);
}

/* What log_frame says of a frame besides the app's state. */
struct frame_cost {
	bool change;          /* it drew changes by message */
	uint32_t began, done; /* SDL ticks */
	uint64_t us;          /* drawn and shown in, wall clock */
	double cpu_ms;        /* ... of this thread's CPU: on a shared machine
	                         the wall clock says more of the others */
	uint64_t rasterised;  /* the counter before it */
};

static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* --verbose: every frame, with when it was shown: timers and crisis say
 * when a burst is all shown (only when its last messages are:
 * scripts/bench.sh). */
static void log_frame(const struct app *app, const struct frame_cost *c)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	const SDL_Rect *u = &app->drawn.bounds;
	log_debug("app", "frame %llu: %zu complaints held, %zu timers, %s, %s (waited %d ms), "
		  "drawn in %.2f ms (%.2f ms of CPU; %zu rects, %llu px, within %dx%d+%d+%d, %llu lines "
		  "rasterised), its changes taken up to %u ms after they came, the last %d ms before it "
		  "began, begun %d ms after the last message came, shown at %lld.%03ld",
		  (unsigned long long)app->counters.frames,
		  model_complaint_count(app->model), model_timer_count(app->model),
		  model_crisis(app->model) ? "a crisis" : "no crisis",
		  !c->change ? "no change by message"
		  : app->pace.isolated ? "isolated change" : "streamed changes",
		  c->change ? (int)(c->done - app->pace.pending_since) : 0,
		  (double)c->us / 1000, c->cpu_ms, app->drawn.rects,
		  (unsigned long long)app->drawn.pixels, u->w, u->h, u->x, u->y,
		  (unsigned long long)(app->counters.rasterised - c->rasterised),
		  c->change ? app->taken_late_ms : 0,
		  c->change ? (int)(c->began - app->last_taken_ms) : 0,
		  (int)(c->began - app->pace.last_change), (long long)ts.tv_sec, ts.tv_nsec / 1000000);
}

void frame_show(struct app *app, int64_t now, uint32_t ticks)
{
	bool verbose = log_enabled(LOG_DEBUG);
	struct frame_cost c = {
		.change = app->pace.pending, .rasterised = app->counters.rasterised,
		.began = SDL_GetTicks(), .cpu_ms = verbose ? thread_cpu_ms() : 0,
	};
	Uint64 t0 = SDL_GetPerformanceCounter();
	frame_draw(app, now, ticks);
	if (commands_shot_wanted(app->commands))
		commands_send_shot(app->commands, ticks);
	frame_finish(app);
	c.us = (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
	telemetry_frame(app->telemetry, (double)c.us / 1000.0, ticks);
	c.done = SDL_GetTicks();
	histo_add(c.change ? &app->draw_change_us : &app->draw_ticks_us, c.us);
	if (c.change)
		histo_add(app->pace.isolated ? &app->lat_isolated : &app->lat_stream,
			  c.done - app->pace.pending_since);
	if (verbose) {
		c.cpu_ms = thread_cpu_ms() - c.cpu_ms;
		log_frame(app, &c);
	}
	if (c.change)
		app->taken_late_ms = 0;
	pace_drawn(&app->pace, c.done);
}
