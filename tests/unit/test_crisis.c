/* test_crisis.c - the crisis report, with an injected clock: its fields
 * after a crisis ends, breaches counted per channel, a replaced crisis
 * reported, nothing published when reports are off. */
#include "crisis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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
	struct crisis *c = crisis_create("wb", "floor3", true);
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
	struct crisis *c = crisis_create("wb", "b", true);
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

	c = crisis_create("wb", "b", false);
	crisis_update(c, m, T0 + 200);
	fixture_msg(&msgbuf, MSG_CRISIS_CLEAR, "");
	apply(m);
	crisis_update(c, m, T0 + 300);
	CHECK(crisis_since(c) == 0 && !crisis_take_out(c, &out));
	crisis_destroy(c);
	crisis_destroy(NULL);
	CHECK(crisis_create("wb", NULL, true) == NULL);
	model_destroy(m);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_report();
	test_replaced_and_off();
	return check_summary();
}
