/* loopwait.h - how long the loop sleeps, and what wakes it: the nearest
 * deadline, the network thread (one wake-up per empty->non-empty queue),
 * or input, which is handled here (keys, touches, window events).
 *
 * X11 and Wayland let SDL block in SDL_WaitEventTimeout; elsewhere SDL
 * 2.26 polls every millisecond there, so the loop sleeps in poll() on its
 * own eventfd and the input devices (inputwait.h), and looks for input
 * every so often only where it cannot open them (README, "Architecture"). */
#ifndef WALLBOARD_LOOPWAIT_H
#define WALLBOARD_LOOPWAIT_H

#include <stdint.h>

struct app;

/* The network thread's wake-up (mqtt_options.wake); ctx is the app. */
void loopwait_wake(void *ctx);

/* Milliseconds from ticks to deadline, 0 when already passed. Deadlines
 * are compared as signed differences so SDL_GetTicks wrapping after 49
 * days does not stall the board. */
int32_t loopwait_until(uint32_t deadline, uint32_t ticks);

/* Milliseconds until the next frame drawn anyway (a tick, the flash, a
 * change not by message): held changes by message go with it. */
int32_t loopwait_planned_frame_ms(const struct app *app, uint32_t ticks);

/* Holds a stream's messages in the network thread until its next frame
 * (mqtt_hold). */
void loopwait_hold(struct app *app, uint32_t ticks);

/* How long the loop may sleep: until the nearest deadline (shot_at: the
 * headless screenshot's). */
int loopwait_timeout(const struct app *app, uint32_t ticks, uint32_t shot_at);

/* Sleeps at most timeout ms, then handles the input and window events
 * that came. */
void loopwait_sleep(struct app *app, int timeout, int64_t now);

#endif
