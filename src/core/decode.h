/* decode.h - MQTT topic + payload -> one typed message (contract v1).
 *
 * The decoder never trusts producers: it checks the topic shape, the JSON,
 * every field's type, range and UTF-8, and either fills a struct msg or
 * returns false with a one-line reason. It holds no state and allocates
 * nothing that outlives the call (the cJSON tree is freed before return).
 * Strings are copied into fixed buffers: the model copies what it keeps. */
#ifndef WALLBOARD_DECODE_H
#define WALLBOARD_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSG_PAYLOAD_MAX   (64 * 1024) /* larger payloads are rejected */
#define MSG_ID_MAX        64   /* bytes incl. NUL; ids longer are rejected */
#define MSG_CHANNEL_MAX   32   /* bytes incl. NUL; longer is rejected */
#define MSG_NAME_MAX      96   /* customer, assignee, by, board, reasons */
#define MSG_TEXT_MAX      1024 /* complaint text: longer is cut at a UTF-8
                                  character boundary, not rejected */
#define MSG_TITLE_MAX     160
#define MSG_MESSAGE_MAX   512
#define MSG_PLAYBOOK_MAX  8    /* items beyond are dropped */
#define MSG_ITEM_MAX      160
#define MSG_CONTACTS_MAX  8
#define MSG_PHONE_MAX     40
#define MSG_SIG_MAX       65   /* an ack's "sig": 64 hex digits + NUL */

enum priority { PRIORITY_NORMAL, PRIORITY_HIGH, PRIORITY_VIP };
enum status { STATUS_OPEN, STATUS_PENDING, STATUS_ANSWERED, STATUS_RESOLVED };
/* Where the customer wrote: a comment under a post everyone can read, or
 * a direct message. Unspecified is shown like private. */
enum visibility { VISIBILITY_UNSPECIFIED, VISIBILITY_PUBLIC, VISIBILITY_PRIVATE };

enum msg_kind {
	MSG_COMPLAINT,        /* <prefix>/complaints/<id>, status != resolved */
	MSG_COMPLAINT_REMOVE, /* same topic, empty payload or status resolved */
	MSG_SLA,              /* <prefix>/sla/<id> */
	MSG_SLA_REMOVE,       /* same topic, empty payload */
	MSG_CRISIS,           /* <prefix>/crisis, active true */
	MSG_CRISIS_CLEAR,     /* same topic, active false or empty payload */
	MSG_ACK,              /* <prefix>/acks/<alarm id> */
	MSG_ACK_REMOVE,       /* same topic, empty payload */
	MSG_PRODUCER,         /* <prefix>/producers/<name>/status (v1.1) */
	MSG_PRODUCER_REMOVE,  /* same topic, empty payload */
	MSG_STEP,             /* <prefix>/crisis/steps/<n>: a playbook step ticked */
	MSG_STEP_REMOVE,      /* same topic, empty payload */
};

struct msg_complaint {
	char id[MSG_ID_MAX];
	char channel[MSG_CHANNEL_MAX];  /* lower-cased */
	char customer[MSG_NAME_MAX];
	char text[MSG_TEXT_MAX];
	char assignee[MSG_NAME_MAX];    /* "" when unassigned */
	int64_t opened_at;              /* epoch seconds, required */
	enum priority priority;         /* default normal */
	enum status status;             /* default open */
	enum visibility visibility;     /* default unspecified */
	bool drill;                     /* practice: left out of the on-time rate */
};

struct msg_sla {
	char id[MSG_ID_MAX];
	int64_t target_s;               /* 0 when absent */
	int64_t due_at;                 /* epoch seconds, required */
	bool paused;
	char paused_reason[MSG_NAME_MAX];
	int64_t responded_at;           /* 0 when not responded yet */
};

struct msg_contact {
	char role[MSG_NAME_MAX];
	char name[MSG_NAME_MAX];
	char phone[MSG_PHONE_MAX];
};

struct msg_crisis {
	int level;                      /* 1..3, default 1 */
	char title[MSG_TITLE_MAX];
	char message[MSG_MESSAGE_MAX];
	int64_t since;                  /* 0 when absent */
	char playbook[MSG_PLAYBOOK_MAX][MSG_ITEM_MAX];
	size_t n_playbook;
	struct msg_contact contacts[MSG_CONTACTS_MAX];
	size_t n_contacts;
	bool drill;                     /* a practice crisis: shown as DRILL */
	char declared_by[MSG_NAME_MAX]; /* a lead declared it on a board ("" : a
	                                   producer published it; declare.h) */
};

struct msg_ack {
	char alarm[MSG_ID_MAX];         /* equals the topic's last level */
	char by[MSG_NAME_MAX];
	int64_t at;
	char board[MSG_NAME_MAX];
	int64_t until;                  /* 0: until the alarm clears */
	char sig[MSG_SIG_MAX];          /* "" when unsigned; else 64 lowercase
	                                   hex digits (acksig.h checks them) */
};

/* A producer's heartbeat and what it holds retained (contract v1.1).
 * The name is the topic's <name> level (msg.id). */
#define PRODUCER_INTERVAL_DEFAULT 30
#define PRODUCER_INTERVAL_MAX 86400
#define PRODUCER_COUNT_MAX 100000000   /* "open"/"sla" above are rejected */
struct msg_producer {
	bool online;
	int64_t interval_s;             /* heartbeat period; default 30 */
	int64_t at;                     /* producer's clock; 0 when absent */
	int64_t open;                   /* complaints it holds retained; */
	int64_t sla;                    /* timers; -1 when not announced */
};

/* A playbook step ticked (or unticked) by a lead, for one crisis. */
struct msg_step {
	int step;                       /* 1..MSG_PLAYBOOK_MAX, = the topic's <n> */
	char text[MSG_ITEM_MAX];        /* the step's text, for readers */
	bool done;
	char by[MSG_NAME_MAX];
	int64_t at;
	int64_t crisis_since;           /* the crisis it belongs to */
	char board[MSG_NAME_MAX];
	char sig[MSG_SIG_MAX];          /* "" when unsigned (see crisis.h) */
};

struct msg {
	enum msg_kind kind;
	char id[MSG_ID_MAX];            /* topic's id level, "" for crisis */
	bool topic_known;               /* the topic is the contract's: kind
	                                   and id are set even when the payload
	                                   was then rejected */
	unsigned bad_fields;            /* fields dropped from an accepted
	                                   message (crisis only, see below) */
	union {
		struct msg_complaint complaint;
		struct msg_sla sla;
		struct msg_crisis crisis;
		struct msg_ack ack;
		struct msg_producer producer;
		struct msg_step step;
	} u;
};

/* Decode one message. prefix is the topic prefix without trailing slash.
 * Returns true and fills *out, or false and writes a reason into err
 * (always NUL-terminated when errlen > 0). Topics outside the contract
 * return false with reason "unknown topic".
 * An active crisis is rejected only when "active" cannot be read: any other
 * bad field is dropped and the crisis accepted, with out->bad_fields > 0 and
 * err naming the dropped fields ("; "-separated, cut to errlen). On any
 * other success err is "" and bad_fields 0. */
bool decode_message(const char *prefix, const char *topic,
		    const void *payload, size_t len,
		    struct msg *out, char *err, size_t errlen);

/* Parse an RFC 3339 time ("2026-11-23T09:12:00Z", "...+02:00", fraction
 * allowed) into epoch seconds. Exposed for config and tests. */
bool decode_time_rfc3339(const char *s, int64_t *out);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool decode_utf8_valid(const char *s, size_t len);

#endif
