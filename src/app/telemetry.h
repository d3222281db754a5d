/* telemetry.h - the board's retained status for whoever watches a fleet.
 *
 * <prefix>/boards/<id>/status is a JSON object (contract v1.1): the
 * board publishes it retained every [remote] status_every (30 s) and when
 * `live` changes; its Last Will (and a clean stop) replaces it with
 * {"online":false,...}. Frame times are kept here in a ring so the
 * percentiles cost nothing per frame. Reads /proc and /sys only: no SDL,
 * no MQTT (report.c publishes what telemetry_format() writes). */
#ifndef WALLBOARD_TELEMETRY_H
#define WALLBOARD_TELEMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct telemetry;

struct telemetry_sample {
	const char *board_id;
	int64_t now, started_at;      /* epoch s */
	bool live;
	const char *renderer, *video_driver;
	int width, height;
	uint64_t received, rejected, dropped;
	int64_t last_message_at;      /* epoch s, 0: none yet */
	uint64_t journal_pending;
	const char *broker_error;     /* last connect error in words, or "" */
	/* completeness.h's verdict: "unchecked", "complete" or "incomplete";
	 * while incomplete the counts and why (incomplete_reason:
	 * "broker_queue_limit" or "limits.max_complaints"). */
	const char *completeness;
	int64_t held, announced, held_timers, announced_timers;
	const char *incomplete_reason;
	const char *mqtt_protocol;    /* "5", "3.1.1", NULL: not connected yet */
};

struct telemetry *telemetry_create(void);
void telemetry_destroy(struct telemetry *t);

/* One drawn frame took ms (draw + present); at ticks_ms. */
void telemetry_frame(struct telemetry *t, double ms, uint32_t ticks_ms);

/* The status JSON into buf (NUL-terminated); false when it does not fit. */
bool telemetry_format(struct telemetry *t, const struct telemetry_sample *s,
		      uint32_t ticks_ms, char *buf, size_t size);

/* Resident set size of this process in KiB (/proc/self/status), -1 if
 * unknown. */
long telemetry_rss_kb(void);

/* The SoC temperature in degrees C from the first thermal zone under
 * $WB_SYSFS (default /sys)/class/thermal; false when there is none. */
bool telemetry_soc_temp(double *celsius);

/* The offline payload for the Last Will and a clean stop. */
void telemetry_offline(const char *board_id, char *buf, size_t size);

#endif
