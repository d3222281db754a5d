/* test_util.c - the shared helpers: hash, random sequence, deadlines,
 * growable arrays. Known answers come from the published definitions
 * (FNV-1a test vectors; xorshift64* with Vigna's multiplier). */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#include "check.h"

static void test_fnv1a(void)
{
	static const struct {
		const char *in;
		uint64_t h64;
		uint32_t h32;
	} rows[] = {
		{ "", 0xcbf29ce484222325ULL, 0x811c9dc5u },
		{ "a", 0xaf63dc4c8601ec8cULL, 0xe40c292cu },
		{ "foobar", 0x85944171f73967e8ULL, 0xbf9cf968u },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint64_t h = util_fnv1a_str(rows[i].in);
		checkf(h == rows[i].h64, "fnv1a64(\"%s\") = %016" PRIx64 ", want %016" PRIx64,
		       rows[i].in, h, rows[i].h64);
		uint32_t h32 = util_fnv1a32_str(rows[i].in);
		checkf(h32 == rows[i].h32, "fnv1a32(\"%s\") = %08" PRIx32 ", want %08" PRIx32,
		       rows[i].in, h32, rows[i].h32);
	}
	/* Chained calls hash the concatenation: keys of parts need no buffer. */
	uint64_t h = util_fnv1a(UTIL_FNV1A_SEED, "foo", 3);
	CHECK(util_fnv1a(h, "bar", 3) == util_fnv1a_str("foobar"));
	CHECK(util_fnv1a(UTIL_FNV1A_SEED, NULL, 0) == UTIL_FNV1A_SEED);
}

static void test_xorshift(void)
{
	/* x=1: x^=x>>12 -> 1; x^=x<<25 -> 0x2000001; x^=x>>27 -> same;
	 * output = x * 0x2545f4914f6cdd1d. */
	uint64_t s = 1;
	uint64_t first = util_xorshift64(&s);
	CHECK(s == 0x2000001ULL);
	CHECK(first == 0x2000001ULL * 0x2545f4914f6cdd1dULL);

	/* The same seed, the same sequence; a different seed, another. */
	uint64_t a = 42, b = 42, c = 43;
	bool same = true, differs = false;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = util_xorshift64(&a);
		same &= x == util_xorshift64(&b);
		differs |= x != util_xorshift64(&c);
	}
	CHECK(same);
	CHECK(differs);

	/* A zero state would stay zero for ever: it is replaced. */
	uint64_t z = 0;
	util_xorshift64(&z);
	CHECK(z != 0);
	uint64_t z2 = 0;
	CHECK(util_xorshift64(&z2) != util_xorshift64(&z2));
}

static void test_timespec(void)
{
	static const struct {
		time_t sec;
		long nsec;
		int64_t add_ms;
		time_t want_sec;
		long want_nsec;
	} rows[] = {
		{ 10, 0, 0, 10, 0 },
		{ 10, 0, 1, 10, 1000000 },
		{ 10, 0, 1500, 11, 500000000 },
		{ 10, 999000000, 1, 11, 0 },
		{ 10, 999999999, 2, 11, 1999999 },
		{ 10, 500000000, 86400000, 86410, 500000000 },
		{ 10, 0, -1, 9, 999000000 },
		{ 10, 500000000, -1500, 9, 0 },
		{ 10, 1000000, -2, 9, 999000000 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct timespec t = { .tv_sec = rows[i].sec, .tv_nsec = rows[i].nsec };
		util_timespec_add_ms(&t, rows[i].add_ms);
		checkf(t.tv_sec == rows[i].want_sec && t.tv_nsec == rows[i].want_nsec,
		       "%lld.%09ld + %" PRId64 " ms = %lld.%09ld, want %lld.%09ld",
		       (long long)rows[i].sec, rows[i].nsec, rows[i].add_ms,
		       (long long)t.tv_sec, t.tv_nsec, (long long)rows[i].want_sec,
		       rows[i].want_nsec);
	}
}

static void test_deadline(void)
{
	/* The deadline lies on the monotonic clock, ms after now (the clock
	 * only moves forward, so the bounds hold however slow the machine). */
	int64_t before = util_mono_ms();
	struct timespec d = util_deadline_ms(2500);
	int64_t after = util_mono_ms();
	int64_t d_ms = (int64_t)d.tv_sec * 1000 + d.tv_nsec / 1000000;
	checkf(d_ms >= before + 2500 && d_ms <= after + 2500,
	       "deadline %" PRId64 " not in [%" PRId64 ", %" PRId64 "]", d_ms, before + 2500,
	       after + 2500);
	CHECK(d.tv_nsec >= 0 && d.tv_nsec < 1000000000);
	CHECK(util_mono_ms() >= after);
}

struct item {
	int v;
	char pad[12];
};

static void test_array(void)
{
	static const struct {
		size_t first, max, appends;
		size_t want_n, want_cap;
	} rows[] = {
		{ 16, SIZE_MAX, 0, 0, 0 },     /* nothing appended, nothing allocated */
		{ 16, SIZE_MAX, 1, 1, 16 },
		{ 16, SIZE_MAX, 16, 16, 16 },
		{ 16, SIZE_MAX, 17, 17, 32 },
		{ 4, SIZE_MAX, 1000, 1000, 1024 },
		{ 16, 64, 100, 64, 64 },       /* full at max: refused, not grown */
		{ 16, 40, 100, 64, 64 },       /* below max doubles once past it */
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct item *items = NULL;
		size_t n = 0, cap = 0;
		bool contents_ok = true;
		for (size_t i = 0; i < rows[r].appends; i++) {
			if (!UTIL_ARRAY_ROOM(items, n, cap, rows[r].first, rows[r].max))
				continue;
			items[n].v = (int)n;
			n++;
		}
		for (size_t i = 0; i < n; i++)
			contents_ok &= items[i].v == (int)i;
		checkf(n == rows[r].want_n && cap == rows[r].want_cap && contents_ok,
		       "row %zu: n=%zu cap=%zu contents %s, want n=%zu cap=%zu", r, n, cap,
		       contents_ok ? "kept" : "LOST", rows[r].want_n, rows[r].want_cap);
		free(items);
	}

	/* A size whose bytes overflow size_t is refused, the array untouched. */
	struct item *items = NULL;
	size_t cap = SIZE_MAX / sizeof *items / 2 + 1;
	CHECK(!UTIL_ARRAY_ROOM(items, cap, cap, 16, SIZE_MAX));
	CHECK(items == NULL && cap == SIZE_MAX / sizeof *items / 2 + 1);
}

int main(void)
{
	test_fnv1a();
	test_xorshift();
	test_timespec();
	test_deadline();
	test_array();
	return check_summary();
}
