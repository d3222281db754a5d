/* test_declare.c - a crisis declared from a surge alarm: the payload a
 * board publishes, from the config, checked field by field and read back
 * through the board's own decoder; offered only with a playbook; signed
 * with the ack key so that acksig verifies it. */
#include "declare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "decode.h"
#include "log.h"
#include "check.h"

#define T0 INT64_C(1795425120) /* 2026-11-23T09:12:00Z */

static const struct declare_request req = {
	.by = "dana", .board = "floor3-east", .alarm = "surge:instagram",
	.channel = "instagram", .count = 23, .usual = 4, .now = T0,
};

static void load(struct config *cfg, const char *ini)
{
	config_defaults(cfg);
	if (!config_load_string(cfg, ini, "test.ini")) {
		fprintf(stderr, "config refused: %s\n", ini);
		exit(2);
	}
}

/* The payload as JSON compact text of one field, "" when missing. */
static char *field(const cJSON *o, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
	return j ? cJSON_PrintUnformatted(j) : strdup("");
}

/* check_getter (check.h) over a cJSON object: field() into buf. */
static bool json_field(const void *obj, const char *name, char *buf, size_t size)
{
	char *s = field(obj, name);
	snprintf(buf, size, "%s", s ? s : "");
	free(s);
	return true;
}

/* One config, the fields expected in what it declares. */
struct row {
	const char *name, *ini;
	const char *title, *level, *message, *playbook, *contacts;
};

static const struct row rows[] = {
	{ "defaults: a title from the surge, level 2, no message",
	  "[crisis]\nstep1 = Pause scheduled posts\n",
	  "\"Surge: Instagram\"", "2", "", "[\"Pause scheduled posts\"]", "[]" },
	{ "the board's language names the surge",
	  "[board]\nlang = he\n[crisis]\nstep1 = a\n",
	  "\"גל פניות: אינסטגרם\"", "2", "", "[\"a\"]", "[]" },
	{ "a channel's configured name",
	  "[channel.instagram]\nname = IG\n[crisis]\nstep1 = a\n",
	  "\"Surge: IG\"", "2", "", "[\"a\"]", "[]" },
	{ "everything configured; empty steps and contacts left out",
	  "[crisis]\nlevel = 3\ntitle = Payments down\nmessage = Cards fail\n"
	  "step2 = Pause scheduled posts\nstep5 = Call the escalation list\n"
	  "[contact.1]\nrole = On call\nname = Noa\nphone = +972 50 000 0000\n"
	  "[contact.2]\n[contact.pr]\nname = Avi\n",
	  "\"Payments down\"", "3", "\"Cards fail\"",
	  "[\"Pause scheduled posts\",\"Call the escalation list\"]",
	  "[{\"role\":\"On call\",\"name\":\"Noa\",\"phone\":\"+972 50 000 0000\"},"
	  "{\"name\":\"Avi\"}]" },
};

static void test_rows(void)
{
	static struct config cfg;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		check_ctx = r->name;
		load(&cfg, r->ini);
		char why[160] = "";
		CHECK(declare_offered(&cfg, why, sizeof why));
		char *text = declare_payload(&cfg, &req, NULL);
		cJSON *o = text ? cJSON_Parse(text) : NULL;
		CHECK(o != NULL);
		char want[1024];
		snprintf(want, sizeof want, "title=%s;level=%s;message=%s;playbook=%s;contacts=%s",
			 r->title, r->level, r->message, r->playbook, r->contacts);
		if (o)
			check_fields(r->name, o, json_field, want);
		check_fields(r->name, o, json_field,
			     "active=true;since=\"2026-11-23T09:12:00Z\";declared_by=\"dana\";"
			     "board=\"floor3-east\";"
			     "surge={\"alarm\":\"surge:instagram\",\"channel\":\"instagram\","
			     "\"count\":23,\"usual\":4,\"window_min\":10};"
			     "drill=false;"
			     "sig="); /* no key: unsigned */
		cJSON_Delete(o);
		free(text);
	}
	check_ctx = "";
}

/* Every board reads it as a crisis: the decoder takes all of it. */
static void test_decodes(void)
{
	static struct config cfg;
	static struct msg m;
	char why[256] = "";
	check_ctx = "decoded by the boards";
	load(&cfg, "[crisis]\nlevel = 3\nstep1 = Pause scheduled posts\nstep2 = Call Noa\n"
		   "[contact.1]\nrole = On call\nname = Noa\nphone = 100\n");
	struct declare_request d = req;
	d.drill = true;
	char *text = declare_payload(&cfg, &d, NULL);
	CHECK(text != NULL);
	CHECK(text && decode_message("wallboard", "wallboard/crisis", text, strlen(text), &m, why,
				     sizeof why));
	CHECK_EQ(m.kind, MSG_CRISIS);
	CHECK_EQ(m.bad_fields, 0);
	CHECK_EQ(m.u.crisis.level, 3);
	CHECK_EQ(m.u.crisis.since, T0);
	CHECK_EQ(m.u.crisis.n_playbook, 2);
	CHECK_STR(m.u.crisis.playbook[1], "Call Noa");
	CHECK_EQ(m.u.crisis.n_contacts, 1);
	CHECK_STR(m.u.crisis.contacts[0].phone, "100");
	CHECK_STR(m.u.crisis.declared_by, "dana");
	CHECK(m.u.crisis.drill); /* a drill surge declares a drill */
	free(text);
	check_ctx = "";
}

static void test_not_offered(void)
{
	static struct config cfg;
	char why[160] = "";
	check_ctx = "no playbook";
	load(&cfg, "[crisis]\ntitle = x\n[contact.1]\nname = Noa\n");
	CHECK(!declare_offered(&cfg, why, sizeof why));
	CHECK(strstr(why, "no playbook") != NULL);
	CHECK(declare_payload(&cfg, &req, NULL) == NULL); /* logged */
	check_ctx = "";
}

/* Signed: the acks' HMAC over crisis:<since>, by, board, at, until 0. */
static void test_signed(void)
{
	static struct config cfg;
	struct acksig_key key = { .len = 32 };
	memset(key.bytes, 0x5a, key.len);
	check_ctx = "signed";
	load(&cfg, "[crisis]\nstep1 = a\n");
	char *text = declare_payload(&cfg, &req, &key);
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	const cJSON *sig = o ? cJSON_GetObjectItemCaseSensitive(o, "sig") : NULL;
	CHECK(cJSON_IsString(sig) && strlen(sig->valuestring) == ACKSIG_HEX_LEN);
	struct msg_ack rec = { .at = T0 };
	snprintf(rec.alarm, sizeof rec.alarm, "crisis:%lld", (long long)T0);
	snprintf(rec.by, sizeof rec.by, "dana");
	snprintf(rec.board, sizeof rec.board, "floor3-east");
	snprintf(rec.sig, sizeof rec.sig, "%s", cJSON_IsString(sig) ? sig->valuestring : "");
	CHECK(acksig_verify(&key, &rec));
	snprintf(rec.by, sizeof rec.by, "mallory");
	CHECK(!acksig_verify(&key, &rec)); /* it covers who declared */
	cJSON_Delete(o);
	free(text);
	check_ctx = "";
}

/* Ended on a board: the crisis topic cleared with who, where, when and
 * which crisis, read by the boards as a clear; signed over
 * crisis-end:<since>; nothing without who or which. */
static void test_end(void)
{
	static struct msg m;
	char why[256] = "";
	struct acksig_key key = { .len = 32 };
	memset(key.bytes, 0x5a, key.len);
	check_ctx = "end";
	struct declare_end e = { .by = "dana", .board = "floor3-east", .since = T0,
				 .now = T0 + 600 };
	char *text = declare_end_payload(&e, &key);
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	check_fields("end", o, json_field,
		     "active=false;ended_by=\"dana\";board=\"floor3-east\";"
		     "since=\"2026-11-23T09:12:00Z\";at=\"2026-11-23T09:22:00Z\"");
	CHECK(text && decode_message("wallboard", "wallboard/crisis", text, strlen(text), &m, why,
				     sizeof why));
	CHECK_EQ(m.kind, MSG_CRISIS_CLEAR);
	const cJSON *sig = o ? cJSON_GetObjectItemCaseSensitive(o, "sig") : NULL;
	struct msg_ack rec = { .at = T0 + 600 };
	snprintf(rec.alarm, sizeof rec.alarm, "crisis-end:%lld", (long long)T0);
	snprintf(rec.by, sizeof rec.by, "dana");
	snprintf(rec.board, sizeof rec.board, "floor3-east");
	snprintf(rec.sig, sizeof rec.sig, "%s", cJSON_IsString(sig) ? sig->valuestring : "");
	CHECK(acksig_verify(&key, &rec));
	snprintf(rec.alarm, sizeof rec.alarm, "crisis:%lld", (long long)T0);
	CHECK(!acksig_verify(&key, &rec)); /* an end is no declaration */
	cJSON_Delete(o);
	free(text);
	text = declare_end_payload(&e, NULL);
	CHECK(text && !strstr(text, "\"sig\"")); /* no key: unsigned */
	free(text);
	e.by = "";
	CHECK(declare_end_payload(&e, NULL) == NULL); /* logged */
	e.by = "dana";
	e.since = 0;
	CHECK(declare_end_payload(&e, NULL) == NULL);
	check_ctx = "";
}

int main(void)
{
	test_rows();
	test_decodes();
	test_not_offered();
	test_signed();
	test_end();
	return check_summary();
}
