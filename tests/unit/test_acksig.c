/* test_acksig.c - signed acks: keys on disk, signatures through the real
 * publish -> decode -> apply path between two boards' alarms, and what a
 * board with a key refuses (unsigned, forged, tampered, replayed). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acksig.h"
#include "alarms.h"
#include "decode.h"
#include "log.h"
#include "model.h"

#include "check.h"
#include "fixture.h"

#define T0 INT64_C(1795425120) /* 2026-11-23T09:12:00Z */

static char dir[] = "/tmp/wb-acksig.XXXXXX";
static struct msg msgbuf;

static void write_file(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		exit(2);
	}
	fchmod(fd, mode); /* the umask must not decide the test */
	close(fd);
}

static void test_key_files(void)
{
	char path[256];
	struct acksig_key k;
	static const struct {
		const char *text;
		mode_t mode;
		bool ok;
		const char *what;
	} rows[] = {
		{ "0123456789abcdef0123456789abcdef", 0600, true, "32 bytes, 0600" },
		{ "0123456789abcdef0123456789abcdef", 0400, true, "32 bytes, 0400" },
		{ "0123456789abcdef0123456789abcde", 0600, false, "31 bytes" },
		{ "0123456789abcdef0123456789abcdef", 0640, false, "group may read" },
		{ "0123456789abcdef0123456789abcdef", 0604, false, "others may read" },
		{ "0123456789abcdef0123456789abcdef", 0620, false, "group may write" },
		{ "", 0600, false, "empty" },
	};
	snprintf(path, sizeof path, "%s/key", dir);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		write_file(path, rows[i].text, rows[i].mode);
		bool ok = acksig_key_load(path, &k);
		checkf(ok == rows[i].ok, "key file %s: loaded %d", rows[i].what, ok);
		checkf(ok ? k.len == strlen(rows[i].text) : k.len == 0,
		       "key file %s: len %zu", rows[i].what, k.len);
	}
	CHECK(!acksig_key_load("/nonexistent/key", &k));

	/* --make-ack-key: 0600, 64 hex digits + newline, never overwrites. */
	snprintf(path, sizeof path, "%s/made", dir);
	CHECK(acksig_key_make(path));
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 65);
	CHECK(acksig_key_load(path, &k) && k.len == 65);
	struct acksig_key k2;
	char path2[256];
	snprintf(path2, sizeof path2, "%s/made2", dir);
	CHECK(acksig_key_make(path2) && acksig_key_load(path2, &k2));
	CHECK(memcmp(k.bytes, k2.bytes, 64) != 0); /* random, not constant */
	CHECK(!acksig_key_make(path));              /* exists: refused */
	CHECK(acksig_key_load(path, &k2) && memcmp(k.bytes, k2.bytes, k.len) == 0);
}

static void make_key(struct acksig_key *k, char fill)
{
	memset(k, 0, sizeof *k);
	memset(k->bytes, fill, 32);
	k->len = 32;
}

static void test_sign_verify(void)
{
	struct acksig_key k, other;
	make_key(&k, 'k');
	make_key(&other, 'o');
	struct msg_ack a = { .alarm = "crisis", .by = "dana", .at = T0,
			     .board = "floor3", .until = T0 + 900 };
	acksig_sign(&k, &a, a.sig);
	CHECK(strlen(a.sig) == ACKSIG_HEX_LEN && strspn(a.sig, "0123456789abcdef") == 64);
	CHECK(acksig_verify(&k, &a));
	CHECK(!acksig_verify(&other, &a));
	/* Each field is covered; the encoding is unambiguous. */
	static const struct { const char *field; } rows[] = {
		{ "alarm" }, { "by" }, { "board" }, { "at" }, { "until" }, { "shift" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct msg_ack t = a;
		const char *f = rows[i].field;
		if (!strcmp(f, "alarm"))
			strcpy(t.alarm, "breach:x");
		else if (!strcmp(f, "by"))
			strcpy(t.by, "mallory");
		else if (!strcmp(f, "board"))
			strcpy(t.board, "floor");
		else if (!strcmp(f, "at"))
			t.at++;
		else if (!strcmp(f, "until"))
			t.until += 3600;
		else { /* "dana"+"floor3" vs "danaf"+"loor3" */
			strcpy(t.by, "danaf");
			strcpy(t.board, "loor3");
		}
		checkf(!acksig_verify(&k, &t), "changed %s still verifies", f);
	}
	struct msg_ack t = a;
	t.sig[0] = t.sig[0] == 'a' ? 'b' : 'a';
	CHECK(!acksig_verify(&k, &t));
	t.sig[0] = '\0';
	CHECK(!acksig_verify(&k, &t));
	CHECK(!acksig_verify(NULL, &a));
}

/* ---- two boards through the real message path ---- */

static struct alarms *board(const char *id, const struct acksig_key *key)
{
	struct alarms_options o = {
		.prefix = "wb", .board_id = id, .snooze_s = 900,
		.escalate_after_s = 300, .flood_threshold = 5, .linger_s = 10, .key = key,
	};
	return alarms_init(&o);
}

static void apply(struct model *m, const struct msg *msg)
{
	char err[128];
	if (!model_apply(m, msg, err, sizeof err)) {
		fprintf(stderr, "model_apply: %s\n", err);
		exit(2);
	}
}

static void breach(struct model *m, const char *id, int64_t due_at)
{
	apply(m, fixture_complaint(&msgbuf, id, "web", "Dana", "", due_at - 3600,
				   PRIORITY_NORMAL, STATUS_OPEN));
	apply(m, fixture_sla(&msgbuf, id, 1800, due_at, false, 0));
}

static enum alarm_state state_of(const struct alarms *a, const char *id)
{
	struct alarm_view v;
	return alarms_find(a, id, &v) ? v.state : (enum alarm_state)-1;
}

/* Takes the one ack a published and decodes it as the broker would
 * deliver it. */
static bool take_ack(struct alarms *a, struct msg *out)
{
	struct alarm_out o;
	char err[160];
	if (alarms_take_outbox(a, &o, 1) != 1)
		return false;
	return decode_message("wb", o.topic, o.payload, o.len, out, err, sizeof err) &&
	       out->kind == MSG_ACK;
}

/* Decodes a hand-written ack as a forger would publish it. */
static bool forge(const char *topic, const char *json, struct msg *out)
{
	char err[160];
	return decode_message("wb", topic, json, strlen(json), out, err, sizeof err);
}

static void test_boards(void)
{
	struct acksig_key k, other;
	make_key(&k, 'k');
	make_key(&other, 'o');
	struct model *m = model_init(NULL, 0);
	struct alarms *a = board("a", &k), *b = board("b", &k);
	struct alarms *stranger = board("s", &other), *open = board("o", NULL);
	breach(m, "c1", T0 - 100);
	breach(m, "c2", T0 - 100);
	alarms_update(a, m, T0);
	alarms_update(b, m, T0);
	alarms_update(stranger, m, T0);
	alarms_update(open, m, T0);

	/* A signs; B verifies and shows it; a board of another site and a
	 * board without a key differ as they should. */
	struct msg ack;
	CHECK(alarms_ack(a, "breach:c1", "dana", T0 + 5));
	CHECK(take_ack(a, &ack) && strlen(ack.u.ack.sig) == ACKSIG_HEX_LEN);
	CHECK(alarms_apply_ack(b, &ack.u.ack, T0 + 6));
	CHECK(state_of(b, "breach:c1") == ALARM_ACKED);
	CHECK(!alarms_apply_ack(stranger, &ack.u.ack, T0 + 6));
	CHECK(state_of(stranger, "breach:c1") == ALARM_FIRING);
	CHECK(alarms_acks_refused(stranger) == 1);
	CHECK(alarms_apply_ack(open, &ack.u.ack, T0 + 6));
	CHECK(alarms_acks_refused(b) == 0 && alarms_acks_refused(open) == 0);

	/* Forged: unsigned, a made-up signature, a signed ack with a field
	 * changed. None silences anything; each is counted. */
	struct msg f;
	CHECK(forge("wb/acks/breach:c2", "{\"alarm\":\"breach:c2\",\"by\":\"dana\","
		    "\"at\":1795425125,\"until\":0}", &f));
	CHECK(!alarms_apply_ack(b, &f.u.ack, T0 + 6));
	CHECK(forge("wb/acks/breach:c2", "{\"alarm\":\"breach:c2\",\"by\":\"dana\","
		    "\"at\":1795425125,\"until\":1795426025,\"sig\":\""
		    "00000000000000000000000000000000000000000000000000000000000000ff\"}", &f));
	CHECK(!alarms_apply_ack(b, &f.u.ack, T0 + 6));
	struct msg t = ack;
	t.u.ack.until += 86400;
	CHECK(!alarms_apply_ack(b, &t.u.ack, T0 + 6));
	CHECK(state_of(b, "breach:c2") == ALARM_FIRING);
	CHECK(alarms_acks_refused(b) == 3);
	CHECK(alarms_acks_refused(open) == 0); /* without a key all are taken */
	CHECK(alarms_apply_ack(open, &f.u.ack, T0 + 6));

	/* An empty payload (cannot be signed) withdraws: louder, never quieter. */
	CHECK(alarms_remove_ack(b, "breach:c1", T0 + 7));
	CHECK(state_of(b, "breach:c1") == ALARM_FIRING);

	/* Replays. The breach clears and comes back (a new due_at): the old
	 * signed ack, republished, is older than the new occurrence. */
	CHECK(alarms_apply_ack(b, &ack.u.ack, T0 + 8)); /* same occurrence: fine */
	apply(m, fixture_msg(&msgbuf, MSG_SLA_REMOVE, "c1"));
	alarms_update(b, m, T0 + 30);
	alarms_update(b, m, T0 + 50);
	breach(m, "c1", T0 + 600);
	alarms_update(b, m, T0 + 700);
	CHECK(state_of(b, "breach:c1") == ALARM_FIRING);
	uint64_t before = alarms_acks_refused(b);
	CHECK(!alarms_apply_ack(b, &ack.u.ack, T0 + 701));
	CHECK(state_of(b, "breach:c1") == ALARM_FIRING);
	CHECK(alarms_acks_refused(b) == before + 1);
	/* Held before the alarm shows, then refused when it does. */
	struct alarms *c = board("c", &k);
	CHECK(!alarms_apply_ack(c, &ack.u.ack, T0 + 701));
	alarms_update(c, m, T0 + 702);
	CHECK(state_of(c, "breach:c1") == ALARM_FIRING);
	CHECK(alarms_acks_refused(c) == 1);
	/* After its until an old ack does nothing anyway. */
	CHECK(!alarms_apply_ack(b, &ack.u.ack, T0 + 5 + 900 + 1));

	/* Signed by a board of this site, but longer than the snooze, or from
	 * the future: refused. */
	struct alarms *d = board("d", &k);
	alarms_update(d, m, T0 + 700);
	struct msg_ack longer = { .alarm = "breach:c1", .by = "dana", .at = T0 + 700,
				  .board = "x", .until = T0 + 700 + 901 };
	acksig_sign(&k, &longer, longer.sig);
	CHECK(!alarms_apply_ack(d, &longer, T0 + 701));
	struct msg_ack forever = longer;
	forever.until = 0;
	acksig_sign(&k, &forever, forever.sig);
	CHECK(!alarms_apply_ack(d, &forever, T0 + 701));
	struct msg_ack future = { .alarm = "breach:c1", .by = "dana", .at = T0 + 7000,
				  .board = "x", .until = T0 + 7900 };
	acksig_sign(&k, &future, future.sig);
	CHECK(!alarms_apply_ack(d, &future, T0 + 701));
	struct msg_ack fresh = { .alarm = "breach:c1", .by = "dana", .at = T0 + 700,
				 .board = "x", .until = T0 + 1600 };
	acksig_sign(&k, &fresh, fresh.sig);
	CHECK(alarms_apply_ack(d, &fresh, T0 + 701));
	CHECK(state_of(d, "breach:c1") == ALARM_ACKED);
	CHECK(alarms_acks_refused(d) == 3);

	alarms_destroy(a);
	alarms_destroy(b);
	alarms_destroy(c);
	alarms_destroy(d);
	alarms_destroy(stranger);
	alarms_destroy(open);
	model_destroy(m);
}

static void test_decode_sig(void)
{
	static const struct {
		const char *sig;
		bool ok;
	} rows[] = {
		{ "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", true },
		{ "null", true },
		{ "\"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"", false },
		{ "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\"", false },
		{ "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\"", false },
		{ "\"\"", false },
		{ "42", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char json[256], err[160];
		snprintf(json, sizeof json, "{\"alarm\":\"crisis\",\"by\":\"d\",\"at\":1,\"sig\":%s}", rows[i].sig);
		bool ok = decode_message("wb", "wb/acks/crisis", json, strlen(json), &msgbuf,
					 err, sizeof err);
		checkf(ok == rows[i].ok, "sig %s: decoded %d (%s)", rows[i].sig, ok, err);
	}
}

int main(void)
{
	log_set_level(LOG_ERROR);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	test_key_files();
	test_sign_verify();
	test_boards();
	test_decode_sig();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_summary();
}
