/* model.h - what the board knows: complaints, SLA timers, per-channel
 * aggregates and the crisis. Plain C: no SDL, no mosquitto.
 *
 * The model is fed decoded messages and is told the time (an injected
 * clock: every time-dependent query takes `now`, epoch seconds), so it is
 * tested without a screen, a broker or sleeping. Applying a message costs
 * O(log n): aggregates are kept in ordered indexes, never recomputed by a
 * scan, so 10 or 100,000 open complaints cost the same per message.
 *
 * Definitions (they are the README's, keep them in sync):
 *  - open: a held complaint (status open, pending or answered);
 *  - waiting: open, status open or pending, and its timer (if any) has no
 *    responded_at;
 *  - active timer: complaint waiting, timer held, not paused;
 *  - breached: active timer with due_at <= now;
 *  - at risk: active timer with now < due_at <= now + at_risk_s;
 *  - paused: complaint waiting, timer held and paused.
 * An SLA timer may arrive before its complaint: it is held and counts
 * once the complaint arrives. */
#ifndef WALLBOARD_MODEL_H
#define WALLBOARD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define MODEL_MAX_CHANNELS 32
#define MODEL_DEFAULT_MAX_COMPLAINTS 50000

struct model;

/* Read-only view of one complaint with its timer. Pointers stay valid
 * until the next model_apply/model_resync_end. */
/* Fields by size, not by part (the model keeps 10,000 and more): 80
 * bytes, was 104 with its holes and 96 with whole words for the enums
 * and flags. */
struct complaint {
	const char *id;
	const char *customer;
	const char *text;
	const char *assignee;           /* "" when unassigned */
	int64_t opened_at;
	unsigned channel;               /* index for model_channel_key() */
	enum priority priority : 8;
	enum status status : 8;
	enum visibility visibility : 8; /* public breaches are listed first */
	bool drill : 1;                 /* a practice complaint */

	bool has_sla : 1;
	bool paused : 1;
	int64_t due_at;
	int64_t target_s;
	const char *paused_reason;      /* "" when none */
	int64_t responded_at;           /* 0 when not responded */
};

struct channel_stats {
	uint32_t open;
	uint32_t waiting;
	uint32_t breached;
	uint32_t at_risk;
	uint32_t paused;
	int64_t oldest_waiting_since;   /* opened_at of the oldest waiting, 0 if none */
	int64_t next_due_at;            /* earliest due_at > now of active timers, 0 if none */
	int64_t oldest_due_at;          /* earliest due_at of active timers, 0 if none */
};

struct attainment {
	uint32_t answered;              /* responded_at within the day */
	uint32_t on_time;               /* of those, responded_at <= due_at */
};

/* channel_keys: channels to create up front, in this order (from config),
 * so they show even while empty. May be NULL/0. Returns NULL on OOM. */
struct model *model_init(const char *const *channel_keys, size_t n);
void model_destroy(struct model *m);

/* Apply one decoded message (complaints, SLA timers, crisis; other kinds
 * are ignored and return true). Returns false, with a reason in err, when
 * the model refuses it (e.g. more than MODEL_MAX_CHANNELS channels); the
 * model is then unchanged. */
bool model_apply(struct model *m, const struct msg *msg, char *err, size_t errlen);

/* Resync after a reconnect: after begin, every complaint, timer and the
 * crisis are unconfirmed; each message applied confirms what it sets; end
 * drops whatever is still unconfirmed and returns how many items it
 * dropped. So the board ends up showing exactly what the retained topics
 * hold now, including removals it never saw. */
void model_resync_begin(struct model *m);
size_t model_resync_end(struct model *m);

/* A retained update of an item was rejected (bad payload, refused by the
 * model): the broker still holds the item, only not in a form this board
 * takes. Confirm what is held (kind MSG_COMPLAINT, MSG_SLA or MSG_CRISIS;
 * id as in the topic), so a resync keeps the last good state instead of
 * dropping it. Nothing held: nothing happens. */
void model_keep(struct model *m, enum msg_kind kind, const char *id);

/* Grows with every model_apply() and every item model_resync_end() or
 * model_prune_day() drops: what the queries below answer for a given
 * now is the same while it does not change (render keeps the counts of
 * a frame for the next one in the same second). */
uint64_t model_changes(const struct model *m);

/* Channels: configured ones first, then others in the order first seen.
 * Channels are never dropped. model_channel_key() is NULL out of range;
 * model_channel_stats() zeroes *out out of range. */
size_t model_channel_count(const struct model *m);
const char *model_channel_key(const struct model *m, size_t idx);
void model_channel_stats(const struct model *m, size_t idx, int64_t now,
			 int64_t at_risk_s, struct channel_stats *out);
/* Totals over all channels, same fields. */
void model_totals(const struct model *m, int64_t now, int64_t at_risk_s,
		  struct channel_stats *out);

/* Breached complaints, most overdue first: by the minute of due_at, and
 * within one minute the public ones (visibility "public") before the
 * others, then earliest due_at; equal due_at in a stable order (the id
 * seen first comes first). So breaches that show the same overdue minutes
 * list public first, and rows never swap as time passes. Fills up to max
 * pointers and returns how many were written. skip lets a caller page. */
size_t model_breached(const struct model *m, int64_t now, size_t skip,
		      const struct complaint **out, size_t max);
/* At-risk complaints, soonest due first. */
size_t model_at_risk(const struct model *m, int64_t now, int64_t at_risk_s,
		     const struct complaint **out, size_t max);
/* Breached complaints of one channel, most overdue first. */
size_t model_channel_breached(const struct model *m, size_t channel,
			      int64_t now, const struct complaint **out, size_t max);

/* How many active timers of one channel fell due in (from, to]: the
 * breaches that began in that time and are still open. */
size_t model_channel_due_between(const struct model *m, size_t channel, int64_t from,
				 int64_t to);

const struct complaint *model_find(const struct model *m, const char *id);
size_t model_complaint_count(const struct model *m);
/* SLA timers held, with or without their complaint. */
size_t model_timer_count(const struct model *m);
/* Ids held: those with a complaint, a timer or both (a response whose
 * complaint and timer are both gone is only counted, see
 * model_attainment()); for tests of the memory bound. */
size_t model_entry_count(const struct model *m);

/* The active crisis, or NULL. */
const struct msg_crisis *model_crisis(const struct model *m);

/* SLA attainment of the day that starts at day_start (epoch seconds of
 * local midnight, given by the caller) and lasts 24 h. Every response
 * seen is counted once per complaint id, also after the complaint is
 * removed; records older than day_start are pruned by this call's
 * non-const sibling model_prune_day(). A timer update with another
 * responded_at replaces the id's record (on time: responded_at <= its
 * due_at); one without responded_at (reopened) keeps it. Call
 * model_prune_day() at least daily: records are kept until then; it also
 * drops records dated two days or more after day_start, and once it was
 * called a response outside [day_start, day_start + 2 days) of its last
 * call is not counted at all.
 * Records are counts by minute of responded_at (memory stays fixed
 * however many are answered a day): once an id has neither complaint nor
 * timer its record is only counted, an id that comes back and is answered
 * again counts again, and day_start is taken to a whole minute (local
 * midnights are). */
/* A drill complaint's response ("drill": true) is not counted. */
/* Memory is bounded. At most max complaints are held (0: the default,
 * 50,000; limits.max_complaints): a complaint with a new id beyond is
 * refused (model_apply false, "over capacity"), what is held stays as it
 * is, and updates and removals of held ones go on. Timers of complaints
 * not held are kept for at most max ids more. Attainment records of ids
 * still held live until model_prune_day() drops them by age; those of
 * ids gone are counts per minute in a fixed ring (three days). */
void model_set_max_complaints(struct model *m, size_t max);
/* Complaints and timers refused for the cap, ever. */
uint64_t model_over_capacity(const struct model *m);
/* Something was refused for the cap since the last model_resync_begin:
 * the board does not show all the broker holds. */
bool model_is_over_capacity(const struct model *m);

void model_attainment(const struct model *m, int64_t day_start, struct attainment *out);
void model_prune_day(struct model *m, int64_t day_start);

#endif
