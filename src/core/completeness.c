/* completeness.c - see completeness.h. */
#include "completeness.h"

#include <string.h>

void completeness_init(struct completeness *c)
{
	memset(c, 0, sizeof *c);
	c->state = COMPLETENESS_UNCHECKED;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* held misses more than max(min, pct %) of announced; never when nothing
 * is announced (announced < 0). */
static bool misses(int64_t held, int64_t announced, int64_t pct, int64_t min)
{
	if (announced < 0)
		return false;
	return announced - held > max64(min, announced * pct / 100);
}

static bool short_of(const struct completeness_counts *n, int64_t pct, int64_t min)
{
	return misses(n->held_open, n->announced_open, pct, min) ||
	       misses(n->held_sla, n->announced_sla, pct, min);
}

static bool set_state(struct completeness *c, enum completeness_state s, int64_t now)
{
	if (s == c->state)
		return false;
	c->state = s;
	c->short_since = 0;
	c->retries = 0;
	c->retry_s = COMPLETENESS_RETRY_FIRST_S;
	c->next_retry_at = s == COMPLETENESS_INCOMPLETE ? now + c->retry_s : 0;
	return true;
}

bool completeness_update(struct completeness *c, const struct completeness_counts *n,
			 bool after_replay, int64_t now)
{
	c->last = *n;
	if (n->announced_open < 0 && n->announced_sla < 0)
		return set_state(c, COMPLETENESS_UNCHECKED, now);
	bool enter = short_of(n, COMPLETENESS_ENTER_PCT, COMPLETENESS_ENTER_MIN);
	bool stay = short_of(n, COMPLETENESS_EXIT_PCT, COMPLETENESS_EXIT_MIN);
	if (c->state == COMPLETENESS_INCOMPLETE)
		return stay ? false : set_state(c, COMPLETENESS_COMPLETE, now);
	if (!enter) {
		c->short_since = 0;
		return set_state(c, COMPLETENESS_COMPLETE, now);
	}
	if (after_replay || (c->short_since && now - c->short_since >= COMPLETENESS_SETTLE_S))
		return set_state(c, COMPLETENESS_INCOMPLETE, now);
	if (!c->short_since)
		c->short_since = now;
	/* Not yet: counts now announced are checked, not yet found short. */
	if (c->state == COMPLETENESS_UNCHECKED) {
		c->state = COMPLETENESS_COMPLETE;
		return true;
	}
	return false;
}

bool completeness_retry_due(struct completeness *c, int64_t now)
{
	if (c->state != COMPLETENESS_INCOMPLETE || now < c->next_retry_at)
		return false;
	c->retries++;
	c->retry_s = c->retry_s * 2 > COMPLETENESS_RETRY_MAX_S ? COMPLETENESS_RETRY_MAX_S
							       : c->retry_s * 2;
	c->next_retry_at = now + c->retry_s;
	return true;
}

int64_t completeness_next_deadline(const struct completeness *c)
{
	if (c->state == COMPLETENESS_INCOMPLETE)
		return c->next_retry_at;
	return c->short_since ? c->short_since + COMPLETENESS_SETTLE_S : 0;
}

struct completeness_why completeness_why(const struct completeness_counts *n, bool cap,
					 int64_t refused)
{
	int64_t slack = COMPLETENESS_EXIT_MIN + n->announced_open * COMPLETENESS_EXIT_PCT / 100;
	int64_t miss_c = n->announced_open < 0 ? 0 : n->announced_open - n->held_open;
	int64_t miss_t = n->announced_sla < 0 ? 0 : n->announced_sla - n->held_sla;
	struct completeness_why w = { .cap = cap };
	w.queue = !cap || miss_c > refused + slack || miss_t > refused + slack;
	return w;
}

const char *completeness_why_name(struct completeness_why w)
{
	if (!w.cap)
		return "broker_queue_limit";
	return w.queue ? "limits.max_complaints+broker_queue_limit" : "limits.max_complaints";
}
