/* test_crisis.c - the crisis report, with an injected clock: its fields
 * after a crisis ends, breaches counted per channel, a replaced crisis
 * reported, nothing published when reports are off. */
#include "crisis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alarms.h"
#include "decode.h"
#include "log.h"
#include "check.h"
#include "fixture.h"

#define T0 INT64_C(1795425120) /* 2026-11-23T09:12:00Z */

static struct msg msgbuf;
static struct crisis_out out;

static void apply(struct model *m)
{
	char err[128];
	if (!model_apply(m, &msgbuf, err, sizeof err)) {
		fprintf(stderr, "model_apply: %s\n", err);
		exit(2);
	}
}

static void breach_at(struct model *m, const char *id, const char *ch, int64_t due)
{
	fixture_complaint(&msgbuf, id, ch, "c", "t", due - 3600, PRIORITY_NORMAL, STATUS_OPEN);
	apply(m);
	fixture_sla(&msgbuf, id, 3600, due, false, 0);
	apply(m);
}

static void declare(struct model *m, const char *title, int64_t since, bool drill)
{
	fixture_msg(&msgbuf, MSG_CRISIS, "");
	struct msg_crisis *c = &msgbuf.u.crisis;
	c->level = 2;
	c->since = since;
	c->drill = drill;
	snprintf(c->title, sizeof c->title, "%s", title);
	snprintf(c->playbook[0], sizeof c->playbook[0], "Pause scheduled posts");
	snprintf(c->playbook[1], sizeof c->playbook[1], "Post a holding statement");
	c->n_playbook = 2;
	apply(m);
}

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static bool str_is(const cJSON *o, const char *k, const char *want)
{
	const cJSON *v = get(o, k);
	bool ok = cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
	if (!ok)
		fprintf(stderr, "  %s: got %s, want %s\n", k,
			cJSON_IsString(v) ? v->valuestring : "(not a string)", want);
	return ok;
}

static bool num_is(const cJSON *o, const char *k, double want)
{
	const cJSON *v = get(o, k);
	bool ok = cJSON_IsNumber(v) && v->valuedouble == want;
	if (!ok)
		fprintf(stderr, "  %s: got %g, want %g\n", k, cJSON_IsNumber(v) ? v->valuedouble : -1,
			want);
	return ok;
}

static const cJSON *channel(const cJSON *r, const char *key)
{
	const cJSON *b;
	cJSON_ArrayForEach(b, get(r, "breaches")) {
		const cJSON *k = get(b, "channel");
		if (cJSON_IsString(k) && strcmp(k->valuestring, key) == 0)
			return b;
	}
	return NULL;
}

static void test_report(void)
{
	struct model *m = model_init(NULL, 0);
	struct crisis *c = crisis_create("wb", "floor3", true, NULL);
	breach_at(m, "old", "facebook", T0 - 100);        /* breached before */
	breach_at(m, "ig1", "instagram", T0 + 60);
	breach_at(m, "ig2", "instagram", T0 + 120);
	breach_at(m, "ig3", "instagram", T0 + 900);       /* after the end */
	crisis_update(c, m, T0 - 10);
	CHECK(crisis_since(c) == 0);
	declare(m, "Payments down", T0 - 300, false);
	crisis_update(c, m, T0);
	CHECK(crisis_since(c) == T0 - 300);
	CHECK(!crisis_take_out(c, &out));
	for (int64_t t = T0 + 30; t <= T0 + 600; t += 30)
		crisis_update(c, m, t);
	fixture_msg(&msgbuf, MSG_CRISIS_CLEAR, "");
	apply(m);
	crisis_update(c, m, T0 + 610);
	CHECK(crisis_since(c) == 0);
	CHECK(crisis_take_out(c, &out));
	CHECK(strcmp(out.topic, "wb/crisis/reports/2026-11-23T09:07:00Z") == 0);
	CHECK(!out.retain && out.qos == 1 && out.durable && out.len == strlen(out.payload));
	cJSON *r = cJSON_Parse(out.payload);
	CHECK(r != NULL);
	CHECK(str_is(r, "since", "2026-11-23T09:07:00Z"));
	CHECK(str_is(r, "end", "2026-11-23T09:22:10Z"));
	CHECK(str_is(r, "observed_from", "2026-11-23T09:12:00Z"));
	CHECK(str_is(r, "title", "Payments down"));
	CHECK(str_is(r, "board", "floor3"));
	CHECK(num_is(r, "level", 2) && num_is(r, "duration_s", 910));
	CHECK(cJSON_IsFalse(get(r, "drill")));
	CHECK(cJSON_GetArraySize(get(r, "steps")) == 2);
	const cJSON *s1 = cJSON_GetArrayItem(get(r, "steps"), 1);
	CHECK(num_is(s1, "step", 2) && str_is(s1, "text", "Post a holding statement"));
	CHECK(cJSON_IsNull(get(r, "first_step_after_s")));
	const cJSON *ig = channel(r, "instagram"), *fb = channel(r, "facebook");
	CHECK(ig && num_is(ig, "began", 2) && num_is(ig, "at_start", 0) && num_is(ig, "peak", 2));
	CHECK(fb && num_is(fb, "began", 0) && num_is(fb, "at_start", 1) && num_is(fb, "peak", 1));
	CHECK(num_is(r, "breaches_total", 2));
	cJSON_Delete(r);
	CHECK(!crisis_take_out(c, &out));
	crisis_destroy(c);
	model_destroy(m);
}

/* A crisis replaced by another (another since) is reported; a drill is
 * said to be one; with reports off nothing is queued. */
static void test_replaced_and_off(void)
{
	struct model *m = model_init(NULL, 0);
	struct crisis *c = crisis_create("wb", "b", true, NULL);
	declare(m, "Drill one", T0, true);
	crisis_update(c, m, T0 + 5);
	declare(m, "Drill one, edited", T0, true);
	crisis_update(c, m, T0 + 6);
	CHECK(!crisis_take_out(c, &out)); /* the same crisis, edited */
	declare(m, "Another", T0 + 100, false);
	crisis_update(c, m, T0 + 100);
	CHECK(crisis_take_out(c, &out));
	cJSON *r = cJSON_Parse(out.payload);
	CHECK(str_is(r, "title", "Drill one, edited") && cJSON_IsTrue(get(r, "drill")));
	cJSON_Delete(r);
	CHECK(crisis_since(c) == T0 + 100);
	crisis_destroy(c);

	c = crisis_create("wb", "b", false, NULL);
	crisis_update(c, m, T0 + 200);
	fixture_msg(&msgbuf, MSG_CRISIS_CLEAR, "");
	apply(m);
	crisis_update(c, m, T0 + 300);
	CHECK(crisis_since(c) == 0 && !crisis_take_out(c, &out));
	crisis_destroy(c);
	crisis_destroy(NULL);
	CHECK(crisis_create("wb", NULL, true, NULL) == NULL);
	model_destroy(m);
}

/* Take every queued publish; the last one for topic into *last (if any). */
static size_t take_all(struct crisis *c, const char *topic, struct crisis_out *last)
{
	size_t n = 0;
	while (crisis_take_out(c, &out)) {
		if (!topic || strcmp(out.topic, topic) == 0) {
			n++;
			if (last)
				*last = out;
		}
	}
	return n;
}

/* What another board receives: the publish decoded as it would be. */
static bool deliver(struct crisis *to, const struct crisis_out *o, int64_t now)
{
	static struct msg m;
	char err[160];
	bool ok = decode_message("wb", o->topic, o->payload, o->len, &m, err, sizeof err);
	if (!ok)
		fprintf(stderr, "  decode %s: %s\n", o->topic, err);
	CHECK(ok && (m.kind == MSG_STEP || m.kind == MSG_STEP_REMOVE));
	return ok && crisis_apply_step(to, &m, now);
}

static struct crisis_out tick_out;

/* Two boards: a tick on A shows on B; untick; a new crisis starts
 * unticked; the ticks are cleared when the crisis ends. */
static void test_checklist(void)
{
	struct model *m = model_init(NULL, 0);
	struct crisis *a = crisis_create("wb", "A", true, NULL), *b = crisis_create("wb", "B", true, NULL);
	declare(m, "Payments down", T0, false);
	crisis_update(a, m, T0 + 1);
	crisis_update(b, m, T0 + 1);
	CHECK(crisis_steps(a) == 2 && crisis_steps_done(a) == 0);
	CHECK(!crisis_tick(a, 2, true, "dana", T0 + 10)); /* no third step */
	CHECK(crisis_tick(a, 1, true, "dana", T0 + 10));
	CHECK(crisis_steps_done(a) == 1);
	CHECK(take_all(a, "wb/crisis/steps/2", &tick_out) == 1);
	CHECK(tick_out.retain && tick_out.qos == 1 && tick_out.durable);
	cJSON *j = cJSON_Parse(tick_out.payload);
	CHECK(num_is(j, "step", 2) && cJSON_IsTrue(get(j, "done")) && str_is(j, "by", "dana"));
	CHECK(str_is(j, "text", "Post a holding statement") && str_is(j, "board", "A"));
	CHECK(str_is(j, "at", "2026-11-23T09:12:10Z") &&
	      str_is(j, "crisis_since", "2026-11-23T09:12:00Z"));
	CHECK(get(j, "sig") == NULL);
	cJSON_Delete(j);
	CHECK(deliver(b, &tick_out, T0 + 11));
	struct crisis_step st;
	CHECK(crisis_step_get(b, 1, &st) && st.done && strcmp(st.by, "dana") == 0 &&
	      st.at == T0 + 10 && strcmp(st.board, "A") == 0);
	CHECK(!deliver(b, &tick_out, T0 + 12)); /* the echo changes nothing */
	CHECK(crisis_steps_done(b) == 1);
	/* untick on B, seen on A */
	CHECK(crisis_tick(b, 1, false, "noa", T0 + 20));
	CHECK(take_all(b, "wb/crisis/steps/2", &tick_out) == 1);
	CHECK(deliver(a, &tick_out, T0 + 21));
	CHECK(crisis_step_get(a, 1, &st) && !st.done && strcmp(st.by, "noa") == 0);
	CHECK(crisis_steps_done(a) == 0);
	/* ticked again, then the crisis ends: the report says who and when,
	 * and A clears the retained ticks */
	CHECK(crisis_tick(a, 0, true, "dana", T0 + 130));
	take_all(a, NULL, NULL);
	fixture_msg(&msgbuf, MSG_CRISIS_CLEAR, "");
	apply(m);
	crisis_update(a, m, T0 + 200);
	struct crisis_out rep, clr;
	CHECK(take_all(a, "wb/crisis/reports/2026-11-23T09:12:00Z", &rep) == 1);
	crisis_update(b, m, T0 + 200);
	size_t clears = 0, reports = 0;
	while (crisis_take_out(b, &out)) {
		if (strncmp(out.topic, "wb/crisis/steps/", 16) == 0 && out.len == 0 && out.retain)
			clears++, clr = out;
		if (strncmp(out.topic, "wb/crisis/reports/", 18) == 0)
			reports++, rep = out;
	}
	CHECK(clears == 1 && strcmp(clr.topic, "wb/crisis/steps/2") == 0); /* B saw step 2 only */
	CHECK(reports == 1);
	j = cJSON_Parse(rep.payload);
	const cJSON *s1 = cJSON_GetArrayItem(get(j, "steps"), 1);
	CHECK(s1 && cJSON_IsFalse(get(s1, "done")) && str_is(s1, "by", "noa"));
	CHECK(cJSON_IsNull(get(j, "first_step_after_s")));
	cJSON_Delete(j);
	/* a new crisis starts unticked even if an old tick comes late */
	declare(m, "Second", T0 + 300, false);
	crisis_update(b, m, T0 + 300);
	CHECK(crisis_steps_done(b) == 0);
	CHECK(!deliver(b, &tick_out, T0 + 301)); /* crisis_since T0: another crisis */
	CHECK(crisis_steps_done(b) == 0);
	CHECK(take_all(b, "wb/crisis/steps/2", &clr) == 1 && clr.len == 0); /* forgotten */
	crisis_destroy(a);
	crisis_destroy(b);
	model_destroy(m);
}

/* A tick that arrives before its crisis is held; the report tells the
 * time to the first step. */
static void test_held_and_first_step(void)
{
	struct model *m = model_init(NULL, 0);
	struct crisis *a = crisis_create("wb", "A", true, NULL), *b = crisis_create("wb", "B", true, NULL);
	declare(m, "Outage", T0, false);
	crisis_update(a, m, T0);
	CHECK(crisis_tick(a, 0, true, "dana", T0 + 312));
	CHECK(take_all(a, "wb/crisis/steps/1", &tick_out) == 1);
	CHECK(!deliver(b, &tick_out, T0 + 400)); /* B has no crisis yet */
	crisis_update(b, m, T0 + 401);
	CHECK(crisis_steps_done(b) == 1);
	fixture_msg(&msgbuf, MSG_CRISIS_CLEAR, "");
	apply(m);
	crisis_update(b, m, T0 + 500);
	struct crisis_out rep;
	CHECK(take_all(b, "wb/crisis/reports/2026-11-23T09:12:00Z", &rep) == 1);
	cJSON *j = cJSON_Parse(rep.payload);
	CHECK(num_is(j, "first_step_after_s", 312));
	const cJSON *s0 = cJSON_GetArrayItem(get(j, "steps"), 0);
	CHECK(s0 && cJSON_IsTrue(get(s0, "done")) && str_is(s0, "by", "dana") &&
	      str_is(s0, "at", "2026-11-23T09:17:12Z"));
	cJSON_Delete(j);
	crisis_destroy(a);
	crisis_destroy(b);
	model_destroy(m);
}

/* With the site's ack key, ticks are signed; unsigned or forged ones are
 * refused. */
static void test_signed(void)
{
	struct acksig_key key = { .len = 32 }, other = { .len = 32 };
	memset(key.bytes, 7, 32);
	memset(other.bytes, 9, 32);
	struct model *m = model_init(NULL, 0);
	struct crisis *a = crisis_create("wb", "A", true, &key), *b = crisis_create("wb", "B", true, &key);
	struct crisis *u = crisis_create("wb", "U", true, NULL), *x = crisis_create("wb", "X", true, &other);
	declare(m, "Outage", T0, false);
	crisis_update(a, m, T0);
	crisis_update(b, m, T0);
	crisis_update(u, m, T0);
	crisis_update(x, m, T0);
	CHECK(crisis_tick(a, 0, true, "dana", T0 + 5));
	CHECK(take_all(a, "wb/crisis/steps/1", &tick_out) == 1);
	cJSON *j = cJSON_Parse(tick_out.payload);
	CHECK(cJSON_IsString(get(j, "sig")) && strlen(get(j, "sig")->valuestring) == 64);
	cJSON_Delete(j);
	CHECK(deliver(b, &tick_out, T0 + 6) && crisis_steps_done(b) == 1);
	CHECK(!deliver(x, &tick_out, T0 + 6) && crisis_ticks_refused(x) == 1); /* another key */
	/* forged: the same signature over another name */
	struct crisis_out forged = tick_out;
	char *p = strstr(forged.payload, "\"by\":\"dana\"");
	CHECK(p != NULL);
	if (p)
		memcpy(p, "\"by\":\"evil\"", 11);
	CHECK(deliver(b, &tick_out, T0 + 7) == false); /* same as shown */
	struct crisis *c = crisis_create("wb", "C", true, &key);
	crisis_update(c, m, T0);
	CHECK(!deliver(c, &forged, T0 + 7) && crisis_ticks_refused(c) == 1);
	/* unsigned, to a board with a key */
	CHECK(crisis_tick(u, 1, true, "dana", T0 + 8));
	CHECK(take_all(u, "wb/crisis/steps/2", &tick_out) == 1);
	CHECK(!deliver(c, &tick_out, T0 + 9) && crisis_ticks_refused(c) == 2);
	CHECK(crisis_steps_done(c) == 0);
	crisis_destroy(a);
	crisis_destroy(b);
	crisis_destroy(c);
	crisis_destroy(u);
	crisis_destroy(x);
	model_destroy(m);
}

/* "Crisis: no step taken" after first_step_within, from the crisis's
 * since, with an injected clock; a tick clears it. */
static void test_no_step_alarm(void)
{
	struct model *m = model_init(NULL, 0);
	struct crisis *c = crisis_create("wb", "A", true, NULL);
	struct alarms_options o = {
		.prefix = "wb", .board_id = "A", .snooze_s = 900, .escalate_after_s = 0,
		.flood_threshold = 5, .linger_s = 0, .first_step_within_s = 300,
	};
	struct alarms *a = alarms_init(&o);
	alarms_set_crisis(a, c);
	declare(m, "Outage", T0 - 100, true);
	crisis_update(c, m, T0);
	alarms_update(a, m, T0);
	struct alarm_view v;
	CHECK(!alarms_find(a, "crisis-steps", &v));
	CHECK(alarms_next_deadline(a, T0) == T0 + 200);
	alarms_update(a, m, T0 + 199);
	CHECK(!alarms_find(a, "crisis-steps", &v));
	alarms_update(a, m, T0 + 200);
	CHECK(alarms_find(a, "crisis-steps", &v) && v.state == ALARM_FIRING);
	CHECK(v.kind == ALARM_NO_STEP && v.drill && v.first_seen == T0 + 200);
	CHECK(strcmp(v.label, "Crisis: no step taken") == 0);
	CHECK(crisis_tick(c, 0, true, "dana", T0 + 250));
	alarms_update(a, m, T0 + 250);
	CHECK(!alarms_find(a, "crisis-steps", &v));
	/* off: 0 */
	alarms_set_crisis(a, NULL);
	alarms_destroy(a);
	o.first_step_within_s = 0;
	a = alarms_init(&o);
	alarms_set_crisis(a, c);
	CHECK(crisis_tick(c, 0, false, "dana", T0 + 260));
	alarms_update(a, m, T0 + 1000);
	CHECK(!alarms_find(a, "crisis-steps", &v));
	alarms_destroy(a);
	crisis_destroy(c);
	model_destroy(m);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_report();
	test_replaced_and_off();
	test_checklist();
	test_held_and_first_step();
	test_signed();
	test_no_step_alarm();
	return check_summary();
}
