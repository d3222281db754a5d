/* keypad.c - the PIN keypad and the "no leads" notice over the board
 * (see alarmview.h): keys at least 1/8 of the smaller side, laid out like
 * every phone keypad in every language (not mirrored); the typed digits
 * as dots; "Wrong PIN" and the lockout countdown. */
#include <stdio.h>
#include <string.h>

#include "alarmview_int.h"
#include "pin.h"

const char av_key_chars[N_KEYS] = {
	'1', '2', '3', '4', '5', '6', '7', '8', '9', AV_KEY_BACKSPACE, '0', AV_KEY_OK,
};

/* ---------------------------------------------------------------- layout */

/* Keys at least 1/8 of the smaller side (~12 mm on any wall screen worth
 * the name), less only when the output is too flat for the panel. */
static void modal_layout(struct alarmview *v)
{
	struct modal_layout *m = &v->ml;
	if (m->valid && m->w == v->w && m->h == v->h)
		return;
	int u = v->u, W = v->w, H = v->h;
	int b = kit_imax(kit_imin(kit_pct(u, 125), H * 10 / 88), 8);
	int kg = kit_imax(b / 8, 2), kw = b * 3 / 2, pp = kit_imax(b / 3, 4);
	int gw = 3 * kw + 2 * kg, margin = kit_imax(u / 40, 2);
	int pw = kit_imin(W - 2 * margin, kit_imax(gw + 2 * pp, b * 10));
	int th = b * 6 / 10, fh = b * 85 / 100, mh = b * 55 / 100, ch = b;
	int ph = 2 * pp + th + b / 10 + fh + mh + b / 8 + 4 * b + 3 * kg + b / 5 + ch;
	m->w = W;
	m->h = H;
	m->b = b;
	m->pp = pp;
	m->panel = kit_rect((W - pw) / 2, (H - ph) / 2, pw, ph);
	int x = m->panel.x, y = m->panel.y + pp, gx = x + (pw - gw) / 2;
	m->title = kit_rect(x + pp, y, pw - 2 * pp, th);
	y += th + b / 10;
	m->field = kit_rect(gx, y, gw, fh);
	y += fh;
	m->msg = kit_rect(x + pp, y, pw - 2 * pp, mh);
	y += mh + b / 8;
	for (int i = 0; i < N_KEYS; i++)
		m->keys[i] = kit_rect(gx + (i % 3) * (kw + kg), y + (i / 3) * (b + kg), kw, b);
	y += 4 * b + 3 * kg + b / 5;
	m->cancel = kit_rect(gx, y, gw, ch);
	m->title_px = kit_imax(b * 36 / 100, 6);
	m->key_px = kit_imax(b * 45 / 100, 6);
	m->msg_px = kit_px(u, 38);
	m->time_px = kit_px(u, 38); /* the list's timer size: a shared digit set */
	m->dot_r = kit_imax(b * 12 / 100, 2);
	int nh = 2 * pp + b + b / 5 + ch;
	m->notice = kit_rect((W - pw) / 2, (H - nh) / 2, pw, nh);
	m->notice_msg = kit_rect(m->notice.x + pp, m->notice.y + pp, pw - 2 * pp, b);
	m->notice_ok = kit_rect(gx, m->notice.y + pp + b + b / 5, gw, ch);
	m->valid = true;
}

static void draw_backspace(struct alarmview *v, SDL_Rect k, SDL_Color fg, SDL_Color bg)
{
	float h = (float)k.h * 0.38f, w = h * 1.7f;
	float cx = (float)k.x + (float)k.w / 2, cy = (float)k.y + (float)k.h / 2;
	float x0 = cx - w / 2, x1 = x0 + h / 2, x2 = cx + w / 2;
	SDL_Vertex vx[5] = {
		{ { x0, cy }, fg, { 0, 0 } }, { { x1, cy - h / 2 }, fg, { 0, 0 } },
		{ { x2, cy - h / 2 }, fg, { 0, 0 } }, { { x2, cy + h / 2 }, fg, { 0, 0 } },
		{ { x1, cy + h / 2 }, fg, { 0, 0 } },
	};
	static const int idx[9] = { 0, 1, 4, 1, 2, 3, 1, 3, 4 };
	SDL_RenderGeometry(v->plain.ren, NULL, vx, 5, idx, 9);
	kit_put(&v->plain, P_LTR, "\xc3\x97", (int)(h * 0.95f), TEXT_BOLD, bg, AL_CENTER,
	    kit_rect((int)x1, (int)(cy - h / 2), (int)(x2 - x1), (int)h));
}

static bool key_enabled(const struct av_modal_view *m, char key)
{
	if (m->locked_ms > 0)
		return false;
	if (key == AV_KEY_OK)
		return m->digits >= PIN_MIN_DIGITS;
	if (key == AV_KEY_BACKSPACE)
		return m->digits > 0;
	return m->digits < PIN_MAX_DIGITS;
}

static void draw_key(struct alarmview *v, const struct av_modal_view *m, int i)
{
	const struct modal_layout *l = &v->ml;
	char key = av_key_chars[i], s[2] = { key, 0 };
	bool on = key_enabled(m, key);
	bool down = on && m->pressed.hit == AV_KEY && m->pressed.index == key;
	SDL_Color bg = !on ? kit_pal.key_off
		     : down ? kit_pal.key_down
		     : key == AV_KEY_OK ? kit_pal.key_go : kit_pal.key;
	SDL_Color fg = on ? kit_pal.white : kit_pal.dim;
	kit_fill(&v->plain, l->keys[i], bg);
	if (key == AV_KEY_BACKSPACE)
		draw_backspace(v, l->keys[i], fg, bg);
	else if (key == AV_KEY_OK)
		kit_put(&v->plain, P_UI, av_tr(v, STR_OK), l->key_px * 8 / 10, TEXT_BOLD, fg,
		    AL_CENTER, l->keys[i]);
	else /* one cached line per digit: keys never tick */
		kit_put(&v->plain, P_NUM, s, l->key_px, TEXT_BOLD, fg, AL_CENTER, l->keys[i]);
}

/* The typed digits as dots; red when the last PIN was wrong. */
static void draw_field(struct alarmview *v, const struct av_modal_view *m)
{
	const struct modal_layout *l = &v->ml;
	SDL_Rect f = l->field;
	kit_fill(&v->plain, f, m->wrong ? kit_pal.field_bad : kit_pal.field);
	kit_outline(&v->plain, f, m->wrong ? kit_imax(l->b / 16, 2) : kit_imax(l->b / 40, 1),
		m->wrong ? kit_pal.red : kit_pal.edge);
	int n = (int)(m->digits > PIN_MAX_DIGITS ? PIN_MAX_DIGITS : m->digits);
	int step = kit_imin(l->dot_r * 3, (f.w - 2 * l->dot_r) / kit_imax(n, 1));
	int x = f.x + (f.w - (n - 1) * step) / 2, cy = f.y + f.h / 2;
	for (int i = 0; i < n; i++) /* digits read left to right: so do dots */
		kit_disc(&v->plain, kit_rect(x + i * step - l->dot_r, cy - l->dot_r, 2 * l->dot_r + 1,
					       2 * l->dot_r + 1), kit_pal.text);
}

static void draw_message(struct alarmview *v, const struct av_modal_view *m)
{
	const struct modal_layout *l = &v->ml;
	if (m->locked_ms > 0) {
		char t[16];
		int64_t s = (m->locked_ms + 999) / 1000;
		snprintf(t, sizeof t, "%d:%02d", (int)(s / 60), (int)(s % 60));
		struct piece p[2] = {
			{ av_tr(v, STR_LOCKED), P_UI, l->msg_px, TEXT_BOLD, kit_pal.amber },
			{ t, P_DIGITS, l->time_px, TEXT_BOLD, kit_pal.amber },
		};
		kit_pieces(&v->plain, p, 2, l->msg, true, 0);
	} else if (m->checking) {
		kit_put(&v->plain, P_UI, av_tr(v, STR_CHECKING), l->msg_px, TEXT_BOLD, kit_pal.text,
		    AL_CENTER, l->msg);
	} else if (m->wrong) {
		kit_put(&v->plain, P_UI, av_tr(v, STR_WRONG_PIN), l->msg_px, TEXT_BOLD, kit_pal.red,
		    AL_CENTER, l->msg);
	} else {
		kit_put(&v->plain, P_UI, av_tr(v, STR_ENTER_PIN), l->msg_px, TEXT_REGULAR, kit_pal.muted,
		    AL_CENTER, l->msg);
	}
}

/* The title's size: smaller rather than cut (the lead reads it at arm's
 * length), down to 6/10 of the layout's. */
static int title_fit(const struct alarmview *v)
{
	const struct modal_layout *l = &v->ml;
	struct piece p = { v->title, P_UI, l->title_px, TEXT_BOLD, kit_pal.text };
	int w = kit_measure(&v->plain, &p), low = l->title_px * 6 / 10;
	if (w > l->title.w)
		p.px = kit_imax(l->title_px * l->title.w / w, low);
	while (p.px > low && kit_measure(&v->plain, &p) > l->title.w)
		p.px--;
	return p.px;
}

/* The keypad is drawn whole every frame it shows, and fitting measures
 * the whole title up to a dozen times: the size found is kept with what
 * it depends on (the title, the layout's room and size, the direction). */
static int title_px(struct alarmview *v)
{
	const struct modal_layout *l = &v->ml;
	struct title_fit *f = &v->title_fit;
	if (f->px && f->room == l->title.w && f->px_max == l->title_px &&
	    f->rtl == v->plain.rtl && strcmp(f->title, v->title) == 0)
		return f->px;
	memcpy(f->title, v->title, sizeof f->title);
	f->room = l->title.w;
	f->px_max = l->title_px;
	f->rtl = v->plain.rtl;
	f->px = title_fit(v);
	return f->px;
}

static void draw_title(struct alarmview *v, const struct alarm_view *a, enum str_id action)
{
	const struct modal_layout *l = &v->ml;
	const char *kind = "", *subject = "", *chan = "";
	if (a) {
		alarmview_words(v->cfg, a, &kind, &subject, v->words, sizeof v->words);
		kind = alarmview_what(v->cfg, a);
		/* which channel, but for a breach: its customer says which */
		if (a->channel[0] && a->kind != ALARM_BREACH)
			chan = av_channel_name(v, a->channel);
	}
	snprintf(v->title, sizeof v->title, "%s: %s%s%s%s%s",
		 av_tr(v, action), kind, chan[0] ? " · " : "",
		 chan, !subject[0] ? "" : chan[0] ? ": " : " ", subject);
	kit_put(&v->plain, P_UI, v->title, title_px(v), TEXT_BOLD, kit_pal.text, AL_CENTER,
		l->title);
}

static void draw_button(struct alarmview *v, SDL_Rect b, const char *s, bool down)
{
	kit_fill(&v->plain, b, down ? kit_pal.key_down : kit_pal.key);
	kit_put(&v->plain, P_UI, s, v->ml.key_px * 8 / 10, TEXT_BOLD, kit_pal.white, AL_CENTER, b);
}

static void draw_panel(struct alarmview *v, SDL_Rect p)
{
	kit_fill(&v->plain, kit_rect(0, 0, v->w, v->h), kit_pal.shade);
	kit_fill(&v->plain, p, kit_pal.modal);
	kit_outline(&v->plain, p, kit_imax(v->ml.b / 24, 1), kit_pal.edge);
}

const char *alarmview_modal_title(const struct alarmview *v)
{
	return v && v->modal == AV_MODAL_KEYPAD ? v->title : "";
}

void alarmview_draw_modal(struct alarmview *v, const struct av_modal_view *m)
{
	v->modal = m ? m->modal : AV_MODAL_NONE;
	if (v->modal == AV_MODAL_NONE)
		return;
	av_output_size(v);
	modal_layout(v);
	const struct modal_layout *l = &v->ml;
	bool down = m->pressed.hit == AV_CANCEL;
	if (v->modal == AV_MODAL_NO_LEADS) {
		draw_panel(v, l->notice);
		kit_put(&v->plain, P_UI, av_tr(v, STR_NO_LEADS), l->title_px, TEXT_BOLD, kit_pal.amber,
		    AL_CENTER, l->notice_msg);
		draw_button(v, l->notice_ok, av_tr(v, STR_OK), down);
		return;
	}
	draw_panel(v, l->panel);
	draw_title(v, m->alarm,
		   m->end ? STR_END_CRISIS : m->declare ? STR_DECLARE : STR_ACKNOWLEDGE);
	draw_field(v, m);
	draw_message(v, m);
	for (int i = 0; i < N_KEYS; i++)
		draw_key(v, m, i);
	draw_button(v, l->cancel, av_tr(v, STR_CANCEL), down);
}

struct av_target keypad_hit(const struct alarmview *v, int x, int y)
{
	struct av_target t = { AV_NONE, 0 };
	const struct modal_layout *l = &v->ml;
	if (v->modal == AV_MODAL_NO_LEADS) {
		t.hit = av_in(l->notice_ok, x, y) ? AV_CANCEL
		      : av_in(l->notice, x, y) ? AV_PANEL : AV_OUTSIDE;
		return t;
	}
	for (int i = 0; i < N_KEYS; i++)
		if (av_in(l->keys[i], x, y))
			return (struct av_target){ AV_KEY, av_key_chars[i] };
	t.hit = av_in(l->cancel, x, y) ? AV_CANCEL
	      : av_in(l->panel, x, y) ? AV_PANEL : AV_OUTSIDE;
	return t;
}

bool keypad_rect(const struct alarmview *v, struct av_target t, SDL_Rect *out)
{
	const struct modal_layout *l = &v->ml;
	if (t.hit == AV_KEY && v->modal == AV_MODAL_KEYPAD) {
		for (int i = 0; i < N_KEYS; i++)
			if (av_key_chars[i] == t.index) {
				*out = l->keys[i];
				return true;
			}
	} else if (t.hit == AV_CANCEL && v->modal != AV_MODAL_NONE) {
		*out = v->modal == AV_MODAL_KEYPAD ? l->cancel : l->notice_ok;
		return true;
	}
	return false;
}
