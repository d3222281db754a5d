/* test_config.c - table-driven tests of the INI file and the command line.
 *
 * File rows are written to a temporary file and loaded over the defaults;
 * good rows list expected values ("name=value;..." with names from
 * cfg_field()), bad rows the line number and a piece of the message,
 * which is read back from stderr. Command-line rows run cli_parse
 * with an optional config file ({FILE} in an argument stands for it). */
#include "cli.h"
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* --- helpers --- */

static bool write_file(char *path, size_t size, const char *text, size_t len)
{
	snprintf(path, size, "/tmp/wb-test-config-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	bool ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* stdout and stderr of a call, each into a temporary file. */
struct capture {
	int saved[2], fd[2];
	char path[2][64];
};

static void capture_begin(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		snprintf(c->path[i], sizeof c->path[i], "/tmp/wb-test-config-cap-XXXXXX");
		c->fd[i] = mkstemp(c->path[i]);
		c->saved[i] = dup(i + 1);
		if (c->fd[i] >= 0)
			dup2(c->fd[i], i + 1);
	}
}

static void capture_end(struct capture *c, char *out, char *err, size_t size)
{
	char *bufs[2] = { out, err };
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		dup2(c->saved[i], i + 1);
		close(c->saved[i]);
		bufs[i][0] = '\0';
		if (c->fd[i] < 0)
			continue;
		lseek(c->fd[i], 0, SEEK_SET);
		ssize_t n = read(c->fd[i], bufs[i], size - 1);
		bufs[i][n > 0 ? n : 0] = '\0';
		close(c->fd[i]);
		unlink(c->path[i]);
	}
}

/* The named setting as text. False: no such name. */
static bool cfg_field(const void *obj, const char *name, char *buf, size_t size)
{
	const struct config *c = obj;
	unsigned i;
	char sub[16];
#define STR(n, v) if (strcmp(name, n) == 0) return snprintf(buf, size, "%s", v), true
#define INT(n, v) if (strcmp(name, n) == 0) return snprintf(buf, size, "%lld", (long long)(v)), true
	STR("site", c->site);
	STR("board_id", c->board_id);
	INT("lang", c->lang);
	INT("digits", c->digits);
	INT("at_risk", c->at_risk_s);
	INT("steady", c->flash_steady);
	STR("assets", c->asset_dir);
	STR("state_dir", c->state_dir);
	STR("host", c->host);
	INT("port", c->port);
	STR("prefix", c->prefix);
	INT("keepalive", c->keepalive_s);
	STR("username", c->username);
	STR("password", c->password);
	STR("cafile", c->cafile);
	INT("protocol", c->protocol);
	INT("width", c->width);
	INT("height", c->height);
	INT("windowed", c->windowed);
	INT("renderer", c->renderer);
	INT("n_channels", c->n_channels);
	INT("snooze", c->snooze_s);
	INT("escalate_after", c->escalate_after_s);
	INT("flood_threshold", c->flood_threshold);
	INT("channel_max_open", c->channel_max_open);
	INT("channel_max_breached", c->channel_max_breached);
	INT("channel_max_wait", c->channel_max_wait_s);
	INT("volume", c->sound_volume);
	INT("repeat", c->sound_repeat_s);
	INT("quiet_from", c->quiet_from_min);
	INT("quiet_to", c->quiet_to_min);
	INT("n_leads", c->n_leads);
	INT("n_contacts", c->n_contacts);
	INT("crisis_level", c->crisis_level);
	STR("crisis_title", c->crisis_title);
	STR("crisis_message", c->crisis_message);
	STR("config_path", c->config_path);
	STR("screenshot", c->screenshot);
	STR("dump_state", c->dump_state);
	INT("verbose", c->verbose);
	if (strcmp(name, "screenshot_after") == 0)
		return snprintf(buf, size, "%g", c->screenshot_after), true;
	if (sscanf(name, "channel%u.%15s", &i, sub) == 2 && i < CONFIG_MAX_CHANNELS) {
		const struct channel_conf *ch = &c->channels[i];
		if (strcmp(sub, "key") == 0)
			return snprintf(buf, size, "%s", ch->key), true;
		if (strcmp(sub, "name") == 0)
			return snprintf(buf, size, "%s", ch->name), true;
		if (strcmp(sub, "color") == 0)
			return snprintf(buf, size, "%06" PRIx32, ch->color), true;
	}
	if (sscanf(name, "step%u", &i) == 1 && i >= 1 && i <= CONFIG_PLAYBOOK_MAX)
		return snprintf(buf, size, "%s", c->crisis_steps[i - 1]), true;
	if (sscanf(name, "contact%u.%15s", &i, sub) == 2 && i < CONFIG_MAX_CONTACTS) {
		const struct contact_conf *k = &c->contacts[i];
		if (strcmp(sub, "key") == 0)
			return snprintf(buf, size, "%s", k->key), true;
		if (strcmp(sub, "role") == 0)
			return snprintf(buf, size, "%s", k->role), true;
		if (strcmp(sub, "name") == 0)
			return snprintf(buf, size, "%s", k->name), true;
		if (strcmp(sub, "phone") == 0)
			return snprintf(buf, size, "%s", k->phone), true;
	}
	if (sscanf(name, "lead%u.%15s", &i, sub) == 2 && i < CONFIG_MAX_LEADS) {
		if (strcmp(sub, "name") == 0)
			return snprintf(buf, size, "%s", c->leads[i].name), true;
		if (strcmp(sub, "pin_hash") == 0)
			return snprintf(buf, size, "%s", c->leads[i].pin_hash), true;
	}
#undef STR
#undef INT
	return false;
}

/* --- the file --- */

struct file_row {
	const char *ini;
	bool ok;
	const char *expect; /* ok: fields; else "LINE: piece of the reason" */
};

#define GOOD(ini, fields) { ini, true, fields }
#define BAD(ini, why) { ini, false, why }

static const struct file_row file_rows[] = {
	GOOD("", "site=Support floor;port=1883;digits=0"),
	GOOD("[board]\nlang = fa\ndigits = latin\n", "lang=2;digits=1"),
	GOOD("[board]\ndigits = latin\ndigits = native\n", "digits=0"),
	/* display.renderer: a K_CHOICE key, the index of its word */
	GOOD("", "renderer=0"),
	GOOD("[display]\nrenderer = auto\n", "renderer=0"),
	GOOD("[display]\nrenderer = software\n", "renderer=1"),
	GOOD("[display]\nrenderer = gpu\n", "renderer=2"),
	GOOD("[display]\nrenderer = gpu\nrenderer = software\n", "renderer=1"),
	GOOD("; only a comment\n# and another\n\n", "port=1883"),
	GOOD("\xEF\xBB\xBF[board]\r\nsite = Floor 2 \xd7\xa7\xd7\x95\xd7\x9e\xd7\x94 3\r\n"
	     "board_id = floor-2.east_1\r\nlang = he\r\nat_risk = 15m\r\nflash = steady\r\n"
	     "assets = /opt/wb/assets\r\nstate_dir = /srv/wb state\r\n",
	     "site=Floor 2 קומה 3;board_id=floor-2.east_1;lang=1;at_risk=900;steady=1;"
	     "assets=/opt/wb/assets;state_dir=/srv/wb state"),
	GOOD("[mqtt]\nhost = broker.example.org\nport = 8883\nprefix = acme/floor2\n"
	     "keepalive = 1m\nusername = board\npassword = s3cret words\ncafile = /etc/ca.pem\n",
	     "host=broker.example.org;port=8883;prefix=acme/floor2;keepalive=60;username=board;"
	     "password=s3cret words;cafile=/etc/ca.pem"),
	GOOD("[display]\nwidth = 1920\nheight = 1080\nwindowed = yes\n",
	     "width=1920;height=1080;windowed=1"),
	GOOD("[alarms]\nsnooze = 2h\nescalate_after = 90\nflood_threshold = 0\n"
	     "channel_max_open = 40\nchannel_max_breached = 3\nchannel_max_wait = 90s\n"
	     "volume = 100\nrepeat = 0\nquiet_hours = 22:00-07:00\n",
	     "snooze=7200;escalate_after=90;flood_threshold=0;channel_max_open=40;"
	     "channel_max_breached=3;channel_max_wait=90;volume=100;repeat=0;quiet_from=1320;quiet_to=420"),
	GOOD("[alarms]\nquiet_hours = 7:05 - 9:30\n", "quiet_from=425;quiet_to=570"),
	GOOD("[alarms]\nquiet_hours = 22:00-07:00\nquiet_hours = OFF\n", "quiet_from=-1;quiet_to=-1"),
	GOOD("[display]\nwindowed = on\n", "windowed=1"),
	GOOD("[display]\nwindowed = TRUE\n", "windowed=1"),
	GOOD("[display]\nwindowed = 1\nwindowed = no\n", "windowed=0"),
	GOOD("[display]\nwindowed = off\n", "windowed=0"),
	GOOD("[display]\nwindowed = 0\n", "windowed=0"),
	GOOD("[channel.WhatsApp]\ncolor = #25D366\n[channel.phone]\nname = טלפון\n"
	     "[channel.email]\n[channel.whatsapp]\nname = WhatsApp\n",
	     "n_channels=3;channel0.key=whatsapp;channel0.name=WhatsApp;channel0.color=25d366;"
	     "channel1.key=phone;channel1.name=טלפון;channel1.color=808080;"
	     "channel2.key=email;channel2.name="),
	GOOD("", "n_contacts=0;crisis_level=2;crisis_title=;step1="),
	GOOD("[crisis]\nlevel = 3\ntitle = גל תלונות\nmessage = Pause posts\n"
	     "step2 = Post a holding statement\nstep1 = Pause scheduled posts\n",
	     "crisis_level=3;crisis_title=גל תלונות;crisis_message=Pause posts;"
	     "step1=Pause scheduled posts;step2=Post a holding statement;step3="),
	GOOD("[contact.1]\nrole = On call\nname = Noa\nphone = +972 50 000 0000\n"
	     "[contact.pr]\nname = אבי\n[contact.1]\nphone = 100\n",
	     "n_contacts=2;contact0.key=1;contact0.role=On call;contact0.name=Noa;"
	     "contact0.phone=100;contact1.key=pr;contact1.name=אבי;contact1.role=;contact1.phone="),
	GOOD("[lead.Noa Levi]\npin_hash = $6$salt$0123456789abcdef./\n",
	     "n_leads=1;lead0.name=Noa Levi;lead0.pin_hash=$6$salt$0123456789abcdef./"),
	GOOD("[board]\n   site = indented is not a continuation\n  lang = fa\n",
	     "site=indented is not a continuation;lang=2"),
	GOOD("[board]\nsite: colon style\nat_risk = 90 ; inline comment\n",
	     "site=colon style;at_risk=90"),
	GOOD("[board]\nat_risk = 0\n[mqtt]\nport = 1\n[alarms]\nsnooze = 604800\n",
	     "at_risk=0;port=1;snooze=604800"),
	GOOD("[mqtt]\nport = 65535\nprefix = wb\n", "port=65535;prefix=wb"),
	GOOD("[mqtt]\nprotocol = 3.1.1\n", "protocol=2"),
	GOOD("[mqtt]\nprotocol = 3.1.1\nprotocol = 5\n", "protocol=1"),
	GOOD("[mqtt]\nprotocol = 5\nprotocol = auto\n", "protocol=0"),

	BAD("[bogus]\nkey = 1\n", "1: unknown section [bogus]"),
	BAD("[board]\ncolour = red\n", "2: unknown key \"colour\" in [board]"),
	BAD("site = x\n", "1: site: key outside any [section]"),
	BAD("[board]\n\nlang = de\n", "3: lang: expected en, he or fa, got \"de\""),
	BAD("[board]\nflash = blink\n", "2: flash: expected flash or steady"),
	BAD("[board]\ndigits = persian\n", "2: digits: expected native or latin, got \"persian\""),
	BAD("[display]\nrenderer = opengl\n",
	    "2: renderer: expected auto|software|gpu, got \"opengl\""),
	BAD("[display]\nrenderer = soft\n", "2: renderer: expected auto|software|gpu, got \"soft\""),
	BAD("[display]\nrenderer = softwarex\n", "2: renderer: expected auto|software|gpu"),
	BAD("[display]\nrenderer =\n", "2: renderer: "),
	BAD("[mqtt]\nprotocol = 3.1\n", "2: protocol: expected auto|5|3.1.1, got \"3.1\""),
	BAD("[mqtt]\nprotocol = v5\n", "2: protocol: expected auto|5|3.1.1"),
	BAD("[mqtt]\nprotocol = 5.0\n", "2: protocol: expected auto|5|3.1.1"),
	BAD("[board]\nsite =\n", "2: site: must not be empty"),
	BAD("[board]\nsite = \xff\xfe\n", "2: site: not valid UTF-8"),
	BAD("[board]\nsite = a\x01z\n", "2: site: contains a control character"),
	BAD("[board]\nboard_id = my board\n", "2: board_id: only letters, digits"),
	BAD("[board]\nat_risk = 10d\n", "2: at_risk: expected a duration like 90, 90s, 15m or 2h"),
	BAD("[board]\nat_risk = -5\n", "2: at_risk: expected a duration"),
	BAD("[board]\nat_risk = 200h\n", "2: at_risk: must be 0s..604800s"),
	BAD("[board]\nat_risk = 1.5m\n", "2: at_risk: expected a duration"),
	BAD("[board]\nat_risk = 99999999999999999999999h\n", "2: at_risk: must be 0s..604800s"),
	BAD("[board]\nat_risk = 10081m\n", "2: at_risk: must be 0s..604800s"),
	GOOD("[board]\nat_risk = 10080m\n", "at_risk=604800"),
	GOOD("[board]\nat_risk = 168h\n", "at_risk=604800"),
	BAD("[board]\nat_risk =\n", "2: at_risk: expected a duration"),
	BAD("[mqtt]\nport = 0\n", "2: port: expected a whole number 1..65535, got \"0\""),
	BAD("[mqtt]\nport = 65536\n", "2: port: expected a whole number 1..65535"),
	BAD("[mqtt]\nport = 99999999999999999999\n", "2: port: expected a whole number"),
	BAD("[mqtt]\nport = -1\n", "2: port: expected a whole number"),
	BAD("[mqtt]\nport = 18 83\n", "2: port: expected a whole number"),
	BAD("[mqtt]\nport = 0x50\n", "2: port: expected a whole number"),
	BAD("[mqtt]\nkeepalive = 2\n", "2: keepalive: must be 5s..3600s"),
	BAD("[mqtt]\nkeepalive = 5x\n", "2: keepalive: expected a duration"),
	BAD("[mqtt]\nhost = my host\n", "2: host: must not contain spaces"),
	BAD("[mqtt]\nhost =\n", "2: host: must not be empty"),
	BAD("[mqtt]\nprefix = a/b/\n", "2: prefix: no leading, trailing or doubled '/'"),
	BAD("[mqtt]\nprefix = /a\n", "2: prefix: no leading"),
	BAD("[mqtt]\nprefix = a//b\n", "2: prefix: no leading"),
	BAD("[mqtt]\nprefix = a/+/b\n", "2: prefix: must not contain '+' or '#'"),
	BAD("[mqtt]\nprefix = wb/#\n", "2: prefix: must not contain '+' or '#'"),
	BAD("[mqtt]\nprefix = a b\n", "2: prefix: must not contain spaces"),
	BAD("[mqtt]\nprefix =\n", "2: prefix: must not be empty"),
	BAD("[mqtt]\nprefix = 1234567890123456789012345678901234567890123456789012345678901234\n",
	    "2: prefix: longer than 63 bytes"),
	BAD("[display]\nwindowed = maybe\n", "2: windowed: expected true or false, got \"maybe\""),
	BAD("[display]\nwidth = 800\n", "2: width and height must be set together"),
	BAD("[display]\nwidth = 800\nheight = 0\n", "3: width and height must be set together"),
	BAD("[display]\nwidth = 99999\nheight = 10\n", "2: width: expected a whole number 0..16384"),
	BAD("[alarms]\nvolume = 101\n", "2: volume: expected a whole number 0..100"),
	BAD("[alarms]\nsnooze = 0\n", "2: snooze: must be 1s..604800s"),
	BAD("[alarms]\nquiet_hours = 25:00-07:00\n", "2: quiet_hours: expected off or HH:MM-HH:MM"),
	BAD("[alarms]\nquiet_hours = 22:00\n", "2: quiet_hours: expected off or HH:MM-HH:MM"),
	BAD("[alarms]\nquiet_hours = 22:00-07:0\n", "2: quiet_hours: expected off"),
	BAD("[alarms]\nquiet_hours = 22:00-07:00x\n", "2: quiet_hours: expected off"),
	BAD("[alarms]\nquiet_hours = 22:00-22:00\n", "2: quiet_hours: start and end are the same"),
	BAD("[alarms]\nsound = on\n", "2: unknown key \"sound\" in [alarms]"),
	BAD("[channel.sms]\ncolor = red\n", "2: color: expected #RRGGBB, got \"red\""),
	BAD("[channel.sms]\ncolor = #12345\n", "2: color: expected #RRGGBB"),
	BAD("[channel.sms]\ncolor = #GG0000\n", "2: color: expected #RRGGBB"),
	BAD("[channel.sms]\nname =\n", "2: name: must not be empty"),
	BAD("[channel.sms]\nicon = x\n", "2: unknown key \"icon\" in [channel.sms]"),
	BAD("[channel.]\nname = x\n", "1: [channel.<key>] needs a key"),
	BAD("[channel.live chat]\n", "1: channel key contains a space"),
	BAD("[channel.12345678901234567890123456789012]\n", "1: channel key longer than 31 bytes"),
	BAD("[lead.noa]\n\n[board]\nsite = x\n", "1: [lead.noa] has no pin_hash"),
	BAD("[lead.noa]\npin_hash = 1234\n", "2: pin_hash: expected a crypt(3) hash"),
	BAD("[lead.noa]\npin_hash = $6$a b$c\n", "2: pin_hash: expected a crypt(3) hash"),
	BAD("[lead.]\n", "1: [lead.<name>] needs a name"),
	BAD("[contact.]\n", "1: [contact.<key>] needs a key"),
	BAD("[contact.a b]\n", "1: [contact.<key>] needs a key"),
	BAD("[contact.1]\nphone = 0123456789012345678901234567890123456789\n",
	    "2: phone: longer than 39 bytes"),
	BAD("[contact.1]\nemail = a@b\n", "2: unknown key \"email\" in [contact.1]"),
	BAD("[contact.1]\n[contact.2]\n[contact.3]\n[contact.4]\n[contact.5]\n[contact.6]\n"
	    "[contact.7]\n[contact.8]\n[contact.9]\n", "9: too many [contact.*] sections (max 8)"),
	BAD("[crisis]\nlevel = 4\n", "2: level: expected a whole number 1..3"),
	BAD("[crisis]\nstep9 = x\n", "2: unknown key \"step9\" in [crisis]"),
	BAD("[lead.noa]\npin = $6$a$b\n", "2: unknown key \"pin\" in [lead.noa]"),
	BAD("[board]\njust some words\n", "2: expected key = value, got \"just some words\""),
	BAD("[board\nsite = x\n", "1: expected [section]"),
	BAD("[a-section-name-that-is-far-too-long-for-libinih-to-keep]\n",
	    "1: section name longer than 48 bytes"),
	BAD("[board]\nsite = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "2: line longer than"),
	BAD("[board]\nsite = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
	    "2: site: longer than 127 bytes"),
	/* Every error is reported, not just the first. */
	BAD("[board]\nlang = xx\nsite = ok\n[mqtt]\nport = no\n", "5: port: expected a whole number"),
	BAD("[board]\nlang = xx\nsite = ok\n[mqtt]\nport = no\n", "2: lang: expected en"),
	/* Keys of a bad section are not reported again, one message suffices. */
	BAD("[nope]\na = 1\nb = 2\n", "1: unknown section [nope]"),
};

static void run_file_rows(void)
{
	static struct config cfg;
	char path[64], what[160], out[4096], err[4096], want[400];
	struct capture cap;

	for (size_t i = 0; i < sizeof file_rows / sizeof file_rows[0]; i++) {
		const struct file_row *r = &file_rows[i];
		snprintf(what, sizeof what, "file row %zu", i);
		if (!write_file(path, sizeof path, r->ini, strlen(r->ini))) {
			check_that(false, what, "cannot write a temporary file");
			continue;
		}
		config_defaults(&cfg);
		capture_begin(&cap);
		bool ok = config_load_file(&cfg, path);
		capture_end(&cap, out, err, sizeof err);
		check_that(ok == r->ok, what, ok ? "accepted" : err);
		if (ok && r->ok) {
			check_that(err[0] == '\0', what, "accepted but logged something");
			check_fields(what, &cfg, cfg_field, r->expect);
		} else if (!ok && !r->ok) {
			snprintf(want, sizeof want, "[config] %s:%s", path, r->expect);
			check_that(strstr(err, want) != NULL, what, err);
		}
		unlink(path);
	}
}

/* Rows that do not fit the table. */
static void run_file_checks(void)
{
	static struct config cfg;
	static char big[8192];
	char path[64], out[4096], err[4096];
	struct capture cap;
	size_t n = 0;

	/* Too many channels: the 33rd section is the error. */
	for (int i = 0; i <= CONFIG_MAX_CHANNELS; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "[channel.c%d]\n", i);
	config_defaults(&cfg);
	capture_begin(&cap);
	bool ok = config_load_string(&cfg, big, "many.ini");
	capture_end(&cap, out, err, sizeof err);
	check_that(!ok && strstr(err, "many.ini:33: too many [channel.*] sections (max 32)"),
	      "33 channels", err);

	/* A NUL byte in the file. */
	static const char nul[] = "[board]\nsite = a\0b\n";
	write_file(path, sizeof path, nul, sizeof nul - 1);
	config_defaults(&cfg);
	capture_begin(&cap);
	ok = config_load_file(&cfg, path);
	capture_end(&cap, out, err, sizeof err);
	check_that(!ok && strstr(err, ":2: contains a NUL byte"), "NUL byte in the file", err);
	unlink(path);

	/* A file that is not there. */
	capture_begin(&cap);
	ok = config_load_file(&cfg, "/nonexistent/wallboard.ini");
	capture_end(&cap, out, err, sizeof err);
	check_that(!ok && strstr(err, "/nonexistent/wallboard.ini: No such file"), "missing file", err);

	/* Lookup by key, as the decoder lower-cases it. */
	config_defaults(&cfg);
	ok = config_load_string(&cfg, "[channel.SMS]\n[channel.phone]\n", "lookup.ini");
	check_that(ok && config_channel(&cfg, "phone") == &cfg.channels[1], "config_channel finds", NULL);
	check_that(config_channel(&cfg, "sms") == &cfg.channels[0], "config_channel lower-cased", NULL);
	check_that(config_channel(&cfg, "fax") == NULL, "config_channel misses", NULL);
	check_that(config_channel(&cfg, NULL) == NULL, "config_channel NULL", NULL);
}

static void run_defaults(void)
{
	static struct config cfg;
	char host[256] = "", want[128];
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "wallboard");
	snprintf(want, sizeof want, "board_id=%.63s", host);
	config_defaults(&cfg);
	check_fields("defaults", &cfg, cfg_field,
		     "site=Support floor;lang=0;at_risk=600;steady=0;host=127.0.0.1;port=1883;"
		     "prefix=wallboard;keepalive=10;protocol=0;width=0;height=0;windowed=0;snooze=900;"
		     "escalate_after=300;flood_threshold=5;volume=60;repeat=30;quiet_from=-1;"
		     "quiet_to=-1;n_channels=0;n_leads=0;screenshot_after=1;verbose=0;"
		     "assets=" WB_ASSET_DIR ";username=;password=;cafile=;screenshot=;dump_state=");
	check_fields("defaults", &cfg, cfg_field, want);
	check_that(cfg.state_dir[0] == '/', "default state_dir is absolute", cfg.state_dir);
	check_that(strstr(cfg.state_dir, "wallboard") != NULL, "default state_dir names wallboard",
	      cfg.state_dir);
}

/* --- the command line --- */

#define MAX_ARGS 8

struct cli_row {
	const char *args[MAX_ARGS]; /* after argv[0]; "{FILE}" is the row's file */
	const char *ini;            /* NULL: no file */
	int rc;
	const char *expect;         /* rc 0: fields; 1: stdout piece; 2: stderr piece */
};

static const struct cli_row cli_rows[] = {
	{ { NULL }, NULL, 0, "port=1883;host=127.0.0.1;config_path=;verbose=0" },
	{ { "--broker", "mqtt.local:8883" }, NULL, 0, "host=mqtt.local;port=8883" },
	{ { "--broker", "mqtt.local" }, NULL, 0, "host=mqtt.local;port=1883" },
	{ { "--broker=10.0.0.7:1884" }, NULL, 0, "host=10.0.0.7;port=1884" },
	{ { "--broker", "[::1]:1885" }, NULL, 0, "host=::1;port=1885" },
	{ { "--broker", "[fe80::1]" }, NULL, 0, "host=fe80::1;port=1883" },
	{ { "--broker", "::1" }, NULL, 0, "host=::1;port=1883" },
	{ { "--broker", ":1883" }, NULL, 2, "wallboard: --broker: expected HOST[:PORT], got \":1883\"" },
	{ { "--broker", "[::1" }, NULL, 2, "--broker: expected HOST[:PORT]" },
	{ { "--broker", "h:0" }, NULL, 2, "wallboard: --broker: expected a whole number 1..65535" },
	{ { "--broker", "h:" }, NULL, 2, "--broker: expected a whole number 1..65535, got \"\"" },
	{ { "--broker", "my host" }, NULL, 2, "--broker: must not contain spaces" },
	{ { "--size", "800x600" }, NULL, 0, "width=800;height=600" },
	{ { "--size=1024X768" }, NULL, 0, "width=1024;height=768" },
	{ { "--size", "0x0" }, NULL, 0, "width=0;height=0" },
	{ { "--size", "abc" }, NULL, 2, "wallboard: --size: expected WxH, got \"abc\"\nTry 'wallboard --help'." },
	{ { "--size", "800x" }, NULL, 2, "--size: expected WxH, got \"800x\"" },
	{ { "--size", "800x600x2" }, NULL, 2, "--size: expected WxH" },
	{ { "--size", "-800x600" }, NULL, 2, "--size: expected WxH" },
	{ { "--size", "99999x600" }, NULL, 2, "--size: expected a whole number 0..16384" },
	{ { "--size", "0x600" }, NULL, 2, "width and height must be set together (or both 0), got 0x600" },
	{ { "--windowed" }, NULL, 0, "windowed=1" },
	{ { "--windowed", "--fullscreen" }, NULL, 0, "windowed=0" },
	{ { "--fullscreen", "--windowed" }, NULL, 0, "windowed=1" },
	{ { "--steady" }, NULL, 0, "steady=1" },
	{ { "--lang", "he" }, NULL, 0, "lang=1" },
	{ { "--lang", "fa" }, NULL, 0, "lang=2" },
	{ { "--lang", "de" }, NULL, 2, "wallboard: --lang: expected en, he or fa, got \"de\"" },
	{ { "--site", "Floor 2 \xd7\xa7\xd7\x95\xd7\x9e\xd7\x94" }, NULL, 0, "site=Floor 2 קומה" },
	{ { "--site", "" }, NULL, 2, "--site: must not be empty" },
	{ { "--board-id", "floor-2" }, NULL, 0, "board_id=floor-2" },
	{ { "--board-id", "a/b" }, NULL, 2, "--board-id: only letters" },
	{ { "--at-risk", "15m" }, NULL, 0, "at_risk=900" },
	{ { "--at-risk", "soon" }, NULL, 2, "--at-risk: expected a duration" },
	{ { "--assets", "/opt/a", "--state-dir", "/srv/s" }, NULL, 0, "assets=/opt/a;state_dir=/srv/s" },
	{ { "--prefix", "acme/floor2" }, NULL, 0, "prefix=acme/floor2" },
	{ { "--prefix", "acme/#" }, NULL, 2, "--prefix: must not contain '+' or '#'" },
	{ { "--prefix", "acme/" }, NULL, 2, "--prefix: no leading, trailing" },
	{ { "--screenshot", "/tmp/shot.png", "--screenshot-after", "2.5" }, NULL, 0,
	  "screenshot=/tmp/shot.png;screenshot_after=2.5" },
	{ { "--screenshot", "shot.jpg" }, NULL, 2, "--screenshot: expected a file name ending in .png" },
	{ { "--screenshot", ".png" }, NULL, 2, "--screenshot: expected a file name ending in .png" },
	{ { "--screenshot-after", "-1" }, NULL, 2, "--screenshot-after: expected seconds 0..3600" },
	{ { "--screenshot-after", "1s" }, NULL, 2, "--screenshot-after: expected seconds" },
	{ { "--screenshot-after", "nan" }, NULL, 2, "--screenshot-after: expected seconds" },
	{ { "--dump-state", "/tmp/state.json" }, NULL, 0, "dump_state=/tmp/state.json" },
	{ { "--dump-state", "" }, NULL, 2, "--dump-state: expected a file name" },
	{ { "-v", "--verbose", "-vv" }, NULL, 0, "verbose=4" },
	{ { "--help" }, NULL, 1, "Usage: wallboard [OPTION]..." },
	{ { "-h" }, NULL, 1, "--set SECTION.KEY=VALUE" },
	{ { "--version" }, NULL, 1, "wallboard 0." },
	{ { "--help", "--bogus" }, NULL, 1, "--screenshot-after SECS" },
	{ { "--bogus", "--help" }, NULL, 2, "wallboard: unknown or ambiguous option \"--bogus\"" },
	{ { "-x" }, NULL, 2, "wallboard: unknown option \"-x\"" },
	{ { "--size" }, NULL, 2, "wallboard: --size: needs a value" },
	{ { "--windowed=yes" }, NULL, 2, "wallboard: --windowed: takes no value" },
	{ { "extra" }, NULL, 2, "wallboard: unexpected argument \"extra\"" },
	{ { "--windowed", "extra", "--steady" }, NULL, 2, "unexpected argument \"extra\"" },
	{ { "--set", "alarms.volume=40" }, NULL, 0, "volume=40" },
	{ { "--set", "alarms.quiet_hours=22:00-06:00" }, NULL, 0, "quiet_from=1320;quiet_to=360" },
	{ { "--set", "channel.WhatsApp.color=#25d366", "--set", "channel.whatsapp.name=WA" }, NULL, 0,
	  "n_channels=1;channel0.key=whatsapp;channel0.color=25d366;channel0.name=WA" },
	{ { "--set", "lead.noa.pin_hash=$6$abc$def" }, NULL, 0, "n_leads=1;lead0.name=noa;lead0.pin_hash=$6$abc$def" },
	{ { "--set", "display.width=800", "--set", "display.height=600" }, NULL, 0, "width=800;height=600" },
	{ { "--set", "display.width=800" }, NULL, 2, "width and height must be set together" },
	{ { "--set", "board.nope=1" }, NULL, 2, "wallboard: --set board.nope: unknown key \"nope\" in [board]" },
	{ { "--set", "nope.site=1" }, NULL, 2, "--set nope.site: unknown section [nope]" },
	{ { "--set", "mqtt.port=99999" }, NULL, 2, "wallboard: --set mqtt.port: expected a whole number 1..65535" },
	{ { "--set", "site=x" }, NULL, 2, "--set: expected SECTION.KEY=VALUE, got \"site=x\"" },
	{ { "--set", "board.=x" }, NULL, 2, "--set: expected SECTION.KEY=VALUE" },
	{ { "--set", ".site=x" }, NULL, 2, "--set: expected SECTION.KEY=VALUE" },
	{ { "--set", "board.site" }, NULL, 2, "--set: expected SECTION.KEY=VALUE" },
	{ { "--set", "board.site=a=b" }, NULL, 0, "site=a=b" },

	/* defaults < file < flags, whatever the order of the flags */
	{ { "--config", "{FILE}" }, "[board]\nsite = From file\n[mqtt]\nport = 1999\n", 0,
	  "site=From file;port=1999;host=127.0.0.1" },
	{ { "--config={FILE}" }, "[board]\nsite = From file\n", 0, "site=From file" },
	{ { "--config", "{FILE}", "--site", "From flag" }, "[board]\nsite = From file\n", 0,
	  "site=From flag" },
	{ { "--site", "From flag", "--config", "{FILE}" }, "[board]\nsite = From file\n", 0,
	  "site=From flag" },
	{ { "--set", "board.site=From set", "--config", "{FILE}" }, "[board]\nsite = From file\n", 0,
	  "site=From set" },
	{ { "--site", "first", "--set", "board.site=second" }, NULL, 0, "site=second" },
	{ { "--config", "{FILE}", "--broker", "b:2000" }, "[mqtt]\nhost = a\nport = 1000\nusername = u\n", 0,
	  "host=b;port=2000;username=u" },
	{ { "--config", "{FILE}", "--size", "640x480" }, "[display]\nwidth = 1920\nheight = 1080\n", 0,
	  "width=640;height=480" },
	{ { "--config", "{FILE}" }, "[board]\nsite = ok\nlang = xx\n", 2, "{FILE}:3: lang: expected en" },
	{ { "--config", "{FILE}", "--help" }, "[board]\nlang = xx\n", 1, "Usage:" },
	{ { "--config", "/nonexistent/wb.ini" }, NULL, 2, "/nonexistent/wb.ini: No such file" },
	{ { "--config", "{FILE}", "--config", "{FILE}" }, "", 2, "--config: given more than once" },
	{ { "--config" }, NULL, 2, "--config: needs a value" },
	{ { "--print-config" }, NULL, 1, "\n[alarms]\n" },
	{ { "--config", "{FILE}", "--print-config" }, "[board]\nlang = xx\n", 1, "\nlang = en\n" },
};

/* argv for a row, with {FILE} replaced. */
static int row_argv(const struct cli_row *r, const char *file, char store[][600], char **argv)
{
	int argc = 0;
	argv[argc++] = "wallboard";
	for (int i = 0; i < MAX_ARGS && r->args[i]; i++) {
		const char *a = r->args[i], *at = strstr(a, "{FILE}");
		if (at)
			snprintf(store[i], 600, "%.*s%s%s", (int)(at - a), a, file, at + 6);
		else
			snprintf(store[i], 600, "%s", a);
		argv[argc++] = store[i];
	}
	argv[argc] = NULL;
	return argc;
}

static void run_cli_row(size_t n, const struct cli_row *r)
{
	static struct config cfg;
	static char out[16384], err[16384];
	char path[64] = "", store[MAX_ARGS][600], *argv[MAX_ARGS + 2], what[120], want[700];
	struct capture cap;

	snprintf(what, sizeof what, "cli row %zu (%s %s)", n, r->args[0] ? r->args[0] : "",
		 r->args[0] && r->args[1] ? r->args[1] : "");
	if (r->ini && !write_file(path, sizeof path, r->ini, strlen(r->ini))) {
		check_that(false, what, "cannot write a temporary file");
		return;
	}
	int argc = row_argv(r, path, store, argv);
	capture_begin(&cap);
	int rc = cli_parse(&cfg, argc, argv);
	capture_end(&cap, out, err, sizeof out);
	check_that(rc == r->rc, what, rc == 2 ? err : "wrong return value");
	const char *at = strstr(r->expect, "{FILE}");
	if (at)
		snprintf(want, sizeof want, "%.*s%s%s", (int)(at - r->expect), r->expect, path, at + 6);
	else
		snprintf(want, sizeof want, "%s", r->expect);
	if (rc == 0 && r->rc == 0) {
		check_that(err[0] == '\0' && out[0] == '\0', what, "printed something");
		check_fields(what, &cfg, cfg_field, want);
		if (r->ini)
			check_that(strcmp(cfg.config_path, path) == 0, what, "config_path not set");
	} else if (rc == 1 && r->rc == 1) {
		check_that(strstr(out, want) != NULL, what, out);
		check_that(err[0] == '\0', what, "--help wrote to stderr");
	} else if (rc == 2 && r->rc == 2) {
		check_that(strstr(err, want) != NULL, what, err);
		check_that(out[0] == '\0', what, "an error went to stdout");
	}
	if (path[0])
		unlink(path);
}

/* --help lists every flag it accepts. */
static void run_help_check(void)
{
	static struct config cfg;
	static char out[16384], err[4096];
	static const char *const flags[] = {
		"--config", "--broker", "--prefix", "--size", "--windowed", "--fullscreen",
		"--lang", "--site", "--board-id", "--at-risk", "--steady", "--assets",
		"--state-dir", "--screenshot ", "--screenshot-after", "--dump-state", "--set",
		"--verbose", "--help", "--version",
	};
	char *argv[] = { "wallboard", "--help", NULL };
	struct capture cap;
	capture_begin(&cap);
	cli_parse(&cfg, 2, argv);
	capture_end(&cap, out, err, sizeof err);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		check_that(strstr(out, flags[i]) != NULL, "--help mentions", flags[i]);
}

/* What --print-config writes reads back, as a config file, to the
 * defaults: loaded over an all-zero config, every field the table gives a
 * default comes out equal to config_defaults' (the three computed at start
 * are copied over first: the example leaves them commented out). */
static void run_example_check(void)
{
	static struct config got, want;
	char out[4096], err[4096], *text = NULL;
	size_t len = 0;
	struct capture cap;
	FILE *f = open_memstream(&text, &len);
	config_write_example(f);
	fclose(f);
	config_defaults(&want);
	memset(&got, 0, sizeof got);
	capture_begin(&cap);
	bool ok = config_load_string(&got, text, "example.ini");
	capture_end(&cap, out, err, sizeof err);
	check_that(ok && err[0] == '\0', "example loads", err);
	memcpy(got.board_id, want.board_id, sizeof got.board_id);
	memcpy(got.asset_dir, want.asset_dir, sizeof got.asset_dir);
	memcpy(got.state_dir, want.state_dir, sizeof got.state_dir);
	got.screenshot_after = want.screenshot_after;
	check_that(memcmp(&got, &want, sizeof got) == 0, "example reads back to the defaults",
		   NULL);
	check_fields("example", &got, cfg_field,
		     "site=Support floor;port=1883;keepalive=10;at_risk=600;snooze=900;"
		     "repeat=30;quiet_from=-1;volume=60;n_channels=0;n_leads=0");
	free(text);
}

/* Every key --help lists is in the example, as "key =" or ";key =". */
static void run_key_list_check(void)
{
	char *list = NULL, *text = NULL, want[80];
	size_t n1 = 0, n2 = 0;
	FILE *f = open_memstream(&list, &n1);
	config_write_key_list(f);
	fclose(f);
	f = open_memstream(&text, &n2);
	config_write_example(f);
	fclose(f);
	int keys = 0;
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		char *p = strchr(line, ']') ? strchr(line, ']') + 1 : line;
		for (char *w = p + strspn(p, " "); *w; w += strspn(w, " ")) {
			size_t n = strcspn(w, " ");
			snprintf(want, sizeof want, "\n%.*s =", (int)n, w);
			bool found = strstr(text, want) != NULL;
			snprintf(want, sizeof want, "\n;%.*s =", (int)n, w);
			check_that(found || strstr(text, want) != NULL, "example has key", want + 2);
			keys++;
			w += n;
		}
	}
	check_that(keys >= 29, "--help lists the keys", NULL);
	free(list);
	free(text);
}

/* A bad section is reported once, not once per key in it. */
static void run_once_check(void)
{
	static struct config cfg;
	char out[4096], err[4096];
	struct capture cap;
	int lines = 0;
	config_defaults(&cfg);
	capture_begin(&cap);
	bool ok = config_load_string(&cfg, "[nope]\na = 1\nb = 2\n", "once.ini");
	capture_end(&cap, out, err, sizeof err);
	for (const char *p = err; (p = strstr(p, "[config]")) != NULL; p++)
		lines++;
	check_that(!ok && lines == 1, "bad section reported once", err);
}

int main(void)
{
	run_defaults();
	run_file_rows();
	run_file_checks();
	run_once_check();
	run_example_check();
	run_key_list_check();
	for (size_t i = 0; i < sizeof cli_rows / sizeof cli_rows[0]; i++)
		run_cli_row(i, &cli_rows[i]);
	run_help_check();
	return check_summary();
}
