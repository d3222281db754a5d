/* crisis.h - the life of one crisis on this board: its playbook checklist,
 * when it began, what breached during it, and the report published when
 * it ends.
 *
 * The checklist. Each step of the crisis's playbook has a box a lead
 * ticks (or unticks) with a PIN on any board (crisis_tick). The tick is
 * queued retained, QoS 1 and durable (journaled like an ack) for
 * <prefix>/crisis/steps/<n> (n from 1):
 *   {"step","text","done","by","at","crisis_since","board"[,"sig"]}
 * and every board applies what it receives (crisis_apply_step), so every
 * board shows "✓ Dana 10:22" on that step. A tick belongs to one crisis,
 * its crisis_since: ticks of another crisis are not shown (and cleared
 * when seen during a crisis they do not belong to), so a new crisis starts
 * unticked; when the crisis ends each board that saw ticks clears their
 * retained topics. Ticks that arrive before their crisis (the retained
 * replay has no order) are held until it appears. A crisis without a
 * `since` cannot be told from the next one: any tick is taken for it.
 *
 * Signed like acks: with the site's ack key (acksig.h) a tick carries
 * "sig", the ack signature of the record {alarm: "step:<n>:<crisis_since>:
 * <0|1 done>", by, board, at, until 0}; with a key configured, unsigned or
 * forged ticks are refused (counted, logged).
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

#include "acksig.h"
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
 * them); key: the ack key (copied; NULL or len 0: ticks unsigned). NULL
 * (logged) on bad arguments or OOM. */
struct crisis *crisis_create(const char *prefix, const char *board, bool report,
			     const struct acksig_key *key);
void crisis_destroy(struct crisis *c);

/* Follow the model at now: call after applying messages and at least at
 * every breach deadline (alarms_next_deadline covers them). */
void crisis_update(struct crisis *c, const struct model *m, int64_t now);

/* The crisis being followed: its since (0 when none). */
int64_t crisis_since(const struct crisis *c);

/* One step of the followed crisis's checklist. */
struct crisis_step {
	const char *text;
	bool done;
	const char *by;            /* who ticked (or unticked) it; "" never */
	int64_t at;
	const char *board;
};

/* Steps of the crisis followed (0 without one), and how many are done. */
size_t crisis_steps(const struct crisis *c);
size_t crisis_steps_done(const struct crisis *c);
bool crisis_step_get(const struct crisis *c, size_t idx, struct crisis_step *out);

/* A lead ticked (done) or unticked step idx (0-based) on this board at
 * now: shown at once, and the retained tick queued. False (logged) when
 * there is no such step. */
bool crisis_tick(struct crisis *c, size_t idx, bool done, const char *by, int64_t now);

/* A MSG_STEP or MSG_STEP_REMOVE received (possibly this board's own
 * echo, or replayed from the journal). Returns true when what is shown
 * changed. */
bool crisis_apply_step(struct crisis *c, const struct msg *msg, int64_t now);

/* Bumped by every change of a tick (made here or received): the app
 * recomputes the alarms when it moved. */
uint64_t crisis_generation(const struct crisis *c);

/* Ticks refused (unsigned or forged with a key configured). */
uint64_t crisis_ticks_refused(const struct crisis *c);

/* The drill flag of the crisis followed. */
bool crisis_is_drill(const struct crisis *c);

/* The crisis followed was declared by a lead on a board ("declared_by"):
 * nobody else runs its topic, so a lead may end it from a board. */
bool crisis_declared(const struct crisis *c);

/* Move a queued publish into *out; false when none. */
bool crisis_take_out(struct crisis *c, struct crisis_out *out);

#endif
