/* test_escalate.c - escalations only while the data is live: an alarm
 * that comes due while the board's data is stale escalates when the data
 * is live again (if it still fires), never from stale data, and the loop
 * is not woken for an escalation that cannot happen. */
#include <string.h>

#include "alarms.h"
#include "log.h"
#include "model.h"

#include "check.h"
#include "fixture.h"

#define T0 INT64_C(1795425120)

/* The MQTT 5 expiry an escalation carries: escalate_after, at least a
 * minute, at most an hour. */
static void expiry_bounds(void)
{
	static const struct { int after_s; uint32_t expiry_s; } rows[] = {
		{ 2, 60 }, { 60, 60 }, { 300, 300 }, { 3600, 3600 }, { 7200, 3600 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		static struct msg msg;
		char err[128];
		struct model *m = model_init(NULL, 0);
		struct alarms_options o = {
			.prefix = "wb", .board_id = "b", .snooze_s = 900,
			.escalate_after_s = rows[i].after_s, .flood_threshold = 5, .linger_s = 10,
		};
		struct alarms *a = alarms_init(&o);
		model_apply(m, fixture_complaint(&msg, "c1", "web", "x", "t", T0 - 7200,
						 PRIORITY_NORMAL, STATUS_OPEN), err, sizeof err);
		model_apply(m, fixture_sla(&msg, "c1", 60, T0 - 60, false, 0), err, sizeof err);
		alarms_set_live(a, true);
		alarms_update(a, m, T0);
		alarms_update(a, m, T0 + rows[i].after_s);
		struct alarm_out out = { .expiry_s = 0 };
		CHECK(alarms_take_outbox(a, &out, 1) == 1);
		CHECK(out.expiry_s == rows[i].expiry_s);
		alarms_destroy(a);
		model_destroy(m);
	}
}

int main(void)
{
	expiry_bounds();
	log_set_level(LOG_ERROR);
	static struct msg msg;
	char err[128];
	struct model *m = model_init(NULL, 0);
	struct alarms_options o = {
		.prefix = "wb", .board_id = "b", .snooze_s = 900, .escalate_after_s = 300,
		.flood_threshold = 5, .linger_s = 10,
	};
	struct alarms *a = alarms_init(&o);
	model_apply(m, fixture_complaint(&msg, "c1", "web", "x", "t", T0 - 7200,
					 PRIORITY_NORMAL, STATUS_OPEN), err, sizeof err);
	model_apply(m, fixture_sla(&msg, "c1", 60, T0 - 60, false, 0), err, sizeof err);
	alarms_update(a, m, T0);
	struct alarm_view v;
	CHECK(alarms_find(a, "breach:c1", &v) && v.state == ALARM_FIRING);
	CHECK(alarms_next_deadline(a, T0) == T0 + 300);

	/* The data goes stale: due time passes, nothing escalates, and no
	 * deadline asks the loop to wake for it. */
	alarms_set_live(a, false);
	CHECK(alarms_next_deadline(a, T0) == 0 || alarms_next_deadline(a, T0) > T0 + 400);
	alarms_update(a, m, T0 + 400);
	CHECK(alarms_find(a, "breach:c1", &v) && !v.escalated);
	CHECK(alarms_outbox_count(a) == 0);

	/* Live again and still firing: it escalates now. */
	alarms_set_live(a, true);
	alarms_update(a, m, T0 + 401);
	CHECK(alarms_find(a, "breach:c1", &v) && v.escalated);
	struct alarm_out out;
	CHECK(alarms_take_outbox(a, &out, 1) == 1 && strstr(out.topic, "escalations/breach:c1"));
	CHECK(out.expiry_s == 300 && !out.retain && !out.durable);

	/* Gone while stale: never escalates. */
	model_apply(m, fixture_complaint(&msg, "c2", "web", "x", "t", T0 - 7200,
					 PRIORITY_NORMAL, STATUS_OPEN), err, sizeof err);
	model_apply(m, fixture_sla(&msg, "c2", 60, T0 + 390, false, 0), err, sizeof err);
	alarms_update(a, m, T0 + 402);
	alarms_set_live(a, false);
	alarms_update(a, m, T0 + 800);
	model_apply(m, fixture_msg(&msg, MSG_SLA_REMOVE, "c2"), err, sizeof err);
	alarms_set_live(a, true);
	alarms_update(a, m, T0 + 801);
	CHECK(alarms_outbox_count(a) == 0);

	alarms_destroy(a);
	model_destroy(m);
	return check_summary();
}
