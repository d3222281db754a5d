/* test_pace.c - when changes by message are drawn (pace.h), on a made-up
 * millisecond clock; and the histogram behind the board's figures. */
#include <stdint.h>

#include "histo.h"
#include "pace.h"

#include "check.h"

/* Runs a clock from t0 for span ms: a change at every multiple of
 * every_ms (0: none), a frame drawn anyway at every multiple of tick_ms
 * (0: none; the second's tick, the flash), and one whenever the pace
 * says one is due. Counts frames and the longest a change waited. */
struct run {
	unsigned frames;
	uint32_t worst_wait;
};

static int32_t planned(uint32_t t, uint32_t t0, uint32_t tick_ms)
{
	return tick_ms ? (int32_t)((tick_ms - (t - t0) % tick_ms) % tick_ms) : -1;
}

static struct run simulate(struct pace *p, uint32_t t0, uint32_t span, uint32_t every_ms,
			   uint32_t tick_ms)
{
	struct run r = { 0, 0 };
	for (uint32_t t = t0; t < t0 + span; t++) {
		if (every_ms && (t - t0) % every_ms == 0)
			pace_change(p, t);
		int32_t plan = planned(t, t0, tick_ms);
		if (plan == 0 || pace_due(p, t, plan)) {
			uint32_t w = p->pending ? t - p->pending_since : 0;
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
		CHECK(pace_wait_ms(&p, starts[i], -1) == -1);
		CHECK(!pace_due(&p, starts[i], -1));
		uint32_t t = starts[i] + 2000;
		pace_change(&p, t);
		checkf(pace_due(&p, t, 400), "isolated change at %u not due at once", t);
		pace_drawn(&p, t);
		CHECK(!pace_due(&p, t, 0));
		/* the next one, a second later, again at once */
		pace_change(&p, t + 1000);
		CHECK(pace_due(&p, t + 1000, -1));
	}
}

static void test_isolated_needs_no_credit(void)
{
	/* Frames for the tick, a page turn and the flash spent every credit
	 * (three frames within 10 ms); an ack arriving 120 ms later is still
	 * drawn at once, not when a credit is back (it waited 119 ms). */
	struct pace p;
	pace_init(&p, 0);
	static const uint32_t frames[] = { 4500, 4999, 5005, 5008 };
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
		pace_drawn(&p, frames[i]);
	pace_change(&p, 5130);
	CHECK(pace_wait_ms(&p, 5130, 370) == 0);
	/* while a stream change at the same point waits for its credit */
	struct pace s;
	pace_init(&s, 0);
	pace_change(&s, 4990);
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
		pace_drawn(&s, frames[i]);
	pace_change(&s, 5100);
	pace_change(&s, 5130);
	checkf(pace_wait_ms(&s, 5200, -1) > 0, "stream change due without credit");
}

static void test_quiet_spell_ends_hold(void)
{
	/* Stream changes held for the next tick; the stream stops, and a
	 * change after a quiet spell is drawn at once, the held ones with
	 * it. */
	struct pace p;
	pace_init(&p, 0);
	for (uint32_t t = 1000; t <= 1100; t += 10)
		pace_change(&p, t);
	pace_drawn(&p, 1100);
	pace_change(&p, 1110);
	CHECK(pace_wait_ms(&p, 1120, 380) > 0);
	/* until when a change would still count as the stream's */
	static const struct {
		uint32_t at;
		int32_t want;
	} rows[] = { { 1110, PACE_GAP_MS }, { 1200, PACE_GAP_MS - 90 },
		     { 1110 + PACE_GAP_MS, 0 }, { 5000, 0 } };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		checkf(pace_quiet_in(&p, rows[i].at) == rows[i].want, "quiet in at %u: %d",
		       rows[i].at, (int)pace_quiet_in(&p, rows[i].at));
	struct pace fresh;
	pace_init(&fresh, 0);
	CHECK(pace_quiet_in(&fresh, 0) == 0);
	pace_change(&p, 1110 + PACE_GAP_MS);
	CHECK(pace_due(&p, 1110 + PACE_GAP_MS, 500 - PACE_GAP_MS - 10));
	/* its wait is its own, not the held ones' */
	CHECK(p.pending_since == 1110 + PACE_GAP_MS);
}

static void test_quiet_means_no_message(void)
{
	/* What ends a quiet spell: any message, shown or not; stamps that
	 * come out of order (read in a batch, alarms later) do not move
	 * the last one back. */
	static const struct {
		uint32_t unchanged_at;  /* a message that changed nothing (0: none) */
		uint32_t stale_at;      /* a change stamped earlier (0: none) */
		uint32_t change_at;
		bool at_once;
	} rows[] = {
		{ 0, 0, 1400, true },      /* 400 ms after the last change */
		{ 1300, 0, 1400, false },  /* 100 ms after an unchanged message */
		{ 1100, 0, 1400, true },   /* 300 ms after it */
		{ 0, 1350, 1360, false },  /* a stale stamp still ends the spell */
		{ 1390, 1380, 1400, false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pace p;
		pace_init(&p, 0);
		pace_change(&p, 990);
		pace_change(&p, 1000);
		pace_drawn(&p, 1001);
		if (rows[i].unchanged_at)
			pace_message(&p, rows[i].unchanged_at);
		if (rows[i].stale_at) {
			pace_change(&p, rows[i].stale_at);
			pace_drawn(&p, rows[i].stale_at + 1);
		}
		pace_change(&p, rows[i].change_at);
		checkf(pace_due(&p, rows[i].change_at, 400) == rows[i].at_once,
		       "row %zu: change at %u due at once: %d", i, rows[i].change_at,
		       pace_due(&p, rows[i].change_at, 400));
	}
	/* a stamp older than the last does not move it back */
	struct pace p;
	pace_init(&p, 0);
	pace_change(&p, 1000);
	pace_message(&p, 900);
	CHECK(p.last_change == 1000);
}

static void test_hold(void)
{
	/* How long messages may go unseen: while a stream runs, never past
	 * the held changes' frame (or with none held the next planned one)
	 * nor PACE_BATCH_MS; not while an isolated change waits or the link
	 * is quiet. A quiet spell inside the hold is the reader's to see. */
	static const struct {
		const char *what;
		int held;           /* 1: stream changes held, 2: an isolated
		                       one, 0: none (the last drawn at 1020) */
		uint32_t now;       /* the last change at 1010 */
		int32_t planned;
		int32_t want;
	} rows[] = {
		{ "held, no frame soon", 1, 1010, -1, PACE_HOLD_MS - 10 },
		{ "held, the tick in 40 ms", 1, 1010, 40, 40 },
		{ "held, the tick now", 1, 1010, 0, 0 },
		{ "held past the quiet point", 1, 1010 + PACE_GAP_MS + 5, -1,
		  PACE_HOLD_MS - PACE_GAP_MS - 15 },
		{ "an isolated change", 2, 1010, -1, 0 },
		{ "none held, the stream on, the tick in 300 ms", 0, 1110, 300, 300 },
		{ "none held, no frame planned", 0, 1110, -1, PACE_BATCH_MS },
		{ "none held, the tick in 900 ms", 0, 1110, 900, PACE_BATCH_MS },
		{ "none held, the link quiet", 0, 1010 + PACE_GAP_MS, 300, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pace p;
		pace_init(&p, 0);
		if (rows[i].held != 2) {
			pace_change(&p, 990);
			pace_change(&p, 1000);
			pace_drawn(&p, 1000);
		}
		pace_change(&p, 1010);
		if (rows[i].held == 0)
			pace_drawn(&p, 1020);
		checkf(pace_hold_ms(&p, rows[i].now, rows[i].planned) == rows[i].want,
		       "%s: hold %d, want %d", rows[i].what,
		       (int)pace_hold_ms(&p, rows[i].now, rows[i].planned), (int)rows[i].want);
	}
	/* nothing ever came: nothing to hold */
	struct pace idle;
	pace_init(&idle, 0);
	CHECK(pace_hold_ms(&idle, 5000, -1) == 0);
}

static void test_stream(void)
{
	/* A change every every_ms for 10 s, frames drawn anyway every
	 * tick_ms: the stream rides on those frames, or takes one every
	 * PACE_HOLD_MS when none comes sooner; no change waits past that. */
	static const struct {
		uint32_t every, tick;
		unsigned min_frames, max_frames;
		uint32_t max_wait;
	} rows[] = {
		/* flashing board: only the flash and tick frames (+ the first
		 * change, drawn at once) */
		{ 10, 500, 20, 21, 500 },
		{ 1, 500, 20, 21, 500 },
		{ 100, 500, 20, 21, 500 },
		/* ticks once a second: one held frame between two ticks */
		{ 10, 1000, 19, 21, PACE_HOLD_MS },
		/* nothing ticks */
		{ 10, 0, 10 * 1000 / PACE_HOLD_MS - 1, 10 * 1000 / PACE_HOLD_MS + 1, PACE_HOLD_MS },
		{ 200, 0, 10 * 1000 / PACE_HOLD_MS - 1, 10 * 1000 / PACE_HOLD_MS + 1, PACE_HOLD_MS },
		/* a change every 300 ms is not a stream: each drawn at once */
		{ 300, 0, 34, 34, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pace p;
		pace_init(&p, 0);
		struct run r = simulate(&p, 1000, 10000, rows[i].every, rows[i].tick);
		checkf(r.frames >= rows[i].min_frames && r.frames <= rows[i].max_frames,
		       "row %zu: a change every %u ms, ticks every %u: %u frames in 10 s", i,
		       rows[i].every, rows[i].tick, r.frames);
		checkf(r.worst_wait <= rows[i].max_wait, "row %zu: a change waited %u ms", i,
		       r.worst_wait);
	}
}

static void test_burst_end(void)
{
	/* A burst (a change every ms for 120 ms, e.g. 10,000 retained
	 * messages arriving) is drawn at its start and PACE_SETTLE_MS after
	 * its end: not at the next tick. */
	struct pace p;
	pace_init(&p, 0);
	struct run r = simulate(&p, 1000, 120, 1, 0);
	CHECK(r.frames == 1);   /* the first change */
	uint32_t end = 1000 + 119;
	checkf(pace_wait_ms(&p, end + 1, 300) == PACE_SETTLE_MS - 1, "wait after burst %d",
	       (int)pace_wait_ms(&p, end + 1, 300));
	CHECK(!pace_due(&p, end + PACE_SETTLE_MS - 1, 300));
	CHECK(pace_due(&p, end + PACE_SETTLE_MS, 300));

	/* A stream that stalls is no burst: 40 changes 7 ms apart, then
	 * 30 ms of nothing, waits for its hold (or the tick). */
	static const struct {
		uint32_t gap;
		bool burst;
	} rows[] = { { 1, true }, { 2, true }, { 3, false }, { 7, false } };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pace s;
		pace_init(&s, 0);
		pace_change(&s, 1995);
		pace_drawn(&s, 2000);
		uint32_t t = 2001;
		for (int k = 0; k < 40; k++, t += rows[i].gap)
			pace_change(&s, t);
		uint32_t last = t - rows[i].gap;
		checkf(pace_due(&s, last + PACE_SETTLE_MS, -1) == rows[i].burst,
		       "changes %u ms apart: due after a pause: %d", rows[i].gap,
		       pace_due(&s, last + PACE_SETTLE_MS, -1));
	}
}

static void test_planned_frame(void)
{
	/* A frame planned sooner than the pace's own reason takes the held
	 * changes, credit or not; one planned later does not delay them. */
	static const struct {
		int32_t planned;
		int32_t want;
	} rows[] = {
		{ -1, PACE_HOLD_MS - 10 },
		{ 0, 0 },
		{ 40, 40 },
		{ PACE_HOLD_MS - 10, PACE_HOLD_MS - 10 },
		{ PACE_HOLD_MS + 300, PACE_HOLD_MS - 10 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pace p;
		pace_init(&p, 0);
		/* a stream: each change 5 ms after the last; the last frame at 1000 */
		for (uint32_t t = 900; t <= 1000; t += 5)
			pace_change(&p, t);
		pace_drawn(&p, 1000);
		pace_change(&p, 1005);
		pace_change(&p, 1010);
		/* 10 ms into the hold, the stream still flowing (no settle) */
		pace_change(&p, 1010);
		checkf(pace_wait_ms(&p, 1010, rows[i].planned) == rows[i].want,
		       "planned %d: wait %d, want %d", (int)rows[i].planned,
		       (int)pace_wait_ms(&p, 1010, rows[i].planned), (int)rows[i].want);
	}
	/* with no credit left, a planned frame still takes them */
	struct pace p;
	pace_init(&p, 0);
	pace_change(&p, 990);
	pace_drawn(&p, 995);
	pace_drawn(&p, 1000);
	pace_change(&p, 1001);
	CHECK(pace_wait_ms(&p, 1002, 5) == 5);
}

static void test_ticks_spend_credit(void)
{
	/* Frames drawn for timers (twice a second with the flash) spend the
	 * credit too, and the stream rides on them: 2 frames a second. */
	struct pace p;
	pace_init(&p, 0);
	struct run r = simulate(&p, 1000, 10000, 10, 500);
	checkf(r.frames <= 10 * 2 + 1, "stream + ticks: %u frames in 10 s", r.frames);
	/* and after the stream, the first change is drawn at once again */
	pace_change(&p, 12000);
	CHECK(pace_due(&p, 12000, 250));
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
	test_isolated_needs_no_credit();
	test_quiet_spell_ends_hold();
	test_quiet_means_no_message();
	test_hold();
	test_stream();
	test_burst_end();
	test_planned_frame();
	test_ticks_spend_credit();
	test_histo();
	return check_summary();
}
