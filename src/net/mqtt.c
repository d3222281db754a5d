/* mqtt.c - see mqtt.h.
 *
 * Threads: the network thread owns the connection (connect, loop,
 * reconnect, disconnect) and runs every libmosquitto callback. The owner's
 * thread only publishes (mosquitto_threaded_set) and drains the queue.
 * Everything both threads touch is under q->lock; fields marked "network
 * thread only" are touched by callbacks and the loop, never by the owner.
 *
 * Event order per connection: CONNECTED, the retained replay, SYNCED.
 * - CONNECTED is queued in on_connect, before SUBSCRIBE is even sent. With
 *   a clean start the broker has nothing for us before it sees SUBSCRIBE,
 *   and all callbacks run on this one thread, so no message of this
 *   connection can be queued ahead of CONNECTED. Queueing it on SUBACK
 *   would not be safe: a broker may write retained messages before the
 *   SUBACK (mosquitto 2.0 writes them after it, but that is not promised).
 * - SYNCED: the marker is itself a retained message, published to our
 *   own sync topic before we subscribe (SUBSCRIBE is sent only once its
 *   PUBACK is back, so the broker stored it), and the sync topic is the
 *   last filter of the one SUBSCRIBE. Brokers replay the retained
 *   messages of a SUBSCRIBE filter by filter, in order, so the marker
 *   comes after every retained message of the contract's topics, however
 *   the broker schedules the replay. (A marker published after the SUBACK
 *   is not enough: mosquitto writes the replay before its SUBACK, but
 *   aedes streams it after the SUBACK, and a live marker overtook it: a
 *   board said "in sync" holding 1 of 6 complaints.) Markers carry a
 *   per-replay counter that starts at a random value: a stale retained
 *   marker, or one of an earlier connection that libmosquitto resends
 *   after reconnecting, or of an earlier replay taken again by
 *   mqtt_replay() (which stores a new marker, then subscribes again), must
 *   not end this replay.
 * - DISCONNECTED is queued once per CONNECTED, when the link is lost.
 *
 * libmosquitto init: once per process (pthread_once), never cleaned up.
 * With OpenSSL >= 1.1 mosquitto_lib_cleanup() frees next to nothing, and a
 * cleanup/init cycle between two clients of one process would be a race
 * for no gain; process exit reclaims it. */
#include "mqtt.h"

#include "backoff.h"
#include "evqueue.h"
#include "liveness.h"
#include "log.h"
#include "msgslab.h"
#include "util.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAG "mqtt"

#define ECHO_EVERY_MS      1000
#define ECHO_EARLY_MS      300    /* see heartbeat() */
/* A marker lost in an overflowing replay is sent again after this. It
 * cannot overtake the replay: mosquitto writes (or queues) the whole
 * retained set when it handles the SUBSCRIBE, before any marker. */
#define SYNC_RETRY_MS      3000
#define ROOM_WAIT_MS       2000   /* backpressure, see wait_for_room() */
/* Backoff: see backoff.h (a broker that is away is tried every 0.5-1 s,
 * one that refuses the board later and later, up to 30 s). */
#define CONNECT_TIMEOUT_MS 10000  /* TCP + TLS + CONNACK, or try again */
#define RETRY_LOG_EVERY_MS 60000
#define STOP_DRAIN_MS      1000
#define INTERNAL_MIDS      16

/* Subscriptions are QoS 0 (docs/mqtt-client.md, "QoS choices"). With a
 * clean start QoS 1 would buy nothing across reconnects, and it costs the
 * retained replay: mosquitto holds at most 20 QoS 1 messages in flight
 * plus max_queued_messages (default 1000) per client and drops the rest,
 * so a board subscribed at QoS 1 got 1020 of 3000 retained complaints and
 * no sync marker. At QoS 0 the broker
 * writes the replay straight to the socket and only queues (up to the same
 * limit) when the socket backs up: 20000 retained came through in 0.6 s. */
#define SUB_QOS            0

/* The broker replays retained messages in the order of the filters in the
 * SUBSCRIBE: producer statuses first, so the counts they announce are not
 * what an overflowing replay cuts off (the board could not tell then). */
/* SUB_CMD, SUB_CMD_ALL: remote commands (remote.h), handed to the owner
 * like any message. */
enum sub { SUB_PRODUCERS, SUB_COMPLAINTS, SUB_SLA, SUB_CRISIS, SUB_STEPS, SUB_ACKS,
	   SUB_CMD, SUB_CMD_ALL, SUB_ECHO, SUB_SYNC, N_SUBS };

/* What follows the PUBACK of a stored sync marker. */
enum then { THEN_NOTHING, THEN_ALL, THEN_SYNC_ONLY };

struct mqtt {
	struct mosquitto *m;
	pthread_t thread;
	char *host;
	int port;
	int keepalive;
	char *client_id;
	char *subs[N_SUBS];
	char *status_topic;
	char *status_online, *status_offline;
	void (*wake)(void *ctx);
	void *wake_ctx;
	struct msgslab *slabs;   /* messages' copies: filled on the network
	                            thread, released on the owner's */

	/* Shared with the owner's thread: under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* signalled when stop is set, and when the
	                            owner drained while room_waiters > 0 */
	unsigned room_waiters;
	bool stop;
	bool connected;
	int version;             /* MQTT_PROTOCOL_V5 or _V311 of the last
	                            CONNACK; 0 before the first */
	int64_t last_echo_ms;    /* 0: no echo on this connection yet */
	struct evqueue queue;    /* bounded: max_bytes, max_events */
	bool woken;              /* wake() called since the queue was emptied */
	unsigned syncs_queued;   /* MQTT_EV_SYNCED events in the queue */
	int64_t hold_until;      /* mqtt_hold(): the owner looks then */
	struct mqtt_pace pace;   /* ... and how its pace reads a stream */
	int lowat_fd;            /* the socket SO_RCVLOWAT was set on (-1: none) */
	int lowat;               /* ... and to what (a new socket: 1) */
	bool dropping;           /* in a burst of drops: logged once */
	bool replay_wanted;      /* mqtt_replay() asked for the replay again */
	bool resync_wanted;      /* dropped since the last (re)subscribe */
	bool resync_event_due;   /* dropped since the last MQTT_EV_RESYNC */
	struct mqtt_stats stats;

	/* Network thread only. */
	enum mqtt_protocol want; /* as configured */
	int trying;              /* the version the next CONNECT speaks */
	unsigned marker_seq;     /* per replay (a connection, mqtt_replay, a
	                            resync after drops): in the marker */
	char marker[32];         /* the marker this replay waits for */
	int marker_mid;          /* its PUBLISH; SUBSCRIBE follows its PUBACK */
	enum then then;          /* what to subscribe on that PUBACK */
	int sub_mid;
	bool subscribed;
	bool resubscribing;      /* a resync's SUBSCRIBE is out, no SUBACK yet */
	bool synced;
	bool ever_connected;
	int64_t connected_ms;
	int64_t next_echo_ms;
	int64_t marker_sent_ms;
	int64_t last_rx_ms;      /* the last retained (replayed) message */
	bool batching;           /* reading a held batch: messages go to... */
	bool batch_quiet;        /* ... read once the stream may have gone quiet */
	struct mqtt_reader reader; /* the stream as read (mqtt_reader_pass) */
	size_t pass_msgs;        /* messages read in this pass of the loop */
	struct evqueue batch;    /* ... here, unbounded, till batch_flush() */
	int64_t drained_ms;      /* when the socket was last read empty */
	int internal_mids[INTERNAL_MIDS]; /* our own publishes: no PUBLISHED */
	uint64_t rejected_publishes; /* PUBACKs >= 0x80, for the log's rate */
	unsigned n_internal;
	struct backoff backoff;
	int64_t attempt_ms;      /* when the current connect began */
	unsigned attempts;       /* failed attempts since the last connection */
	int64_t last_retry_log_ms;
	int err;                 /* errno right after the last failing call */
	int disc_reason;         /* v5 reason of a DISCONNECT from the broker */
	uint64_t rng;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
	mosquitto_lib_init();
}

/* pthread_mutex_lock() wants a non-const mutex; the owner's read-only
 * calls take a const handle to an object that is never really const. */
static struct mqtt *unconst(const struct mqtt *q)
{
	return (struct mqtt *)q;
}

static bool stopping(struct mqtt *q)
{
	pthread_mutex_lock(&q->lock);
	bool stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

/* Human text for a libmosquitto result (or a v5 reason code >= 0x80). */
static const char *rc_text(int rc, int err, char *buf, size_t len)
{
	if (rc >= 0x80)
		return mosquitto_reason_string(rc);
	if (rc == MOSQ_ERR_ERRNO)
		return strerror_r(err, buf, len);
	if (rc == MOSQ_ERR_EAI)
		return gai_strerror(err);
	if (rc == MOSQ_ERR_KEEPALIVE)   /* 2.0.11 says "Unknown error." */
		return "no answer from the broker within the keepalive";
	return mosquitto_strerror(rc);
}

/* ---- the queue ---------------------------------------------------- */

/* Backpressure during a retained replay: with the queue full the network
 * thread waits for the owner to drain it instead of dropping, and reads
 * nothing meanwhile, so the rest stays in the socket and in the broker's
 * per-client queue (which the shipped broker configuration sizes for the
 * site's retained set). A board that decodes more slowly than the broker
 * writes a replay thus loses nothing of its own; dropping there would
 * only start the same replay again (and again, on a slow board). Outside
 * a replay a full queue drops and resyncs, as below. Called on the
 * network thread with q->lock held; gives up after ROOM_WAIT_MS (an owner
 * that stopped draining), well inside the keepalive. */
static void wait_for_room(struct mqtt *q, const struct evnode *n)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	util_timespec_add_ms(&until, ROOM_WAIT_MS);
	q->room_waiters++;
	while (!q->stop && evqueue_full(&q->queue, n) &&
	       pthread_cond_timedwait(&q->cond, &q->lock, &until) != ETIMEDOUT)
		;
	q->room_waiters--;
}

static void free_copy(const struct mqtt_event *ev);

/* A control event's node (RESYNC, CONNECTED...): nothing behind it. */
static struct evnode *control_node(enum mqtt_event_kind kind)
{
	struct evnode *n = calloc(1, sizeof *n);
	if (n) {
		n->bytes = sizeof *n;
		n->ev.kind = kind;
	}
	return n;
}

/* A RESYNC at the head of the queue, after the oldest were dropped: all
 * that follows it is newer than every drop, so only that and the replay
 * that follows may confirm what the owner holds. Out of memory: ahead
 * of the next message instead (later than needed, never too early). */
static void resync_at_head_locked(struct mqtt *q)
{
	q->resync_wanted = true;
	if (q->queue.head && q->queue.head->ev.kind == MQTT_EV_RESYNC)
		return;
	struct evnode *r = control_node(MQTT_EV_RESYNC);
	if (!r) {
		q->resync_event_due = true;
		return;
	}
	evqueue_prepend(&q->queue, r);
}

/* The queue is full for n: the oldest state updates go (evqueue.h),
 * counted, logged once a spell, and a resync follows. True when n can
 * be queued now: it fits, or it is an ack, queued over the bound. */
static bool make_room_locked(struct mqtt *q, const struct evnode *n)
{
	uint64_t k = 0;
	struct evnode *gone = evqueue_make_room(&q->queue, n);
	for (struct evnode *d = gone, *next; d; d = next, k++) {
		next = d->next;
		free_copy(&d->ev);
	}
	bool queued = n->keep || !evqueue_full(&q->queue, n);
	k += !queued;
	if (!k)
		return queued;
	q->stats.dropped += k;
	if (!q->dropping)
		log_warn(TAG, "queue full (%zu events, %zu bytes): dropping the oldest state "
			 "updates (never acks), then taking the broker's state again",
			 q->queue.events, q->queue.bytes);
	q->dropping = true;
	resync_at_head_locked(q);
	return queued;
}

bool mqtt_wakes(bool message, bool synced, size_t queued, int64_t hold_until,
		int64_t quiet_at, int64_t rx_ms, int64_t now)
{
	bool held = message && synced && queued < MQTT_HOLD_EVENTS && hold_until > now &&
		    quiet_at > rx_ms;
	return !held;
}

bool mqtt_wakes_again(enum mqtt_event_kind kind)
{
	return kind == MQTT_EV_SYNCED;
}

bool mqtt_hold_wakes(int64_t held_until, int64_t until_ms, int64_t now, bool unseen)
{
	return unseen && (until_ms <= now || held_until <= now);
}

int64_t mqtt_reader_quiet_at(const struct mqtt_reader *r, const struct mqtt_pace *p)
{
	if (p->gap_ms <= 0)
		return INT64_MAX;
	return r->last_ms > 0 ? r->last_ms + p->gap_ms : INT64_MIN;
}

int64_t mqtt_reader_look_at(const struct mqtt_reader *r, const struct mqtt_pace *p)
{
	int64_t quiet_at = mqtt_reader_quiet_at(r, p);
	if (r->looks <= 0 || quiet_at == INT64_MIN || quiet_at == INT64_MAX)
		return quiet_at;
	return r->last_ms + p->settle_ms;
}

int64_t mqtt_reader_pass_end(const struct mqtt_reader *r, const struct mqtt_pace *p,
			     int64_t now, int64_t until)
{
	const int64_t at[] = { until - MQTT_HOLD_LEAD_MS, mqtt_reader_look_at(r, p),
			       mqtt_reader_quiet_at(r, p) };
	int64_t end = INT64_MAX;
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		if (at[i] > now && at[i] < end)
			end = at[i];
	return end == INT64_MAX ? until : end;
}

/* Looks at settle_ms are for a burst, whose end the owner draws then
 * (pace.h). A stream of 100 msg/s at random pauses 30 ms about five
 * times a second, and looking each 30 ms would wake this thread 33
 * times a second, where its batches cost it about 4, and the owner at
 * each pause for nothing (no burst: its changes wait for the frame
 * anyway). So they go on only while
 * a pass reads messages at a burst's rate (at least one every
 * burst_every_ms since the socket was last read empty); one look is
 * left after the first slower pass (a burst's last few messages, read
 * apart from it, are no burst by themselves), and one is taken after a
 * message that came after a quiet spell, the first of what may be a
 * burst too small to fill the socket's mark. */
bool mqtt_reader_pass(struct mqtt_reader *r, const struct mqtt_pace *p, int64_t now, size_t n,
		      int64_t span_ms, bool after_quiet, bool unseen)
{
	if (n) {
		bool brisk = p->burst_every_ms > 0 && (int64_t)n * p->burst_every_ms >= span_ms;
		int left = r->looks > 0 ? r->looks - 1 : 0;
		r->looks = brisk ? MQTT_SETTLE_LOOKS : after_quiet && left < 1 ? 1 : left;
	}
	int64_t look_at = mqtt_reader_look_at(r, p);
	if (look_at == INT64_MIN || look_at == INT64_MAX || now < look_at)
		return false;
	/* nothing came since the last message for the look's span: the
	 * stream stopped. Held messages go to the owner now. */
	r->looks = 0;
	return unseen;
}

/* From when a message would come after a quiet spell (q->lock): at
 * once when none came yet; never with no gap. */
static int64_t quiet_at_locked(const struct mqtt *q)
{
	return mqtt_reader_quiet_at(&q->reader, &q->pace);
}

/* A message read alone (not in a held batch): it came when it was read. */
static int64_t quiet_at_for(const struct mqtt *q, bool message)
{
	return message ? quiet_at_locked(q) : INT64_MAX;
}

/* Queues n (q->lock held); false when capped and n itself had to be
 * dropped (counted, a resync asked for: the caller only frees it).
 * Control events are not capped: they are tiny and losing one (a
 * DISCONNECTED) would make the owner show a state that is not true. */
static bool enqueue_locked(struct mqtt *q, struct evnode *n, bool capped)
{
	bool full = capped && evqueue_full(&q->queue, n);
	if (full && !q->synced)
		wait_for_room(q, n);
	full = capped && evqueue_full(&q->queue, n);
	if (full && !make_room_locked(q, n))
		return false;
	if (capped && q->resync_event_due) {
		/* The first message after drops: a RESYNC ahead of it. What the
		 * owner applies after that is newer than every drop, so only it
		 * and the replay that follows may confirm what is held. */
		struct evnode *r = control_node(MQTT_EV_RESYNC);
		if (!r) {
			q->stats.dropped++;
			return false;
		}
		q->resync_event_due = false;
		evqueue_append(&q->queue, r);
	}
	if (capped) {
		q->stats.received++;
		if (q->dropping && !full)
			log_info(TAG, "queue accepts messages again (%llu dropped "
				 "in total)", (unsigned long long)q->stats.dropped);
		q->dropping = q->dropping && full;
	}
	evqueue_append(&q->queue, n);
	return true;
}

/* The owner is told once per empty->non-empty queue, when mqtt_wakes()
 * says so for what was just queued (now; an event of kind, a message or
 * a batch whose last came at rx_ms; quiet_at as mqtt_wakes() takes it),
 * and again for the replay's end (mqtt_wakes_again): true when the
 * caller should call wake_owner() once it has let go of q->lock. */
static bool wake_due_locked(struct mqtt *q, enum mqtt_event_kind kind, int64_t rx_ms,
			    int64_t quiet_at)
{
	bool message = kind == MQTT_EV_MESSAGE;
	if (message)
		q->reader.last_ms = rx_ms;
	if (q->woken ? !mqtt_wakes_again(kind)
		     : !mqtt_wakes(message, q->synced, q->queue.events, q->hold_until,
				   quiet_at, rx_ms, util_mono_ms()))
		return false;
	q->woken = true;
	return true;
}

/* Outside q->lock: woken at once on the other core, the owner's
 * mqtt_poll() found the lock still held and slept on it again, a futex
 * wait and wake-up for every batch. A wake-up that comes after the owner
 * already drained is only spurious. */
static void wake_owner(struct mqtt *q, bool due)
{
	if (due && q->wake)
		q->wake(q->wake_ctx);
}

static bool queue_push(struct mqtt *q, struct evnode *n, bool capped)
{
	pthread_mutex_lock(&q->lock);
	bool ok = enqueue_locked(q, n, capped);
	if (ok && n->ev.kind == MQTT_EV_SYNCED)
		q->syncs_queued++;
	bool wake = ok && wake_due_locked(q, n->ev.kind, n->ev.rx_ms, quiet_at_for(q, capped));
	pthread_mutex_unlock(&q->lock);
	wake_owner(q, wake);
	return ok;
}

int64_t mqtt_batch_stamp(int64_t drained_ms, int64_t last_ms, size_t i, size_t n)
{
	int64_t from = drained_ms > 0 && drained_ms < last_ms ? drained_ms : last_ms;
	if (!n || i >= n)
		return last_ms;
	return from + (last_ms - from) * (int64_t)(i + 1) / (int64_t)n;
}

/* When the last byte waiting in the socket arrived (the kernel keeps it
 * per socket, to its tick): now if it cannot tell. */
static int64_t last_arrival_ms(struct mqtt *q, int64_t now)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	int fd = mosquitto_socket(q->m);
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv)
		return now;
	return now - (int64_t)ti.tcpi_last_data_recv;  /* unsigned: never after now */
}

/* A held batch, read at once when the hold ended (or MQTT_HOLD_BYTES
 * piled up), goes to the owner in one piece: one lock, one wake-up and
 * one look at the clock, not one each a message. The messages arrived
 * after the socket was last read empty (q->drained_ms) and no later than
 * its last byte: the last is stamped with that arrival, the others
 * spread evenly before it, so the owner's pace sees the stream as it
 * came (its quiet spells to the kernel's tick, not the batch's length)
 * rather than many messages at one instant. */
static void batch_flush(struct mqtt *q)
{
	size_t n = q->batch.events;
	if (!n)
		return;
	int64_t now = util_mono_ms();
	int64_t last = last_arrival_ms(q, now);
	struct evnode *b, *dropped = NULL;
	pthread_mutex_lock(&q->lock);
	for (size_t i = 0; (b = evqueue_take(&q->batch)) != NULL; i++) {
		b->ev.rx_ms = mqtt_batch_stamp(q->drained_ms, last, i, n);
		if (!enqueue_locked(q, b, true)) {
			b->next = dropped;
			dropped = b;
		}
	}
	/* Queued before the owner looks (the batch read just before its
	 * deadline), it needs no wake-up; queued after, it does, however
	 * early it came. A pass slowed past the deadline (its core busy)
	 * once queued a burst's last 235 messages just after the owner
	 * looked: it held again and drew them 300 ms later. Read once the
	 * stream may have gone quiet, a batch begins with a change after a
	 * quiet spell; read when it might (the deadline, a timer), a stream
	 * ran through it unless it is one message that came after that
	 * point. */
	int64_t quiet_at = q->batch_quiet ? INT64_MIN : n == 1 ? quiet_at_locked(q) : INT64_MAX;
	bool wake = wake_due_locked(q, MQTT_EV_MESSAGE, last, quiet_at);
	pthread_mutex_unlock(&q->lock);
	wake_owner(q, wake);
	for (struct evnode *d = dropped, *next; d; d = next) {
		next = d->next;  /* counted, a resync asked for (make_room_locked) */
		free_copy(&d->ev);
	}
}

static void push_control(struct mqtt *q, enum mqtt_event_kind kind, int mid,
			 int reason)
{
	struct evnode *n = control_node(kind);
	if (!n) {
		log_error(TAG, "out of memory: event %d lost", (int)kind);
		return;
	}
	n->ev.mid = mid;
	n->ev.reason = reason;
	batch_flush(q);  /* after the messages read before it */
	queue_push(q, n, false);
}

/* A message was dropped: the owner's picture may now be wrong (a lost
 * "resolved" would keep a complaint open for weeks). The next message
 * that fits is preceded by MQTT_EV_RESYNC (enqueue_locked), and the
 * resubscribe follows in heartbeat(). */
static void want_resync(struct mqtt *q)
{
	pthread_mutex_lock(&q->lock);
	q->resync_wanted = true;
	q->resync_event_due = true;
	pthread_mutex_unlock(&q->lock);
}

static void count_dropped(struct mqtt *q)
{
	pthread_mutex_lock(&q->lock);
	q->stats.dropped++;
	pthread_mutex_unlock(&q->lock);
}

/* A message's copy: its node, topic and payload in one piece, from a
 * slab (msgslab.h: no malloc a message on this thread, freed on the
 * owner's), or a block of its own when large. */
static struct evnode *message_node(struct mqtt *q, size_t bytes)
{
	void *slab = NULL;
	struct evnode *n = msgslab_alloc(q->slabs, bytes, &slab);
	if (!n && (n = malloc(bytes)) == NULL)
		return NULL;
	*n = (struct evnode){ .bytes = bytes };
	n->ev.slab = slab;
	n->ev.block = slab ? NULL : n;
	return n;
}

/* Frees a message's copy: not mqtt_event_release(), which clears the
 * event it is given, here inside the copy it just freed. */
static void free_copy(const struct mqtt_event *ev)
{
	if (ev->slab)
		msgslab_release(ev->slab);
	else
		free(ev->block);
}

/* <prefix>/acks/<alarm>: an ack a lead gave, never dropped to make room
 * in the queue (evqueue.h). */
static bool is_ack(const struct mqtt *q, const char *topic)
{
	const char *filter = q->subs[SUB_ACKS];   /* "<prefix>/acks/+" */
	size_t len = strlen(filter) - 1;
	return strncmp(topic, filter, len) == 0 && !strchr(topic + len, '/');
}

static void push_message(struct mqtt *q, const struct mosquitto_message *msg)
{
	size_t len = (size_t)msg->payloadlen, tlen = strlen(msg->topic);
	size_t bytes = sizeof(struct evnode) + tlen + 1 + len + 1;
	struct evnode *n = message_node(q, bytes);
	if (!n) {
		log_error(TAG, "out of memory: message on %s dropped", msg->topic);
		count_dropped(q);
		want_resync(q);
		return;
	}
	char *topic = (char *)(n + 1), *payload = topic + tlen + 1;
	memcpy(topic, msg->topic, tlen + 1);
	if (len)
		memcpy(payload, msg->payload, len);
	payload[len] = '\0';
	n->keep = is_ack(q, msg->topic);
	n->ev.kind = MQTT_EV_MESSAGE;
	n->ev.retained = msg->retain;
	n->ev.topic = topic;
	n->ev.payload = payload;
	n->ev.payload_len = len;
	q->pass_msgs++;
	if (q->batching) {  /* stamped and queued by batch_flush() */
		evqueue_append(&q->batch, n);
		return;
	}
	n->ev.rx_ms = util_mono_ms();
	if (!queue_push(q, n, true))
		free_copy(&n->ev);  /* counted, a resync asked for */
}

static void queue_free(struct mqtt *q)
{
	struct evnode *n;
	while ((n = evqueue_take(&q->queue)) != NULL) {
		/* A message's node is its copy (block or slab): releasing
		 * it frees the topic and payload too. */
		if (n->ev.kind == MQTT_EV_MESSAGE)
			free_copy(&n->ev);
		else
			free(n);
	}
}

/* ---- callbacks (network thread) ------------------------------------ */

static void publish_internal(struct mqtt *q, const char *topic,
			     const char *payload, int qos, bool retain)
{
	int mid = 0;
	int rc = mosquitto_publish(q->m, &mid, topic, (int)strlen(payload),
				   payload, qos, retain);
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
		char buf[128];
		log_warn(TAG, "publish to %s failed: %s", topic,
			 rc_text(rc, errno, buf, sizeof buf));
		return;
	}
	q->internal_mids[q->n_internal++ % INTERNAL_MIDS] = mid;
}

static bool is_internal_mid(const struct mqtt *q, int mid)
{
	for (unsigned i = 0; i < INTERNAL_MIDS && i < q->n_internal; i++)
		if (q->internal_mids[i] == mid)
			return true;
	return false;
}

/* Stores the marker (retained, see the top of this file); on its PUBACK,
 * on_publish() sends the SUBSCRIBE named by then. */
static void send_marker(struct mqtt *q, enum then then)
{
	snprintf(q->marker, sizeof q->marker, "%u", q->marker_seq);
	q->then = then;
	q->marker_mid = 0;
	int rc = mosquitto_publish(q->m, &q->marker_mid, q->subs[SUB_SYNC],
				   (int)strlen(q->marker), q->marker, 1, true);
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN)
		log_warn(TAG, "sync marker not sent: %s", mosquitto_strerror(rc));
	q->marker_sent_ms = util_mono_ms();
}

/* The broker's Maximum Packet Size (CONNACK, MQTT 5): larger publishes
 * are refused before they reach libmosquitto (publish_fits). */
static void note_packet_max(struct mqtt *q, const mosquitto_property *props)
{
	uint32_t max = 0;
	if (!props || !mosquitto_property_read_int32(props, MQTT_PROP_MAXIMUM_PACKET_SIZE,
						     &max, false))
		max = 0;
	pthread_mutex_lock(&q->lock);
	q->stats.broker_packet_max = max;
	pthread_mutex_unlock(&q->lock);
	if (max)
		log_info(TAG, "the broker takes packets up to %u bytes", max);
}

static void subscribe_after_marker(struct mqtt *q)
{
	enum then then = q->then;
	q->then = THEN_NOTHING;
	if (then == THEN_NOTHING)
		return;
	/* Again only the sync topic: its retained marker is replayed. */
	int rc = then == THEN_SYNC_ONLY
			 ? mosquitto_subscribe(q->m, NULL, q->subs[SUB_SYNC], SUB_QOS)
			 : mosquitto_subscribe_multiple(q->m, &q->sub_mid, N_SUBS,
							q->subs, SUB_QOS, 0, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		/* Without subscriptions the board would show nothing and
		 * never sync: drop the link and let the thread retry. */
		log_error(TAG, "subscribe failed: %s", mosquitto_strerror(rc));
		mosquitto_disconnect(q->m);
	}
}

static const char *version_name(int version)
{
	return version == MQTT_PROTOCOL_V311 ? "3.1.1" : "5";
}

/* A 3.1.1 CONNACK return code as the MQTT 5 reason code that means the
 * same, so that one table of texts (mosquitto_reason_string) serves both
 * versions and attempt_failed() logs it as the broker's refusal. */
static int v3_reason(int rc)
{
	switch (rc) {
	case CONNACK_REFUSED_PROTOCOL_VERSION: return MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION;
	case CONNACK_REFUSED_IDENTIFIER_REJECTED: return MQTT_RC_CLIENTID_NOT_VALID;
	case CONNACK_REFUSED_SERVER_UNAVAILABLE: return MQTT_RC_SERVER_UNAVAILABLE;
	case CONNACK_REFUSED_BAD_USERNAME_PASSWORD: return MQTT_RC_BAD_USERNAME_OR_PASSWORD;
	case CONNACK_REFUSED_NOT_AUTHORIZED: return MQTT_RC_NOT_AUTHORIZED;
	default: return MQTT_RC_UNSPECIFIED;
	}
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *props)
{
	struct mqtt *q = obj;
	(void)flags;
	if (rc != 0) {    /* refused: logged, rate-limited, by attempt_failed */
		q->disc_reason = q->trying == MQTT_PROTOCOL_V311 ? v3_reason(rc) : rc;
		return;
	}
	q->marker_seq++;
	q->subscribed = q->synced = q->resubscribing = false;
	q->disc_reason = 0;
	q->connected_ms = util_mono_ms();
	q->attempts = 0;
	pthread_mutex_lock(&q->lock);
	q->connected = true;
	q->resync_wanted = false; /* CONNECTED starts a full resync anyway */
	q->resync_event_due = false;
	q->stats.last_error[0] = '\0';
	q->stats.attempts = 0;
	q->version = q->trying;
	q->last_echo_ms = 0;
	q->replay_wanted = false;  /* this connection's replay answers it */
	if (q->ever_connected)
		q->stats.reconnects++;
	pthread_mutex_unlock(&q->lock);
	q->ever_connected = true;
	log_info(TAG, "connected to %s:%d as %s (MQTT %s)", q->host, q->port,
		 q->client_id, version_name(q->trying));
	note_packet_max(q, props);

	/* Before SUBSCRIBE: see the comment at the top of this file. */
	push_control(q, MQTT_EV_CONNECTED, 0, 0);
	publish_internal(q, q->status_topic, q->status_online, 1, true);
	send_marker(q, THEN_ALL);
	(void)m;
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int count,
			 const int *granted, const mosquitto_property *props)
{
	struct mqtt *q = obj;
	(void)m;
	(void)props;
	if (mid != q->sub_mid)
		return;
	for (int i = 0; i < count && i < N_SUBS; i++)
		if (granted[i] >= 0x80)
			log_error(TAG, "broker refused subscription %s: %s",
				  q->subs[i], mosquitto_reason_string(granted[i]));
	q->subscribed = true;
	q->resubscribing = false;
	q->next_echo_ms = util_mono_ms();
	q->marker_sent_ms = q->next_echo_ms;
}

static void on_marker(struct mqtt *q, const struct mosquitto_message *msg)
{
	/* Only the replayed copy ends the replay: storing a new marker
	 * while subscribed also delivers it live (retain flag clear),
	 * before the SUBSCRIBE that follows has replayed anything. */
	if (msg->payloadlen <= 0 || q->synced || !msg->retain)
		return;       /* a live copy, or a repeat */
	if (!liveness_marker_current(msg->payload, (size_t)msg->payloadlen, q->marker_seq)) {
		/* An earlier connection's or run's marker: said, so that a
		 * replay that never ends can be told from one never sent. */
		char seen[16];
		int n = msg->payloadlen < 15 ? msg->payloadlen : 15;
		for (int i = 0; i < n; i++) {
			char c = ((const char *)msg->payload)[i];
			seen[i] = c >= '0' && c <= '9' ? c : '?';
		}
		seen[n] = '\0';
		log_info(TAG, "sync marker %s is stale (this replay's is %u): ignored",
			 seen, q->marker_seq);
		return;
	}
	pthread_mutex_lock(&q->lock);
	bool dropped = q->resync_wanted;
	pthread_mutex_unlock(&q->lock);
	if (dropped)
		return;       /* the replay lost messages: another round follows */
	q->synced = true;
	push_control(q, MQTT_EV_SYNCED, 0, 0);
}

static void count_oversized(struct mqtt *q, const struct mosquitto_message *msg)
{
	pthread_mutex_lock(&q->lock);
	uint64_t n = ++q->stats.oversized;
	pthread_mutex_unlock(&q->lock);
	if ((n & (n - 1)) == 0)   /* 1, 2, 4, 8...: not once per message */
		log_warn(TAG, "dropped %d-byte message on %s (over %d; %llu so far)",
			 msg->payloadlen, msg->topic, MQTT_PAYLOAD_MAX,
			 (unsigned long long)n);
}

static void on_message(struct mosquitto *m, void *obj,
		       const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct mqtt *q = obj;
	(void)m;
	(void)props;
	if (strcmp(msg->topic, q->subs[SUB_ECHO]) == 0) {
		if (msg->retain)
			return;   /* a stale retained echo proves nothing */
		pthread_mutex_lock(&q->lock);
		q->last_echo_ms = util_mono_ms();
		pthread_mutex_unlock(&q->lock);
		return;
	}
	if (strcmp(msg->topic, q->subs[SUB_SYNC]) == 0) {
		on_marker(q, msg);
		return;
	}
	if (msg->retain)
		q->last_rx_ms = util_mono_ms();
	if (msg->payloadlen > MQTT_PAYLOAD_MAX) {
		count_oversized(q, msg);
		return;
	}
	push_message(q, msg);
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int reason,
		       const mosquitto_property *props)
{
	struct mqtt *q = obj;
	(void)m;
	(void)props;
	if (mid == q->marker_mid && q->marker_mid) {
		if (reason >= 0x80)
			log_error(TAG, "broker refused the sync marker %s on %s: %s "
				  "(a board must be allowed to write retained "
				  "messages under its boards/<id>/)", q->marker,
				  q->subs[SUB_SYNC], mosquitto_reason_string(reason));
		subscribe_after_marker(q);
		return;
	}
	if (is_internal_mid(q, mid))
		return;
	uint64_t n = reason >= 0x80 ? ++q->rejected_publishes : 0;
	if (n && (n & (n - 1)) == 0)
		log_warn(TAG, "broker rejected publish mid %d: %s (%llu rejections so far; "
			 "1, 2, 4, ... logged)", mid, mosquitto_reason_string(reason),
			 (unsigned long long)q->rejected_publishes);
	push_control(q, MQTT_EV_PUBLISHED, mid, reason);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc,
			  const mosquitto_property *props)
{
	struct mqtt *q = obj;
	(void)m;
	(void)props;
	if (rc >= 0x80)   /* the broker said why, e.g. session taken over */
		q->disc_reason = rc;
}

/* ---- the network thread -------------------------------------------- */

/* The retained replay again, on the same link: SUBSCRIBE to the same
 * filters makes the broker send every retained message once more (retain
 * handling 0), and a new marker, stored before, ends it. Nothing
 * is unconfirmed for this: a replay that loses messages again must not
 * drop what an earlier one brought. */
static void replay_if_wanted(struct mqtt *q)
{
	pthread_mutex_lock(&q->lock);
	bool want = q->replay_wanted;
	q->replay_wanted = false;
	pthread_mutex_unlock(&q->lock);
	if (!want)
		return;
	q->marker_seq++;
	q->synced = false;
	send_marker(q, THEN_ALL);
	log_info(TAG, "taking the retained replay again (marker %u)", q->marker_seq);
}

/* After drops, once the queue has room again: subscribe again, so the
 * broker replays every retained message, then a new marker ends it. */
static void resync_if_wanted(struct mqtt *q)
{
	if (q->resubscribing)
		return;
	pthread_mutex_lock(&q->lock);
	bool go = q->resync_wanted && q->queue.events < q->queue.max_events / 2 &&
		  q->queue.bytes < q->queue.max_bytes / 2;
	if (go)
		q->resync_wanted = q->replay_wanted = false; /* this covers a replay */
	uint64_t dropped = q->stats.dropped;
	pthread_mutex_unlock(&q->lock);
	if (!go)
		return;
	log_warn(TAG, "resync: %llu messages dropped so far; taking the retained "
		 "state again", (unsigned long long)dropped);
	q->marker_seq++;
	q->synced = false;
	q->resubscribing = true;
	send_marker(q, THEN_ALL);  /* failing, the SUBSCRIBE drops the link:
	                              reconnecting resyncs too */
}

/* Every second while subscribed: an echo, and the marker again if the
 * last one did not come back (a broker queue overflow can drop it). */
static void heartbeat(struct mqtt *q)
{
	if (!q->subscribed)
		return;
	resync_if_wanted(q);
	replay_if_wanted(q);
	int64_t now = util_mono_ms();
	/* Early, on a pass the thread woke for anyway (a held batch, a few
	 * times a second): it need not wake for the echo alone. Kept on its
	 * schedule, so echoes still go once a second on average, at most
	 * ECHO_EVERY_MS + ECHO_EARLY_MS apart, well inside the liveness
	 * window. */
	if (now >= q->next_echo_ms - ECHO_EARLY_MS) {
		publish_internal(q, q->subs[SUB_ECHO], "1", 0, false);
		q->next_echo_ms += ECHO_EVERY_MS;
		if (q->next_echo_ms <= now)
			q->next_echo_ms = now + ECHO_EVERY_MS;
	}
	/* Not while the replay still flows (retained messages arrive; live
	 * ones have the retain flag clear): a sync-only SUBSCRIBE's marker
	 * could overtake it on a broker that streams replays (aedes). */
	int64_t quiet_since = q->last_rx_ms > q->marker_sent_ms ? q->last_rx_ms
								  : q->marker_sent_ms;
	if (!q->synced && !q->resubscribing && now - quiet_since >= SYNC_RETRY_MS) {
		log_warn(TAG, "no sync marker back after %d s: broker queue "
			 "overflow? (raise max_queued_messages)",
			 SYNC_RETRY_MS / 1000);
		send_marker(q, THEN_SYNC_ONLY);
	}
}

static int loop_timeout_ms(const struct mqtt *q)
{
	if (!q->subscribed)
		return ECHO_EVERY_MS;
	int64_t t = q->next_echo_ms - util_mono_ms();
	return t < 10 ? 10 : t > ECHO_EVERY_MS ? ECHO_EVERY_MS : (int)t;
}

/* ---- batches while the owner holds (mqtt_hold) ------------------------ */

/* Until when the owner holds (0 when it does not, or during a replay:
 * what the broker cannot write to the socket in time, it drops), and
 * how its pace reads a stream. */
static int64_t held_until(struct mqtt *q, int64_t now, struct mqtt_pace *pace)
{
	if (!q->synced)
		return 0;
	pthread_mutex_lock(&q->lock);
	int64_t until = q->hold_until;
	*pace = q->pace;
	pthread_mutex_unlock(&q->lock);
	return until > now ? until : 0;
}

/* The socket reports readable only once bytes are waiting: a stream
 * wakes the thread once per that many bytes instead of per message,
 * and a burst still wakes it long before the socket fills. Under
 * q->lock: the owner lowers it when it ends a hold (mqtt_hold). */
static void set_lowat_locked(struct mqtt *q, int bytes)
{
	if (q->lowat_fd < 0 || q->lowat == bytes)
		return;
	if (setsockopt(q->lowat_fd, SOL_SOCKET, SO_RCVLOWAT, &bytes, sizeof bytes) == 0)
		q->lowat = bytes;
}

/* Network thread. */
static void set_lowat(struct mqtt *q, int bytes)
{
	int fd = mosquitto_socket(q->m);
	pthread_mutex_lock(&q->lock);
	if (fd != q->lowat_fd) {
		q->lowat_fd = fd;
		q->lowat = 1;   /* the kernel's default on a new socket */
	}
	set_lowat_locked(q, bytes);
	pthread_mutex_unlock(&q->lock);
}

/* Reads the packets waiting in the socket (mosquitto_loop reads one per
 * select()), at most READ_WAITING_MAX, so a flood still lets the loop
 * write (acks, the status) and keep alive in between. */
#define READ_WAITING_MAX 4096

static int read_waiting(struct mqtt *q)
{
	int rc = MOSQ_ERR_SUCCESS, fd, waiting = 0;
	if ((fd = mosquitto_socket(q->m)) < 0 || ioctl(fd, FIONREAD, &waiting) != 0 ||
	    waiting == 0)
		return rc;
	/* One packet a call, read until the socket is empty: libmosquitto
	 * returns success with errno EAGAIN from the read that found
	 * nothing (a packet cut short stays half read, as with select()).
	 * errno is cleared before each call, so a stale EAGAIN cannot end
	 * the batch early; a spurious one only ends it early. Asking
	 * FIONREAD before each packet cost a system call a message. */
	for (int i = 0; i < READ_WAITING_MAX && rc == MOSQ_ERR_SUCCESS; i++) {
		errno = 0;
		rc = mosquitto_loop_read(q->m, 1);
		if (rc == MOSQ_ERR_SUCCESS && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
	}
	return rc;
}

/* After a held pass that read n messages since the socket was last
 * read empty at drained: the reader's verdict (mqtt_reader_pass). Before
 * it, a stream's last batch stayed in the queue until the owner looked
 * by itself, at its next frame: a burst of 20,002 was all shown 550-899
 * ms after its publish began instead of about 200. */
static void reader_pass(struct mqtt *q, const struct mqtt_pace *pace, size_t n,
			int64_t drained)
{
	int64_t now = util_mono_ms();
	pthread_mutex_lock(&q->lock);
	bool unseen = q->queue.head && !q->woken;
	bool wake = mqtt_reader_pass(&q->reader, pace, now, n, q->reader.last_ms - drained,
				     q->batch_quiet, unseen);
	q->woken = q->woken || wake;
	pthread_mutex_unlock(&q->lock);
	wake_owner(q, wake);
}

/* One pass of the network loop. Held: select() wakes for MQTT_HOLD_BYTES
 * (or, once the stream may have gone quiet, for any byte), a publish of
 * ours (libmosquitto's own wake-up) or mqtt_reader_pass_end(); then
 * whatever is waiting is read at once. After the batch read just before
 * the owner looks, the thread need not wake when it does: the owner
 * holds again from its frame (a later end), or ends the hold, which
 * lowers the socket's mark (mqtt_hold). */
static int loop_once(struct mqtt *q)
{
	struct mqtt_pace pace = { 0, 0, 0 };
	int64_t now = util_mono_ms(), drained = q->drained_ms;
	int64_t until = held_until(q, now, &pace);
	q->pass_msgs = 0;
	if (!until) {
		/* a burst: what else waits is read at once, not one packet
		 * per select() */
		set_lowat(q, 1);
		int rc = mosquitto_loop(q->m, loop_timeout_ms(q), 1);
		rc = rc == MOSQ_ERR_SUCCESS ? read_waiting(q) : rc;
		q->drained_ms = util_mono_ms();
		/* each message woke the owner; what is read next, held, may
		 * still be a burst's: one look for its end */
		if (q->pass_msgs)
			q->reader.looks = q->reader.looks > 0 ? q->reader.looks : 1;
		return rc;
	}
	int timeout = loop_timeout_ms(q);
	int64_t end = mqtt_reader_pass_end(&q->reader, &pace, now, until);
	if (end - now < timeout)
		timeout = (int)(end - now);
	/* quiet: a message now is a change the owner shows at once */
	q->batch_quiet = now >= mqtt_reader_quiet_at(&q->reader, &pace);
	set_lowat(q, q->batch_quiet ? 1 : MQTT_HOLD_BYTES);
	q->batching = true;
	int rc = mosquitto_loop(q->m, timeout, 1);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = read_waiting(q);
	batch_flush(q);
	q->batching = false;
	q->drained_ms = util_mono_ms();
	reader_pass(q, &pace, q->pass_msgs, drained);
	return rc;
}

/* Runs one link until it fails or we are stopped. The connect is
 * non-blocking (mosquitto_connect_async), so a host that drops our SYNs
 * holds neither a stop (SIGTERM) nor the next attempt for long: each pass
 * waits at most a second, and CONNECT_TIMEOUT_MS without a CONNACK ends
 * the attempt. */
static int run_link(struct mqtt *q)
{
	int rc = MOSQ_ERR_SUCCESS;
	while (rc == MOSQ_ERR_SUCCESS && !stopping(q)) {
		rc = loop_once(q);
		q->err = errno;
		if (rc == MOSQ_ERR_SUCCESS)
			heartbeat(q);
		if (rc == MOSQ_ERR_SUCCESS && !mqtt_is_connected(q) &&
		    util_mono_ms() - q->attempt_ms > CONNECT_TIMEOUT_MS) {
			mosquitto_disconnect(q->m);
			q->err = ETIMEDOUT;
			rc = MOSQ_ERR_ERRNO;
		}
	}
	return rc;
}

/* What an operator reads on the first-start screen and in the status:
 * the kind of failure first (refused, DNS, TLS, authentication), then
 * libmosquitto's or the system's own words. */
static void set_last_error(struct mqtt *q, int rc)
{
	char buf[128], words[160];
	const char *text = rc_text(rc, q->err, buf, sizeof buf);
	const char *kind = "";
	if (rc == MOSQ_ERR_EAI)
		kind = "DNS: ";
	else if (rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE)
		kind = "TLS: ";
	else if (rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD || rc == MQTT_RC_NOT_AUTHORIZED ||
		 rc == MOSQ_ERR_AUTH || rc == MOSQ_ERR_CONN_REFUSED)
		kind = "authentication: ";
	else if (rc == MOSQ_ERR_ERRNO && q->err == ECONNREFUSED)
		text = "connection refused";
	snprintf(words, sizeof words, "%s%s", kind, text);
	pthread_mutex_lock(&q->lock);
	snprintf(q->stats.last_error, sizeof q->stats.last_error, "%s", words);
	q->stats.attempts = q->attempts;
	pthread_mutex_unlock(&q->lock);
}

/* rc >= 0x80 is the broker's reason (CONNACK refusal, DISCONNECT):
 * usually a configuration error, so logged as one. */
static void attempt_failed(struct mqtt *q, int rc)
{
	char buf[128];
	int64_t now = util_mono_ms();
	q->attempts++;
	set_last_error(q, rc);
	if (q->attempts > 1 && now - q->last_retry_log_ms < RETRY_LOG_EVERY_MS)
		return;
	q->last_retry_log_ms = now;
	log_msg(rc >= 0x80 ? LOG_ERROR : LOG_WARN, TAG,
		"cannot connect to %s:%d: %s (attempt %u; retrying %s)", q->host, q->port,
		rc_text(rc, q->err, buf, sizeof buf), q->attempts,
		q->backoff.refused ? "later and later, up to every 30 s" : "every second");
}

static void link_lost(struct mqtt *q, int rc)
{
	pthread_mutex_lock(&q->lock);
	bool was = q->connected;
	q->connected = false;
	pthread_mutex_unlock(&q->lock);
	q->subscribed = false;
	if (!was) {       /* refused, TLS failure, no CONNACK in time... */
		backoff_attempt_failed(&q->backoff, q->disc_reason >= 0x80);
		attempt_failed(q, q->disc_reason ? q->disc_reason : rc);
		return;
	}
	char buf[128];
	set_last_error(q, q->disc_reason ? q->disc_reason : rc);
	log_warn(TAG, "connection to %s:%d lost: %s; reconnecting", q->host,
		 q->port, rc_text(q->disc_reason ? q->disc_reason : rc, q->err,
				  buf, sizeof buf));
	if (q->disc_reason == MQTT_RC_SESSION_TAKEN_OVER)
		log_error(TAG, "another client connected with id %s: every "
			  "board needs its own board_id", q->client_id);
	/* A broker that was away gets us back at once; one that refused us
	 * (two boards with one id) or dropped us at once gets us back later
	 * and later (backoff.h). */
	q->last_retry_log_ms = util_mono_ms();
	backoff_link_lost(&q->backoff, q->disc_reason >= 0x80,
			  q->last_retry_log_ms - q->connected_ms);
	push_control(q, MQTT_EV_DISCONNECTED, 0, 0);
}

/* Waits the next step of the backoff (backoff.h); wakes on stop. */
static void backoff_sleep(struct mqtt *q)
{
	int64_t ms = backoff_next_ms(&q->backoff, util_xorshift64(&q->rng));
	struct timespec until = util_deadline_ms(ms);
	pthread_mutex_lock(&q->lock);
	while (!q->stop &&
	       pthread_cond_timedwait(&q->cond, &q->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&q->lock);
}

/* Leaving: DISCONNECT with reason 4 makes the broker publish our will
 * ("offline") too, in case our own "offline" could not go out first. */
static void close_link(struct mqtt *q)
{
	if (mosquitto_socket(q->m) < 0)
		return;
	mosquitto_disconnect_v5(q->m, MQTT_RC_DISCONNECT_WITH_WILL_MSG, NULL);
	int64_t deadline = util_mono_ms() + STOP_DRAIN_MS;
	while (util_mono_ms() < deadline && mosquitto_socket(q->m) >= 0 &&
	       mosquitto_loop(q->m, 100, 1) == MOSQ_ERR_SUCCESS)
		;
}

/* A CONNECT in the version q->trying speaks: the first (first), or
 * again after a fallback. Non-blocking (mosquitto_connect_async): DNS and
 * the TCP connect happen here, on the network thread, never on the
 * owner's. libmosquitto 2.0 sends CONNECT properties only with its
 * blocking connect, and never on reconnects: oversized messages are
 * dropped in on_message instead. Without stored CONNECT properties
 * libmosquitto reconnects in 3.1.1 as well (with them it would refuse). */
static int open_link(struct mqtt *q, bool first)
{
	mosquitto_int_option(q->m, MOSQ_OPT_PROTOCOL_VERSION, q->trying);
	q->attempt_ms = util_mono_ms();
	pthread_mutex_lock(&q->lock);
	q->lowat_fd = -1;   /* a new socket, perhaps with the old number */
	pthread_mutex_unlock(&q->lock);
	int rc = first ? mosquitto_connect_async(q->m, q->host, q->port, q->keepalive)
		       : mosquitto_reconnect_async(q->m);
	q->err = errno;
	return rc;
}

/* Auto mode, refused for speaking 5: 3.1.1 from now on. libmosquitto
 * 2.0.11 reports a 3.1.1 broker's "unacceptable protocol version" CONNACK
 * (which has no properties) to a v5 client as reason 0x84, and so does a
 * 5 broker that refuses the version. The switch holds for the life of the
 * process: a broker does not change versions between reconnects, and
 * probing 5 at every reconnect would cost each one a refused attempt. */
static bool fall_back(struct mqtt *q)
{
	if (q->disc_reason != MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION ||
	    q->trying != MQTT_PROTOCOL_V5)
		return false;
	if (q->want != MQTT_PROTOCOL_AUTO) {
		log_error(TAG, "%s:%d does not speak MQTT 5: set mqtt.protocol = "
			  "auto or 3.1.1", q->host, q->port);
		return false;
	}
	log_warn(TAG, "%s:%d refused MQTT 5 (unsupported protocol version): "
		 "falling back to MQTT 3.1.1", q->host, q->port);
	q->trying = MQTT_PROTOCOL_V311;
	q->disc_reason = 0;
	return true;
}

static void *net_thread(void *arg)
{
	struct mqtt *q = arg;
	int rc = open_link(q, true);
	while (!stopping(q)) {
		if (rc == MOSQ_ERR_SUCCESS)
			rc = run_link(q);
		if (stopping(q))
			break;
		if (fall_back(q)) {
			rc = open_link(q, false);
			continue;
		}
		link_lost(q, rc);
		backoff_sleep(q);
		if (stopping(q))
			break;
		q->disc_reason = 0;
		q->attempt_ms = util_mono_ms();
		rc = mosquitto_reconnect_async(q->m);
		q->err = errno;
	}
	close_link(q);
	return NULL;
}

/* ---- setup ----------------------------------------------------------- */

static bool valid_options(const struct mqtt_options *o)
{
	if (!o->host || !*o->host || o->port < 1 || o->port > 65535) {
		log_error(TAG, "broker host/port missing or out of range");
		return false;
	}
	if (o->keepalive_s < 5 || o->keepalive_s > 65535) {
		log_error(TAG, "keepalive %d s out of range 5..65535", o->keepalive_s);
		return false;
	}
	if (!o->prefix || !*o->prefix || strpbrk(o->prefix, "+#")) {
		log_error(TAG, "topic prefix missing or has a wildcard");
		return false;
	}
	if (!o->client_id || !*o->client_id || strpbrk(o->client_id, "/+#")) {
		log_error(TAG, "client id missing or has '/', '+' or '#'");
		return false;
	}
	return true;
}

static bool build_topics(struct mqtt *q, const char *p, const char *id)
{
	/* suffix after "<prefix>/", or after "<prefix>/boards/<id>/" */
	static const struct { const char *suffix; bool board; } t[N_SUBS] = {
		[SUB_COMPLAINTS] = { "complaints/+", false },
		[SUB_SLA] = { "sla/+", false },
		[SUB_CRISIS] = { "crisis", false },
		[SUB_STEPS] = { "crisis/steps/+", false },
		[SUB_ACKS] = { "acks/+", false },
		[SUB_PRODUCERS] = { "producers/+/status", false },
		[SUB_CMD] = { "cmd", true },
		[SUB_CMD_ALL] = { "boards/all/cmd", false },
		[SUB_ECHO] = { "echo", true },
		[SUB_SYNC] = { "sync", true },
	};
	for (int i = 0; i < N_SUBS; i++) {
		int n = t[i].board ? asprintf(&q->subs[i], "%s/boards/%s/%s", p,
					      id, t[i].suffix)
				   : asprintf(&q->subs[i], "%s/%s", p, t[i].suffix);
		if (n < 0) {
			q->subs[i] = NULL;
			return false;
		}
	}
	if (asprintf(&q->status_topic, "%s/boards/%s/status", p, id) < 0) {
		q->status_topic = NULL;
		return false;
	}
	return true;
}

static bool configure(struct mqtt *q, const struct mqtt_options *o)
{
	struct mosquitto *m = q->m;
	mosquitto_threaded_set(m, true);
	q->want = o->protocol;
	q->trying = o->protocol == MQTT_PROTOCOL_311 ? MQTT_PROTOCOL_V311
						     : MQTT_PROTOCOL_V5;
	if (mosquitto_will_set_v5(m, q->status_topic, (int)strlen(q->status_offline),
				  q->status_offline, 1, true,
				  NULL) != MOSQ_ERR_SUCCESS) {
		log_error(TAG, "cannot set the last will");
		return false;
	}
	if (o->username && *o->username &&
	    mosquitto_username_pw_set(m, o->username, o->password) !=
		    MOSQ_ERR_SUCCESS) {
		log_error(TAG, "cannot set username/password");
		return false;
	}
	if ((o->cafile && *o->cafile) || (o->capath && *o->capath)) {
		const char *ca = o->cafile && *o->cafile ? o->cafile : NULL;
		const char *dir = o->capath && *o->capath ? o->capath : NULL;
		const char *cert = o->certfile && *o->certfile ? o->certfile : NULL;
		const char *key = o->keyfile && *o->keyfile ? o->keyfile : NULL;
		int rc = mosquitto_tls_set(m, ca, dir, cert, key, NULL);
		if (rc == MOSQ_ERR_SUCCESS)  /* 1: verify the broker's certificate */
			rc = mosquitto_tls_opts_set(m, 1, o->tls_version ? o->tls_version
									 : "tlsv1.2", NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error(TAG, "TLS (CA %s%s%s, client certificate %s): %s",
				  ca ? ca : "", ca && dir ? ", " : "", dir ? dir : "",
				  cert ? cert : "none", mosquitto_strerror(rc));
			return false;
		}
		mosquitto_tls_insecure_set(m, false);  /* check the host name */
	}
	mosquitto_connect_v5_callback_set(m, on_connect);
	mosquitto_subscribe_v5_callback_set(m, on_subscribe);
	mosquitto_message_v5_callback_set(m, on_message);
	mosquitto_publish_v5_callback_set(m, on_publish);
	mosquitto_disconnect_v5_callback_set(m, on_disconnect);
	return true;
}

/* Frees what mqtt_init() set up; the thread is not running. */
static void free_all(struct mqtt *q)
{
	if (q->m)
		mosquitto_destroy(q->m);
	queue_free(q);
	msgslab_destroy(q->slabs);
	for (int i = 0; i < N_SUBS; i++)
		free(q->subs[i]);
	free(q->status_topic);
	free(q->status_online);
	free(q->status_offline);
	free(q->host);
	free(q->client_id);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static bool init_sync(struct mqtt *q)
{
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr))
		return false;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&q->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (rc)
		return false;
	if (pthread_mutex_init(&q->lock, NULL)) {
		pthread_cond_destroy(&q->cond);
		return false;
	}
	return true;
}

struct mqtt *mqtt_init(const struct mqtt_options *opt)
{
	if (!opt || !valid_options(opt))
		return NULL;
	struct mqtt *q = calloc(1, sizeof *q);
	if (!q || !init_sync(q)) {
		log_error(TAG, "out of memory");
		free(q);
		return NULL;
	}
	q->port = opt->port;
	q->keepalive = opt->keepalive_s;
	q->wake = opt->wake;
	q->wake_ctx = opt->wake_ctx;
	q->lowat_fd = -1;
	q->queue.max_events = opt->queue_max_events ? opt->queue_max_events
						    : MQTT_QUEUE_MAX_EVENTS;
	q->queue.max_bytes = opt->queue_max_bytes ? opt->queue_max_bytes : MQTT_QUEUE_MAX_BYTES;
	backoff_reset(&q->backoff);
	q->rng = (uint64_t)util_mono_ms() ^ ((uint64_t)getpid() << 32) ^
		 (uint64_t)(uintptr_t)q;
	q->rng |= 1;
	/* A random first value: a retained marker a previous run of this
	 * board left on the broker must not end this one's first replay. */
	q->marker_seq = (unsigned)util_xorshift64(&q->rng);
	q->slabs = msgslab_create();
	q->host = strdup(opt->host);
	q->client_id = strdup(opt->client_id);
	q->status_online = strdup(opt->status_online ? opt->status_online : "online");
	q->status_offline = strdup(opt->status_offline ? opt->status_offline : "offline");
	if (!q->slabs || !q->host || !q->client_id || !q->status_online || !q->status_offline ||
	    !build_topics(q, opt->prefix, opt->client_id)) {
		log_error(TAG, "out of memory");
		goto fail;
	}
	pthread_once(&lib_once, lib_init);
	q->m = mosquitto_new(opt->client_id, true, q);
	if (!q->m) {
		log_error(TAG, "mosquitto_new failed: %s", strerror(errno));
		goto fail;
	}
	if (!configure(q, opt))
		goto fail;
	int rc = pthread_create(&q->thread, NULL, net_thread, q);
	if (rc) {
		log_error(TAG, "cannot start the network thread: %s", strerror(rc));
		goto fail;
	}
	return q;
fail:
	free_all(q);
	return NULL;
}

void mqtt_destroy(struct mqtt *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	/* A graceful disconnect does not fire the will: say it ourselves.
	 * The publish also wakes the thread out of its select(). Without a
	 * link it just stays queued in memory and is freed below. */
	mosquitto_publish(q->m, NULL, q->status_topic, (int)strlen(q->status_offline),
			  q->status_offline, 1, true);
	pthread_join(q->thread, NULL);
	free_all(q);
}

/* ---- owner's thread ---------------------------------------------------- */

size_t mqtt_poll(struct mqtt *q, struct mqtt_event *out, size_t max)
{
	size_t k = 0;
	if (!q || !out)
		return 0;
	pthread_mutex_lock(&q->lock);
	struct evnode *n;
	while (k < max && (n = evqueue_take(&q->queue)) != NULL) {
		out[k++] = n->ev;
		if (n->ev.kind == MQTT_EV_SYNCED)
			q->syncs_queued--;
		if (n->ev.kind != MQTT_EV_MESSAGE) /* a message's node goes with its event */
			free(n);
	}
	if (!q->queue.head)
		q->woken = false;
	if (k && q->room_waiters)
		pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	return k;
}

void mqtt_hold(struct mqtt *q, int64_t until_ms, const struct mqtt_pace *pace)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	/* Sooner than the network thread sleeps for: lowering the mark wakes
	 * its select() when bytes wait (Linux signals readability at once)
	 * and on the next byte otherwise. A stale descriptor (the link just
	 * closed) only gets the default mark. */
	bool sooner = until_ms < q->hold_until;
	if (sooner)
		set_lowat_locked(q, 1);
	/* What came since the owner last looked, held for an end that is
	 * over (the new one's, or the old one's: it did not look then), is
	 * told now, not at its next deadline. */
	bool wake = mqtt_hold_wakes(q->hold_until, until_ms, util_mono_ms(),
				    q->queue.head && !q->woken);
	q->hold_until = until_ms;
	q->pace = pace ? *pace : (struct mqtt_pace){ 0, 0, 0 };
	q->woken = q->woken || wake;
	pthread_mutex_unlock(&q->lock);
	wake_owner(q, wake);
}

void mqtt_replay(struct mqtt *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->replay_wanted = true;
	pthread_mutex_unlock(&q->lock);
}

void mqtt_event_release(struct mqtt_event *ev)
{
	if (!ev)
		return;
	if (ev->slab || ev->block) {
		free_copy(ev);
	} else {
		free(ev->topic);
		free(ev->payload);
	}
	ev->block = NULL;
	ev->slab = NULL;
	ev->topic = NULL;
	ev->payload = NULL;
	ev->payload_len = 0;
}

static size_t varint_len(size_t v)
{
	return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;
}

/* A refused publish, logged 1, 2, 4, 8... times: not once per message. */
static void count_too_big(struct mqtt *q, const char *topic, size_t size, uint32_t max)
{
	pthread_mutex_lock(&q->lock);
	uint64_t n = ++q->stats.too_big;
	pthread_mutex_unlock(&q->lock);
	if ((n & (n - 1)) == 0)
		log_warn(TAG, "not published to %s: a %zu-byte packet, over the broker's maximum "
			 "packet size (%u) (%llu so far)", topic, size, max, (unsigned long long)n);
}

/* False (logged, counted) when the PUBLISH packet (fixed header, topic,
 * packet id, properties, payload) is larger than the broker's Maximum
 * Packet Size: the broker would drop the link over it, and libmosquitto
 * would send it again after every reconnect. */
static uint32_t packet_max(struct mqtt *q)
{
	pthread_mutex_lock(&q->lock);
	uint32_t max = q->stats.broker_packet_max;
	pthread_mutex_unlock(&q->lock);
	return max;
}

static bool publish_fits(struct mqtt *q, const char *topic, size_t len, int qos,
			 size_t props_len)
{
	uint32_t max = packet_max(q);
	size_t rem = 2 + strlen(topic) + (qos > 0 ? 2 : 0) + varint_len(props_len) +
		     props_len + len;
	size_t size = 1 + varint_len(rem) + rem;
	if (!max || size <= max)
		return true;
	count_too_big(q, topic, size, max);
	return false;
}

static bool publish(struct mqtt *q, const char *topic, const void *payload, size_t len,
		    int qos, bool retain, uint32_t expiry_s, int *mid)
{
	if (!q || !topic || (len && !payload) || len > MQTT_PUBLISH_MAX ||
	    qos < 0 || qos > 2) {
		log_error(TAG, "publish: bad arguments");
		return false;
	}
	mosquitto_property *props = NULL;
	if (expiry_s && mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
						     expiry_s) != MOSQ_ERR_SUCCESS) {
		log_error(TAG, "publish to %s: out of memory", topic);
		return false;
	}
	if (!publish_fits(q, topic, len, qos, props ? 5 : 0)) {
		mosquitto_property_free_all(&props);
		return false;
	}
	int rc = mosquitto_publish_v5(q->m, mid, topic, (int)len, payload, qos, retain, props);
	if (rc == MOSQ_ERR_NOT_SUPPORTED && props) /* an MQTT 3.1.1 link: no properties */
		rc = mosquitto_publish(q->m, mid, topic, (int)len, payload, qos, retain);
	mosquitto_property_free_all(&props);
	/* NO_CONN: a QoS 1/2 message is already queued and is resent after
	 * the next CONNACK; QoS 0 is simply gone. */
	if (rc == MOSQ_ERR_SUCCESS || (rc == MOSQ_ERR_NO_CONN && qos > 0))
		return true;
	if (rc == MOSQ_ERR_OVERSIZE_PACKET) { /* libmosquitto's own check */
		count_too_big(q, topic, len, packet_max(q));
		return false;
	}
	char buf[128];
	log_warn(TAG, "publish to %s failed: %s", topic,
		 rc_text(rc, errno, buf, sizeof buf));
	return false;
}

bool mqtt_publish(struct mqtt *q, const char *topic, const void *payload,
		  size_t len, int qos, bool retain, int *mid)
{
	return publish(q, topic, payload, len, qos, retain, 0, mid);
}

bool mqtt_publish_expiring(struct mqtt *q, const char *topic, const void *payload,
			   size_t len, int qos, uint32_t expiry_s, int *mid)
{
	if (q && !mqtt_is_connected(q)) {
		log_warn(TAG, "not published to %s: no link to the broker (it would be "
			 "sent late, after the next connect)", topic ? topic : "");
		return false;
	}
	return publish(q, topic, payload, len, qos, false, expiry_s, mid);
}

const char *mqtt_reason_text(int reason)
{
	return mosquitto_reason_string(reason);
}

bool mqtt_sync_queued(struct mqtt *q)
{
	if (!q)
		return false;
	pthread_mutex_lock(&q->lock);
	bool queued = q->syncs_queued > 0;
	pthread_mutex_unlock(&q->lock);
	return queued;
}

bool mqtt_is_connected(const struct mqtt *q)
{
	if (!q)
		return false;
	struct mqtt *w = unconst(q);
	pthread_mutex_lock(&w->lock);
	bool c = w->connected;
	pthread_mutex_unlock(&w->lock);
	return c;
}

bool mqtt_is_live(const struct mqtt *q)
{
	if (!q)
		return false;
	struct mqtt *w = unconst(q);
	int64_t now = util_mono_ms();
	pthread_mutex_lock(&w->lock);
	bool live = w->connected && liveness_echo_fresh(w->last_echo_ms, now);
	pthread_mutex_unlock(&w->lock);
	return live;
}

const char *mqtt_protocol_name(const struct mqtt *q)
{
	if (!q)
		return NULL;
	struct mqtt *w = unconst(q);
	pthread_mutex_lock(&w->lock);
	int v = w->version;
	pthread_mutex_unlock(&w->lock);
	return v ? version_name(v) : NULL;
}

void mqtt_get_stats(const struct mqtt *q, struct mqtt_stats *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!q)
		return;
	struct mqtt *w = unconst(q);
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	out->queued = w->queue.events;
	out->queued_most = w->queue.most_events;
	out->queued_bytes_most = w->queue.most_bytes;
	pthread_mutex_unlock(&w->lock);
}
