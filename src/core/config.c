/* config.c - see config.h.
 *
 * Configuration file (INI). Every key below may also be given on the
 * command line as --set SECTION.KEY=VALUE; both go through config_set().
 * An unknown section or key, or a bad value, stops the board with
 * FILE:LINE: reason.
 *
 *   [board]
 *   site           = Support floor   header title (any language)
 *   board_id       = <hostname>      unique per board: letters, digits . _ -
 *   lang           = en              en | he | fa
 *   at_risk        = 10m             "due soon" window (duration)
 *   flash          = flash           flash | steady (crisis banner)
 *   assets         = <build dir>     where the fonts are
 *   state_dir      = /var/lib/wallboard (if writable, else
 *                                    $XDG_STATE_HOME or ~/.local/state,
 *                                    + /wallboard; not created here)
 *   [mqtt]
 *   host           = 127.0.0.1
 *   port           = 1883            1..65535
 *   prefix         = wallboard       topic prefix: no '+', '#', spaces,
 *                                    empty levels or trailing '/'
 *   keepalive      = 10              duration, 5s..1h
 *   username       =                 empty: none
 *   password       =
 *   cafile         =                 set: TLS, checked against this CA
 *   [display]
 *   width          = 0               0 and 0: the whole desktop
 *   height         = 0               (set both or neither)
 *   windowed       = false           bool
 *   [channel.<key>]                  one per complaint channel, in order;
 *                                    key as in the complaint (lower-cased)
 *   name           = <key>           display name, any language
 *   color          = #808080         accent colour, #RRGGBB
 *   [alarms]
 *   snooze         = 15m             how long an ack lasts (duration, >= 1s)
 *   escalate_after = 5m              unacked alarm escalates (0: at once)
 *   flood_threshold= 5               more breaches than this in one channel
 *                                    become one channel alarm
 *   channel_max_open     = 0         per channel limits, 0: off
 *   channel_max_breached = 0
 *   channel_max_wait     = 0         duration
 *   volume         = 60              0..100
 *   repeat         = 30s             sound repeats (duration, 0: once)
 *   quiet_hours    = off             off | HH:MM-HH:MM (local time, may
 *                                    wrap midnight: 22:00-07:00)
 *   [lead.<name>]                    a team lead who may acknowledge
 *   pin_hash       = $6$...          crypt(3) hash of the lead's PIN
 *
 * Values: durations are 90, 90s, 15m or 2h (at most 7 days); bools are
 * true/false, yes/no, on/off, 1/0. Lines start with "key = value",
 * "[section]", or ';' / '#' for comments; " ;" after a value starts a
 * comment too. Lines are at most 198 bytes, section names at most 48.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "decode.h"
#include "log.h"

#ifndef WB_VERSION
#define WB_VERSION "0.1.0"
#endif

#define WEEK_S (7 * 24 * 3600)
#define FILE_MAX (1024 * 1024)  /* a config file larger than this is a mistake */
#define SECTION_MAX 48          /* libinih silently cuts longer section names */
#define DEFAULT_COLOR 0x808080

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
	K_PREFIX,
	K_QUIET,
};

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;       /* into struct config */
	size_t size;      /* strings: buffer size */
	long min, max;    /* numbers */
};

#define STR(s, n, k, f) { s, n, k, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), 0, 0 }
#define NUM(s, n, k, f, lo, hi) { s, n, k, offsetof(struct config, f), 0, lo, hi }

static const struct key keys[] = {
	STR("board", "site", K_TEXT, site),
	STR("board", "board_id", K_WORD, board_id),
	NUM("board", "lang", K_LANG, lang, 0, 0),
	NUM("board", "at_risk", K_DUR, at_risk_s, 0, WEEK_S),
	NUM("board", "flash", K_FLASH, flash_steady, 0, 0),
	STR("board", "assets", K_PATH, asset_dir),
	STR("board", "state_dir", K_PATH, state_dir),
	STR("mqtt", "host", K_HOST, host),
	NUM("mqtt", "port", K_INT, port, 1, 65535),
	STR("mqtt", "prefix", K_PREFIX, prefix),
	NUM("mqtt", "keepalive", K_DUR, keepalive_s, 5, 3600),
	STR("mqtt", "username", K_TEXT_OPT, username),
	STR("mqtt", "password", K_TEXT_OPT, password),
	STR("mqtt", "cafile", K_PATH_OPT, cafile),
	NUM("display", "width", K_INT, width, 0, 16384),
	NUM("display", "height", K_INT, height, 0, 16384),
	NUM("display", "windowed", K_BOOL, windowed, 0, 0),
	NUM("alarms", "snooze", K_DUR, snooze_s, 1, WEEK_S),
	NUM("alarms", "escalate_after", K_DUR, escalate_after_s, 0, WEEK_S),
	NUM("alarms", "flood_threshold", K_INT, flood_threshold, 0, 10000),
	NUM("alarms", "channel_max_open", K_INT, channel_max_open, 0, 100000),
	NUM("alarms", "channel_max_breached", K_INT, channel_max_breached, 0, 100000),
	NUM("alarms", "channel_max_wait", K_DUR, channel_max_wait_s, 0, WEEK_S),
	NUM("alarms", "volume", K_INT, sound_volume, 0, 100),
	NUM("alarms", "repeat", K_DUR, sound_repeat_s, 0, 24 * 3600),
	NUM("alarms", "quiet_hours", K_QUIET, quiet_from_min, 0, 0),
};

enum set_result { SET_OK, SET_UNKNOWN, SET_BAD };

__attribute__((format(printf, 3, 4)))
static bool bad(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return false;
}

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
		return bad(why, size, "start and end are the same: \"%.40s\"", v);
	cfg->quiet_from_min = from;
	cfg->quiet_to_min = to;
	return true;
fail:
	return bad(why, size, "expected off or HH:MM-HH:MM, got \"%.40s\"", v);
}

/* Topic prefix: levels of printable non-space UTF-8, no wildcards. */
static bool check_prefix(const char *v, char *why, size_t size)
{
	if (v[0] == '\0')
		return bad(why, size, "must not be empty");
	if (strpbrk(v, "+#") != NULL)
		return bad(why, size, "must not contain '+' or '#'");
	if (v[0] == '/' || v[strlen(v) - 1] == '/' || strstr(v, "//") != NULL)
		return bad(why, size, "no leading, trailing or doubled '/', got \"%.40s\"",
			   v);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return bad(why, size, "must not contain spaces or control characters");
	if (!decode_utf8_valid(v, strlen(v)))
		return bad(why, size, "not valid UTF-8");
	return true;
}

/* Checks shared by all string kinds; then the copy. */
static bool set_string(const struct key *k, char *dst, const char *v,
		       char *why, size_t size)
{
	bool may_be_empty = k->kind == K_TEXT_OPT || k->kind == K_PATH_OPT;
	if (v[0] == '\0' && !may_be_empty)
		return bad(why, size, "must not be empty");
	if (strlen(v) >= k->size)
		return bad(why, size, "longer than %zu bytes", k->size - 1);
	if (has_control(v))
		return bad(why, size, "contains a control character");
	if ((k->kind == K_TEXT || k->kind == K_TEXT_OPT) &&
	    !decode_utf8_valid(v, strlen(v)))
		return bad(why, size, "not valid UTF-8");
	if (k->kind == K_WORD && strspn(v, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(v))
		return bad(why, size, "only letters, digits, '.', '_' and '-', got \"%.40s\"",
			   v);
	if (k->kind == K_HOST && strchr(v, ' ') != NULL)
		return bad(why, size, "must not contain spaces");
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
			return bad(why, size, "expected a whole number %ld..%ld, got \"%.40s\"",
				   k->min, k->max, v);
	} else {
		if (!parse_duration(v, &n))
			return bad(why, size, "expected a duration like 90, 90s, 15m or 2h, "
				   "got \"%.40s\"", v);
		if (n < k->min || n > k->max)
			return bad(why, size, "must be %lds..%lds, got \"%.40s\"", k->min,
				   k->max, v);
	}
	*dst = (int)n;
	return true;
}

static bool set_value(struct config *cfg, const struct key *k, const char *v,
		      char *why, size_t size)
{
	char *field = (char *)cfg + k->off;
	bool b;
	switch (k->kind) {
	case K_INT:
	case K_DUR:
		return set_number(k, (int *)field, v, why, size);
	case K_BOOL:
		if (!parse_bool(v, &b))
			return bad(why, size, "expected true or false, got \"%.40s\"", v);
		*(bool *)field = b;
		return true;
	case K_LANG:
		if (strcmp(v, "en") && strcmp(v, "he") && strcmp(v, "fa"))
			return bad(why, size, "expected en, he or fa, got \"%.40s\"", v);
		cfg->lang = v[0] == 'e' ? LANG_EN : v[0] == 'h' ? LANG_HE : LANG_FA;
		return true;
	case K_FLASH:
		if (strcmp(v, "flash") && strcmp(v, "steady"))
			return bad(why, size, "expected flash or steady, got \"%.40s\"", v);
		cfg->flash_steady = v[0] == 's';
		return true;
	case K_QUIET:
		return set_quiet(cfg, v, why, size);
	default:
		return set_string(k, field, v, why, size);
	}
}

/* --- [channel.<key>] and [lead.<name>] --- */

static bool check_channel_key(const char *key, char *why, size_t size)
{
	if (key[0] == '\0')
		return bad(why, size, "[channel.<key>] needs a key");
	if (strlen(key) >= sizeof(((struct channel_conf *)0)->key))
		return bad(why, size, "channel key longer than %zu bytes",
			   sizeof(((struct channel_conf *)0)->key) - 1);
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return bad(why, size, "channel key contains a space or control character");
	if (!decode_utf8_valid(key, strlen(key)))
		return bad(why, size, "channel key is not valid UTF-8");
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
		bad(why, size, "too many [channel.*] sections (max %d)", CONFIG_MAX_CHANNELS);
		return NULL;
	}
	struct channel_conf *ch = &cfg->channels[cfg->n_channels++];
	memset(ch, 0, sizeof *ch);
	strcpy(ch->key, low);
	snprintf(ch->name, sizeof ch->name, "%s", low);
	ch->color = DEFAULT_COLOR;
	return ch;
}

static struct lead_conf *lead_get(struct config *cfg, const char *name,
				  char *why, size_t size)
{
	if (name[0] == '\0') {
		bad(why, size, "[lead.<name>] needs a name");
		return NULL;
	}
	if (strlen(name) >= sizeof(cfg->leads[0].name) || has_control(name) ||
	    !decode_utf8_valid(name, strlen(name))) {
		bad(why, size, "lead name must be UTF-8 text of at most %zu bytes",
		    sizeof(cfg->leads[0].name) - 1);
		return NULL;
	}
	for (size_t i = 0; i < cfg->n_leads; i++)
		if (strcmp(cfg->leads[i].name, name) == 0)
			return &cfg->leads[i];
	if (cfg->n_leads == CONFIG_MAX_LEADS) {
		bad(why, size, "too many [lead.*] sections (max %d)", CONFIG_MAX_LEADS);
		return NULL;
	}
	struct lead_conf *lead = &cfg->leads[cfg->n_leads++];
	memset(lead, 0, sizeof *lead);
	strcpy(lead->name, name);
	return lead;
}

static bool set_color(uint32_t *dst, const char *v, char *why, size_t size)
{
	if (v[0] != '#' || strlen(v) != 7 ||
	    strspn(v + 1, "0123456789abcdefABCDEF") != 6)
		return bad(why, size, "expected #RRGGBB, got \"%.40s\"", v);
	*dst = (uint32_t)strtoul(v + 1, NULL, 16);
	return true;
}

/* crypt(3) output: "$id$...", printable ASCII without spaces. */
static bool set_pin_hash(struct lead_conf *lead, const char *v, char *why, size_t size)
{
	if (v[0] != '$' || strchr(v + 2, '$') == NULL || v[1] == '$')
		return bad(why, size, "expected a crypt(3) hash like $6$salt$hash");
	if (strlen(v) >= sizeof lead->pin_hash)
		return bad(why, size, "longer than %zu bytes", sizeof lead->pin_hash - 1);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return bad(why, size, "expected a crypt(3) hash like $6$salt$hash");
	strcpy(lead->pin_hash, v);
	return true;
}

/* Sections "channel.<key>" and "lead.<name>"; *rest is the part after
 * the dot. Returns 'c', 'l' or 0. */
static int dotted_section(const char *section, const char **rest)
{
	if (strncmp(section, "channel.", 8) == 0)
		return *rest = section + 8, 'c';
	if (strncmp(section, "lead.", 5) == 0)
		return *rest = section + 5, 'l';
	return 0;
}

static bool known_section(const char *section)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0)
			return true;
	return false;
}

/* Make sure a section exists (channels and leads are created by their
 * header, even with no keys). */
static enum set_result config_section(struct config *cfg, const char *section,
				      char *why, size_t size)
{
	const char *rest;
	switch (dotted_section(section, &rest)) {
	case 'c':
		return channel_get(cfg, rest, why, size) ? SET_OK : SET_BAD;
	case 'l':
		return lead_get(cfg, rest, why, size) ? SET_OK : SET_BAD;
	}
	if (known_section(section))
		return SET_OK;
	bad(why, size, "unknown section [%.40s]", section);
	return SET_UNKNOWN;
}

/* One setting, from the file or from the command line. On failure why
 * holds the reason (without the key's name for SET_BAD). */
static enum set_result config_set(struct config *cfg, const char *section,
				  const char *name, const char *value,
				  char *why, size_t size)
{
	const char *rest;
	enum set_result r = config_section(cfg, section, why, size);
	if (r != SET_OK)
		return r;
	switch (dotted_section(section, &rest)) {
	case 'c': {
		struct channel_conf *ch = channel_get(cfg, rest, why, size);
		if (strcmp(name, "name") == 0) {
			struct key k = { section, name, K_TEXT, 0, sizeof ch->name, 0, 0 };
			return set_string(&k, ch->name, value, why, size) ? SET_OK : SET_BAD;
		}
		if (strcmp(name, "color") == 0)
			return set_color(&ch->color, value, why, size) ? SET_OK : SET_BAD;
		break;
	}
	case 'l':
		if (strcmp(name, "pin_hash") == 0)
			return set_pin_hash(lead_get(cfg, rest, why, size), value, why, size) ?
			       SET_OK : SET_BAD;
		break;
	default:
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (strcmp(keys[i].section, section) == 0 &&
			    strcmp(keys[i].name, name) == 0)
				return set_value(cfg, &keys[i], value, why, size) ?
				       SET_OK : SET_BAD;
	}
	bad(why, size, "unknown key \"%.40s\" in [%s]", name, section);
	return SET_UNKNOWN;
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

void config_defaults(struct config *cfg)
{
	char host[256];
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->site, sizeof cfg->site, "Support floor");
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "wallboard");
	host[sizeof host - 1] = '\0';
	snprintf(cfg->board_id, sizeof cfg->board_id, "%.*s",
		 (int)sizeof cfg->board_id - 1, host);
	cfg->lang = LANG_EN;
	cfg->at_risk_s = 600;
	snprintf(cfg->asset_dir, sizeof cfg->asset_dir, "%s", WB_ASSET_DIR);
	default_state_dir(cfg->state_dir, sizeof cfg->state_dir);
	snprintf(cfg->host, sizeof cfg->host, "127.0.0.1");
	cfg->port = 1883;
	snprintf(cfg->prefix, sizeof cfg->prefix, "wallboard");
	cfg->keepalive_s = 10;
	cfg->snooze_s = 900;
	cfg->escalate_after_s = 300;
	cfg->flood_threshold = 5;
	cfg->sound_volume = 60;
	cfg->sound_repeat_s = 30;
	cfg->quiet_from_min = cfg->quiet_to_min = -1;
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
	if (config_section(src->cfg, section, why, sizeof why) != SET_OK) {
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
	enum set_result r = SET_BAD;

	if (!src->section_ok)
		; /* already reported at the section's header */
	else if (section[0] == '\0')
		report(src, "%.40s: key outside any [section]", name);
	else if ((r = config_set(src->cfg, section, name, value, why, sizeof why)) == SET_UNKNOWN)
		report(src, "%s", why);
	else if (r == SET_BAD)
		report(src, "%s: %s", name, why);
	if (r == SET_OK) {
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

/* --- the command line --- */

enum {
	O_CONFIG = 256, O_BROKER, O_PREFIX, O_SIZE, O_WINDOWED, O_FULLSCREEN,
	O_LANG, O_SITE, O_BOARD_ID, O_AT_RISK, O_STEADY, O_ASSETS, O_STATE_DIR,
	O_SCREENSHOT, O_SCREENSHOT_AFTER, O_DUMP_STATE, O_SET, O_VERSION,
	O_INPUT_SCRIPT, O_HASH_PIN,
};

static const struct option options[] = {
	{ "config", required_argument, NULL, O_CONFIG },
	{ "broker", required_argument, NULL, O_BROKER },
	{ "prefix", required_argument, NULL, O_PREFIX },
	{ "size", required_argument, NULL, O_SIZE },
	{ "windowed", no_argument, NULL, O_WINDOWED },
	{ "fullscreen", no_argument, NULL, O_FULLSCREEN },
	{ "lang", required_argument, NULL, O_LANG },
	{ "site", required_argument, NULL, O_SITE },
	{ "board-id", required_argument, NULL, O_BOARD_ID },
	{ "at-risk", required_argument, NULL, O_AT_RISK },
	{ "steady", no_argument, NULL, O_STEADY },
	{ "assets", required_argument, NULL, O_ASSETS },
	{ "state-dir", required_argument, NULL, O_STATE_DIR },
	{ "screenshot", required_argument, NULL, O_SCREENSHOT },
	{ "screenshot-after", required_argument, NULL, O_SCREENSHOT_AFTER },
	{ "dump-state", required_argument, NULL, O_DUMP_STATE },
	{ "input-script", required_argument, NULL, O_INPUT_SCRIPT },
	{ "hash-pin", no_argument, NULL, O_HASH_PIN },
	{ "set", required_argument, NULL, O_SET },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* '+': stop at the first non-option (and do not reorder argv);
 * ':': report a missing value as ':' rather than '?'. */
static const char short_options[] = "+:hv";

/* Flags that are just another name for one config key. value NULL: the
 * flag's argument. */
static const struct {
	int opt;
	const char *section, *name, *value;
} flag_keys[] = {
	{ O_PREFIX, "mqtt", "prefix", NULL },
	{ O_WINDOWED, "display", "windowed", "true" },
	{ O_FULLSCREEN, "display", "windowed", "false" },
	{ O_LANG, "board", "lang", NULL },
	{ O_SITE, "board", "site", NULL },
	{ O_BOARD_ID, "board", "board_id", NULL },
	{ O_AT_RISK, "board", "at_risk", NULL },
	{ O_STEADY, "board", "flash", "steady" },
	{ O_ASSETS, "board", "assets", NULL },
	{ O_STATE_DIR, "board", "state_dir", NULL },
};

static void usage(FILE *out)
{
	fputs("Usage: wallboard [OPTION]...\n"
	      "Show open complaints, SLA timers and crises from MQTT on a wall display.\n"
	      "\n"
	      "Settings come from built-in defaults, then the --config file, then the\n"
	      "flags below in the order given.\n"
	      "\n"
	      "  --config FILE             read settings from an INI file\n"
	      "  --set SECTION.KEY=VALUE   set any config file key, e.g.\n"
	      "                            --set alarms.volume=40\n"
	      "                            --set channel.whatsapp.color=#25d366\n"
	      "  --broker HOST[:PORT]      MQTT broker (default 127.0.0.1:1883)\n"
	      "  --prefix PREFIX           topic prefix (default wallboard)\n"
	      "  --size WxH                window or screen size in pixels\n"
	      "  --windowed                run in a window\n"
	      "  --fullscreen              run full screen (default)\n"
	      "  --lang en|he|fa           language of the board's own labels\n"
	      "  --site NAME               header title (default \"Support floor\")\n"
	      "  --board-id ID             this board's id in acks (default: host name)\n"
	      "  --at-risk DURATION        \"due soon\" window (default 10m)\n"
	      "  --steady                  crisis banner without flashing\n"
	      "  --assets DIR              where the fonts are\n"
	      "  --state-dir DIR           where the ack journal is kept\n"
	      "  --screenshot FILE.png     write a screenshot, then exit\n"
	      "  --screenshot-after SECS   when to take it (default 1)\n"
	      "  --dump-state FILE.json    keep FILE up to date with the board's state\n"
	      "                            (JSON, rewritten atomically on every change)\n"
	      "  --input-script FILE       replay input events from FILE (tests, demos):\n"
	      "                            lines \"SECONDS key NAME|type DIGITS|click X Y|\n"
	      "                            tap X Y|quit\"\n"
	      "  --hash-pin                read a PIN on stdin, print its hash for\n"
	      "                            [lead.<name>] pin_hash, and exit\n"
	      "  -v, --verbose             log more (repeat for even more)\n"
	      "  -h, --help                show this help and exit\n"
	      "      --version             show the version and exit\n"
	      "\n"
	      "DURATION is 90, 90s, 15m or 2h. Config file sections and keys:\n"
	      "  [board]    site board_id lang at_risk flash(flash|steady) assets state_dir\n"
	      "  [mqtt]     host port prefix keepalive username password cafile\n"
	      "  [display]  width height windowed\n"
	      "  [alarms]   snooze escalate_after flood_threshold channel_max_open\n"
	      "             channel_max_breached channel_max_wait volume repeat\n"
	      "             quiet_hours(off|HH:MM-HH:MM)\n"
	      "  [channel.<key>]  name color(#RRGGBB)\n"
	      "  [lead.<name>]    pin_hash (a crypt(3) hash)\n"
	      "\n"
	      "Exit status: 0 normal, 1 runtime failure, 2 bad usage or configuration.\n",
	      out);
}

__attribute__((format(printf, 2, 3)))
static int usage_error(const char *flag, const char *fmt, ...)
{
	char why[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	fprintf(stderr, "wallboard: %s%s%s\nTry 'wallboard --help'.\n",
		flag ? flag : "", flag ? ": " : "", why);
	return 2;
}

/* "--size" for O_SIZE, "-v" for 'v'. */
static const char *flag_name(int opt, char *buf, size_t size)
{
	snprintf(buf, size, "-%c", opt > 0 && opt < 128 ? opt : '?');
	for (const struct option *o = options; o->name; o++)
		if (o->val == opt && opt >= 256)
			snprintf(buf, size, "--%s", o->name);
	return buf;
}

static int getopt_error(int c, char **argv)
{
	char name[32];
	if (c == ':')
		return usage_error(flag_name(optopt, name, sizeof name), "needs a value");
	if (optopt >= 256)
		return usage_error(flag_name(optopt, name, sizeof name), "takes no value");
	if (optopt != 0)
		return usage_error(NULL, "unknown option \"-%c\"", optopt);
	return usage_error(NULL, "unknown or ambiguous option \"%.60s\"", argv[optind - 1]);
}

/* Tests parse many command lines in one process. */
static void getopt_reset(void)
{
	opterr = 0;
#ifdef __GLIBC__
	optind = 0; /* glibc: 0 also clears its state inside a "-abc" group */
#else
	optind = 1;
#endif
}

/* Apply one config key for a flag; prints the error. */
static int set_key(struct config *cfg, const char *flag, const char *section,
		   const char *name, const char *value)
{
	char why[256];
	if (config_set(cfg, section, name, value, why, sizeof why) != SET_OK)
		return usage_error(flag, "%s", why);
	return 0;
}

/* HOST, HOST:PORT, [IPV6] or [IPV6]:PORT; a bare IPv6 address has no port. */
static int set_broker(struct config *cfg, const char *arg)
{
	char host[sizeof cfg->host];
	const char *port = NULL, *colon = strchr(arg, ':');
	size_t n = strlen(arg);
	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			goto fail;
		n = (size_t)(end - arg - 1);
		arg++;
		port = end[1] == ':' ? end + 2 : NULL;
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		n = (size_t)(colon - arg);
		port = colon + 1;
	}
	if (n == 0 || n >= sizeof host)
		goto fail;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (set_key(cfg, "--broker", "mqtt", "host", host))
		return 2;
	return port ? set_key(cfg, "--broker", "mqtt", "port", port) : 0;
fail:
	return usage_error("--broker", "expected HOST[:PORT], got \"%.60s\"", arg);
}

static int set_size(struct config *cfg, const char *arg)
{
	char w[16], h[16];
	size_t nw = strspn(arg, "0123456789");
	const char *hp = arg + nw + 1;
	size_t nh = strspn(hp, "0123456789");
	if (nw == 0 || nw >= sizeof w || (arg[nw] != 'x' && arg[nw] != 'X') ||
	    nh == 0 || nh >= sizeof h || hp[nh] != '\0')
		return usage_error("--size", "expected WxH, got \"%.60s\"", arg);
	memcpy(w, arg, nw);
	w[nw] = '\0';
	memcpy(h, hp, nh);
	h[nh] = '\0';
	if (set_key(cfg, "--size", "display", "width", w) ||
	    set_key(cfg, "--size", "display", "height", h))
		return 2;
	return 0;
}

/* --set SECTION.KEY=VALUE; the section may itself hold dots
 * (channel.whatsapp.color=...): the key is after the last one. */
static int set_any(struct config *cfg, const char *arg)
{
	char section[CONFIG_STR + 16], flag[sizeof section + 80];
	const char *eq = strchr(arg, '=');
	const char *dot = NULL;
	for (const char *p = arg; eq && p < eq; p++)
		if (*p == '.')
			dot = p;
	if (eq == NULL || dot == NULL || dot == arg || dot + 1 == eq ||
	    (size_t)(dot - arg) >= sizeof section)
		return usage_error("--set", "expected SECTION.KEY=VALUE, got \"%.60s\"", arg);
	memcpy(section, arg, (size_t)(dot - arg));
	section[dot - arg] = '\0';
	char name[64];
	if ((size_t)(eq - dot - 1) >= sizeof name)
		return usage_error("--set", "unknown key \"%.40s\"", dot + 1);
	memcpy(name, dot + 1, (size_t)(eq - dot - 1));
	name[eq - dot - 1] = '\0';
	snprintf(flag, sizeof flag, "--set %s.%s", section, name);
	return set_key(cfg, flag, section, name, eq + 1);
}

/* A path flag that only the command line has. */
static int set_path(char *dst, size_t size, const char *flag, const char *arg,
		    const char *suffix)
{
	size_t n = strlen(arg), ns = suffix ? strlen(suffix) : 0;
	if (n == 0 || n >= size)
		return usage_error(flag, "expected a file name of 1..%zu bytes", size - 1);
	if (suffix && (n <= ns || strcasecmp(arg + n - ns, suffix) != 0))
		return usage_error(flag, "expected a file name ending in %s, got \"%.60s\"",
				   suffix, arg);
	memcpy(dst, arg, n + 1);
	return 0;
}

static int set_seconds(double *dst, const char *arg)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno || !isfinite(v) || v < 0 || v > 3600)
		return usage_error("--screenshot-after", "expected seconds 0..3600, got \"%.60s\"",
				   arg);
	*dst = v;
	return 0;
}

/* Pass 2: every flag but --config, in order. */
static int apply_flag(struct config *cfg, int c, const char *arg)
{
	char name[32];
	for (size_t i = 0; i < sizeof flag_keys / sizeof flag_keys[0]; i++)
		if (flag_keys[i].opt == c)
			return set_key(cfg, flag_name(c, name, sizeof name),
				       flag_keys[i].section, flag_keys[i].name,
				       flag_keys[i].value ? flag_keys[i].value : arg);
	switch (c) {
	case O_BROKER:
		return set_broker(cfg, arg);
	case O_SIZE:
		return set_size(cfg, arg);
	case O_SET:
		return set_any(cfg, arg);
	case O_SCREENSHOT:
		return set_path(cfg->screenshot, sizeof cfg->screenshot, "--screenshot", arg, ".png");
	case O_SCREENSHOT_AFTER:
		return set_seconds(&cfg->screenshot_after, arg);
	case O_DUMP_STATE:
		return set_path(cfg->dump_state, sizeof cfg->dump_state, "--dump-state", arg, NULL);
	case O_INPUT_SCRIPT:
		return set_path(cfg->input_script, sizeof cfg->input_script, "--input-script",
				arg, NULL);
	case O_HASH_PIN:
		cfg->hash_pin = true;
		return 0;
	case 'v':
		cfg->verbose++;
		return 0;
	default: /* --config, handled in pass 1 */
		return 0;
	}
}

/* Pass 1: syntax of the whole command line, --help, --version and the
 * --config file, which must be read before any other flag applies. */
static int scan_flags(int argc, char **argv, const char **config_file)
{
	int c;
	getopt_reset();
	while ((c = getopt_long(argc, argv, short_options, options, NULL)) != -1) {
		if (c == '?' || c == ':')
			return getopt_error(c, argv);
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == O_VERSION) {
			printf("wallboard %s\n", WB_VERSION);
			return 1;
		}
		if (c == O_CONFIG && *config_file != NULL)
			return usage_error("--config", "given more than once");
		if (c == O_CONFIG)
			*config_file = optarg;
	}
	if (optind < argc)
		return usage_error(NULL, "unexpected argument \"%.60s\"", argv[optind]);
	return 0;
}

int config_from_args(struct config *cfg, int argc, char **argv)
{
	const char *config_file = NULL;
	int c, rc;

	config_defaults(cfg);
	rc = scan_flags(argc, argv, &config_file);
	if (rc != 0)
		return rc;
	if (config_file != NULL) {
		rc = set_path(cfg->config_path, sizeof cfg->config_path, "--config",
			      config_file, NULL);
		if (rc != 0)
			return rc;
		if (!config_load_file(cfg, config_file))
			return 2;
	}
	getopt_reset();
	while ((c = getopt_long(argc, argv, short_options, options, NULL)) != -1) {
		rc = c == '?' || c == ':' ? getopt_error(c, argv) : apply_flag(cfg, c, optarg);
		if (rc != 0)
			return rc;
	}
	if ((cfg->width == 0) != (cfg->height == 0))
		return usage_error(NULL, "display width and height must be set together "
				   "(or both 0), got %dx%d", cfg->width, cfg->height);
	return 0;
}
