/* loopwait.c - see loopwait.h. */
#include "loopwait.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "appstate.h"
#include "kit.h"
#include "log.h"
#include "util.h"

/* Where SDL cannot block waiting for input (KMS/DRM, dummy: its
 * SDL_WaitEventTimeout would poll every millisecond), the loop sleeps in
 * poll() on its own wake-up fd and looks for input this often; faster
 * while a lead is using the board (INPUT_BUSY_FOR_MS). */
#define INPUT_POLL_IDLE_MS 50
#define INPUT_POLL_BUSY_MS 10
#define INPUT_WATCHED_MAX_MS 1000

void loopwait_wake(void *ctx)
{
	struct app *app = ctx;
	/* Called once per empty->non-empty transition of the queue, so the
	 * SDL event queue never fills with wake-ups. */
	if (app->sdl_can_wait) {
		SDL_Event ev = { .type = app->wake_event };
		SDL_PushEvent(&ev);
		return;
	}
	uint64_t one = 1;
	if (write(app->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_error("app", "wake-up: %s", strerror(errno));
}

static bool is_input(const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_KEYDOWN:
	case SDL_KEYUP:
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_TEXTINPUT:
		return true;
	default:
		return false;
	}
}

static void handle_sdl_event(struct app *app, const SDL_Event *ev, int64_t now)
{
	if (ev->type == app->wake_event)
		return; /* the queue is drained every pass anyway */
	switch (ev->type) {
	case SDL_QUIT:
		app->quit = true;
		return;
	case SDL_WINDOWEVENT:
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		scene_forget(app->scene); /* the kept frame may be gone */
		app->dirty = true;
		return;
	case SDL_KEYDOWN:
		/* Ctrl+Q quits; a kiosk keypad has no Ctrl, so leads cannot
		 * close the board by accident. */
		if (ev->key.keysym.sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL)) {
			app->quit = true;
			return;
		}
		break;
	default:
		break;
	}
	if (!is_input(ev))
		return;
	app->last_input_ms = SDL_GetTicks();
	if (display_wake(app->display, now)) {
		app->dirty = app->state_changed = true;
		return; /* the touch that wakes a dark board does nothing else */
	}
	SDL_Event turned = *ev;
	display_input_begin(app->display, &turned);
	bool changed = ackui_handle_event(app->ui, &turned, now, SDL_GetTicks() + app->phase_off);
	display_input_end(app->display);
	if (changed)
		app->dirty = app->state_changed = true;
}

int32_t loopwait_until(uint32_t deadline, uint32_t ticks)
{
	int32_t d = (int32_t)(deadline - ticks);
	return d < 0 ? 0 : d;
}

static int32_t min_i32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* Milliseconds until the wall clock reaches epoch second t (0 if past,
 * at most a minute): waking on the second itself, not some phase of it,
 * lets an alarm change share the frame of the timers that tick then.
 * KIT_WAKE_LATE_MS after it, as they and the flash are: woken on the
 * second exactly, an alarm's change was drawn before the flash flipped,
 * and the flip took a frame of its own 20 ms later. */
static int32_t ms_until_epoch(int64_t t)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ms = (t - (int64_t)ts.tv_sec) * 1000 - ts.tv_nsec / 1000000 + KIT_WAKE_LATE_MS;
	return ms <= 0 ? 0 : ms >= 60000 ? 60000 : (int32_t)ms;
}

int32_t loopwait_planned_frame_ms(const struct app *app, uint32_t ticks)
{
	return app->dirty ? loopwait_until(app->last_draw_ms + FRAME_MIN_MS, ticks)
			  : loopwait_until(app->next_change_ms, ticks);
}

/* The nearest of the loop's own deadlines: a frame, the dump, alarms,
 * liveness, the replay's batches. */
static int32_t loop_deadline(const struct app *app, uint32_t ticks, uint32_t shot_at)
{
	/* A change already seen (dirty) waits for the frame gate: waking for
	 * its passed deadline again and again until then spun the loop
	 * (~12,000 wake-ups a second when a tick and a flash fell within
	 * FRAME_MIN_MS of each other). */
	int32_t change = app->dirty ? loopwait_until(app->last_draw_ms + FRAME_MIN_MS, ticks)
				    : loopwait_until(app->next_change_ms, ticks);
	int32_t next = min_i32(loopwait_until(app->next_live_check_ms, ticks), change);
	if (app->cfg->screenshot[0])
		next = min_i32(next, loopwait_until(shot_at, ticks));
	if (app->state_changed && app->cfg->dump_state[0])
		next = min_i32(next, loopwait_until(app->last_dump_ms + DUMP_MIN_INTERVAL_MS,
						    ticks));
	if (app->dirty)
		next = min_i32(next, loopwait_until(app->last_draw_ms + FRAME_MIN_MS, ticks));
	if (app->pace.pending)
		next = min_i32(next, pace_wait_ms(&app->pace, ticks,
						  loopwait_planned_frame_ms(app, ticks)));
	if (app->alarms_deadline)
		next = min_i32(next, ms_until_epoch(app->alarms_deadline));
	if (app->model_changed)
		next = min_i32(next, loopwait_until(app->alarms_run_ms + ALARMS_EVERY_MS, ticks));
	if (app->replaying)
		next = min_i32(next, loopwait_until(app->last_drain_ms + REPLAY_DRAIN_MS, ticks));
	/* the network thread queues held messages without a wake-up: the
	 * loop looks at them when it said it would (loopwait_hold) */
	if (app->hold_until) {
		int64_t d = app->hold_until - util_mono_ms();
		if (d > 0)
			next = min_i32(next, d > 60000 ? 60000 : (int32_t)d);
	}
	return next;
}

/* The nearest deadline of the modules the loop drives. */
static int32_t modules_deadline(const struct app *app, uint32_t ticks)
{
	int32_t next = INT32_MAX;
	uint32_t at;
	if (app->feeds.deadline)
		next = min_i32(next, ms_until_epoch(app->feeds.deadline));
	if (app->delivery_next_ms) {
		int64_t d = app->delivery_next_ms - util_mono_ms();
		next = min_i32(next, d <= 0 ? 0 : d > 60000 ? 60000 : (int32_t)d);
	}
	/* the rejected count turns muted: a board where nothing ticks too */
	if (app->status.rejected_recent) {
		int64_t d = badinput_turn_ms(&app->bad_input, app_rejected_recent_ms(app)) -
			    util_mono_ms();
		next = min_i32(next, d <= 0 ? 0 : d > 60000 ? 60000 : (int32_t)d);
	}
	if (alertsound_repeat_at(&app->sounding, app->cfg, &at))
		next = min_i32(next, loopwait_until(at, ticks));
	if (replay_next_ms(app->replay) != UINT32_MAX)
		next = min_i32(next, loopwait_until(app->start_ms + replay_next_ms(app->replay),
						    ticks));
	next = min_i32(next, service_wait_ms(app->service, ticks));
	next = min_i32(next, loopwait_until(display_next_ms(app->display, ticks,
							    (int64_t)time(NULL)), ticks));
	if (app->status.connected) /* the status goes out only then */
		next = min_i32(next, app->status_wanted ? 0
				     : loopwait_until(app->next_status_ms, ticks));
	return next;
}

int loopwait_timeout(const struct app *app, uint32_t ticks, uint32_t shot_at)
{
	/* Events already queued (a replay's taps): the loop sleeps until a
	 * deadline where no input wakes it, so not before taking them. */
	if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
		return 0;
	int32_t next = min_i32(loop_deadline(app, ticks, shot_at), modules_deadline(app, ticks));
	return (int)min_i32(next, 60000);
}

/* A stream's messages are held for the next frame (pace_hold_ms): the
 * network thread reads them in batches and need not wake this one
 * (mqtt_hold), which looks at them when the hold ends (loop_deadline),
 * but for one after a quiet spell, which is drawn at once, and for the
 * stream's stop with messages held (a burst's end is drawn
 * PACE_SETTLE_MS after it, not at the next frame). Before, the hold
 * ended where the stream might go quiet, its last batch woke the loop,
 * and so did the first message after each frame: four wake-ups a second
 * more at 100 msg/s than the two frames. */
void loopwait_hold(struct app *app, uint32_t ticks)
{
	int32_t w = pace_hold_ms(&app->pace, ticks, loopwait_planned_frame_ms(app, ticks));
	int64_t until = w > 0 ? util_mono_ms() + w : 0;
	/* a later end by a millisecond or two is not worth the lock */
	if (until < app->hold_until || until > app->hold_until + 5) {
		static const struct mqtt_pace pace = { PACE_GAP_MS, PACE_SETTLE_MS,
						       PACE_BURST_GAP_MS };
		mqtt_hold(app->mqtt, until, &pace);
		app->hold_until = until;
	}
}

/* Sleep until the wake-up fd is signalled, input arrives, a stop signal
 * comes or timeout ms pass, then take the input SDL gathered meanwhile.
 * Where the input devices cannot be watched (inputwait.h), at most one
 * input-poll slice; headless drivers have no input: the deadline. */
static void sleep_and_pump(struct app *app, int timeout)
{
	uint32_t ticks = SDL_GetTicks();
	int slice = (int32_t)(ticks - app->last_input_ms) < INPUT_BUSY_FOR_MS ?
			    INPUT_POLL_BUSY_MS : INPUT_POLL_IDLE_MS;
	/* Watched devices wake the loop; still once a second at least, in
	 * case a device is grabbed elsewhere and our copy stays empty. */
	if (app->input)
		slice = INPUT_WATCHED_MAX_MS;
	if (app->headless)
		slice = timeout;
	struct pollfd p[1 + INPUTWAIT_MAX + 1] = { { .fd = app->wake_fd, .events = POLLIN } };
	size_t n = 1 + inputwait_fds(app->input, p + 1, INPUTWAIT_MAX + 1);
	int ms = timeout < slice ? timeout : slice;
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	/* the stop signals are let in for the sleep only (app.c): one
	 * pending, or sent during it, ends it at once (SDL_QUIT, pumped) */
	if (timeout > 0 && ppoll(p, n, &ts, &app->wait_mask) > 0) {
		uint64_t v;
		if (p[0].revents && read(app->wake_fd, &v, sizeof v) < 0 && errno != EAGAIN)
			log_error("app", "wake-up: %s", strerror(errno));
		inputwait_done(app->input, p + 1, n - 1);
	}
	SDL_PumpEvents();
}

void loopwait_sleep(struct app *app, int timeout, int64_t now)
{
	SDL_Event ev;
	bool got;
	if (app->sdl_can_wait) {
		sigset_t held;
		pthread_sigmask(SIG_SETMASK, &app->wait_mask, &held);
		got = SDL_WaitEventTimeout(&ev, timeout);
		pthread_sigmask(SIG_SETMASK, &held, NULL);
	} else {
		sleep_and_pump(app, timeout);
		got = SDL_PollEvent(&ev);
	}
	if (got) {
		handle_sdl_event(app, &ev, now);
		while (SDL_PollEvent(&ev))
			handle_sdl_event(app, &ev, now);
	}
}
