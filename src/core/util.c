/* util.c - see util.h. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t util_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t util_fnv1a_str(const char *s)
{
	return util_fnv1a(UTIL_FNV1A_SEED, s, strlen(s));
}

uint32_t util_fnv1a32_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

uint64_t util_xorshift64(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x2545f4914f6cdd1dULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

int64_t util_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void util_timespec_add_ms(struct timespec *t, int64_t ms)
{
	int64_t ns = (int64_t)t->tv_nsec + ms % 1000 * 1000000;
	t->tv_sec += (time_t)(ms / 1000);
	if (ns >= 1000000000) {
		t->tv_sec++;
		ns -= 1000000000;
	} else if (ns < 0) {
		t->tv_sec--;
		ns += 1000000000;
	}
	t->tv_nsec = (long)ns;
}

struct timespec util_deadline_ms(int64_t ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	util_timespec_add_ms(&t, ms);
	return t;
}

bool util_array_room(void *items_ptr, size_t n, size_t *cap, size_t elem_size,
		     size_t first, size_t max)
{
	if (n < *cap)
		return true;
	if (*cap >= max)
		return false;
	size_t want = *cap ? 2 * *cap : first;
	if (want > SIZE_MAX / elem_size)
		return false;
	/* The array's pointer is read and written through memcpy: items_ptr
	 * points at a "struct x *", not at a "void *". */
	void *items;
	memcpy(&items, items_ptr, sizeof items);
	void *grown = realloc(items, want * elem_size);
	if (!grown)
		return false;
	memcpy(items_ptr, &grown, sizeof grown);
	*cap = want;
	return true;
}

bool util_refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return false;
}
