/* hold_quiet.c - the board's MQTT client (src/net/mqtt.h) held by its
 * owner, for test_hold_quiet.sh: which messages wake the owner.
 *
 *   hold_quiet PORT
 *
 * Connects to the broker at 127.0.0.1:PORT and waits for its retained
 * replay to end. Then the owner holds for HOLD_MS with the board's quiet
 * gap (mqtt_hold) and, like the board, takes the queue only when woken:
 *  - first: one message after a quiet spell (nothing since the replay);
 *  - stream: STREAM messages STREAM_EVERY_MS apart right after it;
 *  - after quiet: QUIET_MS of nothing, then one message.
 * It prints how many wake-ups each part brought and how many messages
 * the owner found, as "key value" lines. */
#include <mosquitto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mqtt.h"
#include "util.h"

#define GAP_MS          250     /* the board's PACE_GAP_MS */
#define HOLD_MS         20000   /* the owner looks by itself only then */
#define STREAM          150
#define STREAM_EVERY_MS 10
#define QUIET_MS        800
#define SETTLE_MS       400     /* for a wake-up to come, if one does */

static atomic_int wakes;

static void on_wake(void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&wakes, 1);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Takes what the queue holds: the messages among it. */
static int take(struct mqtt *q, bool *synced)
{
	static struct mqtt_event evs[256];
	int messages = 0;
	size_t n;
	while ((n = mqtt_poll(q, evs, 256)) > 0) {
		for (size_t i = 0; i < n; i++) {
			messages += evs[i].kind == MQTT_EV_MESSAGE;
			if (synced)
				*synced |= evs[i].kind == MQTT_EV_SYNCED;
			mqtt_event_release(&evs[i]);
		}
	}
	return messages;
}

static bool wait_synced(struct mqtt *q)
{
	bool synced = false;
	for (double end = now_s() + 10; !synced && now_s() < end; usleep(10000))
		take(q, &synced);
	return synced;
}

/* The owner for ms: it takes the queue when woken, as the board does
 * (the wake-up is once per empty->non-empty queue). The wake-ups since
 * the last call are counted: one may come before the call, right after
 * the publish before it. */
static int seen;

static int owner_for(struct mqtt *q, int ms, int *found)
{
	int woke = 0;
	for (double end = now_s() + ms / 1000.0; now_s() < end; usleep(2000)) {
		int w = atomic_load(&wakes);
		if (w != seen) {
			woke += w - seen;
			seen = w;
			*found += take(q, NULL);
		}
	}
	return woke;
}

static void publish(struct mosquitto *pub, int i)
{
	char topic[64], payload[32];
	snprintf(topic, sizeof topic, "wallboard/complaints/h%d", i);
	snprintf(payload, sizeof payload, "{\"n\":%d}", i);
	mosquitto_publish(pub, NULL, topic, (int)strlen(payload), payload, 0, false);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: hold_quiet PORT\n");
		return 2;
	}
	struct mqtt_options opt = { .host = "127.0.0.1", .port = atoi(argv[1]),
				    .prefix = "wallboard", .client_id = "hold-quiet",
				    .keepalive_s = 10, .wake = on_wake };
	mosquitto_lib_init();
	struct mqtt *q = mqtt_init(&opt);
	struct mosquitto *pub = mosquitto_new("hold-quiet-pub", true, NULL);
	if (!q || !pub || !wait_synced(q) ||
	    mosquitto_connect(pub, "127.0.0.1", opt.port, 10) != MOSQ_ERR_SUCCESS ||
	    mosquitto_loop_start(pub) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "hold_quiet: no replay, or no publisher\n");
		return 1;
	}
	usleep(GAP_MS * 2 * 1000); /* the replay's last message long gone */
	take(q, NULL);
	seen = atomic_load(&wakes);
	mqtt_hold(q, util_mono_ms() + HOLD_MS, GAP_MS);
	int found = 0;
	publish(pub, 0);
	printf("first %d\n", owner_for(q, STREAM_EVERY_MS, &found));
	int woke = 0;
	for (int i = 1; i <= STREAM; i++) {
		publish(pub, i);
		woke += owner_for(q, STREAM_EVERY_MS, &found);
	}
	/* the stream's end is no quiet spell: what is left of it is read
	 * when the stream may have gone quiet, without a wake-up */
	woke += owner_for(q, GAP_MS + SETTLE_MS, &found);
	printf("stream %d\n", woke);
	usleep(QUIET_MS * 1000);
	publish(pub, STREAM + 1);
	printf("after_quiet %d\n", owner_for(q, SETTLE_MS, &found));
	mqtt_hold(q, 0, 0); /* the owner looks: the rest */
	usleep(50000);
	found += take(q, NULL);
	printf("messages %d of %d\n", found, STREAM + 2);
	mosquitto_loop_stop(pub, true);
	mosquitto_destroy(pub);
	mqtt_destroy(q);
	mosquitto_lib_cleanup();
	return 0;
}
