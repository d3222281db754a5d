/* test_limits.c - the model's memory is bounded: at most max_complaints
 * complaints (new ids beyond are refused and counted, what is held keeps
 * working), timers without complaints bounded too, attainment records
 * dated in the future pruned like old ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "model.h"

#include "check.h"
#include "fixture.h"

#define DAY INT64_C(1795392000)  /* a local midnight stand-in */
#define NOW (DAY + 36000)

static struct msg msg;

static bool complaint(struct model *m, const char *id)
{
	char err[128];
	return model_apply(m, fixture_complaint(&msg, id, "web", "c", "t", NOW - 60,
						PRIORITY_NORMAL, STATUS_OPEN), err, sizeof err);
}

static bool timer(struct model *m, const char *id, int64_t responded_at)
{
	char err[128];
	return model_apply(m, fixture_sla(&msg, id, 60, NOW + 600, false, responded_at), err,
			   sizeof err);
}

static bool removal(struct model *m, enum msg_kind kind, const char *id)
{
	char err[128];
	return model_apply(m, fixture_msg(&msg, kind, id), err, sizeof err);
}

static void test_complaint_cap(void)
{
	struct model *m = model_init(NULL, 0);
	model_set_max_complaints(m, 100);
	char id[32];
	size_t taken = 0;
	for (int i = 0; i < 150; i++) {
		snprintf(id, sizeof id, "c%d", i);
		taken += complaint(m, id);
	}
	CHECK(taken == 100 && model_complaint_count(m) == 100);
	CHECK(model_over_capacity(m) == 50 && model_is_over_capacity(m));
	CHECK(model_find(m, "c99") && !model_find(m, "c100"));
	/* What is held keeps working: updates and removals. */
	CHECK(complaint(m, "c5"));
	CHECK(removal(m, MSG_COMPLAINT_REMOVE, "c6") && model_complaint_count(m) == 99);
	CHECK(complaint(m, "c120") && model_complaint_count(m) == 100); /* room again */
	CHECK(!complaint(m, "c121") && model_over_capacity(m) == 51);
	/* A resync in which everything fits clears the flag. */
	model_resync_begin(m);
	CHECK(!model_is_over_capacity(m));
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "c%d", i == 6 ? 120 : i);
		complaint(m, id);
	}
	model_resync_end(m);
	CHECK(!model_is_over_capacity(m) && model_complaint_count(m) == 100);
	model_destroy(m);
}

static void test_timer_cap(void)
{
	struct model *m = model_init(NULL, 0);
	model_set_max_complaints(m, 100);
	char id[32];
	size_t taken = 0;
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "t%d", i);
		taken += timer(m, id, 0);
	}
	CHECK(taken == 200); /* timers ahead of their complaints: 2 x max ids */
	CHECK(model_over_capacity(m) == 100);
	CHECK(timer(m, "t0", 0)); /* an update of a held one is fine */
	model_destroy(m);
}

/* 10,000 add/remove cycles with responded_at in the future: the records
 * would never reach a day's window; pruning drops them anyway. */
static void test_future_records(void)
{
	struct model *m = model_init(NULL, 0);
	model_set_max_complaints(m, 1000);
	struct attainment a;
	char id[32];
	int64_t future = DAY + 5 * 86400;
	for (int i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "f%d", i);
		timer(m, id, future);
		removal(m, MSG_SLA_REMOVE, id);
		if (i % 500 == 499)
			model_prune_day(m, DAY); /* the board prunes every 0.5 s */
	}
	model_attainment(m, DAY + 5 * 86400 - 36000, &a);
	CHECK(a.answered == 0);
	/* ... and they took no room: new timers are still taken. */
	CHECK(timer(m, "after", 0));
	/* Tomorrow's records are kept (a clock a little ahead is no typo). */
	timer(m, "soon", DAY + 86400 + 60);
	model_prune_day(m, DAY);
	model_attainment(m, DAY + 86400, &a);
	CHECK(a.answered == 1);
	model_destroy(m);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_complaint_cap();
	test_timer_cap();
	test_future_records();
	return check_summary();
}
