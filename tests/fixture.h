/* fixture.h - decoded messages, as decode.c would make them, for the tests
 * that feed a model directly (model, alarms, render, ackui). */
#ifndef WALLBOARD_TEST_FIXTURE_H
#define WALLBOARD_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"

/* A message of kind about id with nothing else set: removals. */
static inline struct msg *fixture_msg(struct msg *m, enum msg_kind kind, const char *id)
{
	memset(m, 0, sizeof *m);
	m->kind = kind;
	snprintf(m->id, sizeof m->id, "%s", id);
	return m;
}

static inline struct msg *fixture_complaint(struct msg *m, const char *id, const char *channel,
					    const char *customer, const char *text,
					    int64_t opened_at, enum priority pr, enum status st)
{
	struct msg_complaint *c = &fixture_msg(m, MSG_COMPLAINT, id)->u.complaint;
	snprintf(c->id, sizeof c->id, "%s", id);
	snprintf(c->channel, sizeof c->channel, "%s", channel);
	snprintf(c->customer, sizeof c->customer, "%s", customer);
	snprintf(c->text, sizeof c->text, "%s", text);
	c->opened_at = opened_at;
	c->priority = pr;
	c->status = st;
	return m;
}

static inline struct msg *fixture_sla(struct msg *m, const char *id, int64_t target_s,
				      int64_t due_at, bool paused, int64_t responded_at)
{
	struct msg_sla *s = &fixture_msg(m, MSG_SLA, id)->u.sla;
	snprintf(s->id, sizeof s->id, "%s", id);
	s->target_s = target_s;
	s->due_at = due_at;
	s->paused = paused;
	s->responded_at = responded_at;
	return m;
}

#endif
