/* fontfile.c - see fontfile.h. */
#include "fontfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* stdio's buffer size: as many reads as before, minus the seeks */
#define WINDOW 4096

struct fontfile {
	int fd;
	Sint64 size;
	Sint64 pos;
	Sint64 win_at;          /* the file offset of win[0] */
	size_t win_len;
	unsigned char win[WINDOW];
};

static struct fontfile *ff_of(SDL_RWops *rw)
{
	return rw->hidden.unknown.data1;
}

static Sint64 ff_size(SDL_RWops *rw)
{
	return ff_of(rw)->size;
}

static Sint64 ff_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
	struct fontfile *f = ff_of(rw);
	Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? f->pos : f->size;
	if ((whence != RW_SEEK_SET && whence != RW_SEEK_CUR && whence != RW_SEEK_END) ||
	    (offset < 0 && base + offset < 0))
		return SDL_SetError("fontfile: bad seek (%d, %lld)", whence, (long long)offset);
	f->pos = base + offset;
	return f->pos;
}

/* pread until n bytes or the end of the file; -1 on an error. */
static ssize_t read_at(int fd, void *dst, size_t n, Sint64 at)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)dst + got, n - got, (off_t)(at + (Sint64)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static size_t ff_read(SDL_RWops *rw, void *ptr, size_t size, size_t maxnum)
{
	struct fontfile *f = ff_of(rw);
	if (size == 0 || maxnum > SIZE_MAX / size)
		return 0;
	size_t want = size * maxnum, done = 0;
	while (done < want) {
		Sint64 in = f->pos - f->win_at;
		if (in >= 0 && in < (Sint64)f->win_len) {
			size_t n = f->win_len - (size_t)in;
			n = n < want - done ? n : want - done;
			memcpy((char *)ptr + done, f->win + in, n);
			done += n;
			f->pos += (Sint64)n;
			continue;
		}
		if (want - done >= WINDOW) { /* big: straight into the caller's */
			ssize_t r = read_at(f->fd, (char *)ptr + done, want - done, f->pos);
			if (r < 0)
				SDL_SetError("fontfile: %s", strerror(errno));
			if (r > 0) {
				done += (size_t)r;
				f->pos += r;
			}
			break;
		}
		ssize_t r = read_at(f->fd, f->win, WINDOW, f->pos);
		if (r < 0)
			SDL_SetError("fontfile: %s", strerror(errno));
		if (r <= 0)
			break;
		f->win_at = f->pos;
		f->win_len = (size_t)r;
	}
	return done / size;
}

static size_t ff_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
	(void)rw;
	(void)ptr;
	(void)size;
	(void)num;
	SDL_SetError("fontfile: read-only");
	return 0;
}

static int ff_close(SDL_RWops *rw)
{
	if (!rw)
		return 0;
	struct fontfile *f = ff_of(rw);
	int rc = f && close(f->fd) != 0 ? SDL_SetError("fontfile: %s", strerror(errno)) : 0;
	free(f);
	SDL_FreeRW(rw);
	return rc;
}

SDL_RWops *fontfile_open(const char *path)
{
	struct stat st;
	struct fontfile *f = calloc(1, sizeof *f);
	SDL_RWops *rw = f ? SDL_AllocRW() : NULL;
	int fd = rw ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || fstat(fd, &st) != 0) {
		SDL_SetError("%s: %s", path, !f || !rw ? "out of memory" : strerror(errno));
		if (fd >= 0)
			close(fd);
		free(f);
		if (rw)
			SDL_FreeRW(rw);
		return NULL;
	}
	f->fd = fd;
	f->size = st.st_size;
	f->win_at = -1;
	rw->size = ff_size;
	rw->seek = ff_seek;
	rw->read = ff_read;
	rw->write = ff_write;
	rw->close = ff_close;
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->hidden.unknown.data1 = f;
	return rw;
}
