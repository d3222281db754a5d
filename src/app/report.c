/* report.c - see report.h. */
#include "report.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "appstate.h"
#include "heap.h"
#include "log.h"
#include "pngfile.h"

/* One line for `systemctl status`: live or not, and the counts. Not
 * composed when nobody reads it: the totals walk every complaint, and
 * this runs twice a second. */
void report_service_status(struct app *app, int64_t now)
{
	if (!service_wants_status(app->service))
		return;
	struct channel_stats t;
	char line[256], since[16] = "";
	model_totals(app->model, now, app->cfg->at_risk_s, &t);
	size_t firing = 0;
	for (size_t i = 0; i < alarms_count(app->alarms); i++) {
		struct alarm_view v;
		firing += alarms_get(app->alarms, i, &v) && v.state == ALARM_FIRING;
	}
	if (!app->status.live) {
		time_t t0 = (time_t)app->status.not_live_since;
		struct tm tm;
		localtime_r(&t0, &tm);
		strftime(since, sizeof since, " since %H:%M:%S", &tm);
	}
	snprintf(line, sizeof line, "%s%s; %u open, %u breached, %zu alarms firing; "
		 "%llu messages, %llu rejected", app->status.live ? "live" : "NOT live",
		 since, t.open, t.breached, firing,
		 (unsigned long long)app->counters.received,
		 (unsigned long long)app->counters.rejected);
	service_status(app->service, line);
}

static double quantile_ms(const struct histo *h, double q, double unit_ms)
{
	return (double)histo_quantile(h, q) * unit_ms;
}

/* The board's own figures, once, at exit (scripts/bench.sh reads them). */
void report_figures(struct app *app)
{
	const struct histo *dt = &app->draw_ticks_us, *dc = &app->draw_change_us;
	const struct histo *li = &app->lat_isolated, *ls = &app->lat_stream;
	log_info("app", "figures: %llu frames; drawing, no change by message: %llu frames, "
		 "median %.2f ms, p99 %.2f ms; with changes: %llu frames, median %.2f ms, "
		 "p99 %.2f ms",
		 (unsigned long long)app->counters.frames, (unsigned long long)dt->count,
		 quantile_ms(dt, 0.5, 0.001), quantile_ms(dt, 0.99, 0.001),
		 (unsigned long long)dc->count, quantile_ms(dc, 0.5, 0.001),
		 quantile_ms(dc, 0.99, 0.001));
	log_info("app", "figures: change to screen: isolated %llu, median %.0f ms, p99 %.0f ms, "
		 "max %llu ms; streamed %llu, median %.0f ms, p99 %.0f ms, max %llu ms",
		 (unsigned long long)li->count, quantile_ms(li, 0.5, 1), quantile_ms(li, 0.99, 1),
		 (unsigned long long)li->max, (unsigned long long)ls->count,
		 quantile_ms(ls, 0.5, 1), quantile_ms(ls, 0.99, 1),
		 (unsigned long long)ls->max);
	struct text_stats ts;
	text_get_stats(app->text, &ts);
	log_info("app", "figures: text cache %u lines, %.1f MB; %llu lines rasterised, "
		 "%llu cache hits; %zu complaints held",
		 ts.cached, (double)ts.cached_bytes / 1048576.0,
		 (unsigned long long)ts.rasterised, (unsigned long long)ts.cache_hits,
		 model_complaint_count(app->model));
	struct heap_stats heap;
	heap_get_stats(&heap);
	log_info("app", "figures: RSS %.1f MB, heap in use %.1f MB, held %.1f MB",
		 telemetry_rss_kb() / 1024.0, heap.in_use_kb / 1024.0, heap.held_kb / 1024.0);
}

/* The counters the other modules keep, as of now. */
static void gather_counters(struct app *app, const struct delivery_stats *ds)
{
	struct mqtt_stats ms;
	mqtt_get_stats(app->mqtt, &ms);
	app->counters.dropped = ms.dropped + ms.oversized;
	app->counters.journal_pending = ds->pending;
	app->counters.published = ds->sent + app->escalations_sent;
	app->counters.publish_too_big = ms.too_big;
	app->counters.confirmed = ds->confirmed;
	app->counters.sound_plays = sound_plays(app->sound);
	app->counters.acks_refused = alarms_acks_refused(app->alarms);
	app->counters.over_capacity = model_over_capacity(app->model);
	app->counters.acks_undelivered = ds->undelivered;
	app->counters.puback_refused = ds->refused;
}

/* Whether SDL's audio thread runs now: an open device wakes it ~47
 * times a second, so a board that holds it while quiet is a defect. */
static const char *sound_device_name(const struct sound *s)
{
	if (!s)
		return NULL;
	switch (sound_device_state(s)) {
	case SOUND_DEVICE_UNKNOWN:
		return "not probed";
	case SOUND_DEVICE_NONE:
		return "none";
	case SOUND_DEVICE_FOUND:
		break;
	}
	return sound_device_held(s) ? "open" : "closed";
}

void report_dump(struct app *app, int64_t now, uint32_t ticks)
{
	struct delivery_stats ds;
	struct ackui_state ui;
	delivery_get_stats(app->delivery, &ds);
	ackui_get_state(app->ui, &ui);
	gather_counters(app, &ds);
	struct display_state disp;
	display_get_state(app->display, &disp);
	SDL_Rect tiles[MODEL_MAX_CHANNELS];
	struct dump_input in = {
		.model = app->model,
		.status = &app->status,
		.alarms = app->alarms,
		.surge = app->surge,
		.steps = app->steps,
		.n_steps = app->n_steps,
		.ui = &ui,
		.rows = app->rows,
		.n_rows = app->n_rows,
		.render = app->render,
		.page = &app->page,
		.redrawn = app->redrawn,
		.n_redrawn = app->n_redrawn,
		.redrawn_change = app->redrawn_change,
		.n_redrawn_change = app->n_redrawn_change,
		.change_frame = app->change_frame,
		.tiles = tiles,
		.n_tiles = render_tiles(app->render, tiles, MODEL_MAX_CHANNELS),
		.counters = &app->counters,
		.board_id = app->cfg->board_id,
		.now = now,
		.at_risk_s = app->cfg->at_risk_s,
		.synced = app->live.synced,
		.producers = app->producers,
		.completeness = &app->feeds.completeness,
		.acks_durable = ds.journal_ok,
		.ack_refusal = ds.refusal,
		.display = &disp,
		.protocol = mqtt_protocol_name(app->mqtt),
		.sound_device = sound_device_name(app->sound),
		.seen = app->seen,
	};
	render_region(app->render, RENDER_REGION_HEADER, &in.header);
	dump_write(app->cfg->dump_state, &in);
	app->last_dump_ms = ticks;
	app->state_changed = false;
}

bool report_screenshot(struct app *app, const char *path)
{
	int w, h;
	if (SDL_GetRendererOutputSize(app->renderer, &w, &h) != 0)
		return false;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	bool ok = s && SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888,
					    s->pixels, s->pitch) == 0 &&
		  pngfile_save(path, s->pixels, w, h, s->pitch);
	if (!ok)
		log_error("app", "screenshot %s: %s", path, SDL_GetError());
	else
		log_info("app", "screenshot %s (%dx%d)", path, w, h);
	SDL_FreeSurface(s);
	return ok;
}

/* The retained status JSON (telemetry.h): every status_every and at
 * once when `live` changes. Only while connected: statuses queued during
 * an outage would all arrive stale after it. */
void report_status(struct app *app, int64_t now, uint32_t ticks)
{
	bool due = (int32_t)(ticks - app->next_status_ms) >= 0;
	if ((!due && !app->status_wanted) || !mqtt_is_connected(app->mqtt))
		return;
	struct mqtt_stats ms;
	struct delivery_stats ds;
	mqtt_get_stats(app->mqtt, &ms);
	delivery_get_stats(app->delivery, &ds);
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(app->renderer, &w, &h);
	struct telemetry_sample s = {
		.board_id = app->cfg->board_id,
		.now = now,
		.started_at = app->started_at,
		.live = app->status.live,
		.renderer = app->renderer_name,
		.video_driver = SDL_GetCurrentVideoDriver(),
		.width = w,
		.height = h,
		.received = app->counters.received,
		.rejected = app->counters.rejected,
		.dropped = ms.dropped + ms.oversized,
		.last_message_at = ingest_last_message_at(app->ingest),
		.journal_pending = ds.pending,
		.broker_error = ms.last_error,
		.mqtt_protocol = mqtt_protocol_name(app->mqtt),
	};
	static const char *const verdicts[] = { "unchecked", "complete", "incomplete" };
	const struct completeness *c = &app->feeds.completeness;
	s.completeness = verdicts[c->state];
	s.held = c->last.held_open;
	s.announced = c->last.announced_open;
	s.held_timers = c->last.held_sla;
	s.announced_timers = c->last.announced_sla;
	s.incomplete_reason = completeness_why_name(feeds_why(&app->feeds));
	char json[1536];
	if (telemetry_format(app->telemetry, &s, ticks, json, sizeof json))
		mqtt_publish(app->mqtt, app->status_topic, json, strlen(json), 1, true, NULL);
	app->status_wanted = false;
	app->next_status_ms = ticks + (uint32_t)app->cfg->status_every_s * 1000u;
}
