/* remote.h - commands to a board over MQTT: what they are and who may
 * send them.
 *
 * Topics <prefix>/boards/<id>/cmd and <prefix>/boards/all/cmd. A payload
 * is either the bare command line ("dim 40") or a JSON object
 *   {"cmd": "dim 40", "at": 1764410000, "sig": "<64 hex digits>"}
 * Commands: screenshot, identify, dim <0-100>, reload, page next.
 *
 * Who: with an ack key configured (acks.key_file) only signed commands
 * are taken, made within CMD_SKEW_S of the board's clock and not older
 * than the last one taken (a replayed command is refused). The signature
 * is HMAC-SHA256 under the ack key (acksig.h) of
 *   "wallboard-cmd-v1" then target, cmd, at, each "\n" <length> ":" <bytes>
 * where target is the topic's level: the board id or "all", and at is
 * decimal epoch seconds. Without a key, unsigned commands are refused
 * unless [remote] allow_unsigned = true. A retained command is never
 * taken (it would run again on every reconnect). No SDL, no mosquitto. */
#ifndef WALLBOARD_REMOTE_H
#define WALLBOARD_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acksig.h"

#define REMOTE_SKEW_S 120

enum remote_cmd {
	REMOTE_SCREENSHOT,
	REMOTE_IDENTIFY,
	REMOTE_DIM,          /* arg: brightness 0..100 */
	REMOTE_RELOAD,
	REMOTE_PAGE_NEXT,
};

struct remote_request {
	enum remote_cmd cmd;
	int arg;
	char line[64];       /* the command as given, for replies and logs */
};

struct remote_policy {
	const struct acksig_key *key;   /* NULL or empty: no key */
	bool allow_unsigned;
	int64_t last_at;                /* updated: the last signed command's at */
};

/* Parses and authorises one command that arrived on target's cmd topic.
 * False with why (for the reply and the log) when refused. */
bool remote_accept(struct remote_policy *p, const char *target, const void *payload,
		   size_t len, bool retained, int64_t now, struct remote_request *out,
		   char *why, size_t why_size);

/* The signature a sender puts in "sig" (64 hex digits and a NUL); "" when
 * there is no key. Tests and tools sign with it. */
void remote_sign(const struct acksig_key *key, const char *target, const char *cmd,
		 int64_t at, char out[ACKSIG_HEX_LEN + 1]);

#endif
