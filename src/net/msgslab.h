/* msgslab.h - the network thread's copies of messages, packed into slabs.
 *
 * The network thread copies every message it queues for the owner, and
 * the owner frees it on its own thread. One malloc() a message made the
 * network thread's allocator take its slow path every time (what the
 * owner frees goes to the owner's per-thread cache, never back to the
 * network thread's): about a tenth of the network thread's CPU at
 * 100 msg/s. Here copies are laid one after another in slabs of
 * MSGSLAB_BYTES; a slab counts the copies in it that are still held, and
 * when the last is released it goes back to a short list of spares the
 * network thread takes its next slab from. So a stream costs no
 * allocation at all, and a burst one per slab instead of one per message.
 *
 * Threads: msgslab_alloc() and msgslab_destroy() on the one thread that
 * fills (the network thread; destroy after it stopped), msgslab_release()
 * on any thread. A copy may be released after msgslab_destroy(): the
 * slabs and what they need stay until the last copy goes. */
#ifndef WALLBOARD_MSGSLAB_H
#define WALLBOARD_MSGSLAB_H

#include <stddef.h>

/* 16 KB holds about 150 of a stream's messages; a burst of 20,000
 * retained messages takes about 170 slabs, freed as the owner applies
 * them. Larger copies than MSGSLAB_LARGE get a block of their own. */
#define MSGSLAB_BYTES  (16 * 1024)
#define MSGSLAB_LARGE  (MSGSLAB_BYTES / 4)
/* Released slabs kept for reuse: what a stream needs between two drains,
 * without holding a burst's worth of memory afterwards. */
#define MSGSLAB_SPARES 2

struct msgslab;

struct msgslab *msgslab_create(void);
/* The filling thread lets go; slabs still holding copies are freed with
 * their last copy. NULL is a no-op. */
void msgslab_destroy(struct msgslab *a);

/* bytes (<= MSGSLAB_LARGE), aligned for any type, from the current slab
 * (a new or spare one when it is full); *slab is what msgslab_release()
 * takes. NULL (nothing allocated) when bytes is 0 or larger than
 * MSGSLAB_LARGE (the caller mallocs those) or memory is out. */
void *msgslab_alloc(struct msgslab *a, size_t bytes, void **slab);

/* One copy in slab is no longer used. Any thread. */
void msgslab_release(void *slab);

/* For tests: slabs allocated and not yet freed, and spares among them. */
size_t msgslab_live(const struct msgslab *a);
size_t msgslab_spares(const struct msgslab *a);

#endif
