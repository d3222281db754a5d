/* soundwait.h - when the main loop may wait on SDL's audio threads.
 *
 * sound_idle (src/ui/sound.h) probes the alert device once and closes a
 * device whose pattern ended; both wait on SDL's audio threads, 42 ms
 * with SDL's dummy driver and up to 0.1 s with ALSA and no card. A loop
 * that waits while a retained replay or a burst comes in lets it pile
 * up: the probe put between the connect and the loop once held a
 * replay back long enough for mosquitto to drop part of it. So the wait
 * goes where nothing is arriving:
 *   - live: after a frame drawn in sync, no replay, nothing queued; a
 *     firing alarm flashes at 1 Hz, so such a frame follows a pattern's
 *     end within a second;
 *   - not live, the strip is veiled and may draw nothing for minutes, so
 *     any pass will do, nothing queued, SOUNDWAIT_LATE_MS into the run
 *     (else a board that never gets live never says whether it has
 *     sound, and an alert's device stays open, its thread waking ~47
 *     times a second);
 *   - ... but during a replay only once it has run SOUNDWAIT_LATE_MS (a
 *     replay whose marker never comes back: a broker's ACL refusing it),
 *     not amid a reconnect's replay;
 *   - not connected and no replay, nothing can arrive: a held device is
 *     closed at once (an alarm that fires by time in an outage). Not the
 *     probe: at a start the board is not connected yet either, but its
 *     connect is under way and the replay follows within milliseconds.
 * No SDL here: the rule is a table in tests/unit/test_soundwait.c. */
#ifndef WALLBOARD_SOUNDWAIT_H
#define WALLBOARD_SOUNDWAIT_H

#include <stdbool.h>
#include <stdint.h>

#define SOUNDWAIT_LATE_MS 10000

struct soundwait_in {
	bool backlog;       /* messages still wait in the queue */
	bool drew;          /* this pass drew a frame */
	bool live;          /* the wall's data is live */
	bool synced;        /* the connection's replay is in */
	bool connected;     /* to the broker */
	bool replaying;     /* a replay runs */
	bool held;          /* the sound device is open */
	uint32_t run_ms;    /* since the board started */
	uint32_t replay_ms; /* since the running replay began */
};

/* Whether this pass may call sound_idle. */
bool soundwait_may(const struct soundwait_in *in);

#endif
