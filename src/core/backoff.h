/* backoff.h - when to try the broker again: jittered, capped, doubling.
 *
 * Pure arithmetic (no clock, no randomness of its own) so the schedule
 * can be checked step by step: the caller passes a random number and how
 * long a link held. Every wait is the current step moved by up to +-25 %,
 * so a room of boards does not reconnect in step; then the step doubles
 * up to a cap:
 * - a broker that is away (TCP refused, a link lost after holding
 *   BACKOFF_FLAP_MS) is tried again every 0.5-1 s (the step starts at
 *   BACKOFF_FIRST_MS, capped at BACKOFF_AWAY_MAX_MS), so a board is live
 *   within about 2 s of its return;
 * - one that refuses the board (a CONNACK or DISCONNECT reason: bad
 *   credentials, a session taken over by a board with the same id) or
 *   drops it within BACKOFF_FLAP_MS is tried later and later, up to
 *   BACKOFF_MAX_MS. */
#ifndef WALLBOARD_BACKOFF_H
#define WALLBOARD_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#define BACKOFF_FIRST_MS    500
#define BACKOFF_AWAY_MAX_MS 750
#define BACKOFF_MAX_MS      30000
#define BACKOFF_FLAP_MS     2000

struct backoff {
	int64_t step_ms;      /* the next wait before jitter */
	bool refused;         /* the broker refused us: the long cap */
};

void backoff_reset(struct backoff *b);

/* The wait before the next attempt (step +-25 %, from random), then the
 * step doubles up to the cap. */
int64_t backoff_next_ms(struct backoff *b, uint64_t random);

/* An attempt failed before a connection: refused says whether the broker
 * gave a reason (>= 0x80) rather than being away. */
void backoff_attempt_failed(struct backoff *b, bool refused);

/* A link was lost after holding held_ms; refused: the broker said why. A
 * broker that was away gets us back at once, one that refused us or
 * dropped us at once later and later. */
void backoff_link_lost(struct backoff *b, bool refused, int64_t held_ms);

#endif
