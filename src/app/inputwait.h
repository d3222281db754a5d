/* inputwait.h - sleeping until input arrives where SDL cannot.
 *
 * On X11 and Wayland SDL_WaitEventTimeout sleeps on the display's socket.
 * On KMS/DRM it polls (SDL reads /dev/input only when pumped), so the
 * loop used to wake 20 times a second to pump. Here the loop polls the
 * same evdev devices itself: each open of an event device gets its own
 * copy of the events, so reading ours does not take SDL's; a readable
 * device (or a device plugged in: inotify on /dev/input) wakes the loop,
 * which then pumps SDL. */
#ifndef WALLBOARD_INPUTWAIT_H
#define WALLBOARD_INPUTWAIT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define INPUTWAIT_MAX 16 /* devices watched; more fall back to polling */

struct inputwait;

/* The devices under dir ("/dev/input"); NULL when none can be opened
 * (the caller then polls as before). */
struct inputwait *inputwait_create(const char *dir);
void inputwait_destroy(struct inputwait *w);

/* The fds to poll for POLLIN, up to max; returns how many. */
size_t inputwait_fds(const struct inputwait *w, struct pollfd *fds, size_t max);

/* After poll(): drains our copy of what arrived and opens devices
 * plugged in. True when input (or a new device) arrived. */
bool inputwait_done(struct inputwait *w, const struct pollfd *fds, size_t n);

/* Devices watched now. */
size_t inputwait_devices(const struct inputwait *w);

#endif
