/* display.h - the appliance's screen: rotation for panels mounted on
 * their side, the burn-in orbit, night dimming by schedule, the remote
 * "dim" and "identify", and the first-start screen.
 *
 * The board is drawn as usual between display_begin() and display_end();
 * shifted only (the orbit), it is drawn through a viewport offset; when
 * the picture must be turned it is drawn into a texture
 * of the content's size (portrait for 90/270, so render.c lays it out in
 * portrait: SDL_GetRendererOutputSize answers the target's size) and
 * display_end() copies it to the screen, turned and shifted. Everything
 * here is drawn over the finished frame: render.c knows nothing of it. */
#ifndef WALLBOARD_DISPLAY_H
#define WALLBOARD_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "config.h"
#include "text.h"

#define DISPLAY_IDENTIFY_MS 10000
#define DISPLAY_WAKE_S 60
#define DISPLAY_ORBIT_PERIOD_S 180
#define DISPLAY_ORBIT_PX 4

struct display;

struct display_state {
	bool night;            /* outside the schedule and nothing woke it */
	int brightness;        /* percent in force */
	bool backlight;        /* through /sys/class/backlight, else a veil */
	bool blank;
	bool identify;
	bool first_start;
	int rotate;
	int dx, dy;            /* the orbit's offset now */
	int content_w, content_h;  /* the layout's size (portrait when turned) */
};

struct display *display_create(SDL_Renderer *r, struct text *t, const struct config *cfg);
void display_destroy(struct display *d);

/* Frame: draw into the content, then overlays, turn, shift. True when
 * what the screen held is gone (the picture moved or changed path): the
 * content must be drawn whole this time. */
bool display_begin(struct display *d);
void display_end(struct display *d, uint32_t ticks);

/* Night and brightness for now; urgent: a crisis or breach fires. True
 * when the picture changed (redraw). */
bool display_update(struct display *d, int64_t now, uint32_t ticks, bool urgent);
/* Earliest ms (ticks) at which display_update() may change something. */
uint32_t display_next_ms(const struct display *d, uint32_t ticks, int64_t now);

/* A touch, click or key: at night it wakes the board for a minute and is
 * swallowed (true): the first touch in the dark must not act on a row. */
bool display_wake(struct display *d, int64_t now);

/* Window coordinates of a mouse or finger event into the content's, for
 * the alarm UI's hit tests; call display_input_end() after handling. */
void display_input_begin(struct display *d, SDL_Event *ev);
void display_input_end(struct display *d);

void display_identify(struct display *d, uint32_t ticks);
/* Remote dim: percent 0..100 overrides the schedule until the next
 * day/night change. */
void display_dim(struct display *d, int percent);
/* Before the first data: which broker, the last error in words. */
void display_first_start(struct display *d, bool on, const char *broker, const char *error);
/* The config was reloaded: schedule, night, brightness, rotation. */
bool display_reconfigure(struct display *d, const struct config *cfg);

/* Something is drawn over the board (veil, identify, first start): a
 * frame kept between passes would keep it too, so the board is drawn
 * whole while this is true. */
bool display_overlaid(const struct display *d);

void display_get_state(const struct display *d, struct display_state *out);

#endif
