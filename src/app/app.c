/* app.c - see app.h. */
#include "app.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <cjson/cJSON.h>
#include <SDL_ttf.h>

#include "ackui.h"
#include "alarms.h"
#include "completeness.h"
#include "crisis.h"
#include "declare.h"
#include "decode.h"
#include "delivery.h"
#include "display.h"
#include "cli.h"
#include "i18n.h"
#include "dump.h"
#include "liveness.h"
#include "log.h"
#include "model.h"
#include "mqtt.h"
#include "producers.h"
#include "quiet.h"
#include "remote.h"
#include "render.h"
#include "histo.h"
#include "inputwait.h"
#include "kit.h"
#include "pace.h"
#include "pngfile.h"
#include "replay.h"
#include "scene.h"
#include "service.h"
#include "heap.h"
#include "telemetry.h"
#include "sound.h"
#include "surge.h"
#include "text.h"
#include "util.h"

/* Events taken from the MQTT queue per loop pass: enough to keep up with
 * a flood, few enough that a frame is never held back for long. */
#define DRAIN_BATCH 4096
/* How often liveness is checked while nothing else wakes the loop. */
#define LIVE_CHECK_MS 500
/* A pass this close before the check is due does it: a frame's deadline
 * is on the wall clock's milliseconds, the check's on SDL's ticks, and
 * the two round a millisecond apart; waiting for the check cost a
 * wake-up of its own 1 ms after every second's frame. */
#define LIVE_CHECK_EARLY_MS 5
/* --dump-state is rewritten at most this often. */
#define DUMP_MIN_INTERVAL_MS 200
/* Rejections logged per minute; the rest are only counted. */
#define REJECT_LOG_PER_MIN 20
#define ROWS_MAX 64
/* Frames are drawn at most this often for what does not come by message
 * (a lead's keys, liveness); messages are paced by pace.h. */
#define FRAME_MIN_MS 20
#define ALARMS_EVERY_MS PACE_HOLD_MS  /* a stream's frames: before each anyway */
#define POLL_BATCH 256
/* Where SDL cannot block waiting for input (KMS/DRM, dummy: its
 * SDL_WaitEventTimeout would poll every millisecond), the loop sleeps in
 * poll() on its own wake-up fd and looks for input this often; faster
 * while a lead is using the board. */
#define INPUT_POLL_IDLE_MS 50
#define INPUT_POLL_BUSY_MS 10
#define INPUT_WATCHED_MAX_MS 1000
#define INPUT_BUSY_FOR_MS  10000
#define OUTBOX_BATCH 64
/* Surge counts are saved at most this often (and at exit). */
#define SURGE_SAVE_S 30
/* Firing alarms remembered to tell a new one (which sounds at once) from
 * one already sounding (which repeats every sound_repeat_s). */
#define FIRING_MAX 512

struct app {
	const struct config *cfg;
	SDL_Window *window;
	SDL_Renderer *renderer;
	struct text *text;
	struct render *render;
	struct scene *scene;        /* draws only what changed (scene.h) */
	struct scene_result drawn;  /* what the last frame drew */
	SDL_Rect redrawn[16];       /* ... where (the dump shows it) */
	size_t n_redrawn;
	SDL_Rect pushed[SCENE_RECTS_MAX]; /* ... on the screen; 0: present whole */
	size_t n_pushed;
	struct model *model;
	struct mqtt *mqtt;
	struct alarms *alarms;
	struct surge *surge;
	struct crisis *crisis;
	struct delivery *delivery;
	struct sound *sound;
	struct ackui *ui;
	struct replay *replay;
	struct producers *producers;
	struct completeness completeness;
	char silent_name[MSG_ID_MAX];  /* status.silent_feed points here */
	int64_t feeds_deadline;        /* a feed turns silent, or a retry is due */
	struct service *service; /* systemd: READY, WATCHDOG, STATUS */
	uint32_t replay_start_ms;      /* connected, or a replay asked for again */
	bool replaying;                /* from then until the sync marker */
	uint32_t last_drain_ms;        /* a drain started */
	int64_t hold_until;            /* mqtt_hold() as last told */
	bool drain_backlog;            /* it left events in the queue */
	struct telemetry *telemetry;
	char status_topic[CONFIG_STR * 2];
	char status_online[160], status_offline[160];
	int64_t started_at;
	int64_t last_message_at;
	uint32_t next_status_ms;  /* the next status JSON is due */
	bool status_wanted;       /* live changed: publish at once */
	uint64_t escalations_sent; /* handed to MQTT (not through delivery) */
	char renderer_name[32];

	/* The appliance: screen (display.h) and remote commands (remote.h). */
	struct display *display;
	struct remote_policy remote;
	struct acksig_key remote_key;
	char cmd_topic[CONFIG_STR * 2], cmd_all_topic[CONFIG_STR * 2];
	char shot_topic[CONFIG_STR * 2], result_topic[CONFIG_STR * 2];
	bool shot_wanted;         /* a remote screenshot goes out after the next frame */
	bool shot_taken;
	uint32_t last_shot_ms;
	bool ever_live;           /* the first-start screen is over */
	char first_error[160];
	int argc;                 /* for a remote reload: the same flags again */
	char **argv;
	Uint32 wake_event;
	bool sdl_can_wait;   /* the video driver blocks in SDL_WaitEventTimeout */
	bool headless;       /* dummy, offscreen: no input to look for */
	struct inputwait *input; /* otherwise the devices slept on, or NULL */
	int wake_fd;         /* eventfd the network thread signals otherwise */
	uint32_t last_input_ms;

	bool dirty;          /* the picture must be redrawn */
	bool state_changed;  /* the dump must be rewritten */
	bool quit;
	bool restart;        /* quit, and main.c runs the board again */
	struct liveness live;  /* connected, replay complete, echo fresh */
	bool model_changed;  /* alarms must be recomputed */
	uint32_t alarms_run_ms;  /* when they last were */
	int64_t alarms_deadline;
	int64_t delivery_next_ms;  /* monotonic: a retry of acks is due */
	uint32_t start_ms;
	uint32_t next_change_ms;   /* from render: a tick or a flash */
	uint32_t next_live_check_ms;
	uint32_t last_dump_ms;

	struct board_status status;
	struct dump_counters counters;
	struct render_row rows[ROWS_MAX];
	size_t n_rows;
	SDL_Rect steps[MSG_PLAYBOOK_MAX];  /* the playbook's boxes, last frame */
	size_t n_steps;
	struct ackui_state ui_drawn;       /* the strip as last drawn */
	SDL_Rect declare_box[8];           /* its "Declare crisis" buttons */
	struct render_page page;

	int64_t reject_minute;
	unsigned reject_logged;
	uint32_t last_draw_ms;
	uint32_t last_sound_ms;
	/* Added to SDL ticks for everything drawn: puts the flash phase on
	 * the wall clock's half-seconds, where the timers tick anyway, so a
	 * flashing board redraws twice a second, not four times. */
	uint32_t phase_off;
	int64_t surge_saved;         /* when the surge counts were last saved */
	char surge_path[CONFIG_PATH + 16];
	uint64_t crisis_gen;         /* crisis_generation() at the last alarms update */
	uint64_t firing[FIRING_MAX]; /* hashes of the ids firing last update */
	size_t n_firing;

	/* Changes by message are held and coalesced into frames (pace.h);
	 * what the board measures of itself is logged at exit (--verbose:
	 * every frame) for scripts/bench.sh. */
	struct pace pace;
	struct histo lat_isolated;  /* ms, a change after a quiet spell to on screen */
	struct histo lat_stream;    /* ms, a change in a stream to on screen */
	struct histo draw_ticks_us; /* frames with no change by message */
	struct histo draw_change_us;/* frames with one */

	/* Scratch for the drain loop, kept here rather than on the stack:
	 * a struct msg is several KB. */
	struct msg msg;
	struct mqtt_event events[POLL_BATCH];
	struct alarm_out outbox[OUTBOX_BATCH];
	struct crisis_out crisis_out;
};

static void wake_main_thread(void *ctx)
{
	struct app *app = ctx;
	/* Called once per empty->non-empty transition of the queue, so the
	 * SDL event queue never fills with wake-ups. */
	if (app->sdl_can_wait) {
		SDL_Event ev = { .type = app->wake_event };
		SDL_PushEvent(&ev);
		return;
	}
	uint64_t one = 1;
	if (write(app->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_error("app", "wake-up: %s", strerror(errno));
}

/* X11 and Wayland let SDL sleep until input arrives; the others do not. */
static bool driver_can_wait(void)
{
	const char *d = SDL_GetCurrentVideoDriver();
	return d && (!strcmp(d, "x11") || !strcmp(d, "wayland"));
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

/* GL_RENDERER of the renderer's current context, or NULL when the
 * renderer is not OpenGL. Mesa names its CPU rasterisers llvmpipe,
 * softpipe and swrast. */
static const char *gl_renderer_name(SDL_Renderer *r)
{
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
		return NULL;
	typedef const unsigned char *(*get_string_fn)(unsigned int);
	get_string_fn get_string = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
	const unsigned char *name = get_string ? get_string(0x1F01 /* GL_RENDERER */) : NULL;
	return name ? (const char *)name : NULL;
}

static bool is_software_gl(const char *gl)
{
	return gl && (strstr(gl, "llvmpipe") || strstr(gl, "softpipe") || strstr(gl, "swrast"));
}

/* SDL's software renderer draws into the window's surface. On X11, SDL
 * 2.26 backs that surface with a texture of its OpenGL renderer unless
 * told not to: on a CPU rasteriser, a whole-screen upload and copy at
 * every present (3.4-3.8 % of a core for the idle board at 1080p under
 * Xvfb, against 0.30-0.35 % through X11's shared-memory image, which also
 * takes only the rects a frame drew). Drivers without a framebuffer of
 * their own (KMS/DRM) need the texture. SDL_FRAMEBUFFER_ACCELERATION in
 * the environment still decides. */
static SDL_Renderer *create_software_renderer(SDL_Window *win)
{
	const char *driver = SDL_GetCurrentVideoDriver();
	if (driver && !strcmp(driver, "x11"))
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	return SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
}

/* OpenGL on a CPU rasteriser costs several times SDL's own software
 * renderer for the same frames (measured: 27 % against under 13 % of a
 * core at 100 msg/s), so "auto" takes the GPU only when there is one. */
static SDL_Renderer *create_renderer(SDL_Window *win, enum renderer_choice choice)
{
	SDL_Renderer *r = choice == RENDERER_SOFTWARE ? create_software_renderer(win)
						      : SDL_CreateRenderer(win, -1, 0);
	if (!r) {
		log_error("app", "SDL_CreateRenderer: %s", SDL_GetError());
		return NULL;
	}
	const char *gl = gl_renderer_name(r);
	const char *why = choice == RENDERER_SOFTWARE ? "display.renderer = software"
			: choice == RENDERER_GPU ? "display.renderer = gpu" : "auto";
	if (choice == RENDERER_AUTO && is_software_gl(gl)) {
		log_info("app", "OpenGL is a software rasteriser (%s): using SDL's software "
			 "renderer instead", gl);
		SDL_DestroyRenderer(r);
		r = create_software_renderer(win);
		if (!r) {
			log_error("app", "SDL_CreateRenderer (software): %s", SDL_GetError());
			return NULL;
		}
		why = "auto, OpenGL is a software rasteriser";
	}
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) == 0)
		log_info("app", "video driver %s, renderer %s%s%s (%s)",
			 SDL_GetCurrentVideoDriver(), info.name, gl ? " on " : "", gl ? gl : "",
			 why);
	return r;
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
	app->renderer = create_renderer(app->window, cfg->renderer);
	if (!app->renderer)
		return false;
	/* SDL falls back to offscreen when no display works: a kiosk
	 * would then run on nothing at all (docs/kmsdrm.md). */
	if (driver && !strcmp(driver, "offscreen") && !getenv("SDL_VIDEODRIVER"))
		log_warn("app", "no display found: SDL chose its offscreen driver, nothing "
			 "is shown (set SDL_VIDEODRIVER=kmsdrm to fail instead)");
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(app->renderer, &info) == 0)
		snprintf(app->renderer_name, sizeof app->renderer_name, "%s", info.name);
	if (!cfg->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	return true;
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
	char why[160];
	if (!decode_message(app->cfg->prefix, topic, payload, len, &app->msg, why, sizeof why))
		return;
	if (app->msg.kind == MSG_ACK)
		alarms_apply_ack(app->alarms, &app->msg.u.ack, (int64_t)time(NULL));
	else if (app->msg.kind == MSG_STEP) /* held until its crisis is seen */
		crisis_apply_step(app->crisis, &app->msg, (int64_t)time(NULL));
	else if (app->msg.kind == MSG_CRISIS) /* declared here (declare.h) */
		model_apply(app->model, &app->msg, why, sizeof why);
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
	completeness_init(&app->completeness);
	return app->wake_event != (Uint32)-1 && create_window(app) &&
	       (app->model = create_model(cfg)) && (app->alarms = create_alarms(cfg, key)) &&
	       (app->producers = producers_create()) &&
	       create_surge(app) &&
	       create_crisis(app, key) &&
	       (app->text = text_init(app->renderer, font_dir)) &&
	       (app->render = render_init(app->renderer, app->text, cfg)) &&
	       (app->scene = scene_create(app->renderer, app->text)) &&
	       (app->ui = ackui_init(app->renderer, app->text, cfg, app->alarms)) &&
	       (app->sound = sound_init(cfg->sound_volume)) && start_mqtt(app) &&
	       (app->delivery = delivery_init(cfg->state_dir, app->mqtt));
}

struct app *app_init(const struct config *cfg, const struct acksig_key *key)
{
	struct app *app = calloc(1, sizeof *app);
	if (!app)
		return NULL;
	app->cfg = cfg;
	app->started_at = (int64_t)time(NULL);
	snprintf(app->status_topic, sizeof app->status_topic, "%s/boards/%s/status",
		 cfg->prefix, cfg->board_id);
	snprintf(app->status_online, sizeof app->status_online,
		 "{\"online\":true,\"board\":\"%s\"}", cfg->board_id);
	telemetry_offline(cfg->board_id, app->status_offline, sizeof app->status_offline);
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
		log_error("app", "SDL_Init/TTF_Init: %s", SDL_GetError());
		app_destroy(app);
		return NULL;
	}
	app->wake_event = SDL_RegisterEvents(1);
	app->sdl_can_wait = driver_can_wait();
	const char *driver = SDL_GetCurrentVideoDriver();
	app->headless = driver && (!strcmp(driver, "dummy") || !strcmp(driver, "offscreen"));
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
	if (!create_board(app, key)) {
		app_destroy(app);
		return NULL;
	}
	app->service = service_create();
	alarms_set_live(app->alarms, false); /* until the first sync */
	app->display = display_create(app->renderer, app->text, cfg);
	if (key)
		app->remote_key = *key; /* main wipes its copy after init */
	app->remote.key = key ? &app->remote_key : NULL;
	app->remote.allow_unsigned = cfg->remote_allow_unsigned;
	snprintf(app->cmd_topic, sizeof app->cmd_topic, "%s/boards/%s/cmd", cfg->prefix,
		 cfg->board_id);
	snprintf(app->cmd_all_topic, sizeof app->cmd_all_topic, "%s/boards/all/cmd",
		 cfg->prefix);
	snprintf(app->shot_topic, sizeof app->shot_topic, "%s/boards/%s/screenshot",
		 cfg->prefix, cfg->board_id);
	snprintf(app->result_topic, sizeof app->result_topic, "%s/boards/%s/result",
		 cfg->prefix, cfg->board_id);
	app->telemetry = telemetry_create();
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
	display_destroy(app->display);
	acksig_key_wipe(&app->remote_key);
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
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	free(app);
}

/* Rejected messages and dropped fields share one log budget: a producer
 * that sends garbage must not flood the journal either way. */
static void log_bad_input(struct app *app, const char *what, const char *topic,
			  const char *why, int64_t now)
{
	if (now / 60 != app->reject_minute) {
		if (app->reject_logged > REJECT_LOG_PER_MIN)
			log_warn("decode", "%u more messages rejected in the last minute "
				 "(not logged)", app->reject_logged - REJECT_LOG_PER_MIN);
		app->reject_minute = now / 60;
		app->reject_logged = 0;
	}
	if (app->reject_logged++ < REJECT_LOG_PER_MIN)
		log_warn("decode", "%s %.200s: %s", what, topic, why);
}

static void log_rejection(struct app *app, const char *topic, const char *why, int64_t now)
{
	app->counters.rejected++;
	log_bad_input(app, "rejected", topic, why, now);
}

/* ---- remote commands (remote.h) ---- */

/* Every command gets an answer on boards/<id>/result (not retained). */
static void publish_result(struct app *app, const char *cmd, bool ok, const char *detail)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	cJSON_AddStringToObject(o, "board", app->cfg->board_id);
	cJSON_AddStringToObject(o, "cmd", cmd);
	cJSON_AddBoolToObject(o, "ok", ok);
	cJSON_AddStringToObject(o, "detail", detail);
	char *json = cJSON_PrintUnformatted(o);
	if (json)
		mqtt_publish(app->mqtt, app->result_topic, json, strlen(json), 0, false, NULL);
	cJSON_free(json);
	cJSON_Delete(o);
}

/* True when fresh differs from cfg only in settings the running board
 * reads again at each frame (site, language, digits, banner flashing,
 * paging, the night schedule, leads and remote policy). Everything else
 * (broker and transport, prefix, channels, ack key, state_dir, limits,
 * alarm thresholds, size) was taken at start: a change there means a
 * restart. The comparison is whole-struct, so a setting added later is
 * a restart until somebody proves it live and lists it here. */
static bool only_live_changes(const struct config *cfg, const struct config *fresh)
{
	static struct config probe; /* several KB: not on the stack */
	probe = *fresh;
	memcpy(probe.site, cfg->site, sizeof probe.site);
	probe.lang = cfg->lang;
	probe.digits = cfg->digits;
	probe.flash_steady = cfg->flash_steady;
	probe.page_s = cfg->page_s;
	memcpy(probe.schedule, cfg->schedule, sizeof probe.schedule);
	probe.night_blank = cfg->night_blank;
	probe.night_brightness = cfg->night_brightness;
	probe.orbit = cfg->orbit;
	probe.remote_allow_unsigned = cfg->remote_allow_unsigned;
	memcpy(probe.leads, cfg->leads, sizeof probe.leads);
	probe.n_leads = cfg->n_leads;
	/* main.c fills the password from password_file after parsing */
	memcpy(probe.password, cfg->password, sizeof probe.password);
	return memcmp(&probe, cfg, sizeof probe) == 0;
}

/* The same flags (and so the same --config file) read again. A bad file
 * keeps the settings in force. Settings read at each frame are copied
 * over the board's (main.c's, writable) config and follow at once; any
 * other change ends the loop with a restart request: main.c re-executes
 * the board with the same flags (same PID, so systemd's watchdog and
 * notify socket stay valid), after the journal and the link were closed
 * cleanly. A restart shows the correct wall again in well under a second. */
static bool reload_config(struct app *app, char *why, size_t size)
{
	static struct config fresh; /* several KB: not on the stack */
	if (!app->argv)
		return snprintf(why, size, "no command line to reload from"), false;
	if (cli_parse(&fresh, app->argc, app->argv) != 0) {
		char last[256];
		log_last_error(last, sizeof last);
		snprintf(why, size, "kept the settings in force: %s", last[0] ? last :
			 "the configuration was refused");
		return false;
	}
	struct config *cfg = (struct config *)app->cfg;
	if (!only_live_changes(cfg, &fresh)) {
		app->restart = app->quit = true;
		snprintf(why, size, "reloaded %.120s; restarting to apply broker, channel, "
			 "key or limit changes", cfg->config_path[0] ? cfg->config_path :
			 "(no --config file)");
		log_info("remote", "%s", why);
		return true;
	}
	*cfg = fresh;
	display_reconfigure(app->display, cfg);
	app->remote.allow_unsigned = cfg->remote_allow_unsigned;
	app->dirty = app->state_changed = app->model_changed = true;
	snprintf(why, size, "reloaded %.120s; applied without a restart",
		 cfg->config_path[0] ? cfg->config_path : "(no --config file)");
	log_info("remote", "%s", why);
	return true;
}

static void handle_command(struct app *app, const struct mqtt_event *ev, const char *target,
			   int64_t now)
{
	struct remote_request rq;
	char why[320] = "";
	uint32_t ticks = SDL_GetTicks();
	if (!remote_accept(&app->remote, target, ev->payload, ev->payload_len, ev->retained,
			   now, &rq, why, sizeof why)) {
		log_warn("remote", "command on %s refused: %s", ev->topic, why);
		if (!ev->retained)
			publish_result(app, "", false, why);
		return;
	}
	log_info("remote", "command on %s: %s", ev->topic, rq.line);
	bool ok = true;
	switch (rq.cmd) {
	case REMOTE_SCREENSHOT:
		if (app->shot_taken && (int32_t)(ticks - app->last_shot_ms) < 10000) {
			publish_result(app, rq.line, false, "at most one screenshot per 10 s");
			return;
		}
		app->shot_wanted = true; /* answered when it is sent */
		app->dirty = true;
		return;
	case REMOTE_IDENTIFY:
		display_identify(app->display, ticks);
		snprintf(why, sizeof why, "board id shown for %d s", DISPLAY_IDENTIFY_MS / 1000);
		break;
	case REMOTE_DIM:
		display_dim(app->display, rq.arg);
		snprintf(why, sizeof why, "brightness %d %% until the next day/night change",
			 rq.arg);
		break;
	case REMOTE_RELOAD:
		ok = reload_config(app, why, sizeof why);
		break;
	case REMOTE_PAGE_NEXT:
		render_page_next(app->render);
		snprintf(why, sizeof why, "next page of the breach list");
		break;
	}
	app->dirty = app->state_changed = true;
	publish_result(app, rq.line, ok, why);
}

/* The frame just drawn as PNG to boards/<id>/screenshot (not retained). */
static void send_screenshot(struct app *app, uint32_t ticks)
{
	int w = 0, h = 0;
	app->shot_wanted = false;
	if (SDL_GetRendererOutputSize(app->renderer, &w, &h) != 0 || w <= 0 || h <= 0)
		return;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	char *buf = NULL;
	size_t n = 0;
	bool ok = s && SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888,
					    s->pixels, s->pitch) == 0 &&
		  pngfile_encode(s->pixels, w, h, s->pitch, &buf, &n);
	char detail[96];
	ok = ok && n > 0 &&
	     mqtt_publish(app->mqtt, app->shot_topic, buf, n, 0, false, NULL);
	snprintf(detail, sizeof detail, ok ? "PNG %dx%d, %zu bytes" : "screenshot failed",
		 w, h, n);
	publish_result(app, "screenshot", ok, detail);
	app->shot_taken = true;
	app->last_shot_ms = ticks;
	SDL_FreeSurface(s);
	free(buf);
}

static void apply_message(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	char why[160];
	struct msg *msg = &app->msg;
	if (!strcmp(ev->topic, app->cmd_topic) || !strcmp(ev->topic, app->cmd_all_topic)) {
		handle_command(app, ev, strcmp(ev->topic, app->cmd_topic) ? "all" :
					app->cfg->board_id, now);
		return;
	}
	app->counters.received++;
	app->last_message_at = now;
	if (!decode_message(app->cfg->prefix, ev->topic, ev->payload, ev->payload_len,
			    msg, why, sizeof why)) {
		if (msg->topic_known && ev->retained)
			model_keep(app->model, msg->kind, msg->id);
		log_rejection(app, ev->topic, why, now);
		app->dirty = app->state_changed = true; /* the counter is on screen */
		return;
	}
	if (msg->bad_fields) {
		app->counters.rejected_fields += msg->bad_fields;
		log_bad_input(app, "shown without bad fields:", ev->topic, why, now);
	}
	if (msg->kind == MSG_PRODUCER || msg->kind == MSG_PRODUCER_REMOVE) {
		if (!producers_apply(app->producers, msg, now, why, sizeof why)) {
			log_rejection(app, ev->topic, why, now);
			app->dirty = app->state_changed = true;
			return;
		}
	} else if (msg->kind == MSG_ACK) {
		alarms_apply_ack(app->alarms, &msg->u.ack, now);
	} else if (msg->kind == MSG_ACK_REMOVE) {
		alarms_remove_ack(app->alarms, msg->id, now);
	} else if (msg->kind == MSG_STEP || msg->kind == MSG_STEP_REMOVE) {
		crisis_apply_step(app->crisis, msg, now);
	} else {
		/* A complaint the board did not hold is an arrival for the
		 * surge counts (a re-sent one, after a reconnect, is not). */
		bool arrival = msg->kind == MSG_COMPLAINT && !model_find(app->model, msg->id);
		if (!model_apply(app->model, msg, why, sizeof why)) {
			if (ev->retained)
				model_keep(app->model, msg->kind, msg->id);
			log_rejection(app, ev->topic, why, now);
			app->dirty = app->state_changed = true;
			return;
		}
		if (arrival)
			surge_note(app->surge, msg->u.complaint.channel, msg->id,
				   msg->u.complaint.opened_at, msg->u.complaint.drill, now);
	}
	app->counters.applied++;
	app->dirty = app->state_changed = app->model_changed = true;
}

/* ---- completeness and feeds (contract v1.1) ---- */

static struct completeness_why incomplete_why(const struct app *app)
{
	return completeness_why(&app->completeness.last, model_is_over_capacity(app->model),
				(int64_t)model_over_capacity(app->model));
}

static void log_incomplete(const struct app *app)
{
	const struct completeness *c = &app->completeness;
	const struct completeness_counts *n = &c->last;
	struct completeness_why why = incomplete_why(app);
	char cap[96] = "", queue[160] = "";
	if (why.cap)
		snprintf(cap, sizeof cap, "the board refused %llu for its own limit: raise "
			 "limits.max_complaints (%d)%s",
			 (unsigned long long)model_over_capacity(app->model),
			 app->cfg->max_complaints, why.queue ? "; " : "");
	if (why.queue)
		snprintf(queue, sizeof queue, "the broker dropped part of the retained replay; "
			 "raise max_queued_messages and max_queued_bytes in mosquitto.conf (see "
			 "assets/mosquitto/wallboard-broker.conf)");
	log_warn("complete", "INCOMPLETE: holding %lld of %lld complaints and %lld of %lld "
		 "SLA timers the producers announce (-1: not announced): %s%s; taking the "
		 "replay again in %lld s", (long long)n->held_open, (long long)n->announced_open,
		 (long long)n->held_sla, (long long)n->announced_sla, cap, queue,
		 (long long)c->retry_s);
}

/* The band names complaints when they are short, else the timers. */
static void show_completeness(struct app *app)
{
	const struct completeness_counts *n = &app->completeness.last;
	int64_t miss_c = n->announced_open < 0 ? 0 : n->announced_open - n->held_open;
	int64_t miss_t = n->announced_sla < 0 ? 0 : n->announced_sla - n->held_sla;
	bool inc = app->completeness.state == COMPLETENESS_INCOMPLETE;
	bool timers = miss_t > miss_c &&
		      miss_c <= COMPLETENESS_EXIT_MIN + n->announced_open * COMPLETENESS_EXIT_PCT / 100;
	int64_t held = timers ? n->held_sla : n->held_open;
	int64_t of = timers ? n->announced_sla : n->announced_open;
	struct completeness_why why = incomplete_why(app);
	bool cap = inc && why.cap;
	bool queue = inc && why.queue;
	if (inc != app->status.incomplete || (inc && (held != app->status.held ||
						     of != app->status.announced)) ||
	    cap != app->status.incomplete_cap || queue != app->status.incomplete_queue) {
		app->status.incomplete = inc;
		app->status.incomplete_cap = cap;
		app->status.incomplete_queue = queue;
		app->status.incomplete_timers = timers;
		app->status.held = held;
		app->status.announced = of;
		app->dirty = app->state_changed = true;
	}
}

/* Held against announced: after every replay, and between replays while
 * in sync (where a shortfall must last a while to count). */
static void check_completeness(struct app *app, bool after_replay, int64_t now)
{
	struct producers_announced a;
	producers_announced(app->producers, &a);
	struct completeness_counts n = {
		.held_open = (int64_t)model_complaint_count(app->model),
		.announced_open = a.open,
		.held_sla = (int64_t)model_timer_count(app->model),
		.announced_sla = a.sla,
	};
	enum completeness_state was = app->completeness.state;
	if (completeness_update(&app->completeness, &n, after_replay, now)) {
		if (app->completeness.state == COMPLETENESS_INCOMPLETE)
			log_incomplete(app);
		else if (was == COMPLETENESS_INCOMPLETE)
			log_info("complete", "complete again: %lld of %lld complaints, %lld of "
				 "%lld timers", (long long)n.held_open, (long long)n.announced_open,
				 (long long)n.held_sla, (long long)n.announced_sla);
		app->state_changed = true;
		app->status_wanted = true; /* a fleet monitor hears it at once */
	}
	show_completeness(app);
}

/* While incomplete the replay is taken again, with backoff. */
static void retry_replay(struct app *app, int64_t now)
{
	if (!app->live.synced || !mqtt_is_connected(app->mqtt) ||
	    !completeness_retry_due(&app->completeness, now))
		return;
	log_warn("complete", "still incomplete: taking the retained replay again (retry %u; "
		 "next in %lld s)", app->completeness.retries,
		 (long long)app->completeness.retry_s);
	mqtt_replay(app->mqtt);
	app->replay_start_ms = SDL_GetTicks();
	app->replaying = true;
}

/* The feed silent longest, for the band; logged when that changes.
 * Nobody is heard while the board is not live: no verdict then. */
static void update_feeds(struct app *app, int64_t now)
{
	size_t first = 0;
	size_t n = app->status.live ? producers_silent(app->producers, now, &first) : 0;
	struct producer_view v = { .name = "" };
	if (n)
		producers_get(app->producers, first, now, &v);
	if (n == app->status.n_silent && v.since == app->status.silent_since &&
	    strcmp(v.name, app->silent_name) == 0)
		return;
	if (n)
		log_warn("feeds", "%zu feed(s) silent; %s %s since %lld", n, v.name,
			 v.online ? "silent" : "offline", (long long)v.since);
	else if (app->status.n_silent)
		log_info("feeds", "every feed heard again");
	snprintf(app->silent_name, sizeof app->silent_name, "%s", v.name);
	app->status.n_silent = n;
	app->status.silent_feed = n ? app->silent_name : NULL;
	app->status.silent_since = v.since;
	app->dirty = app->state_changed = true;
}

static void update_producers(struct app *app, int64_t now)
{
	if (app->live.synced && mqtt_is_connected(app->mqtt))
		check_completeness(app, false, now);
	retry_replay(app, now);
	update_feeds(app, now);
	int64_t a = producers_next_deadline(app->producers, now);
	int64_t b = completeness_next_deadline(&app->completeness);
	app->feeds_deadline = !a ? b : !b ? a : a < b ? a : b;
}

static void handle_mqtt_event(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	switch (ev->kind) {
	case MQTT_EV_CONNECTED:
		/* Everything held is unconfirmed until the retained replay
		 * that follows refreshes it. */
		model_resync_begin(app->model);
		producers_resync_begin(app->producers);
		app->replay_start_ms = SDL_GetTicks();
		app->replaying = true;
		app->model_changed = true;
		liveness_connected(&app->live);
		app->status.connected = true;
		delivery_connected(app->delivery); /* acks waiting in the journal */
		break;
	case MQTT_EV_RESYNC:
		/* The queue dropped messages: what is held may be wrong until
		 * the retained replay that follows has refreshed it. */
		model_resync_begin(app->model);
		producers_resync_begin(app->producers);
		app->replay_start_ms = SDL_GetTicks();
		app->replaying = true;
		app->model_changed = true;
		liveness_resync(&app->live);
		log_warn("app", "messages were dropped: not live until the board has "
			 "taken the broker's state again");
		break;
	case MQTT_EV_SYNCED:
		app->counters.replay_ms = SDL_GetTicks() - app->replay_start_ms;
		app->replaying = false;
		if (app->live.synced) {      /* a replay taken again (mqtt_replay) */
			app->counters.replays++;
			log_info("app", "replay taken again: %zu complaints, %zu timers held",
				 model_complaint_count(app->model),
				 model_timer_count(app->model));
		} else {
			size_t dropped = model_resync_end(app->model);
			producers_resync_end(app->producers);
			app->counters.resyncs++;
			app->counters.resync_dropped += dropped;
			app->model_changed = true;
			liveness_synced(&app->live);
			log_info("app", "in sync with the broker: %zu complaints held, %zu "
				 "dropped as removed while away",
				 model_complaint_count(app->model), dropped);
		}
		check_completeness(app, true, now);
		/* Live now, not at the next periodic check: the echo of this
		 * link usually came back before the marker did. */
		app->next_live_check_ms = SDL_GetTicks();
		break;
	case MQTT_EV_DISCONNECTED:
		liveness_disconnected(&app->live);
		app->status.connected = false;
		app->replaying = false;
		break;
	case MQTT_EV_MESSAGE:
		apply_message(app, ev, now);
		return;
	case MQTT_EV_PUBLISHED:
		delivery_confirmed(app->delivery, ev->mid, ev->reason);
		app->state_changed = true;
		return;
	}
	app->dirty = app->state_changed = true;
}

/* While the broker writes a retained replay the network thread must read
 * as fast as it can: what it does not take in time, mosquitto drops
 * (README, "The broker"). On a small board the main thread decoding each
 * message as it comes competes with it (and with the broker) for the
 * cores, and every empty->non-empty queue costs a wake-up. So while a
 * replay runs the main thread takes the queue in batches, every
 * REPLAY_DRAIN_MS (at 300,000 messages a second that is 30,000 events,
 * well inside the queue's bound). */
#define REPLAY_DRAIN_MS 100

/* A batch, once started, is taken whole (DRAIN_BATCH per loop pass). */
static bool replay_hold(const struct app *app, uint32_t ticks)
{
	return app->replaying && !app->drain_backlog &&
	       (int32_t)(ticks - app->last_drain_ms) < REPLAY_DRAIN_MS;
}

/* Returns true when events remain in the queue. */
static bool drain_mqtt(struct app *app, int64_t now)
{
	size_t total = 0, n;
	uint32_t ticks = SDL_GetTicks();
	if (replay_hold(app, ticks))
		return false;
	app->last_drain_ms = ticks;
	/* What the messages make dirty is held for the pace, not drawn at
	 * once: a stream of them must not become a stream of frames. */
	bool was_dirty = app->dirty;
	app->dirty = false;
	int64_t mono = util_mono_ms();
	while (total < DRAIN_BATCH &&
	       (n = mqtt_poll(app->mqtt, app->events, POLL_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			/* when it arrived: it may have waited in the queue (mqtt_hold) */
			bool message = app->events[i].kind == MQTT_EV_MESSAGE;
			int64_t age = message ? mono - app->events[i].rx_ms : 0;
			handle_mqtt_event(app, &app->events[i], now);
			mqtt_event_release(&app->events[i]);
			/* each change counted: the pace tells a burst by them */
			uint32_t at = ticks - (uint32_t)(age > 0 && age < 60000 ? age : 0);
			if (app->dirty)
				pace_change(&app->pace, at);
			else if (message)
				pace_message(&app->pace, at);
			app->dirty = false;
		}
		total += n;
	}
	app->dirty = was_dirty;
	app->drain_backlog = total >= DRAIN_BATCH;
	return app->drain_backlog;
}

/* One line for `systemctl status`: live or not, and the counts. Not
 * composed when nobody reads it: the totals walk every complaint, and
 * this runs twice a second. */
static void update_service_status(struct app *app, int64_t now)
{
	if (!service_wants_status(app->service))
		return;
	struct channel_stats t;
	char line[256], since[16] = "";
	model_totals(app->model, now, app->cfg->at_risk_s, &t);
	size_t firing = 0;
	for (size_t i = 0; i < alarms_count(app->alarms); i++) {
		struct alarm_view v;
		firing += alarms_get(app->alarms, i, &v) && v.state == ALARM_FIRING;
	}
	if (!app->status.live) {
		time_t t0 = (time_t)app->status.not_live_since;
		struct tm tm;
		localtime_r(&t0, &tm);
		strftime(since, sizeof since, " since %H:%M:%S", &tm);
	}
	snprintf(line, sizeof line, "%s%s; %u open, %u breached, %zu alarms firing; "
		 "%llu messages, %llu rejected", app->status.live ? "live" : "NOT live",
		 since, t.open, t.breached, firing,
		 (unsigned long long)app->counters.received,
		 (unsigned long long)app->counters.rejected);
	service_status(app->service, line);
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
	int64_t day = local_day_start(now);
	if (day != app->status.day_start) {
		app->status.day_start = day;
		app->dirty = true;
	}
	/* Every check, not once a day: records dated in the future are
	 * dropped as they come, so add/remove churn cannot pile them up. */
	model_prune_day(app->model, day);
	app->next_live_check_ms = next_live_check(app, ticks + LIVE_CHECK_EARLY_MS);
	update_service_status(app, now);
}

static bool in_quiet_hours(const struct config *cfg, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	return quiet_hours_contain(cfg->quiet_from_min, cfg->quiet_to_min,
				   tm.tm_hour * 60 + tm.tm_min);
}

/* Remembers which alarms fire now; true when one of them did not before. */
static bool firing_changed(struct app *app, bool *escalated)
{
	uint64_t now_firing[FIRING_MAX];
	size_t n = 0;
	bool fresh = false;
	*escalated = false;
	for (size_t i = 0; i < alarms_count(app->alarms) && n < FIRING_MAX; i++) {
		struct alarm_view v;
		if (!alarms_get(app->alarms, i, &v) || v.state != ALARM_FIRING)
			continue;
		uint64_t h = util_fnv1a_str(v.id);
		bool known = false;
		for (size_t j = 0; j < app->n_firing && !known; j++)
			known = app->firing[j] == h;
		fresh |= !known;
		*escalated |= v.escalated;
		now_firing[n++] = h;
	}
	memcpy(app->firing, now_firing, n * sizeof *now_firing);
	app->n_firing = n;
	return fresh;
}

/* A new firing alarm sounds at once; while any fires unacknowledged the
 * alert repeats every sound_repeat_s; never in quiet hours. */
static void update_sound(struct app *app, int64_t now, uint32_t ticks)
{
	bool escalated;
	bool fresh = firing_changed(app, &escalated);
	if (!app->n_firing || in_quiet_hours(app->cfg, now))
		return;
	uint32_t repeat_ms = (uint32_t)app->cfg->sound_repeat_s * 1000u;
	if (fresh || (repeat_ms && (int32_t)(ticks - app->last_sound_ms) >= (int32_t)repeat_ms)) {
		sound_play(app->sound, escalated ? SOUND_ESCALATED : SOUND_ALERT);
		app->last_sound_ms = ticks;
		app->state_changed = true;
	}
}

/* A lead declared a crisis from a surge alarm (ackui, declare.h): it goes
 * out like an ack (journaled, retained, QoS 1, again on every connect
 * until the broker has it) and is shown here at once, link or not. */
static bool declare_crisis(struct app *app, int64_t now)
{
	struct ackui_declare d;
	if (!ackui_take_declare(app->ui, &d))
		return false;
	struct declare_request r = {
		.by = d.by, .board = app->cfg->board_id, .alarm = d.alarm, .channel = d.channel,
		.count = d.count, .drill = d.drill, .now = now,
	};
	struct surge_view v;
	for (size_t i = 0; surge_get(app->surge, i, &v); i++)
		if (strcmp(v.channel, d.channel) == 0) {
			r.count = v.count;
			r.usual = v.usual;
		}
	char *payload = declare_payload(app->cfg, &r, app->remote.key);
	if (!payload)
		return false;
	char topic[CONFIG_STR], why[160];
	snprintf(topic, sizeof topic, "%s/crisis", app->cfg->prefix);
	delivery_send(app->delivery, topic, payload, strlen(payload), 1, true, true);
	if (decode_message(app->cfg->prefix, topic, payload, strlen(payload), &app->msg, why,
			   sizeof why) && app->msg.kind == MSG_CRISIS)
		model_apply(app->model, &app->msg, why, sizeof why);
	free(payload);
	app->dirty = app->state_changed = app->model_changed = true;
	return true;
}

static void send_crisis_outbox(struct app *app)
{
	const struct crisis_out *o = &app->crisis_out;
	while (crisis_take_out(app->crisis, &app->crisis_out)) {
		delivery_send(app->delivery, o->topic, o->payload, o->len, o->qos, o->retain,
			      o->durable);
		app->state_changed = true;
	}
}

static void save_surge(struct app *app, int64_t now)
{
	if (surge_dirty(app->surge) && now - app->surge_saved >= SURGE_SAVE_S) {
		surge_save(app->surge, app->surge_path, now);
		app->surge_saved = now;
	}
}

static void send_outbox(struct app *app)
{
	size_t n;
	while ((n = alarms_take_outbox(app->alarms, app->outbox, OUTBOX_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct alarm_out *o = &app->outbox[i];
			if (!o->retain && !app->status.live) {
				/* An escalation made in the pass liveness went: it would
				 * wait in libmosquitto's queue and arrive late. */
				log_warn("app", "%s not sent: data not live", o->topic);
				continue;
			}
			if (o->expiry_s) /* escalations: never late (mqtt.h) */
				app->escalations_sent += mqtt_publish_expiring(
					app->mqtt, o->topic, o->payload, o->len, o->qos,
					o->expiry_s, NULL);
			else
				delivery_send(app->delivery, o->topic, o->payload, o->len,
					      o->qos, o->retain, o->durable);
		}
		app->state_changed = true;
	}
}

/* Alarms follow the model: recomputed when it changed or when time alone
 * changes one (a snooze ends, an escalation is due). */
/* Alarms from the model: each pass walks every channel's breaches. */
static void run_alarms(struct app *app, int64_t now, uint32_t ticks)
{
	bool surge_changed = surge_update(app->surge, now);
	/* the crisis first: the "no step taken" alarm reads its steps */
	crisis_update(app->crisis, app->model, now);
	if (alarms_update(app->alarms, app->model, now) || surge_changed) {
		app->state_changed = true;
		/* by message: drawn at the messages' pace; by time: now */
		if (app->model_changed)
			pace_change(&app->pace, ticks);
		else
			app->dirty = true;
	}
	app->alarms_deadline = alarms_next_deadline(app->alarms, now);
	app->model_changed = false;
	app->alarms_run_ms = ticks;
}

/* By time at once; by message at most every ALARMS_EVERY_MS, and before
 * any frame (app_run): a stream of 100 messages a second walked the
 * breaches 100 times a second, a fifth of the board's CPU. */
static void update_alarms(struct app *app, int64_t now, uint32_t ticks)
{
	/* a tick (here or from another board) moves "no step taken" */
	if (crisis_generation(app->crisis) != app->crisis_gen) {
		app->crisis_gen = crisis_generation(app->crisis);
		app->model_changed = app->dirty = app->state_changed = true;
	}
	if ((app->alarms_deadline && now >= app->alarms_deadline) ||
	    (app->model_changed && (int32_t)(ticks - app->alarms_run_ms) >= ALARMS_EVERY_MS))
		run_alarms(app, now, ticks);
	send_outbox(app);
	send_crisis_outbox(app);
	save_surge(app, now);
	struct delivery_stats before, after;
	delivery_get_stats(app->delivery, &before);
	app->delivery_next_ms = delivery_tick(app->delivery, util_mono_ms());
	delivery_get_stats(app->delivery, &after);
	if (before.undelivered != after.undelivered || before.journal_ok != after.journal_ok)
		app->dirty = app->state_changed = true;
	update_sound(app, now, ticks);
	sound_tick(app->sound); /* closes the device once a pattern ended */
}

static bool is_input(const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_KEYDOWN:
	case SDL_KEYUP:
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_TEXTINPUT:
		return true;
	default:
		return false;
	}
}

static void handle_sdl_event(struct app *app, const SDL_Event *ev, int64_t now)
{
	if (ev->type == app->wake_event)
		return; /* the queue is drained every pass anyway */
	switch (ev->type) {
	case SDL_QUIT:
		app->quit = true;
		return;
	case SDL_WINDOWEVENT:
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		scene_forget(app->scene); /* the kept frame may be gone */
		app->dirty = true;
		return;
	case SDL_KEYDOWN:
		/* Ctrl+Q quits; a kiosk keypad has no Ctrl, so leads cannot
		 * close the board by accident. */
		if (ev->key.keysym.sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL)) {
			app->quit = true;
			return;
		}
		break;
	default:
		break;
	}
	if (!is_input(ev))
		return;
	app->last_input_ms = SDL_GetTicks();
	if (display_wake(app->display, now)) {
		app->dirty = app->state_changed = true;
		return; /* the touch that wakes a dark board does nothing else */
	}
	SDL_Event turned = *ev;
	display_input_begin(app->display, &turned);
	bool changed = ackui_handle_event(app->ui, &turned, now, SDL_GetTicks() + app->phase_off);
	display_input_end(app->display);
	if (changed)
		app->dirty = app->state_changed = true;
}

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
	if (moved || app->cfg->rotate != 0 || strcmp(app->renderer_name, "software") != 0)
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

static void draw(struct app *app, int64_t now, uint32_t ticks)
{
	keep_phase(app);
	uint32_t t = ticks + app->phase_off;
	struct alarm_view crisis;
	/* the header's count is of bad input: whole messages and dropped fields */
	app->status.rejected = app->counters.rejected + app->counters.rejected_fields;
	app->status.alarm_rows = ackui_rows_wanted(app->ui);
	set_trouble(app);
	app->status.crisis_acked = alarms_find(app->alarms, "crisis", &crisis) &&
				   crisis.state == ALARM_ACKED;
	app->status.alarms = app->alarms;
	app->status.crisis = app->crisis;
	app->status.hold_page = ackui_busy(app->ui);
	bool moved = display_begin(app->display);
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
	render_frame(app->render, app->model, &app->status, now, t);
	SDL_Rect strip;
	if (!render_region(app->render, RENDER_REGION_ALARMS, &strip))
		strip = (SDL_Rect){ 0, 0, 0, 0 };
	rows_changed(app);
	ackui_set_rows(app->ui, app->rows, app->n_rows);
	SDL_Rect steps[MSG_PLAYBOOK_MAX];
	size_t n_steps = render_steps(app->render, steps, MSG_PLAYBOOK_MAX);
	/* the dump says where the boxes are (a test taps them): rewrite it
	 * when they moved, appeared or went */
	if (n_steps != app->n_steps || memcmp(steps, app->steps, n_steps * sizeof steps[0]))
		app->state_changed = true;
	memcpy(app->steps, steps, n_steps * sizeof steps[0]);
	app->n_steps = n_steps;
	ackui_set_steps(app->ui, app->crisis, app->steps, app->n_steps);
	ackui_draw(app->ui, &strip, now, t);
	ackui_get_state(app->ui, &app->ui_drawn);
	if (memcmp(app->ui_drawn.declare_box, app->declare_box, sizeof app->declare_box)) {
		memcpy(app->declare_box, app->ui_drawn.declare_box, sizeof app->declare_box);
		app->state_changed = true; /* the same for "Declare crisis" */
	}
	if (!app->status.live && strip.w > 0)
		render_veil(app->render, &strip); /* alarms from stale data are stale */
	uint32_t a = render_next_change_ms(app->render, t);
	uint32_t b = ackui_next_change_ms(app->ui, t);
	app->next_change_ms = ((int32_t)(a - b) < 0 ? a : b) - app->phase_off;
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
	display_end(app->display, ticks);
	if (app->drawn.changed) {
		app->n_redrawn = sc ? scene_rects(sc, app->redrawn, 16) : 1;
		if (!sc)
			app->redrawn[0] = app->drawn.bounds;
		app->state_changed = true; /* the dump says what was redrawn */
		app->counters.frames++;
	}
	else
		app->counters.frames_unchanged++;
	app->counters.redrawn_px += app->drawn.pixels;
	app->counters.layers_copied += app->drawn.copied;
	app->counters.redraw_checked += app->drawn.checked;
	app->counters.redraw_mismatched += app->drawn.mismatched > 0;
	app->last_draw_ms = ticks;
	app->dirty = false;
}

static void finish_frame(struct app *app)
{
	struct text_stats ts;
	text_get_stats(app->text, &ts);
	app->counters.rasterised = ts.rasterised;
	app->counters.missing_glyphs = ts.missing_glyphs;
	text_frame_end(app->text);
	if (app->drawn.changed)
		present(app);
}

static double quantile_ms(const struct histo *h, double q, double unit_ms)
{
	return (double)histo_quantile(h, q) * unit_ms;
}

/* A frame drawn and shown; what it cost and how long the changes in it
 * waited, measured from when the loop took them from the network. */
static void frame(struct app *app, int64_t now, uint32_t ticks)
{
	bool change = app->pace.pending;
	uint64_t rasterised = app->counters.rasterised;
	Uint64 t0 = SDL_GetPerformanceCounter();
	draw(app, now, ticks);
	if (app->shot_wanted)
		send_screenshot(app, ticks);
	finish_frame(app);
	uint64_t us = (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
	telemetry_frame(app->telemetry, (double)us / 1000.0, ticks);
	uint32_t done = SDL_GetTicks();
	histo_add(change ? &app->draw_change_us : &app->draw_ticks_us, us);
	if (change)
		histo_add(app->pace.isolated ? &app->lat_isolated : &app->lat_stream,
			  done - app->pace.pending_since);
	if (log_enabled(LOG_DEBUG)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		const SDL_Rect *u = &app->drawn.bounds;
		/* timers and crisis: a burst is all shown only when its
		 * last messages are (scripts/bench.sh) */
		log_debug("app", "frame %llu: %zu complaints held, %zu timers, %s, %s (waited %d ms), "
			  "drawn in %.2f ms (%zu rects, %llu px, within %dx%d+%d+%d, %llu lines "
			  "rasterised), shown at %lld.%03ld",
			  (unsigned long long)app->counters.frames,
			  model_complaint_count(app->model), model_timer_count(app->model),
			  model_crisis(app->model) ? "a crisis" : "no crisis",
			  !change ? "no change by message"
			  : app->pace.isolated ? "isolated change" : "streamed changes",
			  change ? (int)(done - app->pace.pending_since) : 0,
			  (double)us / 1000, app->drawn.rects,
			  (unsigned long long)app->drawn.pixels, u->w, u->h, u->x, u->y,
			  (unsigned long long)(app->counters.rasterised - rasterised),
			  (long long)ts.tv_sec, ts.tv_nsec / 1000000);
	}
	pace_drawn(&app->pace, done);
}

/* The board's own figures, once, at exit (scripts/bench.sh reads them). */
static void log_figures(struct app *app)
{
	const struct histo *dt = &app->draw_ticks_us, *dc = &app->draw_change_us;
	const struct histo *li = &app->lat_isolated, *ls = &app->lat_stream;
	log_info("app", "figures: %llu frames; drawing, no change by message: %llu frames, "
		 "median %.2f ms, p99 %.2f ms; with changes: %llu frames, median %.2f ms, "
		 "p99 %.2f ms",
		 (unsigned long long)app->counters.frames, (unsigned long long)dt->count,
		 quantile_ms(dt, 0.5, 0.001), quantile_ms(dt, 0.99, 0.001),
		 (unsigned long long)dc->count, quantile_ms(dc, 0.5, 0.001),
		 quantile_ms(dc, 0.99, 0.001));
	log_info("app", "figures: change to screen: isolated %llu, median %.0f ms, p99 %.0f ms, "
		 "max %llu ms; streamed %llu, median %.0f ms, p99 %.0f ms, max %llu ms",
		 (unsigned long long)li->count, quantile_ms(li, 0.5, 1), quantile_ms(li, 0.99, 1),
		 (unsigned long long)li->max, (unsigned long long)ls->count,
		 quantile_ms(ls, 0.5, 1), quantile_ms(ls, 0.99, 1),
		 (unsigned long long)ls->max);
	struct text_stats ts;
	text_get_stats(app->text, &ts);
	log_info("app", "figures: text cache %u lines, %.1f MB; %llu lines rasterised, "
		 "%llu cache hits; %zu complaints held",
		 ts.cached, (double)ts.cached_bytes / 1048576.0,
		 (unsigned long long)ts.rasterised, (unsigned long long)ts.cache_hits,
		 model_complaint_count(app->model));
	struct heap_stats heap;
	heap_get_stats(&heap);
	log_info("app", "figures: RSS %.1f MB, heap in use %.1f MB, held %.1f MB",
		 telemetry_rss_kb() / 1024.0, heap.in_use_kb / 1024.0, heap.held_kb / 1024.0);
}

static void write_dump(struct app *app, int64_t now, uint32_t ticks)
{
	struct mqtt_stats ms;
	struct delivery_stats ds;
	struct ackui_state ui;
	mqtt_get_stats(app->mqtt, &ms);
	delivery_get_stats(app->delivery, &ds);
	ackui_get_state(app->ui, &ui);
	app->counters.dropped = ms.dropped + ms.oversized;
	app->counters.journal_pending = ds.pending;
	app->counters.published = ds.sent + app->escalations_sent;
	app->counters.publish_too_big = ms.too_big;
	app->counters.confirmed = ds.confirmed;
	app->counters.sound_plays = sound_plays(app->sound);
	app->counters.acks_refused = alarms_acks_refused(app->alarms);
	app->counters.over_capacity = model_over_capacity(app->model);
	app->counters.acks_undelivered = ds.undelivered;
	app->counters.puback_refused = ds.refused;
	struct display_state disp;
	display_get_state(app->display, &disp);
	SDL_Rect tiles[MODEL_MAX_CHANNELS];
	struct dump_input in = {
		.model = app->model,
		.status = &app->status,
		.alarms = app->alarms,
		.surge = app->surge,
		.steps = app->steps,
		.n_steps = app->n_steps,
		.ui = &ui,
		.rows = app->rows,
		.n_rows = app->n_rows,
		.render = app->render,
		.page = &app->page,
		.redrawn = app->redrawn,
		.n_redrawn = app->n_redrawn,
		.tiles = tiles,
		.n_tiles = render_tiles(app->render, tiles, MODEL_MAX_CHANNELS),
		.counters = &app->counters,
		.board_id = app->cfg->board_id,
		.now = now,
		.at_risk_s = app->cfg->at_risk_s,
		.synced = app->live.synced,
		.producers = app->producers,
		.completeness = &app->completeness,
		.acks_durable = ds.journal_ok,
		.ack_refusal = ds.refusal,
		.display = &disp,
		.protocol = mqtt_protocol_name(app->mqtt),
	};
	render_region(app->render, RENDER_REGION_HEADER, &in.header);
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
		  pngfile_save(path, s->pixels, w, h, s->pitch);
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
	update_alarms(app, now, ticks);
	scene_forget(app->scene); /* the whole picture on the output */
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

/* Milliseconds until the wall clock reaches epoch second t (0 if past,
 * at most a minute): waking on the second itself, not some phase of it,
 * lets an alarm change share the frame of the timers that tick then.
 * KIT_WAKE_LATE_MS after it, as they and the flash are: woken on the
 * second exactly, an alarm's change was drawn before the flash flipped,
 * and the flip took a frame of its own 20 ms later. */
static int32_t ms_until_epoch(int64_t t)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ms = (t - (int64_t)ts.tv_sec) * 1000 - ts.tv_nsec / 1000000 + KIT_WAKE_LATE_MS;
	return ms <= 0 ? 0 : ms >= 60000 ? 60000 : (int32_t)ms;
}

/* The next frame drawn anyway (a tick, the flash, a change not by
 * message): held changes by message go with it. */
static int32_t planned_frame_ms(const struct app *app, uint32_t ticks)
{
	return app->dirty ? until(app->last_draw_ms + FRAME_MIN_MS, ticks)
			  : until(app->next_change_ms, ticks);
}

/* How long the loop may sleep: until the nearest deadline. */
static int wait_timeout(const struct app *app, uint32_t ticks, uint32_t shot_at)
{
	/* Events already queued (a replay's taps): the loop sleeps until a
	 * deadline where no input wakes it, so not before taking them. */
	if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
		return 0;
	/* A change already seen (dirty) waits for the frame gate: waking for
	 * its passed deadline again and again until then spun the loop
	 * (~12,000 wake-ups a second when a tick and a flash fell within
	 * FRAME_MIN_MS of each other). */
	int32_t change = app->dirty ? until(app->last_draw_ms + FRAME_MIN_MS, ticks)
				    : until(app->next_change_ms, ticks);
	int32_t next = min_i32(until(app->next_live_check_ms, ticks), change);
	if (app->cfg->screenshot[0])
		next = min_i32(next, until(shot_at, ticks));
	if (app->state_changed && app->cfg->dump_state[0])
		next = min_i32(next, until(app->last_dump_ms + DUMP_MIN_INTERVAL_MS, ticks));
	if (app->dirty)
		next = min_i32(next, until(app->last_draw_ms + FRAME_MIN_MS, ticks));
	if (app->pace.pending)
		next = min_i32(next, pace_wait_ms(&app->pace, ticks, planned_frame_ms(app, ticks)));
	if (app->alarms_deadline)
		next = min_i32(next, ms_until_epoch(app->alarms_deadline));
	if (app->model_changed)
		next = min_i32(next, until(app->alarms_run_ms + ALARMS_EVERY_MS, ticks));
	if (app->feeds_deadline)
		next = min_i32(next, ms_until_epoch(app->feeds_deadline));
	if (app->delivery_next_ms) {
		int64_t d = app->delivery_next_ms - util_mono_ms();
		next = min_i32(next, d <= 0 ? 0 : d > 60000 ? 60000 : (int32_t)d);
	}
	if (app->replaying)
		next = min_i32(next, until(app->last_drain_ms + REPLAY_DRAIN_MS, ticks));
	if (app->n_firing && app->cfg->sound_repeat_s)
		next = min_i32(next, until(app->last_sound_ms +
					   (uint32_t)app->cfg->sound_repeat_s * 1000u, ticks));
	if (replay_next_ms(app->replay) != UINT32_MAX)
		next = min_i32(next, until(app->start_ms + replay_next_ms(app->replay), ticks));
	next = min_i32(next, service_wait_ms(app->service, ticks));
	next = min_i32(next, until(display_next_ms(app->display, ticks, (int64_t)time(NULL)),
				   ticks));
	if (app->status.connected) /* the status goes out only then */
		next = min_i32(next, app->status_wanted ? 0 : until(app->next_status_ms, ticks));
	return (int)min_i32(next, 60000);
}

/* A change is held for the next frame (a stream): what arrives meanwhile
 * joins it, so the network thread may read it in batches and need not
 * wake this one (mqtt_hold), instead of two wake-ups per message; for
 * how long is the pace's (pace_hold_ms). */
static void hold_messages(struct app *app, uint32_t ticks)
{
	int32_t w = pace_hold_ms(&app->pace, ticks, planned_frame_ms(app, ticks));
	int64_t until = w > 0 ? util_mono_ms() + w : 0;
	/* a later end by a millisecond or two is not worth the lock */
	if (until < app->hold_until || until > app->hold_until + 5) {
		mqtt_hold(app->mqtt, until);
		app->hold_until = until;
	}
}

/* Sleep until the wake-up fd is signalled, input arrives or timeout ms
 * pass, then take the input SDL gathered meanwhile. Where the input
 * devices cannot be watched (inputwait.h), at most one input-poll slice;
 * headless drivers have no input: the deadline. */
static void sleep_and_pump(struct app *app, int timeout)
{
	uint32_t ticks = SDL_GetTicks();
	int slice = (int32_t)(ticks - app->last_input_ms) < INPUT_BUSY_FOR_MS ?
			    INPUT_POLL_BUSY_MS : INPUT_POLL_IDLE_MS;
	/* Watched devices wake the loop; still once a second at least, in
	 * case a device is grabbed elsewhere and our copy stays empty. */
	if (app->input)
		slice = INPUT_WATCHED_MAX_MS;
	if (app->headless)
		slice = timeout;
	struct pollfd p[1 + INPUTWAIT_MAX + 1] = { { .fd = app->wake_fd, .events = POLLIN } };
	size_t n = 1 + inputwait_fds(app->input, p + 1, INPUTWAIT_MAX + 1);
	if (timeout > 0 && poll(p, n, timeout < slice ? timeout : slice) > 0) {
		uint64_t v;
		if (p[0].revents && read(app->wake_fd, &v, sizeof v) < 0 && errno != EAGAIN)
			log_error("app", "wake-up: %s", strerror(errno));
		inputwait_done(app->input, p + 1, n - 1);
	}
	SDL_PumpEvents();
}

static void poll_sdl(struct app *app, int timeout, int64_t now)
{
	SDL_Event ev;
	bool got;
	if (app->sdl_can_wait) {
		got = SDL_WaitEventTimeout(&ev, timeout);
	} else {
		sleep_and_pump(app, timeout);
		got = SDL_PollEvent(&ev);
	}
	if (got) {
		handle_sdl_event(app, &ev, now);
		while (SDL_PollEvent(&ev))
			handle_sdl_event(app, &ev, now);
	}
}

/* Everything that changes by time or by the network, once per pass. */
/* The retained status JSON (telemetry.h): every status_every and at
 * once when `live` changes. Only while connected: statuses queued during
 * an outage would all arrive stale after it. */
static void update_status(struct app *app, int64_t now, uint32_t ticks)
{
	bool due = (int32_t)(ticks - app->next_status_ms) >= 0;
	if ((!due && !app->status_wanted) || !mqtt_is_connected(app->mqtt))
		return;
	struct mqtt_stats ms;
	struct delivery_stats ds;
	mqtt_get_stats(app->mqtt, &ms);
	delivery_get_stats(app->delivery, &ds);
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(app->renderer, &w, &h);
	struct telemetry_sample s = {
		.board_id = app->cfg->board_id,
		.now = now,
		.started_at = app->started_at,
		.live = app->status.live,
		.renderer = app->renderer_name,
		.video_driver = SDL_GetCurrentVideoDriver(),
		.width = w,
		.height = h,
		.received = app->counters.received,
		.rejected = app->counters.rejected,
		.dropped = ms.dropped + ms.oversized,
		.last_message_at = app->last_message_at,
		.journal_pending = ds.pending,
		.broker_error = ms.last_error,
		.mqtt_protocol = mqtt_protocol_name(app->mqtt),
	};
	static const char *const verdicts[] = { "unchecked", "complete", "incomplete" };
	const struct completeness *c = &app->completeness;
	s.completeness = verdicts[c->state];
	s.held = c->last.held_open;
	s.announced = c->last.announced_open;
	s.held_timers = c->last.held_sla;
	s.announced_timers = c->last.announced_sla;
	s.incomplete_reason = completeness_why_name(incomplete_why(app));
	char json[1536];
	if (telemetry_format(app->telemetry, &s, ticks, json, sizeof json))
		mqtt_publish(app->mqtt, app->status_topic, json, strlen(json), 1, true, NULL);
	app->status_wanted = false;
	app->next_status_ms = ticks + (uint32_t)app->cfg->status_every_s * 1000u;
}

/* Night, dim, identify, orbit (display.h), and the first-start screen
 * until the board has been live once or holds data. */
static void update_appliance(struct app *app, int64_t now, uint32_t ticks)
{
	if (display_update(app->display, now, ticks, app->n_firing > 0))
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

static bool update(struct app *app, int64_t now, uint32_t ticks)
{
	bool backlog = drain_mqtt(app, now);
	if ((int32_t)(ticks + LIVE_CHECK_EARLY_MS - app->next_live_check_ms) >= 0)
		update_liveness(app, now, ticks);
	update_producers(app, now);
	/* A PIN check's answer first, so its ack goes out in this pass. */
	if (ackui_poll_check(app->ui, ticks + app->phase_off, now))
		app->dirty = app->state_changed = true;
	declare_crisis(app, now);
	update_alarms(app, now, ticks);
	/* Flash phases and countdowns: the picture changes, the state not. */
	if (ackui_tick(app->ui, ticks + app->phase_off))
		app->dirty = true;
	if (declare_crisis(app, now)) /* the tick took the PIN's answer */
		update_alarms(app, now, ticks);
	if ((int32_t)(ticks - app->next_change_ms) >= 0)
		app->dirty = true;
	if (app->replay) {
		int w = 0, h = 0;
		SDL_GetRendererOutputSize(app->renderer, &w, &h);
		replay_push_due(app->replay, ticks - app->start_ms, w, h);
	}
	update_status(app, now, ticks);
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
	app->argc = argc;
	app->argv = argv;
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
		hold_messages(app, ticks);
		poll_sdl(app, backlog ? 0 : wait_timeout(app, ticks, shot_at), now);
		now = wall_now();
		ticks = SDL_GetTicks();
		backlog = update(app, now, ticks);
		service_tick(app->service, ticks);

		if (app->cfg->screenshot[0] && (int32_t)(ticks - shot_at) >= 0)
			return take_screenshot(app, now, ticks);
		if ((app->dirty && (int32_t)(ticks - app->last_draw_ms) >= FRAME_MIN_MS) ||
		    pace_due(&app->pace, ticks, planned_frame_ms(app, ticks))) {
			if (app->model_changed) /* the frame shows the alarms of its model */
				run_alarms(app, now, ticks);
			frame(app, now, ticks);
			service_ready(app->service); /* the first frame is up */
		}
		if (app->state_changed && app->cfg->dump_state[0] &&
		    (int32_t)(ticks - app->last_dump_ms) >= DUMP_MIN_INTERVAL_MS)
			write_dump(app, now, ticks);
	}
	log_figures(app);
	/* A last state on the way out, so a test sees the final counters. */
	if (app->cfg->dump_state[0])
		write_dump(app, (int64_t)time(NULL), SDL_GetTicks());
	return 0;
}
