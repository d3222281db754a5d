/* badinput.h - whether the header's "Rejected messages N" is news.
 *
 * The count is of bad input since the board started (the dump and the
 * telemetry report it so). Amber for as long as any was ever rejected
 * kept a wall that runs for months warning forever over one message
 * from last week, and a new burst looked the same as that old one. So
 * the count is amber only while its last rise is less than
 * board.rejected_recent old (10 minutes unless set: its row in keys[],
 * config.c), and muted after that: a glance tells "now" from "once",
 * and the log line says what it was. A rise makes it amber again at the next look.
 *
 * The loop looks every pass (app.c) with the monotonic clock: a step of
 * the wall clock must not hold the amber for an hour or drop it early.
 * No SDL here: the rule is a table in tests/unit/test_badinput.c. */
#ifndef WALLBOARD_BADINPUT_H
#define WALLBOARD_BADINPUT_H

#include <stdbool.h>
#include <stdint.h>

struct badinput {
	uint64_t seen;   /* the count at the last look */
	bool rose;       /* it ever rose: rose_ms holds when */
	int64_t rose_ms; /* monotonic ms of the last look that saw it rise */
};

/* Takes the count at now_ms; whether its last rise is less than
 * recent_ms old. */
bool badinput_recent(struct badinput *b, uint64_t count, int64_t now_ms, int64_t recent_ms);

/* Monotonic ms at which a recent count turns old (the loop wakes then to
 * draw it muted); INT64_MAX when it never rose. */
int64_t badinput_turn_ms(const struct badinput *b, int64_t recent_ms);

#endif
