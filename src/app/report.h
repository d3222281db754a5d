/* report.h - what the board says about itself: the state dump
 * (--dump-state), the retained status JSON (telemetry.h), the line for
 * `systemctl status`, the figures at exit, a screenshot to a file. */
#ifndef WALLBOARD_REPORT_H
#define WALLBOARD_REPORT_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* The state as of the last frame to cfg->dump_state. */
void report_dump(struct app *app, int64_t now, uint32_t ticks);

/* The status JSON when due (status_every) or wanted at once, while
 * connected. */
void report_status(struct app *app, int64_t now, uint32_t ticks);

/* One line for `systemctl status`, when somebody reads it. */
void report_service_status(struct app *app, int64_t now);

/* The board's own figures, once, at exit (scripts/bench.sh reads them). */
void report_figures(struct app *app);

/* The frame drawn as PNG to path; false (logged) when it failed. */
bool report_screenshot(struct app *app, const char *path);

#endif
