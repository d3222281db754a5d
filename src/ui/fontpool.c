/* fontpool.c - see fontpool.h. */
#include "fontpool.h"

int fontpool_pick(struct fontpool_slot *slots, int n, int px, uint64_t tick,
		  enum fontpool_action *action)
{
	int pick = -1;

	for (int i = 0; i < n; i++) {
		if (slots[i].px == px) {
			pick = i;
			break;
		}
		if (pick < 0 || (slots[pick].px != 0 &&
				 (slots[i].px == 0 || slots[i].used < slots[pick].used)))
			pick = i;
	}
	*action = slots[pick].px == px ? FONTPOOL_HIT :
		  slots[pick].px == 0 ? FONTPOOL_OPEN : FONTPOOL_RESIZE;
	slots[pick].px = px;
	slots[pick].used = tick;
	return pick;
}
