/* backlight.h - the panel's own brightness, where the kernel offers it
 * (/sys/class/backlight/<device>/brightness, e.g. the official Raspberry
 * Pi touch display). Where it does not (an HDMI TV), the board dims with
 * a dark veil instead (overlay.h). The board's user needs write access:
 * a udev rule or the video group, depending on the driver. */
#ifndef WALLBOARD_BACKLIGHT_H
#define WALLBOARD_BACKLIGHT_H

#include <stdbool.h>

struct backlight;

/* The first device under $WB_SYSFS (default /sys)/class/backlight that
 * can be written, or NULL (logged at info) when there is none. */
struct backlight *backlight_open(void);
/* Puts the brightness back as found, then frees. NULL is a no-op. */
void backlight_close(struct backlight *b);

/* percent 0..100 of max_brightness (0 is kept at 1 step: a backlight at
 * 0 is off on many panels, and night must still show an alarm). */
bool backlight_set(struct backlight *b, int percent);

#endif
