/* mqtt.h - the board's MQTT client, on a network thread of its own.
 *
 * libmosquitto 2.0.11's own loop thread can die silently (see
 * docs/mqtt-client.md), so this module runs its own thread around
 * mosquitto_loop() and reconnects forever with capped, jittered backoff.
 * DNS and connect happen on that thread, never on the SDL thread.
 *
 * Messages are not handed over one SDL event each: the network thread
 * appends copies to a queue and calls the wake function once when the
 * queue goes from empty to non-empty. The owner drains the queue with
 * mqtt_poll() on its own thread.
 *
 * Liveness: the client subscribes to its own echo topic and publishes a
 * small heartbeat there every second; mqtt_is_live() is true while an
 * echo came back within the last few seconds. A silent half-open link is
 * thus seen in seconds, not after 2-3 keepalives.
 *
 * Resync: on every (re)connect the client stores a retained marker on its
 * own sync topic, then subscribes to the contract's topics with the sync
 * topic last. Brokers replay retained messages filter by filter, so the
 * marker comes after the contract's retained messages, and events arrive
 * as MQTT_EV_CONNECTED, the retained messages, MQTT_EV_SYNCED.
 *
 * Subscriptions are QoS 0 (see mqtt.c and docs/mqtt-client.md: at QoS 1
 * mosquitto would cut a
 * retained replay at ~1020 messages). The broker still drops messages for
 * a client whose socket backs up by more than max_queued_messages
 * (default 1000): on slow links with thousands of retained topics raise
 * it. Nothing tells the client about such drops.
 *
 * Our own queue is bounded (MQTT_QUEUE_MAX_BYTES, MQTT_QUEUE_MAX_EVENTS,
 * below; a control event or an ack may go over it): outside a retained
 * replay a message that does not fit makes room by dropping the oldest
 * state updates, never an ack nor a control event (evqueue.h). Drops are
 * never silent: they are counted (dropped), logged once a spell, and
 * MQTT_EV_RESYNC goes to the head of the queue (so everything applied
 * after it is newer than the drop); once the queue has drained to half
 * its capacity the client subscribes again (the broker replays every
 * retained message) and sends a new marker; drops after that subscribe
 * start another round instead of ending it with SYNCED. */
#ifndef WALLBOARD_MQTT_H
#define WALLBOARD_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt;

/* The MQTT version to speak. AUTO tries 5 and falls back to 3.1.1 for the
 * rest of the process when the broker refuses 5 (its CONNACK says
 * "unsupported protocol version"); see docs/mqtt-client.md for what 3.1.1
 * cannot tell the board. */
enum mqtt_protocol { MQTT_PROTOCOL_AUTO, MQTT_PROTOCOL_5, MQTT_PROTOCOL_311 };

/* The queue's bound. Bytes: what a main thread that stalls may leave
 * queued: twice a site of 10,000 open complaints' retained state in
 * copies (20,002 messages, about 5.4 MB with their nodes), 60,000 or so
 * of a stream's messages (ten minutes at 100 msg/s), or 64 of the
 * largest. It was 64 MB. In a replay a full queue only pauses reading;
 * outside one the oldest state updates make room (evqueue.h). */
#define MQTT_QUEUE_MAX_EVENTS 100000
#define MQTT_QUEUE_MAX_BYTES  ((size_t)16 * 1024 * 1024)

struct mqtt_options {
	const char *host;
	int port;
	const char *prefix;      /* topics: <prefix>/complaints/+, sla/+, crisis, acks/+,
	                            producers/+/status */
	const char *client_id;   /* also names the echo and sync topics */
	int keepalive_s;
	const char *username;    /* NULL or "" for none */
	const char *password;
	const char *cafile;      /* TLS: CA file and/or directory; both NULL */
	const char *capath;      /*   or "": no TLS */
	const char *certfile;    /* TLS client certificate and key, or NULL */
	const char *keyfile;
	const char *tls_version; /* the oldest accepted: "tlsv1.2" (NULL) or
	                            "tlsv1.3" */
	/* 0: MQTT_QUEUE_MAX_EVENTS, MQTT_QUEUE_MAX_BYTES; tests make the
	 * queue small to overflow it on purpose */
	size_t queue_max_events, queue_max_bytes;
	/* Retained on <prefix>/boards/<id>/status: published on connect, and
	 * as Last Will and on a clean stop. NULL: "online" and "offline". */
	const char *status_online;
	const char *status_offline;
	enum mqtt_protocol protocol;
	/* Called from the network thread, once, when the queue becomes
	 * non-empty; again only after mqtt_poll() emptied it, or for the
	 * retained replay's end (mqtt_wakes_again). Called with the
	 * queue unlocked (the owner woken at once finds it free), so it may
	 * come just after the owner emptied the queue anyway: a wake-up with
	 * nothing to take. It must be quick. */
	void (*wake)(void *ctx);
	void *wake_ctx;
};

enum mqtt_event_kind {
	MQTT_EV_CONNECTED,       /* CONNACK; subscribing, retained replay follows */
	MQTT_EV_SYNCED,          /* retained replay complete */
	MQTT_EV_DISCONNECTED,
	MQTT_EV_MESSAGE,         /* topic + payload */
	MQTT_EV_PUBLISHED,       /* mid confirmed by the broker (QoS 1 PUBACK;
	                            QoS 0: written to the socket) */
	MQTT_EV_RESYNC,          /* the queue dropped messages: what the owner
	                            holds may be wrong. Like CONNECTED without
	                            a new link: a retained replay and SYNCED
	                            follow once the queue has room again */
};

/* Payloads larger than this are dropped (counted as oversized); the broker
 * is not asked to hold them back: libmosquitto 2.0 sends no CONNECT
 * properties with a non-blocking connect (mqtt.c). */
#define MQTT_PAYLOAD_MAX (256 * 1024)
/* What the board itself may publish: a remote screenshot's PNG is larger
 * than anything it takes in. */
#define MQTT_PUBLISH_MAX (16 * 1024 * 1024)

struct mqtt_event {
	enum mqtt_event_kind kind;
	int mid;                 /* MQTT_EV_PUBLISHED */
	int reason;              /* MQTT_EV_PUBLISHED: MQTT v5 reason code;
	                            0 and 16 (no subscribers) mean accepted,
	                            >= 0x80 rejected (logged; do not retry);
	                            always 0 under MQTT 3.1.1, which has no
	                            way to refuse a publish */
	bool retained;           /* MQTT_EV_MESSAGE */
	int64_t rx_ms;           /* MQTT_EV_MESSAGE: util_mono_ms() when the
	                            network thread took it off the socket */
	char *topic;             /* MQTT_EV_MESSAGE; owned by the event */
	void *payload;           /* MQTT_EV_MESSAGE; NUL-terminated copy */
	size_t payload_len;
	void *block;             /* internal: topic and payload live in it */
	void *slab;              /* internal: ... or in this slab (msgslab.h) */
};

struct mqtt_stats {
	uint64_t received;       /* messages queued */
	uint64_t dropped;        /* dropped because the queue was full (the
	                            oldest state updates, never acks) */
	uint64_t oversized;      /* dropped for size before queueing */
	uint64_t reconnects;     /* connections re-established after a loss */
	uint64_t too_big;        /* publishes refused: over the broker's
	                            maximum packet size */
	uint32_t broker_packet_max; /* the Maximum Packet Size of the last
	                            CONNACK; 0: the broker set none */
	size_t queued;           /* in the queue now */
	size_t queued_most;      /* the most events it held at once */
	size_t queued_bytes_most; /* ... and bytes (evqueue's count) */
	unsigned attempts;       /* failed attempts since the last connection */
	char last_error[160];    /* why the last attempt or link failed, in
	                            words ("connection refused", "DNS: ...",
	                            "TLS: ...", "authentication: ..."); "" once
	                            connected */
};

/* Starts the network thread; connecting happens there. NULL on failure. */
struct mqtt *mqtt_init(const struct mqtt_options *opt);
/* Publishes "offline" presence, disconnects, joins the thread, frees
 * everything still queued. NULL is a no-op. */
void mqtt_destroy(struct mqtt *q);

/* How the owner's pace reads a stream (the board's pace.h), given with
 * each hold: a message gap_ms or more after the one before comes after
 * a quiet spell and is drawn at once; messages that came at least every
 * burst_every_ms on average are a burst, whose end (settle_ms with no
 * message) is drawn at once too. gap_ms 0: no such rules. */
struct mqtt_pace {
	int gap_ms;
	int settle_ms;
	int burst_every_ms;
};

/* The owner looks at the queue by itself at until_ms (util_mono_ms(); 0
 * or past: it wants every message at once). Until then the network
 * thread reads what arrives in batches (the socket wakes it only once
 * MQTT_HOLD_BYTES are waiting, when the stream may have paused or gone
 * quiet, and MQTT_HOLD_LEAD_MS before until_ms, so the last batch is
 * queued by then) and queues it without calling wake, unless the queue
 * holds MQTT_HOLD_EVENTS or more, a message came pace->gap_ms or more
 * after the one before it (a change after a quiet spell, which the owner
 * shows at once), or the stream stopped with messages queued that the
 * owner was not woken for (mqtt_reader_pass: a burst's end, or a
 * stream's). So a stream costs the owner no wake-up of its own between
 * the frames it draws anyway, and the network thread a few, while the
 * end of a burst is seen when it comes, not at the owner's next look.
 * Not during a retained replay (the broker drops what is not read in
 * time). A hold that is over, or follows one that is, while messages
 * the owner was not woken for wait calls wake (mqtt_hold_wakes). pace
 * NULL: no quiet rules. Owner's thread. */
#define MQTT_HOLD_BYTES  (32 * 1024)
#define MQTT_HOLD_EVENTS 1024
#define MQTT_HOLD_LEAD_MS 15
void mqtt_hold(struct mqtt *q, int64_t until_ms, const struct mqtt_pace *pace);

/* The network thread's view of a held stream, and its decisions (pure
 * functions on a given clock, for their unit test). It does not see
 * each message as it comes (the socket's mark wakes it per 32 KB), so
 * it looks again when the stream may have stopped: settle_ms after the
 * last message while looks are left (the stream ran at a burst's rate,
 * or just began after a quiet spell and may be a burst), else gap_ms
 * after it. A look that finds nothing new has seen the stream stop. */
#define MQTT_SETTLE_LOOKS 2
struct mqtt_reader {
	int64_t last_ms;   /* when the last message queued came (0: none yet) */
	int looks;         /* looks left at settle_ms after it */
};

/* From when a message comes after a quiet spell: last_ms + gap_ms;
 * INT64_MIN when none came yet, INT64_MAX with no gap rule. */
int64_t mqtt_reader_quiet_at(const struct mqtt_reader *r, const struct mqtt_pace *p);

/* When the reader looks for the stream's stop next (quiet_at with no
 * looks left). */
int64_t mqtt_reader_look_at(const struct mqtt_reader *r, const struct mqtt_pace *p);

/* When a held pass that begins at now ends (the socket may end it
 * sooner): the earliest still ahead of MQTT_HOLD_LEAD_MS before until,
 * the next look and quiet_at; until when all have passed. */
int64_t mqtt_reader_pass_end(const struct mqtt_reader *r, const struct mqtt_pace *p,
			     int64_t now, int64_t until);

/* After a held pass at now that read n messages, which came within
 * span_ms (from when the socket was last read empty to the last, r->last_ms
 * already its arrival), the pass having begun after quiet_at
 * (after_quiet): updates r and says whether the owner must be woken,
 * unseen telling whether the queue holds messages it was not woken for.
 * It must when the stream has stopped (now at or past the look) with
 * such messages: they would otherwise wait for until. */
bool mqtt_reader_pass(struct mqtt_reader *r, const struct mqtt_pace *p, int64_t now, size_t n,
		      int64_t span_ms, bool after_quiet, bool unseen);

/* The queue's wake rule, a pure function for its unit test: whether
 * queueing one event at now (a message, or a batch whose last came, at
 * rx_ms; or a control event) may wake the owner, with queued events in
 * the queue after it. A held owner is not woken for messages queued
 * before hold_until (it looks then) that came before quiet_at (the
 * message before them plus the hold's gap), unless MQTT_HOLD_EVENTS
 * pile up or a retained replay runs (not synced). A batch queued at or
 * after hold_until wakes it however early its messages came: the owner
 * may have looked already and held again, for up to its next frame.
 * wake() is still called only once per empty->non-empty queue, but for
 * the replay's end (mqtt_wakes_again). */
bool mqtt_wakes(bool message, bool synced, size_t queued, int64_t hold_until,
		int64_t quiet_at, int64_t rx_ms, int64_t now);

/* Whether queueing an event of kind wakes an owner already woken since
 * it last emptied the queue, a pure function for its unit test: only
 * the replay's end (MQTT_EV_SYNCED). During a retained replay the owner
 * takes the queue in batches and sleeps between them with events
 * queued (drain.c); the board's full state waited for the next batch,
 * up to REPLAY_DRAIN_MS after the replay ended. */
bool mqtt_wakes_again(enum mqtt_event_kind kind);

/* mqtt_hold()'s own wake rule, a pure function for its unit test:
 * whether holding until until_ms at now, after a hold until held_until,
 * wakes the owner for queued messages it was not woken for (unseen: all
 * came after it last looked). It does when the new hold is over, and
 * when the old one is: the owner said it would look then and has not
 * since they came. It looked early (for another event), was busy past
 * that end (a frame) and holds again for its next frame; the thread's
 * passes begun after the old end read freely, with no look for a
 * burst's stop, so a burst's last batch queued between that look and
 * that end waited for the new end, up to a frame away. */
bool mqtt_hold_wakes(int64_t held_until, int64_t until_ms, int64_t now, bool unseen);

/* The arrival stamp (rx_ms) of message i of the n of a held batch, read
 * at once: they came after the socket was last read empty (drained_ms;
 * 0: unknown) and no later than its last byte (last_ms, from the kernel):
 * the last at last_ms, the others spread evenly before it. A pure
 * function, for its unit test. */
int64_t mqtt_batch_stamp(int64_t drained_ms, int64_t last_ms, size_t i, size_t n);

/* Take up to max events from the queue (owner's thread). Each event must
 * be released with mqtt_event_release(). Returns how many were taken; when
 * that is max, call again: wake is not called while events are left. */
size_t mqtt_poll(struct mqtt *q, struct mqtt_event *out, size_t max);
void mqtt_event_release(struct mqtt_event *ev);

/* Publish from the owner's thread. QoS 1 messages made while disconnected
 * are queued by libmosquitto and resent after reconnect: callers must not
 * republish on failure. *mid (may be NULL) receives the message id, later
 * confirmed by MQTT_EV_PUBLISHED. Returns false only when the message was
 * not queued at all (bad arguments, out of memory, or larger than the
 * broker's Maximum Packet Size from its CONNACK: logged and counted in
 * too_big, as the broker would refuse it and drop the link). */
bool mqtt_publish(struct mqtt *q, const char *topic, const void *payload,
		  size_t len, int qos, bool retain, int *mid);

/* For what is useless late (escalations), not retained: only while the
 * link is up (else false, logged: libmosquitto would hold it and send it
 * after the next connect), and on an MQTT 5 link with a
 * message-expiry-interval of expiry_s, so a broker that holds a copy for a
 * subscriber who is away drops it once stale. A message that is in
 * flight when the link drops is still resent by libmosquitto after the
 * reconnect; the broker counts its expiry from then. */
bool mqtt_publish_expiring(struct mqtt *q, const char *topic, const void *payload,
			   size_t len, int qos, uint32_t expiry_s, int *mid);

/* Take the retained replay again on the current link (the board found it
 * incomplete): within a second the network thread re-subscribes, the
 * retained messages arrive once more, then MQTT_EV_SYNCED; no
 * MQTT_EV_CONNECTED, so nothing held becomes unconfirmed. Without a link
 * the request waits for it (and the reconnect's replay makes it moot). */
void mqtt_replay(struct mqtt *q);

/* An MQTT_EV_SYNCED waits in the queue: the retained replay is all in
 * (owner's thread; takes the lock). */
bool mqtt_sync_queued(struct mqtt *q);

bool mqtt_is_connected(const struct mqtt *q);
/* The MQTT v5 reason code's text ("Not authorized"). */
const char *mqtt_reason_text(int reason);
/* Connected and an echo came back within LIVENESS_WINDOW_MS (liveness.h). */
bool mqtt_is_live(const struct mqtt *q);
void mqtt_get_stats(const struct mqtt *q, struct mqtt_stats *out);
/* "5" or "3.1.1": the version of the current (or last) connection; NULL
 * before the first CONNACK. A static string. */
const char *mqtt_protocol_name(const struct mqtt *q);

#endif
