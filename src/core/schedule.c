/* schedule.c - see schedule.h. */
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static int day_index(const char *s, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (len == 3 && strncasecmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "mon-fri,sun" -> bit set; false on anything else. */
static bool parse_days(const char *s, size_t len, uint8_t *out)
{
	uint8_t days = 0;
	size_t i = 0;
	while (i < len) {
		int a = day_index(s + i, len - i >= 3 ? 3 : len - i), b = a;
		if (a < 0)
			return false;
		i += 3;
		if (i < len && s[i] == '-') {
			b = day_index(s + i + 1, len - i - 1 >= 3 ? 3 : len - i - 1);
			if (b < 0)
				return false;
			i += 4;
		}
		for (int d = a;; d = (d + 1) % 7) { /* fri-mon wraps the week */
			days |= (uint8_t)(1u << d);
			if (d == b)
				break;
		}
		if (i < len && s[i++] != ',')
			return false;
	}
	*out = days;
	return days != 0;
}

static bool parse_clock(const char *s, int *min)
{
	int h, m;
	char tail;
	if (sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59 ||
	    strlen(s) != 5)
		return false;
	*min = h * 60 + m;
	return true;
}

bool schedule_parse(const char *text, struct schedule *out, char *why, size_t size)
{
	struct schedule s = { .on = true, .days = 0x7f };
	if (strcasecmp(text, "off") == 0 || text[0] == '\0') {
		*out = (struct schedule){ 0 };
		return true;
	}
	const char *times = text, *space = strchr(text, ' ');
	if (space) {
		if (!parse_days(text, (size_t)(space - text), &s.days))
			return util_refuse(why, size, "days like mon-fri or sat,sun, got \"%.40s\"", text);
		times = space + 1;
	}
	char from[8] = "", to[8] = "";
	const char *dash = strchr(times, '-');
	if (!dash || dash - times > 5 || strlen(dash + 1) > 5)
		return util_refuse(why, size, "expected off or [DAYS ]HH:MM-HH:MM, got \"%.40s\"", text);
	memcpy(from, times, (size_t)(dash - times));
	strcpy(to, dash + 1);
	if (!parse_clock(from, &s.from_min) || !parse_clock(to, &s.to_min))
		return util_refuse(why, size, "expected off or [DAYS ]HH:MM-HH:MM, got \"%.40s\"", text);
	if (s.from_min == s.to_min)
		return util_refuse(why, size, "start and end are the same: \"%.40s\"", text);
	*out = s;
	return true;
}

bool schedule_is_day(const struct schedule *s, int64_t now)
{
	if (!s->on)
		return true;
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	int min = tm.tm_hour * 60 + tm.tm_min;
	int today = tm.tm_wday, yesterday = (tm.tm_wday + 6) % 7;
	if (s->from_min < s->to_min)
		return (s->days & (1u << today)) && min >= s->from_min && min < s->to_min;
	/* Wraps midnight: the evening part is today's, the morning part
	 * yesterday's. */
	return ((s->days & (1u << today)) && min >= s->from_min) ||
	       ((s->days & (1u << yesterday)) && min < s->to_min);
}

int64_t schedule_next_change(const struct schedule *s, int64_t now)
{
	if (!s->on)
		return 0;
	/* Changes fall on whole minutes: step minute by minute over at most
	 * a day (1440 localtime calls, once per change; cheap enough, and
	 * right across DST shifts). */
	bool day = schedule_is_day(s, now);
	int64_t t = now - now % 60 + 60;
	for (int i = 0; i < 24 * 60; i++, t += 60)
		if (schedule_is_day(s, t) != day)
			return t;
	return t;
}

bool schedule_is_night(const struct schedule *s, int64_t now, bool urgent,
		       int64_t woken_until)
{
	return !schedule_is_day(s, now) && !urgent && now >= woken_until;
}

void schedule_orbit(int64_t now, int period_s, int max_px, int *dx, int *dy)
{
	if (period_s <= 0 || max_px <= 0) {
		*dx = *dy = 0;
		return;
	}
	int64_t step = (now / period_s) % ORBIT_STEPS;
	double a = 2.0 * M_PI * (double)step / ORBIT_STEPS;
	*dx = (int)lround(max_px * cos(a));
	*dy = (int)lround(max_px * sin(a));
}
