/* mqtt_flood.c - publishes many messages fast, for integration tests and
 * the benchmark's burst.
 *
 *   mqtt_flood PORT [QOS] < LINES
 *
 * Each input line is "TOPIC PAYLOAD" (PAYLOAD may be empty: an empty
 * retained message, a removal). Every message is published retained at
 * QOS (0 or 1, default 1) on one connection to 127.0.0.1:PORT, in input
 * order, as fast as the broker takes them; with QoS 1 it exits 0 once
 * the broker acknowledged every one (mosquitto_pub would need one process
 * per topic), with QoS 0 once the broker closed the link after our
 * DISCONNECT (so it read every message before it).
 *
 * A lean producer, like a service that publishes in batches: packets are
 * gathered into one buffer and written OUT_CHUNK bytes at a time, and the
 * acknowledgements are read as they come, many per read() (mqttwire.h
 * says why not libmosquitto). */
#include "mqttwire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define OUT_CHUNK   (64 * 1024)
#define IN_CAP      (64 * 1024)
#define WAIT_MS     30000           /* the broker says nothing this long: give up */
#define IN_FLIGHT   65535           /* packet ids stay unique */

struct flood {
	int fd, qos;
	uint8_t *out;
	size_t out_len, out_cap;
	uint8_t in[IN_CAP];
	size_t in_len;
	unsigned long sent, acked;
	uint16_t next_id;
	char *line;                     /* read, not yet encoded (no room) */
	size_t line_cap;
	ssize_t line_len;
	bool eof, closed;
};

static int fail(const char *what)
{
	fprintf(stderr, "mqtt_flood: %s%s%s\n", what, errno ? ": " : "",
		errno ? strerror(errno) : "");
	return 1;
}

static int dial(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (fd < 0)
		return -1;
	/* every write is a whole batch: Nagle would only hold the last one */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads what is waiting; counts PUBACKs. Returns false on a broken link
 * or a malformed packet; f->closed at the broker's end of the stream. */
static bool take_input(struct flood *f)
{
	ssize_t n = read(f->fd, f->in + f->in_len, IN_CAP - f->in_len);
	if (n == 0) {
		f->closed = true;
		return true;
	}
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	f->in_len += (size_t)n;
	size_t at = 0;
	long len;
	int type;
	while ((len = mqttwire_next(f->in + at, f->in_len - at, &type)) > 0) {
		if (type == MQTTWIRE_PUBACK)
			f->acked++;
		at += (size_t)len;
	}
	if (len < 0 || (at == 0 && f->in_len == IN_CAP))
		return false; /* malformed, or one packet bigger than we read */
	memmove(f->in, f->in + at, f->in_len - at);
	f->in_len -= at;
	return true;
}

/* Waits for CONNACK and checks its return code. */
static bool handshake(struct flood *f)
{
	uint8_t pkt[64];
	char id[32];
	snprintf(id, sizeof id, "mqtt_flood-%ld", (long)getpid());
	size_t n = mqttwire_connect(pkt, sizeof pkt, id, 60);
	if (!n || write(f->fd, pkt, n) != (ssize_t)n)
		return false;
	for (;;) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		if (poll(&p, 1, WAIT_MS) <= 0)
			return false;
		ssize_t r = read(f->fd, f->in + f->in_len, IN_CAP - f->in_len);
		if (r <= 0)
			return false;
		f->in_len += (size_t)r;
		int type;
		long len = mqttwire_next(f->in, f->in_len, &type);
		if (len < 0)
			return false;
		if (len == 0)
			continue;
		bool ok = type == MQTTWIRE_CONNACK && len == 4 && f->in[3] == 0;
		memmove(f->in, f->in + len, f->in_len - (size_t)len);
		f->in_len -= (size_t)len;
		return ok;
	}
}

/* Room for n more bytes in the out buffer (a message bigger than a chunk
 * gets a buffer of its own size). */
static bool make_room(struct flood *f, size_t n)
{
	if (f->out_len + n <= f->out_cap)
		return true;
	if (f->out_len > 0)
		return false; /* after this batch is written */
	uint8_t *p = realloc(f->out, n);
	if (!p)
		return false;
	f->out = p;
	f->out_cap = n;
	return true;
}

/* Encodes input lines into the out buffer until it holds a chunk, the
 * input ends, or IN_FLIGHT are unacknowledged. Returns false on a message
 * MQTT cannot carry. */
static bool fill(struct flood *f)
{
	while (!f->eof && f->out_len < OUT_CHUNK &&
	       (f->qos == 0 || f->sent - f->acked < IN_FLIGHT)) {
		if (f->line_len <= 0 &&
		    (f->line_len = getline(&f->line, &f->line_cap, stdin)) <= 0) {
			f->eof = true;
			break;
		}
		char *line = f->line;
		size_t len = (size_t)f->line_len;
		if (line[len - 1] == '\n')
			len--;
		char *sp = memchr(line, ' ', len);
		size_t topic_len = sp ? (size_t)(sp - line) : len;
		const char *payload = sp ? sp + 1 : "";
		size_t payload_len = sp ? len - topic_len - 1 : 0;
		size_t size = mqttwire_publish_size(topic_len, payload_len, f->qos);
		if (!size || topic_len == 0) {
			fprintf(stderr, "mqtt_flood: message to %.*s has no topic or is too big for MQTT\n",
				(int)topic_len, line);
			return false;
		}
		if (!make_room(f, size))
			break;
		uint16_t id = f->next_id;
		f->next_id = f->next_id == 65535 ? 1 : f->next_id + 1;
		f->out_len += mqttwire_publish(f->out + f->out_len, f->out_cap - f->out_len, line,
					       topic_len, payload, payload_len, f->qos, true, id);
		f->sent++;
		f->line_len = 0;
	}
	return true;
}

static bool flush_some(struct flood *f)
{
	ssize_t n = write(f->fd, f->out, f->out_len);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	memmove(f->out, f->out + n, f->out_len - (size_t)n);
	f->out_len -= (size_t)n;
	return true;
}

/* Publishes every line; returns once all are written (and at QoS 1
 * acknowledged). */
static int publish_all(struct flood *f)
{
	for (;;) {
		if (!fill(f))
			return 1;
		bool done = f->eof && f->out_len == 0 && f->line_len <= 0;
		if (done && (f->qos == 0 || f->acked >= f->sent))
			return 0;
		struct pollfd p = { .fd = f->fd, .events = POLLIN | (f->out_len ? POLLOUT : 0) };
		int r = poll(&p, 1, WAIT_MS);
		if (r <= 0)
			return fail(r == 0 ? "the broker stopped answering" : "poll");
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && !take_input(f))
			return fail("reading from the broker");
		if (f->closed)
			return fail("the broker closed the connection");
		if ((p.revents & POLLOUT) && !flush_some(f))
			return fail("writing to the broker");
	}
}

/* DISCONNECT, then read until the broker closes: it has read (and
 * stored) everything we wrote before. */
static int say_goodbye(struct flood *f)
{
	uint8_t pkt[2];
	size_t n = mqttwire_disconnect(pkt, sizeof pkt);
	int fl = fcntl(f->fd, F_GETFL);
	fcntl(f->fd, F_SETFL, fl & ~O_NONBLOCK);
	if (write(f->fd, pkt, n) != (ssize_t)n)
		return fail("writing DISCONNECT");
	shutdown(f->fd, SHUT_WR);
	while (!f->closed) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		if (poll(&p, 1, WAIT_MS) <= 0)
			return fail("the broker did not close the connection");
		f->in_len = 0;
		if (!take_input(f))
			return 0; /* a reset after DISCONNECT: it had them all */
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: mqtt_flood PORT [QOS] < lines\n", stderr);
		return 2;
	}
	struct flood f = { .qos = argc > 2 ? atoi(argv[2]) : 1, .next_id = 1,
			   .out_cap = OUT_CHUNK };
	if (f.qos < 0 || f.qos > 1) {
		fputs("mqtt_flood: QOS is 0 or 1\n", stderr);
		return 2;
	}
	f.out = malloc(f.out_cap);
	f.fd = dial(atoi(argv[1]));
	if (!f.out || f.fd < 0 || !handshake(&f))
		return fail("cannot connect");
	fcntl(f.fd, F_SETFL, fcntl(f.fd, F_GETFL) | O_NONBLOCK);
	int rc = publish_all(&f);
	if (rc == 0)
		rc = say_goodbye(&f);
	close(f.fd);
	free(f.out);
	free(f.line);
	return rc;
}
