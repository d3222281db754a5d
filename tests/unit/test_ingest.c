/* test_ingest.c - what a board sent itself (ingest_local) is shown as the
 * broker's echo of it will be, whatever its kind: an ack or a step's tick
 * replayed from the journal before its crisis is seen is held, and its
 * removal replayed after it forgets it again, so the crisis that comes
 * next is neither acked nor ticked by it. Each row replays its messages in
 * order on a fresh board, then the crisis comes. */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "log.h"

#define T0 INT64_C(1795425120) /* 2026-11-23T09:12:00Z */
#define T0_ISO "2026-11-23T09:12:00Z"

#define ACK "{\"alarm\":\"crisis\",\"by\":\"dana\",\"at\":\"" T0_ISO "\",\"board\":\"b\"}"
#define TICK "{\"step\":1,\"done\":true,\"by\":\"dana\",\"at\":\"" T0_ISO "\"," \
	"\"crisis_since\":\"" T0_ISO "\",\"board\":\"b\"}"
#define CRISIS "{\"active\":true,\"level\":2,\"title\":\"Instagram surge\",\"since\":\"" \
	T0_ISO "\",\"playbook\":[\"Pause scheduled posts\",\"Post a holding statement\"]}"

struct sent {
	const char *topic;
	const char *payload; /* "": a removal (empty retained) */
};

static const struct row {
	const char *name;
	struct sent sent[3];
	enum alarm_state crisis_alarm; /* the crisis's alarm once it comes */
	bool step1_done;
} rows[] = {
	{ "an ack, held", { { "wb/acks/crisis", ACK } }, ALARM_ACKED, false },
	{ "an ack, then its removal", { { "wb/acks/crisis", ACK }, { "wb/acks/crisis", "" } },
	  ALARM_FIRING, false },
	{ "a tick, held", { { "wb/crisis/steps/1", TICK } }, ALARM_FIRING, true },
	{ "a tick, then its removal",
	  { { "wb/crisis/steps/1", TICK }, { "wb/crisis/steps/1", "" } }, ALARM_FIRING, false },
	{ "a removal alone", { { "wb/acks/crisis", "" }, { "wb/crisis/steps/1", "" } },
	  ALARM_FIRING, false },
};

struct board {
	struct model *model;
	struct alarms *alarms;
	struct crisis *crisis;
	struct producers *producers;
	struct surge *surge;
	struct dump_counters counters;
	struct ingest *in;
};

static bool board_open(struct board *b)
{
	memset(b, 0, sizeof *b);
	struct alarms_options ao = { .prefix = "wb", .board_id = "b" };
	struct surge_options so = { 0 };
	b->model = model_init(NULL, 0);
	b->alarms = alarms_init(&ao);
	b->crisis = crisis_create("wb", "b", false, NULL);
	b->producers = producers_create();
	b->surge = surge_create(&so);
	if (!b->model || !b->alarms || !b->crisis || !b->producers || !b->surge)
		return false;
	alarms_set_crisis(b->alarms, b->crisis);
	struct ingest_targets t = {
		.prefix = "wb", .model = b->model, .alarms = b->alarms, .crisis = b->crisis,
		.producers = b->producers, .surge = b->surge, .counters = &b->counters,
	};
	return (b->in = ingest_create(&t)) != NULL;
}

static void board_close(struct board *b)
{
	ingest_destroy(b->in);
	surge_destroy(b->surge);
	producers_destroy(b->producers);
	crisis_destroy(b->crisis);
	alarms_destroy(b->alarms);
	model_destroy(b->model);
}

static bool send_local(struct board *b, const char *topic, const char *payload)
{
	return ingest_local(b->in, topic, payload, strlen(payload), T0 + 10);
}

static void run_row(const struct row *r)
{
	struct board b;
	check_ctx = r->name;
	if (!board_open(&b)) {
		CHECK(!"the board's parts created");
		board_close(&b);
		return;
	}
	for (size_t i = 0; i < 3 && r->sent[i].topic; i++)
		CHECK(send_local(&b, r->sent[i].topic, r->sent[i].payload));
	CHECK(send_local(&b, "wb/crisis", CRISIS));
	crisis_update(b.crisis, b.model, T0 + 20);
	alarms_update(b.alarms, b.model, T0 + 20);
	struct alarm_view v;
	CHECK(alarms_find(b.alarms, "crisis", &v));
	CHECK_EQ(v.state, r->crisis_alarm);
	struct crisis_step s;
	CHECK(crisis_step_get(b.crisis, 0, &s));
	CHECK_EQ(s.done, r->step1_done);
	CHECK_EQ(b.counters.received, 0); /* not counted as received */
	board_close(&b);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		run_row(&rows[i]);
	return check_summary();
}
