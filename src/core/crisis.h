/* crisis.h - the life of one crisis on this board: when it began, what
 * breached during it, and the report published when it ends.
 *
 * A crisis is known by its `since` (the producer's; this board's first
 * sight of it when the producer sent none). When the crisis topic clears,
 * or another crisis (another since) replaces it, the board queues a report
 * for <prefix>/crisis/reports/<since as RFC 3339 UTC> (QoS 1, not
 * retained):
 *   {"since","end","title","level","drill","board","observed_from",
 *    "duration_s","steps":[{"step","text","done","by","at"}],
 *    "first_step_after_s","breaches":[{"channel","began","at_start",
 *    "peak"}],"breaches_total"}
 * observed_from is when this board began watching (later than since when
 * it started during the crisis: its counts cover only that part).
 * began: complaints of the channel whose response fell due during the
 * crisis while still unanswered; at_start: breached when it began; peak:
 * the most breached at once.
 *
 * Plain C, no SDL, no mosquitto: the app publishes what crisis_take_out()
 * hands it. Time is injected. */
#ifndef WALLBOARD_CRISIS_H
#define WALLBOARD_CRISIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define CRISIS_TOPIC_MAX   (64 + 64)
#define CRISIS_PAYLOAD_MAX 16384   /* a report: 8 steps, 32 channels, escaped */
#define CRISIS_OUTBOX_MAX  64

/* An MQTT publish the app must make. */
struct crisis_out {
	char topic[CRISIS_TOPIC_MAX];
	char payload[CRISIS_PAYLOAD_MAX]; /* NUL-terminated */
	size_t len;                /* 0: clear a retained topic */
	int qos;
	bool retain;
	bool durable;              /* journal it */
};

struct crisis;

/* prefix: topic prefix without '/'; board: this board's id; report: false
 * keeps the reports to the log (one board of a site is enough to publish
 * them). NULL (logged) on bad arguments or OOM. */
struct crisis *crisis_create(const char *prefix, const char *board, bool report);
void crisis_destroy(struct crisis *c);

/* Follow the model at now: call after applying messages and at least at
 * every breach deadline (alarms_next_deadline covers them). */
void crisis_update(struct crisis *c, const struct model *m, int64_t now);

/* The crisis being followed: its since (0 when none). */
int64_t crisis_since(const struct crisis *c);

/* Move a queued publish into *out; false when none. */
bool crisis_take_out(struct crisis *c, struct crisis_out *out);

#endif
