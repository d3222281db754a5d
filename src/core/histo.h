/* histo.h - a fixed histogram of durations, for the board's own figures
 * (frame times, change-to-screen latency) that scripts/bench.sh reads
 * from the log. Constant memory and cost: HISTO_BUCKETS buckets of a
 * fixed width; values past the last bucket count in the last one (the
 * maximum is kept exactly). */
#ifndef WALLBOARD_HISTO_H
#define WALLBOARD_HISTO_H

#include <stdint.h>

#define HISTO_BUCKETS 1024

struct histo {
	uint32_t width;   /* of a bucket, in the caller's unit */
	uint64_t count;
	uint64_t max;
	uint32_t bucket[HISTO_BUCKETS];
};

void histo_init(struct histo *h, uint32_t width);
void histo_add(struct histo *h, uint64_t v);

/* The value below which a fraction q (0..1) of the samples lie, as the
 * upper edge of its bucket (never above the maximum); 0 when empty. */
uint64_t histo_quantile(const struct histo *h, double q);

#endif
