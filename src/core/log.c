/* log.c - see log.h. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static enum log_level max_level = LOG_INFO;
static pthread_once_t journal_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_error[256];

void log_last_error(char *buf, size_t size)
{
	pthread_mutex_lock(&last_lock);
	snprintf(buf, size, "%s", last_error);
	pthread_mutex_unlock(&last_lock);
}
static bool to_journal;

/* Under systemd, stderr is a stream into the journal and JOURNAL_STREAM
 * names it ("device:inode"). Then each line starts with its syslog
 * priority ("<3>" error ... "<7>" debug), which journald strips and
 * keeps, so `journalctl -p warning` works; the journal stamps the time
 * itself. Compared with stderr, not merely present: a child whose stderr
 * was redirected inherits the variable but not the stream. */
static void detect_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		     fstat(2, &st) == 0 && (unsigned long long)st.st_dev == dev &&
		     (unsigned long long)st.st_ino == ino;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

bool log_enabled(enum log_level level)
{
	return level <= max_level;
}

void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	if (level > max_level)
		return;

	pthread_once(&journal_once, detect_journal);
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);

	/* One fprintf per line keeps lines from two threads unmixed. */
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* Messages quote what producers and other boards sent (a customer's
	 * name, an ack's "by"): a newline there would forge a log line of its
	 * own, an escape sequence would drive the terminal. Shown as '?'. */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (level == LOG_ERROR) {
		pthread_mutex_lock(&last_lock);
		snprintf(last_error, sizeof last_error, "%.255s", line);
		pthread_mutex_unlock(&last_lock);
	}
	static const int syslog_priority[] = { 3, 4, 6, 7 };
	if (to_journal)
		fprintf(stderr, "<%d>%s [%s] %s\n", syslog_priority[level],
			names[level], tag, line);
	else
		fprintf(stderr, "%s %s [%s] %s\n", stamp, names[level], tag, line);
}
