/* test_quiet.c - quiet hours, including ranges across midnight. */
#include "check.h"
#include "quiet.h"

#define HM(h, m) ((h) * 60 + (m))

static const struct {
	int from, to, at;
	bool quiet;
} rows[] = {
	/* README: quiet_hours = 22:00-07:00 */
	{ HM(22, 0), HM(7, 0), HM(23, 30), true },
	{ HM(22, 0), HM(7, 0), HM(6, 59), true },
	{ HM(22, 0), HM(7, 0), HM(0, 0), true },
	{ HM(22, 0), HM(7, 0), HM(22, 0), true },
	{ HM(22, 0), HM(7, 0), HM(7, 0), false },
	{ HM(22, 0), HM(7, 0), HM(21, 59), false },
	{ HM(22, 0), HM(7, 0), HM(12, 0), false },
	/* within one day */
	{ HM(12, 0), HM(13, 0), HM(12, 0), true },
	{ HM(12, 0), HM(13, 0), HM(12, 59), true },
	{ HM(12, 0), HM(13, 0), HM(13, 0), false },
	{ HM(12, 0), HM(13, 0), HM(11, 59), false },
	{ HM(12, 0), HM(13, 0), HM(23, 30), false },
	/* the whole day but the last minute */
	{ HM(0, 0), HM(23, 59), HM(23, 58), true },
	{ HM(0, 0), HM(23, 59), HM(23, 59), false },
	/* off */
	{ -1, -1, HM(23, 30), false },
	{ -1, -1, HM(3, 0), false },
	/* an empty range is never quiet */
	{ HM(8, 0), HM(8, 0), HM(8, 0), false },
};

int main(void)
{
	char name[64];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "%02d:%02d-%02d:%02d at %02d:%02d",
			 rows[i].from / 60, rows[i].from % 60, rows[i].to / 60, rows[i].to % 60,
			 rows[i].at / 60, rows[i].at % 60);
		check_ctx = name;
		CHECK_EQ(quiet_hours_contain(rows[i].from, rows[i].to, rows[i].at), rows[i].quiet);
	}
	return check_summary();
}
