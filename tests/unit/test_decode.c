/* test_decode.c - table-driven tests of the MQTT contract decoder.
 *
 * Each row is a topic and a payload with either the expected kind and
 * field values ("name=value;name=value", names from msg_field()) or, for
 * rejections, a substring the reason must contain. Expected epoch values
 * were computed independently (Python datetime), not by the decoder. */
#include "decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REJECT (-1)
#define T0 "2026-11-23T09:12:00Z" /* 1795425120 */

struct row {
	const char *topic;
	const char *payload;
	int kind;           /* enum msg_kind, or REJECT */
	const char *expect; /* fields, or a substring of the reason */
	const char *warn;   /* accepted rows: a substring of the dropped
	                       fields' reasons; NULL: none dropped */
	const char *prefix; /* NULL: "wallboard" */
	size_t len;         /* 0: strlen(payload) */
};

/* Most rows need only these four; the rest name their extra fields. */
#define ROW(t, p, k, e) { .topic = (t), .payload = (p), .kind = (k), .expect = (e) }
/* An accepted crisis with dropped fields: w is in the reason. */
#define SOFT(p, e, w) { .topic = "wallboard/crisis", .payload = (p), .kind = MSG_CRISIS, \
			.expect = (e), .warn = (w) }

#include "check.h"

/* The named field of a decoded message, as text. False: no such name. */
static bool msg_field(const void *obj, const char *name, char *buf, size_t size)
{
	const struct msg *m = obj;
	const struct msg_complaint *c = &m->u.complaint;
	const struct msg_sla *s = &m->u.sla;
	const struct msg_crisis *k = &m->u.crisis;
	const struct msg_ack *a = &m->u.ack;
	const struct msg_producer *pr = &m->u.producer;
	unsigned i;
	char sub[16];
#define STR(n, v) if (strcmp(name, n) == 0) return snprintf(buf, size, "%s", v), true
#define INT(n, v) if (strcmp(name, n) == 0) return snprintf(buf, size, "%" PRId64, (int64_t)(v)), true
	STR("id", m->id);
	STR("cid", c->id);
	STR("channel", c->channel);
	STR("customer", c->customer);
	STR("text", c->text);
	STR("assignee", c->assignee);
	INT("opened_at", c->opened_at);
	INT("priority", c->priority);
	INT("status", c->status);
	INT("visibility", c->visibility);
	INT("cdrill", c->drill);
	STR("sid", s->id);
	INT("target_s", s->target_s);
	INT("due_at", s->due_at);
	INT("paused", s->paused);
	STR("paused_reason", s->paused_reason);
	INT("responded_at", s->responded_at);
	INT("level", k->level);
	STR("title", k->title);
	STR("message", k->message);
	INT("since", k->since);
	INT("n_playbook", k->n_playbook);
	INT("n_contacts", k->n_contacts);
	INT("drill", k->drill);
	INT("bad_fields", m->bad_fields);
	if (sscanf(name, "playbook%u", &i) == 1 && i < MSG_PLAYBOOK_MAX)
		return snprintf(buf, size, "%s", k->playbook[i]), true;
	if (sscanf(name, "contact%u.%15s", &i, sub) == 2 && i < MSG_CONTACTS_MAX) {
		const struct msg_contact *ct = &k->contacts[i];
		const char *v = strcmp(sub, "role") == 0 ? ct->role :
				strcmp(sub, "name") == 0 ? ct->name :
				strcmp(sub, "phone") == 0 ? ct->phone : NULL;
		return v && snprintf(buf, size, "%s", v) >= 0;
	}
	STR("alarm", a->alarm);
	STR("by", a->by);
	INT("at", a->at);
	STR("board", a->board);
	INT("until", a->until);
	INT("online", pr->online);
	INT("interval_s", pr->interval_s);
	INT("p_at", pr->at);
	INT("open", pr->open);
	INT("sla", pr->sla);
#undef STR
#undef INT
	return false;
}

static const struct row rows[] = {
	/* --- complaints: valid --- */
	ROW("wallboard/complaints/c1",
	  "{\"id\":\"c1\",\"channel\":\"Phone\",\"customer\":\"דנה כהן\",\"text\":\"ההזמנה 4411 לא הגיעה\","
	  "\"opened_at\":\"" T0 "\",\"priority\":\"high\",\"assignee\":\"Avi\",\"status\":\"pending\"}",
	  MSG_COMPLAINT, "id=c1;cid=c1;channel=phone;customer=דנה כהן;text=ההזמנה 4411 לא הגיעה;"
	  "opened_at=1795425120;priority=1;status=1;assignee=Avi"),
	ROW("wallboard/complaints/c2",
	  "{\"channel\":\"WhatsApp\",\"text\":\"\",\"opened_at\":1795425120}",
	  MSG_COMPLAINT, "channel=whatsapp;text=;opened_at=1795425120;priority=0;status=0;customer=;assignee="),
	ROW("wallboard/complaints/c3",
	  "{\"channel\":\"email\",\"text\":\"x\",\"opened_at\":\"2026-11-23T11:12:00+02:00\",\"priority\":\"vip\",\"status\":\"answered\"}",
	  MSG_COMPLAINT, "opened_at=1795425120;priority=2;status=2"),
	ROW("wallboard/complaints/c4",
	  "{\"channel\":\"email\",\"text\":\"x\",\"opened_at\":\"2026-11-23T09:12:00.123-05:30\"}",
	  MSG_COMPLAINT, "opened_at=1795444920"),
	ROW("wallboard/complaints/c5",
	  "{\"channel\":\"chat\",\"text\":\"x\",\"opened_at\":\"2026-11-23t09:12:00z\"}",
	  MSG_COMPLAINT, "opened_at=1795425120"),
	ROW("wallboard/complaints/c6",
	  "{\"channel\":\"chat\",\"text\":\"x\",\"opened_at\":\"2024-02-29T23:59:59Z\",\"customer\":null,\"assignee\":null,\"priority\":null}",
	  MSG_COMPLAINT, "opened_at=1709251199;customer=;assignee=;priority=0"),
	ROW("wallboard/complaints/c7",
	  "{\"channel\":\"chat\",\"text\":\"x\",\"opened_at\":1e9,\"extra\":{\"a\":[1,2,{}]},\"Priority\":\"nonsense\"}",
	  MSG_COMPLAINT, "opened_at=1000000000;priority=0"),
	ROW("wallboard/complaints/c8", "  {\"channel\":\"c\",\"text\":\"t\",\"opened_at\":0}\r\n",
	  MSG_COMPLAINT, "opened_at=0"),
	ROW("wallboard/complaints/c9",
	  "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":253402300799}",
	  MSG_COMPLAINT, "opened_at=253402300799"),
	ROW("wallboard/complaints/c10",
	  "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"9999-12-31T23:59:59Z\"}",
	  MSG_COMPLAINT, "opened_at=253402300799"),
	ROW("wallboard/complaints/c11",
	  "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"2026-06-30T23:59:60Z\"}",
	  MSG_COMPLAINT, "opened_at=1782864000"),
	ROW("wallboard/complaints/c12",
	  "{\"channel\":\"1234567890123456789012345678901\",\"text\":\"\\u05e9\\u05dc\\u05d5\\u05dd\",\"opened_at\":1}",
	  MSG_COMPLAINT, "channel=1234567890123456789012345678901;text=שלום"),
	ROW("wallboard/complaints/c13", "{\"status\":\"resolved\"}",
	  MSG_COMPLAINT_REMOVE, "id=c13;cid=c13"),
	ROW("wallboard/complaints/c14", "", MSG_COMPLAINT_REMOVE, "id=c14;cid=c14"),
	/* --- complaints: visibility and drill (optional) --- */
	ROW("wallboard/complaints/v1",
	  "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1,\"visibility\":\"public\",\"drill\":true}",
	  MSG_COMPLAINT, "visibility=1;cdrill=1"),
	ROW("wallboard/complaints/v2",
	  "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1,\"visibility\":\"private\",\"drill\":false}",
	  MSG_COMPLAINT, "visibility=2;cdrill=0"),
	ROW("wallboard/complaints/v3",
	  "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1,\"visibility\":null,\"drill\":null}",
	  MSG_COMPLAINT, "visibility=0;cdrill=0"),
	ROW("wallboard/complaints/v4", "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1}",
	  MSG_COMPLAINT, "visibility=0;cdrill=0"),
	ROW("wallboard/complaints/v5",
	  "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1,\"visibility\":\"Public\"}",
	  REJECT, "field \"visibility\": unknown value \"Public\" (expected public|private)"),
	ROW("wallboard/complaints/v6",
	  "{\"channel\":\"x\",\"text\":\"t\",\"opened_at\":1,\"drill\":\"yes\"}",
	  REJECT, "field \"drill\": expected boolean, got string"),
	{ .topic = "acme/floor2/complaints/c15", .prefix = "acme/floor2",
	  .payload = "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":5}",
	  .kind = MSG_COMPLAINT, .expect = "id=c15" },
	ROW("wallboard/complaints/123456789012345678901234567890123456789012345678901234567890123",
	  "", MSG_COMPLAINT_REMOVE,
	  "id=123456789012345678901234567890123456789012345678901234567890123"),
	ROW("wallboard/complaints/תלונה-7", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":5}",
	  MSG_COMPLAINT, "id=תלונה-7"),

	/* --- sla: valid --- */
	ROW("wallboard/sla/c1",
	  "{\"id\":\"c1\",\"target_s\":3600,\"due_at\":\"" T0 "\",\"paused\":true,"
	  "\"paused_reason\":\"waiting for customer\",\"responded_at\":\"2026-11-23T09:30:00Z\"}",
	  MSG_SLA, "sid=c1;target_s=3600;due_at=1795425120;paused=1;paused_reason=waiting for customer;"
	  "responded_at=1795426200"),
	ROW("wallboard/sla/c2", "{\"due_at\":1795425120}", MSG_SLA,
	  "due_at=1795425120;paused=0;responded_at=0;target_s=0;paused_reason="),
	ROW("wallboard/sla/c3", "{\"due_at\":1795425120,\"responded_at\":null,\"paused\":null}",
	  MSG_SLA, "responded_at=0;paused=0"),
	ROW("wallboard/sla/c4", "", MSG_SLA_REMOVE, "id=c4;sid=c4"),

	/* --- crisis: valid --- */
	ROW("wallboard/crisis",
	  "{\"active\":true,\"level\":2,\"title\":\"Payment outage\",\"message\":\"Card payments fail\","
	  "\"since\":\"" T0 "\",\"playbook\":[\"Post status\",\"Use macro 12\"],"
	  "\"contacts\":[{\"role\":\"On call\",\"name\":\"Noa\",\"phone\":\"+972-50-0000000\"}]}",
	  MSG_CRISIS, "id=;level=2;title=Payment outage;message=Card payments fail;since=1795425120;"
	  "n_playbook=2;playbook0=Post status;playbook1=Use macro 12;n_contacts=1;"
	  "contact0.role=On call;contact0.name=Noa;contact0.phone=+972-50-0000000"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\"}", MSG_CRISIS,
	  "level=1;since=0;n_playbook=0;n_contacts=0;message="),
	ROW("wallboard/crisis",
	  "{\"active\":true,\"title\":\"T\",\"playbook\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",10],"
	  "\"contacts\":[{},{},{},{},{},{},{},{},{\"phone\":1},2]}",
	  MSG_CRISIS, "n_playbook=8;playbook7=8;n_contacts=8;contact7.phone="),
	ROW("wallboard/crisis", "{\"active\":false,\"level\":99}", MSG_CRISIS_CLEAR, "id="),
	ROW("wallboard/crisis", "", MSG_CRISIS_CLEAR, "id="),

	/* --- acks: valid --- */
	ROW("wallboard/acks/breach:c1",
	  "{\"alarm\":\"breach:c1\",\"by\":\"Noa\",\"at\":\"" T0 "\",\"board\":\"floor2\",\"until\":1795426020}",
	  MSG_ACK, "alarm=breach:c1;by=Noa;at=1795425120;board=floor2;until=1795426020"),
	ROW("wallboard/acks/a2", "{\"alarm\":\"a2\",\"by\":\"Noa\",\"at\":7}", MSG_ACK,
	  "alarm=a2;at=7;until=0;board="),
	ROW("wallboard/acks/a3", "", MSG_ACK_REMOVE, "alarm=a3;id=a3"),

	/* --- producer status (v1.1): valid --- */
	ROW("wallboard/producers/crm/status",
	  "{\"online\":true,\"interval_s\":30,\"at\":\"" T0 "\",\"open\":100000,\"sla\":99000}",
	  MSG_PRODUCER, "id=crm;online=1;interval_s=30;p_at=1795425120;open=100000;sla=99000"),
	ROW("wallboard/producers/crm/status", "{\"online\":true}", MSG_PRODUCER,
	  "online=1;interval_s=30;p_at=0;open=-1;sla=-1"),
	ROW("wallboard/producers/crm/status", "{\"online\":false}", MSG_PRODUCER,
	  "online=0;open=-1;sla=-1"),
	ROW("wallboard/producers/crm/status",
	  "{\"online\":true,\"interval_s\":2,\"at\":1795425120,\"open\":0,\"x\":[1]}",
	  MSG_PRODUCER, "interval_s=2;p_at=1795425120;open=0;sla=-1"),
	ROW("wallboard/producers/crm/status",
	  "{\"online\":true,\"open\":null,\"sla\":null,\"interval_s\":null}",
	  MSG_PRODUCER, "interval_s=30;open=-1;sla=-1"),
	ROW("wallboard/producers/נתונים/status", "{\"online\":true}", MSG_PRODUCER,
	  "id=נתונים"),
	ROW("wallboard/producers/crm/status", "", MSG_PRODUCER_REMOVE, "id=crm"),

	/* --- topics: rejected --- */
	ROW("other/complaints/c1", "{}", REJECT, "unknown topic"),
	ROW("wallboardx/complaints/c1", "{}", REJECT, "unknown topic"),
	ROW("wallboard", "{}", REJECT, "unknown topic"),
	ROW("", "{}", REJECT, "unknown topic"),
	ROW("wallboard/complaints", "", REJECT, "unknown topic"),
	ROW("wallboard/complaints/", "", REJECT, "empty id"),
	ROW("wallboard/complaints/a/b", "", REJECT, "unknown topic"),
	ROW("wallboard/complaints/a+b", "", REJECT, "'+'"),
	ROW("wallboard/acks/#", "", REJECT, "'#'"),
	ROW("wallboard/sla/a\tb", "", REJECT, "control"),
	ROW("wallboard/complaints/1234567890123456789012345678901234567890123456789012345678901234",
	  "", REJECT, "longer than 63"),
	ROW("wallboard/crisis/x", "", REJECT, "unknown topic"),
	ROW("wallboard/crises", "", REJECT, "unknown topic"),
	ROW("wallboard/status/x", "", REJECT, "unknown topic"),
	ROW("wallboard/sla/\xff", "", REJECT, "UTF-8"),
	ROW("/wallboard/sla/x", "", REJECT, "unknown topic"),
	ROW("wallboard/producers/crm", "", REJECT, "unknown topic"),
	ROW("wallboard/producers/crm/", "", REJECT, "unknown topic"),
	ROW("wallboard/producers/crm/statusx", "", REJECT, "unknown topic"),
	ROW("wallboard/producers/crm/status/x", "", REJECT, "unknown topic"),
	ROW("wallboard/producers/a/b/status", "", REJECT, "unknown topic"),
	ROW("wallboard/producers//status", "", REJECT, "empty id"),
	ROW("wallboard/producers/a+b/status", "", REJECT, "'+'"),
	ROW("wallboard/producers/1234567890123456789012345678901234567890123456789012345678901234/status",
	  "", REJECT, "longer than 63"),

	/* --- producer status: rejected --- */
	ROW("wallboard/producers/crm/status", "{}", REJECT, "missing required field \"online\""),
	ROW("wallboard/producers/crm/status", "{\"online\":\"yes\"}", REJECT,
	  "\"online\": expected boolean"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"interval_s\":0}", REJECT,
	  "\"interval_s\": 0 out of range"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"interval_s\":1.5}", REJECT,
	  "\"interval_s\": expected integer"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"open\":-1}", REJECT,
	  "\"open\": -1 out of range"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"sla\":1e12}", REJECT,
	  "\"sla\": 1000000000000 out of range"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"open\":\"5\"}", REJECT,
	  "\"open\": expected integer"),
	ROW("wallboard/producers/crm/status", "{\"online\":true,\"at\":\"noon\"}", REJECT,
	  "\"at\": not an RFC 3339 time"),
	ROW("wallboard/producers/crm/status", "[true]", REJECT, "object"),

	/* --- payload bytes and JSON: rejected --- */
	ROW("wallboard/complaints/c1", "{\"text\":\"\xc0\xaf\"}", REJECT, "not valid UTF-8 (at byte 9)"),
	ROW("wallboard/complaints/c1", "{\"text\":\"\xed\xa0\x80\"}", REJECT, "not valid UTF-8"),
	ROW("wallboard/complaints/c1", "{\"text\":\"\xf4\x90\x80\x80\"}", REJECT, "not valid UTF-8"),
	ROW("wallboard/complaints/c1", "{\"text\":\"\xe2\x82\"}", REJECT, "not valid UTF-8"),
	{ .topic = "wallboard/complaints/c1", .payload = "{}\0{}", .len = 5,
	  .kind = REJECT, .expect = "NUL" },
	ROW("wallboard/complaints/c1", "{\"channel\":\"a\\u0000b\",\"text\":\"t\",\"opened_at\":1}",
	    REJECT, "escaped NUL"),
	ROW("wallboard/complaints/c16", "{\"channel\":\"c\",\"text\":\"a\\\\u0000\",\"opened_at\":1}",
	    MSG_COMPLAINT, "text=a\\u0000"),
	ROW("wallboard/complaints/c1", "hello", REJECT, "not valid JSON"),
	ROW("wallboard/complaints/c1", "   ", REJECT, "not valid JSON"),
	ROW("wallboard/complaints/c1", "{\"1\":1,", REJECT, "not valid JSON"),
	ROW("wallboard/complaints/c1", "{\"a\":\"\\", REJECT, "not valid JSON"),
	ROW("wallboard/complaints/c1", "{\"a\":1} x", REJECT, "after the JSON"),
	ROW("wallboard/complaints/c1", "{} {}", REJECT, "after the JSON"),
	ROW("wallboard/complaints/c1", "[1,2]", REJECT, "not a JSON object (got array)"),
	ROW("wallboard/complaints/c1", "\"x\"", REJECT, "not a JSON object (got string)"),
	ROW("wallboard/complaints/c1", "null", REJECT, "not a JSON object (got null)"),
	ROW("wallboard/complaints/c1", "{\"text\":\"\\ud800\"}", REJECT, "not valid JSON"),

	/* --- complaints: rejected --- */
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\"}", REJECT,
	  "missing required field \"opened_at\""),
	ROW("wallboard/complaints/c1", "{\"text\":\"t\",\"opened_at\":1}", REJECT,
	  "missing required field \"channel\""),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"opened_at\":1}", REJECT,
	  "missing required field \"text\""),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":null,\"opened_at\":1}", REJECT,
	  "\"text\": expected string, got null"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":true}", REJECT,
	  "\"opened_at\": expected RFC 3339 string or integer, got boolean"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":-1}", REJECT,
	  "\"opened_at\": -1 out of range"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1.5}", REJECT,
	  "\"opened_at\": expected integer, got 1.5"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":253402300800}", REJECT,
	  "\"opened_at\": 253402300800 out of range [0, 253402300799]"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1e400}", REJECT,
	  "out of range"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"2026-13-01T00:00:00Z\"}",
	  REJECT, "\"opened_at\": not an RFC 3339 time"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"2026-11-23 09:12:00Z\"}",
	  REJECT, "not an RFC 3339 time"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"2026-11-23T09:12:00\"}",
	  REJECT, "not an RFC 3339 time"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"1970-01-01T00:00:00+01:00\"}",
	  REJECT, "not an RFC 3339 time"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":\"\"}",
	  REJECT, "not an RFC 3339 time in 1970..9999: \"\""),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"priority\":\"urgent\"}",
	  REJECT, "\"priority\": unknown value \"urgent\" (expected normal|high|vip)"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"priority\":\"HIGH\"}",
	  REJECT, "\"priority\": unknown value"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"priority\":1}",
	  REJECT, "\"priority\": expected string, got number"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"status\":\"closed\"}",
	  REJECT, "\"status\": unknown value \"closed\""),
	ROW("wallboard/complaints/c1", "{\"channel\":\"\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"channel\": must not be empty"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"live chat\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"channel\": contains a space"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"a\\nb\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"channel\": contains a space or control"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"12345678901234567890123456789012\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"channel\": longer than 31 bytes"),
	ROW("wallboard/complaints/c1", "{\"channel\":5,\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"channel\": expected string, got number"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":5,\"opened_at\":1}",
	  REJECT, "\"text\": expected string, got number"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"customer\":[]}",
	  REJECT, "\"customer\": expected string, got array"),
	ROW("wallboard/complaints/c1", "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1,\"assignee\":{}}",
	  REJECT, "\"assignee\": expected string, got object"),
	ROW("wallboard/complaints/c1", "{\"id\":\"c2\",\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"id\": \"c2\" differs from the topic's id"),
	ROW("wallboard/complaints/c1", "{\"id\":1,\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1}",
	  REJECT, "\"id\": expected string, got number"),
	ROW("wallboard/complaints/c1", "{\"id\":\"c2\",\"status\":\"resolved\"}",
	  REJECT, "differs from the topic's id"),

	/* --- sla: rejected --- */
	ROW("wallboard/sla/s1", "{}", REJECT, "missing required field \"due_at\""),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"paused\":\"yes\"}", REJECT,
	  "\"paused\": expected boolean, got string"),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"target_s\":-5}", REJECT, "\"target_s\": -5 out of range"),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"target_s\":1.5}", REJECT, "\"target_s\": expected integer"),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"target_s\":\"60\"}", REJECT,
	  "\"target_s\": expected integer, got string"),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"responded_at\":\"soon\"}", REJECT,
	  "\"responded_at\": not an RFC 3339 time in 1970..9999: \"soon\""),
	ROW("wallboard/sla/s1", "{\"due_at\":1,\"paused_reason\":false}", REJECT,
	  "\"paused_reason\": expected string, got boolean"),
	ROW("wallboard/sla/s1", "{\"id\":\"s2\",\"due_at\":1}", REJECT, "differs from the topic's id"),

	/* --- crisis: rejected only when "active" cannot be read --- */
	ROW("wallboard/crisis", "{\"title\":\"T\"}", REJECT, "missing required field \"active\""),
	ROW("wallboard/crisis", "{\"active\":\"true\",\"title\":\"T\"}", REJECT,
	  "\"active\": expected boolean, got string"),
	ROW("wallboard/crisis", "{\"active\":1,\"title\":\"T\"}", REJECT,
	  "\"active\": expected boolean, got number"),
	ROW("wallboard/crisis", "{\"active\":null,\"title\":\"T\"}", REJECT,
	  "\"active\": expected boolean, got null"),

	/* --- crisis: a drill --- */
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"drill\":true}", MSG_CRISIS,
	  "drill=1;bad_fields=0"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\"}", MSG_CRISIS, "drill=0"),
	SOFT("{\"active\":true,\"title\":\"T\",\"drill\":1}", "drill=0;bad_fields=1;title=T",
	  "field \"drill\": expected boolean, got number"),
	/* --- crisis: level words --- */
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"level\":\"minor\"}", MSG_CRISIS,
	  "level=1;bad_fields=0"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"level\":\"major\"}", MSG_CRISIS,
	  "level=2;bad_fields=0"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"level\":\"critical\"}", MSG_CRISIS,
	  "level=3;bad_fields=0"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"level\":3}", MSG_CRISIS,
	  "level=3;bad_fields=0"),
	ROW("wallboard/crisis", "{\"active\":true,\"title\":\"T\",\"level\":null}", MSG_CRISIS,
	  "level=1;bad_fields=0"),

	/* --- crisis: shown with what is valid, each bad field counted --- */
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":\"major\",\"playbook\":[\"Post status\",7,\"Call Noa\"]}",
	  "level=2;title=T;n_playbook=2;playbook0=Post status;playbook1=Call Noa;bad_fields=1",
	  "field \"playbook[1]\": expected string, got number"),
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":7}", "level=1;title=T;bad_fields=1",
	  "\"level\": 7 out of range [1, 3]"),
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":0}", "level=1;bad_fields=1",
	  "\"level\": 0 out of range"),
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":2.5}", "level=1;bad_fields=1",
	  "\"level\": expected integer, got 2.5"),
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":\"Major\"}", "level=1;bad_fields=1",
	  "\"level\": unknown value \"Major\" (expected minor|major|critical)"),
	SOFT("{\"active\":true,\"title\":\"T\",\"level\":true}", "level=1;bad_fields=1",
	  "\"level\": expected integer, got boolean"),
	SOFT("{\"active\":true,\"message\":\"M\"}", "title=;message=M;bad_fields=1",
	  "missing required field \"title\""),
	SOFT("{\"active\":true,\"title\":\"\"}", "title=;bad_fields=1", "\"title\": must not be empty"),
	SOFT("{\"active\":true,\"title\":[1],\"message\":7}", "title=;message=;bad_fields=2",
	  "\"title\": expected string, got array; field \"message\": expected string, got number"),
	SOFT("{\"active\":true,\"title\":\"T\",\"since\":-3}", "since=0;title=T;bad_fields=1",
	  "\"since\": -3 out of range"),
	SOFT("{\"active\":true,\"title\":\"T\",\"since\":\"yesterday\"}", "since=0;bad_fields=1",
	  "\"since\": not an RFC 3339 time"),
	SOFT("{\"active\":true,\"title\":\"T\",\"playbook\":\"call\"}", "n_playbook=0;bad_fields=1",
	  "\"playbook\": expected array, got string"),
	SOFT("{\"active\":true,\"title\":\"T\",\"playbook\":[\"a\",1,{},\"b\"]}",
	  "n_playbook=2;playbook0=a;playbook1=b;bad_fields=2",
	  "\"playbook[1]\": expected string, got number; field \"playbook[2]\": expected string, got object"),
	SOFT("{\"active\":true,\"title\":\"T\",\"contacts\":{}}", "n_contacts=0;bad_fields=1",
	  "\"contacts\": expected array, got object"),
	SOFT("{\"active\":true,\"title\":\"T\",\"contacts\":[\"Noa\",{\"name\":\"Dana\"}]}",
	  "n_contacts=1;contact0.name=Dana;contact0.phone=;bad_fields=1",
	  "\"contacts[0]\": expected object, got string"),
	SOFT("{\"active\":true,\"title\":\"T\",\"contacts\":[{},{\"name\":\"Noa\",\"phone\":12}]}",
	  "n_contacts=2;contact1.name=Noa;contact1.phone=;bad_fields=1",
	  "\"contacts[1].phone\": expected string, got number"),
	SOFT("{\"active\":true,\"title\":\"T\",\"contacts\":[{\"role\":\"On call\","
	  "\"phone\":\"1234567890123456789012345678901234567890\"}]}",
	  "n_contacts=1;contact0.role=On call;contact0.phone=;bad_fields=1",
	  "\"contacts[0].phone\": longer than 39 bytes"),
	SOFT("{\"active\":true,\"level\":\"huge\",\"title\":5,\"message\":false,\"since\":\"x\","
	  "\"playbook\":[1,2,3,4,5,6,7,8,9],\"contacts\":7}",
	  "level=1;title=;message=;since=0;n_playbook=0;n_contacts=0;bad_fields=14",
	  "field \"level\": unknown value \"huge\""),

	/* --- acks: rejected --- */
	ROW("wallboard/acks/a1", "{\"by\":\"Noa\",\"at\":1}", REJECT, "missing required field \"alarm\""),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a2\",\"by\":\"Noa\",\"at\":1}", REJECT,
	  "\"alarm\": \"a2\" differs from the topic's id"),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a1\",\"at\":1}", REJECT, "missing required field \"by\""),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a1\",\"by\":\"\",\"at\":1}", REJECT, "\"by\": must not be empty"),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a1\",\"by\":\"Noa\"}", REJECT, "missing required field \"at\""),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a1\",\"by\":\"Noa\",\"at\":1,\"until\":-1}", REJECT,
	  "\"until\": -1 out of range"),
	ROW("wallboard/acks/a1", "{\"alarm\":\"a1\",\"by\":\"Noa\",\"at\":1,\"board\":7}", REJECT,
	  "\"board\": expected string, got number"),
};

static void run_row(int n, const struct row *r)
{
	struct msg m;
	char err[160], what[200];
	size_t len = r->len ? r->len : strlen(r->payload);
	bool ok = decode_message(r->prefix ? r->prefix : "wallboard", r->topic,
				 r->payload, len, &m, err, sizeof err);

	snprintf(what, sizeof what, "row %d (%.60s %.40s)", n, r->topic, r->payload);
	if (r->kind == REJECT) {
		check_that(!ok, what, "accepted, expected a rejection");
		if (ok)
			return;
		check_that(strstr(err, r->expect) != NULL, what, err);
		check_that(strchr(err, '\n') == NULL && strlen(err) > 0, what, "reason not one line");
		return;
	}
	check_that(ok, what, err);
	if (!ok)
		return;
	check_that(m.kind == (enum msg_kind)r->kind, what, "wrong kind");
	if (r->warn)
		check_that(strstr(err, r->warn) != NULL && strchr(err, '\n') == NULL, what, err);
	else
		check_that(err[0] == '\0' && m.bad_fields == 0, what, err);
	char row[32];
	snprintf(row, sizeof row, "row %d", n);
	check_fields(row, &m, msg_field, r->expect);
}

struct time_row {
	const char *s;
	bool ok;
	int64_t t;
};

static const struct time_row time_rows[] = {
	{ "2026-11-23T09:12:00Z", true, 1795425120 },
	{ "2026-11-23T09:12:00+02:00", true, 1795417920 },
	{ "2026-11-23T09:12:00-05:30", true, 1795444920 },
	{ "2026-11-23T09:12:00.999999999Z", true, 1795425120 },
	{ "2026-11-23T09:12:00-00:00", true, 1795425120 },
	{ "1970-01-01T00:00:00Z", true, 0 },
	{ "1970-01-01T01:00:00+01:00", true, 0 },
	{ "2000-03-01T00:00:00Z", true, 951868800 },
	{ "2100-03-01T00:00:00Z", true, 4107542400 },
	{ "2024-02-29T23:59:59Z", true, 1709251199 },
	{ "2026-12-31T23:59:59Z", true, 1798761599 },
	{ "9999-12-31T23:59:59Z", true, INT64_C(253402300799) },
	{ "9999-12-31T23:59:59-01:00", false, 0 },
	{ "1969-12-31T23:59:59Z", false, 0 },
	{ "1970-01-01T00:00:00+00:01", false, 0 },
	{ "2025-02-29T00:00:00Z", false, 0 },
	{ "2100-02-29T00:00:00Z", false, 0 },
	{ "2026-04-31T00:00:00Z", false, 0 },
	{ "2026-00-10T00:00:00Z", false, 0 },
	{ "2026-01-00T00:00:00Z", false, 0 },
	{ "2026-01-32T00:00:00Z", false, 0 },
	{ "2026-01-01T24:00:00Z", false, 0 },
	{ "2026-01-01T23:60:00Z", false, 0 },
	{ "2026-01-01T23:59:61Z", false, 0 },
	{ "2026-01-01T00:00:00+24:00", false, 0 },
	{ "2026-01-01T00:00:00+01:60", false, 0 },
	{ "2026-01-01T00:00:00+0100", false, 0 },
	{ "2026-01-01T00:00:00.Z", false, 0 },
	{ "2026-01-01T00:00:00", false, 0 },
	{ "2026-01-01 00:00:00Z", false, 0 },
	{ "2026-1-01T00:00:00Z", false, 0 },
	{ "26-01-01T00:00:00Z", false, 0 },
	{ "2026-01-01T00:00Z", false, 0 },
	{ "2026-01-01T00:00:00ZZ", false, 0 },
	{ "2026-01-01T00:00:00Z ", false, 0 },
	{ " 2026-01-01T00:00:00Z", false, 0 },
	{ "+2026-01-01T00:00:00Z", false, 0 },
	{ "2026-01-01", false, 0 },
	{ "", false, 0 },
};

static void run_time_rows(void)
{
	char what[96];
	for (size_t i = 0; i < sizeof time_rows / sizeof time_rows[0]; i++) {
		const struct time_row *r = &time_rows[i];
		int64_t t = -42;
		bool ok = decode_time_rfc3339(r->s, &t);
		snprintf(what, sizeof what, "time \"%s\"", r->s);
		check_that(ok == r->ok, what, ok ? "accepted" : "rejected");
		if (ok && r->ok)
			check_that(t == r->t, what, "wrong value");
	}
	check_that(!decode_time_rfc3339(NULL, &(int64_t){ 0 }), "time NULL", NULL);
}

struct utf8_row {
	const char *s;
	size_t len;
	bool ok;
};

static const struct utf8_row utf8_rows[] = {
	{ "", 0, true },
	{ "plain ascii", 11, true },
	{ "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 8, true },  /* Hebrew */
	{ "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 8, true },  /* Persian/Arabic */
	{ "\xe2\x82\xac", 3, true },                      /* U+20AC */
	{ "\xf0\x9f\x98\x80", 4, true },                  /* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", 4, true },                  /* U+10FFFF */
	{ "\xed\x9f\xbf", 3, true },                      /* U+D7FF */
	{ "\xee\x80\x80", 3, true },                      /* U+E000 */
	{ "\xef\xbf\xbf", 3, true },                      /* U+FFFF */
	{ "\xc2\x80", 2, true },                          /* U+0080 */
	{ "\xc0\xaf", 2, false },                         /* overlong '/' */
	{ "\xc1\xbf", 2, false },                         /* overlong */
	{ "\xe0\x80\xaf", 3, false },                     /* overlong */
	{ "\xe0\x9f\xbf", 3, false },                     /* overlong */
	{ "\xf0\x80\x80\xaf", 4, false },                 /* overlong */
	{ "\xf0\x8f\xbf\xbf", 4, false },                 /* overlong */
	{ "\xed\xa0\x80", 3, false },                     /* U+D800 */
	{ "\xed\xbf\xbf", 3, false },                     /* U+DFFF */
	{ "\xf4\x90\x80\x80", 4, false },                 /* U+110000 */
	{ "\xf5\x80\x80\x80", 4, false },
	{ "\xff", 1, false },
	{ "\x80", 1, false },                             /* lone continuation */
	{ "\xd7", 1, false },                             /* truncated */
	{ "\xe2\x82", 2, false },                         /* truncated */
	{ "\xf0\x9f\x98", 3, false },                     /* truncated */
	{ "a\xe2\x28\xa1", 4, false },                    /* bad continuation */
	{ "\xf0\x9f\x98\x80", 3, false },                 /* len cuts a char */
	{ "\xd7\xa9x", 1, false },
};

static void run_utf8_rows(void)
{
	char what[64];
	for (size_t i = 0; i < sizeof utf8_rows / sizeof utf8_rows[0]; i++) {
		const struct utf8_row *r = &utf8_rows[i];
		snprintf(what, sizeof what, "utf8 row %zu", i);
		check_that(decode_utf8_valid(r->s, r->len) == r->ok, what, NULL);
	}
}

/* The ASCII run is checked eight bytes at a time: a bad byte at every
 * offset from the start of a run, before and after a word boundary, with
 * ASCII after it, is found, and where (the reason names the byte). */
static void run_utf8_offsets(void)
{
	static const char *const bad[] = { "\xff", "\x80", "\xc3", "\xe2\x82", "\xed\xa0\x80" };
	static const char head[] = "{\"text\":\"";
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		for (int at = 0; at <= 20; at++) {
			char s[96], payload[128], err[160], want[64];
			snprintf(s, sizeof s, "%.*s%s%s", at, "abcdefghijklmnopqrstuvwxyz", bad[b],
				 "0123456789abcdef");
			checkf(!decode_utf8_valid(s, strlen(s)), "bad byte %zu after %d ASCII", b, at);
			/* the same text cut just before the bad byte is fine */
			checkf(decode_utf8_valid(s, (size_t)at), "%d ASCII bytes valid", at);
			snprintf(payload, sizeof payload, "%s%s\"}", head, s);
			static struct msg m;
			bool ok = decode_message("wallboard", "wallboard/complaints/c1", payload,
						 strlen(payload), &m, err, sizeof err);
			snprintf(want, sizeof want, "(at byte %zu)", strlen(head) + (size_t)at);
			checkf(!ok && strstr(err, want), "bad byte %zu after %d ASCII: %s", b, at, err);
		}
	}
}

/* Rows that do not fit a literal table: sizes and cut strings. */
static void run_size_checks(void)
{
	static char buf[MSG_PAYLOAD_MAX + 2];
	static const char head[] = "{\"channel\":\"c\",\"opened_at\":1,\"text\":\"";
	struct msg m;
	char err[160];
	size_t n;

	/* Exactly the maximum is fine (padded with spaces), one more is not. */
	n = (size_t)snprintf(buf, sizeof buf, "{\"channel\":\"c\",\"text\":\"t\",\"opened_at\":1}");
	memset(buf + n, ' ', MSG_PAYLOAD_MAX - n);
	check_that(decode_message("wallboard", "wallboard/complaints/big", buf, MSG_PAYLOAD_MAX,
			     &m, err, sizeof err), "payload of exactly MSG_PAYLOAD_MAX", err);
	buf[MSG_PAYLOAD_MAX] = ' ';
	check_that(!decode_message("wallboard", "wallboard/complaints/big", buf, MSG_PAYLOAD_MAX + 1,
			      &m, err, sizeof err) && strstr(err, "too large"),
	      "payload of MSG_PAYLOAD_MAX + 1", err);

	/* Text of 2-byte Hebrew letters longer than the buffer: cut between
	 * letters, never inside one. MSG_TEXT_MAX - 1 is odd, so the naive
	 * cut would land mid-letter. */
	n = (size_t)snprintf(buf, sizeof buf, "%s", head);
	for (int i = 0; i < MSG_TEXT_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "\xd7\xa9");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\"}");
	bool ok = decode_message("wallboard", "wallboard/complaints/long", buf, n, &m, err, sizeof err);
	check_that(ok, "long text accepted", err);
	size_t tl = strlen(m.u.complaint.text);
	check_that(ok && tl == MSG_TEXT_MAX - 2, "long text cut to a whole letter", NULL);
	check_that(ok && decode_utf8_valid(m.u.complaint.text, tl), "cut text is valid UTF-8", NULL);

	/* Names are cut, not rejected. */
	n = (size_t)snprintf(buf, sizeof buf, "{\"alarm\":\"a\",\"at\":1,\"by\":\"");
	for (int i = 0; i < 200; i++)
		buf[n++] = 'b';
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\"}");
	ok = decode_message("wallboard", "wallboard/acks/a", buf, n, &m, err, sizeof err);
	check_that(ok && strlen(m.u.ack.by) == MSG_NAME_MAX - 1, "long name cut", err);

	/* A short error buffer still gets a terminated reason. */
	char tiny[8];
	memset(tiny, 'x', sizeof tiny);
	ok = decode_message("wallboard", "nope", "", 0, &m, tiny, sizeof tiny);
	check_that(!ok && memchr(tiny, '\0', sizeof tiny) != NULL, "reason terminated in a short buffer", NULL);
	check_that(!decode_message("wallboard", "nope", "", 0, &m, NULL, 0), "errlen 0", NULL);
}

int main(void)
{
	int n = (int)(sizeof rows / sizeof rows[0]);
	for (int i = 0; i < n; i++)
		run_row(i, &rows[i]);
	run_time_rows();
	run_utf8_rows();
	run_utf8_offsets();
	run_size_checks();
	return check_summary();
}
