/* delivery.c - see delivery.h. */
#include "delivery.h"

#include <stdlib.h>

#include "journal.h"
#include "log.h"
#include "mqtt.h"

/* A durable publish on its way: the broker confirms mid, the journal
 * knows seq. */
struct inflight {
	int mid;
	uint64_t seq;
};

struct delivery {
	struct journal *journal;
	struct mqtt *mqtt;
	struct inflight inflight[JOURNAL_MAX_PENDING];
	size_t n_inflight;
	uint64_t sent, confirmed;
};

struct delivery *delivery_init(const char *state_dir, struct mqtt *mqtt)
{
	struct delivery *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->mqtt = mqtt;
	d->journal = journal_open(state_dir);
	if (!d->journal)
		log_error("delivery", "no journal in %s: acknowledgements made while the "
			  "broker is away will not survive a restart", state_dir);
	return d;
}

void delivery_destroy(struct delivery *d)
{
	if (!d)
		return;
	journal_close(d->journal);
	free(d);
}

static void track(struct delivery *d, int mid, uint64_t seq)
{
	/* mids are 16 bits and wrap: a reused mid replaces the old entry,
	 * whose journal record is then replayed at the next start. */
	for (size_t i = 0; i < d->n_inflight; i++)
		if (d->inflight[i].mid == mid) {
			d->inflight[i].seq = seq;
			return;
		}
	if (d->n_inflight < JOURNAL_MAX_PENDING)
		d->inflight[d->n_inflight++] = (struct inflight){ mid, seq };
}

static bool publish(struct delivery *d, const char *topic, const void *payload, size_t len,
		    int qos, bool retain, uint64_t seq, bool durable)
{
	int mid = 0;
	if (!mqtt_publish(d->mqtt, topic, payload, len, qos, retain, &mid))
		return false; /* logged by mqtt; the journal still has it */
	d->sent++;
	if (durable)
		track(d, mid, seq);
	return true;
}

bool delivery_send(struct delivery *d, const char *topic, const void *payload,
		   size_t len, int qos, bool retain, bool durable)
{
	uint64_t seq = 0;
	if (durable && d->journal &&
	    !journal_add(d->journal, topic, payload, len, qos, retain, &seq))
		log_error("delivery", "%s: not journaled, sending anyway", topic);
	return publish(d, topic, payload, len, qos, retain, seq,
		       durable && d->journal && seq != 0);
}

void delivery_confirmed(struct delivery *d, int mid)
{
	for (size_t i = 0; i < d->n_inflight; i++) {
		if (d->inflight[i].mid != mid)
			continue;
		journal_done(d->journal, d->inflight[i].seq);
		d->inflight[i] = d->inflight[--d->n_inflight];
		d->confirmed++;
		return;
	}
}

size_t delivery_replay(struct delivery *d,
		       void (*each)(const char *topic, const void *payload, size_t len, void *ctx),
		       void *ctx)
{
	if (!d->journal)
		return 0;
	size_t n = journal_pending_count(d->journal);
	for (size_t i = 0; i < n; i++) {
		struct journal_entry e;
		if (!journal_pending_at(d->journal, i, &e))
			continue;
		if (each)
			each(e.topic, e.payload, e.len, ctx);
		publish(d, e.topic, e.payload, e.len, e.qos, e.retain, e.seq, true);
	}
	if (n)
		log_info("delivery", "replayed %zu unconfirmed publishes from the journal", n);
	return n;
}

void delivery_get_stats(const struct delivery *d, struct delivery_stats *out)
{
	out->sent = d->sent;
	out->confirmed = d->confirmed;
	out->pending = d->journal ? journal_pending_count(d->journal) : 0;
	out->journal_ok = d->journal != NULL;
}
