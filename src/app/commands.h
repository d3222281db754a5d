/* commands.h - remote commands to the board (remote.h): screenshot,
 * identify, dim, reload, next page, each answered on boards/<id>/result.
 *
 * Commands come on boards/<id>/cmd and boards/all/cmd; what a command
 * changes in the loop (a redraw, a restart) is returned, not done here. */
#ifndef WALLBOARD_COMMANDS_H
#define WALLBOARD_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "acksig.h"
#include "config.h"
#include "display.h"
#include "mqtt.h"
#include "render.h"

/* What the commands act on; all must outlive them. */
struct commands_deps {
	struct config *cfg;          /* writable: a reload copies over it */
	const struct acksig_key *key;/* signs commands; NULL: none */
	struct mqtt *mqtt;           /* the answers go out through it */
	struct display *display;     /* identify, dim, reload */
	struct render *render;       /* next page */
	SDL_Renderer *renderer;      /* the remote screenshot reads it */
};

struct commands;

struct commands *commands_create(const struct commands_deps *d);
void commands_destroy(struct commands *c);

/* The command line, kept for a reload (the same flags and --config file
 * read again). */
void commands_set_args(struct commands *c, int argc, char **argv);

/* What a command asks of the loop. */
struct command_effect {
	bool redraw;    /* the picture must be drawn again */
	bool state;     /* the dump must be rewritten */
	bool model;     /* alarms must be recomputed (a reload) */
	bool restart;   /* quit, and main.c runs the board again */
};

/* False when topic is not a command topic (ev is then a message for the
 * board); otherwise the command is refused or done, answered, and what it
 * asks of the loop is in *fx. */
bool commands_handle(struct commands *c, const struct mqtt_event *ev, int64_t now,
		     struct command_effect *fx);

/* A remote screenshot was asked for: send it after the next frame. */
bool commands_shot_wanted(const struct commands *c);

/* The frame just drawn as PNG to boards/<id>/screenshot (not retained),
 * and its answer. */
void commands_send_shot(struct commands *c, uint32_t ticks);

#endif
