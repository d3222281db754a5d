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

struct crisis {
	char prefix[64];
	char board[MSG_NAME_MAX];
	bool report;

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

struct crisis *crisis_create(const char *prefix, const char *board, bool report)
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
	for (size_t i = 0; steps && i < c->cur.n_playbook; i++) {
		cJSON *s = cJSON_CreateObject();
		if (!s)
			break;
		cJSON_AddNumberToObject(s, "step", (double)(i + 1));
		cJSON_AddStringToObject(s, "text", c->cur.playbook[i]);
		cJSON_AddBoolToObject(s, "done", false);
		cJSON_AddItemToArray(steps, s);
	}
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
