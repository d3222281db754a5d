/* test_fontpool.c - which open instance of a font file draws a size
 * (src/ui/fontpool.c): a size already open is used as it is, a slot not
 * open is filled before any instance changes size, and then the least
 * recently used one changes. Each row is a pool's start and a sequence of
 * sizes asked for, with the slot and the action expected at each step. */
#include <stddef.h>

#include "fontpool.h"

#include "check.h"

#define STEPS_MAX 8

struct step {
	int px, slot;
	enum fontpool_action act;
};

static void test_sequences(void)
{
#define H FONTPOOL_HIT
#define O FONTPOOL_OPEN
#define R FONTPOOL_RESIZE
	static const struct {
		const char *name;
		int n;
		int start[3];		/* the slots' sizes before the first step */
		struct step steps[STEPS_MAX];
	} rows[] = {
		{ "one slot: every other size changes it", 1, { 0 },
		  { { 28, 0, O }, { 28, 0, H }, { 32, 0, R }, { 28, 0, R }, { 28, 0, H } } },
		{ "two slots: the second opens before any change", 2, { 0, 0 },
		  { { 28, 0, O }, { 32, 1, O }, { 28, 0, H }, { 32, 1, H } } },
		{ "two slots: the least recently used changes", 2, { 0, 0 },
		  { { 28, 0, O }, { 32, 1, O }, { 28, 0, H }, { 40, 1, R }, { 32, 0, R },
		    { 40, 1, H }, { 28, 0, R } } },
		{ "a size open in a later slot is found past a free one", 3, { 0, 32, 0 },
		  { { 32, 1, H }, { 28, 0, O }, { 40, 2, O }, { 32, 1, H } } },
		{ "a free slot is filled before the oldest changes", 3, { 28, 0, 32 },
		  { { 40, 1, O }, { 28, 0, H }, { 50, 2, R } } },
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		check_ctx = rows[r].name;
		struct fontpool_slot slots[3] = { { 0, 0 } };
		for (int i = 0; i < rows[r].n; i++)
			slots[i].px = rows[r].start[i];
		uint64_t tick = 0;
		for (int s = 0; s < STEPS_MAX && rows[r].steps[s].px; s++) {
			const struct step *want = &rows[r].steps[s];
			enum fontpool_action act = (enum fontpool_action)-1;
			int slot = fontpool_pick(slots, rows[r].n, want->px, ++tick, &act);
			checkf(slot == want->slot && act == want->act,
			       "step %d (%d px): slot %d action %d, want slot %d action %d", s,
			       want->px, slot, (int)act, want->slot, (int)want->act);
			checkf(slots[slot].px == want->px && slots[slot].used == tick,
			       "step %d: the slot is marked at %d px, used now", s, want->px);
		}
	}
	check_ctx = "";
#undef H
#undef O
#undef R
}

/* However many sizes are asked for, no more instances than slots, and
 * each size asked for twice in a row is a hit the second time. */
static void test_bounded(void)
{
	check_ctx = "bounded";
	struct fontpool_slot slots[2] = { { 0, 0 } };
	uint64_t tick = 0;
	int opened = 0, hits_after_repeat = 0;
	for (int px = 10; px < 130; px++) {
		enum fontpool_action act;
		int k = fontpool_pick(slots, 2, px, ++tick, &act);
		opened += act == FONTPOOL_OPEN;
		CHECK(k >= 0 && k < 2);
		fontpool_pick(slots, 2, px, ++tick, &act);
		hits_after_repeat += act == FONTPOOL_HIT;
	}
	CHECK_EQ(opened, 2);
	CHECK_EQ(hits_after_repeat, 120);
	check_ctx = "";
}

int main(void)
{
	test_sequences();
	test_bounded();
	return check_summary();
}
