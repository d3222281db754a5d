/* inputwait.c - see inputwait.h. */
#include "inputwait.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "log.h"

struct inputwait {
	char dir[64];
	int notify;              /* inotify on dir, -1: none */
	int fds[INPUTWAIT_MAX];
	char names[INPUTWAIT_MAX][32];
	size_t n;
};

static bool watched(const struct inputwait *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->names[i], name))
			return true;
	return false;
}

/* Opens the event devices not yet watched. */
static void scan(struct inputwait *w)
{
	DIR *d = opendir(w->dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && w->n < INPUTWAIT_MAX) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "event", 5) || len >= sizeof w->names[0] ||
		    watched(w, e->d_name))
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue; /* not ours to read: SDL cannot either */
		w->fds[w->n] = fd;
		memcpy(w->names[w->n], e->d_name, len + 1);
		w->n++;
	}
	closedir(d);
}

static void forget(struct inputwait *w, size_t i)
{
	close(w->fds[i]);
	w->n--;
	w->fds[i] = w->fds[w->n];
	memcpy(w->names[i], w->names[w->n], sizeof w->names[i]);
}

struct inputwait *inputwait_create(const char *dir)
{
	struct inputwait *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	snprintf(w->dir, sizeof w->dir, "%s", dir);
	w->notify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->notify >= 0 && inotify_add_watch(w->notify, dir, IN_CREATE | IN_ATTRIB) < 0) {
		close(w->notify);
		w->notify = -1;
	}
	scan(w);
	if (!w->n) {
		log_info("input", "no readable device in %s: looking for input 20 times a "
			 "second", dir);
		inputwait_destroy(w);
		return NULL;
	}
	log_info("input", "sleeping until input on %zu devices in %s", w->n, dir);
	return w;
}

void inputwait_destroy(struct inputwait *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		close(w->fds[i]);
	if (w->notify >= 0)
		close(w->notify);
	free(w);
}

size_t inputwait_fds(const struct inputwait *w, struct pollfd *fds, size_t max)
{
	size_t k = 0;
	if (w && w->notify >= 0 && k < max)
		fds[k++] = (struct pollfd){ .fd = w->notify, .events = POLLIN };
	for (size_t i = 0; w && i < w->n && k < max; i++)
		fds[k++] = (struct pollfd){ .fd = w->fds[i], .events = POLLIN };
	return k;
}

/* Reads fd empty; false when the device is gone. */
static bool drain(int fd)
{
	char buf[4096];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r > 0)
			continue;
		return r == 0 ? false : errno == EAGAIN || errno == EINTR;
	}
}

bool inputwait_done(struct inputwait *w, const struct pollfd *fds, size_t n)
{
	if (!w)
		return false;
	bool input = false, rescan = false;
	for (size_t k = 0; k < n; k++) {
		if (!fds[k].revents)
			continue;
		input = true;
		if (fds[k].fd == w->notify) {
			drain(w->notify);
			rescan = true;
			continue;
		}
		for (size_t i = 0; i < w->n; i++) {
			if (w->fds[i] != fds[k].fd)
				continue;
			if ((fds[k].revents & (POLLERR | POLLHUP | POLLNVAL)) || !drain(w->fds[i]))
				forget(w, i); /* unplugged */
			break;
		}
	}
	if (rescan)
		scan(w);
	return input;
}

size_t inputwait_devices(const struct inputwait *w)
{
	return w ? w->n : 0;
}
