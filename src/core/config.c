/* config.c - see config.h.
 *
 * Every key of the configuration file is one row of keys[] below: its
 * section, name, type, range, default and a line of help. The defaults,
 * the checks, `wallboard --help`'s key list and `wallboard --print-config`
 * (the complete commented example file) all come from that table, so a
 * new key is one row there and one field in struct config.
 *
 * Values: durations are 90, 90s, 15m or 2h (at most 7 days); bools are
 * true/false, yes/no, on/off, 1/0. Lines start with "key = value",
 * "[section]", or ';' / '#' for comments; " ;" after a value starts a
 * comment too. Lines are at most 198 bytes, section names at most 48.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "decode.h"
#include "log.h"
#include "util.h"
#include "paths.h"
#include "schedule.h"

#ifndef WB_VERSION
#define WB_VERSION "0.1.0"
#endif

#define WEEK_S (7 * 24 * 3600)
#define FILE_MAX (1024 * 1024)  /* a config file larger than this is a mistake */
#define SECTION_MAX 48          /* libinih silently cuts longer section names */

/* --- values --- */

enum kind {
	K_TEXT,      /* UTF-8 shown to people, not empty */
	K_TEXT_OPT,  /* the same, may be empty */
	K_WORD,      /* letters, digits, '.', '_', '-' */
	K_HOST,      /* printable, no spaces */
	K_PATH,      /* no control characters, not empty */
	K_PATH_OPT,
	K_INT,
	K_DUR,
	K_BOOL,
	K_LANG,
	K_FLASH,
	K_DIGITS,
	K_PREFIX,
	K_QUIET,     /* off | HH:MM-HH:MM, into quiet_from_min and quiet_to_min */
	K_COLOR,     /* #RRGGBB, into a uint32_t */
	K_PIN_HASH,  /* a crypt(3) string */
	K_SCHEDULE,  /* off | [DAYS ]HH:MM-HH:MM (schedule.h), kept as text */
	K_NIGHT,     /* dim | blank */
	K_ROTATE,    /* 0 | 90 | 180 | 270 */
	K_CHOICE,    /* one of the row's words, into an int: its index */
};

struct key {
	const char *section, *name; /* "channel.*": every [channel.<key>] */
	enum kind kind;
	size_t off;       /* into struct config (channel_conf, lead_conf) */
	size_t size;      /* strings: buffer size */
	long min, max;    /* numbers */
	const char *def;  /* default, spelt as in the file; NULL: none or
	                     computed at start (the help says which) */
	const char *help; /* one line for --print-config */
	const char *choices; /* K_CHOICE: the words, '|' between them */
};

#define STR(s, n, k, f, def, help) { s, n, k, offsetof(struct config, f), \
		sizeof(((struct config *)0)->f), 0, 0, def, help, NULL }
#define NUM(s, n, k, f, lo, hi, def, help) { s, n, k, offsetof(struct config, f), \
		0, lo, hi, def, help, NULL }
/* A word from a fixed list; the field (an int or an enum) gets its index. */
#define CHOICE(s, n, f, choices, def, help) { s, n, K_CHOICE, offsetof(struct config, f), \
		sizeof(((struct config *)0)->f), 0, 0, def, help, choices }
#define CHANNEL(n, k, f, def, help) { "channel.*", n, k, offsetof(struct channel_conf, f), \
		sizeof(((struct channel_conf *)0)->f), 0, 0, def, help, NULL }
#define CONTACT(n, k, f, def, help) { "contact.*", n, k, offsetof(struct contact_conf, f), \
		sizeof(((struct contact_conf *)0)->f), 0, 0, def, help, NULL }
#define STEP(i) STR("crisis", "step" #i, K_TEXT_OPT, crisis_steps[i - 1], "", \
		    "the site's playbook, step " #i " (empty: none)")
#define LEAD(n, k, f, def, help) { "lead.*", n, k, offsetof(struct lead_conf, f), \
		sizeof(((struct lead_conf *)0)->f), 0, 0, def, help, NULL }

/* One row per key, in the order --print-config shows them. */
static const struct key keys[] = {
	STR("board", "site", K_TEXT, site, "Support floor", "header title, any language"),
	STR("board", "board_id", K_WORD, board_id, NULL,
	    "this board's id in acks, unique per board (default: the host name)"),
	NUM("board", "lang", K_LANG, lang, 0, 0, "en", "language of the board's own labels"),
	NUM("board", "digits", K_DIGITS, digits, 0, 0, "native",
	    "the board's own numbers: native (Persian digits in fa) or latin (0-9)"),
	NUM("board", "at_risk", K_DUR, at_risk_s, 0, WEEK_S, "10m", "\"due soon\" window"),
	NUM("board", "flash", K_FLASH, flash_steady, 0, 0, "flash",
	    "crisis banner: flashing, or steady (no flashing at all)"),
	NUM("board", "page_seconds", K_DUR, page_s, 2, 3600, "8",
	    "the breach list turns its page when more are breached than fit"),
	NUM("board", "rejected_recent", K_DUR, rejected_recent_s, 1, WEEK_S, "10m",
	    "\"Rejected messages\" in the header is amber this long after the last, "
	    "then muted"),
	STR("board", "assets", K_PATH, asset_dir, NULL,
	    "where the fonts are (default: ../share/wallboard beside the "
	    "program, else the install prefix, else the source checkout)"),
	STR("board", "state_dir", K_PATH, state_dir, NULL,
	    "the ack journal (default: /var/lib/wallboard if writable, else "
	    "$XDG_STATE_HOME/wallboard or ~/.local/state/wallboard)"),
	STR("mqtt", "host", K_HOST, host, "127.0.0.1", "MQTT broker"),
	NUM("mqtt", "port", K_INT, port, 1, 65535, "1883", "broker port"),
	STR("mqtt", "prefix", K_PREFIX, prefix, "wallboard",
	    "topic prefix: no '+', '#', spaces, empty levels or trailing '/'"),
	NUM("mqtt", "keepalive", K_DUR, keepalive_s, 5, 3600, "10s", "MQTT keepalive"),
	CHOICE("mqtt", "protocol", protocol, "auto|5|3.1.1", "auto",
	       "MQTT version; auto: 5, or 3.1.1 when the broker refuses 5"),
	STR("mqtt", "username", K_TEXT_OPT, username, "", "empty: none"),
	STR("mqtt", "password", K_TEXT_OPT, password, "",
	    "better: password_file; refused towards a host off this machine without TLS"),
	STR("mqtt", "password_file", K_PATH_OPT, password_file, "",
	    "the password is this file's first line (mode 0600 or 0640)"),
	NUM("mqtt", "tls", K_BOOL, tls, 0, 0, "false",
	    "TLS, the broker checked against the system's CA store unless cafile or capath"),
	STR("mqtt", "cafile", K_PATH_OPT, cafile, "", "set: TLS, broker checked against this CA"),
	STR("mqtt", "capath", K_PATH_OPT, capath, "",
	    "set: TLS, broker checked against the CAs in this directory"),
	STR("mqtt", "certfile", K_PATH_OPT, certfile, "",
	    "set (with keyfile): TLS with this client certificate"),
	STR("mqtt", "keyfile", K_PATH_OPT, keyfile, "", "the client certificate's private key"),
	STR("mqtt", "tls_version", K_WORD, tls_version, "tlsv1.2",
	    "the oldest TLS accepted: tlsv1.2 or tlsv1.3"),
	NUM("mqtt", "insecure", K_BOOL, mqtt_insecure, 0, 0, "false",
	    "allow a password towards a host off this machine without TLS"),
	NUM("limits", "max_complaints", K_INT, max_complaints, 100, 10000000, "50000",
	    "complaints held at most; new ones beyond are refused, counted, and the "
	    "header says Over capacity"),
	STR("acks", "key_file", K_PATH_OPT, ack_key_file, "",
	    "set: sign acks with this key file shared by the site's boards, refuse "
	    "unsigned acks (mode 0600, from wallboard --make-ack-key)"),
	NUM("display", "width", K_INT, width, 0, 16384, "0",
	    "window or screen size in pixels; 0 and 0: the whole desktop"),
	NUM("display", "height", K_INT, height, 0, 16384, "0", "set width and height together"),
	NUM("display", "windowed", K_BOOL, windowed, 0, 0, "false", "run in a window"),
	STR("display", "schedule", K_SCHEDULE, schedule, "off",
	    "day hours, local time, days allowed: 07:00-22:00 or mon-fri 07:00-19:00; "
	    "outside them the screen dims or blanks until a crisis or breach fires "
	    "or a touch wakes it for a minute"),
	NUM("display", "night", K_NIGHT, night_blank, 0, 0, "dim",
	    "outside the schedule: dim to night_brightness, or blank"),
	NUM("display", "night_brightness", K_INT, night_brightness, 0, 100, "20",
	    "night brightness in percent: the backlight where /sys/class/backlight "
	    "has one, else a dark veil"),
	NUM("display", "rotate", K_ROTATE, rotate, 0, 0, "0",
	    "clockwise, for a panel mounted on its side: 90 or 270 lay the board "
	    "out in portrait; touches are turned to match"),
	NUM("display", "orbit", K_BOOL, orbit, 0, 0, "true",
	    "against burn-in: shift the whole picture by up to 4 px, one step "
	    "every 3 minutes"),
	NUM("remote", "status_every", K_DUR, status_every_s, 1, 3600, "30s",
	    "how often the board publishes its status JSON on boards/<id>/status"),
	NUM("remote", "allow_unsigned", K_BOOL, remote_allow_unsigned, 0, 0, "false",
	    "take commands on boards/<id>/cmd without a signature when acks.key_file "
	    "is not set (anyone who may publish there can then dim or reload the board)"),
	CHOICE("display", "renderer", renderer, "auto|software|gpu", "auto",
	       "auto: SDL's GPU renderer unless OpenGL is a software rasteriser"),
	CHOICE("display", "redraw", redraw, "changed|whole|check", "changed",
	       "changed: a frame redraws only what differs from the last one; check: "
	       "as changed, and each frame is compared with a whole redraw (for tests)"),
	CHANNEL("name", K_TEXT, name, NULL, "display name, any language (default: WhatsApp, "
		"Facebook, Instagram, X, Web chat, E-mail in the board's language, else the key)"),
	CHANNEL("color", K_COLOR, color, "#808080", "accent colour"),
	NUM("alarms", "snooze", K_DUR, snooze_s, 1, WEEK_S, "15m", "how long an ack lasts"),
	NUM("alarms", "escalate_after", K_DUR, escalate_after_s, 0, WEEK_S, "5m",
	    "an alarm unacknowledged this long escalates (0: at once)"),
	NUM("alarms", "flood_threshold", K_INT, flood_threshold, 0, 10000, "5",
	    "more breaches than this in one channel become one channel alarm"),
	NUM("alarms", "channel_max_open", K_INT, channel_max_open, 0, 100000, "0",
	    "alarm when a channel has more open complaints (0: off)"),
	NUM("alarms", "channel_max_breached", K_INT, channel_max_breached, 0, 100000, "0",
	    "alarm when a channel has more breached complaints (0: off)"),
	NUM("alarms", "channel_max_wait", K_DUR, channel_max_wait_s, 0, WEEK_S, "0",
	    "alarm when a channel's oldest complaint waits longer (0: off)"),
	NUM("alarms", "volume", K_INT, sound_volume, 0, 100, "60", "alarm sound volume"),
	NUM("alarms", "repeat", K_DUR, sound_repeat_s, 0, 24 * 3600, "30s",
	    "the sound repeats this often (0: once)"),
	NUM("alarms", "quiet_hours", K_QUIET, quiet_from_min, 0, 0, "off",
	    "silences (never hides) alarms; local time, may wrap midnight: 22:00-07:00"),
	NUM("surge", "factor", K_INT, surge_factor, 0, 100, "4",
	    "a channel surges with more than this many times its usual new complaints (0: off)"),
	NUM("surge", "min_per_10min", K_INT, surge_min_per_10min, 0, 1000000, "10",
	    "and with more than this many new complaints in 10 minutes"),
	NUM("surge", "learn", K_DUR, surge_learn_s, 0, WEEK_S, "1h",
	    "no surge alarm before a channel's usual rate was learnt this long"),
	NUM("crisis", "report", K_BOOL, crisis_report, 0, 0, "true",
	    "publish a report when a crisis ends (one board of a site is enough)"),
	NUM("crisis", "first_step_within", K_DUR, crisis_first_step_within_s, 0, WEEK_S, "5m",
	    "alarm \"Crisis: no step taken\" when no playbook step is ticked by then (0: off)"),
	STR("crisis", "title", K_TEXT_OPT, crisis_title, "",
	    "a crisis a lead declares from a surge alarm: its title (empty: \"Surge: "
	    "<channel>\" in the board's language)"),
	STR("crisis", "message", K_TEXT_OPT, crisis_message, "",
	    "a declared crisis: the line under its title"),
	NUM("crisis", "level", K_INT, crisis_level, 1, 3, "2",
	    "a declared crisis: 1 minor, 2 major, 3 critical"),
	/* without a step no crisis can be declared (declare.h) */
	STR("crisis", "step1", K_TEXT_OPT, crisis_steps[0], "",
	    "the site's playbook, step 1 (empty: none); a lead can declare a crisis "
	    "from a surge alarm only when the playbook has a step"),
	STEP(2), STEP(3), STEP(4), STEP(5), STEP(6), STEP(7), STEP(8),
	CONTACT("role", K_TEXT_OPT, role, "", "what they do: On call, PR, Legal"),
	CONTACT("name", K_TEXT_OPT, name, "", "their name, any language"),
	CONTACT("phone", K_TEXT_OPT, phone, "", "their number, as it should be dialled"),
	LEAD("pin_hash", K_PIN_HASH, pin_hash, NULL,
	     "required: crypt(3) hash of the lead's PIN, from wallboard --hash-pin"),
};

#define N_KEYS (sizeof keys / sizeof keys[0])

/* Help for the sections, shown by --print-config above their keys; a
 * "*" section is shown with example, commented out. */
static const struct {
	const char *section, *shown, *example, *help;
} sections[] = {
	{ "channel.*", "channel.<key>", "channel.whatsapp",
	  "one [channel.<key>] per complaint channel, shown in this order, then\n"
	  "others as seen; <key> as in the complaint's \"channel\" (lower-cased)" },
	{ "contact.*", "contact.<key>", "contact.1",
	  "one [contact.<key>] per person to call in a crisis a lead declares from\n"
	  "a surge alarm (at most 8, in this order)" },
	{ "lead.*", "lead.<name>", "lead.dana",
	  "one [lead.<name>] per team lead who may acknowledge alarms" },
};

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Whole number in [min, max]: digits only, no sign, no spaces. */
static bool parse_int(const char *s, long min, long max, long *out)
{
	long v = 0;
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = v;
	return true;
}

/* "90", "90s", "15m", "2h" -> seconds (range checked by the caller;
 * anything beyond 100 weeks comes back as 100 weeks + 1, which no range
 * allows, so that long stays below 2^31 on 32-bit boards). */
static bool parse_duration(const char *s, long *out)
{
	long long v = 0, unit = 1;
	const long long cap = 100LL * WEEK_S + 1;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > cap)
			v = cap;
	}
	if (p == s)
		return false;
	if (*p == 's')
		p++;
	else if (*p == 'm')
		unit = 60, p++;
	else if (*p == 'h')
		unit = 3600, p++;
	if (*p != '\0')
		return false;
	*out = (long)(v * unit > cap ? cap : v * unit);
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(s, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

/* "HH:MM" -> minutes after midnight. */
static bool parse_clock(const char *s, const char **end, int *out)
{
	int h = 0, m = 0, n = 0;
	while (*s >= '0' && *s <= '9' && n < 2)
		h = h * 10 + (*s++ - '0'), n++;
	if (n == 0 || *s++ != ':')
		return false;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (h > 23 || m > 59)
		return false;
	*end = s + 2;
	*out = h * 60 + m;
	return true;
}

static bool set_quiet(struct config *cfg, const char *v, char *why, size_t size)
{
	int from, to;
	const char *p;
	if (strcasecmp(v, "off") == 0) {
		cfg->quiet_from_min = cfg->quiet_to_min = -1;
		return true;
	}
	if (!parse_clock(v, &p, &from))
		goto fail;
	while (*p == ' ')
		p++;
	if (*p++ != '-')
		goto fail;
	while (*p == ' ')
		p++;
	if (!parse_clock(p, &p, &to) || *p != '\0')
		goto fail;
	if (from == to)
		return util_refuse(why, size, "start and end are the same: \"%.40s\"", v);
	cfg->quiet_from_min = from;
	cfg->quiet_to_min = to;
	return true;
fail:
	return util_refuse(why, size, "expected off or HH:MM-HH:MM, got \"%.40s\"", v);
}

/* Topic prefix: levels of printable non-space UTF-8, no wildcards. */
static bool check_prefix(const char *v, char *why, size_t size)
{
	if (v[0] == '\0')
		return util_refuse(why, size, "must not be empty");
	if (strpbrk(v, "+#") != NULL)
		return util_refuse(why, size, "must not contain '+' or '#'");
	if (v[0] == '/' || v[strlen(v) - 1] == '/' || strstr(v, "//") != NULL)
		return util_refuse(why, size, "no leading, trailing or doubled '/', got \"%.40s\"",
			   v);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return util_refuse(why, size, "must not contain spaces or control characters");
	if (!decode_utf8_valid(v, strlen(v)))
		return util_refuse(why, size, "not valid UTF-8");
	return true;
}

/* Checks shared by all string kinds; then the copy. */
static bool set_string(const struct key *k, char *dst, const char *v,
		       char *why, size_t size)
{
	bool may_be_empty = k->kind == K_TEXT_OPT || k->kind == K_PATH_OPT;
	if (v[0] == '\0' && !may_be_empty)
		return util_refuse(why, size, "must not be empty");
	if (strlen(v) >= k->size)
		return util_refuse(why, size, "longer than %zu bytes", k->size - 1);
	if (has_control(v))
		return util_refuse(why, size, "contains a control character");
	if ((k->kind == K_TEXT || k->kind == K_TEXT_OPT) &&
	    !decode_utf8_valid(v, strlen(v)))
		return util_refuse(why, size, "not valid UTF-8");
	if (k->kind == K_WORD && strspn(v, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(v))
		return util_refuse(why, size, "only letters, digits, '.', '_' and '-', got \"%.40s\"",
			   v);
	if (k->kind == K_HOST && strchr(v, ' ') != NULL)
		return util_refuse(why, size, "must not contain spaces");
	if (k->kind == K_PREFIX && !check_prefix(v, why, size))
		return false;
	strcpy(dst, v);
	return true;
}

static bool set_number(const struct key *k, int *dst, const char *v,
		       char *why, size_t size)
{
	long n;
	if (k->kind == K_INT) {
		if (!parse_int(v, k->min, k->max, &n))
			return util_refuse(why, size, "expected a whole number %ld..%ld, got \"%.40s\"",
				   k->min, k->max, v);
	} else {
		if (!parse_duration(v, &n))
			return util_refuse(why, size, "expected a duration like 90, 90s, 15m or 2h, "
				   "got \"%.40s\"", v);
		if (n < k->min || n > k->max)
			return util_refuse(why, size, "must be %lds..%lds, got \"%.40s\"", k->min,
				   k->max, v);
	}
	*dst = (int)n;
	return true;
}

static bool set_color(uint32_t *dst, const char *v, char *why, size_t size)
{
	if (v[0] != '#' || strlen(v) != 7 ||
	    strspn(v + 1, "0123456789abcdefABCDEF") != 6)
		return util_refuse(why, size, "expected #RRGGBB, got \"%.40s\"", v);
	*dst = (uint32_t)strtoul(v + 1, NULL, 16);
	return true;
}

/* crypt(3) output: "$id$...", printable ASCII without spaces. */
static bool set_pin_hash(const struct key *k, char *dst, const char *v,
			 char *why, size_t size)
{
	/* v[1] before v + 2: "$" alone must not be read past its end. */
	if (v[0] != '$' || v[1] == '\0' || v[1] == '$' || strchr(v + 2, '$') == NULL)
		return util_refuse(why, size, "expected a crypt(3) hash like $6$salt$hash");
	if (strlen(v) >= k->size)
		return util_refuse(why, size, "longer than %zu bytes", k->size - 1);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return util_refuse(why, size, "expected a crypt(3) hash like $6$salt$hash");
	strcpy(dst, v);
	return true;
}

/* The index of v among k->choices ("a|b|c"). */
static bool set_choice(const struct key *k, int *dst, const char *v, char *why, size_t size)
{
	assert(k->size == sizeof(int)); /* the row's field is an int or an enum */
	size_t n = strlen(v);
	int i = 0;
	for (const char *w = k->choices; *w; i++) {
		size_t len = strcspn(w, "|");
		if (len == n && strncmp(w, v, n) == 0) {
			*dst = i;
			return true;
		}
		w += len + (w[len] == '|');
	}
	return util_refuse(why, size, "expected %s, got \"%.40s\"", k->choices, v);
}

/* One value into its field; base is the struct the row's offset is
 * into (cfg, a channel or a lead). */
static bool set_value(struct config *cfg, void *base, const struct key *k,
		      const char *v, char *why, size_t size)
{
	char *field = (char *)base + k->off;
	bool b;
	switch (k->kind) {
	case K_INT:
	case K_DUR:
		return set_number(k, (int *)field, v, why, size);
	case K_BOOL:
		if (!parse_bool(v, &b))
			return util_refuse(why, size, "expected true or false, got \"%.40s\"", v);
		*(bool *)field = b;
		return true;
	case K_LANG:
		if (strcmp(v, "en") && strcmp(v, "he") && strcmp(v, "fa"))
			return util_refuse(why, size, "expected en, he or fa, got \"%.40s\"", v);
		*(enum lang *)field = v[0] == 'e' ? LANG_EN : v[0] == 'h' ? LANG_HE : LANG_FA;
		return true;
	case K_FLASH:
		if (strcmp(v, "flash") && strcmp(v, "steady"))
			return util_refuse(why, size, "expected flash or steady, got \"%.40s\"", v);
		*(bool *)field = v[0] == 's';
		return true;
	case K_DIGITS:
		if (strcmp(v, "native") && strcmp(v, "latin"))
			return util_refuse(why, size, "expected native or latin, got \"%.40s\"", v);
		*(enum digits *)field = v[0] == 'n' ? DIGITS_NATIVE : DIGITS_LATIN;
		return true;
	case K_CHOICE:
		return set_choice(k, (int *)field, v, why, size);
	case K_QUIET:
		return set_quiet(cfg, v, why, size);
	case K_COLOR:
		return set_color((uint32_t *)field, v, why, size);
	case K_PIN_HASH:
		return set_pin_hash(k, field, v, why, size);
	case K_SCHEDULE: {
		struct schedule s;
		if (!schedule_parse(v, &s, why, size))
			return false;
		return set_string(k, field, v, why, size);
	}
	case K_NIGHT:
		if (strcmp(v, "dim") && strcmp(v, "blank"))
			return util_refuse(why, size, "expected dim or blank, got \"%.40s\"", v);
		*(bool *)field = v[0] == 'b';
		return true;
	case K_ROTATE:
		if (strcmp(v, "0") && strcmp(v, "90") && strcmp(v, "180") && strcmp(v, "270"))
			return util_refuse(why, size, "expected 0, 90, 180 or 270, got \"%.40s\"", v);
		*(int *)field = atoi(v);
		return true;
	default:
		return set_string(k, field, v, why, size);
	}
}

/* The table's defaults into base: those of section ("channel.*",
 * "lead.*"), or with section NULL those of every plain section. A default
 * the table's own checks refuse is a bug in the table: stop at once, in
 * every build (test_config runs this on every row). */
static void apply_defaults(struct config *cfg, void *base, const char *section)
{
	char why[256];
	for (size_t i = 0; i < N_KEYS; i++) {
		bool mine = section ? strcmp(keys[i].section, section) == 0
				    : strchr(keys[i].section, '*') == NULL;
		if (!mine || keys[i].def == NULL)
			continue;
		if (!set_value(cfg, base, &keys[i], keys[i].def, why, sizeof why)) {
			log_error("config", "built-in default [%s] %s = \"%s\": %s",
				  keys[i].section, keys[i].name, keys[i].def, why);
			abort();
		}
	}
}

/* --- [channel.<key>] and [lead.<name>] --- */

static bool check_channel_key(const char *key, char *why, size_t size)
{
	if (key[0] == '\0')
		return util_refuse(why, size, "[channel.<key>] needs a key");
	if (strlen(key) >= sizeof(((struct channel_conf *)0)->key))
		return util_refuse(why, size, "channel key longer than %zu bytes",
			   sizeof(((struct channel_conf *)0)->key) - 1);
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return util_refuse(why, size, "channel key contains a space or control character");
	if (!decode_utf8_valid(key, strlen(key)))
		return util_refuse(why, size, "channel key is not valid UTF-8");
	return true;
}

/* The channel with this key (ASCII lower-cased, as the decoder does),
 * created with defaults when new. NULL with a reason when impossible. */
static struct channel_conf *channel_get(struct config *cfg, const char *key,
					char *why, size_t size)
{
	char low[sizeof(cfg->channels[0].key)];
	if (!check_channel_key(key, why, size))
		return NULL;
	for (size_t i = 0; key[i]; i++)
		low[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] - 'A' + 'a') : key[i];
	low[strlen(key)] = '\0';
	for (size_t i = 0; i < cfg->n_channels; i++)
		if (strcmp(cfg->channels[i].key, low) == 0)
			return &cfg->channels[i];
	if (cfg->n_channels == CONFIG_MAX_CHANNELS) {
		util_refuse(why, size, "too many [channel.*] sections (max %d)", CONFIG_MAX_CHANNELS);
		return NULL;
	}
	struct channel_conf *ch = &cfg->channels[cfg->n_channels++];
	memset(ch, 0, sizeof *ch);
	strcpy(ch->key, low);
	apply_defaults(cfg, ch, "channel.*");
	return ch;
}

static struct lead_conf *lead_get(struct config *cfg, const char *name,
				  char *why, size_t size)
{
	if (name[0] == '\0') {
		util_refuse(why, size, "[lead.<name>] needs a name");
		return NULL;
	}
	if (strlen(name) >= sizeof(cfg->leads[0].name) || has_control(name) ||
	    !decode_utf8_valid(name, strlen(name))) {
		util_refuse(why, size, "lead name must be UTF-8 text of at most %zu bytes",
		    sizeof(cfg->leads[0].name) - 1);
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_leads; i++)
		if (strcmp(cfg->leads[i].name, name) == 0)
			return &cfg->leads[i];
	if (cfg->n_leads == CONFIG_MAX_LEADS) {
		util_refuse(why, size, "too many [lead.*] sections (max %d)", CONFIG_MAX_LEADS);
		return NULL;
	}
	struct lead_conf *lead = &cfg->leads[cfg->n_leads++];
	memset(lead, 0, sizeof *lead);
	strcpy(lead->name, name);
	apply_defaults(cfg, lead, "lead.*");
	return lead;
}

/* [contact.<key>]: created with defaults when new, in file order. */
static struct contact_conf *contact_get(struct config *cfg, const char *key,
					char *why, size_t size)
{
	if (!check_channel_key(key, why, size)) { /* the same rules as a channel's */
		snprintf(why, size, "[contact.<key>] needs a key of at most %zu bytes, "
			 "no spaces", sizeof(cfg->contacts[0].key) - 1);
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_contacts; i++)
		if (strcmp(cfg->contacts[i].key, key) == 0)
			return &cfg->contacts[i];
	if (cfg->n_contacts == CONFIG_MAX_CONTACTS) {
		util_refuse(why, size, "too many [contact.*] sections (max %d)", CONFIG_MAX_CONTACTS);
		return NULL;
	}
	struct contact_conf *k = &cfg->contacts[cfg->n_contacts++];
	memset(k, 0, sizeof *k);
	strcpy(k->key, key);
	apply_defaults(cfg, k, "contact.*");
	return k;
}

/* Sections "channel.<key>", "lead.<name>" and "contact.<key>"; *rest is
 * the part after the dot. Returns 'c', 'l', 'k' or 0. */
static int dotted_section(const char *section, const char **rest)
{
	if (strncmp(section, "channel.", 8) == 0)
		return *rest = section + 8, 'c';
	if (strncmp(section, "contact.", 8) == 0)
		return *rest = section + 8, 'k';
	if (strncmp(section, "lead.", 5) == 0)
		return *rest = section + 5, 'l';
	return 0;
}

static bool known_section(const char *section)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].section, section) == 0)
			return true;
	return false;
}

/* Make sure a section exists (channels and leads are created by their
 * header, even with no keys). */
static enum config_set_result config_section(struct config *cfg, const char *section,
				      char *why, size_t size)
{
	const char *rest;
	switch (dotted_section(section, &rest)) {
	case 'c':
		return channel_get(cfg, rest, why, size) ? CONFIG_SET_OK : CONFIG_SET_BAD;
	case 'l':
		return lead_get(cfg, rest, why, size) ? CONFIG_SET_OK : CONFIG_SET_BAD;
	case 'k':
		return contact_get(cfg, rest, why, size) ? CONFIG_SET_OK : CONFIG_SET_BAD;
	}
	if (known_section(section))
		return CONFIG_SET_OK;
	util_refuse(why, size, "unknown section [%.40s]", section);
	return CONFIG_SET_UNKNOWN;
}

static const struct key *find_key(const char *section, const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

const char *config_default(const char *section, const char *name)
{
	const struct key *k = find_key(section, name);
	return k ? k->def : NULL;
}

enum config_set_result config_set(struct config *cfg, const char *section,
				  const char *name, const char *value,
				  char *why, size_t size)
{
	const char *rest, *row_section = section;
	void *base = cfg;
	enum config_set_result r = config_section(cfg, section, why, size);
	if (r != CONFIG_SET_OK)
		return r;
	switch (dotted_section(section, &rest)) {
	case 'c':
		row_section = "channel.*";
		base = channel_get(cfg, rest, why, size);
		break;
	case 'l':
		row_section = "lead.*";
		base = lead_get(cfg, rest, why, size);
		break;
	case 'k':
		row_section = "contact.*";
		base = contact_get(cfg, rest, why, size);
		break;
	}
	const struct key *k = find_key(row_section, name);
	if (k != NULL)
		return set_value(cfg, base, k, value, why, size) ? CONFIG_SET_OK : CONFIG_SET_BAD;
	util_refuse(why, size, "unknown key \"%.40s\" in [%s]", name, section);
	return CONFIG_SET_UNKNOWN;
}

/* --- defaults --- */

/* The ack journal's directory: the system one if this user may write
 * there, else the user's state directory. Nothing is created here. */
static void default_state_dir(char *dst, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n = -1;
	if (access("/var/lib/wallboard", W_OK) == 0)
		n = snprintf(dst, size, "/var/lib/wallboard");
	else if (xdg != NULL && xdg[0] == '/')
		n = snprintf(dst, size, "%s/wallboard", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(dst, size, "%s/.local/state/wallboard", home);
	if (n < 0 || (size_t)n >= size)
		snprintf(dst, size, "/var/lib/wallboard");
}

/* The table's defaults, then the three computed ones (def NULL). */
void config_defaults(struct config *cfg)
{
	char host[256];
	memset(cfg, 0, sizeof *cfg);
	apply_defaults(cfg, cfg, NULL);
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "wallboard");
	host[sizeof host - 1] = '\0';
	snprintf(cfg->board_id, sizeof cfg->board_id, "%.*s",
		 (int)sizeof cfg->board_id - 1, host);
	if (!paths_asset_dir(cfg->asset_dir, sizeof cfg->asset_dir))
		snprintf(cfg->asset_dir, sizeof cfg->asset_dir, "%s", WB_ASSET_DIR);
	default_state_dir(cfg->state_dir, sizeof cfg->state_dir);
	cfg->screenshot_after = 1.0;
}

/* --- the file --- */

/* libinih reads through read_line(), one line per call, so the line
 * number here is the one the handler's key is on. */
struct source {
	struct config *cfg;
	const char *name;       /* file name for messages */
	const char *next;       /* unread text */
	int line;               /* line last handed to libinih */
	bool section_ok;        /* false: keys are in a reported bad section */
	bool failed;
	int first_handler_error;
	int first_syntax_error;
	int size_line;          /* last line setting width or height */
	int lead_line[CONFIG_MAX_LEADS];
};

__attribute__((format(printf, 2, 3)))
static void report(struct source *src, const char *fmt, ...)
{
	char why[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	log_error("config", "%s:%d: %s", src->name, src->line, why);
	src->failed = true;
}

/* A "[section]" line: check and create the section now, so that empty
 * and unknown sections are caught too. */
static void check_header(struct source *src, const char *line)
{
	char section[SECTION_MAX + 2], why[256];
	const char *end = strchr(line, ']');
	size_t n = end ? (size_t)(end - line - 1) : 0;
	if (end == NULL)
		return; /* libinih reports the syntax error */
	src->section_ok = false;
	if (n > SECTION_MAX) {
		report(src, "section name longer than %d bytes", SECTION_MAX);
		return;
	}
	memcpy(section, line + 1, n);
	section[n] = '\0';
	size_t leads = src->cfg->n_leads;
	if (config_section(src->cfg, section, why, sizeof why) != CONFIG_SET_OK) {
		report(src, "%s", why);
		return;
	}
	if (src->cfg->n_leads > leads)
		src->lead_line[leads] = src->line;
	src->section_ok = true;
}

static void note_syntax_error(struct source *src)
{
	if (src->first_syntax_error == 0)
		src->first_syntax_error = src->line;
}

static void check_line(struct source *src, const char *line)
{
	if (line[0] == '[') {
		check_header(src, line);
		if (strchr(line, ']') == NULL) {
			report(src, "expected [section], got \"%.40s\"", line);
			note_syntax_error(src);
		}
	} else if (line[0] != '\0' && line[0] != ';' && line[0] != '#' &&
		   strpbrk(line, "=:") == NULL) {
		report(src, "expected key = value, got \"%.40s\"", line);
		note_syntax_error(src);
	}
}

/* ini_reader: the next line without its newline and leading blanks (so
 * libinih never takes it for a continuation of the previous value). */
static char *read_line(char *buf, int size, void *stream)
{
	struct source *src = stream;
	if (*src->next == '\0')
		return NULL;
	const char *p = src->next, *nl = strchr(p, '\n');
	size_t n = nl ? (size_t)(nl - p) : strlen(p);
	src->next = p + n + (nl != NULL);
	src->line++;
	if (src->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3; /* UTF-8 byte order mark */
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (n + 2 > (size_t)size) {
		report(src, "line longer than %d bytes", size - 2);
		n = 0;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	check_line(src, buf);
	return buf;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct source *src = user;
	char why[256];
	enum config_set_result r = CONFIG_SET_BAD;

	if (!src->section_ok)
		; /* already reported at the section's header */
	else if (section[0] == '\0')
		report(src, "%.40s: key outside any [section]", name);
	else if ((r = config_set(src->cfg, section, name, value, why, sizeof why)) == CONFIG_SET_UNKNOWN)
		report(src, "%s", why);
	else if (r == CONFIG_SET_BAD)
		report(src, "%s: %s", name, why);
	if (r == CONFIG_SET_OK) {
		if (strcmp(section, "display") == 0 && strcmp(name, "windowed") != 0)
			src->size_line = src->line;
		return 1;
	}
	if (src->first_handler_error == 0)
		src->first_handler_error = src->line;
	return 0;
}

/* Checks across keys, after the whole file. */
static void check_file(struct source *src)
{
	struct config *cfg = src->cfg;
	for (size_t i = 0; i < cfg->n_leads; i++) {
		if (cfg->leads[i].pin_hash[0] == '\0') {
			src->line = src->lead_line[i];
			report(src, "[lead.%s] has no pin_hash", cfg->leads[i].name);
		}
	}
	if ((cfg->width == 0) != (cfg->height == 0)) {
		src->line = src->size_line;
		report(src, "width and height must be set together (or both 0)");
	}
}

bool config_load_string(struct config *cfg, const char *text, const char *name)
{
	struct source src = { .cfg = cfg, .name = name ? name : "<string>",
			      .next = text ? text : "", .section_ok = true };
	int rc = ini_parse_stream(read_line, &src, on_key, &src);
	if (rc > 0 && rc != src.first_handler_error && rc != src.first_syntax_error) {
		src.line = rc;
		report(&src, "expected [section] or key = value");
	} else if (rc < 0) {
		report(&src, "out of memory");
	}
	check_file(&src);
	return !src.failed;
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

bool config_load_file(struct config *cfg, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		log_error("config", "%s: %s", path, strerror(errno));
		return false;
	}
	char *text = malloc(FILE_MAX + 1);
	size_t n = text ? fread(text, 1, FILE_MAX + 1, f) : 0;
	bool read_error = text == NULL || ferror(f);
	fclose(f);
	bool ok = false;
	if (read_error)
		log_error("config", "%s: cannot read", path);
	else if (n > FILE_MAX)
		log_error("config", "%s: larger than %d bytes", path, FILE_MAX);
	else if (memchr(text, '\0', n) != NULL)
		log_error("config", "%s:%d: contains a NUL byte", path,
			  line_of(text, (const char *)memchr(text, '\0', n)));
	else {
		text[n] = '\0';
		ok = config_load_string(cfg, text, path);
	}
	free(text);
	return ok;
}

const struct channel_conf *config_channel(const struct config *cfg, const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < cfg->n_channels; i++)
		if (strcmp(cfg->channels[i].key, key) == 0)
			return &cfg->channels[i];
	return NULL;
}

/* --- the table, written out --- */

/* Seconds as the file would spell them, in the largest whole unit. */
static const char *dur_text(long s, char *buf, size_t size)
{
	if (s != 0 && s % 3600 == 0)
		snprintf(buf, size, "%ldh", s / 3600);
	else if (s != 0 && s % 60 == 0)
		snprintf(buf, size, "%ldm", s / 60);
	else
		snprintf(buf, size, "%lds", s);
	return buf;
}

/* What a kind accepts, for people. */
static const char *kind_hint(const struct key *k, char *buf, size_t size)
{
	switch (k->kind) {
	case K_TEXT: return "UTF-8 text";
	case K_TEXT_OPT: return "UTF-8 text, may be empty";
	case K_WORD: return "letters, digits, '.', '_', '-'";
	case K_HOST: return "host name or address";
	case K_PATH: return "path";
	case K_PATH_OPT: return "path, may be empty";
	case K_INT: snprintf(buf, size, "%ld..%ld", k->min, k->max); return buf;
	case K_DUR: {
		char lo[24], hi[24];
		snprintf(buf, size, "duration %s..%s", dur_text(k->min, lo, sizeof lo),
			 dur_text(k->max, hi, sizeof hi));
		return buf;
	}
	case K_BOOL: return "true | false";
	case K_LANG: return "en | he | fa";
	case K_FLASH: return "flash | steady";
	case K_DIGITS: return "native | latin";
	case K_CHOICE: return k->choices;
	case K_PREFIX: return "MQTT topic levels, '/' between them";
	case K_QUIET: return "off | HH:MM-HH:MM";
	case K_COLOR: return "#RRGGBB";
	case K_PIN_HASH: return "crypt(3) hash";
	case K_SCHEDULE: return "off | [DAYS ]HH:MM-HH:MM";
	case K_NIGHT: return "dim | blank";
	case K_ROTATE: return "0 | 90 | 180 | 270";
	}
	return "";
}

/* The row of sections[] for a "*" section, or NULL. */
static int section_info(const char *section)
{
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (strcmp(sections[i].section, section) == 0)
			return (int)i;
	return -1;
}

/* True for the first row of each section: sections in table order. */
static bool first_of_section(size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(keys[j].section, keys[i].section) == 0)
			return false;
	return true;
}

/* text as "# " comment lines of at most 76 columns; '\n' breaks a line. */
static void write_comment(FILE *out, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		if (n > 74) {
			n = 74;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = strcspn(text, " \n");
		}
		fprintf(out, "# %.*s\n", (int)n, text);
		text += n;
		if (*text == ' ' || *text == '\n')
			text++;
	}
}

static void write_section(FILE *out, const char *section)
{
	int info = section_info(section);
	const char *c = info >= 0 ? ";" : "";
	char hint[64], line[320];
	fputc('\n', out);
	if (info >= 0)
		write_comment(out, sections[info].help);
	fprintf(out, "%s[%s]\n", c, info >= 0 ? sections[info].example : section);
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key *k = &keys[i];
		if (strcmp(k->section, section) != 0)
			continue;
		snprintf(line, sizeof line, "%s\nValues: %s", k->help,
			 kind_hint(k, hint, sizeof hint));
		fputc('\n', out);
		write_comment(out, line);
		fprintf(out, "%s%s =%s%s\n", k->def ? c : ";", k->name,
			k->def && k->def[0] ? " " : "", k->def ? k->def : "");
	}
}

void config_write_example(FILE *out)
{
	fprintf(out, "# wallboard.ini: every setting with its built-in default, written by\n"
		"# `wallboard --print-config` (wallboard %s). Edit what you need.\n", WB_VERSION);
	write_comment(out, "Lines starting with ';' are not in force: their default is computed "
		      "at start, or they show a section of which there may be many. "
		      "Durations: 90, 90s, 15m or 2h (seconds, minutes, hours). Booleans: "
		      "true/false, yes/no, on/off, 1/0. On the command line, "
		      "--set SECTION.KEY=VALUE sets any key over this file.");
	for (size_t i = 0; i < N_KEYS; i++)
		if (first_of_section(i))
			write_section(out, keys[i].section);
}

void config_write_key_list(FILE *out)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		if (!first_of_section(i))
			continue;
		int info = section_info(keys[i].section), col;
		col = fprintf(out, "  [%s]", info >= 0 ? sections[info].shown : keys[i].section);
		for (; col < 18; col++)
			fputc(' ', out);
		for (size_t j = i; j < N_KEYS; j++) {
			if (strcmp(keys[j].section, keys[i].section) != 0)
				continue;
			int n = (int)strlen(keys[j].name) + (col > 18);
			if (col + n > 78)
				col = fprintf(out, "\n%18s", "") - 1;
			col += fprintf(out, "%s%s", col > 18 ? " " : "", keys[j].name);
		}
		fputc('\n', out);
	}
}
