/* test_render.c - the board drawn headless onto an ARGB surface.
 *
 * Renders a model with Hebrew, Persian and English complaints (breached,
 * at risk, paused, answered) and a crisis at several output sizes and in
 * en/he/fa, then checks geometry (inside the output, no overlaps,
 * mirroring), order, flashing, liveness veil, scheduling, text sizes that
 * read from afar even with a crisis and a full alarm strip, and that
 * unchanged or merely ticking frames rasterise no text. With WB_SHOT_DIR
 * set, every frame checked is also saved as PNG for people to look at. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "config.h"
#include "i18n.h"
#include "kit.h"
#include "model.h"
#include "render.h"
#include "text.h"

#define NOW ((int64_t)1795000000) /* a Thursday in November 2026 */
#define MAX_SEEN 64

#include "check.h"
#include "fixture.h"

/* ------------------------------------------------------------ the model */

static void apply(struct model *m, const struct msg *msg)
{
	char err[128] = "";
	bool ok = model_apply(m, msg, err, sizeof err);
	checkf(ok, "model_apply %s: %s", msg->id, err);
}

static void complaint(struct model *m, const char *id, const char *channel,
		      const char *customer, const char *assignee,
		      enum priority pr, const char *text, enum status status)
{
	struct msg msg;
	struct msg_complaint *c = &fixture_complaint(&msg, id, channel, customer, text,
						     NOW - 7200, pr, status)->u.complaint;
	snprintf(c->assignee, sizeof c->assignee, "%s", assignee);
	apply(m, &msg);
}

static void sla(struct model *m, const char *id, int64_t due_at, bool paused,
		int64_t responded_at)
{
	struct msg msg;
	apply(m, fixture_sla(&msg, id, 3600, due_at, paused, responded_at));
}

static bool next_crisis_drill; /* the next crisis() is a drill */

/* A crisis with its first steps playbook steps and people contacts. */
static void crisis_sized(struct model *m, size_t steps, size_t people)
{
	static const char *const items[] = {
		"עוצרים את כל הפוסטים המתוזמנים",
		"עונים בערוץ שבו הלקוח פנה, בתוך 30 דקות",
		"מעבירים שיחות רגישות לפרטי",
		"Update the status page every 15 minutes",
	};
	static const char *const contacts[][3] = {
		{ "מנהלת משמרת", "רונית כהן", "+972-3-555-0101" },
		{ "روابط عمومی", "علی رضایی", "+98 21 5550 1234" },
		{ "PR", "Dana Levi", "+972-52-555-0199" },
	};
	struct msg msg;
	memset(&msg, 0, sizeof msg);
	msg.kind = MSG_CRISIS;
	struct msg_crisis *c = &msg.u.crisis;
	c->level = 2;
	snprintf(c->title, sizeof c->title, "%s",
		 "תקלה במערכת התשלומים: לקוחות לא מצליחים לשלם");
	snprintf(c->message, sizeof c->message, "%s",
		 "Payments fail since 09:12 for cards issued abroad. Do not promise refunds.");
	c->since = NOW - 1800;
	for (size_t i = 0; i < steps; i++)
		snprintf(c->playbook[i], sizeof c->playbook[i], "%s", items[i]);
	c->n_playbook = steps;
	for (size_t i = 0; i < people; i++) {
		snprintf(c->contacts[i].role, sizeof c->contacts[i].role, "%s", contacts[i][0]);
		snprintf(c->contacts[i].name, sizeof c->contacts[i].name, "%s", contacts[i][1]);
		snprintf(c->contacts[i].phone, sizeof c->contacts[i].phone, "%s", contacts[i][2]);
	}
	c->n_contacts = people;
	c->drill = next_crisis_drill;
	apply(m, &msg);
}

static void crisis(struct model *m)
{
	crisis_sized(m, 4, 3);
}

static void fill_model(struct model *m)
{
	complaint(m, "wa-1", "whatsapp", "דנה לוי", "יוסי", PRIORITY_VIP,
		  "החבילה לא הגיעה כבר שבוע, הזמנה 48213, ואף אחד לא עונה בטלפון 03-5551234",
		  STATUS_OPEN);
	sla(m, "wa-1", NOW - 3723, false, 0);
	complaint(m, "fb-1", "facebook", "مریم احمدی", "", PRIORITY_HIGH,
		  "سفارش ۱۲۳۴ من هنوز نرسیده و کسی جواب پیام‌هایم را نمی‌دهد",
		  STATUS_OPEN);
	sla(m, "fb-1", NOW - 600, false, 0);
	complaint(m, "em-1", "email", "John Carter", "Avi", PRIORITY_NORMAL,
		  "Charged twice for order #5521, please refund the duplicate payment today",
		  STATUS_PENDING);
	sla(m, "em-1", NOW - 90000, false, 0);
	{ /* a comment under a post: marked "Public" in its row */
		struct msg msg;
		fixture_complaint(&msg, "em-1", "email", "John Carter",
				  "Charged twice for order #5521, please refund the duplicate "
				  "payment today", NOW - 7200, PRIORITY_NORMAL, STATUS_PENDING);
		snprintf(msg.u.complaint.assignee, sizeof msg.u.complaint.assignee, "Avi");
		msg.u.complaint.visibility = VISIBILITY_PUBLIC;
		apply(m, &msg);
	}
	complaint(m, "ig-1", "instagram", "נועה", "Sara", PRIORITY_NORMAL,
		  "ה-iPhone 15 שקניתי אצלכם לא נטען בכלל", STATUS_OPEN);
	sla(m, "ig-1", NOW - 30, false, 0);
	for (int i = 0; i < 14; i++) {
		static const char *const ch[] = { "whatsapp", "facebook", "email" };
		char id[16], txt[96];
		snprintf(id, sizeof id, "bulk-%02d", i);
		snprintf(txt, sizeof txt, "תלונה מספר %d: השירות איטי מאוד היום", i + 1);
		complaint(m, id, ch[i % 3], "לקוח", i % 2 ? "Moshe" : "", PRIORITY_NORMAL,
			  txt, STATUS_OPEN);
		sla(m, id, NOW - 100 - i * 7, false, 0);
	}
	complaint(m, "wa-2", "whatsapp", "Pat Lee", "Ron", PRIORITY_NORMAL,
		  "Where is my invoice for October?", STATUS_OPEN);
	sla(m, "wa-2", NOW + 252, false, 0);
	complaint(m, "fb-2", "facebook", "سارا", "", PRIORITY_VIP,
		  "کیفیت محصول خیلی پایین است", STATUS_OPEN);
	sla(m, "fb-2", NOW + 500, false, 0);
	complaint(m, "em-2", "email", "Lior", "Avi", PRIORITY_NORMAL,
		  "Thanks, waiting for the courier", STATUS_PENDING);
	sla(m, "em-2", NOW + 5000, true, 0);
	complaint(m, "em-3", "email", "Omer", "Avi", PRIORITY_NORMAL,
		  "Got it, thanks", STATUS_ANSWERED);
	sla(m, "em-3", NOW - 100, false, NOW - 2000);
}

/* -------------------------------------------------------------- screen */

struct screen {
	int page_s;
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct text *text;
	struct render *render;
	int w, h;
};

static bool screen_open(struct screen *s, int w, int h, const struct config *cfg)
{
	char fonts[1024];
	const char *assets = getenv("WB_ASSETS");
	snprintf(fonts, sizeof fonts, "%s/fonts", assets ? assets : WB_ASSET_DIR);
	memset(s, 0, sizeof *s);
	s->w = w;
	s->h = h;
	s->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	s->ren = s->surf ? SDL_CreateSoftwareRenderer(s->surf) : NULL;
	s->text = s->ren ? text_init(s->ren, fonts) : NULL;
	s->render = s->text ? render_init(s->ren, s->text, cfg) : NULL;
	s->page_s = cfg->page_s;
	return s->render != NULL;
}

static void screen_close(struct screen *s)
{
	render_destroy(s->render);
	text_destroy(s->text);
	if (s->ren)
		SDL_DestroyRenderer(s->ren);
	SDL_FreeSurface(s->surf);
}

static void draw(struct screen *s, const struct model *m,
		 const struct board_status *st, int64_t now, uint32_t ticks)
{
	render_frame(s->render, m, st, now, ticks);
	text_frame_end(s->text);
	SDL_RenderFlush(s->ren);
}

static uint64_t rasterised(const struct screen *s)
{
	struct text_stats ts;
	text_get_stats(s->text, &ts);
	return ts.rasterised;
}

static uint32_t pixel(const struct screen *s, int x, int y)
{
	const uint8_t *row = (const uint8_t *)s->surf->pixels + y * s->surf->pitch;
	return ((const uint32_t *)row)[x];
}

/* Mean of max(r,g,b) - min(r,g,b): how colourful a region is. */
static double chroma(const struct screen *s, SDL_Rect a)
{
	double sum = 0;
	long n = 0;
	SDL_LockSurface(s->surf);
	for (int y = a.y; y < a.y + a.h; y += 2)
		for (int x = a.x; x < a.x + a.w; x += 2, n++) {
			uint32_t p = pixel(s, x, y);
			int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
			int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
			sum += mx - mn;
		}
	SDL_UnlockSurface(s->surf);
	return n ? sum / (double)n : 0;
}

/* Copy of a region's pixels, to compare two frames. */
static uint32_t *grab(const struct screen *s, SDL_Rect a)
{
	uint32_t *buf = malloc(sizeof *buf * (size_t)(a.w > 0 ? a.w : 1) *
			       (size_t)(a.h > 0 ? a.h : 1));
	if (!buf)
		return NULL;
	SDL_LockSurface(s->surf);
	for (int y = 0; y < a.h; y++)
		for (int x = 0; x < a.w; x++)
			buf[y * a.w + x] = pixel(s, a.x + x, a.y + y);
	SDL_UnlockSurface(s->surf);
	return buf;
}

static double differing(const uint32_t *a, const uint32_t *b, SDL_Rect r)
{
	long n = 0, total = (long)r.w * r.h;
	for (long i = 0; i < total; i++)
		n += a[i] != b[i];
	return total ? (double)n / (double)total : 0;
}

static void save(const struct screen *s, const char *name)
{
	const char *dir = getenv("WB_SHOT_DIR");
	if (!dir || !*dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	if (IMG_SavePNG(s->surf, path) != 0)
		fprintf(stderr, "warning: %s: %s\n", path, IMG_GetError());
}

/* ------------------------------------------------------------- checks */

static bool inside(SDL_Rect a, int w, int h)
{
	return a.x >= 0 && a.y >= 0 && a.w > 0 && a.h > 0 &&
	       a.x + a.w <= w && a.y + a.h <= h;
}

static bool contains(SDL_Rect outer, SDL_Rect in)
{
	return in.x >= outer.x && in.y >= outer.y &&
	       in.x + in.w <= outer.x + outer.w && in.y + in.h <= outer.y + outer.h;
}

/* Rows and tiles: inside the output, text boxes inside their rows, and no
 * two of them overlapping. */
static void check_geometry(const struct screen *s, const char *tag, bool want_rows,
			   size_t want_tiles)
{
	struct render_row rows[MAX_SEEN];
	SDL_Rect all[2 * MAX_SEEN];
	size_t nr = render_rows(s->render, rows, MAX_SEEN);
	size_t nt = render_tiles(s->render, all, MAX_SEEN);
	if (want_rows)
		checkf(nr > 0, "%s: rows drawn (%zu)", tag, nr);
	checkf(nt == want_tiles, "%s: %zu channel tiles (%zu)", tag, want_tiles, nt);
	for (size_t i = 0; i < nr; i++) {
		checkf(inside(rows[i].row, s->w, s->h), "%s: row %zu inside output", tag, i);
		checkf(rows[i].text_box.w > 0 && rows[i].text_box.h > 0,
		      "%s: row %zu text box has a size", tag, i);
		checkf(contains(rows[i].row, rows[i].text_box),
		      "%s: row %zu text box inside its row", tag, i);
		all[nt + i] = rows[i].row;
	}
	for (size_t i = 0; i < nt; i++)
		checkf(inside(all[i], s->w, s->h), "%s: tile %zu inside output", tag, i);
	size_t overlaps = 0;
	for (size_t i = 0; i < nt + nr; i++)
		for (size_t j = i + 1; j < nt + nr; j++)
			overlaps += SDL_HasIntersection(&all[i], &all[j]);
	checkf(overlaps == 0, "%s: %zu overlapping rows/tiles", tag, overlaps);
}

/* en: first tile at the left edge, complaint text on the row's right;
 * he/fa: all mirrored. */
static void check_mirroring(const struct screen *s, bool rtl, const char *tag)
{
	SDL_Rect t[MAX_SEEN];
	size_t n = render_tiles(s->render, t, MAX_SEEN);
	int minx = s->w, maxr = 0;
	for (size_t i = 0; i < n; i++) {
		minx = t[i].x < minx ? t[i].x : minx;
		maxr = t[i].x + t[i].w > maxr ? t[i].x + t[i].w : maxr;
	}
	if (!n)
		return;
	if (rtl)
		checkf(t[0].x + t[0].w == maxr && maxr > s->w * 9 / 10,
		      "%s: first tile at the right edge", tag);
	else
		checkf(t[0].x == minx && minx < s->w / 10,
		      "%s: first tile at the left edge", tag);
	struct render_row row;
	if (render_rows(s->render, &row, 1) == 1) {
		int mid_box = row.text_box.x + row.text_box.w / 2;
		int mid_row = row.row.x + row.row.w / 2;
		/* Clearly on its side: a centred box is not mirrored. */
		checkf(rtl ? mid_box < mid_row - row.row.w / 10 : mid_box > mid_row + row.row.w / 10,
		      "%s: complaint text on the %s side of the row", tag,
		      rtl ? "left" : "right");
		/* em-1 is public: its mark before the text, in reading order */
		const SDL_Rect *p = &row.public_box;
		checkf(strcmp(row.id, "em-1") == 0 && p->w > 0 &&
		       SDL_HasIntersection(p, &row.row) &&
		       (rtl ? p->x >= row.text_box.x + row.text_box.w
			    : p->x + p->w <= row.text_box.x),
		       "%s: the Public mark of %s (%d+%d) on the %s of its text (%d+%d)", tag,
		       row.id, p->x, p->w, rtl ? "right" : "left", row.text_box.x,
		       row.text_box.w);
	}
	struct render_row rows[MAX_SEEN];
	size_t nr = render_rows(s->render, rows, MAX_SEEN), marked = 0;
	for (size_t i = 0; i < nr; i++)
		marked += rows[i].public_box.w > 0;
	if (nr) {
		checkf(marked == 1, "%s: %zu rows marked Public, want 1", tag, marked);
	}
}

/* Breached rows come first, most overdue first, in the README's order
 * worked out here from each complaint's own fields (not from
 * model_breached(), which the list is drawn from): by the minute of
 * due_at, public ones first within a minute, then earliest due_at. */
static bool listed_before(const struct complaint *a, const struct complaint *b)
{
	int64_t ma = a->due_at - ((a->due_at % 60) + 60) % 60;
	int64_t mb = b->due_at - ((b->due_at % 60) + 60) % 60;
	bool pa = a->visibility == VISIBILITY_PUBLIC, pb = b->visibility == VISIBILITY_PUBLIC;
	if (ma != mb)
		return ma < mb;
	if (pa != pb)
		return pa;
	return a->due_at <= b->due_at;
}

static void check_order(const struct screen *s, const struct model *m,
			int64_t now, const char *tag)
{
	struct render_row rows[MAX_SEEN];
	size_t nr = render_rows(s->render, rows, MAX_SEEN);
	size_t nb = 0, wrong = 0;
	while (nb < nr && rows[nb].breached)
		nb++;
	checkf(nb > 0, "%s: breached rows drawn", tag);
	for (size_t i = 0; i < nb; i++) {
		const struct complaint *c = model_find(m, rows[i].id);
		const struct complaint *p = i ? model_find(m, rows[i - 1].id) : NULL;
		wrong += !c || !c->has_sla || c->paused || c->due_at > now;
		wrong += c && p && !listed_before(p, c);
	}
	for (size_t i = nb; i < nr; i++)
		wrong += rows[i].breached;
	checkf(wrong == 0, "%s: breached rows in most-overdue-first order", tag);
}

/* Nothing new is rasterised by an identical frame, nor by one a second
 * later (timers tick through per-digit textures). */
static void check_caching(struct screen *s, const struct model *m,
			  const struct board_status *st, const char *tag)
{
	uint64_t before = rasterised(s);
	draw(s, m, st, NOW, 1000);
	checkf(rasterised(s) == before, "%s: same frame rasterised %llu lines", tag,
	      (unsigned long long)(rasterised(s) - before));
	draw(s, m, st, NOW + 1, 2000);
	checkf(rasterised(s) == before, "%s: ticking frame rasterised %llu lines", tag,
	      (unsigned long long)(rasterised(s) - before));
	uint32_t next = render_next_change_ms(s->render, 2000);
	checkf(next > 2000 && next <= 3000 + KIT_WAKE_LATE_MS,
	       "%s: next change %u within a second (and its wake-up margin)", tag, next);
	draw(s, m, st, NOW, 1000);
}

static double banner_change(struct screen *s, const struct model *m,
			    const struct board_status *st)
{
	SDL_Rect b;
	draw(s, m, st, NOW, 0);
	if (!render_region(s->render, RENDER_REGION_BANNER, &b) || !b.w)
		return -1;
	uint32_t *a = grab(s, b);
	draw(s, m, st, NOW, 500);
	uint32_t *c = grab(s, b);
	double d = a && c ? differing(a, c, b) : -1;
	free(a);
	free(c);
	return d;
}

/* The banner flashes (1 Hz) unless flash_steady, and never hides the
 * connection state. */
static void check_banner(struct screen *s, const struct model *m,
			 struct config *cfg, const struct board_status *st,
			 const char *tag)
{
	SDL_Rect b, conn;
	draw(s, m, st, NOW, 100);
	checkf(render_region(s->render, RENDER_REGION_BANNER, &b) && inside(b, s->w, s->h),
	      "%s: crisis banner shown inside the output", tag);
	checkf(render_region(s->render, RENDER_REGION_CONN, &conn) &&
	      !SDL_HasIntersection(&b, &conn), "%s: banner leaves the connection state", tag);
	uint32_t next = render_next_change_ms(s->render, 100);
	/* due just after the flip (kit.h: KIT_WAKE_LATE_MS) */
	checkf(next > 100 && next <= 500 + KIT_WAKE_LATE_MS,
	       "%s: next change %u at the flash toggle", tag, next);
	double d = banner_change(s, m, st);
	checkf(d > 0.2, "%s: banner flashes (%.2f of it changed)", tag, d);
	char name[80];
	snprintf(name, sizeof name, "%s-flash", tag);
	save(s, name);
	cfg->flash_steady = true;
	d = banner_change(s, m, st);
	cfg->flash_steady = false;
	checkf(d == 0, "%s: steady banner does not flash (%.2f changed)", tag, d);
}

/* Not live: the data area is veiled grey, a band says since when, and the
 * frozen timers stop scheduling per-second redraws. */
static void check_not_live(struct screen *s, const struct model *m, const char *tag)
{
	struct board_status live = { .connected = true, .live = true, .day_start = NOW - 36000 };
	struct board_status dead = live;
	dead.live = false;
	dead.connected = false;
	dead.not_live_since = NOW - 45;
	SDL_Rect data, band;
	draw(s, m, &live, NOW, 0);
	render_region(s->render, RENDER_REGION_DATA, &data);
	checkf(!render_region(s->render, RENDER_REGION_BAND, &band), "%s: no band while live", tag);
	double c_live = chroma(s, data);
	draw(s, m, &dead, NOW, 0);
	render_region(s->render, RENDER_REGION_DATA, &data);
	double c_dead = chroma(s, data);
	checkf(c_dead < c_live * 0.6, "%s: data greyer when not live (%.1f -> %.1f)", tag,
	      c_live, c_dead);
	checkf(render_region(s->render, RENDER_REGION_BAND, &band) && inside(band, s->w, s->h),
	      "%s: not-live band shown", tag);
	/* NOW is 40 s into its minute: the clock, or the list's next page
	 * (page_s), is the next change; not the frozen timers' next second */
	uint32_t next = render_next_change_ms(s->render, 0);
	uint32_t page = (uint32_t)s->page_s * 1000u;
	checkf(next > 1003 && (next <= 20003 || next == page),
	      "%s: frozen timers do not tick (next %u)", tag, next);
	save(s, tag);
}

/* The alarm strip: reserved at the bottom, full width, when alarm_rows > 0;
 * the lists give it the room (no row or tile under it). */
static void check_alarm_strip(struct screen *s, const struct model *m,
			      const struct model *mc, const char *tag)
{
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	SDL_Rect a, data;
	draw(s, m, &st, NOW, 0);
	size_t rows_without = render_rows(s->render, NULL, 0);
	checkf(!render_region(s->render, RENDER_REGION_ALARMS, &a) && a.w == 0,
	      "%s: no alarm strip without alarms", tag);
	for (int pass = 0; pass < 2; pass++) {
		const struct model *mm = pass ? mc : m;
		st.alarm_rows = 3;
		draw(s, mm, &st, NOW, 0);
		bool shown = render_region(s->render, RENDER_REGION_ALARMS, &a);
		checkf(shown && inside(a, s->w, s->h), "%s/%d: alarm strip inside the output",
		      tag, pass);
		checkf(a.y + a.h >= s->h * 97 / 100 && a.w >= s->w * 9 / 10,
		      "%s/%d: strip at the bottom, full width (%d,%d %dx%d)", tag, pass,
		      a.x, a.y, a.w, a.h);
		int rh = (s->w < s->h ? s->w : s->h) * 50 / 1000;
		checkf(a.h >= rh && a.h <= 2 * rh, "%s/%d: strip %d high, at most 2 rows of %d",
		      tag, pass, a.h, rh);
		checkf(render_region(s->render, RENDER_REGION_DATA, &data) && contains(data, a),
		      "%s/%d: strip inside the data area", tag, pass);
		struct render_row rows[MAX_SEEN];
		SDL_Rect tiles[MAX_SEEN];
		size_t nr = render_rows(s->render, rows, MAX_SEEN);
		size_t nt = render_tiles(s->render, tiles, MAX_SEEN);
		size_t under = 0;
		for (size_t i = 0; i < nr; i++)
			under += SDL_HasIntersection(&rows[i].row, &a);
		for (size_t i = 0; i < nt; i++)
			under += SDL_HasIntersection(&tiles[i], &a);
		checkf(under == 0, "%s/%d: %zu rows/tiles under the strip", tag, pass, under);
		if (!pass)
			checkf(nr <= rows_without,
			      "%s: lists give the strip room (%zu -> %zu rows)", tag,
			      rows_without, nr);
	}
	char name[80];
	snprintf(name, sizeof name, "%s-strip", tag);
	save(s, name);
}

/* An acknowledged crisis: the banner stays steady and schedules no flash.
 * mo holds only the crisis, so nothing else ticks. */
static void check_crisis_acked(struct screen *s, const struct model *mo, const char *tag)
{
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	double d = banner_change(s, mo, &st);
	checkf(d > 0.2, "%s: unacknowledged crisis flashes (%.2f changed)", tag, d);
	draw(s, mo, &st, NOW, 100);
	uint32_t next = render_next_change_ms(s->render, 100);
	checkf(next > 100 && next <= 500 + KIT_WAKE_LATE_MS,
	       "%s: flash scheduled (next %u)", tag, next);
	st.crisis_acked = true;
	d = banner_change(s, mo, &st);
	checkf(d == 0, "%s: acknowledged crisis banner steady (%.2f changed)", tag, d);
	draw(s, mo, &st, NOW, 100);
	SDL_Rect b;
	checkf(render_region(s->render, RENDER_REGION_BANNER, &b), "%s: banner still shown", tag);
	next = render_next_change_ms(s->render, 100);
	checkf(next > 1100, "%s: no flash scheduled when acknowledged (next %u)", tag, next);
}

/* Readable from across the room when the room is short: a crisis and a
 * full alarm strip. Each tile (or cell of the compact row) is at least as
 * high as a list row's text line, nothing on the board is under 2.2% of
 * the output's smaller side, the list's text is at least 15 px (800x480's
 * of old) and 2.6% of the smaller side (28 px at 1080p); the strip keeps
 * at most two lines, and the most overdue complaint keeps its row. */
static void check_pressure(struct screen *s, const struct model *mc, const char *tag)
{
	struct board_status st = { .connected = true, .live = true,
				    .day_start = NOW - 36000, .alarm_rows = 4 };
	int u = s->w < s->h ? s->w : s->h, least = u * 22 / 1000;
	draw(s, mc, &st, NOW, 0);
	save(s, tag);
	check_geometry(s, tag, true, model_channel_count(mc));
	struct render_row rows[MAX_SEEN];
	SDL_Rect t[MAX_SEEN], a;
	size_t nr = render_rows(s->render, rows, MAX_SEEN);
	size_t nt = render_tiles(s->render, t, MAX_SEEN);
	checkf(nr >= 1 && rows[0].breached, "%s: the most overdue keeps its row (%zu rows)",
	      tag, nr);
	int row_px = nr ? rows[0].text_px : 0, row_h = nr ? rows[0].text_box.h : 0;
	int row_least = u * 26 / 1000 > 15 ? u * 26 / 1000 : 15;
	checkf(row_px >= row_least, "%s: list text %d px (>= %d)", tag, row_px, row_least);
	int tile_px = render_text_px(s->render, RENDER_REGION_TILES);
	checkf(tile_px >= least, "%s: channel words %d px (>= %d)", tag, tile_px, least);
	size_t low = 0;
	for (size_t i = 0; i < nt; i++)
		low += t[i].h < row_h;
	checkf(nt && low == 0, "%s: %zu tiles lower than a list line (%d px)", tag, low, row_h);
	int data_px = render_text_px(s->render, RENDER_REGION_DATA);
	int head_px = render_text_px(s->render, RENDER_REGION_HEADER);
	checkf(data_px >= least && head_px >= least,
	      "%s: smallest text %d px (data), %d px (header), want >= %d", tag,
	      data_px, head_px, least);
	checkf(render_text_px(s->render, RENDER_REGION_BANNER) >= row_px * 8 / 10,
	      "%s: banner text %d px", tag, render_text_px(s->render, RENDER_REGION_BANNER));
	int rh = u * 50 / 1000;
	checkf(render_region(s->render, RENDER_REGION_ALARMS, &a) && a.h >= 2 * rh - 1 &&
	      a.h <= 2 * rh, "%s: strip of 2 lines (%d px, lines of %d)", tag, a.h, rh);
	/* both flash phases seen: ticking and flashing on costs nothing */
	draw(s, mc, &st, NOW, 500);
	struct text_stats before, after;
	text_get_stats(s->text, &before);
	for (uint32_t i = 2; i < 6; i++)
		draw(s, mc, &st, NOW + i / 2, i * 500);
	text_get_stats(s->text, &after);
	checkf(after.rasterised == before.rasterised && after.digit_sets == before.digit_sets,
	      "%s: ticking, flashing frames rasterised %llu lines, %u digit sets", tag,
	      (unsigned long long)(after.rasterised - before.rasterised),
	      after.digit_sets - before.digit_sets);
	SDL_Rect conn, banner, tiles;
	checkf(render_region(s->render, RENDER_REGION_CONN, &conn) &&
	      render_region(s->render, RENDER_REGION_BANNER, &banner) &&
	      render_region(s->render, RENDER_REGION_TILES, &tiles) &&
	      !SDL_HasIntersection(&banner, &tiles) && !SDL_HasIntersection(&tiles, &a) &&
	      !SDL_HasIntersection(&banner, &a) && inside(conn, s->w, s->h),
	      "%s: header, banner, channels and strip apart", tag);
}

/* The first bright ink from the start side of a channel cell's second
 * line: 'r' for the state's red, 'w' for the white open count, '?' for
 * neither. Columns bright from top to bottom are the cell's border and
 * its accent bar, not ink, and are passed over. */
static char cell_first_ink(const struct screen *s, SDL_Rect t, bool rtl)
{
	int y0 = t.y + t.h / 2, y1 = t.y + t.h - t.h / 8;
	char found = 0;
	SDL_LockSurface(s->surf);
	for (int i = 0; i < t.w && !found; i++) {
		int x = rtl ? t.x + t.w - 1 - i : t.x + i, best = 0, bright = 0;
		uint32_t bp = 0;
		for (int y = y0; y < y1; y++) {
			uint32_t p = pixel(s, x, y);
			int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
			bright += mx > 180;
			if (mx > best) {
				best = mx;
				bp = p;
			}
		}
		if (best <= 180 || bright * 20 >= (y1 - y0) * 19)
			continue;
		int r = (bp >> 16) & 255, g = (bp >> 8) & 255;
		found = r > 180 && g > 150 ? 'w' : r > 180 && g < 120 ? 'r' : '?';
	}
	SDL_UnlockSurface(s->surf);
	return found;
}

/* A breached channel's cell reads "7 Open 6 Breached" when it has the
 * room; a narrow one (five across a portrait screen, or a wall of
 * queues) shows the state alone, "6 Breached", rather than cutting it to
 * "6 Br...". Seen as the colour of the first ink on the cell's second
 * line, from the reading side. Tiles taller than two list lines are
 * full tiles, not cells, and are left to check_geometry. */
static void check_cells(const struct screen *s, bool rtl, bool narrow, const char *tag)
{
	SDL_Rect t[MAX_SEEN];
	struct render_row row;
	size_t n = render_tiles(s->render, t, MAX_SEEN), seen = 0, wrong = 0;
	/* a list row is the measure of a cell; without one the check would
	 * pass by asking nothing */
	if (render_rows(s->render, &row, 1) != 1) {
		checkf(false, "%s: no list row to tell cells from tiles", tag);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *st = render_tile_state(s->render, i);
		if (!st || strcmp(st, "breached") != 0 || t[i].h >= 2 * row.row.h)
			continue;
		seen++;
		wrong += cell_first_ink(s, t[i], rtl) != (narrow ? 'r' : 'w');
	}
	checkf(seen > 0 && wrong == 0, "%s: %zu of %zu breached cells do not begin with %s",
	      tag, wrong, seen, narrow ? "the state (red)" : "the open count (white)");
}

/* Every breach the screen holds is listed: while the list pages, the
 * channels are a compact row of cells, not tiles taller than two list
 * rows standing on rows the breaches need. */
static void check_tiles_give_way(const struct screen *s, const char *tag)
{
	struct render_page pg;
	struct render_row row;
	SDL_Rect t;
	render_page(s->render, &pg);
	size_t listed = pg.total ? pg.last - pg.first + 1 : 0;
	if (pg.total <= listed || render_rows(s->render, &row, 1) != 1 ||
	    render_tiles(s->render, &t, 1) != 1)
		return;
	checkf(t.h < 2 * row.row.h, "%s: %zu of %zu breaches on the page under tiles %d px high",
	       tag, listed, pg.total, t.h);
}

/* The rows of the list's title line (from its top) that the page bar
 * fills: rows of the line mostly in the bar's colour, in a frame drawn
 * at a page's start (the bar not yet filling). 0 rows: none found. */
static int page_bar_rows(const struct screen *s, SDL_Rect list, int line_h, int *first)
{
	int n = 0;
	*first = -1;
	SDL_LockSurface(s->surf);
	for (int y = list.y; y < list.y + line_h && y < s->h; y++) {
		int bar = 0;
		for (int x = list.x; x < list.x + list.w; x++) {
			uint32_t p = pixel(s, x, y);
			bar += ((p >> 16) & 255) == kit_pal.edge.r && ((p >> 8) & 255) == kit_pal.edge.g &&
			       (p & 255) == kit_pal.edge.b;
		}
		if (bar * 10 < list.w * 9)
			continue;
		*first = *first < 0 ? y - list.y : *first;
		n++;
	}
	SDL_UnlockSurface(s->surf);
	return n;
}

/* The list's title clears the page bar under it: no descent of its
 * words (en "p", he "ן", the dots of fa "پ") in the rows the bar fills
 * while the list pages, seen on a board whose list does not page (the
 * title where it is, with no bar drawn over it). */
static void check_title_clear(struct screen *s, const struct model *m,
			      const struct model *mq, const char *tag)
{
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	int u = s->w < s->h ? s->w : s->h, line_h = u * 40 / 1000, first;
	SDL_Rect list;
	struct render_page pg;
	draw(s, m, &st, NOW, 0);
	render_page(s->render, &pg);
	if (pg.last >= pg.total)
		return; /* all on one page (portrait): no bar */
	render_region(s->render, RENDER_REGION_LIST, &list);
	int rows = page_bar_rows(s, list, line_h, &first);
	checkf(rows > 0, "%s: page bar found under the title (%d rows)", tag, rows);
	draw(s, mq, &st, NOW, 0);
	render_region(s->render, RENDER_REGION_LIST, &list);
	long ink = 0;
	SDL_LockSurface(s->surf);
	for (int y = list.y + first; rows > 0 && y < list.y + first + rows; y++)
		for (int x = list.x; x < list.x + list.w; x++) {
			uint32_t p = pixel(s, x, y);
			int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			ink += abs(r - kit_pal.bg.r) + abs(g - kit_pal.bg.g) + abs(b - kit_pal.bg.b) > 60;
		}
	SDL_UnlockSurface(s->surf);
	checkf(ink == 0, "%s: %ld px of the title in the page bar's rows", tag, ink);
}

/* With room to spare (nothing breached) the board keeps its tiles
 * (taller than list rows, with the state as a word on each), and none of
 * their words is tiny. */
static void check_tiles_kept(struct screen *s, const struct model *m, const char *tag)
{
	struct board_status st = { .connected = true, .live = true,
				    .day_start = NOW - 36000, .alarm_rows = 4 };
	int u = s->w < s->h ? s->w : s->h;
	draw(s, m, &st, NOW, 0);
	struct render_row row;
	SDL_Rect t;
	checkf(render_rows(s->render, &row, 1) == 1 && render_tiles(s->render, &t, 1) == 1 &&
	      t.h > 2 * row.row.h, "%s: tiles, not chips (%d px high)", tag, t.h);
	int px = render_text_px(s->render, RENDER_REGION_TILES);
	checkf(px >= u * 22 / 1000, "%s: tile words %d px (>= %d)", tag, px, u * 22 / 1000);
}

/* ---------------------------------------------------------------- main */

static void setup_config(struct config *cfg, enum lang lang)
{
	static const char *const sites[] = {
		[LANG_EN] = "Customer Care, Tel Aviv",
		[LANG_HE] = "מוקד שירות הלקוחות, תל אביב",
		[LANG_FA] = "مرکز پشتیبانی مشتریان، تهران",
	};
	static const struct channel_conf chans[] = {
		{ "whatsapp", "WhatsApp", 0x3fbf7f },
		{ "facebook", "Facebook", 0x5b8def },
		{ "phone", "טלפון", 0 },
	};
	config_defaults(cfg);
	snprintf(cfg->site, sizeof cfg->site, "%s", sites[lang]);
	cfg->lang = lang;
	cfg->at_risk_s = 600;
	for (size_t i = 0; i < 3; i++)
		cfg->channels[i] = chans[i];
	cfg->n_channels = 3;
}

/* A calm board: nothing breached, two complaints due soon. */
static struct model *make_calm_model(void)
{
	static const char *const keys[] = { "whatsapp", "facebook", "phone" };
	struct model *m = model_init(keys, 3);
	checkf(m != NULL, "model_init");
	if (!m)
		return NULL;
	complaint(m, "wa-2", "whatsapp", "Pat Lee", "Ron", PRIORITY_NORMAL,
		  "Where is my invoice for October?", STATUS_OPEN);
	sla(m, "wa-2", NOW + 252, false, 0);
	complaint(m, "fb-2", "facebook", "سارا", "", PRIORITY_VIP,
		  "کیفیت محصول خیلی پایین است و پشتیبانی پاسخ نمی‌دهد", STATUS_OPEN);
	sla(m, "fb-2", NOW + 500, false, 0);
	complaint(m, "em-2", "email", "Lior", "Avi", PRIORITY_HIGH,
		  "ההזמנה הגיעה חסרה, חסר פריט אחד (מק\"ט 7731)", STATUS_OPEN);
	sla(m, "em-2", NOW + 3000, false, 0);
	return m;
}

/* No breaches: a calm line, then the due-soon rows, soonest first. */
static void check_calm(struct screen *s, const struct model *m, const char *tag)
{
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	struct render_row rows[MAX_SEEN];
	draw(s, m, &st, NOW, 0);
	save(s, tag);
	size_t n = render_rows(s->render, rows, MAX_SEEN);
	checkf(n == 2, "%s: two due-soon rows (%zu)", tag, n);
	checkf(n == 2 && !rows[0].breached && !rows[1].breached &&
	      strcmp(rows[0].id, "wa-2") == 0 && strcmp(rows[1].id, "fb-2") == 0,
	      "%s: due-soon rows soonest first", tag);
	uint32_t next = render_next_change_ms(s->render, 0);
	/* the tick is due just after the wall clock's next second: up to
	 * KIT_WAKE_LATE_MS past a full second when drawn right on one */
	checkf(next > 0 && next <= 1000 + KIT_WAKE_LATE_MS, "%s: due-in timers tick (next %u)",
	       tag, next);
	check_geometry(s, tag, true, model_channel_count(m));
}

static struct model *make_model(bool with_crisis)
{
	static const char *const keys[] = { "whatsapp", "facebook", "phone" };
	struct model *m = model_init(keys, 3);
	checkf(m != NULL, "model_init");
	if (!m)
		return NULL;
	fill_model(m);
	if (with_crisis)
		crisis(m);
	return m;
}

static void check_i18n(void)
{
	size_t missing = 0;
	for (int l = LANG_EN; l <= LANG_FA; l++)
		for (int i = 0; i < STR_COUNT; i++) {
			const char *w = i18n_get((enum lang)l, (enum str_id)i);
			missing += !w || !*w;
		}
	checkf(missing == 0, "i18n: %zu strings missing", missing);
	checkf(!i18n_is_rtl(LANG_EN) && i18n_is_rtl(LANG_HE) && i18n_is_rtl(LANG_FA),
	      "i18n: rtl languages");
	enum lang l = LANG_EN;
	checkf(i18n_lang_from_code("fa", &l) && l == LANG_FA, "i18n: fa code");
	checkf(i18n_lang_from_code("he", &l) && l == LANG_HE, "i18n: he code");
	checkf(!i18n_lang_from_code("de", &l) && l == LANG_HE, "i18n: unknown code refused");
	checkf(strcmp(i18n_lang_code(LANG_FA), "fa") == 0, "i18n: code of fa");
	checkf(strcmp(i18n_get(LANG_HE, STR_BREACHED), i18n_get(LANG_EN, STR_BREACHED)) != 0,
	      "i18n: Hebrew is translated");
}

/* The board's own numbers in Persian digits by default in fa, and only
 * there: fa with digits = latin draws other pixels, en draws the same
 * either way. Which glyphs are drawn is test_text's check. */
static void check_digits(const struct model *m)
{
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	SDL_Rect all = { 0, 0, 1280, 720 };
	uint32_t *px[2][2] = { { NULL, NULL }, { NULL, NULL } };
	for (int l = 0; l < 2; l++)
		for (int d = 0; d < 2; d++) {
			struct config cfg;
			struct screen s;
			setup_config(&cfg, l ? LANG_FA : LANG_EN);
			cfg.digits = d ? DIGITS_LATIN : DIGITS_NATIVE;
			if (!screen_open(&s, all.w, all.h, &cfg)) {
				checkf(false, "digits: screen");
				continue;
			}
			draw(&s, m, &st, NOW, 0);
			px[l][d] = grab(&s, all);
			screen_close(&s);
		}
	if (px[0][0] && px[0][1] && px[1][0] && px[1][1]) {
		checkf(differing(px[1][0], px[1][1], all) > 0.001,
		       "digits: fa board draws its numbers in Persian digits");
		checkf(differing(px[0][0], px[0][1], all) == 0,
		       "digits: en board is the same with native or latin");
	}
	for (int i = 0; i < 4; i++)
		free(px[i / 2][i % 2]);
}

/* Every channel's name is drawn whole, in the rows and on the tiles:
 * "Instagr…" or "WhatsA…" names no channel (portrait rows cut them). */
static void check_channels_whole(struct screen *s, const struct model *m,
				 const struct config *cfg, const struct board_status *st,
				 const char *tag)
{
	static struct kit_seen seen;
	seen.all = true;
	kit_seen_watch(&seen);
	draw(s, m, st, NOW, 1000);
	kit_seen_watch(NULL);
	checkf(seen.more == 0, "%s: all %zu texts kept (%zu more)", tag, seen.n, seen.more);
	for (size_t i = 0; i < model_channel_count(m); i++) {
		char name[64];
		i18n_channel_label(cfg, model_channel_key(m, i), name, sizeof name);
		bool cut = false;
		checkf(kit_seen_find(&seen, name, &cut) != NULL, "%s: channel %s drawn", tag, name);
		checkf(!cut, "%s: channel %s drawn whole", tag, name);
	}
}

/* The crisis title, the line the floor reads first, is whole on a full
 * banner: smaller rather than cut when it is long for the banner's
 * width (portrait, or beside a DRILL mark). */
static void check_title_whole(struct screen *s, const struct model *mc,
			      const struct board_status *st, const char *tag)
{
	static struct kit_seen seen;
	const struct msg_crisis *c = model_crisis(mc);
	bool cut = false;
	seen.all = true;
	kit_seen_watch(&seen);
	draw(s, mc, st, NOW, 0);
	kit_seen_watch(NULL);
	bool found = c && kit_seen_find(&seen, c->title, &cut) != NULL;
	checkf(found && !cut && seen.more == 0, "%s: the crisis title %s", tag,
	       !found ? "not drawn" : cut ? "cut" : "whole");
}

/* The site's name in the header is whole: smaller rather than cut
 * ("מוקד שירות הלקוחות, תל א..." lost the city). */
static void check_site_whole(struct screen *s, const struct model *m,
			     const struct config *cfg, const char *tag)
{
	static struct kit_seen seen;
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	bool cut = false;
	seen.all = true;
	kit_seen_watch(&seen);
	draw(s, m, &st, NOW, 0);
	kit_seen_watch(NULL);
	bool found = kit_seen_find(&seen, cfg->site, &cut) != NULL;
	checkf(found && !cut && seen.more == 0, "%s: the site's name %s", tag,
	       !found ? "not drawn" : cut ? "cut" : "whole");
}

/* Pixels of region a within 24 (r+g+b) of colour c: a label's ink (the
 * glyphs' cores; 13 px or more for "Rejected messages 7" at 800x480). */
static long ink_of(const struct screen *s, SDL_Rect a, SDL_Color c)
{
	long n = 0;
	SDL_LockSurface(s->surf);
	for (int y = a.y; y < a.y + a.h; y++)
		for (int x = a.x; x < a.x + a.w; x++) {
			uint32_t p = pixel(s, x, y);
			n += abs((int)((p >> 16) & 255) - c.r) + abs((int)((p >> 8) & 255) - c.g) +
				     abs((int)(p & 255) - c.b) < 24;
		}
	SDL_UnlockSurface(s->surf);
	return n;
}

/* "Rejected messages 7" is amber while the last rejection is recent,
 * muted (calm) once it is old: a glance tells "now" from "once". */
static void check_rejected_colour(struct screen *s, const struct model *m, const char *tag)
{
	static const struct { bool recent; const char *name; } cases[] = {
		{ true, "recent" }, { false, "old" },
	};
	struct board_status st = { .connected = true, .live = true,
				    .day_start = NOW - 36000, .rejected = 7 };
	for (size_t i = 0; i < 2; i++) {
		st.rejected_recent = cases[i].recent;
		draw(s, m, &st, NOW, 1000);
		SDL_Rect conn;
		checkf(render_region(s->render, RENDER_REGION_CONN, &conn),
		       "%s: connection box drawn", tag);
		long amber = ink_of(s, conn, kit_pal.amber), muted = ink_of(s, conn, kit_pal.muted);
		bool want = cases[i].recent;
		checkf(want ? amber >= 8 && muted == 0 : amber == 0 && muted >= 8,
		       "%s: rejected count, %s: %s (%ld px amber, %ld px muted)", tag,
		       cases[i].name, want ? "amber" : "muted", amber, muted);
		if (!want) {
			char name[80];
			snprintf(name, sizeof name, "%s-rejected-old", tag);
			save(s, name);
		}
	}
}

/* The room a board leaves under its last breach when every breach is
 * listed (-1: the list pages, it has none to spare). */
static int room_under_breaches(const struct screen *s)
{
	struct render_page pg;
	struct render_row rows[MAX_SEEN];
	SDL_Rect list;
	render_page(s->render, &pg);
	size_t nr = render_rows(s->render, rows, MAX_SEEN);
	if (!pg.total || pg.first != 1 || pg.last < pg.total ||
	    !render_region(s->render, RENDER_REGION_LIST, &list))
		return -1;
	int bottom = list.y + 1; /* under the list's title at least */
	for (size_t i = 0; i < nr; i++)
		if (rows[i].breached && rows[i].row.y + rows[i].row.h > bottom)
			bottom = rows[i].row.y + rows[i].row.h;
	return list.y + list.h - bottom;
}

/* A crisis board listing every breach with room to spare gives the
 * banner that room: whatever the banner leaves out (the title cut, the
 * message cut, steps said as "+2 more") would need more than the list
 * keeps under its last breach: a title row at the compact message's
 * size (28 permille, rows of 1.5), a message line (1.6), a step line
 * (36 permille). Boards that page have no room to give. */
static void check_banner_takes_room(struct screen *s, const struct model *mc,
				    const struct board_status *st, const char *tag)
{
	static struct kit_seen seen;
	const struct msg_crisis *c = model_crisis(mc);
	seen.all = true;
	kit_seen_watch(&seen);
	draw(s, mc, st, NOW, 0);
	kit_seen_watch(NULL);
	int room = room_under_breaches(s);
	if (!c || room < 0)
		return;
	int u = s->w < s->h ? s->w : s->h, need = s->h + 1; /* nothing left out */
	bool cut = false, msg_cut = false;
	size_t msg_parts = 0;
	if (!kit_seen_find(&seen, c->title, &cut) || cut) {
		cut = true;
		need = u * 28 * 15 / 10000;
	}
	for (size_t i = 0; i < seen.n; i++) /* the message, or a line of it */
		if (strlen(seen.t[i].s) >= 8 && strstr(c->message, seen.t[i].s)) {
			msg_parts++;
			msg_cut |= seen.t[i].cut;
		}
	if (msg_cut || !msg_parts)
		need = u * 28 * 16 / 10000 < need ? u * 28 * 16 / 10000 : need;
	size_t shown = 0;
	for (size_t i = 0; i < c->n_playbook; i++)
		shown += kit_seen_find(&seen, c->playbook[i], NULL) != NULL;
	if (shown < c->n_playbook)
		need = u * 36 / 1000 < need ? u * 36 / 1000 : need;
	checkf(seen.more == 0 && room < need,
	       "%s: %d px left under every breach while the banner %s (a line: %d px)", tag, room,
	       cut ? "cuts the title" : msg_cut ? "cuts the message" : "hides steps", need);
}

/* A crisis under a silent feed's band and two alarm lines: every
 * playbook step is on the banner, or "+N more" says how many are not;
 * with all (nothing breached: the list needs no room) every step.
 * (Nine silent feeds: the band's own "+8 more" is no answer here.) */
static int steps_hidden_seen; /* boards where steps had no room (of all sizes) */

static void check_steps_hint(struct screen *s, const struct model *mc, enum lang lang,
			     bool all, const char *tag)
{
	static struct kit_seen seen;
	const struct msg_crisis *c = model_crisis(mc);
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000,
				    .alarm_rows = 2, .n_silent = 9, .silent_feed = "crm",
				    .silent_since = NOW - 600 };
	seen.all = true;
	kit_seen_watch(&seen);
	draw(s, mc, &st, NOW, 0);
	kit_seen_watch(NULL);
	save(s, tag);
	size_t shown = 0;
	for (size_t i = 0; c && i < c->n_playbook; i++)
		shown += kit_seen_find(&seen, c->playbook[i], NULL) != NULL;
	char hint[64];
	snprintf(hint, sizeof hint, "+%zu %s", c ? c->n_playbook - shown : 0,
		 i18n_get(lang, STR_MORE));
	bool cut = false, said = kit_seen_find(&seen, hint, &cut) != NULL;
	checkf(c && seen.more == 0, "%s: the crisis, all texts kept", tag);
	/* all: nothing breached, the room is the banner's to use */
	if (all)
		checkf(c && shown == c->n_playbook, "%s: %zu of %zu steps shown, nothing breached",
		       tag, shown, c ? c->n_playbook : 0);
	if (c && shown < c->n_playbook)
		checkf(said && !cut, "%s: %zu of %zu steps shown, \"%s\" said whole", tag, shown,
		       c->n_playbook, hint);
	else
		checkf(!said, "%s: all steps shown, no hint", tag);
	steps_hidden_seen += c && shown < c->n_playbook;
	check_banner_takes_room(s, mc, &st, tag);
}

static void run_size(int w, int h, enum lang lang, const struct model *m,
		     const struct model *mc, const struct model *mq,
		     const struct model *mo)
{
	struct config cfg;
	struct screen s;
	char tag[64];
	setup_config(&cfg, lang);
	snprintf(tag, sizeof tag, "%dx%d-%s", w, h, i18n_lang_code(lang));
	if (!screen_open(&s, w, h, &cfg)) {
		checkf(false, "%s: open screen: %s", tag, SDL_GetError());
		screen_close(&s);
		return;
	}
	struct board_status st = { .connected = true, .live = true,
				    .day_start = NOW - 36000, .rejected = 7,
				    .rejected_recent = true };
	draw(&s, m, &st, NOW, 1000);
	save(&s, tag);
	check_geometry(&s, tag, true, model_channel_count(m));
	check_tiles_give_way(&s, tag);
	check_mirroring(&s, i18n_is_rtl(lang), tag);
	check_order(&s, m, NOW, tag);
	check_caching(&s, m, &st, tag);
	check_channels_whole(&s, m, &cfg, &st, tag);
	check_site_whole(&s, m, &cfg, tag);
	check_rejected_colour(&s, m, tag);

	snprintf(tag, sizeof tag, "%dx%d-%s-crisis", w, h, i18n_lang_code(lang));
	check_title_whole(&s, mc, &st, tag);
	check_banner(&s, mc, &cfg, &st, tag);
	draw(&s, mc, &st, NOW, 100);
	save(&s, tag);
	check_geometry(&s, tag, false, model_channel_count(mc));
	check_tiles_give_way(&s, tag);
	check_cells(&s, i18n_is_rtl(lang), w < h, tag);
	check_channels_whole(&s, mc, &cfg, &st, tag);
	snprintf(tag, sizeof tag, "%dx%d-%s-crisis-band", w, h, i18n_lang_code(lang));
	check_steps_hint(&s, mc, lang, false, tag); /* many breaches: the compact banner */
	snprintf(tag, sizeof tag, "%dx%d-%s-crisis-band-full", w, h, i18n_lang_code(lang));
	check_steps_hint(&s, mo, lang, true, tag);

	snprintf(tag, sizeof tag, "%dx%d-%s-notlive", w, h, i18n_lang_code(lang));
	check_not_live(&s, m, tag);

	snprintf(tag, sizeof tag, "%dx%d-%s-calm", w, h, i18n_lang_code(lang));
	check_calm(&s, mq, tag);

	snprintf(tag, sizeof tag, "%dx%d-%s-title", w, h, i18n_lang_code(lang));
	check_title_clear(&s, m, mq, tag);

	snprintf(tag, sizeof tag, "%dx%d-%s-alarms", w, h, i18n_lang_code(lang));
	check_alarm_strip(&s, m, mc, tag);
	snprintf(tag, sizeof tag, "%dx%d-%s-acked", w, h, i18n_lang_code(lang));
	check_crisis_acked(&s, mo, tag);
	snprintf(tag, sizeof tag, "%dx%d-%s-pressure", w, h, i18n_lang_code(lang));
	check_pressure(&s, mc, tag);
	struct board_status pst = { .connected = true, .live = true,
				    .day_start = NOW - 36000, .alarm_rows = 4 };
	check_banner_takes_room(&s, mc, &pst, tag);
	if (w * 10 >= h * 15) {
		snprintf(tag, sizeof tag, "%dx%d-%s-tiles", w, h, i18n_lang_code(lang));
		check_tiles_kept(&s, mq, tag);
	}
	screen_close(&s);
}

/* A cell too narrow for its state's word says the state by the count
 * in the state's colour alone ("1", red), not "1 Br...": no state word
 * is drawn cut (kit_seen, cut texts only). */
static void check_state_not_cut(struct screen *s, const struct model *m,
				const struct board_status *st, const char *tag)
{
	static struct kit_seen seen;
	static const enum str_id words[] = { STR_BREACHED, STR_AT_RISK };
	seen.all = false;
	kit_seen_watch(&seen);
	draw(s, m, st, NOW, 0);
	kit_seen_watch(NULL);
	size_t cut = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		cut += kit_seen_find(&seen, i18n_get(LANG_EN, words[i]), NULL) != NULL;
	checkf(cut == 0 && seen.more == 0, "%s: %zu state words drawn cut", tag, cut);
}

/* The most channels the model holds, and sizes nobody should use: the
 * layout degrades (smaller, compact tiles) but stays inside and apart. */
static void check_extremes(const struct model *mc)
{
	static const int sizes[][2] = {
		{ 1920, 1080 }, { 800, 480 }, { 1080, 1920 }, { 64, 48 },
		{ 3000, 240 }, { 240, 3000 },
	};
	struct model *many = model_init(NULL, 0);
	checkf(many != NULL, "extremes: model_init");
	for (int i = 0; many && i < MODEL_MAX_CHANNELS; i++) {
		char id[16], ch[16];
		snprintf(id, sizeof id, "x-%02d", i);
		snprintf(ch, sizeof ch, "queue%02d", i);
		complaint(many, id, ch, "Customer", "", PRIORITY_NORMAL, "Waiting", STATUS_OPEN);
		sla(many, id, NOW - 60 * (i + 1), false, 0);
	}
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	for (size_t i = 0; many && i < sizeof sizes / sizeof sizes[0]; i++) {
		struct config cfg;
		struct screen s;
		char tag[64];
		setup_config(&cfg, i % 2 ? LANG_HE : LANG_EN);
		if (!screen_open(&s, sizes[i][0], sizes[i][1], &cfg)) {
			checkf(false, "extremes: open %dx%d", sizes[i][0], sizes[i][1]);
			screen_close(&s);
			continue;
		}
		snprintf(tag, sizeof tag, "%dx%d-many", sizes[i][0], sizes[i][1]);
		draw(&s, many, &st, NOW, 0);
		save(&s, tag);
		check_geometry(&s, tag, false, MODEL_MAX_CHANNELS);
		if (i == 0) {	/* 32 queues at 1080p: two rows of narrow cells */
			check_cells(&s, false, true, tag);
			check_state_not_cut(&s, many, &st, tag);
		}
		snprintf(tag, sizeof tag, "%dx%d-crisis-odd", sizes[i][0], sizes[i][1]);
		draw(&s, mc, &st, NOW, 0);
		check_geometry(&s, tag, false, model_channel_count(mc));
		screen_close(&s);
	}
	model_destroy(many);
}

/* An empty model and a 1280x720 screen in lang, for the checks that
 * fill the model themselves; NULL (checked as "tag: setup") when either
 * cannot be made. cfg must outlive the screen. */
static struct model *empty_open(struct screen *s, struct config *cfg, enum lang lang,
				const char *tag)
{
	setup_config(cfg, lang);
	struct model *m = model_init(NULL, 0);
	if (!m || !screen_open(s, 1280, 720, cfg)) {
		checkf(false, "%s: setup", tag);
		model_destroy(m);
		return NULL;
	}
	return m;
}

static void empty_close(struct screen *s, struct model *m)
{
	screen_close(s);
	model_destroy(m);
}

static void check_empty(void)
{
	struct config cfg;
	struct screen s;
	struct model *m = empty_open(&s, &cfg, LANG_HE, "empty");
	if (!m)
		return;
	struct board_status st = { .connected = false, .live = false };
	draw(&s, m, &st, NOW, 0);
	save(&s, "1280x720-he-empty-connecting");
	checkf(render_rows(s.render, NULL, 0) == 0, "empty: no rows");
	checkf(render_tiles(s.render, NULL, 0) == 0, "empty: no tiles");
	SDL_Rect band;
	checkf(render_region(s.render, RENDER_REGION_BAND, &band), "empty: connecting band");
	empty_close(&s, m);
}

/* The counts a frame shows are the model's now: a frame in the same
 * second as the last (the flash's) may take the last frame's counts
 * only while the model is unchanged. A complaint found breached in
 * that second turns its tile and the list's count at once. */
static void check_counts_fresh(void)
{
	struct config cfg;
	struct screen s;
	struct model *m = empty_open(&s, &cfg, LANG_EN, "counts");
	if (!m)
		return;
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000 };
	complaint(m, "f1", "x", "Dana", "", PRIORITY_NORMAL, "late", STATUS_OPEN);
	sla(m, "f1", NOW + 7200, false, 0);
	struct render_page pg;
	uint64_t before = model_changes(m);
	draw(&s, m, &st, NOW, 0);
	draw(&s, m, &st, NOW, 500);
	render_page(s.render, &pg);
	const char *tile = render_tile_state(s.render, 0);
	checkf(tile && strcmp(tile, "ok") == 0 && pg.total == 0, "counts: calm (%s, %zu)",
	       tile ? tile : "-", pg.total);
	checkf(model_changes(m) == before, "counts: drawing changes nothing");
	sla(m, "f1", NOW - 60, false, 0);
	checkf(model_changes(m) > before, "counts: applying counts as a change");
	draw(&s, m, &st, NOW, 900);
	render_page(s.render, &pg);
	tile = render_tile_state(s.render, 0);
	checkf(tile && strcmp(tile, "breached") == 0 && pg.total == 1,
	       "counts: breached in the same second (%s, %zu)", tile ? tile : "-", pg.total);
	/* the breach list's rows too (kept for the same second and model) */
	struct render_row rows[4];
	size_t n = render_rows(s.render, rows, 4);
	checkf(n == 1 && strcmp(rows[0].id, "f1") == 0 && rows[0].breached,
	       "counts: its row listed in the same second (%zu rows)", n);
	complaint(m, "f2", "x", "Avi", "", PRIORITY_NORMAL, "later", STATUS_OPEN);
	sla(m, "f2", NOW - 30, false, 0);
	draw(&s, m, &st, NOW, 950);
	n = render_rows(s.render, rows, 4);
	checkf(n == 2, "counts: a second breach listed in the same second (%zu rows)", n);
	complaint(m, "f2", "x", "Avi", "", PRIORITY_NORMAL, "later", STATUS_RESOLVED);
	draw(&s, m, &st, NOW, 980);
	n = render_rows(s.render, rows, 4);
	checkf(n == 1 && strcmp(rows[0].id, "f1") == 0,
	       "counts: one resolved in the same second, one row left (%zu rows)", n);
	empty_close(&s, m);
}

/* The lowest row of white ink inside the banner's edge, -1: none. */
static int banner_last_ink(const struct screen *s, SDL_Rect b, int edge)
{
	int last = -1;
	SDL_LockSurface(s->surf);
	for (int y = b.y + edge; y < b.y + b.h - edge; y++)
		for (int x = b.x + edge; x < b.x + b.w - edge; x++) {
			uint32_t p = pixel(s, x, y);
			if (((p >> 16) & 255) > 200 && ((p >> 8) & 255) > 200 && (p & 255) > 200) {
				last = y;
				break;
			}
		}
	SDL_UnlockSurface(s->surf);
	return last;
}

/* A crisis banner is as tall as what it says: no empty red band under a
 * crisis of a title and a message (or of few steps or contacts), and
 * the rows such a band would take are the list's. The gap allowed under
 * the last line of text is one banner item line (44 permille). Of ten
 * breaches, listed: how many the list must show (all ten where the
 * screen holds them beside the banner; 0: not asked). */
static void check_banner_snug(void)
{
	static const struct {
		int w, h;
		enum lang lang;
		size_t steps, contacts, listed;
	} cases[] = {
		{ 800, 480, LANG_EN, 0, 0, 10 },   { 1280, 720, LANG_HE, 0, 0, 10 },
		{ 1280, 720, LANG_FA, 2, 0, 0 },   { 1920, 1080, LANG_EN, 0, 2, 0 },
		{ 1920, 1080, LANG_HE, 1, 1, 0 },  { 3840, 2160, LANG_FA, 0, 0, 10 },
		{ 1080, 1920, LANG_EN, 0, 0, 10 }, { 1080, 1920, LANG_HE, 2, 0, 10 },
	};
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000,
				   .crisis_acked = true };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config cfg;
		struct screen s;
		char tag[64];
		snprintf(tag, sizeof tag, "snug-%dx%d-%s-%zu-%zu", cases[i].w, cases[i].h,
			 i18n_lang_code(cases[i].lang), cases[i].steps, cases[i].contacts);
		setup_config(&cfg, cases[i].lang);
		struct model *m = model_init(NULL, 0);
		if (!m || !screen_open(&s, cases[i].w, cases[i].h, &cfg)) {
			checkf(false, "%s: setup", tag);
			model_destroy(m);
			continue;
		}
		for (int j = 0; j < 10; j++) {
			char id[16];
			snprintf(id, sizeof id, "ph-%d", j);
			complaint(m, id, "phone", "Caller", "", PRIORITY_NORMAL,
				  "The parcel has not arrived", STATUS_OPEN);
			sla(m, id, NOW - 600 - 60 * j, false, 0);
		}
		crisis_sized(m, cases[i].steps, cases[i].contacts);
		draw(&s, m, &st, NOW, 0);
		save(&s, tag);
		SDL_Rect b;
		int u = s.w < s.h ? s.w : s.h, edge = (u * 5 / 1000 > 2 ? u * 5 / 1000 : 2) + 2;
		bool shown = render_region(s.render, RENDER_REGION_BANNER, &b);
		int ink = shown ? banner_last_ink(&s, b, edge) : -1;
		int gap = b.y + b.h - edge - ink;
		checkf(ink > 0 && gap <= u * 44 / 1000, "%s: %d px of empty banner under its text "
		       "(<= %d)", tag, gap, u * 44 / 1000);
		struct render_page pg;
		render_page(s.render, &pg);
		size_t n = render_rows(s.render, NULL, 0);
		size_t want = cases[i].listed;
		if (want)
			checkf(n == want && pg.total == 10 && pg.first == 1 && pg.last == want,
			       "%s: %zu of 10 breaches listed (%zu rows, %zu-%zu of %zu)", tag,
			       want, n, pg.first, pg.last, pg.total);
		check_geometry(&s, tag, true, model_channel_count(m));
		check_tiles_give_way(&s, tag);
		screen_close(&s);
		model_destroy(m);
	}
}

/* A drill crisis says DRILL on its banner: the banner's head differs
 * from the same crisis for real, the rest of the banner does not move. */
static void check_drill_banner(void)
{
	struct model *real = model_init(NULL, 0), *drill = model_init(NULL, 0);
	crisis(real);
	next_crisis_drill = true;
	crisis(drill);
	next_crisis_drill = false;
	struct board_status st = { .connected = true, .live = true, .day_start = NOW - 36000,
				   .crisis_acked = true };
	for (int l = LANG_EN; l <= LANG_HE; l++) {
		struct config cfg;
		struct screen s;
		SDL_Rect b;
		setup_config(&cfg, (enum lang)l);
		if (!screen_open(&s, 1280, 720, &cfg)) {
			checkf(false, "drill: screen");
			continue;
		}
		draw(&s, real, &st, NOW, 0);
		render_region(s.render, RENDER_REGION_BANNER, &b);
		SDL_Rect head = { b.x, b.y, b.w, b.h / 5 }, body = { b.x, b.y + b.h / 2, b.w, b.h / 2 };
		uint32_t *h0 = grab(&s, head), *b0 = grab(&s, body);
		check_title_whole(&s, drill, &st, l == LANG_EN ? "drill-en" : "drill-he");
		draw(&s, drill, &st, NOW, 0);
		uint32_t *h1 = grab(&s, head), *b1 = grab(&s, body);
		checkf(b.w > 0 && differing(h0, h1, head) > 0.01,
		       "drill-%s: the banner's head says DRILL", i18n_lang_code((enum lang)l));
		checkf(differing(b0, b1, body) == 0, "drill-%s: the rest of the banner is as it was",
		       i18n_lang_code((enum lang)l));
		free(h0), free(h1), free(b0), free(b1);
		save(&s, l == LANG_EN ? "drill-en" : "drill-he");
		screen_close(&s);
	}
	model_destroy(real);
	model_destroy(drill);
}

int main(void)
{
	static const int sizes[][2] = {
		{ 800, 480 }, { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 },
	};
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "SDL/TTF init: %s\n", SDL_GetError());
		return 1;
	}
	check_i18n();
	render_destroy(NULL);
	checkf(render_init(NULL, NULL, NULL) == NULL, "render_init refuses NULLs");
	struct model *m = make_model(false), *mc = make_model(true);
	struct model *mq = make_calm_model();
	struct model *mo = model_init(NULL, 0);
	if (mo)
		crisis(mo);
	for (size_t i = 0; m && mc && mq && mo && i < sizeof sizes / sizeof sizes[0]; i++)
		for (int l = LANG_EN; l <= LANG_FA; l++)
			run_size(sizes[i][0], sizes[i][1], (enum lang)l, m, mc, mq, mo);
	/* the case above is there: portrait hides steps behind the band */
	checkf(steps_hidden_seen > 0, "some board hid steps (%d)", steps_hidden_seen);
	if (m)
		check_digits(m);
	if (mc)
		check_extremes(mc);
	check_empty();
	check_counts_fresh();
	check_drill_banner();
	check_banner_snug();
	model_destroy(m);
	model_destroy(mc);
	model_destroy(mq);
	model_destroy(mo);
	TTF_Quit();
	SDL_Quit();
	return check_summary();
}
