/* check.h - counting checks in the unit tests.
 *
 * CHECK(cond) counts a pass or prints FILE:LINE and the condition;
 * checkf(ok, fmt, ...) does the same with a message of the test's own, and
 * check_that(ok, what, detail) with a label and what was found instead.
 * check_fields() compares "name=value;name=value" expectations of a
 * table row against an object, field by field. A
 * test program ends with `return check_summary();`, which prints the
 * closing line ctest and CI read ("N passed, M failed") and gives the exit
 * status.
 *
 * CHECK_EQ(got, want) compares integers and CHECK_STR(got, want) strings;
 * a failure prints both values. check_ctx names the case or table row
 * running, and every failure line carries it. */
#ifndef WALLBOARD_TEST_CHECK_H
#define WALLBOARD_TEST_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;
static const char *check_ctx = "";  /* which case or table row is running */

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)

static inline void check(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "%s:%d: [%s] FAILED: %s\n", file, line, check_ctx, what);
}

#define CHECK_EQ(got, want) \
	check_eq((int64_t)(got), (int64_t)(want), #got, #want, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

static inline void check_eq(int64_t got, int64_t want, const char *what, const char *wexpr,
			    const char *file, int line)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "%s:%d: [%s] FAILED: %s = %" PRId64 ", want %" PRId64 " (%s)\n", file,
		line, check_ctx, what, got, want, wexpr);
}

static inline void check_str(const char *got, const char *want, const char *what,
			     const char *file, int line)
{
	if (got && want && strcmp(got, want) == 0) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "%s:%d: [%s] FAILED: %s = \"%s\", want \"%s\"\n", file, line,
		check_ctx, what, got ? got : "(null)", want ? want : "(null)");
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
	fprintf(stderr, "FAIL: [%s] ", check_ctx);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static inline void check_that(bool ok, const char *what, const char *detail)
{
	checkf(ok, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

/* get(obj, name, buf, size) writes field name of obj as text; false when
 * there is no such field. Each "name=value" in expect is one check,
 * labelled "what: name=value". */
typedef bool check_getter(const void *obj, const char *name, char *buf, size_t size);

static inline void check_fields(const char *what, const void *obj, check_getter *get,
				const char *expect)
{
	char spec[2048], label[2200], got[1100];
	snprintf(spec, sizeof spec, "%s", expect);
	for (char *save = NULL, *kv = strtok_r(spec, ";", &save); kv;
	     kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		snprintf(label, sizeof label, "%s: %s", what, kv);
		if (eq == NULL) {
			check_that(false, label, "bad expectation");
			continue;
		}
		*eq = '\0';
		if (!get(obj, kv, got, sizeof got)) {
			check_that(false, label, "unknown field name");
			continue;
		}
		check_that(strcmp(got, eq + 1) == 0, label, got);
	}
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif
