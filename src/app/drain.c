/* drain.c - see drain.h. */
#include "drain.h"

#include <SDL.h>

#include "appstate.h"
#include "log.h"
#include "util.h"

/* Events taken from the MQTT queue per loop pass: enough to keep up with
 * a flood, few enough that a frame is never held back for long. */
#define DRAIN_BATCH 4096

/* A command (commands.h) or a message for the board (ingest.h). */
static void apply_message(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	struct command_effect fx;
	if (commands_handle(app->commands, ev, now, &fx)) {
		app->dirty |= fx.redraw;
		app->state_changed |= fx.state;
		app->model_changed |= fx.model;
		if (fx.restart)
			app->restart = app->quit = true;
		return;
	}
	enum ingest_result r = ingest_message(app->ingest, ev->topic, ev->payload,
					      ev->payload_len, ev->retained, now);
	/* applied, or only the rejection counter changed: it is on screen */
	app->dirty = app->state_changed = true;
	if (r == INGEST_APPLIED)
		app->model_changed = true;
}

/* Connected, or the queue dropped messages: everything held is
 * unconfirmed until the retained replay that follows refreshes it. */
static void replay_begins(struct app *app)
{
	model_resync_begin(app->model);
	producers_resync_begin(app->producers);
	app->replay_start_ms = SDL_GetTicks();
	app->replaying = true;
	app->model_changed = true;
}

/* The sync marker came back: the retained replay is all in. */
static void replay_ends(struct app *app, int64_t now)
{
	app->counters.replay_ms = SDL_GetTicks() - app->replay_start_ms;
	app->replaying = false;
	if (app->live.synced) {      /* a replay taken again (mqtt_replay) */
		app->counters.replays++;
		log_info("app", "replay taken again: %zu complaints, %zu timers held",
			 model_complaint_count(app->model), model_timer_count(app->model));
	} else {
		size_t dropped = model_resync_end(app->model);
		producers_resync_end(app->producers);
		app->counters.resyncs++;
		app->counters.resync_dropped += dropped;
		app->model_changed = true;
		liveness_synced(&app->live);
		log_info("app", "in sync with the broker: %zu complaints held, %zu "
			 "dropped as removed while away",
			 model_complaint_count(app->model), dropped);
	}
	struct feeds_effect fx = { 0 };
	feeds_after_replay(&app->feeds, now, &fx);
	app->status_wanted |= fx.status_now; /* the band: redrawn by the caller */
	/* Live now, not at the next periodic check: the echo of this
	 * link usually came back before the marker did. Due from this
	 * pass's start, so checked in this pass however long it took (a
	 * replay taken to its marker: 20-30 ms), and the full wall's frame
	 * is drawn live, not a frame after it. */
	app->next_live_check_ms = app->last_drain_ms;
}

static void handle_event(struct app *app, const struct mqtt_event *ev, int64_t now)
{
	switch (ev->kind) {
	case MQTT_EV_CONNECTED:
		replay_begins(app);
		liveness_connected(&app->live);
		app->status.connected = true;
		delivery_connected(app->delivery); /* acks waiting in the journal */
		break;
	case MQTT_EV_RESYNC:
		replay_begins(app);
		liveness_resync(&app->live);
		log_warn("app", "messages were dropped: not live until the board has "
			 "taken the broker's state again");
		break;
	case MQTT_EV_SYNCED:
		replay_ends(app, now);
		break;
	case MQTT_EV_DISCONNECTED:
		liveness_disconnected(&app->live);
		app->status.connected = false;
		app->replaying = false;
		break;
	case MQTT_EV_MESSAGE:
		apply_message(app, ev, now);
		return;
	case MQTT_EV_PUBLISHED:
		delivery_confirmed(app->delivery, ev->mid, ev->reason);
		app->state_changed = true;
		return;
	}
	app->dirty = app->state_changed = true;
}

/* While the broker writes a retained replay the network thread must read
 * as fast as it can: what it does not take in time, mosquitto drops
 * (README, "The broker"). On a small board the main thread decoding each
 * message as it comes competes with it (and with the broker) for the
 * cores, and every empty->non-empty queue costs a wake-up. So while a
 * replay runs the main thread takes the queue in batches, every
 * REPLAY_DRAIN_MS (appstate.h; at 300,000 messages a second that is 30,000 events,
 * well inside the queue's bound). */
/* A batch, once started, is taken whole (DRAIN_BATCH per loop pass). */
static bool replay_hold(const struct app *app, uint32_t ticks)
{
	return app->replaying && !app->drain_backlog &&
	       (int32_t)(ticks - app->last_drain_ms) < REPLAY_DRAIN_MS;
}

/* The replay's end, its marker, is queued: the broker has stopped
 * writing it, so it is taken at once (the marker wakes the loop,
 * mqtt_wakes_again), up to the marker in one pass, and the next frame
 * is the full wall. It waited for the next batch, 65-115 ms, and then
 * for DRAIN_BATCH's slices with a frame of part of it between them
 * (10 ms at 1080p). What is queued before the marker is the replay,
 * within the queue's bound (MQTT_QUEUE_MAX_EVENTS). */
static bool replay_in(const struct app *app)
{
	return app->replaying && mqtt_sync_queued(app->mqtt);
}

/* For the frame's log line (--verbose): how late the board took its
 * changes, so a change that sat in the socket or the queue (the network
 * thread's batches, mqtt_hold) reads as the board's own delay, apart
 * from the pace's hold that follows. */
static void note_taken(struct app *app, int64_t age, uint32_t ticks)
{
	uint32_t late = age > 0 && age < 60000 ? (uint32_t)age : 0;
	if (late > app->taken_late_ms)
		app->taken_late_ms = late;
	app->last_taken_ms = ticks;
}

bool drain_events(struct app *app, int64_t now)
{
	size_t total = 0, n;
	uint32_t ticks = SDL_GetTicks();
	bool to_marker = replay_in(app);
	if (!to_marker && replay_hold(app, ticks))
		return false;
	app->last_drain_ms = ticks;
	/* What the messages make dirty is held for the pace, not drawn at
	 * once: a stream of them must not become a stream of frames. */
	bool was_dirty = app->dirty;
	app->dirty = false;
	int64_t mono = util_mono_ms();
	while ((total < DRAIN_BATCH || (to_marker && app->replaying)) &&
	       (n = mqtt_poll(app->mqtt, app->events, POLL_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			/* when it arrived: it may have waited in the queue (mqtt_hold) */
			bool message = app->events[i].kind == MQTT_EV_MESSAGE;
			int64_t age = message ? mono - app->events[i].rx_ms : 0;
			handle_event(app, &app->events[i], now);
			mqtt_event_release(&app->events[i]);
			/* each change counted: the pace tells a burst by them */
			uint32_t at = ticks - (uint32_t)(age > 0 && age < 60000 ? age : 0);
			if (app->dirty) {
				pace_change(&app->pace, at);
				note_taken(app, age, ticks);
			}
			else if (message)
				pace_message(&app->pace, at);
			app->dirty = false;
		}
		total += n;
	}
	app->dirty = was_dirty;
	app->drain_backlog = total >= DRAIN_BATCH;
	return app->drain_backlog;
}
