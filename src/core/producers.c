/* producers.c - see producers.h.
 *
 * A small fixed table (PRODUCERS_MAX): a site has a handful of feeds, and
 * a flood of made-up producer names must not grow the board's memory. */
#include "producers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct producer {
	char name[MSG_ID_MAX];
	bool online;
	bool heard_online;              /* an online status came in this run */
	int64_t interval_s;
	int64_t heard_at;               /* board clock of the last status */
	int64_t online_at;              /* board clock of the last online one */
	int64_t offline_since;          /* when it went offline, 0 unknown */
	int64_t open, sla;
	uint32_t gen;
};

struct producers {
	struct producer p[PRODUCERS_MAX];
	size_t n;
	uint32_t gen;
};

struct producers *producers_create(void)
{
	return calloc(1, sizeof(struct producers));
}

void producers_destroy(struct producers *p)
{
	free(p);
}

static struct producer *find(struct producers *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->p[i].name, name) == 0)
			return &p->p[i];
	return NULL;
}

static void drop(struct producers *p, struct producer *e)
{
	*e = p->p[--p->n];
}

bool producers_apply(struct producers *p, const struct msg *msg, int64_t now,
		     char *err, size_t errlen)
{
	struct producer *e = find(p, msg->id);
	if (msg->kind == MSG_PRODUCER_REMOVE) {
		if (e)
			drop(p, e);
		return true;
	}
	if (msg->kind != MSG_PRODUCER)
		return false;
	bool first = !e;
	if (!e) {
		if (p->n == PRODUCERS_MAX) {
			snprintf(err, errlen, "more than %d producers", PRODUCERS_MAX);
			return false;
		}
		e = &p->p[p->n++];
		memset(e, 0, sizeof *e);
		snprintf(e->name, sizeof e->name, "%s", msg->id);
	}
	const struct msg_producer *m = &msg->u.producer;
	bool was_online = e->online;
	e->online = m->online;
	e->interval_s = m->interval_s;
	e->open = m->open;
	e->sla = m->sla;
	e->heard_at = now;
	e->gen = p->gen;
	if (m->online) {
		e->heard_online = true;
		e->online_at = now;
		e->offline_since = 0;
	} else if (was_online || first) {
		/* Since its own "at" (a clean exit says when), else since we
		 * last heard it online (a last will has no time), else unknown
		 * (a will found in the retained replay). */
		e->offline_since = m->at ? m->at : e->heard_online ? e->online_at : 0;
	}
	return true;
}

void producers_resync_begin(struct producers *p)
{
	p->gen++;
}

void producers_resync_end(struct producers *p)
{
	for (size_t i = 0; i < p->n;) {
		if (p->p[i].gen != p->gen)
			drop(p, &p->p[i]);
		else
			i++;
	}
}

size_t producers_count(const struct producers *p)
{
	return p->n;
}

static bool is_silent(const struct producer *e, int64_t now, int64_t *since)
{
	if (!e->online) {
		*since = e->offline_since;
		return true;
	}
	*since = e->heard_at;
	return now - e->heard_at > PRODUCERS_MISSED * e->interval_s;
}

bool producers_get(const struct producers *p, size_t i, int64_t now,
		   struct producer_view *out)
{
	if (i >= p->n)
		return false;
	const struct producer *e = &p->p[i];
	int64_t since;
	*out = (struct producer_view){
		.name = e->name,
		.online = e->online,
		.interval_s = e->interval_s,
		.heard_at = e->heard_at,
		.open = e->open,
		.sla = e->sla,
	};
	out->silent = is_silent(e, now, &since);
	out->since = out->silent ? since : 0;
	return true;
}

size_t producers_silent(const struct producers *p, int64_t now, size_t *first)
{
	size_t n = 0, best = 0;
	int64_t best_since = INT64_MAX;
	for (size_t i = 0; i < p->n; i++) {
		int64_t since;
		if (!is_silent(&p->p[i], now, &since))
			continue;
		if (n++ == 0 || since < best_since) {
			best = i;
			best_since = since;
		}
	}
	if (first)
		*first = best;
	return n;
}

int64_t producers_next_deadline(const struct producers *p, int64_t now)
{
	int64_t next = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct producer *e = &p->p[i];
		int64_t t = e->heard_at + PRODUCERS_MISSED * e->interval_s + 1;
		if (e->online && t > now && (!next || t < next))
			next = t;
	}
	return next;
}

void producers_announced(const struct producers *p, struct producers_announced *out)
{
	out->open = out->sla = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct producer *e = &p->p[i];
		if (e->open >= 0)
			out->open = (out->open < 0 ? 0 : out->open) + e->open;
		if (e->sla >= 0)
			out->sla = (out->sla < 0 ? 0 : out->sla) + e->sla;
	}
}
