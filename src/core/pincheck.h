/* pincheck.h - PIN checks on a thread of their own.
 *
 * A PIN check hashes the PIN once per lead with yescrypt or SHA-crypt,
 * deliberately slow: with 32 leads that took 0.4 s on a desktop and more
 * on a Pi, during which the board drew nothing and took no input. The
 * keypad hands the PIN to this worker instead, shows "checking..." and
 * stays responsive; the owner polls for the result (pincheck_poll) on its
 * own thread. One check at a time; the PIN is wiped from every buffer as
 * soon as it has been hashed. No SDL, no mosquitto. */
#ifndef WALLBOARD_PINCHECK_H
#define WALLBOARD_PINCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct pincheck;

/* leads must outlive the worker (the config does). NULL (logged) if the
 * thread cannot be started. */
struct pincheck *pincheck_create(const struct lead_conf *leads, size_t n_leads);
/* Waits for a check under way, then stops the thread. NULL: no-op. */
void pincheck_destroy(struct pincheck *pc);

/* Start checking pin (copied). False when a check is still under way. */
bool pincheck_start(struct pincheck *pc, const char *pin);
/* A check is under way or its result has not been taken. */
bool pincheck_busy(const struct pincheck *pc);
/* True once, when a result is ready: *lead is the lead's index, or -1. */
bool pincheck_poll(struct pincheck *pc, int *lead);

#endif
