/* app.c - see app.h. The pass itself (app_run) and the wiring; each
 * phase of a pass is a module of its own (appstate.h lists them). */
#include "app.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "alerting.h"
#include "appstate.h"
#include "drain.h"
#include "frame.h"
#include "kit.h"
#include "log.h"
#include "loopwait.h"
#include "report.h"
#include "soundwait.h"
#include "util.h"
#include "window.h"

/* How often liveness is checked while nothing else wakes the loop. */
#define LIVE_CHECK_MS 500
/* A pass this close before the check is due does it: a frame's deadline
 * is on the wall clock's milliseconds, the check's on SDL's ticks, and
 * the two round a millisecond apart; waiting for the check cost a
 * wake-up of its own 1 ms after every second's frame. */
#define LIVE_CHECK_EARLY_MS 5

/* Local midnight days after the one before now. */
static int64_t local_midnight(int64_t now, int days)
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* The local day now falls in. glibc's mktime looks at the zone file
 * again (a stat) at every call, and liveness is checked twice a second:
 * the day is worked out again when it ends, and hourly, so a zone
 * changed under a running board still shows within the hour. */
static int64_t local_day_start(struct app *app, int64_t now)
{
	struct local_day *d = &app->day;
	if (now < d->start || now >= d->end || now - d->worked_out >= 3600) {
		d->start = local_midnight(now, 0);
		d->end = local_midnight(now, 1);
		d->worked_out = now;
	}
	return d->start;
}

/* WB_QUEUE_MAX=N shrinks the MQTT queue: the test of resync after drops
 * overflows it on purpose. Not a setting: the default suits every board. */
static size_t queue_max_from_env(void)
{
	const char *s = getenv("WB_QUEUE_MAX");
	long n = s ? strtol(s, NULL, 10) : 0;
	return n > 0 && n <= 100000 ? (size_t)n : 0;
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
		.capath = cfg->tls ? cfg->capath : NULL,
		.certfile = cfg->certfile,
		.keyfile = cfg->keyfile,
		.tls_version = cfg->tls_version,
		.queue_max_events = queue_max_from_env(),
		.status_online = app->status_online,
		.status_offline = app->status_offline,
		.protocol = cfg->protocol == CONFIG_PROTOCOL_5 ? MQTT_PROTOCOL_5
			    : cfg->protocol == CONFIG_PROTOCOL_311 ? MQTT_PROTOCOL_311
								   : MQTT_PROTOCOL_AUTO,
		.wake = loopwait_wake,
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
	struct model *m = model_init(keys, cfg->n_channels);
	if (m)
		model_set_max_complaints(m, (size_t)cfg->max_complaints);
	return m;
}

static struct alarms *create_alarms(const struct config *cfg, const struct acksig_key *key)
{
	struct alarms_options opt;
	alarms_options_from_config(&opt, cfg);
	opt.key = key;
	return alarms_init(&opt);
}

/* An ack replayed from the journal is shown at once, before the broker
 * is back: the lead sees that the board remembered it. */
static void show_replayed_ack(const char *topic, const void *payload, size_t len, void *ctx)
{
	struct app *app = ctx;
	ingest_local(app->ingest, topic, payload, len, (int64_t)time(NULL));
}

/* Surge counts and baselines survive a restart (state dir), so a restart
 * neither hides a surge nor forgets what is usual. */
static bool create_surge(struct app *app)
{
	const struct config *cfg = app->cfg;
	struct surge_options so = {
		.factor = cfg->surge_factor, .min_per_window = cfg->surge_min_per_10min,
		.learn_s = cfg->surge_learn_s,
	};
	snprintf(app->surge_path, sizeof app->surge_path, "%s/surge.state", cfg->state_dir);
	app->surge = surge_create(&so);
	if (!app->surge)
		return false;
	surge_load(app->surge, app->surge_path, (int64_t)time(NULL)); /* logs its errors */
	app->surge_saved = (int64_t)time(NULL);
	alarms_set_surge(app->alarms, app->surge);
	return true;
}

static bool create_crisis(struct app *app, const struct acksig_key *key)
{
	const struct config *cfg = app->cfg;
	app->crisis = crisis_create(cfg->prefix, cfg->board_id, cfg->crisis_report, key);
	if (!app->crisis)
		return false;
	alarms_set_crisis(app->alarms, app->crisis);
	return true;
}

static bool create_ingest(struct app *app)
{
	struct ingest_targets t = {
		.prefix = app->cfg->prefix, .model = app->model, .alarms = app->alarms,
		.crisis = app->crisis, .producers = app->producers, .surge = app->surge,
		.counters = &app->counters,
	};
	return (app->ingest = ingest_create(&t)) != NULL;
}

static bool create_board(struct app *app, const struct acksig_key *key)
{
	const struct config *cfg = app->cfg;
	char font_dir[CONFIG_PATH + 8];
	snprintf(font_dir, sizeof font_dir, "%s/fonts", cfg->asset_dir);
	log_info("app", "fonts from %s", font_dir);
	if (cfg->input_script[0] && !(app->replay = replay_load(cfg->input_script)))
		return false;
	if (app->wake_fd < 0) {
		log_error("app", "eventfd: %s", strerror(errno));
		return false;
	}
	return app->wake_event != (Uint32)-1 &&
	       window_open(cfg, &app->window, &app->renderer, app->renderer_name,
			   sizeof app->renderer_name) &&
	       (app->model = create_model(cfg)) && (app->alarms = create_alarms(cfg, key)) &&
	       (app->producers = producers_create()) &&
	       create_surge(app) &&
	       create_crisis(app, key) &&
	       create_ingest(app) &&
	       (app->text = text_init(app->renderer, font_dir)) &&
	       (app->render = render_init(app->renderer, app->text, cfg)) &&
	       (app->scene = scene_create(app->renderer, app->text)) &&
	       (app->ui = ackui_init(app->renderer, app->text, cfg, app->alarms)) &&
	       (app->sound = sound_init(cfg->sound_volume)) && start_mqtt(app) &&
	       (app->delivery = delivery_init(cfg->state_dir, app->mqtt));
}

/* The appliance's parts, once the board is up: a failure here is not
 * fatal but for the commands (out of memory). */
static bool create_appliance(struct app *app)
{
	const struct config *cfg = app->cfg;
	app->service = service_create();
	alarms_set_live(app->alarms, false); /* until the first sync */
	app->display = display_create(app->renderer, app->text, cfg);
	struct commands_deps d = {
		.cfg = (struct config *)cfg, /* main.c's, writable (app.h) */
		.key = app->key, .mqtt = app->mqtt, .display = app->display,
		.render = app->render, .renderer = app->renderer,
	};
	app->commands = commands_create(&d);
	app->telemetry = telemetry_create();
	return app->commands != NULL;
}

/* SIGTERM and SIGINT (SDL's handler turns them into SDL_QUIT) reach
 * the main thread only, while it sleeps (loopwait.c): blocked here,
 * before any thread exists, so every thread inherits the mask, ours and
 * SDL's and libraries' alike. A stop signal taken by another thread did
 * not end the main thread's poll(), and the board stopped at its next
 * deadline, up to 500 ms later. Never unblocked outside the sleep: one
 * that comes while the board shuts down waits, across the restart's
 * execv too, for the next run's loop. */
static void hold_stop_signals(struct app *app)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, &app->wait_mask);
	sigdelset(&app->wait_mask, SIGTERM);
	sigdelset(&app->wait_mask, SIGINT);
}

/* SDL and the loop's clocks, before anything is created. */
static bool init_loop(struct app *app)
{
	hold_stop_signals(app);
	/* SDL2_ttf: started by text.c if a run needs it (text.h) */
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		log_error("app", "SDL_Init: %s", SDL_GetError());
		return false;
	}
	app->wake_event = SDL_RegisterEvents(1);
	app->sdl_can_wait = window_driver_can_wait();
	app->headless = window_driver_headless();
	if (!app->sdl_can_wait && !app->headless)
		app->input = inputwait_create("/dev/input");
	app->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	app->start_ms = SDL_GetTicks();
	app->last_draw_ms = app->start_ms - FRAME_MIN_MS;
	app->alarms_run_ms = app->start_ms - ALARMS_EVERY_MS;
	app->last_input_ms = app->start_ms - INPUT_BUSY_FOR_MS; /* idle at start */
	liveness_init(&app->live, (int64_t)time(NULL));
	app->status.not_live_since = app->live.not_live_since;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	app->phase_off = (uint32_t)(ts.tv_nsec / 1000000 + 1000 - app->start_ms % 1000) % 1000;
	return true;
}

struct app *app_init(const struct config *cfg, const struct acksig_key *key)
{
	struct app *app = calloc(1, sizeof *app);
	if (!app)
		return NULL;
	app->cfg = cfg;
	if (key)
		app->site_key = *key; /* main wipes its copy after init */
	app->key = key ? &app->site_key : NULL;
	app->started_at = (int64_t)time(NULL);
	/* the dump says which texts were cut; only then are they looked for */
	if (cfg->dump_state[0] && !(app->seen = calloc(1, sizeof *app->seen))) {
		free(app);
		return NULL;
	}
	snprintf(app->status_topic, sizeof app->status_topic, "%s/boards/%s/status",
		 cfg->prefix, cfg->board_id);
	snprintf(app->status_online, sizeof app->status_online,
		 "{\"online\":true,\"board\":\"%s\"}", cfg->board_id);
	telemetry_offline(cfg->board_id, app->status_offline, sizeof app->status_offline);
	if (!init_loop(app) || !create_board(app, key) || !create_appliance(app)) {
		app_destroy(app);
		return NULL;
	}
	feeds_init(&app->feeds, app->model, app->producers, cfg->max_complaints, &app->status);
	delivery_replay(app->delivery, show_replayed_ack, app);
	app->dirty = app->state_changed = app->model_changed = true;
	pace_init(&app->pace, app->start_ms);
	histo_init(&app->lat_isolated, 1);
	histo_init(&app->lat_stream, 1);
	histo_init(&app->draw_ticks_us, 50);
	histo_init(&app->draw_change_us, 50);
	return app;
}

void app_destroy(struct app *app)
{
	if (!app)
		return;
	/* The network thread goes first: it may still call wake(). */
	mqtt_destroy(app->mqtt);
	service_destroy(app->service);
	commands_destroy(app->commands);
	display_destroy(app->display);
	acksig_key_wipe(&app->site_key);
	telemetry_destroy(app->telemetry);
	delivery_destroy(app->delivery);
	sound_destroy(app->sound);
	ackui_destroy(app->ui);
	replay_destroy(app->replay);
	render_destroy(app->render);
	scene_destroy(app->scene);
	text_destroy(app->text);
	if (app->surge)
		surge_save(app->surge, app->surge_path, (int64_t)time(NULL));
	ingest_destroy(app->ingest);
	crisis_destroy(app->crisis);
	if (app->alarms) {
		alarms_set_surge(app->alarms, NULL);
		alarms_set_crisis(app->alarms, NULL);
	}
	surge_destroy(app->surge);
	alarms_destroy(app->alarms);
	producers_destroy(app->producers);
	model_destroy(app->model);
	if (app->renderer)
		SDL_DestroyRenderer(app->renderer);
	if (app->window)
		SDL_DestroyWindow(app->window);
	if (app->wake_fd > 0)
		close(app->wake_fd);
	inputwait_destroy(app->input);
	SDL_Quit();
	free(app->seen);
	free(app);
}

/* Completeness and silent feeds (feeds.h): a replay taken again when
 * the board is short. */
static void update_feeds(struct app *app, int64_t now)
{
	struct feeds_effect fx = { 0 };
	bool in_sync = app->live.synced && mqtt_is_connected(app->mqtt);
	feeds_update(&app->feeds, in_sync, now, &fx);
	if (fx.replay) {
		mqtt_replay(app->mqtt);
		app->replay_start_ms = SDL_GetTicks();
		app->replaying = true;
	}
	app->dirty |= fx.redraw;
	app->state_changed |= fx.state;
	app->status_wanted |= fx.status_now;
}

/* The next check falls on the flash's half-second grid, when its frames
 * wake the loop anyway (render_next_change_ms: KIT_WAKE_LATE_MS after the
 * flip): one wake-up for both, not two (the board idles on 2 a second). */
static uint32_t next_live_check(const struct app *app, uint32_t ticks)
{
	uint32_t t = ticks + app->phase_off;
	return t - t % LIVE_CHECK_MS + LIVE_CHECK_MS + KIT_WAKE_LATE_MS - app->phase_off;
}

static void update_liveness(struct app *app, int64_t now, uint32_t ticks)
{
	if (liveness_update(&app->live, mqtt_is_live(app->mqtt), now)) {
		bool live = app->live.live;
		app->status.live = live;
		app->status.not_live_since = app->live.not_live_since;
		alarms_set_live(app->alarms, live);
		app->model_changed = true; /* escalations held back may be due */
		log_info("app", "data is %s", live ? "live" : "NOT live");
		app->status_wanted = true;
		app->dirty = app->state_changed = true;
	}
	int64_t day = local_day_start(app, now);
	if (day != app->status.day_start) {
		app->status.day_start = day;
		app->dirty = true;
	}
	/* Every check, not once a day: records dated in the future are
	 * dropped as they come, so add/remove churn cannot pile them up. */
	model_prune_day(app->model, day);
	app->next_live_check_ms = next_live_check(app, ticks + LIVE_CHECK_EARLY_MS);
	report_service_status(app, now);
}

/* The headless path: one frame to PNG (and the state), then quit. */
static int take_screenshot(struct app *app, int64_t now, uint32_t ticks)
{
	update_liveness(app, now, ticks);
	alerting_update(app, now, ticks);
	scene_forget(app->scene); /* the whole picture on the output */
	frame_draw(app, now, ticks);
	bool ok = report_screenshot(app, app->cfg->screenshot);
	frame_finish(app);
	if (app->cfg->dump_state[0])
		report_dump(app, now, ticks);
	app->quit = true;
	return ok ? 0 : 1;
}

/* Night, dim, identify, orbit (display.h), and the first-start screen
 * until the board has been live once or holds data. */
static void update_appliance(struct app *app, int64_t now, uint32_t ticks)
{
	if (display_update(app->display, now, ticks, app->sounding.n_firing > 0))
		app->dirty = app->state_changed = true;
	app->ever_live |= app->status.live || model_complaint_count(app->model) > 0;
	struct display_state ds;
	display_get_state(app->display, &ds);
	struct mqtt_stats ms;
	mqtt_get_stats(app->mqtt, &ms);
	bool first = !app->ever_live;
	if (first != ds.first_start || (first && strcmp(ms.last_error, app->first_error))) {
		char broker[300];
		snprintf(broker, sizeof broker, "%s:%d", app->cfg->host, app->cfg->port);
		snprintf(app->first_error, sizeof app->first_error, "%s", ms.last_error);
		display_first_start(app->display, first, broker, ms.last_error);
		app->dirty = app->state_changed = true;
	}
}

/* The header's count of bad input (whole messages and dropped fields),
 * amber while its last rise is recent (badinput.h); its turn to muted
 * is a deadline of the loop's (loopwait.c). */
static void update_bad_input(struct app *app)
{
	struct board_status *st = &app->status;
	st->rejected = app->counters.rejected + app->counters.rejected_fields;
	bool recent = badinput_recent(&app->bad_input, st->rejected, util_mono_ms(),
				      app_rejected_recent_ms(app));
	if (recent != st->rejected_recent) {
		st->rejected_recent = recent;
		app->dirty = app->state_changed = true;
	}
}

static bool update(struct app *app, int64_t now, uint32_t ticks)
{
	bool backlog = drain_events(app, now);
	update_bad_input(app);
	if ((int32_t)(ticks + LIVE_CHECK_EARLY_MS - app->next_live_check_ms) >= 0)
		update_liveness(app, now, ticks);
	update_feeds(app, now);
	/* A PIN check's answer first, so its ack goes out in this pass. */
	if (ackui_poll_check(app->ui, ticks + app->phase_off, now))
		app->dirty = app->state_changed = true;
	alerting_declare(app, now);
	alerting_update(app, now, ticks);
	/* Flash phases and countdowns: the picture changes, the state not. */
	if (ackui_tick(app->ui, ticks + app->phase_off))
		app->dirty = true;
	if (alerting_declare(app, now)) /* the tick took the PIN's answer */
		alerting_update(app, now, ticks);
	if ((int32_t)(ticks - app->next_change_ms) >= 0)
		app->dirty = true;
	if (app->replay) {
		int w = 0, h = 0;
		SDL_GetRendererOutputSize(app->renderer, &w, &h);
		replay_push_due(app->replay, ticks - app->start_ms, w, h);
	}
	report_status(app, now, ticks);
	update_appliance(app, now, ticks);
	return backlog;
}

/* The board's idea of now, in epoch seconds. Wake-ups aimed at a second
 * boundary can land a millisecond early; counting them in the second that
 * is about to start lets the timers, alarms and clock of that second all
 * change in one frame instead of two. */
static int64_t wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec + (ts.tv_nsec >= 990000000L);
}

bool app_restart_wanted(const struct app *app)
{
	return app->restart;
}

void app_set_args(struct app *app, int argc, char **argv)
{
	commands_set_args(app->commands, argc, argv);
}

/* The loop's inputs to soundwait_may (soundwait.h says the rule). */
static bool sound_may_wait(const struct app *app, bool backlog, bool drew, uint32_t ticks)
{
	struct soundwait_in in = {
		.backlog = backlog,
		.drew = drew,
		.live = app->status.live,
		.synced = app->live.synced,
		.connected = app->status.connected, /* as of this pass's drain */
		.replaying = app->replaying,
		.held = sound_device_held(app->sound),
		.run_ms = ticks - app->start_ms,
		.replay_ms = ticks - app->replay_start_ms,
	};
	return soundwait_may(&in);
}

/* The dump says whether the device is held: a close is a change. */
static void idle_sound(struct app *app)
{
	bool held = sound_device_held(app->sound);
	sound_idle(app->sound);
	if (held != sound_device_held(app->sound))
		app->state_changed = true;
}

int app_run(struct app *app)
{
	uint32_t shot_at = app->start_ms + (uint32_t)(app->cfg->screenshot_after * 1000.0);
	bool backlog = false;
	app->next_change_ms = app->start_ms;
	app->next_live_check_ms = app->start_ms;

	while (!app->quit) {
		app->counters.wakeups++;   /* the idle test counts these */
		uint32_t ticks = SDL_GetTicks();
		int64_t now = wall_now();
		loopwait_hold(app, ticks);
		loopwait_sleep(app, backlog ? 0 : loopwait_timeout(app, ticks, shot_at), now);
		now = wall_now();
		ticks = SDL_GetTicks();
		backlog = update(app, now, ticks);
		service_tick(app->service, ticks);

		if (app->cfg->screenshot[0] && (int32_t)(ticks - shot_at) >= 0)
			return take_screenshot(app, now, ticks);
		bool draw = (app->dirty && (int32_t)(ticks - app->last_draw_ms) >= FRAME_MIN_MS) ||
			    pace_due(&app->pace, ticks, loopwait_planned_frame_ms(app, ticks));
		if (draw) {
			if (app->model_changed) /* the frame shows the alarms of its model */
				alerting_run(app, now, ticks);
			frame_show(app, now, ticks);
			service_ready(app->service); /* the first frame is up */
		}
		if (sound_may_wait(app, backlog, draw, ticks))
			idle_sound(app);
		if (app->state_changed && app->cfg->dump_state[0] &&
		    (int32_t)(ticks - app->last_dump_ms) >= DUMP_MIN_INTERVAL_MS)
			report_dump(app, now, ticks);
	}
	report_figures(app);
	/* A last state on the way out, so a test sees the final counters. */
	if (app->cfg->dump_state[0])
		report_dump(app, (int64_t)time(NULL), SDL_GetTicks());
	return 0;
}
