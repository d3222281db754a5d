/* declare.c - see declare.h. */
#include "declare.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "decode.h"
#include "i18n.h"
#include "log.h"
#include "surge.h"

#define TAG "declare"

/* The config holds what the crisis contract can carry, no more. */
_Static_assert(CONFIG_PLAYBOOK_MAX == MSG_PLAYBOOK_MAX, "playbook bound");
_Static_assert(CONFIG_MAX_CONTACTS == MSG_CONTACTS_MAX, "contacts bound");
_Static_assert(CONFIG_ITEM <= MSG_ITEM_MAX && CONFIG_ITEM <= MSG_TITLE_MAX, "item size");
_Static_assert(sizeof(((struct contact_conf *)0)->phone) <= MSG_PHONE_MAX, "phone size");
_Static_assert(sizeof(((struct contact_conf *)0)->name) <= MSG_NAME_MAX, "name size");

size_t declare_playbook(const struct config *cfg, const char **steps, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < CONFIG_PLAYBOOK_MAX && n < max; i++)
		if (cfg->crisis_steps[i][0])
			steps[n++] = cfg->crisis_steps[i];
	return n;
}

bool declare_offered(const struct config *cfg, char *why, size_t len)
{
	const char *steps[CONFIG_PLAYBOOK_MAX];
	if (declare_playbook(cfg, steps, CONFIG_PLAYBOOK_MAX) > 0)
		return true;
	snprintf(why, len, "surge alarms offer no \"declare crisis\": the config has no "
		 "playbook ([crisis] step1 = ...)");
	return false;
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, sizeof buf, "1970-01-01T00:00:00Z");
	cJSON_AddStringToObject(o, key, buf);
}

/* Only the fields that are set: the banner shows what is there. */
static void add_contacts(cJSON *o, const struct config *cfg)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "contacts");
	for (size_t i = 0; arr && i < cfg->n_contacts; i++) {
		const struct contact_conf *k = &cfg->contacts[i];
		if (!k->role[0] && !k->name[0] && !k->phone[0])
			continue;
		cJSON *c = cJSON_CreateObject();
		if (!c)
			return;
		if (k->role[0])
			cJSON_AddStringToObject(c, "role", k->role);
		if (k->name[0])
			cJSON_AddStringToObject(c, "name", k->name);
		if (k->phone[0])
			cJSON_AddStringToObject(c, "phone", k->phone);
		cJSON_AddItemToArray(arr, c);
	}
}

static void add_surge(cJSON *o, const struct declare_request *r)
{
	cJSON *s = cJSON_AddObjectToObject(o, "surge");
	if (!s)
		return;
	cJSON_AddStringToObject(s, "alarm", r->alarm);
	cJSON_AddStringToObject(s, "channel", r->channel);
	cJSON_AddNumberToObject(s, "count", r->count);
	cJSON_AddNumberToObject(s, "usual", r->usual);
	cJSON_AddNumberToObject(s, "window_min", SURGE_WINDOW_MIN);
}

/* "Surge: Instagram" in the board's language, unless configured. */
static void title_of(const struct config *cfg, const struct declare_request *r,
		     char *buf, size_t len)
{
	char name[CONFIG_STR];
	if (cfg->crisis_title[0]) {
		snprintf(buf, len, "%s", cfg->crisis_title);
		return;
	}
	i18n_channel_label(cfg, r->channel, name, sizeof name);
	snprintf(buf, len, "%s: %s", i18n_get(cfg->lang, STR_ALARM_SURGE), name);
}

/* The signature an ack key adds, over "<kind>:<stamp>" as the alarm: a
 * board that holds the key tells a lead's declaration or end from a
 * publisher's. Nothing without a key. */
static void sign(cJSON *o, const char *kind, int64_t stamp, const char *by, const char *board,
		 int64_t at, const struct acksig_key *key)
{
	struct msg_ack rec;
	char sig[ACKSIG_HEX_LEN + 1];
	if (!key || !key->len)
		return;
	memset(&rec, 0, sizeof rec);
	snprintf(rec.alarm, sizeof rec.alarm, "%s:%" PRId64, kind, stamp);
	snprintf(rec.by, sizeof rec.by, "%s", by);
	snprintf(rec.board, sizeof rec.board, "%s", board);
	rec.at = at;
	acksig_sign(key, &rec, sig);
	cJSON_AddStringToObject(o, "sig", sig);
}

/* o as one line of JSON, o freed; NULL (logged with what) when out of
 * memory. */
static char *printed(cJSON *o, const char *what)
{
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!text)
		log_error(TAG, "%s: out of memory", what);
	return text;
}

char *declare_end_payload(const struct declare_end *e, const struct acksig_key *key)
{
	if (!e || !e->by || !e->by[0] || !e->board || e->since <= 0) {
		log_error(TAG, "crisis not ended: a missing field");
		return NULL;
	}
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddBoolToObject(o, "active", false);
		cJSON_AddStringToObject(o, "ended_by", e->by);
		cJSON_AddStringToObject(o, "board", e->board);
		add_time(o, "at", e->now);
		add_time(o, "since", e->since);
		sign(o, "crisis-end", e->since, e->by, e->board, e->now, key);
	}
	return printed(o, "crisis not ended");
}

char *declare_payload(const struct config *cfg, const struct declare_request *r,
		      const struct acksig_key *key)
{
	const char *steps[CONFIG_PLAYBOOK_MAX];
	char title[CONFIG_STR * 2];
	size_t n = cfg && r ? declare_playbook(cfg, steps, CONFIG_PLAYBOOK_MAX) : 0;
	if (!n || !r->by || !r->board || !r->alarm || !r->channel) {
		log_error(TAG, "no crisis declared: no playbook or a missing field");
		return NULL;
	}
	cJSON *o = cJSON_CreateObject();
	if (o) {
		title_of(cfg, r, title, sizeof title);
		cJSON_AddBoolToObject(o, "active", true);
		cJSON_AddNumberToObject(o, "level", cfg->crisis_level);
		cJSON_AddStringToObject(o, "title", title);
		if (cfg->crisis_message[0])
			cJSON_AddStringToObject(o, "message", cfg->crisis_message);
		add_time(o, "since", r->now);
		cJSON *pb = cJSON_AddArrayToObject(o, "playbook");
		for (size_t i = 0; pb && i < n; i++)
			cJSON_AddItemToArray(pb, cJSON_CreateString(steps[i]));
		add_contacts(o, cfg);
		cJSON_AddBoolToObject(o, "drill", r->drill);
		cJSON_AddStringToObject(o, "declared_by", r->by);
		cJSON_AddStringToObject(o, "board", r->board);
		add_time(o, "at", r->now);
		add_surge(o, r);
		sign(o, "crisis", r->now, r->by, r->board, r->now, key);
	}
	return printed(o, "no crisis declared");
}
