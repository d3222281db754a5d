/* telemetry.c - see telemetry.h. */
#include "telemetry.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heap.h"

/* Frame times of the last FRAMES frames; FPS over the last FPS_WINDOW_MS. */
#define FRAMES 256
#define FPS_WINDOW_MS 30000

struct telemetry {
	float ms[FRAMES];
	uint32_t at[FRAMES];   /* ticks of each frame, for the rate */
	size_t n, next;
};

struct telemetry *telemetry_create(void)
{
	return calloc(1, sizeof(struct telemetry));
}

void telemetry_destroy(struct telemetry *t)
{
	free(t);
}

void telemetry_frame(struct telemetry *t, double ms, uint32_t ticks_ms)
{
	if (!t)
		return;
	t->ms[t->next] = (float)ms;
	t->at[t->next] = ticks_ms;
	t->next = (t->next + 1) % FRAMES;
	if (t->n < FRAMES)
		t->n++;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of the ring (p in 0..100); 0 with no frames. */
static double percentile(const struct telemetry *t, double p)
{
	float sorted[FRAMES];
	if (!t->n)
		return 0;
	memcpy(sorted, t->ms, t->n * sizeof *sorted);
	qsort(sorted, t->n, sizeof *sorted, cmp_float);
	size_t rank = (size_t)(p / 100.0 * (double)t->n + 0.999999);
	return sorted[rank ? rank - 1 : 0];
}

/* Frames drawn in the last FPS_WINDOW_MS (or since the first frame),
 * per second. The ring holds at most FRAMES: at 20 frames a second that
 * is 12.8 s, so the rate covers the ring's span when it is full. */
static double fps(const struct telemetry *t, uint32_t now)
{
	size_t count = 0;
	uint32_t oldest = now;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t age = now - t->at[i];
		if (age <= FPS_WINDOW_MS) {
			count++;
			if ((int32_t)(t->at[i] - oldest) < 0)
				oldest = t->at[i];
		}
	}
	double span = (double)(now - oldest) / 1000.0;
	if (t->n == FRAMES && count == FRAMES && span > 0)
		return count / span;
	return count / (FPS_WINDOW_MS / 1000.0);
}

long telemetry_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static const char *sysfs(void)
{
	const char *s = getenv("WB_SYSFS");
	return s && *s ? s : "/sys";
}

/* The first zone by name (thermal_zone0 before thermal_zone1); on a
 * Raspberry Pi that is the SoC ("cpu-thermal"). */
bool telemetry_soc_temp(double *celsius)
{
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/class/thermal", sysfs());
	for (int i = 0; i < 16; i++) {
		snprintf(path, sizeof path, "%s/thermal_zone%d/temp", dir, i);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		long milli;
		bool ok = fscanf(f, "%ld", &milli) == 1;
		fclose(f);
		if (ok) {
			*celsius = milli / 1000.0;
			return true;
		}
	}
	return false;
}

static void add_time(cJSON *o, const char *name, int64_t t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(o, name, s);
}

static double round1(double v)
{
	return (double)(long long)(v * 10.0 + (v < 0 ? -0.5 : 0.5)) / 10.0;
}

static void add_frames(cJSON *o, const struct telemetry *t, uint32_t ticks)
{
	cJSON_AddNumberToObject(o, "frame_ms_p50", round1(percentile(t, 50)));
	cJSON_AddNumberToObject(o, "frame_ms_p99", round1(percentile(t, 99)));
	cJSON_AddNumberToObject(o, "fps", round1(fps(t, ticks)));
}

/* A fleet monitor must see a board that shows part of the floor as
 * clearly as one that is offline: the verdict, and while incomplete the
 * counts and the cause. */
static void add_completeness(cJSON *o, const struct telemetry_sample *s)
{
	const char *v = s->completeness ? s->completeness : "unchecked";
	cJSON_AddStringToObject(o, "completeness", v);
	if (strcmp(v, "incomplete")) {
		cJSON_AddNullToObject(o, "incomplete");
		return;
	}
	cJSON *inc = cJSON_AddObjectToObject(o, "incomplete");
	cJSON_AddNumberToObject(inc, "held", (double)s->held);
	cJSON_AddNumberToObject(inc, "announced", (double)s->announced);
	cJSON_AddNumberToObject(inc, "held_timers", (double)s->held_timers);
	cJSON_AddNumberToObject(inc, "announced_timers", (double)s->announced_timers);
	cJSON_AddStringToObject(inc, "reason",
				s->incomplete_reason ? s->incomplete_reason : "broker_queue_limit");
}

bool telemetry_format(struct telemetry *t, const struct telemetry_sample *s,
		      uint32_t ticks_ms, char *buf, size_t size)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return false;
	cJSON_AddBoolToObject(o, "online", 1);
	cJSON_AddStringToObject(o, "board", s->board_id);
	cJSON_AddStringToObject(o, "version", WB_VERSION);
	add_time(o, "started_at", s->started_at);
	add_time(o, "at", s->now);
	cJSON_AddNumberToObject(o, "uptime_s", (double)(s->now - s->started_at));
	cJSON_AddBoolToObject(o, "live", s->live);
	cJSON_AddStringToObject(o, "renderer", s->renderer ? s->renderer : "");
	cJSON_AddStringToObject(o, "video_driver", s->video_driver ? s->video_driver : "");
	cJSON *screen = cJSON_AddObjectToObject(o, "screen");
	cJSON_AddNumberToObject(screen, "width", s->width);
	cJSON_AddNumberToObject(screen, "height", s->height);
	if (t)
		add_frames(o, t, ticks_ms);
	long rss = telemetry_rss_kb();
	if (rss >= 0)
		cJSON_AddNumberToObject(o, "rss_kb", (double)rss);
	struct heap_stats heap;
	heap_get_stats(&heap);
	if (heap.in_use_kb >= 0) {
		cJSON_AddNumberToObject(o, "heap_kb", (double)heap.in_use_kb);
		cJSON_AddNumberToObject(o, "heap_held_kb", (double)heap.held_kb);
	}
	cJSON *msgs = cJSON_AddObjectToObject(o, "messages");
	cJSON_AddNumberToObject(msgs, "received", (double)s->received);
	cJSON_AddNumberToObject(msgs, "rejected", (double)s->rejected);
	cJSON_AddNumberToObject(msgs, "dropped", (double)s->dropped);
	if (s->last_message_at)
		cJSON_AddNumberToObject(o, "last_message_age_s",
					(double)(s->now - s->last_message_at));
	else
		cJSON_AddNullToObject(o, "last_message_age_s");
	cJSON_AddNumberToObject(o, "journal_pending", (double)s->journal_pending);
	double temp;
	if (telemetry_soc_temp(&temp))
		cJSON_AddNumberToObject(o, "soc_temp_c", round1(temp));
	else
		cJSON_AddNullToObject(o, "soc_temp_c");
	if (s->broker_error && *s->broker_error)
		cJSON_AddStringToObject(o, "broker_error", s->broker_error);
	add_completeness(o, s);
	if (s->mqtt_protocol)
		cJSON_AddStringToObject(o, "mqtt", s->mqtt_protocol);
	bool ok = cJSON_PrintPreallocated(o, buf, (int)size, 0);
	cJSON_Delete(o);
	return ok;
}

void telemetry_offline(const char *board_id, char *buf, size_t size)
{
	snprintf(buf, size, "{\"online\":false,\"board\":\"%s\"}", board_id);
}
