/* badinput.c - see badinput.h. */
#include "badinput.h"

bool badinput_recent(struct badinput *b, uint64_t count, int64_t now_ms, int64_t recent_ms)
{
	if (count > b->seen) {
		b->rose = true;
		b->rose_ms = now_ms;
	}
	b->seen = count;
	return b->rose && now_ms - b->rose_ms < recent_ms;
}

int64_t badinput_turn_ms(const struct badinput *b, int64_t recent_ms)
{
	return b->rose ? b->rose_ms + recent_ms : INT64_MAX;
}
