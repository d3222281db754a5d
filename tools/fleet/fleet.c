/* fleet.c - N subscribers that take the retained replay as a board does,
 * to measure how one broker serves a fleet of boards (scripts/fleet.sh).
 *
 *   fleet --broker HOST:PORT --clients N --expect M [--prefix P]
 *         [--rounds R] [--timeout S]
 *
 * Each client is one MQTT 5 connection with a clean start, subscribed at
 * QoS 0 to the board's filters (producers/+/status, complaints/+, sla/+,
 * crisis, acks/+). A client is complete when it received M retained
 * messages on its current connection. Round 0 is the first connection;
 * each later round starts when a client loses its link (the broker was
 * restarted) and ends when all N are complete again. Lost links are
 * retried as the board does: 0.5 s doubling to 30 s, +-25 % jitter.
 *
 * One thread, one poll() over every socket, libmosquitto's loop_read /
 * loop_write / loop_misc per client: a fleet of 500 is 500 sockets, not
 * 500 threads. Connects are non-blocking: with a blocking connect, 500
 * clients reconnecting at once overflow mosquitto's listen backlog (100),
 * and each SYN the kernel retries after 1 s, 3 s... would stall every
 * other client of this one thread (a first version took 334 s for 500).
 * Prints one line per round, "round K: ..." with the time from
 * the first lost link (round 0: from start) until all were complete, the
 * per-client times from their CONNACK (p50, p95, max), and done_at, the
 * wall clock in ms, for the script to line up with the broker's restart.
 * Exit 0 after R rounds (default 2), 1 on a timeout (default 600 s). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS   30000

struct client {
	struct mosquitto *m;
	bool up;               /* CONNACK on the current connection */
	bool complete;
	long got;              /* retained messages on this connection */
	int64_t connack_ms, complete_ms;
	int64_t retry_at_ms;   /* down: when to reconnect */
	int backoff_ms;
};

static struct {
	struct client *c;
	int n;
	long expect;
	int n_complete;
	int64_t round_start_ms;
	int round;             /* 0: the first replay; then one per restart */
	bool round_open;       /* a link was lost: a round is running */
	char *subs[5];
	uint64_t rng;
} F;

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rnd(void)
{
	F.rng ^= F.rng >> 12;
	F.rng ^= F.rng << 25;
	F.rng ^= F.rng >> 27;
	return F.rng * 2685821657736338717ULL;
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *props)
{
	struct client *c = obj;
	(void)flags;
	(void)props;
	if (rc != 0)
		return;
	c->up = true;
	c->got = 0;
	c->connack_ms = mono_ms();
	c->backoff_ms = BACKOFF_FIRST_MS;
	mosquitto_subscribe_multiple(m, NULL, 5, F.subs, 0, 0, NULL);
}

static void on_message(struct mosquitto *m, void *obj,
		       const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct client *c = obj;
	(void)m;
	(void)props;
	if (!msg->retain || c->complete || ++c->got < F.expect)
		return;
	c->complete = true;
	c->complete_ms = mono_ms();
	F.n_complete++;
}

/* The link is gone: count it, start a round if none runs (after round 0:
 * a client lost during the first replay, refused by a busy broker, only
 * retries, or the clients already complete would wait for a replay that
 * never comes), retry later. */
static void lost(struct client *c)
{
	if (F.round > 0 && !F.round_open) {
		F.round_open = true;
		F.round_start_ms = mono_ms();
		F.n_complete = 0;
		for (int i = 0; i < F.n; i++)
			F.c[i].complete = false;
	}
	if (c->complete) {
		c->complete = false;
		F.n_complete--;
	}
	c->up = false;
	int64_t b = c->backoff_ms;
	c->retry_at_ms = mono_ms() + b * 3 / 4 + (int64_t)(rnd() % (uint64_t)(b / 2 + 1));
	c->backoff_ms = b >= BACKOFF_MAX_MS / 2 ? BACKOFF_MAX_MS : (int)b * 2;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void report(int round, int64_t start_ms)
{
	int64_t *t = malloc(sizeof *t * (size_t)F.n), end = 0;
	for (int i = 0; i < F.n; i++) {
		t[i] = F.c[i].complete_ms - F.c[i].connack_ms;
		if (F.c[i].complete_ms > end)
			end = F.c[i].complete_ms;
	}
	qsort(t, (size_t)F.n, sizeof *t, cmp_i64);
	printf("round %d: %d clients x %ld retained: all complete %.2f s after %s; "
	       "per client from CONNACK p50 %.2f s p95 %.2f s max %.2f s; done_at=%lld\n",
	       round, F.n, F.expect, (double)(end - start_ms) / 1000,
	       round ? "the first lost link" : "start",
	       (double)t[F.n / 2] / 1000, (double)t[F.n * 95 / 100] / 1000,
	       (double)t[F.n - 1] / 1000,
	       (long long)(wall_ms() - (mono_ms() - end)));
	fflush(stdout);
	free(t);
}

static void pump(int timeout_ms, struct pollfd *pfd, int *idx)
{
	int k = 0;
	int64_t now = mono_ms();
	for (int i = 0; i < F.n; i++) {
		struct client *c = &F.c[i];
		int fd = mosquitto_socket(c->m);
		if (fd < 0) {
			if (!c->up && now >= c->retry_at_ms) {
				if (mosquitto_reconnect_async(c->m) != MOSQ_ERR_SUCCESS)
					lost(c);
			}
			continue;
		}
		pfd[k] = (struct pollfd){ fd, POLLIN | (mosquitto_want_write(c->m) ? POLLOUT : 0), 0 };
		idx[k++] = i;
	}
	poll(pfd, (nfds_t)k, timeout_ms);
	for (int j = 0; j < k; j++) {
		struct client *c = &F.c[idx[j]];
		int rc = MOSQ_ERR_SUCCESS;
		if (pfd[j].revents & (POLLIN | POLLHUP | POLLERR))
			rc = mosquitto_loop_read(c->m, 64);
		if (rc == MOSQ_ERR_SUCCESS && (pfd[j].revents & POLLOUT))
			rc = mosquitto_loop_write(c->m, 64);
		if (rc == MOSQ_ERR_SUCCESS)
			rc = mosquitto_loop_misc(c->m);
		if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(c->m) < 0)
			lost(c);
	}
}

int main(int argc, char **argv)
{
	const char *broker = "127.0.0.1:1883", *prefix = "wallboard";
	int rounds = 2, timeout_s = 600;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--broker")) broker = argv[i + 1];
		else if (!strcmp(argv[i], "--clients")) F.n = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--expect")) F.expect = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--prefix")) prefix = argv[i + 1];
		else if (!strcmp(argv[i], "--rounds")) rounds = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--timeout")) timeout_s = atoi(argv[i + 1]);
		else { fprintf(stderr, "fleet: unknown flag %s\n", argv[i]); return 2; }
	}
	char host[256];
	int port = 1883;
	if (sscanf(broker, "%255[^:]:%d", host, &port) < 1 || F.n < 1 || F.expect < 1) {
		fprintf(stderr, "usage: fleet --broker HOST:PORT --clients N --expect M "
			"[--prefix P] [--rounds R] [--timeout S]\n");
		return 2;
	}
	static const char *filters[5] = { "producers/+/status", "complaints/+", "sla/+",
					   "crisis", "acks/+" };
	for (int i = 0; i < 5; i++)
		if (asprintf(&F.subs[i], "%s/%s", prefix, filters[i]) < 0)
			return 1;
	F.rng = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL | 1;
	F.c = calloc((size_t)F.n, sizeof *F.c);
	struct pollfd *pfd = calloc((size_t)F.n, sizeof *pfd);
	int *idx = calloc((size_t)F.n, sizeof *idx);
	if (!F.c || !pfd || !idx)
		return 1;
	mosquitto_lib_init();
	int64_t start = mono_ms();
	for (int i = 0; i < F.n; i++) {
		char id[64];
		snprintf(id, sizeof id, "fleet-%d-%d", (int)getpid(), i);
		struct client *c = &F.c[i];
		c->backoff_ms = BACKOFF_FIRST_MS;
		c->m = mosquitto_new(id, true, c);
		if (!c->m)
			return 1;
		mosquitto_int_option(c->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
		mosquitto_connect_v5_callback_set(c->m, on_connect);
		mosquitto_message_v5_callback_set(c->m, on_message);
		if (mosquitto_connect_async(c->m, host, port, 30) != MOSQ_ERR_SUCCESS) {
			fprintf(stderr, "fleet: client %d cannot connect to %s\n", i, broker);
			return 1;
		}
	}
	int round = 0;
	while ((F.round = round) < rounds) {
		if (mono_ms() - start > (int64_t)timeout_s * 1000) {
			fprintf(stderr, "fleet: timeout in round %d: %d of %d complete\n",
				round, F.n_complete, F.n);
			return 1;
		}
		pump(100, pfd, idx);
		if (F.n_complete == F.n && (round == 0 || F.round_open)) {
			report(round, round ? F.round_start_ms : start);
			F.round_open = false;
			round++;
		}
	}
	for (int i = 0; i < F.n; i++)
		mosquitto_destroy(F.c[i].m);
	mosquitto_lib_cleanup();
	for (int i = 0; i < 5; i++)
		free(F.subs[i]);
	free(F.c);
	free(pfd);
	free(idx);
	return 0;
}
