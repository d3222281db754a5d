/* check.h - counting checks in the unit tests.
 *
 * CHECK(cond) counts a pass or prints FILE:LINE and the condition;
 * checkf(ok, fmt, ...) does the same with a message of the test's own. A
 * test program ends with `return check_summary();`, which prints the
 * closing line ctest and CI read ("N passed, M failed") and gives the exit
 * status. */
#ifndef WALLBOARD_TEST_CHECK_H
#define WALLBOARD_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int passed, failed;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)

static inline void check(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
}

static inline void checkf(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void checkf(bool ok, const char *fmt, ...)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif
