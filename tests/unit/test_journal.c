/* test_journal.c - the on-disk journal of unconfirmed publishes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"

#include "check.h"

static char root[256];

static void path_in(char *out, size_t len, const char *sub)
{
	snprintf(out, len, "%s/%s", root, sub);
}

static void write_file(const char *dir, const char *content)
{
	char path[1024];
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(content, f);
	fclose(f);
}

static long file_size(const char *dir)
{
	char path[1024];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static char *read_file(const char *dir)
{
	char path[1024];
	static char buf[65536];
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static bool entry_is(const struct journal *j, size_t idx, const char *topic,
		     const char *payload, bool retain)
{
	struct journal_entry e;
	if (!journal_pending_at(j, idx, &e))
		return false;
	return strcmp(e.topic, topic) == 0 && e.len == strlen(payload) &&
	       memcmp(e.payload, payload, e.len) == 0 && e.retain == retain &&
	       e.qos == 1;
}

static void test_missing_dir_created(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "a/b/c");
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	struct stat st;
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(j && journal_pending_count(j) == 0);
	journal_close(j);

	/* A regular file where the directory should be: a clear failure. */
	char file[512];
	path_in(file, sizeof file, "plainfile");
	FILE *f = fopen(file, "w");
	if (f)
		fclose(f);
	char under[600];
	snprintf(under, sizeof under, "%s/sub", file);
	CHECK(journal_open("") == NULL);
	journal_close(NULL); /* no-op */
}

/* Nothing pending is ever dropped because the disk refuses: a journal
 * that cannot be written keeps its entries in memory, says it is not
 * durable, and writes them once it can. */
static void test_unwritable(void)
{
	char dir[512], file[600];
	path_in(dir, sizeof dir, "later");
	snprintf(file, sizeof file, "%s", dir);
	FILE *f = fopen(file, "w"); /* a file where the directory should be */
	if (f)
		fclose(f);
	struct journal *j = journal_open(dir);
	CHECK(j != NULL && !journal_is_durable(j));
	if (!j)
		return;
	uint64_t seq = 0;
	CHECK(!journal_add(j, "wb/acks/crisis", "{\"a\":1}", 7, 1, true, &seq));
	CHECK(seq > 0 && journal_pending_count(j) == 1);
	CHECK(!journal_retry(j) && !journal_is_durable(j));
	/* The disk comes back: the pending entry reaches it. */
	unlink(file);
	CHECK(journal_retry(j) && journal_is_durable(j));
	CHECK(journal_pending_count(j) == 1);
	journal_close(j);
	j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 1 && journal_is_durable(j));
	CHECK(j && entry_is(j, 0, "wb/acks/crisis", "{\"a\":1}", true));
	journal_close(j);
}

/* A journal of a later version is neither understood nor erased. */
static void test_newer_version(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "newer");
	const char *content = "{\"op\":\"version\",\"version\":2}\n{\"op\":\"frob\"}\n";
	write_file(dir, content);
	struct journal *j = journal_open(dir);
	CHECK(j != NULL && !journal_is_durable(j) && !journal_retry(j));
	CHECK(j && !journal_add(j, "wb/acks/x", "p", 1, 1, true, NULL));
	CHECK(j && journal_pending_count(j) == 1);  /* kept in memory */
	journal_close(j);
	CHECK(strcmp(read_file(dir), content) == 0);
	/* A version 1 file says so on its first line. */
	path_in(dir, sizeof dir, "v1");
	j = journal_open(dir);
	journal_close(j);
	CHECK(strncmp(read_file(dir), "{\"op\":\"version\",\"version\":1}\n", 30) == 0);
}

/* Superseding writes the new add before the old one's done: a write torn
 * inside the done record still leaves the new entry whole. */
static void test_supersede_order(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "order");
	struct journal *j = journal_open(dir);
	CHECK(j && journal_add(j, "wb/acks/c", "old", 3, 1, true, NULL));
	CHECK(j && journal_add(j, "wb/acks/c", "new", 3, 1, true, NULL));
	journal_close(j);
	const char *txt = read_file(dir);
	const char *add = strstr(txt, "\"payload\":\"new\""), *done = strstr(txt, "\"done\"");
	CHECK(add && done && add < done);
	/* Tear the file inside that done record: the new entry survives. */
	char torn[4096];
	snprintf(torn, sizeof torn, "%.*s", (int)(done - txt + 5), txt);
	write_file(dir, torn);
	j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 1 && entry_is(j, 0, "wb/acks/c", "new", true));
	journal_close(j);
}

/* Records this code cannot read are kept aside, not erased. */
static void test_unreadable_kept(void)
{
	char dir[512], cmd[700];
	path_in(dir, sizeof dir, "bad");
	write_file(dir, "{\"op\":\"add\",\"seq\":1,\"topic\":\"t/a\",\"qos\":1,"
		   "\"retain\":true,\"payload\":\"p\"}\nGARBAGE 42\n");
	struct journal *j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 1 && journal_is_durable(j));
	journal_close(j);
	snprintf(cmd, sizeof cmd, "grep -q 'GARBAGE 42' %s/%s.*.bad", dir, JOURNAL_FILE);
	CHECK(system(cmd) == 0);
}

static void test_add_done_reopen(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "reopen");
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	if (!j)
		return;
	uint64_t s1 = 0, s2 = 0, s3 = 0;
	CHECK(journal_add(j, "wb/acks/crisis", "{\"a\":1}", 7, 1, true, &s1));
	CHECK(journal_add(j, "wb/escalations/x", "esc \"q\"\n", 8, 1, false, &s2));
	CHECK(journal_add(j, "wb/acks/flood:web", "", 0, 1, true, &s3));
	CHECK(s1 > 0 && s2 > s1 && s3 > s2);
	CHECK(journal_pending_count(j) == 3);
	CHECK(journal_done(j, s1));
	CHECK(!journal_done(j, s1));        /* twice: unknown now */
	CHECK(!journal_done(j, 12345));
	CHECK(journal_pending_count(j) == 2);
	/* Readable with cat: one JSON object per line. */
	CHECK(strstr(read_file(dir), "\"op\":\"done\"") != NULL);
	journal_close(j);

	j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 2);
	CHECK(j && entry_is(j, 0, "wb/escalations/x", "esc \"q\"\n", false));
	CHECK(j && entry_is(j, 1, "wb/acks/flood:web", "", true));
	struct journal_entry e;
	CHECK(j && journal_pending_at(j, 0, &e) && e.seq == s2);
	CHECK(j && !journal_pending_at(j, 2, &e));
	/* Compacted on open: no done records left. */
	CHECK(strstr(read_file(dir), "\"done\"") == NULL);
	uint64_t s4 = 0;
	CHECK(j && journal_add(j, "wb/acks/open:web", "x", 1, 1, true, &s4));
	CHECK(s4 > s3);
	journal_close(j);
}

static void test_binary_payload(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "binary");
	static const unsigned char bin[] = { 'a', 0, 0xff, '\n', 0x80, 'z' };
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	if (!j)
		return;
	CHECK(journal_add(j, "wb/bin", bin, sizeof bin, 1, false, NULL));
	journal_close(j);
	j = journal_open(dir);
	struct journal_entry e;
	CHECK(j && journal_pending_at(j, 0, &e) && e.len == sizeof bin &&
	      memcmp(e.payload, bin, sizeof bin) == 0);
	journal_close(j);
}

static void test_supersede(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "supersede");
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	if (!j)
		return;
	uint64_t a, b, c;
	CHECK(journal_add(j, "wb/acks/x", "ack", 3, 1, true, &a));
	CHECK(journal_add(j, "wb/acks/y", "ack", 3, 1, true, &c));
	CHECK(journal_add(j, "wb/acks/x", "", 0, 1, true, &b));
	/* Only the last retained value of a topic is worth sending. */
	CHECK(journal_pending_count(j) == 2);
	CHECK(entry_is(j, 0, "wb/acks/y", "ack", true));
	CHECK(entry_is(j, 1, "wb/acks/x", "", true));
	CHECK(!journal_done(j, a));         /* superseded: already gone */
	journal_close(j);
	j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 2);
	CHECK(j && entry_is(j, 1, "wb/acks/x", "", true));
	journal_close(j);
}

static void test_compaction_bounded(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "compact");
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	if (!j)
		return;
	uint64_t keep;
	CHECK(journal_add(j, "wb/acks/keep", "{\"k\":1}", 7, 1, true, &keep));
	long max_size = 0;
	bool all_ok = true;
	for (int i = 0; i < 3000; i++) {
		char topic[64], payload[64];
		uint64_t seq;
		snprintf(topic, sizeof topic, "wb/acks/breach:c%d", i);
		snprintf(payload, sizeof payload, "{\"alarm\":\"breach:c%d\"}", i);
		all_ok &= journal_add(j, topic, payload, strlen(payload), 1, true, &seq);
		all_ok &= journal_done(j, seq);
		long sz = file_size(dir);
		if (sz > max_size)
			max_size = sz;
	}
	CHECK(all_ok);
	CHECK(journal_pending_count(j) == 1);
	/* 3000 add+done pairs would be ~300 KB appended; compaction keeps
	 * it to the slack (64 records of < 120 bytes). */
	CHECK(max_size < 16 * 1024);
	CHECK((long)journal_file_size(j) == file_size(dir));
	journal_close(j);
	j = journal_open(dir);
	CHECK(j && journal_pending_count(j) == 1 &&
	      entry_is(j, 0, "wb/acks/keep", "{\"k\":1}", true));
	journal_close(j);
}

#define ADD(seq, topic) "{\"op\":\"add\",\"seq\":" #seq ",\"topic\":\"" topic \
	"\",\"qos\":1,\"retain\":true,\"payload\":\"p\"}\n"

/* Files as a crash or an operator may leave them. */
static const struct {
	const char *name;
	const char *content;
	const char *topics[4];  /* pending afterwards, in order */
	const char *log;        /* expected in the log, or NULL */
} damaged[] = {
	{ "torn last line", ADD(1, "t/a") ADD(2, "t/b") "{\"op\":\"add\",\"seq\":3,\"top",
	  { "t/a", "t/b" }, ":3: torn last record ignored" },
	{ "torn done", ADD(1, "t/a") ADD(2, "t/b") "{\"op\":\"done\",\"se",
	  { "t/a", "t/b" }, NULL },
	{ "garbage in the middle", ADD(1, "t/a") "\x01\x02 not json at all\n" ADD(2, "t/b"),
	  { "t/a", "t/b" }, ":2: unreadable record skipped" },
	{ "done of unknown seq", ADD(1, "t/a") "{\"op\":\"done\",\"seq\":99}\n",
	  { "t/a" }, NULL },
	{ "done removes", ADD(1, "t/a") ADD(2, "t/b") "{\"op\":\"done\",\"seq\":1}\n",
	  { "t/b" }, NULL },
	{ "bad qos skipped", "{\"op\":\"add\",\"seq\":1,\"topic\":\"t/q\",\"qos\":7,"
	  "\"retain\":true,\"payload\":\"p\"}\n" ADD(2, "t/b"), { "t/b" }, NULL },
	{ "bad hex skipped", "{\"op\":\"add\",\"seq\":1,\"topic\":\"t/h\",\"qos\":1,"
	  "\"retain\":false,\"payload_hex\":\"abc\"}\n" ADD(2, "t/b"), { "t/b" }, NULL },
	{ "missing seq skipped", "{\"op\":\"add\",\"topic\":\"t/s\",\"qos\":1,"
	  "\"retain\":false,\"payload\":\"p\"}\n" ADD(2, "t/b"), { "t/b" }, NULL },
	{ "duplicate seq keeps first", ADD(1, "t/a") ADD(1, "t/z"), { "t/a" }, NULL },
	{ "blank lines", "\n\n" ADD(5, "t/a") "\n", { "t/a" }, NULL },
	{ "empty file", "", { NULL }, NULL },
};

/* journal_open with stderr captured into log (the log's one line each). */
static struct journal *open_logged(const char *dir, char *log, size_t len)
{
	char path[300];
	snprintf(path, sizeof path, "%s/stderr.txt", root);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	log_set_level(LOG_WARN);
	struct journal *j = journal_open(dir);
	log_set_level(LOG_ERROR);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(log, 1, len - 1, f) : 0;
	log[n] = '\0';
	if (f)
		fclose(f);
	return j;
}

static uint64_t max_pending_seq(const struct journal *j)
{
	uint64_t max = 0;
	struct journal_entry e;
	for (size_t k = 0; journal_pending_at(j, k, &e); k++)
		if (e.seq > max)
			max = e.seq;
	return max;
}

static void test_damaged_files(void)
{
	for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
		char dir[512], log[2048];
		snprintf(dir, sizeof dir, "%s/damaged%zu", root, i);
		write_file(dir, damaged[i].content);
		struct journal *j = open_logged(dir, log, sizeof log);
		size_t want = 0;
		while (want < 4 && damaged[i].topics[want])
			want++;
		bool ok = j && journal_pending_count(j) == want;
		for (size_t k = 0; ok && k < want; k++)
			ok = entry_is(j, k, damaged[i].topics[k], "p", true);
		if (damaged[i].log)
			ok = ok && strstr(log, damaged[i].log) != NULL;
		if (!ok)
			fprintf(stderr, "case '%s' (log: %s)\n", damaged[i].name, log);
		CHECK(ok);
		/* Rewritten whole: every line complete and readable again. */
		const char *txt = read_file(dir);
		CHECK(txt[0] == '\0' || txt[strlen(txt) - 1] == '\n');
		CHECK(strstr(txt, "not json") == NULL);
		/* No torn record kept: every line is a whole {...} object. */
		bool whole = true;
		for (const char *l = txt; *l; ) {
			const char *nl = strchr(l, '\n');
			size_t n = nl ? (size_t)(nl - l) : strlen(l);
			whole = whole && n > 1 && l[0] == '{' && l[n - 1] == '}';
			l += n + (nl != NULL);
		}
		checkf(whole, "case '%s': a line of the rewritten journal is not whole", damaged[i].name);
		uint64_t seq = 0, max = j ? max_pending_seq(j) : 0;
		CHECK(j && journal_add(j, "t/new", "p", 1, 1, false, &seq));
		CHECK(seq > max); /* never reuses a pending seq */
		journal_close(j);
		j = journal_open(dir);
		CHECK(j && journal_pending_count(j) == want + 1);
		journal_close(j);
	}
}

static void test_refuses_malformed(void)
{
	char dir[512];
	path_in(dir, sizeof dir, "malformed");
	struct journal *j = journal_open(dir);
	CHECK(j != NULL);
	if (!j)
		return;
	CHECK(!journal_add(j, "", "p", 1, 1, true, NULL));
	CHECK(!journal_add(j, "t", "p", 1, 3, true, NULL));
	CHECK(!journal_add(j, "t", NULL, 5, 1, true, NULL));
	CHECK(journal_pending_count(j) == 0);
	journal_close(j);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	snprintf(root, sizeof root, "/tmp/test_journal.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	test_missing_dir_created();
	test_unwritable();
	test_newer_version();
	test_supersede_order();
	test_unreadable_kept();
	test_add_done_reopen();
	test_binary_payload();
	test_supersede();
	test_compaction_bounded();
	test_damaged_files();
	test_refuses_malformed();

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return check_summary();
}
