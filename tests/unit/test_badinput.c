/* test_badinput.c - the header's rejected count is amber only while its
 * last rise is recent. */
#include "check.h"
#include "badinput.h"

#define MIN 60000
#define RECENT (10 * MIN)
#define T0 5000000 /* monotonic ms at the row's last look */

static const struct {
	const char *name;
	struct badinput before; /* as the last look left it */
	uint64_t count;         /* now */
	int64_t now_ms;
	bool recent;
	int64_t turn_ms;        /* badinput_turn_ms after this look */
} rows[] = {
	/* nothing was ever rejected: calm, nothing to wake for */
	{ "none yet", { 0 }, 0, T0, false, INT64_MAX },
	{ "none in months", { 0 }, 0, T0 + 90LL * 24 * 60 * MIN, false, INT64_MAX },
	/* a rise is news at once, and for RECENT from that look */
	{ "first rejection", { 0 }, 1, T0, true, T0 + RECENT },
	{ "a burst of 40", { 0 }, 40, T0, true, T0 + RECENT },
	{ "unchanged, 1 min on", { 1, true, T0 }, 1, T0 + MIN, true, T0 + RECENT },
	{ "unchanged, 1 ms short", { 1, true, T0 }, 1, T0 + RECENT - 1, true, T0 + RECENT },
	{ "unchanged, at the turn", { 1, true, T0 }, 1, T0 + RECENT, false, T0 + RECENT },
	{ "unchanged, a week on", { 1, true, T0 }, 1, T0 + 7LL * 24 * 60 * MIN, false, T0 + RECENT },
	/* a new one after the old went muted: amber again, from now */
	{ "again after a week", { 1, true, T0 }, 2, T0 + 7LL * 24 * 60 * MIN, true,
	  T0 + 7LL * 24 * 60 * MIN + RECENT },
	/* a rise while still recent moves the turn */
	{ "again 9 min on", { 5, true, T0 }, 6, T0 + 9 * MIN, true, T0 + 19 * MIN },
	/* the count never falls in a run; should it, it is no rejection */
	{ "count fell", { 5, true, T0 }, 3, T0 + 11 * MIN, false, T0 + RECENT },
	{ "count fell, never rose", { 5, false, 0 }, 3, T0, false, INT64_MAX },
};

int main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_ctx = rows[i].name;
		struct badinput b = rows[i].before;
		CHECK_EQ(badinput_recent(&b, rows[i].count, rows[i].now_ms, RECENT), rows[i].recent);
		CHECK_EQ(badinput_turn_ms(&b, RECENT), rows[i].turn_ms);
		CHECK_EQ(b.seen, rows[i].count);
	}
	/* a look at the turn's ms, as the loop's deadline wakes it, sees it old */
	struct badinput b = { 0 };
	badinput_recent(&b, 3, T0, RECENT);
	check_ctx = "woken at the turn";
	CHECK_EQ(badinput_recent(&b, 3, badinput_turn_ms(&b, RECENT), RECENT), false);
	return check_summary();
}
