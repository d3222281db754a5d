/* test_soundwait.c - when the loop may wait on SDL's audio threads. */
#include "check.h"
#include "soundwait.h"

#define LATE SOUNDWAIT_LATE_MS

static const struct {
	const char *name;
	struct soundwait_in in;
	bool may;
} rows[] = {
	/* live: after a frame drawn in sync, nothing queued, no replay */
	{ "live, a frame drawn", { .live = 1, .synced = 1, .connected = 1, .drew = 1 }, true },
	{ "live, no frame this pass", { .live = 1, .synced = 1, .connected = 1 }, false },
	{ "live, a backlog", { .live = 1, .synced = 1, .connected = 1, .drew = 1, .backlog = 1 }, false },
	{ "live, a replay taken again", { .live = 1, .synced = 1, .connected = 1, .drew = 1,
					  .replaying = 1, .run_ms = 60000, .replay_ms = 60000 }, false },
	/* a start: connecting, the replay follows at once: no probe yet */
	{ "start, not connected yet", { .run_ms = 5 }, false },
	{ "start, replaying", { .connected = 1, .replaying = 1, .drew = 1, .run_ms = 300 }, false },
	/* never live: the marker refused (a replay that never ends) */
	{ "marker refused, 9.9 s", { .connected = 1, .replaying = 1, .run_ms = LATE - 100,
				     .replay_ms = LATE - 100 }, false },
	{ "marker refused, 10 s", { .connected = 1, .replaying = 1, .run_ms = LATE,
				    .replay_ms = LATE }, true },
	{ "marker refused, a backlog", { .connected = 1, .replaying = 1, .backlog = 1,
					 .run_ms = 60000, .replay_ms = 60000 }, false },
	/* a reconnect's replay after an outage, past the 10th second */
	{ "reconnect replay, 0.2 s in", { .connected = 1, .replaying = 1, .held = 1,
					  .run_ms = 60000, .replay_ms = 200 }, false },
	{ "reconnect replay, 9.9 s in", { .connected = 1, .replaying = 1, .held = 1,
					  .run_ms = 60000, .replay_ms = LATE - 100 }, false },
	/* an outage: nothing can arrive */
	{ "outage, device held, 5 s in", { .held = 1, .run_ms = 5000 }, true },
	{ "outage, no device held, 5 s in", { .run_ms = 5000 }, false },
	{ "outage, no device held, 10 s in", { .run_ms = LATE }, true },
	/* connected, not replaying, not live (echo stale) */
	{ "echo stale, 5 s in", { .connected = 1, .synced = 1, .held = 1, .run_ms = 5000 }, false },
	{ "echo stale, 10 s in", { .connected = 1, .synced = 1, .run_ms = LATE }, true },
};

int main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		CHECK_EQ(soundwait_may(&rows[i].in), rows[i].may);
	}
	return check_summary();
}
