/* test_limits.c - the model's memory is bounded: at most max_complaints
 * complaints (new ids beyond are refused and counted, what is held keeps
 * working), timers without complaints bounded too, attainment records
 * dated in the future pruned like old ones, and answered-and-resolved
 * complaints hold no entry however many a day answers. */
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

/* One kind of answered complaint, churned: opened, answered, resolved
 * (complaint and timer removed) while WINDOW others stay open. */
struct churn_case {
	const char *name;
	int64_t responded_at;           /* 0: never answered */
	bool drill;
	bool timer_first;               /* the timer comes before the complaint */
	bool complaint_removed_first;
	bool counted, on_time;          /* in today's attainment */
};

enum { CHURN_CYCLES = 100000, CHURN_WINDOW = 100 };

static const struct churn_case churn_cases[] = {
	{ "on time, timer removed last", NOW - 30, false, false, true, true, true },
	{ "late, complaint removed last", NOW + 700, false, false, false, true, false },
	{ "timer first", NOW - 30, false, true, true, true, true },
	{ "answered yesterday", DAY - 3600, false, false, true, false, false },
	{ "answered a week ahead", DAY + 7 * 86400, false, true, false, false, false },
	{ "a drill", NOW - 30, true, false, true, false, false },
	{ "never answered", 0, false, false, true, false, false },
};

static void churn_open(struct model *m, const struct churn_case *c, const char *id)
{
	char err[128];
	if (c->timer_first)
		CHECK(timer(m, id, c->responded_at));
	fixture_complaint(&msg, id, "web", "c", "t", NOW - 60, PRIORITY_NORMAL, STATUS_OPEN);
	msg.u.complaint.drill = c->drill;
	CHECK(model_apply(m, &msg, err, sizeof err));
	if (!c->timer_first)
		CHECK(timer(m, id, c->responded_at));
}

static void churn_resolve(struct model *m, const struct churn_case *c, const char *id)
{
	enum msg_kind first = c->complaint_removed_first ? MSG_COMPLAINT_REMOVE : MSG_SLA_REMOVE;
	enum msg_kind second = first == MSG_SLA_REMOVE ? MSG_COMPLAINT_REMOVE : MSG_SLA_REMOVE;
	CHECK(removal(m, first, id));
	CHECK(removal(m, second, id));
}

/* 100,000 cycles each: the ids held never exceed the open window (an
 * answered complaint that is gone leaves only a count), every response
 * is still counted once, and the cap on timers without complaints (2 x
 * max ids) is never reached by responses already gone. */
static void test_answered_churn(void)
{
	for (size_t k = 0; k < sizeof churn_cases / sizeof churn_cases[0]; k++) {
		const struct churn_case *c = &churn_cases[k];
		struct model *m = model_init(NULL, 0);
		model_set_max_complaints(m, 1000);
		char id[32];
		size_t most = 0;
		for (int i = 0; i < CHURN_CYCLES; i++) {
			snprintf(id, sizeof id, "a%d", i);
			churn_open(m, c, id);
			if (model_entry_count(m) > most)
				most = model_entry_count(m);
			if (i >= CHURN_WINDOW) {
				snprintf(id, sizeof id, "a%d", i - CHURN_WINDOW);
				churn_resolve(m, c, id);
			}
			if (i % 1000 == 999)
				model_prune_day(m, DAY); /* the board prunes every 0.5 s */
		}
		model_prune_day(m, DAY);
		struct attainment a;
		model_attainment(m, DAY, &a);
		uint32_t want = c->counted ? CHURN_CYCLES : 0;
		if (most != CHURN_WINDOW + 1 || model_entry_count(m) != CHURN_WINDOW ||
		    a.answered != want || a.on_time != (c->on_time ? want : 0))
			fprintf(stderr, "churn \"%s\": most %zu ids held, %zu at the end, "
				"answered %u, on time %u\n", c->name, most,
				model_entry_count(m), a.answered, a.on_time);
		CHECK(most == CHURN_WINDOW + 1);
		CHECK(model_entry_count(m) == CHURN_WINDOW);
		CHECK(a.answered == want);
		CHECK(a.on_time == (c->on_time ? want : 0));
		CHECK(model_over_capacity(m) == 0);
		model_destroy(m);
	}
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_complaint_cap();
	test_timer_cap();
	test_future_records();
	test_answered_churn();
	return check_summary();
}
