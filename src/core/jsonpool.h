/* jsonpool.h - cJSON's allocations while one message is decoded, from one
 * block of memory instead of malloc.
 *
 * Why: cJSON allocates every value, key and string of a tree apart and
 * frees them one by one; decoding a message of a dozen fields made about
 * thirty malloc/free pairs. At 100 msg/s they were two thirds of the
 * parse, and with one malloc arena for both threads (heap.c) a good part
 * of that was malloc's bookkeeping of the holes they left (perf, the
 * board at 100 msg/s: cJSON's parse and delete 6 % of the board's CPU,
 * 4 % of it in malloc and free).
 *
 * Between jsonpool_begin() and jsonpool_end() the calling thread's cJSON
 * allocations come from its pool, a block of JSONPOOL_BYTES bumped
 * forward; past its end they come from malloc. Freeing a pooled block
 * does nothing; jsonpool_end() takes the whole pool back at once. So a
 * tree parsed inside must be deleted (or never used again) before
 * jsonpool_end(). Outside, and in other threads, cJSON allocates with
 * malloc as before (through the hooks, which see that no pool is open).
 *
 * cJSON's hooks are process-wide: once installed, cJSON grows the
 * buffers it prints into by malloc, copy and free instead of realloc (a
 * few times a print). Under AddressSanitizer the pool is poisoned but
 * for the blocks handed out, with a gap after each: overruns between
 * cJSON's blocks, and a block used after jsonpool_end(), are reported to
 * the fuzzers and the sanitizer suite as malloc's would be. */
#ifndef WALLBOARD_JSONPOOL_H
#define WALLBOARD_JSONPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for a complaint or an SLA message several times over; a crisis
 * with a long playbook spills into malloc. */
#define JSONPOOL_BYTES (8 * 1024)

/* This thread's cJSON allocations come from its pool until
 * jsonpool_end(). The pool is allocated at the first call (false, logged,
 * when out of memory: cJSON then allocates with malloc). */
bool jsonpool_begin(void);
/* Takes back everything allocated from the pool since jsonpool_begin(). */
void jsonpool_end(void);

/* Like malloc, from the pool when one is open; for the one copy of the
 * payload decode makes. Freed with jsonpool_free. */
void *jsonpool_alloc(size_t n);
void jsonpool_free(void *p);

struct jsonpool_stats {
	uint64_t pooled;	/* allocations served by the pool */
	uint64_t spilled;	/* by malloc while a pool was open */
};
/* This thread's counts. */
void jsonpool_get_stats(struct jsonpool_stats *out);

#endif
