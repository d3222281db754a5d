/* test_evqueue.c - the bounded queue between the network thread and the
 * owner (evqueue.h): a new event that does not fit makes room by
 * dropping the oldest state updates, never an ack nor a control event,
 * and only as many as it needs; order and counts stay right. */
#include <string.h>

#include "check.h"
#include "evqueue.h"

/* One letter an event: m a state update (100 bytes), a an ack (100 bytes,
 * kept), c a control event (10 bytes), M a large state update (250). */
static struct evnode *node(struct evnode *pool, size_t i, char kind)
{
	struct evnode *n = &pool[i];
	memset(n, 0, sizeof *n);
	n->ev.kind = kind == 'c' ? MQTT_EV_PUBLISHED : MQTT_EV_MESSAGE;
	n->ev.mid = (int)i;  /* which one it is */
	n->keep = kind == 'a';
	n->bytes = kind == 'c' ? 10 : kind == 'M' ? 250 : 100;
	return n;
}

/* The queue's events as "kind index" letters, oldest first: "m0 a1 c2". */
static void describe(const struct evqueue *q, const char *kinds, char *out, size_t len)
{
	size_t at = 0;
	out[0] = '\0';
	for (const struct evnode *n = q->head; n && at + 8 < len; n = n->next)
		at += (size_t)snprintf(out + at, len - at, "%s%c%d", at ? " " : "",
				       kinds[n->ev.mid], n->ev.mid);
}

static const struct {
	const char *what;
	const char *queued;      /* appended in order, within the bound */
	size_t max_events, max_bytes;
	char next;               /* the event that does not fit */
	const char *dropped;     /* what make_room gives back, oldest first */
	bool fits;               /* the next fits afterwards */
	const char *left;        /* the queue afterwards (without the next) */
} rows[] = {
	{ "the oldest state update goes", "mmm", 3, 10000, 'm', "m0", true, "m1 m2" },
	{ "an ack at the head stays", "amm", 3, 10000, 'm', "m1", true, "a0 m2" },
	{ "a control event stays", "cmm", 3, 10000, 'm', "m1", true, "c0 m2" },
	{ "bytes: as many as it needs", "mmmm", 100, 400, 'M', "m0 m1 m2", true, "m3" },
	{ "bytes: kept ones are passed over", "ammam", 100, 500, 'M', "m1 m2 m4", true,
	  "a0 a3" },
	{ "nothing to drop: acks only", "aaa", 3, 10000, 'm', "", false, "a0 a1 a2" },
	{ "an ack that does not fit drops state", "mma", 3, 10000, 'a', "m0", true,
	  "m1 a2" },
	{ "the last state update goes too", "am", 2, 10000, 'm', "m1", true, "a0" },
	{ "room already: nothing dropped", "mm", 3, 10000, 'm', "", true, "m0 m1" },
};

static void check_rows(void)
{
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		static struct evnode pool[16];
		char kinds[16] = { 0 }, got[128], gone[128];
		struct evqueue q = { .max_events = rows[r].max_events,
				     .max_bytes = rows[r].max_bytes };
		size_t n = strlen(rows[r].queued), at = 0;
		check_ctx = rows[r].what;
		memcpy(kinds, rows[r].queued, n);
		kinds[n] = rows[r].next;
		for (size_t i = 0; i < n; i++)
			evqueue_append(&q, node(pool, i, rows[r].queued[i]));
		struct evnode *next = node(pool, n, rows[r].next);
		struct evnode *d = evqueue_make_room(&q, next);
		gone[0] = '\0';
		size_t bytes = 0, events = 0;
		for (; d; d = d->next)
			at += (size_t)snprintf(gone + at, sizeof gone - at, "%s%c%d", at ? " " : "",
					       kinds[d->ev.mid], d->ev.mid);
		describe(&q, kinds, got, sizeof got);
		CHECK_STR(gone, rows[r].dropped);
		CHECK_STR(got, rows[r].left);
		CHECK_EQ(!evqueue_full(&q, next), rows[r].fits);
		for (const struct evnode *e = q.head; e; e = e->next) {
			bytes += e->bytes;
			events++;
		}
		CHECK_EQ(q.bytes, bytes);
		CHECK_EQ(q.events, events);
		/* the tail is the last one left: appending links after it */
		evqueue_append(&q, next);
		CHECK(q.tail == next);
		CHECK_EQ(q.events, events + 1);
	}
	check_ctx = "";
}

/* take and prepend keep the ends and the counts right. */
static void check_ends(void)
{
	static struct evnode pool[4];
	struct evqueue q = { .max_events = 10, .max_bytes = 10000 };
	CHECK(evqueue_take(&q) == NULL);
	evqueue_append(&q, node(pool, 0, 'm'));
	evqueue_prepend(&q, node(pool, 1, 'c'));
	CHECK(q.head == &pool[1] && q.tail == &pool[0]);
	CHECK_EQ(q.bytes, 110);
	CHECK(evqueue_take(&q) == &pool[1]);
	CHECK(evqueue_take(&q) == &pool[0]);
	CHECK(q.head == NULL && q.tail == NULL);
	CHECK_EQ(q.events, 0);
	CHECK_EQ(q.bytes, 0);
	evqueue_prepend(&q, node(pool, 2, 'm'));
	CHECK(q.head == &pool[2] && q.tail == &pool[2]);
}

int main(void)
{
	check_rows();
	check_ends();
	return check_summary();
}
