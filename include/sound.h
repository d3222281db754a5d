/* sound.h - the alert tone, generated, through SDL audio.
 *
 * No sound files and no extra library: a short two-tone pattern is
 * synthesised into the audio callback. A board without an audio device
 * (or with SDL_AUDIODRIVER=dummy) works the same, silently; plays are
 * still counted so tests can see them. */
#ifndef WALLBOARD_SOUND_H
#define WALLBOARD_SOUND_H

#include <stdbool.h>
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

bool sound_has_device(const struct sound *s);
uint64_t sound_plays(const struct sound *s);

#endif
