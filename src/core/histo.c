/* histo.c - see histo.h. */
#include "histo.h"

#include <string.h>

void histo_init(struct histo *h, uint32_t width)
{
	memset(h, 0, sizeof *h);
	h->width = width ? width : 1;
}

void histo_add(struct histo *h, uint64_t v)
{
	uint64_t i = v / h->width;
	h->bucket[i < HISTO_BUCKETS ? i : HISTO_BUCKETS - 1]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

uint64_t histo_quantile(const struct histo *h, double q)
{
	if (!h->count)
		return 0;
	/* the rank of the sample wanted, 1-based, rounded up */
	uint64_t rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (uint32_t i = 0; i < HISTO_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank && i < HISTO_BUCKETS - 1) {
			uint64_t edge = (uint64_t)(i + 1) * h->width;
			return edge < h->max ? edge : h->max;
		}
	}
	return h->max;
}
