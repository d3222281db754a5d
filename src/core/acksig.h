/* acksig.h - signed acknowledgements: only a board that holds the site's
 * ack key can silence an alarm over MQTT.
 *
 * The boards of one site share a secret key (a file of 32 or more random
 * bytes, readable by the board's user only; `wallboard --make-ack-key
 * FILE` writes one). Every ack a board publishes carries "sig", the
 * HMAC-SHA256 of its fields under that key, as 64 lowercase hex digits.
 * With a key configured a board ignores acks that are unsigned or whose
 * signature does not verify (alarms.c counts and logs them). Anyone who
 * may publish to <prefix>/acks/+ can still replay an old signed ack: the
 * freshness rules for that live in alarms.c.
 *
 * What is signed (v1): the byte string
 *   "wallboard-ack-v1" then, for alarm, by, board, at, until in this order,
 *   "\n" <decimal byte length> ":" <bytes>
 * where at and until are decimal epoch seconds. Length prefixes make the
 * encoding unambiguous whatever the fields contain.
 *
 * The HMAC comes from OpenSSL's libcrypto; the key file's bytes are the
 * key, exactly as stored (a key written by --make-ack-key is 64 hex digits
 * and a newline; `head -c 32 /dev/urandom > FILE` works as well).
 * No SDL, no mosquitto. */
#ifndef WALLBOARD_ACKSIG_H
#define WALLBOARD_ACKSIG_H

#include <stdbool.h>
#include <stddef.h>

#include "decode.h"

#define ACKSIG_KEY_MIN 32          /* bytes */
#define ACKSIG_KEY_MAX 1024
#define ACKSIG_HEX_LEN 64          /* hex digits of a signature */

struct acksig_key {
	unsigned char bytes[ACKSIG_KEY_MAX];
	size_t len;                    /* 0: no key */
};

/* Read the key from path. Refuses (logged, false) a file that is not a
 * regular file, is readable or writable by group or others, or holds
 * fewer than ACKSIG_KEY_MIN or more than ACKSIG_KEY_MAX bytes. */
bool acksig_key_load(const char *path, struct acksig_key *out);

/* Write a new key (32 random bytes from the OS, as 64 hex digits and a
 * newline) to path, created with mode 0600; refuses to overwrite an
 * existing file. False (logged) on any failure. */
bool acksig_key_make(const char *path);

/* The signature of ack's alarm, by, board, at and until: 64 hex digits
 * and a NUL into out. */
void acksig_sign(const struct acksig_key *k, const struct msg_ack *ack,
		 char out[ACKSIG_HEX_LEN + 1]);

/* ack->sig is the signature of its fields under k (constant time). */
bool acksig_verify(const struct acksig_key *k, const struct msg_ack *ack);

/* Forget the key bytes (before freeing what holds them). */
void acksig_key_wipe(struct acksig_key *k);

#endif
