/* appstate.h - struct app, for the modules of one loop pass only.
 *
 * Why a shared struct: a pass of the loop (app.c) sleeps and takes input
 * (loopwait.c), takes the network's events (drain.c), updates alarms and
 * sound (alerting.c), draws and shows a frame (frame.c) and reports
 * (report.c). Each phase reads what the others wrote in the same pass
 * (dirty, the pace, deadlines, the status the frame shows); handing each
 * its own copy would be copying state back and forth. What has a narrow
 * interface of its own lives in its own module (window, ingest, commands,
 * feeds, alertsound, display, ...) and is only held here. Nothing outside
 * src/app includes this. */
#ifndef WALLBOARD_APPSTATE_H
#define WALLBOARD_APPSTATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "ackui.h"
#include "alarms.h"
#include "alertsound.h"
#include "badinput.h"
#include "commands.h"
#include "config.h"
#include "crisis.h"
#include "delivery.h"
#include "display.h"
#include "dump.h"
#include "feeds.h"
#include "histo.h"
#include "ingest.h"
#include "inputwait.h"
#include "kit.h"
#include "liveness.h"
#include "model.h"
#include "mqtt.h"
#include "pace.h"
#include "producers.h"
#include "render.h"
#include "replay.h"
#include "scene.h"
#include "service.h"
#include "sound.h"
#include "surge.h"
#include "telemetry.h"
#include "text.h"

/* Frames are drawn at most this often for what does not come by message
 * (a lead's keys, liveness); messages are paced by pace.h. */
#define FRAME_MIN_MS 20
#define ALARMS_EVERY_MS PACE_HOLD_MS  /* a stream's frames: before each anyway */
/* --dump-state is rewritten at most this often. */
#define DUMP_MIN_INTERVAL_MS 200
/* While the broker writes a retained replay the queue is taken in batches
 * this far apart (drain.c says why). */
#define REPLAY_DRAIN_MS 100
/* After a key or touch, a lead is using the board for this long. */
#define INPUT_BUSY_FOR_MS 10000
#define ROWS_MAX 64
#define POLL_BATCH 256
#define OUTBOX_BATCH 64

/* The local day liveness last worked out (app.c): [start, end). */
struct local_day {
	int64_t start, end, worked_out;
};

struct app {
	const struct config *cfg;  /* main.c's; a remote reload writes it (commands.h) */
	struct acksig_key site_key;        /* a copy: main wipes its own */
	const struct acksig_key *key;      /* &site_key, or NULL: acks unsigned */

	/* The screen and what draws on it. */
	SDL_Window *window;
	SDL_Renderer *renderer;
	char renderer_name[32];
	struct text *text;
	struct render *render;
	struct scene *scene;        /* draws only what changed (scene.h) */
	struct ackui *ui;
	struct display *display;    /* night, dim, identify, orbit (display.h) */
	struct sound *sound;

	/* The data and what follows it. */
	struct model *model;
	struct alarms *alarms;
	struct surge *surge;
	struct crisis *crisis;
	struct producers *producers;
	struct feeds feeds;         /* completeness and silent feeds */
	struct alertsound sounding; /* which alarms fire; when the sound plays */
	struct ingest *ingest;      /* messages into the above */

	/* The network and the outside. */
	struct mqtt *mqtt;
	struct delivery *delivery;
	struct commands *commands;
	struct service *service;    /* systemd: READY, WATCHDOG, STATUS */
	struct telemetry *telemetry;
	struct replay *replay;      /* --input-script, or NULL */
	char status_topic[CONFIG_STR * 2];
	char status_online[160], status_offline[160];
	int64_t started_at;
	uint32_t next_status_ms;    /* the next status JSON is due */
	bool status_wanted;         /* live changed: publish at once */
	uint64_t escalations_sent;  /* handed to MQTT (not through delivery) */
	bool ever_live;             /* the first-start screen is over */
	char first_error[160];
	char surge_path[CONFIG_PATH + 16];
	int64_t surge_saved;        /* when the surge counts were last saved */

	/* Waking and sleeping (loopwait.c). */
	Uint32 wake_event;
	bool sdl_can_wait;   /* the video driver blocks in SDL_WaitEventTimeout */
	bool headless;       /* dummy, offscreen: no input to look for */
	struct inputwait *input; /* otherwise the devices slept on, or NULL */
	int wake_fd;         /* eventfd the network thread signals otherwise */
	sigset_t wait_mask;  /* the main thread's, the stop signals let in */
	uint32_t last_input_ms;

	/* The loop's flags and deadlines. */
	bool dirty;          /* the picture must be redrawn */
	bool state_changed;  /* the dump must be rewritten */
	bool model_changed;  /* alarms must be recomputed */
	bool quit;
	bool restart;        /* quit, and main.c runs the board again */
	struct liveness live;  /* connected, replay complete, echo fresh */
	uint32_t replay_start_ms;  /* connected, or a replay asked for again */
	bool replaying;            /* from then until the sync marker */
	uint32_t last_drain_ms;    /* a drain started */
	bool drain_backlog;        /* it left events in the queue */
	int64_t hold_until;        /* mqtt_hold() as last told */
	uint32_t alarms_run_ms;    /* when the alarms last were updated */
	int64_t alarms_deadline;
	uint64_t crisis_gen;       /* crisis_generation() at the last alarms update */
	struct local_day day;
	int64_t delivery_next_ms;  /* monotonic: a retry of acks is due */
	uint32_t start_ms;
	uint32_t next_change_ms;   /* from render: a tick or a flash */
	uint32_t next_live_check_ms;
	uint32_t last_dump_ms;
	uint32_t last_draw_ms;
	/* Added to SDL ticks for everything drawn: puts the flash phase on
	 * the wall clock's half-seconds, where the timers tick anyway, so a
	 * flashing board redraws twice a second, not four times. */
	uint32_t phase_off;

	/* What the frames showed (frame.c); the dump reports it. */
	struct board_status status;
	struct dump_counters counters;
	struct badinput bad_input;  /* when the rejected count last rose */
	struct scene_result drawn;  /* what the last frame drew */
	SDL_Rect redrawn[16];       /* ... where */
	size_t n_redrawn;
	/* ... and of the last frame that drew changes by message, with its
	 * number: a tick frame after it must not hide what a change redrew */
	SDL_Rect redrawn_change[16];
	size_t n_redrawn_change;
	uint64_t change_frame;
	SDL_Rect pushed[SCENE_RECTS_MAX]; /* ... on the screen; 0: present whole */
	size_t n_pushed;
	struct render_row rows[ROWS_MAX];
	size_t n_rows;
	struct render_page page;
	SDL_Rect steps[MSG_PLAYBOOK_MAX];  /* the playbook's boxes, last frame */
	size_t n_steps;
	uint64_t strip_gen;                /* the strip's labels and buttons (ackui_strip_gen) */
	struct kit_seen *seen;             /* texts the last frame cut (only with a dump) */
	uint64_t seen_hash;                /* ... to tell when they changed */

	/* Changes by message are held and coalesced into frames (pace.h);
	 * what the board measures of itself is logged at exit (--verbose:
	 * every frame) for scripts/bench.sh. */
	struct pace pace;
	uint32_t taken_late_ms;     /* the longest a change the next frame draws
	                               waited from arriving to being taken */
	uint32_t last_taken_ms;     /* ... and when the last of them was taken */
	struct histo lat_isolated;  /* ms, a change after a quiet spell to on screen */
	struct histo lat_stream;    /* ms, a change in a stream to on screen */
	struct histo draw_ticks_us; /* frames with no change by message */
	struct histo draw_change_us;/* frames with one */

	/* Scratch, kept here rather than on the stack. */
	struct mqtt_event events[POLL_BATCH];
	struct alarm_out outbox[OUTBOX_BATCH];
	struct crisis_out crisis_out;
};

/* board.rejected_recent in the milliseconds badinput.h takes: the loop's
 * look (app.c) and its deadline (loopwait.c) read the same. */
static inline int64_t app_rejected_recent_ms(const struct app *app)
{
	return (int64_t)app->cfg->rejected_recent_s * 1000;
}

#endif
