/* alarmview_int.h - what the strip (alarmview.c) and the keypad
 * (keypad.c) share: the view's state and last frame (internal). */
#ifndef WALLBOARD_ALARMVIEW_INT_H
#define WALLBOARD_ALARMVIEW_INT_H

#include "alarmview.h"
#include "i18n.h"
#include "kit.h"

#define STRIP_ROWS_MAX 8
#define LIST_ROWS_MAX 64
#define N_KEYS 12

/* Columns are x offsets from the strip's start side. */
struct strip_layout {
	bool valid;
	SDL_Rect area;
	int w, h;
	enum lang lang;
	int row_h, gap, fit, col_gap;
	int px, time_px, cue_px, esc_px;
	int bar_w, cue_x, cue_w, label_x, label_w, chan_x, chan_w;
	int dur_x, dur_w, end_x, end_w, more_w;
	/* this frame: a line's label and channel do not fit whole in their
	 * columns, so every line's label takes spare, what the end cells do
	 * not need, the least of them (line_cells, strip_spare) */
	bool crowded;
	int spare;
};

struct modal_layout {
	bool valid;
	int w, h;
	int b, pp;
	SDL_Rect panel, title, field, msg, keys[N_KEYS], cancel;
	SDL_Rect notice, notice_msg, notice_ok;
	int title_px, key_px, msg_px, time_px, dot_r;
};

/* A drawn target: rect in layout coordinates (strip) or on screen (list
 * rows: render's rects are screen rects). */
struct row_rec {
	SDL_Rect r;
	SDL_Rect declare;    /* its "Declare crisis" button (strip, surge) */
	bool has_declare;
	size_t index;
	char id[ALARM_ID_MAX];
};

/* The keypad title's size as fitted (keypad.c's title_px), and for what. */
struct title_fit {
	char title[AV_TITLE_MAX];
	int room, px_max;    /* the layout's title.w and title_px */
	bool rtl;
	int px;              /* 0: none yet */
};

struct alarmview {
	const struct config *cfg;
	struct kit kit;      /* the strip: mirrored for right-to-left */
	struct kit plain;    /* the keypad: a phone's grid in every language */
	int w, h, u;
	bool mirror;
	struct strip_layout sl;
	struct modal_layout ml;
	/* the last frame, for hit-testing */
	struct row_rec rows[STRIP_ROWS_MAX];
	char labels[STRIP_ROWS_MAX][ALARM_LABEL_MAX]; /* rows[i]'s, for the dump */
	size_t n_rows;
	uint64_t strip_gen;  /* alarmview_strip_gen */
	struct row_rec list[LIST_ROWS_MAX];
	size_t n_list;
	SDL_Rect more;
	bool more_shown;
	enum av_modal modal;
	/* strings built per frame: no allocation */
	char title[AV_TITLE_MAX];
	struct title_fit title_fit;
	char words[ALARM_LABEL_MAX];
	char chan[CONFIG_STR];
};

extern const char av_key_chars[N_KEYS];

const char *av_tr(const struct alarmview *v, enum str_id id);
/* Display name of a channel: configured, else built-in, else the key. */
const char *av_channel_name(struct alarmview *v, const char *key);
/* The output's size and direction, into v and its kits. */
void av_output_size(struct alarmview *v);
bool av_in(SDL_Rect r, int x, int y);

/* keypad.c: what (x, y) hits while a modal is shown; its rects. */
struct av_target keypad_hit(const struct alarmview *v, int x, int y);
bool keypad_rect(const struct alarmview *v, struct av_target t, SDL_Rect *out);

#endif
