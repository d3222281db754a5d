/* completeness.h - does the board hold what the producers say they hold?
 *
 * mosquitto drops a retained replay that overflows its per-client queue
 * (max_queued_messages, default 1000) silently: nothing in MQTT tells the
 * subscriber. Producers therefore announce how many complaints and timers
 * they hold retained (producers.h), and the board compares: clearly fewer
 * held than announced is INCOMPLETE, shown as such, and the replay is
 * retried with backoff until the counts agree.
 *
 * "Clearly": a count is short when it misses more than
 * max(COMPLETENESS_ENTER_MIN, COMPLETENESS_ENTER_PCT %) of the announced
 * number; it agrees again when it misses at most max(EXIT_MIN, EXIT_PCT %).
 * Producers update their counts when they change by about 1 %, so a steady
 * stream drifts inside that gap and cannot flap the verdict. Right after
 * a replay the verdict is immediate (the replay is whole or it is not);
 * between replays a shortfall must last COMPLETENESS_SETTLE_S, the time
 * updates in flight need to arrive.
 *
 * Pure logic with an injected clock (epoch seconds): no SDL, no MQTT. */
#ifndef WALLBOARD_COMPLETENESS_H
#define WALLBOARD_COMPLETENESS_H

#include <stdbool.h>
#include <stdint.h>

#define COMPLETENESS_ENTER_PCT 3
#define COMPLETENESS_ENTER_MIN 20
#define COMPLETENESS_EXIT_PCT 2
#define COMPLETENESS_EXIT_MIN 10
#define COMPLETENESS_SETTLE_S 10
#define COMPLETENESS_RETRY_FIRST_S 5
#define COMPLETENESS_RETRY_MAX_S 300

enum completeness_state {
	COMPLETENESS_UNCHECKED,   /* no producer announces counts */
	COMPLETENESS_COMPLETE,
	COMPLETENESS_INCOMPLETE,
};

/* Announced counts are -1 when nobody announces them. */
struct completeness_counts {
	int64_t held_open, announced_open;
	int64_t held_sla, announced_sla;
};

struct completeness {
	enum completeness_state state;
	struct completeness_counts last;  /* as of the last update */
	int64_t short_since;      /* a shortfall seen between replays, 0 none */
	int64_t next_retry_at;    /* while incomplete: next replay, epoch s */
	int64_t retry_s;          /* the wait before that one */
	unsigned retries;         /* replays asked for since incomplete */
};

void completeness_init(struct completeness *c);

/* Why held < announced: the board's own cap (cap: it refused ids this
 * round, refused of them in all), and the broker's per-client queue for
 * whatever the refused ids and their timers do not explain. Both can be
 * true at once; with no refusal it is the queue. */
struct completeness_why {
	bool cap, queue;
};
struct completeness_why completeness_why(const struct completeness_counts *n, bool cap,
					 int64_t refused);

/* "broker_queue_limit", "limits.max_complaints", or both joined by '+':
 * the status JSON's and the dump's incomplete.reason. */
const char *completeness_why_name(struct completeness_why w);

/* Compare after a replay (after_replay) or whenever counts may have
 * changed. Returns true when the state changed. */
bool completeness_update(struct completeness *c, const struct completeness_counts *n,
			 bool after_replay, int64_t now);

/* True when the caller should take the retained replay again now; the
 * next one is then scheduled (doubling up to RETRY_MAX_S). */
bool completeness_retry_due(struct completeness *c, int64_t now);

/* The next time (epoch s) the verdict or a retry may change by the clock
 * alone, 0 when none. */
int64_t completeness_next_deadline(const struct completeness *c);

#endif
