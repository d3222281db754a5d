/* ackui.c - see ackui.h.
 *
 * A small state machine: STRIP (rows, keyboard selection) -> KEYPAD (a PIN
 * for one alarm) or NOTICE (no leads configured) -> STRIP. The alarm the
 * keypad acknowledges and the selection are kept by id, not by position,
 * because the alarms reorder while someone types.
 *
 * Time: ticks are SDL_GetTicks() milliseconds, which wrap after 49.7
 * days, and the board runs for months. They are unwrapped here into a
 * 64-bit monotonic clock before they reach pin_guard, so a lockout that
 * spans a wrap still ends after its 30 s (not after 49 days).
 *
 * The PIN lives in one fixed buffer, is wiped after every attempt and
 * when the keypad closes, and is never logged. Drawing and hit-testing
 * are alarmview.c's. */
#include "ackui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alarmview.h"
#include "declare.h"
#include "kit.h"
#include "log.h"
#include "pin.h"
#include "pincheck.h"
#include "surge.h"

#define IDLE_MS 30000          /* keypad closes, selection goes */
#define WRONG_MS 2000          /* "Wrong PIN" stays this long */
#define CHECK_POLL_MS 20       /* while a PIN is being checked */
#define ROWS_WANTED_MAX AV_STRIP_LINES /* the rest behind "+N" */
#define LIST_ROWS_MAX 64
#define SELECTABLE_MAX (LIST_ROWS_MAX + ALARMVIEW_STRIP_MAX + SURGE_CHANNELS)
#define DECLARE "declare:"     /* the keypad's target: declare from an alarm */
#define END "end:"             /* ... end the crisis of an alarm */

enum mode { M_STRIP, M_KEYPAD, M_NOTICE };

/* One pointer at a time: the mouse or one finger (the latest press). */
struct press {
	bool active, touch;
	SDL_FingerID finger;
	struct av_target t;
};

struct ackui {
	SDL_Renderer *ren;
	struct text *text;
	const struct config *cfg;
	struct alarms *alarms;
	struct alarmview *view;
	struct pin_guard *guard;
	struct pincheck *check;        /* the PIN is hashed on its thread */
	bool checking;                 /* a check is under way: "checking..." */
	char check_target[ALARM_ID_MAX];
	char guard_path[CONFIG_PATH + 16]; /* the lockout survives restarts */

	enum mode mode;
	char target[ALARM_ID_MAX];
	char selected[ALARM_ID_MAX];   /* "" : none */
	size_t top, shown;             /* strip scroll, rows shown last frame */
	char pin[PIN_MAX_DIGITS + 1];
	size_t n_pin;
	struct press press;

	bool clock_set;
	uint32_t last_ticks;
	int64_t mono;                  /* unwrapped ticks */
	int64_t last_input, wrong_until;

	uint64_t acks, refused, locked;
	bool logged_no_leads;

	/* the list's rows that carry an alarm, as last drawn */
	struct av_list_row list[LIST_ROWS_MAX];
	char list_ids[LIST_ROWS_MAX][ALARM_ID_MAX];
	size_t n_list;
	char strip[ACKUI_STRIP_MAX][ALARM_ID_MAX];
	size_t n_strip;

	/* the crisis checklist's boxes, as last drawn */
	struct crisis *crisis;
	SDL_Rect steps[MSG_PLAYBOOK_MAX];
	size_t n_steps;
	uint64_t ticks;

	/* declaring a crisis from a surge alarm */
	bool declare_ok;               /* the config has a playbook */
	char declare_ids[SURGE_CHANNELS][ALARM_ID_MAX]; /* "declare:surge:<ch>" */
	struct ackui_declare declared; /* waiting for the app */
	bool declared_pending;
	uint64_t declares;
	struct ackui_end ended;        /* ending a declared crisis, for the app */
	bool ended_pending;
	uint64_t ends;
	char end_id[ALARM_ID_MAX];     /* "end:crisis", for the arrows */

	/* what the last ackui_draw showed, for scheduling */
	bool drawn_flashing, drawn_ticking, drawn_phase;
	int64_t drawn_lock_s;
};

/* ------------------------------------------------------------------ time */

static int64_t clock_at(const struct ackui *ui, uint32_t ticks)
{
	if (!ui->clock_set)
		return ticks;
	int32_t d = (int32_t)(ticks - ui->last_ticks);
	return ui->mono + (d > 0 ? d : 0);
}

/* Ticks that go backwards (a caller's stale value) do not move the clock. */
static int64_t clock_update(struct ackui *ui, uint32_t ticks)
{
	if (!ui->clock_set) {
		ui->clock_set = true;
		ui->mono = ticks;
		ui->last_ticks = ticks;
		/* The clock is known from now on: a lockout from before a
		 * restart resumes where it was. */
		if (ui->guard_path[0])
			pin_guard_load(ui->guard, ui->guard_path, ui->mono, (int64_t)time(NULL));
	}
	int32_t d = (int32_t)(ticks - ui->last_ticks);
	if (d > 0) {
		ui->mono += d;
		ui->last_ticks = ticks;
	}
	return ui->mono;
}

static bool flash_phase(uint32_t ticks)
{
	return kit_flash_phase(ticks);
}

/* Milliseconds until the wall clock's next second (durations count
 * epoch seconds), plus a little so the new value is there when we wake. */
static uint32_t wall_ms_until_second(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return 1000u - (uint32_t)(ts.tv_nsec / 1000000) + KIT_WAKE_LATE_MS;
}

static int64_t lock_seconds(const struct ackui *ui, int64_t t)
{
	return ui->mode == M_KEYPAD ? (pin_guard_wait_ms(ui->guard, t) + 999) / 1000 : 0;
}

/* ---------------------------------------------------------------- alarms */

static int index_of(const struct ackui *ui, const char *id)
{
	struct alarm_view av;
	if (!id[0])
		return -1;
	for (size_t i = 0; alarms_get(ui->alarms, i, &av); i++)
		if (strcmp(av.id, id) == 0)
			return (int)i;
	return -1;
}

/* "step:<n>": a playbook step, n from 1; returns n - 1, or -1. */
static int step_of(const struct ackui *ui, const char *id)
{
	if (strncmp(id, "step:", 5) != 0 || !ui->crisis)
		return -1;
	int n = atoi(id + 5);
	return n >= 1 && (size_t)n <= crisis_steps(ui->crisis) ? n - 1 : -1;
}

/* Declaring is offered: a playbook to run, and no crisis on already. */
static bool declare_now(const struct ackui *ui)
{
	return ui->declare_ok && !(ui->crisis && crisis_since(ui->crisis));
}

/* "<prefix><alarm id>" of a line's button: its alarm, of kind and not
 * cleared, into *av. */
static bool button_alarm(const struct ackui *ui, const char *id, const char *prefix,
			 enum alarm_kind kind, struct alarm_view *av)
{
	size_t n = strlen(prefix);
	return strncmp(id, prefix, n) == 0 && alarms_find(ui->alarms, id + n, av) &&
	       av->kind == kind && av->state != ALARM_CLEARED;
}

/* "declare:<alarm id>": the surge alarm into *av while declaring from it
 * is offered. */
static bool declare_of(const struct ackui *ui, const char *id, struct alarm_view *av)
{
	return declare_now(ui) && button_alarm(ui, id, DECLARE, ALARM_SURGE, av);
}

/* Ending is offered: the crisis followed was declared on a board. */
static bool end_now(const struct ackui *ui)
{
	return ui->crisis && crisis_since(ui->crisis) && crisis_declared(ui->crisis);
}

/* "end:<alarm id>": the crisis alarm into *av while ending it is offered. */
static bool end_of(const struct ackui *ui, const char *id, struct alarm_view *av)
{
	return end_now(ui) && button_alarm(ui, id, END, ALARM_CRISIS, av);
}

/* A line's own button (Declare crisis, End crisis): its alarm into *av. */
static bool button_of(const struct ackui *ui, const char *id, struct alarm_view *av)
{
	return declare_of(ui, id, av) || end_of(ui, id, av);
}

static bool target_open(const struct ackui *ui)
{
	struct alarm_view av;
	if (step_of(ui, ui->target) >= 0 || button_of(ui, ui->target, &av))
		return true;
	return alarms_find(ui->alarms, ui->target, &av) && av.state != ALARM_CLEARED;
}

/* The selection still points at something (an alarm or a step). */
static bool selection_valid(const struct ackui *ui)
{
	struct alarm_view av;
	return step_of(ui, ui->selected) >= 0 || index_of(ui, ui->selected) >= 0 ||
	       button_of(ui, ui->selected, &av);
}

/* What the keypad says it is for: a step shows as the crisis's, with the
 * step's number and text. */
static bool step_view(const struct ackui *ui, int idx, struct alarm_view *av, char *label,
		      size_t len)
{
	struct crisis_step st;
	if (idx < 0 || !crisis_step_get(ui->crisis, (size_t)idx, &st))
		return false;
	snprintf(label, len, "%d. %s", idx + 1, st.text);
	*av = (struct alarm_view){
		.id = ui->target, .kind = ALARM_CRISIS, .severity = ALARM_SEV_CRITICAL,
		.state = ALARM_FIRING, .channel = "", .label = label,
		.drill = crisis_is_drill(ui->crisis), .acked_by = "", .acked_board = "",
	};
	return true;
}

static void wipe_pin(struct ackui *ui)
{
	explicit_bzero(ui->pin, sizeof ui->pin);
	ui->n_pin = 0;
}

static void close_modal(struct ackui *ui)
{
	wipe_pin(ui);
	ui->mode = M_STRIP;
	ui->target[0] = '\0';
	ui->wrong_until = 0;
}

/* Open the keypad for alarm id; a cleared one needs nobody. */
static bool open_for(struct ackui *ui, const char *id)
{
	struct alarm_view av;
	bool own = id && (step_of(ui, id) >= 0 || button_of(ui, id, &av));
	if (!id || (!own && (!alarms_find(ui->alarms, id, &av) || av.state == ALARM_CLEARED)))
		return false;
	/* id may be ui->selected itself (Enter on a selected step or button):
	 * copied, as snprintf over its own source writes "" */
	char keep[sizeof ui->selected];
	snprintf(keep, sizeof keep, "%s", own ? id : av.id);
	memcpy(ui->selected, keep, sizeof keep);
	wipe_pin(ui);
	ui->wrong_until = 0;
	if (!ui->cfg->n_leads) {
		if (!ui->logged_no_leads)
			log_warn("ackui", "no [lead.<name>] in the config: alarms cannot "
				 "be acknowledged on this board");
		ui->logged_no_leads = true;
		ui->mode = M_NOTICE;
		return true;
	}
	snprintf(ui->target, sizeof ui->target, "%s", ui->selected);
	ui->mode = M_KEYPAD;
	return true;
}

/* --------------------------------------------------------------- keypad */

static bool type_digit(struct ackui *ui, char d)
{
	if (pin_guard_wait_ms(ui->guard, ui->mono) > 0 || ui->n_pin >= PIN_MAX_DIGITS)
		return false;
	ui->pin[ui->n_pin++] = d;
	ui->pin[ui->n_pin] = '\0';
	ui->wrong_until = 0;
	return true;
}

static bool backspace(struct ackui *ui)
{
	if (!ui->n_pin)
		return false;
	ui->pin[--ui->n_pin] = '\0';
	return true;
}

/* The declaration waits for the app (ackui_take_declare). */
static void declare_from(struct ackui *ui, const struct alarm_view *av, const char *by)
{
	struct ackui_declare *d = &ui->declared;
	memset(d, 0, sizeof *d);
	snprintf(d->alarm, sizeof d->alarm, "%s", av->id);
	snprintf(d->channel, sizeof d->channel, "%s", av->channel);
	snprintf(d->by, sizeof d->by, "%s", by);
	d->count = av->value > 0 ? (uint32_t)av->value : 0;
	d->drill = av->drill;
	ui->declared_pending = true;
	ui->declares++;
	log_info("ackui", "crisis declared by %s from alarm %s", by, av->id);
}

/* The end waits for the app (ackui_take_end). */
static void end_from(struct ackui *ui, const char *by)
{
	snprintf(ui->ended.by, sizeof ui->ended.by, "%s", by);
	ui->ended.since = crisis_since(ui->crisis);
	ui->ended_pending = true;
	ui->ends++;
	log_info("ackui", "crisis of %lld ended by %s", (long long)ui->ended.since, by);
}

static void accept(struct ackui *ui, size_t lead, int64_t now)
{
	const char *name = ui->cfg->leads[lead].name;
	int step = step_of(ui, ui->target);
	struct crisis_step st;
	struct alarm_view av;
	if (step >= 0 && crisis_step_get(ui->crisis, (size_t)step, &st)) {
		/* a ticked step is unticked: the same PIN rules either way */
		if (crisis_tick(ui->crisis, (size_t)step, !st.done, name, now))
			ui->ticks++;
	} else if (declare_of(ui, ui->target, &av)) {
		declare_from(ui, &av, name);
	} else if (end_of(ui, ui->target, &av)) {
		end_from(ui, name);
	} else if (alarms_ack(ui->alarms, ui->target, name, now)) {
		ui->acks++;
	}
	close_modal(ui);
}

/* OK or Enter. While locked it is an attempt refused unchecked. The
 * check itself runs on the pincheck thread; finish_check() takes it. */
static bool submit(struct ackui *ui, int64_t now)
{
	(void)now;
	if (!target_open(ui)) {
		close_modal(ui);
		return true;
	}
	if (ui->checking)
		return false; /* one at a time; the keypad stays responsive */
	if (pin_guard_wait_ms(ui->guard, ui->mono) > 0) {
		ui->locked++;
		wipe_pin(ui);
		log_info("ackui", "PIN for alarm %s refused: locked", ui->target);
		return true;
	}
	if (ui->n_pin < PIN_MIN_DIGITS)
		return false;
	if (!pincheck_start(ui->check, ui->pin))
		return false;
	wipe_pin(ui);
	ui->checking = true;
	snprintf(ui->check_target, sizeof ui->check_target, "%s", ui->target);
	return true;
}

/* The worker's answer: counted by the guard (also when the keypad was
 * closed meanwhile, so closing it cannot dodge the lockout), saved, and
 * the alarm acknowledged if its keypad is still open. */
static bool finish_check(struct ackui *ui, int64_t now)
{
	int lead;
	if (!ui->checking || !pincheck_poll(ui->check, &lead))
		return false;
	ui->checking = false;
	pin_guard_record(ui->guard, lead >= 0, ui->mono);
	if (ui->guard_path[0])
		pin_guard_save(ui->guard, ui->guard_path, ui->mono, (int64_t)time(NULL));
	bool same = ui->mode == M_KEYPAD && strcmp(ui->target, ui->check_target) == 0;
	if (lead >= 0 && same) {
		accept(ui, (size_t)lead, now);
	} else if (lead < 0) {
		ui->refused++;
		if (same)
			ui->wrong_until = ui->mono + WRONG_MS;
		log_info("ackui", "wrong PIN for alarm %s (%u in a row)", ui->check_target,
			 pin_guard_failures(ui->guard));
	}
	return true;
}

static bool keypad_key(struct ackui *ui, int key, int64_t now)
{
	if (key >= '0' && key <= '9')
		return type_digit(ui, (char)key);
	if (key == AV_KEY_BACKSPACE)
		return backspace(ui);
	if (key == AV_KEY_OK)
		return submit(ui, now);
	return false;
}

/* ------------------------------------------------------------- pointing */

static bool activate(struct ackui *ui, struct av_target t, int64_t now)
{
	switch (t.hit) {
	case AV_ROW:
		return ui->mode == M_STRIP &&
		       open_for(ui, alarmview_row_id(ui->view, t.index));
	case AV_STEP: {
		char id[24];
		snprintf(id, sizeof id, "step:%d", t.index + 1);
		return ui->mode == M_STRIP && open_for(ui, id);
	}
	case AV_DECLARE: { /* the line's own button: declare, or end */
		const char *alarm = alarmview_row_id(ui->view, t.index);
		char id[sizeof DECLARE + ALARM_ID_MAX];
		struct alarm_view av;
		snprintf(id, sizeof id, END "%s", alarm ? alarm : "");
		if (!end_of(ui, id, &av))
			snprintf(id, sizeof id, DECLARE "%s", alarm ? alarm : "");
		return ui->mode == M_STRIP && alarm && open_for(ui, id);
	}
	case AV_MORE:
		/* next page; the selection would pull the page back */
		ui->top += ui->shown ? ui->shown : 1;
		ui->selected[0] = '\0';
		return true;
	case AV_KEY:
		return ui->mode == M_KEYPAD && keypad_key(ui, t.index, now);
	case AV_CANCEL:
	case AV_OUTSIDE:
		close_modal(ui);
		return true;
	default:
		return false;
	}
}

/* Window coordinates to renderer output pixels (they differ on HiDPI). */
static void to_output(const struct ackui *ui, Uint32 window_id, int *x, int *y)
{
	SDL_Window *w = window_id ? SDL_GetWindowFromID(window_id) : NULL;
	int ww = 0, wh = 0, ow = 0, oh = 0;
	if (!w)
		return;
	SDL_GetWindowSize(w, &ww, &wh);
	if (SDL_GetRendererOutputSize(ui->ren, &ow, &oh) != 0 || ww <= 0 || wh <= 0)
		return;
	*x = (int)((int64_t)*x * ow / ww);
	*y = (int)((int64_t)*y * oh / wh);
}

/* A new press replaces one whose release never came (a finger that left
 * the screen's edge, a lost event): a kiosk must never get stuck. */
/* The banner's step boxes first (while no modal is open), then the
 * strip, the list's rows and the keypad. */
static struct av_target hit(const struct ackui *ui, int x, int y)
{
	SDL_Point p = { x, y };
	for (size_t i = 0; ui->mode == M_STRIP && i < ui->n_steps; i++)
		if (SDL_PointInRect(&p, &ui->steps[i]))
			return (struct av_target){ AV_STEP, (int)i };
	return alarmview_hit(ui->view, x, y);
}

static bool press_begin(struct ackui *ui, int x, int y, bool touch, SDL_FingerID f)
{
	ui->press = (struct press){ true, touch, f, hit(ui, x, y) };
	ui->last_input = ui->mono;
	return ui->press.t.hit != AV_NONE;
}

/* Act on release over the same target as the press. */
static bool press_end(struct ackui *ui, int x, int y, bool touch, SDL_FingerID f,
		      int64_t now)
{
	if (!ui->press.active || ui->press.touch != touch || (touch && ui->press.finger != f))
		return false;
	struct av_target down = ui->press.t, up = hit(ui, x, y);
	ui->press.active = false;
	ui->last_input = ui->mono;
	bool same = down.hit == up.hit && down.index == up.index;
	bool changed = same && activate(ui, up, now);
	return changed || down.hit != AV_NONE;
}

static void finger_pos(const struct ackui *ui, const SDL_TouchFingerEvent *e, int *x, int *y)
{
	int ow = 1, oh = 1;
	SDL_GetRendererOutputSize(ui->ren, &ow, &oh);
	*x = (int)(e->x * (float)ow);
	*y = (int)(e->y * (float)oh);
}

/* --------------------------------------------------------------- keyboard */

static int key_digit(SDL_Keycode k)
{
	if (k >= SDLK_0 && k <= SDLK_9)
		return '0' + (int)(k - SDLK_0);
	if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
		return '1' + (int)(k - SDLK_KP_1);
	return k == SDLK_KP_0 ? '0' : -1;
}

static bool is_enter(SDL_Keycode k)
{
	return k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_RETURN2;
}

/* Up/Down, Left/Right and a USB keypad's arrow digits (8, 2, 4, 6). */
static int key_step(SDL_Keycode k)
{
	if (k == SDLK_UP || k == SDLK_LEFT || k == SDLK_KP_8 || k == SDLK_KP_4)
		return -1;
	if (k == SDLK_DOWN || k == SDLK_RIGHT || k == SDLK_KP_2 || k == SDLK_KP_6)
		return 1;
	return 0;
}

/* What the arrow keys walk through, top to bottom: the list's rows that
 * carry an alarm, then the strip's alarms (all of them: the strip scrolls
 * to the selected one), a surge's "Declare crisis" right after it. */
static size_t selectable(struct ackui *ui, const char **ids, size_t max)
{
	size_t n = alarmview_list_ids(ui->view, ids, max), n_dec = 0;
	struct alarm_view av;
	for (size_t i = 0; alarms_get(ui->alarms, i, &av) && n < max; i++) {
		if (alarm_in_row(av.kind) || av.state == ALARM_CLEARED)
			continue;
		ids[n++] = av.id;
		if (av.kind == ALARM_SURGE && declare_now(ui) && n < max && n_dec < SURGE_CHANNELS) {
			char *d = ui->declare_ids[n_dec++];
			snprintf(d, ALARM_ID_MAX, DECLARE "%s", av.id);
			ids[n++] = d;
		}
		if (av.kind == ALARM_CRISIS && end_now(ui) && n < max) {
			snprintf(ui->end_id, sizeof ui->end_id, END "%s", av.id);
			ids[n++] = ui->end_id;
		}
	}
	static const char *const step_ids[MSG_PLAYBOOK_MAX] = {
		"step:1", "step:2", "step:3", "step:4", "step:5", "step:6", "step:7", "step:8",
	};
	for (size_t i = 0; i < ui->n_steps && i < MSG_PLAYBOOK_MAX && n < max; i++)
		ids[n++] = step_ids[i];
	return n;
}

static bool select_step(struct ackui *ui, int d)
{
	const char *ids[SELECTABLE_MAX];
	size_t count = selectable(ui, ids, SELECTABLE_MAX);
	if (!count)
		return false;
	int cur = -1;
	for (size_t i = 0; i < count && cur < 0; i++)
		if (strcmp(ids[i], ui->selected) == 0)
			cur = (int)i;
	int next = cur < 0 ? 0 : cur + d;
	next = next < 0 ? 0 : next >= (int)count ? (int)count - 1 : next;
	if (next == cur)
		return false;
	snprintf(ui->selected, sizeof ui->selected, "%s", ids[next]);
	return true;
}

static bool strip_key(struct ackui *ui, SDL_Keycode k)
{
	int step = key_step(k);
	if (step)
		return select_step(ui, step);
	if (is_enter(k))
		return ui->selected[0] && open_for(ui, ui->selected);
	if (k == SDLK_ESCAPE && ui->selected[0]) {
		ui->selected[0] = '\0';
		return true;
	}
	return false;
}

static bool on_key(struct ackui *ui, const SDL_KeyboardEvent *e, int64_t now)
{
	SDL_Keycode k = e->keysym.sym;
	if (e->keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI))
		return false; /* the app's shortcuts */
	bool repeatable = k == SDLK_BACKSPACE || k == SDLK_KP_BACKSPACE || key_step(k);
	if (e->repeat && !repeatable)
		return false;
	ui->last_input = ui->mono;
	if (ui->mode == M_STRIP)
		return strip_key(ui, k);
	if (k == SDLK_ESCAPE || (ui->mode == M_NOTICE && is_enter(k))) {
		close_modal(ui);
		return true;
	}
	if (ui->mode != M_KEYPAD)
		return false;
	int d = key_digit(k);
	if (d >= 0)
		return keypad_key(ui, d, now);
	if (k == SDLK_BACKSPACE || k == SDLK_KP_BACKSPACE)
		return backspace(ui);
	return is_enter(k) && submit(ui, now);
}

/* ------------------------------------------------------------------- API */

struct ackui *ackui_init(SDL_Renderer *renderer, struct text *text,
			 const struct config *cfg, struct alarms *alarms)
{
	if (!renderer || !text || !cfg || !alarms) {
		log_error("ackui", "init: renderer, text, config and alarms are required");
		return NULL;
	}
	struct ackui *ui = calloc(1, sizeof *ui);
	if (!ui) {
		log_error("ackui", "out of memory");
		return NULL;
	}
	ui->ren = renderer;
	ui->text = text;
	ui->cfg = cfg;
	ui->alarms = alarms;
	ui->view = alarmview_init(renderer, text, cfg);
	ui->guard = pin_guard_init();
	ui->check = pincheck_create(cfg->leads, cfg->n_leads);
	char why[160];
	ui->declare_ok = declare_offered(cfg, why, sizeof why);
	if (!ui->declare_ok && cfg->surge_factor > 0)
		log_info("ackui", "%s", why);
	if (cfg->state_dir[0])
		snprintf(ui->guard_path, sizeof ui->guard_path, "%s/pin.lockout", cfg->state_dir);
	if (!ui->view || !ui->guard || !ui->check) {
		ackui_destroy(ui);
		return NULL;
	}
	return ui;
}

void ackui_destroy(struct ackui *ui)
{
	if (!ui)
		return;
	wipe_pin(ui);
	pincheck_destroy(ui->check);
	alarmview_destroy(ui->view);
	pin_guard_destroy(ui->guard);
	free(ui);
}

int ackui_rows_wanted(const struct ackui *ui)
{
	struct alarm_view av;
	size_t n = 0;
	for (size_t i = 0; ui && alarms_get(ui->alarms, i, &av); i++)
		n += !alarm_in_row(av.kind);
	return n > ROWS_WANTED_MAX ? ROWS_WANTED_MAX : (int)n;
}

void ackui_set_rows(struct ackui *ui, const struct render_row *rows, size_t n)
{
	if (!ui)
		return;
	ui->n_list = 0;
	for (size_t i = 0; rows && i < n && ui->n_list < LIST_ROWS_MAX; i++) {
		if (!rows[i].has_alarm)
			continue;
		alarms_breach_id(ui->list_ids[ui->n_list], rows[i].id);
		ui->list[ui->n_list] = (struct av_list_row){ rows[i].row, ui->list_ids[ui->n_list] };
		ui->n_list++;
	}
	alarmview_set_list(ui->view, ui->alarms, ui->list, ui->n_list);
}

void ackui_set_scene(struct ackui *ui, struct scene *s)
{
	if (ui)
		alarmview_set_scene(ui->view, s);
}

void ackui_set_steps(struct ackui *ui, struct crisis *c, const SDL_Rect *boxes, size_t n)
{
	if (!ui)
		return;
	ui->crisis = c;
	ui->n_steps = 0;
	for (size_t i = 0; boxes && i < n && i < MSG_PLAYBOOK_MAX; i++)
		ui->steps[ui->n_steps++] = boxes[i];
}

bool ackui_take_declare(struct ackui *ui, struct ackui_declare *out)
{
	if (!ui || !ui->declared_pending)
		return false;
	*out = ui->declared;
	ui->declared_pending = false;
	return true;
}

bool ackui_take_end(struct ackui *ui, struct ackui_end *out)
{
	if (!ui || !ui->ended_pending)
		return false;
	*out = ui->ended;
	ui->ended_pending = false;
	return true;
}

bool ackui_busy(const struct ackui *ui)
{
	return ui && (ui->mode != M_STRIP || ui->selected[0] || ui->press.active);
}

bool ackui_handle_event(struct ackui *ui, const SDL_Event *ev, int64_t now, uint32_t ticks)
{
	if (!ui || !ev)
		return false;
	clock_update(ui, ticks);
	int x, y;
	switch (ev->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		/* touches arrive as finger events; skip SDL's mouse copies */
		if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
			return false;
		x = ev->button.x;
		y = ev->button.y;
		to_output(ui, ev->button.windowID, &x, &y);
		if (ev->type == SDL_MOUSEBUTTONDOWN)
			return press_begin(ui, x, y, false, 0);
		return press_end(ui, x, y, false, 0, now);
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
		finger_pos(ui, &ev->tfinger, &x, &y);
		if (ev->type == SDL_FINGERDOWN)
			return press_begin(ui, x, y, true, ev->tfinger.fingerId);
		return press_end(ui, x, y, true, ev->tfinger.fingerId, now);
	case SDL_KEYDOWN:
		return on_key(ui, &ev->key, now);
	default:
		return false;
	}
}

bool ackui_poll_check(struct ackui *ui, uint32_t ticks, int64_t now)
{
	if (!ui)
		return false;
	clock_update(ui, ticks);
	return finish_check(ui, now);
}

bool ackui_tick(struct ackui *ui, uint32_t ticks)
{
	if (!ui)
		return false;
	int64_t t = clock_update(ui, ticks);
	bool changed = finish_check(ui, (int64_t)time(NULL));
	bool idle = t - ui->last_input >= IDLE_MS;
	if (ui->mode != M_STRIP && (idle || (ui->mode == M_KEYPAD && !target_open(ui)))) {
		close_modal(ui);
		changed = true;
	}
	if (ui->selected[0] && ui->mode == M_STRIP && (idle || !selection_valid(ui))) {
		ui->selected[0] = '\0';
		changed = true;
	}
	if (ui->wrong_until && t >= ui->wrong_until) {
		ui->wrong_until = 0;
		changed = true;
	}
	if (lock_seconds(ui, t) != ui->drawn_lock_s)
		changed = true;
	if (ui->drawn_flashing && flash_phase(ticks) != ui->drawn_phase)
		changed = true;
	return changed;
}

void ackui_draw(struct ackui *ui, const SDL_Rect *area, int64_t now, uint32_t ticks)
{
	if (!ui)
		return;
	int64_t t = clock_update(ui, ticks);
	struct av_target none = { AV_NONE, 0 };
	struct alarm_view dav;
	struct av_strip s = {
		.top = ui->top, .selected = index_of(ui, ui->selected),
		.pressed = ui->press.active && ui->mode == M_STRIP ? ui->press.t : none,
		.declare = declare_now(ui), .end = end_now(ui),
		.declare_selected = button_of(ui, ui->selected, &dav) ? index_of(ui, dav.id) : -1,
	};
	alarmview_draw_strip(ui->view, ui->alarms, area, &s, now, ticks);
	ui->n_strip = s.n_ids;
	memcpy(ui->strip, s.ids, sizeof ui->strip);
	ui->top = s.top;
	ui->shown = s.shown;
	ui->drawn_flashing = s.flashing;
	ui->drawn_ticking = s.ticking;
	ui->drawn_phase = flash_phase(ticks);

	static const enum av_modal modal_of[] = {
		[M_STRIP] = AV_MODAL_NONE, [M_KEYPAD] = AV_MODAL_KEYPAD,
		[M_NOTICE] = AV_MODAL_NO_LEADS,
	};
	struct alarm_view av;
	char label[MSG_ITEM_MAX + 8];
	bool declare = ui->mode == M_KEYPAD && declare_of(ui, ui->target, &av);
	bool end = ui->mode == M_KEYPAD && !declare && end_of(ui, ui->target, &av);
	bool have = declare || end || (ui->mode == M_KEYPAD &&
		    (step_view(ui, step_of(ui, ui->target), &av, label, sizeof label) ||
		     alarms_find(ui->alarms, ui->target, &av)));
	int sel = step_of(ui, ui->selected);
	if (ui->mode == M_STRIP && sel >= 0 && (size_t)sel < ui->n_steps) {
		/* the focus ring on the selected step's box */
		SDL_Rect r = ui->steps[sel];
		SDL_SetRenderDrawColor(ui->ren, 255, 214, 10, 255);
		for (int k = 0; k < 3; k++) {
			SDL_RenderDrawRect(ui->ren, &r);
			r = (SDL_Rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
		}
	}
	struct av_modal_view m = {
		.modal = modal_of[ui->mode], .alarm = have ? &av : NULL, .declare = declare,
		.end = end,
		.digits = ui->n_pin, .wrong = ui->wrong_until > t, .checking = ui->checking,
		.locked_ms = ui->mode == M_KEYPAD ? pin_guard_wait_ms(ui->guard, t) : 0,
		.pressed = ui->press.active && ui->mode != M_STRIP ? ui->press.t : none,
	};
	alarmview_draw_modal(ui->view, &m);
	ui->drawn_lock_s = lock_seconds(ui, t);
}

static void sooner(uint32_t *next, uint32_t ticks, int64_t in_ms)
{
	if (in_ms < 0)
		in_ms = 0;
	if (in_ms < (int64_t)(uint32_t)(*next - ticks))
		*next = ticks + (uint32_t)in_ms;
}

uint32_t ackui_next_change_ms(const struct ackui *ui, uint32_t ticks)
{
	uint32_t next = ticks + 60000u;
	if (!ui)
		return next;
	int64_t t = clock_at(ui, ticks);
	if (ui->drawn_ticking)
		sooner(&next, ticks, wall_ms_until_second());
	if (ui->drawn_flashing)
		sooner(&next, ticks, KIT_FLASH_HALF_MS - ticks % KIT_FLASH_HALF_MS +
					     KIT_WAKE_LATE_MS);
	if (ui->mode != M_STRIP || ui->selected[0])
		sooner(&next, ticks, ui->last_input + IDLE_MS - t);
	if (ui->wrong_until)
		sooner(&next, ticks, ui->wrong_until - t);
	if (ui->checking) /* look for the worker's answer */
		sooner(&next, ticks, CHECK_POLL_MS);
	int64_t w = ui->mode == M_KEYPAD ? pin_guard_wait_ms(ui->guard, t) : 0;
	if (w > 0) /* the countdown shows whole seconds, rounded up */
		sooner(&next, ticks, (w - 1) % 1000 + 1);
	return next;
}

void ackui_get_state(const struct ackui *ui, struct ackui_state *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	out->selected = -1;
	if (!ui)
		return;
	out->keypad_open = ui->mode == M_KEYPAD;
	snprintf(out->target, sizeof out->target, "%s", ui->target);
	out->selected = index_of(ui, ui->selected);
	out->digits = ui->n_pin;
	out->acks = ui->acks;
	out->refused = ui->refused;
	out->locked = ui->locked;
	out->checking = ui->checking;
	out->ticks = ui->ticks;
	out->declares = ui->declares;
	out->ends = ui->ends;
	out->declare_offered = ui->declare_ok;
	out->n_strip = ui->n_strip;
	snprintf(out->keypad_title, sizeof out->keypad_title, "%s",
		 alarmview_modal_title(ui->view));
	memcpy(out->strip, ui->strip, sizeof out->strip);
	for (size_t i = 0; i < ui->n_strip && i < ACKUI_STRIP_MAX; i++) {
		int idx = index_of(ui, ui->strip[i]);
		struct av_target t = { AV_DECLARE, idx };
		if (idx < 0 || !alarmview_rect(ui->view, t, &out->declare_box[i]))
			out->declare_box[i] = (SDL_Rect){ 0, 0, 0, 0 };
		const char *label = idx < 0 ? NULL : alarmview_label(ui->view, idx);
		snprintf(out->label[i], sizeof out->label[i], "%s", label ? label : "");
	}
}

uint64_t ackui_strip_gen(const struct ackui *ui)
{
	return ui ? alarmview_strip_gen(ui->view) : 0;
}

bool ackui_button_rect(const struct ackui *ui, int key, SDL_Rect *out)
{
	struct av_target t = { AV_KEY, key };
	if (key == ACKUI_KEY_CANCEL)
		t.hit = AV_CANCEL;
	else if (key == ACKUI_KEY_BACKSPACE)
		t.index = AV_KEY_BACKSPACE;
	else if (key == ACKUI_KEY_OK)
		t.index = AV_KEY_OK;
	if (!ui) {
		if (out)
			*out = (SDL_Rect){ 0, 0, 0, 0 };
		return false;
	}
	return alarmview_rect(ui->view, t, out);
}

bool ackui_row_rect(const struct ackui *ui, size_t alarm_index, SDL_Rect *out)
{
	struct av_target t = { AV_ROW, (int)alarm_index };
	if (!ui) {
		if (out)
			*out = (SDL_Rect){ 0, 0, 0, 0 };
		return false;
	}
	return alarmview_rect(ui->view, t, out);
}

bool ackui_more_rect(const struct ackui *ui, SDL_Rect *out)
{
	struct av_target t = { AV_MORE, 0 };
	if (!ui) {
		if (out)
			*out = (SDL_Rect){ 0, 0, 0, 0 };
		return false;
	}
	return alarmview_rect(ui->view, t, out);
}
