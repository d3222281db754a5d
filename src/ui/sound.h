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

/* volume 0..100 (0: muted). Opens the default audio device if there is
 * one; never fails for a missing device (logs once). NULL only on OOM. */
struct sound *sound_init(int volume);
void sound_destroy(struct sound *s);

/* Start one pattern now (replacing one still playing). Non-blocking. */
void sound_play(struct sound *s, enum sound_pattern p);

/* Call once per main-loop pass: when a pattern has finished, closes the
 * device, so an idle board runs no audio thread (SDL's would wake every
 * buffer even while paused). */
void sound_tick(struct sound *s);

bool sound_has_device(const struct sound *s);
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
