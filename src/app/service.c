/* service.c - see service.h. */
#include "service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "log.h"

#define STATUS_MAX 256

struct service {
	bool notify;              /* NOTIFY_SOCKET was set */
	bool ready;
	uint32_t watchdog_ms;     /* half of WatchdogSec; 0: none */
	uint32_t next_kick;
	bool kicked;
	char status[STATUS_MAX];
};

struct service *service_create(void)
{
	struct service *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->notify = getenv("NOTIFY_SOCKET") != NULL;
	uint64_t usec = 0;
	/* 0 = no watchdog, or not for this PID (WATCHDOG_PID). */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
		s->watchdog_ms = (uint32_t)(usec / 2000);
		log_info("service", "systemd watchdog: kicking every %u ms", s->watchdog_ms);
	}
	return s;
}

void service_destroy(struct service *s)
{
	if (!s)
		return;
	if (s->notify)
		sd_notify(0, "STOPPING=1");
	free(s);
}

void service_ready(struct service *s)
{
	if (!s || s->ready)
		return;
	s->ready = true;
	if (s->notify && sd_notify(0, "READY=1") < 0)
		log_warn("service", "sd_notify READY=1 failed");
}

bool service_wants_status(const struct service *s)
{
	return s && s->notify;
}

void service_status(struct service *s, const char *text)
{
	if (!s || !s->notify || !strcmp(s->status, text))
		return;
	snprintf(s->status, sizeof s->status, "%s", text);
	sd_notifyf(0, "STATUS=%s", s->status);
}

void service_tick(struct service *s, uint32_t ticks)
{
	if (!s || !s->watchdog_ms)
		return;
	if (s->kicked && (int32_t)(ticks - s->next_kick) < 0)
		return;
	sd_notify(0, "WATCHDOG=1");
	s->kicked = true;
	s->next_kick = ticks + s->watchdog_ms;
}

int32_t service_wait_ms(const struct service *s, uint32_t ticks)
{
	if (!s || !s->watchdog_ms)
		return INT32_MAX;
	if (!s->kicked)
		return 0;
	int32_t d = (int32_t)(s->next_kick - ticks);
	return d < 0 ? 0 : d;
}

uint32_t service_watchdog_ms(const struct service *s)
{
	return s ? s->watchdog_ms : 0;
}
