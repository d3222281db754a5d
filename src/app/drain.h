/* drain.h - the network thread's events into the board, once per loop
 * pass: connects, resyncs and the sync marker (liveness, the model's
 * resync), messages (ingest.h) and commands (commands.h), confirmed
 * publishes (delivery.h). What messages change is held for the pace
 * (pace.h), not drawn at once. */
#ifndef WALLBOARD_DRAIN_H
#define WALLBOARD_DRAIN_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* Takes a batch from the MQTT queue (none while a retained replay's
 * batch is not due); true when events remain in it. */
bool drain_events(struct app *app, int64_t now);

#endif
