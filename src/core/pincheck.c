/* pincheck.c - see pincheck.h. */
#include "pincheck.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pin.h"

enum state { IDLE, QUEUED, DONE };

struct pincheck {
	const struct lead_conf *leads;
	size_t n_leads;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum state state;        /* under lock */
	bool stop;
	char pin[PIN_MAX_DIGITS + 1];
	int lead;
};

/* volatile: the compiler must not drop the wipe as a dead store. */
static void wipe(char *p, size_t n)
{
	volatile char *v = p;
	while (n--)
		*v++ = 0;
}

static void *worker(void *arg)
{
	struct pincheck *pc = arg;
	char pin[PIN_MAX_DIGITS + 1];
	pthread_mutex_lock(&pc->lock);
	for (;;) {
		while (!pc->stop && pc->state != QUEUED)
			pthread_cond_wait(&pc->cond, &pc->lock);
		if (pc->stop)
			break;
		memcpy(pin, pc->pin, sizeof pin);
		wipe(pc->pin, sizeof pc->pin);
		pthread_mutex_unlock(&pc->lock);
		int lead = pin_is_wellformed(pin) ? pin_find_lead(pc->leads, pc->n_leads, pin) : -1;
		wipe(pin, sizeof pin);
		pthread_mutex_lock(&pc->lock);
		pc->lead = lead;
		pc->state = DONE;
	}
	pthread_mutex_unlock(&pc->lock);
	return NULL;
}

struct pincheck *pincheck_create(const struct lead_conf *leads, size_t n_leads)
{
	struct pincheck *pc = calloc(1, sizeof *pc);
	if (!pc) {
		log_error("pincheck", "out of memory");
		return NULL;
	}
	pc->leads = leads;
	pc->n_leads = n_leads;
	if (pthread_mutex_init(&pc->lock, NULL)) {
		free(pc);
		return NULL;
	}
	if (pthread_cond_init(&pc->cond, NULL)) {
		pthread_mutex_destroy(&pc->lock);
		free(pc);
		return NULL;
	}
	if (pthread_create(&pc->thread, NULL, worker, pc)) {
		log_error("pincheck", "cannot start the PIN check thread");
		pthread_cond_destroy(&pc->cond);
		pthread_mutex_destroy(&pc->lock);
		free(pc);
		return NULL;
	}
	return pc;
}

void pincheck_destroy(struct pincheck *pc)
{
	if (!pc)
		return;
	pthread_mutex_lock(&pc->lock);
	pc->stop = true;
	pthread_cond_signal(&pc->cond);
	pthread_mutex_unlock(&pc->lock);
	pthread_join(pc->thread, NULL);
	wipe(pc->pin, sizeof pc->pin);
	pthread_cond_destroy(&pc->cond);
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

bool pincheck_start(struct pincheck *pc, const char *pin)
{
	pthread_mutex_lock(&pc->lock);
	bool ok = pc->state == IDLE;
	if (ok) {
		size_t n = strnlen(pin, PIN_MAX_DIGITS + 1);
		if (n > PIN_MAX_DIGITS)
			n = 0; /* never well formed: a wrong PIN */
		memcpy(pc->pin, pin, n);
		pc->pin[n] = '\0';
		pc->state = QUEUED;
		pthread_cond_signal(&pc->cond);
	}
	pthread_mutex_unlock(&pc->lock);
	return ok;
}

bool pincheck_busy(const struct pincheck *pc)
{
	struct pincheck *w = (struct pincheck *)pc; /* the lock is not const */
	pthread_mutex_lock(&w->lock);
	bool busy = w->state != IDLE;
	pthread_mutex_unlock(&w->lock);
	return busy;
}

bool pincheck_poll(struct pincheck *pc, int *lead)
{
	pthread_mutex_lock(&pc->lock);
	bool done = pc->state == DONE;
	if (done) {
		*lead = pc->lead;
		pc->state = IDLE;
	}
	pthread_mutex_unlock(&pc->lock);
	return done;
}
