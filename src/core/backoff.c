/* backoff.c - see backoff.h. */
#include "backoff.h"

void backoff_reset(struct backoff *b)
{
	b->step_ms = BACKOFF_FIRST_MS;
	b->refused = false;
}

int64_t backoff_next_ms(struct backoff *b, uint64_t random)
{
	int64_t step = b->step_ms;
	int64_t ms = step * 3 / 4 + (int64_t)(random % (uint64_t)(step / 2 + 1));
	int64_t cap = b->refused ? BACKOFF_MAX_MS : BACKOFF_AWAY_MAX_MS;
	b->step_ms = step >= cap / 2 ? cap : step * 2;
	return ms;
}

void backoff_attempt_failed(struct backoff *b, bool refused)
{
	b->refused = refused;
}

void backoff_link_lost(struct backoff *b, bool refused, int64_t held_ms)
{
	b->refused = refused || held_ms < BACKOFF_FLAP_MS;
	if (!b->refused)
		b->step_ms = BACKOFF_FIRST_MS;
}
