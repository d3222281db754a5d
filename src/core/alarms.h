/* alarms.h - conditions the on-duty team must react to, derived from the
 * model, acknowledged by shift leads, escalated when nobody does.
 *
 * Plain C: no SDL, no mosquitto. The module never publishes itself; what
 * other boards and systems must hear goes to an outbox the app drains
 * (alarms_take_outbox) into MQTT, through the journal for `durable` ones.
 * Time is injected (epoch seconds), so tests need no sleeping.
 *
 * Alarms and their ids. An id is derived only from the model's data, so
 * every board names the same condition alike and an ack made on one board
 * (a retained message on <prefix>/acks/<id>) applies on all:
 *   "crisis"                the crisis topic is active;
 *   "flood:<ch>"            more than flood_threshold complaints of
 *                           channel ch breached: one alarm for the lot,
 *                           replacing that channel's breach alarms, so a
 *                           flood of 1,000 breaches stays a few alarms;
 *   "open:<ch>"             open count > channel_max_open;
 *   "breached:<ch>"         breached count > channel_max_breached;
 *   "wait:<ch>"             oldest wait > channel_max_wait_s (0 = off);
 *   "breach:<complaint id>" one complaint breached its SLA;
 *   "surge:<ch>"            new complaints on channel ch surge (surge.h);
 *   "crisis-steps"          a crisis with a playbook is on for longer than
 *                           first_step_within_s and no step is ticked
 *                           (crisis.h): "Crisis: no step taken".
 * An id is at most ALARM_ID_MAX - 1 bytes (the decoder's limit for a topic
 * level): a longer "breach:" id keeps a prefix of the complaint id and
 * ends in "~" and 8 hex digits of its hash. Characters MQTT reserves in a
 * topic level ('/', '+', '#') and control characters become '_'.
 * The number of alarms is bounded by construction: 1 + per channel
 * (max(flood_threshold, 1) + 4), at most MODEL_MAX_CHANNELS channels.
 *
 * Drills. An alarm caused by practice is marked drill (the view's drill,
 * the screen says DRILL): the crisis alarm of a crisis with "drill": true,
 * the breach of a drill complaint, a surge made by drill complaints. A
 * drill alarm is never published to <prefix>/escalations: a practice must
 * not page anyone.
 *
 * Life of an alarm occurrence:
 *   FIRING --ack--> ACKED --until passes, condition holds--> FIRING
 *   FIRING/ACKED --condition gone--> CLEARED --linger_s--> removed
 * A CLEARED alarm whose condition comes back starts a new occurrence: new
 * first_seen, FIRING, not escalated, no ack.
 *
 * The ack rule. Board clocks differ, and a board that restarts only sees
 * an alarm from then on, so comparing an ack's `at` with first_seen is
 * not robust. Instead an ack belongs to the occurrence it was made in and
 * dies with it: when an alarm clears, its ack is dropped, and every board
 * that held an ack for it publishes an empty retained payload to
 * <prefix>/acks/<id>, so the broker forgets the ack and a later occurrence
 * starts unacked on every board, also on one that (re)starts later. (If
 * that clear is lost, a stale ack can silence one later occurrence, at
 * most until its `until`; the occurrence's own clear then heals it.)
 *
 * Acks received over MQTT for an alarm this board does not show (yet):
 * the retained acks arrive on subscribe, often before the model has the
 * data, so they are kept in a bounded table (ALARMS_HELD_ACKS, oldest
 * evicted, expired ones pruned) and applied when the alarm appears.
 *
 * first_seen is taken from the data where the data says when the
 * condition began (a breach: the timer's due_at; a long wait:
 * oldest_waiting_since + channel_max_wait_s; the crisis: its `since`),
 * else it is the time this board first saw it. So boards agree on it and
 * it orders the list stably across restarts. Escalation, though, counts
 * from when this board saw the alarm become loud, so a board that restarts
 * does not escalate every old alarm before the retained acks are in.
 *
 * Signed acks (opt.key set). Every ack this board publishes carries an
 * HMAC (acksig.h). An ack received over MQTT is refused - counted
 * (alarms_acks_refused), logged once per topic, ignored - when it is
 * unsigned or its signature does not verify, or when it is a replay: it
 * lasts longer than snooze_s (every board of a site signs acks of exactly
 * snooze_s), its `at` lies more than ALARMS_ACK_SKEW_S in the future, or
 * it was made more than ALARMS_ACK_SKEW_S before the occurrence began
 * where the data says when that was (a breach's due_at, a wait's start,
 * the crisis's since). A replayed ack is thus harmless once its `until`
 * passed, and never silences a later breach or crisis. An empty payload
 * on an ack topic cannot be signed: it only ever withdraws an ack (the
 * alarm fires again, louder, never quieter), which is all an unsigned
 * message may do.
 *
 * Call alarms_update() after applying messages and about once a second;
 * it costs O(channels) model queries plus, per channel, one
 * model_channel_breached() of at most flood_threshold + 1 complaints:
 * never a scan over all complaints. */
#ifndef WALLBOARD_ALARMS_H
#define WALLBOARD_ALARMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acksig.h"
#include "config.h"
#include "decode.h"
#include "model.h"

#define ALARM_ID_MAX        MSG_ID_MAX   /* fits an ack topic's id level */
#define ALARM_LABEL_MAX     128
#define ALARM_NAME_MAX      MSG_NAME_MAX /* by, board */
#define ALARMS_TOPIC_MAX    (64 + 16 + ALARM_ID_MAX)
#define ALARMS_PAYLOAD_MAX  2048         /* fits any escaped ack/escalation */
#define ALARMS_HELD_ACKS    1024
#define ALARMS_FLOOD_MAX    100          /* flood_threshold is clamped to it */
#define ALARMS_LINGER_S     10           /* default for cleared alarms */
#define ALARMS_OUTBOX_MAX   4096
#define ALARMS_ACK_SKEW_S   120          /* board clocks may differ this much */

enum alarm_kind {
	ALARM_CRISIS,
	ALARM_FLOOD,
	ALARM_OPEN,
	ALARM_BREACHED,
	ALARM_WAIT,
	ALARM_BREACH,
	ALARM_SURGE,
	ALARM_NO_STEP,
};

/* Ordered: a larger value is more severe. */
enum alarm_severity {
	ALARM_SEV_LOW,       /* a breach */
	ALARM_SEV_MEDIUM,    /* a breach of a vip complaint */
	ALARM_SEV_HIGH,      /* flood and channel thresholds */
	ALARM_SEV_CRITICAL,  /* the crisis */
};

enum alarm_state {
	ALARM_FIRING,        /* loud: nobody has acknowledged it */
	ALARM_ACKED,         /* quiet, still shown, until `until` or clearing */
	ALARM_CLEARED,       /* condition gone; listed for linger_s, greyed */
};

/* Settings; alarms_options_from_config() fills them from the config.
 * Thresholds of 0 are off. */
struct alarms_options {
	const char *prefix;        /* topic prefix, no trailing '/' */
	const char *board_id;      /* this board, in acks and escalations */
	int snooze_s;              /* an ack lasts this long; 0: until cleared */
	int escalate_after_s;      /* loud this long escalates; 0: never */
	int flood_threshold;       /* > this many breaches: one flood alarm */
	int channel_max_open;
	int channel_max_breached;
	int channel_max_wait_s;
	int linger_s;              /* cleared alarms stay listed; 0: removed at once */
	const struct acksig_key *key; /* NULL: acks unsigned and all trusted;
	                              set: acks published are signed, acks
	                              received must verify and be fresh (see
	                              "Signed acks" above); copied */
	const struct config *names; /* channel display names for labels; may be NULL */
	int first_step_within_s;   /* "Crisis: no step taken" after this; 0: off */
};

/* One alarm as the screen sees it. Pointers are valid until the next call
 * that changes the alarms (update, ack, apply/remove ack). */
struct alarm_view {
	const char *id;
	enum alarm_kind kind;
	enum alarm_severity severity;
	enum alarm_state state;
	const char *channel;       /* channel key; "" for the crisis */
	const char *label;         /* short English text, also sent in escalations;
	                              the screen may build its own from kind,
	                              channel and value in the board's language */
	int64_t value;             /* flood/open/breached: the count; wait:
	                              oldest_waiting_since; breach: due_at;
	                              crisis: its level */
	int64_t first_seen;        /* start of this occurrence, epoch s */
	bool escalated;            /* louder style */
	bool drill;                /* caused by a drill: labelled DRILL, never escalated */
	const char *acked_by;      /* ACKED: who, on which board, when, until */
	const char *acked_board;   /*   ("" and 0 otherwise; until 0: until */
	int64_t acked_at;          /*   the alarm clears) */
	int64_t acked_until;
};

/* An MQTT publish the app must make. Fixed arrays: nothing to free. */
struct alarm_out {
	char topic[ALARMS_TOPIC_MAX];
	char payload[ALARMS_PAYLOAD_MAX]; /* NUL-terminated for logging */
	size_t len;                /* 0: clear a retained topic */
	int qos;
	bool retain;
	bool durable;              /* must survive a restart: journal it */
	uint32_t expiry_s;         /* useless after this long (escalations):
	                              sent only over a live link, with this
	                              MQTT 5 message expiry; 0: no expiry */
};

/* An escalation says "unacknowledged for escalate_after": once as long
 * again has passed it may be acked, cleared or escalated anew, so a copy
 * a broker still holds then is stale. At least a minute (escalate_after
 * may be 0: at once), at most an hour. */
#define ALARMS_ESCALATION_EXPIRY_MIN_S 60
#define ALARMS_ESCALATION_EXPIRY_MAX_S 3600

struct alarms;

void alarms_options_from_config(struct alarms_options *o, const struct config *cfg);

/* Copies what it needs from opt. NULL (logged) on OOM or bad options. */
struct alarms *alarms_init(const struct alarms_options *opt);
void alarms_destroy(struct alarms *a);

struct surge;
/* Surges to raise alarms for (surge_update() is the caller's, before
 * alarms_update()); NULL removes them. */
void alarms_set_surge(struct alarms *a, const struct surge *s);

struct crisis;
/* The crisis checklist the "no step taken" alarm watches; NULL removes it. */
void alarms_set_crisis(struct alarms *a, const struct crisis *c);

/* Recompute every condition from the model at now. Returns true when
 * something visible changed (an alarm appeared, cleared, went away, changed
 * state, severity, label or escalation, or an ack changed), so the caller
 * redraws only then. May queue escalations and ack clears in the outbox. */
bool alarms_update(struct alarms *a, const struct model *m, int64_t now);

/* A lead acknowledged alarm id on this board: ACKED until now + snooze_s
 * (0: until it clears), and a retained, durable, QoS 1 message
 * {"alarm","by","at","board","until"} to <prefix>/acks/<id> is queued (times
 * as RFC 3339 UTC; "until" is the number 0 when unlimited). Acking an ACKED
 * alarm renews it. False (logged) for an unknown or cleared alarm. */
bool alarms_ack(struct alarms *a, const char *id, const char *by, int64_t now);

/* Whether the board's data is live (alarms start live). While it is
 * not, nothing escalates: an escalation is about an alarm the data may
 * no longer hold. One that came due meanwhile escalates at the first
 * update after the data is live again, if it still fires then. */
void alarms_set_live(struct alarms *a, bool live);

/* Acks received and refused (unsigned, bad signature, replayed) since
 * alarms_init; always 0 without a key. */
uint64_t alarms_acks_refused(const struct alarms *a);

/* An ack received over MQTT (MSG_ACK), possibly this board's own echo.
 * Applied to the alarm when it is shown and not cleared, else held until
 * it appears. An ack whose until has passed only marks the alarm as acked
 * once (so its clear will be published). Returns true when something
 * visible changed. */
bool alarms_apply_ack(struct alarms *a, const struct msg_ack *ack, int64_t now);

/* The ack of alarm_id was removed (MSG_ACK_REMOVE: empty retained
 * payload; msg.id is the alarm id): forget it, held or applied; an ACKED
 * alarm is FIRING again. Returns true when something visible changed. */
bool alarms_remove_ack(struct alarms *a, const char *alarm_id, int64_t now);

/* Display order: not cleared before cleared, then most severe, then
 * oldest first_seen, then id. */
size_t alarms_count(const struct alarms *a);
bool alarms_get(const struct alarms *a, size_t idx, struct alarm_view *out);
bool alarms_find(const struct alarms *a, const char *id, struct alarm_view *out);

/* Some alarm is FIRING (unacknowledged): sound and flashing. */
bool alarms_any_firing(const struct alarms *a);

/* Epoch second of the next moment alarms_update() would change something
 * by time alone (a snooze ends, an escalation is due, a cleared alarm goes
 * away, a timer seen in the last update breaches, a wait crosses its
 * threshold), or 0 when none: the main loop may sleep until then. */
int64_t alarms_next_deadline(const struct alarms *a, int64_t now);

/* Move up to max queued publishes, oldest first, into out; returns how
 * many. The outbox is bounded (ALARMS_OUTBOX_MAX, far more than a burst
 * of clears and escalations): if the app stopped draining it, further
 * messages are dropped and logged. */
size_t alarms_take_outbox(struct alarms *a, struct alarm_out *out, size_t max);
size_t alarms_outbox_count(const struct alarms *a);

/* The id of complaint_id's breach alarm ("breach:<id>", shortened and
 * hashed when long) into out (ALARM_ID_MAX bytes): the screen draws a
 * breach alarm in the complaint's row of the list. */
void alarms_breach_id(char *out, const char *complaint_id);

/* A breach alarm is drawn in its complaint's row; every other kind
 * (crisis, flood, channel thresholds) in the alarm strip. */
static inline bool alarm_in_row(enum alarm_kind k)
{
	return k == ALARM_BREACH;
}

/* Names for logs and payloads: "crisis", "flood", ...; "low", ... */
const char *alarm_kind_name(enum alarm_kind k);
const char *alarm_severity_name(enum alarm_severity s);

#endif
