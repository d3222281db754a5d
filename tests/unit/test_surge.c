/* test_surge.c - surge detection with an injected clock: a burst alarms
 * within one window, a steady busy channel never does, a restart neither
 * hides a surge nor counts the same complaints twice. */
#include "surge.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define T0 INT64_C(1795425120) /* 2026-11-23T09:12:00Z, a whole minute */
#define HOUR 3600

static const struct surge_options defaults = { .factor = 4, .min_per_window = 10,
					       .learn_s = HOUR };
static unsigned serial;

/* A new complaint on channel ch opened at t, seen at t. */
static void arrive(struct surge *s, const char *ch, int64_t t, bool drill)
{
	char id[32];
	snprintf(id, sizeof id, "c%u", ++serial);
	surge_note(s, ch, id, t, drill, t);
}

static struct surge_view view(const struct surge *s, const char *ch)
{
	struct surge_view v = { 0 };
	for (size_t i = 0; i < surge_count(s); i++)
		if (surge_get(s, i, &v) && strcmp(v.channel, ch) == 0)
			return v;
	memset(&v, 0, sizeof v);
	return v;
}

/* every_s apart from *t until end, updating every 10 s; true if it ever
 * surged. */
static bool steady(struct surge *s, const char *ch, int64_t *t, int64_t end, int every_s)
{
	bool surged = false;
	for (int64_t next = *t; *t < end; *t += 10) {
		while (next <= *t) {
			arrive(s, ch, next, false);
			next += every_s;
		}
		surge_update(s, *t);
		surged |= view(s, ch).surging;
	}
	return surged;
}

static void test_steady_and_burst(void)
{
	struct surge *s = surge_create(&defaults);
	int64_t t = T0;
	/* 30 in 10 min all day long: busy, above min_per_window, never a surge */
	CHECK(!steady(s, "facebook", &t, T0 + 3 * HOUR, 20));
	struct surge_view v = view(s, "facebook");
	checkf(v.usual >= 28 && v.usual <= 32, "usual %" PRIu32 ", want about 30", v.usual);
	/* instagram: 4 in 10 min for two hours, then a burst of 23 in 5 min */
	int64_t ti = T0;
	CHECK(!steady(s, "instagram", &ti, T0 + 2 * HOUR, 150));
	v = view(s, "instagram");
	checkf(v.usual == 4, "instagram usual %" PRIu32 ", want 4", v.usual);
	int64_t burst = ti;
	bool alarmed = false;
	int64_t alarmed_at = 0;
	for (int i = 0; i < 23; i++) {
		arrive(s, "instagram", burst + i * 13, false);
		surge_update(s, burst + i * 13);
		if (!alarmed && view(s, "instagram").surging)
			alarmed = true, alarmed_at = burst + i * 13;
	}
	CHECK(alarmed);
	checkf(alarmed_at - burst < 600, "alarm %" PRId64 " s after the burst began",
	       alarmed_at - burst);
	v = view(s, "instagram");
	checkf(v.count >= 23 && v.count <= 27 && !v.drill, "count %" PRIu32, v.count);
	CHECK(!view(s, "facebook").surging);
	/* the next change is the next minute; then the window empties */
	CHECK(surge_next_change(s, burst + 300) == (burst + 300) / 60 * 60 + 60);
	surge_update(s, burst + 30 * 60);
	CHECK(!view(s, "instagram").surging);
	surge_destroy(s);
}

static void test_learning_and_filters(void)
{
	struct surge *s = surge_create(&defaults);
	/* a new board: no surge before the baseline learned for learn_s */
	for (int i = 0; i < 40; i++)
		arrive(s, "x", T0 + i, false);
	CHECK(!surge_update(s, T0 + 60));
	CHECK(!view(s, "x").surging && view(s, "x").count == 40);
	/* backlog (opened before the window) and repeats are not arrivals */
	surge_note(s, "y", "old", T0 - 11 * 60, false, T0);
	surge_note(s, "y", "twice", T0, false, T0);
	surge_note(s, "y", "twice", T0, false, T0 + 5);
	surge_update(s, T0 + 10);
	CHECK(view(s, "y").count == 1);
	/* factor 0: off */
	struct surge_options off = defaults;
	off.factor = 0;
	struct surge *o = surge_create(&off);
	arrive(o, "x", T0, false);
	CHECK(surge_count(o) == 0 && surge_next_change(o, T0) == 0);
	surge_destroy(o);
	surge_destroy(s);
}

static void test_drill(void)
{
	struct surge_options now_opt = defaults;
	now_opt.learn_s = 0;
	struct surge *s = surge_create(&now_opt);
	for (int i = 0; i < 15; i++)
		arrive(s, "x", T0 + i, true);
	surge_update(s, T0 + 20);
	struct surge_view v = view(s, "x");
	CHECK(v.surging && v.drill && v.count == 15);
	/* real complaints take it over: no longer a drill */
	for (int i = 0; i < 12; i++)
		arrive(s, "x", T0 + 30 + i, false);
	surge_update(s, T0 + 50);
	v = view(s, "x");
	CHECK(v.surging && !v.drill);
	/* drills never feed the baseline: 12 real complaints in 120 minutes
	 * are 1 per window (with the 15 drills it would be 2) */
	surge_update(s, T0 + 2 * HOUR);
	CHECK(view(s, "x").usual == 1);
	surge_destroy(s);
}

/* Hysteresis: starts above the threshold, stops at 3/4 of it. */
static void test_no_flapping(void)
{
	struct surge_options o = defaults;
	o.learn_s = 0;
	struct surge *s = surge_create(&o);
	for (int i = 0; i < 11; i++)
		arrive(s, "x", T0 + 60 * (i % 9), false); /* minutes 0..8 */
	surge_update(s, T0 + 9 * 60);
	CHECK(view(s, "x").surging);
	/* minute 0 leaves the window: 9 remain, above 7.5: still surging */
	surge_update(s, T0 + 10 * 60);
	CHECK(view(s, "x").count == 9 && view(s, "x").surging);
	surge_update(s, T0 + 12 * 60); /* 6 left */
	CHECK(!view(s, "x").surging);
	surge_destroy(s);
}

static void test_restart(void)
{
	char path[] = "/tmp/test_surge.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct surge_options o = defaults;
	struct surge *s = surge_create(&o);
	int64_t t = T0;
	CHECK(!steady(s, "x", &t, T0 + 2 * HOUR, 150)); /* learns 4 per window */
	int64_t b = t;
	for (int i = 0; i < 20; i++)
		surge_note(s, "x", (char[]){ 'b', (char)('a' + i), 0 }, b + i, false, b + i);
	surge_update(s, b + 30);
	CHECK(view(s, "x").surging);
	CHECK(surge_dirty(s));
	CHECK(surge_save(s, path, b + 30));
	CHECK(!surge_dirty(s));
	surge_destroy(s);

	/* back 40 s later: the surge is still there; the retained replay
	 * of the same complaints counts nothing twice */
	s = surge_create(&o);
	CHECK(surge_load(s, path, b + 70));
	for (int i = 0; i < 20; i++)
		surge_note(s, "x", (char[]){ 'b', (char)('a' + i), 0 }, b + i, false, b + 70);
	surge_update(s, b + 70);
	struct surge_view v = view(s, "x");
	checkf(v.surging && v.count >= 20 && v.count <= 24 && v.usual == 4,
	       "after restart: surging %d count %" PRIu32 " usual %" PRIu32, v.surging,
	       v.count, v.usual);
	surge_destroy(s);

	/* back after three hours off: the baseline is kept (not taken as
	 * three quiet hours), the window is empty */
	s = surge_create(&o);
	CHECK(surge_load(s, path, b + 3 * HOUR));
	surge_update(s, b + 3 * HOUR);
	v = view(s, "x");
	CHECK(!v.surging && v.count == 0 && v.usual == 4);
	surge_destroy(s);

	/* a damaged file: bad lines skipped, a wrong header refused */
	FILE *f = fopen(path, "w");
	fprintf(f, "wallboard-surge 1\nchannel x nonsense\nminute x 5\nchannel y 0.5 100 %" PRId64
		"\n", b / 60 - 10);
	fclose(f);
	s = surge_create(&o);
	CHECK(surge_load(s, path, b));
	surge_update(s, b);
	CHECK(surge_count(s) == 1 && view(s, "y").usual == 5);
	surge_destroy(s);
	f = fopen(path, "w");
	fprintf(f, "something else\n");
	fclose(f);
	s = surge_create(&o);
	CHECK(!surge_load(s, path, b) && surge_count(s) == 0);
	surge_destroy(s);
	unlink(path);
	s = surge_create(&o);
	CHECK(surge_load(s, path, b)); /* missing: an empty start */
	surge_destroy(s);
	surge_destroy(NULL);
}

int main(void)
{
	test_steady_and_burst();
	test_learning_and_filters();
	test_drill();
	test_no_flapping();
	test_restart();
	return check_summary();
}
