/* util.h - small helpers that several modules and both programs share.
 *
 * Each of these was written again in three or four places; one copy
 * keeps them alike (the same hash, the same random sequence for a seed,
 * the same deadline arithmetic, the same growth policy). No SDL, no
 * mosquitto: this is core. */
#ifndef WALLBOARD_UTIL_H
#define WALLBOARD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- refusals ---- */

/* Writes the reason into why (size bytes, always terminated) and returns
 * false: "return util_refuse(why, size, "...", ...);" in validators that
 * report why they said no. */
__attribute__((format(printf, 3, 4)))
bool util_refuse(char *why, size_t size, const char *fmt, ...);

/* ---- hashing: 64-bit FNV-1a ---- */

#define UTIL_FNV1A_SEED 0xcbf29ce484222325ULL

/* Continues hash h over n bytes; start with UTIL_FNV1A_SEED. Chaining
 * calls hashes the concatenation, so a key of several parts needs no
 * buffer. */
uint64_t util_fnv1a(uint64_t h, const void *data, size_t n);

/* The hash of a NUL-terminated string (without the NUL). */
uint64_t util_fnv1a_str(const char *s);

/* 32-bit FNV-1a of a string: only where a hash is part of an id that
 * every board must compute alike (alarms' long breach ids), so it may
 * never change. */
uint32_t util_fnv1a32_str(const char *s);

/* ---- pseudo-random numbers: xorshift64* ---- */

/* The next number of the sequence kept in *state (never 0: a zero state
 * stays zero, so it is replaced by a fixed non-zero one). The same seed
 * gives the same sequence everywhere; not for secrets. */
uint64_t util_xorshift64(uint64_t *state);

/* ---- monotonic time ---- */

/* Milliseconds on CLOCK_MONOTONIC: for intervals, never for dates. */
int64_t util_mono_ms(void);

/* t += ms, normalised (tv_nsec stays in [0, 1e9)); ms may be negative. */
void util_timespec_add_ms(struct timespec *t, int64_t ms);

/* The CLOCK_MONOTONIC instant ms from now, for pthread_cond_timedwait on
 * a condition created with pthread_condattr_setclock(CLOCK_MONOTONIC) or
 * clock_nanosleep(TIMER_ABSTIME). */
struct timespec util_deadline_ms(int64_t ms);

/* ---- growable arrays ---- */

/* Makes room for one more element in the array *items_ptr (a pointer to
 * the array's pointer) holding n of *cap elements of elem_size bytes:
 * when it is full, the capacity doubles (the first one is first) unless
 * it has already reached max. true when there is room; false (the array
 * unchanged and still valid) when it may not or cannot grow. Doubling
 * keeps a long run of appends linear. Use UTIL_ARRAY_ROOM. */
bool util_array_room(void *items_ptr, size_t n, size_t *cap, size_t elem_size,
		     size_t first, size_t max);

#define UTIL_ARRAY_ROOM(items, n, cap, first, max) \
	util_array_room(&(items), (n), &(cap), sizeof *(items), (first), (max))

#endif
