/* render.h - the wallboard screen, drawn from a const model.
 *
 * render never changes the model. The layout is computed from the output
 * size (no fixed pixel positions) and mirrored for right-to-left
 * languages; it is recomputed only when the size or language changes.
 * All text goes through text.h, so an unchanged frame rasterises nothing. */
#ifndef WALLBOARD_RENDER_H
#define WALLBOARD_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

#include "alarms.h"
#include "config.h"
#include "crisis.h"
#include "model.h"
#include "scene.h"
#include "text.h"

struct render;

/* What the header shows besides the model: connection and counters. */
struct board_status {
	bool connected;
	bool live;                   /* connected and data fresh */
	int64_t not_live_since;      /* epoch s, 0 while live */
	uint64_t rejected;           /* bad input since start: messages
	                                refused and fields dropped */
	bool rejected_recent;        /* ... the last of them recently: the
	                                count in amber, else muted (calm) */
	int64_t day_start;           /* local midnight, for attainment */
	int alarm_rows;              /* rows the alarm strip needs (ackui.h);
	                                0: no strip */
	bool crisis_acked;           /* the crisis alarm is acknowledged: the
	                                banner stays steady instead of flashing */
	/* Notices while live, in a band under the header (the "not live"
	 * band replaces them: then nothing is known anyway). */
	bool incomplete;             /* fewer held than producers announce:
	                                header totals are marked partial */
	bool incomplete_timers;      /* the shortfall is in timers, not complaints */
	bool incomplete_cap;         /* why: the board's own limits.max_complaints
	                                refused some ... */
	bool incomplete_queue;       /* ... and/or the broker's queue dropped some */
	int64_t held, announced;     /* of what is short */
	size_t n_silent;             /* producers silent (offline or late) */
	const char *silent_feed;     /* the one silent longest */
	int64_t silent_since;        /* epoch s; 0: unknown (offline) */
	const struct alarms *alarms; /* breach alarms are drawn in their rows
	                                (firing, acknowledged, escalated); may
	                                be NULL */
	bool hold_page;              /* a lead is selecting: do not turn the
	                                list's page under their finger */
	int trouble;                 /* a str_id (STR_ACKS_NOT_DURABLE,
	                                STR_ACK_NOT_DELIVERED, STR_OVER_CAPACITY)
	                                said in the header; 0: none */
	const char *trouble_detail;  /* shown after it (the broker's reason) */
	const struct crisis *crisis; /* the playbook checklist: a box per step,
	                                "✓ Dana 10:22", "3 of 5 done"; may be
	                                NULL (the steps without boxes) */
};

/* A row of the list as laid out in the last frame: tests, the state dump
 * and hit-testing (acknowledging on the row) use it. */
struct render_row {
	char id[64];                 /* the complaint's id */
	SDL_Rect row;                /* whole row */
	SDL_Rect text_box;           /* the complaint text's box */
	int text_px;                 /* the complaint text's font size */
	bool breached;               /* breached; else due soon */
	bool has_alarm;              /* its breach alarm is drawn in the row */
	enum alarm_state alarm;      /* that alarm's state */
	bool escalated;
	SDL_Rect public_box;         /* the "Public" mark; w 0: not public */
	bool drill;                  /* a drill complaint: marked DRILL */
};

/* The breach list's page in the last frame, 1-based: rows first..last of
 * total breaches (the pinned most overdue row not counted on later
 * pages); 0 when nothing is breached. */
struct render_page {
	size_t first, last, total;
	int empty_note;              /* nothing breached: what the list said,
	                                STR_NO_BREACHES (live, complete) or
	                                STR_NONE_AMONG (incomplete); 0: nothing
	                                (not live) */
};

struct render *render_init(SDL_Renderer *renderer, struct text *text,
			   const struct config *cfg);
void render_destroy(struct render *r);

/* Frames are recorded into s (scene.h) instead of drawn; NULL: drawn. */
void render_set_scene(struct render *r, struct scene *s);

/* Draw one whole frame (does not present; the caller ends the text
 * module's frame with text_frame_end). now: epoch seconds; ticks_ms:
 * monotonic ms, for flashing. While st->live is false, timers show their values as of
 * st->not_live_since (frozen, under a grey veil) and do not tick. */
void render_frame(struct render *r, const struct model *m,
		  const struct board_status *st, int64_t now, uint32_t ticks_ms);

/* The not-live veil over area: for what others draw over the board from
 * the same stale data (the alarm strip). */
void render_veil(struct render *r, const SDL_Rect *area);

/* Monotonic ms at which the picture changes by itself (a visible timer
 * ticks, the banner flashes: not while st->crisis_acked or flash_steady),
 * given what the last frame showed; the main loop sleeps until then unless
 * an event comes first. */
uint32_t render_next_change_ms(const struct render *r, uint32_t ticks_ms);

/* Rows of the last frame, top to bottom: breached (most overdue first;
 * when they do not all fit, the most overdue, then this page), then, if
 * room is left, due soon. Rects are screen rects (mirrored for right-to-left).
 * With out NULL, returns how many there are. */
size_t render_rows(const struct render *r, struct render_row *out, size_t max);

/* The playbook steps' boxes on the banner in the last frame (screen
 * rects, mirrored for right-to-left): where a lead taps to tick one.
 * Returns how many (0 without a crisis or a checklist). */
size_t render_steps(const struct render *r, SDL_Rect *out, size_t max);

/* The breach list's page of the last frame. The list shows as many rows
 * as fit; with more breaches it turns to the next page every
 * cfg->page_s seconds (unless st->hold_page), the most overdue row pinned
 * on top of every page. */
void render_page(const struct render *r, struct render_page *out);

/* Turn the breach list to its next page at the next frame (a remote
 * "page next"); the page timer starts again from there. */
void render_page_next(struct render *r);

/* Channel tiles of the last frame, in model channel order (screen
 * rects, already mirrored for right-to-left layouts). When the room is
 * short (the list would keep fewer rows than it promises), the channels
 * are one compact row of cells instead (name, counts, state); these are
 * their rects. With out NULL, returns how many there are. */
size_t render_tiles(const struct render *r, SDL_Rect *out, size_t max);

/* The state the last frame gave tile i, as a fixed word for the state
 * dump: "ok", "partial" (no breach among what an incomplete board holds),
 * "at_risk" or "breached"; NULL past the last tile. */
const char *render_tile_state(const struct render *r, size_t i);

/* Regions of the last frame, for tests and hit-testing. Returns false
 * (and an empty rect) when the region was not drawn. */
enum render_region {
	RENDER_REGION_HEADER,    /* whole header band */
	RENDER_REGION_CONN,      /* connection state, inside the header */
	RENDER_REGION_BANNER,    /* crisis banner */
	RENDER_REGION_BAND,      /* "data not live" band, or the notices */
	RENDER_REGION_DATA,      /* tiles, lists and banner: veiled when not live */
	RENDER_REGION_ALARMS,    /* alarm strip, reserved at the bottom, below
	                            the lists, when st->alarm_rows > 0; left
	                            empty for ackui_draw() */
	RENDER_REGION_TILES,     /* channel tiles or chips */
	RENDER_REGION_LIST,      /* breached and at-risk lists */
};
bool render_region(const struct render *r, enum render_region which, SDL_Rect *out);

/* The smallest font size (px) of the text the last frame drew in a region
 * (RENDER_REGION_DATA: banner, tiles and lists; RENDER_REGION_HEADER
 * includes the connection state), 0 when it drew none there: checks that
 * nothing shrinks below what reads from across the room. */
int render_text_px(const struct render *r, enum render_region which);

#endif
