/* liveness.h - when the board may say its data is live.
 *
 * "Live" means: connected, the retained replay of this connection is
 * complete (its sync marker came back), and the board's own heartbeat
 * (echo, published every second) came back through the broker within
 * LIVENESS_WINDOW_MS. A silent half-open link stops the echo, so it is
 * seen within the window too, long before TCP or the keepalive notice.
 *
 * Pure: the caller passes the time (monotonic ms for echoes, epoch
 * seconds for "not live since"), so the state machine is tested with an
 * injected clock. */
#ifndef WALLBOARD_LIVENESS_H
#define WALLBOARD_LIVENESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIVENESS_WINDOW_MS 3000

/* The echo last seen at last_echo_ms (0: none on this connection) is
 * recent enough at now_ms. */
bool liveness_echo_fresh(int64_t last_echo_ms, int64_t now_ms);

/* A sync marker's payload ends the replay numbered seq only
 * when it carries that number: libmosquitto resends an unacknowledged
 * marker of an earlier connection after reconnecting. */
bool liveness_marker_current(const void *payload, size_t len, unsigned seq);

/* The owner's view, fed with the network events in queue order (so
 * "synced" means every message of the replay was applied). */
struct liveness {
	bool connected;
	bool synced;
	bool live;
	int64_t not_live_since;   /* epoch s; 0 while live */
};

void liveness_init(struct liveness *l, int64_t now);
void liveness_connected(struct liveness *l);     /* a new replay begins */
void liveness_resync(struct liveness *l);        /* a replay again, same link */
void liveness_synced(struct liveness *l);        /* and is complete */
void liveness_disconnected(struct liveness *l);

/* echo_fresh: liveness_echo_fresh() of the current connection. Returns
 * true when l->live changed (then not_live_since is now or 0). */
bool liveness_update(struct liveness *l, bool echo_fresh, int64_t now);

#endif
