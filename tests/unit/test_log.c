/* test_log.c - a log line stays one line whatever it quotes: a newline in
 * a customer's name or an ack's "by" must not forge a line of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#include "check.h"

int main(void)
{
	static const struct {
		const char *quoted, *shown;
	} rows[] = {
		{ "dana", "dana" },
		{ "dana\n2026-11-29T10:00:00Z error [app] forged",
		  "dana?2026-11-29T10:00:00Z error [app] forged" },
		{ "a\rb", "a?b" },
		{ "\x1b[2Jx", "?[2Jx" },
		{ "tab\there", "tab?here" },
		{ "del\x7f", "del?" },
		{ "נועה כהן", "נועה כהן" },
	};
	char path[] = "/tmp/wb-log.XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(STDERR_FILENO);
	if (fd < 0 || saved < 0 || dup2(fd, STDERR_FILENO) < 0)
		return 2;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		log_warn("test", "by \"%s\"", rows[i].quoted);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	FILE *f = fopen(path, "r");
	char line[512];
	size_t n = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (n < sizeof rows / sizeof rows[0]) {
			char want[256];
			snprintf(want, sizeof want, "[test] by \"%s\"\n", rows[n].shown);
			checkf(strstr(line, want) != NULL, "line %zu: %s", n, line);
		}
		n++;
	}
	checkf(n == sizeof rows / sizeof rows[0], "%zu lines for %zu messages", n,
	       sizeof rows / sizeof rows[0]);
	if (f)
		fclose(f);
	unlink(path);
	return check_summary();
}
