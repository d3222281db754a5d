/* test_msgslab.c - message copies packed into slabs (msgslab.h): copies
 * do not overlap and are aligned, a slab is reused once its copies are
 * released, at most MSGSLAB_SPARES are kept, large copies are refused,
 * and copies released on another thread, or after msgslab_destroy(),
 * free everything (the ASan suite reads the leaks and the overlaps). */
#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msgslab.h"

#define MAXC 4096

struct copy {
	void *p, *slab;
	size_t n;
};

/* Fills n copies of size bytes each with a byte of its own. */
static size_t fill(struct msgslab *a, struct copy *c, size_t n, size_t bytes)
{
	size_t k = 0;
	for (; k < n; k++) {
		c[k].n = bytes;
		c[k].p = msgslab_alloc(a, bytes, &c[k].slab);
		if (!c[k].p)
			break;
		memset(c[k].p, (int)(k & 0xff), bytes);
	}
	return k;
}

/* Every copy still holds its byte: none was written over by another. */
static bool intact(const struct copy *c, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < c[k].n; i++)
			if (((const unsigned char *)c[k].p)[i] != (k & 0xff))
				return false;
	return true;
}

static void release_all(struct copy *c, size_t n)
{
	for (size_t k = 0; k < n; k++)
		msgslab_release(c[k].slab);
}

static void check_sizes(void)
{
	static const struct { size_t bytes; bool given; } rows[] = {
		{ 0, false }, { 1, true }, { 17, true }, { 100, true },
		{ MSGSLAB_LARGE, true }, { MSGSLAB_LARGE + 1, false }, { 1 << 20, false },
	};
	struct msgslab *a = msgslab_create();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		void *slab = NULL, *p = msgslab_alloc(a, rows[i].bytes, &slab);
		checkf((p != NULL) == rows[i].given, "%zu bytes: given %d, want %d",
		       rows[i].bytes, p != NULL, rows[i].given);
		checkf(!p || (uintptr_t)p % alignof(max_align_t) == 0, "%zu bytes: aligned",
		       rows[i].bytes);
		if (p)
			msgslab_release(slab);
	}
	msgslab_destroy(a);
}

/* A stream: many small copies fill several slabs, none overlaps. */
static void check_packing(void)
{
	static struct copy c[MAXC];
	struct msgslab *a = msgslab_create();
	size_t n = fill(a, c, MAXC, 100);
	CHECK_EQ(n, MAXC);
	CHECK(intact(c, n));
	/* 4096 copies of 100 bytes, each taking 100 rounded up to the
	 * alignment (112 where it is 16, 104 where 8): about 28 slabs, not
	 * 4096 blocks */
	size_t align = alignof(max_align_t);
	size_t per = MSGSLAB_BYTES / ((100 + align - 1) / align * align);
	size_t odd = 0;
	for (size_t k = 0; k < n; k++)
		odd += (uintptr_t)c[k].p % align != 0;
	checkf(odd == 0, "%zu of %zu copies not aligned to %zu", odd, n, align);
	CHECK_EQ(msgslab_live(a), (MAXC + per - 1) / per);
	release_all(c, n);
	/* all but the one being filled are free; two kept as spares */
	CHECK_EQ(msgslab_live(a), 1 + MSGSLAB_SPARES);
	CHECK_EQ(msgslab_spares(a), MSGSLAB_SPARES);
	msgslab_destroy(a);
}

/* Drained between batches (as the board does), a stream keeps taking
 * the same few slabs: nothing is allocated after the first rounds. */
static void check_reuse(void)
{
	static struct copy c[MAXC];
	struct msgslab *a = msgslab_create();
	size_t most = 0;
	for (int round = 0; round < 50; round++) {
		size_t n = fill(a, c, 300, 150);
		CHECK(intact(c, n));
		release_all(c, n);
		if (msgslab_live(a) > most)
			most = msgslab_live(a);
	}
	checkf(most <= 1 + MSGSLAB_SPARES + 1, "at most %zu slabs live, want <= %d", most,
	       1 + MSGSLAB_SPARES + 1);
	msgslab_destroy(a);
}

/* Copies outlive the allocator: released after destroy, all freed. */
static void check_after_destroy(void)
{
	static struct copy c[MAXC];
	struct msgslab *a = msgslab_create();
	size_t n = fill(a, c, 1000, 64);
	msgslab_destroy(a);
	CHECK(intact(c, n));
	release_all(c, n); /* frees the slabs and the allocator: ASan checks */
	msgslab_destroy(NULL);
	msgslab_release(NULL);
	CHECK(n == 1000);
}

/* The owner releases on its thread while the network thread fills. */
struct shared {
	struct copy c[MAXC];
	size_t filled;  /* under lock */
	pthread_mutex_t lock;
};

static void *owner(void *arg)
{
	struct shared *sh = arg;
	size_t done = 0;
	while (done < MAXC) {
		pthread_mutex_lock(&sh->lock);
		size_t upto = sh->filled;
		pthread_mutex_unlock(&sh->lock);
		for (; done < upto; done++) {
			const unsigned char *p = sh->c[done].p;
			if (p[0] != (done & 0xff) || p[sh->c[done].n - 1] != (done & 0xff))
				return (void *)1;
			msgslab_release(sh->c[done].slab);
		}
	}
	return NULL;
}

static void check_threads(void)
{
	static struct shared sh;
	pthread_mutex_init(&sh.lock, NULL);
	struct msgslab *a = msgslab_create();
	pthread_t t;
	CHECK(pthread_create(&t, NULL, owner, &sh) == 0);
	for (size_t k = 0; k < MAXC; k++) {
		size_t bytes = 16 + (k * 37) % 900;
		sh.c[k].n = bytes;
		sh.c[k].p = msgslab_alloc(a, bytes, &sh.c[k].slab);
		if (!sh.c[k].p)
			abort(); /* out of memory in a test */
		memset(sh.c[k].p, (int)(k & 0xff), bytes);
		pthread_mutex_lock(&sh.lock);
		sh.filled = k + 1;
		pthread_mutex_unlock(&sh.lock);
	}
	void *bad = NULL;
	pthread_join(t, &bad);
	CHECK(bad == NULL);
	CHECK(msgslab_live(a) <= 1 + MSGSLAB_SPARES);
	msgslab_destroy(a);
	pthread_mutex_destroy(&sh.lock);
}

int main(void)
{
	check_sizes();
	check_packing();
	check_reuse();
	check_after_destroy();
	check_threads();
	return check_summary();
}
