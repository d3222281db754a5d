/* fontpool.h - which of a few open instances of one font file draws a
 * size.
 *
 * SDL2_ttf opens a font at one size, and every open instance keeps its
 * own copy of the font's tables (HarfBuzz's GSUB, GPOS and GDEF,
 * FreeType's loca, hmtx and bytecode: 40-190 KB for the Noto fonts)
 * beside its glyph cache. The board draws about twenty sizes at 1080p;
 * text.c opened all three script fonts at each size it used, up to 24
 * instances, and closed and reopened them as sizes came and went. Now
 * each file is open at most a few times and an instance changes size
 * (TTF_SetFontSize, which empties its glyph cache) when none has the
 * size asked for. This is the choice alone, without SDL, so the tests
 * can drive it. Since fontrun.h answers the metrics too, text.c opens
 * an instance only for what fontrun.h cannot draw (none, with the
 * Noto fonts shipped). */
#ifndef WALLBOARD_FONTPOOL_H
#define WALLBOARD_FONTPOOL_H

#include <stdint.h>

struct fontpool_slot {
	int px;		/* the instance's size; 0: not open */
	uint64_t used;	/* tick of its last use */
};

enum fontpool_action {
	FONTPOOL_HIT,		/* the slot is open at px: use it */
	FONTPOOL_OPEN,		/* the slot is not open: open it at px */
	FONTPOOL_RESIZE,	/* the slot is open at another size: change it */
};

/* The slot for px among n (n >= 1): one open at px, else one not open,
 * else the least recently used. The slot is marked as at px and used at
 * tick (the caller counts ticks up); *action says what the caller must
 * do to its instance. */
int fontpool_pick(struct fontpool_slot *slots, int n, int px, uint64_t tick,
		  enum fontpool_action *action);

#endif
