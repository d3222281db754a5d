/* evqueue.c - see evqueue.h. */
#include "evqueue.h"

bool evqueue_full(const struct evqueue *q, const struct evnode *n)
{
	return q->events >= q->max_events || q->bytes + n->bytes > q->max_bytes;
}

/* n joins q: counted, and the most q held kept. */
static void grow(struct evqueue *q, const struct evnode *n)
{
	q->events++;
	q->bytes += n->bytes;
	if (q->events > q->most_events)
		q->most_events = q->events;
	if (q->bytes > q->most_bytes)
		q->most_bytes = q->bytes;
}

void evqueue_append(struct evqueue *q, struct evnode *n)
{
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	grow(q, n);
}

void evqueue_prepend(struct evqueue *q, struct evnode *n)
{
	n->next = q->head;
	q->head = n;
	if (!q->tail)
		q->tail = n;
	grow(q, n);
}

struct evnode *evqueue_take(struct evqueue *q)
{
	struct evnode *n = q->head;
	if (!n)
		return NULL;
	q->head = n->next;
	if (!q->head)
		q->tail = NULL;
	q->events--;
	q->bytes -= n->bytes;
	n->next = NULL;
	return n;
}

/* A state update: a message that is not kept. */
static bool droppable(const struct evnode *n)
{
	return n->ev.kind == MQTT_EV_MESSAGE && !n->keep;
}

struct evnode *evqueue_make_room(struct evqueue *q, const struct evnode *n)
{
	struct evnode *out = NULL, **out_tail = &out;
	struct evnode **link = &q->head, *prev = NULL;
	while (evqueue_full(q, n) && *link) {
		struct evnode *o = *link;
		if (!droppable(o)) {
			prev = o;
			link = &o->next;
			continue;
		}
		*link = o->next;
		if (q->tail == o)
			q->tail = prev;
		q->events--;
		q->bytes -= o->bytes;
		o->next = NULL;
		*out_tail = o;
		out_tail = &o->next;
	}
	return out;
}
