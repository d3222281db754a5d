/* test_delivery.c - an acknowledgement is done only when the broker
 * confirms it (a successful PUBACK), and survives a restart until then.
 *
 * delivery.c runs against the real journal on disk and a stand-in for
 * mqtt_publish() that hands out mids and can fail like libmosquitto. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "delivery.h"
#include "mqtt.h"
#include "util.h"

/* ---- the stand-in for mqtt.c ---- */
static int next_mid = 1;
static bool publish_fails;
static int published;
static char last_topic[128];

bool mqtt_publish(struct mqtt *q, const char *topic, const void *payload, size_t len,
		  int qos, bool retain, int *mid)
{
	(void)q;
	(void)payload;
	(void)len;
	(void)qos;
	(void)retain;
	if (publish_fails)
		return false;
	published++;
	snprintf(last_topic, sizeof last_topic, "%s", topic);
	if (mid)
		*mid = next_mid++;
	return true;
}

static bool link_up = true;

bool mqtt_is_connected(const struct mqtt *q)
{
	(void)q;
	return link_up;
}

const char *mqtt_reason_text(int reason)
{
	return reason >= 0x80 ? "refused" : "success";
}

static size_t pending(const struct delivery *d)
{
	struct delivery_stats s;
	delivery_get_stats(d, &s);
	return s.pending;
}

static uint64_t confirmed(const struct delivery *d)
{
	struct delivery_stats s;
	delivery_get_stats(d, &s);
	return s.confirmed;
}

static int replayed;
static void count_replayed(const char *topic, const void *payload, size_t len, void *ctx)
{
	(void)topic;
	(void)payload;
	(void)len;
	(void)ctx;
	replayed++;
}

#define ACK "{\"alarm\":\"crisis\",\"by\":\"dana\"}"

int main(void)
{
	char dir[] = "/tmp/wb-delivery.XXXXXX";
	if (!mkdtemp(dir)) {
		printf("mkdtemp failed\n0 passed, 1 failed\n");
		return 1;
	}
	struct delivery *d = delivery_init(dir, NULL);
	CHECK(d != NULL);

	check_ctx = "durable send";
	CHECK(delivery_send(d, "wb/acks/crisis", ACK, strlen(ACK), 1, true, true));
	int mid_a = next_mid - 1;
	CHECK_EQ(pending(d), 1);
	CHECK_STR(last_topic, "wb/acks/crisis");

	check_ctx = "a PUBACK for another mid";
	delivery_confirmed(d, mid_a + 100, 0);
	CHECK_EQ(pending(d), 1);

	check_ctx = "a refused PUBACK (0x87 not authorized)";
	delivery_confirmed(d, mid_a, 0x87);
	CHECK_EQ(pending(d), 1);
	CHECK_EQ(confirmed(d), 0);
	CHECK_EQ(delivery_undelivered(d), 1);

	check_ctx = "the refused one is published again later, not at once";
	published = 0;
	delivery_tick(d, util_mono_ms());
	CHECK_EQ(published, 0);
	delivery_tick(d, util_mono_ms() + 120000);
	CHECK_EQ(published, 1);
	CHECK_STR(last_topic, "wb/acks/crisis");
	CHECK_EQ(pending(d), 1);
	check_ctx = "the retry confirmed";
	delivery_confirmed(d, next_mid - 1, 0);
	CHECK_EQ(pending(d), 0);
	CHECK_EQ(confirmed(d), 1);

	check_ctx = "without a link a durable send waits for the connect (libmosquitto's "
		    "queue would resend it without the retain flag)";
	link_up = false;
	published = 0;
	CHECK(delivery_send(d, "wb/acks/open:web", ACK, strlen(ACK), 1, true, true));
	CHECK_EQ(published, 0);
	CHECK_EQ(pending(d), 1);
	link_up = true;
	CHECK_EQ(delivery_connected(d), 1);
	CHECK_EQ(published, 1);
	delivery_confirmed(d, next_mid - 1, 0);
	CHECK_EQ(pending(d), 0);

	check_ctx = "not durable: never journaled";
	CHECK(delivery_send(d, "wb/escalations/crisis", "{}", 2, 0, false, false));
	CHECK_EQ(pending(d), 0);

	check_ctx = "a failed publish keeps the journal entry";
	publish_fails = true;
	CHECK(!delivery_send(d, "wb/acks/breach:c1", ACK, strlen(ACK), 1, true, true));
	CHECK(!delivery_send(d, "wb/acks/breach:c2", ACK, strlen(ACK), 1, true, true));
	publish_fails = false;
	CHECK_EQ(pending(d), 2);

	check_ctx = "restart: both come back, shown at once, published when connected";
	delivery_destroy(d);
	replayed = 0;
	published = 0;
	d = delivery_init(dir, NULL);
	CHECK_EQ(pending(d), 2);
	CHECK_EQ(delivery_replay(d, count_replayed, NULL), 2);
	CHECK_EQ(replayed, 2);
	CHECK_EQ(published, 0);
	CHECK_EQ(delivery_connected(d), 2);
	CHECK_EQ(published, 2);
	int first = next_mid - 2, second = next_mid - 1;

	check_ctx = "a successful PUBACK (reason 0, or 0x10 no subscribers) is done";
	delivery_confirmed(d, first, 0);
	CHECK_EQ(pending(d), 1);
	delivery_confirmed(d, second, 0x10);
	CHECK_EQ(pending(d), 0);
	CHECK_EQ(confirmed(d), 2);

	check_ctx = "a repeated PUBACK changes nothing";
	delivery_confirmed(d, second, 0);
	CHECK_EQ(confirmed(d), 2);

	check_ctx = "done survives a restart";
	delivery_destroy(d);
	d = delivery_init(dir, NULL);
	CHECK_EQ(pending(d), 0);
	CHECK_EQ(delivery_replay(d, NULL, NULL), 0);
	delivery_destroy(d);
	delivery_destroy(NULL);

	char path[sizeof dir + 32];
	snprintf(path, sizeof path, "%s/acks.journal", dir);
	unlink(path);
	rmdir(dir);
	return check_summary();
}
