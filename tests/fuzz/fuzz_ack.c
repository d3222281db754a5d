/* fuzz_ack.c - libFuzzer target for acks as a board with a key receives
 * them: the payload is decoded on an ack topic, then its signature is
 * checked and it is applied to an alarms table that shows the alarm.
 *
 * Input: the payload of <prefix>/acks/crisis (raw bytes). Besides memory
 * errors it checks the promise of acksig.h: only an ack whose signature
 * verifies under the key ever acknowledges the alarm. An input that is a
 * correctly signed ack is reachable only through the seed corpus (the
 * fuzzer cannot guess an HMAC): tests/fuzz/ack holds one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acksig.h"
#include "alarms.h"
#include "decode.h"
#include "log.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW INT64_C(1795425120) /* 2026-11-23T09:12:00Z */

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_ack: broken promise: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct msg m, crisis;
	static struct model *model;
	static struct acksig_key key;
	char err[160];
	if (!model) {
		log_set_level(LOG_ERROR); /* refusals are the normal case */
		memset(key.bytes, 'k', 32);
		key.len = 32;
		model = model_init(NULL, 0);
		crisis.kind = MSG_CRISIS;
		crisis.u.crisis.level = 2;
		strcpy(crisis.u.crisis.title, "Outage");
		crisis.u.crisis.since = NOW - 60;
		require(model_apply(model, &crisis, err, sizeof err), "crisis");
	}
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		return 0;
	memcpy(exact, data, size);
	bool ok = decode_message("wallboard", "wallboard/acks/crisis", exact, size, &m,
				 err, sizeof err);
	free(exact);
	if (!ok || m.kind != MSG_ACK)
		return 0;
	struct alarms_options o = {
		.prefix = "wallboard", .board_id = "fuzz", .snooze_s = 900,
		.escalate_after_s = 300, .flood_threshold = 5, .linger_s = 10, .key = &key,
	};
	struct alarms *a = alarms_init(&o);
	require(a != NULL, "alarms_init");
	alarms_update(a, model, NOW);
	bool verifies = acksig_verify(&key, &m.u.ack);
	alarms_apply_ack(a, &m.u.ack, NOW);
	struct alarm_view v;
	require(alarms_find(a, "crisis", &v), "crisis alarm");
	require(v.state != ALARM_ACKED || verifies, "an ack that does not verify silenced");
	require(alarms_acks_refused(a) <= 1, "one ack, refused at most once");
	alarms_destroy(a);
	return 0;
}
