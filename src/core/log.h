/* log.h - one-line log messages tagged by module, to stderr.
 *
 * Every module logs where a thing failed, with its own tag ("mqtt",
 * "decode", ...). Nothing here allocates, so logging is safe on any
 * thread and in out-of-memory paths. */
#ifndef WALLBOARD_LOG_H
#define WALLBOARD_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Messages above this level are dropped. Default LOG_INFO. */
void log_set_level(enum log_level level);

/* The last error logged (without time and tag), "" if none: a caller that
 * must report why something failed elsewhere (a remote reload) reads it. */
void log_last_error(char *buf, size_t size);

/* Whether messages of this level are written: to skip building a costly
 * one (a debug line per frame) that would be dropped. */
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(tag, ...) log_msg(LOG_ERROR, tag, __VA_ARGS__)
#define log_warn(tag, ...)  log_msg(LOG_WARN, tag, __VA_ARGS__)
#define log_info(tag, ...)  log_msg(LOG_INFO, tag, __VA_ARGS__)
#define log_debug(tag, ...) log_msg(LOG_DEBUG, tag, __VA_ARGS__)

#endif
