/* i18n.h - the board's own words in English, Hebrew and Persian.
 *
 * Only the interface's strings live here; complaint text is shown as
 * producers sent it. Hebrew and Persian also mirror the whole layout. */
#ifndef WALLBOARD_I18N_H
#define WALLBOARD_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"

enum str_id {
	STR_OPEN,             /* "Open" */
	STR_BREACHED,         /* "Breached" */
	STR_AT_RISK,          /* "At risk" */
	STR_PAUSED,           /* "Paused" */
	STR_OLDEST_WAIT,      /* "Oldest wait" */
	STR_NEXT_DUE,         /* "Next due" */
	STR_HEALTHY,          /* "OK" */
	STR_LIVE,             /* "Live" */
	STR_NOT_LIVE,         /* "DATA NOT LIVE" */
	STR_CONNECTING,       /* "Connecting" */
	STR_BREACH_LIST,      /* "Breached response times" */
	STR_AT_RISK_LIST,     /* "Due soon" */
	STR_NO_BREACHES,      /* "No breached complaints" */
	STR_ATTAINMENT,       /* "On time today" */
	STR_CRISIS,           /* "CRISIS" */
	STR_PLAYBOOK,         /* "Playbook" */
	STR_CONTACTS,         /* "Contacts" */
	STR_OVERDUE,          /* "overdue" */
	STR_DUE_IN,           /* "due in" */
	STR_UNASSIGNED,       /* "unassigned" */
	STR_REJECTED,         /* "Rejected messages" */
	STR_MORE,             /* "more" (as in "+12 more") */
	STR_VIP,              /* "VIP" */
	STR_HIGH,             /* "High" */
	STR_SINCE,            /* "since" */
	/* the alarm strip and the PIN keypad */
	/* what happened, on an alarm's badge and the keypad's title */
	STR_WHAT_BREACH,      /* "Breach" */
	STR_WHAT_VIP_BREACH,  /* "VIP breach" */
	STR_WHAT_FLOOD,       /* "Flood" */
	STR_WHAT_LIMIT,       /* "Limit" (a channel threshold) */
	STR_WHAT_CRISIS,      /* "Crisis" */
	STR_ALARM_CRISIS,     /* "Crisis" (an alarm's kind) */
	STR_ALARM_FLOOD,      /* "Many breaches" (then the count) */
	STR_ALARM_OPEN,       /* "Too many open" (then the count) */
	STR_ALARM_BREACHED,   /* "Too many breached" (then the count) */
	STR_ALARM_WAIT,       /* "Long wait" (then the wait) */
	STR_ALARM_BREACH,     /* "Breached" (then the customer) */
	STR_ACKED_BY,         /* "Acknowledged by" (then name and time) */
	STR_ESCALATED,        /* "Escalated" */
	STR_CLEARED,          /* "Cleared" */
	STR_ACKNOWLEDGE,      /* "Acknowledge" (button; keypad title) */
	STR_ENTER_PIN,        /* "Enter PIN" */
	STR_WRONG_PIN,        /* "Wrong PIN" */
	STR_LOCKED,           /* "Locked, try again in" (then m:ss) */
	STR_CANCEL,           /* "Cancel" */
	STR_OK,               /* "OK" (keypad submit; closes a notice) */
	STR_NO_LEADS,         /* "No leads configured" */
	/* the notice band (producer status, contract v1.1) */
	STR_INCOMPLETE,       /* "INCOMPLETE" */
	STR_SHOWING,          /* "showing" (then N "of" M "complaints") */
	STR_OF,               /* "of" */
	STR_COMPLAINTS,       /* "complaints" */
	STR_TIMERS,           /* "SLA timers" */
	STR_QUEUE_LIMIT,      /* "(broker queue limit?)" */
	STR_FEED,             /* "Feed" (then its name) */
	STR_SILENT_SINCE,     /* "silent since" (then hh:mm) */
	STR_OFFLINE,          /* "offline" */
	STR_UNTIL,            /* ", until" (an ack: "✓ Dana 10:20, until 10:35") */
	/* crisis mode */
	STR_ALARM_SURGE,      /* "Surge" (then the count) */
	STR_DRILL,            /* "DRILL" (a practice crisis or alarm) */
	STR_PUBLIC,           /* "Public" (a complaint everyone can read) */
	STR_NO_STEP,          /* "no step taken" (a crisis alarm's subject) */
	STR_DONE,             /* "done" (playbook: "3 of 5 done") */
	STR_ACKS_NOT_DURABLE, /* "Acks not durable": the journal cannot be written */
	STR_ACK_NOT_DELIVERED,/* "Ack not delivered": the broker refused it */
	STR_OVER_CAPACITY,    /* "Over capacity": complaints beyond the limit */
	STR_CHECKING,         /* "Checking…": the keypad while a PIN is hashed */
	STR_NONE_AMONG,       /* "No breached complaints among": the list
	                         while incomplete, "... 23,999 held —
	                         100,000 announced" */
	STR_HELD,             /* "held" */
	STR_ANNOUNCED,        /* "announced" */
	STR_OWN_LIMIT,        /* "(the board's limit: limits.max_complaints)" */
	STR_PARTIAL,          /* "Partial": a channel tile with no breach among
	                         what an incomplete board holds (never "OK") */
	STR_DECLARE,          /* "Declare crisis": a surge alarm's button; keypad title */
	STR_END_CRISIS,       /* "End crisis": a declared crisis's button; keypad title */
	STR_WAIT,             /* "Wait": "Long wait" on a narrow strip line */
	STR_COUNT
};

const char *i18n_get(enum lang lang, enum str_id id);
/* True for Hebrew and Persian: the layout is mirrored. */
bool i18n_is_rtl(enum lang lang);
/* "en", "he", "fa" <-> enum; false for an unknown code. */
bool i18n_lang_from_code(const char *code, enum lang *out);
const char *i18n_lang_code(enum lang lang);

/* Built-in display name of a usual channel key (whatsapp, facebook,
 * instagram, x, webchat, email and a few spellings of them) in lang, or
 * NULL for a key the board does not know. */
const char *i18n_channel_name(enum lang lang, const char *key);

/* What a channel is called on the board: [channel.<key>] name when set,
 * else the built-in name in cfg->lang, else the key with its first letter
 * capitalised. Written into buf (always terminated); returns buf. */
const char *i18n_channel_label(const struct config *cfg, const char *key,
			       char *buf, size_t size);

/* The code point of the digit zero for the board's own numbers: U+06F0
 * (Persian ۰..۹) in Persian unless digits is DIGITS_LATIN, else '0'.
 * Hebrew and English write 0-9 natively. */
uint32_t i18n_digit_zero(enum lang lang, enum digits digits);

/* A number the board formatted (ASCII digits) as lang writes it: in is
 * copied into out with '0'..'9' replaced by the digits of
 * i18n_digit_zero; anything else is kept. out is always terminated and,
 * when too small, cut at a character boundary. Returns out. Not for
 * producers' texts: those are shown as written. */
const char *i18n_digits(enum lang lang, enum digits digits, const char *in,
			char *out, size_t size);

/* The value of the digit at s in any digits the board writes numbers in
 * (i18n_digit_zero of every language), its bytes in *len; -1 when s
 * begins with no digit. Reads a number i18n_digits() wrote back. */
int i18n_digit_value(const char *s, size_t *len);

#endif
