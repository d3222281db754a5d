/* test_inputwait.c - the devices the loop sleeps on: FIFOs named like
 * event devices stand in for /dev/input/event*, in a directory of the
 * test's own. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "inputwait.h"

static char dir[64];

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void make_fifo(const char *name)
{
	char p[128];
	path_of(p, sizeof p, name);
	CHECK(mkfifo(p, 0600) == 0);
}

/* Opens name for writing (a device producing events). */
static int writer(const char *name)
{
	char p[128];
	path_of(p, sizeof p, name);
	return open(p, O_WRONLY | O_NONBLOCK);
}

/* One poll of what w watches, up to ms; true when input arrived. */
static bool wait_input(struct inputwait *w, int ms)
{
	struct pollfd fds[INPUTWAIT_MAX + 1];
	size_t n = inputwait_fds(w, fds, INPUTWAIT_MAX + 1);
	if (poll(fds, n, ms) <= 0)
		return false;
	return inputwait_done(w, fds, n);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/wb-inputwait.XXXXXX");
	if (!mkdtemp(dir))
		return 2;

	check_ctx = "no devices";
	CHECK(inputwait_create(dir) == NULL); /* the loop then polls as before */
	inputwait_destroy(NULL);

	check_ctx = "one device";
	make_fifo("event0");
	make_fifo("mouse0"); /* not an event device: not watched */
	struct inputwait *w = inputwait_create(dir);
	CHECK(w != NULL);
	CHECK_EQ(inputwait_devices(w), 1);
	CHECK(!wait_input(w, 50)); /* nothing arrives: the deadline */
	int fd = writer("event0");
	CHECK(fd >= 0);
	CHECK(write(fd, "evt", 3) == 3);
	CHECK(wait_input(w, 1000));
	CHECK(!wait_input(w, 50)); /* ours was drained: no busy loop */

	check_ctx = "plugged in";
	make_fifo("event1");
	CHECK(wait_input(w, 1000));
	CHECK_EQ(inputwait_devices(w), 2);
	int fd1 = writer("event1");
	CHECK(fd1 >= 0 && write(fd1, "e", 1) == 1);
	CHECK(wait_input(w, 1000));

	check_ctx = "unplugged";
	close(fd); /* the writer goes: read gives end of file */
	CHECK(wait_input(w, 1000));
	CHECK_EQ(inputwait_devices(w), 1);
	close(fd1);
	inputwait_destroy(w);

	char p[128];
	path_of(p, sizeof p, "event0");
	unlink(p);
	path_of(p, sizeof p, "event1");
	unlink(p);
	path_of(p, sizeof p, "mouse0");
	unlink(p);
	rmdir(dir);
	return check_summary();
}
