/* test_producers.c - producer heartbeats (producers.c) and the
 * completeness verdict (completeness.c), both with an injected clock.
 *
 * Producers go through the real decoder, so the rows are what a producer
 * publishes. Completeness is table-driven: each row is a sequence of
 * (time, held, announced, after a replay?) steps and the state expected
 * after each. */
#include "completeness.h"
#include "decode.h"
#include "producers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define T0 1795425120 /* 2026-11-23T09:12:00Z */

static void feed(struct producers *p, const char *name, const char *payload, int64_t now)
{
	char topic[128], err[160];
	static struct msg m;
	snprintf(topic, sizeof topic, "wallboard/producers/%s/status", name);
	bool ok = decode_message("wallboard", topic, payload, strlen(payload), &m, err,
				 sizeof err);
	checkf(ok, "decode %s: %s", payload, err);
	if (ok)
		checkf(producers_apply(p, &m, now, err, sizeof err), "apply %s", payload);
}

static struct producer_view view(const struct producers *p, const char *name, int64_t now)
{
	struct producer_view v = { 0 };
	for (size_t i = 0; i < producers_count(p); i++)
		if (producers_get(p, i, now, &v) && strcmp(v.name, name) == 0)
			return v;
	checkf(false, "producer %s not found", name);
	return (struct producer_view){ .name = "" };
}

static void test_heartbeat(void)
{
	struct producers *p = producers_create();
	feed(p, "crm", "{\"online\":true,\"interval_s\":10,\"at\":\"2026-11-23T09:12:00Z\","
		       "\"open\":1000,\"sla\":990}", T0);
	CHECK(producers_count(p) == 1);
	CHECK(producers_silent(p, T0, NULL) == 0);
	CHECK(producers_silent(p, T0 + 20, NULL) == 0);     /* two intervals: still fine */
	CHECK(producers_silent(p, T0 + 21, NULL) == 1);     /* missed two */
	CHECK(producers_next_deadline(p, T0) == T0 + 21);
	struct producer_view v = view(p, "crm", T0 + 21);
	CHECK(v.silent && v.online && v.since == T0);
	feed(p, "crm", "{\"online\":true,\"interval_s\":10,\"open\":1001,\"sla\":991}", T0 + 25);
	CHECK(producers_silent(p, T0 + 25, NULL) == 0);     /* back */
	struct producers_announced a;
	producers_announced(p, &a);
	CHECK(a.open == 1001 && a.sla == 991);

	/* a second producer adds up; one without counts adds nothing */
	feed(p, "shop", "{\"online\":true,\"open\":5}", T0 + 25);
	feed(p, "chat", "{\"online\":true}", T0 + 25);
	producers_announced(p, &a);
	CHECK(a.open == 1006 && a.sla == 991);
	CHECK(view(p, "shop", T0 + 25).interval_s == PRODUCER_INTERVAL_DEFAULT);

	/* the last will: offline at once, since we last heard it online */
	feed(p, "crm", "{\"online\":false}", T0 + 30);
	size_t first = 99;
	CHECK(producers_silent(p, T0 + 30, &first) == 1);
	v = view(p, "crm", T0 + 30);
	CHECK(!v.online && v.silent && v.since == T0 + 25 && v.open == -1);
	CHECK(first < producers_count(p) && v.name == view(p, "crm", T0).name);
	producers_announced(p, &a);
	CHECK(a.open == 5 && a.sla == -1);                  /* its counts are gone */

	/* a clean exit says when, and may keep its counts */
	feed(p, "shop", "{\"online\":false,\"at\":1795425000,\"open\":5}", T0 + 31);
	v = view(p, "shop", T0 + 31);
	CHECK(v.silent && v.since == 1795425000 && v.open == 5);
	CHECK(producers_silent(p, T0 + 31, &first) == 2);
	CHECK(strcmp(view(p, "shop", T0).name, "shop") == 0);

	/* cleared retained status: forgotten */
	feed(p, "shop", "", T0 + 32);
	CHECK(producers_count(p) == 2);
	producers_destroy(p);
	producers_destroy(NULL);
}

static void test_offline_in_replay(void)
{
	struct producers *p = producers_create();
	/* a will found in the retained replay: we do not know since when */
	feed(p, "crm", "{\"online\":false}", T0);
	struct producer_view v = view(p, "crm", T0);
	CHECK(v.silent && v.since == 0);
	CHECK(producers_next_deadline(p, T0) == 0);
	/* its retained status cleared while we were away */
	producers_resync_begin(p);
	feed(p, "other", "{\"online\":true}", T0 + 1);
	producers_resync_end(p);
	CHECK(producers_count(p) == 1 && strcmp(view(p, "other", T0).name, "other") == 0);
	producers_destroy(p);
}

static void test_table_full(void)
{
	struct producers *p = producers_create();
	char name[16], err[160] = "";
	static struct msg m;
	for (int i = 0; i <= PRODUCERS_MAX; i++) {
		snprintf(name, sizeof name, "p%d", i);
		char topic[64];
		snprintf(topic, sizeof topic, "wallboard/producers/%s/status", name);
		CHECK(decode_message("wallboard", topic, "{\"online\":true}", 15, &m, err,
				     sizeof err));
		bool ok = producers_apply(p, &m, T0, err, sizeof err);
		CHECK(ok == (i < PRODUCERS_MAX));
	}
	CHECK(strstr(err, "more than") != NULL);
	CHECK(producers_count(p) == PRODUCERS_MAX);
	producers_destroy(p);
}

/* ---- completeness ---- */

enum { U = COMPLETENESS_UNCHECKED, C = COMPLETENESS_COMPLETE, I = COMPLETENESS_INCOMPLETE };

struct step {
	int64_t t;                /* seconds after T0 */
	int64_t held, announced;  /* complaints; timers announce nothing */
	bool replay;
	int expect;
};

struct crow {
	const char *name;
	struct step steps[8];
};

#define END { -1, 0, 0, false, 0 }

static const struct crow crows[] = {
	{ "nothing announced: unchecked", {
		{ 0, 100, -1, true, U }, { 5, 0, -1, false, U }, END } },
	{ "the issue's case: 24,118 of 100,000 after a replay", {
		{ 0, 24118, 100000, true, I }, { 1, 24118, 100000, false, I }, END } },
	{ "10,000 whole", { { 0, 10000, 10000, true, C }, END } },
	{ "small site, 3 in flight", { { 0, 37, 40, true, C }, END } },
	{ "2.5 % short after a replay is in the gap: complete", {
		{ 0, 97500, 100000, true, C }, END } },
	{ "3.5 % short after a replay: incomplete", {
		{ 0, 96500, 100000, true, I }, END } },
	{ "more held than announced: complete", { { 0, 1200, 1000, true, C }, END } },
	{ "between replays a shortfall must last the settle time", {
		{ 0, 1000, 1000, true, C }, { 1, 1000, 1500, false, C },
		{ 1 + COMPLETENESS_SETTLE_S - 1, 1000, 1500, false, C },
		{ 1 + COMPLETENESS_SETTLE_S, 1000, 1500, false, I }, END } },
	{ "a shortfall that resolves in time never shows", {
		{ 0, 1000, 1000, true, C }, { 1, 1000, 1500, false, C },
		{ 5, 1500, 1500, false, C }, { 9, 1000, 1500, false, C },
		{ 9 + COMPLETENESS_SETTLE_S - 1, 1000, 1500, false, C }, END } },
	{ "hysteresis: 2.5 % short keeps incomplete, 1.5 % ends it", {
		{ 0, 50000, 100000, true, I }, { 10, 97500, 100000, true, I },
		{ 20, 98500, 100000, false, C }, END } },
	{ "drift of 1-2.9 % never enters", {
		{ 0, 100000, 100000, true, C }, { 1, 99000, 100000, false, C },
		{ 2, 97100, 100000, false, C }, { 30, 97100, 100000, false, C },
		{ 31, 98000, 100000, true, C }, END } },
	{ "producer stops announcing: unchecked", {
		{ 0, 100, 1000, true, I }, { 1, 100, -1, false, U }, END } },
};

static void test_completeness_table(void)
{
	for (size_t r = 0; r < sizeof crows / sizeof crows[0]; r++) {
		struct completeness c;
		completeness_init(&c);
		for (const struct step *s = crows[r].steps; s->t >= 0; s++) {
			struct completeness_counts n = { s->held, s->announced, 0, -1 };
			completeness_update(&c, &n, s->replay, T0 + s->t);
			checkf((int)c.state == s->expect, "%s: at +%llds state %d, expected %d",
			       crows[r].name, (long long)s->t, (int)c.state, s->expect);
		}
	}
}

static void test_timers_alone(void)
{
	struct completeness c;
	completeness_init(&c);
	struct completeness_counts n = { 1000, 1000, 400, 1000 };
	CHECK(completeness_update(&c, &n, true, T0));
	CHECK(c.state == COMPLETENESS_INCOMPLETE);
	CHECK(c.last.held_sla == 400 && c.last.announced_sla == 1000);
}

static void test_retry_backoff(void)
{
	struct completeness c;
	completeness_init(&c);
	struct completeness_counts n = { 100, 1000, 0, -1 };
	completeness_update(&c, &n, true, T0);
	int64_t t = T0, waits[8];
	CHECK(!completeness_retry_due(&c, T0 + COMPLETENESS_RETRY_FIRST_S - 1));
	for (int i = 0; i < 8; i++) {
		int64_t next = completeness_next_deadline(&c);
		waits[i] = next - t;
		CHECK(!completeness_retry_due(&c, next - 1));
		CHECK(completeness_retry_due(&c, next));
		t = next;
	}
	CHECK(waits[0] == COMPLETENESS_RETRY_FIRST_S);
	for (int i = 1; i < 8; i++)
		checkf(waits[i] == (waits[i - 1] * 2 > COMPLETENESS_RETRY_MAX_S ?
				    COMPLETENESS_RETRY_MAX_S : waits[i - 1] * 2),
		       "retry wait %d: %lld after %lld", i, (long long)waits[i],
		       (long long)waits[i - 1]);
	CHECK(waits[7] == COMPLETENESS_RETRY_MAX_S);
	CHECK(c.retries == 8);
	/* complete: no more retries, and the schedule starts over next time */
	n.held_open = 1000;
	completeness_update(&c, &n, true, t);
	CHECK(c.state == COMPLETENESS_COMPLETE && !completeness_retry_due(&c, t + 1000));
	CHECK(completeness_next_deadline(&c) == 0);
	n.held_open = 10;
	completeness_update(&c, &n, true, t);
	CHECK(completeness_next_deadline(&c) == t + COMPLETENESS_RETRY_FIRST_S);
}

int main(void)
{
	test_heartbeat();
	test_offline_in_replay();
	test_table_full();
	test_completeness_table();
	test_timers_alone();
	test_retry_backoff();
	return check_summary();
}
