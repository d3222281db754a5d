/* alarmview.h - the alarm strip and the PIN keypad as pixels: drawing
 * what ackui.c decides, and telling which drawn element a point hits
 * (strip lines, the keypad, and the list's rows, which carry their own
 * breach alarms: lists.c draws them, this module marks and hit-tests them).
 *
 * Internal to the view library: ackui.c owns the state and the input;
 * this module holds only the geometry of the last frame (for hit-testing)
 * and its own layout cache. Everything is laid out from the output's
 * smaller side, so it reads the same at 800x480 and at 3840x2160, and is
 * mirrored for right-to-left languages, except the keypad grid (digits
 * are laid out like every phone keypad, in every language). */
#ifndef WALLBOARD_ALARMVIEW_H
#define WALLBOARD_ALARMVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

#include "alarms.h"
#include "config.h"
#include "text.h"

struct scene;

/* Keypad keys that are not digits (the digits are '0'..'9'). */
#define AV_KEY_BACKSPACE '\b'
#define AV_KEY_OK '\r'

/* The strip's sizes, in permille of the output's smaller side: render.c
 * reserves lines of row_h, this module draws them. */
#define AV_STRIP_LINES 2
struct strip_metrics {
	int row_h, px, time_px, cue_px, esc_px;
};
extern const struct strip_metrics strip_m;

/* Strip alarms looked at per frame (the strip shows a few of them). */
#define ALARMVIEW_STRIP_MAX 256

enum av_hit {
	AV_NONE,      /* nothing that reacts */
	AV_ROW,       /* a strip line or a list row with an alarm; index: the
	                 alarm's place in alarms order */
	AV_MORE,      /* the "+N" cell */
	AV_KEY,       /* a keypad key; index: '0'..'9', AV_KEY_BACKSPACE, AV_KEY_OK */
	AV_CANCEL,    /* the modal's Cancel (keypad) or OK (notice) button */
	AV_PANEL,     /* inside the modal panel, between buttons */
	AV_OUTSIDE,   /* outside the modal panel while one is shown */
	AV_STEP,      /* a playbook step's box on the banner (ackui.c); index 0.. */
	AV_DECLARE,   /* a surge line's "Declare crisis" button; index: the
	                 alarm's place in alarms order */
};

struct av_target {
	enum av_hit hit;
	int index;
};

/* The strip: in, what to show; out, what the frame showed. */
struct av_strip {
	size_t top;              /* in/out: first strip alarm shown; moved so
	                            that `selected` is visible */
	int selected;            /* alarm with the focus ring (strip line or
	                            list row), -1: none */
	struct av_target pressed;/* drawn pressed (finger or button down) */
	bool declare;            /* surge lines offer "Declare crisis" */
	bool end;                /* the crisis line offers "End crisis" */
	int declare_selected;    /* alarm whose "Declare crisis" has the focus
	                            ring, -1: none */
	bool flashing;           /* out: a line flashes (changes at 1 Hz) */
	bool ticking;            /* out: a duration counts seconds */
	size_t shown;            /* out: strip lines drawn */
	char ids[8][ALARM_ID_MAX];/* out: their alarm ids */
	size_t n_ids;
};

/* A row of the list that carries an alarm (screen rect). */
struct av_list_row {
	SDL_Rect rect;
	const char *alarm_id;
};

enum av_modal { AV_MODAL_NONE, AV_MODAL_KEYPAD, AV_MODAL_NO_LEADS };

/* The modal over the board. */
struct av_modal_view {
	enum av_modal modal;
	const struct alarm_view *alarm; /* KEYPAD: the alarm to acknowledge */
	bool declare;            /* KEYPAD: declares a crisis from that alarm */
	bool end;                /* KEYPAD: ends that alarm's (declared) crisis */
	size_t digits;           /* typed so far (shown masked) */
	bool wrong;              /* "Wrong PIN" */
	bool checking;           /* the PIN is being checked: "Checking..." */
	int64_t locked_ms;       /* > 0: locked this much longer */
	struct av_target pressed;
};

struct alarmview;

struct alarmview *alarmview_init(SDL_Renderer *renderer, struct text *text,
				 const struct config *cfg);
void alarmview_destroy(struct alarmview *v);

/* The list's rows of the frame being drawn, for hit-testing and for the
 * focus ring (rows whose alarm is unknown or cleared are skipped). */
void alarmview_set_list(struct alarmview *v, const struct alarms *a,
			const struct av_list_row *rows, size_t n);
/* Alarm ids of those rows, top to bottom (valid until the next set). */
size_t alarmview_list_ids(const struct alarmview *v, const char **ids, size_t max);

/* Lines of the alarms the list does not show (alarm_in_row() false;
 * alarms order, from s->top) into area, and "+N" at its end side when
 * more exist than fit; then the focus ring and pressed shade over the
 * list's rows. area NULL or empty, or no such alarms: no strip line is
 * drawn or can be hit. */
void alarmview_draw_strip(struct alarmview *v, const struct alarms *a,
			  const SDL_Rect *area, struct av_strip *s,
			  int64_t now, uint32_t ticks);

/* A count that changes whenever a frame's strip lines differ from the
 * last frame's in number, in their labels (alarmview_label) or in their
 * "Declare crisis" / "End crisis" buttons (alarmview_rect, AV_DECLARE):
 * what the state dump says of them. Equal counts: the same number of
 * lines, labels and buttons. */
uint64_t alarmview_strip_gen(const struct alarmview *v);

/* Room for the keypad's title, its NUL too (alarmview_modal_title). */
#define AV_TITLE_MAX (ALARM_LABEL_MAX + 256)

/* The keypad or the "no leads" notice over the whole output (AV_MODAL_NONE
 * draws nothing and forgets the modal's buttons). */
void alarmview_draw_modal(struct alarmview *v, const struct av_modal_view *m);
/* The keypad's title as last drawn ("Declare crisis: Surge · Instagram: ...");
 * "" when no keypad is open. At most AV_TITLE_MAX - 1 bytes. */
const char *alarmview_modal_title(const struct alarmview *v);

/* The strip is recorded into s (scene.h) instead of drawn; NULL: drawn.
 * The keypad draws a shape the scene does not record: while it is open,
 * draw without a scene. */
void alarmview_set_scene(struct alarmview *v, struct scene *s);

/* What (x, y) hits in the last drawn frame: while a modal is shown only
 * the modal's targets, AV_PANEL or AV_OUTSIDE. */
struct av_target alarmview_hit(const struct alarmview *v, int x, int y);

/* The id of the alarm drawn in row `index` of the last frame, or NULL:
 * a tap acknowledges what was on the screen, even if the alarms have
 * been reordered since. */
const char *alarmview_row_id(const struct alarmview *v, int index);

/* The words after the kind's on strip line `index` of the last frame, as
 * drawn (a surge's numbers in the form that fitted: "23 in 10 min" or
 * "23"; counts in the language's digits, "۲۳" in Persian; a crisis's
 * title as given), "" when nothing was drawn;
 * NULL: no such line. Whole unless the cut record lists it (kit.h). */
const char *alarmview_label(const struct alarmview *v, int index);

/* Screen rect of a target in the last drawn frame; false if not drawn. */
bool alarmview_rect(const struct alarmview *v, struct av_target t, SDL_Rect *out);

/* What happened, the word of an alarm's badge: "VIP breach", "Breach",
 * "Flood", "Limit", "Crisis". */
const char *alarmview_what(const struct config *cfg, const struct alarm_view *a);

/* The words of an alarm in the board's language: its kind ("Breached")
 * and what it is about (customer, crisis title, count), either may be "";
 * the board's own numbers in the language's digits (i18n_digits).
 * subject points into buf or at the alarm's own strings. */
void alarmview_words(const struct config *cfg, const struct alarm_view *a,
		     const char **kind, const char **subject, char *buf, size_t len);

#endif
