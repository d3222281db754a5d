/* test_mqtt_wake.c - when the MQTT queue wakes its owner (mqtt_wakes):
 * a held owner (mqtt_hold) sleeps through a stream's messages, never
 * through control events, a pile-up or a retained replay. */
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

int main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		checkf(mqtt_wakes(rows[i].message, rows[i].synced, rows[i].queued,
				  rows[i].hold_until, rows[i].rx_ms) == rows[i].wakes,
		       "%s: wakes %d, want %d", rows[i].what, !rows[i].wakes, rows[i].wakes);
	return check_summary();
}
