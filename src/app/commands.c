/* commands.c - see commands.h. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "log.h"
#include "pngfile.h"
#include "remote.h"

/* A PNG of a 1080p board is several MB on the link: at most one per
 * SHOT_MIN_MS. */
#define SHOT_MIN_MS 10000

struct commands {
	struct commands_deps d;
	struct remote_policy remote;
	char cmd_topic[CONFIG_STR * 2], cmd_all_topic[CONFIG_STR * 2];
	char shot_topic[CONFIG_STR * 2], result_topic[CONFIG_STR * 2];
	bool shot_wanted;         /* a remote screenshot goes out after the next frame */
	bool shot_taken;
	uint32_t last_shot_ms;
	int argc;                 /* for a remote reload: the same flags again */
	char **argv;
};

struct commands *commands_create(const struct commands_deps *d)
{
	struct commands *c = calloc(1, sizeof *c);
	if (!c) {
		log_error("remote", "out of memory");
		return NULL;
	}
	const struct config *cfg = d->cfg;
	c->d = *d;
	c->remote.key = d->key;
	c->remote.allow_unsigned = cfg->remote_allow_unsigned;
	snprintf(c->cmd_topic, sizeof c->cmd_topic, "%s/boards/%s/cmd", cfg->prefix,
		 cfg->board_id);
	snprintf(c->cmd_all_topic, sizeof c->cmd_all_topic, "%s/boards/all/cmd",
		 cfg->prefix);
	snprintf(c->shot_topic, sizeof c->shot_topic, "%s/boards/%s/screenshot",
		 cfg->prefix, cfg->board_id);
	snprintf(c->result_topic, sizeof c->result_topic, "%s/boards/%s/result",
		 cfg->prefix, cfg->board_id);
	return c;
}

void commands_destroy(struct commands *c)
{
	free(c);
}

void commands_set_args(struct commands *c, int argc, char **argv)
{
	c->argc = argc;
	c->argv = argv;
}

bool commands_shot_wanted(const struct commands *c)
{
	return c->shot_wanted;
}

/* Every command gets an answer on boards/<id>/result (not retained). */
static void publish_result(struct commands *c, const char *cmd, bool ok, const char *detail)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	cJSON_AddStringToObject(o, "board", c->d.cfg->board_id);
	cJSON_AddStringToObject(o, "cmd", cmd);
	cJSON_AddBoolToObject(o, "ok", ok);
	cJSON_AddStringToObject(o, "detail", detail);
	char *json = cJSON_PrintUnformatted(o);
	if (json)
		mqtt_publish(c->d.mqtt, c->result_topic, json, strlen(json), 0, false, NULL);
	cJSON_free(json);
	cJSON_Delete(o);
}

/* True when fresh differs from cfg only in settings the running board
 * reads again at each frame (site, language, digits, banner flashing,
 * paging, the night schedule, leads and remote policy). Everything else
 * (broker and transport, prefix, channels, ack key, state_dir, limits,
 * alarm thresholds, size) was taken at start: a change there means a
 * restart. The comparison is whole-struct, so a setting added later is
 * a restart until somebody proves it live and lists it here. */
static bool only_live_changes(const struct config *cfg, const struct config *fresh)
{
	static struct config probe; /* several KB: not on the stack */
	probe = *fresh;
	memcpy(probe.site, cfg->site, sizeof probe.site);
	probe.lang = cfg->lang;
	probe.digits = cfg->digits;
	probe.flash_steady = cfg->flash_steady;
	probe.page_s = cfg->page_s;
	memcpy(probe.schedule, cfg->schedule, sizeof probe.schedule);
	probe.night_blank = cfg->night_blank;
	probe.night_brightness = cfg->night_brightness;
	probe.orbit = cfg->orbit;
	probe.remote_allow_unsigned = cfg->remote_allow_unsigned;
	memcpy(probe.leads, cfg->leads, sizeof probe.leads);
	probe.n_leads = cfg->n_leads;
	/* main.c fills the password from password_file after parsing */
	memcpy(probe.password, cfg->password, sizeof probe.password);
	return memcmp(&probe, cfg, sizeof probe) == 0;
}

/* The same flags (and so the same --config file) read again. A bad file
 * keeps the settings in force. Settings read at each frame are copied
 * over the board's (main.c's, writable) config and follow at once; any
 * other change ends the loop with a restart request: main.c re-executes
 * the board with the same flags (same PID, so systemd's watchdog and
 * notify socket stay valid), after the journal and the link were closed
 * cleanly. A restart shows the correct wall again in well under a second. */
static bool reload_config(struct commands *c, char *why, size_t size,
			  struct command_effect *fx)
{
	static struct config fresh; /* several KB: not on the stack */
	if (!c->argv)
		return snprintf(why, size, "no command line to reload from"), false;
	if (cli_parse(&fresh, c->argc, c->argv) != 0) {
		char last[256];
		log_last_error(last, sizeof last);
		snprintf(why, size, "kept the settings in force: %s", last[0] ? last :
			 "the configuration was refused");
		return false;
	}
	struct config *cfg = c->d.cfg;
	if (!only_live_changes(cfg, &fresh)) {
		fx->restart = true;
		snprintf(why, size, "reloaded %.120s; restarting to apply broker, channel, "
			 "key or limit changes", cfg->config_path[0] ? cfg->config_path :
			 "(no --config file)");
		log_info("remote", "%s", why);
		return true;
	}
	*cfg = fresh;
	display_reconfigure(c->d.display, cfg);
	c->remote.allow_unsigned = cfg->remote_allow_unsigned;
	fx->redraw = fx->state = fx->model = true;
	snprintf(why, size, "reloaded %.120s; applied without a restart",
		 cfg->config_path[0] ? cfg->config_path : "(no --config file)");
	log_info("remote", "%s", why);
	return true;
}

/* Does one accepted command other than a screenshot (commands_handle
 * asks for that one); false when it failed. */
static bool run_command(struct commands *c, const struct remote_request *rq, uint32_t ticks,
			char *why, size_t size, struct command_effect *fx)
{
	switch (rq->cmd) {
	case REMOTE_SCREENSHOT:
		break; /* commands_handle */
	case REMOTE_IDENTIFY:
		display_identify(c->d.display, ticks);
		snprintf(why, size, "board id shown for %d s", DISPLAY_IDENTIFY_MS / 1000);
		break;
	case REMOTE_DIM:
		display_dim(c->d.display, rq->arg);
		snprintf(why, size, "brightness %d %% until the next day/night change",
			 rq->arg);
		break;
	case REMOTE_RELOAD:
		return reload_config(c, why, size, fx);
	case REMOTE_PAGE_NEXT:
		render_page_next(c->d.render);
		snprintf(why, size, "next page of the breach list");
		break;
	}
	return true;
}

bool commands_handle(struct commands *c, const struct mqtt_event *ev, int64_t now,
		     struct command_effect *fx)
{
	bool mine = !strcmp(ev->topic, c->cmd_topic);
	if (!mine && strcmp(ev->topic, c->cmd_all_topic))
		return false;
	*fx = (struct command_effect){ 0 };
	struct remote_request rq;
	char why[320] = "";
	uint32_t ticks = SDL_GetTicks();
	if (!remote_accept(&c->remote, mine ? c->d.cfg->board_id : "all", ev->payload,
			   ev->payload_len, ev->retained, now, &rq, why, sizeof why)) {
		log_warn("remote", "command on %s refused: %s", ev->topic, why);
		if (!ev->retained)
			publish_result(c, "", false, why);
		return true;
	}
	log_info("remote", "command on %s: %s", ev->topic, rq.line);
	if (rq.cmd == REMOTE_SCREENSHOT) {
		if (c->shot_taken && (int32_t)(ticks - c->last_shot_ms) < SHOT_MIN_MS) {
			publish_result(c, rq.line, false, "at most one screenshot per 10 s");
			return true;
		}
		c->shot_wanted = true; /* answered when it is sent */
		fx->redraw = true;
		return true;
	}
	bool ok = run_command(c, &rq, ticks, why, sizeof why, fx);
	fx->redraw = fx->state = true;
	publish_result(c, rq.line, ok, why);
	return true;
}

void commands_send_shot(struct commands *c, uint32_t ticks)
{
	int w = 0, h = 0;
	SDL_Renderer *r = c->d.renderer;
	c->shot_wanted = false;
	if (SDL_GetRendererOutputSize(r, &w, &h) != 0 || w <= 0 || h <= 0)
		return;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	char *buf = NULL;
	size_t n = 0;
	bool ok = s && SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels,
					    s->pitch) == 0 &&
		  pngfile_encode(s->pixels, w, h, s->pitch, &buf, &n);
	char detail[96];
	ok = ok && n > 0 && mqtt_publish(c->d.mqtt, c->shot_topic, buf, n, 0, false, NULL);
	snprintf(detail, sizeof detail, ok ? "PNG %dx%d, %zu bytes" : "screenshot failed",
		 w, h, n);
	publish_result(c, "screenshot", ok, detail);
	c->shot_taken = true;
	c->last_shot_ms = ticks;
	SDL_FreeSurface(s);
	free(buf);
}
