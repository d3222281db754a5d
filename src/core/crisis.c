/* crisis.c - see crisis.h. */
#include "crisis.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "log.h"

#define TAG "crisis"

struct chan_count {
	uint32_t began, at_start, peak;
};

/* A queued publish; the payload is sized to fit. */
struct out_node {
	struct out_node *next;
	char topic[CRISIS_TOPIC_MAX];
	size_t len;
	int qos;
	bool retain, durable;
	char payload[];
};

/* A step's tick as known here; also a held one (crisis not seen yet). */
struct tick {
	bool known;                /* a tick (or untick) was seen or made */
	bool done;
	char by[MSG_NAME_MAX];
	char board[MSG_NAME_MAX];
	int64_t at;
	int64_t since;             /* the crisis it belongs to */
	bool retained;             /* the broker may hold it: clear at the end */
};

struct crisis {
	char prefix[64];
	char board[MSG_NAME_MAX];
	bool report;
	struct acksig_key key;     /* len 0: unsigned */
	uint64_t refused;
	uint64_t gen;
	struct tick steps[MSG_PLAYBOOK_MAX];
	struct tick held[MSG_PLAYBOOK_MAX];

	bool active;
	struct msg_crisis cur;     /* the crisis followed, as last seen */
	int64_t since;             /* its identity: cur.since or first sight */
	int64_t observed_from;
	int64_t last;              /* breaches are counted up to here */
	char keys[MODEL_MAX_CHANNELS][MSG_CHANNEL_MAX];
	struct chan_count ch[MODEL_MAX_CHANNELS];
	size_t n_ch;

	struct out_node *head, *tail;
	size_t n_out;
};

static void format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	format_time(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

struct crisis *crisis_create(const char *prefix, const char *board, bool report,
			     const struct acksig_key *key)
{
	if (!prefix || !board || strlen(prefix) >= sizeof ((struct crisis *)0)->prefix ||
	    strlen(board) >= MSG_NAME_MAX) {
		log_error(TAG, "prefix or board id missing or too long");
		return NULL;
	}
	struct crisis *c = calloc(1, sizeof *c);
	if (!c) {
		log_error(TAG, "out of memory");
		return NULL;
	}
	strcpy(c->prefix, prefix);
	strcpy(c->board, board);
	c->report = report;
	if (key && key->len)
		c->key = *key;
	return c;
}

void crisis_destroy(struct crisis *c)
{
	if (!c)
		return;
	while (c->head) {
		struct out_node *n = c->head;
		c->head = n->next;
		free(n);
	}
	acksig_key_wipe(&c->key);
	free(c);
}

int64_t crisis_since(const struct crisis *c)
{
	return c->active ? c->since : 0;
}

/* ---- outbox ---- */

static void queue(struct crisis *c, const char *topic, const char *payload, bool retain,
		  bool durable)
{
	size_t len = payload ? strlen(payload) : 0;
	struct out_node *n = NULL;
	if (c->n_out < CRISIS_OUTBOX_MAX && len < CRISIS_PAYLOAD_MAX)
		n = calloc(1, sizeof *n + len + 1);
	if (!n) {
		log_error(TAG, "outbox full, out of memory or payload too large: %s dropped", topic);
		return;
	}
	snprintf(n->topic, sizeof n->topic, "%s", topic);
	memcpy(n->payload, payload ? payload : "", len + 1);
	n->len = len;
	n->qos = 1;
	n->retain = retain;
	n->durable = durable;
	if (c->tail)
		c->tail->next = n;
	else
		c->head = n;
	c->tail = n;
	c->n_out++;
}

bool crisis_take_out(struct crisis *c, struct crisis_out *out)
{
	struct out_node *n = c->head;
	if (!n)
		return false;
	c->head = n->next;
	if (!c->head)
		c->tail = NULL;
	c->n_out--;
	snprintf(out->topic, sizeof out->topic, "%s", n->topic);
	memcpy(out->payload, n->payload, n->len + 1);
	out->len = n->len;
	out->qos = n->qos;
	out->retain = n->retain;
	out->durable = n->durable;
	free(n);
	return true;
}

/* ---- following the crisis ---- */

static size_t chan_slot(struct crisis *c, const char *key)
{
	for (size_t i = 0; i < c->n_ch; i++)
		if (strcmp(c->keys[i], key) == 0)
			return i;
	if (c->n_ch == MODEL_MAX_CHANNELS)
		return SIZE_MAX;
	snprintf(c->keys[c->n_ch], sizeof c->keys[0], "%s", key);
	memset(&c->ch[c->n_ch], 0, sizeof c->ch[0]);
	return c->n_ch++;
}

/* ---- the checklist ---- */

static void step_topic(const struct crisis *c, size_t idx, char *topic)
{
	snprintf(topic, CRISIS_TOPIC_MAX, "%s/crisis/steps/%zu", c->prefix, idx + 1);
}

static void clear_step(struct crisis *c, size_t idx)
{
	char topic[CRISIS_TOPIC_MAX];
	step_topic(c, idx, topic);
	queue(c, topic, NULL, true, true);
}

/* A crisis without its own since cannot be told from another: any tick
 * is taken for it. */
static bool belongs(const struct crisis *c, int64_t since)
{
	return c->active && (c->cur.since == 0 || since == c->since);
}

/* What a tick's signature covers, as an ack record (acksig.h). */
static void sig_record(struct msg_ack *r, int step, int64_t since, bool done, const char *by,
		       const char *board, int64_t at, const char *sig)
{
	memset(r, 0, sizeof *r);
	snprintf(r->alarm, sizeof r->alarm, "step:%d:%" PRId64 ":%d", step, since, done);
	snprintf(r->by, sizeof r->by, "%s", by);
	snprintf(r->board, sizeof r->board, "%s", board);
	r->at = at;
	if (sig)
		snprintf(r->sig, sizeof r->sig, "%s", sig);
}

static void queue_tick(struct crisis *c, size_t idx)
{
	const struct tick *t = &c->steps[idx];
	char topic[CRISIS_TOPIC_MAX];
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;
	if (o) {
		cJSON_AddNumberToObject(o, "step", (double)(idx + 1));
		cJSON_AddStringToObject(o, "text", c->cur.playbook[idx]);
		cJSON_AddBoolToObject(o, "done", t->done);
		cJSON_AddStringToObject(o, "by", t->by);
		add_time(o, "at", t->at);
		add_time(o, "crisis_since", t->since);
		cJSON_AddStringToObject(o, "board", t->board);
		if (c->key.len) {
			struct msg_ack r;
			char sig[ACKSIG_HEX_LEN + 1];
			sig_record(&r, (int)idx + 1, t->since, t->done, t->by, t->board, t->at, NULL);
			acksig_sign(&c->key, &r, sig);
			cJSON_AddStringToObject(o, "sig", sig);
		}
		text = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(o);
	if (!text) {
		log_error(TAG, "step %zu: out of memory", idx + 1);
		return;
	}
	step_topic(c, idx, topic);
	queue(c, topic, text, true, true);
	free(text);
}

size_t crisis_steps(const struct crisis *c)
{
	return c->active ? c->cur.n_playbook : 0;
}

size_t crisis_steps_done(const struct crisis *c)
{
	size_t n = 0;
	for (size_t i = 0; i < crisis_steps(c); i++)
		n += c->steps[i].known && c->steps[i].done;
	return n;
}

bool crisis_step_get(const struct crisis *c, size_t idx, struct crisis_step *out)
{
	if (idx >= crisis_steps(c))
		return false;
	const struct tick *t = &c->steps[idx];
	*out = (struct crisis_step){
		.text = c->cur.playbook[idx], .done = t->known && t->done,
		.by = t->known ? t->by : "", .at = t->known ? t->at : 0,
		.board = t->known ? t->board : "",
	};
	return true;
}

bool crisis_is_drill(const struct crisis *c)
{
	return c->active && c->cur.drill;
}

bool crisis_declared(const struct crisis *c)
{
	return c && c->active && c->cur.declared_by[0];
}

uint64_t crisis_generation(const struct crisis *c)
{
	return c->gen;
}

uint64_t crisis_ticks_refused(const struct crisis *c)
{
	return c->refused;
}

bool crisis_tick(struct crisis *c, size_t idx, bool done, const char *by, int64_t now)
{
	if (idx >= crisis_steps(c)) {
		log_warn(TAG, "tick of step %zu refused: no such step", idx + 1);
		return false;
	}
	struct tick *t = &c->steps[idx];
	*t = (struct tick){ .known = true, .done = done, .at = now, .since = c->since,
			    .retained = true };
	snprintf(t->by, sizeof t->by, "%s", by && by[0] ? by : "?");
	snprintf(t->board, sizeof t->board, "%s", c->board);
	log_info(TAG, "step %zu %s by %s", idx + 1, done ? "done" : "not done", t->by);
	c->gen++;
	queue_tick(c, idx);
	return true;
}

bool crisis_apply_step(struct crisis *c, const struct msg *msg, int64_t now)
{
	(void)now;
	const struct msg_step *s = &msg->u.step;
	if (s->step < 1 || s->step > MSG_PLAYBOOK_MAX)
		return false;
	size_t idx = (size_t)s->step - 1;
	if (msg->kind == MSG_STEP_REMOVE) {
		bool shown = c->steps[idx].known;
		c->steps[idx].known = c->held[idx].known = false;
		c->gen += shown;
		return shown;
	}
	if (msg->kind != MSG_STEP)
		return false;
	if (c->key.len) {
		struct msg_ack r;
		sig_record(&r, s->step, s->crisis_since, s->done, s->by, s->board, s->at, s->sig);
		if (!acksig_verify(&c->key, &r)) {
			c->refused++;
			log_warn(TAG, "tick of step %d by %s refused: %s", s->step, s->by,
				 s->sig[0] ? "signature does not verify" : "unsigned");
			return false;
		}
	}
	struct tick t = { .known = true, .done = s->done, .at = s->at,
			  .since = s->crisis_since, .retained = true };
	snprintf(t.by, sizeof t.by, "%s", s->by);
	snprintf(t.board, sizeof t.board, "%s", s->board);
	if (!c->active) {
		c->held[idx] = t; /* its crisis may come next */
		return false;
	}
	if (!belongs(c, s->crisis_since)) {
		/* another crisis's tick: not shown; the broker forgets it
		 * (unless it is one of a crisis that has not begun here yet) */
		if (s->crisis_since < c->since)
			clear_step(c, idx);
		else
			c->held[idx] = t;
		return false;
	}
	struct tick *cur = &c->steps[idx];
	bool same = cur->known && cur->done == t.done && cur->at == t.at &&
		    strcmp(cur->by, t.by) == 0;
	*cur = t;
	c->gen += !same;
	return !same;
}

static void begin(struct crisis *c, const struct model *m, const struct msg_crisis *cr,
		  int64_t now)
{
	c->active = true;
	c->cur = *cr;
	c->since = cr->since > 0 && cr->since <= now ? cr->since : now;
	c->observed_from = now;
	c->last = now;
	c->n_ch = 0;
	for (size_t i = 0; i < model_channel_count(m); i++) {
		struct channel_stats st;
		model_channel_stats(m, i, now, 0, &st);
		size_t k = chan_slot(c, model_channel_key(m, i));
		if (k != SIZE_MAX)
			c->ch[k].at_start = c->ch[k].peak = st.breached;
	}
	memset(c->steps, 0, sizeof c->steps);
	for (size_t i = 0; i < MSG_PLAYBOOK_MAX; i++) {
		struct tick *h = &c->held[i];
		if (!h->known)
			continue;
		if (belongs(c, h->since))
			c->steps[i] = *h;
		else
			clear_step(c, i); /* a tick of a crisis that ended unseen */
		h->known = false;
	}
	log_info(TAG, "crisis since %" PRId64 " followed%s", c->since, cr->drill ? " (drill)" : "");
}

static void count_breaches(struct crisis *c, const struct model *m, int64_t now)
{
	if (now <= c->last)
		return;
	for (size_t i = 0; i < model_channel_count(m); i++) {
		size_t k = chan_slot(c, model_channel_key(m, i));
		if (k == SIZE_MAX)
			continue;
		struct channel_stats st;
		model_channel_stats(m, i, now, 0, &st);
		c->ch[k].began += (uint32_t)model_channel_due_between(m, i, c->last, now);
		if (st.breached > c->ch[k].peak)
			c->ch[k].peak = st.breached;
	}
	c->last = now;
}

static cJSON *report_json(const struct crisis *c, int64_t end)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	add_time(o, "since", c->since);
	add_time(o, "end", end);
	cJSON_AddStringToObject(o, "title", c->cur.title);
	cJSON_AddNumberToObject(o, "level", c->cur.level);
	cJSON_AddBoolToObject(o, "drill", c->cur.drill);
	cJSON_AddStringToObject(o, "board", c->board);
	add_time(o, "observed_from", c->observed_from);
	cJSON_AddNumberToObject(o, "duration_s", (double)(end - c->since));
	cJSON *steps = cJSON_AddArrayToObject(o, "steps");
	int64_t first = 0;
	for (size_t i = 0; steps && i < c->cur.n_playbook; i++) {
		cJSON *s = cJSON_CreateObject();
		if (!s)
			break;
		cJSON_AddNumberToObject(s, "step", (double)(i + 1));
		cJSON_AddStringToObject(s, "text", c->cur.playbook[i]);
		const struct tick *t = &c->steps[i];
		bool done = t->known && t->done;
		cJSON_AddBoolToObject(s, "done", done);
		if (t->known) {
			cJSON_AddStringToObject(s, "by", t->by);
			add_time(s, "at", t->at);
		}
		if (done && (first == 0 || t->at < first))
			first = t->at;
		cJSON_AddItemToArray(steps, s);
	}
	if (first)
		cJSON_AddNumberToObject(o, "first_step_after_s",
					(double)(first > c->since ? first - c->since : 0));
	else
		cJSON_AddNullToObject(o, "first_step_after_s");
	cJSON *br = cJSON_AddArrayToObject(o, "breaches");
	uint32_t total = 0;
	for (size_t i = 0; br && i < c->n_ch; i++) {
		const struct chan_count *k = &c->ch[i];
		if (!k->began && !k->at_start && !k->peak)
			continue;
		cJSON *b = cJSON_CreateObject();
		if (!b)
			break;
		cJSON_AddStringToObject(b, "channel", c->keys[i]);
		cJSON_AddNumberToObject(b, "began", k->began);
		cJSON_AddNumberToObject(b, "at_start", k->at_start);
		cJSON_AddNumberToObject(b, "peak", k->peak);
		cJSON_AddItemToArray(br, b);
		total += k->began;
	}
	cJSON_AddNumberToObject(o, "breaches_total", total);
	return o;
}

static void end_crisis(struct crisis *c, int64_t now)
{
	char when[32], topic[CRISIS_TOPIC_MAX];
	format_time(c->since, when, sizeof when);
	snprintf(topic, sizeof topic, "%s/crisis/reports/%s", c->prefix, when);
	cJSON *o = report_json(c, now);
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	if (!text)
		log_error(TAG, "report of the crisis since %s: out of memory", when);
	else if (c->report)
		queue(c, topic, text, false, true);
	else
		log_info(TAG, "report (not published: crisis.report is off): %s", text);
	log_info(TAG, "crisis since %s over after %" PRId64 " s", when, now - c->since);
	free(text);
	cJSON_Delete(o);
	/* the next crisis starts unticked, on every board */
	for (size_t i = 0; i < MSG_PLAYBOOK_MAX; i++)
		if (c->steps[i].known && c->steps[i].retained)
			clear_step(c, i);
	memset(c->steps, 0, sizeof c->steps);
	c->active = false;
}

void crisis_update(struct crisis *c, const struct model *m, int64_t now)
{
	const struct msg_crisis *cr = model_crisis(m);
	if (c->active) {
		count_breaches(c, m, now);
		bool same = cr && (cr->since ? cr->since == c->since :
				   strcmp(cr->title, c->cur.title) == 0);
		if (same)
			c->cur = *cr; /* steps and title may be edited during it */
		else
			end_crisis(c, now);
	}
	if (cr && !c->active)
		begin(c, m, cr, now);
}
