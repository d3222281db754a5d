/* heap.h - the C heap: how the board sets it up, and what it holds.
 *
 * heap_setup() keeps one arena for all threads, and puts large blocks
 * (16 KB and more: line pictures, the crisis banner's pictures, the
 * window surface) in their own mappings,
 * returned to the kernel when freed, and turns off glibc's raising of that
 * threshold (see heap.c for why: the soak's RSS grew while the heap in use
 * was flat). heap_get_stats() tells a leak (in_use grows) from the
 * allocator keeping memory (held grows, in_use flat). */
#ifndef WALLBOARD_HEAP_H
#define WALLBOARD_HEAP_H

#include <stdbool.h>

/* Blocks this large or larger get their own mapping. */
#define HEAP_MMAP_THRESHOLD (16 * 1024)

/* Once, first thing in main(), before threads start. False where the C
 * library does not take it (not glibc; sanitizers' allocators). */
bool heap_setup(void);

struct heap_stats {
	long in_use_kb;   /* allocated by the program, mapped blocks included */
	long held_kb;     /* what the allocator holds from the kernel for it */
};

/* glibc's mallinfo2 over all arenas; both -1 where there is none. */
void heap_get_stats(struct heap_stats *out);

#endif
