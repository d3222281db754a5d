/* schedule.h - when the wall is "day" (full brightness) and when "night".
 *
 * display.schedule = off | [DAYS ]HH:MM-HH:MM
 *   "07:00-22:00"            every day from 07:00 to 22:00 local time
 *   "mon-fri 07:00-19:00"    only on those days; weekends are night
 *   "sun,mon-thu 08:00-18:00"
 *   "22:00-06:00"            may wrap midnight (a night shift's day); the
 *                            part after midnight belongs to the day it
 *                            started on
 * Outside it the board dims (or blanks, display.night) unless a crisis or
 * a breach fires, or a touch woke it for a minute (app.c decides that).
 * Pure: the clock is passed in; no SDL. */
#ifndef WALLBOARD_SCHEDULE_H
#define WALLBOARD_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct schedule {
	bool on;                /* false: always day */
	uint8_t days;           /* bit 0 Sunday .. bit 6 Saturday */
	int from_min, to_min;   /* minutes after local midnight */
};

/* Parses text; false with a reason (for FILE:LINE: messages). */
bool schedule_parse(const char *text, struct schedule *out, char *why, size_t size);

/* Whether now (epoch seconds) is inside the schedule, in local time. */
bool schedule_is_day(const struct schedule *s, int64_t now);

/* The next epoch second (> now) at which schedule_is_day() may change,
 * at most a day ahead; 0 when the schedule is off. */
int64_t schedule_next_change(const struct schedule *s, int64_t now);

/* Night: outside the schedule, unless something urgent fires (a crisis
 * or a breach alarm) or a touch woke the board until woken_until. */
bool schedule_is_night(const struct schedule *s, int64_t now, bool urgent,
		       int64_t woken_until);

/* Burn-in: the offset of the static chrome now, on a slow orbit of
 * ORBIT_STEPS positions on a circle of radius max_px, one step every
 * period_s seconds. |dx|, |dy| <= max_px. */
#define ORBIT_STEPS 16
void schedule_orbit(int64_t now, int period_s, int max_px, int *dx, int *dy);

#endif
