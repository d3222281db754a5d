/* heap.c - see heap.h.
 *
 * Why a fixed mmap threshold: glibc starts with 128 KB and raises it to
 * the size of the largest mapped block freed (up to 32 MB), the trim
 * threshold to twice that. Once the first crisis ended (its banner's two
 * pictures are 1.8 MB each), every picture up to 1.8 MB came from the
 * main heap: line pictures (16-320 KB, the text cache keeps about 140 of
 * them, a busy list replaces several a second) sat among the model's
 * small long-lived blocks, and the holes they left could not go back to
 * the kernel. The soak's RSS grew 0.4-1 MB a minute while the heap in use
 * stayed flat. A fixed threshold keeps every picture in a mapping of its
 * own and turns the raising off; 16 KB, not 64 KB, because the cache's
 * short lines (16-64 KB) fragmented the heap the same way (test_heap's
 * last row). A mapping costs two system calls and its page faults, about
 * 45 us for a 150 KB picture, at most a dozen a second at 1,000 msg/s.
 * Not malloc_trim(): nothing builds up to be trimmed. */
#include "heap.h"

#include <stdlib.h> /* defines __GLIBC__ where it is glibc */

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "log.h"

bool heap_setup(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	/* One arena for both threads: the network thread's own arena kept
	 * pages for the few messages it holds at a time (the board's PSS,
	 * 10,000 open, crisis on, 1080p: 25.1-25.8 -> 25.0-25.1 MB, 3 runs
	 * each); the two threads seldom allocate at the same moment. */
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
#endif
	if (mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD))
		return true;
#endif
	/* not glibc, or a sanitizer's allocator: it manages its own */
	log_debug("heap", "the C library keeps its own mmap threshold");
	return false;
}

void heap_get_stats(struct heap_stats *out)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();
	out->in_use_kb = (long)((mi.uordblks + mi.hblkhd) / 1024);
	out->held_kb = (long)((mi.arena + mi.hblkhd) / 1024);
#else
	out->in_use_kb = out->held_kb = -1;
#endif
}
