/* alertsound.c - see alertsound.h. */
#include "alertsound.h"

#include <string.h>
#include <time.h>

#include "quiet.h"
#include "util.h"

static bool in_quiet_hours(const struct config *cfg, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	return quiet_hours_contain(cfg->quiet_from_min, cfg->quiet_to_min,
				   tm.tm_hour * 60 + tm.tm_min);
}

/* Remembers which alarms fire now; true when one of them did not before. */
static bool firing_changed(struct alertsound *a, const struct alarms *al, bool *escalated)
{
	uint64_t now_firing[ALERTSOUND_FIRING_MAX];
	size_t n = 0;
	bool fresh = false;
	*escalated = false;
	for (size_t i = 0; i < alarms_count(al) && n < ALERTSOUND_FIRING_MAX; i++) {
		struct alarm_view v;
		if (!alarms_get(al, i, &v) || v.state != ALARM_FIRING)
			continue;
		uint64_t h = util_fnv1a_str(v.id);
		bool known = false;
		for (size_t j = 0; j < a->n_firing && !known; j++)
			known = a->firing[j] == h;
		fresh |= !known;
		*escalated |= v.escalated;
		now_firing[n++] = h;
	}
	memcpy(a->firing, now_firing, n * sizeof *now_firing);
	a->n_firing = n;
	return fresh;
}

bool alertsound_update(struct alertsound *a, const struct alarms *al, struct sound *s,
		       const struct config *cfg, int64_t now, uint32_t ticks)
{
	bool escalated;
	bool fresh = firing_changed(a, al, &escalated);
	if (!a->n_firing || in_quiet_hours(cfg, now))
		return false;
	uint32_t repeat_ms = (uint32_t)cfg->sound_repeat_s * 1000u;
	if (fresh || (repeat_ms && (int32_t)(ticks - a->last_sound_ms) >= (int32_t)repeat_ms)) {
		sound_play(s, escalated ? SOUND_ESCALATED : SOUND_ALERT);
		a->last_sound_ms = ticks;
		return true;
	}
	return false;
}

bool alertsound_repeat_at(const struct alertsound *a, const struct config *cfg,
			  uint32_t *at)
{
	if (!a->n_firing || !cfg->sound_repeat_s)
		return false;
	*at = a->last_sound_ms + (uint32_t)cfg->sound_repeat_s * 1000u;
	return true;
}
