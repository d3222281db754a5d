/* pin.h - shift leads prove who they are with a PIN before acknowledging
 * an alarm.
 *
 * The config holds only crypt(3) hashes ([lead.<name>] pin_hash = ...), so
 * a stolen config file does not reveal PINs, and every PIN check costs a
 * full (deliberately slow) yescrypt or SHA-crypt round. A PIN is short, so
 * guessing is slowed further by struct pin_guard: after a few wrong PINs
 * in a row the keypad is refused for a while, longer after each further
 * failure. Time is injected (monotonic milliseconds), so the lockout is
 * tested without sleeping.
 *
 * PINs are never logged, not even in part: callers log "wrong PIN for
 * alarm X" without the digits. */
#ifndef WALLBOARD_PIN_H
#define WALLBOARD_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Enough for any crypt(3) string we make; config stores CONFIG_STR. */
#define PIN_HASH_MAX     CONFIG_STR
#define PIN_MIN_DIGITS   4
#define PIN_MAX_DIGITS   12

/* Lockout policy: PIN_GUARD_FREE_TRIES wrong PINs in a row lock the
 * keypad for PIN_GUARD_LOCK_MS; each further wrong PIN doubles it, up to
 * PIN_GUARD_LOCK_MAX_MS. A right PIN resets everything. */
#define PIN_GUARD_FREE_TRIES   3
#define PIN_GUARD_LOCK_MS      (30 * 1000)
#define PIN_GUARD_LOCK_MAX_MS  (15 * 60 * 1000)

/* What the keypad accepts: PIN_MIN_DIGITS..PIN_MAX_DIGITS ASCII digits.
 * Checked before hashing so a PIN that can never be typed is refused by
 * `wallboard --hash-pin` instead of locking a lead out at 3 a.m. */
bool pin_is_wellformed(const char *pin);

/* True when pin hashes to hash (a crypt(3) string). The computed and the
 * stored hash are compared in constant time. False for a malformed hash
 * (logged, without the PIN). */
bool pin_verify(const char *pin, const char *hash);

/* Hash a well-formed PIN with a fresh random salt: yescrypt ("$y$") when
 * libcrypt has it, else SHA-512-crypt ("$6$"). Writes a NUL-terminated
 * crypt(3) string into out. False (logged) if the PIN is not well formed,
 * out is too small or libcrypt fails. */
bool pin_hash_make(const char *pin, char *out, size_t outlen);

/* Compare n bytes in time that depends only on n, not on where the first
 * difference is, so a timing side channel tells nothing about a hash. */
bool pin_equal_ct(const void *a, const void *b, size_t n);

/* Which lead owns this PIN: index into leads[], or -1. Every lead's hash
 * is tried (no early exit), so the time taken does not reveal the lead's
 * position in the config. PINs are unique per lead by policy. */
int pin_find_lead(const struct lead_conf *leads, size_t n_leads, const char *pin);

/* Rate limiting of PIN attempts on one board. */
struct pin_guard;

enum pin_result {
	PIN_OK,       /* *lead_idx set, failure count reset */
	PIN_WRONG,    /* counted as a failure */
	PIN_LOCKED,   /* refused without checking; not counted */
};

struct pin_guard *pin_guard_init(void);
void pin_guard_destroy(struct pin_guard *g);

/* Milliseconds until the keypad accepts a PIN again; 0 when it does now.
 * For the screen ("try again in 25 s") and for pin_login. */
int64_t pin_guard_wait_ms(const struct pin_guard *g, int64_t now_ms);

/* Record the outcome of one checked attempt at now_ms (monotonic). */
void pin_guard_record(struct pin_guard *g, bool ok, int64_t now_ms);

/* Wrong PINs in a row so far. */
unsigned pin_guard_failures(const struct pin_guard *g);

/* The lockout survives a restart of the board (or a power cut): the
 * failures in a row and the end of the lockout, as wall-clock epoch
 * seconds, in a small file (<state_dir>/pin.lockout), written atomically
 * after every checked attempt. A load with a lockout still running
 * resumes it (never longer than PIN_GUARD_LOCK_MAX_MS). False (logged
 * for save) on I/O errors; a missing file loads as "no failures". */
bool pin_guard_save(const struct pin_guard *g, const char *path, int64_t now_ms,
		    int64_t now_epoch);
bool pin_guard_load(struct pin_guard *g, const char *path, int64_t now_ms,
		    int64_t now_epoch);

/* The whole keypad step: refuse while locked, else find the lead and
 * record the outcome. On PIN_OK, *lead_idx is the lead's index. */
enum pin_result pin_login(struct pin_guard *g, const struct lead_conf *leads,
			  size_t n_leads, const char *pin, int64_t now_ms,
			  size_t *lead_idx);

#endif
