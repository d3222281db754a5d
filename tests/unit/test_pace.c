/* test_pace.c - when changes by message are drawn (pace.h), on a made-up
 * millisecond clock; and the histogram behind the board's figures. */
#include <stdint.h>

#include "histo.h"
#include "pace.h"

#include "check.h"

/* Runs a clock from t0 for span ms: a change at every multiple of
 * every_ms (0: none), a frame whenever the pace says one is due. Counts
 * frames and the longest a change waited to be drawn. */
struct run {
	unsigned frames;
	uint32_t worst_wait;
};

static struct run simulate(struct pace *p, uint32_t t0, uint32_t span, uint32_t every_ms)
{
	struct run r = { 0, 0 };
	for (uint32_t t = t0; t < t0 + span; t++) {
		if (every_ms && (t - t0) % every_ms == 0)
			pace_change(p, t);
		if (pace_due(p, t)) {
			uint32_t w = t - p->pending_since;
			if (w > r.worst_wait)
				r.worst_wait = w;
			pace_drawn(p, t);
			r.frames++;
		}
	}
	return r;
}

static void test_isolated(void)
{
	/* After a quiet spell a change is due at once, with any clock value
	 * (the last one wraps). */
	static const uint32_t starts[] = { 0, 5000, UINT32_MAX - 3 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		struct pace p;
		pace_init(&p, starts[i]);
		CHECK(pace_wait_ms(&p, starts[i]) == -1);
		CHECK(!pace_due(&p, starts[i]));
		uint32_t t = starts[i] + 2000;
		pace_change(&p, t);
		checkf(pace_due(&p, t), "isolated change at %u not due at once", t);
		pace_drawn(&p, t);
		CHECK(!pace_due(&p, t));
		/* the next one, a second later, again at once */
		pace_change(&p, t + 1000);
		CHECK(pace_due(&p, t + 1000));
	}
}

static void test_stream(void)
{
	/* 100 changes a second for 10 s: at most PACE_RATE frames a
	 * second (plus the burst credit), none waiting past the cadence. */
	static const uint32_t periods[] = { 1, 10, 50, 100, 200 };
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		struct pace p;
		pace_init(&p, 0);
		struct run r = simulate(&p, 1000, 10000, periods[i]);
		checkf(r.frames <= 10 * PACE_RATE + PACE_BURST,
		       "a change every %u ms: %u frames in 10 s", periods[i], r.frames);
		checkf(r.frames >= 10 * PACE_RATE - 1,
		       "a change every %u ms: only %u frames in 10 s", periods[i], r.frames);
		checkf(r.worst_wait <= 1000 / PACE_RATE + PACE_SETTLE_MS,
		       "a change every %u ms waited %u ms", periods[i], r.worst_wait);
	}
	/* A change every 300 ms is not a stream: each drawn at once. */
	struct pace p;
	pace_init(&p, 0);
	struct run r = simulate(&p, 1000, 3000, 300);
	CHECK(r.frames == 10);
	CHECK(r.worst_wait == 0);
}

static void test_burst_end(void)
{
	/* A burst (a change every ms for 120 ms, e.g. 10,000 retained
	 * messages arriving) is drawn at its start and PACE_SETTLE_MS after
	 * its end: not at the next cadence slot. */
	struct pace p;
	pace_init(&p, 0);
	struct run r = simulate(&p, 1000, 120, 1);
	CHECK(r.frames == 1);   /* the first change */
	uint32_t end = 1000 + 119;
	checkf(pace_wait_ms(&p, end + 1) == PACE_SETTLE_MS - 1, "wait after burst %d",
	       (int)pace_wait_ms(&p, end + 1));
	CHECK(!pace_due(&p, end + PACE_SETTLE_MS - 1));
	CHECK(pace_due(&p, end + PACE_SETTLE_MS));
}

static void test_ticks_spend_credit(void)
{
	/* Frames drawn for timers (twice a second with the flash) spend the
	 * credit too: a stream plus the ticks stays at PACE_RATE a second. */
	struct pace p;
	pace_init(&p, 0);
	unsigned frames = 0;
	for (uint32_t t = 1000; t < 11000; t++) {
		if (t % 10 == 0)
			pace_change(&p, t);
		bool tick = t % 500 == 0;
		if (tick || pace_due(&p, t)) {
			pace_drawn(&p, t);
			frames++;
		}
	}
	checkf(frames <= 10 * PACE_RATE + PACE_BURST, "stream + ticks: %u frames in 10 s",
	       frames);
	/* and after the stream, the first change is drawn at once again */
	pace_change(&p, 12000);
	CHECK(pace_due(&p, 12000));
}

static void test_histo(void)
{
	struct histo h;
	histo_init(&h, 1);
	CHECK(histo_quantile(&h, 0.5) == 0);
	for (uint64_t v = 0; v < 100; v++)
		histo_add(&h, v);
	static const struct {
		double q;
		uint64_t want;
	} rows[] = { { 0.0, 1 }, { 0.5, 50 }, { 0.99, 99 }, { 1.0, 99 } };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		checkf(histo_quantile(&h, rows[i].q) == rows[i].want, "q%.2f = %llu, want %llu",
		       rows[i].q, (unsigned long long)histo_quantile(&h, rows[i].q),
		       (unsigned long long)rows[i].want);
	CHECK(h.count == 100 && h.max == 99);
	/* past the last bucket: counted, the maximum exact */
	histo_add(&h, 1000000);
	CHECK(h.max == 1000000 && histo_quantile(&h, 1.0) == 1000000);
	/* wider buckets */
	histo_init(&h, 50);
	histo_add(&h, 120);
	CHECK(histo_quantile(&h, 0.5) == 120); /* bucket edge 150, max 120 */
	histo_add(&h, 130);
	histo_add(&h, 10);
	CHECK(histo_quantile(&h, 0.3) == 50);
}

int main(void)
{
	test_isolated();
	test_stream();
	test_burst_end();
	test_ticks_spend_credit();
	test_histo();
	return check_summary();
}
