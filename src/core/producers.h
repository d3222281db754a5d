/* producers.h - the feeds that announce themselves (contract v1.1).
 *
 * A producer publishes a retained `<prefix>/producers/<name>/status`
 * ({"online":true,"interval_s":30,"at":...,"open":N,"sla":M}) every
 * interval and sets a last will {"online":false}. This module keeps what
 * the board heard: who is silent (offline, or no status for two
 * intervals) and how many complaints and timers the producers say they
 * hold retained. Plain C, no SDL, no mosquitto; the clock is injected
 * (epoch seconds, the board's own clock: a producer's "at" is only shown,
 * never compared, so a producer with a wrong clock is not called silent).
 *
 * Silence is a property of the link as much as of the producer: while the
 * board is not live it hears nobody, so the caller asks only while live. */
#ifndef WALLBOARD_PRODUCERS_H
#define WALLBOARD_PRODUCERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* More names than this are refused (logged by the caller as rejected). */
#define PRODUCERS_MAX 32
/* A producer is silent after this many intervals without a status. */
#define PRODUCERS_MISSED 2

struct producers;

struct producer_view {
	const char *name;
	bool online;                    /* its last status said so */
	bool silent;                    /* offline, or missed PRODUCERS_MISSED intervals */
	int64_t since;                  /* silent: since when (epoch s), 0 unknown */
	int64_t interval_s;
	int64_t heard_at;               /* board clock of its last status */
	int64_t open, sla;              /* announced; -1 when not announced */
};

/* Sums over the producers that announce counts. */
struct producers_announced {
	int64_t open;                   /* -1: nobody announces complaints */
	int64_t sla;                    /* -1: nobody announces timers */
};

struct producers *producers_create(void);
void producers_destroy(struct producers *p);

/* MSG_PRODUCER or MSG_PRODUCER_REMOVE (others: false). now: board clock.
 * False with a reason when the table is full. */
bool producers_apply(struct producers *p, const struct msg *msg, int64_t now,
		     char *err, size_t errlen);

/* Like model_resync_*: statuses not replayed after a reconnect (their
 * retained message was cleared meanwhile) are forgotten at end. */
void producers_resync_begin(struct producers *p);
void producers_resync_end(struct producers *p);

size_t producers_count(const struct producers *p);
/* False out of range. name stays valid until the next apply/resync_end. */
bool producers_get(const struct producers *p, size_t i, int64_t now,
		   struct producer_view *out);
/* How many are silent now; *first (may be NULL) gets the index of the one
 * silent longest (unknown "since" counts as longest). */
size_t producers_silent(const struct producers *p, int64_t now, size_t *first);
/* The next time (epoch s) a producer turns silent by the clock alone,
 * 0 when none will: the caller's loop wakes then. */
int64_t producers_next_deadline(const struct producers *p, int64_t now);
void producers_announced(const struct producers *p, struct producers_announced *out);

#endif
