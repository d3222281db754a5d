/* journal.c - see journal.h. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "util.h"

/* Compact at run time once the file holds this many more records than
 * twice the pending ones: the file stays O(pending), and rewrites are
 * rare (one per ~COMPACT_SLACK/2 add+done pairs). */
#define COMPACT_SLACK 64
/* The first line of every rewritten file. A file of a later version is
 * not understood and therefore never rewritten (that would erase it). */
#define JOURNAL_VERSION 1

struct jentry {
	uint64_t seq;
	char *topic;
	unsigned char *payload;
	size_t len;
	int qos;
	bool retain;
};

struct journal {
	char *path;           /* <dir>/acks.journal */
	char *tmp_path;       /* <dir>/acks.journal.tmp */
	char *dir;
	int fd;               /* O_APPEND; -1 after a write error */
	uint64_t size;        /* bytes in the file */
	size_t records;       /* lines in the file */
	uint64_t next_seq;
	struct jentry *pending;
	size_t n, cap;
	bool durable;         /* the last write reached the disk */
	size_t unreadable;    /* records skipped while loading */
	bool newer;           /* the file has a version this code does not know */
	bool can_rewrite;     /* everything on disk was read: a rewrite loses
	                         nothing (false: the file exists but could not
	                         be read; it is then never written) */
};

static void entry_free(struct jentry *e)
{
	free(e->topic);
	free(e->payload);
}

/* ---- file helpers ---- */

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

static bool fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* mkdir -p with mode 0700: the journal holds who acked what. */
static bool mkdir_p(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return false;
	bool ok = true;
	for (char *s = p + 1; ok; s++) {
		bool end = *s == '\0';
		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			ok = false;
		if (end)
			break;
		*s = '/';
	}
	struct stat st;
	if (ok && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
		errno = ENOTDIR;
		ok = false;
	}
	free(p);
	return ok;
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* ---- record format ---- */

static const char hexdig[] = "0123456789abcdef";

static bool add_payload(cJSON *o, const unsigned char *p, size_t len)
{
	bool hex = memchr(p, 0, len) != NULL; /* cJSON strings end at NUL */
	char *s = malloc(hex ? 2 * len + 1 : len + 1);
	if (!s)
		return false;
	if (hex) {
		for (size_t i = 0; i < len; i++) {
			s[2 * i] = hexdig[p[i] >> 4];
			s[2 * i + 1] = hexdig[p[i] & 15];
		}
		s[2 * len] = '\0';
	} else {
		memcpy(s, p, len);
		s[len] = '\0';
	}
	bool ok = cJSON_AddStringToObject(o, hex ? "payload_hex" : "payload", s) != NULL;
	free(s);
	return ok;
}

/* One line, '\n'-terminated, malloc'd; NULL on OOM. */
static char *format_add(const struct jentry *e)
{
	cJSON *o = cJSON_CreateObject();
	char *line = NULL;
	if (o && cJSON_AddStringToObject(o, "op", "add") &&
	    cJSON_AddNumberToObject(o, "seq", (double)e->seq) &&
	    cJSON_AddStringToObject(o, "topic", e->topic) &&
	    cJSON_AddNumberToObject(o, "qos", e->qos) &&
	    cJSON_AddBoolToObject(o, "retain", e->retain) &&
	    add_payload(o, e->payload, e->len))
		line = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!line)
		return NULL;
	size_t n = strlen(line);
	char *nl = realloc(line, n + 2);
	if (!nl) {
		free(line);
		return NULL;
	}
	nl[n] = '\n';
	nl[n + 1] = '\0';
	return nl;
}

static int format_done(uint64_t seq, char *buf, size_t len)
{
	return snprintf(buf, len, "{\"op\":\"done\",\"seq\":%llu}\n",
			(unsigned long long)seq);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool parse_payload(const cJSON *o, struct jentry *e)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "payload");
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "payload_hex");
	if (cJSON_IsString(s)) {
		e->len = strlen(s->valuestring);
		e->payload = malloc(e->len + 1);
		if (e->payload)
			memcpy(e->payload, s->valuestring, e->len + 1);
		return e->payload && e->len <= JOURNAL_MAX_PAYLOAD;
	}
	if (!cJSON_IsString(h) || strlen(h->valuestring) % 2)
		return false;
	e->len = strlen(h->valuestring) / 2;
	e->payload = malloc(e->len + 1);
	if (!e->payload || e->len > JOURNAL_MAX_PAYLOAD)
		return false;
	for (size_t i = 0; i < e->len; i++) {
		int hi = hexval(h->valuestring[2 * i]);
		int lo = hexval(h->valuestring[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		e->payload[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool parse_seq(const cJSON *o, uint64_t *seq)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "seq");
	/* 2^53: beyond, a double no longer holds every integer. */
	if (!cJSON_IsNumber(s) || s->valuedouble < 1 ||
	    s->valuedouble > 9007199254740992.0 ||
	    s->valuedouble != (double)(uint64_t)s->valuedouble)
		return false;
	*seq = (uint64_t)s->valuedouble;
	return true;
}

/* Fills e from an "add" record; false for anything malformed. e is
 * zeroed first and owns what it holds even on failure. */
static bool parse_add(const cJSON *o, struct jentry *e)
{
	memset(e, 0, sizeof *e);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "topic");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(o, "qos");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "retain");
	if (!parse_seq(o, &e->seq) || !cJSON_IsString(t) || !cJSON_IsBool(r) ||
	    !cJSON_IsNumber(q) || q->valueint < 0 || q->valueint > 2 ||
	    q->valuedouble != q->valueint || t->valuestring[0] == '\0' ||
	    strlen(t->valuestring) > JOURNAL_MAX_TOPIC)
		return false;
	e->qos = q->valueint;
	e->retain = cJSON_IsTrue(r);
	e->topic = strdup(t->valuestring);
	return e->topic && parse_payload(o, e);
}

/* ---- pending set ---- */

static ssize_t find_seq(const struct journal *j, uint64_t seq)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->pending[i].seq == seq)
			return (ssize_t)i;
	return -1;
}

static void remove_at(struct journal *j, size_t i)
{
	entry_free(&j->pending[i]);
	memmove(&j->pending[i], &j->pending[i + 1],
		(j->n - i - 1) * sizeof j->pending[0]);
	j->n--;
}

/* Index of a pending retained entry that a new retained publish to topic
 * makes pointless, or -1. At most one exists: each add removes its own. */
static ssize_t find_superseded(const struct journal *j, const char *topic, bool retain)
{
	if (!retain)
		return -1;
	for (size_t i = 0; i < j->n; i++)
		if (j->pending[i].retain && strcmp(j->pending[i].topic, topic) == 0)
			return (ssize_t)i;
	return -1;
}

static bool push_entry(struct journal *j, const struct jentry *e)
{
	if (!UTIL_ARRAY_ROOM(j->pending, j->n, j->cap, 16, SIZE_MAX))
		return false;
	j->pending[j->n++] = *e;
	return true;
}

/* ---- loading ---- */

static void load_add(struct journal *j, const cJSON *o, size_t lineno)
{
	struct jentry e;
	bool ok = parse_add(o, &e);
	if (!ok || find_seq(j, e.seq) >= 0 || j->n >= JOURNAL_MAX_PENDING) {
		log_warn("journal", "%s:%zu: %s add record skipped", j->path, lineno,
			 ok ? "duplicate or excess" : "unreadable");
		entry_free(&e);
		return;
	}
	ssize_t old = find_superseded(j, e.topic, e.retain);
	if (old >= 0)
		remove_at(j, (size_t)old);
	if (e.seq >= j->next_seq)
		j->next_seq = e.seq + 1;
	if (!push_entry(j, &e)) {
		log_error("journal", "out of memory loading %s", j->path);
		entry_free(&e);
	}
}

static void load_record(struct journal *j, const char *line, size_t len, size_t lineno)
{
	cJSON *o = cJSON_ParseWithLength(line, len);
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "op");
	uint64_t seq;

	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");
	if (cJSON_IsString(op) && strcmp(op->valuestring, "version") == 0 &&
	    cJSON_IsNumber(v)) {
		if (v->valuedouble != JOURNAL_VERSION) {
			log_error("journal", "%s:%zu: version %g, this board reads %d: "
				  "left untouched", j->path, lineno, v->valuedouble,
				  JOURNAL_VERSION);
			j->newer = true;
		}
	} else if (cJSON_IsString(op) && strcmp(op->valuestring, "add") == 0) {
		load_add(j, o, lineno);
	} else if (cJSON_IsString(op) && strcmp(op->valuestring, "done") == 0 &&
		   parse_seq(o, &seq)) {
		ssize_t i = find_seq(j, seq);
		if (i >= 0)
			remove_at(j, (size_t)i);
		if (seq >= j->next_seq)
			j->next_seq = seq + 1;
	} else {
		log_warn("journal", "%s:%zu: unreadable record skipped", j->path, lineno);
		j->unreadable++;
	}
	cJSON_Delete(o);
}

/* Records this code could not read may still matter to a person or a
 * later version: before the rewrite drops them, the file is kept aside
 * as acks.journal.<epoch>.bad. */
static bool keep_unreadable(struct journal *j)
{
	if (!j->unreadable)
		return true;
	char *bad = malloc(strlen(j->path) + 32);
	bool ok = bad != NULL;
	if (ok) {
		sprintf(bad, "%s.%lld.bad", j->path, (long long)time(NULL));
		ok = link(j->path, bad) == 0 || errno == EEXIST;
		if (ok)
			log_warn("journal", "%zu unreadable records: the file is kept as %s",
				 j->unreadable, bad);
		else
			log_error("journal", "cannot keep %s aside: %s", j->path,
				  strerror(errno));
	}
	free(bad);
	return ok;
}

static bool load_file(struct journal *j)
{
	FILE *f = fopen(j->path, "re");
	if (!f)
		return errno == ENOENT || errno == ENOTDIR; /* no file there (yet) */
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	while (!j->newer && (len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] != '\n') {
			/* Only the last line can lack its newline: the
			 * board died while appending it. */
			log_warn("journal", "%s:%zu: torn last record ignored",
				 j->path, lineno);
			break;
		}
		if (len > 1)
			load_record(j, line, (size_t)len - 1, lineno);
	}
	bool ok = !ferror(f) && !j->newer;
	if (ferror(f))
		log_error("journal", "%s: read error: %s", j->path, strerror(errno));
	free(line);
	fclose(f);
	return ok && keep_unreadable(j);
}

/* ---- writing ---- */

static bool open_append(struct journal *j)
{
	j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		log_error("journal", "%s: %s", j->path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(j->fd, &st) != 0) {
		close(j->fd);
		j->fd = -1;
		return false;
	}
	j->size = (uint64_t)st.st_size;
	return true;
}

static bool write_pending(const struct journal *j, int fd, uint64_t *bytes)
{
	char head[64];
	int n = snprintf(head, sizeof head, "{\"op\":\"version\",\"version\":%d}\n",
			 JOURNAL_VERSION);
	if (!write_all(fd, head, (size_t)n))
		return false;
	*bytes = (uint64_t)n;
	for (size_t i = 0; i < j->n; i++) {
		char *line = format_add(&j->pending[i]);
		bool ok = line && write_all(fd, line, strlen(line));
		if (ok)
			*bytes += strlen(line);
		free(line);
		if (!ok)
			return false;
	}
	return true;
}

/* Rewrite the file with only the pending entries. Atomic: a crash leaves
 * either the old or the new file, both complete. */
static bool compact(struct journal *j)
{
	if (!j->can_rewrite)
		return j->durable = false;
	int fd = open(j->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("journal", "%s: %s", j->tmp_path, strerror(errno));
		return false;
	}
	uint64_t bytes;
	bool ok = write_pending(j, fd, &bytes) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(j->tmp_path, j->path) != 0) {
		log_error("journal", "cannot rewrite %s: %s", j->path, strerror(errno));
		unlink(j->tmp_path);
		return j->durable = false;
	}
	if (!fsync_dir(j->dir))
		log_warn("journal", "%s: fsync of directory failed: %s", j->dir,
			 strerror(errno));
	if (j->fd >= 0)
		close(j->fd);
	j->records = j->n + 1;
	return j->durable = open_append(j);
}

/* Append whole lines and make them durable. On a failed write the file is
 * cut back to its last good size, so no half line stays in the middle. */
static bool append(struct journal *j, const char *buf, size_t len, size_t nrec)
{
	if (j->fd < 0)
		return compact(j); /* memory already holds the new state */
	if (write_all(j->fd, buf, len) && fdatasync(j->fd) == 0) {
		j->size += len;
		j->records += nrec;
		return j->durable = true;
	}
	log_error("journal", "%s: append failed: %s", j->path, strerror(errno));
	if (ftruncate(j->fd, (off_t)j->size) != 0) {
		close(j->fd);
		j->fd = -1;
	}
	return compact(j);
}

/* ---- API ---- */

static struct journal *journal_alloc(const char *dir)
{
	struct journal *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->fd = -1;
	j->next_seq = 1;
	j->dir = strdup(dir);
	j->path = path_join(dir, JOURNAL_FILE);
	j->tmp_path = path_join(dir, JOURNAL_FILE ".tmp");
	if (!j->dir || !j->path || !j->tmp_path) {
		journal_close(j);
		return NULL;
	}
	return j;
}

struct journal *journal_open(const char *dir)
{
	if (!dir || !dir[0]) {
		log_error("journal", "no state directory configured");
		return NULL;
	}
	struct journal *j = journal_alloc(dir);
	if (!j) {
		log_error("journal", "out of memory");
		return NULL;
	}
	if (!mkdir_p(dir))
		log_error("journal", "cannot create directory %s: %s", dir, strerror(errno));
	j->can_rewrite = load_file(j);
	if (!j->can_rewrite)
		log_error("journal", "%s cannot be read: it is left as it is, and acks "
			  "made now are kept in memory only", j->path);
	if (!compact(j))
		log_error("journal", "%s is not writable: acks are kept in memory and "
			  "written when it is", j->path);
	if (j->n > 0)
		log_info("journal", "%zu unconfirmed publish(es) to replay", j->n);
	return j;
}

bool journal_is_durable(const struct journal *j)
{
	return j->durable;
}

bool journal_retry(struct journal *j)
{
	if (j->durable)
		return true;
	if (!j->can_rewrite)
		return false;
	mkdir_p(j->dir);
	if (!compact(j))
		return false;
	log_info("journal", "%s is writable again: %zu pending acks are on disk", j->path,
		 j->n);
	return true;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	for (size_t i = 0; i < j->n; i++)
		entry_free(&j->pending[i]);
	free(j->pending);
	free(j->path);
	free(j->tmp_path);
	free(j->dir);
	free(j);
}

/* On failure e holds nothing. */
static bool make_entry(struct journal *j, const char *topic, const void *payload,
		       size_t len, int qos, bool retain, struct jentry *e)
{
	memset(e, 0, sizeof *e);
	e->seq = j->next_seq;
	e->qos = qos;
	e->retain = retain;
	e->len = len;
	e->topic = strdup(topic);
	e->payload = malloc(len + 1);
	if (!e->topic || !e->payload) {
		entry_free(e);
		memset(e, 0, sizeof *e);
		return false;
	}
	if (len)
		memcpy(e->payload, payload, len);
	e->payload[len] = '\0';
	return true;
}

bool journal_add(struct journal *j, const char *topic, const void *payload,
		 size_t len, int qos, bool retain, uint64_t *seq)
{
	struct jentry e;
	if (!topic || !topic[0] || strlen(topic) > JOURNAL_MAX_TOPIC ||
	    len > JOURNAL_MAX_PAYLOAD || (len && !payload) || qos < 0 || qos > 2) {
		log_error("journal", "refusing a malformed publish");
		return false;
	}
	ssize_t old = find_superseded(j, topic, retain);
	if (old < 0 && j->n >= JOURNAL_MAX_PENDING) {
		log_error("journal", "%zu publishes unconfirmed: %s not journaled",
			  j->n, topic);
		return false;
	}
	if (!make_entry(j, topic, payload, len, qos, retain, &e) || !push_entry(j, &e)) {
		entry_free(&e);
		log_error("journal", "out of memory");
		return false;
	}
	j->next_seq++;
	if (seq)
		*seq = e.seq;

	/* One write for "new add" + "old done": one fsync. The add comes
	 * first: a write torn inside the done record leaves the new entry
	 * whole, and loading it supersedes the old one by itself (the done
	 * record only saves that work). */
	char done[64] = "";
	if (old >= 0) {
		format_done(j->pending[old].seq, done, sizeof done);
		remove_at(j, (size_t)old);
	}
	char *line = format_add(&j->pending[j->n - 1]);
	size_t dl = strlen(done), ll = line ? strlen(line) : 0;
	char *buf = line ? malloc(dl + ll + 1) : NULL;
	bool ok = false;
	if (buf) {
		memcpy(buf, line, ll);
		memcpy(buf + ll, done, dl + 1);
		ok = append(j, buf, dl + ll, old >= 0 ? 2 : 1);
	}
	free(buf);
	free(line);
	if (!ok)
		log_error("journal", "publish to %s is not durable", topic);
	return ok;
}

bool journal_done(struct journal *j, uint64_t seq)
{
	ssize_t i = find_seq(j, seq);
	if (i < 0)
		return false;
	remove_at(j, (size_t)i);
	/* Rewriting instead of appending keeps the file O(pending); if the
	 * rewrite fails, the done record is appended as usual. */
	if (j->records + 1 > 2 * j->n + COMPACT_SLACK && compact(j))
		return true;
	char line[64];
	int n = format_done(seq, line, sizeof line);
	return append(j, line, (size_t)n, 1);
}

size_t journal_pending_count(const struct journal *j)
{
	return j->n;
}

bool journal_pending_at(const struct journal *j, size_t idx, struct journal_entry *out)
{
	if (idx >= j->n)
		return false;
	const struct jentry *e = &j->pending[idx];
	*out = (struct journal_entry){
		.seq = e->seq, .topic = e->topic, .payload = e->payload,
		.len = e->len, .qos = e->qos, .retain = e->retain,
	};
	return true;
}

uint64_t journal_file_size(const struct journal *j)
{
	return j->size;
}
