/* delivery.h - publishes that must reach the broker, even across outages
 * and restarts: the alarms' outbox on its way to MQTT.
 *
 * A durable message (an acknowledgement, or the clearing of one) is first
 * written to the journal on disk, then handed to MQTT; when the broker's
 * PUBACK comes back (MQTT_EV_PUBLISHED with its mid) the journal entry is
 * done. On every (re)connect, delivery_connected() publishes every entry
 * still pending, so an ack made while the broker was down is delivered
 * after the broker returns even if the board restarted in between.
 * Without a link a durable publish is not handed to libmosquitto at all:
 * its offline queue resends with the retain flag cleared. Delivery
 * is at least once; a retained ack is idempotent, so duplicates are
 * harmless.
 *
 * Nothing is dropped silently. A publish the broker refuses (PUBACK
 * reason >= 0x80, e.g. an ACL denial) stays pending and is published
 * again after 2 s, 4 s, ... up to a minute apart, until the broker takes
 * it (delivery_tick); meanwhile the board shows "ack not delivered" with
 * the broker's reason. A journal that cannot be written (read-only disk,
 * full disk, wrong owner) keeps the pending acks in memory, is tried again
 * every 10 s, and the board shows "acks not durable" until it works. */
#ifndef WALLBOARD_DELIVERY_H
#define WALLBOARD_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt;

struct delivery_stats {
	uint64_t sent;        /* handed to MQTT */
	uint64_t confirmed;   /* durable ones confirmed by the broker */
	uint64_t refused;     /* refusals by the broker (each retry counts) */
	size_t pending;       /* durable ones not confirmed yet (journal) */
	size_t undelivered;   /* of those, refused and waiting to be retried */
	const char *refusal;  /* the broker's reason for the last refusal while
	                         undelivered > 0, else "" */
	bool journal_ok;      /* false: the journal cannot be written now;
	                         pending acks survive no restart */
};

/* state_dir: where the journal lives (created if missing). Without a
 * writable journal the board still runs and publishes (logged loudly,
 * journal_ok false). NULL only on OOM or without a state_dir. */
struct delivery *delivery_init(const char *state_dir, struct mqtt *mqtt);
void delivery_destroy(struct delivery *d);

bool delivery_send(struct delivery *d, const char *topic, const void *payload,
		   size_t len, int qos, bool retain, bool durable);

/* MQTT_EV_PUBLISHED with the broker's reason code: below 0x80 the broker
 * has it and the journal entry is done; a refusal (>= 0x80) keeps it
 * pending and schedules a retry. */
void delivery_confirmed(struct delivery *d, int mid, int reason);

/* Retries that are due (refused publishes, an unwritable journal), at
 * monotonic now_ms. Returns the monotonic ms of the next one, 0: none. */
int64_t delivery_tick(struct delivery *d, int64_t now_ms);

/* MQTT_EV_CONNECTED: publish every pending entry (fresh: libmosquitto's
 * own resend of a queued or in-flight message loses the retain flag).
 * Durable publishes made without a link wait for this. Returns how many. */
size_t delivery_connected(struct delivery *d);

/* Refused publishes waiting for a retry. */
size_t delivery_undelivered(const struct delivery *d);

/* At start: each (may be NULL) is called for every pending journal entry,
 * so the caller can show those acks at once. They are published by
 * delivery_connected(). */
size_t delivery_replay(struct delivery *d,
		       void (*each)(const char *topic, const void *payload, size_t len, void *ctx),
		       void *ctx);

void delivery_get_stats(const struct delivery *d, struct delivery_stats *out);

#endif
