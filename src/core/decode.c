/* decode.c - see decode.h.
 *
 * Order of checks, cheapest and most fundamental first: topic shape, then
 * the raw payload bytes (size, NUL, UTF-8), then JSON, then each field.
 * Every rejection writes one short line (the caller logs it next to the
 * topic, in a buffer of about 160 bytes).
 *
 * Decisions the contract left open:
 * - Strings that identify something are rejected when too long (ids,
 *   channel, phone: a cut phone number would dial someone else). Strings
 *   that are only shown are cut at a UTF-8 character boundary (text,
 *   customer, assignee, paused_reason, by, board, title, message,
 *   playbook items, contact role and name).
 * - "text" is required but may be ""; "title" of an active crisis and "by"
 *   of an ack must not be empty; "channel" must not be empty.
 * - A JSON null in an optional field means absent; in a required one it is
 *   a wrong type.
 * - Integers may be written in any JSON number form whose value is whole
 *   (1e3 is 1000); 1.5 is rejected.
 * - A complaint with status "resolved" is a removal: only "id" (if present)
 *   and "status" are checked, the rest may be stale or partial.
 * - An inactive crisis ("active": false) is a clear: other fields are not
 *   checked. "active" itself is required, and it is the only field that
 *   rejects a crisis: any other bad field is dropped (left at its default,
 *   a bad playbook item or contact left out), counted in msg.bad_fields and
 *   named in the reason buffer, and the rest is shown. A crisis is the most
 *   important message a board gets; a cosmetic field must not hide it.
 * - An ack's "alarm" is required (it is the ack's identity).
 * - Playbook items and contacts beyond the maximum are dropped unchecked.
 * - A producer status needs only "online"; "interval_s" defaults to 30;
 *   "open" and "sla" are -1 (not announced) when absent, so a last will
 *   (a fixed payload, {"online":false}) announces nothing.
 * - Topic id problems are reported as "unknown topic: <why>"; a topic that
 *   does not have the contract's shape at all gets exactly "unknown topic".
 */
#include "decode.h"
#include "jsonpool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define EPOCH_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
#define QUOTE_MAX 32                    /* bytes of a bad value quoted back */

enum topic_kind { T_COMPLAINT, T_SLA, T_CRISIS, T_ACK, T_PRODUCER, T_STEP };

/* Field flags for the getters. */
enum {
	F_REQUIRED = 1, /* absent or null is an error */
	F_NONEMPTY = 2, /* "" is an error */
	F_CUT = 4,      /* too long: cut at a character boundary, not reject */
};

/* Where a reason goes, and the path prefix of the object being read
 * ("" at top level, "contacts[2]." inside a contact). */
struct dec {
	char *err;
	size_t errlen;
	const char *where;
};

__attribute__((format(printf, 2, 3)))
static bool fail(struct dec *d, const char *fmt, ...)
{
	if (d->errlen == 0)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* Like fail() but names the field: field "contacts[2].phone": ... */
__attribute__((format(printf, 3, 4)))
static bool fail_field(struct dec *d, const char *name, const char *fmt, ...)
{
	char why[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return fail(d, "field \"%s%s\": %s", d->where, name, why);
}

/* Index of the first byte that is not part of well-formed UTF-8, or len.
 * Follows the Unicode table of well-formed byte sequences, which excludes
 * overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
 * code points above U+10FFFF (F4 90.., F5..FF). */
static size_t utf8_bad_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i], lo = 0x80, hi = 0xBF;
		size_t n;
		if (c < 0x80) {
			/* ASCII (most of any payload: keys, ids, times) eight
			 * bytes at a time: a burst validates every message */
			uint64_t w;
			i++;
			while (len - i >= sizeof w &&
			       (memcpy(&w, s + i, sizeof w), (w & 0x8080808080808080ULL) == 0))
				i += sizeof w;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		else
			return i;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

bool decode_utf8_valid(const char *s, size_t len)
{
	if (s == NULL)
		return len == 0;
	return utf8_bad_at((const unsigned char *)s, len) == len;
}

/* Copy valid UTF-8 src into dst[size], cutting at a character boundary
 * if it does not fit. Returns false when it had to cut. */
static bool utf8_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	bool whole = n < size;
	if (!whole) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return whole;
}

/* A bad value quoted back in a reason: short, one line. */
static const char *quote(char *buf, size_t size, const char *s)
{
	utf8_copy(buf, size, s);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"')
			*p = '?';
	return buf;
}

/* --- times --- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no time zone or libc table is involved. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Exactly n ASCII digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char a, char b)
{
	if (**p != a && **p != b)
		return false;
	(*p)++;
	return true;
}

/* Z, or +HH:MM / -HH:MM, as seconds east of UTC. */
static bool parse_offset(const char **p, int64_t *off)
{
	int sign, h, m;
	if (expect(p, 'Z', 'z')) {
		*off = 0;
		return true;
	}
	if (**p == '+')
		sign = 1;
	else if (**p == '-')
		sign = -1;
	else
		return false;
	(*p)++;
	if (!digits(p, 2, &h) || !expect(p, ':', ':') || !digits(p, 2, &m) ||
	    h > 23 || m > 59)
		return false;
	*off = sign * (int64_t)(h * 3600 + m * 60);
	return true;
}

bool decode_time_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	int64_t off;
	const char *p = s;
	if (s == NULL)
		return false;
	if (!digits(&p, 4, &y) || !expect(&p, '-', '-') || !digits(&p, 2, &mo) ||
	    !expect(&p, '-', '-') || !digits(&p, 2, &d) || !expect(&p, 'T', 't') ||
	    !digits(&p, 2, &h) || !expect(&p, ':', ':') || !digits(&p, 2, &mi) ||
	    !expect(&p, ':', ':') || !digits(&p, 2, &sec))
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++; /* the fraction is dropped: whole seconds only */
	}
	if (!parse_offset(&p, &off) || *p != '\0')
		return false;
	/* 60 is a leap second; it is counted as the next minute's 00. */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return false;
	int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	if (t < 0 || t > EPOCH_MAX)
		return false;
	*out = t;
	return true;
}

/* --- fields --- */

static const char *type_name(const cJSON *j)
{
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "boolean";
	if (cJSON_IsNumber(j))
		return "number";
	if (cJSON_IsString(j))
		return "string";
	if (cJSON_IsArray(j))
		return "array";
	if (cJSON_IsObject(j))
		return "object";
	return "invalid";
}

/* cJSON_GetObjectItemCaseSensitive, the first byte compared before the
 * rest: a message's fields are looked up one by one, each past most of
 * the others, in every message of a burst. */
static const cJSON *member(const cJSON *o, const char *name)
{
	for (const cJSON *c = o ? o->child : NULL; c && c->string; c = c->next)
		if (c->string[0] == name[0] && strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

/* The field, or NULL when it is absent (or null and optional). NULL with
 * *ok false: absent but required. */
static const cJSON *field(const cJSON *o, const char *name, unsigned flags,
			  bool *ok, struct dec *d)
{
	const cJSON *j = member(o, name);
	*ok = true;
	if (j == NULL && (flags & F_REQUIRED)) {
		*ok = fail(d, "missing required field \"%s%s\"", d->where, name);
		return NULL;
	}
	if (cJSON_IsNull(j) && !(flags & F_REQUIRED))
		return NULL;
	return j;
}

static bool get_string(const cJSON *o, const char *name, unsigned flags,
		       char *dst, size_t size, struct dec *d)
{
	bool ok;
	const cJSON *j = field(o, name, flags, &ok, d);
	dst[0] = '\0';
	if (j == NULL)
		return ok;
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return fail_field(d, name, "expected string, got %s", type_name(j));
	const char *s = j->valuestring;
	/* The raw payload was valid UTF-8, but \u escapes are decoded by
	 * cJSON: check again rather than trust that. */
	if (!decode_utf8_valid(s, strlen(s)))
		return fail_field(d, name, "not valid UTF-8");
	if ((flags & F_NONEMPTY) && s[0] == '\0')
		return fail_field(d, name, "must not be empty");
	if (!utf8_copy(dst, size, s) && !(flags & F_CUT)) {
		dst[0] = '\0'; /* a cut phone number would dial someone else */
		return fail_field(d, name, "longer than %zu bytes", size - 1);
	}
	return true;
}

/* A whole number in [min, max]. Doubles hold every integer up to 2^53
 * exactly, and every limit here is below that. */
static bool get_int(const cJSON *o, const char *name, unsigned flags,
		    int64_t min, int64_t max, int64_t *out, struct dec *d)
{
	bool ok;
	const cJSON *j = field(o, name, flags, &ok, d);
	if (j == NULL)
		return ok;
	if (!cJSON_IsNumber(j))
		return fail_field(d, name, "expected integer, got %s", type_name(j));
	double v = j->valuedouble;
	if (!(v >= (double)min && v <= (double)max)) {
		char shown[32];
		if (v > -1e18 && v < 1e18 && (double)(long long)v == v)
			snprintf(shown, sizeof shown, "%lld", (long long)v);
		else
			snprintf(shown, sizeof shown, "%g", v);
		return fail_field(d, name, "%s out of range [%lld, %lld]", shown,
				  (long long)min, (long long)max);
	}
	int64_t i = (int64_t)v;
	if ((double)i != v)
		return fail_field(d, name, "expected integer, got %g", v);
	*out = i;
	return true;
}

/* Epoch seconds, as an integer or an RFC 3339 string. */
static bool get_time(const cJSON *o, const char *name, unsigned flags,
		     int64_t *out, struct dec *d)
{
	bool ok;
	char q[QUOTE_MAX];
	const cJSON *j = field(o, name, flags, &ok, d);
	if (j == NULL)
		return ok;
	if (cJSON_IsNumber(j))
		return get_int(o, name, flags, 0, EPOCH_MAX, out, d);
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return fail_field(d, name, "expected RFC 3339 string or integer, got %s",
				  type_name(j));
	if (!decode_time_rfc3339(j->valuestring, out))
		return fail_field(d, name, "not an RFC 3339 time in 1970..9999: \"%s\"",
				  quote(q, sizeof q, j->valuestring));
	return true;
}

static bool get_bool(const cJSON *o, const char *name, unsigned flags,
		     bool *out, struct dec *d)
{
	bool ok;
	const cJSON *j = field(o, name, flags, &ok, d);
	if (j == NULL)
		return ok;
	if (!cJSON_IsBool(j))
		return fail_field(d, name, "expected boolean, got %s", type_name(j));
	*out = cJSON_IsTrue(j);
	return true;
}

/* One of names[0..n), as its index; *out untouched when absent. */
static bool get_enum(const cJSON *o, const char *name, const char *const *names,
		     int n, int *out, struct dec *d)
{
	char expected[48] = "", q[QUOTE_MAX];
	bool ok;
	const cJSON *j = field(o, name, 0, &ok, d);
	if (j == NULL)
		return ok;
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return fail_field(d, name, "expected string, got %s", type_name(j));
	for (int i = 0; i < n; i++) {
		if (strcmp(j->valuestring, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	/* the list for the reason only: every message of a burst has enums */
	for (int i = 0; i < n; i++) {
		size_t used = strlen(expected);
		snprintf(expected + used, sizeof expected - used, "%s%s",
			 i ? "|" : "", names[i]);
	}
	return fail_field(d, name, "unknown value \"%s\" (expected %s)",
			  quote(q, sizeof q, j->valuestring), expected);
}

/* An id field in the payload must repeat the topic's id. */
static bool check_id(const cJSON *o, const char *name, unsigned flags,
		     const char *topic_id, struct dec *d)
{
	char id[MSG_ID_MAX], q[QUOTE_MAX];
	bool ok;
	if (field(o, name, flags, &ok, d) == NULL)
		return ok;
	if (!get_string(o, name, flags, id, sizeof id, d))
		return false;
	if (strcmp(id, topic_id) != 0)
		return fail_field(d, name, "\"%s\" differs from the topic's id",
				  quote(q, sizeof q, id));
	return true;
}

/* Printable, no spaces, lower-cased (ASCII only: other bytes are kept). */
static bool get_channel(const cJSON *o, char *dst, size_t size, struct dec *d)
{
	if (!get_string(o, "channel", F_REQUIRED | F_NONEMPTY, dst, size, d))
		return false;
	for (char *p = dst; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f)
			return fail_field(d, "channel", "contains a space or control character");
		if (c >= 'A' && c <= 'Z')
			*p = (char)(c - 'A' + 'a');
	}
	return true;
}

/* --- messages --- */

static const char *const priorities[] = { "normal", "high", "vip" };
static const char *const statuses[] = { "open", "pending", "answered", "resolved" };
static const char *const visibilities[] = { "public", "private" };

static bool decode_complaint(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_complaint *c = &m->u.complaint;
	int status = STATUS_OPEN, priority = PRIORITY_NORMAL, visibility = -1;

	memcpy(c->id, m->id, sizeof c->id);
	if (!check_id(o, "id", 0, m->id, d) ||
	    !get_enum(o, "status", statuses, 4, &status, d))
		return false;
	c->status = (enum status)status;
	if (c->status == STATUS_RESOLVED) {
		m->kind = MSG_COMPLAINT_REMOVE;
		return true;
	}
	m->kind = MSG_COMPLAINT;
	if (!get_channel(o, c->channel, sizeof c->channel, d) ||
	    !get_string(o, "text", F_REQUIRED | F_CUT, c->text, sizeof c->text, d) ||
	    !get_string(o, "customer", F_CUT, c->customer, sizeof c->customer, d) ||
	    !get_string(o, "assignee", F_CUT, c->assignee, sizeof c->assignee, d) ||
	    !get_time(o, "opened_at", F_REQUIRED, &c->opened_at, d) ||
	    !get_enum(o, "priority", priorities, 3, &priority, d) ||
	    !get_enum(o, "visibility", visibilities, 2, &visibility, d) ||
	    !get_bool(o, "drill", 0, &c->drill, d))
		return false;
	c->priority = (enum priority)priority;
	c->visibility = visibility < 0 ? VISIBILITY_UNSPECIFIED :
			visibility == 0 ? VISIBILITY_PUBLIC : VISIBILITY_PRIVATE;
	return true;
}

static bool decode_sla(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_sla *s = &m->u.sla;

	m->kind = MSG_SLA;
	memcpy(s->id, m->id, sizeof s->id);
	return check_id(o, "id", 0, m->id, d) &&
	       get_int(o, "target_s", 0, 0, EPOCH_MAX, &s->target_s, d) &&
	       get_time(o, "due_at", F_REQUIRED, &s->due_at, d) &&
	       get_bool(o, "paused", 0, &s->paused, d) &&
	       get_string(o, "paused_reason", F_CUT, s->paused_reason,
			  sizeof s->paused_reason, d) &&
	       get_time(o, "responded_at", 0, &s->responded_at, d);
}

/* An ack's optional "sig": exactly MSG_SIG_MAX - 1 lowercase hex digits.
 * Whether it verifies is not the decoder's business (acksig.h). */
static bool get_sig(const cJSON *o, char *dst, struct dec *d)
{
	if (!get_string(o, "sig", 0, dst, MSG_SIG_MAX, d))
		return false;
	size_t n = strlen(dst);
	const cJSON *j = member(o, "sig");
	if (n == 0 && (j == NULL || cJSON_IsNull(j)))
		return true;
	if (n != MSG_SIG_MAX - 1 || strspn(dst, "0123456789abcdef") != n) {
		dst[0] = '\0';
		return fail_field(d, "sig", "expected %d lowercase hex digits",
				  MSG_SIG_MAX - 1);
	}
	return true;
}

static bool decode_ack(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_ack *a = &m->u.ack;

	m->kind = MSG_ACK;
	memcpy(a->alarm, m->id, sizeof a->alarm);
	return check_id(o, "alarm", F_REQUIRED, m->id, d) &&
	       get_string(o, "by", F_REQUIRED | F_NONEMPTY | F_CUT, a->by,
			  sizeof a->by, d) &&
	       get_time(o, "at", F_REQUIRED, &a->at, d) &&
	       get_string(o, "board", F_CUT, a->board, sizeof a->board, d) &&
	       get_time(o, "until", 0, &a->until, d) &&
	       get_sig(o, a->sig, d);
}

/* A playbook step's tick: "step" repeats the topic's <n>. */
static bool decode_step(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_step *s = &m->u.step;
	int64_t n = 0;
	m->kind = MSG_STEP;
	s->step = atoi(m->id);
	if (!get_int(o, "step", F_REQUIRED, 1, MSG_PLAYBOOK_MAX, &n, d))
		return false;
	if (n != s->step)
		return fail_field(d, "step", "%d differs from the topic's %d", (int)n, s->step);
	return get_string(o, "text", F_CUT, s->text, sizeof s->text, d) &&
	       get_bool(o, "done", F_REQUIRED, &s->done, d) &&
	       get_string(o, "by", F_REQUIRED | F_NONEMPTY | F_CUT, s->by, sizeof s->by, d) &&
	       get_time(o, "at", F_REQUIRED, &s->at, d) &&
	       get_time(o, "crisis_since", F_REQUIRED, &s->crisis_since, d) &&
	       get_string(o, "board", F_CUT, s->board, sizeof s->board, d) &&
	       get_sig(o, s->sig, d);
}

/* An optional array; NULL when absent. */
static const cJSON *get_array(const cJSON *o, const char *name, struct dec *d,
			      bool *ok)
{
	const cJSON *j = field(o, name, 0, ok, d);
	if (j != NULL && !cJSON_IsArray(j)) {
		*ok = fail_field(d, name, "expected array, got %s", type_name(j));
		return NULL;
	}
	return j;
}

/* A crisis is never dropped for a detail: a bad optional field is left at
 * its default and noted. The whole message keeps one reason line: the
 * notes are joined with "; " as far as the caller's buffer goes. */
struct soft {
	struct dec *d;      /* where the joined notes go */
	struct msg *m;      /* bad_fields is counted here */
	char why[128];      /* one field's reason */
	struct dec one;     /* the getters write into why */
};

static struct dec *soft_field(struct soft *s, const char *where)
{
	s->why[0] = '\0';
	s->one = (struct dec){ s->why, sizeof s->why, where };
	return &s->one;
}

static void soft_check(struct soft *s, bool ok)
{
	if (ok)
		return;
	struct dec *d = s->d;
	size_t used = d->errlen ? strlen(d->err) : 0;
	s->m->bad_fields++;
	if (used + 1 < d->errlen)
		snprintf(d->err + used, d->errlen - used, "%s%s", used ? "; " : "", s->why);
}

/* 1..3, or the words minor, major, critical (producers often send those). */
static bool get_level(const cJSON *o, int *level, struct dec *d)
{
	static const char *const words[] = { "minor", "major", "critical" };
	int64_t n = 1;
	const cJSON *j = member(o, "level");
	if (j == NULL || cJSON_IsNull(j))
		return true;
	if (cJSON_IsString(j)) {
		int i = 0;
		if (!get_enum(o, "level", words, 3, &i, d))
			return false;
		*level = i + 1;
		return true;
	}
	if (!get_int(o, "level", 0, 1, 3, &n, d))
		return false;
	*level = (int)n;
	return true;
}

static void decode_playbook(const cJSON *o, struct msg_crisis *c, struct soft *s)
{
	bool ok;
	char name[24];
	size_t i = 0;
	const cJSON *item, *arr = get_array(o, "playbook", soft_field(s, ""), &ok);
	soft_check(s, ok);
	cJSON_ArrayForEach(item, arr) {
		if (c->n_playbook == MSG_PLAYBOOK_MAX)
			break; /* the rest is dropped */
		snprintf(name, sizeof name, "playbook[%zu]", i++);
		struct dec *d = soft_field(s, "");
		if (!cJSON_IsString(item) || item->valuestring == NULL)
			soft_check(s, fail_field(d, name, "expected string, got %s",
						 type_name(item)));
		else if (!decode_utf8_valid(item->valuestring, strlen(item->valuestring)))
			soft_check(s, fail_field(d, name, "not valid UTF-8"));
		else
			utf8_copy(c->playbook[c->n_playbook++], MSG_ITEM_MAX,
				  item->valuestring);
	}
}

/* A contact keeps the fields that are valid: a name without a phone is
 * still someone to look for. */
static void decode_contacts(const cJSON *o, struct msg_crisis *c, struct soft *s)
{
	bool ok;
	char where[24];
	size_t i = 0;
	const cJSON *item, *arr = get_array(o, "contacts", soft_field(s, ""), &ok);
	soft_check(s, ok);
	cJSON_ArrayForEach(item, arr) {
		if (c->n_contacts == MSG_CONTACTS_MAX)
			break; /* the rest is dropped */
		snprintf(where, sizeof where, "contacts[%zu]", i++);
		if (!cJSON_IsObject(item)) {
			soft_check(s, fail_field(soft_field(s, ""), where,
						 "expected object, got %s", type_name(item)));
			continue;
		}
		struct msg_contact *k = &c->contacts[c->n_contacts++];
		strcat(where, ".");
		soft_check(s, get_string(item, "role", F_CUT, k->role, sizeof k->role,
					 soft_field(s, where)));
		soft_check(s, get_string(item, "name", F_CUT, k->name, sizeof k->name,
					 soft_field(s, where)));
		soft_check(s, get_string(item, "phone", 0, k->phone, sizeof k->phone,
					 soft_field(s, where)));
	}
}

/* Only "active" can reject a crisis: every other field is optional in
 * practice (a missing title shows the banner without one). */
static bool decode_crisis(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_crisis *c = &m->u.crisis;
	struct soft s = { .d = d, .m = m };
	bool active = false;

	if (!get_bool(o, "active", F_REQUIRED, &active, d))
		return false;
	if (!active) {
		m->kind = MSG_CRISIS_CLEAR;
		return true;
	}
	m->kind = MSG_CRISIS;
	c->level = 1;
	soft_check(&s, get_level(o, &c->level, soft_field(&s, "")));
	soft_check(&s, get_string(o, "title", F_REQUIRED | F_NONEMPTY | F_CUT, c->title,
				  sizeof c->title, soft_field(&s, "")));
	soft_check(&s, get_string(o, "message", F_CUT, c->message, sizeof c->message,
				  soft_field(&s, "")));
	soft_check(&s, get_time(o, "since", 0, &c->since, soft_field(&s, "")));
	soft_check(&s, get_bool(o, "drill", 0, &c->drill, soft_field(&s, "")));
	soft_check(&s, get_string(o, "declared_by", F_CUT, c->declared_by,
				  sizeof c->declared_by, soft_field(&s, "")));
	decode_playbook(o, c, &s);
	decode_contacts(o, c, &s);
	return true;
}

static bool decode_producer(const cJSON *o, struct msg *m, struct dec *d)
{
	struct msg_producer *p = &m->u.producer;

	m->kind = MSG_PRODUCER;
	p->interval_s = PRODUCER_INTERVAL_DEFAULT;
	p->open = p->sla = -1;
	if (!get_bool(o, "online", F_REQUIRED, &p->online, d))
		return false;
	return get_int(o, "interval_s", 0, 1, PRODUCER_INTERVAL_MAX, &p->interval_s, d) &&
	       get_time(o, "at", 0, &p->at, d) &&
	       get_int(o, "open", 0, 0, PRODUCER_COUNT_MAX, &p->open, d) &&
	       get_int(o, "sla", 0, 0, PRODUCER_COUNT_MAX, &p->sla, d);
}

/* --- topic and payload --- */

/* An id level: 1..63 bytes of UTF-8, no wildcards, no control chars. */
static bool check_topic_id(const char *id, struct dec *d)
{
	size_t n = strlen(id);
	if (n == 0)
		return fail(d, "unknown topic: empty id");
	if (n >= MSG_ID_MAX)
		return fail(d, "unknown topic: id longer than %d bytes", MSG_ID_MAX - 1);
	for (const char *p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '+' || c == '#' || c < 0x20 || c == 0x7f)
			return fail(d, "unknown topic: id contains '+', '#' or a control character");
	}
	if (!decode_utf8_valid(id, n))
		return fail(d, "unknown topic: id is not valid UTF-8");
	return true;
}

/* "<name>/status": the name is an id level. */
static bool parse_producer_topic(const char *rest, enum topic_kind *kind, char *id,
				 struct dec *d)
{
	const char *slash = strchr(rest, '/');
	if (!slash || strcmp(slash, "/status") != 0)
		return fail(d, "unknown topic");
	char name[MSG_ID_MAX + 1];
	size_t n = (size_t)(slash - rest);
	if (n >= sizeof name)
		return fail(d, "unknown topic: id longer than %d bytes", MSG_ID_MAX - 1);
	memcpy(name, rest, n);
	name[n] = '\0';
	if (!check_topic_id(name, d))
		return false;
	*kind = T_PRODUCER;
	strcpy(id, name); /* fits: checked above */
	return true;
}

static bool parse_topic(const char *prefix, const char *topic,
			enum topic_kind *kind, char *id, struct dec *d)
{
	static const struct { const char *level; enum topic_kind kind; } shapes[] = {
		{ "complaints/", T_COMPLAINT }, { "sla/", T_SLA }, { "acks/", T_ACK },
	};
	size_t plen = strlen(prefix);
	const char *rest = topic;
	if (plen > 0) {
		if (strncmp(topic, prefix, plen) != 0 || topic[plen] != '/')
			return fail(d, "unknown topic");
		rest = topic + plen + 1;
	}
	if (strcmp(rest, "crisis") == 0) {
		*kind = T_CRISIS;
		id[0] = '\0';
		return true;
	}
	if (strncmp(rest, "producers/", 10) == 0)
		return parse_producer_topic(rest + 10, kind, id, d);
	if (strncmp(rest, "crisis/steps/", 13) == 0) {
		/* 1..MSG_PLAYBOOK_MAX, plain digits */
		const char *n = rest + 13;
		if (n[0] < '1' || n[0] > '0' + MSG_PLAYBOOK_MAX || n[1] != '\0')
			return fail(d, "unknown topic: a step is 1 to %d", MSG_PLAYBOOK_MAX);
		*kind = T_STEP;
		strcpy(id, n);
		return true;
	}
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		size_t n = strlen(shapes[i].level);
		if (strncmp(rest, shapes[i].level, n) != 0)
			continue;
		if (strchr(rest + n, '/') != NULL)
			return fail(d, "unknown topic");
		if (!check_topic_id(rest + n, d))
			return false;
		*kind = shapes[i].kind;
		strcpy(id, rest + n); /* fits: checked above */
		return true;
	}
	return fail(d, "unknown topic");
}

/* An empty retained payload deletes the retained message: a removal. */
static void decode_empty(enum topic_kind kind, struct msg *m)
{
	switch (kind) {
	case T_COMPLAINT:
		m->kind = MSG_COMPLAINT_REMOVE;
		memcpy(m->u.complaint.id, m->id, sizeof m->id);
		m->u.complaint.status = STATUS_RESOLVED;
		break;
	case T_SLA:
		m->kind = MSG_SLA_REMOVE;
		memcpy(m->u.sla.id, m->id, sizeof m->id);
		break;
	case T_CRISIS:
		m->kind = MSG_CRISIS_CLEAR;
		break;
	case T_ACK:
		m->kind = MSG_ACK_REMOVE;
		memcpy(m->u.ack.alarm, m->id, sizeof m->id);
		break;
	case T_PRODUCER:
		m->kind = MSG_PRODUCER_REMOVE;
		break;
	case T_STEP:
		m->kind = MSG_STEP_REMOVE;
		m->u.step.step = atoi(m->id);
		break;
	}
}

/* cJSON turns "\u0000" into a NUL that silently ends the string; refuse
 * it like a raw NUL. In valid JSON a backslash only occurs in strings and
 * always starts an escape, so pairs can be skipped without parsing. */
static bool has_escaped_nul(const char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] != '\\')
			continue;
		if (p[i + 1] == 'u' && len - i >= 6 && memcmp(p + i + 2, "0000", 4) == 0)
			return true;
		i++; /* the escaped character */
	}
	return false;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Objects of up to this many keys (every message of the contract) are
 * checked pair by pair, without an allocation: a burst checks every
 * message, and malloc + qsort cost more than the few compares. */
#define DUP_PAIRWISE_MAX 16

static const char *duplicate_pairwise(const cJSON *node)
{
	for (const cJSON *a = node->child; a; a = a->next) {
		const char *x = a->string ? a->string : "";
		for (const cJSON *b = a->next; b; b = b->next) {
			const char *y = b->string ? b->string : "";
			if (x[0] == y[0] && strcmp(x, y) == 0) /* most differ at once */
				return y;
		}
	}
	return NULL;
}

/* The first key that occurs twice in one object anywhere in the tree, or
 * NULL. JSON leaves duplicates undefined: cJSON would take the first,
 * other consumers of the same topic the last, so the board and a report
 * would disagree about one message. Above DUP_PAIRWISE_MAX keys the
 * names are sorted, O(n log n) even for a 64 KiB object of short keys. */
static const char *duplicate_key(const cJSON *node, bool *oom)
{
	size_t n = 0;
	const cJSON *c;
	for (c = node->child; c; c = c->next) {
		const char *dup = duplicate_key(c, oom);
		if (dup || *oom)
			return dup;
		n++;
	}
	if (!cJSON_IsObject(node) || n < 2)
		return NULL;
	if (n <= DUP_PAIRWISE_MAX)
		return duplicate_pairwise(node);
	const char **names = malloc(n * sizeof *names);
	if (!names) {
		*oom = true;
		return NULL;
	}
	n = 0;
	for (c = node->child; c; c = c->next)
		names[n++] = c->string ? c->string : "";
	qsort(names, n, sizeof *names, cmp_names);
	const char *dup = NULL;
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			dup = names[i];
	free(names);
	return dup;
}

static bool duplicate_key_fails(const cJSON *root, struct dec *d)
{
	char q[QUOTE_MAX];
	bool oom = false;
	const char *dup = duplicate_key(root, &oom);
	if (oom)
		return fail(d, "out of memory"), true;
	if (dup)
		return fail(d, "duplicate key \"%s\"", quote(q, sizeof q, dup)), true;
	return false;
}

/* Parse the raw bytes into an object tree, or NULL with a reason.
 * cJSON 1.7.15's length-bounded parser still reads one byte past the
 * buffer on truncated input (cJSON issue #800), and MQTT payloads are not
 * NUL-terminated: parse a terminated copy, but only its len bytes. */
static cJSON *parse_payload(const char *payload, size_t len, struct dec *d)
{
	const char *end = NULL;
	char *copy = jsonpool_alloc(len + 1);
	if (copy == NULL) {
		fail(d, "out of memory");
		return NULL;
	}
	memcpy(copy, payload, len);
	copy[len] = '\0';
	cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, false);
	size_t at = end != NULL && end >= copy && end <= copy + len ?
		    (size_t)(end - copy) : 0;
	if (root == NULL) {
		fail(d, "payload is not valid JSON (at byte %zu)", at);
	} else {
		while (at < len && strchr(" \t\r\n", copy[at]) != NULL)
			at++;
		if (at < len) {
			fail(d, "payload has data after the JSON value (at byte %zu)", at);
		} else if (!cJSON_IsObject(root)) {
			fail(d, "payload is not a JSON object (got %s)", type_name(root));
		} else if (duplicate_key_fails(root, d)) {
			; /* reason written */
		} else {
			jsonpool_free(copy);
			return root;
		}
		cJSON_Delete(root);
		root = NULL;
	}
	jsonpool_free(copy);
	return root;
}

static bool decode_object(enum topic_kind kind, const cJSON *root, struct msg *out,
			  struct dec *d)
{
	switch (kind) {
	case T_COMPLAINT: return decode_complaint(root, out, d);
	case T_SLA:       return decode_sla(root, out, d);
	case T_CRISIS:    return decode_crisis(root, out, d);
	case T_ACK:       return decode_ack(root, out, d);
	case T_PRODUCER:  return decode_producer(root, out, d);
	case T_STEP:      return decode_step(root, out, d);
	}
	return false;
}

bool decode_message(const char *prefix, const char *topic,
		    const void *payload, size_t len,
		    struct msg *out, char *err, size_t errlen)
{
	struct dec d = { err, errlen, "" };
	enum topic_kind kind = T_COMPLAINT;
	size_t bad;

	if (errlen > 0)
		err[0] = '\0';
	if (out == NULL || prefix == NULL || topic == NULL || (payload == NULL && len > 0))
		return fail(&d, "internal error: NULL argument");
	memset(out, 0, sizeof *out);
	if (!parse_topic(prefix, topic, &kind, out->id, &d))
		return false;
	static const enum msg_kind kinds[] = {
		[T_COMPLAINT] = MSG_COMPLAINT, [T_SLA] = MSG_SLA,
		[T_CRISIS] = MSG_CRISIS, [T_ACK] = MSG_ACK,
		[T_PRODUCER] = MSG_PRODUCER, [T_STEP] = MSG_STEP,
	};
	out->kind = kinds[kind];
	out->topic_known = true;
	if (len == 0) {
		decode_empty(kind, out);
		return true;
	}
	if (len > MSG_PAYLOAD_MAX)
		return fail(&d, "payload too large (%zu bytes, max %d)", len, MSG_PAYLOAD_MAX);
	if (memchr(payload, '\0', len) != NULL)
		return fail(&d, "payload contains a NUL byte");
	bad = utf8_bad_at(payload, len);
	if (bad < len)
		return fail(&d, "payload is not valid UTF-8 (at byte %zu)", bad);
	if (has_escaped_nul(payload, len))
		return fail(&d, "payload contains an escaped NUL (\\u0000)");

	/* the tree lives only until the fields are copied out: pooled */
	jsonpool_begin();
	cJSON *root = parse_payload(payload, len, &d);
	bool ok = root != NULL && decode_object(kind, root, out, &d);
	cJSON_Delete(root);
	jsonpool_end();
	return ok;
}
