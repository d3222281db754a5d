/* queue_stall.c - the board's MQTT client (src/net/mqtt.h) with an owner
 * that stops taking its queue, for test_queue_bound.sh.
 *
 *   queue_stall PORT events|bytes
 *
 * Connects to the broker at 127.0.0.1:PORT with a queue bounded at
 * QUEUE_EVENTS events (events) or QUEUE_BYTES bytes (bytes, messages of
 * about PAD_BYTES each) and waits for its retained replay to end. Then,
 * taking nothing from the queue (a stalled main thread), it publishes an
 * ack followed by N_UPDATES state updates (not retained: no replay can
 * bring back what the queue drops), waits until the client has read them
 * all, and only then takes the queue. It prints what it found as
 * "key value" lines, the most the queue held among them. */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evqueue.h"
#include "mqtt.h"

#define QUEUE_EVENTS 40
#define QUEUE_BYTES  24000
#define PAD_BYTES    1000
#define N_UPDATES    200
#define ACK_TOPIC    "wallboard/acks/breach:c1"

static void nothing(void *ctx)
{
	(void)ctx;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int acked;

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
	(void)m;
	(void)obj;
	(void)mid;
	acked++;
}

static bool wait_synced(struct mqtt *q)
{
	static struct mqtt_event evs[64];
	for (double end = now_s() + 10; now_s() < end; usleep(10000)) {
		bool synced = false;
		size_t n = mqtt_poll(q, evs, 64);
		for (size_t i = 0; i < n; i++) {
			synced |= evs[i].kind == MQTT_EV_SYNCED;
			mqtt_event_release(&evs[i]);
		}
		if (synced)
			return true;
	}
	return false;
}

/* An ack, then the updates (padded to pad bytes), each acknowledged by
 * the broker. */
static bool publish_all(int port, int pad)
{
	struct mosquitto *pub = mosquitto_new("queue-stall-pub", true, NULL);
	if (!pub || mosquitto_connect(pub, "127.0.0.1", port, 10) != MOSQ_ERR_SUCCESS)
		return false;
	mosquitto_publish_callback_set(pub, on_publish);
	const char *ack = "{\"alarm\":\"breach:c1\",\"by\":\"dana\"}";
	mosquitto_publish(pub, NULL, ACK_TOPIC, (int)strlen(ack), ack, 1, false);
	for (int i = 1; i <= N_UPDATES; i++) {
		char topic[64], payload[PAD_BYTES + 32];
		snprintf(topic, sizeof topic, "wallboard/complaints/c%d", i);
		snprintf(payload, sizeof payload, "{\"n\":%d,\"pad\":\"%0*d\"}", i, pad, 0);
		mosquitto_publish(pub, NULL, topic, (int)strlen(payload), payload, 1, false);
	}
	for (double end = now_s() + 10; acked < N_UPDATES + 1 && now_s() < end;)
		mosquitto_loop(pub, 50, 1);
	mosquitto_disconnect(pub);
	mosquitto_destroy(pub);
	return acked == N_UPDATES + 1;
}

int main(int argc, char **argv)
{
	bool bytes = argc == 3 && strcmp(argv[2], "bytes") == 0;
	if (argc != 3 || (!bytes && strcmp(argv[2], "events") != 0)) {
		fprintf(stderr, "usage: queue_stall PORT events|bytes\n");
		return 2;
	}
	struct mqtt_options opt = { .host = "127.0.0.1", .port = atoi(argv[1]),
				    .prefix = "wallboard", .client_id = "queue-stall",
				    .keepalive_s = 10, .wake = nothing };
	if (bytes)
		opt.queue_max_bytes = QUEUE_BYTES;
	else
		opt.queue_max_events = QUEUE_EVENTS;
	mosquitto_lib_init();
	struct mqtt *q = mqtt_init(&opt);
	if (!q || !wait_synced(q) || !publish_all(opt.port, bytes ? PAD_BYTES : 1)) {
		fprintf(stderr, "queue_stall: no replay, or the publish failed\n");
		return 1;
	}
	/* The owner stalls until every message was read off the socket:
	 * each is counted as received when queued (a state update makes
	 * room by dropping older ones, so none is refused on arrival). */
	struct mqtt_stats st;
	for (double end = now_s() + 10; now_s() < end; usleep(10000)) {
		mqtt_get_stats(q, &st);
		if (st.received >= N_UPDATES + 1)
			break;
	}
	/* the most the queue held, and its bounds; a RESYNC, a control
	 * event, is not capped: its node's bytes */
	printf("most_events %zu\nbound_events %zu\n", st.queued_most,
	       bytes ? (size_t)MQTT_QUEUE_MAX_EVENTS : (size_t)QUEUE_EVENTS);
	printf("most_bytes %zu\nbound_bytes %zu\n", st.queued_bytes_most,
	       bytes ? (size_t)QUEUE_BYTES : MQTT_QUEUE_MAX_BYTES);
	printf("control_bytes %zu\n", sizeof(struct evnode));
	static struct mqtt_event evs[1024];
	size_t n = mqtt_poll(q, evs, 1024);
	int newest = 0, updates = 0, ack_at = -1;
	for (size_t i = 0; i < n; i++) {
		if (evs[i].kind == MQTT_EV_MESSAGE && strcmp(evs[i].topic, ACK_TOPIC) == 0)
			ack_at = (int)i;
		else if (evs[i].kind == MQTT_EV_MESSAGE) {
			int k = atoi(strchr(evs[i].payload, ':') + 1);
			newest = k > newest ? k : newest;
			updates++;
		}
	}
	printf("first %s\n", n && evs[0].kind == MQTT_EV_RESYNC ? "resync" : "other");
	printf("ack_at %d\n", ack_at);
	printf("updates %d\nnewest %d\n", updates, newest);
	printf("dropped %llu\n", (unsigned long long)st.dropped);
	for (size_t i = 0; i < n; i++)
		mqtt_event_release(&evs[i]);
	mqtt_destroy(q);
	mosquitto_lib_cleanup();
	return 0;
}
