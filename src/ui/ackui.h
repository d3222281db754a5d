/* ackui.h - where shift leads acknowledge alarms: the alarm strip, the
 * PIN keypad, and the input that drives them (touch, mouse, keyboard,
 * USB keypad).
 *
 * A breach alarm is drawn in its complaint's row of the list (render.h);
 * the strip lists the other alarms (crisis, floods, channel thresholds;
 * alarms.h display order) in the area the render module reserves for it;
 * firing alarms are loud, acknowledged ones quiet (with who/when),
 * escalated ones louder still. Selecting an alarm (tap or click its row
 * or line, or arrows + Enter: the list's rows top to bottom, then the
 * strip) opens the PIN keypad over the board; a
 * correct PIN acknowledges the alarm as that lead (alarms_ack, which
 * queues the MQTT publish), a wrong one is refused visibly and
 * rate-limited (pin.h). The entered digits are shown masked and never
 * logged. Escape, a tap outside the keypad or 30 s without input closes it.
 * Without any [lead.*] in the config a notice says so instead of the
 * keypad. During a lockout the keypad shows the time left and takes no
 * digits; pressing OK then counts as an attempt refused (`locked`).
 *
 * Touch and mouse act on release, over the same target as the press;
 * SDL's mouse events synthesised from touches are ignored (the finger
 * events are used). The keypad grid reads left to right in every language.
 *
 * Keyboard: Up/Down (or Left/Right) select, Enter/KP_Enter opens the
 * keypad or submits, digits and KP digits type, Backspace deletes,
 * Escape cancels. */
#ifndef WALLBOARD_ACKUI_H
#define WALLBOARD_ACKUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scene;
#include <SDL.h>

#include "alarms.h"
#include "alarmview.h"
#include "config.h"
#include "crisis.h"
#include "render.h"
#include "text.h"

struct ackui;

/* What tests and the state dump read of the UI. */
/* The strip's lines the state reports (the dump, the frame's compare). */
#define ACKUI_STRIP_MAX 8

struct ackui_state {
	bool keypad_open;
	char target[ALARM_ID_MAX];     /* alarm the keypad acknowledges */
	int selected;                  /* index into alarms order, -1: none */
	size_t digits;                 /* digits typed so far (not the digits) */
	uint64_t acks;                 /* successful acknowledgements */
	uint64_t refused;              /* wrong PINs */
	uint64_t locked;               /* attempts refused during a lockout */
	bool checking;                 /* a PIN is being checked (own thread) */
	uint64_t ticks;                /* playbook steps ticked or unticked */
	uint64_t declares;             /* crises declared from surge alarms */
	uint64_t ends;                 /* declared crises ended on this board */
	bool declare_offered;          /* the config has a playbook */
	char strip[ACKUI_STRIP_MAX][ALARM_ID_MAX]; /* alarm ids of the strip's lines */
	SDL_Rect declare_box[ACKUI_STRIP_MAX];       /* their "Declare crisis" or "End crisis"
	                                  buttons (w 0: none) */
	char label[ACKUI_STRIP_MAX][ALARM_LABEL_MAX]; /* their words after the kind's, as
	                                  drawn (alarmview_label) */
	size_t n_strip;
	char keypad_title[AV_TITLE_MAX]; /* as drawn; "": none */
};

/* A crisis a lead declared from a surge alarm (declare.h): the app
 * publishes it. */
struct ackui_declare {
	char alarm[ALARM_ID_MAX];      /* "surge:<channel>" */
	char channel[MSG_CHANNEL_MAX];
	char by[CONFIG_STR];           /* the lead */
	uint32_t count;                /* the alarm's count when declared */
	bool drill;
};

struct ackui *ackui_init(SDL_Renderer *renderer, struct text *text,
			 const struct config *cfg, struct alarms *alarms);
void ackui_destroy(struct ackui *ui);

/* How many strip rows the render module should reserve: one per alarm
 * that is not a row of the list, at most two (0 when there is none: the
 * board stays calm and uses the room for data). */
int ackui_rows_wanted(const struct ackui *ui);

/* The list's rows of the frame just rendered (render_rows): tapping one
 * that carries an alarm acknowledges it; the arrows walk them. */
void ackui_set_rows(struct ackui *ui, const struct render_row *rows, size_t n);

/* The crisis checklist: its steps' boxes on the banner (render_steps(),
 * screen rects) become targets like alarms: tapping one, or selecting it
 * with the arrows (after the strip's alarms) and Enter, opens the keypad;
 * the PIN ticks the step, or unticks a ticked one (crisis_tick), as that
 * lead. The keypad's target is then "step:<n>" (n from 1). */
void ackui_set_steps(struct ackui *ui, struct crisis *c, const SDL_Rect *boxes, size_t n);

/* Declaring a crisis: a surge alarm's strip line has a "Declare crisis"
 * button while no crisis is on, when the config has a playbook
 * (declare_offered; without one the reason is logged at start). Tapping
 * it, or selecting it with the arrows (right after its alarm) and Enter,
 * opens the keypad ("Declare crisis: Surge ..."); the PIN declares it as
 * that lead, with the same rules and lockout as an ack. The keypad's
 * target is then "declare:<alarm id>". The declaration waits here until
 * the app takes it (true once per declaration). */
bool ackui_take_declare(struct ackui *ui, struct ackui_declare *out);

/* Ending a declared crisis: while the crisis followed was declared on a
 * board (crisis_declared), the crisis alarm's strip line has an "End
 * crisis" button, used as "Declare crisis" is (the keypad's target is
 * "end:crisis"). The PIN ends it as that lead: who, and the crisis's
 * since, wait here until the app takes them (true once per end). */
struct ackui_end {
	char by[CONFIG_STR];
	int64_t since;
};
bool ackui_take_end(struct ackui *ui, struct ackui_end *out);

/* A lead is using the board (a selection, a press, the keypad): the list
 * should not turn its page under them. */
bool ackui_busy(const struct ackui *ui);

/* Drawing recorded into s (scene.h); NULL: drawn. Not while busy: the
 * keypad draws what a scene does not record. */
void ackui_set_scene(struct ackui *ui, struct scene *s);

/* One input event. Returns true when what is shown changed. now: epoch
 * s; ticks: monotonic ms (lockouts and timeouts). */
bool ackui_handle_event(struct ackui *ui, const SDL_Event *ev, int64_t now, uint32_t ticks);

/* Time-driven changes (keypad timeout, "wrong PIN" message expiry). */
/* The answer of a PIN check (checked on its own thread) if it came: the
 * alarm is acknowledged, or the PIN refused. True when so; the caller
 * sends the ack (alarms' outbox) and redraws. ackui_tick() takes the
 * answer too when this was not called. */
bool ackui_poll_check(struct ackui *ui, uint32_t ticks, int64_t now);
bool ackui_tick(struct ackui *ui, uint32_t ticks);

/* Draw the strip into area and, when open, the keypad over the output. */
void ackui_draw(struct ackui *ui, const SDL_Rect *area, int64_t now, uint32_t ticks);

/* Next ms at which the UI changes by itself (flash of firing alarms,
 * message expiry, keypad timeout); ticks + 60000 when nothing. */
uint32_t ackui_next_change_ms(const struct ackui *ui, uint32_t ticks);

void ackui_get_state(const struct ackui *ui, struct ackui_state *out);

/* Changes whenever a draw's strip lines differ from the draw before in
 * what ackui_state says of them (n_strip, label, declare_box;
 * alarmview_strip_gen): the frame learns so without a copy of the state. */
uint64_t ackui_strip_gen(const struct ackui *ui);

/* Where things were drawn in the last ackui_draw (screen rects), for tests
 * and for anything that needs to point at them. key: '0'..'9',
 * ACKUI_KEY_BACKSPACE, ACKUI_KEY_OK or ACKUI_KEY_CANCEL (while the keypad
 * is shown; ACKUI_KEY_CANCEL is also the "no leads" notice's OK); row:
 * index into alarms order, while that alarm's strip line or list row is
 * shown. False when not drawn. */
#define ACKUI_KEY_BACKSPACE '\b'
#define ACKUI_KEY_OK '\r'
#define ACKUI_KEY_CANCEL 0x1b
bool ackui_button_rect(const struct ackui *ui, int key, SDL_Rect *out);
bool ackui_row_rect(const struct ackui *ui, size_t alarm_index, SDL_Rect *out);
/* The strip's "+N" cell (tapping it shows the next strip alarms). */
bool ackui_more_rect(const struct ackui *ui, SDL_Rect *out);

#endif
