/* ingest.h - messages from the broker into the board's state: decode,
 * then the model, producers, acks, crisis steps and surge counts.
 *
 * Bad input is logged under one budget and counted; the board keeps
 * running and nothing already shown is lost (a retained message that
 * fails keeps what it replaces through the resync, model_keep). */
#ifndef WALLBOARD_INGEST_H
#define WALLBOARD_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alarms.h"
#include "crisis.h"
#include "dump.h"
#include "model.h"
#include "producers.h"
#include "surge.h"

/* What messages change; all must outlive the ingest. */
struct ingest_targets {
	const char *prefix;              /* the topics' prefix (mqtt.prefix) */
	struct model *model;
	struct alarms *alarms;           /* acks */
	struct crisis *crisis;           /* playbook steps */
	struct producers *producers;     /* heartbeats, announced counts */
	struct surge *surge;             /* arrivals */
	struct dump_counters *counters;  /* received, applied, rejected, ... */
};

struct ingest;

struct ingest *ingest_create(const struct ingest_targets *t);
void ingest_destroy(struct ingest *in);

enum ingest_result {
	INGEST_REJECTED,   /* counted and logged: only the counter changed */
	INGEST_APPLIED,    /* the board's state changed */
};

/* One message from the broker; retained: it came with the retained flag. */
enum ingest_result ingest_message(struct ingest *in, const char *topic, const void *payload,
				  size_t len, bool retained, int64_t now);

/* What this board itself sent and shows before the broker has it, any
 * kind, applied as the broker's echo will be: an ack, a step or the
 * removal of either replayed from the journal, a crisis a lead declared
 * or ended (with the link down too: the wall shows what the lead did).
 * Not counted as received. False when it does not decode. */
bool ingest_local(struct ingest *in, const char *topic, const void *payload, size_t len,
		  int64_t now);

/* Epoch s of the last message taken (0: none yet). */
int64_t ingest_last_message_at(const struct ingest *in);

#endif
