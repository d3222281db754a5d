/* sound.c - see sound.h.
 *
 * The app decides when to sound (new alarm, repeats, quiet hours); this
 * module only synthesises. A pattern is a short table of tones and rests;
 * each tone is a sine with a little third harmonic (carries better over a
 * noisy floor than a pure sine) and a 5 ms raised-cosine attack and
 * release, so it starts and stops without a click.
 *
 * Threads: the callback runs on SDL's audio thread and touches only the
 * pattern state, which the main thread changes under SDL_LockAudioDevice.
 * The callback never calls SDL audio functions; when a pattern has ended
 * it only clears `active` and writes silence until the main thread closes
 * the device at its next sound_idle, so an idle board runs no audio
 * thread at all. */
#include "sound.h"

#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "log.h"

#define RAMP_SAMPLES (SOUND_RATE / 200)   /* 5 ms */
#define AMP_MAX 0.7                       /* headroom: no clipping */

struct note {
	uint16_t hz;                      /* 0: a rest */
	uint16_t ms;
};

struct pattern {
	const struct note *notes;
	size_t n;
	double level;                     /* of the configured volume */
};

/* Three beeps, high-low-high. */
static const struct note alert_notes[] = {
	{ 880, 150 }, { 0, 70 }, { 660, 150 }, { 0, 70 }, { 880, 150 },
};

/* Escalated: higher, faster, longer and at full volume. */
static const struct note escalated_notes[] = {
	{ 1175, 100 }, { 0, 40 }, { 880, 100 }, { 0, 40 },
	{ 1175, 100 }, { 0, 40 }, { 880, 100 }, { 0, 40 },
	{ 1175, 100 }, { 0, 40 }, { 880, 100 },
};

static const struct pattern patterns[] = {
	[SOUND_ALERT] = { alert_notes, sizeof alert_notes / sizeof alert_notes[0], 0.8 },
	[SOUND_ESCALATED] = { escalated_notes,
			      sizeof escalated_notes / sizeof escalated_notes[0], 1.0 },
};

struct sound {
	SDL_AudioDeviceID dev;            /* from a play to the sound_idle after it */
	enum sound_device device;         /* what the first open found */
	bool audio_inited;                /* we hold the audio subsystem (see audio_up) */
	bool running;                     /* device unpaused (main thread) */
	int volume;
	uint64_t plays;
	/* shared with the callback: changed under the device lock */
	enum sound_pattern pattern;
	size_t pos;                       /* samples of it played */
	bool active;
};

static const struct pattern *pattern_of(enum sound_pattern p)
{
	return (unsigned)p <= SOUND_ESCALATED ? &patterns[p] : &patterns[SOUND_ALERT];
}

static size_t note_samples(const struct note *n)
{
	return (size_t)n->ms * SOUND_RATE / 1000;
}

size_t sound_pattern_samples(enum sound_pattern p)
{
	const struct pattern *pt = pattern_of(p);
	size_t total = 0;
	for (size_t i = 0; i < pt->n; i++)
		total += note_samples(&pt->notes[i]);
	return total;
}

/* Raised-cosine ramp over the first and last RAMP_SAMPLES of a tone. */
static double envelope(size_t j, size_t len)
{
	size_t edge = j < len - 1 - j ? j : len - 1 - j;
	if (edge >= RAMP_SAMPLES)
		return 1.0;
	return 0.5 - 0.5 * SDL_cos(M_PI * (double)edge / RAMP_SAMPLES);
}

/* A sine and its third harmonic, turned a sample at a time: sin() and
 * cos() only every PHASOR_EXACT samples (counted from the tone's start,
 * so a sample's value does not depend on where a callback's buffer
 * began), two rotations between them. Calling sin() twice a sample took
 * 0.85 ms of the audio thread's CPU per alert (every 30 s while alarms
 * fire), this 0.2 ms, and the samples are the same to the unit. */
#define PHASOR_EXACT 64

struct phasor {
	double s, c;        /* sin and cos of the phase now */
	double ds, dc;      /* of the step */
};

static void phasor_at(struct phasor *p, double step, size_t j)
{
	p->s = SDL_sin(step * (double)j);
	p->c = SDL_cos(step * (double)j);
	p->ds = SDL_sin(step);
	p->dc = SDL_cos(step);
}

static void phasor_turn(struct phasor *p)
{
	double s = p->s * p->dc + p->c * p->ds;
	p->c = p->c * p->dc - p->s * p->ds;
	p->s = s;
}

/* Samples [a, b) of a tone len samples long (a, b counted from its start). */
static void tone(int16_t *out, size_t a, size_t b, size_t len, unsigned hz, double amp)
{
	double step = 2.0 * M_PI * hz / SOUND_RATE;
	/* set at the first j, a multiple of PHASOR_EXACT */
	struct phasor f1 = { 0, 1, 0, 1 }, f3 = f1;
	for (size_t j = a - a % PHASOR_EXACT; j < b; j++) {
		if (j % PHASOR_EXACT == 0) {
			phasor_at(&f1, step, j);
			phasor_at(&f3, 3.0 * step, j);
		} else {
			phasor_turn(&f1);
			phasor_turn(&f3);
		}
		if (j < a)
			continue;
		double v = (f1.s + 0.2 * f3.s) / 1.2;
		*out++ = (int16_t)SDL_lround(v * amp * envelope(j, len) * 32767.0);
	}
}

size_t sound_render(enum sound_pattern p, int volume, size_t offset,
		    int16_t *out, size_t n)
{
	const struct pattern *pt = pattern_of(p);
	volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
	double amp = volume / 100.0 * pt->level * AMP_MAX;
	size_t start = 0;
	memset(out, 0, n * sizeof *out);
	for (size_t k = 0; k < pt->n; k++) {
		size_t len = note_samples(&pt->notes[k]), end = start + len;
		size_t a = start > offset ? start : offset;
		size_t b = end < offset + n ? end : offset + n;
		if (pt->notes[k].hz && volume && a < b)
			tone(out + (a - offset), a - start, b - start, len, pt->notes[k].hz, amp);
		start = end;
	}
	if (start <= offset)
		return 0;
	return start - offset < n ? start - offset : n;
}

/* SDL's audio thread. No SDL audio calls in here (see the top). */
static void callback(void *userdata, Uint8 *stream, int len)
{
	struct sound *s = userdata;
	size_t n = (size_t)len / sizeof(int16_t);
	if (!s->active) {
		memset(stream, 0, (size_t)len);
		return;
	}
	size_t got = sound_render(s->pattern, s->volume, s->pos, (int16_t *)(void *)stream, n);
	s->pos += n;
	if (got < n)
		s->active = false;
}

/* Logged once per process: a board without audio says so once, not at
 * every restart of the subsystem. */
static void log_silent(const char *what)
{
	static bool logged;
	if (logged)
		return;
	logged = true;
	log_warn("sound", "%s: %s; running silent", what, SDL_GetError());
}

/* SDL's audio subsystem is held from a play to the next sound_idle
 * (whether the play's open found a device or not), and not otherwise:
 * with ALSA it runs a thread of its own that wakes ten times a second to
 * look for new devices, and its driver keeps its state (the thread's
 * stack, ALSA's device list) for as long as the subsystem is up. */
static bool audio_up(struct sound *s)
{
	if (!s->audio_inited && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		log_silent("no audio");
		return false;
	}
	s->audio_inited = true;
	return true;
}

static void audio_down(struct sound *s)
{
	if (s->audio_inited)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	s->audio_inited = false;
}

/* An open SDL audio device keeps SDL's audio thread waking every buffer
 * (~47 times a second) even while paused, so the device is open only
 * from a play to the first sound_idle after its pattern: a quiet board
 * costs no wake-ups for sound. A failed open keeps the subsystem:
 * letting it go waits for ALSA's thread (up to 100 ms), which the
 * caller puts off to sound_idle too. */
static bool open_device(struct sound *s)
{
	if (!audio_up(s))
		return false;
	SDL_AudioSpec want, have;
	SDL_zero(want);
	want.freq = SOUND_RATE;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 1024;          /* ~21 ms: latency is irrelevant here */
	want.callback = callback;
	want.userdata = s;
	/* allowed_changes 0: SDL converts to whatever the device wants */
	s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (!s->dev)
		log_silent("no audio device");
	return s->dev != 0;
}

static void close_device(struct sound *s)
{
	if (s->dev)
		SDL_CloseAudioDevice(s->dev); /* waits for the callback */
	s->dev = 0;
	s->running = false;
	audio_down(s);
}

/* The first open, a play's or sound_idle's, says whether there is a
 * device; the answer holds for the run (no hot-plug: a board started
 * without one stays silent until restarted). */
static bool open_first(struct sound *s)
{
	bool ok = open_device(s);
	if (s->device == SOUND_DEVICE_UNKNOWN) {
		s->device = ok ? SOUND_DEVICE_FOUND : SOUND_DEVICE_NONE;
		if (ok)
			log_info("sound", "audio through %s", SDL_GetCurrentAudioDriver());
	}
	return ok;
}

/* No device work here: a probe here waited on SDL's audio threads (42
 * ms with the dummy driver, up to 100 ms with ALSA and no card) before
 * every start's MQTT connect. sound_idle looks later. */
struct sound *sound_init(int volume)
{
	struct sound *s = calloc(1, sizeof *s);
	if (!s) {
		log_error("sound", "out of memory");
		return NULL;
	}
	s->volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
	return s;
}

void sound_destroy(struct sound *s)
{
	if (!s)
		return;
	close_device(s);
	free(s);
}

void sound_play(struct sound *s, enum sound_pattern p)
{
	if (!s)
		return;
	s->plays++;
	if (s->device == SOUND_DEVICE_NONE || !s->volume || (!s->dev && !open_first(s)))
		return;
	SDL_LockAudioDevice(s->dev);
	s->pattern = p;
	s->pos = 0;
	s->active = true;
	SDL_UnlockAudioDevice(s->dev);
	if (!s->running) {
		SDL_PauseAudioDevice(s->dev, 0);
		s->running = true;
	}
}

bool sound_playing(const struct sound *s)
{
	if (!s || !s->dev)
		return false;
	SDL_LockAudioDevice(s->dev);
	bool active = s->active;
	SDL_UnlockAudioDevice(s->dev);
	return active;
}

/* Every wait on SDL's audio threads but destroy's is made here: the
 * probe (opened once to find out, then closed), the close after a
 * pattern, the subsystem a failed open kept let go. SDL_CloseAudioDevice
 * joins the audio thread (42 ms with the dummy driver), the subsystem's
 * quit ALSA's hot-plug thread (up to 100 ms): made in the pass that saw
 * a pattern end, the close stalled a replay or a burst that fell there. */
void sound_idle(struct sound *s)
{
	if (!s || sound_playing(s))
		return;
	if (s->device == SOUND_DEVICE_UNKNOWN)
		open_first(s);
	close_device(s);
}

enum sound_device sound_device_state(const struct sound *s)
{
	return s ? s->device : SOUND_DEVICE_UNKNOWN;
}

bool sound_device_held(const struct sound *s)
{
	return s && s->dev;
}

uint64_t sound_plays(const struct sound *s)
{
	return s ? s->plays : 0;
}
