/* cli.c - see cli.h.
 *
 * Every flag is one row of flags[]: getopt's option table, --help's flag
 * list and the flags that stand for a config key all come from it. The
 * config file's keys (and their defaults) come from config.c's table. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef WB_VERSION
#define WB_VERSION "0.1.0"
#endif

enum {
	O_CONFIG = 256, O_BROKER, O_PREFIX, O_SIZE, O_WINDOWED, O_FULLSCREEN,
	O_LANG, O_SITE, O_BOARD_ID, O_AT_RISK, O_STEADY, O_ASSETS, O_STATE_DIR,
	O_SCREENSHOT, O_SCREENSHOT_AFTER, O_DUMP_STATE, O_SET, O_VERSION,
	O_INPUT_SCRIPT, O_HASH_PIN, O_PRINT_CONFIG, O_MAKE_ACK_KEY,
};

struct flag {
	const char *name;
	int val;              /* getopt's value: O_* or the short letter */
	const char *arg;      /* NULL: takes no value */
	const char *help;     /* '\n' continues on the next line */
	const char *section, *key; /* set: the flag stands for this config key */
	const char *value;    /* ... with this value (NULL: the flag's value) */
};

/* In the order --help lists them. A flag that stands for a key shows the
 * key's default (from config.c's table) after its help. */
#define FLAG(name, val, arg, help) { name, val, arg, help, NULL, NULL, NULL }
#define KEY(name, val, arg, help, section, key, value) \
	{ name, val, arg, help, section, key, value }

static const struct flag flags[] = {
	FLAG("config", O_CONFIG, "FILE", "read settings from an INI file\n"
	     "(wallboard --print-config writes a complete one)"),
	FLAG("set", O_SET, "SECTION.KEY=VALUE", "set any config file key, e.g.\n"
	     "--set alarms.volume=40\n--set channel.whatsapp.color=#25d366"),
	FLAG("print-config", O_PRINT_CONFIG, NULL,
	     "print every config file key with its default\nand help, as an INI file, and exit"),
	FLAG("broker", O_BROKER, "HOST[:PORT]", "MQTT broker ([mqtt] host and port)"),
	KEY("prefix", O_PREFIX, "PREFIX", "topic prefix", "mqtt", "prefix", NULL),
	FLAG("size", O_SIZE, "WxH", "window or screen size in pixels"),
	KEY("windowed", O_WINDOWED, NULL, "run in a window", "display", "windowed", "true"),
	KEY("fullscreen", O_FULLSCREEN, NULL, "run full screen (default)", "display", "windowed",
	    "false"),
	KEY("lang", O_LANG, "en|he|fa", "language of the board's own labels", "board", "lang",
	    NULL),
	KEY("site", O_SITE, "NAME", "header title", "board", "site", NULL),
	KEY("board-id", O_BOARD_ID, "ID", "this board's id in acks (default: host name)",
	    "board", "board_id", NULL),
	KEY("at-risk", O_AT_RISK, "DURATION", "\"due soon\" window", "board", "at_risk", NULL),
	KEY("steady", O_STEADY, NULL, "crisis banner without flashing", "board", "flash",
	    "steady"),
	KEY("assets", O_ASSETS, "DIR", "where the fonts are", "board", "assets", NULL),
	KEY("state-dir", O_STATE_DIR, "DIR", "where the ack journal is kept", "board",
	    "state_dir", NULL),
	FLAG("screenshot", O_SCREENSHOT, "FILE.png", "write a screenshot, then exit"),
	FLAG("screenshot-after", O_SCREENSHOT_AFTER, "SECS", "when to take it (default 1)"),
	FLAG("dump-state", O_DUMP_STATE, "FILE.json", "keep FILE up to date with the board's "
	     "state\n(JSON, rewritten atomically on every change)"),
	FLAG("input-script", O_INPUT_SCRIPT, "FILE", "replay input events from FILE (tests, "
	     "demos):\nlines \"SECONDS key NAME|type DIGITS|click X Y|\ntap X Y|quit\""),
	FLAG("hash-pin", O_HASH_PIN, NULL, "read a PIN on stdin, print its hash for\n"
	     "[lead.<name>] pin_hash, and exit"),
	FLAG("make-ack-key", O_MAKE_ACK_KEY, "FILE", "write a new random ack key (mode 0600)\n"
	     "for [acks] key_file, and exit"),
	FLAG("verbose", 'v', NULL, "log more (repeat for even more)"),
	FLAG("help", 'h', NULL, "show this help and exit"),
	FLAG("version", O_VERSION, NULL, "show the version and exit"),
};

#define N_FLAGS (sizeof flags / sizeof flags[0])
#define HELP_COL 28

/* '+': stop at the first non-option (and do not reorder argv);
 * ':': report a missing value as ':' rather than '?'. */
static const char short_options[] = "+:hv";

/* getopt's table, made from flags[]. */
static const struct option *options(void)
{
	static struct option opts[N_FLAGS + 1];
	for (size_t i = 0; i < N_FLAGS; i++)
		opts[i] = (struct option){ flags[i].name,
					   flags[i].arg ? required_argument : no_argument,
					   NULL, flags[i].val };
	return opts;
}

static void usage_flag(FILE *out, const struct flag *f)
{
	char head[64];
	const char *def = f->key && !f->value ? config_default(f->section, f->key) : NULL;
	const char *arg_sep = f->arg ? " " : "", *arg = f->arg ? f->arg : "";
	int n = f->val < 128 ?
		snprintf(head, sizeof head, "  -%c, --%s%s%s", f->val, f->name, arg_sep, arg) :
		snprintf(head, sizeof head, "  --%s%s%s", f->name, arg_sep, arg);
	fprintf(out, "%s%*s", head, n < HELP_COL ? HELP_COL - n : 1, "");
	for (const char *h = f->help; *h; ) {
		size_t len = strcspn(h, "\n");
		fprintf(out, "%.*s", (int)len, h);
		h += len;
		if (*h == '\n')
			fprintf(out, "\n%*s", HELP_COL, ""), h++;
	}
	if (def && def[0])
		fprintf(out, strchr(def, ' ') ? " (default \"%s\")" : " (default %s)", def);
	fputc('\n', out);
}

static void usage(FILE *out)
{
	fputs("Usage: wallboard [OPTION]...\n"
	      "Show open complaints, SLA timers and crises from MQTT on a wall display.\n"
	      "\n"
	      "Settings come from built-in defaults, then the --config file, then the\n"
	      "flags below in the order given.\n"
	      "\n", out);
	for (size_t i = 0; i < N_FLAGS; i++)
		usage_flag(out, &flags[i]);
	fputs("\n"
	      "DURATION is 90, 90s, 15m or 2h. Config file sections and keys\n"
	      "(--print-config shows each with its default and help):\n", out);
	config_write_key_list(out);
	fputs("\n"
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
	for (size_t i = 0; i < N_FLAGS; i++)
		if (flags[i].val == opt && opt >= 256)
			snprintf(buf, size, "--%s", flags[i].name);
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
	if (config_set(cfg, section, name, value, why, sizeof why) != CONFIG_SET_OK)
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
	for (size_t i = 0; i < N_FLAGS; i++)
		if (flags[i].val == c && flags[i].key != NULL)
			return set_key(cfg, flag_name(c, name, sizeof name),
				       flags[i].section, flags[i].key,
				       flags[i].value ? flags[i].value : arg);
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
	case O_MAKE_ACK_KEY:
		return set_path(cfg->make_ack_key, sizeof cfg->make_ack_key, "--make-ack-key",
				arg, NULL);
	case 'v':
		cfg->verbose++;
		return 0;
	default: /* --config, --help, --version, --print-config: pass 1 */
		return 0;
	}
}

/* Pass 1: syntax of the whole command line, --help, --version and the
 * --config file, which must be read before any other flag applies. */
static int scan_flags(int argc, char **argv, const char **config_file)
{
	int c;
	getopt_reset();
	while ((c = getopt_long(argc, argv, short_options, options(), NULL)) != -1) {
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
		if (c == O_PRINT_CONFIG) {
			config_write_example(stdout);
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

int cli_parse(struct config *cfg, int argc, char **argv)
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
	while ((c = getopt_long(argc, argv, short_options, options(), NULL)) != -1) {
		rc = c == '?' || c == ':' ? getopt_error(c, argv) : apply_flag(cfg, c, optarg);
		if (rc != 0)
			return rc;
	}
	if ((cfg->width == 0) != (cfg->height == 0))
		return usage_error(NULL, "display width and height must be set together "
				   "(or both 0), got %dx%d", cfg->width, cfg->height);
	return 0;
}
