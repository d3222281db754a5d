/* quiet.c - see quiet.h. */
#include "quiet.h"

bool quiet_hours_contain(int from_min, int to_min, int minute)
{
	if (from_min < 0)
		return false;
	if (from_min <= to_min)
		return minute >= from_min && minute < to_min;
	return minute >= from_min || minute < to_min;   /* across midnight */
}
