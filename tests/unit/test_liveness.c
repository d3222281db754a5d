/* test_liveness.c - when the board may say "live", with an injected clock.
 *
 * README: "Live" means connected, the retained replay complete, and the
 * board's own heartbeat back through the broker within the last 3 s;
 * otherwise not live within 3 s. A sync marker of an earlier connection
 * does not end this connection's replay. */
#include "check.h"
#include "liveness.h"

/* The echo window, at its bound: 3 s, not 3.5, not 4.5. */
static void echo_window(void)
{
	check_ctx = "echo window";
	CHECK(!liveness_echo_fresh(0, 1000));          /* no echo yet */
	CHECK(liveness_echo_fresh(10000, 10000));
	CHECK(liveness_echo_fresh(10000, 12999));
	CHECK(!liveness_echo_fresh(10000, 13000));
	CHECK(!liveness_echo_fresh(10000, 14500));
}

static const struct {
	const char *payload;
	unsigned conn_seq;
	bool current;
} markers[] = {
	{ "1", 1, true },
	{ "7", 7, true },
	{ "1", 2, false },      /* the first connection's, resent after a reconnect */
	{ "6", 7, false },
	{ "8", 7, false },      /* not from the future either */
	{ "", 1, false },
	{ "1x", 1, false },
	{ "x1", 1, false },
	{ "01", 1, true },
	{ "4294967297", 1, false }, /* 2^32 + 1 does not wrap to 1 */
	{ "12345678901234567890", 1, false },
};

static void sync_markers(void)
{
	char name[64];
	for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
		snprintf(name, sizeof name, "marker \"%s\" on connection %u", markers[i].payload,
			 markers[i].conn_seq);
		check_ctx = name;
		CHECK_EQ(liveness_marker_current(markers[i].payload, strlen(markers[i].payload),
						 markers[i].conn_seq),
			 markers[i].current);
	}
}

/* A board's life on a clock the test moves: ms for echoes, s for "since". */
static void state_machine(void)
{
	struct liveness l;
	int64_t echo = 0;
	check_ctx = "start";
	liveness_init(&l, 100);
	CHECK(!l.live);
	CHECK_EQ(l.not_live_since, 100);
	CHECK(!liveness_update(&l, liveness_echo_fresh(echo, 500), 100));

	check_ctx = "connected, echo back, replay not complete";
	liveness_connected(&l);
	echo = 1000;
	CHECK(!liveness_update(&l, liveness_echo_fresh(echo, 1200), 101));
	CHECK(!l.live);

	check_ctx = "replay complete";
	liveness_synced(&l);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 1500), 101));
	CHECK(l.live);
	CHECK_EQ(l.not_live_since, 0);

	check_ctx = "silent link: no echo for 3 s";
	CHECK(!liveness_update(&l, liveness_echo_fresh(echo, 3999), 103));
	CHECK(l.live);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 4000), 104));
	CHECK(!l.live);
	CHECK_EQ(l.not_live_since, 104);

	check_ctx = "echo back on the same connection";
	echo = 5000;
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 5001), 105));
	CHECK(l.live);

	check_ctx = "dropped link";
	liveness_disconnected(&l);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 5100), 105));
	CHECK(!l.live);
	CHECK_EQ(l.not_live_since, 105);

	check_ctx = "reconnected: a new replay, the old sync does not count";
	liveness_connected(&l);
	echo = 9000;
	CHECK(!liveness_update(&l, liveness_echo_fresh(echo, 9100), 109));
	CHECK(!l.live);
	CHECK(!l.synced);
	liveness_synced(&l);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 9200), 109));
	CHECK(l.live);

	check_ctx = "messages dropped: the replay is taken again on the same link";
	liveness_resync(&l);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 9300), 109));
	CHECK(!l.live);
	CHECK(l.connected);
	liveness_synced(&l);
	CHECK(liveness_update(&l, liveness_echo_fresh(echo, 9400), 109));
	CHECK(l.live);

	check_ctx = "a sync with no connection is ignored";
	liveness_disconnected(&l);
	liveness_synced(&l);
	CHECK(!l.synced);
	CHECK(liveness_update(&l, true, 110));
	CHECK(!l.live);
}

int main(void)
{
	echo_window();
	sync_markers();
	state_machine();
	return check_summary();
}
