/* alerting.h - alarms from the model, the crisis and its playbook, the
 * surge counts, and what they send (escalations, acks, crisis reports)
 * and sound, once per loop pass. */
#ifndef WALLBOARD_ALERTING_H
#define WALLBOARD_ALERTING_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* Recomputes the alarms now (before a frame that shows a changed model). */
void alerting_run(struct app *app, int64_t now, uint32_t ticks);

/* The pass's share: alarms when due, what they send, the sound. */
void alerting_update(struct app *app, int64_t now, uint32_t ticks);

/* A crisis a lead declared on this board (ackui), sent and shown; false
 * when there was none. */
bool alerting_declare(struct app *app, int64_t now);

#endif
