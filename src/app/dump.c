/* dump.c - see dump.h. The JSON shape is documented in the README. */
#include "dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "heap.h"
#include "i18n.h"
#include "kit.h"
#include "log.h"
#include "surge.h"
#include "telemetry.h"

/* Lists in the dump are capped: the file is for tests and operators, and
 * must stay small however big the backlog. */
#define DUMP_LIST_MAX 200

static cJSON *stats_json(const struct channel_stats *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "open", s->open);
	cJSON_AddNumberToObject(o, "waiting", s->waiting);
	cJSON_AddNumberToObject(o, "breached", s->breached);
	cJSON_AddNumberToObject(o, "at_risk", s->at_risk);
	cJSON_AddNumberToObject(o, "paused", s->paused);
	cJSON_AddNumberToObject(o, "oldest_waiting_since", (double)s->oldest_waiting_since);
	cJSON_AddNumberToObject(o, "next_due_at", (double)s->next_due_at);
	return o;
}

static cJSON *channels_json(const struct dump_input *in)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < model_channel_count(in->model); i++) {
		struct channel_stats s;
		model_channel_stats(in->model, i, in->now, in->at_risk_s, &s);
		cJSON *o = stats_json(&s);
		cJSON_AddStringToObject(o, "key", model_channel_key(in->model, i));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *ids_json(const struct complaint **list, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(list[i]->id));
	return arr;
}

static cJSON *rect_json(const SDL_Rect *r)
{
	int v[4] = { r->x, r->y, r->w, r->h };
	return cJSON_CreateIntArray(v, 4);
}

static const char *const state_names[] = { "firing", "acked", "cleared" };

static cJSON *rows_json(const struct dump_input *in)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < in->n_rows; i++) {
		const struct render_row *r = &in->rows[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", r->id);
		cJSON_AddStringToObject(o, "kind", r->breached ? "breached" : "due_soon");
		if (r->has_alarm)
			cJSON_AddStringToObject(o, "alarm", r->escalated ? "escalated"
							    : state_names[r->alarm]);
		cJSON_AddItemToObject(o, "row", rect_json(&r->row));
		cJSON_AddItemToObject(o, "text_box", rect_json(&r->text_box));
		cJSON_AddNumberToObject(o, "text_px", r->text_px);
		cJSON_AddBoolToObject(o, "breached", r->breached);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *page_json(const struct render_page *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "first", p ? (double)p->first : 0);
	cJSON_AddNumberToObject(o, "last", p ? (double)p->last : 0);
	cJSON_AddNumberToObject(o, "total", p ? (double)p->total : 0);
	/* what an empty breach list says: an "all calm" must be true */
	const char *note = !p || !p->empty_note ? NULL
		: p->empty_note == STR_NONE_AMONG ? "none_among_held" : "no_breaches";
	if (note)
		cJSON_AddStringToObject(o, "empty", note);
	else
		cJSON_AddNullToObject(o, "empty");
	return o;
}

static cJSON *strip_json(const struct ackui_state *ui)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; ui && i < ui->n_strip; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(ui->strip[i]));
	return arr;
}

/* The strip's "Declare crisis" buttons: {"surge:<ch>": [x, y, w, h]}. */
static cJSON *declare_json(const struct ackui_state *ui)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; ui && i < ui->n_strip && i < ACKUI_STRIP_MAX; i++)
		if (ui->declare_box[i].w > 0)
			cJSON_AddItemToObject(o, ui->strip[i], rect_json(&ui->declare_box[i]));
	return o;
}

/* The strip's lines' words after their kinds, as drawn: {"<id>":
 * "23 in 10 min"} ("": nothing drawn); whole unless `cut` lists them. */
static cJSON *labels_json(const struct ackui_state *ui)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; ui && i < ui->n_strip && i < ACKUI_STRIP_MAX; i++)
		cJSON_AddStringToObject(o, ui->strip[i], ui->label[i]);
	return o;
}

/* Where the last frame drew its regions and tiles: a test finds the
 * pixels of a label inside these boxes. */
static cJSON *layout_json(const struct dump_input *in)
{
	static const struct { enum render_region id; const char *name; } regions[] = {
		{ RENDER_REGION_HEADER, "header" }, { RENDER_REGION_TILES, "tiles" },
		{ RENDER_REGION_LIST, "list" },     { RENDER_REGION_ALARMS, "strip" },
		{ RENDER_REGION_BANNER, "banner" }, { RENDER_REGION_BAND, "band" },
	};
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; in->render && i < sizeof regions / sizeof regions[0]; i++) {
		SDL_Rect r;
		if (render_region(in->render, regions[i].id, &r))
			cJSON_AddItemToObject(o, regions[i].name, rect_json(&r));
	}
	SDL_Rect tiles[64];
	size_t n = in->render ? render_tiles(in->render, tiles, 64) : 0;
	cJSON *arr = cJSON_AddArrayToObject(o, "tile_boxes");
	for (size_t i = 0; i < n && i < model_channel_count(in->model); i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "key", model_channel_key(in->model, i));
		cJSON_AddItemToObject(t, "box", rect_json(&tiles[i]));
		const char *st = render_tile_state(in->render, i);
		cJSON_AddStringToObject(t, "state", st ? st : "");
		cJSON_AddItemToArray(arr, t);
	}
	return o;
}

static cJSON *crisis_json(const struct msg_crisis *c)
{
	if (!c)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "level", c->level);
	cJSON_AddStringToObject(o, "title", c->title);
	cJSON_AddStringToObject(o, "message", c->message);
	cJSON_AddNumberToObject(o, "since", (double)c->since);
	cJSON_AddNumberToObject(o, "playbook", (double)c->n_playbook);
	cJSON_AddNumberToObject(o, "contacts", (double)c->n_contacts);
	cJSON_AddBoolToObject(o, "drill", c->drill);
	cJSON_AddStringToObject(o, "declared_by", c->declared_by);
	return o;
}

static cJSON *rects_json(const SDL_Rect *r, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, rect_json(&r[i]));
	return arr;
}

/* The rects the last drawn frame drew again, and those of the last that
 * drew changes by message (by_message: a tick may come between), and
 * where the regions are, as [x, y, w, h]: what a change redrew. */
static cJSON *redraw_json(const struct dump_input *in)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "rects", rects_json(in->redrawn, in->n_redrawn));
	cJSON *by = cJSON_AddObjectToObject(o, "by_message");
	cJSON_AddNumberToObject(by, "frame", (double)in->change_frame);
	cJSON_AddItemToObject(by, "rects", rects_json(in->redrawn_change, in->n_redrawn_change));
	cJSON_AddItemToObject(o, "header", rect_json(&in->header));
	cJSON *tiles = cJSON_AddArrayToObject(o, "tiles");
	for (size_t i = 0; tiles && i < in->n_tiles; i++)
		cJSON_AddItemToArray(tiles, rect_json(&in->tiles[i]));
	return o;
}

static cJSON *counters_json(const struct dump_counters *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "received", (double)c->received);
	cJSON_AddNumberToObject(o, "applied", (double)c->applied);
	cJSON_AddNumberToObject(o, "rejected", (double)c->rejected);
	cJSON_AddNumberToObject(o, "rejected_fields", (double)c->rejected_fields);
	cJSON_AddNumberToObject(o, "dropped", (double)c->dropped);
	cJSON_AddNumberToObject(o, "resyncs", (double)c->resyncs);
	cJSON_AddNumberToObject(o, "resync_dropped", (double)c->resync_dropped);
	cJSON_AddNumberToObject(o, "replays", (double)c->replays);
	cJSON_AddNumberToObject(o, "replay_ms", (double)c->replay_ms);
	cJSON_AddNumberToObject(o, "frames", (double)c->frames);
	cJSON_AddNumberToObject(o, "frames_unchanged", (double)c->frames_unchanged);
	cJSON_AddNumberToObject(o, "redrawn_px", (double)c->redrawn_px);
	cJSON_AddNumberToObject(o, "layers_copied", (double)c->layers_copied);
	cJSON_AddNumberToObject(o, "redraw_checked", (double)c->redraw_checked);
	cJSON_AddNumberToObject(o, "redraw_mismatched", (double)c->redraw_mismatched);
	cJSON_AddNumberToObject(o, "rasterised", (double)c->rasterised);
	cJSON_AddNumberToObject(o, "missing_glyphs", (double)c->missing_glyphs);
	cJSON_AddNumberToObject(o, "journal_pending", (double)c->journal_pending);
	cJSON_AddNumberToObject(o, "published", (double)c->published);
	cJSON_AddNumberToObject(o, "confirmed", (double)c->confirmed);
	cJSON_AddNumberToObject(o, "sound_plays", (double)c->sound_plays);
	cJSON_AddNumberToObject(o, "wakeups", (double)c->wakeups);
	cJSON_AddNumberToObject(o, "acks_refused", (double)c->acks_refused);
	cJSON_AddNumberToObject(o, "over_capacity", (double)c->over_capacity);
	cJSON_AddNumberToObject(o, "acks_undelivered", (double)c->acks_undelivered);
	cJSON_AddNumberToObject(o, "puback_refused", (double)c->puback_refused);
	cJSON_AddNumberToObject(o, "publish_too_big", (double)c->publish_too_big);
	return o;
}

/* RSS beside the C heap: what the board holds and what the allocator
 * keeps for it (heap.h), so a soak tells a leak from fragmentation. */
static cJSON *memory_json(void)
{
	cJSON *o = cJSON_CreateObject();
	struct heap_stats heap;
	heap_get_stats(&heap);
	cJSON_AddNumberToObject(o, "rss_kb", (double)telemetry_rss_kb());
	cJSON_AddNumberToObject(o, "heap_kb", (double)heap.in_use_kb);
	cJSON_AddNumberToObject(o, "heap_held_kb", (double)heap.held_kb);
	return o;
}

static cJSON *alarm_json(const struct alarm_view *v)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", v->id);
	cJSON_AddStringToObject(o, "kind", alarm_kind_name(v->kind));
	cJSON_AddStringToObject(o, "severity", alarm_severity_name(v->severity));
	cJSON_AddStringToObject(o, "state", state_names[v->state]);
	cJSON_AddStringToObject(o, "label", v->label);
	cJSON_AddNumberToObject(o, "first_seen", (double)v->first_seen);
	cJSON_AddBoolToObject(o, "escalated", v->escalated);
	cJSON_AddBoolToObject(o, "drill", v->drill);
	if (v->state == ALARM_ACKED) {
		cJSON_AddStringToObject(o, "by", v->acked_by);
		cJSON_AddStringToObject(o, "board", v->acked_board);
		cJSON_AddNumberToObject(o, "at", (double)v->acked_at);
		cJSON_AddNumberToObject(o, "until", (double)v->acked_until);
	}
	return o;
}

static cJSON *alarms_json(const struct alarms *a)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; a && i < alarms_count(a) && i < DUMP_LIST_MAX; i++) {
		struct alarm_view v;
		if (alarms_get(a, i, &v))
			cJSON_AddItemToArray(arr, alarm_json(&v));
	}
	return arr;
}

/* {"texts": [...], "more": n}: the texts the last frame cut with "…" to
 * fit their boxes (a test asks that a button's word is whole); more:
 * cut but not listed. */
static cJSON *cut_json(const struct kit_seen *seen)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "texts");
	for (size_t i = 0; i < seen->n; i++)
		if (seen->t[i].cut)
			cJSON_AddItemToArray(a, cJSON_CreateString(seen->t[i].s));
	cJSON_AddNumberToObject(o, "more", (double)seen->more);
	return o;
}

static cJSON *ui_json(const struct ackui_state *ui)
{
	if (!ui)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "keypad_open", ui->keypad_open);
	cJSON_AddStringToObject(o, "target", ui->target);
	cJSON_AddNumberToObject(o, "selected", ui->selected);
	cJSON_AddNumberToObject(o, "digits", (double)ui->digits);
	cJSON_AddNumberToObject(o, "acks", (double)ui->acks);
	cJSON_AddNumberToObject(o, "refused", (double)ui->refused);
	cJSON_AddNumberToObject(o, "ticks", (double)ui->ticks);
	cJSON_AddNumberToObject(o, "declares", (double)ui->declares);
	cJSON_AddNumberToObject(o, "ends", (double)ui->ends);
	cJSON_AddBoolToObject(o, "declare_offered", ui->declare_offered);
	cJSON_AddNumberToObject(o, "locked", (double)ui->locked);
	cJSON_AddBoolToObject(o, "checking", ui->checking);
	cJSON_AddStringToObject(o, "keypad_title", ui->keypad_title);
	return o;
}

static cJSON *producers_json(const struct dump_input *in)
{
	cJSON *arr = cJSON_CreateArray();
	struct producer_view v;
	for (size_t i = 0; in->producers && producers_get(in->producers, i, in->now, &v); i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", v.name);
		cJSON_AddBoolToObject(o, "online", v.online);
		cJSON_AddBoolToObject(o, "silent", v.silent);
		cJSON_AddNumberToObject(o, "since", (double)v.since);
		cJSON_AddNumberToObject(o, "interval_s", (double)v.interval_s);
		cJSON_AddNumberToObject(o, "heard_at", (double)v.heard_at);
		cJSON_AddNumberToObject(o, "open", (double)v.open);
		cJSON_AddNumberToObject(o, "sla", (double)v.sla);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* "completeness": unchecked | complete | incomplete, and while incomplete
 * "incomplete": {held, announced} (complaints) with the timers' too. */
static void completeness_json(cJSON *root, const struct completeness *c,
			      const struct board_status *st)
{
	static const char *const names[] = { "unchecked", "complete", "incomplete" };
	cJSON_AddStringToObject(root, "completeness", c ? names[c->state] : "unchecked");
	if (!c || c->state != COMPLETENESS_INCOMPLETE) {
		cJSON_AddNullToObject(root, "incomplete");
		return;
	}
	cJSON *o = cJSON_AddObjectToObject(root, "incomplete");
	cJSON_AddNumberToObject(o, "held", (double)c->last.held_open);
	cJSON_AddNumberToObject(o, "announced", (double)c->last.announced_open);
	cJSON_AddNumberToObject(o, "held_timers", (double)c->last.held_sla);
	cJSON_AddNumberToObject(o, "announced_timers", (double)c->last.announced_sla);
	cJSON_AddNumberToObject(o, "retries", c->retries);
	cJSON_AddNumberToObject(o, "next_retry_at", (double)c->next_retry_at);
	/* as in the status JSON (telemetry.h) and the band */
	struct completeness_why why = { .cap = st && st->incomplete_cap };
	why.queue = !st || st->incomplete_queue || !why.cap;
	cJSON_AddStringToObject(o, "reason", completeness_why_name(why));
}

/* What the band under the header says, as the renderer decides it. */
static cJSON *band_json(const struct board_status *st)
{
	cJSON *arr = cJSON_CreateArray();
	if (!st->live) {
		cJSON_AddItemToArray(arr, cJSON_CreateString("not_live"));
		return arr;
	}
	if (st->incomplete)
		cJSON_AddItemToArray(arr, cJSON_CreateString("incomplete"));
	if (st->n_silent)
		cJSON_AddItemToArray(arr, cJSON_CreateString("feed_silent"));
	return arr;
}

/* New complaints per channel in the surge window, and the usual count. */
static cJSON *surge_json(const struct surge *s)
{
	cJSON *arr = cJSON_CreateArray();
	struct surge_view v;
	for (size_t i = 0; s && surge_get(s, i, &v); i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "channel", v.channel);
		cJSON_AddNumberToObject(o, "count", v.count);
		cJSON_AddNumberToObject(o, "usual", v.usual);
		cJSON_AddBoolToObject(o, "surging", v.surging);
		cJSON_AddBoolToObject(o, "drill", v.drill);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* The appliance's screen (display.h): night, brightness, overlays, the
 * orbit's offset and the layout's size. */
static cJSON *display_json(const struct display_state *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "night", d->night);
	cJSON_AddNumberToObject(o, "brightness", d->brightness);
	cJSON_AddBoolToObject(o, "backlight", d->backlight);
	cJSON_AddBoolToObject(o, "blank", d->blank);
	cJSON_AddBoolToObject(o, "identify", d->identify);
	cJSON_AddBoolToObject(o, "first_start", d->first_start);
	cJSON_AddNumberToObject(o, "rotate", d->rotate);
	cJSON_AddNumberToObject(o, "dx", d->dx);
	cJSON_AddNumberToObject(o, "dy", d->dy);
	cJSON_AddNumberToObject(o, "width", d->content_w);
	cJSON_AddNumberToObject(o, "height", d->content_h);
	return o;
}

/* The crisis checklist: {"since","done","steps":[{"done","by","at"}]}. */
static cJSON *checklist_json(const struct crisis *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "since", c ? (double)crisis_since(c) : 0);
	cJSON_AddNumberToObject(o, "done", c ? (double)crisis_steps_done(c) : 0);
	cJSON_AddNumberToObject(o, "refused", c ? (double)crisis_ticks_refused(c) : 0);
	cJSON *arr = cJSON_AddArrayToObject(o, "steps");
	struct crisis_step st;
	for (size_t i = 0; c && crisis_step_get(c, i, &st); i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddBoolToObject(s, "done", st.done);
		cJSON_AddStringToObject(s, "by", st.by);
		cJSON_AddNumberToObject(s, "at", (double)st.at);
		cJSON_AddStringToObject(s, "board", st.board);
		cJSON_AddItemToArray(arr, s);
	}
	return o;
}

/* The count each strip line's words begin with, as a number: {"<id>":
 * 23} for "23 in 10 min" or "۲۳" alike, so a test reads the count a line
 * drew the same way in every language; lines whose words begin with no
 * digit are left out. */
static cJSON *counts_json(const struct ackui_state *ui)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; ui && i < ui->n_strip && i < ACKUI_STRIP_MAX; i++) {
		const char *s = ui->label[i];
		double v = 0;
		size_t len, digits = 0;
		for (int d; digits < 15 && (d = i18n_digit_value(s, &len)) >= 0; digits++, s += len)
			v = v * 10 + d; /* 15 digits: exact in a double */
		if (digits)
			cJSON_AddNumberToObject(o, ui->strip[i], v);
	}
	return o;
}

static cJSON *state_json(const struct dump_input *in)
{
	const struct complaint *list[DUMP_LIST_MAX];
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "board", in->board_id);
	cJSON_AddNumberToObject(root, "now", (double)in->now);
	cJSON_AddBoolToObject(root, "connected", in->status->connected);
	cJSON_AddBoolToObject(root, "live", in->status->live);
	cJSON_AddBoolToObject(root, "synced", in->synced);
	cJSON_AddBoolToObject(root, "acks_durable", in->acks_durable);
	cJSON_AddBoolToObject(root, "over_capacity", model_is_over_capacity(in->model));
	cJSON_AddBoolToObject(root, "rejected_recent", in->status->rejected_recent);
	cJSON_AddStringToObject(root, "ack_not_delivered", in->ack_refusal ? in->ack_refusal : "");
	if (in->protocol)
		cJSON_AddStringToObject(root, "protocol", in->protocol);
	else
		cJSON_AddNullToObject(root, "protocol");
	if (in->sound_device)
		cJSON_AddStringToObject(root, "sound_device", in->sound_device);
	else
		cJSON_AddNullToObject(root, "sound_device");
	cJSON_AddNumberToObject(root, "complaints", (double)model_complaint_count(in->model));
	cJSON_AddNumberToObject(root, "timers", (double)model_timer_count(in->model));
	completeness_json(root, in->completeness, in->status);
	cJSON_AddItemToObject(root, "band", band_json(in->status));
	cJSON_AddItemToObject(root, "producers", producers_json(in));

	struct channel_stats tot;
	model_totals(in->model, in->now, in->at_risk_s, &tot);
	cJSON_AddItemToObject(root, "totals", stats_json(&tot));
	cJSON_AddItemToObject(root, "channels", channels_json(in));

	size_t n = model_breached(in->model, in->now, 0, list, DUMP_LIST_MAX);
	cJSON_AddItemToObject(root, "breached", ids_json(list, n));
	n = model_at_risk(in->model, in->now, in->at_risk_s, list, DUMP_LIST_MAX);
	cJSON_AddItemToObject(root, "at_risk", ids_json(list, n));

	struct attainment att;
	model_attainment(in->model, in->status->day_start, &att);
	cJSON *a = cJSON_AddObjectToObject(root, "attainment");
	cJSON_AddNumberToObject(a, "answered", att.answered);
	cJSON_AddNumberToObject(a, "on_time", att.on_time);

	cJSON_AddItemToObject(root, "crisis", crisis_json(model_crisis(in->model)));
	cJSON_AddItemToObject(root, "rows", rows_json(in));
	cJSON_AddItemToObject(root, "layout", layout_json(in));
	if (in->display)
		cJSON_AddItemToObject(root, "display", display_json(in->display));
	cJSON_AddItemToObject(root, "strip", strip_json(in->ui));
	cJSON_AddItemToObject(root, "declare_boxes", declare_json(in->ui));
	cJSON_AddItemToObject(root, "strip_labels", labels_json(in->ui));
	cJSON_AddItemToObject(root, "strip_counts", counts_json(in->ui));
	cJSON_AddItemToObject(root, "page", page_json(in->page));
	cJSON_AddItemToObject(root, "redraw", redraw_json(in));
	cJSON_AddItemToObject(root, "alarms", alarms_json(in->alarms));
	cJSON_AddItemToObject(root, "surge", surge_json(in->surge));
	cJSON_AddItemToObject(root, "checklist", checklist_json(in->status->crisis));
	cJSON *steps = cJSON_CreateArray();
	for (size_t i = 0; i < in->n_steps; i++)
		cJSON_AddItemToArray(steps, rect_json(&in->steps[i]));
	cJSON_AddItemToObject(root, "step_boxes", steps);
	cJSON_AddItemToObject(root, "ui", ui_json(in->ui));
	if (in->seen)
		cJSON_AddItemToObject(root, "cut", cut_json(in->seen));
	cJSON_AddItemToObject(root, "counters", counters_json(in->counters));
	cJSON_AddItemToObject(root, "memory", memory_json());
	return root;
}

static bool write_atomically(const char *path, const char *text)
{
	char tmp[1024];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		log_error("dump", "%s: path too long", path);
		return false;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		log_error("dump", "%s: %s", tmp, strerror(errno));
		return false;
	}
	bool ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		log_error("dump", "%s: %s", path, strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

bool dump_write(const char *path, const struct dump_input *in)
{
	cJSON *root = state_json(in);
	char *text = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text) {
		log_error("dump", "out of memory building the state");
		return false;
	}
	bool ok = write_atomically(path, text);
	cJSON_free(text);
	return ok;
}
