/* fuzz_journal.c - libFuzzer target for the ack journal's loader.
 *
 * Input: the whole content of acks.journal, as a crash, a full disk or a
 * hand edit may leave it. The file is written into a private directory
 * (on /dev/shm when there is one: the journal fsyncs) and opened. Besides
 * memory errors it checks the promises of journal.h: opening never fails
 * for a readable file, every pending entry is well-formed, and reopening
 * the compacted file gives the same pending entries. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_journal: broken promise: %s\n", what);
		abort();
	}
}

static char dir[64];
static char path[128];

static void setup(void)
{
	log_set_level(LOG_ERROR); /* unreadable records are the normal case */
	snprintf(dir, sizeof dir, "%s/wb-fuzz-journal.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	require(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		setup();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	require(fd >= 0, "create");
	require(write(fd, data, size) == (ssize_t)size, "write");
	close(fd);

	struct journal *j = journal_open(dir);
	require(j != NULL, "open failed on a readable file");
	size_t n = journal_pending_count(j);
	require(n <= JOURNAL_MAX_PENDING, "pending bound");
	uint64_t *seqs = calloc(n ? n : 1, sizeof *seqs);
	for (size_t i = 0; i < n; i++) {
		struct journal_entry e;
		require(journal_pending_at(j, i, &e), "pending_at");
		require(e.seq > 0 && e.topic && e.topic[0], "entry");
		require(strlen(e.topic) <= JOURNAL_MAX_TOPIC, "topic size");
		require(e.len <= JOURNAL_MAX_PAYLOAD && e.qos >= 0 && e.qos <= 2, "fields");
		seqs[i] = e.seq;
	}
	journal_close(j);

	/* The compacted file reads back as the same pending set. */
	j = journal_open(dir);
	require(j != NULL && journal_pending_count(j) == n, "reopen");
	for (size_t i = 0; i < n; i++) {
		struct journal_entry e;
		require(journal_pending_at(j, i, &e) && e.seq == seqs[i], "reopen order");
	}
	journal_close(j);
	free(seqs);
	return 0;
}
