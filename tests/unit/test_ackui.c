/* test_ackui.c - the alarm strip, the PIN keypad and their input, headless.
 *
 * A board (render + strip) is drawn onto an ARGB surface through SDL's
 * software renderer; events are made up and handed to ackui_handle_event
 * directly, as the app's loop would, with injected time. The model holds
 * a crisis, a flood of breaches (escalated), a VIP breach and two plain
 * ones; two leads have PINs hashed at start. With WB_SHOT_DIR set, the
 * frames looked at are saved there as BMP (SDL core only; convert them
 * to PNG with any tool). Also: the tone synthesiser and sound device. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "ackui.h"
#include "alarms.h"
#include "config.h"
#include "i18n.h"
#include "kit.h"
#include "model.h"
#include "pin.h"
#include "render.h"
#include "sound.h"
#include "text.h"

#define NOW ((int64_t)1795000000)
#define PIN_DANA "2468"
#define PIN_AVI "1357"

#include "check.h"
#include "fixture.h"

static char hash_dana[PIN_HASH_MAX], hash_avi[PIN_HASH_MAX];

/* ------------------------------------------------------------- the model */

static void apply(struct model *m, const struct msg *msg)
{
	char err[128] = "";
	checkf(model_apply(m, msg, err, sizeof err), "model_apply %s: %s", msg->id, err);
}

static void breach(struct model *m, const char *id, const char *ch,
		   const char *customer, enum priority pr, int64_t due_at)
{
	static struct msg msg;
	apply(m, fixture_complaint(&msg, id, ch, customer, "The parcel has not arrived",
				   due_at - 3600, pr, STATUS_OPEN));
	apply(m, fixture_sla(&msg, id, 3600, due_at, false, 0));
}

static void remove_complaint(struct model *m, const char *id)
{
	static struct msg msg;
	apply(m, fixture_msg(&msg, MSG_COMPLAINT_REMOVE, id));
}

static void crisis(struct model *m)
{
	static struct msg msg;
	memset(&msg, 0, sizeof msg);
	msg.kind = MSG_CRISIS;
	struct msg_crisis *c = &msg.u.crisis;
	c->level = 2;
	snprintf(c->title, sizeof c->title, "%s", "תקלה במערכת התשלומים");
	snprintf(c->message, sizeof c->message, "%s", "Payments fail for cards issued abroad.");
	c->since = NOW - 1800;
	apply(m, &msg);
}

/* Alarms, in display order: crisis, flood:phone (escalated: seen 400 s
 * before the others), breach:wa-1 (VIP), breach:em-1, breach:fb-1. */
static void fill(struct model *m, struct alarms *a)
{
	for (int i = 0; i < 7; i++) {
		char id[16];
		snprintf(id, sizeof id, "ph-%d", i);
		breach(m, id, "phone", "Caller", PRIORITY_NORMAL, NOW - 900 - i * 10);
	}
	alarms_update(a, m, NOW - 400);
	crisis(m);
	breach(m, "wa-1", "whatsapp", "דנה לוי", PRIORITY_VIP, NOW - 3723);
	breach(m, "em-1", "email", "John Carter", PRIORITY_NORMAL, NOW - 90000);
	breach(m, "fb-1", "facebook", "مریم احمدی", PRIORITY_NORMAL, NOW - 600);
	alarms_update(a, m, NOW);
}

/* ------------------------------------------------------------ a fixture */

struct fx {
	struct config cfg;
	struct model *m;
	struct alarms *a;
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct text *text;
	struct render *render;
	struct ackui *ui;
	int w, h;
	SDL_Rect area;
	uint32_t ticks;
};

static void setup_config(struct config *cfg, enum lang lang, bool leads)
{
	static const struct channel_conf chans[] = {
		{ "whatsapp", "WhatsApp", 0x3fbf7f },
		{ "facebook", "Facebook", 0x5b8def },
		{ "phone", "טלפון", 0 },
	};
	config_defaults(cfg);
	cfg->state_dir[0] = '\0'; /* no lockout file: each test starts unlocked */
	snprintf(cfg->site, sizeof cfg->site, "%s", "Customer Care");
	cfg->lang = lang;
	for (size_t i = 0; i < 3; i++)
		cfg->channels[i] = chans[i];
	cfg->n_channels = 3;
	cfg->n_leads = 0;
	if (!leads)
		return;
	snprintf(cfg->leads[0].name, sizeof cfg->leads[0].name, "%s", "Dana Levi");
	snprintf(cfg->leads[0].pin_hash, sizeof cfg->leads[0].pin_hash, "%s", hash_dana);
	snprintf(cfg->leads[1].name, sizeof cfg->leads[1].name, "%s", "אבי כהן");
	snprintf(cfg->leads[1].pin_hash, sizeof cfg->leads[1].pin_hash, "%s", hash_avi);
	cfg->n_leads = 2;
}

/* > 0: channel limits too (open:<channel> alarms), for a longer strip. */
static int fx_max_open;

static bool fx_open(struct fx *f, int w, int h, enum lang lang, bool leads)
{
	static const char *const keys[] = { "whatsapp", "facebook", "phone" };
	char fonts[1024];
	const char *assets = getenv("WB_ASSETS");
	snprintf(fonts, sizeof fonts, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	memset(f, 0, sizeof *f);
	f->w = w;
	f->h = h;
	setup_config(&f->cfg, lang, leads);
	struct alarms_options o;
	alarms_options_from_config(&o, &f->cfg);
	o.board_id = "lobby";
	o.prefix = "wb";
	o.channel_max_open = fx_max_open;
	f->m = model_init(keys, 3);
	f->a = f->m ? alarms_init(&o) : NULL;
	if (f->a) {
		static struct alarm_out drain[64];
		fill(f->m, f->a);
		alarms_take_outbox(f->a, drain, 64); /* escalations */
	}
	f->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	f->ren = f->surf ? SDL_CreateSoftwareRenderer(f->surf) : NULL;
	f->text = f->ren ? text_init(f->ren, fonts) : NULL;
	f->render = f->text ? render_init(f->ren, f->text, &f->cfg) : NULL;
	f->ui = f->render && f->a ? ackui_init(f->ren, f->text, &f->cfg, f->a) : NULL;
	checkf(f->ui != NULL, "fixture %dx%d: %s", w, h, SDL_GetError());
	return f->ui != NULL;
}

static void fx_close(struct fx *f)
{
	ackui_destroy(f->ui);
	render_destroy(f->render);
	text_destroy(f->text);
	if (f->ren)
		SDL_DestroyRenderer(f->ren);
	SDL_FreeSurface(f->surf);
	alarms_destroy(f->a);
	model_destroy(f->m);
}

/* One frame as the app draws it: board, then strip and keypad. */
static void frame(struct fx *f, int64_t now, uint32_t ticks)
{
	/* A PIN is checked on its own thread: take its answer as the app's
	 * loop does (ackui_tick), before the frame is drawn. */
	struct ackui_state cs;
	for (int i = 0; i < 1000; i++) {
		ackui_get_state(f->ui, &cs);
		if (!cs.checking)
			break;
		SDL_Delay(5);
		ackui_tick(f->ui, ticks);
	}
	struct alarm_view cv;
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	st.alarm_rows = ackui_rows_wanted(f->ui);
	st.crisis_acked = alarms_find(f->a, "crisis", &cv) && cv.state == ALARM_ACKED;
	st.alarms = f->a;
	st.hold_page = ackui_busy(f->ui);
	f->ticks = ticks;
	render_frame(f->render, f->m, &st, now, ticks);
	if (!render_region(f->render, RENDER_REGION_ALARMS, &f->area))
		f->area = (SDL_Rect){ 0, 0, 0, 0 };
	struct render_row rows[64];
	size_t n = render_rows(f->render, rows, 64);
	ackui_set_rows(f->ui, rows, n);
	ackui_draw(f->ui, &f->area, now, ticks);
	text_frame_end(f->text);
	SDL_RenderFlush(f->ren);
}

static void shot(const struct fx *f, const char *name)
{
	const char *dir = getenv("WB_SHOT_DIR");
	if (!dir || !*dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.bmp", dir, name);
	if (SDL_SaveBMP(f->surf, path) != 0)
		fprintf(stderr, "warning: %s: %s\n", path, SDL_GetError());
}

static struct ackui_state state(const struct fx *f)
{
	struct ackui_state s;
	ackui_get_state(f->ui, &s);
	return s;
}

static enum alarm_state alarm_state(const struct fx *f, const char *id)
{
	struct alarm_view v;
	return alarms_find(f->a, id, &v) ? v.state : (enum alarm_state)-1;
}

static const char *alarm_id(const struct fx *f, size_t idx)
{
	static struct alarm_view v;
	return alarms_get(f->a, idx, &v) ? v.id : "";
}

/* ---------------------------------------------------------------- input */

static bool send(struct fx *f, const SDL_Event *e)
{
	return ackui_handle_event(f->ui, e, NOW, f->ticks);
}

static void mouse(struct fx *f, Uint32 type, int x, int y, Uint32 which)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.which = which;
	e.button.x = x;
	e.button.y = y;
	send(f, &e);
}

/* Press and release at (x, y), then redraw as the app would. */
static void click(struct fx *f, int x, int y)
{
	mouse(f, SDL_MOUSEBUTTONDOWN, x, y, 0);
	mouse(f, SDL_MOUSEBUTTONUP, x, y, 0);
	frame(f, NOW, f->ticks);
}

static void click_rect(struct fx *f, SDL_Rect r)
{
	click(f, r.x + r.w / 2, r.y + r.h / 2);
}

static bool click_row(struct fx *f, size_t idx)
{
	SDL_Rect r;
	if (!ackui_row_rect(f->ui, idx, &r))
		return false;
	click_rect(f, r);
	return true;
}

static bool tap_key(struct fx *f, int key)
{
	SDL_Rect r;
	if (!ackui_button_rect(f->ui, key, &r))
		return false;
	click_rect(f, r);
	return true;
}

static bool tap_pin(struct fx *f, const char *pin)
{
	bool ok = true;
	for (const char *p = pin; *p; p++)
		ok &= tap_key(f, *p);
	return ok;
}

static void key(struct fx *f, SDL_Keycode k)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = k;
	send(f, &e);
	frame(f, NOW, f->ticks);
}

static void finger(struct fx *f, Uint32 type, SDL_Rect r)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.tfinger.fingerId = 7;
	e.tfinger.x = (float)(r.x + r.w / 2) / (float)f->w;
	e.tfinger.y = (float)(r.y + r.h / 2) / (float)f->h;
	send(f, &e);
}

/* The ack this board must publish for id, from the outbox. */
static bool ack_queued(struct fx *f, const char *id)
{
	static struct alarm_out out[32];
	char want[128];
	snprintf(want, sizeof want, "wb/acks/%s", id);
	size_t n = alarms_take_outbox(f->a, out, 32);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(out[i].topic, want) == 0 && out[i].retain && out[i].len > 0;
	return found;
}

/* ---------------------------------------------------------------- pixels */

static uint32_t *grab(const struct fx *f, SDL_Rect a)
{
	uint32_t *buf = malloc(sizeof *buf * (size_t)(a.w > 0 ? a.w : 1) *
			       (size_t)(a.h > 0 ? a.h : 1));
	if (!buf)
		return NULL;
	for (int y = 0; y < a.h; y++)
		memcpy(buf + (size_t)y * (size_t)a.w,
		       (const uint8_t *)f->surf->pixels + (size_t)(a.y + y) * (size_t)f->surf->pitch +
			       (size_t)a.x * 4, (size_t)a.w * 4);
	return buf;
}

/* Share of the row's pixels that differ between frames at ticks t1, t2. */
static double row_change(struct fx *f, size_t idx, uint32_t t1, uint32_t t2)
{
	SDL_Rect r;
	frame(f, NOW, t1);
	if (!ackui_row_rect(f->ui, idx, &r))
		return -1;
	uint32_t *a = grab(f, r);
	frame(f, NOW, t2);
	uint32_t *b = grab(f, r);
	long n = 0, total = (long)r.w * r.h;
	for (long i = 0; a && b && i < total; i++)
		n += a[i] != b[i];
	free(a);
	free(b);
	return total ? (double)n / (double)total : -1;
}

/* Pixels within 40 of colour (r, g, b) in a part of the surface. */
static long count_colour(const struct fx *f, SDL_Rect a, int r, int g, int b)
{
	long n = 0;
	for (int y = a.y; y < a.y + a.h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)f->surf->pixels +
							 (size_t)y * (size_t)f->surf->pitch);
		for (int x = a.x; x < a.x + a.w; x++) {
			uint32_t p = row[x];
			int dr = (int)((p >> 16) & 255) - r, dg = (int)((p >> 8) & 255) - g,
			    db = (int)(p & 255) - b;
			n += dr * dr + dg * dg + db * db < 40 * 40;
		}
	}
	return n;
}

/* ----------------------------------------------------------------- tests */

static void test_basics(void)
{
	ackui_destroy(NULL);
	checkf(ackui_init(NULL, NULL, NULL, NULL) == NULL, "init refuses NULLs");
	checkf(ackui_rows_wanted(NULL) == 0, "rows_wanted(NULL) is 0");
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	checkf(alarms_count(f.a) == 5, "fixture: 5 alarms (%zu)", alarms_count(f.a));
	int rows = ackui_rows_wanted(f.ui);
	checkf(rows > 0 && rows <= 5, "rows wanted with alarms: %d", rows);
	frame(&f, NOW, 0);
	checkf(f.area.w > 0 && f.area.h > 0, "render reserved the strip");
	checkf(ackui_row_rect(f.ui, 0, NULL) && ackui_row_rect(f.ui, 1, NULL),
	      "crisis and flood in the strip");
	for (size_t i = 2; i < 4; i++)
		checkf(ackui_row_rect(f.ui, i, NULL) && strncmp(alarm_id(&f, i), "breach:", 7) == 0,
		      "%s drawn in its list row", alarm_id(&f, i));
	struct ackui_state s = state(&f);
	checkf(!s.keypad_open && s.selected == -1 && s.acks == 0, "starts closed, nothing selected");
	checkf(s.n_strip == 2 && strcmp(s.strip[0], "crisis") == 0 &&
	      strcmp(s.strip[1], "flood:phone") == 0, "the strip: crisis, flood (%zu)", s.n_strip);
	struct alarm_view v;
	checkf(alarms_find(f.a, "flood:phone", &v) && v.escalated, "fixture: flood escalated");
	fx_close(&f);

	/* channel limits too: five strip alarms in two lines, then "+3" */
	fx_max_open = 1;
	bool ok = fx_open(&f, 1280, 720, LANG_EN, true);
	fx_max_open = 0;
	if (!ok)
		return fx_close(&f);
	frame(&f, NOW, 0);
	checkf(ackui_rows_wanted(f.ui) == 2, "at most two strip lines (%d)",
	      ackui_rows_wanted(f.ui));
	s = state(&f);
	checkf(s.n_strip == 2, "two strip lines drawn (%zu)", s.n_strip);
	SDL_Rect more = { 0, 0, 0, 0 };
	checkf(ackui_more_rect(f.ui, &more), "+N drawn");
	char first[ALARM_ID_MAX];
	snprintf(first, sizeof first, "%s", s.strip[0]);
	click_rect(&f, more);
	s = state(&f);
	checkf(s.n_strip >= 1 && strcmp(s.strip[0], first) != 0,
	      "tapping +N shows the next alarms (%s)", s.n_strip ? s.strip[0] : "");
	checkf(!state(&f).keypad_open, "paging opens nothing");

	/* empty: nothing to show, no strip reserved */
	struct alarms_options o;
	alarms_options_from_config(&o, &f.cfg);
	struct alarms *none = alarms_init(&o);
	struct model *m = model_init(NULL, 0);
	alarms_update(none, m, NOW);
	struct ackui *ui = ackui_init(f.ren, f.text, &f.cfg, none);
	checkf(ui && ackui_rows_wanted(ui) == 0, "rows wanted without alarms: 0");
	SDL_Rect empty = { 0, 0, 0, 0 };
	ackui_draw(ui, &empty, NOW, 0);
	checkf(!ackui_row_rect(ui, 0, NULL), "no rows drawn without alarms");
	checkf(ackui_next_change_ms(ui, 5000) == 65000, "nothing to wait for: a minute");
	ackui_destroy(ui);
	alarms_destroy(none);
	model_destroy(m);
	fx_close(&f);
}

/* Click a row, tap the PIN on the keypad, OK: acknowledged as that lead. */
static void test_click_and_pin(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	frame(&f, NOW, 100);
	const char *id = "crisis";
	checkf(strcmp(alarm_id(&f, 0), id) == 0, "crisis first (%s)", alarm_id(&f, 0));
	checkf(click_row(&f, 0), "row 0 drawn");
	struct ackui_state s = state(&f);
	checkf(s.keypad_open && strcmp(s.target, id) == 0, "click opens keypad for %s (%s)",
	      id, s.target);
	checkf(tap_pin(&f, PIN_DANA), "digit buttons drawn");
	checkf(state(&f).digits == 4, "four digits typed (%zu)", state(&f).digits);
	checkf(tap_key(&f, ACKUI_KEY_OK), "OK drawn");
	struct alarm_view v;
	checkf(alarms_find(f.a, id, &v) && v.state == ALARM_ACKED &&
	      strcmp(v.acked_by, "Dana Levi") == 0, "acknowledged by Dana Levi (%s)",
	      v.acked_by);
	checkf(ack_queued(&f, id), "ack queued for MQTT");
	s = state(&f);
	checkf(!s.keypad_open && s.acks == 1 && s.refused == 0, "keypad closed, one ack");
	checkf(!ackui_button_rect(f.ui, '5', NULL), "no keypad buttons after closing");
	fx_close(&f);
}

/* The PIN is checked on its own thread: right after OK the keypad says
 * "checking" and still takes events (a second OK is not a second check),
 * and the answer arrives through ackui_tick. */
static void test_checking(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	frame(&f, NOW, 100);
	click_row(&f, 0);
	tap_pin(&f, PIN_DANA);
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = SDLK_RETURN;
	checkf(send(&f, &e), "OK taken");
	struct ackui_state s = state(&f);
	checkf(s.checking && s.keypad_open && s.acks == 0, "checking, keypad open, not yet acked");
	checkf(ackui_next_change_ms(f.ui, f.ticks) <= f.ticks + 50,
	       "the loop looks for the answer soon");
	send(&f, &e); /* impatient lead: no second check */
	e.key.keysym.sym = SDLK_1;
	send(&f, &e);
	frame(&f, NOW, f.ticks + 10); /* takes the answer, as the loop does */
	s = state(&f);
	checkf(!s.checking && s.acks == 1 && !s.keypad_open && s.refused == 0,
	       "one ack after the check (acks %llu, refused %llu)",
	       (unsigned long long)s.acks, (unsigned long long)s.refused);
	fx_close(&f);
}

/* Down, Return, digits (keyboard and USB keypad), Backspace, KP_Enter. */
/* The index of alarm id in alarms order, -1 when unknown. */
static int index_of(const struct fx *f, const char *id)
{
	struct alarm_view v;
	for (size_t i = 0; alarms_get(f->a, i, &v); i++)
		if (strcmp(v.id, id) == 0)
			return (int)i;
	return -1;
}

/* Down, Return, digits (keyboard and USB keypad), Backspace, KP_Enter.
 * The arrows walk the list's rows that carry an alarm, most overdue first
 * (em-1, wa-1, fb-1: the phone breaches are one flood alarm), then the
 * strip (crisis, flood:phone). */
static void test_keyboard(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_HE, true))
		return fx_close(&f);
	frame(&f, NOW, 100);
	int em = index_of(&f, "breach:em-1"), wa = index_of(&f, "breach:wa-1");
	key(&f, SDLK_DOWN);
	checkf(state(&f).selected == em, "Down selects the first row's alarm (%d)",
	      state(&f).selected);
	key(&f, SDLK_DOWN);
	checkf(state(&f).selected == wa, "Down again: the second row (%d)", state(&f).selected);
	key(&f, SDLK_UP);
	key(&f, SDLK_DOWN);
	key(&f, SDLK_RETURN);
	struct ackui_state s = state(&f);
	checkf(s.keypad_open && strcmp(s.target, "breach:wa-1") == 0,
	      "Return opens the keypad for the selected row (%s)", s.target);
	key(&f, SDLK_KP_1);
	key(&f, SDLK_3);
	key(&f, SDLK_KP_5);
	key(&f, SDLK_9);
	key(&f, SDLK_BACKSPACE);
	checkf(state(&f).digits == 3, "Backspace deletes a digit (%zu)", state(&f).digits);
	key(&f, SDLK_KP_7);
	key(&f, SDLK_KP_ENTER);
	struct alarm_view v;
	checkf(alarms_find(f.a, "breach:wa-1", &v) && v.state == ALARM_ACKED &&
	      strcmp(v.acked_by, "אבי כהן") == 0, "keyboard ack by the second lead (%s)",
	      v.acked_by);
	s = state(&f);
	checkf(!s.keypad_open && s.acks == 1 && s.selected == index_of(&f, "breach:wa-1"),
	      "closed, selection kept");
	for (int i = 0; i < 10; i++)
		key(&f, SDLK_DOWN);
	checkf(state(&f).selected == index_of(&f, "flood:phone"),
	      "past the rows, the strip, to its end (%d)", state(&f).selected);
	key(&f, SDLK_ESCAPE);
	checkf(state(&f).selected == -1, "Escape drops the selection");
	key(&f, SDLK_KP_2);
	checkf(state(&f).selected == em, "a USB keypad's 2 moves down");
	checkf(ackui_tick(f.ui, f.ticks + 31000) && state(&f).selected == -1,
	      "the selection goes after 30 s without input");
	fx_close(&f);
}

static void wrong_pin(struct fx *f)
{
	tap_pin(f, "1111");
	tap_key(f, ACKUI_KEY_OK);
}

/* Wrong PINs are refused and counted; three lock the keypad, which then
 * takes nothing, not even the right PIN, until the lockout ends. */
static void test_wrong_and_lockout(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	uint32_t t = 1000;
	frame(&f, NOW, t);
	click_row(&f, 0);
	wrong_pin(&f);
	struct ackui_state s = state(&f);
	checkf(s.refused == 1 && s.acks == 0 && s.keypad_open && s.digits == 0,
	      "wrong PIN refused, keypad stays, digits cleared");
	checkf(alarm_state(&f, "crisis") == ALARM_FIRING && alarms_outbox_count(f.a) == 0,
	      "wrong PIN acknowledges nothing");
	checkf(ackui_next_change_ms(f.ui, t) <= t + 2000, "wrong-PIN message expiry scheduled");
	checkf(!ackui_tick(f.ui, t + 1000), "wrong-PIN message still shown after 1 s");
	checkf(ackui_tick(f.ui, t + 2100), "wrong-PIN message goes after ~2 s");
	frame(&f, NOW, t + 2100);
	wrong_pin(&f);
	wrong_pin(&f);
	checkf(state(&f).refused == 3, "three refused (%llu)",
	      (unsigned long long)state(&f).refused);
	tap_pin(&f, PIN_DANA);
	checkf(state(&f).digits == 0, "locked keypad takes no digits (%zu)", state(&f).digits);
	tap_key(&f, ACKUI_KEY_OK);
	key(&f, SDLK_RETURN);
	s = state(&f);
	checkf(s.locked == 2 && s.refused == 3 && alarm_state(&f, "crisis") == ALARM_FIRING,
	      "attempts while locked refused (%llu)", (unsigned long long)s.locked);
	shot(&f, "1280x720-en-locked");
	uint32_t next = ackui_next_change_ms(f.ui, f.ticks);
	checkf(next > f.ticks && next <= f.ticks + 1000, "lock countdown ticks (%u)", next - f.ticks);

	t = f.ticks + PIN_GUARD_LOCK_MS + 1000;
	checkf(ackui_tick(f.ui, t) && !state(&f).keypad_open, "30 s without input closes it");
	frame(&f, NOW, t);
	click_row(&f, 0);
	tap_pin(&f, PIN_DANA);
	tap_key(&f, ACKUI_KEY_OK);
	s = state(&f);
	checkf(s.acks == 1 && alarm_state(&f, "crisis") == ALARM_ACKED,
	      "right PIN accepted after the lockout");
	fx_close(&f);
}

/* Escape, Cancel, a tap outside; a press that moves off its row; mouse
 * copies of touches; a finger. */
static void test_closing_and_pointers(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	frame(&f, NOW, 0);
	click_row(&f, 1);
	checkf(state(&f).keypad_open, "open");
	for (int i = 0; i < 14; i++)
		key(&f, SDLK_8);
	checkf(state(&f).digits == PIN_MAX_DIGITS, "at most 12 digits (%zu)", state(&f).digits);
	tap_key(&f, '4');
	key(&f, SDLK_ESCAPE);
	checkf(!state(&f).keypad_open && state(&f).digits == 0, "Escape closes and forgets digits");
	click_row(&f, 1);
	checkf(tap_key(&f, ACKUI_KEY_CANCEL) && !state(&f).keypad_open, "Cancel closes");
	click_row(&f, 1);
	click(&f, 3, 3);
	checkf(!state(&f).keypad_open, "a tap outside the keypad closes it");

	SDL_Rect r0, r1;
	ackui_row_rect(f.ui, 0, &r0);
	ackui_row_rect(f.ui, 1, &r1);
	mouse(&f, SDL_MOUSEBUTTONDOWN, r0.x + r0.w / 2, r0.y + r0.h / 2, 0);
	mouse(&f, SDL_MOUSEBUTTONUP, r1.x + r1.w / 2, r1.y + r1.h / 2, 0);
	checkf(!state(&f).keypad_open, "release on another row does nothing");
	mouse(&f, SDL_MOUSEBUTTONDOWN, r0.x + 5, r0.y + 5, SDL_TOUCH_MOUSEID);
	mouse(&f, SDL_MOUSEBUTTONUP, r0.x + 5, r0.y + 5, SDL_TOUCH_MOUSEID);
	checkf(!state(&f).keypad_open, "mouse events made from touches ignored");
	mouse(&f, SDL_MOUSEBUTTONDOWN, r0.x + 5, r0.y + 5, 0); /* its release is lost */
	finger(&f, SDL_FINGERDOWN, r1);
	finger(&f, SDL_FINGERUP, r1);
	struct ackui_state s = state(&f);
	checkf(s.keypad_open && strcmp(s.target, alarm_id(&f, 1)) == 0,
	      "a finger tap opens it, after a press that never ended");
	key(&f, SDLK_ESCAPE);

	/* the crisis ends after the frame was drawn: its row moves to the end
	 * (cleared), the flood to the top; a tap on the row the lead saw as
	 * the crisis must not acknowledge the flood */
	static struct msg msg;
	memset(&msg, 0, sizeof msg);
	msg.kind = MSG_CRISIS_CLEAR;
	apply(f.m, &msg);
	alarms_update(f.a, f.m, NOW + 1);
	checkf(strcmp(alarm_id(&f, 0), "flood:phone") == 0, "reordered: flood first");
	click_rect(&f, r0);
	checkf(!state(&f).keypad_open, "a tap acts on the alarm drawn there (cleared crisis)");
	fx_close(&f);
}

/* Firing rows flash (unless flash_steady); acknowledged rows are quiet. */
static void test_flashing(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	double d = row_change(&f, 0, 0, 500);
	checkf(d > 0.3, "firing row flashes (%.2f changed)", d);
	uint32_t next = ackui_next_change_ms(f.ui, 100);
	checkf(next > 100 && next <= 500 + KIT_WAKE_LATE_MS, "next flash scheduled (%u)", next);
	checkf(!ackui_tick(f.ui, 700) && ackui_tick(f.ui, 1000), "tick reports the flash phase change");
	d = row_change(&f, 1, 0, 500);
	checkf(d > 0.3, "escalated row flashes (%.2f changed)", d);
	f.cfg.flash_steady = true;
	d = row_change(&f, 0, 0, 500);
	checkf(d == 0, "flash_steady: firing row steady (%.2f changed)", d);
	f.cfg.flash_steady = false;
	checkf(alarms_ack(f.a, alarm_id(&f, 1), "Dana Levi", NOW - 60), "ack row 1");
	d = row_change(&f, 1, 0, 500);
	checkf(d == 0, "acknowledged row does not flash (%.2f changed)", d);
	shot(&f, "1280x720-en-strip-acked");
	fx_close(&f);
}

/* Severity badge at the start side: left in English, right in Hebrew.
 * The crisis badge is the only yellow in the row. */
static void test_mirroring(void)
{
	long side[2][2];
	for (int l = 0; l < 2; l++) {
		struct fx f;
		side[l][0] = side[l][1] = 0;
		if (!fx_open(&f, 1280, 720, l ? LANG_HE : LANG_EN, true)) {
			fx_close(&f);
			continue;
		}
		f.cfg.flash_steady = true;
		frame(&f, NOW, 0);
		SDL_Rect r;
		if (ackui_row_rect(f.ui, 0, &r)) {
			int q = r.w / 4;
			side[l][0] = count_colour(&f, (SDL_Rect){ r.x, r.y, q, r.h }, 255, 200, 20);
			side[l][1] = count_colour(&f, (SDL_Rect){ r.x + r.w - q, r.y, q, r.h },
						  255, 200, 20);
		}
		fx_close(&f);
	}
	checkf(side[0][0] > 50 && side[0][1] < side[0][0] / 4,
	      "en: badge on the left (%ld left, %ld right)", side[0][0], side[0][1]);
	checkf(side[1][1] > 50 && side[1][0] < side[1][1] / 4,
	      "he: badge on the right (%ld left, %ld right)", side[1][0], side[1][1]);
}

/* No leads: a notice instead of the keypad; cleared alarms need nobody. */
static void test_no_leads_and_cleared(void)
{
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, false))
		return fx_close(&f);
	frame(&f, NOW, 0);
	click_row(&f, 0);
	checkf(!state(&f).keypad_open, "no leads: no keypad");
	checkf(ackui_button_rect(f.ui, ACKUI_KEY_CANCEL, NULL) &&
	      !ackui_button_rect(f.ui, '1', NULL), "no leads: a notice with one button");
	shot(&f, "1280x720-en-noleads");
	tap_key(&f, ACKUI_KEY_CANCEL);
	checkf(!ackui_button_rect(f.ui, ACKUI_KEY_CANCEL, NULL), "notice closes");
	fx_close(&f);

	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	remove_complaint(f.m, "wa-1");
	alarms_update(f.a, f.m, NOW + 1);
	checkf(alarm_state(&f, "breach:wa-1") == ALARM_CLEARED, "wa-1 cleared");
	size_t idx = alarms_count(f.a) - 1;
	checkf(strcmp(alarm_id(&f, idx), "breach:wa-1") == 0, "cleared alarm listed last");
	frame(&f, NOW + 1, 0);
	checkf(!ackui_row_rect(f.ui, idx, NULL), "a cleared breach has no row");
	bool seen = false;
	for (size_t i = 0; i <= idx + 2; i++) {
		key(&f, SDLK_DOWN);
		seen |= state(&f).selected == (int)idx;
	}
	checkf(!seen, "the arrows never select the cleared alarm");
	key(&f, SDLK_RETURN);
	checkf(state(&f).keypad_open && strcmp(state(&f).target, "breach:wa-1") != 0,
	      "Enter opens the keypad for what is selected (%s)", state(&f).target);
	key(&f, SDLK_ESCAPE);
	shot(&f, "1280x720-en-strip-cleared");
	fx_close(&f);
}

/* Unchanged and ticking frames of board + strip rasterise nothing and
 * keep the text module's digit sets (no eviction churn). */
static void test_caching(void)
{
	struct fx f;
	if (!fx_open(&f, 1920, 1080, LANG_FA, true))
		return fx_close(&f);
	struct text_stats a, b;
	for (int i = 0; i < 4; i++) /* both flash phases (the banner's too) */
		frame(&f, NOW + i / 2, (uint32_t)i * 500);
	text_get_stats(f.text, &a);
	frame(&f, NOW + 3, 3000);
	frame(&f, NOW + 3, 3500);
	frame(&f, NOW + 4, 4000);
	text_get_stats(f.text, &b);
	checkf(b.rasterised == a.rasterised, "ticking strip rasterised %llu lines",
	      (unsigned long long)(b.rasterised - a.rasterised));
	checkf(b.digit_sets == a.digit_sets, "no digit sets rebuilt (%u -> %u)",
	      a.digit_sets, b.digit_sets);
	fx_close(&f);
}

/* What the state dump says of the strip's lines differs (the frame
 * rewrites the dump then). */
static bool strip_differs(const struct ackui_state *a, const struct ackui_state *b)
{
	if (a->n_strip != b->n_strip)
		return true;
	for (size_t i = 0; i < a->n_strip && i < ACKUI_STRIP_MAX; i++)
		if (strcmp(a->label[i], b->label[i]) != 0 ||
		    !SDL_RectEquals(&a->declare_box[i], &b->declare_box[i]))
			return true;
	return false;
}

static void gen_flash(struct fx *f) { frame(f, NOW, 500); }
static void gen_tick(struct fx *f) { frame(f, NOW + 1, 1000); }
static void gen_keypad(struct fx *f) { click_row(f, 0); }
static void gen_escape(struct fx *f) { key(f, SDLK_ESCAPE); }

/* One caller more on the flooded channel: the flood's count. */
static void gen_caller(struct fx *f)
{
	breach(f->m, "ph-7", "phone", "Caller", PRIORITY_NORMAL, NOW - 990);
	alarms_update(f->a, f->m, NOW + 1);
	frame(f, NOW + 1, 1000);
}

/* The crisis over: its line goes quiet, the lines reorder. */
static void gen_crisis_over(struct fx *f)
{
	static struct msg msg;
	memset(&msg, 0, sizeof msg);
	msg.kind = MSG_CRISIS_CLEAR;
	apply(f->m, &msg);
	alarms_update(f->a, f->m, NOW + 2);
	frame(f, NOW + 2, 2000);
}

static void gen_again(struct fx *f) { frame(f, NOW + 2, 2000); }

/* ackui_strip_gen changes exactly when what the dump says of the strip's
 * lines (labels, "Declare crisis" boxes) changed: the frame rewrites the
 * dump on it instead of comparing a copy of the state every frame. */
static void test_strip_gen(void)
{
	static const struct {
		const char *what;
		void (*act)(struct fx *);
		bool changes;
	} steps[] = {
		{ "the flash's other phase", gen_flash, false },
		{ "a second later", gen_tick, false },
		{ "the keypad over the strip", gen_keypad, false },
		{ "the keypad closed", gen_escape, false },
		{ "one caller more in the flood", gen_caller, true },
		{ "the crisis over", gen_crisis_over, true },
		{ "the same frame again", gen_again, false },
	};
	struct fx f;
	if (!fx_open(&f, 1280, 720, LANG_EN, true))
		return fx_close(&f);
	frame(&f, NOW, 0);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct ackui_state was = state(&f);
		uint64_t gen = ackui_strip_gen(f.ui);
		steps[i].act(&f);
		struct ackui_state now = state(&f);
		bool bumped = ackui_strip_gen(f.ui) != gen;
		checkf(strip_differs(&was, &now) == steps[i].changes,
		       "%s: the strip's lines %s", steps[i].what,
		       steps[i].changes ? "change" : "stay");
		checkf(bumped == steps[i].changes, "%s: the count %s", steps[i].what,
		       bumped ? "moved" : "stayed");
	}
	fx_close(&f);
}

/* The flood's line writes its count (7 callers) in the language's digits,
 * as the tiles do, and the state dump's label is that string as drawn
 * (a test comparing it with the cut record then compares like with like);
 * the keypad opened from it says the same. */
static void test_strip_digits(void)
{
	static const struct {
		enum lang lang;
		enum digits digits;
		const char *count;
	} cases[] = {
		{ LANG_EN, DIGITS_NATIVE, "7" },
		{ LANG_HE, DIGITS_NATIVE, "7" },
		{ LANG_FA, DIGITS_NATIVE, "\xdb\xb7" }, /* U+06F7, Persian seven */
		{ LANG_FA, DIGITS_LATIN, "7" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fx f;
		const char *code = i18n_lang_code(cases[i].lang);
		if (!fx_open(&f, 1280, 720, cases[i].lang, true)) {
			fx_close(&f);
			continue;
		}
		f.cfg.digits = cases[i].digits;
		frame(&f, NOW, 0);
		struct ackui_state s = state(&f);
		checkf(s.n_strip == 2 && strcmp(s.strip[1], "flood:phone") == 0,
		       "%s/%zu: the flood's line drawn", code, i);
		checkf(strcmp(s.label[1], cases[i].count) == 0,
		       "%s/%zu: the flood's count drawn \"%s\" (\"%s\")", code, i,
		       cases[i].count, s.label[1]);
		click_row(&f, 1);
		s = state(&f);
		size_t t = strlen(s.keypad_title), c = strlen(cases[i].count);
		checkf(s.keypad_open && t > c &&
		       strcmp(s.keypad_title + t - c, cases[i].count) == 0,
		       "%s/%zu: the keypad's title ends in \"%s\" (\"%s\")", code, i,
		       cases[i].count, s.keypad_title);
		fx_close(&f);
	}
}

static bool apart(const SDL_Rect *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (SDL_HasIntersection(&r[i], &r[j]))
				return false;
	return true;
}

static bool within(SDL_Rect outer, SDL_Rect in)
{
	return in.w > 0 && in.h > 0 && in.x >= outer.x && in.y >= outer.y &&
	       in.x + in.w <= outer.x + outer.w && in.y + in.h <= outer.y + outer.h;
}

/* An alarm the strip lists (the others are drawn in the list's rows). */
static bool in_strip(const struct fx *f, size_t idx)
{
	struct alarm_view v;
	return alarms_get(f->a, idx, &v) && !alarm_in_row(v.kind);
}

static void check_strip(struct fx *f, const char *tag)
{
	SDL_Rect rows[8];
	size_t n = 0;
	for (size_t i = 0; i < alarms_count(f->a) && n < 8; i++)
		if (in_strip(f, i) && ackui_row_rect(f->ui, i, &rows[n]))
			n++;
	checkf(n >= 1, "%s: strip rows drawn (%zu)", tag, n);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		out += !within(f->area, rows[i]);
	checkf(out == 0 && apart(rows, n), "%s: rows inside the strip, apart", tag);
	int u = f->w < f->h ? f->w : f->h;
	checkf(n && rows[0].h >= u * 45 / 1000, "%s: rows %d px high", tag, n ? rows[0].h : 0);
}

/* The strip render reserved and what ackui draws in it agree: whole rows,
 * no more than ackui asked for (two), one line per strip alarm that fits,
 * "+N" at the end side when there are more; no breach alarm in the strip
 * (they are the list's rows). */
static void check_strip_rows(struct fx *f, const char *tag)
{
	SDL_Rect r0, r1;
	size_t total = alarms_count(f->a), count = 0, shown = 0, first = total;
	for (size_t i = 0; i < total; i++) {
		if (!in_strip(f, i))
			continue;
		count++;
		if (ackui_row_rect(f->ui, i, NULL)) {
			first = i < first ? i : first;
			shown++;
		}
	}
	struct ackui_state s = state(f);
	size_t breaches = 0;
	for (size_t i = 0; i < s.n_strip; i++)
		breaches += strncmp(s.strip[i], "breach:", 7) == 0;
	checkf(s.n_strip == shown && breaches == 0, "%s: strip ids %zu, %zu breaches", tag,
	      s.n_strip, breaches);
	if (!ackui_row_rect(f->ui, first, &r0) || !ackui_row_rect(f->ui, first + 1, &r1)) {
		checkf(false, "%s: two strip rows drawn (%zu)", tag, shown);
		return;
	}
	int pitch = r1.y - r0.y, wanted = ackui_rows_wanted(f->ui);
	int rows = pitch > 0 ? f->area.h / pitch : 0;
	checkf(pitch > 0 && f->area.h % pitch == 0, "%s: strip of whole rows (%d px, rows of %d)",
	      tag, f->area.h, pitch);
	checkf(rows >= 2 && rows <= wanted, "%s: %d strip rows (ackui wants %d)", tag, rows,
	      wanted);
	size_t expect = count <= (size_t)rows ? count : (size_t)rows;
	checkf(shown == expect, "%s: %zu alarm rows drawn in %d rows for %zu alarms", tag,
	      shown, rows, count);
	checkf(r0.y == f->area.y, "%s: rows from the strip's top", tag);
	checkf(ackui_more_rect(f->ui, NULL) == (count > shown), "%s: +N only when more", tag);
}

/* An acknowledged row's "✓ Dana 11:04, until 11:19" stands apart from
 * the complaint's text, on whichever side the text's own direction
 * leaves it: nothing drawn within a quarter of the text's size outside
 * the text's box on the note's side (the row's end: right in en, left
 * in he and fa). */
static void check_ack_note_apart(struct fx *f, bool rtl, const char *tag)
{
	struct render_row rows[64];
	size_t n = render_rows(f->render, rows, 64), acked = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].has_alarm || rows[i].alarm != ALARM_ACKED)
			continue;
		acked++;
		SDL_Rect tb = rows[i].text_box;
		int gap = rows[i].text_px / 4;
		SDL_Rect side = { rtl ? tb.x - gap : tb.x + tb.w, tb.y, gap, tb.h };
		long ink = 0;
		SDL_LockSurface(f->surf);
		for (int y = side.y; y < side.y + side.h; y++)
			for (int x = side.x; x < side.x + side.w; x++) {
				const uint8_t *row = (const uint8_t *)f->surf->pixels +
						     y * f->surf->pitch;
				uint32_t p = ((const uint32_t *)row)[x];
				int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
				ink += (r > g ? (r > b ? r : b) : (g > b ? g : b)) > 140;
			}
		SDL_UnlockSurface(f->surf);
		checkf(ink == 0, "%s: row %zu: %ld px of its note within %d px of the text", tag,
		       i, ink, gap);
	}
	checkf(acked == 1, "%s: one acknowledged row (%zu)", tag, acked);
}

/* Who is on it comes first: an acknowledged row short of room cuts the
 * note's time ("11:04, until 11:19") before the lead's name, which it
 * keeps whole (the strip's rule too, alarmview.c). */
static void check_ack_note_names(struct fx *f, const char *tag)
{
	static struct kit_seen seen;
	bool cut = false;
	seen.all = true;
	kit_seen_watch(&seen);
	frame(f, NOW, 0);
	kit_seen_watch(NULL);
	bool found = kit_seen_find(&seen, "Dana Levi", &cut) != NULL;
	checkf(found && !cut && seen.more == 0,
	       "%s: the acknowledged row names Dana Levi whole (%s, %zu texts not kept)", tag,
	       !found ? "not at all" : cut ? "cut" : "whole", seen.more);
}

/* The note's time ("11:04, until 11:19") is whole, cut to what still
 * reads (half of it or more), or not drawn: never a lone "…" where the
 * time was. */
static void check_ack_note_time(struct fx *f, const char *tag)
{
	static struct kit_seen seen;
	const char *until = i18n_get(f->cfg.lang, STR_UNTIL);
	size_t times = 0, stubs = 0;
	const char *stub = "";
	int stub_shown = 0;
	seen.all = true;
	kit_seen_watch(&seen);
	frame(f, NOW, 0);
	kit_seen_watch(NULL);
	for (size_t i = 0; i < seen.n; i++) {
		if (!strstr(seen.t[i].s, until))
			continue;
		times++;
		int shown = kit_seen_shown(&seen, seen.t[i].s);
		if (shown > 0 && shown < 450 && !stubs++) {
			stub = seen.t[i].s;
			stub_shown = shown;
		}
	}
	checkf(seen.more == 0 && stubs == 0,
	       "%s: %zu of %zu acknowledgement times drawn cut under half (\"%s\" at %d "
	       "permille; %zu texts not kept)", tag, stubs, times, stub, stub_shown, seen.more);
}

static void check_keypad(struct fx *f, const char *tag)
{
	static const int keys[13] = { '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
				      ACKUI_KEY_BACKSPACE, ACKUI_KEY_OK, ACKUI_KEY_CANCEL };
	SDL_Rect r[13], screen = { 0, 0, f->w, f->h };
	int u = f->w < f->h ? f->w : f->h;
	size_t small = 0, drawn = 0, out = 0;
	for (size_t i = 0; i < 13; i++) {
		if (!ackui_button_rect(f->ui, keys[i], &r[i]))
			continue;
		drawn++;
		small += r[i].h * 9 < u || r[i].w < r[i].h;
		out += !within(screen, r[i]);
	}
	checkf(drawn == 13, "%s: 13 buttons drawn (%zu)", tag, drawn);
	checkf(small == 0, "%s: %zu buttons under 1/9 of the screen", tag, small);
	checkf(out == 0 && apart(r, drawn), "%s: buttons inside the screen, apart", tag);
	checkf(r[0].x < r[1].x && r[1].x < r[2].x && r[9].x == r[1].x,
	      "%s: keypad digits laid out left to right", tag);
}

static void run_size(int w, int h, enum lang lang)
{
	struct fx f;
	char tag[64], name[96];
	snprintf(tag, sizeof tag, "%dx%d-%s", w, h, i18n_lang_code(lang));
	if (!fx_open(&f, w, h, lang, true))
		return fx_close(&f);
	checkf(alarms_ack(f.a, alarm_id(&f, 3), "Dana Levi", NOW - 120), "%s: ack row 3", tag);
	frame(&f, NOW, 0);
	check_strip(&f, tag);
	check_strip_rows(&f, tag);
	check_ack_note_apart(&f, i18n_is_rtl(lang), tag);
	check_ack_note_names(&f, tag);
	check_ack_note_time(&f, tag);
	snprintf(name, sizeof name, "%s-strip", tag);
	shot(&f, name);
	key(&f, SDLK_DOWN);
	key(&f, SDLK_DOWN);
	snprintf(name, sizeof name, "%s-selected", tag);
	shot(&f, name);
	click_row(&f, 1);
	checkf(state(&f).keypad_open, "%s: keypad open", tag);
	check_keypad(&f, tag);
	tap_pin(&f, "12");
	snprintf(name, sizeof name, "%s-keypad", tag);
	shot(&f, name);
	tap_pin(&f, "34");
	tap_key(&f, ACKUI_KEY_OK);
	checkf(state(&f).refused == 1, "%s: wrong PIN refused", tag);
	snprintf(name, sizeof name, "%s-keypad-wrong", tag);
	shot(&f, name);
	fx_close(&f);
}

static long peak(const int16_t *s, size_t n)
{
	long p = 0;
	for (size_t i = 0; i < n; i++)
		p = labs((long)s[i]) > p ? labs((long)s[i]) : p;
	return p;
}

static size_t crossings(const int16_t *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 1; i < n; i++)
		c += (s[i - 1] < 0) != (s[i] < 0);
	return c;
}

static void test_synth(void)
{
	static int16_t a[SOUND_RATE], b[SOUND_RATE];
	size_t na = sound_pattern_samples(SOUND_ALERT);
	size_t ne = sound_pattern_samples(SOUND_ESCALATED);
	checkf(na > SOUND_RATE / 4 && na < SOUND_RATE && ne < SOUND_RATE,
	      "patterns under a second (%zu, %zu samples)", na, ne);
	checkf(sound_render(SOUND_ALERT, 100, 0, a, SOUND_RATE) == na, "render returns the length");
	long pa = peak(a, na);
	checkf(pa > 12000 && pa < 32767, "loud at volume 100, no clipping (%ld)", pa);
	long step = 0;
	for (size_t i = 1; i < na; i++)
		step = labs((long)a[i] - a[i - 1]) > step ? labs((long)a[i] - a[i - 1]) : step;
	checkf(labs((long)a[0]) < pa / 100 && step < pa / 4,
	      "no clicks: starts at %d, largest step %ld of %ld", a[0], step, pa);
	bool q = peak(a + na - 10, 10) < pa / 50 && peak(a + na, 100) == 0;
	checkf(q, "tone ends softly, silence past the end");
	sound_render(SOUND_ALERT, 50, 0, b, na);
	double ratio = (double)peak(b, na) / (double)pa;
	checkf(ratio > 0.4 && ratio < 0.6, "volume scales the level (%.2f)", ratio);
	sound_render(SOUND_ALERT, 0, 0, b, na);
	checkf(peak(b, na) == 0, "volume 0 is silent");
	for (size_t off = 0; off < na; off += 1000)
		sound_render(SOUND_ALERT, 100, off, b + off, off + 1000 <= na ? 1000 : na - off);
	checkf(memcmp(a, b, na * sizeof *a) == 0, "rendering in callback-sized pieces is the same");
	checkf(sound_render(SOUND_ALERT, 100, na, b, 100) == 0, "nothing past the end");
	sound_render(SOUND_ESCALATED, 100, 0, b, SOUND_RATE);
	size_t ca = crossings(a, SOUND_RATE / 10), ce = crossings(b, SOUND_RATE / 10);
	checkf(ce * 10 > ca * 12, "escalated is higher (%zu vs %zu crossings)", ce, ca);
	checkf(peak(b, ne) > pa, "escalated is louder");
}

/* What a new sound knows of the device after its first step, with SDL's
 * dummy driver (ctest's): sound_init touches nothing (the probe held
 * every start's first frame back); the first play or sound_idle finds it. */
enum sound_step { STEP_NONE, STEP_IDLE, STEP_PLAY };

static void test_sound_device(void)
{
	static const struct {
		const char *what;
		const char *driver;  /* SDL_AUDIODRIVER for the case */
		int volume;
		enum sound_step step;
		enum sound_device device;
		bool held;        /* the audio subsystem, right after the step */
		bool held_later;  /* ... and after a later sound_idle */
	} cases[] = {
		{ "init alone", "dummy", 60, STEP_NONE, SOUND_DEVICE_UNKNOWN, false, false },
		{ "sound_idle probes and closes", "dummy", 60, STEP_IDLE, SOUND_DEVICE_FOUND,
		  false, false },
		{ "the first play opens it", "dummy", 60, STEP_PLAY, SOUND_DEVICE_FOUND, true, true },
		{ "a muted play opens nothing", "dummy", 0, STEP_PLAY, SOUND_DEVICE_UNKNOWN,
		  false, false },
		{ "muted, sound_idle still probes", "dummy", 0, STEP_IDLE, SOUND_DEVICE_FOUND,
		  false, false },
		{ "no driver: the first play finds none", "none-such", 60, STEP_PLAY,
		  SOUND_DEVICE_NONE, false, false },
		{ "no driver: sound_idle finds none", "none-such", 60, STEP_IDLE,
		  SOUND_DEVICE_NONE, false, false },
		/* a driver that starts but cannot open (ALSA without a card): the
		 * play keeps the subsystem, whose close waits on the driver's
		 * threads, until the calm pass lets it go */
		{ "open fails: the play keeps the subsystem", "disk", 60, STEP_PLAY,
		  SOUND_DEVICE_NONE, true, false },
	};
	/* the disk driver writes to this file: a path that cannot exist */
	setenv("SDL_DISKAUDIOFILE", "/nonexistent/wallboard-test.raw", 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setenv("SDL_AUDIODRIVER", cases[i].driver, 1);
		struct sound *s = sound_init(cases[i].volume);
		checkf(s && sound_device_state(s) == SOUND_DEVICE_UNKNOWN,
		       "%s: not looked for at init", cases[i].what);
		if (cases[i].step == STEP_IDLE)
			sound_idle(s);
		else if (cases[i].step == STEP_PLAY)
			sound_play(s, SOUND_ALERT);
		checkf(sound_device_state(s) == cases[i].device, "%s: device state %d",
		       cases[i].what, (int)sound_device_state(s));
		checkf(!SDL_WasInit(SDL_INIT_AUDIO) == !cases[i].held, "%s: subsystem %s",
		       cases[i].what, cases[i].held ? "held" : "not held");
		sound_idle(s); /* a later call: no probe again, nothing closed mid-pattern */
		checkf(!SDL_WasInit(SDL_INIT_AUDIO) == !cases[i].held_later,
		       "%s: after sound_idle, subsystem %s", cases[i].what,
		       cases[i].held_later ? "held" : "not held");
		/* not looked for yet (dummy driver): the calm pass finds it */
		enum sound_device later = cases[i].device == SOUND_DEVICE_UNKNOWN ?
						  SOUND_DEVICE_FOUND : cases[i].device;
		checkf(sound_device_state(s) == later, "%s: after sound_idle, device state %d",
		       cases[i].what, (int)sound_device_state(s));
		sound_destroy(s);
		checkf(!SDL_WasInit(SDL_INIT_AUDIO), "%s: let go at destroy", cases[i].what);
	}
	setenv("SDL_AUDIODRIVER", "dummy", 1);
}

/* Waits on the audio thread to play the pattern out (a bounded wait, not
 * a timing: nothing is asserted of how long it took). */
static bool sound_wait_end(const struct sound *s)
{
	for (int i = 0; i < 2000 && sound_playing(s); i++)
		SDL_Delay(5);
	return !sound_playing(s);
}

/* The close after a pattern waits on SDL's audio threads (up to 0.1 s),
 * so it is sound_idle's (a calm pass), never the pattern end's: a pass
 * amid a replay saw the end and stalled. The device is held, writing
 * silence, until then; a play after the close opens it again. */
enum close_step { CLOSE_PLAY, CLOSE_END, CLOSE_IDLE };

static void test_sound_close(void)
{
	static const struct {
		const char *what;
		enum close_step step;
		bool playing, held;  /* after the step: a pattern; the subsystem */
	} steps[] = {
		{ "a play opens the device", CLOSE_PLAY, true, true },
		{ "sound_idle mid-pattern keeps it", CLOSE_IDLE, true, true },
		{ "the pattern ended: still held until sound_idle", CLOSE_END, false, true },
		{ "sound_idle after the end closes it", CLOSE_IDLE, false, false },
		{ "a play after the close opens it again", CLOSE_PLAY, true, true },
		{ "that pattern ended: held again", CLOSE_END, false, true },
		{ "and sound_idle closes it again", CLOSE_IDLE, false, false },
	};
	struct sound *s = sound_init(60);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i].step == CLOSE_PLAY)
			sound_play(s, SOUND_ALERT);
		else if (steps[i].step == CLOSE_IDLE)
			sound_idle(s);
		else
			checkf(sound_wait_end(s), "%s: the pattern ends", steps[i].what);
		checkf(sound_playing(s) == steps[i].playing, "%s: %s", steps[i].what,
		       steps[i].playing ? "playing" : "not playing");
		checkf(!SDL_WasInit(SDL_INIT_AUDIO) == !steps[i].held, "%s: subsystem %s",
		       steps[i].what, steps[i].held ? "held" : "let go");
	}
	checkf(sound_device_state(s) == SOUND_DEVICE_FOUND, "the dummy audio device opens");
	sound_destroy(s);
}

static void test_sound(void)
{
	sound_destroy(NULL);
	sound_play(NULL, SOUND_ALERT);
	sound_idle(NULL);
	checkf(sound_plays(NULL) == 0 && sound_device_state(NULL) == SOUND_DEVICE_UNKNOWN &&
	       !sound_playing(NULL), "NULL sound is inert");
	struct sound *s = sound_init(60);
	checkf(s != NULL, "sound_init(60)");
	const char *drv = getenv("SDL_AUDIODRIVER");
	bool dummy = drv && strcmp(drv, "dummy") == 0;
	if (dummy) {
		test_sound_device();
		test_sound_close();
	}
	/* the audio subsystem (ALSA's hotplug thread) only while sounding */
	checkf(!SDL_WasInit(SDL_INIT_AUDIO), "no audio subsystem held while quiet");
	sound_play(s, SOUND_ALERT);
	sound_play(s, SOUND_ESCALATED);
	checkf(sound_plays(s) == 2, "plays counted (%llu)", (unsigned long long)sound_plays(s));
	if (dummy)
		checkf(SDL_WasInit(SDL_INIT_AUDIO), "audio subsystem held while a pattern plays");
	sound_destroy(s);
	checkf(!SDL_WasInit(SDL_INIT_AUDIO), "audio subsystem let go at destroy");
	s = sound_init(0);
	sound_play(s, SOUND_ALERT);
	checkf(s && sound_plays(s) == 1, "muted plays are counted too");
	sound_destroy(s);
	test_synth();
}

int main(void)
{
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "SDL/TTF init: %s\n", SDL_GetError());
		return 1;
	}
	if (!pin_hash_make(PIN_DANA, hash_dana, sizeof hash_dana) ||
	    !pin_hash_make(PIN_AVI, hash_avi, sizeof hash_avi)) {
		fprintf(stderr, "pin_hash_make failed\n");
		return 1;
	}
	test_sound();
	test_basics();
	test_click_and_pin();
	test_checking();
	test_keyboard();
	test_wrong_and_lockout();
	test_closing_and_pointers();
	test_flashing();
	test_mirroring();
	test_no_leads_and_cleared();
	test_caching();
	test_strip_gen();
	test_strip_digits();
	static const int sizes[][2] = { { 800, 480 }, { 1920, 1080 }, { 3840, 2160 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int l = LANG_EN; l <= LANG_HE; l++)
			run_size(sizes[i][0], sizes[i][1], (enum lang)l);
	run_size(1280, 720, LANG_FA);
	run_size(1080, 1920, LANG_EN);
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
