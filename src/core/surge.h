/* surge.h - a surge of new complaints on one channel, the usual first sign
 * of a crisis, seen before anyone declares one.
 *
 * Per channel the board counts new complaints by the minute they were
 * opened (the producer's opened_at, so every board counts alike) in a
 * short window (the last SURGE_WINDOW_MIN minutes) and keeps a baseline:
 * an exponentially weighted mean of the complaints per minute, with a time
 * constant of SURGE_BASELINE_MIN minutes (a day), fed each minute as it
 * leaves the window (so its count is final). A channel surges when the
 * window holds more than factor x the usual count for a window and more
 * than min_per_window, once its baseline has learned for learn_s (before
 * that "usual" means little: a busy channel would alarm on a new board).
 * It stops surging when the count falls to 3/4 of that threshold, so a
 * count hovering at the threshold does not make the alarm flap.
 *
 * A complaint counts once: the caller notes a complaint the model did not
 * hold, and ids counted within the window are remembered, so the retained
 * replay after a restart does not count the same complaints again.
 * Complaints opened before the window are a backlog, not arrivals: not
 * counted. Drill complaints ("drill": true) count towards a surge, which
 * is then a drill surge, but never towards the baseline.
 *
 * The counts and the baseline are saved to a file in the state dir
 * (surge_save, surge_load) so a restart does not hide a surge and does not
 * forget what is usual; minutes the board did not watch (it was off for
 * longer than the window) are not taken as quiet minutes.
 *
 * Plain C, no SDL, no mosquitto; time is injected (epoch seconds). */
#ifndef WALLBOARD_SURGE_H
#define WALLBOARD_SURGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define SURGE_WINDOW_MIN   10
#define SURGE_BASELINE_MIN 1440
#define SURGE_CHANNELS     32    /* the model's channel bound */
#define SURGE_SEEN_MAX     4096  /* ids remembered in the window */

struct surge_options {
	int factor;               /* 0: surge detection off */
	int min_per_window;       /* the count must also exceed this */
	int learn_s;              /* no surge before the baseline learned this long */
};

/* One channel as the alarms see it. */
struct surge_view {
	const char *channel;      /* key, as in the complaint */
	uint32_t count;           /* new complaints in the window (drills included) */
	uint32_t usual;           /* baseline, per window, rounded */
	bool surging;
	bool drill;               /* surging only thanks to drill complaints */
};

struct surge;

struct surge *surge_create(const struct surge_options *opt);
void surge_destroy(struct surge *s);

/* A complaint the board did not hold until now. Counted when opened in
 * the window and not counted before (by id). */
void surge_note(struct surge *s, const char *channel, const char *id, int64_t opened_at,
		bool drill, int64_t now);

/* Fold minutes that left the window into the baselines and decide which
 * channels surge. Call before reading views, at least once a minute while
 * surge_next_change() says so. Returns true when a view changed. */
bool surge_update(struct surge *s, int64_t now);

size_t surge_count(const struct surge *s);
bool surge_get(const struct surge *s, size_t idx, struct surge_view *out);

/* Epoch second of the next minute that changes a count by time alone (a
 * minute leaves the window), or 0 when every window is empty. */
int64_t surge_next_change(const struct surge *s, int64_t now);

/* Something was counted or folded since the last save. */
bool surge_dirty(const struct surge *s);

/* Save atomically (a temporary file renamed over path). Logged on error. */
bool surge_save(struct surge *s, const char *path, int64_t now);
/* Load what surge_save wrote; a missing file is an empty start (true),
 * bad lines are logged and skipped. */
bool surge_load(struct surge *s, const char *path, int64_t now);

#endif
