/* test_hostile.c - the low findings of the trust review, each pinned:
 * `pin_hash=$` is refused without reading past the string (the ASan build
 * runs this); duplicate JSON keys are rejected, at any depth; a flood of
 * acks for alarms nobody shows evicts held acks with a bounded number of
 * log lines. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alarms.h"
#include "config.h"
#include "decode.h"
#include "log.h"

#include "check.h"

static void test_pin_hash_dollar(void)
{
	static const char *const bad[] = { "$", "$$", "$6", "x$6$a$b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		static struct config cfg;
		char text[128];
		config_defaults(&cfg);
		snprintf(text, sizeof text, "[lead.dana]\npin_hash = %s\n", bad[i]);
		checkf(!config_load_string(&cfg, text, "t.ini"), "pin_hash = %s refused", bad[i]);
	}
}

/* Objects of up to 16 keys are checked pair by pair, larger ones sorted:
 * a duplicate is found at either size, wherever the pair sits, and keys
 * that share a prefix are no duplicates. */
static void test_duplicate_keys_sizes(void)
{
	static const int sizes[] = { 2, 3, 15, 16, 17, 40 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int n = sizes[k];
		/* dup: -1 none, else the key n-1 repeats key dup */
		for (int dup = -1; dup < n - 1; dup++) {
			char json[2048] = "{";
			size_t len = 1;
			for (int i = 0; i < n; i++) {
				int name = i == n - 1 && dup >= 0 ? dup : i;
				len += (size_t)snprintf(json + len, sizeof json - len, "%s\"x%d\":%d",
							i ? "," : "", name, i);
			}
			snprintf(json + len, sizeof json - len, "}");
			static struct msg m;
			char err[160];
			bool ok = decode_message("wb", "wb/complaints/c1", json, strlen(json), &m, err,
						 sizeof err);
			bool said = strstr(err, "duplicate key") != NULL;
			checkf(said == (dup >= 0), "%d keys, duplicate of %d: %s", n, dup, err);
			if (dup >= 0)
				checkf(!ok, "%d keys, duplicate of %d refused", n, dup);
		}
	}
}

static void test_duplicate_keys(void)
{
	static const struct {
		const char *topic, *json;
		bool ok;
	} rows[] = {
		{ "wb/complaints/c1", "{\"channel\":\"web\",\"text\":\"\",\"opened_at\":1}", true },
		{ "wb/complaints/c1",
		  "{\"channel\":\"web\",\"channel\":\"x\",\"text\":\"\",\"opened_at\":1}", false },
		{ "wb/acks/crisis", "{\"by\":\"dana\",\"at\":1,\"by\":\"mallory\"}", false },
		{ "wb/crisis", "{\"active\":true,\"title\":\"t\",\"contacts\":[{\"name\":\"a\","
		  "\"name\":\"b\"}]}", false },
		{ "wb/crisis", "{\"active\":true,\"title\":\"t\",\"contacts\":[{\"name\":\"a\"},"
		  "{\"name\":\"b\"}]}", true },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		static struct msg m;
		char err[160];
		bool ok = decode_message("wb", rows[i].topic, rows[i].json, strlen(rows[i].json),
					 &m, err, sizeof err);
		checkf(ok == rows[i].ok, "%s: decoded %d (%s)", rows[i].json, ok, err);
		if (!rows[i].ok)
			checkf(strstr(err, "duplicate key") != NULL, "reason names it: %s", err);
	}
	test_duplicate_keys_sizes();
}

/* Counts the lines written to stderr while fn runs. */
static int stderr_lines(void (*fn)(void))
{
	char path[] = "/tmp/wb-hostile.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	int lines = 0;
	char buf[4096];
	ssize_t n;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	unlink(path);
	return lines;
}

static void flood_held_acks(void)
{
	struct alarms_options o = {
		.prefix = "wb", .board_id = "b", .snooze_s = 900, .escalate_after_s = 300,
		.flood_threshold = 5, .linger_s = 10,
	};
	struct alarms *a = alarms_init(&o);
	log_set_level(LOG_WARN);
	for (int i = 0; i < ALARMS_HELD_ACKS + 5000; i++) {
		struct msg_ack ack = { .by = "x", .at = 1795425120, .until = 1795426020 };
		snprintf(ack.alarm, sizeof ack.alarm, "breach:nobody-%d", i);
		alarms_apply_ack(a, &ack, 1795425120);
	}
	log_set_level(LOG_ERROR);
	alarms_destroy(a);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_pin_hash_dollar();
	test_duplicate_keys();
	int lines = stderr_lines(flood_held_acks);
	checkf(lines > 0 && lines <= 16, "5,000 evictions of held acks: %d log lines", lines);
	return check_summary();
}
