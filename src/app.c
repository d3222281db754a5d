/* app.c - see app.h. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "decode.h"
#include "dump.h"
#include "log.h"
#include "model.h"
#include "mqtt.h"
#include "render.h"
#include "text.h"

/* Events taken from the MQTT queue per loop pass: enough to keep up with
 * a flood, few enough that a frame is never held back for long. */
#define DRAIN_BATCH 4096
/* The echo heartbeat is published every second: three missed echoes and
 * the board says its data is not live. */
#define LIVE_WINDOW_MS 3000
/* How often liveness is checked while nothing else wakes the loop. */
#define LIVE_CHECK_MS 500
/* --dump-state is rewritten at most this often. */
#define DUMP_MIN_INTERVAL_MS 200
/* Rejections logged per minute; the rest are only counted. */
#define REJECT_LOG_PER_MIN 20
#define ROWS_MAX 256
/* Frames are drawn at most this often: a wall display needs no more, and
 * a flood of messages must not turn into a flood of frames. */
#define FRAME_MIN_MS 50
#define POLL_BATCH 256

struct app {
	const struct config *cfg;
	SDL_Window *window;
	SDL_Renderer *renderer;
	struct text *text;
	struct render *render;
	struct model *model;
	struct mqtt *mqtt;
	Uint32 wake_event;

	bool dirty;          /* the picture must be redrawn */
	bool state_changed;  /* the dump must be rewritten */
	bool quit;
	bool synced;
	uint32_t start_ms;
	uint32_t next_change_ms;   /* from render: a tick or a flash */
	uint32_t next_live_check_ms;
	uint32_t last_dump_ms;

	struct board_status status;
	struct dump_counters counters;
	struct render_row rows[ROWS_MAX];
	size_t n_rows;

	int64_t reject_minute;
	unsigned reject_logged;
	uint32_t last_draw_ms;

	/* Scratch for the drain loop, kept here rather than on the stack:
	 * a struct msg is several KB. */
	struct msg msg;
	struct mqtt_event events[POLL_BATCH];
};

static void wake_main_thread(void *ctx)
{
	struct app *app = ctx;
	SDL_Event ev = { .type = app->wake_event };
	/* Called once per empty->non-empty transition of the queue, so the
	 * SDL event queue never fills with wake-ups. */
	SDL_PushEvent(&ev);
}

static int64_t local_day_start(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static bool create_window(struct app *app)
{
	const struct config *cfg = app->cfg;
	int w = cfg->width ? cfg->width : 1280, h = cfg->height ? cfg->height : 720;
	Uint32 flags = SDL_WINDOW_SHOWN;
	/* Headless drivers have one fake desktop mode: full screen there
	 * would ignore --size, which screenshots need. */
	const char *driver = SDL_GetCurrentVideoDriver();
	bool headless = driver && (!strcmp(driver, "dummy") || !strcmp(driver, "offscreen"));
	if (cfg->windowed || headless)
		flags |= SDL_WINDOW_RESIZABLE;
	else if (cfg->width)
		flags |= SDL_WINDOW_FULLSCREEN;
	else
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;

	app->window = SDL_CreateWindow("wallboard", SDL_WINDOWPOS_CENTERED,
				       SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!app->window) {
		log_error("app", "SDL_CreateWindow: %s", SDL_GetError());
		return false;
	}
	app->renderer = SDL_CreateRenderer(app->window, -1, 0);
	if (!app->renderer) {
		log_error("app", "SDL_CreateRenderer: %s", SDL_GetError());
		return false;
	}
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(app->renderer, &info) == 0)
		log_info("app", "video driver %s, renderer %s", SDL_GetCurrentVideoDriver(),
			 info.name);
	if (!cfg->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	return true;
}

static bool start_mqtt(struct app *app)
{
	const struct config *cfg = app->cfg;
	struct mqtt_options opt = {
		.host = cfg->host,
		.port = cfg->port,
		.prefix = cfg->prefix,
		.client_id = cfg->board_id,
		.keepalive_s = cfg->keepalive_s,
		.username = cfg->username,
		.password = cfg->password,
		.cafile = cfg->cafile,
		.wake = wake_main_thread,
		.wake_ctx = app,
	};
	app->mqtt = mqtt_init(&opt);
	return app->mqtt != NULL;
}

static struct model *create_model(const struct config *cfg)
{
	const char *keys[CONFIG_MAX_CHANNELS];
	for (size_t i = 0; i < cfg->n_channels; i++)
		keys[i] = cfg->channels[i].key;
	return model_init(keys, cfg->n_channels);
}

struct app *app_init(const struct config *cfg)
{
	struct app *app = calloc(1, sizeof *app);
	if (!app)
		return NULL;
	app->cfg = cfg;
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		log_error("app", "SDL_Init: %s", SDL_GetError());
		free(app);
		return NULL;
	}
	if (TTF_Init() != 0) {
		log_error("app", "TTF_Init: %s", TTF_GetError());
		SDL_Quit();
		free(app);
		return NULL;
	}
	app->wake_event = SDL_RegisterEvents(1);
	app->start_ms = SDL_GetTicks();
	app->last_draw_ms = app->start_ms - FRAME_MIN_MS;
	app->status.not_live_since = (int64_t)time(NULL);

	char font_dir[CONFIG_PATH + 8];
	snprintf(font_dir, sizeof font_dir, "%s/fonts", cfg->asset_dir);
	if (app->wake_event == (Uint32)-1 || !create_window(app) ||
	    !(app->model = create_model(cfg)) ||
	    !(app->text = text_init(app->renderer, font_dir)) ||
	    !(app->render = render_init(app->renderer, app->text, cfg)) ||
	    !start_mqtt(app)) {
		app_destroy(app);
		return NULL;
	}
	app->dirty = app->state_changed = true;
	return app;
}

void app_destroy(struct app *app)
{
	if (!app)
		return;
	/* The network thread goes first: it may still call wake(). */
	mqtt_destroy(app->mqtt);
	render_destroy(app->render);
	text_destroy(app->text);
	model_destroy(app->model);
	if (app->renderer)
		SDL_DestroyRenderer(app->renderer);
	if (app->window)
		SDL_DestroyWindow(app->window);
	TTF_Quit();
	SDL_Quit();
	free(app);
}

static void log_rejection(struct app *app, const char *topic, const char *why, int64_t now)
{
	app->counters.rejected++;
	if (now / 60 != app->reject_minute) {
		if (app->reject_logged > REJECT_LOG_PER_MIN)
			log_warn("decode", "%u more messages rejected in the last minute "
				 "(not logged)", app->reject_logged - REJECT_LOG_PER_MIN);
		app->reject_minute = now / 60;
		app->reject_logged = 0;
	}
	if (app->reject_logged++ < REJECT_LOG_PER_MIN)
		log_warn("decode", "rejected %.200s: %s", topic, why);
}

static void apply_message(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	char why[160];
	app->counters.received++;
	if (!decode_message(app->cfg->prefix, ev->topic, ev->payload, ev->payload_len,
			    &app->msg, why, sizeof why) ||
	    !model_apply(app->model, &app->msg, why, sizeof why)) {
		log_rejection(app, ev->topic, why, now);
		app->state_changed = true;
		app->dirty = true; /* the rejected counter is on screen */
		return;
	}
	app->counters.applied++;
	app->dirty = app->state_changed = true;
}

static void handle_mqtt_event(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	switch (ev->kind) {
	case MQTT_EV_CONNECTED:
		/* Everything held is unconfirmed until the retained replay
		 * that follows refreshes it. */
		model_resync_begin(app->model);
		app->synced = false;
		app->status.connected = true;
		break;
	case MQTT_EV_SYNCED: {
		size_t dropped = model_resync_end(app->model);
		app->counters.resyncs++;
		app->counters.resync_dropped += dropped;
		app->synced = true;
		if (dropped)
			log_info("app", "resync dropped %zu items removed while offline", dropped);
		break;
	}
	case MQTT_EV_DISCONNECTED:
		app->status.connected = false;
		break;
	case MQTT_EV_MESSAGE:
		apply_message(app, ev, now);
		return;
	case MQTT_EV_PUBLISHED:
		return;
	}
	app->dirty = app->state_changed = true;
}

/* Returns true when events remain in the queue. */
static bool drain_mqtt(struct app *app, int64_t now)
{
	size_t total = 0, n;
	while (total < DRAIN_BATCH &&
	       (n = mqtt_poll(app->mqtt, app->events, POLL_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			handle_mqtt_event(app, &app->events[i], now);
			mqtt_event_release(&app->events[i]);
		}
		total += n;
	}
	return total >= DRAIN_BATCH;
}

static void update_liveness(struct app *app, int64_t now, uint32_t ticks)
{
	bool live = mqtt_is_live(app->mqtt, LIVE_WINDOW_MS) && app->synced;
	if (live != app->status.live) {
		app->status.live = live;
		app->status.not_live_since = live ? 0 : now;
		log_info("app", "data is %s", live ? "live" : "NOT live");
		app->dirty = app->state_changed = true;
	}
	int64_t day = local_day_start(now);
	if (day != app->status.day_start) {
		app->status.day_start = day;
		model_prune_day(app->model, day);
		app->dirty = true;
	}
	app->next_live_check_ms = ticks + LIVE_CHECK_MS;
}

static void handle_sdl_event(struct app *app, const SDL_Event *ev)
{
	if (ev->type == app->wake_event)
		return; /* the queue is drained every pass anyway */
	switch (ev->type) {
	case SDL_QUIT:
		app->quit = true;
		break;
	case SDL_WINDOWEVENT:
		app->dirty = true;
		break;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		app->dirty = true;
		break;
	case SDL_KEYDOWN:
		/* Ctrl+Q quits; a kiosk keypad has no Ctrl, so leads cannot
		 * close the board by accident. */
		if (ev->key.keysym.sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))
			app->quit = true;
		break;
	default:
		break;
	}
}

static void draw(struct app *app, int64_t now, uint32_t ticks)
{
	app->status.rejected = app->counters.rejected;
	render_frame(app->render, app->model, &app->status, now, ticks);
	app->n_rows = render_rows(app->render, app->rows, ROWS_MAX);
	app->next_change_ms = render_next_change_ms(app->render, ticks);
	app->counters.frames++;
	app->last_draw_ms = ticks;
	app->dirty = false;
}

static void finish_frame(struct app *app)
{
	struct text_stats ts;
	text_get_stats(app->text, &ts);
	app->counters.rasterised = ts.rasterised;
	text_frame_end(app->text);
	SDL_RenderPresent(app->renderer);
}

static void write_dump(struct app *app, int64_t now, uint32_t ticks)
{
	struct mqtt_stats ms;
	mqtt_get_stats(app->mqtt, &ms);
	app->counters.dropped = ms.dropped + ms.oversized;
	struct dump_input in = {
		.model = app->model,
		.status = &app->status,
		.rows = app->rows,
		.n_rows = app->n_rows,
		.counters = &app->counters,
		.board_id = app->cfg->board_id,
		.now = now,
		.at_risk_s = app->cfg->at_risk_s,
		.synced = app->synced,
	};
	dump_write(app->cfg->dump_state, &in);
	app->last_dump_ms = ticks;
	app->state_changed = false;
}

static bool save_screenshot(struct app *app, const char *path)
{
	int w, h;
	if (SDL_GetRendererOutputSize(app->renderer, &w, &h) != 0)
		return false;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	bool ok = s && SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888,
					    s->pixels, s->pitch) == 0 &&
		  IMG_SavePNG(s, path) == 0;
	if (!ok)
		log_error("app", "screenshot %s: %s", path, SDL_GetError());
	else
		log_info("app", "screenshot %s (%dx%d)", path, w, h);
	SDL_FreeSurface(s);
	return ok;
}

/* The headless path: one frame to PNG (and the state), then quit. */
static int take_screenshot(struct app *app, int64_t now, uint32_t ticks)
{
	update_liveness(app, now, ticks);
	draw(app, now, ticks);
	bool ok = save_screenshot(app, app->cfg->screenshot);
	finish_frame(app);
	if (app->cfg->dump_state[0])
		write_dump(app, now, ticks);
	app->quit = true;
	return ok ? 0 : 1;
}

/* Milliseconds from ticks to deadline, 0 when already passed. Deadlines
 * are compared as signed differences so SDL_GetTicks wrapping after 49
 * days does not stall the board. */
static int32_t until(uint32_t deadline, uint32_t ticks)
{
	int32_t d = (int32_t)(deadline - ticks);
	return d < 0 ? 0 : d;
}

static int32_t min_i32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* How long the loop may sleep: until the nearest deadline. */
static int wait_timeout(const struct app *app, uint32_t ticks, uint32_t shot_at)
{
	int32_t next = min_i32(until(app->next_live_check_ms, ticks),
			       until(app->next_change_ms, ticks));
	if (app->cfg->screenshot[0])
		next = min_i32(next, until(shot_at, ticks));
	if (app->state_changed && app->cfg->dump_state[0])
		next = min_i32(next, until(app->last_dump_ms + DUMP_MIN_INTERVAL_MS, ticks));
	if (app->dirty)
		next = min_i32(next, until(app->last_draw_ms + FRAME_MIN_MS, ticks));
	return (int)min_i32(next, 60000);
}

int app_run(struct app *app)
{
	uint32_t shot_at = app->start_ms + (uint32_t)(app->cfg->screenshot_after * 1000.0);
	int status = 0;
	bool backlog = false;
	app->next_change_ms = app->start_ms;
	app->next_live_check_ms = app->start_ms;

	while (!app->quit) {
		SDL_Event ev;
		uint32_t ticks = SDL_GetTicks();
		int timeout = backlog ? 0 : wait_timeout(app, ticks, shot_at);
		if (SDL_WaitEventTimeout(&ev, timeout)) {
			handle_sdl_event(app, &ev);
			while (SDL_PollEvent(&ev))
				handle_sdl_event(app, &ev);
		}
		int64_t now = (int64_t)time(NULL);
		ticks = SDL_GetTicks();
		backlog = drain_mqtt(app, now);
		if ((int32_t)(ticks - app->next_live_check_ms) >= 0)
			update_liveness(app, now, ticks);
		if ((int32_t)(ticks - app->next_change_ms) >= 0)
			app->dirty = true;

		if (app->cfg->screenshot[0] && (int32_t)(ticks - shot_at) >= 0) {
			status = take_screenshot(app, now, ticks);
			break;
		}
		if (app->dirty && (int32_t)(ticks - app->last_draw_ms) >= FRAME_MIN_MS) {
			draw(app, now, ticks);
			finish_frame(app);
		}
		if (app->state_changed && app->cfg->dump_state[0] &&
		    (int32_t)(ticks - app->last_dump_ms) >= DUMP_MIN_INTERVAL_MS)
			write_dump(app, now, ticks);
	}
	return status;
}
