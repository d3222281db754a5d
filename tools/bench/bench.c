/* bench - prints wallboard's speed figures (a benchmark, not a test).
 *
 *   bench [--broker HOST:PORT] [--complaints N] [--frames N] [--messages N]
 *         [--lines N] [--lines-only] [--cold MB] [--frames-only]
 *
 * 1. frame time at 1920x1080 with N open complaints and a flashing crisis
 *    (software renderer, the path a board without a GPU takes), drawn
 *    whole with the clock advancing one second per frame so every visible
 *    timer ticks, then as the board draws them (scene.h: only what
 *    changed), half a second apart: the flash alone, then the flash and
 *    the tick, as an idle board's frames: median and p99; with --cold MB,
 *    MB of memory written between frames (the board sleeps half a second
 *    between its frames, and finds its caches cold: about twice the time
 *    of frames drawn back to back; the peak RSS below counts those MB);
 *    --frames-only stops there;
 * 2. new lines (--lines N, or --lines-only): CPU time and layouts shaped
 *    for each complaint text or name not seen before;
 * 3. messages per second through decode + model_apply;
 * 4. with --broker: messages per second end to end, published to a real
 *    mosquitto and taken by the board's own MQTT client, decoded, applied;
 * 5. the memory bound: RSS of a model at limits.max_complaints;
 * 6. this process's peak RSS.
 * Idle CPU and the real board's RSS are measured by scripts/bench.sh. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <mosquitto.h>

#include "config.h"
#include "decode.h"
#include "index.h"
#include "model.h"
#include "mqtt.h"
#include "render.h"
#include "scene.h"
#include "text.h"

static const char *const channels[] = { "facebook", "instagram", "x", "whatsapp",
					"webchat", "email" };
static const char *const texts[] = {
	"ההזמנה שלי לא הגיעה כבר שבוע, ה-iPhone 15 עדיין בדרך? מס'",
	"سفارش هنوز نرسیده و پشتیبانی جواب نمی‌دهد، شماره",
	"Order arrived broken and nobody answers on chat, order",
	"חויבתי פעמיים על החשבונית, מבקש החזר, חשבונית",
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Topic and payload of message i: complaint or SLA timer of complaint
 * i % n, due times spread so about a third are breached at t0. */
static void make_message(int i, int n, int64_t t0, char *topic, size_t tlen,
			 char *payload, size_t plen)
{
	int id = i % n;
	if ((i / n) % 2 == 0) {
		char text[256];
		snprintf(text, sizeof text, "%s %d", texts[id % 4], id);
		snprintf(topic, tlen, "wallboard/complaints/c%d", id);
		snprintf(payload, plen,
			 "{\"id\":\"c%d\",\"channel\":\"%s\",\"customer\":\"Customer %d\","
			 "\"text\":\"%s\",\"opened_at\":%lld,\"priority\":\"normal\","
			 "\"assignee\":\"Dana\",\"status\":\"open\"}",
			 id, channels[id % 6], id, text, (long long)(t0 - 3600 - id % 7200));
	} else {
		snprintf(topic, tlen, "wallboard/sla/c%d", id);
		snprintf(payload, plen, "{\"id\":\"c%d\",\"target_s\":3600,\"due_at\":%lld,"
			 "\"paused\":false}", id, (long long)(t0 - 1800 + id % 5400));
	}
}

static bool feed(struct model *m, const char *topic, const char *payload)
{
	static struct msg msg;
	char err[160];
	return decode_message("wallboard", topic, payload, strlen(payload), &msg, err,
			      sizeof err) && model_apply(m, &msg, err, sizeof err);
}

/* Bytes the C heap has handed out (glibc), -1 where unknown. */
static long heap_used(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();
	return (long)(mi.uordblks + mi.hblkhd);
#else
	return -1;
#endif
}

static void bench_model(int n, int messages, int64_t t0)
{
	long before = heap_used();
	struct model *m = model_init(NULL, 0);
	char topic[128], payload[1024];
	for (int i = 0; i < 2 * n; i++) { /* fill: complaints, then timers */
		make_message(i, n, t0, topic, sizeof topic, payload, sizeof payload);
		feed(m, topic, payload);
	}
	long used = heap_used() - before;
	if (before >= 0 && n > 0)
		printf("model: %d complaints with timers hold %.2f MB of heap, %ld bytes a "
		       "complaint (its index nodes %zu bytes each)\n", n, used / 1048576.0,
		       used / n, sizeof(struct index_node));
	int ok = 0;
	double start = now_s();
	for (int i = 0; i < messages; i++) {
		make_message(i, n, t0 + i % 60, topic, sizeof topic, payload, sizeof payload);
		ok += feed(m, topic, payload);
	}
	double dt = now_s() - start;
	printf("model: %d messages (format + decode + apply) into %d complaints: "
	       "%.0f msg/s (%d accepted)\n", messages, n, messages / dt, ok);
	model_destroy(m);
}

/* Resident set size now, from /proc (the peak would include the
 * frame benchmark's textures). */
static double rss_mb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	if (f)
		fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024.0) / 1024.0;
}

/* The memory bound: 10 % more distinct complaints than the cap
 * (limits.max_complaints, default 50,000), each with a 1 KB text and a
 * timer, then 100,000 add/remove cycles with responded_at a week ahead,
 * then 100,000 complaints answered and resolved today. Prints the model's
 * RSS growth at the cap and after each churn. */
static void bench_cap(int64_t t0)
{
	size_t cap = MODEL_DEFAULT_MAX_COMPLAINTS;
	double before = rss_mb();
	struct model *m = model_init(channels, 6);
	char topic[128], payload[2048], text[1001];
	memset(text, 'x', 1000);
	text[1000] = '\0';
	int taken = 0;
	for (size_t i = 0; i < cap + cap / 10; i++) {
		snprintf(topic, sizeof topic, "wallboard/complaints/k%zu", i);
		snprintf(payload, sizeof payload, "{\"channel\":\"%s\",\"text\":\"%s\","
			 "\"opened_at\":%lld}", channels[i % 6], text, (long long)t0 - 60);
		taken += feed(m, topic, payload);
		snprintf(topic, sizeof topic, "wallboard/sla/k%zu", i);
		snprintf(payload, sizeof payload, "{\"due_at\":%lld}", (long long)t0 + 600);
		feed(m, topic, payload);
	}
	double at_cap = rss_mb();
	for (int i = 0; i < 100000; i++) {
		snprintf(topic, sizeof topic, "wallboard/sla/z%d", i);
		snprintf(payload, sizeof payload, "{\"due_at\":%lld,\"responded_at\":%lld}",
			 (long long)t0, (long long)t0 + 7 * 86400);
		feed(m, topic, payload);
		feed(m, topic, "");
		if (i % 1000 == 999)
			model_prune_day(m, t0 - 3600); /* the board prunes every 0.5 s */
	}
	double after_future = rss_mb();
	/* A day's answers: each complaint opened, answered today, resolved
	 * (complaint and timer removed); only a count stays. Room for the
	 * one open at a time beside the 50,000 held. */
	model_set_max_complaints(m, cap + 1);
	for (int i = 0; i < 100000; i++) {
		snprintf(topic, sizeof topic, "wallboard/complaints/a%d", i);
		snprintf(payload, sizeof payload, "{\"channel\":\"%s\",\"text\":\"t\","
			 "\"opened_at\":%lld}", channels[i % 6], (long long)t0 - 60);
		feed(m, topic, payload);
		char sla[128];
		snprintf(sla, sizeof sla, "wallboard/sla/a%d", i);
		snprintf(payload, sizeof payload, "{\"due_at\":%lld,\"responded_at\":%lld}",
			 (long long)t0 + 600, (long long)t0 - 30);
		feed(m, sla, payload);
		feed(m, topic, "");
		feed(m, sla, "");
		if (i % 1000 == 999)
			model_prune_day(m, t0 - 3600);
	}
	struct attainment a;
	model_attainment(m, t0 - 3600, &a);
	printf("memory bound: %zu complaints offered with 1 KB texts, %d held (cap %zu), "
	       "%llu refused; RSS +%.1f MB at the cap, +%.1f MB after 100,000 future-dated "
	       "add/remove cycles, +%.1f MB after 100,000 answered and resolved today "
	       "(%u counted)\n", cap + cap / 10, taken, cap,
	       (unsigned long long)model_over_capacity(m), at_cap - before,
	       after_future - before, rss_mb() - before, a.answered);
	model_destroy(m);
}

static struct model *filled_model(int n, int64_t t0)
{
	struct model *m = model_init(channels, 6);
	char topic[128], payload[1024];
	for (int i = 0; i < 2 * n; i++) {
		make_message(i, n, t0, topic, sizeof topic, payload, sizeof payload);
		feed(m, topic, payload);
	}
	return m;
}

static const char crisis_json[] =
	"{\"active\":true,\"level\":2,\"title\":\"Checkout outage: double charges\","
	"\"message\":\"Since 08:00 hundreds of customers report double charges on X and "
	"Facebook. Do not delete comments; answer every one.\",\"playbook\":[\"Pause all "
	"scheduled posts\",\"Answer on the channel the customer used\",\"Move the "
	"conversation to private\",\"Call the escalation list\"],\"contacts\":[{\"role\":"
	"\"Shift lead\",\"name\":\"Dana Levi\",\"phone\":\"+1-555-0142\"},{\"role\":"
	"\"Press office\",\"name\":\"Avi Cohen\",\"phone\":\"+1-555-0199\"}]}";

/* --cold: bytes written between frames, and where */
static size_t cold_bytes;
static unsigned char *cold_junk;

/* The caches filled with something else, as half a second of other work
 * leaves them for the board's next frame. */
static void go_cold(void)
{
	for (size_t i = 0; cold_junk && i < cold_bytes; i += 64)
		cold_junk[i]++;
}

/* Median and p99 of frames drawn by draw_one(i), in ms. */
static void time_frames(struct text *t, SDL_Renderer *r, int frames,
			void (*draw_one)(void *, int), void *arg, double *median, double *p99)
{
	double *ms = calloc((size_t)frames, sizeof *ms);
	for (int i = 0; i < frames; i++) {
		go_cold();
		double s = now_s();
		draw_one(arg, i);
		SDL_RenderFlush(r); /* the software renderer draws when flushed */
		text_frame_end(t);
		ms[i] = (now_s() - s) * 1e3;
	}
	qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
	*median = ms[frames / 2];
	*p99 = ms[(int)(frames * 0.99)];
	free(ms);
}

struct frame_arg {
	struct render *rd;
	struct scene *sc;
	struct model *m;
	struct board_status *st;
	int64_t t0;
};

/* Every frame whole, a second apart: every timer ticks. */
static void frame_whole(void *p, int i)
{
	struct frame_arg *a = p;
	render_frame(a->rd, a->m, a->st, a->t0 + 1 + i, (uint32_t)(1000 + i * 1000));
}

/* As the board: recorded, only what changed drawn, half a second apart. */
static void frame_scene(void *p, int i)
{
	struct frame_arg *a = p;
	struct scene_result res;
	scene_begin(a->sc);
	render_frame(a->rd, a->m, a->st, a->t0 + 1 + i / 2, (uint32_t)(1000 + i * 500));
	scene_end(a->sc, false, &res);
}

static void bench_frames(int n, int frames, int64_t t0, const char *assets)
{
	/* as the board draws: SDL's software renderer in a (hidden) window,
	 * whose surface the scene draws straight into (scene.h) */
	SDL_Window *win = SDL_CreateWindow("bench", 0, 0, 1920, 1080, SDL_WINDOW_HIDDEN);
	SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	char fonts[600];
	snprintf(fonts, sizeof fonts, "%s/fonts", assets);
	struct config cfg;
	config_defaults(&cfg);
	struct text *t = r ? text_init(r, fonts) : NULL;
	struct render *rd = t ? render_init(r, t, &cfg) : NULL;
	if (!rd) {
		fprintf(stderr, "bench: cannot set up rendering\n");
		exit(1);
	}
	struct model *m = filled_model(n, t0);
	feed(m, "wallboard/crisis", crisis_json);
	struct board_status st = { .connected = true, .live = true };
	struct scene *sc = scene_create(r, t);
	struct frame_arg a = { rd, sc, m, &st, t0 };
	double first = now_s();
	render_frame(rd, m, &st, t0, 0);
	SDL_RenderFlush(r);
	text_frame_end(t);
	first = (now_s() - first) * 1e3;
	double whole, whole99, board, board99;
	time_frames(t, r, frames, frame_whole, &a, &whole, &whole99);
	render_set_scene(rd, sc);
	time_frames(t, r, frames, frame_scene, &a, &board, &board99);
	render_set_scene(rd, NULL);
	struct text_stats ts;
	text_get_stats(t, &ts);
	printf("frame: 1920x1080, %zu complaints and a crisis, software renderer%s: first "
	       "%.2f ms; drawn whole, median %.2f ms, p99 %.2f ms over %d ticking frames; "
	       "as the board draws them (flash, flash and tick), median %.2f ms, p99 %.2f ms "
	       "over %d; %llu lines rasterised in all, text cache %u lines / %.1f MB\n",
	       model_complaint_count(m), cold_junk ? ", caches cold" : "", first, whole, whole99,
	       frames, board, board99, frames, (unsigned long long)ts.rasterised, ts.cached,
	       ts.cached_bytes / 1048576.0);
	scene_destroy(sc);
	model_destroy(m);
	render_destroy(rd);
	text_destroy(t);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(win);
}

/* New lines as the list gets them: complaint texts (Hebrew, Persian,
 * English, mixed, emoji), each with its own order number so every one is
 * a cache miss, at the list's text size in its text column (most fit,
 * about a third are cut with "…"), and customer names in a narrow column.
 * Prints the CPU time (this process) a new line costs and the layouts
 * shaped for it: what the board pays for each new or changed row and for
 * every page turn. */
static const char *const line_texts[] = {
	"ההזמנה {n} עדיין לא הגיעה, הבטחתם משלוח תוך 3 ימי עסקים",
	"חויבתי פעמיים על אותה הזמנה, ₪249.90 בכל חיוב (הזמנה {n})",
	"המטען של ה-iPhone 15 שקניתי אצלכם הפסיק לעבוד אחרי שבוע 😡 {n}",
	"קיבלתי Galaxy S23 בצבע הלא נכון, הזמנה מספר {n}, מתי תגיע החלפה?",
	"سفارش {n} من هنوز نرسیده، گفته بودید سه روزه می‌رسد",
	"دو بار از کارتم پول کم شده، هر بار 1,250,000 تومان، کد {n}",
	"پیک گفت بسته تحویل شده ولی من چیزی دریافت نکرده‌ام، کد رهگیری {n} 📦",
	"گوشی Galaxy A54 با صفحه‌ی شکسته به دستم رسید، سفارش {n}",
	"Order #{n} still hasn't arrived, you promised delivery in 3 days",
	"I was charged twice for the same order, $89.99 each time ({n}) 🙁",
	"The technician never showed up between 10:00 and 14:00, ticket {n}",
	"Cancelled my subscription last month and you still charged me $12, ref {n}",
};
static const char *const line_names[] = {
	"משה כהן {n}", "سارا محمدی {n}", "John Miller {n}", "@dan_levi{n}", "نیلوفر حسینی {n}",
	"Tom O'Brien {n}",
};

/* tpl with "{n}" replaced by n, into buf. */
static void fill(char *buf, size_t len, const char *tpl, int n)
{
	const char *at = strstr(tpl, "{n}");
	if (!at) {
		snprintf(buf, len, "%s", tpl);
		return;
	}
	snprintf(buf, len, "%.*s%d%s", (int)(at - tpl), tpl, n, at + 3);
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bench_lines(int lines, const char *assets)
{
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32,
							   SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
	char fonts[600], buf[512];
	snprintf(fonts, sizeof fonts, "%s/fonts", assets);
	struct text *t = r ? text_init(r, fonts) : NULL;
	if (!t) {
		fprintf(stderr, "bench: cannot set up text\n");
		exit(1);
	}
	const struct text_style body = { 30, TEXT_REGULAR, { 230, 230, 230, 255 },
					 TEXT_DIR_AUTO, TEXT_ALIGN_START };
	const struct text_style name = { 30, TEXT_BOLD, { 255, 255, 255, 255 },
					 TEXT_DIR_AUTO, TEXT_ALIGN_START };
	const SDL_Rect col = { 1010, 620, 890, 52 }, narrow = { 500, 620, 240, 52 };
	int nt = (int)(sizeof line_texts / sizeof line_texts[0]);
	int nn = (int)(sizeof line_names / sizeof line_names[0]);
	struct text_stats a, b;
	for (int i = 0; i < 2 * nt; i++) { /* fonts opened, glyph caches warm */
		fill(buf, sizeof buf, line_texts[i % nt], 90000 + i);
		text_draw(t, buf, &body, &col);
	}
	text_get_stats(t, &a);
	double start = cpu_s();
	for (int i = 0; i < lines; i++) {
		fill(buf, sizeof buf, line_texts[i % nt], 10000 + i);
		text_draw(t, buf, &body, &col);
		fill(buf, sizeof buf, line_names[i % nn], i);
		text_draw(t, buf, &name, &narrow);
		SDL_RenderFlush(r);
		text_frame_end(t);
	}
	double dt = cpu_s() - start;
	text_get_stats(t, &b);
	int cut = 0;
	for (int i = 0; i < lines; i++) { /* after the timing: measures anew */
		fill(buf, sizeof buf, line_texts[i % nt], 10000 + i);
		cut += text_width(t, buf, &body) > col.w;
	}
	uint64_t made = b.rasterised - a.rasterised;
	printf("new lines: %d complaint texts (%d cut with an ellipsis) and %d names, 30 px: "
	       "%.1f us of CPU a line, %.2f layouts shaped a line\n", lines, cut, lines,
	       made ? dt * 1e6 / (double)made : 0.0,
	       made ? (double)(b.shaped - a.shaped) / (double)made : 0.0);
	text_destroy(t);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(surf);
}

static void nothing(void *ctx)
{
	(void)ctx;
}

/* Publishes with a plain libmosquitto client, receives with the board's
 * client: the same path as the board, minus the screen. */
static void bench_e2e(const char *host, int port, int messages, int64_t t0)
{
	struct mqtt_options opt = { .host = host, .port = port, .prefix = "wallboard",
				    .client_id = "bench-board", .keepalive_s = 10,
				    .wake = nothing };
	struct mqtt *q = mqtt_init(&opt);
	struct model *m = model_init(channels, 6);
	static struct mqtt_event evs[512];
	static struct msg msg;
	/* Start once the retained replay is over: only our messages count. */
	double deadline = now_s() + 10;
	for (bool synced = false; q && !synced && now_s() < deadline;) {
		size_t n = mqtt_poll(q, evs, 512);
		for (size_t i = 0; i < n; i++) {
			synced |= evs[i].kind == MQTT_EV_SYNCED;
			mqtt_event_release(&evs[i]);
		}
		SDL_Delay(5);
	}

	mosquitto_lib_init();
	struct mosquitto *pub = mosquitto_new("bench-pub", true, NULL);
	if (!q || !pub || mosquitto_connect(pub, host, port, 10) != MOSQ_ERR_SUCCESS ||
	    mosquitto_loop_start(pub) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bench: cannot reach the broker at %s:%d\n", host, port);
		exit(1);
	}
	char topic[128], payload[1024], err[160];
	int got = 0;
	double start = now_s();
	for (int i = 0; i < messages; i++) {
		make_message(i, messages / 2, t0, topic, sizeof topic, payload, sizeof payload);
		mosquitto_publish(pub, NULL, topic, (int)strlen(payload), payload, 1, false);
	}
	deadline = now_s() + 60;
	while (got < messages && now_s() < deadline) {
		size_t n = mqtt_poll(q, evs, 512);
		for (size_t i = 0; i < n; i++) {
			if (evs[i].kind == MQTT_EV_MESSAGE &&
			    decode_message("wallboard", evs[i].topic, evs[i].payload,
					   evs[i].payload_len, &msg, err, sizeof err) &&
			    model_apply(m, &msg, err, sizeof err))
				got++;
			mqtt_event_release(&evs[i]);
		}
		if (!n)
			SDL_Delay(1);
	}
	double dt = now_s() - start;
	struct mqtt_stats stats;
	mqtt_get_stats(q, &stats);
	printf("e2e: %d QoS 1 messages through mosquitto into the model: %.0f msg/s "
	       "(%d applied, %llu dropped by the queue)\n", messages, got / dt, got,
	       (unsigned long long)stats.dropped);
	mosquitto_disconnect(pub);
	mosquitto_loop_stop(pub, false);
	mosquitto_destroy(pub);
	mosquitto_lib_cleanup();
	mqtt_destroy(q);
	model_destroy(m);
}

int main(int argc, char **argv)
{
	int n = 10000, frames = 300, messages = 200000, port = 1883, lines = 3000;
	char host[256] = "";
	bool lines_only = false, frames_only = false;
	static const struct option opts[] = {
		{ "broker", required_argument, NULL, 'b' },
		{ "complaints", required_argument, NULL, 'n' },
		{ "frames", required_argument, NULL, 'f' },
		{ "messages", required_argument, NULL, 'm' },
		{ "lines", required_argument, NULL, 'l' },
		{ "lines-only", no_argument, NULL, 'L' },
		{ "cold", required_argument, NULL, 'c' },
		{ "frames-only", no_argument, NULL, 'F' },
		{ 0 }
	};
	for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		if (c == 'b' && sscanf(optarg, "%255[^:]:%d", host, &port) >= 1)
			continue;
		if (c == 'n' || c == 'f' || c == 'm' || c == 'l') {
			int v = atoi(optarg);
			*(c == 'n' ? &n : c == 'f' ? &frames : c == 'l' ? &lines : &messages) =
				v > 0 ? v : 1;
			continue;
		}
		if (c == 'L' || c == 'F') {
			*(c == 'L' ? &lines_only : &frames_only) = true;
			continue;
		}
		if (c == 'c' && atoi(optarg) > 0) {
			cold_bytes = (size_t)atoi(optarg) << 20;
			continue;
		}
		fprintf(stderr, "usage: bench [--broker HOST:PORT] [--complaints N] "
			"[--frames N] [--messages N] [--lines N] [--lines-only] [--cold MB] "
			"[--frames-only]\n");
		return 2;
	}
	const char *assets = getenv("WB_ASSETS") ? getenv("WB_ASSETS") : WB_ASSET_DIR;
	int64_t t0 = (int64_t)time(NULL);
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "bench: SDL: %s\n", SDL_GetError());
		return 1;
	}
	if (lines_only) {
		bench_lines(lines, assets);
		TTF_Quit();
		SDL_Quit();
		return 0;
	}
	if (cold_bytes && !(cold_junk = calloc(1, cold_bytes))) {
		fprintf(stderr, "bench: no memory for --cold\n");
		return 1;
	}
	if (!frames_only)
		bench_cap(t0); /* first: nothing freed before it to reuse */
	bench_frames(n, frames, t0, assets);
	if (frames_only) {
		free(cold_junk);
		TTF_Quit();
		SDL_Quit();
		return 0;
	}
	bench_lines(lines, assets);
	bench_model(100000, messages, t0);
	if (host[0])
		bench_e2e(host, port, messages / 4, t0);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("bench process peak RSS: %.1f MB\n", ru.ru_maxrss / 1024.0);
	free(cold_junk);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
