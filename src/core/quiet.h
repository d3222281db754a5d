/* quiet.h - quiet hours: when alarms are silent (never hidden).
 *
 * A range of minutes of the local day, [from, to): from 22:00 to 07:00
 * runs across midnight, quiet at 23:30 and at 06:59, not at 07:00. */
#ifndef WALLBOARD_QUIET_H
#define WALLBOARD_QUIET_H

#include <stdbool.h>

/* from_min < 0: no quiet hours. minute: 0..1439 of the local day. */
bool quiet_hours_contain(int from_min, int to_min, int minute);

#endif
