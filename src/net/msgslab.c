/* msgslab.c - see msgslab.h. */
#include "msgslab.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

struct slab {
	struct msgslab *home;
	struct slab *next;      /* in home's spares */
	atomic_size_t refs;     /* copies held, and 1 while it is being filled */
	size_t used;            /* filling thread only */
	max_align_t data[];
};

struct msgslab {
	pthread_mutex_t lock;
	struct slab *spares;    /* under lock */
	size_t n_spares;        /* under lock */
	size_t live;            /* slabs allocated and not freed: under lock */
	bool gone;              /* msgslab_destroy() was called: under lock */
	struct slab *cur;       /* filling thread only */
};

struct msgslab *msgslab_create(void)
{
	struct msgslab *a = calloc(1, sizeof *a);
	if (a && pthread_mutex_init(&a->lock, NULL)) {
		free(a);
		return NULL;
	}
	return a;
}

static void free_home(struct msgslab *a)
{
	pthread_mutex_destroy(&a->lock);
	free(a);
}

/* A spare, or a new slab, to fill. */
static struct slab *take_slab(struct msgslab *a)
{
	pthread_mutex_lock(&a->lock);
	struct slab *s = a->spares;
	if (s) {
		a->spares = s->next;
		a->n_spares--;
	} else if ((s = malloc(sizeof *s + MSGSLAB_BYTES)) != NULL) {
		s->home = a;
		a->live++;
	}
	pthread_mutex_unlock(&a->lock);
	if (s) {
		s->next = NULL;
		s->used = 0;
		atomic_store_explicit(&s->refs, 1, memory_order_relaxed);
	}
	return s;
}

/* No copy in s is held and nobody fills it: a spare, or freed. */
static void retire(struct slab *s)
{
	struct msgslab *a = s->home;
	pthread_mutex_lock(&a->lock);
	bool keep = !a->gone && a->n_spares < MSGSLAB_SPARES;
	if (keep) {
		s->next = a->spares;
		a->spares = s;
		a->n_spares++;
	} else {
		free(s);
		a->live--;
	}
	bool last = a->gone && a->live == 0;
	pthread_mutex_unlock(&a->lock);
	if (last)
		free_home(a);
}

void msgslab_release(void *slab)
{
	struct slab *s = slab;
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		retire(s);
}

void *msgslab_alloc(struct msgslab *a, size_t bytes, void **slab)
{
	const size_t align = alignof(max_align_t);
	size_t need = (bytes + align - 1) / align * align;
	if (!a || !bytes || bytes > MSGSLAB_LARGE)
		return NULL;
	if (!a->cur || a->cur->used + need > MSGSLAB_BYTES) {
		/* let the full one go: it retires with its last copy */
		msgslab_release(a->cur);
		a->cur = take_slab(a);
		if (!a->cur)
			return NULL;
	}
	struct slab *s = a->cur;
	void *p = (char *)s->data + s->used;
	s->used += need;
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	*slab = s;
	return p;
}

void msgslab_destroy(struct msgslab *a)
{
	if (!a)
		return;
	msgslab_release(a->cur);
	a->cur = NULL;
	pthread_mutex_lock(&a->lock);
	a->gone = true;
	while (a->spares) {
		struct slab *s = a->spares;
		a->spares = s->next;
		free(s);
		a->live--;
	}
	a->n_spares = 0;
	bool last = a->live == 0;
	pthread_mutex_unlock(&a->lock);
	if (last)
		free_home(a);
}

size_t msgslab_live(const struct msgslab *a)
{
	struct msgslab *w = (struct msgslab *)a; /* the lock is not const */
	pthread_mutex_lock(&w->lock);
	size_t n = w->live;
	pthread_mutex_unlock(&w->lock);
	return n;
}

size_t msgslab_spares(const struct msgslab *a)
{
	struct msgslab *w = (struct msgslab *)a;
	pthread_mutex_lock(&w->lock);
	size_t n = w->n_spares;
	pthread_mutex_unlock(&w->lock);
	return n;
}
