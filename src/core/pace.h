/* pace.h - when a change that arrived by message is drawn.
 *
 * Drawing 1080p costs far more than applying a message, so a stream of
 * messages must not become a stream of frames. The rule:
 *   - a change after a quiet spell (no message in the last PACE_GAP_MS) is
 *     drawn at once: an ack from another board, a new breach. Such
 *     changes are at least PACE_GAP_MS apart, so they need no credit
 *     (below); waiting for one held an ack behind the frames of the
 *     second's tick and a page turn (p99 119-191 ms, median 1 ms);
 *   - changes in a stream are held for the next frame the board draws
 *     anyway (the second's tick, the flash: the caller says when), or
 *     until a burst (PACE_SETTLE_MIN changes or more held, arriving at
 *     least every PACE_BURST_GAP_MS on average) pauses for PACE_SETTLE_MS
 *     (the end of a burst of retained messages), or until PACE_HOLD_MS
 *     after the last frame when no frame is planned before then. A
 *     stream of 100 msg/s that stalls for 30 ms is no burst: it waits
 *     for the tick like any other;
 *   - every frame, for whatever reason (a timer tick, the flash, a lead's
 *     key), spends one of at most PACE_BURST credits, which come back at
 *     PACE_RATE a second; a held change drawn at a pause or after the
 *     hold waits for a credit. So a stream costs no frames of its own on
 *     a board that ticks twice a second, at most 1000 / PACE_HOLD_MS a
 *     second on one that ticks less, and the end of a burst is drawn
 *     at once.
 * Times are milliseconds of any clock that wraps at 2^32 (SDL ticks);
 * no SDL here, so the policy is unit-tested with a made-up clock. */
#ifndef WALLBOARD_PACE_H
#define WALLBOARD_PACE_H

#include <stdbool.h>
#include <stdint.h>

/* Four frames a second is plenty for a wall read from 5 m; a stream's
 * changes ride on the flash and tick frames (two a second), which halved
 * the frames at 100 msg/s; measured in scripts/bench.sh (docs/cost.md,
 * "Pacing and the retained burst"). */
#define PACE_RATE      4
#define PACE_BURST     2
#define PACE_GAP_MS    250
#define PACE_SETTLE_MS 30
#define PACE_SETTLE_MIN 32
#define PACE_BURST_GAP_MS 2     /* ... arriving at least every 2 ms on average */
#define PACE_HOLD_MS   500
/* While a stream runs, messages may be read in batches (the board's
 * network thread wakes once per batch, not per message) of at most
 * this long. A batch's messages are stamped with when they arrived, its
 * last to the kernel's tick (mqtt.c, batch_flush), so a quiet spell of
 * PACE_GAP_MS is seen as one however long the batch; the reader itself
 * hands on at once a message that comes after one (mqtt_hold's gap),
 * and what it holds when the stream stops: PACE_SETTLE_MS after a
 * burst's last message (its end is drawn then), PACE_GAP_MS after a
 * slower stream's (mqtt_reader_pass). What ends a batch otherwise is the
 * frame it is held for (pace_hold_ms), and this is only a bound. 100 ms, with messages stamped when read, woke
 * both threads ten times a second at 100 msg/s. */
#define PACE_BATCH_MS  500

struct pace {
	uint32_t last_change;   /* the last message (changing what is shown or not) */
	uint32_t last_draw;
	uint32_t credit_at;     /* credit was worked out then */
	int32_t credit;         /* thousandths of a frame */
	uint32_t pending_since; /* the oldest change not yet drawn */
	uint32_t held;          /* changes not yet drawn */
	bool pending;           /* a change waits for a frame */
	bool isolated;          /* ... and it came after a quiet spell */
	bool any_change;
};

void pace_init(struct pace *p, uint32_t now);

/* A message changed what is shown. One after a quiet spell is drawn at
 * once, and takes the changes held before it along. */
void pace_change(struct pace *p, uint32_t now);

/* A held change should be drawn now. planned_ms: milliseconds until the
 * next frame the caller draws anyway (a tick, the flash; 0: this pass),
 * negative when none is planned. */
bool pace_due(const struct pace *p, uint32_t now, int32_t planned_ms);

/* Milliseconds until pace_due (0: now); -1 when nothing is held. */
int32_t pace_wait_ms(const struct pace *p, uint32_t now, int32_t planned_ms);

/* A message that changed nothing shown: the link is not quiet (a change
 * amid a burst of unchanged retained messages is part of the burst). */
void pace_message(struct pace *p, uint32_t now);

/* Milliseconds until a change would come after a quiet spell (and be
 * drawn at once); 0 when one would now. Until then one may arrive
 * unnoticed: it waits for the held ones' frame anyway. */
int32_t pace_quiet_in(const struct pace *p, uint32_t now);

/* Milliseconds messages may go unseen (read in batches, nobody woken)
 * while a stream runs (changes held, or a message in the last
 * PACE_GAP_MS): until the held changes' frame, or with none held the
 * next planned frame, at most PACE_BATCH_MS; 0 while an isolated change
 * waits or no stream runs. A message that comes PACE_GAP_MS or more after
 * the one before is no part of the stream: the reader must not hold it
 * (mqtt_hold's gap); nor what it holds once the stream stops (a burst's
 * end is due PACE_SETTLE_MS after it, pace_wait_ms). */
int32_t pace_hold_ms(const struct pace *p, uint32_t now, int32_t planned_ms);

/* A frame was drawn (for any reason): the held changes are on screen. */
void pace_drawn(struct pace *p, uint32_t now);

#endif
