/* delivery.c - see delivery.h. */
#include "delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "log.h"
#include "mqtt.h"
#include "util.h"

#define RETRY_FIRST_MS   2000   /* a refused publish is tried again after */
#define RETRY_MAX_MS     60000  /* ... doubling up to this */
#define JOURNAL_RETRY_MS 10000  /* an unwritable journal is tried this often */

/* A durable publish on its way: the broker confirms mid, the journal
 * knows seq. A refused one waits until retry_at_ms. */
struct inflight {
	int mid;
	uint64_t seq;
	bool waiting;            /* refused: not published now */
	int64_t retry_at_ms;
	int64_t backoff_ms;
};

struct delivery {
	struct journal *journal;
	struct mqtt *mqtt;
	struct inflight inflight[JOURNAL_MAX_PENDING];
	size_t n_inflight;
	uint64_t sent, confirmed, refused;
	char refusal[64];        /* the broker's reason of the last refusal */
	int64_t journal_retry_ms;
};

struct delivery *delivery_init(const char *state_dir, struct mqtt *mqtt)
{
	struct delivery *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->mqtt = mqtt;
	d->journal = journal_open(state_dir);
	if (!d->journal) {
		free(d);
		return NULL;
	}
	if (!journal_is_durable(d->journal))
		log_error("delivery", "acks are not durable: the journal in %s cannot be "
			  "written; pending acks are kept in memory and retried", state_dir);
	return d;
}

void delivery_destroy(struct delivery *d)
{
	if (!d)
		return;
	journal_close(d->journal);
	free(d);
}

static struct inflight *find_mid(struct delivery *d, int mid)
{
	for (size_t i = 0; i < d->n_inflight; i++)
		if (!d->inflight[i].waiting && d->inflight[i].mid == mid)
			return &d->inflight[i];
	return NULL;
}

static void forget(struct delivery *d, struct inflight *f)
{
	*f = d->inflight[--d->n_inflight];
}

static void track(struct delivery *d, int mid, uint64_t seq, int64_t backoff_ms)
{
	/* mids are 16 bits and wrap: a reused mid replaces the old entry,
	 * whose journal record is then replayed at the next start. */
	struct inflight *f = find_mid(d, mid);
	if (!f) {
		for (size_t i = 0; i < d->n_inflight && !f; i++)
			if (d->inflight[i].seq == seq)
				f = &d->inflight[i]; /* a retry of a waiting one */
	}
	if (!f && d->n_inflight < JOURNAL_MAX_PENDING)
		f = &d->inflight[d->n_inflight++];
	if (f)
		*f = (struct inflight){ .mid = mid, .seq = seq, .backoff_ms = backoff_ms };
}

static bool publish(struct delivery *d, const char *topic, const void *payload, size_t len,
		    int qos, bool retain, uint64_t seq, bool durable, int64_t backoff_ms)
{
	int mid = 0;
	if (!mqtt_publish(d->mqtt, topic, payload, len, qos, retain, &mid))
		return false; /* logged by mqtt; the journal still has it */
	d->sent++;
	if (durable)
		track(d, mid, seq, backoff_ms);
	return true;
}

bool delivery_send(struct delivery *d, const char *topic, const void *payload,
		   size_t len, int qos, bool retain, bool durable)
{
	uint64_t seq = 0;
	/* A journal that cannot write still holds the entry in memory (and
	 * seq is set): delivery goes on, only a restart would lose it. */
	if (durable && !journal_add(d->journal, topic, payload, len, qos, retain, &seq))
		log_error("delivery", "%s: %s", topic, seq ? "kept in memory only (acks not "
			  "durable)" : "not journaled, sending anyway");
	/* Without a link a durable publish waits in the journal for the next
	 * MQTT_EV_CONNECTED (delivery_connected): libmosquitto would queue it,
	 * but resends such messages with the retain flag cleared (2.0.11:
	 * "d1, q1, r0" in the broker's log), and an ack that is not retained
	 * is lost to every board that starts later. */
	if (durable && seq != 0 && !mqtt_is_connected(d->mqtt))
		return true;
	return publish(d, topic, payload, len, qos, retain, seq, durable && seq != 0, 0);
}

void delivery_confirmed(struct delivery *d, int mid, int reason)
{
	struct inflight *f = find_mid(d, mid);
	if (!f)
		return;
	if (reason < 0x80) {
		journal_done(d->journal, f->seq);
		forget(d, f);
		d->confirmed++;
		if (!delivery_undelivered(d))
			d->refusal[0] = '\0';
		return;
	}
	/* Refused (an ACL denial, quota...): not done. It stays pending and
	 * is tried again, later and later, until the broker takes it. */
	f->waiting = true;
	f->backoff_ms = f->backoff_ms ? f->backoff_ms * 2 : RETRY_FIRST_MS;
	if (f->backoff_ms > RETRY_MAX_MS)
		f->backoff_ms = RETRY_MAX_MS;
	f->retry_at_ms = util_mono_ms() + f->backoff_ms;
	d->refused++;
	snprintf(d->refusal, sizeof d->refusal, "%s", mqtt_reason_text(reason));
	if ((d->refused & (d->refused - 1)) == 0) /* 1, 2, 4, ...: not one a refusal */
		log_warn("delivery", "broker refused an ack (%s): retrying in %lld s (%llu "
			 "refusals so far)", d->refusal, (long long)(f->backoff_ms / 1000),
			 (unsigned long long)d->refused);
}

/* The journal entry of seq, or false when it is gone (superseded by a
 * newer ack to the same topic, or done). */
static bool entry_of(const struct delivery *d, uint64_t seq, struct journal_entry *e)
{
	for (size_t i = 0; journal_pending_at(d->journal, i, e); i++)
		if (e->seq == seq)
			return true;
	return false;
}

int64_t delivery_tick(struct delivery *d, int64_t now_ms)
{
	int64_t next = 0;
	if (!journal_is_durable(d->journal) && now_ms >= d->journal_retry_ms) {
		journal_retry(d->journal);
		d->journal_retry_ms = now_ms + JOURNAL_RETRY_MS;
	}
	if (!journal_is_durable(d->journal))
		next = d->journal_retry_ms;
	for (size_t i = 0; i < d->n_inflight; i++) {
		struct inflight *f = &d->inflight[i];
		struct journal_entry e;
		if (!f->waiting)
			continue;
		if (now_ms < f->retry_at_ms) {
			if (!next || f->retry_at_ms < next)
				next = f->retry_at_ms;
			continue;
		}
		if (!entry_of(d, f->seq, &e)) {
			forget(d, f);
			i--;
			continue;
		}
		if (!publish(d, e.topic, e.payload, e.len, e.qos, e.retain, e.seq, true,
			     f->backoff_ms))
			f->retry_at_ms = now_ms + f->backoff_ms;
	}
	return next;
}

size_t delivery_undelivered(const struct delivery *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_inflight; i++)
		n += d->inflight[i].waiting;
	return n;
}

size_t delivery_replay(struct delivery *d,
		       void (*each)(const char *topic, const void *payload, size_t len, void *ctx),
		       void *ctx)
{
	size_t n = journal_pending_count(d->journal);
	for (size_t i = 0; i < n && each; i++) {
		struct journal_entry e;
		if (journal_pending_at(d->journal, i, &e))
			each(e.topic, e.payload, e.len, ctx);
	}
	if (n)
		log_info("delivery", "%zu unconfirmed publishes in the journal: sent when "
			 "connected", n);
	return n;
}

size_t delivery_connected(struct delivery *d)
{
	/* Every pending entry again, fresh (new mid, retain flag as journaled):
	 * libmosquitto resends what was in flight when the link dropped, but
	 * without the retain flag. Duplicates are harmless; a refused one
	 * waiting for its retry goes now too (the broker may take it now). */
	size_t n = journal_pending_count(d->journal);
	for (size_t i = 0; i < n; i++) {
		struct journal_entry e;
		if (!journal_pending_at(d->journal, i, &e))
			continue;
		int64_t backoff = 0;
		for (size_t k = 0; k < d->n_inflight; k++)
			if (d->inflight[k].seq == e.seq)
				backoff = d->inflight[k].backoff_ms;
		publish(d, e.topic, e.payload, e.len, e.qos, e.retain, e.seq, true, backoff);
	}
	if (n)
		log_info("delivery", "connected: %zu unconfirmed publishes sent", n);
	return n;
}

void delivery_get_stats(const struct delivery *d, struct delivery_stats *out)
{
	out->sent = d->sent;
	out->confirmed = d->confirmed;
	out->refused = d->refused;
	out->pending = journal_pending_count(d->journal);
	out->undelivered = delivery_undelivered(d);
	out->refusal = d->refusal;
	out->journal_ok = journal_is_durable(d->journal);
}
