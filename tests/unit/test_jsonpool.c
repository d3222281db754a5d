/* test_jsonpool.c - cJSON's allocations while decoding (src/core/
 * jsonpool.h): from the pool inside jsonpool_begin/end, from malloc past
 * its end, outside it and in other threads; the pool taken back whole at
 * jsonpool_end; decode_message's results the same with the pool. Under
 * AddressSanitizer the same tests, and a pooled string read past its end
 * or after jsonpool_end is reported (in a child process). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "decode.h"
#include "jsonpool.h"

static const char small[] =
	"{\"id\":\"c-1\",\"channel\":\"x\",\"customer\":\"משה כהן\",\"text\":\"hi\","
	"\"opened_at\":\"2026-11-30T07:00:00Z\",\"priority\":\"high\",\"tags\":[1,2,3]}";

static uint64_t pooled(void)
{
	struct jsonpool_stats st;
	jsonpool_get_stats(&st);
	return st.pooled;
}

static uint64_t spilled(void)
{
	struct jsonpool_stats st;
	jsonpool_get_stats(&st);
	return st.spilled;
}

/* A parse inside the pool: every block from it; the same addresses at the
 * next message (taken back whole, so the pool never grows). */
static void test_pooled(void)
{
	uint64_t p0 = pooled(), s0 = spilled();
	CHECK(jsonpool_begin());
	cJSON *a = cJSON_Parse(small);
	CHECK(a != NULL);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(a, "customer")), "משה כהן");
	CHECK_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(a, "tags")), 3);
	cJSON_Delete(a);
	jsonpool_end();
	/* 11 values, 7 keys, 5 strings at least */
	checkf(pooled() - p0 >= 20, "pooled %llu", (unsigned long long)(pooled() - p0));
	CHECK_EQ(spilled(), s0);

	CHECK(jsonpool_begin());
	cJSON *b = cJSON_Parse(small);
	CHECK(b == a);		/* the first block again */
	cJSON_Delete(b);
	jsonpool_end();
}

/* Past the pool's end, malloc: a tree larger than the pool parses whole. */
static void test_spill(void)
{
	size_t n = JSONPOOL_BYTES / 16;
	char *big = malloc(n * 8 + 16);
	size_t len = 0;
	big[len++] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(big + len, "%s\"%03zu\"", i ? "," : "", i % 1000);
	big[len++] = ']';
	big[len] = '\0';
	uint64_t s0 = spilled();
	CHECK(jsonpool_begin());
	cJSON *a = cJSON_Parse(big);
	CHECK_EQ(cJSON_GetArraySize(a), n);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(a, (int)n - 1)), "511");
	cJSON_Delete(a);
	jsonpool_end();
	checkf(spilled() - s0 >= n, "spilled %llu of %zu values", (unsigned long long)(spilled() - s0),
	       n);
	free(big);
}

/* Outside a pool, and in a thread without one: malloc. A tree parsed
 * outside and deleted inside a pool is freed, not taken for the pool's. */
static void *parse_in_thread(void *arg)
{
	cJSON *a = cJSON_Parse(small);
	*(uint64_t *)arg = pooled();
	cJSON_Delete(a);
	return a;
}

static void test_outside(void)
{
	uint64_t p0 = pooled();
	cJSON *a = cJSON_Parse(small);
	CHECK(a != NULL);
	CHECK_EQ(pooled(), p0);
	CHECK(jsonpool_begin());
	uint64_t other = 99, mine = pooled();
	pthread_t th;
	void *tree = NULL;
	CHECK(pthread_create(&th, NULL, parse_in_thread, &other) == 0);
	pthread_join(th, &tree);
	CHECK(tree != NULL);
	CHECK_EQ(other, 0);	/* the other thread has no pool open */
	/* The counts are per thread, so the one above holds even if the
	 * other thread's cJSON took blocks from this thread's open pool:
	 * then this pool would have counted them. */
	CHECK_EQ(pooled(), mine);
	cJSON_Delete(a);	/* malloc's blocks go back to malloc */
	jsonpool_end();
}

/* decode_message pools its tree, and decodes as before. */
static void test_decode(void)
{
	static struct msg m;
	char err[160];
	uint64_t p0 = pooled();
	checkf(decode_message("wb", "wb/complaints/c-1", small, strlen(small), &m, err, sizeof err),
	       "decode: %s", err);
	checkf(pooled() > p0, "decode pooled %llu", (unsigned long long)(pooled() - p0));
	static const char ok[] = "{\"id\":\"c-2\",\"channel\":\"twitter\",\"customer\":\"سارا\","
				 "\"text\":\"Order 5 late\",\"opened_at\":1700000000}";
	CHECK(decode_message("wb", "wb/complaints/c-2", ok, strlen(ok), &m, err, sizeof err));
	CHECK_STR(m.u.complaint.customer, "سارا");
	CHECK_STR(m.u.complaint.text, "Order 5 late");
	/* a rejected payload leaves the pool closed: the next parse is malloc's */
	CHECK(!decode_message("wb", "wb/complaints/c-3", "{\"id\":", 6, &m, err, sizeof err));
	uint64_t p1 = pooled();
	cJSON_Delete(cJSON_Parse(small));
	CHECK_EQ(pooled(), p1);
}

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif

#ifdef ASAN
/* A pooled string of a parsed tree: read `past` bytes after its end, or
 * (past < 0) after jsonpool_end. Run in a child; its exit status. */
static int misuse_in_child(int past)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2); /* AddressSanitizer's report */
		jsonpool_begin();
		cJSON *a = cJSON_Parse(small);
		const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(a, "text"));
		volatile char c = 0;
		if (past >= 0) {
			c = s[strlen(s) + (size_t)past];
		} else {
			cJSON_Delete(a);
			jsonpool_end();
			c = s[0];
		}
		(void)c;
		_exit(0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* What the sanitizer suite relies on: the pool is used, and misuse of
 * its blocks is reported like misuse of malloc's. */
static void test_sanitized(void)
{
	checkf(misuse_in_child(0) == 0, "a string's own NUL is readable");
	/* cJSON allocates a string a byte or two more than it needs: 4
	 * past its NUL is past the block, in the gap before the next */
	checkf(misuse_in_child(4) != 0, "a read past a pooled string is reported");
	checkf(misuse_in_child(-1) != 0, "a read after jsonpool_end is reported");
}
#endif

int main(void)
{
	test_pooled();
	test_spill();
	test_outside();
	test_decode();
#ifdef ASAN
	test_sanitized();
#endif
	return check_summary();
}
