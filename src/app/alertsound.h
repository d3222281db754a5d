/* alertsound.h - when the alarm sound plays: a new firing alarm at once,
 * then again every sound_repeat_s while any fires unacknowledged; never
 * in quiet hours. */
#ifndef WALLBOARD_ALERTSOUND_H
#define WALLBOARD_ALERTSOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alarms.h"
#include "config.h"
#include "sound.h"

/* Firing alarms remembered to tell a new one (which sounds at once) from
 * one already sounding (which repeats every sound_repeat_s). */
#define ALERTSOUND_FIRING_MAX 512

struct alertsound {
	uint64_t firing[ALERTSOUND_FIRING_MAX]; /* hashes of the ids firing last update */
	size_t n_firing;
	uint32_t last_sound_ms;                 /* SDL ticks of the last sound started */
};

/* After the alarms were updated; true when a sound was started. */
bool alertsound_update(struct alertsound *a, const struct alarms *al, struct sound *s,
		       const struct config *cfg, int64_t now, uint32_t ticks);

/* True, with the ticks at which the sound repeats in *at, while alarms
 * fire and the sound repeats. */
bool alertsound_repeat_at(const struct alertsound *a, const struct config *cfg,
			  uint32_t *at);

#endif
