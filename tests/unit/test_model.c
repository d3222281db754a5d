/* test_model.c - the model and its ordered index, with an injected clock.
 *
 * Hand-written cases check each definition of model.h; the randomized
 * test then applies thousands of random messages and, after every batch,
 * compares every aggregate with a brute-force recomputation over a
 * shadow copy, which is what proves the incremental bookkeeping. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "model.h"
#include "check.h"
#include "util.h"
#include "fixture.h"

#define DAY 86400

/* xorshift64*: a fixed seed makes every failure reproducible. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static int64_t rnd_below(int64_t n)
{
	return (int64_t)(util_xorshift64(&rng_state) % (uint64_t)n);
}

/* ---- message builders ---- */

static struct msg complaint_msg(const char *id, const char *channel,
				int64_t opened_at, enum status st)
{
	struct msg m;
	char customer[MSG_NAME_MAX], text[MSG_TEXT_MAX];
	snprintf(customer, sizeof customer, "customer of %s", id);
	snprintf(text, sizeof text, "text of %s", id);
	fixture_complaint(&m, id, channel, customer, text, opened_at, PRIORITY_NORMAL, st);
	return m;
}

static struct msg sla_msg(const char *id, int64_t due_at, bool paused, int64_t responded_at)
{
	struct msg m;
	fixture_sla(&m, id, 3600, due_at, paused, responded_at);
	if (paused)
		snprintf(m.u.sla.paused_reason, sizeof m.u.sla.paused_reason, "waiting on customer");
	return m;
}

static struct msg bare_msg(enum msg_kind kind, const char *id)
{
	struct msg m;
	fixture_msg(&m, kind, id);
	return m;
}

static bool put(struct model *m, struct msg msg)
{
	char err[128] = "";
	bool ok = model_apply(m, &msg, err, sizeof err);
	if (!ok && !err[0])
		fprintf(stderr, "[%s] refusal without a reason\n", check_ctx);
	return ok;
}

/* Complaint plus timer in one go. */
static void put_pair(struct model *m, const char *id, const char *ch,
		     int64_t opened, int64_t due)
{
	CHECK(put(m, complaint_msg(id, ch, opened, STATUS_OPEN)));
	CHECK(put(m, sla_msg(id, due, false, 0)));
}

static size_t chan_idx(const struct model *m, const char *key)
{
	for (size_t i = 0; i < model_channel_count(m); i++)
		if (strcmp(model_channel_key(m, i), key) == 0)
			return i;
	return (size_t)-1;
}

static struct channel_stats chan(const struct model *m, const char *key,
				 int64_t now, int64_t risk)
{
	struct channel_stats s;
	model_channel_stats(m, chan_idx(m, key), now, risk, &s);
	return s;
}

static struct channel_stats totals(const struct model *m, int64_t now, int64_t risk)
{
	struct channel_stats s;
	model_totals(m, now, risk, &s);
	return s;
}

/* ---- the index on its own ---- */

struct inode {
	struct index_node node;
	uint64_t tie;
	int64_t key;
	bool in;
};

#define INODE_TIE INDEX_AT(struct inode, node, tie)
#define INODE_KEY INDEX_AT(struct inode, node, key)

static int64_t brute_rank(const struct inode *v, size_t n, int64_t k)
{
	int64_t r = 0;
	for (size_t i = 0; i < n; i++)
		r += v[i].in && v[i].key <= k;
	return r;
}

/* Walks the index in order and checks it is the shadow, sorted. */
static void index_compare(const struct index *ix, const struct inode *v, size_t n)
{
	size_t count = 0;
	const struct index_node *prev = NULL;
	for (const struct index_node *p = index_first(ix); p; p = index_next(ix, p)) {
		const struct inode *o = index_entry(p, struct inode, node);
		CHECK(o->in);
		CHECK(!prev || index_key(ix, prev) < index_key(ix, p) ||
		      (index_key(ix, prev) == index_key(ix, p) &&
		       index_tie(ix, prev) < index_tie(ix, p)));
		CHECK(index_select(ix, count) == p);
		prev = p;
		count++;
	}
	CHECK_EQ(count, brute_rank(v, n, INT64_MAX));
	CHECK_EQ(index_count(ix), count);
	CHECK(index_select(ix, count) == NULL);
	for (int64_t k = -1; k <= 101; k += 7) {
		CHECK_EQ(index_rank(ix, k), brute_rank(v, n, k));
		const struct index_node *lb = index_lower_bound(ix, k);
		int64_t want = INT64_MAX;
		for (size_t i = 0; i < n; i++)
			if (v[i].in && v[i].key >= k && v[i].key < want)
				want = v[i].key;
		CHECK_EQ(lb ? index_key(ix, lb) : INT64_MAX, want);
		CHECK(index_select(ix, index_rank(ix, k - 1)) == lb);
	}
}

static void test_index(void)
{
	enum { N = 600 };
	static struct inode v[N];
	struct index ix;
	check_ctx = "index";
	index_init(&ix, INODE_TIE, INODE_KEY);
	CHECK(index_first(&ix) == NULL);
	CHECK_EQ(index_rank(&ix, 0), 0);
	for (int op = 0; op < 6000; op++) {
		struct inode *o = &v[rnd_below(N)];
		if (o->in) {
			index_remove(&ix, &o->node);
			CHECK(!index_linked(&o->node));
		} else {
			o->tie = (uint64_t)(o - v);
			o->key = rnd_below(100);
			index_insert(&ix, &o->node);
			CHECK(index_linked(&o->node));
		}
		o->in = !o->in;
		if (op % 500 == 499) {
			CHECK(index_verify(&ix));
			index_compare(&ix, v, N);
		}
	}
	/* Keys that only grow, as due times mostly do, stay balanced. */
	for (size_t i = 0; i < N; i++)
		if (v[i].in)
			index_remove(&ix, &v[i].node), v[i].in = false;
	CHECK(index_first(&ix) == NULL);
	for (size_t i = 0; i < N; i++)
		v[i].tie = i, v[i].key = (int64_t)i, index_insert(&ix, &v[i].node), v[i].in = true;
	CHECK(index_verify(&ix));
	index_compare(&ix, v, N);
	CHECK_EQ(index_key(&ix, index_first(&ix)), 0);
}

/* Small cases whose order is known: equal keys in tie order, removal of
 * the first, a middle and the last node, stepping with index_next. */
static void test_index_rows(void)
{
	static const struct {
		const char *name;
		int64_t keys[6];        /* inserted in order; node i's tie is i */
		size_t n;
		size_t remove[6];       /* nodes removed, in order */
		size_t n_remove;
		uint64_t want[6];       /* the ties left, in order */
		size_t n_want;
	} rows[] = {
		{ "equal keys in tie order", { 5, 5, 5, 5 }, 4, { 0 }, 0, { 0, 1, 2, 3 }, 4 },
		{ "descending keys", { 4, 3, 2, 1, 0 }, 5, { 0 }, 0, { 4, 3, 2, 1, 0 }, 5 },
		{ "first, middle, last removed", { 1, 2, 3, 4, 5 }, 5, { 0, 2, 4 }, 3, { 1, 3 }, 2 },
		{ "all but one removed", { 7, 7, 1, 9 }, 4, { 0, 2, 3 }, 3, { 1 }, 1 },
		{ "mixed keys, one removed", { 3, 1, 3, 2, 1 }, 5, { 2 }, 1, { 1, 4, 3, 0 }, 4 },
		{ "all removed", { 2, 1 }, 2, { 1, 0 }, 2, { 0 }, 0 },
	};
	/* the model carries three per complaint: no parent pointer, no tie,
	 * no key */
	CHECK(sizeof(struct index_node) <= 24);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct inode v[6];
		struct index ix;
		check_ctx = rows[r].name;
		memset(v, 0, sizeof v);
		index_init(&ix, INODE_TIE, INODE_KEY);
		for (size_t i = 0; i < rows[r].n; i++) {
			v[i].tie = i;
			v[i].key = rows[r].keys[i];
			index_insert(&ix, &v[i].node);
		}
		for (size_t i = 0; i < rows[r].n_remove; i++) {
			index_remove(&ix, &v[rows[r].remove[i]].node);
			CHECK(!index_linked(&v[rows[r].remove[i]].node));
			CHECK(index_verify(&ix));
		}
		CHECK_EQ(index_count(&ix), rows[r].n_want);
		const struct index_node *p = index_first(&ix);
		for (size_t i = 0; i < rows[r].n_want; i++, p = index_next(&ix, p)) {
			CHECK(p != NULL);
			if (!p)
				break;
			CHECK_EQ(index_tie(&ix, p), rows[r].want[i]);
		}
		CHECK(p == NULL);
	}
}

/* ---- definitions, one by one ---- */

static void test_breach_over_time(void)
{
	static const struct {
		int64_t now, risk;
		uint32_t breached, at_risk;
		int64_t next_due;
	} rows[] = {
		{ 1000, 600, 0, 0, 2000 },
		{ 1400, 600, 0, 1, 2000 },
		{ 1999, 0, 0, 0, 2000 },
		{ 1999, 1, 0, 1, 2000 },
		{ 2000, 600, 1, 0, 0 },         /* due_at <= now is breached */
		{ 90000, 600, 1, 0, 0 },
	};
	check_ctx = "breach";
	struct model *m = model_init((const char *[]){ "email" }, 1);
	put_pair(m, "c1", "email", 1000, 2000);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "breach row %zu", i);
		check_ctx = buf;
		struct channel_stats s = chan(m, "email", rows[i].now, rows[i].risk);
		struct channel_stats t = totals(m, rows[i].now, rows[i].risk);
		CHECK_EQ(s.breached, rows[i].breached);
		CHECK_EQ(s.at_risk, rows[i].at_risk);
		CHECK_EQ(s.next_due_at, rows[i].next_due);
		CHECK_EQ(s.oldest_due_at, 2000);
		CHECK_EQ(t.breached, rows[i].breached);
		CHECK_EQ(t.at_risk, rows[i].at_risk);
		CHECK_EQ(t.next_due_at, rows[i].next_due);
		const struct complaint *list[4];
		CHECK_EQ(model_breached(m, rows[i].now, 0, list, 4), rows[i].breached);
		CHECK_EQ(model_at_risk(m, rows[i].now, rows[i].risk, list, 4), rows[i].at_risk);
	}
	model_destroy(m);
}

static void test_at_risk_window(void)
{
	static const struct {
		int64_t now, risk;
		uint32_t breached, at_risk;
	} rows[] = {
		{ 0, 1000, 0, 5 },
		{ 99, 1, 0, 1 },
		{ 100, 100, 1, 1 },
		{ 150, 250, 1, 3 },     /* 200, 300 and 400 are in (150, 400] */
		{ 150, 0, 1, 0 },
		{ 150, -5, 1, 0 },
		{ 499, 1, 4, 1 },
		{ 500, 1000, 5, 0 },
	};
	check_ctx = "at-risk";
	struct model *m = model_init(NULL, 0);
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "r%d", i);
		/* arrive in an order that is not due order */
		put_pair(m, id, i % 2 ? "chat" : "email", 10, 100 * (1 + (i * 3) % 5));
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "at-risk row %zu", i);
		check_ctx = buf;
		struct channel_stats t = totals(m, rows[i].now, rows[i].risk);
		CHECK_EQ(t.breached, rows[i].breached);
		CHECK_EQ(t.at_risk, rows[i].at_risk);
		CHECK_EQ(chan(m, "email", rows[i].now, rows[i].risk).at_risk +
			 chan(m, "chat", rows[i].now, rows[i].risk).at_risk, rows[i].at_risk);
		const struct complaint *list[8];
		size_t n = model_at_risk(m, rows[i].now, rows[i].risk, list, 8);
		CHECK_EQ(n, rows[i].at_risk);
		for (size_t k = 0; k < n; k++) {
			CHECK(list[k]->due_at > rows[i].now);
			CHECK(list[k]->due_at <= rows[i].now + rows[i].risk);
			CHECK(k == 0 || list[k - 1]->due_at <= list[k]->due_at);
		}
	}
	model_destroy(m);
}

static void test_paused(void)
{
	check_ctx = "paused";
	struct model *m = model_init(NULL, 0);
	CHECK(put(m, complaint_msg("p1", "email", 10, STATUS_OPEN)));
	CHECK(put(m, sla_msg("p1", 100, true, 0)));
	const struct complaint *list[4];
	for (int64_t now = 0; now <= 10000; now += 2500) {
		struct channel_stats s = chan(m, "email", now, 600);
		CHECK_EQ(s.breached, 0);
		CHECK_EQ(s.at_risk, 0);
		CHECK_EQ(s.paused, 1);
		CHECK_EQ(s.waiting, 1);
		CHECK_EQ(s.next_due_at, 0);
		CHECK_EQ(s.oldest_due_at, 0);
		CHECK_EQ(model_breached(m, now, 0, list, 4), 0);
		CHECK_EQ(model_at_risk(m, now, 600, list, 4), 0);
	}
	CHECK(strcmp(model_find(m, "p1")->paused_reason, "waiting on customer") == 0);
	CHECK(put(m, sla_msg("p1", 100, false, 0)));
	CHECK_EQ(chan(m, "email", 1000, 600).breached, 1);
	CHECK_EQ(chan(m, "email", 1000, 600).paused, 0);
	CHECK(strcmp(model_find(m, "p1")->paused_reason, "") == 0);
	CHECK(put(m, sla_msg("p1", 100, true, 0)));
	CHECK_EQ(totals(m, 1000, 600).breached, 0);
	CHECK_EQ(totals(m, 1000, 600).paused, 1);
	model_destroy(m);
}

static void test_responded(void)
{
	check_ctx = "responded";
	struct model *m = model_init(NULL, 0);
	put_pair(m, "a1", "email", 10, 100);
	CHECK_EQ(totals(m, 500, 60).breached, 1);
	CHECK(put(m, sla_msg("a1", 100, false, 90)));
	struct channel_stats s = totals(m, 500, 60);
	CHECK_EQ(s.open, 1);
	CHECK_EQ(s.waiting, 0);
	CHECK_EQ(s.breached, 0);
	CHECK_EQ(s.oldest_waiting_since, 0);
	CHECK_EQ(s.oldest_due_at, 0);
	const struct complaint *list[4];
	CHECK_EQ(model_breached(m, 500, 0, list, 4), 0);
	CHECK_EQ(model_channel_breached(m, 0, 500, list, 4), 0);
	CHECK_EQ(model_find(m, "a1")->responded_at, 90);
	/* responded and paused: neither waiting nor paused */
	CHECK(put(m, sla_msg("a1", 100, true, 90)));
	CHECK_EQ(totals(m, 500, 60).paused, 0);
	model_destroy(m);
}

static void test_timer_before_complaint(void)
{
	check_ctx = "timer first";
	struct model *m = model_init(NULL, 0);
	CHECK(put(m, sla_msg("t1", 100, false, 0)));
	struct channel_stats s = totals(m, 500, 60);
	CHECK_EQ(model_complaint_count(m), 0);
	CHECK(model_find(m, "t1") == NULL);
	CHECK_EQ(s.open + s.waiting + s.breached + s.paused, 0);
	CHECK_EQ(model_channel_count(m), 0);
	CHECK(put(m, complaint_msg("t1", "phone", 50, STATUS_PENDING)));
	s = totals(m, 500, 60);
	CHECK_EQ(s.breached, 1);
	CHECK_EQ(s.waiting, 1);
	const struct complaint *c = model_find(m, "t1");
	CHECK(c && c->has_sla && c->due_at == 100 && c->target_s == 3600);
	CHECK(c && strcmp(c->customer, "customer of t1") == 0);
	CHECK(c && strcmp(c->id, "t1") == 0);
	model_destroy(m);
}

static void test_channel_change(void)
{
	check_ctx = "channel change";
	struct model *m = model_init((const char *[]){ "email", "phone" }, 2);
	put_pair(m, "c1", "email", 10, 100);
	CHECK_EQ(chan(m, "email", 200, 0).breached, 1);
	CHECK_EQ(chan(m, "phone", 200, 0).open, 0);
	CHECK(put(m, complaint_msg("c1", "phone", 20, STATUS_OPEN)));
	struct channel_stats e = chan(m, "email", 200, 0);
	struct channel_stats p = chan(m, "phone", 200, 0);
	CHECK_EQ(e.open + e.waiting + e.breached + e.oldest_waiting_since, 0);
	CHECK_EQ(p.open, 1);
	CHECK_EQ(p.waiting, 1);
	CHECK_EQ(p.breached, 1);
	CHECK_EQ(p.oldest_waiting_since, 20);
	CHECK_EQ(model_find(m, "c1")->channel, 1);
	const struct complaint *list[4];
	CHECK_EQ(model_channel_breached(m, 0, 200, list, 4), 0);
	CHECK_EQ(model_channel_breached(m, 1, 200, list, 4), 1);
	CHECK(put(m, complaint_msg("c1", "chat", 20, STATUS_OPEN)));
	CHECK_EQ(model_channel_count(m), 3);
	CHECK(strcmp(model_channel_key(m, 2), "chat") == 0);
	CHECK_EQ(chan(m, "phone", 200, 0).breached, 0);
	CHECK_EQ(chan(m, "chat", 200, 0).breached, 1);
	CHECK_EQ(totals(m, 200, 0).open, 1);
	model_destroy(m);
}

static void test_status(void)
{
	static const struct {
		enum status st;
		uint32_t open, waiting, breached;
	} rows[] = {
		{ STATUS_OPEN, 1, 1, 1 },
		{ STATUS_ANSWERED, 1, 0, 0 },
		{ STATUS_PENDING, 1, 1, 1 },
		{ STATUS_ANSWERED, 1, 0, 0 },
		{ STATUS_RESOLVED, 0, 0, 0 },   /* the decoder's removal, defensively */
		{ STATUS_OPEN, 1, 1, 1 },
	};
	check_ctx = "status";
	struct model *m = model_init(NULL, 0);
	CHECK(put(m, sla_msg("s1", 100, false, 0)));
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "status row %zu", i);
		check_ctx = buf;
		CHECK(put(m, complaint_msg("s1", "email", 10, rows[i].st)));
		struct channel_stats s = totals(m, 500, 0);
		CHECK_EQ(s.open, rows[i].open);
		CHECK_EQ(s.waiting, rows[i].waiting);
		CHECK_EQ(s.breached, rows[i].breached);
		CHECK_EQ(model_complaint_count(m), rows[i].open);
	}
	model_destroy(m);
}

static void test_removal(void)
{
	check_ctx = "removal";
	struct model *m = model_init(NULL, 0);
	put_pair(m, "r1", "email", 10, 100);
	put_pair(m, "r2", "email", 20, 200);
	CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, "r1")));
	CHECK(model_find(m, "r1") == NULL);
	CHECK_EQ(model_complaint_count(m), 1);
	CHECK_EQ(totals(m, 500, 0).breached, 1);
	CHECK_EQ(totals(m, 500, 0).oldest_waiting_since, 20);
	/* the timer stayed: the complaint coming back counts again */
	CHECK(put(m, complaint_msg("r1", "email", 10, STATUS_OPEN)));
	CHECK_EQ(totals(m, 500, 0).breached, 2);
	CHECK(put(m, bare_msg(MSG_SLA_REMOVE, "r1")));
	CHECK(!model_find(m, "r1")->has_sla);
	CHECK_EQ(model_find(m, "r1")->due_at, 0);
	CHECK_EQ(totals(m, 500, 0).breached, 1);
	CHECK_EQ(totals(m, 500, 0).waiting, 2);
	CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, "r1")));
	CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, "r1")));     /* twice: no-op */
	CHECK(put(m, bare_msg(MSG_SLA_REMOVE, "nobody")));
	CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, "r2")));
	CHECK(put(m, bare_msg(MSG_SLA_REMOVE, "r2")));
	struct channel_stats s = totals(m, 500, 0);
	CHECK_EQ(s.open + s.waiting + s.breached + s.next_due_at + s.oldest_due_at, 0);
	CHECK_EQ(model_complaint_count(m), 0);
	CHECK_EQ(model_channel_count(m), 1);    /* channels stay */
	model_destroy(m);
}

static void test_oldest_and_next(void)
{
	check_ctx = "oldest and next";
	struct model *m = model_init(NULL, 0);
	put_pair(m, "o1", "email", 500, 1000);
	put_pair(m, "o2", "email", 300, 900);
	put_pair(m, "o3", "phone", 400, 1100);
	CHECK(put(m, complaint_msg("o4", "phone", 200, STATUS_ANSWERED)));
	struct channel_stats t = totals(m, 950, 0);
	CHECK_EQ(t.oldest_waiting_since, 300);
	CHECK_EQ(t.breached, 1);
	CHECK_EQ(t.next_due_at, 1000);
	CHECK_EQ(t.oldest_due_at, 900);
	CHECK_EQ(chan(m, "phone", 950, 0).oldest_waiting_since, 400);
	CHECK_EQ(chan(m, "phone", 950, 0).next_due_at, 1100);
	CHECK(put(m, complaint_msg("o2", "email", 300, STATUS_ANSWERED)));
	t = totals(m, 950, 0);
	CHECK_EQ(t.oldest_waiting_since, 400);
	CHECK_EQ(t.breached, 0);
	CHECK_EQ(t.oldest_due_at, 1000);
	CHECK_EQ(chan(m, "email", 950, 0).oldest_waiting_since, 500);
	/* opened_at moved back in time */
	CHECK(put(m, complaint_msg("o1", "email", 100, STATUS_OPEN)));
	CHECK_EQ(totals(m, 950, 0).oldest_waiting_since, 100);
	CHECK_EQ(totals(m, 1000, 0).next_due_at, 1100);
	CHECK_EQ(totals(m, 1100, 0).next_due_at, 0);
	model_destroy(m);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void test_list_order(void)
{
	static const int64_t dues[] = { 50, 10, 90, 30, 70, 20, 110, 60, 80, 40, 100, 120, 30 };
	enum { N = sizeof dues / sizeof dues[0] };
	const int64_t now = 100;
	int64_t want[N];
	size_t n_want = 0;
	check_ctx = "list order";
	struct model *m = model_init(NULL, 0);
	for (size_t i = 0; i < N; i++) {
		char id[16];
		snprintf(id, sizeof id, "l%zu", i);
		put_pair(m, id, i % 3 ? "email" : "phone", 5, dues[i]);
		if (dues[i] <= now)
			want[n_want++] = dues[i];
	}
	qsort(want, n_want, sizeof want[0], cmp_i64);
	const struct complaint *all[32], *again[32], *page[3];
	size_t n = model_breached(m, now, 0, all, 32);
	CHECK_EQ(n, n_want);
	for (size_t i = 0; i < n && i < n_want; i++)
		CHECK_EQ(all[i]->due_at, want[i]);
	CHECK_EQ(model_breached(m, now, 0, again, 32), n);
	CHECK(memcmp(all, again, n * sizeof all[0]) == 0);  /* ties stay put */
	for (size_t skip = 0; skip < n + 2; skip += 3) {
		size_t got = model_breached(m, now, skip, page, 3);
		size_t expect = skip >= n ? 0 : (n - skip < 3 ? n - skip : 3);
		CHECK_EQ(got, expect);
		for (size_t k = 0; k < got; k++)
			CHECK(page[k] == all[skip + k]);
	}
	CHECK_EQ(model_breached(m, now, 1000, page, 3), 0);
	CHECK_EQ(model_breached(m, now, 0, page, 0), 0);

	size_t ch = chan_idx(m, "phone");
	n = model_channel_breached(m, ch, now, all, 32);
	CHECK_EQ(n, chan(m, "phone", now, 0).breached);
	for (size_t k = 0; k < n; k++) {
		CHECK_EQ(all[k]->channel, ch);
		CHECK(k == 0 || all[k - 1]->due_at <= all[k]->due_at);
	}
	CHECK_EQ(model_channel_breached(m, 99, now, all, 32), 0);
	n = model_at_risk(m, now, 100, all, 32);
	CHECK_EQ(n, 2);
	CHECK(n == 2 && all[0]->due_at == 110 && all[1]->due_at == 120);
	CHECK_EQ(model_at_risk(m, now, 15, all, 32), 1);
	model_destroy(m);
}

static void test_channels(void)
{
	check_ctx = "channels";
	const char *cfg[] = { "phone", "email", "phone", "", NULL };
	struct model *m = model_init(cfg, 5);
	CHECK_EQ(model_channel_count(m), 2);
	CHECK(strcmp(model_channel_key(m, 0), "phone") == 0);
	CHECK(strcmp(model_channel_key(m, 1), "email") == 0);
	CHECK(model_channel_key(m, 2) == NULL);
	struct channel_stats s;
	memset(&s, 0xff, sizeof s);
	model_channel_stats(m, 7, 0, 0, &s);
	CHECK_EQ(s.open + s.next_due_at, 0);
	model_destroy(m);

	m = model_init(NULL, 0);
	char id[16], key[16];
	for (int i = 0; i < MODEL_MAX_CHANNELS; i++) {
		snprintf(id, sizeof id, "k%d", i);
		snprintf(key, sizeof key, "ch%02d", i);
		put_pair(m, id, key, 10, 100);
	}
	CHECK_EQ(model_channel_count(m), MODEL_MAX_CHANNELS);
	CHECK(strcmp(model_channel_key(m, 31), "ch31") == 0);
	struct msg extra = complaint_msg("k99", "ch32", 10, STATUS_OPEN);
	char err[64] = "";
	CHECK(!model_apply(m, &extra, err, sizeof err));
	CHECK(err[0] != '\0');
	CHECK_EQ(model_channel_count(m), MODEL_MAX_CHANNELS);
	CHECK_EQ(model_complaint_count(m), MODEL_MAX_CHANNELS);
	CHECK(model_find(m, "k99") == NULL);
	/* moving a held complaint there is refused and leaves it as it was */
	struct msg move = complaint_msg("k5", "ch32", 99, STATUS_ANSWERED);
	CHECK(!model_apply(m, &move, NULL, 0));
	const struct complaint *c = model_find(m, "k5");
	CHECK(c && c->channel == 5 && c->opened_at == 10 && c->status == STATUS_OPEN);
	CHECK_EQ(chan(m, "ch05", 500, 0).breached, 1);
	CHECK_EQ(totals(m, 500, 0).breached, MODEL_MAX_CHANNELS);
	CHECK(put(m, complaint_msg("k99", "ch07", 10, STATUS_OPEN)));
	CHECK_EQ(chan(m, "ch07", 500, 0).open, 2);
	model_destroy(m);
}

static void test_crisis_and_acks(void)
{
	check_ctx = "crisis";
	struct model *m = model_init(NULL, 0);
	CHECK(model_crisis(m) == NULL);
	struct msg c = bare_msg(MSG_CRISIS, "");
	c.u.crisis.level = 2;
	snprintf(c.u.crisis.title, sizeof c.u.crisis.title, "Outage");
	CHECK(model_apply(m, &c, NULL, 0));
	c.u.crisis.title[0] = 'X';      /* the model holds its own copy */
	CHECK(model_crisis(m) && strcmp(model_crisis(m)->title, "Outage") == 0);
	CHECK(model_crisis(m) && model_crisis(m)->level == 2);
	CHECK(put(m, bare_msg(MSG_ACK, "alarm1")));
	CHECK(put(m, bare_msg(MSG_ACK_REMOVE, "alarm1")));
	CHECK(put(m, bare_msg(MSG_CRISIS_CLEAR, "")));
	CHECK(model_crisis(m) == NULL);
	CHECK(!put(m, bare_msg(MSG_COMPLAINT, "")));   /* no id */
	model_destroy(NULL);
	model_destroy(m);
}

static void test_resync(void)
{
	check_ctx = "resync";
	struct model *m = model_init(NULL, 0);
	put_pair(m, "keep", "email", 10, 100);
	put_pair(m, "gone", "email", 20, 200);
	CHECK(put(m, sla_msg("orphan", 300, false, 0)));
	struct msg crisis = bare_msg(MSG_CRISIS, "");
	CHECK(put(m, crisis));
	uint64_t changes = model_changes(m);
	CHECK_EQ(model_resync_end(m), 0);       /* nothing unconfirmed yet */
	CHECK_EQ(model_changes(m), changes);    /* nothing dropped, nothing new */
	(void)totals(m, 500, 0);
	CHECK_EQ(model_changes(m), changes);    /* queries change nothing */

	model_resync_begin(m);
	CHECK(put(m, complaint_msg("keep", "email", 10, STATUS_OPEN)));  /* identical */
	CHECK(put(m, sla_msg("keep", 100, false, 0)));
	CHECK(put(m, complaint_msg("gone", "email", 20, STATUS_OPEN)));  /* timer not re-sent */
	CHECK(put(m, crisis));
	CHECK_EQ(model_resync_end(m), 2);       /* gone's timer, orphan's timer */
	CHECK(model_find(m, "keep") && model_find(m, "keep")->has_sla);
	CHECK(model_find(m, "gone") && !model_find(m, "gone")->has_sla);
	CHECK(model_crisis(m) != NULL);
	struct channel_stats s = totals(m, 500, 0);
	CHECK_EQ(s.open, 2);
	CHECK_EQ(s.breached, 1);
	CHECK_EQ(s.waiting, 2);

	model_resync_begin(m);
	CHECK(put(m, complaint_msg("keep", "email", 10, STATUS_OPEN)));
	changes = model_changes(m);
	CHECK_EQ(model_resync_end(m), 3);       /* keep's timer, gone, crisis */
	CHECK_EQ(model_changes(m), changes + 3); /* counts (render's) to take anew */
	CHECK(model_crisis(m) == NULL);
	CHECK(model_find(m, "gone") == NULL);
	CHECK_EQ(model_complaint_count(m), 1);
	CHECK_EQ(totals(m, 500, 0).breached, 0);
	CHECK_EQ(totals(m, 500, 0).waiting, 1);
	model_destroy(m);
}

static void test_attainment(void)
{
	check_ctx = "attainment";
	const int64_t d0 = 10 * DAY, d1 = d0 + DAY;
	struct attainment a;
	struct model *m = model_init(NULL, 0);
	put_pair(m, "x", "email", d0, d0 + 3600);
	CHECK(put(m, sla_msg("x", d0 + 3600, false, d0 + 600)));        /* on time */
	CHECK(put(m, sla_msg("y", d0 + 3600, false, d0 + 7200)));       /* late */
	CHECK(put(m, sla_msg("z", d0 + 3600, false, d0 + 3600)));       /* at due: on time */
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 3);
	CHECK_EQ(a.on_time, 2);
	/* re-sent, then updated late: still once per id */
	CHECK(put(m, sla_msg("x", d0 + 3600, false, d0 + 600)));
	CHECK(put(m, sla_msg("x", d0 + 300, false, d0 + 600)));
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 3);
	CHECK_EQ(a.on_time, 1);
	/* reopened (no responded_at): the response stays counted */
	CHECK(put(m, sla_msg("x", d0 + 300, false, 0)));
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 3);
	/* survives removal and a resync that does not re-send it */
	CHECK(put(m, bare_msg(MSG_SLA_REMOVE, "y")));
	CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, "x")));
	model_resync_begin(m);
	CHECK_EQ(model_resync_end(m), 2);       /* x's and z's timers */
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 3);
	CHECK_EQ(a.on_time, 1);
	/* day boundaries: [d0, d0 + DAY) */
	CHECK(put(m, sla_msg("w", d1, false, d1 - 1)));
	CHECK(put(m, sla_msg("v", d1 + 10, false, d1)));
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 4);
	model_attainment(m, d1, &a);
	CHECK_EQ(a.answered, 1);
	CHECK_EQ(a.on_time, 1);
	uint64_t changes = model_changes(m);
	model_prune_day(m, d1);
	CHECK(model_changes(m) > changes);      /* records dropped */
	changes = model_changes(m);
	model_prune_day(m, d1);
	CHECK_EQ(model_changes(m), changes);    /* nothing left to drop */
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 0);
	model_attainment(m, d1, &a);
	CHECK_EQ(a.answered, 1);
	CHECK_EQ(model_complaint_count(m), 0);
	model_destroy(m);
}

/* An update that re-sends the same strings keeps them where they are
 * (no allocation); one that changes any of them takes the new ones. */
static void test_strings_kept(void)
{
	check_ctx = "strings kept";
	struct model *m = model_init(NULL, 0);
	struct msg c = complaint_msg("s", "email", 100, STATUS_OPEN);
	CHECK(put(m, c));
	CHECK(put(m, sla_msg("s", 900, true, 0)));
	const struct complaint *v = model_find(m, "s");
	const char *text = v->text, *reason = v->paused_reason;
	c.u.complaint.status = STATUS_PENDING;
	CHECK(put(m, c));
	CHECK(put(m, sla_msg("s", 1200, true, 0)));
	v = model_find(m, "s");
	CHECK(v->text == text && v->paused_reason == reason);
	CHECK_EQ(v->status, STATUS_PENDING);
	CHECK_EQ(v->due_at, 1200);
	const struct {
		size_t at;                      /* offset of the field in msg_complaint */
		const char *value;
	} rows[] = {
		{ offsetof(struct msg_complaint, customer), "someone else" },
		{ offsetof(struct msg_complaint, text), "text of" },     /* a prefix */
		{ offsetof(struct msg_complaint, assignee), "Dana" },
		{ offsetof(struct msg_complaint, assignee), "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf((char *)&c.u.complaint + rows[i].at, MSG_NAME_MAX, "%s", rows[i].value);
		CHECK(put(m, c));
		v = model_find(m, "s");
		CHECK(strcmp(v->customer, c.u.complaint.customer) == 0);
		CHECK(strcmp(v->text, c.u.complaint.text) == 0);
		CHECK(strcmp(v->assignee, c.u.complaint.assignee) == 0);
	}
	struct msg t = sla_msg("s", 1200, true, 0);
	snprintf(t.u.sla.paused_reason, sizeof t.u.sla.paused_reason, "waiting on");
	CHECK(put(m, t));
	CHECK(strcmp(model_find(m, "s")->paused_reason, "waiting on") == 0);
	CHECK(put(m, sla_msg("s", 1200, false, 0)));
	CHECK(strcmp(model_find(m, "s")->paused_reason, "") == 0);
	model_destroy(m);
}

static void put_vis(struct model *m, const char *id, const char *ch, int64_t due,
		    enum visibility vis, bool drill)
{
	struct msg c = complaint_msg(id, ch, due - 3600, STATUS_OPEN);
	c.u.complaint.visibility = vis;
	c.u.complaint.drill = drill;
	CHECK(put(m, c));
	CHECK(put(m, sla_msg(id, due, false, 0)));
}

/* Public before private at the same overdue minute; minutes in order;
 * pages cut inside a minute continue where they stopped. */
static void test_visibility_order(void)
{
	static const struct {
		const char *id;
		int64_t due;
		enum visibility vis;
	} rows[] = {
		{ "p1", 6000 + 50, VISIBILITY_PRIVATE },  /* minute 100 */
		{ "u1", 6000 + 10, VISIBILITY_UNSPECIFIED },
		{ "P1", 6000 + 40, VISIBILITY_PUBLIC },
		{ "P2", 6000 + 59, VISIBILITY_PUBLIC },
		{ "p0", 5940 + 1, VISIBILITY_PRIVATE },   /* minute 99: before all */
		{ "P3", 6060 + 0, VISIBILITY_PUBLIC },    /* minute 101 */
		{ "p2", 6060 + 5, VISIBILITY_PRIVATE },
		{ "P4", 6060 + 30, VISIBILITY_PUBLIC },   /* due after now: not breached */
	};
	static const char *const want[] = { "p0", "P1", "P2", "u1", "p1", "P3", "p2" };
	check_ctx = "visibility order";
	struct model *m = model_init(NULL, 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		put_vis(m, rows[i].id, "facebook", rows[i].due, rows[i].vis, false);
	const int64_t now = 6060 + 20;
	const struct complaint *all[16], *page[2];
	size_t n = model_breached(m, now, 0, all, 16);
	CHECK_EQ(n, 7);
	for (size_t k = 0; k < n && k < 7; k++) {
		check_ctx = want[k];
		CHECK(strcmp(all[k]->id, want[k]) == 0);
	}
	check_ctx = "visibility pages";
	for (size_t skip = 0; skip < n + 1; skip++) {
		size_t got = model_breached(m, now, skip, page, 2);
		CHECK_EQ(got, skip >= n ? 0 : (n - skip < 2 ? n - skip : 2));
		for (size_t k = 0; k < got; k++)
			CHECK(page[k] == all[skip + k]);
	}
	/* a complaint turning public moves up within its minute only */
	put_vis(m, "p1", "facebook", 6000 + 50, VISIBILITY_PUBLIC, false);
	n = model_breached(m, now, 0, all, 16);
	CHECK(n == 7 && strcmp(all[2]->id, "p1") == 0 && strcmp(all[3]->id, "P2") == 0 &&
	      strcmp(all[4]->id, "u1") == 0);
	CHECK(all[2]->visibility == VISIBILITY_PUBLIC);
	/* the breaches that began in (from, to] of one channel */
	size_t ch = chan_idx(m, "facebook");
	CHECK_EQ(model_channel_due_between(m, ch, 6000, 6060), 5); /* u1 P1 p1 P2 P3 */
	CHECK_EQ(model_channel_due_between(m, ch, 0, now), 7);
	CHECK_EQ(model_channel_due_between(m, ch, now, 0), 0);
	model_destroy(m);
}

/* Drill complaints are shown but their responses do not count. */
static void test_drill_attainment(void)
{
	check_ctx = "drill attainment";
	const int64_t d0 = 10 * DAY;
	struct attainment a;
	struct model *m = model_init(NULL, 0);
	put_vis(m, "real", "x", d0 + 3600, VISIBILITY_UNSPECIFIED, false);
	put_vis(m, "drill", "x", d0 + 3600, VISIBILITY_UNSPECIFIED, true);
	CHECK(model_find(m, "drill") && model_find(m, "drill")->drill);
	CHECK(put(m, sla_msg("real", d0 + 3600, false, d0 + 60)));   /* on time */
	CHECK(put(m, sla_msg("drill", d0 + 3600, false, d0 + 7200))); /* late, a drill */
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 1);
	CHECK_EQ(a.on_time, 1);
	/* the timer before its drill complaint: dropped when it arrives */
	CHECK(put(m, sla_msg("late", d0 + 60, false, d0 + 7200)));
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 2);
	put_vis(m, "late", "x", d0 + 60, VISIBILITY_UNSPECIFIED, true);
	model_attainment(m, d0, &a);
	CHECK_EQ(a.answered, 1);
	CHECK_EQ(a.on_time, 1);
	model_destroy(m);
}

/* ---- randomized, against a brute-force shadow ---- */

enum { R_IDS = 300, R_KEYS = 40, R_BATCH = 250, R_BATCHES = 48 };

struct shadow_item {
	bool has_c, has_t, has_r, r_ok;
	size_t ch;
	int64_t opened;
	enum status st;
	int64_t due, responded, r_at;
	bool paused;
	bool pub;                       /* visibility public */
	uint32_t cgen, tgen;
	int salt;                       /* makes the customer string vary */
};

/* A response whose id lost complaint and timer: only counted (model.h). */
struct shadow_folded {
	int64_t at;
	bool ok;
};

struct shadow {
	struct shadow_item it[R_IDS];
	struct shadow_folded folded[R_BATCH * R_BATCHES];
	size_t n_folded;
	bool pruned;
	int64_t pruned_day;
	char keys[MODEL_MAX_CHANNELS][8];
	size_t n_ch;
	uint32_t gen;
	bool crisis, resyncing;
	uint32_t crisis_gen;
	unsigned refused, dropped;      /* proof the run reached these paths */
	unsigned folds;
};

/* The record of an id with neither complaint nor timer left is folded:
 * kept as a count, or dropped when pruning would drop it (model.c). */
static void shadow_fold(struct shadow *sh, struct shadow_item *s)
{
	if (s->has_c || s->has_t || !s->has_r)
		return;
	s->has_r = false;
	sh->folds++;
	if (sh->pruned && (s->r_at < sh->pruned_day || s->r_at >= sh->pruned_day + 2 * DAY))
		return;
	sh->folded[sh->n_folded].at = s->r_at;
	sh->folded[sh->n_folded++].ok = s->r_ok;
}

static void key_name(char *buf, size_t len, int k)
{
	snprintf(buf, len, "q%02d", k);
}

static size_t shadow_channel(struct shadow *sh, const char *key, bool *full)
{
	for (size_t i = 0; i < sh->n_ch; i++)
		if (strcmp(sh->keys[i], key) == 0)
			return i;
	*full = sh->n_ch == MODEL_MAX_CHANNELS;
	return sh->n_ch;
}

static bool item_waiting(const struct shadow_item *s)
{
	return s->has_c && (s->st == STATUS_OPEN || s->st == STATUS_PENDING) &&
	       !(s->has_t && s->responded != 0);
}

static bool item_active(const struct shadow_item *s)
{
	return item_waiting(s) && s->has_t && !s->paused;
}

static void random_complaint(struct model *m, struct shadow *sh, int i, const char *id)
{
	char key[8];
	key_name(key, sizeof key, (int)rnd_below(R_KEYS));
	enum status st = (enum status)rnd_below(3);
	struct msg msg = complaint_msg(id, key, rnd_below(20000), st);
	int salt = (int)rnd_below(1000);
	snprintf(msg.u.complaint.customer, sizeof msg.u.complaint.customer, "%s/%d", id, salt);
	msg.u.complaint.visibility = (enum visibility)rnd_below(3);
	bool full = false;
	size_t ch = shadow_channel(sh, key, &full);
	bool ok = put(m, msg);
	CHECK_EQ(ok, !full);
	if (full) {
		sh->refused++;
		return;
	}
	if (ch == sh->n_ch)
		snprintf(sh->keys[sh->n_ch++], sizeof sh->keys[0], "%s", key);
	struct shadow_item *s = &sh->it[i];
	s->has_c = true;
	s->ch = ch;
	s->opened = msg.u.complaint.opened_at;
	s->st = st;
	s->cgen = sh->gen;
	s->salt = salt;
	s->pub = msg.u.complaint.visibility == VISIBILITY_PUBLIC;
}

static void random_sla(struct model *m, struct shadow *sh, int i, const char *id)
{
	int64_t due = rnd_below(20000);
	int64_t responded = rnd_below(4) ? 0 : rnd_below(3 * DAY);
	bool paused = rnd_below(5) == 0;
	CHECK(put(m, sla_msg(id, due, paused, responded)));
	struct shadow_item *s = &sh->it[i];
	s->has_t = true;
	s->due = due;
	s->paused = paused;
	s->responded = responded;
	s->tgen = sh->gen;
	if (responded) {
		/* once pruned, a response outside the kept days is not
		 * counted at all, like a folded one (model.c) */
		s->has_r = !sh->pruned || (responded >= sh->pruned_day &&
					   responded < sh->pruned_day + 2 * DAY);
		s->r_at = responded;
		s->r_ok = responded <= due;
	}
}

static void shadow_resync_end(struct model *m, struct shadow *sh)
{
	size_t dropped = 0;
	for (int i = 0; i < R_IDS; i++) {
		struct shadow_item *s = &sh->it[i];
		if (s->has_c && s->cgen != sh->gen)
			s->has_c = false, dropped++;
		if (s->has_t && s->tgen != sh->gen)
			s->has_t = false, dropped++;
		shadow_fold(sh, s);
	}
	if (sh->crisis && sh->crisis_gen != sh->gen)
		sh->crisis = false, dropped++;
	CHECK_EQ(model_resync_end(m), dropped);
	sh->dropped += (unsigned)dropped;
	sh->resyncing = false;
}

static void random_other(struct model *m, struct shadow *sh, int op)
{
	if (op == 0) {
		CHECK(put(m, bare_msg(MSG_CRISIS, "")));
		sh->crisis = true;
		sh->crisis_gen = sh->gen;
	} else if (op == 1) {
		CHECK(put(m, bare_msg(MSG_CRISIS_CLEAR, "")));
		sh->crisis = false;
	} else if (op == 2 && !sh->resyncing) {
		model_resync_begin(m);
		sh->gen++;
		sh->resyncing = true;
	} else if (op == 2) {
		shadow_resync_end(m, sh);
	} else {
		int64_t day = rnd_below(4) * DAY;
		model_prune_day(m, day);
		for (int i = 0; i < R_IDS; i++) /* past, or two days ahead or more */
			if (sh->it[i].has_r &&
			    (sh->it[i].r_at < day || sh->it[i].r_at >= day + 2 * DAY))
				sh->it[i].has_r = false;
		size_t kept = 0;
		for (size_t k = 0; k < sh->n_folded; k++)
			if (sh->folded[k].at >= day && sh->folded[k].at < day + 2 * DAY)
				sh->folded[kept++] = sh->folded[k];
		sh->n_folded = kept;
		sh->pruned = true;
		sh->pruned_day = day;
	}
}

static void random_step(struct model *m, struct shadow *sh)
{
	int i = (int)rnd_below(R_IDS);
	char id[16];
	snprintf(id, sizeof id, "id-%d", i);
	int64_t r = rnd_below(100);
	if (r < 35) {
		random_complaint(m, sh, i, id);
	} else if (r < 45) {
		CHECK(put(m, bare_msg(MSG_COMPLAINT_REMOVE, id)));
		sh->it[i].has_c = false;
		shadow_fold(sh, &sh->it[i]);
	} else if (r < 80) {
		random_sla(m, sh, i, id);
	} else if (r < 90) {
		CHECK(put(m, bare_msg(MSG_SLA_REMOVE, id)));
		sh->it[i].has_t = false;
		shadow_fold(sh, &sh->it[i]);
	} else if (r < 94) {
		random_other(m, sh, (int)rnd_below(2));
	} else if (r < 98) {
		random_other(m, sh, 2);
	} else {
		random_other(m, sh, 3);
	}
}

/* The whole of channel_stats for channel ch (or all when ch == SIZE_MAX),
 * recomputed from the shadow by the definitions. */
static struct channel_stats brute_stats(const struct shadow *sh, size_t ch,
					int64_t now, int64_t risk)
{
	struct channel_stats b;
	memset(&b, 0, sizeof b);
	for (int i = 0; i < R_IDS; i++) {
		const struct shadow_item *s = &sh->it[i];
		if (!s->has_c || (ch != SIZE_MAX && s->ch != ch))
			continue;
		b.open++;
		if (!item_waiting(s))
			continue;
		b.waiting++;
		if (!b.oldest_waiting_since || s->opened < b.oldest_waiting_since)
			b.oldest_waiting_since = s->opened;
		if (s->has_t && s->paused)
			b.paused++;
		if (!item_active(s))
			continue;
		b.breached += s->due <= now;
		b.at_risk += s->due > now && s->due <= now + (risk > 0 ? risk : 0);
		if (s->due > now && (!b.next_due_at || s->due < b.next_due_at))
			b.next_due_at = s->due;
		if (!b.oldest_due_at || s->due < b.oldest_due_at)
			b.oldest_due_at = s->due;
	}
	return b;
}

static void compare_stats(const struct channel_stats *got, const struct channel_stats *want)
{
	CHECK_EQ(got->open, want->open);
	CHECK_EQ(got->waiting, want->waiting);
	CHECK_EQ(got->breached, want->breached);
	CHECK_EQ(got->at_risk, want->at_risk);
	CHECK_EQ(got->paused, want->paused);
	CHECK_EQ(got->oldest_waiting_since, want->oldest_waiting_since);
	CHECK_EQ(got->next_due_at, want->next_due_at);
	CHECK_EQ(got->oldest_due_at, want->oldest_due_at);
}

/* A listed complaint must be active in the shadow and in order. */
static void compare_list(const struct shadow *sh, const struct complaint **list,
			 size_t n, int64_t after, int64_t upto)
{
	for (size_t k = 0; k < n; k++) {
		int i = -1;
		sscanf(list[k]->id, "id-%d", &i);
		CHECK(i >= 0 && i < R_IDS);
		if (i < 0 || i >= R_IDS)
			continue;
		const struct shadow_item *s = &sh->it[i];
		CHECK(item_active(s) && s->due == list[k]->due_at);
		CHECK(list[k]->due_at > after && list[k]->due_at <= upto);
		CHECK(k == 0 || list[k - 1]->due_at <= list[k]->due_at);
	}
}

/* The breach list's order (model.h): minute of due_at, public first
 * within a minute, then due_at. */
static void compare_breach_order(const struct complaint **list, size_t n)
{
	for (size_t k = 1; k < n; k++) {
		const struct complaint *a = list[k - 1], *b = list[k];
		int64_t ma = a->due_at / 60, mb = b->due_at / 60;
		bool pa = a->visibility == VISIBILITY_PUBLIC, pb = b->visibility == VISIBILITY_PUBLIC;
		CHECK(ma < mb || (ma == mb && (pa > pb || (pa == pb && a->due_at <= b->due_at))));
	}
}

static void compare_lists(const struct model *m, const struct shadow *sh,
			  int64_t now, int64_t risk)
{
	static const struct complaint *list[R_IDS], *page[7];
	struct channel_stats t = brute_stats(sh, SIZE_MAX, now, risk);
	size_t n = model_breached(m, now, 0, list, R_IDS);
	CHECK_EQ(n, t.breached);
	for (size_t k = 0; k < n; k++) {
		int i = -1;
		sscanf(list[k]->id, "id-%d", &i);
		CHECK(i >= 0 && i < R_IDS && item_active(&sh->it[i]) &&
		      sh->it[i].due == list[k]->due_at && list[k]->due_at <= now &&
		      sh->it[i].pub == (list[k]->visibility == VISIBILITY_PUBLIC));
	}
	compare_breach_order(list, n);
	size_t skip = (size_t)rnd_below((int64_t)n + 3);
	size_t got = model_breached(m, now, skip, page, 7);
	CHECK_EQ(got, skip >= n ? 0 : (n - skip < 7 ? n - skip : 7));
	for (size_t k = 0; k < got; k++)
		CHECK(page[k] == list[skip + k]);
	n = model_at_risk(m, now, risk, list, R_IDS);
	CHECK_EQ(n, t.at_risk);
	compare_list(sh, list, n, now, now + (risk > 0 ? risk : 0));
	for (size_t c = 0; c < sh->n_ch; c++) {
		n = model_channel_breached(m, c, now, list, R_IDS);
		CHECK_EQ(n, brute_stats(sh, c, now, risk).breached);
		compare_list(sh, list, n, INT64_MIN, now);
		for (size_t k = 0; k < n; k++)
			CHECK_EQ(list[k]->channel, c);
	}
}

static void compare_items(const struct model *m, const struct shadow *sh)
{
	size_t held = 0, timers = 0;
	for (int i = 0; i < R_IDS; i++) {
		const struct shadow_item *s = &sh->it[i];
		char id[16], customer[32];
		timers += s->has_t;
		snprintf(id, sizeof id, "id-%d", i);
		const struct complaint *c = model_find(m, id);
		CHECK_EQ(c != NULL, s->has_c);
		if (!c || !s->has_c)
			continue;
		held++;
		snprintf(customer, sizeof customer, "%s/%d", id, s->salt);
		CHECK(strcmp(c->customer, customer) == 0);
		CHECK_EQ(c->channel, s->ch);
		CHECK_EQ(c->opened_at, s->opened);
		CHECK_EQ(c->status, s->st);
		CHECK_EQ(c->has_sla, s->has_t);
		if (s->has_t) {
			CHECK_EQ(c->due_at, s->due);
			CHECK_EQ(c->paused, s->paused);
			CHECK_EQ(c->responded_at, s->responded);
		}
	}
	CHECK_EQ(model_complaint_count(m), held);
	CHECK_EQ(model_timer_count(m), timers);
	size_t ids = 0; /* an id with only a response left holds no entry */
	for (int i = 0; i < R_IDS; i++)
		ids += sh->it[i].has_c || sh->it[i].has_t;
	CHECK_EQ(model_entry_count(m), ids);
}

static void compare_attainment(const struct model *m, const struct shadow *sh)
{
	for (int64_t day = -DAY; day <= 3 * DAY; day += DAY / 2) {
		uint32_t answered = 0, on_time = 0;
		for (int i = 0; i < R_IDS; i++) {
			const struct shadow_item *s = &sh->it[i];
			if (s->has_r && s->r_at >= day && s->r_at < day + DAY) {
				answered++;
				on_time += s->r_ok;
			}
		}
		for (size_t k = 0; k < sh->n_folded; k++) {
			if (sh->folded[k].at >= day && sh->folded[k].at < day + DAY) {
				answered++;
				on_time += sh->folded[k].ok;
			}
		}
		struct attainment a;
		model_attainment(m, day, &a);
		CHECK_EQ(a.answered, answered);
		CHECK_EQ(a.on_time, on_time);
	}
}

static void compare_all(const struct model *m, const struct shadow *sh)
{
	CHECK_EQ(model_channel_count(m), sh->n_ch);
	for (size_t c = 0; c < sh->n_ch; c++)
		CHECK(strcmp(model_channel_key(m, c), sh->keys[c]) == 0);
	CHECK_EQ(model_crisis(m) != NULL, sh->crisis);
	compare_items(m, sh);
	compare_attainment(m, sh);
	for (int k = 0; k < 4; k++) {
		int64_t now = rnd_below(21000) - 500;
		int64_t risk = rnd_below(4) ? rnd_below(3000) : 0;
		struct channel_stats got, want = brute_stats(sh, SIZE_MAX, now, risk);
		model_totals(m, now, risk, &got);
		compare_stats(&got, &want);
		for (size_t c = 0; c < sh->n_ch; c++) {
			model_channel_stats(m, c, now, risk, &got);
			want = brute_stats(sh, c, now, risk);
			compare_stats(&got, &want);
		}
		compare_lists(m, sh, now, risk);
	}
}

static void test_randomized(void)
{
	static struct shadow sh;
	char buf[64];
	const char *cfg[] = { "q05", "q00" };
	struct model *m = model_init(cfg, 2);
	snprintf(sh.keys[0], sizeof sh.keys[0], "q05");
	snprintf(sh.keys[1], sizeof sh.keys[1], "q00");
	sh.n_ch = 2;
	for (int batch = 0; batch < R_BATCHES; batch++) {
		snprintf(buf, sizeof buf, "random batch %d", batch);
		check_ctx = buf;
		for (int k = 0; k < R_BATCH; k++)
			random_step(m, &sh);
		compare_all(m, &sh);
	}
	if (sh.resyncing)
		shadow_resync_end(m, &sh);
	compare_all(m, &sh);
	CHECK(sh.refused > 0);
	CHECK(sh.dropped > 0);
	CHECK(sh.folds > 0);
	model_destroy(m);
}

int main(void)
{
	test_strings_kept();
	test_index();
	test_index_rows();
	test_breach_over_time();
	test_at_risk_window();
	test_paused();
	test_responded();
	test_timer_before_complaint();
	test_channel_change();
	test_status();
	test_removal();
	test_oldest_and_next();
	test_list_order();
	test_channels();
	test_crisis_and_acks();
	test_resync();
	test_attainment();
	test_visibility_order();
	test_drill_attainment();
	test_randomized();
	return check_summary();
}
