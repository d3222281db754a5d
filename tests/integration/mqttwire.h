/* mqttwire.h - the few MQTT 3.1.1 packets a batching producer writes and
 * reads, as bytes (no sockets here, so they are unit-tested as tables).
 *
 * Why not libmosquitto: it writes each PUBLISH with a write() of its own
 * and reads each PUBACK in three read()s, so publishing 20,000 retained
 * messages cost the publisher about as much CPU as the broker. A service
 * that publishes in batches puts many packets in one write(); mqtt_flood
 * does that, so the benchmark's burst measures the broker and the board,
 * not a wasteful producer. */
#ifndef WALLBOARD_MQTTWIRE_H
#define WALLBOARD_MQTTWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MQTTWIRE_CONNECT    1
#define MQTTWIRE_CONNACK    2
#define MQTTWIRE_PUBLISH    3
#define MQTTWIRE_PUBACK     4
#define MQTTWIRE_DISCONNECT 14

/* The largest remaining length MQTT can say (four length bytes). */
#define MQTTWIRE_MAX_REMAINING 268435455u

/* Bytes of a PUBLISH of topic_len and payload_len at qos (0 or 1); 0 when
 * MQTT cannot carry it (topic over 65,535 bytes, packet over the limit). */
size_t mqttwire_publish_size(size_t topic_len, size_t payload_len, int qos);

/* Writes that PUBLISH (id only at QoS 1) into out, which has cap bytes;
 * returns the bytes written, 0 when it does not fit or cannot be sent. */
size_t mqttwire_publish(uint8_t *out, size_t cap, const char *topic, size_t topic_len,
			const void *payload, size_t payload_len, int qos, bool retain,
			uint16_t id);

/* CONNECT, protocol level 4, clean session; returns bytes written or 0. */
size_t mqttwire_connect(uint8_t *out, size_t cap, const char *client_id,
			uint16_t keepalive_s);

/* DISCONNECT: two bytes; returns 2, or 0 when cap is less. */
size_t mqttwire_disconnect(uint8_t *out, size_t cap);

/* The first packet in in[0..len): its length in bytes when it is all
 * there (*type: the packet type, 1-15), 0 when more bytes are needed,
 * -1 when the length field is malformed (more than four bytes). */
long mqttwire_next(const uint8_t *in, size_t len, int *type);

#endif
