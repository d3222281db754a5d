/* service.h - the board as a systemd service (Type=notify).
 *
 * READY=1 once the first frame is on screen, WATCHDOG=1 from the main
 * loop every half WatchdogSec (a hung loop stops sending and systemd
 * restarts the board), STATUS= with what an operator wants to read in
 * `systemctl status`. Outside systemd (no NOTIFY_SOCKET) every call is a
 * cheap no-op. */
#ifndef WALLBOARD_SERVICE_H
#define WALLBOARD_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

struct service;

struct service *service_create(void);
void service_destroy(struct service *s);

/* Tells systemd the board is up (once; later calls do nothing). */
void service_ready(struct service *s);
/* Sends STATUS=text when it differs from the last one sent. */
void service_status(struct service *s, const char *text);
/* Whether a status line would reach systemd at all (NOTIFY_SOCKET set):
 * callers skip composing one otherwise. */
bool service_wants_status(const struct service *s);
/* Sends WATCHDOG=1 when due. Call every loop pass. */
void service_tick(struct service *s, uint32_t ticks);
/* Milliseconds until the next WATCHDOG=1 is due; INT32_MAX without one. */
int32_t service_wait_ms(const struct service *s, uint32_t ticks);
/* The watchdog interval systemd asked for, 0 when none. */
uint32_t service_watchdog_ms(const struct service *s);

#endif
