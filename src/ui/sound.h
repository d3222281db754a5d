/* sound.h - the alert tone, generated, through SDL audio.
 *
 * No sound files and no extra library: a short two-tone pattern is
 * synthesised into the audio callback. A board without an audio device
 * (or with SDL_AUDIODRIVER=dummy) works the same, silently; plays are
 * still counted so tests can see them. */
#ifndef WALLBOARD_SOUND_H
#define WALLBOARD_SOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sound_pattern {
	SOUND_ALERT,      /* a new firing alarm, and its repeats */
	SOUND_ESCALATED,  /* louder/faster: an escalated alarm */
};

struct sound;

/* volume 0..100 (0: muted). Touches no device: the first play or
 * sound_idle opens it. Never fails for a missing device (logs once).
 * NULL only on OOM. */
struct sound *sound_init(int volume);
void sound_destroy(struct sound *s);

/* Start one pattern now (replacing one still playing). Non-blocking:
 * opens the device if it is closed, never closes it. */
void sound_play(struct sound *s, enum sound_pattern p);

/* A pattern is sounding now (the device may stay open after it). */
bool sound_playing(const struct sound *s);

/* Call when the loop can wait up to 0.1 s, and soon after a pattern's
 * end (the board's rule: src/app/soundwait.h; never amid a replay, a
 * burst or a backlog): every wait on SDL's audio threads is made here,
 * so a retained replay or a burst is not held up by one. Closes the device once its pattern has ended,
 * so an idle board runs no audio thread (SDL's wakes every buffer even
 * while paused; the callback writes silence until then). The first
 * looks for the device (opened, then closed) unless a play already
 * did; later ones let go of the subsystem a play's failed open kept. */
void sound_idle(struct sound *s);

enum sound_device {
	SOUND_DEVICE_UNKNOWN,   /* not looked for yet: no play, no sound_idle */
	SOUND_DEVICE_NONE,      /* none at the first open: silent for the run */
	SOUND_DEVICE_FOUND,     /* opened once: every play opens it again */
};
enum sound_device sound_device_state(const struct sound *s);
/* The device is open now (a pattern sounds, or sound_idle has not yet
 * closed it after one): SDL's audio thread runs while it is. */
bool sound_device_held(const struct sound *s);
uint64_t sound_plays(const struct sound *s);

/* The synthesiser itself, also used by the audio callback: writes n
 * samples (S16 mono, SOUND_RATE Hz) of pattern p at volume 0..100,
 * starting `offset` samples into it; silence past its end. Returns how
 * many of the n samples were inside the pattern. */
#define SOUND_RATE 48000
size_t sound_render(enum sound_pattern p, int volume, size_t offset,
		    int16_t *out, size_t n);
/* Length of pattern p in samples. */
size_t sound_pattern_samples(enum sound_pattern p);

#endif
