/* pace.c - see pace.h. */
#include "pace.h"

#define CREDIT_FULL (PACE_BURST * 1000)

static int32_t since(uint32_t now, uint32_t then)
{
	return (int32_t)(now - then);
}

/* Credit at now: it grows by PACE_RATE thousandths a millisecond. */
static int32_t credit_at(const struct pace *p, uint32_t now)
{
	int64_t c = p->credit + (int64_t)since(now, p->credit_at) * PACE_RATE;
	return c > CREDIT_FULL ? CREDIT_FULL : c < 0 ? 0 : (int32_t)c;
}

void pace_init(struct pace *p, uint32_t now)
{
	*p = (struct pace){ .last_draw = now - 1000, .credit_at = now, .credit = CREDIT_FULL };
}

/* Stamps may come a little out of order (a message stamped when it was
 * read, alarms worked out later): the last one stays the latest. */
static bool after_quiet(struct pace *p, uint32_t now)
{
	bool quiet = !p->any_change || since(now, p->last_change) >= PACE_GAP_MS;
	if (!p->any_change || since(now, p->last_change) > 0)
		p->last_change = now;
	p->any_change = true;
	return quiet;
}

void pace_change(struct pace *p, uint32_t now)
{
	bool quiet = after_quiet(p, now);
	if (!p->pending) {
		p->pending = true;
		p->pending_since = now;
		p->isolated = false;
		p->held = 0;
	}
	p->held++;
	if (quiet && !p->isolated) {
		/* drawn at once, the held ones along; its wait is its own */
		p->isolated = true;
		p->pending_since = now;
	}
}

void pace_message(struct pace *p, uint32_t now)
{
	after_quiet(p, now);
}

/* When held stream changes would be drawn of their own if a credit were
 * there: the stream paused, or they were held long enough. */
static int32_t wait_for_reason(const struct pace *p, uint32_t now)
{
	int32_t hold = PACE_HOLD_MS - since(now, p->last_draw);
	int32_t w = hold;
	/* a burst: many changes, close together (a 100 msg/s stream that
	 * stalls for 30 ms is not one) */
	bool burst = p->held >= PACE_SETTLE_MIN &&
		     since(p->last_change, p->pending_since) <= (int64_t)p->held * PACE_BURST_GAP_MS;
	if (burst) {
		int32_t settle = PACE_SETTLE_MS - since(now, p->last_change);
		w = settle < hold ? settle : hold;
	}
	return w < 0 ? 0 : w;
}

int32_t pace_wait_ms(const struct pace *p, uint32_t now, int32_t planned_ms)
{
	if (!p->pending)
		return -1;
	if (p->isolated)
		return 0;
	int32_t c = credit_at(p, now);
	int32_t credit_wait = c >= 1000 ? 0 : (1000 - c + PACE_RATE - 1) / PACE_RATE;
	int32_t reason_wait = wait_for_reason(p, now);
	int32_t w = credit_wait > reason_wait ? credit_wait : reason_wait;
	/* a frame drawn anyway takes them along, credit or not */
	if (planned_ms >= 0 && planned_ms < w)
		w = planned_ms;
	return w;
}

bool pace_due(const struct pace *p, uint32_t now, int32_t planned_ms)
{
	return pace_wait_ms(p, now, planned_ms) == 0;
}

int32_t pace_quiet_in(const struct pace *p, uint32_t now)
{
	int32_t w = p->any_change ? PACE_GAP_MS - since(now, p->last_change) : 0;
	return w < 0 ? 0 : w;
}

int32_t pace_hold_ms(const struct pace *p, uint32_t now, int32_t planned_ms)
{
	if (p->pending ? p->isolated : pace_quiet_in(p, now) == 0)
		return 0;
	int32_t w = p->pending ? pace_wait_ms(p, now, planned_ms) : planned_ms;
	return w < 0 || w > PACE_BATCH_MS ? PACE_BATCH_MS : w;
}

void pace_drawn(struct pace *p, uint32_t now)
{
	int32_t c = credit_at(p, now) - 1000;
	p->credit = c < 0 ? 0 : c;
	p->credit_at = now;
	p->last_draw = now;
	p->pending = false;
}
