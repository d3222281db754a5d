/* pin.c - see pin.h. */
#include "pin.h"

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

struct pin_guard {
	unsigned failures;       /* wrong PINs in a row */
	int64_t locked_until_ms; /* 0: not locked */
};

bool pin_is_wellformed(const char *pin)
{
	size_t n = 0;
	if (!pin)
		return false;
	for (; pin[n]; n++) {
		if (pin[n] < '0' || pin[n] > '9')
			return false;
		if (n >= PIN_MAX_DIGITS)
			return false;
	}
	return n >= PIN_MIN_DIGITS;
}

bool pin_equal_ct(const void *a, const void *b, size_t n)
{
	/* volatile keeps the compiler from turning the loop into an early
	 * exit memcmp. */
	const volatile unsigned char *x = a;
	const volatile unsigned char *y = b;
	unsigned char diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(x[i] ^ y[i]);
	return diff == 0;
}

/* crypt_r signals failure either by NULL or by a string starting with
 * '*' (libxcrypt's "failure token"), depending on how it was built. */
static bool crypt_failed(const char *out)
{
	return !out || out[0] == '*' || out[0] == '\0';
}

bool pin_verify(const char *pin, const char *hash)
{
	if (!pin || !hash || hash[0] != '$') {
		log_warn("pin", "stored PIN hash is not a crypt(3) string");
		return false;
	}
	/* struct crypt_data is ~32 KiB: too big for a small thread stack. */
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd) {
		log_error("pin", "out of memory checking a PIN");
		return false;
	}
	const char *out = crypt_r(pin, hash, cd);
	bool ok = false;
	if (crypt_failed(out)) {
		log_warn("pin", "libcrypt cannot use a stored PIN hash (%.4s...)", hash);
	} else {
		/* Lengths are not secret (they follow from the method); the
		 * bytes are compared in constant time. */
		size_t n = strlen(hash);
		ok = strlen(out) == n && pin_equal_ct(out, hash, n);
	}
	explicit_bzero(cd, sizeof *cd); /* the PIN passed through it */
	free(cd);
	return ok;
}

static bool make_setting(char *setting, size_t len)
{
	/* NULL random bytes: libcrypt reads them from the OS itself. */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting, (int)len))
		return true;
	log_info("pin", "yescrypt unavailable (%s), using SHA-512-crypt",
		 strerror(errno));
	if (crypt_gensalt_rn("$6$", 0, NULL, 0, setting, (int)len))
		return true;
	log_error("pin", "cannot make a salt: %s", strerror(errno));
	return false;
}

bool pin_hash_make(const char *pin, char *out, size_t outlen)
{
	if (!pin_is_wellformed(pin)) {
		log_error("pin", "a PIN must be %d to %d digits",
			  PIN_MIN_DIGITS, PIN_MAX_DIGITS);
		return false;
	}
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!make_setting(setting, sizeof setting))
		return false;
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd) {
		log_error("pin", "out of memory hashing a PIN");
		return false;
	}
	const char *h = crypt_r(pin, setting, cd);
	bool ok = false;
	if (crypt_failed(h))
		log_error("pin", "libcrypt failed to hash a PIN");
	else if (strlen(h) >= outlen)
		log_error("pin", "PIN hash does not fit in %zu bytes", outlen);
	else {
		memcpy(out, h, strlen(h) + 1);
		ok = true;
	}
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return ok;
}

int pin_find_lead(const struct lead_conf *leads, size_t n_leads, const char *pin)
{
	int found = -1;
	/* No early exit: see pin.h. */
	for (size_t i = 0; i < n_leads; i++) {
		if (pin_verify(pin, leads[i].pin_hash) && found < 0)
			found = (int)i;
	}
	return found;
}

struct pin_guard *pin_guard_init(void)
{
	struct pin_guard *g = calloc(1, sizeof *g);
	if (!g)
		log_error("pin", "out of memory");
	return g;
}

void pin_guard_destroy(struct pin_guard *g)
{
	free(g);
}

int64_t pin_guard_wait_ms(const struct pin_guard *g, int64_t now_ms)
{
	return g->locked_until_ms > now_ms ? g->locked_until_ms - now_ms : 0;
}

unsigned pin_guard_failures(const struct pin_guard *g)
{
	return g->failures;
}

bool pin_guard_save(const struct pin_guard *g, const char *path, int64_t now_ms,
		    int64_t now_epoch)
{
	char tmp[600], line[96];
	int64_t wait = pin_guard_wait_ms(g, now_ms);
	int64_t until = wait > 0 ? now_epoch + (wait + 999) / 1000 : 0;
	int n = snprintf(line, sizeof line, "wallboard-pin-guard 1 %u %lld\n", g->failures,
			 (long long)until);
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return false;
	FILE *f = fopen(tmp, "we");
	bool ok = f && fwrite(line, 1, (size_t)n, f) == (size_t)n;
	ok = f && fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		log_warn("pin", "cannot save the PIN lockout to %s: %s", path, strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

bool pin_guard_load(struct pin_guard *g, const char *path, int64_t now_ms,
		    int64_t now_epoch)
{
	unsigned failures = 0;
	long long until = 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT;
	bool ok = fscanf(f, "wallboard-pin-guard 1 %u %lld", &failures, &until) == 2;
	fclose(f);
	if (!ok) {
		log_warn("pin", "%s unreadable: ignored", path);
		return false;
	}
	int64_t left_ms = (until - now_epoch) * 1000;
	if (left_ms > PIN_GUARD_LOCK_MAX_MS)
		left_ms = PIN_GUARD_LOCK_MAX_MS; /* a clock set back must not lock forever */
	g->failures = failures;
	g->locked_until_ms = left_ms > 0 ? now_ms + left_ms : 0;
	if (left_ms > 0)
		log_info("pin", "keypad still locked for %lld s (%u wrong PINs in a row)",
			 (long long)(left_ms / 1000), failures);
	return true;
}

/* Lock length after the n-th wrong PIN in a row (n > FREE_TRIES - 1). */
static int64_t lock_ms(unsigned failures)
{
	unsigned doublings = failures - PIN_GUARD_FREE_TRIES;
	if (doublings >= 16) /* far beyond the cap; also keeps the shift sane */
		return PIN_GUARD_LOCK_MAX_MS;
	int64_t ms = (int64_t)PIN_GUARD_LOCK_MS << doublings;
	return ms < PIN_GUARD_LOCK_MAX_MS ? ms : PIN_GUARD_LOCK_MAX_MS;
}

void pin_guard_record(struct pin_guard *g, bool ok, int64_t now_ms)
{
	if (ok) {
		g->failures = 0;
		g->locked_until_ms = 0;
		return;
	}
	if (g->failures < UINT32_MAX)
		g->failures++;
	if (g->failures >= PIN_GUARD_FREE_TRIES)
		g->locked_until_ms = now_ms + lock_ms(g->failures);
}

enum pin_result pin_login(struct pin_guard *g, const struct lead_conf *leads,
			  size_t n_leads, const char *pin, int64_t now_ms,
			  size_t *lead_idx)
{
	if (pin_guard_wait_ms(g, now_ms) > 0)
		return PIN_LOCKED;
	int idx = pin_is_wellformed(pin) ? pin_find_lead(leads, n_leads, pin) : -1;
	pin_guard_record(g, idx >= 0, now_ms);
	if (idx < 0) {
		log_info("pin", "wrong PIN (%u in a row)", g->failures);
		return PIN_WRONG;
	}
	*lead_idx = (size_t)idx;
	return PIN_OK;
}
