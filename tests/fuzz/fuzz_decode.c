/* fuzz_decode.c - libFuzzer target for the MQTT contract decoder.
 *
 * Input: topic, then a NUL or newline, then the payload (raw bytes, not
 * NUL-terminated: the decoder must not read past them). Besides memory
 * errors it checks what the decoder promises: on success every string is
 * terminated, fits and is valid UTF-8; on failure there is a reason; a
 * success names dropped fields exactly when it counts some. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_decode: broken promise: %s\n", what);
		abort();
	}
}

static void check_string(const char *s, size_t size, const char *what)
{
	size_t n = strnlen(s, size);
	require(n < size, what);
	require(decode_utf8_valid(s, n), what);
}

static void check_msg(const struct msg *m)
{
	check_string(m->id, sizeof m->id, "id");
	switch (m->kind) {
	case MSG_COMPLAINT: {
		const struct msg_complaint *c = &m->u.complaint;
		check_string(c->channel, sizeof c->channel, "channel");
		check_string(c->text, sizeof c->text, "text");
		check_string(c->customer, sizeof c->customer, "customer");
		check_string(c->assignee, sizeof c->assignee, "assignee");
		require(c->channel[0] != '\0', "channel empty");
		require(strcmp(c->id, m->id) == 0, "complaint id");
		require(c->opened_at >= 0 && c->opened_at <= INT64_C(253402300799), "opened_at");
		require(c->status != STATUS_RESOLVED, "resolved complaint");
		break;
	}
	case MSG_SLA:
		require(m->u.sla.due_at >= 0 && m->u.sla.responded_at >= 0, "sla times");
		check_string(m->u.sla.paused_reason, sizeof m->u.sla.paused_reason, "reason");
		break;
	case MSG_CRISIS: {
		const struct msg_crisis *c = &m->u.crisis;
		require(c->level >= 1 && c->level <= 3, "level");
		require(c->n_playbook <= MSG_PLAYBOOK_MAX && c->n_contacts <= MSG_CONTACTS_MAX,
			"counts");
		check_string(c->title, sizeof c->title, "title");
		check_string(c->message, sizeof c->message, "message");
		for (size_t i = 0; i < c->n_playbook; i++)
			check_string(c->playbook[i], sizeof c->playbook[i], "playbook");
		for (size_t i = 0; i < c->n_contacts; i++)
			check_string(c->contacts[i].phone, sizeof c->contacts[i].phone, "phone");
		break;
	}
	case MSG_ACK:
		require(strcmp(m->u.ack.alarm, m->id) == 0, "ack alarm");
		check_string(m->u.ack.by, sizeof m->u.ack.by, "by");
		check_string(m->u.ack.board, sizeof m->u.ack.board, "board");
		break;
	case MSG_PRODUCER: {
		const struct msg_producer *p = &m->u.producer;
		require(p->interval_s >= 1 && p->interval_s <= PRODUCER_INTERVAL_MAX, "interval_s");
		require(p->open >= -1 && p->open <= PRODUCER_COUNT_MAX, "open");
		require(p->sla >= -1 && p->sla <= PRODUCER_COUNT_MAX, "sla");
		require(p->at >= 0 && p->at <= INT64_C(253402300799), "at");
		require(m->id[0] != '\0' && !strchr(m->id, '/'), "producer name");
		break;
	}
	case MSG_PRODUCER_REMOVE:
		require(m->id[0] != '\0' && !strchr(m->id, '/'), "producer name");
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct msg m;
	char err[160];
	size_t split = 0;
	while (split < size && data[split] != '\0' && data[split] != '\n')
		split++;

	char *topic = malloc(split + 1);
	if (topic == NULL)
		return 0;
	memcpy(topic, data, split);
	topic[split] = '\0';
	const uint8_t *payload = split < size ? data + split + 1 : data + size;
	size_t len = split < size ? size - split - 1 : 0;

	/* The payload is copied to its own exact-size block so that ASan sees
	 * any read past its end. */
	uint8_t *exact = malloc(len ? len : 1);
	if (exact != NULL) {
		memcpy(exact, payload, len);
		memset(err, 'x', sizeof err);
		bool ok = decode_message("wallboard", topic, exact, len, &m, err, sizeof err);
		require(memchr(err, '\0', sizeof err) != NULL, "reason not terminated");
		if (ok) {
			check_msg(&m);
			/* dropped fields: only a crisis, always with a reason */
			require(m.bad_fields == 0 || m.kind == MSG_CRISIS, "bad fields");
			require((m.bad_fields > 0) == (err[0] != '\0'), "bad fields reason");
		}
		else
			require(err[0] != '\0', "rejected without a reason");
		free(exact);
	}
	free(topic);

	char *copy = malloc(size + 1);
	if (copy != NULL) {
		int64_t t;
		memcpy(copy, data, size);
		copy[size] = '\0';
		if (decode_time_rfc3339(copy, &t))
			require(t >= 0 && t <= INT64_C(253402300799), "time out of range");
		decode_utf8_valid(copy, size);
		free(copy);
	}
	return 0;
}
