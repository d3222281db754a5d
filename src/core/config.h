/* config.h - board settings: built-in defaults < config file < command line.
 *
 * The file is INI (parsed by libinih), editable by hand on a kiosk. A
 * wrong key or value is reported as FILE:LINE: reason and the board
 * refuses to start. Every key can be set on the command line too
 * (src/app/cli.c: --set SECTION.KEY=VALUE goes through config_set).
 *
 * The keys, their types, ranges, defaults and help are one table in
 * config.c (keys[]); the comments below say what a field means, the
 * table says what it may hold and what it starts as. */
#ifndef WALLBOARD_CONFIG_H
#define WALLBOARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_MAX_CHANNELS 32
#define CONFIG_MAX_LEADS    32
#define CONFIG_MAX_CONTACTS 8    /* the crisis contract's contacts */
#define CONFIG_PLAYBOOK_MAX 8    /* the crisis contract's playbook steps */
#define CONFIG_ITEM         160  /* a playbook step, a crisis title (the
                                    contract's limits, decode.h) */
#define CONFIG_STR          128
#define CONFIG_PATH         512

enum lang { LANG_EN, LANG_HE, LANG_FA };
/* The board's own numbers: the language's digits (Persian ۰-۹ in fa) or
 * always 0-9. Producers' texts are shown as written either way. */
enum digits { DIGITS_NATIVE, DIGITS_LATIN };
enum config_protocol { CONFIG_PROTOCOL_AUTO, CONFIG_PROTOCOL_5, CONFIG_PROTOCOL_311 };

/* display.renderer, in the order of its words in the key table. */
enum renderer_choice { RENDERER_AUTO, RENDERER_SOFTWARE, RENDERER_GPU };

/* display.redraw: only what changed (src/ui/scene.h), or every frame whole;
 * check: only what changed, each frame compared with a whole redraw. */
enum redraw_choice { REDRAW_CHANGED, REDRAW_WHOLE, REDRAW_CHECK };

struct channel_conf {
	char key[32];          /* as in the complaint's "channel" field */
	char name[CONFIG_STR]; /* display name, any language; "": built-in
	                          name of the key in the board's language */
	uint32_t color;        /* 0xRRGGBB accent colour */
};

struct lead_conf {
	char name[CONFIG_STR];
	char pin_hash[CONFIG_STR]; /* crypt(3) string, e.g. "$6$salt$..." */
};

/* [contact.<key>]: someone to call in a crisis a lead declares, in file
 * order; sizes as the crisis contract's contacts. */
struct contact_conf {
	char key[32];
	char role[96];
	char name[96];
	char phone[40];
};

struct config {
	/* [board] */
	char site[CONFIG_STR];       /* header title */
	char board_id[64];           /* unique per board */
	enum lang lang;
	enum digits digits;          /* the board's own numbers */
	int at_risk_s;               /* "due soon" window */
	bool flash_steady;           /* crisis banner without flashing */
	int page_s;                  /* the breach list turns its page */
	int rejected_recent_s;       /* the header's rejected count is amber
	                                this long after it last rose
	                                (src/app/badinput.h) */
	char asset_dir[CONFIG_PATH]; /* fonts */
	char state_dir[CONFIG_PATH]; /* ack journal lives here */

	/* [mqtt] */
	char host[256];
	int port;
	char prefix[64];             /* topic prefix, no trailing '/' */
	int keepalive_s;
	enum config_protocol protocol; /* mqtt.protocol, in its words' order */
	char username[CONFIG_STR];
	char password[CONFIG_STR];
	char cafile[CONFIG_PATH];    /* non-empty: TLS with this CA */
	char password_file[CONFIG_PATH]; /* first line: the password */
	bool tls;                    /* TLS even without cafile/capath */
	char capath[CONFIG_PATH];    /* non-empty: TLS with these CAs */
	char certfile[CONFIG_PATH];  /* client certificate (TLS) */
	char keyfile[CONFIG_PATH];
	char tls_version[16];        /* minimum: tlsv1.2 (default) or tlsv1.3 */
	bool mqtt_insecure;          /* password without TLS off loopback */

	/* [limits] */
	int max_complaints;          /* default 50,000 */

	/* [acks] */
	char ack_key_file[CONFIG_PATH]; /* set: sign acks, refuse unsigned */

	/* [display] */
	int width, height;           /* 0: desktop size when fullscreen */
	bool windowed;
	enum renderer_choice renderer;
	enum redraw_choice redraw;

	char schedule[64];           /* display.schedule (schedule.h), "off" */
	bool night_blank;            /* night: blank instead of dimming */
	int night_brightness;        /* 0..100, default 20 */
	int rotate;                  /* 0, 90, 180, 270 (clockwise) */
	bool orbit;                  /* burn-in: shift static chrome */

	/* [remote] */
	int status_every_s;          /* boards/<id>/status JSON, default 30 */
	bool remote_allow_unsigned;  /* commands without a signature when no
	                                acks.key_file is set */

	/* [channel.<key>] sections, in file order */
	struct channel_conf channels[CONFIG_MAX_CHANNELS];
	size_t n_channels;

	/* [alarms] */
	int snooze_s;                /* ack lasts this long */
	int escalate_after_s;        /* unacked this long escalates */
	int flood_threshold;         /* > this many breaches in one channel:
	                                one channel alarm instead */
	int channel_max_open;        /* 0: off */
	int channel_max_breached;    /* 0: off */
	int channel_max_wait_s;      /* 0: off */
	int sound_volume;            /* 0..100 */
	int sound_repeat_s;
	int quiet_from_min;          /* minutes after local midnight, -1: none */
	int quiet_to_min;

	/* [surge]: new complaints per channel against the usual (surge.h) */
	int surge_factor;            /* 0: off */
	int surge_min_per_10min;
	int surge_learn_s;

	/* [crisis] */
	bool crisis_report;          /* publish <prefix>/crisis/reports/<since> */
	int crisis_first_step_within_s; /* "Crisis: no step taken" after; 0: off */
	/* a crisis a lead declares from a surge alarm (declare.h) */
	char crisis_steps[CONFIG_PLAYBOOK_MAX][CONFIG_ITEM]; /* "": none; the
	                                playbook is the non-empty ones, in order */
	char crisis_title[CONFIG_ITEM];  /* "": "Surge: <channel>" */
	char crisis_message[200];
	int crisis_level;            /* 1..3 */

	/* [contact.<key>] sections: role, name, phone */
	struct contact_conf contacts[CONFIG_MAX_CONTACTS];
	size_t n_contacts;

	/* [lead.<name>] sections: pin_hash = ... */
	struct lead_conf leads[CONFIG_MAX_LEADS];
	size_t n_leads;

	/* command line only: headless runs and tests */
	char config_path[CONFIG_PATH];
	char screenshot[CONFIG_PATH];
	double screenshot_after;     /* seconds after start, default 1 */
	char dump_state[CONFIG_PATH];
	char input_script[CONFIG_PATH]; /* replay input events (tests) */
	bool hash_pin;               /* print a PIN hash and exit */
	char make_ack_key[CONFIG_PATH]; /* write a new ack key there and exit */
	int verbose;
};

void config_defaults(struct config *cfg);

/* Load an INI file over cfg. On error logs "PATH:LINE: reason" and
 * returns false. */
bool config_load_file(struct config *cfg, const char *path);

/* The same for INI text in memory (the fuzzer and tests use it; so does
 * config_load_file). name stands for the file in messages. */
bool config_load_string(struct config *cfg, const char *text, const char *name);

enum config_set_result { CONFIG_SET_OK, CONFIG_SET_UNKNOWN, CONFIG_SET_BAD };

/* One setting by section and key, as from the file ("channel.whatsapp",
 * "color", "#25d366"). On failure why holds the reason: for
 * CONFIG_SET_UNKNOWN a whole sentence naming the section or key, for
 * CONFIG_SET_BAD what is wrong with the value (without the key's name). */
enum config_set_result config_set(struct config *cfg, const char *section,
				  const char *name, const char *value,
				  char *why, size_t size);

/* A key's built-in default as the file would spell it; NULL for an
 * unknown key or one computed at start (board_id, assets, state_dir). */
const char *config_default(const char *section, const char *name);

/* Every section and key with its default and help, as a commented INI
 * file that config_load_file reads back to the defaults. */
void config_write_example(FILE *out);

/* "  [section]  key key ..." lines for --help. */
void config_write_key_list(FILE *out);

/* Find a configured channel by key, or NULL. */
const struct channel_conf *config_channel(const struct config *cfg, const char *key);

#endif
