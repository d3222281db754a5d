/* feeds.h - is the board holding all there is (contract v1.1)? Held
 * against what the producers announce (completeness.h), the retained
 * replay taken again while short, and the feed silent longest; the band
 * under the header says so (the board_status fields it writes).
 *
 * A plain struct in struct app (not opaque) because the dump and the
 * status JSON read the verdict; only feeds.c writes it. */
#ifndef WALLBOARD_FEEDS_H
#define WALLBOARD_FEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "completeness.h"
#include "decode.h"
#include "model.h"
#include "producers.h"
#include "render.h"

struct feeds {
	struct completeness completeness;  /* the verdict */
	int64_t deadline;          /* epoch s: a feed turns silent, or a retry is due */
	const struct model *model;
	const struct producers *producers;
	int max_complaints;        /* limits.max_complaints, for the log's advice */
	struct board_status *status;       /* the band: incomplete*, held, silent* */
	char silent_name[MSG_ID_MAX];      /* status->silent_feed points here */
};

/* What a check asks of the loop. */
struct feeds_effect {
	bool redraw;       /* the band changed */
	bool state;        /* the dump must be rewritten */
	bool status_now;   /* the verdict changed: publish the status at once */
	bool replay;       /* take the retained replay again now (mqtt_replay) */
};

void feeds_init(struct feeds *f, const struct model *m, const struct producers *p,
		int max_complaints, struct board_status *status);

/* After every retained replay. */
void feeds_after_replay(struct feeds *f, int64_t now, struct feeds_effect *fx);

/* Every loop pass: in_sync when the board is synced and connected (a
 * shortfall between replays counts only then, and a retry needs it). */
void feeds_update(struct feeds *f, bool in_sync, int64_t now, struct feeds_effect *fx);

/* Why the board is short, for the status JSON. */
struct completeness_why feeds_why(const struct feeds *f);

#endif
