/* declare.h - a crisis a shift lead declares from a surge alarm.
 *
 * A surge of complaints on one channel is the usual first sign of a
 * crisis; the lead who sees it on the wall should not have to find a
 * laptop to start the playbook. With the PIN (the same keypad and rules as
 * an ack) the board publishes the crisis topic itself, with the site's
 * playbook and contacts from the config ([crisis] step1..step8, title,
 * message, level; [contact.<key>]), who declared it and the surge that
 * triggered it:
 *   {"active":true,"level","title","message","since","playbook":[...],
 *    "contacts":[{"role","name","phone"}],"drill","declared_by","board",
 *    "at","surge":{"alarm","channel","count","usual","window_min"}[,"sig"]}
 * Every board then shows the banner as for any crisis. `since` and `at`
 * are the moment of the declaration; the crisis is `drill` when the surge
 * was made by drill complaints only. With the site's ack key the payload
 * carries "sig": the acks' HMAC (acksig.h) over the record {alarm:
 * "crisis:<since epoch>", by, board, at, until 0}, so a consumer can tell
 * a board's declaration from anyone's publish.
 *
 * Without a playbook there is nothing to run: the board does not offer
 * the action (declare_offered says why, for the log).
 *
 * Plain C, no SDL, no mosquitto: the app publishes what this builds,
 * through the acks' delivery path (journaled, retained, QoS 1). */
#ifndef WALLBOARD_DECLARE_H
#define WALLBOARD_DECLARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acksig.h"
#include "config.h"

/* Who declares, from which surge, when. */
struct declare_request {
	const char *by;            /* the lead whose PIN was taken */
	const char *board;         /* this board's id */
	const char *alarm;         /* the surge alarm's id, "surge:<channel>" */
	const char *channel;       /* its channel key */
	uint32_t count;            /* new complaints in the window */
	uint32_t usual;            /* the usual count for a window */
	bool drill;                /* a surge of drill complaints only */
	int64_t now;               /* epoch seconds: since and at */
};

/* Whether cfg lets a lead declare a crisis: it has a playbook (a non-empty
 * [crisis] stepN). False with the reason (a sentence for the log) in why. */
bool declare_offered(const struct config *cfg, char *why, size_t len);

/* The playbook's steps: the non-empty [crisis] stepN in order. */
size_t declare_playbook(const struct config *cfg, const char **steps, size_t max);

/* The crisis payload (see above), NUL-terminated, to free() by the
 * caller; key NULL or empty: unsigned. NULL (logged) when cfg has no
 * playbook, on bad arguments or out of memory. */
char *declare_payload(const struct config *cfg, const struct declare_request *r,
		      const struct acksig_key *key);

/* A lead ends, on a board, a crisis a board declared (crisis.h
 * crisis_declared): the crisis topic is cleared with who and when,
 *   {"active":false,"ended_by","board","at","since"[,"sig"]}
 * retained, so every board ends it and later ones see it ended. since
 * is the crisis's own; sig (with the site's ack key) is the acks' HMAC
 * over {alarm "crisis-end:<since epoch>", by, board, at, until 0}. */
struct declare_end {
	const char *by;            /* the lead whose PIN was taken */
	const char *board;         /* this board's id */
	int64_t since;             /* the crisis's since, epoch seconds */
	int64_t now;               /* epoch seconds: at */
};

/* The payload above, to free(); NULL (logged) on a missing field or out
 * of memory. */
char *declare_end_payload(const struct declare_end *e, const struct acksig_key *key);

#endif
