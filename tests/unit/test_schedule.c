/* test_schedule - display.schedule parsing, day/night with an injected
 * clock (TZ=UTC), waking on urgency and touch, the burn-in orbit's bounds;
 * remote commands: parsing, signatures, refusals. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "remote.h"
#include "schedule.h"

/* 2026-11-23 was a Monday: 00:00 UTC. */
#define MONDAY 1795392000LL
#define AT(day, h, m) (MONDAY + (day) * 86400LL + (h) * 3600LL + (m) * 60LL)

static const struct { const char *text; bool ok; } parse_rows[] = {
	{ "off", true }, { "07:00-22:00", true }, { "mon-fri 07:00-19:00", true },
	{ "sat,sun 10:00-16:00", true }, { "fri-mon 08:00-18:00", true },
	{ "22:00-06:00", true }, { "7:00-22:00", false }, { "07:00-07:00", false },
	{ "07:00", false }, { "24:00-07:00", false }, { "07:60-08:00", false },
	{ "mon-fr 07:00-19:00", false }, { "07:00-22:00x", false }, { "monday 07:00-09:00", false },
	{ "mon,,tue 07:00-09:00", false },
};

static const struct {
	const char *text;
	int64_t at;
	bool day;
} day_rows[] = {
	{ "07:00-22:00", AT(0, 6, 59), false }, { "07:00-22:00", AT(0, 7, 0), true },
	{ "07:00-22:00", AT(0, 21, 59), true }, { "07:00-22:00", AT(0, 22, 0), false },
	{ "mon-fri 07:00-19:00", AT(4, 12, 0), true },   /* Friday */
	{ "mon-fri 07:00-19:00", AT(5, 12, 0), false },  /* Saturday */
	{ "mon-fri 07:00-19:00", AT(6, 12, 0), false },  /* Sunday */
	{ "sat,sun 10:00-16:00", AT(5, 12, 0), true },
	{ "fri-mon 08:00-18:00", AT(1, 12, 0), false },  /* Tuesday */
	{ "fri-mon 08:00-18:00", AT(6, 12, 0), true },
	/* a night shift: Monday 22:00 to Tuesday 06:00 belongs to Monday */
	{ "mon 22:00-06:00", AT(0, 23, 0), true }, { "mon 22:00-06:00", AT(1, 5, 59), true },
	{ "mon 22:00-06:00", AT(1, 6, 0), false }, { "mon 22:00-06:00", AT(1, 23, 0), false },
	{ "off", AT(0, 3, 0), true },
};

static void test_schedule(void)
{
	char why[128];
	for (size_t i = 0; i < sizeof parse_rows / sizeof parse_rows[0]; i++) {
		struct schedule s;
		why[0] = '\0';
		bool ok = schedule_parse(parse_rows[i].text, &s, why, sizeof why);
		checkf(ok == parse_rows[i].ok, "parse \"%s\": %d (%s)", parse_rows[i].text, ok, why);
		checkf(ok || why[0], "parse \"%s\" says why", parse_rows[i].text);
	}
	for (size_t i = 0; i < sizeof day_rows / sizeof day_rows[0]; i++) {
		struct schedule s;
		CHECK(schedule_parse(day_rows[i].text, &s, why, sizeof why));
		checkf(schedule_is_day(&s, day_rows[i].at) == day_rows[i].day, "\"%s\" at +%lld s",
		       day_rows[i].text, (long long)(day_rows[i].at - MONDAY));
	}
	struct schedule s;
	CHECK(schedule_parse("07:00-22:00", &s, why, sizeof why));
	CHECK(schedule_next_change(&s, AT(0, 12, 0)) == AT(0, 22, 0));
	CHECK(schedule_next_change(&s, AT(0, 23, 30)) == AT(1, 7, 0));
	/* Night, unless urgent or woken by a touch for a minute. */
	CHECK(schedule_is_night(&s, AT(0, 23, 0), false, 0));
	CHECK(!schedule_is_night(&s, AT(0, 23, 0), true, 0));
	CHECK(!schedule_is_night(&s, AT(0, 23, 0), false, AT(0, 23, 1)));
	CHECK(schedule_is_night(&s, AT(0, 23, 1), false, AT(0, 23, 1)));
	CHECK(!schedule_is_night(&s, AT(0, 12, 0), false, 0));
}

static void test_orbit(void)
{
	int seen[9][9] = { { 0 } }, moves = 0, pdx = 0, pdy = 0;
	for (int64_t t = MONDAY; t < MONDAY + 86400; t += 10) {
		int dx, dy;
		schedule_orbit(t, 180, 4, &dx, &dy);
		checkf(dx >= -4 && dx <= 4 && dy >= -4 && dy <= 4, "orbit (%d,%d) within 4 px", dx, dy);
		if (dx >= -4 && dx <= 4 && dy >= -4 && dy <= 4)
			seen[dx + 4][dy + 4] = 1;
		moves += t > MONDAY && (dx != pdx || dy != pdy);
		pdx = dx, pdy = dy;
	}
	int positions = 0;
	for (int i = 0; i < 9; i++)
		for (int j = 0; j < 9; j++)
			positions += seen[i][j];
	checkf(positions >= 12, "the orbit visits many positions (%d)", positions);
	checkf(moves <= 86400 / 180, "moves at most once a period (%d)", moves);
	int dx, dy;
	schedule_orbit(MONDAY, 0, 4, &dx, &dy);
	CHECK(dx == 0 && dy == 0);
}

static void test_remote(void)
{
	struct acksig_key key = { .len = 32 };
	memset(key.bytes, 'k', 32);
	struct remote_request r;
	char why[160], sig[ACKSIG_HEX_LEN + 1], json[512];
	int64_t now = AT(0, 12, 0);

	struct remote_policy open = { .allow_unsigned = true };
	CHECK(remote_accept(&open, "b1", "dim 40", 6, false, now, &r, why, sizeof why));
	CHECK(r.cmd == REMOTE_DIM && r.arg == 40);
	CHECK(remote_accept(&open, "b1", "screenshot\n", 11, false, now, &r, why, sizeof why));
	CHECK(r.cmd == REMOTE_SCREENSHOT);
	CHECK(remote_accept(&open, "all", "page next", 9, false, now, &r, why, sizeof why));
	CHECK(r.cmd == REMOTE_PAGE_NEXT);
	CHECK(remote_accept(&open, "b1", "identify", 8, false, now, &r, why, sizeof why));
	CHECK(remote_accept(&open, "b1", "reload", 6, false, now, &r, why, sizeof why));
	CHECK(!remote_accept(&open, "b1", "dim 101", 7, false, now, &r, why, sizeof why));
	CHECK(!remote_accept(&open, "b1", "dim -1", 6, false, now, &r, why, sizeof why));
	CHECK(!remote_accept(&open, "b1", "reboot", 6, false, now, &r, why, sizeof why));
	CHECK(strstr(why, "unknown command") != NULL);
	CHECK(!remote_accept(&open, "b1", "dim 40", 6, true, now, &r, why, sizeof why));
	CHECK(strstr(why, "retained") != NULL);

	struct remote_policy closed = { 0 };
	CHECK(!remote_accept(&closed, "b1", "dim 40", 6, false, now, &r, why, sizeof why));
	CHECK(strstr(why, "allow_unsigned") != NULL);

	struct remote_policy keyed = { .key = &key, .allow_unsigned = true };
	CHECK(!remote_accept(&keyed, "b1", "dim 40", 6, false, now, &r, why, sizeof why));
	CHECK(strstr(why, "ack key") != NULL);
	remote_sign(&key, "b1", "dim 30", now, sig);
	CHECK(strlen(sig) == ACKSIG_HEX_LEN);
	snprintf(json, sizeof json, "{\"cmd\":\"dim 30\",\"at\":%lld,\"sig\":\"%s\"}",
		 (long long)now, sig);
	CHECK(remote_accept(&keyed, "b1", json, strlen(json), false, now, &r, why, sizeof why));
	CHECK(r.cmd == REMOTE_DIM && r.arg == 30);
	/* the same again: a replay */
	CHECK(!remote_accept(&keyed, "b1", json, strlen(json), false, now, &r, why, sizeof why));
	CHECK(strstr(why, "replayed") != NULL);
	/* signed for another board, or another command, or tampered */
	remote_sign(&key, "b2", "dim 0", now + 1, sig);
	snprintf(json, sizeof json, "{\"cmd\":\"dim 0\",\"at\":%lld,\"sig\":\"%s\"}",
		 (long long)now + 1, sig);
	CHECK(!remote_accept(&keyed, "b1", json, strlen(json), false, now, &r, why, sizeof why));
	CHECK(strstr(why, "bad signature") != NULL);
	/* too old */
	remote_sign(&key, "b1", "identify", now - 600, sig);
	snprintf(json, sizeof json, "{\"cmd\":\"identify\",\"at\":%lld,\"sig\":\"%s\"}",
		 (long long)now - 600, sig);
	CHECK(!remote_accept(&keyed, "b1", json, strlen(json), false, now, &r, why, sizeof why));
	/* signed, on the all topic */
	remote_sign(&key, "all", "identify", now + 2, sig);
	snprintf(json, sizeof json, "{\"cmd\":\"identify\",\"at\":%lld,\"sig\":\"%s\"}",
		 (long long)now + 2, sig);
	CHECK(remote_accept(&keyed, "all", json, strlen(json), false, now, &r, why, sizeof why));
	CHECK(!remote_accept(&keyed, "b1", "{\"cmd\": 5}", 10, false, now, &r, why, sizeof why));
	CHECK(!remote_accept(&keyed, "b1", "{", 1, false, now, &r, why, sizeof why));
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_schedule();
	test_orbit();
	test_remote();
	return check_summary();
}
