/* pace.h - when a change that arrived by message is drawn.
 *
 * Drawing 1080p costs far more than applying a message, so a stream of
 * messages must not become a stream of frames. The rule:
 *   - a change after a quiet spell (none in the last PACE_GAP_MS) is
 *     drawn at once: an ack from another board, a new breach;
 *   - changes in a stream are held and drawn when the stream pauses for
 *     PACE_SETTLE_MS (the end of a burst of retained messages) or when
 *     they have waited 1000 / PACE_RATE ms;
 *   - every frame, for whatever reason (a timer tick, the flash, a lead's
 *     key), spends one of at most PACE_BURST credits, which come back at
 *     PACE_RATE a second; held changes wait for a credit. So a stream
 *     costs at most PACE_RATE frames a second, the ticks' frames
 *     included, and an isolated change still finds a credit waiting.
 * Times are milliseconds of any clock that wraps at 2^32 (SDL ticks);
 * no SDL here, so the policy is unit-tested with a made-up clock. */
#ifndef WALLBOARD_PACE_H
#define WALLBOARD_PACE_H

#include <stdbool.h>
#include <stdint.h>

/* Four frames a second is plenty for a wall read from 5 m; measured in
 * scripts/bench.sh (README, Benchmark). */
#define PACE_RATE      4
#define PACE_BURST     2
#define PACE_GAP_MS    250
#define PACE_SETTLE_MS 30

struct pace {
	uint32_t last_change;   /* the last change by message */
	uint32_t last_draw;
	uint32_t credit_at;     /* credit was worked out then */
	int32_t credit;         /* thousandths of a frame */
	uint32_t pending_since; /* the oldest change not yet drawn */
	bool pending;           /* a change waits for a frame */
	bool isolated;          /* ... and it came after a quiet spell */
	bool any_change;
};

void pace_init(struct pace *p, uint32_t now);

/* A message changed what is shown. */
void pace_change(struct pace *p, uint32_t now);

/* A held change should be drawn now. */
bool pace_due(const struct pace *p, uint32_t now);

/* Milliseconds until pace_due (0: now); -1 when nothing is held. */
int32_t pace_wait_ms(const struct pace *p, uint32_t now);

/* A frame was drawn (for any reason): the held changes are on screen. */
void pace_drawn(struct pace *p, uint32_t now);

#endif
