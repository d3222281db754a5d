/* surge.c - see surge.h. */
#include "surge.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define TAG "surge"
#define FILE_MAGIC "wallboard-surge 1"
/* A board off for days folds at most this many minutes when it returns
 * within the window (more would change nothing: the weight is spent). */
#define FOLD_MAX (4 * SURGE_BASELINE_MIN)

struct chan {
	char key[MSG_CHANNEL_MAX];
	int64_t minute[SURGE_WINDOW_MIN];   /* which minute each slot counts */
	uint32_t real[SURGE_WINDOW_MIN];
	uint32_t drill[SURGE_WINDOW_MIN];
	double base;                        /* complaints per minute */
	int64_t learned;                    /* minutes folded into base */
	int64_t folded;                     /* last minute folded */
	bool surging, drill_surge;
	bool real_surging;                  /* the same rule, drills left out */
};

struct seen {
	uint64_t hash;
	int64_t minute;
};

struct surge {
	struct surge_options opt;
	struct chan ch[SURGE_CHANNELS];
	size_t n;
	struct seen seen[SURGE_SEEN_MAX];
	size_t n_seen;
	bool dirty;
	bool full_logged;
};

static void fold(struct chan *c, int64_t cur);

static int64_t minute_of(int64_t t)
{
	return t >= 0 ? t / 60 : -((-t + 59) / 60);
}

struct surge *surge_create(const struct surge_options *opt)
{
	struct surge *s = calloc(1, sizeof *s);
	if (!s) {
		log_error(TAG, "out of memory");
		return NULL;
	}
	s->opt = *opt;
	if (s->opt.min_per_window < 0)
		s->opt.min_per_window = 0;
	return s;
}

void surge_destroy(struct surge *s)
{
	free(s);
}

static struct chan *chan_get(struct surge *s, const char *key, int64_t cur)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ch[i].key, key) == 0)
			return &s->ch[i];
	if (s->n == SURGE_CHANNELS || strlen(key) >= MSG_CHANNEL_MAX)
		return NULL;
	struct chan *c = &s->ch[s->n++];
	memset(c, 0, sizeof *c);
	strcpy(c->key, key);
	/* A new channel's baseline starts now: the minutes before it
	 * was seen were not watched. */
	c->folded = cur - SURGE_WINDOW_MIN;
	for (size_t k = 0; k < SURGE_WINDOW_MIN; k++)
		c->minute[k] = INT64_MIN;
	return c;
}

static uint32_t slot_count(const struct chan *c, int64_t minute, bool drill)
{
	size_t k = (size_t)(((minute % SURGE_WINDOW_MIN) + SURGE_WINDOW_MIN) % SURGE_WINDOW_MIN);
	if (c->minute[k] != minute)
		return 0;
	return drill ? c->drill[k] : c->real[k];
}

static void window_counts(const struct chan *c, int64_t cur, uint32_t *real, uint32_t *drill)
{
	*real = *drill = 0;
	for (int64_t m = cur - SURGE_WINDOW_MIN + 1; m <= cur; m++) {
		*real += slot_count(c, m, false);
		*drill += slot_count(c, m, true);
	}
}

/* Ids counted in the window; older ones are forgotten as room is needed. */
static bool seen_has(const struct surge *s, uint64_t h)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (s->seen[i].hash == h)
			return true;
	return false;
}

static void seen_add(struct surge *s, uint64_t h, int64_t minute, int64_t cur)
{
	if (s->n_seen == SURGE_SEEN_MAX) {
		size_t k = 0;
		for (size_t i = 0; i < s->n_seen; i++)
			if (s->seen[i].minute > cur - SURGE_WINDOW_MIN)
				s->seen[k++] = s->seen[i];
		s->n_seen = k;
	}
	if (s->n_seen == SURGE_SEEN_MAX) {
		/* More than SURGE_SEEN_MAX arrivals in ten minutes: counting
		 * goes on, only a restart now may count some twice. */
		if (!s->full_logged)
			log_warn(TAG, "more than %d new complaints in %d min: some may be "
				 "counted twice after a restart", SURGE_SEEN_MAX, SURGE_WINDOW_MIN);
		s->full_logged = true;
		return;
	}
	s->seen[s->n_seen++] = (struct seen){ h, minute };
}

void surge_note(struct surge *s, const char *channel, const char *id, int64_t opened_at,
		bool drill, int64_t now)
{
	if (s->opt.factor <= 0)
		return;
	int64_t cur = minute_of(now);
	int64_t m = minute_of(opened_at < now ? opened_at : now);
	if (m <= cur - SURGE_WINDOW_MIN)
		return; /* backlog, not an arrival */
	uint64_t h = util_fnv1a_str(id);
	if (seen_has(s, h))
		return;
	struct chan *c = chan_get(s, channel, cur);
	if (!c)
		return;
	if (c->folded < cur - SURGE_WINDOW_MIN)
		fold(c, cur); /* before a slot is reused for this minute */
	if (m <= c->folded)
		return;
	size_t k = (size_t)(((m % SURGE_WINDOW_MIN) + SURGE_WINDOW_MIN) % SURGE_WINDOW_MIN);
	if (c->minute[k] != m) {
		c->minute[k] = m;
		c->real[k] = c->drill[k] = 0;
	}
	if (drill)
		c->drill[k]++;
	else
		c->real[k]++;
	seen_add(s, h, m, cur);
	s->dirty = true;
}

/* The minutes that left the window go into the baseline: a running mean
 * while it learns, then an EWMA with a day's time constant. */
static void fold(struct chan *c, int64_t cur)
{
	int64_t last = cur - SURGE_WINDOW_MIN;
	if (last - c->folded > FOLD_MAX)
		c->folded = last - FOLD_MAX;
	for (int64_t m = c->folded + 1; m <= last; m++) {
		double alpha = 1.0 / (double)(c->learned + 1);
		if (alpha < 1.0 / SURGE_BASELINE_MIN)
			alpha = 1.0 / SURGE_BASELINE_MIN;
		c->base += alpha * ((double)slot_count(c, m, false) - c->base);
		c->learned++;
	}
	if (last > c->folded)
		c->folded = last;
}

static uint32_t usual(const struct chan *c)
{
	return (uint32_t)lround(c->base * SURGE_WINDOW_MIN);
}

/* Start above the threshold, stop at 3/4 of it (no flapping). */
static bool rule(bool was, double count, double threshold)
{
	return was ? count * 4 > threshold * 3 : count > threshold;
}

static bool judge(const struct surge *s, struct chan *c, int64_t cur)
{
	uint32_t real, drill;
	window_counts(c, cur, &real, &drill);
	double threshold = (double)s->opt.factor * c->base * SURGE_WINDOW_MIN;
	if (threshold < s->opt.min_per_window)
		threshold = s->opt.min_per_window;
	bool on = s->opt.factor > 0 && c->learned * 60 >= s->opt.learn_s;
	bool was = c->surging, was_drill = c->drill_surge;
	c->surging = on && rule(was, (double)real + drill, threshold);
	c->real_surging = on && rule(c->real_surging, real, threshold);
	c->drill_surge = c->surging && !c->real_surging;
	if (c->surging && !was)
		log_warn(TAG, "%s surges: %" PRIu32 " new complaints in %d min, usually %" PRIu32
			 "%s", c->key, real + drill, SURGE_WINDOW_MIN, usual(c),
			 c->drill_surge ? " (drill)" : "");
	else if (!c->surging && was)
		log_info(TAG, "%s: surge over", c->key);
	return c->surging != was || c->drill_surge != was_drill;
}

bool surge_update(struct surge *s, int64_t now)
{
	int64_t cur = minute_of(now);
	bool changed = false;
	for (size_t i = 0; i < s->n; i++) {
		struct chan *c = &s->ch[i];
		if (c->folded < cur - SURGE_WINDOW_MIN) {
			fold(c, cur);
			s->dirty = true;
		}
		changed |= judge(s, c, cur);
	}
	return changed;
}

size_t surge_count(const struct surge *s)
{
	return s->n;
}

bool surge_get(const struct surge *s, size_t idx, struct surge_view *out)
{
	if (idx >= s->n)
		return false;
	const struct chan *c = &s->ch[idx];
	uint32_t real, drill;
	/* The counts as of the last update (its minute is the newest slot). */
	int64_t cur = c->folded + SURGE_WINDOW_MIN;
	window_counts(c, cur, &real, &drill);
	*out = (struct surge_view){
		.channel = c->key, .count = real + drill, .usual = usual(c),
		.surging = c->surging, .drill = c->drill_surge,
	};
	return true;
}

int64_t surge_next_change(const struct surge *s, int64_t now)
{
	int64_t cur = minute_of(now);
	for (size_t i = 0; i < s->n; i++) {
		uint32_t real, drill;
		window_counts(&s->ch[i], cur, &real, &drill);
		if (real + drill > 0 || s->ch[i].surging)
			return (cur + 1) * 60;
	}
	return 0;
}

bool surge_dirty(const struct surge *s)
{
	return s->dirty;
}

/* ---- the state file ---- */

bool surge_save(struct surge *s, const char *path, int64_t now)
{
	char tmp[600];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		log_error(TAG, "state path too long: %s", path);
		return false;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		log_error(TAG, "%s: %s", tmp, strerror(errno));
		return false;
	}
	int64_t cur = minute_of(now);
	fprintf(f, "%s\nsaved %" PRId64 "\n", FILE_MAGIC, now);
	for (size_t i = 0; i < s->n; i++) {
		const struct chan *c = &s->ch[i];
		fprintf(f, "channel %s %.9g %" PRId64 " %" PRId64 "\n", c->key, c->base,
			c->learned, c->folded);
		for (int64_t m = cur - SURGE_WINDOW_MIN + 1; m <= cur; m++)
			if (slot_count(c, m, false) || slot_count(c, m, true))
				fprintf(f, "minute %s %" PRId64 " %" PRIu32 " %" PRIu32 "\n", c->key,
					m, slot_count(c, m, false), slot_count(c, m, true));
	}
	for (size_t i = 0; i < s->n_seen; i++)
		if (s->seen[i].minute > cur - SURGE_WINDOW_MIN)
			fprintf(f, "seen %016" PRIx64 " %" PRId64 "\n", s->seen[i].hash,
				s->seen[i].minute);
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		log_error(TAG, "saving %s: %s", path, strerror(errno));
		unlink(tmp);
		return false;
	}
	s->dirty = false;
	return true;
}

static bool load_line(struct surge *s, const char *line, int64_t cur)
{
	char key[MSG_CHANNEL_MAX + 1];
	double base;
	int64_t a, b;
	uint32_t real, drill;
	uint64_t h;
	if (sscanf(line, "channel %32s %lf %" SCNd64 " %" SCNd64, key, &base, &a, &b) == 4) {
		struct chan *c = chan_get(s, key, cur);
		if (!c || !(base >= 0 && base < 1e9) || a < 0 || b > cur)
			return false;
		c->base = base;
		c->learned = a;
		/* Minutes it did not watch are not quiet minutes: skip them. */
		c->folded = b < cur - SURGE_WINDOW_MIN ? cur - SURGE_WINDOW_MIN : b;
		return true;
	}
	if (sscanf(line, "minute %32s %" SCNd64 " %" SCNu32 " %" SCNu32, key, &a, &real,
		   &drill) == 4) {
		struct chan *c = chan_get(s, key, cur);
		if (!c || a > cur)
			return false;
		if (a <= c->folded)
			return true; /* left the window while the board was off */
		size_t k = (size_t)(((a % SURGE_WINDOW_MIN) + SURGE_WINDOW_MIN) % SURGE_WINDOW_MIN);
		c->minute[k] = a;
		c->real[k] = real;
		c->drill[k] = drill;
		return true;
	}
	if (sscanf(line, "seen %" SCNx64 " %" SCNd64, &h, &a) == 2) {
		if (a > cur - SURGE_WINDOW_MIN && !seen_has(s, h))
			seen_add(s, h, a, cur);
		return true;
	}
	return strncmp(line, "saved ", 6) == 0;
}

bool surge_load(struct surge *s, const char *path, int64_t now)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return true;
		log_error(TAG, "%s: %s", path, strerror(errno));
		return false;
	}
	char line[256];
	unsigned n = 0, bad = 0;
	int64_t cur = minute_of(now);
	if (!fgets(line, sizeof line, f) || strncmp(line, FILE_MAGIC, strlen(FILE_MAGIC)) != 0) {
		log_error(TAG, "%s: not a surge state file, ignored", path);
		fclose(f);
		return false;
	}
	while (fgets(line, sizeof line, f)) {
		n++;
		if (!load_line(s, line, cur) && bad++ < 5)
			log_warn(TAG, "%s:%u: bad line skipped", path, n + 1);
	}
	fclose(f);
	s->dirty = false;
	log_info(TAG, "%s: %zu channels restored", path, s->n);
	return true;
}
