/* jsonpool.c - see jsonpool.h. */
#include "jsonpool.h"

#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif

/* Under AddressSanitizer the pool is poisoned but for the blocks handed
 * out, each followed by a gap: an overrun between cJSON's blocks, or a
 * tree used after jsonpool_end(), is reported as with malloc's blocks
 * (the fuzzers and the sanitizer suite run the pool the board runs). */
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define GAP 16
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define GAP 0
#endif

#define ALIGN 16	/* malloc's alignment on 64-bit: cJSON stores doubles */

struct pool {
	unsigned char *buf;	/* JSONPOOL_BYTES */
	size_t used;
	bool open;
	struct jsonpool_stats stats;
};

/* Thread-local: the hooks are shared by every thread, the pools are not. */
static _Thread_local struct pool pool;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
/* Frees a thread's pool when the thread ends (its value: the block). */
static pthread_key_t pool_key;
static bool have_key;

static bool pooled(const void *p)
{
	const unsigned char *c = p;
	return pool.buf && c >= pool.buf && c < pool.buf + JSONPOOL_BYTES;
}

void *jsonpool_alloc(size_t n)
{
	if (!pool.open)
		return malloc(n);
	size_t need = (n + GAP + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0 || need < n || need > JSONPOOL_BYTES - pool.used) {
		pool.stats.spilled++;
		return malloc(n);
	}
	void *p = pool.buf + pool.used;
	ASAN_UNPOISON_MEMORY_REGION(p, n);
	pool.used += need;
	pool.stats.pooled++;
	return p;
}

void jsonpool_free(void *p)
{
	if (!pooled(p))
		free(p);
}

static void install_hooks(void)
{
	cJSON_Hooks hooks = { jsonpool_alloc, jsonpool_free };
	cJSON_InitHooks(&hooks);
	have_key = pthread_key_create(&pool_key, free) == 0;
}

bool jsonpool_begin(void)
{
	pthread_once(&hooks_once, install_hooks);
	if (!pool.buf) {
		/* aligned as malloc aligns; only the pages used become resident */
		pool.buf = have_key ? malloc(JSONPOOL_BYTES) : NULL;
		if (!pool.buf) {
			log_error("jsonpool", "no pool: cJSON allocates one by one");
			return false;
		}
		if (pthread_setspecific(pool_key, pool.buf) != 0) {
			free(pool.buf);
			pool.buf = NULL;
			return false;
		}
	}
	ASAN_POISON_MEMORY_REGION(pool.buf, JSONPOOL_BYTES);
	pool.used = 0;
	pool.open = true;
	return true;
}

void jsonpool_end(void)
{
	if (pool.buf)
		ASAN_POISON_MEMORY_REGION(pool.buf, JSONPOOL_BYTES);
	pool.open = false;
	pool.used = 0;
}

void jsonpool_get_stats(struct jsonpool_stats *out)
{
	*out = pool.stats;
}
