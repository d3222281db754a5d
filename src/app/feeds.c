/* feeds.c - see feeds.h. */
#include "feeds.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

void feeds_init(struct feeds *f, const struct model *m, const struct producers *p,
		int max_complaints, struct board_status *status)
{
	*f = (struct feeds){ .model = m, .producers = p, .max_complaints = max_complaints,
			     .status = status };
	completeness_init(&f->completeness);
}

struct completeness_why feeds_why(const struct feeds *f)
{
	return completeness_why(&f->completeness.last, model_is_over_capacity(f->model),
				(int64_t)model_over_capacity(f->model));
}

static void log_incomplete(const struct feeds *f)
{
	const struct completeness *c = &f->completeness;
	const struct completeness_counts *n = &c->last;
	struct completeness_why why = feeds_why(f);
	char cap[96] = "", queue[160] = "";
	if (why.cap)
		snprintf(cap, sizeof cap, "the board refused %llu for its own limit: raise "
			 "limits.max_complaints (%d)%s",
			 (unsigned long long)model_over_capacity(f->model),
			 f->max_complaints, why.queue ? "; " : "");
	if (why.queue)
		snprintf(queue, sizeof queue, "the broker dropped part of the retained replay; "
			 "raise max_queued_messages and max_queued_bytes in mosquitto.conf (see "
			 "assets/mosquitto/wallboard-broker.conf)");
	log_warn("complete", "INCOMPLETE: holding %lld of %lld complaints and %lld of %lld "
		 "SLA timers the producers announce (-1: not announced): %s%s; taking the "
		 "replay again in %lld s", (long long)n->held_open, (long long)n->announced_open,
		 (long long)n->held_sla, (long long)n->announced_sla, cap, queue,
		 (long long)c->retry_s);
}

/* The band names complaints when they are short, else the timers. */
static void show_completeness(struct feeds *f, struct feeds_effect *fx)
{
	const struct completeness_counts *n = &f->completeness.last;
	struct board_status *st = f->status;
	int64_t miss_c = n->announced_open < 0 ? 0 : n->announced_open - n->held_open;
	int64_t miss_t = n->announced_sla < 0 ? 0 : n->announced_sla - n->held_sla;
	bool inc = f->completeness.state == COMPLETENESS_INCOMPLETE;
	bool timers = miss_t > miss_c &&
		      miss_c <= COMPLETENESS_EXIT_MIN + n->announced_open * COMPLETENESS_EXIT_PCT / 100;
	int64_t held = timers ? n->held_sla : n->held_open;
	int64_t of = timers ? n->announced_sla : n->announced_open;
	struct completeness_why why = feeds_why(f);
	bool cap = inc && why.cap;
	bool queue = inc && why.queue;
	if (inc != st->incomplete || (inc && (held != st->held || of != st->announced)) ||
	    cap != st->incomplete_cap || queue != st->incomplete_queue) {
		st->incomplete = inc;
		st->incomplete_cap = cap;
		st->incomplete_queue = queue;
		st->incomplete_timers = timers;
		st->held = held;
		st->announced = of;
		fx->redraw = fx->state = true;
	}
}

/* Held against announced: after every replay, and between replays while
 * in sync (where a shortfall must last a while to count). */
static void check_completeness(struct feeds *f, bool after_replay, int64_t now,
			       struct feeds_effect *fx)
{
	struct producers_announced a;
	producers_announced(f->producers, &a);
	struct completeness_counts n = {
		.held_open = (int64_t)model_complaint_count(f->model),
		.announced_open = a.open,
		.held_sla = (int64_t)model_timer_count(f->model),
		.announced_sla = a.sla,
	};
	enum completeness_state was = f->completeness.state;
	if (completeness_update(&f->completeness, &n, after_replay, now)) {
		if (f->completeness.state == COMPLETENESS_INCOMPLETE)
			log_incomplete(f);
		else if (was == COMPLETENESS_INCOMPLETE)
			log_info("complete", "complete again: %lld of %lld complaints, %lld of "
				 "%lld timers", (long long)n.held_open, (long long)n.announced_open,
				 (long long)n.held_sla, (long long)n.announced_sla);
		fx->state = true;
		fx->status_now = true; /* a fleet monitor hears it at once */
	}
	show_completeness(f, fx);
}

void feeds_after_replay(struct feeds *f, int64_t now, struct feeds_effect *fx)
{
	check_completeness(f, true, now, fx);
}

/* While incomplete the replay is taken again, with backoff. */
static void retry_replay(struct feeds *f, bool in_sync, int64_t now, struct feeds_effect *fx)
{
	if (!in_sync || !completeness_retry_due(&f->completeness, now))
		return;
	log_warn("complete", "still incomplete: taking the retained replay again (retry %u; "
		 "next in %lld s)", f->completeness.retries,
		 (long long)f->completeness.retry_s);
	fx->replay = true;
}

/* The feed silent longest, for the band; logged when that changes.
 * Nobody is heard while the board is not live: no verdict then. */
static void update_silent(struct feeds *f, int64_t now, struct feeds_effect *fx)
{
	struct board_status *st = f->status;
	size_t first = 0;
	size_t n = st->live ? producers_silent(f->producers, now, &first) : 0;
	struct producer_view v = { .name = "" };
	if (n)
		producers_get(f->producers, first, now, &v);
	if (n == st->n_silent && v.since == st->silent_since &&
	    strcmp(v.name, f->silent_name) == 0)
		return;
	if (n)
		log_warn("feeds", "%zu feed(s) silent; %s %s since %lld", n, v.name,
			 v.online ? "silent" : "offline", (long long)v.since);
	else if (st->n_silent)
		log_info("feeds", "every feed heard again");
	snprintf(f->silent_name, sizeof f->silent_name, "%s", v.name);
	st->n_silent = n;
	st->silent_feed = n ? f->silent_name : NULL;
	st->silent_since = v.since;
	fx->redraw = fx->state = true;
}

void feeds_update(struct feeds *f, bool in_sync, int64_t now, struct feeds_effect *fx)
{
	if (in_sync)
		check_completeness(f, false, now, fx);
	retry_replay(f, in_sync, now, fx);
	update_silent(f, now, fx);
	int64_t a = producers_next_deadline(f->producers, now);
	int64_t b = completeness_next_deadline(&f->completeness);
	f->deadline = !a ? b : !b ? a : a < b ? a : b;
}
