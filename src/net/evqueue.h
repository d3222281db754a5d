/* evqueue.h - the events the network thread hands to the owner: a FIFO
 * bounded in events and in bytes, that makes room by dropping the oldest
 * state updates.
 *
 * A main thread that stalls (a hung driver, a debugger) must not let the
 * network thread queue without end. What is queued is the broker's state
 * (retained complaints, timers, statuses), acknowledgements and the
 * client's own control events. When a new event does not fit, the oldest
 * state updates go first: what the owner applies afterwards is the newest
 * state, and the resync that follows any drop (mqtt.h) brings back what
 * was lost. An acknowledgement (kept) and a control event (CONNECTED,
 * PUBLISHED...) are never dropped: an ack must reach every board and a
 * delivery's confirmation must reach the journal; both are few (people
 * press them) and small. No locking here: mqtt.c holds its lock. */
#ifndef WALLBOARD_EVQUEUE_H
#define WALLBOARD_EVQUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtt.h"

struct evnode {
	struct evnode *next;
	size_t bytes;            /* counted against max_bytes */
	bool keep;               /* never dropped to make room (an ack) */
	struct mqtt_event ev;
};

struct evqueue {
	struct evnode *head, *tail;
	size_t events, bytes;
	size_t max_events, max_bytes;
	size_t most_events, most_bytes; /* the most held at once: what a
	                                   test of the bound reads */
};

/* Whether n would not fit as it is. */
bool evqueue_full(const struct evqueue *q, const struct evnode *n);

void evqueue_append(struct evqueue *q, struct evnode *n);
void evqueue_prepend(struct evqueue *q, struct evnode *n);
/* The oldest event, unlinked; NULL when empty. */
struct evnode *evqueue_take(struct evqueue *q);

/* Unlinks the oldest messages not kept until n fits (or none is left to
 * drop) and returns them as a list (linked by next, oldest first) for the
 * caller to count and free; NULL when nothing was dropped. */
struct evnode *evqueue_make_room(struct evqueue *q, const struct evnode *n);

#endif
