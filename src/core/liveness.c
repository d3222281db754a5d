/* liveness.c - see liveness.h. */
#include "liveness.h"

#include <stdlib.h>
#include <string.h>

bool liveness_echo_fresh(int64_t last_echo_ms, int64_t now_ms)
{
	return last_echo_ms != 0 && now_ms - last_echo_ms < LIVENESS_WINDOW_MS;
}

bool liveness_marker_current(const void *payload, size_t len, unsigned seq)
{
	char buf[16];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, payload, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return false;
	char *end;
	unsigned long n = strtoul(buf, &end, 10);
	return *end == '\0' && n == seq;
}

void liveness_init(struct liveness *l, int64_t now)
{
	*l = (struct liveness){ .not_live_since = now };
}

void liveness_connected(struct liveness *l)
{
	l->connected = true;
	l->synced = false;
}

void liveness_resync(struct liveness *l)
{
	l->synced = false;
}

void liveness_synced(struct liveness *l)
{
	if (l->connected)
		l->synced = true;
}

void liveness_disconnected(struct liveness *l)
{
	l->connected = false;
	l->synced = false;
}

bool liveness_update(struct liveness *l, bool echo_fresh, int64_t now)
{
	bool live = l->connected && l->synced && echo_fresh;
	if (live == l->live)
		return false;
	l->live = live;
	l->not_live_since = live ? 0 : now;
	return true;
}
