/* alarms.c - see alarms.h. */
#include "alarms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "crisis.h"
#include "log.h"
#include "surge.h"
#include "util.h"

/* Slots beyond the bound on active alarms, for cleared ones that linger.
 * When they run out, the oldest cleared alarm goes early. */
#define LINGER_SLACK 64
/* Topics whose refused acks were logged; beyond, refusals are counted. */
#define REFUSED_LOG_TOPICS 64

struct ack_rec {
	char by[ALARM_NAME_MAX];
	char board[ALARM_NAME_MAX];
	int64_t at;
	int64_t until;             /* 0: until the alarm clears */
};

/* An ack for an alarm this board does not show (yet). */
struct held_ack {
	bool used;
	char alarm[ALARM_ID_MAX];
	struct ack_rec ack;
	uint64_t stamp;            /* arrival order, for eviction */
};

struct alarm {
	bool used;
	char id[ALARM_ID_MAX];
	char channel[MSG_CHANNEL_MAX];
	char label[ALARM_LABEL_MAX];
	enum alarm_kind kind;
	enum alarm_severity severity;
	enum alarm_state state;
	int64_t value;
	int64_t first_seen;
	int64_t loud_since;        /* this board saw it become FIRING */
	int64_t cleared_at;
	bool start_known;          /* first_seen came from the data */
	bool escalated;
	bool drill;
	bool had_ack;              /* the broker may hold an ack: clear it */
	struct ack_rec ack;        /* valid while ACKED */
	uint32_t gen;              /* last update whose conditions had it */
};

/* One condition as derived from the model in an update. */
struct cond {
	char id[ALARM_ID_MAX];
	const char *channel;
	char label[ALARM_LABEL_MAX];
	enum alarm_kind kind;
	enum alarm_severity severity;
	int64_t value;
	int64_t started;           /* from the data, 0 if the data cannot say */
	bool drill;
};

struct alarms {
	struct alarms_options opt; /* strings point at prefix/board below */
	char prefix[64];
	char board[ALARM_NAME_MAX];

	struct alarm *slots;
	size_t cap;
	uint32_t *hash;            /* slot index + 1 by id, 0 = empty */
	size_t hcap;               /* power of two, >= 2 * cap */
	struct alarm **order;      /* display order, n_order of them */
	size_t n_order;

	const struct complaint **breached; /* flood_threshold + 1 */
	const struct surge *surge;         /* NULL: no surge alarms */
	const struct crisis *crisis;       /* NULL: no "no step taken" alarm */

	struct held_ack *held;
	uint64_t held_stamp;
	uint64_t held_evicted;     /* held acks forgotten for room */

	struct alarm_out *outbox;
	size_t ob_n, ob_alloc;

	struct acksig_key key;     /* len 0: acks unsigned */
	uint64_t refused;
	uint32_t refused_logged[REFUSED_LOG_TOPICS]; /* topic hashes */
	size_t n_refused_logged;

	uint32_t gen;
	int64_t cond_deadline;     /* from the last update's model data */
	bool changed;              /* something visible changed in this call */
	bool not_live;             /* the data is stale: nothing escalates */
};

/* ---- small helpers ---- */

const char *alarm_kind_name(enum alarm_kind k)
{
	static const char *const names[] = {
		"crisis", "flood", "open", "breached", "wait", "breach", "surge",
		"no-step",
	};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *alarm_severity_name(enum alarm_severity s)
{
	static const char *const names[] = { "low", "medium", "high", "critical" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* Cut s so it does not end inside a UTF-8 sequence (snprintf truncates
 * at a byte, and a torn character would show as garbage). */
static void utf8_trim_tail(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 :
		      lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

/* Copy, cut to fit at a character boundary (len > 0). */
static void copy_text(char *dst, size_t len, const char *src)
{
	size_t n = src ? strnlen(src, len - 1) : 0;
	memmove(dst, src ? src : "", n);
	dst[n] = '\0';
	utf8_trim_tail(dst);
}

static void format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

/* ---- id index: open addressing, linear probing ---- */

static ssize_t index_find(const struct alarms *a, const char *id)
{
	size_t mask = a->hcap - 1;
	for (size_t i = util_fnv1a32_str(id) & mask; a->hash[i]; i = (i + 1) & mask) {
		const struct alarm *al = &a->slots[a->hash[i] - 1];
		if (strcmp(al->id, id) == 0)
			return (ssize_t)(a->hash[i] - 1);
	}
	return -1;
}

static void index_insert(struct alarms *a, size_t slot)
{
	size_t mask = a->hcap - 1;
	size_t i = util_fnv1a32_str(a->slots[slot].id) & mask;
	while (a->hash[i])
		i = (i + 1) & mask;
	a->hash[i] = (uint32_t)slot + 1;
}

/* Backward-shift deletion: no tombstones, so probes stay short for months. */
static void index_delete(struct alarms *a, size_t slot)
{
	size_t mask = a->hcap - 1;
	size_t i = util_fnv1a32_str(a->slots[slot].id) & mask;
	while (a->hash[i] != slot + 1)
		i = (i + 1) & mask;
	for (size_t j = (i + 1) & mask; a->hash[j]; j = (j + 1) & mask) {
		size_t home = util_fnv1a32_str(a->slots[a->hash[j] - 1].id) & mask;
		/* j's entry may move to the hole i unless its home lies
		 * cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			a->hash[i] = a->hash[j];
			i = j;
		}
	}
	a->hash[i] = 0;
}

/* ---- outbox ---- */

static struct alarm_out *outbox_push(struct alarms *a)
{
	if (!UTIL_ARRAY_ROOM(a->outbox, a->ob_n, a->ob_alloc, 16, ALARMS_OUTBOX_MAX))
		return NULL;
	struct alarm_out *o = &a->outbox[a->ob_n++];
	memset(o, 0, sizeof *o);
	return o;
}

/* Queue topic <prefix>/<kind>/<id> with a JSON payload (NULL: empty).
 * Returns the queued message, NULL when dropped (logged). */
static struct alarm_out *queue(struct alarms *a, const char *kind, const char *id,
			       cJSON *json, bool retain, bool durable)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;
	struct alarm_out *o = NULL;
	if ((!json || text) && (!text || strlen(text) < ALARMS_PAYLOAD_MAX))
		o = outbox_push(a);
	if (!o) {
		log_error("alarms", "outbox full or out of memory: %s/%s/%s dropped",
			  a->prefix, kind, id);
		free(text);
		return NULL;
	}
	snprintf(o->topic, sizeof o->topic, "%s/%s/%s", a->prefix, kind, id);
	if (text) {
		o->len = strlen(text);
		memcpy(o->payload, text, o->len + 1);
	}
	o->qos = 1;
	o->retain = retain;
	o->durable = durable;
	free(text);
	return o;
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	format_time(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static void queue_ack(struct alarms *a, const struct alarm *al)
{
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "alarm", al->id);
		cJSON_AddStringToObject(o, "by", al->ack.by);
		add_time(o, "at", al->ack.at);
		cJSON_AddStringToObject(o, "board", al->ack.board);
		if (al->ack.until)
			add_time(o, "until", al->ack.until);
		else
			cJSON_AddNumberToObject(o, "until", 0);
		if (a->key.len) {
			struct msg_ack m = { .at = al->ack.at, .until = al->ack.until };
			char sig[ACKSIG_HEX_LEN + 1];
			copy_text(m.alarm, sizeof m.alarm, al->id);
			copy_text(m.by, sizeof m.by, al->ack.by);
			copy_text(m.board, sizeof m.board, al->ack.board);
			acksig_sign(&a->key, &m, sig);
			cJSON_AddStringToObject(o, "sig", sig);
		}
	}
	queue(a, "acks", al->id, o, true, true);
	cJSON_Delete(o);
}

static int clamp_int(int v, int lo, int hi);

static void queue_escalation(struct alarms *a, const struct alarm *al)
{
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "alarm", al->id);
		cJSON_AddStringToObject(o, "severity", alarm_severity_name(al->severity));
		cJSON_AddStringToObject(o, "label", al->label);
		add_time(o, "first_seen", al->first_seen);
		cJSON_AddStringToObject(o, "board", a->board);
	}
	/* Not durable: after a restart a still-loud alarm escalates again
	 * anyway, and a replayed escalation hours late would mislead. */
	struct alarm_out *out = queue(a, "escalations", al->id, o, false, false);
	if (out)
		out->expiry_s = (uint32_t)clamp_int(a->opt.escalate_after_s,
						    ALARMS_ESCALATION_EXPIRY_MIN_S,
						    ALARMS_ESCALATION_EXPIRY_MAX_S);
	cJSON_Delete(o);
}

size_t alarms_take_outbox(struct alarms *a, struct alarm_out *out, size_t max)
{
	size_t n = a->ob_n < max ? a->ob_n : max;
	if (n == 0)
		return 0;
	memcpy(out, a->outbox, n * sizeof *out);
	memmove(a->outbox, a->outbox + n, (a->ob_n - n) * sizeof *out);
	a->ob_n -= n;
	if (a->ob_n == 0 && a->ob_alloc > 16) {
		/* A burst is over: give the memory back (flat footprint). */
		free(a->outbox);
		a->outbox = NULL;
		a->ob_alloc = 0;
	}
	return n;
}

size_t alarms_outbox_count(const struct alarms *a)
{
	return a->ob_n;
}

/* ---- held acks ---- */

static struct held_ack *held_find(struct alarms *a, const char *id)
{
	for (size_t i = 0; i < ALARMS_HELD_ACKS; i++)
		if (a->held[i].used && strcmp(a->held[i].alarm, id) == 0)
			return &a->held[i];
	return NULL;
}

static void held_put(struct alarms *a, const char *id, const struct ack_rec *rec)
{
	struct held_ack *h = held_find(a, id), *oldest = NULL;
	for (size_t i = 0; !h && i < ALARMS_HELD_ACKS; i++) {
		if (!a->held[i].used)
			h = &a->held[i];
		else if (!oldest || a->held[i].stamp < oldest->stamp)
			oldest = &a->held[i];
	}
	if (!h) {
		/* A flood of acks for alarms nobody shows (a forger, a broker
		 * full of stale acks) must not flood the log too: 1, 2, 4, ... */
		uint64_t n = ++a->held_evicted;
		if ((n & (n - 1)) == 0)
			log_warn("alarms", "too many acks for unknown alarms: forgetting %s "
				 "(%llu forgotten so far)", oldest->alarm, (unsigned long long)n);
		h = oldest;
	}
	h->used = true;
	copy_text(h->alarm, sizeof h->alarm, id);
	h->ack = *rec;
	h->stamp = ++a->held_stamp;
}

/* Acks whose snooze ended can never apply: they only took room. */
static void held_prune(struct alarms *a, int64_t now)
{
	for (size_t i = 0; i < ALARMS_HELD_ACKS; i++) {
		struct held_ack *h = &a->held[i];
		if (h->used && h->ack.until && h->ack.until <= now)
			h->used = false;
	}
}

/* ---- alarm lifecycle ---- */

static bool ack_same(const struct ack_rec *x, const struct ack_rec *y)
{
	return x->at == y->at && x->until == y->until &&
	       strcmp(x->by, y->by) == 0 && strcmp(x->board, y->board) == 0;
}

/* Counts a refused ack; logs it once per alarm topic, so a forger
 * flooding one topic costs one log line, and many topics at most
 * REFUSED_LOG_TOPICS lines. */
static void refuse(struct alarms *a, const char *alarm_id, const char *by,
		   const char *why)
{
	uint32_t h = util_fnv1a32_str(alarm_id);
	a->refused++;
	for (size_t i = 0; i < a->n_refused_logged; i++)
		if (a->refused_logged[i] == h)
			return;
	if (a->n_refused_logged == REFUSED_LOG_TOPICS)
		return;
	a->refused_logged[a->n_refused_logged++] = h;
	log_warn("alarms", "ack of %s (by \"%s\") refused: %s%s", alarm_id, by, why,
		 a->n_refused_logged == REFUSED_LOG_TOPICS ?
		 "; further refused acks are only counted" : "");
}

/* With a key, a signed ack may still be a replay of an old one. */
static bool ack_fresh(struct alarms *a, const struct alarm *al,
		      const struct ack_rec *rec, int64_t now)
{
	const char *why = NULL;
	if (!a->key.len)
		return true;
	int64_t snooze = a->opt.snooze_s;
	if (snooze ? !rec->until || rec->until - rec->at > snooze : rec->until != 0)
		why = "does not last this site's snooze";
	else if (rec->at > now + ALARMS_ACK_SKEW_S)
		why = "made in the future";
	else if (al && al->start_known && rec->at + ALARMS_ACK_SKEW_S < al->first_seen)
		why = "made before this occurrence began (a replay)";
	if (why)
		refuse(a, al ? al->id : "?", rec->by, why);
	return why == NULL;
}

/* Apply an ack to a shown alarm. An expired ack (snooze over) changes
 * nothing visible, but the broker still holds it: remember to clear it. */
static void apply_rec(struct alarms *a, struct alarm *al,
		      const struct ack_rec *rec, int64_t now)
{
	if (!ack_fresh(a, al, rec, now))
		return;
	al->had_ack = true;
	if (rec->until && rec->until <= now)
		return;
	if (al->state == ALARM_ACKED && ack_same(&al->ack, rec))
		return; /* our own echo, or a replay */
	al->state = ALARM_ACKED;
	al->ack = *rec;
	a->changed = true;
}

static void drop_ack(struct alarm *al)
{
	memset(&al->ack, 0, sizeof al->ack);
}

/* A (new) occurrence: loud, unescalated, unacked unless an ack for it is
 * already held. */
static void start_occurrence(struct alarms *a, struct alarm *al,
			     const struct cond *c, int64_t now)
{
	al->state = ALARM_FIRING;
	al->start_known = c->started > 0 && c->started <= now;
	al->first_seen = al->start_known ? c->started : now;
	al->loud_since = now;
	al->cleared_at = 0;
	al->escalated = false;
	al->had_ack = false;
	drop_ack(al);
	struct held_ack *h = held_find(a, al->id);
	if (h) {
		apply_rec(a, al, &h->ack, now);
		h->used = false;
	}
	log_info("alarms", "%s fires: %s", al->id, al->label);
	a->changed = true;
}

/* A slot for a new alarm: a free one, else the oldest cleared one. */
static ssize_t alloc_slot(struct alarms *a)
{
	ssize_t victim = -1;
	for (size_t i = 0; i < a->cap; i++) {
		if (!a->slots[i].used)
			return (ssize_t)i;
		if (a->slots[i].state == ALARM_CLEARED &&
		    (victim < 0 || a->slots[i].cleared_at < a->slots[victim].cleared_at))
			victim = (ssize_t)i;
	}
	if (victim >= 0) {
		index_delete(a, (size_t)victim);
		a->slots[victim].used = false;
	}
	return victim;
}

static void set_fields(struct alarms *a, struct alarm *al, const struct cond *c)
{
	if (al->kind != c->kind || al->severity != c->severity ||
	    al->value != c->value || strcmp(al->label, c->label) != 0 ||
	    strcmp(al->channel, c->channel) != 0 || al->drill != c->drill)
		a->changed = true;
	al->drill = c->drill;
	al->kind = c->kind;
	al->severity = c->severity;
	al->value = c->value;
	copy_text(al->label, sizeof al->label, c->label);
	copy_text(al->channel, sizeof al->channel, c->channel);
}

/* The condition c holds now: find or make its alarm and mark it seen. */
static void observe(struct alarms *a, const struct cond *c, int64_t now)
{
	ssize_t s = index_find(a, c->id);
	if (s < 0) {
		s = alloc_slot(a);
		if (s < 0) {
			/* The bound in alarms.h makes this unreachable. */
			log_error("alarms", "no room for alarm %s", c->id);
			return;
		}
		struct alarm *al = &a->slots[s];
		memset(al, 0, sizeof *al);
		al->used = true;
		copy_text(al->id, sizeof al->id, c->id);
		index_insert(a, (size_t)s);
		set_fields(a, al, c);
		start_occurrence(a, al, c, now);
	} else {
		struct alarm *al = &a->slots[s];
		set_fields(a, al, c);
		if (al->state == ALARM_CLEARED)
			start_occurrence(a, al, c, now);
	}
	a->slots[s].gen = a->gen;
}

static void clear_alarm(struct alarms *a, struct alarm *al, int64_t now)
{
	/* The ack belonged to this occurrence: make the broker forget it,
	 * so the next occurrence starts unacked on every board. */
	if (al->had_ack)
		queue(a, "acks", al->id, NULL, true, true);
	log_info("alarms", "%s cleared", al->id);
	al->state = ALARM_CLEARED;
	al->cleared_at = now;
	al->had_ack = false;
	drop_ack(al);
	a->changed = true;
}

static bool escalation_due(const struct alarms *a, const struct alarm *al, int64_t now)
{
	return al->state == ALARM_FIRING && !al->escalated && !a->not_live &&
	       a->opt.escalate_after_s > 0 &&
	       now >= al->loud_since + a->opt.escalate_after_s;
}

/* Time-driven transitions of one alarm after the conditions were seen. */
static void advance(struct alarms *a, size_t s, int64_t now)
{
	struct alarm *al = &a->slots[s];
	if (al->state != ALARM_CLEARED && al->gen != a->gen)
		clear_alarm(a, al, now);
	if (al->state == ALARM_CLEARED) {
		if (now >= al->cleared_at + a->opt.linger_s) {
			index_delete(a, s);
			al->used = false;
			a->changed = true;
		}
		return;
	}
	if (al->state == ALARM_ACKED && al->ack.until && now >= al->ack.until) {
		/* Snooze over and the condition still holds. */
		log_info("alarms", "%s fires again: snooze by %s over", al->id, al->ack.by);
		al->state = ALARM_FIRING;
		al->loud_since = al->ack.until;
		drop_ack(al);
		a->changed = true;
	}
	if (escalation_due(a, al, now)) {
		log_warn("alarms", "%s escalates: unacknowledged since %" PRId64 "%s",
			 al->id, al->loud_since, al->drill ? " (a drill: not published)" : "");
		al->escalated = true;
		if (!al->drill)
			queue_escalation(a, al);
		a->changed = true;
	}
}

/* ---- conditions from the model ---- */

/* An id must be one MQTT topic level that the decoder accepts: no '/',
 * '+', '#' and no control characters. */
static void make_id(char *out, const char *kind, const char *key)
{
	size_t k = strlen(kind);
	size_t n = strnlen(key, ALARM_ID_MAX - 2 - k); /* callers make it fit */
	memcpy(out, kind, k);
	out[k] = ':';
	memcpy(out + k + 1, key, n);
	out[k + 1 + n] = '\0';
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == '+' || *p == '#' ||
		    (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
}

/* "breach:<id>", or for a long complaint id "breach:<prefix>~<hash>": the
 * same on every board, and short enough for the decoder's id limit. */
void alarms_breach_id(char *out, const char *complaint_id)
{
	static const char kind[] = "breach:";
	if (sizeof kind - 1 + strlen(complaint_id) < ALARM_ID_MAX) {
		make_id(out, "breach", complaint_id);
		return;
	}
	char prefix[ALARM_ID_MAX - (sizeof kind - 1) - 9];
	copy_text(prefix, sizeof prefix, complaint_id);
	char key[ALARM_ID_MAX];
	snprintf(key, sizeof key, "%s~%08" PRIx32, prefix, util_fnv1a32_str(complaint_id));
	make_id(out, "breach", key);
}

static void note_deadline(struct alarms *a, int64_t t, int64_t now)
{
	if (t > now && (a->cond_deadline == 0 || t < a->cond_deadline))
		a->cond_deadline = t;
}

/* A crisis with a playbook, on for first_step_within_s, nothing ticked.
 * From the crisis's own since, so every board raises it at once. */
static void derive_no_step(struct alarms *a, const struct msg_crisis *cr, int64_t now)
{
	int within = a->opt.first_step_within_s;
	if (!a->crisis || within <= 0 || !crisis_steps(a->crisis) ||
	    crisis_steps_done(a->crisis))
		return;
	int64_t due = crisis_since(a->crisis) + within;
	if (now < due) {
		note_deadline(a, due, now);
		return;
	}
	struct cond c = {
		.id = "crisis-steps", .channel = "", .kind = ALARM_NO_STEP,
		.severity = ALARM_SEV_HIGH, .value = (int64_t)crisis_steps(a->crisis),
		.started = due, .drill = cr->drill,
	};
	copy_text(c.label, sizeof c.label, "Crisis: no step taken");
	observe(a, &c, now);
}

static void derive_crisis(struct alarms *a, const struct model *m, int64_t now)
{
	const struct msg_crisis *cr = model_crisis(m);
	if (!cr)
		return;
	struct cond c = {
		.id = "crisis", .channel = "", .kind = ALARM_CRISIS,
		.severity = ALARM_SEV_CRITICAL, .value = cr->level,
		.started = cr->since, .drill = cr->drill,
	};
	copy_text(c.label, sizeof c.label, cr->title[0] ? cr->title : "Crisis");
	observe(a, &c, now);
	derive_no_step(a, cr, now);
}

static void derive_breaches(struct alarms *a, const struct model *m, size_t ch,
			    const char *key, const struct channel_stats *st,
			    int64_t now)
{
	size_t max = (size_t)a->opt.flood_threshold + 1;
	size_t n = model_channel_breached(m, ch, now, a->breached, max);
	struct cond c = { .channel = key };
	if (n > (size_t)a->opt.flood_threshold) {
		make_id(c.id, "flood", key);
		c.kind = ALARM_FLOOD;
		c.severity = ALARM_SEV_HIGH;
		c.value = st->breached > n ? st->breached : n;
		snprintf(c.label, sizeof c.label, "%s: %" PRId64 " SLA breaches",
			 key, c.value);
		utf8_trim_tail(c.label);
		observe(a, &c, now);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct complaint *cp = a->breached[i];
		bool vip = cp->priority == PRIORITY_VIP;
		alarms_breach_id(c.id, cp->id);
		c.kind = ALARM_BREACH;
		c.severity = vip ? ALARM_SEV_MEDIUM : ALARM_SEV_LOW;
		c.value = cp->due_at;
		c.started = cp->due_at;
		c.drill = cp->drill;
		snprintf(c.label, sizeof c.label, "%s%s (%s)", vip ? "VIP " : "",
			 cp->customer[0] ? cp->customer : cp->id, key);
		utf8_trim_tail(c.label);
		observe(a, &c, now);
	}
}

static void derive_count(struct alarms *a, const char *key, enum alarm_kind kind,
			 uint32_t count, int max, const char *what, int64_t now)
{
	if (max <= 0 || count <= (uint32_t)max)
		return;
	struct cond c = {
		.channel = key, .kind = kind, .severity = ALARM_SEV_HIGH,
		.value = count,
	};
	make_id(c.id, alarm_kind_name(kind), key);
	snprintf(c.label, sizeof c.label, "%s: %" PRIu32 " %s (max %d)", key,
		 count, what, max);
	utf8_trim_tail(c.label);
	observe(a, &c, now);
}

static void derive_wait(struct alarms *a, const char *key,
			const struct channel_stats *st, int64_t now)
{
	int max = a->opt.channel_max_wait_s;
	if (max <= 0 || st->oldest_waiting_since == 0)
		return;
	int64_t crosses = st->oldest_waiting_since + max + 1; /* wait > max */
	if (now < crosses) {
		note_deadline(a, crosses, now);
		return;
	}
	struct cond c = {
		.channel = key, .kind = ALARM_WAIT, .severity = ALARM_SEV_HIGH,
		.value = st->oldest_waiting_since,
		.started = st->oldest_waiting_since + max,
	};
	make_id(c.id, "wait", key);
	if (max % 60 == 0)
		snprintf(c.label, sizeof c.label, "%s: waiting over %d min", key, max / 60);
	else
		snprintf(c.label, sizeof c.label, "%s: waiting over %d s", key, max);
	utf8_trim_tail(c.label);
	observe(a, &c, now);
}

static void derive_channel(struct alarms *a, const struct model *m, size_t ch,
			   int64_t now)
{
	const char *key = model_channel_key(m, ch);
	struct channel_stats st;
	model_channel_stats(m, ch, now, 0, &st);
	if (!key)
		return;
	/* Skipping the list query for a channel without breaches keeps an
	 * update at O(channels) when all is well. */
	if (st.breached > 0)
		derive_breaches(a, m, ch, key, &st, now);
	derive_count(a, key, ALARM_OPEN, st.open, a->opt.channel_max_open, "open", now);
	derive_count(a, key, ALARM_BREACHED, st.breached,
		     a->opt.channel_max_breached, "breached", now);
	derive_wait(a, key, &st, now);
	note_deadline(a, st.next_due_at, now); /* the next breach */
}

/* "Surge on Instagram: 23 in 10 min, usually 4": the configured name,
 * else the key with a capital. */
static void derive_surges(struct alarms *a, int64_t now)
{
	struct surge_view v;
	for (size_t i = 0; a->surge && surge_get(a->surge, i, &v); i++) {
		if (!v.surging)
			continue;
		const struct channel_conf *cc = a->opt.names ?
			config_channel(a->opt.names, v.channel) : NULL;
		char name[MSG_CHANNEL_MAX];
		copy_text(name, sizeof name, v.channel);
		if (name[0] >= 'a' && name[0] <= 'z')
			name[0] = (char)(name[0] - 'a' + 'A');
		struct cond c = {
			.channel = v.channel, .kind = ALARM_SURGE, .severity = ALARM_SEV_HIGH,
			.value = v.count, .drill = v.drill,
		};
		make_id(c.id, "surge", v.channel);
		char shown[48];
		copy_text(shown, sizeof shown, cc && cc->name[0] ? cc->name : name);
		snprintf(c.label, sizeof c.label, "Surge on %s: %" PRIu32 " in %d min, usually %"
			 PRIu32, shown, v.count, SURGE_WINDOW_MIN, v.usual);
		utf8_trim_tail(c.label);
		observe(a, &c, now);
	}
	if (a->surge)
		note_deadline(a, surge_next_change(a->surge, now), now);
}

/* ---- display order ---- */

static int order_cmp(const void *pa, const void *pb)
{
	const struct alarm *x = *(struct alarm *const *)pa;
	const struct alarm *y = *(struct alarm *const *)pb;
	bool xc = x->state == ALARM_CLEARED, yc = y->state == ALARM_CLEARED;
	if (xc != yc)
		return xc ? 1 : -1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->first_seen != y->first_seen)
		return x->first_seen < y->first_seen ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void rebuild_order(struct alarms *a)
{
	a->n_order = 0;
	for (size_t i = 0; i < a->cap; i++)
		if (a->slots[i].used)
			a->order[a->n_order++] = &a->slots[i];
	qsort(a->order, a->n_order, sizeof a->order[0], order_cmp);
}

/* ---- API ---- */

void alarms_options_from_config(struct alarms_options *o, const struct config *cfg)
{
	*o = (struct alarms_options){
		.prefix = cfg->prefix,
		.board_id = cfg->board_id,
		.snooze_s = cfg->snooze_s,
		.escalate_after_s = cfg->escalate_after_s,
		.flood_threshold = cfg->flood_threshold,
		.channel_max_open = cfg->channel_max_open,
		.channel_max_breached = cfg->channel_max_breached,
		.channel_max_wait_s = cfg->channel_max_wait_s,
		.linger_s = ALARMS_LINGER_S,
		.names = cfg,
		.first_step_within_s = cfg->crisis_first_step_within_s,
	};
}

static int clamp_int(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool copy_options(struct alarms *a, const struct alarms_options *opt)
{
	if (!opt->prefix || strlen(opt->prefix) >= sizeof a->prefix ||
	    !opt->board_id || !opt->board_id[0] ||
	    strlen(opt->board_id) >= sizeof a->board) {
		log_error("alarms", "prefix or board id missing or too long");
		return false;
	}
	strcpy(a->prefix, opt->prefix);
	strcpy(a->board, opt->board_id);
	a->opt = *opt;
	a->opt.prefix = a->prefix;
	a->opt.board_id = a->board;
	a->opt.snooze_s = clamp_int(opt->snooze_s, 0, INT32_MAX);
	a->opt.escalate_after_s = clamp_int(opt->escalate_after_s, 0, INT32_MAX);
	a->opt.flood_threshold = clamp_int(opt->flood_threshold, 0, ALARMS_FLOOD_MAX);
	a->opt.linger_s = clamp_int(opt->linger_s, 0, INT32_MAX);
	a->opt.key = NULL;
	if (opt->key)
		a->key = *opt->key;
	if (a->opt.flood_threshold != opt->flood_threshold)
		log_warn("alarms", "flood_threshold %d taken as %d",
			 opt->flood_threshold, a->opt.flood_threshold);
	return true;
}

struct alarms *alarms_init(const struct alarms_options *opt)
{
	struct alarms *a = calloc(1, sizeof *a);
	if (!a || !copy_options(a, opt)) {
		free(a);
		return NULL;
	}
	/* The bound from alarms.h: crisis + per channel the breach alarms
	 * or one flood alarm, three threshold alarms and a surge; the
	 * crisis's "no step taken" is in the slack. */
	size_t per_ch = (size_t)(a->opt.flood_threshold > 1 ? a->opt.flood_threshold : 1) + 4;
	a->cap = 1 + MODEL_MAX_CHANNELS * per_ch + LINGER_SLACK;
	for (a->hcap = 16; a->hcap < 2 * a->cap; a->hcap *= 2)
		;
	a->slots = calloc(a->cap, sizeof *a->slots);
	a->hash = calloc(a->hcap, sizeof *a->hash);
	a->order = calloc(a->cap, sizeof *a->order);
	a->breached = calloc((size_t)a->opt.flood_threshold + 1, sizeof *a->breached);
	a->held = calloc(ALARMS_HELD_ACKS, sizeof *a->held);
	if (!a->slots || !a->hash || !a->order || !a->breached || !a->held) {
		log_error("alarms", "out of memory");
		alarms_destroy(a);
		return NULL;
	}
	return a;
}

void alarms_destroy(struct alarms *a)
{
	if (!a)
		return;
	free(a->slots);
	free(a->hash);
	free(a->order);
	free(a->breached);
	free(a->held);
	free(a->outbox);
	acksig_key_wipe(&a->key);
	free(a);
}

void alarms_set_live(struct alarms *a, bool live)
{
	a->not_live = !live;
}

uint64_t alarms_acks_refused(const struct alarms *a)
{
	return a->refused;
}

void alarms_set_surge(struct alarms *a, const struct surge *s)
{
	a->surge = s;
}

void alarms_set_crisis(struct alarms *a, const struct crisis *c)
{
	a->crisis = c;
}

bool alarms_update(struct alarms *a, const struct model *m, int64_t now)
{
	a->changed = false;
	a->gen++;
	a->cond_deadline = 0;
	derive_crisis(a, m, now);
	size_t n = model_channel_count(m);
	for (size_t ch = 0; ch < n; ch++)
		derive_channel(a, m, ch, now);
	derive_surges(a, now);
	for (size_t s = 0; s < a->cap; s++)
		if (a->slots[s].used)
			advance(a, s, now);
	held_prune(a, now);
	if (a->changed)
		rebuild_order(a);
	return a->changed;
}

static struct alarm *find_shown(struct alarms *a, const char *id)
{
	ssize_t s = id ? index_find(a, id) : -1;
	if (s < 0 || a->slots[s].state == ALARM_CLEARED)
		return NULL;
	return &a->slots[s];
}

bool alarms_ack(struct alarms *a, const char *id, const char *by, int64_t now)
{
	struct alarm *al = find_shown(a, id);
	if (!al) {
		log_warn("alarms", "ack of %s refused: no such alarm firing", id ? id : "?");
		return false;
	}
	al->state = ALARM_ACKED;
	al->had_ack = true;
	drop_ack(al);
	/* Cut to what the decoder accepts, so other boards take the ack. */
	copy_text(al->ack.by, sizeof al->ack.by, by && by[0] ? by : "?");
	copy_text(al->ack.board, sizeof al->ack.board, a->board);
	al->ack.at = now;
	al->ack.until = a->opt.snooze_s ? now + a->opt.snooze_s : 0;
	log_info("alarms", "%s acknowledged by %s", al->id, al->ack.by);
	queue_ack(a, al);
	return true;
}

bool alarms_apply_ack(struct alarms *a, const struct msg_ack *ack, int64_t now)
{
	if (!ack->alarm[0])
		return false;
	struct ack_rec rec = { .at = ack->at, .until = ack->until };
	copy_text(rec.by, sizeof rec.by, ack->by);
	copy_text(rec.board, sizeof rec.board, ack->board);
	if (a->key.len && !acksig_verify(&a->key, ack)) {
		refuse(a, ack->alarm, rec.by, ack->sig[0] ? "signature does not verify"
							   : "unsigned");
		return false;
	}
	struct alarm *al = find_shown(a, ack->alarm);
	if (!al) {
		/* Not shown (yet, or cleared here first): it may appear. */
		if ((!rec.until || rec.until > now) && ack_fresh(a, NULL, &rec, now))
			held_put(a, ack->alarm, &rec);
		return false;
	}
	a->changed = false;
	apply_rec(a, al, &rec, now);
	return a->changed;
}

bool alarms_remove_ack(struct alarms *a, const char *alarm_id, int64_t now)
{
	struct held_ack *h = held_find(a, alarm_id);
	if (h)
		h->used = false;
	struct alarm *al = find_shown(a, alarm_id);
	if (!al)
		return false;
	al->had_ack = false; /* the broker holds nothing any more */
	if (al->state != ALARM_ACKED)
		return false;
	log_info("alarms", "%s: ack withdrawn, firing again", al->id);
	al->state = ALARM_FIRING;
	al->loud_since = now;
	drop_ack(al);
	return true;
}

size_t alarms_count(const struct alarms *a)
{
	return a->n_order;
}

static void fill_view(const struct alarm *al, struct alarm_view *out)
{
	bool acked = al->state == ALARM_ACKED;
	*out = (struct alarm_view){
		.id = al->id, .kind = al->kind, .severity = al->severity,
		.state = al->state, .channel = al->channel, .label = al->label,
		.value = al->value, .first_seen = al->first_seen,
		.escalated = al->escalated, .drill = al->drill,
		.acked_by = acked ? al->ack.by : "",
		.acked_board = acked ? al->ack.board : "",
		.acked_at = acked ? al->ack.at : 0,
		.acked_until = acked ? al->ack.until : 0,
	};
}

bool alarms_get(const struct alarms *a, size_t idx, struct alarm_view *out)
{
	if (idx >= a->n_order)
		return false;
	fill_view(a->order[idx], out);
	return true;
}

bool alarms_find(const struct alarms *a, const char *id, struct alarm_view *out)
{
	ssize_t s = id ? index_find(a, id) : -1;
	if (s < 0)
		return false;
	fill_view(&a->slots[s], out);
	return true;
}

bool alarms_any_firing(const struct alarms *a)
{
	for (size_t i = 0; i < a->n_order; i++)
		if (a->order[i]->state == ALARM_FIRING)
			return true;
	return false;
}

static void earliest(int64_t *best, int64_t t)
{
	if (t > 0 && (*best == 0 || t < *best))
		*best = t;
}

int64_t alarms_next_deadline(const struct alarms *a, int64_t now)
{
	int64_t best = 0;
	for (size_t i = 0; i < a->n_order; i++) {
		const struct alarm *al = a->order[i];
		if (al->state == ALARM_ACKED)
			earliest(&best, al->ack.until);
		else if (al->state == ALARM_CLEARED)
			earliest(&best, al->cleared_at + a->opt.linger_s);
		else if (!al->escalated && a->opt.escalate_after_s > 0 && !a->not_live)
			earliest(&best, al->loud_since + a->opt.escalate_after_s);
	}
	earliest(&best, a->cond_deadline);
	/* Already due (no update since): due now, not in the past. */
	return best && best < now ? now : best;
}
