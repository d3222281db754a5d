/* test_backoff.c - the reconnect schedule, step by step.
 *
 * README: a broker that was away is tried again every 0.5-1 s; one that
 * refuses the board, or drops it at once, later and later, up to every
 * 30 s; every wait jittered. The numbers below are worked out from those
 * sentences (+-25 % jitter, doubling), not from backoff.c. */
#include "backoff.h"
#include "check.h"

#define STEPS 12

/* Nominal steps when refused: 0.5, 1, 2, 4, 8, 16, then 30 s for good. */
static const int64_t refused_steps[STEPS] = { 500, 1000, 2000, 4000, 8000, 16000,
					      30000, 30000, 30000, 30000, 30000, 30000 };
/* When away: 0.5, then 0.75 s for good (every 0.5-1 s with jitter). */
static const int64_t away_steps[STEPS] = { 500, 750, 750, 750, 750, 750,
					   750, 750, 750, 750, 750, 750 };

static void schedule(bool refused, const int64_t *nominal, uint64_t random, const char *name)
{
	struct backoff b;
	backoff_reset(&b);
	backoff_attempt_failed(&b, refused);
	check_ctx = name;
	for (int i = 0; i < STEPS; i++) {
		int64_t ms = backoff_next_ms(&b, random);
		checkf(ms >= nominal[i] * 3 / 4 && ms <= nominal[i] * 5 / 4,
		       "%s: wait %d = %lld ms, want %lld +-25 %%", name, i, (long long)ms,
		       (long long)nominal[i]);
		if (!refused)
			checkf(ms >= 375 && ms <= 1000, "%s: wait %d = %lld ms, want 0.375-1 s",
			       name, i, (long long)ms);
	}
}

/* The jitter spans the whole +-25 %, and a room of boards spreads out. */
static void jitter(void)
{
	check_ctx = "jitter";
	struct backoff b;
	backoff_reset(&b);
	CHECK_EQ(backoff_next_ms(&b, 0), 375);
	backoff_reset(&b);
	CHECK_EQ(backoff_next_ms(&b, 250), 625);
	backoff_reset(&b);
	CHECK_EQ(backoff_next_ms(&b, 251), 375);   /* modulo 251: wraps */
	backoff_attempt_failed(&b, true);
	for (int i = 0; i < 6; i++)
		backoff_next_ms(&b, 0);
	CHECK_EQ(backoff_next_ms(&b, 0), 22500);  /* capped: 30 s - 25 % */
	CHECK_EQ(backoff_next_ms(&b, 15000), 37500);

	int64_t lo = INT64_MAX, hi = 0;
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 100; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		backoff_reset(&b);
		int64_t ms = backoff_next_ms(&b, x);
		lo = ms < lo ? ms : lo;
		hi = ms > hi ? ms : hi;
	}
	checkf(hi - lo >= 200, "100 boards spread their first retry over %lld ms, want >= 200",
	       (long long)(hi - lo));
}

/* What a lost link does to the schedule (injected link ages). */
static void links(void)
{
	struct backoff b;
	check_ctx = "refused, then a link that held 2 s: away again, fast";
	backoff_reset(&b);
	backoff_attempt_failed(&b, true);
	for (int i = 0; i < 5; i++)
		backoff_next_ms(&b, 0);                  /* step now 16 s */
	backoff_link_lost(&b, false, 2000);
	CHECK_EQ(backoff_next_ms(&b, 0), 375);
	CHECK_EQ(backoff_next_ms(&b, 0), 562);

	check_ctx = "a link dropped at once (1.9 s): later and later";
	backoff_reset(&b);
	backoff_link_lost(&b, false, 1999);
	CHECK_EQ(backoff_next_ms(&b, 0), 375);
	CHECK_EQ(backoff_next_ms(&b, 0), 750);
	CHECK_EQ(backoff_next_ms(&b, 0), 1500);
	backoff_link_lost(&b, false, 500);             /* again at once */
	CHECK_EQ(backoff_next_ms(&b, 0), 3000);

	check_ctx = "session taken over after a long link: later and later";
	backoff_reset(&b);
	backoff_link_lost(&b, true, 60000);
	backoff_next_ms(&b, 0);
	backoff_next_ms(&b, 0);
	CHECK_EQ(backoff_next_ms(&b, 0), 1500);

	check_ctx = "away after refusals: back to 0.75 s at most";
	backoff_reset(&b);
	backoff_attempt_failed(&b, true);
	for (int i = 0; i < 8; i++)
		backoff_next_ms(&b, 0);
	backoff_attempt_failed(&b, false);
	backoff_next_ms(&b, 0);                         /* the step already grown */
	CHECK_EQ(backoff_next_ms(&b, 0), 562);
}

/* However long the broker refuses, no wait exceeds 30 s + 25 %, and an
 * hour is tried at least every 37.5 s. */
static void forever(void)
{
	check_ctx = "forever";
	struct backoff b;
	backoff_reset(&b);
	backoff_attempt_failed(&b, true);
	int64_t total = 0, longest = 0;
	int attempts = 0;
	uint64_t x = 88172645463325252u;
	while (total < 3600 * 1000) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t ms = backoff_next_ms(&b, x);
		longest = ms > longest ? ms : longest;
		total += ms;
		attempts++;
	}
	checkf(longest <= 37500, "longest wait %lld ms, want <= 37500", (long long)longest);
	checkf(attempts >= 3600 / 37, "%d attempts in an hour, want >= %d", attempts, 3600 / 37);
}

int main(void)
{
	schedule(true, refused_steps, 0, "refused, random 0");
	schedule(true, refused_steps, UINT64_MAX, "refused, random max");
	schedule(true, refused_steps, 0x123456789abcdefu, "refused, random mixed");
	schedule(false, away_steps, 0, "away, random 0");
	schedule(false, away_steps, UINT64_MAX, "away, random max");
	jitter();
	links();
	forever();
	return check_summary();
}
