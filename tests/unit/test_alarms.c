/* test_alarms.c - alarms derived from the model, acks, escalation, clearing;
 * and the PIN checks a lead passes before acknowledging. Time is injected. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "alarms.h"
#include "log.h"
#include "model.h"
#include "pin.h"
#include "surge.h"

#include "check.h"
#include "fixture.h"

/* 2026-11-23T09:12:00Z */
#define T0 INT64_C(1795425120)

/* ---- model fixtures ---- */

static struct msg msgbuf;

static void apply(struct model *m, const struct msg *msg)
{
	char err[128];
	if (!model_apply(m, msg, err, sizeof err)) {
		fprintf(stderr, "model_apply: %s\n", err);
		exit(2);
	}
}

static void complaint(struct model *m, const char *id, const char *ch,
		      const char *customer, enum priority prio)
{
	apply(m, fixture_complaint(&msgbuf, id, ch, customer, "", T0 - 3600, prio, STATUS_OPEN));
}

static void sla(struct model *m, const char *id, int64_t due_at)
{
	apply(m, fixture_sla(&msgbuf, id, 1800, due_at, false, 0));
}

/* A complaint with a timer due at due_at. */
static void breach_at(struct model *m, const char *id, const char *ch, int64_t due_at)
{
	complaint(m, id, ch, "Dana", PRIORITY_NORMAL);
	sla(m, id, due_at);
}

static void removal(struct model *m, enum msg_kind kind, const char *id)
{
	apply(m, fixture_msg(&msgbuf, kind, id));
}

static void crisis(struct model *m, bool on, const char *title, int64_t since)
{
	memset(&msgbuf, 0, sizeof msgbuf);
	msgbuf.kind = on ? MSG_CRISIS : MSG_CRISIS_CLEAR;
	msgbuf.u.crisis.level = 2;
	snprintf(msgbuf.u.crisis.title, sizeof msgbuf.u.crisis.title, "%s", title);
	msgbuf.u.crisis.since = since;
	apply(m, &msgbuf);
}

static struct alarms_options opts(void)
{
	return (struct alarms_options){
		.prefix = "wb", .board_id = "lobby", .snooze_s = 900,
		.escalate_after_s = 300, .flood_threshold = 5, .linger_s = 10,
	};
}

static enum alarm_state state_of(const struct alarms *a, const char *id)
{
	struct alarm_view v;
	return alarms_find(a, id, &v) ? v.state : (enum alarm_state)-1;
}

static bool exists(const struct alarms *a, const char *id)
{
	struct alarm_view v;
	return alarms_find(a, id, &v);
}

static struct alarm_out outs[64];

static size_t drain(struct alarms *a)
{
	return alarms_take_outbox(a, outs, 64);
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---- alarms ---- */

static void test_breach_raises(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 + 60);
	complaint(m, "c2", "web", "Dana VIP", PRIORITY_VIP);
	sla(m, "c2", T0 + 90);

	CHECK(!alarms_update(a, m, T0));
	CHECK(alarms_count(a) == 0);
	CHECK(!alarms_any_firing(a));
	CHECK(alarms_next_deadline(a, T0) == T0 + 60); /* c1 breaches then */

	CHECK(alarms_update(a, m, T0 + 61));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v));
	CHECK(v.state == ALARM_FIRING && v.kind == ALARM_BREACH);
	CHECK(v.severity == ALARM_SEV_LOW);
	CHECK(strcmp(v.channel, "web") == 0);
	CHECK(v.first_seen == T0 + 60);    /* from the data: due_at */
	CHECK(strstr(v.label, "Dana") && strstr(v.label, "web"));
	CHECK(alarms_any_firing(a));
	CHECK(!alarms_update(a, m, T0 + 62)); /* nothing new */

	CHECK(alarms_update(a, m, T0 + 91));
	CHECK(alarms_find(a, "breach:c2", &v) && v.severity == ALARM_SEV_MEDIUM);
	CHECK(strncmp(v.label, "VIP ", 4) == 0);
	/* vip first although it breached later */
	CHECK(alarms_get(a, 0, &v) && strcmp(v.id, "breach:c2") == 0);
	CHECK(alarms_get(a, 1, &v) && strcmp(v.id, "breach:c1") == 0);
	CHECK(!alarms_get(a, 2, &v));
	CHECK(alarms_outbox_count(a) == 0);
	alarms_destroy(a);
	model_destroy(m);
}

/* Ids derive from the data only: two boards name them alike. */
static const struct {
	const char *complaint, *channel, *want;
} id_cases[] = {
	{ "c1", "web", "breach:c1" },
	{ "ORD-77", "whatsapp", "breach:ORD-77" },
	{ "x", "a/b+c#", "breach:x" },
	/* 56 bytes: "breach:" + 56 = 63, still fits */
	{ "12345678901234567890123456789012345678901234567890123456", "web",
	  "breach:12345678901234567890123456789012345678901234567890123456" },
};

static void test_ids(void)
{
	for (size_t i = 0; i < sizeof id_cases / sizeof id_cases[0]; i++) {
		struct model *m = model_init(NULL, 0);
		struct alarms_options o = opts();
		struct alarms *a = alarms_init(&o);
		breach_at(m, id_cases[i].complaint, id_cases[i].channel, T0);
		alarms_update(a, m, T0 + 1);
		struct alarm_view v;
		bool ok = alarms_get(a, 0, &v) && strcmp(v.id, id_cases[i].want) == 0;
		if (!ok)
			fprintf(stderr, "id case %zu\n", i);
		CHECK(ok);
		alarms_destroy(a);
		model_destroy(m);
	}

	/* Long complaint ids and MQTT-reserved channel characters. */
	const char *long_id = "123456789012345678901234567890123456789012345678901234567";
	const char *long_id2 = "123456789012345678901234567890123456789012345678901234568";
	char ids[2][ALARM_ID_MAX];
	for (int board = 0; board < 2; board++) {
		struct model *m = model_init(NULL, 0);
		struct alarms_options o = opts();
		o.channel_max_open = 1;
		struct alarms *a = alarms_init(&o);
		breach_at(m, long_id, "a/b+c#", T0);
		breach_at(m, long_id2, "a/b+c#", T0 - 10);
		alarms_update(a, m, T0 + 1);
		struct alarm_view v1, v2;
		CHECK(alarms_count(a) == 3);
		CHECK(exists(a, "open:a_b_c_"));
		CHECK(alarms_get(a, 2, &v1) && alarms_get(a, 1, &v2));
		CHECK(strlen(v1.id) < ALARM_ID_MAX && strlen(v2.id) < ALARM_ID_MAX);
		CHECK(strncmp(v1.id, "breach:1234", 11) == 0 && strchr(v1.id, '~'));
		CHECK(strcmp(v1.id, v2.id) != 0);
		CHECK(strcmp(v1.channel, "a/b+c#") == 0);
		snprintf(ids[board], sizeof ids[board], "%s", v1.id);
		alarms_destroy(a);
		model_destroy(m);
	}
	CHECK(strcmp(ids[0], ids[1]) == 0);
}

/* Breaches in one channel: per complaint up to the threshold, one flood
 * alarm beyond. */
static const struct {
	int breaches;
	size_t want_alarms;
	bool flood;
} flood_cases[] = {
	{ 0, 0, false }, { 1, 1, false }, { 5, 5, false },
	{ 6, 1, true }, { 1000, 1, true },
};

static void test_flood(void)
{
	for (size_t i = 0; i < sizeof flood_cases / sizeof flood_cases[0]; i++) {
		struct model *m = model_init(NULL, 0);
		struct alarms_options o = opts();
		struct alarms *a = alarms_init(&o);
		for (int k = 0; k < flood_cases[i].breaches; k++) {
			char id[32];
			snprintf(id, sizeof id, "f%d", k);
			breach_at(m, id, "chat", T0 - 1000 + k);
		}
		breach_at(m, "other", "mail", T0 - 5); /* another channel: own alarm */
		alarms_update(a, m, T0);
		struct alarm_view v;
		bool flood = alarms_find(a, "flood:chat", &v);
		bool ok = alarms_count(a) == flood_cases[i].want_alarms + 1 &&
			  flood == flood_cases[i].flood && exists(a, "breach:other") &&
			  (!flood || (v.value == flood_cases[i].breaches &&
				      v.severity == ALARM_SEV_HIGH)) &&
			  exists(a, "breach:f0") == (!flood && flood_cases[i].breaches > 0);
		if (!ok)
			fprintf(stderr, "flood case %d breaches\n", flood_cases[i].breaches);
		CHECK(ok);
		alarms_destroy(a);
		model_destroy(m);
	}
}

static void test_flood_transition(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.flood_threshold = 2;
	struct alarms *a = alarms_init(&o);
	breach_at(m, "a", "chat", T0 - 30);
	breach_at(m, "b", "chat", T0 - 20);
	alarms_update(a, m, T0);
	CHECK(alarms_ack(a, "breach:a", "Noa", T0));
	drain(a);
	breach_at(m, "c", "chat", T0 - 10);
	alarms_update(a, m, T0 + 1);
	/* The per-complaint alarms give way to the flood alarm; the acked
	 * one clears its ack on the broker. */
	CHECK(state_of(a, "flood:chat") == ALARM_FIRING);
	CHECK(state_of(a, "breach:a") == ALARM_CLEARED);
	CHECK(state_of(a, "breach:b") == ALARM_CLEARED);
	CHECK(drain(a) == 1 && strcmp(outs[0].topic, "wb/acks/breach:a") == 0 &&
	      outs[0].len == 0);
	alarms_update(a, m, T0 + 11); /* linger over */
	CHECK(alarms_count(a) == 1);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_ack_message(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 100);
	alarms_update(a, m, T0 - 10);
	CHECK(!alarms_ack(a, "breach:nope", "Noa", T0));
	CHECK(alarms_ack(a, "breach:c1", "Noa \"N\" Levi", T0));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_ACKED);
	CHECK(strcmp(v.acked_by, "Noa \"N\" Levi") == 0);
	CHECK(strcmp(v.acked_board, "lobby") == 0);
	CHECK(v.acked_at == T0 && v.acked_until == T0 + 900);
	CHECK(!alarms_any_firing(a));

	CHECK(alarms_outbox_count(a) == 1);
	CHECK(drain(a) == 1);
	CHECK(alarms_outbox_count(a) == 0);
	CHECK(strcmp(outs[0].topic, "wb/acks/breach:c1") == 0);
	CHECK(outs[0].retain && outs[0].qos == 1 && outs[0].durable);
	CHECK(outs[0].len == strlen(outs[0].payload));
	cJSON *j = cJSON_ParseWithLength(outs[0].payload, outs[0].len);
	CHECK(j != NULL);
	CHECK(strcmp(jstr(j, "alarm"), "breach:c1") == 0);
	CHECK(strcmp(jstr(j, "by"), "Noa \"N\" Levi") == 0);
	CHECK(strcmp(jstr(j, "at"), "2026-11-23T09:12:00Z") == 0);
	CHECK(strcmp(jstr(j, "board"), "lobby") == 0);
	CHECK(strcmp(jstr(j, "until"), "2026-11-23T09:27:00Z") == 0);
	cJSON_Delete(j);

	/* The echo of our own ack changes nothing. */
	struct msg_ack echo = { .alarm = "breach:c1", .by = "Noa \"N\" Levi",
				.at = T0, .board = "lobby", .until = T0 + 900 };
	CHECK(!alarms_apply_ack(a, &echo, T0 + 1));
	CHECK(state_of(a, "breach:c1") == ALARM_ACKED);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_ack_until_cleared(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.snooze_s = 0;  /* an ack lasts until the alarm clears */
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 100);
	alarms_update(a, m, T0);
	CHECK(alarms_ack(a, "breach:c1", "Noa", T0));
	CHECK(drain(a) == 1);
	cJSON *j = cJSON_Parse(outs[0].payload);
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "until");
	CHECK(cJSON_IsNumber(u) && u->valuedouble == 0);
	cJSON_Delete(j);
	alarms_update(a, m, T0 + 100000);
	CHECK(state_of(a, "breach:c1") == ALARM_ACKED);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_held_ack(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	/* Retained acks arrive before the model has the data. */
	struct msg_ack ack = { .alarm = "breach:c9", .by = "Yossi", .at = T0 - 50,
			       .board = "hall", .until = T0 + 500 };
	struct msg_ack old = { .alarm = "breach:c8", .by = "Yossi", .at = T0 - 5000,
			       .board = "hall", .until = T0 - 4000 };
	CHECK(!alarms_apply_ack(a, &ack, T0));
	CHECK(!alarms_apply_ack(a, &old, T0));
	CHECK(alarms_count(a) == 0);
	breach_at(m, "c9", "web", T0 - 100);
	breach_at(m, "c8", "web", T0 - 100);
	CHECK(alarms_update(a, m, T0));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c9", &v) && v.state == ALARM_ACKED);
	CHECK(strcmp(v.acked_by, "Yossi") == 0 && strcmp(v.acked_board, "hall") == 0);
	CHECK(v.acked_until == T0 + 500);
	CHECK(state_of(a, "breach:c8") == ALARM_FIRING); /* expired: no effect */
	CHECK(alarms_outbox_count(a) == 0);              /* nothing re-published */

	/* The ack is removed elsewhere (empty retained): loud again. */
	CHECK(alarms_remove_ack(a, "breach:c9", T0 + 5));
	CHECK(state_of(a, "breach:c9") == ALARM_FIRING);
	CHECK(!alarms_remove_ack(a, "breach:c9", T0 + 5));

	/* An ack whose snooze is over, for a shown alarm (a replay): it stays
	 * loud, but the broker holds that ack, so clearing removes it. */
	struct msg_ack stale = { .alarm = "breach:c8", .by = "Avi", .at = T0 - 900,
				 .board = "hall", .until = T0 - 1 };
	CHECK(!alarms_apply_ack(a, &stale, T0 + 5));
	CHECK(state_of(a, "breach:c8") == ALARM_FIRING);
	removal(m, MSG_SLA_REMOVE, "c8");
	alarms_update(a, m, T0 + 5);
	CHECK(drain(a) == 1 && strcmp(outs[0].topic, "wb/acks/breach:c8") == 0 &&
	      outs[0].len == 0);

	/* A held ack that is removed before its alarm appears never applies. */
	struct msg_ack ack7 = { .alarm = "breach:c7", .by = "Yossi", .at = T0,
				.board = "hall", .until = 0 };
	alarms_apply_ack(a, &ack7, T0 + 6);
	alarms_remove_ack(a, "breach:c7", T0 + 6);
	breach_at(m, "c7", "web", T0 - 100);
	alarms_update(a, m, T0 + 7);
	CHECK(state_of(a, "breach:c7") == ALARM_FIRING);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_held_acks_bounded(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	/* Far more acks for unknown alarms than the table holds: the
	 * newest are kept, the oldest evicted. */
	for (int i = 0; i < 3 * ALARMS_HELD_ACKS; i++) {
		struct msg_ack ack = { .by = "x", .at = T0, .board = "b", .until = 0 };
		snprintf(ack.alarm, sizeof ack.alarm, "breach:h%d", i);
		alarms_apply_ack(a, &ack, T0);
	}
	breach_at(m, "h0", "web", T0 - 10);
	char last[32];
	snprintf(last, sizeof last, "h%d", 3 * ALARMS_HELD_ACKS - 1);
	breach_at(m, last, "web", T0 - 10);
	alarms_update(a, m, T0);
	char last_id[40];
	snprintf(last_id, sizeof last_id, "breach:%s", last);
	CHECK(state_of(a, "breach:h0") == ALARM_FIRING);  /* evicted */
	CHECK(state_of(a, last_id) == ALARM_ACKED);       /* kept */
	alarms_destroy(a);
	model_destroy(m);
}

static void test_snooze(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.escalate_after_s = 0;
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 100);
	alarms_update(a, m, T0);
	alarms_ack(a, "breach:c1", "Noa", T0 + 10);
	CHECK(alarms_next_deadline(a, T0 + 10) == T0 + 910);
	CHECK(!alarms_update(a, m, T0 + 909));
	CHECK(state_of(a, "breach:c1") == ALARM_ACKED);
	CHECK(alarms_update(a, m, T0 + 910));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_FIRING);
	CHECK(v.acked_by[0] == '\0' && v.acked_until == 0);
	CHECK(v.first_seen == T0 - 100); /* same occurrence */
	CHECK(alarms_any_firing(a));
	/* A snoozed alarm that fires again can be acked again. */
	CHECK(alarms_ack(a, "breach:c1", "Noa", T0 + 920));
	CHECK(state_of(a, "breach:c1") == ALARM_ACKED);
	alarms_destroy(a);
	model_destroy(m);
}

static size_t count_topic(size_t n, const char *topic)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += strcmp(outs[i].topic, topic) == 0;
	return k;
}

static void test_escalation(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.linger_s = 0;
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 1000);
	alarms_update(a, m, T0);
	CHECK(alarms_next_deadline(a, T0) == T0 + 300);
	size_t esc = 0;
	for (int64_t t = T0; t < T0 + 299; t += 7) {
		alarms_update(a, m, t);
		esc += count_topic(drain(a), "wb/escalations/breach:c1");
	}
	CHECK(esc == 0);
	CHECK(alarms_update(a, m, T0 + 300));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v) && v.escalated);
	size_t n = drain(a);
	CHECK(n == 1 && count_topic(n, "wb/escalations/breach:c1") == 1);
	CHECK(!outs[0].retain && outs[0].qos == 1 && !outs[0].durable);
	cJSON *j = cJSON_ParseWithLength(outs[0].payload, outs[0].len);
	CHECK(strcmp(jstr(j, "alarm"), "breach:c1") == 0);
	CHECK(strcmp(jstr(j, "severity"), "low") == 0);
	CHECK(strcmp(jstr(j, "label"), v.label) == 0);
	CHECK(strcmp(jstr(j, "first_seen"), "2026-11-23T08:55:20Z") == 0);
	CHECK(strcmp(jstr(j, "board"), "lobby") == 0);
	cJSON_Delete(j);
	esc = 0;
	for (int64_t t = T0 + 301; t < T0 + 5000; t += 13) {
		alarms_update(a, m, t);
		esc += count_topic(drain(a), "wb/escalations/breach:c1");
	}
	CHECK(esc == 0); /* once per occurrence */

	/* Answered, then breached again: a new occurrence escalates anew. */
	removal(m, MSG_SLA_REMOVE, "c1");
	alarms_update(a, m, T0 + 5000);
	CHECK(!exists(a, "breach:c1"));
	sla(m, "c1", T0 + 5010);
	alarms_update(a, m, T0 + 5011);
	CHECK(alarms_find(a, "breach:c1", &v) && !v.escalated);
	alarms_update(a, m, T0 + 5311);
	CHECK(count_topic(drain(a), "wb/escalations/breach:c1") == 1);

	/* After a snooze, escalation counts from the snooze's end, even when
	 * the update that notices it comes late. */
	breach_at(m, "c3", "web", T0 + 5400);
	alarms_update(a, m, T0 + 5401);
	alarms_ack(a, "breach:c3", "Noa", T0 + 5402);
	alarms_update(a, m, T0 + 5402 + 900 + 50);
	CHECK(state_of(a, "breach:c3") == ALARM_FIRING);
	CHECK(alarms_next_deadline(a, T0 + 5402 + 950) == T0 + 5402 + 900 + 300);
	drain(a);

	/* An acked alarm does not escalate. */
	breach_at(m, "c2", "web", T0 + 5400);
	alarms_update(a, m, T0 + 5401);
	alarms_ack(a, "breach:c2", "Noa", T0 + 5402);
	drain(a);
	alarms_update(a, m, T0 + 5402 + 299 + 300);
	CHECK(count_topic(drain(a), "wb/escalations/breach:c2") == 0);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_clear_and_refire(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 100);
	breach_at(m, "c2", "web", T0 - 100);
	alarms_update(a, m, T0);
	alarms_ack(a, "breach:c1", "Noa", T0 + 1);
	CHECK(drain(a) == 1);

	removal(m, MSG_COMPLAINT_REMOVE, "c1");
	removal(m, MSG_COMPLAINT_REMOVE, "c2");
	CHECK(alarms_update(a, m, T0 + 2));
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_CLEARED);
	CHECK(v.acked_by[0] == '\0');
	CHECK(state_of(a, "breach:c2") == ALARM_CLEARED);
	CHECK(!alarms_any_firing(a));
	CHECK(!alarms_ack(a, "breach:c1", "Noa", T0 + 3)); /* cleared */
	/* Only the acked one had an ack to clear on the broker. */
	size_t n = drain(a);
	CHECK(n == 1);
	CHECK(strcmp(outs[0].topic, "wb/acks/breach:c1") == 0);
	CHECK(outs[0].len == 0 && outs[0].retain && outs[0].qos == 1 && outs[0].durable);
	/* Cleared alarms are listed after the others, then go away. */
	CHECK(alarms_count(a) == 2);
	CHECK(alarms_next_deadline(a, T0 + 2) == T0 + 12);
	CHECK(!alarms_update(a, m, T0 + 11));
	CHECK(alarms_update(a, m, T0 + 12));
	CHECK(alarms_count(a) == 0);

	/* Fires again: a new, unacked occurrence. */
	breach_at(m, "c1", "web", T0 + 50);
	alarms_update(a, m, T0 + 60);
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_FIRING);
	CHECK(v.first_seen == T0 + 50 && !v.escalated && v.acked_by[0] == '\0');
	CHECK(drain(a) == 0);

	/* Fires again while still lingering: also a new occurrence. */
	alarms_ack(a, "breach:c1", "Noa", T0 + 61);
	removal(m, MSG_COMPLAINT_REMOVE, "c1");
	alarms_update(a, m, T0 + 62);
	breach_at(m, "c1", "web", T0 + 63);
	alarms_update(a, m, T0 + 64);
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_FIRING);
	CHECK(v.first_seen == T0 + 63);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_crisis(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.linger_s = 0;
	struct alarms *a = alarms_init(&o);
	breach_at(m, "c1", "web", T0 - 5000);
	crisis(m, true, "Outage in the north", T0 - 60);
	alarms_update(a, m, T0);
	struct alarm_view v;
	CHECK(alarms_get(a, 0, &v) && strcmp(v.id, "crisis") == 0);
	CHECK(v.state == ALARM_FIRING && v.severity == ALARM_SEV_CRITICAL);
	CHECK(v.kind == ALARM_CRISIS && v.first_seen == T0 - 60);
	CHECK(strcmp(v.label, "Outage in the north") == 0 && v.value == 2);
	CHECK(alarms_ack(a, "crisis", "Noa", T0 + 1));
	CHECK(state_of(a, "crisis") == ALARM_ACKED); /* banner steady */
	CHECK(drain(a) == 1 && strcmp(outs[0].topic, "wb/acks/crisis") == 0);
	crisis(m, false, "", 0);
	alarms_update(a, m, T0 + 2);
	CHECK(!exists(a, "crisis"));
	CHECK(drain(a) == 1 && outs[0].len == 0 &&
	      strcmp(outs[0].topic, "wb/acks/crisis") == 0);
	crisis(m, true, "", 0);
	alarms_update(a, m, T0 + 3);
	CHECK(alarms_find(a, "crisis", &v) && v.state == ALARM_FIRING);
	CHECK(strcmp(v.label, "Crisis") == 0 && v.first_seen == T0 + 3);
	alarms_destroy(a);
	model_destroy(m);
}

/* A drill crisis and a drill complaint: alarms marked drill, escalated
 * on the board (louder) but never published; a real one still is. */
static void test_drill(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	crisis(m, true, "Practice: payments down", T0 - 60);
	memset(&msgbuf, 0, sizeof msgbuf);
	msgbuf.kind = MSG_CRISIS;
	msgbuf.u.crisis.level = 2;
	msgbuf.u.crisis.drill = true;
	snprintf(msgbuf.u.crisis.title, sizeof msgbuf.u.crisis.title, "Practice");
	apply(m, &msgbuf);
	fixture_complaint(&msgbuf, "d1", "web", "Drill customer", "", T0 - 3600, PRIORITY_NORMAL,
			  STATUS_OPEN);
	msgbuf.u.complaint.drill = true;
	apply(m, &msgbuf);
	sla(m, "d1", T0 - 10);
	breach_at(m, "r1", "web", T0 - 10);
	alarms_update(a, m, T0);
	struct alarm_view v;
	CHECK(alarms_find(a, "crisis", &v) && v.drill);
	CHECK(alarms_find(a, "breach:d1", &v) && v.drill);
	CHECK(alarms_find(a, "breach:r1", &v) && !v.drill);
	drain(a);
	alarms_update(a, m, T0 + 301);
	CHECK(alarms_find(a, "crisis", &v) && v.escalated);
	CHECK(alarms_find(a, "breach:d1", &v) && v.escalated);
	size_t n = drain(a);
	CHECK(count_topic(n, "wb/escalations/crisis") == 0);
	CHECK(count_topic(n, "wb/escalations/breach:d1") == 0);
	CHECK(count_topic(n, "wb/escalations/breach:r1") == 1);
	alarms_destroy(a);
	model_destroy(m);
}

/* A surge is an alarm "surge:<ch>" with the words of the issue. */
static void test_surge_alarm(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct config cfg;
	config_defaults(&cfg);
	o.names = &cfg;
	struct alarms *a = alarms_init(&o);
	struct surge_options so = { .factor = 4, .min_per_window = 10, .learn_s = 0 };
	struct surge *s = surge_create(&so);
	alarms_set_surge(a, s);
	for (int i = 0; i < 23; i++) {
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		surge_note(s, "instagram", id, T0 + i, i < 3, T0 + i);
	}
	surge_update(s, T0 + 30);
	CHECK(alarms_update(a, m, T0 + 30));
	struct alarm_view v;
	CHECK(alarms_find(a, "surge:instagram", &v));
	CHECK(v.kind == ALARM_SURGE && v.severity == ALARM_SEV_HIGH && v.value == 23 && !v.drill);
	checkf(strcmp(v.label, "Surge on Instagram: 23 in 10 min, usually 0") == 0, "label %s",
	       v.label);
	CHECK(strcmp(v.channel, "instagram") == 0);
	CHECK(alarms_next_deadline(a, T0 + 30) == T0 + 60); /* the window moves */
	/* the window empties: the alarm clears */
	surge_update(s, T0 + 20 * 60);
	alarms_update(a, m, T0 + 20 * 60);
	CHECK(alarms_find(a, "surge:instagram", &v) && v.state == ALARM_CLEARED);
	alarms_set_surge(a, NULL);
	surge_destroy(s);
	alarms_destroy(a);
	model_destroy(m);
}

/* Channel thresholds: over the limit fires, at the limit does not. */
static const struct {
	int max_open, max_breached, max_wait_s;
	int64_t now;
	const char *present[4];
	const char *absent[4];
} threshold_cases[] = {
	{ 0, 0, 0, T0, { NULL }, { "open:web", "breached:web", "wait:web" } },
	{ 3, 0, 0, T0, { "open:web" }, { "breached:web" } },
	{ 4, 0, 0, T0, { NULL }, { "open:web" } },
	{ 0, 2, 0, T0, { "breached:web" }, { "open:web" } },
	{ 0, 3, 0, T0, { NULL }, { "breached:web" } },
	{ 0, 0, 3600, T0, { NULL }, { "wait:web" } },         /* waited 3600 */
	{ 0, 0, 3600, T0 + 1, { "wait:web" }, { NULL } },
	{ 1, 1, 60, T0, { "open:web", "breached:web", "wait:web" }, { NULL } },
};

static void test_thresholds(void)
{
	for (size_t i = 0; i < sizeof threshold_cases / sizeof threshold_cases[0]; i++) {
		struct model *m = model_init(NULL, 0);
		struct alarms_options o = opts();
		o.channel_max_open = threshold_cases[i].max_open;
		o.channel_max_breached = threshold_cases[i].max_breached;
		o.channel_max_wait_s = threshold_cases[i].max_wait_s;
		struct alarms *a = alarms_init(&o);
		/* 4 open (opened T0 - 3600), 3 of them breached */
		breach_at(m, "a", "web", T0 - 30);
		breach_at(m, "b", "web", T0 - 20);
		breach_at(m, "c", "web", T0 - 10);
		complaint(m, "d", "web", "Avi", PRIORITY_NORMAL);
		alarms_update(a, m, threshold_cases[i].now);
		bool ok = true;
		for (int k = 0; k < 4 && threshold_cases[i].present[k]; k++) {
			struct alarm_view v;
			ok &= alarms_find(a, threshold_cases[i].present[k], &v) &&
			      v.severity == ALARM_SEV_HIGH && v.state == ALARM_FIRING;
		}
		for (int k = 0; k < 4 && threshold_cases[i].absent[k]; k++)
			ok &= !exists(a, threshold_cases[i].absent[k]);
		if (!ok)
			fprintf(stderr, "threshold case %zu\n", i);
		CHECK(ok);
		alarms_destroy(a);
		model_destroy(m);
	}
}

static void test_wait_deadline_and_first_seen(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.channel_max_wait_s = 7200; /* opened T0 - 3600: crosses at T0 + 3601 */
	o.escalate_after_s = 0;
	struct alarms *a = alarms_init(&o);
	complaint(m, "d", "web", "Avi", PRIORITY_NORMAL);
	alarms_update(a, m, T0);
	CHECK(alarms_next_deadline(a, T0) == T0 + 3601);
	alarms_update(a, m, T0 + 4000);
	struct alarm_view v;
	CHECK(alarms_find(a, "wait:web", &v) && v.first_seen == T0 + 3600);
	CHECK(strstr(v.label, "120 min") != NULL);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_order(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	o.channel_max_open = 2;
	o.flood_threshold = 1;
	struct alarms *a = alarms_init(&o);
	breach_at(m, "n1", "web", T0 - 50);
	complaint(m, "v1", "mail", "Vip", PRIORITY_VIP);
	sla(m, "v1", T0 - 10);
	breach_at(m, "n0", "sms", T0 - 90);
	breach_at(m, "f1", "chat", T0 - 5);
	breach_at(m, "f2", "chat", T0 - 6);
	breach_at(m, "o1", "web", T0 + 100);
	breach_at(m, "o2", "web", T0 + 100);
	crisis(m, true, "Storm", T0 - 1);
	alarms_update(a, m, T0);
	static const char *const want[] = {
		"crisis", "flood:chat", "open:web", "breach:v1", "breach:n0", "breach:n1",
	};
	bool ok = alarms_count(a) == 6;
	for (size_t i = 0; ok && i < 6; i++) {
		struct alarm_view v;
		ok = alarms_get(a, i, &v) && strcmp(v.id, want[i]) == 0;
		if (!ok)
			fprintf(stderr, "order[%zu] = %s\n", i, v.id);
	}
	CHECK(ok);

	/* Cleared alarms go to the end while they linger, however severe. */
	crisis(m, false, "", 0);
	alarms_update(a, m, T0 + 1);
	struct alarm_view v;
	CHECK(alarms_count(a) == 6);
	CHECK(alarms_get(a, 0, &v) && strcmp(v.id, "flood:chat") == 0);
	CHECK(alarms_get(a, 5, &v) && strcmp(v.id, "crisis") == 0 &&
	      v.state == ALARM_CLEARED);
	alarms_destroy(a);
	model_destroy(m);
}

/* Months of churn: breaches come and go with new ids; memory holds only
 * what is current. */
static void test_bounded_churn(void)
{
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = opts();
	struct alarms *a = alarms_init(&o);
	size_t max_count = 0, max_outbox = 0;
	int64_t t = T0;
	for (int i = 0; i < 20000; i++, t += 7) {
		char id[32];
		snprintf(id, sizeof id, "k%d", i);
		breach_at(m, id, i % 3 ? "web" : "chat", t - 1);
		if (i % 4 == 0)
			alarms_ack(a, "flood:web", "Noa", t);
		if (i >= 8) {
			snprintf(id, sizeof id, "k%d", i - 8);
			removal(m, MSG_COMPLAINT_REMOVE, id);
		}
		alarms_update(a, m, t);
		if (alarms_count(a) > max_count)
			max_count = alarms_count(a);
		if (alarms_outbox_count(a) > max_outbox)
			max_outbox = alarms_outbox_count(a);
		drain(a);
	}
	/* 8 breaches at most, in 2 channels, plus lingering cleared ones. */
	CHECK(max_count <= 8 + 2 + 2 * 2);
	CHECK(max_outbox <= 4);
	alarms_destroy(a);
	model_destroy(m);
}

static void test_api_edges(void)
{
	alarms_destroy(NULL);
	struct alarms_options o = opts();
	o.board_id = "";
	CHECK(alarms_init(&o) == NULL);
	o = opts();
	o.prefix = NULL;
	CHECK(alarms_init(&o) == NULL);

	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.prefix, sizeof cfg.prefix, "site");
	snprintf(cfg.board_id, sizeof cfg.board_id, "b1");
	cfg.snooze_s = 60;
	cfg.flood_threshold = 7;
	alarms_options_from_config(&o, &cfg);
	CHECK(strcmp(o.prefix, "site") == 0 && strcmp(o.board_id, "b1") == 0);
	CHECK(o.snooze_s == 60 && o.flood_threshold == 7 && o.linger_s == ALARMS_LINGER_S);

	CHECK(strcmp(alarm_severity_name(ALARM_SEV_CRITICAL), "critical") == 0);
	CHECK(strcmp(alarm_kind_name(ALARM_WAIT), "wait") == 0);

	/* Outbox taken in pieces keeps its order. */
	struct model *m = model_init(NULL, 0);
	o = opts();
	struct alarms *a = alarms_init(&o);
	breach_at(m, "p1", "web", T0 - 3);
	breach_at(m, "p2", "web", T0 - 2);
	alarms_update(a, m, T0);
	alarms_ack(a, "breach:p1", "A", T0);
	alarms_ack(a, "breach:p2", "B", T0);
	struct alarm_out one;
	CHECK(alarms_take_outbox(a, &one, 1) == 1 && strstr(one.topic, "p1"));
	CHECK(alarms_take_outbox(a, &one, 1) == 1 && strstr(one.topic, "p2"));
	CHECK(alarms_take_outbox(a, &one, 1) == 0);
	alarms_destroy(a);
	model_destroy(m);
}

/* ---- PINs ---- */

static const struct {
	const char *a, *b;
	size_t n;
	bool equal;
} ct_cases[] = {
	{ "", "", 0, true },
	{ "abc", "abc", 3, true },
	{ "abc", "abd", 3, false },
	{ "xbc", "abc", 3, false },
	{ "abcdef", "abcxyz", 3, true },  /* only n bytes count */
	{ "\x80\x01", "\x00\x01", 2, false },
};

static const struct {
	const char *pin;
	bool ok;
} wellformed_cases[] = {
	{ "1234", true }, { "123456789012", true }, { "123", false },
	{ "1234567890123", false }, { "12a4", false }, { "", false },
	{ " 1234", false }, { "１２３４", false },
};

static void test_pin_basics(void)
{
	for (size_t i = 0; i < sizeof ct_cases / sizeof ct_cases[0]; i++)
		CHECK(pin_equal_ct(ct_cases[i].a, ct_cases[i].b, ct_cases[i].n) ==
		      ct_cases[i].equal);
	for (size_t i = 0; i < sizeof wellformed_cases / sizeof wellformed_cases[0]; i++)
		CHECK(pin_is_wellformed(wellformed_cases[i].pin) == wellformed_cases[i].ok);
	CHECK(!pin_is_wellformed(NULL));

	char h1[PIN_HASH_MAX], h2[PIN_HASH_MAX];
	CHECK(pin_hash_make("4711", h1, sizeof h1));
	CHECK(pin_hash_make("4711", h2, sizeof h2));
	CHECK(h1[0] == '$' && (strncmp(h1, "$y$", 3) == 0 || strncmp(h1, "$6$", 3) == 0));
	CHECK(strcmp(h1, h2) != 0);          /* fresh salt each time */
	CHECK(pin_verify("4711", h1) && pin_verify("4711", h2));
	CHECK(!pin_verify("4712", h1));
	CHECK(!pin_verify("471", h1));
	CHECK(!pin_verify("4711", "not a hash"));
	CHECK(!pin_verify("4711", "$y$garbage"));
	CHECK(!pin_hash_make("12", h1, sizeof h1));
	CHECK(!pin_hash_make("4711", h1, 8)); /* does not fit */

	/* A hash made elsewhere (openssl passwd -6 -salt saltsalt 1234). */
	CHECK(pin_verify("1234", "$6$saltsalt$/alWecYH7Ry7BmdtYwV3ObFkYwJ96i4zoGSMR0"
			 "9J7xkAoFGB7iwoQytRgpR6rkCCVBVNkvTdkdDjhKYVJ8L2T."));
	CHECK(!pin_verify("1235", "$6$saltsalt$/alWecYH7Ry7BmdtYwV3ObFkYwJ96i4zoGSMR0"
			  "9J7xkAoFGB7iwoQytRgpR6rkCCVBVNkvTdkdDjhKYVJ8L2T."));
}

static struct lead_conf leads[3];

static void make_leads(void)
{
	static const char *const names[] = { "Noa", "Avi", "Shirin" };
	static const char *const pins[] = { "1111", "2222", "3333" };
	for (int i = 0; i < 3; i++) {
		snprintf(leads[i].name, sizeof leads[i].name, "%s", names[i]);
		if (!pin_hash_make(pins[i], leads[i].pin_hash, sizeof leads[i].pin_hash))
			exit(2);
	}
}

static void test_pin_leads(void)
{
	CHECK(pin_find_lead(leads, 3, "1111") == 0);
	CHECK(pin_find_lead(leads, 3, "3333") == 2);
	CHECK(pin_find_lead(leads, 3, "4444") == -1);
	CHECK(pin_find_lead(leads, 0, "1111") == -1);
}

/* Lockout: 3 wrong in a row lock 30 s, doubling per further failure up
 * to 15 min; refused attempts are not checked or counted; success resets. */
static void test_pin_lockout(void)
{
	struct pin_guard *g = pin_guard_init();
	int64_t t = 1000000;
	size_t idx = 99;
	CHECK(pin_login(g, leads, 3, "9999", t, &idx) == PIN_WRONG);
	CHECK(pin_login(g, leads, 3, "9998", t + 1, &idx) == PIN_WRONG);
	CHECK(pin_guard_wait_ms(g, t + 1) == 0);
	CHECK(pin_login(g, leads, 3, "9997", t + 2, &idx) == PIN_WRONG);
	CHECK(pin_guard_failures(g) == 3);
	CHECK(pin_guard_wait_ms(g, t + 2) == 30000);
	/* Even the right PIN is refused while locked, and not counted. */
	CHECK(pin_login(g, leads, 3, "1111", t + 2 + 29999, &idx) == PIN_LOCKED);
	CHECK(pin_guard_failures(g) == 3 && idx == 99);
	t += 2 + 30000;
	CHECK(pin_guard_wait_ms(g, t) == 0);

	static const int64_t locks_s[] = { 60, 120, 240, 480, 900, 900, 900 };
	for (size_t i = 0; i < sizeof locks_s / sizeof locks_s[0]; i++) {
		CHECK(pin_login(g, leads, 3, "0000", t, &idx) == PIN_WRONG);
		CHECK(pin_guard_wait_ms(g, t) == locks_s[i] * 1000);
		t += locks_s[i] * 1000;
	}
	CHECK(pin_login(g, leads, 3, "2222", t, &idx) == PIN_OK && idx == 1);
	CHECK(pin_guard_failures(g) == 0 && pin_guard_wait_ms(g, t) == 0);
	/* After a success, three more tries before a lock. */
	CHECK(pin_login(g, leads, 3, "0000", t, &idx) == PIN_WRONG);
	CHECK(pin_guard_wait_ms(g, t) == 0);
	CHECK(pin_login(g, leads, 3, "12", t, &idx) == PIN_WRONG); /* malformed */
	CHECK(pin_guard_failures(g) == 2);
	pin_guard_destroy(g);
	pin_guard_destroy(NULL);
}

/* The digits of a wrong PIN never reach the log. */
static void test_pin_not_logged(void)
{
	char path[] = "/tmp/test_alarms_log.XXXXXX";
	int fd = mkstemp(path);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	log_set_level(LOG_DEBUG);
	struct pin_guard *g = pin_guard_init();
	size_t idx;
	pin_login(g, leads, 3, "86429", 0, &idx);
	pin_login(g, leads, 3, "86429", 1, &idx);
	pin_login(g, leads, 3, "86429", 2, &idx);
	pin_login(g, leads, 3, "86429", 3, &idx);
	pin_guard_destroy(g);
	log_set_level(LOG_ERROR);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	CHECK(strstr(buf, "wrong PIN") != NULL); /* it did log */
	CHECK(strstr(buf, "86429") == NULL);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_breach_raises();
	test_ids();
	test_flood();
	test_flood_transition();
	test_ack_message();
	test_ack_until_cleared();
	test_held_ack();
	test_held_acks_bounded();
	test_snooze();
	test_escalation();
	test_clear_and_refire();
	test_crisis();
	test_drill();
	test_surge_alarm();
	test_thresholds();
	test_wait_deadline_and_first_seen();
	test_order();
	test_bounded_churn();
	test_api_edges();

	test_pin_basics();
	make_leads();
	test_pin_leads();
	test_pin_lockout();
	test_pin_not_logged();

	return check_summary();
}
