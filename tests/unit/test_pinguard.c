/* test_pinguard.c - the PIN lockout survives a restart (saved in the
 * state directory as wall-clock time), never exceeds its cap after a clock
 * change, and a missing or damaged file means no lockout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pin.h"

#include "check.h"

#define EPOCH INT64_C(1795425120)

int main(void)
{
	log_set_level(LOG_ERROR);
	char dir[] = "/tmp/wb-pinguard.XXXXXX", path[64];
	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof path, "%s/pin.lockout", dir);

	struct pin_guard *g = pin_guard_init();
	CHECK(pin_guard_load(g, path, 1000, EPOCH)); /* no file: fine, unlocked */
	CHECK(pin_guard_wait_ms(g, 1000) == 0);
	for (int i = 0; i < PIN_GUARD_FREE_TRIES; i++)
		pin_guard_record(g, false, 1000);
	CHECK(pin_guard_wait_ms(g, 1000) == PIN_GUARD_LOCK_MS);
	CHECK(pin_guard_save(g, path, 1000, EPOCH));
	pin_guard_destroy(g);

	/* The board restarts 10 s later (a new monotonic clock): still locked
	 * for the remaining ~20 s, and the failures in a row are remembered. */
	g = pin_guard_init();
	CHECK(pin_guard_load(g, path, 5, EPOCH + 10));
	int64_t left = pin_guard_wait_ms(g, 5);
	checkf(left > 18000 && left <= 20000, "20 s left after a restart (%lld ms)",
	       (long long)left);
	CHECK(pin_guard_failures(g) == PIN_GUARD_FREE_TRIES);
	pin_guard_record(g, false, 5 + left); /* one more wrong: twice as long */
	CHECK(pin_guard_wait_ms(g, 5 + left) == 2 * PIN_GUARD_LOCK_MS);
	pin_guard_destroy(g);

	/* After the lockout's end, a restart is unlocked. */
	g = pin_guard_init();
	CHECK(pin_guard_load(g, path, 0, EPOCH + 31) && pin_guard_wait_ms(g, 0) == 0);
	pin_guard_destroy(g);

	/* A clock set back a year cannot lock the keypad for a year. */
	g = pin_guard_init();
	CHECK(pin_guard_load(g, path, 0, EPOCH - 365 * 86400));
	CHECK(pin_guard_wait_ms(g, 0) <= PIN_GUARD_LOCK_MAX_MS);
	pin_guard_destroy(g);

	/* Damaged: ignored, unlocked. */
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("garbage\n", f);
		fclose(f);
	}
	g = pin_guard_init();
	CHECK(!pin_guard_load(g, path, 0, EPOCH) && pin_guard_wait_ms(g, 0) == 0);
	pin_guard_destroy(g);

	unlink(path);
	rmdir(dir);
	return check_summary();
}
