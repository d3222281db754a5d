/* ingest.c - see ingest.h. */
#include "ingest.h"

#include <stdlib.h>

#include "decode.h"
#include "log.h"

/* Rejections logged per minute; the rest are only counted. */
#define REJECT_LOG_PER_MIN 20

struct ingest {
	struct ingest_targets t;
	int64_t reject_minute;
	unsigned reject_logged;
	int64_t last_message_at;
	/* Scratch, on the heap rather than the stack: a struct msg is
	 * several KB. */
	struct msg msg;
};

struct ingest *ingest_create(const struct ingest_targets *t)
{
	struct ingest *in = calloc(1, sizeof *in);
	if (!in) {
		log_error("app", "out of memory for the message scratch");
		return NULL;
	}
	in->t = *t;
	return in;
}

void ingest_destroy(struct ingest *in)
{
	free(in);
}

int64_t ingest_last_message_at(const struct ingest *in)
{
	return in->last_message_at;
}

/* Rejected messages and dropped fields share one log budget: a producer
 * that sends garbage must not flood the journal either way. */
static void log_bad_input(struct ingest *in, const char *what, const char *topic,
			  const char *why, int64_t now)
{
	if (now / 60 != in->reject_minute) {
		if (in->reject_logged > REJECT_LOG_PER_MIN)
			log_warn("decode", "%u more messages rejected in the last minute "
				 "(not logged)", in->reject_logged - REJECT_LOG_PER_MIN);
		in->reject_minute = now / 60;
		in->reject_logged = 0;
	}
	if (in->reject_logged++ < REJECT_LOG_PER_MIN)
		log_warn("decode", "%s %.200s: %s", what, topic, why);
}

static enum ingest_result reject(struct ingest *in, const char *topic, const char *why,
				 int64_t now)
{
	in->t.counters->rejected++;
	log_bad_input(in, "rejected", topic, why, now);
	return INGEST_REJECTED;
}

/* Complaints, timers, channels, the crisis: into the model. */
static bool apply_to_model(struct ingest *in, bool retained, char *why, size_t size,
			   int64_t now)
{
	const struct msg *msg = &in->msg;
	/* A complaint the board did not hold is an arrival for the surge
	 * counts (a re-sent one, after a reconnect, is not). */
	bool arrival = msg->kind == MSG_COMPLAINT && !model_find(in->t.model, msg->id);
	if (!model_apply(in->t.model, msg, why, size)) {
		if (retained)
			model_keep(in->t.model, msg->kind, msg->id);
		return false;
	}
	if (arrival)
		surge_note(in->t.surge, msg->u.complaint.channel, msg->id,
			   msg->u.complaint.opened_at, msg->u.complaint.drill, now);
	return true;
}

/* A decoded message to what it changes; false (why says it) when it is
 * refused. One dispatch for the broker's messages and the board's own. */
static bool apply(struct ingest *in, bool retained, char *why, size_t size, int64_t now)
{
	struct msg *msg = &in->msg;
	if (msg->kind == MSG_PRODUCER || msg->kind == MSG_PRODUCER_REMOVE)
		return producers_apply(in->t.producers, msg, now, why, size);
	if (msg->kind == MSG_ACK)
		alarms_apply_ack(in->t.alarms, &msg->u.ack, now);
	else if (msg->kind == MSG_ACK_REMOVE)
		alarms_remove_ack(in->t.alarms, msg->id, now);
	else if (msg->kind == MSG_STEP || msg->kind == MSG_STEP_REMOVE)
		crisis_apply_step(in->t.crisis, msg, now);
	else
		return apply_to_model(in, retained, why, size, now);
	return true;
}

enum ingest_result ingest_message(struct ingest *in, const char *topic, const void *payload,
				  size_t len, bool retained, int64_t now)
{
	char why[160];
	struct msg *msg = &in->msg;
	in->t.counters->received++;
	in->last_message_at = now;
	if (!decode_message(in->t.prefix, topic, payload, len, msg, why, sizeof why)) {
		if (msg->topic_known && retained)
			model_keep(in->t.model, msg->kind, msg->id);
		return reject(in, topic, why, now);
	}
	if (msg->bad_fields) {
		in->t.counters->rejected_fields += msg->bad_fields;
		log_bad_input(in, "shown without bad fields:", topic, why, now);
	}
	if (!apply(in, retained, why, sizeof why, now))
		return reject(in, topic, why, now);
	in->t.counters->applied++;
	return INGEST_APPLIED;
}

bool ingest_local(struct ingest *in, const char *topic, const void *payload, size_t len,
		  int64_t now)
{
	char why[160];
	struct msg *msg = &in->msg;
	if (!decode_message(in->t.prefix, topic, payload, len, msg, why, sizeof why))
		return false;
	/* Whatever the board sent is applied as the broker's echo of it
	 * will be, one rule rather than a list of kinds: the list kept
	 * ack and step removals out (published when an acked alarm clears,
	 * alarms.c, and when a crisis ends, crisis.c; their makers show them
	 * at once, a replayed journal did not). */
	apply(in, false, why, sizeof why, now);
	return true;
}
