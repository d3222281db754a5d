/* dump.h - the board's state as JSON, for tests and operators.
 *
 * `--dump-state FILE` makes the board rewrite FILE (atomically: write a
 * temporary file, then rename) whenever what it shows changed, so a test
 * or a monitoring script can read what the board knows at any moment. */
#ifndef WALLBOARD_DUMP_H
#define WALLBOARD_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ackui.h"
#include "alarms.h"
#include "completeness.h"
#include "display.h"
#include "model.h"
#include "producers.h"
#include "render.h"

struct kit_seen; /* kit.h */

struct dump_counters {
	uint64_t received;      /* messages taken from the MQTT queue */
	uint64_t applied;       /* accepted by decode and model */
	uint64_t rejected;      /* refused by decode or model */
	uint64_t rejected_fields;/* bad fields dropped from shown messages */
	uint64_t dropped;       /* dropped by the MQTT queue */
	uint64_t resyncs;       /* completed resyncs */
	uint64_t resync_dropped;/* items dropped by resyncs */
	uint64_t replays;       /* replays taken again (found incomplete) */
	uint64_t replay_ms;     /* the last replay: connected (or asked) to synced */
	uint64_t frames;        /* frames drawn (something changed on screen) */
	uint64_t frames_unchanged; /* frames recorded that changed no pixel: not drawn */
	uint64_t redrawn_px;    /* pixels drawn again, all frames */
	uint64_t layers_copied; /* layers copied from a kept picture (scene.h) */
	uint64_t redraw_checked;   /* frames compared with a whole redraw (redraw = check) */
	uint64_t redraw_mismatched;/* ... that differed from it */
	uint64_t rasterised;    /* text lines rasterised */
	uint64_t missing_glyphs;/* characters no font has, drawn as U+FFFD */
	uint64_t journal_pending;/* acks not yet confirmed by the broker */
	uint64_t published;     /* alarm messages handed to MQTT */
	uint64_t confirmed;     /* durable ones confirmed (PUBACK) */
	uint64_t sound_plays;   /* alert sounds started */
	uint64_t wakeups;       /* loop passes: how often the board woke up */
	uint64_t acks_refused;  /* acks unsigned, forged or replayed (acksig.h) */
	uint64_t over_capacity; /* complaints/timers refused for limits.max_complaints */
	uint64_t acks_undelivered; /* refused by the broker, being retried */
	uint64_t puback_refused;   /* refusals by the broker, retries included */
	uint64_t publish_too_big;  /* over the broker's maximum packet size */
};

struct dump_input {
	const struct model *model;
	const struct board_status *status;
	const struct alarms *alarms;        /* may be NULL */
	const struct surge *surge;          /* may be NULL */
	const SDL_Rect *steps;              /* the step boxes drawn (render_steps) */
	size_t n_steps;
	const struct ackui_state *ui;       /* may be NULL */
	const struct render_row *rows;      /* the list's visible rows */
	size_t n_rows;
	const struct render *render;        /* regions and tiles of the last
	                                       frame (tests read where things
	                                       are drawn); may be NULL */
	const struct render_page *page;     /* the breach list's page; may be NULL */
	const SDL_Rect *redrawn;            /* the last drawn frame's damaged rects */
	size_t n_redrawn;
	const SDL_Rect *redrawn_change;     /* ... of the last that drew changes
	                                       by message, and its number */
	size_t n_redrawn_change;
	uint64_t change_frame;
	SDL_Rect header;                    /* regions of the last frame */
	const SDL_Rect *tiles;
	size_t n_tiles;
	const struct dump_counters *counters;
	const char *board_id;
	int64_t now;
	int64_t at_risk_s;
	bool synced;
	const struct producers *producers;      /* may be NULL */
	const struct completeness *completeness;/* may be NULL */
	bool acks_durable;                  /* the journal can be written */
	const char *ack_refusal;            /* "" or the broker's reason */
	const struct display_state *display;/* may be NULL (display.h) */
	const char *protocol;               /* MQTT "5", "3.1.1"; NULL: none yet */
	const char *sound_device;           /* "not probed", "none", "closed",
	                                       "open"; NULL: no sound */
	const struct kit_seen *seen;        /* texts the last frame cut; may be NULL */
};

/* Write the state to path atomically. Logs and returns false on error. */
bool dump_write(const char *path, const struct dump_input *in);

#endif
