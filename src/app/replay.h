/* replay.h - input events from a script, for tests and demos.
 *
 * `--input-script FILE` drives the board's real input path (the same SDL
 * events a touch screen, mouse or keypad makes) at set times, so an
 * integration test can acknowledge an alarm on a headless board. Lines:
 *   SECONDS key NAME      a key press and release (SDL key name: Down,
 *                         Return, Escape, Backspace, 7, Keypad 7, ...)
 *   SECONDS type DIGITS   one key press per digit
 *   SECONDS click X Y     left mouse button down and up at X,Y
 *   SECONDS tap X Y       a finger down and up at X,Y (pixels)
 *   SECONDS quit          ask the board to quit
 *   SECONDS wait FILE     pause until FILE exists (a test creates it when
 *                         the board's state dump shows what the input is
 *                         for, e.g. the alarm); later lines count from then
 * SECONDS counts from the board's start, or from the end of the last wait;
 * '#' starts a comment. */
#ifndef WALLBOARD_REPLAY_H
#define WALLBOARD_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

struct replay;

/* Reads and checks the whole script; NULL (logged with FILE:LINE) on error. */
struct replay *replay_load(const char *path);
void replay_destroy(struct replay *r);

/* Push the SDL events of every line due at elapsed_ms (since start).
 * w and h: the output size, for tap coordinates. Returns true if any. */
bool replay_push_due(struct replay *r, uint32_t elapsed_ms, int w, int h);

/* Elapsed ms of the next line, or UINT32_MAX when done. */
uint32_t replay_next_ms(const struct replay *r);

#endif
