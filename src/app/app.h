/* app.h - the board process: window, loop, and the wiring of the data path
 * mqtt -> decode -> model -> alarms -> render.
 *
 * One thread owns SDL and the model. The MQTT client runs on its own
 * thread and wakes this one when its queue becomes non-empty (or, while
 * this one holds a stream for its next frame, when that frame is due).
 * The loop blocks until the nearest deadline (a visible timer tick, a
 * flash toggle, a liveness check, a screenshot) or an event: in
 * SDL_WaitEventTimeout on X11 and Wayland, elsewhere in poll() on an
 * eventfd and the input devices (loopwait.h, inputwait.h), where SDL's
 * wait would poll every millisecond. It draws at most once per pass and
 * only when something changed. */
#ifndef WALLBOARD_APP_H
#define WALLBOARD_APP_H

#include "acksig.h"
#include "config.h"

struct app;

/* key: the site's ack key (acksig.h), or NULL when acks are unsigned;
 * copied. */
struct app *app_init(const struct config *cfg, const struct acksig_key *key);
void app_destroy(struct app *app);

/* Runs until quit (window closed, SIGINT/SIGTERM, or after the headless
 * screenshot). Returns the process exit status. */
/* The command line, kept for a remote "reload" (the same flags and
 * --config file read again). cfg given to app_init must stay writable:
 * a reload copies the new settings over it. */
void app_set_args(struct app *app, int argc, char **argv);

int app_run(struct app *app);

/* After app_run: a remote "reload" changed a setting taken at start, and
 * the caller should run the board again with the same command line. */
bool app_restart_wanted(const struct app *app);

#endif
