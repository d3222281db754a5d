/* backlight.c - see backlight.h. */
#include "backlight.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

struct backlight {
	char path[1024];     /* .../brightness */
	long max, original, current;
};

static bool read_long(const char *path, long *out)
{
	FILE *f = fopen(path, "r");
	bool ok = f && fscanf(f, "%ld", out) == 1;
	if (f)
		fclose(f);
	return ok;
}

static bool write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok;
}

struct backlight *backlight_open(void)
{
	const char *sys = getenv("WB_SYSFS");
	char dir[256], p[1024];
	snprintf(dir, sizeof dir, "%.200s/class/backlight", sys && *sys ? sys : "/sys");
	DIR *d = opendir(dir);
	if (!d) {
		log_info("backlight", "no %s: night dims with a veil", dir);
		return NULL;
	}
	struct backlight *b = NULL;
	struct dirent *e;
	while (!b && (e = readdir(d))) {
		long max, cur;
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%.255s/max_brightness", dir, e->d_name);
		if (!read_long(p, &max) || max <= 0)
			continue;
		snprintf(p, sizeof p, "%s/%.255s/brightness", dir, e->d_name);
		if (!read_long(p, &cur) || access(p, W_OK) != 0) {
			log_warn("backlight", "%s is not writable for this user: night "
				 "dims with a veil", p);
			continue;
		}
		if ((b = calloc(1, sizeof *b))) {
			snprintf(b->path, sizeof b->path, "%s", p);
			b->max = max;
			b->original = b->current = cur;
			log_info("backlight", "%s (max %ld)", p, max);
		}
	}
	closedir(d);
	return b;
}

void backlight_close(struct backlight *b)
{
	if (!b)
		return;
	if (b->current != b->original)
		write_long(b->path, b->original);
	free(b);
}

bool backlight_set(struct backlight *b, int percent)
{
	if (!b)
		return false;
	long v = b->max * (percent < 0 ? 0 : percent > 100 ? 100 : percent) / 100;
	if (v < 1)
		v = 1;
	if (v == b->current)
		return true;
	if (!write_long(b->path, v)) {
		log_warn("backlight", "cannot write %s", b->path);
		return false;
	}
	b->current = v;
	return true;
}
