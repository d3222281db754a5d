/* test_mqtt_wake.c - when the MQTT queue wakes its owner (mqtt_wakes):
 * a held owner (mqtt_hold) sleeps through a stream's messages, never
 * through control events, a pile-up or a retained replay; and when a
 * held batch's messages are said to have arrived (mqtt_batch_stamp). */
#include "check.h"
#include "mqtt.h"

static const struct {
	const char *what;
	bool message, synced;
	size_t queued;
	int64_t hold_until, rx_ms;
	bool wakes;
} rows[] = {
	{ "not held", true, true, 1, 0, 5000, true },
	{ "held: a stream's message", true, true, 1, 5100, 5000, false },
	{ "held: the 1023rd queued", true, true, MQTT_HOLD_EVENTS - 1, 5100, 5000, false },
	{ "held: a pile-up", true, true, MQTT_HOLD_EVENTS, 5100, 5000, true },
	{ "held: read at the hold's end", true, true, 1, 5100, 5100, true },
	{ "held: read after it", true, true, 1, 5100, 5200, true },
	{ "held: during a replay", true, false, 1, 5100, 5000, true },
	{ "held: a control event", false, true, 1, 5100, 5000, true },
	{ "held: a control event in a replay", false, false, 1, 5100, 5000, true },
};

/* A batch read at 5250 that came after the socket was read empty at
 * 5000, its last byte at 5240: the last is stamped at 5240 (not when it
 * was read, nor at the hold's end), the others spread evenly back
 * towards 5000, never before it. */
static const struct {
	const char *what;
	int64_t drained, last;
	size_t i, n;
	int64_t want;
} stamps[] = {
	{ "one message: its arrival", 5000, 5240, 0, 1, 5240 },
	{ "the last of four", 5000, 5240, 3, 4, 5240 },
	{ "the first of four", 5000, 5240, 0, 4, 5060 },
	{ "the second of four", 5000, 5240, 1, 4, 5120 },
	{ "the first of 240", 5000, 5240, 0, 240, 5001 },
	{ "drained unknown: all at the last", 0, 5240, 0, 4, 5240 },
	{ "drained after the last byte (clock ticks)", 5245, 5240, 0, 4, 5240 },
	{ "out of range: the last", 5000, 5240, 4, 4, 5240 },
	{ "an empty batch", 5000, 5240, 0, 0, 5240 },
};

int main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		checkf(mqtt_wakes(rows[i].message, rows[i].synced, rows[i].queued,
				  rows[i].hold_until, rows[i].rx_ms) == rows[i].wakes,
		       "%s: wakes %d, want %d", rows[i].what, !rows[i].wakes, rows[i].wakes);
	for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
		int64_t got = mqtt_batch_stamp(stamps[i].drained, stamps[i].last, stamps[i].i,
					       stamps[i].n);
		checkf(got == stamps[i].want, "%s: stamped %lld, want %lld", stamps[i].what,
		       (long long)got, (long long)stamps[i].want);
	}
	return check_summary();
}
