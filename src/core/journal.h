/* journal.h - publishes that must not be lost, kept on disk until the
 * broker confirms them.
 *
 * libmosquitto queues QoS 1 publishes made while the broker is away, but
 * only in memory, and confirms delivery only through on_publish(mid)
 * (docs/mqtt-client.md). An ack a shift lead made during an outage
 * must survive a restart of the board too, so the app writes each such
 * publish here first (journal_add, fsync'd), hands it to MQTT, and marks
 * it done when MQTT_EV_PUBLISHED confirms its mid (journal_done). At start
 * it publishes every pending entry again (journal_pending_at), so delivery
 * is at least once: consumers de-duplicate (a retained ack is idempotent).
 * It may also feed pending acks to alarms_apply_ack() so the board shows
 * them acked before the broker is back.
 *
 * The file <dir>/acks.journal is append-only text, one record a line,
 * readable with `cat`:
 *   {"op":"add","seq":7,"topic":"wb/acks/crisis","qos":1,"retain":true,"payload":"{...}"}
 *   {"op":"done","seq":7}
 * ("payload_hex" replaces "payload" for a payload with a NUL byte). A torn
 * last line (crash mid-write) and unreadable lines are skipped with a log
 * line. On open, and whenever done records dominate, the file is rewritten
 * with only the pending entries (tmp + fsync + rename + fsync of the dir),
 * so it stays small over months.
 *
 * A new retained publish supersedes pending retained ones to the same
 * topic (only the last retained value matters to the broker), which keeps
 * the pending set bounded by the number of topics.
 *
 * Not thread-safe: one owner thread (the app's, which also drains
 * mqtt_poll()). */
#ifndef WALLBOARD_JOURNAL_H
#define WALLBOARD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_FILE         "acks.journal"
#define JOURNAL_MAX_PENDING  4096            /* journal_add refuses beyond */
#define JOURNAL_MAX_PAYLOAD  (64 * 1024)
#define JOURNAL_MAX_TOPIC    512

struct journal;

/* One pending publish. Pointers are valid until the next journal_add,
 * journal_done or journal_close. */
struct journal_entry {
	uint64_t seq;
	const char *topic;
	const void *payload;
	size_t len;
	int qos;
	bool retain;
};

/* Open (creating dir with parents, mode 0700, and the file if missing),
 * read what is pending and compact the file. NULL only without a dir or
 * memory. When the directory or file cannot be created or written
 * (read-only remount, full disk, wrong owner) the journal still holds
 * every pending entry it read, and new ones, in memory: it is then not
 * durable (journal_is_durable) until journal_retry() manages to write it.
 * A file that exists but cannot be read is never written in this run
 * (rewriting it would lose what it holds). */
struct journal *journal_open(const char *dir);

/* The last write reached the disk: acks survive a restart. */
bool journal_is_durable(const struct journal *j);
/* Not durable: try to write the whole pending set again (call every few
 * seconds). True when durable now. */
bool journal_retry(struct journal *j);
/* NULL is a no-op. Nothing is lost: pending entries stay on disk. */
void journal_close(struct journal *j);

/* Record one publish durably before it is handed to MQTT. *seq (may be
 * NULL) receives its number, increasing, never 0. Returns false (logged)
 * when it could not be made durable; the caller should still publish. */
bool journal_add(struct journal *j, const char *topic, const void *payload,
		 size_t len, int qos, bool retain, uint64_t *seq);

/* The broker confirmed seq. Unknown seqs (already done, superseded) are
 * ignored and return false. A lost done record only means one duplicate
 * publish after a restart. */
bool journal_done(struct journal *j, uint64_t seq);

size_t journal_pending_count(const struct journal *j);
/* Pending entries in the order they were added (idx < pending_count). */
bool journal_pending_at(const struct journal *j, size_t idx, struct journal_entry *out);

/* Size of the journal file in bytes, for tests and the status dump. */
uint64_t journal_file_size(const struct journal *j);

#endif
