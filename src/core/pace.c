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

void pace_change(struct pace *p, uint32_t now)
{
	bool stream = p->any_change && since(now, p->last_change) < PACE_GAP_MS;
	p->last_change = now;
	p->any_change = true;
	if (!p->pending) {
		p->pending = true;
		p->pending_since = now;
		p->isolated = !stream;
	}
}

/* When the held changes would be drawn if a credit were there. */
static int32_t wait_for_reason(const struct pace *p, uint32_t now)
{
	if (p->isolated)
		return 0;
	int32_t settle = PACE_SETTLE_MS - since(now, p->last_change);
	int32_t cadence = 1000 / PACE_RATE - since(now, p->last_draw);
	int32_t w = settle < cadence ? settle : cadence;
	return w < 0 ? 0 : w;
}

int32_t pace_wait_ms(const struct pace *p, uint32_t now)
{
	if (!p->pending)
		return -1;
	int32_t c = credit_at(p, now);
	int32_t credit_wait = c >= 1000 ? 0 : (1000 - c + PACE_RATE - 1) / PACE_RATE;
	int32_t reason_wait = wait_for_reason(p, now);
	return credit_wait > reason_wait ? credit_wait : reason_wait;
}

bool pace_due(const struct pace *p, uint32_t now)
{
	return pace_wait_ms(p, now) == 0;
}

void pace_drawn(struct pace *p, uint32_t now)
{
	int32_t c = credit_at(p, now) - 1000;
	p->credit = c < 0 ? 0 : c;
	p->credit_at = now;
	p->last_draw = now;
	p->pending = false;
}
