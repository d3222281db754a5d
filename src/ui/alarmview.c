/* alarmview.c - see alarmview.h.
 *
 * The strip: one line per alarm that is not a row of the list (crisis,
 * floods, channel thresholds), at most a few lines, then "+N" at its end
 * side. Columns (start side first): a badge saying what happened ("Flood",
 * "Crisis"), what it is about, the channel, how long, and an end cell
 * saying what to do or who acknowledged it. State is never shown by
 * colour alone: the end cell says it in words. Firing lines flash their
 * background at 1 Hz, in phase with the crisis banner and the list's
 * rows; text keeps its colour, so flashing rasterises nothing.
 *
 * The list's rows carry their own breach alarms (lists.c draws them);
 * this module only hit-tests them and draws the focus ring and the
 * pressed shade over them, so a lead acknowledges on the row.
 *
 * Text cost: words and names go through text_draw (cached lines); only
 * the running durations go through text_draw_digits, at the list's own
 * size and colours where possible. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmview_int.h"
#include "declare.h"
#include "log.h"

/* How one strip line looks in its state. */
struct row_look {
	SDL_Color bg, fg, sub, bar, cue_bg, cue_fg, digits;
	bool cue_filled;
	int label_px;
	enum text_weight label_wt;
};


const struct strip_metrics strip_m = {
	.row_h = 50, .px = 30, .time_px = 34, .cue_px = 24, .esc_px = 36,
};

static const enum str_id kind_word[] = {
	[ALARM_CRISIS] = STR_ALARM_CRISIS, [ALARM_FLOOD] = STR_ALARM_FLOOD,
	[ALARM_OPEN] = STR_ALARM_OPEN, [ALARM_BREACHED] = STR_ALARM_BREACHED,
	[ALARM_WAIT] = STR_ALARM_WAIT, [ALARM_BREACH] = STR_ALARM_BREACH,
	[ALARM_SURGE] = STR_ALARM_SURGE, [ALARM_NO_STEP] = STR_ALARM_CRISIS,
};

/* The lines whose words are a kind and a number ("Too many open 7"),
 * with the word their kind gives way to when the line is narrow: the
 * tiles' word ("Open 7"; the badge says "Limit"), a wait's "Wait > 6:40"
 * for "Long wait > 6:40". Only a count has one: other labels are cut. */
static const struct {
	enum alarm_kind kind;
	enum str_id word;
} counts[] = {
	{ ALARM_OPEN, STR_OPEN },
	{ ALARM_BREACHED, STR_BREACHED },
	{ ALARM_FLOOD, STR_BREACHED },
	{ ALARM_WAIT, STR_WAIT },
};

/* Badge colours by what happened: thresholds amber, floods red, the
 * crisis the banner's yellow. */
static SDL_Color what_color(const struct alarm_view *a)
{
	switch (a->kind) {
	case ALARM_CRISIS: return kit_pal.crisis_b;
	case ALARM_FLOOD: return kit_pal.red;
	case ALARM_BREACH: return a->severity >= ALARM_SEV_MEDIUM ? kit_pal.vip : kit_pal.amber;
	default: return kit_pal.amber;
	}
}

static SDL_Color what_ink(const struct alarm_view *a)
{
	return a->kind == ALARM_FLOOD ? kit_pal.white : kit_pal.ink;
}

const char *av_tr(const struct alarmview *v, enum str_id id)
{
	return i18n_get(v->cfg->lang, id);
}

/* ------------------------------------------------------------ formatting */

/* A breach's label is "[VIP ]<customer> (<channel>)" (alarms.c, English):
 * the screen says VIP and the channel its own way, so keep the customer. */
static void breach_subject(const struct alarm_view *a, char *buf, size_t len)
{
	const char *s = a->label;
	if (a->severity == ALARM_SEV_MEDIUM && strncmp(s, "VIP ", 4) == 0)
		s += 4;
	snprintf(buf, len, "%s", s);
	size_t n = strlen(buf), c = strlen(a->channel);
	if (c && n > c + 3 && buf[n - 1] == ')' && buf[n - c - 3] == ' ' &&
	    buf[n - c - 2] == '(' && strncmp(buf + n - c - 1, a->channel, c) == 0)
		buf[n - c - 3] = '\0';
}

const char *alarmview_what(const struct config *cfg, const struct alarm_view *a)
{
	enum str_id w;
	switch (a->kind) {
	case ALARM_CRISIS:
	case ALARM_NO_STEP: w = STR_WHAT_CRISIS; break;
	case ALARM_FLOOD: w = STR_WHAT_FLOOD; break;
	case ALARM_BREACH:
		w = a->severity >= ALARM_SEV_MEDIUM ? STR_WHAT_VIP_BREACH : STR_WHAT_BREACH;
		break;
	case ALARM_SURGE: w = STR_ALARM_SURGE; break; /* no limit was set */
	default: w = STR_WHAT_LIMIT; break;
	}
	return i18n_get(cfg->lang, w);
}

/* An alarm's count in the language's digits ("23", "۲۳"), as the tiles
 * write theirs, into buf: the line, the keypad's title and the dump then
 * hold the one string drawn. */
static const char *count_text(const struct config *cfg, const struct alarm_view *a,
			      char *buf, size_t len)
{
	char n[24];
	snprintf(n, sizeof n, "%lld", (long long)a->value);
	return i18n_digits(cfg->lang, cfg->digits, n, buf, len);
}

void alarmview_words(const struct config *cfg, const struct alarm_view *a,
		     const char **kind, const char **subject, char *buf, size_t len)
{
	unsigned k = (unsigned)a->kind <= ALARM_NO_STEP ? a->kind : ALARM_BREACH;
	*kind = i18n_get(cfg->lang, kind_word[k]);
	*subject = "";
	buf[0] = '\0';
	switch (a->kind) {
	case ALARM_CRISIS: /* its title; alarms.c says "Crisis" when it has none */
		if (strcmp(a->label, "Crisis") != 0)
			*subject = a->label;
		break;
	case ALARM_FLOOD:
	case ALARM_OPEN:
	case ALARM_BREACHED:
		*subject = count_text(cfg, a, buf, len);
		break;
	case ALARM_WAIT:
		if (cfg->channel_max_wait_s > 0) {
			char d[32], w[40];
			kit_fmt_duration(d, sizeof d, cfg->channel_max_wait_s, "");
			snprintf(w, sizeof w, "> %s", d);
			*subject = i18n_digits(cfg->lang, cfg->digits, w, buf, len);
		}
		break;
	case ALARM_BREACH:
		breach_subject(a, buf, len);
		*subject = buf;
		break;
	case ALARM_NO_STEP:
		*subject = i18n_get(cfg->lang, STR_NO_STEP);
		break;
	case ALARM_SURGE: /* English: "23 in 10 min, usually 4" from the label */
		if (cfg->lang == LANG_EN && strstr(a->label, ": "))
			snprintf(buf, len, "%s", strstr(a->label, ": ") + 2);
		else
			count_text(cfg, a, buf, len);
		*subject = buf;
		break;
	}
}

/* Display name of a channel: configured, else built-in, else the key. */
const char *av_channel_name(struct alarmview *v, const char *key)
{
	return i18n_channel_label(v->cfg, key, v->chan, sizeof v->chan);
}

/* ---------------------------------------------------------------- layout */

void av_output_size(struct alarmview *v)
{
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(v->kit.ren, &w, &h); /* 0x0 when it fails */
	v->w = w = kit_imax(w, 1);
	v->h = h = kit_imax(h, 1);
	v->u = kit_imin(w, h);
	v->mirror = i18n_is_rtl(v->cfg->lang);
	v->kit.w = v->plain.w = w;
	v->kit.mirror = v->kit.rtl = v->plain.rtl = v->mirror;
	v->kit.lang = v->plain.lang = v->cfg->lang;
	v->kit.digits = v->plain.digits = v->cfg->digits;
	v->plain.mirror = false;
}

/* A word in a pill at the strip's size: Acknowledge, a line's button. */
static int pill_w(struct alarmview *v, enum str_id word)
{
	return kit_pill_width(&v->kit, av_tr(v, word), v->sl.px);
}

/* The gap between a line's button and its acknowledgement. */
static int button_gap(const struct strip_layout *l)
{
	return l->px / 2;
}

/* The gap an end cell keeps before what it shows, as every cell does
 * after the one before it: beside its widest pill (strip_columns), in a
 * crowded strip's spare (end_spare), before an acknowledgement (row_acked). */
static int end_gap(const struct strip_layout *l)
{
	return l->col_gap;
}

/* Columns: badge and duration as wide as their widest content, the rest
 * shared by what it is, the channel and the end cell. */
static void strip_columns(struct alarmview *v, struct strip_layout *l)
{
	static const struct alarm_view kinds[] = {
		{ .kind = ALARM_CRISIS }, { .kind = ALARM_FLOOD }, { .kind = ALARM_OPEN },
		{ .kind = ALARM_SURGE },
	};
	l->col_gap = kit_imax(v->u / 100, 2);
	int g = l->col_gap, cw = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct piece p = { alarmview_what(v->cfg, &kinds[i]), P_UI, l->cue_px,
				   TEXT_BOLD, kit_pal.ink };
		cw = kit_imax(cw, kit_measure(&v->kit, &p));
	}
	struct piece more = { "+000", P_DIGITS, l->px, TEXT_BOLD, kit_pal.text };
	l->more_w = kit_measure(&v->kit, &more) + 2 * l->px;
	l->bar_w = kit_imax(v->u / 200, 2);
	l->cue_x = l->bar_w + g;
	l->cue_w = cw + l->cue_px;
	l->dur_w = text_digits_width(v->kit.text, "0:00:00", l->time_px, TEXT_BOLD) + g;
	int rest = kit_imax(l->area.w - l->more_w - l->cue_x - l->cue_w - l->dur_w - 5 * g, 0);
	bool narrow = l->area.w * 10 < v->u * 15; /* portrait: the label first */
	l->end_w = kit_pct(rest, narrow ? 340 : 380);
	/* the action never loses letters: "Acknowl..." is no button. The
	 * label gives way (its title is on the banner too). */
	int pill = kit_imax(pill_w(v, STR_ACKNOWLEDGE), pill_w(v, STR_ESCALATED));
	l->end_w = kit_imin(kit_imax(l->end_w, pill + end_gap(l)), rest / 2);
	/* a surge's line carries "Declare crisis" before its Acknowledge
	 * when the site has a playbook (declare.h): room for both words */
	char why[160];
	if (declare_offered(v->cfg, why, sizeof why)) {
		int both = kit_imax(pill_w(v, STR_DECLARE), pill_w(v, STR_END_CRISIS)) +
			   button_gap(l) + pill_w(v, STR_ACKNOWLEDGE) + end_gap(l);
		l->end_w = kit_imin(kit_imax(l->end_w, both), rest * 6 / 10);
	}
	l->chan_w = kit_pct(rest, narrow ? 110 : 170);
	l->label_w = rest - l->end_w - l->chan_w;
	l->label_x = l->cue_x + l->cue_w + g;
	l->chan_x = l->label_x + l->label_w + g;
	l->dur_x = l->chan_x + l->chan_w + g;
	l->end_x = l->dur_x + l->dur_w + g;
}

static void strip_layout(struct alarmview *v, const SDL_Rect *area)
{
	struct strip_layout *l = &v->sl;
	if (l->valid && SDL_RectEquals(&l->area, area) && l->w == v->w &&
	    l->h == v->h && l->lang == v->cfg->lang)
		return;
	int u = v->u;
	l->area = *area;
	l->w = v->w;
	l->h = v->h;
	l->lang = v->cfg->lang;
	/* lines as tall as the list's rows (render.c reserves for that) */
	l->row_h = kit_imin(kit_imax(kit_pct(u, strip_m.row_h), 8), area->h);
	l->fit = kit_imax(area->h / kit_imax(l->row_h, 1), 1);
	l->gap = kit_imax(u / 300, 1);
	l->px = kit_px(u, strip_m.px);
	l->time_px = kit_px(u, strip_m.time_px);
	l->cue_px = kit_px(u, strip_m.cue_px);
	l->esc_px = kit_px(u, strip_m.esc_px);
	strip_columns(v, l);
	l->valid = true;
}

/* ------------------------------------------------------------------ rows */

static void row_look(const struct alarmview *v, const struct alarm_view *a,
		     bool phase, struct row_look *k)
{
	const struct strip_layout *l = &v->sl;
	*k = (struct row_look){
		.bg = phase ? kit_pal.fire_b : kit_pal.fire_a, .fg = kit_pal.text,
		.sub = kit_pal.text, .bar = what_color(a), .cue_bg = what_color(a),
		.cue_fg = what_ink(a), .digits = kit_pal.text, .cue_filled = true,
		.label_px = l->px, .label_wt = TEXT_REGULAR,
	};
	if (a->state == ALARM_ACKED) {
		/* quiet: still listed, nobody needs to look */
		k->bg = kit_pal.panel;
		k->fg = k->sub = k->digits = kit_pal.muted;
		k->cue_fg = what_color(a);
		k->cue_filled = false;
	} else if (a->state == ALARM_CLEARED) {
		k->bg = kit_pal.bg;
		k->fg = k->sub = k->digits = k->bar = k->cue_bg = k->cue_fg = kit_pal.dim;
		k->cue_filled = false;
	} else if (a->escalated) {
		/* louder: red, white, bigger */
		k->bg = phase ? kit_pal.esc_b : kit_pal.esc_a;
		k->fg = k->sub = kit_pal.white;
		k->bar = kit_pal.white;
		k->cue_bg = kit_pal.white;
		k->cue_fg = kit_pal.ink;
		k->label_px = l->esc_px;
		k->label_wt = TEXT_BOLD;
	}
}

/* A's line in counts, else -1. */
static int count_at(const struct alarm_view *a)
{
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if (counts[i].kind == a->kind)
			return (int)i;
	return -1;
}

static bool is_count(const struct alarm_view *a)
{
	return count_at(a) >= 0;
}

/* The DRILL pill before a line's label, at the label's px; what it takes
 * with the gap after it is its pill's width (kit_pill) + drill_gap(). */
static struct piece drill_piece(struct alarmview *v, int label_px)
{
	return (struct piece){ av_tr(v, STR_DRILL), P_UI, label_px * 8 / 10, TEXT_BOLD,
			       kit_pal.ink };
}

static int drill_gap(int label_px)
{
	return label_px / 3;
}

/* A label's pieces in c into p: the kind's word and the subject, or the
 * subject alone for the crisis's title and a surge's numbers (the badge
 * says the kind). Returns how many; the subject is the last. */
static size_t label_pieces(const struct alarm_view *a, const char *kind, const char *subject,
			   const struct row_look *k, SDL_Color c, struct piece p[2])
{
	size_t n = 0;
	if (!((a->kind == ALARM_CRISIS || a->kind == ALARM_SURGE) && subject[0]))
		p[n++] = (struct piece){ kind, P_UI, k->label_px, k->label_wt, c };
	p[n++] = (struct piece){ subject, is_count(a) ? P_NUM : P_DATA, k->label_px, TEXT_BOLD, c };
	return n;
}

/* A label's pieces p (n) at their least, kept whole (label_need): a
 * count's kind in its short word, a surge's numbers as its count alone
 * (the keypad's title says them all), written into buf, its words'. */
static void label_least(struct alarmview *v, const struct alarm_view *a, struct piece *p, size_t n,
			char *buf, size_t len)
{
	int c = count_at(a);
	if (c >= 0 && n == 2)
		p[0].s = av_tr(v, counts[c].word);
	if (a->kind == ALARM_SURGE)
		p[n - 1].s = count_text(v->cfg, a, buf, len);
}

/* Draws the words after the badge; returns the text after the kind's
 * word as drawn (a surge's numbers in the form that fits), "" when the
 * kit drew nothing. */
static const char *row_label(struct alarmview *v, const struct alarm_view *a,
			     const struct row_look *k, SDL_Rect box)
{
	const char *kind, *subject;
	alarmview_words(v->cfg, a, &kind, &subject, v->words, sizeof v->words);
	if (a->drill) { /* caused by a drill: never mistaken for the real thing */
		struct piece d = drill_piece(v, k->label_px);
		int w = kit_pill(&v->kit, d.s, d.px, kit_pal.amber, d.c, true, box, AL_START) +
			drill_gap(k->label_px);
		box.x += w;
		box.w -= w;
	}
	struct piece p[2];
	size_t n = label_pieces(a, kind, subject, k, k->fg, p);
	/* the forms that fit, longest first: a surge's "23 in 10 min,
	 * usually 4", "23 in 10 min", then the least; a count's kind is then
	 * cut, the count never ("Too many o..." without the 7 said nothing) */
	char *comma = a->kind == ALARM_SURGE ? strstr(v->words, ", ") : NULL;
	if (comma && kit_pieces_width(&v->kit, p, n) > box.w)
		*comma = '\0';
	if (kit_pieces_width(&v->kit, p, n) > box.w)
		label_least(v, a, p, n, v->words, sizeof v->words);
	int end = kit_pieces(&v->kit, p, n, box, false, is_count(a) || n == 1 ? 0 : 1);
	/* what the kit drew (room across and down), for the dump */
	return end > box.x && box.h > 0 ? p[n - 1].s : "";
}

/* An acknowledgement's forms, longest first: "✓ Dana 14:02, until
 * 14:17", "✓ Dana 14:02", "✓ Dana". Who took it on says most; until
 * when least (the line stays quiet until then either way). */
enum ack_form { ACK_WHOLE, ACK_AT, ACK_NAME };

/* The acknowledgement in form f into p, its times in when; returns how
 * many pieces. */
#define ACK_WHEN_MAX 96
static size_t acked_pieces(struct alarmview *v, const struct alarm_view *a, SDL_Color sub,
			   enum ack_form f, struct piece p[3], char *when, size_t len)
{
	kit_fmt_ack(&v->kit, when, len, a->acked_at, f == ACK_WHOLE ? a->acked_until : 0,
		    av_tr(v, STR_UNTIL));
	int px = v->sl.px;
	p[0] = (struct piece){ "\xe2\x9c\x93", P_LTR, px, TEXT_BOLD, kit_pal.ok };
	p[1] = (struct piece){ a->acked_by, P_DATA, px, TEXT_BOLD, sub };
	p[2] = (struct piece){ when, P_UI, px, TEXT_BOLD, sub };
	return f == ACK_NAME ? 2 : 3;
}

/* What gives way on a narrow line: ", until 14:17", then the time; the
 * name is cut only when "✓ Dana" alone does not fit. On a crowded line
 * the "✓" stands end_gap into its cell. */
static void row_acked(struct alarmview *v, const struct alarm_view *a,
		      const struct row_look *k, SDL_Rect box)
{
	char when[ACK_WHEN_MAX];
	struct piece p[3];
	int g = v->sl.crowded ? kit_imin(end_gap(&v->sl), box.w) : 0;
	size_t n = 0;
	for (enum ack_form f = ACK_WHOLE; f <= ACK_NAME; f++) {
		n = acked_pieces(v, a, k->sub, f, p, when, sizeof when);
		if (kit_pieces_width(&v->kit, p, n) <= box.w - g)
			break;
	}
	kit_pieces(&v->kit, p, n, kit_rect(box.x + g, box.y, box.w - g, box.h), false, 1);
}

/* What a line's end cell shows, chosen once a line (end_cell) and read
 * where it is drawn (row_end) and where it is measured (end_need), so
 * the two cannot disagree: who acknowledged it (row_acked), else a word
 * at the cell's end side, plain or in a pill filled or outlined in edge. */
struct end_cell {
	bool acked, pill, filled;
	struct piece word; /* as drawn plain; a pill pads it, in bold (kit_pill) */
	SDL_Color edge;
};

static struct piece end_word(struct alarmview *v, enum str_id word, SDL_Color c)
{
	return (struct piece){ av_tr(v, word), P_UI, v->sl.px, TEXT_REGULAR, c };
}

static struct end_cell end_cell(struct alarmview *v, const struct alarm_view *a)
{
	if (a->state == ALARM_ACKED)
		return (struct end_cell){ .acked = true };
	if (a->state == ALARM_CLEARED) /* what became of it, quietly */
		return (struct end_cell){ .word = end_word(v, STR_CLEARED, kit_pal.dim) };
	if (a->escalated)
		return (struct end_cell){ .pill = true, .filled = true, .edge = kit_pal.white,
					  .word = end_word(v, STR_ESCALATED, kit_pal.crisis_a) };
	/* looks like a button: the whole line is one */
	return (struct end_cell){ .pill = true, .edge = kit_pal.text,
				  .word = end_word(v, STR_ACKNOWLEDGE, kit_pal.text) };
}

static void row_end(struct alarmview *v, const struct alarm_view *a, const struct end_cell *e,
		    const struct row_look *k, SDL_Rect box)
{
	const struct piece *w = &e->word;
	if (e->acked)
		row_acked(v, a, k, box);
	else if (e->pill)
		kit_pill(&v->kit, w->s, w->px, e->edge, w->c, e->filled, box, AL_END);
	else
		kit_put(&v->kit, w->kind, w->s, w->px, w->wt, w->c, AL_END, box);
}

/* The line's own button, word ("Declare crisis", "End crisis"), at the
 * start side of cell, filled in the banner's yellow (it starts or ends
 * one); returns it as the row's whole height, the rect a tap hits. */
static SDL_Rect button_pill(struct alarmview *v, SDL_Rect row, enum str_id word, SDL_Rect cell)
{
	int w = kit_pill(&v->kit, av_tr(v, word), v->sl.px, kit_pal.crisis_b, kit_pal.ink,
			 true, cell, AL_START);
	return kit_rect(cell.x, row.y, w, row.h);
}

/* The button at the start of the end cell; *rest is what is left of the
 * end cell for the acknowledgement. */
static SDL_Rect line_button(struct alarmview *v, SDL_Rect row, enum str_id word,
			    SDL_Rect end, SDL_Rect *rest)
{
	SDL_Rect b = button_pill(v, row, word, end);
	int used = kit_imin(b.w + button_gap(&v->sl), end.w);
	*rest = kit_rect(end.x + used, end.y, end.w - used, end.h);
	return b;
}

/* The focus ring, over a layout rect. */
static void focus_ring(struct alarmview *v, const struct kit *k, SDL_Rect row)
{
	int t = kit_imax(v->u / 180, 3);
	kit_outline(k, row, t, kit_pal.focus);
	kit_outline(k, kit_inset(row, t, t), kit_imax(t / 3, 1), kit_pal.ink);
}

static void remember(struct row_rec *recs, size_t *n, size_t max, SDL_Rect row,
		     size_t idx, const char *id)
{
	if (*n >= max)
		return;
	struct row_rec *rr = &recs[(*n)++];
	rr->r = row;
	rr->has_declare = false;
	rr->index = idx;
	snprintf(rr->id, sizeof rr->id, "%s", id);
}

/* The button's rect the dump reports of a line: none is all zeros. */
static SDL_Rect declare_box(const struct row_rec *rr)
{
	return rr->has_declare ? rr->declare : (SDL_Rect){ 0, 0, 0, 0 };
}

/* A strip line drawn, kept for hit-testing and the dump (label, button).
 * What the dump says of it bumps strip_gen when it is not what the last
 * frame said in that place: the frame then need not copy and compare
 * every line's words itself (alarmview_strip_gen). */
static void keep_line(struct alarmview *v, SDL_Rect row, size_t idx, const char *id,
		      const char *label, const SDL_Rect *dec)
{
	size_t n = v->n_rows;
	if (n >= STRIP_ROWS_MAX)
		return;
	SDL_Rect was = declare_box(&v->rows[n]);
	remember(v->rows, &v->n_rows, STRIP_ROWS_MAX, row, idx, id);
	if (dec) {
		v->rows[n].declare = kit_mir(&v->kit, *dec);
		v->rows[n].has_declare = true;
	}
	SDL_Rect now = declare_box(&v->rows[n]);
	/* a label longer than its room is kept cut: compared as kept */
	if (strncmp(v->labels[n], label, sizeof v->labels[n] - 1) != 0) {
		snprintf(v->labels[n], sizeof v->labels[n], "%s", label);
		v->strip_gen++;
	} else if (!SDL_RectEquals(&was, &now)) {
		v->strip_gen++;
	}
}

/* What a line's label takes as row_label draws it, the DRILL pill and the
 * gap to the channel included: its words as they come, or at their
 * least (label_least). */
static int label_need(struct alarmview *v, const struct alarm_view *a,
		      const struct row_look *lk, bool least)
{
	const char *kind, *subject;
	char buf[sizeof v->words];
	alarmview_words(v->cfg, a, &kind, &subject, buf, sizeof buf);
	struct piece p[2];
	size_t k = label_pieces(a, kind, subject, lk, kit_pal.text, p);
	if (least)
		label_least(v, a, p, k, buf, sizeof buf);
	struct piece d = drill_piece(v, lk->label_px);
	int drill = a->drill ? kit_pill_width(&v->kit, d.s, d.px) + drill_gap(lk->label_px) : 0;
	return kit_pieces_width(&v->kit, p, k) + drill + v->sl.col_gap;
}

/* What a line's end cell e takes as row_end draws it: all of it, or
 * (least) "✓ Dana" (row_acked), no wider than the Acknowledge it took
 * the place of (a name longer than that is cut before the line's channel
 * is). */
static int end_need(struct alarmview *v, const struct alarm_view *a, const struct end_cell *e,
		    bool least)
{
	if (e->acked) {
		char when[ACK_WHEN_MAX];
		struct piece p[3];
		size_t n = acked_pieces(v, a, kit_pal.text, least ? ACK_NAME : ACK_WHOLE, p,
					when, sizeof when);
		int w = kit_pieces_width(&v->kit, p, n);
		return least ? kit_imin(w, pill_w(v, STR_ACKNOWLEDGE)) : w;
	}
	return e->pill ? kit_pill_width(&v->kit, e->word.s, e->word.px)
		       : kit_measure(&v->kit, &e->word);
}

/* What a line asks of the strip, measured once a frame before any line
 * is drawn: whether the strip is crowded and the spare every label takes
 * depend on all the lines, and each line's cells on those two. */
struct line_fit {
	bool least;             /* its label has a least kept whole (label_need) */
	bool named;             /* it has a channel */
	bool button;            /* a button of its own (line_measure), word */
	enum str_id word;
	int button_w;           /* that button's pill (pill_w) */
	int chan;               /* its channel's name as drawn */
	int label, label_least; /* label_need: as it comes, at least */
	struct end_cell shows;  /* its end cell (end_cell) */
	int end, end_least;     /* end_need, where it moves a cell (draw_lines) */
};

/* Where a line's cells go, layout x and width; the end cell runs to the
 * line's end. */
struct line_cells {
	int label_w, chan_x, chan_w, dur_x, end_x, end_w;
	int button_x; /* the button before the duration (button_before), or -1 */
};

/* The end cell of a line row_w wide, before it gives its spare away. */
static int end_width(const struct strip_layout *l, int row_w)
{
	return kit_imax(row_w - l->end_x, l->end_w);
}

/* How far a channel wider than its cell grows into a label cell cell
 * wide: up to all but the label's least (a surge's count, a count with
 * its short word), else up to half of it, "Instagr..." being no channel
 * and "Too many o..." no label. */
static int chan_most(const struct line_fit *f, int cell)
{
	return f->least ? kit_imax(cell - f->label_least, 0) : cell / 2;
}

/* What a line's label cell lacks (crowded) for its channel whole and its
 * label at its least: the cell from which chan_most lets the channel grow
 * that far, less the column's. */
static int line_want(const struct strip_layout *l, const struct line_fit *f)
{
	int grow = f->chan - l->chan_w;
	return (f->least ? f->label_least + grow : 2 * grow) - l->label_w;
}

/* A line with a button of its own: its label gives way to the button and
 * its acknowledgement, both whole ("A..." is no button; the crisis's
 * title is on the banner too), down to its least (a surge's count:
 * label_need), then the channel's cell when the line has no channel.
 * Only this line's duration moves: the others' labels and channels keep
 * their room. The columns reserve room for both only where a playbook is
 * configured (strip_columns: Declare crisis), and no more than a share of
 * the line; End crisis comes with any crisis declared on a board, and the
 * "+N" column takes from every line. */
static void line_button_room(const struct strip_layout *l, const struct line_fit *f,
			     struct line_cells *c)
{
	int label = kit_imax(c->label_w - f->label_least, 0);
	int chan = f->named ? 0 : c->chan_w + l->col_gap;
	/* what the end cell lacks for both, as line_button lays them out */
	int need = f->button_w + button_gap(l) + f->end;
	int lack = kit_imin(kit_imax(need - c->end_w, 0), label + chan);
	int from_label = kit_imin(lack, label);
	c->label_w -= from_label;
	c->chan_w -= lack - from_label;
	c->chan_x -= from_label;
	c->dur_x -= lack;
	c->end_x -= lack;
	c->end_w += lack;
}

/* Whether a line with a button of its own and no channel (a declared
 * crisis) holds it in the channel's cell, before its duration, on a
 * crowded strip whose labels take spare. In its end cell beside its
 * acknowledgement the button moved that line's duration out of the
 * others' column (its label gave way for it alone), and its end cell,
 * sparing nothing, kept every other line's label cell at its least: a
 * channel beside it was cut (he). Both cannot fit a portrait line. */
static bool button_before(const struct strip_layout *l, const struct line_fit *f, int spare)
{
	return l->crowded && !f->named && l->label_w + spare + l->chan_w >= f->button_w;
}

/* The columns, unless a line's label and channel do not fit whole in
 * theirs (portrait: "Too many open 7", "Instagram": crowded): then every
 * line takes what the end cells do not need (l->spare, the same on every
 * line, so their durations stand in one column), and the channel grows
 * into the label's cell (chan_most). */
static void line_cells(const struct strip_layout *l, const struct line_fit *f, int row_w,
		       struct line_cells *c)
{
	int extra = l->crowded ? l->spare : 0;
	int label_w = l->label_w + extra;
	int grow = kit_imin(kit_imax(f->chan - l->chan_w, 0), chan_most(f, label_w));
	*c = (struct line_cells){
		.label_w = label_w - grow, .chan_x = l->chan_x + extra - grow,
		.chan_w = l->chan_w + grow, .dur_x = l->dur_x + extra,
		.end_x = l->end_x + extra, .end_w = end_width(l, row_w) - extra, .button_x = -1,
	};
	if (f->button && button_before(l, f, extra)) {
		/* the label ends a gap before the button, the button a gap
		 * before the duration, where the channel would have ended */
		c->label_w = label_w + l->chan_w - f->button_w;
		c->button_x = c->dur_x - l->col_gap - f->button_w;
	} else if (f->button) {
		line_button_room(l, f, c);
	}
}

/* A line's channel, as drawn (draw_row). */
static struct piece chan_piece(struct alarmview *v, const struct alarm_view *a,
			       const struct row_look *lk)
{
	return (struct piece){ a->channel[0] ? av_channel_name(v, a->channel) : "", P_DATA,
			       v->sl.px, TEXT_REGULAR, lk->sub };
}

/* Whether a line of n does not fit its label and channel whole in their
 * columns: decided for all the lines at once, so one that fits does not
 * keep its duration apart from the others'. */
static bool strip_crowded(const struct strip_layout *l, const struct line_fit *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].label + f[i].chan > l->label_w + l->chan_w)
			return true;
	return false;
}

/* A line's fit (line_fit). Its button, before its acknowledgement: a
 * surge's "Declare crisis", a declared crisis's "End crisis". */
static void line_measure(struct alarmview *v, const struct av_strip *s,
			 const struct alarm_view *a, struct line_fit *f)
{
	struct row_look lk;
	row_look(v, a, false, &lk); /* the flash changes colours, not sizes */
	struct piece chan = chan_piece(v, a, &lk);
	bool ends = s->end && a->kind == ALARM_CRISIS && a->state != ALARM_CLEARED;
	f->least = a->kind == ALARM_SURGE || is_count(a);
	f->named = a->channel[0] != '\0';
	f->word = ends ? STR_END_CRISIS : STR_DECLARE;
	f->button = ends || (s->declare && a->kind == ALARM_SURGE && a->state != ALARM_CLEARED);
	f->button_w = f->button ? pill_w(v, f->word) : 0;
	f->shows = end_cell(v, a);
	f->chan = kit_measure(&v->kit, &chan);
	f->label = label_need(v, a, &lk, false);
	f->label_least = f->least ? label_need(v, a, &lk, true) : 0;
}

/* What a line's end cell (w wide) does not need, the labels taking at:
 * all but its acknowledgement (all of it or its least) and end_gap
 * before it. A button in the end cell needs all of it. */
static int end_spare(const struct strip_layout *l, const struct line_fit *f, int at, int w,
		     bool least)
{
	if (f->button && !button_before(l, f, at))
		return 0;
	return kit_imax(w - (least ? f->end_least : f->end) - end_gap(l), 0);
}

/* What the end cells of the n lines, w wide, do not need, the least of
 * them: what every line's label takes (crowded), so a line that needs
 * more of its end cell ("✓ dana 21:40, until 21:55" against Acknowledge)
 * does not keep its duration apart from the others'. When a channel would
 * be cut, an acknowledgement gives way, down to "✓ dana" (row_acked): the
 * channel says where, its times say least. */
static int spare_at(const struct strip_layout *l, const struct line_fit *f, size_t n, int w,
		    int at)
{
	int spare = w, most = w, want = 0;
	for (size_t i = 0; i < n; i++) {
		spare = kit_imin(spare, end_spare(l, &f[i], at, w, false));
		most = kit_imin(most, end_spare(l, &f[i], at, w, true));
		want = kit_imax(want, line_want(l, &f[i]));
	}
	return kit_imax(spare, kit_imin(want, most));
}

/* The spare of the n lines, row_w wide: a button that stands before its
 * duration (button_before) needs nothing of its end cell. At most one
 * line (the crisis's) can hold it there: asked at the most a spare can
 * be, the end cell's width, then at the spare that gives; one that does
 * not fit there needs its end cell, and a smaller spare leaves it no more
 * room. */
static int strip_spare(const struct strip_layout *l, const struct line_fit *f, size_t n,
		       int row_w)
{
	int w = end_width(l, row_w);
	return spare_at(l, f, n, w, spare_at(l, f, n, w, w));
}

/* The bar and the badge at the line's start side: what happened. */
static void row_badge(struct alarmview *v, const struct alarm_view *a,
		      const struct row_look *lk, SDL_Rect row)
{
	const struct strip_layout *l = &v->sl;
	kit_fill(&v->kit, kit_cell(row, 0, l->bar_w), lk->bar);
	SDL_Rect cue = kit_cell(row, l->cue_x, l->cue_w);
	int ch = kit_imin(cue.h - 2 * l->gap, kit_pill_height(l->cue_px));
	SDL_Rect badge = kit_rect(cue.x, cue.y + (cue.h - ch) / 2, cue.w, ch);
	if (lk->cue_filled)
		kit_fill(&v->kit, badge, lk->cue_bg);
	else
		kit_outline(&v->kit, badge, kit_imax(l->cue_px / 10, 1), lk->cue_bg);
	kit_put(&v->kit, P_UI, alarmview_what(v->cfg, a), l->cue_px, TEXT_BOLD, lk->cue_fg,
		AL_CENTER, badge);
}

/* The focus rings and pressed shades over a row (a strip's line, a
 * list's row) of alarm idx and its button (dec, or NULL). */
static void row_marks(struct alarmview *v, const struct kit *k, const struct av_strip *s,
		      int idx, SDL_Rect row, const SDL_Rect *dec)
{
	if (idx == s->selected)
		focus_ring(v, k, row);
	if (dec && idx == s->declare_selected)
		focus_ring(v, k, *dec);
	if (s->pressed.hit == AV_ROW && s->pressed.index == idx)
		kit_fill(k, row, kit_pal.pressed);
	if (dec && s->pressed.hit == AV_DECLARE && s->pressed.index == idx)
		kit_fill(k, *dec, kit_pal.pressed);
}

/* A line in the cells its fit (f: line_measure) gives it. */
static void draw_row(struct alarmview *v, const struct alarm_view *a,
		     const struct line_fit *f, size_t idx, SDL_Rect row, struct av_strip *s,
		     int64_t now, uint32_t ticks)
{
	const struct strip_layout *l = &v->sl;
	const struct kit *k = &v->kit;
	bool flash = a->state == ALARM_FIRING && !v->cfg->flash_steady;
	struct row_look lk;
	row_look(v, a, flash && kit_flash_phase(ticks), &lk);
	/* one layer: a flashing line is two pictures, its timer drawn over
	 * them (scene.h) */
	kit_layer_begin(k, row);
	kit_fill(k, row, lk.bg);
	row_badge(v, a, &lk, row);
	struct line_cells c;
	line_cells(l, f, row.w, &c);
	/* in v->words or the alarm's own strings (row_label): nothing below
	 * writes either before the label is kept */
	const char *label = row_label(v, a, &lk, kit_cell(row, l->label_x, c.label_w));
	struct piece chan = chan_piece(v, a, &lk);
	kit_put(k, chan.kind, chan.s, chan.px, chan.wt, chan.c, AL_START,
		kit_cell(row, c.chan_x, c.chan_w));
	if (a->state != ALARM_CLEARED) {
		char d[32];
		bool digits = kit_fmt_duration(d, sizeof d, now - a->first_seen, "");
		kit_put(k, digits ? P_DIGITS : P_NUM, d, l->time_px, TEXT_BOLD, lk.digits,
			AL_RIGHT, kit_cell(row, c.dur_x, l->dur_w - l->gap * 3));
		s->ticking = true;
	}
	/* the end cell runs to the line's end: over the "+N" column when
	 * that is not drawn (Declare crisis and Acknowledge need it in
	 * portrait) */
	SDL_Rect end = kit_cell(row, c.end_x, c.end_w), dec = { 0, 0, 0, 0 };
	if (f->button && c.button_x >= 0) /* before its duration (line_cells) */
		dec = button_pill(v, row, f->word, kit_cell(row, c.button_x, f->button_w));
	else if (f->button)
		dec = line_button(v, row, f->word, end, &end);
	row_end(v, a, &f->shows, &lk, end);
	row_marks(v, k, s, (int)idx, row, f->button ? &dec : NULL);
	kit_layer_end(k);
	s->flashing |= flash;
	keep_line(v, kit_mir(k, row), idx, a->id, label, f->button ? &dec : NULL);
}

/* "+N" at the strip's end side, over all its lines: the alarms not shown. */
static void draw_more(struct alarmview *v, size_t more, SDL_Rect box, bool pressed)
{
	const struct strip_layout *l = &v->sl;
	char buf[24];
	snprintf(buf, sizeof buf, "+%zu", more);
	kit_fill(&v->kit, box, kit_pal.panel);
	kit_outline(&v->kit, box, kit_imax(v->u / 500, 1), kit_pal.edge);
	kit_put(&v->kit, P_DIGITS, buf, l->px, TEXT_BOLD, kit_pal.text, AL_CENTER, box);
	if (pressed)
		kit_fill(&v->kit, box, kit_pal.pressed);
	v->more = kit_mir(&v->kit, box);
	v->more_shown = true;
}

/* The alarms the strip lists, max at most: all but those drawn in the
 * list's rows. */
static size_t strip_alarms(const struct alarms *a, size_t *idx, size_t max)
{
	struct alarm_view av;
	size_t n = 0;
	for (size_t i = 0; a && n < max && alarms_get(a, i, &av); i++)
		if (!alarm_in_row(av.kind))
			idx[n++] = i;
	return n;
}

/* Keep the selected alarm in view; a page that ran past the end starts
 * over at the top. top and selected count strip alarms. */
static void scroll(struct av_strip *s, const size_t *idx, size_t count, size_t vis)
{
	if (count <= vis || s->top >= count)
		s->top = 0;
	for (size_t i = 0; i < count && i < ALARMVIEW_STRIP_MAX; i++) {
		if ((int)idx[i] != s->selected && (int)idx[i] != s->declare_selected)
			continue;
		if (i < s->top)
			s->top = i;
		else if (i >= s->top + vis)
			s->top = i - vis + 1;
	}
}

/* Focus ring and pressed shade over the list's rows (screen rects). */
static void draw_list_marks(struct alarmview *v, const struct av_strip *s)
{
	struct kit screen = v->kit;
	screen.mirror = false;
	for (size_t i = 0; i < v->n_list; i++)
		row_marks(v, &screen, s, (int)v->list[i].index, v->list[i].r, NULL);
}

/* The n lines of idx, the first in row: every line is measured (line_fit)
 * before any is drawn. */
static void draw_lines(struct alarmview *v, const struct alarms *a, const size_t *idx,
		       size_t n, SDL_Rect row, struct av_strip *s, int64_t now, uint32_t ticks)
{
	const struct strip_layout *l = &v->sl;
	struct alarm_view av[STRIP_ROWS_MAX];
	struct line_fit fits[STRIP_ROWS_MAX];
	size_t m = 0;
	for (; m < n && m < STRIP_ROWS_MAX && alarms_get(a, idx[m], &av[m]); m++)
		line_measure(v, s, &av[m], &fits[m]);
	v->sl.crowded = strip_crowded(l, fits, m);
	/* the end cells' needs, asked only where they move a cell: a crowded
	 * strip's spare (spare_at), a button beside Acknowledge (line_button_room) */
	for (size_t i = 0; i < m; i++) {
		struct line_fit *f = &fits[i];
		f->end = l->crowded || f->button ? end_need(v, &av[i], &f->shows, false) : 0;
		f->end_least = l->crowded ? end_need(v, &av[i], &f->shows, true) : 0;
	}
	v->sl.spare = l->crowded ? strip_spare(l, fits, m, row.w) : 0;
	for (size_t i = 0; i < m; i++, s->shown++, row.y += l->row_h) {
		draw_row(v, &av[i], &fits[i], idx[i], row, s, now, ticks);
		snprintf(s->ids[s->n_ids++], sizeof s->ids[0], "%s", av[i].id);
	}
}

static void draw_strip(struct alarmview *v, const struct alarms *a, const SDL_Rect *area,
		       struct av_strip *s, int64_t now, uint32_t ticks)
{
	v->n_rows = 0;
	v->more_shown = false;
	s->flashing = s->ticking = false;
	s->shown = 0;
	s->n_ids = 0;
	av_output_size(v);
	draw_list_marks(v, s);
	size_t idx[ALARMVIEW_STRIP_MAX];
	size_t count = strip_alarms(a, idx, ALARMVIEW_STRIP_MAX);
	if (!area || area->w <= 0 || area->h <= 0 || !count)
		return;
	strip_layout(v, area);
	const struct strip_layout *l = &v->sl;
	size_t fit = (size_t)l->fit > STRIP_ROWS_MAX ? STRIP_ROWS_MAX : (size_t)l->fit;
	size_t vis = count <= fit ? count : fit;
	scroll(s, idx, count, vis);
	bool more = count > vis;
	int w = area->w - (more ? l->more_w + l->gap : 0);
	size_t last = s->top + vis < count ? s->top + vis : count;
	draw_lines(v, a, idx + s->top, last - s->top,
		   kit_rect(area->x, area->y, w, l->row_h - l->gap), s, now, ticks);
	if (more)
		draw_more(v, count - s->shown,
			  kit_rect(area->x + area->w - l->more_w, area->y, l->more_w,
			       (int)vis * l->row_h - l->gap),
			  s->pressed.hit == AV_MORE);
}

void alarmview_draw_strip(struct alarmview *v, const struct alarms *a,
			  const SDL_Rect *area, struct av_strip *s,
			  int64_t now, uint32_t ticks)
{
	size_t was = v->n_rows;
	draw_strip(v, a, area, s, now, ticks);
	if (v->n_rows != was) /* keep_line compared the lines both frames drew */
		v->strip_gen++;
}

uint64_t alarmview_strip_gen(const struct alarmview *v)
{
	return v ? v->strip_gen : 0;
}

void alarmview_set_list(struct alarmview *v, const struct alarms *a,
			const struct av_list_row *rows, size_t n)
{
	v->n_list = 0;
	for (size_t i = 0; a && i < n; i++) {
		struct alarm_view av;
		for (size_t j = 0; alarms_get(a, j, &av); j++) {
			if (strcmp(av.id, rows[i].alarm_id) != 0)
				continue;
			if (av.state != ALARM_CLEARED)
				remember(v->list, &v->n_list, LIST_ROWS_MAX, rows[i].rect, j, av.id);
			break;
		}
	}
}

size_t alarmview_list_ids(const struct alarmview *v, const char **ids, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n_list && n < max; i++)
		ids[n++] = v->list[i].id;
	return n;
}

/* ------------------------------------------------------------ hit-testing */

bool av_in(SDL_Rect r, int x, int y)
{
	SDL_Point p = { x, y };
	return SDL_PointInRect(&p, &r);
}

struct av_target alarmview_hit(const struct alarmview *v, int x, int y)
{
	struct av_target t = { AV_NONE, 0 };
	if (v->modal != AV_MODAL_NONE)
		return keypad_hit(v, x, y);
	for (size_t i = 0; i < v->n_rows; i++)
		if (v->rows[i].has_declare && av_in(v->rows[i].declare, x, y))
			return (struct av_target){ AV_DECLARE, (int)v->rows[i].index };
	for (size_t i = 0; i < v->n_rows; i++)
		if (av_in(v->rows[i].r, x, y))
			return (struct av_target){ AV_ROW, (int)v->rows[i].index };
	for (size_t i = 0; i < v->n_list; i++)
		if (av_in(v->list[i].r, x, y))
			return (struct av_target){ AV_ROW, (int)v->list[i].index };
	if (v->more_shown && av_in(v->more, x, y))
		t.hit = AV_MORE;
	return t;
}

/* The record of alarm index among recs[0..n) (NULL: none). */
static const struct row_rec *rec_in(const struct row_rec *recs, size_t n, int index)
{
	for (size_t i = 0; i < n; i++)
		if ((int)recs[i].index == index)
			return &recs[i];
	return NULL;
}

/* The strip's line of alarm index, else the list's row (NULL: neither). */
static const struct row_rec *rec_of(const struct alarmview *v, int index)
{
	const struct row_rec *r = rec_in(v->rows, v->n_rows, index);
	return r ? r : rec_in(v->list, v->n_list, index);
}

const char *alarmview_row_id(const struct alarmview *v, int index)
{
	const struct row_rec *r = rec_of(v, index);
	return r ? r->id : NULL;
}

const char *alarmview_label(const struct alarmview *v, int index)
{
	const struct row_rec *r = rec_in(v->rows, v->n_rows, index);
	return r ? v->labels[r - v->rows] : NULL;
}

bool alarmview_rect(const struct alarmview *v, struct av_target t, SDL_Rect *out)
{
	SDL_Rect r = { 0, 0, 0, 0 };
	bool ok = false;
	if (t.hit == AV_ROW || t.hit == AV_DECLARE) {
		/* only the strip's lines have a button (remember) */
		const struct row_rec *rr = rec_of(v, t.index);
		ok = rr && (t.hit == AV_ROW || rr->has_declare);
		if (ok)
			r = t.hit == AV_ROW ? rr->r : rr->declare;
	} else if (t.hit == AV_MORE) {
		ok = v->more_shown;
		r = v->more;
	} else {
		ok = keypad_rect(v, t, &r);
	}
	if (out)
		*out = ok ? r : (SDL_Rect){ 0, 0, 0, 0 };
	return ok;
}

/* -------------------------------------------------------------- lifetime */

struct alarmview *alarmview_init(SDL_Renderer *renderer, struct text *text,
				 const struct config *cfg)
{
	struct alarmview *v = calloc(1, sizeof *v);
	if (!v) {
		log_error("alarmview", "out of memory");
		return NULL;
	}
	v->kit.ren = v->plain.ren = renderer;
	v->kit.text = v->plain.text = text;
	v->cfg = cfg;
	return v;
}

void alarmview_destroy(struct alarmview *v)
{
	free(v);
}

void alarmview_set_scene(struct alarmview *v, struct scene *s)
{
	if (v)
		v->kit.scene = v->plain.scene = s;
}
