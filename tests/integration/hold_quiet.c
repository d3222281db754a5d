/* hold_quiet.c - the board's MQTT client (src/net/mqtt.h) held by its
 * owner, for test_hold_quiet.sh: which messages wake the owner, and
 * that a stream's last messages reach it when the stream stops, not
 * when it looks by itself.
 *
 *   hold_quiet PORT
 *
 * Connects to the broker at 127.0.0.1:PORT and waits for its retained
 * replay to end. Then the owner holds for HOLD_MS with the board's pace
 * (mqtt_hold) and, like the board, takes the queue only when woken:
 *  - first: one message after a quiet spell (nothing since the replay);
 *  - stream: STREAM messages STREAM_EVERY_MS apart right after it, then
 *    nothing: the owner waits (at most CAP_MS, far less than HOLD_MS)
 *    until it has them all;
 *  - small burst, big burst: after a quiet spell, SMALL_BURST messages
 *    (fewer than fill the socket's mark or the queue's pile-up bound),
 *    then BIG_BURST, published as fast as the publisher can, each waited
 *    for the same way;
 *  - after quiet: QUIET_MS of nothing, then one message.
 * It prints how many wake-ups each part brought, and for each stream
 * whether the owner had all of it before it would have looked by itself
 * ("<part>_all 1") and how long after its last publish, as "key value"
 * lines. */
#include <mosquitto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mqtt.h"
#include "pace.h"
#include "util.h"

#define HOLD_MS         60000   /* the owner looks by itself only then */
#define CAP_MS          3000    /* waiting for a stream's last message */
#define STREAM          150
#define STREAM_EVERY_MS 10
#define SMALL_BURST     200     /* about 8 KB: under MQTT_HOLD_BYTES */
#define BIG_BURST       3000
#define QUIET_MS        800
#define SETTLE_MS       400     /* for a wake-up to come, if one does */

static const struct mqtt_pace pace = { PACE_GAP_MS, PACE_SETTLE_MS, PACE_BURST_GAP_MS };

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

/* The owner until it has found want messages in all, at most CAP_MS:
 * the wake-ups meanwhile; *ms how long it took. */
static int owner_until(struct mqtt *q, int want, int *found, double *ms)
{
	int woke = 0;
	double start = now_s();
	while (*found < want && now_s() < start + CAP_MS / 1000.0)
		woke += owner_for(q, 2, found);
	*ms = 1000 * (now_s() - start);
	return woke;
}

/* After a quiet spell, n messages from *next on, as fast as the
 * publisher takes them; then the owner until it has them all. */
static void burst(struct mosquitto *pub, struct mqtt *q, const char *name, int n, int *next,
		  int *found)
{
	usleep(QUIET_MS * 1000);
	for (int i = 0; i < n; i++)
		publish(pub, (*next)++);
	double ms;
	int woke = owner_until(q, *next, found, &ms);
	printf("%s %d\n%s_all %d\n%s_ms %.0f\n", name, woke, name, *found == *next, name, ms);
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
	usleep(PACE_GAP_MS * 2 * 1000); /* the replay's last message long gone */
	take(q, NULL);
	seen = atomic_load(&wakes);
	mqtt_hold(q, util_mono_ms() + HOLD_MS, &pace);
	int found = 0, next = 0;
	double ms;
	publish(pub, next++);
	printf("first %d\n", owner_until(q, next, &found, &ms));
	int woke = 0;
	for (int i = 1; i <= STREAM; i++) {
		publish(pub, next++);
		woke += owner_for(q, STREAM_EVERY_MS, &found);
	}
	/* its end: the owner is woken once the reader sees it stopped (the
	 * gap after its last message), not at the hold's end */
	woke += owner_until(q, next, &found, &ms);
	printf("stream %d\nstream_all %d\nstream_ms %.0f\n", woke, found == next, ms);
	burst(pub, q, "small_burst", SMALL_BURST, &next, &found);
	burst(pub, q, "big_burst", BIG_BURST, &next, &found);
	usleep(QUIET_MS * 1000);
	publish(pub, next++);
	printf("after_quiet %d\n", owner_for(q, SETTLE_MS, &found));
	mqtt_hold(q, 0, NULL); /* the owner looks: the rest */
	usleep(50000);
	found += take(q, NULL);
	printf("messages %d of %d\n", found, next);
	mosquitto_loop_stop(pub, true);
	mosquitto_destroy(pub);
	mqtt_destroy(q);
	mosquitto_lib_cleanup();
	return 0;
}
