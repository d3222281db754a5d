/* sim.c - wallboard-sim: publishes realistic support traffic to a broker.
 *
 * Complaints in Hebrew, Persian and English arrive on six channels, each
 * with an SLA timer; agents answer them (some too late: breaches), then
 * resolve them; some timers pause for Shabbat or outside business hours;
 * now and then a crisis is declared and later cleared. All state is
 * retained (QoS 1) under the contract v1 topics, so a board that starts
 * later sees the same picture.
 *
 * It also keeps the producer status of contract v1.1: a retained
 * `<prefix>/producers/<name>/status` with a heartbeat every --status-every
 * seconds, the numbers of complaints and timers it holds retained (sent
 * again when they moved by more than 1 %), and a last will that says it
 * went offline.
 *
 * A short-lived tool, so libmosquitto's own loop thread is good enough
 * here (the board does not use it, see mqtt.c). Every choice comes from
 * one seeded generator: the same --seed gives the same complaints. */
#include "log.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <mosquitto.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TAG "sim"
#define ACK_WAIT_MS   10000   /* at exit, for the broker's PUBACKs */
#define CLEAR_WAIT_MS 10000
#define TOPIC_MAX     256

/* ---- the world ----------------------------------------------------- */

enum lang { HE, FA, EN, N_LANG };
enum status { OPEN, PENDING, ANSWERED };

struct channel {
	const char *name;
	const char *tag;         /* complaint id prefix */
	int target_s;            /* first response SLA */
	unsigned weight;
};

static const struct channel chans[] = {
	{ "facebook", "fb", 3600, 25 },
	{ "instagram", "ig", 3600, 15 },
	{ "x", "x", 1800, 10 },
	{ "whatsapp", "wa", 1800, 25 },
	{ "webchat", "wc", 900, 15 },
	{ "email", "em", 86400, 10 },
};
#define N_CHANS (sizeof chans / sizeof chans[0])

/* {n}: an order number in ASCII digits; {p}: the same in Persian digits. */
static const char *const texts[N_LANG][8] = {
	[HE] = {
		"ההזמנה {n} עדיין לא הגיעה, הבטחתם משלוח תוך 3 ימי עסקים",
		"חויבתי פעמיים על אותה הזמנה, ₪249.90 בכל חיוב",
		"המטען של ה-iPhone 15 שקניתי אצלכם הפסיק לעבוד אחרי שבוע",
		"אני מחכה כבר 40 דקות בצ'אט ואף אחד לא עונה",
		"קיבלתי Galaxy S23 בצבע הלא נכון, הזמנה מספר {n}",
		"הטכנאי לא הגיע בין 10:00 ל-14:00 כמו שסיכמנו",
		"האפליקציה נסגרת כל פעם שאני מנסה לשלם עם PayPal",
		"ביטלתי את המנוי לפני חודש ועדיין יורד לי ₪39 מהכרטיס",
	},
	[FA] = {
		"سفارش {p} من هنوز نرسیده، گفته بودید سه روزه می‌رسد",
		"دو بار از کارتم پول کم شده، هر بار 1,250,000 تومان",
		"شارژر iPhone 15 که از شما خریدم بعد از یک هفته خراب شد",
		"می‌خواهم سفارشم را لغو کنم ولی کسی جواب نمی‌دهد",
		"پیک گفت بسته تحویل شده ولی من چیزی دریافت نکرده‌ام، کد رهگیری {n}",
		"کد تخفیف SALE20 در سبد خرید کار نمی‌کند",
		"گوشی Galaxy A54 با صفحه‌ی شکسته به دستم رسید",
		"یک ساعت است در چت منتظرم و هیچ پاسخی نگرفته‌ام",
	},
	[EN] = {
		"Order #{n} still hasn't arrived, you promised delivery in 3 days",
		"I was charged twice for the same order, $89.99 each time",
		"The USB-C charger for my iPhone 15 died after one week",
		"Waiting 40 minutes on your chat and nobody answers",
		"Got a Pixel 8 in the wrong colour, order {n}",
		"The technician never showed up between 10:00 and 14:00",
		"Your app crashes every time I try to pay with PayPal",
		"Cancelled my subscription last month and you still charged me $12",
	},
};

static const char *const customers[N_LANG][6] = {
	[HE] = { "משה כהן", "רונית אברהם", "יעל מזרחי", "אבי פרץ", "שירה ביטון",
		 "@dan_levi" },
	[FA] = { "سارا محمدی", "رضا کریمی", "نیلوفر حسینی", "مهدی یزدانی",
		 "کیان رستمی", "@negar.k" },
	[EN] = { "John Miller", "Emily Carter", "Priya Shah", "Tom O'Brien",
		 "Grace Kim", "@mike_t" },
};

static const char *const agents[] = {
	"נועה", "דנה לוי", "Lior B.", "مریم", "علی رضایی", "Sam Parker",
	"Yossi K.", "نگار",
};
#define N_AGENTS (sizeof agents / sizeof agents[0])

static const char *const pause_reasons[] = { "Shabbat", "outside business hours" };

struct contact {
	const char *role, *name, *phone;
};

struct crisis_text {
	const char *title, *message;
	const char *playbook[4];
	struct contact contacts[3];
};

static const struct crisis_text crises[N_LANG] = {
	[HE] = { "חיוב כפול בכרטיסי אשראי",
		 "מאז 08:00 מאות לקוחות מדווחים ברשתות שחויבו פעמיים. לא מוחקים "
		 "תגובות, עונים לכל פונה.",
		 { "לעצור את כל הפוסטים המתוזמנים", "לענות בערוץ שבו הלקוח פנה",
		   "להעביר לשיחה פרטית (DM או WhatsApp)", "להתקשר לרשימת ההסלמה" },
		 { { "מנהלת משמרת", "דנה לוי", "+972-50-555-0142" },
		   { "דוברות", "Avi Cohen", "+972-52-555-0199" },
		   { "IT כונן", "Yossi K.", "+972-54-555-0107" } } },
	[FA] = { "اختلال در ارسال سفارش‌ها",
		 "از صبح صدها مشتری در اینستاگرام درباره‌ی تأخیر ارسال نوشته‌اند. "
		 "نظرها را پاک نکنید و به همه پاسخ دهید.",
		 { "پست‌های زمان‌بندی‌شده را متوقف کنید",
		   "در همان کانالی که مشتری نوشته پاسخ دهید",
		   "گفتگو را به پیام خصوصی منتقل کنید",
		   "با فهرست تماس اضطراری تماس بگیرید" },
		 { { "مدیر شیفت", "مریم احمدی", "+98-912-555-0131" },
		   { "روابط عمومی", "Kian R.", "+98-935-555-0177" },
		   { "پشتیبانی فنی", "علی رضایی", "+98-901-555-0110" } } },
	[EN] = { "Checkout outage: double charges",
		 "Since 08:00 hundreds of customers report double charges on X and "
		 "Facebook. Do not delete comments; answer every one.",
		 { "Pause all scheduled posts", "Answer on the channel the customer used",
		   "Move the conversation to private (DM or WhatsApp)",
		   "Call the escalation list" },
		 { { "Shift lead", "Dana Levi", "+1-555-0142" },
		   { "Press office", "Avi Cohen", "+1-555-0199" },
		   { "IT on call", "Yossi K.", "+1-555-0107" } } },
};

struct complaint {
	char id[24];
	char text[512];
	int channel, lang, customer;
	int agent;               /* -1: unassigned */
	int priority;            /* 0 normal, 1 high, 2 vip */
	enum status status;
	int64_t opened_at, target_s, due_at, responded_at;
	int64_t answer_at, resolve_at;   /* when the sim will do it */
	bool paused;
	int pause_reason;
	int64_t paused_at, resume_at;
};

enum crisis_cmd { CRISIS_CMD_NONE, CRISIS_CMD_NOW, CRISIS_CMD_OFF };

struct opts {
	char host[256];
	int port;
	const char *prefix;
	uint64_t seed;
	bool seed_set;
	double rate;             /* events per second */
	long open;               /* target number of open complaints */
	double duration;         /* seconds; < 0: forever */
	long crisis_every;       /* seconds; 0: never */
	enum crisis_cmd crisis;
	double scale;            /* durations are divided by this */
	bool clear;
	unsigned lang_w[N_LANG];
	bool verbose;
	const char *name;        /* producer name in the status topic */
	long status_every;       /* heartbeat seconds; 0: no producer status */
	bool drill;              /* every complaint and crisis is a drill */
	struct burst {           /* --burst CHANNEL:N[:S] */
		int channel;
		long n, span_s;
	} bursts[4];
	size_t n_bursts;
};

struct sim {
	struct opts o;
	struct mosquitto *m;
	uint64_t rng;
	struct complaint *c;
	size_t n, cap;
	unsigned next_id;
	bool crisis_on;
	int64_t crisis_until, next_crisis;
	char status_topic[TOPIC_MAX];
	size_t announced;            /* count in the last status */
	int64_t next_status_ms;      /* monotonic */

	/* Shared with libmosquitto's thread. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long sent, acked;   /* QoS 1 publishes and their PUBACKs */
	bool clearing, clear_done;
	int clear_mid;
	unsigned long cleared;
	char marker[TOPIC_MAX];
};

static volatile sig_atomic_t stop_flag;

/* ---- helpers ------------------------------------------------------- */

/* The same sequence everywhere for a --seed. */
static unsigned rnd(struct sim *s, unsigned n)
{
	return n ? (unsigned)(util_xorshift64(&s->rng) % n) : 0;
}

static bool chance(struct sim *s, unsigned percent)
{
	return rnd(s, 100) < percent;
}

static unsigned pick_weighted(struct sim *s, const unsigned *w, unsigned n)
{
	unsigned sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += w[i];
	unsigned r = rnd(s, sum);
	for (unsigned i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

/* A duration of the simulated world, compressed by --time-scale. */
static int64_t scaled(const struct sim *s, int64_t seconds)
{
	int64_t v = (int64_t)((double)seconds / s->o.scale);
	return v < 1 ? 1 : v;
}

/* RFC 3339 at the given UTC offset (seconds east). */
static void fmt_time(char *buf, size_t len, int64_t t, int off)
{
	time_t lt = (time_t)(t + off);
	struct tm tm;
	gmtime_r(&lt, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (off == 0)
		snprintf(buf + n, len - n, "Z");
	else
		snprintf(buf + n, len - n, "+%02d:%02d", off / 3600, off % 3600 / 60);
}

/* Both forms are legal: mostly RFC 3339 (UTC, Israel or Iran offset),
 * sometimes integer epoch seconds. */
static void add_time(struct sim *s, cJSON *o, const char *name, int64_t t)
{
	unsigned r = rnd(s, 100);
	if (r < 15) {
		cJSON_AddNumberToObject(o, name, (double)t);
		return;
	}
	char buf[40];
	fmt_time(buf, sizeof buf, t, r < 25 ? 7200 : r < 30 ? 12600 : 0);
	cJSON_AddStringToObject(o, name, buf);
}

/* ---- publishing ---------------------------------------------------- */

static bool publish(struct sim *s, const char *topic, const char *payload,
		    bool retain)
{
	int len = payload ? (int)strlen(payload) : 0;
	int rc = mosquitto_publish(s->m, NULL, topic, len, payload, 1, retain);
	/* NO_CONN: queued by libmosquitto, sent after the reconnect. */
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
		log_warn(TAG, "publish to %s failed: %s", topic,
			 mosquitto_strerror(rc));
		return false;
	}
	pthread_mutex_lock(&s->lock);
	s->sent++;
	pthread_mutex_unlock(&s->lock);
	return true;
}

/* Publishes and frees the tree. */
static void publish_tree(struct sim *s, const char *topic, cJSON *o,
			 bool retain)
{
	char *txt = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!txt) {
		log_error(TAG, "out of memory building %s", topic);
		return;
	}
	publish(s, topic, txt, retain);
	cJSON_free(txt);
}

static void topic_for(const struct sim *s, char *buf, const char *kind,
		      const char *id)
{
	snprintf(buf, TOPIC_MAX, "%s/%s/%s", s->o.prefix, kind, id);
}

static void publish_complaint(struct sim *s, const struct complaint *c)
{
	static const char *const prio[] = { "normal", "high", "vip" };
	static const char *const st[] = { "open", "pending", "answered" };
	char topic[TOPIC_MAX];
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "id", c->id);
		cJSON_AddStringToObject(o, "channel", chans[c->channel].name);
		cJSON_AddStringToObject(o, "customer",
					customers[c->lang][c->customer]);
		cJSON_AddStringToObject(o, "text", c->text);
		add_time(s, o, "opened_at", c->opened_at);
		cJSON_AddStringToObject(o, "priority", prio[c->priority]);
		cJSON_AddStringToObject(o, "assignee",
					c->agent < 0 ? "" : agents[c->agent]);
		cJSON_AddStringToObject(o, "status", st[c->status]);
		/* two in five are comments under a post; from the id, so the
		 * random sequence (and --seed's complaints) stay as they were */
		cJSON_AddStringToObject(o, "visibility", util_fnv1a_str(c->id) % 5 < 2 ?
					"public" : "private");
		if (s->o.drill)
			cJSON_AddBoolToObject(o, "drill", true);
	}
	topic_for(s, topic, "complaints", c->id);
	publish_tree(s, topic, o, true);
}

static void publish_sla(struct sim *s, const struct complaint *c)
{
	char topic[TOPIC_MAX];
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "id", c->id);
		cJSON_AddNumberToObject(o, "target_s", (double)c->target_s);
		add_time(s, o, "due_at", c->due_at);
		cJSON_AddBoolToObject(o, "paused", c->paused);
		if (c->paused)
			cJSON_AddStringToObject(o, "paused_reason",
						pause_reasons[c->pause_reason]);
		if (c->responded_at)
			add_time(s, o, "responded_at", c->responded_at);
		else
			cJSON_AddNullToObject(o, "responded_at");
	}
	topic_for(s, topic, "sla", c->id);
	publish_tree(s, topic, o, true);
}

/* ---- producer status (contract v1.1) ------------------------------- */

/* Every complaint the sim holds has its timer: open = sla = n. */
static void status_publish(struct sim *s, bool online)
{
	if (!s->o.status_every)
		return;
	char buf[256], at[40];
	fmt_time(at, sizeof at, wall_now(), 0);
	snprintf(buf, sizeof buf, "{\"online\":%s,\"interval_s\":%ld,\"at\":\"%s\","
		 "\"open\":%zu,\"sla\":%zu}", online ? "true" : "false",
		 s->o.status_every, at, s->n, s->n);
	publish(s, s->status_topic, buf, true);
	s->announced = s->n;
	s->next_status_ms = util_mono_ms() + s->o.status_every * 1000;
}

/* Every interval, and when the counts moved by more than 1 %. */
static void status_tick(struct sim *s)
{
	size_t a = s->announced, n = s->n;
	size_t diff = n > a ? n - a : a - n;
	if (s->o.status_every && (util_mono_ms() >= s->next_status_ms || diff * 100 > a))
		status_publish(s, true);
}

/* ---- complaints ---------------------------------------------------- */

static void expand_text(struct sim *s, struct complaint *c)
{
	const char *t = texts[c->lang][rnd(s, 8)];
	char num[16];
	snprintf(num, sizeof num, "%u", 10000 + rnd(s, 90000));
	size_t o = 0;
	/* room for the longest template plus 5 two-byte Persian digits */
	for (const char *p = t; *p && o + 16 < sizeof c->text; p++) {
		if (p[0] == '{' && (p[1] == 'n' || p[1] == 'p') && p[2] == '}') {
			for (const char *d = num; *d; d++) {
				if (p[1] == 'n') {
					c->text[o++] = *d;
				} else {   /* U+06F0 EXTENDED ARABIC-INDIC ZERO + d */
					c->text[o++] = (char)0xDB;
					c->text[o++] = (char)(0xB0 + (*d - '0'));
				}
			}
			p += 2;
			continue;
		}
		c->text[o++] = *p;
	}
	c->text[o] = '\0';
}

static struct complaint *complaint_add(struct sim *s)
{
	if (!UTIL_ARRAY_ROOM(s->c, s->n, s->cap, 64, SIZE_MAX)) {
		log_error(TAG, "out of memory");
		return NULL;
	}
	struct complaint *c = &s->c[s->n++];
	memset(c, 0, sizeof *c);
	return c;
}

static void start_pause(struct sim *s, struct complaint *c, int64_t now)
{
	c->paused = true;
	c->pause_reason = (int)rnd(s, 2);
	c->paused_at = now;
	c->resume_at = now + scaled(s, 600 + rnd(s, 3000));
}

/* Most answers come within 0.3 to 1.6 targets (some late: breaches);
 * one complaint in seven is neglected for 2 to 4 targets. A backlog
 * complaint was opened up to 2 targets ago, so some are breached already,
 * and may have been answered already. */
static void new_complaint_at(struct sim *s, int64_t now, bool backlog, int channel,
			     int64_t opened_at);

static void new_complaint(struct sim *s, int64_t now, bool backlog)
{
	new_complaint_at(s, now, backlog, -1, 0);
}

/* channel -1: a random one; opened_at 0: now (or the backlog's past). */
static void new_complaint_at(struct sim *s, int64_t now, bool backlog, int channel,
			     int64_t opened_at)
{
	unsigned cw[N_CHANS];
	for (size_t i = 0; i < N_CHANS; i++)
		cw[i] = chans[i].weight;
	struct complaint *c = complaint_add(s);
	if (!c)
		return;
	c->lang = (int)pick_weighted(s, s->o.lang_w, N_LANG);
	c->channel = channel >= 0 ? channel : (int)pick_weighted(s, cw, N_CHANS);
	snprintf(c->id, sizeof c->id, "%s-%u", chans[c->channel].tag, s->next_id++);
	c->customer = (int)rnd(s, 6);
	expand_text(s, c);
	unsigned r = rnd(s, 100);
	c->priority = r < 80 ? 0 : r < 95 ? 1 : 2;
	c->target_s = scaled(s, chans[c->channel].target_s / (c->priority == 2 ? 2 : 1));
	c->opened_at = backlog ? now - (int64_t)rnd(s, (unsigned)(c->target_s * 2 + 1)) : now;
	if (opened_at)
		c->opened_at = opened_at;
	c->due_at = c->opened_at + c->target_s;
	unsigned late = chance(s, 15) ? 200 + rnd(s, 200) : 30 + rnd(s, 130);
	c->answer_at = c->opened_at + c->target_s * late / 100;
	c->resolve_at = c->answer_at + scaled(s, 300 + rnd(s, 3300));
	c->agent = chance(s, 70) ? (int)rnd(s, N_AGENTS) : -1;
	c->status = c->agent >= 0 && chance(s, 30) ? PENDING : OPEN;
	if (backlog && c->answer_at <= now) {
		c->status = ANSWERED;
		c->responded_at = c->answer_at;
	} else if (chance(s, 8)) {
		start_pause(s, c, now);
	}
	publish_complaint(s, c);
	publish_sla(s, c);
	log_debug(TAG, "new %s (%s, due in %+llds)", c->id, chans[c->channel].name,
		  (long long)(c->due_at - now));
}

static void answer(struct sim *s, struct complaint *c, int64_t now)
{
	c->status = ANSWERED;
	c->responded_at = now;
	if (c->agent < 0)
		c->agent = (int)rnd(s, N_AGENTS);
	publish_complaint(s, c);
	publish_sla(s, c);
	log_debug(TAG, "answered %s (%s)", c->id,
		  now > c->due_at ? "late" : "in time");
}

/* Resolved: the status, then empty retained payloads that remove both
 * topics from the broker. */
static void resolve(struct sim *s, size_t i)
{
	struct complaint *c = &s->c[i];
	char topic[TOPIC_MAX];
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "id", c->id);
		cJSON_AddStringToObject(o, "status", "resolved");
	}
	topic_for(s, topic, "complaints", c->id);
	publish_tree(s, topic, o, false);
	publish(s, topic, NULL, true);
	topic_for(s, topic, "sla", c->id);
	publish(s, topic, NULL, true);
	log_debug(TAG, "resolved %s", c->id);
	s->c[i] = s->c[--s->n];
}

static void resume(struct sim *s, struct complaint *c, int64_t now)
{
	int64_t paused_for = now - c->paused_at;
	c->paused = false;
	c->due_at += paused_for;      /* a paused clock does not run */
	c->answer_at += paused_for;
	publish_sla(s, c);
	log_debug(TAG, "resumed %s", c->id);
}

/* Reassign, escalate or take into work: one visible change. */
static void touch(struct sim *s, struct complaint *c)
{
	unsigned r = rnd(s, 100);
	if (r < 15 && c->priority < 2) {
		c->priority++;
		log_debug(TAG, "escalated %s", c->id);
	} else if (r < 40 && c->status == OPEN) {
		c->status = PENDING;
		log_debug(TAG, "%s in work", c->id);
	} else {
		c->agent = (int)rnd(s, N_AGENTS);
		log_debug(TAG, "reassigned %s to %s", c->id, agents[c->agent]);
	}
	publish_complaint(s, c);
}

/* The first thing that is due: a resume, an answer, a resolution. */
static bool due_action(struct sim *s, int64_t now)
{
	for (size_t i = 0; i < s->n; i++) {
		struct complaint *c = &s->c[i];
		if (c->paused) {
			if (c->resume_at <= now) {
				resume(s, c, now);
				return true;
			}
		} else if (c->status != ANSWERED && c->answer_at <= now) {
			answer(s, c, now);
			return true;
		} else if (c->status == ANSWERED && c->resolve_at <= now) {
			resolve(s, i);
			return true;
		}
	}
	return false;
}

/* Keeps about --open complaints open; otherwise pauses or touches one. */
static void random_action(struct sim *s, int64_t now)
{
	size_t want = (size_t)s->o.open;
	if (s->n < want ? chance(s, 70) : s->n < want + want / 4 && chance(s, 10)) {
		new_complaint(s, now, false);
		return;
	}
	if (s->n == 0)
		return;
	struct complaint *c = &s->c[rnd(s, (unsigned)s->n)];
	if (!c->paused && c->status != ANSWERED && chance(s, 15)) {
		start_pause(s, c, now);
		publish_sla(s, c);
		log_debug(TAG, "paused %s (%s)", c->id,
			  pause_reasons[c->pause_reason]);
		return;
	}
	touch(s, c);
}

/* ---- crisis -------------------------------------------------------- */

static cJSON *crisis_json(struct sim *s, int64_t now)
{
	const struct crisis_text *t = &crises[pick_weighted(s, s->o.lang_w, N_LANG)];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddBoolToObject(o, "active", true);
	cJSON_AddNumberToObject(o, "level", 1 + rnd(s, 3));
	cJSON_AddStringToObject(o, "title", t->title);
	cJSON_AddStringToObject(o, "message", t->message);
	add_time(s, o, "since", now);
	if (s->o.drill)
		cJSON_AddBoolToObject(o, "drill", true);
	cJSON *pb = cJSON_AddArrayToObject(o, "playbook");
	for (int i = 0; pb && i < 4; i++)
		cJSON_AddItemToArray(pb, cJSON_CreateString(t->playbook[i]));
	cJSON *cs = cJSON_AddArrayToObject(o, "contacts");
	for (int i = 0; cs && i < 3; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "role", t->contacts[i].role);
		cJSON_AddStringToObject(c, "name", t->contacts[i].name);
		cJSON_AddStringToObject(c, "phone", t->contacts[i].phone);
		cJSON_AddItemToArray(cs, c);
	}
	return o;
}

static void crisis_start(struct sim *s, int64_t now)
{
	char topic[TOPIC_MAX];
	snprintf(topic, sizeof topic, "%s/crisis", s->o.prefix);
	publish_tree(s, topic, crisis_json(s, now), true);
	long every = s->o.crisis_every;
	s->crisis_on = true;
	s->crisis_until = now + (every > 0 ? every / 4 + rnd(s, (unsigned)every / 4 + 1)
					   : 120 + rnd(s, 180));
	log_info(TAG, "crisis declared until %+llds",
		 (long long)(s->crisis_until - now));
}

/* Either form clears it: active false, or an empty retained payload. */
static void crisis_clear(struct sim *s)
{
	char topic[TOPIC_MAX];
	snprintf(topic, sizeof topic, "%s/crisis", s->o.prefix);
	if (chance(s, 50))
		publish(s, topic, "{\"active\":false}", true);
	else
		publish(s, topic, NULL, true);
	s->crisis_on = false;
	log_info(TAG, "crisis cleared");
}

static void crisis_tick(struct sim *s, int64_t now)
{
	if (s->crisis_on && now >= s->crisis_until) {
		crisis_clear(s);
	} else if (!s->crisis_on && s->o.crisis_every > 0 && now >= s->next_crisis) {
		s->next_crisis = now + s->o.crisis_every;
		crisis_start(s, now);
	}
}

/* ---- broker callbacks (libmosquitto's thread) ---------------------- */

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
	struct sim *s = obj;
	(void)m;
	(void)mid;
	pthread_mutex_lock(&s->lock);
	s->acked++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc)
{
	(void)m;
	(void)obj;
	if (rc != 0)
		log_warn(TAG, "connection lost (%s); reconnecting",
			 mosquitto_strerror(rc));
}

/* --clear: every retained complaint, SLA and crisis that arrives is
 * overwritten with an empty retained payload; our own marker, published
 * after the SUBACK, arrives behind the retained ones and ends it. */
static void on_message(struct mosquitto *m, void *obj,
		       const struct mosquitto_message *msg)
{
	struct sim *s = obj;
	(void)m;
	if (!s->clearing)
		return;
	if (strcmp(msg->topic, s->marker) == 0) {
		pthread_mutex_lock(&s->lock);
		s->clear_done = true;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	} else if (msg->retain && msg->payloadlen > 0) {
		publish(s, msg->topic, NULL, true);
		s->cleared++;
	}
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n,
			 const int *granted)
{
	struct sim *s = obj;
	(void)m;
	(void)n;
	(void)granted;
	if (s->clearing && mid == s->clear_mid)
		publish(s, s->marker, "done", false);
}

/* Waits until *flag (or acked == sent when flag is NULL), at most ms. */
static bool wait_for(struct sim *s, const bool *flag, int64_t ms)
{
	struct timespec until = util_deadline_ms(ms);
	bool done;
	pthread_mutex_lock(&s->lock);
	while (!(done = flag ? *flag : s->acked >= s->sent) &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&s->lock);
	return done;
}

static bool clear_retained(struct sim *s)
{
	char t[3][TOPIC_MAX];
	snprintf(t[0], TOPIC_MAX, "%s/complaints/+", s->o.prefix);
	snprintf(t[1], TOPIC_MAX, "%s/sla/+", s->o.prefix);
	snprintf(t[2], TOPIC_MAX, "%s/crisis", s->o.prefix);
	snprintf(s->marker, sizeof s->marker, "%s/sim/%d/clear", s->o.prefix,
		 (int)getpid());
	char *subs[4] = { t[0], t[1], t[2], s->marker };
	s->clearing = true;
	int rc = mosquitto_subscribe_multiple(s->m, &s->clear_mid, 4, subs, 0,
					      0, NULL);
	bool ok = rc == MOSQ_ERR_SUCCESS &&
		  wait_for(s, &s->clear_done, CLEAR_WAIT_MS);
	mosquitto_unsubscribe_multiple(s->m, NULL, 4, subs, NULL);
	s->clearing = false;
	if (ok)
		log_info(TAG, "cleared %lu retained topics", s->cleared);
	else
		log_error(TAG, "--clear did not complete");
	return ok;
}

/* ---- running ------------------------------------------------------- */

static void backlog(struct sim *s)
{
	int64_t now = wall_now();
	for (long i = 0; i < s->o.open && !stop_flag; i++)
		new_complaint(s, now, true);
	log_info(TAG, "backlog: %zu open complaints published", s->n);
	status_publish(s, true);
	if (s->o.crisis == CRISIS_CMD_NOW)
		crisis_start(s, now);
	else if (s->o.crisis == CRISIS_CMD_OFF)
		crisis_clear(s);
	if (s->o.crisis_every > 0)
		s->next_crisis = now + s->o.crisis_every;
	/* A surge: N new complaints on one channel, opened evenly over the
	 * last S seconds (the last one now). */
	for (size_t b = 0; b < s->o.n_bursts && !stop_flag; b++) {
		const struct burst *u = &s->o.bursts[b];
		for (long i = 0; i < u->n; i++)
			new_complaint_at(s, now, false, u->channel,
					 now - u->span_s + u->span_s * (i + 1) / u->n);
		log_info(TAG, "burst: %ld new complaints on %s over %ld s", u->n,
			 chans[u->channel].name, u->span_s);
	}
}

static int64_t ts_ms(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

/* One event every 1/rate s (absolute deadlines: no drift) until the
 * duration is over or a signal came. */
static void run(struct sim *s)
{
	int64_t period_ms = (int64_t)(1000.0 / s->o.rate);
	int64_t end = s->o.duration < 0 ? -1
					: util_mono_ms() + (int64_t)(s->o.duration * 1000);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	/* The first event one period after the backlog, not at once: the
	 * status just announced stays exact until then. */
	util_timespec_add_ms(&next, period_ms < 1 ? 1 : period_ms);
	while (!stop_flag && (end < 0 || util_mono_ms() < end)) {
		int64_t now = wall_now();
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec > next.tv_sec || (t.tv_sec == next.tv_sec && t.tv_nsec >= next.tv_nsec)) {
			crisis_tick(s, now);
			if (!due_action(s, now))
				random_action(s, now);
			util_timespec_add_ms(&next, period_ms < 1 ? 1 : period_ms);
		}
		status_tick(s);
		/* Sleep until the next event, heartbeat or the end. */
		struct timespec wake = next;
		int64_t first = ts_ms(&next);
		if (s->o.status_every && s->next_status_ms < first)
			first = s->next_status_ms;
		if (end >= 0 && end < first)
			first = end;
		if (first < ts_ms(&next)) {
			clock_gettime(CLOCK_MONOTONIC, &wake);
			util_timespec_add_ms(&wake, first - util_mono_ms() > 0 ? first - util_mono_ms() : 0);
		}
		/* EINTR (a signal) ends the sleep early: the loop checks. */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
		if (util_mono_ms() - ts_ms(&next) > 1000)
			clock_gettime(CLOCK_MONOTONIC, &next);   /* we were suspended */
	}
}

/* ---- options ------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: wallboard-sim [options]\n"
	      "Publishes simulated complaints, SLA timers and crises (contract v1).\n"
	      "  --broker HOST[:PORT]  broker (default 127.0.0.1:1883; [v6addr]:PORT)\n"
	      "  --prefix P            topic prefix (default wallboard)\n"
	      "  --seed N              same seed, same complaints (default: random,\n"
	      "                        printed at start)\n"
	      "  --rate R              events per second (default 2)\n"
	      "  --open N              open complaints to keep; published first as a\n"
	      "                        backlog opened in the past (default 40)\n"
	      "  --duration S          stop after S seconds (default: run until\n"
	      "                        SIGINT/SIGTERM); 0: publish the backlog, exit\n"
	      "  --crisis-every S      declare a crisis every S seconds, lasting S/4\n"
	      "                        to S/2 (default 300; 0: never)\n"
	      "  --crisis now|off      declare or clear a crisis right away\n"
	      "  --time-scale X        divide SLA targets and answer, resolve and\n"
	      "                        pause times by X, for demos (default 1)\n"
	      "  --clear               first remove every retained complaint, SLA\n"
	      "                        and crisis under the prefix\n"
	      "  --lang-mix H,F,E      weights of Hebrew, Persian, English (1,1,1)\n"
	      "  --name N              producer name: publishes the retained status\n"
	      "                        <prefix>/producers/N/status (default sim)\n"
	      "  --status-every S      producer heartbeat seconds (default 30;\n"
	      "                        0: no producer status at all)\n"
	      "  --drill               a practice run: every complaint and crisis\n"
	      "                        says \"drill\": true\n"
	      "  --burst CHANNEL:N[:S] a surge: N new complaints on CHANNEL opened\n"
	      "                        over the last S seconds (default 60), after\n"
	      "                        the backlog; up to 4 times\n"
	      "  --verbose             log every event\n"
	      "  --help                this text\n"
	      "Exit status: 0 done, 1 broker error or unacknowledged messages,\n"
	      "2 bad usage.\n", f);
}

static bool parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

static bool parse_broker(const char *arg, struct opts *o)
{
	const char *colon = NULL, *host = arg;
	size_t len;
	if (arg[0] == '[') {      /* [v6]:port */
		const char *close = strchr(arg, ']');
		if (!close || (close[1] && close[1] != ':'))
			return false;
		host = arg + 1;
		len = (size_t)(close - host);
		colon = close[1] ? close + 1 : NULL;
	} else {
		colon = strrchr(arg, ':');
		len = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	if (len == 0 || len >= sizeof o->host)
		return false;
	memcpy(o->host, host, len);
	o->host[len] = '\0';
	double port = 1883;
	if (colon && !parse_num(colon + 1, 1, 65535, &port))
		return false;
	o->port = (int)port;
	return port == (int)port;
}

static bool parse_lang_mix(const char *arg, unsigned w[N_LANG])
{
	unsigned sum = 0;
	const char *p = arg;
	for (int i = 0; i < N_LANG; i++) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (errno || end == p || v > 1000 || *p == '-' ||
		    *end != (i < N_LANG - 1 ? ',' : '\0'))
			return false;
		w[i] = (unsigned)v;
		sum += w[i];
		p = end + 1;
	}
	return sum > 0;
}

static bool parse_long(const char *arg, double max, long *out)
{
	double v;
	if (!parse_num(arg, 0, max, &v) || v != (double)(long)v)
		return false;
	*out = (long)v;
	return true;
}

/* CHANNEL:N[:S] */
static bool parse_burst(const char *arg, struct opts *o)
{
	char name[32];
	long n = 0, span = 60;
	int used = 0;
	if (o->n_bursts == sizeof o->bursts / sizeof o->bursts[0] ||
	    sscanf(arg, "%31[^:]:%ld%n", name, &n, &used) != 2)
		return false;
	if (arg[used] == ':') {
		const char *rest = arg + used + 1;
		int more = 0;
		if (sscanf(rest, "%ld%n", &span, &more) != 1 || rest[more] != '\0')
			return false;
	} else if (arg[used] != '\0') {
		return false;
	}
	if (n < 1 || n > 100000 || span < 0 || span > 86400)
		return false;
	for (size_t i = 0; i < N_CHANS; i++) {
		if (strcmp(chans[i].name, name) == 0) {
			o->bursts[o->n_bursts++] = (struct burst){ (int)i, n, span };
			return true;
		}
	}
	return false;
}

static bool parse_opt(int c, const char *arg, struct opts *o)
{
	long seed;
	switch (c) {
	case 'b':
		return parse_broker(arg, o);
	case 'p':
		o->prefix = arg;
		return *arg && !strpbrk(arg, "+#");
	case 's':
		if (!parse_long(arg, 9e15, &seed))
			return false;
		o->seed = (uint64_t)seed;
		o->seed_set = true;
		return true;
	case 'r':
		return parse_num(arg, 0.001, 10000, &o->rate);
	case 'o':
		return parse_long(arg, 1000000, &o->open);
	case 'd':
		return parse_num(arg, 0, 1e9, &o->duration);
	case 'E':
		return parse_long(arg, 1e8, &o->crisis_every);
	case 'C':
		o->crisis = !strcmp(arg, "now") ? CRISIS_CMD_NOW :
			    !strcmp(arg, "off") ? CRISIS_CMD_OFF : CRISIS_CMD_NONE;
		return o->crisis != CRISIS_CMD_NONE;
	case 't':
		return parse_num(arg, 0.001, 1e6, &o->scale);
	case 'c':
		o->clear = true;
		return true;
	case 'l':
		return parse_lang_mix(arg, o->lang_w);
	case 'v':
		o->verbose = true;
		return true;
	case 'n':
		o->name = arg;
		return *arg && !strpbrk(arg, "/+#") && strlen(arg) < 64;
	case 'S':
		return parse_long(arg, 86400, &o->status_every);
	case 'D':
		o->drill = true;
		return true;
	case 'B':
		return parse_burst(arg, o);
	default:
		return false;
	}
}

/* 0: run; 1: --help shown; 2: bad usage. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "broker", required_argument, NULL, 'b' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "open", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "crisis-every", required_argument, NULL, 'E' },
		{ "crisis", required_argument, NULL, 'C' },
		{ "time-scale", required_argument, NULL, 't' },
		{ "clear", no_argument, NULL, 'c' },
		{ "lang-mix", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "name", required_argument, NULL, 'n' },
		{ "status-every", required_argument, NULL, 'S' },
		{ "drill", no_argument, NULL, 'D' },
		{ "burst", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct opts){ .host = "127.0.0.1", .port = 1883,
			    .prefix = "wallboard", .rate = 2, .open = 40,
			    .duration = -1, .crisis_every = 300, .scale = 1,
			    .lang_w = { 1, 1, 1 }, .name = "sim", .status_every = 30 };
	int c, idx = 0;
	while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || !parse_opt(c, optarg, o)) {
			if (c != '?')
				fprintf(stderr, "wallboard-sim: bad value for --%s: %s\n",
					longopts[idx].name, optarg ? optarg : "");
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "wallboard-sim: unexpected argument %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

/* ---- main ---------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Signals go to the main thread only (the sleep must see them), so they
 * are blocked while libmosquitto's thread is created. */
static void signals_block(bool block)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static bool connect_broker(struct sim *s)
{
	char id[64];
	snprintf(id, sizeof id, "wallboard-sim-%d", (int)getpid());
	s->m = mosquitto_new(id, true, s);
	if (!s->m) {
		log_error(TAG, "mosquitto_new: %s", strerror(errno));
		return false;
	}
	snprintf(s->status_topic, sizeof s->status_topic, "%s/producers/%s/status",
		 s->o.prefix, s->o.name);
	/* The broker says it for us if we vanish: boards show the feed
	 * offline at once instead of after two missed intervals. */
	if (s->o.status_every &&
	    mosquitto_will_set(s->m, s->status_topic, 16, "{\"online\":false}", 1, true) !=
		    MOSQ_ERR_SUCCESS) {
		log_error(TAG, "cannot set the last will");
		return false;
	}
	/* Unlimited QoS 1 messages in flight: a large backlog is not held
	 * back by a round trip per 20 messages. */
	mosquitto_max_inflight_messages_set(s->m, 0);
	mosquitto_publish_callback_set(s->m, on_publish);
	mosquitto_message_callback_set(s->m, on_message);
	mosquitto_subscribe_callback_set(s->m, on_subscribe);
	mosquitto_disconnect_callback_set(s->m, on_disconnect);
	int rc = MOSQ_ERR_UNKNOWN;
	/* A broker started together with us gets a few seconds. */
	for (int i = 0; i < 10 && !stop_flag; i++) {
		rc = mosquitto_connect(s->m, s->o.host, s->o.port, 30);
		if (rc == MOSQ_ERR_SUCCESS)
			break;
		usleep(500000);
	}
	if (rc != MOSQ_ERR_SUCCESS) {
		log_error(TAG, "cannot connect to %s:%d: %s", s->o.host, s->o.port,
			  rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		return false;
	}
	signals_block(true);
	rc = mosquitto_loop_start(s->m);
	signals_block(false);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_error(TAG, "loop_start: %s", mosquitto_strerror(rc));
		return false;
	}
	log_info(TAG, "connected to %s:%d as %s", s->o.host, s->o.port, id);
	return true;
}

/* Waits for every PUBACK so that --duration 0 really delivered. */
static bool finish(struct sim *s)
{
	/* A clean exit: offline, but what we published stays retained, so the
	 * counts stay true. */
	status_publish(s, false);
	bool ok = wait_for(s, NULL, ACK_WAIT_MS);
	pthread_mutex_lock(&s->lock);
	unsigned long sent = s->sent, acked = s->acked;
	pthread_mutex_unlock(&s->lock);
	if (ok)
		log_info(TAG, "%lu messages published and acknowledged", sent);
	else
		log_error(TAG, "%lu of %lu messages not acknowledged by the broker",
			  sent - acked, sent);
	mosquitto_disconnect(s->m);
	mosquitto_loop_stop(s->m, false);
	return ok;
}

int main(int argc, char **argv)
{
	static struct sim sim;   /* large; zeroed */
	struct sim *s = &sim;
	int rc = parse_args(argc, argv, &s->o);
	if (rc)
		return rc == 1 ? 0 : 2;
	log_set_level(s->o.verbose ? LOG_DEBUG : LOG_INFO);
	if (!s->o.seed_set)
		s->o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	log_info(TAG, "seed %llu", (unsigned long long)s->o.seed);
	s->rng = s->o.seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
	s->next_id = 10000 + rnd(s, 80000);
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);

	struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	mosquitto_lib_init();
	bool ok = connect_broker(s);
	if (ok && s->o.clear)
		ok = clear_retained(s);
	if (ok) {
		backlog(s);
		if (s->o.duration != 0)
			run(s);
		ok = finish(s);
	}
	mosquitto_destroy(s->m);
	mosquitto_lib_cleanup();
	free(s->c);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	return ok ? 0 : 1;
}
