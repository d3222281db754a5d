/* frame.h - a frame: drawn from the model and the board's status (only
 * what changed, scene.h), shown (only the rects it drew, where the
 * renderer allows), and timed. */
#ifndef WALLBOARD_FRAME_H
#define WALLBOARD_FRAME_H

#include <stdint.h>

struct app;

/* Draws the frame into the renderer; not yet shown. */
void frame_draw(struct app *app, int64_t now, uint32_t ticks);

/* Ends the frame drawn: the text cache's bookkeeping, then shown when it
 * changed a pixel. */
void frame_finish(struct app *app);

/* A frame drawn and shown (a remote screenshot of it sent when asked);
 * what it cost and how long the changes in it waited, measured from when
 * the loop took them from the network. */
void frame_show(struct app *app, int64_t now, uint32_t ticks);

#endif
