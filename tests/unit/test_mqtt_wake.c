/* test_mqtt_wake.c - when the MQTT queue wakes its owner (mqtt_wakes):
 * a held owner (mqtt_hold) sleeps through a stream's messages, never
 * through a message after a quiet spell, control events, a pile-up or a
 * retained replay; that only the replay's end wakes it again before it
 * has emptied the queue (mqtt_wakes_again); when holding again wakes it
 * (mqtt_hold_wakes); when a held batch's messages are said to have
 * arrived (mqtt_batch_stamp);
 * and, on a made-up clock, the held reader (mqtt_reader_*): a stream's
 * end, a burst's above all, wakes the owner when the stream stops, not
 * at the frame it holds for, while a steady stream costs the reader a
 * few passes a second and the owner none. */
#include "check.h"
#include "mqtt.h"
#include "pace.h"

#include <stdint.h>
#include <stdio.h>

#define NO_GAP INT64_MAX /* a hold without the quiet rule (gap 0) */

/* Queued at 5050 unless the row says when (now). */
static const struct {
	const char *what;
	bool message, synced;
	size_t queued;
	int64_t hold_until, quiet_at, rx_ms, now;
	bool wakes;
} rows[] = {
	{ "not held", true, true, 1, 0, NO_GAP, 5000, 5050, true },
	{ "held: a stream's message", true, true, 1, 5100, 5200, 5000, 5050, false },
	{ "held: no gap rule", true, true, 1, 5100, NO_GAP, 5000, 5050, false },
	{ "held: the 1023rd queued", true, true, MQTT_HOLD_EVENTS - 1, 5100, 5200, 5000, 5050, false },
	{ "held: a pile-up", true, true, MQTT_HOLD_EVENTS, 5100, 5200, 5000, 5050, true },
	{ "held: came and queued at the hold's end", true, true, 1, 5100, 5200, 5100, 5100, true },
	{ "held: came after it", true, true, 1, 5100, 5200, 5150, 5150, true },
	{ "held: came before the hold's end, queued 1 ms before it", true, true, 1, 5100, 5200,
	  5000, 5099, false },
	/* the owner looked at 5100 and may hold again without it */
	{ "held: came before the hold's end, queued at it", true, true, 1, 5100, 5200, 5000,
	  5100, true },
	{ "held: came before the hold's end, queued 20 ms after", true, true, 1, 5100, 5200, 5090,
	  5120, true },
	{ "held: came after a quiet spell", true, true, 1, 5100, 4900, 5000, 5050, true },
	{ "held: came at the quiet point", true, true, 1, 5100, 5000, 5000, 5050, true },
	{ "held: just before the quiet point", true, true, 1, 5100, 5001, 5000, 5050, false },
	{ "held: during a replay", true, false, 1, 5100, 5200, 5000, 5050, true },
	{ "held: a control event", false, true, 1, 5100, 5200, 5000, 5050, true },
	{ "held: a control event in a replay", false, false, 1, 5100, 5200, 5000, 5050, true },
};

/* An event queued after the owner was woken (and before it emptied the
 * queue): only the replay's end wakes it again, so the full wall is not
 * held for the replay's next batch (drain.c). */
static const struct {
	const char *what;
	enum mqtt_event_kind kind;
	bool wakes;
} agains[] = {
	{ "the replay's end", MQTT_EV_SYNCED, true },
	{ "a message", MQTT_EV_MESSAGE, false },
	{ "a connect", MQTT_EV_CONNECTED, false },
	{ "a disconnect", MQTT_EV_DISCONNECTED, false },
	{ "a confirmed publish", MQTT_EV_PUBLISHED, false },
	{ "a resync", MQTT_EV_RESYNC, false },
};

/* mqtt_hold() until until at now, the hold before it until held_until,
 * with messages queued that the owner was not woken for (unseen) or
 * none. */
static const struct {
	const char *what;
	int64_t held_until, until, now;
	bool unseen, wakes;
} holds[] = {
	{ "held on, the old end ahead: a stream's wait for the frame", 5200, 5600, 5120, true,
	  false },
	{ "sooner, still ahead: the owner looks then", 5200, 5150, 5120, true, false },
	{ "the hold ends", 5200, 0, 5120, true, true },
	{ "the new hold is over at once", 5200, 5120, 5120, true, true },
	/* the owner looked early, was busy past 5100 and holds again */
	{ "the old end passed: held again for the next frame", 5100, 5600, 5120, true, true },
	{ "the old end is now: held again", 5120, 5600, 5120, true, true },
	{ "the old end passed, nothing unseen", 5100, 5600, 5120, false, false },
	{ "the hold ends, nothing unseen", 5200, 0, 5120, false, false },
	{ "not held before (all woke)", 0, 5600, 5120, false, false },
};

/* A batch read at 5250 that came after the socket was read empty at
 * 5000, its last byte at 5240: the last is stamped at 5240 (not when it
 * was read, nor at the hold's end), the others spread evenly back
 * towards 5000, never before it. */
static const struct {
	const char *what;
	int64_t drained, last;
	size_t i, n;
	int64_t want;
} stamps[] = {
	{ "one message: its arrival", 5000, 5240, 0, 1, 5240 },
	{ "the last of four", 5000, 5240, 3, 4, 5240 },
	{ "the first of four", 5000, 5240, 0, 4, 5060 },
	{ "the second of four", 5000, 5240, 1, 4, 5120 },
	{ "the first of 240", 5000, 5240, 0, 240, 5001 },
	{ "drained unknown: all at the last", 0, 5240, 0, 4, 5240 },
	{ "drained after the last byte (clock ticks)", 5245, 5240, 0, 4, 5240 },
	{ "out of range: the last", 5000, 5240, 4, 4, 5240 },
	{ "an empty batch", 5000, 5240, 0, 0, 5240 },
};


/* ---- the held reader on a made-up clock ------------------------------- */

static const struct mqtt_pace board_pace = { PACE_GAP_MS, PACE_SETTLE_MS, PACE_BURST_GAP_MS };

#define MSG_BYTES 100              /* the socket's mark: 327 of them */
#define MAX_ARRIVALS 8000

/* The network thread's held passes as loop_once() runs them, against a
 * list of arrival times: each pass ends at mqtt_reader_pass_end() or
 * when the socket's mark is reached (MQTT_HOLD_BYTES; one byte once the
 * stream may have gone quiet), reads all that came, queues it with
 * mqtt_wakes() as batch_flush() does and asks mqtt_reader_pass(). The
 * owner takes the queue when woken and by itself at its frames, every
 * frame_ms (the hold is till the next). */
struct sim {
	int64_t arr[MAX_ARRIVALS];
	size_t n_arr;
	int64_t frame_ms;
	struct mqtt_reader r;
	int64_t now, drained, until;
	size_t read, queued;       /* read so far; in the queue */
	bool woken;
	unsigned passes, wakes;    /* the reader's passes; the owner's wake-ups */
	int64_t woke_at;           /* the last wake-up */
	size_t taken_at_wake;      /* messages the owner had then */
	size_t taken;
};

static void sim_arrive(struct sim *s, int64_t from, size_t n, int64_t every_ms_x10)
{
	for (size_t i = 0; i < n && s->n_arr < MAX_ARRIVALS; i++)
		s->arr[s->n_arr++] = from + (int64_t)i * every_ms_x10 / 10;
}

static void sim_owner_takes(struct sim *s, bool woken)
{
	s->taken += s->queued;
	s->queued = 0;
	s->woken = false;
	if (woken) {
		s->wakes++;
		s->woke_at = s->now;
		s->taken_at_wake = s->taken;
	}
}

/* When the socket's mark is reached in (start, end], or end. */
static int64_t sim_mark_at(const struct sim *s, int64_t end, size_t mark)
{
	size_t k = s->read;
	while (k < s->n_arr && s->arr[k] <= s->now)
		k++;
	for (size_t waiting = k - s->read; k < s->n_arr && s->arr[k] <= end; k++)
		if (++waiting >= mark)
			return s->arr[k];
	return end;
}

static void sim_pass(struct sim *s)
{
	int64_t end = mqtt_reader_pass_end(&s->r, &board_pace, s->now, s->until);
	bool quiet = s->now >= mqtt_reader_quiet_at(&s->r, &board_pace);
	size_t mark = quiet ? 1 : MQTT_HOLD_BYTES / MSG_BYTES;
	int64_t t = sim_mark_at(s, end, mark);
	if (t >= s->until) { /* the owner looks meanwhile: its frame */
		s->now = s->until;
		sim_owner_takes(s, false);
		s->until += s->frame_ms;
	}
	s->now = t;
	s->passes++;
	size_t n = 0;
	while (s->read < s->n_arr && s->arr[s->read] <= t) {
		s->read++;
		n++;
	}
	if (n) {
		int64_t last = s->arr[s->read - 1];
		int64_t quiet_at = quiet ? INT64_MIN
				   : n == 1 ? mqtt_reader_quiet_at(&s->r, &board_pace) : INT64_MAX;
		s->r.last_ms = last;
		s->queued += n;
		if (!s->woken && mqtt_wakes(true, true, s->queued, s->until, quiet_at, last, t))
			s->woken = true;
	}
	bool unseen = s->queued && !s->woken;
	int64_t span = n ? s->r.last_ms - s->drained : 0;
	if (mqtt_reader_pass(&s->r, &board_pace, t, n, span, quiet, unseen))
		s->woken = true;
	s->drained = t;
	if (s->woken)
		sim_owner_takes(s, true);
}

static void sim_run_on(struct sim *s, int64_t till)
{
	while (s->now < till)
		sim_pass(s);
}

static void sim_run(struct sim *s, int64_t start, int64_t till)
{
	s->now = s->drained = start;
	s->until = start + s->frame_ms;
	sim_run_on(s, till);
}

/* A burst after a quiet spell, while the owner holds for its next frame
 * FRAME_MS away: the owner has all of it PACE_SETTLE_MS after its last
 * message (the pace draws it then), not at that frame. Held from frame
 * to frame with no such wake-up, it had it only at the frame. */
static void test_burst_end(void)
{
	static const struct {
		const char *what;
		size_t n;
		int64_t every_x10;        /* tenths of a ms between messages */
	} bursts[] = {
		{ "20,000 at 20 a ms (the benchmark's)", 20000 > MAX_ARRIVALS ? MAX_ARRIVALS : 20000, 1 },
		{ "1,000 at 5 a ms", 1000, 2 },
		{ "200 at 1 a ms (under the socket's mark)", 200, 10 },
		{ "40 at one every 2 ms (the pace's slowest burst)", 40, 20 },
	};
	for (size_t i = 0; i < sizeof bursts / sizeof bursts[0]; i++) {
		static struct sim s;
		s = (struct sim){ .frame_ms = 900 };
		sim_arrive(&s, 100000, bursts[i].n, bursts[i].every_x10);
		int64_t last = s.arr[s.n_arr - 1];
		sim_run(&s, 99000 + 500, last + 800);
		checkf(s.taken_at_wake == s.n_arr && s.woke_at == last + PACE_SETTLE_MS,
		       "%s: the owner had %zu of %zu at %+lld ms after the last (wanted all at "
		       "+%d, its frame at %+lld)", bursts[i].what, s.taken_at_wake, s.n_arr,
		       (long long)(s.woke_at - last), PACE_SETTLE_MS,
		       (long long)(99500 + 900 * ((last - 99500) / 900 + 1) - last));
	}
}

/* A steady stream at 100 msg/s: the owner is woken for its first
 * message (after a quiet spell) and by its stop (PACE_GAP_MS after the
 * last, its frames 500 ms apart taking the rest; no burst: not at
 * PACE_SETTLE_MS); in between by nothing, and the reader passes a few
 * times a second (about 4: each frame's batch and a look at the gap;
 * a look every 30 ms would be 33). */
static void test_steady_stream(void)
{
	static struct sim s;
	s = (struct sim){ .frame_ms = 500 };
	sim_arrive(&s, 100000, 1000, 100);   /* 10 s, the last at 109990 */
	int64_t last = s.arr[s.n_arr - 1];
	sim_run(&s, 99000, 100100);          /* past its first message */
	checkf(s.wakes == 1, "the stream's first message: %u wake-ups, want 1", s.wakes);
	unsigned passes = s.passes;
	/* frames at 99000 + k * 500: the last before 109990 at 109500 */
	sim_run_on(&s, last - 20);
	checkf(s.wakes == 1, "the stream's 10 s: %u wake-ups, want 1", s.wakes);
	double per_s = (s.passes - passes) / ((last - 20 - 100100) / 1000.0);
	checkf(per_s <= 6, "the reader passed %.1f times a second, want at most 6", per_s);
	s.frame_ms = 100000;                 /* its next frame far off */
	s.until = s.now + 1000;
	sim_run_on(&s, last + 700);
	checkf(s.wakes == 2 && s.woke_at == last + PACE_GAP_MS && s.taken_at_wake == s.n_arr,
	       "its stop: %u wake-ups, the last at %+lld ms, %zu of %zu taken (want 2, +%d, all)",
	       s.wakes, (long long)(s.woke_at - last), s.taken_at_wake, s.n_arr, PACE_GAP_MS);
}

int main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		checkf(mqtt_wakes(rows[i].message, rows[i].synced, rows[i].queued,
				  rows[i].hold_until, rows[i].quiet_at, rows[i].rx_ms, rows[i].now) ==
			       rows[i].wakes,
		       "%s: wakes %d, want %d", rows[i].what, !rows[i].wakes, rows[i].wakes);
	for (size_t i = 0; i < sizeof agains / sizeof agains[0]; i++)
		checkf(mqtt_wakes_again(agains[i].kind) == agains[i].wakes,
		       "woken again: %s: wakes %d, want %d", agains[i].what, !agains[i].wakes,
		       agains[i].wakes);
	for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++)
		checkf(mqtt_hold_wakes(holds[i].held_until, holds[i].until, holds[i].now,
				       holds[i].unseen) == holds[i].wakes,
		       "hold: %s: wakes %d, want %d", holds[i].what, !holds[i].wakes,
		       holds[i].wakes);
	for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
		int64_t got = mqtt_batch_stamp(stamps[i].drained, stamps[i].last, stamps[i].i,
					       stamps[i].n);
		checkf(got == stamps[i].want, "%s: stamped %lld, want %lld", stamps[i].what,
		       (long long)got, (long long)stamps[i].want);
	}
	test_burst_end();
	test_steady_stream();
	return check_summary();
}
