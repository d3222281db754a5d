/* alerting.c - see alerting.h. */
#include "alerting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appstate.h"
#include "declare.h"
#include "log.h"
#include "util.h"

/* Surge counts are saved at most this often (and at exit). */
#define SURGE_SAVE_S 30

/* The crisis topic set by a lead on this board: it goes out like an ack
 * (journaled, retained, QoS 1, again on every connect until the broker
 * has it) and is shown here at once, link or not. */
static void send_crisis(struct app *app, char *payload, int64_t now)
{
	char topic[CONFIG_STR];
	snprintf(topic, sizeof topic, "%s/crisis", app->cfg->prefix);
	delivery_send(app->delivery, topic, payload, strlen(payload), 1, true, true);
	ingest_local(app->ingest, topic, payload, strlen(payload), now);
	free(payload);
	app->dirty = app->state_changed = app->model_changed = true;
}

/* A lead ended a crisis a board declared (ackui, declare.h). */
static bool end_crisis(struct app *app, int64_t now)
{
	struct ackui_end e;
	if (!ackui_take_end(app->ui, &e))
		return false;
	struct declare_end r = { .by = e.by, .board = app->cfg->board_id, .since = e.since,
				 .now = now };
	char *payload = declare_end_payload(&r, app->key);
	if (payload)
		send_crisis(app, payload, now);
	return payload != NULL;
}

/* A lead declared a crisis from a surge alarm (ackui, declare.h), or
 * ended one. */
bool alerting_declare(struct app *app, int64_t now)
{
	struct ackui_declare d;
	bool ended = end_crisis(app, now);
	if (!ackui_take_declare(app->ui, &d))
		return ended;
	struct declare_request r = {
		.by = d.by, .board = app->cfg->board_id, .alarm = d.alarm, .channel = d.channel,
		.count = d.count, .drill = d.drill, .now = now,
	};
	struct surge_view v;
	for (size_t i = 0; surge_get(app->surge, i, &v); i++)
		if (strcmp(v.channel, d.channel) == 0) {
			r.count = v.count;
			r.usual = v.usual;
		}
	char *payload = declare_payload(app->cfg, &r, app->key);
	if (!payload)
		return ended;
	send_crisis(app, payload, now);
	return true;
}

static void send_crisis_outbox(struct app *app)
{
	const struct crisis_out *o = &app->crisis_out;
	while (crisis_take_out(app->crisis, &app->crisis_out)) {
		delivery_send(app->delivery, o->topic, o->payload, o->len, o->qos, o->retain,
			      o->durable);
		app->state_changed = true;
	}
}

static void save_surge(struct app *app, int64_t now)
{
	if (surge_dirty(app->surge) && now - app->surge_saved >= SURGE_SAVE_S) {
		surge_save(app->surge, app->surge_path, now);
		app->surge_saved = now;
	}
}

static void send_outbox(struct app *app)
{
	size_t n;
	while ((n = alarms_take_outbox(app->alarms, app->outbox, OUTBOX_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct alarm_out *o = &app->outbox[i];
			if (!o->retain && !app->status.live) {
				/* An escalation made in the pass liveness went: it would
				 * wait in libmosquitto's queue and arrive late. */
				log_warn("app", "%s not sent: data not live", o->topic);
				continue;
			}
			if (o->expiry_s) /* escalations: never late (mqtt.h) */
				app->escalations_sent += mqtt_publish_expiring(
					app->mqtt, o->topic, o->payload, o->len, o->qos,
					o->expiry_s, NULL);
			else
				delivery_send(app->delivery, o->topic, o->payload, o->len,
					      o->qos, o->retain, o->durable);
		}
		app->state_changed = true;
	}
}

/* Alarms follow the model: recomputed when it changed or when time alone
 * changes one (a snooze ends, an escalation is due). Each run walks every
 * channel's breaches. */
void alerting_run(struct app *app, int64_t now, uint32_t ticks)
{
	bool surge_changed = surge_update(app->surge, now);
	/* the crisis first: the "no step taken" alarm reads its steps */
	crisis_update(app->crisis, app->model, now);
	if (alarms_update(app->alarms, app->model, now) || surge_changed) {
		app->state_changed = true;
		/* by message: drawn at the messages' pace; by time: now */
		if (app->model_changed)
			pace_change(&app->pace, ticks);
		else
			app->dirty = true;
	}
	app->alarms_deadline = alarms_next_deadline(app->alarms, now);
	app->model_changed = false;
	app->alarms_run_ms = ticks;
}

/* Acks waiting in the journal: retried when due; a change in what may be
 * lost is on screen (the header's trouble). */
static void tick_delivery(struct app *app)
{
	struct delivery_stats before, after;
	delivery_get_stats(app->delivery, &before);
	app->delivery_next_ms = delivery_tick(app->delivery, util_mono_ms());
	delivery_get_stats(app->delivery, &after);
	if (before.undelivered != after.undelivered || before.journal_ok != after.journal_ok)
		app->dirty = app->state_changed = true;
}

/* By time at once; by message at most every ALARMS_EVERY_MS, and before
 * any frame (app_run): a stream of 100 messages a second walked the
 * breaches 100 times a second, a fifth of the board's CPU. */
void alerting_update(struct app *app, int64_t now, uint32_t ticks)
{
	/* a tick (here or from another board) moves "no step taken" */
	if (crisis_generation(app->crisis) != app->crisis_gen) {
		app->crisis_gen = crisis_generation(app->crisis);
		app->model_changed = app->dirty = app->state_changed = true;
	}
	if ((app->alarms_deadline && now >= app->alarms_deadline) ||
	    (app->model_changed && (int32_t)(ticks - app->alarms_run_ms) >= ALARMS_EVERY_MS))
		alerting_run(app, now, ticks);
	send_outbox(app);
	send_crisis_outbox(app);
	save_surge(app, now);
	tick_delivery(app);
	if (alertsound_update(&app->sounding, app->alarms, app->sound, app->cfg, now, ticks))
		app->state_changed = true;
	/* the device is closed in app_run (sound_idle), not here: the close
	 * waits on SDL's audio threads, up to 0.1 s, even amid a replay */
}
