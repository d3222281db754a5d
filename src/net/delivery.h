/* delivery.h - publishes that must reach the broker, even across outages
 * and restarts: the alarms' outbox on its way to MQTT.
 *
 * A durable message (an acknowledgement, or the clearing of one) is first
 * written to the journal on disk, then handed to MQTT; when the broker's
 * PUBACK comes back (MQTT_EV_PUBLISHED with its mid) the journal entry is
 * done. At start, delivery_replay() publishes every entry still pending,
 * so an ack made while the broker was down is delivered after the broker
 * returns even if the board restarted in between. Never republished on a
 * failed publish call: libmosquitto already queued it (mqtt.h). Delivery
 * is at least once; a retained ack is idempotent, so duplicates are
 * harmless. */
#ifndef WALLBOARD_DELIVERY_H
#define WALLBOARD_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt;

struct delivery_stats {
	uint64_t sent;        /* handed to MQTT */
	uint64_t confirmed;   /* durable ones confirmed by the broker */
	size_t pending;       /* durable ones not confirmed yet (journal) */
	bool journal_ok;      /* false: no journal, acks survive no restart */
};

/* state_dir: where the journal lives (created if missing). Without a
 * usable journal the board still runs and publishes (logged loudly). */
struct delivery *delivery_init(const char *state_dir, struct mqtt *mqtt);
void delivery_destroy(struct delivery *d);

bool delivery_send(struct delivery *d, const char *topic, const void *payload,
		   size_t len, int qos, bool retain, bool durable);

/* MQTT_EV_PUBLISHED: the broker has it. */
void delivery_confirmed(struct delivery *d, int mid);

/* Publish every pending journal entry again; each (may be NULL) is called
 * for each, so the caller can show replayed acks at once. */
size_t delivery_replay(struct delivery *d,
		       void (*each)(const char *topic, const void *payload, size_t len, void *ctx),
		       void *ctx);

void delivery_get_stats(const struct delivery *d, struct delivery_stats *out);

#endif
