/* model.c - see model.h.
 *
 * Every id has one entry, found through an open hash table. An entry
 * holds up to three independent parts: the complaint, its SLA timer (which
 * may arrive first) and the attainment record of its last response (which
 * outlives both, until pruned). An entry with no part left is freed.
 *
 * No aggregate comes from a scan. Each entry is linked into the counters
 * and ordered indexes (index.h) of what it counts as - open, waiting,
 * active, paused - and remembers how it is linked. Every change to a part
 * is followed by entry_sync(), which unlinks what no longer holds and
 * links what now does, so counters and indexes cannot drift from the
 * entries whatever field changed (channel, status, opened_at, due_at,
 * paused, responded_at, or a part coming or going).
 *
 * Responses are counted per minute of responded_at in a fixed ring
 * (struct folded), so memory does not follow the day's traffic: every
 * complaint a day answers would otherwise hold a whole entry (about 400
 * bytes) until midnight, 60 MB a day at the soak's traffic. An entry
 * remembers only where its own response was counted (its minute and the
 * slot's epoch), so a timer update may still replace it; once complaint
 * and timer are gone the entry is freed and the count stays. Counting at
 * once, not holding two index nodes per entry until then, saves 48 bytes
 * a complaint (index.h's nodes are 24 bytes) and two tree updates per
 * response. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "log.h"
#include "util.h"

#define DAY_S 86400
#define TABLE_MIN_SLOTS 64
/* Folded records cover three days of minutes: pruning keeps two
 * ([day_start, day_start + 2 days)), so two minutes sharing a slot are
 * never both kept. */
#define FOLD_MINUTES (3 * 1440)   /* fits entry.rec_slot */

/* How an entry is currently counted (entry.linked). */
enum {
	L_OPEN = 1,     /* channel.open */
	L_WAITING = 2,  /* channel.waiting, channel.waiting_by_opened */
	L_ACTIVE = 4,   /* channel.active_by_due, model.active_public/other */
	L_PAUSED = 8,   /* channel.paused */
};

/* 184 bytes and the id: a malloc chunk of 208 for ids of up to 15
 * bytes (was 216 and 240, and 328 and 352 before that). No chain link
 * and no hash (the id table is open: see "id table" below); flags, the
 * channel and the response's slot in one word; a node's key is the
 * entry's (index.h), the two due-time nodes sharing one; a resync
 * confirms with a bit each, not a generation number. glibc hands out
 * chunks in steps of 16 bytes, so only steps across one count: the
 * bench's ids ("ig-12345") take 193 bytes, chunk 208. */
struct entry {
	uint64_t serial;                /* tie-breaker in every index */
	/* the view's customer is the block of customer, text and assignee
	 * while has_complaint; its paused_reason is its own when not "" */
	struct complaint view;          /* what model_find() hands out */
	uint32_t rec_epoch;             /* the slot's epoch when it was counted */
	unsigned rec_slot : 13;         /* folded[] of its response's minute */
	unsigned linked : 4;            /* L_* flags */
	unsigned linked_ch : 5;         /* channel the flags refer to */
	unsigned has_complaint : 1, has_timer : 1;
	unsigned has_record : 1;        /* its response is counted in rec_slot */
	unsigned record_on_time : 1;    /* ... as on time */
	unsigned drill : 1;             /* from the complaint; kept with the
	                                   record: no attainment for a drill */
	unsigned linked_public : 1;     /* by_due_vis is in active_public */
	unsigned complaint_confirmed : 1; /* set since model_resync_begin */
	unsigned timer_confirmed : 1;
	unsigned strings_inline : 1;    /* the view's customer, text and
	                                   assignee follow id, in this block */
	int64_t linked_opened;          /* by_opened's key while linked */
	int64_t linked_due;             /* by_due_ch's and by_due_vis's key */
	struct index_node by_opened;    /* channel.waiting_by_opened */
	struct index_node by_due_ch;    /* channel.active_by_due */
	struct index_node by_due_vis;   /* model.active_public or active_other */
	char id[];
};

_Static_assert(FOLD_MINUTES <= 1 << 13, "entry.rec_slot holds a folded[] index");
_Static_assert(MODEL_MAX_CHANNELS <= 1 << 5, "entry.linked_ch holds a channel");
_Static_assert((L_OPEN | L_WAITING | L_ACTIVE | L_PAUSED) < 1 << 4,
	       "entry.linked holds the L_* flags");

/* Responses counted by minute of responded_at. */
struct folded {
	int64_t minute;                 /* floor(responded_at / 60) */
	uint32_t answered, on_time;     /* 0, 0: the slot is free */
	uint32_t epoch;                 /* bumped when the counts are dropped */
};

struct channel {
	char key[MSG_CHANNEL_MAX];
	uint32_t open, waiting, paused;
	struct index waiting_by_opened;
	struct index active_by_due;
};

struct model {
	struct entry **slots;           /* the id table; NULL: free */
	size_t n_slots;                 /* a power of two */
	size_t n_entries;
	size_t n_complaints;
	size_t n_timers;
	uint64_t serial;
	uint64_t changes;               /* model_changes() */
	size_t max_complaints;          /* new complaint ids beyond are refused */
	uint64_t over_capacity;         /* refusals for the cap, ever */
	uint64_t over_capacity_gen;     /* ... at the last resync_begin */
	struct channel ch[MODEL_MAX_CHANNELS];
	size_t n_ch;
	/* Active timers split by visibility, so the breach list can put
	 * public breaches first within a minute without a scan; the two
	 * together are the index of all active timers (ordered by due_at,
	 * then serial, like every index here). */
	struct index active_public;
	struct index active_other;
	struct folded folded[FOLD_MINUTES];
	bool pruned;                    /* model_prune_day() was called ... */
	int64_t pruned_day;             /* ... with this day_start */
	bool has_crisis;
	bool crisis_confirmed;          /* set since model_resync_begin */
	struct msg_crisis crisis;
};

static int64_t add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static void set_err(char *err, size_t errlen, const char *what)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", what);
}

/* ---- id table ---- */

/* Open addressing with linear probing, at most 4/5 full: a slot is a
 * pointer, with no chain link in the entry, and the entry keeps no hash
 * either (a probe compares ids; a removal hashes the few ids it moves
 * back). 10,000 entries take 16,384 slots and 100,000 131,072, as many
 * as the buckets of the chained table before, and 12 bytes less an
 * entry. At 4/5 full a lookup of an id not held meets 13 slots on
 * average and one held 3, comparing ids in place (bench's apply rate
 * did not move). */

static size_t id_home(const struct model *m, const char *id)
{
	return (size_t)util_fnv1a_str(id) & (m->n_slots - 1);
}

/* The slot holding id, or the free slot where it would go. */
static size_t slot_of(const struct model *m, const char *id)
{
	size_t i = id_home(m, id);
	while (m->slots[i] && strcmp(m->slots[i]->id, id) != 0)
		i = (i + 1) & (m->n_slots - 1);
	return i;
}

static struct entry *entry_find(const struct model *m, const char *id)
{
	return m->slots[slot_of(m, id)];
}

/* Doubling keeps probes short; false when memory is out. */
static bool table_grow(struct model *m)
{
	size_t n = m->n_slots * 2, old_n = m->n_slots;
	struct entry **old = m->slots, **t = calloc(n, sizeof *t);
	if (!t) {
		log_warn("model", "cannot grow id table to %zu slots", n);
		return false;
	}
	m->slots = t;
	m->n_slots = n;
	for (size_t i = 0; i < old_n; i++)
		if (old[i])
			m->slots[slot_of(m, old[i]->id)] = old[i];
	free(old);
	return true;
}

/* False when the table is full and cannot grow: the caller reports out
 * of memory. A table 4/5 full that cannot grow still takes entries,
 * more slowly, until one slot is left (a probe must meet a free one). */
static bool table_insert(struct model *m, struct entry *e)
{
	if ((m->n_entries + 1) * 5 > m->n_slots * 4 && !table_grow(m) &&
	    m->n_entries + 2 > m->n_slots)
		return false;
	m->slots[slot_of(m, e->id)] = e;
	m->n_entries++;
	return true;
}

/* Whether slot k lies cyclically in (i, j]. */
static bool in_run(size_t i, size_t k, size_t j)
{
	return i <= j ? i < k && k <= j : i < k || k <= j;
}

/* Backward shift: the entries after the freed slot, up to the next free
 * one, move back where a probe from their home still finds them, so no
 * tombstones build up. */
static void table_remove(struct model *m, struct entry *e)
{
	size_t mask = m->n_slots - 1, i = slot_of(m, e->id), j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!m->slots[j])
			break;
		size_t k = id_home(m, m->slots[j]->id);
		if (in_run(i, k, j))
			continue; /* its home is after the hole: it stays */
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i] = NULL;
	m->n_entries--;
}

/* ---- entries ---- */

/* The view's strings the entry owns. */
static void free_strings(struct entry *e, bool complaint, bool timer)
{
	if (complaint && e->has_complaint && !e->strings_inline)
		free((void *)e->view.customer); /* the block's start */
	if (complaint)
		e->strings_inline = false; /* that room is not used again */
	if (timer && e->view.paused_reason[0])
		free((void *)e->view.paused_reason);
}

static void view_clear_complaint(struct complaint *v)
{
	v->customer = v->text = v->assignee = "";
	v->channel = 0;
	v->opened_at = 0;
	v->priority = PRIORITY_NORMAL;
	v->status = STATUS_OPEN;
	v->visibility = VISIBILITY_UNSPECIFIED;
	v->drill = false;
}

static void view_clear_timer(struct complaint *v)
{
	v->has_sla = false;
	v->due_at = v->target_s = v->responded_at = 0;
	v->paused = false;
	v->paused_reason = "";
}

/* A new entry for id (not held), with no part and room for `extra`
 * bytes after its id; NULL on OOM. */
static struct entry *entry_new(struct model *m, const char *id, size_t extra)
{
	size_t len = strlen(id);
	struct entry *e = calloc(1, sizeof *e + len + 1 + extra);
	if (!e)
		return NULL;
	memcpy(e->id, id, len + 1);
	if (!table_insert(m, e)) {
		free(e);
		return NULL;
	}
	e->serial = ++m->serial;
	e->view.id = e->id;
	view_clear_complaint(&e->view);
	view_clear_timer(&e->view);
	return e;
}

/* Frees the entry once neither its complaint nor its timer is held; its
 * response, if any, stays counted (see the top of this file). */
static void entry_free_if_empty(struct model *m, struct entry *e)
{
	if (e->has_complaint || e->has_timer)
		return;
	table_remove(m, e);
	free_strings(e, true, true);
	free(e);
}

/* What the entry counts as now, from the definitions in model.h. */
static unsigned entry_class(const struct entry *e)
{
	const struct complaint *v = &e->view;
	if (!e->has_complaint)
		return 0;
	if (v->status != STATUS_OPEN && v->status != STATUS_PENDING)
		return L_OPEN;
	if (e->has_timer && v->responded_at != 0)
		return L_OPEN;
	if (!e->has_timer)
		return L_OPEN | L_WAITING;
	return L_OPEN | L_WAITING | (v->paused ? L_PAUSED : L_ACTIVE);
}

/* One of an entry's index nodes as entry_sync() moves it: out of `from`
 * (if it was there), into `to` (if it belongs there now). */
struct node_move {
	struct index *from, *to;
	struct index_node *n;
	bool out, in;
};

/* A node stays where it is, touched neither way, when it was linked and
 * still is, in the same index, under the same key. */
static struct node_move node_move(struct index *from, struct index *to,
				  struct index_node *n, bool was, bool is, bool key_moved)
{
	bool stays = was && is && from == to && !key_moved;
	return (struct node_move){ from, to, n, was && !stays, is && !stays };
}

/* Brings the counters and indexes in line with the entry's fields. It is
 * called after every change and compares what the entry counts as now
 * with what e->linked and e->linked_ch record (the fields may already
 * have changed, so the old state is never recomputed from them): one path
 * for every kind of update, and only the indexes whose membership or key
 * changed are touched, so an identical re-send (resync) costs no tree work. */
static void entry_sync(struct model *m, struct entry *e)
{
	unsigned was = e->linked, is = entry_class(e);
	struct channel *oc = &m->ch[e->linked_ch], *nc = &m->ch[e->view.channel];

	oc->open -= !!(was & L_OPEN);
	nc->open += !!(is & L_OPEN);
	oc->waiting -= !!(was & L_WAITING);
	nc->waiting += !!(is & L_WAITING);
	oc->paused -= !!(was & L_PAUSED);
	nc->paused += !!(is & L_PAUSED);
	bool pub = e->view.visibility == VISIBILITY_PUBLIC;
	struct index *ov = e->linked_public ? &m->active_public : &m->active_other;
	struct index *nv = pub ? &m->active_public : &m->active_other;
	bool opened_moved = e->linked_opened != e->view.opened_at;
	bool due_moved = e->linked_due != e->view.due_at;
	const struct node_move mv[] = {
		node_move(&oc->waiting_by_opened, &nc->waiting_by_opened, &e->by_opened,
			  was & L_WAITING, is & L_WAITING, opened_moved),
		node_move(&oc->active_by_due, &nc->active_by_due, &e->by_due_ch,
			  was & L_ACTIVE, is & L_ACTIVE, due_moved),
		node_move(ov, nv, &e->by_due_vis, was & L_ACTIVE, is & L_ACTIVE, due_moved),
	};
	/* out of every index under the old keys, then in under the new:
	 * the two due-time nodes share linked_due */
	for (size_t i = 0; i < sizeof mv / sizeof mv[0]; i++)
		if (mv[i].out)
			index_remove(mv[i].from, mv[i].n);
	e->linked_opened = e->view.opened_at;
	e->linked_due = e->view.due_at;
	for (size_t i = 0; i < sizeof mv / sizeof mv[0]; i++)
		if (mv[i].in)
			index_insert(mv[i].to, mv[i].n);
	e->linked_public = pub;
	e->linked = is;
	e->linked_ch = e->view.channel;
}

static void complaint_drop(struct model *m, struct entry *e)
{
	free_strings(e, true, false);
	view_clear_complaint(&e->view);
	e->has_complaint = false;
	m->n_complaints--;
	entry_sync(m, e);
}

static void timer_drop(struct model *m, struct entry *e)
{
	free_strings(e, false, true);
	view_clear_timer(&e->view);
	e->has_timer = false;
	m->n_timers--;
	entry_sync(m, e);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static struct folded *fold_slot(struct model *m, int64_t minute)
{
	int64_t i = minute % FOLD_MINUTES;
	return &m->folded[i < 0 ? i + FOLD_MINUTES : i];
}

/* The first second of minute, saturated. */
static int64_t minute_start(int64_t minute)
{
	return minute < INT64_MIN / 60 + 1 ? INT64_MIN :
	       minute > INT64_MAX / 60 ? INT64_MAX : minute * 60;
}

/* Whether a record at `at` survives model_prune_day(day_start). */
static bool in_kept_days(int64_t at, int64_t day_start)
{
	return at >= day_start && at < add_sat(day_start, 2 * DAY_S);
}

/* Drops a slot's counts; entries counted there see the epoch move. */
static void slot_clear(struct folded *f)
{
	f->answered = f->on_time = 0;
	f->epoch++;
}

/* Whether the entry's response is still in its minute's counts (pruning
 * or a later minute taking the slot drops counts under it). */
static bool record_counted(const struct model *m, const struct entry *e)
{
	/* a slot changes minute only when cleared (the epoch moves) or
	 * empty (answered 0: then no response is counted there) */
	const struct folded *f = &m->folded[e->rec_slot];
	return e->has_record && f->answered && f->epoch == e->rec_epoch;
}

/* Takes the entry's response out of the counts. */
static void record_drop(struct model *m, struct entry *e)
{
	if (record_counted(m, e)) {
		struct folded *f = &m->folded[e->rec_slot];
		f->answered--;
		f->on_time -= e->record_on_time;
	}
	e->has_record = false;
	e->record_on_time = false;
}

/* Counts a response in its minute. Once the board prunes, one outside
 * the kept days is not counted (pruning would drop it within the next
 * check), so a slot only ever holds a kept minute and two kept minutes
 * never share one. Before the first prune (tests, the first pass) a slot
 * taken by another minute keeps the later. */
static void record_count(struct model *m, struct entry *e, int64_t at, bool on_time)
{
	int64_t minute = floor_div(at, 60);
	if (m->pruned && !in_kept_days(at, m->pruned_day))
		return;
	struct folded *f = fold_slot(m, minute);
	if (f->answered && f->minute != minute) {
		if (f->minute > minute)
			return;
		slot_clear(f);
	}
	f->minute = minute;
	f->answered++;
	f->on_time += on_time;
	e->has_record = true;
	e->record_on_time = on_time;
	e->rec_slot = (unsigned)(f - m->folded);
	e->rec_epoch = f->epoch;
}

/* Replaces the entry's attainment record (one per id). */
static void record_set(struct model *m, struct entry *e, int64_t at, bool on_time)
{
	if (e->drill)
		return; /* practice does not count towards the day's rate */
	if (record_counted(m, e) && m->folded[e->rec_slot].minute == floor_div(at, 60) &&
	    e->record_on_time == on_time)
		return; /* counted the same already */
	record_drop(m, e);
	record_count(m, e, at, on_time);
}

/* Responses counted in minutes that start within [from, to). Exact when
 * from and to fall on whole minutes, as local midnights do. */
static void folded_range(const struct model *m, int64_t from, int64_t to,
			 struct attainment *out)
{
	int64_t first = floor_div(from, 60) + (from % 60 != 0);
	int64_t last = floor_div(to - 1, 60);
	if (last - first >= FOLD_MINUTES)
		first = last - FOLD_MINUTES + 1;
	for (int64_t mi = first; mi <= last; mi++) {
		const struct folded *f = fold_slot((struct model *)m, mi);
		if (f->answered && f->minute == mi) {
			out->answered += f->answered;
			out->on_time += f->on_time;
		}
	}
}

/* ---- channels ---- */

static bool channel_find(const struct model *m, const char *key, size_t *idx)
{
	for (size_t i = 0; i < m->n_ch; i++) {
		if (strcmp(m->ch[i].key, key) == 0) {
			*idx = i;
			return true;
		}
	}
	return false;
}

static void channel_add(struct model *m, const char *key)
{
	struct channel *c = &m->ch[m->n_ch++];
	snprintf(c->key, sizeof c->key, "%s", key);
	index_init(&c->waiting_by_opened, INDEX_AT(struct entry, by_opened, serial),
		   INDEX_AT(struct entry, by_opened, linked_opened));
	index_init(&c->active_by_due, INDEX_AT(struct entry, by_due_ch, serial),
		   INDEX_AT(struct entry, by_due_ch, linked_due));
}

/* ---- messages ---- */

/* The bytes customer, text and assignee take, as pack_strings() lays
 * them out. */
static size_t strings_size(const struct msg_complaint *c)
{
	return strnlen(c->customer, sizeof c->customer - 1) +
	       strnlen(c->text, sizeof c->text - 1) +
	       strnlen(c->assignee, sizeof c->assignee - 1) + 3;
}

/* customer, text and assignee one after another at s (strings_size()
 * bytes), and the view pointing at them. */
static void pack_strings(char *s, const struct msg_complaint *c, struct complaint *v)
{
	size_t lc = strnlen(c->customer, sizeof c->customer - 1);
	size_t lt = strnlen(c->text, sizeof c->text - 1);
	size_t la = strnlen(c->assignee, sizeof c->assignee - 1);
	memcpy(s, c->customer, lc);
	s[lc] = '\0';
	memcpy(s + lc + 1, c->text, lt);
	s[lc + 1 + lt] = '\0';
	memcpy(s + lc + lt + 2, c->assignee, la);
	s[lc + lt + 2 + la] = '\0';
	v->customer = s;
	v->text = s + lc + 1;
	v->assignee = s + lc + lt + 2;
}

/* Whether held equals field (a message's char[size], cut as
 * pack_strings() cuts it). */
static bool field_eq(const char *held, const char *field, size_t size)
{
	size_t n = strnlen(field, size - 1);
	return strncmp(held, field, n) == 0 && held[n] == '\0';
}

#define FIELD_EQ(held, field) field_eq(held, field, sizeof field)

/* An update re-sends the same customer, text and assignee most of the
 * time (status, SLA and assignment change): the block is kept, not
 * allocated anew, so updates do not churn the heap. */
static bool same_strings(const struct entry *e, const struct msg_complaint *c)
{
	return e && e->has_complaint && FIELD_EQ(e->view.customer, c->customer) &&
	       FIELD_EQ(e->view.text, c->text) && FIELD_EQ(e->view.assignee, c->assignee);
}

static bool apply_complaint_remove(struct model *m, const char *id)
{
	struct entry *e = entry_find(m, id);
	if (!e || !e->has_complaint)
		return true;
	complaint_drop(m, e);
	entry_free_if_empty(m, e);
	return true;
}

/* Everything that can fail is done before the first change, so a
 * refused message leaves the model as it was. */
static bool apply_complaint(struct model *m, const struct msg *msg,
			    char *err, size_t errlen)
{
	const struct msg_complaint *c = &msg->u.complaint;
	if (c->status == STATUS_RESOLVED)       /* the decoder maps it already */
		return apply_complaint_remove(m, msg->id);
	if (strnlen(c->channel, sizeof c->channel) == sizeof c->channel || !c->channel[0]) {
		set_err(err, errlen, "complaint without a valid channel");
		return false;
	}
	size_t ch;
	if (!channel_find(m, c->channel, &ch)) {
		if (m->n_ch == MODEL_MAX_CHANNELS) {
			set_err(err, errlen, "too many channels");
			log_debug("model", "complaint %s: channel %s refused, %d channels in use",
				  msg->id, c->channel, MODEL_MAX_CHANNELS);
			return false;
		}
		ch = m->n_ch;
	}
	struct entry *held = entry_find(m, msg->id);
	if (!held || !held->has_complaint) {
		if (m->n_complaints >= m->max_complaints) {
			/* The stated policy at the cap: what is held stays as it
			 * is, new ids are refused and counted, the board says
			 * "over capacity" until a resync holds everything. */
			m->over_capacity++;
			set_err(err, errlen, "over capacity (limits.max_complaints)");
			return false;
		}
	}
	/* A new id's strings go in its entry's own block (one malloc
	 * chunk: 16 bytes less a complaint, its header and rounding); a
	 * held one's new strings in a block of their own. */
	bool same = same_strings(held, c);
	char *block = same || !held ? NULL : malloc(strings_size(c));
	struct entry *e = held ? held : entry_new(m, msg->id, strings_size(c));
	if (!e || (held && !same && !block)) {
		free(block);
		set_err(err, errlen, "out of memory");
		log_error("model", "complaint %s: out of memory", msg->id);
		return false;
	}
	if (ch == m->n_ch)
		channel_add(m, c->channel);

	if (!same) {
		free_strings(e, true, false);
		if (!held)
			block = e->id + strlen(e->id) + 1;
		pack_strings(block, c, &e->view);
		e->strings_inline = !held;
	}
	e->view.channel = (unsigned)ch;
	e->view.opened_at = c->opened_at;
	e->view.priority = c->priority;
	e->view.status = c->status;
	e->view.visibility = c->visibility;
	e->view.drill = c->drill;
	e->drill = c->drill;
	if (e->drill && e->has_record)
		record_drop(m, e); /* the timer came first: its response was a drill's */
	if (!e->has_complaint)
		m->n_complaints++;
	e->has_complaint = true;
	e->complaint_confirmed = true;
	entry_sync(m, e);
	return true;
}

static bool apply_sla(struct model *m, const struct msg *msg, char *err, size_t errlen)
{
	const struct msg_sla *s = &msg->u.sla;
	char *reason = NULL;
	struct entry *e = entry_find(m, msg->id);
	bool same = e && e->has_timer && FIELD_EQ(e->view.paused_reason, s->paused_reason);
	if (!same && s->paused_reason[0]) {
		reason = strndup(s->paused_reason, sizeof s->paused_reason - 1);
		if (!reason)
			goto oom;
	}
	if (!e && m->n_entries >= 2 * m->max_complaints) {
		/* Timers may come before their complaints, but not without end. */
		free(reason);
		m->over_capacity++;
		set_err(err, errlen, "over capacity (timers without complaints)");
		return false;
	}
	if (!e && !(e = entry_new(m, msg->id, 0)))
		goto oom;

	if (!same) {
		free_strings(e, false, true);
		e->view.paused_reason = reason ? reason : "";
	}
	e->view.has_sla = true;
	e->view.due_at = s->due_at;
	e->view.target_s = s->target_s;
	e->view.paused = s->paused;
	e->view.responded_at = s->responded_at;
	if (!e->has_timer)
		m->n_timers++;
	e->has_timer = true;
	e->timer_confirmed = true;
	entry_sync(m, e);
	/* A timer re-sent without responded_at (reopened) keeps the
	 * response already seen: it did happen and counts for its day. */
	if (s->responded_at != 0)
		record_set(m, e, s->responded_at, s->responded_at <= s->due_at);
	return true;
oom:
	free(reason);
	set_err(err, errlen, "out of memory");
	log_error("model", "timer %s: out of memory", msg->id);
	return false;
}

static bool apply_sla_remove(struct model *m, const char *id)
{
	struct entry *e = entry_find(m, id);
	if (!e || !e->has_timer)
		return true;
	timer_drop(m, e);
	entry_free_if_empty(m, e);
	return true;
}

static bool id_valid(const struct msg *msg, char *err, size_t errlen)
{
	size_t len = strnlen(msg->id, sizeof msg->id);
	if (len == 0 || len == sizeof msg->id) {
		set_err(err, errlen, "message without a valid id");
		return false;
	}
	return true;
}

bool model_apply(struct model *m, const struct msg *msg, char *err, size_t errlen)
{
	m->changes++;
	switch (msg->kind) {
	case MSG_COMPLAINT:
		return id_valid(msg, err, errlen) && apply_complaint(m, msg, err, errlen);
	case MSG_COMPLAINT_REMOVE:
		return id_valid(msg, err, errlen) && apply_complaint_remove(m, msg->id);
	case MSG_SLA:
		return id_valid(msg, err, errlen) && apply_sla(m, msg, err, errlen);
	case MSG_SLA_REMOVE:
		return id_valid(msg, err, errlen) && apply_sla_remove(m, msg->id);
	case MSG_CRISIS:
		m->crisis = msg->u.crisis;
		m->has_crisis = true;
		m->crisis_confirmed = true;
		return true;
	case MSG_CRISIS_CLEAR:
		m->has_crisis = false;
		return true;
	case MSG_ACK:
	case MSG_ACK_REMOVE:
	case MSG_STEP:         /* the crisis module's (crisis.h) */
	case MSG_STEP_REMOVE:
	case MSG_PRODUCER:
	case MSG_PRODUCER_REMOVE:
		return true;
	}
	return true;
}

/* ---- lifetime ---- */

struct model *model_init(const char *const *channel_keys, size_t n)
{
	struct model *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->n_slots = TABLE_MIN_SLOTS;
	m->max_complaints = MODEL_DEFAULT_MAX_COMPLAINTS;
	m->slots = calloc(m->n_slots, sizeof *m->slots);
	if (!m->slots)
		goto oom;
	index_init(&m->active_public, INDEX_AT(struct entry, by_due_vis, serial),
		   INDEX_AT(struct entry, by_due_vis, linked_due));
	index_init(&m->active_other, INDEX_AT(struct entry, by_due_vis, serial),
		   INDEX_AT(struct entry, by_due_vis, linked_due));
	for (size_t i = 0; channel_keys && i < n; i++) {
		const char *k = channel_keys[i];
		size_t dup;
		if (!k || !k[0] || strlen(k) >= MSG_CHANNEL_MAX || m->n_ch == MODEL_MAX_CHANNELS) {
			log_warn("model", "channel %s not created (empty, too long or too many)",
				 k ? k : "(null)");
			continue;
		}
		if (!channel_find(m, k, &dup))
			channel_add(m, k);
	}
	return m;
oom:
	log_error("model", "out of memory");
	model_destroy(m);
	return NULL;
}

void model_destroy(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->slots && i < m->n_slots; i++) {
		struct entry *e = m->slots[i];
		if (e) {
			free_strings(e, true, true);
			free(e);
		}
	}
	free(m->slots);
	free(m);
}

/* ---- resync ---- */

/* One of two O(n) walks, once per reconnect (a bit an entry instead of
 * a generation number of 4 bytes for each part: see struct entry). */
void model_resync_begin(struct model *m)
{
	for (size_t i = 0; i < m->n_slots; i++)
		if (m->slots[i])
			m->slots[i]->complaint_confirmed = m->slots[i]->timer_confirmed = false;
	m->crisis_confirmed = false;
	m->over_capacity_gen = m->over_capacity; /* counted anew for this round */
}

void model_keep(struct model *m, enum msg_kind kind, const char *id)
{
	struct entry *e = kind == MSG_CRISIS || !id ? NULL : entry_find(m, id);
	if (kind == MSG_CRISIS && m->has_crisis)
		m->crisis_confirmed = true;
	else if (kind == MSG_COMPLAINT && e && e->has_complaint)
		e->complaint_confirmed = true;
	else if (kind == MSG_SLA && e && e->has_timer)
		e->timer_confirmed = true;
}

/* Drops what is unconfirmed; parts go through the same path as a
 * removal message. How many it dropped. */
static size_t drop_unconfirmed(struct model *m, struct entry *e)
{
	size_t dropped = 0;
	if (e->has_complaint && !e->complaint_confirmed) {
		complaint_drop(m, e);
		dropped++;
	}
	if (e->has_timer && !e->timer_confirmed) {
		timer_drop(m, e);
		dropped++;
	}
	entry_free_if_empty(m, e);
	return dropped;
}

/* The other walk. Freeing an entry moves later ones back into its slot
 * (table_remove), so a slot is looked at again until it keeps what it
 * holds; an entry moved back across the table's end is looked at twice,
 * which drops nothing more (it is confirmed by then). */
size_t model_resync_end(struct model *m)
{
	size_t dropped = 0;
	for (size_t i = 0; i < m->n_slots;) {
		struct entry *e = m->slots[i];
		if (e)
			dropped += drop_unconfirmed(m, e);
		if (!e || m->slots[i] == e)
			i++;
	}
	if (m->has_crisis && !m->crisis_confirmed) {
		m->has_crisis = false;
		dropped++;
	}
	m->changes += dropped;
	return dropped;
}

/* ---- queries ---- */

uint64_t model_changes(const struct model *m)
{
	return m->changes;
}

size_t model_channel_count(const struct model *m)
{
	return m->n_ch;
}

const char *model_channel_key(const struct model *m, size_t idx)
{
	return idx < m->n_ch ? m->ch[idx].key : NULL;
}

/* The earlier of two nodes' keys, 0 when neither is there. */
static int64_t min_key(const struct index *ia, const struct index_node *a,
		       const struct index *ib, const struct index_node *b)
{
	int64_t ka = a ? index_key(ia, a) : 0, kb = b ? index_key(ib, b) : 0;
	return a && b ? (ka < kb ? ka : kb) : a ? ka : kb;
}

/* The timer fields of channel_stats from the active timers in one index
 * or two (b may be NULL). */
static void due_stats(const struct index *a, const struct index *b, int64_t now,
		      int64_t at_risk_s, struct channel_stats *out)
{
	const struct index *ix[2] = { a, b };
	int64_t horizon = add_sat(now, at_risk_s > 0 ? at_risk_s : 0);
	size_t breached = 0, within = 0;
	const struct index_node *next[2] = { NULL, NULL }, *first[2] = { NULL, NULL };
	for (int i = 0; i < 2 && ix[i]; i++) {
		breached += index_rank(ix[i], now);
		within += index_rank(ix[i], horizon);
		next[i] = now < INT64_MAX ? index_lower_bound(ix[i], now + 1) : NULL;
		first[i] = index_first(ix[i]);
	}
	out->breached = (uint32_t)breached;
	out->at_risk = (uint32_t)(within - breached);
	out->next_due_at = min_key(a, next[0], b, next[1]);
	out->oldest_due_at = min_key(a, first[0], b, first[1]);
}

void model_channel_stats(const struct model *m, size_t idx, int64_t now,
			 int64_t at_risk_s, struct channel_stats *out)
{
	memset(out, 0, sizeof *out);
	if (idx >= m->n_ch)
		return;
	const struct channel *c = &m->ch[idx];
	out->open = c->open;
	out->waiting = c->waiting;
	out->paused = c->paused;
	const struct index_node *n = index_first(&c->waiting_by_opened);
	out->oldest_waiting_since = n ? index_key(&c->waiting_by_opened, n) : 0;
	due_stats(&c->active_by_due, NULL, now, at_risk_s, out);
}

void model_totals(const struct model *m, int64_t now, int64_t at_risk_s,
		  struct channel_stats *out)
{
	memset(out, 0, sizeof *out);
	bool have_oldest = false;
	for (size_t i = 0; i < m->n_ch; i++) {
		const struct channel *c = &m->ch[i];
		out->open += c->open;
		out->waiting += c->waiting;
		out->paused += c->paused;
		const struct index_node *n = index_first(&c->waiting_by_opened);
		int64_t key = n ? index_key(&c->waiting_by_opened, n) : 0;
		if (n && (!have_oldest || key < out->oldest_waiting_since)) {
			out->oldest_waiting_since = key;
			have_oldest = true;
		}
	}
	due_stats(&m->active_public, &m->active_other, now, at_risk_s, out);
}

/* Up to max entries from n (in ix) on while due_at <= last. */
static size_t collect(const struct index *ix, const struct index_node *n, int64_t last,
		      size_t off, const struct complaint **out, size_t max)
{
	size_t k = 0;
	for (; n && k < max && index_key(ix, n) <= last; n = index_next(ix, n)) {
		const struct entry *e = (const struct entry *)((const char *)n - off);
		out[k++] = &e->view;
	}
	return k;
}

/* Breached timers of one visibility in the minute [lo + 1, hi], from
 * the off-th on. */
static size_t collect_vis(const struct index *ix, int64_t lo, int64_t hi, size_t off,
			  const struct complaint **out, size_t max)
{
	size_t first = index_rank(ix, lo) + off;
	if (first >= index_rank(ix, hi))
		return 0;
	return collect(ix, index_select(ix, first), hi, offsetof(struct entry, by_due_vis),
		       out, max);
}

/* The first position in a whose key has more than k nodes of a and b
 * at or below it, or count(a) when none has. */
static size_t first_above(const struct index *a, const struct index *b, size_t k)
{
	size_t lo = 0, hi = index_count(a);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t key = index_key(a, index_select(a, mid));
		if (index_rank(a, key) + index_rank(b, key) > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The key of the k-th (from 0) node of a and b together, in order;
 * k < count(a) + count(b). The smallest key with more than k nodes at or
 * below it lies in a or in b: O(log^2 n). */
static int64_t union_key(const struct index *a, const struct index *b, size_t k)
{
	size_t i = first_above(a, b, k), j = first_above(b, a, k);
	const struct index_node *x = i < index_count(a) ? index_select(a, i) : NULL;
	const struct index_node *y = j < index_count(b) ? index_select(b, j) : NULL;
	return min_key(a, x, b, y);
}

/* Breached timers come in minutes of due_at (the breach list's order is
 * by due_at, and a minute's breaches lie together in it): a page is
 * filled minute by minute, each minute's public ones first, found by
 * rank in the split indexes. O(log n) per minute on the page. */
size_t model_breached(const struct model *m, int64_t now, size_t skip,
		      const struct complaint **out, size_t max)
{
	const struct index *p = &m->active_public, *o = &m->active_other;
	size_t total = index_rank(p, now) + index_rank(o, now), k = 0;
	while (k < max && skip < total) {
		int64_t key = union_key(p, o, skip);
		int64_t minute = key - ((key % 60) + 60) % 60;
		int64_t lo = minute - 1, hi = minute + 59 < now ? minute + 59 : now;
		size_t start = index_rank(p, lo) + index_rank(o, lo);
		size_t off = skip - start;
		size_t pub = index_rank(p, hi) - index_rank(p, lo);
		size_t got;
		if (off < pub)
			got = collect_vis(&m->active_public, lo, hi, off, out + k, max - k);
		else
			got = collect_vis(&m->active_other, lo, hi, off - pub, out + k, max - k);
		if (got == 0)
			break; /* cannot happen: the indexes hold the same timers */
		k += got;
		skip += got;
	}
	return k;
}

size_t model_channel_due_between(const struct model *m, size_t channel, int64_t from,
				 int64_t to)
{
	if (channel >= m->n_ch || to <= from)
		return 0;
	const struct index *ix = &m->ch[channel].active_by_due;
	return index_rank(ix, to) - index_rank(ix, from);
}

/* n while its key is at most last, else NULL. */
static const struct index_node *up_to(const struct index *ix, const struct index_node *n,
				      int64_t last)
{
	return n && index_key(ix, n) <= last ? n : NULL;
}

/* Soonest due first from both split indexes, in the order one index of
 * them all would have: by due_at, then serial. */
size_t model_at_risk(const struct model *m, int64_t now, int64_t at_risk_s,
		     const struct complaint **out, size_t max)
{
	if (now == INT64_MAX || at_risk_s <= 0)
		return 0;
	const struct index *ix[2] = { &m->active_public, &m->active_other };
	int64_t last = add_sat(now, at_risk_s);
	const struct index_node *n[2] = { up_to(ix[0], index_lower_bound(ix[0], now + 1), last),
					  up_to(ix[1], index_lower_bound(ix[1], now + 1), last) };
	size_t k = 0;
	while (k < max && (n[0] || n[1])) {
		const struct entry *e0 = n[0] ? index_entry(n[0], struct entry, by_due_vis) : NULL;
		const struct entry *e1 = n[1] ? index_entry(n[1], struct entry, by_due_vis) : NULL;
		int i = !e0 || (e1 && (e1->linked_due < e0->linked_due ||
				       (e1->linked_due == e0->linked_due && e1->serial < e0->serial)));
		out[k++] = &(i ? e1 : e0)->view;
		n[i] = up_to(ix[i], index_next(ix[i], n[i]), last);
	}
	return k;
}

size_t model_channel_breached(const struct model *m, size_t channel,
			      int64_t now, const struct complaint **out, size_t max)
{
	if (channel >= m->n_ch)
		return 0;
	const struct index *ix = &m->ch[channel].active_by_due;
	return collect(ix, index_first(ix), now,
		       offsetof(struct entry, by_due_ch), out, max);
}

const struct complaint *model_find(const struct model *m, const char *id)
{
	const struct entry *e = entry_find(m, id);
	return e && e->has_complaint ? &e->view : NULL;
}

size_t model_complaint_count(const struct model *m)
{
	return m->n_complaints;
}

size_t model_entry_count(const struct model *m)
{
	return m->n_entries;
}

size_t model_timer_count(const struct model *m)
{
	return m->n_timers;
}

const struct msg_crisis *model_crisis(const struct model *m)
{
	return m->has_crisis ? &m->crisis : NULL;
}

/* ---- attainment ---- */

void model_attainment(const struct model *m, int64_t day_start, struct attainment *out)
{
	out->answered = out->on_time = 0;
	folded_range(m, day_start, add_sat(day_start, DAY_S), out);
}

/* Records dated after tomorrow (a producer's clock, a typo) would never
 * reach a day's window and never be pruned by age: they go too. */
void model_prune_day(struct model *m, int64_t day_start)
{
	if (m->pruned && m->pruned_day == day_start)
		return;
	for (size_t i = 0; i < FOLD_MINUTES; i++) {
		struct folded *f = &m->folded[i];
		if (f->answered && !in_kept_days(minute_start(f->minute), day_start)) {
			slot_clear(f);
			m->changes++;
		}
	}
	m->pruned = true;
	m->pruned_day = day_start;
}

void model_set_max_complaints(struct model *m, size_t max)
{
	m->max_complaints = max ? max : MODEL_DEFAULT_MAX_COMPLAINTS;
}

uint64_t model_over_capacity(const struct model *m)
{
	return m->over_capacity;
}

bool model_is_over_capacity(const struct model *m)
{
	return m->over_capacity != m->over_capacity_gen;
}
