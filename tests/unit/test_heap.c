/* test_heap.c - with heap_setup() the board's allocation patterns leave
 * no memory held by the allocator beyond what is in use.
 *
 * Each row replays, for many cycles, what the soak does to the heap: line
 * pictures (16-320 KB; some kept a while, as the text cache keeps them)
 * allocated between small long-lived blocks (the model's entries and
 * strings, replaced at random), and now and then a crisis banner's two
 * 1.8 MB pictures. Without heap_setup() (checked by hand: drop the
 * call) three of the rows ended with 9.5-11.9 MB held and unused: glibc
 * raised its mmap threshold after the first banner, or pictures under
 * 128 KB came from the heap anyway; with it, the gap between held and in
 * use stays under 1 MB (0-110 KB). Each row runs in a
 * child process of its own (a fresh heap, heap_setup() inherited), and
 * the figures are bytes from mallinfo2 (heap_get_stats), not time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heap.h"
#include "log.h"

#include "check.h"

struct pattern {
	const char *name;
	int cycles;
	int pictures_kept;          /* pictures alive at once (a cache) */
	size_t picture_min, picture_span;
	int banner_every;           /* cycles between banners; 0: none */
	int small_per_cycle;        /* small blocks replaced each cycle */
};

static const struct pattern patterns[] = {
	{ "pictures among small blocks, a crisis every 500", 20000, 30, 64 << 10, 256 << 10, 500, 3 },
	{ "pictures among small blocks, no crisis", 20000, 30, 64 << 10, 256 << 10, 0, 3 },
	{ "one picture at a time, a crisis every 50", 10000, 1, 64 << 10, 256 << 10, 50, 10 },
	{ "a large cache of small pictures", 20000, 200, 16 << 10, 112 << 10, 1000, 2 },
};

enum { SMALL = 20000, BANNER = 1855528, PICTURES_MAX = 200 };

static unsigned long long seed = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static void *filled(size_t n)
{
	void *p = malloc(n);
	if (p)
		memset(p, 1, n); /* touched, as pixels are */
	return p;
}

static void banner(void)
{
	void *a = filled(BANNER), *b = filled(BANNER);
	free(a);
	free(b);
}

/* KB the allocator holds beyond what is in use. */
static long gap_kb(void)
{
	struct heap_stats h;
	heap_get_stats(&h);
	return h.held_kb - h.in_use_kb;
}

/* The most KB held beyond the heap in use, over the row's cycles. */
static long replay(const struct pattern *p)
{
	static void *small[SMALL], *pic[PICTURES_MAX];
	long start = gap_kb(), worst = 0;
	for (int c = 0; c < p->cycles; c++) {
		if (p->banner_every && c % p->banner_every == 0)
			banner();
		int k = c % p->pictures_kept;
		free(pic[k]);
		pic[k] = filled(p->picture_min + rnd((unsigned)p->picture_span));
		for (int j = 0; j < p->small_per_cycle; j++) {
			int i = (int)rnd(SMALL);
			free(small[i]);
			small[i] = filled(100 + rnd(600));
		}
		if (c % 1000 == 999 && gap_kb() - start > worst)
			worst = gap_kb() - start;
	}
	return worst;
}

static void run(const struct pattern *p)
{
	check_ctx = p->name;
	int fd[2];
	long worst = -1;
	if (pipe(fd) != 0) {
		CHECK(!"pipe");
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		long w = replay(p);
		ssize_t n = write(fd[1], &w, sizeof w);
		_exit(n == (ssize_t)sizeof w ? 0 : 1);
	}
	close(fd[1]);
	int status = 0;
	if (pid < 0 || read(fd[0], &worst, sizeof worst) != (ssize_t)sizeof worst)
		worst = -1;
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("%s: the allocator held at most %ld KB beyond the heap in use\n",
	       p->name, worst);
	CHECK(worst >= 0 && worst < 1024);
}

/* The figures follow what is allocated. */
static void test_stats(void)
{
	check_ctx = "stats";
	struct heap_stats before, during;
	heap_get_stats(&before);
	void *big = filled(10 << 20);
	heap_get_stats(&during);
	CHECK(before.in_use_kb >= 0 && before.held_kb >= before.in_use_kb);
	CHECK(during.in_use_kb - before.in_use_kb >= 10 << 10);
	free(big);
}

#if defined(__SANITIZE_ADDRESS__)
static const bool sanitized = true;
#else
static const bool sanitized = false;
#endif

int main(void)
{
	log_set_level(LOG_ERROR);
	if (sanitized) {
		puts("skip: the sanitizer's allocator replaces glibc's (heap_setup is for glibc)");
		return 0;
	}
	CHECK(heap_setup());
	test_stats();
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		run(&patterns[i]);
	return check_summary();
}
